/**
 * `preflight fhir validate <file…>`: FHIR R4 resources, Bundles and NDJSON exports through the
 * same core and layers as the app, with the same `preflight.report/v1` (`preflight validate --fhir`
 * runs this command too).
 *
 * Constraints:
 * - NDJSON (`.ndjson`, `.jsonl`) is streamed: one strict UTF-8 decoder over the file's chunks,
 *   memory bounded by the chunk and the report, any size. Other files are read whole (a Bundle
 *   is one JSON value), up to {@link MAX_JSON_BYTES}.
 * - stdout and stderr never carry a value from the data: the summary prints rules, locations,
 *   counts and messages only. Values appear only as examples in the --report file (dropped with
 *   --redact).
 * - A file that is not text (a zero byte: a PDF or spreadsheet) or not UTF-8 is one fatal problem
 *   on that file, placed by line and byte offset; the other files are checked and reported.
 * - Exit codes: 0 no errors, 1 some resource has an error (a file that is not UTF-8 text is one),
 *   2 bad usage or a file that cannot be opened.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { byteSizeWords } from '../../core/byteSize/index.ts';
import {
  type Compression,
  compressionOf,
  isZipName,
  withoutCompression,
} from '../../core/compressed/index.ts';
import { createTextStreamDecoder, lineOfByte, TextDecodeError } from '../../core/csv/index.ts';
import {
  canonicalsIn,
  createFhirRun,
  createFhirSession,
  createOutcomesWriter,
  FHIR_LAYERS,
  type FhirLayer,
  generatedModules,
  MissingProjectPackagesError,
  matchProjectPackages,
  type OutcomesFormat,
  type RecordOutcome,
  type UnknownExtensionSeverity,
} from '../../core/fhir/index.ts';
import {
  asTerminologyPackage,
  type IgPackage,
  IgPackageError,
  loadProfileRegistry,
  needsBuiltInBase,
  type ProfileRegistry,
  readIgPackage,
  validatorProfiles,
  withProfilePackages,
} from '../../core/fhirProfiles/index.ts';
import type { AccountLine } from '../../core/readerAccount/index.ts';
import { usedByLine } from '../../core/trace/index.ts';
import {
  acceptsDerived,
  fhirRowSetWaivers,
  localDay,
  notCheckedLines,
  withDigests,
  withNotRead,
} from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Report, ReportIssue } from '../../formats/report.ts';
import { readArchiveInputs } from '../archiveInputs.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type OptionSpec,
  type ParsedArgs,
  UsageError,
  writeData,
} from '../command.ts';
import { decompressedNote, decompressTo } from '../compressedInputs.ts';
import { digestFiles } from '../fileDigests.ts';
import { type OpenedFile, openFilesForReading } from '../openFiles.ts';
import { makeStoppableRunFolder, yieldToSignals } from '../runFolders.ts';
import { oneLineStrings } from '../terminalText.ts';
import { withClaimedOutputs, writeFailure, writeWholeFile } from '../wholeFiles.ts';
import {
  PROJECT_OPTION,
  type ProjectFhirChecks,
  projectFhirChecks,
  readRunProject,
  withProjectTrace,
} from './validateProject.ts';
import {
  REHEARSAL_OPTIONS,
  type RehearsalInputs,
  readRehearsalInputs,
  runFails,
  withProjectWaivers,
  withRehearsal,
  withRehearsalText,
} from './validateRehearsal.ts';

/** Largest single JSON file read whole (NDJSON has no limit: it is streamed). */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** Issue groups printed in the terminal summary (the report holds all). */
const SHOWN_ISSUES = 20;

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Whether a file is NDJSON, by its extension. */
function isNdjsonFile(file: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(withoutCompression(file));
}

/**
 * The decompressed text of `operand` (at `at` when it is an archive's entry), written to `target`
 * (its path), or {@link UnreadableFile} naming `operand`.
 */
async function unpackedFile(
  operand: string,
  at: string | undefined,
  cwd: string,
  compression: Compression,
  target: string,
): Promise<string> {
  const refuse = (message: string) => new UnreadableFile(message);
  const opened = await openFilesForReading([at ?? operand], cwd, refuse);
  try {
    await decompressTo({ ...(opened.files[0] as OpenedFile), name: operand }, compression, target, refuse);
  } finally {
    await opened.close();
  }
  return target;
}

