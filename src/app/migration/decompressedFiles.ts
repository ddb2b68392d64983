/**
 * Compressed extracts chosen in the browser (`patients.csv.gz`, `Patient.ndjson.gz`,
 * `visits.csv.zst`): decompressed as a stream (the core's reader: the platform's
 * `DecompressionStream` for gzip) into a `File` named without the suffix, which the screen then
 * reads as if it had been chosen uncompressed. Each says, where the user looks, that its lines
 * and byte positions are those of the decompressed text.
 *
 * Constraints: the text is gathered into a `Blob` a slice at a time (a browser keeps a large Blob
 * out of the page's memory), so memory holds at most one slice of parts; the core bounds the text
 * a file may unpack to, and its refusal names the limit. An implementation guide package
 * (`.tgz`, `.tar.gz`) is not an extract and is left as it is.
 */
import {
  compressionOf,
  DECOMPRESSED_POSITIONS,
  DecompressError,
  decompressedChunks,
  withoutCompression,
} from '../../core/compressed/index.ts';

/** Parts gathered into the Blob at once: the most decompressed text held in the page. */
const SLICE_BYTES = 16 * 1024 * 1024;

/** Whether a chosen file is a compressed extract (not an implementation guide package). */
function isCompressedExtract(name: string): boolean {
  return compressionOf(name) !== undefined && !/\.(tgz|tar\.gz)$/i.test(name);
}

/** The files as chosen, each compressed extract replaced by its text; notes and refusals in words. */
export async function decompressedFiles(
  chosen: readonly File[],
  { maxBytes }: { maxBytes?: number } = {},
): Promise<{ files: File[]; notes: string[]; problems: string[] }> {
  const files: File[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  for (const file of chosen) {
    const compression = compressionOf(file.name);
    if (compression === undefined || !isCompressedExtract(file.name)) {
      files.push(file);
      continue;
    }
    const source = {
      name: file.name,
      size: file.size,
      read: async (offset: number, length: number) =>
        new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
    };
    try {
      let text = new Blob([]);
      let parts: Uint8Array<ArrayBuffer>[] = [];
      let held = 0;
      for await (const part of decompressedChunks(
        source,
        compression,
        maxBytes === undefined ? {} : { maxBytes },
      )) {
        parts.push(part as Uint8Array<ArrayBuffer>);
        held += part.byteLength;
        if (held >= SLICE_BYTES) {
          text = new Blob([text, ...parts]);
          parts = [];
          held = 0;
        }
      }
      const name = withoutCompression(file.name);
      files.push(new File([text, ...parts], name, { type: 'text/plain' }));
      notes.push(`${file.name} was read decompressed as ${name}: ${DECOMPRESSED_POSITIONS}.`);
    } catch (error) {
      if (!(error instanceof DecompressError)) throw error;
      problems.push(error.message);
    }
  }
  return { files, notes, problems };
}
