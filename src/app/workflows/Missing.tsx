import { groupByProcess } from '../../core/workflow/index.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { useWorkflowsHref } from '../useWorkspaceRoute.ts';
import { processTitle } from './processHeadline.ts';

/**
 * Shown for an address of a workflow or process this project does not have (deleted, renamed, or a
 * link from another project): says so, and offers the processes there are.
 */
export function Missing({
  what,
  workflows,
}: {
  /** "workflow" or "process" */
  what: 'workflow' | 'process';
  workflows: readonly Workflow[];
}) {
  const workflowsHref = useWorkflowsHref();
  const processes = groupByProcess(workflows).map(([key]) => ({ key, title: processTitle(key) }));
  return (
    <section aria-labelledby="missing-title" className="workspace">
      <h2 id="missing-title">This {what} is not in the open project</h2>
      <p className="lede">
        The address names a {what} this project does not have. It may have been deleted, or the link may come
        from another project. Nothing was changed.
      </p>
      <p>
        <a href={workflowsHref({ page: 'list' })}>All workflows of this project</a>
      </p>
      {processes.length > 0 && (
        <ul className="link-list" aria-label="Processes in this project">
          {processes.map((p) => (
            <li key={p.key}>
              <a href={workflowsHref({ page: 'process', process: p.key, tab: 'map' })}>{p.title}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
