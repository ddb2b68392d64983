/**
 * Test-only: the team server's ordering of a shared workflow's changes, in memory — one order,
 * a change id stored once, every answer the changes after the head asked from — and a transport
 * that can be switched offline. The real server (src/server/sharedWorkflows.ts) does the same in
 * its database; the tests against it prove that part.
 */
import type { Workflow } from '../../../../formats/workflow.ts';
import { applyOps } from '../ops.ts';
import type { PendingChange, ServerChange, SharedWorkflowTransport, SyncAnswer } from '../session.ts';

export class MemoryServer {
  readonly changes: ServerChange[] = [];
  document: Workflow;

  constructor(workflow: Workflow) {
    this.document = workflow;
  }

  get head(): number {
    return this.changes.length;
  }

  after(head: number): SyncAnswer {
    return { head: this.head, changes: this.changes.filter((c) => c.seq > head) };
  }

  store(author: string, after: number, pending: readonly PendingChange[]): SyncAnswer {
    for (const change of pending) {
      if (this.changes.some((c) => c.id === change.id)) continue;
      this.document = applyOps(this.document, change.ops).workflow;
      this.changes.push({ seq: this.head + 1, id: change.id, author, ops: structuredClone(change.ops) });
    }
    return this.after(after);
  }

  /** A transport for `author`; `online()` false makes every call fail as a lost network does. */
  transport(author: string, online: () => boolean = () => true): SharedWorkflowTransport {
    const reach = () => {
      if (!online()) throw new TypeError('Failed to fetch');
    };
    return {
      pull: async (after) => {
        reach();
        return this.after(after);
      },
      push: async (after, changes) => {
        reach();
        return this.store(author, after, changes);
      },
    };
  }
}
