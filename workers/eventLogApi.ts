/**
 * The API the event-log worker exposes: an adapter from a log `File`/`Blob` to src/core's event-log
 * reading, discovery and conformance (src/core/workflow/eventlog/), kept apart from
 * `eventLog.worker.ts` so vitest drives it through the pool without a real Worker.
 *
 * Constraints:
 * - The file is read in chunks (`Blob.slice`), never whole; between chunks the worker yields to
 *   its event loop, so a soft cancel is seen within one chunk and progress (bytes) reaches the page.
 * - A log the user can fix (a missing column, bytes that are not UTF-8, malformed XES, an
 *   impossible mapping, an unknown zone or step) resolves with `{ ok: false, message }`: those
 *   messages name files, columns and positions, never values. Anything else leaves as a
 *   `serializeJobError` plain object (workers/pool.ts rebuilds it).
 * - Each job runs in the worker's job runner (workers/jobRunner.ts): cancel by id, the last progress
 *   report delivered before the result, errors as plain objects, the `onProgress` proxy released.
 * - The last log read is kept (one, ~33 bytes per activity instance: see eventLog.ts) while the
 *   next job names the same `File` (name, size, last change) read the same way, so moving a filter
 *   slider or mapping people to roles re-discovers without re-reading a file of millions of rows.
 *   A `Blob` without a name and date is never taken for another: it is always read.
 * - An object-centric (OCEL 2.0) log is kept as read (its events, compactly; one) from its preview
 *   on, beside the flattening of the object type chosen, so choosing another type flattens the
 *   kept log again instead of reading the file again.
 * - An OCEL 2.0 SQLite log is the one log read whole into memory (SQLite reads pages anywhere in
 *   the file), by sql.js, whose chunk is loaded only then (workers/ocelSqlJs.ts).
 */

import { byteSizeWords } from '../src/core/byteSize/index.ts';
import { CsvRecordTooLongError, Utf8DecodeError } from '../src/core/csv/index.ts';
import { type GoLiveObservation, observeGoLive } from '../src/core/forecast/index.ts';
import { JobCancelledError, serializeJobError } from '../src/core/jobs/errors.ts';
import type { Progress } from '../src/core/jobs/progress.ts';
import type { ReaderAccount } from '../src/core/readerAccount/index.ts';
import {
  type BackTest,
  type BackTestOptions,
  BadMappingError,
  type BoundaryChanceEstimate,
  backTest,
  buildProcessMap,
  type ConformanceResult,
  type ConformOptions,
  chooseColumnsOnWholeLog,
  conform,
  createLocalClock,
  createWorkingTime,
  type DiscoverOptions,
  estimateBoundaryChances,
  type FilterSummary,
  flattenOcel,
  gunzipLog,
  isGzipped,
  isXesName,
  type LogInput,
  type LogPreview,
  type LogProblem,
  MissingLogColumnError,
  OCEL_SNIFF_BYTES,
  OcelError,
  type OcelKind,
  type OcelLog,
  type OcelReadLogResult,
  OcelRefusedError,
  type OpeningHours,
  PREVIEW_BYTES,
  type ProcessMap,
  previewLog,
  previewOcel,
  type ReadLogOptions,
  type ReadLogResult,
  readCsvLog,
  readOcel,
  readXesLog,
  scanLogColumns,
  sniffOcel,
  type TimestampReport,
  UnknownObjectTypeError,
  UnknownStepError,
  UnknownTimeZoneError,
  UnrunnableWorkflowError,
  XesError,
} from '../src/core/workflow/eventlog/index.ts';
import { type ActivityWaits, discoverWithWaitCauses } from '../src/core/workflow/waits/index.ts';
import type { Workflow } from '../src/formats/workflow.ts';
import { createJobRunner, type RunningJob } from './jobRunner.ts';
import { yieldToEventLoop } from './yieldToEventLoop.ts';

