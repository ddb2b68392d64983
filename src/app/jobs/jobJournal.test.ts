import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalKey } from '../../storage/jobJournalStore.ts';
import {
  createJobJournal,
  JOB_JOURNAL_KEY,
  type JournalStore,
  type LegacyJournalStorage,
} from './jobJournal.ts';
import type { Job } from './jobRegistry.ts';

/** The store in memory, with every call it got in order. */
function memoryStore(): JournalStore & { data: Map<string, JournalEntry>; calls: string[] } {
  const data = new Map<string, JournalEntry>();
  const calls: string[] = [];
  const key = (k: JournalKey) => `${k.session}/${k.job}`;
  return {
    data,
    calls,
    put: async (entries) => {
      calls.push(`put ${entries.map((e) => `${key(e)}@${e.percent ?? '-'}`).join(' ')}`);
      for (const e of entries) data.set(key(e), e);
    },
    remove: async (keys) => {
      calls.push(`remove ${keys.map(key).join(' ')}`);
      for (const k of keys) data.delete(key(k));
    },
    all: async () => [...data.values()],
  };
}

function memoryWebStorage(): LegacyJournalStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    removeItem: (key) => void data.delete(key),
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

/** A promise the test settles: `opened` resolves once `open` is called. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** A clock that moves a minute on each reading. */
function clock(start = Date.parse('2026-11-24T09:00:00Z')) {
  let t = start;
  return () => {
    const now = new Date(t);
    t += 60_000;
    return now;
  };
}

const LEGACY_ENTRY: JournalEntry = {
  session: 'old',
  job: 'job-3',
  label: 'Fingerprint',
  subject: 'extract.bin',
  href: '#/migration',
  startedAt: '2026-11-23T08:00:00.000Z',
  updatedAt: '2026-11-23T08:01:00.000Z',
  percent: 40,
};

