/**
 * A Parquet value as the text a user sees in the same table's CSV, so a contract gives the same
 * findings on a Parquet file as on its CSV export (proved against DuckDB's CSV of the same table:
 * tests/parquet/). The rule, per column type (docs/cli.md#parquet-files):
 * - decimals with their scale, exactly (`12.50`; a `decimal(38,6)` digit for digit, never through
 *   a float);
 * - dates `YYYY-MM-DD`; times `HH:MM:SS` and timestamps `YYYY-MM-DDTHH:MM:SS`, each with the
 *   fraction of a second it has (trailing zeros dropped, none when whole); a timestamp adjusted to
 *   UTC ends in `Z`, a local one has no zone; INT96, which states neither, is read by its writer's
 *   convention ({@link int96Convention}) or as the person chose, and the choice is said;
 * - float32 as the shortest decimal that reads back as the same float32 (`0.1`, not the double
 *   `0.10000000149011612`), doubles as theirs; a whole one with `.0` (`1.0`), as DuckDB, pandas
 *   and Spark write it; integers as their decimal text;
 * - lists, maps and structs as JSON, their values as hyparquet decodes them (numbers, strings,
 *   timestamps as ISO text in UTC).
 *
 * Types the reader converts itself (strings, UUIDs, unsigned integers, float16) keep its value.
 * Top-level columns whose rule needs the stored value (decimals, times, timestamps, floats) are
 * read without their annotation ({@link rawSchema}), and rendered here from the element the file
 * declares.
 */
import type { FileMetaData, ParquetParsers, SchemaElement, TimeUnit } from 'hyparquet';

/** A byte array that is not valid UTF-8, found while decoding: reported with its row and column. */
export class NotUtf8 {}
export const NOT_UTF8 = new NotUtf8();

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as UTF-8 text, or {@link NOT_UTF8}: never replaced by U+FFFD. */
export function text(bytes: Uint8Array): string | NotUtf8 {
  try {
    return utf8.decode(bytes);
  } catch {
    return NOT_UTF8;
  }
}

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');

/** `.fraction` of `below` units out of `per` (a power of ten), trailing zeros dropped; '' for 0. */
function fraction(below: bigint, per: bigint): string {
  if (below === 0n) return '';
  const digits = pad(below, String(per).length - 1).replace(/0+$/, '');
  return `.${digits}`;
}

const NANOS_PER_DAY = 86_400_000_000_000n;

/** Floor division for bigints (the remainder has the divisor's sign). */
function floorDiv(a: bigint, b: bigint): [bigint, bigint] {
  const q = a / b - (a % b !== 0n && a < 0n !== b < 0n ? 1n : 0n);
  return [q, a - q * b];
}

