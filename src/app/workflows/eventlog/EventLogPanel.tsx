/**
 * The event-log page of the Workflows workspace (the one entry point): discover today's workflow
 * from a log, check a log from the new system against the planned workflow after go-live, and
 * check a workflow's capacity model against a log (the back-test). Each
 * tool is a tab with its own address.
 */
import './eventlog.css';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { Tabs } from '../../common/Tabs.tsx';
import type { DiscoverView, LogTool, MapMeasure, WorkflowsPlace } from '../../route.ts';
import { navigate, useWorkflowsHref } from '../../useWorkspaceRoute.ts';
import { ConformPanel } from './ConformPanel.tsx';
import { DiscoverPanel } from './DiscoverPanel.tsx';
import { ModelCheckPanel } from './ModelCheckPanel.tsx';

const TOOLS: { id: LogTool; label: string }[] = [
  { id: 'discover', label: "Discover today's workflow" },
  { id: 'check', label: 'Check after go-live' },
  { id: 'model', label: 'Check the capacity model' },
];

/** The place of a tool; the checks keep the workflow chosen for each. */
function toolPlace(tool: LogTool, checked: string | undefined, modelled: string | undefined): WorkflowsPlace {
  if (tool === 'check' && checked !== undefined) return { page: 'logs', tool, workflow: checked };
  if (tool === 'model' && modelled !== undefined) return { page: 'logs', tool, workflow: modelled };
  return { page: 'logs', tool };
}

/**
 * The event-log page: `tool` is the tab the address names, `checked` the planned workflow the
 * address names for the go-live check.
 */
export function EventLogPanel({
  project,
  tool,
  checked,
  modelled,
  view,
  measure,
  onWorkflowChange,
  onShowDrift,
}: {
  project: Project;
  tool: LogTool;
  /** the discovery's view and the map's measure the address names */
  view?: DiscoverView;
  measure?: MapMeasure;
  checked?: string;
  /** the workflow the address names for the capacity-model check */
  modelled?: string;
  /** adds a discovered workflow, or saves a checked one with measured chances; absent: read-only */
  onWorkflowChange?: (workflow: Workflow) => void;
  /** opens a planned workflow in the editor with the last check's drift overlay on */
  onShowDrift?: (workflowId: string) => void;
}) {
  const workflowsHref = useWorkflowsHref();
  return (
    <section className="workspace eventlog" aria-labelledby="eventlog-title">
      <p className="breadcrumb">
        <a href={workflowsHref({ page: 'list' })}>All workflows</a>
      </p>
      <h2 id="eventlog-title">Event logs: what really happens</h2>
      <Tabs
        label="Event-log tools"
        tabs={TOOLS}
        selected={tool}
        onSelect={(id, options) =>
          navigate({ workspace: 'workflows', place: toolPlace(id, checked, modelled) }, options)
        }
        hrefOf={(id) => workflowsHref(toolPlace(id, checked, modelled))}
      >
        <h3 className="visually-hidden">{TOOLS.find((t) => t.id === tool)?.label}</h3>
        {/* all stay mounted: a log chosen in one tool is still there after a look at another */}
        <div hidden={tool !== 'discover'}>
          <DiscoverPanel
            project={project}
            view={view}
            measure={measure}
            onWorkflowChange={onWorkflowChange}
          />
        </div>
        <div hidden={tool !== 'check'}>
          <ConformPanel
            project={project}
            chosen={checked}
            onChoose={(workflow) =>
              navigate({ workspace: 'workflows', place: toolPlace('check', workflow, modelled) })
            }
            onShowOnCanvas={onShowDrift}
            onWorkflowChange={onWorkflowChange}
          />
        </div>
        <div hidden={tool !== 'model'}>
          <ModelCheckPanel
            project={project}
            chosen={modelled}
            onChoose={(workflow) =>
              navigate({ workspace: 'workflows', place: toolPlace('model', checked, workflow) })
            }
            onWorkflowChange={onWorkflowChange}
          />
        </div>
      </Tabs>
    </section>
  );
}
