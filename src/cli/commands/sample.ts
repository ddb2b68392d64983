import { resolve } from 'node:path';
import { CsvRecordTooLongError, TextDecodeError, Utf8DecodeError } from '../../core/csv/index.ts';
import { describeLocation, InputReadError } from '../../core/jobs/errors.ts';
import {
  applyRiskStrata,
  type CsvInput,
  drawPlanSample,
  evidenceStratumNoun,
  fileStratumId,
  MissingColumnError,
  OutcomeRowsMismatchError,
  planSampleSizes,
  planSizes,
  riskLines,
  riskStrataUnavailable,
  type SampleDocument,
  STRATIFY_BY_VALIDATION,
  type StrataContract,
  sampleDocument,
  stratificationOf,
  suggestRiskStrata,
  UnreadableCsvError,
  UnsupportedStratificationError,
  ValidationStrataError,
} from '../../core/signoff/sampling/index.ts';
import {
  compileContract,
  EmptyInputError,
  FullValidationRequiredError,
  UnknownColumnError,
} from '../../core/validation/index.ts';
import { loadReport } from '../../formats/report.ts';
import { loadSamplePlan, type PlanDataset, type SamplePlan } from '../../formats/samplePlan.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { openFilesForReading, readSmallJsonFile } from '../openFiles.ts';
import { oneLineStrings } from '../terminalText.ts';
import { hashFileAtPath } from './hash.ts';

/** A sample plan is a small JSON file; anything larger is not one. */
const MAX_PLAN_BYTES = 16 * 1024 * 1024;

/** Thrown for a plan or data file that cannot be used; main() never sees it (run() returns 2). */
class Unusable extends Error {}

/**
 * The sizes a locked plan, or a plan from the evidence (--risk), draws (its own, from its
 * statistics: `planSampleSizes`). A `--n` that names another size is refused — a locked plan never
 * changes; one that repeats the plan's is fine.
 */
function lockedPlanSizes(plan: SamplePlan, given: Readonly<Record<string, number>>): Record<string, number> {
  const planned: Record<string, number> = {};
  for (const stratum of planSampleSizes(plan).strata) {
    const census = plan.population.strata.find((s) => s.id === stratum.stratumId)?.census === true;
    if (!census) planned[stratum.stratumId] = stratum.n;
  }
  for (const [id, n] of Object.entries(given)) {
    if (planned[id] !== undefined && planned[id] !== n)
      throw new UsageError(
        plan.lock
          ? `the plan is locked: it draws ${planned[id]} records from stratum "${id}", and --n cannot change a locked plan (drop --n)`
          : `the plan from the evidence draws ${planned[id]} records from stratum "${id}", by its size rule (drop --n)`,
      );
  }
  return { ...given, ...planned };
}

/**
 * The data files whose SHA-256 is not one the plan was locked with, each as a line naming the file
 * (never its content): a changed extract must not be sampled under a plan that fingerprinted another.
 */
async function filesNotLocked(
  datasets: readonly PlanDataset[],
  files: readonly string[],
  cwd: string,
): Promise<string[]> {
  const locked = new Set(datasets.map((d) => d.sha256));
  const lines: string[] = [];
  for (const file of files) {
    // an unreadable file throws InputReadError, which run() reports as unusable (exit 2)
    const hex = (await hashFileAtPath(resolve(cwd, file), { displayName: file })).sha256;
    if (locked.has(hex)) continue;
    const name = fileStratumId(file);
    const same = datasets.find((d) => d.name === name);
    lines.push(
      same
        ? `"${file}" differs from the "${same.name}" the plan was locked with: its SHA-256 is ${hex.slice(0, 12)}…, the locked one ${same.sha256.slice(0, 12)}… (the file was changed since the plan was locked).`
        : `"${file}" is not one of the files the plan was locked with (${datasets.map((d) => `"${d.name}"`).join(', ')}): its SHA-256 matches none of them.`,
    );
  }
  return lines;
}

async function readPlan(file: string, cwd: string): Promise<SamplePlan> {
  const json = await readSmallJsonFile(
    file,
    cwd,
    { what: 'plan', tooLargeFor: 'a sample plan', maxBytes: MAX_PLAN_BYTES },
    (message) => new Unusable(message),
  );
  const loaded = loadSamplePlan(json);
  if (!loaded.ok) {
    // one line each: a path names the plan's own keys
    const lines = oneLineStrings(loaded.problems).map((p) => `  ${p.path || '/'}: ${p.message}`);
    throw new Unusable(
      `"${file}" is not a usable sample plan (preflight.sampleplan/v1):\n${lines.join('\n')}`,
    );
  }
  return loaded.value;
}

