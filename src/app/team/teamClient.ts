/**
 * The app's side of the team server (`preflight serve`): the team screen's typed calls, over the
 * one request of `src/storage/teamServer.ts` (CSRF token, refusals in words for clinic staff, a
 * session that ended (401) reported so the screens can say so without throwing away what was
 * typed).
 *
 * Constraints: it carries project names, people and roles only — never record content; the app
 * talks to the server over HTTP alone, typed by a route's contract where it has one
 * (src/core/teamApi), and reads roles from the one role table the server refuses by. Under
 * `npm start` or any other web server the page carries no team server's mark and asks nothing
 * ({@link probeTeamServer}), so nothing fails in the console.
 */
import { RESULT_SIGNER_ROLES } from '../../core/signoff/signing/index.ts';
import {
  type AnswerOf,
  type AuditFilter,
  addMemberRoute,
  changeMemberRoute,
  confirmKeyRoute,
  createInvitationRoute,
  createProjectRoute,
  type FilteredAudit,
  type Invitation,
  listInvitationsRoute,
  listProjectsRoute,
  type NewInvitation,
  type OpenProject,
  openProjectRoute,
  type ProjectAction,
  type ProjectMember,
  type ProjectSigningKeys,
  type ProjectSummary,
  projectAuditRoute,
  ROLE_LABELS,
  type Role,
  redeemInvitationRoute,
  removeMemberRoute,
  renameProjectRoute,
  revokeInvitationRoute,
  revokeKeyRoute,
  SESSION_FORMAT,
  sessionRoute,
  signingKeysRoute,
  signingSettingsRoute,
  signOutRoute,
  type TeamUser,
} from '../../core/teamApi/index.ts';
import type { ProjectAuditFile } from '../../formats/projectAudit.ts';
import { type Fetch, type TeamSession, teamCall, tellSession } from '../../storage/teamServer.ts';
import type { ServerSigningKey } from '../signoff/serverSigning.ts';

export {
  explainRefusal,
  type Fetch,
  NOT_A_MEMBER,
  SESSION_ENDED,
  TeamError,
} from '../../storage/teamServer.ts';

export type { TeamUser };

/** A role of a go-live team (the core's role table, which the server refuses by). */
export type TeamRole = Role;

/** Each role in the words of the roster (the core's, beside the role table). */
export { ROLE_LABELS };

/**
 * The roles that sign a sample's result (approval or confirmation) on the server, read from the
 * core's table of what each role may sign, which the server refuses by; a reviewer signs only her
 * own review or adjudications.
 */
export const RESULT_SIGNING_ROLES: readonly TeamRole[] = RESULT_SIGNER_ROLES;

/** What the app learns at start: no team server, or one and who is signed in to it. */
type TeamServerProbe =
  | { kind: 'none' }
  | { kind: 'server'; signInAvailable: boolean; user: TeamUser | null; csrfToken: string | null };

/** A project in the signed-in person's list (its contract: src/core/teamApi/projects.ts). */
export type TeamProjectSummary = ProjectSummary;

/** One member on a project's roster. */
export type TeamMember = ProjectMember;

/** A project as a member opens it: what they may do in it (`can`) and its roster (the screens never show when it was made). */
export type TeamProject = Omit<OpenProject, 'createdAt'>;

/** The actions the server names in a project's `can` list. */
export const TEAM_ACTIONS = {
  renameProject: 'rename-project',
  addMember: 'add-member',
  changeMember: 'change-member',
  removeMember: 'remove-member',
  readAudit: 'read-audit',
  sign: 'sign',
  manageSigning: 'manage-signing',
} as const satisfies Readonly<Record<string, ProjectAction>>;

/** An invitation to a project that can still be used, as its lead sees it (never its code). */
export type TeamInvitation = Invitation;

/** A new invitation: its link (with the code, shown this once) and the invitation. */
export type NewTeamInvitation = NewInvitation;

/** A project's signing keys and its signing idle time (minutes). */
export type TeamSigningKeys = ProjectSigningKeys;

/** The meta element `preflight serve` adds to the page it serves: `<meta name="preflight-team-server">`. */
export const TEAM_SERVER_META = 'preflight-team-server';

/**
 * Whether this page came from a team server, read from the mark `preflight serve` puts in it.
 * Served any other way (`npm start`, a clinic's own web server), the page asks the team server
 * nothing, so no request fails in the console.
 */
export function servedByTeamServer(
  doc: Pick<Document, 'querySelector'> | undefined = typeof document === 'undefined' ? undefined : document,
): boolean {
  return doc?.querySelector(`meta[name="${TEAM_SERVER_META}"]`) != null;
}

/**
 * Asks whether a team server serves this app, and who is signed in. The page's own question
 * (no `fetchImpl`) is asked only of a page a team server marked; anything but the server's own
 * answer means there is none.
 */
export async function probeTeamServer(fetchImpl?: Fetch): Promise<TeamServerProbe> {
  if (fetchImpl === undefined && !servedByTeamServer()) return { kind: 'none' };
  // typed by the route's contract, and checked too: any web server may answer this address
  let body: Partial<AnswerOf<typeof sessionRoute>>;
  try {
    const session: TeamSession = {
      base: '',
      csrfToken: '',
      ...(fetchImpl === undefined ? {} : { fetchImpl }),
    };
    body = (await teamCall(session, sessionRoute, {}, { asPage: true })) ?? {};
  } catch {
    // no answer, a refusal or a page instead of JSON: no team server serves this app
    return { kind: 'none' };
  }
  if (body.format !== SESSION_FORMAT) return { kind: 'none' };
  return {
    kind: 'server',
    signInAvailable: body.signInAvailable === true,
    user: body.user ?? null,
    csrfToken: typeof body.csrfToken === 'string' ? body.csrfToken : null,
  };
}

