/**
 * `preflight.project/v1`: a whole project in one file, for export and import.
 * Source extracts are never embedded: datasets carry metadata only (a project file must not copy
 * patient extracts; docs/product.md#persistence-and-safety).
 */

import { canonicalSha256Hex } from '../core/hash/index.ts';
import { readProjectAnalysisSettings } from './analysisSettings.ts';
import { readProjectFhirChecks } from './fhirChecks.ts';
import { validateProjectFile } from './generated/validators.js';
import { parseJsonText } from './jsonText.ts';
import { createJsonStringLimit, type JsonTextLimit, type JsonTooLarge } from './jsonTextLimit.ts';
import {
  classifyTag,
  duplicateIdProblems,
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  isPlainObject,
  type LoadResult,
  loadDocument,
  type Migration,
  migrateDocument,
  PROBLEM_CODES,
  pointer,
  prefixProblems,
  problem,
  tagProblems,
} from './loading.ts';
import { type Mapping, mappingFormat } from './mapping.ts';
import { checkProjectName } from './projectName.ts';
import { type Report, reportFormat } from './report.ts';
import { type Review, reviewFormat } from './review.ts';
import type { Roster } from './roster.ts';
import { type SamplePlan, samplePlanFormat } from './samplePlan.ts';
import { PROJECT_WAIVERS_KEY, type Waiver, waiverProblems } from './waivers.ts';
import { checkWorkflowAgainstBaseline, type Workflow, workflowFormat } from './workflow.ts';

/** Format tag of a project file. */
export const PROJECT_FORMAT = 'preflight.project/v1';

/** A legacy extract or FHIR export known to the project — its description, never its content. */
export interface Dataset {
  id: string;
  name: string;
  kind: 'csv' | 'fhir-json' | 'ndjson' | 'fhir-server';
  bytes: number;
  /** CSV: header columns in order */
  columns?: string[];
  /** CSV: detected text encoding, e.g. "utf-8", "windows-1252" */
  encoding?: string;
  /** CSV: detected field delimiter */
  delimiter?: string;
  /** where it came from: a bundled sample path, or a file the user picked (re-picked on each run) */
  origin: { type: 'sample'; path: string } | { type: 'file'; lastModified?: number };
  /** id of the column contract (a JSON Schema in `schemas`) it is checked against */
  contract?: string;
  /** CSV: the quote character (a check set's layout; absent: `"`) */
  quote?: string;
  /** CSV: line endings (a check set's layout; absent: detected) */
  lineEnding?: 'CRLF' | 'LF' | 'CR';
  /** CSV: whether the first row holds column names (absent: true) */
  header?: boolean;
  /**
   * CSV: the decimal mark of its numbers, as chosen (`,`: `36,4` is 36.4; `.`: never a comma);
   * absent: detected from each drop's first rows, and said in the run's report
   */
  decimalMark?: '.' | ',';
  /** the key column that must be unique (absent: none chosen) */
  key?: string;
  /**
   * the columns compared between records sharing the key, as chosen (at most 4; [] compares none;
   * absent: guessed from the header, `demographicsOf`)
   */
  demographics?: string[];
  /** id of a saved mapping whose records are checked too */
  mapping?: string;
  /** links of this file's columns to another dataset's: each value must exist there */
  references?: DatasetReference[];
}

/** A link of a check set: `column` of this dataset must exist in `targetColumn` of dataset `target`. */
export interface DatasetReference {
  column: string;
  /** id of the other dataset */
  target: string;
  targetColumn: string;
}

/** A user- or sample-supplied JSON Schema (column contract or target schema). */
export interface SchemaDoc {
  id: string;
  name: string;
  schema: Record<string, unknown>;
}

/** Measured durations of a step in a go-live check (minutes). */
export interface CheckDurations {
  n: number;
  meanMin: number;
  medianMin: number;
  p90Min: number;
}

/**
 * The conformance result of an event log against a planned workflow (`#/$defs/conformance`):
 * the shape of `ConformanceResult` in src/core/workflow/eventlog/conform.ts, which the type
 * checker holds to it (formats cannot import core).
 */
