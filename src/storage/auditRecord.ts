/**
 * The `audit` store (database version 4): the sign-off audit chain of each project
 * (src/core/signoff/signing/auditChain.ts), one record per entry, keyed by `[projectId, seq]`, with a
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
import { planHash } from '../core/signoff/sampling/index.ts';
import {
  pendingAuditEntries,
  pendingTrailEntries,
  type TrailSources,
  trailKey,
  trailSubjects,
} from '../core/signoff/signing/index.ts';
import type { AuditEntry, ChainEntry, TrailAuditEntry } from '../formats/auditLog.ts';
import type { Project } from '../formats/project.ts';
import type { Review } from '../formats/review.ts';
import { readSteeringDecisions, type SteeringDecision } from '../formats/steering.ts';
import type { AuditRecord, PreflightDbSchema, PreflightStoreName } from './dbSchema.ts';

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

/**
 * Inside a project write: appends, with `add()`, a trail entry (src/core/signoff/signing/auditChain.ts) for
 * every step of `sources` the project's chain does not record yet — roster changes, plan locks,
 * samples drawn, packets exported, results merged — after the chain's current head.
 */
export async function appendTrailEntries(
  store: AuditStore,
  projectId: string,
  sources: TrailSources,
): Promise<TrailAuditEntry[]> {
  const subjects = trailSubjects(sources);
  if (subjects.length === 0) return [];
  const chain = (await store.getAll(projectAuditRange(projectId))).map(toAuditEntry);
  const logged = new Set(
    chain.flatMap((e) => (e.event === 'decision' || e.event === 'signature' ? [] : [trailKey(e)])),
  );
  const entries = pendingTrailEntries(chain[chain.length - 1], subjects, logged);
  await Promise.all(entries.map((entry) => store.add({ ...entry, projectId })));
  return entries;
}

/**
 * What of `project` may need a trail entry that `previous` did not have: new roster changes, and
 * the plans and reviews whose object changed (structural sharing: an untouched one keeps its
 * identity). Without `previous`, everything.
 */
export function changedTrailSources(project: Project, previous?: Project): TrailSources {
  // draws, exports and merges are the lead's steps, on reviews of the project's own locked plans; a
  // clinician's review opened from a packet (no plan here) logs only its decisions, which its
  // results file carries
  const locked = new Set(project.samplePlans.flatMap((p) => (p.lock ? [planHash(p)] : [])));
  const ofLockedPlans = (reviews: readonly Review[]) => reviews.filter((r) => locked.has(r.plan.hash));
  if (!previous)
    return {
      roster: project.meta.roster,
      samplePlans: project.samplePlans,
      reviews: ofLockedPlans(project.reviews ?? []),
      steering: readSteeringDecisions(project.meta.settings),
    };
  const knownChanges = new Set(previous.meta.roster?.changes.map((c) => c.id));
  const changes = (project.meta.roster?.changes ?? []).filter((c) => !knownChanges.has(c.id));
  const plans = new Set<unknown>(previous.samplePlans);
  const reviews = new Set<unknown>(previous.reviews ?? []);
  return {
    roster: { changes },
    samplePlans: project.samplePlans.filter((p) => !plans.has(p)),
    reviews: ofLockedPlans((project.reviews ?? []).filter((r) => !reviews.has(r))),
    steering: newSteeringSignatures(project, previous),
  };
}

/** The steering decisions of `project` with only the signatures `previous` did not hold. */
function newSteeringSignatures(project: Project, previous: Project): SteeringDecision[] {
  if (project.meta.settings === previous.meta.settings) return [];
  const known = new Set(
    readSteeringDecisions(previous.meta.settings).flatMap((d) => d.signatures.map((s) => s.id)),
  );
  return readSteeringDecisions(project.meta.settings).flatMap((d) => {
    const signatures = d.signatures.filter((s) => !known.has(s.id));
    return signatures.length > 0 ? [{ ...d, signatures }] : [];
  });
}
