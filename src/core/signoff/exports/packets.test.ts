import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision, Review } from '../../../formats/review.ts';
import type { ReviewPacket } from '../../../formats/reviewPacket.ts';
import { type ReviewResults, reviewResultsIntegrity } from '../../../formats/reviewResults.ts';
import { fixtureDecision } from '../../../formats/testing/fixtures.ts';
import { adjudicationQueue, finalTallies, recordStatuses } from '../review/dualReview.ts';
import { addDecision } from '../review/review.ts';
import { viewOfShown } from '../review/shown.ts';
import { pendingAuditEntries } from '../signing/auditChain.ts';
import {
  createReviewPacket,
  mergeReviewResults,
  PacketExportError,
  type PacketRefusal,
  packetStage,
  rememberPacket,
  reviewOfPacket,
  serializePacketFile,
  verifyPacketBytes,
  verifyReviewPacket,
  verifyReviewResults,
} from './packets.ts';
import { clinicianResults, packetScenario } from './testing/packetScenario.ts';

const clone = <T>(value: T): T => structuredClone(value);
const encoder = new TextEncoder();

/** Results re-sealed the way a forger who knows the format would: chain and integrity recomputed. */
function forged(results: ReviewResults, edit: (r: ReviewResults) => void): ReviewResults {
  const copy = clone(results);
  edit(copy);
  copy.entries = pendingAuditEntries(undefined, [copy.review], new Set());
  copy.integrity = { sha256: reviewResultsIntegrity(copy) };
  return copy;
}

describe('review packets', () => {
  it('verifies a packet made from the drawn sample: every record, its fingerprint, the packet hash', () => {
    const { packet } = packetScenario();
    const verified = verifyReviewPacket(clone(packet));
    expect(verified).toMatchObject({ ok: true, sha256: packet.integrity.sha256 });
    expect(packet.records.map((r) => r.key)).toEqual(['MRN-1', 'MRN-2', 'MRN-3']);
    expect(packet.notice).toMatch(/holds patient records.*only for the clinician/);
  });

  it('refuses to make a packet when a drawn record was not read from the files', () => {
    const { plan, leadReview, shown } = packetScenario();
    expect(() =>
      createReviewPacket({
        id: 'x',
        createdAt: '2025-03-02T09:00:00Z',
        plan,
        review: leadReview,
        shown: shown.slice(1),
      }),
    ).toThrow(PacketExportError);
  });

  const packetTampers: {
    description: string;
    edit: (p: ReviewPacket) => void;
    reason: PacketRefusal;
    record?: number;
  }[] = [
    {
      description: 'a legacy cell of record 2',
      edit: (p) => {
        (p.records[1] as ReviewPacket['records'][number]).shown.source.cells[2] = '1975-11-03';
      },
      reason: 'record-changed',
      record: 2,
    },
    {
      description: 'a migrated value of record 3',
      edit: (p) => {
        const target = p.records[2]?.shown.target as Record<string, unknown>;
        target.birthDate = '2001-07-15';
      },
      reason: 'record-changed',
      record: 3,
    },
    {
      description: 'record 1 swapped for a record outside the sample',
      edit: (p) => {
        (p.records[0] as ReviewPacket['records'][number]).key = 'MRN-9';
      },
      reason: 'not-in-sample',
      record: 1,
    },
    {
      description: 'a record left out',
      edit: (p) => {
        p.records.pop();
      },
      reason: 'incomplete',
    },
    {
      description: 'the plan target error rate',
      edit: (p) => {
        p.plan.targetErrorRate = 0.05;
      },
      reason: 'plan-hash',
    },
    {
      description: 'the notice',
      edit: (p) => {
        p.notice = 'Nothing sensitive here.';
      },
      reason: 'packet-hash',
    },
    {
      description: 'a row number of the sample',
      edit: (p) => {
        (p.sample.strata[0]?.records[0] as { row: number }).row = 7;
      },
      reason: 'packet-hash',
    },
    {
      description: 'a row of record 1 that is not a row',
      edit: (p) => {
        (p.records[0] as ReviewPacket['records'][number]).shown.source.row = 0;
      },
      reason: 'schema',
      record: 1,
    },
  ];
  it.each(packetTampers)('refuses a packet with a changed $description', ({ edit, reason, record }) => {
    const { packet } = packetScenario();
    const changed = clone(packet);
    edit(changed);
    const verified = verifyReviewPacket(changed);
    expect(verified).toMatchObject({ ok: false, reason });
    if (!verified.ok) {
      expect(verified.at).toEqual(record === undefined ? undefined : { kind: 'record', index: record });
      expect(verified.message).not.toMatch(/MRN-|Diaz|Okafor|1975/);
    }
  });

  it('shows a packet record the way the data lead saw it', () => {
    const { packet } = packetScenario();
    const view = viewOfShown(clone(packet.records[1]?.shown) as never);
    expect(view.fields.map((f) => [f.target, f.value, f.sourceText])).toEqual([
      ['identifier', 'MRN-2', 'MRN-2'],
      ['name', 'Ben Okafor', 'Ben Okafor'],
      ['birthDate', '1975-11-30', '1975-11-30'],
    ]);
    expect(view.fields.some((f) => f.differs)).toBe(false);
  });
});

