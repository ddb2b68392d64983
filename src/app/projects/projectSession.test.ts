/**
 * The project session engine without a browser: real storage over fake-indexeddb, a fake demo.
 * These are the races and failure paths the end-to-end journeys cannot force: React StrictMode's
 * double mount, a damaged project at start, a full disk while deleting or exporting.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import { fixtureWorkflow } from '../../formats/testing/fixtures.ts';
import { openPreflightDb } from '../../storage/db.ts';
import { StorageError } from '../../storage/errors.ts';
import { openStorage, type ProjectStorage } from '../../storage/storage.ts';
import {
  createProjectSession,
  FALLBACK_PROJECT_NAME,
  type ProjectSession,
  projectFileName,
  rescueSummary,
  type SessionState,
} from './projectSession.ts';

const DB = 'preflight-session-test';
const NOW = '2026-01-05T09:00:00.000Z';
/** long enough for the throttled autosave (≤ 1 s) on a busy machine */
const SETTLE_MS = 3_000;

const sessions: ProjectSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
});

let demoCount = 0;
async function demo(now: string): Promise<Project> {
  demoCount += 1;
  const project = createProject({ name: 'Demo clinic', now });
  return { ...project, workflows: [fixtureWorkflow('intake-current', 'Patient intake')] };
}

interface Harness {
  session: ProjectSession;
  states: SessionState[];
  until(predicate: (s: SessionState) => boolean): Promise<SessionState>;
}

function start(factory: IDBFactory, wrap: (s: ProjectStorage) => ProjectStorage = (s) => s): Harness {
  const states: SessionState[] = [];
  const waiters: { predicate: (s: SessionState) => boolean; resolve: (s: SessionState) => void }[] = [];
  const session = createProjectSession({
    openStorage: async () => wrap(await openStorage(DB, { factory })),
    createDemo: demo,
    now: () => NOW,
    onState: (state) => {
      states.push(state);
      for (const w of [...waiters]) {
        if (w.predicate(state)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(state);
        }
      }
    },
  });
  sessions.push(session);
  const until = (predicate: (s: SessionState) => boolean) => {
    const current = session.getState();
    if (predicate(current)) return Promise.resolve(current);
    return new Promise<SessionState>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('state never matched')), SETTLE_MS);
      waiters.push({
        predicate,
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
      });
    });
  };
  return { session, states, until };
}

const ready = (s: SessionState) => s.phase === 'ready' && s.project !== null;
const names = (s: SessionState) => s.projects.map((p) => p.name).sort();

