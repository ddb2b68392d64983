import { useCallback, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { SessionState } from '../projects/projectSession.ts';
import type { Job, JobRegistry } from './jobRegistry.ts';
import { JobsContext } from './jobsContext.ts';
import { cancelReasonForProjectChange, type OpenProject, openProjectOf } from './projectJobs.ts';

const NO_JOBS: readonly Job[] = [];

/** The app's job registry (null during the very first render, before `JobsProvider` created it). */
export function useJobRegistry(): JobRegistry | null {
  return useContext(JobsContext);
}

/** Every listed job, running and ended; re-renders on each change (progress included). */
export function useJobs(): readonly Job[] {
  const registry = useJobRegistry();
  const subscribe = useCallback(
    (listener: () => void) => registry?.subscribe(listener) ?? (() => {}),
    [registry],
  );
  const getSnapshot = useCallback(() => registry?.getJobs() ?? NO_JOBS, [registry]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** The newest job of `key` (one tool's latest run), running or ended. */
export function useLatestJob(key: string): Job | undefined {
  const jobs = useJobs();
  let found: Job | undefined;
  for (const job of jobs) if (job.key === key) found = job;
  return found;
}

/**
 * Cancels running jobs when the user leaves their project: switches to another, deletes it, or
 * closes and wipes everything (projectJobs.ts). Called once, by the component that owns the project
 * session (App), with the session's state.
 */
export function useJobsFollowProject(state: SessionState): void {
  const registry = useJobRegistry();
  const previous = useRef<OpenProject | null>(null);
  const current = openProjectOf(state);
  // every render: cheap, and no change of phase or open project can slip between two effects
  useEffect(() => {
    const before = previous.current;
    previous.current = current;
    const reason = before ? cancelReasonForProjectChange(before, current) : null;
    if (reason) registry?.cancelAll(reason);
  });
}
