/**
 * `preflight.signoffreport/v1`: the record-by-record part of a sign-off report as JSON
 * (docs/product.md#sign-off) — every rejected or critical record, every record marked "cannot
 * assess" and every adjudication, each with who decided, when and which fields were marked wrong.
 * Derived from a review; the printable report shows the same lists. It is not what a signature
 * covers (that is the audit log, `preflight.auditlog/v1`): it carries the results hash and chain
 * head it was made at, to compare with a signature's.
 *
 * Constraint: record keys and row numbers only, never a record's values; the reviewers' comments
 * only when the user chose to include them (`includesComments`), as they may quote patient details.
 */
import { validateSignoffReport } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  problem,
} from './loading.ts';
import type { DecisionStage, Finding, Outcome, Reviewer } from './review.ts';

/** Format tag of a sign-off report. */
export const SIGNOFF_REPORT_FORMAT = 'preflight.signoffreport/v1';
/** `$id` of its JSON Schema (src/formats/signoffReport.schema.json). */
export const SIGNOFF_REPORT_SCHEMA_ID = 'urn:preflight:format:signoffreport:v1';

/** One current decision of a stage on a record, as the report lists it. */
export interface DetailDecision {
  stage: DecisionStage;
  outcome: Outcome;
  reviewer: Reviewer;
  /** RFC 3339 with zone, as recorded */
  decidedAt: string;
  findings: Finding[];
  /** whether the reviewer wrote a comment */
  commented: boolean;
  /** the comment, only when comments were included */
  comment?: string;
}

/** Where a listed record stands. */
export type DetailState = 'open' | 'final' | 'awaiting-adjudication';

/** One record as the report lists it. */
export interface DetailRecord {
  stratum: string;
  recordKey: string;
  /** data row in the file, when the sample knows it */
  row?: number;
  state: DetailState;
  /** the current decision of each stage, first → second → adjudication */
  decisions: DetailDecision[];
}

/** One adjudication: the decisions it ruled on and its ruling. */
export interface DetailAdjudication {
  stratum: string;
  recordKey: string;
  row?: number;
  first?: DetailDecision;
  second?: DetailDecision;
  adjudication: DetailDecision;
}

/** The record-by-record lists of a report. */
export interface ReportDetail {
  /** records with a current decision that rejects or marks a critical finding */
  rejectedOrCritical: DetailRecord[];
  /** records with a current decision of "cannot assess" (their `state` says whether adjudicated) */
  cannotAssess: DetailRecord[];
  adjudications: DetailAdjudication[];
}

/**
 * A changed decision: the decision it replaced and the one that replaced it, of the same stage on
 * the same record, with whether a reason was given (the reason itself only with comments: it is
 * free text, like a comment).
 */
export interface DetailChange {
  stratum: string;
  recordKey: string;
  row?: number;
  /** the replaced decision, when it is still in the review */
  previous?: DetailDecision;
  /** the replaced decision's outcome, as the change recorded it */
  previousOutcome: Outcome;
  /** the decision that replaced it */
  decision: DetailDecision;
  /** whether the reviewer wrote why they changed it */
  reasonGiven: boolean;
  /** why, as the reviewer wrote it; only when comments were included */
  reason?: string;
}

/** One stratum's verdict as the report made it. */
export interface ReportVerdictStratum {
  stratumId: string;
  /** N, the records in the stratum */
  population: number;
  reviewed: number;
  /** records counted as errors (critical, major or cannot assess), those awaiting adjudication at worst */
  errors: number;
  critical: number;
  /** reviewed records waiting for an adjudicator */
  awaitingAdjudication: number;
  /** of `errors`, the records awaiting adjudication */
  awaitingErrors: number;
  /** of `critical`, the records awaiting adjudication */
  awaitingCritical: number;
  /** dual review: records only the second reviewer decided (not reviewed); absent in older files */
  awaitingFirstReview?: number;
  /** dual review: records only the first reviewer decided (not reviewed); absent in older files */
  awaitingSecondReview?: number;
  /** errors / reviewed; null when nothing was reviewed */
  observedRate: number | null;
  /** the rate if the adjudicator clears every record awaiting adjudication; null when nothing was reviewed */
  observedRateIfCleared: number | null;
  /** the upper confidence bound on the error rate (exact, finite stratum) */
  upperBound: number;
  /** the plan's target error rate p */
  target: number;
  pass: boolean;
}

