/**
 * Keeping a local project's shared records in step with the team server: what changed locally
 * is queued as writes, the queue is sent in order, and what others wrote is pulled and put into
 * the project. Each record has one version, numbered by the server; a write names the version it
 * was based on, and the server refuses a write based on an older one (409, with what it holds).
 * Such a conflict is kept with both sides until the person chooses — never resolved here.
 *
 * Constraints:
 * - Pure state in, state out (`RecordSyncState` is plain JSON, so the app stores it as it is and a
 *   reload loses no queued write); the only effects are the transport's calls.
 * - The queue keeps the order of the changes; two changes to one record before it is sent
 *   become one write (the later body, the earlier base version).
 * - A write the server refuses for what it is (a role that may not write it, a body the format
 *   refuses, record content) is kept aside with the server's reason and not sent again; a
 *   network failure stops the round and keeps the rest queued, in order.
 */
import type { Project } from '../../formats/project.ts';
import { applyChanges, type ProjectChange } from '../project/changes.ts';
import { KIND_RULES, type LocalRecord, localRecords, recordSha256, type SharedRecordKind } from './kinds.ts';
import { recordContentProblem } from './neverSent.ts';

/** A record as the server holds it. */
export interface SharedRecord {
  kind: SharedRecordKind;
  id: string;
  /** the server's sequence number of its last write: every write of the project takes the next */
  version: number;
  /** null: removed */
  body: unknown | null;
  sha256: string;
  by: string;
  at: string;
}

/** A write waiting to be sent. */
export interface PendingWrite {
  kind: SharedRecordKind;
  id: string;
  /** the version it was based on; 0 for a record the server does not have yet */
  baseVersion: number;
  body: unknown | null;
  sha256: string;
}

/**
 * A record put into the project by a pull or a choice. The changes returned beside it were made
 * against the project given; a caller whose project may have moved on meanwhile (the person kept
 * typing during the round) makes them again against its latest with {@link putRecords}.
 */
export interface AppliedRecord {
  kind: SharedRecordKind;
  id: string;
  body: unknown | null;
}

/** The changes that put `records` into `project`, in order, each against the project so far. */
export function putRecords(
  project: Project,
  records: readonly AppliedRecord[],
  now: string,
): ProjectChange[] {
  let current = project;
  const changes: ProjectChange[] = [];
  for (const r of records) {
    const put = KIND_RULES[r.kind].put?.(current, r.id, r.body) ?? [];
    current = applyChanges(current, put, now);
    changes.push(...put);
  }
  return changes;
}

/** A write the server refused because someone else wrote the record first: both sides kept. */
export interface RecordConflict {
  mine: PendingWrite;
  theirs: SharedRecord;
}

/** A write the server refused for what it is, with its reason. */
export interface RefusedWrite {
  write: PendingWrite;
  status: number;
  reason: string;
}

/** Everything the app keeps about one local project's link to the server. */
export interface RecordSyncState {
  /** the highest version pulled */
  head: number;
  /**
   * per record key (`kind/id`): the version and SHA-256 last agreed with the server; `heldLocal`:
   * the SHA-256 of a local body the person chose not to send (the server's was kept for a kind
   * that cannot be put into a local project), so it is not queued again until it changes
   */
  known: Record<string, { version: number; sha256: string; heldLocal?: string }>;
  pending: PendingWrite[];
  conflicts: RecordConflict[];
  refused: RefusedWrite[];
}

/** What the server answers to a write. */
export type PutAnswer = { ok: true; record: SharedRecord } | { ok: false; current: SharedRecord };

/** The way to the server (the app's HTTP client; the tests give one straight to a test server). */
export interface RecordTransport {
  pull(after: number): Promise<{ head: number; records: SharedRecord[] }>;
  put(write: PendingWrite): Promise<PutAnswer>;
}

