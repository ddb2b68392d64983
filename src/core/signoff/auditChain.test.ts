import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../formats/auditLog.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import {
  auditEntryFor,
  decisionHash,
  entryHash,
  GENESIS_HASH,
  pendingAuditEntries,
  verifyAuditChain,
} from './auditChain.ts';

const decisions = [
  fixtureDecision('d1', 'MRN-1', 'accept'),
  fixtureDecision('d2', 'MRN-2', 'reject'),
  fixtureDecision('d3', 'MRN-3', 'cannot-assess'),
];
const review = fixtureReview('rv1', decisions);

function chain(): AuditEntry[] {
  return pendingAuditEntries(undefined, [review], new Set());
}

describe('audit chain', () => {
  it('chains entries from the genesis hash, one per decision, binding each decision by hash', () => {
    const entries = chain();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[2]?.decisionSha256).toBe(decisionHash(decisions[2] as (typeof decisions)[number]));
    for (const e of entries) expect(e.hash).toBe(entryHash(e));
    expect(verifyAuditChain(entries, [review])).toEqual({ ok: true, entries: 3, head: entries[2]?.hash });
  });

  it('holds no record content: no key, comment, field value or reviewer name', () => {
    const withComment = fixtureReview('rv1', [
      { ...fixtureDecision('d1', 'MRN-SECRET'), comment: 'Jane Q.' },
    ]);
    const text = JSON.stringify(pendingAuditEntries(undefined, [withComment], new Set()));
    for (const secret of ['MRN-SECRET', 'Jane Q.', 'Dana Reyes']) expect(text).not.toContain(secret);
  });

  it('skips decisions already logged and continues after the head', () => {
    const first = chain().slice(0, 1);
    const rest = pendingAuditEntries(first[0], [review], new Set(['d1']));
    expect(rest.map((e) => e.decisionId)).toEqual(['d2', 'd3']);
    expect(verifyAuditChain([...first, ...rest], [review]).ok).toBe(true);
  });

  const tampers: {
    description: string;
    tamper: (entries: AuditEntry[]) => unknown[];
    entry: number;
    reason: string;
  }[] = [
    {
      description: 'an outcome changed',
      tamper: (e) => e.with(1, { ...(e[1] as AuditEntry), outcome: 'accept' }),
      entry: 2,
      reason: 'entry-hash',
    },
    { description: 'an entry removed', tamper: (e) => [e[0], e[2]], entry: 2, reason: 'sequence' },
    { description: 'two entries swapped', tamper: (e) => [e[1], e[0], e[2]], entry: 1, reason: 'sequence' },
    {
      description: 'an entry rehashed after a change (its successor no longer follows)',
      tamper: (e) => {
        const changed = { ...(e[0] as AuditEntry), outcome: 'reject' as const };
        return e.with(0, { ...changed, hash: entryHash(changed) });
      },
      entry: 2,
      reason: 'previous-hash',
    },
    {
      description: 'a hash that is not hex',
      tamper: (e) => e.with(2, { ...(e[2] as AuditEntry), hash: 'x' }),
      entry: 3,
      reason: 'malformed',
    },
    { description: 'not an object', tamper: (e) => [e[0], 42], entry: 2, reason: 'malformed' },
  ];
  it.each(tampers)('names the first broken entry: $description', ({ tamper, entry, reason }) => {
    const result = verifyAuditChain(tamper(chain()), [review]);
    expect(result).toMatchObject({ ok: false, entry, reason });
  });

  it('a decision changed after it was logged, or missing, breaks its entry', () => {
    const changed = fixtureReview(
      'rv1',
      decisions.with(1, { ...(decisions[1] as (typeof decisions)[number]), outcome: 'accept' }),
    );
    expect(verifyAuditChain(chain(), [changed])).toMatchObject({
      ok: false,
      entry: 2,
      reason: 'decision-changed',
    });
    const missing = fixtureReview('rv1', decisions.slice(0, 2));
    expect(verifyAuditChain(chain(), [missing])).toMatchObject({
      ok: false,
      entry: 3,
      reason: 'decision-missing',
    });
  });

  it('property: changing any one character of any entry is detected at that entry or before', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (pick, position) => {
        const entries = chain();
        const index = pick % entries.length;
        const json = JSON.stringify(entries[index]);
        // change one character inside a string value (keeps the JSON well-formed)
        const values = [...json.matchAll(/:"([^"]+)"/g)];
        const match = values[position % values.length] as RegExpMatchArray;
        const at = (match.index as number) + 2 + (position % (match[1] as string).length);
        const original = json[at] as string;
        const replacement = original === 'a' ? 'b' : 'a';
        const tampered = JSON.parse(json.slice(0, at) + replacement + json.slice(at + 1));
        const result = verifyAuditChain(entries.with(index, tampered), [review]);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.entry).toBeLessThanOrEqual(index + 1);
      }),
    );
  });

  it('an empty chain verifies with the genesis head', () => {
    expect(verifyAuditChain([])).toEqual({ ok: true, entries: 0, head: GENESIS_HASH });
    expect(auditEntryFor(undefined, 'rv1', decisions[0] as (typeof decisions)[number]).seq).toBe(1);
  });
});
