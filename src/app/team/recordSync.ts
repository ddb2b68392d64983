/**
 * The app's sync of one shared project's records with the team server: the core's queue
 * (src/core/teamRecords) driven by the project's changes, kept in IndexedDB after every step, and
 * sent and pulled one round at a time. A round runs when the project changes, when the project is
 * opened, every {@link PULL_EVERY_MS} after the last round (so others' changes arrive while the
 * person only reads), and when the browser is back online or its window is looked at again
 * ({@link syncWhenBack}); a change during a round is sent by the next.
 *
 * Constraints:
 * - The stored state is written before a round sends anything, so a reload in the middle of a
 *   round sends the rest, in order, and nothing twice (the server agrees a write whose body it
 *   already holds, with no new version).
 * - A conflict waits for the person: {@link RecordSync.settle} is the only way one ends.
 */
import { applyChanges, type ProjectChange } from '../../core/project/changes.ts';
import {
  type AppliedRecord,
  fetchShared,
  pushQueued,
  putRecords,
  queueLocalChanges,
  type RecordSyncState,
  type RecordTransport,
  settleConflict,
  takeShared,
} from '../../core/teamRecords/index.ts';
import type { Project } from '../../formats/project.ts';
import { TeamError } from '../../storage/teamServer.ts';
import type { TeamLink, TeamSyncStore } from '../../storage/teamSyncStore.ts';

/** How long after a round the next one runs on its own, to hear what others changed. */
export const PULL_EVERY_MS = 60_000;

/** Said after the server's words when it could not save: what happens to the person's changes. */
export const KEPT_UNTIL_SAVED =
  'Your changes are kept on this computer and sent again at the next sync (every minute, and when you change something).';

/** What the screens show of the sync. */
export interface RecordSyncView {
  state: RecordSyncState;
  /** the last round could not reach the server */
  offline: boolean;
  /** a round is running */
  syncing: boolean;
  /** the last round's failure other than the network (storage, a refused pull), in words */
  problem: string | null;
  /** when a round last sent and pulled everything (ISO time); null: not yet since the page opened */
  lastSynced: string | null;
  /**
   * the team server's audit log no longer extends the head this browser witnessed
   * (logWitness.ts), in the words the person acts on; absent while it does
   */
  logChanged?: string;
  /**
   * this browser could not check the team server's audit log against what the team saw, at its
   * first sync nor since (logWitness.ts), in words; absent when it could, or did not need to
   */
  logNote?: string;
}

/** What {@link createRecordSync} needs. */
interface RecordSyncParams {
  link: TeamLink;
  transport: RecordTransport;
  store: TeamSyncStore;
  /** the project as it is when the sync starts */
  project: Project;
  /**
   * the project as it is this instant (the session's own state), so what others wrote is put
   * into it over an edit the person made during the round, never over an older copy
   */
  latest?: () => Project | null;
  /** applies what others wrote to the project (the sync has applied it to its own copy too) */
  dispatch(change: ProjectChange): void;
  onView(view: RecordSyncView): void;
  /** how long after a round the next runs on its own; default {@link PULL_EVERY_MS} */
  pullEveryMs?: number;
  /**
   * checks the server's audit log against the head this browser kept, after each round's pull
   * (logWitness.ts): an alarm to tell the person, and a note, each or null
   */
  witness?: () => Promise<{ alarm: string | null; note: string | null }>;
}

/** The running sync of one linked project. */
export interface RecordSync {
  /** the project changed: queue what differs and send it */
  projectChanged(project: Project): void;
  /** send and pull now (opened, back online, signed in again) */
  sync(): Promise<void>;
  /** the person's choice for a conflict */
  settle(key: string, choice: 'mine' | 'theirs'): Promise<void>;
  destroy(): void;
}

