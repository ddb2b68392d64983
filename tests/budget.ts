/**
 * The CPU budget `npm test` enforces (tests/runAll.ts) on the per-file table (tests/fileTable.ts),
 * against tests/budget.json: a test file over its suite's limit, unless the budget lists it with a
 * number and a reason, fails the run, and so does a suite whose files together go over the suite's
 * total. Growth is then a decision in a diff, not drift.
 *
 * CPU seconds differ between machines, so on a machine slower than the one the budget was set on
 * each measured figure is first scaled down: × (the budget's reference calibration ÷ this
 * machine's calibration, at most 1), both the seconds of the same fixed work (tests/calibration.ts).
 * Pure, so its rules are unit-tested.
 */
import type { FileRow } from './fileTable.ts';
import { slowness } from './waits.ts';

/** A file allowed more than its suite's limit, and why. */
export interface BudgetException {
  file: string;
  /** CPU seconds allowed, on the reference machine */
  cpu: number;
  reason: string;
}

export interface SuiteBudget {
  /** CPU seconds any one file of the suite may take, on the reference machine */
  fileLimit: number;
  /** CPU seconds all the suite's files together may take, on the reference machine */
  total: number;
  exceptions: BudgetException[];
}

/** tests/budget.json */
export interface Budget {
  reference: { calibrationSeconds: number };
  suites: Record<string, SuiteBudget>;
}

/** What the check found: each failure fails the run; warnings are said, not counted. */
export interface BudgetVerdict {
  failures: string[];
  warnings: string[];
  /** one line per suite checked: its total against its budget */
  totals: string[];
}

/** A listed file this far under its suite's limit no longer needs its exception. */
export const UNNEEDED_BELOW = 0.8;

const BUDGET_FILE = 'tests/budget.json';
const s = (cpu: number) => cpu.toFixed(1);

/**
 * What each measured CPU figure is multiplied by: reference ÷ this machine's calibration, at most
 * 1 — scaled down on a machine slower than the reference, never up on a faster one: one reading
 * of the fixed work varies by a fifth on a shared machine (2.38, 2.33 and 1.97 s in three runs of
 * the same machine), and a quick reading must not fail a suite that did not grow.
 */
export function scaleFactor(budget: Budget, calibrationSeconds: number): number {
  if (!(calibrationSeconds > 0 && Number.isFinite(calibrationSeconds))) return Number.NaN;
  // the same figure the suites' waits are scaled up by (tests/waits.ts), inverted
  return 1 / slowness(budget.reference.calibrationSeconds, calibrationSeconds);
}

/**
 * Checks the rows of the suites that ran against the budget, with each CPU figure scaled by
 * `reference ÷ calibrationSeconds`. A suite with no rows did not run and is not judged; one
 * whose rows carry no CPU figure at all fails (the instrument is broken, so nothing was checked).
 */
export function checkBudget(
  rows: readonly FileRow[],
  budget: Budget,
  calibrationSeconds: number,
): BudgetVerdict {
  const verdict: BudgetVerdict = { failures: [], warnings: [], totals: [] };
  const factor = scaleFactor(budget, calibrationSeconds);
  if (!(factor > 0 && Number.isFinite(factor))) {
    verdict.failures.push(
      `budget: NOT CHECKED (no usable calibration: ${calibrationSeconds} s here, ${budget.reference.calibrationSeconds} s reference)`,
    );
    return verdict;
  }
  for (const [suite, limits] of Object.entries(budget.suites)) {
    const suiteRows = rows.filter((r) => r.suite === suite);
    if (suiteRows.length === 0) continue;
    const measured = suiteRows.filter((r) => r.cpu !== undefined);
    if (measured.length === 0) {
      verdict.failures.push(
        `budget: ${suite}: NOT CHECKED (no file has a CPU figure: tests/setup/fileCpu.ts wrote nothing)`,
      );
      continue;
    }
    const unmeasured = suiteRows.length - measured.length;
    if (unmeasured > 0)
      verdict.warnings.push(
        `budget warning: ${suite}: ${unmeasured} file(s) without a CPU figure (failed to load?)`,
      );
    const exceptions = new Map(limits.exceptions.map((e) => [e.file, e]));
    let total = 0;
    for (const row of measured) {
      const cpu = (row.cpu as number) * factor;
      total += cpu;
      const exception = exceptions.get(row.file);
      const limit = exception?.cpu ?? limits.fileLimit;
      const figure = `${s(cpu)} CPU-s (${s(row.cpu as number)} measured here)`;
      if (cpu > limit) {
        verdict.failures.push(
          exception
            ? `budget: ${row.file} took ${figure}, over the ${s(limit)} ${BUDGET_FILE} allows it: make it cheaper, or raise its number there and say why`
            : `budget: ${row.file} took ${figure}, over the ${suite} limit of ${s(limit)} per file: make it cheaper, or list it in ${BUDGET_FILE} with its number and the reason it needs that much`,
        );
      } else if (exception && cpu < limits.fileLimit * UNNEEDED_BELOW) {
        verdict.warnings.push(
          `budget warning: ${row.file} took ${figure}, well under the ${suite} limit of ${s(limits.fileLimit)}: its exception in ${BUDGET_FILE} is no longer needed, remove it`,
        );
      } else if (exception && cpu < exception.cpu / 2) {
        verdict.warnings.push(
          `budget warning: ${row.file} took ${figure}, under half the ${s(exception.cpu)} ${BUDGET_FILE} allows it: lower its number`,
        );
      }
    }
    const ran = new Set(suiteRows.map((r) => r.file));
    for (const exception of limits.exceptions)
      if (!ran.has(exception.file))
        verdict.warnings.push(
          `budget warning: ${exception.file} is listed in ${BUDGET_FILE} but did not run in ${suite}: gone or renamed? remove it`,
        );
    const line = `budget: ${suite} files took ${s(total)} CPU-s in all (normalised), budget ${s(limits.total)}`;
    if (total > limits.total)
      verdict.failures.push(
        `${line}: OVER BUDGET — make the suite cheaper, or raise its total in ${BUDGET_FILE} and say why`,
      );
    else verdict.totals.push(line);
  }
  return verdict;
}

/** Reads a budget, or says why it cannot be used. */
export function parseBudget(text: string): Budget | string {
  try {
    const budget = JSON.parse(text) as Budget;
    const calibration = budget.reference?.calibrationSeconds;
    if (!(typeof calibration === 'number' && calibration > 0))
      return 'reference.calibrationSeconds is missing';
    for (const [suite, limits] of Object.entries(budget.suites ?? {})) {
      if (typeof limits.fileLimit !== 'number' || typeof limits.total !== 'number')
        return `suites.${suite} needs fileLimit and total`;
      for (const e of limits.exceptions ?? []) {
        if (typeof e.file !== 'string' || typeof e.cpu !== 'number' || !e.reason?.trim())
          return `suites.${suite}.exceptions: each needs file, cpu and a reason (${JSON.stringify(e)})`;
      }
      limits.exceptions ??= [];
    }
    return budget;
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
}
