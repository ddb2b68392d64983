import { useEffect, useState } from 'react';

export const WORKSPACES = [
  { id: 'workflows', label: 'Workflows' },
  { id: 'migration', label: 'Migration' },
  { id: 'signoff', label: 'Sign-off' },
  { id: 'readiness', label: 'Readiness' },
] as const;

export type WorkspaceId = (typeof WORKSPACES)[number]['id'];

/** Routes carry only the workspace name (never ids or record content: URLs leak into history). */
function parse(hash: string): WorkspaceId {
  const id = hash.replace(/^#\/?/, '');
  return WORKSPACES.find((w) => w.id === id)?.id ?? 'workflows';
}

export function useWorkspaceRoute(): WorkspaceId {
  const [route, setRoute] = useState<WorkspaceId>(() => parse(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
