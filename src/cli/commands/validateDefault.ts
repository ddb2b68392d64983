/**
 * `preflight validate` on the default engine: CSV extracts (and the zips, compressed files,
 * Parquet files and partitioned Parquet folders that hold them) checked against their contracts
 * and mappings by the core's one validation run (`validationRun`, the run the Migration screen
 * takes too). This file only opens the inputs (validateInputFiles.ts), gives each step what only
 * the command knows (the options, the project, the mappings read, a worker per file), and prints.
 *
 * Constraints:
 * - Files are streamed in chunks, never read whole: any size works. Each file is validated in one
 *   pass by one thread; several files run at once (validateWorkers.ts), files that others refer to
 *   first. `--workers N`: at most N files at once; by default as many as the machine has cores,
 *   for runs large enough to gain from a worker's start ({@link PARALLEL_MIN_BYTES}).
 * - stdout carries only the summary (or the report with `--json`); progress goes to stderr, and
 *   only when stderr is a terminal. Messages name files, rows, columns and byte offsets, never
 *   values; values appear only in the report's examples, which `--redact` removes.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { MissingProjectPackagesError } from '../../core/fhir/index.ts';
import { profilePackages } from '../../core/fhirProfiles/index.ts';
import { type MappedRunInfo, MappingUnusableError } from '../../core/mapping/index.ts';
import {
  chooseDemographics,
  headerLines,
  type InputRunner,
  localDay,
  prepareRun,
  RUN_STOP_ERRORS,
  runStopMessage,
  summaryText,
  validationRun,
  withDatasetRows,
  withNotRead,
} from '../../core/validation/index.ts';
import { type CliIo, EXIT_USAGE, type ParsedArgs, UsageError, writeResult } from '../command.ts';
import { writeFailingRows } from '../failingRowsFile.ts';
import { digestFiles } from '../fileDigests.ts';
import { createRunKeySpill, KeySpillError } from '../keySpillFiles.ts';
import { yieldToSignals } from '../runFolders.ts';
import { markTimeline } from '../runTimeline.ts';
import { oneLineStrings } from '../terminalText.ts';
import { openValidateInputs, type ValidateInputFiles } from '../validateInputFiles.ts';
import { followedRun, type TerminalProgress, terminalProgress } from '../validateProgress.ts';
import { createFileRunner, ValidateWorkerError } from '../validateWorkers.ts';
import { claimOutputs, outputTargets } from '../wholeFiles.ts';
import { loadProfiles, profilePackageLines, UnreadableFile } from './fhirValidate.ts';
import { decimalOption, FHIR_FILES_ONLY_OPTIONS, FHIR_LAYER_OPTIONS, int96Option } from './validateArgs.ts';
import { attachMappings, findTargetSchemas } from './validateMapping.ts';
import {
  compileContract,
  PROJECT_OVERRIDES,
  planFromArgs,
  runVerdict,
  Unusable,
  writeFailingRowsFile,
  writeReportFile,
} from './validateOptions.ts';
import { overridingOptions, projectFhirChecks, type RunProject } from './validateProject.ts';
import { type RehearsalInputs, withRehearsal, withRehearsalText } from './validateRehearsal.ts';

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

/** The message of an error that means an input cannot be used (exit 2); undefined for any other. */
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

/**
 * Validates the CSV files of `args` on the default engine (see the file header): exit 0, 1 or 2
 * as `preflight validate` says. `given` says whether an option of the command was given.
 */
export async function validateWithDefault(
  args: ParsedArgs,
  io: CliIo,
  rehearsal: RehearsalInputs,
  project: RunProject | undefined,
  given: (option: string) => boolean,
): Promise<number> {
  const failingRowsFile = args.string('failing-rows');
  const fhirOnly = FHIR_FILES_ONLY_OPTIONS.filter((name) => given(name));
  if (fhirOnly.length > 0) throw new UsageError(`--${fhirOnly[0]} needs --fhir (FHIR files)`);
  const layerOptions = FHIR_LAYER_OPTIONS.filter((name) => given(name));
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
        const profileOption = (['ig', 'profile', 'terminology'] as const).find((name) => given(name));
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
            Object.entries(await digestFiles(opened.fingerprinted.names, io.cwd, opened.fingerprinted.paths)),
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
      ...(profiled ? [...profiled.lines, ...profilePackageLines(profiled.registry, profiled.profiles)] : []),
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
}
