/**
 * `preflight validate --workers N`: each input is split into N byte ranges at record boundaries
 * (core `createParallelRunner`); the first range is validated on this thread and each other one by
 * the same core function in a `node:worker_threads` worker, and the results are merged in core. The
 * worker is a tiny adapter (rangeWorker.ts). A split input's progress is its ranges' summed (core
 * `createParallelRunner`): this thread's range reports per chunk, as a whole input does; a
 * worker's range posts its bytes and rows every 8 MB or 250 ms ({@link RangeProgressMessage}),
 * only when the run shows progress (a terminal). Its cost, measured (1M rows, `--workers 2`, stderr
 * a terminal, 6 interleaved pairs against main 8aa873e which showed "reading…" only, load 4.3-7.3,
 * medians): process CPU 5,812 against 5,820 ms, this thread's 2,725 against 2,755 ms — within
 * the noise; ≈ 125 terminal writes and 14 worker messages against 2. Reports identical.
 *
 * Constraints:
 * - N threads validate at once: this one and N − 1 workers. This thread would otherwise only wait
 *   for the workers: one more worker was started, loaded its bundle (≈ 50 ms of CPU), compiled
 *   the contract (≈ 80 ms) and copied its result back. Measured in the validate bench (44 MB,
 *   200,000 rows), CPU time of 2 ranges against 1 thread in the same run: in process +17 % with
 *   2 workers, +6 % with this thread and 1 worker. What remains is each isolate's own JIT warm-up
 *   and garbage collector (V8's background threads: ≈ 1.5 s of CPU with 2 isolates against
 *   ≈ 0.75 s with 1, for a cold CLI run), two threads sharing the 2 cores' caches (≈ +10 % each,
 *   measured with two independent 1-thread runs side by side), and the merge on this thread
 *   (≈ 0.25 s of CPU, mostly the key sets). An input that is not split (small, UTF-16, a
 *   reference into itself) is validated here too: no worker is started for it.
 * - The ranges start at guessed boundaries (core `guessRanges`, a few KB read per split point);
 *   each thread counts the quote bytes of its range as it reads them (core `countRangeQuotes`),
 *   and the counts confirm the guess (core `countsQuotes`): no pre-scan re-reads the input. With
 *   8 ranges the pre-scan had to read 206 of the 221 MB at 1M rows (1.2 s of a worker's time,
 *   loaded machine; 166 MB with 4). Only when the counts do not confirm the guess (a malformed file) or a split
 *   point had no guessed boundary does the quote-parity pre-scan run, as before: on the first
 *   worker to be free, else on this thread between two of its ranges (its source reuses one read
 *   buffer). The first range's key sets are merged while the other ranges still run (core
 *   `startKeyMerges`).
 * - Workers are pooled: started once per process and reused for every range of every input. The
 *   CLI starts them as soon as it has read its arguments ({@link startRangeWorkers}), so their start
 *   overlaps the contract's compilation and the layout sniffing: at 1M rows a worker is then ready
 *   as the ranges start, where started with the runner it began its range 0.6 s after this thread. A
 *   worker's start costs a Node isolate plus loading the TypeScript sources through tsx (measured
 *   ≈ 0.3–0.5 s of CPU on this machine); starting one per range made `--workers 2` slower than one
 *   thread.
 * - A compiled ajv function cannot be sent between threads: a worker compiles the contract itself,
 *   once per contract text, and keeps it for later ranges.
 * - Idle workers do not keep the process alive (they are `unref`ed while idle), so a CLI run ends
 *   when its work ends; {@link closeRangeWorkers} stops them at once (tests, benchmarks).
 * - A mapped file's row check (mapping + FHIR layers) is made of functions too: a worker prepares
 *   it from the mapping and FHIR options ({@link registerRowCheck}), once per mapping. Such workers
 *   start from an entry that carries the FHIR layers (validateWorkerMappedMain.ts); a run with
 *   mappings to a target JSON Schema only starts a lighter one (validateWorkerMain.ts), which
 *   compiles them itself (measured on 100,000 rows mapped to a target schema with 2 workers, 3 runs
 *   each: 3.7 instead of 4.5 CPU-s, peak RSS 259 instead of 274 MB); a run without mappings the
 *   lightest (validateWorkerPlainMain.ts: ready in half the time, no mapping code).
 * - Results come back with their typed arrays transferred, not copied.
 * - More ranges than threads, taken in turn (core `takeWork`), are not used. With one range each
 *   this thread ended its range 1.3-2 s after the worker (1M rows, machine loaded 3-5; the same
 *   bytes), the worker idle meanwhile; with 8 ranges taken in turn the two threads ended within
 *   0.06 s of each other — but each range costs CPU of its own on two threads: 4 ranges used less
 *   CPU and wall time than 6 or 8, and 2 (one per thread) less than 4: CLI runs at 1M rows, load
 *   2.2-2.4, one range per thread with quote counts 4.7 / 5.4 s wall, 8.4 / 10.1 CPU-s; 4 ranges
 *   with counts 6.9 / 5.7 s, 12.7 / 10.7 CPU-s (and under load 7-12, 3 pairs: 0.5-1.4 CPU-s more
 *   with 4 ranges, most of it V8's GC helper threads). Not explained yet (not seen when the same
 *   ranges ran one after another on one thread); the core keeps the option, tested.
 * - Where a 1M-row run's time went with one range per thread (2 workers, idle machine, per-thread CPU from /proc): start-up
 *   ≈ 0.7-1.0 s on this thread before the ranges start, then the two ranges ≈ 3.3-5 s each, ending
 *   within ≈ 0.2 s of each other; after them, the pre-scan (≈ 0.15-0.2 s) and the merge
 *   (≈ 0.35-0.45 s, nearly all of it the spilled key sets' check, keySpill.ts). Both are now
 *   shared: the worker whose range ends first runs the pre-scan ({@link PreScanTask}; this thread
 *   when it ends first), and an idle worker takes pieces of the check's 256 partitions beside
 *   this thread (core `checkSpilledKeys`' helper, {@link SpilledCheckTask}). The pieces are taken
 *   from a claim table in shared memory (core `claimPiece`), one task and one answer in all: handed
 *   out one message per piece, the worker sat 20-40 ms between pieces (loaded machine) until this
 *   thread, busy with a piece of its own, read its answer and sent the next. Measured (1M rows,
 *   9 interleaved pairs, load 3.5-5, medians): the tail from the last range's end to the merged
 *   result 440 against 453 ms, this thread's CPU in it 150 against 160 ms (130 against 155 in the
 *   last 4 pairs, which also had the listed keys read synchronously, openFiles.ts) — wall time
 *   within the noise of a loaded machine; kept for the gaps it removes (one message each way
 *   instead of one per piece) and the CPU.
 *   Giving the first range a smaller share (94 % or 90 % of an equal one) made the worker's range
 *   the later one in 6 runs, and was not kept. Running the pre-scan during the ranges (a reader
 *   of its own) would not shorten this thread's work: the scan's `indexOf` runs on this thread.
 * - V8 flags: `--single-threaded-gc` given to node cut the process's CPU time by 2-9 % (6 runs,
 *   noisy) but needs a re-exec — set at run time (`v8.setFlagsFromString`) it aborts V8 on Node 20
 *   (a failed heap check when the worker isolate starts): not adopted. Measured again (1M rows,
 *   2 workers, 4 runs each alternating, machine loaded 4-6): median CPU 9.7 s with it against
 *   9.1 s without, wall 11.2 s against 8.8 s — no gain to pay a re-exec for.
 * - Where the CLI's time goes beyond the engine's (issue 8; 1M rows, `--workers 2`, a timeline of
 *   each thread's CPU at each step — `PREFLIGHT_TIMELINE=1` prints one, runTimeline.ts — machine
 *   loaded 3-8). This thread before its range: 260-340 ms
 *   of CPU (Node's start 90-110, the CLI's chunks 70-100, the contract's check and compile 90-100
 *   — ajv compiling the 2020-12 meta-schema is 60 of it — then layout, header and split guess
 *   30). The worker before its range: 90 ms (its isolate and bundle 60-80, the contract 25: it
 *   skips the meta-schema check, {@link registerContract}). Each range 3.0-4.1 s. After the
 *   ranges, on this thread: issues and profiles merged 30-40 ms, the spilled key check 110-140 ms
 *   on each of the two threads, the 1,000 listed keys' texts read again 130 ms (a decoder and a
 *   record reader per key), the report 40-50 ms. One thread (`--workers 1`): 330 ms before the
 *   pass, 210 ms of key check and reads after it, 40 ms of report. The range on this thread
 *   mostly cost 5-10 % more CPU than the worker's range of the same size, also with the two
 *   ranges swapped between the threads and in process: not explained. What it is not (the second
 *   half of the 1M-row file, its validateCsv call's thread CPU, medians, machine loaded 4-6): not
 *   the main thread as such — alone, this thread 2,270 ms against a worker's 2,210 (9 pairs), and
 *   with both threads validating at once, as the CLI does, 2,270 against 2,270 (5 pairs); not the
 *   young generation (this thread with `--max-semi-space-size` 2 or 4: 2,240 and 2,240 against
 *   2,250 by default, 5 rounds); not the code's form (the same sources as one CommonJS bundle, as
 *   workers load them, 2,170; as ES modules, one file 2,235, split in chunks as the CLI's bundle
 *   2,195, 4 rounds); not the work done on a thread before its range (layout sniff, split guess,
 *   header read: a worker 2,080 with it, 2,070 without, 5 pairs). A CPU profile of a CLI run puts
 *   the extra in the row loop's own functions (the tokenizer's scan +180 ms, the key set's add
 *   +90, decoding +40), not in another task, and `--trace-gc` shows this thread's scavenges
 *   larger and fewer (72 of ≈ 7.7 MB against 177 of ≈ 3.8 MB): what the CLI's thread holds beside
 *   the range (its bundle, ajv, the kept results) is the suspect left.
 * - Measured and not adopted (same runs, interleaved, medians): key sets in memory instead of
 *   spilled (no key spill given): this thread +1.1 s of CPU (5.27 against 4.18 s, 4 pairs), peak
 *   RSS 205 against 146 MB — the spill is not what the CLI costs beyond the engine, it saves.
 *   Both ranges in workers, this thread only merging: no gain (11 pairs; CPU 8.1-8.2 against
 *   7.8-8.0 s, wall split either way). A worker young generation of 32 or 64 MB: 67 scavenges
 *   instead of 180 but the same worker CPU (5 runs each), RSS +25 MB. `--max-semi-space-size=2`
 *   for this thread: no gain (4 pairs). Starting the first spilled check before issues and
 *   profiles are merged (the worker's first piece 3-15 ms after the ranges instead of 49-158):
 *   the merge's wall time did not drop (873 against 764 ms, 5 pairs): on two shared cores the two
 *   threads only competed. The listed keys' texts read half by an idle worker, half here (after the
 *   check): 127 against 126 ms from the check's end to the key set's state (5 interleaved pairs,
 *   medians; with synchronous reads 95 against 83 ms): the worker's half took it 80-100 ms (a
 *   message each way, the record reader's code cold in that isolate) while this thread read its
 *   own in 20-30 ms of CPU and then waited. The listed keys read with synchronous reads: 75-134 against 104-173 ms
 *   for 1,000 keys, within the noise. A third, small range (the last 10 % of the file) for the
 *   thread that ends first, as the two ranges often end 0.2-0.8 s apart (either one last): CPU
 *   8.8 against 8.1 s (5 pairs; V8's GC threads +0.3 s), wall no shorter.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CsvLayout } from '../core/migration/csvLayout.ts';
import type { FhirLayer } from '../core/migration/fhir/rules.ts';
import type { FhirValidatorOptions } from '../core/migration/fhir/validator.ts';
import type { KeySetState } from '../core/migration/keySet.ts';
import type {
  PieceClaims,
  SpilledPart,
  SpilledPartitionsChecked,
  SpilledPartitionsHelper,
} from '../core/migration/keySpill.ts';
import type { RowCheckFactory } from '../core/migration/rowCheck.ts';
import {
  countRangeQuotes,
  createParallelRunner,
  type PreScanElsewhere,
  type Range,
  type RangeQuotes,
  type SplitPlan,
} from '../core/migration/splitMerge.ts';
import { TextDecodeError } from '../core/migration/textDecoding.ts';
import {
  type CsvValidationResult,
  type FullRowValidator,
  type ValidateCsvOptions,
  validateCsv,
} from '../core/migration/validateCsv.ts';
import type { InputRunner } from '../core/migration/validateInputs.ts';
import type { Mapping } from '../formats/mapping.ts';
import type { FileKeySpill } from './keySpillFiles.ts';
import { markTimeline } from './runTimeline.ts';
import { bundleWorkerEntry } from './workerBundle.ts';

/** What a range worker is sent. */
export interface RangeTask {
  file: string;
  name: string;
  size: number;
  options: Omit<
    ValidateCsvOptions,
    'fullValidator' | 'rowCheck' | 'references' | 'signal' | 'onProgress' | 'keySpill'
  > & {
    references: { column: string; target: string; targetColumn: string; state?: KeySetState }[];
  };
  /** the contract as JSON text: the worker's cache key for its compiled validator */
  contract?: string;
  /** a mapped file's {@link MappedCheckSpec} as JSON text: the worker's cache key for its row check */
  rowCheck?: string;
  /** the run's key spill folder (keySpillFiles.ts): the worker's key sets spill there */
  keySpillFolder?: string;
  /** count the quote bytes of [range start, quotesTo) as they are read (core `countRangeQuotes`) */
  quotesTo?: number;
  /** post the range's progress as it reads ({@link RangeProgressMessage}): the run shows a progress line */
  progress?: true;
}

