/**
 * `preflight signoff verify NEW --seen OLD` and `--head <root>` on project audit logs exported
 * from the team server. The logs are built here as the server writes them (each entry hashed by
 * the server's rule, each export's tree head signed with an Ed25519 log key), so every case costs
 * milliseconds. The rewrite a database owner can make — a former member's `member-removed`
 * entry deleted and every later entry re-chained, the head signed again with the server's own
 * key — verifies on its own (that is the gap), and is caught by any earlier export or printed
 * root, which is named as holding the server's earlier word, never as rewritten. Across a
 * rotation of the server's log key, a later export signed by the new key is followed through the
 * rotation the earlier key signed; one signed by a key no recorded rotation reaches is refused.
 * With `--server` (a fake team server answering its anchor and its keys over HTTP), a head must
 * be signed by one of the server's keys, and by a retired key only before its rotation.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotatedTo, type TestLogKey, testLogKey } from '../../../tests/setup/logKeys.ts';
import {
  auditTreeRoot,
  type LogKeyRecord,
  proofsOfRecords,
  type TreeHead,
  treeHeadMessage,
} from '../../core/transparency/index.ts';
import { GENESIS_HASH } from '../../formats/genesis.ts';
import {
  PROJECT_AUDIT_FORMAT,
  type ProjectAuditFile,
  type ServerAuditRecord,
  serverAuditEntryHash,
} from '../../formats/projectAudit.ts';
import { runCli } from '../cliTestKit.ts';

const PROJECT = 'p1';
const lena = { issuer: 'https://id.clinic.test', subject: 'lena', name: 'Lena Lead' };

/** A project's log as the server chains it, from `kinds` (one entry each, a minute apart). */
function chained(kinds: readonly string[]): ServerAuditRecord[] {
  const out: ServerAuditRecord[] = [];
  for (const [i, kind] of kinds.entries()) {
    const content = {
      seq: i + 1,
      at: new Date(Date.UTC(2026, 4, 4, 9, i)).toISOString(),
      kind,
      actor: lena,
      detail: { project: PROJECT, step: String(i + 1) },
      prevHash: out[i - 1]?.hash ?? GENESIS_HASH,
      projectSeq: i + 1,
      projectPrevHash: out[i - 1]?.hash ?? GENESIS_HASH,
    };
    out.push({ ...content, hash: serverAuditEntryHash(content) });
  }
  return out;
}

/**
 * An export of `entries` whose head `key` signed (dated as its last entry unless `timestamp`),
 * naming `history` of keys when the server rotated.
 */
async function signWith(
  key: TestLogKey,
  entries: ServerAuditRecord[],
  history?: LogKeyRecord[],
  timestamp = entries.at(-1)?.at ?? '',
): Promise<ProjectAuditFile> {
  const head: TreeHead = {
    project: PROJECT,
    size: entries.length,
    rootHash: auditTreeRoot(entries.map((e) => e.hash)),
    timestamp,
  };
  const signature = await key.signBytes(treeHeadMessage(head));
  const last = entries.at(-1) as ServerAuditRecord;
  const { keyId, publicKey } = key.record;
  return {
    format: PROJECT_AUDIT_FORMAT,
    project: PROJECT,
    entries,
    head: { projectSeq: last.projectSeq as number, hash: last.hash, at: last.at },
    treeHead: { ...head, keyId, signature },
    logKey: { keyId, publicKey, algorithm: 'Ed25519', ...(history === undefined ? {} : { history }) },
    inclusionProofs: proofsOfRecords(entries),
  };
}

let dir: string;
let serverKey: TestLogKey;
let sign: (entries: ServerAuditRecord[]) => Promise<ProjectAuditFile>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-witness-'));
  serverKey = await testLogKey();
  sign = (entries) => signWith(serverKey, entries);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verify(files: Record<string, ProjectAuditFile>, args: string[]) {
  for (const [name, file] of Object.entries(files))
    await writeFile(path.join(dir, name), JSON.stringify(file));
  return runCli(['signoff', 'verify', ...args], dir);
}

const BEFORE = ['project-created', 'member-added', 'member-added', 'member-removed', 'audit-exported'];
const AFTER = [...BEFORE, 'member-added', 'review-decision', 'audit-exported'];
/** The same log with the `member-removed` entry deleted and the rest re-chained. */
const REWRITTEN = AFTER.filter((_, i) => i !== 3);

