/**
 * A legacy CSV extract, read as a stream of bytes and mapped record by record: the input side of
 * reconcile and of the local test server's seed. Bytes go through the one streaming UTF-8 decoder
 * and the streaming CSV reader (never chunk by chunk: a character cut at a chunk boundary would
 * break), so memory does not grow with the file. Runs wherever
 * an async iterable of bytes exists: `File.stream()` in the page, `fs.createReadStream` in Node.
 */

import { createCsvRecordReader, createUtf8StreamDecoder } from '../core/csv/index.ts';
import { compileMapping, type MappedSourceRecord } from '../core/mapping/index.ts';
import type { FormatProblem } from '../formats/loading.ts';
import type { Mapping } from '../formats/mapping.ts';

/** The mapping cannot run on this file's header (problems point into the mapping file). */
export class MappingSetupError extends Error {
  override name = 'MappingSetupError';
  constructor(
    readonly source: string,
    readonly problems: readonly FormatProblem[],
  ) {
    super(
      `The mapping cannot be used with ${source}: ${problems
        .slice(0, 3)
        .map((p) => `${p.path || '(whole mapping)'}: ${p.message}`)
        .join('; ')}`,
    );
  }
}

/**
 * Maps every record of a CSV byte stream with `mapping`, in file order.
 *
 * @param source the file's name, for messages
 * @throws {MappingSetupError} when the mapping does not fit the header; `Utf8DecodeError` for bytes
 *   that are not UTF-8 (both say where, never a value)
 */
export async function* mapCsvStream(
  bytes: AsyncIterable<Uint8Array>,
  mapping: Mapping,
  source: string,
): AsyncGenerator<MappedSourceRecord> {
  const decoder = createUtf8StreamDecoder(source);
  const reader = createCsvRecordReader();
  let compiled: ReturnType<typeof compileMapping> | undefined;
  function* mapAll(records: ReturnType<typeof reader.push>): Generator<MappedSourceRecord> {
    if (records.length === 0) return;
    if (!compiled) {
      compiled = compileMapping(mapping, reader.header ?? []);
    }
    if (!compiled.ok) throw new MappingSetupError(source, compiled.problems);
    const { mapRow, keyOf } = compiled.compiled;
    for (const record of records) {
      const { record: mapped, problems } = mapRow(record.fields, record.row);
      yield { row: record.row, key: keyOf(record.fields), record: mapped, problems };
    }
  }
  for await (const chunk of bytes) {
    yield* mapAll(reader.push(decoder.decode(chunk)));
  }
  yield* mapAll([...reader.push(decoder.end()), ...reader.finish()]);
}
