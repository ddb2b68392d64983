import { describe, expect, it } from 'vitest';
import type { ChainEntry } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import { type SteeringDecision, withSteeringDecision } from '../../formats/steering.ts';
import { pendingTrailEntries, trailKey, trailSubjects, verifyAuditChain } from '../signoff/signing/index.ts';
import {
  addSteeringSignature,
  assessReadiness,
  auditChainWords,
  evidencePack,
  packAuditChain,
  prepareSteeringSignature,
  readinessResultHash,
} from './index.ts';
import { goProject } from './testing/crafted.ts';

const APPROVERS = [
  { name: 'Dr Ines Moreau', role: 'Medical director', id: 'MD-1' },
  { name: 'Rae Lindqvist', role: 'Practice manager', id: 'PM-3' },
];

/** A decision on `project` signed by each of `signers`, in order. */
function decided(project: Project, id: string, signers = APPROVERS, rationale = 'Every gate passes.') {
  const result = assessReadiness(project);
  const content = {
    id,
    decision: result.decision,
    readiness: result.decision,
    resultSha256: readinessResultHash(result),
    rationale,
    recordedAt: '2026-11-24T10:00:00+01:00',
  };
  let decision: SteeringDecision = { ...content, signatures: [] };
  for (const signer of signers) {
    const prepared = prepareSteeringSignature({
      id: `${id}-${signer.id}`,
      decision: content,
      signer,
      signedAt: '2026-11-24T10:00:00+01:00',
    });
    decision = addSteeringSignature(
      decision,
      { ...prepared, reauthentication: { method: 'none', reason: 'no WebAuthn' } },
      content.resultSha256,
    );
  }
  return decision;
}

const withDecisions = (project: Project, decisions: SteeringDecision[]): Project => ({
  ...project,
  meta: {
    ...project.meta,
    settings: decisions.reduce((s, d) => withSteeringDecision(s, d), project.meta.settings),
  },
});

/** A chain that logged `decisions` as storage logs them: each new signature after the head. */
function chainOf(decisions: SteeringDecision[]): ChainEntry[] {
  const entries: ChainEntry[] = [];
  for (const decision of decisions) {
    const logged = new Set(entries.map((e) => trailKey(e as Parameters<typeof trailKey>[0])));
    entries.push(
      ...pendingTrailEntries(entries[entries.length - 1], trailSubjects({ steering: [decision] }), logged),
    );
  }
  return entries;
}

describe('steering signatures in the audit chain', () => {
  it('each signature gets one entry naming the approver and the decision, never the rationale', () => {
    const first = decided(goProject(), 'decision-1');
    const entries = chainOf([first]);
    expect(entries.map((e) => [e.event, e.seq, 'staffId' in e ? e.staffId : undefined])).toEqual([
      ['steering-signature', 1, 'MD-1'],
      ['steering-signature', 2, 'PM-3'],
    ]);
    expect(entries.every((e) => 'steeringDecisionId' in e && e.steeringDecisionId === 'decision-1')).toBe(
      true,
    );
    const text = JSON.stringify(entries);
    expect(text).not.toContain('Every gate passes');
    expect(text).not.toContain('Dr Ines Moreau');
    expect(verifyAuditChain(entries, undefined, { steering: [first] })).toMatchObject({
      ok: true,
      entries: 2,
    });
    // logging again adds nothing
    expect(
      pendingTrailEntries(
        entries[1],
        trailSubjects({ steering: [first] }),
        new Set(entries.map((e) => trailKey(e as Parameters<typeof trailKey>[0]))),
      ),
    ).toEqual([]);
  });

  it('a decision that supersedes another is logged after it, under its own id', () => {
    const project = goProject();
    const first = decided(project, 'decision-1', APPROVERS.slice(0, 1));
    const second = decided(project, 'decision-2', APPROVERS, 'Decided again with the manager.');
    const entries = chainOf([first, second]);
    expect(entries.map((e) => ('steeringDecisionId' in e ? e.steeringDecisionId : ''))).toEqual([
      'decision-1',
      'decision-2',
      'decision-2',
    ]);
    expect(verifyAuditChain(entries, undefined, { steering: [first, second] }).ok).toBe(true);
  });

  const tampers: {
    description: string;
    change: (decisions: SteeringDecision[], entries: ChainEntry[]) => [SteeringDecision[], ChainEntry[]];
    expected: { entry: number; reason: string };
  }[] = [
    {
      description: 'a signature removed from the decision after it was logged',
      change: ([d], e) => [[{ ...(d as SteeringDecision), signatures: d?.signatures.slice(0, 1) ?? [] }], e],
      expected: { entry: 2, reason: 'step-missing' },
    },
    {
      description: "a signature's meaning edited after it was logged",
      change: ([d], e) => [
        [
          {
            ...(d as SteeringDecision),
            signatures: (d?.signatures ?? []).map((s, i) => (i === 0 ? { ...s, meaning: 'I agree.' } : s)),
          },
        ],
        e,
      ],
      expected: { entry: 1, reason: 'step-changed' },
    },
    {
      description: 'the first entry removed from the chain',
      change: (d, e) => [d, e.slice(1)],
      expected: { entry: 1, reason: 'sequence' },
    },
    {
      description: 'the entries swapped',
      change: (d, [a, b]) => [d, [b, a] as ChainEntry[]],
      expected: { entry: 1, reason: 'sequence' },
    },
    {
      description: "an entry's approver changed and its hash recomputed without the chain",
      change: (d, [a, b]) => [d, [{ ...(a as ChainEntry), staffId: 'PM-3' } as ChainEntry, b as ChainEntry]],
      expected: { entry: 1, reason: 'entry-hash' },
    },
  ];
  it.each(tampers)('names the entry: $description', ({ change, expected }) => {
    const first = decided(goProject(), 'decision-1');
    const [decisions, entries] = change([first], chainOf([first]));
    expect(verifyAuditChain(entries, undefined, { steering: decisions })).toMatchObject({
      ok: false,
      ...expected,
    });
  });

  it('without the decisions at hand only the chain itself is checked', () => {
    const first = decided(goProject(), 'decision-1');
    expect(verifyAuditChain(chainOf([first])).ok).toBe(true);
  });
});

