/**
 * The validation engine's pass over one CSV input: bytes → strict decoding → CSV records
 * (csvRecords.ts) → structure checks, the declarative plan on every row, full validation (ajv,
 * allErrors) only on the rows the plan flags, column profiles, key sets and reference lookups — in
 * one streaming pass, by one thread.
 *
 * Constraints:
 * - Memory does not grow with rows, except for the in-memory key sets (typed arrays; above a size
 *   threshold the caller gives a key spill: past its bound to disk, keySpill.ts) and the failing rows'
 *   offsets (a Uint32Array + Float64Array pair, 12 bytes per failing row) that let a UI re-read any
 *   failing row later ({@link readRecordAt}), plus which of those rows each issue group holds
 *   (issueRows.ts: a list or a bitset per group, at most failing rows / 8 bytes each) so the
 *   drill-down can list one issue's rows. Issues keep counts and the first 20 examples.
 * - Runs unchanged in a Web Worker and in Node: reads through a `ReadChunk` callback (a
 *   `Blob.slice` in the browser, a file handle in the CLI), cancels between decode slices through
 *   an `AbortSignal`, reports progress (bytes, rows) per chunk and every MiB inside one.
 * - Full validation is a function given by the caller (`fullValidator`): ajv compiles code, which
 *   the page's CSP forbids, so the browser passes one compiled in its validator worker and the CLI
 *   one compiled in Node. Without it, the plan decides alone — allowed only when the plan can decide
 *   every row (no column needs full validation), else {@link FullValidationRequiredError}.
 * - Errors say where (file, byte offset, row, column), never a value. Values appear only in issue
 *   examples, which the report can redact.
 */

import {
  blankMissing,
  CONTRACT_ROW_RULES,
  type ColumnPlan,
  contractRuleId,
  createPlanRunner,
  type PlanCheck,
  ROW_INVALID,
  ROW_NEEDS_FULL,
  ROW_VALID,
  ruleOf,
  type ValidationPlan,
} from '../contract/index.ts';
import {
  type CsvLayout,
  CsvRecordTooLongError,
  createCsvRecordReader,
  createLineEndingScanner,
  createTextPositions,
  createTextStreamDecoder,
  DEFAULT_MAX_COLUMNS,
  DEFAULT_MAX_FIELD_CHARS,
  DEFAULT_MAX_NAME_CHARS,
  type LineEndingCounts,
  lineOfByte,
  recordsBeforeByte,
  TextDecodeError,
} from '../csv/index.ts';
import { JobCancelledError, readInputChunk } from '../jobs/errors.ts';
import {
  type AccountBuilder,
  createAccount,
  mergeAccounts,
  type ReaderAccount,
} from '../readerAccount/index.ts';
import { accountColumns } from './columnAccount.ts';
import { type ColumnProfiler, createColumnProfiler, type ProfileState } from './columnProfile.ts';
import type { CsvSource, SplitRecords } from './csvSource.ts';
import { DECIMAL_SNIFF_ROWS, type DecimalMark, planWithDecimalMark } from './decimalMark.ts';
import { detach } from './detach.ts';
import { createIssueRows, type IssueRowsState } from './issueRows.ts';
import {
  createIssueTally,
  indexRowSets,
  type RowSetWatch,
  type TallyEntry,
  type TallyExample,
} from './issueTally.ts';
import {
  createKeySet,
  type KeySet,
  type KeySetState,
  keyHashes,
  MAX_DEMOGRAPHICS,
  stateHas,
} from './keySet.ts';
import {
  checkSpilledKeys,
  createSpillingKeySet,
  KEY_SPILL_MEMORY_BYTES,
  type KeySpill,
  type SpillingKeySet,
} from './keySpill.ts';
import { readHead } from './readHead.ts';
import { windowedRecordReads } from './recordWindows.ts';
import type { RowChecker, RowCheckFactory, RowIssue } from './rowCheck.ts';
import { ENGINE_RULES } from './rules/index.ts';

export type { CsvSource, SplitRecords } from './csvSource.ts';

/** Key texts read at once from a source whose reads may overlap (the listed duplicate keys' texts). */
const KEY_READS_AT_ONCE = 16;

/** How many reads of `source` may be in flight at once for small reads (1 unless it allows more). */
function readsAtOnceOf(source: CsvSource): number {
  return source.concurrentReads === true ? KEY_READS_AT_ONCE : 1;
}

/** An ajv-style validator of one row object (ajv compiled with allErrors). */
export interface FullRowValidator {
  (row: unknown): boolean;
  errors?: { instancePath: string; keyword: string; params: Record<string, unknown> }[] | null;
}

/** A key column that stands for the whole row: duplicate rows are reported as duplicate keys. */
export const WHOLE_ROW = '*';
/** What joins a row's cells into a {@link WHOLE_ROW} key's value (a control character no extract uses). */
const WHOLE_ROW_SEPARATOR = '\u001f';

/** A record key to collect (duplicate keys) and optionally compare demographics for. */
export interface KeySpec {
  /** the key column, or {@link WHOLE_ROW} */
  column: string;
  /** demographic columns compared between records sharing a key (at most 4) */
  demographics?: readonly string[];
  /** another input's references look into this key set: it is kept in memory (never spilled) */
  referenced?: boolean;
}

/** A reference column checked against another input's key set. */
export interface ReferenceSpec {
  column: string;
  /** the referenced input's name (for the report) */
  target: string;
  /** the referenced column (for the report) */
  targetColumn: string;
  /**
   * the referenced input's keys (`state` lets a runner send them to a worker); absent for a
   * reference into this same input (`targetColumn` must then be one of `keys`): its values are
   * kept as hashes and checked once the input's own keys are complete
   */
  lookup?: { has(key: string): boolean; state?(): KeySetState };
}

