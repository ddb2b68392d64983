/**
 * Writing CSV cells for exports a spreadsheet opens: formula-injection safe (OWASP "CSV
 * injection"). A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
 * apostrophe, so a spreadsheet shows it as text. So that the value still round-trips, a cell that
 * already starts with an apostrophe gets one more: {@link restoreCsvCell} removes exactly one
 * leading apostrophe from any cell that has one, and gives the original back (property-tested).
 */

/** First characters a spreadsheet may read as the start of a formula (or that hide one). */
const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r']);
const APOSTROPHE = "'";

/** A cell as written to the CSV: neutralised against formula injection (see the file header). */
export function neutraliseCsvCell(value: string): string {
  const first = value.charAt(0);
  return FORMULA_STARTS.has(first) || first === APOSTROPHE ? `${APOSTROPHE}${value}` : value;
}

/** The original value of a cell written by {@link neutraliseCsvCell}. */
export function restoreCsvCell(cell: string): string {
  return cell.startsWith(APOSTROPHE) ? cell.slice(1) : cell;
}

/** One CSV field: neutralised, then quoted when it holds a delimiter, quote or line break. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseCsvCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
