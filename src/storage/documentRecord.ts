/**
 * The `documents` store record: one project document (workflow, dataset, mapping, sample plan,
 * report or schema) as `{ projectId, kind, id, body }`, keyed by `[projectId, kind, id]`.
 *
 * Constraints:
 * - Every body is validated when read (loading always validates): a stored document that no longer matches
 *   its format is reported as `corrupt` with its kind, id and the JSON path of the problem —
 *   never its values, which may be patient data (report examples, dataset columns).
 * - The SAME validation runs before a write (`writeProblems`), so `corrupt` on load
 *   only ever means damage or an incompatible version — never a draft the editor produced.
 * - Workflows, mappings, sample plans and reports go through their src/formats loaders: tag,
 *   migrations from older versions, precompiled JSON Schema. The loaders' semantic checks
 *   (branch probabilities summing to 1, references between steps and lanes, …) are left out on
 *   purpose: a draft mid-edit legitimately fails them, they are reported by analysis and as
 *   warnings by project-file import, and failing them here would lock a user out of their own
 *   project on the next reload. The semantic checks kept are a report's redaction (a privacy
 *   promise, never a draft; import refuses it too) and a report's `id`, which the report format
 *   leaves optional for standalone files but a project's report always has (it is the key).
 * - Datasets and schema documents are validated with the generated validators of the project
 *   file schema's `$defs`: the same rules as import, so whatever is stored also exports to a
 *   file that imports again.
 */
import type { IDBPObjectStore } from 'idb';
import { nonJsonValue } from '../core/hash/index.ts';
import { type DocumentKind, type DocumentOf, documentId, isDocumentKind } from '../core/project/documents.ts';
import {
  validateDataset,
  validateLogMap,
  validateSchemaDoc,
  validateWorkflowBackTest,
  validateWorkflowCheck,
} from '../formats/generated/validators.js';
import {
  type FormatDefinition,
  type FormatProblem,
  isPlainObject,
  type LoadResult,
  loadDocument,
  PROBLEM_CODES,
  problem,
  validateWithSchema,
} from '../formats/loading.ts';
import { mappingFormat } from '../formats/mapping.ts';
import type { ProjectReport } from '../formats/project.ts';
import { checkReportRedaction, type Report, reportFormat } from '../formats/report.ts';
import { reviewFormat } from '../formats/review.ts';
import { samplePlanFormat } from '../formats/samplePlan.ts';
import { workflowFormat } from '../formats/workflow.ts';
import type { DocumentRecord, PreflightDbSchema, PreflightStoreName } from './dbSchema.ts';
import type { StorageProblem } from './errors.ts';

export type { DocumentRecord } from './dbSchema.ts';

/** The primary key of a document record. */
type DocumentKey = [projectId: string, kind: DocumentKind, id: string];

type DocumentsStore<Mode extends IDBTransactionMode> = IDBPObjectStore<
  PreflightDbSchema,
  ArrayLike<PreflightStoreName>,
  'documents',
  Mode
>;

// ---------------------------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------------------------

/**
 * A format's loader with only the semantic checks storage enforces: tag, migrations, JSON Schema,
 * plus `check` when given (see the header for why the other semantic checks are left to analysis
 * and import).
 */
function storedFormat<T, S extends T = T>(
  definition: FormatDefinition<T>,
  check?: (value: T) => FormatProblem[],
): (body: unknown) => LoadResult<S> {
  const stored: FormatDefinition<T> = { ...definition, check, warn: undefined };
  // `check` proves what makes a T an S (a report's id): S is only claimed when it passed
  return (body) => loadDocument(stored, body) as LoadResult<S>;
}

/**
 * What storage checks on a report beyond its schema: the id every report of a project has (its
 * storage key; the v3 upgrade gave one to reports stored without it) and redaction.
 */
function checkStoredReport(report: Report): FormatProblem[] {
  const problems = checkReportRedaction(report);
  if (report.id === undefined) {
    problems.unshift(
      problem(
        '/id',
        PROBLEM_CODES.missingField,
        'required field "id" is missing (a report in a project has one)',
      ),
    );
  }
  return problems;
}

/**
 * The validator of each document kind, applied to every body read from storage and before
 * every write. Each returns the loader result shape of src/formats (`{ ok, value } | { ok, problems }`).
 * Datasets and schema documents use the generated validators of the project file's `$defs`, so
 * storage and project-file import share one definition of them.
 */
const DOCUMENT_VALIDATORS: {
  [K in DocumentKind]: (body: unknown) => LoadResult<DocumentOf<K>>;
} = {
  workflow: storedFormat(workflowFormat),
  dataset: (body) => validateWithSchema(validateDataset, body),
  mapping: storedFormat(mappingFormat),
  samplePlan: storedFormat(samplePlanFormat),
  // a redacted report is never an editor draft, and project-file import refuses one with values
  report: storedFormat<Report, ProjectReport>(reportFormat, checkStoredReport),
  schema: (body) => validateWithSchema(validateSchemaDoc, body),
  review: storedFormat(reviewFormat),
  // the project file's `$defs/workflowCheck`, as datasets: storage and import share one definition
  workflowCheck: (body) => validateWithSchema(validateWorkflowCheck, body),
  logMap: (body) => validateWithSchema(validateLogMap, body),
  workflowBackTest: (body) => validateWithSchema(validateWorkflowBackTest, body),
};

