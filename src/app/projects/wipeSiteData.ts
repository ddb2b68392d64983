/**
 * "Close and wipe" beyond the project storage: every IndexedDB database Preflight keeps (the
 * implementation guide packages, the running jobs' journal — src/storage/databases.ts — and any
 * other this origin lists), every entry of the origin private file system (key-spill folders of
 * validation runs, including a crashed tab's), every Cache Storage cache, and both web storages of
 * this origin, and the workflows' undo lists held in the tab. The store marker is written again as `wiped` afterwards by the session.
 *
 * Constraints: best effort and never rejects — a wipe must go as far as it can; each part that
 * the browser lacks (no OPFS, no Cache Storage, storage disabled) is skipped.
 */
import { deleteEveryDatabase } from '../../storage/databases.ts';
import { forgetWorkflowHistories } from '../workflows/editor/workflowHistories.ts';

/** The browser surfaces the wipe uses (the page's globals by default; tests pass fakes). */
export interface WipeSurfaces {
  indexedDb?: IDBFactory;
  opfsRoot?: () => Promise<{
    keys(): AsyncIterable<string>;
    removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  }>;
  caches?: Pick<CacheStorage, 'keys' | 'delete'>;
  webStorages?: () => Pick<Storage, 'clear'>[];
}

/** What this page's browser offers. */
function pageWipeSurfaces(): WipeSurfaces {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return {
    indexedDb: typeof indexedDB === 'undefined' ? undefined : indexedDB,
    opfsRoot: storage?.getDirectory
      ? () => storage.getDirectory() as unknown as ReturnType<NonNullable<WipeSurfaces['opfsRoot']>>
      : undefined,
    caches: typeof caches === 'undefined' ? undefined : caches,
    webStorages: () => {
      const out: Pick<Storage, 'clear'>[] = [];
      // reading either property throws where site data is blocked
      try {
        out.push(localStorage);
      } catch {}
      try {
        out.push(sessionStorage);
      } catch {}
      return out;
    },
  };
}

/** Erases what Preflight keeps in this browser beside the project storage. */
export async function wipeSiteData(surfaces: WipeSurfaces = pageWipeSurfaces()): Promise<void> {
  // the workflows' undo lists hold their earlier versions in this tab's memory
  forgetWorkflowHistories();
  if (surfaces.indexedDb) await deleteEveryDatabase(surfaces.indexedDb);
  try {
    const root = await surfaces.opfsRoot?.();
    if (root) {
      const names: string[] = [];
      for await (const name of root.keys()) names.push(name);
      for (const name of names) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
    }
  } catch {
    // no OPFS in this browser, or it refused: nothing stored there to remove
  }
  try {
    if (surfaces.caches) {
      const cacheStorage = surfaces.caches;
      for (const key of await cacheStorage.keys()) await cacheStorage.delete(key);
    }
  } catch {
    // Cache Storage unavailable (insecure context): nothing stored there
  }
  for (const storage of surfaces.webStorages?.() ?? []) {
    try {
      storage.clear();
    } catch {
      // disabled: nothing stored there
    }
  }
}
