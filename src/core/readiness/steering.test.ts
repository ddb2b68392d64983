import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import type { SafetyGate } from '../../formats/readinessGates.ts';
import {
  PROJECT_SAFETY_ASSESSMENT_KEY,
  PROJECT_STEERING_DECISIONS_KEY,
  readSafetyAssessment,
  type SafetyAnswer,
  type SteeringDecision,
  withSafetyAnswer,
  withSteeringDecision,
} from '../../formats/steering.ts';
import { challengeFor, keptRoster, LEAD, REVIEWER } from '../signoff/signing/index.ts';
import {
  addSteeringSignature,
  assessReadiness,
  prepareSteeringSignature,
  readinessResultHash,
  SAFER_GUIDES,
  STEERING_GO_MEANING,
  SteeringError,
  steeringSignerRefusal,
  verifySteeringSignature,
} from './index.ts';
import { FULL_SAFETY, goProject, planned, report } from './testing/crafted.ts';

const withSettings = (p: Project, settings: Record<string, unknown>): Project => ({
  ...p,
  meta: { ...p.meta, settings: { ...p.meta.settings, ...settings } },
});

const answered = (p: Project, answer: SafetyAnswer): Project => ({
  ...p,
  meta: { ...p.meta, settings: withSafetyAnswer(p.meta.settings, answer) },
});

const withPlanned = (
  p: Project,
  change: (steps: Project['workflows'][number]) => Project['workflows'][number],
) => ({
  ...p,
  workflows: p.workflows.map((w) => (w.id === planned.id ? change(w) : w)),
});

const item = (p: Project, id: string) => assessReadiness(p).safety.find((i) => i.id === id);
const goLive = (p: Project, gate?: SafetyGate) => {
  const project = gate ? withSettings(p, { readinessGates: { safetyItemsAtLeast: gate } }) : p;
  const result = assessReadiness(project);
  return { result, phase: result.phases.find((ph) => ph.id === 'go-live') };
};

