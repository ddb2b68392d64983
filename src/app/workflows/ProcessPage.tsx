import type { ProjectChange } from '../../core/project/changes.ts';
import { comparedPair, groupByProcess } from '../../core/workflow/index.ts';
import type { Project } from '../../formats/project.ts';
import type { ProcessTab } from '../route.ts';
import { navigate, useWorkflowsHref } from '../useWorkspaceRoute.ts';
import { ModelStanding } from './analysis/ModelStanding.tsx';
import { PairAnalysis } from './analysis/PairAnalysis.tsx';
import { Missing } from './Missing.tsx';
import { processTitle } from './processHeadline.ts';
import { WorkflowCard } from './WorkflowCard.tsx';

/**
 * The page of one process: its workflows and their analysis as tabs, the tab in the address. A
 * process this project does not have says so and offers the ones it has.
 */
export function ProcessPage({
  project,
  process,
  tab,
  dispatch,
}: {
  project: Project;
  process: string;
  tab: ProcessTab;
  dispatch?: (change: ProjectChange) => void;
}) {
  const workflowsHref = useWorkflowsHref();
  const { workflows } = project;
  const group = groupByProcess(workflows).find(([key]) => key === process)?.[1];
  if (!group) return <Missing what="process" workflows={workflows} />;
  const { current, future } = comparedPair(group);
  const title = processTitle(process);
  const names = group.map((w) => w.name).join(' · ');
  return (
    <section aria-labelledby="process-title" className="workspace">
      <p className="breadcrumb">
        <a href={workflowsHref({ page: 'list' })}>All workflows</a>
      </p>
      <h2 id="process-title">{title}</h2>
      <p className="lede">{names}</p>
      <p>
        <a href={workflowsHref({ page: 'document', process })}>Printable document of {title}</a>
      </p>
      <PairAnalysis
        key={process}
        title={title}
        current={current}
        future={future}
        tab={tab}
        onTab={(next, options) =>
          navigate({ workspace: 'workflows', place: { page: 'process', process, tab: next } }, options)
        }
        capacityHref={workflowsHref({ page: 'process', process, tab: 'capacity' })}
        modelStanding={
          current && (
            <ModelStanding
              workflow={current}
              kept={project.workflowBackTests?.find((k) => k.id === current.id)}
              href={workflowsHref({ page: 'logs', tool: 'model', workflow: current.id })}
            />
          )
        }
        map={
          <div className="card-grid process-map">
            {group.map((w) => (
              <WorkflowCard key={w.id} workflow={w} all={workflows} editable={dispatch !== undefined} />
            ))}
          </div>
        }
        projectSettings={project.meta.settings}
        onWorkflowChange={dispatch ? (workflow) => dispatch({ type: 'workflow/put', workflow }) : undefined}
        onSettingsChange={
          dispatch ? (settings) => dispatch({ type: 'project/settings', settings }) : undefined
        }
      />
    </section>
  );
}
