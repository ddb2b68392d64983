/**
 * Review assignments on the team server: the lead sends a locked sample's record pairs to the
 * clinicians who review them, and their decisions come back in the server's order.
 *
 * - The lead posts the review (its plan hash and drawn sample: keys and rows, no content, with the
 *   locked plan it was drawn under, so the server can judge the sample's result) and who reviews
 *   each record: a first reviewer, under dual review a second one (blind to each other),
 *   and an adjudicator who is neither. A record assigned to the same person twice is refused (409,
 *   saying which record and why), and so is a person whose role does not review.
 * - The lead then sends the record pairs as the app shows them ({@link ShownRecord}: legacy row,
 *   migrated record, alignment) in batches. They are the one record content kept on the server;
 *   every read of one is an audit entry (who, which record, when) in the read's own transaction.
 * - A reviewer lists and opens only the records assigned to her, for her pass; the adjudicator
 *   sees a record once it waits for adjudication (a disagreement, or "cannot assess").
 * - Decisions and adjudications are posted in order, checked by the core's own rules
 *   (src/core/signoff/review.ts `addDecision`: dual review, adjudication, what a decision says),
 *   numbered by the server and appended: a changed decision is a new entry, never an overwrite
 *   (the table refuses UPDATE and DELETE, migration 7). Each is an audit entry of the project's
 *   chain citing the decision's hash.
 * - The lead records the decisions she merged from offline review packets (each carrying
 *   `imported`: the packet's hash, the clinician's chain head, the decision's entry there) in the
 *   same order and by the same rules; such an entry is the lead's, names the reviewer as the
 *   packet carries her, and is marked as from a packet: never taken for one she posted herself.
 * - Blind until adjudicated: a reviewer reads the other pass's decision (its outcome, its comment)
 *   on a record only once the adjudicator has ruled on that record, or once the lead has closed
 *   adjudication on the review; two passes that both decided are not yet ruled on. The
 *   adjudicator reads the two only on records waiting for adjudication. The lead reads every
 *   decision of the records she holds no pass on or adjudicates (the verdict is hers to compute);
 *   on a record where she holds a reviewer's pass she is as blind as any reviewer.
 * - Closing adjudication is the lead's, once per review: an audit entry, after which the review
 *   takes no more decisions (the passes are no longer blind, so none is independent any more).
 *
 * Constraints: a decision's reviewer is the caller — her membership id and her name as the
 * identity provider gives it — or it is refused, never rewritten (its hash is what the app holds);
 * it cites the hash of exactly what the server showed. Record keys travel in bodies and answers,
 * never in URLs (a key may be a medical record number): a record is named by its position.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canonicalSha256Hex } from '../core/hash/canonicalJson.ts';
import {
  adjudicationShownHash,
  type RecordStatus,
  recordStatuses,
  stageOf,
} from '../core/signoff/dualReview.ts';
import { isLocked, planHash } from '../core/signoff/planLock.ts';
import { addDecision, ReviewChangeError, type ShownRecord, shownHash } from '../core/signoff/review.ts';
import { validateReview, validateSamplePlan } from '../formats/generated/validators.js';
import {
  type Decision,
  type DecisionStage,
  type DrawnSample,
  type MappingRef,
  REVIEW_FORMAT,
  type Review,
} from '../formats/review.ts';
import type { SamplePlan } from '../formats/samplePlan.ts';
import { readAudit, type ServerAuditEntry, type ServerAuditKind } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';
import { personOf, projectAudit, requireAction } from './projectRoutes.ts';
import { type Membership, ProjectRefusal } from './projects.ts';
import { mayDo, type ProjectAction, ROLE_ACTIONS, type Role } from './roles.ts';

/** The most records one review holds (a census of a flagged stratum is hundreds, not thousands). */
export const MAX_REVIEW_RECORDS = 5000;
/** Record pairs one request may carry (the body limit bounds their size too). */
export const MAX_RECORDS_PER_POST = 500;
/** Decisions one request may carry (a reviewer who worked offline for a day sends them together). */
export const MAX_DECISIONS_PER_POST = 500;

/** One record's reviewers, by membership id. */
export interface RecordAssignment {
  stratum: string;
  recordKey: string;
  first: string;
  second?: string;
  adjudicator?: string;
}

/** The review the lead posts: what the app's review holds but its decisions. */
export interface PostedReview {
  id: string;
  plan: { id: string; hash: string };
  sample: DrawnSample;
  dualReview?: boolean;
  mapping?: MappingRef;
}

/** Which pass a person holds on a record. */
export type AssignedPass = 'first' | 'second' | 'adjudication';

/** One record as its reviewer's list shows it. */
export interface AssignedRecord {
  /** the record's position in the review (1-based): how URLs name it */
  id: number;
  stratum: string;
  recordKey: string;
  pass: AssignedPass;
  /** the lead has sent the record pair (the reviewer can open it) */
  sent: boolean;
  /** the caller's latest decision on it, if any */
  decided: boolean;
  /**
   * her pass on it was decided in an offline review packet, which the lead recorded here: who
   * recorded it and when, and the outcome. It is not her own decision on the server (her "I
   * reviewed" signature does not cover it), and she does not review the record again.
   */
  decidedInPacket?: PacketDecisionNote;
}

