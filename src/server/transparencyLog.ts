/**
 * The audit log as a transparency log: each project's entries, in their project order, are the
 * leaves of an RFC 9162 Merkle tree (src/core/transparency), and the server signs tree heads of
 * it with its log key — Ed25519, made at first start, its public key recorded in the log
 * (`log-key-created`) and served at `GET /api/log/key`. A head is signed when someone asks for
 * one (a member's browser at each sync, an export), never over a log that does not extend the
 * last head signed: the server checks its own log — each project's chain and its tree against
 * the latest head it signed — at start and before every head and export, and refuses a project
 * whose log was changed.
 *
 * Why: the log refuses UPDATE and DELETE by trigger, but whoever owns the database can switch the
 * trigger off, delete an entry and re-chain the rest; the chain then verifies. A signed head the
 * server kept (migration 10), a member's browser kept or an older export carries does not: the
 * rewritten tree's root differs from it.
 *
 * Constraints: signed heads and the log key's row are append-only like the log (the trigger of
 * migration 2). The private key is kept in the database unless the server is given a key file
 * (`logKeyFile`), which someone holding only the database cannot read; docs/part11.md says what
 * each place leaves open.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  auditLeaves,
  EMPTY_TREE_HASH,
  logKeyId,
  prefixRoots,
  type SignedTreeHead,
  treeHeadMessage,
} from '../core/transparency/index.ts';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import { appendAudit, firstBrokenAuditEntry, readAudit } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';

/** Serialises making the log key across server processes started at once. */
const LOG_KEY_LOCK = 72_657_370;

/** The server's log key: its id, its public half (raw, hex) and a signer. */
export interface LogSigner {
  keyId: string;
  publicKey: string;
  createdAt: string;
  /** signs a tree head (never throws) */
  sign(head: Omit<SignedTreeHead, 'keyId' | 'signature'>): SignedTreeHead;
}

/** Raw public key (hex) of an Ed25519 key object. */
function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x?: string };
  return Buffer.from(jwk.x ?? '', 'base64url').toString('hex');
}

function signerOf(privateKey: KeyObject, createdAt: string): LogSigner {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const keyId = logKeyId(publicKey);
  return {
    keyId,
    publicKey,
    createdAt,
    sign: (head) => ({
      ...head,
      keyId,
      signature: sign(null, treeHeadMessage(head), privateKey).toString('hex'),
    }),
  };
}

/**
 * The server's log key: the one recorded in the database, made (and recorded in the log) at the
 * first start. With `keyFile`, the private key is read from that file (made there, readable by
 * the server's user only, at the first start) and only its public half is in the database.
 */
export async function openLogSigner(
  db: Database,
  options: { keyFile?: string; now: number },
): Promise<LogSigner> {
  const fromFile =
    options.keyFile === undefined || !existsSync(options.keyFile)
      ? undefined
      : readFileSync(options.keyFile, 'utf8');
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOG_KEY_LOCK]);
    const rows = await tx.query<{ key_id: string; private_key: string | null; created_at: string }>(
      'SELECT key_id, private_key, created_at FROM log_keys ORDER BY created_at DESC LIMIT 1',
    );
    const row = rows[0];
    const pem = fromFile ?? row?.private_key ?? undefined;
    if (row !== undefined && pem !== undefined) {
      const signer = signerOf(createPrivateKey(pem), row.created_at);
      if (signer.keyId !== row.key_id)
        throw new Error(
          'the log key file is not the key the database records: give the key file this server made, or move the database back',
        );
      return signer;
    }
    if (row !== undefined)
      throw new Error(
        `the log key is kept in a file the server was not given (${row.key_id}): give --log-key <file>`,
      );
    const { privateKey } = generateKeyPairSync('ed25519');
    const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const createdAt = new Date(options.now).toISOString();
    const signer = signerOf(privateKey, createdAt);
    if (options.keyFile !== undefined) {
      writeFileSync(options.keyFile, privatePem, { mode: 0o600, flag: 'wx' });
      chmodSync(options.keyFile, 0o600);
    }
    await tx.query(
      'INSERT INTO log_keys (key_id, public_key, private_key, created_at) VALUES ($1, $2, $3, $4)',
      [signer.keyId, signer.publicKey, options.keyFile === undefined ? privatePem : null, createdAt],
    );
    await appendAudit(tx, {
      at: options.now,
      kind: 'log-key-created',
      actor: null,
      detail: { keyId: signer.keyId, publicKey: signer.publicKey, algorithm: 'Ed25519' },
    });
    return signer;
  });
}

