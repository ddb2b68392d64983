/**
 * The inspector: every attribute of the selected step, flow or lane, or of the workflow when
 * nothing is selected. Valid input becomes an edit at once (typing in one field is one undo step);
 * invalid input stays visible with its message (fields.tsx).
 */
import { type RefObject, useId, useMemo, useState } from 'react';
import type { StepFailingData } from '../../../core/readiness/index.ts';
import {
  type ApplyOptions,
  FLOW_TRANSFERS,
  STEP_KINDS,
  STEP_MEDIA,
  type WorkflowEdit,
} from '../../../core/workflow/edit/index.ts';
import { computeMetrics, subProcessIds, subProcessMinutes } from '../../../core/workflow/index.ts';
import type { Project } from '../../../formats/project.ts';
import {
  isConcurrentSplit,
  isGateway,
  PROBABILITY_TOLERANCE,
  type Step,
  type StepKind,
  type Workflow,
} from '../../../formats/workflow.ts';
import { BesideTheWork, MessageInspector, PoolsAndDocuments } from './BesideTheWork.tsx';
import { type FailingDataFrom, StepFailingDataList } from './FailingData.tsx';
import {
  ChipsField,
  type Drafts,
  NumberField,
  SearchableChecklist,
  SelectField,
  type SetDraft,
  TextField,
} from './fields.tsx';
import { GATEWAY_MEANING, KIND_LABEL, MEDIUM_LABEL, TRANSFER_LABEL } from './labels.ts';
import { flowEnds, flowKey, type Selection, selectedCount } from './selection.ts';

type Apply = (edit: WorkflowEdit, options?: ApplyOptions) => string | null;

/** What the inspector edits and how it reports back. */
interface InspectorProps {
  workflow: Workflow;
  project: Project;
  selection: Selection;
  apply: Apply;
  drafts: Drafts;
  setDraft: SetDraft;
  /** the first field of the step inspector, focused when Enter is pressed on a step */
  firstFieldRef: RefObject<HTMLInputElement | null>;
  onRemoveSelection: () => void;
  /** selects something else (a flow listed under a step) */
  onSelect: (selection: Selection) => void;
  /** the address of a page of the workflow (a sub-process's): offers to open a sub-process */
  pageHref?: (inside: string | undefined) => string;
  /** the failing data each step uses, by step id (the latest checks through the data dictionary) */
  failingData?: ReadonlyMap<string, readonly StepFailingData[]>;
  /** where the failing data comes from (a project of this browser's own unless told) */
  failingDataFrom?: FailingDataFrom;
  /** the address of the check a failing place comes from */
  checkHref?: (data: StepFailingData) => string;
}

/**
 * The probability problem of the flows leaving a step, as the format states it: when all carry
 * one they sum to 1; given ones never exceed 1. Null when fine (a draft with a problem still saves).
 */
export function probabilityProblem(workflow: Workflow, stepId: string): string | null {
  const kind = workflow.steps.find((s) => s.id === stepId)?.kind;
  // branches of a parallel or inclusive split are not alternatives: no sum to check
  if (kind !== undefined && isConcurrentSplit(kind)) return null;
  const outgoing = workflow.flows.filter((f) => f.from === stepId);
  const given = outgoing.map((f) => f.probability).filter((p): p is number => p !== undefined);
  if (given.length === 0) return null;
  const sum = given.reduce((a, b) => a + b, 0);
  const percent = `${Math.round(sum * 1000) / 10} %`;
  if (given.length === outgoing.length && Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
    return `The branches leaving this step add up to ${percent}; they must add up to 100 %.`;
  }
  if (given.length < outgoing.length && sum > 1 + PROBABILITY_TOLERANCE) {
    return `The branches given add up to ${percent}, more than 100 %.`;
  }
  return null;
}

/** Sorted distinct values of the project's workflows, for suggestions. */
function usedInProject(project: Project, pick: (step: Step) => readonly string[]): string[] {
  const values = new Set<string>();
  for (const w of project.workflows)
    for (const s of w.steps) for (const v of pick(s)) if (v.trim()) values.add(v);
  return [...values].sort((a, b) => a.localeCompare(b));
}

/**
 * The draft props every field of an inspector takes: its draft's key (`key` of the field's
 * name), and the editor's drafts and their setter.
 */
