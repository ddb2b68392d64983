/**
 * Filters applied before discovery, in this order (each sees what the previous kept):
 * 1. `attributes` (and the older single `attribute`): keep the cases with (or without) one of the
 *    given values of an attribute the log carries on its events — role (lane), system, resource or
 *    a kept extra column (department, payer…) — Disco's attribute filter in its "mandatory" /
 *    "forbidden" forms: a case has a value when any of its events has it, and the whole case is
 *    kept or dropped (never cut). A value the log does not have matches no case. Several
 *    conditions are a stack: a case is kept when it passes every one (AND across conditions, OR
 *    among the values of one). Both this and the dates keep or drop whole cases, so their order
 *    changes nothing; this one goes first so its counts are of the whole log.
 * 2. `dateRange`: keep the cases that START inside [from, to) — Disco's "started in" timeframe,
 *    so a case is never cut in half.
 * 3. `workingHours`: keep the activity instances that start inside working hours (given days of
 *    the week, [startHour, endHour) of the log's zone); night and weekend work is dropped.
 * 4. `minActivityCount`: drop the activities that occur fewer times than this (Disco's activity
 *    slider); their instances go, the rest of each case stays.
 * 5. `variantCoverage`: keep the most frequent variants (a case's activity sequence) until they
 *    cover at least this share of the cases (Disco's path slider, by variant). Ties in frequency
 *    are broken by the sequence's text, so the kept set never depends on row order.
 * 6. `variants`: keep the cases whose activity sequence, as the filters above left it, is one of
 *    these (by activity names): the variants an analyst chose from the variants list.
 *
 * Pure; returns a new log (the input is not changed). Cases left empty are dropped.
 */
import type { EventLog } from './eventLog.ts';
import type { LocalClock } from './timestamps.ts';

/** The event attributes every log carries that cases can be filtered by (besides kept columns). */
export const FILTER_ATTRIBUTES = ['role', 'system', 'resource'] as const;

/** One of {@link FILTER_ATTRIBUTES}, or `column`: a kept extra column, named by `column`. */
export type FilterAttribute = (typeof FILTER_ATTRIBUTES)[number] | 'column';

/** Keep the cases with (or without) any of `values` of `attribute`; empty `values` keeps every case. */
export interface AttributeFilter {
  attribute: FilterAttribute;
  /** with `attribute: 'column'`: the kept column's name (a column the log did not keep matches no case) */
  column?: string;
  values: readonly string[];
  keep: 'with' | 'without';
}

/** The filters of {@link filterLog}; absent means "keep everything". */
export interface LogFilters {
  dateRange?: { from?: number; to?: number };
  attribute?: AttributeFilter;
  /** several attribute conditions, all applied (after `attribute`, when both are given) */
  attributes?: readonly AttributeFilter[];
  workingHours?: { days: readonly number[]; startHour: number; endHour: number };
  minActivityCount?: number;
  /** share of cases, 0 < x ≤ 1 */
  variantCoverage?: number;
  /** activity sequences (names) of the variants to keep; absent or empty keeps every variant */
  variants?: ReadonlyArray<readonly string[]>;
}

/** What the filters kept. */
export interface FilterSummary {
  casesBefore: number;
  casesAfter: number;
  instancesBefore: number;
  instancesAfter: number;
  /** variants before the variant filter, and kept by it */
  variants: number;
  variantsKept: number;
  /** activities dropped by `minActivityCount` */
  droppedActivities: string[];
  /** cases the attribute conditions kept together, of `casesBefore` (absent without one) */
  attributeCases?: number;
  /**
   * per condition of `attributes` (in its order): the cases of the whole log it keeps on its own
   * (`casesBefore` for one with no values); absent without `attributes`
   */
  attributeCounts?: number[];
}

const NO_CODES = new Int32Array(0);

/** The names and per-instance codes of an attribute of the log (none for a column it did not keep). */
function attributeColumn(log: EventLog, filter: AttributeFilter): { names: string[]; codes: Int32Array } {
  switch (filter.attribute) {
    case 'role':
      return { names: log.roles, codes: log.role };
    case 'system':
      return { names: log.systems, codes: log.system };
    case 'resource':
      return { names: log.resources, codes: log.resource };
    case 'column': {
      const kept = log.attributes?.find((a) => a.name === filter.column);
      return kept ? { names: kept.values, codes: kept.codes } : { names: [], codes: NO_CODES };
    }
  }
}

