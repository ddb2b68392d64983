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
   * approver is not one of the reviewers (src/core/signoff/roster.ts)
   */
  reviewerMayApprove?: boolean;
  /**
   * legacy columns deliberately not migrated, each with why and who owns the choice; any other
   * column no mapping reads is shown to reviewers as a critical risk (src/core/signoff/alignment.ts)
   */
  notMigrated?: NotMigratedColumn[];
  createdAt: string;
  /** set when a failed stratum is fixed and re-sampled: the plan hash this one supersedes */
  supersedes?: string;
  /** present once locked: the plan then never changes (src/core/signoff/planLock.ts) */
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
 * every record's sampling hash), and the minor-defect rate is no stricter than the major one.
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
