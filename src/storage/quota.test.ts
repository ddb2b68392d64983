/**
 * A full disk on real storage (fake-indexeddb): writes whose transaction aborts with
 * QuotaExceededError, and a connection the browser closes on its own. The faults are injected
 * through `openStorage`'s own `factory` parameter: a factory that hands out the real connections,
 * with writes made to fail while `fail` says so.
 */
import 'fake-indexeddb/auto';
import { forceCloseDatabase, IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyChange } from '../core/project/changes.ts';
import type { Project } from '../formats/project.ts';
import { fixtureProject } from '../formats/testing/fixtures.ts';
import { type AutosaveStatus, createAutosave } from './autosave.ts';
import {
  CLEARED_MESSAGE,
  DISK_FULL_MESSAGE,
  OPEN_FAILED_MESSAGE,
  openFailureError,
  openPreflightDb,
  TERMINATED_MESSAGE,
  type TerminationCause,
} from './db.ts';
import { STORAGE_ERROR_MESSAGES, type StorageErrorKind, toStorageError } from './errors.ts';
import { openIgPackageStore } from './igPackageStore.ts';
import { createJobJournalStore } from './jobJournalStore.ts';
import { openStorage, type ProjectStorage } from './storage.ts';
import { createTeamSyncStore } from './teamSyncStore.ts';

const DB = 'preflight-quota-test';
const AT = '2026-11-24T07:00:00.000Z';