/** Options of {@link validateCsv}. */
export interface ValidateCsvOptions {
  layout: CsvLayout;
  plan?: ValidationPlan;
  fullValidator?: FullRowValidator;
  keys?: readonly KeySpec[];
  references?: readonly ReferenceSpec[];
  /** bytes per read; default {@link DEFAULT_VALIDATE_CHUNK_BYTES} */
  chunkBytes?: number;
  signal?: AbortSignal;
  /** called after each chunk, and every MiB inside a larger chunk */
  onProgress?: (progress: { bytes: number; rows: number }) => void;
  /** collect column profiles (default true) */
  profile?: boolean;
  /** a further check of every row, made for the header (e.g. a mapping to FHIR: fhir/mappedRows.ts) */
  rowCheck?: RowCheckFactory;
  /**
   * where key sets spill their keys so memory stays bounded whatever the number of keys
   * (keySpill.ts: held in memory up to its `memoryBytes`, written to its stores past it); without
   * it they are held in memory. Referenced key sets are never spilled. Spilled keys are
   * checked at the input's end.
   */
  keySpill?: KeySpill;
  /**
   * the row sets of the waivers limited to rows (small: a few ranges each): each issue group one
   * names counts its occurrences inside them, so the waiver accepts exactly those (waivers.ts)
   */
  rowSets?: readonly RowSetWatch[];
  /**
   * the decimal mark of the file's numbers (decimalMark.ts): `,` reads the contract's numeric
   * columns with a decimal comma, `.` never does; undefined: detected from the head of the file,
   * and said in the result's account
   */
  decimalMark?: DecimalMark;
  /** the columns `rowCheck` (a mapping) reads, for the column account; undefined: any column */
  mappedColumns?: readonly string[];
}

/** Orphan references found in one input column. */
export interface OrphanTally {
  column: string;
  target: string;
  targetColumn: string;
  count: number;
  examples: { row: number; column: string; value: string }[];
}

/**
 * Failing rows, compactly: row numbers and where each is read back ({@link readRecordAt}): the
 * byte its record starts at, or its position in a records source that reads records back itself.
 */
export interface FailingRows {
  count: number;
  rows: Uint32Array;
  offsets: Float64Array;
}

/** The result of one pass over an input. */
export interface CsvValidationResult {
  input: string;
  /** bytes read */
  bytes: number;
  layout: CsvLayout;
  header: string[];
  records: number;
  valid: number;
  invalid: number;
  errors: number;
  warnings: number;
  issues: TallyEntry[];
  profiles: ProfileState[];
  keys: { column: string; demographics: string[]; state: KeySetState }[];
  orphans: OrphanTally[];
  lineEndings: LineEndingCounts;
  failingRows: FailingRows;
  /** which failing rows each issue group holds (positions in `failingRows`), for the drill-down's filter */
  issueRows: IssueRowsState;
  /** rows the plan flagged but full validation accepted (should be 0: the plan and ajv agree) */
  planDisagreements: number;
  /**
   * set when the input could not be read as text (refusedInput.ts): where the bad byte is, and
   * whether it is a zero byte (not a text file), and the records read before it when known; its
   * one issue says so
   */
  refused?: { byteOffset: number; line: number; binary: boolean; records?: number };
  /**
   * what the readers saw and did not use, or used by a stated choice: the source's own (a Parquet
   * file's types), the decimal mark read, and each column of the header not checked
   * (columnAccount.ts)
   */
  account?: ReaderAccount;
  /** the file's own format when it is not delimited text (its source's) */
  fileFormat?: 'parquet';
}

const SPACE_BEFORE_QUOTE = /^[ \t]+"/;

/** 1 MiB: reads stay cheap, and cancel latency stays one chunk. */
export const DEFAULT_VALIDATE_CHUNK_BYTES = 1024 * 1024;

/**
 * Bytes decoded and read at a time within a chunk: a slice's text (one byte per character for
 * Latin-1 text, two otherwise) fits in a core's L2 cache, so the reader scans what the decoder
 * just wrote; a 1 MiB chunk's text does not (tests/bench/RESULTS.md).
 */
const DECODE_SLICE_BYTES = 128 * 1024;
/**
 * Progress is said after each chunk and, inside a chunk larger than this, every this many bytes
 * (a multiple of {@link DECODE_SLICE_BYTES}): a 4 MiB browser chunk of the mapped FHIR check takes
 * seconds. Cancel is checked after every slice.
 */
const PROGRESS_SLICE_BYTES = 1024 * 1024;

/** The contract needs ajv for some column, but no full validator was given. */
export class FullValidationRequiredError extends Error {
  override name = 'FullValidationRequiredError';
  constructor(
    readonly source: string,
    readonly columns: string[],
  ) {
    super(
      `the contract for ${source} uses rules the fast plan cannot check (${columns.length > 0 ? `columns ${columns.map((c) => `"${c}"`).join(', ')}` : 'rules on whole rows'}); run it where full validation is available`,
    );
  }
}

/** A column named in options is not in the input's header. */
export class UnknownColumnError extends Error {
  override name = 'UnknownColumnError';
  constructor(
    readonly source: string,
    readonly column: string,
    readonly role: string,
  ) {
    super(`${source} has no column "${column}" (named as ${role}) in its header`);
  }
}

/** The input has no header row. */
export class EmptyInputError extends Error {
  override name = 'EmptyInputError';
  constructor(readonly source: string) {
    super(`${source} has no header row: it is empty`);
  }
}

function growFailing(failing: FailingRows): void {
  const rows = new Uint32Array(failing.rows.length * 2);
  rows.set(failing.rows);
  const offsets = new Float64Array(failing.offsets.length * 2);
  offsets.set(failing.offsets);
  failing.rows = rows;
  failing.offsets = offsets;
}

