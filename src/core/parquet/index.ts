/**
 * Parquet files read as the CSV text the default engine checks (parquetRecords.ts): the public
 * surface of src/core/parquet; a partitioned folder of Parquet files read as one dataset
 * (parquetDataset.ts).
 */

export { type Int96Reading, int96Convention } from './cellText.ts';
export {
  type DatasetFile,
  type DatasetLayout,
  type DatasetRowPlace,
  datasetLayout,
  type ParquetDatasetRecords,
  parquetDatasetCsvBytes,
  parquetDatasetRecords,
  parquetDatasetRowReader,
} from './parquetDataset.ts';
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
