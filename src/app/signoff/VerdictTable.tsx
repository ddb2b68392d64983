/**
 * The verdict of a review so far (docs/product.md#sign-off): per stratum the records reviewed, errors, the
 * observed rate, the one-sided upper bound at the plan's confidence and pass/fail against the
 * target; then the overall population-weighted bound by Bonferroni over the strata, with the note
 * that it is conservative. Records awaiting adjudication are counted at their worst in every
 * figure; the table says how many of the errors they are and the rate if the adjudicator clears
 * them. Computed from the decisions by src/core/signoff/sampling/verdict.ts.
 *
 * A table with column headers where it fits; on a phone (signoff.css) each stratum becomes a card
 * of labelled figures, so nothing scrolls sideways. The labels come from each cell's `data-label`,
 * the same words as its column header.
 */
import { useMemo } from 'react';
import {
  finalTallies,
  formatAgreement,
  recordCounts,
  reviewerAgreement,
} from '../../core/signoff/review/index.ts';
import {
  awaitingAtWorstText,
  awaitingOtherReviewText,
  awaitingPassesText,
  BONFERRONI_NOTE,
  formatPercent,
  overallVerdict,
  type StratumVerdict,
} from '../../core/signoff/sampling/index.ts';
import type { Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { formatCount } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';

const REASON_TEXT = {
  'critical-defect': 'a critical defect',
  'bound-above-target': 'error bound above the target',
  'minor-bound-above-target': 'minor-defect bound above its target',
} as const;

const count = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The errors of a stratum, and how many of them await adjudication (counted at worst). */
function errorsText(s: StratumVerdict): string {
  const parts = [formatCount(s.major.errors)];
  if (s.critical > 0)
    parts.push(
      ` (${formatCount(s.critical)} critical${s.awaitingCritical > 0 ? `, ${formatCount(s.awaitingCritical)} of them not yet adjudicated` : ''})`,
    );
  if (s.awaitingAdjudication > 0)
    parts.push(
      ` (${count(s.awaitingAdjudication, 'record', 'records')} awaiting adjudication${s.major.awaitingErrors > 0 ? `, ${formatCount(s.major.awaitingErrors)} counted as ${s.major.awaitingErrors === 1 ? 'an error' : 'errors'} at worst` : ''})`,
    );
  return parts.join('');
}

/** The observed rate; with errors awaiting adjudication, also the rate if the adjudicator clears them. */
function observedText(s: StratumVerdict): string {
  if (s.major.observedRate === null) return '—';
  const rate = formatPercent(s.major.observedRate);
  if (s.major.awaitingErrors === 0 || s.major.observedRateIfCleared === null) return rate;
  return `${rate} at worst (${formatPercent(s.major.observedRateIfCleared)} if adjudicated as correct)`;
}

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
  const partly = verdict.awaitingFirstReview + verdict.awaitingSecondReview;
  const boundHeading = `Upper bound (${formatPercent(plan.confidence)} confidence)`;
  const agreement = useMemo(() => (review.dualReview ? reviewerAgreement(review) : null), [review]);
  return (
    <div className="verdict">
      {verdict.awaitingAdjudication > 0 && (
        <p className="note" data-testid="awaiting-adjudication">
          {awaitingAtWorstText(verdict)}
        </p>
      )}
      {partly > 0 && (
        <p className="note" data-testid="awaiting-other-review">
          {awaitingOtherReviewText(verdict)}
        </p>
      )}
      <TableScroll label="Verdict per stratum">
        <table className="data-table wide stacked-table">
          <caption>Verdict per stratum (so far)</caption>
          <thead>
            <tr>
              <th scope="col">Stratum</th>
              <th scope="col">Reviewed</th>
              <th scope="col">Errors</th>
              <th scope="col">Observed rate</th>
              <th scope="col">{boundHeading}</th>
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
                  <td data-label="Reviewed">
                    {formatCount(s.reviewed)} of {formatCount(sampled.get(s.stratumId) ?? 0)}
                    {s.awaitingFirstReview + s.awaitingSecondReview > 0 && ` (${awaitingPassesText(s)})`}
                  </td>
                  <td data-label="Errors">{errorsText(s)}</td>
                  <td data-label="Observed rate">{observedText(s)}</td>
                  <td data-label={boundHeading}>{formatPercent(s.major.upperBound)}</td>
                  <td data-label="Target">{formatPercent(s.major.target)}</td>
                  <td data-label="Result">
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
        Overall: {formatCount(verdict.reviewed)} reviewed, {count(verdict.errors, 'error', 'errors')}
        {verdict.awaitingErrors > 0
          ? ` (${formatCount(verdict.awaitingErrors)} not yet adjudicated, at worst)`
          : ''}
        ; upper bound on the population error rate {formatPercent(verdict.upperBound)} at{' '}
        {formatPercent(plan.confidence)} confidence —{' '}
        {verdict.pass ? 'every stratum passes so far' : 'the go-live gate fails'}.
        {/* the note above the table gives the rule and the counts while records await a pass */}
        {review.dualReview &&
          partly === 0 &&
          ' Dual review: a record counts once both reviewers have decided it.'}
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
