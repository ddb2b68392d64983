/**
 * A first look at an event log before it is read: the columns it has, which ones hold times (and
 * in which format), and a proposed column mapping — what the import screen shows and lets the
 * user override. Reads only a prefix of the file (the caller passes at most
 * {@link PREVIEW_BYTES}), so a log of any size is previewed at once.
 *
 * Constraints: the preview carries column names and formats, never cell values (they may be patient
 * data); the proposal is a guess by column name and content, always shown for review, never applied
 * silently. Pure (no DOM): the event-log worker calls it on the first bytes of a `Blob`.
 */
import { createCsvRecordReader, sniffHeader } from '../../csv/index.ts';
import {
  type ColumnEvidence,
  type ColumnFacts,
  chooseLogColumns,
  createColumnEvidence,
  type LogColumnChoice,
  MAPPING_NAME_RULES,
} from './logColumns.ts';
import { OCEL_ACTIVITY, OCEL_TIME, type OcelLog, type OcelSummary, summarizeOcel } from './ocel.ts';
import { type ColumnMapping, XES_TRANSITIONS } from './readEvents.ts';
import { detectTimestampFormat, type TimestampDetection } from './timestamps.ts';
import { XES_KEYS, xesStartKey } from './xesLog.ts';

/** Bytes of the file the preview looks at. */
export const PREVIEW_BYTES = 256 * 1024;

/** Rows of the prefix sampled per column. */
export const PREVIEW_ROWS = 500;

/** What the preview found about one column. */
export interface PreviewColumn {
  name: string;
  /** the timestamp format of the sampled cells, when most of them are times */
  timestamps: TimestampDetection;
  /** the sampled cells are (almost) all lifecycle words: start, complete… */
  lifecycle: boolean;
  /** distinct non-empty values among the sampled cells */
  distinct: number;
  /** non-empty sampled cells */
  filled: number;
}

/**
 * The column of a CSV log that XES gives the case id when a log is flattened to a table (the
 * trace's `concept:name` with the `case:` prefix, as PM4Py and ProM write it): chosen first.
 */
export const XES_CASE_COLUMN = 'case:concept:name';

/**
 * More events than this per distinct value, on average over the sampled rows, is few cases for
 * the rows: a column like a channel or a department (5 values in 8,000 events), not a case id.
 * Clinic logs have tens of events per visit, not hundreds.
 */
const FEW_CASES_EVENTS_PER_CASE = 50;

/** Below this many sampled rows, events per case say nothing about a column. */
export const FEW_CASES_MIN_ROWS = 100;

/** How the case column of a log was chosen, and whether it looks like one; said on screen and by the CLI. */
interface CaseColumnChoice {
  /** the column, or '' when none could be chosen */
  column: string;
  /** by the XES convention, by its name, or by the user (or --case) */
  how: 'xes-convention' | 'name' | 'chosen' | 'none';
  /** distinct values of the column among the sampled rows (cases in the whole log, once read) */
  distinct: number;
  sampledRows: number;
  /** few distinct values for the rows (see {@link FEW_CASES_EVENTS_PER_CASE}): probably not a case id */
  fewCases: boolean;
  /** what to tell the user: which column, why, and the warning when cases are few */
  message: string;
}

/** True when `column` has few distinct values for the rows sampled (see {@link FEW_CASES_EVENTS_PER_CASE}). */
export function hasFewCases(column: Pick<PreviewColumn, 'distinct'>, sampledRows: number): boolean {
  return sampledRows >= FEW_CASES_MIN_ROWS && column.distinct * FEW_CASES_EVENTS_PER_CASE < sampledRows;
}

/**
 * True when a log read whole has few cases for its events (see {@link FEW_CASES_EVENTS_PER_CASE}).
 * Once a log is read this verdict replaces the preview's: a log that opens with one long case
 * shows a single id in its first rows, though it has many.
 */
export function hasFewCasesInLog(cases: number, events: number): boolean {
  return events >= FEW_CASES_MIN_ROWS && cases * FEW_CASES_EVENTS_PER_CASE < events;
}

/**
 * The case column to propose: `case:concept:name` (the XES convention) when the log has it;
 * otherwise the first column whose name says it holds case ids ({@link MAPPING_NAME_RULES}),
 * preferring one that does not have few cases for the rows. Columns in `taken` (times, the
 * lifecycle) are never proposed.
 */
