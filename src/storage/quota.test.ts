/**
 * A full disk on real storage (fake-indexeddb): writes whose transaction aborts with
 * QuotaExceededError, and a connection the browser closes on its own. The faults are injected
 * through `openStorage`'s own `factory` parameter: a factory that hands out the real connections,
 * with writes made to fail while `fail` says so.
 */
import 'fake-indexeddb/auto';
import { forceCloseDatabase, IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { applyChange } from '../core/project/changes.ts';
import type { Project } from '../formats/project.ts';
import { fixtureProject } from '../formats/testing/fixtures.ts';
import { type AutosaveStatus, createAutosave } from './autosave.ts';
import { CLEARED_MESSAGE, DISK_FULL_MESSAGE, TERMINATED_MESSAGE } from './db.ts';
import { STORAGE_ERROR_MESSAGES } from './errors.ts';
import { openStorage, type ProjectStorage } from './storage.ts';

const DB = 'preflight-quota-test';
const AT = '2026-11-24T07:00:00.000Z';

/** A factory over a fresh fake-indexeddb whose next `fail.writes` readwrite transactions abort as out of quota. */
function faultyFactory() {
  const real = new IDBFactory();
  const connections: IDBDatabase[] = [];
  const fail = { writes: 0 };
  const factory = {
    open(name: string, version?: number) {
      const request = real.open(name, version);
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
          if (mode !== 'readwrite' || fail.writes === 0) return tx;
          fail.writes -= 1;
          const objectStore = tx.objectStore.bind(tx);
          tx.objectStore = (storeName: string) => {
            const store = objectStore(storeName);
            for (const method of ['put', 'add', 'delete'] as const) {
              const original = store[method].bind(store) as (...args: unknown[]) => IDBRequest;
              (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
                const request = original(...args);
                // what a browser does when the disk is full: the transaction aborts with this error
                (tx as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
                return request;
              };
            }
            return store;
          };
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
