/**
 * An event log held as activity instances grouped by case, in typed arrays: what discovery and
 * conformance read, whatever the source (CSV or XES).
 *
 * Constraints:
 * - No object per event: case ids, activities, resources, roles, systems and the values of kept
 *   columns are interned once (a string table each); a held event costs 21 bytes of typed arrays
 *   (+4 each for a resource, a role, a system, a kept column; +9 for a second time), optional columns staying unallocated until a value
 *   appears; the finished log costs 33 bytes per activity instance (a start and a complete event
 *   make one).
 * - Which events are held: a log grouped by case (most exports, every XES file) is read with
 *   `streamCases` — only the case in progress is held as events; when the next case begins, the
 *   finished case is paired into instances at once. So reading needs memory for the cases in
 *   progress and the distinct names, plus the compact instances the result is made of, never a
 *   second copy of every event. A log in any other order (sorted by time, or like the eventdataR
 *   fixture by activity) cannot close a case before the end of the file, since a later row may
 *   still belong to it: then every event is held in the typed arrays above until `finish()`
 *   (the reader notices and reads again that way: `withCaseStreaming` in readEvents.ts).
 * - Canonical order: cases, activities, resources, roles and systems are numbered in sorted
 *   (code-unit) order at `finish()`, and instances within a case are ordered by start time —
 *   so permuting a log's rows changes nothing in the result. Only events of one case with EQUAL
 *   times keep their file order (a zero-minute step logged in the same second as the next one:
 *   the row order is the only evidence of which came first).
 * - Lifecycle pairing: a `start` and a `complete` of the same activity in the same case are
 *   matched first-in-first-out in time order; at equal times a start comes before a complete.
 * - A log with no `start` event at all (every event a `complete`, the usual form of public XES
 *   logs) is a log of atomic events, as process-mining tools (PM4Py, Disco) read it: each complete
 *   is one activity instance at its time, with no measured touch time, and waits are the gaps
 *   between consecutive events. A log that has starts pairs them; there a complete with no
 *   start of its activity before it (and none after it in its case) is an atomic event too, as
 *   PM4Py and Disco read a log whose activities mix the two forms — counted in
 *   `unmatchedCompletes` so the reading says so. Streaming decides per case with the starts seen
 *   so far; a start after a case was read as atomic events stops it with {@link LateStartError},
 *   and the readers read the log again holding every event, so both ways give the same log.
 * - Problems name rows, columns and codes, never cell text (it may be patient data).
 */

/** How one read event relates to an activity instance. */
export const EVENT_KIND = {
  /** a whole instance: a single timestamp (start = complete) or start and complete columns */
  instance: 0,
  /** the start of an instance (lifecycle `start`) */
  start: 1,
  /** the end of an instance (lifecycle `complete`) */
  complete: 2,
} as const;

/** One of {@link EVENT_KIND}. */
export type EventKind = (typeof EVENT_KIND)[keyof typeof EVENT_KIND];

/** Problem codes of reading a log: a public contract (CLI output); add, never rename. */
export const LOG_PROBLEM_CODES = {
  missingCase: 'missing-case-id',
  missingActivity: 'missing-activity',
  badTimestamp: 'unparseable-timestamp',
  outOfOrder: 'out-of-order',
  completeWithoutStart: 'complete-without-start',
  startWithoutComplete: 'start-without-complete',
  ignoredLifecycle: 'ignored-lifecycle',
  tooFewEvents: 'too-few-events',
  missingColumn: 'missing-column',
  ambiguousDates: 'ambiguous-dates',
  unknownTimestampFormat: 'unknown-timestamp-format',
  malformedCsv: 'malformed-csv',
  malformedXes: 'malformed-xes',
  missingTimestamp: 'missing-timestamp',
  tooManyValues: 'too-many-values',
} as const;

/** One of {@link LOG_PROBLEM_CODES}. */
export type LogProblemCode = (typeof LOG_PROBLEM_CODES)[keyof typeof LOG_PROBLEM_CODES];

