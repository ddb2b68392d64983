/**
 * A planned run executed and reported, written once for the CLI and the page: the streaming engine
 * over the plan's jobs (`validateInputs`, with the caller's runner: a worker pool on either side),
 * each file's fingerprint beside it or after it, and the report (`runReport`) timed from the run's
 * start ({@link executeRun}). Beside it, what crosses a thread with a file and comes back: the
 * references a worker checks sent as plain key sets ({@link sendableReferences},
 * {@link receivedReferences}), the failing rows kept to re-read them ({@link failingRowIndex}), and
 * a run's progress summed over its files ({@link createRunProgress}).
 *
 * Constraints:
 * - No I/O of its own: files are read by the runner, fingerprints by the caller's `fingerprints`.
 * - A fingerprint that runs beside the engine and fails is the run's failure, never an unhandled
 *   rejection when the engine fails first.
 * - The run's count never goes back: a file read again (its key files could not be used) adds only
 *   what passes what it added before.
 */

import type { CsvLayout } from '../csv/index.ts';
import { createProgressThrottle, type Progress, type ProgressStep } from '../jobs/progress.ts';
import type { IssueRowGroup } from './issueRows.ts';
import type { KeySetState } from './keySet.ts';
import { keySetFromState } from './keySet.ts';
import type { RunPlan } from './runPlan.ts';
import { type RunReportOptions, runReport } from './runSteps.ts';
import type { CsvValidationResult, KeySpec, ReferenceSpec } from './validateCsv.ts';
import {
  type InputJob,
  type ReferenceLink,
  type ValidateInputsOptions,
  validateInputs,
} from './validateInputs.ts';

/** Options of {@link executeRun}. */
interface ExecuteRunOptions {
  /** the engine's options: the runner (a worker pool), files at once, the key spill, cancel */
  engine: ValidateInputsOptions;
  /**
   * each file's SHA-256 (lowercase hex) by name: `beside` the engine (another pool reads the files
   * meanwhile), or `after` it (the files were just read: the page cache holds them); absent: none
   */
  fingerprints?: { when: 'beside' | 'after'; all: () => Promise<ReadonlyMap<string, string>> };
  /** when the run started (default: now) and its clock in ms (`performance.now()`) */
  started?: { at: Date; t0: number };
  /** called once the engine is done, before the fingerprints after it and the report */
  afterEngine?: () => void;
  /** what the report says beside the results (its times and the plan's check sets are the run's) */
  report: Omit<RunReportOptions, 'generatedAt' | 'startedAt' | 'totalMs' | 'sha256' | 'checkSets'>;
}

/** The results of a run and its report. */
interface ExecutedRun {
  results: CsvValidationResult[];
  report: ReturnType<typeof runReport>;
}

/**
 * Runs the plan's `jobs` with the engine and reports them (see the file header). Rejects with the
 * engine's error (a file's problem, JobCancelledError) or a fingerprint's.
 */
export async function executeRun(
  plan: RunPlan,
  jobs: InputJob[],
  options: ExecuteRunOptions,
): Promise<ExecutedRun> {
  const started = options.started ?? { at: new Date(), t0: performance.now() };
  const { fingerprints } = options;
  const beside = fingerprints?.when === 'beside' ? fingerprints.all() : undefined;
  // settled before anything else awaits it: a run that fails first does not leave it unhandled
  beside?.catch(() => undefined);
  const results = await validateInputs(jobs, plan.links, options.engine);
  options.afterEngine?.();
  const sha256 = fingerprints ? await (beside ?? fingerprints.all()) : new Map<string, string>();
  const report = runReport(results, plan, {
    ...options.report,
    generatedAt: new Date().toISOString(),
    startedAt: started.at.toISOString(),
    totalMs: Math.round(performance.now() - started.t0),
    sha256: (name) => sha256.get(name),
    checkSets: plan.checkSetIds,
  });
  return { results, report };
}

/** A reference a worker checks, its lookup sent as the referenced key set's plain arrays. */
export interface SentReference {
  column: string;
  target: string;
  targetColumn: string;
  /** absent: a reference into the same file, checked by its own pass once its keys are complete */
  state?: KeySetState;
}

/** The engine's references as a worker is sent them (structured-cloneable, arrays transferable). */
export function sendableReferences(references: readonly ReferenceSpec[] = []): SentReference[] {
  return references.map((r) => ({
    column: r.column,
    target: r.target,
    targetColumn: r.targetColumn,
    ...(r.lookup?.state ? { state: r.lookup.state() } : {}),
  }));
}

/** The references a worker was sent, as the engine checks them. */
export function receivedReferences(references: readonly SentReference[]): ReferenceSpec[] {
  return references.map((r) => ({
    column: r.column,
    target: r.target,
    targetColumn: r.targetColumn,
    ...(r.state ? { lookup: keySetFromState(r.state) } : {}),
  }));
}

