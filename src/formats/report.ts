/**
 * `preflight.report/v1`: the result of a validation run, identical from the UI and the CLI.
 * Holds counts, grouped issues and a few examples — never a whole dataset.
 */

import { validateReport } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  pointer,
  problem,
} from './loading.ts';
import type { RowRange, Waiver } from './waivers.ts';

/**
 * Where a reader first saw a thing it accounts for: every part optional, each 1-based except
 * `byte` (the same shape as core readerAccount's `AccountWhere`).
 */
export interface ReportAccountWhere {
  file?: string;
  line?: number;
  column?: number;
  /** data row, the header being row 0 */
  row?: number;
  /** 0-based byte offset */
  byte?: number;
  elementId?: string;
}

/**
 * One line of a reader's account of an input (the same shape as core readerAccount's
 * `AccountLine`): what it saw and did not use, or used by a stated choice. Names, never values.
 */
export interface ReportAccountLine {
  kind: 'element' | 'attribute' | 'column' | 'type' | 'key' | 'entry';
  /** as the file writes it */
  name: string;
  handling: 'not-used' | 'interpreted';
  count: number;
  where?: ReportAccountWhere;
  /** what this does to the figures, in words for clinic staff */
  effect: string;
}

export const REPORT_FORMAT = 'preflight.report/v1';

/** OperationOutcome-compatible severities */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface ReportInput {
  name: string;
  kind: 'csv' | 'fhir-json' | 'ndjson' | 'fhir-server';
  /**
   * the file's own format when it is not delimited text: its rows were checked as the text the run
   * made of them, and it has no encoding, delimiter or line ending of its own (optional: added with
   * the reader account)
   */
  fileFormat?: 'parquet';
  bytes?: number;
  sha256?: string;
  encoding?: string;
  delimiter?: string;
  records: number;
  /** CSV quote character used */
  quote?: string;
  /** record terminator the file was read with */
  lineEnding?: 'CRLF' | 'LF' | 'CR';
  /** whether the first record was read as the header */
  header?: boolean;
  /** records of this input with no error */
  valid?: number;
  /** records of this input with at least one error */
  invalid?: number;
  /**
   * records of this input not checked against its contract (its header did not match it) and with
   * no structure problem: neither valid nor invalid; valid + invalid + unchecked = records
   * (optional: added with unchecked rows)
   */
  unchecked?: number;
  /** the column contract ($id or file name) this input was checked against */
  schema?: string;
  /**
   * what the contract asks that was not checked, in words (a Table Schema date layout Preflight
   * cannot read, a foreign key into a file not in the run…) (optional: added after v1's first release)
   */
  notChecked?: string[];
  /**
   * FHIR: codes whose binding was not checked (value set or code system not in the loaded
   * packages, or one only a terminology server holds), counted per code system (`''`: codes
   * without a system), most first (optional: added with unchecked-binding notes)
   */
  uncheckedCodes?: ReportUncheckedCodes[];
  /**
   * the id of the project's dataset (check set) this input was checked as, when the app knows it:
   * a rehearsal drop under another file name still counts for its dataset (optional: added with
   * readiness by dataset)
   */
  dataset?: string;
  /**
   * where reading stopped at a fatal problem of the whole file (a byte that is not text, or not in
   * its encoding): the bad byte's 0-based offset and 1-based line, and the data records complete
   * before it when known — read, but not checked or counted in `records` (optional: added with
   * fatal files)
   */
  stoppedAt?: { byte: number; line: number; records?: number };
  /**
   * the reader's account of this input: what it saw and did not use, or used by a stated choice,
   * in the order first seen (optional: added with the reader account)
   */
  notRead?: ReportAccountLine[];
}

