/** `preflight fhir write` through main(), against the local server: exit codes 0 / 1 / 2. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResourceType } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import type { TransactionSummary } from '../../src/fhir/transaction.ts';
import { type RunningFhirServer, startFhirServer } from './server.ts';
import { signoffLikeBundle } from './transactionBundles.ts';

let server: RunningFhirServer;
let locked: RunningFhirServer;
let dir: string;

beforeAll(async () => {
  [server, locked] = await Promise.all([startFhirServer(), startFhirServer({ token: 'cli-write' })]);
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-fhir-write-'));
  await writeFile(path.join(dir, 'token.txt'), 'cli-write\n');
  await writeFile(path.join(dir, 'signoff.json'), JSON.stringify(signoffLikeBundle('c1')));
  const posted = signoffLikeBundle('c2');
  (posted.entry[3] as { request: object }).request = { method: 'POST', url: 'VerificationResult' };
  await writeFile(path.join(dir, 'posted.json'), JSON.stringify(posted));
  const invalid = signoffLikeBundle('c3');
  const verification = invalid.entry[3]?.resource as { status?: string };
  delete verification.status;
  await writeFile(path.join(dir, 'invalid.json'), JSON.stringify(invalid));
  await writeFile(path.join(dir, 'broken.json'), '{"resourceType": "Bundle",');
}, 120_000);
afterAll(async () => {
  await Promise.all([server?.close(), locked?.close(), rm(dir, { recursive: true, force: true })]);
});

function run(args: string[]) {
  return runCli(['fhir', 'write', ...args], dir);
}

const count = async (s: RunningFhirServer, type: ResourceType) =>
  (await s.repository.searchResources({ resourceType: type })).length;

describe('preflight fhir write', () => {
  it('writes the Bundle (exit 0), and writing it again gives the same records, not copies', async () => {
    const first = await run(['--server', server.baseUrl, 'signoff.json']);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toBe(`4 records written to ${server.origin} in one transaction: 4 created, 0 updated.`);
    const again = await run(['--server', server.baseUrl, 'signoff.json', '--json']);
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.out) as TransactionSummary;
    expect([summary.created, summary.updated]).toEqual([0, 4]);
    expect(summary.entries.map((e) => `${e.index}:${e.resourceType}/${e.id}`)).toEqual([
      '0:Task/c1-task',
      '1:Provenance/c1-decision-1',
      '2:Provenance/c1-decision-2',
      '3:VerificationResult/c1-stratum-1',
    ]);
    expect([await count(server, 'Task'), await count(server, 'Provenance')]).toEqual([1, 2]);
  });

  it('sends the token from --token-file', async () => {
    const { code } = await run(['--server', locked.baseUrl, '--token-file', 'token.txt', 'signoff.json']);
    expect(code).toBe(0);
    expect(await count(locked, 'VerificationResult')).toBe(1);
  });

  it('takes the token from --token-env, and says when that variable is not set', async () => {
    process.env.PREFLIGHT_TEST_FHIR_TOKEN = 'cli-write';
    try {
      const { code } = await run([
        '--server',
        locked.baseUrl,
        '--token-env',
        'PREFLIGHT_TEST_FHIR_TOKEN',
        'signoff.json',
      ]);
      expect(code).toBe(0);
    } finally {
      delete process.env.PREFLIGHT_TEST_FHIR_TOKEN;
    }
    const unset = await run([
      '--server',
      locked.baseUrl,
      '--token-env',
      'PREFLIGHT_TEST_FHIR_TOKEN',
      'signoff.json',
    ]);
    expect(unset.code).toBe(2);
    expect(unset.err).toContain(
      'the environment variable PREFLIGHT_TEST_FHIR_TOKEN must hold one access token',
    );
    const both = await run([
      '--server',
      locked.baseUrl,
      '--token-env',
      'PREFLIGHT_TEST_FHIR_TOKEN',
      '--token-file',
      'token.txt',
      'signoff.json',
    ]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--token-file or --token-env, not both/);
  });

  it('exits 1 when the server refuses the transaction, naming the entry; nothing is written', async () => {
    const before = await count(server, 'Task');
    const { code, err } = await run(['--server', server.baseUrl, 'invalid.json']);
    expect(code).toBe(1);
    expect(err).toContain('refused the transaction (HTTP 400); nothing in it was written.');
    expect(err).toContain('entry 4 (VerificationResult/c3-stratum-1)');
    expect(err).toContain('What to do:');
    expect(await count(server, 'Task')).toBe(before);
  });

  it.each([
    {
      description: 'a POST entry, naming it (a retry would duplicate)',
      args: (base: string) => ['--server', base, 'posted.json'],
      expected: /posted\.json: The Bundle cannot be sent .*entry 4 .*POST.*\n {2}Nothing was sent\./,
    },
    {
      description: 'a file that is not JSON',
      args: (base: string) => ['--server', base, 'broken.json'],
      expected: /"broken\.json" is not valid JSON/,
    },
    {
      description: 'a missing file',
      args: (base: string) => ['--server', base, 'nowhere.json'],
      expected: /cannot read "nowhere\.json" \(ENOENT\)/,
    },
    {
      description: 'a server that wants a token',
      args: () => ['--server', locked.baseUrl, 'signoff.json'],
      expected: /refused the request \(401\)/,
    },
    {
      description: 'no file',
      args: (base: string) => ['--server', base],
      expected: /give one Bundle file/,
    },
    {
      description: 'no server',
      args: () => ['signoff.json'],
      expected: /--server <url>/,
    },
  ])('exits 2 for $description', async ({ args, expected }) => {
    const tasks = await count(server, 'Task');
    const { code, err } = await run(args(server.baseUrl));
    expect(code).toBe(2);
    expect(err).toMatch(expected);
    expect(await count(server, 'Task')).toBe(tasks);
  });

  it('exits 2 when the server is stopped, saying what to check', async () => {
    const stopped = await startFhirServer();
    await stopped.close();
    const { code, err } = await run(['--server', stopped.baseUrl, 'signoff.json']);
    expect(code).toBe(2);
    expect(err).toContain(`Could not reach ${stopped.origin}`);
  });
});
