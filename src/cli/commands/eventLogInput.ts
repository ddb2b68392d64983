/**
 * What `workflow discover` and `workflow conform` share: the column options (declared once, so
 * the two commands cannot drift apart), reading a CSV or XES log from disk in chunks, and the
 * report of how the log was read (timestamp format, zone, problems with row numbers).
 *
 * Messages name files, columns, rows and problem codes, never cell values (they may be patient data).
 */
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CsvRecordTooLongError, Utf8DecodeError } from '../../core/csv/index.ts';
import { describeLocation, InputReadError } from '../../core/jobs/errors.ts';
import { accountWords, type ReaderAccount } from '../../core/readerAccount/index.ts';
import {
  BadMappingError,
  buildProcessMap,
  type ColumnMapping,
  chooseColumns,
  describeCaseColumn,
  describeProblem,
  describeXesCases,
  flattenOcel,
  frequencyWords,
  GzipLogError,
  gunzipLog,
  isGzipped,
  isXesName,
  type LogColumnChoice,
  type LogInput,
  type LogPreview,
  MissingLogColumnError,
  OCEL_ACTIVITY,
  OCEL_KIND_WORDS,
  OCEL_SAME_INSTANT_RULE,
  OCEL_SNIFF_BYTES,
  OCEL_TIME,
  OcelError,
  type OcelKind,
  type OcelLog,
  type OcelReadLogResult,
  OcelRefusedError,
  type OcelSummary,
  PREVIEW_BYTES,
  previewLog,
  type ReadLogOptions,
  type ReadLogResult,
  readCsvLog,
  readOcel,
  readXesLog,
  scanLogColumns,
  sniffOcelInput,
  summarizeOcel,
  TIMESTAMP_FORMATS,
  type TimestampFormat,
  UNTIMED_WORDS,
  UnknownTimeZoneError,
  XesError,
} from '../../core/workflow/eventlog/index.ts';
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import { type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';
import { readOcelSqliteFile } from '../ocelSqliteFile.ts';
import { oneLineStrings } from '../terminalText.ts';

/** The column and reading options both commands take. */
export const LOG_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'case',
    type: 'string',
    valueName: 'column',
    description:
      'the case id column (CSV); without it, case:concept:name (the XES convention), else a column named like a case id, as the app proposes; the column used is printed',
  },
  {
    name: 'activity',
    type: 'string',
    valueName: 'column',
    description:
      'the activity column (CSV); without it, concept:name (the XES standard name), else a column named like an activity that changes within a case; the column used is printed',
  },
  {
    name: 'timestamp',
    type: 'string',
    valueName: 'column',
    description:
      'the time column (CSV); with --lifecycle, the time of each start or complete event; without any time option, time:timestamp (the XES standard name), else a time column that changes within a case — never a case-level date such as case:enddate',
  },
  {
    name: 'start',
    type: 'string',
    valueName: 'column',
    description: 'start time column (CSV, with --complete)',
  },
  {
    name: 'complete',
    type: 'string',
    valueName: 'column',
    description: 'complete time column (CSV, with --start)',
  },
  {
    name: 'lifecycle',
    type: 'string',
    valueName: 'column',
    description: 'column saying whether a row is a start or a complete (CSV, with --timestamp)',
  },
  {
    name: 'resource',
    type: 'string',
    valueName: 'column',
    description: 'who did it: person or role column (CSV)',
  },
  {
    name: 'role',
    type: 'string',
    valueName: 'column',
    description: 'role column, when the log has one (CSV)',
  },
  { name: 'system', type: 'string', valueName: 'column', description: 'system column (CSV)' },
  {
    name: 'object-type',
    type: 'string',
    valueName: 'type',
    description:
      'for an object-centric log (OCEL 2.0 JSON or XML, recognised by its content): the object type whose objects are the cases, e.g. Order; without it, the object types are listed',
  },
  {
    name: 'role-map',
    type: 'string',
    valueName: 'file.json',
    description: 'JSON object mapping resources (people) to roles: {"Dr Lee": "Physician", …}',
  },
  {
    name: 'timestamp-format',
    type: 'string',
    valueName: TIMESTAMP_FORMATS.join('|'),
    description: 'the time format (default: detected from the first 1,000 rows)',
  },
  {
    name: 'time-zone',
    type: 'string',
    valueName: 'zone',
    description: 'zone of times written without one: UTC (default), +02:00, or e.g. Europe/Berlin',
  },
  {
    name: 'skip-bad-rows',
    type: 'boolean',
    description: 'leave out rows with errors (reported) instead of stopping',
  },
];

