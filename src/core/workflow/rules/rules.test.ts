/**
 * Per rule, a table of positive and negative cases, run through the public
 * `analyzeWorkflow`: a rule that fires on a negative case is as wrong as one that misses a
 * positive one. Each case lists exactly the findings of its rule it expects (step ids and
 * severity); negative cases expect none. Workflows are built from the format fixtures
 * (testing/builders.ts).
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisSettingsInput } from '../../../formats/analysisSettings.ts';
import type { StepKind, Workflow } from '../../../formats/workflow.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { ruleFindingsOf } from '../rootCauses.ts';
import { WORKFLOW_RULES } from './index.ts';
import { chain, flows, linear, startEnd, step, type WorkflowSpec, workflow } from './testing/builders.ts';
import type { FindingSeverity } from './types.ts';

interface Expected {
  stepIds: string[];
  severity: FindingSeverity;
  evidence?: Record<string, unknown>;
}

interface Case {
  description: string;
  workflow: Workflow;
  baseline?: Workflow;
  settings?: AnalysisSettingsInput;
  expected: Expected[];
}

type Table = Record<string, { positive: Case[]; negative: Case[] }>;

const [START, END] = startEnd();

/** A current workflow start > …steps > end, id `current`. */
const current = (...steps: Parameters<typeof step>[]) => linear(steps.map((args) => step(...args)));
/** A future workflow start > …steps > end replacing `current`. */
const future = (steps: Parameters<typeof step>[], extra: Partial<Parameters<typeof workflow>[0]> = {}) =>
  linear(
    steps.map((args) => step(...args)),
    { state: 'future', ...extra },
  );

const gateway = (id: string, kind: StepKind) => step(id, { kind, touchMin: 0, label: id });
/** start > split > (x, y) > join > end: a block of two branches. */
const block = (split: StepKind, join: StepKind, extra: Partial<WorkflowSpec> = {}) =>
  workflow({
    steps: [START, gateway('p', split), step('x'), step('y', { lane: 'nurse' }), gateway('j', join), END],
    flows: ['start>p', 'p>x', 'p>y', 'x>j', 'y>j', 'j>end'],
    ...extra,
  });

const paperApproval = current([
  'approve',
  { kind: 'approval', medium: 'paper', system: 'Paper form', waitMin: 25 },
]);

/** Measured waits (minutes) of 10 cases, as discovery keeps them. */
const waited = (meanMin: number, medianMin: number, p90Min: number) => ({
  n: 10,
  meanMin,
  medianMin,
  p90Min,
});
/** start > prep (nurse) > sign (physician) > end, with the wait before sign split by cause (hours per case). */
const measuredSignOff = (
  hours: Partial<
    Record<'batching' | 'prioritization' | 'contention' | 'unavailability' | 'extraneous', number>
  >,
) => {
  const all = { batching: 0, prioritization: 0, contention: 0, unavailability: 0, extraneous: 0, ...hours };
  const waitingHours = Object.values(all).reduce((a, b) => a + b, 0);
  return current(
    ['prep', { lane: 'nurse' }],
    [
      'sign',
      {
        lane: 'doc',
        kind: 'approval',
        observed: {
          n: 20,
          cases: 20,
          waitCauses: {
            cases: 20,
            waitingHours,
            hours: all,
            ...(all.batching > 0
              ? {
                  batches: {
                    count: 4,
                    minSize: 3,
                    maxSize: 6,
                    meanSize: 5,
                    firstReleases: ['2026-01-05T16:00:00.000Z'],
                  },
                }
              : {}),
            calendars: [{ resource: 'Dr A', spans: [{ day: 'Mon', from: 13, to: 16 }], hoursPerWeek: 3 }],
          },
        },
      },
    ],
  );
};
/** A workflow discovered from a log of `cases` cases. */
const logged = (
  cases: number,
  w: Workflow,
  pingPong?: NonNullable<Workflow['observed']>['pingPong'],
): Workflow => ({
  ...w,
  observed: { cases, ...(pingPong ? { pingPong } : {}) },
});
/** start > review (nurse) > order (physician) > sign (desk) > end, discovered from 20 cases. */
const bouncing = (pingPong: Array<{ lanes: string[]; cases: number; handoffs: number }>) =>
  logged(
    20,
    current(['review', { lane: 'nurse' }], ['order', { lane: 'doc' }], ['sign', { lane: 'desk' }]),
    pingPong.map((p) => ({ ...p, lanes: p.lanes as [string, string] })),
  );