/** The failing rows of one input, compactly: enough to re-read any of them later. */
export interface FailingRowIndex {
  input: string;
  layout: CsvLayout;
  header: string[];
  count: number;
  /** row numbers (1 = first data row), ascending */
  rows: Uint32Array;
  /** byte offset of each failing row's first byte */
  offsets: Float64Array;
  /**
   * which of these rows each issue group (rule, location: the report's issues of this input)
   * holds, as positions in `rows`/`offsets` (issueRows.ts: bounded memory)
   */
  issues: IssueRowGroup[];
}

/** A result's failing rows trimmed to their count (the engine's arrays grow by doubling). */
export function failingRowIndex(result: CsvValidationResult): FailingRowIndex {
  const { failingRows: failing } = result;
  return {
    issues: result.issueRows.groups,
    input: result.input,
    layout: result.layout,
    header: result.header,
    count: failing.count,
    rows: failing.rows.slice(0, failing.count),
    offsets: failing.offsets.slice(0, failing.count),
  };
}

/** A run's progress: bytes of all its files (with rate and ETA), rows read and the file being read. */
export interface RunProgress extends Progress {
  rows: number;
  input: string;
}

/** What {@link createRunProgress} follows of each file. */
interface RunProgressFile {
  name: string;
  size: number;
  /** the file has keys of its own (its key checks follow its reading) */
  keyed: boolean;
}

/**
 * The step after reading `file`: its key checks when it has keys of its own or a link names it,
 * else putting the results together (the page's progress and the CLI's progress line say it).
 */
export function stepAfterReading(
  file: Pick<RunProgressFile, 'name' | 'keyed'>,
  links: readonly ReferenceLink[],
): ProgressStep {
  const linked = links.some((l) => l.input === file.name || l.target === file.name);
  return file.keyed || linked ? 'checking-keys' : 'combining';
}

/** The bytes and rows read of a run's files, summed ({@link createReadTally}). */
interface ReadTally {
  /** bytes read of every file */
  readonly bytes: number;
  /** rows read of every file */
  readonly rows: number;
  /** a file's own count (bytes and rows read so far); returns the bytes it added to the sum */
  report(name: string, read: { bytes: number; rows: number }): number;
}

/**
 * Each file's latest count, summed over the run: a file's count never goes back, since a
 * worker's reports may arrive out of order.
 */
export function createReadTally(): ReadTally {
  const latest = new Map<string, { bytes: number; rows: number }>();
  let bytes = 0;
  let rows = 0;
  return {
    get bytes() {
      return bytes;
    },
    get rows() {
      return rows;
    },
    report(name, read) {
      const was = latest.get(name) ?? { bytes: 0, rows: 0 };
      const is = { bytes: Math.max(was.bytes, read.bytes), rows: Math.max(was.rows, read.rows) };
      latest.set(name, is);
      rows += is.rows - was.rows;
      bytes += is.bytes - was.bytes;
      return is.bytes - was.bytes;
    },
  };
}

/**
 * A run's progress summed over its files: `file(name)` is a file's own progress (bytes and rows
 * read so far); once a file is read to the end the step after reading is said (its key checks, or
 * putting the results together), so a pause there does not read as a hang. `done()` says the count
 * finished and the report being written.
 */
export function createRunProgress(
  files: readonly RunProgressFile[],
  links: readonly ReferenceLink[],
  onProgress: (progress: RunProgress) => void,
): { file: (name: string) => (p: { bytes: number; rows: number }) => void; done: () => void } {
  const total = files.reduce((n, f) => n + f.size, 0);
  let current = '';
  let doneBytes = 0;
  let lastRate = 0;
  const tally = createReadTally();
  const throttle = createProgressThrottle({
    total,
    unit: 'bytes',
    emit: (progress) => {
      lastRate = progress.ratePerSecond;
      onProgress({ ...progress, rows: tally.rows, input: current });
    },
  });
  const readThrough = new Set<string>();
  const stepped = (input: string, step: ProgressStep): RunProgress => ({
    done: doneBytes,
    total,
    unit: 'bytes',
    ratePerSecond: lastRate,
    etaSeconds: null,
    rows: tally.rows,
    input,
    step,
  });
  return {
    file: (name) => {
      const file = files.find((f) => f.name === name) ?? { name, size: 0, keyed: false };
      return (p) => {
        current = name;
        const delta = tally.report(name, p);
        doneBytes += delta;
        throttle.advance(delta);
        if (p.bytes >= file.size && !readThrough.has(name)) {
          readThrough.add(name);
          onProgress(stepped(name, stepAfterReading(file, links)));
        }
      };
    },
    done: () => {
      throttle.advance(Math.max(0, total - doneBytes));
      throttle.finish();
      doneBytes = total;
      // the finished count, then what the run still does (the same tick: a screen shows the step)
      onProgress(stepped(current, 'writing-report'));
    },
  };
}

/**
 * The keys a mapped file is checked with: its mapping's key is a record key too, its duplicates
 * reported (a key of one column; a key of several columns is not checked for duplicates).
 */
export function withMappingKey(keys: readonly KeySpec[], key: string | readonly string[]): KeySpec[] {
  const column = typeof key === 'string' ? key : key.length === 1 ? key[0] : undefined;
  return column === undefined || keys.some((k) => k.column === column) ? [...keys] : [...keys, { column }];
}