// ---------------------------------------------------------------------------------------------
// Record read/write
// ---------------------------------------------------------------------------------------------

/** The record to store for one document of a project. */
export function toDocumentRecord<K extends DocumentKind>(
  projectId: string,
  kind: K,
  document: DocumentOf<K>,
): DocumentRecord {
  return { projectId, kind, id: documentId(document), body: document };
}

/** The primary key of the record of one document. */
export function documentKey(projectId: string, kind: DocumentKind, id: string): DocumentKey {
  return [projectId, kind, id];
}

/**
 * Validates a document about to be written, with the validator used on load, and locates the
 * problems (kind, id, path — no values). Also refuses values a project file cannot carry (NaN,
 * a lone surrogate, a Date, `undefined`, …: {@link notExportable}), so every stored project can
 * be exported.
 * Empty when it may be written.
 */
export function writeProblems<K extends DocumentKind>(
  projectId: string,
  kind: K,
  document: DocumentOf<K>,
): StorageProblem[] {
  const result = DOCUMENT_VALIDATORS[kind](document);
  const id = documentId(document);
  if (!result.ok)
    return result.problems.map((p) => ({ projectId, documentKind: kind, documentId: id, ...p }));
  // only before a write: refusing on load would lock a user out of what an older version stored
  const notJson = notExportable(document);
  return notJson ? [{ projectId, documentKind: kind, documentId: id, ...notJson }] : [];
}

/**
 * Where `value` holds something a project file cannot carry, as a problem (`not-json`), or null.
 *
 * IndexedDB stores structured clones, which hold more than JSON does (NaN, Dates, Maps,
 * `undefined`, …). A project holding one would save but never export (`createProjectFile`
 * hashes canonical JSON, which refuses them), so it is refused before a write: the user's
 * backup must always be possible. The check is the hash's own (src/core/hash/jsonValue.ts).
 */
export function notExportable(
  value: unknown,
  path = '',
): { path: string; message: string; code: 'not-json' } | null {
  const found = nonJsonValue(value, path);
  return found
    ? { path: found.path, message: `${found.message}, so it cannot be exported`, code: 'not-json' }
    : null;
}

/** A validated document record. */
export interface ReadDocument {
  kind: DocumentKind;
  id: string;
  body: DocumentOf<DocumentKind>;
}

/**
 * Validates a value read from the `documents` store: the record envelope, then the body with
 * its kind's validator, then that the body's id matches the key it is stored under.
 * @returns the document, or its problems located by kind, id and path.
 */
export function readDocumentRecord(
  value: unknown,
  projectId: string,
): { ok: true; value: ReadDocument } | { ok: false; problems: StorageProblem[] } {
  const envelope = (path: string, message: string, extra: Partial<StorageProblem> = {}): StorageProblem => ({
    projectId,
    documentKind: 'document',
    path,
    message,
    code: 'type',
    ...extra,
  });
  if (!isPlainObject(value))
    return { ok: false, problems: [envelope('', 'the stored document is not an object')] };
  const { kind, id, body } = value;
  if (value.projectId !== projectId) {
    return { ok: false, problems: [envelope('/projectId', 'the document belongs to another project')] };
  }
  if (!isDocumentKind(kind)) return { ok: false, problems: [envelope('/kind', 'unknown document kind')] };
  if (typeof id !== 'string') {
    return {
      ok: false,
      problems: [envelope('/id', 'expected the document id to be a string', { documentKind: kind })],
    };
  }
  const located = (p: FormatProblem): StorageProblem => ({
    projectId,
    documentKind: kind,
    documentId: id,
    ...p,
  });
  const result = DOCUMENT_VALIDATORS[kind](body);
  if (!result.ok) return { ok: false, problems: result.problems.map(located) };
  if (documentId(result.value) !== id) {
    return {
      ok: false,
      problems: [
        located({
          path: '/id',
          message: 'does not match the key it is stored under',
          code: 'key',
        }),
      ],
    };
  }
  return { ok: true, value: { kind, id, body: result.value } };
}

/** Reads every document record of a project (unvalidated; pass each to `readDocumentRecord`). */
export function getProjectDocumentRecords(
  store: DocumentsStore<IDBTransactionMode>,
  projectId: string,
): Promise<unknown[]> {
  return store.index('byProject').getAll(projectId);
}

/** The keys of every document record of a project. */
async function getProjectDocumentKeys(
  store: DocumentsStore<IDBTransactionMode>,
  projectId: string,
): Promise<DocumentKey[]> {
  return (await store.index('byProject').getAllKeys(projectId)) as DocumentKey[];
}

/** Writes one document record. */
export async function putDocumentRecord(
  store: DocumentsStore<'readwrite' | 'versionchange'>,
  record: DocumentRecord,
): Promise<void> {
  await store.put(record);
}

/** Deletes one document record. */
export async function deleteDocumentRecord(
  store: DocumentsStore<'readwrite' | 'versionchange'>,
  key: DocumentKey,
): Promise<void> {
  await store.delete(key);
}

/** Deletes every document record of a project. */
export async function deleteProjectDocuments(
  store: DocumentsStore<'readwrite' | 'versionchange'>,
  projectId: string,
): Promise<void> {
  const keys = await getProjectDocumentKeys(store, projectId);
  await Promise.all(keys.map((key) => store.delete(key)));
}
