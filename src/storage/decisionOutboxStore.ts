/**
 * Where a reviewer's decisions wait for the team server: a database of its own,
 * `preflight-decision-outbox`, one store `decisions` in the order they were made (an
 * auto-incremented key), each under its queue (a team project's review) and its client id. The
 * outbox (src/core/signoff/review/decisionOutbox.ts) reads and writes it through {@link outboxStorage}.
 *
 * Constraints:
 * - A decision is written in a strict-durability transaction, and `add` resolves once it is
 *   committed: the review screen moves on only then, so a decision on screen survives a crash.
 * - It holds decisions (record keys, findings, the reviewer's words), never record content.
 * - One connection, opened on demand, closed on `versionchange` (a wipe is never blocked).
 * - Uses the global `indexedDB` (fake-indexeddb/auto in vitest).
 */
import type { DBSchema } from 'idb';
import type { OutboxStorage, RefusedItem } from '../core/signoff/review/index.ts';
import type { Decision } from '../formats/review.ts';
import { toStorageError } from './errors.ts';
import { lazyDatabase } from './lazyDatabase.ts';
import { observed } from './transactionFailures.ts';

/** The database's name. */
export const DECISION_OUTBOX_DB_NAME = 'preflight-decision-outbox';
const VERSION = 1;

/** One waiting (or refused) decision. */
interface OutboxRow {
  /** the order made (absent until stored) */
  seq?: number;
  /** whose queue: a team project's review */
  queue: string;
  /** the decision's client id */
  id: string;
  decision: Decision;
  /** the server's words when it refused the decision */
  refused?: string;
}

interface DecisionOutboxSchema extends DBSchema {
  decisions: { key: number; value: OutboxRow; indexes: { byQueue: string; byId: [string, string] } };
}

/** The stored outboxes. Every method rejects with a StorageError when the browser refuses. */
export interface DecisionOutboxStore {
  /** the outbox storage of queue `queue` */
  outbox(queue: string): OutboxStorage<Decision>;
  close(): void;
}

/** Creates the store; nothing is opened until the first operation. */
export function createDecisionOutboxStore(name = DECISION_OUTBOX_DB_NAME): DecisionOutboxStore {
  const database = lazyDatabase<DecisionOutboxSchema>(name, VERSION, (database) => {
    const store = database.createObjectStore('decisions', { keyPath: 'seq', autoIncrement: true });
    store.createIndex('byQueue', 'queue');
    store.createIndex('byId', ['queue', 'id'], { unique: true });
  });
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toStorageError(error);
    }
  };
  return {
    outbox(queue) {
      return {
        load: () =>
          guarded(async () => {
            const tx = observed((await database.open()).transaction('decisions'));
            // an index lists equal keys in the order of the store's key: the order made
            const rows = await tx.store.index('byQueue').getAll(queue);
            const pending: Decision[] = [];
            const refused: RefusedItem<Decision>[] = [];
            for (const row of rows)
              if (row.refused === undefined) pending.push(row.decision);
              else refused.push({ item: row.decision, message: row.refused });
            return { pending, refused };
          }),
        add: (decision) =>
          guarded(async () => {
            const tx = observed(
              (await database.open()).transaction('decisions', 'readwrite', { durability: 'strict' }),
            );
            // kept once: adding it again (a migration run twice) changes nothing
            if ((await tx.store.index('byId').getKey([queue, decision.id])) === undefined)
              await tx.store.add({ queue, id: decision.id, decision });
            await tx.done;
          }),
        remove: (id) =>
          guarded(async () => {
            const tx = observed(
              (await database.open()).transaction('decisions', 'readwrite', { durability: 'strict' }),
            );
            const key = await tx.store.index('byId').getKey([queue, id]);
            if (key !== undefined) await tx.store.delete(key);
            await tx.done;
          }),
        refuse: (id, message) =>
          guarded(async () => {
            const tx = observed(
              (await database.open()).transaction('decisions', 'readwrite', { durability: 'strict' }),
            );
            const key = await tx.store.index('byId').getKey([queue, id]);
            const row = key === undefined ? undefined : await tx.store.get(key);
            if (row !== undefined) await tx.store.put({ ...row, refused: message });
            await tx.done;
          }),
      };
    },
    close() {
      database.close();
    },
  };
}
