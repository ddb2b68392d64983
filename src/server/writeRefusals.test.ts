/**
 * The server says what it cannot do, on both engines: a write refused for a cause no request can
 * put right (a full disk, a clock past the audit log's bound) reaches the person in words through
 * the refusal the app already shows (503 with a `code`), IT as one log line naming the cause and
 * the database (no stack trace, no record content), and `/api/health` answers 503 while writes
 * would be refused, in service again once the cause is gone.
 *
 * The full disk is a fault injected at the data-access layer, not a real one: filling a volume
 * needs a mount of its own (root, a tmpfs), which a portable suite cannot make. The wrapper throws
 * each engine's own error class (`pg`'s and PGlite's `DatabaseError`) with PostgreSQL's SQLSTATE
 * for it (53100 `disk_full`) and its words, on every write and at the end of every transaction,
 * while reads go through, as a database whose disk is full behaves. PGlite on a full tmpfs raised
 * exactly that: 53100 with `could not extend file "base/5/16384": No space left on device` (reads
 * still answered, and writes went on once room was made), or, when the fault hit its WAL,
 * `could not write to file "pg_wal/xlogtemp.42": …` after which it answered nothing more — the
 * silent database the last case here stands in for.
 */
import { messages } from '@electric-sql/pglite';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { createServer } from './app.ts';
import { HEALTH_PROBE_MS } from './healthProbe.ts';
import { CSRF_HEADER, type Database, migrate, type Queryable, SESSION_COOKIE } from './index.ts';
import { AUDIT_AHEAD_BOUND_MS } from './serverClock.ts';
import { signIn } from './sessions.ts';
import { fileTestEngines } from './testing/databases.ts';
import { createWriteWatch, writeFault } from './writeRefusals.ts';

const testEngines = fileTestEngines();
const engines =
  postgresBinDir() === undefined ? (['embedded'] as const) : (['embedded', 'postgres'] as const);

/** PostgreSQL's words when a table cannot grow on a full disk. */
const DISK_FULL_WORDS = 'could not extend file "base/5/16384": No space left on device';

/** The error each engine raises on a full disk: its own class, SQLSTATE 53100. */
function diskFullError(engine: 'embedded' | 'postgres'): Error {
  const error =
    engine === 'postgres'
      ? new pg.DatabaseError(DISK_FULL_WORDS, 0, 'error')
      : new messages.DatabaseError(DISK_FULL_WORDS, 0, 'error');
  error.code = '53100';
  error.severity = 'ERROR';
  return error;
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE)\b/i;

/**
 * `db` whose writes fail as on a full disk while `full()`: each write, and every commit; while
 * `silent()`, no statement is ever answered.
 */
function withDiskFull(db: Database, full: () => boolean, silent: () => boolean = () => false): Database {
  const fault = () => Promise.reject(diskFullError(db.engine));
  const guard = (q: Queryable): Queryable => ({
    query: ((sql: string, params?: readonly unknown[]) =>
      silent()
        ? new Promise(() => undefined)
        : full() && WRITE.test(sql)
          ? fault()
          : q.query(sql, params)) as Queryable['query'],
    exec: (sql) => (full() ? fault() : q.exec(sql)),
  });
  return {
    ...db,
    ...guard(db),
    transaction: (work) =>
      db.transaction(async (tx) => {
        const result = await work(guard(tx));
        if (full()) await fault();
        return result;
      }),
  };
}

describe('the causes that refuse every write', () => {
  const postgres = { engine: 'postgres', where: '/run/postgresql:5432/preflight' } as const;
  it.each([
    { description: 'a full disk (SQLSTATE)', error: { code: '53100', message: 'x' }, code: 'disk-full' },
    { description: 'a full disk (the system)', error: { code: 'ENOSPC', message: 'x' }, code: 'disk-full' },
    {
      description: 'a full disk (the words alone)',
      error: { message: 'could not write to file "pg_wal/xlogtemp.1": No space left on device' },
      code: 'disk-full',
    },
    { description: 'a standby', error: { code: '25006', message: 'x' }, code: 'database-read-only' },
    {
      description: 'an administrator’s shutdown',
      error: { code: '57P01', message: 'x' },
      code: 'database-unreachable',
    },
    {
      description: 'a refused connection',
      error: { code: 'ECONNREFUSED', message: 'x' },
      code: 'database-unreachable',
    },
    {
      description: 'the audit log’s clock bound',
      error: {
        code: 'P0001',
        message:
          "the audit log takes no entry dated ahead of the database's clock: entry 4 is dated 2026-11-27T09:10:00.000Z, more than 5 minutes after …",
      },
      code: 'server-clock-ahead',
    },
    {
      description: 'a unique violation (this request’s own)',
      error: { code: '23505', message: 'x' },
      code: undefined,
    },
    { description: 'a defect', error: new TypeError('x is undefined'), code: undefined },
  ])('$description', ({ error, code }) => {
    expect(writeFault(error, postgres)?.code).toBe(code);
  });

  it('names the database for IT, never its user or password', () => {
    expect(writeFault({ code: '53100', message: 'x' }, postgres)?.it).toBe(
      "writes refused: the disk of the clinic's PostgreSQL at /run/postgresql:5432/preflight is full (53100); free space on it (or grow the volume), and writes resume without a restart",
    );
  });

  it('keeps when a cause began while it lasts, and forgets it once a write is saved', () => {
    const watch = createWriteWatch();
    const fault = writeFault({ code: '53100', message: 'x' }, postgres);
    if (fault === undefined) throw new Error('a full disk is a fault');
    watch.refused(fault, 1);
    watch.refused(fault, 5);
    expect(watch.current()).toMatchObject({ code: 'disk-full', since: 1, lastSeen: 5 });
    watch.gone('server-clock-ahead');
    expect(watch.current()?.code).toBe('disk-full');
    watch.saved();
    expect(watch.current()).toBeUndefined();
  });
});