const SIZE_OPTION = /^(.+)=([0-9]+)$/;

function parseSizes(values: readonly string[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const value of values) {
    const match = SIZE_OPTION.exec(value);
    const n = match ? Number(match[2]) : Number.NaN;
    if (!match || !Number.isSafeInteger(n) || n < 1) {
      throw new UsageError(`--n takes <stratum>=<count> with a whole count ≥ 1, e.g. --n clean=149`);
    }
    const id = match[1] as string;
    if (id in sizes) throw new UsageError(`--n is given twice for stratum "${id}"`);
    sizes[id] = n;
  }
  return sizes;
}

/** Checks --stratum-column against the plan's stratification; the kind of strata ('file', 'column', 'validation'). */
function strataKind(plan: SamplePlan, stratumColumn: string | undefined): 'file' | 'column' | 'validation' {
  if (plan.population.stratifyBy === STRATIFY_BY_VALIDATION) {
    if (stratumColumn !== undefined)
      throw new UsageError(
        '--stratum-column is for plans stratified by a column; this plan uses validation outcome',
      );
    return 'validation';
  }
  const by = stratificationOf(plan);
  if (stratumColumn !== undefined && by.kind === 'file') {
    throw new UsageError(
      '--stratum-column is for plans stratified by a column; this plan makes each file a stratum',
    );
  }
  return by.kind === 'file' ? 'file' : 'column';
}

/** A validation report read for its evidence; anything larger is not one. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * The unlocked `plan` with every stratum the report's evidence points at applied (the same core
 * function as the Sign-off screen's "Suggest strata from the evidence"), with a line per
 * suggestion for stderr.
 */
async function withRiskStrata(plan: SamplePlan, file: string, cwd: string): Promise<SamplePlan> {
  if (plan.lock)
    throw new UsageError(
      '--risk makes a plan from the evidence, and this plan is locked: its strata and their reasons are printed without --risk',
    );
  const unavailable = riskStrataUnavailable(plan);
  if (unavailable) throw new UsageError(`--risk: ${unavailable}`);
  const json = await readSmallJsonFile(
    file,
    cwd,
    { what: 'report', tooLargeFor: 'a validation report', maxBytes: MAX_REPORT_BYTES },
    (message) => new Unusable(message),
  );
  const loaded = loadReport(json);
  if (!loaded.ok)
    throw new Unusable(
      `--risk "${file}" is not a usable validation report (preflight.report/v1): give the report a run wrote with --report (with --compare and --project for its evidence).`,
    );
  const suggested = suggestRiskStrata(plan, loaded.value);
  if (suggested.length === 0)
    throw new Unusable(
      `--risk "${file}": the report names no ${evidenceStratumNoun(plan)} of the plan whose checks got worse or whose failing data steps use; nothing to draw from the evidence.`,
    );
  return applyRiskStrata(plan, suggested);
}

/** A contract is a small JSON file; anything larger is not one. */
const MAX_CONTRACT_BYTES = 16 * 1024 * 1024;

/** Reads and compiles the column contract (plan and ajv validator: Node may compile code). */
async function readContract(file: string, cwd: string): Promise<StrataContract> {
  const json = await readSmallJsonFile(
    file,
    cwd,
    { what: 'contract', tooLargeFor: 'a column contract', maxBytes: MAX_CONTRACT_BYTES },
    (message) => new Unusable(message),
  );
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Unusable(`"${file}" is not a column contract (a JSON Schema of rows).`);
  const contract = json as Record<string, unknown>;
  const compiled = await compileContract(contract);
  if (!compiled.ok) {
    // one line each: a path names the contract's own properties
    const lines = oneLineStrings(compiled.problems).map((p) => `  ${p.path}: ${p.message}`);
    throw new Unusable(`contract "${file}" does not compile:\n${lines.join('\n')}`);
  }
  return { plan: compiled.plan, fullValidator: compiled.validate };
}

/** Opens each file for streaming; the handles are closed by the caller. */
async function openInputs(
  files: readonly string[],
  cwd: string,
): Promise<{ inputs: CsvInput[]; close: () => Promise<void> }> {
  const opened = await openFilesForReading(files, cwd, (message) => new Unusable(message));
  return { inputs: opened.files, close: opened.close };
}

