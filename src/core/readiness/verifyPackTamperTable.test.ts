import { describe, expect, it } from 'vitest';
import { type EvidencePackFile, loadEvidencePack } from '../../formats/evidencePack.ts';
import type { Project } from '../../formats/project.ts';
import { withSafetyAnswer } from '../../formats/steering.ts';
import { assessReadiness, type EvidencePack, evidencePack, packSeal, verifyEvidencePack } from './index.ts';
import { decidedProject, goProject, report } from './testing/crafted.ts';

const AT = '2026-11-24T11:00:00Z';

/** A decided go project and its pack as downloaded (through JSON, as a file holds it). */
function made(): { project: Project; pack: EvidencePack } {
  const { project } = decidedProject(goProject());
  const pack = evidencePack(project, assessReadiness(project), AT);
  return { project, pack: JSON.parse(JSON.stringify(pack)) as EvidencePack };
}

type Edit = (pack: EvidencePack) => void;
const reseal = (pack: EvidencePack) => {
  const { seal: _s, ...rest } = pack;
  pack.seal = packSeal(rest);
};
const firstSignature = (p: EvidencePack) => {
  const s = p.steeringDecision?.signatures[0];
  if (!s) throw new Error('the crafted pack has a signed decision');
  return s;
};

/**
 * Each row changes one signed or hashed field of a pack (flips, removes or reorders it) and names
 * the field the verifier must report. Rows marked `resealed` also recompute the pack's seal, as a
 * forger would: what then refuses the pack is the result hash, the signature or the artefacts.
 */
const TABLE: { what: string; edit: Edit; field: string; resealed?: boolean }[] = [
  {
    what: 'generatedAt flipped',
    edit: (p) => (p.generatedAt = '2027-01-01T00:00:00Z'),
    field: 'generatedAt',
  },
  { what: 'project name flipped', edit: (p) => (p.project.name = 'Other'), field: 'project' },
  { what: 'computed decision flipped', edit: (p) => (p.decision = 'no-go'), field: 'decision' },
  { what: 'gates removed', edit: (p) => Reflect.deleteProperty(p, 'gates'), field: 'gates' },
  { what: 'phases reordered', edit: (p) => p.phases.reverse(), field: 'phases' },
  {
    what: 'an artefact hash flipped',
    edit: (p) => {
      const a = p.phases[4]?.artefacts[0];
      if (a) a.sha256 = '0'.repeat(64);
    },
    field: 'phases',
  },
  {
    what: 'a risk added',
    edit: (p) => p.risks.push({ text: 'x', blocks: false, act: 'readiness', phase: 'discovery' }),
    field: 'risks',
  },
  { what: 'safety items reordered', edit: (p) => p.safety.reverse(), field: 'safety' },
  { what: 'steering summary flipped', edit: (p) => (p.steering.earlier = 3), field: 'steering' },
  { what: 'result removed', edit: (p) => Reflect.deleteProperty(p, 'result'), field: 'result' },
  { what: 'a field added', edit: (p) => Object.assign(p, { note: 'added' }), field: 'note' },
  { what: 'seal removed', edit: (p) => Reflect.deleteProperty(p, 'seal'), field: 'seal' },
  {
    what: 'seal total flipped',
    edit: (p) => {
      if (p.seal) p.seal.sha256 = '0'.repeat(64);
    },
    field: 'seal',
  },
  {
    what: 'result hash flipped',
    edit: (p) => {
      p.resultSha256 = '0'.repeat(64);
      p.steering.resultSha256 = p.resultSha256;
    },
    field: 'resultSha256',
    resealed: true,
  },
  {
    what: 'a phase status flipped in the result and the pack',
    edit: (p) => {
      const phase = p.result?.phases[0];
      if (phase) phase.status = 'blocked';
    },
    field: 'resultSha256',
    resealed: true,
  },
  {
    what: 'a phase status flipped in the pack only',
    edit: (p) => {
      const phase = p.phases[1];
      if (phase) phase.status = 'blocked';
    },
    field: 'phases[1].status',
    resealed: true,
  },
  {
    what: 'a phase evidence line flipped',
    edit: (p) => p.phases[2]?.evidence.push('Every role trained.'),
    field: 'phases[2].evidence',
    resealed: true,
  },
  {
    what: 'decision flipped in pack and result',
    edit: (p) => {
      p.decision = 'no-go';
      if (p.result) p.result.decision = 'no-go';
    },
    field: 'resultSha256',
    resealed: true,
  },
  {
    what: 'blocking reasons removed',
    edit: (p) => {
      p.reasons = [{ text: 'x', blocks: true, act: 'readiness', phase: 'discovery' }];
    },
    field: 'reasons',
    resealed: true,
  },
  {
    what: 'the signed decision flipped',
    edit: (p) => {
      if (p.steeringDecision) p.steeringDecision.decision = 'no-go';
    },
    field: 'steeringDecision.signatures[0]',
    resealed: true,
  },
  {
    what: 'the signed rationale flipped',
    edit: (p) => {
      if (p.steeringDecision) p.steeringDecision.rationale = 'Another reason.';
    },
    field: 'steeringDecision.signatures[0]',
    resealed: true,
  },
  {
    what: "a signature's signer flipped",
    edit: (p) => (firstSignature(p).signer.name = 'Someone Else'),
    field: 'steeringDecision.signatures[0]',
    resealed: true,
  },
  {
    what: "a signature's hash flipped",
    edit: (p) => (firstSignature(p).signatureSha256 = '0'.repeat(64)),
    field: 'steeringDecision.signatures[0]',
    resealed: true,
  },
  {
    what: "a signature's re-authentication removed",
    edit: (p) => Reflect.deleteProperty(firstSignature(p), 'reauthentication'),
    field: 'steeringDecision.signatures[0]',
    resealed: true,
  },
  {
    what: 'the signed decision removed',
    edit: (p) => Reflect.deleteProperty(p, 'steeringDecision'),
    field: 'steeringDecision',
    resealed: true,
  },
  {
    what: 'the signatures removed',
    edit: (p) => {
      if (p.steeringDecision) p.steeringDecision.signatures = [];
    },
    field: 'steeringDecision',
    resealed: true,
  },
  {
    what: 'the steering summary names another decision',
    edit: (p) => {
      if (p.steering.latest) p.steering.latest.decision = 'no-go';
    },
    field: 'steering.latest',
    resealed: true,
  },
  {
    what: 'the result replaced by a value of the wrong shape',
    edit: (p) => Object.assign(p, { result: { phases: 3 } }),
    field: 'result',
    resealed: true,
  },
  {
    what: 'the steering summary replaced by a value of the wrong shape',
    edit: (p) => Object.assign(p.steering, { latest: { ...p.steering.latest, signers: 'x' } }),
    field: 'steeringDecision',
    resealed: true,
  },
  {
    what: 'the phases replaced by a value of the wrong shape',
    edit: (p) => Object.assign(p, { phases: p.phases.map(() => null) }),
    field: 'phases',
    resealed: true,
  },
];

