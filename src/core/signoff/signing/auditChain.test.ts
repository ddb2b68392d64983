import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLogFile } from '../../../formats/auditLog.ts';
import { fixtureDecision, fixtureReview } from '../../../formats/testing/fixtures.ts';
import { mergeReviewResults, rememberPacket } from '../exports/packets.ts';
import { packetScenario } from '../exports/testing/packetScenario.ts';
import { lockPlan, planHash } from '../sampling/planLock.ts';
import {
  auditEntryFor,
  decisionHash,
  entryHash,
  GENESIS_HASH,
  pendingAuditEntries,
  pendingTrailEntries,
  trailKey,
  trailSubjects,
  verifyAuditChain,
} from './auditChain.ts';
import { rosteredExport } from './testing/rosterScenario.ts';

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

describe('trail entries: every step of the sign-off, no record content', () => {
  it('records roster changes, the plan lock and the draw before the decisions, and verifies them', async () => {
    const { file } = await rosteredExport();
    expect(file.entries.map((e) => e.event)).toEqual([
      'roster',
      'roster',
      'roster',
      'roster',
      'plan-lock',
      'sample-draw',
      'decision',
      'decision',
      'decision',
      'signature',
    ]);
    expect(
      verifyAuditChain(file.entries, file.reviews, { roster: file.roster, plans: file.plans }),
    ).toMatchObject({
      ok: true,
      entries: 10,
    });
    expect(JSON.stringify(file.entries)).not.toContain('MRN-');
  });

  it('logs each step once: a step already in the chain gets no second entry', async () => {
    const { file, roster } = await rosteredExport();
    const subjects = trailSubjects({ roster, samplePlans: file.plans, reviews: file.reviews });
    const logged = new Set(file.entries.flatMap((e) => ('subjectId' in e ? [trailKey(e)] : [])));
    expect(pendingTrailEntries(file.entries.at(-1), subjects, logged)).toEqual([]);
  });

  const tampers: {
    description: string;
    change: (file: AuditLogFile) => AuditLogFile;
    expected: { entry: number; reason: string };
  }[] = [
    {
      description: 'a roster change deleted from the roster',
      change: (f) => ({ ...f, roster: { changes: (f.roster?.changes ?? []).filter((c) => c.id !== 'r3') } }),
      expected: { entry: 3, reason: 'roster-missing' },
    },
    {
      description: "a roster member's roles edited",
      change: (f) => {
        const roster = structuredClone(f.roster);
        const change = roster?.changes[2];
        if (change?.kind === 'member') change.member.roles = ['reviewer', 'adjudicator'];
        return { ...f, roster };
      },
      expected: { entry: 3, reason: 'roster-changed' },
    },
    {
      description: "a roster change's entry removed from the chain",
      change: (f) => ({ ...f, entries: f.entries.filter((_, i) => i !== 2) }),
      expected: { entry: 3, reason: 'sequence' },
    },
    {
      description: 'the drawn sample edited',
      change: (f) => {
        const reviews = structuredClone(f.reviews) ?? [];
        const record = reviews[0]?.sample.strata[0]?.records[0];
        if (record) record.row += 1;
        return { ...f, reviews };
      },
      expected: { entry: 6, reason: 'step-changed' },
    },
    {
      description: 'the locked plan swapped for another',
      change: (f) => ({ ...f, plans: (f.plans ?? []).map((p) => ({ ...p, seed: 'ffffffffffffffff' })) }),
      expected: { entry: 5, reason: 'step-missing' },
    },
  ];
  it.each(tampers)('names the entry: $description', async ({ change, expected }) => {
    const { file } = await rosteredExport();
    const changed = change(file);
    expect(
      verifyAuditChain(changed.entries, changed.reviews, { roster: changed.roster, plans: changed.plans }),
    ).toMatchObject({ ok: false, ...expected });
  });

  it('two merges of clinicians’ results, reordered, break the chain at the first moved entry', () => {
    const imported = (packet: string, entry: number) => ({
      packetSha256: packet.repeat(64),
      chainHead: packet.repeat(64),
      entry,
      entryHash: 'e'.repeat(64),
    });
    const review = fixtureReview('rv1', [
      { ...fixtureDecision('d1', 'MRN-1'), imported: imported('a', 1) },
      { ...fixtureDecision('d2', 'MRN-2'), imported: imported('b', 1) },
    ]);
    const entries = pendingTrailEntries(undefined, trailSubjects({ reviews: [review] }), new Set());
    expect(entries.map((e) => e.event)).toEqual(['sample-draw', 'packet-merge', 'packet-merge']);
    expect(verifyAuditChain(entries, [review])).toMatchObject({ ok: true });
    const swapped = [entries[0], { ...entries[2], seq: 2 }, { ...entries[1], seq: 3 }];
    expect(verifyAuditChain(swapped, [review])).toMatchObject({
      ok: false,
      entry: 2,
      reason: 'previous-hash',
    });
  });
});