/** How the log was read, for the import dialog. */
export interface LogReading {
  rows: number;
  events: number;
  cases: number;
  activities: string[];
  /** the people or roles named in the resource column (for the resource → role map) */
  resources: string[];
  /** the roles (lanes) after the resource → role map, and the systems: what cases can be filtered by */
  roles?: string[];
  systems?: string[];
  /** the other columns kept for filtering, with their values (none for a column with too many) */
  kept?: Array<{ name: string; values: string[]; tooMany?: boolean }>;
  timestamps: TimestampReport;
  problems: LogProblem[];
  /** true when every lifecycle event was a complete: each was read as one atomic activity */
  atomicCompletes?: boolean;
  /** completes with no start before them, in a log that has starts: each read as one atomic activity */
  unmatchedCompletes?: number;
  /** what the reader saw and did not use, or used by a stated choice (names only, never values) */
  account?: ReaderAccount;
  /** an object-centric log: the object type the map is of and how it was flattened */
  ocel?: Omit<OcelReadLogResult['ocel'], 'account'>;
}

/** The outcome of a discovery job. */
export type DiscoverOutcome =
  | {
      ok: true;
      reading: LogReading;
      workflow: Workflow;
      filters: FilterSummary;
      map?: ProcessMap;
      /** with the map: each activity's waiting by cause, on the same filtered log */
      waits?: Array<Pick<ActivityWaits, 'activity' | 'waitingHours' | 'causes' | 'shares' | 'batchGap'>>;
      /** the exception paths' chances of each workflow of `chancesFor`, measured from the filtered log */
      boundaryChances?: { workflowId: string; estimates: BoundaryChanceEstimate[] }[];
    }
  | { ok: false; message: string; reading?: LogReading };

/** The process map a discovery also measures, on the same filtered log. */
export interface MapRequest {
  /** share of activities drawn, 0–1 */
  activityShare?: number;
  /** waits counted in these opening hours only */
  openingHours?: OpeningHours;
}

/**
 * The outcome of a back-test job: the comparison, or why the log cannot check the model (with how
 * the log was read when its problems are the reason, for the problems list).
 */
export type BackTestJobOutcome =
  | {
      ok: true;
      backTest: BackTest;
      /**
       * the exception paths' chances of the project's workflow (`options.workflow`) measured from
       * the same filtered log; absent for a discovered workflow (it has no exception paths)
       */
      boundaryChances?: BoundaryChanceEstimate[];
    }
  | { ok: false; message: string; reading?: LogReading };

/** The outcome of a preview: the columns and a proposed mapping, or why the file cannot be read. */
export type PreviewOutcome = { ok: true; preview: LogPreview } | { ok: false; message: string };

/** The outcome of a conformance job. */
export type ConformOutcome =
  | {
      ok: true;
      reading: LogReading;
      result: ConformanceResult;
      /** the exception paths' chances measured from the log (absent from checks made before) */
      boundaryChances?: BoundaryChanceEstimate[];
      /** what the log shows of the load the go-live forecast was about (src/core/forecast) */
      observed?: GoLiveObservation;
    }
  | { ok: false; message: string; reading?: LogReading };

/** Errors that are the log's or the settings', shown as they are (they carry no values). */
function userMessage(error: unknown): string | undefined {
  const known =
    error instanceof MissingLogColumnError ||
    error instanceof BadMappingError ||
    error instanceof Utf8DecodeError ||
    error instanceof CsvRecordTooLongError ||
    error instanceof XesError ||
    error instanceof OcelError ||
    error instanceof OcelRefusedError ||
    error instanceof UnknownObjectTypeError ||
    error instanceof UnknownTimeZoneError ||
    error instanceof UnknownStepError ||
    error instanceof UnrunnableWorkflowError;
  return known ? (error as Error).message : undefined;
}

/** Problems that leave nothing to show: the log cannot be used as read. */
const BLOCKING = new Set(['too-few-events', 'ambiguous-dates', 'unknown-timestamp-format']);