function draftsOf(props: Pick<InspectorProps, 'drafts' | 'setDraft'>, key: (field: string) => string) {
  return (field: string) => ({ draftKey: key(field), drafts: props.drafts, setDraft: props.setDraft });
}

function StepInspector(props: InspectorProps & { step: Step }) {
  const { workflow, project, step, apply, firstFieldRef } = props;
  const key = (field: string) => `step:${step.id}:${field}`;
  const draft = draftsOf(props, key);
  const update = (patch: Parameters<typeof updateEdit>[1], field: string) =>
    apply(updateEdit(step.id, patch), { coalesce: key(field) });
  const systems = usedInProject(project, (s) => [s.system]);
  const items = usedInProject(project, (s) => s.enters);
  const baseline =
    workflow.state === 'future' ? project.workflows.find((w) => w.id === workflow.baseline) : undefined;
  const laneName = new Map(baseline?.lanes.map((l) => [l.id, l.name]));
  const systemsListId = `systems-${step.id}`;
  const branchProblem = probabilityProblem(workflow, step.id);
  return (
    <section aria-labelledby="inspector-title" className="inspector-body">
      <h3 id="inspector-title">
        {KIND_LABEL[step.kind]}: {step.label}
      </h3>
      <TextField
        label="Label"
        value={step.label}
        required
        {...draft('label')}
        onCommit={(label) => update({ label }, 'label')}
        inputRef={(element) => {
          firstFieldRef.current = element;
        }}
      />
      <SelectField
        label="Lane (role)"
        value={step.lane}
        options={workflow.lanes.map((l) => ({ value: l.id, label: l.name }))}
        onChange={(lane) => update({ lane }, 'lane')}
      />
      <SelectField
        label="Kind"
        value={step.kind}
        options={STEP_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
        onChange={(kind) => update({ kind }, 'kind')}
      />
      {isGateway(step.kind) && (
        <p className="field-hint">
          {KIND_LABEL[step.kind]}: {GATEWAY_MEANING[step.kind]}.{' '}
          {step.kind.endsWith('split')
            ? 'Staff time adds up over the branches; a patient waits for the longest one.'
            : 'The patient goes on once, when the branches have arrived.'}
        </p>
      )}
      <SelectField
        label="Medium (how the step is done)"
        value={step.medium}
        options={STEP_MEDIA.map((m) => ({ value: m, label: MEDIUM_LABEL[m] }))}
        onChange={(medium) => update({ medium }, 'medium')}
      />
      <TextField
        label="System"
        value={step.system}
        {...draft('system')}
        list={systemsListId}
        onCommit={(system) => update({ system }, 'system')}
      />
      <datalist id={systemsListId}>
        {systems.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <div className="field-row">
        <NumberField
          label="Touch time (minutes)"
          value={step.touchMin}
          rule={{ min: 0, unit: 'minutes' }}
          {...draft('touchMin')}
          onCommit={(v) => update({ touchMin: v ?? 0 }, 'touchMin')}
        />
        <NumberField
          label="Wait before (minutes)"
          value={step.waitMin}
          rule={{ min: 0, unit: 'minutes' }}
          {...draft('waitMin')}
          onCommit={(v) => update({ waitMin: v ?? 0 }, 'waitMin')}
          hint="Waiting not caused by this role being busy: results, another inbox, mail."
        />
      </div>
      <NumberField
        label="Clicks"
        value={step.clicks}
        rule={{ min: 0, integer: true, unit: 'clicks' }}
        {...draft('clicks')}
        onCommit={(v) => update({ clicks: v ?? 0 }, 'clicks')}
      />
      <ChipsField
        label="Data entered"
        values={step.enters}
        suggestions={items}
        onChange={(enters) => apply(updateEdit(step.id, { enters }))}
      />
      {props.checkHref && (
        <StepFailingDataList
          list={props.failingData?.get(step.id)}
          checkHref={props.checkHref}
          {...(props.failingDataFrom ? { from: props.failingDataFrom } : {})}
        />
      )}
      {workflow.state === 'future' && (
        <SearchableChecklist
          label="Replaces current steps"
          items={(baseline?.steps ?? []).map((s) => ({
            id: s.id,
            label: s.label,
            detail: laneName.get(s.lane),
          }))}
          checked={step.replaces ?? []}
          onChange={(replaces) =>
            apply(updateEdit(step.id, { replaces: replaces.length > 0 ? replaces : null }))
          }
          empty={
            baseline
              ? 'The current workflow has no steps yet.'
              : 'The current workflow this one replaces is not in this project.'
          }
        />
      )}
      <TextField
        label="Notes"
        value={step.notes ?? ''}
        multiline
        {...draft('notes')}
        onCommit={(notes) => update({ notes: notes === '' ? null : notes }, 'notes')}
      />
      {props.pageHref && <SubProcessLink workflow={workflow} step={step} pageHref={props.pageHref} />}
      <NextSteps {...props} step={step} />
      <BesideTheWork workflow={workflow} step={step} apply={apply} />
      {branchProblem && (
        <p className="field-error" role="status">
          {branchProblem} Open a flow to change its probability.
        </p>
      )}
      <button type="button" className="danger-outline" onClick={props.onRemoveSelection}>
        Remove step
      </button>
    </section>
  );
}

/**
 * For a sub-process: how many steps it holds and its inner expected time per case (what the
 * analysis counts for it), with a link that opens its page (an address of its own: Back returns).
 */
export function SubProcessLink({
  workflow,
  step,
  pageHref,
}: {
  workflow: Workflow;
  step: Step;
  pageHref: (inside: string | undefined) => string;
}) {
  const isSubProcess = useMemo(() => subProcessIds(workflow).has(step.id), [workflow, step.id]);
  const minutes = useMemo(
    () => (isSubProcess ? subProcessMinutes(workflow, computeMetrics(workflow)).get(step.id) : undefined),
    [workflow, step.id, isSubProcess],
  );
  if (!isSubProcess) return null;
  const inner = workflow.steps.filter((s) => s.within === step.id).length;
  return (
    <p className="wf-subprocess">
      A sub-process of {inner} step{inner === 1 ? '' : 's'}
      {minutes !== undefined ? `, about ${Math.round(minutes * 10) / 10} min per case inside` : ''}.{' '}
      <a href={pageHref(step.id)}>Open its steps</a>
    </p>
  );
}

/**
 * The flows leaving a step, each opening its own inspector, and a way to add one with the
 * keyboard (the canvas's handles need a mouse).
 */
function NextSteps(props: InspectorProps & { step: Step }) {
  const { workflow, step, apply, onSelect } = props;
  const [target, setTarget] = useState('');
  const selectId = useId();
  const outgoing = workflow.flows.filter((f) => f.from === step.id);
  const label = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  const candidates = workflow.steps.filter((s) => s.id !== step.id && !outgoing.some((f) => f.to === s.id));
  const chosen = candidates.some((s) => s.id === target) ? target : (candidates[0]?.id ?? '');
  return (
    <fieldset className="field">
      <legend>Next steps</legend>
      {outgoing.length === 0 ? (
        <p className="field-hint">None yet.</p>
      ) : (
        <ul className="branch-list">
          {outgoing.map((f) => (
            <li key={f.to}>
              <button
                type="button"
                className="link-button"
                onClick={() => onSelect({ steps: [], flows: [flowKey(f.from, f.to)], lane: null })}
              >
                to {label(f.to)}
              </button>
              {f.probability === undefined ? '' : ` · ${Math.round(f.probability * 1000) / 10} %`}
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <div className="chip-add">
          <label htmlFor={selectId} className="visually-hidden">
            Connect to step
          </label>
          <select id={selectId} value={chosen} onChange={(event) => setTarget(event.target.value)}>
            {candidates.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            onClick={() => apply({ type: 'flow/add', flow: { from: step.id, to: chosen, transfer: 'none' } })}
          >
            Connect
          </button>
        </div>
      )}
    </fieldset>
  );
}

/** What a flow's probability means, by the kind of step it leaves. */
function branchHint(kind: StepKind | undefined): string {
  if (kind === 'parallel-split') return 'Every branch of a parallel split is taken: no chance is needed.';
  if (kind === 'inclusive-split')
    return 'The chance that this branch is taken, on its own, e.g. 0.3. Leave empty if it always is.';
  return 'For branches leaving a decision, e.g. 0.3. Leave empty for the only way on.';
}

function updateEdit(
  id: string,
  patch: Extract<WorkflowEdit, { type: 'step/update' }>['patch'],
): WorkflowEdit {
  return { type: 'step/update', id, patch };
}

function FlowInspector(props: InspectorProps & { from: string; to: string }) {
  const { workflow, from, to, apply } = props;
  const flow = workflow.flows.find((f) => f.from === from && f.to === to);
  if (!flow) return null;
  const label = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  const key = (field: string) => `flow:${from}:${to}:${field}`;
  const draft = draftsOf(props, key);
  const problem = probabilityProblem(workflow, from);
  return (
    <section aria-labelledby="inspector-title" className="inspector-body">
      <h3 id="inspector-title">
        Flow from {label(from)} to {label(to)}
      </h3>
      <SelectField
        label="Transfer (how work and data move)"
        value={flow.transfer}
        options={FLOW_TRANSFERS.map((t) => ({ value: t, label: TRANSFER_LABEL[t] }))}
        onChange={(transfer) => apply({ type: 'flow/update', from, to, patch: { transfer } })}
      />
      <NumberField
        label="Branch probability (0 to 1)"
        value={flow.probability ?? null}
        rule={{ min: 0, max: 1, optional: true }}
        {...draft('probability')}
        onCommit={(probability) =>
          apply({ type: 'flow/update', from, to, patch: { probability } }, { coalesce: key('probability') })
        }
        hint={branchHint(workflow.steps.find((s) => s.id === from)?.kind)}
        problem={problem}
      />
      <button type="button" className="danger-outline" onClick={props.onRemoveSelection}>
        Remove flow
      </button>
    </section>
  );
}

function LaneInspector(props: InspectorProps & { laneId: string }) {
  const { workflow, laneId, apply } = props;
  const index = workflow.lanes.findIndex((l) => l.id === laneId);
  const lane = workflow.lanes[index];
  if (!lane) return null;
  const key = (field: string) => `lane:${laneId}:${field}`;
  const draft = draftsOf(props, key);
  const steps = workflow.steps.filter((s) => s.lane === laneId).length;
  return (
    <section aria-labelledby="inspector-title" className="inspector-body">
      <h3 id="inspector-title">Lane: {lane.name}</h3>
      <TextField
        label="Role name"
        value={lane.name}
        required
        {...draft('name')}
        onCommit={(name) =>
          apply({ type: 'lane/update', id: laneId, patch: { name } }, { coalesce: key('name') })
        }
      />
      <NumberField
        label="Staff on shift"
        value={lane.staff}
        rule={{ min: 0, integer: true, unit: 'people' }}
        {...draft('staff')}
        onCommit={(staff) =>
          apply({ type: 'lane/update', id: laneId, patch: { staff: staff ?? 0 } }, { coalesce: key('staff') })
        }
        hint="0 for someone who is not a staffed role (the patient, an outside lab)."
      />
      <div className="button-row">
        <button
          type="button"
          disabled={index === 0}
          onClick={() => apply({ type: 'lane/move', id: laneId, index: index - 1 })}
        >
          Move lane up
        </button>
        <button
          type="button"
          disabled={index === workflow.lanes.length - 1}
          onClick={() => apply({ type: 'lane/move', id: laneId, index: index + 1 })}
        >
          Move lane down
        </button>
      </div>
      <button type="button" className="danger-outline" onClick={props.onRemoveSelection}>
        {steps === 0 ? 'Remove lane' : `Remove lane and its ${steps} step${steps === 1 ? '' : 's'}`}
      </button>
    </section>
  );
}

function WorkflowInspector(props: InspectorProps) {
  const { workflow, project, apply, drafts, setDraft } = props;
  const key = (field: string) => `workflow:${field}`;
  const draft = draftsOf(props, key);
  const update = (patch: Extract<WorkflowEdit, { type: 'workflow/update' }>['patch'], field: string) =>
    apply({ type: 'workflow/update', patch }, { coalesce: key(field) });
  const baseline =
    workflow.state === 'future' ? project.workflows.find((w) => w.id === workflow.baseline) : undefined;
  const currentWorkflows = project.workflows.filter((w) => w.state === 'current');
  const goLive = workflow.goLive ?? { capacityFactor: 1, productivityFactor: 1 };
  return (
    // named once, by the "Workflow settings" line of the details card above it
    <section aria-label="Workflow settings" className="inspector-body">
      <p className="field-hint">Select a step, flow, message or lane on the canvas to edit it.</p>
      <TextField
        label="Name"
        value={workflow.name}
        required
        {...draft('name')}
        onCommit={(name) => update({ name }, 'name')}
      />
      <TextField
        label="Description"
        value={workflow.description ?? ''}
        multiline
        {...draft('description')}
        onCommit={(description) =>
          update({ description: description === '' ? null : description }, 'description')
        }
      />
      <NumberField
        label="Arrivals per hour at peak"
        value={workflow.arrivalsPerHour}
        rule={{ min: 0, unit: 'cases' }}
        {...draft('arrivalsPerHour')}
        onCommit={(v) => update({ arrivalsPerHour: v ?? 0 }, 'arrivalsPerHour')}
      />
      <NumberField
        label="Cases per day"
        value={workflow.casesPerDay ?? null}
        rule={{ min: 0, optional: true, unit: 'cases' }}
        {...draft('casesPerDay')}
        onCommit={(casesPerDay) => update({ casesPerDay }, 'casesPerDay')}
        hint={`Empty: ${workflow.arrivalsPerHour * 8} (arrivals per hour × 8).`}
      />
      <fieldset className="field">
        <legend>Go-live week</legend>
        <NumberField
          label="Share of bookings kept (0 to 1)"
          value={workflow.goLive?.capacityFactor ?? null}
          rule={{ min: 0, exclusiveMin: true, max: 1, optional: true }}
          {...draft('capacityFactor')}
          onCommit={(v) => update({ goLive: v === null ? null : { ...goLive, capacityFactor: v } }, 'goLive')}
          hint="e.g. 0.5 when half the usual appointments are booked."
        />
        <NumberField
          label="Staff productivity (0 to 1)"
          value={workflow.goLive?.productivityFactor ?? null}
          rule={{ min: 0, exclusiveMin: true, max: 1, optional: true }}
          {...draft('productivityFactor')}
          onCommit={(v) =>
            update({ goLive: v === null ? null : { ...goLive, productivityFactor: v } }, 'goLive')
          }
          hint="e.g. 0.7 while staff learn the new system."
        />
      </fieldset>
      {workflow.state === 'future' && (
        <>
          <SelectField
            label="Replaces the current workflow"
            value={workflow.baseline ?? ''}
            options={[
              ...(baseline ? [] : [{ value: workflow.baseline ?? '', label: 'Not in this project' }]),
              ...currentWorkflows.map((w) => ({ value: w.id, label: w.name })),
            ]}
            onChange={(id) => {
              if (id) apply({ type: 'workflow/update', patch: { baseline: id } });
            }}
          />
          <SearchableChecklist
            label="Current steps retired (deliberately removed)"
            items={(baseline?.steps ?? []).map((s) => ({ id: s.id, label: s.label }))}
            checked={workflow.retired ?? []}
            onChange={(retired) =>
              apply({ type: 'workflow/update', patch: { retired: retired.length > 0 ? retired : null } })
            }
            empty="The current workflow this one replaces is not in this project."
          />
        </>
      )}
      <PoolsAndDocuments workflow={workflow} apply={apply} drafts={drafts} setDraft={setDraft} />
    </section>
  );
}

/** The inspector for what is selected (exactly one step, flow, message or lane), else the workflow's. */
export function Inspector(props: InspectorProps) {
  const { selection, workflow } = props;
  const total = selectedCount(selection);
  if (total > 1) {
    return (
      <section aria-labelledby="inspector-title" className="inspector-body">
        <h3 id="inspector-title">{total} items selected</h3>
        <p className="field-hint">Select one step, flow or message to edit its attributes.</p>
        <button type="button" className="danger-outline" onClick={props.onRemoveSelection}>
          Remove selected
        </button>
      </section>
    );
  }
  const stepId = selection.steps[0];
  const step = stepId === undefined ? undefined : workflow.steps.find((s) => s.id === stepId);
  if (step) return <StepInspector key={step.id} {...props} step={step} />;
  const flow = selection.flows[0];
  if (flow !== undefined) {
    const { from, to } = flowEnds(flow);
    return <FlowInspector key={flow} {...props} from={from} to={to} />;
  }
  const message = selection.messages?.[0];
  if (message !== undefined) {
    const { from, to } = flowEnds(message);
    return (
      <MessageInspector
        key={message}
        workflow={workflow}
        from={from}
        to={to}
        apply={props.apply}
        drafts={props.drafts}
        setDraft={props.setDraft}
        onRemove={props.onRemoveSelection}
      />
    );
  }
  if (selection.lane) return <LaneInspector key={selection.lane} {...props} laneId={selection.lane} />;
  return <WorkflowInspector {...props} />;
}
