/**
 * The app's addresses: every place a user can be has a hash route, so Back and Forward move between
 * places, a reload reopens the same place and a place can be bookmarked or passed on. Hash routing
 * needs no server configuration (the app is static files).
 *
 * A route carries names of places and ids only — never record content: addresses end up in browser
 * history, bookmarks and screenshots. A workflow's id and a process's key are names the clinic chose
 * for its processes, not patient data.
 *
 * An address may name the project it is in: `#/project/<id>/workflows/…`. Opening it switches to
 * that project, so an address copied in one project never shows another's screen. The project is
 * named by its id, never its name (a name can be a patient's or a clinic's words). An address
 * without the project part (every address made before projects were named in them) means the
 * project open now.
 *
 * `parseAddress(serialiseAddress(a))` is `a` for every address (a property test holds it); an
 * address that names no place parses to `not-found`, never a silent default.
 */

export const WORKSPACES = [
  { id: 'workflows', label: 'Workflows' },
  { id: 'migration', label: 'Migration' },
  { id: 'signoff', label: 'Sign-off' },
  { id: 'readiness', label: 'Readiness' },
] as const;

export type WorkspaceId = (typeof WORKSPACES)[number]['id'];

/** The tabs of a process page, in the order shown. */
export const PROCESS_TABS = [
  { id: 'map', label: 'Map' },
  { id: 'findings', label: 'Findings' },
  { id: 'compare', label: 'Today vs planned' },
  { id: 'training', label: 'Training by role' },
  { id: 'capacity', label: 'Go-live capacity' },
  { id: 'settings', label: 'Check settings' },
] as const;

export type ProcessTab = (typeof PROCESS_TABS)[number]['id'];

/**
 * The tabs of the Readiness screen, in the order shown: the go/no-go and its reasons first (a
 * committee member reads that before anything else), then the evidence per phase, the clinic's
 * records that feed it, the gates, the committee's decision and the evidence pack. The first tab
 * is the screen's plain address, `#/readiness`.
 */
export const READINESS_TABS = [
  { id: 'decision', label: 'Go/no-go' },
  { id: 'phases', label: 'Phases' },
  { id: 'training', label: 'Training and support' },
  { id: 'safety', label: 'Downtime and safety' },
  { id: 'cutover', label: 'Cutover and command centre' },
  { id: 'gates', label: 'Gates' },
  { id: 'steering', label: 'Steering decision' },
  { id: 'pack', label: 'Evidence pack' },
] as const;

export type ReadinessTab = (typeof READINESS_TABS)[number]['id'];

/**
 * The event-log tools: find today's workflow in a log, check a log against the plan, check a
 * workflow's capacity model against a log (the back-test).
 */
export const LOG_TOOLS = ['discover', 'check', 'model'] as const;

export type LogTool = (typeof LOG_TOOLS)[number];

/** The views of a discovery's result, in the order shown: the process map first. */
export const DISCOVER_VIEWS = [
  { id: 'map', label: 'Process map' },
  { id: 'variants', label: 'Variants' },
] as const;

export type DiscoverView = (typeof DISCOVER_VIEWS)[number]['id'];

/** What a process map shows on its boxes and arrows: how often, or how long. */
export const MAP_MEASURES = ['frequency', 'performance'] as const;

export type MapMeasure = (typeof MAP_MEASURES)[number];

const isDiscoverView = (value: string): value is DiscoverView => DISCOVER_VIEWS.some((v) => v.id === value);
const isMapMeasure = (value: string): value is MapMeasure =>
  (MAP_MEASURES as readonly string[]).includes(value);