function readingOf(read: ReadLogResult | OcelReadLogResult): LogReading {
  const ocel = 'ocel' in read ? (({ account: _, ...rest }) => rest)(read.ocel) : undefined;
  return {
    account: read.account,
    ...(ocel ? { ocel } : {}),
    rows: read.rows,
    events: read.log.events,
    cases: read.log.cases.length,
    activities: read.log.activities,
    resources: read.log.resources,
    roles: read.log.roles,
    systems: read.log.systems,
    ...(read.log.attributes
      ? {
          kept: read.log.attributes.map((a) => ({
            name: a.name,
            values: a.values,
            ...(a.tooMany ? { tooMany: true } : {}),
          })),
        }
      : {}),
    timestamps: read.timestamps,
    problems: read.problems.list(),
    ...(read.log.atomicCompletes ? { atomicCompletes: true } : {}),
    ...(read.log.unmatchedCompletes ? { unmatchedCompletes: read.log.unmatchedCompletes } : {}),
  };
}

/**
 * The file's last change (`File.lastModified`), given by the page: a `File` may reach the worker as
 * a plain `Blob` (structured clone in some runtimes), so the page sends it alongside.
 */
interface FileStamp {
  lastModified?: number;
}

/** What identifies a read: the file (name, size, last change) and every option of reading it. */
function readKey(file: Blob, name: string, options: ReadLogOptions & FileStamp): string | undefined {
  const lastModified = options.lastModified ?? (file as Partial<File>).lastModified;
  if (typeof lastModified !== 'number') return undefined;
  const { mapping, timestampFormat, timeZone, lifecycleStart, lifecycleComplete, roleMap } = options;
  return JSON.stringify([
    name,
    file.size,
    lastModified,
    mapping,
    timestampFormat,
    timeZone,
    lifecycleStart,
    lifecycleComplete,
    roleMap,
  ]);
}

/** What identifies a file whatever the reading options (name, size, last change), or undefined. */
function fileKey(file: Blob, name: string, stamp: FileStamp = {}): string | undefined {
  const lastModified = stamp.lastModified ?? (file as Partial<File>).lastModified;
  return typeof lastModified === 'number' ? JSON.stringify([name, file.size, lastModified]) : undefined;
}

/** How much of a SQLite log is read at once (progress is reported per chunk). */
const SQLITE_CHUNK_BYTES = 1024 * 1024;

/**
 * The largest OCEL 2.0 SQLite log the app reads: sql.js holds the whole database in the worker's
 * memory, and a tab that runs out of memory loses what the person was doing. The CLI reads the file
 * from disk through `node:sqlite`, with no such bound.
 */
export const OCEL_SQLITE_MAX_BYTES = 512 * 1024 * 1024;

/**
 * An OCEL 2.0 SQLite log, read whole (SQLite reads pages anywhere in the file) in chunks, then
 * through sql.js, loaded only now (workers/ocelSqlJs.ts). A file over
 * {@link OCEL_SQLITE_MAX_BYTES} is refused before any byte is read, saying what to do.
 */
export async function readOcelSqlite(
  input: LogInput,
  stream: { onProgress?: (bytes: number) => void },
): Promise<OcelLog> {
  if (input.size > OCEL_SQLITE_MAX_BYTES) {
    const refused = new OcelError(input.name, 0, 0, 'too large for the app');
    refused.message =
      `${input.name} is ${byteSizeWords(input.size)}: the app reads OCEL 2.0 SQLite logs up to ` +
      `${byteSizeWords(OCEL_SQLITE_MAX_BYTES)}. Read it with \`preflight workflow discover\` on this computer, ` +
      'or export the log as OCEL 2.0 JSON or XML, which the app reads as a stream.';
    throw refused;
  }
  const bytes = new Uint8Array(input.size);
  for (let offset = 0; offset < input.size; ) {
    const chunk = await input.read(offset, Math.min(SQLITE_CHUNK_BYTES, input.size - offset));
    if (chunk.length === 0) break;
    bytes.set(chunk, offset);
    offset += chunk.length;
    stream.onProgress?.(offset);
  }
  const { readOcelSqliteBytes } = await import('./ocelSqlJs.ts');
  return readOcelSqliteBytes(bytes, input.name);
}