/** Where "Sign in" goes: the server's sign-in, returning to `hash` (the place the person is). */
export function signInHref(hash: string): string {
  return /^#\/./.test(hash) ? `/api/login?return=${encodeURIComponent(hash)}` : '/api/login';
}

/** A client of the team server for one session. `onSessionEnded` hears every 401. */
export class TeamClient {
  /** the session every request of the app's goes with (the team screen's, the syncs', signing's) */
  readonly session: TeamSession;

  constructor(csrfToken: string, onSessionEnded: () => void, fetchImpl?: Fetch) {
    this.session = { base: '', csrfToken, onSessionEnded, ...(fetchImpl === undefined ? {} : { fetchImpl }) };
  }

  /**
   * After signing in again (in another tab), the new session's token and its person (issuer and
   * subject), for every holder of the session; a new token is told to its listeners, so what
   * waited for the sign-in (a reviewer's decisions) goes now.
   */
  renew(csrfToken: string, person?: string): void {
    if (person !== undefined) this.session.person = person;
    if (csrfToken === this.session.csrfToken) return;
    this.session.csrfToken = csrfToken;
    tellSession(this.session, 'renewed');
  }

  async projects(): Promise<TeamProjectSummary[]> {
    return (await teamCall(this.session, listProjectsRoute)).projects;
  }

  async createProject(name: string): Promise<TeamProjectSummary> {
    return (await teamCall(this.session, createProjectRoute, { body: { name } })).project;
  }

  project(projectId: string): Promise<TeamProject> {
    return teamCall(this.session, openProjectRoute, { params: { projectId } });
  }

  /** Renames the project; the answer is the name as the server keeps it (trimmed). */
  async renameProject(projectId: string, name: string): Promise<string> {
    return (await teamCall(this.session, renameProjectRoute, { params: { projectId }, body: { name } })).name;
  }

  async addMember(
    projectId: string,
    member: { email: string; role: TeamRole; expiresOn: string | null },
  ): Promise<TeamMember> {
    return (await teamCall(this.session, addMemberRoute, { params: { projectId }, body: member })).member;
  }

  async changeMember(
    projectId: string,
    memberId: string,
    change: { role?: TeamRole; expiresOn?: string | null },
  ): Promise<TeamMember> {
    const params = { projectId, memberId };
    return (await teamCall(this.session, changeMemberRoute, { params, body: change })).member;
  }

  async removeMember(projectId: string, memberId: string): Promise<void> {
    await teamCall(this.session, removeMemberRoute, { params: { projectId, memberId } });
  }

  /** Makes a one-use invitation to the project (the lead's); the answer carries its link once. */
  createInvitation(
    projectId: string,
    invitation: { role: TeamRole; expiresOn: string | null; label: string | null },
  ): Promise<NewTeamInvitation> {
    return teamCall(this.session, createInvitationRoute, { params: { projectId }, body: invitation });
  }

  /** The project's invitations that can still be used, newest first. */
  async invitations(projectId: string): Promise<TeamInvitation[]> {
    return (await teamCall(this.session, listInvitationsRoute, { params: { projectId } })).invitations;
  }

  async revokeInvitation(projectId: string, invitationId: string): Promise<void> {
    await teamCall(this.session, revokeInvitationRoute, { params: { projectId, invitationId } });
  }

  /** Joins the project an invitation's code is for, as the person signed in. */
  async redeemInvitation(code: string): Promise<TeamProjectSummary> {
    return (await teamCall(this.session, redeemInvitationRoute, { body: { code } })).project;
  }

  /**
   * The project's audit log, as the file `preflight check` verifies (the server records the read);
   * with `filter`, the lead's view of the entries that match it (no head: not a file to keep).
   */
  auditLog(projectId: string, filter: AuditFilter = {}): Promise<ProjectAuditFile & Partial<FilteredAudit>> {
    return teamCall(this.session, projectAuditRoute, { params: { projectId }, query: filter });
  }

  /** Every member's signing key on the project, and the project's signing idle time. */
  signingKeys(projectId: string): Promise<TeamSigningKeys> {
    return teamCall(this.session, signingKeysRoute, { params: { projectId } });
  }

  async confirmKey(projectId: string, keyId: string): Promise<ServerSigningKey> {
    return (await teamCall(this.session, confirmKeyRoute, { params: { projectId, keyId } })).key;
  }

  async revokeKey(projectId: string, keyId: string, reason: string): Promise<ServerSigningKey> {
    return (await teamCall(this.session, revokeKeyRoute, { params: { projectId, keyId }, body: { reason } }))
      .key;
  }

  async setSigningIdle(projectId: string, idleMinutes: number): Promise<number> {
    const params = { projectId };
    return (await teamCall(this.session, signingSettingsRoute, { params, body: { idleMinutes } }))
      .idleMinutes;
  }

  async signOut(): Promise<void> {
    await teamCall(this.session, signOutRoute);
  }
}
