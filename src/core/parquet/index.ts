/**
 * Parquet files read as the CSV text the default engine checks (parquetRecords.ts): the public
 * surface of src/core/parquet.
 */
export { ParquetReadError, type ParquetSource, parquetCsvBytes, parquetCsvText } from './parquetRecords.ts';
