/**
 * `preflight serve --check` against the server's clock and its database's, on both engines: a
 * server started (as `serve` starts it) with its clock moved by the tests' clock injection, the
 * database's real, then the check's health question and verdict. Past the audit log's bound
 * either way the check fails with one line that says both clocks, how far apart, the bound and
 * whose NTP to put right.
 */
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_AHEAD_BOUND_MS, createServer, type Database, migrate } from '../../server/index.ts';
import { fileTestEngines } from '../../server/testing/databases.ts';
import { checkStarted } from './serve.ts';

const MINUTE = 60_000;
const testEngines = fileTestEngines();

describe.each(['embedded', 'postgres'] as const)('serve --check, the clocks compared (%s)', (engine) => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  const installed = () => testEngines.running().engines.some((e) => e.engine === engine);

  /** The check's exit code and lines, of a server on a fresh database whose clock runs `ahead` of it. */
  const check = async (aheadMs: number, storage: Parameters<typeof checkStarted>[1]) => {
    db = await testEngines.running().open(engine);
    await migrate(db);
    // the log key is made at the first start, with an audit entry: made while the clocks agree
    await (await createServer({ db, checkAnswers: true })).close();
    const app = await createServer({ db, checkAnswers: true, clock: () => Date.now() + aheadMs });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const out: string[] = [];
    const err: string[] = [];
    const code = await checkStarted(
      {
        url: `http://127.0.0.1:${port}`,
        stop: async () => {
          await app.close();
          return { cutShort: false };
        },
      },
      storage,
      { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: os.tmpdir() },
    );
    return { code, out, err };
  };
  const here = `this machine (${os.hostname()})`;

  it('fails when the server runs past the bound ahead, naming both clocks, the bound and whose NTP', async (t) => {
    if (!installed()) return t.skip();
    const storage =
      engine === 'embedded'
        ? ({ kind: 'embedded', dir: '/var/lib/preflight' } as const)
        : ({ kind: 'postgres', url: 'postgres://preflight@db.clinic.test:5432/preflight' } as const);
    const { code, out, err } = await check(AUDIT_AHEAD_BOUND_MS + MINUTE, storage);
    expect(code).toBe(2);
    const database = engine === 'embedded' ? here : 'the database server db.clinic.test';
    expect(err).toEqual([
      expect.stringMatching(
        new RegExp(
          `^preflight serve: the server's clock on ${literal(here)} \\(\\S+Z\\) is 6 minutes ahead of the database's on ${literal(database)} \\(\\S+Z\\), further apart than the audit log's bound of 5 minutes: the audit log will refuse every change; set the clock`,
        ),
      ),
    ]);
    expect(err[0]).toMatch(
      engine === 'embedded'
        ? /set the clock of this machine \(.*\) from its time source \(NTP; timedatectl/
        : /set the clocks of this machine \(.*\) and the database server db\.clinic\.test from the same time source \(NTP/,
    );
    expect(out.at(-1)).toBe(
      "check failed: the server's and the database's clocks are further apart than the audit log allows",
    );
  });

  // the wording on one engine: the judgment is the CLI's, from the health answer both engines give
  it('fails when the server runs past the bound behind: its entries would be dated early', async (t) => {
    if (!installed() || engine === 'postgres') return t.skip();
    const { code, err } = await check(-(AUDIT_AHEAD_BOUND_MS + MINUTE), {
      kind: 'postgres',
      url: 'postgres://preflight@localhost/preflight',
    });
    expect(code).toBe(2);
    expect(err).toEqual([
      expect.stringMatching(
        /is 6 minutes behind the database's on this machine .*further apart than the audit log's bound of 5 minutes: every audit entry will be dated that much early; set the clock of this machine/,
      ),
    ]);
  });

  it('passes within the bound, the drift left to the health warning', async (t) => {
    if (!installed() || engine === 'postgres') return t.skip();
    const { code, out, err } = await check(2 * MINUTE, { kind: 'memory' });
    expect(err).toEqual([]);
    expect(out.at(-1)).toMatch(/^check passed: .*clocks compared/);
    expect(code).toBe(0);
  });
});

/** `text` as a literal part of a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