export function proposeCaseColumn(
  columns: readonly PreviewColumn[],
  sampledRows: number,
  taken: ReadonlySet<string> = new Set(),
): string | undefined {
  const free = columns.filter((c) => !taken.has(c.name));
  const xes = free.find((c) => c.name.trim().toLowerCase() === XES_CASE_COLUMN);
  if (xes) return xes.name;
  const named: PreviewColumn[] = [];
  for (const rule of MAPPING_NAME_RULES) {
    if (rule.role !== 'case') continue;
    for (const c of free) if (rule.pattern.test(c.name.toLowerCase()) && !named.includes(c)) named.push(c);
  }
  return (named.find((c) => !hasFewCases(c, sampledRows)) ?? named[0])?.name;
}

/**
 * Says which column holds the case ids and why, with a warning when it has few distinct values
 * for the rows — the same words in the browser's import step and the CLI. `proposed` is the
 * column {@link proposeCaseColumn} gave; any other `column` was chosen by the user. With `read`
 * (the log read whole with that column), cases are judged on the whole log, not on the preview's
 * first rows ({@link hasFewCasesInLog}).
 */
export function describeCaseColumn(
  preview: Pick<LogPreview, 'columns' | 'sampledRows'>,
  column: string,
  proposed: string | undefined,
  read?: { cases: number; events: number },
): CaseColumnChoice {
  const facts = preview.columns.find((c) => c.name === column);
  const sampledRows = preview.sampledRows;
  if ((!facts && !read) || column === '') {
    return {
      column: '',
      how: 'none',
      distinct: 0,
      sampledRows,
      fewCases: false,
      message:
        'No column is named like a case id: choose the column that identifies each patient visit, order or referral.',
    };
  }
  const how: CaseColumnChoice['how'] =
    column !== proposed
      ? 'chosen'
      : column.trim().toLowerCase() === XES_CASE_COLUMN
        ? 'xes-convention'
        : 'name';
  const fewCases = read
    ? hasFewCasesInLog(read.cases, read.events)
    : hasFewCases({ distinct: facts?.distinct ?? 0 }, sampledRows);
  const why =
    how === 'xes-convention'
      ? ' (the XES convention for the case id)'
      : how === 'name'
        ? ' (its name says it holds case ids)'
        : '';
  const base = `Cases are told apart by the column "${column}"${why}.`;
  const distinct = read ? read.cases : (facts?.distinct ?? 0);
  const where = read
    ? `for ${read.events.toLocaleString('en-US')} events in the whole log`
    : `in the first ${sampledRows.toLocaleString('en-US')} rows`;
  const onlyFirstRows = read
    ? ''
    : ` This is judged on the first ${sampledRows.toLocaleString('en-US')} rows only; the whole log is checked again once it is read.`;
  const warning = fewCases
    ? ` It has only ${distinct.toLocaleString('en-US')} different ${distinct === 1 ? 'value' : 'values'} ${where} — few cases for that many events, so it may be a category rather than a case id. Check it, and choose the column that identifies each visit, order or referral.${onlyFirstRows}`
    : '';
  return { column, how, distinct, sampledRows, fewCases, message: base + warning };
}

/**
 * Said after reading when the hint before reading warned about few cases on the first rows but
 * the whole log has enough (a log that opens with one long case): the whole log's answer, so the
 * warning on the first rows is not left standing. Undefined when the two agree.
 */
export function caseColumnCheckedOnWholeLog(
  preview: Pick<LogPreview, 'columns' | 'sampledRows'>,
  column: string,
  read: { cases: number; events: number },
): string | undefined {
  const facts = preview.columns.find((c) => c.name === column);
  if (!facts || column === '' || !hasFewCases(facts, preview.sampledRows)) return undefined;
  if (hasFewCasesInLog(read.cases, read.events)) return undefined;
  return `Checked on the whole log: "${column}" has ${read.cases.toLocaleString('en-US')} different values for ${read.events.toLocaleString('en-US')} events, enough for a case id. The warning before reading came from the first ${preview.sampledRows.toLocaleString('en-US')} rows only.`;
}