export interface CheckResult {
  method: 'alignment';
  cases: number;
  conformingCases: number;
  fitness: number;
  minCaseFitness: number;
  unalignedCases: number;
  skipped: Record<string, number>;
  inserted: Record<string, number>;
  insertedAfter: Record<string, Record<string, number>>;
  workarounds: Record<string, number>;
  repeatedEntry: Record<string, number>;
  times: Record<
    string,
    {
      designedTouchMin: number;
      designedWaitMin: number;
      touch?: CheckDurations;
      wait?: CheckDurations;
      slower: number;
    }
  >;
  matched: Record<string, string>;
  unloggedDecisions: string[];
  /** the share above the planned staff time beyond which a step is slower (absent in older checks) */
  slowerTolerance?: number;
  /** sub-process step id → how the log was read for it (absent in older checks and without sub-processes) */
  subProcesses?: Record<string, 'inner' | 'outer' | 'both'>;
  /** message start step id → the runs of its pool checked at once, and cases that started more */
  messageStarts?: Record<string, { runsAtOnce: number; casesBeyond: number }>;
}

/**
 * The last go-live check of one planned workflow (`#/$defs/workflowCheck`): what the editor's
 * drift overlay draws, kept in the project so it survives closing the tab and travels with an
 * export. Counts, step ids and activity names only — never the log, never case ids.
 */
export interface WorkflowCheck {
  /** the planned workflow's id: one last check per workflow */
  id: string;
  /**
   * SHA-256 of the RFC 8785 canonical JSON of the workflow as checked: when the workflow's hash
   * differs now, the check is stale (its step ids may no longer mean what they meant)
   */
  workflowSha256: string;
  /** the event log's file name */
  log: string;
  /** when the check finished (RFC 3339 date-time with zone) */
  checkedAt: string;
  result: CheckResult;
  /** what the log shows of the forecast load (absent in checks made before it was recorded) */
  observed?: GoLiveObservation;
}

/** One lane's occurrences in a go-live log (`#/$defs/goLiveObservation` lanes). */
export interface LaneObservation {
  /** occurrences of the lane's steps with planned staff time */
  instances: number;
  /** of those, with a start and a completion (a measured staff time) */
  timed: number;
  /** measured staff minutes over the timed occurrences */
  touchMin: number;
  /** planned staff minutes of the same timed occurrences, at normal speed */
  designedTouchMin: number;
  /** distinct resources the log names on the occurrences (0: it names none) */
  people: number;
}

/**
 * What a go-live log shows of the load its workflow's forecast was about
 * (`#/$defs/goLiveObservation`): the shape of src/core/forecast's observation. Counts and
 * minutes only, never case ids or names.
 */
export interface GoLiveObservation {
  cases: number;
  /** clock hours in which at least one activity started */
  activeHours: number;
  /** mean elapsed minutes from a case's first start to its last completion */
  meanCaseMin: number;
  /** lane id → its occurrences */
  lanes: Record<string, LaneObservation>;
  /** the busiest clock hour (absent in observations kept before it was recorded) */
  peak?: GoLivePeak;
}

/**
 * The busiest hour of a go-live log (`peak` of `#/$defs/goLiveObservation`): the clock hour in
 * which the most cases started, the hour a peak-hour forecast is about.
 */
export interface GoLivePeak {
  /** cases that started in that hour */
  cases: number;
  /** lane id → occurrences of its steps with planned staff time that started in that hour */
  lanes: Record<string, { instances: number }>;
}

/** How one step came out in a back-test (`#/$defs/backTestResult`, src/core's `StepBackTestStatus`). */
export type BackTestStepStatus =
  | 'reproduced'
  | 'longer-than-model'
  | 'shorter-than-model'
  | 'too-few'
  | 'no-resource';

/**
 * A back-test's figures as kept (`#/$defs/backTestResult`): src/core's `BackTest` without the
 * simulated medians (a `BackTest` is assignable to it). Minutes throughout.
 */
