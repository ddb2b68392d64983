/**
 * `preflight validate` on numbers and timestamps a file does not state how to read: a semicolon
 * file with decimal commas (detected and said, `--decimal` to overrule), and Parquet INT96
 * timestamps (by the writer's convention, said, `--int96` to overrule) on apache/parquet-testing's
 * Impala file. The summary names a Parquet file as Parquet, and the report carries each input's
 * reader account (`notRead`).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { applyChange, createProject } from '../../core/project/changes.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { writeProjectFile } from '../testing/fixtures.ts';

const VITALS_CONTRACT = {
  type: 'object',
  required: ['patient_id', 'temp_c'],
  properties: {
    patient_id: { type: 'string' },
    temp_c: { type: 'number', minimum: 30, maximum: 45 },
  },
};

/** The Impala file's timestamps must be date-times with a zone (a wall-clock time fails). */
const STAMP_CONTRACT = {
  type: 'object',
  properties: { id: { type: 'integer' }, timestamp_col: { type: 'string', format: 'date-time' } },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-numbers-'));
  const rows = ['patient_id;temp_c;ward'];
  for (let i = 0; i < 300; i++) rows.push(`P${i};36,${i % 10};W${i % 4}`);
  await writeFile(path.join(dir, 'vitals.csv'), `${rows.join('\r\n')}\r\n`);
  await writeFile(path.join(dir, 'vitals.json'), JSON.stringify(VITALS_CONTRACT));
  await writeFile(path.join(dir, 'stamps.json'), JSON.stringify(STAMP_CONTRACT));
  await copyFile(
    externalFixture('parquet-testing', 'data', 'alltypes_plain.parquet'),
    path.join(dir, 'alltypes_plain.parquet'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function reportOf(args: string[]): Promise<{ code: number; out: string; report: Report }> {
  const { code, out, err } = await runCli(['validate', ...args, '--report', 'r.json'], dir);
  expect(err).toBe('');
  const loaded = loadReport(JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return { code, out, report: loaded.value };
}

describe('preflight validate: numbers with a decimal comma', () => {
  it('reads them as numbers, says so in the summary and the report', async () => {
    const { code, out, report } = await reportOf(['vitals.csv', '--schema', 'vitals.json']);
    expect(code).toBe(0);
    expect(report.summary.invalid).toBe(0);
    expect(out).toMatch(/vitals\.csv \(utf-8, ";", CRLF\): 300 records, 0 invalid/);
    expect(out).toMatch(
      /Read by a choice: type decimal comma .*numbers in column temp_c are read with a decimal comma/,
    );
    expect(out).toMatch(/Not checked: 1 column the contract does not name \(ward\)/);
    const lines = report.inputs[0]?.notRead ?? [];
    expect(lines.map((l) => [l.kind, l.name, l.handling])).toEqual([
      ['type', 'decimal comma', 'interpreted'],
      ['column', 'ward', 'not-used'],
    ]);
  });

  it('--decimal . reads no comma: every temperature fails as not a number', async () => {
    const { code, report } = await reportOf(['vitals.csv', '--schema', 'vitals.json', '--decimal', '.']);
    expect(code).toBe(1);
    expect(report.summary.invalid).toBe(300);
    expect(report.inputs[0]?.notRead?.some((l) => l.name === 'decimal comma')).toBe(false);
  });

  it("reads a check set's decimal mark with --project, and --decimal replaces it", async () => {
    const now = '2026-11-29T09:00:00.000Z';
    let project = createProject({ id: 'vitals', name: 'Maple Street', now });
    project = applyChange(
      project,
      { type: 'schema/put', schema: { id: 'vitals-contract', name: 'vitals.json', schema: VITALS_CONTRACT } },
      now,
    );
    project = applyChange(
      project,
      {
        type: 'dataset/put',
        dataset: {
          id: 'vitals',
          name: 'vitals.csv',
          kind: 'csv',
          bytes: 1,
          columns: ['patient_id', 'temp_c', 'ward'],
          delimiter: ';',
          origin: { type: 'file' },
          contract: 'vitals-contract',
          decimalMark: ',',
        },
      },
      now,
    );
    await writeProjectFile(dir, 'project.json', project);
    const saved = await reportOf(['vitals.csv', '--project', 'project.json']);
    expect(saved.report.summary.invalid).toBe(0);
    expect(saved.report.inputs[0]?.notRead?.[0]?.effect).toMatch(/as chosen for this file/);
    const { code, report } = await reportOf(['vitals.csv', '--project', 'project.json', '--decimal', '.']);
    expect(code).toBe(1);
    expect(report.summary.invalid).toBe(300);
  });

  it('refuses a decimal mark that is not one', async () => {
    const { code, err } = await runCli(['validate', 'vitals.csv', '--decimal', ';'], dir);
    expect(code).toBe(2);
    expect(err).toMatch(/--decimal must be "\." or ","/);
  });
});

describe('preflight validate: a Parquet file', () => {
  it("names it as Parquet, reads Impala's INT96 as wall-clock time and says so", async () => {
    const { code, out, report } = await reportOf(['alltypes_plain.parquet', '--schema', 'stamps.json']);
    expect(out).toMatch(/alltypes_plain\.parquet \(Parquet\): 8 records, 8 invalid/);
    expect(out).not.toMatch(/utf-8/);
    expect(out).toMatch(/Read by a choice: type INT96 .*wall-clock time.*Impala/);
    expect(code).toBe(1);
    const input = report.inputs[0];
    expect(input?.fileFormat).toBe('parquet');
    expect(input?.encoding).toBeUndefined();
    expect(input?.notRead?.find((l) => l.name === 'INT96')).toMatchObject({
      kind: 'type',
      handling: 'interpreted',
    });
    // every other column is read but not named by the contract: not checked
    expect(input?.notRead?.filter((l) => l.kind === 'column').map((l) => l.name)).toEqual([
      'bool_col',
      'tinyint_col',
      'smallint_col',
      'int_col',
      'bigint_col',
      'float_col',
      'double_col',
      'date_string_col',
      'string_col',
    ]);
  });

  it('--int96 utc reads them as instants: the date-time check passes, and the choice is said', async () => {
    const { code, out, report } = await reportOf([
      'alltypes_plain.parquet',
      '--schema',
      'stamps.json',
      '--int96',
      'utc',
    ]);
    expect(code).toBe(0);
    expect(report.summary.invalid).toBe(0);
    expect(out).toMatch(/INT96 .*UTC instants.*as chosen for this file/);
  });
});