/** Per case of `log`: 1 when it passes the condition (see the file header). */
function casesPassing(log: EventLog, filter: AttributeFilter): Uint8Array {
  const { names, codes } = attributeColumn(log, filter);
  const wanted = new Set(filter.values);
  const chosen = new Uint8Array(names.length);
  names.forEach((name, code) => {
    if (wanted.has(name)) chosen[code] = 1;
  });
  const pass = new Uint8Array(log.cases.length);
  for (let c = 0; c < log.cases.length; c++) {
    const from = log.caseOffsets[c] as number;
    const to = Math.min(log.caseOffsets[c + 1] as number, codes.length);
    let has = false;
    for (let i = from; i < to && !has; i++) {
      const code = codes[i] as number;
      has = code >= 0 && chosen[code] === 1;
    }
    pass[c] = has === (filter.keep === 'with') ? 1 : 0;
  }
  return pass;
}

/**
 * Keeps the whole cases that pass every condition (see the file header); `counts` gets, per
 * condition, the cases it passes on its own.
 */
function filterByAttributes(
  log: EventLog,
  conditions: readonly AttributeFilter[],
  counts: number[],
): EventLog {
  const all = new Uint8Array(log.cases.length).fill(1);
  for (const condition of conditions) {
    if (condition.values.length === 0) {
      counts.push(log.cases.length);
      continue;
    }
    const pass = casesPassing(log, condition);
    let n = 0;
    for (let c = 0; c < pass.length; c++) {
      n += pass[c] as number;
      all[c] = (all[c] as number) & (pass[c] as number);
    }
    counts.push(n);
  }
  const keep = new Uint8Array(log.activity.length);
  for (let c = 0; c < log.cases.length; c++) {
    if (all[c]) keep.fill(1, log.caseOffsets[c] as number, log.caseOffsets[c + 1] as number);
  }
  return selectInstances(log, keep);
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const HOURS_PER_DAY = 24;

/** Keeps the instances whose index is marked, renumbering nothing (names stay; unused names stay too). */
export function selectInstances(log: EventLog, keep: Uint8Array): EventLog {
  const caseCount = log.cases.length;
  const cases: string[] = [];
  const offsets: number[] = [0];
  let total = 0;
  for (let c = 0; c < caseCount; c++) {
    let kept = 0;
    for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++)
      kept += keep[i] as number;
    if (kept === 0) continue;
    cases.push(log.cases[c] as string);
    total += kept;
    offsets.push(total);
  }
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(column: T, make: (n: number) => T): T => {
    const out = make(total);
    let at = 0;
    for (let i = 0; i < column.length; i++) if (keep[i]) out[at++] = column[i] as number;
    return out;
  };
  const i32 = (n: number) => new Int32Array(n);
  const f64 = (n: number) => new Float64Array(n);
  return {
    ...log,
    cases,
    caseOffsets: Int32Array.from(offsets),
    activity: pick(log.activity, i32),
    resource: pick(log.resource, i32),
    role: pick(log.role, i32),
    system: pick(log.system, i32),
    start: pick(log.start, f64),
    complete: pick(log.complete, f64),
    timed: pick(log.timed, (n) => new Uint8Array(n)),
    ...(log.attributes
      ? { attributes: log.attributes.map((a) => ({ ...a, codes: pick(a.codes, i32) })) }
      : {}),
  };
}

/** Activity codes above this take two characters in a variant key. */
const ONE_CHAR_CODES = 0xffff;

/**
 * The activity sequence of case `c` as a compact key: one character per instance (its activity
 * code; two past 65,535 activities), not the names — a few bytes per case rather than the case's
 * whole text.
 */
function variantKey(log: EventLog, c: number): string {
  const wide = log.activities.length > ONE_CHAR_CODES;
  let key = '';
  for (let i = log.caseOffsets[c] as number; i < (log.caseOffsets[c + 1] as number); i++) {
    const code = log.activity[i] as number;
    key += wide ? String.fromCharCode(code >>> 16, code & ONE_CHAR_CODES) : String.fromCharCode(code);
  }
  return key;
}

/** A variant's text for ordering ties: its activity names joined by a separator no name holds. */
function variantText(log: EventLog, key: string): string {
  const wide = log.activities.length > ONE_CHAR_CODES;
  const parts: string[] = [];
  for (let k = 0; k < key.length; k += wide ? 2 : 1) {
    const code = wide ? key.charCodeAt(k) * (ONE_CHAR_CODES + 1) + key.charCodeAt(k + 1) : key.charCodeAt(k);
    parts.push(log.activities[code] as string);
  }
  return parts.join('\u0000');
}