/**
 * What a range worker posts while it reads a range whose task asked for it (`progress`): the
 * range's bytes and rows read so far, at most every few MB (validateProgress.ts
 * `throttledRangeProgress`); then its answer, with the same id.
 */
export interface RangeProgressMessage {
  id: number;
  progress: { bytes: number; rows: number };
}

/** What a worker needs to prepare a mapped file's row check: a mapping to FHIR, or to a target JSON Schema. */
export type MappedCheckSpec = MappedFhirCheckSpec | MappedSchemaCheckSpec;

/** A mapping to an R4 resource type (core `prepareMappedFhirCheck`). */
export interface MappedFhirCheckSpec {
  mapping: Mapping;
  /** the folder of the generated FHIR modules, as a file URL ending in "/" ({@link GENERATED_FHIR_MODULES}) */
  modules: string;
  options: { layers?: FhirLayer[]; unknownExtensions?: FhirValidatorOptions['unknownExtensions'] };
}

/** A mapping to a target JSON Schema, compiled by each worker (core `prepareMappedSchemaCheck`). */
export interface MappedSchemaCheckSpec {
  mapping: Mapping;
  /** the schema (a Table Schema already converted) and how errors name it */
  targetSchema: { name: string; schema: Record<string, unknown> };
}

/**
 * How a worker answers a task that failed: the error's name and message (no record content), and
 * where a text decoding error's bad byte is, to rebuild it here ({@link TextDecodeError}).
 */
