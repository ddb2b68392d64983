/**
 * The review samples' tables (`review_samples`, `review_records`, `review_decisions`): the SQL
 * the review assignment routes (reviewAssignments.ts) and the sample result routes run, each
 * function over the transaction of the route that calls it.
 *
 * Constraints: decisions are appended, never updated (the table refuses UPDATE and DELETE,
 * migration 7); a record pair is stored once (`shown`, with its hash), then never changed.
 * Record keys are values in these statements, never part of one. What a decision reads
 * ({@link reviewHead}, {@link recordsByKey}, {@link decisionsOnRecords}, {@link storedDecisions},
 * {@link lastDecisionSeq}, {@link packetStage}) is the rows of the request's own records and ids
 * through an index, whatever the review's size (migration 19): never the whole sample nor every
 * decision. So does sending record pairs ({@link reviewHead}, {@link recordsByKey}, {@link keepPair}).
 */
import type { ShownRecord } from '../../core/signoff/review/index.ts';
import type { PacketDecisionNote, PostedReview, RecordAssignment, Role } from '../../core/teamApi/index.ts';
import {
  type Decision,
  type DecisionStage,
  type DrawnRecord,
  REVIEW_FORMAT,
  type Review,
} from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import type { Queryable } from '../database.ts';

/** A review as stored: what the lead posted, and the locked plan once she sent it. */
export type StoredSample = PostedReview & { lockedPlan?: SamplePlan };

/** A review's record as stored: who holds which pass, and the hash of its pair once sent. */
export type RecordRow = {
  id: number;
  stratum: string;
  record_key: string;
  first_member: string;
  second_member: string | null;
  adjudicator_member: string | null;
  shown_hash: string | null;
};

/** A decision as the server stored it; `source`: `packet` when the lead recorded it from a review packet. */
export type StoredDecision = {
  seq: string | number;
  record_id: number;
  received_at: Date | string;
  decision: Decision;
  source: 'posted' | 'packet';
};

/** The ids of every review sent on `projectId`, oldest sample first. */
export async function reviewIdsOf(q: Queryable, projectId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    'SELECT id FROM review_samples WHERE project_id = $1 ORDER BY assigned_at, id',
    [projectId],
  );
  return rows.map((row) => row.id);
}

/**
 * Review `reviewId` of `projectId` as the server holds it: the posted sample and every decision
 * in the server's order, with its locked plan once the lead sent it (the plan hashes to the
 * review's plan hash) and when she sent the sample to the team; undefined when there is none.
 */