/**
 * The run's inputs by name, each `.zip` among `operands` replaced by its FHIR JSON and NDJSON
 * entries (`archive.zip/Patient.ndjson`, in the archive's order), with where each entry's bytes
 * are, each archive's account by its first entry, and the stderr notes. `close` removes the
 * unzipped entries. @throws {UnreadableFile} for an archive that cannot be opened or read
 */
async function fhirArchives(
  operands: readonly string[],
  cwd: string,
  command: string,
): Promise<{
  inputs: string[];
  paths: Map<string, string>;
  notRead: Map<string, AccountLine[]>;
  notes: string[];
  close: () => Promise<void>;
}> {
  const zips = operands.filter(isZipName);
  if (zips.length === 0)
    return { inputs: [...operands], paths: new Map(), notRead: new Map(), notes: [], close: async () => {} };
  const refuse = (message: string) => new UnreadableFile(message);
  const opened = await openFilesForReading(zips, cwd, refuse);
  try {
    const read = await readArchiveInputs(opened.files, command, refuse, 'fhir');
    const entries = read.files.map((f) => f.name);
    const inputs = operands.flatMap((operand) =>
      isZipName(operand) ? entries.filter((name) => name.startsWith(`${operand}/`)) : [operand],
    );
    // the entries are read again by path; their run folder goes with `close`
    return { inputs, paths: read.paths, notRead: read.notRead, notes: read.notes, close: read.close };
  } finally {
    await opened.close();
  }
}

/** A file the command cannot read or use (exit 2, the message names the file). */
export class UnreadableFile extends Error {
  override name = 'UnreadableFile';
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
};

function unreadable(file: string, error: unknown): UnreadableFile {
  const code = (error as { code?: unknown })?.code;
  const why = typeof code === 'string' ? (READ_FAILURES[code] ?? `read error ${code}`) : 'read error';
  return new UnreadableFile(`cannot read "${file}": ${why}.`);
}

/**
 * The text of a FHIR file, decoded strictly as UTF-8 (a leading byte-order mark dropped): a byte
 * that is not UTF-8, or a zero byte (JSON never holds one: a binary file), throws
 * {@link TextDecodeError} with its byte offset.
 */
async function* decodedChunks(file: string, name = file): AsyncGenerator<string> {
  const decoder = createTextStreamDecoder('utf-8-bom', name);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    yield decoder.decode(chunk as Uint8Array).text;
  }
  const tail = decoder.end().text;
  if (tail) yield tail;
}

/** The line of the byte at `byteOffset` of `file`, read once more up to it. */
async function lineOfFileByte(file: string, byteOffset: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    return await lineOfByte(
      {
        size,
        read: async (offset, length) => {
          const bytes = new Uint8Array(length);
          const { bytesRead } = await handle.read(bytes, 0, length, offset);
          return bytes.subarray(0, bytesRead);
        },
      },
      'utf-8',
      byteOffset,
    );
  } finally {
    await handle.close();
  }
}

/** Layers `--skip` may name: every one but JSON, without which nothing can be read. */
export const SKIPPABLE_LAYERS = FHIR_LAYERS.filter((l) => l !== 'json');
const SKIPPABLE = SKIPPABLE_LAYERS;

function parseLayers(skipped: string[]): FhirLayer[] {
  for (const name of skipped) {
    if (name === 'json')
      throw new UsageError(
        'the json layer cannot be skipped: nothing can be checked without reading the JSON',
      );
    if (!(FHIR_LAYERS as readonly string[]).includes(name))
      throw new UsageError(`unknown layer "${name}" for --skip; layers are: ${SKIPPABLE.join(', ')}`);
  }
  return FHIR_LAYERS.filter((l) => !skipped.includes(l));
}

/** The `--unknown-extensions` option, shared by every command that runs the FHIR layers. */
export const UNKNOWN_EXTENSIONS_OPTION: OptionSpec = {
  name: 'unknown-extensions',
  type: 'string',
  valueName: 'error|warning',
  description: 'extensions the FHIR specification does not define (default error, as the HL7 validator)',
};

