import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyChange } from '../core/project/changes.ts';
import type { Project } from '../formats/project.ts';
import { fixtureProject, fixtureWorkflow } from '../formats/testing/fixtures.ts';
import {
  type AutosaveStatus,
  type AutosaveStorage,
  CORRUPT_REFUSAL_MESSAGE,
  createAutosave,
  MAX_SAVE_LATENCY_MS,
  RETRY_MAX_MS,
  retryDelayMs,
} from './autosave.ts';
import { openPreflightDb } from './db.ts';
import type { DocumentRecord } from './documentRecord.ts';
import { STORAGE_ERROR_MESSAGES, StorageError } from './errors.ts';
import {
  openStorage,
  PROJECT_CHANGED_MESSAGE,
  PROJECT_DELETED_MESSAGE,
  type StorageNotice,
} from './storage.ts';

interface Call {
  type: 'full' | 'changes';
  project: Project;
  previous?: Project;
  /** fake-clock time the write started */
  at: number;
}

/** A storage double: records calls, can fail the next calls, takes `latencyMs` per write. */
function fakeStorage(latencyMs = 5) {
  const calls: Call[] = [];
  const failures: unknown[] = [];
  const stored = new Map<string, Project>();
  const listeners = new Set<(notice: StorageNotice) => void>();
  const write = async (call: Call) => {
    calls.push(call);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    else await Promise.resolve();
    if (failures.length > 0) throw failures.shift();
    stored.set(call.project.meta.id, call.project);
  };
  const storage: AutosaveStorage = {
    saveProject: (project) => write({ type: 'full', project, at: Date.now() }),
    saveChanges: (project, previous) => write({ type: 'changes', project, previous, at: Date.now() }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    storage,
    calls,
    stored,
    failNext: (...errors: unknown[]) => failures.push(...errors),
    notify: (notice: StorageNotice) => {
      for (const listener of listeners) listener(notice);
    },
  };
}

const rename = (project: Project, name: string) =>
  applyChange(project, { type: 'project/rename', name }, new Date(Date.now()).toISOString());

const quota = () => new DOMException('disk full', 'QuotaExceededError');

describe('autosave (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesces a burst of updates into one diff write of the latest snapshot', async () => {
    const { storage, calls } = fakeStorage();
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    let project = base;
    for (let i = 0; i < 20; i += 1) {
      project = rename(project, `Name ${i}`);
      autosave.update(project);
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ type: 'changes', project, previous: base });
    expect(autosave.getStatus().state).toBe('saved');
  });

  it('while editing continuously, writes at most once per delay and always within a second', async () => {
    const { storage, calls } = fakeStorage();
    const autosave = createAutosave(storage, { delayMs: 300 });
    let project = fixtureProject('p1');
    autosave.reset(project);
    const changedAt: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      project = rename(project, `Name ${i}`);
      changedAt.push(Date.now());
      autosave.update(project);
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < calls.length; i += 1) {
      expect((calls[i] as Call).at - (calls[i - 1] as Call).at).toBeGreaterThanOrEqual(300);
    }
    for (const t of changedAt) {
      const next = calls.find((c) => c.at >= t);
      expect(next, `a write after the change at ${t}`).toBeDefined();
      expect((next as Call).at - t).toBeLessThanOrEqual(1_000);
    }
    expect(calls.at(-1)?.project).toBe(project);
    // each diff is against the snapshot the previous write stored
    for (let i = 1; i < calls.length; i += 1) expect(calls[i]?.previous).toBe(calls[i - 1]?.project);
  });

  it('writes a full snapshot first when it does not know what storage holds', async () => {
    const { storage, calls } = fakeStorage();
    const autosave = createAutosave(storage);
    const project = fixtureProject('p1');
    autosave.update(project);
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.type)).toEqual(['full']);
    autosave.update(rename(project, 'Next'));
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.type)).toEqual(['full', 'changes']);
  });

  it('does not write when nothing changed since the last save', async () => {
    const { storage, calls } = fakeStorage();
    const autosave = createAutosave(storage);
    const project = fixtureProject('p1');
    autosave.reset(project);
    autosave.update(project);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([]);
  });

  it('reports pending → saving → saved, with lastSavedAt only after the write resolved', async () => {
    const { storage } = fakeStorage(50);
    const statuses: AutosaveStatus[] = [];
    const autosave = createAutosave(storage, { onStatus: (s) => statuses.push(s), now: () => 'T1' });
    const project = fixtureProject('p1');
    autosave.reset(project);
    autosave.update(rename(project, 'x'));
    expect(statuses.at(-1)).toEqual({ state: 'pending' });
    await vi.advanceTimersByTimeAsync(300);
    expect(statuses.at(-1)).toEqual({ state: 'saving' });
    await vi.advanceTimersByTimeAsync(49);
    expect(statuses.at(-1)).toEqual({ state: 'saving' });
    await vi.advanceTimersByTimeAsync(1);
    expect(statuses.at(-1)).toEqual({ state: 'saved', lastSavedAt: 'T1' });
    expect(statuses.map((s) => s.state)).toEqual(['pending', 'saving', 'saved']);
  });

  it('after a failed write, retries with a full snapshot that succeeds', async () => {
    const { storage, calls, stored, failNext } = fakeStorage();
    const statuses: AutosaveStatus[] = [];
    const autosave = createAutosave(storage, { onStatus: (s) => statuses.push(s) });
    const base = fixtureProject('p1');
    autosave.reset(base);
    const edited = rename(base, 'Edited');
    failNext(new DOMException('', 'UnknownError'));
    autosave.update(edited);
    await vi.advanceTimersByTimeAsync(310);
    expect(calls.map((c) => c.type)).toEqual(['changes']);
    expect(autosave.getStatus()).toMatchObject({ state: 'error', error: { kind: 'unknown' } });

    await vi.advanceTimersByTimeAsync(retryDelayMs(1) + 10);
    expect(calls.map((c) => c.type)).toEqual(['changes', 'full']);
    expect(calls[1]?.project).toBe(edited);
    expect(stored.get('p1')).toBe(edited);
    expect(autosave.getStatus().state).toBe('saved');
    // the retry does not flip the status back to "saving": it says "error" until a write lands
    expect(statuses.map((s) => s.state)).toEqual(['pending', 'saving', 'error', 'saved']);
  });

  it('a quota error surfaces as kind quota with its message; the in-memory project is kept and saved later', async () => {
    const { storage, stored, failNext } = fakeStorage();
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    let project = applyChange(
      base,
      { type: 'workflow/put', workflow: fixtureWorkflow('w3') },
      '2025-05-01T00:00:00.000Z',
    );
    failNext(quota(), quota());
    autosave.update(project);
    await vi.advanceTimersByTimeAsync(310);
    const status = autosave.getStatus();
    expect(status.state).toBe('error');
    expect(status.error).toBeInstanceOf(StorageError);
    expect(status.error?.kind).toBe('quota');
    expect(status.error?.message).toBe(STORAGE_ERROR_MESSAGES.quota);

    // the user keeps editing while storage is full: nothing is dropped
    project = rename(project, 'Still editing');
    autosave.update(project);
    await vi.advanceTimersByTimeAsync(retryDelayMs(1) + 10); // second failure
    expect(autosave.getStatus().error?.kind).toBe('quota');
    await vi.advanceTimersByTimeAsync(retryDelayMs(2) + 10); // space freed: succeeds
    expect(autosave.getStatus().state).toBe('saved');
    expect(stored.get('p1')).toBe(project);
    expect(stored.get('p1')?.workflows.map((w) => w.id)).toEqual(['w1', 'w2', 'w3']);
  });

  it('backs off 0.5 s, 1 s, 2 s, … capped at 10 s', async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000, 10000,
    ]);
    const { storage, calls, failNext } = fakeStorage(0);
    const autosave = createAutosave(storage);
    autosave.reset(fixtureProject('p1'));
    failNext(...Array.from({ length: 7 }, quota));
    autosave.update(rename(fixtureProject('p1'), 'x'));
    await vi.advanceTimersByTimeAsync(60_000);
    const gaps = calls.slice(1).map((c, i) => c.at - (calls[i] as Call).at);
    expect(gaps).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(autosave.getStatus().state).toBe('saved');
  });

  it('flush writes at once and resolves only when the write is done', async () => {
    const { storage, calls, stored } = fakeStorage(20);
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    const edited = rename(base, 'Now');
    autosave.update(edited);
    let flushed = false;
    const flush = autosave.flush().then(() => {
      flushed = true;
    });
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(19);
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await flush;
    expect(stored.get('p1')).toBe(edited);
    expect(autosave.getStatus().state).toBe('saved');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(1);
  });

  it('flush includes changes made while a write is in flight, and rejects when writing fails', async () => {
    const { storage, calls, stored, failNext } = fakeStorage(20);
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    autosave.update(rename(base, 'a'));
    await vi.advanceTimersByTimeAsync(305); // write in flight
    const later = rename(base, 'b');
    autosave.update(later);
    const flush = autosave.flush();
    await vi.advanceTimersByTimeAsync(100);
    await flush;
    expect(stored.get('p1')).toBe(later);
    expect(calls).toHaveLength(2);

    failNext(quota(), quota());
    autosave.update(rename(later, 'c'));
    const failing = autosave.flush();
    const caught = failing.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    expect(await caught).toMatchObject({ kind: 'quota' });
  });

  it('switching to another project writes the previous one first, at once', async () => {
    const { storage, calls, stored } = fakeStorage();
    const autosave = createAutosave(storage);
    const p1 = fixtureProject('p1');
    const p2 = fixtureProject('p2');
    autosave.reset(p1);
    const p1Edited = rename(p1, 'p1 edited');
    autosave.update(p1Edited);
    await vi.advanceTimersByTimeAsync(50);
    autosave.update(p2);
    await vi.advanceTimersByTimeAsync(6);
    expect(calls.map((c) => c.project.meta.id)).toEqual(['p1']);
    expect(stored.get('p1')).toBe(p1Edited);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.map((c) => [c.project.meta.id, c.type])).toEqual([
      ['p1', 'changes'],
      ['p2', 'full'],
    ]);
  });

  it('refuses to write a project a load reported corrupt, until reset', async () => {
    const { storage, calls, notify } = fakeStorage();
    const statuses: AutosaveStatus[] = [];
    const autosave = createAutosave(storage, { onStatus: (s) => statuses.push(s) });
    const project = fixtureProject('p1');
    notify({ type: 'corrupt', projectId: 'p1', error: new StorageError('corrupt') });
    autosave.update(project);
    autosave.update(rename(project, 'edited'));
    await vi.advanceTimersByTimeAsync(5_000);
    await autosave.flush();
    expect(calls).toEqual([]);
    expect(autosave.getStatus()).toMatchObject({
      state: 'error',
      error: { kind: 'corrupt', message: CORRUPT_REFUSAL_MESSAGE },
    });

    autosave.reset(project); // e.g. a good copy was imported with saveProject
    expect(autosave.getStatus().state).toBe('saved');
    autosave.update(rename(project, 'after reset'));
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.type)).toEqual(['changes']);
  });

  it('an invalid draft is reported at once and saved as soon as it is fixed (no backoff wait)', async () => {
    const { storage, calls, stored, failNext } = fakeStorage();
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    failNext(new StorageError('invalid', 'Not saved: workflow "w1" at /lanes/0/name — too short.'));
    autosave.update(rename(base, 'draft'));
    await vi.advanceTimersByTimeAsync(310);
    expect(autosave.getStatus().error?.kind).toBe('invalid');
    const fixed = rename(base, 'fixed');
    autosave.update(fixed);
    await vi.advanceTimersByTimeAsync(310);
    expect(calls.map((c) => c.type)).toEqual(['changes', 'full']);
    expect(stored.get('p1')).toBe(fixed);
    expect(autosave.getStatus().state).toBe('saved');
  });

  it('markCorrupt drops what was queued for that project', async () => {
    const { storage, calls } = fakeStorage();
    const autosave = createAutosave(storage);
    const project = fixtureProject('p1');
    autosave.reset(project);
    autosave.update(rename(project, 'queued'));
    autosave.markCorrupt('p1');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([]);
    expect(autosave.getStatus().error?.kind).toBe('corrupt');
  });

  it('forget drops the queued write and baseline of a project about to be deleted', async () => {
    const { storage, calls } = fakeStorage();
    const autosave = createAutosave(storage);
    const project = fixtureProject('p1');
    autosave.reset(project);
    autosave.update(rename(project, 'queued'));
    expect(autosave.getStatus().state).toBe('pending');
    autosave.forget('p1');
    expect(autosave.getStatus().state).toBe('saved');
    await vi.advanceTimersByTimeAsync(2_000);
    await autosave.flush();
    expect(calls).toEqual([]);
    // a late update (a stale render) cannot re-create it either
    autosave.update(rename(project, 'late'));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toEqual([]);
    expect(autosave.getStatus().error?.kind).toBe('not-found');
    // until the project is stored again and reset with it (e.g. re-imported)
    autosave.reset(project);
    autosave.update(rename(project, 'imported again'));
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.type)).toEqual(['changes']);
  });

  it('forget clears an error of the forgotten project and keeps other projects queued', async () => {
    const { storage, calls, failNext } = fakeStorage();
    const autosave = createAutosave(storage);
    const p1 = fixtureProject('p1');
    const p2 = fixtureProject('p2');
    autosave.reset(p1);
    failNext(quota());
    autosave.update(rename(p1, 'fails'));
    await vi.advanceTimersByTimeAsync(310);
    expect(autosave.getStatus().error?.kind).toBe('quota');
    autosave.forget('p1');
    expect(autosave.getStatus().state).toBe('saved');
    autosave.reset(p2);
    autosave.update(rename(p2, 'other'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls.map((c) => [c.type, c.project.meta.id])).toEqual([
      ['changes', 'p1'],
      ['changes', 'p2'],
    ]);
  });

  it('a write that finds its project deleted stops, and a flush awaiting it rejects', async () => {
    const { storage, calls, failNext } = fakeStorage(50);
    const autosave = createAutosave(storage);
    const project = fixtureProject('p1');
    autosave.reset(project);
    failNext(new StorageError('not-found', PROJECT_DELETED_MESSAGE));
    autosave.update(rename(project, 'edited'));
    await vi.advanceTimersByTimeAsync(310); // the write is in flight
    const flushed = autosave.flush();
    const outcome = expect(flushed).rejects.toMatchObject({ kind: 'not-found' });
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    autosave.update(rename(project, 'again'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls.map((c) => c.type)).toEqual(['changes']);
    expect(autosave.getStatus()).toMatchObject({ state: 'error', error: { kind: 'not-found' } });
  });

  it('a write refused as conflict stops writing that project until reset; flush rejects with it', async () => {
    const { storage, calls, failNext } = fakeStorage(50);
    const autosave = createAutosave(storage);
    const project = fixtureProject('p1');
    autosave.reset(project);
    failNext(new StorageError('conflict', PROJECT_CHANGED_MESSAGE, { location: { projectId: 'p1' } }));
    const edited = rename(project, 'edited');
    autosave.update(edited);
    await vi.advanceTimersByTimeAsync(310); // the write is in flight
    const outcome = expect(autosave.flush()).rejects.toMatchObject({
      kind: 'conflict',
      message: PROJECT_CHANGED_MESSAGE,
    });
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    // no retry, not even a full snapshot: it would overwrite the other tab's changes
    autosave.update(rename(edited, 'again'));
    await vi.advanceTimersByTimeAsync(20_000);
    await expect(autosave.flush()).resolves.toBeUndefined();
    expect(calls.map((c) => c.type)).toEqual(['changes']);
    expect(autosave.getStatus()).toMatchObject({ state: 'error', error: { kind: 'conflict' } });

    // the user reloads: reset with what storage now holds lifts the stop
    const fresh = rename(project, 'written in the other tab');
    autosave.reset(fresh);
    expect(autosave.getStatus().state).toBe('saved');
    const after = rename(fresh, 'edited after reload');
    autosave.update(after);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.at(-1)).toMatchObject({ type: 'changes', project: after, previous: fresh });
    expect(autosave.getStatus().state).toBe('saved');
  });

  it('a conflict of a write that a reset has since replaced is not reported', async () => {
    const { storage, calls, failNext } = fakeStorage(50);
    const autosave = createAutosave(storage);
    const project = fixtureProject('p1');
    autosave.reset(project);
    failNext(new StorageError('conflict'));
    autosave.update(rename(project, 'edited'));
    await vi.advanceTimersByTimeAsync(310); // the doomed write is in flight
    const fresh = rename(project, 'reloaded');
    autosave.reset(fresh);
    await vi.advanceTimersByTimeAsync(100);
    const after = rename(fresh, 'edited after reload');
    autosave.update(after);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.at(-1)).toMatchObject({ type: 'changes', project: after, previous: fresh });
    expect(autosave.getStatus().state).toBe('saved');
  });

  it('a brand-new project (never stored) is created by its first write', async () => {
    const { storage, calls, stored } = fakeStorage();
    const autosave = createAutosave(storage);
    const project = fixtureProject('new');
    autosave.update(project);
    await vi.advanceTimersByTimeAsync(400);
    expect(calls.map((c) => c.type)).toEqual(['full']);
    expect(stored.get('new')).toBe(project);
  });

  it('destroy starts the last write at once and reports nothing afterwards', async () => {
    const { storage, calls, stored } = fakeStorage();
    const onStatus = vi.fn();
    const autosave = createAutosave(storage, { onStatus });
    const base = fixtureProject('p1');
    autosave.reset(base);
    const edited = rename(base, 'last');
    autosave.update(edited);
    onStatus.mockClear();
    autosave.destroy();
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    await autosave.flush();
    expect(stored.get('p1')).toBe(edited);
    autosave.update(rename(edited, 'ignored'));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toHaveLength(1);
    expect(onStatus).not.toHaveBeenCalled();
  });
});

