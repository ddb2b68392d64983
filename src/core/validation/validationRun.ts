/**
 * One validation run, step by step, written once for `preflight validate` (the default engine)
 * and the Migration screen: prepare the inputs, set each file's decimal mark, compare each header
 * with its contract, attach the mappings, execute the engine, and report ({@link validationRun}).
 * The adapters give what only they can (how files are opened and planned, the mappings read, the
 * engine's runner, what the report gains beside the run) and show the result; the order is here.
 *
 * Constraints:
 * - No I/O of its own besides each header's first record (the header step, when it compares):
 *   files are opened by the adapter's `prepare`, read by its engine's runner.
 * - The order is {@link VALIDATION_STEPS}: a header is compared with its contract before the
 *   mappings attach their checks (a header that does not fit drops the contract's row checks,
 *   not the mapping's), and the engine runs only once every job is complete.
 * - The report is built by `executeRun` with the header differences and the mapped target; what
 *   the adapter adds (`annotate`) comes before the project's trace, which is always last: every
 *   failing issue names what uses its data, whatever was added before.
 */

import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { withProjectUsedBy } from '../trace/index.ts';
import type { DecimalMark } from './decimalMark.ts';
import { executeRun } from './executeRun.ts';
import { checkHeaders, type HeaderMismatch } from './headerChecks.ts';
import type { RunPlan } from './runPlan.ts';
import type { RunReportOptions } from './runSteps.ts';
import type { CsvValidationResult } from './validateCsv.ts';
import type { InputJob, ValidateInputsOptions } from './validateInputs.ts';

/** The steps of a run, in the order {@link validationRun} takes them. */
export const VALIDATION_STEPS = [
  'prepare',
  'decimal-mark',
  'headers',
  'mappings',
  'execute',
  'report',
] as const;

/** One step of {@link VALIDATION_STEPS}. */
export type ValidationStep = (typeof VALIDATION_STEPS)[number];

/** A run's plan and the engine's jobs for it, in the plan's file order. */
export interface PreparedInputs {
  plan: RunPlan;
  jobs: InputJob[];
}

/** What the report names of the run's mappings: the mapped target and the packages it was checked against. */
export type MappedReport = Pick<RunReportOptions, 'mapped' | 'fhirPackages'>;

/** What an adapter gives {@link validationRun}, one member per step. */
export interface ValidationRunSteps {
  /** prepare: the plan and its jobs (files opened, layouts known, contracts ready) */
  prepare: () => Promise<PreparedInputs>;
  /**
   * decimal mark: the mark a file's numbers are read with, by input name, over what its check set
   * saved; undefined: as saved, else detected from the file's first rows by its pass
   */
  decimalMark: (input: string) => DecimalMark | undefined;
  /**
   * headers: compared here with each job's contract (`continueAnyway`: a header that does not fit
   * keeps its row checks), or `decided` already by the person before the run (the page asks first)
   */
  headers: { continueAnyway: boolean } | { decided: readonly HeaderMismatch[] };
  /** mappings: each mapped job's row check attached; what the report names of them */
  mappings: (prepared: PreparedInputs) => Promise<MappedReport>;
  /** execute: the engine's options (runner, files at once, key spill, cancel), once the jobs are complete */
  engine: (prepared: PreparedInputs) => Promise<ValidateInputsOptions>;
  /** each file's SHA-256 by name, beside or after the engine (`executeRun`); absent: none */
  fingerprints?: Parameters<typeof executeRun>[2]['fingerprints'];
  /** when the run started and its clock (default: when `prepare` is called) */
  started?: { at: Date; t0: number };
  /** called once the engine is done, before the fingerprints after it and the report */
  afterEngine?: () => void;
  /** report: what it says besides the results */
  report: Pick<RunReportOptions, 'toolVersion' | 'redact'>;
  /** report: what the adapter adds to the built report (rehearsal, readers' accounts), before the trace */
  annotate?: (report: Report) => Promise<Report> | Report;
  /** report: with a project, each failing issue names the steps, roles and cases that use its data */
  project?: Project;
  /** told as each step begins (a timeline, a test) */
  onStep?: (step: ValidationStep) => void;
}

/** A run done: its plan and jobs, the header differences, the engine's results and the report. */
export interface ValidationRunResult extends PreparedInputs {
  headers: HeaderMismatch[];
  results: CsvValidationResult[];
  report: Report;
}

/**
 * Runs the steps of {@link VALIDATION_STEPS} in order (see the file header). Rejects with the
 * first step's error: a file's problem, a mapping that cannot run, JobCancelledError.
 */
export async function validationRun(steps: ValidationRunSteps): Promise<ValidationRunResult> {
  const started = steps.started ?? { at: new Date(), t0: performance.now() };
  const step = (name: ValidationStep) => steps.onStep?.(name);
  step('prepare');
  const prepared = await steps.prepare();
  const { plan, jobs } = prepared;
  step('decimal-mark');
  for (const job of jobs) {
    const mark = steps.decimalMark(job.source.name);
    if (mark !== undefined) job.decimalMark = mark;
  }
  step('headers');
  const headers =
    'decided' in steps.headers
      ? [...steps.headers.decided]
      : await checkHeaders(jobs, plan, steps.headers.continueAnyway);
  step('mappings');
  const mapped = await steps.mappings(prepared);
  const engine = await steps.engine(prepared);
  step('execute');
  const { results, report: built } = await executeRun(plan, jobs, {
    engine,
    ...(steps.fingerprints ? { fingerprints: steps.fingerprints } : {}),
    started,
    afterEngine: () => {
      steps.afterEngine?.();
      step('report');
    },
    report: { ...steps.report, ...mapped, headers },
  });
  const annotated = steps.annotate ? await steps.annotate(built) : built;
  return { plan, jobs, headers, results, report: withProjectUsedBy(annotated, steps.project) };
}
