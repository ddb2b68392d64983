/**
 * Reads of many records at known byte offsets grouped into few larger reads: the listed duplicate
 * keys' texts of a spilled key set (up to 1,000 records, read back once the file is checked). In
 * the browser each read of a `File` is a slice and a round trip through the browser process, whose
 * cost is per read far more than per byte; offsets close together are read as one window.
 *
 * Constraints:
 * - Same bytes, same results: a read inside a planned window is answered from the window's bytes,
 *   any other read goes to the source as before.
 * - Bytes read stay near what the records need: offsets join a window only when the gap to the
 *   previous one is at most {@link WINDOW_GAP_BYTES}, and a window spans at most
 *   {@link WINDOW_MAX_BYTES}; a few windows are kept at once ({@link WINDOWS_KEPT}), each read once
 *   while its records are read, concurrently or not.
 * - A window's bytes are its own: windows are read one at a time and copied before the next read
 *   starts, since a source may reuse one buffer for its large reads (the CLI's reader does).
 */
import type { CsvSource } from './csvSource.ts';

/** Offsets at most this far apart are read in one window. */
export const WINDOW_GAP_BYTES = 64 * 1024;
/** The most one window spans. */
export const WINDOW_MAX_BYTES = 512 * 1024;
/** Bytes a window reads past its last offset: a typical record's first reads (1 KiB, then 4 KiB). */
const WINDOW_TAIL_BYTES = 5 * 1024;
/** Windows whose bytes are kept at once (reads overlap: several lanes read neighbouring records). */
const WINDOWS_KEPT = 24;

interface Window {
  start: number;
  end: number;
}

/** `source`, with the reads of the records at `offsets` grouped into windows (see the file header). */
export function windowedRecordReads(source: CsvSource, offsets: readonly number[]): CsvSource {
  const windows = planWindows(offsets, source.size);
  /** the bytes of windows read, by start, oldest first */
  const kept = new Map<number, Promise<Uint8Array>>();
  /** the last window read: one at a time, each copied before the next starts */
  let previous: Promise<unknown> = Promise.resolve();
  const bytesOf = (w: Window) => {
    let bytes = kept.get(w.start);
    if (!bytes) {
      bytes = previous
        .catch(() => {})
        .then(() => source.read(w.start, w.end - w.start))
        .then((b) => b.slice(0, w.end - w.start));
      previous = bytes;
      kept.set(w.start, bytes);
      if (kept.size > WINDOWS_KEPT) kept.delete(kept.keys().next().value as number);
      // a failed read is not kept: the record's own read fails the same way, with its own offset
      bytes.catch(() => kept.delete(w.start));
    }
    return bytes;
  };
  return {
    ...source,
    async read(offset, length) {
      const w = windowAt(windows, offset);
      if (!w || offset + length > w.end) return source.read(offset, length);
      const bytes = await bytesOf(w);
      return bytes.subarray(offset - w.start, offset - w.start + length);
    },
  };
}

/** Windows over the sorted `offsets`, each from its first offset to its last one's tail. */
export function planWindows(offsets: readonly number[], size: number): Window[] {
  const sorted = [...offsets].sort((a, b) => a - b);
  const windows: Window[] = [];
  let current: Window | undefined;
  let last = Number.NEGATIVE_INFINITY;
  for (const offset of sorted) {
    const end = Math.min(size, offset + WINDOW_TAIL_BYTES);
    if (current && offset - last <= WINDOW_GAP_BYTES && end - current.start <= WINDOW_MAX_BYTES)
      current.end = Math.max(current.end, end);
    else {
      current = { start: offset, end };
      windows.push(current);
    }
    last = offset;
  }
  return windows;
}

/** The window whose span holds `offset` (windows sorted and apart), or undefined. */
function windowAt(windows: readonly Window[], offset: number): Window | undefined {
  let lo = 0;
  let hi = windows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = windows[mid] as Window;
    if (offset < w.start) hi = mid - 1;
    else if (offset >= w.end) lo = mid + 1;
    else return w;
  }
  return undefined;
}