/**
 * One kind of problem, with the first rows it occurred in. `error`s make the log unusable as read
 * (the CLI stops unless told to skip bad rows); `warning`s are reported and the rows used.
 */
export interface LogProblem {
  code: LogProblemCode;
  severity: 'error' | 'warning';
  /** what is wrong and what to do, naming columns, never values */
  message: string;
  /** how many rows (or events) have it */
  count: number;
  /** the {@link MAX_PROBLEM_ROWS} smallest data rows, ascending (1-based, header not counted; XES: event number) */
  rows: number[];
  /**
   * what the count is made of, when the log tells it without quoting a cell: for
   * `ignored-lifecycle`, the events left out per standard XES lifecycle transition ("other" for
   * any other word), and the activities seen only in them (so not on the map)
   */
  detail?: { byTransition: Record<string, number>; activitiesOnlyLeftOut: number };
}

/** Rows listed per problem; the count says how many more. */
export const MAX_PROBLEM_ROWS = 10;

/**
 * Keeps the {@link MAX_PROBLEM_ROWS} smallest row numbers, ascending: the rows listed never depend
 * on the order in which cases were paired (grouped or not, any row order).
 */
function keepRow(rows: number[], row: number): void {
  if (rows.length === MAX_PROBLEM_ROWS && row >= (rows[rows.length - 1] as number)) return;
  let at = rows.length;
  while (at > 0 && (rows[at - 1] as number) > row) at--;
  if (rows[at - 1] === row) return;
  rows.splice(at, 0, row);
  if (rows.length > MAX_PROBLEM_ROWS) rows.pop();
}

/** Collects problems by code (see {@link LogProblem}). */
export class ProblemList {
  private readonly byCode = new Map<LogProblemCode, LogProblem>();

  /** Records one occurrence of `code` at `row` (0 or undefined: no row). */
  add(code: LogProblemCode, severity: LogProblem['severity'], message: string, row?: number): void {
    let entry = this.byCode.get(code);
    if (!entry) {
      entry = { code, severity, message, count: 0, rows: [] };
      this.byCode.set(code, entry);
    }
    entry.count++;
    if (row !== undefined && row > 0) keepRow(entry.rows, row);
  }

  /** Adds every problem of `other` (counts summed, the smallest rows kept). */
  merge(other: ProblemList): void {
    for (const p of other.byCode.values()) {
      let entry = this.byCode.get(p.code);
      if (!entry) {
        entry = { code: p.code, severity: p.severity, message: p.message, count: 0, rows: [] };
        this.byCode.set(p.code, entry);
      }
      entry.count += p.count;
      for (const row of p.rows) keepRow(entry.rows, row);
    }
  }

  /** Sets what `code`'s count is made of (see {@link LogProblem.detail}); nothing when `code` was not recorded. */
  setDetail(code: LogProblemCode, detail: NonNullable<LogProblem['detail']>): void {
    const entry = this.byCode.get(code);
    if (entry) entry.detail = detail;
  }

  /** Every problem, errors first, then by code. */
  list(): LogProblem[] {
    return [...this.byCode.values()].sort((a, b) =>
      a.severity === b.severity ? a.code.localeCompare(b.code) : a.severity === 'error' ? -1 : 1,
    );
  }

  /** True when an error was recorded. */
  hasErrors(): boolean {
    return [...this.byCode.values()].some((p) => p.severity === 'error');
  }
}

/** One line per problem: `error out-of-order (3 rows: 4, 9, 12): …`. */
export function describeProblem(problem: LogProblem, rowWord = 'row'): string {
  const more = problem.count > problem.rows.length ? ', …' : '';
  const where =
    problem.rows.length > 0
      ? ` (${problem.count} ${rowWord}${problem.count === 1 ? '' : 's'}: ${problem.rows.join(', ')}${more})`
      : problem.count > 1
        ? ` (${problem.count} times)`
        : '';
  return `${problem.severity} ${problem.code}${where}: ${problem.message}${problem.detail ? `. ${describeLeftOut(problem.detail)}` : ''}`;
}

