/**
 * The Merkle tree of an append-only log as Certificate Transparency defines it (RFC 9162 §2.1):
 * a leaf is hashed as SHA-256(0x00 ‖ data) and a node as SHA-256(0x01 ‖ left ‖ right), a tree of
 * n leaves splits at the largest power of two below n, and the empty tree's hash is SHA-256 of
 * nothing. From it: the root of any prefix, an inclusion proof (one leaf is in the tree a root
 * names) and a consistency proof (the tree a later root names holds, unchanged and in order,
 * every leaf of the tree an earlier root names).
 *
 * Why this way: a hash chain shows that a log was not changed only to someone who kept its
 * every entry; a Merkle root lets anyone who kept one 32-byte root check, with a few hashes from
 * the server, that the log they see now extends the one they saw. The proofs and their checks
 * follow the RFC's algorithms word for word, so a CT library could check ours.
 *
 * Constraints: the prefixes 0x00 and 0x01 and the split are the RFC's; changing either breaks
 * every root ever signed. Hashes cross this module's surface as lowercase hex. Pure and
 * synchronous: the project's own SHA-256 (src/core/hash), no platform crypto.
 */
import { sha256Bytes } from '../hash/index.ts';

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const HEX_HASH = /^[0-9a-f]{64}$/;

/** A hash as lowercase hex (64 characters). */
export type HexHash = string;

