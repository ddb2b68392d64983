import { type ReactNode, useId, useMemo } from 'react';
import type { SharedEvidenceKind } from '../../core/readiness/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { plural } from '../common/format.ts';
import { EmptyWorkspace, type SharedListing } from '../team/EmptyWorkspace.tsx';
import { useWorkflowsHref } from '../useWorkspaceRoute.ts';
import { findingsSummary } from './analysis/severity.ts';
import { BpmnImport } from './editor/BpmnImport.tsx';
import { NewWorkflowForm, WorkflowImport } from './editor/WorkflowImport.tsx';
import { formatMinutes } from './eventlog/driftReport.ts';
import { type HeadlineNumbers, type ProcessHeadline, processHeadlines } from './processHeadline.ts';
import { OpenInEditor } from './WorkflowCard.tsx';

/** A number of a workflow, or why it has none. */
function shown(
  numbers: HeadlineNumbers,
  pick: (n: Extract<HeadlineNumbers, { ok: true }>) => number,
  kind: 'min' | 'count',
): string {
  if (!numbers.ok) return numbers.reason;
  const value = pick(numbers);
  if (!Number.isFinite(value)) return 'grows without limit: a role cannot keep up';
  return kind === 'min' ? formatMinutes(value) : value.toFixed(1);
}

type Side = NonNullable<ProcessHeadline['current']>;

/** The process's numbers per patient: today's workflow and the planned one side by side. */
function HeadlineTable({ headline }: { headline: ProcessHeadline }) {
  const workflowsHref = useWorkflowsHref();
  const sides = [
    ...(headline.current ? [{ label: 'Today', side: headline.current }] : []),
    ...(headline.future ? [{ label: 'Planned', side: headline.future }] : []),
  ];
  if (sides.length === 0) return null;
  const row = (label: string, value: (side: Side) => ReactNode) => (
    <tr>
      <th scope="row">{label}</th>
      {sides.map(({ label: column, side }) => (
        <td key={column}>{value(side)}</td>
      ))}
    </tr>
  );
  const findingsHref = workflowsHref({ page: 'process', process: headline.key, tab: 'findings' });
  return (
    <table className="headline-table">
      <caption className="visually-hidden">{headline.title}: per patient, and what the checks flag</caption>
      <thead>
        <tr>
          <td />
          {sides.map(({ label }) => (
            <th key={label} scope="col">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {row('Staff time per patient', (s) => shown(s.numbers, (n) => n.touchMin, 'min'))}
        {row('Waiting per patient', (s) => shown(s.numbers, (n) => n.waitMin, 'min'))}
        {row('Handoffs per patient', (s) => shown(s.numbers, (n) => n.handoffs, 'count'))}
        {row('Findings', (s) => (
          <a href={findingsHref}>
            {findingsSummary(s.findings)}
            <span className="visually-hidden"> in {s.workflow.name}</span>
          </a>
        ))}
      </tbody>
    </table>
  );
}

function ProcessCard({ headline, editable }: { headline: ProcessHeadline; editable: boolean }) {
  const titleId = useId();
  const workflowsHref = useWorkflowsHref();
  return (
    <article className="card process-card" aria-labelledby={titleId}>
      <h3 id={titleId} className="process-card-title">
        <a href={workflowsHref({ page: 'process', process: headline.key, tab: 'map' })}>{headline.title}</a>
      </h3>
      <ul className="process-workflows">
        {headline.workflows.map((w: Workflow) => (
          <li key={w.id}>
            <span className={`badge badge-${w.state}`}>{w.state === 'current' ? 'Today' : 'Planned'}</span>{' '}
            <span className="process-workflow-name">{w.name}</span>
            {editable && <OpenInEditor workflow={w} />}
          </li>
        ))}
      </ul>
      <HeadlineTable headline={headline} />
    </article>
  );
}

/** What this screen shows of a shared project, as the team shares it. */
const SHOWS: readonly SharedEvidenceKind[] = ['workflows'];

/**
 * The Workflows start page: one card per process (today's and the planned workflow with their
 * headline numbers, each opening the process's own page), the ways to add a workflow, and the
 * way to the event-log tools. Nothing here renders a process's full analysis.
 */
export function ProcessList({
  project,
  onOpenDemo,
  onCreate,
  onImportBpmn,
  onOpenImported,
  team,
}: {
  project: Project;
  onOpenDemo?: (() => void) | undefined;
  /** on a shared project, the page's one read of the team's shared workflows */
  team?: SharedListing | undefined;
  /** stores a new or imported workflow and opens it, with a note for the editor; absent: read-only */
  onCreate?: (workflow: Workflow, note: string) => void;
  onImportBpmn?: (workflow: Workflow) => void;
  onOpenImported?: (workflowId: string) => void;
}) {
  const workflowsHref = useWorkflowsHref();
  const { workflows } = project;
  const settings = project.meta.settings;
  const headlines = useMemo(() => processHeadlines(workflows, settings), [workflows, settings]);
  return (
    <section aria-labelledby="workflows-title" className="workspace">
      <h2 id="workflows-title">Workflows</h2>
      <p className="lede">
        The clinic's processes as they run today and as they will run on the new EHR.{' '}
        {plural(headlines.length, 'process', 'processes')}, {plural(workflows.length, 'workflow')} in this
        project. Open a process for its map, findings, comparison, training checklists and go-live capacity.
      </p>
      {workflows.length === 0 ? (
        <EmptyWorkspace
          project={project}
          shows={SHOWS}
          team={team}
          onOpenDemo={onOpenDemo}
          shared={(team) => (
            <p>
              The team has not shared a workflow in “{team}” yet. Once someone has, it is listed below under
              Shared with your team, and opens here for everyone on the team: who does each step, on paper or
              on screen, and how long patients wait, today and on the new EHR.
            </p>
          )}
        >
          <p>
            No workflows in this project yet. Here you will draw how work moves through the clinic today and
            how it will move on the new EHR: who does each step, on paper or on screen, and how long patients
            wait. Preflight then points out where the new system rebuilds an old paper bottleneck, where the
            same details are typed twice, and which roles will be overloaded in go-live week.
          </p>
          <p>Until then you can import a project file, or look around the demo clinic.</p>
        </EmptyWorkspace>
      ) : (
        <div className="card-grid">
          {headlines.map((h) => (
            <ProcessCard key={h.key} headline={h} editable={onCreate !== undefined} />
          ))}
        </div>
      )}
      <p className="wf-logs-link">
        <a href={workflowsHref({ page: 'logs', tool: 'discover' })}>Event logs: what really happens</a> —
        discover today's workflow from a log, or check a log from the new system against the plan.
      </p>
      {onCreate && onImportBpmn && onOpenImported && (
        <section aria-label="Add a workflow" className="wf-add-workflow">
          <NewWorkflowForm project={project} onCreate={(w) => onCreate(w, '')} />
          <div className="wf-imports">
            <WorkflowImport project={project} onImport={onCreate} />
            <BpmnImport project={project} onImport={onImportBpmn} onOpen={onOpenImported} />
          </div>
        </section>
      )}
    </section>
  );
}
