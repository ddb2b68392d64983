/**
 * Under a failing issue: what depends on its data — the steps that type or read it, the role of
 * each, the cases an hour through it and the role's training — from `usedBy` (src/core/trace),
 * each step with a link to its workflow in the editor, where the step shows the failing data too.
 * Names of steps and roles only, never data values.
 */
import { usedByLine } from '../../core/trace/index.ts';
import type { ReportUsedBy } from '../../formats/report.ts';
import { formatCount } from '../common/format.ts';
import { useWorkflowsHref } from '../useWorkspaceRoute.ts';

/** At most this many steps are named; the line above counts them all. */
const STEPS_SHOWN = 5;

const cases = (n: number) => `${n.toLocaleString('en-US')} cases/h`;

/** The `usedBy` lines of one issue; nothing when nothing depends on it. */
export function UsedBy({ usedBy, where }: { usedBy: readonly ReportUsedBy[] | undefined; where: string }) {
  const workflowsHref = useWorkflowsHref();
  if (!usedBy || usedBy.length === 0) return null;
  const shown = usedBy.slice(0, STEPS_SHOWN);
  return (
    <div className="issue-used-by" data-testid="issue-used-by">
      <p>{usedByLine(usedBy)}</p>
      <ul aria-label={`Steps that use ${where}`}>
        {shown.map((u) => (
          <li key={`${u.workflow}|${u.step}`}>
            {u.stepLabel} ({u.workflowName ?? u.workflow}) — {u.role}, {cases(u.casesPerHour)}
            {u.trained
              ? `, ${formatCount(u.trained.trained)} of ${formatCount(u.trained.staff)} trained`
              : ''}{' '}
            · <span className="hint">{u.item}</span> ·{' '}
            <a href={workflowsHref({ page: 'editor', workflow: u.workflow, step: u.step })}>
              Open the step <span className="visually-hidden">“{u.stepLabel}” in the workflow editor</span>
            </a>
          </li>
        ))}
        {usedBy.length > shown.length && <li>and {formatCount(usedBy.length - shown.length)} more</li>}
      </ul>
    </div>
  );
}