/** A decision on a reviewer's pass that the lead recorded from an offline packet, as her list says it. */
export interface PacketDecisionNote {
  /** the lead's name as the audit entry recording it holds it */
  recordedBy: string;
  recordedAt: string;
  outcome: Decision['outcome'];
}

/** A decision as the server holds it: the decision, its place in the review's order, when received. */
export interface ServerDecision {
  seq: number;
  recordId: number;
  receivedAt: string;
  decision: Decision;
  /** recorded by the lead from a review packet (the decision's `imported` says which), not posted by its reviewer */
  fromPacket?: true;
  /** its entry in the server's audit log (the entry that recorded it) */
  entry?: ServerAuditEntry;
}

const ID = { type: 'string', minLength: 1, maxLength: 200 };
const MEMBER = { type: 'string', minLength: 1, maxLength: 64 };
const params = {
  type: 'object',
  properties: {
    projectId: { type: 'string', maxLength: 64 },
    reviewId: ID,
    recordId: { type: 'string', pattern: '^[0-9]{1,6}$' },
  },
};
const assignBody = {
  type: 'object',
  additionalProperties: false,
  required: ['review', 'assignments'],
  properties: {
    review: { type: 'object' },
    // the locked sample plan the review was drawn under: the server judges the result against it
    plan: { type: 'object' },
    assignments: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_REVIEW_RECORDS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['stratum', 'recordKey', 'first'],
        properties: { stratum: ID, recordKey: ID, first: MEMBER, second: MEMBER, adjudicator: MEMBER },
      },
    },
  },
};
const planBody = {
  type: 'object',
  additionalProperties: false,
  required: ['plan'],
  properties: { plan: { type: 'object' } },
};
const recordsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['records'],
  properties: {
    records: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_RECORDS_PER_POST,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['shown'],
        properties: {
          shown: {
            type: 'object',
            additionalProperties: false,
            required: ['planHash', 'stratum', 'recordKey', 'source', 'mapping', 'target', 'alignment'],
            properties: {
              planHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
              stratum: ID,
              recordKey: ID,
              source: {
                type: 'object',
                additionalProperties: false,
                required: ['row', 'header', 'cells'],
                properties: {
                  file: { type: 'string', maxLength: 500 },
                  row: { type: 'integer', minimum: 0 },
                  header: { type: 'array', maxItems: 2000, items: { type: 'string', maxLength: 500 } },
                  cells: { type: 'array', maxItems: 2000, items: { type: 'string', maxLength: 20_000 } },
                },
              },
              mapping: {
                anyOf: [
                  { type: 'null' },
                  {
                    type: 'object',
                    additionalProperties: false,
                    required: ['id', 'version'],
                    properties: { id: ID, version: { type: 'integer' } },
                  },
                ],
              },
              target: { anyOf: [{ type: 'null' }, { type: 'object' }] },
              alignment: {
                type: 'array',
                maxItems: 2000,
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['target', 'columns'],
                  properties: {
                    target: { type: 'string', maxLength: 500 },
                    columns: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 500 } },
                    value: { type: 'string', maxLength: 20_000 },
                    expected: { type: 'string', maxLength: 20_000 },
                    path: { type: 'string', maxLength: 500 },
                    problem: { type: 'string', maxLength: 2000 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
const decisionsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['decisions'],
  properties: {
    decisions: { type: 'array', minItems: 1, maxItems: MAX_DECISIONS_PER_POST, items: { type: 'object' } },
  },
};

interface ProjectParams {
  projectId: string;
}
interface ReviewParams extends ProjectParams {
  reviewId: string;
}
interface RecordParams extends ReviewParams {
  recordId: string;
}

type RecordRow = {
  id: number;
  stratum: string;
  record_key: string;
  first_member: string;
  second_member: string | null;
  adjudicator_member: string | null;
  shown_hash: string | null;
};

/** A decision as the server stored it; `source`: `packet` when the lead recorded it from a review packet. */
type StoredDecision = {
  seq: string | number;
  record_id: number;
  received_at: Date | string;
  decision: Decision;
  source: 'posted' | 'packet';
};

/** Refuses the decision being recorded with `status`, saying `why`. */
type Refuse = (status: 400 | 403 | 409, why: string) => never;

/** What the rules of a decisions route are built from, for one request. */
interface DecisionContext {
  /** the caller */
  me: Membership;
  /** the review's decisions stored before this request */
  stored: Iterable<StoredDecision>;
  /** the review's records, by stratum and record key */
  rows: ReadonlyMap<string, RecordRow>;
}

/** How one route records decisions: what it says and checks beside the steps both share. */
interface DecisionRules {
  /** where the decisions come from, as stored */
  source: StoredDecision['source'];
  /** the refusal of something that is not a Preflight decision */
  notADecision: string;
  /** checks a decision before its id is looked up */
  admit?: (decision: Decision, refuse: Refuse) => void;
  /** why a decision sent under the id of `before` is refused; undefined: it is the same entry */
  sentAgain: (before: StoredDecision, decision: Decision) => string | undefined;
  /** checks a new decision against `review` as it is: its record, and its audit entry's kind and fields */
  accept: (
    decision: Decision,
    stage: DecisionStage,
    review: Review,
    refuse: Refuse,
  ) => { row: RecordRow; event: ServerAuditKind; detail: Record<string, string> };
}

/**
 * Why review routes answer 404, worded for who asks: the lead sees every review of her project,
 * a reviewer only those with a record assigned to her (the answer does not tell her which).
 */
function noReview(me: Membership): string {
  return mayDo(me.role, 'assign-reviews')
    ? 'no such review in this project: open it again from the project’s list of reviews'
    : 'no such review in this project, or none of its records is assigned to you';
}
const NOT_YOURS = 'this record is not assigned to you, or is not yet yours to review';

/**
 * `why` as the core's review rules word it, which name the decision by its id, with the id taken
 * out: the refusal already says which decision and record (an id is a uuid nobody reads).
 */
export function withoutDecisionId(why: string, id: string | undefined): string {
  if (typeof id !== 'string' || id === '') return why;
  return why
    .replaceAll(`the record of decision ${id}`, 'the record')
    .replaceAll(`decision id ${id}`, 'its id')
    .replaceAll(`decision ${id}: `, '')
    .replaceAll(`decision ${id}`, 'it');
}

/** The pass `memberId` holds on `record`, if any. */
export function passOf(
  record: Pick<RecordRow, 'first_member' | 'second_member' | 'adjudicator_member'>,
  memberId: string,
): AssignedPass | undefined {
  if (record.first_member === memberId) return 'first';
  if (record.second_member === memberId) return 'second';
  if (record.adjudicator_member === memberId) return 'adjudication';
  return undefined;
}

/**
 * Whether a viewer may read a decision by `author` on a record (the blind rules of the file
 * header). `lead`: the viewer may assign reviews (she computes the verdict); `closed`: the lead
 * closed adjudication on the review.
 */
export function mayReadDecision(params: {
  viewer: string;
  lead: boolean;
  pass: AssignedPass | undefined;
  status: Pick<RecordStatus, 'first' | 'second' | 'state' | 'adjudication'>;
  author: string;
  closed?: boolean;
}): boolean {
  const { viewer, lead, pass, status, author, closed = false } = params;
  if (author === viewer) return true;
  // both passes in is not enough: the other's comment could sway a changed decision or the ruling
  if (pass === 'first' || pass === 'second') return status.adjudication !== undefined || closed;
  // a lead who adjudicates is still the lead: she reads every decision, as with no pass
  if (pass === 'adjudication')
    return lead || status.state === 'awaiting-adjudication' || status.adjudication !== undefined;
  return lead;
}

/** Why an assignment is refused, or undefined; `position` is the record's place in the sample. */
export function assignmentProblem(
  assignment: RecordAssignment,
  position: number,
  dualReview: boolean,
): string | undefined {
  const { first, second, adjudicator } = assignment;
  const where = `record ${position} (stratum ${assignment.stratum})`;
  if (dualReview && second === undefined)
    return `${where} has no second reviewer: a dual review needs two reviewers on every record`;
  if (!dualReview && second !== undefined)
    return `${where} has a second reviewer, but this sample’s plan is not a dual review`;
  if (dualReview && adjudicator === undefined)
    return `${where} has no adjudicator: a dual review needs one for the records the two disagree on`;
  if (second !== undefined && second === first)
    return `${where} has the same person as first and second reviewer: the two passes must be two people`;
  if (adjudicator !== undefined && (adjudicator === first || adjudicator === second))
    return `${where} has one of its reviewers as adjudicator: the adjudicator must be neither reviewer`;
  return undefined;
}

/** A review as stored: what the lead posted, and the locked plan once she sent it. */
type StoredSample = PostedReview & { lockedPlan?: SamplePlan };

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

/** Why `plan` is not the locked plan of a review citing `hash`, or undefined. */
export function lockedPlanProblem(plan: unknown, hash: string): string | undefined {
  if (!validateSamplePlan(plan) || !isLocked(plan))
    return 'the plan sent is not a locked Preflight sample plan: send it again from the app';
  if (planHash(plan) !== hash)
    return 'the plan sent is not the plan this sample was drawn under (its hash differs): send the review’s own locked plan';
  return undefined;
}

/**
 * The latest decision the lead recorded from an offline packet on each record's pass of review
 * `reviewId`, keyed by record id and stage; who recorded it is read from its audit entry.
 */
async function packetDecisionsOn(
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

/** The review routes on `app`, over `db`, with the server's clock. */
export function registerReviewAssignmentRoutes(
  app: FastifyInstance,
  db: Database,
  clock: () => number,
): void {
  const allowed = (
    q: Queryable,
    request: FastifyRequest<{ Params: ProjectParams }>,
    action: ProjectAction,
    lock: boolean,
  ) => requireAction(q, request, request.params.projectId, action, clock(), lock);

  const recordsOf = (q: Queryable, projectId: string, reviewId: string, where = '', args: unknown[] = []) =>
    q.query<RecordRow>(
      `SELECT id, stratum, record_key, first_member, second_member, adjudicator_member, shown_hash
       FROM review_records WHERE project_id = $1 AND review_id = $2 ${where} ORDER BY id`,
      [projectId, reviewId, ...args],
    );

  const statusKey = (stratum: string, key: string) => `${stratum}\u001f${key}`;
  const statusesOf = (review: Review) =>
    new Map(recordStatuses(review).map((s) => [statusKey(s.stratum, s.recordKey), s]));

  /** Whether `pass` on a record is the caller's to open now (an adjudicator's waits for a disagreement). */
  const open = (pass: AssignedPass | undefined, status: RecordStatus | undefined) =>
    pass !== undefined &&
    (pass !== 'adjudication' ||
      status?.state === 'awaiting-adjudication' ||
      status?.adjudication !== undefined);

  // ---- the lead: assign, then send the record pairs ------------------------------------------

  app.post<{
    Params: ProjectParams;
    Body: { review: PostedReview; plan?: SamplePlan; assignments: RecordAssignment[] };
  }>('/api/projects/:projectId/reviews', { schema: { params, body: assignBody } }, async (request, reply) => {
    const { projectId } = request.params;
    const { review, assignments, plan: lockedPlan } = request.body;
    const result = await db.transaction(async (tx) => {
      await allowed(tx, request, 'assign-reviews', true);
      const asReview = { format: REVIEW_FORMAT, ...review, decisions: [] };
      if (!validateReview(asReview))
        throw new ProjectRefusal(
          400,
          'the review is not a Preflight review of a drawn sample: send it again from the app',
        );
      const { id, plan, sample, dualReview = false, mapping } = review;
      const planProblem = lockedPlan === undefined ? undefined : lockedPlanProblem(lockedPlan, plan.hash);
      if (planProblem !== undefined) throw new ProjectRefusal(409, planProblem);
      const drawn = sample.strata.flatMap((s) => s.records.map((r) => statusKey(s.id, r.key)));
      if (drawn.length > MAX_REVIEW_RECORDS)
        throw new ProjectRefusal(413, `a review on the server holds at most ${MAX_REVIEW_RECORDS} records`);
      const byKey = new Map(assignments.map((a) => [statusKey(a.stratum, a.recordKey), a]));
      if (byKey.size !== assignments.length)
        throw new ProjectRefusal(409, 'a record is assigned twice: assign each drawn record once');
      if (drawn.length !== assignments.length || drawn.some((k) => !byKey.has(k)))
        throw new ProjectRefusal(
          409,
          'every drawn record needs its reviewers, and only drawn records can have them',
        );
      const members = await tx.query<{ id: string; role: Role }>(
        `SELECT id, role FROM project_members WHERE project_id = $1
           AND (expires_on IS NULL OR expires_on > $2::date)`,
        [projectId, new Date(clock()).toISOString().slice(0, 10)],
      );
      const roleOf = new Map(members.map((m) => [m.id, m.role]));
      for (const [i, key] of drawn.entries()) {
        const assignment = byKey.get(key) as RecordAssignment;
        const problem = assignmentProblem(assignment, i + 1, dualReview);
        if (problem !== undefined) throw new ProjectRefusal(409, problem);
        for (const member of [assignment.first, assignment.second, assignment.adjudicator]) {
          if (member === undefined) continue;
          const role = roleOf.get(member);
          if (role === undefined)
            throw new ProjectRefusal(
              409,
              `record ${i + 1} is assigned to someone who is not a current member of this project`,
            );
          if (!mayDo(role, 'review-records'))
            throw new ProjectRefusal(
              409,
              `record ${i + 1} is assigned to a member whose role (${role}) does not review records: give it to a ${ROLE_ACTIONS['review-records'].join(' or ')}`,
            );
        }
      }
      const taken = await tx.query('SELECT 1 FROM review_samples WHERE project_id = $1 AND id = $2', [
        projectId,
        id,
      ]);
      if (taken.length > 0)
        throw new ProjectRefusal(
          409,
          'this review was sent to reviewers already: its assignments stay as they were',
        );
      const posted: StoredSample = {
        id,
        plan,
        sample,
        ...(dualReview ? { dualReview } : {}),
        ...(mapping ? { mapping } : {}),
        ...(lockedPlan === undefined ? {} : { lockedPlan }),
      };
      await tx.query(
        `INSERT INTO review_samples (project_id, id, review, dual_review, assigned_at, assigned_by_subject)
           VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          projectId,
          id,
          JSON.stringify(posted),
          dualReview,
          new Date(clock()).toISOString(),
          personOf(request).subject,
        ],
      );
      const ordered = drawn.map((key) => byKey.get(key) as RecordAssignment);
      for (const [i, a] of ordered.entries())
        await tx.query(
          `INSERT INTO review_records (project_id, review_id, id, stratum, record_key, first_member, second_member, adjudicator_member)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [projectId, id, i + 1, a.stratum, a.recordKey, a.first, a.second ?? null, a.adjudicator ?? null],
        );
      await projectAudit(tx, request, clock(), 'review-assigned', {
        review: id,
        planHash: plan.hash,
        records: String(ordered.length),
        dualReview: String(dualReview),
        assignmentsSha256: canonicalSha256Hex(ordered),
      });
      return ordered.map((a, i) => ({ id: i + 1, stratum: a.stratum, recordKey: a.recordKey }));
    });
    return reply.code(201).send({ review: review.id, records: result });
  });

  // a review sent before the server kept plans gets its locked plan afterwards, once; the plan
  // must be the one the sample was drawn under (its hash is the review's), so it never changes
  app.put<{ Params: ReviewParams; Body: { plan: SamplePlan } }>(
    '/api/projects/:projectId/reviews/:reviewId/plan',
    { schema: { params, body: planBody } },
    async (request) => {
      const { projectId, reviewId } = request.params;
      return db.transaction(async (tx) => {
        const me = await allowed(tx, request, 'assign-reviews', true);
        const stored = await storedSample(tx, projectId, reviewId);
        if (stored === undefined) throw new ProjectRefusal(404, noReview(me));
        const { review, plan } = stored;
        const problem = lockedPlanProblem(request.body.plan, review.plan.hash);
        if (problem !== undefined) throw new ProjectRefusal(409, problem);
        if (plan !== undefined) return { plan: review.plan.hash };
        await tx.query(
          `UPDATE review_samples SET review = jsonb_set(review, '{lockedPlan}', $3::jsonb)
           WHERE project_id = $1 AND id = $2`,
          [projectId, reviewId, JSON.stringify(request.body.plan)],
        );
        await projectAudit(tx, request, clock(), 'review-plan-sent', {
          review: reviewId,
          planHash: review.plan.hash,
        });
        return { plan: review.plan.hash };
      });
    },
  );

  app.post<{ Params: ReviewParams; Body: { records: { shown: ShownRecord }[] } }>(
    '/api/projects/:projectId/reviews/:reviewId/records',
    { schema: { params, body: recordsBody } },
    async (request) => {
      const { projectId, reviewId } = request.params;
      return db.transaction(async (tx) => {
        const me = await allowed(tx, request, 'assign-reviews', true);
        const review = await storedReview(tx, projectId, reviewId);
        if (review === undefined) throw new ProjectRefusal(404, noReview(me));
        const rows = new Map(
          (await recordsOf(tx, projectId, reviewId)).map((r) => [statusKey(r.stratum, r.record_key), r]),
        );
        let added = 0;
        const hashes: string[] = [];
        for (const [i, { shown }] of request.body.records.entries()) {
          const row = rows.get(statusKey(shown.stratum, shown.recordKey));
          if (row === undefined)
            throw new ProjectRefusal(
              409,
              `record pair ${i + 1} of this batch is not a drawn record of this review`,
            );
          if (shown.planHash !== review.plan.hash)
            throw new ProjectRefusal(
              409,
              `record pair ${i + 1} of this batch was shown under another sample plan`,
            );
          const hash = shownHash(shown);
          hashes.push(hash);
          if (row.shown_hash === hash) continue;
          if (row.shown_hash !== null)
            throw new ProjectRefusal(
              409,
              `record ${row.id} was sent already with other content: what reviewers are shown does not change under them`,
            );
          await tx.query(
            'UPDATE review_records SET shown = $4, shown_hash = $5 WHERE project_id = $1 AND review_id = $2 AND id = $3',
            [projectId, reviewId, row.id, JSON.stringify(shown), hash],
          );
          added++;
        }
        if (added > 0)
          await projectAudit(tx, request, clock(), 'sampled-records-sent', {
            review: reviewId,
            records: String(added),
            shownSha256: canonicalSha256Hex(hashes),
          });
        return { sent: added };
      });
    },
  );

  // ---- reviewers: their records, one read at a time -------------------------------------------

  app.get<{ Params: ProjectParams }>(
    '/api/projects/:projectId/reviews',
    { schema: { params } },
    async (request) => {
      const me = await allowed(db, request, 'review-records', false);
      const lead = mayDo(me.role, 'assign-reviews');
      const rows = await db.query<{
        id: string;
        review: PostedReview;
        assigned_at: Date | string;
        mine: number;
        sent: number;
        total: number;
      }>(
        `SELECT s.id, s.review, s.assigned_at,
           count(*) FILTER (WHERE $2 IN (r.first_member, r.second_member, r.adjudicator_member))::int AS mine,
           count(r.shown_hash)::int AS sent, count(*)::int AS total
         FROM review_samples s JOIN review_records r ON r.project_id = s.project_id AND r.review_id = s.id
         WHERE s.project_id = $1 GROUP BY s.id, s.review, s.assigned_at ORDER BY s.assigned_at, s.id`,
        [request.params.projectId, me.memberId],
      );
      return {
        reviews: rows
          .filter((r) => lead || r.mine > 0)
          .map((r) => ({
            id: r.id,
            planHash: r.review.plan.hash,
            dualReview: r.review.dualReview === true,
            assignedAt: new Date(r.assigned_at).toISOString(),
            assignedToMe: r.mine,
            ...(lead ? { records: r.total, sent: r.sent } : {}),
          })),
      };
    },
  );

  app.get<{ Params: ReviewParams }>(
    '/api/projects/:projectId/reviews/:reviewId/assigned',
    { schema: { params } },
    async (request) => {
      const { projectId, reviewId } = request.params;
      const me = await allowed(db, request, 'review-records', false);
      const review = await storedReview(db, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      const statuses = statusesOf(review);
      const mine = await recordsOf(
        db,
        projectId,
        reviewId,
        'AND $3 IN (first_member, second_member, adjudicator_member)',
        [me.memberId],
      );
      const fromPackets = await packetDecisionsOn(db, projectId, reviewId);
      const records: AssignedRecord[] = [];
      for (const row of mine) {
        const pass = passOf(row, me.memberId);
        const status = statuses.get(statusKey(row.stratum, row.record_key));
        if (!open(pass, status)) continue;
        const inPacket = fromPackets.get(`${row.id}\u001f${pass}`);
        records.push({
          id: row.id,
          stratum: row.stratum,
          recordKey: row.record_key,
          pass: pass as AssignedPass,
          sent: row.shown_hash !== null,
          decided: review.decisions.some(
            (d) =>
              d.reviewer.id === me.memberId && d.stratum === row.stratum && d.recordKey === row.record_key,
          ),
          ...(inPacket === undefined ? {} : { decidedInPacket: inPacket }),
        });
      }
      return {
        review: reviewId,
        planHash: review.plan.hash,
        dualReview: review.dualReview === true,
        memberId: me.memberId,
        records,
      };
    },
  );

  app.get<{ Params: RecordParams }>(
    '/api/projects/:projectId/reviews/:reviewId/records/:recordId',
    { schema: { params } },
    async (request) => {
      const { projectId, reviewId } = request.params;
      const recordId = Number(request.params.recordId);
      return db.transaction(async (tx) => {
        const me = await allowed(tx, request, 'review-records', false);
        const review = await storedReview(tx, projectId, reviewId);
        if (review === undefined) throw new ProjectRefusal(404, noReview(me));
        const rows = await tx.query<RecordRow & { shown: ShownRecord | null }>(
          `SELECT id, stratum, record_key, first_member, second_member, adjudicator_member, shown_hash, shown
           FROM review_records WHERE project_id = $1 AND review_id = $2 AND id = $3`,
          [projectId, reviewId, recordId],
        );
        const row = rows[0];
        const pass = row === undefined ? undefined : passOf(row, me.memberId);
        const status =
          row === undefined ? undefined : statusesOf(review).get(statusKey(row.stratum, row.record_key));
        if (row === undefined || !open(pass, status)) throw new ProjectRefusal(404, NOT_YOURS);
        if (row.shown === null)
          throw new ProjectRefusal(409, 'the lead has not sent this record yet: it opens once she has');
        // the read is recorded before the content leaves, in the same transaction
        await projectAudit(tx, request, clock(), 'sampled-record-read', {
          review: reviewId,
          record: String(row.id),
          stratum: row.stratum,
          recordKey: row.record_key,
          pass: pass as AssignedPass,
        });
        return {
          record: { id: row.id, stratum: row.stratum, recordKey: row.record_key, pass },
          shown: row.shown,
          shownSha256: row.shown_hash,
          ...(pass === 'adjudication' && status !== undefined
            ? {
                adjudication: {
                  first: status.first,
                  second: status.second,
                  shownSha256: adjudicationShownHash(review.plan.hash, status),
                },
              }
            : {}),
        };
      });
    },
  );

  // ---- decisions, in the server's order ------------------------------------------------------

  /**
   * Records `request.body.decisions` in order after `rules` (built for the request: the caller,
   * the decisions stored before, the review's records); all are recorded, or none and the refusal
   * says which decision and why. A decision sent again after a lost answer is the same entry.
   */
  const recordDecisions = async (
    request: FastifyRequest<{ Params: ReviewParams; Body: { decisions: Decision[] } }>,
    action: ProjectAction,
    rulesFor: (context: DecisionContext) => DecisionRules,
  ) => {
    const { projectId, reviewId } = request.params;
    return db.transaction(async (tx) => {
      const me = await allowed(tx, request, action, true);
      let review = await storedReview(tx, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      if ((await adjudicationClosedAt(tx, projectId, reviewId)) !== undefined)
        throw new ProjectRefusal(
          409,
          'the lead closed adjudication on this review: it takes no more decisions (the passes are no longer blind to each other)',
        );
      const rows = new Map(
        (await recordsOf(tx, projectId, reviewId)).map((r) => [statusKey(r.stratum, r.record_key), r]),
      );
      const stored = new Map(
        (
          await tx.query<StoredDecision>(
            'SELECT seq, record_id, received_at, decision, source FROM review_decisions WHERE project_id = $1 AND review_id = $2',
            [projectId, reviewId],
          )
        ).map((d) => [d.decision.id, d]),
      );
      const rules = rulesFor({ me, stored: stored.values(), rows });
      const fromPacket = rules.source === 'packet';
      let seq = stored.size;
      const recorded: (ServerDecision & { recordedBefore?: true })[] = [];
      for (const [i, decision] of request.body.decisions.entries()) {
        const refuse: Refuse = (status, why) => {
          // named by its place in the batch and its record's position, as the reviewer's list
          // shows it: never by the decision's id, which the core's words say once more
          const row = rows.get(statusKey(decision.stratum, decision.recordKey));
          throw new ProjectRefusal(
            status,
            `decision ${i + 1} of ${request.body.decisions.length}${row === undefined ? '' : ` (record ${row.id})`}: ${withoutDecisionId(why, decision.id)}`,
          );
        };
        if (!validateReview({ ...review, decisions: [decision] })) refuse(400, rules.notADecision);
        rules.admit?.(decision, refuse);
        const before = stored.get(decision.id);
        if (before !== undefined) {
          const why = rules.sentAgain(before, decision);
          if (why !== undefined) refuse(409, why);
          recorded.push({
            seq: Number(before.seq),
            recordId: before.record_id,
            receivedAt: new Date(before.received_at).toISOString(),
            decision: before.decision,
            ...(fromPacket ? { fromPacket: true, recordedBefore: true } : {}),
          });
          continue;
        }
        const stage: DecisionStage = stageOf(decision);
        const { row, event, detail } = rules.accept(decision, stage, review, refuse);
        try {
          review = addDecision(review, decision);
        } catch (error) {
          if (error instanceof ReviewChangeError) refuse(409, error.message);
          throw error;
        }
        seq += 1;
        const at = new Date(clock()).toISOString();
        const entry = await projectAudit(tx, request, clock(), event, {
          review: reviewId,
          record: String(row.id),
          stratum: decision.stratum,
          recordKey: decision.recordKey,
          stage,
          outcome: decision.outcome,
          decision: decision.id,
          decisionSha256: canonicalSha256Hex(decision),
          reviewSeq: String(seq),
          ...detail,
          ...(decision.change ? { replaces: decision.change.replaces } : {}),
        });
        await tx.query(
          `INSERT INTO review_decisions (project_id, review_id, seq, record_id, decision_id, stage, member_id, received_at, decision, audit_hash, source)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            projectId,
            reviewId,
            seq,
            row.id,
            decision.id,
            stage,
            me.memberId,
            at,
            JSON.stringify(decision),
            entry.hash,
            rules.source,
          ],
        );
        stored.set(decision.id, { seq, record_id: row.id, received_at: at, decision, source: rules.source });
        recorded.push({
          seq,
          recordId: row.id,
          receivedAt: at,
          decision,
          ...(fromPacket ? { fromPacket: true } : {}),
        });
      }
      return recorded;
    });
  };

  // a reviewer's own decisions, on the passes assigned to her
  app.post<{ Params: ReviewParams; Body: { decisions: Decision[] } }>(
    '/api/projects/:projectId/reviews/:reviewId/decisions',
    { schema: { params, body: decisionsBody } },
    async (request, reply) => {
      const user = personOf(request);
      const decisions = await recordDecisions(request, 'review-records', ({ me, rows }) => ({
        source: 'posted',
        notADecision: 'it is not a Preflight decision: send it again from the app',
        sentAgain: (before, decision) => {
          if (before.source === 'packet')
            return 'its id is already used by a decision the lead recorded from a review packet';
          return canonicalSha256Hex(before.decision) !== canonicalSha256Hex(decision)
            ? 'its id is already used by another decision'
            : undefined;
        },
        accept: (decision, stage, review, refuse) => {
          if (decision.imported !== undefined)
            refuse(400, 'a decision posted to the server is not an imported one');
          if (decision.reviewer.id !== me.memberId || decision.reviewer.name !== user.name)
            refuse(403, 'a decision is recorded under the name of the person signed in who made it');
          const row = rows.get(statusKey(decision.stratum, decision.recordKey));
          const status = statusesOf(review).get(statusKey(decision.stratum, decision.recordKey));
          const pass = row === undefined ? undefined : passOf(row, me.memberId);
          if (row === undefined || pass !== stage || !open(pass, status))
            return refuse(
              403,
              `this record’s ${stage === 'adjudication' ? 'adjudication' : `${stage} review`} is not assigned to you`,
            );
          const expected =
            stage === 'adjudication'
              ? adjudicationShownHash(review.plan.hash, status as RecordStatus)
              : row.shown_hash;
          if (expected === null) refuse(409, 'the lead has not sent this record yet');
          if (decision.shownSha256 !== expected)
            refuse(
              409,
              'it cites other content than the server showed for this record: open the record again',
            );
          return {
            row,
            event: stage === 'adjudication' ? 'review-adjudication' : 'review-decision',
            detail: {},
          };
        },
      }));
      return reply.code(201).send({ decisions });
    },
  );

  // the decisions the lead merged from offline review packets: recorded by her, marked as from a packet
  app.post<{ Params: ReviewParams; Body: { decisions: Decision[] } }>(
    '/api/projects/:projectId/reviews/:reviewId/packet-decisions',
    { schema: { params, body: decisionsBody } },
    async (request, reply) => {
      const decisions = await recordDecisions(request, 'record-packet-decisions', ({ stored, rows }) => {
        // a packet is for one pass: its decisions, here and already recorded, are all of that stage
        const packetStage = new Map<string, DecisionStage>();
        for (const d of stored)
          if (d.decision.imported) packetStage.set(d.decision.imported.packetSha256, stageOf(d.decision));
        return {
          source: 'packet',
          notADecision:
            'it is not a Preflight decision: merge the results file again and send it from the app',
          admit: (decision, refuse) => {
            if (decision.imported === undefined)
              refuse(
                400,
                'it was not merged from a review packet: a reviewer on the team server records her own decisions',
              );
          },
          sentAgain: (before, decision) =>
            before.source !== 'packet' || canonicalSha256Hex(before.decision) !== canonicalSha256Hex(decision)
              ? 'its id is already used by another decision in this review on the server'
              : undefined,
          accept: (decision, stage, _review, refuse) => {
            const from = decision.imported as NonNullable<Decision['imported']>;
            const row = rows.get(statusKey(decision.stratum, decision.recordKey));
            if (row === undefined) return refuse(409, 'its record is not one of this review’s drawn records');
            if (stage === 'adjudication')
              refuse(409, 'an adjudication is not made in a review packet: adjudicate on the team server');
            if (stage === 'second' && row.second_member === null)
              refuse(
                409,
                `record ${row.id} has no second reviewer assigned: this review is not a dual review`,
              );
            const samePacket = packetStage.get(from.packetSha256);
            if (samePacket !== undefined && samePacket !== stage)
              refuse(
                409,
                `it is a ${stage} review, but other decisions of the same packet are ${samePacket} reviews: a packet is for one pass`,
              );
            if (row.shown_hash !== null && decision.shownSha256 !== row.shown_hash)
              refuse(
                409,
                `it cites other content for record ${row.id} than the server holds: the packet showed another version of the record`,
              );
            // a refusal after this point rolls the whole request back, this map with it
            packetStage.set(from.packetSha256, stage);
            const assignedTo = stage === 'second' ? row.second_member : row.first_member;
            // the lead records it: the entry's actor is hers, the reviewer is named as the packet carries her
            return {
              row,
              event: 'review-decision-from-packet',
              detail: {
                packetSha256: from.packetSha256,
                packetChainHead: from.chainHead,
                packetEntry: String(from.entry),
                packetEntryHash: from.entryHash,
                packetReviewer: decision.reviewer.id,
                packetReviewerName: decision.reviewer.name,
                passAssignedTo: assignedTo ?? '',
              },
            };
          },
        };
      });
      return reply.code(201).send({ decisions });
    },
  );

  // the lead closes adjudication: the passes are read by both reviewers from then on, and the
  // review takes no more decisions; closing again answers as the first time
  app.post<{ Params: ReviewParams }>(
    '/api/projects/:projectId/reviews/:reviewId/adjudication/close',
    { schema: { params } },
    async (request) => {
      const { projectId, reviewId } = request.params;
      return db.transaction(async (tx) => {
        const me = await allowed(tx, request, 'assign-reviews', true);
        const review = await storedReview(tx, projectId, reviewId);
        if (review === undefined) throw new ProjectRefusal(404, noReview(me));
        const waiting = recordStatuses(review).filter((s) => s.state === 'awaiting-adjudication').length;
        const before = await adjudicationClosedAt(tx, projectId, reviewId);
        if (before !== undefined) return { adjudicationClosedAt: before, awaitingAdjudication: waiting };
        const entry = await projectAudit(tx, request, clock(), 'review-adjudication-closed', {
          review: reviewId,
          awaitingAdjudication: String(waiting),
        });
        return { adjudicationClosedAt: entry.at, awaitingAdjudication: waiting };
      });
    },
  );

  // every decision the caller may read now, whole: what she may read grows as passes come in
  app.get<{ Params: ReviewParams }>(
    '/api/projects/:projectId/reviews/:reviewId/decisions',
    { schema: { params } },
    async (request) => {
      const { projectId, reviewId } = request.params;
      const me: Membership = await allowed(db, request, 'review-records', false);
      const lead = mayDo(me.role, 'assign-reviews');
      const review = await storedReview(db, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      const rows = new Map(
        (await recordsOf(db, projectId, reviewId)).map((r) => [statusKey(r.stratum, r.record_key), r]),
      );
      if (!lead && ![...rows.values()].some((r) => passOf(r, me.memberId) !== undefined))
        throw new ProjectRefusal(404, noReview(me));
      const statuses = statusesOf(review);
      const closedAt = await adjudicationClosedAt(db, projectId, reviewId);
      const all = await db.query<{
        seq: string | number;
        record_id: number;
        received_at: Date | string;
        decision: Decision;
        member_id: string;
        source: string;
        audit_hash: string;
      }>(
        `SELECT seq, record_id, received_at, decision, member_id, source, audit_hash FROM review_decisions
         WHERE project_id = $1 AND review_id = $2 ORDER BY seq`,
        [projectId, reviewId],
      );
      const visible = all.filter((d) => {
        const key = statusKey(d.decision.stratum, d.decision.recordKey);
        const row = rows.get(key) as RecordRow;
        return mayReadDecision({
          viewer: me.memberId,
          lead,
          pass: passOf(row, me.memberId),
          status: statuses.get(key) as RecordStatus,
          author: d.member_id,
          closed: closedAt !== undefined,
        });
      });
      // each decision's entry in the server's log: the lead's exports prove each decision by it
      const entries = new Map(
        (await readAudit(db, { hashes: visible.map((d) => d.audit_hash) })).map((e) => [e.hash, e]),
      );
      return {
        ...(closedAt === undefined ? {} : { adjudicationClosedAt: closedAt }),
        decisions: visible.map((d): ServerDecision => {
          const entry = entries.get(d.audit_hash);
          return {
            seq: Number(d.seq),
            recordId: d.record_id,
            receivedAt: new Date(d.received_at).toISOString(),
            decision: d.decision,
            ...(d.source === 'packet' ? { fromPacket: true as const } : {}),
            ...(entry === undefined ? {} : { entry }),
          };
        }),
      };
    },
  );
}
