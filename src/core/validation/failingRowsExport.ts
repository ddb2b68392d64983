/**
 * "Export every failing row": one line per problem of every failing row (file, row, column,
 * rule, severity, message, value), as CSV or NDJSON, from a run's compact index of failing rows
 * (`FailingRows` and the issue groups of issueRows.ts) and the files themselves.
 *
 * Constraints:
 * - Memory does not grow with the failing rows: the rows are read again from the file at their
 *   byte offsets, in file order, through a read window (`WINDOW_BYTES`) so each part of the file
 *   is read about once; lines come out in batches (`BATCH_ROWS` rows) for the caller to write
 *   out (a file stream in the CLI, Blob parts in the browser) before the next is made.
 * - Which problems a row has comes from the issue groups (rule, location), as the drill-down
 *   lists them; their words are the report's (issueWords.ts), the same as on screen.
 * - Each line says which waiver accepts its problem in its row, if one does (waivedRows.ts), so
 *   the rows of a problem split by a waiver limited to rows read as accepted or still failing.
 * - Values are the row's cells as read again; `redact` leaves them out. CSV cells are
 *   formula-injection safe (reportExports.ts `neutraliseCsvCell`).
 * - Cancellation is checked between batches.
 */

import type { IssueSeverity, Report } from '../../formats/report.ts';
import type { CsvLayout } from '../csv/index.ts';
import type { ReadChunk } from '../hash/index.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import type { FailingLineText } from '../sql/index.ts';
import type { IssueRowGroup } from './issueRows.ts';
import { issueInput, issueSentence } from './issueWords.ts';
import { csvField } from './reportExports.ts';
import { type CsvSource, readRecordAt } from './validateCsv.ts';
import { rowWaivers } from './waivedRows.ts';

/** Formats of the export. */
export type FailingRowsFormat = 'csv' | 'ndjson';

/**
 * Columns of the CSV export, and the fields of each NDJSON line (`value` absent when redacted).
 * `acceptedBy` is the id of the waiver that accepts the line's problem in its row (waivedRows.ts),
 * empty (CSV) or absent (NDJSON) when it still fails; columns are only ever added, at the end.
 */
export const FAILING_ROWS_COLUMNS = [
  'file',
  'row',
  'column',
  'rule',
  'severity',
  'message',
  'value',
  'acceptedBy',
] as const;

/** Rows read again per batch of lines handed to the caller. */
export const BATCH_ROWS = 1000;
/** Bytes read from a file at once: failing rows close together are read from one window. */
export const WINDOW_BYTES = 1024 * 1024;

/** One input's failing rows, as the run kept them. */
export interface FailingRowsInput {
  source: CsvSource;
  layout: CsvLayout;
  header: readonly string[];
  /** failing rows (1 = first data row), ascending, and their byte offsets */
  rows: Uint32Array;
  offsets: Float64Array;
  count: number;
  /** which failing rows each issue group holds (positions in `rows`) */
  groups: readonly IssueRowGroup[];
}

/** What a problem is called in the export: the report's words. */
interface ProblemWords {
  severity: IssueSeverity;
  message: string;
}

/** Options of {@link failingRowBatches}. */
interface FailingRowsExportOptions {
  format: FailingRowsFormat;
  /** the report of the run: the problems' words and severities */
  report: Report;
  /** leave values out */
  redact?: boolean;
  signal?: AbortSignal;
  /** rows read so far of all inputs' failing rows, after each batch */
  onProgress?: (progress: { rows: number; total: number }) => void;
}

/**
 * A source whose reads at or after the last are answered from one window of
 * {@link WINDOW_BYTES}: failing rows are read in file order, so the file is read about once.
 */
function windowedSource(source: CsvSource): CsvSource {
  // read back by its own positions: no text to hold a window of
  if (source.recordAt !== undefined) return source;
  let start = 0;
  let window = new Uint8Array(0);
  const read: ReadChunk = async (offset, length) => {
    const end = start + window.length;
    if (offset >= start && offset + length <= end)
      return window.subarray(offset - start, offset - start + length);
    const size = Math.min(Math.max(length, WINDOW_BYTES), source.size - offset);
    // a copy: a reader may reuse its buffer for its next large read
    window = (await source.read(offset, size)).slice(0, size);
    start = offset;
    return window.subarray(0, Math.min(length, window.length));
  };
  return { name: source.name, size: source.size, read };
}

