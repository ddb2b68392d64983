/**
 * The cutover runbook and the go-live command centre (docs/product.md#readiness): the runbook as
 * one compact table — each step's kind, what is done, owner, planned local time, the step it
 * waits for and its status, with what is wrong with it beside it — and the command centre's place,
 * hours, escalation tree and triage categories. Kept in the project's settings as typed, so they
 * survive a reload and travel with an export; the Go-live phase judges them (core cutover.ts).
 */
import { useId } from 'react';
import {
  type CutoverSummary,
  RUNBOOK_STATE_WORDS,
  STEP_KIND_WORDS,
  STEP_STATUS_WORDS,
} from '../../core/readiness/index.ts';
import { localDay } from '../../core/validation/index.ts';
import {
  type CommandCentre,
  CUTOVER_STEP_KINDS,
  CUTOVER_STEP_STATUSES,
  type CutoverRunbook,
  type CutoverStep,
  type LoggedIssue,
  PROJECT_COMMAND_CENTRE_KEY,
  PROJECT_CUTOVER_RUNBOOK_KEY,
} from '../../formats/cutover.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import {
  AddNewRowButton,
  AddRowButton,
  DateCell,
  DateInput,
  RecordTable,
  RemoveCell,
  TextCell,
  TextInput,
} from './RecordTable.tsx';
import { put, replaceAt, withNewRow, withRow } from './recordEdits.ts';
import { capital, WordSelectCell } from './WordSelect.tsx';

/** A comma-separated list as typed, committed when the field is left (so a comma can be typed). */
function ListField({
  label,
  value,
  onCommit,
  disabled,
}: {
  label: string;
  value: readonly string[];
  onCommit: (items: string[]) => void;
  disabled: boolean;
}) {
  const joined = value.join(', ');
  return (
    <input
      aria-label={label}
      key={joined}
      defaultValue={joined}
      disabled={disabled}
      autoComplete="off"
      onBlur={(e) => {
        const items = e.currentTarget.value
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '');
        if (items.join(', ') !== joined) onCommit(items);
      }}
    />
  );
}

function RunbookTable({
  runbook,
  summary,
  onChange,
}: {
  runbook: CutoverRunbook | null;
  summary: CutoverSummary['runbook'];
  onChange?: ((runbook: CutoverRunbook) => void) | undefined;
}) {
  const id = useId();
  const steps = runbook?.steps ?? [];
  const problems = new Map((summary?.steps ?? []).map((s) => [s.id, s.problems]));
  const save = (next: CutoverStep[]) => onChange?.({ steps: next });
  const change = (index: number, step: CutoverStep) => save(replaceAt(steps, index, () => step));
  const add = () =>
    save(
      withNewRow(steps, 'step', (id) => ({
        id,
        kind: 'other',
        title: `Step ${steps.length + 1}`,
        status: 'planned',
        ...(steps.length > 0 ? { after: [steps[steps.length - 1]?.id as string] } : {}),
      })),
    );
  return (
    <section className="card cutover-runbook" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h3 id={`${id}-title`}>Cutover runbook</h3>
        <span className={`badge runbook-${summary?.state ?? 'none'}`} data-testid="runbook-state">
          {summary ? capital(RUNBOOK_STATE_WORDS[summary.state]) : 'Not recorded'}
        </span>
      </div>
      <p className="hint">
        From the data freeze to the last go/no-go checkpoint: each step with its owner, its planned time (the
        clinic's clock) and the step it waits for. The reconciliation sign-off is checked against the
        migration runs and the clinicians' sign-off.
      </p>
      {summary && summary.missing.length > 0 && (
        <p className="fail">Still missing: {summary.missing.map((k) => STEP_KIND_WORDS[k]).join(', ')}.</p>
      )}
      <ConflictBeside kind="readiness-record" id={PROJECT_CUTOVER_RUNBOOK_KEY} what="cutover runbook" />
      {steps.length > 0 && (
        <RecordTable
          className="cutover-steps"
          heads={['Step', 'Kind', 'Owner', 'Planned', 'After', 'Status']}
          removable
        >
          {steps.map((step, index) => {
            const wrong = problems.get(step.id) ?? [];
            const n = index + 1;
            return (
              <tr key={step.id} className={wrong.length > 0 ? 'cutover-wanting' : undefined}>
                <TextCell
                  label={`Step ${n}: what is done`}
                  value={step.title}
                  disabled={!onChange}
                  onText={(title) => change(index, { ...step, title })}
                >
                  {wrong.length > 0 && <p className="cutover-problems">{capital(wrong.join('; '))}.</p>}
                </TextCell>
                <WordSelectCell
                  label={`Step ${n}: kind`}
                  value={step.kind}
                  values={CUTOVER_STEP_KINDS}
                  words={STEP_KIND_WORDS}
                  disabled={!onChange}
                  onChange={(kind) => change(index, { ...step, kind })}
                />
                <TextCell
                  label={`Step ${n}: owner`}
                  value={step.owner ?? ''}
                  disabled={!onChange}
                  onText={(owner) => change(index, put(step, 'owner', owner))}
                />
                <DateCell
                  label={`Step ${n}: planned time`}
                  withTime
                  value={step.plannedAt ?? ''}
                  disabled={!onChange}
                  onDate={(plannedAt) => change(index, put(step, 'plannedAt', plannedAt))}
                />
                <td>
                  <select
                    aria-label={`Step ${n}: waits for`}
                    value={step.after?.[0] ?? ''}
                    disabled={!onChange}
                    onChange={(e) =>
                      change(index, put(step, 'after', e.currentTarget.value ? [e.currentTarget.value] : []))
                    }
                  >
                    <option value="">Nothing</option>
                    {steps
                      .filter((s) => s.id !== step.id)
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.title}
                        </option>
                      ))}
                  </select>
                </td>
                <WordSelectCell
                  label={`Step ${n}: status`}
                  value={step.status}
                  values={CUTOVER_STEP_STATUSES}
                  words={STEP_STATUS_WORDS}
                  disabled={!onChange}
                  onChange={(status) => change(index, { ...step, status })}
                />
                <RemoveCell
                  label={`Remove step ${n}`}
                  onRemove={
                    onChange &&
                    (() =>
                      save(
                        steps
                          .filter((s) => s.id !== step.id)
                          .map((s) =>
                            put(
                              s,
                              'after',
                              (s.after ?? []).filter((a) => a !== step.id),
                            ),
                          ),
                      ))
                  }
                />
              </tr>
            );
          })}
        </RecordTable>
      )}
      {summary && (
        <details className="cutover-reconciliation">
          <summary>What the reconciliation sign-off rests on</summary>
          <ul>
            {summary.reconciliation.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      )}
      <AddRowButton onAdd={onChange && add}>Add a step</AddRowButton>
    </section>
  );
}