describe('the journal of running jobs', () => {
  it('reports a job a closed session never finished, with how far it got, and forgets it once dismissed', async () => {
    const store = memoryStore();
    const first = createJobJournal({ store, session: 's1', now: clock() });
    await first.started(running('job-1'));
    await first.update([running('job-1', 140)]);
    // the browser is killed here: nothing ends the job
    const second = createJobJournal({ store, session: 's2', now: clock() });
    const interrupted = await second.interrupted(new Set(['s2']));
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
    await second.dismiss(interrupted);
    await expect(second.interrupted(new Set())).resolves.toEqual([]);
  });

  it('resolves a dismissal only once its removal is committed, also behind a write still going', async () => {
    const store = memoryStore();
    await createJobJournal({ store, session: 's1', now: clock() }).started(running('job-1'));
    const second = createJobJournal({ store, session: 's2', now: clock() });
    const [entry] = await second.interrupted(new Set(['s2']));
    if (!entry) throw new Error('the closed session left no entry');
    // this session's own job is being written when Dismiss is pressed, and the removal is slow too
    const gates = { put: gate(), remove: gate() };
    const { put, remove } = store;
    store.put = async (entries) => {
      await gates.put.opened;
      return put(entries);
    };
    store.remove = async (keys) => {
      await gates.remove.opened;
      return remove(keys);
    };
    const recorded = second.started(running('job-2'));
    let dismissed = false;
    void second.dismiss([entry]).then(() => {
      dismissed = true;
    });
    gates.put.open();
    await recorded;
    expect(dismissed).toBe(false);
    expect(store.data.has('s1/job-1')).toBe(true);
    gates.remove.open();
    await second.settled();
    expect(dismissed).toBe(true);
    expect(store.data.has('s1/job-1')).toBe(false);
  });

  it('has the job in the store when `started` resolves, before any change of the registry', async () => {
    const store = memoryStore();
    const journal = createJobJournal({ store, session: 's1', now: clock() });
    await journal.started(running('job-1'));
    expect([...store.data.keys()]).toEqual(['s1/job-1']);
  });

  it('leaves out a job that ended, however it ended, and removes it after its record whatever the timing', async () => {
    const store = memoryStore();
    const journal = createJobJournal({ store, session: 's1', now: clock() });
    const job = running('job-1', 500);
    // not awaited: the job is cancelled while its record is being written
    void journal.started(job);
    await journal.update([ended(job)]);
    expect(store.calls).toEqual(['put s1/job-1@50', 'remove s1/job-1']);
    await expect(createJobJournal({ store, session: 's2' }).interrupted(new Set())).resolves.toEqual([]);
  });

  it('leaves alone the jobs of a session still open in another tab', async () => {
    const store = memoryStore();
    await createJobJournal({ store, session: 'tab-a', now: clock() }).started(running('job-1'));
    const other = createJobJournal({ store, session: 'tab-b', now: clock() });
    await other.started(running('job-1'));
    await expect(other.interrupted(new Set(['tab-a', 'tab-b']))).resolves.toEqual([]);
    // and each session writes only its own entries
    expect([...store.data.keys()]).toEqual(['tab-a/job-1', 'tab-b/job-1']);
  });

  it('writes again only when a job passes another tenth of its work, and keeps the last percent during a step', async () => {
    const store = memoryStore();
    const journal = createJobJournal({ store, session: 's1', now: clock() });
    await journal.started(running('job-1'));
    for (const done of [0, 10, 50, 99, 100, 101, 150, 199, 200])
      await journal.update([running('job-1', done)]);
    // started, then 0 %, 10 % and 20 %
    expect(store.calls).toEqual(['put s1/job-1@-', 'put s1/job-1@0', 'put s1/job-1@10', 'put s1/job-1@20']);
    await journal.update([
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
    const [entry] = await createJobJournal({ store, session: 's2' }).interrupted(new Set());
    expect(entry?.percent).toBe(20);
  });

  it('runs on where the store refuses, and reports nothing it cannot read', async () => {
    const refusing: JournalStore = {
      put: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
      remove: () => Promise.reject(new DOMException('full', 'QuotaExceededError')),
      all: () => Promise.reject(new DOMException('gone', 'UnknownError')),
    };
    const journal = createJobJournal({ store: refusing, session: 's1' });
    await expect(journal.started(running('job-1'))).resolves.toBeUndefined();
    await expect(journal.update([ended(running('job-1'))])).resolves.toBeUndefined();
    await expect(journal.interrupted(new Set())).resolves.toEqual([]);
  });
});

describe('moving the journal an earlier version kept in web storage', () => {
  it('moves its entries into the store once, deletes them there, and reports them', async () => {
    const store = memoryStore();
    const web = memoryWebStorage();
    web.data.set(JOB_JOURNAL_KEY, JSON.stringify([LEGACY_ENTRY, { session: 's1' }, 42]));
    web.data.set('preflight.storeMarker', '{}');
    const journal = createJobJournal({ store, session: 's2' });
    await journal.migrate(web);
    expect([...web.data.keys()]).toEqual(['preflight.storeMarker']);
    await expect(journal.interrupted(new Set())).resolves.toEqual([LEGACY_ENTRY]);
    // a second start finds nothing more to move
    await journal.migrate(web);
    expect(store.calls).toEqual(['put old/job-3@40']);
  });

  it('deletes an empty or unreadable journal, and keeps one the store refused for the next start', async () => {
    for (const raw of ['[]', '{not json']) {
      const store = memoryStore();
      const web = memoryWebStorage();
      web.data.set(JOB_JOURNAL_KEY, raw);
      await createJobJournal({ store, session: 's2' }).migrate(web);
      expect(web.data.size).toBe(0);
      expect(store.data.size).toBe(0);
    }
    const web = memoryWebStorage();
    web.data.set(JOB_JOURNAL_KEY, JSON.stringify([LEGACY_ENTRY]));
    const refusing: JournalStore = { ...memoryStore(), put: () => Promise.reject(new Error('full')) };
    await createJobJournal({ store: refusing, session: 's2' }).migrate(web);
    expect(web.data.has(JOB_JOURNAL_KEY)).toBe(true);
    // blocked web storage: nothing to move, nothing thrown
    const blocked: LegacyJournalStorage = {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      removeItem: () => {},
    };
    await expect(
      createJobJournal({ store: memoryStore(), session: 's2' }).migrate(blocked),
    ).resolves.toBeUndefined();
    await expect(
      createJobJournal({ store: memoryStore(), session: 's2' }).migrate(undefined),
    ).resolves.toBeUndefined();
  });
});
