/**
 * Rescue records: what a tab going away writes, and what the next start does with it. The page
 * dying is simulated by opening a second storage (a reload) without closing the first, after the
 * rescue call returned: everything must already have been issued by then.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../core/hash/index.ts';
import { applyChange } from '../core/project/changes.ts';
import type { Project } from '../formats/project.ts';
import { fixtureProject } from '../formats/testing/fixtures.ts';
import { createAutosave } from './autosave.ts';
import { openPreflightDb } from './db.ts';
import {
  decideRescue,
  RESCUE_FORMAT,
  type RescueRecord,
  readRescueRecord,
  rescueKey,
  type StoredState,
} from './rescue.ts';
import { openStorage, type ProjectStorage } from './storage.ts';

const DB = 'preflight-rescue-test';
const LATER = '2026-03-01T10:32:00.000Z';

const opened: ProjectStorage[] = [];
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

async function open(factory: IDBFactory): Promise<ProjectStorage> {
  const storage = await openStorage(DB, { factory, now: () => LATER });
  opened.push(storage);
  return storage;
}

const rename = (project: Project, name: string) =>
  applyChange(project, { type: 'project/rename', name }, LATER);

async function rescueKeys(factory: IDBFactory): Promise<string[]> {
  const db = await openPreflightDb(DB, { factory });
  try {
    const keys = await db.getAllKeys('meta');
    return keys.filter((k) => String(k).startsWith('rescue:')).map(String);
  } finally {
    db.close();
  }
}

describe('decideRescue', () => {
  const base = fixtureProject();
  const edited = rename(base, 'Edited');
  const record = (extra: Partial<RescueRecord> = {}): RescueRecord => ({
    format: RESCUE_FORMAT,
    rescuedAt: LATER,
    project: edited,
    baseRevision: 4,
    stored: true,
    ...extra,
  });
  const cases: { description: string; record: RescueRecord; stored: StoredState; expected: string }[] = [
    {
      description: 'stored project still at the base revision: apply',
      record: record(),
      stored: { found: true, revision: 4, project: base },
      expected: 'apply',
    },
    {
      description: 'stored project already holds the rescued snapshot: discard',
      record: record(),
      stored: { found: true, revision: 9, project: edited },
      expected: 'discard',
    },
    {
      description: 'another tab wrote since: keep a copy',
      record: record(),
      stored: { found: true, revision: 9, project: rename(base, 'Other tab') },
      expected: 'copy',
    },
    {
      description: 'the write in flight landed: apply on top of it',
      record: record({ inFlightHash: canonicalSha256Hex(rename(base, 'In flight')) }),
      stored: { found: true, revision: 5, project: rename(base, 'In flight') },
      expected: 'apply',
    },
    {
      description: 'deleted since (it was stored before): discard',
      record: record(),
      stored: { found: false },
      expected: 'discard',
    },
    {
      description: 'never stored (a brand-new project): apply, creating it',
      record: record({ stored: false, baseRevision: undefined }),
      stored: { found: false },
      expected: 'apply',
    },
    {
      description: 'stored project unreadable: never written over, keep a copy',
      record: record(),
      stored: { found: true, corrupt: true },
      expected: 'copy',
    },
  ];
  for (const c of cases) {
    it(c.description, () => {
      expect(decideRescue(c.record, c.stored)).toBe(c.expected);
    });
  }

  it('reads back only well-formed records', () => {
    expect(readRescueRecord(record())).not.toBeNull();
    expect(readRescueRecord(null)).toBeNull();
    expect(readRescueRecord({ ...record(), format: 'preflight.rescue/v9' })).toBeNull();
    expect(readRescueRecord({ ...record(), project: { meta: {} } })).toBeNull();
    expect(readRescueRecord({ ...record(), baseRevision: 'x' })).toBeNull();
  });
});

describe('rescue and recovery through storage', () => {
  async function storedProject(factory: IDBFactory): Promise<{ tab: ProjectStorage; project: Project }> {
    const tab = await open(factory);
    await tab.saveProject(fixtureProject());
    const project = await tab.loadProject('project-1');
    return { tab, project };
  }

  it('an edit rescued as the page goes away is there after a reload, and the record is gone', async () => {
    const factory = new IDBFactory();
    const { tab, project } = await storedProject(factory);
    const edited = rename(project, 'Renamed just before reload');
    const ok = tab.rescue([
      { project: edited, baseRevision: tab.revisionOf(project), inFlight: null, stored: true },
    ]);
    expect(ok).toBe(true);

    const reloaded = await open(factory);
    const outcomes = await reloaded.recoverRescued();
    expect(outcomes).toEqual([
      { projectId: 'project-1', projectName: 'Renamed just before reload', decision: 'apply' },
    ]);
    expect((await reloaded.loadProject('project-1')).meta.name).toBe('Renamed just before reload');
    expect(await rescueKeys(factory)).toEqual([]);
    expect(await reloaded.recoverRescued()).toEqual([]);
  });

  it('the ordinary write that lands after a rescue deletes the record in its own transaction', async () => {
    const factory = new IDBFactory();
    const { tab, project } = await storedProject(factory);
    const edited = rename(project, 'Hidden, then saved');
    tab.rescue([{ project: edited, baseRevision: tab.revisionOf(project), inFlight: null, stored: true }]);
    expect(await rescueKeys(factory)).toHaveLength(1);
    await tab.saveChanges(edited, project);
    expect(await rescueKeys(factory)).toEqual([]);
    const reloaded = await open(factory);
    expect(await reloaded.recoverRescued()).toEqual([]);
  });

  it('a write still waiting on the page is given up for the rescue, which the next start applies', async () => {
    // an ordinary write holds `meta` (the revision counter) and reads before it writes: on a page
    // going away it never finishes, and a rescue queued behind it went down with it — the edit
    // lost. So the rescue aborts it and is issued on a free store.
    const factory = new IDBFactory();
    const { tab, project } = await storedProject(factory);
    const first = rename(project, 'First');
    const writing = tab.saveChanges(first, project);
    const second = rename(first, 'Second');
    tab.rescue([{ project: second, baseRevision: tab.revisionOf(project), inFlight: first, stored: true }]);
    await expect(writing).rejects.toThrow();
    expect(await rescueKeys(factory)).toHaveLength(1);
    const reloaded = await open(factory);
    const outcomes = await reloaded.recoverRescued();
    expect(outcomes.map((o) => o.decision)).toEqual(['apply']);
    expect((await reloaded.loadProject('project-1')).meta.name).toBe('Second');
  });

  it('a rescue written after a write had issued all its requests leaves that write to land', async () => {
    const factory = new IDBFactory();
    const { tab, project } = await storedProject(factory);
    const first = rename(project, 'First');
    await tab.saveChanges(first, project);
    const second = rename(first, 'Second');
    tab.rescue([{ project: second, baseRevision: tab.revisionOf(first), inFlight: null, stored: true }]);
    const reloaded = await open(factory);
    expect((await reloaded.recoverRescued()).map((o) => o.decision)).toEqual(['apply']);
    expect((await reloaded.loadProject('project-1')).meta.name).toBe('Second');
  });

  it("never overwrites another tab's later work: the rescued changes become a copy beside it", async () => {
    const factory = new IDBFactory();
    const { tab, project } = await storedProject(factory);
    const other = await open(factory);
    const inOther = await other.loadProject('project-1');
    tab.rescue([
      {
        project: rename(project, 'Closed tab'),
        baseRevision: tab.revisionOf(project),
        inFlight: null,
        stored: true,
      },
    ]);
    await other.saveChanges(rename(inOther, 'Other tab'), inOther);

    const reloaded = await open(factory);
    const [outcome] = await reloaded.recoverRescued();
    expect(outcome?.decision).toBe('copy');
    expect(outcome?.copyName).toBe('Closed tab (unsaved changes, 2026-03-01 10:32 UTC)');
    const names = (await reloaded.listProjects()).map((p) => p.name).sort();
    expect(names).toEqual(['Closed tab (unsaved changes, 2026-03-01 10:32 UTC)', 'Other tab']);
  });

  it('a project deleted since stays deleted; the user is told', async () => {
    const factory = new IDBFactory();
    const { tab, project } = await storedProject(factory);
    tab.rescue([
      {
        project: rename(project, 'Gone'),
        baseRevision: tab.revisionOf(project),
        inFlight: null,
        stored: true,
      },
    ]);
    await tab.deleteProject('project-1');
    const reloaded = await open(factory);
    const outcomes = await reloaded.recoverRescued();
    expect(outcomes).toEqual([
      { projectId: 'project-1', projectName: 'Gone', decision: 'discard', deleted: true },
    ]);
    expect(await reloaded.listProjects()).toEqual([]);
  });

  it('drops a malformed record instead of failing the start', async () => {
    const factory = new IDBFactory();
    await storedProject(factory);
    const db = await openPreflightDb(DB, { factory });
    await db.put('meta', { format: RESCUE_FORMAT, project: 'not a project' }, rescueKey('tab', 'project-1'));
    db.close();
    const reloaded = await open(factory);
    expect(await reloaded.recoverRescued()).toEqual([]);
    expect(await rescueKeys(factory)).toEqual([]);
  });

  it('reports a closed storage as unable to rescue', async () => {
    const factory = new IDBFactory();
    const { tab, project } = await storedProject(factory);
    tab.close();
    expect(tab.rescue([{ project, baseRevision: 1, inFlight: null, stored: true }])).toBe(false);
  });
});

describe('autosave.rescue', () => {
  it('secures a pending edit without waiting for the throttle, and says nothing is at risk', async () => {
    const factory = new IDBFactory();
    const tab = await open(factory);
    await tab.saveProject(fixtureProject());
    const project = await tab.loadProject('project-1');
    const autosave = createAutosave(tab, { delayMs: 1_000 });
    autosave.reset(project);
    expect(autosave.rescue()).toBe(true); // nothing pending
    autosave.update(rename(project, 'Pending'));
    expect(autosave.getStatus().state).toBe('pending');
    expect(autosave.rescue()).toBe(true);
    expect(await rescueKeys(factory)).toHaveLength(1);
    // the page died: no timer ever fired, this autosave never wrote
    autosave.reset();
    autosave.destroy();
    const reloaded = await open(factory);
    await reloaded.recoverRescued();
    expect((await reloaded.loadProject('project-1')).meta.name).toBe('Pending');
  });

  it('a write the rescue gave up is no failure: the tab that stays stores the edit, and the record goes', async () => {
    const factory = new IDBFactory();
    const tab = await open(factory);
    await tab.saveProject(fixtureProject());
    const project = await tab.loadProject('project-1');
    const states: string[] = [];
    const autosave = createAutosave(tab, {
      delayMs: 60_000,
      onStatus: (status) => states.push(status.state),
    });
    autosave.reset(project);
    autosave.update(rename(project, 'Being written'));
    // a write is in flight when the page is hidden
    const flushing = autosave.flush();
    expect(autosave.getStatus().state).toBe('saving');
    autosave.update(rename(project, 'Edited while writing'));
    expect(autosave.rescue()).toBe(true);
    await flushing;
    expect(states).not.toContain('error');
    expect(autosave.getStatus().state).toBe('saved');
    expect(await rescueKeys(factory)).toEqual([]);
    expect((await tab.loadProject('project-1')).meta.name).toBe('Edited while writing');
    autosave.destroy();
  });

  it('says changes are at risk when writes are stopped (project changed in another tab)', async () => {
    const factory = new IDBFactory();
    const tab = await open(factory);
    await tab.saveProject(fixtureProject());
    const project = await tab.loadProject('project-1');
    const other = await open(factory);
    const inOther = await other.loadProject('project-1');
    await other.saveChanges(rename(inOther, 'Other'), inOther);
    const autosave = createAutosave(tab, { delayMs: 0 });
    autosave.reset(project);
    autosave.update(rename(project, 'Mine'));
    await autosave.flush().catch(() => undefined);
    expect(autosave.getStatus().state).toBe('error');
    expect(autosave.rescue()).toBe(false);
    autosave.destroy();
  });
});
