/**
 * External CSV validation suites as data, run by the core test and the CLI test:
 * csv-spectrum (parsing), frictionless-py (structure and schema errors, expected.json) and the
 * runnable csvlint scenarios. Their files are in tests/fixtures/external/ (never in src/); a case
 * whose file is missing throws when the table is built, so no case is silently dropped.
 *
 * Row numbers: the suites count physical lines with the header as row 1; Preflight counts data
 * rows from 1 and gives empty lines no number (an empty line is reported with the row after it).
 * {@link physicalRows} translates Preflight's rows to the suites' so the expectations are compared
 * unchanged.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Report } from '../../src/formats/report.ts';
import { externalFixture } from '../fixtures/external.ts';

/** One case: a file, how to read it, and what must come out. */
export interface FixtureCase {
  suite: 'csv-spectrum' | 'frictionless-py' | 'csvlint-rb';
  name: string;
  /** absolute path of the CSV */
  file: string;
  /** why the case is skipped (known upstream defect, or a check Preflight does not have) */
  skip?: string;
  encoding?: 'utf-8';
  header?: boolean;
  /** Table Schema (frictionless) path or inline object */
  tableSchema?: string | Record<string, unknown>;
  /** duplicate whole rows are checked */
  duplicateRows?: boolean;
  /** only the first n errors, ordered by row then field (frictionless limitErrors) */
  limitErrors?: number;
  /** only row errors of the schema (frictionless pickErrors ["#row"]) */
  rowErrorsOnly?: boolean;
  /** the records as objects (csv-spectrum) */
  records?: Record<string, string>[];
  /** expected findings: [physical row | null, field number | null, suite's error type] */
  expect?: [number | null, number | null, string][];
  /** the run must fail with this kind of unreadable input */
  expectError?: 'encoding-error';
  /**
   * an empty file (the suite's "source-error"): Preflight reads it and warns, `csv.empty-file`
   * ("empty file: no header, no rows"), rather than refusing it
   */
  expectEmptyFile?: true;
  /** csvlint: a finding of this type at this row must be reported */
  expectType?: string;
  expectRow?: number | null;
}

const spectrumFile = (...segments: string[]) => externalFixture('csv-spectrum', ...segments);
const frictionlessFile = (...segments: string[]) => externalFixture('frictionless-py', ...segments);
const csvlintFile = (...segments: string[]) => externalFixture('csvlint-rb', ...segments);

function spectrumCases(): FixtureCase[] {
  const names = [
    'comma_in_quotes',
    'empty',
    'empty_crlf',
    'escaped_quotes',
    'json',
    'location_coordinates',
    'newlines',
    'newlines_crlf',
    'quotes_and_newlines',
    'simple',
    'simple_crlf',
    'utf8',
  ];
  return names.map((name) => {
    const c: FixtureCase = {
      suite: 'csv-spectrum',
      name,
      file: spectrumFile('csvs', `${name}.csv`),
      records: JSON.parse(readFileSync(spectrumFile('json', `${name}.json`), 'utf8')) as Record<
        string,
        string
      >[],
    };
    if (name === 'location_coordinates') {
      c.skip =
        'upstream defect (csv-spectrum NOTICE): its JSON is a single object, not an array, and its "Contact Phone Number" differs from the CSV';
    }
    return c;
  });
}

interface FrictionlessCase {
  id: string;
  file: string;
  options?: {
    encoding?: string;
    header?: boolean;
    checks?: string[];
    limitErrors?: number;
    pickErrors?: string[];
  };
  schema?: string;
  schemaInline?: Record<string, unknown>;
  expect?: [number | null, number | null, string][];
  expectTypes?: string[];
}

function frictionlessCases(): FixtureCase[] {
  const expected = JSON.parse(readFileSync(frictionlessFile('expected.json'), 'utf8')) as {
    cases: FrictionlessCase[];
  };
  return expected.cases.map((f) => {
    const c: FixtureCase = { suite: 'frictionless-py', name: f.id, file: frictionlessFile(f.file) };
    if (f.options?.encoding === 'utf-8') c.encoding = 'utf-8';
    if (f.options?.header === false) c.header = false;
    if (f.options?.limitErrors) c.limitErrors = f.options.limitErrors;
    if (f.options?.pickErrors?.includes('#row')) c.rowErrorsOnly = true;
    if (f.options?.checks?.includes('duplicate-row')) c.duplicateRows = true;
    if (f.schema) c.tableSchema = frictionlessFile(f.schema);
    if (f.schemaInline) c.tableSchema = f.schemaInline;
    if (f.expect) c.expect = f.expect;
    const types = f.expectTypes ?? [];
    if (types.includes('source-error')) c.expectEmptyFile = true;
    if (types.includes('encoding-error')) c.expectError = 'encoding-error';
    if (f.options?.checks?.includes('ascii-value')) {
      c.skip =
        'frictionless\'s optional "ascii-value" check: non-ASCII text (José, Zoë) is valid clinic data, so Preflight has no such rule';
    }
    return c;
  });
}