function describeDrawn(document: SampleDocument, risk: readonly string[]): string {
  const lines = document.strata.map(
    (s) =>
      `  ${s.id}: ${s.records.length} of ${s.population} records drawn${s.census ? ' (census)' : ` (n = ${s.n})`}`,
  );
  const problems = document.problems.map((p) => {
    const where = p.locations?.length
      ? ` (first: ${p.locations.map((l) => `${l.file ? `${l.file} ` : ''}row ${l.row}`).join(', ')})`
      : '';
    return `  ${p.code}${p.count === undefined ? '' : ` × ${p.count}`}: ${p.message}${where}`;
  });
  return [
    `plan ${document.plan.id} (sha256 ${document.plan.hash}), seed ${document.seed}`,
    ...lines,
    ...(risk.length ? ['Strata from the evidence:', ...risk.map((line) => `  ${line}`)] : []),
    ...(problems.length ? ['Problems:', ...problems] : []),
    'The drawn records (file, row and key of each) are in the --json output.',
  ].join('\n');
}

/**
 * What stops a draw, in words; undefined for anything else. The core's messages name columns and
 * strata of the files: each is one line (the line feeds left are this command's own).
 */
function unusableMessage(error: unknown): string | undefined {
  if (error instanceof Unusable) return error.message;
  const message = coreMessage(error);
  return message === undefined ? undefined : oneLineStrings(message);
}

function coreMessage(error: unknown): string | undefined {
  if (error instanceof UnsupportedStratificationError) return error.message;
  if (
    error instanceof ValidationStrataError ||
    error instanceof OutcomeRowsMismatchError ||
    error instanceof TextDecodeError ||
    error instanceof UnknownColumnError ||
    error instanceof EmptyInputError ||
    error instanceof FullValidationRequiredError
  )
    return error.message;
  if (error instanceof MissingColumnError || error instanceof UnreadableCsvError) return error.message;
  if (error instanceof Utf8DecodeError) return error.message;
  if (error instanceof CsvRecordTooLongError) return error.message;
  if (error instanceof InputReadError) {
    return `cannot read ${describeLocation(error.location)} (${error.causeName}).`;
  }
  return undefined;
}

