/**
 * Rows of an event log (cells by column name) → events: the column mapping, timestamp detection
 * over the first rows, lifecycle values, and the resource → role map. Shared by the CSV reader
 * (`csvLog.ts`) and the XES reader (`xesLog.ts`), so both report the same problems in the same
 * words.
 *
 * Constraint: the first {@link DETECTION_SAMPLE_ROWS} rows are held (as cells) until the timestamp
 * format is known; every later row goes straight to the builder. Messages name columns and
 * rows, never cell text (it may be patient data).
 */
import type { ReaderAccount } from '../../readerAccount/index.ts';
import {
  CaseReopenedError,
  createEventLogBuilder,
  EVENT_KIND,
  type EventLog,
  type EventLogBuilderOptions,
  LOG_PROBLEM_CODES,
  ProblemList,
} from './eventLog.ts';
import {
  createTimestampParser,
  createTimeZone,
  detectTimestampFormat,
  TIMESTAMP_FORMAT_NAMES,
  type TimestampDetection,
  type TimestampFormat,
} from './timestamps.ts';

/**
 * Which column holds what. At most one of: `timestamp`; `start` + `complete`; `timestamp` +
 * `lifecycle`. None of them: a log without times, read in row order (`EventLog.untimed`).
 */
export interface ColumnMapping {
  case: string;
  activity: string;
  /** the event's time; with `lifecycle`, the time of the start or complete event */
  timestamp?: string;
  /** start time of an activity instance (with `complete`: one row per instance) */
  start?: string;
  /** complete time of an activity instance */
  complete?: string;
  /** lifecycle transition per row: start / complete; empty = one instant event; other values are left out and counted */
  lifecycle?: string;
  /** who did it: a person or a role; with a role map, people are mapped to roles */
  resource?: string;
  /** the role (lane) directly, when the log has one */
  role?: string;
  /** the system the activity was done in */
  system?: string;
  /**
   * other columns (CSV) or attribute keys (XES: the event's own, else its trace's) kept as they are,
   * so cases can be filtered by them (a department, a payer); see `LogAttribute` in eventLog.ts
   */
  keep?: readonly string[];
}

/** Options of reading a log. */
export interface ReadLogOptions {
  mapping: ColumnMapping;
  /** overrides detection; `dmy`/`mdy` settle ambiguous slash dates */
  timestampFormat?: TimestampFormat;
  /** zone of times without one: "UTC" (default), "+02:00" or an IANA name */
  timeZone?: string;
  /** lifecycle values meaning start / complete (case-insensitive); default ["start"] / ["complete"] */
  lifecycleStart?: readonly string[];
  lifecycleComplete?: readonly string[];
  /** resource → role (lane); resources not in it keep their own name as the role */
  roleMap?: Readonly<Record<string, string>>;
}

/** What reading found out about the log's timestamps, for the report. */
export interface TimestampReport {
  format: TimestampFormat | undefined;
  formatName: string | undefined;
  /** true when the format was given rather than detected */
  overridden: boolean;
  detection: TimestampDetection;
  /** the zone naive times were read in */
  timeZone: string;
}

/** The result of reading a log. */
export interface ReadLogResult {
  log: EventLog;
  timestamps: TimestampReport;
  problems: ProblemList;
  /** data rows read */
  rows: number;
  /**
   * every column (CSV) or element and attribute key (XES) of the file: used, or said with what
   * leaving it out does to the figures (`csv-log` / `xes`)
   */
  account: ReaderAccount;
}

/**
 * The transitions of the XES standard lifecycle model (IEEE 1849-2016, lifecycle extension), named
 * when events are left out; any other value is counted as "other" (a cell is never quoted).
 */
export const XES_TRANSITIONS: ReadonlySet<string> = new Set([
  'schedule',
  'assign',
  'reassign',
  'start',
  'suspend',
  'resume',
  'complete',
  'autoskip',
  'manualskip',
  'withdraw',
  'ate_abort',
  'pi_abort',
  'unknown',
]);

/** Distinct activity names remembered from left-out events (to count those not on the map). */
const MAX_LEFT_OUT_ACTIVITIES = 10_000;

/** Rows held for timestamp detection before events flow. */
const DETECTION_SAMPLE_ROWS = 1000;