describe('review results', () => {
  it('verifies results against the lead review and stamps each decision with where it came from', () => {
    const { results, lead, entries, packet } = packetScenario();
    const verified = verifyReviewResults(clone(results), lead);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.head).toBe(entries.at(-1)?.hash);
    expect(verified.decisions.map((d) => [d.id, d.imported?.entry])).toEqual([
      ['remote-d1', 1],
      ['remote-d2', 2],
      ['remote-d3', 3],
    ]);
    expect(verified.decisions[0]?.imported).toMatchObject({
      packetSha256: packet.integrity.sha256,
      chainHead: entries.at(-1)?.hash,
      entryHash: entries[0]?.hash,
    });
    // importing the same results again adds nothing
    const merged = mergeReviewResults(lead, verified.decisions);
    const again = verifyReviewResults(clone(results), merged);
    expect(again).toMatchObject({ ok: true, decisions: [], alreadyMerged: 3 });
  });

  it('verifies results on their own (the CLI has no lead review)', () => {
    const { results } = packetScenario();
    expect(verifyReviewResults(clone(results))).toMatchObject({ ok: true });
  });

  const resultsTampers: {
    description: string;
    make: (s: ReturnType<typeof packetScenario>) => { json: unknown; lead?: Review };
    reason: PacketRefusal;
    entry?: number;
  }[] = [
    {
      description: 'an outcome changed in the review after it was logged',
      make: ({ results, lead }) => {
        const json = clone(results);
        (json.review.decisions[1] as { outcome: string }).outcome = 'accept';
        return { json, lead };
      },
      reason: 'chain',
      entry: 2,
    },
    {
      description: 'an entry of the chain changed',
      make: ({ results, lead }) => {
        const json = clone(results);
        (json.entries[2] as { outcome: string }).outcome = 'accept';
        return { json, lead };
      },
      reason: 'chain',
      entry: 3,
    },
    {
      description: 'a decision citing something other than what the packet showed (chain re-sealed)',
      make: ({ results, lead }) => ({
        json: forged(results, (r) => {
          (r.review.decisions[1] as { shownSha256: string }).shownSha256 = 'e'.repeat(64);
        }),
        lead,
      }),
      reason: 'shown-mismatch',
      entry: 2,
    },
    {
      description: 'a decision on a record outside the sample (chain re-sealed)',
      make: ({ results, lead }) => ({
        json: forged(results, (r) => {
          (r.review.decisions[2] as { recordKey: string }).recordKey = 'MRN-9';
        }),
        lead,
      }),
      reason: 'not-in-sample',
      entry: 3,
    },
    {
      description: 'a decision citing another plan (chain re-sealed)',
      make: ({ results, lead }) => ({
        json: forged(results, (r) => {
          (r.review.decisions[0] as { planHash: string }).planHash = 'f'.repeat(64);
        }),
        lead,
      }),
      reason: 'plan-hash',
      entry: 1,
    },
    {
      description: 'a decision added without an audit entry',
      make: ({ results, lead }) => {
        const json = clone(results);
        json.review.decisions.push({ ...(json.review.decisions[0] as Decision), id: 'sneaked-in' });
        json.integrity = { sha256: reviewResultsIntegrity(json) };
        return { json, lead };
      },
      reason: 'not-logged',
    },
    {
      description: 'the export time',
      make: ({ results, lead }) => {
        const json = clone(results);
        json.exportedAt = '2025-03-04T11:00:00+01:00';
        return { json, lead };
      },
      reason: 'integrity',
    },
    {
      description: 'a fingerprint in the packet manifest (integrity re-sealed)',
      make: ({ results, lead }) => ({
        json: forged(results, (r) => {
          (r.packet.manifest.records[0] as { shownSha256: string }).shownSha256 = 'e'.repeat(64);
        }),
        lead,
      }),
      reason: 'packet-hash',
    },
    {
      description: 'a comment quoting its record key (chain re-sealed)',
      make: ({ results, lead }) => ({
        json: forged(results, (r) => {
          (r.review.decisions[1] as Decision).comment = 'mrn-2 has the wrong birth date';
        }),
        lead,
      }),
      reason: 'identifying-comment',
      entry: 2,
    },
    {
      description: 'results for a packet this review never exported',
      make: ({ results, leadReview }) => ({ json: clone(results), lead: leadReview }),
      reason: 'unknown-packet',
    },
  ];
  it.each(resultsTampers)(
    'refuses $description, naming the first broken entry',
    ({ make, reason, entry }) => {
      const { json, lead } = make(packetScenario());
      const verified = verifyReviewResults(json, lead);
      expect(verified).toMatchObject({ ok: false, reason });
      if (!verified.ok) {
        expect(verified.at).toEqual(entry === undefined ? undefined : { kind: 'entry', index: entry });
        if (entry !== undefined) expect(verified.message).toMatch(new RegExp(`^entry ${entry}: `));
        expect(verified.message).not.toMatch(/MRN-|Diaz|Okafor/);
      }
    },
  );
});

