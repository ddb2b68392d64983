/**
 * The audit log against its own database, on both engines: on PostgreSQL with the two roles
 * docs/deployment.md sets up (the owner migrates and grants, the server runs as the runtime
 * role), on the embedded database with its one user. What each role can do to the tables without
 * the server — insert a head it made up, append an entry dated before the one it follows, or (the
 * owner) delete every head and re-chain the log — must neither pass for the server's word nor make
 * the honest log look changed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../tests/setup/postgres.ts';
import { type SignedTreeHead, verifyTreeHead } from '../core/transparency/index.ts';
import { appendAudit, readAudit } from './auditLog.ts';
import { grantRuntimeRole } from './databaseRoles.ts';
import { type Database, MIGRATIONS, migrate, openPostgresDatabase } from './index.ts';
import { freshEmbedded } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';
import { appendAround, deleteAndRechain, deleteSignedHeads } from './testing/rewrite.ts';

const START = Date.UTC(2026, 4, 4, 9);
const PEOPLE = { lena: 'Lena Lead', tom: 'Tom Former' } as const;
type Person = keyof typeof PEOPLE;

const bin = postgresBinDir();
const id = randomBytes(4).toString('hex');
const ownerRole = `owner_${id}`;
const runtimeRole = `app_${id}`;
let pg: TestPostgres | undefined;
let databases = 0;

beforeAll(async () => {
  if (bin === undefined) return;
  pg = await testPostgres(bin);
  await pg.query(`CREATE ROLE ${ownerRole} LOGIN; CREATE ROLE ${runtimeRole} LOGIN`);
}, 60_000);
afterAll(async () => {
  if (pg === undefined) return;
  for (let i = 1; i <= databases; i++) await pg.query(`DROP DATABASE IF EXISTS log_${id}_${i} WITH (FORCE)`);
  await pg.query(`DROP ROLE IF EXISTS ${runtimeRole}; DROP ROLE IF EXISTS ${ownerRole}`);
  await pg.stop();
});

/** The server's database and its owner's, migrated and (PostgreSQL) granted as the docs say. */
interface Roles {
  /** what the server connects as: the runtime role */
  runtime: Database;
  /** the tables' owner (on the embedded database, the same one user) */
  owner: Database;
  close(): Promise<void>;
}

async function rolesOf(engine: 'embedded' | 'postgres', migrations = MIGRATIONS): Promise<Roles> {
  if (engine === 'embedded') {
    const db = await freshEmbedded();
    await migrate(db, migrations);
    return { runtime: db, owner: db, close: () => db.close() };
  }
  const server = pg as TestPostgres;
  const name = `log_${id}_${++databases}`;
  await server.query(`CREATE DATABASE ${name} OWNER ${ownerRole}`);
  const as = (role: string) => server.url(name).replace('postgres://preflight@', `postgres://${role}@`);
  const owner = await openPostgresDatabase(as(ownerRole));
  await migrate(owner, migrations);
  await grantRuntimeRole(owner, runtimeRole);
  const runtime = await openPostgresDatabase(as(runtimeRole));
  return {
    runtime,
    owner,
    async close() {
      await runtime.close();
      await owner.close();
    },
  };
}

const engines = bin === undefined ? (['embedded'] as const) : (['embedded', 'postgres'] as const);

