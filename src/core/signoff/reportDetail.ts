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
import type { Decision, Review } from '../../formats/review.ts';
import type { DetailDecision, DetailRecord, ReportDetail } from '../../formats/signoffReport.ts';
import { recordStatuses, stageOf } from './dualReview.ts';

export type {
  DetailAdjudication,
  DetailDecision,
  DetailRecord,
  ReportDetail,
} from '../../formats/signoffReport.ts';

/** Whether a decision rejects the record or marks a critical finding. */
export function rejectsOrCritical(d: Pick<Decision, 'outcome' | 'findings'>): boolean {
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