describe('autosave.whenSaved: "Saved" only once the transaction completed (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Tracks how a promise settled, without awaiting it. */
  function track(promise: Promise<void>) {
    const outcome: { state: 'pending' | 'resolved' | 'rejected'; error?: unknown } = { state: 'pending' };
    promise.then(
      () => {
        outcome.state = 'resolved';
      },
      (error: unknown) => {
        outcome.state = 'rejected';
        outcome.error = error;
      },
    );
    return outcome;
  }

  it('resolves after the write that stores the change completed, not when it started', async () => {
    const { storage, calls } = fakeStorage(50);
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    autosave.update(rename(base, 'Decision recorded'));
    const saved = track(autosave.whenSaved('p1'));
    await vi.advanceTimersByTimeAsync(310); // the write is in flight
    expect(calls).toHaveLength(1);
    expect(saved.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(60);
    expect(saved.state).toBe('resolved');
  });

  it('a failing transaction never resolves it; the retry that lands does', async () => {
    const { storage, calls, failNext } = fakeStorage(5);
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    failNext(quota());
    autosave.update(rename(base, 'Decision recorded'));
    const saved = track(autosave.whenSaved('p1'));
    await vi.advanceTimersByTimeAsync(320);
    expect(calls).toHaveLength(1);
    expect(autosave.getStatus().state).toBe('error');
    expect(saved.state).toBe('pending');
    await vi.advanceTimersByTimeAsync(retryDelayMs(1) + 10);
    expect(calls).toHaveLength(2);
    expect(saved.state).toBe('resolved');
  });

  it('waits only for the changes made before it was asked; later ones do not delay it', async () => {
    const { storage, calls } = fakeStorage(50);
    const autosave = createAutosave(storage);
    const base = fixtureProject('p1');
    autosave.reset(base);
    const first = rename(base, 'first');
    autosave.update(first);
    const saved = track(autosave.whenSaved('p1'));
    await vi.advanceTimersByTimeAsync(310); // writing `first`
    autosave.update(rename(first, 'second'));
    await vi.advanceTimersByTimeAsync(60);
    expect(calls.map((c) => c.project.meta.name)).toEqual(['first']);
    expect(saved.state).toBe('resolved');
    expect(autosave.getStatus().state).not.toBe('saved');
  });

  it('resolves at once when nothing is pending', async () => {
    const { storage } = fakeStorage();
    const autosave = createAutosave(storage);
    autosave.reset(fixtureProject('p1'));
    await expect(autosave.whenSaved('p1')).resolves.toBeUndefined();
    await expect(autosave.whenSaved('unknown')).resolves.toBeUndefined();
  });

  it('rejects when the change can no longer be stored: project deleted, forgotten, reset, or closed with a failing write', async () => {
    const deleted = fakeStorage(5);
    const a = createAutosave(deleted.storage);
    const base = fixtureProject('p1');
    a.reset(base);
    deleted.failNext(new StorageError('not-found', PROJECT_DELETED_MESSAGE));
    a.update(rename(base, 'x'));
    const gone = track(a.whenSaved('p1'));
    await vi.advanceTimersByTimeAsync(320);
    expect(gone).toMatchObject({ state: 'rejected', error: { kind: 'not-found' } });
    await expect(a.whenSaved('p1')).rejects.toMatchObject({ kind: 'not-found' });

    const b = createAutosave(fakeStorage().storage);
    b.reset(base);
    b.update(rename(base, 'y'));
    const forgotten = track(b.whenSaved('p1'));
    b.forget('p1');
    await vi.advanceTimersByTimeAsync(0);
    expect(forgotten).toMatchObject({ state: 'rejected', error: { kind: 'not-found' } });

    const c = createAutosave(fakeStorage().storage);
    c.reset(base);
    c.update(rename(base, 'z'));
    const replaced = track(c.whenSaved('p1'));
    c.reset(base);
    await vi.advanceTimersByTimeAsync(0);
    expect(replaced.state).toBe('rejected');

    const closing = fakeStorage(5);
    const d = createAutosave(closing.storage);
    d.reset(base);
    closing.failNext(quota(), quota());
    d.update(rename(base, 'w'));
    const closed = track(d.whenSaved('p1'));
    d.destroy();
    await vi.advanceTimersByTimeAsync(100);
    expect(closed).toMatchObject({ state: 'rejected', error: { kind: 'unavailable' } });
  });
});

