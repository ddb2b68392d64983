/**
 * The tamper table for a project's audit log exported from the team server, verified with
 * `preflight signoff verify <file> --server <url>` against the real server (embedded database):
 * a reviewer's key registered and confirmed, two signatures made with a software authenticator,
 * the lead's export; then each forgery — cut and re-sealed, rewritten without its signatures, the
 * printed head edited (alone, and with a cut), a swapped signer, a replayed signature — must exit
 * 1 naming the entry. The forger recomputes every hash the file carries ("re-seals"), so only the
 * signatures' own bindings and the server's log stand in the way. (A second member registering
 * the reviewer's credential is refused by the server itself: src/server/signing.test.ts.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/hash/sha256.ts';
import { GENESIS_HASH } from '../../formats/auditLog.ts';
import {
  type ProjectAuditFile,
  type ServerAuditRecord,
  serverAuditEntryHash,
} from '../../formats/projectAudit.ts';
import {
  CSRF_HEADER,
  createServer,
  type Database,
  embeddedDatabaseOver,
  migrate,
  SESSION_COOKIE,
} from '../../server/index.ts';
import { signIn } from '../../server/sessions.ts';
import { testAuthenticator } from '../../server/testing/authenticator.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';

const ISSUER = 'https://id.clinic.test';
let dir: string;
let db: Database;
let app: FastifyInstance;
let base: string;
let exported: ProjectAuditFile;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-server-tamper-'));
  db = embeddedDatabaseOver(await PGlite.create());
  await migrate(db);
  app = await createServer({ db, insecureHttp: true });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  const now = Date.now();
  const session = async (subject: string, name: string, fresh: boolean) => {
    const { token, session } = await signIn(
      db,
      { issuer: ISSUER, subject, name, email: null, ...(fresh ? { freshAuthAt: now } : {}) },
      now,
      '127.0.0.1',
    );
    return { cookie: `${SESSION_COOKIE}=${token}`, csrf: session.csrfToken };
  };
  const lena = await session('lena', 'Lena Lead', false);
  const rita = await session('rita', 'Rita Reviewer', true);
  const ask = async (who: typeof lena, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        cookie: who.cookie,
        [CSRF_HEADER]: who.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
  };
  const project = (await ask(lena, 'POST', '/api/projects', { name: 'Go-live' })).project.id;
  await ask(lena, 'POST', `/api/projects/${project}/members`, { subject: 'rita', role: 'reviewer' });
  const key = await testAuthenticator(base);
  const options = await ask(rita, 'POST', `/api/projects/${project}/signing-keys/options`);
  const registered = await ask(rita, 'POST', `/api/projects/${project}/signing-keys`, {
    response: await key.register(options),
  });
  await ask(lena, 'POST', `/api/projects/${project}/signing-keys/${registered.key.id}/confirm`);
  for (const sample of ['S-1', 'S-2']) {
    const hash = sha256Hex(`the first pass of sample ${sample}`);
    const signing = await ask(rita, 'POST', `/api/projects/${project}/signatures/options`, { hash });
    const signed = await ask(rita, 'POST', `/api/projects/${project}/signatures`, {
      hash,
      kind: 'review',
      response: await key.sign(signing.options),
    });
    expect(signed.signature).toBeDefined();
  }
  exported = await ask(lena, 'GET', `/api/projects/${project}/audit`);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The forger's re-seal: every project link and hash recomputed, and the head set to the last entry. */
function resealed(file: ProjectAuditFile, entries: ServerAuditRecord[]): ProjectAuditFile {
  let prev = GENESIS_HASH;
  const chain = entries.map((entry, i) => {
    const { hash: _hash, ...rest } = { ...entry, projectSeq: i + 1, projectPrevHash: prev };
    const hash = serverAuditEntryHash(rest);
    prev = hash;
    return { ...rest, hash };
  });
  const last = chain[chain.length - 1] as ServerAuditRecord;
  return {
    ...file,
    entries: chain,
    head: { projectSeq: last.projectSeq as number, hash: last.hash, at: last.at },
  };
}

async function verify(file: ProjectAuditFile, withServer = true) {
  await writeFile(path.join(dir, 'export.json'), JSON.stringify(file, null, 2));
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
  const code = await main(
    ['signoff', 'verify', 'export.json', ...(withServer ? ['--server', base] : [])],
    io,
  );
  return { code, out: out.join('\n') };
}

const signatureAt = (file: ProjectAuditFile) =>
  file.entries.flatMap((e, i) => (e.kind === 'signature' ? [i] : []));

