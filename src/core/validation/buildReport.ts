/**
 * Engine results → `preflight.report/v1` (src/formats/REFERENCE.md), identical from the UI and the CLI,
 * put together and validated by the one report assembly every engine shares (reportAssembly.ts), so
 * a report this function gives is one the app and `preflight check` accept.
 *
 * Redaction (`redact: true`): example values, profiles' top/min/max, and the keys of duplicate
 * and conflicting records are left out, and the report is marked `redacted` (the format's rule,
 * checked by `checkReportRedaction`).
 */
import type {
  ColumnProfile,
  ConflictingRecords,
  DuplicateKey,
  DuplicateTotal,
  IssueExample,
  OrphanReference,
  Report,
  ReportInput,
  ReportIssue,
} from '../../formats/report.ts';
import { type ProfileState, summarizeProfile } from './columnProfile.ts';
import { type ColumnWords, contractColumnWords } from './issueWords.ts';
import { assembleReport, layoutFields } from './reportAssembly.ts';
import { reportValue } from './reportValue.ts';
import type { CsvValidationResult } from './validateCsv.ts';

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** RFC 3339 date-times (the caller's clock: core code reads none) */
  generatedAt: string;
  startedAt: string;
  totalMs: number;
  /** further timings (phase → ms) */
  phases?: Record<string, number>;
  toolVersion: string;
  redact?: boolean;
  /**
   * per input (by name): the file's SHA-256, the contract it was checked against, the contract's
   * own words (`title`, `description`) for its columns (contractColumnWords) and what of that
   * contract is not checked (in words)
   */
  inputExtras?: Record<
    string,
    {
      sha256?: string;
      schema?: string;
      columnWords?: Record<string, ColumnWords>;
      notChecked?: readonly string[];
    }
  >;
  /** the one target, when every input was checked against the same contract (or mapped to one FHIR type) */
  target?: Report['target'];
  /** the mapping every input was mapped with, when there is one */
  mapping?: Report['mapping'];
}

