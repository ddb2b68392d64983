/**
 * `preflight validate <files…> [--schema [file=]contract.json]… [--mapping [file=]m.json]…
 * [--report out.json] [--workers N] [--redact] [--key [file.]column]… [--references child.col=parent.col]…`
 * (or `preflight validate --fhir <file.json|file.ndjson…>`): validates CSV extracts
 * against column contracts and writes a `preflight.report/v1` JSON. This file holds the command's
 * table (options, help, examples), checks which options go together, and hands the run to its
 * engine: the default engine (validateDefault.ts, the core's one validation run that the
 * Migration workspace takes too), PostgreSQL (validatePostgres.ts), a warehouse
 * (validateWarehouse.ts), or FHIR files (fhirValidate.ts).
 *
 * Constraints:
 * - Exit 0 no errors (warnings allowed); 1 errors found (rows, structure or cross-file; with
 *   `--fail-on-empty`, a file with no records: only a header, or empty); 2 bad usage or an input that cannot be read (no
 *   such file, bytes not valid in its encoding, a contract that does not compile). The summary's
 *   last line (`runVerdict`) names what the exit code rests on.
 * - The previous report, the waivers and the project are read, and the options checked, before
 *   any extract is read.
 * - `--project p.json`: each file is checked as the project's saved check set its header matches
 *   (core runPlan.ts `bindFiles`); options given replace the project's settings.
 * - `--mapping [file=]m.json`: each row is mapped to the mapping's target and validated in the
 *   same pass, by the FHIR layers (an R4 resource) or against the target JSON Schema
 *   (validateMapping.ts; a worker prepares the check once from the mapping). `--fhir`: the files
 *   are FHIR JSON/NDJSON and the command is `fhir validate`.
 */
import path from 'node:path';
import { TEXT_ENCODINGS } from '../../core/csv/index.ts';
import { refuseRepeatedFiles } from '../../core/validation/index.ts';
import { type CliIo, type Command, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { failingRowsFormat } from '../failingRowsFile.ts';
import {
  ALLOW_EXAMPLE_URLS_OPTION,
  OUTCOMES_FORMAT_OPTION,
  PROFILE_OPTIONS,
  SKIPPABLE_LAYERS,
  UNKNOWN_EXTENSIONS_OPTION,
  validateFhirFiles,
} from './fhirValidate.ts';
import {
  CSV_ONLY_OPTIONS,
  FHIR_FILES_ONLY_OPTIONS,
  FHIR_LAYER_OPTIONS,
  optionGiven,
} from './validateArgs.ts';
import { validateWithDefault } from './validateDefault.ts';
import { MAPPING_OPTION } from './validateMapping.ts';
import { usage } from './validateOptions.ts';
import { POSTGRES_OPTIONS, refusePostgresOnly, validateWithPostgres } from './validatePostgres.ts';
import { PROJECT_OPTION, projectFhirChecks, readRunProject } from './validateProject.ts';
import { REHEARSAL_OPTIONS, readRehearsalInputs, withProjectWaivers } from './validateRehearsal.ts';
import { validateWithWarehouse } from './validateWarehouse.ts';

/** Whether an option of `preflight validate` was given (any value). */
function given(args: ParsedArgs, name: string): boolean {
  return optionGiven(validateCommand.options, args, name);
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
    return validateWithDefault(args, io, rehearsal, project, (name) => given(args, name));
  },
};
