/**
 * Writes text a reader produces piece by piece to a file of the run's folder, waiting for the disk
 * between pieces, so a big decoded input (a decompressed extract, a Parquet file's rows as text)
 * never sits in memory whole. A failed write (a full disk) is thrown as it is; a failure of the
 * reader that `isReadError` recognises is the input's fault and becomes `unusable(message)`.
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/** Writes every piece of `pieces` to `target`; see the file header for what is thrown. */
export async function writeChunksTo(
  target: string,
  pieces: AsyncIterable<string | Uint8Array>,
  isReadError: (error: unknown) => error is Error,
  unusable: (message: string) => Error,
): Promise<void> {
  const stream = createWriteStream(target);
  // a write that fails (a full disk) rejects `finished` below; one after a failed read is moot
  let failed: unknown;
  stream.on('error', (error) => {
    failed ??= error;
  });
  try {
    for await (const piece of pieces) {
      if (failed !== undefined) throw failed;
      if (!stream.write(piece)) await new Promise<void>((resolve) => stream.once('drain', resolve));
    }
    stream.end();
    await finished(stream);
  } catch (error) {
    stream.destroy();
    if (isReadError(error)) throw unusable(error.message);
    throw error;
  }
}
