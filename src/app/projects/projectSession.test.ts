/**
 * The project session engine without a browser: real storage over fake-indexeddb, a fake demo.
 * These are the races and failure paths the end-to-end journeys cannot force: React StrictMode's
 * double mount, a damaged project at start, a full disk while deleting or exporting.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import type { Project } from '../../formats/project.ts';
import { copyName, MAX_PROJECT_NAME_LENGTH } from '../../formats/projectName.ts';
import { fixtureWorkflow } from '../../formats/testing/fixtures.ts';
import { retryDelayMs } from '../../storage/autosave.ts';
import { OPEN_FAILED_MESSAGE, openPreflightDb } from '../../storage/db.ts';
import { StorageError, type StorageErrorKind } from '../../storage/errors.ts';
import { openStorage, type ProjectStorage } from '../../storage/storage.ts';
import {
  type AsyncMarkerStore,
  type MarkerStore,
  type StoreMarker,
  wipedMarker,
} from '../../storage/storeMarker.ts';
import {
  createProjectSession,
  FALLBACK_PROJECT_NAME,
  OPEN_QUOTA_MESSAGE,
  type ProjectSession,
  type ProjectSessionOptions,
  projectFileName,
  RETRIED_OPEN_MESSAGES,
  rescueSummary,
  type SessionState,
} from './projectSession.ts';

const DB = 'preflight-session-test';
const NOW = '2026-01-05T09:00:00.000Z';
/**
 * A hang guard for `until`, not a speed limit: the states it waits for come after real timers
 * (the throttled autosave) and IndexedDB work that a loaded machine delays by seconds. Below
 * vitest's test timeout, so a hang names what never came.
 */
const SETTLE_MS = 20_000;

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

