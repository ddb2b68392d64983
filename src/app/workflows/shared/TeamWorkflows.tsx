/**
 * The team's shared workflows, on the Workflows list: shown only when the app is served by the
 * team server and the person is signed in. Per team project: its shared workflows, each opening
 * in the editor as the team's copy, and — for a role that may change them — a way to share one of
 * the person's own workflows with it.
 *
 * Constraint: the open project's own list, when it is shared, is the page's one read
 * (`useSharedWorkflowList`, which its empty state reads too), given as `listed`; it is never asked
 * for again here.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProjectSummary } from '../../../core/teamApi/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { TeamError, type TeamSession } from '../../../storage/teamServer.ts';
import { workflowsHref } from '../../route.ts';
import { useTeamServerState } from '../../team/teamContext.ts';
import { teamProjectsRead } from '../../team/teamReads.ts';
import { useTeamServerRead } from '../../team/useTeamRead.ts';
import { projectActions, type SharedWorkflowEntry, sharedWorkflows, shareWorkflow } from './teamApi.ts';
import type { SharedWorkflowListRead } from './useSharedWorkflowList.ts';

interface ProjectView {
  project: ProjectSummary;
  /** undefined: the project listed by the page's own read (`listed`) */
  workflows: readonly SharedWorkflowEntry[] | undefined;
  canEdit: boolean;
}

/** The open project's list of shared workflows, as the page read it. */
export type ListedHere = { projectId: string } & Omit<SharedWorkflowListRead, 'projectId'>;

/**
 * The shared workflows of the person's team `projects` as she may see them; project `listedHere`'s
 * list is left to the page's own read.
 */
async function loadTeam(
  session: TeamSession,
  projects: readonly ProjectSummary[],
  listedHere: string | undefined,
): Promise<{ projects: ProjectView[] }> {
  const views = await Promise.all(
    projects.map(async (project) => {
      const [workflows, can] = await Promise.all([
        project.id === listedHere ? undefined : sharedWorkflows(session, project.id),
        projectActions(session, project.id),
      ]);
      return { project, workflows, canEdit: can.includes('edit-workflows') };
    }),
  );
  return { projects: views };
}

/**
 * The team's shared workflows (see the header); `listed`: the open project's list, when it is
 * shared and the page read it.
 */
export function TeamWorkflows({
  own,
  listed,
}: {
  own: readonly Workflow[];
  listed?: ListedHere | undefined;
}) {
  const state = useTeamServerState();
  /** the app's signed-in session */
  const session = state.phase === 'signed-in' ? state.client.session : undefined;
  /** the sign-in ended: the list stays as it was until the person signs in again */
  const ended = state.phase === 'signed-in' && state.ended;
  /** null until known */
  const [team, setTeam] = useState<Awaited<ReturnType<typeof loadTeam>> | null>(null);
  const [message, setMessage] = useState('');
  const alive = useRef(true);
  const listedHere = listed?.projectId;
  // the person's projects, their one copy in the browser's cache of team reads
  const projectList = useTeamServerRead(
    session,
    state.phase === 'signed-in' ? state.user.subject : '',
    teamProjectsRead,
    ended,
  );
  const projects = projectList.value;
  const refresh = useCallback(async () => {
    if (session === undefined || ended || projects === undefined) return;
    try {
      const loaded = await loadTeam(session, projects, listedHere);
      if (alive.current) setTeam(loaded);
    } catch (error) {
      if (alive.current)
        setMessage(
          error instanceof TeamError ? error.message : 'The team server cannot be reached just now.',
        );
    }
  }, [session, ended, listedHere, projects]);
  useEffect(() => {
    alive.current = true;
    void refresh();
    return () => {
      alive.current = false;
    };
  }, [refresh]);

  if (state.phase !== 'signed-in') return null;
  const unread = projectList.unread ?? '';
  if (team === null) return message || unread ? <p role="status">{message || unread}</p> : null;
  if (team.projects.length === 0) return null;
  return (
    <section aria-labelledby="team-workflows-title" className="team-workflows">
      <h3 id="team-workflows-title">Shared with your team</h3>
      {team.projects.map((view) => {
        const { project, canEdit } = view;
        const here = listed?.projectId === project.id ? listed : undefined;
        const workflows = view.workflows ?? here?.list;
        return (
          <div key={project.id}>
            <h4>{project.name}</h4>
            {workflows === undefined ? (
              here?.unread !== undefined && (
                <p>The shared workflows could not be read just now: {here.unread}</p>
              )
            ) : workflows.length === 0 ? (
              <p>No workflow is shared in this project yet.</p>
            ) : (
              <ul>
                {workflows.map((w) => (
                  <li key={w.id}>
                    <a href={workflowsHref({ page: 'team', project: project.id, workflow: w.id })}>
                      {w.name}
                    </a>{' '}
                    ({w.state === 'future' ? 'future' : 'current'} workflow)
                  </li>
                ))}
              </ul>
            )}
            {canEdit && (
              <ShareForm
                own={own.filter((w) => !workflows?.some((s) => s.id === w.id))}
                projectName={project.name}
                onShare={async (workflow) => {
                  if (session === undefined) return;
                  try {
                    await shareWorkflow(session, project.id, workflow);
                    setMessage(`Shared “${workflow.name}” with ${project.name}.`);
                    here?.reread();
                    await refresh();
                  } catch (error) {
                    setMessage(
                      error instanceof TeamError
                        ? error.message
                        : 'The team server cannot be reached just now.',
                    );
                  }
                }}
              />
            )}
          </div>
        );
      })}
      {message && <p role="status">{message}</p>}
    </section>
  );
}

function ShareForm({
  own,
  projectName,
  onShare,
}: {
  own: readonly Workflow[];
  projectName: string;
  onShare: (workflow: Workflow) => Promise<void>;
}) {
  const [chosen, setChosen] = useState('');
  if (own.length === 0) return null;
  const workflow = own.find((w) => w.id === chosen);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (workflow) void onShare(workflow);
      }}
    >
      <label>
        Share one of your workflows with {projectName}{' '}
        <select value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">Choose a workflow</option>
          {own.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit" disabled={!workflow}>
        Share
      </button>
    </form>
  );
}