/** Applies the filters (see the file header). */
export function filterLog(
  log: EventLog,
  filters: LogFilters,
  clock: LocalClock,
): { log: EventLog; summary: FilterSummary } {
  const casesBefore = log.cases.length;
  const instancesBefore = log.activity.length;
  let current = log;
  let attributeCases: number | undefined;
  let attributeCounts: number[] | undefined;
  const conditions = [
    ...(filters.attribute && filters.attribute.values.length > 0 ? [filters.attribute] : []),
    ...(filters.attributes ?? []),
  ];
  if (conditions.some((c) => c.values.length > 0)) {
    const counts: number[] = [];
    current = filterByAttributes(current, conditions, counts);
    attributeCases = current.cases.length;
    if (filters.attributes) attributeCounts = counts.slice(counts.length - filters.attributes.length);
  } else if (filters.attributes && filters.attributes.length > 0) {
    attributeCounts = filters.attributes.map(() => casesBefore);
  }
  const range = filters.dateRange;
  if (range && (range.from !== undefined || range.to !== undefined)) {
    const keep = new Uint8Array(current.activity.length);
    for (let c = 0; c < current.cases.length; c++) {
      const from = current.caseOffsets[c] as number;
      const to = current.caseOffsets[c + 1] as number;
      if (to === from) continue;
      const start = current.start[from] as number;
      const inside =
        (range.from === undefined || start >= range.from) && (range.to === undefined || start < range.to);
      if (inside) keep.fill(1, from, to);
    }
    current = selectInstances(current, keep);
  }
  const hours = filters.workingHours;
  if (hours) {
    const days = new Set(hours.days);
    const keep = new Uint8Array(current.activity.length);
    for (let i = 0; i < keep.length; i++) {
      const local = clock(current.start[i] as number);
      const hour = (((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR;
      const day = new Date(local).getUTCDay();
      keep[i] =
        days.has(day) && hour >= hours.startHour && hour < Math.min(hours.endHour, HOURS_PER_DAY) ? 1 : 0;
    }
    current = selectInstances(current, keep);
  }
  const droppedActivities: string[] = [];
  if (filters.minActivityCount !== undefined && filters.minActivityCount > 1) {
    const counts = new Int32Array(current.activities.length);
    for (const a of current.activity) counts[a] = (counts[a] as number) + 1;
    const rare = new Uint8Array(current.activities.length);
    counts.forEach((count, a) => {
      if (count > 0 && count < (filters.minActivityCount as number)) {
        rare[a] = 1;
        droppedActivities.push(current.activities[a] as string);
      }
    });
    const keep = new Uint8Array(current.activity.length);
    for (let i = 0; i < keep.length; i++) keep[i] = rare[current.activity[i] as number] ? 0 : 1;
    current = selectInstances(current, keep);
  }
  let variants = 0;
  let variantsKept = 0;
  const coverage = filters.variantCoverage;
  const byVariant = new Map<string, number[]>();
  for (let c = 0; c < current.cases.length; c++) {
    const key = variantKey(current, c);
    const list = byVariant.get(key);
    if (list) list.push(c);
    else byVariant.set(key, [c]);
  }
  variants = byVariant.size;
  variantsKept = variants;
  if (coverage !== undefined && coverage < 1) {
    // ties in frequency by the variant's text (names), exactly as before keys were compact
    const ranked = [...byVariant.entries()]
      .map(([key, cases]) => ({ text: variantText(current, key), cases }))
      .sort((a, b) => b.cases.length - a.cases.length || (a.text < b.text ? -1 : 1));
    const keep = new Uint8Array(current.activity.length);
    const needed = coverage * current.cases.length;
    let covered = 0;
    variantsKept = 0;
    for (const { cases } of ranked) {
      if (covered >= needed && variantsKept > 0) break;
      variantsKept++;
      covered += cases.length;
      for (const c of cases)
        keep.fill(1, current.caseOffsets[c] as number, current.caseOffsets[c + 1] as number);
    }
    current = selectInstances(current, keep);
  }
  if (filters.variants && filters.variants.length > 0) {
    const index = new Map(current.activities.map((name, code) => [name, code]));
    const chosen = new Set<string>();
    for (const names of filters.variants) {
      const codes = names.map((name) => index.get(name));
      // a variant naming an activity this log does not have matches no case
      if (codes.every((code) => code !== undefined)) chosen.add(codes.join(','));
    }
    const keep = new Uint8Array(current.activity.length);
    const found = new Set<string>();
    for (let c = 0; c < current.cases.length; c++) {
      const from = current.caseOffsets[c] as number;
      const to = current.caseOffsets[c + 1] as number;
      const key = Array.from(current.activity.subarray(from, to)).join(',');
      if (chosen.has(key)) {
        keep.fill(1, from, to);
        found.add(key);
      }
    }
    current = selectInstances(current, keep);
    variantsKept = found.size;
  }
  return {
    log: current,
    summary: {
      casesBefore,
      casesAfter: current.cases.length,
      instancesBefore,
      instancesAfter: current.activity.length,
      variants,
      variantsKept,
      droppedActivities,
      ...(attributeCases === undefined ? {} : { attributeCases }),
      ...(attributeCounts === undefined ? {} : { attributeCounts }),
    },
  };
}
