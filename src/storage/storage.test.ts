import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addReport, applyChange, applyChanges } from '../core/project/changes.ts';
import type { Project, ProjectReport } from '../formats/project.ts';
import type { Report } from '../formats/report.ts';
import {
  FIXTURE_NOW,
  fixtureDataset,
  fixtureLogMap,
  fixtureProject,
  fixtureReport,
  fixtureWorkflow,
  fixtureWorkflowBackTest,
  fixtureWorkflowCheck,
} from '../formats/testing/fixtures.ts';
import { loadWorkflow } from '../formats/workflow.ts';
import { DB_VERSION, openPreflightDb } from './db.ts';
import type { DocumentRecord } from './documentRecord.ts';
import { StorageError } from './errors.ts';
import { META_KEYS } from './metaRecord.ts';
import {
  DAMAGED_PROJECT_NAME,
  type OpenStorageOptions,
  openStorage,
  PROJECT_CHANGED_MESSAGE,
  PROJECT_DELETED_MESSAGE,
  type ProjectStorage,
  type StorageNotice,
} from './storage.ts';

const DB = 'preflight-test';
const LATER = '2025-02-01T00:00:00.000Z';
/** stands in for patient content: must never appear in an error message */
const SECRET = 'Jane Q. Patient 1962-04-01';

const opened: ProjectStorage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
  vi.restoreAllMocks();
});

/** A fresh, empty IndexedDB per test (a new "browser profile"). */
function freshFactory(): IDBFactory {
  return new IDBFactory();
}

async function open(factory: IDBFactory, options: OpenStorageOptions = {}): Promise<ProjectStorage> {
  const storage = await openStorage(DB, { factory, ...options });
  opened.push(storage);
  return storage;
}

