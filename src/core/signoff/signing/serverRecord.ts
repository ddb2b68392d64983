/**
 * A review sent to a team project, kept in step with the server's record of it: every decision
 * the server holds, in the server's order, then every signature made there over the review (a
 * reviewer's, an adjudicator's, a data lead's approval or confirmation). The review on the lead's
 * computer replays what the server ordered — it never decides what is on the record — so its
 * progress, verdict, report and FHIR Bundle are the server's record, and its audit chain logs each
 * decision and signature so the exports verify as any sign-off does (`signoff verify --server`
 * asks the server about every signature's entry and the export's).
 *
 * Constraints: pure (no clock, no network). A decision is matched by its id: one the review holds
 * with other content than the server's is not the server's record and is refused, never replaced
 * (the review is append-only). Who may decide was the server's to judge (its roles and passes):
 * the replay checks the core's review rules only (src/core/signoff/review/review.ts `addDecision`).
 */

import { auditKindLabel } from '../../../formats/auditKinds.ts';
import type { ServerAuditRecord } from '../../../formats/projectAudit.ts';
import { serverAuditEntryHash } from '../../../formats/projectAudit.ts';
import type { Decision, Review, ServerReviewSignature } from '../../../formats/review.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { addDecision, ReviewChangeError } from '../review/review.ts';
import {
  addServerSignature,
  ServerSignatureError,
  type ServerSignatureView,
  serverReviewSignatureOf,
} from './serverSignatures.ts';

/** Why the review cannot follow the server's record (said to the lead, in the server's words). */
export class ServerRecordError extends Error {
  override name = 'ServerRecordError';
}

/** The server's record of one review, as its routes answer for it, in the server's order. */
export interface ServerRecordOfReview {
  /** the team project the review was sent to */
  project: string;
  /** every decision the caller may read, in the server's order (the lead reads them all) */
  decisions: readonly { seq: number; decision: Decision; entry?: ServerAuditRecord }[];
  /** the signatures made there over the review, in the server's order */
  signatures: readonly ServerSignatureView[];
}

/** What of the server's record the review does not hold yet. */
interface ServerRecordNews {
  decisions: Decision[];
  signatures: ServerReviewSignature[];
  /**
   * the server's log entries of decisions the review does not keep one of yet (new ones, and
   * ones replayed before the review kept entries), in the server's order; absent: none (an older
   * server answers without them)
   */
  entries?: ServerAuditRecord[];
}

/**
 * Why `entry` is not the server's log entry of `decision` in review `reviewId`, or undefined when
 * it is: its hash is its content's, it is a decision or adjudication entry of that review naming
 * the decision, its SHA-256 and outcome.
 */
export function serverDecisionEntryProblem(
  entry: ServerAuditRecord,
  decision: Decision | undefined,
  reviewId: string,
): string | undefined {
  const at = `the team server's entry ${entry.projectSeq ?? '?'}`;
  if (serverAuditEntryHash(entry) !== entry.hash) return `${at} was changed (its hash is not its content's)`;
  if (entry.kind !== 'review-decision' && entry.kind !== 'review-adjudication')
    return `${at} is “${auditKindLabel(entry.kind)}”, not a decision`;
  if (entry.detail.review !== reviewId)
    return `${at} is of review ${entry.detail.review ?? '?'}, not ${reviewId}`;
  if (decision === undefined)
    return `${at} records decision ${entry.detail.decision ?? '?'}, which the review does not hold`;
  if (entry.detail.decision !== decision.id)
    return `${at} records decision ${entry.detail.decision ?? '?'}, not ${decision.id}`;
  if (
    entry.detail.decisionSha256 !== canonicalSha256Hex(decision) ||
    entry.detail.outcome !== decision.outcome
  )
    return `decision ${decision.id} is not the one ${at} records (its hash or outcome differs)`;
  return undefined;
}

/**
 * What `review` lacks of the server's `record`: the decisions it does not hold (in the server's
 * order), then the signatures it does not keep, each as the review keeps it (an approval with the
 * result it signed, found among the server's decisions under the locked `plan`). Nothing new is
 * two empty lists.
 *
 * @throws {ServerRecordError} when a decision the review holds differs from the server's, or the
 * server's record breaks the review's rules (it would be refused on the server too).
 */
export function serverRecordNews(
  review: Review,
  plan: SamplePlan,
  record: ServerRecordOfReview,
): ServerRecordNews {
  const held = new Map(review.decisions.map((d) => [d.id, d]));
  const withEntry = new Set((review.serverDecisionEntries ?? []).map((e) => e.detail.decision));
  const decisions: Decision[] = [];
  const entries: ServerAuditRecord[] = [];
  for (const { seq, decision, entry } of [...record.decisions].sort((a, b) => a.seq - b.seq)) {
    if (entry !== undefined && !withEntry.has(decision.id)) entries.push(entry);
    const mine = held.get(decision.id);
    if (mine === undefined) decisions.push(decision);
    else if (canonicalSha256Hex(mine) !== canonicalSha256Hex(decision))
      throw new ServerRecordError(
        `decision ${seq} of the team server's record differs from the one this computer holds under its id: the review here is not the server's`,
      );
  }
  const next = withServerRecord(review, { decisions, signatures: [] });
  const kept = new Set((review.serverSignatures ?? []).map((s) => s.id));
  const signatures: ServerReviewSignature[] = [];
  for (const view of record.signatures) {
    let signature: ServerReviewSignature;
    try {
      signature = serverReviewSignatureOf(view, record.project, review.id, { review: next, plan });
    } catch (error) {
      if (error instanceof ServerSignatureError) throw new ServerRecordError(error.message);
      throw error;
    }
    if (!kept.has(signature.id)) signatures.push(signature);
  }
  return { decisions, signatures, ...(entries.length > 0 ? { entries } : {}) };
}

/**
 * `review` with `news` appended: the decisions in order by the review's rules, then the
 * signatures, each over the review as it then holds the server's decisions (the reducer of the
 * `review/server-record` change). `plan`: the review's locked plan, which an approval's result is
 * checked against.
 *
 * @throws {ServerRecordError} naming the first that is refused, and why.
 */
export function withServerRecord(review: Review, news: ServerRecordNews, plan?: SamplePlan): Review {
  let next = review;
  for (const [i, decision] of news.decisions.entries()) {
    try {
      next = addDecision(next, decision);
    } catch (error) {
      if (error instanceof ReviewChangeError)
        throw new ServerRecordError(
          `decision ${i + 1} of the ${news.decisions.length} new on the team server is refused here: ${error.message}`,
        );
      throw error;
    }
  }
  if ((news.entries ?? []).length > 0) {
    const byId = new Map(next.decisions.map((d) => [d.id, d]));
    for (const entry of news.entries ?? []) {
      const problem = serverDecisionEntryProblem(entry, byId.get(entry.detail.decision ?? ''), next.id);
      if (problem !== undefined)
        throw new ServerRecordError(`the team server's record is refused here: ${problem}`);
    }
    // in the server's order, also when entries of decisions replayed before are brought in later
    const kept = [...(next.serverDecisionEntries ?? []), ...(news.entries ?? [])].sort(
      (a, b) => (a.projectSeq ?? 0) - (b.projectSeq ?? 0),
    );
    next = { ...next, serverDecisionEntries: kept };
  }
  for (const signature of news.signatures) {
    try {
      next = addServerSignature(next, signature, plan);
    } catch (error) {
      if (error instanceof ServerSignatureError) throw new ServerRecordError(error.message);
      throw error;
    }
  }
  return next;
}
