import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import { comparedPair, groupByProcess } from '../../core/workflow/processGroups.ts';
import type { Project } from '../../formats/project.ts';
import type { StepKind, Workflow } from '../../formats/workflow.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { formatCount, plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import { PairAnalysis } from './analysis/PairAnalysis.tsx';
import { BpmnImport } from './editor/BpmnImport.tsx';
import { NewWorkflowForm, WorkflowImport } from './editor/WorkflowImport.tsx';
import { EventLogPanel } from './eventlog/EventLogPanel.tsx';

/**
 * The editor and its canvas library (React Flow) load when a workflow is first opened, so the
 * start-up bundle does not carry them.
 */
const WorkflowEditor = lazy(() =>
  import('./editor/WorkflowEditor.tsx').then((m) => ({ default: m.WorkflowEditor })),
);

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

/** "patient-intake" → "Patient intake" */
function processTitle(process: string): string {
  const words = process.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Which workflow the editor shows, kept per tab (sessionStorage) so a reload reopens it. Not in
 * the URL: routes carry only the workspace name (useWorkspaceRoute.ts).
 */
const EDITOR_KEY = 'preflight.editor';

function readEditorTarget(projectId: string): string | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(EDITOR_KEY) ?? 'null') as {
      project?: unknown;
      workflow?: unknown;
    } | null;
    return saved && saved.project === projectId && typeof saved.workflow === 'string' ? saved.workflow : null;
  } catch {
    return null;
  }
}

function writeEditorTarget(projectId: string, workflowId: string | null): void {
  try {
    if (workflowId === null) sessionStorage.removeItem(EDITOR_KEY);
    else sessionStorage.setItem(EDITOR_KEY, JSON.stringify({ project: projectId, workflow: workflowId }));
  } catch {
    // storage disabled: the editor simply does not reopen after a reload
  }
}

function WorkflowCard({
  workflow,
  all,
  onOpen,
}: {
  workflow: Workflow;
  all: Workflow[];
  onOpen?: () => void;
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
      {onOpen && (
        <p>
          <button type="button" onClick={onOpen} data-open-workflow={workflow.id}>
            Open in editor<span className="visually-hidden">: {workflow.name}</span>
          </button>
        </p>
      )}
      {workflow.description && <p>{workflow.description}</p>}
      <dl className="facts">
        <dt>Steps</dt>
        <dd>
          {workflow.steps.length} ({stepCounts(workflow)})
        </dd>
        <dt>Not digital</dt>
        <dd>{plural(paperSteps, 'step')} on paper, fax, phone or verbal</dd>
        <dt>Peak demand</dt>
        <dd>{formatCount(workflow.arrivalsPerHour)} cases per hour</dd>
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
                <td>{lane.staff}</td>
                <td>{workflow.steps.filter((s) => s.lane === lane.id).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </article>
  );
}

/**
 * `onOpenDemo`: offered when the project has no workflows (left out inside the demo clinic itself).
 * `dispatch`: applies a project change (the editor's edits); without it the workspace is read-only.
 */
export function WorkflowsWorkspace({
  project,
  onOpenDemo,
  dispatch,
}: {
  project: Project;
  onOpenDemo?: () => void;
  dispatch?: (change: ProjectChange) => void;
}) {
  const { workflows } = project;
  const projectId = project.meta.id;
  const [editing, setEditing] = useState<string | null>(() => readEditorTarget(projectId));
  const [notice, setNotice] = useState('');
  /** the editor opens with the last go-live check drawn on the diagram ("Show on the canvas") */
  const [showDrift, setShowDrift] = useState(false);
  useEffect(() => {
    setEditing(readEditorTarget(projectId));
  }, [projectId]);
  const open = (id: string | null) => {
    setEditing(id);
    writeEditorTarget(projectId, id);
  };
  const edited = editing === null ? undefined : workflows.find((w) => w.id === editing);
  // "Back to workflows" goes away with the editor: focus returns to the closed workflow's "Open in editor"
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    const id = returnTo.current;
    if (editing !== null || id === null) return;
    returnTo.current = null;
    document.querySelector<HTMLElement>(`button[data-open-workflow="${CSS.escape(id)}"]`)?.focus();
  }, [editing]);
  if (edited && dispatch) {
    return (
      <section aria-labelledby="editor-title" className="workspace workspace-editor">
        <Suspense fallback={<p role="status">Opening the editor…</p>}>
          <WorkflowEditor
            project={project}
            workflow={edited}
            dispatch={dispatch}
            notice={notice}
            showDrift={showDrift}
            onClose={() => {
              returnTo.current = edited.id;
              setNotice('');
              setShowDrift(false);
              open(null);
            }}
          />
        </Suspense>
      </section>
    );
  }
  const store = (workflow: Workflow, note: string) => {
    dispatch?.({ type: 'workflow/put', workflow });
    setNotice(note);
    open(workflow.id);
  };
  return (
    <section aria-labelledby="workflows-title" className="workspace">
      <h2 id="workflows-title">Workflows</h2>
      <p className="lede">
        The clinic's processes as they run today and as they will run on the new EHR.{' '}
        {plural(workflows.length, 'workflow')} in this project.
      </p>
      {workflows.length === 0 ? (
        <EmptyState onOpenDemo={onOpenDemo}>
          <p>
            No workflows in this project yet. Here you will draw how work moves through the clinic today and
            how it will move on the new EHR: who does each step, on paper or on screen, and how long patients
            wait. Preflight then points out where the new system rebuilds an old paper bottleneck, where the
            same details are typed twice, and which roles will be overloaded in go-live week.
          </p>
          <p>Until then you can import a project file, or look around the demo clinic.</p>
        </EmptyState>
      ) : (
        groupByProcess(workflows).map(([process, group]) => (
          <section key={process} aria-label={`Process ${process}`} className="process">
            <h3 className="process-title">{processTitle(process)}</h3>
            <div className="card-grid">
              {group.map((w) => (
                <WorkflowCard
                  key={w.id}
                  workflow={w}
                  all={workflows}
                  onOpen={dispatch ? () => open(w.id) : undefined}
                />
              ))}
            </div>
            <PairAnalysis
              title={processTitle(process)}
              current={comparedPair(group).current}
              future={comparedPair(group).future}
              projectSettings={project.meta.settings}
              onWorkflowChange={
                dispatch ? (workflow) => dispatch({ type: 'workflow/put', workflow }) : undefined
              }
              onSettingsChange={
                dispatch ? (settings) => dispatch({ type: 'project/settings', settings }) : undefined
              }
            />
          </section>
        ))
      )}
      {dispatch && (
        <section aria-label="Add a workflow" className="wf-add-workflow">
          <NewWorkflowForm project={project} onCreate={(w) => store(w, '')} />
          <div className="wf-imports">
            <WorkflowImport project={project} onImport={store} />
            <BpmnImport
              project={project}
              onImport={(workflow) => dispatch({ type: 'workflow/put', workflow })}
              onOpen={(id) => {
                setNotice('');
                open(id);
              }}
            />
          </div>
        </section>
      )}
      <EventLogPanel
        project={project}
        onWorkflowChange={dispatch ? (workflow) => dispatch({ type: 'workflow/put', workflow }) : undefined}
        onShowDrift={
          dispatch
            ? (id) => {
                setNotice('The drift seen in the last go-live check is drawn on the diagram.');
                setShowDrift(true);
                open(id);
              }
            : undefined
        }
      />
    </section>
  );
}