function CommandCentreForm({
  centre,
  summary,
  onChange,
}: {
  centre: CommandCentre | null;
  summary: CutoverSummary['commandCentre'];
  onChange?: ((centre: CommandCentre) => void) | undefined;
}) {
  const id = useId();
  const current: CommandCentre = centre ?? { escalation: [], triage: [] };
  const save = (next: CommandCentre) => onChange?.(next);
  const text = (key: 'location' | 'hours', value: string) => {
    const { [key]: _old, ...rest } = current;
    save(value.trim() === '' ? rest : { ...rest, [key]: value });
  };
  return (
    <section className="card command-centre" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h3 id={`${id}-title`}>Command centre</h3>
        <span className={`badge centre-${summary?.state ?? 'none'}`} data-testid="command-centre-state">
          {summary ? (summary.state === 'ready' ? 'Ready' : 'Incomplete') : 'Not recorded'}
        </span>
      </div>
      {summary && summary.missing.length > 0 && (
        <p className="fail">Still to record: {summary.missing.join('; ')}.</p>
      )}
      <ConflictBeside kind="readiness-record" id={PROJECT_COMMAND_CENTRE_KEY} what="command centre" />
      <div className="command-centre-fields">
        <label htmlFor={`${id}-location`}>Where it sits</label>
        <input
          id={`${id}-location`}
          value={current.location ?? ''}
          disabled={!onChange}
          autoComplete="off"
          placeholder="A room, a call bridge"
          onChange={(e) => text('location', e.currentTarget.value)}
        />
        <label htmlFor={`${id}-hours`}>Hours</label>
        <input
          id={`${id}-hours`}
          value={current.hours ?? ''}
          disabled={!onChange}
          autoComplete="off"
          placeholder="07:00–19:00, go-live week"
          onChange={(e) => text('hours', e.currentTarget.value)}
        />
      </div>
      <h4>Escalation tree</h4>
      <ol className="escalation" aria-label="Escalation tree">
        {current.escalation.map((e, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the index is their identity
          <li key={index}>
            <TextInput
              label={`Escalation level ${index + 1}: role`}
              value={e.role}
              disabled={!onChange}
              onText={(role) => save(withRow(current, 'escalation', index, (x) => ({ ...x, role })))}
            />
            <ListField
              label={`Escalation level ${index + 1}: people, first to call first`}
              value={e.people}
              disabled={!onChange}
              onCommit={(people) => save(withRow(current, 'escalation', index, (x) => ({ ...x, people })))}
            />
          </li>
        ))}
      </ol>
      <AddRowButton
        onAdd={
          onChange &&
          (() =>
            save({
              ...current,
              escalation: [
                ...current.escalation,
                { role: `Level ${current.escalation.length + 1}`, people: [] },
              ],
            }))
        }
      >
        Add a level
      </AddRowButton>
      <h4>Triage categories</h4>
      <ul className="triage" aria-label="Triage categories">
        {current.triage.map((t, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the index is their identity
          <li key={index}>
            <TextInput
              label={`Triage category ${index + 1}: name`}
              value={t.name}
              disabled={!onChange}
              onText={(name) => save(withRow(current, 'triage', index, (x) => ({ ...x, name })))}
            />
            <TextInput
              label={`Triage category ${index + 1}: response time`}
              value={t.response ?? ''}
              disabled={!onChange}
              placeholder="15 minutes"
              onText={(response) =>
                save(withRow(current, 'triage', index, (x) => put(x, 'response', response)))
              }
            />
          </li>
        ))}
      </ul>
      <AddRowButton
        onAdd={
          onChange &&
          (() =>
            save({
              ...current,
              triage: [...current.triage, { name: `Category ${current.triage.length + 1}` }],
            }))
        }
      >
        Add a category
      </AddRowButton>
      <IssueLog centre={current} onChange={onChange ? save : undefined} />
    </section>
  );
}

