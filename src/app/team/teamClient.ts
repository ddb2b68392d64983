/**
 * The app's side of the team server (`preflight serve`): one small typed client over `fetch`,
 * same origin only. It sends the session's CSRF token on every change, turns each refusal into
 * words for clinic staff, and reports a session that ended (401) so the screens can say so
 * without throwing away what was typed.
 *
 * Constraints: it carries project names, people and roles only — never record content; the app
 * talks to the server over HTTP alone and keeps its own copy of the few shapes it reads. Under
 * `npm start` or any other web server the page carries no team server's mark and asks nothing
 * ({@link probeTeamServer}), so nothing fails in the console.
 */
import type { ProjectAuditFile } from '../../formats/projectAudit.ts';
import type { ServerSigningKey, TeamSession } from '../signoff/serverSigning.ts';

/** The roles of a go-live team, as the server names them. */
export const TEAM_ROLES = ['lead', 'analyst', 'data', 'reviewer', 'steering', 'viewer'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Each role in the words of the roster. */
export const ROLE_LABELS: Readonly<Record<TeamRole, string>> = {
  lead: 'Lead',
  analyst: 'Analyst',
  data: 'Data team',
  reviewer: 'Clinician reviewer',
  steering: 'Steering committee',
  viewer: 'Viewer',
};

/** Who is signed in, as the clinic's identity provider named them. */
export interface TeamUser {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
}

/** What the app learns at start: no team server, or one and who is signed in to it. */
export type TeamServerProbe =
  | { kind: 'none' }
  | { kind: 'server'; signInAvailable: boolean; user: TeamUser | null; csrfToken: string | null };

/** A project in the signed-in person's list. */
export interface TeamProjectSummary {
  id: string;
  name: string;
  role: TeamRole;
  expiresOn: string | null;
}

/** One member on a project's roster. */
export interface TeamMember {
  id: string;
  subject: string;
  name: string | null;
  email: string | null;
  role: TeamRole;
  expiresOn: string | null;
  expired: boolean;
}

/** A project as a member opens it: what they may do in it (`can`) and its roster. */
export interface TeamProject extends TeamProjectSummary {
  can: string[];
  members: TeamMember[];
}

/** The actions the server names in a project's `can` list. */
export const TEAM_ACTIONS = {
  renameProject: 'rename-project',
  addMember: 'add-member',
  changeMember: 'change-member',
  removeMember: 'remove-member',
  readAudit: 'read-audit',
  sign: 'sign',
  manageSigning: 'manage-signing',
} as const;

/** A project's signing keys and its signing idle time (minutes). */
export interface TeamSigningKeys {
  keys: ServerSigningKey[];
  idleMinutes: number;
}

/** What the answer to `/api/session` carries, checked before it is believed. */
const SESSION_FORMAT = 'preflight.session/v1';
const CSRF_HEADER = 'x-csrf-token';

/** The fetch the client uses (the tests give their own at this boundary). */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** A refusal or failure, in words for the person at the screen. */
export class TeamError extends Error {
  constructor(
    message: string,
    /** the HTTP status; 0: the server was not reached */
    readonly status: number,
  ) {
    super(message);
    this.name = 'TeamError';
  }
}

/** What the screens say when a session ended. */
export const SESSION_ENDED =
  'Your sign-in has ended (after 30 minutes without activity, or you signed out elsewhere). Sign in again; what you typed here is kept.';

const UNREACHABLE =
  'The team server could not be reached. Check the network connection and try again; nothing was changed.';

/** The refusal's words: the server's own reason where it gives one, otherwise ours. */
export function explainRefusal(status: number, reason: string | undefined): string {
  const said = reason === undefined || reason === '' ? undefined : capitalise(reason);
  if (status === 401) return SESSION_ENDED;
  if (status === 404)
    return 'This project is not open to you: you are not, or no longer, a member of it. Ask its lead to add you.';
  if (status === 403) return said ?? 'Your role on this project does not allow this. Ask the project’s lead.';
  if (status === 409)
    return said ?? 'This change would leave the project without a lead, so it was not made.';
  if (status === 429) return 'Too many attempts in a short time: wait a minute and try again.';
  if (status >= 500)
    return 'The team server failed to do this; nothing was changed. Its administrator can see why in its log.';
  return said ?? `The team server refused this (${status}).`;
}

const capitalise = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

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
  let response: Response;
  try {
    response = await (fetchImpl ?? fetch)('/api/session', { credentials: 'same-origin' });
  } catch {
    return { kind: 'none' };
  }
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('application/json'))
    return { kind: 'none' };
  const body = (await response.json().catch(() => null)) as {
    format?: unknown;
    signInAvailable?: unknown;
    user?: TeamUser | null;
    csrfToken?: unknown;
  } | null;
  if (body === null || body.format !== SESSION_FORMAT) return { kind: 'none' };
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
  constructor(
    private csrfToken: string,
    private readonly onSessionEnded: () => void,
    // called as a plain function: the browser's fetch refuses to run with another `this`
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  /** After signing in again (in another tab), the new session's token. */
  renew(csrfToken: string): void {
    this.csrfToken = csrfToken;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers[CSRF_HEADER] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(path, {
        method,
        credentials: 'same-origin',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new TeamError(UNREACHABLE, 0);
    }
    if (response.status === 401) this.onSessionEnded();
    if (!response.ok) {
      const reason = ((await response.json().catch(() => ({}))) as { error?: unknown }).error;
      throw new TeamError(
        explainRefusal(response.status, typeof reason === 'string' ? reason : undefined),
        response.status,
      );
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async projects(): Promise<TeamProjectSummary[]> {
    return (await this.call<{ projects: TeamProjectSummary[] }>('GET', '/api/projects')).projects;
  }

  async createProject(name: string): Promise<TeamProjectSummary> {
    return (await this.call<{ project: TeamProjectSummary }>('POST', '/api/projects', { name })).project;
  }

  project(id: string): Promise<TeamProject> {
    return this.call('GET', `/api/projects/${encodeURIComponent(id)}`);
  }

  /** Renames the project; the answer is the name as the server keeps it (trimmed). */
  async renameProject(projectId: string, name: string): Promise<string> {
    const path = `/api/projects/${encodeURIComponent(projectId)}`;
    return (await this.call<{ name: string }>('PATCH', path, { name })).name;
  }

  async addMember(
    projectId: string,
    member: { email: string; role: TeamRole; expiresOn: string | null },
  ): Promise<TeamMember> {
    const path = `/api/projects/${encodeURIComponent(projectId)}/members`;
    return (await this.call<{ member: TeamMember }>('POST', path, member)).member;
  }

  async changeMember(
    projectId: string,
    memberId: string,
    change: { role?: TeamRole; expiresOn?: string | null },
  ): Promise<TeamMember> {
    const path = `/api/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(memberId)}`;
    return (await this.call<{ member: TeamMember }>('PATCH', path, change)).member;
  }

  async removeMember(projectId: string, memberId: string): Promise<void> {
    const path = `/api/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(memberId)}`;
    await this.call<void>('DELETE', path);
  }

  /** The project's audit log, as the file `preflight check` verifies (the server records the read). */
  auditLog(projectId: string): Promise<ProjectAuditFile> {
    return this.call('GET', `/api/projects/${encodeURIComponent(projectId)}/audit`);
  }

  /** Every member's signing key on the project, and the project's signing idle time. */
  signingKeys(projectId: string): Promise<TeamSigningKeys> {
    return this.call('GET', `/api/projects/${encodeURIComponent(projectId)}/signing-keys`);
  }

  async confirmKey(projectId: string, keyId: string): Promise<ServerSigningKey> {
    const path = `/api/projects/${encodeURIComponent(projectId)}/signing-keys/${encodeURIComponent(keyId)}/confirm`;
    return (await this.call<{ key: ServerSigningKey }>('POST', path)).key;
  }

  async revokeKey(projectId: string, keyId: string, reason: string): Promise<ServerSigningKey> {
    const path = `/api/projects/${encodeURIComponent(projectId)}/signing-keys/${encodeURIComponent(keyId)}/revoke`;
    return (await this.call<{ key: ServerSigningKey }>('POST', path, { reason })).key;
  }

  async setSigningIdle(projectId: string, idleMinutes: number): Promise<number> {
    const path = `/api/projects/${encodeURIComponent(projectId)}/signing`;
    return (await this.call<{ idleMinutes: number }>('PATCH', path, { idleMinutes })).idleMinutes;
  }

  /**
   * This session as the signing client takes it (registering a key, signing): the same token and
   * fetch, so an ended session is heard there too.
   */
  signingSession(): TeamSession {
    return {
      base: '',
      csrfToken: this.csrfToken,
      fetchImpl: async (input, init) => {
        const response = await this.fetchImpl(input, init);
        if (response.status === 401) this.onSessionEnded();
        return response;
      },
    };
  }

  async signOut(): Promise<void> {
    await this.call<void>('POST', '/api/logout');
  }
}
