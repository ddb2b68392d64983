/**
 * How one finished step of `npm test` counts in the closing line (see tests/runAll.ts). Pure, so
 * the rules that keep that line honest are unit-tested.
 */

/** The part of vitest's JSON report read here. */
export interface VitestReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  numTotalTests?: number;
  testResults?: { name: string; status: string; assertionResults?: unknown[]; message?: string }[];
}

/** What one step contributed to the closing line. */
export interface StepOutcome {
  passed: number;
  failed: number;
  skipped: number;
  /** one line for the reader: what ran and how it ended */
  line: string;
}

/**
 * Reads a finished step into counts: a step without a report (lint, typecheck) is one check; a
 * vitest suite counts its tests, and a missing report, a file that failed to load, a suite that
 * counted no test, or a non-zero exit with no failed test each add a named failure.
 */
export function outcomeOf(
  step: { name: string; report?: string },
  exitCode: number,
  report: VitestReport | undefined,
): StepOutcome {
  if (!step.report) {
    return exitCode === 0
      ? { passed: 1, failed: 0, skipped: 0, line: `${step.name}: passed` }
      : { passed: 0, failed: 1, skipped: 0, line: `${step.name}: FAILED (exit ${exitCode})` };
  }
  if (!report) {
    return { passed: 0, failed: 1, skipped: 0, line: `${step.name}: NOT RUN (no report; exit ${exitCode})` };
  }
  const passed = report.numPassedTests ?? 0;
  let failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const notes: string[] = [];
  // a test file that failed to load has no test results of its own: each one counts as a failure
  const unloaded = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && (file.assertionResults?.length ?? 0) === 0,
  );
  if (unloaded.length > 0) {
    failed += unloaded.length;
    notes.push(`${unloaded.length} file(s) failed to load: ${unloaded.map((f) => f.name).join(', ')}`);
  }
  if (passed + failed === 0) {
    failed += 1;
    notes.push('ran no test');
  }
  if (exitCode !== 0 && failed === 0) {
    failed += 1;
    notes.push(`exited ${exitCode} with no failed test counted (an error outside a test)`);
  }
  const head = `${step.name}: ${passed} passed, ${failed} failed, ${skipped} skipped`;
  return { passed, failed, skipped, line: notes.length > 0 ? `${head} — ${notes.join('; ')}` : head };
}
