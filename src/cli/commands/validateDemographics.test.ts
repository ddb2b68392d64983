/**
 * The demographic columns compared between records sharing a key, guessed from the header when
 * `--demographics` is not given: Synthea's `FIRST`, `LAST`, `BIRTHDATE` and `GENDER` are found, on
 * both engines, so a repeated patient id with another birth date or sex is a conflict.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;

// a Synthea-shaped patients file: one id twice, with another birth date and sex the second time
const SYNTHEA = [
  'Id,BIRTHDATE,DEATHDATE,FIRST,LAST,GENDER,CITY',
  'a1,1980-02-03,,Ana,Reyes,F,Boston',
  'b2,1975-06-07,,Ben,Okafor,M,Salem',
  'a1,1981-02-03,,Ana,Reyes,M,Boston',
  'c3,1990-10-11,,Cy,Lund,M,Lynn',
  'c3,1990-10-11,,Cy,Lund,M,Lynn',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-demographics-'));
  await writeFile(path.join(dir, 'patients.csv'), `${SYNTHEA}\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('validate --key guesses the demographic columns from the header', () => {
  it.each([['default'], ['duckdb']])('engine %s', async (engine) => {
    const run = await runCli(
      ['validate', 'patients.csv', '--key', 'patients.Id', '--engine', engine, '--json'],
      dir,
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as Report;
    const conflicts = report.crossFile.conflictingRecords ?? [];
    // a1 differs in birth date and sex; c3 is the same record twice
    expect(conflicts.map((c) => [c.column, c.columns])).toEqual([['Id', ['BIRTHDATE', 'GENDER']]]);
  });

  it('--demographics chooses them instead', async () => {
    const run = await runCli(
      ['validate', 'patients.csv', '--key', 'patients.Id', '--demographics', 'CITY', '--json'],
      dir,
    );
    const report = JSON.parse(run.out) as Report;
    expect(report.crossFile.conflictingRecords ?? []).toEqual([]);
  });
});
