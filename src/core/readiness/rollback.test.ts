import { describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import type { ReadinessGatesInput } from '../../formats/readinessGates.ts';
import {
  PROJECT_ROLLBACK_PLAN_KEY,
  type RollbackPlan,
  readRollbackPlan,
  withRollbackPlan,
} from '../../formats/rollbackPlan.ts';
import { PROJECT_SAFETY_ASSESSMENT_KEY, withSafetyAnswer } from '../../formats/steering.ts';
import { assessReadiness, evidencePack, ROLLBACK_NOT_RECORDED } from './index.ts';
import { COMPLETE_ROLLBACK, FULL_SAFETY, goProject } from './testing/crafted.ts';

/** The go project with its rollback plan replaced (null: none recorded) and the gates given. */
function withPlan(plan: RollbackPlan | null, gates?: ReadinessGatesInput): Project {
  const p = goProject();
  const { [PROJECT_ROLLBACK_PLAN_KEY]: _dropped, ...settings } = p.meta.settings;
  return {
    ...p,
    meta: {
      ...p.meta,
      settings: {
        ...(plan ? withRollbackPlan(settings, plan) : settings),
        ...(gates ? { readinessGates: gates } : {}),
      },
    },
  };
}

const goLive = (p: Project) => assessReadiness(p).phases.find((ph) => ph.id === 'go-live');

describe('the rollback/downtime plan, against the clinic’s gates', () => {
  it.each<{
    description: string;
    plan: RollbackPlan | null;
    gates?: ReadinessGatesInput;
    decision: 'go' | 'no-go';
    reasons: { blocks: boolean; text: string }[];
  }>([
    {
      description: 'complete, drilled 29 days before go-live: no reason',
      plan: COMPLETE_ROLLBACK,
      decision: 'go',
      reasons: [],
    },
    {
      description: 'not recorded: a risk, never a pass by absence',
      plan: null,
      decision: 'go',
      reasons: [{ blocks: false, text: ROLLBACK_NOT_RECORDED }],
    },
    {
      description: 'marked absent: blocks',
      plan: { present: false },
      decision: 'no-go',
      reasons: [
        {
          blocks: true,
          text: 'There is no rollback/downtime plan: write one (who decides, triggers, downtime procedures, a drill) and mark it present on the Readiness screen.',
        },
      ],
    },
    {
      description: 'marked absent when the clinic does not require one: a risk',
      plan: { present: false },
      gates: { requireRollbackPlan: false },
      decision: 'go',
      reasons: [
        {
          blocks: false,
          text: 'There is no rollback/downtime plan: write one (who decides, triggers, downtime procedures, a drill) and mark it present on the Readiness screen.',
        },
      ],
    },
    {
      description: 'present without who decides nor printed reports: blocks, naming both',
      plan: { ...COMPLETE_ROLLBACK, decidedBy: '  ', downtimeReports: false },
      decision: 'no-go',
      reasons: [
        {
          blocks: true,
          text: 'The rollback/downtime plan lacks who decides to roll back and downtime reports printed. Complete it on the Readiness screen.',
        },
      ],
    },
    {
      description: 'present with nothing but the mark: every essential named',
      plan: { present: true },
      decision: 'no-go',
      reasons: [
        {
          blocks: true,
          text: 'The rollback/downtime plan lacks who decides to roll back, the triggers, paper forms ready, read-only access to the old system, downtime reports printed, the day of the last downtime drill and where the plan is kept. Complete it on the Readiness screen.',
        },
      ],
    },
    {
      description: 'a stricter drill gate: 29 days is too old for 14',
      plan: COMPLETE_ROLLBACK,
      gates: { maxDrillAgeDays: 14 },
      decision: 'no-go',
      reasons: [
        {
          blocks: true,
          text: 'The last downtime drill was 29 days before go-live; the gate is 14 days. Rehearse the downtime procedures again before go-live.',
        },
      ],
    },
    {
      description: 'the drill exactly at the gate passes',
      plan: COMPLETE_ROLLBACK,
      gates: { maxDrillAgeDays: 29 },
      decision: 'go',
      reasons: [],
    },
    {
      description: 'a drill after the go-live day: blocks',
      plan: { ...COMPLETE_ROLLBACK, lastDrill: '2026-12-02' },
      decision: 'no-go',
      reasons: [
        {
          blocks: true,
          text: 'The last downtime drill (2026-12-02) is after the planned go-live day (2026-12-01): hold a drill before go-live.',
        },
      ],
    },
    {
      description: 'no go-live day: the drill cannot be judged, a risk',
      plan: { ...COMPLETE_ROLLBACK, goLiveDate: undefined },
      decision: 'go',
      reasons: [
        {
          blocks: false,
          text: 'The planned go-live day is not recorded, so the downtime drill cannot be judged against it: enter it with the rollback/downtime plan.',
        },
      ],
    },
  ])('$description', ({ plan, gates, decision, reasons }) => {
    const project = withPlan(plan && JSON.parse(JSON.stringify(plan)), gates);
    const result = assessReadiness(project);
    expect(result.decision).toBe(decision);
    const phase = goLive(project);
    const ours = (phase?.reasons ?? []).filter((r) => /rollback|downtime|drill/i.test(r.text));
    expect(ours.map((r) => ({ blocks: r.blocks, text: r.text }))).toEqual(reasons);
  });

  it('shows the plan as evidence and hashes it in the evidence pack', () => {
    const project = withPlan(COMPLETE_ROLLBACK);
    const result = assessReadiness(project);
    expect(goLive(project)?.evidence).toContain(
      'Rollback/downtime plan: present, kept at Shared drive, Go-live folder, Downtime plan v3; Clinical lead on call decides to roll back; downtime procedures: paper forms ready, read-only access to the old system and downtime reports printed; last drill 2026-11-02, go-live 2026-12-01.',
    );
    const pack = evidencePack(project, result, '2026-11-24T10:00:00Z');
    const artefact = JSON.stringify(pack).includes('"kind":"rollback-plan"');
    expect(artefact).toBe(true);
    const other = evidencePack(
      withPlan({ present: false }),
      assessReadiness(withPlan({ present: false })),
      '2026-11-24T10:00:00Z',
    );
    const hashOf = (p: typeof pack) =>
      JSON.stringify(p).match(
        /"kind":"rollback-plan","id":"rollback-plan","name":"[^"]*","sha256":"([0-9a-f]+)"/,
      )?.[1];
    expect(hashOf(pack)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(other)).not.toBe(hashOf(pack));
    expect(result.gates).toMatchObject({ requireRollbackPlan: true, maxDrillAgeDays: 90 });
  });

  it('reads back what it wrote, and skips fields of the wrong kind', () => {
    expect(readRollbackPlan(withRollbackPlan({}, COMPLETE_ROLLBACK))).toEqual(COMPLETE_ROLLBACK);
    expect(readRollbackPlan({})).toBeNull();
    expect(readRollbackPlan({ rollbackPlan: { present: 'yes' } })).toBeNull();
    expect(
      readRollbackPlan({
        rollbackPlan: {
          present: true,
          decidedBy: 7,
          paperForms: 'true',
          lastDrill: '2026-02-30',
          location: 'Binder',
        },
      }),
    ).toEqual({ present: true, location: 'Binder' });
  });

  it.each<{ description: string; plan: unknown; refusedAt?: string }>([
    { description: 'a complete plan travels through export and import', plan: COMPLETE_ROLLBACK },
    { description: 'a plan marked absent travels too', plan: { present: false } },
    {
      description: 'a drill day not written YYYY-MM-DD is refused',
      plan: { present: true, lastDrill: '2/11/2026' },
      refusedAt: '/project/meta/settings/rollbackPlan/lastDrill',
    },
    {
      description: 'a plan without its mark is refused',
      plan: { decidedBy: 'Clinical lead' },
      refusedAt: '/project/meta/settings/rollbackPlan/present',
    },
    {
      description: 'an unknown field is refused',
      plan: { present: true, attachment: 'plan.pdf' },
      refusedAt: '/project/meta/settings/rollbackPlan/attachment',
    },
  ])('$description', ({ plan, refusedAt }) => {
    const p = goProject();
    const file = JSON.parse(
      JSON.stringify(
        createProjectFile(
          { ...p, meta: { ...p.meta, settings: { ...p.meta.settings, rollbackPlan: plan } } },
          { now: '2026-11-24T00:00:00Z', appVersion: '0.1.0' },
        ),
      ),
    );
    const loaded = loadProjectFile(file);
    if (refusedAt === undefined) {
      expect(loaded.ok).toBe(true);
      if (loaded.ok) expect(readRollbackPlan(loaded.value.project.meta.settings)).toEqual(plan);
    } else {
      expect(loaded.ok).toBe(false);
      if (!loaded.ok) expect(loaded.problems.map((x) => x.path)).toContain(refusedAt);
    }
  });
});

