import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import { DEFAULT_READINESS_GATES, type ReadinessGates } from '../../formats/readinessGates.ts';
import { withRoleOwners } from '../../formats/roleOwners.ts';
import { withSafetyAnswer } from '../../formats/steering.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import { readTrainingRecord, withTrainingRecord } from '../../formats/trainingRecord.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { createProject } from '../project/changes.ts';
import { REVIEWED_MEANING } from '../signoff/signing/index.ts';
import {
  assessReadiness,
  PHASE_IDS,
  type PhaseId,
  type PhaseStatus,
  type ReadinessResult,
  SUPPORT_NOT_RECORDED,
} from './index.ts';
import {
  current,
  goProject,
  openDisagreement,
  planned,
  report,
  secondPassMissing,
  signedReview,
} from './testing/crafted.ts';

const statuses = (result: ReadinessResult) =>
  Object.fromEntries(result.phases.map((p) => [p.id, p.status])) as Record<PhaseId, PhaseStatus>;

const GO_STATUSES: Record<PhaseId, PhaseStatus> = {
  discovery: 'ready',
  configuration: 'ready',
  training: 'ready',
  'pre-launch': 'ready',
  'go-live': 'at-risk',
};

describe('assessReadiness', () => {
  it('the crafted project is a go, with go-live at risk for the support it does not record', () => {
    const result = assessReadiness(goProject());
    expect(statuses(result)).toEqual(GO_STATUSES);
    expect(result.decision).toBe('go');
    expect(result.reasons).toEqual([]);
    expect(result.risks.map((r) => r.text)).toEqual([SUPPORT_NOT_RECORDED]);
    expect(result.gates).toEqual(DEFAULT_READINESS_GATES);
  });

  const withPlanned = (p: Project, change: (w: Workflow) => Workflow): Project => ({
    ...p,
    workflows: p.workflows.map((w) => (w.id === planned.id ? change(w) : w)),
  });

  const withOwners = (p: Project, roles: Parameters<typeof withRoleOwners>[1]['roles']): Project => ({
    ...p,
    meta: { ...p.meta, settings: withRoleOwners(p.meta.settings, { roles }) },
  });

  it.each<{
    name: string;
    phase: PhaseId;
    status: PhaseStatus;
    craft: (p: Project) => Project;
    gates?: Partial<ReadinessGates>;
    reason: RegExp;
    /** a line the phase's evidence must hold */
    evidence?: RegExp;
  }>([
    {
      name: 'a current workflow drawn, not measured',
      phase: 'discovery',
      status: 'at-risk',
      craft: (p) => ({
        ...p,
        workflows: p.workflows.map((w) =>
          w.id === current.id ? { ...w, steps: w.steps.map(({ observed: _o, ...s }) => s) } : w,
        ),
      }),
      reason: /^“Check-in today” is drawn, not measured/,
    },
    {
      name: 'a planned role nobody does today',
      phase: 'discovery',
      status: 'at-risk',
      craft: (p) =>
        withPlanned(p, (w) => ({
          ...w,
          lanes: [...w.lanes, { id: 'kiosk', name: 'Kiosk attendant', staff: 0 }],
        })),
      reason: /^Kiosk attendant has work in “Check-in planned” but no part in today's “Check-in today”/,
    },
    {
      name: 'no owner recorded for any role',
      phase: 'discovery',
      status: 'at-risk',
      craft: (p) => withOwners(p, []),
      reason:
        /^No owner is named for Front desk: record who speaks for the role's work and who was asked about it\.$/,
    },
    {
      name: 'stakeholders asked but no owner named',
      phase: 'discovery',
      status: 'at-risk',
      craft: (p) => withOwners(p, [{ role: 'Front desk', stakeholders: ['Kim Ode'] }]),
      reason: /^No owner is named for Front desk:/,
    },
    {
      name: 'a role only the planned workflow has, without an owner',
      phase: 'discovery',
      status: 'at-risk',
      craft: (p) =>
        withPlanned(p, (w) => ({
          ...w,
          lanes: [...w.lanes, { id: 'kiosk', name: 'Kiosk attendant', staff: 0 }],
        })),
      reason: /^No owner is named for Kiosk attendant: record who speaks for the role's work/,
    },
    {
      name: 'the owner recorded for a role no lane bears (a lane renamed by hand)',
      phase: 'discovery',
      status: 'at-risk',
      craft: (p) => withOwners(p, [{ role: 'Reception', owner: 'Ana Ruiz' }]),
      reason: /^No owner is named for Front desk:/,
    },
    {
      name: 'an open problem (a rule raised to error in the analysis settings)',
      phase: 'configuration',
      status: 'blocked',
      craft: (p) => ({
        ...p,
        // the same click count today and planned: nothing new to learn, but too many clicks
        workflows: p.workflows.map((w) => ({
          ...w,
          steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, clicks: 60 } : s)),
        })),
        meta: {
          ...p.meta,
          settings: { ...p.meta.settings, workflowAnalysis: { severities: { 'click-burden': 'error' } } },
        },
      }),
      reason: /^“Check-in planned” has 1 problem open \(Too many clicks\); the gate is no open problem\.$/,
    },
    {
      name: 'a role whose work changes (system changed)',
      phase: 'training',
      status: 'at-risk',
      craft: (p) =>
        withPlanned(p, (w) => ({
          ...w,
          steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, system: 'Kiosk' } : s)),
        })),
      reason:
        /^Training delivery and super-users are not recorded in Preflight: confirm that Front desk was trained/,
    },
    {
      name: 'an extract under the valid-records gate',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => ({ ...p, reports: [report(950)] }),
      reason: /^patients\.csv: only 95 % of records are valid \(50 invalid\); the gate is 99 %\./,
    },
    {
      name: 'an extract never checked',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => ({ ...p, reports: [] }),
      reason: /^patients\.csv has not been checked/,
    },
    {
      name: 'the latest report counts, not the best one',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => ({ ...p, reports: [report(1000), report(989, 1000, '2026-11-22T10:00:00Z')] }),
      reason: /^patients\.csv: only 98\.9 % of records are valid \(11 invalid\); the gate is 99 %\./,
    },
    {
      name: 'a stratum that fails the review',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => {
        const { plan, review } = signedReview(['accept', 'reject', 'accept'], REVIEWED_MEANING);
        return { ...p, samplePlans: [plan], reviews: [review] };
      },
      reason: /^Sample plan “.*”: stratum .* fails the clinicians' review\.$/,
    },
    {
      name: 'an open disagreement of two reviewers, counted at its worst until adjudicated',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => {
        const { plan, review } = openDisagreement();
        return { ...p, samplePlans: [plan], reviews: [review] };
      },
      reason:
        /^Sample plan “Patients sign-off”: 1 record waiting for an adjudicator, counted at its worst in the verdict until decided\.$/,
    },
    {
      name: 'a record decided by its first reviewer only, not counted as reviewed',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => {
        const { plan, review } = secondPassMissing();
        return { ...p, samplePlans: [plan], reviews: [review] };
      },
      reason:
        /^Sample plan “Patients sign-off”: 1 record awaits the second reviewer, not counted as reviewed until both have decided it\.$/,
      evidence:
        /^Sample plan “Patients sign-off”: drawn [^,]+, \d+ of \d+ records reviewed \(1 record awaits the second reviewer, not counted\), /,
    },
    {
      name: 'a passing sample nobody approved for go-live',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => ({ ...p, reviews: (p.reviews ?? []).map((r) => ({ ...r, signatures: [] })) }),
      reason: /no signature approves go-live on the results as they are/,
    },
    {
      name: 'an approval, then a decision recorded after it',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => {
        const { plan, review } = signedReview(['accept', 'accept', 'accept']);
        const later = fixtureDecision('d9', 'MRN-1', 'accept');
        return {
          ...p,
          samplePlans: [plan],
          reviews: [
            { ...review, decisions: [...review.decisions, { ...later, planHash: review.plan.hash }] },
          ],
        };
      },
      reason:
        /^Sample plan “Patients sign-off”: decisions were recorded after the latest signature, so no signature approves go-live on the results as they are\. Sign again/,
    },
    {
      name: 'a sample plan with no sample drawn',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => ({ ...p, reviews: [] }),
      reason: /no sample drawn/,
    },
    {
      name: 'the peak hour over a stricter gate',
      phase: 'pre-launch',
      status: 'blocked',
      craft: (p) => p,
      gates: { maxPeakUtilisation: 0.05 },
      reason: /^“Check-in planned” in the peak hour: Front desk 10 % busy; the gate is 5 %\./,
    },
    {
      name: 'go-live week over a stricter gate',
      phase: 'go-live',
      status: 'blocked',
      craft: (p) => p,
      gates: { maxGoLiveUtilisation: 0.05 },
      reason:
        /^“Check-in planned” in go-live week: Front desk 11\.5 % busy; the gate is 5 %\. Book at least 65 % fewer patients than usual \(planned: 20 % fewer\)/,
    },
  ])('$phase flips to $status on its own: $name', ({ phase, status, craft, gates, reason, evidence }) => {
    const project = craft(goProject());
    const result = assessReadiness(project, gates ? { gates: { ...DEFAULT_READINESS_GATES, ...gates } } : {});
    expect(statuses(result)).toEqual({ ...GO_STATUSES, [phase]: status });
    // every other phase is exactly as in the go project: status and reasons
    const base = assessReadiness(goProject());
    const others = (r: ReadinessResult) =>
      r.phases.filter((p) => p.id !== phase).map((p) => ({ id: p.id, status: p.status, reasons: p.reasons }));
    expect(others(result)).toEqual(others(base));
    const texts = result.phases.find((p) => p.id === phase)?.reasons.map((r) => r.text) ?? [];
    expect(
      texts.some((t) => reason.test(t)),
      texts.join('\n'),
    ).toBe(true);
    if (evidence) {
      const lines = result.phases.find((p) => p.id === phase)?.evidence ?? [];
      expect(
        lines.some((l) => evidence.test(l)),
        lines.join('\n'),
      ).toBe(true);
    }
    expect(result.decision).toBe(status === 'blocked' ? 'no-go' : 'go');
    if (status === 'blocked') expect(result.reasons.every((r) => r.phase === phase)).toBe(true);
  });

  it.each<{ name: string; roles: Parameters<typeof withRoleOwners>[1]['roles']; evidence: string[] }>([
    {
      name: 'the owner and stakeholders of the one role',
      roles: [{ role: 'Front desk', owner: 'Ana Ruiz', stakeholders: ['Kim Ode', 'Lee Park'] }],
      evidence: [
        '1 of 1 role in the workflows has a named owner; 1 has stakeholders recorded.',
        'Front desk: owner Ana Ruiz; stakeholders Kim Ode and Lee Park.',
      ],
    },
    {
      name: 'a role named in other letters and spacing still has its owner',
      roles: [{ role: ' front  DESK', owner: 'Ana Ruiz' }],
      evidence: [
        '1 of 1 role in the workflows has a named owner; 0 have stakeholders recorded.',
        'Front desk: owner Ana Ruiz; no stakeholders recorded.',
      ],
    },
  ])('discovery is ready once every role has an owner: $name', ({ roles, evidence }) => {
    const result = assessReadiness(withOwners(goProject(), roles));
    const phase = result.phases.find((p) => p.id === 'discovery');
    expect(phase?.status).toBe('ready');
    expect(phase?.reasons).toEqual([]);
    expect(phase?.evidence.slice(1)).toEqual(evidence);
  });

  it('the gates saved in the project are the gates in effect, and are recorded in the result', () => {
    const project = goProject();
    const gated = {
      ...project,
      meta: {
        ...project.meta,
        settings: { ...project.meta.settings, readinessGates: { minValidShare: 0.5 } },
      },
      reports: [report(600)],
    };
    const result = assessReadiness(gated);
    expect(result.gates).toEqual({ ...DEFAULT_READINESS_GATES, minValidShare: 0.5 });
    expect(result.decision).toBe('go');
    expect(assessReadiness({ ...gated, meta: project.meta }).decision).toBe('no-go');
  });

  it('a sign-off failure is a risk, not a block, when the clinic does not require sign-off', () => {
    const project = { ...goProject(), reviews: [] };
    const result = assessReadiness(project, { gates: { ...DEFAULT_READINESS_GATES, requireSignoff: false } });
    expect(statuses(result)['pre-launch']).toBe('at-risk');
    expect(result.decision).toBe('go');
    expect(result.risks.some((r) => r.phase === 'pre-launch' && /no sample drawn/.test(r.text))).toBe(true);
  });

  it('an empty project is no-go: every phase not started, never a pass by absence', () => {
    const result = assessReadiness(createProject({ id: 'e', name: 'Empty', now: '2026-11-24T00:00:00Z' }));
    expect(new Set(result.phases.map((p) => p.status))).toEqual(new Set(['not-started']));
    expect(result.decision).toBe('no-go');
    expect(result.reasons.map((r) => r.phase)).toEqual([
      'discovery',
      'configuration',
      'training',
      'pre-launch',
      ...Array(9).fill('go-live'),
    ]);
    expect(result.reasons[0]?.text).toMatch(/^Not started: no current workflow measured\./);
    // nothing assessed and no evidence: every practice of every SAFER guide is "not assessed", and that blocks
    expect(result.reasons[5]?.text).toMatch(
      /^Safety self-assessment, High Priority Practices: Live system cannot be confused, .* are not assessed yet/,
    );
    expect(result.safetyGuides.map((g) => g.state)).toEqual(Array(8).fill('below'));
  });

  it.each<{ name: string; craft: (p: Project) => Project; reasons: string[] }>([
    {
      name: 'no extract in a project with workflows and sign-off',
      craft: (p) => ({ ...p, datasets: [], reports: [] }),
      reasons: [
        'No extract is in the project: add the legacy extracts and check them on the Migration screen.',
      ],
    },
    {
      name: 'no sample plan',
      craft: (p) => ({ ...p, samplePlans: [], reviews: [] }),
      reasons: [
        'No sample plan is in the project: no clinician has signed off migrated records. Plan one on the Sign-off screen.',
      ],
    },
    {
      name: 'an extract under the gate and an unsigned sample',
      craft: (p) => ({
        ...p,
        reports: [report(900)],
        reviews: (p.reviews ?? []).map((r) => ({ ...r, signatures: [] })),
      }),
      reasons: [
        'patients.csv: only 90 % of records are valid (100 invalid); the gate is 99 %. Fix the extract or the mapping and check it again on the Migration screen.',
        'Sample plan “Patients sign-off”: no signature approves go-live on the results as they are. Sign it on the Sign-off screen.',
      ],
    },
  ])('overall no-go names every blocking reason: $name', ({ craft, reasons }) => {
    const result = assessReadiness(craft(goProject()));
    expect(result.decision).toBe('no-go');
    expect(result.reasons.map((r) => r.text)).toEqual(reasons);
    expect(result.reasons.every((r) => r.blocks && r.gate !== undefined)).toBe(true);
  });

  it('each reason names where to act', () => {
    const result = assessReadiness({ ...goProject(), reports: [report(900)], reviews: [] });
    expect(result.reasons.map((r) => [r.phase, r.act, r.gate])).toEqual([
      ['pre-launch', 'migration', 'minValidShare'],
      ['pre-launch', 'signoff', 'requireSignoff'],
    ]);
  });

  it('is deterministic and leaves the project unchanged', () => {
    const project = goProject();
    const before = JSON.stringify(project);
    expect(assessReadiness(project)).toEqual(assessReadiness(project));
    expect(JSON.stringify(project)).toBe(before);
  });
});

