import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ruleTagsOf, type WorkflowAnalysis } from '../../../core/workflow/index.ts';
import { type Finding, WORKFLOW_RULES } from '../../../core/workflow/rules/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';
import { findingsSummary, SEVERITY_LABELS, SEVERITY_ORDER } from './severity.ts';

/** Which workflow's steps a finding names: `untraced-current-step` names the baseline's. */
function findingWorkflow(finding: Finding, workflow: Workflow, baseline: Workflow | undefined): Workflow {
  if (!baseline) return workflow;
  const own = new Set(workflow.steps.map((s) => s.id));
  return finding.stepIds.every((id) => own.has(id)) ? workflow : baseline;
}

/** Findings of one rule shown before "Show n more": enough to see the pattern, short enough to scan. */
const FIRST_FINDINGS_SHOWN = 3;

const titleOf = (id: string) => WORKFLOW_RULES.find((rule) => rule.id === id)?.title ?? id;

/** Steps named in one line: both of two, else the first and the last with how many there are. */
function stepsInShort(labels: readonly string[]): string {
  if (labels.length === 0) return 'The whole workflow';
  if (labels.length <= 2) return labels.join(' → ');
  return `${labels[0]} → … → ${labels[labels.length - 1]} (${labels.length} steps)`;
}

/** The checks a root cause tripped besides its leading one, by their titles. */
function OtherRules({ finding }: { finding: Finding }) {
  const others = ruleTagsOf(finding).slice(1);
  if (others.length === 0) return null;
  return <span className="finding-tags"> — also {others.map(titleOf).join(', ').toLowerCase()}</span>;
}

/** The other rules' messages of one root cause. */
function AlsoFound({ finding }: { finding: Finding }) {
  const others = (finding.parts ?? []).slice(1);
  if (others.length === 0) return null;
  return (
    <ul className="finding-also">
      {others.map((part) => (
        <li key={`${part.rule}:${part.stepIds.join(',')}`}>
          <strong>{titleOf(part.rule)}</strong> <code className="rule-id">{part.rule}</code>: {part.message}
        </li>
      ))}
    </ul>
  );
}

