/**
 * `preflight fhir pull` and `preflight fhir reconcile` through main(), against the local server.
 *
 * These are the commands' wiring (arguments, messages, exit codes, files): the server holds the
 * demo seed of the extract's first {@link ROWS} rows, which has one of each seeded difference.
 * Paging, export and reconcile over the whole 5,000-row demo extract are proven on src/fhir in
 * client.test.ts; only the kill test needs a process of its own.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { loadReconcileResult } from '../../src/formats/reconcileResult.ts';
import { type DemoFhirServer, startDemoFhirServer } from './demoServer.ts';
import { DEMO_PATIENT_MAPPING, demoExtractHead } from './seed.ts';
import { type RunningFhirServer, startFhirServer } from './server.ts';

const CLI = path.resolve(import.meta.dirname, '../../src/cli/preflight.mjs');
const BEFORE_RENAME = path.resolve(import.meta.dirname, '../../src/cli/stopBeforeRename.mjs');
const WHILE_WORKING = path.resolve(import.meta.dirname, '../../src/cli/stopWhileWorking.mjs');

/** Data rows of the demo extract the server is seeded from (200 hold one of each difference). */
const ROWS = 200;
let demo: DemoFhirServer;
let locked: RunningFhirServer;
let dir: string;

beforeAll(async () => {
  demo = await startDemoFhirServer({}, ROWS);
  locked = await startFhirServer({
    token: 'cli-token',
    seed: [{ resourceType: 'Patient', gender: 'other' }],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-fhir-'));
  await writeFile(path.join(dir, 'token.txt'), 'cli-token\n');
  await writeFile(path.join(dir, 'bad-token.txt'), 'not-the-token\n');
  await writeFile(path.join(dir, 'patients.csv'), demoExtractHead(ROWS));
}, 120_000);
afterAll(async () => {
  await Promise.all([demo?.close(), locked?.close(), rm(dir, { recursive: true, force: true })]);
});

function run(args: string[]) {
  return runCli(args, dir);
}

describe('preflight fhir pull', () => {
  it('writes every Patient as NDJSON to --out, page by page, and says how many', async () => {
    const { code, err } = await run([
      'fhir',
      'pull',
      '--server',
      demo.baseUrl,
      '--type',
      'Patient',
      '--out',
      'patients.ndjson',
      '--page-size',
      '50',
    ]);
    expect(code).toBe(0);
    const lines = (await readFile(path.join(dir, 'patients.ndjson'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(demo.patients.length);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(demo.patients.length);
    expect(err).toContain(
      `${demo.patients.length} Patient records written to patients.ndjson. The server does not offer bulk export ($export), so the records were read page by page.`,
    );
    await expect(stat(path.join(dir, 'patients.ndjson.partial'))).rejects.toThrow();
  });

  it('uses $export where offered, and reads page by page with --page-by-page, saying which', async () => {
    const exporting = await startFhirServer({ bulkExport: true, seed: demo.patients.slice(0, 30) });
    try {
      const base = ['fhir', 'pull', '--server', exporting.baseUrl, '--type', 'Patient'];
      const exported = await run([...base, '--out', 'exported.ndjson']);
      expect(exported.code).toBe(0);
      expect(exported.err).toContain(
        '30 Patient records written to exported.ndjson. Read with bulk export ($export), which the server offers.',
      );
      const paged = await run([...base, '--out', 'paged.ndjson', '--page-by-page']);
      expect(paged.code).toBe(0);
      expect(paged.err).toContain(
        '30 Patient records written to paged.ndjson. Read page by page, as chosen, although the server offers bulk export ($export).',
      );
      const ids = async (name: string) =>
        (await readFile(path.join(dir, name), 'utf8'))
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { id: string }).id)
          .sort();
      expect(await ids('paged.ndjson')).toEqual(await ids('exported.ndjson'));
    } finally {
      await exporting.close();
    }
  });

  it('keeps the earlier file when killed while it reads or as it puts the new one in place, and the next pull says so', async () => {
    const args = ['fhir', 'pull', '--server', demo.baseUrl, '--type', 'Patient', '--out', 'killed.ndjson'];
    const interrupted =
      'an earlier run was stopped before it finished "killed.ndjson": its unfinished copy "killed.ndjson.partial" was removed, and "killed.ndjson" was left as it was before that run.';
    await writeFile(path.join(dir, 'killed.ndjson'), 'the earlier pull\n');
    // each gate stops the run and says so on stderr: the kill waits on that line
    const killedOn = async (gate: string, line: string) => {
      const child = spawn(process.execPath, ['--import', gate, CLI, ...args], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let said = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        said += text;
        if (said.includes(line)) child.kill('SIGKILL');
      });
      const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
      expect(signal).toBe('SIGKILL');
      return said;
    };

    // while it works: connected, its file marked, nothing written yet
    await killedOn(WHILE_WORKING, 'stopped while working, before writing killed.ndjson');
    expect(await readFile(path.join(dir, 'killed.ndjson'), 'utf8')).toBe('the earlier pull\n');
    expect(await readFile(path.join(dir, 'killed.ndjson.partial'), 'utf8')).toBe('');

    // as it puts the file in place: at its start it named the run before
    const said = await killedOn(BEFORE_RENAME, 'stopped before renaming killed.ndjson');
    expect(said).toContain(interrupted);
    expect(await readFile(path.join(dir, 'killed.ndjson'), 'utf8')).toBe('the earlier pull\n');
    const partial = (await readFile(path.join(dir, 'killed.ndjson.partial'), 'utf8')).trim().split('\n');
    expect(partial).toHaveLength(demo.patients.length);

    const { code, err } = await run(args);
    expect(code).toBe(0);
    expect(err).toContain(interrupted);
    expect((await readFile(path.join(dir, 'killed.ndjson'), 'utf8')).trim().split('\n')).toHaveLength(
      demo.patients.length,
    );
    await expect(stat(path.join(dir, 'killed.ndjson.partial'))).rejects.toThrow();
  }, 60_000);

  it('writes to stdout without --out, with a token from --token-file', async () => {
    const { code, out } = await run([
      'fhir',
      'pull',
      '--server',
      locked.baseUrl,
      '--token-file',
      'token.txt',
      '--type',
      'Patient',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ resourceType: 'Patient', gender: 'other' });
  });

  it.each([
    {
      description: 'no token',
      extra: [],
      expected: /refused the request \(401\)[\s\S]*What to do: .*access token/,
    },
    {
      description: 'a refused token',
      extra: ['--token-file', 'bad-token.txt'],
      expected: /refused the request \(401\)/,
    },
    {
      description: 'a missing token file',
      extra: ['--token-file', 'nope.txt'],
      expected: /cannot read the token file "nope.txt" \(ENOENT\)/,
    },
  ])('exits 2 with what to do for $description', async ({ extra, expected }) => {
    const { code, err, out } = await run([
      'fhir',
      'pull',
      '--server',
      locked.baseUrl,
      ...extra,
      '--type',
      'Patient',
    ]);
    expect(code).toBe(2);
    expect(err).toMatch(expected);
    expect(err).not.toContain('not-the-token');
    expect(out).toBe('');
  });

  it.each(['fhir-kit-client:*', '*', 'express,fhir-kit-client:info'])(
    'refuses to run when DEBUG=%s would print tokens and records',
    async (value) => {
      vi.stubEnv('DEBUG', value);
      try {
        const { code, err } = await run(['fhir', 'pull', '--server', demo.baseUrl, '--type', 'Patient']);
        expect(code).toBe(2);
        expect(err).toMatch(/Unset DEBUG/);
      } finally {
        vi.unstubAllEnvs();
      }
    },
  );

  it('exits 2 for a stopped server, naming it and what to check', async () => {
    const stopped = await startFhirServer();
    await stopped.close();
    const { code, err } = await run([
      'fhir',
      'pull',
      '--server',
      stopped.baseUrl,
      '--type',
      'Patient',
      '--out',
      'x.ndjson',
    ]);
    expect(code).toBe(2);
    expect(err).toContain(`Could not reach ${stopped.origin}`);
    expect(err).toMatch(/What to do: Check the address and that the server is running/);
  });

  it.each([
    { args: ['fhir', 'pull', '--type', 'Patient'], expected: /--server/ },
    { args: ['fhir', 'pull', '--server', 'http://127.0.0.1:1/fhir'], expected: /--type/ },
    {
      args: ['fhir', 'pull', '--server', 'http://127.0.0.1:1/fhir', '--type', 'patient; drop'],
      expected: /--type/,
    },
    {
      args: ['fhir', 'pull', '--server', 'http://127.0.0.1:1/fhir', '--type', 'Patient', '--page-size', '0'],
      expected: /--page-size/,
    },
  ])('exits 2 for bad usage: $args', async ({ args, expected }) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(expected);
  });
});

describe('preflight fhir reconcile', () => {
  it('prints what differs and exits 1', async () => {
    const { code, out } = await run([
      'fhir',
      'reconcile',
      '--server',
      demo.baseUrl,
      'patients.csv',
      '--mapping',
      DEMO_PATIENT_MAPPING,
    ]);
    expect(code).toBe(1);
    const { manifest } = demo;
    expect(out).toContain(`missing on the server: ${manifest.missing.length + manifest.notLoaded.length}`);
    expect(out).toContain(`on the server but not in the file: ${manifest.extra.length}`);
    expect(out).toContain(`birth date differs: ${manifest.birthDate.length}`);
    expect(out).toContain(`sex differs: ${manifest.sex.length}`);
    expect(out).toContain(`name differs: ${manifest.name.length}`);
    // names and birth dates never appear: only identifiers and rows
    const changed = demo.patients.find((p) => p.identifier?.[0]?.value === manifest.birthDate[0]);
    expect(out).not.toContain(changed?.birthDate as string);
    expect(out).not.toContain(changed?.name?.[0]?.family as string);
  });

  it('prints the result as JSON with --json, as its format says', async () => {
    const { code, out } = await run([
      'fhir',
      'reconcile',
      '--server',
      demo.baseUrl,
      'patients.csv',
      '--mapping',
      DEMO_PATIENT_MAPPING,
      '--json',
      '--examples',
      '1',
    ]);
    expect(code).toBe(1);
    // what scripts read is what the schema and the loader say (a renamed field fails here)
    const loaded = loadReconcileResult(JSON.parse(out));
    if (!loaded.ok) expect.fail(JSON.stringify(loaded.problems));
    const result = loaded.value;
    expect(result.format).toBe('preflight.reconcile-result/v1');
    expect(result.extraOnServer.count).toBe(demo.manifest.extra.length);
    expect(result.missingOnServer.count).toBe(demo.manifest.missing.length + demo.manifest.notLoaded.length);
    expect(result.missingOnServer.count).toBeGreaterThan(1);
    expect(result.missingOnServer.examples).toHaveLength(1);
  });

  it('exits 0 when the server holds exactly the file', async () => {
    const csv =
      'patient_id,mrn,last_name,first_name,middle_name,birth_date,sex,ssn,phone,email,address_line,city,state,postal_code,insurance_member_id,primary_care_provider,allergies,last_visit\nP1,55500001,Lee,Ann,,1970-01-02,F,,,,,,,,,,,\n';
    await writeFile(path.join(dir, 'one.csv'), csv);
    const server = await startFhirServer({
      seed: [
        {
          resourceType: 'Patient',
          identifier: [
            { system: 'https://maple-street-family-practice.example.org/fhir/sid/mrn', value: '55500001' },
          ],
          name: [{ use: 'official', family: 'Lee', given: ['Ann'] }],
          birthDate: '1970-01-02',
          gender: 'female',
        },
      ],
    });
    try {
      const { code, out } = await run([
        'fhir',
        'reconcile',
        '--server',
        server.baseUrl,
        'one.csv',
        '--mapping',
        DEMO_PATIENT_MAPPING,
      ]);
      expect(out).toContain('The server holds exactly the patients of the file.');
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it.each([
    {
      description: 'a missing file',
      file: 'missing.csv',
      mapping: DEMO_PATIENT_MAPPING,
      expected: /cannot read "missing.csv" \(ENOENT\)/,
    },
    {
      description: 'a missing mapping',
      file: 'patients.csv',
      mapping: 'none.json',
      expected: /cannot read the mapping "none.json"/,
    },
  ])('exits 2 for $description', async ({ file, mapping, expected }) => {
    const { code, err } = await run([
      'fhir',
      'reconcile',
      '--server',
      demo.baseUrl,
      file,
      '--mapping',
      mapping,
    ]);
    expect(code).toBe(2);
    expect(err).toMatch(expected);
  });

  it('is listed by --help', async () => {
    const { out } = await run(['--help']);
    expect(out).toContain('fhir pull');
    expect(out).toContain('fhir reconcile');
  });
});
