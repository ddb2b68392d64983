import { describe, expect, it } from 'vitest';
import { type ReviewResults, reviewResultsIntegrity } from '../../../formats/reviewResults.ts';
import { pendingAuditEntries, verifyAuditChain } from '../signing/auditChain.ts';
import {
  mergeReviewResults,
  resultKeySourceOf,
  serializePacketFile,
  verifyPacketBytes,
  verifyReviewResults,
} from './packets.ts';
import { recordKeyHash, resultKeySecret } from './resultKeys.ts';
import { packetScenario, SCENARIO_RESULT_KEY_SECRET } from './testing/packetScenario.ts';

const clone = <T>(value: T): T => structuredClone(value);
const MRNS = ['MRN-1', 'MRN-2', 'MRN-3'];

/** Results edited and resealed (integrity recomputed), as a forger who knows the format would. */
function resealed(results: ReviewResults, edit: (r: ReviewResults) => void): ReviewResults {
  const copy = clone(results);
  edit(copy);
  copy.integrity = { sha256: reviewResultsIntegrity(copy) };
  return copy;
}

describe('record key hashes', () => {
  it('is HMAC-SHA-256 (RFC 4231 test case 1)', () => {
    expect(recordKeyHash('0b'.repeat(20), 'Hi There')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
  });

  it('takes exactly 32 random bytes for a secret', () => {
    expect(resultKeySecret(new Uint8Array(32).fill(255))).toBe('f'.repeat(64));
    expect(() => resultKeySecret(new Uint8Array(16))).toThrow(RangeError);
  });
});

describe('results identified by keyed hash', () => {
  it('hold no record key and no secret, and the packet records how results identify records', () => {
    const { packet, results, lead } = packetScenario({ hashedKeys: true });
    expect(packet.resultKeys).toEqual({ hash: 'HMAC-SHA-256', secret: SCENARIO_RESULT_KEY_SECRET });
    expect(lead.packets?.[0]?.resultKeySecret).toBe(SCENARIO_RESULT_KEY_SECRET);
    const text = serializePacketFile(results);
    for (const mrn of MRNS) expect(text).not.toContain(mrn);
    expect(text).not.toContain(SCENARIO_RESULT_KEY_SECRET);
    expect(results.packet.manifest.resultKeys).toEqual({ hash: 'HMAC-SHA-256' });
    expect(results.review.decisions.map((d) => d.recordKey)).toEqual(
      MRNS.map((k) => recordKeyHash(SCENARIO_RESULT_KEY_SECRET, k)),
    );
  });

  it('merge into the lead review with the record keys mapped back, as results with keys would', () => {
    const plain = packetScenario();
    const hashed = packetScenario({ hashedKeys: true });
    const fromPlain = verifyReviewResults(clone(plain.results), plain.lead);
    const fromHashed = verifyPacketBytes(
      new TextEncoder().encode(serializePacketFile(hashed.results)),
      (json) => verifyReviewResults(json, hashed.lead),
    );
    expect(fromPlain).toMatchObject({ ok: true, recordKeys: 'plain' });
    expect(fromHashed).toMatchObject({ ok: true, recordKeys: 'hashed' });
    if (!fromPlain.ok || !fromHashed.ok) return;
    const strip = (d: (typeof fromPlain.decisions)[number]) => {
      const { imported: _i, ...rest } = d;
      return rest;
    };
    expect(fromHashed.decisions.map(strip)).toEqual(fromPlain.decisions.map(strip));
    expect(fromHashed.decisions.map((d) => d.recordKey)).toEqual(MRNS);
    // the clinician's chain was checked against the decisions with their keys mapped back
    expect(fromHashed.head).toBe(hashed.entries.at(-1)?.hash);
  });

  it('keep the lead’s audit chain verifiable after the merge, and a second import adds nothing', () => {
    const { results, lead } = packetScenario({ hashedKeys: true });
    const verified = verifyReviewResults(clone(results), lead);
    if (!verified.ok) throw new Error(verified.message);
    const merged = mergeReviewResults(lead, verified.decisions);
    const chain = pendingAuditEntries(undefined, [merged], new Set());
    expect(verifyAuditChain(chain, [merged])).toMatchObject({ ok: true });
    expect(verifyReviewResults(clone(results), merged)).toMatchObject({
      ok: true,
      decisions: [],
      alreadyMerged: 3,
    });
  });

  it('verify on their own only as far as no secret is needed (the CLI), and fully with the packet', () => {
    const { results, packet } = packetScenario({ hashedKeys: true });
    expect(verifyReviewResults(clone(results))).toMatchObject({
      ok: true,
      recordKeys: 'hashed',
      decisions: [],
    });
    const checked = verifyReviewResults(clone(results), undefined, resultKeySourceOf(packet));
    expect(checked).toMatchObject({ ok: true, recordKeys: 'hashed' });
    expect(checked.ok && checked.decisions.length).toBe(3);
  });

  const refusals: {
    name: string;
    edit: (r: ReviewResults, lead: ReturnType<typeof packetScenario>['lead']) => void;
    reason: string;
    message?: RegExp;
  }[] = [
    {
      name: 'a decision’s identifier matching no record',
      edit: (r) => {
        (r.review.decisions[1] as { recordKey: string }).recordKey = 'f'.repeat(64);
      },
      reason: 'unknown-keys',
      message: /^1 of the 4 record identifiers .* match no record .*export their results again/,
    },
    {
      name: 'the lead’s stored secret not the packet’s',
      edit: (_, lead) => {
        const [exported] = lead.packets ?? [];
        if (exported) exported.resultKeySecret = 'a'.repeat(64);
      },
      reason: 'unknown-keys',
      message: /^3 of the 3 record identifiers/,
    },
    {
      name: 'the packet exported for results with keys',
      edit: (_, lead) => {
        const [exported] = lead.packets ?? [];
        if (exported) delete exported.resultKeySecret;
      },
      reason: 'unknown-packet',
    },
    {
      name: 'the secret written into the file',
      edit: (r) => {
        (r.packet.manifest.resultKeys as { secret?: string }).secret = SCENARIO_RESULT_KEY_SECRET;
      },
      reason: 'schema',
    },
    {
      name: 'the keyed-hash marker removed (the file then claims record keys)',
      edit: (r) => {
        delete r.packet.manifest.resultKeys;
      },
      reason: 'chain',
    },
    {
      name: 'a decision’s identifier swapped for another record’s',
      edit: (r) => {
        const [a, b] = r.review.decisions;
        if (a && b) [a.recordKey, b.recordKey] = [b.recordKey, a.recordKey];
      },
      reason: 'chain',
    },
  ];
  it.each(refusals)('refuses $name, merging nothing', ({ edit, reason, message }) => {
    const { results, lead } = packetScenario({ hashedKeys: true });
    const file = resealed(results, (r) => edit(r, lead));
    const verified = verifyReviewResults(file, lead);
    expect(verified).toMatchObject({ ok: false, reason });
    if (message && !verified.ok) expect(verified.message).toMatch(message);
    if (!verified.ok) for (const mrn of MRNS) expect(verified.message).not.toContain(mrn);
  });
});

describe('a changed decision in results identified by keyed hash', () => {
  it('is named by its entry at the merge (keys mapped back first), and by the integrity hash alone', () => {
    const { results, lead } = packetScenario({ hashedKeys: true });
    const changed = clone(results);
    (changed.review.decisions[1] as { outcome: string }).outcome = 'accept';
    expect(verifyReviewResults(clone(changed), lead)).toMatchObject({
      ok: false,
      reason: 'chain',
      at: { kind: 'entry', index: 2 },
    });
    expect(verifyReviewResults(clone(changed))).toMatchObject({ ok: false, reason: 'integrity' });
  });
});

describe('results with record keys (the lead’s choice, and every file written before keyed hashes)', () => {
  it('still merge, and carry the keys', () => {
    const { results, lead } = packetScenario();
    expect(results.packet.manifest.resultKeys).toBeUndefined();
    expect(serializePacketFile(results)).toContain('MRN-2');
    expect(verifyReviewResults(clone(results), lead)).toMatchObject({
      ok: true,
      recordKeys: 'plain',
    });
  });
});
