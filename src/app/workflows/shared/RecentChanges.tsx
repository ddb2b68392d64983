/**
 * The latest changes to a shared workflow, everyone's, in the server's order, folded under the
 * editor's title. When two people set one field at once, the later in the server's order is
 * what the workflow shows; both are listed here, so the earlier is seen, not silently lost.
 */
import type { ServerChange } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { changeWords } from './changeWords.ts';

export function RecentChanges({
  changes,
  workflow,
}: {
  changes: readonly ServerChange[];
  workflow: Workflow;
}) {
  return (
    <details className="shared-changes">
      <summary>Recent changes ({changes.length})</summary>
      {changes.length === 0 ? (
        <p>No change has been made since this workflow was shared.</p>
      ) : (
        <ol aria-label="Recent changes, latest last">
          {changes.map((change) => (
            <li key={change.seq} value={change.seq}>
              {changeWords(change, workflow)}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
