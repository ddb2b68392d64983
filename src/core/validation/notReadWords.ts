/**
 * An input's layout and its reader account in words, the same in the CLI's summary, the browser's
 * run report and the printed report: a Parquet file is named as one (not by the encoding,
 * delimiter and line ending of the text made of it), choices the reader made are said in full,
 * and columns not checked are listed together.
 *
 * Constraint: names come from the file; the caller escapes them for its medium (terminal, HTML).
 */
import type { ReportAccountLine, ReportInput } from '../../formats/report.ts';
import { whereWords } from '../readerAccount/index.ts';

/** Column names listed in one line at most; the rest are counted. */
const NAMES_LISTED = 12;

/** How an input was read: `Parquet`, or `utf-8, ";", CRLF`. */
export function inputLayoutWords(input: ReportInput): string {
  if (input.fileFormat === 'parquet') return 'Parquet';
  const delimiter = input.delimiter === '\t' ? 'tab' : input.delimiter;
  return `${input.encoding}, "${delimiter}", ${input.lineEnding}`;
}

/** One line of words per account line, the columns not checked gathered into one. */
export function notReadWords(lines: readonly ReportAccountLine[]): string[] {
  const out: string[] = [];
  const unchecked = lines.filter((l) => l.handling === 'not-used' && l.kind === 'column');
  for (const line of lines) {
    if (line.handling === 'not-used' && line.kind === 'column') continue;
    const where = whereWords(line.where);
    const head = line.handling === 'interpreted' ? 'Read by a choice' : 'Not read';
    out.push(`${head}: ${line.kind} ${line.name}${where ? ` (first at ${where})` : ''}: ${line.effect}`);
  }
  if (unchecked.length > 0) {
    const names = unchecked.slice(0, NAMES_LISTED).map((l) => l.name);
    const more = unchecked.length - names.length;
    out.push(
      `Not checked: ${unchecked.length === 1 ? '1 column' : `${unchecked.length} columns`} the contract does not name (${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}): their values pass unseen`,
    );
  }
  return out;
}
