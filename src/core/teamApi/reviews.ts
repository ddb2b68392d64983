/**
 * Review assignments on the team server: the lead sends a locked sample with who reviews which
 * pass and then its record pairs; a reviewer lists her records, opens one (the server records the
 * read) and posts her decisions; the lead records decisions merged from offline review packets
 * and closes adjudication; each reads the decisions the blind rules let her read.
 *
 * Constraints: a record is named by its position in the review (digits), never by its key, so no
 * record key is in a URL. A review, a plan and a decision are checked by their formats on the
 * server after these schemas (which only bound them); a record pair's schema bounds every string
 * and array it carries. The schemas keep the keywords the routes always had, so a refusal reads
 * as it always did. Decisions, record pairs and samples are the core's types, named here.
 */

import { type Static, Type } from 'typebox';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import type { Decision, DrawnSample, MappingRef } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import type { ShownRecord } from '../signoff/review/index.ts';
import { ClientId, Id, MAX_PROJECT_ID, ProjectParams } from './common.ts';
import { defineRoute } from './route.ts';

/** The most records one review holds (a census of a flagged stratum is hundreds, not thousands). */
export const MAX_REVIEW_RECORDS = 5000;
/** Record pairs one request may carry (the body limit bounds their size too). */
const MAX_RECORDS_PER_POST = 500;
/** Decisions one request may carry (a reviewer who worked offline for a day sends them together). */
const MAX_DECISIONS_PER_POST = 500;

const base = '/api/projects/:projectId/reviews';
const ReviewParams = Type.Object({ ...ProjectParams.properties, reviewId: Id });
const RecordParams = Type.Object({
  ...ReviewParams.properties,
  recordId: Type.String({ pattern: '^[0-9]{1,6}$' }),
});
/** A membership id naming a reviewer. */
const MemberId = Type.String({ minLength: 1, maxLength: MAX_PROJECT_ID });
const Text = (maxLength: number) => Type.String({ maxLength });

const DecisionSchema = Type.Unsafe<Decision>({ type: 'object' });
/**
 * A decision as a client posts it: its id bounded (the rest is checked by the review format).
 * Only posts are bounded: a decision the server already holds is answered as it was kept.
 */
const PostedDecisionSchema = Type.Unsafe<Decision>({
  type: 'object',
  required: ['id'],
  properties: { id: ClientId },
});
const Shown = Type.Unsafe<ShownRecord>({ type: 'object' });

/** Which pass a person holds on a record. */
export const AssignedPassSchema = Type.Union([
  Type.Literal('first'),
  Type.Literal('second'),
  Type.Literal('adjudication'),
]);
/** Which pass a person holds on a record. */
export type AssignedPass = Static<typeof AssignedPassSchema>;

/** One record's reviewers, by membership id. */
export const RecordAssignmentSchema = Type.Object(
  {
    stratum: Id,
    recordKey: Id,
    first: MemberId,
    second: Type.Optional(MemberId),
    adjudicator: Type.Optional(MemberId),
  },
  { additionalProperties: false },
);
/** One record's reviewers, by membership id. */
export type RecordAssignment = Static<typeof RecordAssignmentSchema>;

/** The review the lead posts: what the app's review holds but its decisions. */
export interface PostedReview {
  id: string;
  plan: { id: string; hash: string };
  sample: DrawnSample;
  dualReview?: boolean;
  mapping?: MappingRef;
}

/** One record of a reviewer's list. */
export const AssignedRecordSchema = Type.Object({
  /** the record's position in the review (1-based): how URLs name it */
  id: Type.Integer(),
  stratum: Type.String(),
  recordKey: Type.String(),
  pass: AssignedPassSchema,
  /** the lead has sent the record pair (the reviewer can open it) */
  sent: Type.Boolean(),
  /** the caller's latest decision on it, if any */
  decided: Type.Boolean(),
  /**
   * her pass on it was decided in an offline review packet, which the lead recorded here: who
   * recorded it and when, and the outcome. It is not her own decision on the server (her "I
   * reviewed" signature does not cover it), and she does not review the record again.
   */
  decidedInPacket: Type.Optional(
    Type.Object({
      /** the lead's name as the audit entry recording it holds it */
      recordedBy: Type.String(),
      recordedAt: Type.String(),
      outcome: Type.Unsafe<Decision['outcome']>({ type: 'string' }),
    }),
  ),
});
/** One record of a reviewer's list. */
export type AssignedRecord = Static<typeof AssignedRecordSchema>;
/** A decision on a reviewer's pass that the lead recorded from an offline packet, as her list says it. */
export type PacketDecisionNote = NonNullable<AssignedRecord['decidedInPacket']>;

