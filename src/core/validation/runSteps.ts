/**
 * The steps of a validation run around its engine, written once for the CLI and the page: the plan
 * from the values given ({@link planFromValues}; the page's from its choices, chosenRun.ts),
 * the streaming engine's jobs with the words that say what each file was bound to
 * ({@link prepareRun}), and the report of the results with each input's contract, fingerprint and
 * mapping ({@link runReport}). See docs/decisions/0105-one-validation-run.md.
 *
 * Constraints:
 * - No I/O besides the files' first records: contract files are read by the caller's
 *   `readContract`, once each however many files name them.
 * - The report is byte for byte the one each side built before: the same options in the same
 *   order, the header differences added last.
 */

import type { Project } from '../../formats/project.ts';
import type { FhirReportTarget, Report } from '../../formats/report.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { withHeaderIssues } from '../contract/index.ts';
import type { CsvLayout } from '../csv/index.ts';
import { type BuildReportOptions, buildReport, contractExtras } from './buildReport.ts';
import { type SavedMappingSpec, savedMappingSpec, withCheckSets } from './checkSets.ts';
import type { HeaderMismatch } from './headerChecks.ts';
import {
  bindFiles,
  bindingLines,
  jobsOf,
  PlanUsageError,
  pairContracts,
  parseKeys,
  parseReferences,
  planRun,
  type RunContract,
  type RunPlan,
  reportedInputs,
} from './runPlan.ts';
import type { CsvSource, CsvValidationResult } from './validateCsv.ts';
import type { InputJob } from './validateInputs.ts';
import { rowSetWatches } from './waivers.ts';

/** A project a run checks its files as: the file as given (for messages) and the project in it. */
export interface PlanProject {
  file: string;
  project: Project;
}

/** What a run is given as option values (the CLI's `--schema`, `--key`, `--references`). */
interface PlanValues {
  files: readonly string[];
  /** the `[file=]contract` values that are column contracts */
  contracts: readonly string[];
  /** `[file.]column` values */
  keys: readonly string[];
  /** `file.column=file.column` values */
  references: readonly string[];
  /** the layout given over what is detected (read once the values above are parsed) */
  layout: () => Partial<CsvLayout>;
  /** the run's files opened: with a project, each is bound to a check set by its header */
  sources: readonly CsvSource[];
  project?: PlanProject;
  /** reads a contract file (the caller's I/O) */
  readContract: (file: string) => Promise<RunContract>;
}

/**
 * The run's plan from the values given; each contract file read once, in the order of the files
 * that name it. A bad value is a `PlanUsageError`.
 */
export async function planFromValues(
  values: PlanValues,
): Promise<{ plan: RunPlan; given: Partial<CsvLayout> }> {
  const { files, project } = values;
  const schemas = pairContracts(files, values.contracts);
  const keys = parseKeys(files, values.keys);
  const links = parseReferences(files, values.references);
  const given = values.layout();
  const bound = project
    ? await bindFiles(project.file, project.project, values.sources, given, new Set(schemas.keys()))
    : undefined;
  const reads = new Map<string, RunContract>();
  const contracts = new Map<string, { key: string; read: RunContract }>();
  for (const file of files) {
    const contractFile = schemas.get(file);
    if (contractFile === undefined) continue;
    let read = reads.get(contractFile);
    if (!read) {
      read = await values.readContract(contractFile);
      reads.set(contractFile, read);
    }
    contracts.set(file, { key: contractFile, read });
  }
  const plan = planRun({
    files,
    contracts,
    keys,
    keysGiven: keys.length > 0,
    links,
    linksGiven: links.length > 0,
    ...(project && bound ? { project: { project: project.project, bound } } : {}),
  });
  return { plan, given };
}

/**
 * Refuses a file named twice: a report names its inputs by their names, and options address them
 * by name, so a file given twice would be validated once and reported twice. `where` says which
 * file a name is (the caller's paths).
 *
 * @throws PlanUsageError naming the file
 */
export function refuseRepeatedFiles(files: readonly string[], where: (file: string) => string): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const first = seen.get(where(file));
    if (first !== undefined)
      throw new PlanUsageError(
        first === file
          ? `${file} is given twice: give each file once`
          : `${first} and ${file} are the same file: give each file once`,
      );
    seen.set(where(file), file);
  }
}

/** A run's jobs and what the plan says beside them; see {@link prepareRun}. */
interface PreparedRun {
  jobs: InputJob[];
  /** each file's check set's saved mapping, as the app checks it (with a project) */
  savedMappings: Map<string, SavedMappingSpec>;
  /**
   * The lines that say what each file was bound to (none without a project), once the files a
   * mapping checks (`mapped`) and those checked with their saved mapping (`savedMapped`) are known.
   */
  bindingLines: (mapped: ReadonlySet<string>, savedMapped: ReadonlySet<string>) => string[];
}

/**
 * The streaming engine's jobs of a plan (layouts detected, contracts compiled once each by
 * `compile`), with what the report and the summary say of each file.
 */