function fromHex(hex: HexHash): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHexString(bytes: Uint8Array): HexHash {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function prefixed(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let at = 1;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function node(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256Bytes(prefixed(NODE_PREFIX, left, right));
}

/** The leaf hash of `data` (RFC 9162 §2.1.1): SHA-256(0x00 ‖ data). */
export function leafHash(data: Uint8Array): HexHash {
  return toHexString(sha256Bytes(prefixed(LEAF_PREFIX, data)));
}

/** The hash of the empty tree: SHA-256 of no bytes. */
export const EMPTY_TREE_HASH: HexHash = toHexString(sha256Bytes(new Uint8Array(0)));

/** The largest power of two below `n` (n ≥ 2): where the RFC splits a tree of n leaves. */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * MTH(D[from:to]) over decoded leaf hashes, each subtree hashed once however many proofs ask
 * for it (a tree of n leaves has fewer than 2n subtrees).
 */
function hasher(leaves: readonly Uint8Array[]): (from: number, to: number) => Uint8Array {
  const known = new Map<number, Uint8Array>();
  const subtree = (from: number, to: number): Uint8Array => {
    if (to - from === 1) return leaves[from] as Uint8Array;
    const id = from * (leaves.length + 1) + to;
    const cached = known.get(id);
    if (cached !== undefined) return cached;
    const k = split(to - from);
    const hash = node(subtree(from, from + k), subtree(from + k, to));
    known.set(id, hash);
    return hash;
  };
  return subtree;
}

function decoded(leafHashes: readonly HexHash[]): Uint8Array[] {
  for (const [i, h] of leafHashes.entries())
    if (!HEX_HASH.test(h)) throw new RangeError(`leaf ${i} is not a 64-character lowercase hex hash`);
  return leafHashes.map(fromHex);
}

/** The root hash (MTH) of the tree whose leaves hash to `leafHashes`, in order. */
export function treeRoot(leafHashes: readonly HexHash[]): HexHash {
  if (leafHashes.length === 0) return EMPTY_TREE_HASH;
  const leaves = decoded(leafHashes);
  return toHexString(hasher(leaves)(0, leaves.length));
}

/**
 * The inclusion proof of leaf `index` in the tree of `leafHashes` (RFC 9162 §2.1.3.1): the
 * sibling hashes from the leaf up to the root.
 */
export function inclusionProof(leafHashes: readonly HexHash[], index: number): HexHash[] {
  return inclusionProofs(leafHashes, [index])[0] as HexHash[];
}

/** The inclusion proofs of several leaves of one tree, in the order of `indices`. */
export function inclusionProofs(leafHashes: readonly HexHash[], indices: readonly number[]): HexHash[][] {
  const n = leafHashes.length;
  for (const index of indices)
    if (!Number.isInteger(index) || index < 0 || index >= n)
      throw new RangeError(`leaf ${index} is not in a tree of ${n}`);
  const subtree = hasher(decoded(leafHashes));
  const path = (m: number, from: number, to: number): Uint8Array[] => {
    if (to - from <= 1) return [];
    const k = split(to - from);
    return m < k
      ? [...path(m, from, from + k), subtree(from + k, to)]
      : [...path(m - k, from + k, to), subtree(from, from + k)];
  };
  return indices.map((index) => path(index, 0, n).map(toHexString));
}

/**
 * The root of every prefix of the tree of `leafHashes` — `[i]` is the root of the first i + 1
 * leaves — in one pass: a stack of the whole subtrees so far (a compact range), folded from the
 * right for each root. Finds which of a log's prefixes a printed head names.
 */
export function prefixRoots(leafHashes: readonly HexHash[]): HexHash[] {
  const stack: { size: number; hash: Uint8Array }[] = [];
  const roots: HexHash[] = [];
  for (const leaf of decoded(leafHashes)) {
    stack.push({ size: 1, hash: leaf });
    for (let top = stack.length - 1; top > 0 && stack[top - 1]?.size === stack[top]?.size; top--) {
      const right = stack.pop() as { size: number; hash: Uint8Array };
      const left = stack.pop() as { size: number; hash: Uint8Array };
      stack.push({ size: left.size * 2, hash: node(left.hash, right.hash) });
    }
    let acc = (stack[stack.length - 1] as { hash: Uint8Array }).hash;
    for (let i = stack.length - 2; i >= 0; i--) acc = node((stack[i] as { hash: Uint8Array }).hash, acc);
    roots.push(toHexString(acc));
  }
  return roots;
}

/**
 * The consistency proof from the tree of the first `size` leaves to the tree of all of
 * `leafHashes` (RFC 9162 §2.1.4.1). Empty when `size` is 0 or the whole tree.
 */
export function consistencyProof(leafHashes: readonly HexHash[], size: number): HexHash[] {
  const n = leafHashes.length;
  if (!Number.isInteger(size) || size < 0 || size > n)
    throw new RangeError(`a tree of ${size} is not a prefix of a tree of ${n}`);
  if (size === 0 || size === n) return [];
  const subtree = hasher(decoded(leafHashes));
  const subproof = (m: number, from: number, to: number, whole: boolean): Uint8Array[] => {
    if (m === to - from) return whole ? [] : [subtree(from, to)];
    const k = split(to - from);
    return m <= k
      ? [...subproof(m, from, from + k, whole), subtree(from + k, to)]
      : [...subproof(m - k, from + k, to, false), subtree(from, from + k)];
  };
  return subproof(size, 0, n, true).map(toHexString);
}

function wellFormed(hashes: readonly HexHash[]): boolean {
  return hashes.every((h) => HEX_HASH.test(h));
}

/**
 * Whether `proof` shows the leaf hashing to `leaf` at `index` in the tree of `size` whose root
 * is `root` (RFC 9162 §2.1.3.2).
 */
export function verifyInclusion(
  leaf: HexHash,
  index: number,
  size: number,
  proof: readonly HexHash[],
  root: HexHash,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  if (!wellFormed([leaf, root, ...proof])) return false;
  let fn = index;
  let sn = size - 1;
  let r = fromHex(leaf);
  for (const hex of proof) {
    if (sn === 0) return false;
    const p = fromHex(hex);
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else r = node(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && toHexString(r) === root;
}

/**
 * Whether `proof` shows that the tree of `second` leaves with root `secondRoot` extends the tree
 * of `first` leaves with root `firstRoot` (RFC 9162 §2.1.4.2). Every tree extends the empty one;
 * a tree extends itself only with an empty proof and the same root.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: HexHash,
  secondRoot: HexHash,
  proof: readonly HexHash[],
): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second) return false;
  if (!wellFormed([firstRoot, secondRoot, ...proof])) return false;
  if (first === 0) return proof.length === 0 && firstRoot === EMPTY_TREE_HASH;
  if (first === second) return proof.length === 0 && firstRoot === secondRoot;
  if (proof.length === 0) return false;
  // a first tree of a power of two is a whole subtree of the second: it starts the path
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = fromHex(path[0] as HexHash);
  let sr = fr;
  for (const hex of path.slice(1)) {
    if (sn === 0) return false;
    const c = fromHex(hex);
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else sr = node(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && toHexString(fr) === firstRoot && toHexString(sr) === secondRoot;
}

/** The leaf of an audit entry: its 32-byte hash (which already covers its content and its link). */
export function entryLeafHash(entryHash: HexHash): HexHash {
  if (!HEX_HASH.test(entryHash)) throw new RangeError('an entry hash is 64 lowercase hex characters');
  return leafHash(fromHex(entryHash));
}
