/**
 * Finding the rows of a drill-down filter by re-reading a file: the rows a report's cross-file
 * findings name (repeated keys, conflicting identifiers), every orphan reference (the report keeps
 * only the count and the first examples) and the rows a row check warns about. Proven against the
 * engine itself on the demo extracts (samples/README.md: 12 repeated MRNs, 37 orphan encounters):
 * the same rows, and each found offset re-reads exactly that row.
 */
import { describe, expect, it } from 'vitest';
import { memorySource, sampleBytes } from '../../../tests/migration/sources.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { findRows, MATCH_RULE, readKeys } from './findRows.ts';
import type { RowCheckFactory } from './rowCheck.ts';
import { type CsvSource, readRecordAt, UnknownColumnError, validateCsv } from './validateCsv.ts';
import { detectLayout, validateInputs } from './validateInputs.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const patients = memorySource('patients.csv', sampleBytes('patients.csv'));
const encounters = memorySource('encounters.csv', sampleBytes('encounters.csv'));

/** Every data row of a source with its cells, as one whole parse gives them (the reference). */
async function allRows(source: CsvSource) {
  const layout = await detectLayout(source);
  const everyRow: RowCheckFactory = () => () => [
    { rule: 'every', severity: 'error', location: '', message: 'every row' },
  ];
  const result = await validateCsv(source, { layout, profile: false, rowCheck: everyRow });
  const cells = new Map<number, string[]>();
  for (let i = 0; i < result.failingRows.count; i++)
    cells.set(
      result.failingRows.rows[i] as number,
      (await readRecordAt(source, layout, result.failingRows.offsets[i] as number)) ?? [],
    );
  return { layout, header: result.header, cells };
}

describe('findRows on the demo extracts', () => {
  it('finds every orphan reference the engine counts (37), each re-read to a value not in patients.csv', async () => {
    const [, engine] = await validateInputs(
      [
        { source: patients, layout: await detectLayout(patients), keys: [{ column: 'patient_id' }] },
        { source: encounters, layout: await detectLayout(encounters), keys: [] },
      ],
      [{ input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' }],
    );
    const orphans = engine?.orphans[0];
    expect(orphans?.count).toBe(37);

    const keys = await readKeys(patients, 'patient_id', { layout: await detectLayout(patients) });
    const layout = await detectLayout(encounters);
    const found = await findRows(encounters, { orphans: { column: 'patient_id', keys } }, { layout });
    expect(found.count).toBe(37);
    // the engine's examples are the first orphans, in row order
    expect([...found.rows.slice(0, orphans?.examples.length)]).toEqual(orphans?.examples.map((e) => e.row));
    const { header, cells } = await allRows(encounters);
    const column = header.indexOf('patient_id');
    const known = new Set([...(await allRows(patients)).cells.values()].map((row) => row[0]));
    for (let i = 0; i < found.count; i++) {
      const row = await readRecordAt(encounters, layout, found.offsets[i] as number);
      expect(row).toEqual(cells.get(found.rows[i] as number));
      expect(known.has(row?.[column])).toBe(false);
    }
    // and no row outside them is an orphan
    const expected = [...cells.entries()]
      .filter(([, row]) => row[column] !== '' && !known.has(row[column]))
      .map(([n]) => n);
    expect([...found.rows]).toEqual(expected);
  });

  it('locates the rows of the repeated MRNs the report names, at offsets that re-read them', async () => {
    const layout = await detectLayout(patients);
    const engine = await validateCsv(patients, { layout, profile: false, keys: [{ column: 'mrn' }] });
    const named = engine.keys[0]?.state.duplicates.flatMap((g) => g.rows) ?? [];
    expect(named).toHaveLength(24);
    const found = await findRows(patients, { rows: named }, { layout, chunkBytes: 4093 });
    expect([...found.rows]).toEqual([...named].sort((a, b) => a - b));
    const { cells } = await allRows(patients);
    for (let i = 0; i < found.count; i++)
      expect(await readRecordAt(patients, layout, found.offsets[i] as number)).toEqual(
        cells.get(found.rows[i] as number),
      );
  });
});

describe('findRows on small inputs', () => {
  const text = 'id,code\n1,a\n2,b\n3\n4,warn\n5,b\n';
  const source = memorySource('t.csv', encode(text));

  it.each([
    { description: 'named rows', query: { rows: [2, 5] }, rows: [2, 5] },
    {
      description: 'a named row that fails its structure (short) is still found',
      query: { rows: [3] },
      rows: [3],
    },
    {
      description: 'a row that fails its structure is not found unless named',
      query: { rows: [1] },
      rows: [1],
    },
    {
      description: 'rows a row check warns about',
      query: {
        rowCheck: (() => (_row: number, cells: readonly string[]) =>
          cells[1] === 'warn'
            ? [{ rule: 'x', severity: 'warning' as const, location: 'code', message: 'a warning' }]
            : cells[1] === 'b'
              ? [{ rule: 'y', severity: 'error' as const, location: 'code', message: 'an error' }]
              : []) satisfies RowCheckFactory,
        severity: 'warning' as const,
      },
      rows: [4],
    },
    {
      description: 'orphans: empty references are not checked',
      query: { orphans: { column: 'code', keys: { has: (v: string) => v === 'a' } } },
      rows: [2, 4, 5],
    },
    { description: 'nothing asked, nothing found', query: {}, rows: [] },
  ])('$description', async ({ query, rows }) => {
    const layout = await detectLayout(source);
    const found = await findRows(source, query, { layout });
    expect([...found.rows]).toEqual(rows);
    expect(found.count).toBe(rows.length);
    expect(MATCH_RULE).toBe('drilldown.match');
  });

  it('says which column is missing, and stops when cancelled', async () => {
    const layout = await detectLayout(source);
    await expect(
      findRows(source, { orphans: { column: 'patient', keys: { has: () => true } } }, { layout }),
    ).rejects.toBeInstanceOf(UnknownColumnError);
    await expect(readKeys(source, 'patient', { layout })).rejects.toBeInstanceOf(UnknownColumnError);
    const controller = new AbortController();
    controller.abort();
    await expect(
      findRows(source, { rows: [1] }, { layout, signal: controller.signal }),
    ).rejects.toBeInstanceOf(JobCancelledError);
  });
});