/** Builds (and validates) the report of one run over `results` (one per input, ranges merged). */
export function buildReport(results: readonly CsvValidationResult[], options: BuildReportOptions): Report {
  const redact = options.redact === true;
  const several = results.length > 1;
  const inputs: ReportInput[] = [];
  const issues: ReportIssue[] = [];
  const profiles: ColumnProfile[] = [];
  const duplicateKeys: DuplicateKey[] = [];
  const orphanReferences: OrphanReference[] = [];
  const conflictingRecords: ConflictingRecords[] = [];
  const duplicateTotals: DuplicateTotal[] = [];
  const summary = { records: 0, valid: 0, invalid: 0, errors: 0, warnings: 0 };

  for (const result of results) {
    const extras = options.inputExtras?.[result.input] ?? {};
    // a Parquet file has no text layout of its own: the one of the text made of it is not said
    const layout: Partial<ReportInput> =
      result.fileFormat === undefined ? layoutFields(result.layout) : { fileFormat: result.fileFormat };
    const input: ReportInput = {
      name: result.input,
      kind: 'csv',
      bytes: result.bytes,
      ...layout,
      records: result.records,
      valid: result.valid,
      invalid: result.invalid,
    };
    if (result.account !== undefined && result.account.lines.length > 0)
      input.notRead = result.account.lines.map((line) => ({
        ...line,
        ...(line.where ? { where: { ...line.where } } : {}),
      }));
    if (result.refused) {
      const { byteOffset, line, records } = result.refused;
      input.stoppedAt = { byte: byteOffset, line, ...(records === undefined ? {} : { records }) };
    }
    if (extras.sha256 !== undefined) input.sha256 = extras.sha256;
    if (extras.schema !== undefined) input.schema = extras.schema;
    if (extras.notChecked !== undefined && extras.notChecked.length > 0)
      input.notChecked = [...extras.notChecked];
    inputs.push(input);
    summary.records += result.records;
    summary.valid += result.valid;
    summary.invalid += result.invalid;
    summary.errors += result.errors;
    summary.warnings += result.warnings;

    // records per issue group, each counted once: the failing rows each error group holds
    const groupRecords = new Map(
      result.issueRows.groups.map((g) => [`${g.rule}\u0000${g.location}`, g.count] as const),
    );
    for (const entry of result.issues) {
      const issue: ReportIssue = {
        rule: entry.rule,
        severity: entry.severity,
        location: entry.location,
        count: entry.count,
        examples: entry.examples.map((e) => {
          const example: IssueExample = {};
          if (several) example.input = result.input;
          if (e.row !== undefined) example.row = e.row;
          if (e.column !== undefined) example.column = e.column;
          if (e.path !== undefined) example.path = e.path;
          if (e.field !== undefined) example.field = e.field;
          if (e.transform !== undefined) example.transform = e.transform;
          if (e.unfilled !== undefined) example.unfilled = e.unfilled;
          if (e.byte !== undefined) example.byte = e.byte;
          if (!redact && e.value !== undefined) example.value = reportValue(e.value);
          return example;
        }),
      };
      if (entry.code !== undefined) issue.code = entry.code;
      if (entry.message !== undefined) issue.message = entry.message;
      // the occurrences inside each watched waiver's rows, counted over every occurrence, with
      // the rows counted (a waiver whose rows change after the run no longer matches them)
      if (entry.withinRows) {
        issue.withinRows = entry.withinRows.map(({ waiver, rows, count, input }) => ({
          waiver,
          count,
          rows: rows.map(({ from, to }) => ({ from, to })),
          ...(input === undefined ? {} : { input }),
        }));
        // a waiver's rows may split the issue into a part with no example: its file is said here
        if (several) issue.input = result.input;
      }
      const records = groupRecords.get(`${entry.rule}\u0000${entry.location}`);
      // error groups of data rows hold each row they occur in; warnings and the header are not kept
      if (records !== undefined && records > 0 && records <= entry.count && entry.severity !== 'warning')
        issue.records = records;
      const words = extras.columnWords?.[entry.location];
      if (words?.title !== undefined) issue.title = words.title;
      if (words?.description !== undefined) issue.description = words.description;
      issues.push(issue);
    }

    for (const state of result.profiles) profiles.push(reportProfile(result.input, state, redact));

    for (const key of result.keys) {
      if (key.state.duplicateKeys > 0) {
        duplicateTotals.push({
          input: result.input,
          column: key.column,
          keys: key.state.duplicateKeys,
          records: key.state.duplicateRecords,
          conflictingKeys: key.state.conflictingKeys,
        });
      }
      for (const group of key.state.duplicates) {
        const duplicate: DuplicateKey = {
          input: result.input,
          column: key.column,
          count: group.count,
          rows: group.rows,
        };
        if (!redact && group.key !== '') duplicate.key = reportValue(group.key);
        duplicateKeys.push(duplicate);
        if (group.conflicting.length > 0) {
          const conflict: ConflictingRecords = {
            input: result.input,
            column: key.column,
            count: group.count,
            rows: group.rows,
            columns: group.conflicting.map((k) => key.demographics[k] as string),
          };
          if (!redact && group.key !== '') conflict.key = reportValue(group.key);
          conflictingRecords.push(conflict);
        }
      }
    }

    for (const orphan of result.orphans) {
      if (orphan.count === 0) continue;
      orphanReferences.push({
        input: result.input,
        column: orphan.column,
        target: `${orphan.target}#${orphan.targetColumn}`,
        count: orphan.count,
        examples: orphan.examples.map((e) =>
          redact ? { row: e.row, column: e.column } : { ...e, value: reportValue(e.value) },
        ),
      });
    }
  }

  return assembleReport(
    {
      inputs,
      summary,
      issues,
      profiles,
      crossFile: { duplicateKeys, orphanReferences, conflictingRecords, duplicateTotals },
    },
    {
      generatedAt: options.generatedAt,
      startedAt: options.startedAt,
      totalMs: options.totalMs,
      ...(options.phases ? { phases: options.phases } : {}),
      toolVersion: options.toolVersion,
      redact,
      ...(options.target ? { target: options.target } : {}),
      ...(options.mapping ? { mapping: options.mapping } : {}),
    },
  );
}

/** A column's profile as the report gives it (top values and min/max left out when redacted). */
export function reportProfile(input: string, state: ProfileState, redact: boolean): ColumnProfile {
  const s = summarizeProfile(state);
  const profile: ColumnProfile = {
    input,
    column: s.column,
    count: s.count,
    empty: s.empty,
    distinct: s.distinct,
    kinds: s.kinds,
  };
  if (!s.distinctExact) profile.approximate = true;
  else if (!s.topExact) profile.topPartial = true;
  if (!redact) {
    profile.top = s.top.map((t) => ({ ...t, value: reportValue(t.value) }));
    if (s.min !== undefined) profile.min = typeof s.min === 'string' ? reportValue(s.min) : s.min;
    if (s.max !== undefined) profile.max = typeof s.max === 'string' ? reportValue(s.max) : s.max;
  }
  return profile;
}

