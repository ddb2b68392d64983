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