/** The public log keys the database records, newest first (what `GET /api/log/key` serves). */
export async function logKeysOf(
  q: Queryable,
): Promise<{ keyId: string; publicKey: string; algorithm: 'Ed25519'; createdAt: string }[]> {
  const rows = await q.query<{ key_id: string; public_key: string; created_at: string }>(
    'SELECT key_id, public_key, created_at FROM log_keys ORDER BY created_at DESC',
  );
  return rows.map((r) => ({
    keyId: r.key_id,
    publicKey: r.public_key,
    algorithm: 'Ed25519',
    createdAt: r.created_at,
  }));
}

type HeadRow = {
  project: string;
  size: string | number;
  root_hash: string;
  at: string;
  key_id: string;
  signature: string;
  time_stamp: string | null;
};

const headOf = (r: HeadRow): SignedTreeHead => ({
  project: r.project,
  size: Number(r.size),
  rootHash: r.root_hash,
  timestamp: r.at,
  keyId: r.key_id,
  signature: r.signature,
  ...(r.time_stamp === null ? {} : { timeStamp: r.time_stamp }),
});

/** The heads signed for `project`, smallest first. */
export async function headsOf(q: Queryable, project: string): Promise<SignedTreeHead[]> {
  const rows = await q.query<HeadRow>(
    'SELECT project, size, root_hash, at, key_id, signature, time_stamp FROM tree_heads WHERE project = $1 ORDER BY size',
    [project],
  );
  return rows.map(headOf);
}

/** The hashes of a project's entries, in their project order. */
export async function projectEntryHashes(q: Queryable, project: string): Promise<string[]> {
  const rows = await q.query<{ hash: string }>(
    'SELECT hash FROM audit_log WHERE project = $1 ORDER BY project_seq',
    [project],
  );
  return rows.map((r) => r.hash);
}

/** A project's log that does not extend what the server signed. */
export interface RewrittenLog {
  project: string;
  /** the entries the log still holds as signed: it was changed after this one (0: from the start) */
  after: number;
  /** the latest head the log no longer matches (absent: its chain is broken before any head) */
  head?: SignedTreeHead;
  message: string;
}

/**
 * Whether the log whose entries hash to `hashes` extends every head in `heads` (smallest first):
 * the latest head is checked first (it covers the others); when it fails, the largest head that
 * still holds says after which entry the log was changed.
 */
export function checkAgainstHeads(
  project: string,
  hashes: readonly string[],
  heads: readonly SignedTreeHead[],
): RewrittenLog | undefined {
  const latest = heads.at(-1);
  if (latest === undefined) return undefined;
  const roots = prefixRoots(auditLeaves(hashes));
  // the empty tree has a root too: a head signed before the project's first entry
  const holds = (h: SignedTreeHead) =>
    h.size <= hashes.length && (h.size === 0 ? EMPTY_TREE_HASH : roots[h.size - 1]) === h.rootHash;
  if (holds(latest)) return undefined;
  const still = [...heads].reverse().find(holds);
  const after = still?.size ?? 0;
  return {
    project,
    after,
    head: latest,
    message: `the audit log of project ${project} was changed ${after === 0 ? 'from its first entry on' : `after entry ${after}`}: it no longer matches the tree head the server signed over ${latest.size} entries at ${latest.timestamp} (root ${latest.rootHash})${hashes.length < latest.size ? `, and holds only ${hashes.length} entries` : ''}`,
  };
}

/** Thrown when a project's log was changed after the server signed a head of it. */
export class LogRewrittenError extends Error {
  override name = 'LogRewrittenError';
  constructor(readonly rewritten: RewrittenLog) {
    super(rewritten.message);
  }
}

/**
 * The signed head of `project`'s log now: the latest signed when the log has not grown since,
 * or a new one signed over all its entries — kept in `tx`, or with `defer` returned not yet kept
 * (`kept: false`) for the caller to stamp with no transaction open and keep with `keepHead`. The
 * log is checked against the latest head first, and a log that does not extend it gets no new
 * head.
 *
 * @throws {LogRewrittenError} when the log no longer matches a head the server signed.
 */
