import { describe, expect, it } from 'vitest';
import { withSafetyAnswer } from '../../formats/steering.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import { resultsHash, type ServerSteeringDecision, STEERING_GO_MEANING } from '../signoff/signing/index.ts';
import {
  assessReadiness,
  EVIDENCE_PACK_FORMAT,
  evidencePack,
  readinessResultHash,
  verifyEvidencePack,
} from './index.ts';
import { decidedProject, goProject, OWNERS, planned, report } from './testing/crafted.ts';

const AT = '2026-11-24T11:00:00Z';

describe('evidencePack', () => {
  it('traces each phase to the artefacts it was judged on, by the hash of the version judged', () => {
    const project = goProject();
    const result = assessReadiness(project);
    const pack = evidencePack(project, result, AT);
    expect(pack).toMatchObject({
      format: EVIDENCE_PACK_FORMAT,
      generatedAt: AT,
      project: { id: 'p', name: 'Clinic' },
      decision: 'go',
      resultSha256: readinessResultHash(result),
    });
    const artefacts = Object.fromEntries(pack.phases.map((p) => [p.id, p.artefacts]));
    const [rep] = project.reports;
    const [review] = project.reviews ?? [];
    if (!rep || !review) throw new Error('the go project has a report and a review');
    expect(artefacts['pre-launch']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'validation-report', id: rep.id, sha256: canonicalSha256Hex(rep) }),
        expect.objectContaining({
          kind: 'sign-off',
          id: review.id,
          sha256: canonicalSha256Hex(review),
          detail: expect.stringContaining(`results ${resultsHash(review).slice(0, 12)}…`),
        }),
      ]),
    );
    expect(artefacts['go-live']).toContainEqual(
      expect.objectContaining({ kind: 'workflow', id: planned.id, sha256: canonicalSha256Hex(planned) }),
    );
    expect(artefacts['go-live']?.map((a) => a.kind)).toContain('safety-assessment');
    // discovery names the role owners it was judged on, and shows who owns each role
    expect(artefacts.discovery).toContainEqual({
      kind: 'role-owners',
      id: 'role-owners',
      name: 'Role owners and stakeholders',
      sha256: canonicalSha256Hex(OWNERS),
      detail: '1 role recorded, 1 with an owner',
    });
    expect(pack.phases.find((p) => p.id === 'discovery')?.evidence).toContain(
      'Front desk: owner Ana Ruiz; stakeholders Kim Ode and Lee Park.',
    );
    expect(pack.phases.map((p) => p.status)).toEqual(result.phases.map((p) => p.status));
  });

  it('names the owner of a safety item that blocks or is at risk', () => {
    const base = goProject();
    const project = {
      ...base,
      meta: {
        ...base.meta,
        settings: withSafetyAnswer(base.meta.settings, {
          item: 'backup-recovery',
          owner: 'IT lead',
          evidence: 'Restore test, ticket IT-2291',
          status: 'partial',
          by: 'Rae Lindqvist',
          at: AT,
        }),
      },
    };
    const pack = evidencePack(project, assessReadiness(project), AT);
    expect(pack.risks.find((r) => r.text.includes('Backup and recovery'))?.owner).toBe('IT lead');
    expect(pack.safety.find((i) => i.id === 'backup-recovery')).toMatchObject({
      guide: 'Contingency Planning',
      status: 'partially implemented',
      owner: 'IT lead',
      evidenceKept: 'Restore test, ticket IT-2291',
      overridden: false,
    });
  });

  it('carries the last rehearsal compared with the run before it, and a run that got worse as a risk', () => {
    const issue = {
      rule: 'contract.required',
      severity: 'error' as const,
      location: 'birth_date',
      examples: [],
    };
    const first = { ...report(995), issues: [{ ...issue, count: 2 }] };
    const last = { ...report(995, 1000, '2026-11-22T10:00:00Z'), issues: [{ ...issue, count: 4 }] };
    const project = { ...goProject(), reports: [first, last] };
    const pack = evidencePack(project, assessReadiness(project), AT);
    expect(pack.phases.find((p) => p.id === 'pre-launch')?.evidence).toContain(
      'Last rehearsal of patients.csv, checked 2026-11-22, against the run of 2026-11-20: 0 fixed, 0 new, 0 still failing, 1 worse.',
    );
    expect(pack.risks).toContainEqual(
      expect.objectContaining({
        phase: 'pre-launch',
        act: 'migration',
        text: expect.stringMatching(/^patients\.csv: the last rehearsal \(checked 2026-11-22\) got worse/),
      }),
    );
    // both runs are traced by their hash
    expect(pack.phases.find((p) => p.id === 'pre-launch')?.artefacts.map((a) => a.sha256)).toEqual(
      expect.arrayContaining([canonicalSha256Hex(first), canonicalSha256Hex(last)]),
    );
  });

  it('carries the decision and whether it is current', () => {
    const { project } = decidedProject(goProject());
    expect(evidencePack(project, assessReadiness(project), AT).steering.latest?.state).toBe('current');
    const changed = { ...project, reports: [report(999, 1000, '2026-11-25T08:00:00Z')] };
    expect(evidencePack(changed, assessReadiness(changed), AT).steering.latest?.state).toBe('stale');
  });
});

describe('the go/no-go signed on the team server, in the pack', () => {
  const signedOn = (resultSha256: string): ServerSteeringDecision => ({
    id: 'decision-1',
    decision: 'go',
    readiness: 'go',
    resultSha256,
    rationale: 'Every gate passes.',
    recordedAt: '2026-11-24T10:00:00+01:00',
    hash: 'c'.repeat(64),
    signatures: [
      {
        projectSeq: 12,
        signer: { subject: 'sam', name: 'Sam Steering' },
        role: 'steering',
        meaning: STEERING_GO_MEANING,
        signedAt: '2026-11-24T09:05:00.000Z',
      },
    ],
  });

  it('carries the latest with its rationale and manifestations, current or stale, under the seal', async () => {
    const project = goProject();
    const result = assessReadiness(project);
    const current = evidencePack(project, result, AT, undefined, [signedOn(result.steering.resultSha256)]);
    expect(current.serverSteeringDecision).toMatchObject({
      state: 'current',
      rationale: 'Every gate passes.',
      signatures: [
        { signer: { name: 'Sam Steering' }, meaning: STEERING_GO_MEANING, signedAt: expect.any(String) },
      ],
    });
    expect(current.seal?.fields.serverSteeringDecision).toBe(
      canonicalSha256Hex(current.serverSteeringDecision),
    );
    expect(await verifyEvidencePack(JSON.parse(JSON.stringify(current)))).toMatchObject({
      verdict: 'verified',
    });
    const stale = evidencePack(project, result, AT, undefined, [signedOn('d'.repeat(64))]);
    expect(stale.serverSteeringDecision?.state).toBe('stale');
    expect(evidencePack(project, result, AT).serverSteeringDecision).toBeUndefined();

    // a rationale edited in the pack afterwards breaks its seal
    const edited = JSON.parse(JSON.stringify(current));
    edited.serverSteeringDecision.rationale = 'Because.';
    expect((await verifyEvidencePack(edited)).verdict).not.toBe('verified');
  });
});