export interface WorkerFailure {
  ok: false;
  name: string;
  message: string;
  byteOffset?: number;
  encoding?: string;
}

/** What a range worker answers. */
export type RangeAnswer = { ok: true; result: CsvValidationResult & RangeQuotes } | WorkerFailure;

/**
 * A run's spilled key sets for an idle worker to check beside this thread (core
 * `checkClaimedPieces`): the merge's largest part. The worker takes pieces from the shared claim
 * table until none is left and answers once.
 */
export interface SpilledCheckTask {
  /** the run's key spill folder (keySpillFiles.ts), where the parts' stores are */
  folder: string;
  parts: SpilledPart[];
  /** shared with this thread (a `SharedArrayBuffer`: posted, not copied) */
  claims: PieceClaims;
}

/** An input for an idle worker to pre-scan (core `splitRanges`), after the range it is running. */
export interface PreScanTask {
  file: string;
  size: number;
  /** the ranges' number, or the offsets they start at or after (core `SplitPlan`) */
  parts: SplitPlan;
  layout: CsvLayout;
}

/** What a worker answers to a {@link PreScanTask}. */
export type PreScanAnswer = { ok: true; ranges: Range[] } | WorkerFailure;

/** What a worker answers to a {@link SpilledCheckTask}. */
export type SpilledCheckAnswer = { ok: true; checked: SpilledPartitionsChecked[] } | WorkerFailure;

