/**
 * The Merkle tree against the reference vectors CT implementations share (the eight leaves of
 * RFC 6962's test suite, as transparency-dev/merkle keeps them: each prefix's root, and the
 * inclusion and consistency proofs its tests name), then properties over random logs: every
 * prefix's consistency proof and every leaf's inclusion proof verify, and a changed leaf or a
 * changed proof fails. fast-check prints a replayable seed on failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditTreeRoot, compareLogs } from './auditTree.ts';
import {
  consistencyProof,
  EMPTY_TREE_HASH,
  inclusionProof,
  leafHash,
  prefixRoots,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './merkleTree.ts';

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
const INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const LEAVES = INPUTS.map((i) => leafHash(hex(i)));

/** Root of each prefix, by size (0 = the empty tree). */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const H = {
  l0: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  l1: '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  l4: 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  n01: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  n23: '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  n45: '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
  n67: 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  n0123: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  n4567: '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
};

const INCLUSION = [
  { description: 'leaf 0 of 8', index: 0, size: 8, proof: [H.l1, H.n23, H.n4567] },
  { description: 'leaf 5 of 8', index: 5, size: 8, proof: [H.l4, H.n67, H.n0123] },
  { description: 'leaf 2 of 3', index: 2, size: 3, proof: [H.n01] },
  { description: 'leaf 1 of 5', index: 1, size: 5, proof: [H.l0, H.n23, H.l4] },
  { description: 'leaf 0 of 1', index: 0, size: 1, proof: [] },
];

const CONSISTENCY = [
  { description: '1 → 1', first: 1, second: 1, proof: [] },
  { description: '1 → 8', first: 1, second: 8, proof: [H.l1, H.n23, H.n4567] },
  { description: '6 → 8', first: 6, second: 8, proof: [H.n45, H.n67, H.n0123] },
  { description: '2 → 5', first: 2, second: 5, proof: [H.n23, H.l4] },
];

describe('the RFC 9162 Merkle tree against the reference vectors', () => {
  it('hashes every prefix to its reference root, the empty tree included', () => {
    expect(EMPTY_TREE_HASH).toBe(ROOTS[0]);
    for (const [size, root] of ROOTS.entries()) expect(treeRoot(LEAVES.slice(0, size))).toBe(root);
  });

  it.each(INCLUSION)('gives and verifies the inclusion proof of $description', ({ index, size, proof }) => {
    const leaves = LEAVES.slice(0, size);
    expect(inclusionProof(leaves, index)).toEqual(proof);
    expect(verifyInclusion(LEAVES[index] as string, index, size, proof, ROOTS[size] as string)).toBe(true);
  });

  it.each(CONSISTENCY)(
    'gives and verifies the consistency proof $description',
    ({ first, second, proof }) => {
      expect(consistencyProof(LEAVES.slice(0, second), first)).toEqual(proof);
      expect(verifyConsistency(first, second, ROOTS[first] as string, ROOTS[second] as string, proof)).toBe(
        true,
      );
    },
  );

  it('roots every prefix in one pass', () => {
    expect(prefixRoots(LEAVES)).toEqual(ROOTS.slice(1));
  });

  it('refuses proofs of the wrong size, place or root', () => {
    const proof = consistencyProof(LEAVES, 6);
    expect(verifyConsistency(5, 8, ROOTS[6] as string, ROOTS[8] as string, proof)).toBe(false);
    expect(verifyConsistency(6, 8, ROOTS[5] as string, ROOTS[8] as string, proof)).toBe(false);
    expect(verifyConsistency(6, 8, ROOTS[6] as string, ROOTS[8] as string, proof.slice(1))).toBe(false);
    expect(verifyConsistency(8, 6, ROOTS[8] as string, ROOTS[6] as string, proof)).toBe(false);
    expect(verifyInclusion(LEAVES[5] as string, 4, 8, inclusionProof(LEAVES, 5), ROOTS[8] as string)).toBe(
      false,
    );
    expect(verifyInclusion(LEAVES[5] as string, 8, 8, [], ROOTS[8] as string)).toBe(false);
    expect(() => inclusionProof(LEAVES, 8)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 9)).toThrow(RangeError);
  });
});

const log = fc.array(fc.uint8Array({ minLength: 0, maxLength: 8 }), { minLength: 1, maxLength: 40 });

describe('properties over any log (seed printed on failure)', () => {
  it('every prefix has a consistency proof that verifies, and a changed leaf fails it', () => {
    fc.assert(
      fc.property(log, fc.nat(), fc.nat(), (inputs, m, at) => {
        const leaves = inputs.map((i) => leafHash(i));
        const n = leaves.length;
        const first = 1 + (m % n);
        const proof = consistencyProof(leaves, first);
        const oldRoot = treeRoot(leaves.slice(0, first));
        const newRoot = treeRoot(leaves);
        expect(verifyConsistency(first, n, oldRoot, newRoot, proof)).toBe(true);
        // a leaf of the earlier tree changed in the later one: no proof the server can give verifies
        const changed = at % first;
        const rewritten = leaves.map((l, i) => (i === changed ? leafHash(Uint8Array.of(0xff, i)) : l));
        const forged = consistencyProof(rewritten, first);
        expect(verifyConsistency(first, n, oldRoot, treeRoot(rewritten), forged)).toBe(false);
      }),
    );
  });

  it('every leaf has an inclusion proof that verifies, and only for itself', () => {
    fc.assert(
      fc.property(log, fc.nat(), (inputs, i) => {
        const leaves = inputs.map((x) => leafHash(x));
        const index = i % leaves.length;
        const root = treeRoot(leaves);
        const proof = inclusionProof(leaves, index);
        expect(verifyInclusion(leaves[index] as string, index, leaves.length, proof, root)).toBe(true);
        expect(prefixRoots(leaves).at(-1)).toBe(root);
        expect(verifyInclusion(leafHash(Uint8Array.of(0xff, 0xfe)), index, leaves.length, proof, root)).toBe(
          false,
        );
      }),
    );
  });
});

describe('a project log as a tree', () => {
  const entries = ['a', 'b', 'c'].map((c) => ({ hash: c.repeat(64) }));
  it('roots its entries by their hashes, any prefix included', () => {
    expect(
      auditTreeRoot(
        entries.map((e) => e.hash),
        2,
      ),
    ).toBe(auditTreeRoot(entries.slice(0, 2).map((e) => e.hash)));
    expect(auditTreeRoot([])).toBe(EMPTY_TREE_HASH);
  });
  it('says where a later copy leaves the earlier one', () => {
    expect(compareLogs(entries.slice(0, 2), entries)).toEqual({ extends: true, added: 1 });
    expect(compareLogs(entries, [entries[0], entries[2]] as { hash: string }[])).toEqual({
      extends: false,
      index: 1,
      reason: 'changed',
    });
    expect(compareLogs(entries, entries.slice(0, 2))).toEqual({
      extends: false,
      index: 2,
      reason: 'missing',
    });
  });
});