describe('trail entries: when and who', () => {
  const LEAD_ID = 'CL-7';
  const MERGED_AT = '2025-03-04T16:20:00+01:00';

  /** The packet scenario run by the lead `LEAD_ID`: lock, draw, export, merge — each recorded as theirs. */
  function byTheLead() {
    const { plan, packet, results } = packetScenario();
    const locked = lockPlan(
      { ...plan, lock: undefined },
      plan.lock?.datasets ?? [],
      '2025-03-01T11:00:00Z',
      LEAD_ID,
    );
    const hash = planHash(locked);
    const drawn = fixtureReview('lead-review');
    const lead = rememberPacket(
      {
        ...drawn,
        plan: { id: locked.id, hash },
        sample: { ...drawn.sample, drawnBy: LEAD_ID },
      },
      packet,
      LEAD_ID,
    );
    const merged = mergeReviewResults(
      lead,
      results.review.decisions.map((d, i) => ({
        ...d,
        planHash: hash,
        imported: {
          packetSha256: packet.integrity.sha256,
          chainHead: 'f'.repeat(64),
          entry: i + 1,
          entryHash: 'e'.repeat(64),
        },
      })),
      { at: MERGED_AT, by: LEAD_ID },
    );
    return { locked, merged, decisions: results.review.decisions };
  }

  it('a merge entry carries the time of the merge, not of the first decision it brought in', () => {
    const { merged, decisions } = byTheLead();
    const merge = trailSubjects({ reviews: [merged] }).find((s) => s.event === 'packet-merge');
    expect(decisions[0]?.decidedAt).not.toBe(MERGED_AT);
    expect(merge).toMatchObject({ at: MERGED_AT, by: LEAD_ID, decisions: decisions.length });
  });

  it('lock, draw, packet export and merge record the person who did them', () => {
    const { locked, merged } = byTheLead();
    const subjects = trailSubjects({ samplePlans: [locked], reviews: [merged] });
    expect(subjects.map((s) => [s.event, s.by])).toEqual([
      ['plan-lock', LEAD_ID],
      ['sample-draw', LEAD_ID],
      ['packet-export', LEAD_ID],
      ['packet-merge', LEAD_ID],
    ]);
    // chained and verified against the file, the person is part of what each entry binds
    const entries = pendingTrailEntries(undefined, subjects, new Set());
    expect(verifyAuditChain(entries, [merged], { plans: [locked] })).toMatchObject({ ok: true });
    const otherPerson = { ...merged, sample: { ...merged.sample, drawnBy: 'RN-204' } };
    expect(verifyAuditChain(entries, [otherPerson], { plans: [locked] })).toMatchObject({
      ok: false,
      entry: 2,
      reason: 'step-changed',
    });
  });

  it('a file from before they were recorded keeps its entries: dated by the first decision, no person', () => {
    const { merged } = byTheLead();
    const older = {
      ...merged,
      decisions: merged.decisions.map(({ imported, ...d }) => {
        const { mergedAt: _at, mergedBy: _by, ...kept } = imported ?? ({} as never);
        return { ...d, imported: kept };
      }),
    };
    const merge = trailSubjects({ reviews: [older] }).find((s) => s.event === 'packet-merge');
    expect(merge?.at).toBe(older.decisions[0]?.decidedAt);
    expect(merge).not.toHaveProperty('by');
  });
});