/** Column of an ajv error: the property a keyword is about. */
function errorColumn(error: {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}): string {
  if (error.keyword === 'required' && typeof error.params.missingProperty === 'string')
    return error.params.missingProperty;
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string')
    return error.params.additionalProperty;
  const segment = error.instancePath.split('/')[1] ?? '';
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** The message of a contract rule for a column, from the contract (never from the data). */
export function contractMessage(
  rule: string,
  column: ColumnPlan | undefined,
): { code: string; message: string } {
  if (rule === CONTRACT_ROW_RULES.required.id)
    return { code: 'required', message: CONTRACT_ROW_RULES.required.message };
  if (rule === CONTRACT_ROW_RULES.additionalProperties.id)
    return { code: 'structure', message: CONTRACT_ROW_RULES.additionalProperties.message };
  const check = column?.checks.find((c: PlanCheck) => contractRuleId(c.kind) === rule);
  if (check) return { code: 'value', message: ruleOf(check.kind).message(check as never) };
  return { code: 'value', message: `does not meet the contract's "${rule.slice('contract.'.length)}" rule` };
}

/**
 * Validates one input in one streaming pass; see the file header.
 *
 * @throws {InputReadError}, {@link TextDecodeError} (with the byte offset and its line; a zero
 *   byte: not a text file), {@link CsvRecordTooLongError},
 *   {@link EmptyInputError}, {@link UnknownColumnError}, {@link FullValidationRequiredError},
 *   {@link JobCancelledError}.
 */
export async function validateCsv(
  source: CsvSource,
  given: ValidateCsvOptions,
): Promise<CsvValidationResult> {
  try {
    const account = createAccount(source.fileFormat ?? 'csv');
    const options = await withNumbersRead(source, given, account);
    let result: CsvValidationResult;
    try {
      result = await validateCsvPass(source, options, true);
    } catch (error) {
      // records the pass cannot take as a CSV reader would read their text: the text, from the
      // start (the source writes the rest of it first)
      if (!(error instanceof RecordsAsText)) throw error;
      result = await validateCsvPass(source, options, false);
    }
    accountColumns(
      result.header,
      {
        ...(options.plan ? { plan: options.plan } : {}),
        keys: (options.keys ?? []).map((k) => k.column),
        references: (options.references ?? []).map((r) => r.column),
        mapped: options.rowCheck !== undefined,
        ...(options.mappedColumns ? { mappedColumns: options.mappedColumns } : {}),
      },
      account,
    );
    const own = account.finish();
    return {
      ...result,
      account: source.account ? mergeAccounts(own.reader, [source.account, own]) : own,
      ...(source.fileFormat ? { fileFormat: source.fileFormat } : {}),
    };
  } catch (error) {
    // a byte offset alone is hard to find in an editor: add the line, and how many records were
    // read before it (the pass stops there and counts none)
    if (error instanceof TextDecodeError && error.line === undefined)
      throw error
        .atLine(await lineOfByte(source, given.layout.encoding, error.byteOffset))
        .afterRecords(await recordsBeforeByte(source, given.layout, error.byteOffset));
    // the reader does not know the file's name: a run of several files must say which one
    if (error instanceof CsvRecordTooLongError && error.source === undefined)
      throw error.inSource(source.name);
    throw error;
  }
}

/**
 * The options with the plan's numeric columns read with the file's decimal mark (decimalMark.ts):
 * chosen, or detected from the head of a text file (a records source's numbers are typed).
 */
async function withNumbersRead(
  source: CsvSource,
  options: ValidateCsvOptions,
  account: AccountBuilder,
): Promise<ValidateCsvOptions> {
  const { plan, layout } = options;
  if (plan === undefined || source.records !== undefined) return options;
  if (!plan.columns.some((c) => c.coerce === 'number' || c.coerce === 'number-or-boolean')) return options;
  let head: { header: string[]; rows: string[][] } = { header: [], rows: [] };
  if (options.decimalMark === undefined)
    try {
      head = await readHead(source, layout, DECIMAL_SNIFF_ROWS);
    } catch (error) {
      // a head that does not read (bytes not in the encoding, a record too long): the pass says
      // where; nothing is detected
      if (error instanceof JobCancelledError) throw error;
    }
  else if (options.decimalMark === ',')
    try {
      head = { header: (await readHead(source, layout, 0)).header, rows: [] };
    } catch (error) {
      if (error instanceof JobCancelledError) throw error;
    }
  const read = planWithDecimalMark(
    plan,
    head.header,
    head.rows,
    options.decimalMark,
    layout.delimiter,
    account,
  );
  return read === plan ? options : { ...options, plan: read };
}

/**
 * Records from a records source that a CSV reader would not read as given (see
 * {@link headerReadAsText} and the pass over records): the pass starts again on the text.
 */
class RecordsAsText extends Error {
  override name = 'RecordsAsText';
}

/** The only layout a records source's text has (core parquet writes it). */
function isRecordsLayout(layout: CsvLayout): boolean {
  return (
    layout.encoding === 'utf-8' &&
    layout.delimiter === ',' &&
    layout.quote === '"' &&
    layout.lineEnding === '\r\n' &&
    layout.header
  );
}

/**
 * Whether a header from a records source would not read back from its text as given: no column,
 * a leading BOM, or beyond the reader's bounds (its error is the text's). A one-column source's
 * rows with no value are rows with an empty cell (in its text, blank lines a CSV reader skips).
 */
function headerReadAsText(header: readonly string[]): boolean {
  return (
    header.length === 0 ||
    header.length > DEFAULT_MAX_COLUMNS ||
    (header[0] as string).charCodeAt(0) === 0xfeff ||
    header.some((name) => name.length > DEFAULT_MAX_NAME_CHARS)
  );
}

/** {@link validateCsv}'s pass (a bad byte's error without its line); `split`: take a records source's records. */
async function validateCsvPass(
  source: CsvSource,
  options: ValidateCsvOptions,
  split: boolean,
): Promise<CsvValidationResult> {
  const { layout } = options;
  const missingValues = (options.plan?.missingValues ?? []).filter((m) => m !== '');
  const missing = missingValues.length > 0 ? new Set(missingValues) : undefined;
  let end = source.size;
  const chunkBytes = options.chunkBytes ?? DEFAULT_VALIDATE_CHUNK_BYTES;
  // the decoder indexes wide characters as it reads the bytes: each row's byte offset is then a sum
  const decoder = createTextStreamDecoder(layout.encoding, source.name, 0, { charWidths: true });
  const positions = createTextPositions(layout.encoding);
  const hasHeaderRecord = layout.header;
  // counted as the reader reads: records with nothing unusual are not looked at twice
  const endings = createLineEndingScanner(layout.lineEnding, layout.quote, hasHeaderRecord);
  const reader = createCsvRecordReader({
    lineEndings: endings,
    delimiter: layout.delimiter,
    quoteChar: layout.quote,
    newline: layout.lineEnding,
    offsets: true,
    noHeader: !hasHeaderRecord,
    onBlankLine: (nextRow) => {
      const rule = ENGINE_RULES.blankLine;
      result.warnings++;
      tally.add(rule.id, rule.severity, '', { row: nextRow }, rule);
    },
    // each row is checked as papaparse steps it: a chunk's rows never pile up (see onRecord)
    onRecord: (row, fields, charStart, charEnd) => {
      if (!ensureHeader(fields)) return;
      takeProblems();
      processRecord(row, fields, charStart, -1);
      lastRecordEnd = charEnd;
    },
  });
  // tens of thousands of waivers' rows are indexed in steps a stop can come between
  const rowSetIndex =
    options.rowSets && options.rowSets.length > 0
      ? await indexRowSets(options.rowSets, options.signal ? { signal: options.signal } : {})
      : undefined;
  const tally = createIssueTally(options.rowSets, rowSetIndex);
  // small at first on purpose: `growFailing` then runs within the first failing rows, before the
  // row loop is optimized (a call first reached in optimized code deoptimizes it)
  const failing: FailingRows = { count: 0, rows: new Uint32Array(16), offsets: new Float64Array(16) };
  const issueRows = createIssueRows();
  const result = {
    records: 0,
    valid: 0,
    invalid: 0,
    errors: 0,
    warnings: 0,
    planDisagreements: 0,
  };

  let labels: string[] = [];
  let header: string[] | undefined;
  let runner: ReturnType<typeof createPlanRunner> | undefined;
  let rowChecker: RowChecker | undefined;
  let profilers: ColumnProfiler[] = [];
  let profileCount = 0;
  /** the profilers return the plan's cell verdicts (else the plan runs on its own, per row) */
  let cellVerdicts = false;
  let rowVerdict = 0;
  const planColumns = new Map((options.plan?.columns ?? []).map((c) => [c.column, c]));
  let keySets: {
    spec: KeySpec;
    index: number;
    demographicIndexes: number[];
    /** the row's demographic cells, filled in place row by row (no array grown per row) */
    demographicCells: string[];
    set: KeySet | SpillingKeySet;
  }[] = [];
  let references: {
    spec: ReferenceSpec;
    index: number;
    orphans: OrphanTally;
    deferred: DeferredReferences;
  }[] = [];
  const rowErrors: { rule: string; column: string; index: number }[] = [];
  /** whether a key set spills (keySpill.ts): not when references look into it, here or from another input */
  const spills = (spec: KeySpec) =>
    options.keySpill !== undefined &&
    !spec.referenced &&
    !(options.references ?? []).some((r) => !r.lookup && r.targetColumn === spec.column);

  function error(
    rule: string,
    location: string,
    row: number,
    column: string | undefined,
    value: string | undefined,
    describe: { code?: string; message?: string },
  ) {
    result.errors++;
    // row 0: the header (not a data row: the example carries no row)
    const example: { row?: number; column?: string; value?: string } = row > 0 ? { row } : {};
    if (column !== undefined) example.column = column;
    if (value !== undefined) example.value = value;
    tally.add(rule, 'error', location, example, describe);
  }

  function columnIndex(name: string, role: string): number {
    const index = (header as string[]).indexOf(name);
    if (index < 0) throw new UnknownColumnError(source.name, name, role);
    return index;
  }

  function setUp(columns: string[]): void {
    header = columns;
    // how issues name a column: its header name, or "column N" when the name is blank or repeated
    labels = columns.map((name, i) =>
      name.trim() === '' || columns.indexOf(name) !== columns.lastIndexOf(name) ? `column ${i + 1}` : name,
    );
    if (hasHeaderRecord) {
      const seen = new Set<string>();
      columns.forEach((name, i) => {
        if (name.trim() === '') {
          const rule = ENGINE_RULES.blankHeader;
          error(rule.id, `column ${i + 1}`, 0, undefined, undefined, rule);
        } else if (seen.has(name)) {
          const rule = ENGINE_RULES.duplicateHeader;
          error(rule.id, `column ${i + 1}`, 0, name, undefined, rule);
        }
        seen.add(name);
      });
    }
    if (options.plan) {
      runner = createPlanRunner(options.plan, columns);
      if (!options.fullValidator) {
        const fullColumns = options.plan.columns
          .filter((c) => c.full && columns.includes(c.column))
          .map((c) => c.column);
        const planned = new Set(options.plan.columns.map((c) => c.column));
        const repeated = columns.filter((c, i) => columns.indexOf(c) !== i && planned.has(c));
        if (options.plan.full || fullColumns.length > 0 || repeated.length > 0)
          throw new FullValidationRequiredError(source.name, [...fullColumns, ...repeated]);
      }
    }
    if (options.rowCheck) rowChecker = options.rowCheck(columns);
    // with profiles, the plan's cell verdicts are learnt per distinct value alongside the profile
    const verdicts = runner?.columns;
    if (options.profile !== false) profilers = columns.map((c, i) => createColumnProfiler(c, verdicts?.[i]));
    profileCount = profilers.length;
    cellVerdicts = runner !== undefined && options.profile !== false;
    rowVerdict = runner?.rowVerdict ?? 0;
    // the pass's spilling key sets hold their records in memory up to this, together (keySpill.ts)
    const keyMemory = { left: options.keySpill?.memoryBytes ?? KEY_SPILL_MEMORY_BYTES };
    keySets = (options.keys ?? []).map((spec) => {
      const demographics = (spec.demographics ?? []).slice(0, MAX_DEMOGRAPHICS);
      return {
        spec,
        index: spec.column === WHOLE_ROW ? -1 : columnIndex(spec.column, 'a key'),
        demographicIndexes: demographics.map((d) => columnIndex(d, 'a demographic column')),
        demographicCells: demographics.map(() => ''),
        set: spills(spec)
          ? createSpillingKeySet(
              demographics.length,
              () => (options.keySpill as KeySpill).create(),
              (options.keySpill as KeySpill).blockRecords,
              keyMemory,
            )
          : createKeySet(demographics.length),
      };
    });
    references = (options.references ?? []).map((spec) => ({
      spec,
      deferred: {
        count: 0,
        a: new Uint32Array(0),
        b: new Uint32Array(0),
        rows: new Uint32Array(0),
        offsets: new Float64Array(0),
      },
      index: columnIndex(spec.column, 'a reference'),
      orphans: {
        column: spec.column,
        target: spec.target,
        targetColumn: spec.targetColumn,
        count: 0,
        examples: [],
      },
    }));
  }

  /** the current row's first character and (once asked for) its byte offset, or its position in a records source */
  let rowStart = 0;
  let rowOffset = -1;
  /** rows are read back by a position of the source's own (a row number), not a byte of text */
  let positionsOwn = false;
  function offsetOf(): number {
    if (rowOffset < 0) rowOffset = positions.byteOf(rowStart);
    return rowOffset;
  }

  function processRecord(row: number, read: string[], charStart: number, byteStart: number): void {
    const columns = header as string[];
    // the contract's texts for "no value" are empty cells for every check, profile and key
    const fields = missing === undefined ? read : (blankMissing(read, missing) as string[]);
    result.records++;
    // setting an array's length is a runtime call, even to its own length: most rows have no errors
    if (rowErrors.length !== 0) rowErrors.length = 0;
    rowStart = charStart;
    rowOffset = byteStart;
    // structure: cells against the header
    if (fields.length < columns.length && !(fields.length === 1 && columns.length > 1 && fields[0] === '')) {
      const rule = ENGINE_RULES.missingCells;
      for (let i = fields.length; i < columns.length; i++) {
        const label = labels[i] as string;
        error(rule.id, label, row, label, undefined, rule);
        rowErrors.push({ rule: rule.id, column: label, index: i });
      }
    } else if (fields.length > columns.length) {
      const rule = ENGINE_RULES.extraCells;
      for (let i = columns.length; i < fields.length; i++) {
        error(rule.id, `column ${i + 1}`, row, undefined, fields[i], rule);
        rowErrors.push({ rule: rule.id, column: `column ${i + 1}`, index: i });
      }
    }
    const quoteProblem = quoteProblems.size === 0 ? undefined : quoteProblems.get(row);
    if (quoteProblem !== undefined) {
      quoteProblems.delete(row);
      const rule =
        quoteProblem === 'unterminated-quote' ? ENGINE_RULES.unterminatedQuote : ENGINE_RULES.malformedQuotes;
      error(rule.id, '', row, undefined, undefined, rule);
      rowErrors.push({ rule: rule.id, column: '', index: -1 });
    }
    // one pass over the cells: blank row, spaces before a quote (papaparse and RFC 4180 read such
    // a quote as text: the cell keeps its quotes), and the profiles
    let blank = true;
    let verdict = rowVerdict;
    // locals, not the closure's variables: the engine reloads those after every call in the loop
    const rowProfilers = profilers;
    const profiled = profileCount;
    const cellCount = fields.length;
    for (let i = 0; i < cellCount; i++) {
      const cell = fields[i] as string;
      if (i < profiled) verdict |= (rowProfilers[i] as ColumnProfiler).add(cell);
      if (cell === '') continue;
      blank = false;
      const first = cell.charCodeAt(0);
      if ((first === 32 || first === 9) && SPACE_BEFORE_QUOTE.test(cell)) {
        const rule = ENGINE_RULES.spaceBeforeQuote;
        const column = labels[i] ?? `column ${i + 1}`;
        error(rule.id, column, row, column, cell, rule);
        rowErrors.push({ rule: rule.id, column, index: i });
      }
    }
    // cells missing from a short row are empty cells of their columns
    for (let i = cellCount; i < profiled; i++) verdict |= (rowProfilers[i] as ColumnProfiler).add('');
    if (blank) {
      const rule = ENGINE_RULES.blankRow;
      error(rule.id, '', row, undefined, undefined, rule);
      rowErrors.push({ rule: rule.id, column: '', index: -1 });
    }
    // the contract: the plan on every row, full validation on the rows it flags
    if (runner) {
      // the cells' verdicts clear most rows; the plan's own run lists what fails on the others
      const planVerdict = cellVerdicts && verdict === 0 ? ROW_VALID : runner.check(fields);
      if (planVerdict !== ROW_VALID) {
        if (options.fullValidator) {
          const validate = options.fullValidator;
          if (!validate(runner.rowObject(fields))) {
            for (const e of validate.errors ?? []) {
              const column = errorColumn(e);
              const rule = contractRuleId(e.keyword);
              const index = columns.indexOf(column);
              const value = e.keyword === 'required' || index < 0 ? undefined : fields[index];
              error(rule, column, row, column, value, contractMessage(rule, planColumns.get(column)));
              rowErrors.push({ rule, column, index });
            }
          } else if (planVerdict === ROW_INVALID) result.planDisagreements++;
        } else if (planVerdict === ROW_INVALID || planVerdict === ROW_NEEDS_FULL) {
          for (const f of runner.failures) {
            const value =
              f.rule === CONTRACT_ROW_RULES.required.id || f.index < 0 ? undefined : fields[f.index];
            error(f.rule, f.column, row, f.column, value, contractMessage(f.rule, planColumns.get(f.column)));
            rowErrors.push({ rule: f.rule, column: f.column, index: f.index });
          }
        }
      }
    }
    if (rowChecker) {
      const found = rowChecker(row, fields);
      for (let i = 0; i < found.length; i++) {
        const issue = found[i] as RowIssue;
        const example: TallyExample = { row };
        if (issue.column !== undefined) example.column = issue.column;
        if (issue.path !== undefined) example.path = issue.path;
        if (issue.field !== undefined) example.field = issue.field;
        if (issue.transform !== undefined) example.transform = issue.transform;
        if (issue.unfilled !== undefined) example.unfilled = issue.unfilled;
        // a finding traced to the mapping also says where its row starts in the file
        if (!positionsOwn && (issue.field !== undefined || issue.unfilled !== undefined))
          example.byte = offsetOf();
        if (issue.value !== undefined) example.value = issue.value;
        if (issue.severity === 'error' || issue.severity === 'fatal') {
          result.errors++;
          // `column` of a row error is its issue group's location (as the tally groups it)
          rowErrors.push({ rule: issue.rule, column: issue.location, index: -1 });
          // information (a must-support element absent, a profile claim not checked) is no warning,
          // as a FHIR file's run counts it
        } else if (issue.severity === 'warning') result.warnings++;
        tally.add(issue.rule, issue.severity, issue.location, example, issue);
      }
    }
    if (rowErrors.length > 0) {
      result.invalid++;
      for (const e of rowErrors) issueRows.add(e.rule, e.column, failing.count);
      if (failing.count === failing.rows.length) growFailing(failing);
      failing.rows[failing.count] = row;
      failing.offsets[failing.count] = offsetOf();
      failing.count++;
    } else result.valid++;
    for (const key of keySets) {
      const value = key.index < 0 ? fields.join(WHOLE_ROW_SEPARATOR) : fields[key.index];
      if (value === undefined || value === '') continue;
      // emptied and pushed per row, one array's store was let go and allocated again per row
      const cells = key.demographicCells;
      const indexes = key.demographicIndexes;
      for (let k = 0; k < indexes.length; k++) cells[k] = fields[indexes[k] as number] ?? '';
      key.set.add(value, row, offsetOf(), cells);
    }
    for (const reference of references) {
      const value = fields[reference.index];
      if (value === undefined || value === '') continue;
      if (!reference.spec.lookup) {
        deferReference(reference.deferred, value, row, offsetOf());
        continue;
      }
      if (reference.spec.lookup.has(value)) continue;
      reference.orphans.count++;
      if (reference.orphans.examples.length < 20)
        reference.orphans.examples.push({ row, column: reference.spec.column, value: detach(value) });
    }
  }

  /** quote problems of rows not processed yet (the reader finds them while parsing, before it returns the rows) */
  const quoteProblems = new Map<number, 'unterminated-quote' | 'malformed-quotes'>();

  /** end of the last record processed, until the text before it is forgotten (-1: none since) */
  let lastRecordEnd = -1;

  /** Sets up the columns once the header (or, without one, the first record) is known. */
  function ensureHeader(firstFields: readonly string[] | undefined): boolean {
    if (header !== undefined) return true;
    if (reader.header !== undefined) setUp([...reader.header]);
    else if (firstFields !== undefined && !hasHeaderRecord)
      setUp(firstFields.map((_, i) => `column ${i + 1}`));
    else return false;
    return true;
  }

  function takeProblems(): void {
    if (reader.problems.length === 0) return;
    for (const problem of reader.takeProblems()) {
      if (problem.row === 0) {
        const rule =
          problem.code === 'unterminated-quote'
            ? ENGINE_RULES.unterminatedQuote
            : ENGINE_RULES.malformedQuotes;
        error(rule.id, '', 0, undefined, undefined, rule);
      } else quoteProblems.set(problem.row, problem.code);
    }
  }

  /**
   * Runs a step of the reader; a record over the reader's bounds gets the byte offset where it
   * starts (its characters are still in `positions`: only those before the last record's end are
   * forgotten).
   */
  function located<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (error instanceof CsvRecordTooLongError && error.place.charOffset !== undefined)
        throw error.inSource(source.name, error.row, positions.byteOf(error.place.charOffset));
      throw error;
    }
  }

  /** After each push (records were processed as they were parsed). */
  function take(records: ReturnType<typeof reader.push>): void {
    if (ensureHeader(undefined)) takeProblems();
    for (const record of records) processRecord(record.row, record.fields, record.start as number, -1);
    if (lastRecordEnd >= 0) {
      positions.forgetBefore(lastRecordEnd);
      lastRecordEnd = -1;
    }
  }

  /**
   * Starts reading the chunk at `at`. The next chunk is read while this one is decoded and checked
   * (the disk, or the page cache and the thread that copies from it, works meanwhile: a pass that
   * waits for each read idles as long as it takes); its failure is awaited and reported in turn.
   */
  function startRead(at: number): Promise<Uint8Array> {
    let pending: Promise<Uint8Array>;
    try {
      pending = source.read(at, Math.min(chunkBytes, end - at));
    } catch (e) {
      pending = Promise.reject(e);
    }
    // awaited later, or never when the pass stops first (cancelled, or bad text): not "unhandled"
    pending.catch(() => undefined);
    return pending;
  }

  /**
   * The records of a records source (csvSource.ts), each processed as the CSV reader's would be
   * from their text; returns the text's size. Anything the reader would read otherwise throws
   * {@link RecordsAsText}.
   */
  async function passRecords(records: AsyncIterable<SplitRecords>): Promise<number> {
    if (!isRecordsLayout(layout)) throw new RecordsAsText();
    positionsOwn = source.recordAt !== undefined;
    let rows = 0;
    let bytes = 0;
    for await (const piece of records) {
      if (options.signal?.aborted) throw new JobCancelledError();
      if (!piece.plain) throw new RecordsAsText();
      if (piece.header !== undefined) {
        if (headerReadAsText(piece.header)) throw new RecordsAsText();
        setUp([...piece.header]);
      }
      // only a line longer than the reader's bound on a cell can hold a cell beyond it: a record's
      // line is at most its cells' characters twice (quotes doubled) and a quoted field's three
      // more each
      if (piece.longest * 2 + ((header as string[]).length + 1) * 3 > DEFAULT_MAX_FIELD_CHARS)
        throw new RecordsAsText();
      const positions = piece.positions;
      const cells = piece.records;
      if (cells !== undefined) {
        const count = cells.length;
        for (let r = 0; r < count; r++) {
          rows++;
          processRecord(rows, cells[r] as string[], 0, positions[r] as number);
        }
      }
      const columns = piece.columns;
      if (columns !== undefined) {
        const width = columns.length;
        const count = positions.length;
        for (let r = 0; r < count; r++) {
          // a row's array made as it is checked: it dies young, as a CSV reader's records do
          const fields = new Array<string>(width);
          for (let c = 0; c < width; c++) fields[c] = (columns[c] as readonly string[])[r] as string;
          rows++;
          processRecord(rows, fields, 0, positions[r] as number);
        }
      }
      bytes = piece.bytes;
      options.onProgress?.({ bytes: Math.round(end * piece.done), rows: result.records });
    }
    if (header === undefined) throw new RecordsAsText();
    // the text's line endings: CRLF ends the header and every record, and nothing else does
    lineEndings = { crlf: rows + 1, lf: 0, cr: 0, unexpectedRows: [], unexpected: 0 };
    return bytes;
  }

  /** the line endings counted, when a records source's records were processed */
  let lineEndings: LineEndingCounts | undefined;
  /** this pass's copy of the chunk it reads: a reader may reuse its buffer for the next read */
  let copy = new Uint8Array(0);
  let next: Promise<Uint8Array> | undefined;
  let offset = 0;
  // a records source hands its records over once; asked again, it has written its text
  const records = source.records === undefined ? undefined : await source.records();
  if (records !== undefined) {
    if (!split) throw new Error(`${source.name}: its records were handed over before`);
    offset = await passRecords(records);
    // read to the end (progress against the size expected at the start)
    options.onProgress?.({ bytes: Math.max(end, offset), rows: result.records });
  } else {
    // a records source's text is whole now: its size is the text's
    end = source.size;
    try {
      while (offset < end) {
        if (options.signal?.aborted) throw new JobCancelledError();
        const length = Math.min(chunkBytes, end - offset);
        const at = offset;
        const bytes = await readInputChunk(
          { name: source.name, read: () => (next ??= startRead(at)) },
          offset,
          length,
          options.signal,
        );
        const size = bytes.byteLength;
        if (copy.length < size) copy = new Uint8Array(Math.max(size, chunkBytes));
        copy.set(bytes);
        const chunk = copy.subarray(0, size);
        next = offset + size < end ? startRead(offset + size) : undefined;
        // decoded and read a slice at a time: each slice's text is still in the core's cache when
        // the reader scans it (a whole chunk's text is not), while reads stay chunk-sized
        for (let at = 0; at < chunk.byteLength; at += DECODE_SLICE_BYTES) {
          if (at > 0) {
            // inside a chunk too: the browser reads 4 MiB at once, seconds of a slow row check (a
            // mapping to FHIR), past the pool's grace for a soft cancel. Per slice, not per row
            if (options.signal?.aborted) throw new JobCancelledError();
            if (at % PROGRESS_SLICE_BYTES === 0)
              options.onProgress?.({ bytes: offset + at, rows: result.records });
          }
          const piece = decoder.decode(chunk.subarray(at, at + DECODE_SLICE_BYTES));
          positions.add(piece);
          take(located(() => reader.push(piece.text)));
        }
        offset += chunk.byteLength;
        options.onProgress?.({ bytes: offset, rows: result.records });
      }
    } finally {
      // a pass that stops early (cancelled, bad text) leaves no read running: a reader that reuses
      // one buffer (the CLI's) may be read again at once, by a re-run or a record read on demand
      if (next !== undefined) await next.catch(() => undefined);
    }
  }
  if (lineEndings === undefined) {
    const last = decoder.end();
    positions.add(last);
    take(located(() => reader.push(last.text)));
    take(located(() => reader.finish()));
  }
  if (header === undefined && hasHeaderRecord) {
    // no header and no rows: a warning of the whole file, and nothing else to check; it holds no
    // keys (a reference into it finds none) and no references
    const rule = ENGINE_RULES.emptyFile;
    result.warnings++;
    tally.add(rule.id, rule.severity, '', {}, rule);
    return {
      input: source.name,
      bytes: offset,
      layout,
      header: [],
      ...result,
      issues: tally.entries(),
      profiles: [],
      keys: (options.keys ?? []).map((spec) => ({
        column: spec.column,
        demographics: [...(spec.demographics ?? [])],
        state: createKeySet(0).state(),
      })),
      orphans: (options.references ?? []).map((spec) => ({
        column: spec.column,
        target: spec.target,
        targetColumn: spec.targetColumn,
        count: 0,
        examples: [],
      })),
      lineEndings: lineEndings ?? endings.finish(),
      failingRows: failing,
      issueRows: issueRows.state(),
    };
  }
  if (header === undefined) setUp([]);
  // references into this input: checked now that its own keys are complete
  for (const reference of references) {
    if (reference.spec.lookup) continue;
    const own = keySets.find((k) => k.spec.column === reference.spec.targetColumn);
    if (!own) throw new UnknownColumnError(source.name, reference.spec.targetColumn, 'a referenced key');
    // a referenced key set is never spilled (see `spills`)
    const state = (own.set as KeySet).state();
    const d = reference.deferred;
    for (let i = 0; i < d.count; i++) {
      if (stateHas(state, d.a[i] as number, d.b[i] as number)) continue;
      reference.orphans.count++;
      if (reference.orphans.examples.length < 20) {
        const fields = await readRecordAt(source, layout, d.offsets[i] as number);
        reference.orphans.examples.push({
          row: d.rows[i] as number,
          column: reference.spec.column,
          value: detach(fields?.[reference.index] ?? ''),
        });
      }
    }
  }
  lineEndings ??= endings.finish();
  if (lineEndings.unexpected > 0) {
    const rule = ENGINE_RULES.mixedLineEndings;
    for (let i = 0; i < lineEndings.unexpected; i++) {
      result.warnings++;
      const row = lineEndings.unexpectedRows[i];
      tally.add(rule.id, rule.severity, '', row === undefined ? { row: 1 } : { row }, rule);
    }
  }
  if (result.records === 0) {
    const rule = ENGINE_RULES.noRecords;
    result.warnings++;
    tally.add(rule.id, rule.severity, '', {}, rule);
  }
  const issues = tally.entries();
  const keys: CsvValidationResult['keys'] = [];
  for (const k of keySets) {
    const set = k.set;
    const state =
      'finish' in set
        ? await checkSpilledKeys(set, spilledKeyAt(source, layout, k.index), readsAtOnceOf(source))
        : set.state();
    // duplicates listed by their first row
    keys.push({
      column: k.spec.column,
      demographics: [...(k.spec.demographics ?? [])],
      state: sortDuplicates(state),
    });
  }
  return {
    input: source.name,
    bytes: offset,
    layout,
    header: header ?? [],
    ...result,
    issues,
    profiles: profilers.map((p) => p.state),
    keys,
    orphans: references.map((r) => r.orphans),
    lineEndings,
    failingRows: failing,
    issueRows: issueRows.state(),
  };
}