describe('project session', () => {
  it('creates the demo once, even when React StrictMode destroys the first session at once', async () => {
    const factory = new IDBFactory();
    demoCount = 0;
    const first = start(factory);
    first.session.destroy();
    const second = start(factory);
    const state = await second.until(ready);
    expect(names(state)).toEqual(['Demo clinic']);
    expect(demoCount).toBe(1);
  });

  it('autosaves a change that a new session (a reload) finds again', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    await a.until(ready);
    a.session.dispatch({ type: 'project/rename', name: 'Northside FP' });
    await a.until((s) => s.save.state === 'saved' && s.projects.some((p) => p.name === 'Northside FP'));
    a.session.destroy();
    const b = start(factory);
    const state = await b.until(ready);
    expect(state.project?.meta.name).toBe('Northside FP');
  });

  it('keeps an edit made right before a reload: secure() rescues it before any write ran', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    await a.until(ready);
    a.session.dispatch({ type: 'project/rename', name: 'Renamed, then reloaded' });
    expect(a.session.getState().save.state).toBe('pending');
    expect(a.session.secure()).toBe(true);
    // the page is gone: nothing else of this session runs (no destroy, no flush)
    const b = start(factory);
    const state = await b.until(ready);
    expect(state.project?.meta.name).toBe('Renamed, then reloaded');
    expect(state.notice).toBeNull();
    expect(state.error).toBeNull();
  });

  it('tells the user when changes from a closed tab were kept as a copy', () => {
    expect(
      rescueSummary([
        {
          projectId: 'p',
          projectName: 'Intake',
          decision: 'copy',
          copyId: 'c',
          copyName: 'Intake (unsaved changes)',
        },
      ]),
    ).toEqual({
      kind: 'notice',
      text:
        'Changes to “Intake” made just before a Preflight tab closed could not be merged, because the project was ' +
        'changed since in another tab. They are kept as a separate project, “Intake (unsaved changes)”.',
    });
    expect(rescueSummary([{ projectId: 'p', projectName: 'Intake', decision: 'apply' }])).toBeNull();
    expect(
      rescueSummary([{ projectId: 'p', projectName: 'X', decision: 'apply', error: 'Disk full.' }])?.kind,
    ).toBe('error');
  });

  it('opens the other projects when the last one opened is damaged, and says which', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    await a.until(ready);
    await a.session.create('Second');
    const damagedId = (await a.until((s) => s.project?.meta.name === 'Second')).project?.meta.id ?? '';
    a.session.destroy();
    const db = await openPreflightDb(DB, { factory });
    await db.put('documents', {
      projectId: damagedId,
      kind: 'workflow',
      id: 'broken',
      body: { format: 'preflight.workflow/v1', id: 'broken', lanes: 'not a list' },
    } as never);
    db.close();

    const b = start(factory);
    const state = await b.until((s) => s.phase === 'ready');
    expect(state.error).toMatch(/workflow|damaged|invalid/i);
    expect(names(state)).toContain('Demo clinic');
    const demoId = state.projects.find((p) => p.name === 'Demo clinic')?.id ?? '';
    await b.session.open(demoId);
    expect((await b.until(ready)).project?.meta.name).toBe('Demo clinic');
  });

  it('refuses a damaged import and changes nothing; imports a clash as a copy', async () => {
    const factory = new IDBFactory();
    const h = start(factory);
    await h.until(ready);
    const exported = await h.session.exportCurrent();
    expect(exported?.fileName).toBe('Demo-clinic.preflight.json');
    const before = names(h.session.getState());

    expect(await h.session.importFile('half.json', (exported?.text ?? '').slice(0, 200))).toBe(false);
    expect(h.session.getState().error).toMatch(
      /“half\.json” was not imported: .*Nothing stored was changed\./,
    );
    expect(names(h.session.getState())).toEqual(before);

    expect(await h.session.importFile('copy.json', exported?.text ?? '')).toBe(true);
    const after = await h.until((s) => s.projects.length === 2);
    expect(names(after)).toEqual(['Demo clinic', `Demo clinic (imported ${NOW.slice(0, 10)})`]);
  });

  it('deletes and exports even while storage is full', async () => {
    const factory = new IDBFactory();
    let full = false;
    const quota = () => Promise.reject(new StorageError('quota'));
    const h = start(factory, (storage) => ({
      ...storage,
      saveChanges: (p, prev) => (full ? quota() : storage.saveChanges(p, prev)),
      saveProject: (p, o) => (full && p.meta.name.startsWith('Full') ? quota() : storage.saveProject(p, o)),
    }));
    await h.until(ready);
    await h.session.create('Full disk project');
    await h.until((s) => s.project?.meta.name === 'Full disk project' && s.save.state === 'saved');
    full = true;
    h.session.dispatch({ type: 'project/rename', name: 'Full disk project, renamed' });
    await h.until((s) => s.save.state === 'error');
    expect(h.session.getState().save.error?.kind).toBe('quota');

    const exported = await h.session.exportCurrent();
    expect(JSON.parse(exported?.text ?? '{}').project.meta.name).toBe('Full disk project, renamed');

    const id = h.session.getState().project?.meta.id ?? '';
    await h.session.remove(id);
    const state = await h.until((s) => s.projects.length === 1 && s.project?.meta.name === 'Demo clinic');
    expect(state.notice).toMatch(/deleted/);
  });

  it('deleting the last project leaves an empty one to work in', async () => {
    const h = start(new IDBFactory());
    const state = await h.until(ready);
    await h.session.remove(state.project?.meta.id ?? '');
    const after = await h.until((s) => s.project?.meta.name === FALLBACK_PROJECT_NAME);
    expect(names(after)).toEqual([FALLBACK_PROJECT_NAME]);
  });

  it('wipe erases the database: the next start is a first visit again', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    await a.until(ready);
    await a.session.create('Kept until wiped');
    await a.until((s) => s.projects.length === 2);
    await a.session.wipe();
    expect(a.session.getState().phase).toBe('wiped');
    expect(await factory.databases()).toEqual([]);
    const b = start(factory);
    expect(names(await b.until(ready))).toEqual(['Demo clinic']);
  });
});

describe('projectFileName', () => {
  it.each([
    ['Demo clinic', 'Demo-clinic.preflight.json'],
    ['Northside FP — go-live 2027', 'Northside-FP-go-live-2027.preflight.json'],
    ['../../etc/passwd', 'etc-passwd.preflight.json'],
    ['???', 'project.preflight.json'],
  ])('%s → %s', (name, expected) => {
    expect(projectFileName(name)).toBe(expected);
  });
});
