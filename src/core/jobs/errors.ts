/**
 * The errors a background job can end with, as the user sees them.
 *
 * Constraints:
 * - Messages say where and what kind, never the value (it may be patient data): no record content,
 *   no text from a file, no third-party error message (those can quote input). Only fixed wording,
 *   file names, byte offsets, rows, column names and error *codes* (`ENOENT`, `NotReadableError`).
 * - Errors cross postMessage. Structured clone drops the prototype and custom fields of an `Error`
 *   (and comlink sends only `name`/`message`/`stack`), so jobs send {@link serializeJobError}'s plain
 *   object and the receiving side rebuilds the class with {@link toJobError}, keyed by `name`.
 *   Messages are rebuilt from the structured fields, never copied from the wire.
 */

/** Where in the input a problem is. Only positions and names, never values. */
interface InputLocation {
  /** The file name (or another name the user knows the input by, e.g. "FHIR server"). */
  source: string;
  /** Zero-based byte offset of the read that failed. */
  byteOffset?: number;
  /** One-based data row. */
  row?: number;
  /** Column name (a header, not a cell value). */
  column?: string;
}

/**
 * Why a job's worker stopped. `stalled`: it sent no sign of life for longer than the job allows — what
 * a worker the browser killed without an `error` event (out of memory, renderer shutdown) looks like.
 */
type WorkerCrashReason = 'crashed' | 'failedToStart' | 'unexpectedError' | 'stalled';

/**
 * The regular expressions a stalled job was running: a pattern that backtracks on some values can
 * keep a worker busy without a sign of life just as running out of memory does.
 */
interface ContractPatterns {
  /** The contract's name as the user chose it. */
  contract: string;
  /** Where its patterns are: "column mrn", or a JSON Pointer for a nested or row-level one. */
  places: string[];
}

/** The plain, structured-clone-safe form of a job error. */
type SerializedJobError =
  | { name: 'JobCancelledError'; message: string }
  | {
      name: 'WorkerCrashedError';
      message: string;
      reason: WorkerCrashReason;
      causeName?: string;
      patterns?: ContractPatterns;
    }
  | { name: 'InputReadError'; message: string; location: InputLocation; causeName: string };

/** Name of each job error class; the discriminant used to rebuild them after postMessage. */
type JobErrorName = SerializedJobError['name'];

/** Base class of the typed job errors. */
abstract class JobError extends Error {
  abstract override readonly name: JobErrorName;
  /** The plain object to send across postMessage; {@link toJobError} turns it back into the class. */
  abstract toJSON(): SerializedJobError;
}

/** The job was cancelled, by the user or because its pool was shut down. Not a failure to report. */
export class JobCancelledError extends JobError {
  override readonly name = 'JobCancelledError';
  constructor() {
    super('The job was cancelled.');
  }
  override toJSON(): SerializedJobError {
    return { name: this.name, message: this.message };
  }
}

const CRASH_WHAT: Record<WorkerCrashReason, string> = {
  crashed: 'its background worker crashed',
  failedToStart: 'its background worker could not start',
  unexpectedError: 'of an internal error',
  stalled: 'its background worker stopped responding (most often the browser ran out of memory)',
};

const TRY_AGAIN =
  'Try again; if it happens again, reload the page, and if it still fails, report it with the steps that led to it.';

/** What the user can do, per reason; a stall is most often memory, which the user can free. */
const CRASH_ADVICE: Record<WorkerCrashReason, string> = {
  crashed: TRY_AGAIN,
  failedToStart: TRY_AGAIN,
  unexpectedError: TRY_AGAIN,
  stalled: `Close other tabs or programs to free memory. ${TRY_AGAIN}`,
};

/** At most this many places are named; the rest are counted. */
const PLACES_NAMED = 3;