describe('accepted issues (waivers) in the migration gate', () => {
  const waived = (expires: string): Project => {
    const project = goProject();
    const under = report(900);
    return {
      ...project,
      meta: {
        ...project.meta,
        settings: {
          ...project.meta.settings,
          waivers: [
            {
              id: 'w1',
              rule: 'contract.required',
              column: 'birth_date',
              rationale: 'walk-ins have no birth date in the old system',
              owner: 'Dana Whitfield',
              expires,
            },
          ],
        },
      },
      reports: [
        {
          ...under,
          issues: [
            {
              rule: 'contract.required',
              severity: 'error',
              location: 'birth_date',
              count: 100,
              examples: [],
            },
          ],
        },
      ],
    };
  };

  it('counts accepted problems as accepted and says so in the evidence', () => {
    const result = assessReadiness(waived('2026-12-31'), { today: '2026-11-24' });
    const phase = result.phases.find((p) => p.id === 'pre-launch');
    expect(phase?.status).toBe(
      assessReadiness(goProject()).phases.find((p) => p.id === 'pre-launch')?.status,
    );
    expect(phase?.evidence[0]).toBe(
      'patients.csv: 100 % valid (1,000 of 1,000 records), checked 2026-11-20. 100 problems accepted by waivers count as accepted, not as failing.',
    );
  });

  it('an expired waiver no longer lifts the gate', () => {
    const result = assessReadiness(waived('2026-11-23'), { today: '2026-11-24' });
    expect(result.reasons.some((r) => /patients\.csv: only 90 % of records are valid/.test(r.text))).toBe(
      true,
    );
    // without a day, the waivers are judged on the day of the check
    expect(assessReadiness(waived('2026-11-23')).reasons.some((r) => /patients\.csv/.test(r.text))).toBe(
      false,
    );
  });
});

