/**
 * The rule that gives a typed Parquet value the text a user sees in the same table's CSV, value by
 * value (the differential test in src/cli/commands/ proves it against DuckDB's CSV as a whole).
 */
import fc from 'fast-check';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { decimalText, float32Text, isoFromNanos, PARSERS, rawSchema } from './cellText.ts';

/** The renderer a top-level column of `element` gets. */
function render(element: Omit<SchemaElement, 'name'>) {
  const metadata = {
    schema: [
      { name: 'root', num_children: 1 },
      { name: 'c', ...element },
    ],
  } as unknown as FileMetaData;
  const { renders } = rawSchema(metadata);
  return renders.get(1) as (v: unknown) => unknown;
}

describe('Parquet cell text', () => {
  it('writes decimals with their scale, exactly, from every physical type', () => {
    const cases: [unknown, number, string][] = [
      [1250, 2, '12.50'],
      [-5, 1, '-0.5'],
      [0, 3, '0.000'],
      [-1n, 6, '-0.000001'],
      [1234567890123456789012345678901234567n, 6, '1234567890123456789012345678901.234567'],
      [Uint8Array.of(0x04, 0xe2), 2, '12.50'],
      [Uint8Array.of(0xff, 0xfb), 1, '-0.5'],
      [7, 0, '7'],
    ];
    for (const [value, scale, expected] of cases) expect(decimalText(value, scale)).toBe(expected);
    expect(render({ type: 'INT32', converted_type: 'DECIMAL', scale: 2, precision: 9 })(1250)).toBe('12.50');
  });

  it('writes float32 as the shortest decimal that reads back as the same float32 (fast-check)', () => {
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(float32Text(Math.fround(3.4e38))).toBe('3.4e+38');
    expect(float32Text(2)).toBe('2.0');
    // found by fast-check (seed 670880185): a negative zero keeps its sign
    expect(float32Text(-0)).toBe('-0.0');
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const text = float32Text(f);
        expect(Math.fround(Number(text))).toBe(f);
        // never longer than the double it widens to (a float32 needs at most 9 digits)
        expect(text.length).toBeLessThanOrEqual(String(f).length + 3);
      }),
    );
  });

  it('writes times and timestamps in ISO form, with their own fraction and zone', () => {
    const time = render({
      type: 'INT64',
      logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MICROS' },
    });
    expect(time(30_600_000_000n)).toBe('08:30:00');
    expect(time(30_600_123_450n)).toBe('08:30:00.12345');
    expect(render({ type: 'INT32', converted_type: 'TIME_MILLIS' })(30_600_500)).toBe('08:30:00.5');
    const local = render({
      type: 'INT64',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MILLIS' },
    });
    expect(local(1_795_681_800_000n)).toBe('2026-11-26T08:30:00');
    const utc = render({
      type: 'INT64',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' },
    });
    expect(utc(1_795_681_800_000_000_001n)).toBe('2026-11-26T08:30:00.000000001Z');
    expect(render({ type: 'INT64', converted_type: 'TIMESTAMP_MICROS' })(-1n)).toBe(
      '1969-12-31T23:59:59.999999Z',
    );
    // INT96 inside a nested column is decoded by the reader to nanoseconds: a UTC instant (top-level
    // INT96 follows the writer's convention: int96.test.ts)
    expect(PARSERS.timestampFromNanoseconds?.(1_795_681_800_250_000_000n)).toBe('2026-11-26T08:30:00.25Z');
    expect(isoFromNanos(0n, '')).toBe('1970-01-01T00:00:00');
    // past Date's range (Spark writes timestamps up to year 294,247): by calendar arithmetic
    expect(isoFromNanos(9_089_380_393_200_000_000_000n)).toBe('+290000-12-30T23:00:00Z');
    expect(isoFromNanos(-62_135_596_800_000_000_001n, '')).toBe('0000-12-31T23:59:59.999999999');
    expect(isoFromNanos(-62_167_219_200_000_000_001n, '')).toBe('-000001-12-31T23:59:59.999999999');
    expect(isoFromNanos(-62_167_219_200_000_000_001n, '').slice(0, 10)).toBe(
      new Date(-62_167_219_200_001).toISOString().slice(0, 10),
    );
    expect(local(null)).toBeUndefined();
  });

  it('reads a rendered column without its annotation, nested columns as the reader decodes them', () => {
    const metadata = {
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'fee', type: 'INT32', converted_type: 'DECIMAL', scale: 2 },
        { name: 'codes', num_children: 1, converted_type: 'LIST' },
        { name: 'list', num_children: 1 },
        { name: 'element', type: 'INT32', converted_type: 'DECIMAL', scale: 2 },
        { name: 'note', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
      ],
    } as unknown as FileMetaData;
    const { metadata: raw, renders } = rawSchema(metadata);
    expect([...renders.keys()]).toEqual([1]);
    expect(raw.schema[1]?.converted_type).toBeUndefined();
    expect(raw.schema[4]?.converted_type).toBe('DECIMAL');
    expect(raw.schema[5]?.converted_type).toBe('UTF8');
  });
});
