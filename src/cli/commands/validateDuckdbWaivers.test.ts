import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport, type Report } from '../../formats/report.ts';
import { createWaiversFile, type Waiver } from '../../formats/waivers.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;
const CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test:patients',
  type: 'object',
  required: ['id', 'birth_date'],
  properties: { id: { type: 'string' }, birth_date: { type: 'string' }, sex: { enum: ['F', 'M'] } },
};
// 40 empty birth dates: twice the examples a report keeps
const MANY = `id,birth_date,sex\n${Array.from({ length: 40 }, (_, i) => `${i + 1},,F`).join('\n')}\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-duckdb-waivers-'));
  await writeFile(path.join(dir, 'patients.contract.json'), JSON.stringify(CONTRACT));
  await writeFile(path.join(dir, 'many.csv'), MANY);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const waiver = (fields: Partial<Waiver>): Waiver => ({
  id: 'w-birth',
  rule: 'contract.required',
  column: 'birth_date',
  rationale: 'walk-in patients were registered without a birth date',
  owner: 'Dana Whitfield',
  expires: '2999-12-31',
  ...fields,
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
  it('says the engine does not count its rows, and accepts nothing it cannot prove', async () => {
    const duck = await runWith([waiver({ rows: [{ from: 1, to: 40 }] })], ['--engine', 'duckdb']);
    expect(duck.out).toContain(UNCOUNTED);
    expect(duck.out).toContain('Leave out --engine duckdb to count the rows.');
    // 40 occurrences, 20 listed: not shown to lie in the rows, so not accepted
    expect(duck.code).toBe(1);
    // the default engine counts them in its pass and accepts them, without that line
    const plain = await runWith([waiver({ rows: [{ from: 1, to: 40 }] })], []);
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain(UNCOUNTED);
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
});