export async function storedSample(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<{ review: Review; plan: SamplePlan | undefined; sentAt: string } | undefined> {
  const rows = await q.query<{ review: StoredSample; assigned_at: Date | string }>(
    'SELECT review, assigned_at FROM review_samples WHERE project_id = $1 AND id = $2',
    [projectId, reviewId],
  );
  const stored = rows[0]?.review;
  if (stored === undefined) return undefined;
  const { lockedPlan, ...posted } = stored;
  const decisions = await q.query<{ decision: Decision }>(
    'SELECT decision FROM review_decisions WHERE project_id = $1 AND review_id = $2 ORDER BY seq',
    [projectId, reviewId],
  );
  return {
    review: { format: REVIEW_FORMAT, ...posted, decisions: decisions.map((d) => d.decision) },
    plan: lockedPlan,
    sentAt: new Date(rows[0]?.assigned_at as Date | string).toISOString(),
  };
}

/** The review part of {@link storedSample}, for the routes that do not need its plan. */
export async function storedReview(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<Review | undefined> {
  return (await storedSample(q, projectId, reviewId))?.review;
}

/** When the lead closed adjudication on review `reviewId` (its audit entry's time), if she did. */
export async function adjudicationClosedAt(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<string | undefined> {
  const rows = await q.query<{ at: string }>(
    `SELECT at FROM audit_log WHERE project = $1 AND kind = 'review-adjudication-closed'
       AND detail->>'review' = $2 ORDER BY seq LIMIT 1`,
    [projectId, reviewId],
  );
  return rows[0]?.at;
}

/**
 * The latest decision the lead recorded from an offline packet on each record's pass of review
 * `reviewId`, keyed by record id and stage; who recorded it is read from its audit entry.
 */
export async function packetDecisionsOn(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<Map<string, PacketDecisionNote>> {
  const rows = await q.query<{
    record_id: number;
    stage: DecisionStage;
    received_at: Date | string;
    outcome: Decision['outcome'];
    recorded_by: string | null;
  }>(
    `SELECT d.record_id, d.stage, d.received_at, d.decision->>'outcome' AS outcome,
       a.actor->>'name' AS recorded_by
     FROM review_decisions d LEFT JOIN audit_log a ON a.hash = d.audit_hash
     WHERE d.project_id = $1 AND d.review_id = $2 AND d.source = 'packet' ORDER BY d.seq`,
    [projectId, reviewId],
  );
  const latest = new Map<string, PacketDecisionNote>();
  for (const r of rows)
    latest.set(`${r.record_id}\u001f${r.stage}`, {
      recordedBy: r.recorded_by ?? 'the lead',
      recordedAt: new Date(r.received_at).toISOString(),
      outcome: r.outcome,
    });
  return latest;
}

/** The records of review `reviewId`, in order; `memberId`: only those she holds a pass on. */
export function recordsOf(
  q: Queryable,
  projectId: string,
  reviewId: string,
  memberId?: string,
): Promise<RecordRow[]> {
  const mine = memberId === undefined ? '' : 'AND $3 IN (first_member, second_member, adjudicator_member)';
  return q.query<RecordRow>(
    `SELECT id, stratum, record_key, first_member, second_member, adjudicator_member, shown_hash
     FROM review_records WHERE project_id = $1 AND review_id = $2 ${mine} ORDER BY id`,
    memberId === undefined ? [projectId, reviewId] : [projectId, reviewId, memberId],
  );
}

/** Record `recordId` of review `reviewId` with its pair (null until the lead sent it), if there is one. */
export async function recordWithPair(
  q: Queryable,
  projectId: string,
  reviewId: string,
  recordId: number,
): Promise<(RecordRow & { shown: ShownRecord | null }) | undefined> {
  const rows = await q.query<RecordRow & { shown: ShownRecord | null }>(
    `SELECT id, stratum, record_key, first_member, second_member, adjudicator_member, shown_hash, shown
     FROM review_records WHERE project_id = $1 AND review_id = $2 AND id = $3`,
    [projectId, reviewId, recordId],
  );
  return rows[0];
}

/** The role of each current member of `projectId` on `day` (YYYY-MM-DD), by membership id. */
export async function currentRolesOf(
  q: Queryable,
  projectId: string,
  day: string,
): Promise<Map<string, Role>> {
  const members = await q.query<{ id: string; role: Role }>(
    `SELECT id, role FROM project_members WHERE project_id = $1
       AND (expires_on IS NULL OR expires_on > $2::date)`,
    [projectId, day],
  );
  return new Map(members.map((m) => [m.id, m.role]));
}

/** Whether review `reviewId` was sent on `projectId`. */
export async function reviewExists(q: Queryable, projectId: string, reviewId: string): Promise<boolean> {
  const taken = await q.query('SELECT 1 FROM review_samples WHERE project_id = $1 AND id = $2', [
    projectId,
    reviewId,
  ]);
  return taken.length > 0;
}

/** Stores a review as sent at `at` by `subject`, and its records in order with who holds which pass. */
export async function insertReview(
  tx: Queryable,
  projectId: string,
  posted: StoredSample,
  ordered: readonly RecordAssignment[],
  at: string,
  subject: string,
): Promise<void> {
  const { lockedPlan: _, ...review } = posted;
  const head = {
    ...review,
    sample: { ...review.sample, strata: review.sample.strata.map((s) => ({ ...s, records: [] })) },
  };
  await tx.query(
    `INSERT INTO review_samples (project_id, id, review, dual_review, assigned_at, assigned_by_subject, head)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      projectId,
      posted.id,
      JSON.stringify(posted),
      posted.dualReview === true,
      at,
      subject,
      JSON.stringify(head),
    ],
  );
  // `ordered` is in the sample's order: record i + 1 is the sample's i-th drawn record
  const drawn = posted.sample.strata.flatMap((s) => s.records);
  for (const [i, a] of ordered.entries())
    await tx.query(
      `INSERT INTO review_records (project_id, review_id, id, stratum, record_key, first_member, second_member, adjudicator_member, drawn)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        projectId,
        posted.id,
        i + 1,
        a.stratum,
        a.recordKey,
        a.first,
        a.second ?? null,
        a.adjudicator ?? null,
        JSON.stringify(drawn[i]),
      ],
    );
}

/** Keeps `plan` as the locked plan of review `reviewId` (sent before the server kept plans). */
export async function keepLockedPlan(
  tx: Queryable,
  projectId: string,
  reviewId: string,
  plan: SamplePlan,
): Promise<void> {
  await tx.query(
    `UPDATE review_samples SET review = jsonb_set(review, '{lockedPlan}', $3::jsonb)
     WHERE project_id = $1 AND id = $2`,
    [projectId, reviewId, JSON.stringify(plan)],
  );
}

/** Stores record `recordId`'s pair and its hash (once: the route checks it was not sent). */
export async function keepPair(
  tx: Queryable,
  projectId: string,
  reviewId: string,
  recordId: number,
  shown: ShownRecord,
  hash: string,
): Promise<void> {
  await tx.query(
    'UPDATE review_records SET shown = $4, shown_hash = $5 WHERE project_id = $1 AND review_id = $2 AND id = $3',
    [projectId, reviewId, recordId, JSON.stringify(shown), hash],
  );
}

/** A review of the project's list: its posted sample, when sent, and its record counts for `memberId`. */
type ReviewListRow = {
  id: string;
  review: PostedReview;
  assigned_at: Date | string;
  mine: number;
  sent: number;
  total: number;
};

/** Every review of `projectId`, oldest first, with how many records `memberId` holds a pass on. */
export function reviewList(q: Queryable, projectId: string, memberId: string): Promise<ReviewListRow[]> {
  return q.query<ReviewListRow>(
    `SELECT s.id, s.review, s.assigned_at,
       count(*) FILTER (WHERE $2 IN (r.first_member, r.second_member, r.adjudicator_member))::int AS mine,
       count(r.shown_hash)::int AS sent, count(*)::int AS total
     FROM review_samples s JOIN review_records r ON r.project_id = s.project_id AND r.review_id = s.id
     WHERE s.project_id = $1 GROUP BY s.id, s.review, s.assigned_at ORDER BY s.assigned_at, s.id`,
    [projectId, memberId],
  );
}

/** Every decision of review `reviewId` in the server's order, with who recorded it and its audit entry's hash. */
export function decisionsInOrder(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<(StoredDecision & { member_id: string; audit_hash: string })[]> {
  return q.query<StoredDecision & { member_id: string; audit_hash: string }>(
    `SELECT seq, record_id, received_at, decision, member_id, source, audit_hash FROM review_decisions
     WHERE project_id = $1 AND review_id = $2 ORDER BY seq`,
    [projectId, reviewId],
  );
}

/**
 * The decisions `memberId` posted herself on review `reviewId` at `stages`, in the server's order
 * (not those the lead recorded from a packet): what her review or adjudication signature signs.
 */
export async function ownPostedDecisions(
  q: Queryable,
  projectId: string,
  reviewId: string,
  memberId: string,
  stages: readonly DecisionStage[],
): Promise<unknown[]> {
  const rows = await q.query<{ decision: unknown }>(
    `SELECT decision FROM review_decisions WHERE project_id = $1 AND review_id = $2 AND member_id = $3
     AND source = 'posted' AND stage = ANY($4::text[]) ORDER BY seq`,
    [projectId, reviewId, memberId, stages],
  );
  return rows.map((r) => r.decision);
}

/** The place in the project's log of each decision's entry on review `reviewId`, in the server's order. */
export async function decisionEntrySeqs(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<number[]> {
  const rows = await q.query<{ project_seq: string | number }>(
    `SELECT a.project_seq FROM review_decisions d JOIN audit_log a ON a.hash = d.audit_hash
       WHERE d.project_id = $1 AND d.review_id = $2 ORDER BY d.seq`,
    [projectId, reviewId],
  );
  return rows.map((d) => Number(d.project_seq));
}

/** Appends a decision to review `reviewId` at `seq`, citing its audit entry's hash. */
export async function appendDecision(
  tx: Queryable,
  entry: {
    projectId: string;
    reviewId: string;
    seq: number;
    recordId: number;
    stage: DecisionStage;
    memberId: string;
    at: string;
    decision: Decision;
    auditHash: string;
    source: StoredDecision['source'];
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO review_decisions (project_id, review_id, seq, record_id, decision_id, stage, member_id, received_at, decision, audit_hash, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.projectId,
      entry.reviewId,
      entry.seq,
      entry.recordId,
      entry.decision.id,
      entry.stage,
      entry.memberId,
      entry.at,
      JSON.stringify(entry.decision),
      entry.auditHash,
      entry.source,
    ],
  );
}

/**
 * Review `reviewId` as a decision is checked against it: what the lead posted, with each
 * stratum's drawn records left out (a decision's own record is added from {@link recordsByKey})
 * and no decisions; undefined when there is no such review.
 */
export async function reviewHead(
  q: Queryable,
  projectId: string,
  reviewId: string,
): Promise<Review | undefined> {
  const rows = await q.query<{ head: PostedReview }>(
    'SELECT head FROM review_samples WHERE project_id = $1 AND id = $2',
    [projectId, reviewId],
  );
  const head = rows[0]?.head;
  return head === undefined ? undefined : { format: REVIEW_FORMAT, ...head, decisions: [] };
}

/**
 * The records of review `reviewId` drawn as `keys` (stratum and record key), with their sample
 * entries: those that are records of it, in no order.
 */
export function recordsByKey(
  q: Queryable,
  projectId: string,
  reviewId: string,
  keys: readonly { stratum: string; recordKey: string }[],
): Promise<(RecordRow & { drawn: DrawnRecord })[]> {
  return q.query<RecordRow & { drawn: DrawnRecord }>(
    `SELECT id, stratum, record_key, first_member, second_member, adjudicator_member, shown_hash, drawn
     FROM review_records WHERE project_id = $1 AND review_id = $2
       AND (stratum, record_key) IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
    [projectId, reviewId, keys.map((k) => k.stratum), keys.map((k) => k.recordKey)],
  );
}

/** The decisions on records `recordIds` of review `reviewId`, every pass's, in the server's order. */
export function decisionsOnRecords(
  q: Queryable,
  projectId: string,
  reviewId: string,
  recordIds: readonly number[],
): Promise<StoredDecision[]> {
  return q.query<StoredDecision>(
    `SELECT seq, record_id, received_at, decision, source FROM review_decisions
     WHERE project_id = $1 AND review_id = $2 AND record_id = ANY($3::int[]) ORDER BY seq`,
    [projectId, reviewId, recordIds],
  );
}

/** The decisions of review `reviewId` stored under `decisionIds`, those there are, in no order. */
export function storedDecisions(
  q: Queryable,
  projectId: string,
  reviewId: string,
  decisionIds: readonly string[],
): Promise<StoredDecision[]> {
  return q.query<StoredDecision>(
    `SELECT seq, record_id, received_at, decision, source FROM review_decisions
     WHERE project_id = $1 AND review_id = $2 AND decision_id = ANY($3::text[])`,
    [projectId, reviewId, decisionIds],
  );
}

/** The server's number of the latest decision on review `reviewId`; 0 before the first. */
export async function lastDecisionSeq(q: Queryable, projectId: string, reviewId: string): Promise<number> {
  const rows = await q.query<{ seq: string | number }>(
    `SELECT seq FROM review_decisions WHERE project_id = $1 AND review_id = $2 ORDER BY seq DESC LIMIT 1`,
    [projectId, reviewId],
  );
  return Number(rows[0]?.seq ?? 0);
}

/** The pass of the decisions recorded on review `reviewId` from the packet hashing to `packetSha256`, if any. */
export async function packetStage(
  q: Queryable,
  projectId: string,
  reviewId: string,
  packetSha256: string,
): Promise<DecisionStage | undefined> {
  const rows = await q.query<{ stage: DecisionStage }>(
    `SELECT stage FROM review_decisions WHERE project_id = $1 AND review_id = $2 AND source = 'packet'
       AND decision->'imported'->>'packetSha256' = $3 LIMIT 1`,
    [projectId, reviewId, packetSha256],
  );
  return rows[0]?.stage;
}
