/**
 * An event log held as activity instances grouped by case, in typed arrays: what discovery and
 * conformance read, whatever the source (CSV or XES).
 *
 * Constraints:
 * - No object per event: case ids, activities, resources, roles and systems are interned once
 *   (a string table each); while reading, an event costs 21 bytes of typed arrays (+4 each for a
 *   resource, a role, a system; +9 for a second time), optional columns staying unallocated
 *   until a value appears; the finished log costs 33 bytes per activity instance (a start and a
 *   complete event make one). Memory therefore grows with events, not only with the cases in
 *   progress: events are kept until `finish()` because a log in any row order must give the
 *   same result, and exported logs come in any order (the eventdataR fixture is sorted by
 *   activity, not by case or time), so no case can be closed before the end of the file.
 * - Canonical order: cases, activities, resources, roles and systems are numbered in sorted
 *   (code-unit) order at `finish()`, and instances within a case are ordered by start time —
 *   so permuting a log's rows changes nothing in the result. Only events of one case with EQUAL
 *   times keep their file order (a zero-minute step logged in the same second as the next one:
 *   the row order is the only evidence of which came first).
 * - Lifecycle pairing: a `start` and a `complete` of the same activity in the same case are
 *   matched first-in-first-out in time order; at equal times a start comes before a complete.
 * - Problems name rows, columns and codes, never cell text (STYLE.md 7).
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
  /** the first {@link MAX_PROBLEM_ROWS} data rows (1-based, header not counted; XES: event number) */
  rows: number[];
}

/** Rows listed per problem; the count says how many more. */
export const MAX_PROBLEM_ROWS = 10;

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
    if (row !== undefined && row > 0 && entry.rows.length < MAX_PROBLEM_ROWS) entry.rows.push(row);
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
  return `${problem.severity} ${problem.code}${where}: ${problem.message}`;
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
}

/** Number of activity instances in a log. */
export function instanceCount(log: EventLog): number {
  return log.activity.length;
}

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
}

/** Builds an {@link EventLog} from events in any order. */
export interface EventLogBuilder {
  add(event: LogEventInput): void;
  /** Events added so far. */
  readonly events: number;
  /** Pairs, sorts and freezes the log; problems found go to `problems`. */
  finish(problems: ProblemList): EventLog;
}

const NONE = -1;

