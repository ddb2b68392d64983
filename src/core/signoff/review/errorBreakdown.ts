/**
 * Errors found in review, broken down by reason code and by field (the sign-off's charts), per
 * stratum and overall. Counted from each record's FINAL decision
 * (dualReview.ts: adjudication, agreed dual review, or the single reviewer's), so a disagreement
 * still waiting for an adjudicator is not in the breakdown (the verdict counts it; the UI says how
 * many wait). A record is "with errors" exactly when the verdict counts it as an error
 * (dualReview.ts `severityOf`: critical or major); minor findings still show in the bars. Field
 * paths and reason codes only: no record content.
 */
import { REASON_CODES, type ReasonCode, type Review } from '../../../formats/review.ts';
import { recordStatuses, severityOf } from './dualReview.ts';

/** A bar: a label (reason code or field path) and how many findings. */
export interface BreakdownCount<T extends string = string> {
  label: T;
  count: number;
}

/** The breakdown of one stratum, or of all strata (`stratumId` null). */
export interface ErrorBreakdown {
  stratumId: string | null;
  /** records whose final decision the verdict counts as an error (critical or major) */
  recordsWithErrors: number;
  /** findings (one per field marked wrong on a record) */
  findings: number;
  /** rejected records with no field marked: an error without a reason */
  rejectedWithoutFinding: number;
  /** every reason code, in {@link REASON_CODES} order, zeros included (a chart's fixed axis) */
  byReason: BreakdownCount<ReasonCode>[];
  /** fields with at least one finding, most first (ties by field path) */
  byField: BreakdownCount[];
}

function empty(stratumId: string | null) {
  return {
    stratumId,
    records: 0,
    findings: 0,
    rejected: 0,
    reasons: new Map<ReasonCode, number>(),
    fields: new Map<string, number>(),
  };
}

/** The breakdown per stratum (in sample order), then overall. */
export function errorBreakdowns(review: Review): { strata: ErrorBreakdown[]; overall: ErrorBreakdown } {
  const groups = new Map(review.sample.strata.map((s) => [s.id, empty(s.id)]));
  const overall = empty(null);
  for (const status of recordStatuses(review)) {
    const decision = status.state === 'final' ? status.final : undefined;
    if (!decision) continue;
    const group = groups.get(status.stratum);
    if (!group) continue;
    const { severity } = severityOf(decision);
    const isError = severity === 'critical' || severity === 'major';
    if (!isError && decision.findings.length === 0) continue;
    for (const g of [group, overall]) {
      if (isError) g.records++;
      if (decision.findings.length === 0) g.rejected++;
      for (const f of decision.findings) {
        g.findings++;
        g.reasons.set(f.reason, (g.reasons.get(f.reason) ?? 0) + 1);
        g.fields.set(f.field, (g.fields.get(f.field) ?? 0) + 1);
      }
    }
  }
  const finish = (g: ReturnType<typeof empty>): ErrorBreakdown => ({
    stratumId: g.stratumId,
    recordsWithErrors: g.records,
    findings: g.findings,
    rejectedWithoutFinding: g.rejected,
    byReason: REASON_CODES.map((label) => ({ label, count: g.reasons.get(label) ?? 0 })),
    byField: [...g.fields]
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
  });
  return { strata: [...groups.values()].map(finish), overall: finish(overall) };
}