describe.each(engines)('the audit log against its own database (%s)', (engine) => {
  let roles: Roles;
  let dir: string;
  let server: ServerWithPeople<Person> | undefined;
  let now = START;
  const clock = () => now;
  /** a server on the runtime role, its log key in a file beside its anchor */
  const start = async () => {
    server = await serverWithPeople(roles.runtime, PEOPLE, clock, {
      migrated: true,
      logKeyFile: path.join(dir, 'log-key.pem'),
    });
    return server;
  };
  const restart = async () => {
    await server?.close();
    return start();
  };
  const keyOf = async (base: string) => (await (await fetch(`${base}/api/log/key`)).json()).publicKey;

  beforeAll(async () => {
    roles = await rolesOf(engine);
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-log-anchor-'));
  }, 60_000);
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await roles?.close();
    roles = await rolesOf(engine);
    await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-log-anchor-'));
  }, 60_000);
  afterAll(async () => {
    await roles?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ignores and reports a head the runtime role inserted, and signs the honest log on', async () => {
    const s = await start();
    const project = (await s.ask('lena', 'POST', '/api/projects', { name: 'Ward 7' })).body.project.id;
    const first = (await s.ask('lena', 'GET', `/api/projects/${project}/log/head`)).body as SignedTreeHead;
    now += 60_000;
    await s.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Ward 7, clinic A' });
    // the runtime role makes up the next head: a root of its own, signed by no key of the server's
    await roles.runtime.query(
      'INSERT INTO tree_heads (project, size, root_hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        project,
        first.size + 1,
        'ab'.repeat(32),
        new Date(now).toISOString(),
        'cd'.repeat(32),
        'ef'.repeat(64),
      ],
    );
    const head = await s.ask('lena', 'GET', `/api/projects/${project}/log/head`);
    expect(head.status).toBe(200);
    expect(head.body.size).toBe(first.size + 1);
    expect(await verifyTreeHead(head.body, await keyOf(s.base))).toBe(true);
    const health = (await s.ask('lena', 'GET', '/api/health')).body;
    expect(health.status).toBe('ok');
    // the server's clock is set months back (START): said too, last
    expect(health.warnings).toEqual([
      expect.stringMatching(
        /^audit-log-heads-ignored: the database holds 1 tree head this server did not sign/,
      ),
      expect.stringMatching(/^server-clock-apart: /),
    ]);
    // at the next start too: the made-up row is said, and the log is sound
    const again = (await (await restart()).ask('lena', 'GET', '/api/health')).body;
    expect(again.status).toBe('ok');
    expect(again.warnings?.[0]).toMatch(/^audit-log-heads-ignored/);
    expect((await server?.ask('lena', 'GET', `/api/projects/${project}/log/head`))?.body).toEqual(head.body);
  });

  it('catches the owner’s rewrite with every head deleted, against the head anchored beside the key', async () => {
    const s = await start();
    const project = (await s.ask('lena', 'POST', '/api/projects', { name: 'Ward 8' })).body.project.id;
    const tom = await s.ask('lena', 'POST', `/api/projects/${project}/members`, {
      subject: 'tom',
      role: 'analyst',
    });
    await s.ask('lena', 'DELETE', `/api/projects/${project}/members/${tom.body.member.id}`);
    const head = (await s.ask('lena', 'GET', `/api/projects/${project}/log/head`)).body as SignedTreeHead;
    expect((await stat(path.join(dir, 'log-key.pem.anchor.json'))).mode & 0o777).toBe(0o600);
    // the owner deletes Tom's removal, re-chains every later entry and deletes the heads signed
    const removed = (await readAudit(roles.owner, { project })).find((e) => e.kind === 'member-removed');
    await deleteAndRechain(roles.owner, removed?.seq as number);
    await deleteSignedHeads(roles.owner, project);
    // the running server refuses to sign over it at the next read: with no smaller head left, it
    // cannot say after which entry, only that the log no longer extends its latest word
    const after = 0;
    const refused = await s.ask('lena', 'GET', `/api/projects/${project}/log/head`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(
      new RegExp(`changed from its first entry on: .* over ${head.size} entries`),
    );
    // and at its next start, its health says so and the export is refused
    const again = await restart();
    const health = (await again.ask('lena', 'GET', '/api/health')).body;
    expect(health.status).toBe('audit-log-changed');
    expect(health.auditLog.changed).toEqual([expect.objectContaining({ project, after })]);
    expect((await again.ask('lena', 'GET', `/api/projects/${project}/audit`)).status).toBe(409);
  });

  it('takes no entry dated before the one it follows, and signs no log holding one', async () => {
    const s = await start();
    const project = (await s.ask('lena', 'POST', '/api/projects', { name: 'Ward 9' })).body.project.id;
    await s.ask('lena', 'GET', `/api/projects/${project}/log/head`);
    now += 60_000;
    await s.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Ward 9, clinic A' });
    const last = (await readAudit(roles.owner, { project })).at(-1);
    // a decision "by Lena Lead", dated a day before the entry it follows
    const backDated = {
      at: new Date(Date.parse(last?.at as string) - 86_400_000).toISOString(),
      kind: 'review-decision' as const,
      actor: last?.actor ?? null,
      detail: { decision: 'accepted' },
    };
    if (engine === 'postgres')
      await expect(appendAround(roles.runtime, project, backDated, 'insert')).rejects.toThrow(
        /permission denied/,
      );
    await expect(appendAround(roles.runtime, project, backDated, 'function')).rejects.toThrow(
      /takes entries only in time order/,
    );
    // nor dated a day ahead of the database's clock, nor with a time whose zone the database
    // would read in the caller's setting and a verifier in its own
    const ahead = { ...backDated, at: new Date(Date.now() + 86_400_000).toISOString() };
    await expect(appendAround(roles.runtime, project, ahead, 'function')).rejects.toThrow(
      /takes no entry dated ahead of the database's clock: entry \d+ is dated .*, more than 5 minutes after/,
    );
    const zoneless = {
      ...backDated,
      at: new Date(Date.parse(last?.at as string) + 1).toISOString().slice(0, -1),
    };
    await expect(appendAround(roles.runtime, project, zoneless, 'function')).rejects.toThrow(
      /takes an entry's time only in UTC as YYYY-MM-DDTHH:MM:SS.sssZ/,
    );
    // the server's own path goes on
    now += 60_000;
    expect(
      (await s.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Ward 9, clinic B' })).status,
    ).toBe(200);
    expect((await s.ask('lena', 'GET', `/api/projects/${project}/log/head`)).status).toBe(200);
    const latest = (await readAudit(roles.owner, { project })).at(-1);
    expect(latest?.at).toBe(new Date(now).toISOString());
    // the owner can insert it past the function: the server signs no head over it
    await appendAround(roles.owner, project, backDated, 'insert');
    const refused = await s.ask('lena', 'GET', `/api/projects/${project}/log/head`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/holds an entry written around the server after entry \d+/);
    const health = (await (await restart()).ask('lena', 'GET', '/api/health')).body;
    expect(health.status).toBe('audit-log-changed');
    expect(health.auditLog.changed).toEqual([
      expect.objectContaining({
        project,
        after: latest?.projectSeq,
        message: expect.stringMatching(/dated .* before the entry it follows/),
      }),
    ]);
  });
  it('took an entry dated a day ahead before migration 18, and after it takes none, its grant kept', async () => {
    const older = await rolesOf(engine, MIGRATIONS.slice(0, 17));
    try {
      const entry = {
        kind: 'review-decision' as const,
        actor: { issuer: 'https://id.clinic.test', subject: 'lena', name: PEOPLE.lena },
        detail: { decision: 'accepted' },
      };
      const ahead = (days: number) => ({
        ...entry,
        at: new Date(Date.now() + days * 86_400_000).toISOString(),
      });
      await appendAround(older.runtime, 'p', ahead(1), 'function');
      expect(await migrate(older.owner, MIGRATIONS.slice(0, 18))).toEqual([18]);
      // refused by the function itself, so the runtime role may still call it
      await expect(appendAround(older.runtime, 'p', ahead(2), 'function')).rejects.toThrow(
        /takes no entry dated ahead of the database's clock/,
      );
      // what the older database took holds the server's next entry back, saying why
      await expect(
        older.runtime.transaction((tx) =>
          appendAudit(tx, { ...entry, at: Date.now(), detail: { project: 'p' } }),
        ),
      ).rejects.toThrow(
        /more than 5 minutes after .*set its clock and the database's from the same time source/,
      );
    } finally {
      await older.close();
    }
  });
});