describe('comments that identify a record, at merge', () => {
  it('refuses results whose comments or change reasons quote an identifier, with a count and what to do', () => {
    const { results, lead } = packetScenario();
    const json = forged(results, (r) => {
      (r.review.decisions[0] as Decision).comment = 'see MRN-1 in the old chart';
      (r.review.decisions[2] as Decision).comment = 'duplicate of patient 4471902';
    });
    const verified = verifyReviewResults(json, lead);
    expect(verified).toMatchObject({
      ok: false,
      reason: 'identifying-comment',
      at: { kind: 'entry', index: 1 },
    });
    if (!verified.ok) {
      expect(verified.message).toMatch(/^entry 1: 2 of the 3 decisions in these results have comments/);
      expect(verified.message).toContain('"the record" or by field name');
      expect(verified.message).not.toMatch(/MRN-1|4471902/);
    }
  });

  it('checks keyed-hash results once their keys are mapped back, and passes plain clinical words', () => {
    const hashed = packetScenario({ hashedKeys: true });
    expect(verifyReviewResults(hashed.results, hashed.lead)).toMatchObject({ ok: true });
    const { packet, lead } = hashed;
    const reviewer = { name: 'Dr. A', role: 'GP', id: 'S-1' };
    const quoting = clinicianResults(packet, reviewer, [
      { outcome: 'accept', comment: 'dose 500 mg, 2024-03-01' },
      { outcome: 'reject', comment: 'field allergy wrong on MRN-2' },
    ]);
    expect(verifyReviewResults(quoting.results, lead)).toMatchObject({
      ok: false,
      reason: 'identifying-comment',
      at: { kind: 'entry', index: 2 },
    });
    const plain = clinicianResults(packet, reviewer, [
      { outcome: 'accept', comment: 'dose 500 mg, 2024-03-01' },
      { outcome: 'reject', comment: 'field allergy wrong' },
    ]);
    expect(verifyReviewResults(plain.results, lead)).toMatchObject({ ok: true });
  });
});