/** A place inside the Workflows workspace. */
export type WorkflowsPlace =
  | { page: 'list' }
  | { page: 'process'; process: string; tab: ProcessTab }
  /**
   * `inside`: the sub-process whose page is open (absent: the workflow's own page); `step`: the
   * step chosen as the editor opens (a link from failing data to the step that uses it), on the
   * workflow's own page
   */
  | { page: 'editor'; workflow: string; inside?: string; step?: string }
  /** a workflow shared with a team project on the team server, in the editor */
  | { page: 'team'; project: string; workflow: string }
  /** the printable document of one process: its maps, steps, findings and training sheets */
  | { page: 'document'; process: string }
  /**
   * `view`: the result's view (absent: the map); `measure`: the map's figures (absent: frequency),
   * only with the map
   */
  | { page: 'logs'; tool: 'discover'; view?: DiscoverView; measure?: MapMeasure }
  /** `workflow`: the planned workflow checked against, whose last check the page shows */
  | { page: 'logs'; tool: 'check'; workflow?: string }
  /** `workflow`: the workflow whose capacity model is checked, whose last back-test the page shows */
  | { page: 'logs'; tool: 'model'; workflow?: string };

/** A place in the app. */
export type Route =
  | { workspace: 'workflows'; place: WorkflowsPlace }
  /** `tab`: absent on the screen's plain address, which shows the go/no-go */
  | { workspace: 'readiness'; tab?: ReadinessTab }
  /** `report`: a report the project keeps, opened on the screen (a link from a step to its failing data) */
  | { workspace: 'migration'; report?: string }
  | { workspace: Exclude<WorkspaceId, 'workflows' | 'readiness' | 'migration'> }
  /**
   * the team server's projects (shown only when a team server serves the app): the list, or one
   * project's roster and audit log, `teamProject` being the server's id of it
   */
  /**
   * `invitation`: an invitation to a team project (`#/join/<code>`), its code — or empty once the
   * page has put the code aside in this tab (`#/join`), so signing in does not carry it
   */
  | { workspace: 'team'; teamProject?: string; invitation?: string }
  | { workspace: 'not-found' };

/** The start page: the list of processes. */
export const HOME: Route = { workspace: 'workflows', place: { page: 'list' } };

const isProcessTab = (value: string): value is ProcessTab => PROCESS_TABS.some((t) => t.id === value);
const isReadinessTab = (value: string): value is ReadinessTab => READINESS_TABS.some((t) => t.id === value);

/** One path segment, or null when it is not valid percent-encoding. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const NOT_FOUND: Route = { workspace: 'not-found' };

function parseWorkflows(rest: string[]): Route {
  const [page, ...args] = rest;
  const decoded = args.map(decodeSegment);
  if (decoded.some((s) => s === null || s === '')) return NOT_FOUND;
  const [first, second] = decoded as string[];
  if (page === undefined) return HOME;
  if (page === 'process' && first !== undefined && args.length <= 2) {
    if (second === undefined)
      return { workspace: 'workflows', place: { page: 'process', process: first, tab: 'map' } };
    return isProcessTab(second)
      ? { workspace: 'workflows', place: { page: 'process', process: first, tab: second } }
      : NOT_FOUND;
  }
  if (page === 'document' && first !== undefined && args.length === 1) {
    return { workspace: 'workflows', place: { page: 'document', process: first } };
  }
  if (page === 'workflow' && first !== undefined && args.length === 1) {
    return { workspace: 'workflows', place: { page: 'editor', workflow: first } };
  }
  const third = decoded[2];
  if (page === 'workflow' && first !== undefined && second === 'inside' && third && args.length === 3) {
    return { workspace: 'workflows', place: { page: 'editor', workflow: first, inside: third } };
  }
  if (page === 'workflow' && first !== undefined && second === 'step' && third && args.length === 3) {
    return { workspace: 'workflows', place: { page: 'editor', workflow: first, step: third } };
  }
  if (page === 'team' && first !== undefined && second !== undefined && args.length === 2) {
    return { workspace: 'workflows', place: { page: 'team', project: first, workflow: second } };
  }
  if (page === 'logs' && args.length <= 3) {
    if (first === undefined || (first === 'discover' && second === undefined)) {
      return { workspace: 'workflows', place: { page: 'logs', tool: 'discover' } };
    }
    if (first === 'discover' && second !== undefined && isDiscoverView(second)) {
      const third = (decoded as string[])[2];
      if (third === undefined)
        return { workspace: 'workflows', place: { page: 'logs', tool: 'discover', view: second } };
      return second === 'map' && isMapMeasure(third)
        ? { workspace: 'workflows', place: { page: 'logs', tool: 'discover', view: second, measure: third } }
        : NOT_FOUND;
    }
    if ((first !== 'check' && first !== 'model') || args.length > 2) return NOT_FOUND;
    return {
      workspace: 'workflows',
      place: { page: 'logs', tool: first, ...(second === undefined ? {} : { workflow: second }) },
    };
  }
  return NOT_FOUND;
}

/** A place and the project it is in; `project` absent: the project open now. */
export interface Address {
  project?: string;
  route: Route;
}

