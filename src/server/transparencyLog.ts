/**
 * The audit log as a transparency log: each project's entries, in their project order, are the
 * leaves of an RFC 9162 Merkle tree (src/core/transparency), and the server signs tree heads of
 * it with its log key — Ed25519, made at first start, its public key recorded in the log
 * (`log-key-created`) and served at `GET /api/log/key`; rotated (`serve rotate-log-key`) to a
 * new key the old one signs over, recorded as `log-key-rotated`, the route serving every key. A
 * head is signed when someone asks for one (a member's browser at each sync, an export), never
 * over a log that does not extend the last head signed: the server checks its own log — each
 * project's chain and its tree against the latest head it signed — at start and before every
 * head and export, and refuses a project whose log was changed.
 *
 * Why: the log refuses UPDATE and DELETE by trigger, but whoever owns the database can switch the
 * trigger off, delete an entry and re-chain the rest; the chain then verifies. A signed head the
 * server kept (migration 10), a member's browser kept or an older export carries does not: the
 * rewritten tree's root differs from it. The owner can delete the heads too, so the latest head
 * of each project is also anchored outside the database (logAnchor.ts), beside the key file or in
 * the embedded database's folder, and checked with the rest. A head read back from the database
 * counts only when one of the server's log keys signed it: the runtime role can insert rows, and
 * a row it made up is ignored and said (`headsOf`), never taken as the log's word.
 *
 * Constraints: signed heads and the log key's row are append-only like the log (the trigger of
 * migration 2), but for one change: a rotation wipes the private half of the key it retires, in
 * its own transaction (migration 14), so the database holds only the current key's. The private
 * key is kept in the database unless the server is given a key file (`logKeyFile`), which someone
 * holding only the database cannot read; docs/part11.md says what each place leaves open.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import {
  auditLeaves,
  checkKeyHistory,
  EMPTY_TREE_HASH,
  type LogKey,
  type LogKeyRecord,
  logKeyId,
  logKeyRotationMessage,
  prefixRoots,
  type SignedTreeHead,
  treeHeadMessage,
  verifyTreeHead,
} from '../core/transparency/index.ts';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import { entriesWithoutEvidence, type UnboundEntry } from './auditEvidence.ts';
import { appendAudit, firstBrokenAuditEntry, readAudit } from './auditLog.ts';
import type { Database, Queryable } from './database.ts';

/** Serialises making and rotating the log key across server processes started at once. */
const LOG_KEY_LOCK = 72_657_370;

/** The server's log key: its id, its public half (raw, hex), its history and a signer. */
export interface LogSigner {
  keyId: string;
  publicKey: string;
  createdAt: string;
  /** every key the server signed heads with, oldest first, this one last (logKeys.ts) */
  history: LogKeyRecord[];
  /** signs a tree head (never throws) */
  sign(head: Omit<SignedTreeHead, 'keyId' | 'signature'>): SignedTreeHead;
}

/** Raw public key (hex) of an Ed25519 key object. */
function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x?: string };
  return Buffer.from(jwk.x ?? '', 'base64url').toString('hex');
}

function signerOf(privateKey: KeyObject, createdAt: string, history: LogKeyRecord[]): LogSigner {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const keyId = logKeyId(publicKey);
  return {
    keyId,
    publicKey,
    createdAt,
    history,
    sign: (head) => ({
      ...head,
      keyId,
      signature: sign(null, treeHeadMessage(head), privateKey).toString('hex'),
    }),
  };
}

type KeyRow = {
  key_id: string;
  public_key: string;
  private_key: string | null;
  created_at: string;
  rotated_from: string | null;
  rotation_signature: string | null;
};

const recordOf = (r: KeyRow): LogKeyRecord => ({
  keyId: r.key_id,
  publicKey: r.public_key,
  algorithm: 'Ed25519',
  createdAt: r.created_at,
  ...(r.rotated_from === null
    ? {}
    : { rotatedFrom: { keyId: r.rotated_from, signature: r.rotation_signature ?? '' } }),
});