/** Starts the sync of `link`'s project; runs a first round at once. */
export function createRecordSync(params: RecordSyncParams): RecordSync {
  let link = params.link;
  let offline = false;
  let syncing = false;
  let problem: string | null = null;
  let again = false;
  let running: Promise<void> | null = null;
  let destroyed = false;
  let lastSynced: string | null = null;
  let logChanged: string | null = null;
  let logNote: string | null = null;
  let next: ReturnType<typeof setTimeout> | undefined;
  const every = params.pullEveryMs ?? PULL_EVERY_MS;
  // the project as this sync last saw it: given by the screens, and with what others wrote applied
  // at once, so a round that starts before the screens show the pulled changes cannot send the
  // older values back
  let current = params.project;

  const show = () => {
    if (!destroyed)
      params.onView({
        state: link.state,
        offline,
        syncing,
        problem,
        lastSynced,
        ...(logChanged === null ? {} : { logChanged }),
        ...(logNote === null ? {} : { logNote }),
      });
  };
  async function keep(state: RecordSyncState) {
    // a sync ended (the share was ended) writes nothing more: its link is gone
    if (destroyed) return;
    link = { ...link, state };
    show();
    await params.store.put(link);
  }

  async function round() {
    syncing = true;
    show();
    try {
      await keep(queueLocalChanges(link.state, current));
      const pushed = await pushQueued(link.state, params.transport);
      // a server that cannot save (its disk full, its clock wrong) was reached: said in its words
      const unsaved = pushed.stoppedBy instanceof TeamError && pushed.stoppedBy.cannotSave;
      offline = pushed.offline && !unsaved;
      await keep(pushed.state);
      if (unsaved) {
        problem = `${(pushed.stoppedBy as TeamError).message} ${KEPT_UNTIL_SAVED}`;
        return;
      }
      if (pushed.offline) return;
      const answer = await fetchShared(link.state.head, params.transport);
      // put into the project as it is now the answer is in, with the edits made while it came:
      // one the round did not send is not put back over, whatever the server answered
      const base = latest();
      const pulled = takeShared(link.state, base, answer);
      commit(base, pulled.changes);
      await keep(pulled.state);
      // once said, a changed log stays said: the witness keeps the evidence, and so does the view;
      // the note stays until the witness could check (a failed check changes neither)
      if (params.witness !== undefined) {
        const witnessed = await params.witness().catch(() => null);
        logChanged = witnessed?.alarm ?? logChanged;
        if (witnessed !== null) logNote = witnessed.note;
      }
      problem = null;
      lastSynced = new Date().toISOString();
    } catch (error) {
      if (error instanceof TypeError || (error instanceof TeamError && error.offline)) offline = true;
      else problem = error instanceof Error ? error.message : 'The team server could not be asked.';
    } finally {
      syncing = false;
      show();
    }
  }

  /** The project as it is this instant: the session's, or the last this sync saw. */
  function latest(): Project {
    const now = params.latest?.();
    return now != null && now.meta.id === current.meta.id ? now : current;
  }

  /** Makes `changes`, made against `base`, in this sync's copy and the project. */
  function commit(base: Project, changes: readonly ProjectChange[]) {
    if (changes.length === 0) return;
    current = applyChanges(base, changes, new Date().toISOString());
    for (const change of changes) params.dispatch(change);
  }

  /** Puts `records` (a choice's) into the project as it is this instant. */
  function apply(records: readonly AppliedRecord[]) {
    if (records.length === 0) return;
    const base = latest();
    commit(base, putRecords(base, records, new Date().toISOString()));
  }

  function sync(): Promise<void> {
    if (destroyed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again && !destroyed);
      running = null;
      // the next round on its own, counted from this one (a round for a change resets it)
      clearTimeout(next);
      if (!destroyed) next = setTimeout(() => void sync(), every);
    })();
    return running;
  }

  void sync();
  return {
    projectChanged(project) {
      current = project;
      void sync();
    },
    sync,
    async settle(key, choice) {
      if (running) await running;
      const settled = settleConflict(link.state, current, key, choice);
      apply(settled.applied);
      await keep(settled.state);
      await sync();
    },
    destroy() {
      destroyed = true;
      clearTimeout(next);
    },
  };
}

/**
 * Runs `sync` when the browser is back online and when the person comes back to the window (it
 * gets the focus, or its tab is shown again): what waited is sent and what others changed is
 * heard at once. Returns the way to stop listening.
 */
export function syncWhenBack(
  sync: () => unknown,
  win: Window = window,
  doc: Document = document,
): () => void {
  const now = () => void sync();
  const visible = () => {
    if (doc.visibilityState === 'visible') void sync();
  };
  win.addEventListener('online', now);
  win.addEventListener('focus', now);
  doc.addEventListener('visibilitychange', visible);
  return () => {
    win.removeEventListener('online', now);
    win.removeEventListener('focus', now);
    doc.removeEventListener('visibilitychange', visible);
  };
}
