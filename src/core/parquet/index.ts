/**
 * Parquet files read as the CSV text the default engine checks (parquetRecords.ts): the public
 * surface of src/core/parquet.
 */
export { type Int96Reading, int96Convention } from './cellText.ts';
export {
  ParquetReadError,
  type ParquetRecords,
  type ParquetRecordsPiece,
  type ParquetRowReader,
  type ParquetSource,
  type ParquetTextOptions,
  parquetCsvBytes,
  parquetCsvText,
  parquetRecords,
  parquetRowReader,
} from './parquetRecords.ts';