/** How issues name a column: its header name, or "column N" when blank or repeated (as validateCsv). */
function columnLabels(header: readonly string[]): string[] {
  return header.map((name, i) =>
    name.trim() === '' || header.indexOf(name) !== header.lastIndexOf(name) ? `column ${i + 1}` : name,
  );
}

/** The cell index a location names ("column 7" past the header too), or -1. */
function cellIndex(labels: readonly string[], location: string): number {
  const at = labels.indexOf(location);
  if (at >= 0) return at;
  const numbered = /^column (\d+)$/.exec(location);
  return numbered ? Number(numbered[1]) - 1 : -1;
}

/** The words of each issue group of `input` in `report`, by rule and location. */
function wordsOf(report: Report, input: string): Map<string, ProblemWords> {
  const fhir = report.target?.type === 'fhir';
  const words = new Map<string, ProblemWords>();
  for (const issue of report.issues) {
    if (issueInput(report, issue).file !== input && report.inputs.length > 1) continue;
    words.set(`${issue.rule}\u0000${issue.location}`, {
      severity: issue.severity,
      message: issueSentence(issue, fhir),
    });
  }
  return words;
}

/** The header line of the export (CSV), or nothing (NDJSON). */
export function failingRowsHeader(format: FailingRowsFormat): string {
  return format === 'csv' ? `${FAILING_ROWS_COLUMNS.join(',')}\r\n` : '';
}

/**
 * The export of every failing row of `inputs`, in batches of lines (the CSV header first); see
 * the file header. A row that cannot be read again (the file changed since the run) keeps its
 * lines, with no value and a message that says so, rather than leaving a silent gap.
 */
export async function* failingRowBatches(
  inputs: readonly FailingRowsInput[],
  options: FailingRowsExportOptions,
): AsyncGenerator<string> {
  const { format, report, redact = false, signal } = options;
  const total = inputs.reduce((n, i) => n + i.count, 0);
  let done = 0;
  const header = failingRowsHeader(format);
  if (header !== '') yield header;
  for (const input of inputs) {
    const name = input.source.name;
    const source = windowedSource(input.source);
    const labels = columnLabels(input.header);
    const words = wordsOf(report, name);
    const waiverOf = rowWaivers(report, name);
    const groups = input.groups.map((group) => ({
      group,
      words: words.get(`${group.rule}\u0000${group.location}`),
      index: cellIndex(labels, group.location),
      // a list's next position (lists ascend, as the rows are read)
      cursor: 0,
    }));
    let batch = '';
    for (let position = 0; position < input.count; position++) {
      const row = input.rows[position] as number;
      let fields: string[] | undefined;
      try {
        fields = await readRecordAt(source, input.layout, input.offsets[position] as number);
      } catch {
        fields = undefined;
      }
      for (const entry of groups) {
        const { group } = entry;
        let has: boolean;
        if (group.list) {
          while (entry.cursor < group.count && (group.list[entry.cursor] as number) < position)
            entry.cursor++;
          has = entry.cursor < group.count && group.list[entry.cursor] === position;
        } else {
          const word = group.bits?.[position >>> 5];
          has = word !== undefined && (word & (1 << (position & 31))) !== 0;
        }
        if (!has) continue;
        const line = {
          file: name,
          row,
          column: group.location,
          rule: group.rule,
          severity: entry.words?.severity ?? 'error',
          message:
            fields === undefined
              ? 'this row could not be read again: the file changed since it was checked'
              : (entry.words?.message ?? group.rule),
          value: redact || fields === undefined || entry.index < 0 ? undefined : (fields[entry.index] ?? ''),
          acceptedBy: waiverOf(group.rule, group.location, row),
        };
        batch += format === 'csv' ? csvLine(line) : ndjsonLine(line);
      }
      if ((position + 1) % BATCH_ROWS === 0) {
        done += BATCH_ROWS;
        if (signal?.aborted) throw new JobCancelledError();
        options.onProgress?.({ rows: done, total });
        yield batch;
        batch = '';
      }
    }
    done += input.count % BATCH_ROWS;
    if (batch !== '') yield batch;
  }
  options.onProgress?.({ rows: total, total });
}