/** The `--allow-example-urls` option: extensions at example domains pass unjudged. */
export const ALLOW_EXAMPLE_URLS_OPTION: OptionSpec = {
  name: 'allow-example-urls',
  type: 'boolean',
  description:
    'accept extensions at example domains (example.org, acme.com); default: an error, as the HL7 validator',
};

/** `--ig` and `--profile`: implementation guide packages whose profiles are applied. */
export const PROFILE_OPTIONS: OptionSpec[] = [
  {
    name: 'ig',
    type: 'string',
    multiple: true,
    valueName: 'package.tgz',
    description:
      "apply an implementation guide package's profiles (FHIR NPM .tgz) as meta.profile names them",
  },
  {
    name: 'profile',
    type: 'string',
    multiple: true,
    valueName: 'url',
    description: 'with --ig: also apply this profile (canonical URL) to every resource of its type',
  },
  {
    name: 'terminology',
    type: 'string',
    multiple: true,
    valueName: 'package.tgz',
    description:
      "add a package's code systems and value sets (FHIR NPM .tgz: a clinic's own codes, hl7.terminology.r4); codes of a code system it ships whole are checked",
  },
];

/**
 * The packages of `--ig`, read and indexed; undefined without `--ig` (and without packages the
 * project names). With `--project`, each package the project names must be among them, and the
 * profiles it applies to every resource of their type apply unless `--profile` is given.
 * Throws UnreadableFile, UsageError, MissingProjectPackagesError.
 */
export async function loadProfiles(
  args: ParsedArgs,
  io: CliIo,
  project?: Pick<ProjectFhirChecks, 'projectFile' | 'packages' | 'profiles'>,
): Promise<{ registry: ProfileRegistry; profiles: string[]; lines: string[] } | undefined> {
  const files = args.strings('ig');
  const given = args.strings('profile');
  const terminologyFiles = args.strings('terminology');
  if (files.length === 0 && (project?.packages.length ?? 0) === 0) {
    if (given.length > 0) throw new UsageError('--profile needs --ig: the package that defines the profile');
    if (terminologyFiles.length === 0) return undefined;
  }
  const packages = await readIgPackages(files, io);
  // after the guides: a guide's own definition of a value set wins over a terminology package's
  const terminology = (await readIgPackages(terminologyFiles, io)).map(asTerminologyPackage);
  // a project's terminology package (added in the app as one) is given with --terminology
  const givenFiles = [...files, ...terminologyFiles];
  const lines = project
    ? matchProjectPackages(
        project.projectFile,
        project.packages,
        [...packages, ...terminology].map((p, i) => ({
          file: givenFiles[i] as string,
          name: p.name,
          version: p.version,
          sha256: p.sha256,
          ...(p.terminology ? { terminology: true as const } : {}),
        })),
      )
    : [];
  // a package with differentials only has its snapshots generated against the built-in R4 base
  if (needsBuiltInBase(packages)) await ensureGenerated(io);
  const registry = await loadProfileRegistry([...packages, ...terminology]);
  for (const url of given) {
    if (!registry.structureDefinition(url))
      throw new UsageError(`--profile ${url}: no package given with --ig defines this profile`);
  }
  // the project's chosen profiles are those of its packages, all given by now
  const profiles = given.length > 0 ? given : (project?.profiles ?? []);
  for (const url of profiles) {
    if (!registry.structureDefinition(url))
      throw new MissingProjectPackagesError(
        `the project "${project?.projectFile}" applies the profile ${url} to every resource of its type, but no package given with --ig defines it: give the package that does with --ig, or choose the profiles again in the app and export the project again.`,
      );
  }
  return { registry, profiles, lines };
}

/** What a run used of a package: its profiles, or (`--terminology`) its codes only. */
function packageLine(p: { name: string; version: string; sha256: string; terminology?: true }): string {
  const what = p.terminology ? 'code systems and value sets of' : 'profiles of';
  return `${what} ${p.name}#${p.version} ${p.terminology ? 'loaded' : 'applied'} (sha256 ${p.sha256.slice(0, 12)}…)`;
}

