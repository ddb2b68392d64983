/**
 * The streaming entry point for `preflight validate --mapping` and the validation workers:
 * compile once for the file's header, then map records lazily as the CSV reader produces them.
 *
 * ```ts
 * const mapped = mapRecords(mapping, header, records); // records: Iterable<CsvRecord>
 * if (!mapped.ok) return usageError(mapped.problems);  // paths into the mapping file
 * for (const { row, key, record, problems } of mapped.records) { … }
 * ```
 * For a chunked reader, compile once with {@link compileMapping} and call `mapRow` per record, or
 * call `mapped.mapChunk(chunk)` with each array of records the reader returns. Nothing is held
 * between records: memory does not grow with the file.
 */
import type { FormatProblem } from '../../formats/loading.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type { CsvRecord } from '../csv/index.ts';
import {
  type CompiledMapping,
  compileMapping,
  type MappedRecord,
  type MappingProblem,
} from './compileMapping.ts';

/** One mapped source record. */
export interface MappedSourceRecord {
  /** the record's 1-based data row */
  row: number;
  /** the record's key (see {@link CompiledMapping.keyOf}); undefined when its key cells are empty */
  key: string | undefined;
  record: MappedRecord;
  problems: readonly MappingProblem[];
}

/** {@link mapRecords}'s result. */
type MapRecordsResult =
  | {
      ok: true;
      compiled: CompiledMapping;
      /** the input's records, mapped one at a time as they are iterated */
      records: IterableIterator<MappedSourceRecord>;
      /** maps one chunk of records (e.g. what `CsvRecordReader.push` returned) */
      mapChunk(chunk: readonly CsvRecord[]): MappedSourceRecord[];
    }
  | { ok: false; problems: FormatProblem[] };

/**
 * Compiles `mapping` for `header` and maps `records` lazily (see the file header). Setup problems
 * (a mapping that cannot run) come back at once, before any record is read.
 */
export function mapRecords(
  mapping: Mapping,
  header: readonly string[],
  records: Iterable<CsvRecord> = [],
): MapRecordsResult {
  const result = compileMapping(mapping, header);
  if (!result.ok) return result;
  const { compiled } = result;
  const one = (source: CsvRecord): MappedSourceRecord => {
    const { record, problems } = compiled.mapRow(source.fields, source.row);
    return { row: source.row, key: compiled.keyOf(source.fields), record, problems };
  };
  function* lazily(): IterableIterator<MappedSourceRecord> {
    for (const source of records) yield one(source);
  }
  return { ok: true, compiled, records: lazily(), mapChunk: (chunk) => chunk.map(one) };
}
