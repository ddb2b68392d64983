/**
 * The audit log as a transparency log, on the embedded database: the server's log key is public
 * and recorded in the log; every member may read a project's signed head and proofs (one allowed
 * and one refused request per route); an export carries the head and its proofs; and the
 * rewrite whoever owns the database can make — the trigger switched off, a former member's
 * `member-removed` entry deleted and every later entry re-chained, so the chain verifies — is
 * caught by the server at its next start: logged, shown in `/api/health`, and its exports and
 * heads refused. A rotation of the log key is an entry of the log signed by the old key, and the
 * public route serves every key. Nothing here is the database's to decide, so PostgreSQL is not
 * started.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProjectAuditExport } from '../cli/commands/signoffVerifyServer.ts';
import {
  auditLeaves,
  auditTreeRoot,
  EMPTY_TREE_HASH,
  followLogKeys,
  type LogKeyRecord,
  logKeyId,
  type SignedTreeHead,
  treeHeadMessage,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '../core/transparency/index.ts';
import { loadProjectAudit, serverAuditEntryHash } from '../formats/projectAudit.ts';
import type { ServerAuditEntry as ProjectEntry } from './auditLog.ts';
import { readAudit } from './auditLog.ts';
import { createServer, type Database, MIGRATIONS, migrate } from './index.ts';
import { fileTestEngines } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';
import { deleteAndRechain } from './testing/rewrite.ts';
import {
  checkAgainstHeads,
  keepHead,
  LogKeyRetiredError,
  openLogSigner,
  rotateLogKey,
} from './transparencyLog.ts';

const testEngines = fileTestEngines();
const START = Date.UTC(2026, 4, 4, 9);
const PEOPLE = { lena: 'Lena Lead', tom: 'Tom Former', vic: 'Vic Viewer', otto: 'Otto Outsider' } as const;
type Person = keyof typeof PEOPLE;

describe('the audit log as a transparency log', () => {
  let db: Database;
  let server: ServerWithPeople<Person>;
  let project: string;
  /** the lead's export before the rewrite: the honest older file */
  let earlier: unknown;
  const now = START;

  beforeAll(async () => {
    db = await testEngines.running().open('embedded');
    server = await serverWithPeople(db, PEOPLE, () => now);
    project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
    await server.ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'vic', role: 'viewer' });
    const tom = await server.ask('lena', 'POST', `/api/projects/${project}/members`, {
      subject: 'tom',
      role: 'analyst',
    });
    // a member's browser syncs, and the server signs the head of the log as it stands
    await server.ask('vic', 'GET', `/api/projects/${project}/log/head`);
    await server.ask('lena', 'DELETE', `/api/projects/${project}/members/${tom.body.member.id}`);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('serves its log key publicly, and records it in the log', async () => {
    const key = await (await fetch(`${server.base}/api/log/key`)).json();
    expect(key).toMatchObject({ algorithm: 'Ed25519', publicKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const created = (await readAudit(db)).find((e) => e.kind === 'log-key-created');
    expect(created?.detail).toMatchObject({ keyId: key.keyId, publicKey: key.publicKey });
  });

  it('gives every member a signed head and proofs, and a stranger nothing', async () => {
    const { publicKey } = await (await fetch(`${server.base}/api/log/key`)).json();
    const first = await server.ask('vic', 'GET', `/api/projects/${project}/log/head`);
    expect(first.status).toBe(200);
    const head = first.body as SignedTreeHead;
    expect(head.size).toBe(4);
    expect(await verifyTreeHead(head, publicKey)).toBe(true);
    expect((await server.ask('otto', 'GET', `/api/projects/${project}/log/head`)).status).toBe(404);

    await server.ask('lena', 'PATCH', `/api/projects/${project}`, { name: 'Go-live, clinic A' });
    const later = await server.ask(
      'vic',
      'GET',
      `/api/projects/${project}/log/consistency?from=${head.size}`,
    );
    expect(later.status).toBe(200);
    expect(later.body.head.size).toBe(5);
    expect(verifyConsistency(head.size, 5, head.rootHash, later.body.head.rootHash, later.body.proof)).toBe(
      true,
    );
    expect((await server.ask('otto', 'GET', `/api/projects/${project}/log/consistency?from=1`)).status).toBe(
      404,
    );

    const included = await server.ask('vic', 'GET', `/api/projects/${project}/log/inclusion?entry=2`);
    const [leaf] = auditLeaves([included.body.entryHash]);
    expect(verifyInclusion(leaf as string, 1, 5, included.body.proof, included.body.head.rootHash)).toBe(
      true,
    );
    expect((await server.ask('otto', 'GET', `/api/projects/${project}/log/inclusion?entry=2`)).status).toBe(
      404,
    );
  });

  it('keeps the latest head each member’s browser witnessed, for a new browser, and only the server’s', async () => {
    const witnesses = `/api/projects/${project}/log/witnesses`;
    const report = (who: Person, head: unknown) =>
      server.ask(who, 'PUT', `/api/projects/${project}/log/witness`, { head });
    const latest = (await server.ask('vic', 'GET', `/api/projects/${project}/log/head`)).body;
    expect((await server.ask('lena', 'GET', witnesses)).body).toEqual({ witnesses: [] });
    expect((await report('vic', latest)).status).toBe(204);
    const listed = await server.ask('lena', 'GET', witnesses);
    expect(listed.body.witnesses).toEqual([
      { name: 'Vic Viewer', head: latest, reportedAt: new Date(now).toISOString() },
    ]);
    // an earlier head of the server's, reported after a later one, does not replace it
    const [row] = await db.query<Record<string, string | number>>(
      'SELECT size, root_hash, at, key_id, signature FROM tree_heads WHERE project = $1 ORDER BY size LIMIT 1',
      [project],
    );
    const earliest = {
      project,
      size: Number(row?.size),
      rootHash: row?.root_hash,
      timestamp: row?.at,
      keyId: row?.key_id,
      signature: row?.signature,
    };
    expect(earliest.size).toBeLessThan(latest.size);
    expect((await report('vic', earliest)).status).toBe(204);
    expect((await server.ask('lena', 'GET', witnesses)).body.witnesses[0].head).toEqual(latest);
    // a head the server did not sign, or of another project, is refused
    expect(await report('vic', { ...latest, rootHash: 'ab'.repeat(32) })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/not signed by one of this server's log keys/) },
    });
    expect((await report('vic', { ...latest, project: 'another' })).status).toBe(400);
    expect((await server.ask('lena', 'GET', witnesses)).body.witnesses).toHaveLength(1);
    // a stranger neither reports nor reads
    expect((await report('otto', latest)).status).toBe(404);
    expect((await server.ask('otto', 'GET', witnesses)).status).toBe(404);
  });

  it('exports the log with the head it signed over it', async () => {
    const exported = await server.ask('lena', 'GET', `/api/projects/${project}/audit`);
    expect(exported.status).toBe(200);
    const loaded = loadProjectAudit(exported.body);
    expect(loaded.ok).toBe(true);
    expect(exported.body.treeHead.size).toBe(exported.body.entries.length);
    expect(await verifyTreeHead(exported.body.treeHead, exported.body.logKey.publicKey)).toBe(true);
    earlier = exported.body;
  });

  it('refuses, with --server, an export whose head is signed by a key that is not one of the server’s', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const publicKey = Buffer.from(await crypto.subtle.exportKey('raw', pair.publicKey)).toString('hex');
    const { treeHead } = earlier as { treeHead: SignedTreeHead };
    const keyId = logKeyId(publicKey);
    const signature = Buffer.from(
      await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, treeHeadMessage(treeHead)),
    ).toString('hex');
    const forged = {
      ...(earlier as object),
      treeHead: { ...treeHead, keyId, signature },
      logKey: { keyId, publicKey, algorithm: 'Ed25519' },
    };
    expect(await verifyProjectAuditExport('forged.json', forged)).toMatchObject({ status: 'verified' });
    const checked = await verifyProjectAuditExport('forged.json', forged, server.base);
    expect(checked).toMatchObject({ status: 'tampered', entry: 'head' });
    expect(checked.status === 'tampered' && checked.message).toContain(
      "which is not one of the team server's log keys",
    );
  });

  it('calls a made-up earlier export signed elsewhere what it is, never the honest server a rewriter', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const publicKey = Buffer.from(await crypto.subtle.exportKey('raw', pair.publicKey)).toString('hex');
    const keyId = logKeyId(publicKey);
    // the honest export with its second entry changed, every later one re-chained, and a head
    // over it signed with the maker's own key
    const honest = earlier as { entries: ProjectEntry[]; treeHead: SignedTreeHead };
    const entries: ProjectEntry[] = [];
    for (const [i, entry] of honest.entries.entries()) {
      const { hash: _old, ...rest } = entry;
      const content = {
        ...rest,
        ...(i === 1 ? { detail: { ...rest.detail, role: 'lead' } } : {}),
        projectPrevHash: entries[i - 1]?.hash ?? rest.projectPrevHash,
      };
      entries.push({ ...content, hash: serverAuditEntryHash(content) });
    }
    const unsigned = { ...honest.treeHead, rootHash: auditTreeRoot(entries.map((e) => e.hash)) };
    const signature = Buffer.from(
      await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, treeHeadMessage(unsigned)),
    ).toString('hex');
    const last = entries.at(-1) as ProjectEntry;
    const { inclusionProofs: _proofs, ...rest } = earlier as Record<string, unknown>;
    const fake = {
      ...rest,
      entries,
      head: { ...(rest.head as object), hash: last.hash, projectSeq: last.projectSeq, at: last.at },
      treeHead: { ...unsigned, keyId, signature },
      logKey: { keyId, publicKey, algorithm: 'Ed25519' },
    };
    const alone = await verifyProjectAuditExport('fake.json', fake);
    expect(alone).toMatchObject({ status: 'verified' });
    const now = (await server.ask('lena', 'GET', `/api/projects/${project}/audit`)).body;
    const checked = await verifyProjectAuditExport('new.json', now, server.base, {
      seen: [{ file: 'fake.json', json: fake }],
    });
    expect(checked).toMatchObject({ status: 'unusable' });
    expect(checked.status === 'unusable' && checked.message).toMatch(
      /^fake\.json \(given with --seen\) is not the team server's earlier word: .* which is not one of the team server's log keys/,
    );
  });

  it('catches a deleted and re-chained entry at its next start, and refuses the project', async () => {
    const removed = (await readAudit(db, { project })).find((e) => e.kind === 'member-removed');
    await deleteAndRechain(db, removed?.seq as number);
    expect((await server.ask('lena', 'GET', '/api/health')).body.auditLog.status).toBe('ok');
    await server.close();

    const lines: string[] = [];
    const restarted = await createServer({
      checkAnswers: true,
      db,
      clock: () => now,
      insecureHttp: true,
      log: { level: 'error', stream: { write: (line) => lines.push(line) } },
    });
    const base = await restarted.listen({ host: '127.0.0.1', port: 0 });
    try {
      const health = await (await fetch(`${base}/api/health`)).json();
      expect(health.status).toBe('audit-log-changed');
      expect(health.auditLog.changed).toEqual([
        expect.objectContaining({ project, after: (removed?.projectSeq as number) - 1 }),
      ]);
      expect(lines.join('\n')).toContain(`the audit log of project ${project} was changed after entry 3`);
      const asLena = { headers: { cookie: server.cookieOf('lena') } };
      const exported = await fetch(`${base}/api/projects/${project}/audit`, asLena);
      expect(exported.status).toBe(409);
      expect((await exported.json()).error).toMatch(/audit log of this project was changed after entry 3/);
      expect((await fetch(`${base}/api/projects/${project}/log/head`, asLena)).status).toBe(409);
      // the export taken before is the server's earlier word, never called rewritten
      const older = await verifyProjectAuditExport('old.json', earlier, base);
      expect(older).toMatchObject({ status: 'tampered', entry: 4, heldBy: 'old.json' });
      expect(older.status === 'tampered' && older.message).toContain(
        "the team server's audit log was changed after this file was exported. This file holds the server's earlier word",
      );
    } finally {
      await restarted.close();
    }
  });
});

