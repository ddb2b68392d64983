/**
 * Others' changes to a shared project, heard as they happen: one `EventSource` per open team
 * project on the server's event stream (`/api/projects/<id>/events`), which says the kind of each
 * change and never its content. Whoever shows something of that kind reloads it through the
 * routes it already reads.
 *
 * Constraints:
 * - One stream per team project in this page, however many screens listen ({@link listenToTeam}
 *   counts them): a browser holds few connections per server, and the server bounds streams per
 *   person.
 * - The browser reconnects a dropped stream itself; a refused or ended one (401, 404, 429, a
 *   stop) is reconnected here after a wait that doubles up to {@link RECONNECT_MAX_MS}. A stream
 *   that opens again after a drop tells every listener, since changes made while it was down were
 *   not heard.
 * - A burst of events runs a listener's reload once, {@link COALESCE_MS} after the first.
 * - A listener that names its own changes (`own`) is not reloaded by their echo: the server tells
 *   a change's id (the request's, core `CHANGE_ID_HEADER`) back to the person who made it, and the
 *   screen that sent it shows it already. Every other change, and every change without an id
 *   (another person's, another screen's or tab's), reloads it as before.
 * - The pulls the screens ran before stay, as the fallback while the stream is down.
 */

import { pathOf, projectEventsRoute } from '../../core/teamApi/index.ts';
import { parseTeamChange, type TeamChangeKind } from '../../core/teamRecords/index.ts';

/** The first wait before a refused or ended stream is opened again. */
export const RECONNECT_FIRST_MS = 2_000;
/** The longest wait between attempts. */
const RECONNECT_MAX_MS = 60_000;
/** Events within this long of the first run one reload. */
export const COALESCE_MS = 300;

/** What of `EventSource` the stream uses (the browser's, or the tests' fake). */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

/** Makes an {@link EventSourceLike} for a URL. */
type EventSourceFactory = (url: string) => EventSourceLike;

/** `EventSource.CLOSED`: the browser will not reconnect by itself. */
const CLOSED = 2;

/** What {@link createTeamChangeStream} needs. */
interface TeamChangeStreamParams {
  url: string;
  /**
   * a change of `kind` was made (`change`: the id this person's page gave it); `missed`: the
   * stream opened again after a drop (anything may have changed)
   */
  onChange(kind: TeamChangeKind | 'missed', change?: string): void;
  /** whether the stream is open, at each change of it */
  onLive?(live: boolean): void;
  /** default the browser's `EventSource` */
  open?: EventSourceFactory;
}

/** One project's stream, kept open until destroyed. */
interface TeamChangeStream {
  update(params: Partial<Pick<TeamChangeStreamParams, 'onChange' | 'onLive'>>): void;
  /** whether the stream is open now */
  live(): boolean;
  destroy(): void;
}

/** Opens `params.url`'s stream and keeps it open until destroyed. */
function createTeamChangeStream(initial: TeamChangeStreamParams): TeamChangeStream {
  const params = { ...initial };
  const open: EventSourceFactory =
    params.open ?? ((url) => new globalThis.EventSource(url) as unknown as EventSourceLike);
  let source: EventSourceLike | undefined;
  let live = false;
  let wasOpen = false;
  let wait = RECONNECT_FIRST_MS;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;

  const setLive = (now: boolean) => {
    if (live === now) return;
    live = now;
    params.onLive?.(now);
  };
  const connect = () => {
    if (destroyed) return;
    const next = open(params.url);
    source = next;
    next.onopen = () => {
      wait = RECONNECT_FIRST_MS;
      setLive(true);
      if (wasOpen) params.onChange('missed');
      wasOpen = true;
    };
    next.onmessage = (event) => {
      const change = parseTeamChange(event.data);
      if (change !== undefined) params.onChange(change.kind, change.change);
    };
    next.onerror = () => {
      setLive(false);
      // the browser reconnects a dropped stream itself; a refused or ended one is ours to retry
      if (next.readyState !== CLOSED || destroyed) return;
      next.close();
      clearTimeout(retry);
      retry = setTimeout(connect, wait);
      wait = Math.min(wait * 2, RECONNECT_MAX_MS);
    };
  };
  connect();
  return {
    update(changed) {
      Object.assign(params, changed);
    },
    live: () => live,
    destroy() {
      destroyed = true;
      clearTimeout(retry);
      source?.close();
      source = undefined;
      live = false;
    },
  };
}