/** Creates the event-log worker's API; one instance per worker. */
export function createEventLogApi() {
  const jobs = createJobRunner();
  let lastRead: { key: string; result: ReadLogResult } | undefined;
  let lastOcel: { key: string; log: OcelLog } | undefined;

  /** The OCEL log of `input`: the kept one when `key` names the same file, else read and kept. */
  async function ocelLogOf(
    input: LogInput,
    kind: OcelKind,
    key: string | undefined,
    stream: { signal?: AbortSignal; onProgress?: (bytes: number) => void },
  ): Promise<OcelLog> {
    if (key !== undefined && lastOcel?.key === key) {
      stream.onProgress?.(input.size);
      return lastOcel.log;
    }
    lastOcel = undefined;
    const log =
      kind === 'ocel-sqlite' ? await readOcelSqlite(input, stream) : await readOcel(input, kind, stream);
    if (key !== undefined) lastOcel = { key, log };
    return log;
  }

  /**
   * Reads the log `file` (the kept read when it is the same), with progress in bytes through
   * `report`, stopping within one chunk once `signal` aborts.
   */
  async function read(
    file: Blob,
    name: string,
    options: ReadLogOptions & FileStamp,
    { signal, report }: RunningJob<Progress>,
  ): Promise<ReadLogResult> {
    const key = readKey(file, name, options);
    if (key !== undefined && lastRead?.key === key) {
      report({ done: file.size, total: file.size, unit: 'bytes', ratePerSecond: 0, etaSeconds: 0 });
      return lastRead.result;
    }
    // a new read replaces the kept one: never two logs in memory at once
    lastRead = undefined;
    const started = performance.now();
    // the next chunk is fetched while this one is parsed (the Blob read is the browser's I/O)
    let ahead: { offset: number; bytes: Promise<ArrayBuffer> } | undefined;
    const fetchChunk = (offset: number, length: number) => {
      const bytes = file.slice(offset, offset + length).arrayBuffer();
      bytes.catch(() => undefined); // a read-ahead nobody takes (cancel, re-read) must not be unhandled
      return bytes;
    };
    const input: LogInput = {
      name,
      size: file.size,
      read: async (offset, length) => {
        await yieldToEventLoop();
        if (signal.aborted) throw new JobCancelledError();
        const bytes = ahead?.offset === offset ? ahead.bytes : fetchChunk(offset, length);
        const next = offset + length;
        ahead = next < file.size ? { offset: next, bytes: fetchChunk(next, length) } : undefined;
        return new Uint8Array(await bytes);
      },
    };
    // a gzipped log is decompressed as it is read (gzipLog.ts); progress is over the decompressed bytes
    const log = isGzipped(name) ? { ...(await gunzipLog(input)), name } : input;
    const onProgress = (bytes: number) => {
      const seconds = (performance.now() - started) / 1000;
      const ratePerSecond = seconds > 0 ? bytes / seconds : 0;
      report({
        done: bytes,
        total: log.size,
        unit: 'bytes',
        ratePerSecond,
        etaSeconds: ratePerSecond > 0 ? (log.size - bytes) / ratePerSecond : null,
      });
    };
    const stream = { signal, onProgress };
    // an object-centric log is told by its content, whatever its name (ocel.ts)
    const ocel = sniffOcel((await log.read(0, Math.min(OCEL_SNIFF_BYTES, log.size))).slice());
    const result = ocel
      ? flattenOcel(await ocelLogOf(log, ocel, fileKey(file, name, options), stream), options, name)
      : isXesName(name)
        ? await readXesLog(log, options, stream)
        : await readCsvLog(log, options, stream);
    if (key !== undefined) lastRead = { key, result };
    return result;
  }

  /**
   * Job `jobId` on the log `file` read (see `read`): `use` is given the read and its reading, unless
   * the log has problems that stop it being used as read (with `skipBadRows`, blocking ones only);
   * the log's and the settings' errors end `ok: false` with their message.
   */
  function onUsableLog<T>(
    jobId: string,
    file: Blob,
    name: string,
    options: ReadLogOptions & FileStamp & { skipBadRows?: boolean },
    onProgress: (progress: Progress) => void,
    use: (result: ReadLogResult, reading: LogReading) => T,
  ): Promise<T | { ok: false; message: string; reading?: LogReading }> {
    return jobs.run(
      jobId,
      async (job: RunningJob<Progress>) => {
        const result = await read(file, name, options, job);
        const reading = readingOf(result);
        const blocked = reading.problems.some(
          (p) => p.severity === 'error' && (!options.skipBadRows || BLOCKING.has(p.code)),
        );
        if (blocked)
          return {
            ok: false as const,
            message: 'The log has problems that stop it being used as read.',
            reading,
          };
        return use(result, reading);
      },
      {
        onProgress,
        answer: (error) => {
          const message = userMessage(error);
          return message === undefined ? undefined : { ok: false as const, message };
        },
      },
    );
  }

  return {
    /**
     * Looks at the first {@link PREVIEW_BYTES} of `file`: its columns, their time formats and a
     * proposed mapping (names and formats only, never cell values).
     */
    async preview(file: Blob, name: string, stamp: FileStamp = {}): Promise<PreviewOutcome> {
      try {
        const blob: LogInput = {
          name,
          size: file.size,
          read: async (offset, length) =>
            new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
        };
        const log = isGzipped(name) ? await gunzipLog(blob) : blob;
        const prefix = await log.read(0, Math.min(PREVIEW_BYTES, log.size));
        const ocel = sniffOcel(prefix.slice());
        if (ocel) {
          // an object-centric log is read whole to offer its object types: the cases are chosen by type
          return {
            ok: true,
            preview: previewOcel(await ocelLogOf(log, ocel, fileKey(file, name, stamp), {})),
          };
        }
        const preview = previewLog(prefix.slice(), log.name);
        if (preview.kind !== 'csv' || preview.proposal.case === '') return { ok: true, preview };
        // the columns chosen again on the whole log, as the CLI does: what each column is, not its first rows
        // a log the whole-log pass cannot read keeps the first rows' choice: the read says where it stops
        const evidence = await scanLogColumns(log, preview.proposal.case).catch(() => undefined);
        if (!evidence) return { ok: true, preview };
        const choice = chooseColumnsOnWholeLog(preview, evidence);
        return {
          ok: true,
          preview: { ...preview, proposal: choice.mapping, reasons: choice.reasons, evidence },
        };
      } catch (error) {
        // sniffHeader's errors (no header, not text) are written for the user and carry no values
        if (error instanceof Error && !(error instanceof TypeError))
          return { ok: false, message: error.message };
        throw serializeJobError(error);
      }
    },

    /**
     * Reads the log `file` (CSV, or XES by the `.xes` name) and discovers its current workflow;
     * `onProgress` (a `Comlink.proxy`) hears bytes read. `skipBadRows` uses a log whose rows have
     * errors (they are left out and reported); otherwise such a log resolves `ok: false`.
     */
    async discover(
      jobId: string,
      file: Blob,
      name: string,
      options: ReadLogOptions &
        FileStamp & {
          skipBadRows?: boolean;
          discover?: DiscoverOptions;
          map?: MapRequest;
          /** the project's workflows whose exception paths are measured on the same log */
          chancesFor?: Workflow[];
        },
      onProgress: (progress: Progress) => void,
    ): Promise<DiscoverOutcome> {
      return onUsableLog(jobId, file, name, options, onProgress, (result, reading): DiscoverOutcome => {
        const clock = createLocalClock(options.timeZone ?? 'UTC');
        const discovery = discoverWithWaitCauses(result.log, clock, { source: name, ...options.discover });
        const map = options.map
          ? buildProcessMap(discovery.log, {
              ...(options.map.activityShare === undefined
                ? {}
                : { activityShare: options.map.activityShare }),
              ...(options.map.openingHours
                ? { measure: createWorkingTime(options.map.openingHours, clock), workingTime: true }
                : {}),
            })
          : undefined;
        const waits = map
          ? discovery.waits.activities.map(({ activity, waitingHours, causes, shares, batchGap }) => ({
              activity,
              waitingHours,
              causes,
              shares,
              batchGap,
            }))
          : undefined;
        const boundaryChances = (options.chancesFor ?? []).map((workflow) => ({
          workflowId: workflow.id,
          estimates: estimateBoundaryChances(discovery.log, workflow),
        }));
        return {
          ok: true,
          reading,
          workflow: discovery.workflow,
          filters: discovery.filters,
          ...(map ? { map } : {}),
          ...(waits ? { waits } : {}),
          ...(boundaryChances.length > 0 ? { boundaryChances } : {}),
        };
      });
    },

    /**
     * Reads the log `file` (the kept read when it is the same), discovers its workflow with the
     * same filters as `discover`, and back-tests a workflow against the filtered log
     * (src/core/workflow/eventlog/backTest.ts): `options.workflow` when given (a workflow of the
     * project, e.g. the current one with its staff corrected; its steps are matched to the
     * activities by name), else the discovered one.
     */
    async backTest(
      jobId: string,
      file: Blob,
      name: string,
      options: ReadLogOptions &
        FileStamp & {
          skipBadRows?: boolean;
          discover?: DiscoverOptions;
          backTest?: BackTestOptions;
          workflow?: Workflow;
        },
      onProgress: (progress: Progress) => void,
    ): Promise<BackTestJobOutcome> {
      return onUsableLog(jobId, file, name, options, onProgress, (result): BackTestJobOutcome => {
        const clock = createLocalClock(options.timeZone ?? 'UTC');
        const discovery = discoverWithWaitCauses(result.log, clock, { source: name, ...options.discover });
        const model = options.workflow ?? discovery.workflow;
        const tested = backTest(discovery.log, model, options.backTest ?? {});
        if (!tested.ok) return { ok: false, message: tested.message };
        return {
          ok: true,
          backTest: tested.backTest,
          ...(options.workflow
            ? { boundaryChances: estimateBoundaryChances(discovery.log, options.workflow) }
            : {}),
        };
      });
    },

    /** Reads the log `file` and checks it against the designed `workflow` (see `discover`). */
    async conform(
      jobId: string,
      file: Blob,
      name: string,
      workflow: Workflow,
      options: ReadLogOptions & FileStamp & { skipBadRows?: boolean; conform?: ConformOptions },
      onProgress: (progress: Progress) => void,
    ): Promise<ConformOutcome> {
      return onUsableLog(
        jobId,
        file,
        name,
        options,
        onProgress,
        (result, reading): ConformOutcome => ({
          ok: true,
          reading,
          result: conform(result.log, workflow, options.conform ?? {}),
          boundaryChances: estimateBoundaryChances(result.log, workflow, options.conform ?? {}),
          observed: observeGoLive(result.log, workflow, options.conform ?? {}),
        }),
      );
    },

    /** Soft cancel: job `jobId` stops before its next chunk. */
    cancel(jobId: string): void {
      jobs.cancel(jobId);
    },
  };
}

/** The event-log worker's API as the main thread sees it through `Comlink.Remote`. */
export type EventLogWorkerApi = ReturnType<typeof createEventLogApi>;