/**
 * The issue log after go-live: each issue's day, triage category, title and whether it is open,
 * with the counts by day the Go-live phase judges. Titles in the clinic's words, never patient data.
 */
function IssueLog({
  centre,
  onChange,
}: {
  centre: CommandCentre;
  onChange?: ((centre: CommandCentre) => void) | undefined;
}) {
  const issues = centre.issues ?? [];
  const categories = centre.triage.map((t) => t.name);
  const save = (next: LoggedIssue[]) => onChange?.({ ...centre, issues: next });
  const change = (index: number, issue: LoggedIssue) => save(replaceAt(issues, index, () => issue));
  const byDay = new Map<string, number>();
  for (const i of issues) byDay.set(i.day, (byDay.get(i.day) ?? 0) + 1);
  return (
    <>
      <h4>Issue log after go-live</h4>
      {issues.length === 0 ? (
        <p className="hint">No issue logged yet.</p>
      ) : (
        <p data-testid="issue-counts">
          By day:{' '}
          {[...byDay.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([d, n]) => `${d}: ${n}`)
            .join(' · ')}
          ; {issues.filter((i) => i.status === 'open').length} open.
        </p>
      )}
      <ul className="issue-log" aria-label="Issue log">
        {issues.map((issue, index) => (
          <li key={issue.id}>
            <DateInput
              label={`Issue ${index + 1}: day`}
              value={issue.day}
              disabled={!onChange}
              onDate={(day) => day && change(index, { ...issue, day })}
            />
            <select
              aria-label={`Issue ${index + 1}: category`}
              value={issue.category}
              disabled={!onChange}
              onChange={(e) => change(index, { ...issue, category: e.currentTarget.value })}
            >
              {[...new Set([...categories, issue.category])].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <TextInput
              label={`Issue ${index + 1}: what happened`}
              value={issue.title}
              disabled={!onChange}
              onText={(title) => change(index, { ...issue, title })}
            />
            <label>
              <input
                type="checkbox"
                checked={issue.status === 'open'}
                disabled={!onChange}
                onChange={(e) =>
                  change(index, { ...issue, status: e.currentTarget.checked ? 'open' : 'closed' })
                }
              />{' '}
              Open
            </label>
          </li>
        ))}
      </ul>
      <AddNewRowButton
        rows={issues}
        prefix="issue"
        make={(id): LoggedIssue => ({
          id,
          day: issues.at(-1)?.day ?? localDay(new Date()),
          category: categories[0] as string,
          title: `Issue ${issues.length + 1}`,
          status: 'open',
        })}
        onSave={onChange && categories.length > 0 ? save : undefined}
      >
        Log an issue
      </AddNewRowButton>
    </>
  );
}

/** The runbook and the command centre. Without the `on…` callbacks they are shown only. */
export function CutoverPanel({
  runbook,
  centre,
  summary,
  onRunbook,
  onCentre,
}: {
  runbook: CutoverRunbook | null;
  centre: CommandCentre | null;
  /** the result's `cutover`: each as judged */
  summary: CutoverSummary;
  onRunbook?: (runbook: CutoverRunbook) => void;
  onCentre?: (centre: CommandCentre) => void;
}) {
  return (
    <div className="cutover" id="cutover" tabIndex={-1}>
      <RunbookTable runbook={runbook} summary={summary.runbook} onChange={onRunbook} />
      <CommandCentreForm centre={centre} summary={summary.commandCentre} onChange={onCentre} />
    </div>
  );
}