interface CsvlintScenario {
  name: string;
  csv: string | null;
  expectedType: string | null;
  expectedRow: number | null;
  needsHttpOrFile: boolean;
}

/** csvlint scenarios that need a file rather than inline text, run against the fixture files. */
const CSVLINT_FILES: Record<string, { file: string; encoding?: 'utf-8' }> = {
  'Report invalid Encoding': { file: 'invalid-byte-sequence.csv', encoding: 'utf-8' },
  'inconsistent line endings in file cause an error': { file: 'inconsistent-line-endings.csv' },
  'inconsistent line endings with unquoted fields in file cause an error': {
    file: 'inconsistent-line-endings-unquoted.csv',
  },
};

const CSVLINT_SKIPS: Record<string, string> = {
  'Successfully report a CSV with multiple trailing empty rows':
    'the extracted inline CSV lost the trailing empty rows the scenario is about (it has none left to report)',
  'Incorrect extension': 'about the HTTP Content-Type of a URL; Preflight reads files, not URLs',
  'Correctly handle different encodings': 'an HTTP charset scenario without an expected error',
  'Report invalid file': 'an HTTP scenario (a file served as something that is not CSV)',
  'Handles urls that 404': 'an HTTP scenario',
  'Incorrect line endings specified in settings':
    'about a CSVW dialect setting, which Preflight does not read',
};

function csvlintCases(): FixtureCase[] {
  const scenarios = JSON.parse(readFileSync(csvlintFile('validation-errors.json'), 'utf8')) as {
    cases: CsvlintScenario[];
  };
  const cases: FixtureCase[] = scenarios.cases.map((s) => {
    const byFile = CSVLINT_FILES[s.name];
    const c: FixtureCase = {
      suite: 'csvlint-rb',
      name: s.name,
      file: byFile ? csvlintFile('fixtures', byFile.file) : `inline:${s.csv ?? ''}`,
      expectType: s.expectedType ?? '',
      expectRow: s.expectedRow,
    };
    if (byFile?.encoding) c.encoding = byFile.encoding;
    if (s.expectedType === 'invalid_encoding') c.expectError = 'encoding-error';
    if (!byFile && (s.needsHttpOrFile || s.csv === null)) c.skip = CSVLINT_SKIPS[s.name] ?? 'needs HTTP';
    if (CSVLINT_SKIPS[s.name] && !byFile) c.skip = CSVLINT_SKIPS[s.name];
    return c;
  });
  // the line-ending fixture files without a scenario: each is a clean file in its own line ending
  for (const file of ['cr-line-endings.csv', 'crlf-line-endings.csv', 'lf-line-endings.csv']) {
    cases.push({
      suite: 'csvlint-rb',
      name: `clean file: ${file}`,
      file: csvlintFile('fixtures', file),
      expect: [],
    });
  }
  return cases;
}

/** Every case of the three suites. */
export const FIXTURE_CASES: readonly FixtureCase[] = [
  ...spectrumCases(),
  ...frictionlessCases(),
  ...csvlintCases(),
];

/** The bytes of a case's CSV (inline csvlint text or the fixture file). */
export function caseBytes(c: FixtureCase): Uint8Array {
  if (c.file.startsWith('inline:')) return new TextEncoder().encode(c.file.slice('inline:'.length));
  return new Uint8Array(readFileSync(c.file));
}

/** Our rule → the suites' error type. */
const FRICTIONLESS_TYPES: Record<string, string> = {
  'csv.blank-label': 'blank-label',
  'csv.duplicate-label': 'duplicate-label',
  'csv.missing-cell': 'missing-cell',
  'csv.extra-cell': 'extra-cell',
  'csv.blank-row': 'blank-row',
  'csv.blank-line': 'blank-row',
  'contract.type': 'type-error',
  'crossfile.orphan-reference': 'foreign-key',
};

