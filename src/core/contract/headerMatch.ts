/**
 * Compares a file's header with the columns a contract (or a saved check set) expects, once,
 * before any row is read: a header that does not fit gives one list of what differs instead of the
 * same problem on every row. The rule ids are Frictionless's (`missing-label`, `extra-label`,
 * `blank-label`, `duplicate-label`, `incorrect-label`), so a data team reads the same words as in
 * their other tools.
 *
 * - `missing-label`: a contract column the header lacks. An error when the contract requires it
 *   (every row would fail), a warning when it is optional (its rows simply have no value).
 * - `extra-label`: a header column the contract does not have. An error when the contract refuses
 *   other columns (`additionalProperties: false`), else a warning.
 * - `blank-label`, `duplicate-label`: a header column without a name, or with the name of an
 *   earlier one: errors (the cells cannot be told apart).
 * - `incorrect-label` of kind `renamed`: a missing column and an extra one whose names look alike
 *   ("Patient ID" for `patient_id`, "frist_name" for `first_name`), told as one problem. An
 *   error: the contract's checks of that column would not find it.
 * - `incorrect-label` of kind `moved`: a column at another place than in the contract. A warning:
 *   rows are checked by column name, so the order changes no result.
 *
 * Pure: strings in, a plain object out.
 */
import type { Report, ReportIssue } from '../../formats/report.ts';

/** The rule ids of header problems (Frictionless's names). */
export type HeaderRule =
  | 'missing-label'
  | 'extra-label'
  | 'blank-label'
  | 'duplicate-label'
  | 'incorrect-label';

/** One way in which a header differs from the expected columns. */
export interface HeaderProblem {
  rule: HeaderRule;
  severity: 'error' | 'warning';
  /** the expected column (missing, renamed or moved) */
  field?: string;
  /** the file's column name as written ('' for a blank one) */
  label?: string;
  /** 1-based place of `label` in the file's header */
  position?: number;
  /** for `incorrect-label`: a column that looks renamed, or one at another place */
  kind?: 'renamed' | 'moved';
}

/** What the contract expects of the header. */
export interface ExpectedHeader {
  /** the columns, in the contract's order */
  columns: readonly string[];
  /** columns every row must have (a missing one is an error) */
  required?: readonly string[];
  /** true: columns the contract does not name are allowed (an extra one is a warning) */
  extraAllowed?: boolean;
}

/** The comparison of a header with what was expected. */
export interface HeaderComparison {
  /** the same names in the same order */
  exact: boolean;
  /** no problem is an error: rows can be checked as the contract means */
  fits: boolean;
  problems: HeaderProblem[];
  /** how alike the two are, from 0 (nothing shared) to 1 (exact): for choosing the closest contract */
  score: number;
}

/** The columns a row contract (a JSON Schema of one row) expects, with what it requires and allows. */
export function expectedHeaderOf(schema: Record<string, unknown>): ExpectedHeader {
  const properties = schema.properties;
  const columns =
    typeof properties === 'object' && properties !== null && !Array.isArray(properties)
      ? Object.keys(properties)
      : [];
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === 'string')
    : [];
  return { columns, required, extraAllowed: schema.additionalProperties !== false };
}

/** "Patient ID", "patient_id" and "PatientId" all become "patientid". */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Levenshtein distance, bounded: stops at `limit + 1`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/** True when `label` looks like a renamed `field`: the same letters and digits, or a typo away. */
export function looksRenamed(field: string, label: string): boolean {
  const a = normalise(field);
  const b = normalise(label);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  // a typo: one edit per four characters of the shorter name (two in "first_name")
  const limit = Math.floor(Math.min(a.length, b.length) / 4);
  return limit > 0 && distance(a, b, limit) <= limit;
}

