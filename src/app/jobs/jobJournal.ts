/**
 * A journal of the jobs that are running, kept outside memory, so a run the browser never let
 * finish (the tab closed, the browser killed or crashed, the machine lost power) is reported at the
 * next start instead of being forgotten: "Validation of patients.csv was still running at 14 % when
 * Preflight stopped on 24 Nov, 09:12; nothing of it was kept."
 *
 * Constraints:
 * - It holds what the header shows of a job (label, subject — a file name —, where its screen is,
 *   when it started, how far it got), never record content or results.
 * - A job is written when it starts, again when its progress passes another tenth, and removed
 *   when it ends in any way (done, failed, cancelled — closing the app through the app cancels).
 * - Each app session holds a Web Lock for its lifetime; at start, the journal's entries of a
 *   session whose lock nobody holds are what was interrupted. Entries of a session still open in
 *   another tab are left alone.
 * - Storage is injected (the page's localStorage, which "close and wipe" clears), as are the
 *   clock, the session id and the lock query, so vitest drives it without a browser.
 */
import { progressPercent } from './describeProgress.ts';
import type { Job } from './jobRegistry.ts';

/** The localStorage key of the journal. */
export const JOB_JOURNAL_KEY = 'preflight.jobJournal';

/** Web Lock names of app sessions start with this. */
export const SESSION_LOCK_PREFIX = 'preflight-session-';

/** One running job as the journal keeps it. */
export interface JournalEntry {
  session: string;
  /** the job's id in its session's registry */
  job: string;
  label: string;
  subject: string;
  href?: string;
  /** ISO date-time the job started */
  startedAt: string;
  /** ISO date-time of the last write */
  updatedAt: string;
  /** whole percent done at the last write, when the job reported a total */
  percent?: number;
}

/** The part of `Storage` the journal uses. */
export type JournalStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface JobJournalOptions {
  storage: JournalStorage | undefined;
  session: string;
  now?: () => Date;
}

export interface JobJournal {
  /** Writes the running jobs and removes this session's ended ones; call on every registry change. */
  update(jobs: readonly Job[]): void;
  /**
   * The entries of sessions that are not open (`liveSessions`: the session ids whose lock is held),
   * oldest first.
   */
  interrupted(liveSessions: ReadonlySet<string>): JournalEntry[];
  /** Forgets entries reported as interrupted. */
  dismiss(entries: readonly JournalEntry[]): void;
}

function read(storage: JournalStorage | undefined): JournalEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(JOB_JOURNAL_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    // unreadable (site data blocked, or a value not written by this code): nothing to report
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
    typeof v.updatedAt === 'string'
  );
}

function write(storage: JournalStorage | undefined, entries: readonly JournalEntry[]): void {
  try {
    storage?.setItem(JOB_JOURNAL_KEY, JSON.stringify(entries));
  } catch {
    // quota or blocked storage: the run goes on; only its report after a crash is lost
  }
}

const sameJob = (a: { session: string; job: string }, b: { session: string; job: string }) =>
  a.session === b.session && a.job === b.job;

/** Tenths of the way: a new write at 10 %, 20 %, … rather than at each progress report. */
const tenth = (percent: number | undefined) => (percent === undefined ? -1 : Math.floor(percent / 10));

export function createJobJournal(options: JobJournalOptions): JobJournal {
  const { storage, session } = options;
  const now = options.now ?? (() => new Date());
  /** what this session last wrote, per job id */
  const written = new Map<string, JournalEntry>();
  /** the wall-clock start of each of this session's jobs (the registry's clock is not one) */
  const started = new Map<string, string>();

  return {
    update(jobs) {
      const running = jobs.filter((job) => job.status === 'running');
      let changed = false;
      const next = new Map<string, JournalEntry>();
      for (const job of running) {
        const before = written.get(job.id);
        // past its count (a step) a job has no percent: the last one it had stays
        const percent = (job.progress ? progressPercent(job.progress) : undefined) ?? before?.percent;
        if (before && tenth(before.percent) === tenth(percent)) {
          next.set(job.id, before);
          continue;
        }
        const startedAt = started.get(job.id) ?? now().toISOString();
        started.set(job.id, startedAt);
        next.set(job.id, {
          session,
          job: job.id,
          label: job.label,
          subject: job.subject,
          ...(job.href ? { href: job.href } : {}),
          startedAt,
          updatedAt: now().toISOString(),
          ...(percent === undefined ? {} : { percent: Math.floor(percent) }),
        });
        changed = true;
      }
      for (const id of written.keys()) if (!next.has(id)) changed = true;
      if (!changed) return;
      for (const id of started.keys()) if (!next.has(id)) started.delete(id);
      written.clear();
      for (const [id, entry] of next) written.set(id, entry);
      const others = read(storage).filter((e) => e.session !== session);
      write(storage, [...others, ...next.values()]);
    },
    interrupted(liveSessions) {
      return read(storage)
        .filter((e) => e.session !== session && !liveSessions.has(e.session))
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    },
    dismiss(entries) {
      write(
        storage,
        read(storage).filter((e) => !entries.some((d) => sameJob(d, e))),
      );
    },
  };
}
