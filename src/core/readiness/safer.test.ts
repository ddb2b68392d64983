import { describe, expect, it } from 'vitest';
import { createProjectFile, loadProjectFile, type Project } from '../../formats/project.ts';
import { SAFER_GUIDE_IDS, type SafetyAnswer, withSafetyAnswer } from '../../formats/steering.ts';
import { withTrainingRecord } from '../../formats/trainingRecord.ts';
import { assessReadiness, describeGates, SAFER_GUIDES, SAFETY_ITEMS } from './index.ts';
import { FULL_SAFETY, goProject, planned, signedReview } from './testing/crafted.ts';

const at = '2026-11-24T09:00:00Z';
const withSettings = (p: Project, settings: Record<string, unknown>): Project => ({
  ...p,
  meta: { ...p.meta, settings: { ...p.meta.settings, ...settings } },
});
const answered = (p: Project, answer: SafetyAnswer): Project => ({
  ...p,
  meta: { ...p.meta, settings: withSafetyAnswer(p.meta.settings, answer) },
});
const without = (p: Project, id: string) =>
  withSettings(p, { safetyAssessment: { answers: FULL_SAFETY.answers.filter((a) => a.item !== id) } });
/** The go project with the front desk checking patients in at a kiosk: its work changes. */
const kiosk = (p: Project): Project => ({
  ...p,
  workflows: p.workflows.map((w) =>
    w.id === planned.id
      ? { ...w, steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, system: 'Kiosk' } : s)) }
      : w,
  ),
});
const practice = (p: Project, id: string) => assessReadiness(p).safety.find((i) => i.id === id);
const guide = (p: Project, id: string) => assessReadiness(p).safetyGuides.find((g) => g.id === id);

describe('the 2025 SAFER guides', () => {
  it('has the eight guides, each with a handful of practices, every practice id once', () => {
    expect(SAFER_GUIDES.map((g) => g.id)).toEqual([...SAFER_GUIDE_IDS]);
    expect(SAFER_GUIDES.map((g) => g.title)).toEqual([
      'High Priority Practices',
      'Organizational Responsibilities',
      'Contingency Planning',
      'System Management',
      'Patient Identification',
      'Computerized Provider Order Entry with Decision Support',
      'Test Results Reporting and Follow-Up',
      'Clinician Communication',
    ]);
    for (const g of SAFER_GUIDES) expect(g.practices.length).toBeGreaterThanOrEqual(3);
    expect(new Set(SAFETY_ITEMS.map((i) => i.id)).size).toBe(SAFETY_ITEMS.length);
  });

  it('judges each guide against its own gate, the others against the one for every practice', () => {
    const partly = answered(goProject(), {
      item: 'backup-recovery',
      status: 'partial',
      by: 'Rae Lindqvist',
      at,
    });
    expect(guide(partly, 'contingency-planning')?.state).toBe('met');
    const strict = withSettings(partly, {
      readinessGates: { safetyGuides: { 'contingency-planning': 'full' } },
    });
    const result = assessReadiness(strict);
    expect(result.decision).toBe('no-go');
    expect(result.safetyGuides.find((g) => g.id === 'contingency-planning')).toMatchObject({
      gate: 'full',
      state: 'below',
      counts: { full: 2, partial: 1 },
    });
    expect(result.safetyGuides.filter((g) => g.state === 'met')).toHaveLength(7);
    expect(describeGates(result.gates)).toContain('SAFER Contingency Planning fully implemented');

    const none = answered(goProject(), { item: 'order-sets', status: 'none', by: 'Rae Lindqvist', at });
    expect(assessReadiness(none).decision).toBe('no-go');
    const off = withSettings(none, { readinessGates: { safetyGuides: { 'cpoe-decision-support': 'off' } } });
    expect(assessReadiness(off).decision).toBe('go');
    expect(guide(off, 'cpoe-decision-support')?.state).toBe('off');
  });

  it('a practice that does not apply is left out of its guide’s gate', () => {
    const na = answered(without(goProject(), 'ai-oversight'), {
      item: 'ai-oversight',
      status: 'na',
      by: 'Rae Lindqvist',
      at,
      note: 'No AI-enabled feature is switched on.',
    });
    expect(guide(na, 'organizational-responsibilities')).toMatchObject({ state: 'met', counts: { na: 1 } });
    expect(assessReadiness(na).decision).toBe('go');
    const strict = withSettings(na, { readinessGates: { safetyItemsAtLeast: 'full' } });
    expect(assessReadiness(strict).decision).toBe('go');
  });

  it('an unknown guide or a wrong gate in the project is a gate problem, and the rest apply', () => {
    const project = withSettings(goProject(), {
      readinessGates: { safetyGuides: { 'system-interfaces': 'full', 'test-results': 'yes' } },
    });
    const result = assessReadiness(project);
    expect(result.gateProblems.map((p) => p.path)).toEqual([
      '/meta/settings/readinessGates/safetyGuides/system-interfaces',
      '/meta/settings/readinessGates/safetyGuides/test-results',
    ]);
    expect(result.gates.safetyGuides).toEqual({});
  });
});

