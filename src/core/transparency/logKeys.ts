/**
 * The chain of the team server's log keys: the key it made at its first start, then each key it
 * rotated to, every rotation signed by the key before it and naming the next key (and its id).
 * A witness holding a head signed by an older key follows the chain forward to the key that signs
 * heads now; a head signed by a key the chain does not reach from the key the witness trusts is
 * not the server's word.
 *
 * Why forward only: a rotation retires a key. A head signed by a retired key after the witness
 * followed the chain past it is what someone holding the old key (a stolen backup) could make, so
 * it is refused like a key from nowhere.
 *
 * Constraints: a rotation's signature is Ed25519, by the key before, over the UTF-8 of the RFC
 * 8785 canonical JSON of `{ "preflight.log-key-rotation/v1": { previousKeyId, keyId, publicKey,
 * algorithm, createdAt } }` — the tag keeps it from being taken for a tree head's signature;
 * changing it breaks every rotation ever recorded. Keys and signatures are lowercase hex of their
 * raw bytes, a key named by the SHA-256 of its raw bytes (treeHead.ts).
 */
import { canonicalJson } from '../hash/index.ts';
import { logKeyId, type SignedTreeHead, verifyEd25519 } from './treeHead.ts';

/** The tag inside what a rotation's signature signs. */
const LOG_KEY_ROTATION_TAG = 'preflight.log-key-rotation/v1';

/** A log key, as exports and the server name it. */
export interface LogKey {
  /** SHA-256 (hex) of the raw public key: its fingerprint */
  keyId: string;
  /** the raw Ed25519 public key (hex) */
  publicKey: string;
  algorithm: 'Ed25519';
}

/** One key of the server's history: its first, or a rotation to it signed by the key before. */
export interface LogKeyRecord extends LogKey {
  /** when the server made it (RFC 3339, UTC, the server's clock) */
  createdAt: string;
  /** how the key before handed over to this one; absent on the server's first key */
  rotatedFrom?: {
    keyId: string;
    /** Ed25519 signature (hex) by the key before over {@link logKeyRotationMessage} */
    signature: string;
  };
}

/** The bytes a rotation's signature is over: the key before hands over to `record`. */
export function logKeyRotationMessage(
  record: Pick<LogKeyRecord, 'keyId' | 'publicKey' | 'createdAt'>,
  previousKeyId: string,
): Uint8Array<ArrayBuffer> {
  const { keyId, publicKey, createdAt } = record;
  return new TextEncoder().encode(
    canonicalJson({
      [LOG_KEY_ROTATION_TAG]: { previousKeyId, keyId, publicKey, algorithm: 'Ed25519', createdAt },
    }),
  );
}

/** What the check of a key history found. */
type KeyHistoryCheck = { ok: true } | { ok: false; message: string };

const short = (keyId: string) => keyId.slice(0, 16);

/**
 * Whether `history` (oldest first) is one chain: each key's id is its fingerprint, the first was
 * not rotated to, and each later key was rotated to from the key just before it, signed by that
 * key. Never throws.
 */
export async function checkKeyHistory(history: readonly LogKeyRecord[]): Promise<KeyHistoryCheck> {
  for (const [i, record] of history.entries()) {
    let id: string | undefined;
    try {
      id = logKeyId(record.publicKey);
    } catch {
      id = undefined;
    }
    if (id !== record.keyId)
      return { ok: false, message: `log key ${short(record.keyId)} is not named by its own fingerprint` };
    const before = history[i - 1];
    if (before === undefined) {
      if (record.rotatedFrom !== undefined)
        return {
          ok: false,
          message: `the history of log keys starts at key ${short(record.keyId)}, rotated from key ${short(record.rotatedFrom.keyId)} it does not hold`,
        };
      continue;
    }
    if (record.rotatedFrom?.keyId !== before.keyId)
      return {
        ok: false,
        message: `log key ${short(record.keyId)} was not rotated to from key ${short(before.keyId)} before it: the history of keys was cut or reordered`,
      };
    const signed = await verifyEd25519(
      before.publicKey,
      record.rotatedFrom.signature,
      logKeyRotationMessage(record, before.keyId),
    );
    if (!signed)
      return {
        ok: false,
        message: `the rotation to log key ${short(record.keyId)} is not signed by key ${short(before.keyId)} it claims to rotate from: the key was not handed over by the server's earlier key`,
      };
  }
  return { ok: true };
}

/**
 * The keys of a history checked with {@link checkKeyHistory}, from `fromKeyId` forward to
 * `toKeyId` (both included; one key when they are the same), or undefined when `toKeyId` is not
 * reached from `fromKeyId` by the rotations it records.
 */
function keysFrom(
  history: readonly LogKeyRecord[],
  fromKeyId: string,
  toKeyId: string,
): LogKeyRecord[] | undefined {
  const from = history.findIndex((k) => k.keyId === fromKeyId);
  if (from === -1) return undefined;
  const to = history.findIndex((k, i) => i >= from && k.keyId === toKeyId);
  return to === -1 ? undefined : history.slice(from, to + 1);
}

/** Where following the key chain from a trusted key led. */
type KeyChainResult =
  | { ok: true; key: LogKey; rotations: number }
  | { ok: false; reason: 'rotation' | 'unchained'; message: string };

