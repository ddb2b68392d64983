/**
 * `preflight.sampleplan/v1`: a clinician sample plan. It is hashed (RFC 8785 canonical JSON,
 * SHA-256) before any record is drawn; every review decision cites that hash.
 */

import { validateSamplePlan } from './generated/validators.js';
import {
  duplicateIdProblems,
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  problem,
} from './loading.ts';

export const SAMPLE_PLAN_FORMAT = 'preflight.sampleplan/v1';

export interface Stratum {
  id: string;
  label: string;
  /** records in this stratum (N) */
  size: number;
  /** the stratum of records validation flagged: census or its own larger sample, never a weight */
  flagged?: boolean;
  /** census: review every record of the stratum */
  census?: boolean;
  /** why the evidence put this stratum in the plan, printed with the plan (part of its hash) */
  reasons?: StratumReason[];
  /**
   * the stricter rate this stratum's sample is sized for, set by the plan's size rule after a
   * failed or borderline result; the stratum is still judged against the plan's target rate
   */
  sizedAtRate?: number;
}

/** What kind of evidence put a stratum in a plan. */
export type StratumReasonKind = 'worse' | 'used-by' | 'last-result';

/** One reason a stratum is in a plan, in words that name columns and steps, never a value. */
export interface StratumReason {
  /**
   * worse: checks of the file got worse since the previous rehearsal; used-by: failing data
   * workflow steps use; last-result: failed or borderline in the plan this one supersedes
   */
  kind: StratumReasonKind;
  text: string;
  /** the columns or element paths the reason is about */
  columns?: string[];
  /** used-by: cases an hour through the steps that use the data */
  casesPerHour?: number;
}

/** The name of the one size rule so far. */
export const RESAMPLE_TIGHTER = 'resample-tighter';

/**
 * How the next sample's size follows this plan's result: a stratum that failed, or passed with
 * its upper bound within `borderline` of p, is re-sampled with a new seed at the size for
 * p × `tighterBy`, never topped up.
 */
export interface SizeRule {
  id: typeof RESAMPLE_TIGHTER;
  /** how close to p an upper bound counts as borderline (absolute, e.g. 0.005) */
  borderline: number;
  /** the factor on p the next sample of a failed or borderline stratum is sized for (e.g. 0.5) */
  tighterBy: number;
}

export interface SamplePlan {
  format: typeof SAMPLE_PLAN_FORMAT;
  id: string;
  name: string;
  population: {
    /** dataset (extract or resource set) the records come from */
    dataset: string;
    /** what strata are formed by: "file", "resourceType", or a column name */
    stratifyBy: string;
    strata: Stratum[];
  };
  /** target maximum major-defect rate p, e.g. 0.02 */
  targetErrorRate: number;
  /** confidence C, e.g. 0.95 */
  confidence: number;
  /** acceptance number c: defects allowed in the sample; default 0 */
  acceptanceNumber: number;
  /** looser rate for minor (formatting) defects, tracked separately */
  minorTargetErrorRate?: number;
  /** hex or decimal string; with the plan it makes the sample reproducible */
  seed: string;
  dualReview?: boolean;
  /**
   * someone who decided records may also sign the go-live approval; absent: with a roster, the
   * approver is not one of the reviewers (src/core/signoff/signing/roster.ts)
   */
  reviewerMayApprove?: boolean;
  /**
   * legacy columns deliberately not migrated, each with why and who owns the choice; any other
   * column no mapping reads is shown to reviewers as a critical risk (src/core/signoff/review/alignment.ts)
   */
  notMigrated?: NotMigratedColumn[];
  createdAt: string;
  /** the rule the next sample's size follows from this plan's result (named in the plan) */
  sizeRule?: SizeRule;
  /** set when a failed stratum is fixed and re-sampled: the plan hash this one supersedes */
  supersedes?: string;
  /** present once locked: the plan then never changes (src/core/signoff/sampling/planLock.ts) */
  lock?: PlanLock;
}

/** A legacy column the migration leaves out on purpose: why, and who answers for it. */
export interface NotMigratedColumn {
  /** the legacy column, as in the file's header */
  column: string;
  /** why it is not migrated (where the data lives instead) */
  reason: string;
  /** who decided it and answers for it (name or role) */
  owner: string;
}

/** One data file a locked plan draws from. */
export interface PlanDataset {
  /** the file name as chosen (not a path) */
  name: string;
  bytes: number;
  /** lowercase hex SHA-256 of the file's bytes */
  sha256: string;
}

/** When a plan was locked, and the fingerprints of the files its sample is drawn from. */
export interface PlanLock {
  /** RFC 3339 date-time with zone */
  lockedAt: string;
  /** staff id of who locked it; absent in older plans */
  lockedBy?: string;
  datasets: PlanDataset[];
}

// ---- loading ------------------------------------------------------------------------------

/** `$id` of the sample-plan JSON Schema (src/formats/samplePlan.schema.json). */
export const SAMPLE_PLAN_SCHEMA_ID = 'urn:preflight:format:sampleplan:v1';

/** Migrations from older sample-plan tags (none yet: v1 is the first public version). */
export const samplePlanMigrations: readonly Migration[] = [];

/**
 * Semantic checks of a sample plan (beyond its schema): stratum ids are unique (they are part of
 * every record's sampling hash), the minor-defect rate is no stricter than the major one, and no
 * stratum is sized for a rate looser than the target.
 */
export function checkSamplePlan(plan: SamplePlan): FormatProblem[] {
  const problems = duplicateIdProblems(plan.population.strata, '/population/strata', 'stratum');
  if (plan.minorTargetErrorRate !== undefined && plan.minorTargetErrorRate < plan.targetErrorRate) {
    problems.push(
      problem(
        '/minorTargetErrorRate',
        PROBLEM_CODES.inconsistent,
        'the minor-defect target rate must be at least the (major) target error rate',
      ),
    );
  }
  for (const [index, stratum] of plan.population.strata.entries()) {
    if (stratum.sizedAtRate !== undefined && stratum.sizedAtRate > plan.targetErrorRate)
      problems.push(
        problem(
          `/population/strata/${index}/sizedAtRate`,
          PROBLEM_CODES.inconsistent,
          'a stratum is sized for a rate no looser than the target error rate',
        ),
      );
  }
  return problems;
}

/** How `preflight.sampleplan/v1` is loaded (used by the format registry). */
export const samplePlanFormat: FormatDefinition<SamplePlan> = {
  tag: SAMPLE_PLAN_FORMAT,
  title: FORMAT_FAMILIES.sampleplan,
  schemaId: SAMPLE_PLAN_SCHEMA_ID,
  validate: validateSamplePlan,
  check: checkSamplePlan,
  migrations: samplePlanMigrations,
};

/**
 * Loads a sample plan from parsed JSON: tag, migrations, schema, then {@link checkSamplePlan}.
 * Never throws; problems name paths, not values.
 */
export function loadSamplePlan(json: unknown): LoadResult<SamplePlan> {
  return loadDocument(samplePlanFormat, json);
}