/** What a browser does when the disk is full: the transaction aborts with this error. */
function abortForQuota(tx: IDBTransaction) {
  (tx as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
}

/** Makes every put, add and delete of `tx`'s stores abort `tx` as out of quota. */
function failWrites(tx: IDBTransaction) {
  const objectStore = tx.objectStore.bind(tx);
  tx.objectStore = (storeName: string) => {
    const store = objectStore(storeName);
    for (const method of ['put', 'add', 'delete'] as const) {
      const original = store[method].bind(store) as (...args: unknown[]) => IDBRequest;
      (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const request = original(...args);
        abortForQuota(tx);
        return request;
      };
    }
    return store;
  };
}

/**
 * A factory over a fresh fake-indexeddb whose next `fail.writes` readwrite transactions abort as
 * out of quota, whose next `fail.reads` readonly transactions abort after their requests were
 * made, and whose database upgrade aborts as out of quota while `fail.upgrade`.
 */
function faultyFactory() {
  const real = new IDBFactory();
  const connections: IDBDatabase[] = [];
  const fail = { writes: 0, reads: 0, upgrade: false };
  const factory = {
    open(name: string, version?: number) {
      const request = real.open(name, version);
      // registered before the opener's own listener, so its upgrade writes already fail
      request.addEventListener('upgradeneeded', () => {
        if (fail.upgrade && request.transaction) failWrites(request.transaction);
      });
      request.addEventListener('success', () => {
        const raw = request.result;
        connections.push(raw);
        const transaction = raw.transaction.bind(raw);
        raw.transaction = ((
          stores: string | string[],
          mode?: IDBTransactionMode,
          options?: IDBTransactionOptions,
        ) => {
          const tx = transaction(stores, mode, options);
          if (mode === 'readwrite' && fail.writes > 0) {
            fail.writes -= 1;
            failWrites(tx);
          } else if (mode !== 'readwrite' && fail.reads > 0) {
            fail.reads -= 1;
            // a connection the browser closes under a read aborts it with its requests pending
            queueMicrotask(() => abortForQuota(tx));
          }
          return tx;
        }) as IDBDatabase['transaction'];
      });
      return request;
    },
    deleteDatabase: (name: string) => real.deleteDatabase(name),
    cmp: (a: unknown, b: unknown) => real.cmp(a, b),
    databases: () => real.databases(),
  } as IDBFactory;
  return { factory, connections, fail };
}

const opened: ProjectStorage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

async function open(factory: IDBFactory) {
  const storage = await openStorage(DB, { factory });
  opened.push(storage);
  return storage;
}

const rename = (project: Project, name: string) => applyChange(project, { type: 'project/rename', name }, AT);

describe('storage on a full disk', () => {
  it('a write whose transaction aborts for quota fails as quota, stores nothing, and the next one lands', async () => {
    const { factory, fail } = faultyFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    const stored = await storage.loadProject('p1');
    fail.writes = 1;
    await expect(storage.saveChanges(rename(stored, 'Full disk'), stored)).rejects.toMatchObject({
      kind: 'quota',
      message: STORAGE_ERROR_MESSAGES.quota,
    });
    expect((await storage.loadProject('p1')).meta.name).toBe(stored.meta.name);
    await storage.saveChanges(rename(stored, 'Space freed'), stored);
    expect((await storage.loadProject('p1')).meta.name).toBe('Space freed');
  });

  it('after the browser closed the connection, the next operation reconnects instead of failing for good', async () => {
    const { factory, connections } = faultyFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    const stored = await storage.loadProject('p1');
    const closed = new Promise<string>((resolve) =>
      storage.subscribe((notice) => resolve(notice.error.message)),
    );
    forceCloseDatabase(connections[0] as unknown as Parameters<typeof forceCloseDatabase>[0]);
    expect(await closed).toBe(TERMINATED_MESSAGE);
    await storage.saveChanges(rename(stored, 'After reconnect'), stored);
    expect((await storage.loadProject('p1')).meta.name).toBe('After reconnect');
    expect(connections).toHaveLength(2);
  });

  it.each([
    {
      cause: 'the browser still lists the database',
      databases: (real: IDBFactory) => real.databases(),
      message: TERMINATED_MESSAGE,
    },
    {
      // what Chromium does on a full disk: "Internal error opening backing store"
      cause: 'the browser cannot open its storage at all',
      databases: () => Promise.reject(new DOMException('Internal error', 'UnknownError')),
      message: DISK_FULL_MESSAGE,
    },
    {
      cause: "the browser no longer lists the database (the site's data was cleared)",
      databases: () => Promise.resolve([]),
      message: CLEARED_MESSAGE,
    },
  ])('a connection the browser closed says why when $cause', async ({ databases, message }) => {
    const { factory, connections } = faultyFactory();
    const real = { databases: factory.databases.bind(factory) } as IDBFactory;
    const storage = await open(factory);
    const closed = new Promise<string>((resolve) =>
      storage.subscribe((notice) => resolve(notice.error.message)),
    );
    factory.databases = () => databases(real);
    forceCloseDatabase(connections[0] as unknown as Parameters<typeof forceCloseDatabase>[0]);
    expect(await closed).toBe(message);
  });

  it('autosave shows the quota message, then recovers by itself (no reload) once writes succeed', async () => {
    const { factory, fail } = faultyFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    const stored = await storage.loadProject('p1');
    const statuses: AutosaveStatus[] = [];
    let onSaved: () => void = () => {};
    const saved = new Promise<void>((resolve) => {
      onSaved = resolve;
    });
    const autosave = createAutosave(storage, {
      delayMs: 0,
      onStatus: (status) => {
        statuses.push(status);
        if (status.state === 'saved' && statuses.some((s) => s.state === 'error')) onSaved();
      },
    });
    autosave.reset(stored);
    fail.writes = 2;
    const edited = rename(stored, 'Kept through a full disk');
    autosave.update(edited);
    const whenSaved = autosave.whenSaved('p1');
    await saved;
    await whenSaved;
    const error = statuses.find((s) => s.state === 'error')?.error;
    expect(error?.kind).toBe('quota');
    expect(error?.message).toMatch(/storage for Preflight is full.*Nothing already saved was lost/);
    expect((await storage.loadProject('p1')).meta.name).toBe('Kept through a full disk');
    expect(fail.writes).toBe(0);
    autosave.destroy();
  });
});

/** A factory whose opens fail as Chromium's do on a full disk ("Internal error opening backing store"). */
function unopenableFactory(databases: () => Promise<IDBDatabaseInfo[]>): IDBFactory {
  return {
    open() {
      // an IDBRequest to `idb`, which promisifies only those
      const listeners = new Map<string, (event: Event) => void>();
      const request = Object.assign(Object.create(IDBRequest.prototype) as object, {
        error: new DOMException('Internal error opening backing store', 'UnknownError'),
        addEventListener: (type: string, listener: (event: Event) => void) => listeners.set(type, listener),
        removeEventListener: () => {},
      });
      setTimeout(() => listeners.get('error')?.(new Event('error')));
      return request as unknown as IDBOpenDBRequest;
    },
    databases,
  } as unknown as IDBFactory;
}

describe('opening storage on a full disk', () => {
  it.each<{
    what: string;
    error: unknown;
    cause: TerminationCause;
    kind: StorageErrorKind;
    message: string;
  }>([
    {
      what: 'an unexplained failure while the browser cannot list its databases (disk full)',
      error: new DOMException('Internal error opening backing store', 'UnknownError'),
      cause: 'disk',
      kind: 'quota',
      message: STORAGE_ERROR_MESSAGES.quota,
    },
    {
      what: 'an unexplained failure while the browser still lists the database',
      error: new DOMException('Internal error opening backing store', 'UnknownError'),
      cause: 'unknown',
      kind: 'unknown',
      message: OPEN_FAILED_MESSAGE,
    },
    {
      what: 'an unexplained failure after the site data was cleared',
      error: new DOMException('x', 'UnknownError'),
      cause: 'cleared',
      kind: 'unknown',
      message: OPEN_FAILED_MESSAGE,
    },
    {
      what: 'a quota failure, whatever the browser lists',
      error: new DOMException('x', 'QuotaExceededError'),
      cause: 'unknown',
      kind: 'quota',
      message: STORAGE_ERROR_MESSAGES.quota,
    },
    {
      what: 'a private window',
      error: new DOMException('x', 'SecurityError'),
      cause: 'disk',
      kind: 'unavailable',
      message: toStorageError(new DOMException('x', 'SecurityError')).message,
    },
  ])('maps $what to $kind', ({ error, cause, kind, message }) => {
    const mapped = openFailureError(error, cause);
    expect(mapped.kind).toBe(kind);
    expect(mapped.message).toBe(message);
    expect(mapped.cause).toBe(error);
    expect(mapped.message).not.toContain('backing store');
  });

  it('names both likely causes, and what to do, when it cannot tell them apart', () => {
    expect(OPEN_FAILED_MESSAGE).toMatch(/disk is full/);
    expect(OPEN_FAILED_MESSAGE).toMatch(/damaged/);
    expect(OPEN_FAILED_MESSAGE).toMatch(/Free disk space/);
    expect(OPEN_FAILED_MESSAGE).toMatch(/without a reload/);
  });

  it('an open refused while the browser cannot list its databases fails as quota', async () => {
    const factory = unopenableFactory(() => Promise.reject(new DOMException('', 'UnknownError')));
    await expect(openPreflightDb(DB, { factory })).rejects.toMatchObject({ kind: 'quota' });
  });

  it('an open refused while the database is still listed says the disk may be full or the data damaged', async () => {
    const factory = unopenableFactory(() => Promise.resolve([{ name: DB, version: 4 }]));
    await expect(openPreflightDb(DB, { factory })).rejects.toMatchObject({
      kind: 'unknown',
      message: OPEN_FAILED_MESSAGE,
    });
  });
});

/**
 * Runs `work` and returns the promise rejections nobody handled meanwhile: in a browser each is an
 * uncaught error on the page (an "AbortError"), the failure it repeats already reported or not.
 */
async function strayRejections(work: () => Promise<void>): Promise<unknown[]> {
  const stray: unknown[] = [];
  const onStray = (reason: unknown) => stray.push(reason);
  process.on('unhandledRejection', onStray);
  try {
    await work();
    // unhandled rejections are reported after the microtasks of the task that made them
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    process.off('unhandledRejection', onStray);
  }
  return stray;
}

describe('a full disk leaves no failure unhandled', () => {
  it('a first open whose database cannot be created fails as quota, with nothing else thrown', async () => {
    const { factory, fail } = faultyFactory();
    fail.upgrade = true;
    const stray = await strayRejections(async () => {
      await expect(openStorage(DB, { factory })).rejects.toMatchObject({
        kind: 'quota',
        message: STORAGE_ERROR_MESSAGES.quota,
      });
    });
    expect(stray).toEqual([]);
    fail.upgrade = false;
    expect(await (await open(factory)).listProjects()).toEqual([]);
  });

  it('an open whose storage-format record cannot be written fails as quota, with nothing else thrown', async () => {
    const { factory, fail } = faultyFactory();
    const db = await openPreflightDb(DB, { factory });
    await db.delete('meta', 'storageFormat');
    expect(await db.getAllKeys('meta')).toEqual([]);
    db.close();
    fail.writes = 1;
    const stray = await strayRejections(async () => {
      await expect(openStorage(DB, { factory })).rejects.toMatchObject({
        kind: 'quota',
        message: STORAGE_ERROR_MESSAGES.quota,
      });
    });
    expect(stray).toEqual([]);
    expect(await (await open(factory)).listProjects()).toEqual([]);
  });

  it('reads whose transaction aborts fail to their caller, with nothing else thrown', async () => {
    const { factory, fail } = faultyFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await storage.setLastProjectId('p1');
    const reads: [string, () => Promise<unknown>][] = [
      ['listProjects', () => storage.listProjects()],
      ['loadProject', () => storage.loadProject('p1')],
      ['readAuditLog', () => storage.readAuditLog('p1')],
      ['auditSummary', () => storage.auditSummary(['p1'])],
      ['getLastProjectId', () => storage.getLastProjectId()],
      ['recoverRescued', () => storage.recoverRescued()],
    ];
    for (const [what, read] of reads) {
      fail.reads = 1;
      const stray = await strayRejections(async () => {
        await expect(read(), what).rejects.toBeInstanceOf(Error);
      });
      expect(stray, what).toEqual([]);
      expect(fail.reads, what).toBe(0);
    }
    expect((await storage.loadProject('p1')).meta.id).toBe('p1');
  });

  it('the stores of jobs, guide packages and team links fail as quota when their database cannot be created', async () => {
    const open = IDBFactory.prototype.open;
    const spy = vi.spyOn(IDBFactory.prototype, 'open').mockImplementation(function (
      this: IDBFactory,
      ...args: Parameters<IDBFactory['open']>
    ) {
      const request = open.apply(this, args);
      request.addEventListener('upgradeneeded', () => {
        if (request.transaction) failWrites(request.transaction);
        // creating the database's stores is its upgrade's first write
        if (request.transaction) abortForQuota(request.transaction);
      });
      return request;
    });
    const suffix = Math.random().toString(36).slice(2);
    try {
      const stray = await strayRejections(async () => {
        await expect(
          createJobJournalStore({ name: `jobs-${suffix}` }).put([
            { session: 's', job: 'j', label: 'l', subject: 's', startedAt: AT, updatedAt: AT },
          ]),
        ).rejects.toMatchObject({ kind: 'quota' });
        await expect(openIgPackageStore(`ig-${suffix}`)).rejects.toMatchObject({ kind: 'quota' });
        await expect(createTeamSyncStore(`team-${suffix}`).get('p1')).rejects.toMatchObject({
          kind: 'quota',
        });
      });
      expect(stray).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});
