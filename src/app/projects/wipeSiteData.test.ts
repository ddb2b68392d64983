/**
 * "Close and wipe" leaves nothing behind: the project storage (projects, their documents — kept
 * back-tests among them — and the audit chain), every other database Preflight keeps
 * (src/storage/databases.ts: the implementation guide packages, the running jobs' journal), the
 * origin private file system (key-spill scratch of validation runs), Cache Storage and web
 * storage. The stores are filled through the app's own code, and what is left is read from the
 * browser's own listing (`indexedDB.databases()`), so a database added later and not wiped fails
 * here even if nobody adds it to this test.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeOpfs, type FakeOpfs } from '../../../workers/testing/fakeOpfs.ts';
import { emptySyncState } from '../../core/teamRecords/index.ts';
import { fixtureDecision, fixtureProject } from '../../formats/testing/fixtures.ts';
import { PREFLIGHT_DATABASES } from '../../storage/databases.ts';
import { DEFAULT_DB_NAME, openPreflightDb } from '../../storage/db.ts';
import { createDecisionOutboxStore } from '../../storage/decisionOutboxStore.ts';
import { openIgPackageStore } from '../../storage/igPackageStore.ts';
import { createJobJournalStore } from '../../storage/jobJournalStore.ts';
import { createLogWitnessStore } from '../../storage/logWitnessStore.ts';
import { openStorage } from '../../storage/storage.ts';
import { createTeamSyncStore } from '../../storage/teamSyncStore.ts';
import { createProjectSession, type SessionState } from './projectSession.ts';
import { type WipeSurfaces, wipeSiteData } from './wipeSiteData.ts';

/** The stores and the global `indexedDB` of one test: a fresh origin, nothing from other files. */
let factory: IDBFactory;
let pageFactory: IDBFactory;
beforeEach(() => {
  factory = new IDBFactory();
  pageFactory = globalThis.indexedDB;
  // the package store and the job journal open the page's `indexedDB`, as in the app
  globalThis.indexedDB = factory;
});
afterEach(() => {
  globalThis.indexedDB = pageFactory;
});

const databaseNames = async (of: IDBFactory = factory) =>
  (await of.databases()).map((d) => d.name ?? '').sort();

/** Writes a file of `bytes` at `path` (folders made on the way), as a worker's sync handle does. */
async function writeFile(opfs: FakeOpfs, path: string[], bytes: number): Promise<void> {
  let folder = opfs.root;
  for (const name of path.slice(0, -1)) folder = await folder.getDirectoryHandle(name, { create: true });
  const handle = await (
    await folder.getFileHandle(path.at(-1) ?? 'file', { create: true })
  ).createSyncAccessHandle();
  handle.write(new Uint8Array(bytes).fill(7), { at: 0 });
  handle.close();
}

/** What "Close and wipe" in the app reaches, with the fakes of this test. */
function surfaces(opfs: FakeOpfs, caches: Set<string>, web: Map<string, string>[]): WipeSurfaces {
  return {
    indexedDb: factory,
    opfsRoot: async () => opfs.root,
    caches: { keys: async () => [...caches], delete: async (name: string) => caches.delete(name) },
    webStorages: () => web.map((m) => ({ clear: () => m.clear() })),
  };
}