/** Creates a builder (see the file header for order and pairing). */
export function createEventLogBuilder(): EventLogBuilder {
  const cases = new Interner();
  const activities = new Interner();
  const resources = new Interner();
  const roles = new Interner();
  const systems = new Interner();
  const caseCol = new Column(int32);
  const activityCol = new Column(int32);
  const resourceCol = new SparseColumn(int32, NONE);
  const roleCol = new SparseColumn(int32, NONE);
  const systemCol = new SparseColumn(int32, NONE);
  const kindCol = new Column((n) => new Uint8Array(n));
  const timedCol = new SparseColumn((n) => new Uint8Array(n), 1);
  const timeCol = new Column(float64);
  /** NaN: the same as the time (only instance events with two times store one) */
  const completeCol = new SparseColumn(float64, Number.NaN);
  const rowCol = new Column(int32);

  return {
    add(e) {
      caseCol.push(cases.code(e.caseId));
      activityCol.push(activities.code(e.activity));
      resourceCol.push(e.resource ? resources.code(e.resource) : NONE);
      roleCol.push(e.role ? roles.code(e.role) : NONE);
      systemCol.push(e.system ? systems.code(e.system) : NONE);
      kindCol.push(e.kind);
      timedCol.push(e.kind === EVENT_KIND.instance ? (e.timed ? 1 : 0) : 1);
      timeCol.push(e.time);
      completeCol.push(e.complete ?? Number.NaN);
      rowCol.push(e.row);
    },
    get events() {
      return caseCol.length;
    },
    finish(problems) {
      const n = caseCol.length;
      const caseSort = cases.sorted();
      const activitySort = activities.sorted();
      const resourceSort = resources.sorted();
      const roleSort = roles.sorted();
      const systemSort = systems.sorted();
      const caseCount = caseSort.names.length;

      // counting sort of events by (canonical) case
      const counts = new Int32Array(caseCount + 1);
      const caseOf = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const c = caseSort.remap[caseCol.data[i] as number] as number;
        caseOf[i] = c;
        counts[c + 1] = (counts[c + 1] as number) + 1;
      }
      for (let c = 0; c < caseCount; c++) counts[c + 1] = (counts[c + 1] as number) + (counts[c] as number);
      const order = new Int32Array(n);
      const fill = counts.slice(0, caseCount);
      for (let i = 0; i < n; i++) {
        const c = caseOf[i] as number;
        const at = fill[c] as number;
        order[at] = i;
        fill[c] = at + 1;
      }
      const act = (i: number) => activitySort.remap[activityCol.data[i] as number] as number;
      const time = timeCol.data;
      const kind = kindCol.data;
      const row = rowCol.data;
      // within a case: by time, then (at equal times) a start before a complete, then file order —
      // equal times carry no order of their own, so the row order is the only evidence (as in
      // PM4Py and Disco, whose sorts are stable)
      const eventOrder = (a: number, b: number) =>
        (time[a] as number) - (time[b] as number) ||
        (kind[a] === EVENT_KIND.complete ? 1 : 0) - (kind[b] === EVENT_KIND.complete ? 1 : 0) ||
        (row[a] as number) - (row[b] as number);

      const out = {
        activity: new Column(int32),
        resource: new Column(int32),
        role: new Column(int32),
        system: new Column(int32),
        start: new Column(float64),
        complete: new Column(float64),
        timed: new Column((k) => new Uint8Array(k)),
      };
      const caseOffsets = new Int32Array(caseCount + 1);
      const mapped = (col: SparseColumn<Int32Array>, sort: { remap: Int32Array }, i: number) => {
        const code = col.get(i);
        return code === NONE ? NONE : (sort.remap[code] as number);
      };
      /** resource, role and system of an instance: its start event's, else its complete's */
      const pick = (col: SparseColumn<Int32Array>, sort: { remap: Int32Array }, from: number, to: number) => {
        const v = mapped(col, sort, from);
        return v === NONE ? mapped(col, sort, to) : v;
      };
      const instanceBuffer: Array<{
        start: number;
        complete: number;
        a: number;
        from: number;
        to: number;
        timed: number;
      }> = [];
      /** open starts per activity in this case, FIFO */
      const open = new Map<number, number[]>();
      const orphanCompletes = new Map<number, number[]>();

      for (let c = 0; c < caseCount; c++) {
        caseOffsets[c] = out.activity.length;
        const from = counts[c] as number;
        const to = counts[c + 1] as number;
        const events = Array.from(order.subarray(from, to)).sort(eventOrder);
        instanceBuffer.length = 0;
        open.clear();
        orphanCompletes.clear();
        for (const i of events) {
          const a = act(i);
          const k = kind[i] as number;
          if (k === EVENT_KIND.instance) {
            const stored = completeCol.get(i);
            const complete = Number.isNaN(stored) ? (time[i] as number) : stored;
            if (complete < (time[i] as number)) {
              problems.add(
                LOG_PROBLEM_CODES.outOfOrder,
                'error',
                'the complete time is before the start time; check the two timestamp columns or their format',
                row[i],
              );
              continue;
            }
            instanceBuffer.push({
              start: time[i] as number,
              complete,
              a,
              from: i,
              to: i,
              timed: timedCol.get(i),
            });
          } else if (k === EVENT_KIND.start) {
            const queue = open.get(a) ?? [];
            queue.push(i);
            open.set(a, queue);
          } else {
            const queue = open.get(a);
            const s = queue?.shift();
            if (s === undefined) {
              const list = orphanCompletes.get(a) ?? [];
              list.push(i);
              orphanCompletes.set(a, list);
              continue;
            }
            instanceBuffer.push({
              start: time[s] as number,
              complete: time[i] as number,
              a,
              from: s,
              to: i,
              timed: 1,
            });
          }
        }
        for (const [a, completes] of orphanCompletes) {
          const laterStarts = open.get(a)?.length ?? 0;
          for (const i of completes) {
            if (laterStarts > 0) {
              problems.add(
                LOG_PROBLEM_CODES.outOfOrder,
                'error',
                'a complete comes before the start of the same activity in its case; check the timestamps and the lifecycle column',
                row[i],
              );
            } else {
              problems.add(
                LOG_PROBLEM_CODES.completeWithoutStart,
                'error',
                'a complete has no earlier start of the same activity in its case; the start is missing from the log',
                row[i],
              );
            }
          }
        }
        for (const queue of open.values()) {
          for (const s of queue) {
            if ((orphanCompletes.get(act(s))?.length ?? 0) > 0) continue; // reported as out of order
            problems.add(
              LOG_PROBLEM_CODES.startWithoutComplete,
              'warning',
              'a start has no complete of the same activity later in its case; it is kept as an instance without a measured touch time',
              row[s],
            );
            instanceBuffer.push({
              start: time[s] as number,
              complete: time[s] as number,
              a: act(s),
              from: s,
              to: s,
              timed: 0,
            });
          }
        }
        instanceBuffer.sort((x, y) => x.start - y.start || (row[x.from] as number) - (row[y.from] as number));
        for (const inst of instanceBuffer) {
          out.activity.push(inst.a);
          out.resource.push(pick(resourceCol, resourceSort, inst.from, inst.to));
          out.role.push(pick(roleCol, roleSort, inst.from, inst.to));
          out.system.push(pick(systemCol, systemSort, inst.from, inst.to));
          out.start.push(inst.start);
          out.complete.push(inst.complete);
          out.timed.push(inst.timed);
        }
      }
      caseOffsets[caseCount] = out.activity.length;
      if (out.activity.length < 2) {
        problems.add(
          LOG_PROBLEM_CODES.tooFewEvents,
          'error',
          `the log holds ${out.activity.length === 1 ? 'one usable event' : 'no usable events'}: at least two are needed to see how work flows; check the column mapping and the rows reported above`,
        );
      }
      const trim = <T extends Int32Array | Float64Array | Uint8Array>(col: Column<T>) =>
        col.data.slice(0, col.length) as T;
      return {
        cases: caseSort.names,
        activities: activitySort.names,
        resources: resourceSort.names,
        roles: roleSort.names,
        systems: systemSort.names,
        caseOffsets,
        activity: trim(out.activity),
        resource: trim(out.resource),
        role: trim(out.role),
        system: trim(out.system),
        start: trim(out.start),
        complete: trim(out.complete),
        timed: trim(out.timed),
        events: n,
      };
    },
  };
}
