/**
 * `preflight signoff verify` on a sign-off with a roster kept by the data lead: the tamper table
 * of identity and chain changes (each exits 1 naming the entry), `--expect-head` for truncation
 * after the report was printed, and the warning for signatures without WebAuthn.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entryHash,
  GENESIS_HASH,
  pendingTrailEntries,
  rosteredExport,
  signatureHash,
  signedExport,
  trailSubjects,
} from '../../core/signoff/signing/index.ts';
import { type AuditLogFile, type ChainEntry, createAuditLogFile } from '../../formats/auditLog.ts';
import type { Signature } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;
let signed: Awaited<ReturnType<typeof rosteredExport>>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-identity-'));
  signed = await rosteredExport();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verify(file: unknown, ...options: string[]) {
  await writeFile(path.join(dir, 'signoff.json'), JSON.stringify(file, null, 2));
  return runCli(['signoff', 'verify', 'signoff.json', ...options], dir);
}

/** What a forger does after editing: renumber, re-chain and re-hash every entry and the file. */
function rehashed(file: AuditLogFile): AuditLogFile {
  const signatures = new Map(
    (file.reviews ?? []).flatMap((r) => (r.signatures ?? []).map((s) => [s.id, s] as const)),
  );
  let previous = GENESIS_HASH;
  const entries = file.entries.map((entry, index) => {
    const { hash: _old, ...rest } = entry;
    const body: Record<string, unknown> = { ...rest, seq: index + 1, prevHash: previous };
    const signature = entry.event === 'signature' ? signatures.get(entry.signatureId) : undefined;
    if (signature) body.signatureSha256 = signatureHash(signature);
    const hash = entryHash(body as Parameters<typeof entryHash>[0]);
    previous = hash;
    return { ...body, hash } as ChainEntry;
  });
  const { format: _format, integrity: _integrity, ...content } = file;
  return createAuditLogFile({ ...content, entries });
}

describe('signoff verify with a roster', () => {
  it('verifies an untouched sign-off: exit 0, no warning, and the printed head found', async () => {
    const head = signed.file.entries.at(-1)?.hash as string;
    const { code, out } = await verify(signed.file, '--expect-head', head);
    expect(code).toBe(0);
    expect(out).toContain('verified: 10 entries');
    expect(out).toContain('the head printed on the report is entry 10');
    expect(out).not.toContain('WARNING');
  });

  const tampers: {
    description: string;
    change: () => AuditLogFile;
    options?: () => string[];
    expected: RegExp;
  }[] = [
    {
      description: 'the trailing signature and its entry removed (head printed on the report)',
      change: () =>
        rehashed({
          ...signed.file,
          entries: signed.file.entries.slice(0, -1),
          reviews: signed.file.reviews?.map((r) => ({ ...r, signatures: [] })),
        }),
      options: () => ['--expect-head', signed.file.entries.at(-1)?.hash as string],
      expected: /entry 10: missing — the chain ends at entry 9/,
    },
    {
      description: 'the signature re-made without WebAuthn and everything re-hashed',
      change: () =>
        rehashed({
          ...signed.file,
          reviews: signed.file.reviews?.map((r) => ({
            ...r,
            signatures: r.signatures?.map(
              (s) => ({ ...s, reauthentication: { method: 'none', reason: 'no WebAuthn' } }) as Signature,
            ),
          })),
        }),
      expected: /entry 10: signature sig1: .*no WebAuthn assertion/,
    },
    {
      description: 'a roster entry deleted from the chain',
      change: () => ({ ...signed.file, entries: signed.file.entries.filter((_, i) => i !== 2) }),
      expected: /entry 3: its position number is 4/,
    },
    {
      description: 'a roster entry and its change deleted, everything re-hashed',
      change: () =>
        rehashed({
          ...signed.file,
          roster: { changes: (signed.file.roster?.changes ?? []).filter((c) => c.id !== 'r3') },
          entries: signed.file.entries.filter((e) => !(e.event === 'roster' && e.subjectId === 'r3')),
        }),
      expected: /entry 3: a roster change no lead could have made/,
    },
    {
      description: 'a roster change deleted from the roster only',
      change: () =>
        rehashed({
          ...signed.file,
          roster: { changes: (signed.file.roster?.changes ?? []).filter((c) => c.id !== 'r3') },
        }),
      expected: /entry 3: the roster change it records is not in the file/,
    },
    {
      description: 'a packet merge reordered',
      change: () => {
        const imported = (packet: string) => ({
          packetSha256: packet.repeat(64),
          chainHead: packet.repeat(64),
          entry: 1,
          entryHash: 'e'.repeat(64),
        });
        const review = fixtureReview('rv1', [
          { ...fixtureDecision('d1', 'MRN-1'), imported: imported('a') },
          { ...fixtureDecision('d2', 'MRN-2'), imported: imported('b') },
        ]);
        const entries = pendingTrailEntries(undefined, trailSubjects({ reviews: [review] }), new Set());
        const [draw, first, second] = entries;
        return createAuditLogFile({
          projectId: 'p1',
          exportedAt: '2025-03-02T18:00:00Z',
          entries: [draw, { ...second, seq: 2 }, { ...first, seq: 3 }] as ChainEntry[],
          reviews: [review],
        });
      },
      expected: /entry 2: does not follow the entry before it/,
    },
  ];
  it.each(tampers)('exit 1 naming the entry: $description', async ({ change, options, expected }) => {
    const { code, out } = await verify(change(), ...(options?.() ?? []));
    expect(code).toBe(1);
    expect(out).toMatch(/TAMPERED/);
    expect(out).toMatch(expected);
    expect(out).not.toContain('MRN-');
  });

  it('a head from the report that is an earlier entry: verified, saying how many came after', async () => {
    const head = signed.file.entries[8]?.hash as string;
    const { code, out } = await verify(signed.file, '--expect-head', head);
    expect(code).toBe(0);
    expect(out).toContain('the head printed on the report is entry 9 (1 entry recorded after it)');
  });

  it('--expect-head that is not a SHA-256 is bad usage (exit 2)', async () => {
    const { code } = await verify(signed.file, '--expect-head', 'abc');
    expect(code).toBe(2);
  });

  it('warns when a signature lacks WebAuthn and the file has no roster (exit 0)', async () => {
    const { file } = await signedExport();
    const { code, out } = await verify(file);
    expect(code).toBe(0);
    expect(out).toMatch(/WARNING: signature sig1 \(entry 4\) was made without WebAuthn/);
    expect(out).toMatch(/WARNING: The file has no roster/);
    const json = await verify(file, '--json');
    expect(JSON.parse(json.out).warnings).toHaveLength(2);
  });
});