/** Raw access to the database, as another tab or a damaged disk would change it. */
async function tamper(
  factory: IDBFactory,
  change: (db: Awaited<ReturnType<typeof openPreflightDb>>) => Promise<void>,
) {
  const db = await openPreflightDb(DB, { factory });
  try {
    await change(db);
  } finally {
    db.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  throw new Error('expected a rejection');
}

describe('ProjectStorage round trip', () => {
  it('loads exactly what was saved, documents in the project order', async () => {
    const storage = await open(freshFactory());
    const project: Project = {
      ...fixtureProject(),
      workflows: [fixtureWorkflow('zeta'), fixtureWorkflow('alpha'), fixtureWorkflow('mid')],
    };
    await storage.saveProject(project);
    const loaded = await storage.loadProject(project.meta.id);
    expect(loaded).toEqual(project);
    expect(loaded.workflows.map((w) => w.id)).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('a new connection (a reload) sees the data', async () => {
    const factory = freshFactory();
    const first = await open(factory);
    await first.saveProject(fixtureProject('p1'));
    await first.setLastProjectId('p1');
    first.close();

    const second = await open(factory);
    expect((await second.listProjects()).map((m) => m.id)).toEqual(['p1']);
    expect(await second.getLastProjectId()).toBe('p1');
    expect(await second.loadProject('p1')).toEqual(fixtureProject('p1'));
  });

  it('saveProject replaces every document of the project (full snapshot)', async () => {
    const storage = await open(freshFactory());
    await storage.saveProject(fixtureProject('p1'));
    const replaced: Project = { ...fixtureProject('p1'), workflows: [fixtureWorkflow('w9')], datasets: [] };
    await storage.saveProject(replaced);
    expect(await storage.loadProject('p1')).toEqual(replaced);
  });

  it('keeps projects apart', async () => {
    const storage = await open(freshFactory());
    await storage.saveProject(fixtureProject('p1'));
    await storage.saveProject({ ...fixtureProject('p2'), workflows: [] });
    expect((await storage.loadProject('p1')).workflows).toHaveLength(2);
    expect((await storage.loadProject('p2')).workflows).toHaveLength(0);
  });

  it('writes every change in a strict-durability transaction', async () => {
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const storage = await open(freshFactory());
    spy.mockClear();
    const project = fixtureProject('p1');
    await storage.saveProject(project);
    await storage.saveChanges(applyChange(project, { type: 'project/rename', name: 'New' }, LATER), project);
    await storage.setLastProjectId('p1');
    await storage.deleteProject('p1');
    const writes = spy.mock.calls.filter((call) => call[1] === 'readwrite');
    expect(writes).toHaveLength(4);
    for (const call of writes) expect(call[2]).toEqual({ durability: 'strict' });
  });
});

describe('saveChanges', () => {
  it('writes only documents whose identity changed, deletes removed ones, writes the meta', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    const before = fixtureProject('p1');
    await storage.saveProject(before);

    // Change w2 on "disk" behind our back: if saveChanges rewrote the unchanged w2, this would vanish.
    await tamper(factory, async (db) => {
      const record = (await db.get('documents', ['p1', 'workflow', 'w2'])) as DocumentRecord;
      await db.put('documents', { ...record, body: { ...(record.body as object), name: 'marker' } });
    });

    const after = applyChanges(
      before,
      [
        { type: 'workflow/put', workflow: fixtureWorkflow('w1', 'Edited') },
        { type: 'dataset/remove', id: 'd1' },
        { type: 'dataset/put', dataset: fixtureDataset('d2') },
        { type: 'project/rename', name: 'Renamed clinic' },
      ],
      LATER,
    );
    await storage.saveChanges(after, before);

    const loaded = await storage.loadProject('p1');
    expect(loaded.workflows.map((w) => w.name)).toEqual(['Edited', 'marker']);
    expect(loaded.datasets.map((d) => d.id)).toEqual(['d2']);
    expect(loaded.meta).toEqual({ ...before.meta, name: 'Renamed clinic', updatedAt: LATER });
  });

  it('keeps the order after a reorder that changed no document', async () => {
    const storage = await open(freshFactory());
    const before = fixtureProject('p1');
    await storage.saveProject(before);
    const reordered = { ...before, workflows: [...before.workflows].reverse() };
    await storage.saveChanges(reordered, before);
    expect((await storage.loadProject('p1')).workflows.map((w) => w.id)).toEqual(['w2', 'w1']);
  });

  it('refuses (not-found) to write changes of a project deleted meanwhile, never re-creating it', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    const otherTab = await open(factory);
    const before = fixtureProject('p1');
    await storage.saveProject(before);
    await otherTab.deleteProject('p1');
    const after = applyChange(before, { type: 'project/rename', name: 'Still here' }, LATER);
    const error = await rejection(storage.saveChanges(after, before));
    expect(error.kind).toBe('not-found');
    expect(error.message).toBe(PROJECT_DELETED_MESSAGE);
    expect(error.location).toEqual({ projectId: 'p1' });
    expect(await storage.listProjects()).toEqual([]);
    expect((await rejection(storage.loadProject('p1'))).kind).toBe('not-found');
  });

  it('saveProject with mustExist refuses a missing project; without it, creates it', async () => {
    const storage = await open(freshFactory());
    const project = fixtureProject('p1');
    const error = await rejection(storage.saveProject(project, { mustExist: true }));
    expect(error.kind).toBe('not-found');
    expect(await storage.listProjects()).toEqual([]);
    await storage.saveProject(project);
    await storage.saveProject(project, { mustExist: true });
    expect(await storage.loadProject('p1')).toEqual(project);
  });

  it('falls back to a full snapshot when previous is another project', async () => {
    const storage = await open(freshFactory());
    await storage.saveChanges(fixtureProject('p2'), fixtureProject('p1'));
    expect(await storage.loadProject('p2')).toEqual(fixtureProject('p2'));
  });

  it('refuses a project with two documents of one kind sharing an id, changing nothing', async () => {
    const storage = await open(freshFactory());
    await storage.saveProject(fixtureProject('p1'));
    const broken = { ...fixtureProject('p1'), workflows: [fixtureWorkflow('w1'), fixtureWorkflow('w1')] };
    const error = await rejection(storage.saveProject(broken));
    expect(error.kind).toBe('invalid');
    expect(error.location).toMatchObject({ documentKind: 'workflow', documentId: 'w1' });
    expect(await storage.loadProject('p1')).toEqual(fixtureProject('p1'));
  });
});

describe('validation before a write (what a load would reject is never stored)', () => {
  it('refuses a document that fails its format, naming where, changing nothing', async () => {
    const storage = await open(freshFactory());
    const before = fixtureProject('p1');
    await storage.saveProject(before);
    const broken = fixtureWorkflow('w1');
    broken.lanes[0] = { ...(broken.lanes[0] as (typeof broken.lanes)[0]), name: '', staff: SECRET as never };
    const after = applyChange(before, { type: 'workflow/put', workflow: broken }, LATER);
    for (const attempt of [storage.saveChanges(after, before), storage.saveProject(after)]) {
      const error = await rejection(attempt);
      expect(error.kind).toBe('invalid');
      expect(error.location).toMatchObject({ documentKind: 'workflow', documentId: 'w1' });
      expect(error.location?.path).toMatch(/^\/lanes\/0\//);
      expect(error.message).toMatch(/^Not saved: workflow "w1" at \/lanes\/0\//);
      expect(error.message).not.toContain(SECRET);
    }
    expect(await storage.loadProject('p1')).toEqual(before);
  });

  const refusedSnapshots: { description: string; edit: (project: Project) => Project; path: RegExp }[] = [
    {
      description: 'a createdAt that is not a date-time with zone',
      edit: (p) => ({ ...p, meta: { ...p.meta, createdAt: 'yesterday' } }),
      path: /^\/meta\/createdAt$/,
    },
    {
      description: 'a blank project name',
      edit: (p) => ({ ...p, meta: { ...p.meta, name: '' } }),
      path: /^\/meta\/name$/,
    },
    {
      description: 'settings holding a number a file cannot carry',
      edit: (p) => ({ ...p, meta: { ...p.meta, settings: { threshold: Number.NaN } } }),
      path: /^\/meta\/settings\/threshold$/,
    },
    {
      description: 'a dataset size that is not a whole number',
      edit: (p) => ({ ...p, datasets: [{ ...fixtureDataset('d1'), bytes: 1.5 }] }),
      path: /^\/bytes$/,
    },
    {
      description: 'a dataset with an empty name and an origin without its path',
      edit: (p) => ({
        ...p,
        datasets: [{ ...fixtureDataset('d1'), name: '', origin: { type: 'sample' } as never }],
      }),
      path: /^\/name$/,
    },
    {
      description: 'a schema document whose schema holds a lone surrogate',
      edit: (p) => ({ ...p, schemas: [{ id: 's1', name: 'S', schema: { title: '\uD800' } }] }),
      path: /^\/schema\/title$/,
    },
    {
      description: 'a redacted report that still holds an example value',
      edit: (p) => {
        const report = fixtureReport('r1');
        report.redacted = true;
        (report.issues[0] as (typeof report.issues)[0]).examples = [{ row: 2, value: SECRET }];
        return { ...p, reports: [report] };
      },
      path: /^\/issues\/0\/examples\/0\/value$/,
    },
  ];
  it.each(refusedSnapshots)(
    'refuses what a project file would refuse: $description',
    async ({ edit, path }) => {
      const storage = await open(freshFactory());
      const project = edit(fixtureProject('p1'));
      const error = await rejection(storage.saveProject(project));
      expect(error.kind).toBe('invalid');
      expect(error.location?.path).toMatch(path);
      expect(error.message).not.toContain(SECRET);
      expect(await storage.listProjects()).toEqual([]);
    },
  );

  it('reports a stored meta that the project file schema refuses as corrupt', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    const raw = await openPreflightDb(DB, { factory });
    const record = await raw.get('projects', 'p1');
    await raw.put('projects', { ...(record as object), createdAt: 'yesterday' } as never);
    raw.close();
    const error = await rejection(storage.loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({ documentKind: 'project', path: '/createdAt' });
  });

  it('stores and reloads a draft that only fails semantic checks (branch probabilities mid-edit)', async () => {
    const storage = await open(freshFactory());
    const draft = fixtureWorkflow('w1');
    draft.steps[1] = { ...(draft.steps[1] as (typeof draft.steps)[1]), kind: 'decision' };
    draft.flows = [...draft.flows, { from: 't', to: 's', probability: 0.7, transfer: 'none' }];
    draft.flows[1] = { ...(draft.flows[1] as (typeof draft.flows)[1]), probability: 0.7 };
    expect(loadWorkflow(draft).ok, 'premise: the full loader rejects this draft').toBe(false);
    const project = { ...fixtureProject('p1'), workflows: [draft] };
    await storage.saveProject(project);
    expect(await storage.loadProject('p1')).toEqual(project);
  });
});

describe('revisions: two tabs writing one project (optimistic concurrency)', () => {
  const edit = (project: Project, name: string) =>
    applyChange(project, { type: 'project/rename', name }, LATER);

  /** Two connections to one IndexedDB (two tabs), both holding project p1 as loaded. */
  async function twoTabs() {
    const factory = freshFactory();
    const tabA = await open(factory);
    const tabB = await open(factory);
    await tabA.saveProject(fixtureProject('p1'));
    return {
      factory,
      tabA,
      tabB,
      loadedA: await tabA.loadProject('p1'),
      loadedB: await tabB.loadProject('p1'),
    };
  }

  it('every write claims a larger revision; revisionOf knows only loaded or written objects', async () => {
    const storage = await open(freshFactory());
    const project = fixtureProject('p1');
    expect(storage.revisionOf(project)).toBeUndefined();
    await storage.saveProject(project);
    const first = storage.revisionOf(project) ?? -1;
    expect(first).toBeGreaterThan(0);
    const loaded = await storage.loadProject('p1');
    expect(storage.revisionOf(loaded)).toBe(first);
    const edited = edit(loaded, 'Edited');
    await storage.saveChanges(edited, loaded);
    expect(storage.revisionOf(edited)).toBeGreaterThan(first);
    expect(storage.revisionOf(await storage.loadProject('p1'))).toBe(storage.revisionOf(edited));
    // the Project type is unchanged: the revision is not a field of what loads
    expect(loaded).toEqual(project);
  });

  it('interleaved edits: the second writer gets conflict, and nothing of the first writer is lost', async () => {
    const { tabA, tabB, loadedA, loadedB } = await twoTabs();
    const fromA = applyChanges(
      loadedA,
      [
        { type: 'workflow/remove', id: 'w1' },
        { type: 'dataset/put', dataset: fixtureDataset('d2') },
        { type: 'project/rename', name: 'Edited in A' },
      ],
      LATER,
    );
    await tabA.saveChanges(fromA, loadedA);

    // B edits the workflow A deleted and renames the project with patient-like text
    const fromB = applyChanges(
      loadedB,
      [
        { type: 'workflow/put', workflow: fixtureWorkflow('w1', SECRET) },
        { type: 'project/rename', name: SECRET },
      ],
      LATER,
    );
    const error = await rejection(tabB.saveChanges(fromB, loadedB));
    expect(error.kind).toBe('conflict');
    expect(error.message).toBe(PROJECT_CHANGED_MESSAGE);
    expect(error.message).toMatch(/changed in another tab or window.*not saved.*[Rr]eload.*export/);
    expect(error.message).not.toContain(SECRET);
    expect(error.location).toEqual({ projectId: 'p1' });
    expect(tabB.revisionOf(fromB)).toBeUndefined();

    // what A wrote is exactly what loads, in both tabs — not damaged, nothing of B mixed in
    expect(await tabA.loadProject('p1')).toEqual(fromA);
    const reloadedB = await tabB.loadProject('p1');
    expect(reloadedB).toEqual(fromA);

    // after a fresh load, B writes again
    const again = edit(reloadedB, 'Edited in B after reload');
    await tabB.saveChanges(again, reloadedB);
    expect(await tabA.loadProject('p1')).toEqual(again);
    // and now A's baseline is stale in turn
    expect((await rejection(tabA.saveChanges(edit(fromA, 'A again'), fromA))).kind).toBe('conflict');
  });

  it('saveProject with expectedRevision refuses a stale revision, changing nothing; without it, replaces', async () => {
    const { tabA, tabB, loadedA, loadedB } = await twoTabs();
    const fromA = edit(loadedA, 'Edited in A');
    await tabA.saveChanges(fromA, loadedA);
    const stale = tabB.revisionOf(loadedB);
    const error = await rejection(
      tabB.saveProject(edit(loadedB, SECRET), { mustExist: true, expectedRevision: stale }),
    );
    expect(error.kind).toBe('conflict');
    expect(error.message).not.toContain(SECRET);
    expect(await tabB.loadProject('p1')).toEqual(fromA);

    const current = await tabB.loadProject('p1');
    const fromB = edit(current, 'Edited in B');
    await tabB.saveProject(fromB, { mustExist: true, expectedRevision: tabB.revisionOf(current) });
    expect(await tabA.loadProject('p1')).toEqual(fromB);
    // a plain saveProject (create, import) is unconditional, as before
    await tabA.saveProject(fromA);
    expect(await tabB.loadProject('p1')).toEqual(fromA);
  });

  it('a project deleted and re-created with its id (re-imported) never repeats a revision', async () => {
    const { tabA, tabB, loadedA } = await twoTabs();
    await tabB.deleteProject('p1');
    const reimported = edit(fixtureProject('p1'), 'Re-imported');
    await tabB.saveProject(reimported);
    expect(tabB.revisionOf(reimported)).toBeGreaterThan(tabA.revisionOf(loadedA) ?? 0);
    const error = await rejection(tabA.saveChanges(edit(loadedA, 'Stale edit'), loadedA));
    expect(error.kind).toBe('conflict');
    expect(await tabA.loadProject('p1')).toEqual(reimported);
  });

  it('a record written before revisions existed loads as revision 0 and saves', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    const project = fixtureProject('p1');
    await storage.saveProject(project);
    await tamper(factory, async (db) => {
      const { revision: _, ...legacy } = (await db.get('projects', 'p1')) as { revision?: number };
      await db.put('projects', legacy as never);
      await db.delete('meta', META_KEYS.lastRevision);
    });
    const otherTab = await open(factory);
    const loaded = await otherTab.loadProject('p1');
    expect(loaded).toEqual(project);
    expect(otherTab.revisionOf(loaded)).toBe(0);
    const edited = edit(loaded, 'Edited after the update');
    await otherTab.saveChanges(edited, loaded);
    expect(otherTab.revisionOf(edited)).toBe(1);
    const raw = await openPreflightDb(DB, { factory });
    expect((await raw.get('projects', 'p1'))?.revision).toBe(1);
    raw.close();
  });

  it('a malformed stored revision is corrupt, naming the path but not the value', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await tamper(factory, async (db) => {
      const record = await db.get('projects', 'p1');
      await db.put('projects', { ...(record as object), revision: SECRET } as never);
    });
    const error = await rejection(storage.loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({ documentKind: 'project', path: '/revision' });
    expect(error.message).not.toContain(SECRET);
  });

  it('upgrades a version 1 database in place, closing an older tab that still holds it', async () => {
    expect(DB_VERSION).toBe(4);
    const factory = freshFactory();
    // a database as version 1 of Preflight created it, still open in an older tab
    const v1 = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        const projects = db.createObjectStore('projects', { keyPath: 'id' });
        const documents = db.createObjectStore('documents', { keyPath: ['projectId', 'kind', 'id'] });
        documents.createIndex('byProject', 'projectId');
        const meta = db.createObjectStore('meta');
        meta.put('preflight.storage/v1', META_KEYS.storageFormat);
        const { workflows, meta: projectMeta } = fixtureProject('p1');
        projects.put({ ...projectMeta, documentOrder: { workflow: workflows.map((w) => w.id) } });
        for (const workflow of workflows)
          documents.put({ projectId: 'p1', kind: 'workflow', id: workflow.id, body: workflow });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    let oldTabClosed = false;
    v1.onversionchange = () => {
      oldTabClosed = true;
      v1.close();
    };

    const storage = await open(factory);
    expect(oldTabClosed).toBe(true);
    const loaded = await storage.loadProject('p1');
    expect(loaded.workflows.map((w) => w.id)).toEqual(fixtureProject('p1').workflows.map((w) => w.id));
    expect(storage.revisionOf(loaded)).toBe(0);
    const edited = edit(loaded, 'Edited after upgrade');
    await storage.saveChanges(edited, loaded);
    expect(await storage.loadProject('p1')).toEqual(edited);
  });
});

describe('report ids (reports keyed by generatedAt would overwrite each other)', () => {
  const AT = '2025-01-01T00:00:00.000Z';
  /** A report as Preflight stored it before report ids: no `id`, keyed by its generatedAt. */
  const idless = (generatedAt: string): Report => ({
    ...fixtureReport('ignored', generatedAt),
    id: undefined,
  });

  /** A database as version 2 of Preflight left it, with id-less reports stored under generatedAt. */
  async function version2Database(factory: IDBFactory): Promise<void> {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB, 2);
      request.onupgradeneeded = () => {
        const raw = request.result;
        const projects = raw.createObjectStore('projects', { keyPath: 'id' });
        const documents = raw.createObjectStore('documents', { keyPath: ['projectId', 'kind', 'id'] });
        documents.createIndex('byProject', 'projectId');
        raw.createObjectStore('meta').put('preflight.storage/v1', META_KEYS.storageFormat);
        const { meta } = fixtureProject('p1');
        const reports = [idless(AT), idless('2025-01-02T00:00:00.000Z')];
        for (const report of reports)
          documents.put({ projectId: 'p1', kind: 'report', id: report.generatedAt, body: report });
        // a record of another kind is left alone
        documents.put({ projectId: 'p1', kind: 'workflow', id: 'w1', body: fixtureWorkflow('w1') });
        projects.put({
          ...meta,
          id: 'p1',
          documentOrder: { report: reports.map((r) => r.generatedAt), workflow: ['w1'] },
          revision: 4,
        });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
  }

  it('the version 3 upgrade gives each stored report the id it is stored under', async () => {
    const factory = freshFactory();
    await version2Database(factory);
    const storage = await open(factory);
    const loaded = await storage.loadProject('p1');
    expect(loaded.reports.map((r) => r.id)).toEqual([AT, '2025-01-02T00:00:00.000Z']);
    expect(loaded.reports.map((r) => r.generatedAt)).toEqual([AT, '2025-01-02T00:00:00.000Z']);
    expect(loaded.workflows).toEqual([fixtureWorkflow('w1')]);
    // the bodies themselves were rewritten, not patched on each read
    await tamper(factory, async (db) => {
      const record = await db.get('documents', ['p1', 'report', AT]);
      expect((record?.body as Report | undefined)?.id).toBe(AT);
    });
  });

  it('after the upgrade a report finishing in the same millisecond is added beside the old one', async () => {
    const factory = freshFactory();
    await version2Database(factory);
    const storage = await open(factory);
    const loaded = await storage.loadProject('p1');
    const next = applyChange(loaded, addReport(idless(AT), 'run-2'), LATER);
    await storage.saveChanges(next, loaded);
    const reloaded = await storage.loadProject('p1');
    expect(reloaded.reports.map((r) => [r.id, r.generatedAt])).toEqual([
      [AT, AT],
      ['2025-01-02T00:00:00.000Z', '2025-01-02T00:00:00.000Z'],
      ['run-2', AT],
    ]);
  });

  it('refuses to write a report without an id, and reads one (damage) as corrupt', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    const project = fixtureProject('p1');
    const withoutId = { ...project, reports: [idless(AT) as ProjectReport] };
    const refused = await rejection(storage.saveProject(withoutId));
    expect(refused.kind).toBe('invalid');
    await storage.saveProject(project);
    await tamper(factory, async (db) => {
      const record = await db.get('documents', ['p1', 'report', 'r1']);
      await db.put('documents', {
        ...(record as DocumentRecord),
        body: { ...(record?.body as object), id: undefined },
      });
    });
    const error = await rejection(storage.loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({ documentKind: 'report', documentId: 'r1', path: '/id' });
  });
});

describe('listProjects, deleteProject, lastProjectId', () => {
  it('lists most recently updated first', async () => {
    const storage = await open(freshFactory());
    const at = (id: string, updatedAt: string): Project => {
      const p = fixtureProject(id, `Project ${id}`);
      return { ...p, meta: { ...p.meta, updatedAt } };
    };
    await storage.saveProject(at('a', '2025-01-01T00:00:00.000Z'));
    await storage.saveProject(at('b', '2025-03-01T00:00:00.000Z'));
    await storage.saveProject(at('c', '2025-02-01T00:00:00.000Z'));
    const list = await storage.listProjects();
    expect(list.map((m) => m.id)).toEqual(['b', 'c', 'a']);
    expect(list[0]).toEqual({
      id: 'b',
      name: 'Project b',
      createdAt: FIXTURE_NOW,
      updatedAt: '2025-03-01T00:00:00.000Z',
      settings: fixtureProject().meta.settings,
    });
  });

  it('deletes a project with its documents and forgets it as the last project', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await storage.saveProject(fixtureProject('p2'));
    await storage.setLastProjectId('p1');
    await storage.deleteProject('p1');
    expect((await storage.listProjects()).map((m) => m.id)).toEqual(['p2']);
    expect(await storage.getLastProjectId()).toBeUndefined();
    expect((await rejection(storage.loadProject('p1'))).kind).toBe('not-found');
    await tamper(factory, async (db) => {
      expect(await db.getAllFromIndex('documents', 'byProject', 'p1')).toEqual([]);
      expect((await db.getAllFromIndex('documents', 'byProject', 'p2')).length).toBeGreaterThan(0);
    });
  });

  it('keeps the last project id when another project is deleted; reads a malformed one as absent', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await storage.saveProject(fixtureProject('p2'));
    await storage.setLastProjectId('p2');
    await storage.deleteProject('p1');
    expect(await storage.getLastProjectId()).toBe('p2');
    await tamper(factory, async (db) => {
      await db.put('meta', 42, META_KEYS.lastProjectId);
    });
    expect(await storage.getLastProjectId()).toBeUndefined();
  });
});

