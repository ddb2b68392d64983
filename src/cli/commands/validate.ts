/**
 * `preflight validate <files…> [--schema [file=]contract.json]… [--mapping [file=]m.json]…
 * [--report out.json] [--workers N] [--redact] [--key [file.]column]… [--references child.col=parent.col]…`
 * (or `preflight validate --fhir <file.json|file.ndjson…>`): validates CSV extracts
 * against column contracts with the core's engine (the one the Migration workspace runs in its
 * workers) and writes the same `preflight.report/v1` JSON. The run is the core's: its plan
 * (`planRun`, read from the options by validateOptions.ts), the streaming pass and the report;
 * this file turns options into them, runs files in workers, and prints.
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
 *   (core runPlan.ts `bindFiles`); options given replace the project's settings.
 * - `--mapping [file=]m.json`: each row is mapped to the mapping's target and validated in the
 *   same pass, by the FHIR layers (an R4 resource) or against the target JSON Schema
 *   (validateMapping.ts; a worker prepares the check once from the mapping). `--fhir`: the files
 *   are FHIR JSON/NDJSON and the command is `fhir validate`.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { TEXT_ENCODINGS } from '../../core/csv/index.ts';
import { MissingProjectPackagesError } from '../../core/fhir/index.ts';
import { profilePackages } from '../../core/fhirProfiles/index.ts';
import type { MappedRunInfo } from '../../core/mapping/index.ts';
import { MappingUnusableError } from '../../core/mapping/index.ts';
import type { Int96Reading } from '../../core/parquet/index.ts';
import {
  chooseDemographics,
  type DecimalMark,
  headerLines,
  type InputRunner,
  localDay,
  prepareRun,
  RUN_STOP_ERRORS,
  refuseRepeatedFiles,
  runStopMessage,
  summaryText,
  validationRun,
  withDatasetRows,
  withNotRead,
} from '../../core/validation/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { failingRowsFormat, writeFailingRows } from '../failingRowsFile.ts';
import { digestFiles } from '../fileDigests.ts';
import { createRunKeySpill, KeySpillError } from '../keySpillFiles.ts';
import { yieldToSignals } from '../runFolders.ts';
import { markTimeline } from '../runTimeline.ts';
import { oneLineStrings } from '../terminalText.ts';
import { openValidateInputs, type ValidateInputFiles } from '../validateInputFiles.ts';
import { followedRun, type TerminalProgress, terminalProgress } from '../validateProgress.ts';
import { createFileRunner, ValidateWorkerError } from '../validateWorkers.ts';
import { claimOutputs, outputTargets } from '../wholeFiles.ts';
import {
  ALLOW_EXAMPLE_URLS_OPTION,
  loadProfiles,
  OUTCOMES_FORMAT_OPTION,
  PROFILE_OPTIONS,
  profilePackageLines,
  SKIPPABLE_LAYERS,
  UNKNOWN_EXTENSIONS_OPTION,
  UnreadableFile,
  validateFhirFiles,
} from './fhirValidate.ts';
import { attachMappings, findTargetSchemas, MAPPING_OPTION } from './validateMapping.ts';
import {
  compileContract,
  PROJECT_OVERRIDES,
  planFromArgs,
  runVerdict,
  Unusable,
  usage,
  writeFailingRowsFile,
  writeReportFile,
} from './validateOptions.ts';
import { POSTGRES_OPTIONS, refusePostgresOnly, validateWithPostgres } from './validatePostgres.ts';
import { overridingOptions, PROJECT_OPTION, projectFhirChecks, readRunProject } from './validateProject.ts';
import {
  REHEARSAL_OPTIONS,
  readRehearsalInputs,
  withProjectWaivers,
  withRehearsal,
  withRehearsalText,
} from './validateRehearsal.ts';
import { validateWithWarehouse } from './validateWarehouse.ts';

/** Options that only CSV validation reads: refused with --fhir (FHIR files have no columns or layout). */
const CSV_ONLY_OPTIONS = [
  'schema',
  'key',
  'references',
  'demographics',
  'encoding',
  'delimiter',
  'no-header',
  'decimal',
  'int96',
  'workers',
  'mapping',
  'failing-rows',
  'fail-on-empty',
] as const;
/** Options that only FHIR file validation reads: refused without --fhir. */
const FHIR_FILES_ONLY_OPTIONS = ['outcomes', 'outcomes-format', 'allow-example-urls'] as const;
/** Options of the FHIR layers and profiles: with --fhir, --mapping or --project only. */
const FHIR_LAYER_OPTIONS = ['skip', 'unknown-extensions', 'ig', 'profile', 'terminology'] as const;

