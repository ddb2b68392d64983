/**
 * The array buffers of a validation result, for a worker to transfer its result to the thread that
 * merges it rather than copy it (`postMessage(result, buffers)`): failing rows, each issue's rows,
 * every key set's table and chunks, and each column profile's sketch. The CLI's range workers and
 * the browser's validator workers both list them here, so a field added to the result is
 * transferred by both or by neither.
 *
 * Constraints:
 * - Each buffer once (a buffer listed twice cannot be transferred), and only plain `ArrayBuffer`s
 *   that hold bytes: an empty buffer gains nothing, and may be a module's shared constant that a
 *   transfer would detach for the worker's next task.
 * - A key set's chunks are walked by their values, not by field names, so arrays the key set
 *   gains later are transferred too.
 * - After the transfer the worker's copy of the result is unusable: it must not keep any of it.
 */
import type { CsvValidationResult } from './validateCsv.ts';

/** The transferable buffers held by `result` (see the file header). */
export function resultBuffers(result: CsvValidationResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBufferLike>();
  const add = (value: unknown) => {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer);
  };
  add(result.failingRows.rows);
  add(result.failingRows.offsets);
  for (const group of result.issueRows.groups) {
    add(group.list);
    add(group.bits);
  }
  for (const { state } of result.keys) {
    add(state.index);
    for (const chunk of state.chunks) for (const value of Object.values(chunk)) add(value);
  }
  for (const profile of result.profiles) add(profile.registers);
  return [...buffers].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer && b.byteLength > 0);
}