export interface IssueExample {
  /** input name when the report covers several inputs */
  input?: string;
  /** 1-based data row (CSV) or resource index (NDJSON line / Bundle entry) */
  row?: number;
  column?: string;
  /**
   * exact FHIRPath-style location in a record mapped to a FHIR resource (`Patient.name[0].family`),
   * when `column` names the source column (optional: added with FHIR mapping targets)
   */
  path?: string;
  /**
   * the mapping field (its target as the mapping writes it, e.g. `name[0].family`) that produced
   * the element at `path`, or — with `unfilled` — that would have to; several joined by " + "
   * (optional: added with traced FHIR messages)
   */
  field?: string;
  /** that field's transform steps, in words (optional: added with traced FHIR messages) */
  transform?: string;
  /**
   * the element at `path` is absent from the mapped record: `empty` — `field` left it empty on this
   * row; `no-field` — no mapping field writes it (optional: added with traced FHIR messages)
   */
  unfilled?: 'empty' | 'no-field';
  /** byte offset in the file where the row's record starts (optional: added with traced FHIR messages) */
  byte?: number;
  /**
   * for an input read from several files (a partitioned Parquet folder): the file the row is in
   * (its path inside the folder) and its 1-based data row there; `row` is within the whole input
   * (optional: added with partitioned folders)
   */
  part?: { file: string; row: number };
  /** the offending value; omitted when the report was exported redacted */
  value?: string;
}

export interface ReportIssue {
  /** check id from the validation rule table */
  rule: string;
  severity: IssueSeverity;
  /** OperationOutcome issue type code, e.g. "required", "value", "invariant" */
  code?: string;
  /** FHIRPath-style location ("Patient.name[0].family") or a column name */
  location: string;
  message?: string;
  count: number;
  /**
   * records (rows, resources) with this issue, each counted once, when known: a share of the
   * records is of these, never of `count` (optional: added after v1's first release)
   */
  records?: number;
  /** the contract's own `title` of the column (optional: added after v1's first release) */
  title?: string;
  /** the contract's own `description` of the column (optional: added after v1's first release) */
  description?: string;
  examples: IssueExample[];
  /**
   * the id of the waiver (in {@link Report.waivers}) that accepts this problem: shown, but its
   * errors do not fail the run (optional: added with accepted issues)
   */
  acceptedBy?: string;
  /**
   * for each waiver limited to rows that the run knew of before reading the file: the occurrences
   * of this issue inside its rows and in no earlier entry's rows (each occurrence is counted once,
   * under the first), counted over every occurrence (optional: added with row counts per waiver);
   * `rows`, the rows counted: a count is used only while the waiver still has exactly these rows
   * (optional: added with the rows counted); `input`, the input the waiver named at the run, whose
   * occurrences alone were counted (optional: added with row waivers across files)
   */
  withinRows?: { waiver: string; count: number; rows?: RowRange[]; input?: string }[];
  /**
   * the input every occurrence of this issue lies in, when the report covers several inputs and the
   * run knows it: a part of a problem split by a waiver's rows may list no example (optional: added
   * with row waivers across files)
   */
  input?: string;
  /**
   * the waiver whose rows split this issue in two: the part inside them (with `acceptedBy`) and the
   * part outside, each with its own count and examples (optional: added with row counts per waiver)
   */
  splitBy?: string;
  /**
   * issues that follow from this one in the same records, folded under it as its root cause
   * rather than listed as problems of their own — a profile's slice not found because the only
   * candidate breaks the slice's profile here, a reference whose target breaks its target
   * profile — each with its own count (optional: added with root causes of FHIR profile issues)
   */
  derived?: ReportDerivedIssue[];
  /**
   * what depends on this failing issue's data, from the project's data dictionary: the workflow
   * steps that type or read a data item linked to its column, mapping field or FHIR element, most
   * cases per hour first (optional: added with the data dictionary)
   */
  usedBy?: ReportUsedBy[];
}

/** One workflow step that depends on a failing issue's data (`#/$defs/usedBy`). */
export interface ReportUsedBy {
  /** the data item as the step names it (its `enters`, or a data object's label) */
  item: string;
  /** id of the workflow */
  workflow: string;
  workflowName?: string;
  /** id of the step */
  step: string;
  stepLabel: string;
  /** id of the step's lane */
  lane: string;
  /** the lane's name: the role that does the step */
  role: string;
  /** cases an hour through the step at peak: arrivals per hour × expected visits per case */
  casesPerHour: number;
  /** the role's training from the project's training record, when recorded */
  trained?: { trained: number; staff: number };
}

