/**
 * The head of the record in view: its place in the sample, stratum, key and row, the reviewer's
 * own decision on it (and whether it is saved yet), the way to the record list, and what they
 * decided when they revisit it — deciding again changes it and asks for a reason.
 */
import type { Decision } from '../../formats/review.ts';
import { BreakableText } from '../common/BreakableText.tsx';
import { formatCount } from '../common/format.ts';
import { OUTCOME_LABELS, REASON_LABELS } from './reviewLabels.ts';
import { type ReviewStore, useReview } from './reviewStore.ts';
import type { SampledRecord } from './useReviewNavigation.ts';

export function RecordHeading({
  store,
  index,
  total,
  entry,
  decided,
  notReviewed,
  onList,
}: {
  store: ReviewStore;
  index: number;
  total: number;
  entry: SampledRecord;
  /** the reviewer's own decision on the record */
  decided: Decision | undefined;
  /** records of the list still to review */
  notReviewed: number;
  onList: () => void;
}) {
  const saving = useReview(store, (s) => (decided ? s.pending.has(decided.id) : false));
  return (
    <>
      <h5>
        Record {index + 1} of {total} · stratum {entry.stratum} · key{' '}
        <code className="record-key">
          <BreakableText text={entry.record.key} />
        </code>{' '}
        · row {formatCount(entry.record.row)}
        {decided && (
          <span className="decided">
            {' '}
            — {OUTCOME_LABELS[decided.outcome]} ·{' '}
            <span data-testid="decision-state">{saving ? 'Saving…' : 'Saved'}</span>
          </span>
        )}
      </h5>
      <p className="to-list">
        <button type="button" onClick={onList} aria-keyshortcuts="L">
          Record list ({formatCount(notReviewed)} not reviewed)
        </button>
      </p>
      {decided && (
        <p className="decided-summary" data-testid="own-decision">
          Your decision: {OUTCOME_LABELS[decided.outcome]}
          {decided.findings.length > 0
            ? `; fields marked wrong: ${decided.findings.map((f) => `${f.field} (${REASON_LABELS[f.reason].toLowerCase()}, ${f.defectClass})`).join(', ')}`
            : ''}
          {decided.comment ? `; comment: “${decided.comment}”` : ''} — deciding again changes it and asks for
          a reason.
        </p>
      )}
    </>
  );
}