/**
 * A task as posted to a pooled worker: a range, or partitions to check (answers carry the same
 * id); or a contract to compile now, ahead of its ranges (no answer).
 */
export type RangeMessage =
  | { id: number; task: RangeTask }
  | { id: number; check: SpilledCheckTask }
  | { id: number; preScan: PreScanTask }
  | { id: 0; contract: string };

const contracts = new WeakMap<FullRowValidator, string>();

/**
 * Remembers the contract a validator was compiled from (workers compile their own), and has the
 * pool's workers compile it now: a worker compiled it on its first range's arrival, ≈ 80 ms
 * (idle machine) at the start of the range that ends last, while this thread was still sniffing
 * layouts and guessing ranges. `validate` is proof that the contract compiled here without
 * problems, so workers skip its meta-schema check (core `compileColumnContract`'s `checked`):
 * a worker had used ≈ 140 ms of CPU when its range began with the check, ≈ 90 without, and on
 * this loaded machine its range began a median 40 ms after this thread's instead of 480 ms (1M
 * rows, 5 runs each, interleaved).
 */
export function registerContract(validate: FullRowValidator, contract: Record<string, unknown>): void {
  const text = JSON.stringify(contract);
  contracts.set(validate, text);
  pool?.prepare(text);
}

/** Where `npm run fhir` writes the generated FHIR modules (core `fhir/generatedModules.ts` loads them). */
export const GENERATED_FHIR_MODULES = new URL('../core/migration/fhir/generated/', import.meta.url).href;

const rowCheckSpecs = new WeakMap<RowCheckFactory, string>();
/** The registered row checks whose workers need the FHIR layers (mappings to an R4 resource type). */
const fhirRowChecks = new WeakSet<RowCheckFactory>();

/**
 * Remembers the mapping and FHIR options a row check was prepared from, so range workers can
 * prepare the same check; a row check not registered here cannot go to a range worker.
 */
