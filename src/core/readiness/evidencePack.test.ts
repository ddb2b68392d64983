import { describe, expect, it } from 'vitest';
import { withSafetyAnswer } from '../../formats/steering.ts';
import { canonicalSha256Hex } from '../hash/canonicalJson.ts';
import { resultsHash } from '../signoff/signature.ts';
import { assessReadiness, EVIDENCE_PACK_FORMAT, evidencePack, readinessResultHash } from './index.ts';
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
      detail: '1 owner(s) named for 1 role(s)',
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
          status: 'partial',
          by: 'Rae Lindqvist',
          at: AT,
        }),
      },
    };
    const pack = evidencePack(project, assessReadiness(project), AT);
    expect(pack.risks.find((r) => r.text.includes('Backup and recovery'))?.owner).toBe('IT lead');
    expect(pack.safety.find((i) => i.id === 'backup-recovery')).toMatchObject({
      status: 'partially in place',
      owner: 'IT lead',
      overridden: false,
    });
  });

  it('carries the decision and whether it is current', () => {
    const { project } = decidedProject(goProject());
    expect(evidencePack(project, assessReadiness(project), AT).steering.latest?.state).toBe('current');
    const changed = { ...project, reports: [report(999, 1000, '2026-11-25T08:00:00Z')] };
    expect(evidencePack(changed, assessReadiness(changed), AT).steering.latest?.state).toBe('stale');
  });
});
