import type { Project } from '../../formats/project.ts';
import type { StepKind, Workflow } from '../../formats/workflow.ts';
import { Coming } from '../shared/Coming.tsx';
import { formatCount } from '../shared/format.ts';

const KIND_ORDER: StepKind[] = ['task', 'decision', 'approval', 'wait', 'start', 'end'];

function stepCounts(workflow: Workflow): string {
  const counts = new Map<StepKind, number>();
  for (const step of workflow.steps) counts.set(step.kind, (counts.get(step.kind) ?? 0) + 1);
  return KIND_ORDER.filter((k) => counts.has(k))
    .map((k) => `${counts.get(k)} ${k}${counts.get(k) === 1 ? '' : 's'}`)
    .join(', ');
}

/** Workflows without a `process` stand on their own, under their id. */
function groupByProcess(workflows: Workflow[]): [string, Workflow[]][] {
  const groups = new Map<string, Workflow[]>();
  for (const w of workflows) {
    const key = w.process ?? w.id;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  // current before future inside a process, so the pair reads left to right
  return [...groups].map(([key, group]) => [key, group.sort((a, b) => a.state.localeCompare(b.state))]);
}

/** "patient-intake" → "Patient intake" */
function processTitle(process: string): string {
  const words = process.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function WorkflowCard({ workflow, all }: { workflow: Workflow; all: Workflow[] }) {
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
      {workflow.description && <p>{workflow.description}</p>}
      <dl className="facts">
        <dt>Steps</dt>
        <dd>
          {workflow.steps.length} ({stepCounts(workflow)})
        </dd>
        <dt>Not digital</dt>
        <dd>{paperSteps} steps on paper, fax, phone or verbal</dd>
        <dt>Peak demand</dt>
        <dd>{formatCount(workflow.arrivalsPerHour)} cases per hour</dd>
        {workflow.state === 'future' && (
          <>
            <dt>Replaces</dt>
            <dd>{baseline ? baseline.name : (workflow.baseline ?? '—')}</dd>
          </>
        )}
      </dl>
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
              <td>{lane.staff}</td>
              <td>{workflow.steps.filter((s) => s.lane === lane.id).length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

export function WorkflowsWorkspace({ project }: { project: Project }) {
  const { workflows } = project;
  return (
    <section aria-labelledby="workflows-title" className="workspace">
      <h2 id="workflows-title">Workflows</h2>
      <p className="lede">
        The clinic's processes as they run today and as they will run on the new EHR. {workflows.length}{' '}
        workflow
        {workflows.length === 1 ? '' : 's'} in this project.
      </p>
      {workflows.length === 0 ? (
        <p className="empty">
          No workflows yet. Import a project file that has some, or open the demo clinic.
        </p>
      ) : (
        groupByProcess(workflows).map(([process, group]) => (
          <section key={process} aria-label={`Process ${process}`} className="process">
            <h3 className="process-title">{processTitle(process)}</h3>
            <div className="card-grid">
              {group.map((w) => (
                <WorkflowCard key={w.id} workflow={w} all={workflows} />
              ))}
            </div>
          </section>
        ))
      )}
      <Coming>
        The swimlane editor (React Flow, auto-layout, BPMN 2.0 import/export, event-log discovery), metrics
        with queueing and simulation, and the digitized-bottleneck findings: paper approvals rebuilt as
        e-forms, data typed twice, re-keying between systems, serial sign-offs, click burden and role
        overload.
      </Coming>
    </section>
  );
}