/** Thrown by a transport for a refusal the server gave (not a network failure). */
export class RecordRefusal extends Error {
  override name = 'RecordRefusal';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The state of a project not linked yet, or just linked. */
export function emptySyncState(): RecordSyncState {
  return { head: 0, known: {}, pending: [], conflicts: [], refused: [] };
}

/** The key of a record in {@link RecordSyncState.known}. */
export const recordKey = (r: { kind: string; id: string }) => `${r.kind}/${r.id}`;

/**
 * Kinds whose records missing here are removals to send: those put back into a local project, but
 * the roster, which a project has not until its sign-off starts and never removes.
 */
const applicable = (kind: SharedRecordKind) => KIND_RULES[kind].put !== undefined && kind !== 'roster';

/**
 * `state` with a write queued for every record of `project` that differs from what was last
 * agreed with the server or queued (removals included). Records the never-sent guard refuses go
 * straight to `refused`, never to the queue.
 */
export function queueLocalChanges(state: RecordSyncState, project: Project): RecordSyncState {
  const records = localRecords(project);
  const latest = new Map<string, string>();
  for (const w of state.pending) latest.set(recordKey(w), w.sha256);
  const local = new Map<string, LocalRecord>(records.map((r) => [recordKey(r), r]));
  let pending = [...state.pending];
  let refused = state.refused;
  const queue = (record: { kind: SharedRecordKind; id: string }, body: unknown | null) => {
    const key = recordKey(record);
    const sha256 = recordSha256(body);
    const known = state.known[key];
    const queued = latest.get(key);
    if (queued === sha256 || (queued === undefined && (known?.sha256 ?? '') === sha256)) return;
    if (queued === undefined && known?.heldLocal === sha256) return;
    if (state.conflicts.some((c) => recordKey(c.mine) === key)) return;
    // refused as it is: sent again only once it is changed
    if (refused.some((r) => recordKey(r.write) === key && r.write.sha256 === sha256)) return;
    const problem = body === null ? undefined : recordContentProblem(body);
    if (problem !== undefined) {
      const write = { kind: record.kind, id: record.id, baseVersion: known?.version ?? 0, body, sha256 };
      refused = [
        ...refused.filter((r) => recordKey(r.write) !== key),
        { write, status: 400, reason: problem },
      ];
      return;
    }
    const earlier = pending.find((w) => recordKey(w) === key);
    pending = pending.filter((w) => recordKey(w) !== key);
    pending.push({
      kind: record.kind,
      id: record.id,
      baseVersion: earlier?.baseVersion ?? known?.version ?? 0,
      body,
      sha256,
    });
  };
  for (const record of records) queue(record, record.body);
  for (const key of Object.keys(state.known)) {
    const [kind, ...rest] = key.split('/');
    const record = { kind: kind as SharedRecordKind, id: rest.join('/') };
    if (!local.has(key) && applicable(record.kind) && state.known[key]?.sha256 !== '') queue(record, null);
  }
  return { ...state, pending, refused };
}

/** Whether `error` is a failure to reach the server (kept queued) rather than a refusal. */
const isRefusal = (error: unknown): error is RecordRefusal => error instanceof RecordRefusal;

/**
 * Sends the queue in order. Each write sent is agreed; a stale one becomes a conflict; one refused
 * for what it is is kept aside. Stops at the first failure that is not a refusal (the network,
 * a server that cannot save now), keeping it and the rest queued (`offline` then says so, and
 * `stoppedBy` is the failure, for the words the app shows).
 */
export async function pushQueued(
  state: RecordSyncState,
  transport: RecordTransport,
): Promise<{ state: RecordSyncState; offline: boolean; stoppedBy?: unknown }> {
  let s = state;
  while (s.pending.length > 0) {
    const [write, ...rest] = s.pending as [PendingWrite, ...PendingWrite[]];
    let answer: PutAnswer;
    try {
      answer = await transport.put(write);
    } catch (error) {
      if (!isRefusal(error)) return { state: s, offline: true, stoppedBy: error };
      const key = recordKey(write);
      s = {
        ...s,
        pending: rest,
        refused: [
          ...s.refused.filter((r) => recordKey(r.write) !== key),
          { write, status: error.status, reason: error.message },
        ],
      };
      continue;
    }
    const key = recordKey(write);
    s = answer.ok
      ? {
          ...s,
          pending: rest,
          known: { ...s.known, [key]: { version: answer.record.version, sha256: answer.record.sha256 } },
        }
      : { ...s, pending: rest, conflicts: [...s.conflicts, { mine: write, theirs: answer.current }] };
  }
  return { state: s, offline: false };
}

/** What a pull of the server's records since a version answers: its head and the records, in order. */
export interface PulledRecords {
  head: number;
  records: SharedRecord[];
}

/** The records the server holds since version `after`, every page of them (only the transport's calls). */
export async function fetchShared(after: number, transport: RecordTransport): Promise<PulledRecords> {
  let head = after;
  let from = after;
  const records: SharedRecord[] = [];
  for (;;) {
    const answer = await transport.pull(from);
    records.push(...answer.records);
    head = Math.max(head, answer.head);
    // the next page starts after this page's last record, never at the server's head: the records
    // between them are the ones the next page holds
    const last = answer.records.at(-1)?.version;
    if (last === undefined || last >= answer.head) break;
    from = last;
  }
  return { head, records };
}

/**
 * The keys of the records `project` changed since they were last agreed with the server or queued:
 * what the next {@link queueLocalChanges} queues or queues again (not what it would refuse).
 */
function unsentKeys(state: RecordSyncState, project: Project): Set<string> {
  const queued = new Map(state.pending.map((w) => [recordKey(w), w.sha256]));
  return new Set(
    queueLocalChanges(state, project)
      .pending.filter((w) => queued.get(recordKey(w)) !== w.sha256)
      .map(recordKey),
  );
}

/**
 * Puts `pulled` (what {@link fetchShared} answered) into `project`: the changes, the records put
 * (for a caller whose project moved on meanwhile), and the state. Pure, so a caller gives the
 * project as it is once the answer is in, not as it was when the pull was asked.
 *
 * Never over a newer local change:
 * - a record at a version already agreed (the server's copy of this browser's own write, pulled
 *   after it was answered) is nothing new, and is not put back over what was changed since;
 * - a record with a queued write or an open conflict is not overwritten: a queued write whose body
 *   the server now holds is agreed; one that differs will meet a 409 when sent;
 * - a record the project changed since it was agreed or queued, not queued yet (changed during the
 *   round), is not overwritten either: the next round queues it on the version agreed, so a newer
 *   one from someone else meets a 409 and is the person's choice, in the shared-records bar (the
 *   roster excepted: its put only adds the changes the local chain lacks).
 */
export function takeShared(
  state: RecordSyncState,
  project: Project,
  pulled: PulledRecords,
): { state: RecordSyncState; changes: ProjectChange[]; applied: AppliedRecord[] } {
  return take(state, project, pulled, unsentKeys(state, project));
}

function take(
  state: RecordSyncState,
  project: Project,
  pulled: PulledRecords,
  unsent: ReadonlySet<string>,
): { state: RecordSyncState; changes: ProjectChange[]; applied: AppliedRecord[] } {
  let current = project;
  const changes: ProjectChange[] = [];
  const applied: AppliedRecord[] = [];
  const known = { ...state.known };
  let pending = state.pending;
  let refused = state.refused;
  let conflicts = state.conflicts;
  for (const record of pulled.records) {
    const key = recordKey(record);
    if ((known[key]?.version ?? 0) >= record.version) continue;
    const queued = pending.find((w) => recordKey(w) === key);
    const held = queued !== undefined && queued.sha256 === record.sha256;
    if (held) pending = pending.filter((w) => w !== queued);
    else if (queued !== undefined || conflicts.some((c) => recordKey(c.mine) === key)) continue;
    // the roster's put only catches its chain up, and a chain gone apart is a choice: it never
    // drops a change made here, so it is put as it comes
    if (unsent.has(key) && record.kind !== 'roster') {
      // changed here since: the server's copy of what was queued is agreed, and the change is
      // sent on it next; anyone else's copy waits for that change to meet it
      if (held) {
        known[key] = { version: record.version, sha256: record.sha256 };
        refused = refused.filter((r) => recordKey(r.write) !== key);
      }
      continue;
    }
    const local = KIND_RULES[record.kind].recordsOf(current).find((r) => r.id === record.id);
    const localSha = local === undefined ? '' : recordSha256(local.body);
    const put =
      localSha === record.sha256 ? [] : KIND_RULES[record.kind].put?.(current, record.id, record.body);
    if (put === undefined && local !== undefined) {
      // a record that cannot be put into the local project (a roster whose chain went apart
      // from this one), different here: neither side is overwritten; the person chooses
      const mine = {
        kind: record.kind,
        id: record.id,
        baseVersion: known[key]?.version ?? 0,
        body: local.body,
        sha256: localSha,
      };
      conflicts = [...conflicts.filter((c) => recordKey(c.mine) !== key), { mine, theirs: record }];
      continue;
    }
    known[key] = { version: record.version, sha256: record.sha256 };
    refused = refused.filter((r) => recordKey(r.write) !== key);
    if (put === undefined || put.length === 0) continue;
    current = applyChanges(current, put, record.at);
    changes.push(...put);
    applied.push({ kind: record.kind, id: record.id, body: record.body });
  }
  const head = Math.max(state.head, pulled.head);
  return { state: { ...state, head, known, pending, refused, conflicts }, changes, applied };
}

/**
 * Pulls what others wrote since the last pull and puts it into `project` ({@link takeShared}): the
 * changes, the records put and the state.
 */
export async function pullShared(
  state: RecordSyncState,
  project: Project,
  transport: RecordTransport,
): Promise<{ state: RecordSyncState; changes: ProjectChange[]; applied: AppliedRecord[] }> {
  return takeShared(state, project, await fetchShared(state.head, transport));
}

/**
 * A team project's shared records pulled into `empty`, a project just made in this browser for
 * it: the project holding them, and the state its link starts from — every record pulled agreed
 * with the server, nothing queued, so opening it sends nothing back. Kinds that are not put into
 * a local project (report summaries) stay on the server.
 */
export async function pullIntoNewProject(
  empty: Project,
  transport: RecordTransport,
  now: string,
): Promise<{ project: Project; state: RecordSyncState }> {
  // a project just made holds nothing anyone changed: the server's records go over all of it
  const pulled = take(emptySyncState(), empty, await fetchShared(0, transport), new Set());
  return { project: applyChanges(empty, pulled.changes, now), state: pulled.state };
}

/**
 * Settles a conflict as the person chose: `mine` queues their version again, based on the
 * server's (so it replaces it); `theirs` takes the server's into the project (the changes).
 */
export function settleConflict(
  state: RecordSyncState,
  project: Project,
  key: string,
  choice: 'mine' | 'theirs',
): { state: RecordSyncState; changes: ProjectChange[]; applied: AppliedRecord[] } {
  const conflict = state.conflicts.find((c) => recordKey(c.mine) === key);
  if (conflict === undefined) return { state, changes: [], applied: [] };
  const conflicts = state.conflicts.filter((c) => c !== conflict);
  const { theirs, mine } = conflict;
  if (choice === 'mine')
    return {
      state: { ...state, conflicts, pending: [...state.pending, { ...mine, baseVersion: theirs.version }] },
      changes: [],
      applied: [],
    };
  const put = KIND_RULES[theirs.kind].put?.(project, theirs.id, theirs.body);
  // a kind that cannot be put into a local project keeps the local body here, not sent again
  const held = put === undefined ? { heldLocal: mine.sha256 } : {};
  const known = { ...state.known, [key]: { version: theirs.version, sha256: theirs.sha256, ...held } };
  return {
    state: { ...state, conflicts, known },
    changes: put ?? [],
    applied: put === undefined ? [] : [{ kind: theirs.kind, id: theirs.id, body: theirs.body }],
  };
}
