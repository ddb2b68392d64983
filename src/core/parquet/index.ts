/**
 * Parquet files read as the CSV text the default engine checks (parquetRecords.ts): the public
 * surface of src/core/parquet.
 */
export {
  looksLikeParquet,
  ParquetReadError,
  type ParquetSource,
  parquetCsvText,
  parquetTextLimit,
} from './parquetRecords.ts';
