/**
 * The audit store (database version 4): append-only, written in the same strict transaction as
 * the decisions it records, and never touched by the autosave paths that rewrite documents.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyChange } from '../core/project/changes.ts';
import { verifyAuditChain } from '../core/signoff/signing/index.ts';
import type { Project } from '../formats/project.ts';
import {
  fixtureDecision,
  fixtureProject,
  fixtureReview,
  fixtureWorkflow,
} from '../formats/testing/fixtures.ts';
import { createAutosave } from './autosave.ts';
import { openPreflightDb } from './db.ts';
import { StorageError } from './errors.ts';
import { openStorage, type ProjectStorage } from './storage.ts';

const DB = 'preflight-audit-test';
const AT = '2025-03-02T09:00:00.000Z';
const opened: ProjectStorage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

async function open(factory: IDBFactory): Promise<ProjectStorage> {
  const storage = await openStorage(DB, { factory });
  opened.push(storage);
  return storage;
}

/** Every raw record of the audit store, as the disk holds it. */
async function rawAudit(factory: IDBFactory): Promise<unknown[]> {
  const db = await openPreflightDb(DB, { factory });
  try {
    return await db.getAll('audit');
  } finally {
    db.close();
  }
}

function decide(project: Project, id: string, key: string, outcome: 'accept' | 'reject' = 'accept'): Project {
  return applyChange(
    project,
    { type: 'review/decide', reviewId: 'rv1', decision: fixtureDecision(id, key, outcome) },
    AT,
  );
}

/** A stored project with review rv1 (no decisions) and the storage holding it. */
async function storedWithReview(factory: IDBFactory) {
  const storage = await open(factory);
  await storage.saveProject(
    applyChange(fixtureProject('p1'), { type: 'review/put', review: fixtureReview('rv1') }, AT),
  );
  return { storage, project: await storage.loadProject('p1') };
}