describe('the last rehearsal compared with the run before it', () => {
  const issue = (rule: string, location: string, count: number) => ({
    rule,
    severity: 'error' as const,
    location,
    count,
    examples: [],
  });
  const run = (at: string, issues: ReturnType<typeof issue>[]) => ({ ...report(995, 1000, at), issues });
  const FIRST = '2026-11-20T10:00:00Z';
  const LAST = '2026-11-22T10:00:00Z';

  it.each<{
    name: string;
    runs: ReturnType<typeof run>[];
    status: PhaseStatus;
    evidence: string | null;
    risk: string | null;
  }>([
    {
      name: 'a first run: nothing to compare with',
      runs: [run(FIRST, [issue('contract.required', 'birth_date', 3)])],
      status: 'ready',
      evidence: null,
      risk: null,
    },
    {
      name: 'one problem fixed, one still failing: better, ready',
      runs: [
        run(FIRST, [issue('contract.required', 'birth_date', 3), issue('contract.pattern', 'phone', 2)]),
        run(LAST, [issue('contract.required', 'birth_date', 3)]),
      ],
      status: 'ready',
      evidence:
        'Last rehearsal of patients.csv, checked 2026-11-22, against the run of 2026-11-20: 1 fixed, 0 new, 1 still failing, 0 worse.',
      risk: null,
    },
    {
      name: 'a problem that occurs more often than before: worse, at risk',
      runs: [
        run(FIRST, [issue('contract.required', 'birth_date', 3)]),
        run(LAST, [issue('contract.required', 'birth_date', 5)]),
      ],
      status: 'at-risk',
      evidence:
        'Last rehearsal of patients.csv, checked 2026-11-22, against the run of 2026-11-20: 0 fixed, 0 new, 0 still failing, 1 worse.',
      risk: 'patients.csv: the last rehearsal (checked 2026-11-22) got worse than the run of 2026-11-20: 1 problem more frequent. See what changed in its comparison on the Migration screen.',
    },
    {
      name: 'a new problem beside a fixed one: worse, at risk',
      runs: [
        run(FIRST, [issue('contract.required', 'birth_date', 3)]),
        run(LAST, [issue('contract.pattern', 'phone', 1), issue('contract.enum', 'sex', 2)]),
      ],
      status: 'at-risk',
      evidence:
        'Last rehearsal of patients.csv, checked 2026-11-22, against the run of 2026-11-20: 1 fixed, 2 new, 0 still failing, 0 worse.',
      risk: 'patients.csv: the last rehearsal (checked 2026-11-22) got worse than the run of 2026-11-20: 2 new problems. See what changed in its comparison on the Migration screen.',
    },
    {
      name: 'only the last run is compared: a worse run before it no longer counts',
      runs: [
        run(FIRST, []),
        run('2026-11-21T10:00:00Z', [issue('contract.required', 'birth_date', 4)]),
        run(LAST, [issue('contract.required', 'birth_date', 4)]),
      ],
      status: 'ready',
      evidence:
        'Last rehearsal of patients.csv, checked 2026-11-22, against the run of 2026-11-21: 0 fixed, 0 new, 1 still failing, 0 worse.',
      risk: null,
    },
  ])('$name', ({ runs, status, evidence, risk }) => {
    const result = assessReadiness({ ...goProject(), reports: runs });
    const phase = result.phases.find((p) => p.id === 'pre-launch');
    expect(phase?.status).toBe(status);
    const lines = phase?.evidence.filter((l) => l.startsWith('Last rehearsal')) ?? [];
    expect(lines).toEqual(evidence === null ? [] : [evidence]);
    expect(phase?.reasons.map((r) => [r.text, r.blocks, r.act])).toEqual(
      risk === null ? [] : [[risk, false, 'migration']],
    );
    expect(result.decision).toBe('go');
  });
});