export interface BackTestResult {
  seed: number;
  replications: number;
  cases: number;
  /** the log's first and last time, epoch ms */
  from: number;
  to: number;
  toleranceMin: number;
  toleranceShare: number;
  steps: Array<{
    stepId: string;
    label: string;
    laneId: string;
    staff: number;
    observed: { n: number; meanMin: number; medianMin: number };
    delayMeanMin: number;
    simulatedMeanMin: { mean: number; low: number; high: number };
    expectedRange: { low: number; high: number };
    toleranceMin: number;
    status: BackTestStepStatus;
    touchFromWorkflow: boolean;
  }>;
  checked: number;
  reproduced: number;
  verdict: 'trusted' | 'not-trusted' | 'cannot-check';
}

/**
 * The last back-test of one workflow (`#/$defs/workflowBackTest`): its capacity model replayed
 * with an event log's cases and compared with the log's waits, kept so the verdict shows again
 * after a reload. Figures per step only — never the log, case ids or people.
 */
export interface WorkflowBackTest {
  /** the workflow's id: one last back-test per workflow */
  id: string;
  /** SHA-256 of the RFC 8785 canonical JSON of the workflow as tested: differs once it is edited */
  workflowSha256: string;
  /** the log file: its name, and its SHA-256 (lowercase hex) when it could be read */
  log: { name: string; sha256?: string };
  /** when the back-test finished (RFC 3339 date-time with zone) */
  testedAt: string;
  result: BackTestResult;
}

/**
 * A process map measured from an event log (`#/$defs/logMap`), kept so it shows again without the
 * log (the file itself is never stored): the file's name, size and SHA-256, when it was measured,
 * the filters (with the role or system names a filter chose), and the map's aggregates — counts,
 * durations and activity names; never case ids, the resource column or any event. The map's shape is src/core's `ProcessMap`.
 */
export interface LogMap {
  id: string;
  log: { name: string; bytes: number; sha256: string };
  /** RFC 3339 date-time with zone */
  measuredAt: string;
  filters: {
    coverage: number;
    minActivity: number;
    from: string;
    to: string;
    workingHours: boolean;
    startHour: number;
    endHour: number;
    workingTime: boolean;
    mapActivities: number;
    variants: string[][];
    /**
     * keep the cases with (or without) one of these roles or systems (added compatibly: maps kept
     * before it have none, which keeps every case); roles as the lanes name them, never the
     * resource column
     */
    attribute?: { attribute: 'role' | 'system'; values: string[]; keep: 'with' | 'without' };
    /**
     * conditions on attributes, all applied (added compatibly: maps kept before it have none):
     * a role, a system, or a column of the log kept for filtering (`column` names it); values of
     * one condition are combined with "any of"
     */
    attributes?: Array<{
      attribute: 'role' | 'system' | 'column';
      column?: string;
      values: string[];
      keep: 'with' | 'without';
    }>;
  };
  map: {
    cases: number;
    casesDrawn: number;
    activities: Array<{
      name: string;
      n: number;
      cases: number;
      duration?: { meanMin: number; medianMin: number; timed: number };
    }>;
    shown: number;
    edges: Array<{
      from: number;
      to: number;
      n: number;
      cases: number;
      duration?: { meanMin: number; medianMin: number };
    }>;
    variants: Array<{ activities: number[]; cases: number }>;
    variantCount: number;
    workingTime: boolean;
  };
}

/** A project's identity and settings (`#/$defs/meta` of project.schema.json; storage validates it with that). */
export interface ProjectMeta {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /**
   * project settings: the analysis settings (`workflowAnalysis`), the readiness gates
   * (`readinessGates`, readinessGates.ts), the FHIR checks (`fhirChecks`, fhirChecks.ts), …;
   * open, so later versions add fields
   */
  settings: Record<string, unknown>;
  /** the sign-off roster the data lead keeps (roster.ts); absent in projects made before it */
  roster?: Roster;
}

/**
 * A report inside a project: it always has an `id`, given when it is added (two runs finishing
 * in the same millisecond must not share a key). A standalone report file (the CLI's) may have
 * none; a project file written before ids were given may hold reports without one, and
 * {@link loadProjectFile} gives them theirs ({@link assignReportIds}).
 */
export type ProjectReport = Report & { id: string };