/** `--decimal`: the decimal mark of every CSV file's numbers; undefined: detected. */
function decimalOption(args: ParsedArgs): DecimalMark | undefined {
  const value = args.string('decimal');
  if (value === undefined) return undefined;
  if (value === '.' || value === ',') return value;
  throw new UsageError('--decimal must be "." or ","');
}

/** `--int96`: how Parquet INT96 timestamps are read; undefined: by the writer's convention. */
function int96Option(args: ParsedArgs): Int96Reading | undefined {
  const value = args.string('int96');
  if (value === undefined) return undefined;
  if (value === 'utc' || value === 'local') return value;
  throw new UsageError('--int96 must be utc or local');
}

/** Whether a CSV-only or FHIR-only option was given (any value). */
function given(args: ParsedArgs, name: string): boolean {
  const spec = validateCommand.options.find((o) => o.name === name);
  if (spec?.type === 'boolean') return args.flag(name);
  return spec?.multiple ? args.strings(name).length > 0 : args.string(name) !== undefined;
}

/** The engines `--engine` names (`duckdb`: the removed engine, run as the default one). */
const ENGINES = ['default', 'duckdb', 'postgres', 'trino', 'snowflake', 'databricks'] as const;

/** `--engine`, checked (default: the default engine). */
function engineAsked(args: ParsedArgs): (typeof ENGINES)[number] {
  const asked = args.string('engine') ?? 'default';
  const known = ENGINES.find((e) => e === asked);
  if (known === undefined)
    throw new UsageError('--engine must be default, postgres, trino, snowflake or databricks');
  return known;
}

/**
 * What an SQL engine (`--engine postgres`, `trino`, `snowflake` or `databricks`) has nothing to act on, refused by name: FHIR
 * files and their options (the SQL engines check no FHIR files and run no mapping), and the
 * default engine's readings of numbers and timestamps.
 */
function refuseOnSqlEngine(
  args: ParsedArgs,
  engine: 'postgres' | 'trino' | 'snowflake' | 'databricks',
): void {
  const name = { postgres: 'PostgreSQL', trino: 'Trino', snowflake: 'Snowflake', databricks: 'Databricks' }[
    engine
  ];
  if (args.flag('fhir')) throw new UsageError(`--engine ${engine} is for tables of CSV records, not --fhir`);
  const fhirOnly = FHIR_FILES_ONLY_OPTIONS.filter((option) => given(args, option));
  if (fhirOnly.length > 0) throw new UsageError(`--${fhirOnly[0]} needs --fhir (FHIR files)`);
  const layer = FHIR_LAYER_OPTIONS.find((option) => given(args, option));
  if (layer !== undefined)
    throw new UsageError(
      `--${layer} is for FHIR checks, of FHIR files or of the records a mapping makes, and the ${name} engine runs neither: leave out --${layer}, or --engine ${engine}`,
    );
  for (const option of ['decimal', 'int96'] as const)
    if (given(args, option))
      throw new UsageError(
        `--${option} is read by the default engine only; the ${name} engine reads numbers and timestamps as its tables hold them: leave out --${option}, or --engine ${engine}`,
      );
}

/** Error classes a worker reports that mean "this input cannot be used" (exit 2). */
const UNUSABLE_IN_WORKER = new Set(['KeySpillError', ...RUN_STOP_ERRORS]);

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/**
 * A run smaller than this (all files together) is validated on one thread unless `--workers` asks
 * for more: it is done in about a second, less than what a worker's start costs.
 */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

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