/** A mapped column that the file does not have. */
export class MissingLogColumnError extends Error {
  override name = 'MissingLogColumnError';
  constructor(
    readonly column: string,
    readonly role: string,
    readonly source: string,
  ) {
    super(
      `${source} has no column "${column}" (given as the ${role} column); check the column name and its spelling`,
    );
  }
}

/** A mapping that names an impossible combination of columns. */
export class BadMappingError extends Error {
  override name = 'BadMappingError';
}

/** Checks that a mapping names one way of giving times (see {@link ColumnMapping}). */
export function checkMapping(mapping: ColumnMapping): void {
  const twoTimes = mapping.start !== undefined || mapping.complete !== undefined;
  if (twoTimes && (mapping.start === undefined || mapping.complete === undefined)) {
    throw new BadMappingError('give both a start and a complete column, or one timestamp column');
  }
  if (twoTimes && (mapping.timestamp !== undefined || mapping.lifecycle !== undefined)) {
    throw new BadMappingError(
      'give either start and complete columns, or a timestamp column (with a lifecycle column), not both',
    );
  }
  if (!twoTimes && mapping.timestamp === undefined && mapping.lifecycle !== undefined) {
    throw new BadMappingError('give a timestamp column with the lifecycle column');
  }
}

/** True when the mapping names no time at all: the log is read in row order (`EventLog.untimed`). */
export function isUntimed(mapping: ColumnMapping): boolean {
  return mapping.timestamp === undefined && mapping.start === undefined && mapping.complete === undefined;
}

/** Every column a mapping names, with what it is for. */
export function mappedColumns(mapping: ColumnMapping): Array<[role: string, column: string]> {
  const roles: Array<[string, string | undefined]> = [
    ['case id', mapping.case],
    ['activity', mapping.activity],
    ['timestamp', mapping.timestamp],
    ['start', mapping.start],
    ['complete', mapping.complete],
    ['lifecycle', mapping.lifecycle],
    ['resource', mapping.resource],
    ['role', mapping.role],
    ['system', mapping.system],
    ...(mapping.keep ?? []).map((column): [string, string] => ['kept', column]),
  ];
  return roles.filter((r): r is [string, string] => r[1] !== undefined);
}

/** Cells of one row by mapped role; `undefined` for a column the row lacks. */
export interface MappedRow {
  row: number;
  caseId: string | undefined;
  activity: string | undefined;
  timestamp: string | undefined;
  start: string | undefined;
  complete: string | undefined;
  lifecycle: string | undefined;
  resource: string | undefined;
  role: string | undefined;
  system: string | undefined;
  /** the cells of `mapping.keep`, in its order (absent when it keeps none) */
  extra?: ReadonlyArray<string | undefined>;
}

/** Turns mapped rows into a log: see the file header. */
interface RowSink {
  add(row: MappedRow): void;
  /** {@link RowSink.add} without an object per row (the CSV reader's path), cells in `MappedRow` order */
  addCells(
    row: number,
    caseId: string | undefined,
    activity: string | undefined,
    timestamp: string | undefined,
    start: string | undefined,
    complete: string | undefined,
    lifecycle: string | undefined,
    resource: string | undefined,
    role: string | undefined,
    system: string | undefined,
    extra?: ReadonlyArray<string | undefined>,
  ): void;
  /** the log read; each reader adds its own account */
  finish(): Omit<ReadLogResult, 'account'>;
}

/**
 * Creates the shared row → event stage. With `build.streamCases`, the sink throws
 * `CaseReopenedError` from `add` when the log turns out not to be grouped by case (eventLog.ts);
 * the reader then starts again without it.
 */