type Line = Record<(typeof FAILING_ROWS_COLUMNS)[number], string | number | undefined>;

function csvLine(line: Line): string {
  return `${FAILING_ROWS_COLUMNS.map((c) => csvField(line[c])).join(',')}\r\n`;
}

function ndjsonLine(line: Line): string {
  const { value, acceptedBy, ...rest } = line;
  return `${JSON.stringify({
    ...rest,
    ...(value === undefined ? {} : { value }),
    ...(acceptedBy === undefined ? {} : { acceptedBy }),
  })}\n`;
}

/** Stand-ins for the row number and the cell, replaced by the text an SQL engine writes. */
const ROW_MARK = '\u0001row\u0001';
const VALUE_MARK = '\u0001value\u0001';

/**
 * The text of each issue group's lines of `input` (header `header`) as {@link failingRowBatches}
 * writes them, for an engine that writes the export where the data lives (an SQL engine), with the row number and the cell left for the caller: the same line functions,
 * written once with stand-ins and cut at them. Which waiver accepts a line changes only where a
 * range of an issue's counted rows starts or ends, so it is asked of `rowWaivers` at each.
 */
export function failingLineTexts(
  report: Report,
  input: string,
  header: readonly string[],
  format: FailingRowsFormat,
  redact: boolean,
): (rule: string, location: string) => FailingLineText {
  const labels = columnLabels(header);
  const words = wordsOf(report, input);
  const waiverOf = rowWaivers(report, input);
  const several = report.inputs.length > 1;
  return (rule, location) => {
    const key = `${rule}\u0000${location}`;
    const index = cellIndex(labels, location);
    const word = words.get(key);
    const withValue = !redact && index >= 0;
    const render = (acceptedBy: string | undefined) => {
      const line = {
        file: input,
        row: ROW_MARK,
        column: location,
        rule,
        severity: word?.severity ?? 'error',
        message: word?.message ?? rule,
        value: withValue ? VALUE_MARK : undefined,
        acceptedBy,
      };
      return format === 'csv' ? csvLine(line) : ndjsonLine(line);
    };
    const mark = (text: string) => (format === 'csv' ? text : JSON.stringify(text));
    /** the line's text around the stand-ins; without a cell, all after the row is `after` */
    const cut = (text: string) => {
      const [beforeRow = '', rest = ''] = text.split(mark(ROW_MARK));
      if (!withValue) return { beforeRow, beforeValue: '', after: rest };
      const [beforeValue = '', after = ''] = rest.split(mark(VALUE_MARK));
      return { beforeRow, beforeValue, after };
    };
    // the rows where the accepting waiver may change: each end of a range an issue counted in
    const starts = new Set<number>([1]);
    for (const issue of report.issues) {
      if (issue.rule !== rule || issue.location !== location) continue;
      if (several && issueInput(report, issue).file !== input) continue;
      for (const entry of issue.withinRows ?? [])
        for (const range of entry.rows ?? []) {
          starts.add(Math.max(1, range.from));
          starts.add(range.to + 1);
        }
    }
    const sorted = [...starts].sort((a, b) => a - b);
    const after: { below?: number; text: string }[] = [];
    sorted.forEach((start, i) => {
      const text = cut(render(waiverOf(rule, location, start))).after;
      const below = sorted[i + 1];
      const last = after[after.length - 1];
      // accepted as the range before it: that range goes on
      if (last !== undefined && last.text === text) {
        if (below === undefined) delete last.below;
        else last.below = below;
      } else after.push(below === undefined ? { text } : { below, text });
    });
    const { beforeRow, beforeValue } = cut(render(undefined));
    return {
      beforeRow,
      beforeValue,
      index: withValue ? index : -1,
      value: format === 'csv' ? 'csv' : 'json',
      after,
    };
  };
}