/** A whole project: its meta and every document it holds, in the user's order. */
export interface Project {
  meta: ProjectMeta;
  workflows: Workflow[];
  mappings: Mapping[];
  samplePlans: SamplePlan[];
  reports: ProjectReport[];
  datasets: Dataset[];
  schemas: SchemaDoc[];
  /** clinician reviews (drawn samples and decisions); absent in projects made before reviews */
  reviews?: Review[];
  /** the last go-live check of each planned workflow; absent in projects made before checks were kept */
  workflowChecks?: WorkflowCheck[];
  /** the process map last measured from an event log; absent in projects made before maps were kept */
  logMaps?: LogMap[];
  /** the last back-test of each workflow; absent in projects made before back-tests were kept */
  workflowBackTests?: WorkflowBackTest[];
}

/** An exported project (`preflight.project/v1`). */
export interface ProjectFile {
  format: typeof PROJECT_FORMAT;
  exportedAt: string;
  app: { name: 'preflight'; version: string };
  project: Project;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of `project`: detects a damaged or edited file */
  integrity: { sha256: string };
}

// ---- creating and loading -----------------------------------------------------------------

/**
 * The largest project file Preflight reads, in bytes: 256 MiB, for the app's import and the
 * CLI's `check` alike. Project files hold documents and results, never source extracts, so a
 * real one is far smaller; the cap keeps a data file picked by mistake from being read whole
 * into memory. (The app capped at 200 MiB and the CLI at 256 MiB; the CLI's documented limit
 * was kept, so no file that checked before is refused now.)
 */
export const MAX_PROJECT_FILE_BYTES = 256 * 1024 * 1024;

/**
 * The longest text value a project file may hold: 1 Mi characters. Its texts are names,
 * descriptions, notes and signatures, hundreds of characters at most; one hostile value of tens of
 * MB would otherwise be gathered, parsed and hashed whole (several times its size in memory).
 */
export const MAX_PROJECT_TEXT_CHARS = 1024 * 1024;
/** The longest property name: 16,384 characters (a contract's column names are at most 4,096). */
export const MAX_PROJECT_KEY_CHARS = 16 * 1024;

/**
 * Counts a project file's text as it streams in: the first text over {@link MAX_PROJECT_TEXT_CHARS}
 * or property name over {@link MAX_PROJECT_KEY_CHARS}, at its line and column.
 */
export function createProjectTextLimit(): JsonTextLimit {
  return createJsonStringLimit({
    maxStringChars: MAX_PROJECT_TEXT_CHARS,
    maxNameChars: MAX_PROJECT_KEY_CHARS,
  });
}

/** The problem of a project file with a text over its bound: where it starts, what to do. */
export function projectTextTooLong(found: JsonTooLarge): FormatProblem {
  const what = found.kind === 'name' ? 'property name' : 'text';
  return problem(
    '',
    PROBLEM_CODES.textTooLong,
    `the ${what} starting at line ${found.line.toLocaleString('en-US')}, column ${found.column.toLocaleString('en-US')} is longer than ${found.max.toLocaleString('en-US')} characters, far more than any project holds, so the file was not read; export the project again from Preflight, or ask whoever sent it for a new export`,
  );
}

/** `$id` of the project-file JSON Schema (src/formats/project.schema.json). */
export const PROJECT_SCHEMA_ID = 'urn:preflight:format:project:v1';

/** Migrations from older project-file tags (none yet: v1 is the first public version). */
export const projectMigrations: readonly Migration[] = [];

/** What {@link createProjectFile} needs besides the project. */
export interface CreateProjectFileOptions {
  /** export time: a Date or an RFC 3339 date-time string with zone */
  now: Date | string;
  /** version of the Preflight writing the file */
  appVersion: string;
}

/**
 * Wraps a project for export, with its integrity hash (SHA-256 of the RFC 8785 canonical JSON
 * of `project`). The caller serialises it (`JSON.stringify`); any indentation is fine, the hash
 * does not depend on it.
 *
 * @throws TypeError when the project holds a value JSON cannot carry (NaN, ±Infinity, a lone
 * surrogate): such a file could never verify.
 */