/** Where each item of a top-level list starts and ends in 2-space JSON (items at indent 4). */
function itemSpans(text: string, list: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let at = text.indexOf(`\n  "${list}": [`);
  const close = text.indexOf('\n  ]', at);
  for (;;) {
    const start = text.indexOf('\n    {', at);
    if (start < 0 || start > close) return spans;
    const end = text.indexOf('\n    }', start) + '\n    }'.length;
    spans.push({ start: start + 1, end });
    at = end;
  }
}

describe('one changed byte anywhere is refused (property; seed printed on failure)', () => {
  const files = [
    {
      name: 'packet',
      text: () => serializePacketFile(packetScenario().packet),
      verify: (bytes: Uint8Array) => verifyPacketBytes(bytes, verifyReviewPacket),
      list: 'records',
      kind: 'record',
      named: ['record-changed', 'not-in-sample', 'schema'],
    },
    {
      name: 'results',
      text: () => serializePacketFile(packetScenario().results),
      verify: (bytes: Uint8Array) => {
        const { lead } = packetScenario();
        return verifyPacketBytes(bytes, (json) => verifyReviewResults(json, lead));
      },
      list: 'entries',
      kind: 'entry',
      named: ['chain', 'schema'],
    },
  ] as const;
  it.each(files)(
    '$name: refused, and a change inside item k names item k',
    ({ text, verify, list, kind, named }) => {
      const original = text();
      const bytes = encoder.encode(original);
      expect(verify(bytes).ok).toBe(true);
      const spans = itemSpans(original, list);
      expect(spans.length).toBe(3);
      fc.assert(
        fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (offset, mask) => {
          const changed = bytes.slice();
          changed[offset] = (changed[offset] as number) ^ mask;
          const result = verify(changed);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          // the text is ASCII, so a byte offset is a character offset
          const inside = spans.findIndex((s) => offset >= s.start && offset < s.end);
          if (inside >= 0 && (named as readonly string[]).includes(result.reason))
            expect(result.at).toEqual({ kind, index: inside + 1 });
        }),
        { numRuns: 400 },
      );
    },
  );
});

