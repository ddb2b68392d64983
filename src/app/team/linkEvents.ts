/**
 * Word that this browser linked a project to a team project, or ended the link: the screens that
 * ask whether the open project is shared (`useProjectSharing`) read the link again at once, so a
 * project shared from the header stops offering its typed-name forms without a reload.
 */

type Listener = (projectId: string) => void;
const listeners = new Set<Listener>();

/** Says that the link of local project `projectId` was made or removed. */
export function announceLinkChange(projectId: string): void {
  for (const listener of listeners) listener(projectId);
}

/** Hears every {@link announceLinkChange}; returns how to stop. */
export function onLinkChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
