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

/**
 * The newest job of `key` (one tool's latest run), running or ended. Re-renders when that job
 * changes (its progress included), not when another job does: a job is a new object only when it
 * changes, and the screens of other tools (a file's fingerprint beside a running validation) would
 * otherwise be drawn again on each of the validation's progress reports.
 */
export function useLatestJob(key: string): Job | undefined {
  const registry = useJobRegistry();
  const subscribe = useCallback(
    (listener: () => void) => registry?.subscribe(listener) ?? (() => {}),
    [registry],
  );
  const getSnapshot = useCallback(() => registry?.latest(key), [registry, key]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

/**
 * The newest job of `key` as of its last change of status (started, done, failed, cancelled), not
 * of each progress report: while it runs, the object stays the one it started as (its `progress`
 * is then not current: read that with {@link useLatestJob}, in a component that shows only it).
 * A large screen keyed to a job (Check extracts) re-rendered whole on each of ~10 reports a second,
 * ≈ 10 % of a core taken from the validator workers on a 2-core machine.
 */
export function useLatestJobStatus(key: string): Job | undefined {
  const registry = useJobRegistry();
  // the registry is kept with the job: job ids start again at "job-1" in a new registry (another
  // project session), so an id alone could hand back an older session's job
  const last = useRef<{ registry: typeof registry; job: Job | undefined }>({ registry, job: undefined });
  const subscribe = useCallback(
    (listener: () => void) => registry?.subscribe(listener) ?? (() => {}),
    [registry],
  );
  const getSnapshot = useCallback(() => {
    const found = registry?.latest(key);
    const before = last.current;
    if (
      before.registry === registry &&
      before.job &&
      found &&
      before.job.id === found.id &&
      before.job.status === found.status
    )
      return before.job;
    last.current = { registry, job: found };
    return found;
  }, [registry, key]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

/**
 * Cancels running jobs when the user leaves their project: switches to another, deletes it, or
 * closes and wipes everything (projectJobs.ts); and forgets the project's ended jobs, whose results
 * belong to it (those just cancelled stay, to say why they stopped). Called once, by the component that owns the project
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
    if (!reason || !registry) return;
    const stopped = new Set(registry.getJobs().flatMap((job) => (job.status === 'running' ? [job.id] : [])));
    registry.cancelAll(reason);
    // the other project's results (reports, digests, failing rows read from its files) are not shown
    // in this one; the jobs this change stopped stay, so their screens say why they stopped
    registry.forgetEnded((job) => stopped.has(job.id));
  });
}