/** An issue folded under the issue it follows from (`#/$defs/derivedIssue`). */
export interface ReportDerivedIssue {
  rule: string;
  severity: IssueSeverity;
  code?: string;
  /** location with array indices removed, as an issue's */
  location: string;
  message?: string;
  /** occurrences, each in a record where the root cause occurred too */
  count: number;
}

/** One waiver as it stood for a run (`#/$defs/reportWaiver`). */
export interface ReportWaiver {
  waiver: Waiver;
  /** active: it applied on the day of the run; expired: its day had passed and it accepted nothing */
  status: 'active' | 'expired';
  /** issues of the report it accepted */
  issues: number;
  /** occurrences of those issues */
  occurrences: number;
  /** issues it names whose occurrences are not all known to lie in its rows (not accepted) */
  partial?: number;
  /** occurrences of the issues it names counted outside its rows: not accepted, they still fail */
  outside?: number;
}

/** How one problem (a rule at a location) changed since the previous run. */
export type ComparisonStatus = 'fixed' | 'new' | 'still-failing' | 'worse';

/** A run compared with the previous run (`#/$defs/comparison`). */
export interface ReportComparison {
  previous: { id?: string; generatedAt: string; records: number; errors: number; warnings: number };
  counts: { fixed: number; new: number; stillFailing: number; worse: number };
  /** each problem of either run, worst first */
  entries: {
    rule: string;
    location: string;
    /**
     * the input the problem lies in, when either run checked several files: its name in this run,
     * or in the previous run for a fixed problem; problems are compared per file (its dataset,
     * else its contract, else its name) (optional: added with comparison per file)
     */
    input?: string;
    severity: IssueSeverity;
    status: ComparisonStatus;
    previous: number;
    current: number;
  }[];
}

export interface ColumnProfile {
  input: string;
  column: string;
  count: number;
  empty: number;
  distinct?: number;
  /** detected value kinds and their counts, e.g. { "date:YYYY-MM-DD": 900, "date:MM/DD/YYYY": 80 } */
  kinds?: Record<string, number>;
  /** most frequent values (absent when redacted) */
  top?: { value: string; count: number }[];
  /** smallest value (absent when redacted) */
  min?: string | number;
  /** largest value (absent when redacted) */
  max?: string | number;
  /**
   * `distinct` is an estimate (HyperLogLog, ≈ 1.6 %), and `top` is partial as with `topPartial`
   */
  approximate?: boolean;
  /**
   * `top` lists only the values tracked (the first 1,000 distinct), each counted only up to the
   * row where the column passed 1,000 distinct values — a minimum, not the column's count — while
   * `distinct` is still exact (optional: added after v1's first release)
   */
  topPartial?: boolean;
}

export interface DuplicateKey {
  input: string;
  /** the key column, when known */
  column?: string;
  /** the duplicated key; absent when the report is redacted (a key identifies a record) */
  key?: string;
  count: number;
  rows: number[];
}

/**
 * Every repeated key of one key column in one input, counted in full (`duplicateKeys` lists only
 * the first 1,000 groups per key column, so its length can understate the problem).
 */
export interface DuplicateTotal {
  input: string;
  /** the key column, when known */
  column?: string;
  /** distinct key values found more than once */
  keys: number;
  /** records beyond the first of their key */
  records: number;
  /** repeated key values whose records' demographics differ */
  conflictingKeys: number;
}

export interface OrphanReference {
  input: string;
  column: string;
  /** the input that should hold the referenced record */
  target: string;
  count: number;
  examples: IssueExample[];
}

/** Records sharing one identifier whose demographics (name, birth date, sex) differ. */
export interface ConflictingRecords {
  input: string;
  /** the identifier column */
  column: string;
  /** the shared identifier; absent when the report is redacted */
  key?: string;
  count: number;
  rows: number[];
  /** the demographic columns whose values differ */
  columns: string[];
}

/** The FHIR validation layers a report can name (`FHIR_LAYERS` of src/core/fhir/rules.ts). */
export type ReportFhirLayer =
  | 'json'
  | 'structure'
  | 'cardinality'
  | 'values'
  | 'extensions'
  | 'invariants'
  | 'bindings'
  | 'references';

