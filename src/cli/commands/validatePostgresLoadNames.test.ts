/**
 * With `--load`, `--schema <table>=`, `--key <table>.` and `--references <table>.` name the table
 * as docs/cli.md says: each is bound to the file loaded into it, before the server is asked
 * anything (no server here: the run stops at the connection, past the plan).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliTestKit.ts';
import { contractsByInput, keysByInput, referencesByInput } from './validatePostgres.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-pg-names-'));
  await writeFile(path.join(dir, 'c.json'), JSON.stringify({ type: 'object', properties: { mrn: {} } }));
  await writeFile(path.join(dir, 'patients.csv'), 'mrn\r\nP1\r\n');
  await writeFile(path.join(dir, 'v.csv'), 'visit,mrn\r\nV1,P1\r\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--schema <table>= with --load', () => {
  it('names the file loaded into the table', () => {
    expect(
      contractsByInput(['patients=c.json', 'other=d.json', 'e.json'], ['patients'], ['in/p.csv']),
    ).toEqual(['in/p.csv=c.json', 'other=d.json', 'e.json']);
    expect(contractsByInput(['patients=c.json'], ['patients'], [])).toEqual(['patients=c.json']);
  });

  it('is accepted by the CLI: the run gets past its plan to the connection', async () => {
    const run = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        'postgres://nobody@127.0.0.1:1/none',
        '--table',
        'patients',
        '--load',
        'patients.csv',
        '--schema',
        'patients=c.json',
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^preflight validate: cannot connect to the database: /);
  });
});

describe('--key and --references <table>. with --load', () => {
  it('name the file loaded into the table, the longest table name first', () => {
    const tables = ['staging.patients', 'visits', 'staging'];
    const loads = ['in/p.csv', 'in/v.csv', 'in/s.csv'];
    expect(keysByInput(['staging.patients.mrn', 'visits.id', 'mrn', 'other.x'], tables, loads)).toEqual([
      'p.mrn',
      'v.id',
      'mrn',
      'other.x',
    ]);
    expect(referencesByInput(['visits.mrn=staging.patients.mrn', 'a.b=c.d'], tables, loads)).toEqual([
      'in/v.csv.mrn=in/p.csv.mrn',
      'a.b=c.d',
    ]);
    expect(keysByInput(['visits.id'], tables, [])).toEqual(['visits.id']);
    expect(referencesByInput(['visits.mrn=staging.patients.mrn'], tables, [])).toEqual([
      'visits.mrn=staging.patients.mrn',
    ]);
  });

  it('are accepted by the CLI with --demographics: the run gets past its plan to the connection', async () => {
    const run = await runCli(
      [
        'validate',
        '--engine',
        'postgres',
        '--database',
        'postgres://nobody@127.0.0.1:1/none',
        '--table',
        'patients',
        '--load',
        'patients.csv',
        '--table',
        'visits',
        '--load',
        'v.csv',
        '--key',
        'patients.mrn',
        '--references',
        'visits.mrn=patients.mrn',
        '--demographics',
        'mrn',
      ],
      dir,
    );
    expect(run.err).toMatch(/^preflight validate: cannot connect to the database: /);
    expect(run.code).toBe(2);
  });
});
