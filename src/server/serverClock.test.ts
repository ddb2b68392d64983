/**
 * The server's clock against its database's, on both engines: the server's clock moved by the
 * tests' clock injection, the database's real. Told at start (a log line naming both times, the
 * bound and what to do) and at every health check, before the audit log's bound refuses changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { createServer } from './app.ts';
import { appendAudit, type Database, migrate } from './index.ts';
import { AUDIT_AHEAD_BOUND, AUDIT_AHEAD_BOUND_MS, CLOCK_APART_WARN_MS, clockApart } from './serverClock.ts';
import { fileTestEngines } from './testing/databases.ts';

const MINUTE = 60_000;
const testEngines = fileTestEngines();
// PostgreSQL where installed (CI has it): one case, the start line and health on the other engine
const engines =
  postgresBinDir() === undefined ? (['embedded'] as const) : (['embedded', 'postgres'] as const);

describe('the clocks compared', () => {
  const database = Date.UTC(2026, 10, 27, 9);
  it.each([
    { description: 'equal', ahead: 0, said: undefined },
    { description: 'just within a minute ahead', ahead: CLOCK_APART_WARN_MS, said: undefined },
    { description: 'just within a minute behind', ahead: -CLOCK_APART_WARN_MS, said: undefined },
    {
      description: 'two minutes ahead',
      ahead: 2 * MINUTE,
      said: /^the server's clock \(2026-11-27T09:02:00\.000Z\) is 2 minutes ahead of the database's \(2026-11-27T09:00:00\.000Z\), more than 1 minute: changes will be refused once it is 5 minutes ahead; set both clocks from the same time source/,
    },
    {
      description: 'at the bound ahead, still taken',
      ahead: AUDIT_AHEAD_BOUND_MS,
      said: /is 5 minutes ahead .*: changes will be refused once/,
    },
    {
      description: 'past the bound ahead',
      ahead: AUDIT_AHEAD_BOUND_MS + 1_000,
      said: /past the audit log's bound of 5 minutes ahead: every change will be refused until you set both clocks from the same time source \(NTP\), as docs\/deployment\.md says$/,
    },
    {
      description: 'two minutes behind',
      ahead: -2 * MINUTE,
      said: /^the server's clock \(2026-11-27T08:58:00\.000Z\) is 2 minutes behind the database's .*: audit entries are dated by the server's clock, so they are dated early; set both clocks/,
    },
  ])('$description', ({ ahead, said }) => {
    const apart = clockApart({ server: database + ahead, database });
    if (said === undefined) expect(apart).toBeUndefined();
    else {
      expect(apart?.message).toMatch(said);
      expect(apart).toMatchObject({ aheadMs: ahead, changesRefused: ahead > AUDIT_AHEAD_BOUND_MS });
    }
  });
});

describe.each(engines)('the server’s clock against its database’s (%s)', (engine) => {
  let db: Database | undefined;
  const running: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of running.splice(0)) await close();
    await db?.close();
    db = undefined;
  });

  /** A fresh database, migrated. */
  const open = async () => {
    db = await testEngines.running().open(engine);
    await migrate(db);
    return db;
  };

  /** A server on `on` whose clock runs `offset()` ahead of the machine's, and its log lines. */
  const serverAhead = async (on: Database, offset: () => number, lines: Record<string, unknown>[] = []) => {
    const app = await createServer({
      checkAnswers: true,
      db: on,
      clock: () => Date.now() + offset(),
      log: { level: 'info', stream: { write: (line) => lines.push(JSON.parse(line)) } },
    });
    running.push(() => app.close());
    const health = async () => (await app.inject({ method: 'GET', url: '/api/health' })).json();
    return { lines, health, close: () => app.close() };
  };
  const clockLines = (lines: Record<string, unknown>[]) =>
    lines.filter((line) => String(line.msg).startsWith('server-clock-apart'));

  it('says at start and in the health check that changes will be refused past the bound, and stops once the clocks agree', async () => {
    const on = await open();
    let offset = AUDIT_AHEAD_BOUND_MS + MINUTE;
    // a first start makes the log key, an audit entry the database refuses: the line says why first
    const first: Record<string, unknown>[] = [];
    await expect(serverAhead(on, () => offset, first)).rejects.toThrow(/set its clock and the database's/);
    expect(clockLines(first)).toHaveLength(1);
    // a server whose key was made while its clock was right starts, and says every change will fail
    await (await serverAhead(on, () => 0)).close();
    const { lines, health } = await serverAhead(on, () => offset);
    const [start] = clockLines(lines);
    expect(start).toMatchObject({
      level: 50,
      aheadMs: expect.any(Number),
      boundMs: AUDIT_AHEAD_BOUND_MS,
      serverClock: expect.stringMatching(/Z$/),
      databaseClock: expect.stringMatching(/Z$/),
    });
    expect(start?.msg).toMatch(
      /is 6 minutes ahead of the database's .*every change will be refused until you set both clocks from the same time source/,
    );
    const refused = await health();
    // out of service while every change would be refused (writeRefusals.test.ts: the 503)
    expect(refused.status).toBe('writes-refused');
    expect(refused.writesRefused).toMatchObject({ code: 'server-clock-ahead' });
    expect(refused.warnings).toEqual([
      expect.stringMatching(/^server-clock-apart: .*every change will be refused/),
    ]);
    expect(refused.clock).toMatchObject({ changesRefused: true, aheadMs: expect.any(Number) });
    expect(Math.abs(refused.clock.aheadMs - offset)).toBeLessThan(CLOCK_APART_WARN_MS);
    expect(Date.parse(refused.clock.server) - Date.parse(refused.clock.database)).toBe(refused.clock.aheadMs);

    // the clock set right while it runs: the next check says nothing
    offset = 0;
    expect(await health()).toEqual({ status: 'ok', database: engine, auditLog: expect.any(Object) });
  });

  it('is the bound the database’s append function keeps: an entry dated within it taken, past it refused', async () => {
    const on = await open();
    const entry = (aheadMs: number) =>
      on.transaction((tx) => appendAudit(tx, { at: Date.now() + aheadMs, kind: 'sign-out', actor: null }));
    // half a minute either side: room for the test's own delay, far inside any bound in minutes
    await expect(entry(AUDIT_AHEAD_BOUND_MS - 30_000)).resolves.toMatchObject({ seq: 1 });
    await expect(entry(AUDIT_AHEAD_BOUND_MS + 30_000)).rejects.toThrow(
      `more than ${AUDIT_AHEAD_BOUND} after`,
    );
  });

  it.skipIf(engine === 'postgres')('warns of a drift within the bound, and of a clock behind', async () => {
    let offset = 2 * MINUTE;
    const { lines, health } = await serverAhead(await open(), () => offset);
    expect(clockLines(lines)).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(
          /ahead of the database's .*changes will be refused once it is 5 minutes ahead/,
        ),
      }),
    ]);
    expect((await health()).clock).toMatchObject({ changesRefused: false });
    offset = -2 * MINUTE;
    const behind = await health();
    expect(behind.warnings).toEqual([expect.stringMatching(/^server-clock-apart: .* behind the database's/)]);
    expect(behind.clock).toMatchObject({ changesRefused: false, aheadMs: expect.any(Number) });
    expect(behind.clock.aheadMs).toBeLessThan(-CLOCK_APART_WARN_MS);
  });

  it.skipIf(engine === 'postgres')('says nothing when the clocks agree', async () => {
    const { lines, health } = await serverAhead(await open(), () => 0);
    expect(clockLines(lines)).toEqual([]);
    const answer = await health();
    expect(answer.warnings).toBeUndefined();
    expect(answer.clock).toBeUndefined();
  });
});