export function createProjectFile(project: Project, options: CreateProjectFileOptions): ProjectFile {
  const exportedAt = typeof options.now === 'string' ? options.now : options.now.toISOString();
  return {
    format: PROJECT_FORMAT,
    exportedAt,
    app: { name: 'preflight', version: options.appVersion },
    project,
    integrity: { sha256: canonicalSha256Hex(project) },
  };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The integrity problem of a raw project file, or null when it verifies (or when the file is too
 * malformed to say: the schema reports that). Checked on the file as written, before migration.
 */
export function integrityProblem(json: Readonly<Record<string, unknown>>): FormatProblem | null {
  const integrity = json.integrity;
  const expected = isPlainObject(integrity) ? integrity.sha256 : undefined;
  if (typeof expected !== 'string' || !SHA256_HEX.test(expected) || !('project' in json)) return null;
  let actual: string;
  try {
    actual = canonicalSha256Hex(json.project);
  } catch {
    actual = '';
  }
  if (actual === expected) return null;
  return problem(
    '/integrity/sha256',
    PROBLEM_CODES.integrityMismatch,
    'the project does not match its integrity hash: the file was damaged or edited after export',
  );
}

/** The format definitions of the documents a project file embeds, by collection. */
export interface EmbeddedFormats {
  workflows: FormatDefinition<Workflow>;
  mappings: FormatDefinition<Mapping>;
  samplePlans: FormatDefinition<SamplePlan>;
  reports: FormatDefinition<Report>;
  reviews: FormatDefinition<Review>;
}

/** The formats Preflight embeds in a project file (tests pass others, e.g. with a fake migration). */
export const EMBEDDED_FORMATS: EmbeddedFormats = {
  workflows: workflowFormat,
  mappings: mappingFormat,
  samplePlans: samplePlanFormat,
  reports: reportFormat,
  reviews: reviewFormat,
};

const EMBEDDED_COLLECTIONS = ['workflows', 'mappings', 'samplePlans', 'reports', 'reviews'] as const;

/**
 * Semantic problem codes of embedded documents that still refuse an import. Every other semantic
 * problem of an embedded document is a draft state the app saves (storage skips those checks so
 * an editor never locks a user out of their project) and an editor can fix, so on import it is a
 * warning: an export of a saved project must always import again.
 *
 * `not-redacted` stays a refusal: a redacted report is a privacy promise, never an editor draft,
 * and storage enforces it before every write too.
 */
export const EMBEDDED_REFUSAL_CODES: ReadonlySet<string> = new Set([PROBLEM_CODES.notRedacted]);

/** What {@link inspectProjectFile} finds: problems refuse the file, warnings do not. */
export interface ProjectFileInspection {
  problems: FormatProblem[];
  warnings: FormatProblem[];
}

/**
 * Semantic checks of a project file (beyond its schema), split into refusals and warnings
 * (src/formats/README.md, "Refusals and warnings").
 *
 * Refusals: a blank or overlong project name (src/formats/projectName.ts); an embedded document
 * its own loader refuses before semantic checks (tag, migration, schema); a redacted report
 * holding values; two documents of one collection with the same id — they would share a storage
 * key. (A report written without an id was given its `generatedAt` as id by
 * {@link assignReportIds} before this runs.)
 *
 * Warnings: the embedded documents' own semantic checks (branch probabilities, references between
 * steps and lanes, duplicate step ids, …) and the references between documents (a future
 * workflow's baseline and its `replaces`/`retired`, a dataset's contract).
 *
 * Paths are prefixed, e.g. "/project/workflows/0/steps/2/lane".
 */
export function inspectProjectFile(
  file: ProjectFile,
  formats: EmbeddedFormats = EMBEDDED_FORMATS,
): ProjectFileInspection {
  const { project } = file;
  const problems: FormatProblem[] = [];
  const warnings: FormatProblem[] = [];
  // the same name rule as creating and renaming: a blank or overlong name is refused, not cut
  const name = checkProjectName(project.meta.name);
  if (!name.ok) problems.push(problem('/project/meta/name', name.code, name.message));
  const embedded = <T>(items: readonly unknown[], collection: string, format: FormatDefinition<T>) => {
    const withoutChecks: FormatDefinition<T> = { ...format, check: undefined, warn: undefined };
    items.forEach((item, index) => {
      const base = pointer('project', collection, index);
      const result = loadDocument(withoutChecks, item);
      if (!result.ok) {
        problems.push(...prefixProblems(base, result.problems));
        return;
      }
      for (const found of prefixProblems(base, format.check?.(result.value) ?? [])) {
        (EMBEDDED_REFUSAL_CODES.has(found.code) ? problems : warnings).push(found);
      }
    });
  };
  embedded(project.workflows, 'workflows', formats.workflows);
  embedded(project.mappings, 'mappings', formats.mappings);
  embedded(project.samplePlans, 'samplePlans', formats.samplePlans);
  embedded(project.reports, 'reports', formats.reports);
  embedded(project.reviews ?? [], 'reviews', formats.reviews);

  problems.push(
    ...duplicateIdProblems(project.workflows, '/project/workflows', 'workflow'),
    ...duplicateIdProblems(project.mappings, '/project/mappings', 'mapping'),
    ...duplicateIdProblems(project.samplePlans, '/project/samplePlans', 'sample plan'),
    ...duplicateIdProblems(project.reports, '/project/reports', 'report'),
    ...duplicateIdProblems(project.datasets, '/project/datasets', 'dataset'),
    ...duplicateIdProblems(project.schemas, '/project/schemas', 'schema'),
    ...duplicateIdProblems(project.reviews ?? [], '/project/reviews', 'review'),
    ...duplicateIdProblems(project.workflowChecks ?? [], '/project/workflowChecks', 'workflow check'),
    ...duplicateIdProblems(project.logMaps ?? [], '/project/logMaps', 'process map'),
    ...duplicateIdProblems(project.workflowBackTests ?? [], '/project/workflowBackTests', 'back-test'),
  );
  // the schema checked each waiver's fields; a waiver that fails these checks accepts nothing
  const waivers = project.meta.settings[PROJECT_WAIVERS_KEY];
  if (Array.isArray(waivers))
    warnings.push(...waiverProblems(waivers as Waiver[], `/project/meta/settings/${PROJECT_WAIVERS_KEY}`));

  const workflowsById = new Map<string, Workflow>();
  for (const workflow of project.workflows)
    if (!workflowsById.has(workflow.id)) workflowsById.set(workflow.id, workflow);
  project.workflows.forEach((workflow, index) => {
    if (workflow.state !== 'future' || workflow.baseline === undefined) return;
    const base = pointer('project', 'workflows', index);
    const baseline = workflowsById.get(workflow.baseline);
    if (!baseline) {
      warnings.push(
        problem(
          `${base}/baseline`,
          PROBLEM_CODES.unknownReference,
          'the baseline is not a workflow of this project',
        ),
      );
      return;
    }
    warnings.push(...prefixProblems(base, checkWorkflowAgainstBaseline(workflow, baseline)));
  });

  // analysis settings are read leniently by the app; a bad value is a draft state, not a refusal
  warnings.push(...readProjectAnalysisSettings(project.meta.settings, '/project/meta/settings').problems);
  // a FHIR check a later version added is ignored here, with a word
  warnings.push(...readProjectFhirChecks(project.meta.settings, '/project/meta/settings').problems);

  // a check of a workflow no longer in the project is never shown; it is worth a word, not a refusal
  (project.workflowChecks ?? []).forEach((check, index) => {
    if (!workflowsById.has(check.id)) {
      warnings.push(
        problem(
          pointer('project', 'workflowChecks', index, 'id'),
          PROBLEM_CODES.unknownReference,
          'the checked workflow is not a workflow of this project',
        ),
      );
    }
  });
  (project.workflowBackTests ?? []).forEach((tested, index) => {
    if (!workflowsById.has(tested.id)) {
      warnings.push(
        problem(
          pointer('project', 'workflowBackTests', index, 'id'),
          PROBLEM_CODES.unknownReference,
          'the back-tested workflow is not a workflow of this project',
        ),
      );
    }
  });

  const schemaIds = new Set(project.schemas.map((schema) => schema.id));
  const mappingIds = new Set(project.mappings.map((mapping) => mapping.id));
  const datasetIds = new Set(project.datasets.map((dataset) => dataset.id));
  project.datasets.forEach((dataset, index) => {
    if (dataset.contract !== undefined && !schemaIds.has(dataset.contract)) {
      warnings.push(
        problem(
          pointer('project', 'datasets', index, 'contract'),
          PROBLEM_CODES.unknownReference,
          'the column contract is not a schema of this project',
        ),
      );
    }
    if (dataset.mapping !== undefined && !mappingIds.has(dataset.mapping))
      warnings.push(
        problem(
          pointer('project', 'datasets', index, 'mapping'),
          PROBLEM_CODES.unknownReference,
          'the mapping is not a mapping of this project',
        ),
      );
    dataset.references?.forEach((reference, at) => {
      if (!datasetIds.has(reference.target))
        warnings.push(
          problem(
            pointer('project', 'datasets', index, 'references', at, 'target'),
            PROBLEM_CODES.unknownReference,
            'the linked file is not a dataset of this project',
          ),
        );
    });
  });
  return { problems, warnings };
}

/** The problems of a project file that refuse it (see {@link inspectProjectFile}). */
export function checkProjectFile(
  file: ProjectFile,
  formats: EmbeddedFormats = EMBEDDED_FORMATS,
): FormatProblem[] {
  return inspectProjectFile(file, formats).problems;
}

/** The problems of a project file that only warn (see {@link inspectProjectFile}). */
export function projectFileWarnings(
  file: ProjectFile,
  formats: EmbeddedFormats = EMBEDDED_FORMATS,
): FormatProblem[] {
  return inspectProjectFile(file, formats).warnings;
}

/**
 * Migrates the embedded documents of older tags (in a copy: `file` is not changed), so the
 * project schema, which names each format's current tag, sees current documents. A newer or
 * unconvertible embedded document, or a migration that fails, is a problem at its path.
 */
function migrateEmbedded(
  file: Record<string, unknown>,
  formats: EmbeddedFormats,
): { value: Record<string, unknown>; problems: FormatProblem[] } {
  const problems: FormatProblem[] = [];
  const project = file.project;
  if (!isPlainObject(project)) return { value: file, problems };
  let copy: Record<string, unknown> | null = null;
  for (const collection of EMBEDDED_COLLECTIONS) {
    const items = project[collection];
    if (!Array.isArray(items)) continue;
    const format = formats[collection] as FormatDefinition<unknown>;
    let migrated: unknown[] | null = null;
    items.forEach((item: unknown, index) => {
      if (!isPlainObject(item)) return;
      const status = classifyTag(format, item.format);
      // current documents need nothing; another format's tag is reported by the schema
      if (status === 'current' || status === 'other') return;
      const base = pointer('project', collection, index);
      if (status !== 'older') {
        problems.push(...prefixProblems(base, tagProblems(format, item) ?? []));
        return;
      }
      const result = migrateDocument(format, item);
      if (!result.ok) {
        problems.push(...prefixProblems(base, [result.problem]));
        return;
      }
      migrated ??= [...items];
      migrated[index] = result.value;
    });
    if (migrated) {
      copy ??= { ...project };
      copy[collection] = migrated;
    }
  }
  return { value: copy ? { ...file, project: copy } : file, problems };
}

/**
 * Gives every report of a (migrated) project file that has no `id` one: its `generatedAt`, in a
 * copy (`file` is not changed). Project files written before reports had ids keyed them by
 * `generatedAt` — storage did too, and storage's upgrade gives stored reports the same id — so
 * an old file imports with the ids its reports always had, and importing it twice gives the same
 * ids. Values that are not reports with a text `generatedAt` are left to the schema.
 *
 * `problems`: a report given an id that an earlier report already has (two reports without an
 * id and one `generatedAt`) is refused at its `generatedAt`, as before ids: they would share a
 * storage key.
 */
export function assignReportIds(file: Record<string, unknown>): {
  value: Record<string, unknown>;
  problems: FormatProblem[];
} {
  const project = file.project;
  if (!isPlainObject(project) || !Array.isArray(project.reports)) return { value: file, problems: [] };
  const original: unknown[] = project.reports;
  const reports = [...original];
  const problems: FormatProblem[] = [];
  const seen = new Set<unknown>();
  let assigned = false;
  reports.forEach((report, index) => {
    if (!isPlainObject(report)) return;
    if (report.id === undefined && typeof report.generatedAt === 'string') {
      assigned = true;
      reports[index] = { ...report, id: report.generatedAt };
      if (seen.has(report.generatedAt)) {
        problems.push(
          problem(
            pointer('project', 'reports', index, 'generatedAt'),
            PROBLEM_CODES.duplicateId,
            'a report written without an id is identified by its generatedAt, and an earlier report already has that identity',
          ),
        );
      }
      seen.add(report.generatedAt);
    } else {
      seen.add(report.id);
    }
  });
  return { value: assigned ? { ...file, project: { ...project, reports } } : file, problems };
}

/**
 * The parts of the project-file definition that depend on the embedded formats: integrity
 * (`verify`, on the file as written), embedded migrations and report ids (`normalize`), and
 * {@link inspectProjectFile} (`check` refuses, `warn` warns).
 */
function projectFileHooks(
  formats: EmbeddedFormats,
): Pick<FormatDefinition<ProjectFile>, 'verify' | 'normalize' | 'check' | 'warn'> {
  return {
    verify: (document) => {
      const found = integrityProblem(document);
      return found ? [found] : [];
    },
    normalize: (document) => {
      const embedded = migrateEmbedded(document, formats);
      const withIds = assignReportIds(embedded.value);
      return { value: withIds.value, problems: [...embedded.problems, ...withIds.problems] };
    },
    check: (file) => checkProjectFile(file, formats),
    warn: (file) => projectFileWarnings(file, formats),
  };
}

/**
 * How `preflight.project/v1` is loaded — every check included: integrity on the file as written
 * (a tampered or damaged file is refused), migrations of the file and of each embedded document,
 * report ids, schema, then {@link inspectProjectFile}. `loadDocument(projectFileFormat, json)`,
 * {@link loadProjectFile} and the registry's `loadAny` therefore load a project file the same way.
 */
export const projectFileFormat: FormatDefinition<ProjectFile> = {
  tag: PROJECT_FORMAT,
  title: FORMAT_FAMILIES.project,
  schemaId: PROJECT_SCHEMA_ID,
  validate: validateProjectFile,
  migrations: projectMigrations,
  ...projectFileHooks(EMBEDDED_FORMATS),
};

/**
 * Loads a parsed project file with {@link projectFileFormat} (see there for the steps); the ok
 * result holds the migrated documents, every report with an id, and the draft states as
 * `warnings`. `definition` supplies the tag, migrations and validator (tests pass one with a
 * fake migration); `formats` the embedded documents' definitions. Never throws; problems name
 * paths, not values.
 */
export function loadProjectFile(
  json: unknown,
  definition: FormatDefinition<ProjectFile> = projectFileFormat,
  formats: EmbeddedFormats = EMBEDDED_FORMATS,
): LoadResult<ProjectFile> {
  return loadDocument({ ...definition, ...projectFileHooks(formats) }, json);
}

/** Options of {@link parseProjectFile}. */
export interface ParseProjectFileOptions {
  /** the embedded documents' format definitions; default {@link EMBEDDED_FORMATS} */
  formats?: EmbeddedFormats;
}

/**
 * Parses the text of an exported project file. Tells apart: invalid JSON (with line and
 * column), not a Preflight project file, a newer version, an integrity mismatch, schema
 * problems with paths, and problems inside embedded documents ("/project/workflows/0/…").
 * Semantic problems that the app saves as drafts come back as `warnings` of an ok result
 * (see {@link inspectProjectFile}): every project storage accepts exports to a file this imports.
 */
export function parseProjectFile(
  text: string,
  options: ParseProjectFileOptions = {},
): LoadResult<ProjectFile> {
  const long = createProjectTextLimit().scan(text);
  if (long) return { ok: false, problems: [projectTextTooLong(long)] };
  return parseBoundedProjectFile(text, options);
}

/**
 * {@link parseProjectFile} for a text already counted with {@link createProjectTextLimit} (a
 * reader that counted each chunk as it arrived), so it is not counted a second time.
 */
export function parseBoundedProjectFile(
  text: string,
  options: ParseProjectFileOptions = {},
): LoadResult<ProjectFile> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  return loadProjectFile(parsed.value, projectFileFormat, options.formats);
}
