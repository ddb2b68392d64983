import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { shortName } from './projects/projectLabels.ts';
import { parseRoute, type Route, serialiseRoute, WORKSPACES } from './route.ts';

export { type Route, WORKSPACES, type WorkspaceId } from './route.ts';

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

/** The current route, following `hashchange` (Back, Forward, links and {@link navigate}). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, readHash);
  return useMemo(() => parseRoute(hash), [hash]);
}

/**
 * Goes to `route`: a new history entry, so Back returns here; `replace` changes the current entry
 * instead (moving between tabs with the arrow keys, where an entry per key press would make Back
 * tedious). Either way `hashchange` tells every {@link useRoute}.
 */
export function navigate(route: Route, { replace = false }: { replace?: boolean } = {}): void {
  const hash = serialiseRoute(route);
  if (hash === window.location.hash) return;
  if (!replace) {
    window.location.hash = hash;
    return;
  }
  const old = window.location.href;
  window.history.replaceState(window.history.state, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL: old, newURL: window.location.href }));
}

/** Keeps `document.title` on the place and project shown. */
export function useDocumentTitle(route: Route, projectName: string | null, place?: string): void {
  useEffect(() => {
    document.title = documentTitle(route, projectName, place);
  }, [route, projectName, place]);
}
