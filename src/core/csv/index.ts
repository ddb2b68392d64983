/**
 * The CSV reading surface (`src/core/csv/`): strict streaming text decoding with byte offsets
 * (UTF-8 and the single-byte encodings), the tokenizer and record reader, line-ending counts and
 * layout sniffing (delimiter, header, encoding). Validation, sign-off sampling and event logs read
 * CSV through this file only; the files behind it are internal (lint refuses a deep import, see
 * docs/conventions.md#module-surfaces).
 */
export { csvField, neutraliseCsvCell, restoreCsvCell } from './csvCells.ts';
export type { CsvLayout, SniffedLayout } from './csvLayout.ts';
export { LAYOUT_SNIFF_BYTES, sniffCsvLayout } from './csvLayout.ts';
export type { CsvProblem, CsvRecord, CsvRecordReader } from './csvRecords.ts';
export {
  type CsvLimitControls,
  type CsvLimitKind,
  CsvRecordTooLongError,
  createCsvRecordReader,
  csvLimitInFile,
  csvLimitWords,
  DEFAULT_MAX_COLUMNS,
  DEFAULT_MAX_FIELD_CHARS,
  DEFAULT_MAX_NAME_CHARS,
  DEFAULT_MAX_RECORD_CHARS,
} from './csvRecords.ts';
export type { LineEndingCounts } from './lineEndings.ts';
export { createLineEndingScanner } from './lineEndings.ts';
export { lineOfByte } from './lineOfByte.ts';
export { recordsBeforeByte } from './recordsBeforeByte.ts';
export { sniffHeader } from './sniffHeader.ts';
export {
  createTextPositions,
  createTextStreamDecoder,
  ENCODING_TITLES,
  parseEncodingName,
  TEXT_ENCODINGS,
  type TextDecodeControls,
  TextDecodeError,
  textDecodeText,
  textDecodeWords,
} from './textDecoding.ts';
export {
  createUtf8StreamDecoder,
  type Utf8ByteSource,
  Utf8DecodeError,
  utf8ByteOfChar,
} from './utf8Stream.ts';
