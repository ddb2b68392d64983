/**
 * The server's PostgreSQL role, on a real PostgreSQL (only the database decides who may alter a
 * table): the owner migrates and grants (`preflight serve migrate --grant-to`), the server runs as
 * the other role, which does its ordinary work but cannot switch off the audit log's append-only
 * trigger and rewrite entries; a server started as the owner is refused, or warns when allowed.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../tests/setup/postgres.ts';
import { runCli } from '../cli/cliTestKit.ts';
import { CSRF_HEADER, type RunningServer, SESSION_COOKIE, startServer } from './index.ts';
import { signIn } from './sessions.ts';
import { TEST_ISSUER } from './testing/people.ts';

const bin = postgresBinDir();
const id = randomBytes(4).toString('hex');
const owner = `owner_${id}`;
const app = `app_${id}`;
let pg: TestPostgres;
const database = `roles_${id}`;
/** the test database's address as `role` */
const as = (role: string) => pg.url(database).replace('postgres://preflight@', `postgres://${role}@`);

beforeAll(async () => {
  if (bin === undefined) return;
  pg = await testPostgres(bin);
  await pg.query(`CREATE ROLE ${owner} LOGIN; CREATE ROLE ${app} LOGIN`);
  // PostgreSQL 15 and later: only the database's owner may create in its public schema
  await pg.query(`CREATE DATABASE ${database} OWNER ${owner}`);
}, 60_000);
afterAll(async () => {
  if (bin === undefined) return;
  await pg.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await pg.query(`DROP ROLE IF EXISTS ${app}; DROP ROLE IF EXISTS ${owner}`);
  await pg.stop();
});

const start = (role: string, tableOwner: 'refuse' | 'warn') =>
  startServer({ storage: { kind: 'postgres', url: as(role) }, port: 0, tableOwner, insecureHttp: true });

describe.skipIf(bin === undefined)('the server’s PostgreSQL role', () => {
  it('refuses the runtime role on a schema its owner has not migrated yet, saying what to run', async () => {
    await expect(start(app, 'refuse')).rejects.toThrow(
      `run "preflight serve migrate --database <the owner's address> --grant-to ${app}"`,
    );
  });

  it('refuses to start as the role that owns the tables, or warns in the log and health when allowed', async () => {
    // allowed, it migrates as before; the tables it made are then its own
    const server = await start(owner, 'warn');
    try {
      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health.warnings).toEqual([
        expect.stringMatching(/^database-role-owns-tables: .* would own the tables it creates/),
      ]);
    } finally {
      await server.stop();
    }
    await expect(start(owner, 'refuse')).rejects.toThrow(
      new RegExp(`${owner} owns the tables, so it could disable the audit log's append-only trigger`),
    );
  });

  it('will not grant the owner as the runtime role (it would protect nothing)', async () => {
    const { code, err } = await runCli(
      ['serve', 'migrate', '--database', as(owner), '--grant-to', owner],
      tmpdir(),
    );
    expect(code).toBe(2);
    expect(err).toMatch(/must be another one, which does not own them/);
  });

  describe('as the runtime role the owner granted', () => {
    let server: RunningServer;
    beforeAll(async () => {
      const { code, err } = await runCli(
        ['serve', 'migrate', '--database', as(owner), '--grant-to', app],
        tmpdir(),
      );
      expect({ code, err }).toEqual({ code: 0, err: '' });
      server = await start(app, 'refuse');
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('does its ordinary work: people sign in again, a project is made, each in the audit log', async () => {
      const person = { issuer: TEST_ISSUER, subject: 'lena', name: 'Lena', email: 'lena@clinic.test' };
      await signIn(server.db, person, Date.now(), '127.0.0.1');
      const { token, session } = await signIn(server.db, person, Date.now(), '127.0.0.1');
      const made = await fetch(`${server.url}/api/projects`, {
        method: 'POST',
        headers: {
          cookie: `${SESSION_COOKIE}=${token}`,
          [CSRF_HEADER]: session.csrfToken,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'Go-live' }),
      });
      expect(made.status).toBe(201);
      const kinds = await server.db.query<{ kind: string }>('SELECT kind FROM audit_log ORDER BY seq');
      // the log key is made at the server's first start, before anyone signs in
      expect(kinds.map((k) => k.kind)).toEqual(['log-key-created', 'sign-in', 'sign-in', 'project-created']);
    });

    it('cannot disable the append-only trigger and rewrite or remove an entry', async () => {
      const db = server.db;
      await expect(db.exec('ALTER TABLE audit_log DISABLE TRIGGER USER')).rejects.toThrow(
        /must be owner of table audit_log/,
      );
      for (const change of [
        "UPDATE audit_log SET kind = 'sign-out' WHERE seq = 1",
        'DELETE FROM audit_log WHERE seq = 1',
        'TRUNCATE audit_log',
        "UPDATE review_decisions SET source = 'packet'",
        'DELETE FROM schema_migrations',
      ])
        await expect(db.exec(change), change).rejects.toThrow(/permission denied/);
      expect(await db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 4 }]);
    });
  });
});