/** The key text of the record at `offset`: a column's cell, or the whole row's cells joined ({@link WHOLE_ROW}). */
async function keyTextAt(
  source: CsvSource,
  layout: CsvLayout,
  index: number,
  offset: number,
): Promise<string> {
  // a source that reads records back itself reads the key's cell alone
  const fields =
    source.recordAt !== undefined && index >= 0
      ? await source.recordAt(offset, index)
      : await readRecordAt(source, layout, offset);
  if (index < 0) return fields?.join(WHOLE_ROW_SEPARATOR) ?? '';
  return fields?.[index] ?? '';
}

/**
 * The key texts of a spilled key set's listed duplicates: their records read in windows of nearby
 * offsets (recordWindows.ts) when the source's reads may overlap (each read its own bytes: a
 * browser `File`'s slices, where every read is a round trip through the browser process).
 */
function spilledKeyAt(source: CsvSource, layout: CsvLayout, index: number) {
  let reads = source;
  const keyAt = (offset: number) => keyTextAt(reads, layout, index, offset);
  keyAt.plan = (offsets: readonly number[]) => {
    // a source that reads its records back itself reads no text: no windows to plan
    if (source.concurrentReads === true && source.recordAt === undefined)
      reads = windowedRecordReads(source, offsets);
  };
  return keyAt;
}