function start(
  factory: IDBFactory,
  wrap: (s: ProjectStorage) => ProjectStorage = (s) => s,
  extra: Pick<ProjectSessionOptions, 'marker' | 'markerCopy' | 'wipeOutside'> = {},
): Harness {
  const states: SessionState[] = [];
  const waiters: { predicate: (s: SessionState) => boolean; resolve: (s: SessionState) => void }[] = [];
  const session = createProjectSession({
    openStorage: async () => wrap(await openStorage(DB, { factory })),
    createDemo: demo,
    now: () => NOW,
    ...extra,
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

  it('commit resolves once the change is durably stored, and rejects a refused change with its reason', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    await a.until(ready);
    await a.session.commit({ type: 'project/rename', name: 'Committed' });
    // resolved only after the write: a new connection (another tab) reads it back
    const storage = await openStorage(DB, { factory });
    const id = a.session.getState().project?.meta.id ?? '';
    expect((await storage.loadProject(id)).meta.name).toBe('Committed');
    storage.close();
    await expect(a.session.commit({ type: 'project/rename', name: '   ' })).rejects.toThrow(/blank/);
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

describe('opening the demo clinic from an empty project', () => {
  it('switching writes the pending edit of the project left before it opens the other', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    const first = await a.until(ready);
    const demoId = first.project?.meta.id ?? '';
    await a.session.create('Northside');
    await a.until((s) => s.project?.meta.name === 'Northside' && s.save.state === 'saved');
    const from = a.states.length;
    a.session.dispatch({ type: 'project/rename', name: 'Northside FP' });
    expect(a.session.getState().save.state).toBe('pending');
    await a.session.open(demoId);
    const after = a.states.slice(from);
    const saved = after.findIndex((s) => s.save.state === 'saved');
    const switched = after.findIndex((s) => s.project?.meta.id === demoId);
    expect(saved).toBeGreaterThanOrEqual(0);
    expect(saved).toBeLessThan(switched);
    const b = start(factory);
    expect(names(await b.until(ready))).toEqual(['Demo clinic', 'Northside FP']);
  });

  it('lists again on request a project another tab created since', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    await a.until((s) => s.phase === 'ready' && s.project !== null);
    const b = start(factory);
    await b.until((s) => s.phase === 'ready' && s.project !== null);
    await b.session.create('Northside');
    const created = b.session.getState().project?.meta.id;
    expect(b.session.getState().project?.meta.name).toBe('Northside');
    expect(a.session.getState().projects.map((p) => p.id)).not.toContain(created);
    await a.session.refreshProjects();
    expect(a.session.getState().projects.map((p) => p.id)).toContain(created);
  });

  it('switches to the stored demo clinic without building another', async () => {
    const h = start(new IDBFactory());
    await h.until(ready);
    demoCount = 0;
    await h.session.create('Clinic A');
    await h.until((s) => s.project?.meta.name === 'Clinic A');
    await h.session.openDemo();
    const state = await h.until((s) => s.project?.meta.name === 'Demo clinic');
    expect(demoCount).toBe(0);
    expect(names(state)).toEqual(['Clinic A', 'Demo clinic']);
    expect(state.error).toBeNull();
  });

  it('builds the demo clinic from the samples when it is gone, and says so', async () => {
    const h = start(new IDBFactory());
    const first = await h.until(ready);
    await h.session.create('Clinic A');
    await h.until((s) => s.project?.meta.name === 'Clinic A');
    await h.session.remove(first.project?.meta.id ?? '');
    await h.until((s) => names(s).join() === 'Clinic A');
    demoCount = 0;
    await h.session.openDemo();
    const state = await h.until((s) => s.project?.meta.name === 'Demo clinic');
    expect(demoCount).toBe(1);
    expect(names(state)).toEqual(['Clinic A', 'Demo clinic']);
    expect(state.project?.workflows).toHaveLength(1);
    expect(state.notice).toMatch(/demo clinic was added/);
  });
});

describe('names in the session', () => {
  it('refuses a spaces-only or overlong rename with the rule, keeping the name', async () => {
    const h = start(new IDBFactory());
    await h.until(ready);
    h.session.dispatch({ type: 'project/rename', name: '   ' });
    expect(h.session.getState().error).toMatch(/blank/);
    h.session.dispatch({ type: 'project/rename', name: 'x'.repeat(MAX_PROJECT_NAME_LENGTH + 1) });
    expect(h.session.getState().error).toMatch(`at most ${MAX_PROJECT_NAME_LENGTH} characters`);
    expect(h.session.getState().project?.meta.name).toBe('Demo clinic');
  });

  it('drops a notice that names the project once it is renamed', async () => {
    const h = start(new IDBFactory());
    await h.until(ready);
    await h.session.create('Clinic A');
    expect(h.session.getState().notice).toMatch(/Clinic A/);
    h.session.dispatch({ type: 'project/rename', name: 'Clinic B' });
    expect(h.session.getState().notice).toBeNull();
  });

  it('imports a clash of a longest-allowed name as a copy whose name still fits', async () => {
    const h = start(new IDBFactory());
    await h.until(ready);
    h.session.dispatch({ type: 'project/rename', name: 'x'.repeat(MAX_PROJECT_NAME_LENGTH) });
    const exported = await h.session.exportCurrent();
    expect(await h.session.importFile('copy.json', exported?.text ?? '')).toBe(true);
    const copy = (await h.until((s) => s.projects.length === 2)).project?.meta.name ?? '';
    expect(copy.length).toBeLessThanOrEqual(MAX_PROJECT_NAME_LENGTH);
    expect(copy).toMatch(/^x+… \(imported \d{4}-\d\d-\d\d\)$/);
  });

  it.each([
    ['Clinic A', ' (copy)', 'Clinic A (copy)'],
    ['x'.repeat(MAX_PROJECT_NAME_LENGTH), ' (copy)', `${'x'.repeat(MAX_PROJECT_NAME_LENGTH - 8)}… (copy)`],
    [
      `${'x'.repeat(MAX_PROJECT_NAME_LENGTH - 8)}😀`,
      ' (copy)',
      `${'x'.repeat(MAX_PROJECT_NAME_LENGTH - 8)}… (copy)`,
    ],
  ])('copyName(%#) fits the maximum and never splits a character', (name, suffix, expected) => {
    expect(copyName(name, suffix)).toBe(expected);
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

/** A marker store over a variable, as localStorage would hold it. */
function memoryMarker(initial: StoreMarker | null = null): MarkerStore & { value: StoreMarker | null } {
  const store = {
    value: initial,
    read: () => store.value,
    write: (marker: StoreMarker) => {
      store.value = marker;
    },
  };
  return store;
}

/** The marker's second copy, in memory. */
function memoryMarkerCopy(): AsyncMarkerStore & { value: StoreMarker | null } {
  const store = {
    value: null as StoreMarker | null,
    read: async () => store.value,
    write: async (marker: StoreMarker) => {
      store.value = marker;
    },
  };
  return store;
}

describe('project session and the store marker', () => {
  it('a killed browser that lost localStorage: the copy of the marker still reports the loss', async () => {
    const marker = memoryMarker();
    const markerCopy = memoryMarkerCopy();
    const a = start(new IDBFactory(), undefined, { marker, markerCopy });
    await a.until(ready);
    await a.session.create('Northside FP');
    await a.until((s) => s.projects.length === 2);
    await expect
      .poll(() => markerCopy.value?.state === 'active' && Object.keys(markerCopy.value.projects).length)
      .toBe(2);
    a.session.destroy();

    // the browser was killed before writing localStorage, and discarded the database
    demoCount = 0;
    const b = start(new IDBFactory(), undefined, { marker: memoryMarker(), markerCopy });
    const lost = await b.until((s) => s.phase === 'lost');
    expect(lost.error).toContain('2 projects were stored here');
    expect(demoCount).toBe(0);
  });

  it('records the stored projects after a save, and a reset database is reported, not seeded over', async () => {
    const marker = memoryMarker();
    const factory = new IDBFactory();
    const a = start(factory, undefined, { marker });
    await a.until(ready);
    await a.session.create('Northside FP');
    await a.until((s) => s.projects.length === 2);
    const recorded = marker.value;
    expect(recorded?.state === 'active' && Object.keys(recorded.projects).length).toBe(2);
    a.session.destroy();

    // the browser discarded the database: a new, empty one opens
    demoCount = 0;
    const b = start(new IDBFactory(), undefined, { marker });
    const lost = await b.until((s) => s.phase === 'lost');
    expect(lost.error).toMatch(/^Preflight's stored projects are gone: the browser discarded its database/);
    expect(lost.error).toContain('2 projects were stored here');
    expect(lost.projects).toEqual([]);
    expect(demoCount).toBe(0);
    expect(marker.value).toBe(recorded);

    // only the user's explicit choice starts the demo, and the marker follows from then on
    await b.session.openDemo();
    const state = await b.until(ready);
    expect(names(state)).toEqual(['Demo clinic']);
    expect(demoCount).toBe(1);
    expect(marker.value?.state === 'active' && Object.keys(marker.value.projects)).toEqual([
      state.project?.meta.id,
    ]);
  });

  it('after a loss, importing the last exported file continues with it', async () => {
    const factory = new IDBFactory();
    const marker = memoryMarker();
    const a = start(factory, undefined, { marker });
    await a.until(ready);
    a.session.dispatch({ type: 'project/rename', name: 'Exported clinic' });
    await a.until((s) => s.save.state === 'saved' && s.projects.some((p) => p.name === 'Exported clinic'));
    const file = await a.session.exportCurrent();
    a.session.destroy();

    demoCount = 0;
    const b = start(new IDBFactory(), undefined, { marker });
    await b.until((s) => s.phase === 'lost');
    expect(await b.session.importFile(file?.fileName ?? '', file?.text ?? '')).toBe(true);
    const state = await b.until(ready);
    expect(names(state)).toEqual(['Exported clinic']);
    expect(demoCount).toBe(0);
  });

  it('names the project whose audit chain is shorter than the marker recorded', async () => {
    const factory = new IDBFactory();
    const marker = memoryMarker();
    const a = start(factory, undefined, { marker });
    const first = await a.until(ready);
    a.session.destroy();
    const id = first.project?.meta.id as string;
    marker.value = { state: 'active', savedAt: NOW, projects: { [id]: { auditLength: 3, auditHead: 'h3' } } };

    const b = start(factory, undefined, { marker });
    const state = await b.until(ready);
    expect(state.error).toContain(
      'the sign-off audit log of “Demo clinic” has fewer entries than were saved',
    );
  });

  it('a loss noticed while the app runs is said at once, and the marker keeps its evidence', async () => {
    const factory = new IDBFactory();
    const marker = memoryMarker();
    const a = start(factory, undefined, { marker });
    const first = await a.until(ready);
    const id = first.project?.meta.id as string;
    // the marker knew a second project that the database (closed and opened again) no longer holds
    const recorded: StoreMarker = {
      state: 'active',
      savedAt: NOW,
      projects: {
        [id]: { auditLength: 0, auditHead: null },
        'gone-project': { auditLength: 4, auditHead: 'h4' },
      },
    };
    marker.value = recorded;
    a.session.dispatch({ type: 'project/rename', name: 'Renamed clinic' });
    const state = await a.until((s) => s.error !== null);
    expect(state.error).toMatch(
      /^Stored data was lost or altered since .*a project stored in this browser is missing \(gone-project\)/,
    );
    expect(marker.value).toBe(recorded);

    // deleting a project the user chose is not a loss: the marker follows
    await a.session.create('Second clinic');
    const two = await a.until((s) => s.projects.length === 2);
    marker.value = null;
    await a.session.create('Third clinic');
    await a.until((s) => s.projects.length === 3 && marker.value !== null);
    const second = two.projects.find((p) => p.name === 'Second clinic')?.id as string;
    await a.session.remove(second);
    await a.until((s) => s.projects.length === 2);
    const after = marker.value as StoreMarker | null;
    expect(after?.state === 'active' && Object.keys(after.projects).includes(second)).toBe(false);
  });

  it('a missing marker with a stored database is normal, and is written again', async () => {
    const factory = new IDBFactory();
    const a = start(factory);
    await a.until(ready);
    a.session.destroy();
    const marker = memoryMarker();
    const b = start(factory, undefined, { marker });
    const state = await b.until(ready);
    expect(state.error).toBeNull();
    await b.until(() => marker.value !== null);
    expect(marker.value?.state).toBe('active');
  });

  it('wipe erases what is kept outside the database and leaves the marker as wiped', async () => {
    const factory = new IDBFactory();
    const marker = memoryMarker();
    let outside = 0;
    const a = start(factory, undefined, {
      marker,
      wipeOutside: async () => {
        outside += 1;
      },
    });
    await a.until(ready);
    await a.session.wipe();
    expect(outside).toBe(1);
    expect(marker.value).toEqual(wipedMarker(NOW));
    // the next start is a first visit: the demo, no loss reported
    const b = start(factory, undefined, { marker });
    const state = await b.until(ready);
    expect(state.error).toBeNull();
    expect(names(state)).toEqual(['Demo clinic']);
  });
});

describe('project session on a full disk', () => {
  it('storage that cannot open because the disk is full says so, and nothing else is tried', async () => {
    const states: SessionState[] = [];
    let failed: (s: SessionState) => void = () => {};
    const done = new Promise<SessionState>((resolve) => {
      failed = resolve;
    });
    demoCount = 0;
    const session = createProjectSession({
      openStorage: () => Promise.reject(new StorageError('quota')),
      createDemo: demo,
      onState: (state) => {
        states.push(state);
        if (state.phase === 'failed') failed(state);
      },
    });
    sessions.push(session);
    const state = await done;
    expect(state.error).toBe(OPEN_QUOTA_MESSAGE);
    expect(demoCount).toBe(0);
  });

  it.each<{ kind: StorageErrorKind; message: string; retried: boolean }>([
    { kind: 'quota', message: OPEN_QUOTA_MESSAGE, retried: true },
    { kind: 'unknown', message: OPEN_FAILED_MESSAGE, retried: true },
    { kind: 'unavailable', message: new StorageError('unavailable').message, retried: false },
  ])(
    'an open failing as $kind is retried: $retried, with the backoff of autosave',
    async ({ kind, message, retried }) => {
      vi.useFakeTimers();
      try {
        let calls = 0;
        const states: SessionState[] = [];
        const session = createProjectSession({
          openStorage: () => {
            calls += 1;
            return Promise.reject(
              new StorageError(kind, kind === 'unknown' ? OPEN_FAILED_MESSAGE : undefined),
            );
          },
          createDemo: demo,
          onState: (state) => states.push(state),
        });
        sessions.push(session);
        await vi.advanceTimersByTimeAsync(0);
        expect(calls).toBe(1);
        expect(session.getState()).toMatchObject({ phase: 'failed', error: message, openRetrying: retried });
        expect(RETRIED_OPEN_MESSAGES.includes(message)).toBe(retried);
        await vi.advanceTimersByTimeAsync(retryDelayMs(1) - 1);
        expect(calls).toBe(1);
        await vi.advanceTimersByTimeAsync(1);
        expect(calls).toBe(retried ? 2 : 1);
        // a message the user dismissed is not raised again by a retry failing the same way
        session.dismissMessages();
        await vi.advanceTimersByTimeAsync(retryDelayMs(2));
        expect(calls).toBe(retried ? 3 : 1);
        expect(session.getState()).toMatchObject({ phase: 'failed', error: null });
        // a closed tab stops trying
        session.destroy();
        await vi.advanceTimersByTimeAsync(retryDelayMs(10) * 2);
        expect(calls).toBe(retried ? 3 : 1);
      } finally {
        vi.useRealTimers();
      }
    },
  );

  it('opens the stored project once the disk has room again, without seeding the demo meanwhile', async () => {
    const factory = new IDBFactory();
    const seed = await openStorage(DB, { factory });
    await seed.saveProject(createProject({ name: 'Riverside clinic', now: NOW }));
    seed.close();
    demoCount = 0;
    const failures: StorageError[] = [
      new StorageError('quota'),
      new StorageError('unknown', OPEN_FAILED_MESSAGE),
    ];
    const states: SessionState[] = [];
    let opened: (s: SessionState) => void = () => {};
    const done = new Promise<SessionState>((resolve) => {
      opened = resolve;
    });
    const session = createProjectSession({
      openStorage: () => {
        const failure = failures.shift();
        return failure ? Promise.reject(failure) : openStorage(DB, { factory });
      },
      createDemo: demo,
      now: () => NOW,
      onState: (state) => {
        states.push(state);
        if (ready(state)) opened(state);
      },
    });
    sessions.push(session);
    const state = await done;
    const failedWith = states.filter((s) => s.phase === 'failed').map((s) => s.error);
    expect(failedWith.filter((error, i) => error !== failedWith[i - 1])).toEqual([
      OPEN_QUOTA_MESSAGE,
      OPEN_FAILED_MESSAGE,
    ]);
    expect(names(state)).toEqual(['Riverside clinic']);
    expect(state.error).toBeNull();
    expect(demoCount).toBe(0);
  });

  it('a demo that cannot be stored on a full disk is tried again with the open, then stored once', async () => {
    const factory = new IDBFactory();
    demoCount = 0;
    let refusals = 1;
    const h = start(factory, (storage) => ({
      ...storage,
      saveProject: (project) =>
        refusals-- > 0 ? Promise.reject(new StorageError('quota')) : storage.saveProject(project),
    }));
    await h.until((s) => s.phase === 'failed' && s.error === OPEN_QUOTA_MESSAGE);
    const state = await h.until(ready);
    expect(names(state)).toEqual(['Demo clinic']);
    expect(state.error).toBeNull();
  });
});
