/**
 * `preflight validate <files…> [--schema [file=]contract.json]… [--mapping [file=]m.json]…
 * [--report out.json] [--workers N] [--redact] [--key [file.]column]… [--references child.col=parent.col]…`
 * (or `preflight validate --fhir <file.json|file.ndjson…>`): validates CSV extracts
 * against column contracts with the core's engine (the one the Migration workspace runs in its
 * workers) and writes the same `preflight.report/v1` JSON.
 *
 * Constraints:
 * - Files are streamed in chunks, never read whole: any size works. Each file is validated in one
 *   pass by one thread; several files run at once (validateWorkers.ts), files that others refer to
 *   first. `--workers N`: at most N files at once; by default as many as the machine has cores,
 *   for runs large enough to gain from a worker's start ({@link PARALLEL_MIN_BYTES}).
 * - stdout carries only the summary (or the report with `--json`); progress goes to stderr, and
 *   only when stderr is a terminal. Messages name files, rows, columns and byte offsets, never
 *   values; values appear only in the report's examples, which `--redact` removes.
 * - Exit 0 no errors (warnings allowed); 1 errors found (rows, structure or cross-file; with
 *   `--fail-on-empty`, a file with no records: only a header, or empty); 2 bad usage or an input that cannot be read (no
 *   such file, bytes not valid in its encoding, a contract that does not compile). The summary's
 *   last line ({@link runVerdict}) names what the exit code rests on.
 * - `--project p.json`: each file is checked as the project's saved check set its header matches
 *   (validateProject.ts); options given replace the project's settings.
 * - `--mapping [file=]m.json`: each row is mapped to the mapping's target and validated in the
 *   same pass, by the FHIR layers (an R4 resource) or against the target JSON Schema
 *   (validateMapping.ts; a worker prepares the check once from the mapping). `--fhir`: the files
 *   are FHIR JSON/NDJSON and the command is `fhir validate`.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import {
  compileColumnContract,
  compilePlan,
  type ExpectedHeader,
  expectedHeaderOf,
  isColumnContract,
  notCheckedOf,
  regexCheckerFor,
  withHeaderIssues,
  withNotChecked,
} from '../../core/contract/index.ts';
import {
  type CsvLayout,
  CsvRecordTooLongError,
  parseEncodingName,
  TEXT_ENCODINGS,
  TextDecodeError,
} from '../../core/csv/index.ts';
import { withProfilePackages } from '../../core/fhirProfiles/index.ts';
import { describeLocation, InputReadError } from '../../core/jobs/errors.ts';
import { isTableSchema, tableSchemaChecks, tableSchemaToJsonSchema } from '../../core/mapping/index.ts';
import {
  buildReport,
  type ColumnWords,
  type CsvSource,
  chosenDemographicsOf,
  contractColumnWords,
  countedWithin,
  describeMixedDates,
  detectLayout,
  EmptyInputError,
  exampleRow,
  exampleTrace,
  FullValidationRequiredError,
  type InputJob,
  type InputRunner,
  issueInput,
  issueWhat,
  issueWhere,
  judgeRun,
  keyOf,
  linksOf,
  localDay,
  ReferenceCycleError,
  type ReferenceLink,
  recordShare,
  rowSetWatches,
  savedMappingOf,
  stoppedAtWords,
  targetSchemaDoc,
  UnknownColumnError,
  UnknownInputError,
  type ValidateCsvOptions,
  validateCsv,
  validateInputs,
  WHOLE_ROW,
  withCheckSets,
} from '../../core/validation/index.ts';
import type { SchemaDoc } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
} from '../command.ts';
import { failingRowsFormat, writeFailingRows } from '../failingRowsFile.ts';
import { digestFiles } from '../fileDigests.ts';
import { createRunKeySpill, KeySpillError } from '../keySpillFiles.ts';
import { openFilesForReading, readSmallJsonFile } from '../openFiles.ts';
import { yieldToSignals } from '../runFolders.ts';
import { markTimeline } from '../runTimeline.ts';
import { type TerminalProgress, terminalProgress } from '../validateProgress.ts';
import { createFileRunner, registerContract, ValidateWorkerError } from '../validateWorkers.ts';
import {
  claimOutputs,
  noteInterruptedWrite,
  outputTargets,
  writeFailure,
  writeWholeFile,
} from '../wholeFiles.ts';
import {
  loadProfiles,
  OUTCOMES_FORMAT_OPTION,
  PROFILE_OPTIONS,
  profilePackageLines,
  SKIPPABLE_LAYERS,
  UNKNOWN_EXTENSIONS_OPTION,
  UnreadableFile,
  validateFhirFiles,
} from './fhirValidate.ts';
import { checkHeaders, headerLines } from './validateHeaders.ts';
import {
  attachMappings,
  findTargetSchemas,
  MAPPING_OPTION,
  MappingUnusableError,
  type SavedMapping,
} from './validateMapping.ts';
import {
  bindFiles,
  bindingLines,
  MissingProjectPackagesError,
  overridingOptions,
  PROJECT_OPTION,
  projectFhirChecks,
  type RunProject,
  readRunProject,
  UnmatchedFilesError,
} from './validateProject.ts';
import {
  REHEARSAL_OPTIONS,
  readRehearsalInputs,
  withProjectWaivers,
  withRehearsal,
  withRehearsalText,
} from './validateRehearsal.ts';

/** Options that only CSV validation reads: refused with --fhir (FHIR files have no columns or layout). */
const CSV_ONLY_OPTIONS = [
  'schema',
  'key',
  'references',
  'demographics',
  'encoding',
  'delimiter',
  'no-header',
  'workers',
  'mapping',
  'failing-rows',
  'fail-on-empty',
] as const;
/** Options that only FHIR file validation reads: refused without --fhir. */
const FHIR_FILES_ONLY_OPTIONS = ['outcomes', 'outcomes-format'] as const;
/** Options of the FHIR layers and profiles: with --fhir, --mapping or --project only. */
const FHIR_LAYER_OPTIONS = ['skip', 'unknown-extensions', 'ig', 'profile'] as const;

/** Whether a CSV-only or FHIR-only option was given (any value). */
function given(args: ParsedArgs, name: string): boolean {
  const spec = validateCommand.options.find((o) => o.name === name);
  if (spec?.type === 'boolean') return args.flag(name);
  return spec?.multiple ? args.strings(name).length > 0 : args.string(name) !== undefined;
}