describe('the log key', () => {
  it('is kept in a key file when given one, and only its public half in the database', async () => {
    const db = await testEngines.running().open('embedded');
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-log-key-'));
    try {
      await migrate(db);
      const keyFile = path.join(dir, 'log-key.pem');
      const made = await openLogSigner(db, { keyFile, now: START });
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      const rows = await db.query<{ private_key: string | null }>('SELECT private_key FROM log_keys');
      expect(rows).toEqual([{ private_key: null }]);
      expect((await openLogSigner(db, { keyFile, now: START })).keyId).toBe(made.keyId);
      await expect(openLogSigner(db, { now: START })).rejects.toThrow(/give --log-key <file>/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await db.close();
    }
  });
});

describe('a rotation of the log key', () => {
  it('is signed by the old key over to the new, recorded in the log, and served with every key', async () => {
    const db = await testEngines.running().open('embedded');
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-log-key-'));
    try {
      await migrate(db);
      const first = await openLogSigner(db, { now: START });
      const keyFile = path.join(dir, 'log-key.pem');
      // the key kept in the database moves out of it to a key file with its rotation
      const { from, to } = await rotateLogKey(db, { keyFile, now: START + 60_000 });
      expect(from.keyId).toBe(first.keyId);
      expect(to.history.map((k) => k.keyId)).toEqual([first.keyId, to.keyId]);
      const rotated = (await readAudit(db)).filter((e) => e.kind === 'log-key-rotated');
      expect(rotated.map((e) => e.detail)).toEqual([
        {
          keyId: to.keyId,
          publicKey: to.publicKey,
          algorithm: 'Ed25519',
          previousKeyId: first.keyId,
          signature: expect.stringMatching(/^[0-9a-f]{128}$/),
        },
      ]);
      const rows = await db.query<{ private_key: string | null }>(
        'SELECT private_key FROM log_keys ORDER BY created_at',
      );
      // the retired key's private half is wiped from its row; the new one is in the key file
      expect(rows.map((r) => r.private_key === null)).toEqual([true, true]);
      await expect(openLogSigner(db, { now: START })).rejects.toThrow(/give --log-key <file>/);

      const app = await createServer({
        checkAnswers: true,
        db,
        clock: () => START + 120_000,
        insecureHttp: true,
        logKeyFile: keyFile,
      });
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        const key = await (await fetch(`${base}/api/log/key`)).json();
        expect(key).toMatchObject({ keyId: to.keyId, publicKey: to.publicKey });
        expect(key.keys.map((k: LogKeyRecord) => k.keyId)).toEqual([to.keyId, first.keyId]);
        // a witness that trusts the first key follows the served history to the new one
        const history = [...key.keys].reverse();
        expect(await followLogKeys(first, history, to.keyId)).toMatchObject({ ok: true, rotations: 1 });
        // the retired key signs no more heads: a process still running with it is refused
        const stale = first.sign({ project: 'p', size: 0, rootHash: EMPTY_TREE_HASH, timestamp: 't' });
        await expect(db.transaction((tx) => keepHead(tx, stale, []))).rejects.toThrow(LogKeyRetiredError);
      } finally {
        await app.close();
      }
      // a key written into the table without the current key's signature stops the next start
      await db.query(
        'INSERT INTO log_keys (key_id, public_key, private_key, created_at, rotated_from, rotation_signature) VALUES ($1, $2, NULL, $3, $4, $5)',
        ['e'.repeat(64), 'e'.repeat(64), 'later', to.keyId, '0'.repeat(128)],
      );
      await expect(openLogSigner(db, { keyFile, now: START })).rejects.toThrow(
        /the database's history of log keys does not hold/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
      await db.close();
    }
  });
});

describe('a log key kept in the database', () => {
  it('leaves its row at its rotation: only the new key can be read there, and nothing else changes', async () => {
    const db = await testEngines.running().open('embedded');
    try {
      await migrate(db);
      const first = await openLogSigner(db, { now: START });
      const { to } = await rotateLogKey(db, { now: START + 60_000 });
      const rows = await db.query<{ key_id: string; public_key: string; private_key: string | null }>(
        'SELECT key_id, public_key, private_key FROM log_keys ORDER BY created_at',
      );
      expect(rows.map((r) => [r.key_id, r.public_key, r.private_key === null])).toEqual([
        [first.keyId, first.publicKey, true],
        [to.keyId, to.publicKey, false],
      ]);
      // the server starts with the new key, its history and the handover whole
      const opened = await openLogSigner(db, { now: START + 120_000 });
      expect(opened.keyId).toBe(to.keyId);
      expect(opened.history.map((k) => k.keyId)).toEqual([first.keyId, to.keyId]);
      // the current key's private half, and any other column of a key, stay as written
      for (const change of [
        ['UPDATE log_keys SET private_key = NULL WHERE key_id = $1', to.keyId],
        ["UPDATE log_keys SET public_key = 'e' WHERE key_id = $1", first.keyId],
        ["UPDATE log_keys SET private_key = 'k' WHERE key_id = $1", first.keyId],
        ['DELETE FROM log_keys WHERE key_id = $1', first.keyId],
      ] as const)
        await expect(db.query(change[0], [change[1]]), change[0]).rejects.toThrow(
          /the audit log is append-only: (UPDATE|DELETE) is refused/,
        );
    } finally {
      await db.close();
    }
  });

  it('retired before the wipe was made, is wiped by migration 14', async () => {
    const db = await testEngines.running().open('embedded');
    try {
      // before migration 14, with the audit log's append function (migration 16) the server needs
      await migrate(db, [...MIGRATIONS.slice(0, 13), ...MIGRATIONS.slice(15, 16)]);
      await openLogSigner(db, { now: START });
      // a rotation as an older server recorded it: the key before kept whole
      await db.query(
        "INSERT INTO log_keys (key_id, public_key, private_key, created_at, rotated_from, rotation_signature) SELECT 'next', 'p', 'pem', 'later', key_id, 's' FROM log_keys",
      );
      expect(await migrate(db)).toEqual([14, 15, ...MIGRATIONS.slice(16).map((m) => m.version)]);
      const rows = await db.query<{ key_id: string; private_key: string | null }>(
        'SELECT key_id, private_key FROM log_keys ORDER BY created_at',
      );
      expect(rows.map((r) => [r.key_id === 'next', r.private_key === null])).toEqual([
        [false, true],
        [true, false],
      ]);
    } finally {
      await db.close();
    }
  });
});

describe('a log against the heads signed of it', () => {
  const hashes = ['a', 'b', 'c'].map((c) => c.repeat(64));
  const head = (size: number, rootHash: string): SignedTreeHead => ({
    project: 'p',
    size,
    rootHash,
    timestamp: 't',
    keyId: 'k',
    signature: 's',
  });
  it('holds a head of the empty log and of any prefix', () => {
    const root2 = auditTreeRoot(hashes.slice(0, 2));
    expect(checkAgainstHeads('p', hashes, [head(0, EMPTY_TREE_HASH), head(2, root2)])).toBeUndefined();
  });
  it('says after which entry the log was changed: the largest head it still holds', () => {
    const root1 = auditTreeRoot(hashes.slice(0, 1));
    const changed = checkAgainstHeads('p', hashes, [head(1, root1), head(3, 'f'.repeat(64))]);
    expect(changed).toMatchObject({ after: 1, head: { size: 3 } });
    expect(checkAgainstHeads('p', hashes.slice(0, 2), [head(3, auditTreeRoot(hashes))])?.message).toContain(
      'and holds only 2 entries',
    );
  });
});