describe('validation on load', () => {
  it('a damaged document makes loadProject throw corrupt, naming document and path but no value', async () => {
    const factory = freshFactory();
    const notices: StorageNotice[] = [];
    const storage = await open(factory, { onNotice: (n) => notices.push(n) });
    await storage.saveProject(fixtureProject('p1'));
    await tamper(factory, async (db) => {
      const record = (await db.get('documents', ['p1', 'workflow', 'w2'])) as DocumentRecord;
      const body = structuredClone(record.body) as { steps: Record<string, unknown>[] };
      (body.steps[1] as Record<string, unknown>).touchMin = SECRET;
      await db.put('documents', { ...record, body });
    });

    const error = await rejection(storage.loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({
      projectId: 'p1',
      documentKind: 'workflow',
      documentId: 'w2',
      path: '/steps/1/touchMin',
    });
    expect(error.message).toContain('workflow "w2" at /steps/1/touchMin');
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error.problems)).not.toContain(SECRET);
    expect(notices).toEqual([{ type: 'corrupt', projectId: 'p1', error }]);
  });

  it.each<{ description: string; damage: (record: DocumentRecord) => unknown; path: string }>([
    {
      description: 'a wrong format tag',
      damage: (r) => ({ ...r, body: { ...(r.body as object), format: SECRET } }),
      path: '/format',
    },
    { description: 'a body that is not an object', damage: (r) => ({ ...r, body: SECRET }), path: '' },
    {
      description: 'a body whose id is not its key',
      damage: (r) => ({ ...r, body: { ...(r.body as object), id: 'other' } }),
      path: '/id',
    },
    { description: 'an unknown kind', damage: (r) => ({ ...r, kind: 'spreadsheet' }), path: '/kind' },
  ])('reports $description as corrupt', async ({ damage, path }) => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await tamper(factory, async (db) => {
      const record = (await db.get('documents', ['p1', 'workflow', 'w1'])) as DocumentRecord;
      await db.delete('documents', ['p1', 'workflow', 'w1']);
      await db.put('documents', damage(record) as DocumentRecord);
    });
    const error = await rejection(storage.loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.problems.map((p) => p.path)).toContain(path);
    expect(error.message).not.toContain(SECRET);
  });

  it('keeps the last go-live check of a workflow through a reload, and reads a damaged one as corrupt', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    // a project from before checks were kept loads as it was saved: without the collection
    const { workflowChecks: _none, ...older } = fixtureProject('p0');
    await storage.saveProject(older);
    expect(await storage.loadProject('p0')).not.toHaveProperty('workflowChecks');
    const project = fixtureProject('p1');
    await storage.saveProject(project);
    const reopened = await open(factory);
    const loaded = await reopened.loadProject('p1');
    expect(loaded.workflowChecks).toEqual(project.workflowChecks);
    // a newer check replaces the older: one per workflow
    const newer = { ...fixtureWorkflowCheck('w2'), checkedAt: '2025-04-01T08:00:00.000Z' };
    await reopened.saveChanges(
      applyChange(loaded, { type: 'workflowCheck/put', workflowCheck: newer }, LATER),
      loaded,
    );
    expect((await (await open(factory)).loadProject('p1')).workflowChecks).toEqual([newer]);
    await tamper(factory, async (db) => {
      const record = (await db.get('documents', ['p1', 'workflowCheck', 'w2'])) as DocumentRecord;
      const body = structuredClone(record.body) as { result: { skipped: Record<string, unknown> } };
      body.result.skipped.kiosk = SECRET;
      await db.put('documents', { ...record, body });
    });
    const error = await rejection((await open(factory)).loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({
      documentKind: 'workflowCheck',
      documentId: 'w2',
      path: '/result/skipped/kiosk',
    });
    expect(error.message).not.toContain(SECRET);
  });

  it('keeps the last back-test of a workflow through a reload, and reads a damaged one as corrupt', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    // a project from before back-tests were kept loads as it was saved: without the collection
    const { workflowBackTests: _none, ...older } = fixtureProject('p0');
    await storage.saveProject(older);
    expect(await storage.loadProject('p0')).not.toHaveProperty('workflowBackTests');
    const project = fixtureProject('p1');
    await storage.saveProject(project);
    const loaded = await (await open(factory)).loadProject('p1');
    expect(loaded.workflowBackTests).toEqual(project.workflowBackTests);
    // a newer back-test replaces the older: one per workflow
    const newer = { ...fixtureWorkflowBackTest('w1'), testedAt: '2025-05-01T08:00:00.000Z' };
    await (await open(factory)).saveChanges(
      applyChange(loaded, { type: 'workflowBackTest/put', workflowBackTest: newer }, LATER),
      loaded,
    );
    expect((await (await open(factory)).loadProject('p1')).workflowBackTests).toEqual([newer]);
    await tamper(factory, async (db) => {
      const record = (await db.get('documents', ['p1', 'workflowBackTest', 'w1'])) as DocumentRecord;
      const body = structuredClone(record.body) as { result: { cases: unknown } };
      body.result.cases = SECRET;
      await db.put('documents', { ...record, body });
    });
    const error = await rejection((await open(factory)).loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({
      documentKind: 'workflowBackTest',
      documentId: 'w1',
      path: '/result/cases',
    });
    expect(error.message).not.toContain(SECRET);
  });

  it('keeps the last measured process map through a reload, and reads a damaged one as corrupt', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    // a project from before maps were kept loads as it was saved: without the collection
    const { logMaps: _none, ...older } = fixtureProject('p0');
    await storage.saveProject(older);
    expect(await storage.loadProject('p0')).not.toHaveProperty('logMaps');
    const project = fixtureProject('p1');
    await storage.saveProject(project);
    const loaded = await (await open(factory)).loadProject('p1');
    expect(loaded.logMaps).toEqual(project.logMaps);
    // a newer measurement replaces the kept one
    const newer = { ...fixtureLogMap(), measuredAt: '2025-04-01T08:00:00.000Z' };
    const reopened = await open(factory);
    await reopened.saveChanges(applyChange(loaded, { type: 'logMap/put', logMap: newer }, LATER), loaded);
    expect((await (await open(factory)).loadProject('p1')).logMaps).toEqual([newer]);
    await tamper(factory, async (db) => {
      const record = (await db.get('documents', ['p1', 'logMap', 'last'])) as DocumentRecord;
      const body = structuredClone(record.body) as { map: { cases: unknown } };
      body.map.cases = SECRET;
      await db.put('documents', { ...record, body });
    });
    const error = await rejection((await open(factory)).loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({ documentKind: 'logMap', documentId: 'last', path: '/map/cases' });
    expect(error.message).not.toContain(SECRET);
  });

  it('a document the project lists but storage lost is corrupt', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    const reportId = 'r1';
    await tamper(factory, async (db) => {
      await db.delete('documents', ['p1', 'report', reportId]);
    });
    const error = await rejection(storage.loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({ documentKind: 'report', documentId: reportId });
  });

  it('a damaged project record is still listed (so it can be deleted) and refuses to load', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await tamper(factory, async (db) => {
      const record = await db.get('projects', 'p1');
      await db.put('projects', { ...(record as object), settings: SECRET } as never);
    });
    expect((await storage.listProjects()).map((m) => [m.id, m.name])).toEqual([['p1', DAMAGED_PROJECT_NAME]]);
    const error = await rejection(storage.loadProject('p1'));
    expect(error.kind).toBe('corrupt');
    expect(error.location).toMatchObject({ documentKind: 'project', path: '/settings' });
    await storage.deleteProject('p1');
    expect(await storage.listProjects()).toEqual([]);
  });

  it('refuses a database written in an unknown storage format', async () => {
    const factory = freshFactory();
    await tamper(factory, async (db) => {
      await db.put('meta', 'preflight.storage/v99', META_KEYS.storageFormat);
    });
    const error = await rejection(openStorage(DB, { factory }));
    expect(error.kind).toBe('unavailable');
  });
});

