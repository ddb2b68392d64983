/**
 * A journal of the jobs that are running, kept outside memory, so a run the browser never let
 * finish (the tab closed, the browser killed or crashed, the machine lost power) is reported at the
 * next start instead of being forgotten: "Validation of patients.csv was still running at 14 % when
 * Preflight stopped on 24 Nov, 09:12; nothing of it was kept."
 *
 * Constraints:
 * - It holds what the header shows of a job (label, subject — a file name —, where its screen is,
 *   when it started, how far it got), never record content or results.
 * - A job is recorded before its work starts: the registry runs it once `started` resolved, which
 *   is once the record is committed to disk (or the browser refused it: the run then goes on, only
 *   its report after a crash is lost). It is written again when its progress passes another tenth,
 *   and removed when it ends in any way (done, failed, cancelled — closing the app through the app
 *   cancels).
 * - Writes go to the store one after another, in the order they were asked for, so a removal never
 *   overtakes the record it removes.
 * - Each app session holds a Web Lock for its lifetime; at start, the journal's entries of a
 *   session whose lock nobody holds are what was interrupted. Entries of a session still open in
 *   another tab are left alone.
 * - The journal used to be kept in web storage (key {@link JOB_JOURNAL_KEY}); `migrate` moves what
 *   an earlier version left there into the store once, then deletes it.
 * - The store (src/storage/jobJournalStore.ts; "close and wipe" deletes it), the clock and the
 *   session id are injected, so vitest drives it without a browser.
 */
import type { JobJournalStore, JournalEntry, JournalKey } from '../../storage/jobJournalStore.ts';
import { progressPercent } from './describeProgress.ts';
import type { Job } from './jobRegistry.ts';

export type { JournalEntry } from '../../storage/jobJournalStore.ts';

/** The web storage key where earlier versions kept the journal. */
export const JOB_JOURNAL_KEY = 'preflight.jobJournal';

/** Web Lock names of app sessions start with this. */
export const SESSION_LOCK_PREFIX = 'preflight-session-';

/** The part of the store the journal uses. */
export type JournalStore = Pick<JobJournalStore, 'put' | 'remove' | 'all'>;

/** The part of `Storage` the migration from web storage uses. */
export type LegacyJournalStorage = Pick<Storage, 'getItem' | 'removeItem'>;

interface JobJournalOptions {
  store: JournalStore;
  session: string;
  now?: () => Date;
}

export interface JobJournal {
  /**
   * Records a job about to start; resolves once the record is committed, or once the store
   * refused it (never rejects). Call before the job's work starts.
   */
  started(job: Job): Promise<void>;
  /** Rewrites jobs that passed another tenth and removes ended ones; call on every registry change. */
  update(jobs: readonly Job[]): Promise<void>;
  /**
   * The entries of other sessions that are not open (`liveSessions`: the session ids whose lock
   * is held), oldest first. None when the store cannot be read.
   */
  interrupted(liveSessions: ReadonlySet<string>): Promise<JournalEntry[]>;
  /**
   * Forgets entries reported as interrupted; resolves once their removal is committed, or once
   * the store refused it (never rejects: they are then reported again at the next start).
   */
  dismiss(entries: readonly JournalEntry[]): Promise<void>;
  /**
   * Moves the entries an earlier version kept in web storage into the store, then deletes them
   * there; left in place when the store refuses them, to be moved at a later start.
   */
  migrate(legacy: LegacyJournalStorage | undefined): Promise<void>;
  /** Resolves once every write asked for so far has settled. */
  settled(): Promise<void>;
}

function parseLegacy(raw: string): JournalEntry[] {
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    // a value not written by Preflight: nothing to move
    return [];
  }
}

function isEntry(value: unknown): value is JournalEntry {
  const v = value as Partial<JournalEntry> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.session === 'string' &&
    typeof v.job === 'string' &&
    typeof v.label === 'string' &&
    typeof v.subject === 'string' &&
    typeof v.startedAt === 'string' &&
    typeof v.updatedAt === 'string' &&
    (v.href === undefined || typeof v.href === 'string') &&
    (v.percent === undefined || typeof v.percent === 'number')
  );
}

/** Tenths of the way: a new write at 10 %, 20 %, … rather than at each progress report. */
const tenth = (percent: number | undefined) => (percent === undefined ? -1 : Math.floor(percent / 10));

export function createJobJournal(options: JobJournalOptions): JobJournal {
  const { store, session } = options;
  const now = options.now ?? (() => new Date());
  /** what this session last asked to be written, per job id */
  const written = new Map<string, JournalEntry>();
  /** the store's writes, one after another */
  let queue: Promise<void> = Promise.resolve();

  /** Queues a write; its promise settles with it and never rejects. */
  function enqueue(write: () => Promise<void>): Promise<void> {
    const next = queue.then(write).catch(() => {
      // quota, a failing disk or blocked storage: the run goes on; only its report after a crash is lost
    });
    queue = next;
    return next;
  }

  function entryOf(job: Job, startedAt: string, percent: number | undefined): JournalEntry {
    return {
      session,
      job: job.id,
      label: job.label,
      subject: job.subject,
      ...(job.href ? { href: job.href } : {}),
      startedAt,
      updatedAt: now().toISOString(),
      ...(percent === undefined ? {} : { percent: Math.floor(percent) }),
    };
  }

  return {
    started(job) {
      const percent = job.progress ? progressPercent(job.progress) : undefined;
      const entry = entryOf(job, now().toISOString(), percent);
      written.set(job.id, entry);
      return enqueue(() => store.put([entry]));
    },
    update(jobs) {
      const running = new Map(jobs.filter((job) => job.status === 'running').map((job) => [job.id, job]));
      const puts: JournalEntry[] = [];
      const removals: JournalKey[] = [];
      for (const [id, before] of written) {
        const job = running.get(id);
        if (!job) {
          written.delete(id);
          removals.push({ session, job: id });
          continue;
        }
        // past its count (a step) a job has no percent: the last one it had stays
        const percent = (job.progress ? progressPercent(job.progress) : undefined) ?? before.percent;
        if (tenth(before.percent) === tenth(percent)) continue;
        const entry = entryOf(job, before.startedAt, percent);
        written.set(id, entry);
        puts.push(entry);
      }
      if (puts.length === 0 && removals.length === 0) return queue;
      return enqueue(async () => {
        if (puts.length > 0) await store.put(puts);
        if (removals.length > 0) await store.remove(removals);
      });
    },
    async interrupted(liveSessions) {
      await queue;
      try {
        return (await store.all())
          .filter((e) => e.session !== session && !liveSessions.has(e.session))
          .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      } catch {
        // unreadable (site data blocked, a failing disk): nothing to report
        return [];
      }
    },
    dismiss(entries) {
      const keys = entries.map(({ session, job }) => ({ session, job }));
      return enqueue(() => store.remove(keys));
    },
    migrate(legacy) {
      return enqueue(async () => {
        let raw: string | null;
        try {
          raw = legacy?.getItem(JOB_JOURNAL_KEY) ?? null;
        } catch {
          return; // web storage blocked: nothing can be read there
        }
        if (raw === null) return;
        await store.put(parseLegacy(raw));
        try {
          legacy?.removeItem(JOB_JOURNAL_KEY);
        } catch {
          // blocked between the two calls: moved again at the next start, to the same keys
        }
      });
    },
    settled: () => queue,
  };
}
