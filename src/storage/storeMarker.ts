/**
 * The store marker: a small note kept OUTSIDE IndexedDB (in the site's localStorage) saying which
 * projects this browser is known to hold, and each one's audit chain length and head hash. A
 * browser may discard a damaged or over-quota database whole, and a freshly created empty
 * database looks exactly like a first visit; the marker is what tells the two apart at start, so
 * the app never seeds the demo over a loss without saying so.
 *
 * Constraints:
 * - Holds project ids, chain lengths, chain head hashes and a time: never names or record content
 *   (localStorage is plain text on disk).
 * - Written after each successful save and reset to `wiped` by "Close and wipe"; it is only ever a
 *   witness: nothing is restored from it.
 * - Kept twice: in localStorage, and as a small file in the origin private file system, written
 *   as it changes. A browser killed soon after a save may not have written localStorage to disk
 *   yet (it does so lazily); the file is written at once. At start the newer of the two counts.
 * - `compareMarker` is pure; the localStorage adapter tolerates a missing, full or garbled store
 *   (a marker that cannot be read counts as missing, a write that fails is skipped).
 */

/** localStorage key of the marker. */
export const STORE_MARKER_KEY = 'preflight.storeMarker';

/** What the marker remembers of one project. */
export interface MarkedProject {
  /** entries in the project's sign-off audit chain */
  auditLength: number;
  /** hash of the chain's last entry, null when the chain is empty */
  auditHead: string | null;
}

/** The marker as stored. */
export type StoreMarker =
  | { state: 'active'; savedAt: string; projects: Record<string, MarkedProject> }
  /** after "Close and wipe": an empty database is expected */
  | { state: 'wiped'; savedAt: string };

/** What the database holds now, per project id. */
export type ObservedStore = Record<string, MarkedProject>;

/** The verdict at start. */
export type MarkerVerdict =
  /** no marker and nothing stored (first visit), or an empty database after a wipe */
  | { kind: 'fresh' }
  /** the database holds what the marker says (or more: projects added since) */
  | { kind: 'normal' }
  /** the marker was missing (cleared, or an older Preflight) but the database holds projects */
  | { kind: 'unmarked' }
  /** the database is empty although the marker says these projects were stored */
  | { kind: 'lost'; projectIds: string[]; savedAt: string }
  /**
   * some projects are stored, but these ones the marker knows are missing or have a shorter
   * audit chain (or another head at the same length) than the marker recorded
   */
  | { kind: 'damaged'; missing: string[]; auditShorter: string[]; auditChanged: string[]; savedAt: string };

/** Compares the marker with what the database holds. Pure. */
export function compareMarker(marker: StoreMarker | null, observed: ObservedStore): MarkerVerdict {
  const storedIds = Object.keys(observed);
  if (marker === null) return storedIds.length === 0 ? { kind: 'fresh' } : { kind: 'unmarked' };
  if (marker.state === 'wiped') return storedIds.length === 0 ? { kind: 'fresh' } : { kind: 'normal' };
  const known = Object.keys(marker.projects).sort();
  if (storedIds.length === 0) {
    return known.length === 0
      ? { kind: 'fresh' }
      : { kind: 'lost', projectIds: known, savedAt: marker.savedAt };
  }
  const missing: string[] = [];
  const auditShorter: string[] = [];
  const auditChanged: string[] = [];
  for (const id of known) {
    const was = marker.projects[id] as MarkedProject;
    const now = observed[id];
    if (now === undefined) missing.push(id);
    else if (now.auditLength < was.auditLength) auditShorter.push(id);
    else if (now.auditLength === was.auditLength && now.auditHead !== was.auditHead) auditChanged.push(id);
  }
  if (missing.length + auditShorter.length + auditChanged.length === 0) return { kind: 'normal' };
  return { kind: 'damaged', missing, auditShorter, auditChanged, savedAt: marker.savedAt };
}

/** The marker describing `observed`, saved at `savedAt`. */
export function activeMarker(observed: ObservedStore, savedAt: string): StoreMarker {
  return { state: 'active', savedAt, projects: { ...observed } };
}

