/**
 * A run's header check: each file's header is compared with its contract's columns
 * once, before any row is read (the core's `compareHeader`, the same as the app's). A header that
 * does not fit gives one message and one issue per difference (`missing-label`, `extra-label`,
 * `incorrect-label`; blank and repeated names are the structure's `csv.blank-label` and
 * `csv.duplicate-label` already), and that file's rows are not checked
 * against the contract, which would repeat the same problem on every row; the file's structure,
 * keys and links are still checked. `--continue-on-header-mismatch` checks the rows anyway.
 * Header differences that are errors fail the run (exit 1) like any other error.
 */
import { compareHeader, expectedHeaderOf, type HeaderComparison, headerMessage } from '../contract/index.ts';
import { TextDecodeError } from '../csv/index.ts';
import type { RunPlan } from './runPlan.ts';
import { readRecordAt } from './validateCsv.ts';
import type { InputJob } from './validateInputs.ts';

/** A file whose header differs from its contract's columns. */
export interface HeaderMismatch {
  /** the input's name in the report */
  input: string;
  comparison: HeaderComparison;
  /** false: its rows were not checked against the contract */
  rowsChecked: boolean;
}

/**
 * Compares each job's header with the columns of its contract in `plan` (the jobs in the plan's
 * file order, {@link jobsOf}); a job whose header does not fit loses its contract checks unless
 * `continueAnyway`.
 */
export async function checkHeaders(
  jobs: readonly InputJob[],
  plan: RunPlan,
  continueAnyway: boolean,
): Promise<HeaderMismatch[]> {
  const mismatches: HeaderMismatch[] = [];
  for (const [index, job] of jobs.entries()) {
    const contract = plan.files[index]?.contract;
    const columns = contract ? expectedHeaderOf(contract.read.contract) : undefined;
    // an empty file has no header to compare: its own warning says so
    if (!columns || !job.layout.header || job.source.size === 0) continue;
    let header: string[];
    try {
      header = (await readRecordAt(job.source, job.layout, 0)) ?? [];
    } catch (error) {
      // a file that is not text has no header to compare: its own pass reports it as one problem
      if (error instanceof TextDecodeError) continue;
      throw error;
    }
    const comparison = compareHeader(columns, header);
    if (comparison.problems.length === 0) continue;
    const rowsChecked = comparison.fits || continueAnyway;
    if (!rowsChecked) {
      delete job.plan;
      delete job.fullValidator;
    }
    mismatches.push({ input: job.source.name, comparison, rowsChecked });
  }
  return mismatches;
}

/** The one message per file, for the terminal. */
export function headerLines(mismatches: readonly HeaderMismatch[]): string[] {
  return mismatches.map(
    (m) =>
      `${m.input}: ${headerMessage(m.comparison)}${
        m.rowsChecked
          ? ''
          : ' Its rows were not checked against the contract: fix the header, give the contract it matches, or pass --continue-on-header-mismatch.'
      }`,
  );
}
