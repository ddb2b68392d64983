/**
 * The types of the Preflight IndexedDB database: what each store holds and the typed schema `idb`
 * opens it with. Types only, importing no store's code: `db.ts` (the connection) and each store's
 * file (`*Record.ts`) both import them, so neither imports the other for a type.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { DocumentKind } from '../core/project/documents.ts';
import type { ChainEntry } from '../formats/auditLog.ts';
import type { ProjectMeta } from '../formats/project.ts';

/** What the `projects` store holds for one project. */
export interface ProjectRecord extends ProjectMeta {
  /** ids of the project's documents, per kind, in the project's order */
  documentOrder: Partial<Record<DocumentKind, string[]>>;
  /** write stamp, a non-negative safe integer; absent in records written before it existed */
  revision?: number;
}

/** What the `documents` store holds for one project document. */
export interface DocumentRecord {
  projectId: string;
  kind: DocumentKind;
  id: string;
  /** the document itself, exactly as in the project */
  body: unknown;
}

/** What the `audit` store holds: an entry and the project it belongs to. */
export type AuditRecord = ChainEntry & { projectId: string };

/** The typed schema of the Preflight database for `idb`. */
export interface PreflightDbSchema extends DBSchema {
  projects: { key: string; value: ProjectRecord };
  documents: {
    key: [string, string, string];
    value: DocumentRecord;
    indexes: { byProject: string };
  };
  meta: { key: string; value: unknown };
  audit: {
    key: [string, number];
    value: AuditRecord;
    indexes: { byDecision: [string, string, string] };
  };
}

/** An open connection to the Preflight database. */
export type PreflightDb = IDBPDatabase<PreflightDbSchema>;

/** Names of the stores. */
export type PreflightStoreName = StoreNames<PreflightDbSchema>;

/** A transaction over some stores of the Preflight database. */
export type PreflightTransaction<
  Stores extends ArrayLike<PreflightStoreName> = ArrayLike<PreflightStoreName>,
  Mode extends IDBTransactionMode = IDBTransactionMode,
> = IDBPTransaction<PreflightDbSchema, Stores, Mode>;