/** The first segment of an address that names its project: `#/project/<id>/…`. */
const PROJECT_SEGMENT = 'project';
/** The first segment of an invitation's address, `#/join/<code>`. */
const JOIN_SEGMENT = 'join';

/**
 * The project and place an address's hash names. No hash at all (or `#`, `#/`) is the start page
 * of the open project; `#/project/<id>` alone is the start page of that project; a trailing slash
 * is ignored; anything else that names no place is `not-found` (with no project).
 */
export function parseAddress(hash: string): Address {
  const path = hash.replace(/^#\/?/, '').replace(/\/$/, '');
  const segments = path.split('/');
  if (segments[0] !== PROJECT_SEGMENT) return { route: parsePath(segments) };
  const [, encoded, ...rest] = segments;
  const project = encoded === undefined ? null : decodeSegment(encoded);
  if (project === null || project === '') return { route: NOT_FOUND };
  const route = parsePath(rest.length === 0 ? [''] : rest);
  return route.workspace === 'not-found' ? { route } : { project, route };
}

/** The place an address's hash names, whichever project it names (see {@link parseAddress}). */
export function parseRoute(hash: string): Route {
  return parseAddress(hash).route;
}

/** The place a path's segments name; `['']` is the start page. */
function parsePath(segments: string[]): Route {
  const [workspace, ...rest] = segments;
  if (rest.length === 0 && workspace === '') return HOME;
  if (workspace === 'workflows') return parseWorkflows(rest);
  if (workspace === JOIN_SEGMENT && rest.length <= 1) {
    const code = rest.length === 0 ? '' : decodeSegment(rest[0] as string);
    return code === null ? NOT_FOUND : { workspace: 'team', invitation: code };
  }
  if (workspace === 'team' && rest.length <= 1) {
    if (rest.length === 0) return { workspace: 'team' };
    const id = decodeSegment(rest[0] as string);
    return id === null || id === '' ? NOT_FOUND : { workspace: 'team', teamProject: id };
  }
  if (workspace === 'readiness' && rest.length === 1) {
    const [tab] = rest;
    return tab !== undefined && isReadinessTab(tab) ? { workspace: 'readiness', tab } : NOT_FOUND;
  }
  if (workspace === 'migration' && rest.length === 2 && rest[0] === 'report') {
    const report = decodeSegment(rest[1] as string);
    return report === null || report === '' ? NOT_FOUND : { workspace: 'migration', report };
  }
  if (rest.length > 0) return NOT_FOUND;
  const found = WORKSPACES.find((w) => w.id === workspace);
  return found && found.id !== 'workflows' ? { workspace: found.id } : NOT_FOUND;
}

/** The hash of a route, ids percent-encoded: `#/workflows/process/patient-intake/findings`. */
export function serialiseRoute(route: Route): string {
  if (route.workspace === 'not-found') return '#/not-found';
  if (route.workspace === 'readiness' && route.tab !== undefined) return `#/readiness/${route.tab}`;
  if (route.workspace === 'team' && route.invitation !== undefined)
    return route.invitation === ''
      ? `#/${JOIN_SEGMENT}`
      : `#/${JOIN_SEGMENT}/${encodeURIComponent(route.invitation)}`;
  if (route.workspace === 'team')
    return route.teamProject === undefined ? '#/team' : `#/team/${encodeURIComponent(route.teamProject)}`;
  if (route.workspace === 'migration' && route.report !== undefined)
    return `#/migration/report/${encodeURIComponent(route.report)}`;
  if (route.workspace !== 'workflows') return `#/${route.workspace}`;
  const { place } = route;
  const enc = encodeURIComponent;
  switch (place.page) {
    case 'list':
      return '#/workflows';
    case 'process':
      return `#/workflows/process/${enc(place.process)}/${place.tab}`;
    case 'editor':
      return place.inside !== undefined
        ? `#/workflows/workflow/${enc(place.workflow)}/inside/${enc(place.inside)}`
        : place.step !== undefined
          ? `#/workflows/workflow/${enc(place.workflow)}/step/${enc(place.step)}`
          : `#/workflows/workflow/${enc(place.workflow)}`;
    case 'document':
      return `#/workflows/document/${enc(place.process)}`;
    case 'team':
      return `#/workflows/team/${enc(place.project)}/${enc(place.workflow)}`;
    case 'logs':
      if (place.tool === 'discover')
        return place.view === undefined
          ? '#/workflows/logs/discover'
          : `#/workflows/logs/discover/${place.view}${place.view === 'map' && place.measure ? `/${place.measure}` : ''}`;
      return place.workflow !== undefined
        ? `#/workflows/logs/${place.tool}/${enc(place.workflow)}`
        : `#/workflows/logs/${place.tool}`;
  }
}

/**
 * The hash of an address: `#/project/<id>/workflows/…` (the id percent-encoded), or the route's own
 * hash when the address names no project.
 */
export function serialiseAddress(address: Address): string {
  const hash = serialiseRoute(address.route);
  return address.project === undefined
    ? hash
    : `#/${PROJECT_SEGMENT}/${encodeURIComponent(address.project)}${hash.slice(1)}`;
}

/**
 * Where choosing another project leads from `route`: the same workspace and tab, but not a process,
 * workflow or document of the project left (the other project has its own), which become the list.
 */
export function routeInOtherProject(route: Route): Route {
  // a report is the project's own: the other project's screen opens without it
  if (route.workspace === 'migration' && route.report !== undefined) return { workspace: 'migration' };
  if (route.workspace !== 'workflows') return route;
  const { place } = route;
  if (place.page === 'process' || place.page === 'editor' || place.page === 'document') return HOME;
  if (place.page === 'logs' && (place.tool === 'check' || place.tool === 'model'))
    return { workspace: 'workflows', place: { page: 'logs', tool: place.tool } };
  return route;
}

/**
 * The href of every link inside the app: `to` in `project`, the project's id in it
 * (`#/project/<id>/workflows/…`), so a link copied, opened in a new tab or passed on opens the
 * project it was shown in, whichever project is open where it is opened. `project` undefined (no
 * project open): the place alone, which means the project open where it is opened.
 */
export function hrefIn(project: string | undefined, to: Route): string {
  return serialiseAddress(project === undefined ? { route: to } : { project, route: to });
}

/**
 * The hash of a place in the Workflows workspace, without a project: what a job records as the
 * place its screen is. A link to it is made with {@link hrefIn}.
 */
export function workflowsHref(place: WorkflowsPlace): string {
  return serialiseRoute({ workspace: 'workflows', place });
}

/**
 * Whether two routes show the same place: equal, or one names what the other leaves to its default
 * (the discovery's view is the process map and the map's measure is how often, unless named), so
 * a link to the place shown is no new place.
 */
export function samePlace(a: Route, b: Route): boolean {
  return serialiseRoute(withDefaults(a)) === serialiseRoute(withDefaults(b));
}

function withDefaults(route: Route): Route {
  if (route.workspace !== 'workflows' || route.place.page !== 'logs' || route.place.tool !== 'discover')
    return route;
  const view = route.place.view ?? 'map';
  return {
    workspace: 'workflows',
    place: {
      ...route.place,
      view,
      ...(view === 'map' ? { measure: route.place.measure ?? 'frequency' } : {}),
    },
  };
}

/**
 * What identifies the screen a route shows, tabs left out: a change of screen opens it at its top
 * with focus in it; a change of tab on the same screen keeps the scroll and the focus where they are.
 */
export function screenOf(route: Route): string {
  if (route.workspace === 'team') return serialiseRoute(route);
  if (route.workspace !== 'workflows') return route.workspace;
  const { place } = route;
  if (place.page === 'process') return `process/${place.process}`;
  // the event-log tools are tabs of one page: switching between them is not a new screen
  if (place.page === 'logs') return 'logs';
  return serialiseRoute(route);
}
