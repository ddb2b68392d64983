/**
 * A shared project's sync on its own, on fake timers (never real waits), against a server in
 * memory with the real one's version rule: what others changed arrives every minute though the
 * person changes nothing, the time of the last sync is said and kept while the server is out of
 * reach, and nothing runs once the sync ends; back online or back to the window, a round runs at
 * once. The same sync against the real server is tests/unit/sharedRecordsBar.test.ts.
 */
import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProjectChange } from '../../core/project/changes.ts';
import {
  emptySyncState,
  type RecordTransport,
  recordSha256,
  type SharedRecord,
} from '../../core/teamRecords/index.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { TeamError } from '../../storage/teamServer.ts';
import type { TeamLink, TeamSyncStore } from '../../storage/teamSyncStore.ts';
import {
  createRecordSync,
  KEPT_UNTIL_SAVED,
  PULL_EVERY_MS,
  type RecordSyncView,
  syncWhenBack,
} from './recordSync.ts';
import { lastSyncedWords } from './SharedRecordsBar.tsx';

const START = Date.parse('2026-11-25T10:00:00.000Z');

/** The team server's words when its disk is full (src/server/writeRefusals.ts). */
const CANNOT_SAVE =
  "The team server cannot save right now: its disk is full, so nothing was saved there. The clinic's IT can see why in the server's log; try again once they have made room.";

const waiver = (id: string): Waiver => ({
  id,
  rule: 'contract.required',
  column: 'dob',
  rationale: 'Walk-ins have no date of birth.',
  owner: 'Dora Data',
  expires: '2026-12-31',
});

/** The team server's records in memory; `down` fails every request as an unreachable server does. */
function memoryServer() {
  const records: SharedRecord[] = [];
  let head = 0;
  // full: the server is reached but cannot save (its disk is full), as it answers then
  const state = { down: false, full: false, pulls: 0 };
  const store = (kind: SharedRecord['kind'], id: string, body: unknown, by: string): SharedRecord => {
    head += 1;
    const record = {
      kind,
      id,
      version: head,
      body,
      sha256: recordSha256(body),
      by,
      at: new Date().toISOString(),
    };
    const i = records.findIndex((r) => r.kind === kind && r.id === id);
    if (i >= 0) records.splice(i, 1);
    records.push(record);
    return record;
  };
  const transport: RecordTransport = {
    async pull(after) {
      if (state.down) throw new TeamError(0, '');
      state.pulls += 1;
      return { head, records: records.filter((r) => r.version > after) };
    },
    async put(write) {
      if (state.down) throw new TeamError(0, '');
      if (state.full) throw new TeamError(503, CANNOT_SAVE, { error: CANNOT_SAVE, code: 'disk-full' });
      return { ok: true, record: store(write.kind, write.id, write.body, 'Me') };
    },
  };
  return { transport, state, others: (w: Waiver) => store('waiver', w.id, w, 'Lena Lead') };
}