describe('autosave over IndexedDB (fake clock; IndexedDB runs on setImmediate, which stays real)', () => {
  const DB = 'preflight-autosave-test';
  /** Longer than any write autosave could still have scheduled: a throttled write or the longest backoff. */
  const LONGER_THAN_ANY_WRITE_MS = MAX_SAVE_LATENCY_MS + RETRY_MAX_MS;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('edits survive a reload', async () => {
    const factory = new IDBFactory();
    const storage = await openStorage(DB, { factory });
    const base = fixtureProject('p1');
    await storage.saveProject(base);
    const autosave = createAutosave(storage, { delayMs: 10 });
    autosave.reset(await storage.loadProject('p1'));
    let project = base;
    for (let i = 0; i < 5; i += 1) {
      project = applyChange(
        project,
        { type: 'workflow/put', workflow: fixtureWorkflow(`n${i}`) },
        `2025-06-0${i + 1}T00:00:00.000Z`,
      );
      autosave.update(project);
    }
    project = applyChange(project, { type: 'workflow/remove', id: 'w1' }, '2025-06-09T00:00:00.000Z');
    autosave.update(project);
    await autosave.flush();
    autosave.destroy();
    storage.close();

    const reopened = await openStorage(DB, { factory });
    expect(await reopened.loadProject('p1')).toEqual(project);
    reopened.close();
  });

  it('a failing write (wrapper whose saveChanges throws once) is followed by a full snapshot that lands', async () => {
    const factory = new IDBFactory();
    const real = await openStorage(DB, { factory });
    let failOnce = true;
    const saveProject = vi.fn(real.saveProject);
    const wrapped = {
      ...real,
      saveProject,
      saveChanges: (project: Project, previous: Project) => {
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new DOMException('', 'UnknownError'));
        }
        return real.saveChanges(project, previous);
      },
    };
    const base = fixtureProject('p1');
    await real.saveProject(base);
    const autosave = createAutosave(wrapped, { delayMs: 5 });
    autosave.reset(base);
    const edited = rename(base, 'Edited');
    autosave.update(edited);
    await expect(autosave.flush()).resolves.toBeUndefined(); // first diff fails, the flush retries in full
    // a project known to be stored is rewritten, never re-created, and only over what it was based on
    expect(saveProject).toHaveBeenCalledWith(edited, {
      mustExist: true,
      expectedRevision: real.revisionOf(base),
    });
    expect(await real.loadProject('p1')).toEqual(edited);
    autosave.destroy();
    real.close();
  });

  it('a project deleted in another tab is not re-created: the write fails as not-found and stops', async () => {
    const factory = new IDBFactory();
    const storage = await openStorage(DB, { factory });
    const otherTab = await openStorage(DB, { factory });
    const base = fixtureProject('p1');
    await storage.saveProject(base);
    const statuses: AutosaveStatus[] = [];
    const autosave = createAutosave(storage, { delayMs: 5, onStatus: (s) => statuses.push(s) });
    autosave.reset(base);
    await otherTab.deleteProject('p1');

    autosave.update(rename(base, 'edited here'));
    await expect(autosave.flush()).rejects.toMatchObject({
      kind: 'not-found',
      message: PROJECT_DELETED_MESSAGE,
    });
    expect(autosave.getStatus()).toMatchObject({ state: 'error', error: { kind: 'not-found' } });
    // no retry (not even a full snapshot) brings it back
    autosave.update(rename(base, 'edited again'));
    await vi.advanceTimersByTimeAsync(LONGER_THAN_ANY_WRITE_MS);
    await autosave.flush();
    expect(await storage.listProjects()).toEqual([]);
    expect(autosave.getStatus().error?.kind).toBe('not-found');

    // a failed diff of a deleted project is retried as a mustExist snapshot, which also refuses
    const p2 = fixtureProject('p2');
    await storage.saveProject(p2);
    let failOnce = true;
    const wrapped = {
      ...storage,
      saveChanges: (project: Project, previous: Project) => {
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new DOMException('', 'UnknownError'));
        }
        return storage.saveChanges(project, previous);
      },
    };
    const second = createAutosave(wrapped, { delayMs: 5 });
    second.reset(p2);
    second.update(rename(p2, 'edited')); // its write waits for the fake clock: the delete comes first
    await otherTab.deleteProject('p2');
    await expect(second.flush()).rejects.toMatchObject({ kind: 'not-found' });
    expect(await storage.listProjects()).toEqual([]);

    second.destroy();
    autosave.destroy();
    otherTab.close();
    storage.close();
  });

  it('two tabs autosaving one project: the later writer stops with conflict, the earlier keeps everything', async () => {
    const factory = new IDBFactory();
    const tabA = await openStorage(DB, { factory });
    const tabB = await openStorage(DB, { factory });
    await tabA.saveProject(fixtureProject('p1'));
    const statusesB: AutosaveStatus[] = [];
    const autosaveA = createAutosave(tabA, { delayMs: 5 });
    const autosaveB = createAutosave(tabB, { delayMs: 5, onStatus: (s) => statusesB.push(s) });
    const loadedA = await tabA.loadProject('p1');
    const loadedB = await tabB.loadProject('p1');
    autosaveA.reset(loadedA);
    autosaveB.reset(loadedB);

    // A deletes a workflow and adds one; B (still on the old state) edits the deleted one
    let inA = applyChange(loadedA, { type: 'workflow/remove', id: 'w1' }, '2025-06-01T00:00:00.000Z');
    inA = applyChange(
      inA,
      { type: 'workflow/put', workflow: fixtureWorkflow('a1') },
      '2025-06-01T00:00:01.000Z',
    );
    autosaveA.update(inA);
    await autosaveA.flush();
    const inB = applyChange(
      loadedB,
      { type: 'workflow/put', workflow: fixtureWorkflow('w1', 'Edited in B') },
      '2025-06-02T00:00:00.000Z',
    );
    autosaveB.update(inB);
    await expect(autosaveB.flush()).rejects.toMatchObject({
      kind: 'conflict',
      message: PROJECT_CHANGED_MESSAGE,
    });
    expect(autosaveB.getStatus()).toMatchObject({ state: 'error', error: { kind: 'conflict' } });
    expect(statusesB.at(-1)?.error?.message).not.toContain('Edited in B');

    // B keeps trying to edit: nothing is written
    autosaveB.update(rename(inB, 'B again'));
    await vi.advanceTimersByTimeAsync(LONGER_THAN_ANY_WRITE_MS);
    await autosaveB.flush();
    expect(await tabA.loadProject('p1')).toEqual(inA);
    expect(autosaveB.getStatus().error?.kind).toBe('conflict');

    // A keeps saving; B reloads and saves again on top of A's state
    const inA2 = rename(inA, 'A renamed');
    autosaveA.update(inA2);
    await autosaveA.flush();
    const reloadedB = await tabB.loadProject('p1');
    expect(reloadedB).toEqual(inA2);
    autosaveB.reset(reloadedB);
    const inB2 = rename(reloadedB, 'B after reload');
    autosaveB.update(inB2);
    await autosaveB.flush();
    expect(autosaveB.getStatus().state).toBe('saved');
    expect(await tabA.loadProject('p1')).toEqual(inB2);

    autosaveA.destroy();
    autosaveB.destroy();
    tabA.close();
    tabB.close();
  });

  it('the full-snapshot retry after a failed diff also refuses to overwrite another tab', async () => {
    const factory = new IDBFactory();
    const tabA = await openStorage(DB, { factory });
    const tabB = await openStorage(DB, { factory });
    await tabA.saveProject(fixtureProject('p1'));
    const loadedB = await tabB.loadProject('p1');
    let failOnce = true;
    const saveProject = vi.fn(tabB.saveProject);
    const wrappedB = {
      ...tabB,
      saveProject,
      saveChanges: (project: Project, previous: Project) => {
        if (failOnce) {
          failOnce = false;
          return Promise.reject(new DOMException('', 'UnknownError'));
        }
        return tabB.saveChanges(project, previous);
      },
    };
    const autosaveB = createAutosave(wrappedB, { delayMs: 5 });
    autosaveB.reset(loadedB);

    const loadedA = await tabA.loadProject('p1');
    const inA = rename(loadedA, 'Written in A');
    await tabA.saveChanges(inA, loadedA);

    autosaveB.update(rename(loadedB, 'Written in B'));
    await expect(autosaveB.flush()).rejects.toMatchObject({ kind: 'conflict' });
    expect(saveProject).toHaveBeenCalledTimes(1); // the diff failed, the snapshot was refused
    expect(await tabA.loadProject('p1')).toEqual(inA);
    autosaveB.destroy();
    tabA.close();
    tabB.close();
  });

  it('a corrupt stored document stops autosave from writing over it', async () => {
    const factory = new IDBFactory();
    const storage = await openStorage(DB, { factory });
    const base = fixtureProject('p1');
    await storage.saveProject(base);
    const autosave = createAutosave(storage, { delayMs: 5 });
    const raw = await openPreflightDb(DB, { factory });
    const record = (await raw.get('documents', ['p1', 'workflow', 'w1'])) as DocumentRecord;
    await raw.put('documents', { ...record, body: { ...(record.body as object), lanes: 'damaged' } });
    raw.close();

    await expect(storage.loadProject('p1')).rejects.toMatchObject({ kind: 'corrupt' });
    // a caller that tries anyway (e.g. a fresh project reusing the id) is refused
    autosave.update(rename(base, 'would overwrite'));
    await autosave.flush();
    await vi.advanceTimersByTimeAsync(LONGER_THAN_ANY_WRITE_MS);
    expect(autosave.getStatus().error?.kind).toBe('corrupt');
    const stillDamaged = await openPreflightDb(DB, { factory });
    const damaged = (await stillDamaged.get('documents', ['p1', 'workflow', 'w1'])) as DocumentRecord;
    expect((damaged.body as { lanes: unknown }).lanes).toBe('damaged');
    expect((await stillDamaged.get('projects', 'p1'))?.name).toBe(base.meta.name);
    stillDamaged.close();
    autosave.destroy();
    storage.close();
  });
});
