/**
 * The team projects screen (`#/team`, `#/team/<id>`): the signed-in person's projects on the team
 * server, a new one, and one project's team — name, role and end date of each member. Its lead
 * renames it, invites people (Invitations.tsx) or adds them by a vouched-for e-mail, changes and
 * removes members, and reads and downloads its audit log (ProjectAuditLog.tsx); an invitation's
 * link opens here too (JoinProject.tsx); every other role sees
 * the team read-only. The server decides (the controls shown follow its `can` list); a refusal
 * is said in its words, and a form keeps what was typed when a change is refused. Its signing
 * keys (each member's own, the lead's confirmations) are SigningKeys.tsx. Where the lead chooses
 * a role, "What each role can do" shows the role table beside it (RoleGuide.tsx).
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { AssignedRecords } from '../signoff/AssignedRecords.tsx';
import { SampleResults } from '../signoff/SampleResults.tsx';
import { navigate, useHref, useRoute } from '../useWorkspaceRoute.ts';
import { Invitations } from './Invitations.tsx';
import { JoinProject } from './JoinProject.tsx';
import { ProjectAuditLog } from './ProjectAuditLog.tsx';
import { RenameProject } from './RenameProject.tsx';
import { RoleGivingForm } from './RoleGivingForm.tsx';
import { RoleGuide } from './RoleGuide.tsx';
import { RoleAndEndFields } from './RoleSelect.tsx';
import { SigningKeys } from './SigningKeys.tsx';
import {
  ROLE_LABELS,
  TEAM_ACTIONS,
  type TeamClient,
  TeamError,
  type TeamMember,
  type TeamProject,
  type TeamProjectSummary,
  type TeamRole,
} from './teamClient.ts';
import { teamProjectRead, teamProjectsRead } from './teamReads.ts';
import { useRoleAndEnd } from './useRoleAndEnd.ts';
import { useTeamRead, useTeamServerRead } from './useTeamRead.ts';
import type { TeamServerState } from './useTeamServer.ts';

/** A failure's words: the client's own, or a plain fallback for anything unexpected. */
const wordsOf = (error: unknown) =>
  error instanceof TeamError ? error.message : 'Something went wrong; nothing was changed. Try again.';

/** Opens a team project in this browser; resolves with the words of a failure, or undefined. */
type OpenHere = (teamProject: { id: string; name: string }) => Promise<string | undefined>;

export function TeamScreen({
  state,
  teamProject,
  openHere,
}: {
  state: TeamServerState;
  /** the server's id of the project shown; absent: the list */
  teamProject?: string;
  /** "Open on this computer"; absent where this browser's projects are not open */
  openHere?: OpenHere;
}) {
  // an invitation's page (`#/join/…`) is the team screen's too: the invitee may not be signed in yet
  const route = useRoute();
  if (route.workspace === 'team' && route.invitation !== undefined)
    return <JoinProject state={state} code={route.invitation} />;
  if (state.phase === 'probing') return <p role="status">Asking the team server who is signed in…</p>;
  if (state.phase === 'none')
    return (
      <section className="team-screen">
        <h2>Team projects</h2>
        <p className="empty">
          Team projects live on your clinic’s Preflight team server. This copy of Preflight runs in this
          browser only; ask your data lead for the team server’s address.
        </p>
      </section>
    );
  if (state.phase === 'signed-out')
    return (
      <section className="team-screen">
        <h2>Team projects</h2>
        <p className="empty">Sign in (top of the page) to see the projects you share with your team.</p>
      </section>
    );
  // a session that ended keeps the screen as it was; signed in again, it is read afresh
  const live = !state.ended;
  return teamProject === undefined ? (
    <ProjectList client={state.client} live={live} me={state.user.subject} />
  ) : (
    <ProjectTeam
      client={state.client}
      projectId={teamProject}
      me={state.user.subject}
      live={live}
      openHere={openHere}
    />
  );
}