/**
 * The log keys the database records, oldest first along their rotations: the first key, then the
 * key rotated to from it, and so on. A row no rotation reaches (the database was edited) is left
 * out, and {@link checkKeyHistory} of what is left still has to hold.
 */
async function keyRowsOf(q: Queryable): Promise<KeyRow[]> {
  const rows = await q.query<KeyRow>(
    'SELECT key_id, public_key, private_key, created_at, rotated_from, rotation_signature FROM log_keys ORDER BY created_at',
  );
  const chain: KeyRow[] = [];
  for (let next = rows.find((r) => r.rotated_from === null); next !== undefined; ) {
    chain.push(next);
    const at: KeyRow = next;
    next = rows.find((r) => r.rotated_from === at.key_id);
  }
  return chain;
}

/** The key id of a private key's PEM, or undefined when it is not one. */
function keyIdOfPem(pem: string): string | undefined {
  try {
    return logKeyId(rawPublicKey(createPublicKey(createPrivateKey(pem))));
  } catch {
    return undefined;
  }
}

/** Reads a private key file, or undefined when there is none. */
const readKeyFile = (file: string | undefined): string | undefined =>
  file === undefined || !existsSync(file) ? undefined : readFileSync(file, 'utf8');

/**
 * The signer of the latest key the database records (undefined when it records none): its
 * private half from `keyFile` when given and from the database otherwise. A key file left as
 * `<keyFile>.next` by a rotation that committed but did not get to put it in place is put in
 * place now.
 */
async function latestSigner(tx: Queryable, keyFile: string | undefined): Promise<LogSigner | undefined> {
  const chain = await keyRowsOf(tx);
  const row = chain.at(-1);
  if (row === undefined) return undefined;
  const history = chain.map(recordOf);
  const checked = await checkKeyHistory(history);
  if (!checked.ok)
    throw new Error(
      `the database's history of log keys does not hold (${checked.message}): the log_keys table was edited; restore it from a backup`,
    );
  let pem: string | undefined;
  const pending = keyFile === undefined ? undefined : `${keyFile}${NEXT_KEY_SUFFIX}`;
  if (pending !== undefined && existsSync(pending)) {
    const next = readFileSync(pending, 'utf8');
    if (keyIdOfPem(next) === row.key_id) {
      renameSync(pending, keyFile as string);
      pem = next;
    }
  }
  pem ??= readKeyFile(keyFile) ?? row.private_key ?? undefined;
  if (pem === undefined)
    throw new Error(
      `the log key is kept in a file the server was not given (${row.key_id}): give --log-key <file>`,
    );
  const signer = signerOf(createPrivateKey(pem), row.created_at, history);
  if (signer.keyId !== row.key_id)
    throw new Error(
      'the log key file is not the key the database records: give the key file this server made (or rotated to), or move the database back',
    );
  return signer;
}

/** Where a rotation writes the new key file before the database records it. */
const NEXT_KEY_SUFFIX = '.next';

/**
 * The server's log key: the latest one recorded in the database, made (and recorded in the log)
 * at the first start. With `keyFile`, the private key is read from that file (made there,
 * readable by the server's user only, at the first start) and only its public half is in the
 * database.
 */
export async function openLogSigner(
  db: Database,
  options: { keyFile?: string; now: number },
): Promise<LogSigner> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOG_KEY_LOCK]);
    const latest = await latestSigner(tx, options.keyFile);
    if (latest !== undefined) return latest;
    const { privateKey } = generateKeyPairSync('ed25519');
    const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const createdAt = new Date(options.now).toISOString();
    const signer = signerOf(privateKey, createdAt, []);
    signer.history.push({
      keyId: signer.keyId,
      publicKey: signer.publicKey,
      algorithm: 'Ed25519',
      createdAt,
    });
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

/**
 * Rotates the server's log key: makes a new one, has the current key sign the handover
 * ({@link logKeyRotationMessage}), records the new key with that signature and appends a
 * `log-key-rotated` entry naming both keys, all in one transaction. With `keyFile`, the new
 * private key goes to that file (written beside it first, put in place once the database
 * recorded it) and only its public half to the database — also the way to move a key kept in the
 * database out of it; without, it is kept in the database like the key before. The retired key's
 * private half, when the database kept it, is wiped from its row in the same transaction
 * (`wiped`).
 *
 * Constraint: run it with every server process stopped: a process still running keeps signing
 * with the retired key, and {@link keepHead} refuses its heads.
 *
 * @throws when the server has no log key yet, or the current key cannot be read.
 */
