import { describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import type { ReadinessGatesInput } from '../../formats/readinessGates.ts';
import {
  PROJECT_ROLLBACK_PLAN_KEY,
  type RollbackPlan,
  readRollbackPlan,
  withRollbackPlan,
} from '../../formats/rollbackPlan.ts';
import { assessReadiness, evidencePack, ROLLBACK_NOT_RECORDED } from './index.ts';
import { COMPLETE_ROLLBACK, goProject } from './testing/crafted.ts';

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