export async function currentHead(
  tx: Queryable,
  project: string,
  signer: LogSigner,
  now: number,
  defer = false,
): Promise<{ head: SignedTreeHead; hashes: string[]; kept: boolean }> {
  const hashes = await projectEntryHashes(tx, project);
  const heads = await headsOf(tx, project);
  const rewritten = checkAgainstHeads(project, hashes, heads);
  if (rewritten !== undefined) throw new LogRewrittenError(rewritten);
  const latest = heads.at(-1);
  if (latest !== undefined && latest.size === hashes.length) return { head: latest, hashes, kept: true };
  const roots = prefixRoots(auditLeaves(hashes));
  const head = signer.sign({
    project,
    size: hashes.length,
    rootHash: roots.at(-1) ?? EMPTY_TREE_HASH,
    timestamp: new Date(now).toISOString(),
  });
  if (defer) return { head, hashes, kept: false };
  return { head: await keepHead(tx, head), hashes, kept: true };
}

/**
 * Keeps `head` (with its time-stamp token, if any: the append-only row cannot take it later) and
 * answers the head kept at its size. Made in an earlier transaction, it is checked again here:
 * the log must still hold it and every head kept meanwhile (a log that grew meanwhile still
 * holds it, as its prefix); when another request kept a head of the same size first, that one is
 * the head.
 *
 * @throws {LogRewrittenError} when the log no longer matches `head` or a head kept before.
 */
export async function keepHead(
  tx: Queryable,
  head: SignedTreeHead,
  timeStamp?: string,
): Promise<SignedTreeHead> {
  const heads = await headsOf(tx, head.project);
  const same = heads.find((h) => h.size === head.size);
  const withIt = same === undefined ? [...heads, head].sort((a, b) => a.size - b.size) : heads;
  const hashes = await projectEntryHashes(tx, head.project);
  const rewritten =
    checkAgainstHeads(head.project, hashes, withIt) ?? checkAgainstHeads(head.project, hashes, [head]);
  if (rewritten !== undefined) throw new LogRewrittenError(rewritten);
  if (same !== undefined) return same;
  // two requests at once may sign the same size: the first kept is the head
  await tx.query(
    `INSERT INTO tree_heads (project, size, root_hash, at, key_id, signature, time_stamp) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (project, size) DO NOTHING`,
    [head.project, head.size, head.rootHash, head.timestamp, head.keyId, head.signature, timeStamp ?? null],
  );
  return (await headsOf(tx, head.project)).find((h) => h.size === head.size) ?? head;
}

/** What the server's check of its own log found: every project's, or the first broken ones. */
export type LogHealth =
  | { status: 'ok'; checkedAt: string; projects: number }
  | { status: 'changed'; checkedAt: string; projects: number; changed: RewrittenLog[] };

/**
 * The server's check of its whole log: the server-wide chain, each project's chain, and each
 * project's tree against the latest head signed of it. Runs at start.
 */
export async function checkWholeLog(db: Queryable, now: number): Promise<LogHealth> {
  const checkedAt = new Date(now).toISOString();
  const entries = await readAudit(db);
  const changed: RewrittenLog[] = [];
  const brokenChain = firstBrokenAuditEntry(entries);
  // each project's entries in one pass, in the server's order (which is each project's order)
  const byProject = new Map<string, typeof entries>();
  for (const entry of entries) {
    const project = entry.detail.project;
    if (project === undefined) continue;
    const own = byProject.get(project);
    if (own === undefined) byProject.set(project, [entry]);
    else own.push(entry);
  }
  const projects = [...byProject.keys()];
  for (const [project, own] of byProject) {
    const broken = firstBrokenProjectEntry(project, own);
    const heads = await headsOf(db, project);
    const latest = heads.at(-1);
    if (broken !== undefined) {
      changed.push({
        project,
        after: broken.index,
        ...(latest === undefined ? {} : { head: latest }),
        message: `the audit log of project ${project} was changed at entry ${broken.index + 1}: its chain is broken (${broken.problem})`,
      });
      continue;
    }
    const rewritten = checkAgainstHeads(
      project,
      own.map((e) => e.hash),
      heads,
    );
    if (rewritten !== undefined) changed.push(rewritten);
  }
  if (brokenChain !== undefined && changed.length === 0)
    changed.push({
      project: '',
      after: brokenChain.seq - 1,
      head: {
        project: '',
        size: 0,
        rootHash: EMPTY_TREE_HASH,
        timestamp: checkedAt,
        keyId: '',
        signature: '',
      },
      message: `the server's audit log was changed at entry ${brokenChain.seq}: its chain is broken (${brokenChain.problem})`,
    });
  return changed.length === 0
    ? { status: 'ok', checkedAt, projects: projects.length }
    : { status: 'changed', checkedAt, projects: projects.length, changed };
}
