/**
 * The `audit` store (database version 4): the sign-off audit chain of each project
 * (src/core/signoff/auditChain.ts), one record per entry, keyed by `[projectId, seq]`, with a
 * unique index `byDecision` on `[projectId, reviewId, decisionId]`.
 *
 * Constraints:
 * - Append-only: entries are only ever written with `add()` (which fails on an existing key, so a
 *   race can never overwrite one), inside the same strict transaction that stores the decisions
 *   they record. Nothing in storage puts, deletes or clears an audit record — not a project's
 *   autosave (its full-snapshot write deletes and rewrites the `documents` store only), not
 *   deleting a project (the chain outlives it; it holds no record content). Only wiping the whole
 *   database removes it.
 * - Holds ids, hashes and outcomes, never record content.
 * - Entries are computed synchronously: an IndexedDB transaction commits as soon as nothing is
 *   pending, so nothing but requests may be awaited inside it.
 */
import type { IDBPObjectStore } from 'idb';
import { pendingAuditEntries } from '../core/signoff/auditChain.ts';
import type { AuditEntry, ChainEntry } from '../formats/auditLog.ts';
import type { Review } from '../formats/review.ts';
import type { AuditRecord, PreflightDbSchema, PreflightStoreName } from './dbSchema.ts';

export type { AuditRecord } from './dbSchema.ts';

type AuditStore = IDBPObjectStore<PreflightDbSchema, ArrayLike<PreflightStoreName>, 'audit', 'readwrite'>;
type AuditReadStore = IDBPObjectStore<
  PreflightDbSchema,
  ArrayLike<PreflightStoreName>,
  'audit',
  IDBTransactionMode
>;

/** The key range of one project's entries. */
export function projectAuditRange(projectId: string): IDBKeyRange {
  return IDBKeyRange.bound([projectId, 0], [projectId, Number.MAX_SAFE_INTEGER]);
}

/** The record as an entry (without `projectId`). */
export function toAuditEntry(record: AuditRecord): ChainEntry {
  const { projectId: _project, ...entry } = record;
  return entry;
}

/**
 * Inside a project write: appends, with `add()`, an entry for every decision of `reviews` that
 * the project's chain does not record yet, after the chain's current head. Returns the entries.
 */
export async function appendDecisionEntries(
  store: AuditStore,
  projectId: string,
  reviews: readonly Review[],
): Promise<AuditEntry[]> {
  if (!reviews.some((r) => r.decisions.length > 0)) return [];
  const byDecision = store.index('byDecision');
  const logged = new Set<string>();
  for (const review of reviews) {
    for (const decision of review.decisions) {
      const key = await byDecision.getKey([projectId, review.id, decision.id]);
      if (key !== undefined) logged.add(decision.id);
    }
  }
  // ids are per review: a decision id of one review is unknown to the others' check above
  const pending = reviews.flatMap((review) => {
    const unlogged = review.decisions.filter((d) => !logged.has(d.id));
    return unlogged.length ? [{ ...review, decisions: unlogged }] : [];
  });
  if (pending.length === 0) return [];
  const cursor = await store.openCursor(projectAuditRange(projectId), 'prev');
  const head = cursor ? toAuditEntry(cursor.value) : undefined;
  const entries = pendingAuditEntries(head, pending, new Set());
  await Promise.all(entries.map((entry) => store.add({ ...entry, projectId })));
  return entries;
}

/** Every entry of a project's chain, oldest first. */
export async function readProjectAudit(store: AuditReadStore, projectId: string): Promise<ChainEntry[]> {
  const records = await store.getAll(projectAuditRange(projectId));
  return records.map(toAuditEntry);
}
