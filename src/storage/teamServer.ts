/**
 * The one way the browser talks to the team server (`preflight serve`): every screen and sync of
 * the app — the team screen, shared workflows, shared records, review assignments, signing —
 * sends its requests through {@link teamRequest} with the signed-in {@link TeamSession}. It
 * sends the session cookie (same origin), JSON both ways, the session's CSRF token on every
 * change, and turns every failure into one {@link TeamError} whose message clinic staff can act
 * on: 401 the sign-in ended (the session hears it, so the screens keep what was typed and say
 * so), 403 the person's role does not allow it, 404 marked `project-not-open` the project is not
 * open to them (never a member, or no longer), any other 404 the thing asked for is not in a
 * project they are on (the server's words), no answer at all the server could not be reached
 * (the caller keeps what it queued).
 *
 * Constraints: no record content goes in a URL (ids are percent-encoded path segments; the
 * bodies are the callers'); the app never imports src/server: a route with a contract
 * (src/core/teamApi) is asked through {@link teamCall}, typed by the same schemas the server
 * validates with.
 */
import {
  type AnswerOf,
  pathOf,
  pullRecordsRoute,
  type RefusalOf,
  type RequestOf,
  type RouteContract,
  sessionRoute,
  WRITE_REFUSAL_CODES,
  writeRecordRoute,
} from '../core/teamApi/index.ts';
import {
  CHANGE_ID_HEADER,
  type PendingWrite,
  type PutAnswer,
  RecordRefusal,
  type RecordTransport,
} from '../core/teamRecords/index.ts';

/** The fetch used (the browser's; the tests give one that carries a test person's cookie). */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * A signed-in session with the team server. One object per session: renewing it after signing in
 * again (`csrfToken`) reaches every caller that holds it.
 */
export interface TeamSession {
  /** the server's origin; '' for the page's own */
  base: string;
  csrfToken: string;
  /** the fetch to use; default the page's own */
  fetchImpl?: Fetch;
  /** hears every 401: the sign-in ended under the person */
  onSessionEnded?: () => void;
  /**
   * whose session it is (issuer and subject, space-separated): a token fetched afresh
   * ({@link renewSessionToken}) is taken only from a session of the same person
   */
  person?: string;
}

/**
 * What a holder of a session may hear of it: `answered`, the server answered a request (it can
 * be reached); `renewed`, the session was signed in again and carries a new token.
 */
export type SessionNews = 'answered' | 'renewed';

/** Who listens to each session (a session is one object, so it keys them). */
const listeners = new WeakMap<TeamSession, Set<(news: SessionNews) => void>>();

/**
 * Listens to `session`'s news until the returned function is called: what waits for the server
 * (a queue of decisions) goes as soon as a request got through or a sign-in came back, rather
 * than when its own next try comes round.
 */
export function listenToSession(session: TeamSession, listener: (news: SessionNews) => void): () => void {
  let heard = listeners.get(session);
  if (heard === undefined) {
    heard = new Set();
    listeners.set(session, heard);
  }
  heard.add(listener);
  return () => heard.delete(listener);
}

/** Tells `session`'s listeners `news`. */
export function tellSession(session: TeamSession, news: SessionNews): void {
  for (const listener of [...(listeners.get(session) ?? [])]) listener(news);
}

/** The mark of the server's refusal of a change without its session's CSRF token (`code`). */
export const CSRF_REFUSED = 'csrf-token';

/**
 * Asks the server who is signed in now and, when it is the session's person (or the session
 * names none) with another token, keeps that token in `session` and tells its listeners:
 * a page whose person signed in again in another tab sends with the new session's token, never
 * the old one's. Resolves true when the session now carries a live token of its person, false
 * when no one is signed in, someone else is, or the server was not reached.
 */
export async function renewSessionToken(session: TeamSession): Promise<boolean> {
  let answer: AnswerOf<typeof sessionRoute>;
  try {
    answer = await teamCall(session, sessionRoute);
  } catch {
    return false;
  }
  const { user, csrfToken } = answer;
  if (user === null || user === undefined || typeof csrfToken !== 'string') return false;
  if (session.person !== undefined && session.person !== `${user.issuer} ${user.subject}`) return false;
  if (csrfToken !== session.csrfToken) {
    session.csrfToken = csrfToken;
    tellSession(session, 'renewed');
  }
  return true;
}

/** The header the server reads the CSRF token from. */
export const CSRF_HEADER = 'x-csrf-token';

