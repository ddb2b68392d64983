import { describe, expect, it } from 'vitest';
import { createJobJournal, JOB_JOURNAL_KEY, type JournalStorage } from './jobJournal.ts';
import type { Job } from './jobRegistry.ts';

function memoryStorage(): JournalStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

const running = (id: string, done?: number): Job => ({
  id,
  kind: 'validate',
  key: 'validate',
  label: 'Validation',
  subject: 'patients.csv',
  href: '#/migration',
  startedAt: 0,
  progress:
    done === undefined ? null : { unit: 'bytes', done, total: 1000, ratePerSecond: 0, etaSeconds: null },
  status: 'running',
});
const ended = (job: Job): Job => ({ ...job, status: 'done', endedAt: 1, result: null });

/** A clock that moves a minute on each reading. */
function clock(start = Date.parse('2026-11-24T09:00:00Z')) {
  let t = start;
  return () => {
    const now = new Date(t);
    t += 60_000;
    return now;
  };
}

describe('the journal of running jobs', () => {
  it('reports a job a closed session never finished, with how far it got, and forgets it once dismissed', () => {
    const storage = memoryStorage();
    const first = createJobJournal({ storage, session: 's1', now: clock() });
    first.update([running('job-1')]);
    first.update([running('job-1', 140)]);
    // the browser is killed here: nothing ends the job
    const second = createJobJournal({ storage, session: 's2', now: clock() });
    const interrupted = second.interrupted(new Set(['s2']));
    expect(interrupted).toEqual([
      {
        session: 's1',
        job: 'job-1',
        label: 'Validation',
        subject: 'patients.csv',
        href: '#/migration',
        startedAt: '2026-11-24T09:00:00.000Z',
        updatedAt: '2026-11-24T09:02:00.000Z',
        percent: 14,
      },
    ]);
    second.dismiss(interrupted);
    expect(second.interrupted(new Set())).toEqual([]);
  });

  it('leaves out a job that ended, however it ended', () => {
    const storage = memoryStorage();
    const journal = createJobJournal({ storage, session: 's1', now: clock() });
    const job = running('job-1', 500);
    journal.update([job]);
    journal.update([ended(job)]);
    expect(createJobJournal({ storage, session: 's2' }).interrupted(new Set())).toEqual([]);
  });

  it('leaves alone the jobs of a session still open in another tab', () => {
    const storage = memoryStorage();
    createJobJournal({ storage, session: 'tab-a', now: clock() }).update([running('job-1')]);
    const other = createJobJournal({ storage, session: 'tab-b', now: clock() });
    other.update([running('job-1')]);
    expect(other.interrupted(new Set(['tab-a', 'tab-b']))).toEqual([]);
    // and each session writes only its own entries
    expect(JSON.parse(storage.data.get(JOB_JOURNAL_KEY) ?? '[]')).toHaveLength(2);
  });

  it('writes again only when a job passes another tenth of its work, and keeps the last percent during a step', () => {
    const storage = memoryStorage();
    let writes = 0;
    const counted: JournalStorage = {
      getItem: storage.getItem,
      setItem: (key, value) => {
        writes += 1;
        storage.setItem(key, value);
      },
    };
    const journal = createJobJournal({ storage: counted, session: 's1', now: clock() });
    for (const done of [0, 10, 50, 99, 100, 101, 150, 199, 200]) journal.update([running('job-1', done)]);
    // started (0 %), then 10 % and 20 %
    expect(writes).toBe(3);
    journal.update([
      {
        ...running('job-1'),
        progress: {
          unit: 'bytes',
          done: 1000,
          total: 1000,
          ratePerSecond: 0,
          etaSeconds: null,
          step: 'checking-keys',
        },
      },
    ]);
    const [entry] = createJobJournal({ storage, session: 's2' }).interrupted(new Set());
    expect(entry?.percent).toBe(20);
  });

  it('reads nothing from a journal it cannot parse, and runs on where storage throws', () => {
    const storage = memoryStorage();
    storage.data.set(JOB_JOURNAL_KEY, '{not json');
    expect(createJobJournal({ storage, session: 's2' }).interrupted(new Set())).toEqual([]);
    storage.data.set(JOB_JOURNAL_KEY, JSON.stringify([{ session: 's1' }, 42]));
    expect(createJobJournal({ storage, session: 's2' }).interrupted(new Set())).toEqual([]);
    const full: JournalStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(() => createJobJournal({ storage: full, session: 's1' }).update([running('job-1')])).not.toThrow();
    expect(() =>
      createJobJournal({ storage: undefined, session: 's1' }).update([running('job-1')]),
    ).not.toThrow();
  });
});
