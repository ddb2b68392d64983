/**
 * Numbers written with a decimal comma (`36,4`), as European exports write them (with `;` as the
 * delimiter, since the comma is taken): detected from the file's own cells in the numeric columns
 * of the contract, said in the reader account, and read by the plan's number characters
 * (contract `NumberChars`, the same a Table Schema's `decimalChar` gives), so `36,4` is checked
 * as 36.4 rather than failing "must be a number".
 *
 * Detection looks at the head of the file only ({@link DECIMAL_SNIFF_ROWS} rows): a column is
 * read with a decimal comma when some of its cells there are numbers with one and none is a
 * number with a decimal point. Nothing is detected in a comma-delimited file (a decimal comma
 * there would have to be quoted, which such exports avoid) or under a contract that states how
 * some columns write their numbers (its other columns are then plain). It is never silent: the account line names the columns, the rows
 * looked at and how to overrule it (`decimalMark`: `.` never reads a comma, `,` always does).
 *
 * Constraint: the account names columns, never a cell's value.
 */
import type { ColumnPlan, ValidationPlan } from '../contract/index.ts';
import type { AccountBuilder } from '../readerAccount/index.ts';

/** The decimal mark a person chose for a file: `.` or `,`; undefined: detected from the file. */
export type DecimalMark = '.' | ',';

/** Data rows of the head looked at to detect a decimal comma. */
export const DECIMAL_SNIFF_ROWS = 500;

/** A number with a decimal comma, optionally with `.` between groups of three: `36,4`, `1.234,5`. */
const COMMA_NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:\.\d{3})+),\d+$/;
/** A number with a decimal point: `36.4`, `.5` (a group-separated `1.234` counts too: it is ambiguous). */
const POINT_NUMBER = /^[+-]?\d*\.\d+(?:[eE][+-]?\d+)?$/;
/** A comma number whose integer part has `.` between groups of three. */
const GROUPED = /^[+-]?\d{1,3}(?:\.\d{3})+,/;

/** The columns of `plan` whose numbers may be read with another decimal mark (no chars of their own). */
function numericColumns(plan: ValidationPlan): ColumnPlan[] {
  return plan.columns.filter(
    (c) => (c.coerce === 'number' || c.coerce === 'number-or-boolean') && c.numberChars === undefined,
  );
}

/** What the head of a file says of its numbers' decimal mark. */
export interface DecimalCommaFinding {
  /** the columns read with a decimal comma, in header order */
  columns: string[];
  /** cells with a decimal comma seen in those columns in the head */
  cells: number;
  /** the first such cell: its 1-based column and data row */
  first?: { column: number; row: number };
  /** whether some of them had `.` between groups of thousands (`1.234,5`) */
  grouped: boolean;
}

/**
 * The numeric columns of `plan` the head's rows write with a decimal comma (`header` names the
 * rows' cells). A column with a number with a decimal point in the head is not one.
 */
export function detectDecimalComma(
  plan: ValidationPlan,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): DecimalCommaFinding {
  const finding: DecimalCommaFinding = { columns: [], cells: 0, grouped: false };
  for (const column of numericColumns(plan)) {
    const at = header.indexOf(column.column);
    if (at < 0) continue;
    let comma = 0;
    let point = 0;
    let grouped = false;
    let first: number | undefined;
    for (const [r, row] of rows.entries()) {
      const cell = (row[at] ?? '').trim();
      if (COMMA_NUMBER.test(cell)) {
        comma++;
        first ??= r + 1;
        if (GROUPED.test(cell)) grouped = true;
      } else if (POINT_NUMBER.test(cell)) point++;
    }
    if (comma === 0 || point > 0) continue;
    finding.columns.push(column.column);
    finding.cells += comma;
    finding.grouped ||= grouped;
    if (first !== undefined && (finding.first === undefined || first < finding.first.row))
      finding.first = { column: at + 1, row: first };
  }
  return finding;
}

/**
 * `plan` with the numbers of `columns` read with a decimal comma; with `grouped`, `.` between
 * groups of thousands is removed too. Only when the file shows such groups: a group mark is removed
 * wherever it stands, so `1.5` would read as 15 rather than fail as a number of the column.
 */
export function withDecimalComma(
  plan: ValidationPlan,
  columns: readonly string[],
  grouped = false,
): ValidationPlan {
  const chosen = new Set(columns);
  const numberChars = grouped ? { decimal: ',', group: '.' } : { decimal: ',' };
  return {
    ...plan,
    columns: plan.columns.map((c) =>
      chosen.has(c.column) && c.numberChars === undefined ? { ...c, numberChars } : c,
    ),
  };
}

/** Names a column list for the account: `weight_kg, temp_c` (the caller escapes for its medium). */
function columnList(columns: readonly string[]): string {
  return columns.length === 1 ? `column ${columns[0]}` : `columns ${columns.join(', ')}`;
}

/**
 * The plan a run checks `header`'s rows with, given the decimal mark chosen (`mark`) or detected
 * from `rows` (the head of the file): numbers with a decimal comma read as numbers, said in
 * `account` as a `type` read by a choice (`decimal comma`). `delimiter` is the file's, named as
 * the usual sign of such exports.
 */
export function planWithDecimalMark(
  plan: ValidationPlan,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  mark: DecimalMark | undefined,
  delimiter: string,
  account: AccountBuilder,
): ValidationPlan {
  if (mark === '.') return plan;
  if (mark === ',') {
    const columns = numericColumns(plan)
      .map((c) => c.column)
      .filter((c) => header.includes(c));
    if (columns.length === 0) return plan;
    account.interpreted(
      'type',
      'decimal comma',
      `numbers in ${columnList(columns)} are read with a decimal comma (36,4 as 36.4), as chosen for this file; a number with a decimal point there is an error`,
      undefined,
      columns.length,
    );
    return withDecimalComma(plan, columns);
  }
  // a contract that says how some columns write their numbers (a Table Schema's decimalChar) speaks
  // for the file: the others are plain; a comma-delimited file quotes a decimal comma, which
  // exports that use one avoid: neither is guessed
  if (delimiter === ',' || plan.columns.some((c) => c.numberChars !== undefined)) return plan;
  const found = detectDecimalComma(plan, header, rows);
  if (found.columns.length === 0) return plan;
  const hint = delimiter === ';' ? ' (the file\'s delimiter is ";", as such exports use)' : '';
  account.interpreted(
    'type',
    'decimal comma',
    `numbers in ${columnList(found.columns)} are read with a decimal comma (36,4 as 36.4${found.grouped ? '; 1.234,5 as 1234.5' : ''}): ${found.cells} of their cells in the first ${Math.min(rows.length, DECIMAL_SNIFF_ROWS)} rows are written so${hint}, none with a decimal point; a number with a point in these columns is then an error. If that is wrong, choose "." as the decimal mark for this file`,
    found.first === undefined ? undefined : { column: found.first.column, row: found.first.row },
    found.cells,
  );
  return withDecimalComma(plan, found.columns, found.grouped);
}