/** What is said when a session ended. */
export const SESSION_ENDED =
  'Your sign-in has ended (after 30 minutes without activity, or you signed out elsewhere). Sign in again; what you typed here is kept.';

/** What is said when the server was not reached (a caller that keeps the change says so itself). */
export const UNREACHABLE =
  'The team server could not be reached. Check the network connection and try again; nothing was changed.';

/** What is said when a project is not open to the person (the server answers 404 to non-members). */
export const NOT_A_MEMBER =
  'This project is not open to you: you are not, or no longer, a member of it. Ask its lead to add you.';

/**
 * The mark of the server's 404 to someone the project is not open to (`code` in its answer):
 * told apart from a 404 for something missing inside a project the person is on.
 */
export const PROJECT_NOT_OPEN = 'project-not-open';

/** What is said for a 404 the server gave no reason for (a thing no longer there). */
export const NOT_THERE =
  'This is no longer on the team server: someone may have removed it. Reload the page to see what is there.';

/** What is said when the person's role does not allow an action and the server gave no reason. */
export const ROLE_REFUSED = 'Your role on this project does not allow this. Ask the project’s lead.';

/**
 * The refusal's words: the server's own reason where it gives one, otherwise ours. `code`: the
 * answer's mark; a 404 marked {@link PROJECT_NOT_OPEN} always reads as "not open to you".
 */
export function explainRefusal(status: number, reason: string | undefined, code?: string): string {
  const said = reason === undefined || reason === '' ? undefined : capitalise(reason);
  if (status === 0) return UNREACHABLE;
  if (status === 401) return SESSION_ENDED;
  if (status === 404) return code === PROJECT_NOT_OPEN ? NOT_A_MEMBER : (said ?? NOT_THERE);
  if (status === 403) return said ?? ROLE_REFUSED;
  if (status === 409)
    return said ?? 'Someone changed this meanwhile, so your change was not made. Reload and try again.';
  if (status === 429) return 'Too many attempts in a short time: wait a minute and try again.';
  // the server cannot save for a cause of its own (its disk, its clock): its words say which
  if (status === 503 && said !== undefined && isWriteRefusal(code)) return said;
  if (status >= 500)
    return 'The team server failed to do this; nothing was changed. Its administrator can see why in its log.';
  return said ?? `The team server refused this (${status}). Reload the page and try again.`;
}

/** Whether `code` marks a cause that refuses every change on the server (see {@link TeamError.cannotSave}). */
function isWriteRefusal(code: string | undefined): boolean {
  return code !== undefined && (WRITE_REFUSAL_CODES as readonly string[]).includes(code);
}

const capitalise = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** A refusal or failure of a team server request, in words for the person at the screen. */
export class TeamError extends Error {
  override name = 'TeamError';
  constructor(
    /** the HTTP status; 0: the server was not reached */
    readonly status: number,
    /** the server's own reason as it gave it ('' when none) */
    readonly reason: string,
    /** the answer's JSON body, if it had one (a 409 carries the server's current record) */
    readonly answer?: unknown,
  ) {
    super(explainRefusal(status, reason, codeOf(answer)));
  }
  /** the request never reached the server: nothing was refused; keep the change and try later */
  get offline(): boolean {
    return this.status === 0;
  }
  /**
   * the server cannot save anything now (its disk full, its clock wrong): nothing about this
   * change was wrong, so it is kept and sent again later
   */
  get cannotSave(): boolean {
    return this.status === 503 && isWriteRefusal(codeOf(this.answer));
  }
  /** the sign-in ended */
  get signedOut(): boolean {
    return this.status === 401;
  }
  /** the change went with no CSRF token or another session's: the page's token is an old session's */
  get tokenRefused(): boolean {
    return this.status === 403 && codeOf(this.answer) === CSRF_REFUSED;
  }
  /** the person's role does not allow this */
  get roleRefused(): boolean {
    return this.status === 403;
  }
  /** the project is not open to the person (never a member, or removed): the server's marked 404 */
  get notMember(): boolean {
    return this.status === 404 && codeOf(this.answer) === PROJECT_NOT_OPEN;
  }
}

