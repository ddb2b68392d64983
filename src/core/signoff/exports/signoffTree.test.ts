/**
 * `compareSignoffExports` on its own: the branches of the head comparison the CLI table
 * (src/cli/commands/signoffVerifySignoffTree.test.ts) does not reach — heads over as many entries
 * with different roots (the server's log changed between the exports), a later file whose head
 * covers fewer entries, a server entry both files name with different hashes, and a head signed
 * by a key the server rotated to. Heads and histories of keys are compared here, not verified (the
 * verifier checks each file's own heads and history first).
 */
import { describe, expect, it } from 'vitest';
import type { AuditLogFile, SignoffTreeHead } from '../../../formats/auditLog.ts';
import { exportRecord, PROJECT, serverSignedScene } from '../signing/testing/serverSigned.ts';
import { compareSignoffExports } from './signoffTree.ts';

const head = (
  size: number,
  root: string,
  keyId = 'k'.repeat(64),
  history?: NonNullable<SignoffTreeHead['logKey']['history']>,
): SignoffTreeHead => ({
  treeHead: { project: PROJECT, size, rootHash: root.repeat(64), timestamp: 't', keyId, signature: '' },
  logKey: { keyId, publicKey: '', algorithm: 'Ed25519', ...(history === undefined ? {} : { history }) },
  inclusionProofs: [],
});

async function files() {
  const { review, entries } = await serverSignedScene();
  const file = (treeHeads: SignoffTreeHead[], records = [exportRecord(review, entries)]) =>
    ({ entries, reviews: [review], serverRecords: records, treeHeads }) as Pick<
      AuditLogFile,
      'entries' | 'reviews' | 'serverRecords' | 'treeHeads'
    >;
  return { review, entries, file };
}

describe('compareSignoffExports', () => {
  it('passes the same export, and one whose head covers more entries', async () => {
    const { file } = await files();
    expect(compareSignoffExports(file([head(14, 'a')]), 'new', file([head(14, 'a')]), 'old')).toEqual({
      extends: true,
      entries: 5,
      added: 0,
    });
    expect(compareSignoffExports(file([head(20, 'b')]), 'new', file([head(14, 'a')]), 'old').extends).toBe(
      true,
    );
  });

  it('names the server’s log changed when heads over as many entries differ, and the earlier file as the earlier word', async () => {
    const { file } = await files();
    const result = compareSignoffExports(file([head(14, 'b')]), 'new', file([head(14, 'a')]), 'old');
    expect(result).toMatchObject({ extends: false });
    if (!result.extends) {
      expect(result.message).toContain("the team server's log of project team-1 was changed");
      expect(result.message).toContain("old holds the server's earlier word");
    }
  });

  it('refuses a later file whose head covers fewer entries, or names a server entry otherwise', async () => {
    const { file, review, entries } = await files();
    const fewer = compareSignoffExports(file([head(10, 'a')]), 'new', file([head(14, 'a')]), 'old');
    expect(fewer.extends ? '' : fewer.message).toMatch(/covers 10 entries, fewer than old's 14/);
    const moved = exportRecord(review, entries, 14);
    const other = { ...moved, hash: 'f'.repeat(64) };
    const differs = compareSignoffExports(file([], [other]), 'new', file([], [moved]), 'old');
    expect(differs.extends ? '' : differs.message).toMatch(
      /record of this export \(its entry 14\) in new is not the team server's entry 14 of project team-1 that old holds/,
    );
  });

  it('passes a head signed by a key the later file’s history shows the server rotated to, and refuses any other key', async () => {
    const { file } = await files();
    const key = (c: string, rotatedFrom?: string) => ({
      keyId: c.repeat(64),
      publicKey: '',
      algorithm: 'Ed25519' as const,
      createdAt: 't',
      ...(rotatedFrom === undefined ? {} : { rotatedFrom: { keyId: rotatedFrom.repeat(64), signature: '' } }),
    });
    const rotated = head(20, 'b', 'n'.repeat(64), [key('k'), key('n', 'k')]);
    expect(compareSignoffExports(file([rotated]), 'new', file([head(14, 'a')]), 'old').extends).toBe(true);
    const stranger = compareSignoffExports(
      file([head(20, 'b', 's'.repeat(64))]),
      'new',
      file([head(14, 'a')]),
      'old',
    );
    expect(stranger.extends ? '' : stranger.message).toMatch(/no rotation the team server recorded leads to/);
    // a history that leads away from the earlier key, not from it
    const back = compareSignoffExports(file([head(14, 'a')]), 'new', file([rotated]), 'old');
    expect(back.extends).toBe(false);
  });
});