describe('dual review through packets', () => {
  const dana = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
  const sam = { name: 'Sam Okafor', role: 'Physician', id: 'MD-17' };
  const wrongDob = { field: 'birthDate', reason: 'wrong-value', defectClass: 'major' } as const;

  /** The lead's dual review with a first- and a second-pass packet exported. */
  function twoPackets() {
    const { plan, leadReview, shown } = packetScenario({ dualReview: true });
    const make = (id: string, pass: 'first' | 'second') =>
      createReviewPacket({ id, createdAt: '2025-03-02T09:00:00Z', plan, review: leadReview, shown, pass });
    const first = make('packet-first', 'first');
    const second = make('packet-second', 'second');
    const lead = rememberPacket(rememberPacket(leadReview, first), second);
    return { plan, lead, first, second };
  }
  /** Verifies and merges `results` into `lead` (or returns the refusal). */
  function merge(lead: Review, results: ReviewResults) {
    const verified = verifyReviewResults(clone(results), lead);
    return verified.ok ? mergeReviewResults(lead, verified.decisions) : verified;
  }

  it('a packet carries its pass, and the clinician’s review of it is a dual review of that stage', () => {
    const { first, second } = twoPackets();
    expect([first.pass, second.pass]).toEqual(['first', 'second']);
    expect(first.integrity.sha256).not.toBe(second.integrity.sha256);
    const opened = reviewOfPacket(second, second.integrity.sha256, 'r');
    expect(opened.dualReview).toBe(true);
    expect(packetStage(opened)).toBe('second');
    expect(clinicianResults(second, sam, [{ outcome: 'accept' }]).review.decisions[0]?.stage).toBe('second');
  });

  it('merges both passes as first and second reviews: agreement is final, disagreement and cannot assess go to adjudication', () => {
    const { lead, first, second } = twoPackets();
    const a = clinicianResults(first, dana, [
      { outcome: 'accept' },
      { outcome: 'reject', findings: [wrongDob] },
      { outcome: 'cannot-assess' },
    ]);
    const b = clinicianResults(second, sam, [
      { outcome: 'accept' },
      { outcome: 'accept' },
      { outcome: 'accept' },
    ]);
    const afterFirst = merge(lead, a.results) as Review;
    expect(afterFirst.decisions).toHaveLength(3);
    // one pass only: nothing is reviewed yet
    expect(finalTallies(afterFirst)[0]).toMatchObject({ reviewed: 0, awaitingAdjudication: 0 });
    const both = merge(afterFirst, b.results) as Review;
    // the second pass is recorded beside the first, never replacing it: the rejection stays
    expect(both.decisions.map((d) => [d.recordKey, d.stage, d.outcome])).toEqual([
      ['MRN-1', 'first', 'accept'],
      ['MRN-2', 'first', 'reject'],
      ['MRN-3', 'first', 'cannot-assess'],
      ['MRN-1', 'second', 'accept'],
      ['MRN-2', 'second', 'accept'],
      ['MRN-3', 'second', 'accept'],
    ]);
    expect(recordStatuses(both).map((s) => s.state)).toEqual([
      'final',
      'awaiting-adjudication',
      'awaiting-adjudication',
    ]);
    expect(adjudicationQueue(both).map((s) => s.recordKey)).toEqual(['MRN-2', 'MRN-3']);
    expect(finalTallies(both)[0]).toMatchObject({ reviewed: 3, awaitingAdjudication: 2 });
  });

  const refusals: {
    description: string;
    results: (p: ReturnType<typeof twoPackets>) => ReviewResults;
    firstMerged?: boolean;
    reason: PacketRefusal;
  }[] = [
    {
      description: 'the same person as both first and second reviewer',
      results: ({ second }) => clinicianResults(second, dana, [{ outcome: 'accept' }]).results,
      firstMerged: true,
      reason: 'refused-decision',
    },
    {
      description: 'decisions of another stage than the packet’s pass',
      results: ({ second }) => {
        const r = clinicianResults(second, sam, [{ outcome: 'accept' }]);
        return forged(r.results, (copy) => {
          (copy.review.decisions[0] as Decision).stage = 'first';
        });
      },
      reason: 'pass',
    },
    {
      description: 'a second pass changing a record after both reviewers decided it',
      results: ({ second }) => {
        const r = clinicianResults(second, sam, [{ outcome: 'accept' }]);
        const again: Decision = {
          ...(r.review.decisions[0] as Decision),
          id: 'again',
          outcome: 'reject',
          comment: 'looked again',
          change: { replaces: 'MD-17-packet-second-d1', previousOutcome: 'accept', reason: 'second look' },
        };
        return forged(r.results, (copy) => {
          copy.review.decisions.push(again);
        });
      },
      firstMerged: true,
      reason: 'refused-decision',
    },
  ];
  it.each(refusals)('refuses, merging nothing: $description', ({ results, firstMerged, reason }) => {
    const p = twoPackets();
    const lead = firstMerged
      ? (merge(p.lead, clinicianResults(p.first, dana, [{ outcome: 'accept' }]).results) as Review)
      : p.lead;
    const refused = merge(lead, results(p));
    expect(refused).toMatchObject({ ok: false, reason, at: { kind: 'entry' } });
  });

  it('without dual review, results that would replace a decision already made are refused', () => {
    const { lead, hash, results } = packetScenario();
    const decided = addDecision(lead, { ...fixtureDecision('lead-d1', 'MRN-1', 'reject'), planHash: hash });
    expect(verifyReviewResults(clone(results), decided)).toMatchObject({
      ok: false,
      reason: 'refused-decision',
      at: { kind: 'entry', index: 1 },
    });
  });

  it('a second pass is only for a dual review', () => {
    const { plan, leadReview, shown } = packetScenario();
    expect(() =>
      createReviewPacket({
        id: 'x',
        createdAt: '2025-03-02T09:00:00Z',
        plan,
        review: leadReview,
        shown,
        pass: 'second',
      }),
    ).toThrow(/second pass/);
    const { packet } = packetScenario();
    expect(verifyReviewPacket({ ...clone(packet), pass: 'second' })).toMatchObject({
      ok: false,
      reason: 'pass',
    });
  });
});
