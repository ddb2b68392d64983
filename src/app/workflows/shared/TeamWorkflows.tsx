/**
 * The team's shared workflows, on the Workflows list: shown only when the app is served by the
 * team server and the person is signed in. Per team project: its shared workflows, each opening
 * in the editor as the team's copy, and — for a role that may change them — a way to share one of
 * the person's own workflows with it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Workflow } from '../../../formats/workflow.ts';
import { TeamError } from '../../../storage/teamServer.ts';
import { workflowsHref } from '../../route.ts';
import {
  projectActions,
  type SharedWorkflowEntry,
  sharedWorkflows,
  shareWorkflow,
  signedIn,
  type TeamProject,
  type TeamUser,
  teamProjects,
} from './teamApi.ts';

interface ProjectView {
  project: TeamProject;
  workflows: SharedWorkflowEntry[];
  canEdit: boolean;
}

/** The team projects' shared workflows as the person may see them; null until known, or off. */
async function loadTeam(): Promise<{ user: TeamUser; projects: ProjectView[] } | null> {
  const user = await signedIn();
  if (user === null) return null;
  const projects = await teamProjects();
  const views = await Promise.all(
    projects.map(async (project) => {
      const [workflows, can] = await Promise.all([sharedWorkflows(project.id), projectActions(project.id)]);
      return { project, workflows, canEdit: can.includes('edit-workflows') };
    }),
  );
  return { user, projects: views };
}

export function TeamWorkflows({ own }: { own: readonly Workflow[] }) {
  const [team, setTeam] = useState<Awaited<ReturnType<typeof loadTeam>>>(null);
  const [message, setMessage] = useState('');
  const alive = useRef(true);
  const refresh = useCallback(async () => {
    try {
      const loaded = await loadTeam();
      if (alive.current) setTeam(loaded);
    } catch (error) {
      if (alive.current)
        setMessage(
          error instanceof TeamError ? error.message : 'The team server cannot be reached just now.',
        );
    }
  }, []);
  useEffect(() => {
    alive.current = true;
    void refresh();
    return () => {
      alive.current = false;
    };
  }, [refresh]);

  if (team === null) return message ? <p role="status">{message}</p> : null;
  if (team.projects.length === 0) return null;
  return (
    <section aria-labelledby="team-workflows-title" className="team-workflows">
      <h3 id="team-workflows-title">Shared with your team</h3>
      {team.projects.map(({ project, workflows, canEdit }) => (
        <div key={project.id}>
          <h4>{project.name}</h4>
          {workflows.length === 0 ? (
            <p>No workflow is shared in this project yet.</p>
          ) : (
            <ul>
              {workflows.map((w) => (
                <li key={w.id}>
                  <a href={workflowsHref({ page: 'team', project: project.id, workflow: w.id })}>{w.name}</a>{' '}
                  ({w.state === 'future' ? 'future' : 'current'} workflow)
                </li>
              ))}
            </ul>
          )}
          {canEdit && (
            <ShareForm
              own={own.filter((w) => !workflows.some((s) => s.id === w.id))}
              projectName={project.name}
              onShare={async (workflow) => {
                try {
                  await shareWorkflow(project.id, workflow, team.user);
                  setMessage(`Shared “${workflow.name}” with ${project.name}.`);
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
      ))}
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
