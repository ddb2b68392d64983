/**
 * A workflow shared with a team project, in the editor: the same editor as a workflow of one's
 * own, whose every change goes to the person's copy of the shared workflow (useSharedWorkflow)
 * instead of the local project, and whose diagram shows others' edits as they arrive. A line
 * above the diagram says whether the copy is in step with the team.
 */
import { lazy, Suspense, useMemo } from 'react';
import type { ProjectChange } from '../../../core/project/changes.ts';
import { isBack, leftPointing, putBack } from '../../../core/workflow/shared/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { TeamSession } from '../../../storage/teamServer.ts';
import { pageLocalStorage } from '../../common/pageStorage.ts';
import { useTeamServerState } from '../../team/teamContext.ts';
import { teamProjectRead } from '../../team/teamReads.ts';
import { useTeamRead } from '../../team/useTeamRead.ts';
import { LostEdits } from './LostEdits.tsx';
import { causeWords } from './lostWords.ts';
import { RecentChanges } from './RecentChanges.tsx';
import { type SharedWorkflowState, type SyncStatus, useSharedWorkflow } from './useSharedWorkflow.ts';
import { VersionsPanel } from './VersionsPanel.tsx';

const WorkflowEditor = lazy(() =>
  import('../editor/WorkflowEditor.tsx').then((m) => ({ default: m.WorkflowEditor })),
);

/** What the status line says for each state of the copy. */
export function syncLine(state: Pick<SharedWorkflowState, 'status' | 'waiting' | 'refusal'>): string {
  const waiting =
    state.waiting === 1 ? '1 change waits to be sent' : `${state.waiting} changes wait to be sent`;
  const says: Record<SyncStatus, string> = {
    opening: 'Opening the team’s workflow…',
    'in-step': 'Shared with the team: your changes are saved on the team server, and theirs appear here.',
    sending: `Sending your changes to the team server (${waiting}).`,
    offline: `Offline: ${waiting}; they are kept in this browser and sent when the team server can be reached.`,
    refused:
      `The team server refused your changes: ${state.refusal} ${state.waiting > 0 ? `(${waiting}, kept in this browser)` : ''}`.trim(),
    gone: `This workflow is no longer open to you: ${state.refusal || 'ask the project’s lead.'}`,
    'signed-out':
      state.waiting > 0
        ? `Your sign-in to the team server has ended: ${waiting}; they are kept in this browser and sent after you sign in again.`
        : 'Your sign-in to the team server has ended: sign in again to see the team’s changes and share yours.',
  };
  // what of the person's own work lost to someone else's removal is told apart (LostEdits), to
  // them alone: nobody else is told of it here
  return says[state.status];
}

/** What a person whose role may not change a shared workflow is told, in the editor. */
export const VIEW_ONLY = 'Your role on this project can view this workflow but not change it.';

export function SharedWorkflowEditor({
  project,
  projectId,
  workflowId,
  session,
  ended,
  onClose,
}: {
  /** the person's own project: the editor's suggestions, settings and baselines */
  project: Project;
  projectId: string;
  workflowId: string;
  /** the app's signed-in session, and whether it ended under the person */
  session: TeamSession;
  ended: boolean;
  onClose: () => void;
}) {
  const [store] = useMemo(() => [pageLocalStorage()], []);
  const shared = useSharedWorkflow(projectId, workflowId, session, store ? { store, ended } : { ended });
  const { workflow } = shared;
  // what the person's role may do, from the project's one copy in the browser's cache of team reads
  const onServer = useTeamRead({ session, projectId }, teamProjectRead);
  /** undefined until the server says what the person's role may do */
  const canEdit =
    onServer.value !== undefined
      ? onServer.value.can.includes('edit-workflows')
      : // out of reach (offline): edits are kept in this browser, and the server checks the role
        // when they are sent
        onServer.unread !== undefined || undefined;
  /** why the workflow is only looked at here (until the server says the person's role may change it) */
  const readOnly =
    canEdit === true
      ? undefined
      : canEdit === false
        ? VIEW_ONLY
        : 'Checking whether your role may change this workflow…';
  const line = <p role="status">{canEdit === false ? VIEW_ONLY : syncLine(shared)}</p>;
  const withShared = useMemo(
    () =>
      workflow && {
        ...project,
        workflows: [...project.workflows.filter((w) => w.id !== workflow.id), workflow],
      },
    [project, workflow],
  );
  // the person's work a removal left pointing at nothing: the findings that follow are told under it
  const { lost } = shared;
  const findingCauses = useMemo(
    () =>
      workflow &&
      lost
        .filter((edit) => edit.removal && leftPointing(edit) && !isBack(workflow, edit))
        .map((edit) => ({ id: edit.id, says: causeWords(edit), without: putBack(workflow, edit, false) })),
    [lost, workflow],
  );
  if (!workflow || !withShared || shared.status === 'gone')
    return (
      <section aria-labelledby="shared-title" className="workspace">
        <h2 id="shared-title">Team workflow</h2>
        {line}
        <button type="button" onClick={onClose}>
          Back to workflows
        </button>
      </section>
    );
  const dispatch = (change: ProjectChange) => {
    if (canEdit !== false && change.type === 'workflow/put' && change.workflow.id === workflow.id)
      shared.change(change.workflow);
  };
  return (
    <section aria-labelledby="editor-title" className="workspace workspace-editor">
      <Suspense fallback={<p role="status">Opening the editor…</p>}>
        <WorkflowEditor
          key={`${projectId}/${workflowId}`}
          project={withShared}
          workflow={workflow}
          dispatch={dispatch}
          idTag={shared.copyId}
          othersEdit
          {...(readOnly === undefined ? {} : { readOnly })}
          {...(findingCauses && findingCauses.length > 0 ? { findingCauses } : {})}
          banner={
            <>
              {line}
              <LostEdits
                lost={lost}
                workflow={workflow}
                canEdit={canEdit === true}
                onPutBack={shared.putBackLost}
                onDismiss={shared.dismissLost}
              />
              <VersionsPanel
                projectId={projectId}
                workflowId={workflowId}
                session={session}
                current={workflow}
                canEdit={canEdit === true}
                onRestored={shared.sync}
              />
              <RecentChanges changes={shared.recent} workflow={workflow} />
            </>
          }
          onClose={onClose}
        />
      </Suspense>
    </section>
  );
}

/** The page of a team workflow: the app's signed-in person, then the editor (or why not). */
export function TeamWorkflowPage({
  project,
  projectId,
  workflowId,
  onClose,
}: {
  project: Project;
  projectId: string;
  workflowId: string;
  onClose: () => void;
}) {
  const team = useTeamServerState();
  // a session that ended keeps the editor: its edits wait in this browser until signing in again
  if (team.phase === 'signed-in')
    return (
      <SharedWorkflowEditor
        project={project}
        projectId={projectId}
        workflowId={workflowId}
        session={team.client.session}
        ended={team.ended}
        onClose={onClose}
      />
    );
  return (
    <section aria-labelledby="shared-title" className="workspace">
      <h2 id="shared-title">Team workflow</h2>
      <p role="status">
        {team.phase === 'probing'
          ? 'Checking who is signed in to the team server…'
          : 'Sign in to the team server to open the workflows shared with your team.'}
      </p>
      <button type="button" onClick={onClose}>
        Back to workflows
      </button>
    </section>
  );
}
