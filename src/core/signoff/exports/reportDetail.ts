/**
 * The records a compliance officer reads one by one in the sign-off report: every record a
 * reviewer rejected or found a critical defect in, every record marked "cannot assess" with where
 * its adjudication stands, and every adjudication with the two decisions it ruled on.
 *
 * Each record is listed with its current decision of each stage (first, second, adjudication: the
 * latest of each, as the verdict reads them), so a rejection an adjudicator overruled still shows.
 *
 * Constraint: no record content. A decision carries the record key, row, reviewer, time, outcome
 * and the fields marked wrong (field name, reason code, class). The reviewers' comments are free
 * text that may quote a patient's details, so they are left out unless the caller asks for them
 * (`includeComments`); without them a decision says only whether a comment was written.
 */
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type { Decision, Review } from '../../../formats/review.ts';
import type {
  DetailChange,
  DetailDecision,
  DetailRecord,
  ReportDetail,
} from '../../../formats/signoffReport.ts';
import { recordStatuses, stageOf } from '../review/dualReview.ts';

export type { DetailDecision, DetailRecord } from '../../../formats/signoffReport.ts';

/** Whether a decision rejects the record or marks a critical finding. */
function rejectsOrCritical(d: Pick<Decision, 'outcome' | 'findings'>): boolean {
  return d.outcome === 'reject' || d.findings.some((f) => f.defectClass === 'critical');
}

function detailOf(d: Decision, includeComments: boolean): DetailDecision {
  const comment = d.comment?.trim() ?? '';
  return {
    stage: stageOf(d),
    outcome: d.outcome,
    reviewer: { ...d.reviewer },
    decidedAt: d.decidedAt,
    findings: d.findings.map((f) => ({ ...f })),
    commented: comment !== '',
    ...(includeComments && comment !== '' ? { comment } : {}),
  };
}

/** The records of the report's detail sections, in sample order (strata, then rank). */
export function reportDetail(review: Review, options: { includeComments?: boolean } = {}): ReportDetail {
  const withComments = options.includeComments === true;
  const rowOf = new Map<string, number>();
  for (const s of review.sample.strata) for (const r of s.records) rowOf.set(`${s.id}\u001f${r.key}`, r.row);
  const out: ReportDetail = { rejectedOrCritical: [], cannotAssess: [], adjudications: [] };
  for (const status of recordStatuses(review)) {
    const current = [status.first, status.second, status.adjudication].filter(
      (d): d is Decision => d !== undefined,
    );
    if (current.length === 0) continue;
    const row = rowOf.get(`${status.stratum}\u001f${status.recordKey}`);
    const record: DetailRecord = {
      stratum: status.stratum,
      recordKey: status.recordKey,
      ...(row === undefined ? {} : { row }),
      state: status.state,
      decisions: current.map((d) => detailOf(d, withComments)),
    };
    if (current.some(rejectsOrCritical)) out.rejectedOrCritical.push(record);
    if (current.some((d) => d.outcome === 'cannot-assess')) out.cannotAssess.push(record);
    if (status.adjudication) {
      out.adjudications.push({
        stratum: status.stratum,
        recordKey: status.recordKey,
        ...(row === undefined ? {} : { row }),
        ...(status.first ? { first: detailOf(status.first, withComments) } : {}),
        ...(status.second ? { second: detailOf(status.second, withComments) } : {}),
        adjudication: detailOf(status.adjudication, withComments),
      });
    }
  }
  return out;
}

/**
 * Every changed decision of the review, in the order the changes were recorded: the replaced
 * decision (still in the review, as the chain logged it), the one that replaced it, who and when,
 * and whether a reason was given. The reason is free text like a comment, so it is included only
 * when the caller asks for comments.
 */
export function decisionChanges(review: Review, options: { includeComments?: boolean } = {}): DetailChange[] {
  const withComments = options.includeComments === true;
  const byId = new Map(review.decisions.map((d) => [d.id, d]));
  const rowOf = new Map<string, number>();
  for (const s of review.sample.strata) for (const r of s.records) rowOf.set(`${s.id}\u001f${r.key}`, r.row);
  const out: DetailChange[] = [];
  for (const d of review.decisions) {
    if (!d.change) continue;
    const previous = byId.get(d.change.replaces);
    const reason = d.change.reason.trim();
    const row = d.row ?? rowOf.get(`${d.stratum}\u001f${d.recordKey}`);
    out.push({
      stratum: d.stratum,
      recordKey: d.recordKey,
      ...(row === undefined ? {} : { row }),
      ...(previous ? { previous: detailOf(previous, withComments) } : {}),
      previousOutcome: d.change.previousOutcome,
      decision: detailOf(d, withComments),
      reasonGiven: reason !== '',
      ...(withComments && reason !== '' ? { reason } : {}),
    });
  }
  return out;
}

/** One audit-chain entry as the report's appendix lists it: no record content, no record key. */
export interface TrailRow {
  seq: number;
  event: ChainEntry['event'];
  /** RFC 3339 with zone, as recorded */
  at: string;
  /** the staff id of who acted (reviewer, signer, the lead for a roster change), when the entry names one */
  actor?: string;
  /** the first 12 hex digits of the entry's hash */
  hashPrefix: string;
}

/** How many hex digits of each entry's hash the appendix prints. */
const TRAIL_HASH_PREFIX = 12;

/** The report's appendix: every entry of the chain, in chain order. */
export function reportTrail(entries: readonly ChainEntry[]): TrailRow[] {
  return entries.map((e) => {
    const actor =
      e.event === 'decision'
        ? e.reviewerId
        : e.event === 'signature'
          ? e.signerId
          : e.event === 'roster'
            ? (e.by ?? e.staffId)
            : e.staffId;
    return {
      seq: e.seq,
      event: e.event,
      at: e.at,
      ...(actor === undefined ? {} : { actor }),
      hashPrefix: e.hash.slice(0, TRAIL_HASH_PREFIX),
    };
  });
}
