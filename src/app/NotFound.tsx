import { HOME } from './route.ts';
import { useHref, WORKSPACES } from './useWorkspaceRoute.ts';

/** Shown for an address that names no workspace: says so, and offers the workspaces instead. */
export function NotFound() {
  const href = useHref();
  return (
    <section aria-labelledby="not-found-title" className="workspace">
      <h2 id="not-found-title">This page does not exist</h2>
      <p className="lede">
        The address does not name a part of Preflight. It may have been mistyped or come from an older link.
        Your projects are unchanged. Go to one of the workspaces:
      </p>
      <ul className="link-list">
        {WORKSPACES.map((w) => (
          <li key={w.id}>
            <a href={href(w.id === 'workflows' ? HOME : { workspace: w.id })}>{w.label}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