export function registerRowCheck(rowCheck: RowCheckFactory, spec: MappedCheckSpec): void {
  rowCheckSpecs.set(rowCheck, JSON.stringify(spec));
  if (!('targetSchema' in spec)) fhirRowChecks.add(rowCheck);
}

/** Whether range workers can run inputs with this row check (it was registered). */
export function canSendRowCheck(rowCheck: RowCheckFactory): boolean {
  return rowCheckSpecs.has(rowCheck);
}

/** An error a worker reported, rebuilt by name where the CLI needs the class. */
export class RangeWorkerError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  /** the message that posts it, with its id */
  message: (id: number) => RangeMessage;
  /** takes the worker's answer */
  settle: (answer: unknown) => void;
  /** takes the worker's progress reports before its answer (a range's, {@link RangeProgressMessage}) */
  progress?: (progress: { bytes: number; rows: number }) => void;
  reject: (error: unknown) => void;
}

interface PooledWorker {
  worker: Worker;
  /** the task it runs, if any */
  current: (Pending & { id: number }) | undefined;
}

/**
 * What a pool's workers can run, each level what the ones below it run too: 0 ranges without
 * mappings, 1 also mappings to a target JSON Schema, 2 also mappings to FHIR (the FHIR layers).
 * The lighter the entry, the sooner a worker is ready (see validateWorkerPlainMain.ts).
 */
type WorkerLevel = 0 | 1 | 2;
const PLAIN: WorkerLevel = 0;
const FHIR: WorkerLevel = 2;

/** How a worker is started: the bundled adapter as plain JavaScript, or (fallback) through tsx. */
type WorkerEntry = { code: string; level: WorkerLevel } | { url: URL; level: WorkerLevel };

/** The entry of each level (see the header and {@link WorkerLevel}). */
const WORKER_MAINS: Record<WorkerLevel, URL> = {
  0: new URL('./validateWorkerPlainMain.ts', import.meta.url),
  1: new URL('./validateWorkerMain.ts', import.meta.url),
  2: new URL('./validateWorkerMappedMain.ts', import.meta.url),
};
const TSX_WORKER_URL = new URL('./validateWorker.mjs', import.meta.url);

/** The level a range with this row check needs. */
function levelOf(rowCheck: RowCheckFactory | undefined): WorkerLevel {
  if (rowCheck === undefined) return PLAIN;
  return fhirRowChecks.has(rowCheck) ? FHIR : 1;
}

/**
 * The range worker's adapter and the core it imports, bundled into one plain JavaScript text
 * (workerBundle.ts): a worker then loads no TypeScript loader and no loader-hooks thread of its
 * own. Measured on this machine: a tsx-loaded worker spent ≈ 0.3 s of CPU and a second thread
 * before validating a byte; a bundled one ≈ 0.05 s. When esbuild cannot be loaded, workers start
 * through tsx as before (slower, same results).
 */
async function workerEntry(level: WorkerLevel): Promise<WorkerEntry> {
  const code = await bundleWorkerEntry(fileURLToPath(WORKER_MAINS[level]));
  return code === undefined ? { url: TSX_WORKER_URL, level } : { code, level };
}

/** The bundles built so far, by level. */
const entries = new Map<WorkerLevel, Promise<WorkerEntry>>();

function entryOf(level: WorkerLevel): Promise<WorkerEntry> {
  let entry = entries.get(level);
  if (!entry) {
    entry = workerEntry(level);
    entries.set(level, entry);
  }
  return entry;
}

/**
 * A range worker's young generation, in MB. A row's cells die young, so a smaller nursery is
 * collected more often at no measurable CPU cost, and each worker's RSS stays smaller: at 1M rows
 * with 2 workers the process peaked at 350-357 MB with 8 MB against 384-450 MB with V8's default
 * (measured in the validate bench's CLI run; CPU time 12.1 s either way).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** Contracts a pool has its workers compile ahead (rangeWorker.ts caches up to 16 per worker). */
const PREPARED_CONTRACTS = 8;

/**
 * Workers restarted beyond the pool's size with none answering in between: a worker that dies as
 * it starts (a broken bundle) would otherwise be restarted in a loop.
 */
const MAX_RESTARTS = 3;

/** An error's message for another error (a worker's errors carry no record content). */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

