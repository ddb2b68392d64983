/**
 * One person's copy of a shared workflow: what the server has confirmed, the changes made here
 * that it has not confirmed yet, and the workflow shown (the confirmed one with those changes
 * replayed on it). Offline, changes wait here (the state is plain JSON: the app keeps it across
 * reloads); on reconnect they are sent with the ids they were made with, so a change sent twice
 * (an answer lost on the way back) is stored once, and none is lost.
 *
 * As it replays, it finds what of its own changes lost to someone else's removal (conflicts.ts)
 * and keeps that with the rest of its state until the person dismisses it.
 *
 * Constraints: pure apart from the transport it is given; every answer from the server carries
 * the changes after the head this copy knows, in the server's order, and the copy replays them
 * in that order, so every copy that has heard the same head shows the same workflow.
 */
import type { Workflow } from '../../../formats/workflow.ts';
import { type ConflictMemory, Conflicts, type LostEdit } from './conflicts.ts';
import { applyOps, diffWorkflows, type SharedOp, type SkipReason } from './ops.ts';

/** A change made here, not yet confirmed by the server. */
export interface PendingChange {
  /** unique across every copy: `<copy id>:<counter>` */
  id: string;
  ops: SharedOp[];
}

/** A change as the server ordered it. */
export interface ServerChange {
  /** its place in the workflow's order: 1, 2, 3… */
  seq: number;
  id: string;
  /** who made it (their name as the identity provider gives it) */
  author: string;
  /** when the server stored it (ISO 8601), when the server says */
  at?: string;
  ops: SharedOp[];
}

/** The server's answer to a push or a pull: every change after the head asked from. */
export interface SyncAnswer {
  head: number;
  changes: ServerChange[];
}

/** How a copy reaches the server (HTTP in the app and the tests). */
export interface SharedWorkflowTransport {
  /** the changes after `after` */
  pull(after: number): Promise<SyncAnswer>;
  /** stores `changes` after the server's current head; answers with every change after `after` */
  push(after: number, changes: readonly PendingChange[]): Promise<SyncAnswer>;
}

/** Everything a copy keeps across reloads and while offline. */
export interface SharedCopyState {
  copyId: string;
  counter: number;
  /** the workflow with the changes up to `head` */
  confirmed: Workflow;
  head: number;
  pending: PendingChange[];
  /** what of this copy's changes lost to others' removals, and what it remembers to tell them (absent in copies kept before) */
  conflicts?: ConflictMemory;
}

/** A change of someone's that could not take full effect here, to tell the person. */
interface MergeNote {
  changeId: string;
  author: string;
  reason: SkipReason;
  op: SharedOp;
}

/** A copy of one shared workflow. */
export class SharedWorkflowCopy {
  private state: SharedCopyState;
  private shown: Workflow;
  /** what the last changes heard from the server could not do (an edit of a removed step…) */
  notes: MergeNote[] = [];
  /** the changes the last answer brought, in the server's order (others' and this copy's own) */
  heard: ServerChange[] = [];

  private conflicts: Conflicts;

  constructor(state: SharedCopyState) {
    this.state = structuredClone(state);
    this.conflicts = new Conflicts(this.state.conflicts);
    this.shown = this.replayPending();
  }

  /** A new copy of the workflow as the server gave it at `head`. */
  static opened(copyId: string, workflow: Workflow, head: number): SharedWorkflowCopy {
    return new SharedWorkflowCopy({ copyId, counter: 0, confirmed: workflow, head, pending: [] });
  }

  /** The workflow as this person sees it. */
  get workflow(): Workflow {
    return this.shown;
  }

  get head(): number {
    return this.state.head;
  }

  /** Changes made here that the server has not confirmed. */
  get pending(): readonly PendingChange[] {
    return this.state.pending;
  }

  /**
   * What of this copy's changes lost to someone else's removal, oldest first, until the person
   * dismisses it: kept across reloads with the rest of the copy.
   */
  get lost(): readonly LostEdit[] {
    return this.conflicts.memory.lost;
  }

  /** Forgets a lost edit the person has read (or put back). */
  dismissLost(id: string): void {
    this.conflicts.dismiss(id);
  }

  /** A copy of what to keep (for reloads and offline). */
  snapshot(): SharedCopyState {
    return structuredClone({ ...this.state, conflicts: this.conflicts.memory });
  }

  /**
   * Records that the person turned the shown workflow into `next` (any edit, undo or paste);
   * nothing is recorded when nothing differs.
   */
  change(next: Workflow): void {
    const ops = diffWorkflows(this.shown, next);
    this.shown = next;
    if (ops.length === 0) return;
    this.state.counter += 1;
    this.state.pending.push({ id: `${this.state.copyId}:${this.state.counter}`, ops });
  }

  /**
   * Sends what waits and hears what others did. Throws what the transport throws (offline: the
   * changes stay pending, and the next sync sends them). `now` dates what is heard when the
   * server does not say when it was made.
   */
  async sync(transport: SharedWorkflowTransport, now: () => number = Date.now): Promise<void> {
    const waiting = [...this.state.pending];
    const answer =
      waiting.length > 0
        ? await transport.push(this.state.head, waiting)
        : await transport.pull(this.state.head);
    this.hear(answer, new Date(now()).toISOString());
  }

  /**
   * Takes in the server's changes after this copy's head (others' and this copy's own), heard at
   * `heardAt` (ISO 8601).
   */
  hear(answer: SyncAnswer, heardAt: string = new Date().toISOString()): void {
    const notes: MergeNote[] = [];
    const mine = new Set(this.state.pending.map((p) => p.id));
    let foreign = false;
    let confirmed = this.state.confirmed;
    let head = this.state.head;
    const confirmedIds = new Set<string>();
    const heard: ServerChange[] = [];
    for (const change of [...answer.changes].sort((a, b) => a.seq - b.seq)) {
      if (change.seq <= head) continue;
      heard.push(change);
      const result = applyOps(confirmed, change.ops);
      this.conflicts.replayed(
        change,
        confirmed,
        result.workflow,
        mine.has(change.id),
        result.skipped.filter((s) => s.reason === 'removed').map((s) => s.index),
        change.at ?? heardAt,
        change.at !== undefined,
      );
      confirmed = result.workflow;
      head = change.seq;
      confirmedIds.add(change.id);
      if (!mine.has(change.id)) foreign = true;
      for (const { index, reason } of result.skipped)
        notes.push({ changeId: change.id, author: change.author, reason, op: change.ops[index] as SharedOp });
    }
    this.state.confirmed = confirmed;
    this.state.head = Math.max(head, this.state.head);
    this.state.pending = this.state.pending.filter((p) => !confirmedIds.has(p.id));
    this.notes = notes;
    this.heard = heard;
    // only this copy's own changes came back, in the order it made them: what is shown is already
    // their result, and keeping the same object tells the editor nothing changed
    if (foreign) this.shown = this.replayPending();
  }

  private replayPending(): Workflow {
    return this.state.pending.reduce((w, change) => applyOps(w, change.ops).workflow, this.state.confirmed);
  }
}