/** The `preflight sample` command. */
export const sampleCommand: Command = {
  name: 'sample',
  summary: "draw a sample plan's reproducible hash-rank sample from CSV files (prints record keys)",
  operands: '<plan.json> <data.csv...>',
  options: [
    {
      name: 'key',
      type: 'string',
      valueName: 'column',
      description: 'the column holding the record key',
      required: true,
    },
    {
      name: 'n',
      type: 'string',
      multiple: true,
      valueName: 'stratum=count',
      description: 'sample size of a stratum; every stratum that is not a census needs one',
    },
    {
      name: 'stratum-column',
      type: 'string',
      valueName: 'column',
      description: "the column holding the stratum id (default: the plan's stratifyBy)",
    },
    {
      name: 'risk',
      type: 'string',
      valueName: 'report.json',
      description:
        "draw an unlocked plan by file with the strata the report's evidence suggests (checks worse since the last rehearsal, failing data steps use), sized by the plan's rule; a plan by resource type prints them",
    },
    {
      name: 'contract',
      type: 'string',
      valueName: 'contract.json',
      description:
        'the column contract records are validated against (plans stratified by validation outcome)',
    },
    { name: 'json', type: 'boolean', description: 'print the sample as JSON (preflight.sample/v1)' },
  ],
  description: [
    "Draws the plan's sample: per stratum, the n records whose SHA-256(seed, stratum, key) is smallest,",
    'the same on any machine, whatever the row order. Strata are files, the values of a column, or the',
    'validation outcome (--contract). Give --n <stratum>=<count> for each stratum that is not a census;',
    'a locked plan draws its own sizes and refuses a file that changed since it was locked.',
    'With --risk <report.json>, the strata the evidence points at are drawn at the sizes their reasons',
    'and the size rule give; the reasons are printed, as with any plan that carries them.',
    'The output contains record keys (e.g. MRNs): treat it like the data it came from.',
  ].join('\n'),
  notes: [
    'Exit codes: 0 ok; 1 the data contradicts the plan or cannot be sampled cleanly (duplicate or missing',
    'keys, a changed file, a stratum size that differs); 2 bad usage or an unreadable plan, contract or',
    'file. More: docs/cli.md#preflight-sample',
  ].join('\n'),
  examples: [
    {
      args: [
        'samples/plans/patients-by-file.sampleplan.json',
        'samples/legacy/patients.csv',
        '--key',
        'patient_id',
        '--n',
        'patients.csv=59',
      ],
      does: "draw the whole-file plan's 59 patients (prints their keys)",
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const [planFile, ...dataFiles] = args.operands;
    if (planFile === undefined || dataFiles.length === 0) {
      throw new UsageError('give a sample plan and at least one CSV file');
    }
    const keyColumn = args.requiredString('key');
    let given = parseSizes(args.strings('n'));
    let close: (() => Promise<void>) | undefined;
    // the plan with the strata from the evidence, to print its reasons when it cannot be drawn
    let fromEvidence: SamplePlan | undefined;
    try {
      const riskFile = args.string('risk');
      const read = await readPlan(planFile, io.cwd);
      const plan = riskFile === undefined ? read : await withRiskStrata(read, riskFile, io.cwd);
      if (riskFile !== undefined) fromEvidence = plan;
      // a plan from the evidence draws its own sizes, as a locked plan does
      if (plan.lock || riskFile !== undefined) given = lockedPlanSizes(plan, given);
      const stratumColumn = args.string('stratum-column');
      const kind = strataKind(plan, stratumColumn);
      const contractFile = args.string('contract');
      if (kind === 'validation' && contractFile === undefined)
        throw new UsageError(
          'this plan forms its strata from the validation outcome: give the column contract with --contract <contract.json>',
        );
      const sizes = planSizes(plan, given);
      if (!sizes.ok) {
        const parts = [
          ...(sizes.missing.length
            ? [`no --n for stratum ${sizes.missing.map((id) => `"${id}"`).join(', ')}`]
            : []),
          ...(sizes.unknown.length
            ? [`--n names ${sizes.unknown.map((id) => `"${id}"`).join(', ')}, not a stratum of the plan`]
            : []),
          ...(sizes.census.length
            ? [
                `${sizes.census.map((id) => `"${id}"`).join(', ')} is a census stratum (every record): drop its --n`,
              ]
            : []),
        ];
        throw new UsageError(parts.join('; '));
      }
      const contract = contractFile === undefined ? undefined : await readContract(contractFile, io.cwd);
      if (kind === 'file') {
        const ids = dataFiles.map(fileStratumId);
        const twice = ids.find((id, i) => ids.indexOf(id) !== i);
        if (twice !== undefined)
          throw new UsageError(`two files are named "${twice}": with file strata each file is one stratum`);
      }
      if (plan.lock) {
        const changed = await filesNotLocked(plan.lock.datasets, dataFiles, io.cwd);
        if (changed.length > 0) {
          for (const line of changed) io.stderr(`preflight sample: ${line}`);
          io.stderr(
            'preflight sample: nothing was drawn. Draw from the files the plan was locked with, or lock a new plan for these files in the Sign-off workspace.',
          );
          return EXIT_FINDINGS;
        }
      }
      const opened = await openInputs(dataFiles, io.cwd);
      close = opened.close;
      const result = await drawPlanSample(plan, opened.inputs, {
        sizes: sizes.sizes,
        keyColumn,
        ...(kind === 'validation' && contract ? { contract } : {}),
        ...(stratumColumn === undefined ? {} : { stratumColumn }),
      });
      const document = sampleDocument(plan, result);
      writeResult(
        io,
        args.flag('json'),
        // laid out from a copy whose every string is one line: a stratum id or column name from
        // the plan or the files cannot start a line of its own
        args.flag('json')
          ? JSON.stringify(document, null, 2)
          : describeDrawn(oneLineStrings(document), oneLineStrings(riskLines(plan))),
      );
      return document.problems.length > 0 ? EXIT_FINDINGS : EXIT_OK;
    } catch (error) {
      const message = unusableMessage(error);
      if (message === undefined) throw error;
      io.stderr(`preflight sample: ${message}`);
      // a plan by resource type takes strata from the evidence but is not drawn from CSV files:
      // its reasons and sizes are still said, as the Sign-off screen shows them before the lock
      if (error instanceof UnsupportedStratificationError && fromEvidence !== undefined) {
        const lines = oneLineStrings(riskLines(fromEvidence));
        io.stderr(
          ['Strata from the evidence (nothing was drawn):', ...lines.map((l) => `  ${l}`)].join('\n'),
        );
      }
      return EXIT_USAGE;
    } finally {
      await close?.();
    }
  },
};