/**
 * "Left out: 40 schedule, 40 assign; 1 activity appears only in these events, so it is not on the
 * map." — what an `ignored-lifecycle` count is made of, in words.
 */
export function describeLeftOut(detail: NonNullable<LogProblem['detail']>): string {
  const parts = Object.entries(detail.byTransition)
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
    .map(([transition, n]) => `${n.toLocaleString('en-US')} ${transition}`);
  const only = detail.activitiesOnlyLeftOut;
  return (
    `Left out: ${parts.join(', ')}.` +
    (only > 0
      ? ` ${only.toLocaleString('en-US')} ${only === 1 ? 'activity appears' : 'activities appear'} only in these events, so ${only === 1 ? 'it is' : 'they are'} not on the map.`
      : '')
  );
}

/** Activity instances grouped by case, in canonical order (see the file header). */
export interface EventLog {
  /** case ids, sorted; case `c`'s instances are `caseOffsets[c] … caseOffsets[c+1]−1` */
  cases: string[];
  /** activity names, sorted */
  activities: string[];
  /** resource names, sorted (empty when the log has none) */
  resources: string[];
  /** role names (lanes), sorted (empty when the log has no resource or role) */
  roles: string[];
  /** system names, sorted */
  systems: string[];
  /** length cases + 1 */
  caseOffsets: Int32Array;
  /** per instance: index into `activities` */
  activity: Int32Array;
  /** per instance: index into `resources`, −1 when none */
  resource: Int32Array;
  /** per instance: index into `roles`, −1 when none */
  role: Int32Array;
  /** per instance: index into `systems`, −1 when none */
  system: Int32Array;
  /** per instance: start, epoch ms */
  start: Float64Array;
  /** per instance: complete, epoch ms (= start when only one time is known) */
  complete: Float64Array;
  /** per instance: 1 when start and complete were both recorded (a touch time is measured) */
  timed: Uint8Array;
  /** events read into this log (a start and its complete are two) */
  events: number;
  /**
   * true when the log has lifecycle events but no start at all, so each complete was read as one
   * atomic activity instance (no touch time measured); see the file header
   */
  atomicCompletes?: boolean;
  /**
   * completes read as atomic activity instances in a log that has starts too (no start of their
   * activity before them in their case); absent when there are none or when `atomicCompletes`
   */
  unmatchedCompletes?: number;
  /** the other columns (CSV) or attribute keys (XES) the reader was told to keep, in that order */
  attributes?: LogAttribute[];
  /**
   * the log has no times (no time column was given or found): each case's activities are in the
   * order of its rows, and `start`/`complete` hold row numbers, not times. Frequencies and
   * variants are real; no duration, wait or arrival rate can be measured ({@link UNTIMED_WORDS}).
   */
  untimed?: boolean;
}

/**
 * What a log without times gives and what it cannot, in words for clinic staff: the one sentence
 * the CLI, the browser's map and the reading report say.
 */
export const UNTIMED_WORDS =
  'The log has no times: the map shows how often each activity and path occurs, and the variants, with each case’s activities in the order of its rows. No durations, no waits and no performance view can be shown, and no workflow with measured times can be discovered; give a time column to get them.';

/**
 * An extra column kept for filtering (a department, a payer…): its values interned like the
 * resources. At most {@link MAX_ATTRIBUTE_VALUES} distinct values are held; a column with more
 * (an id, free text) is not kept — `tooMany`, no values, every code −1 — and reported.
 */
export interface LogAttribute {
  /** the column's name (CSV header) or the attribute key (XES) */
  name: string;
  /** its values, sorted (empty when `tooMany`) */
  values: string[];
  /** per instance: index into `values`, −1 when none */
  codes: Int32Array;
  /** the column had more than {@link MAX_ATTRIBUTE_VALUES} distinct values, so none were kept */
  tooMany?: boolean;
}

/** Distinct values kept per extra column: a filter lists them, so more than this is not a category. */
export const MAX_ATTRIBUTE_VALUES = 1000;

/** A growable typed array. */
class Column<T extends Int32Array | Float64Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  /** Drops the values and the memory they took. */
  release(): void {
    this.data = this.make(0);
    this.length = 0;
  }
}