const memoryStore = (): TeamSyncStore => ({
  get: async () => undefined,
  linkedTo: async () => [],
  put: async () => undefined,
  remove: async () => undefined,
  close: () => undefined,
});

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the periodic pull', () => {
  it('hears others’ changes every minute, says when it last synced, and stops when ended', async () => {
    const server = memoryServer();
    const project = fixtureProject();
    const link: TeamLink = {
      project: project.meta.id,
      teamProjectId: 'tp1',
      teamProjectName: 'Ward 4 go-live',
      state: emptySyncState(),
    };
    const dispatched: ProjectChange[] = [];
    let view: RecordSyncView | undefined;
    const sync = createRecordSync({
      link,
      project,
      store: memoryStore(),
      transport: server.transport,
      dispatch: (change) => dispatched.push(change),
      onView: (v) => {
        view = v;
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(view?.syncing).toBe(false);
    expect(view?.lastSynced).toBe('2026-11-25T10:00:00.000Z');

    // a colleague accepts an issue; this person changes nothing
    server.others(waiver('w-dob'));
    await vi.advanceTimersByTimeAsync(PULL_EVERY_MS - 1);
    expect(dispatched).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(dispatched).toEqual([
      { type: 'project/settings', settings: expect.objectContaining({ waivers: [waiver('w-dob')] }) },
    ]);
    expect(view?.lastSynced).toBe('2026-11-25T10:01:00.000Z');

    // out of reach: said, and the last sync's time stays what it was
    server.state.down = true;
    await vi.advanceTimersByTimeAsync(PULL_EVERY_MS);
    expect(view?.offline).toBe(true);
    expect(view?.problem).toBeNull();
    expect(view?.lastSynced).toBe('2026-11-25T10:01:00.000Z');
    server.state.down = false;
    await vi.advanceTimersByTimeAsync(PULL_EVERY_MS);
    expect(view?.offline).toBe(false);
    expect(view?.lastSynced).toBe('2026-11-25T10:03:00.000Z');

    sync.destroy();
    const pulls = server.state.pulls;
    await vi.advanceTimersByTimeAsync(5 * PULL_EVERY_MS);
    expect(server.state.pulls).toBe(pulls);
  });

  it('keeps a change the server could not save queued, says why in its words, and sends it once it can', async () => {
    const server = memoryServer();
    const project = fixtureProject();
    let view: RecordSyncView | undefined;
    const sync = createRecordSync({
      link: {
        project: project.meta.id,
        teamProjectId: 'tp1',
        teamProjectName: 'Ward 4',
        state: emptySyncState(),
      },
      project,
      store: memoryStore(),
      transport: server.transport,
      dispatch: () => undefined,
      onView: (v) => {
        view = v;
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    server.state.full = true;
    sync.projectChanged({
      ...project,
      meta: { ...project.meta, settings: { ...project.meta.settings, waivers: [waiver('w-mine')] } },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(view?.offline).toBe(false);
    expect(view?.problem).toBe(`${CANNOT_SAVE} ${KEPT_UNTIL_SAVED}`);
    expect(view?.state.pending).toHaveLength(1);
    expect(view?.state.refused).toEqual([]);
    // room made: the next round sends it
    server.state.full = false;
    await vi.advanceTimersByTimeAsync(PULL_EVERY_MS);
    expect(view?.problem).toBeNull();
    expect(view?.state.pending).toEqual([]);
    sync.destroy();
  });

  it('says the last sync in the person’s time of day, with the date when not today', () => {
    expect(lastSyncedWords('2026-11-25T10:00:00.000Z')).toMatch(/^Last synced with the team server at .+\.$/);
    expect(lastSyncedWords('2026-11-20T10:00:00.000Z')).toMatch(
      /^Last synced with the team server on .+ at .+\.$/,
    );
    render(<p>{lastSyncedWords(new Date(START).toISOString())}</p>);
    expect(screen.getByText(/^Last synced/).textContent).not.toContain('2026-11-25T');
  });
});

describe('the witness of the server’s audit log', () => {
  it('says a changed log after the round that found it, and keeps saying it', async () => {
    const server = memoryServer();
    const project = fixtureProject();
    const said = ['', 'the log was changed', ''];
    let view: RecordSyncView | undefined;
    const sync = createRecordSync({
      link: { project: project.meta.id, teamProjectId: 'tp1', teamProjectName: 'W', state: emptySyncState() },
      project,
      store: memoryStore(),
      transport: server.transport,
      dispatch: () => undefined,
      onView: (v) => {
        view = v;
      },
      // the witness says it once; a later round that hears nothing new leaves it said
      witness: async () => ({ alarm: said.shift() || null, note: null }),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(view?.logChanged).toBeUndefined();
    await vi.advanceTimersByTimeAsync(PULL_EVERY_MS);
    expect(view?.logChanged).toBe('the log was changed');
    await vi.advanceTimersByTimeAsync(PULL_EVERY_MS);
    expect(view?.logChanged).toBe('the log was changed');
    sync.destroy();
  });
});

describe('back online, back to the window', () => {
  it('runs a round at once when the browser is back online, the window is focused or the tab shown', () => {
    const sync = vi.fn();
    const stop = syncWhenBack(sync);
    window.dispatchEvent(new Event('online'));
    expect(sync).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('focus'));
    expect(sync).toHaveBeenCalledTimes(2);
    const shown = (state: DocumentVisibilityState) => {
      Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    try {
      shown('hidden');
      expect(sync).toHaveBeenCalledTimes(2);
      shown('visible');
      expect(sync).toHaveBeenCalledTimes(3);
      stop();
      window.dispatchEvent(new Event('online'));
      window.dispatchEvent(new Event('focus'));
      shown('visible');
      expect(sync).toHaveBeenCalledTimes(3);
    } finally {
      Reflect.deleteProperty(document, 'visibilityState');
    }
  });
});