/** A decision as the server holds it: the decision, its place in the review's order, when received. */
export const ServerDecisionSchema = Type.Object({
  seq: Type.Integer(),
  recordId: Type.Integer(),
  receivedAt: Type.String(),
  decision: DecisionSchema,
  /** recorded by the lead from a review packet (the decision's `imported` says which), not posted by its reviewer */
  fromPacket: Type.Optional(Type.Literal(true)),
  /** the server's audit-log entry that recorded it (absent from an older server) */
  entry: Type.Optional(Type.Unsafe<ServerAuditRecord>({ type: 'object' })),
});
/** A decision as the server holds it. */
export type ServerDecision = Static<typeof ServerDecisionSchema>;

/** A recorded decision as a post answers it; `recordedBefore`: a packet's decision recorded by an earlier post. */
const PostedDecision = Type.Object({
  ...ServerDecisionSchema.properties,
  recordedBefore: Type.Optional(Type.Literal(true)),
});

/** A review in the project's list: the reviewer's count of records; the lead's, how many were sent. */
export const ServerReviewSummarySchema = Type.Object({
  id: Type.String(),
  planHash: Type.String(),
  dualReview: Type.Boolean(),
  assignedAt: Type.String(),
  assignedToMe: Type.Integer(),
  records: Type.Optional(Type.Integer()),
  sent: Type.Optional(Type.Integer()),
});
/** A review in the project's list. */
export type ServerReviewSummary = Static<typeof ServerReviewSummarySchema>;

/** `POST …/reviews`: the lead sends a review's sample, its locked plan and who reviews each record. */
export const assignReviewRoute = defineRoute({
  method: 'POST',
  path: base,
  status: 201,
  params: ProjectParams,
  body: Type.Object(
    {
      review: Type.Unsafe<PostedReview>({ type: 'object' }),
      // the locked sample plan the review was drawn under: the server judges the result against it
      plan: Type.Optional(Type.Unsafe<SamplePlan>({ type: 'object' })),
      assignments: Type.Array(RecordAssignmentSchema, { minItems: 1, maxItems: MAX_REVIEW_RECORDS }),
    },
    { additionalProperties: false },
  ),
  answer: Type.Object({
    review: Type.String(),
    records: Type.Array(
      Type.Object({ id: Type.Integer(), stratum: Type.String(), recordKey: Type.String() }),
    ),
  }),
});

/** `PUT …/reviews/:reviewId/plan`: the locked plan of a review sent before the server kept plans. */
export const sendPlanRoute = defineRoute({
  method: 'PUT',
  path: `${base}/:reviewId/plan`,
  params: ReviewParams,
  body: Type.Object({ plan: Type.Unsafe<SamplePlan>({ type: 'object' }) }, { additionalProperties: false }),
  answer: Type.Object({ plan: Type.String() }),
});

/** A record pair as the lead's screen showed it, bounded. */
const ShownRecordBody = Type.Unsafe<ShownRecord>(
  Type.Object(
    {
      planHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      stratum: Id,
      recordKey: Id,
      source: Type.Object(
        {
          file: Type.Optional(Text(500)),
          row: Type.Integer({ minimum: 0 }),
          header: Type.Array(Text(500), { maxItems: 2000 }),
          cells: Type.Array(Text(20_000), { maxItems: 2000 }),
        },
        { additionalProperties: false },
      ),
      mapping: Type.Union([
        Type.Null(),
        Type.Object({ id: Id, version: Type.Integer() }, { additionalProperties: false }),
      ]),
      target: Type.Union([Type.Null(), Type.Unsafe<object>({ type: 'object' })]),
      alignment: Type.Array(
        Type.Object(
          {
            target: Text(500),
            columns: Type.Array(Text(500), { maxItems: 100 }),
            value: Type.Optional(Text(20_000)),
            expected: Type.Optional(Text(20_000)),
            path: Type.Optional(Text(500)),
            problem: Type.Optional(Text(2000)),
          },
          { additionalProperties: false },
        ),
        { maxItems: 2000 },
      ),
    },
    { additionalProperties: false },
  ),
);