export function createRowSink(options: ReadLogOptions, build: EventLogBuilderOptions = {}): RowSink {
  checkMapping(options.mapping);
  const { mapping } = options;
  const problems = new ProblemList();
  const keep = mapping.keep ?? [];
  const builder = createEventLogBuilder(keep.length > 0 ? { ...build, attributes: keep } : build);
  const zoneName = options.timeZone ?? 'UTC';
  const zone = createTimeZone(zoneName);
  const startValues = new Set((options.lifecycleStart ?? ['start']).map((v) => v.trim().toLowerCase()));
  const completeValues = new Set(
    (options.lifecycleComplete ?? ['complete']).map((v) => v.trim().toLowerCase()),
  );
  const twoTimes = mapping.start !== undefined;
  const untimed = isUntimed(mapping);
  /** events left out per lifecycle transition, and the activities seen in them */
  const leftOut = new Map<string, number>();
  const leftOutActivities = new Set<string>();
  let held: MappedRow[] | undefined = [];
  let parse: ((cell: string) => number | undefined) | undefined;
  let report: TimestampReport | undefined;
  let rows = 0;

  const decide = () => {
    const cells: string[] = [];
    for (const r of held ?? []) {
      for (const cell of twoTimes ? [r.start, r.complete] : [r.timestamp]) if (cell) cells.push(cell);
    }
    const detection = detectTimestampFormat(cells);
    const format = options.timestampFormat ?? detection.format;
    report = {
      format,
      formatName: format ? TIMESTAMP_FORMAT_NAMES[format] : undefined,
      overridden: options.timestampFormat !== undefined,
      detection,
      timeZone: zoneName,
    };
    if (format) parse = createTimestampParser(format, zone);
    else if (detection.ambiguous) {
      problems.add(
        LOG_PROBLEM_CODES.ambiguousDates,
        'error',
        'the dates could be day/month or month/day (no day above 12 in the first rows); say which with the timestamp format "dmy" or "mdy"',
      );
    } else if (detection.sampled > 0) {
      problems.add(
        LOG_PROBLEM_CODES.unknownTimestampFormat,
        'error',
        `the timestamps of the first rows do not share one known format (${Object.values(TIMESTAMP_FORMAT_NAMES).join('; ')}); give the format explicitly or fix the column`,
      );
    }
  };

  const missing = (
    code: (typeof LOG_PROBLEM_CODES)['missingCase' | 'missingActivity'],
    column: string,
    row: number,
  ) =>
    problems.add(
      code,
      'error',
      `the ${code === LOG_PROBLEM_CODES.missingCase ? 'case id' : 'activity'} (column "${column}") is empty; every event needs one`,
      row,
    );
  const badTime = (column: string, row: number) =>
    problems.add(
      LOG_PROBLEM_CODES.badTimestamp,
      'error',
      `a time in column "${column}" is empty or not a date in the log's format (${report?.formatName ?? 'unknown'}); fix the cell or give the format explicitly`,
      row,
    );

  const emit: RowSink['addCells'] = (
    row,
    caseCell,
    activityCell,
    timestamp,
    startCell,
    completeCell,
    lifecycle,
    resourceCell,
    roleCell,
    systemCell,
    extraCells,
  ) => {
    if (!parse && !untimed) return; // the format is unknown: reported once in decide()
    // case ids are text as written: "NA" and "0012" stay themselves; only surrounding spaces go
    const caseId = caseCell?.trim();
    const activity = activityCell?.trim();
    if (!caseId) {
      missing(LOG_PROBLEM_CODES.missingCase, mapping.case, row);
      return;
    }
    if (!activity) {
      missing(LOG_PROBLEM_CODES.missingActivity, mapping.activity, row);
      return;
    }
    const resource = resourceCell?.trim() || undefined;
    const role = roleCell?.trim() || (resource ? (options.roleMap?.[resource] ?? resource) : undefined);
    const system = systemCell?.trim() || undefined;
    const extra = extraCells?.map((cell) => cell?.trim() || undefined);
    if (untimed) {
      // no times: the row number keeps each case's activities in the order of its rows
      builder.addEvent(
        row,
        caseId,
        activity,
        EVENT_KIND.instance,
        row,
        undefined,
        undefined,
        resource,
        role,
        system,
        extra,
      );
      return;
    }
    if (!parse) return;
    if (twoTimes) {
      const start = startCell ? parse(startCell) : undefined;
      const complete = completeCell ? parse(completeCell) : undefined;
      if (start === undefined || complete === undefined) {
        badTime(start === undefined ? (mapping.start as string) : (mapping.complete as string), row);
        return;
      }
      builder.addEvent(
        row,
        caseId,
        activity,
        EVENT_KIND.instance,
        start,
        complete,
        true,
        resource,
        role,
        system,
        extra,
      );
      return;
    }
    if (timestamp === undefined || timestamp.trim() === '') {
      // a time is never filled in: an event without one cannot be placed among its case's events
      // without guessing, so it is left out and counted (decision record 0018)
      problems.add(
        LOG_PROBLEM_CODES.missingTimestamp,
        'warning',
        `an event has no time (column "${mapping.timestamp}" is empty or absent); it is left out of the log, since where it happened in its case cannot be known`,
        row,
      );
      return;
    }
    const time = parse(timestamp);
    if (time === undefined) {
      badTime(mapping.timestamp as string, row);
      return;
    }
    let kind: (typeof EVENT_KIND)[keyof typeof EVENT_KIND] = EVENT_KIND.instance;
    if (mapping.lifecycle !== undefined) {
      const cell = lifecycle ?? '';
      // the values as configured (lower case, trimmed) need no new string per row
      const value = startValues.has(cell) || completeValues.has(cell) ? cell : cell.trim().toLowerCase();
      // no lifecycle at all (an XES event without one, an empty cell): one instant event
      if (value === '') kind = EVENT_KIND.instance;
      else if (startValues.has(value)) kind = EVENT_KIND.start;
      else if (completeValues.has(value)) kind = EVENT_KIND.complete;
      else {
        problems.add(
          LOG_PROBLEM_CODES.ignoredLifecycle,
          'warning',
          `a lifecycle value (column "${mapping.lifecycle}") is neither a start nor a complete; the event is left out, as PM4Py and Disco time an activity by its start and complete only (a suspension stays inside its activity's time)`,
          row,
        );
        const transition = XES_TRANSITIONS.has(value) ? value : 'other';
        leftOut.set(transition, (leftOut.get(transition) ?? 0) + 1);
        if (leftOutActivities.size < MAX_LEFT_OUT_ACTIVITIES) leftOutActivities.add(activity);
        return;
      }
    }
    builder.addEvent(row, caseId, activity, kind, time, undefined, undefined, resource, role, system, extra);
  };
  /** `cells` given a mapped row's cells, in `MappedRow` order */
  const fromRow =
    (cells: RowSink['addCells']) =>
    (r: MappedRow): void =>
      cells(
        r.row,
        r.caseId,
        r.activity,
        r.timestamp,
        r.start,
        r.complete,
        r.lifecycle,
        r.resource,
        r.role,
        r.system,
        r.extra,
      );
  const emitRow = fromRow(emit);

  const addCells: RowSink['addCells'] = (
    row,
    caseId,
    activity,
    timestamp,
    start,
    complete,
    lifecycle,
    resource,
    role,
    system,
    extra,
  ) => {
    rows++;
    if (held) {
      held.push({
        row,
        caseId,
        activity,
        timestamp,
        start,
        complete,
        lifecycle,
        resource,
        role,
        system,
        ...(extra ? { extra } : {}),
      });
      if (held.length < DETECTION_SAMPLE_ROWS) return;
      decide();
      const sample = held;
      held = undefined;
      for (const h of sample) emitRow(h);
      return;
    }
    emit(row, caseId, activity, timestamp, start, complete, lifecycle, resource, role, system, extra);
  };

  return {
    addCells,
    add: fromRow(addCells),
    finish() {
      if (held) {
        decide();
        const sample = held;
        held = undefined;
        for (const h of sample) emitRow(h);
      }
      const log = builder.finish(problems);
      if (untimed) log.untimed = true;
      if (leftOut.size > 0) {
        const onMap = new Set(log.activities);
        problems.setDetail(LOG_PROBLEM_CODES.ignoredLifecycle, {
          byTransition: Object.fromEntries(leftOut),
          activitiesOnlyLeftOut: [...leftOutActivities].filter((a) => !onMap.has(a)).length,
        });
      }
      return { log, timestamps: report as TimestampReport, problems, rows };
    },
  };
}

/**
 * Reads a log grouped by case first (`streamCases`: only the case in progress is held as events,
 * so reading needs memory for the cases in progress, not for every event), and again with every
 * event kept when a case comes back after another began (a log sorted by time or by activity).
 * Such a log shows it within its first rows (the second case's first event is followed by more
 * of the first), so the read that is given up is short; a log grouped by case but for a late
 * row is read twice — rare, and still correct.
 */
export function withCaseStreaming<T>(read: (build: EventLogBuilderOptions) => T): T {
  try {
    return read({ streamCases: true });
  } catch (error) {
    if (error instanceof CaseReopenedError) return read({});
    throw error;
  }
}

/** {@link withCaseStreaming} for a read that streams a file. */
export async function withCaseStreamingAsync<T>(
  read: (build: EventLogBuilderOptions) => Promise<T>,
): Promise<T> {
  try {
    return await read({ streamCases: true });
  } catch (error) {
    if (error instanceof CaseReopenedError) return read({});
    throw error;
  }
}