function RuleFindings({
  title,
  ruleId,
  findings,
  severityWord,
  workflow,
  baseline,
  onShowSteps,
  compact,
}: {
  title: string;
  ruleId: string;
  findings: Finding[];
  severityWord: string;
  workflow: Workflow;
  baseline: Workflow | undefined;
  onShowSteps: (workflowId: string, stepIds: string[]) => void;
  compact: boolean;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? findings : findings.slice(0, FIRST_FINDINGS_SHOWN);
  const hidden = findings.length - shown.length;
  return (
    <div className="finding-rule">
      <h6>
        {title} <code className="rule-id">{ruleId}</code>
        {findings.length > 1 && <span className="muted"> ({findings.length})</span>}
      </h6>
      <ul>
        {shown.map((finding) => {
          const target = findingWorkflow(finding, workflow, baseline);
          const labelOf = (id: string) => target.steps.find((s) => s.id === id)?.label ?? id;
          const show = finding.stepIds.length > 0 && (
            <button type="button" onClick={() => onShowSteps(target.id, finding.stepIds)}>
              Show {finding.stepIds.length === 1 ? 'the step' : `the ${finding.stepIds.length} steps`}
              <span className="visually-hidden">
                {' '}
                in {target.name}: {finding.stepIds.map(labelOf).join(', ')}
              </span>
            </button>
          );
          const key = `${finding.rule}:${finding.stepIds.join(',')}:${finding.message}`;
          if (compact) {
            const labels = finding.stepIds.map(labelOf);
            return (
              <li key={key} className="finding finding-compact">
                <details className="finding-why">
                  <summary>
                    <span className="visually-hidden">{severityWord}: </span>
                    {stepsInShort(labels)}
                    {target !== workflow && <span className="muted"> (in {target.name})</span>}
                    <OtherRules finding={finding} />
                  </summary>
                  <p>{finding.message}</p>
                  <AlsoFound finding={finding} />
                  {labels.length > 2 && <p className="muted">Steps: {labels.join(' → ')}</p>}
                </details>
                {show}
              </li>
            );
          }
          return (
            <li key={key} className="finding">
              <p>
                <span className="visually-hidden">{severityWord}: </span>
                {finding.message}
              </p>
              <AlsoFound finding={finding} />
              {finding.stepIds.length > 0 && (
                <p className="finding-steps">
                  {show} <span aria-hidden="true">{finding.stepIds.map(labelOf).join(' → ')}</span>
                  {target !== workflow && <span> (in {target.name})</span>}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {(hidden > 0 || all) && findings.length > FIRST_FINDINGS_SHOWN && (
        <button type="button" className="link-button" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show ${hidden} more: ${title.toLowerCase()}`}
        </button>
      )}
    </div>
  );
}

/** Findings chosen on the diagram (a finding mark): shown first, until the user goes back to all. */
export interface ChosenFindings {
  /** what they are on, in words: “Check in”, the role Front desk, the flow from A to B */
  where: string;
  findings: readonly Finding[];
  onClear: () => void;
  /** the user's choice (a new value each time a mark is chosen): focus moves here on each */
  choice: unknown;
}

function ChosenOnDiagram({ chosen }: { chosen: ChosenFindings }) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement | null>(null);
  // each choice moves focus here, so keyboard and screen reader users land on what they chose
  // biome-ignore lint/correctness/useExhaustiveDependencies: the choice is the trigger (not the findings, which follow edits)
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView?.({ block: 'nearest' });
  }, [chosen.choice]);
  return (
    <section className="finding-chosen" aria-labelledby={headingId}>
      <h5 id={headingId} ref={heading} tabIndex={-1}>
        On the diagram, {chosen.where}: {findingsSummary(chosen.findings)}
      </h5>
      <ul>
        {chosen.findings.map((finding) => (
          <li key={`${finding.rule}:${finding.stepIds.join(',')}:${finding.message}`}>
            <span aria-hidden="true">{SEVERITY_LABELS[finding.severity].symbol}</span>{' '}
            <strong>
              {SEVERITY_LABELS[finding.severity].one}, {titleOf(finding.rule).toLowerCase()}:
            </strong>{' '}
            <span className="finding-message">{finding.message}</span>
          </li>
        ))}
      </ul>
      <button type="button" onClick={chosen.onClear}>
        Back to all findings
      </button>
    </section>
  );
}

/** The lanes (by name) a finding's steps are in, in the workflow its steps belong to. */
function lanesOf(finding: Finding, target: Workflow): Set<string> {
  const names = new Set<string>();
  for (const id of finding.stepIds) {
    const step = target.steps.find((s) => s.id === id);
    const lane = step && target.lanes.find((l) => l.id === step.lane);
    if (lane) names.add(lane.name);
  }
  return names;
}

const ALL = '';

/** A cause outside the diagram's own logic and the findings that follow from it (told first). */
export interface CauseOfFindings {
  id: string;
  /** the cause in one line: `Tomás Ruiz removed “Triage”; 3 flows of yours pointed to it` */
  says: string;
  findings: readonly Finding[];
}

/** Each cause as one item, first, with the findings that follow from it folded under it. */
function Causes({
  causes,
  workflow,
  onShowSteps,
}: {
  causes: readonly CauseOfFindings[];
  workflow: Workflow;
  onShowSteps: (workflowId: string, stepIds: string[]) => void;
}) {
  const labelOf = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
  return (
    <div className="finding-group finding-causes">
      <h5>Caused by a change made at the same time as another</h5>
      <ul>
        {causes.map((cause) => (
          <li key={cause.id} className="finding">
            <p>
              <strong>{cause.says}.</strong>
            </p>
            <details>
              <summary>
                {cause.findings.length === 1
                  ? 'One finding follows from it'
                  : `${cause.findings.length} findings follow from it`}
              </summary>
              <ul>
                {cause.findings.map((finding) => (
                  <li key={`${finding.rule}:${finding.stepIds.join(',')}:${finding.message}`}>
                    <span className="visually-hidden">{SEVERITY_LABELS[finding.severity].one}: </span>
                    {finding.message}{' '}
                    {finding.stepIds.length > 0 && (
                      <button type="button" onClick={() => onShowSteps(workflow.id, finding.stepIds)}>
                        Show{' '}
                        {finding.stepIds.length === 1 ? 'the step' : `the ${finding.stepIds.length} steps`}
                        <span className="visually-hidden">: {finding.stepIds.map(labelOf).join(', ')}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The findings of one workflow — one per root cause, each carrying every rule it tripped —
 * grouped by severity and then by leading rule (in the rule table's order), each with the steps
 * it names as buttons that take the user to those steps. `compact` (the process page) lists each
 * finding as its steps with the reasons folded away, with filters by check and by role, so the
 * list is a tool to work through rather than a document to scroll.
 */
export function FindingsPanel({
  workflow,
  baseline,
  analysis,
  onShowSteps,
  chosen,
  causes = [],
  compact = false,
}: {
  workflow: Workflow;
  baseline: Workflow | undefined;
  analysis: WorkflowAnalysis;
  onShowSteps: (workflowId: string, stepIds: string[]) => void;
  /** findings chosen on the diagram, shown first */
  chosen?: ChosenFindings | null;
  /**
   * causes outside the diagram's logic (someone removed a step another person was connecting
   * to): each told first, as one item with the findings that follow from it under it, and those
   * findings left out of the groups below
   */
  causes?: readonly CauseOfFindings[];
  /** the process page's form: steps per finding, reasons folded, filters */
  compact?: boolean;
}) {
  const headingId = useId();
  const { findings } = analysis;
  const [ruleFilter, setRuleFilter] = useState(ALL);
  const [laneFilter, setLaneFilter] = useState(ALL);
  const lanesByFinding = useMemo(
    () => new Map(findings.map((f) => [f, lanesOf(f, findingWorkflow(f, workflow, baseline))] as const)),
    [findings, workflow, baseline],
  );
  const ruleOptions = WORKFLOW_RULES.filter((rule) => findings.some((f) => ruleTagsOf(f).includes(rule.id)));
  const laneOptions = [...new Set([...lanesByFinding.values()].flatMap((names) => [...names]))];
  // a filter whose choice no longer exists (edits, the other workflow) shows everything
  const rule = ruleOptions.some((r) => r.id === ruleFilter) ? ruleFilter : ALL;
  const lane = laneOptions.includes(laneFilter) ? laneFilter : ALL;
  const listed = compact
    ? findings.filter(
        (f) =>
          (rule === ALL || ruleTagsOf(f).includes(rule)) &&
          (lane === ALL || lanesByFinding.get(f)?.has(lane) === true),
      )
    : findings;
  const filtered = listed.length !== findings.length;
  const caused = new Set(causes.flatMap((cause) => cause.findings));
  const shownCauses = causes.filter((cause) => cause.findings.some((f) => listed.includes(f)));
  return (
    <section className="findings" aria-labelledby={headingId}>
      <h4 id={headingId}>
        What Preflight found in {workflow.name}: {findingsSummary(findings)}
        {findings.length > 0 && <span className="muted"> (one finding per root cause)</span>}
      </h4>
      {!analysis.metrics.ok && <p className="error">{analysis.metrics.problem.message}</p>}
      {chosen && <ChosenOnDiagram chosen={chosen} />}
      {compact && findings.length > 0 && (
        <fieldset className="finding-filters">
          <legend className="visually-hidden">Filter the findings</legend>
          <label>
            Check{' '}
            <select value={rule} onChange={(e) => setRuleFilter(e.target.value)}>
              <option value={ALL}>All checks</option>
              {ruleOptions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title} ({findings.filter((f) => ruleTagsOf(f).includes(r.id)).length})
                </option>
              ))}
            </select>
          </label>
          <label>
            Role{' '}
            <select value={lane} onChange={(e) => setLaneFilter(e.target.value)}>
              <option value={ALL}>All roles</option>
              {laneOptions.map((name) => (
                <option key={name} value={name}>
                  {name} ({findings.filter((f) => lanesByFinding.get(f)?.has(name)).length})
                </option>
              ))}
            </select>
          </label>
          <output aria-live="polite">
            {filtered ? `Showing ${listed.length} of ${plural(findings.length, 'finding')}` : ''}
          </output>
        </fieldset>
      )}
      {shownCauses.length > 0 && (
        <Causes causes={shownCauses} workflow={workflow} onShowSteps={onShowSteps} />
      )}
      {SEVERITY_ORDER.map((severity) => {
        const ofSeverity = listed.filter((f) => f.severity === severity && !caused.has(f));
        if (ofSeverity.length === 0) return null;
        const label = SEVERITY_LABELS[severity];
        return (
          <div key={severity} className={`finding-group finding-${severity}`}>
            <h5>
              <span aria-hidden="true">{label.symbol}</span> {label.many} ({ofSeverity.length})
            </h5>
            {WORKFLOW_RULES.filter((r) => ofSeverity.some((f) => f.rule === r.id)).map((r) => (
              <RuleFindings
                key={r.id}
                title={r.title}
                ruleId={r.id}
                findings={ofSeverity.filter((f) => f.rule === r.id)}
                severityWord={label.one}
                workflow={workflow}
                baseline={baseline}
                onShowSteps={onShowSteps}
                compact={compact}
              />
            ))}
          </div>
        );
      })}
      <details className="rule-legend">
        <summary>What each check looks for</summary>
        <dl>
          {WORKFLOW_RULES.map((rule) => (
            <div key={rule.id}>
              <dt>
                {rule.title} <code className="rule-id">{rule.id}</code> —{' '}
                {rule.severity === 'off' ? 'off' : SEVERITY_LABELS[rule.severity].one.toLowerCase()} by
                default
              </dt>
              <dd>{rule.describe}</dd>
            </div>
          ))}
        </dl>
      </details>
    </section>
  );
}
