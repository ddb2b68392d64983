/**
 * The top of a drawn sample's review: how many records were drawn and when, how many this reviewer
 * decided (counted where every other count is, `recordCounts`), and under dual review the pass
 * they make — assigned by the data lead in a packet, else chosen here.
 */
import { formatCount } from '../common/format.ts';
import { DualReviewStage } from './ReviewerFields.tsx';

export function ReviewProgress({
  drawn,
  drawnAt,
  decided,
  dualReview,
  assigned,
  stage,
  onStage,
}: {
  drawn: number;
  drawnAt: string;
  decided: number;
  dualReview: boolean;
  /** the pass the data lead assigned in a review packet */
  assigned: 'first' | 'second' | undefined;
  stage: 'first' | 'second';
  onStage: (stage: 'first' | 'second') => void;
}) {
  return (
    <>
      <p>
        {formatCount(drawn)} records drawn on {drawnAt.slice(0, 10)} ·{' '}
        <span data-testid="review-progress">
          {formatCount(decided)} of {formatCount(drawn)} decided
        </span>
      </p>
      <progress max={drawn} value={decided} aria-label="Records decided" />
      {assigned && (
        <p className="notice" data-testid="assigned-pass">
          Your data lead asked you for the {assigned} of two independent reviews of this sample. You see only
          your own decisions; records the two reviewers disagree on go to an adjudicator.
        </p>
      )}
      {dualReview && !assigned && (
        // resume where this reviewer stopped: their first undecided record
        <DualReviewStage stage={stage} onStage={onStage} />
      )}
    </>
  );
}
