/**
 * Compressed text files (gzip, Zstandard) read as a stream, with a bound on the text they unpack
 * to (decompress.ts), and zip archives of extracts read entry by entry (zipArchive.ts): the
 * public surface of src/core/compressed.
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
export {
  isSpreadsheetName,
  isZipName,
  MAX_ENTRIES,
  MAX_ENTRY_RATIO,
  readZipArchive,
  spreadsheetAction,
  type ZipEntry,
  type ZipEntrySink,
  type ZipEntryUse,
  zipEntryUse,
  zipLimits,
} from './zipArchive.ts';