/** Error classes a worker reports that mean "this input cannot be used" (exit 2). */
const UNUSABLE_IN_WORKER = new Set([
  'KeySpillError',
  'CsvRecordTooLongError',
  'EmptyInputError',
  'UnknownColumnError',
  'FullValidationRequiredError',
  'InputReadError',
]);

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** A contract is a small JSON file; anything larger is not one. */
const MAX_CONTRACT_BYTES = 16 * 1024 * 1024;

/** Thrown for an input that cannot be used; run() returns 2. */
export class Unusable extends Error {}

/** How a file is named in options: its path as given, its base name, or its base name without extension. */
function namesOf(file: string): string[] {
  const base = path.basename(file);
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return [file, base, stem];
}

function findFile(files: readonly string[], name: string, option: string): string {
  const hits = files.filter((f) => namesOf(f).includes(name));
  if (hits.length === 0) throw new UsageError(`${option} names "${name}", which is not one of the files`);
  if (hits.length > 1) throw new UsageError(`${option} names "${name}", which matches more than one file`);
  return hits[0] as string;
}

/** `--schema` values → contract path per file. */
export function pairSchemas(files: readonly string[], values: readonly string[]): Map<string, string> {
  const pairs = new Map<string, string>();
  const bare: string[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq > 0) {
      const file = findFile(files, value.slice(0, eq), '--schema');
      if (pairs.has(file)) throw new UsageError(`--schema is given twice for "${file}"`);
      pairs.set(file, value.slice(eq + 1));
    } else bare.push(value);
  }
  const unpaired = files.filter((f) => !pairs.has(f));
  if (bare.length === 1) for (const f of unpaired) pairs.set(f, bare[0] as string);
  else if (bare.length > 1) {
    if (bare.length !== unpaired.length) {
      throw new UsageError(
        `${bare.length} --schema files without a file name for ${unpaired.length} files: pair them as --schema <file>=<contract.json>, or give one per file in the same order`,
      );
    }
    unpaired.forEach((f, i) => {
      pairs.set(f, bare[i] as string);
    });
  }
  return pairs;
}

/** `--key [file.]column` values → key columns per file (a bare column: every file that has it). */
export function parseKeys(
  files: readonly string[],
  values: readonly string[],
): { file?: string; column: string }[] {
  return values.map((value) => {
    const dot = value.indexOf('.');
    if (dot > 0) {
      const name = value.slice(0, dot);
      if (files.some((f) => namesOf(f).includes(name)))
        return { file: findFile(files, name, '--key'), column: value.slice(dot + 1) };
    }
    return { column: value };
  });
}

/** `--references child.col=parent.col` values → links. */
export function parseReferences(files: readonly string[], values: readonly string[]): ReferenceLink[] {
  return values.map((value) => {
    const match = /^([^=]+)\.([^.=]+)=([^=]+)\.([^.=]+)$/.exec(value);
    if (!match) {
      throw new UsageError(
        `--references takes <file>.<column>=<file>.<column>, e.g. --references encounters.patient_id=patients.patient_id`,
      );
    }
    return {
      input: findFile(files, match[1] as string, '--references'),
      column: match[2] as string,
      target: findFile(files, match[3] as string, '--references'),
      targetColumn: match[4] as string,
    };
  });
}

/** A contract read from a file: a JSON Schema of rows, or a Table Schema converted to one (with its keys). */
export interface ReadContract {
  contract: Record<string, unknown>;
  keys: string[];
  /** a Table Schema's single-column foreign keys ("resource": "" is the file itself) */
  foreignKeys: { column: string; resource: string; targetColumn: string }[];
  /** what the Table Schema asks that is not checked, in words (listed in the summary and the report) */
  notChecked: string[];
}

/**
 * A Frictionless Table Schema as a contract, with the mapping engine's conversion: its unique
 * fields and single-field primary key become keys, single-field foreign keys references, and its
 * `missingValues` empty cells for every check (the plan reads them from the contract). What is not
 * checked is listed as such.
 */
function fromTableSchema(file: string, tableSchema: Record<string, unknown>): ReadContract {
  const converted = tableSchemaToJsonSchema(tableSchema);
  if (!converted.ok) {
    const lines = converted.problems.map((p) => `  ${p.path || '/'}: ${p.message}`);
    throw new Unusable(`Table Schema "${file}" is not usable:\n${lines.join('\n')}`);
  }
  // keys, foreign keys and what is not checked, in the words the app uses too
  const { keys, foreignKeys, notChecked } = tableSchemaChecks(converted);
  // the texts for "no value" travel in the contract: the plan reads them back (notChecked.ts)
  const contract = withNotChecked(converted.schema, {
    notChecked: [],
    missingValues: converted.missingValues,
  });
  return { contract, keys, foreignKeys, notChecked };
}

/**
 * A Table Schema's foreign keys of `file` as reference links: into the file itself
 * (`"resource": ""`) or into a file of the run named by the resource. One whose resource is not
 * among the files is listed as not checked.
 */
export function foreignKeyLinks(
  files: readonly string[],
  file: string,
  foreignKeys: ReadContract['foreignKeys'],
): { links: ReferenceLink[]; notChecked: string[] } {
  const links: ReferenceLink[] = [];
  const notChecked: string[] = [];
  for (const fk of foreignKeys) {
    const target = fk.resource === '' ? file : files.find((f) => namesOf(f).includes(fk.resource));
    if (target === undefined)
      notChecked.push(
        `the foreign key ${fk.column} → ${fk.resource}.${fk.targetColumn} is not checked: no file named "${fk.resource}" is in this run`,
      );
    else links.push({ input: file, column: fk.column, target, targetColumn: fk.targetColumn });
  }
  return { links, notChecked };
}

export async function readContract(file: string, cwd: string): Promise<ReadContract> {
  const json = await readSmallJsonFile(
    file,
    cwd,
    { what: 'contract', tooLargeFor: 'a column contract', maxBytes: MAX_CONTRACT_BYTES },
    (message) => new Unusable(message),
  );
  const value = json as Record<string, unknown>;
  if (isTableSchema(value)) return fromTableSchema(file, value);
  if (!isColumnContract(json)) {
    throw new Unusable(
      `"${file}" is not a column contract (a JSON Schema of rows: "type": "object" with "properties") nor a Table Schema ("fields").`,
    );
  }
  return { contract: json, keys: [], foreignKeys: [], notChecked: [] };
}

