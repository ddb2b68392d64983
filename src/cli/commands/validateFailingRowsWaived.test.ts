/**
 * `preflight validate --failing-rows` with a waiver limited to rows: each line says which waiver
 * accepts its problem in its row (`acceptedBy`), empty (CSV) or absent (NDJSON) where it still
 * fails, exactly as the report splits the problem; the exit code counts only what still fails.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWaiversFile, type Waiver } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';
import { folderWith, PATIENTS_CONTRACT, birthDateWaiver as waiver } from '../testing/fixtures.ts';

let dir: string;
// 40 empty birth dates (twice the examples a report keeps); row 7 has a sex no contract allows too
const MANY = `id,birth_date,sex\n${Array.from({ length: 40 }, (_, i) => `${i + 1},,${i === 6 ? 'X' : 'F'}`).join('\n')}\n`;

beforeAll(async () => {
  dir = await folderWith('preflight-failing-rows-waived-', {
    'patients.contract.json': JSON.stringify(PATIENTS_CONTRACT),
    'many.csv': MANY,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const table: {
  name: string;
  waivers: Waiver[];
  code: number;
  /** the birth_date lines' acceptedBy, by row: [first row, last row, waiver or ''] */
  birthDates: [number, number, string][];
}[] = [
  {
    name: 'rows 1-25 accepted, 15 still fail: exit 1',
    waivers: [waiver({ rows: [{ from: 1, to: 25 }] })],
    code: 1,
    birthDates: [
      [1, 25, 'w-birth'],
      [26, 40, ''],
    ],
  },
  {
    name: 'two weeks and the rest still failing',
    waivers: [
      waiver({ rows: [{ from: 1, to: 10 }] }),
      waiver({ id: 'w-week2', rows: [{ from: 11, to: 20 }] }),
    ],
    code: 1,
    birthDates: [
      [1, 10, 'w-birth'],
      [11, 20, 'w-week2'],
      [21, 40, ''],
    ],
  },
  {
    name: 'every row inside (and the sex of row 7 accepted too): exit 0',
    waivers: [
      waiver({ rows: [{ from: 1, to: 40 }] }),
      waiver({ id: 'w-sex', rule: 'contract.enum', column: 'sex', rows: [{ from: 7, to: 7 }] }),
    ],
    code: 0,
    birthDates: [[1, 40, 'w-birth']],
  },
];

describe('validate --failing-rows names the waiver of each accepted line', () => {
  it.each(table)('$name', async ({ waivers, code, birthDates }) => {
    await writeFile(path.join(dir, 'w.json'), JSON.stringify(createWaiversFile(waivers)));
    const expected = birthDates.flatMap(([from, to, by]) =>
      Array.from({ length: to - from + 1 }, (_, i) => [String(from + i), by]),
    );
    const args = ['validate', 'many.csv', '--schema', 'patients.contract.json', '--waivers', 'w.json'];
    const csv = await runCli([...args, '--failing-rows', 'f.csv'], dir);
    expect(csv.code, csv.out).toBe(code);
    const [head, ...lines] = Papa.parse<string[]>(
      (await readFile(path.join(dir, 'f.csv'), 'utf8')).trimEnd(),
      {
        newline: '\r\n',
      },
    ).data;
    expect(head?.at(-1)).toBe('acceptedBy');
    expect(lines.filter((l) => l[2] === 'birth_date').map((l) => [l[1], l[7]])).toEqual(expected);
    // the sex of row 7 is accepted only by its own waiver
    expect(lines.filter((l) => l[2] === 'sex').map((l) => [l[1], l[7]])).toEqual([
      ['7', waivers.some((w) => w.id === 'w-sex') ? 'w-sex' : ''],
    ]);
    const ndjson = await runCli([...args, '--failing-rows', 'f.ndjson'], dir);
    expect(ndjson.code).toBe(code);
    const records = (await readFile(path.join(dir, 'f.ndjson'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; column: string; acceptedBy?: string });
    expect(
      records.filter((r) => r.column === 'birth_date').map((r) => [String(r.row), r.acceptedBy ?? '']),
    ).toEqual(expected);
  });
});

describe('validate --failing-rows of two files marks each line in its own file', () => {
  // 60 empty birth dates in each file: the parts in rows 25-30 and 40-55 list no example
  const SIXTY = `id,birth_date\n${Array.from({ length: 60 }, (_, i) => `${i + 1},`).join('\n')}\n`;
  const waivers = [
    waiver({ id: 'w-any', rows: [{ from: 25, to: 30 }] }),
    waiver({ id: 'w-b', input: 'b.csv', rows: [{ from: 40, to: 55 }] }),
  ];
  const expected = (file: string) =>
    Array.from({ length: 60 }, (_, i) => {
      const row = i + 1;
      const by = row >= 25 && row <= 30 ? 'w-any' : file === 'b.csv' && row >= 40 && row <= 55 ? 'w-b' : '';
      return [file, String(row), by];
    });
  it.each([['the default engine', []]])(
    '%s: the rows of a waiver of b.csv are marked in b.csv, as the report counts them',
    async (_, engine) => {
      await writeFile(path.join(dir, 'a.csv'), SIXTY);
      await writeFile(path.join(dir, 'b.csv'), SIXTY);
      await writeFile(path.join(dir, 'w2.json'), JSON.stringify(createWaiversFile(waivers)));
      const args = [
        'validate',
        'a.csv',
        'b.csv',
        '--schema',
        'patients.contract.json',
        '--waivers',
        'w2.json',
      ];
      const run = await runCli([...args, ...engine, '--failing-rows', 'f2.csv', '--report', 'r2.json'], dir);
      expect(run.code, run.out).toBe(1);
      // the summary names the files each waiver accepted occurrences in
      expect(run.out).toContain('12 occurrences in a.csv, b.csv;');
      expect(run.out).toContain('16 occurrences in b.csv;');
      const [, ...lines] = Papa.parse<string[]>(
        (await readFile(path.join(dir, 'f2.csv'), 'utf8')).trimEnd(),
        {
          newline: '\r\n',
        },
      ).data;
      expect(lines.map((l) => [l[0], l[1], l[7]])).toEqual([...expected('a.csv'), ...expected('b.csv')]);
      // the report accepts as many occurrences per waiver as the lines marked
      const report = JSON.parse(await readFile(path.join(dir, 'r2.json'), 'utf8')) as {
        waivers: { waiver: { id: string }; occurrences: number }[];
      };
      expect(report.waivers.map((w) => [w.waiver.id, w.occurrences])).toEqual([
        ['w-any', lines.filter((l) => l[7] === 'w-any').length],
        ['w-b', lines.filter((l) => l[7] === 'w-b').length],
      ]);
    },
  );
});
