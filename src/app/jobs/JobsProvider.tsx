import { type ReactNode, useEffect, useState } from 'react';
import { createJobRegistry, type JobRegistry } from './jobRegistry.ts';
import { JobsContext } from './jobsContext.ts';

/**
 * Owns the app's one job registry (a plain engine; this provider is its one owner) and gives it to
 * everything below. Mounted once, above the workspaces, so a job outlives the screen that started
 * it; unmounting (closing the app) cancels whatever still runs.
 */
export function JobsProvider({ children }: { children: ReactNode }) {
  const [registry, setRegistry] = useState<JobRegistry | null>(null);
  useEffect(() => {
    // created in the effect, not during render: StrictMode's second mount must get a live registry
    const created = createJobRegistry();
    setRegistry(created);
    return () => created.destroy();
  }, []);
  return <JobsContext value={registry}>{children}</JobsContext>;
}
