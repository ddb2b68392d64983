import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { type WorkflowsPlace, workflowsHref } from '../route.ts';
import { useProjectSharing, useSignedInTeamProject } from '../team/projectSharing.ts';
import { navigate } from '../useWorkspaceRoute.ts';
import { ProcessDocument } from './document/ProcessDocument.tsx';
import { EventLogPanel } from './eventlog/EventLogPanel.tsx';
import { Missing } from './Missing.tsx';
import { ProcessList } from './ProcessList.tsx';
import { ProcessPage } from './ProcessPage.tsx';
import { TeamWorkflowPage } from './shared/SharedWorkflowEditor.tsx';
import { type ListedHere, TeamWorkflows } from './shared/TeamWorkflows.tsx';
import { useSharedWorkflowList } from './shared/useSharedWorkflowList.ts';

/**
 * The editor and its canvas library (React Flow) load when a workflow is first opened, so the
 * start-up bundle does not carry them.
 */
const WorkflowEditor = lazy(() =>
  import('./editor/WorkflowEditor.tsx').then((m) => ({ default: m.WorkflowEditor })),
);

const LIST: WorkflowsPlace = { page: 'list' };

const go = (place: WorkflowsPlace) => navigate({ workspace: 'workflows', place });

/**
 * The Workflows workspace at `place` (from the address): the list of processes, a process's page
 * with its tabs, a workflow in the editor, or the event-log tools.
 * `onOpenDemo`: offered when this browser's own project has no workflows (left out inside the demo
 * clinic itself); a shared project's empty list says instead what the team has not shared and who can.
 * `dispatch`: applies a project change (the editor's edits); without it the workspace is read-only.
 */
export function WorkflowsWorkspace({
  project,
  place,
  onOpenDemo,
  dispatch,
}: {
  project: Project;
  place: WorkflowsPlace;
  onOpenDemo?: () => void;
  dispatch?: (change: ProjectChange) => void;
}) {
  const { workflows } = project;
  /** what the editor says first, e.g. what to review after an import; cleared when it closes */
  const [notice, setNotice] = useState('');
  /** the editor opens with the last go-live check drawn on the diagram ("Show on the canvas") */
  const [showDrift, setShowDrift] = useState(false);
  /** where "Back to workflows" returns: the place the editor was opened from */
  const openedFrom = useRef<WorkflowsPlace>(LIST);
  /** the workflow whose "Open in editor" takes focus back when the editor closes */
  const returnTo = useRef<string | null>(null);
  useEffect(() => {
    if (place.page !== 'editor') {
      openedFrom.current = place;
      setNotice('');
      setShowDrift(false);
    }
    const id = returnTo.current;
    if (place.page === 'editor' || id === null) return;
    returnTo.current = null;
    document.querySelector<HTMLElement>(`a[data-open-workflow="${CSS.escape(id)}"]`)?.focus();
  }, [place]);

  const put = dispatch ? (workflow: Workflow) => dispatch({ type: 'workflow/put', workflow }) : undefined;

  if (place.page === 'editor') {
    const edited = workflows.find((w) => w.id === place.workflow);
    if (!edited || !dispatch) return <Missing what="workflow" workflows={workflows} />;
    return (
      <section aria-labelledby="editor-title" className="workspace workspace-editor">
        <Suspense fallback={<p role="status">Opening the editor…</p>}>
          <WorkflowEditor
            key={edited.id}
            project={project}
            workflow={edited}
            dispatch={dispatch}
            notice={notice}
            showDrift={showDrift}
            {...(place.inside !== undefined ? { inside: place.inside } : {})}
            {...(place.step !== undefined ? { step: place.step } : {})}
            pageHref={(inside) =>
              workflowsHref({
                page: 'editor',
                workflow: edited.id,
                ...(inside !== undefined ? { inside } : {}),
              })
            }
            onClose={() => {
              returnTo.current = edited.id;
              go(openedFrom.current);
            }}
          />
        </Suspense>
      </section>
    );
  }
  if (place.page === 'team') {
    return (
      <TeamWorkflowPage
        project={project}
        projectId={place.project}
        workflowId={place.workflow}
        onClose={() => go(LIST)}
      />
    );
  }
  if (place.page === 'process') {
    return <ProcessPage project={project} process={place.process} tab={place.tab} dispatch={dispatch} />;
  }
  if (place.page === 'document') {
    return <ProcessDocument project={project} process={place.process} />;
  }
  if (place.page === 'logs') {
    return (
      <EventLogPanel
        project={project}
        tool={place.tool}
        checked={place.tool === 'check' ? place.workflow : undefined}
        modelled={place.tool === 'model' ? place.workflow : undefined}
        view={place.tool === 'discover' ? place.view : undefined}
        measure={place.tool === 'discover' ? place.measure : undefined}
        onWorkflowChange={put}
        onShowDrift={
          dispatch
            ? (id) => {
                setNotice('The drift seen in the last go-live check is drawn on the diagram.');
                setShowDrift(true);
                go({ page: 'editor', workflow: id });
              }
            : undefined
        }
      />
    );
  }
  const open = (workflow: Workflow, note: string) => {
    put?.(workflow);
    setNotice(note);
    setShowDrift(false);
    go({ page: 'editor', workflow: workflow.id });
  };
  return (
    <WorkflowList
      project={project}
      onOpenDemo={onOpenDemo}
      onCreate={dispatch ? open : undefined}
      onImportBpmn={put}
      onOpenImported={(id) => {
        setNotice('');
        setShowDrift(false);
        go({ page: 'editor', workflow: id });
      }}
    />
  );
}

/**
 * The list page: the project's processes and, signed in to a team server, the team's shared
 * workflows. On a shared project the project's list of shared workflows is read once, here, for
 * both: the empty list's "not shared yet" and "Shared with your team".
 */
function WorkflowList(props: Parameters<typeof ProcessList>[0]) {
  const sharing = useProjectSharing(props.project.meta.id);
  const server = useSignedInTeamProject(sharing);
  const read = useSharedWorkflowList(server);
  const listed = useMemo((): ListedHere | undefined => {
    if (server === undefined) return undefined;
    const current = read.projectId === server.projectId;
    return {
      projectId: server.projectId,
      list: current ? read.list : undefined,
      unread: current ? read.unread : undefined,
      reread: read.reread,
    };
  }, [server, read.projectId, read.list, read.unread, read.reread]);
  const team = useMemo(() => ({ workflows: listed?.list, unread: listed?.unread }), [listed]);
  return (
    <>
      <ProcessList {...props} team={team} />
      {/* until the sharing is known, the list it leaves to this page's read is not */}
      {sharing.kind !== 'reading' && <TeamWorkflows own={props.project.workflows} listed={listed} />}
    </>
  );
}
