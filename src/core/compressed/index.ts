/**
 * Compressed text files (gzip, Zstandard) read as a stream, with a bound on the text they unpack
 * to (decompress.ts): the public surface of src/core/compressed.
 */
export {
  type CompressedSource,
  type Compression,
  compressionOf,
  DECOMPRESSED_POSITIONS,
  DecompressError,
  decompressedChunks,
  decompressedLimit,
  withoutCompression,
} from './decompress.ts';
