/**
 * File input and output shared by `preflight workflow import-bpmn` and `export-bpmn`: a small
 * whole-file read with a size cap and plain-language read errors. The result goes to stdout or to
 * the `-o` file, written whole (`writeOutput` of wholeFiles.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { byteSizeWords } from '../../core/byteSize/index.ts';

/**
 * The largest BPMN or workflow file read (the largest MIWG model is 0.24 MB; a real clinic
 * process is far below this). A larger file is refused unread rather than parsed into memory.
 */
export const MAX_WORKFLOW_FILE_BYTES = 32 * 1024 * 1024;

/** The bytes of a file, or why it cannot be read (a sentence fit for stderr). */
type ReadOutcome = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot be read${code ? ` (${code})` : ''}`;
}

/** Reads `file` (relative to `cwd`) whole, refusing directories and files over `maxBytes`. */
export async function readInput(
  file: string,
  cwd: string,
  maxBytes = MAX_WORKFLOW_FILE_BYTES,
): Promise<ReadOutcome> {
  const full = path.resolve(cwd, file);
  try {
    const info = await stat(full);
    if (info.isDirectory())
      return { ok: false, message: `cannot read "${file}": it is a directory, not a file` };
    if (info.size > maxBytes) {
      return {
        ok: false,
        message: `cannot read "${file}": it is larger than ${byteSizeWords(maxBytes)}, far more than a workflow`,
      };
    }
    return { ok: true, bytes: new Uint8Array(await readFile(full)) };
  } catch (error) {
    return { ok: false, message: `cannot read "${file}": ${reason(error)}` };
  }
}