/** Thrown for a file or log that cannot be used; the commands print it and exit 2. */
export class UnusableLog extends Error {}

const MAX_ROLE_MAP_BYTES = 16 * 1024 * 1024;

async function readRoleMap(file: string, cwd: string): Promise<Record<string, string>> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path.resolve(cwd, file));
    if (!info.isFile() || info.size > MAX_ROLE_MAP_BYTES)
      throw new UnusableLog(`"${file}" is not a role map file.`);
    bytes = await readFile(path.resolve(cwd, file));
  } catch (error) {
    if (error instanceof UnusableLog) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnusableLog(
      `cannot read role map "${file}": ${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')}.`,
    );
  }
  const decoded = decodeUtf8Strict(bytes, `role map "${file}"`);
  if (!decoded.ok) throw new UnusableLog(`${decoded.problem.message}.`);
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) throw new UnusableLog(`role map "${file}": ${parsed.problem.message}.`);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnusableLog(`role map "${file}" must be a JSON object: {"resource": "role", …}.`);
  }
  const map: Record<string, string> = {};
  for (const [resource, role] of Object.entries(value)) {
    if (typeof role !== 'string' || role.trim() === '') {
      throw new UnusableLog(
        `role map "${file}": every value must be a non-empty role name (see its entries).`,
      );
    }
    map[resource] = role.trim();
  }
  return map;
}

/** True for a file read as XES (by its extension: `.xes`, or `.xes.gz`). */
export function isXes(file: string): boolean {
  return isXesName(file);
}

/** Reading options, with the case column chosen for the user when --case was not given. */
interface LogOptions extends ReadLogOptions {
  /**
   * without --case: the column the app's import step proposes and its preview, so that
   * {@link readingReport} says which column was used and why, judged on the whole log
   */
  caseChoice?: { column: string; preview: LogPreview };
  /**
   * the columns chosen for the user (those no option named), by the same function as the app's
   * import step, on the whole log: `reasons` says which and why (printed by {@link readingReport})
   */
  columnChoice?: { reasons: string[]; chosen: string[] };
  /** the file is an object-centric log of this kind (recognised by its content) */
  ocel?: OcelKind;
}

/** The OCEL kind of the file at `absolute` from its first bytes, or undefined (unreadable: the read says why). */
async function ocelKindOf(absolute: string, file: string): Promise<OcelKind | undefined> {
  let opened: OpenedLog | undefined;
  try {
    // a gzipped log: only the bytes the sniff reads are decompressed, not a pass over the whole
    opened = await openLog(absolute, file, OCEL_SNIFF_BYTES);
    return await sniffOcelInput(opened.input);
  } catch {
    return undefined;
  } finally {
    await opened?.close();
  }
}

/**
 * Reads the column options into reading options (CSV needs --activity and times). Without
 * --case, a CSV log's case column is the one the app's import step proposes (the XES convention
 * first, then a column named like a case id), read from the start of `file`; the reading report
 * says which column and why, with the warning when the whole log has few cases for its events.
 */