describe('wipe and connection lifecycle', () => {
  it('wipe deletes everything; the storage is unusable afterwards', async () => {
    const factory = freshFactory();
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await storage.setLastProjectId('p1');
    await storage.wipe();
    expect((await rejection(storage.listProjects())).kind).toBe('unavailable');
    expect((await factory.databases()).map((d) => d.name)).not.toContain(DB);

    const fresh = await open(factory);
    expect(await fresh.listProjects()).toEqual([]);
    expect(await fresh.getLastProjectId()).toBeUndefined();
  });

  it('another Preflight tab steps aside on wipe: it is told, and its calls fail as unavailable', async () => {
    const factory = freshFactory();
    const otherNotices: StorageNotice[] = [];
    const other = await open(factory, { onNotice: (n) => otherNotices.push(n) });
    const storage = await open(factory);
    await storage.saveProject(fixtureProject('p1'));
    await storage.wipe();
    expect(otherNotices.map((n) => [n.type, n.error.kind])).toEqual([['closed', 'unavailable']]);
    const error = await rejection(other.saveProject(fixtureProject('p2')));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/another tab/);
  });

  it('wipe resolves even when another connection blocks it, reporting blocked', async () => {
    const factory = freshFactory();
    const notices: StorageNotice[] = [];
    const storage = await open(factory, { onNotice: (n) => notices.push(n), blockedGraceMs: 20 });
    await storage.saveProject(fixtureProject('p1'));
    // a connection that ignores versionchange (an old tab of an older app version)
    const stubborn = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await storage.wipe();
    expect(notices.map((n) => [n.type, n.error.kind])).toEqual([['blocked', 'blocked']]);
    expect(notices[0]?.error.message).toMatch(/Close the other Preflight tabs/);
    stubborn.close();
    // the queued delete completes once the blocker closes
    await vi.waitFor(async () => expect((await factory.databases()).map((d) => d.name)).not.toContain(DB));
  });
});
