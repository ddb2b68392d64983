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
 *   (src/core/signoff/review/review.ts `addDecision`: dual review, adjudication, what a decision says),
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
 * never in URLs (a key may be a medical record number): a record is named by its position. Each
 * route is registered from its contract (src/core/teamApi/reviews.ts); the SQL is the data
 * layer's (data/reviewSamples.ts).
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { canonicalSha256Hex } from '../core/hash/index.ts';
import {
  addDecision,
  adjudicationShownHash,
  type RecordStatus,
  ReviewChangeError,
  recordStatuses,
  shownHash,
  stageOf,
} from '../core/signoff/review/index.ts';
import { isLocked, planHash } from '../core/signoff/sampling/index.ts';
import {
  type AssignedPass,
  type AssignedRecord,
  assignedRecordsRoute,
  assignReviewRoute,
  closeAdjudicationRoute,
  listReviewsRoute,
  MAX_REVIEW_RECORDS,
  mayDo,
  openRecordRoute,
  postDecisionsRoute,
  postPacketDecisionsRoute,
  type RecordAssignment,
  ROLE_ACTIONS,
  readDecisionsRoute,
  type ServerDecision,
  sendPlanRoute,
  sendRecordsRoute,
} from '../core/teamApi/index.ts';
import { validateReview, validateSamplePlan } from '../formats/generated/validators.js';
import { type Decision, type DecisionStage, REVIEW_FORMAT, type Review } from '../formats/review.ts';
import { personOf } from './access.ts';
import { readAudit, type ServerAuditKind } from './auditLog.ts';
import {
  type AfterCommit,
  type ProjectRouteContext,
  type RouteServices,
  serveProjectRoute,
} from './contractRoute.ts';
import {
  adjudicationClosedAt,
  appendDecision,
  currentRolesOf,
  decisionsInOrder,
  decisionsOnRecords,
  insertReview,
  keepLockedPlan,
  keepPair,
  lastDecisionSeq,
  packetDecisionsOn,
  packetStage,
  type RecordRow,
  recordsByKey,
  recordsOf,
  recordWithPair,
  reviewExists,
  reviewHead,
  reviewList,
  type StoredDecision,
  type StoredSample,
  storedDecisions,
  storedReview,
  storedSample,
} from './data/reviewSamples.ts';
import { analyzeAfterLargeWrite, type Queryable } from './database.ts';
import { type Membership, ProjectRefusal } from './projects.ts';
import { decisionsTried } from './refusalFolds.ts';

/** Refuses the decision being recorded with `status`, saying `why`. */
type Refuse = (status: 400 | 403 | 409, why: string) => never;