describe('audit store', () => {
  it('upgrades a version 3 database: projects kept, the audit store added empty', async () => {
    const factory = new IDBFactory();
    const v3 = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB, 3);
      request.onupgradeneeded = () => {
        const db = request.result;
        const projects = db.createObjectStore('projects', { keyPath: 'id' });
        const documents = db.createObjectStore('documents', { keyPath: ['projectId', 'kind', 'id'] });
        documents.createIndex('byProject', 'projectId');
        db.createObjectStore('meta').put('preflight.storage/v1', 'storageFormat');
        const { meta } = fixtureProject('p1');
        projects.put({ ...meta, documentOrder: { workflow: ['w1'] } });
        documents.put({ projectId: 'p1', kind: 'workflow', id: 'w1', body: fixtureWorkflow('w1') });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    v3.close();
    const storage = await open(factory);
    const loaded = await storage.loadProject('p1');
    expect(loaded.workflows.map((w) => w.id)).toEqual(['w1']);
    expect(loaded.reviews).toBeUndefined();
    expect(await storage.readAuditLog('p1')).toEqual([]);
  });

  it('each decision written by a diff write gets its chained entry in the same write', async () => {
    const factory = new IDBFactory();
    const { storage, project } = await storedWithReview(factory);
    const one = decide(project, 'd1', 'MRN-1');
    await storage.saveChanges(one, project);
    const two = decide(decide(one, 'd2', 'MRN-2', 'reject'), 'd3', 'MRN-3');
    await storage.saveChanges(two, one);
    const log = await storage.readAuditLog('p1');
    expect(
      log.map((e) => [
        e.seq,
        'decisionId' in e ? e.decisionId : 'signatureId' in e ? e.signatureId : e.subjectId,
        'outcome' in e ? e.outcome : e.event,
      ]),
    ).toEqual([
      [1, 'd1', 'accept'],
      [2, 'd2', 'reject'],
      [3, 'd3', 'accept'],
    ]);
    const reloaded = await storage.loadProject('p1');
    expect(verifyAuditChain(log, reloaded.reviews)).toMatchObject({ ok: true, entries: 3 });
  });

  it('a full-snapshot write (deletes and rewrites documents) leaves every audit record as it was', async () => {
    const factory = new IDBFactory();
    const { storage, project } = await storedWithReview(factory);
    const decided = decide(decide(project, 'd1', 'MRN-1'), 'd2', 'MRN-2', 'reject');
    await storage.saveChanges(decided, project);
    const before = await rawAudit(factory);
    expect(before).toHaveLength(2);
    await storage.saveProject(applyChange(decided, { type: 'workflow/remove', id: 'w1' }, AT));
    expect(await rawAudit(factory)).toEqual(before);
    // a snapshot carrying a decision not logged yet appends exactly its entry
    await storage.saveProject(decide(decided, 'd3', 'MRN-3'));
    const after = await rawAudit(factory);
    expect(after.slice(0, 2)).toEqual(before);
    expect(after).toHaveLength(3);
  });

  it("autosave's full-snapshot retry after a failed write leaves the audit store alone", async () => {
    const factory = new IDBFactory();
    const { storage, project } = await storedWithReview(factory);
    const decided = decide(project, 'd1', 'MRN-1');
    await storage.saveChanges(decided, project);
    const before = await rawAudit(factory);
    let failOnce = true;
    const flaky: typeof storage = {
      ...storage,
      saveChanges: (next, previous) => {
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new StorageError('unknown'));
        }
        return storage.saveChanges(next, previous);
      },
    };
    const snapshots: string[] = [];
    const autosave = createAutosave(
      {
        ...flaky,
        saveProject: (p, o) => {
          snapshots.push(p.meta.id);
          return storage.saveProject(p, o);
        },
      },
      { delayMs: 1 },
    );
    autosave.reset(await storage.loadProject('p1'));
    autosave.update(applyChange(decided, { type: 'project/rename', name: 'Renamed' }, AT));
    await autosave.flush();
    autosave.destroy();
    expect(snapshots).toEqual(['p1']);
    expect(await rawAudit(factory)).toEqual(before);
  });

  it('a write that fails stores neither the decision nor its entry, and "saved" waits for a write that lands', async () => {
    const factory = new IDBFactory();
    const { storage, project } = await storedWithReview(factory);
    // the disk is full when the entry is added: the whole write aborts, decision included
    const add = IDBObjectStore.prototype.add;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['add']>
    ) {
      if (this.name === 'audit') throw new DOMException('full', 'QuotaExceededError');
      return add.apply(this, args);
    });
    const decided = decide(project, 'd1', 'MRN-1');
    const failed = await storage.saveChanges(decided, project).catch((error: unknown) => error);
    spy.mockRestore();
    expect(failed).toMatchObject({ kind: 'quota' });
    expect((await storage.loadProject('p1')).reviews?.[0]?.decisions).toEqual([]);
    expect(await storage.readAuditLog('p1')).toEqual([]);
    // autosave's promise for the decision stays pending while writes fail
    let failing = true;
    const refuse = () => Promise.reject(new StorageError('quota'));
    const autosave = createAutosave(
      {
        ...storage,
        saveChanges: (p, prev) => (failing ? refuse() : storage.saveChanges(p, prev)),
        saveProject: (p, o) => (failing ? refuse() : storage.saveProject(p, o)),
      },
      { delayMs: 1 },
    );
    autosave.reset(project);
    autosave.update(decided);
    let saved = false;
    const whenSaved = autosave.whenSaved('p1').then(() => {
      saved = true;
    });
    await autosave.flush().catch(() => undefined);
    expect(saved).toBe(false);
    failing = false;
    await autosave.flush();
    await whenSaved;
    expect(saved).toBe(true);
    expect(
      (await storage.readAuditLog('p1')).map((e) =>
        'decisionId' in e ? e.decisionId : 'signatureId' in e ? e.signatureId : e.subjectId,
      ),
    ).toEqual(['d1']);
    autosave.destroy();
  });
  it('deleting a project keeps its audit chain (append-only; it holds no record content)', async () => {
    const factory = new IDBFactory();
    const { storage, project } = await storedWithReview(factory);
    await storage.saveChanges(decide(project, 'd1', 'MRN-1'), project);
    await storage.deleteProject('p1');
    expect(await storage.readAuditLog('p1')).toHaveLength(1);
    expect(JSON.stringify(await rawAudit(factory))).not.toContain('MRN-1');
  });
});

describe('auditSummary', () => {
  it('gives each chain its length and last hash, and an empty chain for an unknown project', async () => {
    const factory = new IDBFactory();
    const { storage, project } = await storedWithReview(factory);
    const one = decide(project, 'd1', 'MRN-1');
    await storage.saveChanges(one, project);
    const two = decide(one, 'd2', 'MRN-2', 'reject');
    await storage.saveChanges(two, one);
    const chain = await storage.readAuditLog('p1');
    expect(chain).toHaveLength(2);
    expect(await storage.auditSummary(['p1', 'none'])).toEqual({
      p1: { auditLength: 2, auditHead: chain[1]?.hash },
      none: { auditLength: 0, auditHead: null },
    });
  });
});