/** Reference values kept as hashes until the input's own keys are complete (12 bytes + 8 per value). */
interface DeferredReferences {
  count: number;
  a: Uint32Array;
  b: Uint32Array;
  rows: Uint32Array;
  offsets: Float64Array;
}

function deferReference(d: DeferredReferences, value: string, row: number, offset: number): void {
  if (d.count === d.a.length) {
    const size = Math.max(1024, d.count * 2);
    const grow = <T extends Uint32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const bigger = make(size);
      bigger.set(old);
      return bigger;
    };
    d.a = grow(d.a, (n) => new Uint32Array(n));
    d.b = grow(d.b, (n) => new Uint32Array(n));
    d.rows = grow(d.rows, (n) => new Uint32Array(n));
    d.offsets = grow(d.offsets, (n) => new Float64Array(n));
  }
  const [a, b] = keyHashes(value);
  d.a[d.count] = a;
  d.b[d.count] = b;
  d.rows[d.count] = row;
  d.offsets[d.count] = offset;
  d.count++;
}

function sortDuplicates(state: KeySetState): KeySetState {
  state.duplicates.sort((a, b) => (a.rows[0] as number) - (b.rows[0] as number));
  return state;
}

/**
 * First read of {@link readRecordAt} (reads grow ×4 while a record is unfinished). 1 KiB holds a
 * typical extract's record (200-300 bytes) and a few more: every record in the read is decoded and
 * split, so 4 KiB cost 3× the CPU for the 1,000 listed keys of a 1M-row file (175-327 ms against
 * 66-147 ms, read one at a time).
 */