/**
 * What a CSV run says of the packages applied to its records mapped to FHIR (a FHIR run says the
 * same from its report's target, {@link summaryLines}).
 */
export function profilePackageLines(registry: ProfileRegistry, profiles: readonly string[]): string[] {
  const lines = registry.packages.map((p) => `records mapped to FHIR: ${packageLine(p)}`);
  for (const m of registry.missingDependencies)
    lines.push(
      `  not loaded: ${m.name}#${m.version}, required by ${m.requiredBy.join(', ')}. ${m.unchecked}`,
    );
  if (profiles.length > 0) lines.push(`  applied to every record of their type: ${profiles.join(', ')}`);
  else lines.push('  each record against the profiles its meta.profile names');
  return lines;
}

/** Reads the `--ig` package files. Throws {@link UnreadableFile} naming the file. */
export async function readIgPackages(files: readonly string[], io: CliIo): Promise<IgPackage[]> {
  const packages: IgPackage[] = [];
  for (const operand of files) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path.resolve(io.cwd, operand)));
    } catch (error) {
      throw unreadable(operand, error);
    }
    try {
      packages.push(await readIgPackage(bytes));
    } catch (error) {
      if (!(error instanceof IgPackageError)) throw error;
      throw new UnreadableFile(`cannot use "${operand}" as a FHIR package: ${error.message}`);
    }
  }
  return packages;
}

/** `--outcomes-format`: how `--outcomes` writes the OperationOutcomes. */
export const OUTCOMES_FORMAT_OPTION: OptionSpec = {
  name: 'outcomes-format',
  type: 'string',
  valueName: 'ndjson|bundle',
  description: 'with --outcomes: "ndjson" (default) or "bundle" (a collection Bundle, as the HL7 validator)',
};

/** The value of `--outcomes-format` (default ndjson); given without `--outcomes`, a usage error. */
function outcomesFormat(args: ParsedArgs): OutcomesFormat {
  const value = args.string('outcomes-format');
  if (value === undefined) return 'ndjson';
  if (value !== 'ndjson' && value !== 'bundle')
    throw new UsageError('--outcomes-format takes "ndjson" or "bundle"');
  if (args.string('outcomes') === undefined)
    throw new UsageError('--outcomes-format needs --outcomes: the file to write the OperationOutcomes to');
  return value;
}

/** The value of `--unknown-extensions` (default error). */
export function unknownExtensionSeverity(args: ParsedArgs): UnknownExtensionSeverity {
  const value = args.string('unknown-extensions') ?? 'error';
  if (value !== 'error' && value !== 'warning')
    throw new UsageError('--unknown-extensions takes "error" or "warning"');
  return value;
}

/** The FHIR layers the user did not `--skip` (json cannot be skipped). */
export function layersFromArgs(args: ParsedArgs): FhirLayer[] {
  return parseLayers(args.strings('skip'));
}

/** The report without any value from the data (examples keep input, row and location). */
export function redactReport(report: Report): Report {
  return {
    ...report,
    redacted: true,
    issues: report.issues.map((issue) => ({
      ...issue,
      examples: issue.examples.map(({ value: _value, ...rest }) => rest),
    })),
  };
}

/** Kinds of message shown under the root cause they follow from; the rest are counted. */
const SHOWN_DERIVED = 3;

/**
 * The messages folded under an issue as its root cause: how many, and the first kinds. Under an
 * accepted root cause, an error no waiver accepts in its own right says so: it still fails.
 */
function derivedLines(report: Report, issue: ReportIssue): string[] {
  const derived = issue.derived ?? [];
  if (derived.length === 0) return [];
  const total = derived.reduce((n, d) => n + d.count, 0);
  const lines = [`           ${total} more ${total === 1 ? 'message follows' : 'messages follow'} from it:`];
  for (const d of derived.slice(0, SHOWN_DERIVED)) {
    const mark =
      issue.acceptedBy !== undefined && (d.severity === 'error' || d.severity === 'fatal')
        ? acceptsDerived(report, issue, d)
          ? ' (accepted too)'
          : ' (not accepted: it still fails)'
        : '';
    lines.push(
      `             ${d.location || '(file)'} ×${d.count}: ${d.message ?? d.rule} [${d.rule}]${mark}`,
    );
  }
  if (derived.length > SHOWN_DERIVED)
    lines.push(`             … and ${derived.length - SHOWN_DERIVED} more kinds in the report`);
  return lines;
}