/**
 * The verdict when the report was made. Every figure counts a record awaiting adjudication at its
 * worst plausible outcome; the `awaiting…` counts say how many of them there are.
 */
export interface ReportVerdict {
  /** the plan's confidence C */
  confidence: number;
  /** the go-live gate: every stratum passes */
  pass: boolean;
  reviewed: number;
  errors: number;
  critical: number;
  awaitingAdjudication: number;
  awaitingErrors: number;
  awaitingCritical: number;
  /** dual review: records only the second reviewer decided, in no figure above; absent in older files */
  awaitingFirstReview?: number;
  /** dual review: records only the first reviewer decided, in no figure above; absent in older files */
  awaitingSecondReview?: number;
  /** the population-weighted upper bound (Bonferroni over the strata) */
  upperBound: number;
  strata: ReportVerdictStratum[];
}

/** A sign-off report file. */
export interface SignoffReportFile extends ReportDetail {
  format: typeof SIGNOFF_REPORT_FORMAT;
  project: string;
  plan: { id: string; name: string; hash: string };
  reviewId: string;
  /** RFC 3339 with zone */
  generatedAt: string;
  resultsSha256: string;
  chain: { head: string; length: number };
  includesComments: boolean;
  /** every changed decision, in the order the changes were recorded (absent in older files) */
  changes?: DetailChange[];
  /** the verdict when the report was made (absent in older files) */
  verdict?: ReportVerdict;
}

/** Migrations from older tags (none yet: v1 is the first public version). */
export const signoffReportMigrations: readonly Migration[] = [];

/** Semantic checks: a comment or change reason appears only when comments were included. */
export function checkSignoffReport(file: SignoffReportFile): FormatProblem[] {
  if (file.includesComments) return [];
  const problems: FormatProblem[] = [];
  const look = (d: DetailDecision | undefined, path: string) => {
    if (d?.comment !== undefined)
      problems.push(
        problem(`${path}/comment`, PROBLEM_CODES.inconsistent, 'a comment in a report made without comments'),
      );
  };
  for (const list of ['rejectedOrCritical', 'cannotAssess'] as const)
    file[list].forEach((r, i) => {
      r.decisions.forEach((d, k) => {
        look(d, `/${list}/${i}/decisions/${k}`);
      });
    });
  file.adjudications.forEach((a, i) => {
    for (const stage of ['first', 'second', 'adjudication'] as const)
      look(a[stage], `/adjudications/${i}/${stage}`);
  });
  (file.changes ?? []).forEach((c, i) => {
    look(c.previous, `/changes/${i}/previous`);
    look(c.decision, `/changes/${i}/decision`);
    if (c.reason !== undefined)
      problems.push(
        problem(
          `/changes/${i}/reason`,
          PROBLEM_CODES.inconsistent,
          'a change reason in a report made without comments',
        ),
      );
  });
  return problems;
}

/** How `preflight.signoffreport/v1` is loaded (used by the format registry). */
export const signoffReportFormat: FormatDefinition<SignoffReportFile> = {
  tag: SIGNOFF_REPORT_FORMAT,
  title: FORMAT_FAMILIES.signoffreport,
  schemaId: SIGNOFF_REPORT_SCHEMA_ID,
  validate: validateSignoffReport,
  check: checkSignoffReport,
  migrations: signoffReportMigrations,
};

/** Loads a sign-off report from parsed JSON. Never throws; problems name paths, not values. */
export function loadSignoffReport(json: unknown): LoadResult<SignoffReportFile> {
  return loadDocument(signoffReportFormat, json);
}