/** The marker left by "Close and wipe". */
export function wipedMarker(savedAt: string): StoreMarker {
  return { state: 'wiped', savedAt };
}

const isMarked = (value: unknown): value is MarkedProject => {
  if (typeof value !== 'object' || value === null) return false;
  const { auditLength, auditHead } = value as Partial<MarkedProject>;
  return (
    typeof auditLength === 'number' &&
    Number.isSafeInteger(auditLength) &&
    auditLength >= 0 &&
    (auditHead === null || typeof auditHead === 'string')
  );
};

/** Parses a stored marker; null for anything that is not a well-formed marker. */
export function parseStoreMarker(text: string | null): StoreMarker | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { state, savedAt, projects } = value as { state?: unknown; savedAt?: unknown; projects?: unknown };
  if (typeof savedAt !== 'string') return null;
  if (state === 'wiped') return { state, savedAt };
  if (state !== 'active' || typeof projects !== 'object' || projects === null || Array.isArray(projects))
    return null;
  const out: Record<string, MarkedProject> = Object.create(null);
  for (const [id, entry] of Object.entries(projects)) {
    if (!isMarked(entry)) return null;
    out[id] = { auditLength: entry.auditLength, auditHead: entry.auditHead };
  }
  return { state, savedAt, projects: { ...out } };
}

/** Where the marker lives (the app passes localStorage; tests pass a map). */
export interface MarkerStore {
  read(): StoreMarker | null;
  write(marker: StoreMarker): void;
}

/** A `MarkerStore` over web storage (`localStorage`). Never throws. */
export function webStorageMarker(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): MarkerStore {
  return {
    read() {
      try {
        return parseStoreMarker(storage?.getItem(STORE_MARKER_KEY) ?? null);
      } catch {
        return null;
      }
    },
    write(marker) {
      try {
        storage?.setItem(STORE_MARKER_KEY, JSON.stringify(marker));
      } catch {
        // web storage full or disabled: the marker is a witness, never a reason to fail a save
      }
    },
  };
}

/** The newer of two markers (by `savedAt`); either may be missing. On a tie localStorage's wins. */
export function newerMarker(first: StoreMarker | null, second: StoreMarker | null): StoreMarker | null {
  if (first === null) return second;
  if (second === null) return first;
  return second.savedAt > first.savedAt ? second : first;
}

/** The second copy of the marker, kept where writes are not deferred. Never rejects. */
export interface AsyncMarkerStore {
  read(): Promise<StoreMarker | null>;
  write(marker: StoreMarker): Promise<void>;
}

/** File name of the marker's copy in the origin private file system. */
export const STORE_MARKER_FILE = 'preflight-store-marker.json';

/** The parts of the origin private file system the marker's copy uses. */
export interface MarkerDirectory {
  getFileHandle(
    name: string,
    options?: { create?: boolean },
  ): Promise<{
    getFile(): Promise<{ text(): Promise<string> }>;
    createWritable(): Promise<{ write(data: string): Promise<void>; close(): Promise<void> }>;
  }>;
}

/**
 * An `AsyncMarkerStore` over a file in the origin private file system. Writes go one after the
 * other (two open writers of one file conflict); a missing, unreadable or garbled file reads as
 * no marker, and a write that fails (a full disk) is skipped.
 */
export function fileMarker(root: () => Promise<MarkerDirectory>): AsyncMarkerStore {
  let queue: Promise<void> = Promise.resolve();
  return {
    async read() {
      await queue;
      try {
        const handle = await (await root()).getFileHandle(STORE_MARKER_FILE);
        return parseStoreMarker(await (await handle.getFile()).text());
      } catch {
        return null;
      }
    },
    write(marker) {
      queue = queue.then(async () => {
        try {
          const handle = await (await root()).getFileHandle(STORE_MARKER_FILE, { create: true });
          const writable = await handle.createWritable();
          await writable.write(JSON.stringify(marker));
          await writable.close();
        } catch {
          // a full disk or no file system: the marker is a witness, never a reason to fail a save
        }
      });
      return queue;
    },
  };
}
