/** The review's words for reason codes, defect classes and outcomes, shared by its panels. */
import type { FieldClass, ListedState } from '../../core/signoff/review/index.ts';
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

/** Where a record stands in the reviewer's record list, in words. */
export const LISTED_LABELS: Record<ListedState, string> = {
  'not-reviewed': 'Not reviewed',
  accepted: 'Accepted',
  rejected: 'Rejected',
  'cannot-assess': 'Cannot assess',
  'in-adjudication': 'In adjudication',
};

/** How an aligned field compares, in words (the verification view's check column). */
export const FIELD_CLASS_LABELS: Record<FieldClass, string> = {
  'as-mapped': 'As the mapping says',
  differs: 'Differs from what the mapping would give',
  missing: 'Missing in the migrated record',
  'not-migrated': 'Not migrated',
  'blank-both': 'Blank on both sides',
};

/** The same, short, where a phone has room for a word or two. */
export const FIELD_CLASS_SHORT: Record<FieldClass, string> = {
  'as-mapped': 'As mapped',
  differs: 'Differs',
  missing: 'Missing',
  'not-migrated': 'Not migrated',
  'blank-both': 'Blank',
};
