/**
 * Backup and restore of the embedded database as a clinic's administrator runs them: a backup
 * of a running server's `--data` folder (which the server holds, so the server takes the copy),
 * restored into a new folder, a server started on it, the project read back and the audit log's
 * chain checked whole. The commands run in process, through the CLI's own entry.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, testPostgres } from '../../tests/setup/postgres.ts';
import { runCli } from '../cli/cliTestKit.ts';
import {
  CSRF_HEADER,
  DATA_LOCK_FILE,
  firstBrokenAuditEntry,
  migrate,
  openPostgresDatabase,
  type RunningServer,
  readAudit,
  SESSION_COOKIE,
  startServer,
} from './index.ts';
import { signIn } from './sessions.ts';
import { TEST_ISSUER } from './testing/people.ts';
import { openLogSigner } from './transparencyLog.ts';

let root: string;
let server: RunningServer;
const lena = { issuer: TEST_ISSUER, subject: 'lena', name: 'Lena', email: 'lena@clinic.test' };

/** Lena's session on `on`, and a request as her. */
async function asLena(on: RunningServer) {
  const { token, session } = await signIn(on.db, lena, Date.now(), '127.0.0.1');
  return (method: string, route: string, body?: unknown) =>
    fetch(`${on.url}${route}`, {
      method,
      headers: {
        cookie: `${SESSION_COOKIE}=${token}`,
        [CSRF_HEADER]: session.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'preflight-backup-'));
  server = await startServer({
    storage: { kind: 'embedded', dir: path.join(root, 'data') },
    port: 0,
    checkAnswers: true,
  });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('serve backup and serve restore', () => {
  it('backs up a running server, restores to a new folder, and a server there reads the project', async () => {
    const ask = await asLena(server);
    const made = await ask('POST', '/api/projects', { name: 'Cardiology go-live' });
    expect(made.status).toBe(201);
    const project = ((await made.json()) as { project: { id: string } }).project.id;

    const backup = path.join(root, 'team.tar.gz');
    const backedUp = await runCli(['serve', 'backup', '--data', 'data', '-o', 'team.tar.gz'], root);
    expect(backedUp).toMatchObject({ code: 0, err: '' });
    expect(backedUp.out).toMatch(`copied by its running server (process ${process.pid})`);
    // every record and the log key: for its owner's eyes only, and said
    expect((await stat(backup)).mode & 0o777).toBe(0o600);
    expect(backedUp.out).toContain("It holds the log key's private half");
    // the request is answered and gone; only the lock of the running server stays
    expect(await readdir(path.join(root, 'data'))).not.toContainEqual(expect.stringMatching(/backup/));
    // what is written after the copy is not in it
    await ask('POST', '/api/projects', { name: 'After the backup' });

    const restored = await runCli(['serve', 'restore', backup, '--data', 'restored'], root);
    expect(restored).toMatchObject({ code: 0, err: '' });
    // the server's log key, the project and its creation: the entries made before the copy
    expect(restored.out).toMatch(/3 audit log entries, chain whole/);
    expect(existsSync(path.join(root, 'restored', DATA_LOCK_FILE))).toBe(false);

    const again = await startServer({
      storage: { kind: 'embedded', dir: path.join(root, 'restored') },
      port: 0,
      checkAnswers: true,
    });
    try {
      const askAgain = await asLena(again);
      const projects = (await (await askAgain('GET', '/api/projects')).json()) as {
        projects: { id: string; name: string }[];
      };
      expect(projects.projects.map((p) => [p.id, p.name])).toEqual([[project, 'Cardiology go-live']]);
      const entries = await readAudit(again.db);
      expect(entries.map((e) => e.kind)).toEqual([
        'log-key-created',
        'sign-in',
        'project-created',
        'sign-in',
      ]);
      expect(firstBrokenAuditEntry(entries)).toBeUndefined();
    } finally {
      await again.stop();
    }
  });

  it('refuses to restore into a folder that holds something, and a file that is no backup', async () => {
    await writeFile(path.join(root, 'not-a-backup.tar.gz'), 'plain text');
    const full = await runCli(['serve', 'restore', 'not-a-backup.tar.gz', '--data', 'data'], root);
    expect(full).toMatchObject({
      code: 2,
      err: expect.stringMatching(/is not empty: restore into a new folder/),
    });
    const bad = await runCli(['serve', 'restore', 'not-a-backup.tar.gz', '--data', 'fresh'], root);
    expect(bad).toMatchObject({ code: 2, err: expect.stringMatching(/is not a backup of Preflight/) });
    expect(await readdir(root)).not.toContainEqual(expect.stringMatching(/restoring/));
  });
});

describe.skipIf(postgresBinDir() === undefined)('serve backup of PostgreSQL', () => {
  it('writes a file for its owner only, and says the log key is inside', async () => {
    const pg = await testPostgres(postgresBinDir() as string);
    try {
      const db = await openPostgresDatabase(pg.url());
      try {
        await migrate(db);
        await openLogSigner(db, { now: Date.now() });
      } finally {
        await db.close();
      }
      const backedUp = await runCli(['serve', 'backup', '--database', pg.url(), '-o', 'team.dump'], root);
      expect(backedUp).toMatchObject({ code: 0, err: '' });
      expect((await stat(path.join(root, 'team.dump'))).mode & 0o777).toBe(0o600);
      expect(backedUp.out).toContain("It holds the log key's private half");
    } finally {
      await pg.stop();
    }
  }, 60_000);
});