describe('the downtime procedures safety item, pre-filled from the plan', () => {
  /** `withPlan` with no person's status on the downtime procedures item, so the evidence decides it. */
  const unanswered = (plan: RollbackPlan | null, gates?: ReadinessGatesInput): Project => {
    const p = withPlan(plan, gates);
    const answers = FULL_SAFETY.answers.filter((a) => a.item !== 'downtime-procedures');
    return {
      ...p,
      meta: { ...p.meta, settings: { ...p.meta.settings, [PROJECT_SAFETY_ASSESSMENT_KEY]: { answers } } },
    };
  };
  const downtime = (p: Project) => assessReadiness(p).safety.find((i) => i.id === 'downtime-procedures');

  it.each<{
    description: string;
    plan: RollbackPlan | null;
    gates?: ReadinessGatesInput;
    status: 'full' | 'partial' | 'none' | 'unassessed';
    lines: string[];
  }>([
    { description: 'not recorded: nothing pre-filled', plan: null, status: 'unassessed', lines: [] },
    {
      description: 'marked absent: not in place',
      plan: { present: false },
      status: 'none',
      lines: [
        'The rollback/downtime plan is marked absent: no downtime procedure is written down or practised.',
      ],
    },
    {
      description: 'every procedure ready, drilled 29 days before go-live: fully in place',
      plan: COMPLETE_ROLLBACK,
      status: 'full',
      lines: [
        'The rollback/downtime plan has paper forms ready, read-only access to the old system and downtime reports printed; the last downtime drill was 29 days before go-live (the gate is 90 days).',
      ],
    },
    {
      description: 'the drill exactly at the gate: fully in place',
      plan: COMPLETE_ROLLBACK,
      gates: { maxDrillAgeDays: 29 },
      status: 'full',
      lines: [
        'The rollback/downtime plan has paper forms ready, read-only access to the old system and downtime reports printed; the last downtime drill was 29 days before go-live (the gate is 29 days).',
      ],
    },
    {
      description: 'the drill one day out of the gate: partially, naming the drill',
      plan: COMPLETE_ROLLBACK,
      gates: { maxDrillAgeDays: 28 },
      status: 'partial',
      lines: [
        'The rollback/downtime plan is present but lacks a downtime drill at most 28 days before go-live (the last was 29 days before).',
        'Ready: paper forms ready, read-only access to the old system and downtime reports printed.',
      ],
    },
    {
      description: 'paper forms not ready: partially, naming them',
      plan: { ...COMPLETE_ROLLBACK, paperForms: false },
      status: 'partial',
      lines: [
        'The rollback/downtime plan is present but lacks paper forms ready.',
        'Ready: read-only access to the old system and downtime reports printed.',
      ],
    },
    {
      description: 'no procedure ready and no drill: partially, naming all four',
      plan: { present: true, goLiveDate: '2026-12-01' },
      status: 'partial',
      lines: [
        'The rollback/downtime plan is present but lacks paper forms ready, read-only access to the old system, downtime reports printed and a downtime drill at most 90 days before go-live (none recorded).',
      ],
    },
    {
      description: 'the drill after go-live: partially',
      plan: { ...COMPLETE_ROLLBACK, lastDrill: '2026-12-03' },
      status: 'partial',
      lines: [
        'The rollback/downtime plan is present but lacks a downtime drill at most 90 days before go-live (the last, 2026-12-03, is after go-live on 2026-12-01).',
        'Ready: paper forms ready, read-only access to the old system and downtime reports printed.',
      ],
    },
    {
      description: 'no go-live day to judge the drill against: partially',
      plan: { ...COMPLETE_ROLLBACK, goLiveDate: undefined },
      status: 'partial',
      lines: [
        'The rollback/downtime plan is present but lacks the planned go-live day, to judge the last downtime drill against.',
        'Ready: paper forms ready, read-only access to the old system and downtime reports printed.',
      ],
    },
    {
      description: 'who decides and the triggers missing do not touch the downtime procedures',
      plan: { ...COMPLETE_ROLLBACK, decidedBy: undefined, triggers: undefined },
      status: 'full',
      lines: [
        'The rollback/downtime plan has paper forms ready, read-only access to the old system and downtime reports printed; the last downtime drill was 29 days before go-live (the gate is 90 days).',
      ],
    },
  ])('$description', ({ plan, gates, status, lines }) => {
    const found = downtime(unanswered(plan, gates));
    expect(found?.status).toBe(status);
    expect(found?.evidence.lines).toEqual(lines);
    expect(found?.overridden).toBe(false);
  });

  it('pre-filled partially, it is a risk under the default gate and names that it came from the evidence', () => {
    const reasons = assessReadiness(unanswered({ ...COMPLETE_ROLLBACK, paperForms: false }));
    expect(reasons.risks.map((r) => r.text)).toContain(
      'Safety self-assessment: Downtime procedures (Contingency Planning) is partially implemented (no owner named). Pre-filled from the project’s evidence.',
    );
  });

  it('a person’s status still wins over the plan, recorded as an override with who and why', () => {
    const p = unanswered({ present: false });
    const project: Project = {
      ...p,
      meta: {
        ...p.meta,
        settings: withSafetyAnswer(p.meta.settings, {
          item: 'downtime-procedures',
          status: 'partial',
          by: 'Rae Lindqvist',
          at: '2026-11-24T10:00:00+01:00',
          reason: 'Paper forms are printed; the written plan follows on Friday.',
        }),
      },
    };
    expect(downtime(project)).toMatchObject({
      status: 'partial',
      overridden: true,
      evidence: { status: 'none' },
      answer: { by: 'Rae Lindqvist', reason: 'Paper forms are printed; the written plan follows on Friday.' },
    });
  });
});