/** `HH:MM:SS[.fraction]` of `nanos` into a day. */
function clock(nanos: bigint): string {
  const [seconds, below] = floorDiv(nanos, 1_000_000_000n);
  const s = Number(seconds);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${fraction(below, 1_000_000_000n)}`;
}

/**
 * `YYYY-MM-DD` of `days` since 1970-01-01, by the proleptic Gregorian calendar (the civil-from-days
 * arithmetic of H. Hinnant's date algorithms): exact for any day, where `Date` stops at ±275,760
 * years (Spark writes INT96 timestamps up to year 294,247). A year beyond 0–9999 is written as
 * ISO 8601's expanded form, a sign and at least six digits, as JavaScript writes it.
 */
function dateText(days: number | bigint): string {
  const z = BigInt(days) + 719_468n;
  const [era] = floorDiv(z, 146_097n);
  const dayOfEra = z - era * 146_097n;
  const yearOfEra = (dayOfEra - dayOfEra / 1460n + dayOfEra / 36_524n - dayOfEra / 146_096n) / 365n;
  const dayOfYear = dayOfEra - (365n * yearOfEra + yearOfEra / 4n - yearOfEra / 100n);
  const mp = (5n * dayOfYear + 2n) / 153n;
  const day = dayOfYear - (153n * mp + 2n) / 5n + 1n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  const year = yearOfEra + era * 400n + (month <= 2n ? 1n : 0n);
  const yearText =
    year >= 0n && year <= 9999n
      ? pad(year, 4)
      : `${year < 0n ? '-' : '+'}${pad(year < 0n ? -year : year, 6)}`;
  return `${yearText}-${pad(month)}-${pad(day)}`;
}

/** An instant `nanos` after the epoch as `YYYY-MM-DDTHH:MM:SS[.fraction]`, then `zone`. */
export function isoFromNanos(nanos: bigint, zone = 'Z'): string {
  const [days, within] = floorDiv(nanos, NANOS_PER_DAY);
  return `${dateText(days)}T${clock(within)}${zone}`;
}

const NANOS_PER: Record<TimeUnit, bigint> = { MILLIS: 1_000_000n, MICROS: 1_000n, NANOS: 1n };

/**
 * A floating-point value's text: the shortest decimal that reads back as the same value, in
 * JavaScript's number notation (`0.1`, `3.4e+38`), a whole value with `.0` as DuckDB, pandas and
 * Spark write it (`1.0`, not `1`: the column is not an integer one).
 */
function floatText(shortest: number): string {
  // String(-0) is "0": a negative zero keeps its sign, as the writers print it
  const out = Object.is(shortest, -0) ? '-0' : String(shortest);
  return Number.isFinite(shortest) && !/[.e]/.test(out) ? `${out}.0` : out;
}

/** A double's text ({@link floatText}). */
export function doubleText(value: number): string {
  return floatText(value);
}

/**
 * A float32's text: the shortest decimal that reads back as the same float32 (`0.1`, where the
 * double it widens to prints `0.10000000149011612`), as {@link floatText}.
 */
export function float32Text(value: number): string {
  if (Number.isFinite(value) && value !== 0)
    for (let digits = 1; digits < 9; digits++) {
      const shorter = Number(value.toPrecision(digits));
      if (Math.fround(shorter) === value) return floatText(shorter);
    }
  return floatText(value);
}

/** The unscaled integer of a decimal as stored: INT32, INT64 or big-endian two's complement bytes. */
function unscaled(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  const bytes = value as Uint8Array;
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  const bits = BigInt(bytes.length * 8);
  return bytes.length > 0 && (bytes[0] as number) >= 0x80 ? n - (1n << bits) : n;
}

/** A decimal's text with exactly `scale` digits after the point (`12.50`, `-0.000001`). */
export function decimalText(value: unknown, scale: number): string {
  const n = unscaled(value);
  if (scale <= 0) return (n * 10n ** BigInt(-scale)).toString();
  const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
  return `${n < 0n ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** A top-level value's text; `undefined` for null (an absent cell). */
export type Render = (value: unknown) => string | NotUtf8 | undefined;

/**
 * How an INT96 timestamp is read. INT96 (days and nanoseconds, no unit, no zone) does not say
 * whether it holds an instant in UTC or a wall-clock time; each writer has its convention:
 * - `utc`: an instant, written with `Z`. Spark (`spark.sql.parquet.outputTimestampType=INT96`,
 *   its default before 3.x and still common) converts the session's local time to UTC; Hive
 *   (through parquet-mr) does the same; Arrow and pandas write UTC.
 * - `local`: the wall-clock time as the writer's clock showed it, with no zone. Impala writes the
 *   time as given, unconverted (hence its `convert_legacy_hive_parquet_utc_timestamps` for
 *   reading Hive's files).
 */
export type Int96Reading = 'utc' | 'local';

/** The INT96 reading a file's writer implies, and the writer named in words for the account. */
export interface Int96Convention {
  reading: Int96Reading;
  /** the writer as the account names it: `Impala`, `Spark`, `Hive`, or `parquet-mr` … */
  writer: string;
}

/**
 * The INT96 convention of the file's writer, from the footer's `created_by` (`impala version 1.3.0`,
 * `parquet-mr version 1.13.1`) and its key-value metadata (Spark and Hive each add their own
 * keys: `org.apache.spark.version`, `writer.time.zone`). A writer with no known convention is read
 * as UTC, as Spark, Hive and Arrow write it; the account says so either way.
 */
export function int96Convention(
  metadata: Pick<FileMetaData, 'created_by' | 'key_value_metadata'>,
): Int96Convention {
  const by = metadata.created_by ?? '';
  const keys = (metadata.key_value_metadata ?? []).map((entry) => entry.key);
  if (/impala/i.test(by)) return { reading: 'local', writer: 'Impala' };
  if (/spark/i.test(by) || keys.some((key) => key.startsWith('org.apache.spark')))
    return { reading: 'utc', writer: 'Spark' };
  if (/hive/i.test(by) || keys.includes('writer.time.zone')) return { reading: 'utc', writer: 'Hive' };
  const name = /^\s*([A-Za-z][\w.-]*)/.exec(by)?.[1];
  return { reading: 'utc', writer: name ?? 'an unnamed writer' };
}

/** How a column of `element` is rendered from its stored value, when it is not as decoded. */
function storedRender(element: SchemaElement, int96: Int96Reading): Render | undefined {
  const { type, converted_type: ctype, logical_type: ltype } = element;
  // the reader hands INT96 over as nanoseconds (FLAT_PARSERS): its text follows the reading chosen
  if (type === 'INT96' && ctype === undefined) {
    const zone = int96 === 'utc' ? 'Z' : '';
    return (v) => isoFromNanos(BigInt(v as bigint), zone);
  }
  if (ctype === 'DECIMAL' || ltype?.type === 'DECIMAL') {
    const scale = element.scale ?? (ltype?.type === 'DECIMAL' ? ltype.scale : 0);
    return (v) => decimalText(v, scale);
  }
  const time =
    ltype?.type === 'TIME'
      ? ltype.unit
      : ctype === 'TIME_MILLIS'
        ? 'MILLIS'
        : ctype === 'TIME_MICROS'
          ? 'MICROS'
          : undefined;
  if (time !== undefined) return (v) => clock(BigInt(v as number | bigint) * NANOS_PER[time]);
  const stamp: [TimeUnit, boolean] | undefined =
    ltype?.type === 'TIMESTAMP'
      ? [ltype.unit, ltype.isAdjustedToUTC]
      : ctype === 'TIMESTAMP_MILLIS'
        ? ['MILLIS', true]
        : ctype === 'TIMESTAMP_MICROS'
          ? ['MICROS', true]
          : undefined;
  if (stamp !== undefined) {
    const [unit, utc] = stamp;
    return (v) => isoFromNanos(BigInt(v as number | bigint) * NANOS_PER[unit], utc ? 'Z' : '');
  }
  if (ctype === undefined && ltype === undefined) {
    if (type === 'FLOAT') return (v) => float32Text(v as number);
    if (type === 'DOUBLE') return (v) => doubleText(v as number);
  }
  return undefined;
}

/** A 64-bit integer too large for a JSON number's double, kept as a marker until written out. */
const BIG = /"\\u0000(-?[0-9]+)\\u0000"/g;

/** JSON text of a nested value: 64-bit integers as JSON numbers, every digit kept; bytes as UTF-8 text. */
function jsonText(value: unknown): string | NotUtf8 {
  let bad = false;
  let big = false;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') {
      if (Number.isSafeInteger(Number(v))) return Number(v);
      big = true;
      return `\u0000${v}\u0000`;
    }
    if (v instanceof NotUtf8) {
      bad = true;
      return null;
    }
    if (v instanceof Uint8Array) {
      const t = text(v);
      if (t instanceof NotUtf8) bad = true;
      return t instanceof NotUtf8 ? null : t;
    }
    return v;
  });
  return bad ? NOT_UTF8 : big ? json.replace(BIG, '$1') : json;
}