describe('close and wipe', () => {
  it('leaves no project, back-test, package, job journal, scratch file, cache or web storage', async () => {
    const opfs = createFakeOpfs();
    const caches = new Set(['assets-v1']);
    const web = [new Map([['preflight.findingMarks', 'off']]), new Map([['x', 'y']])];
    const project = fixtureProject('p1');
    expect(project.workflowBackTests?.length).toBeGreaterThan(0);
    let opened: (state: SessionState) => void = () => {};
    const open = new Promise<SessionState>((resolve) => {
      opened = resolve;
    });
    const session = createProjectSession({
      openStorage: () => openStorage(DEFAULT_DB_NAME, { factory }),
      createDemo: async () => project,
      onState: (state) => {
        if (state.phase === 'ready' && state.project) opened(state);
      },
      wipeOutside: () => wipeSiteData(surfaces(opfs, caches, web)),
    });
    expect((await open).project?.meta.id).toBe('p1');

    // what the app's stores keep while it is used
    const packages = await openIgPackageStore();
    await packages.put({
      projectId: 'p1',
      sha256: 'a'.repeat(64),
      fileName: 'ips.tgz',
      file: new Blob(['tgz']),
    });
    packages.close();
    const journal = createJobJournalStore();
    await journal.put([
      {
        session: 's1',
        job: 'job-1',
        label: 'Validation',
        subject: 'patients.csv',
        startedAt: '2026-11-25T09:00:00.000Z',
        updatedAt: '2026-11-25T09:01:00.000Z',
        percent: 30,
      },
    ]);
    // a shared project's link to the team server, with a change queued while offline
    const links = createTeamSyncStore();
    await links.put({
      project: 'p1',
      teamProjectId: 't1',
      teamProjectName: 'Go-live',
      state: { ...emptySyncState(), head: 3 },
    });
    // the head of the team server's log this browser witnessed
    const witnessed = createLogWitnessStore();
    await witnessed.put({
      teamProjectId: 't1',
      head: {
        project: 't1',
        size: 3,
        rootHash: 'a'.repeat(64),
        timestamp: 't',
        keyId: 'b'.repeat(64),
        signature: 'c',
      },
      publicKey: 'd'.repeat(64),
    });
    witnessed.close();
    // a reviewer's decision waiting for the team server
    const outbox = createDecisionOutboxStore();
    await outbox.outbox('t1/rv1').add(fixtureDecision());
    outbox.close();
    // the journal's connection stays open, as in a running app: the wipe must not wait on it
    await writeFile(opfs, ['preflight-key-spill', 'run-1', 'part-0.keys'], 4096);
    await writeFile(opfs, ['preflight-key-spill', 'crashed-run', 'part-0.keys'], 512);
    // a database a later version adds and nobody lists in databases.ts
    (await openPreflightDb('preflight-added-later', { factory })).close();

    const before = await databaseNames();
    // every database the app's list names was really made by the app's own code above
    expect(before).toEqual(expect.arrayContaining([...PREFLIGHT_DATABASES]));
    expect(before).toContain('preflight-added-later');
    const stored = await openPreflightDb(DEFAULT_DB_NAME, { factory });
    expect(await stored.countFromIndex('documents', 'byProject', 'p1')).toBeGreaterThan(0);
    expect(
      (await stored.getAllFromIndex('documents', 'byProject', 'p1')).some(
        (d) => d.kind === 'workflowBackTest',
      ),
    ).toBe(true);
    stored.close();
    expect(opfs.storedBytes()).toBeGreaterThan(0);

    await session.wipe();

    expect(session.getState()).toMatchObject({ phase: 'wiped', projects: [], project: null });
    expect(await databaseNames()).toEqual([]);
    expect(opfs.paths()).toEqual([]);
    expect([...caches]).toEqual([]);
    expect(web.map((m) => m.size)).toEqual([0, 0]);
    // a late removal by the cancelled job does not bring the journal back
    await journal.remove([{ session: 's1', job: 'job-1' }]);
    expect(await databaseNames()).toEqual([]);
    journal.close();
    session.destroy();
  });

  it("deletes Preflight's databases where the browser cannot list them", async () => {
    for (const name of [...PREFLIGHT_DATABASES]) (await openPreflightDb(name, { factory })).close();
    const unlisting = Object.assign(Object.create(factory) as IDBFactory, {
      databases: undefined,
      deleteDatabase: (name: string) => factory.deleteDatabase(name),
    });
    await wipeSiteData({ indexedDb: unlisting });
    expect(await databaseNames()).toEqual([]);
  });

  it('removes every OPFS entry, every cache and both web storages', async () => {
    const opfs = createFakeOpfs();
    const spill = await opfs.root.getDirectoryHandle('preflight-key-spill', { create: true });
    await (await spill.getDirectoryHandle('crashed-run', { create: true })).getFileHandle('k.keys', {
      create: true,
    });
    await opfs.root.getFileHandle('loose', { create: true });
    const cacheNames = new Set(['assets-v1', 'other']);
    const cleared: string[] = [];
    await wipeSiteData({
      opfsRoot: async () => opfs.root,
      caches: {
        keys: async () => [...cacheNames],
        delete: async (name: string) => cacheNames.delete(name),
      },
      webStorages: () => [
        { clear: () => void cleared.push('local') },
        { clear: () => void cleared.push('session') },
      ],
    });
    expect(opfs.paths()).toEqual([]);
    expect([...cacheNames]).toEqual([]);
    expect(cleared).toEqual(['local', 'session']);
  });

  it('goes on past parts the browser lacks or refuses, and never rejects', async () => {
    const cleared: string[] = [];
    await expect(
      wipeSiteData({
        indexedDb: Object.assign(Object.create(factory) as IDBFactory, {
          databases: () => Promise.reject(new DOMException('no', 'UnknownError')),
          deleteDatabase: () => {
            throw new DOMException('no', 'SecurityError');
          },
        }),
        opfsRoot: () => Promise.reject(new DOMException('no', 'SecurityError')),
        caches: { keys: () => Promise.reject(new Error('insecure')), delete: async () => false },
        webStorages: () => [
          {
            clear: () => {
              throw new DOMException('no', 'SecurityError');
            },
          },
          { clear: () => void cleared.push('session') },
        ],
      }),
    ).resolves.toBeUndefined();
    expect(cleared).toEqual(['session']);
  });
});
