import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { deletePreflightDb } from './db.ts';
import { createJobJournalStore, type JournalEntry } from './jobJournalStore.ts';

let n = 0;
const dbName = () => `job-journal-test-${++n}`;
const databaseNames = async () => (await indexedDB.databases()).map((d) => d.name);

const entry = (session: string, job: string, percent?: number): JournalEntry => ({
  session,
  job,
  label: 'Validation',
  subject: 'patients.csv',
  href: '#/migration',
  startedAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T09:01:00.000Z',
  ...(percent === undefined ? {} : { percent }),
});

describe('the stored journal of running jobs', () => {
  it('reports an aborted write once, as the write failing, with no stray rejection', async () => {
    const store = createJobJournalStore({ name: dbName() });
    await store.put([entry('s1', 'job-0')]);
    // a full disk aborts the transaction after its requests were made
    const real = IDBDatabase.prototype.transaction;
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (
      this: IDBDatabase,
      ...args: Parameters<IDBDatabase['transaction']>
    ) {
      const tx = real.apply(this, args);
      queueMicrotask(() => tx.abort());
      return tx;
    });
    const stray: unknown[] = [];
    const onStray = (reason: unknown) => stray.push(reason);
    process.on('unhandledRejection', onStray);
    try {
      await expect(store.put([entry('s1', 'job-1'), entry('s1', 'job-2')])).rejects.toThrow();
      await expect(store.remove([{ session: 's1', job: 'job-0' }])).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 0));
    } finally {
      spy.mockRestore();
      process.off('unhandledRejection', onStray);
    }
    expect(stray).toEqual([]);
    store.close();
  });

  it('keeps entries by session and job across connections until removed', async () => {
    const name = dbName();
    const first = createJobJournalStore({ name });
    await first.put([entry('s1', 'job-1'), entry('s1', 'job-2')]);
    await first.put([entry('s1', 'job-1', 30)]);
    first.close();
    const again = createJobJournalStore({ name });
    expect(await again.all()).toEqual([entry('s1', 'job-1', 30), entry('s1', 'job-2')]);
    await again.remove([{ session: 's1', job: 'job-1' }]);
    expect(await again.all()).toEqual([entry('s1', 'job-2')]);
    again.close();
  });

  it('commits each write in a strict-durability transaction before it resolves', async () => {
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const store = createJobJournalStore({ name: dbName() });
    await store.put([entry('s1', 'job-1')]);
    await store.remove([{ session: 's1', job: 'job-1' }]);
    const writes = spy.mock.calls.filter((call) => call[1] === 'readwrite');
    spy.mockRestore();
    expect(writes).toHaveLength(2);
    for (const call of writes) expect(call[2]).toEqual({ durability: 'strict' });
    store.close();
  });

  it('creates no database to read or remove, and none after a wipe', async () => {
    const name = dbName();
    const store = createJobJournalStore({ name });
    expect(await store.all()).toEqual([]);
    await store.remove([{ session: 's1', job: 'job-1' }]);
    expect(await databaseNames()).not.toContain(name);
    await store.put([entry('s1', 'job-1')]);
    expect(await databaseNames()).toContain(name);
    // "Close and wipe" while this connection is open: it steps aside, and a late removal
    // (the wipe cancels the running job) does not bring the database back
    await expect(deletePreflightDb(name)).resolves.toBe('deleted');
    await store.remove([{ session: 's1', job: 'job-1' }]);
    expect(await store.all()).toEqual([]);
    expect(await databaseNames()).not.toContain(name);
    // a job started after the wipe is recorded again
    await store.put([entry('s2', 'job-1')]);
    expect(await store.all()).toEqual([entry('s2', 'job-1')]);
    store.close();
  });

  it("keeps another tab's job running through a wipe from writing its entry back", async () => {
    const name = dbName();
    // two tabs of the app, each with its own store on the same database
    const other = createJobJournalStore({ name });
    const wiping = createJobJournalStore({ name });
    await other.put([entry('tab-b', 'job-1', 10)]);
    expect(await wiping.all()).toEqual([entry('tab-b', 'job-1', 10)]);
    // "Close and wipe" in the first tab while the other tab's validation still runs
    await expect(deletePreflightDb(name)).resolves.toBe('deleted');
    // the running job's next progress, and its end, write nothing back
    await other.put([entry('tab-b', 'job-1', 60)]);
    await other.remove([{ session: 'tab-b', job: 'job-1' }]);
    expect(await databaseNames()).not.toContain(name);
    expect(await wiping.all()).toEqual([]);
    // a job the other tab starts after the wipe is recorded as any
    await other.put([entry('tab-b', 'job-2')]);
    expect(await wiping.all()).toEqual([entry('tab-b', 'job-2')]);
    other.close();
    wiping.close();
  });
});