describe('tamper table: a project audit log exported from the team server', () => {
  it('the export as the server gave it verifies, offline and against the server, with its signatures', async () => {
    expect(exported.entries.at(-1)?.kind).toBe('audit-exported');
    const online = await verify(exported);
    expect(online.code, online.out).toBe(0);
    expect(online.out).toMatch(
      /verified project audit log: \d+ entries, head [0-9a-f]{64}; 2 signatures; every entry is the server's/,
    );
    expect(online.out).toMatch(
      /signature at entry \d+: Rita Reviewer \(rita\), reviewer, .*meaning “I reviewed these records/,
    );
    const offline = await verify(exported, false);
    expect(offline.code).toBe(0);
    expect(offline.out).toMatch(/WARNING: not checked against the server/);
  });

  it('cut and re-sealed (the last signature and the export record dropped): exit 1 against the server', async () => {
    const cut = resealed(exported, exported.entries.slice(0, -2));
    const last = cut.entries.length;
    expect((await verify(cut, false)).code, 'a cut the file alone cannot show').toBe(0);
    const { code, out } = await verify(cut);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: the export ends at entry ${last}, not at the server's record of the export`,
    );
  });

  it('rewritten without its signatures and re-sealed: exit 1 naming the first entry the server never wrote', async () => {
    const [first] = signatureAt(exported);
    const rewritten = resealed(
      exported,
      exported.entries.filter((e) => e.kind !== 'signature'),
    );
    const { code, out } = await verify(rewritten);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: entry ${(first as number) + 1} (audit-exported) is not the server's entry ${(first as number) + 1}`,
    );
  });

  it('the printed head edited: exit 1 naming the head, offline too', async () => {
    const edited = {
      ...exported,
      head: { ...(exported.head as NonNullable<ProjectAuditFile['head']>), hash: 'f'.repeat(64) },
    };
    const { code, out } = await verify(edited, false);
    expect(code).toBe(1);
    expect(out).toContain('TAMPERED: the printed head is not the last of the file’s entries');
  });

  it('cut, with the printed head edited to match: exit 1 against the server', async () => {
    const entries = exported.entries.slice(0, -2);
    const last = entries[entries.length - 1] as ServerAuditRecord;
    const cut = {
      ...exported,
      entries,
      head: { projectSeq: last.projectSeq as number, hash: last.hash, at: last.at },
    };
    expect((await verify(cut, false)).code).toBe(0);
    const { code, out } = await verify(cut);
    expect(code).toBe(1);
    expect(out).toContain(`entry ${entries.length}, not at the server's record of the export`);
  });

  it('a swapped signer (re-sealed): exit 1 naming the signature entry, offline too', async () => {
    const [index] = signatureAt(exported) as [number];
    const entries = exported.entries.map((e, i) =>
      i === index
        ? {
            ...e,
            actor: { issuer: ISSUER, subject: 'dora', name: 'Dora Data' },
            detail: { ...e.detail, subject: 'dora' },
          }
        : e,
    );
    const { code, out } = await verify(resealed(exported, entries), false);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: signature entry ${index + 1} is signed with the key of "rita" but names "dora" as its signer`,
    );
  });

  it('a replayed signature (the first one copied over another hash, re-sealed): exit 1 naming the copy', async () => {
    const [first, second] = signatureAt(exported) as [number, number];
    const copy = exported.entries[first] as ServerAuditRecord;
    const entries = exported.entries.map((e, i) => (i === second ? { ...copy, seq: e.seq, at: e.at } : e));
    const { code, out } = await verify(resealed(exported, entries), false);
    expect(code).toBe(1);
    expect(out).toContain(
      `TAMPERED: signature entry ${second + 1} replays the identity check of signature entry ${first + 1}`,
    );
    // the same assertion moved to another hash: its challenge no longer fits
    const moved = exported.entries.map((e, i) =>
      i === second ? { ...e, detail: { ...e.detail, hash: sha256Hex('something else') } } : e,
    );
    const other = await verify(resealed(exported, moved), false);
    expect(other.code).toBe(1);
    expect(other.out).toContain(
      `TAMPERED: signature entry ${second + 1}: the assertion was not made over this`,
    );
  });

  it('a server that cannot be reached is not a verdict: exit 2', async () => {
    const out: string[] = [];
    await writeFile(path.join(dir, 'export.json'), JSON.stringify(exported));
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
    const code = await main(['signoff', 'verify', 'export.json', '--server', 'http://127.0.0.1:1'], io);
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(/NOT VERIFIED: cannot check against the server/);
  });
});