export async function prepareRun(
  plan: RunPlan,
  sources: readonly CsvSource[],
  options: {
    given: Partial<CsvLayout>;
    /** the demographic columns given (absent: those each check set chose, else found by name) */
    demographics?: readonly string[];
    compile: Parameters<typeof jobsOf>[4];
    project?: PlanProject;
    /** the options given that replace the project's settings, by name */
    overriding: readonly string[];
    /** the run's waivers and its day: each file's pass counts the rows of those limited to rows */
    waivers?: { waivers: readonly Waiver[]; today: string };
  },
): Promise<PreparedRun> {
  const { project, waivers } = options;
  const jobs = await jobsOf(plan, sources, options.given, options.demographics ?? [], options.compile);
  if (waivers)
    for (const job of jobs) job.rowSets = rowSetWatches(waivers.waivers, job.source.name, waivers.today);
  const savedMappings = new Map(
    plan.files.flatMap((f) => {
      const spec = project && savedMappingSpec(project.project, f.bound?.binding.checkSet?.mapping);
      return spec ? [[f.file, spec] as const] : [];
    }),
  );
  return {
    jobs,
    savedMappings,
    bindingLines: (mapped, savedMapped) =>
      planBindingLines(project, plan, {
        mapped,
        savedMapped,
        demographicsGiven: options.demographics !== undefined,
        overriding: options.overriding,
      }),
  };
}

/**
 * The lines that say what each file of a plan was bound to (none without a project): its contract
 * and keys (the plan's, unless an engine names them its own way), the mapping its records are
 * checked with, and the options that replace the project's settings.
 */
export function planBindingLines(
  project: PlanProject | undefined,
  plan: RunPlan,
  settings: {
    /** each file's contract as the report names it (default: the plan's) */
    contracts?: Readonly<Record<string, string | undefined>>;
    /** each file's key columns (default: the plan's) */
    keys?: Readonly<Record<string, readonly string[]>>;
    mapped: ReadonlySet<string>;
    savedMapped: ReadonlySet<string>;
    demographicsGiven: boolean;
    overriding: readonly string[];
  },
): string[] {
  if (!project) return [];
  return bindingLines(
    project.file,
    plan.files.flatMap((f) => (f.bound ? [f.bound] : [])),
    {
      contracts: settings.contracts ?? Object.fromEntries(plan.files.map((f) => [f.file, f.contract?.id])),
      keys: settings.keys ?? Object.fromEntries(plan.files.map((f) => [f.file, f.keys])),
      links: plan.links,
      mapped: settings.mapped,
      savedMapped: settings.savedMapped,
      demographicsGiven: settings.demographicsGiven,
    },
    settings.overriding,
  );
}

/** Options of {@link runReport}. */
export interface RunReportOptions
  extends Pick<BuildReportOptions, 'generatedAt' | 'startedAt' | 'totalMs' | 'toolVersion' | 'redact'> {
  /** each file's SHA-256 (lowercase hex), by name; absent: no fingerprint */
  sha256: (name: string) => string | undefined;
  /** the run's mapped target and mapping (`mappedTarget`) */
  mapped?: Pick<BuildReportOptions, 'target' | 'mapping'>;
  /** the packages and profiles the records mapped to FHIR were checked against */
  fhirPackages?: Pick<FhirReportTarget, 'packages' | 'missingPackages' | 'profiles'>;
  /** the header differences found before any row: issues of the report too */
  headers?: readonly HeaderMismatch[];
  /** the check set (project dataset) each input was checked as, by input name */
  checkSets?: ReadonlyMap<string, string>;
}

/**
 * The report of a run's results: each input's contract, what is not checked and its fingerprint;
 * the run's target (the contract, else the mapped target); the header differences; the check sets.
 */
export function runReport(
  results: readonly CsvValidationResult[],
  plan: RunPlan,
  options: RunReportOptions,
): Report {
  const { mapped = {}, fhirPackages } = options;
  const built = buildReport(results, {
    generatedAt: options.generatedAt,
    startedAt: options.startedAt,
    totalMs: options.totalMs,
    toolVersion: options.toolVersion,
    ...(options.redact === undefined ? {} : { redact: options.redact }),
    ...contractExtras(
      reportedInputs(plan).map((input) => {
        const sha256 = options.sha256(input.name);
        return sha256 === undefined ? input : { ...input, sha256 };
      }),
    ),
    ...mapped,
    ...(fhirPackages && mapped.target?.type === 'fhir'
      ? { target: { ...mapped.target, ...fhirPackages } }
      : {}),
  });
  return withRunExtras(built, options);
}

/**
 * A report with what a run found besides its engine's results: the header differences found
 * before any row (issues too) and the check set each input was checked as. Every engine's report
 * ends with these, in this order.
 */
export function withRunExtras(
  report: Report,
  extras: Pick<RunReportOptions, 'headers' | 'checkSets'>,
): Report {
  const withHeaders = extras.headers ? withHeaderIssues(report, extras.headers) : report;
  return extras.checkSets ? withCheckSets(withHeaders, extras.checkSets) : withHeaders;
}