/** A fixed set of long-lived range workers with a queue of tasks. */
class RangeWorkerPool {
  private readonly workers: PooledWorker[] = [];
  private readonly queue: Pending[] = [];
  /** contracts each worker compiles as it starts (the newest few: a worker caches as many) */
  private readonly contracts: string[] = [];
  private wanted = 0;
  private nextId = 1;
  private closed = false;
  /** workers that died since one last answered: a worker that cannot even start is not restarted forever */
  private failures = 0;
  /** why the pool gave up restarting workers (then tasks that find none fail with it, not wait) */
  private broken: RangeWorkerError | undefined;
  /** what the pool has done (tests check that workers are reused) */
  readonly stats = { started: 0, tasks: 0, here: 0, checks: 0 };

  /** @param level what its workers can run ({@link WorkerLevel}) */
  constructor(readonly level: WorkerLevel) {}

  /** Starts workers until there are `size` (they load while the caller does other work). */
  grow(size: number): void {
    if (size <= this.wanted) return;
    this.wanted = size;
    void entryOf(this.level).then((e) => this.fill(e));
  }

  /** Has every worker, started or yet to start, compile `contract` ahead of its ranges. */
  prepare(contract: string): void {
    if (this.closed || this.contracts.includes(contract)) return;
    this.contracts.push(contract);
    if (this.contracts.length > PREPARED_CONTRACTS) this.contracts.shift();
    for (const pooled of this.workers) pooled.worker.postMessage({ id: 0, contract } satisfies RangeMessage);
  }