/** One change of a burst: its kind, and its id when the server told it back to its maker. */
export interface HeardChange {
  kind: TeamChangeKind | 'missed';
  change?: string;
}

/** One screen's interest in a project's changes. */
interface TeamChangeListener {
  /** the kinds it shows */
  kinds: readonly TeamChangeKind[];
  /**
   * `heard`: the kinds of this burst that it shows ('missed': the stream opened again after a
   * drop); `changes`: each change of the burst it was told of, in order, with its id if any
   */
  reload(heard: ReadonlySet<TeamChangeKind | 'missed'>, changes: readonly HeardChange[]): unknown;
  /**
   * whether the change with this id is one the listener made itself (and shows already): its
   * echo does not reload it
   */
  own?(change: string): boolean;
}

/** A reload waiting out its burst, with the kinds heard so far. */
interface PendingReload {
  timer: ReturnType<typeof setTimeout>;
  heard: Set<TeamChangeKind | 'missed'>;
  changes: HeardChange[];
}

interface Listened {
  stream: TeamChangeStream;
  listeners: Map<TeamChangeListener, PendingReload | undefined>;
}

/** The page's streams, by URL. */
const listened = new Map<string, Listened>();

/** The URL of `projectId`'s stream on the server at `base` ('' for the page's own). */
function teamChangesUrl(base: string, projectId: string): string {
  return `${base}${pathOf(projectEventsRoute, { projectId })}`;
}

/**
 * Runs `listener.reload` when a change of one of its kinds is made in `projectId` (and when the
 * stream opens again after a drop), with the kinds of the burst, opening the project's stream with the first listener and
 * closing it with the last. Returns the way to stop listening. `open`: the tests' EventSource.
 */
export function listenToTeam(
  base: string,
  projectId: string,
  listener: TeamChangeListener,
  open?: EventSourceFactory,
): () => void {
  // a page without EventSource (an old browser, the component tests' DOM) keeps its pulls alone
  if (open === undefined && typeof globalThis.EventSource !== 'function') return () => undefined;
  const url = teamChangesUrl(base, projectId);
  let entry = listened.get(url);
  if (entry === undefined) {
    const listeners: Listened['listeners'] = new Map();
    const stream = createTeamChangeStream({
      url,
      open,
      onChange(kind, change) {
        for (const [one, pending] of listeners) {
          if (kind !== 'missed' && !one.kinds.includes(kind)) continue;
          if (change !== undefined && one.own?.(change) === true) continue;
          const told: HeardChange = change === undefined ? { kind } : { kind, change };
          if (pending !== undefined) {
            pending.heard.add(kind);
            pending.changes.push(told);
            continue;
          }
          const heard = new Set([kind]);
          const changes = [told];
          const timer = setTimeout(() => {
            if (!listeners.has(one)) return;
            listeners.set(one, undefined);
            void one.reload(heard, changes);
          }, COALESCE_MS);
          listeners.set(one, { timer, heard, changes });
        }
      },
    });
    entry = { stream, listeners };
    listened.set(url, entry);
  }
  const { listeners, stream } = entry;
  listeners.set(listener, undefined);
  return () => {
    clearTimeout(listeners.get(listener)?.timer);
    listeners.delete(listener);
    if (listeners.size === 0 && listened.get(url)?.stream === stream) {
      stream.destroy();
      listened.delete(url);
    }
  };
}

/** Whether `projectId`'s stream is open in this page now (the pulls' fallback can then rest). */
export function teamChangesLive(base: string, projectId: string): boolean {
  return listened.get(teamChangesUrl(base, projectId))?.stream.live() ?? false;
}