/**
 * A column that stays unallocated while every value is its default (a log without resources,
 * roles or systems, or with one time per event, pays nothing for those columns).
 */
class SparseColumn<T extends Int32Array | Float64Array | Uint8Array> {
  private data: T | undefined;
  length = 0;
  constructor(
    private readonly make: (n: number) => T,
    private readonly fallback: number,
  ) {}
  push(value: number): void {
    if (this.data === undefined) {
      if (Object.is(value, this.fallback)) {
        this.length++;
        return;
      }
      this.data = this.make(Math.max(1024, this.length * 2));
      this.data.fill(this.fallback, 0, this.length);
    } else if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  get(index: number): number {
    return this.data === undefined ? this.fallback : (this.data[index] as number);
  }
  /** Drops the values and the memory they took. */
  release(): void {
    this.data = undefined;
    this.length = 0;
  }
}

const int32 = (n: number) => new Int32Array(n);
const float64 = (n: number) => new Float64Array(n);

/** Interns strings to dense codes in arrival order. */
class Interner {
  readonly codes = new Map<string, number>();
  readonly names: string[] = [];
  private lastName: string | undefined;
  private lastCode = -1;
  code(name: string): number {
    // logs are usually grouped by case or written by one resource in runs: skip the map for a repeat
    if (name === this.lastName) return this.lastCode;
    let code = this.codes.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.codes.set(name, code);
      this.names.push(name);
    }
    this.lastName = name;
    this.lastCode = code;
    return code;
  }
  /** sorted names and old code → new code */
  sorted(): { names: string[]; remap: Int32Array } {
    const order = this.names.map((_, i) => i).sort((a, b) => compareText(this.names[a], this.names[b]));
    const remap = new Int32Array(this.names.length);
    order.forEach((old, index) => {
      remap[old] = index;
    });
    return { names: order.map((i) => this.names[i] as string), remap };
  }
}

/** Code-unit order: the same everywhere (no locale). */
export function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One event as the readers hand it over. */
export interface LogEventInput {
  /** data row (CSV) or event number (XES), 1-based, for messages */
  row: number;
  caseId: string;
  activity: string;
  kind: EventKind;
  /** epoch ms: the time (start for `instance` events with two times) */
  time: number;
  /** `instance` events only: complete time when two were given (else = time) */
  complete?: number;
  /** whether an `instance` event had both a start and a complete */
  timed?: boolean;
  resource?: string;
  role?: string;
  system?: string;
  /** the values of the kept extra columns, in {@link EventLogBuilderOptions.attributes} order */
  extra?: ReadonlyArray<string | undefined>;
}

/** Builds an {@link EventLog} from events in any order. */
interface EventLogBuilder {
  add(event: LogEventInput): void;
  /**
   * {@link EventLogBuilder.add} without an object per event (the readers' path: a million
   * short-lived objects are a third of the reading time in garbage collection).
   */
  addEvent(
    row: number,
    caseId: string,
    activity: string,
    kind: EventKind,
    time: number,
    complete: number | undefined,
    timed: boolean | undefined,
    resource: string | undefined,
    role: string | undefined,
    system: string | undefined,
    extra?: ReadonlyArray<string | undefined>,
  ): void;
  /** Events added so far. */
  readonly events: number;
  /** Pairs, sorts and freezes the log; problems found go to `problems`. */
  finish(problems: ProblemList): EventLog;
}

const NONE = -1;

/** Options of {@link createEventLogBuilder}. */
export interface EventLogBuilderOptions {
  /**
   * Close each case when the next case's first event arrives (a log grouped by case): its events
   * are paired into instances there and then, and only the case in progress is held as events.
   * A case that comes back after another one started throws {@link CaseReopenedError}; the reader
   * then reads the file again without this option (readEvents.ts, csvLog.ts, xesLog.ts).
   */
  streamCases?: boolean;
  /** names of the extra columns kept (see {@link LogAttribute}); events give their values in this order */
  attributes?: readonly string[];
}