/** A report's target when its records were validated as FHIR R4, with the options of the run. */
export interface FhirReportTarget {
  type: 'fhir';
  /** the FHIR resource type, when a single one */
  resourceType?: string;
  /**
   * the validation layers that ran, in their order (optional: added after v1's first release;
   * absent in older reports)
   */
  layers?: ReportFhirLayer[];
  /**
   * severity given to extensions the specification does not define (`fhir-unknown-extension`):
   * the CLI's `--unknown-extensions`, the app's switch (optional; absent means `error`)
   */
  unknownExtensions?: 'error' | 'warning';
  /**
   * whether modifier extensions at example domains (example.org, acme.com) were accepted unjudged:
   * the CLI's `--allow-example-urls` (optional; absent means they were not, as the Java validator)
   */
  allowExampleUrls?: boolean;
  /**
   * implementation guide packages whose profiles were applied (the CLI's `--ig`; optional: added
   * with profile validation, absent when none was loaded)
   */
  packages?: ReportIgPackage[];
  /** dependencies the loaded packages declare that were not loaded, and what that leaves unchecked */
  missingPackages?: ReportMissingIgPackage[];
  /** profiles applied to every resource of their type besides its meta.profile (the CLI's `--profile`) */
  profiles?: string[];
}

/** How many codes of one code system a FHIR run left unchecked. */
export interface ReportUncheckedCodes {
  system: string;
  count: number;
}

/** A loaded FHIR package (NPM .tgz): its name, version and the SHA-256 of the file. */
export interface ReportIgPackage {
  name: string;
  version: string;
  sha256: string;
  /** loaded for its code systems and value sets only (`--terminology`): its profiles not applied */
  terminology?: true;
}

/** A dependency a loaded package declares that was not loaded. */
export interface ReportMissingIgPackage {
  name: string;
  version: string;
  /** `name#version` of the loaded packages that declare it */
  requiredBy: string[];
  /** what is left unchecked, in plain words */
  unchecked: string;
}

export interface Report {
  format: typeof REPORT_FORMAT;
  /** identifies the report within a project; reports written outside one (CLI) may have none */
  id?: string;
  generatedAt: string;
  tool: { name: 'preflight'; version: string };
  inputs: ReportInput[];
  /** what the inputs were validated against */
  target?: FhirReportTarget | { type: 'schema'; schema: string };
  mapping?: { id: string; version: number };
  /**
   * `unchecked`: records not checked against their contract because their file's header did not
   * match it — never counted valid; valid + invalid + unchecked = records (optional: added with
   * unchecked rows)
   */
  summary: {
    records: number;
    valid: number;
    invalid: number;
    errors: number;
    warnings: number;
    unchecked?: number;
  };
  issues: ReportIssue[];
  profiles: ColumnProfile[];
  crossFile: {
    duplicateKeys: DuplicateKey[];
    orphanReferences: OrphanReference[];
    /** identifiers shared by records whose demographics differ (optional: added after v1's first release) */
    conflictingRecords?: ConflictingRecords[];
    /** all repeated keys per input and key column (optional: added after v1's first release) */
    duplicateTotals?: DuplicateTotal[];
  };
  timings: { startedAt: string; totalMs: number; [phase: string]: number | string };
  /**
   * which validation engine ran: the default (JavaScript), PostgreSQL, Trino, Snowflake or Databricks (the contract's
   * plan as SQL where the tables live); absent means the default. "duckdb": a report of a version that
   * had the DuckDB engine
   */
  engine?: 'default' | 'duckdb' | 'postgres' | 'trino' | 'snowflake' | 'databricks';
  /**
   * true when values were removed for export: example values, profiles' `top`, `min` and `max`,
   * and duplicate keys (checked by {@link checkReportRedaction})
   */
  redacted?: boolean;
  /** the waivers the run was checked with (optional: added with accepted issues) */
  waivers?: ReportWaiver[];
  /** this run compared with the previous run of the same files (optional: added with rehearsals) */
  comparison?: ReportComparison;
}

// ---- loading ------------------------------------------------------------------------------

/** `$id` of the report JSON Schema (src/formats/report.schema.json). */
export const REPORT_SCHEMA_ID = 'urn:preflight:format:report:v1';

/** Migrations from older report tags (none yet: v1 is the first public version). */
export const reportMigrations: readonly Migration[] = [];

