/**
 * `preflight.project/v1`: a whole project in one file, for export and import.
 * Source extracts are never embedded: datasets carry metadata only (DESIGN.md 6).
 */
import { canonicalSha256Hex } from '../core/hash/canonicalJson.ts';
// biome-ignore lint/style/noRestrictedImports: TEMPORARY, removed by the spine-formats branch (issue 5 item 2)
import { documentId } from '../core/project/documents.ts';
import { validateProjectFile } from './generated/validators.js';
import { parseJsonText } from './jsonText.ts';
import {
  capProblems,
  classifyTag,
  duplicateIdProblems,
  type FormatDefinition,
  type FormatProblem,
  isPlainObject,
  type LoadResult,
  loadDocument,
  loaded,
  type Migration,
  migrateDocument,
  PROBLEM_CODES,
  pointer,
  prefixProblems,
  problem,
  schemaProblems,
  tagProblems,
} from './loading.ts';
import { type Mapping, mappingFormat } from './mapping.ts';
import { type Report, reportFormat } from './report.ts';
import { type SamplePlan, samplePlanFormat } from './samplePlan.ts';
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
}

/** A user- or sample-supplied JSON Schema (column contract or target schema). */
export interface SchemaDoc {
  id: string;
  name: string;
  schema: Record<string, unknown>;
}

/** A project's identity and settings (`#/$defs/meta` of project.schema.json; storage validates it with that). */
export interface ProjectMeta {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** project settings (finding thresholds, rule severities, …); fields are added by later issues */
  settings: Record<string, unknown>;
}

/** A whole project: its meta and every document it holds, in the user's order. */
export interface Project {
  meta: ProjectMeta;
  workflows: Workflow[];
  mappings: Mapping[];
  samplePlans: SamplePlan[];
  reports: Report[];
  datasets: Dataset[];
  schemas: SchemaDoc[];
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
}

/** The formats Preflight embeds in a project file (tests pass others, e.g. with a fake migration). */
export const EMBEDDED_FORMATS: EmbeddedFormats = {
  workflows: workflowFormat,
  mappings: mappingFormat,
  samplePlans: samplePlanFormat,
  reports: reportFormat,
};

const EMBEDDED_COLLECTIONS = ['workflows', 'mappings', 'samplePlans', 'reports'] as const;

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
 * Refusals: an embedded document its own loader refuses before semantic checks (tag,
 * migration, schema); a redacted report holding values; two documents of one collection with
 * the same id (a report's id is `id ?? generatedAt`) — they would share a storage key.
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

  problems.push(
    ...duplicateIdProblems(project.workflows, '/project/workflows', 'workflow'),
    ...duplicateIdProblems(project.mappings, '/project/mappings', 'mapping'),
    ...duplicateIdProblems(project.samplePlans, '/project/samplePlans', 'sample plan'),
    ...duplicateReportProblems(project.reports),
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

  const schemaIds = new Set(project.schemas.map((schema) => schema.id));
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
  });
  return { problems, warnings };
}

/**
 * Reports that share an identity (`id`, or `generatedAt` for a report without one: see
 * `documentId` in src/core/project/documents.ts) — storage keys reports by it.
 */
function duplicateReportProblems(reports: readonly Report[]): FormatProblem[] {
  const seen = new Set<string>();
  const problems: FormatProblem[] = [];
  reports.forEach((report, index) => {
    const id = documentId('report', report);
    if (seen.has(id)) {
      problems.push(
        problem(
          pointer('project', 'reports', index, report.id === undefined ? 'generatedAt' : 'id'),
          PROBLEM_CODES.duplicateId,
          report.id === undefined
            ? 'an earlier report without an id has the same generatedAt, which identifies a report without one'
            : 'report id is used by an earlier report',
        ),
      );
    }
    seen.add(id);
  });
  return problems;
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

/** How `preflight.project/v1` is loaded, integrity aside (see {@link loadProjectFile}). */
export const projectFileFormat: FormatDefinition<ProjectFile> = {
  tag: PROJECT_FORMAT,
  title: 'project file',
  schemaId: PROJECT_SCHEMA_ID,
  validate: validateProjectFile,
  check: checkProjectFile,
  warn: projectFileWarnings,
  migrations: projectMigrations,
};

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
 * Loads a parsed project file: tag, integrity (on the file as written), migrations of the file
 * and of each embedded document (the result holds the migrated documents), schema (embedded
 * documents included), then {@link inspectProjectFile}: its problems refuse the file, its
 * warnings come with the ok result. A tampered or damaged file is refused. `definition`
 * supplies the tag, migrations and validator; `formats` the embedded documents' definitions.
 * Never throws; problems name paths, not values.
 */
export function loadProjectFile(
  json: unknown,
  definition: FormatDefinition<ProjectFile> = projectFileFormat,
  formats: EmbeddedFormats = EMBEDDED_FORMATS,
): LoadResult<ProjectFile> {
  const refused = tagProblems(definition as FormatDefinition<unknown>, json);
  if (refused) return { ok: false, problems: refused };
  const original = json as Record<string, unknown>;
  const integrity = integrityProblem(original);
  const hard: FormatProblem[] = integrity ? [integrity] : [];
  const refuse = (problems: FormatProblem[]): LoadResult<ProjectFile> => ({
    ok: false,
    problems: capProblems([...hard, ...problems]),
  });
  const migrated = migrateDocument(definition as FormatDefinition<unknown>, original);
  if (!migrated.ok) return refuse([migrated.problem]);
  const embedded = migrateEmbedded(migrated.value, formats);
  if (embedded.problems.length > 0) return refuse(embedded.problems);
  const document = embedded.value;
  if (!definition.validate(document)) return refuse(schemaProblems(definition.validate.errors ?? []));
  const value = document as unknown as ProjectFile;
  const { problems, warnings } = inspectProjectFile(value, formats);
  if (hard.length > 0 || problems.length > 0) return refuse(problems);
  return loaded(value, original.format, definition.tag, warnings);
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
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  return loadProjectFile(parsed.value, projectFileFormat, options.formats);
}