describe('the chain in the evidence pack', () => {
  it.each([
    {
      description: 'every signature logged',
      logged: 2,
      expected: { state: 'intact', entries: 2, steeringSignatures: 2, unlogged: 0 },
      words: /^Audit log: 2 entries, chain intact, 2 steering signatures recorded; head [0-9a-f]{64}\.$/,
    },
    {
      description: 'the second signature not logged yet',
      logged: 1,
      expected: { state: 'intact', entries: 1, steeringSignatures: 1, unlogged: 1 },
      words: /1 of the latest decision's signatures is not in it yet\.$/,
    },
    {
      description: 'an empty chain',
      logged: 0,
      expected: { state: 'intact', entries: 0, steeringSignatures: 0, unlogged: 2 },
      words: /^Audit log: 0 entries, chain intact, 0 steering signatures recorded;/,
    },
  ])('$description', ({ logged, expected, words }) => {
    const project = goProject();
    const decision = decided(project, 'decision-1');
    const recorded = withDecisions(project, [decision]);
    const entries = chainOf([decision]).slice(0, logged);
    const chain = packAuditChain(recorded, entries);
    expect(chain).toMatchObject(expected);
    expect(auditChainWords(chain)).toMatch(words);
    const pack = evidencePack(recorded, assessReadiness(recorded), '2026-11-24T11:00:00Z', chain);
    expect(pack.auditChain).toEqual(chain);
    if (chain.state === 'intact' && entries.length > 0)
      expect(chain.head).toBe(entries[entries.length - 1]?.hash);
  });

  it('a steering signature edited in the project breaks the chain in the pack, naming the entry', () => {
    const project = goProject();
    const decision = decided(project, 'decision-1');
    const entries = chainOf([decision]);
    const edited = {
      ...decision,
      signatures: decision.signatures.map((s, i) =>
        i === 1 ? { ...s, signer: { ...s.signer, role: 'Director' } } : s,
      ),
    };
    const chain = packAuditChain(withDecisions(project, [edited]), entries);
    expect(chain).toMatchObject({ state: 'broken', entry: 2 });
    expect(auditChainWords(chain)).toMatch(
      /^Audit log broken at entry 2: the steering signature it records was changed after it was logged\./,
    );
  });

  it('a pack made without the chain has no auditChain field', () => {
    const project = goProject();
    expect(evidencePack(project, assessReadiness(project), '2026-11-24T11:00:00Z')).not.toHaveProperty(
      'auditChain',
    );
  });
});