const table: Table = {
  'digitized-paper-step': {
    positive: [
      {
        description:
          'a paper approval rebuilt as an e-form approval keeping 22 of 25 min, on the critical path (raised)',
        baseline: paperApproval,
        workflow: future([['eform', { kind: 'approval', waitMin: 22, replaces: ['approve'] }]]),
        expected: [
          { stepIds: ['eform'], severity: 'error', evidence: { keptShare: 0.88, onCriticalPath: true } },
        ],
      },
      {
        description: 'the same off the critical path (a rare branch) stays a warning',
        baseline: paperApproval,
        workflow: workflow({
          state: 'future',
          steps: [
            START,
            step('d', { kind: 'decision' }),
            step('eform', { kind: 'approval', waitMin: 22, replaces: ['approve'] }),
            step('slow', { waitMin: 100 }),
            END,
          ],
          flows: ['start>d', 'd>eform:0.1', 'd>slow:0.9', 'eform>end', 'slow>end'],
        }),
        expected: [{ stepIds: ['eform'], severity: 'warn' }],
      },
      {
        description: 'a faxed task rebuilt as a portal task keeping 40 of 60 min',
        baseline: current(['fax', { medium: 'fax', system: 'Fax machine', waitMin: 60 }]),
        workflow: future([['portal', { waitMin: 40, replaces: ['fax'] }]]),
        expected: [{ stepIds: ['portal'], severity: 'error' }],
      },
      {
        description: 'a current step that is paper by its label ("Print and sign") though marked digital',
        baseline: current(['print', { label: 'Print and sign the form', waitMin: 30 }]),
        workflow: future([['esign', { waitMin: 30, replaces: ['print'] }]]),
        expected: [{ stepIds: ['esign'], severity: 'error' }],
      },
      {
        description: 'exactly half the wait kept counts as "most" (≥ 50 %)',
        baseline: paperApproval,
        workflow: future([['eform', { kind: 'approval', waitMin: 12.5, replaces: ['approve'] }]]),
        expected: [{ stepIds: ['eform'], severity: 'error', evidence: { keptShare: 0.5 } }],
      },
    ],
    negative: [
      {
        description: 'the approval becomes a task (kind changed)',
        baseline: paperApproval,
        workflow: future([['rule', { waitMin: 22, replaces: ['approve'] }]]),
        expected: [],
      },
      {
        description: 'most of the wait removed (10 of 25 min)',
        baseline: paperApproval,
        workflow: future([['eform', { kind: 'approval', waitMin: 10, replaces: ['approve'] }]]),
        expected: [],
      },
      {
        description: 'the replaced step was a phone call, not paper',
        baseline: current(['call', { kind: 'approval', medium: 'phone', waitMin: 25 }]),
        workflow: future([['eform', { kind: 'approval', waitMin: 22, replaces: ['call'] }]]),
        expected: [],
      },
      {
        description: 'the future step is still on paper (not digitized)',
        baseline: paperApproval,
        workflow: future([
          ['paper2', { kind: 'approval', medium: 'paper', waitMin: 22, replaces: ['approve'] }],
        ]),
        expected: [],
      },
      {
        description: 'a replaced wait under the 5-minute floor',
        baseline: current(['approve', { kind: 'approval', medium: 'paper', waitMin: 4 }]),
        workflow: future([['eform', { kind: 'approval', waitMin: 4, replaces: ['approve'] }]]),
        expected: [],
      },
      {
        description: 'a future step replacing nothing',
        baseline: paperApproval,
        workflow: future([['eform', { kind: 'approval', waitMin: 22 }]], { retired: ['approve'] }),
        expected: [],
      },
    ],
  },

  'carried-over-wait': {
    positive: [
      {
        description: 'keeps 22 of 25 min (88 %)',
        baseline: paperApproval,
        workflow: future([['eform', { kind: 'approval', waitMin: 22, replaces: ['approve'] }]]),
        expected: [
          { stepIds: ['eform'], severity: 'warn', evidence: { replacedWaitMin: 25, futureWaitMin: 22 } },
        ],
      },
      {
        description: 'exactly 70 % kept',
        baseline: paperApproval,
        workflow: future([['eform', { waitMin: 17.5, replaces: ['approve'] }]]),
        expected: [{ stepIds: ['eform'], severity: 'warn' }],
      },
      {
        description: 'two replaced steps (10 + 20 min), 25 min kept',
        baseline: current(['a', { waitMin: 10 }], ['b', { waitMin: 20 }]),
        workflow: future([['ab', { waitMin: 25, replaces: ['a', 'b'] }]]),
        expected: [{ stepIds: ['ab'], severity: 'warn', evidence: { replacedWaitMin: 30 } }],
      },
      {
        description: 'any medium: a phone wait carried into a portal message',
        baseline: current(['call', { medium: 'phone', waitMin: 60 }]),
        workflow: future([['message', { waitMin: 60, replaces: ['call'] }]]),
        expected: [{ stepIds: ['message'], severity: 'warn' }],
      },
    ],
    negative: [
      {
        description: '60 % kept (under 70 %)',
        baseline: paperApproval,
        workflow: future([['eform', { waitMin: 15, replaces: ['approve'] }]]),
        expected: [],
      },
      {
        description: 'a replaced wait under the floor (4 of 4 min)',
        baseline: current(['a', { waitMin: 4 }]),
        workflow: future([['b', { waitMin: 4, replaces: ['a'] }]]),
        expected: [],
      },
      {
        description: 'no replaces',
        baseline: paperApproval,
        workflow: future([['eform', { waitMin: 25 }]]),
        expected: [],
      },
      {
        description: 'replaces naming no baseline step',
        baseline: paperApproval,
        workflow: future([['eform', { waitMin: 25, replaces: ['elsewhere'] }]]),
        expected: [],
      },
    ],
  },

  'duplicate-entry': {
    positive: [
      {
        description: 'allergies entered by the patient and again by the nurse',
        workflow: current(
          ['portal', { lane: 'patient', system: 'Portal', enters: ['allergies'] }],
          ['rooming', { lane: 'nurse', enters: ['allergies'] }],
        ),
        expected: [{ stepIds: ['portal', 'rooming'], severity: 'warn', evidence: { items: ['allergies'] } }],
      },
      {
        description: 'the same role types it twice (raised)',
        workflow: current(
          ['write', { lane: 'nurse', enters: ['vitals.bp'] }],
          ['type', { lane: 'nurse', enters: ['vitals.bp'] }],
        ),
        expected: [{ stepIds: ['write', 'type'], severity: 'error', evidence: { sameRole: true } }],
      },
      {
        description: 'three steps and two shared items give one finding',
        workflow: current(
          ['a', { enters: ['dob', 'phone'] }],
          ['b', { lane: 'nurse', enters: ['dob', 'phone'] }],
          ['c', { lane: 'doc', enters: ['dob', 'phone'] }],
        ),
        expected: [
          {
            stepIds: ['a', 'b', 'c'],
            severity: 'warn',
            evidence: { items: ['dob', 'phone'], entriesPerCase: 3 },
          },
        ],
      },
      {
        description: 'a shared item on a branch taken half the time still makes 1.5 entries per case',
        workflow: workflow({
          steps: [
            START,
            step('a', { enters: ['dob'] }),
            step('d', { kind: 'decision' }),
            step('b', { lane: 'nurse', enters: ['dob'] }),
            END,
          ],
          flows: ['start>a', 'a>d', 'd>b:0.5', 'd>end:0.5', 'b>end'],
        }),
        expected: [{ stepIds: ['a', 'b'], severity: 'warn', evidence: { entriesPerCase: 1.5 } }],
      },
    ],
    negative: [
      {
        description: 'two exclusive branches each enter the item once',
        workflow: workflow({
          steps: [
            START,
            step('d', { kind: 'decision' }),
            step('x', { enters: ['dob'] }),
            step('y', { lane: 'nurse', enters: ['dob'] }),
            END,
          ],
          flows: ['start>d', 'd>x:0.5', 'd>y:0.5', 'x>end', 'y>end'],
        }),
        expected: [],
      },
      {
        description: 'different items',
        workflow: current(['a', { enters: ['dob'] }], ['b', { enters: ['phone'] }]),
        expected: [],
      },
      {
        description: 'one step entering the item once',
        workflow: current(['a', { enters: ['dob', 'phone'] }]),
        expected: [],
      },
      {
        description: 'a second entry in a step no case reaches',
        workflow: workflow({
          steps: [START, step('a', { enters: ['dob'] }), step('orphan', { enters: ['dob'] }), END],
          flows: ['start>a', 'a>end', 'orphan>end'],
        }),
        expected: [],
      },
    ],
  },

  'manual-transcription': {
    positive: [
      {
        description: 'a manual flow from the paper chart into the EHR',
        workflow: workflow({
          steps: [
            START,
            step('file', { medium: 'paper', system: 'Paper chart' }),
            step('key', { system: 'EHR' }),
            END,
          ],
          flows: ['start>file', 'file>key::manual', 'key>end'],
        }),
        expected: [{ stepIds: ['file', 'key'], severity: 'warn', evidence: { manualFlow: true } }],
      },
      {
        description: 'vital signs typed in two systems (clinical: raised)',
        workflow: current(
          ['sheet', { medium: 'paper', system: 'Paper flowsheet', enters: ['vitals.bp'] }],
          ['ehr', { enters: ['vitals.bp'] }],
        ),
        expected: [
          { stepIds: ['sheet', 'ehr'], severity: 'error', evidence: { clinicalItems: ['vitals.bp'] } },
        ],
      },
      {
        description: 'a manual flow and a shared item between the same steps give one finding',
        workflow: workflow({
          steps: [
            START,
            step('sheet', { system: 'Spreadsheet', enters: ['insurance.member_id'] }),
            step('ehr', { enters: ['insurance.member_id'] }),
            END,
          ],
          flows: ['start>sheet', 'sheet>ehr::manual', 'ehr>end'],
        }),
        expected: [
          {
            stepIds: ['sheet', 'ehr'],
            severity: 'warn',
            evidence: { manualFlow: true, items: ['insurance.member_id'] },
          },
        ],
      },
      {
        description: 'an insurance number typed in the portal and in the practice-management system',
        workflow: current(
          ['portal', { lane: 'patient', system: 'Portal', enters: ['insurance.member_id'] }],
          ['pm', { system: 'PM', enters: ['insurance.member_id'] }],
        ),
        expected: [{ stepIds: ['portal', 'pm'], severity: 'warn' }],
      },
    ],
    negative: [
      {
        description: 'a manual flow inside one system',
        workflow: workflow({
          steps: [START, step('a'), step('b'), END],
          flows: ['start>a', 'a>b::manual', 'b>end'],
        }),
        expected: [],
      },
      {
        description: 'the same item twice in one system (duplicate entry, not transcription)',
        workflow: current(['a', { enters: ['dob'] }], ['b', { lane: 'nurse', enters: ['dob'] }]),
        expected: [],
      },
      {
        description: 'an electronic flow between systems (an interface)',
        workflow: workflow({
          steps: [START, step('device', { system: 'Monitor' }), step('ehr'), END],
          flows: ['start>device', 'device>ehr::electronic', 'ehr>end'],
        }),
        expected: [],
      },
      {
        description: 'a manual flow no case takes (probability 0)',
        workflow: workflow({
          steps: [START, step('d', { kind: 'decision' }), step('x', { system: 'Paper' }), step('y'), END],
          flows: ['start>d', 'd>x:0', 'd>y:1', 'x>y:1:manual', 'y>end'],
        }),
        expected: [],
      },
    ],
  },

  'serial-approval': {
    positive: [
      {
        description: 'two approvals straight after each other, in different roles',
        workflow: current(
          ['a1', { kind: 'approval', waitMin: 20 }],
          ['a2', { kind: 'approval', lane: 'doc', waitMin: 15 }],
        ),
        expected: [{ stepIds: ['a1', 'a2'], severity: 'warn' }],
      },
      {
        description: 'two approvals with a wait step between them',
        workflow: current(
          ['a1', { kind: 'approval' }],
          ['mail', { kind: 'wait', touchMin: 0, waitMin: 60 }],
          ['a2', { kind: 'approval' }],
        ),
        expected: [{ stepIds: ['a1', 'a2', 'mail'], severity: 'warn' }],
      },
      {
        description: 'three in a row are one chain',
        workflow: current(
          ['a1', { kind: 'approval' }],
          ['a2', { kind: 'approval' }],
          ['a3', { kind: 'approval', lane: 'doc' }],
        ),
        expected: [{ stepIds: ['a1', 'a2', 'a3'], severity: 'warn', evidence: { approvals: 3 } }],
      },
      {
        description: 'more than a day of waiting in the chain (raised)',
        workflow: current(
          ['a1', { kind: 'approval', waitMin: 1000 }],
          ['a2', { kind: 'approval', waitMin: 500 }],
        ),
        expected: [{ stepIds: ['a1', 'a2'], severity: 'error', evidence: { overLimit: true } }],
      },
    ],
    negative: [
      {
        description: 'a draft: two approvals drawn with no minutes or clicks yet (nothing measured)',
        workflow: linear([
          step('a', { kind: 'approval', touchMin: 0 }),
          step('b', { kind: 'approval', touchMin: 0 }),
        ]),
        expected: [],
      },
      {
        description: 'approvals separated by a task',
        workflow: current(['a1', { kind: 'approval' }], ['work', {}], ['a2', { kind: 'approval' }]),
        expected: [],
      },
      {
        description: 'a single approval',
        workflow: current(['a1', { kind: 'approval', waitMin: 2000 }]),
        expected: [],
      },
      {
        description: 'approvals on exclusive branches',
        workflow: workflow({
          steps: [
            START,
            step('d', { kind: 'decision' }),
            step('a1', { kind: 'approval' }),
            step('a2', { kind: 'approval' }),
            END,
          ],
          flows: ['start>d', 'd>a1:0.5', 'd>a2:0.5', 'a1>end', 'a2>end'],
        }),
        expected: [],
      },
    ],
  },

  'click-burden': {
    positive: [
      {
        description: 'a 60-click step 100 times a day for 2 people: the step and the role, both raised',
        workflow: linear([step('checkout', { clicks: 60 })], { casesPerDay: 100 }),
        expected: [
          // same severity and steps: the role's finding sorts first by its message
          { stepIds: ['checkout'], severity: 'error', evidence: { clicksPerPersonPerDay: 3000 } },
          { stepIds: ['checkout'], severity: 'error', evidence: { extraClicksPerPersonPerDay: 2500 } },
        ],
      },
      {
        description: 'a 20-click step: 500 extra clicks per person a day is a warning',
        workflow: linear([step('form', { clicks: 20 })], { casesPerDay: 100 }),
        expected: [{ stepIds: ['form'], severity: 'warn', evidence: { shareOfRoleBudget: 0.5 } }],
      },
      {
        description: 'a 12-click step 48 times a day: over budget but light (lowered to info)',
        workflow: linear([step('light', { clicks: 12 })]),
        expected: [{ stepIds: ['light'], severity: 'info' }],
      },
      {
        description: 'five steps at the per-step budget add up over the role budget',
        workflow: linear(
          ['s1', 's2', 's3', 's4', 's5'].map((id) => step(id, { clicks: 10 })),
          { casesPerDay: 48 },
        ),
        expected: [
          {
            stepIds: ['s1', 's2', 's3', 's4', 's5'],
            severity: 'warn',
            evidence: { clicksPerPersonPerDay: 1200 },
          },
        ],
      },
      {
        description: 'a patient self-service step (no staff) counts per case: info',
        workflow: linear([step('portal', { lane: 'patient', clicks: 40 })], { casesPerDay: 100 }),
        expected: [{ stepIds: ['portal'], severity: 'info', evidence: { extraClicksPerPersonPerDay: 30 } }],
      },
    ],
    negative: [
      {
        description: 'a step at the budget with a light role load',
        workflow: linear([step('ok', { clicks: 10 })]),
        expected: [],
      },
      {
        description: 'a click-heavy step no case reaches',
        workflow: workflow({
          steps: [START, step('orphan', { clicks: 90 }), END],
          flows: ['start>end', 'orphan>end'],
        }),
        expected: [],
      },
      {
        description: 'budgets raised in the settings',
        workflow: linear([step('checkout', { clicks: 60 })], { casesPerDay: 100 }),
        settings: { thresholds: { clickBudgetPerStep: 100, clickBudgetPerRolePerDay: 5000 } },
        expected: [],
      },
    ],
  },

  'handoff-increase': {
    positive: [
      {
        description: 'one more handoff per case (+1): warning',
        baseline: current(['a', {}]),
        workflow: workflow({
          state: 'future',
          steps: [
            START,
            step('a', { replaces: ['a'] }),
            step('b', { lane: 'nurse' }),
            step('done', { kind: 'end', lane: 'nurse', touchMin: 0 }),
          ],
          flows: ['start>a', 'a>b', 'b>done'],
        }),
        expected: [
          { stepIds: ['a'], severity: 'warn', evidence: { increase: 1, currentHandoffsPerCase: 0 } },
        ],
      },
      {
        description: 'two more handoffs per case (+2): raised',
        baseline: current(['a', {}], ['b', {}]),
        workflow: future([
          ['a', { replaces: ['a'] }],
          ['b', { lane: 'nurse', replaces: ['b'] }],
          ['c', {}],
        ]),
        expected: [{ stepIds: ['a', 'b'], severity: 'error', evidence: { increase: 2 } }],
      },
      {
        description: '+2 with the error threshold moved to +3 in the settings stays a warning',
        baseline: current(['a', {}], ['b', {}]),
        workflow: future([
          ['a', { replaces: ['a'] }],
          ['b', { lane: 'nurse', replaces: ['b'] }],
          ['c', {}],
        ]),
        settings: { thresholds: { handoffIncreaseError: 3 } },
        expected: [{ stepIds: ['a', 'b'], severity: 'warn' }],
      },
    ],
    negative: [
      {
        description: 'the same handoffs',
        baseline: current(['a', {}], ['b', { lane: 'nurse' }]),
        workflow: future([
          ['a', { replaces: ['a'] }],
          ['b', { lane: 'nurse', replaces: ['b'] }],
        ]),
        expected: [],
      },
      {
        description: 'fewer handoffs',
        baseline: current(['a', {}], ['b', { lane: 'nurse' }], ['c', {}]),
        workflow: future([['a', { replaces: ['a', 'b', 'c'] }]]),
        expected: [],
      },
      {
        description: 'half a handoff more per case (+0.5, under +1)',
        baseline: current(['a', {}]),
        workflow: workflow({
          state: 'future',
          steps: [
            START,
            step('d', { kind: 'decision', replaces: ['a'] }),
            step('n', { lane: 'nurse' }),
            step('m', {}),
            END,
          ],
          flows: ['start>d', 'd>n:0.25', 'd>m:0.75', 'n>end', 'm>end'],
        }),
        expected: [],
      },
    ],
  },

  'role-overload': {
    positive: [
      {
        description: 'one person busy 90 % at peak',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 9 })], {
          goLive: { capacityFactor: 0.5, productivityFactor: 1 },
        }),
        expected: [{ stepIds: ['room'], severity: 'warn', evidence: { peakUtilisation: 0.9 } }],
      },
      {
        description: 'over capacity at peak (ρ 1.2): raised',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 12 })]),
        expected: [{ stepIds: ['room'], severity: 'error', evidence: { peakUtilisation: 1.2 } }],
      },
      {
        description: 'fine at peak (0.6) but 86 % busy in go-live week at full bookings and 70 % speed',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 6 })], {
          goLive: { capacityFactor: 1, productivityFactor: 0.7 },
        }),
        expected: [
          {
            stepIds: ['room'],
            severity: 'warn',
            evidence: { peakUtilisation: 0.6, goLiveUtilisation: 0.8571 },
          },
        ],
      },
    ],
    negative: [
      {
        description: 'busy 50 % at peak, less at go-live with halved bookings',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 5 })]),
        expected: [],
      },
      {
        description: 'a lane with no staff (the patient) is not queued',
        workflow: linear([step('forms', { lane: 'patient', touchMin: 60 })]),
        expected: [],
      },
      {
        description: 'the limit raised to 0.95 in the settings',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 9 })], {
          goLive: { capacityFactor: 0.5, productivityFactor: 1 },
        }),
        settings: { thresholds: { utilisationLimit: 0.95 } },
        expected: [],
      },
    ],
  },

  'untraced-current-step': {
    positive: [
      {
        description: 'a current step neither replaced nor retired (reported by its current id)',
        baseline: current(['copy', {}], ['fax', {}]),
        workflow: future([['scan', { replaces: ['copy'] }]], { retired: ['start', 'end'] }),
        expected: [{ stepIds: ['fax'], severity: 'error' }],
      },
      {
        description: 'start and end count too',
        baseline: current(['a', {}]),
        workflow: future([['b', { replaces: ['a'] }]]),
        expected: [
          { stepIds: ['end'], severity: 'error' },
          { stepIds: ['start'], severity: 'error' },
        ],
      },
      {
        description:
          'a step replaced only by name, not by replaces, is untraced (never matched by id or label)',
        baseline: current(['fax', { label: 'Fax referral' }]),
        workflow: future([['fax', { label: 'Fax referral' }]], { retired: ['start', 'end'] }),
        settings: { severities: { 'untraced-current-step': 'warn' } },
        expected: [{ stepIds: ['fax'], severity: 'warn' }],
      },
    ],
    negative: [
      {
        description: 'every current step replaced',
        baseline: current(['a', {}]),
        workflow: workflow({
          state: 'future',
          steps: [
            step('start', { kind: 'start', touchMin: 0, replaces: ['start'] }),
            step('b', { replaces: ['a'] }),
            step('end', { kind: 'end', touchMin: 0, replaces: ['end'] }),
          ],
          flows: chain('start', 'b', 'end'),
        }),
        expected: [],
      },
      {
        description: 'replaced or retired',
        baseline: current(['a', {}], ['b', {}]),
        workflow: future([['x', { replaces: ['a'] }]], { retired: ['b', 'start', 'end'] }),
        expected: [],
      },
      {
        description: 'one future step replacing several current steps traces them all',
        baseline: current(['a', {}], ['b', {}], ['c', {}]),
        workflow: future([['abc', { replaces: ['a', 'b', 'c', 'start', 'end'] }]]),
        expected: [],
      },
    ],
  },

  structure: {
    positive: [
      {
        description: 'no start step',
        workflow: workflow({ steps: [step('a'), END], flows: ['a>end'] }),
        expected: [{ stepIds: [], severity: 'error', evidence: { check: 'no-start' } }],
      },
      {
        description: 'no end step, so the last task is a dead end',
        workflow: workflow({ steps: [START, step('a')], flows: ['start>a'] }),
        expected: [
          { stepIds: [], severity: 'error', evidence: { check: 'no-end' } },
          { stepIds: ['a'], severity: 'error', evidence: { check: 'dead-end' } },
        ],
      },
      {
        description: 'a step nobody reaches, which also leads nowhere',
        workflow: workflow({ steps: [START, step('x'), END], flows: ['start>end'] }),
        expected: [
          { stepIds: ['x'], severity: 'error', evidence: { check: 'unreachable' } },
          { stepIds: ['x'], severity: 'error', evidence: { check: 'dead-end' } },
        ],
      },
      {
        description: 'branch chances adding up to 80 % (read from the file, not rescaled)',
        workflow: workflow({
          steps: [START, step('d', { kind: 'decision' }), step('x'), step('y'), END],
          flows: ['start>d', 'd>x:0.5', 'd>y:0.3', 'x>end', 'y>end'],
        }),
        expected: [
          { stepIds: ['d'], severity: 'error', evidence: { check: 'probability-sum', probabilitySum: 0.8 } },
        ],
      },
      {
        description: 'a decision with one way out (lowered, as bpmnlint superfluous-gateway)',
        workflow: linear([step('d', { kind: 'decision' })]),
        expected: [{ stepIds: ['d'], severity: 'warn', evidence: { check: 'decision-single-flow' } }],
      },
      {
        description: 'a blank label',
        workflow: linear([step('a', { label: '  ' })]),
        expected: [{ stepIds: ['a'], severity: 'error', evidence: { check: 'label-required' } }],
      },
      {
        description: 'two flows without chances out of a task: alternatives or both? (lowered)',
        workflow: workflow({
          steps: [START, step('a'), step('x'), step('y'), END],
          flows: ['start>a', 'a>x', 'a>y', 'x>end', 'y>end'],
        }),
        expected: [
          { stepIds: ['a'], severity: 'warn', evidence: { check: 'branches-without-chances', flows: 2 } },
        ],
      },
      {
        description:
          'a sub-process with two inner first steps (an ad-hoc one, or one without a start event): BPMN starts both, nothing to ask',
        workflow: workflow({
          steps: [START, step('sp'), step('x', { within: 'sp' }), step('y', { within: 'sp' }), END],
          flows: ['start>sp', 'sp>x', 'sp>y', 'x>end', 'y>end'],
        }),
        expected: [],
      },
      {
        description:
          'boundary events with no flow after them: the interrupting one stops the case, the non-interrupting one does not',
        workflow: workflow({
          steps: [
            START,
            step('a'),
            step('late', {
              kind: 'wait',
              boundary: { attachedTo: 'a', trigger: 'timer', interrupting: false },
            }),
            step('err', {
              kind: 'wait',
              boundary: { attachedTo: 'a', trigger: 'error', interrupting: true },
            }),
            END,
          ],
          flows: ['start>a', 'a>late', 'a>err', 'a>end'],
        }),
        expected: [{ stepIds: ['err'], severity: 'error', evidence: { check: 'dead-end' } }],
      },
      {
        description: 'a parallel split whose branches never meet (lowered)',
        workflow: workflow({
          steps: [START, gateway('p', 'parallel-split'), step('x'), step('y'), END],
          flows: ['start>p', 'p>x', 'p>y', 'x>end', 'y>end'],
        }),
        expected: [{ stepIds: ['p'], severity: 'warn', evidence: { check: 'split-without-join', flows: 2 } }],
      },
      {
        description: 'steps and no flow at all: one finding for that one cause, not one per step',
        workflow: workflow({ steps: [START, step('a'), step('b'), END], flows: [] }),
        expected: [{ stepIds: [], severity: 'error', evidence: { check: 'no-flows' } }],
      },
      {
        description: 'a step the main flow and no event reaches, beside an event sub-process',
        workflow: workflow({
          steps: [
            START,
            step('a'),
            END,
            step('esp', { boundary: { trigger: 'message', interrupting: true } }),
          ],
          flows: ['start>end', 'esp>end'],
        }),
        expected: [
          { stepIds: ['a'], severity: 'error', evidence: { check: 'unreachable' } },
          { stepIds: ['a'], severity: 'error', evidence: { check: 'dead-end' } },
        ],
      },
      {
        description: 'a loop with no way out: reported even though metrics cannot be computed',
        workflow: workflow({ steps: [START, step('a'), step('b'), END], flows: ['start>a', 'a>b', 'b>a'] }),
        expected: [
          { stepIds: ['a', 'b'], severity: 'error', evidence: { check: 'trapped-loop' } },
          { stepIds: ['end'], severity: 'error', evidence: { check: 'unreachable' } },
        ],
      },
      {
        description: 'pools that keep starting each other by message: reported apart from a trapped loop',
        workflow: {
          ...workflow({
            steps: [
              START,
              step('order'),
              END,
              step('inB', { kind: 'start' }),
              step('b'),
              step('outB', { kind: 'end' }),
              step('inC', { kind: 'start' }),
              step('c'),
              step('outC', { kind: 'end' }),
            ],
            flows: ['start>order', 'order>end', 'inB>b', 'b>outB', 'inC>c', 'c>outC'],
          }),
          messageFlows: [
            { from: 'order', to: 'inB' },
            { from: 'b', to: 'inC' },
            { from: 'c', to: 'inB' },
          ],
        },
        expected: [
          {
            stepIds: ['b', 'c', 'inB', 'inC', 'outB', 'outC'],
            severity: 'error',
            evidence: { check: 'endless-messages' },
          },
        ],
      },
    ],
    negative: [
      { description: 'a complete linear workflow', workflow: linear([step('a'), step('b')]), expected: [] },
      {
        description: 'a merge (two ways in, one out) is not a decision that decides nothing',
        workflow: workflow({
          steps: [
            START,
            step('d', { kind: 'decision' }),
            step('x'),
            step('y'),
            step('m', { kind: 'decision' }),
            END,
          ],
          flows: ['start>d', 'd>x:0.5', 'd>y:0.5', 'x>m', 'y>m', 'm>end'],
        }),
        expected: [],
      },
      {
        description: 'a task with boundary events: each exception path has its own chance, not an even split',
        workflow: workflow({
          steps: [
            START,
            step('t'),
            step('late', {
              kind: 'wait',
              boundary: { attachedTo: 't', trigger: 'timer', interrupting: true },
            }),
            step('fail', {
              kind: 'wait',
              boundary: { attachedTo: 't', trigger: 'error', interrupting: true },
            }),
            step('nag', {
              kind: 'wait',
              boundary: { attachedTo: 't', trigger: 'message', interrupting: false },
            }),
            END,
          ],
          flows: ['start>t', 't>end', 't>late', 't>fail:0.1', 't>nag:0.9', 'late>end', 'fail>end', 'nag>end'],
        }),
        expected: [],
      },
      {
        description: 'conditional and default flows out of a task are a choice (bpmnlint no-implicit-split)',
        workflow: workflow({
          steps: [START, step('a'), step('x'), step('y'), END],
          flows: [
            ...flows('start>a', 'x>end', 'y>end'),
            { from: 'a', to: 'x', transfer: 'none', branch: 'condition' },
            { from: 'a', to: 'y', transfer: 'none', branch: 'default' },
          ],
        }),
        expected: [],
      },
      {
        description: 'an event sub-process is reached by its event, its end is an end',
        workflow: workflow({
          steps: [
            START,
            END,
            step('esp', { boundary: { trigger: 'error', interrupting: true } }),
            step('handle'),
            step('done', { kind: 'end', touchMin: 0 }),
          ],
          flows: ['start>end', 'esp>handle', 'handle>done'],
        }),
        expected: [],
      },
      {
        description: 'a compensation handler ends the compensation: not a dead end',
        workflow: workflow({
          steps: [
            START,
            step('book'),
            step('undo', {
              kind: 'wait',
              boundary: { attachedTo: 'book', trigger: 'compensation', interrupting: true },
            }),
            step('cancel'),
            END,
          ],
          flows: ['start>book', 'book>end', 'book>undo', 'undo>cancel'],
        }),
        expected: [],
      },
      {
        description: 'a parallel split whose branches each reach an end of their own',
        workflow: workflow({
          steps: [
            START,
            gateway('p', 'parallel-split'),
            step('x'),
            step('y'),
            END,
            step('end2', { kind: 'end' }),
          ],
          flows: ['start>p', 'p>x', 'p>y', 'x>end', 'y>end2'],
        }),
        expected: [],
      },
      {
        description: 'a rework loop with an exit',
        workflow: workflow({
          steps: [START, step('a'), step('check', { kind: 'decision' }), END],
          flows: ['start>a', 'a>check', 'check>a:0.2', 'check>end:0.8'],
        }),
        expected: [],
      },
      {
        description: 'a parallel split and its join: neither gateway is a one-way decision or a dead end',
        workflow: block('parallel-split', 'parallel-join'),
        expected: [],
      },
      {
        description: 'an inclusive split with independent chances that do not sum to 1, and its join',
        workflow: block('inclusive-split', 'inclusive-join', {
          flows: ['start>p', 'p>x:0.7', 'p>y:0.6', 'x>j', 'y>j', 'j>end'],
        }),
        expected: [],
      },
      {
        description: 'two flows out of a task, both with chances',
        workflow: workflow({
          steps: [START, step('a'), step('x'), step('y'), END],
          flows: ['start>a', 'a>x:0.4', 'a>y:0.6', 'x>end', 'y>end'],
        }),
        expected: [],
      },
      {
        description: 'probabilities given on some flows, the rest sharing what is left',
        workflow: workflow({
          steps: [START, step('d', { kind: 'decision' }), step('x'), step('y'), step('z'), END],
          flows: ['start>d', 'd>x:0.5', 'd>y', 'd>z', 'x>end', 'y>end', 'z>end'],
        }),
        expected: [],
      },
    ],
  },

  'print-scan-loop': {
    positive: [
      {
        description: 'digital → print and sign on paper → scan back',
        workflow: future([
          ['checkin', {}],
          ['print', { medium: 'paper' }],
          ['sign', { lane: 'patient', medium: 'paper', system: 'Paper form' }],
          ['scan', {}],
        ]),
        expected: [
          { stepIds: ['checkin', 'print', 'sign', 'scan'], severity: 'warn', evidence: { paperSteps: 2 } },
        ],
      },
      {
        description: 'a faxed step between two screens',
        workflow: future([
          ['order', {}],
          ['fax', { medium: 'fax', system: 'Fax' }],
          ['key', { lane: 'nurse' }],
        ]),
        expected: [{ stepIds: ['order', 'fax', 'key'], severity: 'warn' }],
      },
      {
        description: 'a document carried on paper between two digital steps',
        workflow: workflow({
          state: 'future',
          steps: [START, step('a'), step('b', { lane: 'nurse' }), END],
          flows: ['start>a', 'a>b::paper', 'b>end'],
        }),
        expected: [{ stepIds: ['a', 'b'], severity: 'warn', evidence: { paperTransfer: true } }],
      },
      {
        description: 'a step labelled print followed by one labelled scan',
        workflow: future([
          ['p', { label: 'Print the consent' }],
          ['s', { label: 'Scan the signed consent' }],
        ]),
        expected: [{ stepIds: ['p', 's'], severity: 'warn', evidence: { printScanLabels: true } }],
      },
    ],
    negative: [
      {
        description: 'the same loop in a current workflow (paper is expected today)',
        workflow: current(['checkin', {}], ['print', { medium: 'paper' }], ['scan', {}]),
        expected: [],
      },
      {
        description: 'paper at the start of the process, no digital step before it',
        workflow: future([
          ['form', { medium: 'paper' }],
          ['key', {}],
        ]),
        expected: [],
      },
      {
        description: 'a courier wait between two digital steps (transport, not paperwork)',
        workflow: future([
          ['label', {}],
          ['courier', { kind: 'wait', medium: 'paper', touchMin: 0, waitMin: 180 }],
          ['accession', {}],
        ]),
        expected: [],
      },
      {
        description: 'paper at the end of the process',
        workflow: future([
          ['key', {}],
          ['letter', { medium: 'paper' }],
        ]),
        expected: [],
      },
    ],
  },

  'delegable-task': {
    positive: [
      {
        description: 'a physician types vital signs',
        workflow: linear([step('visit', { lane: 'doc', enters: ['vitals.bp', 'visit.plan'] })]),
        expected: [{ stepIds: ['visit'], severity: 'info', evidence: { items: ['vitals.bp'] } }],
      },
      {
        description: 'a physician near overload fills in a prior-auth form (raised)',
        workflow: linear([step('pa', { lane: 'doc', touchMin: 18, enters: ['prior_auth.form'] })]),
        expected: [{ stepIds: ['pa'], severity: 'warn', evidence: { nearOverload: true } }],
      },
      {
        description: 'a nurse practitioner lane recognised by its name',
        workflow: linear([step('np-visit', { lane: 'np', enters: ['demographics.address'] })], {
          lanes: [
            { id: 'np', name: 'Nurse practitioner', staff: 1 },
            { id: 'desk', name: 'Front desk', staff: 2 },
          ],
        }),
        expected: [{ stepIds: ['np-visit'], severity: 'info' }],
      },
    ],
    negative: [
      {
        description: 'clinical documentation by the physician',
        workflow: linear([step('visit', { lane: 'doc', enters: ['visit.assessment', 'order.tests'] })]),
        expected: [],
      },
      {
        description: 'vital signs entered by the nurse',
        workflow: linear([step('vitals', { lane: 'nurse', enters: ['vitals.bp'] })]),
        expected: [],
      },
      {
        description: 'a "Physical therapist" lane is not a physician',
        workflow: linear([step('pt', { lane: 'pt', enters: ['scheduling.next'] })], {
          lanes: [
            { id: 'pt', name: 'Physical therapist', staff: 1 },
            { id: 'desk', name: 'Front desk', staff: 2 },
          ],
        }),
        expected: [],
      },
    ],
  },

  'open-loop-order': {
    positive: [
      {
        description: 'an order with no acknowledgement at all',
        workflow: current(['order', { lane: 'doc', enters: ['order.tests'] }], ['file', {}]),
        expected: [
          { stepIds: ['order', 'end', 'file'], severity: 'warn', evidence: { unacknowledgedShare: 1 } },
        ],
      },
      {
        description: 'acknowledged on the flagged branch only (75 % open)',
        workflow: workflow({
          steps: [
            START,
            step('order', { lane: 'doc', enters: ['order.tests'] }),
            step('flag', { kind: 'decision' }),
            step('ack', { lane: 'doc', kind: 'approval', enters: ['result.acknowledged'] }),
            step('autofile'),
            END,
          ],
          flows: [
            'start>order',
            'order>flag',
            'flag>ack:0.25',
            'flag>autofile:0.75',
            'ack>end',
            'autofile>end',
          ],
        }),
        expected: [
          {
            stepIds: ['order', 'autofile', 'end', 'flag'],
            severity: 'warn',
            evidence: { unacknowledgedShare: 0.75 },
          },
        ],
      },
      {
        description: 'an acknowledgement of another kind of result does not close a lab order',
        workflow: current(
          ['order', { lane: 'doc', enters: ['lab.order'] }],
          ['ack', { lane: 'doc', enters: ['imaging.result.acknowledged'] }],
        ),
        expected: [{ stepIds: ['order', 'ack', 'end'], severity: 'warn' }],
      },
      {
        description: 'an acknowledgement before the order does not count',
        workflow: current(
          ['ack', { lane: 'doc', enters: ['result.reviewed'] }],
          ['order', { lane: 'doc', enters: ['order.tests'] }],
        ),
        expected: [{ stepIds: ['order', 'end'], severity: 'warn' }],
      },
    ],
    negative: [
      {
        description: 'acknowledged on every path',
        workflow: workflow({
          steps: [
            START,
            step('order', { lane: 'doc', enters: ['order.tests'] }),
            step('flag', { kind: 'decision' }),
            step('ack', { lane: 'doc', enters: ['result.acknowledged'] }),
            step('call', { lane: 'nurse' }),
            END,
          ],
          flows: ['start>order', 'order>flag', 'flag>call:0.25', 'flag>ack:0.75', 'call>ack', 'ack>end'],
        }),
        expected: [],
      },
      {
        description: 'an approval labelled "Review result" acknowledges by its kind',
        workflow: current(
          ['order', { lane: 'doc', enters: ['lab.order'] }],
          ['review', { lane: 'doc', kind: 'approval', label: 'Review the result' }],
        ),
        expected: [],
      },
      {
        description: 'a referral is not an order (no order item)',
        workflow: current(['referral', { lane: 'doc', enters: ['referral.reason'] }]),
        expected: [],
      },
      {
        description: 'a lab order closed by a lab result review',
        workflow: current(
          ['order', { lane: 'doc', enters: ['lab.order'] }],
          ['review', { lane: 'doc', enters: ['lab.result.reviewed'] }],
        ),
        expected: [],
      },
    ],
  },

  'no-op-decision': {
    positive: [
      {
        description: 'a forced attestation: "No" passes a click-away step to the same next step',
        workflow: workflow({
          steps: [
            START,
            step('attest', { lane: 'nurse', kind: 'decision', clicks: 3 }),
            step('dismiss', { lane: 'nurse', clicks: 2, touchMin: 0.1 }),
            step('visit', { lane: 'doc' }),
            END,
          ],
          flows: ['start>attest', 'attest>visit:0.97', 'attest>dismiss:0.03', 'dismiss>visit', 'visit>end'],
        }),
        expected: [
          {
            stepIds: ['attest', 'dismiss'],
            severity: 'warn',
            evidence: { nextStepId: 'visit', branches: 2 },
          },
        ],
      },
      {
        description: 'both answers pass a click-away step',
        workflow: workflow({
          steps: [
            START,
            step('q', { kind: 'decision' }),
            step('yes'),
            step('no'),
            step('next', { lane: 'nurse' }),
            END,
          ],
          flows: ['start>q', 'q>yes:0.5', 'q>no:0.5', 'yes>next', 'no>next', 'next>end'],
        }),
        expected: [{ stepIds: ['q', 'no', 'yes'], severity: 'warn' }],
      },
      {
        description: 'three answers, two click-away steps and a direct branch, all to one step',
        workflow: workflow({
          steps: [
            START,
            step('q', { kind: 'decision' }),
            step('ok1'),
            step('ok2', { kind: 'wait', touchMin: 0, clicks: 1 }),
            step('next', { lane: 'nurse' }),
            END,
          ],
          flows: ['start>q', 'q>next:0.8', 'q>ok1:0.1', 'q>ok2:0.1', 'ok1>next', 'ok2>next', 'next>end'],
        }),
        expected: [{ stepIds: ['q', 'ok1', 'ok2'], severity: 'warn', evidence: { branches: 3 } }],
      },
    ],
    negative: [
      {
        description: 'a draft: the branch step has neither clicks nor minutes yet (unmeasured, not a click)',
        workflow: workflow({
          steps: [
            START,
            step('q', { kind: 'decision', touchMin: 0 }),
            step('new', { touchMin: 0, clicks: 0 }),
            step('next', { touchMin: 0 }),
            END,
          ],
          flows: ['start>q', 'q>next:0.5', 'q>new:0.5', 'new>next', 'next>end'],
        }),
        expected: [],
      },
      {
        description: 'a parallel split whose branches pass click-away steps to one join: not a question',
        workflow: workflow({
          steps: [
            START,
            gateway('p', 'parallel-split'),
            step('x', { touchMin: 0.1 }),
            step('y', { touchMin: 0.1 }),
            gateway('j', 'parallel-join'),
            END,
          ],
          flows: ['start>p', 'p>x', 'p>y', 'x>j', 'y>j', 'j>end'],
        }),
        expected: [],
      },
      {
        description: 'the "No" branch records something',
        workflow: workflow({
          steps: [
            START,
            step('q', { kind: 'decision' }),
            step('why', { enters: ['fall_risk.reason'] }),
            step('next', { lane: 'nurse' }),
            END,
          ],
          flows: ['start>q', 'q>next:0.9', 'q>why:0.1', 'why>next', 'next>end'],
        }),
        expected: [],
      },
      {
        description: 'the branch step is done by another role (a handoff is an effect)',
        workflow: workflow({
          steps: [
            START,
            step('q', { kind: 'decision' }),
            step('other', { lane: 'nurse' }),
            step('next', { lane: 'doc' }),
            END,
          ],
          flows: ['start>q', 'q>next:0.9', 'q>other:0.1', 'other>next', 'next>end'],
        }),
        expected: [],
      },
      {
        description: 'the branch step is a phone call (acts outside the system)',
        workflow: workflow({
          steps: [
            START,
            step('q', { kind: 'decision' }),
            step('call', { medium: 'phone' }),
            step('next', { lane: 'nurse' }),
            END,
          ],
          flows: ['start>q', 'q>next:0.9', 'q>call:0.1', 'call>next', 'next>end'],
        }),
        expected: [],
      },
      {
        description: 'the branches lead to different steps',
        workflow: workflow({
          steps: [
            START,
            step('q', { kind: 'decision' }),
            step('x', { lane: 'nurse' }),
            step('y', { lane: 'doc' }),
            END,
          ],
          flows: ['start>q', 'q>x:0.5', 'q>y:0.5', 'x>end', 'y>end'],
        }),
        expected: [],
      },
    ],
  },

  'golive-capacity': {
    positive: [
      {
        description: 'full bookings at 70 % speed overload the nurse (ρ 1.14); a 26 % cut restores 0.85',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 8 })], {
          goLive: { capacityFactor: 1, productivityFactor: 0.7 },
        }),
        expected: [
          {
            stepIds: ['room'],
            severity: 'error',
            evidence: { goLiveUtilisation: 1.1429, scheduleReduction: 0.2563, bindingLaneId: 'nurse' },
          },
        ],
      },
      {
        description: 'a planned 20 % cut is not enough: stable but about two hours of queue',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 8 })], {
          goLive: { capacityFactor: 0.8, productivityFactor: 0.7 },
        }),
        expected: [
          {
            stepIds: ['room'],
            severity: 'error',
            evidence: { goLiveUtilisation: 0.9143, plannedReduction: 0.2 },
          },
        ],
      },
      {
        description: 'no go-live settings: normal bookings at the assumed 70 % speed',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 8 })], { goLive: null }),
        expected: [
          { stepIds: ['room'], severity: 'error', evidence: { capacityFactor: 1, productivityFactor: 0.7 } },
        ],
      },
    ],
    negative: [
      {
        description: 'bookings halved: 57 % busy, 15 min queue',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 8 })], {
          goLive: { capacityFactor: 0.5, productivityFactor: 0.7 },
        }),
        expected: [],
      },
      {
        description: 'a lane with no staff is never short of staff',
        workflow: linear([step('forms', { lane: 'patient', touchMin: 60 })], {
          goLive: { capacityFactor: 1, productivityFactor: 0.5 },
        }),
        expected: [],
      },
      {
        description: 'a wait limit raised to 3 hours accepts the planned 20 % cut',
        workflow: linear([step('room', { lane: 'nurse', touchMin: 8 })], {
          goLive: { capacityFactor: 0.8, productivityFactor: 0.7 },
        }),
        settings: { thresholds: { goLiveWaitLimitMin: 180 } },
        expected: [],
      },
    ],
  },
  'long-wait': {
    positive: [
      {
        description: 'a median wait of 190 min before registration in the log',
        workflow: current(['reg', { observed: { n: 10, cases: 10, wait: waited(200, 190, 400) } }]),
        expected: [
          { stepIds: ['reg'], severity: 'warn', evidence: { medianMin: 190, p90Min: 400, waits: 10 } },
        ],
      },
      {
        description: 'four long waits: the three with the most waiting in total',
        workflow: current(
          ['a', { observed: { n: 10, cases: 10, wait: waited(100, 100, 150) } }],
          ['b', { observed: { n: 10, cases: 10, wait: waited(70, 65, 90) } }],
          ['c', { observed: { n: 10, cases: 10, wait: waited(90, 90, 120) } }],
          ['d', { observed: { n: 10, cases: 10, wait: waited(80, 80, 110) } }],
        ),
        expected: [
          { stepIds: ['a'], severity: 'warn', evidence: { shareOfWaiting: 0.2941 } },
          { stepIds: ['c'], severity: 'warn' },
          { stepIds: ['d'], severity: 'warn' },
        ],
      },
    ],
    negative: [
      {
        description: 'a median wait just under an hour',
        workflow: current(['reg', { observed: { n: 10, cases: 10, wait: waited(300, 59, 400) } }]),
        expected: [],
      },
      {
        description: 'a drawn step planned with a long wait: no log, no finding',
        workflow: current(['reg', { waitMin: 600 }]),
        expected: [],
      },
      {
        description: 'a threshold raised to 4 hours',
        workflow: current(['reg', { observed: { n: 10, cases: 10, wait: waited(200, 190, 400) } }]),
        settings: { thresholds: { longWaitMin: 240 } },
        expected: [],
      },
    ],
  },
  'rework-loop': {
    positive: [
      {
        description: 'a review done twice in 5 of 10 logged cases',
        workflow: logged(
          10,
          current(['review', { observed: { n: 15, cases: 10, repeated: { cases: 5, extra: 5 } } }]),
        ),
        expected: [
          {
            stepIds: ['review'],
            severity: 'warn',
            evidence: { casesAffected: 5, shareOfCases: 0.5, extraTimes: 5 },
          },
        ],
      },
      {
        description: 'without the workflow count, the cases of the most frequent step: 1 of 10',
        workflow: current(
          ['a', { observed: { n: 10, cases: 10 } }],
          ['review', { observed: { n: 7, cases: 6, repeated: { cases: 1, extra: 1 } } }],
        ),
        expected: [{ stepIds: ['review'], severity: 'warn', evidence: { cases: 10, shareOfCases: 0.1 } }],
      },
    ],
    negative: [
      {
        description: 'done again in 1 case of 100 (under 5 %)',
        workflow: logged(
          100,
          current(['review', { observed: { n: 101, cases: 100, repeated: { cases: 1, extra: 1 } } }]),
        ),
        expected: [],
      },
      {
        description: 'a drawn loop back to a step: no log, no finding',
        workflow: workflow({
          steps: [START, step('a'), step('d', { kind: 'decision' }), END],
          flows: ['start>a', 'a>d', 'd>a:0.3', 'd>end:0.7'],
        }),
        expected: [],
      },
      {
        description: 'the share raised to 60 %',
        workflow: logged(
          10,
          current(['review', { observed: { n: 15, cases: 10, repeated: { cases: 5, extra: 5 } } }]),
        ),
        settings: { thresholds: { logPatternMinShare: 0.6 } },
        expected: [],
      },
    ],
  },
  'handoff-ping-pong': {
    positive: [
      {
        description: 'nurse and physician bounce the work in 4 of 20 cases',
        workflow: bouncing([{ lanes: ['doc', 'nurse'], cases: 4, handoffs: 14 }]),
        expected: [
          {
            stepIds: ['order', 'review'],
            severity: 'warn',
            evidence: {
              lanes: ['doc', 'nurse'],
              casesAffected: 4,
              handoffs: 14,
              handoffsPerAffectedCase: 3.5,
            },
          },
        ],
      },
      {
        description: 'lanes given in either order; set to error by the project',
        workflow: bouncing([{ lanes: ['nurse', 'doc'], cases: 10, handoffs: 30 }]),
        settings: { severities: { 'handoff-ping-pong': 'error' } },
        expected: [{ stepIds: ['order', 'review'], severity: 'error', evidence: { shareOfCases: 0.5 } }],
      },
    ],
    negative: [
      {
        description: 'bouncing in 1 of 20 cases (5 %) under a share raised to 10 %',
        workflow: bouncing([{ lanes: ['doc', 'nurse'], cases: 1, handoffs: 3 }]),
        settings: { thresholds: { logPatternMinShare: 0.1 } },
        expected: [],
      },
      {
        description: 'a pair naming a lane the workflow no longer has',
        workflow: bouncing([{ lanes: ['doc', 'pharmacy'], cases: 10, handoffs: 30 }]),
        expected: [],
      },
      {
        description: 'a drawn workflow handing between lanes back and forth: no log, no finding',
        workflow: current(
          ['review', { lane: 'nurse' }],
          ['order', { lane: 'doc' }],
          ['again', { lane: 'nurse' }],
          ['sign', { lane: 'doc' }],
        ),
        expected: [],
      },
    ],
  },
  'kept-handoff-wait': {
    positive: [
      {
        description:
          'the nurse hands to the physician in both; the log held cases 2 h in batches, 0.5 h off hours',
        baseline: measuredSignOff({ batching: 2, unavailability: 0.5 }),
        workflow: future([
          ['pend', { lane: 'nurse', replaces: ['prep'] }],
          ['esign', { lane: 'doc', kind: 'approval', replaces: ['sign'] }],
        ]),
        expected: [
          {
            stepIds: ['esign'],
            severity: 'warn',
            evidence: {
              replacedStepId: 'sign',
              heldHoursPerCase: 2.5,
              batchingHoursPerCase: 2,
              unavailabilityHoursPerCase: 0.5,
              senders: ['Nurse'],
              role: 'Physician',
              batches: { count: 4, minSize: 3, maxSize: 6 },
            },
          },
        ],
      },
      {
        description:
          'a decision drawn between them changes nothing; off hours alone, whatever the drawn wait',
        baseline: measuredSignOff({ unavailability: 1 }),
        workflow: workflow({
          state: 'future',
          steps: [
            START,
            step('pend', { lane: 'nurse', replaces: ['prep'] }),
            step('urgent', { kind: 'decision', lane: 'doc' }),
            step('esign', { lane: 'doc', waitMin: 0, replaces: ['sign'] }),
            END,
          ],
          flows: ['start>pend', 'pend>urgent', 'urgent>esign:0.5', 'urgent>end:0.5', 'esign>end'],
        }),
        expected: [{ stepIds: ['esign'], severity: 'warn', evidence: { heldHoursPerCase: 1 } }],
      },
    ],
    negative: [
      {
        description: 'the nurse signs per protocol: the hand-off to the physician is gone',
        baseline: measuredSignOff({ batching: 2 }),
        workflow: future([
          ['pend', { lane: 'nurse', replaces: ['prep'] }],
          ['esign', { lane: 'nurse', replaces: ['sign'] }],
        ]),
        expected: [],
      },
      {
        description: 'handed over from the front desk instead of the nurse',
        baseline: measuredSignOff({ batching: 2 }),
        workflow: future([
          ['pend', { lane: 'desk', replaces: ['prep'] }],
          ['esign', { lane: 'doc', replaces: ['sign'] }],
        ]),
        expected: [],
      },
      {
        description: 'the physician was busy with other cases (contention is load, not a kept habit)',
        baseline: measuredSignOff({ contention: 3 }),
        workflow: future([
          ['pend', { lane: 'nurse', replaces: ['prep'] }],
          ['esign', { lane: 'doc', replaces: ['sign'] }],
        ]),
        expected: [],
      },
      {
        description: 'held 3 minutes per case (under the 5-minute floor)',
        baseline: measuredSignOff({ batching: 0.05 }),
        workflow: future([
          ['pend', { lane: 'nurse', replaces: ['prep'] }],
          ['esign', { lane: 'doc', replaces: ['sign'] }],
        ]),
        expected: [],
      },
      {
        description: 'a drawn baseline: no log, no finding',
        baseline: current(['prep', { lane: 'nurse' }], ['sign', { lane: 'doc', waitMin: 240 }]),
        workflow: future([
          ['pend', { lane: 'nurse', replaces: ['prep'] }],
          ['esign', { lane: 'doc', replaces: ['sign'] }],
        ]),
        expected: [],
      },
    ],
  },
};