describe.each(engines)('the server says what it cannot do (%s)', (engine) => {
  let db: Database | undefined;
  const running: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of running.splice(0)) await close();
    await db?.close();
    db = undefined;
  });

  /** A server on a fresh database with `full()` filling its disk, Lena signed in, and its log. */
  const start = async (full: () => boolean, clock: () => number, silent?: () => boolean) => {
    db = await testEngines.running().open(engine);
    await migrate(db);
    const lines: Record<string, unknown>[] = [];
    const app = await createServer({
      checkAnswers: true,
      db: withDiskFull(db, full, silent),
      // a silent database is said within a second, not after the 5 s a monitor waits
      ...(silent === undefined ? {} : { databaseAnswerMs: 1_000 }),
      clock,
      insecureHttp: true,
      // app.inject asks as localhost
      publicUrl: 'http://localhost',
      log: { level: 'info', stream: { write: (line) => lines.push(JSON.parse(line)) } },
    });
    running.push(() => app.close());
    const { token, session } = await signIn(
      db,
      { issuer: 'https://id.clinic.test', subject: 'lena', name: 'Lena', email: null, emailVerified: false },
      clock(),
      '127.0.0.1',
    );
    const headers = { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: session.csrfToken };
    const makeProject = async (name: string) => {
      const answer = await app.inject({ method: 'POST', url: '/api/projects', headers, payload: { name } });
      return { status: answer.statusCode, body: answer.json() };
    };
    const health = async () => {
      const answer = await app.inject({ method: 'GET', url: '/api/health' });
      return { status: answer.statusCode, body: answer.json() };
    };
    return { lines, makeProject, health };
  };

  it('a full disk: the person reads why, IT the cause and database, and health is 503 until room is made', async () => {
    let full = false;
    let now = Date.now();
    const { lines, makeProject, health } = await start(
      () => full,
      () => now,
    );
    expect((await makeProject('Ward 4')).status).toBe(201);
    expect((await health()).status).toBe(200);

    full = true;
    const refused = await makeProject('Ward 5 oncology');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      code: 'disk-full',
      error:
        "The team server cannot save right now: its disk is full, so nothing was saved there. The clinic's IT can see why in the server's log; try again once they have made room.",
    });
    const told = lines.filter((line) => line.cause === 'disk-full');
    expect(told).toEqual([
      expect.objectContaining({
        level: 50,
        database: engine,
        errorCode: '53100',
        msg: expect.stringMatching(
          engine === 'postgres'
            ? /^writes refused: the disk of the clinic's PostgreSQL at \/.+ is full \(53100\); free space on it/
            : /^writes refused: the disk of the embedded database \(in memory\) is full \(53100\)/,
        ),
      }),
    ]);
    // the cause, not the server's insides, nor what the person typed
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('stack');
    expect(logged).not.toContain('Ward 5');
    expect(lines.some((line) => line.msg === 'request failed')).toBe(false);

    const out = await health();
    expect(out.status).toBe(503);
    expect(out.body).toMatchObject({
      status: 'writes-refused',
      database: engine,
      error: expect.stringMatching(/^writes refused: the disk of .* is full/),
      writesRefused: { code: 'disk-full', since: new Date(now).toISOString() },
    });
    // the probe writes only once it is due, and a disk still full keeps it out of service
    now += HEALTH_PROBE_MS;
    expect((await health()).status).toBe(503);
    // room made: the next due probe saves, and the process is back in service
    full = false;
    expect((await health()).status).toBe(503);
    now += HEALTH_PROBE_MS;
    const back = await health();
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('ok');
    expect(back.body.writesRefused).toBeUndefined();
    expect((await makeProject('Ward 5 oncology')).status).toBe(201);
  });

  it('a clock past the audit log’s bound: health is 503 and a change is refused in words, until it is set right', async () => {
    let offset = 0;
    const { makeProject, health } = await start(
      () => false,
      () => Date.now() + offset,
    );
    offset = AUDIT_AHEAD_BOUND_MS + 60_000;
    const out = await health();
    expect(out.status).toBe(503);
    expect(out.body).toMatchObject({
      status: 'writes-refused',
      clock: { changesRefused: true },
      writesRefused: {
        code: 'server-clock-ahead',
        message: expect.stringMatching(/^writes refused: the server's clock .* past the audit log's bound/),
      },
    });
    const refused = await makeProject('Ward 4');
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      code: 'server-clock-ahead',
      error: expect.stringMatching(/^The team server cannot save right now: its clock is wrong/),
    });
    offset = 0;
    expect((await health()).status).toBe(200);
    expect((await makeProject('Ward 4')).status).toBe(201);
  });
  it('a database that stops answering: health is 503 at once, not a hang, and back once it answers', async () => {
    let silent = false;
    const { health } = await start(
      () => false,
      () => Date.now(),
      () => silent,
    );
    silent = true;
    const out = await health();
    expect(out.status).toBe(503);
    expect(out.body.writesRefused).toMatchObject({
      code: 'database-unreachable',
      message: expect.stringMatching(/ does not answer within 1 s; check that it runs/),
    });
    silent = false;
    expect((await health()).status).toBe(200);
  });
});
