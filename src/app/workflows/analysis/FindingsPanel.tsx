import { useEffect, useId, useRef, useState } from 'react';
import type { WorkflowAnalysis } from '../../../core/workflow/analyze.ts';
import { WORKFLOW_RULES } from '../../../core/workflow/rules/index.ts';
import type { Finding } from '../../../core/workflow/rules/types.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { findingsSummary, SEVERITY_LABELS, SEVERITY_ORDER } from './severity.ts';

/** Which workflow's steps a finding names: `untraced-current-step` names the baseline's. */
function findingWorkflow(finding: Finding, workflow: Workflow, baseline: Workflow | undefined): Workflow {
  if (!baseline) return workflow;
  const own = new Set(workflow.steps.map((s) => s.id));
  return finding.stepIds.every((id) => own.has(id)) ? workflow : baseline;
}

/** Findings of one rule shown before "Show n more": enough to see the pattern, short enough to scan. */
const FIRST_FINDINGS_SHOWN = 3;

function RuleFindings({
  title,
  ruleId,
  findings,
  severityWord,
  workflow,
  baseline,
  onShowSteps,
}: {
  title: string;
  ruleId: string;
  findings: Finding[];
  severityWord: string;
  workflow: Workflow;
  baseline: Workflow | undefined;
  onShowSteps: (workflowId: string, stepIds: string[]) => void;
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
          return (
            <li key={`${finding.rule}:${finding.stepIds.join(',')}:${finding.message}`} className="finding">
              <p>
                <span className="visually-hidden">{severityWord}: </span>
                {finding.message}
              </p>
              {finding.stepIds.length > 0 && (
                <p className="finding-steps">
                  <button type="button" onClick={() => onShowSteps(target.id, finding.stepIds)}>
                    Show {finding.stepIds.length === 1 ? 'the step' : `the ${finding.stepIds.length} steps`}
                    <span className="visually-hidden">
                      {' '}
                      in {target.name}: {finding.stepIds.map(labelOf).join(', ')}
                    </span>
                  </button>{' '}
                  <span aria-hidden="true">{finding.stepIds.map(labelOf).join(' → ')}</span>
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
  const titleOf = (id: string) => WORKFLOW_RULES.find((rule) => rule.id === id)?.title ?? id;
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

/**
 * The findings of one workflow, grouped by severity and then by rule (in the rule table's order),
 * each with its message and the steps it names as buttons that take the user to those steps.
 */
export function FindingsPanel({
  workflow,
  baseline,
  analysis,
  onShowSteps,
  chosen,
}: {
  workflow: Workflow;
  baseline: Workflow | undefined;
  analysis: WorkflowAnalysis;
  onShowSteps: (workflowId: string, stepIds: string[]) => void;
  /** findings chosen on the diagram, shown first */
  chosen?: ChosenFindings | null;
}) {
  const headingId = useId();
  const { findings } = analysis;
  return (
    <section className="findings" aria-labelledby={headingId}>
      <h4 id={headingId}>
        What Preflight found in {workflow.name}: {findingsSummary(findings)}
      </h4>
      {!analysis.metrics.ok && <p className="error">{analysis.metrics.problem.message}</p>}
      {chosen && <ChosenOnDiagram chosen={chosen} />}
      {SEVERITY_ORDER.map((severity) => {
        const ofSeverity = findings.filter((f) => f.severity === severity);
        if (ofSeverity.length === 0) return null;
        const label = SEVERITY_LABELS[severity];
        return (
          <div key={severity} className={`finding-group finding-${severity}`}>
            <h5>
              <span aria-hidden="true">{label.symbol}</span> {label.many} ({ofSeverity.length})
            </h5>
            {WORKFLOW_RULES.filter((rule) => ofSeverity.some((f) => f.rule === rule.id)).map((rule) => (
              <RuleFindings
                key={rule.id}
                title={rule.title}
                ruleId={rule.id}
                findings={ofSeverity.filter((f) => f.rule === rule.id)}
                severityWord={label.one}
                workflow={workflow}
                baseline={baseline}
                onShowSteps={onShowSteps}
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
