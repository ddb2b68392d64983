/**
 * Reconcile's result as a list a data team works through: one line per patient and problem
 * (missing on the server, only on the server, a field that differs, an identifier repeated), in
 * the extract's row order, with the counts, and its CSV and JSON exports.
 *
 * Lines carry the identifier, the extract's row and the server's resource id, and for a field
 * that differs the two values when the result kept them (reconcile's `values`); the exports leave
 * the values out when asked (`hideValues`) and then say so. CSV cells are neutralised against
 * formula injection (a spreadsheet would run an identifier or a name starting with `=`). The JSON
 * export is the format `preflight.reconcile-list/v1` (src/formats/reconcileList.ts).
 */
import { csvField } from '../core/csv/index.ts';
import {
  RECONCILE_LIST_FORMAT,
  RECONCILE_PROBLEMS,
  type ReconcileExport,
  type ReconcileLine,
  type ReconcileProblem,
} from '../formats/reconcileList.ts';
import { type CountWithExamples, FIELD_LABELS, type ReconcileResult } from './reconcile.ts';

export type { ReconcileProblem };
export { RECONCILE_PROBLEMS };

/** A compared value for people: a name key "family|given given" as "family, given". */
export function valueWords(problem: ReconcileProblem, value: string): string {
  if (problem !== 'name-differs') return value;
  const [family = '', given = ''] = value.split('|');
  return family && given ? `${family}, ${given}` : family || given;
}

const capital = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** Words for each problem, for people (screen and CSV). */
export const PROBLEM_WORDS: Record<ReconcileProblem, string> = {
  'missing-on-server': 'Missing on the server',
  'extra-on-server': 'On the server but not in the file',
  'name-differs': `${capital(FIELD_LABELS.name)} differs`,
  'birthDate-differs': `${capital(FIELD_LABELS.birthDate)} differs`,
  'gender-differs': `${capital(FIELD_LABELS.gender)} differs`,
  'repeated-in-file': 'Identifier repeated in the file (later rows not matched)',
  'repeated-on-server': 'Identifier repeated on the server (later records not matched)',
};

/** The tally of each problem in a result. */
export function problemTallies(result: ReconcileResult): Record<ReconcileProblem, CountWithExamples> {
  return {
    'missing-on-server': result.missingOnServer,
    'extra-on-server': result.extraOnServer,
    'name-differs': result.mismatches.name,
    'birthDate-differs': result.mismatches.birthDate,
    'gender-differs': result.mismatches.gender,
    'repeated-in-file': result.extract.duplicates,
    'repeated-on-server': result.server.duplicates,
  };
}

/**
 * Every line of a result made with examples unlimited, in the extract's row order (patients only on
 * the server last, by identifier), then by problem.
 *
 * @throws {Error} when the result holds fewer examples than its counts (made with a limit): a list
 *   that silently left patients out would mislead
 */
export function reconcileLines(result: ReconcileResult): ReconcileLine[] {
  const lines: ReconcileLine[] = [];
  const tallies = problemTallies(result);
  for (const problem of RECONCILE_PROBLEMS) {
    const tally = tallies[problem];
    if (tally.examples.length < tally.count) {
      throw new Error(`the reconcile result lists ${tally.examples.length} of ${tally.count} for ${problem}`);
    }
    for (const { values, ...e } of tally.examples) {
      const line: ReconcileLine = { problem, ...e };
      if (values?.file !== undefined) line.file = valueWords(problem, values.file);
      if (values?.server !== undefined) line.server = valueWords(problem, values.server);
      lines.push(line);
    }
  }
  const order = new Map(RECONCILE_PROBLEMS.map((p, i) => [p, i]));
  return lines.sort(
    (a, b) =>
      (a.row ?? Number.POSITIVE_INFINITY) - (b.row ?? Number.POSITIVE_INFINITY) ||
      (a.row === undefined ? a.identifier.localeCompare(b.identifier) : 0) ||
      (order.get(a.problem) ?? 0) - (order.get(b.problem) ?? 0),
  );
}

/** Lines with `problem` (all when undefined) whose identifier contains `search` (case-insensitive). */
export function filterLines(
  lines: readonly ReconcileLine[],
  problem: ReconcileProblem | undefined,
  search: string,
): ReconcileLine[] {
  const needle = search.trim().toLowerCase();
  return lines.filter(
    (l) =>
      (problem === undefined || l.problem === problem) &&
      (needle === '' || l.identifier.toLowerCase().includes(needle)),
  );
}

/** The CSV columns, in order. */
const RECONCILE_CSV_HEADER = [
  'problem',
  'description',
  'identifier',
  'file_row',
  'server_id',
  'file_value',
  'server_value',
] as const;

/** Options of the exports. */
interface ReconcileExportOptions {
  /** leave every differing value out (the identifier, row and record id stay) */
  hideValues?: boolean;
}

/** The lines as CSV (RFC 4180, CRLF), formula-injection safe. */
export function reconcileCsv(lines: readonly ReconcileLine[], options: ReconcileExportOptions = {}): string {
  const rows = [RECONCILE_CSV_HEADER.join(',')];
  for (const l of lines) {
    const values = options.hideValues ? [undefined, undefined] : [l.file, l.server];
    rows.push(
      [l.problem, PROBLEM_WORDS[l.problem], l.identifier, l.row, l.id, ...values]
        .map((v) => csvField(v))
        .join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** The JSON export of a result (see {@link ReconcileExport}). */
export function reconcileExport(
  result: ReconcileResult,
  about: { generatedAt: string; server: string; file: string },
  options: ReconcileExportOptions = {},
): ReconcileExport {
  const tallies = problemTallies(result);
  return {
    format: RECONCILE_LIST_FORMAT,
    ...about,
    identifierSystem: result.identifierSystem,
    extractRecords: result.extract.records,
    serverRecords: result.server.records,
    matched: result.matched,
    counts: Object.fromEntries(RECONCILE_PROBLEMS.map((p) => [p, tallies[p].count])) as Record<
      ReconcileProblem,
      number
    >,
    valuesHidden: options.hideValues === true,
    lines: options.hideValues
      ? reconcileLines(result).map(({ file: _file, server: _server, ...line }) => line)
      : reconcileLines(result),
  };
}