function ProjectList({
  client,
  live,
  me,
}: {
  client: TeamClient;
  /** the session is signed in (not ended): false keeps what was read until the person signs in again */
  live: boolean;
  /** who is signed in: another person signing in reads their own list */
  me: string;
}) {
  const href = useHref();
  // the person's projects, their one copy in the browser's cache of team reads (read as the screen
  // opens, kept while the session has ended, and read afresh for whoever signs in next)
  const list = useTeamServerRead(client.session, me, teamProjectsRead, !live);
  const projects: TeamProjectSummary[] | undefined = list.value;
  const loadError = list.unread;
  const load = () => list.readNow().catch(() => undefined);
  const [name, setName] = useState('');
  const [createError, setCreateError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const nameId = useId();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') {
      setCreateError('Give the project a name.');
      return;
    }
    setBusy(true);
    try {
      const project = await client.createProject(name.trim());
      list.reread();
      setName('');
      setCreateError(undefined);
      navigate({ workspace: 'team', teamProject: project.id });
    } catch (error) {
      setCreateError(wordsOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="team-screen">
      <h2>Team projects</h2>
      <p className="team-intro">
        Projects you share with your go-live team on this clinic’s server. Patient records never leave this
        browser.
      </p>
      {loadError && (
        <p className="team-error" role="alert">
          {loadError}
        </p>
      )}
      {projects === undefined && !loadError && <p role="status">Loading your team projects…</p>}
      {projects !== undefined && projects.length === 0 && (
        <p className="empty">
          You are not on any team project yet. Create one below, or ask a lead to add you.
        </p>
      )}
      {projects !== undefined && projects.length > 0 && (
        <ul className="team-projects">
          {projects.map((p) => (
            <li key={p.id}>
              <a href={href({ workspace: 'team', teamProject: p.id })}>{p.name}</a>
              <span className="team-note">
                {' '}
                · your role: {ROLE_LABELS[p.role]}
                {p.expiresOn ? ` until ${p.expiresOn}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void load()}>
        Refresh list
      </button>
      <form className="team-form" onSubmit={create} aria-labelledby={`${nameId}-h`}>
        <h3 id={`${nameId}-h`} className="team-form-title">
          New team project
        </h3>
        <p className="team-note team-form-note">You become its lead and can then add your team.</p>
        <label htmlFor={nameId}>Project name</label>
        <input
          id={nameId}
          autoComplete="off"
          className="team-input team-input-wide"
          value={name}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={createError ? true : undefined}
          aria-describedby={createError ? `${nameId}-err` : undefined}
        />
        <button type="submit" className="primary" disabled={busy}>
          Create project
        </button>
        {createError && (
          <p id={`${nameId}-err`} className="team-error" role="alert">
            {createError}
          </p>
        )}
      </form>
    </section>
  );
}

/** One project's team, and for its lead the roster's controls and the audit log. */
function ProjectTeam({
  client,
  projectId,
  me,
  live,
  openHere,
}: {
  client: TeamClient;
  projectId: string;
  me: string;
  /** as for the list: signed in again, the project is read afresh */
  live: boolean;
  openHere: OpenHere | undefined;
}) {
  const href = useHref();
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string } | undefined>();
  const reviewSession = client.session;

  // the project's one copy in the browser's cache of team reads: read again when the roster or the
  // name changes in another browser; kept on screen, unasked, while the session has ended. A read
  // that fails shows nothing of the project (no longer a member: nothing of it stays on screen)
  const read = useTeamRead({ session: client.session, projectId, paused: !live }, teamProjectRead);
  const project: TeamProject | undefined = read.value;
  const loadError = read.unread;
  const load = () => read.readNow().catch(() => undefined);
  // another project shows nothing of the last one's
  // biome-ignore lint/correctness/useExhaustiveDependencies: the project's id is the trigger
  useEffect(() => {
    setMessage(undefined);
  }, [projectId]);

  /** Runs a change; a refusal is said and the project read again, so the controls match the role. */
  const act = async (work: () => Promise<string>): Promise<boolean> => {
    try {
      const done = await work();
      // the roster is read again first: "… was removed" is said once the list shows it
      await load();
      setMessage({ kind: 'done', text: done });
      return true;
    } catch (error) {
      setMessage({ kind: 'error', text: wordsOf(error) });
      if (error instanceof TeamError && error.status !== 401 && error.status !== 0) await load();
      return false;
    }
  };

  const back = (
    <p>
      <a href={href({ workspace: 'team' })}>All team projects</a>
    </p>
  );
  if (project === undefined)
    return (
      <section className="team-screen">
        {back}
        <h2>Team project</h2>
        {loadError ? (
          <p className="team-error" role="alert">
            {loadError}
          </p>
        ) : (
          <p role="status">Opening the project…</p>
        )}
      </section>
    );

  const can = (action: string) => project.can.includes(action);
  return (
    <section className="team-screen">
      {back}
      <h2>{project.name}</h2>
      {can(TEAM_ACTIONS.renameProject) && (
        <RenameProject
          name={project.name}
          onRename={async (name) => {
            try {
              const kept = await client.renameProject(projectId, name);
              setMessage({ kind: 'done', text: `The project is now called “${kept}”.` });
              await load();
              return undefined;
            } catch (error) {
              // refused for the role (403, 404): said on the page, where it stays once the project,
              // read again, no longer offers the control; any other refusal is said at the field
              if (error instanceof TeamError && (error.status === 403 || error.status === 404)) {
                setMessage({ kind: 'error', text: wordsOf(error) });
                await load();
              }
              return wordsOf(error);
            }
          }}
        />
      )}
      <p>
        Your role: <strong>{ROLE_LABELS[project.role]}</strong>
        {project.expiresOn ? ` until ${project.expiresOn}` : ''}{' '}
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </p>
      {loadError && (
        <p className="team-error" role="alert">
          {loadError}
        </p>
      )}
      {message && (
        <p
          className={message.kind === 'error' ? 'team-error' : 'team-done'}
          role={message.kind === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      {openHere && <OpenHereButton project={project} openHere={openHere} />}
      <h3>Team</h3>
      {!can(TEAM_ACTIONS.changeMember) && (
        <p className="team-note">Only the project’s lead can change who is on the team.</p>
      )}
      <ul className="team-roster">
        {project.members.map((m) => (
          <MemberRow
            // drawn afresh when the server's record of the member changes, so the controls show it
            key={`${m.id}:${m.role}:${m.expiresOn}`}
            member={m}
            isMe={m.subject === me}
            canChange={can(TEAM_ACTIONS.changeMember)}
            canRemove={can(TEAM_ACTIONS.removeMember)}
            onChange={(change) =>
              act(async () => {
                await client.changeMember(projectId, m.id, change);
                return `${nameOf(m)}’s access was changed.`;
              })
            }
            onRemove={() =>
              act(async () => {
                await client.removeMember(projectId, m.id);
                return `${nameOf(m)} was removed from the project.`;
              })
            }
          />
        ))}
      </ul>
      {can(TEAM_ACTIONS.addMember) && (
        <>
          <Invitations client={client} projectId={projectId} onJoinedOrChanged={() => void load()} />
          <AddMember
            onAdd={(member) =>
              act(async () => {
                const added = await client.addMember(projectId, member);
                return `${nameOf(added)} was added as ${ROLE_LABELS[added.role]}.`;
              })
            }
          />
        </>
      )}
      <SigningKeys
        client={client}
        projectId={projectId}
        me={me}
        myRole={project.role}
        can={project.can}
        members={project.members}
      />
      {/* where a result is approved: analysts and viewers read the results on Readiness */}
      {can('read-sample-results') && can('sign') && (
        <SampleResults session={reviewSession} projectId={projectId} />
      )}
      {can('review-records') && (
        <AssignedRecords
          session={reviewSession}
          projectId={projectId}
          myName={project.members.find((m) => m.subject === me)?.name ?? ''}
          myRole={project.role}
        />
      )}
      {can(TEAM_ACTIONS.readAudit) ? (
        <ProjectAuditLog
          client={client}
          projectId={projectId}
          projectName={project.name}
          members={project.members}
        />
      ) : (
        <p className="team-note">Only the project’s lead can read and export its audit log.</p>
      )}
    </section>
  );
}

/** "Open on this computer": the project's shared records into a project in this browser. */
function OpenHereButton({ project, openHere }: { project: TeamProject; openHere: OpenHere }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const open = async () => {
    setBusy(true);
    setProblem(undefined);
    const failed = await openHere({ id: project.id, name: project.name });
    setBusy(false);
    setProblem(failed);
  };
  return (
    <div className="team-open-here">
      <button
        type="button"
        className="primary"
        disabled={busy}
        aria-describedby={`${id}-note`}
        onClick={() => void open()}
      >
        Open on this computer
      </button>
      <p id={`${id}-note`} className="team-note">
        Brings the team’s shared check sets, contracts, accepted issues, sample plans and readiness records
        into a project in this browser, kept in step with the team server. Patient records never leave this
        browser.
      </p>
      {busy && <p role="status">Bringing the team’s records into this browser…</p>}
      {problem && (
        <p className="team-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

const nameOf = (m: TeamMember) => m.name ?? m.email ?? m.subject;

function MemberRow({
  member,
  isMe,
  canChange,
  canRemove,
  onChange,
  onRemove,
}: {
  member: TeamMember;
  isMe: boolean;
  canChange: boolean;
  canRemove: boolean;
  onChange(change: { role?: TeamRole; expiresOn?: string | null }): Promise<boolean>;
  onRemove(): Promise<boolean>;
}) {
  const id = useId();
  const [role, setRole] = useState<TeamRole>(member.role);
  const [end, setEnd] = useState(member.expiresOn ?? '');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // keyboard focus follows the question: onto "Confirm removal" when asked, back to "Remove" after Keep
  const confirmRef = useRef<HTMLButtonElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (asked.current) removeRef.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  const name = nameOf(member);
  const changed = role !== member.role || end !== (member.expiresOn ?? '');
  const run = async (work: () => Promise<boolean>) => {
    setBusy(true);
    await work();
    setBusy(false);
    setConfirming(false);
  };
  return (
    <li className="team-member">
      <p className="team-member-name">
        <strong>{name}</strong>
        {isMe && ' (you)'}
        {member.email && member.name && <span className="team-note"> · {member.email}</span>}
      </p>
      {!canChange ? (
        <p>
          {ROLE_LABELS[member.role]} · {member.expiresOn ? `access ends ${member.expiresOn}` : 'no end date'}
          {member.expired && ' (ended)'}
        </p>
      ) : (
        <form
          className="team-member-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() =>
              onChange({
                ...(role !== member.role ? { role } : {}),
                ...(end !== (member.expiresOn ?? '') ? { expiresOn: end === '' ? null : end } : {}),
              }),
            );
          }}
        >
          {/* the member's name is part of each control's name: the roster repeats them per person */}
          <RoleAndEndFields
            id={id}
            role={role}
            onRole={setRole}
            end={end}
            onEnd={setEnd}
            roleLabel={
              <>
                Role<span className="visually-hidden"> of {name}</span>
              </>
            }
            endLabel={
              <>
                Access ends (optional)<span className="visually-hidden"> for {name}</span>
              </>
            }
          />
          {member.expired && <span className="team-note">Access has ended.</span>}
          <button type="submit" disabled={busy || !changed} aria-label={`Save changes to ${name}`}>
            Save
          </button>
          {canRemove &&
            (confirming ? (
              <>
                <button
                  ref={confirmRef}
                  type="button"
                  className="danger"
                  disabled={busy}
                  onClick={() => void run(onRemove)}
                  aria-label={`Confirm removal of ${name}`}
                >
                  Confirm removal
                </button>
                <button type="button" onClick={() => setConfirming(false)} aria-label={`Keep ${name}`}>
                  Keep
                </button>
              </>
            ) : (
              <button
                ref={removeRef}
                type="button"
                className="danger-outline"
                onClick={() => setConfirming(true)}
                aria-label={`Remove ${name} from the project`}
              >
                Remove
              </button>
            ))}
          {/* once another role is chosen, what it can do, before it is saved */}
          {role !== member.role && <RoleGuide selected={role} who={name} />}
        </form>
      )}
    </li>
  );
}

function AddMember({
  onAdd,
}: {
  onAdd(member: { email: string; role: TeamRole; expiresOn: string | null }): Promise<boolean>;
}) {
  const id = useId();
  const [email, setEmail] = useState('');
  const roleAndEnd = useRoleAndEnd('analyst');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const added = await onAdd({ email: email.trim(), ...roleAndEnd.chosen });
    setBusy(false);
    // what was typed stays unless it was added: a refusal or an ended sign-in loses nothing
    if (added) {
      setEmail('');
      roleAndEnd.clearEnd();
    }
  };
  return (
    <RoleGivingForm
      id={id}
      title="Add someone by e-mail"
      note="For people who have signed in to this server once, when the clinic’s sign-in service confirms their e-mail. Otherwise, invite them with a link (above)."
      person={{
        name: 'email',
        label: 'E-mail',
        value: email,
        onChange: setEmail,
        maxLength: 320,
        email: true,
      }}
      choice={roleAndEnd.fields}
      roleLabel="Role"
      endLabel="Access ends (optional)"
      submit="Add to project"
      busy={busy}
      onSubmit={submit}
    />
  );
}
