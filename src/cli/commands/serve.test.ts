/**
 * `preflight serve` as a user runs it: usage errors in process (they stop before any server
 * starts), and one real start as a separate process that a SIGTERM stops cleanly, as a service
 * manager stops it — its log key then rotated, which the running server had refused.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_LOCK_FILE } from '../../server/index.ts';
import { runCli } from '../cliTestKit.ts';
import { parseCommandArgs } from '../command.ts';
import { answersCheckedForTests, CHECK_ANSWERS_FOR_TESTS_ENV, serveCommand, trustProxyOf } from './serve.ts';

const CLI = path.resolve(import.meta.dirname, '../preflight.mjs');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('preflight serve', () => {
  it.each([
    [['--port', '8080'], /--data <dir> .* or --database postgres/],
    [['--data', 'd', '--database', 'postgres://u@h/db'], /not both/],
    [['--database', 'mysql://u@h/db'], /must be a PostgreSQL address/],
    [['--database', 'postgres://u:secret@h/db'], /must not carry a password .* PGPASSWORD/],
    [['--data', 'd', '--port', '99999'], /--port must be a whole number from 0 to 65535/],
    [['--data', 'd', '--port=-1'], /--port must be a whole number/],
    [['--data', 'd', '--host', '0.0.0.0', '--insecure-http-for-testing'], /loopback only/],
    [['--data', 'd', 'extra.json'], /takes no file names/],
    [['--data', 'd', '--issuer', 'https://id.clinic.test'], /give both --issuer and --client-id/],
    [
      ['--data', 'd', '--issuer', 'http://id.clinic.test', '--client-id', 'p'],
      /must be an https:\/\/ address/,
    ],
    [
      ['--data', 'd', '--issuer', 'http://127.0.0.1:9', '--client-id', 'p'],
      /plain http only on loopback with --insecure-http-for-testing/,
    ],
    [['--data', 'd', '--issuer', 'not a url', '--client-id', 'p'], /--issuer must be a URL/],
    [
      ['--data', 'd', '--role-claim', 'groups'],
      /--role-claim reads a claim .* give --issuer and --client-id/,
    ],
    [
      ['--data', 'd', '--scope', 'groups'],
      /--scope asks your identity provider .* give --issuer and --client-id/,
    ],
    [
      ['--data', 'd', '--issuer', 'https://id.clinic.test', '--client-id', 'p', '--scope', 'groups,ro"les'],
      /--scope takes scope names separated by commas .* “ro"les” is not one/,
    ],
    [['--data', 'd', '--log-level', 'loud'], /--log-level must be one of fatal, error, warn, info/],
    [['--data', 'd', '--host', '0.0.0.0'], /listens off loopback: give --public-url/],
    [['--data', 'd', '--trust-proxy'], /proxy in front: give --public-url/],
    [['--data', 'd', '--public-url', 'preflight.clinic.org'], /--public-url must be a URL/],
    [['--data', 'd', '--public-url', 'https://preflight.clinic.org/team'], /an origin only, without a path/],
    [['--data', 'd', '--public-url', 'https://preflight.clinic.org/?a=1'], /an origin only/],
    [['--data', 'd', '--public-url', 'ftp://preflight.clinic.org'], /must be an https:\/\/ address/],
    [['--data', 'd', '--public-url', 'http://preflight.clinic.org'], /plain http only for a loopback name/],
    [
      ['--data', 'd', '--public-url', 'https://preflight.clinic.org', '--trust-proxy', '1'],
      /not a hop count/,
    ],
    [
      ['--data', 'd', '--public-url', 'https://preflight.clinic.org', '--trust-proxy', '10.0.0.5,nginx'],
      /the proxies' addresses or CIDR ranges/,
    ],
    [
      ['--data', 'd', '--public-url', 'https://preflight.clinic.org', '--trust-proxy', '10.0.0.0/33'],
      /the proxies' addresses or CIDR ranges/,
    ],
  ])('refuses %j, saying what to give instead (exit 2)', async (args, says) => {
    const { code, err } = await runCli(['serve', ...args], tmpdir());
    expect(code).toBe(2);
    expect(err).toMatch(says);
    expect(err).not.toMatch(/secret/);
  });

  it.each([
    [['--to-issuer', 'https://b.test', '--data', 'd'], /--from-issuer/],
    [['--from-issuer', 'https://a.test', '--to-issuer', 'https://a.test', '--data', 'd'], /are the same/],
    [['--from-issuer', 'a', '--to-issuer', 'https://b.test', '--data', 'd'], /--from-issuer must be a URL/],
    [
      ['--from-issuer', 'https://a.test', '--to-issuer', 'https://b.test', '--by', 'name'],
      /--by must be one of sub/,
    ],
    [['--from-issuer', 'https://a.test', '--to-issuer', 'https://b.test'], /--data <dir> or --database/],
  ])('serve relink refuses %j, saying what to give instead (exit 2)', async (args, says) => {
    const { code, err } = await runCli(['serve', 'relink', ...args], tmpdir());
    expect(code).toBe(2);
    expect(err).toMatch(says);
  });

  it('serve relink moves nobody from a folder with no database, and never makes one', async () => {
    // a folder no one made: the test's own parent (the process id is every worker thread's alike)
    const parent = await mkdtemp(path.join(tmpdir(), 'preflight-relink-'));
    const dir = path.join(parent, 'data');
    const args = ['serve', 'relink', '--from-issuer', 'https://a.test', '--to-issuer', 'https://b.test'];
    const dry = await runCli([...args, '--data', dir], tmpdir());
    expect(dry).toMatchObject({
      code: 0,
      out: expect.stringMatching(/no team server database .* nobody to move/),
    });
    expect((await runCli([...args, '--data', dir, '--apply'], tmpdir())).code).toBe(2);
    expect(existsSync(dir)).toBe(false);
    await rm(parent, { recursive: true, force: true });
  });

  it.each([
    [[], undefined],
    [['--trust-proxy'], ['loopback']],
    [['--trust-proxy', '--data', 'd'], ['loopback']],
    [
      ['--trust-proxy', '10.0.0.5, 10.1.0.0/16'],
      ['10.0.0.5', '10.1.0.0/16'],
    ],
    [['--trust-proxy=fd00::/8,::1,uniquelocal'], ['fd00::/8', '::1', 'uniquelocal']],
  ])('reads %j as trusting the proxies %j, never every client', (args, proxies) => {
    expect(trustProxyOf(parseCommandArgs(args, serveCommand.options))).toEqual(proxies);
  });

  it.each([
    [{ [CHECK_ANSWERS_FOR_TESTS_ENV]: '1' }, true],
    [{ [CHECK_ANSWERS_FOR_TESTS_ENV]: 'yes' }, false],
    [{}, false],
  ])('checks its answers against the contracts only when a test asks (%j)', (env, checked) => {
    expect(answersCheckedForTests(env)).toBe(checked);
  });

  it('starts on a free port with --port 0, answers, and stops cleanly on SIGTERM', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-serve-'));
    dirs.push(dir);
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--port', '0', '--data', 'server-data', '--insecure-http-for-testing'],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, [CHECK_ANSWERS_FOR_TESTS_ENV]: '1' },
      },
    );
    const exited = once(child, 'close');
    const output: string[] = [];
    const started = new Promise<string>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        const url = /team server at (http:\/\/127\.0\.0\.1:\d+) \(embedded database in .*server-data\)/.exec(
          line,
        )?.[1];
        if (url) resolve(url);
      });
    });
    const url = await Promise.race([started, exited.then(() => undefined)]);
    expect(url, output.join('\n')).toBeDefined();
    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toEqual({
      status: 'ok',
      database: 'embedded',
      auditLog: { status: 'ok', checkedAt: expect.any(String) },
    });
    // one writer per folder: a second server on it is refused, naming the first
    const second = await runCli(['serve', '--port', '0', '--data', 'server-data'], dir);
    expect(second.code).toBe(2);
    expect(second.err).toMatch(new RegExp(`another Preflight server .*process ${child.pid} on `));
    // the running server copies its own folder when asked: the request crosses processes
    const backup = await runCli(['serve', 'backup', '--data', 'server-data', '-o', 'server.tar.gz'], dir);
    expect(backup).toMatchObject({ code: 0, err: '' });
    expect(backup.out).toMatch(`copied by its running server (process ${child.pid})`);
    expect(existsSync(path.join(dir, 'server.tar.gz'))).toBe(true);
    // the log key is rotated with the server stopped: a running one holds the folder
    const busy = await runCli(['serve', 'rotate-log-key', '--data', 'server-data'], dir);
    expect(busy.code).toBe(2);
    expect(busy.err).toMatch(/stop the server first/);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'server-data', DATA_LOCK_FILE))).toBe(false);
    const logLines = output.map((line) => (line.startsWith('{') ? JSON.parse(line) : {}));
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'request', method: 'GET', route: '/api/health', status: 200 }),
    );
    // what an administrator audits from the log alone: the migrations a start applied, the backups taken
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'database migrated', migrations: expect.arrayContaining([1]) }),
    );
    expect(logLines).toContainEqual(
      expect.objectContaining({ msg: 'backup written', backup: path.join(dir, 'server.tar.gz') }),
    );
    expect(output.join('\n')).toMatch(/stopped \(SIGTERM\): requests in flight finished, database closed/);
    // stopped, its key kept in the database moves to a key file with its rotation
    const rotated = await runCli(
      ['serve', 'rotate-log-key', '--data', 'server-data', '--log-key', 'log-key.pem'],
      dir,
    );
    expect(rotated).toMatchObject({ code: 0, err: '' });
    expect(rotated.out).toMatch(
      /Rotated the team server's audit log signing key:\n {2}from [0-9a-f]{64} .*\n {2}to {3}[0-9a-f]{64}/,
    );
    expect(rotated.out).toMatch(/serves all 2 keys.*\n.*Start the server again with --log-key log-key\.pem/);
    expect(rotated.out).toContain("The retired key's private half is wiped from the database");
    expect(existsSync(path.join(dir, 'log-key.pem'))).toBe(true);
  }, 180_000);
});