/**
 * Says which key tells an XES log's cases apart: each `<trace>` is a case, named by its `key`
 * attribute (`concept:name` unless the user chose another) — the same words in the browser and
 * the CLI.
 */
export function describeXesCases(key: string = XES_KEYS.case): string {
  return `Cases are the log's traces, told apart by their "${key}"${key === XES_KEYS.case ? ' (the XES convention)' : ''}.`;
}

/** The preview of a log. */
export interface LogPreview {
  /** `ocel`: an object-centric log (OCEL 2.0), whose cases are the objects of a chosen type */
  kind: 'csv' | 'xes' | 'ocel';
  /** CSV: the header's columns; XES: attribute keys seen on events and traces */
  columns: PreviewColumn[];
  /** data rows (CSV) or events (XES) in the prefix looked at */
  sampledRows: number;
  /** the proposed mapping (review before use) */
  proposal: ColumnMapping;
  /** why each column of the proposal was chosen (or passed over), in words; CSV only */
  reasons?: string[];
  /** what the sampled rows say about the columns, relative to the proposed case column (CSV) */
  evidence?: ColumnEvidence;
  /**
   * an object-centric log, read whole: its object types to choose the cases from, and the
   * reader's account; `proposal.case` is then the chosen object type ('' until one is chosen)
   */
  ocel?: OcelSummary;
}

/**
 * The preview of an object-centric log, read whole ({@link LogPreview.ocel}): no columns, its
 * object types to choose the cases from, and nothing proposed — the person chooses the type.
 */
export function previewOcel(log: OcelLog): LogPreview {
  const summary = summarizeOcel(log);
  return {
    kind: 'ocel',
    columns: [],
    sampledRows: summary.events,
    proposal: { case: '', activity: OCEL_ACTIVITY, timestamp: OCEL_TIME },
    ocel: summary,
  };
}

/** Lifecycle words (lower case) that mark a column as a lifecycle column. */
const LIFECYCLE_WORDS = new Set([...XES_TRANSITIONS, 'completed', 'end', 'begin']);

/** Share of sampled cells that must be lifecycle words. */
const LIFECYCLE_SHARE = 0.9;

function isLifecycleWord(cell: string): boolean {
  return LIFECYCLE_WORDS.has(cell.trim().toLowerCase());
}

/**
 * Proposes a mapping from column facts: the case column by {@link proposeCaseColumn} (which needs
 * the number of rows sampled to tell few cases), the rest by `chooseLogColumns` — XES standard
 * names first, then what each column is (`evidence`: columns constant within every case are never
 * the event time nor the activity), then names.
 */
export function proposeMapping(
  columns: readonly PreviewColumn[],
  sampledRows = 0,
  evidence?: ColumnEvidence,
): ColumnMapping {
  return chooseColumns(columns, sampledRows, evidence).mapping;
}

/** {@link proposeMapping} with the reasons, in words: the one choice the browser and the CLI make. */
export function chooseColumns(
  columns: readonly PreviewColumn[],
  sampledRows = 0,
  evidence?: ColumnEvidence,
  /** the case column the user named, else it is proposed */
  chosenCase?: string,
): LogColumnChoice {
  const caseColumn = chosenCase ?? proposeCaseColumn(columns, sampledRows, takenBeforeCase(columns));
  return chooseLogColumns(columns.map(factsOf), caseColumn, evidence);
}

/** Times and the lifecycle column: never proposed as the case column. */
function takenBeforeCase(columns: readonly PreviewColumn[]): Set<string> {
  const taken = new Set<string>();
  for (const c of columns) {
    if (c.timestamps.format !== undefined || c.timestamps.ambiguous) taken.add(c.name);
  }
  const lifecycle = columns.find((c) => c.lifecycle && c.filled > 0);
  if (lifecycle) taken.add(lifecycle.name);
  return taken;
}

function factsOf(c: PreviewColumn): ColumnFacts {
  return {
    name: c.name,
    time: c.timestamps.format !== undefined || c.timestamps.ambiguous,
    lifecycle: c.lifecycle,
    filled: c.filled,
  };
}

/**
 * The columns of a CSV log chosen again with evidence gathered on the whole log
 * (`scanLogColumns`): the mapping and the reasons, for the same case column as the preview's.
 */