/**
 * Follows `history` (oldest first, as the server or a file gives it) from the key a witness
 * trusts to the key `toKeyId` that signed a head: the history must be one chain of signed
 * rotations, hold the trusted key as it is, and reach `toKeyId` from it going forward. Never
 * throws.
 */
export async function followLogKeys(
  trusted: Pick<LogKey, 'keyId' | 'publicKey'>,
  history: readonly LogKeyRecord[],
  toKeyId: string,
): Promise<KeyChainResult> {
  if (trusted.keyId === toKeyId)
    return {
      ok: true,
      key: { keyId: trusted.keyId, publicKey: trusted.publicKey, algorithm: 'Ed25519' },
      rotations: 0,
    };
  const checked = await checkKeyHistory(history);
  if (!checked.ok) return { ok: false, reason: 'rotation', message: checked.message };
  const held = history.find((k) => k.keyId === trusted.keyId);
  const path = held?.publicKey === trusted.publicKey ? keysFrom(history, trusted.keyId, toKeyId) : undefined;
  const last = path?.at(-1);
  if (path === undefined || last === undefined)
    return {
      ok: false,
      reason: 'unchained',
      message: `log key ${short(toKeyId)} is not reached from log key ${short(trusted.keyId)} by any rotation the server recorded: the head was signed with a key the server never handed over to`,
    };
  return {
    ok: true,
    key: { keyId: last.keyId, publicKey: last.publicKey, algorithm: 'Ed25519' },
    rotations: path.length - 1,
  };
}

/** A log key as a file names it: the key that signed its head, and the history of keys before. */
interface NamedLogKey extends Pick<LogKey, 'keyId' | 'publicKey'> {
  /** every key of the server, oldest first, ending with this one (absent: never rotated) */
  history?: readonly LogKeyRecord[];
}

/**
 * Whether the history a file carries with its log key holds ({@link checkKeyHistory}) and ends
 * with that key. A key with no history passes: the server never rotated. Never throws.
 */
export async function checkNamedLogKey(key: NamedLogKey): Promise<KeyHistoryCheck> {
  if (key.history === undefined) return { ok: true };
  const checked = await checkKeyHistory(key.history);
  if (!checked.ok) return checked;
  const last = key.history.at(-1);
  if (last?.keyId !== key.keyId || last.publicKey !== key.publicKey)
    return {
      ok: false,
      message: `the history of log keys the file carries does not end with the key that signed its head (${short(key.keyId)})`,
    };
  return { ok: true };
}

/**
 * Whether `later` (a key checked with {@link checkNamedLogKey}) is `earlierKeyId` or reached from
 * it by the rotations its history records: the server that signed with the earlier key handed
 * over to the later one.
 */
export function rotatedTo(earlierKeyId: string, later: NamedLogKey): boolean {
  return (
    earlierKeyId === later.keyId || keysFrom(later.history ?? [], earlierKeyId, later.keyId) !== undefined
  );
}

/** When a time is after another, both RFC 3339; false when either cannot be read. */
const later = (a: string, b: string) => {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return !Number.isNaN(x) && !Number.isNaN(y) && x > y;
};

/**
 * Whether the server's own history of keys (`history`, oldest first, checked with
 * {@link checkKeyHistory}, as `GET /api/log/key` serves it) holds the key that signed `head` of
 * an export, as the export names it (`publicKey`), and had not retired it when the head was made.
 * A key the server rotated from signed heads until its rotation: a head it signed that is dated
 * after the rotation, or that covers an entry the server wrote after it (`latestEntryAt`, the
 * time of the last entry the head covers, when the caller knows the entries are the server's),
 * is what a copy of the retired key makes. Never throws.
 */
export function checkHeadKeyOfServer(
  head: Pick<SignedTreeHead, 'keyId' | 'timestamp'>,
  publicKey: string,
  history: readonly LogKeyRecord[],
  options: { project?: string; latestEntryAt?: string } = {},
): KeyHistoryCheck {
  const what = `the signed tree head${options.project === undefined ? '' : ` of project ${options.project}`}`;
  const held = history.find((k) => k.keyId === head.keyId);
  if (held === undefined || held.publicKey !== publicKey)
    return {
      ok: false,
      message: `${what} is signed by log key ${short(head.keyId)}, which is not one of the team server's log keys (its first and each it rotated to, GET /api/log/key): the head was made elsewhere`,
    };
  const next = history.find((k) => k.rotatedFrom?.keyId === head.keyId);
  if (next === undefined) return { ok: true };
  const after = later(head.timestamp, next.createdAt)
    ? `is dated ${head.timestamp}, after it`
    : options.latestEntryAt !== undefined && later(options.latestEntryAt, next.createdAt)
      ? `covers an entry the server wrote after it (at ${options.latestEntryAt})`
      : undefined;
  if (after === undefined) return { ok: true };
  return {
    ok: false,
    message: `${what} is signed by log key ${short(head.keyId)}, which the team server retired at ${next.createdAt}, when it rotated to log key ${short(next.keyId)}; the head ${after}. A retired key signs no more heads: this one was made with a copy of the old key (a backup from before the rotation), not by the server`,
  };
}