/** The longest common subsequence of two lists of distinct names (the columns that kept their order). */
function keptInOrder(a: readonly string[], b: readonly string[]): Set<string> {
  const table: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = table[i] as number[];
      row[j] =
        a[i] === b[j]
          ? ((table[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((table[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      kept.add(a[i] as string);
      i++;
      j++;
    } else if (((table[i + 1] as number[])[j] as number) >= ((table[i] as number[])[j + 1] as number)) i++;
    else j++;
  }
  return kept;
}

/**
 * Compares `header` (the file's first row) with `expected`. Problems come in header order, then
 * the missing columns in the contract's order.
 */
export function compareHeader(expected: ExpectedHeader, header: readonly string[]): HeaderComparison {
  const columns = expected.columns;
  const required = new Set(expected.required ?? []);
  const known = new Set(columns);
  const problems: HeaderProblem[] = [];
  const seen = new Set<string>();
  /** header columns that are names of their own: not blank, not a repeat */
  const named: { label: string; position: number }[] = [];
  header.forEach((label, index) => {
    const position = index + 1;
    if (label.trim() === '') {
      problems.push({ rule: 'blank-label', severity: 'error', label, position });
      return;
    }
    if (seen.has(label)) {
      problems.push({ rule: 'duplicate-label', severity: 'error', label, position });
      return;
    }
    seen.add(label);
    named.push({ label, position });
  });
  const extras = named.filter((n) => !known.has(n.label));
  const missing = columns.filter((c) => !seen.has(c));
  // a missing column and an extra one that look alike are one renamed column
  const renamedFrom = new Map<string, { label: string; position: number }>();
  const renamedLabels = new Set<string>();
  for (const field of missing) {
    const match = extras.find((e) => !renamedLabels.has(e.label) && looksRenamed(field, e.label));
    if (!match) continue;
    renamedFrom.set(field, match);
    renamedLabels.add(match.label);
  }
  for (const extra of extras) {
    if (renamedLabels.has(extra.label)) continue;
    problems.push({
      rule: 'extra-label',
      severity: expected.extraAllowed ? 'warning' : 'error',
      label: extra.label,
      position: extra.position,
    });
  }
  for (const [field, from] of renamedFrom)
    problems.push({
      rule: 'incorrect-label',
      kind: 'renamed',
      severity: 'error',
      field,
      label: from.label,
      position: from.position,
    });
  const common = named.filter((n) => known.has(n.label)).map((n) => n.label);
  const inContractOrder = columns.filter((c) => seen.has(c));
  const kept = keptInOrder(inContractOrder, common);
  for (const n of named)
    if (known.has(n.label) && !kept.has(n.label))
      problems.push({
        rule: 'incorrect-label',
        kind: 'moved',
        severity: 'warning',
        field: n.label,
        label: n.label,
        position: n.position,
      });
  for (const field of missing) {
    if (renamedFrom.has(field)) continue;
    problems.push({ rule: 'missing-label', severity: required.has(field) ? 'error' : 'warning', field });
  }
  // in header order; the missing columns (no place in the header) last, in the contract's order
  problems.sort(
    (a, b) => (a.position ?? Number.POSITIVE_INFINITY) - (b.position ?? Number.POSITIVE_INFINITY),
  );
  const exact = header.length === columns.length && header.every((label, i) => label === columns[i]);
  const union = new Set([...columns, ...header.filter((h) => h.trim() !== '')]).size;
  const score = exact ? 1 : union === 0 ? 0 : (common.length + renamedFrom.size / 2) / union;
  return { exact, fits: problems.every((p) => p.severity !== 'error'), problems, score };
}

/** A choice for a header: a contract or a saved check set, with the columns it expects. */
interface HeaderCandidate<T> {
  value: T;
  expected: ExpectedHeader;
}

/** Below this score a header is not taken to be any candidate's. */
const MIN_HEADER_SCORE = 0.5;

/**
 * The candidate whose columns fit `header` best: an exact one first, else the highest score of at
 * least {@link MIN_HEADER_SCORE} (the first of equals), else none.
 */
export function closestHeader<T>(
  header: readonly string[],
  candidates: readonly HeaderCandidate<T>[],
): { value: T; comparison: HeaderComparison } | undefined {
  let best: { value: T; comparison: HeaderComparison } | undefined;
  for (const candidate of candidates) {
    const comparison = compareHeader(candidate.expected, header);
    if (comparison.exact) return { value: candidate.value, comparison };
    if (comparison.score >= MIN_HEADER_SCORE && (!best || comparison.score > best.comparison.score))
      best = { value: candidate.value, comparison };
  }
  return best;
}

/** One problem in words for clinic staff ("column 3 "Patient ID" looks like "patient_id" renamed"). */
export function describeHeaderProblem(problem: HeaderProblem): string {
  const at = problem.position === undefined ? '' : `column ${problem.position} `;
  switch (problem.rule) {
    case 'missing-label':
      return `"${problem.field}" is missing${problem.severity === 'error' ? ' (every row needs it)' : ' (optional)'}`;
    case 'extra-label':
      return `${at}"${problem.label}" is not in the contract`;
    case 'blank-label':
      return `${at}has no name`;
    case 'duplicate-label':
      return `${at}"${problem.label}" repeats an earlier column's name`;
    case 'incorrect-label':
      return problem.kind === 'renamed'
        ? `${at}"${problem.label}" looks like "${problem.field}" renamed`
        : `${at}"${problem.label}" is at another place than in the contract (rows are checked by name)`;
  }
}

/** The one message for a header that does not fit: how many problems, and each in words. */
export function headerMessage(comparison: HeaderComparison): string {
  const errors = comparison.problems.filter((p) => p.severity === 'error').length;
  const lead = comparison.fits
    ? 'The columns differ from the contract, but every row can still be checked'
    : `The columns do not match the contract (${errors} ${errors === 1 ? 'problem' : 'problems'})`;
  return `${lead}: ${comparison.problems.map(describeHeaderProblem).join('; ')}.`;
}

/** Header rules the file's structure check reports already (`csv.blank-label`, `csv.duplicate-label`). */
const STRUCTURE_RULES: ReadonlySet<HeaderRule> = new Set(['blank-label', 'duplicate-label']);

/** A file's header differences with its contract, for a report. */
interface HeaderFinding {
  /** the input's name in the report */
  input: string;
  comparison: HeaderComparison;
  /** false: its rows were not checked against the contract (absent: they were) */
  rowsChecked?: boolean;
}

/**
 * `report` with each header difference as an issue of its own (count 1, at the column), errors
 * first as reports list them, the header's before the rows' of the same severity; the summary
 * counts them. Blank and repeated names are left to the structure check, which reports them.
 *
 * A file whose rows were not checked against its contract (`rowsChecked: false`) has no valid
 * record: those with no structure problem are `unchecked`, in the input and the summary — never
 * counted valid, since nothing checked their cells.
 */
export function withHeaderIssues(report: Report, findings: readonly HeaderFinding[]): Report {
  return withIssuesOfHeaders(withUncheckedRows(report, findings), findings);
}

/** `report` with the records of each file whose rows were not checked moved from valid to unchecked. */
function withUncheckedRows(report: Report, findings: readonly HeaderFinding[]): Report {
  const skipped = new Set(findings.filter((f) => f.rowsChecked === false).map((f) => f.input));
  if (skipped.size === 0) return report;
  let moved = 0;
  const inputs = report.inputs.map((input) => {
    if (!skipped.has(input.name) || input.valid === undefined || input.valid === 0) return input;
    moved += input.valid;
    return { ...input, valid: 0, unchecked: (input.unchecked ?? 0) + input.valid };
  });
  if (moved === 0) return report;
  const { summary } = report;
  return {
    ...report,
    inputs,
    summary: { ...summary, valid: summary.valid - moved, unchecked: (summary.unchecked ?? 0) + moved },
  };
}

function withIssuesOfHeaders(report: Report, findings: readonly HeaderFinding[]): Report {
  const issues: ReportIssue[] = findings.flatMap(({ input, comparison }) =>
    comparison.problems
      .filter((p) => !STRUCTURE_RULES.has(p.rule))
      .map((p) => {
        const column = p.field ?? p.label ?? '';
        return {
          rule: p.rule,
          severity: p.severity,
          location: column,
          message: describeHeaderProblem(p),
          count: 1,
          examples: [{ input, ...(column ? { column } : {}) }],
        };
      }),
  );
  if (issues.length === 0) return report;
  const rank = { fatal: 0, error: 1, warning: 2, information: 3 } as const;
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.filter((i) => i.severity === 'warning').length;
  return {
    ...report,
    summary: {
      ...report.summary,
      errors: report.summary.errors + errors,
      warnings: report.summary.warnings + warnings,
    },
    issues: [...issues, ...report.issues].sort((a, b) => rank[a.severity] - rank[b.severity]),
  };
}