/** Opens each file for streaming; the handles are closed by the caller. */
async function openSources(
  files: readonly string[],
  cwd: string,
): Promise<{ sources: CsvSource[]; close: () => Promise<void> }> {
  const opened = await openFilesForReading(files, cwd, (message) => new Unusable(message));
  return { sources: opened.files, close: opened.close };
}

export function layoutOverrides(args: ParsedArgs): Partial<CsvLayout> {
  const given: Partial<CsvLayout> = {};
  const encoding = args.string('encoding');
  if (encoding !== undefined) {
    const parsed = parseEncodingName(encoding);
    if (!parsed) throw new UsageError(`--encoding must be one of: ${TEXT_ENCODINGS.join(', ')}`);
    given.encoding = parsed;
  }
  const delimiter = args.string('delimiter');
  if (delimiter !== undefined) {
    const value = delimiter === 'tab' || delimiter === '\\t' ? '\t' : delimiter;
    if (value.length !== 1 || value === '"' || value === '\r' || value === '\n')
      throw new UsageError('--delimiter takes one character (or "tab")');
    given.delimiter = value;
  }
  if (args.flag('no-header')) given.header = false;
  return given;
}

/**
 * A run smaller than this (all files together) is validated on one thread unless `--workers` asks
 * for more: it is done in about a second, less than what a worker's start costs.
 */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

/** Writes the report where `--report` asks (nothing when it is not given). */
export async function writeReportFile(
  args: ParsedArgs,
  io: CliIo,
  report: Report,
  /** the run claimed its outputs at its start ({@link claimOutputs}): the `.partial` copy is its own */
  claimed = false,
): Promise<void> {
  const reportFile = args.string('report');
  if (reportFile === undefined) return;
  const target = path.resolve(io.cwd, reportFile);
  try {
    if (!claimed) await noteInterruptedWrite(target, reportFile, io);
    await writeWholeFile(target, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw new Unusable(`cannot write the report to "${reportFile}": ${writeFailure(error)}.`);
  }
}

/** Files validated at once: `--workers N`, else one per core for a large run of several files. */
function filesAtOnce(args: ParsedArgs, sizes: readonly number[]): number {
  const value = args.string('workers');
  if (value === undefined) {
    const total = sizes.reduce((n, size) => n + size, 0);
    return total < PARALLEL_MIN_BYTES ? 1 : Math.min(sizes.length, availableParallelism());
  }
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 64)
    throw new UsageError('--workers takes a whole number from 1 to 64');
  return Math.min(n, sizes.length);
}

/** What a run's exit code rests on, and the summary's last line that says it in words. */
export interface RunVerdict {
  exit: number;
  line: string;
}