describe('verifyEvidencePack', () => {
  it('verifies a pack as downloaded, alone and against its project', async () => {
    const { project, pack } = made();
    expect(await verifyEvidencePack(pack)).toMatchObject({ verdict: 'verified', problems: [] });
    const checked = await verifyEvidencePack(pack, project);
    expect(checked).toMatchObject({ verdict: 'verified', problems: [] });
    expect(checked.verdict !== 'unreadable' && checked.checked.join('\n')).toMatch(/1 signature\(s\) verify/);
  });

  it('accepts the same pack with its keys in another order (canonical JSON)', async () => {
    const { pack } = made();
    const reordered = Object.fromEntries(Object.entries(pack).reverse());
    expect(await verifyEvidencePack(reordered)).toMatchObject({ verdict: 'verified' });
  });

  it.each(TABLE)('refuses a pack with $what, naming $field', async ({ edit, field, resealed }) => {
    const { project, pack } = made();
    edit(pack);
    if (resealed) reseal(pack);
    const checked = await verifyEvidencePack(pack, project);
    expect(checked.verdict).toBe('tampered');
    if (checked.verdict === 'unreadable') return;
    expect(checked.problems.filter((p) => p.kind === 'tampered').map((p) => p.field)).toContain(field);
  });

  it('says stale, not tampered, when the project changed after the pack', async () => {
    const { project, pack } = made();
    const rechecked = project.reports.map((r) => ({ ...r, generatedAt: '2026-11-25T08:00:00Z' }));
    const checked = await verifyEvidencePack(pack, { ...project, reports: rechecked });
    expect(checked.verdict).toBe('stale');
    if (checked.verdict === 'unreadable') return;
    expect(checked.problems.every((p) => p.kind === 'stale')).toBe(true);
    expect(checked.problems.map((p) => p.message).join('\n')).toMatch(
      /validation-report changed in the project/,
    );
    const replaced = await verifyEvidencePack(pack, { ...project, reports: [report(999, 1000, AT)] });
    expect(replaced.verdict !== 'unreadable' && replaced.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        'the validation-report is no longer in the project',
        'a validation-report was added to the project after the pack was made',
      ]),
    );
  });

  it('says stale when the pack shows a decision taken on an earlier result', async () => {
    const { project } = decidedProject(goProject());
    const later = {
      ...project,
      meta: {
        ...project.meta,
        settings: withSafetyAnswer(project.meta.settings, {
          item: 'backup-recovery',
          owner: 'IT lead',
          status: 'partial',
          by: 'Rae Lindqvist',
          at: AT,
        }),
      },
    };
    const pack = JSON.parse(JSON.stringify(evidencePack(later, assessReadiness(later), AT)));
    const checked = await verifyEvidencePack(pack, later);
    expect(checked.verdict).toBe('stale');
    if (checked.verdict === 'unreadable') return;
    expect(checked.problems.map((p) => p.field)).toEqual(['steeringDecision.resultSha256']);
  });

  it('refuses what is not a pack, and a project that is another one', async () => {
    const { project, pack } = made();
    expect((await verifyEvidencePack({ format: 'x' })).verdict).toBe('unreadable');
    const other = { ...project, meta: { ...project.meta, id: 'other' } };
    expect((await verifyEvidencePack(pack, other)).verdict).toBe('unreadable');
  });
});

describe('the evidence pack format (preflight check)', () => {
  it('loads packs as made, and refuses one whose seal is not hashes, naming the field', () => {
    const { project } = decidedProject(goProject());
    const noDecision = goProject();
    for (const p of [project, noDecision]) {
      const made: EvidencePackFile = evidencePack(p, assessReadiness(p), AT);
      const loaded = loadEvidencePack(JSON.parse(JSON.stringify(made)));
      expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    }
    const { pack } = made();
    if (pack.seal) pack.seal.fields.phases = 'changed';
    const loaded = loadEvidencePack(pack);
    expect(loaded.ok ? [] : loaded.problems.map((p) => p.path)).toEqual(['/seal/fields/phases']);
  });
});
