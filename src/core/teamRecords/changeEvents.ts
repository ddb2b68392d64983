/**
 * What the team server tells a shared project's open browsers when something in the project
 * changed: the kind of change and when, never what changed. A browser that hears a kind reloads
 * what it shows of that kind through the routes it already reads, where its role is checked.
 *
 * Constraints: an event carries no record content, no names and no ids below the project — the
 * stream is as safe to log or proxy as the route patterns. A kind is coarse on purpose: a screen
 * that reloads once too often costs one request; one that misses a change shows a stale record.
 * The one id an event may carry is the change's own ({@link CHANGE_ID_HEADER}): a random word the
 * page that made the change chose, told back only to the streams of the person who made it, so
 * a screen knows the echo of its own change and need not read again what it already shows.
 */

/** The kinds of change a project's stream announces, each the area of the routes that make it. */
export const TEAM_CHANGE_KINDS = [
  /** the project's name */
  'project',
  /** the roster: members added, changed, removed */
  'members',
  /** shared workflows: changes, versions, restores */
  'workflows',
  /** shared records (readiness, plans, checks…) */
  'records',
  /** review assignments: sent reviews, plans, who reviews which pass */
  'reviews',
  /** reviewers' decisions, adjudicators' rulings, adjudication closed */
  'decisions',
  /** signatures made on the server (sign-off roles) */
  'signatures',
  /** signing keys registered, confirmed, revoked; the signing idle time */
  'signing-keys',
  /** steering members' go / no-go signatures */
  'steering',
  /** sign-off exports recorded on the server */
  'exports',
] as const;

/** One kind of change in a shared project. */
export type TeamChangeKind = (typeof TEAM_CHANGE_KINDS)[number];

/** One event on a project's stream (`data:` of a server-sent event, as JSON). */
export interface TeamChange {
  kind: TeamChangeKind;
  /** when the server finished the change, milliseconds since the epoch */
  at: number;
  /**
   * the id the request that made the change gave it ({@link CHANGE_ID_HEADER}); told only to the
   * person who made it
   */
  change?: string;
}

/**
 * The request header a page names its change by (optional): a random word of its own, which the
 * server tells back with the change's event to that person's streams only.
 */
export const CHANGE_ID_HEADER = 'x-preflight-change';

/** What a change's id may be: a random word (a UUID fits), never anything that says what changed. */
export const CHANGE_ID_PATTERN = '^[A-Za-z0-9-]{8,64}$';
const CHANGE_ID = new RegExp(CHANGE_ID_PATTERN);

/** Whether `value` may be a change's id. */
export function isChangeId(value: unknown): value is string {
  return typeof value === 'string' && CHANGE_ID.test(value);
}

const KIND_SET: ReadonlySet<string> = new Set(TEAM_CHANGE_KINDS);

/** Whether `value` names a {@link TeamChangeKind}. */
function isTeamChangeKind(value: unknown): value is TeamChangeKind {
  return typeof value === 'string' && KIND_SET.has(value);
}

/**
 * The change an event's data holds, or undefined for anything else (a newer server's kind this
 * app does not know, or a broken line): an unknown event is ignored, never guessed at.
 */
export function parseTeamChange(data: string): TeamChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, at, change } = value as { kind?: unknown; at?: unknown; change?: unknown };
  if (!isTeamChangeKind(kind) || typeof at !== 'number' || !Number.isFinite(at)) return undefined;
  // an id that is not one is dropped, never the change: it is then heard as another's
  return isChangeId(change) ? { kind, at, change } : { kind, at };
}

/** The routes under a project whose successful changes are announced, by pattern below the project. */
const ROUTE_KINDS: readonly (readonly [RegExp, TeamChangeKind | null])[] = [
  // WebAuthn options hand out a challenge: nothing in the project changed
  [/\/options$/, null],
  [/^\/members(\/|$)/, 'members'],
  [/^\/workflows(\/|$)/, 'workflows'],
  [/^\/records(\/|$)/, 'records'],
  [/^\/reviews\/:reviewId\/(decisions|packet-decisions|adjudication)(\/|$)/, 'decisions'],
  [/^\/reviews\/:reviewId\/exports$/, 'exports'],
  [/^\/reviews(\/|$)/, 'reviews'],
  [/^\/steering-signatures$/, 'steering'],
  [/^\/signatures$/, 'signatures'],
  [/^\/signing(-keys)?(\/|$)/, 'signing-keys'],
  // the event stream itself is read-only; anything else under a project is the project
  [/^\/events$/, null],
];

/** The route prefix of a project's routes. */
const PROJECT_ROUTE_PREFIX = '/api/projects/:projectId';

const CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The kind of change a request to `routePattern` (fastify's pattern, e.g.
 * `/api/projects/:projectId/records/:kind/:recordId`) by `method` makes in its project, or
 * undefined where it changes nothing others see (a read, a WebAuthn challenge, a route outside
 * a project). A changing route the table does not name is `project`, so a new route is announced
 * too, coarsely, until it gets its own row.
 */
export function changeKindOfRoute(method: string, routePattern: string): TeamChangeKind | undefined {
  if (!CHANGING_METHODS.has(method)) return undefined;
  if (routePattern !== PROJECT_ROUTE_PREFIX && !routePattern.startsWith(`${PROJECT_ROUTE_PREFIX}/`))
    return undefined;
  const below = routePattern.slice(PROJECT_ROUTE_PREFIX.length);
  for (const [pattern, kind] of ROUTE_KINDS) if (pattern.test(below)) return kind ?? undefined;
  return 'project';
}