describe('signoff verify NEW --seen OLD', () => {
  it('passes a later export that extends the earlier one, and says by how much', async () => {
    const result = await verify(
      { 'old.json': await sign(chained(BEFORE)), 'new.json': await sign(chained(AFTER)) },
      ['new.json', '--seen', 'old.json'],
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('new.json: extends old.json: its 5 entries unchanged, 3 entries after them');
  });

  it('lets the re-chained rewrite through on its own, as a hash chain must', async () => {
    const result = await verify({ 'new.json': await sign(chained(REWRITTEN)) }, ['new.json']);
    expect(result.code).toBe(0);
  });

  it('catches the re-chained rewrite, naming the entry and the file that holds the server’s word', async () => {
    const old = await sign(chained(BEFORE));
    const result = await verify(
      {
        'old.json': old,
        'other.json': await sign(chained(BEFORE.slice(0, 2))),
        'new.json': await sign(chained(REWRITTEN)),
      },
      ['new.json', '--seen', 'other.json', '--seen', 'old.json', '--json'],
    );
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out);
    expect(json).toMatchObject({ status: 'tampered', entry: 4, heldBy: 'old.json' });
    expect(json.message).toContain(
      'entry 4 of new.json (Audit log read or downloaded) is not entry 4 of old.json (Member removed)',
    );
    expect(json.message).toContain(
      "the team server's audit log was changed after entry 3 since old.json was exported",
    );
    expect(json.message).toContain(
      `old.json holds the server's earlier word: its tree head over 5 entries (root ${old.treeHead?.rootHash})`,
    );
    expect(json.message).not.toMatch(/old\.json (was|is) rewritten/);
  });

  it('checks a printed tree root: held by an extension, missing from the rewrite', async () => {
    const root = (await sign(chained(BEFORE))).treeHead?.rootHash as string;
    const honest = await verify({ 'new.json': await sign(chained(AFTER)) }, ['new.json', '--head', root]);
    expect(honest.code).toBe(0);
    expect(honest.out).toContain(`the printed root ${root} is the tree of its first 5 entries`);
    const rewritten = await verify({ 'new.json': await sign(chained(REWRITTEN)) }, [
      'new.json',
      '--head',
      root,
    ]);
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toContain(`no part of this log has the tree root ${root}`);
  });

  it('refuses a file whose entries no longer have its signed root, and an earlier file that does not verify', async () => {
    const file = await sign(chained(AFTER));
    const edited = {
      ...file,
      treeHead: { ...(file.treeHead as NonNullable<ProjectAuditFile['treeHead']>), rootHash: 'a'.repeat(64) },
    };
    const result = await verify({ 'new.json': edited }, ['new.json']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('the signed tree head does not have the root of the file’s entries');
    const unusable = await verify({ 'old.json': edited, 'new.json': file }, [
      'new.json',
      '--seen',
      'old.json',
    ]);
    expect(unusable.code).toBe(2);
    expect(unusable.out).toContain('old.json (given with --seen) does not verify on its own');
  });

  it('refuses --head on a sign-off audit log, and --seen on other files', async () => {
    await writeFile(path.join(dir, 'x.json'), JSON.stringify({ format: 'preflight.auditlog/v1' }));
    const head = await runCli(['signoff', 'verify', 'x.json', '--head', 'a'.repeat(64)], dir);
    expect(head.code).toBe(2);
    await writeFile(path.join(dir, 'y.json'), JSON.stringify({ format: 'preflight.workflow/v1' }));
    const seen = await runCli(['signoff', 'verify', 'y.json', '--seen', 'x.json'], dir);
    expect(seen.code).toBe(2);
  });

  it('follows the server’s key across a rotation the earlier key signed, and refuses a key it never handed over to', async () => {
    const next = await testLogKey('2026-05-04T10:00:00.000Z');
    const history = [serverKey.record, await rotatedTo(serverKey, next)];
    const files = { 'old.json': await sign(chained(BEFORE)) };
    const followed = await verify({ ...files, 'new.json': await signWith(next, chained(AFTER), history) }, [
      'new.json',
      '--seen',
      'old.json',
    ]);
    expect(followed.code).toBe(0);
    expect(followed.out).toContain(
      `signed by a log key the server rotated to from old.json's (${serverKey.record.keyId.slice(0, 16)})`,
    );

    // a key of someone else's, with no history or a history whose handover the old key did not sign
    const stranger = await testLogKey();
    for (const forged of [
      await signWith(stranger, chained(AFTER)),
      await signWith(stranger, chained(AFTER), [
        serverKey.record,
        await rotatedTo(serverKey, stranger, stranger),
      ]),
    ]) {
      const refused = await verify({ ...files, 'new.json': forged }, ['new.json', '--seen', 'old.json']);
      expect(refused.code).toBe(1);
      expect(refused.out).toMatch(
        /no rotation the team server recorded leads to from log key|is not signed by key .* it claims to rotate from/,
      );
    }
    const unchained = await verify({ ...files, 'new.json': await signWith(stranger, chained(AFTER)) }, [
      'new.json',
      '--seen',
      'old.json',
      '--json',
    ]);
    expect(JSON.parse(unchained.out)).toMatchObject({
      status: 'tampered',
      entry: 'head',
      heldBy: 'old.json',
    });
  });
});

/**
 * A team server as `--server` asks it, over HTTP on loopback: its anchor knows the entries of
 * `log`, and its key route serves `keys()` (newest first, as the server does).
 */
async function fakeServer(log: ServerAuditRecord[], keys: () => LogKeyRecord[]) {
  const server: Server = createServer((request, response) => {
    const answer = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && request.url === '/api/log/key') {
      const [current] = keys();
      answer({ keyId: current?.keyId, publicKey: current?.publicKey, algorithm: 'Ed25519', keys: keys() });
      return;
    }
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const { hashes } = JSON.parse(body) as { hashes: string[] };
      answer({
        entries: hashes.map((hash) => {
          const entry = log.find((e) => e.hash === hash);
          return entry === undefined
            ? { hash, known: false }
            : { hash, known: true, projectSeq: entry.projectSeq, kind: entry.kind };
        }),
        projectEntries: log.length,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('signoff verify --server: the head’s key against the server’s keys', () => {
  it('passes a head of a key before its rotation, and refuses a retired key’s later head and a stranger’s, naming the key', async () => {
    // the server rotated to `next` after the fifth entry, before the sixth
    const next = await testLogKey('2026-05-04T09:04:30.000Z');
    const history = [serverKey.record, await rotatedTo(serverKey, next)];
    const log = chained(AFTER);
    const server = await fakeServer(log, () => [...history].reverse());
    try {
      const check = async (file: ProjectAuditFile) => {
        const result = await verify({ 'x.json': file }, ['x.json', '--server', server.url]);
        return { code: result.code, out: result.out };
      };
      const short = serverKey.record.keyId.slice(0, 16);
      // the honest exports: before the rotation with the old key, after it with the new
      expect(await check(await sign(chained(BEFORE)))).toMatchObject({ code: 0 });
      expect(await check(await signWith(next, log, history))).toMatchObject({ code: 0 });
      // the old key, from a backup, signs the log as it stands after the rotation
      const late = await check(await sign(log));
      expect(late.code).toBe(1);
      expect(late.out).toContain(
        `x.json: TAMPERED: the signed tree head is signed by log key ${short}, which the team server retired at 2026-05-04T09:04:30.000Z, when it rotated to log key ${next.record.keyId.slice(0, 16)}; the head is dated 2026-05-04T09:07:00.000Z, after it`,
      );
      // … and back-dates the head: the entries it covers are the server's, and later than that
      const backDated = await check(await signWith(serverKey, log, undefined, '2026-05-04T09:04:00.000Z'));
      expect(backDated.code).toBe(1);
      expect(backDated.out).toContain(
        'covers an entry the server wrote after it (at 2026-05-04T09:07:00.000Z)',
      );
      const stranger = await testLogKey();
      const strangers = await check(await signWith(stranger, log));
      expect(strangers.code).toBe(1);
      expect(strangers.out).toContain(
        `is signed by log key ${stranger.record.keyId.slice(0, 16)}, which is not one of the team server's log keys`,
      );
    } finally {
      await server.close();
    }
  });
});