export async function rotateLogKey(
  db: Database,
  options: { keyFile?: string; now: number },
): Promise<{ from: LogSigner; to: LogSigner; wiped: boolean }> {
  const pending = options.keyFile === undefined ? undefined : `${options.keyFile}${NEXT_KEY_SUFFIX}`;
  const rotated = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOG_KEY_LOCK]);
    const last = (await keyRowsOf(tx)).at(-1);
    const inFile = last !== undefined && last.private_key === null;
    if (!inFile && options.keyFile !== undefined && existsSync(options.keyFile))
      throw new Error(
        `${options.keyFile} exists already and the current log key is kept in the database: name a new file for the new key`,
      );
    const from = await latestSigner(tx, inFile ? options.keyFile : undefined);
    if (from === undefined)
      throw new Error('the server has no log key yet: start it once (it makes one), then rotate');
    // read after `latestSigner`, which may have put a key file left by a crash in place
    const fromPem = (inFile ? readKeyFile(options.keyFile) : last?.private_key) ?? '';
    const { privateKey } = generateKeyPairSync('ed25519');
    const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const createdAt = new Date(options.now).toISOString();
    const made = signerOf(privateKey, createdAt, []);
    const rotation = {
      keyId: made.keyId,
      signature: sign(
        null,
        logKeyRotationMessage({ keyId: made.keyId, publicKey: made.publicKey, createdAt }, from.keyId),
        createPrivateKey(fromPem),
      ).toString('hex'),
    };
    const record: LogKeyRecord = {
      keyId: made.keyId,
      publicKey: made.publicKey,
      algorithm: 'Ed25519',
      createdAt,
      rotatedFrom: { keyId: from.keyId, signature: rotation.signature },
    };
    const to = signerOf(privateKey, createdAt, [...from.history, record]);
    if (pending !== undefined) {
      rmSync(pending, { force: true });
      writeFileSync(pending, privatePem, { mode: 0o600, flag: 'wx' });
      chmodSync(pending, 0o600);
    }
    await tx.query(
      `INSERT INTO log_keys (key_id, public_key, private_key, created_at, rotated_from, rotation_signature)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        to.keyId,
        to.publicKey,
        pending === undefined ? privatePem : null,
        createdAt,
        from.keyId,
        rotation.signature,
      ],
    );
    // the retired key signs nothing more: whoever reads the database after cannot sign with it
    // (the trigger lets only a key rotated from be wiped, so this follows the row above)
    await tx.query('UPDATE log_keys SET private_key = NULL WHERE key_id = $1 AND private_key IS NOT NULL', [
      from.keyId,
    ]);
    await appendAudit(tx, {
      at: options.now,
      kind: 'log-key-rotated',
      actor: null,
      detail: {
        keyId: to.keyId,
        publicKey: to.publicKey,
        algorithm: 'Ed25519',
        previousKeyId: from.keyId,
        signature: rotation.signature,
      },
    });
    return { from, to, wiped: !inFile };
  });
  if (pending !== undefined) renameSync(pending, options.keyFile as string);
  return rotated;
}

/** The log key as an export names it, with the history of keys when the server ever rotated. */
export function exportedLogKey(signer: LogSigner): LogKey & { history?: LogKeyRecord[] } {
  return {
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    algorithm: 'Ed25519',
    ...(signer.history.length > 1 ? { history: signer.history } : {}),
  };
}

/** The public log keys the database records, newest first (what `GET /api/log/key` serves). */
export async function logKeysOf(q: Queryable): Promise<LogKeyRecord[]> {
  return (await keyRowsOf(q)).map(recordOf).reverse();
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

/** A head the database holds that the server did not sign: ignored, and said where the administrator looks. */
export interface IgnoredHead {
  project: string;
  size: number;
  keyId: string;
  /** `unknown-key`: signed by no key of the server's history; `bad-signature`: its signature does not hold */
  reason: 'unknown-key' | 'bad-signature';
}

/** Heads already verified in this process (their signed content and signature), so each is verified once. */
const verifiedHeads = new Set<string>();
/** Beyond this many, the cache is started afresh: it only saves work. */
const VERIFIED_HEADS_CACHE = 100_000;

/**
 * Whether `head` is signed by one of the server's log keys (`history`): why not, or undefined when
 * it is. Never throws.
 */
export async function headSignatureProblem(
  head: SignedTreeHead,
  history: readonly LogKeyRecord[],
): Promise<IgnoredHead['reason'] | undefined> {
  const key = history.find((k) => k.keyId === head.keyId);
  if (key === undefined) return 'unknown-key';
  const id = `${head.keyId}|${head.signature}|${head.project}|${head.size}|${head.rootHash}|${head.timestamp}`;
  if (verifiedHeads.has(id)) return undefined;
  if (!(await verifyTreeHead(head, key.publicKey).catch(() => false))) return 'bad-signature';
  if (verifiedHeads.size >= VERIFIED_HEADS_CACHE) verifiedHeads.clear();
  verifiedHeads.add(id);
  return undefined;
}

/**
 * The heads signed for `project` by the server's log keys (`history`), smallest first, one per
 * size; `ignored`, the rows no key of the server signed. Only the server's signature makes a row
 * the log's word: the database's roles can insert rows, and a row they make up must neither pass
 * for a head nor make the honest log look changed.
 */
export async function headsOf(
  q: Queryable,
  project: string,
  history: readonly LogKeyRecord[],
): Promise<{ heads: SignedTreeHead[]; ignored: IgnoredHead[] }> {
  const rows = await q.query<HeadRow>(
    'SELECT project, size, root_hash, at, key_id, signature, time_stamp FROM tree_heads WHERE project = $1 ORDER BY size',
    [project],
  );
  const heads: SignedTreeHead[] = [];
  const ignored: IgnoredHead[] = [];
  for (const head of rows.map(headOf)) {
    const problem = await headSignatureProblem(head, history);
    if (problem !== undefined) ignored.push({ project, size: head.size, keyId: head.keyId, reason: problem });
    else if (heads.at(-1)?.size !== head.size) heads.push(head);
  }
  return { heads, ignored };
}

/** What an administrator reads of heads the server ignored. */
export function ignoredHeadsMessage(ignored: readonly IgnoredHead[]): string {
  const first = ignored[0];
  return `the database holds ${ignored.length} tree head${ignored.length === 1 ? '' : 's'} this server did not sign${first === undefined ? '' : ` (project ${first.project}, ${first.size} entries, ${first.reason === 'unknown-key' ? `key ${first.keyId.slice(0, 16)}, not one of the server's log keys` : 'a signature that does not hold'})`}: the server ignores them. Someone who can write to the database inserted them; check who holds its roles' passwords`;
}

/** The hashes of a project's entries, in their project order. */
async function projectEntryHashes(q: Queryable, project: string): Promise<string[]> {
  return (await projectEntries(q, project)).map((r) => r.hash);
}

/** A project's entries' hashes and dates, in their project order. */
async function projectEntries(q: Queryable, project: string): Promise<{ hash: string; at: string }[]> {
  return q.query<{ hash: string; at: string }>(
    'SELECT hash, at FROM audit_log WHERE project = $1 ORDER BY project_seq',
    [project],
  );
}

/**
 * The first of a project's entries after its first `from` (those a signed head covers) dated
 * before the entry it follows, as a changed log; undefined when they are in time order. The
 * server dates every entry by its clock and never before the entry it follows (auditLog.ts), so
 * one out of order was written around it — by a role of the database, not through the server.
 */
export function firstOutOfOrder(
  project: string,
  ats: readonly string[],
  from: number,
  head: SignedTreeHead | undefined,
): RewrittenLog | undefined {
  for (let i = Math.max(from, 1); i < ats.length; i++) {
    const at = ats[i] as string;
    const before = ats[i - 1] as string;
    if (Date.parse(at) < Date.parse(before))
      return {
        project,
        after: i,
        ...(head === undefined ? {} : { head }),
        reason: 'out-of-order',
        message: `the audit log of project ${project} was changed after entry ${i}: entry ${i + 1} is dated ${at}, before the entry it follows (${before}). The server dates its entries in order by its own clock, so this one was written around the server, by someone who can write to its database`,
      };
  }
  return undefined;
}

/** A project's log that does not extend what the server signed. */
export interface RewrittenLog {
  project: string;
  /** the entries the log still holds as signed: it was changed after this one (0: from the start) */
  after: number;
  /** the latest head the log no longer matches (absent: its chain is broken before any head) */
  head?: SignedTreeHead;
  /** `out-of-order`: the log extends the head, but an entry after it is dated before the one it follows */
  reason?: 'out-of-order';
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

/**
 * `heads` (smallest first) with the head the server anchored outside the database in its place:
 * the anchor is the server's word where the database's owner cannot reach, so a head of the same
 * size read from the database gives way to it.
 */
export function withAnchored(
  heads: readonly SignedTreeHead[],
  anchored: SignedTreeHead | undefined,
): SignedTreeHead[] {
  if (anchored === undefined) return [...heads];
  return [...heads.filter((h) => h.size !== anchored.size), anchored].sort((a, b) => a.size - b.size);
}

/** The problem with an anchored head (signed by none of the server's keys), as the health check says it. */
async function anchoredProblem(
  anchored: SignedTreeHead,
  history: readonly LogKeyRecord[],
): Promise<RewrittenLog | undefined> {
  if ((await headSignatureProblem(anchored, history)) === undefined) return undefined;
  return {
    project: anchored.project,
    after: 0,
    message: `the log anchor kept outside the database holds a head of project ${anchored.project} that none of the server's log keys signed: the anchor file was edited. Restore it from where you keep the log key`,
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
 * Thrown when this server process signed a head with a key rotated away from since it started
 * (`serve rotate-log-key` while it ran): every witness would call such a head a changed log.
 */
export class LogKeyRetiredError extends Error {
  override name = 'LogKeyRetiredError';
  constructor(readonly keyId: string) {
    super(
      `the team server's log key ${keyId.slice(0, 16)} was rotated while this server process ran: it signs no more heads with it. The clinic's administrator restarts the server`,
    );
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
  anchored?: SignedTreeHead,
): Promise<{ head: SignedTreeHead; hashes: string[]; kept: boolean; ignored: IgnoredHead[] }> {
  const entries = await projectEntries(tx, project);
  const hashes = entries.map((e) => e.hash);
  const read = await headsOf(tx, project, signer.history);
  const { ignored } = read;
  const badAnchor = anchored === undefined ? undefined : await anchoredProblem(anchored, signer.history);
  if (badAnchor !== undefined) throw new LogRewrittenError(badAnchor);
  const heads = withAnchored(read.heads, anchored);
  const latest = heads.at(-1);
  const rewritten =
    checkAgainstHeads(project, hashes, heads) ??
    firstOutOfOrder(
      project,
      entries.map((e) => e.at),
      latest?.size ?? 0,
      latest,
    );
  if (rewritten !== undefined) throw new LogRewrittenError(rewritten);
  if (latest !== undefined && latest.size === hashes.length)
    return { head: latest, hashes, kept: true, ignored };
  const roots = prefixRoots(auditLeaves(hashes));
  const head = signer.sign({
    project,
    size: hashes.length,
    rootHash: roots.at(-1) ?? EMPTY_TREE_HASH,
    timestamp: new Date(now).toISOString(),
  });
  if (defer) return { head, hashes, kept: false, ignored };
  return { head: await keepHead(tx, head, signer.history), hashes, kept: true, ignored };
}

/**
 * Keeps `head` (with its time-stamp token, if any: the append-only row cannot take it later) and
 * answers the head kept at its size. Made in an earlier transaction, it is checked again here:
 * the log must still hold it and every head kept meanwhile (a log that grew meanwhile still
 * holds it, as its prefix); when another request kept a head of the same size first, that one is
 * the head.
 *
 * @throws {LogRewrittenError} when the log no longer matches `head` or a head kept before.
 * @throws {LogKeyRetiredError} when `head`'s key was rotated away from.
 */
export async function keepHead(
  tx: Queryable,
  head: SignedTreeHead,
  history: readonly LogKeyRecord[],
  timeStamp?: string,
): Promise<SignedTreeHead> {
  const retired = await tx.query('SELECT 1 FROM log_keys WHERE rotated_from = $1', [head.keyId]);
  if (retired.length > 0) throw new LogKeyRetiredError(head.keyId);
  const { heads } = await headsOf(tx, head.project, history);
  const same = heads.find((h) => h.size === head.size);
  const withIt = same === undefined ? [...heads, head].sort((a, b) => a.size - b.size) : heads;
  const hashes = await projectEntryHashes(tx, head.project);
  const rewritten =
    checkAgainstHeads(head.project, hashes, withIt) ?? checkAgainstHeads(head.project, hashes, [head]);
  if (rewritten !== undefined) throw new LogRewrittenError(rewritten);
  if (same !== undefined) return same;
  // two requests at once may sign the same size: the first kept is the head (a row of that size
  // the server did not sign takes no place: migration 15 keys heads by their signature too)
  await tx.query(
    `INSERT INTO tree_heads (project, size, root_hash, at, key_id, signature, time_stamp) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING`,
    [head.project, head.size, head.rootHash, head.timestamp, head.keyId, head.signature, timeStamp ?? null],
  );
  return (await headsOf(tx, head.project, history)).heads.find((h) => h.size === head.size) ?? head;
}

/** What the server's check of its own log found: every project's, or the first broken ones. */
export type LogHealth = (
  | { status: 'ok'; checkedAt: string; projects: number }
  | { status: 'changed'; checkedAt: string; projects: number; changed: RewrittenLog[] }
) & {
  /** heads the database holds that the server did not sign, ignored (absent: none) */
  ignored?: IgnoredHead[];
  /**
   * entries in a member's name without the evidence that she made them (auditEvidence.ts; absent:
   * none): written before the server kept it, or by whoever holds its database login
   */
  unbound?: UnboundEntry[];
};

/**
 * The server's check of its whole log: the server-wide chain, each project's chain, each
 * project's tree against the latest head signed of it, and each entry in a member's name for the
 * evidence that she made it. Runs at start.
 */
export async function checkWholeLog(
  db: Queryable,
  now: number,
  history: readonly LogKeyRecord[],
  anchored: ReadonlyMap<string, SignedTreeHead> = new Map(),
): Promise<LogHealth> {
  const checkedAt = new Date(now).toISOString();
  const entries = await readAudit(db);
  const changed: RewrittenLog[] = [];
  const ignored: IgnoredHead[] = [];
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
  // a project the anchor names and the database no longer holds any entry of was deleted whole
  for (const project of anchored.keys()) if (!byProject.has(project)) byProject.set(project, []);
  const projects = [...byProject.keys()];
  for (const [project, own] of byProject) {
    const broken = firstBrokenProjectEntry(project, own);
    const read = await headsOf(db, project, history);
    const anchor = anchored.get(project);
    const badAnchor = anchor === undefined ? undefined : await anchoredProblem(anchor, history);
    if (badAnchor !== undefined) {
      changed.push(badAnchor);
      continue;
    }
    const heads = withAnchored(read.heads, anchor);
    ignored.push(...read.ignored);
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
    const rewritten =
      checkAgainstHeads(
        project,
        own.map((e) => e.hash),
        heads,
      ) ??
      firstOutOfOrder(
        project,
        own.map((e) => e.at),
        heads.at(-1)?.size ?? 0,
        heads.at(-1),
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
  const unbound = entriesWithoutEvidence(entries);
  const said = {
    ...(ignored.length === 0 ? {} : { ignored }),
    ...(unbound.length === 0 ? {} : { unbound }),
  };
  return changed.length === 0
    ? { status: 'ok', checkedAt, projects: projects.length, ...said }
    : { status: 'changed', checkedAt, projects: projects.length, changed, ...said };
}
