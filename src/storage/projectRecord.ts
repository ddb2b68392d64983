/**
 * The `projects` store record: a project's `ProjectMeta` plus the order of its documents.
 *
 * Constraints:
 * - `documentOrder` exists because the `documents` store is keyed (and so sorted) by id, while
 *   a project's lists have a user-visible order. It is rewritten with the meta on every save,
 *   in the same transaction as the documents, so the two never disagree.
 * - Validated on every read; a malformed record is reported as `corrupt` with its path, never
 *   its values.
 * - `revision` is the optimistic-concurrency stamp: every write of the project claims a new,
 *   larger one in the same transaction (see `storage.ts`), and a write based on an older
 *   revision is refused as `conflict`. Records written before it existed have none: that reads
 *   as {@link INITIAL_REVISION}. Never reused for an id, even after a delete and re-create.
 */
import type { IDBPObjectStore } from 'idb';
import { DOCUMENT_KINDS, type DocumentKind, documentId, documentsOf } from '../core/project/documents.ts';
import { validateProjectMeta } from '../formats/generated/validators.js';
import { type FormatProblem, isPlainObject, validateWithSchema } from '../formats/loading.ts';
import type { Project, ProjectMeta } from '../formats/project.ts';
import type { PreflightDbSchema, PreflightStoreName, ProjectRecord } from './dbSchema.ts';
import type { StorageProblem } from './errors.ts';

/** A validated project record split into its parts. */
interface ReadProjectRecord {
  meta: ProjectMeta;
  documentOrder: Partial<Record<DocumentKind, string[]>>;
  /** the record's write stamp ({@link INITIAL_REVISION} when the record has none) */
  revision: number;
}

/** The revision of a record written before revisions existed. */
export const INITIAL_REVISION = 0;

/** Whether `value` can be a revision: a non-negative safe integer. */
function isRevision(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * The revision of a raw (unvalidated) record: {@link INITIAL_REVISION} when it has none,
 * `undefined` when the record or its revision is malformed.
 */
export function recordRevision(value: unknown): number | undefined {
  if (!isPlainObject(value)) return undefined;
  if (value.revision === undefined) return INITIAL_REVISION;
  return isRevision(value.revision) ? value.revision : undefined;
}

type ProjectsStore<Mode extends IDBTransactionMode> = IDBPObjectStore<
  PreflightDbSchema,
  ArrayLike<PreflightStoreName>,
  'projects',
  Mode
>;

/** The record to store for `project` (its meta, the order of its documents, its revision). */
function toProjectRecord(project: Project, revision: number): ProjectRecord {
  const documentOrder: Partial<Record<DocumentKind, string[]>> = {};
  for (const kind of DOCUMENT_KINDS) {
    documentOrder[kind] = documentsOf(project, kind).map((d) => documentId(d));
  }
  return { ...project.meta, documentOrder, revision };
}

/** Only the `ProjectMeta` fields of a record (what `listProjects` returns). */
function projectMetaOf(record: ProjectMeta): ProjectMeta {
  return {
    id: record.id,
    name: record.name,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    settings: record.settings,
    ...(record.roster === undefined ? {} : { roster: record.roster }),
  };
}

/**
 * The problems of a project's meta, with the project file schema's own rules
 * (`#/$defs/meta`): storage accepts exactly the metas that export and import again. Paths are
 * relative to the meta ("/createdAt"); messages never hold values. Empty when valid.
 */
export function metaProblems(meta: unknown): FormatProblem[] {
  const result = validateWithSchema<ProjectMeta>(validateProjectMeta, meta);
  return result.ok ? [] : result.problems;
}

/**
 * Validates a value read from the `projects` store: the meta with {@link metaProblems}, the
 * document order structurally.
 * @returns the meta and order, or the problems (paths and kinds only).
 */
export function readProjectRecord(
  value: unknown,
): { ok: true; value: ReadProjectRecord } | { ok: false; problems: StorageProblem[] } {
  const projectId = isPlainObject(value) && typeof value.id === 'string' ? value.id : undefined;
  const problem = (path: string, message: string): StorageProblem => ({
    projectId,
    documentKind: 'project',
    path,
    message,
    code: 'type',
  });
  if (!isPlainObject(value))
    return { ok: false, problems: [problem('', 'the project record is not an object')] };
  const problems: StorageProblem[] = metaProblems(projectMetaOf(value as unknown as ProjectMeta)).map(
    (p) => ({ projectId, documentKind: 'project', ...p }),
  );
  const revision = recordRevision(value);
  if (revision === undefined) problems.push(problem('/revision', 'expected revision to be a whole number'));
  const order = value.documentOrder ?? {};
  const documentOrder: Partial<Record<DocumentKind, string[]>> = {};
  if (!isPlainObject(order)) {
    problems.push(problem('/documentOrder', 'expected documentOrder to be an object'));
  } else {
    for (const kind of DOCUMENT_KINDS) {
      const ids = order[kind];
      if (ids === undefined) continue;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        problems.push(problem(`/documentOrder/${kind}`, 'expected a list of document ids'));
      } else {
        documentOrder[kind] = ids;
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      meta: projectMetaOf(value as unknown as ProjectMeta),
      documentOrder,
      revision: revision ?? INITIAL_REVISION,
    },
  };
}

/** Reads one project record (unvalidated; pass it to `readProjectRecord`). */
export function getProjectRecord(store: ProjectsStore<IDBTransactionMode>, id: string): Promise<unknown> {
  return store.get(id);
}

/** Reads every project record (unvalidated). */
export function getAllProjectRecords(store: ProjectsStore<IDBTransactionMode>): Promise<unknown[]> {
  return store.getAll();
}

/** Writes the record of `project` stamped with `revision`. */
export async function putProjectRecord(
  store: ProjectsStore<'readwrite' | 'versionchange'>,
  project: Project,
  revision: number,
): Promise<void> {
  await store.put(toProjectRecord(project, revision));
}

/** Deletes the record of project `id`. */
export async function deleteProjectRecord(
  store: ProjectsStore<'readwrite' | 'versionchange'>,
  id: string,
): Promise<void> {
  await store.delete(id);
}
