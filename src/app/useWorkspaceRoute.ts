import { useEffect, useState } from 'react';
import { shortName } from './projects/projectLabels.ts';

export const WORKSPACES = [
  { id: 'workflows', label: 'Workflows' },
  { id: 'migration', label: 'Migration' },
  { id: 'signoff', label: 'Sign-off' },
  { id: 'readiness', label: 'Readiness' },
] as const;

export type WorkspaceId = (typeof WORKSPACES)[number]['id'];

/** A workspace, or `not-found` for an address that names none (said plainly, never a silent default). */
export type Route = WorkspaceId | 'not-found';

/** The app's name, last in every tab title. */
const APP_NAME = 'Preflight';

/**
 * Routes carry only the workspace name (never ids or record content: URLs leak into history).
 * No hash at all is the start page, Workflows; any other unknown hash is `not-found`.
 */
export function parseRoute(hash: string): Route {
  const id = hash.replace(/^#\/?/, '');
  if (id === '') return 'workflows';
  return WORKSPACES.find((w) => w.id === id)?.id ?? 'not-found';
}

/** The tab title: "Migration · Demo clinic · Preflight", so tabs and history tell screens apart. */
export function documentTitle(route: Route, projectName: string | null): string {
  const where = route === 'not-found' ? 'Page not found' : WORKSPACES.find((w) => w.id === route)?.label;
  return [where, projectName ? shortName(projectName) : null, APP_NAME].filter(Boolean).join(' · ');
}

/** The current route, following `hashchange`. */
export function useWorkspaceRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Keeps `document.title` on the workspace and project shown. */
export function useDocumentTitle(route: Route, projectName: string | null): void {
  useEffect(() => {
    document.title = documentTitle(route, projectName);
  }, [route, projectName]);
}