describe('pre-fill from the project’s evidence, and only where it supports the rating', () => {
  it('no wrong patient in a sample that fails on other errors: not pre-filled, and it says why', () => {
    const { plan, review } = signedReview(['accept', 'accept', 'reject']);
    const failing = without(
      { ...goProject(), samplePlans: [plan], reviews: [review] },
      'migrated-records-patient',
    );
    const found = practice(failing, 'migrated-records-patient');
    expect(found?.status).toBe('unassessed');
    expect(found?.evidence.status).toBeUndefined();
    expect(found?.evidence.lines).toEqual([
      expect.stringMatching(
        /^No wrong patient in 3 migrated records clinicians reviewed in 1 sign-off sample, but this is not pre-filled: “.+” fails the clinicians' review \(1 record in error\)\. A sample that fails on other errors/,
      ),
    ]);
  });

  it('no wrong patient in a sample that passes, fully reviewed: fully implemented', () => {
    const found = practice(without(goProject(), 'migrated-records-patient'), 'migrated-records-patient');
    expect(found?.status).toBe('full');
    expect(found?.evidence.lines[0]).toMatch(/every sample is fully reviewed and passes\.$/);
  });

  it.each([
    {
      name: 'everyone trained with a super-user',
      roles: [{ role: 'Front desk', staff: 4, trained: 4, superUsers: ['Ana Ruiz'] }],
      status: 'full',
    },
    {
      name: 'some trained, under the gate',
      roles: [{ role: 'Front desk', staff: 4, trained: 2 }],
      status: 'partial',
    },
    { name: 'nobody trained yet', roles: [{ role: 'Front desk', staff: 4, trained: 0 }], status: 'none' },
  ])('clinician training from the training record: $name → $status', ({ roles, status }) => {
    const base = without(kiosk(goProject()), 'clinician-training');
    const project = withSettings(base, withTrainingRecord(base.meta.settings, { roles, support: [] }));
    const found = practice(project, 'clinician-training');
    expect(found?.evidence.status).toBe(status);
    expect(found?.status).toBe(status);
  });

  it('no training record, or no role whose work changes: clinician training is not pre-filled', () => {
    const base = without(goProject(), 'clinician-training');
    expect(practice(kiosk(base), 'clinician-training')?.status).toBe('unassessed');
    const nobody = withTrainingRecord(base.meta.settings, {
      roles: [{ role: 'Front desk', staff: 4, trained: 0 }],
      support: [],
    });
    const found = practice(withSettings(base, nobody), 'clinician-training');
    expect(found?.status).toBe('unassessed');
    expect(found?.evidence.lines[0]).toMatch(/no role's work changes/);
  });
});

describe('a project made with the seven-item self-assessment', () => {
  it('loads, and its patient identification answer is the migrated-records practice now', () => {
    const base = goProject();
    const old: Project = withSettings(base, {
      safetyAssessment: {
        answers: [
          { item: 'downtime-procedures', owner: 'Practice manager' },
          {
            item: 'patient-identification',
            owner: 'Registration lead',
            status: 'partial',
            by: 'Rae Lindqvist',
            at,
            reason: 'Two identifiers not yet used at the lab.',
          },
          { item: 'clinician-training', owner: 'Education lead', status: 'full', by: 'Rae Lindqvist', at },
        ],
      },
    });
    const file = JSON.parse(JSON.stringify(createProjectFile(old, { now: at, appVersion: '0.1.0' })));
    const loaded = loadProjectFile(file);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const result = assessReadiness(loaded.value.project);
    const byId = new Map(result.safety.map((i) => [i.id, i]));
    expect(byId.get('migrated-records-patient')).toMatchObject({
      status: 'partial',
      guide: 'patient-identification',
      answer: { owner: 'Registration lead', reason: 'Two identifiers not yet used at the lab.' },
      overridden: true,
    });
    expect(byId.get('downtime-procedures')?.answer?.owner).toBe('Practice manager');
    expect(byId.get('clinician-training')).toMatchObject({
      status: 'full',
      guide: 'organizational-responsibilities',
    });
    expect(result.safety.some((i) => i.id === 'patient-identification')).toBe(false);
    // the practices the old list did not have are not assessed: they block, never pass by absence
    expect(
      result.reasons.some((r) => r.text.startsWith('Safety self-assessment, High Priority Practices:')),
    ).toBe(true);
  });
});