/** What the rules of a decisions route are built from, for one request. */
interface DecisionContext {
  /** the caller */
  me: Membership;
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
  /**
   * checks a new decision against `review` as it concerns the decision's record (`row`, undefined
   * when it is none of the review's): that record and its decisions; its audit entry's kind and fields
   */
  accept: (
    decision: Decision,
    stage: DecisionStage,
    review: Review,
    row: RecordRow | undefined,
    refuse: Refuse,
  ) => Promise<{ row: RecordRow; event: ServerAuditKind; detail: Record<string, string> }>;
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
function withoutDecisionId(why: string, id: string | undefined): string {
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

/** Why `plan` is not the locked plan of a review citing `hash`, or undefined. */
function lockedPlanProblem(plan: unknown, hash: string): string | undefined {
  if (!validateSamplePlan(plan) || !isLocked(plan))
    return 'the plan sent is not a locked Preflight sample plan: send it again from the app';
  if (planHash(plan) !== hash)
    return 'the plan sent is not the plan this sample was drawn under (its hash differs): send the review’s own locked plan';
  return undefined;
}

/** A record's key in a review: its stratum and record key. */
const statusKey = (stratum: string, key: string) => `${stratum}\u001f${key}`;
/** Each record's status in `review`, by {@link statusKey}. */
const statusesOf = (review: Review) =>
  new Map(recordStatuses(review).map((s) => [statusKey(s.stratum, s.recordKey), s]));

/** Whether `pass` on a record is the caller's to open now (an adjudicator's waits for a disagreement). */
const open = (pass: AssignedPass | undefined, status: RecordStatus | undefined) =>
  pass !== undefined &&
  (pass !== 'adjudication' ||
    status?.state === 'awaiting-adjudication' ||
    status?.adjudication !== undefined);

/** What a decisions route hands {@link reviewAssignmentRoutes}' `recordDecisions`. */
type DecisionsContext = Pick<
  ProjectRouteContext<typeof postDecisionsRoute | typeof postPacketDecisionsRoute>,
  'tx' | 'me' | 'params' | 'body' | 'audit'
>;

/**
 * `answer`, sent once the route's transaction has committed and, when the route added `added` rows
 * to the review tables (a review's records, a packet's decisions), their statistics are refreshed:
 * the next decisions are planned for the review's new size at once, not after a sweep.
 */
function afterAnalyzing<A>(
  {
    afterCommit,
    request,
  }: { afterCommit(finish: () => Promise<A>): AfterCommit<A>; request: FastifyRequest },
  db: Queryable,
  added: number,
  answer: A,
): AfterCommit<A> {
  return afterCommit(async () => {
    await analyzeAfterLargeWrite(db, added, request.log);
    return answer;
  });
}

/** How many of a request's answered decisions it recorded now (not sent again after a lost answer). */
const newlyRecorded = (decisions: readonly { recordedBefore?: true }[]) =>
  decisions.filter((d) => d.recordedBefore !== true).length;

/**
 * The review routes, a fastify plugin over `db` with the server's clock (contracts:
 * src/core/teamApi/reviews.ts): the lead's changes are `assign-reviews`, a reviewer's reads and
 * decisions `review-records`, the packet's decisions `record-packet-decisions`; each change runs
 * in one transaction that locks the project's row, with its audit entries.
 */
export const reviewAssignmentRoutes: FastifyPluginAsync<RouteServices> = async (app, services) => {
  const { clock } = services;
  const lead = { action: 'assign-reviews', transaction: 'change' } as const;

  // ---- the lead: assign, then send the record pairs ------------------------------------------

  serveProjectRoute(app, services, {
    contract: assignReviewRoute,
    ...lead,
    handler: async ({ tx, projectId, body, request, audit, afterCommit }) => {
      const { review, assignments, plan: lockedPlan } = body;
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
      const roleOf = await currentRolesOf(tx, projectId, new Date(clock()).toISOString().slice(0, 10));
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
      if (await reviewExists(tx, projectId, id))
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
      const ordered = drawn.map((key) => byKey.get(key) as RecordAssignment);
      await insertReview(
        tx,
        projectId,
        posted,
        ordered,
        new Date(clock()).toISOString(),
        personOf(request).subject,
      );
      await audit('review-assigned', {
        review: id,
        planHash: plan.hash,
        records: String(ordered.length),
        dualReview: String(dualReview),
        assignmentsSha256: canonicalSha256Hex(ordered),
      });
      return afterAnalyzing({ afterCommit, request }, services.db, ordered.length, {
        review: review.id,
        records: ordered.map((a, i) => ({ id: i + 1, stratum: a.stratum, recordKey: a.recordKey })),
      });
    },
  });

  // a review sent before the server kept plans gets its locked plan afterwards, once; the plan
  // must be the one the sample was drawn under (its hash is the review's), so it never changes
  serveProjectRoute(app, services, {
    contract: sendPlanRoute,
    ...lead,
    handler: async ({ tx, me, projectId, params, body, audit }) => {
      const { reviewId } = params;
      const stored = await storedSample(tx, projectId, reviewId);
      if (stored === undefined) throw new ProjectRefusal(404, noReview(me));
      const { review, plan } = stored;
      const problem = lockedPlanProblem(body.plan, review.plan.hash);
      if (problem !== undefined) throw new ProjectRefusal(409, problem);
      if (plan !== undefined) return { plan: review.plan.hash };
      await keepLockedPlan(tx, projectId, reviewId, body.plan);
      await audit('review-plan-sent', { review: reviewId, planHash: review.plan.hash });
      return { plan: review.plan.hash };
    },
  });

  serveProjectRoute(app, services, {
    contract: sendRecordsRoute,
    ...lead,
    // reads the review's head and the batch's own records through their index, never the whole
    // sample, its records or its decisions: a pair sent late in a census review costs what the first did
    handler: async ({ tx, me, projectId, params, body, audit }) => {
      const { reviewId } = params;
      const review = await reviewHead(tx, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      const keys = body.records.map(({ shown }) => ({ stratum: shown.stratum, recordKey: shown.recordKey }));
      const rows = new Map<string, RecordRow>(
        (await recordsByKey(tx, projectId, reviewId, keys)).map((r) => [
          statusKey(r.stratum, r.record_key),
          r,
        ]),
      );
      let added = 0;
      const hashes: string[] = [];
      for (const [i, { shown }] of body.records.entries()) {
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
        await keepPair(tx, projectId, reviewId, row.id, shown, hash);
        // the same record twice in one batch is judged against what the first stored
        row.shown_hash = hash;
        added++;
      }
      if (added > 0)
        await audit('sampled-records-sent', {
          review: reviewId,
          records: String(added),
          shownSha256: canonicalSha256Hex(hashes),
        });
      return { sent: added };
    },
  });

  // ---- reviewers: their records, one read at a time -------------------------------------------

  const reviewer = { action: 'review-records', transaction: 'none' } as const;

  serveProjectRoute(app, services, {
    contract: listReviewsRoute,
    ...reviewer,
    handler: async ({ tx, me, projectId }) => {
      const lead = mayDo(me.role, 'assign-reviews');
      const rows = await reviewList(tx, projectId, me.memberId);
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
  });

  serveProjectRoute(app, services, {
    contract: assignedRecordsRoute,
    ...reviewer,
    handler: async ({ tx, me, projectId, params }) => {
      const { reviewId } = params;
      const review = await storedReview(tx, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      const statuses = statusesOf(review);
      const mine = await recordsOf(tx, projectId, reviewId, me.memberId);
      const fromPackets = await packetDecisionsOn(tx, projectId, reviewId);
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
  });

  serveProjectRoute(app, services, {
    contract: openRecordRoute,
    action: 'review-records',
    transaction: 'read',
    handler: async ({ tx, me, projectId, params, audit }) => {
      const { reviewId } = params;
      const recordId = Number(params.recordId);
      const review = await storedReview(tx, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      const row = await recordWithPair(tx, projectId, reviewId, recordId);
      const pass = row === undefined ? undefined : passOf(row, me.memberId);
      const status =
        row === undefined ? undefined : statusesOf(review).get(statusKey(row.stratum, row.record_key));
      if (row === undefined || !open(pass, status)) throw new ProjectRefusal(404, NOT_YOURS);
      if (row.shown === null)
        throw new ProjectRefusal(409, 'the lead has not sent this record yet: it opens once she has');
      // the read is recorded before the content leaves, in the same transaction
      await audit('sampled-record-read', {
        review: reviewId,
        record: String(row.id),
        stratum: row.stratum,
        recordKey: row.record_key,
        pass: pass as AssignedPass,
      });
      return {
        record: { id: row.id, stratum: row.stratum, recordKey: row.record_key, pass: pass as AssignedPass },
        shown: row.shown,
        // a sent pair is stored with its hash
        shownSha256: row.shown_hash as string,
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
    },
  });

  // ---- decisions, in the server's order ------------------------------------------------------

  /**
   * Records `body.decisions` in the route's transaction, in order, after `rules` (built for the
   * request); all are recorded, or none and the refusal says which decision and why. A decision
   * sent again after a lost answer (the same id and content) is answered with the same entry, also
   * once adjudication is closed; the same id with other content is refused. Each decision is
   * checked against its own record alone (the core's rules are per record): it reads that record,
   * its decisions and its id's, never the whole review, so its cost does not grow with the review.
   */
  const recordDecisions = async (
    { tx, me, params, body, audit }: DecisionsContext,
    rulesFor: (context: DecisionContext) => DecisionRules,
  ) => {
    const { projectId, reviewId } = params;
    const head = await reviewHead(tx, projectId, reviewId);
    if (head === undefined) throw new ProjectRefusal(404, noReview(me));
    // a decision recorded before is answered even so (its answer was lost): only new ones are refused
    const closed = (await adjudicationClosedAt(tx, projectId, reviewId)) !== undefined;
    const rules = rulesFor({ me });
    const fromPacket = rules.source === 'packet';
    // what the request's decisions concern, read once for all of them: their records, the
    // decisions on those records, and the decisions already stored under their ids
    const strings = body.decisions.filter(
      (d) => typeof d.stratum === 'string' && typeof d.recordKey === 'string',
    );
    const rows = new Map(
      (await recordsByKey(tx, projectId, reviewId, strings)).map((r) => [
        statusKey(r.stratum, r.record_key),
        r,
      ]),
    );
    const on = new Map<number, Decision[]>();
    for (const d of await decisionsOnRecords(
      tx,
      projectId,
      reviewId,
      [...rows.values()].map((r) => r.id),
    ))
      on.set(d.record_id, [...(on.get(d.record_id) ?? []), d.decision]);
    const stored = new Map(
      (
        await storedDecisions(
          tx,
          projectId,
          reviewId,
          body.decisions.map((d) => d.id),
        )
      ).map((d) => [d.decision.id, d]),
    );
    // the review as each record of this request concerns it, with the decisions recorded on it so far
    const records = new Map<string, { row: RecordRow | undefined; review: Review }>();
    const recordOf = (decision: Decision) => {
      const key = statusKey(String(decision.stratum), String(decision.recordKey));
      const known = records.get(key);
      if (known !== undefined) return known;
      const row = rows.get(key);
      const stratum = head.sample.strata.find((s) => s.id === row?.stratum);
      const review: Review =
        row === undefined || stratum === undefined
          ? head
          : {
              ...head,
              sample: { ...head.sample, strata: [{ ...stratum, records: [row.drawn] }] },
              decisions: on.get(row.id) ?? [],
            };
      const found = { row, review };
      records.set(key, found);
      return found;
    };
    let seq: number | undefined;
    const recorded: (ServerDecision & { recordedBefore?: true })[] = [];
    for (const [i, decision] of body.decisions.entries()) {
      const record = recordOf(decision);
      const { row } = record;
      const refuse: Refuse = (status, why) => {
        // named by its place in the batch and its record's position, as the reviewer's list
        // shows it: never by the decision's id, which the core's words say once more
        throw new ProjectRefusal(
          status,
          `decision ${i + 1} of ${body.decisions.length}${row === undefined ? '' : ` (record ${row.id})`}: ${withoutDecisionId(why, decision.id)}`,
        );
      };
      if (!validateReview({ ...record.review, decisions: [decision] })) refuse(400, rules.notADecision);
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
      if (closed)
        throw new ProjectRefusal(
          409,
          'the lead closed adjudication on this review: it takes no more decisions (the passes are no longer blind to each other)',
        );
      const stage: DecisionStage = stageOf(decision);
      const accepted = await rules.accept(decision, stage, record.review, row, refuse);
      const { event, detail } = accepted;
      try {
        record.review = addDecision(record.review, decision);
      } catch (error) {
        if (error instanceof ReviewChangeError) refuse(409, error.message);
        throw error;
      }
      seq = (seq ?? (await lastDecisionSeq(tx, projectId, reviewId))) + 1;
      const at = new Date(clock()).toISOString();
      const entry = await audit(event, {
        review: reviewId,
        record: String(accepted.row.id),
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
      await appendDecision(tx, {
        projectId,
        reviewId,
        seq,
        recordId: accepted.row.id,
        stage,
        memberId: me.memberId,
        at,
        decision,
        auditHash: entry.hash,
        source: rules.source,
      });
      stored.set(decision.id, {
        seq,
        record_id: accepted.row.id,
        received_at: at,
        decision,
        source: rules.source,
      });
      recorded.push({
        seq,
        recordId: accepted.row.id,
        receivedAt: at,
        decision,
        ...(fromPacket ? { fromPacket: true } : {}),
      });
    }
    return recorded;
  };

  // a reviewer's own decisions, on the passes assigned to her
  serveProjectRoute(app, services, {
    contract: postDecisionsRoute,
    refusalsRecorded: { about: 'decision', target: decisionsTried },
    action: 'review-records',
    transaction: 'change',
    handler: async (context) => {
      const user = personOf(context.request);
      const decisions = await recordDecisions(context, ({ me }) => ({
        source: 'posted',
        notADecision: 'it is not a Preflight decision: send it again from the app',
        sentAgain: (before, decision) => {
          if (before.source === 'packet')
            return 'its id is already used by a decision the lead recorded from a review packet';
          return canonicalSha256Hex(before.decision) !== canonicalSha256Hex(decision)
            ? 'its id is already used by another decision'
            : undefined;
        },
        accept: async (decision, stage, review, row, refuse) => {
          if (decision.imported !== undefined)
            refuse(400, 'a decision posted to the server is not an imported one');
          if (decision.reviewer.id !== me.memberId || decision.reviewer.name !== user.name)
            refuse(403, 'a decision is recorded under the name of the person signed in who made it');
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
      return afterAnalyzing(context, services.db, newlyRecorded(decisions), { decisions });
    },
  });

  // the decisions the lead merged from offline review packets: recorded by her, marked as from a packet
  serveProjectRoute(app, services, {
    contract: postPacketDecisionsRoute,
    refusalsRecorded: { about: 'decision', target: decisionsTried },
    action: 'record-packet-decisions',
    transaction: 'change',
    handler: async (context) => {
      const { tx, params } = context;
      const decisions = await recordDecisions(context, () => {
        // a packet is for one pass: the stage of each packet's decisions, here and already recorded
        const stages = new Map<string, DecisionStage | undefined>();
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
          accept: async (decision, stage, _review, row, refuse) => {
            const from = decision.imported as NonNullable<Decision['imported']>;
            if (row === undefined) return refuse(409, 'its record is not one of this review’s drawn records');
            if (stage === 'adjudication')
              refuse(409, 'an adjudication is not made in a review packet: adjudicate on the team server');
            if (stage === 'second' && row.second_member === null)
              refuse(
                409,
                `record ${row.id} has no second reviewer assigned: this review is not a dual review`,
              );
            const samePacket = stages.has(from.packetSha256)
              ? stages.get(from.packetSha256)
              : await packetStage(tx, params.projectId, params.reviewId, from.packetSha256);
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
            stages.set(from.packetSha256, stage);
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
      return afterAnalyzing(context, services.db, newlyRecorded(decisions), { decisions });
    },
  });

  // the lead closes adjudication: the passes are read by both reviewers from then on, and the
  // review takes no more decisions; closing again answers as the first time
  serveProjectRoute(app, services, {
    contract: closeAdjudicationRoute,
    ...lead,
    refusalsRecorded: { about: 'decision' },
    handler: async ({ tx, me, projectId, params, audit }) => {
      const { reviewId } = params;
      const review = await storedReview(tx, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      const waiting = recordStatuses(review).filter((s) => s.state === 'awaiting-adjudication').length;
      const before = await adjudicationClosedAt(tx, projectId, reviewId);
      if (before !== undefined) return { adjudicationClosedAt: before, awaitingAdjudication: waiting };
      const entry = await audit('review-adjudication-closed', {
        review: reviewId,
        awaitingAdjudication: String(waiting),
      });
      return { adjudicationClosedAt: entry.at, awaitingAdjudication: waiting };
    },
  });

  // every decision the caller may read now, whole: what she may read grows as passes come in
  serveProjectRoute(app, services, {
    contract: readDecisionsRoute,
    ...reviewer,
    handler: async ({ tx, me, projectId, params }) => {
      const { reviewId } = params;
      const lead = mayDo(me.role, 'assign-reviews');
      const review = await storedReview(tx, projectId, reviewId);
      if (review === undefined) throw new ProjectRefusal(404, noReview(me));
      const rows = new Map(
        (await recordsOf(tx, projectId, reviewId)).map((r) => [statusKey(r.stratum, r.record_key), r]),
      );
      if (!lead && ![...rows.values()].some((r) => passOf(r, me.memberId) !== undefined))
        throw new ProjectRefusal(404, noReview(me));
      const statuses = statusesOf(review);
      const closedAt = await adjudicationClosedAt(tx, projectId, reviewId);
      const all = await decisionsInOrder(tx, projectId, reviewId);
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
        (await readAudit(tx, { hashes: visible.map((d) => d.audit_hash) })).map((e) => [e.hash, e]),
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
  });
};
