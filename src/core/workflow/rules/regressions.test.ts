/**
 * Regressions found in review of the finding rules: each case failed before its fix. Workflows
 * are built from the format fixtures (testing/builders.ts); content is invented.
 */
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { ruleFindingsOf } from '../rootCauses.ts';
import { linear, startEnd, step, workflow } from './testing/builders.ts';

const [START, END] = startEnd();

const findingsOf = (rule: string, ...args: Parameters<typeof analyzeWorkflow>) =>
  ruleFindingsOf(analyzeWorkflow(...args).findings).filter((f) => f.rule === rule);

describe('role-overload message', () => {
  it('states the peak and the go-live figure each for its own period', () => {
    // peak ρ = 6/h × 9 min / 60 = 0.9; go-live at 70 % speed: 0.9 / 0.7 ≈ 1.29
    const workflow = linear([step('room', { lane: 'nurse', touchMin: 9 })], {
      goLive: { capacityFactor: 1, productivityFactor: 0.7 },
    });
    const [finding] = findingsOf('role-overload', workflow);
    expect(finding?.evidence).toMatchObject({ peakUtilisation: 0.9, goLiveUtilisation: 1.2857 });
    expect(finding?.message).toContain('90 % of the time at peak');
    expect(finding?.message).toContain('129 % in go-live week');
    expect(finding?.message).not.toContain('129 % of the time at peak');
  });
});

describe('digitized-paper-step: what counts as a paper step', () => {
  const pair = (label: string, medium: 'digital' | 'paper') => {
    const baseline = linear([
      step('old', { label, kind: 'approval', lane: 'doc', medium, system: 'Old EHR', waitMin: 30 }),
    ]);
    const future = linear(
      [step('new', { label, kind: 'approval', lane: 'doc', waitMin: 30, replaces: ['old'] })],
      { state: 'future' },
    );
    return findingsOf('digitized-paper-step', future, { baseline });
  };
  it.each([
    ['Physician signs the note', 'digital'],
    ['Co-sign the order', 'digital'],
    ['Review the signal on the monitor', 'digital'],
    ['Sign in at the kiosk', 'digital'],
    ['Assign the task', 'paper'],
  ] as const)('an electronic or unrelated label (%s, %s) is not a paper signature', (label, medium) => {
    expect(pair(label, medium).map((f) => f.stepIds)).toEqual(medium === 'paper' ? [['new']] : []);
  });
  it.each([
    'Print the referral and sign it',
    'Wet-sign the consent',
    'Stamp the requisition',
    'Fax the form',
    'Scan the signed form',
  ])('a digital step whose label names paper work (%s) still counts', (label) => {
    expect(pair(label, 'digital').map((f) => f.stepIds)).toEqual([['new']]);
  });
});

describe('delegable-task: which lanes are physicians', () => {
  const withLane = (id: string, name: string) =>
    linear([step('reg', { lane: id, enters: ['demographics.address', 'insurance.member_id'] })], {
      lanes: [{ id, name, staff: 0 }],
    });
  it.each([
    ['patient-app', 'Patient app'],
    ['app', 'Patient (mobile app)'],
    ['kiosk', 'Check-in kiosk (to do list)'],
    ['pa-team', 'Pa team'],
  ])('the lane %s “%s” is not a physician lane', (id, name) => {
    expect(findingsOf('delegable-task', withLane(id, name))).toEqual([]);
  });
  it.each([
    ['doc', 'Physician'],
    ['app', 'APP'],
    ['np', 'Nurse practitioner'],
    ['clin', 'PA'],
    ['md', 'Attending MD'],
    ['aprn', 'Clinic staff APRN'],
  ])('the lane %s “%s” is a physician or advanced-practice lane', (id, name) => {
    expect(findingsOf('delegable-task', withLane(id, name)).map((f) => f.stepIds)).toEqual([['reg']]);
  });
});

describe('messages cite their sources as the sources say', () => {
  // each source is quoted only for what it measured
  const AMA = '93 % of physicians report';
  it.each([
    ['a payer’s prior authorization', 'Request prior authorization', 'Front desk', true],
    ['an approval by the insurer’s role', 'Review request', 'Insurer', true],
    ['a manager’s internal sign-off', 'Approve discount', 'Practice manager', false],
    ['a billing lead co-approving', 'Co-approve', 'Billing', false],
  ] as const)(
    'serial-approval: the AMA prior-authorization survey is cited for %s: %s',
    (_, label, lane, cites) => {
      const workflow = linear([
        step('a', { kind: 'approval', label }),
        step('b', { kind: 'approval', label: 'Second sign-off' }),
      ]);
      workflow.lanes = workflow.lanes.map((l) => (l.id === 'desk' ? { ...l, name: lane } : l));
      const [finding] = findingsOf('serial-approval', workflow);
      expect(finding).toBeDefined();
      if (cites) expect(finding?.message).toContain(AMA);
      else expect(finding?.message).not.toContain('AMA');
    },
  );
  it.each([
    ['vital signs', ['vitals.bp', 'vitals.pulse'], true],
    ['allergies', ['allergies', 'medications'], false],
    ['an insurance number', ['insurance.id'], false],
  ] as const)(
    'manual-transcription: the vital-sign error rates are cited only for vital signs (%s)',
    (_, items, vitals) => {
      const workflow = linear([
        step('paper', { medium: 'paper', system: 'Paper chart', enters: [...items] }),
        step('ehr', { enters: [...items] }),
      ]);
      workflow.flows = workflow.flows.map((f) => (f.from === 'paper' ? { ...f, transfer: 'manual' } : f));
      const [finding] = findingsOf('manual-transcription', workflow);
      expect(finding).toBeDefined();
      if (vitals)
        expect(finding?.message).toMatch(/vital signs re-keyed by hand had 4–19 %.*Smith et al\. 2009/i);
      else {
        expect(finding?.message).not.toMatch(/vital signs|Smith|Fieler/i);
        expect(finding?.message).toContain('SAFER Guide');
      }
    },
  );
});