export async function readLogOptions(
  args: ParsedArgs,
  cwd: string,
  xes: boolean,
  file?: string,
): Promise<LogOptions> {
  const format = args.string('timestamp-format');
  if (format !== undefined && !(TIMESTAMP_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--timestamp-format must be one of ${TIMESTAMP_FORMATS.join(', ')}`);
  }
  const roleMapFile = args.string('role-map');
  const roleMap = roleMapFile ? await readRoleMap(roleMapFile, cwd) : undefined;
  const timeZoneGiven = args.string('time-zone');
  const ocel = file === undefined ? undefined : await ocelKindOf(path.resolve(cwd, file), file);
  if (ocel !== undefined) {
    // an object-centric log has no columns: its cases are the objects of one type
    for (const name of COLUMN_OPTIONS) {
      if (args.string(name) !== undefined)
        throw new UsageError(
          `--${name} names a column; "${file}" is an object-centric (OCEL 2.0) log: choose its cases with --object-type <type>`,
        );
    }
    return {
      mapping: { case: args.string('object-type') ?? '', activity: OCEL_ACTIVITY, timestamp: OCEL_TIME },
      ...(format ? { timestampFormat: format as TimestampFormat } : {}),
      ...(timeZoneGiven ? { timeZone: timeZoneGiven } : {}),
      ...(roleMap ? { roleMap } : {}),
      ocel,
    };
  }
  if (args.string('object-type') !== undefined)
    throw new UsageError(
      '--object-type is for an object-centric (OCEL 2.0) log; give the case with --case <column>',
    );
  const mapping: ColumnMapping = {
    case: args.string('case') ?? '',
    activity: args.string('activity') ?? '',
    ...optional('timestamp', args.string('timestamp')),
    ...optional('start', args.string('start')),
    ...optional('complete', args.string('complete')),
    ...optional('lifecycle', args.string('lifecycle')),
    ...optional('resource', args.string('resource')),
    ...optional('role', args.string('role')),
    ...optional('system', args.string('system')),
  };
  let caseChoice: LogOptions['caseChoice'];
  let columnChoice: LogOptions['columnChoice'];
  const noTimes = [mapping.timestamp, mapping.start, mapping.complete, mapping.lifecycle].every(
    (c) => c === undefined,
  );
  if (!xes && file !== undefined && (!mapping.case || !mapping.activity || noTimes)) {
    const noColumns = COLUMN_OPTIONS.every((name) => args.string(name) === undefined);
    const chosen = await chooseFileColumns(path.resolve(cwd, file), file, mapping.case || undefined);
    if (chosen) {
      const filled: string[] = [];
      const proposal = chosen.choice.mapping;
      if (!mapping.case && proposal.case) {
        mapping.case = proposal.case;
        caseChoice = { column: proposal.case, preview: chosen.preview };
      }
      if (!mapping.activity && proposal.activity) {
        mapping.activity = proposal.activity;
        filled.push('activity');
      }
      if (noTimes) {
        for (const key of ['timestamp', 'start', 'complete', 'lifecycle'] as const) {
          const column = proposal[key];
          if (column) {
            mapping[key] = column;
            filled.push(key);
          }
        }
      }
      // who did it, the role and the system only when no column was named at all, as the app proposes
      if (noColumns) {
        for (const key of ['resource', 'role', 'system'] as const) {
          const column = proposal[key];
          if (column) {
            mapping[key] = column;
            filled.push(key);
          }
        }
      }
      if (filled.length > 0) columnChoice = { reasons: chosen.choice.reasons, chosen: filled };
    }
  }
  if (!xes) {
    if (!mapping.case)
      throw new UsageError(
        '--case <column> is required: no column is named like a case id (such as case:concept:name); give the column holding the case id',
      );
    if (!mapping.activity)
      throw new UsageError(
        '--activity <column> is required: no column is named like an activity (such as concept:name); give the column holding the activity',
      );
  }
  const timeZone = args.string('time-zone');
  return {
    mapping,
    ...(format ? { timestampFormat: format as TimestampFormat } : {}),
    ...(timeZone ? { timeZone } : {}),
    ...(roleMap ? { roleMap } : {}),
    ...(caseChoice ? { caseChoice } : {}),
    ...(columnChoice ? { columnChoice } : {}),
  };
}

/** The options naming a column of a CSV log. */
const COLUMN_OPTIONS = [
  'case',
  'activity',
  'timestamp',
  'start',
  'complete',
  'lifecycle',
  'resource',
  'role',
  'system',
];

/**
 * The columns the app would propose for the CSV log at `absolute` (`caseColumn` when --case named
 * it), judged on the whole log (`scanLogColumns`), or undefined (unreadable: the read that follows
 * reports it with its own message).
 */
async function chooseFileColumns(
  absolute: string,
  file: string,
  caseColumn: string | undefined,
): Promise<{ preview: LogPreview; choice: LogColumnChoice } | undefined> {
  let opened: OpenedLog | undefined;
  try {
    opened = await openLog(absolute, file);
    const { input } = opened;
    const prefix = await input.read(0, Math.min(PREVIEW_BYTES, input.size));
    const preview = previewLog(prefix.slice(), input.name);
    const first = chooseColumns(preview.columns, preview.sampledRows, undefined, caseColumn);
    const column = first.mapping.case;
    if (column === '') return undefined;
    // a log the whole-log pass cannot read (not UTF-8, a record too long) keeps the first rows'
    // evidence: the read that follows stops at the same place and says where
    const evidence = await scanLogColumns(input, column).catch(() => preview.evidence);
    return { preview, choice: chooseColumns(preview.columns, preview.sampledRows, evidence, caseColumn) };
  } catch {
    return undefined;
  } finally {
    await opened?.close();
  }
}

interface OpenedLog {
  input: LogInput;
  close: () => Promise<void>;
}

/**
 * Opens a log file for reading in chunks; a `.gz` file is decompressed as it is read (gzipLog.ts),
 * or, with `firstBytes`, only its first bytes (for a look at how it starts).
 */
async function openLog(
  absolute: string,
  file: string,
  firstBytes = Number.POSITIVE_INFINITY,
): Promise<OpenedLog> {
  const handle = await open(absolute, 'r');
  const close = () => handle.close().catch(() => undefined);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UnusableLog(`cannot read "${file}": it is not a regular file.`);
    let buffer = new Uint8Array(0);
    const input: LogInput = {
      name: file,
      size: info.size,
      read: async (offset, length) => {
        if (buffer.length < length) buffer = new Uint8Array(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      },
    };
    if (!isGzipped(file)) return { input, close };
    // read as a stream from the open file: the file stays open until the log is read
    const log = await gunzipLog(input, firstBytes);
    // messages name the file as given
    return { input: { ...log, name: file }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** Reads one log file (CSV by default, XES by extension; `.gz` decompressed first), in chunks. */
export async function readLogFile(
  file: string,
  cwd: string,
  options: ReadLogOptions & { ocel?: OcelKind },
): Promise<ReadLogResult | OcelReadLogResult> {
  let opened: OpenedLog;
  try {
    opened = await openLog(path.resolve(cwd, file), file);
  } catch (error) {
    if (error instanceof UnusableLog || error instanceof GzipLogError) throw new UnusableLog(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnusableLog(
      `cannot read "${file}": ${code === 'ENOENT' ? 'no such file' : (code ?? 'read error')}.`,
    );
  }
  try {
    const { input } = opened;
    const ocel = options.ocel ?? (await sniffOcelInput(input));
    if (ocel === 'ocel-sqlite') {
      if (isGzipped(file))
        throw new UnusableLog(
          `"${file}" is an OCEL 2.0 SQLite database compressed with gzip: unzip it (gunzip) and give the .sqlite file.`,
        );
      return await readOcelFile(input, () => readOcelSqliteFile(path.resolve(cwd, file), file), options);
    }
    if (ocel !== undefined) return await readOcelFile(input, () => readOcel(input, ocel), options);
    return isXes(file) ? await readXesLog(input, options) : await readCsvLog(input, options);
  } catch (error) {
    const message = unusableMessage(error);
    if (message !== undefined) throw new UnusableLog(message);
    throw error;
  } finally {
    await opened.close();
  }
}

/**
 * An object-centric log flattened on the object type `options.mapping.case`; without one (or with
 * one the log does not have), the object types with their objects and events, to choose from.
 */
async function readOcelFile(
  input: LogInput,
  read: () => Promise<OcelLog>,
  options: ReadLogOptions,
): Promise<OcelReadLogResult> {
  const objectType = options.mapping.case;
  if (options.mapping.keep && options.mapping.keep.length > 0) {
    // nothing silent: a condition on an attribute the reader does not keep would match no case
    throw new UnusableLog(
      `"${input.name}" is an object-centric (OCEL 2.0) log: --with and --without name columns, and its event and object attributes are not kept (see the account of what was not used); filter by role, system or resource, or leave the conditions out.`,
    );
  }
  const log = await read();
  const summary = summarizeOcel(log);
  if (!summary.objectTypes.some((t) => t.name === objectType)) {
    const head =
      objectType === ''
        ? `"${input.name}" is an object-centric (OCEL 2.0) log: give --object-type <type>, the type whose objects are the cases.`
        : `"${input.name}" has no object type "${oneLineStrings(objectType)}".`;
    throw new UnusableLog(`${head} Its object types: ${objectTypeChoices(summary)}.`);
  }
  return flattenOcel(log, options, input.name);
}

/** "Invoice (3 objects, 9 events); Payment (…)": what each object type's map would hold. */
function objectTypeChoices(summary: OcelSummary): string {
  return (
    summary.objectTypes
      // names from the file: escaped, so no character in one acts on the terminal
      .map(
        (t) => `${oneLineStrings(t.name)} (${counted(t.objects, 'object')}, ${counted(t.events, 'event')})`,
      )
      .join('; ')
  );
}

function unusableMessage(error: unknown): string | undefined {
  if (
    error instanceof OcelError ||
    error instanceof OcelRefusedError ||
    error instanceof UnusableLog ||
    error instanceof MissingLogColumnError ||
    error instanceof Utf8DecodeError ||
    error instanceof CsvRecordTooLongError ||
    error instanceof XesError ||
    error instanceof UnknownTimeZoneError
  ) {
    return error.message;
  }
  if (error instanceof BadMappingError) return `${error.message}.`;
  if (error instanceof InputReadError)
    return `cannot read ${describeLocation(error.location)} (${error.causeName}).`;
  return undefined;
}

/**
 * What a `--json` output says of how the log was read, beside its result: the reader's account
 * (names and counts, never values) and, for an object-centric log, the object type of the map,
 * the object types to choose from, the rule for events at the same instant and the links to
 * undeclared objects. Empty for a log whose reader keeps no account.
 */
export function readingJson(result: ReadLogResult | OcelReadLogResult): {
  account?: OcelReadLogResult['account'];
  ocel?: Omit<OcelReadLogResult['ocel'], 'account'>;
} {
  if (!('ocel' in result)) return { account: result.account };
  const { account: _, ...ocel } = result.ocel;
  return { account: result.account, ocel };
}

/**
 * How an object-centric log was read: the object type the map is of, the events on no map of it,
 * and the rule for events at the same instant.
 */
function ocelReport(result: OcelReadLogResult): string[] {
  const o = result.ocel;
  const type = o.objectTypes.find((t) => t.name === o.objectType);
  const kind = OCEL_KIND_WORDS[o.kind];
  const lines = [
    `Object-centric log (${kind}), read for object type "${o.objectType}": each of its ${counted(type?.objectsWithEvents ?? 0, 'object')} linked to events is a case, with the events linked to it. ${counted(o.eventsNotOnMap, 'event')} of the log's ${o.events} ${o.eventsNotOnMap === 1 ? 'is' : 'are'} linked to no object of this type and left out of this reading. Other object types (--object-type): ${objectTypeChoices({ ...o, objectTypes: o.objectTypes.filter((t) => t.name !== o.objectType) }) || 'none'}.`,
    OCEL_SAME_INSTANT_RULE,
  ];
  // the reader's account follows once, under its heading, with every log's (readingReport)
  return lines;
}

/** Said when every lifecycle event is a complete (see `EventLog.atomicCompletes`). */
const ATOMIC_NOTE =
  'Every event is a complete (no start events): each is read as one activity done at its time, so staff (touch) times are not measured and waits are the gaps between consecutive events.';

/** Said when a log with starts has completes without one (see `EventLog.unmatchedCompletes`). */
function unmatchedNote(count: number): string {
  return `${counted(count, 'complete')} had no start of ${count === 1 ? 'its' : 'their'} activity before ${count === 1 ? 'it' : 'them'} in ${count === 1 ? 'its' : 'their'} case (the log mixes activities with and without start events): each is read as one activity done at its time, with no staff (touch) time measured.`;
}

/**
 * The reading report (stderr): the case column when it was chosen for the user (judged on the
 * whole log), counts, timestamps, how events were read, and the problems.
 */
export function readingReport(
  file: string,
  result: ReadLogResult | OcelReadLogResult,
  options?: LogOptions,
): string[] {
  const t = result.timestamps;
  const lines: string[] = 'ocel' in result ? ocelReport(result) : [];
  const choice = options?.caseChoice;
  if (choice) {
    const said = describeCaseColumn(choice.preview, choice.column, choice.column, {
      cases: result.log.cases.length,
      events: result.log.events,
    });
    lines.push(`${said.message} Give --case <column> to use another.`);
  }
  const columns = options?.columnChoice;
  if (columns) {
    const flags = columns.chosen.map((key) => `--${key}`).join(', ');
    lines.push(`Columns chosen from the whole log (${flags} not given): ${columns.reasons.join(' ')}`);
  }
  if (choice) {
    // said above
  } else if ('ocel' in result) {
    // said by ocelReport
  } else if (options && isXes(file)) {
    lines.push(describeXesCases(options.mapping.case || undefined));
  } else if (options) {
    // a column given with --case is the user's: said only when the whole log has few cases for it
    const said = describeCaseColumn({ columns: [], sampledRows: 0 }, options.mapping.case, undefined, {
      cases: result.log.cases.length,
      events: result.log.events,
    });
    if (said.fewCases) lines.push(said.message);
  }
  // an object-centric log has no rows: its events on the map are the figure
  const rows = 'ocel' in result ? '' : `${counted(result.rows, 'row')}, `;
  lines.push(
    `${file}: ${rows}${counted(result.log.events, 'event')}, ${counted(result.log.cases.length, 'case')}, ${counted(result.log.activities.length, 'activity', 'activities')}.`,
  );
  if (t && !result.log.untimed) {
    const how = t.overridden ? 'given' : 'detected';
    const zone = t.detection.naive ? `; times without a zone read as ${t.timeZone}` : '';
    lines.push(`Timestamps: ${t.formatName ?? 'unknown format'} (${how})${zone}.`);
  }
  if (result.log.untimed) {
    const column = isXes(file)
      ? 'no event has a date'
      : 'no column holds event times (such as time:timestamp)';
    lines.push(
      `${UNTIMED_WORDS} (Read without times: ${column}; give --timestamp <column>, or --start <column> and --complete <column>.)`,
    );
    lines.push(...frequencyWords(buildProcessMap(result.log)));
  }
  if (result.log.atomicCompletes) lines.push(ATOMIC_NOTE);
  if (result.log.unmatchedCompletes) lines.push(unmatchedNote(result.log.unmatchedCompletes));
  const rowWord = isXes(file) || 'ocel' in result ? 'event' : 'row';
  for (const problem of result.problems.list()) lines.push(`  ${describeProblem(problem, rowWord)}`);
  lines.push(...accountReport(result.account));
  return lines;
}

/**
 * The reader's account in words (names only, never values): what the file holds that the figures
 * do not use, or use by a stated choice. The same lines are in the JSON output's `account`.
 */
export function accountReport(account: ReaderAccount): string[] {
  if (account.lines.length === 0) {
    return [`Every ${account.reader === 'xes' ? 'attribute key' : 'column'} of the log is used.`];
  }
  const notUsed = account.lines.filter((line) => line.handling === 'not-used').length;
  return [
    `What the log holds and how it counts (${counted(notUsed, 'item')} not used, ${counted(account.lines.length - notUsed, 'item')} read by a choice):`,
    ...accountWords(account).map((line) => `  ${line}`),
  ];
}

/** Throws {@link UnusableLog} when reading found errors and --skip-bad-rows was not given. */
export function requireUsable(file: string, result: ReadLogResult, skipBadRows: boolean): void {
  if (result.log.untimed) {
    // the frequencies and variants are in the reading report; this command's figures need times
    throw new UnusableLog(
      `"${file}" has no times: its frequencies and variants are listed above; durations, waits and a workflow with measured times need a time column.`,
    );
  }
  const problems = result.problems.list();
  const fatal = problems.filter(
    (p) =>
      p.severity === 'error' &&
      (!skipBadRows || ['too-few-events', 'ambiguous-dates', 'unknown-timestamp-format'].includes(p.code)),
  );
  if (fatal.length === 0) return;
  // positions in an XES or OCEL log are event numbers, not rows
  const rowWord = isXes(file) || 'ocel' in result ? 'event' : 'row';
  throw new UnusableLog(
    [
      `"${file}" cannot be used as read:`,
      ...fatal.map((p) => `  ${describeProblem(p, rowWord)}`),
      skipBadRows ? '' : `Fix these ${rowWord}s, or give --skip-bad-rows to leave them out.`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/** "1 case", "2 cases": counts in the summary line read as sentences. */
function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