function unusableMessage(error: unknown): string | undefined {
  if (
    error instanceof Unusable ||
    error instanceof UnreadableFile ||
    error instanceof MissingProjectPackagesError ||
    error instanceof MappingUnusableError ||
    error instanceof KeySpillError
  )
    return error.message;
  // a worker's error of one of the kinds above (its message was built from positions and names only)
  if (error instanceof ValidateWorkerError && UNUSABLE_IN_WORKER.has(error.name)) return error.message;
  return runStopMessage(error);
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
      name: 'decimal',
      type: 'string',
      valueName: '. or ,',
      description:
        'decimal mark of the numbers in every CSV file (default: detected from the first rows: "36,4" is read as 36.4 when the numeric columns write no decimal point, and the summary says so)',
    },
    {
      name: 'int96',
      type: 'string',
      valueName: 'utc|local',
      description:
        "how a Parquet file's INT96 timestamps are read (default: the writer's convention, said in the summary: Impala's as local wall-clock time, Spark's and others' as UTC)",
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
      valueName: 'default|postgres|trino|snowflake|databricks',
      description:
        'postgres: the checks as SQL on tables of a PostgreSQL server (--database, --table); trino, snowflake, databricks: on tables of that warehouse; duckdb: accepted, runs the default engine',
    },
    ...POSTGRES_OPTIONS,
    {
      name: 'memory-limit',
      type: 'string',
      valueName: 'size',
      description: 'accepted and ignored (it was for the removed DuckDB engine): the default engine streams',
    },
    {
      name: 'fhir',
      type: 'boolean',
      description:
        'the files are FHIR R4 JSON or NDJSON (or a .zip of them), checked as `preflight fhir validate` does',
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
    ALLOW_EXAMPLE_URLS_OPTION,
    ...REHEARSAL_OPTIONS,
    ...PROFILE_OPTIONS,
  ],
  description: [
    'Validates CSV/TSV extracts (and .parquet files, read as CSV; a partitioned Parquet folder, as one table; a .zip: each extract in it, as archive.zip/<file>) in one streaming pass: encoding, structure, header and rows against the',
    'column contract, profiles, and across files: duplicate keys, orphan references, mismatched demographics.',
  ].join('\n'),
  notes: [
    'Exit codes: 0 no errors (or only errors a waiver accepts); 1 errors found; 2 bad usage or an input',
    'that cannot be used. Headers, mappings, --project, Parquet files, waivers: docs/cli.md#preflight-validate',
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
    await usage(() => refuseRepeatedFiles(args.operands, (file) => path.resolve(io.cwd, file)));
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
    const asked = engineAsked(args);
    // the DuckDB engine was removed (docs/decisions/0145): scripts that ask for it keep working
    const engine = asked === 'duckdb' ? 'default' : asked;
    const removed = [
      asked === 'duckdb' ? '--engine duckdb' : '',
      given(args, 'memory-limit') ? '--memory-limit' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    if (removed !== '')
      io.stderr(
        `preflight validate: the DuckDB engine was removed; ${removed} ${removed.includes(' and ') ? 'were' : 'was'} ignored and the default engine read the files.`,
      );
    if (engine === 'default') refusePostgresOnly(args);
    const failingRowsFile = args.string('failing-rows');
    if (failingRowsFile !== undefined) failingRowsFormat(failingRowsFile);
    if (engine !== 'default') {
      refuseOnSqlEngine(args, engine);
      return engine === 'postgres'
        ? validateWithPostgres(args, io, rehearsal, project)
        : validateWithWarehouse(engine, args, io, rehearsal, project);
    }
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
        project?.project,
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
    let inputs: ValidateInputFiles | undefined;
    let keySpill: ReturnType<typeof createRunKeySpill> | undefined;
    const started = { at: new Date(), t0: performance.now() };
    // the terminal's progress line (a terminal only): ended once the inputs are done, or on failure
    let progressLine: TerminalProgress | undefined;
    // the files this run writes, marked before it starts: a killed run is named by the next one
    const outputs = await claimOutputs(outputTargets([args.string('report'), failingRowsFile], io), io);
    try {
      // key sets spill to temporary files: memory stays flat whatever the number of keys
      keySpill = createRunKeySpill();
      const opened = await openValidateInputs(files, io.cwd, {
        unusable: (message) => new Unusable(message),
        int96: () => int96Option(args),
        note: io.stderr,
      });
      inputs = opened;
      const spill = keySpill;
      // a --schema whose $id a mapping names as its target is that target, not a column contract
      const schemaValues = await findTargetSchemas(args, io.cwd);
      // the run's jobs with what the plan says beside them; the files checked with their check
      // set's saved mapping; the run's mappings and the FHIR packages they were checked against
      let ready: Awaited<ReturnType<typeof prepareRun>> | undefined;
      const savedMapped = new Set<string>();
      let mapped: MappedRunInfo = {};
      let profiled: Awaited<ReturnType<typeof loadProfiles>>;
      const demographics = args
        .string('demographics')
        ?.split(',')
        .map((d) => d.trim());
      const run = await validationRun({
        prepare: async () => {
          const { plan, given: layout } = await planFromArgs(
            args,
            io.cwd,
            opened.names,
            opened.sources,
            schemaValues.contracts,
            project,
          );
          ready = await prepareRun(plan, opened.sources, {
            given: layout,
            ...(demographics ? { demographics } : {}),
            compile: (c) => compileContract(c.read.savedName ?? c.key, c.read),
            ...(project ? { project } : {}),
            overriding: overridingOptions(args, PROJECT_OVERRIDES),
            // the rows of waivers limited to rows: each file's pass counts the occurrences inside them
            waivers: { waivers: rehearsal.waivers ?? [], today: localDay(started.at) },
          });
          return { plan, jobs: ready.jobs };
        },
        decimalMark: () => decimalOption(args),
        headers: { continueAnyway: args.flag('continue-on-header-mismatch') },
        mappings: async ({ jobs }) => {
          mapped = await attachMappings(
            args,
            opened.names,
            jobs,
            io,
            schemaValues.targets,
            ready?.savedMappings,
            (file) => savedMapped.add(file),
            fhirChecks,
            profilesOnce,
          );
          profiled = mapped.fhir ? await profilesOnce() : undefined;
          const profileOption = (['ig', 'profile', 'terminology'] as const).find((name) => given(args, name));
          if (!mapped.fhir && profileOption !== undefined)
            throw new UsageError(
              `--${profileOption} applies to FHIR records, but no file of this run is mapped to an R4 resource type: give a mapping to FHIR with --mapping, or FHIR files with --fhir`,
            );
          return {
            mapped,
            ...(profiled ? { fhirPackages: profilePackages(profiled.registry, profiled.profiles) } : {}),
          };
        },
        engine: async ({ plan, jobs }) => {
          // without --demographics: those chosen for the file's check set, else the usual names it has
          if (!demographics) await chooseDemographics(jobs, plan.savedDemographics);
          const parallel = filesAtOnce(
            args,
            jobs.map((j) => j.source.size),
          );
          // several files at once: the first on this thread, the others in workers
          const runner: InputRunner | undefined =
            parallel > 1 ? createFileRunner(io.cwd, opened.textPaths) : undefined;
          const progress = process.stderr.isTTY === true || args.flag('progress');
          const line = terminalProgress(
            jobs.map((j) => ({ name: j.source.name, size: j.source.size, keyed: (j.keys?.length ?? 0) > 0 })),
            plan.links,
            undefined,
            process.stderr.columns || undefined,
          );
          if (progress) progressLine = line;
          return { keySpill: spill, parallel, ...followedRun(line, progress, runner, jobs.length) };
        },
        // each file's fingerprint, streamed once more (the page cache holds what was just read)
        fingerprints: {
          when: 'after',
          all: async () =>
            new Map(
              Object.entries(
                await digestFiles(opened.fingerprinted.names, io.cwd, opened.fingerprinted.paths),
              ),
            ),
        },
        started,
        afterEngine: () => {
          markTimeline('validate: inputs validated');
          // the last line said what came after reading (the key checks): it is over, say so
          if (progressLine) process.stderr.write(progressLine.end('done'));
        },
        report: { toolVersion: VERSION, redact: args.flag('redact') },
        // the entries of each archive not read, on its first input (core notRead.ts); each folder's
        // rows named by file and row; the previous run compared and the waivers applied
        annotate: async (built) => {
          markTimeline('validate: files fingerprinted');
          await yieldToSignals();
          return withRehearsal(
            withDatasetRows(withNotRead(built, opened.notRead), opened.places),
            rehearsal,
            started.at,
            { pause: yieldToSignals },
          );
        },
        // with --project, each failing issue names the steps, roles and cases an hour that use its data
        ...(project ? { project: project.project } : {}),
        onStep: (step) => {
          if (step === 'headers') markTimeline('validate: layouts sniffed, contracts compiled');
          if (step === 'execute') markTimeline('validate: inputs start');
        },
      });
      const { jobs, report, results, headers: headerMismatches } = run;
      // what each file was bound to, with the mapping its records are checked with, and the
      // project's FHIR checks when records were mapped to FHIR
      const projectLines = [
        ...(ready?.bindingLines(
          new Set(opened.names.filter((_, i) => jobs[i]?.rowCheck !== undefined)),
          savedMapped,
        ) ?? []),
        ...(mapped.fhir && fhirChecks ? fhirChecks.lines : []),
        ...(profiled
          ? [...profiled.lines, ...profilePackageLines(profiled.registry, profiled.profiles)]
          : []),
      ];
      await writeReportFile(args, io, report, true);
      if (failingRowsFile !== undefined)
        await writeFailingRowsFile(failingRowsFile, () =>
          writeFailingRows(failingRowsFile, io.cwd, results, opened.sources, report, args.flag('redact')),
        );
      markTimeline('validate: report built and written');
      // accepted errors (waivers) do not fail the run; problems across records and files do
      const verdict = runVerdict(report, args.flag('fail-on-empty'));
      await yieldToSignals();
      // what each file was bound to: on stdout before the summary, on stderr beside the JSON
      const aside = [...projectLines, ...(rehearsal.waiverLines ?? [])];
      if (args.flag('json') && aside.length > 0) io.stderr(aside.join('\n'));
      // the strings of the files, each on its one line, for people
      const shown = args.flag('json') ? report : oneLineStrings(report);
      writeResult(
        io,
        args.flag('json'),
        args.flag('json')
          ? JSON.stringify(report, null, 2)
          : [
              ...projectLines,
              ...headerLines(oneLineStrings(headerMismatches)),
              withRehearsalText(summaryText(shown), shown, rehearsal.waiverLines),
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
      await inputs?.close();
      keySpill?.remove();
      await outputs.release();
    }
  },
};