/** `POST …/reviews/:reviewId/records`: the lead sends a batch of record pairs (each stored once). */
export const sendRecordsRoute = defineRoute({
  method: 'POST',
  path: `${base}/:reviewId/records`,
  params: ReviewParams,
  body: Type.Object(
    {
      records: Type.Array(Type.Object({ shown: ShownRecordBody }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: MAX_RECORDS_PER_POST,
      }),
    },
    { additionalProperties: false },
  ),
  answer: Type.Object({ sent: Type.Integer() }),
});

/** `GET …/reviews`: the reviews the caller has records in (the lead: every review). */
export const listReviewsRoute = defineRoute({
  method: 'GET',
  path: base,
  params: ProjectParams,
  answer: Type.Object({ reviews: Type.Array(ServerReviewSummarySchema) }),
});

/** `GET …/reviews/:reviewId/assigned`: the caller's records of a review, with her pass on each. */
export const assignedRecordsRoute = defineRoute({
  method: 'GET',
  path: `${base}/:reviewId/assigned`,
  params: ReviewParams,
  answer: Type.Object({
    review: Type.String(),
    planHash: Type.String(),
    dualReview: Type.Boolean(),
    /** the reviewer's membership id on the project: her decisions' staff id */
    memberId: Type.String(),
    records: Type.Array(AssignedRecordSchema),
  }),
});

/** `GET …/reviews/:reviewId/records/:recordId`: opens one of the caller's records (the read is recorded). */
export const openRecordRoute = defineRoute({
  method: 'GET',
  path: `${base}/:reviewId/records/:recordId`,
  params: RecordParams,
  answer: Type.Object({
    record: Type.Object({
      id: Type.Integer(),
      stratum: Type.String(),
      recordKey: Type.String(),
      pass: AssignedPassSchema,
    }),
    shown: Shown,
    shownSha256: Type.String(),
    /** for the adjudicator: the two decisions she arbitrates, and the hash her decision cites */
    adjudication: Type.Optional(
      Type.Object({
        first: Type.Optional(DecisionSchema),
        second: Type.Optional(DecisionSchema),
        shownSha256: Type.String(),
      }),
    ),
  }),
});

const DecisionsBody = Type.Object(
  {
    decisions: Type.Array(PostedDecisionSchema, { minItems: 1, maxItems: MAX_DECISIONS_PER_POST }),
  },
  { additionalProperties: false },
);

/** `POST …/reviews/:reviewId/decisions`: a reviewer's own decisions, in the server's order. */
export const postDecisionsRoute = defineRoute({
  method: 'POST',
  path: `${base}/:reviewId/decisions`,
  status: 201,
  params: ReviewParams,
  body: DecisionsBody,
  answer: Type.Object({ decisions: Type.Array(PostedDecision) }),
});

/** `POST …/reviews/:reviewId/packet-decisions`: decisions the lead merged from offline review packets. */
export const postPacketDecisionsRoute = defineRoute({
  method: 'POST',
  path: `${base}/:reviewId/packet-decisions`,
  status: 201,
  params: ReviewParams,
  body: DecisionsBody,
  answer: Type.Object({ decisions: Type.Array(PostedDecision) }),
});

/** `POST …/reviews/:reviewId/adjudication/close`: the lead closes adjudication (again: the same answer). */
export const closeAdjudicationRoute = defineRoute({
  method: 'POST',
  path: `${base}/:reviewId/adjudication/close`,
  params: ReviewParams,
  answer: Type.Object({
    adjudicationClosedAt: Type.String(),
    /** records still waiting for the adjudicator when it was closed */
    awaitingAdjudication: Type.Integer(),
  }),
});

/** `GET …/reviews/:reviewId/decisions`: every decision the caller may read now, whole. */
export const readDecisionsRoute = defineRoute({
  method: 'GET',
  path: `${base}/:reviewId/decisions`,
  params: ReviewParams,
  answer: Type.Object({
    adjudicationClosedAt: Type.Optional(Type.String()),
    decisions: Type.Array(ServerDecisionSchema),
  }),
});