describe('every phase through every status it can take', () => {
  /**
   * The statuses each phase can take. Discovery never blocks: each of its checks (drawn rather
   * than measured, roles not asked, roles without an owner) is a risk, and only the absence of
   * any current workflow stops a go, as "not started".
   */
  const REACHABLE: Record<PhaseId, PhaseStatus[]> = {
    discovery: ['not-started', 'at-risk', 'ready'],
    configuration: ['not-started', 'at-risk', 'blocked', 'ready'],
    training: ['not-started', 'at-risk', 'blocked', 'ready'],
    'pre-launch': ['not-started', 'at-risk', 'blocked', 'ready'],
    'go-live': ['not-started', 'at-risk', 'blocked', 'ready'],
  };

  const settings = (p: Project, change: (s: Project['meta']['settings']) => Project['meta']['settings']) => ({
    ...p,
    meta: { ...p.meta, settings: change(p.meta.settings) },
  });
  const withoutPlanned = (p: Project): Project => ({
    ...p,
    workflows: p.workflows.filter((w) => w.id !== planned.id),
  });
  const clicks = (p: Project, n: number, severity?: 'warn' | 'error'): Project =>
    settings(
      {
        ...p,
        // the same click count today and planned: nothing new to learn, only too many clicks
        workflows: p.workflows.map((w) => ({
          ...w,
          steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, clicks: n } : s)),
        })),
      },
      (s) => ({ ...s, workflowAnalysis: { severities: { 'click-burden': severity ?? 'warn' } } }),
    );
  const kioskSystem = (p: Project): Project =>
    ({
      ...p,
      workflows: p.workflows.map((w) =>
        w.id === planned.id
          ? { ...w, steps: w.steps.map((s) => (s.id === 'check-in' ? { ...s, system: 'Kiosk' } : s)) }
          : w,
      ),
    }) as Project;
  const trained = (p: Project, role: Parameters<typeof withTrainingRecord>[1]['roles'][number]) =>
    settings(p, (s) => withTrainingRecord(s, { ...readTrainingRecord(s), roles: [role] }));
  const supported = (p: Project, supporters = 2) =>
    settings(p, (s) =>
      withTrainingRecord(s, {
        ...readTrainingRecord(s),
        support: [{ area: 'Front desk', shift: 'Monday morning', supporters }],
      }),
    );
  const safety = (p: Project, status: 'full' | 'partial' | 'none') =>
    settings(p, (s) =>
      withSafetyAnswer(s, {
        item: 'backup-recovery',
        owner: 'IT lead',
        status,
        by: 'Rae Lindqvist',
        at: '2026-11-24T09:00:00Z',
      }),
    );
  const worse = (p: Project): Project => ({
    ...p,
    reports: [
      { ...report(995, 1000, '2026-11-20T10:00:00Z'), issues: [] },
      {
        ...report(995, 1000, '2026-11-22T10:00:00Z'),
        issues: [
          { rule: 'contract.required', severity: 'error', location: 'birth_date', count: 5, examples: [] },
        ],
      },
    ],
  });
  const FRONT_DESK_TRAINED = { role: 'Front desk', staff: 4, trained: 4, superUsers: ['Kim Ode'] };

  const rows: {
    name: string;
    phase: PhaseId;
    from: PhaseStatus;
    to: PhaseStatus;
    /** the project before the change; the go project when absent */
    base?: (p: Project) => Project;
    /** the one evidence change that flips the phase */
    cause: (p: Project) => Project;
    /** other phases the same change necessarily moves, with their status after it */
    also?: Partial<Record<PhaseId, PhaseStatus>>;
    reason: RegExp | null;
  }[] = [
    {
      name: 'the current workflow removed',
      phase: 'discovery',
      from: 'ready',
      to: 'not-started',
      cause: (p) => ({ ...p, workflows: p.workflows.filter((w) => w.id !== current.id) }),
      // the planned workflow's baseline is gone with it, so no role's changes are known
      also: { training: 'not-started' },
      reason: /^Not started: no current workflow measured\./,
    },
    {
      name: 'the role owners cleared',
      phase: 'discovery',
      from: 'ready',
      to: 'at-risk',
      cause: (p) => settings(p, (s) => withRoleOwners(s, { roles: [] })),
      reason: /^No owner is named for Front desk:/,
    },
    {
      name: 'an owner named for the one role',
      phase: 'discovery',
      from: 'at-risk',
      to: 'ready',
      base: (p) => settings(p, (s) => withRoleOwners(s, { roles: [] })),
      cause: (p) =>
        settings(p, (s) => withRoleOwners(s, { roles: [{ role: 'Front desk', owner: 'Ana Ruiz' }] })),
      reason: null,
    },
    {
      name: 'the current workflow added to a project without one',
      phase: 'discovery',
      from: 'not-started',
      to: 'ready',
      base: (p) => ({ ...p, workflows: p.workflows.filter((w) => w.id !== current.id) }),
      cause: (p) => ({ ...p, workflows: [current, ...p.workflows] }),
      also: { training: 'ready' },
      reason: null,
    },
    {
      name: 'the planned workflow removed',
      phase: 'configuration',
      from: 'ready',
      to: 'not-started',
      cause: withoutPlanned,
      // training and go-live judge the planned workflow too; the peak hour needs one
      also: { training: 'not-started', 'pre-launch': 'blocked', 'go-live': 'not-started' },
      reason: /^Not started: no planned workflow to check\./,
    },
    {
      name: 'a warning below the findings gate',
      phase: 'configuration',
      from: 'ready',
      to: 'at-risk',
      cause: (p) => clicks(p, 60, 'warn'),
      reason: /^“Check-in planned” has 1 warning open \(Too many clicks\)\.$/,
    },
    {
      name: 'the same finding raised to a problem',
      phase: 'configuration',
      from: 'at-risk',
      to: 'blocked',
      base: (p) => clicks(p, 60, 'warn'),
      cause: (p) => clicks(p, 60, 'error'),
      reason: /^“Check-in planned” has 1 problem open \(Too many clicks\); the gate is no open problem\.$/,
    },
    {
      name: 'the clicks brought down, clearing the problem',
      phase: 'configuration',
      from: 'blocked',
      to: 'ready',
      base: (p) => clicks(p, 60, 'error'),
      cause: (p) => clicks(p, 2, 'error'),
      reason: null,
    },
    {
      name: 'the planned workflow unlinked from today’s',
      phase: 'training',
      from: 'ready',
      to: 'not-started',
      cause: (p) => ({
        ...p,
        // a planned workflow is linked by its baseline or, failing that, by sharing today's process
        workflows: p.workflows.map((w) =>
          w.id === planned.id ? { ...w, baseline: undefined, process: 'checkin-kiosk' } : w,
        ),
      }),
      // discovery sees the same gap: the people doing that work today were not mapped
      also: { discovery: 'at-risk' },
      reason: /^Not started: no planned workflow is compared with today's/,
    },
    {
      name: 'a role whose work changes, with no training recorded',
      phase: 'training',
      from: 'ready',
      to: 'at-risk',
      cause: kioskSystem,
      reason: /^Training delivery and super-users are not recorded in Preflight/,
    },
    {
      name: 'training recorded with half the role trained',
      phase: 'training',
      from: 'at-risk',
      to: 'blocked',
      base: kioskSystem,
      cause: (p) => trained(p, { ...FRONT_DESK_TRAINED, trained: 2 }),
      reason: /^Front desk: only 50 % of staff trained \(2 still to train\); the gate is/,
    },
    {
      name: 'the rest of the role trained',
      phase: 'training',
      from: 'blocked',
      to: 'ready',
      base: (p) => trained(kioskSystem(p), { ...FRONT_DESK_TRAINED, trained: 2 }),
      cause: (p) => trained(p, FRONT_DESK_TRAINED),
      reason: null,
    },
    {
      name: 'the extracts and sample plans removed where no workflow is planned',
      phase: 'pre-launch',
      from: 'blocked',
      to: 'not-started',
      base: withoutPlanned,
      cause: (p) => ({ ...p, datasets: [], reports: [], samplePlans: [], reviews: [] }),
      reason: /^Not started: no extract checked, no clinician sign-off and no peak-hour estimate\./,
    },
    {
      name: 'a rehearsal worse than the run before it',
      phase: 'pre-launch',
      from: 'ready',
      to: 'at-risk',
      cause: worse,
      reason: /^patients\.csv: the last rehearsal \(checked 2026-11-22\) got worse/,
    },
    {
      name: 'an extract checked under the valid-records gate',
      phase: 'pre-launch',
      from: 'ready',
      to: 'blocked',
      cause: (p) => ({ ...p, reports: [report(950)] }),
      reason: /^patients\.csv: only 95 % of records are valid \(50 invalid\); the gate is 99 %\./,
    },
    {
      name: 'the extract checked again, all valid',
      phase: 'pre-launch',
      from: 'blocked',
      to: 'ready',
      base: (p) => ({ ...p, reports: [report(950)] }),
      cause: (p) => ({ ...p, reports: [...p.reports, report(1000, 1000, '2026-11-22T10:00:00Z')] }),
      reason: null,
    },
    {
      name: 'the planned workflow removed from a supported go-live',
      phase: 'go-live',
      from: 'ready',
      to: 'not-started',
      base: supported,
      cause: withoutPlanned,
      also: { configuration: 'not-started', training: 'not-started', 'pre-launch': 'blocked' },
      reason: /^Not started: no planned workflow, so go-live week cannot be estimated\./,
    },
    {
      name: 'support recorded for every shift',
      phase: 'go-live',
      from: 'at-risk',
      to: 'ready',
      cause: supported,
      reason: null,
    },
    {
      name: 'a safety practice answered partially implemented',
      phase: 'go-live',
      from: 'ready',
      to: 'at-risk',
      base: supported,
      cause: (p) => safety(p, 'partial'),
      reason:
        /^Safety self-assessment: Backup and recovery \(Contingency Planning\) is partially implemented \(owner: IT lead\)\.$/,
    },
    {
      name: 'a safety practice answered not implemented',
      phase: 'go-live',
      from: 'ready',
      to: 'blocked',
      base: supported,
      cause: (p) => safety(p, 'none'),
      reason:
        /^Safety self-assessment: Backup and recovery \(Contingency Planning\) is not implemented \(owner: IT lead\)\.$/,
    },
    {
      name: 'the safety practice fully implemented again',
      phase: 'go-live',
      from: 'blocked',
      to: 'ready',
      base: (p) => safety(supported(p), 'none'),
      cause: (p) => safety(p, 'full'),
      reason: null,
    },
    {
      name: 'a shift without a supporter',
      phase: 'go-live',
      from: 'ready',
      to: 'blocked',
      base: supported,
      cause: (p) => supported(p, 0),
      reason: /^Front desk, Monday morning: 0 supporters at the elbow; the gate is 1\./,
    },
  ];

  it('the table shows every phase taking every status it can', () => {
    const reached = Object.fromEntries(
      PHASE_IDS.map((id) => [id, [...new Set(rows.filter((r) => r.phase === id).map((r) => r.to))].sort()]),
    );
    const expected = Object.fromEntries(PHASE_IDS.map((id) => [id, [...REACHABLE[id]].sort()]));
    expect(reached).toEqual(expected);
  });

  it.each(rows)('$phase: $from → $to on $name', ({ phase, from, to, base, cause, also, reason }) => {
    const before = (base ?? ((p: Project) => p))(goProject());
    const after = cause(before);
    const was = statuses(assessReadiness(before));
    const now = statuses(assessReadiness(after));
    // without its cause the row fails: the phase is not yet in its new status
    expect(to).not.toBe(from);
    expect(was[phase]).toBe(from);
    expect(now).toEqual({ ...was, ...also, [phase]: to });
    const reasons = assessReadiness(after).phases.find((p) => p.id === phase)?.reasons ?? [];
    if (reason === null) expect(reasons).toEqual([]);
    else
      expect(
        reasons.some((r) => reason.test(r.text)),
        reasons.map((r) => r.text).join('\n'),
      ).toBe(true);
  });
});
