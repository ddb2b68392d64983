/** The review's words for reason codes, defect classes and outcomes, shared by its panels. */
import type { DefectClass, Outcome, ReasonCode } from '../../formats/review.ts';

/** A reason code in words. */
export const REASON_LABELS: Record<ReasonCode, string> = {
  'wrong-value': 'Wrong value',
  missing: 'Missing',
  'wrong-patient': 'Wrong patient',
  units: 'Units',
  'code-terminology': 'Code or terminology',
  other: 'Other',
};
/** A defect class in words. */
export const CLASS_LABELS: Record<DefectClass, string> = {
  critical: 'Critical (fails go-live on its own)',
  major: 'Major',
  minor: 'Minor (formatting)',
};
/** An outcome in words. */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  accept: 'Accepted',
  reject: 'Rejected',
  'cannot-assess': 'Cannot assess',
};
