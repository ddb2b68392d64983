import { useMemo } from 'react';
import type { StepKind, Workflow } from '../../formats/workflow.ts';
import { formatCount, plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import { useWorkflowsHref } from '../useWorkspaceRoute.ts';
import { layoutCanvas } from './editor/canvasModel.ts';
import { useDiagramRoutes } from './editor/diagramRoutes.ts';
import { diagramSvg, flowsDescription, plainFlows } from './editor/exportDiagram.ts';
import { ROUTE_ON_OPEN_MAX_STEPS } from './editor/flowRoutes.ts';

const KIND_ORDER: StepKind[] = [
  'task',
  'decision',
  'approval',
  'wait',
  'parallel-split',
  'parallel-join',
  'inclusive-split',
  'inclusive-join',
  'start',
  'end',
];

function stepCounts(workflow: Workflow): string {
  const counts = new Map<StepKind, number>();
  for (const step of workflow.steps) counts.set(step.kind, (counts.get(step.kind) ?? 0) + 1);
  return KIND_ORDER.filter((k) => counts.has(k))
    .map((k) => plural(counts.get(k) ?? 0, k.replace('-', ' ')))
    .join(', ');
}

/**
 * The link that opens `workflow` in the editor. `data-open-workflow` lets the workspace put focus
 * back on it when the editor closes.
 */
export function OpenInEditor({ workflow }: { workflow: Workflow }) {
  const workflowsHref = useWorkflowsHref();
  return (
    <a
      className="button-link"
      href={workflowsHref({ page: 'editor', workflow: workflow.id })}
      data-open-workflow={workflow.id}
    >
      Open in editor<span className="visually-hidden">: {workflow.name}</span>
    </a>
  );
}

/**
 * The workflow's diagram as a picture: the same drawing as the SVG export, at its natural size
 * (labels stay readable; a wide diagram scrolls sideways), its flows routed as the canvas routes
 * them on opening (up to ROUTE_ON_OPEN_MAX_STEPS steps; a larger one's flows are drawn plainly, as
 * on the canvas until it is arranged). The editor is where it is changed.
 */
function DiagramPicture({ workflow }: { workflow: Workflow }) {
  const layout = useMemo(() => layoutCanvas(workflow), [workflow]);
  const { routes, pending } = useDiagramRoutes(
    workflow,
    layout,
    workflow.steps.length <= ROUTE_ON_OPEN_MAX_STEPS,
  );
  const src = useMemo(
    () =>
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(diagramSvg(workflow, layout, 'off', undefined, routes))}`,
    [workflow, layout, routes],
  );
  const { drawn, plain } = plainFlows(workflow, layout, routes);
  const lanes = plural(workflow.lanes.length, 'lane');
  return (
    <TableScroll label={`Map of ${workflow.name}`}>
      <img
        className="wf-map-picture"
        src={src}
        data-flow-routes={pending ? 'pending' : 'current'}
        alt={`Diagram of ${workflow.name}: ${plural(workflow.steps.length, 'step')} in ${lanes}. ${
          pending ? '' : `${flowsDescription(drawn, plain, routes !== undefined)} `
        }The steps are listed under Findings; open the editor to change them.`}
      />
    </TableScroll>
  );
}

/** One workflow of a process page's Map tab: its diagram, what it is made of, who does it, and a way into the editor. */
export function WorkflowCard({
  workflow,
  all,
  editable,
}: {
  workflow: Workflow;
  all: readonly Workflow[];
  /** offer "Open in editor" (the project can be changed) */
  editable: boolean;
}) {
  const baseline = workflow.baseline ? all.find((w) => w.id === workflow.baseline) : undefined;
  const paperSteps = workflow.steps.filter((s) => s.medium !== 'digital').length;
  return (
    <article className="card" aria-labelledby={`wf-${workflow.id}`}>
      <header className="card-header">
        <h4 id={`wf-${workflow.id}`}>{workflow.name}</h4>
        <span className={`badge badge-${workflow.state}`}>
          {workflow.state === 'current' ? 'Current' : 'Future'}
        </span>
      </header>
      {editable && (
        <p>
          <OpenInEditor workflow={workflow} />
        </p>
      )}
      {workflow.description && <p>{workflow.description}</p>}
      <DiagramPicture workflow={workflow} />
      <dl className="facts">
        <dt>Steps</dt>
        <dd>
          {workflow.steps.length} ({stepCounts(workflow)})
        </dd>
        <dt>Not digital</dt>
        <dd>{plural(paperSteps, 'step')} on paper, fax, phone or verbal</dd>
        <dt>Peak demand</dt>
        <dd>{plural(workflow.arrivalsPerHour, 'case')} per hour</dd>
        {workflow.state === 'future' && (
          <>
            <dt>Replaces</dt>
            <dd>{baseline ? baseline.name : (workflow.baseline ?? '—')}</dd>
          </>
        )}
      </dl>
      <TableScroll label={`Roles in ${workflow.name}`}>
        <table>
          <caption>Lanes (roles)</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Staff on shift</th>
              <th scope="col">Steps</th>
            </tr>
          </thead>
          <tbody>
            {workflow.lanes.map((lane) => (
              <tr key={lane.id}>
                <th scope="row">{lane.name}</th>
                <td>{formatCount(lane.staff)}</td>
                <td>{formatCount(workflow.steps.filter((s) => s.lane === lane.id).length)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </article>
  );
}