describe('safety self-assessment', () => {
  it('the go project: every item fully in place, go-live at risk only for support staffing', () => {
    const { result, phase } = goLive(goProject());
    expect(result.decision).toBe('go');
    expect(result.safety.map((i) => i.status)).toEqual(FULL_SAFETY.answers.map(() => 'full'));
    expect(phase?.evidence).toContain(
      'Safety self-assessment by the 8 SAFER guides of 2025 (28 practices): 28 fully implemented; 8 of 8 guides meet their gate.',
    );
    expect(result.safetyGuides.map((g) => g.state)).toEqual(Array(8).fill('met'));
  });

  it.each<{ status: 'full' | 'partial' | 'none'; gate: SafetyGate; phase: string; go: boolean }>([
    { status: 'partial', gate: 'partial', phase: 'at-risk', go: true },
    { status: 'partial', gate: 'full', phase: 'blocked', go: false },
    { status: 'none', gate: 'partial', phase: 'blocked', go: false },
    { status: 'none', gate: 'off', phase: 'at-risk', go: true },
    { status: 'full', gate: 'full', phase: 'at-risk', go: true },
  ])('an item $status under the gate "$gate": go-live $phase', ({ status, gate, phase, go }) => {
    const project = answered(goProject(), {
      item: 'backup-recovery',
      owner: 'IT lead',
      status,
      by: 'Rae Lindqvist',
      at: '2026-11-24T09:00:00Z',
    });
    const judged = goLive(project, gate);
    expect(judged.phase?.status).toBe(phase);
    expect(judged.result.decision).toBe(go ? 'go' : 'no-go');
    if (status !== 'full')
      expect(judged.phase?.reasons.map((r) => r.text)).toContain(
        `Safety self-assessment: Backup and recovery (Contingency Planning) is ${status === 'none' ? 'not implemented' : 'partially implemented'} (owner: IT lead).`,
      );
  });

  it('an item nobody assessed and no evidence covers blocks (nothing passes by absence), unless the gate is off', () => {
    const project = withSettings(goProject(), {
      [PROJECT_SAFETY_ASSESSMENT_KEY]: {
        answers: FULL_SAFETY.answers.filter((a) => a.item !== 'backup-recovery'),
      },
    });
    const blocked = goLive(project);
    expect(blocked.phase?.status).toBe('blocked');
    expect(blocked.result.reasons.map((r) => r.text)).toEqual([
      'Safety self-assessment, Contingency Planning: Backup and recovery is not assessed yet. Assess it on the Readiness screen.',
    ]);
    expect(goLive(project, 'off').result.decision).toBe('go');
  });

  it.each<{ name: string; craft: (p: Project) => Project; id: string; status: string; line: RegExp }>([
    {
      name: 'an open loop on a planned order → results acknowledgement not in place',
      craft: (p) =>
        withPlanned(p, (w) => ({
          ...w,
          steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, enters: ['lab.order'] } : s)),
        })),
      id: 'results-acknowledgement',
      status: 'none',
      line: /^“Check-in planned” leaves an order's result unacknowledged: /,
    },
    {
      name: 'data re-keyed between systems → interfaces not in place',
      craft: (p) =>
        withPlanned(p, (w) => ({
          ...w,
          steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, system: 'Portal' } : s)),
          flows: w.flows.map((f) => (f.to === 'check-in' ? { ...f, transfer: 'manual' } : f)),
        })),
      id: 'interfaces-tested',
      status: 'none',
      line: /^“Check-in planned” re-keys data between systems: /,
    },
    {
      // duplicate-entry leads that root cause (same severity, earlier rule): the re-keying still counts
      name: 'data typed again in a second system, one root cause with a duplicate entry → interfaces not in place',
      craft: (p) =>
        withPlanned(p, (w) => {
          const checkIn = w.steps.find((s) => s.id === 'check-in');
          if (!checkIn) throw new Error('the crafted plan has a check-in step');
          return {
            ...w,
            steps: [
              ...w.steps.map((s) => (s.id === 'check-in' ? { ...s, enters: ['insurance.id'] } : s)),
              {
                ...checkIn,
                id: 'portal',
                label: 'Pre-register',
                system: 'Portal',
                enters: ['insurance.id'],
                replaces: [],
              },
            ],
            flows: [
              { from: 'arrive', to: 'portal', transfer: 'none' },
              { from: 'portal', to: 'check-in', transfer: 'none' },
              { from: 'check-in', to: 'done', transfer: 'none' },
            ],
          };
        }),
      id: 'interfaces-tested',
      status: 'none',
      line: /^“Check-in planned” re-keys data between systems: The same data is typed in “Pre-register” and in/,
    },
    {
      name: 'a wrong patient found in sign-off → migrated records on the right patient not implemented',
      craft: (p) => ({
        ...p,
        reviews: (p.reviews ?? []).map((r) => ({
          ...r,
          decisions: r.decisions.map((d, i) =>
            i === 0
              ? {
                  ...d,
                  outcome: 'reject' as const,
                  findings: [
                    { field: 'subject', reason: 'wrong-patient' as const, defectClass: 'critical' as const },
                  ],
                }
              : d,
          ),
        })),
      }),
      id: 'migrated-records-patient',
      status: 'none',
      line: /^Clinicians found 1 migrated record attached to the wrong patient, of 3 reviewed in 1 sign-off sample\.$/,
    },
    {
      name: 'every record reviewed, the sample passes, no wrong patient → migrated records on the right patient fully implemented',
      craft: (p) => p,
      id: 'migrated-records-patient',
      status: 'full',
      line: /^No wrong patient in 3 migrated records clinicians reviewed in 1 sign-off sample, and every sample is fully reviewed and passes\.$/,
    },
  ])('pre-filled from evidence: $name', ({ craft, id, status, line }) => {
    // no person's status on the item: the evidence decides it
    const base = craft(goProject());
    const project = withSettings(base, {
      [PROJECT_SAFETY_ASSESSMENT_KEY]: { answers: FULL_SAFETY.answers.filter((a) => a.item !== id) },
    });
    const found = item(project, id);
    expect(found?.status).toBe(status);
    expect(found?.evidence.status).toBe(status);
    expect(found?.evidence.lines.some((l) => line.test(l))).toBe(true);
    expect(found?.overridden).toBe(false);
    if (status === 'none')
      expect(assessReadiness(project).reasons.map((r) => r.text)).toContain(
        `Safety self-assessment: ${found?.title} (${SAFER_GUIDES.find((g) => g.id === found?.guide)?.title}) is not implemented (no owner named). Pre-filled from the project’s evidence.`,
      );
  });

  it('the absence of a finding informs but pre-fills nothing', () => {
    const project = withSettings(goProject(), {
      [PROJECT_SAFETY_ASSESSMENT_KEY]: {
        answers: FULL_SAFETY.answers.filter((a) => a.item !== 'results-acknowledgement'),
      },
    });
    const found = item(project, 'results-acknowledgement');
    expect(found?.status).toBe('unassessed');
    expect(found?.evidence.lines[0]).toMatch(/^No planned workflow leaves an order's result unacknowledged/);
  });

  it('a person overrides the evidence: their status stands, marked as an override with who and why', () => {
    const open = withPlanned(goProject(), (w) => ({
      ...w,
      steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, enters: ['lab.order'] } : s)),
    }));
    const project = answered(open, {
      item: 'results-acknowledgement',
      status: 'partial',
      by: 'Dr Ines Moreau',
      at: '2026-11-24T09:30:00+01:00',
      reason: 'The lab calls abnormal results through until the inbox is live.',
    });
    const found = item(project, 'results-acknowledgement');
    expect(found).toMatchObject({ status: 'partial', overridden: true, evidence: { status: 'none' } });
    expect(found?.answer?.by).toBe('Dr Ines Moreau');
    expect(readSafetyAssessment(project.meta.settings).answers.at(-1)?.reason).toMatch(/^The lab calls/);
  });
});