/**
 * Cross-file error count of a report: duplicate records, orphan references and conflicting
 * identifiers (these are not row errors of one input, so they are outside `summary`).
 */
export function crossFileErrors(report: Report): number {
  const { duplicateKeys, orphanReferences, conflictingRecords = [], duplicateTotals } = report.crossFile;
  // the totals count every repeated key; the lists hold the first ones (reports before the totals)
  const duplicates = duplicateTotals
    ? duplicateTotals.reduce((n, d) => n + d.records, 0)
    : duplicateKeys.reduce((n, d) => n + d.count - 1, 0);
  const conflicts = duplicateTotals
    ? duplicateTotals.reduce((n, d) => n + d.conflictingKeys, 0)
    : conflictingRecords.length;
  return duplicates + orphanReferences.reduce((n, o) => n + o.count, 0) + conflicts;
}

/**
 * The report with each input's SHA-256 (`digests` by input name; an input without one is left
 * as it is): for reports built elsewhere than {@link buildReport} (FHIR files, the PostgreSQL engine).
 */
export function withDigests(report: Report, digests: Readonly<Record<string, string>>): Report {
  return {
    ...report,
    inputs: report.inputs.map((input) => {
      const sha256 = digests[input.name];
      return sha256 === undefined ? input : { ...input, sha256 };
    }),
  };
}

/** An input as its report names it: the contract it was checked against, what is not checked, its fingerprint. */
export interface ReportedInput {
  name: string;
  /** the contract's name in the report ($id, else its name) and the contract */
  contract?: { id: string; schema: Readonly<Record<string, unknown>> };
  notChecked?: readonly string[];
  sha256?: string;
}

/**
 * The report options that come from a run's inputs, the same on the page and in the CLI: each
 * input's contract, its words for the columns and what is not checked, and the run's target when
 * every input was checked against the same contract.
 */
export function contractExtras(
  inputs: readonly ReportedInput[],
): Required<Pick<BuildReportOptions, 'inputExtras'>> & Pick<BuildReportOptions, 'target'> {
  const inputExtras: NonNullable<BuildReportOptions['inputExtras']> = {};
  for (const input of inputs)
    inputExtras[input.name] = {
      ...(input.contract
        ? { schema: input.contract.id, columnWords: contractColumnWords(input.contract.schema) }
        : {}),
      ...(input.notChecked === undefined ? {} : { notChecked: input.notChecked }),
      ...(input.sha256 === undefined ? {} : { sha256: input.sha256 }),
    };
  const ids = new Set(inputs.map((i) => i.contract?.id));
  const only = ids.size === 1 ? [...ids][0] : undefined;
  return { inputExtras, ...(only === undefined ? {} : { target: { type: 'schema', schema: only } }) };
}

/** A file's records mapped by a mapping: the target they were checked as, the mapping and what tells mappings apart. */
export interface MappedInput {
  target: NonNullable<Report['target']>;
  mapping: NonNullable<Report['mapping']>;
  /** the same for the same mapping (the page: its id and version; the CLI: its file) */
  key: string;
}

/**
 * What the report says of a run's mappings, the same on the page and in the CLI: the target when
 * every file was mapped to the same one, the mapping when one mapping was applied to every file.
 * `inputs`: per file, its mapping (undefined: not mapped).
 */
export function mappedTarget(
  inputs: readonly (MappedInput | undefined)[],
): Pick<BuildReportOptions, 'target' | 'mapping'> {
  const mapped = inputs.filter((i) => i !== undefined);
  if (mapped.length === 0 || mapped.length < inputs.length) return {};
  const first = mapped[0] as MappedInput;
  const targets = new Set(mapped.map((i) => JSON.stringify(i.target)));
  const keys = new Set(mapped.map((i) => i.key));
  return {
    ...(targets.size === 1 ? { target: first.target } : {}),
    ...(keys.size === 1 ? { mapping: { id: first.mapping.id, version: first.mapping.version } } : {}),
  };
}
