import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { shortName } from './projects/projectLabels.ts';
import {
  type Address,
  parseAddress,
  type Route,
  serialiseAddress,
  serialiseRoute,
  WORKSPACES,
} from './route.ts';

export { type Address, type Route, WORKSPACES, type WorkspaceId } from './route.ts';

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
      : WORKSPACES.find((w) => w.id === route.workspace)?.label;
  return [place, where, projectName ? shortName(projectName) : null, APP_NAME].filter(Boolean).join(' · ');
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

/**
 * Goes to `address`: a new history entry, so Back returns here; `replace` changes the current entry
 * instead (moving between tabs with the arrow keys, where an entry per key press would make Back
 * tedious; the address gaining the open project's id). Either way `hashchange` tells every
 * {@link useAddress}.
 */
export function navigateTo(address: Address, { replace = false }: { replace?: boolean } = {}): void {
  const hash = serialiseAddress(address);
  if (hash === window.location.hash) return;
  if (!replace) {
    window.location.hash = hash;
    return;
  }
  const old = window.location.href;
  window.history.replaceState(window.history.state, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL: old, newURL: window.location.href }));
}

/** Goes to `route` in the project the current address names (see {@link navigateTo}). */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const { project } = parseAddress(window.location.hash);
  navigateTo(project === undefined ? { route } : { project, route }, options);
}

/**
 * Links inside the app name places without their project (`#/workflows/…`). A plain click on one
 * goes to the place in the project the current address names, as {@link navigate} does: no history
 * entry without the project, and none for a click on the place already shown. A click with a
 * modifier (a new tab or window) is the browser's; the new tab opens in the project open there.
 */
export function useLinksKeepTheProject(): void {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest('a[href^="#/"]') : null;
      if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
      const address = parseAddress(link.getAttribute('href') ?? '');
      if (address.project !== undefined) return;
      event.preventDefault();
      navigate(address.route);
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