function summaryLines(report: Report): string[] {
  const { summary } = report;
  const folded = report.issues.reduce(
    (n, issue) => n + (issue.derived ?? []).reduce((m, d) => m + d.count, 0),
    0,
  );
  const lines = [
    `${summary.records} resource${summary.records === 1 ? '' : 's'} in ${report.inputs.length} file${report.inputs.length === 1 ? '' : 's'}: ${summary.valid} valid, ${summary.invalid} invalid (${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'})`,
  ];
  if (folded > 0)
    lines.push(
      `  by root cause: ${folded} of these messages ${folded === 1 ? 'follows' : 'follow'} from another problem and ${folded === 1 ? 'is' : 'are'} shown under it`,
    );
  if (report.target?.type === 'fhir') {
    for (const p of report.target.packages ?? []) lines.push(`  ${packageLine(p)}`);
    for (const m of report.target.missingPackages ?? [])
      lines.push(
        `  not loaded: ${m.name}#${m.version}, required by ${m.requiredBy.join(', ')}. ${m.unchecked}`,
      ); // the same lines for every file of an export: each once
    for (const { input, what } of notCheckedLines(report)?.items ?? [])
      lines.push(`  not checked: ${input === undefined ? '' : `${input}: `}${what}`);
  }
  for (const issue of report.issues.slice(0, SHOWN_ISSUES)) {
    const first = issue.examples[0];
    const where = first
      ? ` (first: ${first.input ?? ''}${first.row !== undefined ? ` row ${first.row}` : ''}${first.column ? ` ${first.column}` : ''})`
      : '';
    lines.push(
      `  ${issue.severity.padEnd(7)} ${issue.location || '(file)'} ×${issue.count}: ${issue.message ?? issue.rule} [${issue.rule}]${where}${issue.acceptedBy ? ` (accepted: ${issue.acceptedBy})` : ''}`,
    );
    // with --project: what uses the failing element's data, as `validate --project` says it
    if (issue.usedBy && issue.usedBy.length > 0) lines.push(`           ${usedByLine(issue.usedBy)}`);
    lines.push(...derivedLines(report, issue));
  }
  if (report.issues.length > SHOWN_ISSUES)
    lines.push(`  … and ${report.issues.length - SHOWN_ISSUES} more kinds of issue in the report`);
  return lines;
}

/**
 * Makes the generated validators when they are missing or stale (a fresh clone that has not run
 * `npm test` or `npm start` yet): they are build output of src/cli/generateFhir.ts, not committed.
 */
export async function ensureGenerated(io: CliIo, command = 'fhir validate'): Promise<void> {
  const generator = await import('../generateFhir.ts');
  if (generator.isFresh()) return;
  io.stderr(`preflight ${command}: preparing the FHIR R4 validators (once, about 10 seconds)…`);
  generator.writeFhirFiles();
}