describe('steering decision record', () => {
  const signer = { name: 'Dr Ines Moreau', role: 'Medical director', id: 'MD-1' };

  function decide(project: Project, signerOf = signer, id = 'dec-1'): SteeringDecision {
    const result = assessReadiness(project);
    const content = {
      id,
      decision: result.decision,
      readiness: result.decision,
      resultSha256: readinessResultHash(result),
      rationale: 'Every gate passes; support rota agreed.',
      recordedAt: '2026-11-24T10:00:00+01:00',
    };
    const prepared = prepareSteeringSignature({
      id: `sig-${signerOf.id}`,
      decision: content,
      signer: signerOf,
      signedAt: '2026-11-24T10:00:00+01:00',
    });
    return addSteeringSignature(
      content,
      { ...prepared, reauthentication: { method: 'none', reason: 'no WebAuthn' } },
      readinessResultHash(result),
    );
  }

  const recorded = (p: Project, d: SteeringDecision) => ({
    ...p,
    meta: { ...p.meta, settings: withSteeringDecision(p.meta.settings, d) },
  });

  it('a decision binds the result hash; recording it does not change that hash', () => {
    const project = goProject();
    const decision = decide(project);
    expect(decision.signatures[0]?.meaning).toBe(STEERING_GO_MEANING);
    const after = assessReadiness(recorded(project, decision));
    expect(after.steering.resultSha256).toBe(decision.resultSha256);
    expect(after.steering.latest).toMatchObject({
      decision: 'go',
      state: 'current',
      rationale: decision.rationale,
    });
    expect(after.steering.latest?.signers).toEqual([
      { ...signer, signedAt: '2026-11-24T10:00:00+01:00', reauthentication: 'none' },
    ]);
  });

  it.each<{ name: string; change: (p: Project) => Project }>([
    {
      name: 'a new validation report',
      change: (p) => ({ ...p, reports: [...p.reports, report(995, 1000, '2026-11-25T10:00:00Z')] }),
    },
    { name: 'a gate changed', change: (p) => withSettings(p, { readinessGates: { minValidShare: 0.5 } }) },
    {
      name: 'a safety answer changed',
      change: (p) =>
        answered(p, {
          item: 'backup-recovery',
          owner: 'Someone else',
          status: 'full',
          by: 'A',
          at: '2026-11-25T10:00:00Z',
        }),
    },
    {
      name: 'a planned workflow changed',
      change: (p) => withPlanned(p, (w) => ({ ...w, arrivalsPerHour: 5 })),
    },
  ])('$name after the decision marks it stale', ({ change }) => {
    const project = goProject();
    const decision = decide(project);
    const later = assessReadiness(change(recorded(project, decision)));
    expect(later.steering.latest?.state).toBe('stale');
    expect(later.steering.resultSha256).not.toBe(decision.resultSha256);
  });

  it('a second approver signs the same decision; a changed result refuses another signature', () => {
    const project = goProject();
    const first = decide(project);
    const result = assessReadiness(project);
    const second = prepareSteeringSignature({
      id: 'sig-2',
      decision: first,
      signer: { name: 'Rae Lindqvist', role: 'Practice manager', id: 'PM-3' },
      signedAt: '2026-11-24T10:05:00+01:00',
    });
    const both = addSteeringSignature(
      first,
      { ...second, reauthentication: { method: 'none', reason: 'no WebAuthn' } },
      readinessResultHash(result),
    );
    expect(both.signatures.map((s) => s.signer.id)).toEqual(['MD-1', 'PM-3']);
    expect(() =>
      addSteeringSignature(
        first,
        { ...second, reauthentication: { method: 'none', reason: 'x' } },
        'f'.repeat(64),
      ),
    ).toThrow(SteeringError);
    expect(() =>
      addSteeringSignature(
        both,
        { ...second, reauthentication: { method: 'none', reason: 'x' } },
        readinessResultHash(result),
      ),
    ).toThrow(/already signed/);
  });

  it('a blank name or rationale cannot sign', () => {
    const content = {
      id: 'd',
      decision: 'no-go' as const,
      readiness: 'no-go' as const,
      resultSha256: 'a'.repeat(64),
      rationale: ' ',
      recordedAt: '2026-11-24T10:00:00Z',
    };
    expect(() => prepareSteeringSignature({ id: 's', decision: content, signer, signedAt: 'x' })).toThrow(
      /rationale/,
    );
    expect(() =>
      prepareSteeringSignature({
        id: 's',
        decision: { ...content, rationale: 'ok' },
        signer: { ...signer, name: '' },
        signedAt: 'x',
      }),
    ).toThrow(/full name/);
  });

  it('a signature verifies, and an edit to the decision after signing is detected', async () => {
    const decision = decide(goProject());
    const [signature] = decision.signatures;
    if (!signature) throw new Error('no signature');
    expect(await verifySteeringSignature(decision, signature)).toMatchObject({
      ok: true,
      reauthentication: 'none',
    });
    const edited = { ...decision, decision: 'no-go' as const };
    expect(await verifySteeringSignature(edited, signature)).toMatchObject({ ok: false });
  });

  it('a malformed decision in the settings is skipped, not thrown on', () => {
    const project = withSettings(goProject(), { [PROJECT_STEERING_DECISIONS_KEY]: [{ id: 'x' }, 'junk'] });
    expect(assessReadiness(project).steering.latest).toBeUndefined();
  });
});