export function chooseColumnsOnWholeLog(preview: LogPreview, evidence: ColumnEvidence): LogColumnChoice {
  return chooseColumns(preview.columns, preview.sampledRows, evidence);
}

function describeColumns(names: readonly string[], cellsOf: (index: number) => string[]): PreviewColumn[] {
  return names.map((name, index) => {
    const cells = cellsOf(index).filter((c) => c.trim() !== '');
    const lifecycleCells = cells.filter(isLifecycleWord).length;
    return {
      name,
      timestamps: detectTimestampFormat(cells),
      lifecycle: cells.length > 0 && lifecycleCells >= cells.length * LIFECYCLE_SHARE,
      distinct: new Set(cells).size,
      filled: cells.length,
    };
  });
}

/** The XES preview: attribute keys of the prefix; the standard keys are proposed. */
function previewXes(text: string): LogPreview {
  const keys = new Map<string, string[]>();
  const dates: string[] = [];
  let events = 0;
  const attribute = /<(string|date|int|float|boolean|id)\s+key="([^"]*)"\s+value="([^"]*)"/g;
  for (const match of text.matchAll(attribute)) {
    const key = match[2] as string;
    if (match[1] === 'date' && !keys.has(key)) dates.push(key);
    const cells = keys.get(key) ?? [];
    if (cells.length < PREVIEW_ROWS) cells.push(match[3] as string);
    keys.set(key, cells);
  }
  events = (text.match(/<event[\s>]/g) ?? []).length;
  const names = [...keys.keys()];
  const columns = describeColumns(names, (i) => keys.get(names[i] as string) ?? []);
  // an interval log (a start time beside the event time): the same choice as the reader's
  const start = xesStartKey(dates, XES_KEYS.timestamp, keys.has(XES_KEYS.lifecycle));
  return {
    kind: 'xes',
    columns,
    sampledRows: events,
    // the required keys always (the reader reports them if absent); optional ones only when seen
    proposal: {
      case: XES_KEYS.case,
      activity: XES_KEYS.activity,
      // no date in the first events: a log without times (a time written as text is no XES time)
      ...(start
        ? { start, complete: XES_KEYS.timestamp }
        : dates.length > 0 || events === 0
          ? { timestamp: XES_KEYS.timestamp }
          : {}),
      ...(keys.has(XES_KEYS.lifecycle) ? { lifecycle: XES_KEYS.lifecycle } : {}),
      ...(keys.has(XES_KEYS.resource) ? { resource: XES_KEYS.resource } : {}),
      ...(keys.has(XES_KEYS.role) ? { role: XES_KEYS.role } : {}),
    },
  };
}

/**
 * Previews a log from its first bytes (`prefix`, at most {@link PREVIEW_BYTES}); `name` tells XES
 * (`.xes`) from CSV. A row cut by the end of the prefix is left out.
 * @throws Error with a message for the user when the prefix has no header or is not text
 */
export function previewLog(prefix: Uint8Array, name: string): LogPreview {
  if (/\.xes$/i.test(name)) {
    return previewXes(new TextDecoder('utf-8').decode(prefix));
  }
  const sniff = sniffHeader(prefix);
  const text = new TextDecoder(sniff.encoding === 'utf-8-bom' ? 'utf-8' : sniff.encoding).decode(prefix, {
    stream: true,
  });
  // the last line may be cut by the prefix: drop it
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  const whole = lastBreak > 0 ? text.slice(0, lastBreak + 1) : text;
  const reader = createCsvRecordReader({ delimiter: sniff.delimiter });
  const rows = [...reader.push(whole), ...reader.finish()].slice(0, PREVIEW_ROWS);
  const columns = describeColumns(sniff.columns, (i) => rows.map((r) => r.fields[i] ?? ''));
  const caseColumn = proposeCaseColumn(columns, rows.length, takenBeforeCase(columns)) ?? '';
  const gatherer = createColumnEvidence(sniff.columns, caseColumn);
  for (const r of rows) gatherer.add(r.fields);
  const evidence = gatherer.result(false);
  const choice = chooseColumns(columns, rows.length, evidence);
  return {
    kind: 'csv',
    columns,
    sampledRows: rows.length,
    proposal: choice.mapping,
    reasons: choice.reasons,
    evidence,
  };
}
