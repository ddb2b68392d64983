/**
 * The verdict of a review so far (docs/product.md#sign-off): per stratum the records reviewed, errors, the
 * observed rate, the one-sided upper bound at the plan's confidence and pass/fail against the
 * target; then the overall population-weighted bound by Bonferroni over the strata, with the note
 * that it is conservative. Computed from the decisions by src/core/signoff/verdict.ts.
 */
import { useMemo } from 'react';
import { formatAgreement, reviewerAgreement } from '../../core/signoff/agreement.ts';
import { finalTallies, recordCounts } from '../../core/signoff/dualReview.ts';
import { formatPercent } from '../../core/signoff/statistics.ts';
import { BONFERRONI_NOTE, overallVerdict } from '../../core/signoff/verdict.ts';
import type { Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { formatCount } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';

const REASON_TEXT = {
  'critical-defect': 'a critical defect',
  'bound-above-target': 'error bound above the target',
  'minor-bound-above-target': 'minor-defect bound above its target',
} as const;

export function VerdictTable({ review, plan }: { review: Review; plan: SamplePlan }) {
  const verdict = useMemo(
    () =>
      overallVerdict(finalTallies(review), {
        targetErrorRate: plan.targetErrorRate,
        confidence: plan.confidence,
        ...(plan.minorTargetErrorRate === undefined
          ? {}
          : { minorTargetErrorRate: plan.minorTargetErrorRate }),
      }),
    [review, plan],
  );
  const counts = useMemo(() => recordCounts(review), [review]);
  const sampled = new Map(counts.strata.map((s) => [s.stratumId, s.drawn]));
  const partly = review.dualReview ? counts.total.partly : 0;
  const agreement = useMemo(() => (review.dualReview ? reviewerAgreement(review) : null), [review]);
  return (
    <div className="verdict">
      <TableScroll label="Verdict per stratum">
        <table className="data-table wide">
          <caption>Verdict per stratum (so far)</caption>
          <thead>
            <tr>
              <th scope="col">Stratum</th>
              <th scope="col">Reviewed</th>
              <th scope="col">Errors</th>
              <th scope="col">Observed rate</th>
              <th scope="col">Upper bound ({formatPercent(plan.confidence)} confidence)</th>
              <th scope="col">Target</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {verdict.strata.map((s) => {
              const complete = s.reviewed >= (sampled.get(s.stratumId) ?? 0);
              return (
                <tr key={s.stratumId}>
                  <th scope="row">{s.stratumId}</th>
                  <td>
                    {formatCount(s.reviewed)} of {formatCount(sampled.get(s.stratumId) ?? 0)}
                  </td>
                  <td>
                    {formatCount(s.major.errors)}
                    {s.critical > 0 ? ` (${formatCount(s.critical)} critical)` : ''}
                    {s.awaitingAdjudication > 0
                      ? ` (${formatCount(s.awaitingAdjudication)} awaiting adjudication)`
                      : ''}
                  </td>
                  <td>{s.major.observedRate === null ? '—' : formatPercent(s.major.observedRate)}</td>
                  <td>{formatPercent(s.major.upperBound)}</td>
                  <td>{formatPercent(s.major.target)}</td>
                  <td>
                    {s.pass
                      ? complete
                        ? 'Passes'
                        : 'Passing so far (review not complete)'
                      : `Fails: ${s.reasons.map((r) => REASON_TEXT[r]).join(', ')}`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <p>
        Overall: {formatCount(verdict.reviewed)} reviewed, {formatCount(verdict.errors)}{' '}
        {verdict.errors === 1 ? 'error' : 'errors'}; upper bound on the population error rate{' '}
        {formatPercent(verdict.upperBound)} at {formatPercent(plan.confidence)} confidence —{' '}
        {verdict.pass ? 'every stratum passes so far' : 'the go-live gate fails'}.
        {verdict.awaitingAdjudication > 0 &&
          ` ${formatCount(verdict.awaitingAdjudication)} ${verdict.awaitingAdjudication === 1 ? 'record is' : 'records are'} awaiting adjudication: each counts as an error at its worse decision until an adjudicator decides.`}
        {review.dualReview && ' Dual review: a record counts once both reviewers have decided it.'}
        {partly > 0 &&
          ` ${formatCount(partly)} ${partly === 1 ? 'record is' : 'records are'} decided by one reviewer so far.`}
      </p>
      {agreement && (
        <p data-testid="agreement">
          Agreement of the two reviewers on the outcome (Cohen’s kappa): {formatAgreement(agreement)}.
        </p>
      )}
      <p className="note">{BONFERRONI_NOTE}</p>
    </div>
  );
}
