/**
 * Typed storage failures with messages a clinic analyst can act on: what happened, whether
 * anything was lost, what to do next.
 *
 * Constraints: messages never include record content (document bodies, names of patients,
 * field values) — only the kind of failure and where (project id, document kind and id, a
 * JSON path). They are shown in the UI and may end up in bug reports.
 */

/** What went wrong, in terms the UI can branch on. */
export type StorageErrorKind =
  /** the browser's storage quota for this site is full */
  | 'quota'
  /** a stored record failed validation on load */
  | 'corrupt'
  /** IndexedDB is missing, disabled, closed, or held by a newer version */
  | 'unavailable'
  /** another tab keeps the database open and blocks an upgrade or a wipe */
  | 'blocked'
  /** no project with that id is stored */
  | 'not-found'
  /** the project given to save cannot be stored as it is (e.g. two documents share an id) */
  | 'invalid'
  /**
   * the project was written elsewhere (another tab or window) since this tab loaded or last
   * saved it: the write was refused so it cannot overwrite those changes
   */
  | 'conflict'
  | 'unknown';

/** Where a `corrupt` or `invalid` problem is: never the offending value itself. */
interface StorageErrorLocation {
  projectId?: string;
  /** store or document kind, e.g. `workflow`, `projects`, `meta` */
  documentKind?: string;
  documentId?: string;
  /** JSON pointer-like path inside the record, e.g. `/steps/3/touchMin` */
  path?: string;
}

/** One validation problem found in a stored record: where and what kind, never the value. */
export interface StorageProblem extends StorageErrorLocation {
  message: string;
  code?: string;
}

/** Options for constructing a `StorageError`. */
interface StorageErrorOptions {
  /** the underlying error (a DOMException); kept for debugging, not shown */
  cause?: unknown;
  location?: StorageErrorLocation;
  problems?: StorageProblem[];
}

/** A failure of Preflight's browser storage, with a user-facing message. */
export class StorageError extends Error {
  override name = 'StorageError';
  readonly kind: StorageErrorKind;
  /** for `corrupt` / `invalid`: the first problem's location */
  readonly location: StorageErrorLocation | undefined;
  /** for `corrupt` / `invalid`: every problem found (locations and kinds only) */
  readonly problems: readonly StorageProblem[];

  constructor(
    kind: StorageErrorKind,
    message: string = STORAGE_ERROR_MESSAGES[kind],
    options: StorageErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.location = options.location;
    this.problems = options.problems ?? [];
  }
}

/** The default user-facing message of each kind. */
export const STORAGE_ERROR_MESSAGES: Record<StorageErrorKind, string> = {
  quota:
    "The browser's storage for Preflight is full. Your last change is kept in this tab but not saved: " +
    'export the project to a file now, then free space (delete old projects). Nothing already saved was lost.',
  corrupt:
    'A saved project could not be read back: part of it is damaged or was written by an incompatible version. ' +
    'Preflight will not write over it. Import a recent export of the project, or delete it.',
  unavailable:
    "Preflight can't use the browser's storage right now (it may be disabled, in a private window, or closed " +
    'because another tab updated or wiped Preflight). Changes are not being saved: reload this tab; if that ' +
    'does not help, export your project to a file.',
  blocked:
    'Another Preflight tab is keeping the stored data open. Close the other Preflight tabs (or reload them) ' +
    'to finish; until then the operation waits.',
  'not-found': 'That project is not stored in this browser (it may have been deleted in another tab).',
  invalid: 'The project could not be saved because it is not consistent. Nothing stored was changed.',
  conflict:
    'This project was changed in another tab or window; your latest change here was not saved. Reload to see ' +
    'the other changes (export first if you want to keep this version: the changes are still in this tab).',
  unknown:
    'The browser reported an unexpected storage error. Your last change is kept in this tab but may not be ' +
    'saved: export the project to a file, then reload. Nothing already saved was lost.',
};

/** Firefox's legacy name for a quota failure. */
const FIREFOX_QUOTA_NAME = 'NS_ERROR_DOM_QUOTA_REACHED';
/** The legacy numeric code of QuotaExceededError. */
const QUOTA_EXCEEDED_CODE = 22;

/** The storage error kind for a DOMException (or DOMException-like) name. */
export function storageErrorKindOf(error: unknown): StorageErrorKind {
  if (error instanceof StorageError) return error.kind;
  if (error === null || typeof error !== 'object') return 'unknown';
  const { name, code } = error as { name?: unknown; code?: unknown };
  switch (name) {
    case 'QuotaExceededError':
    case FIREFOX_QUOTA_NAME:
      return 'quota';
    // closed connection, database deleted under us, private mode, storage disabled by policy,
    // a newer version already open in another tab
    case 'InvalidStateError':
    case 'SecurityError':
    case 'VersionError':
    case 'NotFoundError':
    case 'InvalidAccessError':
      return 'unavailable';
    case 'DataCloneError':
    case 'DataError':
      return 'invalid';
    default:
      return code === QUOTA_EXCEEDED_CODE ? 'quota' : 'unknown';
  }
}

/** Specific messages for some `unavailable` causes. */
const UNAVAILABLE_MESSAGES: Record<string, string> = {
  VersionError:
    'A newer version of Preflight is open in another tab and has updated the stored data. Reload this tab ' +
    'to continue; changes made here since are kept in this tab but not saved — export them first if needed.',
  SecurityError:
    'This browser does not let Preflight use its storage (private window or site-data settings). Nothing is ' +
    'saved between visits: export your project to a file before closing the tab.',
};

/**
 * Wraps any thrown value as a `StorageError`, mapping DOMException names
 * (`QuotaExceededError`, `InvalidStateError`, `UnknownError`, `VersionError`, …) to a kind and a
 * message. A `StorageError` is returned unchanged. The original error becomes `cause`; its text
 * is never copied into the message.
 */
export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const kind = storageErrorKindOf(error);
  const name = (error as { name?: unknown } | null)?.name;
  const message =
    kind === 'unavailable' && typeof name === 'string' && name in UNAVAILABLE_MESSAGES
      ? UNAVAILABLE_MESSAGES[name]
      : kind === 'invalid'
        ? 'The project could not be saved: it holds a value the browser cannot store. Nothing stored was changed.'
        : STORAGE_ERROR_MESSAGES[kind];
  return new StorageError(kind, message, { cause: error });
}

/** A `corrupt` error naming where the problems are (document and path), never their values. */
export function corruptError(problems: StorageProblem[]): StorageError {
  const first = problems[0];
  const where = first ? describeLocation(first) : 'a stored record';
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new StorageError(
    'corrupt',
    `A saved project could not be read back: ${where} is damaged — ${first?.message ?? 'unreadable'}${more}. ` +
      'Preflight will not write over it. Import a recent export of the project, or delete it.',
    { location: first, problems },
  );
}

/** "workflow "w1" at /steps/3/touchMin" — kind, id and path only. */
export function describeLocation(location: StorageErrorLocation): string {
  const parts: string[] = [];
  if (location.documentKind) parts.push(location.documentKind);
  if (location.documentId !== undefined) parts.push(`"${location.documentId}"`);
  if (parts.length === 0 && location.projectId !== undefined) parts.push(`project "${location.projectId}"`);
  const at = location.path ? ` at ${location.path}` : '';
  return `${parts.join(' ') || 'a stored record'}${at}`;
}
