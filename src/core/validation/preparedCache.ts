/**
 * What a validator worker (the page's and the CLI's) prepares once and keeps for the files it is
 * sent later: a compiled contract, a mapping's row check. A task arrives as a structured clone, a
 * new object per file, so what is prepared is kept by its text.
 *
 * Constraints:
 * - Bounded: a run names few contracts and mappings, and a long-lived worker must not collect
 *   them (each holds ajv's generated code); past the bound everything kept is let go.
 * - A preparation that fails is not kept: the next file with the same text prepares it again
 *   (a package file chosen again, a schema corrected).
 */

/** Preparations kept per worker and kind. */
const MAX_PREPARED = 16;

/** `prepared(text, prepare)`: the preparation kept for `text`, else `prepare()`'s, kept. */
export type PreparedCache<T> = (text: string, prepare: () => T | Promise<T>) => Promise<T>;

/** A cache of preparations by their text, at most `limit` kept. */
export function createPreparedCache<T>(limit = MAX_PREPARED): PreparedCache<T> {
  const kept = new Map<string, Promise<T>>();
  return (text, prepare) => {
    let entry = kept.get(text);
    if (!entry) {
      if (kept.size >= limit) kept.clear();
      const started = Promise.resolve().then(prepare);
      kept.set(text, started);
      started.catch(() => {
        if (kept.get(text) === started) kept.delete(text);
      });
      entry = started;
    }
    return entry;
  };
}