function describePlaces(places: readonly string[]): string {
  const named = places.slice(0, PLACES_NAMED).join(', ');
  const more = places.length - PLACES_NAMED;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** The stalled message when the job was running a contract's patterns: either cause, and what to do for each. */
function stalledOnPatterns(patterns: ContractPatterns): { what: string; advice: string } {
  return {
    what:
      'its background worker stopped responding: the browser may have run out of memory, or a pattern ' +
      `of the column contract "${patterns.contract}" (${describePlaces(patterns.places)}) may take too long on some values`,
    advice:
      'If a pattern is the cause, simplify it in the contract: a repeat inside a repeat, such as (a|aa)+, ' +
      'can take minutes on one value; choose the corrected contract and validate again. ' +
      `Otherwise close other tabs or programs to free memory. ${TRY_AGAIN}`,
  };
}

/**
 * The job stopped unexpectedly: its worker crashed, could not start, or the job hit an error that is
 * not one of the expected kinds (a bug). The message tells the user what to do next.
 */
export class WorkerCrashedError extends JobError {
  override readonly name = 'WorkerCrashedError';
  /** What went wrong, coarsely. */
  readonly reason: WorkerCrashReason;
  /** The `name` (or code) of the underlying error, if any, for bug reports. Never its message. */
  readonly causeName: string | undefined;
  /** The contract patterns the job was running, when it stalled on a contract that has some. */
  readonly patterns: ContractPatterns | undefined;
  constructor(reason: WorkerCrashReason = 'crashed', causeName?: string, patterns?: ContractPatterns) {
    const onPatterns =
      reason === 'stalled' && patterns && patterns.places.length > 0
        ? stalledOnPatterns(patterns)
        : undefined;
    super(
      `The job stopped unexpectedly because ${onPatterns?.what ?? CRASH_WHAT[reason]}${causeName ? ` (${causeName})` : ''}. ` +
        `Nothing from this run was kept and your files are unchanged. ${onPatterns?.advice ?? CRASH_ADVICE[reason]}`,
    );
    this.reason = reason;
    this.causeName = causeName;
    this.patterns =
      onPatterns && patterns ? { contract: patterns.contract, places: [...patterns.places] } : undefined;
  }
  /** This error with the patterns a stalled job was running named as a possible cause (other reasons: itself). */
  withPatterns(patterns: ContractPatterns): WorkerCrashedError {
    if (this.reason !== 'stalled' || patterns.places.length === 0) return this;
    return new WorkerCrashedError(this.reason, this.causeName, patterns);
  }
  override toJSON(): SerializedJobError {
    return {
      name: this.name,
      message: this.message,
      reason: this.reason,
      ...(this.causeName ? { causeName: this.causeName } : {}),
      ...(this.patterns
        ? { patterns: { contract: this.patterns.contract, places: [...this.patterns.places] } }
        : {}),
    };
  }
}

/** Formats a location as "patients.csv, byte 8388608, row 12, column DOB". */
export function describeLocation(location: InputLocation): string {
  const parts = [location.source];
  if (location.byteOffset !== undefined) parts.push(`byte ${location.byteOffset}`);
  if (location.row !== undefined) parts.push(`row ${location.row}`);
  if (location.column !== undefined) parts.push(`column ${location.column}`);
  return parts.join(', ');
}

/** Reading the input failed (file moved, changed since it was picked, disk error, ended early). */
export class InputReadError extends JobError {
  override readonly name = 'InputReadError';
  /** Where the read failed. */
  readonly location: InputLocation;
  /** The code or name of the underlying failure (`ENOENT`, `NotReadableError`, `UnexpectedEnd`). */
  readonly causeName: string;
  constructor(location: InputLocation, causeName: string) {
    super(
      `Could not read ${describeLocation(location)} (${causeName}). Check that the file still exists, ` +
        'has not changed since you chose it and is readable, then choose it again.',
    );
    this.location = location;
    this.causeName = causeName;
  }
  override toJSON(): SerializedJobError {
    return {
      name: this.name,
      message: this.message,
      location: { ...this.location },
      causeName: this.causeName,
    };
  }
}

/** `causeName` used when an input ends before its declared size. */
export const UNEXPECTED_END = 'UnexpectedEnd';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const FALLBACK_KIND = 'UnknownError';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The kind of an arbitrary thrown value as a safe identifier: a Node `code` (`ENOENT`), else its
 * `name` (`NotReadableError`, `TypeError`), else "UnknownError". Never the message.
 */
export function errorKind(error: unknown): string {
  if (isRecord(error)) {
    for (const key of ['code', 'name'] as const) {
      const value = error[key];
      if (typeof value === 'string' && IDENTIFIER.test(value)) return value;
    }
  }
  return FALLBACK_KIND;
}

/**
 * Bytes `offset` to `offset + length` of `input` (an answer longer than asked is cut to `length`):
 * a cancelled read, or any read once `signal` is aborted, throws {@link JobCancelledError} (the
 * cancel is the cause, whatever the read answered); another failure or an empty answer (the input
 * ends before its size) an {@link InputReadError} at `offset`.
 */
export async function readInputChunk(
  input: { name: string; read(offset: number, length: number): Promise<Uint8Array> },
  offset: number,
  length: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await input.read(offset, length);
  } catch (error) {
    if (isJobCancelled(error) || signal?.aborted) throw new JobCancelledError();
    if (error instanceof InputReadError) throw error;
    throw new InputReadError({ source: input.name, byteOffset: offset }, errorKind(error));
  }
  if (signal?.aborted) throw new JobCancelledError();
  if (bytes.byteLength === 0)
    throw new InputReadError({ source: input.name, byteOffset: offset }, UNEXPECTED_END);
  return bytes.byteLength > length ? bytes.subarray(0, length) : bytes;
}

