/**
 * `preflight.project/v1`: a whole project in one file, for export and import.
 * Source extracts are never embedded: datasets carry metadata only (DESIGN.md 6).
 */
import { canonicalSha256Hex } from '../core/hash/canonicalJson.ts';
import { validateProjectFile } from './generated/validators.js';
import { parseJsonText } from './jsonText.ts';
import {
  classifyTag,
  duplicateIdProblems,
  type FormatDefinition,
  type FormatProblem,
  isPlainObject,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  pointer,
  prefixProblems,
  problem,
} from './loading.ts';
import { loadMapping, type Mapping } from './mapping.ts';
import { loadReport, type Report } from './report.ts';
import { loadSamplePlan, type SamplePlan } from './samplePlan.ts';
import { checkWorkflowAgainstBaseline, loadWorkflow, type Workflow } from './workflow.ts';

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
}

/** A user- or sample-supplied JSON Schema (column contract or target schema). */
export interface SchemaDoc {
  id: string;
  name: string;
  schema: Record<string, unknown>;
}

export interface ProjectMeta {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** project settings (finding thresholds, rule severities, …); fields are added by later issues */
  settings: Record<string, unknown>;
}

export interface Project {
  meta: ProjectMeta;
  workflows: Workflow[];
  mappings: Mapping[];
  samplePlans: SamplePlan[];
  reports: Report[];
  datasets: Dataset[];
  schemas: SchemaDoc[];
}

export interface ProjectFile {
  format: typeof PROJECT_FORMAT;
  exportedAt: string;
  app: { name: 'preflight'; version: string };
  project: Project;
  /** SHA-256 (hex) of the RFC 8785 canonical JSON of `project`: detects a damaged or edited file */
  integrity: { sha256: string };
}

// ---- creating and loading -----------------------------------------------------------------

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

/**
 * Semantic checks of a project file (beyond its schema): each embedded document passes its own
 * loader (paths prefixed, e.g. "/project/workflows/0/steps/2/lane"); ids are unique per kind;
 * a future workflow's baseline is a current workflow of the project whose steps its `replaces`
 * and `retired` name; a dataset's contract is one of the project's schemas.
 */
export function checkProjectFile(file: ProjectFile): FormatProblem[] {
  const { project } = file;
  const problems: FormatProblem[] = [];
  const embedded = <T>(
    items: readonly unknown[],
    collection: string,
    load: (json: unknown) => LoadResult<T>,
  ) => {
    items.forEach((item, index) => {
      const result = load(item);
      if (!result.ok)
        problems.push(...prefixProblems(pointer('project', collection, index), result.problems));
    });
  };
  embedded(project.workflows, 'workflows', loadWorkflow);
  embedded(project.mappings, 'mappings', loadMapping);
  embedded(project.samplePlans, 'samplePlans', loadSamplePlan);
  embedded(project.reports, 'reports', loadReport);

  problems.push(
    ...duplicateIdProblems(project.workflows, '/project/workflows', 'workflow'),
    ...duplicateIdProblems(project.mappings, '/project/mappings', 'mapping'),
    ...duplicateIdProblems(project.samplePlans, '/project/samplePlans', 'sample plan'),
    ...duplicateIdProblems(project.datasets, '/project/datasets', 'dataset'),
    ...duplicateIdProblems(project.schemas, '/project/schemas', 'schema'),
  );

  const workflowsById = new Map<string, Workflow>();
  for (const workflow of project.workflows)
    if (!workflowsById.has(workflow.id)) workflowsById.set(workflow.id, workflow);
  project.workflows.forEach((workflow, index) => {
    if (workflow.state !== 'future' || workflow.baseline === undefined) return;
    const base = pointer('project', 'workflows', index);
    const baseline = workflowsById.get(workflow.baseline);
    if (!baseline) {
      problems.push(
        problem(
          `${base}/baseline`,
          PROBLEM_CODES.unknownReference,
          'the baseline is not a workflow of this project',
        ),
      );
      return;
    }
    problems.push(...prefixProblems(base, checkWorkflowAgainstBaseline(workflow, baseline)));
  });

  const schemaIds = new Set(project.schemas.map((schema) => schema.id));
  project.datasets.forEach((dataset, index) => {
    if (dataset.contract !== undefined && !schemaIds.has(dataset.contract)) {
      problems.push(
        problem(
          pointer('project', 'datasets', index, 'contract'),
          PROBLEM_CODES.unknownReference,
          'the column contract is not a schema of this project',
        ),
      );
    }
  });
  return problems;
}

/** How `preflight.project/v1` is loaded, integrity aside (see {@link loadProjectFile}). */
export const projectFileFormat: FormatDefinition<ProjectFile> = {
  tag: PROJECT_FORMAT,
  title: 'project file',
  schemaId: PROJECT_SCHEMA_ID,
  validate: validateProjectFile,
  check: checkProjectFile,
  migrations: projectMigrations,
};

/**
 * Loads a parsed project file: tag, integrity (on the file as written), migrations, schema
 * (embedded documents included), then {@link checkProjectFile}. A tampered or damaged file is
 * refused. Never throws; problems name paths, not values.
 */
export function loadProjectFile(
  json: unknown,
  definition: FormatDefinition<ProjectFile> = projectFileFormat,
): LoadResult<ProjectFile> {
  const status = isPlainObject(json) ? classifyTag(definition, json.format) : 'other';
  const integrity =
    isPlainObject(json) && (status === 'current' || status === 'older') ? integrityProblem(json) : null;
  const result = loadDocument(definition, json);
  if (!integrity) return result;
  return { ok: false, problems: result.ok ? [integrity] : [integrity, ...result.problems] };
}

/**
 * Parses the text of an exported project file. Tells apart: invalid JSON (with line and
 * column), not a Preflight project file, a newer version, an integrity mismatch, schema
 * problems with paths, and problems inside embedded documents ("/project/workflows/0/…").
 */
export function parseProjectFile(text: string): LoadResult<ProjectFile> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  return loadProjectFile(parsed.value);
}
