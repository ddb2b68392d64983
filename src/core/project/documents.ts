/**
 * The document kinds a project holds and how each is identified. Shared by the change reducer
 * and by storage, which keys every stored document by (project id, kind, document id).
 *
 * Constraints: a kind name is part of the stored key — renaming one orphans every document a
 * browser already holds under it; add kinds, never rename them.
 */
import type { Project } from '../../formats/project.ts';

/** Every kind of document a project holds, in the order they are listed and stored. */
export const DOCUMENT_KINDS = [
  'workflow',
  'dataset',
  'mapping',
  'samplePlan',
  'report',
  'schema',
  'review',
  'workflowCheck',
  'logMap',
  'workflowBackTest',
] as const;

/** One kind of project document (`workflow`, `dataset`, …). */
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The `Project` array that holds the documents of each kind. */
export const COLLECTION_OF = {
  workflow: 'workflows',
  dataset: 'datasets',
  mapping: 'mappings',
  samplePlan: 'samplePlans',
  report: 'reports',
  schema: 'schemas',
  review: 'reviews',
  workflowCheck: 'workflowChecks',
  logMap: 'logMaps',
  workflowBackTest: 'workflowBackTests',
} as const satisfies Record<DocumentKind, keyof Project>;

/** The document type of each kind, e.g. `DocumentOf<'workflow'>` is `Workflow`. */
export type DocumentOf<K extends DocumentKind> = NonNullable<Project[(typeof COLLECTION_OF)[K]]>[number];

/** Any project document. */
type ProjectDocument = DocumentOf<DocumentKind>;

/** True when `value` names a document kind (used when reading keys back from storage). */
export function isDocumentKind(value: unknown): value is DocumentKind {
  return typeof value === 'string' && (DOCUMENT_KINDS as readonly string[]).includes(value);
}

/**
 * The id that identifies a document within its kind (its `id`; '' when a value that is not a
 * well-formed document has none). Every document of a project carries one: a report gets its id
 * when it is added (`report/add`), and reports stored or exported without one get theirs on
 * load (storage's upgrade, the project file's loader). Storage keys documents by it.
 */
export function documentId(document: ProjectDocument): string {
  const { id } = document as { id?: unknown };
  return typeof id === 'string' ? id : '';
}

/** The documents of one kind in a project, typed by kind. */
export function documentsOf<K extends DocumentKind>(project: Project, kind: K): readonly DocumentOf<K>[] {
  // `reviews`, `workflowChecks`, `logMaps` and `workflowBackTests` are optional (projects written before them have none)
  return (project[COLLECTION_OF[kind]] ?? []) as readonly DocumentOf<K>[];
}
