import { describe, expect, it } from 'vitest';
import {
  type CommandCentre,
  type CutoverStep,
  readCutoverRunbook,
  withCommandCentre,
  withCutoverRunbook,
} from '../../formats/cutover.ts';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import { assessReadiness, COMMAND_CENTRE_NOT_RECORDED, RUNBOOK_NOT_RECORDED } from './index.ts';
import { COMMAND_CENTRE, COMPLETE_RUNBOOK, goProject, signedReview } from './testing/crafted.ts';

const withRunbook = (p: Project, steps: CutoverStep[]): Project => ({
  ...p,
  meta: { ...p.meta, settings: withCutoverRunbook(p.meta.settings, { steps }) },
});
const withCentre = (p: Project, centre: CommandCentre): Project => ({
  ...p,
  meta: { ...p.meta, settings: withCommandCentre(p.meta.settings, centre) },
});
const without = (p: Project, ...keys: string[]): Project => ({
  ...p,
  meta: {
    ...p.meta,
    settings: Object.fromEntries(Object.entries(p.meta.settings).filter(([k]) => !keys.includes(k))),
  },
});
const goLiveRisks = (p: Project) =>
  assessReadiness(p)
    .risks.filter((r) => r.phase === 'go-live')
    .map((r) => r.text)
    .filter((t) => t.startsWith('Cutover') || t.startsWith('Command') || t.startsWith('No c'));
const steps = COMPLETE_RUNBOOK.steps;
const step = (id: string) => steps.find((s) => s.id === id) as CutoverStep;

