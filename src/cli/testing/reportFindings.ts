/**
 * What two engines' reports of the same files must agree on, for the parity tests and the
 * PostgreSQL engine's benchmark (which runs outside the test runner, so this file imports no
 * vitest).
 */
import type { Report } from '../../formats/report.ts';

/** The whole report but what only says how and when it ran. */
export function findings(report: Report) {
  return {
    inputs: report.inputs.map((i) => ({ ...i, sha256: undefined })),
    summary: report.summary,
    // by rule and place: the order of issues with equal counts is the order each engine met them
    issues: Object.fromEntries(report.issues.map((i) => [`${i.rule} ${i.location}`, i])),
    profiles: report.profiles,
    crossFile: report.crossFile,
  };
}

/**
 * How far an exact distinct count may stand from the default profiler's estimate of it and still
 * agree: four standard errors of its HyperLogLog sketch (1.04 / √4096 ≈ 1.6 %).
 */
export const ESTIMATE_TOLERANCE = 4 * (1.04 / Math.sqrt(4096));

/**
 * `report` with each column's distinct count taken from `reference` where `reference` holds an
 * estimate (`approximate`, past the default profiler's exact count) and `report` an exact count
 * (`topPartial` only) within {@link ESTIMATE_TOLERANCE} of it: the one field the PostgreSQL
 * engine may state more exactly than the default engine. Anything else, or a count out of
 * tolerance, is left to differ.
 */
export function withReferenceEstimates(report: Report, reference: Report): Report {
  return {
    ...report,
    // by place: the inputs' names differ between engines (a file, a table)
    profiles: report.profiles.map((p, k) => {
      const other = reference.profiles[k];
      if (other?.column !== p.column || other.approximate !== true || p.approximate || !p.topPartial)
        return p;
      if (p.distinct === undefined || other.distinct === undefined) return p;
      const off = Math.abs(p.distinct - other.distinct) / Math.max(p.distinct, 1);
      if (off > ESTIMATE_TOLERANCE) return p;
      const { topPartial: _, ...rest } = p;
      return { ...rest, distinct: other.distinct, approximate: true };
    }),
  };
}