describe('every rule has a table of positive and negative cases', () => {
  it('covers exactly the registered rules', () => {
    expect(Object.keys(table).sort()).toEqual(WORKFLOW_RULES.map((r) => r.id).sort());
  });
  it.each(WORKFLOW_RULES.map((r) => r.id))('%s has at least two positive and two negative cases', (id) => {
    expect(table[id]?.positive.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(table[id]?.negative.length ?? 0).toBeGreaterThanOrEqual(2);
  });
});

for (const [rule, { positive, negative }] of Object.entries(table)) {
  describe(rule, () => {
    const run = (c: Case) => {
      const result = analyzeWorkflow(c.workflow, {
        ...(c.baseline ? { baseline: c.baseline } : {}),
        ...(c.settings ? { settings: c.settings } : {}),
      });
      expect(result.settingsProblems).toEqual([]);
      const found = ruleFindingsOf(result.findings).filter((f) => f.rule === rule);
      expect(found.map((f) => ({ stepIds: f.stepIds, severity: f.severity }))).toEqual(
        c.expected.map((e) => ({ stepIds: e.stepIds, severity: e.severity })),
      );
      c.expected.forEach((e, i) => {
        if (e.evidence) expect(found[i]?.evidence).toMatchObject(e.evidence);
        const f = found[i];
        if (f) {
          expect(f.message.length).toBeGreaterThan(40);
          // evidence is plain JSON: no NaN, no Infinity, no undefined
          expect(JSON.parse(JSON.stringify(f.evidence))).toEqual(f.evidence);
        }
      });
    };
    it.each(positive)('finds: $description', run);
    it.each(negative)('does not fire: $description', run);
  });
}

describe('gateways', () => {
  it.each([
    ['parallel', block('parallel-split', 'parallel-join')],
    [
      'inclusive',
      block('inclusive-split', 'inclusive-join', {
        flows: ['start>p', 'p>x:0.5', 'p>y:0.5', 'x>j', 'y>j', 'j>end'],
      }),
    ],
    ['future parallel', block('parallel-split', 'parallel-join', { state: 'future' })],
  ])('no rule names a %s split or join because of its kind', (_, w) => {
    const { findings } = analyzeWorkflow(w);
    expect(findings.filter((f) => f.stepIds.includes('p') || f.stepIds.includes('j'))).toEqual([]);
  });
});