describe('the cutover runbook and the command centre', () => {
  it('complete and owned: no risk, named with their state, and the go stays a go', () => {
    const result = assessReadiness(goProject());
    expect(result.decision).toBe('go');
    expect(goLiveRisks(goProject())).toEqual([]);
    expect(result.cutover.runbook?.state).toBe('planned');
    expect(result.cutover.commandCentre?.state).toBe('ready');
    expect(result.phases.find((p) => p.id === 'go-live')?.evidence).toContain(
      'Cutover runbook: planned, not started — 5 steps (5 planned); next: “Freeze the old system” at 2026-11-27 18:00 (Ana Ruiz).',
    );
  });

  it('not recorded: each is a risk, never a pass by absence', () => {
    const project = without(goProject(), 'cutoverRunbook', 'commandCentre');
    expect(goLiveRisks(project)).toEqual([RUNBOOK_NOT_RECORDED, COMMAND_CENTRE_NOT_RECORDED]);
    expect(assessReadiness(project).cutover).toEqual({ runbook: null, commandCentre: null });
  });

  it.each<{ name: string; steps: CutoverStep[]; risk: string }>([
    {
      name: 'an essential step missing',
      steps: steps
        .filter((s) => s.kind !== 'delta-load' && s.kind !== 'checkpoint')
        .map((s) => (s.id === 'reconcile' ? { ...s, after: ['extract'] } : s)),
      risk: 'Cutover runbook: no step for the delta load and go/no-go checkpoint. Add them with an owner and a time.',
    },
    {
      name: 'a step without owner or time',
      steps: steps.map((s) =>
        s.id === 'delta' ? { id: s.id, kind: s.kind, title: s.title, status: s.status } : s,
      ),
      risk: 'Cutover runbook: “Delta load” has no owner and no planned time.',
    },
    {
      name: 'a step waiting for one not in the runbook, and one planned before what it waits for',
      steps: steps.map((s) =>
        s.id === 'extract'
          ? { ...s, after: ['freeze', 'backup'] }
          : s.id === 'reconcile'
            ? { ...s, plannedAt: '2026-11-28T07:00' }
            : s,
      ),
      risk: 'Cutover runbook: “Final extract” has waits for a step that is not in the runbook (backup); “Reconciliation sign-off” has planned before “Delta load”, which it waits for.',
    },
    {
      name: 'two steps waiting for each other',
      steps: steps.map((s) => (s.id === 'freeze' ? { ...s, after: ['extract'] } : s)),
      risk: 'Cutover runbook: “Freeze the old system” has planned before “Final extract”, which it waits for and waits for itself through other steps; “Final extract” has waits for itself through other steps.',
    },
    {
      name: 'a blocked step',
      steps: steps.map((s) =>
        s.id === 'extract' ? { ...s, status: 'blocked', note: 'vendor script fails' } : s,
      ),
      risk: 'Cutover runbook: “Final extract” is blocked (owner: Data lead): vendor script fails.',
    },
  ])('$name is a risk that says what and where', ({ steps: written, risk }) => {
    expect(goLiveRisks(withRunbook(goProject(), written))).toEqual([risk]);
  });

  it('a reconciliation marked done while the sign-off fails is a risk linked to the Pre-launch reasons', () => {
    const { plan, review } = signedReview(['accept', 'accept', 'reject']);
    const failing = { ...goProject(), samplePlans: [plan], reviews: [review] };
    const done = steps.map((s) => (s.id === 'reconcile' ? { ...s, status: 'done' as const } : s));
    const result = assessReadiness(withRunbook(failing, done));
    const runbook = result.cutover.runbook;
    expect(runbook?.reconciliation[0]).toMatch(
      /^The migration runs and the clinicians’ sign-off hold \d+ open reasons? on the Pre-launch phase:$/,
    );
    expect(runbook?.reconciliation.slice(1)).toEqual(
      result.phases
        .find((p) => p.id === 'pre-launch')
        ?.reasons.filter((r) => r.blocks && r.act === 'signoff')
        .map((r) => r.text),
    );
    expect(goLiveRisks(withRunbook(failing, done))).toEqual([
      expect.stringMatching(
        /^Cutover runbook: “Reconciliation sign-off” is marked done, but the migration runs and the clinicians’ sign-off hold \d+ open reasons? on the Pre-launch phase\. Reconcile them, or reopen the step\.$/,
      ),
    ]);
    // the same step done on evidence that passes: no risk
    expect(goLiveRisks(withRunbook(goProject(), done))).toEqual([]);
  });

  it.each<{ name: string; steps: CutoverStep[]; state: string }>([
    {
      name: 'one step done',
      steps: [{ ...step('freeze'), status: 'done' }, ...steps.slice(1)],
      state: 'under-way',
    },
    {
      name: 'every step done or skipped',
      steps: steps.map((s, i) => ({ ...s, status: i === 0 ? 'skipped' : 'done' })),
      state: 'done',
    },
  ])('its state: $name → $state', ({ steps: written, state }) => {
    expect(assessReadiness(withRunbook(goProject(), written)).cutover.runbook?.state).toBe(state);
  });

  it('a command centre without hours or a person for a role says what is still to record', () => {
    const centre = {
      ...COMMAND_CENTRE,
      hours: undefined,
      escalation: [...COMMAND_CENTRE.escalation, { role: 'Vendor', people: [] }],
    };
    const project = withCentre(goProject(), centre as CommandCentre);
    expect(goLiveRisks(project)).toEqual([
      'Command centre: still to record its hours and a person for Vendor.',
    ]);
  });
});

describe('the runbook and the command centre in the project file', () => {
  const file = (p: Project) =>
    JSON.parse(JSON.stringify(createProjectFile(p, { now: '2026-11-24T10:00:00Z', appVersion: '0.1.0' })));

  it('travel through export and import', () => {
    const loaded = loadProjectFile(file(goProject()));
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(readCutoverRunbook(loaded.value.project.meta.settings)).toEqual(COMPLETE_RUNBOOK);
  });

  it.each([
    {
      name: 'a kind of step it does not know',
      change: { kind: 'party' },
      path: /\/cutoverRunbook\/steps\/0\/kind$/,
    },
    {
      name: 'a time with a zone',
      change: { plannedAt: '2026-11-27T18:00Z' },
      path: /\/cutoverRunbook\/steps\/0\/plannedAt$/,
    },
  ])('refuses $name at its path', ({ change, path }) => {
    const json = file(goProject());
    Object.assign(json.project.meta.settings.cutoverRunbook.steps[0], change);
    const loaded = loadProjectFile(json);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.some((p) => path.test(p.path))).toBe(true);
  });
});
