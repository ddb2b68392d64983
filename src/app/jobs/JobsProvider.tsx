import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { createJobJournalStore } from '../../storage/jobJournalStore.ts';
import { pageLocalStorage } from '../common/pageStorage.ts';
import { createJobJournal, type JobJournal, type JournalEntry, SESSION_LOCK_PREFIX } from './jobJournal.ts';
import { createJobRegistry, type JobRegistry } from './jobRegistry.ts';
import { InterruptedJobsContext, JobsContext } from './jobsContext.ts';

/**
 * The ids of the app sessions open now (in any tab): each holds a Web Lock for its lifetime. Where
 * the browser has no Web Locks, none: an earlier session's entries are then reported as interrupted
 * even when its tab is still open, which says more, never less.
 */
async function liveSessions(): Promise<Set<string>> {
  const held = (await navigator.locks?.query())?.held ?? [];
  return new Set(
    held
      .map((lock) => lock.name ?? '')
      .filter((name) => name.startsWith(SESSION_LOCK_PREFIX))
      .map((name) => name.slice(SESSION_LOCK_PREFIX.length)),
  );
}

/**
 * Owns the app's one job registry (a plain engine; this provider is its one owner) and gives it to
 * everything below. Mounted once, above the workspaces, so a job outlives the screen that started
 * it; unmounting (closing the app) cancels whatever still runs. Running jobs are kept in a journal
 * on disk (jobJournal.ts), each written before its work starts, so the next start can say which ones
 * the browser never let end.
 */
export function JobsProvider({ children }: { children: ReactNode }) {
  const [registry, setRegistry] = useState<JobRegistry | null>(null);
  const [interrupted, setInterrupted] = useState<readonly JournalEntry[]>([]);
  const [journal, setJournal] = useState<JobJournal | null>(null);
  useEffect(() => {
    // created in the effect, not during render: StrictMode's second mount must get a live registry
    const store = createJobJournalStore();
    const session = crypto.randomUUID();
    const kept = createJobJournal({ store, session });
    // a job's work starts once its record is on disk: a browser killed the next instant still has it
    const created = createJobRegistry({ beforeRun: (job) => kept.started(job) });
    // what an earlier version kept in web storage is moved first, then reported like the rest
    void kept.migrate(pageLocalStorage());
    // held until the page goes away (or this provider unmounts): another tab sees this session live
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    navigator.locks?.request(`${SESSION_LOCK_PREFIX}${session}`, () => held).catch(() => undefined);
    let open = true;
    void liveSessions()
      .catch(() => new Set<string>())
      .then((live) => kept.interrupted(live))
      .then((entries) => {
        if (open) setInterrupted(entries);
      });
    const unsubscribe = created.subscribe(() => void kept.update(created.getJobs()));
    setRegistry(created);
    setJournal(kept);
    return () => {
      open = false;
      unsubscribe();
      created.destroy();
      // the app itself closed the jobs (each ended as cancelled): none was interrupted
      void kept
        .update(created.getJobs())
        .then(() => kept.settled())
        .then(() => store.close());
      release();
    };
  }, []);
  const interruptedJobs = useMemo(
    () => ({
      entries: interrupted,
      dismiss(entries: readonly JournalEntry[]) {
        if (!journal) return;
        // the note goes once its removal is on disk, not before: the removal may wait behind other
        // writes to the journal (a running job's, another tab's), and a reload in that moment would
        // bring back a note the header had already let go
        void journal.dismiss(entries).then(() => {
          setInterrupted((old) => old.filter((e) => !entries.includes(e)));
        });
      },
    }),
    [interrupted, journal],
  );
  return (
    <JobsContext value={registry}>
      <InterruptedJobsContext value={interruptedJobs}>{children}</InterruptedJobsContext>
    </JobsContext>
  );
}