/**
 * Semantic checks of a report (beyond its schema): valid + invalid + unchecked = records; an issue has no
 * more examples than occurrences; an issue's `acceptedBy` names an active waiver of the report; and {@link checkReportRedaction}.
 */
export function checkReport(report: Report): FormatProblem[] {
  const problems: FormatProblem[] = [];
  const { summary } = report;
  if (summary.valid + summary.invalid + (summary.unchecked ?? 0) !== summary.records) {
    problems.push(
      problem('/summary', PROBLEM_CODES.inconsistent, 'valid + invalid + unchecked must equal records'),
    );
  }
  report.issues.forEach((issue, index) => {
    if (issue.records !== undefined && issue.records > issue.count) {
      problems.push(
        problem(
          pointer('issues', index, 'records'),
          PROBLEM_CODES.inconsistent,
          'more records than occurrences',
        ),
      );
    }
    if (issue.examples.length > issue.count) {
      problems.push(
        problem(
          pointer('issues', index, 'examples'),
          PROBLEM_CODES.inconsistent,
          'more examples than the issue count',
        ),
      );
    }
  });
  const active = new Set((report.waivers ?? []).filter((w) => w.status === 'active').map((w) => w.waiver.id));
  report.issues.forEach((issue, index) => {
    if (issue.acceptedBy !== undefined && !active.has(issue.acceptedBy))
      problems.push(
        problem(
          pointer('issues', index, 'acceptedBy'),
          PROBLEM_CODES.unknownReference,
          'names no waiver of the report that applied',
        ),
      );
  });
  problems.push(...checkReportRedaction(report));
  return problems;
}

/**
 * A report marked `redacted` holds no value that could identify a record: no example `value`
 * (issues and orphan references), no profile `top`, `min` or `max`, no duplicate `key`. A
 * privacy promise, so it is checked rather than trusted — by the loader, by project-file import
 * (a refusal, not a warning) and by storage before every write. Empty for unredacted reports.
 */
export function checkReportRedaction(report: Report): FormatProblem[] {
  if (report.redacted !== true) return [];
  const problems: FormatProblem[] = [];
  const holds = (path: string, what: string) => {
    problems.push(
      problem(path, PROBLEM_CODES.notRedacted, `the report is marked redacted but holds ${what} here`),
    );
  };
  const withValues = (examples: IssueExample[], base: string) => {
    examples.forEach((example, index) => {
      if (example.value !== undefined) holds(`${base}/${index}/value`, 'a value');
    });
  };
  report.issues.forEach((issue, index) => {
    withValues(issue.examples, pointer('issues', index, 'examples'));
  });
  report.crossFile.orphanReferences.forEach((orphan, index) => {
    withValues(orphan.examples, pointer('crossFile', 'orphanReferences', index, 'examples'));
  });
  report.crossFile.duplicateKeys.forEach((duplicate, index) => {
    if (duplicate.key !== undefined) holds(pointer('crossFile', 'duplicateKeys', index, 'key'), 'a key');
  });
  (report.crossFile.conflictingRecords ?? []).forEach((conflict, index) => {
    if (conflict.key !== undefined) holds(pointer('crossFile', 'conflictingRecords', index, 'key'), 'a key');
  });
  report.profiles.forEach((profile, index) => {
    if (profile.top !== undefined) holds(pointer('profiles', index, 'top'), 'top values');
    if (profile.min !== undefined) holds(pointer('profiles', index, 'min'), 'a minimum value');
    if (profile.max !== undefined) holds(pointer('profiles', index, 'max'), 'a maximum value');
  });
  return problems;
}

/** How `preflight.report/v1` is loaded (used by the format registry). */
export const reportFormat: FormatDefinition<Report> = {
  tag: REPORT_FORMAT,
  title: FORMAT_FAMILIES.report,
  schemaId: REPORT_SCHEMA_ID,
  validate: validateReport,
  check: checkReport,
  migrations: reportMigrations,
};

/**
 * Loads a validation report from parsed JSON: tag, migrations, schema, then {@link checkReport}.
 * Never throws; problems name paths, not values.
 */
export function loadReport(json: unknown): LoadResult<Report> {
  return loadDocument(reportFormat, json);
}
