/**
 * Which record keys occur more than once in a file, by hash, for files with more duplicated keys
 * than the validation engine lists by text (`MAX_DUPLICATE_GROUPS`). One extra streaming pass over
 * the key column; keys are kept as the engine keeps them — their two 32-bit hashes (`keyHashes`,
 * 64 bits: a collision between two different keys is ≈ n²/2⁶⁵, negligible) — in open-addressing
 * typed arrays, never as text.
 *
 * Memory: about 9 bytes per slot at load ≤ 0.5 while counting (all distinct keys), then only the
 * duplicated keys are kept.
 */

import { type CsvLayout, createCsvRecordReader, createTextStreamDecoder } from '../../csv/index.ts';
import { JobCancelledError, readInputChunk } from '../../jobs/errors.ts';
import {
  type CsvSource,
  DEFAULT_VALIDATE_CHUNK_BYTES,
  keyHashes,
  UnknownColumnError,
} from '../../validation/index.ts';

const INITIAL_CAPACITY = 1024;

/** A set of 64-bit key hashes (a, b), with a saturating count per key (1, or 2 meaning "more than once"). */
export class KeyHashCounter {
  private capacity = INITIAL_CAPACITY;
  private a = new Uint32Array(INITIAL_CAPACITY);
  private b = new Uint32Array(INITIAL_CAPACITY);
  private counts = new Uint8Array(INITIAL_CAPACITY);
  /** distinct keys held */
  size = 0;

  private slot(a: number, b: number): number {
    const mask = this.capacity - 1;
    let slot = (a ^ Math.imul(b, 0x27d4eb2d)) & mask;
    for (;;) {
      const held = this.a[slot] as number;
      if (held === 0 || (held === a && this.b[slot] === b)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** Counts one more record with this key (hashes from `keyHashes`; `a` is never 0). */
  add(a: number, b: number): void {
    const slot = this.slot(a, b);
    if (this.a[slot] !== 0) {
      this.counts[slot] = 2;
      return;
    }
    this.a[slot] = a;
    this.b[slot] = b;
    this.counts[slot] = 1;
    this.size++;
    if (this.size * 2 > this.capacity) this.grow();
  }

  /** How often the key was counted: 0, 1, or 2 for "more than once". */
  count(a: number, b: number): number {
    return this.counts[this.slot(a, b)] as number;
  }

  /** A counter holding only the keys counted more than once. */
  repeatedOnly(): KeyHashCounter {
    const out = new KeyHashCounter();
    for (let i = 0; i < this.capacity; i++) {
      if (this.counts[i] === 2) {
        out.add(this.a[i] as number, this.b[i] as number);
        out.add(this.a[i] as number, this.b[i] as number);
      }
    }
    return out;
  }

  private grow(): void {
    const { a, b, counts, capacity } = this;
    this.capacity = capacity * 2;
    this.a = new Uint32Array(this.capacity);
    this.b = new Uint32Array(this.capacity);
    this.counts = new Uint8Array(this.capacity);
    for (let i = 0; i < capacity; i++) {
      const ai = a[i] as number;
      if (ai === 0) continue;
      const slot = this.slot(ai, b[i] as number);
      this.a[slot] = ai;
      this.b[slot] = b[i] as number;
      this.counts[slot] = counts[i] as number;
    }
  }
}

/** Whether `key` is one of the repeated keys of `repeated` (as the engine's key set: empty keys never are). */
export function isRepeatedKey(repeated: KeyHashCounter, key: string | undefined): boolean {
  if (key === undefined || key === '') return false;
  const [a, b] = keyHashes(key);
  return repeated.count(a, b) === 2;
}

/**
 * Reads `source`'s key column once and returns the keys that occur more than once (empty cells
 * are not keys, as in the engine's key sets).
 *
 * @throws {InputReadError}, the decoder's and the CSV reader's errors, {@link UnknownColumnError},
 *   {@link JobCancelledError}.
 */
export async function repeatedKeys(
  source: CsvSource,
  layout: CsvLayout,
  keyColumn: string,
  options: { signal?: AbortSignal; chunkBytes?: number } = {},
): Promise<KeyHashCounter> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_VALIDATE_CHUNK_BYTES;
  const decoder = createTextStreamDecoder(layout.encoding, source.name);
  const counter = new KeyHashCounter();
  let keyIndex = -1;
  const reader = createCsvRecordReader({
    delimiter: layout.delimiter,
    quoteChar: layout.quote,
    newline: layout.lineEnding,
    noHeader: !layout.header,
    onRecord: (_row, fields) => {
      if (keyIndex < 0) {
        const header = reader.header ?? fields.map((_, i) => `column ${i + 1}`);
        keyIndex = header.indexOf(keyColumn);
        if (keyIndex < 0) throw new UnknownColumnError(source.name, keyColumn, 'the record key');
      }
      const key = fields[keyIndex];
      if (key === undefined || key === '') return;
      const [a, b] = keyHashes(key);
      counter.add(a, b);
    },
  });
  let offset = 0;
  while (offset < source.size) {
    if (options.signal?.aborted) throw new JobCancelledError();
    const length = Math.min(chunkBytes, source.size - offset);
    const chunk = await readInputChunk(source, offset, length, options.signal);
    offset += chunk.byteLength;
    reader.push(decoder.decode(chunk).text);
  }
  reader.push(decoder.end().text);
  reader.finish();
  return counter.repeatedOnly();
}
