import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { shortName } from './projects/projectLabels.ts';
import {
  type Address,
  hrefIn,
  parseAddress,
  type Route,
  samePlace,
  serialiseAddress,
  serialiseRoute,
  WORKSPACES,
  type WorkflowsPlace,
} from './route.ts';

export { type Address, WORKSPACES } from './route.ts';

/** The app's name, last in every tab title. */
const APP_NAME = 'Preflight';

/**
 * The tab title: "Patient intake · Workflows · Demo clinic · Preflight", so tabs and history tell
 * places apart. `place`: the name of the workflow or process shown, when there is one.
 */
export function documentTitle(route: Route, projectName: string | null, place?: string): string {
  const where =
    route.workspace === 'not-found'
      ? 'Page not found'
      : route.workspace === 'team'
        ? 'Team projects'
        : WORKSPACES.find((w) => w.id === route.workspace)?.label;
  // the team projects are the server's, not the project open in this browser: its name would mislead
  const project = projectName && route.workspace !== 'team' ? shortName(projectName) : null;
  return [place, where, project, APP_NAME].filter(Boolean).join(' · ');
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const readHash = () => window.location.hash;

/**
 * The current address, following `hashchange` (Back, Forward, links and {@link navigate}). The route
 * keeps its identity while only the project part changes (the address gaining the open project's
 * id), so that is no new place for the screens below.
 */
export function useAddress(): Address {
  const hash = useSyncExternalStore(subscribe, readHash);
  const parsed = useMemo(() => parseAddress(hash), [hash]);
  const place = serialiseRoute(parsed.route);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the place's hash is the route's identity
  const route = useMemo(() => parsed.route, [place]);
  const { project } = parsed;
  return useMemo(() => (project === undefined ? { route } : { project, route }), [project, route]);
}

/** The current route (the place, whichever project the address names). */
export function useRoute(): Route {
  return useAddress().route;
}

/** How {@link navigateTo} and {@link navigate} change the address. */
export interface NavigateOptions {
  /**
   * Change the current history entry instead of adding one (moving between tabs with the arrow
   * keys, where an entry per key press would make Back tedious; the address gaining the open
   * project's id).
   */
  replace?: boolean;
  /**
   * Go only while the address is still this one. An effect runs in a later task than the render
   * that read the address, and a click can move the address in between: without `from`, the
   * effect would put the person back where they were.
   */
  from?: Address;
}

/** Whether the address shown is `address` (in its canonical form, whichever way it was written). */
export function addressIsStill(address: Address): boolean {
  return serialiseAddress(parseAddress(window.location.hash)) === serialiseAddress(address);
}

/**
 * Goes to `address`: a new history entry, so Back returns here, unless `replace` or `from` says
 * otherwise ({@link NavigateOptions}). Either way `hashchange` tells every {@link useAddress}.
 */
export function navigateTo(address: Address, { replace = false, from }: NavigateOptions = {}): void {
  const hash = serialiseAddress(address);
  if (hash === window.location.hash) return;
  if (from && !addressIsStill(from)) return;
  if (!replace) {
    window.location.hash = hash;
    return;
  }
  const old = window.location.href;
  window.history.replaceState(window.history.state, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL: old, newURL: window.location.href }));
}

/**
 * Goes to `route` in the project the current address names (see {@link navigateTo}); `from`, when
 * given, is a route in that project.
 */
export function navigate(route: Route, { from, ...options }: { replace?: boolean; from?: Route } = {}): void {
  const { project } = parseAddress(window.location.hash);
  const inProject = (r: Route): Address => (project === undefined ? { route: r } : { project, route: r });
  navigateTo(inProject(route), { ...options, from: from && inProject(from) });
}

/** The id of the project open in this tab, whose screens are drawn; undefined when none is. */
export const OpenProjectContext = createContext<string | undefined>(undefined);

/**
 * How the screens make a link's href: the place in the project open (see {@link hrefIn}), so
 * "Copy link address", a new tab or a bookmark opens that project, not whichever is open there.
 */
export function useHref(): (to: Route) => string {
  const project = useContext(OpenProjectContext);
  return useCallback((to: Route) => hrefIn(project, to), [project]);
}

/** {@link useHref} for a place in the Workflows workspace. */
export function useWorkflowsHref(): (place: WorkflowsPlace) => string {
  const href = useHref();
  return useCallback((place: WorkflowsPlace) => href({ workspace: 'workflows', place }), [href]);
}

/**
 * Links inside the app name their project (see {@link useHref}); a link kept from before, or one
 * whose project no project is open for, may name the place alone. A plain click on a link goes
 * where it names as {@link navigate} does: a place alone in the project the current address names
 * (no history entry without the project), and none for a click on the place already shown, also
 * when the address shown leaves to its default what the link names ({@link samePlace}). A click
 * with a modifier (a new tab or window) is the browser's.
 */
export function useLinksKeepTheProject(): void {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest('a[href^="#/"]') : null;
      if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
      const address = parseAddress(link.getAttribute('href') ?? '');
      event.preventDefault();
      // a link to the place shown (the default address's explicit form) replaces the address:
      // an entry of its own would make the next Back seem to do nothing
      const shown = parseAddress(window.location.hash);
      const replace =
        (address.project === undefined || address.project === shown.project) &&
        samePlace(address.route, shown.route);
      if (address.project === undefined) navigate(address.route, { replace });
      else navigateTo(address, { replace });
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
}

/** Keeps `document.title` on the place and project shown. */
export function useDocumentTitle(route: Route, projectName: string | null, place?: string): void {
  useEffect(() => {
    document.title = documentTitle(route, projectName, place);
  }, [route, projectName, place]);
}