/** A value as decoded, as cell text; `undefined` for null (an absent cell). */
export function cellText(value: unknown): string | NotUtf8 | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || value instanceof NotUtf8) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return text(value);
  return jsonText(value);
}

/** Parsers that give each value the reader converts itself its text (see the file header). */
export const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => isoFromNanos(BigInt(millis) * 1_000_000n),
  timestampFromMicroseconds: (micros: bigint) => isoFromNanos(BigInt(micros) * 1_000n),
  timestampFromNanoseconds: (nanos: bigint) => isoFromNanos(BigInt(nanos)),
  dateFromDays: dateText,
  stringFromBytes: text,
  jsonFromBytes: text,
};

/**
 * {@link PARSERS} for the top-level flat columns, which the reader renders itself: INT96 is handed
 * over as its nanoseconds since the epoch (the only value that reaches `timestampFromNanoseconds` there, every TIMESTAMP
 * being read without its annotation), so its text can follow the reading chosen.
 */
export const FLAT_PARSERS: Partial<ParquetParsers> = {
  ...PARSERS,
  timestampFromNanoseconds: (nanos: bigint) => nanos,
};

/**
 * The file's metadata with each top-level column that is rendered from its stored value read
 * without its annotation, and each top-level column's renderer by index of its schema element.
 * INT96 columns are read as `int96` says (default: the writer's convention, {@link int96Convention}).
 */
export function rawSchema(
  metadata: FileMetaData,
  int96: Int96Reading = int96Convention(metadata).reading,
): { metadata: FileMetaData; renders: Map<number, Render> } {
  const renders = new Map<number, Render>();
  const schema = [...metadata.schema];
  const children = schema[0]?.num_children ?? 0;
  for (let i = 1, seen = 0; i < schema.length && seen < children; seen++) {
    const element = schema[i] as SchemaElement;
    const render = element.num_children ? undefined : storedRender(element, int96);
    if (render !== undefined) {
      renders.set(i, (v) => (v === null || v === undefined ? undefined : render(v)));
      schema[i] = { ...element, converted_type: undefined, logical_type: undefined };
    }
    i += 1 + descendants(schema, i);
  }
  return { metadata: { ...metadata, schema }, renders };
}

/** How many schema elements below the one at `index` (its whole subtree). */
export function descendants(schema: FileMetaData['schema'], index: number): number {
  let count = 0;
  for (let k = 0; k < (schema[index]?.num_children ?? 0); k++) {
    const child = index + 1 + count;
    count += 1 + descendants(schema, child);
  }
  return count;
}
