/**
 * `preflight signoff verify <sign-off export> --server <url>`: a sign-off export of a review sent to
 * a team project carries the server's record of the export and the server entries of the
 * signatures made there. The command's own function is called with the server's anchor as a
 * function (the server's anchor route is proved in src/server/signing.test.ts): a cut tail, a cut
 * record of the export and an edited record each exit 1 naming what, an unreachable server exit 2,
 * a sign-off with no trace of a server (a genuine offline export) exit 3, "not a server export",
 * and the signatures made on the server are listed with their manifestation. The server's keys
 * are a function too: a head signed by a key the server never had, or by one it retired before
 * the head was made, exit 1 naming the key.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testLogKey } from '../../../tests/setup/logKeys.ts';
import { verifySignoffJson } from '../../core/signoff/exports/index.ts';
import {
  approvedScene,
  exportRecord,
  logSigner,
  pendingAuditEntries,
  SCENE_LOG,
  serverKnows,
  serverSignedScene,
} from '../../core/signoff/signing/index.ts';
import { createAuditLogFile } from '../../formats/auditLog.ts';
import type { Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { runCli } from '../cliTestKit.ts';

async function exported() {
  const { plan, review, entries } = await serverSignedScene();
  const record = exportRecord(review, entries);
  const file = (reviews: Review[], chain = entries, records = [record]) =>
    createAuditLogFile({
      projectId: 'proj1',
      exportedAt: '2025-03-02T18:00:00Z',
      entries: chain,
      reviews,
      plans: [plan],
      serverRecords: records,
    }) as unknown as Record<string, unknown>;
  const known = serverKnows([
    { hash: record.hash, projectSeq: 14 },
    { hash: String(9).padStart(64, 'e'), projectSeq: 9 },
    { hash: String(12).padStart(64, 'e'), projectSeq: 12 },
  ]);
  const server = async (hashes: string[]) => known(hashes);
  return { plan, review, entries, record, file, server };
}

describe('signoff verify --server on a sign-off export', () => {
  it('verifies an export as made, and lists the signatures made on the server', async () => {
    const { review, file, server } = await exported();
    const result = await verifySignoffJson('signoff.json', file([review]), { server });
    expect(result).toMatchObject({
      status: 'verified',
      signatures: [{ id: 'sig1', server: { projectSeq: 12 } }],
      serverSignatures: [
        { signer: { name: 'Dana Reyes' }, signedAt: '2025-03-02T16:00:00.000Z', covered: 3, of: 3 },
      ],
    });
  });

  it('exits 1 on a cut tail re-recorded, a cut record, an edited record; 3 on a rewrite with no trace of a server; 2 when the server is out of reach', async () => {
    const { review, entries, file, server } = await exported();
    // the lead's signature cut with its chain entry, and a record made to match: the server does not hold it
    const cut: Review = { ...review, signatures: [] };
    const shorter = entries.slice(0, -1);
    expect(
      await verifySignoffJson('cut.json', file([cut], shorter, [exportRecord(cut, shorter)]), { server }),
    ).toMatchObject({
      status: 'tampered',
      reason: 'server-anchor',
      message: expect.stringContaining('entry 14'),
    });
    // rewritten without any signature or record, and the chain cut before the entry that brought
    // the reviewer's server signature in: nothing here says a server was involved, so it reads as
    // an offline export would — not a server export (exit 3), which is not "verified" either
    const unsignedChain = shorter.filter((e) => e.event !== 'server-signature');
    expect(unsignedChain).toEqual(shorter.slice(0, -1));
    const bare = createAuditLogFile({
      projectId: 'proj1',
      exportedAt: '2025-03-02T18:00:00Z',
      entries: unsignedChain,
      reviews: [{ ...review, signatures: [], serverSignatures: [] }],
    }) as unknown as Record<string, unknown>;
    expect(await verifySignoffJson('bare.json', bare, { server })).toMatchObject({
      status: 'not-server-export',
    });
    // a server signature kept but the server's record of the export cut: tampered
    const recordCut = file([review], entries, []);
    expect(await verifySignoffJson('cut-record.json', recordCut, { server })).toMatchObject({
      status: 'tampered',
      reason: 'server-record',
    });
    // the same rewrite keeping that entry is caught offline: the signature it records is gone
    const kept = createAuditLogFile({
      projectId: 'proj1',
      exportedAt: '2025-03-02T18:00:00Z',
      entries: shorter,
      reviews: [{ ...review, signatures: [], serverSignatures: [] }],
    }) as unknown as Record<string, unknown>;
    expect(await verifySignoffJson('kept.json', kept, {})).toMatchObject({
      status: 'tampered',
      reason: 'step-missing',
    });
    const [record] = (file([review]).serverRecords as { detail: Record<string, string> }[]) ?? [];
    const edited = { ...record, detail: { ...record?.detail, chainHead: 'f'.repeat(64) } };
    expect(
      await verifySignoffJson('edited.json', file([review], entries, [edited as never]), {}),
    ).toMatchObject({
      status: 'tampered',
      reason: 'server-record',
      message: expect.stringContaining('was edited'),
    });
    expect(
      await verifySignoffJson('signoff.json', file([review]), { server: async () => 'it did not answer' }),
    ).toMatchObject({ status: 'unverifiable', reason: 'server-unreachable' });
  });
});

describe('signoff verify --server on the signed tree head a sign-off export carries', () => {
  it('exits 1 on a head signed by a key the server never had or had retired, 2 when its keys cannot be read', async () => {
    const { plan, review, entries, record, server } = await exported();
    const held = await (await logSigner())([...SCENE_LOG, record.hash], [9, 12, 14]);
    const file = createAuditLogFile({
      projectId: 'proj1',
      exportedAt: '2025-03-02T18:00:00Z',
      entries,
      reviews: [review],
      plans: [plan],
      serverRecords: [record],
      treeHeads: [held],
    }) as unknown as Record<string, unknown>;
    const { keyId } = held.logKey;
    const own = { ...held.logKey, createdAt: '2025-01-01T00:00:00.000Z' };
    const verified = await verifySignoffJson('signoff.json', file, {
      server,
      serverKeys: async () => [own],
    });
    expect(verified).toMatchObject({ status: 'verified' });

    const stranger = await testLogKey('2025-03-02T17:30:00.000Z');
    const strangers = await verifySignoffJson('signoff.json', file, {
      server,
      serverKeys: async () => [stranger.record],
    });
    expect(strangers).toMatchObject({ status: 'tampered', reason: 'tree-head' });
    expect(strangers.status === 'tampered' && strangers.message).toContain(
      `the signed tree head of project team-1 is signed by log key ${keyId.slice(0, 16)}, which is not one of the team server's log keys`,
    );
    // the server rotated from the head's key at 17:30; the head says 18:00
    const rotated = { ...stranger.record, rotatedFrom: { keyId, signature: '' } };
    const retired = await verifySignoffJson('signoff.json', file, {
      server,
      serverKeys: async () => [own, rotated],
    });
    expect(retired).toMatchObject({ status: 'tampered', reason: 'tree-head' });
    expect(retired.status === 'tampered' && retired.message).toContain(
      `is signed by log key ${keyId.slice(0, 16)}, which the team server retired at 2025-03-02T17:30:00.000Z`,
    );
    expect(
      await verifySignoffJson('signoff.json', file, {
        server,
        serverKeys: async () => 'it did not answer for its log keys',
      }),
    ).toMatchObject({ status: 'unverifiable', reason: 'server-unreachable' });
  });
});

describe("signoff verify on an export carrying the data lead's approval", () => {
  it('verifies it offline and against the server, and names an edited result', async () => {
    const { plan, review, entries, approval, result } = await approvedScene();
    const record = exportRecord(review, entries);
    const file = (reviews: Review[]) =>
      createAuditLogFile({
        projectId: 'proj1',
        exportedAt: '2025-03-02T18:00:00Z',
        entries,
        reviews,
        plans: [plan],
        serverRecords: [record],
      }) as unknown as Record<string, unknown>;
    const known = serverKnows([
      { hash: record.hash, projectSeq: 14 },
      ...[9, 12, 13].map((seq) => ({ hash: String(seq).padStart(64, 'e'), projectSeq: seq })),
    ]);
    const server = async (hashes: string[]) => known(hashes);
    expect(await verifySignoffJson('signoff.json', file([review]), { server })).toMatchObject({
      status: 'verified',
      serverSignatures: [
        { kind: 'review', signer: { name: 'Dana Reyes' } },
        { kind: 'approval', signer: { name: 'Ada Lind', role: 'data' }, covered: 3, of: 3 },
      ],
    });
    const edited = { ...approval, result: { ...result, pass: !result.pass } };
    const tampered = { ...review, serverSignatures: [review.serverSignatures?.[0], edited] } as Review;
    expect(await verifySignoffJson('edited.json', file([tampered]))).toMatchObject({
      status: 'tampered',
      reason: 'server-signature',
      signature: approval.id,
      message: expect.stringMatching(/Ada Lind .*the result was edited/),
    });
  });
});

describe('signoff verify --server on a sign-off exported without a team server', () => {
  it('says it is not a server export, with its own exit code, never TAMPERED', async () => {
    const review = fixtureReview('rv1', [fixtureDecision('d1', 'MRN-1', 'accept')]);
    const offline = createAuditLogFile({
      projectId: 'p1',
      exportedAt: '2025-03-02T10:00:00Z',
      entries: pendingAuditEntries(undefined, [review], new Set()),
      reviews: [review],
    });
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-offline-'));
    try {
      await writeFile(path.join(dir, 'offline.json'), JSON.stringify(offline));
      // the server is never asked: a port nothing listens on
      const { code, out } = await runCli(
        ['signoff', 'verify', 'offline.json', '--server', 'http://127.0.0.1:9'],
        dir,
      );
      expect(out).not.toMatch(/TAMPERED/);
      expect(out).toMatch(
        /^offline\.json: NOT A SERVER EXPORT: this sign-off was not exported from a team server/,
      );
      expect(out).toMatch(/Its own audit chain, decisions and signatures are intact/);
      expect(code).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