describe('golive-capacity remedy', () => {
  it('a lane slow only from long tasks, under a plan that already cuts enough, is told to add staff, not to cut', () => {
    // 1 case/h, 42 min at 70 % speed = 60 min each: ρ 1.0 at full bookings, cut needed 15 %;
    // the plan books 50 %: ρ 0.5, but one person with hour-long tasks still keeps cases ~60 min
    const workflow = linear([step('consult', { lane: 'nurse', touchMin: 42 })], {
      arrivalsPerHour: 1,
      goLive: { capacityFactor: 0.5, productivityFactor: 0.7 },
    });
    const [finding] = findingsOf('golive-capacity', workflow);
    expect(finding?.evidence).toMatchObject({ scheduleReduction: 0.15, plannedReduction: 0.5 });
    expect(finding?.message).toContain('add staff');
    expect(finding?.message).not.toContain('Booking 15 % fewer');
  });
});

describe('no-op-decision: a branch that waits or works is not a click-away', () => {
  const withBranch = (props: Parameters<typeof step>[1]) =>
    workflow({
      steps: [
        START,
        step('ask', { kind: 'decision', lane: 'nurse', clicks: 2 }),
        step('via', { lane: 'nurse', ...props }),
        step('next', { lane: 'nurse', enters: ['vitals.bp'] }),
        END,
      ],
      flows: ['start>ask', 'ask>via:0.2', 'ask>next:0.8', 'via>next', 'next>end'],
    });
  it.each([
    ['a 30-minute hold for a call-back', { kind: 'wait' as const, touchMin: 0, waitMin: 30 }],
    ['ten minutes of chart review', { touchMin: 10 }],
  ])('%s on one branch is a real difference', (_, props) => {
    expect(findingsOf('no-op-decision', withBranch(props))).toEqual([]);
  });
  it('a one-click dismissal still is one', () => {
    expect(
      findingsOf('no-op-decision', withBranch({ touchMin: 0.1, clicks: 2 })).map((f) => f.stepIds),
    ).toEqual([['ask', 'via']]);
  });
});

describe('every number a message states is in its evidence', () => {
  it('click-burden: how many times a day the step runs', () => {
    const workflow = linear([step('checkout', { clicks: 64 })], { casesPerDay: 70 });
    // the step's finding (the role's, over its daily budget, is the other one)
    const finding = findingsOf('click-burden', workflow).find((f) => 'budgetPerStep' in f.evidence);
    expect(finding?.message).toContain('(70 times a day)');
    expect(finding?.evidence).toMatchObject({ timesPerDay: 70, clicksPerDay: 4480 });
  });
  it('manual-transcription: both ends of the 4–19 % range', () => {
    const workflow = linear([step('paper', { medium: 'paper', system: 'Paper chart' }), step('ehr', {})]);
    workflow.flows = workflow.flows.map((f) => (f.from === 'paper' ? { ...f, transfer: 'manual' } : f));
    const [finding] = findingsOf('manual-transcription', workflow);
    expect(finding?.evidence).toMatchObject({ errorRateManualLow: 0.044, errorRateManual: 0.1875 });
  });
});

describe('findings do not depend on summation order (pinned from analyze.property.test.ts, seed -1132676748)', () => {
  const pinned: Workflow = {
    format: 'preflight.workflow/v1',
    id: 'w',
    name: 'random',
    state: 'current',
    arrivalsPerHour: 0.5,
    lanes: [{ id: 'lane0', name: 'Front desk', staff: 0 }],
    steps: [
      {
        id: 's0',
        label: 'Check in',
        lane: 'lane0',
        kind: 'start',
        medium: 'paper',
        system: 'EHR',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
      },
      {
        id: 's1',
        label: 'Check in',
        lane: 'lane0',
        kind: 'task',
        medium: 'paper',
        system: 'EHR',
        touchMin: 0,
        waitMin: 0,
        clicks: 21,
        enters: [],
      },
      {
        id: 's2',
        label: 'Check in',
        lane: 'lane0',
        kind: 'start',
        medium: 'paper',
        system: 'EHR',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
      },
      {
        id: 's3',
        label: 'Check in',
        lane: 'lane0',
        kind: 'approval',
        medium: 'paper',
        system: 'EHR',
        touchMin: 1,
        waitMin: 0,
        clicks: 0,
        enters: [],
      },
    ],
    flows: [
      { from: 's2', to: 's1', probability: 0, transfer: 'none' },
      { from: 's2', to: 's3', probability: 0, transfer: 'none' },
      { from: 's2', to: 's2', probability: 0, transfer: 'none' },
      { from: 's0', to: 's1', probability: 0, transfer: 'none' },
      { from: 's1', to: 's2', transfer: 'none' },
      { from: 's2', to: 's0', probability: 0, transfer: 'none' },
      { from: 's0', to: 's3', transfer: 'none' },
    ],
  };

  it('a share of 0.00275 reads the same whatever the order of steps and flows (0.0028), and "1 time a day"', () => {
    const reversed: Workflow = {
      ...pinned,
      steps: [...pinned.steps].reverse(),
      flows: [...pinned.flows].reverse(),
    };
    const a = analyzeWorkflow(pinned).findings;
    const b = analyzeWorkflow(reversed).findings;
    expect(b).toEqual(a);
    const clicks = a.find((f) => f.rule === 'click-burden' && f.stepIds.includes('s1'));
    expect(clicks?.evidence.shareOfRoleBudget).toBe(0.0028);
    expect(clicks?.message).toContain('(1 time a day)');
  });
});