const RECORD_FIRST_READ_BYTES = 1024;
/** The largest read {@link readRecordAt} makes (a reader may give reads up to this size their own bytes). */
export const RECORD_MAX_READ_BYTES = 64 * 1024;

/**
 * Reads the one record that starts at `offset` (a failing row's offset from {@link FailingRows}),
 * or a records source's record at that position (`CsvSource.recordAt`): the UI's drill-down
 * re-reads rows on demand instead of holding them.
 */
export async function readRecordAt(
  source: CsvSource,
  layout: CsvLayout,
  offset: number,
  maxBytes = 1024 * 1024,
): Promise<string[] | undefined> {
  // a records source that reads its records back itself: `offset` is its position
  if (source.recordAt !== undefined) return await source.recordAt(offset);
  try {
    return await readRecordBytesAt(source, layout, offset, maxBytes);
  } catch (error) {
    // as in the pass: the bad byte's line beside its offset
    if (error instanceof TextDecodeError && error.line === undefined)
      throw error.atLine(await lineOfByte(source, layout.encoding, error.byteOffset));
    // read on its own, a record has no row number (at offset 0 it is the header, or row 1) and
    // starts at `offset`, the byte it was asked for
    if (error instanceof CsvRecordTooLongError && error.source === undefined)
      throw error.inSource(source.name, offset === 0 && layout.header ? 0 : error.row, offset);
    throw error;
  }
}

async function readRecordBytesAt(
  source: CsvSource,
  layout: CsvLayout,
  offset: number,
  maxBytes: number,
): Promise<string[] | undefined> {
  const decoder = createTextStreamDecoder(layout.encoding, source.name, offset);
  const reader = createCsvRecordReader({
    delimiter: layout.delimiter,
    quoteChar: layout.quote,
    newline: layout.lineEnding,
    noHeader: true,
  });
  let at = offset;
  // a record is usually a few hundred bytes: read a little first, more only when it needs more
  // (a spilled key set's check reads the key of each listed duplicate: up to 1,000 reads)
  let step = RECORD_FIRST_READ_BYTES;
  while (at < source.size && at - offset < maxBytes) {
    const length = Math.min(step, source.size - at);
    step = Math.min(step * 4, RECORD_MAX_READ_BYTES);
    const bytes = await source.read(at, length);
    if (bytes.byteLength === 0) break;
    const chunk = bytes.byteLength > length ? bytes.subarray(0, length) : bytes;
    at += chunk.byteLength;
    const records = reader.push(decoder.decode(chunk).text);
    if (records.length > 0) return records[0]?.fields;
  }
  const records = [...reader.push(decoder.end().text), ...reader.finish()];
  return records[0]?.fields;
}
