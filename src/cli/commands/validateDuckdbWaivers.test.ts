import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport, type Report } from '../../formats/report.ts';
import { createWaiversFile, type Waiver } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';
import { folderWith, PATIENTS_CONTRACT, birthDateWaiver as waiver } from '../testing/fixtures.ts';

let dir: string;
// 40 empty birth dates: twice the examples a report keeps
const MANY = `id,birth_date,sex\n${Array.from({ length: 40 }, (_, i) => `${i + 1},,F`).join('\n')}\n`;

beforeAll(async () => {
  dir = await folderWith('preflight-duckdb-waivers-', {
    'patients.contract.json': JSON.stringify(PATIENTS_CONTRACT),
    'many.csv': MANY,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runWith(
  waivers: Waiver[],
  engine: string[],
): Promise<{ code: number; out: string; report: Report }> {
  const file = createWaiversFile(waivers);
  await writeFile(path.join(dir, 'w.json'), JSON.stringify(file));
  const { code, out } = await runCli(
    [
      'validate',
      'many.csv',
      '--schema',
      'patients.contract.json',
      '--waivers',
      'w.json',
      '--report',
      'r.json',
      ...engine,
    ],
    dir,
  );
  const loaded = loadReport(JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')));
  if (!loaded.ok) throw new Error('the report does not load');
  return { code, out, report: loaded.value };
}

const UNCOUNTED = 'Rows not counted by the DuckDB engine for the waiver w-birth';

describe('a waiver limited to rows, with --engine duckdb', () => {
  const table: { name: string; waivers: Waiver[]; code: number; parts: [number, string | undefined][] }[] = [
    {
      name: 'every occurrence inside: accepted, as by the default engine',
      waivers: [waiver({ rows: [{ from: 1, to: 40 }] })],
      code: 0,
      parts: [[40, 'w-birth']],
    },
    {
      name: 'rows 1-25: split, the 15 outside still fail',
      waivers: [waiver({ rows: [{ from: 1, to: 25 }] })],
      code: 1,
      parts: [
        [25, 'w-birth'],
        [15, undefined],
      ],
    },
    {
      name: 'two waivers on the same column, and rows after them',
      waivers: [
        waiver({ rows: [{ from: 3, to: 12 }] }),
        waiver({ id: 'w-later', rows: [{ from: 30, to: 50 }] }),
      ],
      code: 1,
      parts: [
        [10, 'w-birth'],
        [11, 'w-later'],
        [19, undefined],
      ],
    },
  ];
  it.each(table)(
    '$name: counted in its rows, the same report parts and exit code',
    async ({ waivers, code, parts }) => {
      const duck = await runWith(waivers, ['--engine', 'duckdb']);
      const plain = await runWith(waivers, []);
      for (const run of [duck, plain]) {
        expect(run.code, run.out).toBe(code);
        expect(run.out).not.toContain('Rows not counted');
        expect(
          run.report.issues.filter((i) => i.location === 'birth_date').map((i) => [i.count, i.acceptedBy]),
        ).toEqual(parts);
      }
      expect(duck.report.waivers).toEqual(plain.report.waivers);
    },
  );

  it('exports the same failing rows as the default engine, byte for byte, each line with its waiver', async () => {
    const waivers = [waiver({ rows: [{ from: 1, to: 25 }] })];
    const exported: string[] = [];
    for (const engine of [['--engine', 'duckdb'], []]) {
      await runWith(waivers, [...engine, '--failing-rows', 'f.csv']);
      exported.push(await readFile(path.join(dir, 'f.csv'), 'utf8'));
    }
    expect(exported[0]).toBe(exported[1]);
    const accepted = (exported[0] ?? '').split('\r\n').filter((l) => l.endsWith(',w-birth'));
    expect(accepted).toHaveLength(25);
  });

  it('says the rows are not counted where its problem lies in a blank record, which it does not check', async () => {
    // a blank line in the middle: the default engine finds its empty birth date, DuckDB does not
    await writeFile(
      path.join(dir, 'blank.csv'),
      `id,birth_date,sex\n${Array.from({ length: 30 }, (_, i) => (i === 10 ? ',,' : `${i + 1},,F`)).join('\n')}\n`,
    );
    await writeFile(
      path.join(dir, 'w.json'),
      JSON.stringify(createWaiversFile([waiver({ rows: [{ from: 1, to: 40 }] })])),
    );
    const duck = await runCli(
      [
        'validate',
        'blank.csv',
        '--schema',
        'patients.contract.json',
        '--waivers',
        'w.json',
        '--engine',
        'duckdb',
      ],
      dir,
    );
    expect(duck.out).toContain(UNCOUNTED);
    expect(duck.out).toContain('Leave out --engine duckdb to count the rows.');
    // not counted: the 29 (of 20 listed) are not shown to lie in its rows, so not accepted
    expect(duck.code).toBe(1);
  });

  it('says nothing of rows for a waiver on a whole column', async () => {
    const duck = await runWith([waiver({})], ['--engine', 'duckdb']);
    expect(duck.out).not.toContain('Rows not counted');
    expect(duck.code).toBe(0);
    expect(duck.report.waivers?.[0]?.occurrences).toBe(40);
  });

  it('says nothing of an expired waiver limited to rows', async () => {
    const duck = await runWith(
      [waiver({ rows: [{ from: 1, to: 40 }], expires: '2020-01-01' })],
      ['--engine', 'duckdb'],
    );
    expect(duck.out).not.toContain('Rows not counted');
  });

  it('counts sparse failing rows, past a quoted field over two lines, as the default engine does', async () => {
    // 90 rows, every third with an empty birth date (30 failing rows, rows 3, 6, … 90); row 10
    // has a note quoted over two lines, so rows and lines differ after it
    const rows = Array.from({ length: 90 }, (_, i) => {
      const row = i + 1;
      const note = row === 10 ? '"first line\nsecond line"' : 'n';
      return `${row},${row % 3 === 0 ? '' : '2000-01-01'},F,${note}`;
    });
    await writeFile(path.join(dir, 'sparse.csv'), `id,birth_date,sex,note\n${rows.join('\n')}\n`);
    const waivers = [
      // failing rows 12, 15, … 39 (10) and 42, 45, … 60 (7): the rest (13) still fail
      waiver({ rows: [{ from: 10, to: 40 }] }),
      waiver({ id: 'w-later', rows: [{ from: 41, to: 62 }] }),
    ];
    await writeFile(path.join(dir, 'ws.json'), JSON.stringify(createWaiversFile(waivers)));
    const runs: { code: number; out: string; report: Report; exported: string }[] = [];
    for (const engine of [['--engine', 'duckdb'], []]) {
      const args = ['validate', 'sparse.csv', '--schema', 'patients.contract.json', '--waivers', 'ws.json'];
      const { code, out } = await runCli(
        [...args, '--report', 'rs.json', '--failing-rows', 'fs.csv', ...engine],
        dir,
      );
      const loaded = loadReport(JSON.parse(await readFile(path.join(dir, 'rs.json'), 'utf8')));
      if (!loaded.ok) throw new Error('the report does not load');
      runs.push({
        code,
        out,
        report: loaded.value,
        exported: await readFile(path.join(dir, 'fs.csv'), 'utf8'),
      });
    }
    for (const run of runs) {
      expect(run.code, run.out).toBe(1);
      expect(run.out).not.toContain('Rows not counted');
      expect(
        run.report.issues.filter((i) => i.location === 'birth_date').map((i) => [i.count, i.acceptedBy]),
      ).toEqual([
        [10, 'w-birth'],
        [7, 'w-later'],
        [13, undefined],
      ]);
    }
    expect(runs[0]?.exported).toBe(runs[1]?.exported);
    const marked = (runs[0]?.exported ?? '')
      .split('\r\n')
      .filter((l) => l.includes(',birth_date,'))
      .map((l) => `${l.split(',')[1]}:${l.split(',').at(-1)}`);
    expect(marked.filter((m) => m.endsWith(':w-birth'))).toEqual(
      Array.from({ length: 10 }, (_, i) => `${12 + 3 * i}:w-birth`),
    );
    expect(marked.filter((m) => m.endsWith(':w-later'))).toEqual(
      Array.from({ length: 7 }, (_, i) => `${42 + 3 * i}:w-later`),
    );
  });
});