/** "a.csv", "a.csv and b.csv", "a.csv, b.csv and c.csv": every file-level line names its files. */
function fileNames(names: readonly string[]): string {
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/**
 * The run's verdict: it fails (exit 1) on errors in records, on findings across records and
 * files (repeated keys, orphan references, one identifier with different demographics) and, with
 * `failOnEmpty`, on an input with no records; the line names each reason, so the summary never
 * reads "0 errors" above a failing exit code.
 */
export function runVerdict(report: Report, failOnEmpty: boolean): RunVerdict {
  // the one verdict of a run: accepted errors (waivers in force) do not fail it
  const judged = judgeRun(report, { failOnEmpty });
  const { errors, accepted, repeats, orphans, conflicts, empty } = judged;
  const reasons: string[] = [];
  if (errors > 0) reasons.push(plural(errors, 'error', 'errors'));
  if (repeats > 0) reasons.push(`${plural(repeats, 'record repeats', 'records repeat')} a key`);
  if (orphans > 0) reasons.push(plural(orphans, 'orphan reference', 'orphan references'));
  if (conflicts > 0)
    reasons.push(`${plural(conflicts, 'identifier', 'identifiers')} with different demographics`);
  if (failOnEmpty && empty.length > 0)
    reasons.push(
      `${plural(empty.length, 'file', 'files')} with no records: ${fileNames(empty)} (--fail-on-empty)`,
    );
  if (reasons.length === 0 && !judged.passed) {
    const invalid = judged.inputs.filter((v) => !v.passed);
    reasons.push(`${plural(invalid.length, 'file has', 'files have')} records with errors`);
  }
  if (reasons.length > 0) return { exit: EXIT_FINDINGS, line: `Result: fails — ${reasons.join(', ')}` };
  const warnings = report.summary.warnings;
  const withs = [
    ...(accepted > 0 ? [`${plural(accepted, 'accepted error', 'accepted errors')} (waivers)`] : []),
    ...(warnings > 0 ? [plural(warnings, 'warning', 'warnings')] : []),
  ];
  // a file with nothing in it passes only with --fail-on-empty left out: the line says so
  const unfilled =
    empty.length > 0
      ? ` — ${fileNames(empty)} ${empty.length === 1 ? 'has' : 'have'} no records (empty or only a header); --fail-on-empty fails the run on ${empty.length === 1 ? 'it' : 'them'}`
      : '';
  return {
    exit: EXIT_OK,
    line: `Result: passes${withs.length > 0 ? ` with ${withs.join(' and ')}` : ''}${unfilled}`,
  };
}

/**
 * Where a mapped record's finding comes from in the mapping, under its issue: one line per exact
 * path and trace among the first examples, with their rows and bytes —
 * `    Patient.birthDate — from column "DOB" (mapping field birthDate): row 2, byte 38; row 3, byte 59`.
 */
function tracedLines(issue: Report['issues'][number]): string[] {
  const rowsByTrace = new Map<string, string[]>();
  for (const e of issue.examples.slice(0, 5)) {
    const trace = exampleTrace(e);
    if (trace === undefined) continue;
    const key = `${e.input ? `${e.input} ` : ''}${e.path ?? issue.location} — ${trace}`;
    const rows = rowsByTrace.get(key) ?? [];
    rows.push(exampleRow(e));
    rowsByTrace.set(key, rows);
  }
  return [...rowsByTrace].map(([key, rows]) => `    ${key}: ${rows.join('; ')}`);
}

/** The human summary of a report; with a verdict, its line ends the summary. */
export function summaryText(report: Report, verdict?: RunVerdict): string {
  const s = report.summary;
  const lines = [
    `${s.records} records: ${s.valid} valid, ${s.invalid} invalid${s.unchecked ? `, ${s.unchecked} not checked` : ''}; ${s.errors} errors, ${s.warnings} warnings`,
  ];
  for (const input of report.inputs) {
    const layout = `${input.name} (${input.encoding}, "${input.delimiter === '\t' ? 'tab' : input.delimiter}", ${input.lineEnding})`;
    lines.push(
      `  ${layout}: ${input.stoppedAt ? stoppedAtWords(input.stoppedAt) : `${input.records} records, ${input.invalid ?? 0} invalid${input.unchecked ? `, ${input.unchecked} not checked (its header does not match its contract)` : ''}`}`,
    );
  }
  if (report.issues.length > 0) {
    lines.push('Issues:');
    for (const issue of report.issues) {
      // an issue of the whole file (no records) has no row to name; a part of an issue split by a
      // waiver's rows is of rows, even with none of its examples kept
      const whole =
        issue.splitBy === undefined &&
        issue.examples.every((e) => e.row === undefined && e.column === undefined);
      const rows = (whole ? [] : issue.examples)
        .slice(0, 5)
        .map((e) => `${e.input ? `${e.input} ` : ''}row ${e.row ?? 'header'}`)
        .join(', ');
      // the words the app shows and the exports write (core issueWords.ts)
      const share =
        issue.records === undefined
          ? ''
          : `, ${recordShare(issue.records, issueInput(report, issue).records)}`;
      // the part no waiver accepted of a split problem: outside the counted rows of each waiver
      const outsideOf =
        issue.acceptedBy || !issue.splitBy
          ? []
          : (report.waivers ?? [])
              .filter((w) => w.status === 'active' && countedWithin(issue, w.waiver) !== undefined)
              .map((w) => w.waiver.id);
      const mark = issue.acceptedBy
        ? ` (accepted: ${issue.acceptedBy})`
        : issue.splitBy
          ? ` (outside the rows of ${(outsideOf.length > 0 ? outsideOf : [issue.splitBy]).join(', ')})`
          : '';
      // a problem of a whole file names it: in a run of several files "(file)" alone says nothing
      const file = whole ? issueInput(report, issue).file : undefined;
      lines.push(
        `  ${issue.severity} ${issue.rule} ${issue.location || (whole ? (file === undefined ? '(file)' : `(file ${file})`) : '(row)')} × ${issue.count}${share}: ${whole ? '' : `${issueWhere(issue)}: `}${issueWhat(issue)}${rows ? ` (first: ${rows})` : ''}${mark}`,
      );
      lines.push(...tracedLines(issue));
    }
  }
  const { duplicateKeys, orphanReferences, conflictingRecords = [] } = report.crossFile;
  if (duplicateKeys.length + orphanReferences.length + conflictingRecords.length > 0) {
    lines.push('Across records and files:');
    const byColumn = new Map<string, { keys: number; records: number }>();
    for (const d of duplicateKeys) {
      const k = `${d.input} ${d.column ?? ''}`;
      const seen = byColumn.get(k) ?? { keys: 0, records: 0 };
      seen.keys++;
      seen.records += d.count;
      byColumn.set(k, seen);
    }
    for (const [k, v] of byColumn)
      lines.push(`  duplicate keys: ${k}: ${v.keys} keys held by ${v.records} records`);
    for (const o of orphanReferences)
      lines.push(`  orphan references: ${o.input} ${o.column} → ${o.target}: ${o.count}`);
    const conflicts = new Map<string, number>();
    for (const c of conflictingRecords)
      conflicts.set(`${c.input} ${c.column}`, (conflicts.get(`${c.input} ${c.column}`) ?? 0) + 1);
    for (const [k, n] of conflicts)
      lines.push(`  same identifier, different demographics: ${k}: ${n} identifiers`);
  }
  const notChecked = report.inputs.filter((input) => (input.notChecked?.length ?? 0) > 0);
  if (notChecked.length > 0) {
    lines.push('Not checked:');
    for (const input of notChecked)
      for (const what of input.notChecked ?? []) lines.push(`  ${input.name}: ${what}`);
  }
  const mixed = report.profiles
    .map((p) => (p.kinds ? describeMixedDates(p.column, p.kinds) : undefined))
    .filter((t): t is string => t !== undefined);
  if (mixed.length > 0) lines.push('Profiles:', ...mixed.map((m) => `  ${m}`));
  if (verdict) lines.push(verdict.line);
  return lines.join('\n');
}

function unusableMessage(error: unknown): string | undefined {
  if (
    error instanceof Unusable ||
    error instanceof UnmatchedFilesError ||
    error instanceof UnreadableFile ||
    error instanceof MissingProjectPackagesError ||
    error instanceof MappingUnusableError ||
    error instanceof KeySpillError ||
    error instanceof TextDecodeError ||
    error instanceof CsvRecordTooLongError
  )
    return error.message;
  if (
    error instanceof EmptyInputError ||
    error instanceof UnknownColumnError ||
    error instanceof FullValidationRequiredError ||
    error instanceof ReferenceCycleError ||
    error instanceof UnknownInputError
  )
    return error.message;
  if (error instanceof InputReadError)
    return `cannot read ${describeLocation(error.location)} (${error.causeName}).`;
  // a worker's error of one of the kinds above (its message was built from positions and names only)
  if (error instanceof ValidateWorkerError && UNUSABLE_IN_WORKER.has(error.name)) return error.message;
  return undefined;
}

/** A contract compiled once for the run, with what the report and the checks need of it. */
interface CompiledContract {
  plan: ReturnType<typeof compilePlan>;
  validate: InputJob['fullValidator'];
  id: string;
  keys: string[];
  foreignKeys: ReadContract['foreignKeys'];
  expected: ExpectedHeader;
  columnWords: Record<string, ColumnWords>;
  notChecked: string[];
}

/** Compiles a contract read from a file or kept in a project; `name` names it in messages. */
export async function compileContract(
  name: string,
  read: ReadContract,
  fallbackId: string,
): Promise<CompiledContract> {
  const contract = read.contract;
  const result = compileColumnContract(contract, {
    regexChecker: await regexCheckerFor(contract),
  });
  if (!result.ok) {
    const lines = result.problems.map((p) => `  ${p.path || '/'}: ${p.message}`);
    throw new Unusable(`contract "${name}" does not compile:\n${lines.join('\n')}`);
  }
  registerContract(result.validate, contract);
  return {
    plan: compilePlan(contract),
    validate: result.validate,
    id: typeof contract.$id === 'string' ? contract.$id : fallbackId,
    keys: read.keys,
    foreignKeys: read.foreignKeys,
    expected: expectedHeaderOf(contract),
    columnWords: contractColumnWords(contract),
    notChecked: read.notChecked,
  };
}

/** Options that replace a project's settings when given with --project (CSV files). */
export const PROJECT_OVERRIDES = [
  'schema',
  'mapping',
  'key',
  'references',
  'demographics',
  'encoding',
  'delimiter',
  'no-header',
] as const;

/** Turns the command's arguments into input jobs (layouts detected, contracts compiled). */
async function prepareJobs(
  args: ParsedArgs,
  files: readonly string[],
  sources: readonly CsvSource[],
  cwd: string,
  /** the `--schema` values that are column contracts (not a mapping's target schema) */
  contractValues: readonly string[],
  /** with --project: the check sets each file is bound to by header */
  project?: RunProject,
) {
  const schemas = pairSchemas(files, contractValues);
  const keyValues = args.strings('key');
  const keys = parseKeys(files, keyValues);
  const referenceValues = args.strings('references');
  const links = parseReferences(files, referenceValues);
  const demographicsOption = args.string('demographics');
  const given = layoutOverrides(args);
  // with a project, each file's check set: its layout, contract, key and links (options override)
  const bound = project
    ? await bindFiles(project, files, sources, given, new Set(schemas.keys()))
    : undefined;
  if (project && bound && referenceValues.length === 0)
    links.push(
      ...linksOf(
        bound.map((b) => ({
          name: b.file,
          header: b.header,
          ...(b.binding.checkSet ? { checkSet: b.binding.checkSet } : {}),
        })),
        project.project,
      ),
    );
  const jobs: InputJob[] = [];
  const schemaNames: Record<
    string,
    { schema?: string; columnWords?: Record<string, ColumnWords>; notChecked?: string[] }
  > = {};
  const compiled = new Map<string, CompiledContract>();
  /** the columns each job's contract expects, by job index (compared with its header before any row) */
  const expectedHeaders = new Map<number, ExpectedHeader>();
  for (const [i, source] of sources.entries()) {
    const file = files[i] as string;
    const binding = bound?.[i];
    let layout: CsvLayout;
    if (binding) layout = { ...binding.layout };
    else {
      const { detected: _, ...sniffed } = await detectLayout(source, given);
      layout = sniffed;
    }
    const job: InputJob = { source, layout };
    const schemaFile = schemas.get(file);
    // a contract file given for this file, else the contract its check set names
    const savedDoc = schemaFile === undefined ? binding?.contract : undefined;
    const contractKey = schemaFile ?? (savedDoc ? `project:${savedDoc.id}` : undefined);
    let entry = contractKey === undefined ? undefined : compiled.get(contractKey);
    if (contractKey !== undefined && !entry) {
      if (schemaFile !== undefined)
        entry = await compileContract(schemaFile, await readContract(schemaFile, cwd), schemaFile);
      else {
        const doc = savedDoc as SchemaDoc;
        // as the app names it in a report: its $id, else its name in the project
        entry = await compileContract(
          doc.name,
          { contract: doc.schema, keys: [], foreignKeys: [], notChecked: [] },
          doc.name,
        );
      }
      compiled.set(contractKey, entry);
    }
    if (entry) {
      job.plan = entry.plan;
      if (entry.validate) job.fullValidator = entry.validate;
      expectedHeaders.set(i, entry.expected);
      schemaNames[file] = { schema: entry.id, columnWords: entry.columnWords };
    }
    const demographics = demographicsOption?.split(',').map((d) => d.trim()) ?? [];
    const jobKeys = keys
      .filter((k) => k.file === undefined || k.file === file)
      .map((k) => ({ column: k.column, demographics: k.column === WHOLE_ROW ? [] : demographics }));
    // with a project and no --key: the check set's key (or the one the app proposes)
    if (binding && keyValues.length === 0) {
      const key = keyOf(path.basename(file), binding.header, binding.binding.checkSet);
      if (key && layout.header) jobKeys.push({ column: key, demographics });
    }
    // a Table Schema's primary key and unique columns are keys too
    for (const column of entry?.keys ?? []) {
      if (!jobKeys.some((k) => k.column === column)) jobKeys.push({ column, demographics });
    }
    job.keys = jobKeys;
    // a Table Schema's foreign keys: into this file ("resource": "") or into a file of the run by name
    const fkLinks = foreignKeyLinks(files, file, entry?.foreignKeys ?? []);
    for (const link of fkLinks.links)
      if (!links.some((l) => l.input === file && l.column === link.column)) links.push(link);
    const notChecked = [...(entry?.notChecked ?? []), ...fkLinks.notChecked];
    // a project's contract says itself what it asks that is not checked, as the app reads it
    if (savedDoc)
      notChecked.push(
        ...notCheckedOf(savedDoc.schema, {
          keys: jobKeys.map((k) => k.column),
          linkedColumns: links.filter((l) => l.input === file).map((l) => l.column),
        }),
      );
    if (notChecked.length > 0) schemaNames[file] = { ...schemaNames[file], notChecked };
    jobs.push(job);
  }
  /** the lines that say what each file was bound to, once the files --mapping maps are known */
  const projectLines = (mapped: ReadonlySet<string>, savedMapped: ReadonlySet<string>): string[] =>
    project && bound
      ? bindingLines(
          project,
          bound,
          {
            contracts: Object.fromEntries(files.map((f) => [f, schemaNames[f]?.schema])),
            keys: Object.fromEntries(
              jobs.map((j, i) => [files[i] as string, (j.keys ?? []).map((k) => k.column)]),
            ),
            links,
            mapped,
            savedMapped,
            demographicsGiven: demographicsOption !== undefined,
          },
          overridingOptions(args, PROJECT_OVERRIDES),
        )
      : [];
  // each check set's saved mapping, checked as the app checks it (a --mapping given for a file wins)
  const savedMappings = new Map<string, SavedMapping>();
  for (const b of bound ?? []) {
    const mapping = project ? savedMappingOf(project.project, b.binding.checkSet) : undefined;
    if (!project || !mapping) continue;
    const doc = targetSchemaDoc(project.project.schemas, mapping.target);
    savedMappings.set(b.file, {
      mapping,
      ...(doc ? { targetSchema: { name: doc.name, schema: doc.schema } } : {}),
    });
  }
  const checkSetIds = new Map(
    (bound ?? []).flatMap((b) => (b.binding.checkSet ? [[b.file, b.binding.checkSet.id] as const] : [])),
  );
  // the columns compared for a key, as chosen in the app for the check set (absent: guessed)
  const savedDemographics = new Map(
    (bound ?? []).flatMap((b) =>
      b.binding.checkSet?.demographics ? [[b.file, b.binding.checkSet.demographics] as const] : [],
    ),
  );
  return {
    checkSetIds,
    savedDemographics,
    savedMappings,
    jobs,
    links,
    schemaNames,
    expectedHeaders,
    defaultDemographics: demographicsOption === undefined,
    projectLines,
  };
}

/** The `preflight validate` command. */
export const validateCommand: Command = {
  name: 'validate',
  summary:
    'validate CSV extracts against column contracts, with cross-file checks (writes preflight.report/v1)',
  operands: '<file.csv...>',
  options: [
    {
      name: 'schema',
      type: 'string',
      multiple: true,
      valueName: '[file=]contract.json',
      description: 'column contract (JSON Schema or Table Schema); "file=" pairs it with one file',
    },
    PROJECT_OPTION,
    MAPPING_OPTION,
    {
      name: 'report',
      type: 'string',
      valueName: 'out.json',
      description: 'write the report (preflight.report/v1) to this file',
    },
    {
      name: 'failing-rows',
      type: 'string',
      valueName: 'out.csv|out.ndjson',
      description: 'write every problem of the failing rows here, one a line (no values with --redact)',
    },
    { name: 'json', type: 'boolean', description: 'print the report JSON on stdout instead of the summary' },
    {
      name: 'progress',
      type: 'boolean',
      description: 'show progress on stderr even when it is not a terminal (a CI log)',
    },
    {
      name: 'continue-on-header-mismatch',
      type: 'boolean',
      description: "check a file's rows even when its header does not match its contract",
    },
    {
      name: 'redact',
      type: 'boolean',
      description: 'leave values out of the report (examples, top values, min/max, keys)',
    },
    {
      name: 'key',
      type: 'string',
      multiple: true,
      valueName: '[file.]column',
      description: 'a record key column: duplicates are reported ("file." for one file; "*": whole rows)',
    },
    {
      name: 'references',
      type: 'string',
      multiple: true,
      valueName: 'file.column=file.column',
      description: 'a column and the one it refers to, e.g. encounters.patient_id=patients.patient_id',
    },
    {
      name: 'demographics',
      type: 'string',
      valueName: 'col,col,...',
      description:
        'columns compared between records sharing a key (default: names, birth date, sex; at most 4)',
    },
    {
      name: 'encoding',
      type: 'string',
      valueName: 'name',
      description: `text encoding of every file (default: detected): ${TEXT_ENCODINGS.join(', ')}`,
    },
    {
      name: 'delimiter',
      type: 'string',
      valueName: 'char',
      description: 'field delimiter of every file (default: detected; "tab" for a tab)',
    },
    {
      name: 'no-header',
      type: 'boolean',
      description: 'the files have no header row (columns are named "column 1", …)',
    },
    {
      name: 'fail-on-empty',
      type: 'boolean',
      description: 'an empty file, or one with no records, fails the run (default: a warning)',
    },
    {
      name: 'workers',
      type: 'string',
      valueName: 'N',
      description: 'files validated at once, at most (default: one per core for large runs)',
    },
    {
      name: 'engine',
      type: 'string',
      valueName: 'default|duckdb',
      description:
        'duckdb: the checks as SQL on embedded DuckDB, all cores, for very large extracts; Parquet too',
    },
    {
      name: 'memory-limit',
      type: 'string',
      valueName: 'size',
      description: 'with --engine duckdb: memory DuckDB may use before it spills to disk, e.g. 4GB',
    },
    {
      name: 'fhir',
      type: 'boolean',
      description: 'the files are FHIR R4 JSON or NDJSON, checked as `preflight fhir validate` does',
    },
    {
      name: 'outcomes',
      type: 'string',
      valueName: 'file',
      description: 'with --fhir: write one OperationOutcome per resource here, as NDJSON lines',
    },
    OUTCOMES_FORMAT_OPTION,
    {
      name: 'skip',
      type: 'string',
      multiple: true,
      valueName: 'layer',
      description: `switch a FHIR layer off: ${SKIPPABLE_LAYERS.join(', ')}`,
    },
    UNKNOWN_EXTENSIONS_OPTION,
    ...REHEARSAL_OPTIONS,
    ...PROFILE_OPTIONS,
  ],
  description: [
    'Validates CSV/TSV extracts in one streaming pass: encoding, structure, header and rows against the',
    'column contract, profiles, and across files: duplicate keys, orphan references, mismatched demographics.',
  ].join('\n'),
  notes: [
    'Exit codes: 0 no errors (or only errors a waiver accepts); 1 errors found; 2 bad usage or an input',
    'that cannot be used. Headers, mappings, --project, --engine duckdb, waivers: docs/cli.md#preflight-validate',
  ].join('\n'),
  examples: [
    {
      args: [
        'samples/legacy/patients.csv',
        '--schema',
        'samples/contracts/patients.contract.json',
        '--key',
        'mrn',
      ],
      does: 'the patients extract against its contract, with duplicate MRNs: planted defects',
      exits: 1,
    },
    {
      args: [
        'samples/legacy/patients.csv',
        'samples/legacy/encounters.csv',
        '--project',
        'samples/projects/demo-clinic.preflight.json',
      ],
      does: "both extracts as the demo project's saved check sets",
      exits: 1,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    refuseRepeatedFiles(args.operands, io.cwd);
    // the previous report and the waivers are checked before any extract is read
    const rehearsalRead = await readRehearsalInputs(args, io);
    if (!rehearsalRead.ok) {
      io.stderr(`preflight validate: ${rehearsalRead.message}`);
      return EXIT_USAGE;
    }
    // the project too: a project file that cannot be used stops the run before any extract is read
    const projectRead = await readRunProject(args, io);
    if (!projectRead.ok) {
      io.stderr(`preflight validate: ${projectRead.message}`);
      return EXIT_USAGE;
    }
    const project = projectRead.value;
    // the waivers recorded in the project apply as on the Migration screen; --waivers adds to them
    const rehearsal = withProjectWaivers(rehearsalRead.value, project);
    const engine = args.string('engine') ?? 'default';
    if (engine !== 'default' && engine !== 'duckdb')
      throw new UsageError('--engine must be default or duckdb');
    const failingRowsFile = args.string('failing-rows');
    if (failingRowsFile !== undefined) failingRowsFormat(failingRowsFile);
    if (engine === 'duckdb') {
      if (args.flag('fhir')) throw new UsageError('--engine duckdb is for CSV and Parquet files, not --fhir');
      // FHIR options have nothing to act on: the DuckDB engine checks no FHIR files and runs no mapping
      const fhirOnly = FHIR_FILES_ONLY_OPTIONS.filter((name) => given(args, name));
      if (fhirOnly.length > 0) throw new UsageError(`--${fhirOnly[0]} needs --fhir (FHIR files)`);
      const layer = FHIR_LAYER_OPTIONS.find((name) => given(args, name));
      if (layer !== undefined)
        throw new UsageError(
          `--${layer} is for FHIR checks, of FHIR files or of the records a mapping makes, and the DuckDB engine runs neither: leave out --${layer}, or --engine duckdb`,
        );
      return (await import('./validateDuckdb.ts')).validateWithDuckdb(args, io, rehearsal, project);
    }
    if (args.string('memory-limit') !== undefined)
      throw new UsageError('--memory-limit needs --engine duckdb');
    if (args.flag('fhir')) {
      const csvOnly = CSV_ONLY_OPTIONS.filter((name) => given(args, name));
      if (csvOnly.length > 0)
        throw new UsageError(
          `--${csvOnly[0]} is for CSV files; with --fhir the files are FHIR JSON or NDJSON (see preflight fhir validate --help)`,
        );
      return validateFhirFiles(
        args,
        io,
        'validate --fhir',
        rehearsal,
        project ? projectFhirChecks(project, args) : undefined,
      );
    }
    const fhirOnly = FHIR_FILES_ONLY_OPTIONS.filter((name) => given(args, name));
    if (fhirOnly.length > 0) throw new UsageError(`--${fhirOnly[0]} needs --fhir (FHIR files)`);
    const layerOptions = FHIR_LAYER_OPTIONS.filter((name) => given(args, name));
    // with --project, a check set's saved mapping may map records to FHIR
    if (layerOptions.length > 0 && args.strings('mapping').length === 0 && !project)
      throw new UsageError(
        `--${layerOptions[0]} needs --fhir (FHIR files), --mapping (CSV mapped to FHIR) or --project`,
      );
    // the project's FHIR checks apply to records mapped to FHIR too, as the app applies them
    const fhirChecks = project ? projectFhirChecks(project, args) : undefined;
    // the packages are read once a file is mapped to FHIR: a run of contracts only needs none
    let profilesRead: ReturnType<typeof loadProfiles> | undefined;
    const profilesOnce = () => {
      profilesRead ??= loadProfiles(args, io, fhirChecks);
      return profilesRead;
    };
    const files = args.operands;
    if (files.length === 0) throw new UsageError('give at least one CSV file');
    markTimeline('validate: run');
    let close: (() => Promise<void>) | undefined;
    let keySpill: ReturnType<typeof createRunKeySpill> | undefined;
    const started = new Date();
    const t0 = performance.now();
    // the terminal's progress line (a terminal only): ended once the inputs are done, or on failure
    let progressLine: TerminalProgress | undefined;
    // the files this run writes, marked before it starts: a killed run is named by the next one
    const outputs = await claimOutputs(outputTargets([args.string('report'), failingRowsFile], io), io);
    try {
      // key sets spill to temporary files: memory stays flat whatever the number of keys
      keySpill = createRunKeySpill();
      const opened = await openSources(files, io.cwd);
      close = opened.close;
      // a --schema whose $id a mapping names as its target is that target, not a column contract
      const schemaValues = await findTargetSchemas(args, io.cwd);
      const {
        jobs,
        links,
        schemaNames,
        expectedHeaders,
        defaultDemographics,
        savedDemographics,
        savedMappings,
        checkSetIds,
        projectLines: bindingOf,
      } = await prepareJobs(args, files, opened.sources, io.cwd, schemaValues.contracts, project);
      markTimeline('validate: layouts sniffed, contracts compiled');
      // the rows of waivers limited to rows: each file's pass counts the occurrences inside them
      const today = localDay(started);
      for (const job of jobs) job.rowSets = rowSetWatches(rehearsal.waivers ?? [], job.source.name, today);
      // each header against its contract, once, before any row
      const headerMismatches = await checkHeaders(
        jobs,
        expectedHeaders,
        args.flag('continue-on-header-mismatch'),
      );
      const savedMapped = new Set<string>();
      const mapped = await attachMappings(
        args,
        files,
        jobs,
        io,
        schemaValues.targets,
        savedMappings,
        (file) => savedMapped.add(file),
        fhirChecks,
        profilesOnce,
      );
      const profiled = mapped.fhir ? await profilesOnce() : undefined;
      const profileOption = (['ig', 'profile'] as const).find((name) => given(args, name));
      if (!mapped.fhir && profileOption !== undefined)
        throw new UsageError(
          `--${profileOption} applies profiles to FHIR records, but no file of this run is mapped to an R4 resource type: give a mapping to FHIR with --mapping, or FHIR files with --fhir`,
        );
      // what each file was bound to, with the mapping its records are checked with, and the
      // project's FHIR checks when records were mapped to FHIR
      const projectLines = [
        ...bindingOf(new Set(files.filter((_, i) => jobs[i]?.rowCheck !== undefined)), savedMapped),
        ...(mapped.fhir && fhirChecks ? fhirChecks.lines : []),
        ...(profiled
          ? [...profiled.lines, ...profilePackageLines(profiled.registry, profiled.profiles)]
          : []),
      ];
      // without --demographics: those chosen for the file's check set, else the usual names it has
      if (defaultDemographics) {
        for (const [i, job] of jobs.entries()) {
          const header = await headerOf(job);
          const saved = savedDemographics.get(files[i] as string);
          for (const key of job.keys ?? []) {
            if (key.column === WHOLE_ROW) continue;
            (key as { demographics?: readonly string[] }).demographics = chosenDemographicsOf(
              header,
              key.column,
              saved,
            );
          }
        }
      }
      const progress = process.stderr.isTTY === true || args.flag('progress');
      const parallel = filesAtOnce(
        args,
        jobs.map((j) => j.source.size),
      );
      // several files at once: the first on this thread, the others in workers
      const runner: InputRunner | undefined = parallel > 1 ? createFileRunner(io.cwd) : undefined;
      const line = terminalProgress(
        jobs.map((j) => ({ name: j.source.name, size: j.source.size, keyed: (j.keys?.length ?? 0) > 0 })),
        links,
        undefined,
        process.stderr.columns || undefined,
      );
      if (progress) progressLine = line;
      markTimeline('validate: inputs start');
      // a terminal with several files, or a file in a worker: say when a file starts (a worker
      // reports once it has read a few MB) and when it is done (the run's line counts files done)
      const runFile: InputRunner = runner ?? validateCsv;
      const followFiles = progress && (runner !== undefined || jobs.length > 1);
      const results = await validateInputs(jobs, links, {
        keySpill,
        parallel,
        ...(followFiles
          ? {
              run: async (source: CsvSource, options: ValidateCsvOptions) => {
                process.stderr.write(line.reading(source.name));
                const result = await runFile(source, options);
                process.stderr.write(line.done(source.name));
                return result;
              },
            }
          : runner
            ? { run: runner }
            : {}),
        ...(progress
          ? {
              onProgress: (input: string, p: { bytes: number; rows: number }) => {
                process.stderr.write(line(input, p));
              },
            }
          : {}),
      });
      markTimeline('validate: inputs validated');
      // the last line said what came after reading (the key checks): it is over, say so
      if (progressLine) process.stderr.write(progressLine.end('done'));
      // each file's fingerprint, streamed once more (the page cache holds what was just read)
      const digests = await digestFiles(files, io.cwd);
      markTimeline('validate: files fingerprinted');
      const inputExtras = Object.fromEntries(
        files.map((file) => [file, { ...schemaNames[file], sha256: digests[file] as string }]),
      );
      const totalMs = performance.now() - t0;
      // the header differences found before any row are issues of the report too
      const built = withHeaderIssues(
        buildReport(results, {
          generatedAt: new Date().toISOString(),
          startedAt: started.toISOString(),
          totalMs: Math.round(totalMs),
          toolVersion: VERSION,
          redact: args.flag('redact'),
          inputExtras,
          ...(new Set(Object.values(schemaNames).map((s) => s.schema)).size === 1 &&
          Object.keys(schemaNames).length === files.length
            ? { target: { type: 'schema' as const, schema: Object.values(schemaNames)[0]?.schema as string } }
            : {}),
          ...mapped,
        }),
        headerMismatches,
      );
      await yieldToSignals();
      // with --project, each input names the check set it was checked as, as the app's reports do
      const report = withRehearsal(
        withCheckSets(
          profiled ? withProfilePackages(built, profiled.registry, profiled.profiles) : built,
          checkSetIds,
        ),
        rehearsal,
        started,
      );
      await writeReportFile(args, io, report, true);
      if (failingRowsFile !== undefined) {
        try {
          await writeFailingRows(
            failingRowsFile,
            io.cwd,
            results,
            opened.sources,
            report,
            args.flag('redact'),
          );
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === undefined) throw error;
          throw new Unusable(
            `cannot write the failing rows to "${failingRowsFile}": ${writeFailure(error)}.`,
          );
        }
      }
      markTimeline('validate: report built and written');
      // accepted errors (waivers) do not fail the run; problems across records and files do
      const verdict = runVerdict(report, args.flag('fail-on-empty'));
      await yieldToSignals();
      // what each file was bound to: on stdout before the summary, on stderr beside the JSON
      const aside = [...projectLines, ...(rehearsal.waiverLines ?? [])];
      if (args.flag('json') && aside.length > 0) io.stderr(aside.join('\n'));
      io.stdout(
        args.flag('json')
          ? JSON.stringify(report, null, 2)
          : [
              ...projectLines,
              ...headerLines(headerMismatches),
              withRehearsalText(summaryText(report), report, rehearsal.waiverLines),
              verdict.line,
            ].join('\n'),
      );
      return verdict.exit;
    } catch (error) {
      // a step still "…" on the line would read as going on, and the error would follow on it
      if (progressLine) process.stderr.write(progressLine.end('failed'));
      const message = unusableMessage(error);
      if (message === undefined) throw error;
      io.stderr(`preflight validate: ${message}`);
      return EXIT_USAGE;
    } finally {
      await close?.();
      keySpill?.remove();
      await outputs.release();
    }
  },
};

/** The header of a job's input (first record), for choosing default demographic columns. */
async function headerOf(job: InputJob): Promise<string[]> {
  if (!job.layout.header) return [];
  const { readRecordAt } = await import('../../core/validation/index.ts');
  try {
    return (await readRecordAt(job.source, job.layout, 0)) ?? [];
  } catch (error) {
    // a file that is not text has no header: its own pass reports it as one problem
    if (error instanceof TextDecodeError) return [];
    throw error;
  }
}

/**
 * A file is named once: a report names its inputs by their names, and options address them by
 * name, so a file given twice would be validated once and reported twice.
 */
function refuseRepeatedFiles(files: readonly string[], cwd: string): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const where = path.resolve(cwd, file);
    const first = seen.get(where);
    if (first !== undefined)
      throw new UsageError(
        first === file
          ? `${file} is given twice: give each file once`
          : `${first} and ${file} are the same file: give each file once`,
      );
    seen.set(where, file);
  }
}
