/**
 * `preflight.sampleplan/v1`: a clinician sample plan. It is hashed (RFC 8785 canonical JSON,
 * SHA-256) before any record is drawn; every review decision cites that hash.
 */

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
  createdAt: string;
  /** set when a failed stratum is fixed and re-sampled: the plan hash this one supersedes */
  supersedes?: string;
}