describe('who may sign a steering decision once the data lead keeps a roster', () => {
  const prepared = (signer: { name: string; role: string; id: string }) => {
    const content = {
      id: 'd1',
      decision: 'no-go' as const,
      readiness: 'no-go' as const,
      resultSha256: 'a'.repeat(64),
      rationale: 'Two lanes overload in go-live week.',
      recordedAt: '2026-11-24T10:00:00+01:00',
    };
    return {
      content,
      signature: prepareSteeringSignature({
        id: 's1',
        decision: content,
        signer,
        signedAt: content.recordedAt,
      }),
    };
  };
  const lead = { name: LEAD.name, role: LEAD.title, id: LEAD.staffId };
  const reviewer = { name: REVIEWER.name, role: REVIEWER.title, id: REVIEWER.staffId };

  it.each([
    {
      who: 'anyone, without a roster',
      roster: false,
      signer: { name: 'Robert Chen', role: 'CMO', id: 'X-1' },
      key: 'none',
      refused: undefined,
    },
    {
      who: 'a name not on the roster',
      roster: true,
      signer: { name: 'Robert Chen', role: 'CMO', id: 'X-1' },
      key: 'none',
      refused: /not on the project roster|Only people on the project roster/,
    },
    {
      who: 'a member who is not an approver',
      roster: true,
      signer: reviewer,
      key: 'reviewer',
      refused: /Dana Reyes is not an approver on the roster/,
    },
    {
      who: 'an approver with the key the lead confirmed',
      roster: true,
      signer: lead,
      key: 'lead',
      refused: undefined,
    },
    {
      who: 'an approver with another key',
      roster: true,
      signer: lead,
      key: 'reviewer',
      refused: /not the one the data lead confirmed for Sam Okafor/,
    },
    {
      who: 'a forger’s own key under the id of the key the lead confirmed',
      roster: true,
      signer: lead,
      key: 'forged',
      refused: /not the one the data lead confirmed for Sam Okafor/,
    },
    {
      who: 'an approver with a confirmed key, signing without it',
      roster: true,
      signer: lead,
      key: 'none',
      refused: /sign with it/,
    },
  ] as const)('$who', async ({ roster: withRoster, signer, key, refused }) => {
    const kept = await keptRoster();
    const roster = withRoster ? kept.roster : undefined;
    const { content, signature } = prepared(signer);
    const reauthentication =
      key === 'none'
        ? ({ method: 'none', reason: 'no WebAuthn' } as const)
        : key === 'forged'
          ? ({
              method: 'webauthn',
              ...(await kept.reviewer.assert(challengeFor(signature.signatureSha256))),
              // the id of the lead's confirmed key, over an assertion the forger's key made
              credentialId: (await kept.lead.assert(challengeFor(signature.signatureSha256))).credentialId,
            } as const)
          : ({
              method: 'webauthn',
              ...(await (key === 'lead' ? kept.lead : kept.reviewer).assert(
                challengeFor(signature.signatureSha256),
              )),
            } as const);
    const signed = { ...signature, reauthentication };
    expect(steeringSignerRefusal(roster, signer, reauthentication)).toEqual(
      refused === undefined ? undefined : expect.stringMatching(refused),
    );
    if (refused === undefined) {
      const decision = addSteeringSignature(content, signed, content.resultSha256, roster);
      expect(await verifySteeringSignature(decision, signed, roster)).toMatchObject({ ok: true });
    } else {
      expect(() => addSteeringSignature(content, signed, content.resultSha256, roster)).toThrow(
        SteeringError,
      );
      // a decision signed before the roster changed is named by the verification
      const decision = { ...content, signatures: [signed] };
      expect(await verifySteeringSignature(decision, signed, roster)).toMatchObject({ ok: false });
    }
  });
});
