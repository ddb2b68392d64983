/**
 * Signed tree heads: the team server's word, under its log key (Ed25519), that a project's log
 * had `size` entries whose Merkle tree (merkleTree.ts) has root `rootHash` at `timestamp`. A
 * member's browser, an older export or a head printed on paper holds one; a later log that does
 * not extend it (a consistency proof fails, or an entry differs) was rewritten after it.
 *
 * Constraints: what is signed is the UTF-8 of the RFC 8785 canonical JSON of
 * `{ "preflight.tree-head/v1": { project, size, rootHash, timestamp } }` — the tag keeps a head's
 * signature from being taken for any other message; changing it breaks every head ever signed.
 * Keys and signatures are lowercase hex of their raw bytes (32 and 64); a key is named by the
 * SHA-256 of its raw bytes. Verification uses the standard `crypto.subtle` (browsers, Node).
 */
import { canonicalJson, sha256Hex } from '../hash/index.ts';

/** The tag inside what a head's signature signs. */
const TREE_HEAD_TAG = 'preflight.tree-head/v1';

/** What the server signs about one project's log. */
export interface TreeHead {
  project: string;
  /** how many entries the project's log had */
  size: number;
  /** the Merkle tree hash of those entries (lowercase hex) */
  rootHash: string;
  /** RFC 3339, UTC, from the server's clock */
  timestamp: string;
}

/** A tree head with the server's signature and the key that made it. */
export interface SignedTreeHead extends TreeHead {
  /** SHA-256 (hex) of the raw Ed25519 public key that signed it */
  keyId: string;
  /** Ed25519 signature (hex) over {@link treeHeadMessage} */
  signature: string;
  /**
   * an RFC 3161 time-stamp token (base64 DER) over the head (timeStamp.ts), when the server was
   * given a time-stamp authority and it answered; not part of what the server signs
   */
  timeStamp?: string;
}

/** The bytes a head's signature is over. */
export function treeHeadMessage(head: TreeHead): Uint8Array<ArrayBuffer> {
  const { project, size, rootHash, timestamp } = head;
  return new TextEncoder().encode(canonicalJson({ [TREE_HEAD_TAG]: { project, size, rootHash, timestamp } }));
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The id of a log key: SHA-256 (hex) of its raw public key, given as hex. */
export function logKeyId(publicKeyHex: string): string {
  const raw = hexBytes(publicKeyHex);
  if (raw === undefined) throw new RangeError('a log key is lowercase hex');
  return sha256Hex(raw);
}

/** Raw Ed25519 public key length. */
const ED25519_KEY_BYTES = 32;
/** Ed25519 signature length. */
const ED25519_SIGNATURE_BYTES = 64;

/**
 * Whether `signatureHex` is an Ed25519 signature over `message` by the key `publicKeyHex` (raw,
 * hex). Never throws.
 */
export async function verifyEd25519(
  publicKeyHex: string,
  signatureHex: string,
  message: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const key = hexBytes(publicKeyHex);
  const signature = hexBytes(signatureHex);
  if (key?.length !== ED25519_KEY_BYTES || signature?.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    const imported = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, imported, signature, message);
  } catch {
    return false;
  }
}

/**
 * Whether `head` is signed by the Ed25519 key `publicKeyHex` (raw, hex): its key id names that
 * key and its signature verifies over {@link treeHeadMessage}. Never throws.
 */
export async function verifyTreeHead(head: SignedTreeHead, publicKeyHex: string): Promise<boolean> {
  const key = hexBytes(publicKeyHex);
  if (key === undefined || head.keyId !== sha256Hex(key)) return false;
  return verifyEd25519(publicKeyHex, head.signature, treeHeadMessage(head));
}

/**
 * Whether `a` and `b` are the very same signed head: the same signed fields under the same key
 * and signature. (Ed25519 signatures are deterministic, so the server signing the same fields
 * again gives the same signature.)
 */
export function sameSignedHead(a: SignedTreeHead, b: SignedTreeHead): boolean {
  return (
    a.project === b.project &&
    a.size === b.size &&
    a.rootHash === b.rootHash &&
    a.timestamp === b.timestamp &&
    a.keyId === b.keyId &&
    a.signature === b.signature
  );
}

/**
 * Whether `later` is the head `earlier` is but without the RFC 3161 time-stamp `earlier` carried.
 * The server asks its authority once, when it signs a head, and keeps the stamp with the head for
 * good; the stamp is not part of what the server signs, so it can be taken off without breaking
 * the signature. The same head seen stamped and then unstamped was therefore stripped of its
 * stamp — never an authority that did not answer, which leaves a head unstamped from the start.
 */
export function stampRemoved(earlier: SignedTreeHead, later: SignedTreeHead): boolean {
  return (
    typeof earlier.timeStamp === 'string' &&
    typeof later.timeStamp !== 'string' &&
    sameSignedHead(earlier, later)
  );
}