  run(
    task: RangeTask,
    progress?: (progress: { bytes: number; rows: number }) => void,
  ): Promise<CsvValidationResult & RangeQuotes> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        message: (id) => ({ id, task }),
        settle: (answer) => settle(task, answer as RangeAnswer, resolve, reject),
        reject,
        ...(progress ? { progress } : {}),
      });
      this.dispatch();
    });
  }

  /**
   * Queues a pre-scan for the first worker to be free (core `createParallelRunner`'s
   * `preScanHelper`); `cancel()` takes it back while no worker has begun it.
   */
  preScan(task: PreScanTask): PreScanElsewhere {
    let pending: Pending | undefined;
    const ranges = new Promise<Range[]>((resolve, reject) => {
      pending = {
        message: (id) => ({ id, preScan: task }),
        settle: (answer) => {
          const a = answer as PreScanAnswer;
          if (a.ok) resolve(a.ranges);
          else reject(new RangeWorkerError(a.name, a.message));
        },
        reject,
      };
    });
    this.queue.push(pending as Pending);
    this.dispatch();
    return {
      ranges,
      cancel: () => {
        const at = this.queue.indexOf(pending as Pending);
        if (at < 0) return false;
        this.queue.splice(at, 1);
        return true;
      },
    };
  }

  /**
   * Sends partitions of spilled key sets to a worker that is idle now (none queued for it);
   * undefined when every worker is busy or none has started: the caller checks them itself.
   */
  checkIfIdle(check: SpilledCheckTask): Promise<SpilledPartitionsChecked[]> | undefined {
    if (this.closed || this.queue.length > 0) return undefined;
    const idle = this.workers.find((w) => !w.current);
    if (!idle) return undefined;
    return new Promise((resolve, reject) => {
      this.queue.push({
        message: (id) => ({ id, check }),
        settle: (answer) => {
          const a = answer as SpilledCheckAnswer;
          if (a.ok) resolve(a.checked);
          else reject(new RangeWorkerError(a.name, a.message));
        },
        reject,
      });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers.splice(0);
    for (const pending of this.queue.splice(0))
      pending.reject(new RangeWorkerError('Error', 'the validation workers were stopped'));
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private fill(how: WorkerEntry): void {
    if (this.closed) return;
    while (this.workers.length < this.wanted) this.workers.push(this.start(how));
    this.dispatch();
  }

  private start(how: WorkerEntry): PooledWorker {
    const limits = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
    const worker =
      'code' in how
        ? new Worker(how.code, { eval: true, ...limits })
        : new Worker(how.url, { ...limits, workerData: { level: how.level } });
    markTimeline('worker thread started');
    const pooled: PooledWorker = { worker, current: undefined };
    this.stats.started++;
    for (const contract of this.contracts) worker.postMessage({ id: 0, contract } satisfies RangeMessage);
    worker.on('message', (message: { id: number; answer: unknown } | RangeProgressMessage) => {
      const current = pooled.current;
      if (!current || current.id !== message.id) return;
      if ('progress' in message) {
        // progress never fails a run: a throw here would be uncaught (a worker's message handler)
        try {
          current.progress?.(message.progress);
        } catch {
          // the line is only shown again at the next report
        }
        return;
      }
      this.failures = 0;
      pooled.current = undefined;
      worker.unref();
      current.settle(message.answer);
      this.dispatch();
    });
    // A crashed worker (out of memory, an abort, an exit) fails its task and leaves the pool, and a
    // fresh one takes its place at once, idle or not: a failed piece of the shared key check or a
    // failed pre-scan is redone on the main thread and the run goes on, and its next range must
    // find a worker (queued with none, it never ran: the CLI exited with code 13 and no report).
    // The fresh worker is unref'd like any idle one, so it keeps no finished process alive.
    const fail = (error: unknown) => {
      const index = this.workers.indexOf(pooled);
      const current = pooled.current;
      // 'error' is followed by 'exit': the second one has nothing left to do
      if (index < 0 && !current) return;
      if (index >= 0) this.workers.splice(index, 1);
      pooled.current = undefined;
      current?.reject(error);
      if (this.closed) return;
      this.failures++;
      if (this.failures <= this.wanted + MAX_RESTARTS) this.fill(how);
      else {
        this.broken = new RangeWorkerError(
          'Error',
          `the validation workers keep stopping (${this.failures} in a row, the last: ${messageOf(error)}); run again with --workers 1`,
        );
        this.dispatch();
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) =>
      fail(new RangeWorkerError('Error', `a validation worker stopped (exit code ${code})`)),
    );
    // after the listeners: attaching a 'message' listener refs the worker's port again
    worker.unref();
    return pooled;
  }

  private dispatch(): void {
    // no worker left and none coming: what waits fails with the reason instead of waiting forever
    if (this.broken && this.workers.length === 0)
      for (const pending of this.queue.splice(0)) pending.reject(this.broken);
    for (const pooled of this.workers) {
      if (this.queue.length === 0) return;
      if (pooled.current) continue;
      const next = this.queue.shift() as Pending;
      const id = this.nextId++;
      pooled.current = { ...next, id };
      const message = next.message(id);
      if ('task' in message) this.stats.tasks++;
      else if ('check' in message) this.stats.checks++;
      pooled.worker.ref();
      pooled.worker.postMessage(message);
    }
  }
}

function settle(
  task: RangeTask,
  answer: RangeAnswer,
  resolve: (result: CsvValidationResult & RangeQuotes) => void,
  reject: (error: unknown) => void,
): void {
  if (answer.ok) resolve(answer.result);
  else if (answer.name === 'TextDecodeError' && answer.byteOffset !== undefined)
    reject(new TextDecodeError(answer.byteOffset, answer.encoding as never, task.name));
  else reject(new RangeWorkerError(answer.name, answer.message));
}

let pool: RangeWorkerPool | undefined;

/** Stops the pooled range workers (the next runner starts new ones). */
export async function closeRangeWorkers(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}

/**
 * What the current pool has done (zeros when there is none): workers `started`, and inputs or
 * ranges validated, `tasks` in all, `here` of them on this thread; `checks`: spilled key checks
 * shared with workers (one task per input; the pieces a worker takes are claimed in shared memory).
 */
export function rangeWorkerStats(): { started: number; tasks: number; here: number; checks: number } {
  return { ...(pool?.stats ?? { started: 0, tasks: 0, here: 0, checks: 0 }) };
}

/**
 * Checks pieces of spilled key sets on an idle pooled worker (core `checkSpilledKeys`' helper),
 * once the ranges are done: the check was ≈ 0.35-0.45 s in series on this thread at 1M rows,
 * while the workers sat idle. Undefined (this thread checks) when no worker is idle.
 */
function spilledKeysHelper(folder: () => string | undefined): SpilledPartitionsHelper {
  return (parts, claims) => {
    const where = folder();
    if (where === undefined) return undefined;
    return pool?.checkIfIdle({ folder: where, parts: [...parts], claims });
  };
}

/**
 * Files smaller than this are validated in one range: the user asked for workers, but below this
 * a worker's start (a Node isolate and the TypeScript loader) costs more than it saves.
 */
export const CLI_MIN_SPLIT_BYTES = 64 * 1024;

/**
 * The pool for a run: the current one, unless its workers cannot run what `level` needs (then they
 * are stopped and workers of that level take over).
 */
function poolFor(level: WorkerLevel): RangeWorkerPool {
  if (pool && pool.level < level) {
    void pool.close();
    pool = undefined;
  }
  pool ??= new RangeWorkerPool(level);
  return pool;
}

/**
 * Starts the pool's N − 1 range workers now, ahead of the runner ({@link createWorkerRunner} then
 * reuses them): a worker takes ≈ 0.6 s of wall time to start and load its bundle while this thread
 * is busy, so started only when the runner is made (after the contract is compiled and the layout
 * sniffed) it was ready 0.6 s after the first range had begun (1M rows, idle machine). Started
 * before that preparation, its start overlaps it. The workers started are the lightest ones (no
 * mapping code): call it only for a run without mappings.
 */
export function startRangeWorkers(workers: number): void {
  if (workers > 1) poolFor(PLAIN).grow(workers - 1);
}

/**
 * The input runner of `--workers N`: N ranges of each input at once, the first on this thread;
 * uses the pool's N − 1 workers (started now for a run with mappings, else by
 * {@link startRangeWorkers} or with the first range, of the level that range needs).
 *
 * @param rowChecks the run's inputs' row checks ({@link registerRowCheck}; undefined for an input
 *   without a mapping): when some input is mapped, the workers start now, of the level the most
 *   demanding one needs (the FHIR layers for a mapping to FHIR), since a run with mappings does
 *   not call {@link startRangeWorkers}; started with its first range instead, a worker's start-up
 *   (≈ 0.2-0.6 s) delayed every later range.
 */
export function createWorkerRunner(
  workers: number,
  cwd: string,
  rowChecks: readonly (RowCheckFactory | undefined)[] = [],
): InputRunner {
  const helpers = workers - 1;
  const level = rowChecks.reduce<WorkerLevel>(
    (most, rowCheck) => Math.max(most, levelOf(rowCheck)) as WorkerLevel,
    PLAIN,
  );
  if (helpers > 0 && level > PLAIN) poolFor(level).grow(helpers);
  /** the run's key spill folder, once a range has been given it (workers open its stores) */
  let spillFolder: string | undefined;
  return createParallelRunner(
    workers,
    (source, options, lane, quotesTo) => {
      const { range } = options;
      if (options.keySpill && 'folder' in options.keySpill)
        spillFolder = (options.keySpill as FileKeySpill).folder;
      if (helpers <= 0 || range === undefined || lane === undefined || lane === 0) {
        const current = poolFor(levelOf(options.rowCheck));
        current.stats.tasks++;
        current.stats.here++;
        // a split input's range reports its own progress (core `createParallelRunner` sums the ranges')
        if (range === undefined || quotesTo === undefined) return validateCsv(source, options);
        const counter = countRangeQuotes(source.read, range.start, quotesTo, options.layout);
        markTimeline(`range ${range.start} start`);
        return validateCsv({ ...source, read: counter.read }, options).then((result) => {
          markTimeline(`range ${range.start} end`);
          return Object.assign(result, { rangeQuotes: counter.count() });
        });
      }
      const {
        fullValidator,
        rowCheck,
        references = [],
        signal: _signal,
        onProgress,
        keySpill,
        ...rest
      } = options;
      const contract = fullValidator ? contracts.get(fullValidator) : undefined;
      const rowCheckSpec = rowCheck ? rowCheckSpecs.get(rowCheck) : undefined;
      // a programming error: the caller runs an unregistered row check on its own thread
      if (rowCheck && rowCheckSpec === undefined)
        throw new TypeError('a row check must be registered (registerRowCheck) to run in a range worker');
      const task: RangeTask = {
        file: path.resolve(cwd, source.name),
        name: source.name,
        size: source.size,
        options: {
          ...rest,
          references: references.map((r) => ({
            column: r.column,
            target: r.target,
            targetColumn: r.targetColumn,
            ...(r.lookup?.state ? { state: r.lookup.state() } : {}),
          })),
        },
      };
      if (contract) task.contract = contract;
      if (rowCheckSpec !== undefined) task.rowCheck = rowCheckSpec;
      if (keySpill && 'folder' in keySpill) task.keySpillFolder = (keySpill as FileKeySpill).folder;
      if (quotesTo !== undefined) task.quotesTo = quotesTo;
      if (onProgress) task.progress = true;
      // the pool may have been closed since (tests, benchmarks): a new one takes over
      const current = poolFor(levelOf(rowCheck));
      current.grow(helpers);
      markTimeline(`range ${range.start} sent to a worker`);
      return current.run(task, onProgress).then((result) => {
        markTimeline(`range ${range.start} answered`);
        // the range's last step, which the worker's throttle may not have sent (up to 8 MiB would
        // stay uncounted while this thread's range goes on)
        onProgress?.({ bytes: range.end - range.start, rows: result.records });
        return result;
      });
    },
    CLI_MIN_SPLIT_BYTES,
    {
      // one range per thread: more ranges taken in turn (core `takeWork`) balanced the threads
      // but cost more CPU than they saved (see the header)
      takeWork: false,
      countsQuotes: true,
      spilledKeysHelper: spilledKeysHelper(() => spillFolder),
      // the worker whose range ends first pre-scans the input while this thread's range still runs
      preScanHelper: (source, parts, layout) =>
        helpers > 0 && pool
          ? pool.preScan({ file: path.resolve(cwd, source.name), size: source.size, parts, layout })
          : undefined,
    },
  );
}
