/**
 * The `meta` store: a few key-value settings of the database itself.
 *
 * Keys:
 * - `storageFormat` — `preflight.storage/v1`: the layout of the stores. Written by the upgrade
 *   that creates them; a database holding another format is refused, not guessed at.
 * - `lastProjectId` — the project to open on start.
 * - `lastRevision` — the largest project revision ever handed out in this database: a new
 *   revision is always larger, so a project deleted and re-created (e.g. imported again with its
 *   id) never repeats a revision that a stale tab may still hold.
 * - `rescue:<tab session>:<project id>` — unsaved changes a tab recorded as it went away
 *   (rescue.ts): written without reading, applied and removed by the next start.
 *
 * Constraints: values are validated on read; an invalid `lastProjectId` reads as absent (it is
 * only a convenience), an invalid `storageFormat` is reported, never overwritten, an invalid
 * `lastRevision` reads as 0 (each project's own revision still only grows).
 */
import type { IDBPObjectStore } from 'idb';
import type { PreflightDbSchema, PreflightStoreName } from './dbSchema.ts';

/** Tag of the database layout; change only together with `DB_VERSION` and an upgrade step. */
export const STORAGE_FORMAT = 'preflight.storage/v1';

/** The keys of the `meta` store. */
export const META_KEYS = {
  lastProjectId: 'lastProjectId',
  storageFormat: 'storageFormat',
  lastRevision: 'lastRevision',
} as const;

/** The `meta` object store in any transaction mode. */
type MetaStore<Mode extends IDBTransactionMode> = IDBPObjectStore<
  PreflightDbSchema,
  ArrayLike<PreflightStoreName>,
  'meta',
  Mode
>;

/** Reads `lastProjectId`; an absent or malformed value reads as `undefined`. */
export async function readLastProjectId(store: MetaStore<IDBTransactionMode>): Promise<string | undefined> {
  const value = await store.get(META_KEYS.lastProjectId);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Writes `lastProjectId`. */
export async function writeLastProjectId(
  store: MetaStore<'readwrite' | 'versionchange'>,
  id: string,
): Promise<void> {
  await store.put(id, META_KEYS.lastProjectId);
}

/** Removes `lastProjectId` (e.g. when that project is deleted). */
export async function clearLastProjectId(store: MetaStore<'readwrite' | 'versionchange'>): Promise<void> {
  await store.delete(META_KEYS.lastProjectId);
}

/** The result of reading `storageFormat`. */
type StorageFormatCheck = { ok: true; format: string | undefined } | { ok: false; problem: string };

/**
 * Reads and validates `storageFormat`: ok when it is this version's tag, or absent (a database
 * this code is about to stamp); not ok for a malformed or unknown tag.
 */
export async function readStorageFormat(store: MetaStore<IDBTransactionMode>): Promise<StorageFormatCheck> {
  const value = await store.get(META_KEYS.storageFormat);
  if (value === undefined) return { ok: true, format: undefined };
  if (typeof value !== 'string') return { ok: false, problem: 'storage format tag is not a string' };
  if (value !== STORAGE_FORMAT) return { ok: false, problem: 'storage format is not one this version reads' };
  return { ok: true, format: value };
}

/** Writes the `storageFormat` tag. */
export async function writeStorageFormat(
  store: MetaStore<'readwrite' | 'versionchange'>,
  format: string = STORAGE_FORMAT,
): Promise<void> {
  await store.put(format, META_KEYS.storageFormat);
}

/** Reads `lastRevision`; an absent or malformed value reads as 0. */
export async function readLastRevision(store: MetaStore<IDBTransactionMode>): Promise<number> {
  const value = await store.get(META_KEYS.lastRevision);
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : 0;
}

/** Writes `lastRevision`. */
export async function writeLastRevision(
  store: MetaStore<'readwrite' | 'versionchange'>,
  revision: number,
): Promise<void> {
  await store.put(revision, META_KEYS.lastRevision);
}