const CSVLINT_TYPES: Record<string, string> = {
  'csv.missing-cell': 'ragged_rows',
  'csv.extra-cell': 'ragged_rows',
  'csv.unterminated-quote': 'unclosed_quote',
  'csv.malformed-quotes': 'unclosed_quote',
  'csv.space-before-quote': 'whitespace',
  'csv.blank-row': 'blank_rows',
  'csv.blank-line': 'blank_rows',
  'csv.mixed-line-endings': 'line_breaks',
};

/**
 * Physical row (header = 1 when there is one) of each data row, and of the empty lines before
 * each data row, from papaparse's parse of the whole text with empty lines kept.
 */
export function physicalRows(text: string, header: boolean, newline: string) {
  const records = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { newline: newline as '\n' }).data;
  const dataRows: number[] = [0];
  const blanksBefore = new Map<number, number[]>();
  let pendingBlanks: number[] = [];
  let seenHeader = !header;
  records.forEach((fields, i) => {
    const physical = i + 1;
    if (fields.length === 1 && fields[0] === '') {
      if (seenHeader) pendingBlanks.push(physical);
      return;
    }
    if (!seenHeader) {
      seenHeader = true;
      return;
    }
    dataRows.push(physical);
    blanksBefore.set(dataRows.length - 1, pendingBlanks);
    pendingBlanks = [];
  });
  return { dataRows, blanksBefore };
}

/** The findings of a report as [physical row | null, field | null, type] in the suite's vocabulary. */
export function findings(c: FixtureCase, report: Report, text: string, header: readonly string[]) {
  const input = report.inputs[0];
  const newline = input?.lineEnding === 'CRLF' ? '\r\n' : input?.lineEnding === 'CR' ? '\r' : '\n';
  const { dataRows, blanksBefore } = physicalRows(text, c.header !== false, newline);
  const csvlint = c.suite === 'csvlint-rb';
  const out: [number | null, number | null, string][] = [];
  const fieldOf = (location: string) => {
    const numbered = /^column (\d+)$/.exec(location);
    if (numbered) return Number(numbered[1]);
    const index = header.indexOf(location);
    return index < 0 ? null : index + 1;
  };
  for (const issue of report.issues) {
    let type = (csvlint ? CSVLINT_TYPES : FRICTIONLESS_TYPES)[issue.rule];
    if (!type && !csvlint && issue.rule.startsWith('contract.')) type = 'constraint-error';
    if (!type) type = issue.rule;
    const usedBlanks = new Map<number, number>();
    for (const example of issue.examples) {
      let row: number | null = null;
      if (example.row !== undefined) {
        if (issue.rule === 'csv.blank-line') {
          const k = usedBlanks.get(example.row) ?? 0;
          usedBlanks.set(example.row, k + 1);
          row = blanksBefore.get(example.row)?.[k] ?? null;
        } else row = dataRows[example.row] ?? null;
      }
      const rowLevel = issue.location === '' || issue.rule === 'csv.blank-row';
      out.push([row, rowLevel ? null : fieldOf(issue.location), type]);
    }
  }
  for (const duplicate of report.crossFile.duplicateKeys) {
    for (const row of duplicate.rows.slice(1)) {
      const physical = dataRows[row] ?? null;
      if (duplicate.column === '*') out.push([physical, null, 'duplicate-row']);
      else {
        out.push([physical, fieldOf(duplicate.column ?? ''), 'unique-error']);
        out.push([physical, null, 'primary-key']);
      }
    }
  }
  for (const orphan of report.crossFile.orphanReferences) {
    for (const e of orphan.examples) out.push([dataRows[e.row ?? 0] ?? null, null, 'foreign-key']);
  }
  const order = (a: [number | null, number | null, string], b: [number | null, number | null, string]) =>
    (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
  let sorted = out.sort(order);
  if (c.rowErrorsOnly) sorted = sorted.filter(([, , t]) => t === 'type-error' || t === 'constraint-error');
  if (c.limitErrors !== undefined) sorted = sorted.slice(0, c.limitErrors);
  return sorted;
}

/** How a case reads its Table Schema (a path or inline). */
export function caseTableSchema(c: FixtureCase): Record<string, unknown> | undefined {
  if (c.tableSchema === undefined) return undefined;
  return typeof c.tableSchema === 'string'
    ? (JSON.parse(readFileSync(c.tableSchema, 'utf8')) as Record<string, unknown>)
    : c.tableSchema;
}

/** The records of a report's input as objects, from re-read rows (csv-spectrum). */
export function asObjects(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): Record<string, string>[] {
  return rows.map((fields) => Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])));
}