/** The mark of a refusal's answer (`code`), if it has one. */
function codeOf(answer: unknown): string | undefined {
  const code =
    typeof answer === 'object' && answer !== null ? (answer as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Sends one request to the team server and reads its JSON answer (undefined for an empty one).
 * Anything but a 2xx is a {@link TeamError}; so is an answer that is not JSON, which is what a
 * web server other than the team server gives.
 */
export async function teamRequest<T>(
  session: TeamSession,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: {
    /**
     * Asks as a page's own link would (no `accept` header): the question whether a team server is
     * there at all, which a static server answers with the app's page rather than a failure.
     */
    asPage?: boolean;
    /**
     * The page's id of the change the request makes (core `isChangeId`): the server tells it back
     * with the change's event to this person's streams, so the screen knows its own change's echo.
     */
    change?: string;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = options.asPage ? {} : { accept: 'application/json' };
  if (method !== 'GET') headers[CSRF_HEADER] = session.csrfToken;
  if (options.change !== undefined) headers[CHANGE_ID_HEADER] = options.change;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    // called as a plain function: the browser's fetch refuses to run with another `this`
    const doFetch: Fetch = session.fetchImpl ?? ((input, init) => fetch(input, init));
    response = await doFetch(`${session.base}${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new TeamError(0, '');
  }
  if (response.status === 401) session.onSessionEnded?.();
  const text = await response.text().catch(() => '');
  let answer: unknown;
  let json = true;
  try {
    answer = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = false;
  }
  if (response.ok) tellSession(session, 'answered');
  else {
    const reason = (answer as { error?: unknown } | undefined)?.error;
    throw new TeamError(response.status, typeof reason === 'string' ? reason : '', answer);
  }
  if (!json) throw new TeamError(response.status, 'the team server did not answer as expected');
  return answer as T;
}

/**
 * Asks the route `contract` describes: its address built from the request's params and query,
 * its body sent as the contract types it, its answer typed by the contract. Refusals and failures
 * are {@link TeamError}s, as for {@link teamRequest}.
 */
export function teamCall<C extends RouteContract>(
  session: TeamSession,
  contract: C,
  ...[request, options]: Record<string, never> extends RequestOf<C>
    ? [request?: RequestOf<C>, options?: { asPage?: boolean; change?: string }]
    : [request: RequestOf<C>, options?: { asPage?: boolean; change?: string }]
): Promise<AnswerOf<C>> {
  const { params, query, body } = (request ?? {}) as {
    params?: Record<string, string>;
    query?: Record<string, string | undefined>;
    body?: unknown;
  };
  return teamRequest<AnswerOf<C>>(
    session,
    contract.method,
    pathOf(contract, params, query),
    body,
    options ?? {},
  );
}

/**
 * The shared records of `projectId` over the session: a pull of what changed after a version, and
 * one write per record naming the version it was based on. A 409 is an answer (the server's
 * current record), not a failure; any other refusal is the sync's `RecordRefusal` with the words
 * of {@link TeamError}; a request that never reached the server throws the {@link TeamError}
 * itself, so the sync keeps the write queued.
 */
export function httpRecordTransport(session: TeamSession, projectId: string): RecordTransport {
  // a project no longer open to the person is said so, not in the server's "no such project"
  // one the server could not save for a cause of its own stays queued, like one not sent
  const refusal = (error: unknown) =>
    error instanceof TeamError && !error.offline && !error.cannotSave
      ? new RecordRefusal(error.status, error.notMember ? NOT_A_MEMBER : error.reason)
      : error;
  return {
    async pull(after) {
      let answer: Partial<AnswerOf<typeof pullRecordsRoute>> | undefined;
      try {
        answer = await teamCall(session, pullRecordsRoute, {
          params: { projectId },
          query: { after: String(after) },
        });
      } catch (error) {
        throw refusal(error);
      }
      // checked as well as typed: a proxy or another web server may answer in its place
      if (typeof answer?.head !== 'number' || !Array.isArray(answer.records))
        throw new RecordRefusal(200, 'the team server did not answer as expected');
      return { head: answer.head, records: answer.records };
    },
    async put(write: PendingWrite): Promise<PutAnswer> {
      try {
        const { record } = await teamCall(session, writeRecordRoute, {
          params: { projectId, kind: write.kind, recordId: write.id },
          body: { baseVersion: write.baseVersion, body: write.body as object | unknown[] | null },
        });
        return { ok: true, record };
      } catch (error) {
        const current = (error instanceof TeamError ? error.answer : undefined) as
          | Partial<RefusalOf<typeof writeRecordRoute, 409>>
          | undefined;
        if (error instanceof TeamError && error.status === 409 && current?.current != null)
          return { ok: false, current: current.current };
        throw refusal(error);
      }
    },
  };
}