/**
 * Thrown by a builder with `streamCases` when a case's events do not all come together: the log
 * is not grouped by case, so it must be read with every event kept until the end.
 */
export class CaseReopenedError extends Error {
  override name = 'CaseReopenedError';
  constructor(
    readonly row: number,
    message = `the log is not grouped by case (row ${row} continues an earlier case)`,
  ) {
    super(message);
  }
}

/**
 * Thrown by a builder with `streamCases` when a `start` arrives after earlier cases were read as
 * atomic complete events (the log mixes the two forms): like {@link CaseReopenedError}, the reader
 * then reads the file again holding every event, so the whole log is paired one way.
 */
export class LateStartError extends CaseReopenedError {
  override name = 'LateStartError';
  constructor(row: number) {
    super(row, `the log has start events from row ${row} on, after cases with completes only`);
  }
}

/**
 * Creates a builder (see the file header for order and pairing, and {@link EventLogBuilderOptions}
 * for the two ways it keeps events). Both ways give the same log: a case's instances are made by
 * the same pairing code from the same events; only when they are made differs.
 */
export function createEventLogBuilder(options: EventLogBuilderOptions = {}): EventLogBuilder {
  const stream = options.streamCases === true;
  const cases = new Interner();
  const activities = new Interner();
  const resources = new Interner();
  const roles = new Interner();
  const systems = new Interner();
  // the events held: all of them, or (streaming) those of the case in progress
  const caseCol = new Column(int32);
  const activityCol = new Column(int32);
  const resourceCol = new SparseColumn(int32, NONE);
  const roleCol = new SparseColumn(int32, NONE);
  const systemCol = new SparseColumn(int32, NONE);
  // the kept extra columns: one interner and one held column each, like the system
  const extras = (options.attributes ?? []).map((name) => ({
    name,
    values: new Interner(),
    held: new SparseColumn(int32, NONE),
    out: new Column(int32),
    tooMany: false,
  }));
  const kindCol = new Column((n) => new Uint8Array(n));
  const timedCol = new SparseColumn((n) => new Uint8Array(n), 1);
  const timeCol = new Column(float64);
  /** NaN: the same as the time (only instance events with two times store one) */
  const completeCol = new SparseColumn(float64, Number.NaN);
  const rowCol = new Column(int32);
  const held = [
    caseCol,
    activityCol,
    resourceCol,
    roleCol,
    systemCol,
    kindCol,
    timedCol,
    timeCol,
    completeCol,
    rowCol,
    ...extras.map((x) => x.held),
  ];
  let added = 0;
  /** start events added so far: while there are none, completes are atomic instances */
  let startsAdded = 0;
  /** complete events added: whether the log has lifecycle completes at all */
  let completesAdded = 0;
  /** streaming: a closed case read its completes as atomic instances */
  let atomicPaired = false;
  /** completes read as atomic instances (no start before them in their case) */
  let atomicCount = 0;

  // the instances made so far, with codes in arrival order (renumbered in `finish`)
  const out = {
    activity: new Column(int32),
    resource: new Column(int32),
    role: new Column(int32),
    system: new Column(int32),
    start: new Column(float64),
    complete: new Column(float64),
    timed: new Column((k) => new Uint8Array(k)),
  };
  /** streaming: per closed case (arrival code), where its instances begin in `out` */
  const caseStart = new Column(int32);
  let current = NONE;

  const time = () => timeCol.data;
  const pick = (col: SparseColumn<Int32Array>, from: number, to: number) => {
    const v = col.get(from);
    return v === NONE ? col.get(to) : v;
  };
  type Instance = { start: number; complete: number; a: number; from: number; to: number; timed: number };
  const instanceBuffer: Instance[] = [];
  // instance records are reused from case to case: a new object per instance and an array per
  // case would be garbage in proportion to the events, collected in bursts that set the peak
  const pool: Instance[] = [];
  let pooled = 0;
  const keep = (start: number, complete: number, a: number, from: number, to: number, timed: number) => {
    let inst = pool[pooled];
    if (inst === undefined) {
      inst = { start, complete, a, from, to, timed };
      pool.push(inst);
    } else {
      inst.start = start;
      inst.complete = complete;
      inst.a = a;
      inst.from = from;
      inst.to = to;
      inst.timed = timed;
    }
    pooled++;
    instanceBuffer.push(inst);
  };
  /** streaming: the indices 0 … n−1 of the held events, reused */
  let indices = new Int32Array(64);
  /** open starts per activity in this case, FIFO */
  const open: number[][] = [];
  /** per activity: the first start in `open` not yet paired */
  const openHead: number[] = [];
  /** completes with no start before them, per activity in this case */
  const orphans: number[][] = [];
  /** the activities this case touched, and the case (serial) each was last reset for */
  const touched: number[] = [];
  const touchedIn: number[] = [];
  let serial = 0;
  // the queues are reused from case to case, reset on first use in a case
  const touch = (a: number) => {
    if (touchedIn[a] === serial) return;
    touchedIn[a] = serial;
    touched.push(a);
    const starts = open[a];
    if (starts === undefined) open[a] = [];
    else starts.length = 0;
    openHead[a] = 0;
    const completes = orphans[a];
    if (completes === undefined) orphans[a] = [];
    else completes.length = 0;
  };

  /**
   * Pairs one case's held events (indices into the held columns) into instances appended to
   * `out`, in start order; problems go to `problems`.
   */
  const pairCase = (events: Int32Array, problems: ProblemList) => {
    const t = time();
    const kind = kindCol.data;
    const row = rowCol.data;
    const act = activityCol.data;
    // within a case: by time, then (at equal times) a start before a complete, then file order —
    // equal times carry no order of their own, so the row order is the only evidence (as in
    // PM4Py and Disco, whose sorts are stable)
    events.sort(
      (a, b) =>
        (t[a] as number) - (t[b] as number) ||
        (kind[a] === EVENT_KIND.complete ? 1 : 0) - (kind[b] === EVENT_KIND.complete ? 1 : 0) ||
        (row[a] as number) - (row[b] as number),
    );
    instanceBuffer.length = 0;
    pooled = 0;
    serial++;
    touched.length = 0;
    const atomic = startsAdded === 0;
    for (const i of events) {
      const a = act[i] as number;
      const k = kind[i] as number;
      if (k === EVENT_KIND.instance) {
        const stored = completeCol.get(i);
        const complete = Number.isNaN(stored) ? (t[i] as number) : stored;
        if (complete < (t[i] as number)) {
          problems.add(
            LOG_PROBLEM_CODES.outOfOrder,
            'error',
            'the complete time is before the start time; check the two timestamp columns or their format',
            row[i],
          );
          continue;
        }
        keep(t[i] as number, complete, a, i, i, timedCol.get(i));
      } else if (k === EVENT_KIND.start) {
        touch(a);
        (open[a] as number[]).push(i);
      } else if (atomic) {
        // no start anywhere in the log: a complete is the whole (instant) activity instance
        atomicPaired = true;
        atomicCount++;
        keep(t[i] as number, t[i] as number, a, i, i, 0);
      } else {
        touch(a);
        const queue = open[a] as number[];
        const head = openHead[a] as number;
        if (head === queue.length) {
          (orphans[a] as number[]).push(i);
          continue;
        }
        openHead[a] = head + 1;
        keep(t[queue[head] as number] as number, t[i] as number, a, queue[head] as number, i, 1);
      }
    }
    for (const a of touched) {
      const completes = orphans[a] as number[];
      const laterStarts = (open[a] as number[]).length - (openHead[a] as number);
      for (const i of completes) {
        if (laterStarts > 0) {
          problems.add(
            LOG_PROBLEM_CODES.outOfOrder,
            'error',
            'a complete comes before the start of the same activity in its case; check the timestamps and the lifecycle column',
            row[i],
          );
        } else {
          // a mixed log: this activity was logged by its completion only (an atomic event)
          atomicCount++;
          keep(t[i] as number, t[i] as number, a, i, i, 0);
        }
      }
    }
    for (const a of touched) {
      const queue = open[a] as number[];
      // starts left open beside a complete without a start: reported as out of order
      if ((orphans[a] as number[]).length > 0) continue;
      for (let q = openHead[a] as number; q < queue.length; q++) {
        const s = queue[q] as number;
        problems.add(
          LOG_PROBLEM_CODES.startWithoutComplete,
          'warning',
          'a start has no complete of the same activity later in its case; it is kept as an instance without a measured touch time',
          row[s],
        );
        keep(t[s] as number, t[s] as number, act[s] as number, s, s, 0);
      }
    }
    instanceBuffer.sort((x, y) => x.start - y.start || (row[x.from] as number) - (row[y.from] as number));
    for (const inst of instanceBuffer) {
      out.activity.push(inst.a);
      out.resource.push(pick(resourceCol, inst.from, inst.to));
      out.role.push(pick(roleCol, inst.from, inst.to));
      out.system.push(pick(systemCol, inst.from, inst.to));
      for (const x of extras) x.out.push(pick(x.held, inst.from, inst.to));
      out.start.push(inst.start);
      out.complete.push(inst.complete);
      out.timed.push(inst.timed);
    }
  };

  /** streaming: problems found while closing cases, merged into the caller's list at `finish` */
  const streamProblems = new ProblemList();
  const closeCurrent = () => {
    if (current === NONE) return;
    caseStart.push(out.activity.length);
    const n = caseCol.length;
    if (indices.length < n) indices = new Int32Array(Math.max(n, indices.length * 2));
    for (let i = 0; i < n; i++) indices[i] = i;
    pairCase(indices.subarray(0, n), streamProblems);
    for (const col of held) col.length = 0;
  };

  const addEvent: EventLogBuilder['addEvent'] = (
    row,
    caseId,
    activity,
    kind,
    time,
    complete,
    timed,
    resource,
    role,
    system,
    extra,
  ) => {
    const c = cases.code(caseId);
    if (stream && c !== current) {
      // codes are given in arrival order: the closed cases are exactly the codes below their count
      if (c < caseStart.length) throw new CaseReopenedError(row);
      closeCurrent();
      current = c;
    }
    if (kind === EVENT_KIND.start) {
      if (stream && atomicPaired) throw new LateStartError(row);
      startsAdded++;
    } else if (kind === EVENT_KIND.complete) completesAdded++;
    added++;
    caseCol.push(c);
    activityCol.push(activities.code(activity));
    resourceCol.push(resource ? resources.code(resource) : NONE);
    roleCol.push(role ? roles.code(role) : NONE);
    systemCol.push(system ? systems.code(system) : NONE);
    for (let x = 0; x < extras.length; x++) {
      const attribute = extras[x] as (typeof extras)[number];
      const value = extra?.[x];
      if (!value || attribute.tooMany) {
        attribute.held.push(NONE);
        continue;
      }
      const code = attribute.values.code(value);
      // a column with this many values is an id or free text, not a category: stop holding it
      if (code >= MAX_ATTRIBUTE_VALUES) attribute.tooMany = true;
      attribute.held.push(attribute.tooMany ? NONE : code);
    }
    kindCol.push(kind);
    timedCol.push(kind === EVENT_KIND.instance ? (timed ? 1 : 0) : 1);
    timeCol.push(time);
    completeCol.push(complete ?? Number.NaN);
    rowCol.push(row);
  };

  return {
    addEvent,
    add(e) {
      addEvent(
        e.row,
        e.caseId,
        e.activity,
        e.kind,
        e.time,
        e.complete,
        e.timed,
        e.resource,
        e.role,
        e.system,
        e.extra,
      );
    },
    get events() {
      return added;
    },
    finish(problems) {
      const caseSort = cases.sorted();
      const caseCount = caseSort.names.length;
      const caseOffsets = new Int32Array(caseCount + 1);
      /** instance order of the finished log: by sorted case (null: `out` is in that order already) */
      let order: Int32Array | null = null;
      if (stream) {
        closeCurrent();
        problems.merge(streamProblems);
        // cases were closed in arrival order: lay their instances out in sorted case order
        caseStart.push(out.activity.length);
        const starts = caseStart.data;
        order = new Int32Array(out.activity.length);
        let at = 0;
        const arrivalOf = new Int32Array(caseCount);
        for (let old = 0; old < caseCount; old++) arrivalOf[caseSort.remap[old] as number] = old;
        for (let c = 0; c < caseCount; c++) {
          caseOffsets[c] = at;
          const old = arrivalOf[c] as number;
          for (let i = starts[old] as number; i < (starts[old + 1] as number); i++) order[at++] = i;
        }
      } else {
        const n = caseCol.length;
        // counting sort of events by (canonical) case
        const counts = new Int32Array(caseCount + 1);
        const caseOf = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const c = caseSort.remap[caseCol.data[i] as number] as number;
          caseOf[i] = c;
          counts[c + 1] = (counts[c + 1] as number) + 1;
        }
        for (let c = 0; c < caseCount; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
        const byCase = new Int32Array(n);
        const fill = counts.slice(0, caseCount);
        for (let i = 0; i < n; i++) {
          const c = caseOf[i] as number;
          const at = fill[c] as number;
          byCase[at] = i;
          fill[c] = at + 1;
        }
        for (let c = 0; c < caseCount; c++) {
          caseOffsets[c] = out.activity.length;
          pairCase(byCase.subarray(counts[c] as number, counts[c + 1] as number), problems);
        }
      }
      // every case is paired: the held events go before the finished columns are made
      for (const col of held) col.release();
      const total = out.activity.length;
      caseOffsets[caseCount] = total;
      if (total < 2) {
        problems.add(
          LOG_PROBLEM_CODES.tooFewEvents,
          'error',
          `the log holds ${total === 1 ? 'one usable event' : 'no usable events'}: at least two are needed to see how work flows; check the column mapping and the rows reported above`,
        );
      }
      // one column at a time, so at most one extra column is alive: renumber codes to sorted order
      const finished = <T extends Int32Array | Float64Array | Uint8Array>(
        col: Column<T>,
        make: (k: number) => T,
        remap?: Int32Array,
      ): T => {
        const result = make(total);
        const data = col.data;
        for (let i = 0; i < total; i++) {
          const v = data[order === null ? i : (order[i] as number)] as number;
          result[i] = remap === undefined || v === NONE ? v : (remap[v] as number);
        }
        col.release();
        return result;
      };
      const u8 = (k: number) => new Uint8Array(k);
      const attributes = extras.map((x): LogAttribute => {
        if (x.tooMany) {
          x.out.release();
          problems.add(
            LOG_PROBLEM_CODES.tooManyValues,
            'warning',
            `the column "${x.name}" has more than ${MAX_ATTRIBUTE_VALUES.toLocaleString('en-US')} different values (like an id or free text); it is not kept for filtering cases`,
          );
          return { name: x.name, values: [], codes: new Int32Array(total).fill(NONE), tooMany: true };
        }
        const sorted = x.values.sorted();
        return { name: x.name, values: sorted.names, codes: finished(x.out, int32, sorted.remap) };
      });
      return {
        cases: caseSort.names,
        activities: activities.sorted().names,
        resources: resources.sorted().names,
        roles: roles.sorted().names,
        systems: systems.sorted().names,
        caseOffsets,
        activity: finished(out.activity, int32, activities.sorted().remap),
        resource: finished(out.resource, int32, resources.sorted().remap),
        role: finished(out.role, int32, roles.sorted().remap),
        system: finished(out.system, int32, systems.sorted().remap),
        start: finished(out.start, float64),
        complete: finished(out.complete, float64),
        timed: finished(out.timed, u8),
        events: added,
        ...(startsAdded === 0 && completesAdded > 0 ? { atomicCompletes: true } : {}),
        ...(startsAdded > 0 && atomicCount > 0 ? { unmatchedCompletes: atomicCount } : {}),
        ...(attributes.length > 0 ? { attributes } : {}),
      };
    },
  };
}
