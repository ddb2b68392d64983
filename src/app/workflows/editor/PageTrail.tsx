/**
 * The trail from a workflow's own page down to the sub-process whose page is open: each entry a
 * link to its page (an address of its own, so Back returns), the open one marked current.
 */
import type { PageTrailEntry } from '../../../core/workflow/index.ts';

export function PageTrail({
  workflowName,
  trail,
  pageHref,
}: {
  workflowName: string;
  trail: readonly PageTrailEntry[];
  pageHref: (inside: string | undefined) => string;
}) {
  if (trail.length === 0) return null;
  return (
    <nav aria-label="Sub-process" className="wf-trail">
      <ol>
        <li>
          <a href={pageHref(undefined)}>{workflowName}</a>
        </li>
        {trail.map((entry, index) => (
          <li key={entry.id}>
            {index === trail.length - 1 ? (
              <span aria-current="page">{entry.label}</span>
            ) : (
              <a href={pageHref(entry.id)}>{entry.label}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
