/**
 * The server's PostgreSQL role, on a real PostgreSQL (only the database decides who may alter a
 * table): the owner migrates and grants (`preflight serve migrate --grant-to`), the server runs as
 * the other role, which does its ordinary work but cannot switch off the audit log's append-only
 * trigger and rewrite entries; a server started as the owner is refused, or warns when allowed.
 * What the owner can still do — delete an entry and re-chain every later one, and the heads
 * signed of them — a member's browser holding an earlier signed head catches at its next sync;
 * the same rewrite with the server's signed heads left in place, the server itself catches at
 * its next start (its health and its log say so, as on the embedded database). A rotation of the
 * log key run as the runtime role wipes the retired key's private half: its one column grant.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../tests/setup/postgres.ts';
import { runCli } from '../cli/cliTestKit.ts';
import { witnessFirstHead, witnessHead } from '../core/transparency/index.ts';
import { entriesWithoutEvidence } from './auditEvidence.ts';
import { appendAudit, auditEntryHash, readAudit } from './auditLog.ts';
import {
  CSRF_HEADER,
  openPostgresDatabase,
  type RunningServer,
  rotateLogKey,
  SESSION_COOKIE,
  startServer,
} from './index.ts';
import { signIn } from './sessions.ts';
import { TEST_ISSUER } from './testing/people.ts';
import { deleteAndRechain, deleteSignedHeads } from './testing/rewrite.ts';

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
  startServer({
    storage: { kind: 'postgres', url: as(role) },
    port: 0,
    tableOwner,
    insecureHttp: true,
    checkAnswers: true,
  });

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

    /** the people signed in (sessions are rows: they outlive a restart of the server) */
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    const signInAs = async (who: string) => {
      const person = { issuer: TEST_ISSUER, subject: who, name: who, email: `${who}@clinic.test` };
      const { token, session } = await signIn(server.db, person, Date.now(), '127.0.0.1');
      sessions.set(who, { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken });
    };
    /** asks the server as `who`, signed in before */
    const ask = async (who: string, method: string, path: string, body?: unknown) => {
      const { cookie, csrf } = sessions.get(who) as { cookie: string; csrf: string };
      const answer = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          cookie,
          [CSRF_HEADER]: csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      return text === '' ? undefined : JSON.parse(text);
    };

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
      for (const table of ['audit_log', 'tree_heads'])
        await expect(db.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`)).rejects.toThrow(
          `must be owner of table ${table}`,
        );
      // nor switch every ordinary trigger off for its own session
      await expect(db.exec('SET session_replication_role = replica')).rejects.toThrow(
        /permission denied to set parameter/,
      );
      for (const change of [
        "UPDATE audit_log SET kind = 'sign-out' WHERE seq = 1",
        'DELETE FROM audit_log WHERE seq = 1',
        'TRUNCATE audit_log',
        "UPDATE review_decisions SET source = 'packet'",
        'DELETE FROM schema_migrations',
        // of a log key, only a retired key's private half may be wiped (its trigger decides which)
        "UPDATE log_keys SET public_key = 'e'",
      ])
        await expect(db.exec(change), change).rejects.toThrow(/permission denied/);
      expect(await db.query('SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 4 }]);
    });

    it('can append an entry in a member’s name through its own login, which the evidence check reports', async () => {
      // whoever holds the runtime login calls the log's own append function, as the server does
      const forged = await appendAudit(server.db, {
        at: Date.now(),
        kind: 'sign-out',
        actor: { issuer: TEST_ISSUER, subject: 'lena', name: 'Lena' },
      });
      const entries = await readAudit(server.db);
      expect(entries.at(-1)?.seq).toBe(forged.seq);
      // the server's own entries in Lena's name carry her session; this one does not
      expect(entriesWithoutEvidence(entries)).toEqual([
        { seq: forged.seq, kind: 'sign-out', subject: 'lena', missing: 'no-session' },
      ]);
    });

    it('cannot make the re-chained rewrite the owner can, which a member’s browser holding an earlier head catches, and a new browser through its report', async () => {
      for (const subject of ['lena', 'vic', 'tom']) await signInAs(subject);
      const project = (await ask('lena', 'POST', '/api/projects', { name: 'Ward 4' })).project.id;
      await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'vic', role: 'viewer' });
      const tom = await ask('lena', 'POST', `/api/projects/${project}/members`, {
        subject: 'tom',
        role: 'analyst',
      });
      await ask('lena', 'DELETE', `/api/projects/${project}/members/${tom.member.id}`);
      // Vic's browser syncs: it keeps the signed head over the log with Tom's removal in it
      const { publicKey } = await ask('vic', 'GET', '/api/log/key');
      const first = await witnessHead(
        undefined,
        { head: await ask('vic', 'GET', `/api/projects/${project}/log/head`) },
        publicKey,
      );
      if (first.status !== 'kept') throw new Error('the first head was not kept');
      // and reports it, through the server's own role, for the team's next new browser
      await ask('vic', 'PUT', `/api/projects/${project}/log/witness`, { head: first.head });
      const removed = (await readAudit(server.db, { project })).find((e) => e.kind === 'member-removed');
      expect(removed?.projectSeq).toBe(first.head.size);

      // the server's own role cannot switch the trigger off to make the rewrite
      await expect(deleteAndRechain(server.db, removed?.seq ?? 0)).rejects.toThrow(
        /must be owner of table audit_log/,
      );
      expect((await readAudit(server.db, { project })).at(-1)?.kind).toBe('member-removed');
      // the owner can: Tom's removal deleted, every later entry re-chained, the heads signed of it gone
      const owned = await openPostgresDatabase(as(owner));
      try {
        await deleteAndRechain(owned, removed?.seq ?? 0);
        await deleteSignedHeads(owned, project);
      } finally {
        await owned.close();
      }
      // the log grows again to the size Vic's browser kept, and its chain verifies entry by entry
      await ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Ward 4 and 5' });
      const rewritten = await readAudit(server.db, { project });
      expect(rewritten.map((e) => e.kind)).not.toContain('member-removed');
      expect(rewritten.every((e) => e.hash === auditEntryHash(e))).toBe(true);

      // at Vic's next sync the proof from the head it kept fails: the log was changed after it
      const reply = await ask(
        'vic',
        'GET',
        `/api/projects/${project}/log/consistency?from=${first.head.size}`,
      );
      const verdict = await witnessHead(first.head, reply, publicKey);
      expect(verdict).toMatchObject({ status: 'changed', kept: first.head });
      expect(verdict.status === 'changed' && verdict.message).toMatch(
        new RegExp(
          `^The team server’s audit log for this project was changed after this browser last saw it: the server no longer holds the ${first.head.size} entries it signed .* Entries up to entry ${first.head.size} were removed or rewritten on the server\\.`,
        ),
      );

      // Lena's new computer, with no head kept, checks the server's against the one Vic reported
      const { witnesses } = await ask('lena', 'GET', `/api/projects/${project}/log/witnesses`);
      const key = await ask('lena', 'GET', '/api/log/key');
      const fresh = await witnessFirstHead(
        await ask('lena', 'GET', `/api/projects/${project}/log/head`),
        key.publicKey,
        [...key.keys].reverse(),
        witnesses,
        (size) => ask('lena', 'GET', `/api/projects/${project}/log/consistency?from=${size}`),
      );
      expect(fresh).toMatchObject({ status: 'changed', kept: first.head });
      expect(fresh.status === 'changed' && fresh.message).toMatch(
        /^The team server’s audit log for this project was changed after vic’s browser saw it/,
      );
    });

    it('catches the owner’s re-chained rewrite of a signed log at its next start, in its health and its log', async () => {
      for (const subject of ['lena', 'tom']) await signInAs(subject);
      const project = (await ask('lena', 'POST', '/api/projects', { name: 'Ward 6' })).project.id;
      const tom = await ask('lena', 'POST', `/api/projects/${project}/members`, {
        subject: 'tom',
        role: 'analyst',
      });
      // a member's browser syncs before Tom's removal and after it: the server keeps both heads
      await ask('lena', 'GET', `/api/projects/${project}/log/head`);
      await ask('lena', 'DELETE', `/api/projects/${project}/members/${tom.member.id}`);
      const head = await ask('lena', 'GET', `/api/projects/${project}/log/head`);
      const removed = (await readAudit(server.db, { project })).find((e) => e.kind === 'member-removed');
      expect(head.size).toBe(removed?.projectSeq);
      // the owner deletes the removal and re-chains every later entry; the heads stay as signed
      const owned = await openPostgresDatabase(as(owner));
      try {
        await deleteAndRechain(owned, removed?.seq ?? 0);
      } finally {
        await owned.close();
      }
      const rewritten = await readAudit(server.db);
      expect(rewritten.map((e) => e.seq)).toEqual(rewritten.map((_, i) => i + 1));
      expect(rewritten.every((e) => e.hash === auditEntryHash(e))).toBe(true);
      expect((await ask('lena', 'GET', '/api/health')).auditLog.status).toBe('ok');

      await server.stop();
      // stopped, the key is rotated as the runtime role: its one grant on log_keys lets the
      // rotation wipe the retired key's private half, and nothing else there
      const runtime = await openPostgresDatabase(as(app));
      try {
        await rotateLogKey(runtime, { now: Date.now() });
        const keys = await runtime.query<{ wiped: boolean }>(
          'SELECT private_key IS NULL AS wiped FROM log_keys ORDER BY created_at',
        );
        expect(keys.map((k) => k.wiped)).toEqual([true, false]);
      } finally {
        await runtime.close();
      }
      const lines: string[] = [];
      server = await startServer({
        storage: { kind: 'postgres', url: as(app) },
        port: 0,
        tableOwner: 'refuse',
        insecureHttp: true,
        checkAnswers: true,
        log: { level: 'error', stream: { write: (line) => lines.push(line) } },
      });
      const after = (removed?.projectSeq ?? 0) - 1;
      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health.status).toBe('audit-log-changed');
      expect(health.auditLog.changed).toEqual([expect.objectContaining({ project, after })]);
      expect(lines.join('\n')).toContain(
        `the audit log of project ${project} was changed after entry ${after}`,
      );
      expect(
        (
          await fetch(`${server.url}/api/projects/${project}/audit`, {
            headers: { cookie: sessions.get('lena')?.cookie ?? '' },
          })
        ).status,
      ).toBe(409);
    });
  });
});