/** The `preflight fhir validate` command. */
export const fhirValidateCommand: Command = {
  name: 'fhir validate',
  summary: 'validate FHIR R4 resources, Bundles and NDJSON exports',
  operands: '<file...>',
  options: [
    {
      name: 'report',
      type: 'string',
      valueName: 'file',
      description: 'write the preflight.report/v1 JSON here',
    },
    {
      name: 'outcomes',
      type: 'string',
      valueName: 'file',
      description: 'write one OperationOutcome per resource here, as NDJSON lines {input, row, outcome}',
    },
    OUTCOMES_FORMAT_OPTION,
    {
      name: 'skip',
      type: 'string',
      multiple: true,
      valueName: 'layer',
      description: `switch a layer off (${SKIPPABLE.join(', ')})`,
    },
    {
      name: 'redact',
      type: 'boolean',
      description: 'leave the values out of the report (examples keep row and location)',
    },
    { name: 'json', type: 'boolean', description: 'print the report JSON instead of the summary' },
    UNKNOWN_EXTENSIONS_OPTION,
    ALLOW_EXAMPLE_URLS_OPTION,
    {
      ...PROJECT_OPTION,
      description:
        "check with the project's FHIR checks (layers, extensions, profiles; give its packages with --ig)",
    },
    ...REHEARSAL_OPTIONS,
    ...PROFILE_OPTIONS,
  ],
  description: [
    'Validates FHIR R4 JSON: a resource or a Bundle per .json file, or NDJSON (.ndjson, .jsonl; one',
    'resource per line, streamed, any size). Layers: JSON, structure (the R4 JSON Schema of each',
    'resource type), cardinality, values, extensions, invariants, bindings (required value sets of',
    'the specification) and references (inside Bundles and across the NDJSON files of one run).',
    'The summary names rules, locations and counts; values appear only in the --report file.',
    'With --ig, the profiles of implementation guide packages (FHIR NPM .tgz) apply too: each',
    'resource against its meta.profile (and --profile), offline; the report lists the packages.',
  ].join('\n'),
  notes:
    'Exit codes: 0 no errors (or only errors --waivers accepts), 1 some resource has an error (a file that is not UTF-8 text is one; the other files are still checked), 2 bad usage or a file cannot be opened.',
  examples: [
    {
      args: ['samples/fhir/Patient.ndjson', 'samples/fhir/Condition.ndjson'],
      does: "two files of the demo's FHIR export, with planted defects",
      exits: 1,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    // the previous report and the waivers are checked before any resource is read
    const rehearsal = await readRehearsalInputs(args, io);
    if (!rehearsal.ok) {
      io.stderr(`preflight fhir validate: ${rehearsal.message}`);
      return EXIT_USAGE;
    }
    // and the project, whose FHIR checks apply where no option replaces them
    const project = await readRunProject(args, io);
    if (!project.ok) {
      io.stderr(`preflight fhir validate: ${project.message}`);
      return EXIT_USAGE;
    }
    return validateFhirFiles(
      args,
      io,
      'fhir validate',
      // the waivers recorded in the project apply as on the Migration screen; --waivers adds to them
      withProjectWaivers(rehearsal.value, project.value),
      project.value ? projectFhirChecks(project.value, args) : undefined,
      project.value?.project,
    );
  },
};

/**
 * The work of `preflight fhir validate` (and of its alias `preflight validate --fhir`): `command`
 * names the command in messages. Reads the options `report`, `outcomes`, `outcomes-format`, `skip`,
 * `redact`, `json`, `unknown-extensions` and `allow-example-urls`, which every command calling it declares.
 */
export function validateFhirFiles(
  args: ParsedArgs,
  io: CliIo,
  command: string,
  rehearsal: RehearsalInputs = {},
  /** with --project: the project's FHIR checks, where no option replaces them (validateProject.ts) */
  checks?: ProjectChecks,
  /** with --project: the project, whose data dictionary says what uses each failing element */
  project?: Project,
): Promise<number> {
  // the report and outcomes files are claimed for the whole run: a killed run is named by the next
  return withClaimedOutputs([args.string('report'), args.string('outcomes')], io, () =>
    validateClaimed(args, io, command, rehearsal, checks, project),
  );
}

/** The largest file read ahead for its definitions: a form or a measure is small, a larger file holds data. */
const MAX_DEFINITION_FILE_BYTES = 16 * 1024 * 1024;

/** The definitions read ahead from the run's files, by canonical URL (undefined: none of that kind). */
interface RunDefinitions {
  questionnaires?: Map<string, Record<string, unknown>>;
  measures: Map<string, Record<string, unknown>>;
}

/**
 * The Questionnaires and Measures of the run's plain JSON files (one, or a Bundle holding some),
 * read ahead so that a QuestionnaireResponse or a MeasureReport in one file of the run is checked
 * against the definition in another. NDJSON, compressed and zipped inputs are not read ahead. A
 * file that cannot be read or parsed here is skipped: the run reads it again and says what is
 * wrong with it.
 */
async function runDefinitions(operands: readonly string[], cwd: string): Promise<RunDefinitions> {
  const questionnaires = new Map<string, Record<string, unknown>>();
  const measures = new Map<string, Record<string, unknown>>();
  for (const operand of operands) {
    if (!operand.toLowerCase().endsWith('.json') || isZipName(operand)) continue;
    const file = path.resolve(cwd, operand);
    let text: string;
    try {
      const info = await stat(file);
      if (!info.isFile() || info.size > MAX_DEFINITION_FILE_BYTES) continue;
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes('"Questionnaire"') && !text.includes('"Measure"')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      continue;
    }
    canonicalsIn('Questionnaire', parsed, questionnaires);
    canonicalsIn('Measure', parsed, measures);
  }
  return {
    ...(questionnaires.size > 0 ? { questionnaires } : {}),
    // given even when empty: the run's files were searched, which a Measure not found says
    measures,
  };
}

/** A project's FHIR checks for a run, and the lines that say so. */
type ProjectChecks = ProjectFhirChecks;

async function validateClaimed(
  args: ParsedArgs,
  io: CliIo,
  command: string,
  rehearsal: RehearsalInputs,
  checks: ProjectChecks | undefined,
  project: Project | undefined,
): Promise<number> {
  if (args.operands.length === 0) throw new UsageError('give at least one FHIR file to validate');
  const layers = checks?.layers ?? layersFromArgs(args);
  const unknownExtensions = checks?.unknownExtensions ?? unknownExtensionSeverity(args);
  const format = outcomesFormat(args);
  let loaded: Awaited<ReturnType<typeof loadProfiles>>;
  try {
    loaded = await loadProfiles(args, io, checks);
  } catch (error) {
    if (!(error instanceof UnreadableFile || error instanceof MissingProjectPackagesError)) throw error;
    io.stderr(`preflight ${command}: ${error.message}`);
    return EXIT_USAGE;
  }
  await ensureGenerated(io, command);
  const { questionnaires, measures } = await runDefinitions(args.operands, io.cwd);
  const startedMs = performance.now();
  const started = new Date();
  const startedAt = started.toISOString();
  // a batch run: FHIRPath.js loads when a resource first needs it (many runs never do)
  const session = await createFhirSession(
    { ...generatedModules, fhirPathLoad: 'on-demand' },
    {
      layers,
      unknownExtensions,
      ...(args.flag('allow-example-urls') || checks?.allowExampleUrls ? { allowExampleUrls: true } : {}),
      // R4's vital-signs profiles apply by an Observation's code with or without a package
      profiles: validatorProfiles(loaded?.registry ?? (await loadProfileRegistry([])), loaded?.profiles),
      ...(questionnaires ? { questionnaires } : {}),
      measures,
    },
  );
  const outcomesFile = args.string('outcomes');
  // the app's download writes through the same writer: the same files give the same bytes
  const writer = createOutcomesWriter(format);
  const outcomes: string[] = [writer.start()];
  const run = createFhirRun(session, {
    ...(outcomesFile ? { onRecord: (o: RecordOutcome) => void outcomes.push(writer.record(o)) } : {}),
    // the waivers limited to rows, judged on the day the run started: their rows are counted in the pass
    rowSets: fhirRowSetWaivers(rehearsal.waivers ?? [], localDay(started)),
  });
  // a .zip of FHIR files: each JSON or NDJSON entry is an input, `archive.zip/Patient.ndjson`,
  // unzipped into a run folder, and the other entries are the archive's account (archiveInputs.ts)
  let archives: Awaited<ReturnType<typeof fhirArchives>>;
  try {
    archives = await fhirArchives(args.operands, io.cwd, command);
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    io.stderr(`preflight ${command}: ${error.message}`);
    return EXIT_USAGE;
  }
  for (const note of archives.notes) io.stderr(note);
  // compressed files' text (compressedInputs.ts), removed when the run ends or is stopped
  let unpacked: ReturnType<typeof makeStoppableRunFolder> | undefined;
  let digests: Record<string, string>;
  try {
    for (const [index, operand] of archives.inputs.entries()) {
      const at = archives.paths.get(operand);
      let file = at ?? path.resolve(io.cwd, operand);
      try {
        const compression = compressionOf(operand);
        if (compression !== undefined) {
          unpacked ??= makeStoppableRunFolder('decompressed');
          file = await unpackedFile(
            operand,
            at,
            io.cwd,
            compression,
            path.join(unpacked.folder, `${index}.txt`),
          );
          io.stderr(decompressedNote(command, operand, compression));
        }
        const info = await stat(file);
        if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
        if (isNdjsonFile(operand)) {
          await run.addNdjson(operand, decodedChunks(file), info.size);
        } else {
          if (info.size > MAX_JSON_BYTES)
            throw new UnreadableFile(
              `cannot read "${operand}": larger than ${byteSizeWords(MAX_JSON_BYTES)}; export it as NDJSON (one resource per line) to validate it streamed`,
            );
          // streamed, so a text over its bound is refused before the rest of the file is read
          await run.addJsonChunks(operand, decodedChunks(file, operand), info.size);
        }
      } catch (error) {
        // a file that is not text is a problem of the data: one fatal problem on it, and the run
        // goes on with the other files
        if (error instanceof TextDecodeError) {
          run.refuseText(
            operand,
            isNdjsonFile(operand) ? 'ndjson' : 'fhir-json',
            {
              byteOffset: error.byteOffset,
              line: await lineOfFileByte(file, error.byteOffset),
              binary: error.binary,
            },
            (await stat(file)).size,
          );
          continue;
        }
        // file-system failures are the user's to fix; anything else is a bug (main reports it)
        const failure =
          error instanceof UnreadableFile
            ? error
            : typeof (error as { code?: unknown })?.code === 'string'
              ? unreadable(operand, error)
              : undefined;
        if (!failure) throw error;
        io.stderr(`preflight ${command}: ${failure.message}`);
        return EXIT_USAGE;
      }
    }
    // the archives' entries are hashed before their run folder goes
    digests = await digestFiles(archives.inputs, io.cwd, archives.paths);
  } finally {
    unpacked?.remove();
    await archives.close();
  }
  let report = run.report({
    startedAt,
    generatedAt: new Date().toISOString(),
    totalMs: Math.round(performance.now() - startedMs),
    version: VERSION,
  });
  if (loaded) report = withProfilePackages(report, loaded.registry, loaded.profiles);
  report = withNotRead(report, archives.notRead);
  report = withDigests(report, digests);
  if (args.flag('redact')) report = redactReport(report);
  report = await withRehearsal(report, rehearsal, started, { pause: yieldToSignals });
  // with --project, each failing issue names the steps, roles and cases an hour that use its element
  report = withProjectTrace(report, project);
  const reportFile = args.string('report');
  // each written whole or not at all (wholeFiles.ts)
  const writes: [string | undefined, string][] = [
    [reportFile, `${JSON.stringify(report, null, 2)}\n`],
    [outcomesFile, `${outcomes.join('')}${writer.end()}`],
  ];
  for (const [file, text] of writes) {
    if (file === undefined) continue;
    const target = path.resolve(io.cwd, file);
    try {
      await writeWholeFile(target, text);
    } catch (error) {
      io.stderr(`preflight ${command}: cannot write "${file}": ${writeFailure(error)}.`);
      return EXIT_USAGE;
    }
  }
  // the project's FHIR checks: on stdout before the summary, on stderr beside the JSON
  const projectLines = [...(checks?.lines ?? []), ...(loaded?.lines ?? [])];
  if (args.flag('json')) {
    const aside = [...projectLines, ...(rehearsal.waiverLines ?? [])];
    if (aside.length > 0) io.stderr(aside.join('\n'));
    writeData(io, JSON.stringify(report, null, 2));
  } else
    io.stdout(
      withRehearsalText(
        [...projectLines, ...summaryLines(oneLineStrings(report))].join('\n'),
        oneLineStrings(report),
        rehearsal.waiverLines,
      ),
    );
  // with waivers, only errors no waiver accepted fail the run
  const fails = rehearsal.waivers ? runFails(report) : report.summary.invalid > 0;
  return fails ? EXIT_FINDINGS : EXIT_OK;
}