/** True for a {@link JobCancelledError}, its serialised form, or a DOM/Node `AbortError`. */
export function isJobCancelled(error: unknown): boolean {
  if (error instanceof JobCancelledError) return true;
  return isRecord(error) && (error.name === 'JobCancelledError' || error.name === 'AbortError');
}

function toLocation(value: unknown): InputLocation {
  if (!isRecord(value) || typeof value.source !== 'string') return { source: 'the input' };
  const location: InputLocation = { source: value.source };
  if (typeof value.byteOffset === 'number') location.byteOffset = value.byteOffset;
  if (typeof value.row === 'number') location.row = value.row;
  if (typeof value.column === 'string') location.column = value.column;
  return location;
}

function toPatterns(value: unknown): ContractPatterns | undefined {
  if (!isRecord(value) || typeof value.contract !== 'string' || !Array.isArray(value.places))
    return undefined;
  const places = value.places.filter((p): p is string => typeof p === 'string');
  return { contract: value.contract, places };
}

const CRASH_REASONS: readonly WorkerCrashReason[] = [
  'crashed',
  'failedToStart',
  'unexpectedError',
  'stalled',
];

/**
 * Turns anything thrown — a job error, its structured-cloned plain form, comlink's rebuilt `Error`,
 * an `AbortError`, or an unrelated exception — into one of the typed job errors. Unknown errors become
 * a {@link WorkerCrashedError} with reason `unexpectedError` that keeps only the error's kind.
 */
export function toJobError(error: unknown): JobError {
  if (error instanceof JobError) return error;
  if (isJobCancelled(error)) return new JobCancelledError();
  if (isRecord(error)) {
    const causeName =
      typeof error.causeName === 'string' && IDENTIFIER.test(error.causeName) ? error.causeName : undefined;
    if (error.name === 'WorkerCrashedError') {
      const reason = CRASH_REASONS.find((r) => r === error.reason) ?? 'crashed';
      return new WorkerCrashedError(reason, causeName, toPatterns(error.patterns));
    }
    if (error.name === 'InputReadError') {
      return new InputReadError(toLocation(error.location), causeName ?? FALLBACK_KIND);
    }
  }
  return new WorkerCrashedError('unexpectedError', errorKind(error));
}

/** The structured-clone-safe form of any thrown value, for sending across postMessage / comlink. */
export function serializeJobError(error: unknown): SerializedJobError {
  return toJobError(error).toJSON();
}
