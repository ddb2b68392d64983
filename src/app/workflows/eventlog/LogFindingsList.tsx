/**
 * "What the log shows": the findings only a log can give (the longest waits, steps done again,
 * work bounced between two roles), each with the log's figures, right above the process map of a
 * discovery. The same rules run in the analysis of the workflow once it is added to the project;
 * the project's settings (thresholds, severities) apply here too.
 */
import { useId, useMemo } from 'react';
import { LOG_RULES, logFindings, resolveProjectAnalysisSettings } from '../../../core/workflow/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { SEVERITY_LABELS } from '../analysis/severity.ts';

export function LogFindingsList({
  workflow,
  projectSettings,
}: {
  workflow: Workflow;
  projectSettings: Readonly<Record<string, unknown>>;
}) {
  const headingId = useId();
  const findings = useMemo(
    () => logFindings(workflow, undefined, resolveProjectAnalysisSettings(projectSettings).settings),
    [workflow, projectSettings],
  );
  const titleOf = (rule: string) => LOG_RULES.find((r) => r.id === rule)?.title ?? rule;
  return (
    <section className="log-findings" aria-labelledby={headingId}>
      <h5 id={headingId}>What the log shows</h5>
      {findings.length === 0 ? (
        <p>No long waits, steps done again or work bounced between roles above the project's thresholds.</p>
      ) : (
        <ul>
          {findings.map((f) => (
            <li key={`${f.rule}:${f.stepIds.join(',')}:${f.message}`} className={`finding-${f.severity}`}>
              <strong>
                <span aria-hidden="true">{SEVERITY_LABELS[f.severity].symbol} </span>
                {SEVERITY_LABELS[f.severity].one}: {titleOf(f.rule)}.
              </strong>{' '}
              {f.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
