/**
 * compareWorkflows on small hand-made pairs, one table per concern: matching by
 * `replaces` (one-to-many, many-to-one), label suggestions within a role only, lanes matched by
 * name whatever their ids, retired vs untraced, attribute changes, metric deltas and their
 * signs, findings traced through `replaces`, and the role-impact checklist.
 */
import { describe, expect, it } from 'vitest';
import type { Flow, Lane, Step, Workflow } from '../../formats/workflow.ts';
import {
  type AttributeChange,
  type ComparableFinding,
  type CompareOptions,
  compareWorkflows,
  normaliseLabel,
  type WorkflowComparison,
} from './compare.ts';

type StepInput = Partial<Step> & Pick<Step, 'id' | 'label' | 'lane'>;

function step(input: StepInput): Step {
  return {
    kind: 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin: 1,
    waitMin: 0,
    clicks: 0,
    enters: [],
    ...input,
  };
}

/** A workflow whose steps run in a line in the order given (first start, last end, unless set). */
function workflow(
  state: 'current' | 'future',
  lanes: Lane[],
  steps: StepInput[],
  extra: Partial<Workflow> = {},
): Workflow {
  const built = steps.map((s, i) =>
    step({ kind: i === 0 ? 'start' : i === steps.length - 1 ? 'end' : 'task', ...s }),
  );
  const flows: Flow[] = built.slice(1).map((s, i) => ({
    from: built[i]?.id ?? '',
    to: s.id,
    transfer: 'electronic',
  }));
  return {
    format: 'preflight.workflow/v1',
    id: state,
    name: state,
    state,
    ...(state === 'future' ? { baseline: 'current' } : {}),
    arrivalsPerHour: 6,
    lanes,
    steps: built,
    flows,
    ...extra,
  };
}

const FRONT: Lane = { id: 'front', name: 'Front desk', staff: 2 };
const MA: Lane = { id: 'ma', name: 'Medical assistant', staff: 2 };

function pairs(result: WorkflowComparison) {
  return result.matches.map((m) => [m.by, m.current.stepId, m.future.stepId]);
}

describe('normaliseLabel', () => {
  const table: { description: string; input: string; expected: string }[] = [
    { description: 'case', input: 'Room Patient', expected: 'room patient' },
    {
      description: 'punctuation and whitespace',
      input: '  room—patient… (now)! ',
      expected: 'room patient now',
    },
    { description: 'simple plural', input: 'Take vitals', expected: 'take vital' },
    { description: '-ies plural', input: 'Review replies', expected: 'review reply' },
    { description: 'sibilant plural', input: 'Send faxes, batches', expected: 'send fax batch' },
    { description: 'double s is not a plural', input: 'Process access', expected: 'process access' },
    { description: 'short words keep their s', input: 'Bus pass', expected: 'bus pass' },
    { description: 'compatibility forms (NFKC)', input: 'Ｆａｘ referral', expected: 'fax referral' },
    { description: 'accents are kept', input: 'Café visit', expected: 'café visit' },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(normaliseLabel(input)).toBe(expected);
  });
});

describe('compareWorkflows: matching steps', () => {
  const table: {
    description: string;
    current: StepInput[];
    future: StepInput[];
    futureExtra?: Partial<Workflow>;
    futureLanes?: Lane[];
    matches: string[][];
    added: string[];
    retired: string[];
    untraced: string[];
  }[] = [
    {
      description: 'one future step replaces several current steps (many-to-one)',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'paper', label: 'Write vitals on paper', lane: 'ma' },
        { id: 'type', label: 'Type vitals', lane: 'ma' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 'a2', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { id: 'device', label: 'Vitals from the monitor', lane: 'ma', replaces: ['paper', 'type'] },
        { id: 'z2', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
      matches: [
        ['replaces', 'a', 'a2'],
        ['replaces', 'paper', 'device'],
        ['replaces', 'type', 'device'],
        ['replaces', 'z', 'z2'],
      ],
      added: [],
      retired: [],
      untraced: [],
    },
    {
      description: 'several future steps share one current step (one-to-many)',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'consent', label: 'Sign consent', lane: 'front' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 'a2', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { id: 'print', label: 'Print consent', lane: 'front', replaces: ['consent'] },
        { id: 'sign', label: 'Sign printed consent', lane: 'front', replaces: ['consent'] },
        { id: 'z2', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
      matches: [
        ['replaces', 'a', 'a2'],
        ['replaces', 'consent', 'print'],
        ['replaces', 'consent', 'sign'],
        ['replaces', 'z', 'z2'],
      ],
      added: [],
      retired: [],
      untraced: [],
    },
    {
      description:
        'same normalised label in the same role is only suggested; the current step stays untraced',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'room', label: 'Room patient', lane: 'ma' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 'a2', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { id: 'room2', label: 'ROOM  patients.', lane: 'ma' },
        { id: 'z2', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
      matches: [
        ['replaces', 'a', 'a2'],
        ['replaces', 'z', 'z2'],
        ['suggested-label', 'room', 'room2'],
      ],
      added: [],
      retired: [],
      untraced: ['room'],
    },
    {
      description: 'the same label in another role is not suggested',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'room', label: 'Room patient', lane: 'front' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 'a2', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { id: 'room2', label: 'Room patient', lane: 'ma' },
        { id: 'z2', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
      matches: [
        ['replaces', 'a', 'a2'],
        ['replaces', 'z', 'z2'],
      ],
      added: ['room2'],
      retired: [],
      untraced: ['room'],
    },
    {
      description: 'a future step with replaces gets no suggestion, even with a same-label current step',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'check', label: 'Check in', lane: 'front' },
        { id: 'old', label: 'Check in', lane: 'front', kind: 'task' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 'a2', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { id: 'check2', label: 'Check in', lane: 'front', replaces: ['check'] },
        { id: 'z2', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
      matches: [
        ['replaces', 'a', 'a2'],
        ['replaces', 'check', 'check2'],
        ['replaces', 'z', 'z2'],
      ],
      added: [],
      retired: [],
      untraced: ['old'],
    },
    {
      description: 'never by id: equal ids with different labels and no replaces match nothing',
      current: [
        { id: 's1', label: 'Arrive', lane: 'front' },
        { id: 's2', label: 'Fax referral', lane: 'front' },
        { id: 's3', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 's1', label: 'Book online', lane: 'front' },
        { id: 's2', label: 'Send e-referral', lane: 'front' },
        { id: 's3', label: 'Closed', lane: 'front' },
      ],
      matches: [],
      added: ['s1', 's2', 's3'],
      retired: [],
      untraced: ['s1', 's2', 's3'],
    },
    {
      description: 'lanes with other ids but the same name pair up, so their steps are suggested',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'room', label: 'Room patient', lane: 'ma' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      futureLanes: [
        { id: 'L1', name: 'front DESK', staff: 2 },
        { id: 'L2', name: 'Medical assistants', staff: 3 },
      ],
      future: [
        { id: 'a', label: 'Arrive', lane: 'L1' },
        { id: 'room', label: 'Room patient', lane: 'L2' },
        { id: 'z', label: 'Done', lane: 'L1' },
      ],
      matches: [
        ['suggested-label', 'a', 'a'],
        ['suggested-label', 'room', 'room'],
        ['suggested-label', 'z', 'z'],
      ],
      added: [],
      retired: [],
      untraced: ['a', 'room', 'z'],
    },
    {
      description: 'retired steps are removed on purpose; the others are untraced',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'carry', label: 'Carry superbill', lane: 'front' },
        { id: 'copy', label: 'Copy insurance card', lane: 'front' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 'a2', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { id: 'z2', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
      futureExtra: { retired: ['carry'] },
      matches: [
        ['replaces', 'a', 'a2'],
        ['replaces', 'z', 'z2'],
      ],
      added: [],
      retired: ['carry'],
      untraced: ['copy'],
    },
    {
      description: 'suggestions can be switched off',
      current: [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
      future: [
        { id: 'a2', label: 'Arrive', lane: 'front' },
        { id: 'z2', label: 'Done', lane: 'front' },
      ],
      matches: [],
      added: ['a2', 'z2'],
      retired: [],
      untraced: ['a', 'z'],
    },
  ];

  it.each(table)('$description', (row) => {
    const current = workflow('current', [FRONT, MA], row.current);
    const future = workflow('future', row.futureLanes ?? [FRONT, MA], row.future, row.futureExtra);
    const options: CompareOptions = row.description.includes('switched off') ? { suggestLabels: false } : {};
    const result = compareWorkflows(current, future, options);
    expect(pairs(result)).toEqual(row.matches);
    expect(result.added.map((a) => a.step.stepId)).toEqual(row.added);
    expect(result.removed.retired.map((r) => r.step.stepId)).toEqual(row.retired);
    expect(result.removed.untraced.map((r) => r.step.stepId)).toEqual(row.untraced);
    expect(result.dangling).toEqual([]);
  });

  it('lists a suggestion on the untraced current step too, so the analyst can confirm it', () => {
    const current = workflow(
      'current',
      [FRONT],
      [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
    );
    const future = workflow(
      'future',
      [FRONT],
      [
        { id: 'b', label: 'arrive', lane: 'front' },
        { id: 'y', label: 'Closed', lane: 'front' },
      ],
    );
    const result = compareWorkflows(current, future);
    expect(
      result.removed.untraced.map((r) => [r.step.stepId, r.suggestedMatches.map((s) => s.stepId)]),
    ).toEqual([
      ['a', ['b']],
      ['z', []],
    ]);
  });

  it('reports replaces and retired ids that name no current step, and carries on', () => {
    const current = workflow(
      'current',
      [FRONT],
      [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'z', label: 'Done', lane: 'front' },
      ],
    );
    const future = workflow(
      'future',
      [FRONT],
      [
        { id: 'a2', label: 'Arrive', lane: 'front', replaces: ['a', 'ghost'] },
        { id: 'z2', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
      { retired: ['gone'] },
    );
    const result = compareWorkflows(current, future);
    expect(result.dangling).toEqual([
      { field: 'replaces', futureStepId: 'a2', currentStepId: 'ghost' },
      { field: 'retired', currentStepId: 'gone' },
    ]);
    expect(pairs(result)).toEqual([
      ['replaces', 'a', 'a2'],
      ['replaces', 'z', 'z2'],
    ]);
  });
});

describe('compareWorkflows: attribute changes of a matched pair', () => {
  const before: StepInput = {
    id: 'old',
    label: 'Approve',
    lane: 'front',
    kind: 'approval',
    medium: 'paper',
    system: 'Paper form',
    touchMin: 3,
    waitMin: 25,
    clicks: 0,
    enters: ['fee.tier', 'fee.reason'],
  };
  const table: { description: string; after: Partial<Step>; changes: AttributeChange[] }[] = [
    { description: 'nothing changed', after: {}, changes: [] },
    {
      description: 'kind',
      after: { kind: 'task' },
      changes: [{ attribute: 'kind', before: 'approval', after: 'task' }],
    },
    {
      description: 'medium and system',
      after: { medium: 'digital', system: 'EHR' },
      changes: [
        { attribute: 'medium', before: 'paper', after: 'digital' },
        { attribute: 'system', before: 'Paper form', after: 'EHR' },
      ],
    },
    {
      description: 'system spelled in another case is the same system',
      after: { system: ' paper  FORM' },
      changes: [],
    },
    {
      description: 'lane (by name)',
      after: { lane: 'ma' },
      changes: [{ attribute: 'lane', before: 'Front desk', after: 'Medical assistant' }],
    },
    {
      description: 'touch, wait and clicks with deltas',
      after: { touchMin: 2, waitMin: 22, clicks: 14 },
      changes: [
        { attribute: 'touchMin', before: 3, after: 2, delta: -1 },
        { attribute: 'waitMin', before: 25, after: 22, delta: -3 },
        { attribute: 'clicks', before: 0, after: 14, delta: 14 },
      ],
    },
    {
      description: 'data items entered',
      after: { enters: ['fee.tier', 'fee.approver'] },
      changes: [
        {
          attribute: 'enters',
          before: ['fee.tier', 'fee.reason'],
          after: ['fee.tier', 'fee.approver'],
          added: ['fee.approver'],
          removed: ['fee.reason'],
        },
      ],
    },
    {
      description: 'the same items in another order',
      after: { enters: ['fee.reason', 'fee.tier'] },
      changes: [],
    },
  ];
  it.each(table)('$description', ({ after, changes }) => {
    const current = workflow(
      'current',
      [FRONT, MA],
      [{ id: 'a', label: 'Arrive', lane: 'front' }, before, { id: 'z', label: 'Done', lane: 'front' }],
    );
    const future = workflow(
      'future',
      [FRONT, MA],
      [
        { id: 'a', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { ...before, id: 'new', ...after, replaces: ['old'] },
        { id: 'z', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
    );
    const match = compareWorkflows(current, future).matches.find((m) => m.future.stepId === 'new');
    expect(match?.changes).toEqual(changes);
  });
});

describe('compareWorkflows: metric deltas', () => {
  const current = workflow(
    'current',
    [FRONT, MA],
    [
      { id: 'a', label: 'Arrive', lane: 'front', touchMin: 0 },
      { id: 'b', label: 'Register', lane: 'front', touchMin: 4, waitMin: 10, clicks: 10, enters: ['x', 'y'] },
      { id: 'c', label: 'Room', lane: 'ma', touchMin: 3, clicks: 5 },
      { id: 'z', label: 'Done', lane: 'ma', touchMin: 0 },
    ],
  );
  const table: {
    description: string;
    future: StepInput[];
    better: string[];
    worse: string[];
    same: string[];
  }[] = [
    {
      description: 'the same workflow: nothing better or worse',
      future: current.steps.map((s) => ({ ...s, replaces: [s.id] })),
      better: [],
      worse: [],
      same: ['touchMin', 'waitMin', 'cycleMin', 'handoffs', 'clicks', 'dataEntries', 'maxUtilisation'],
    },
    {
      description: 'less touch, wait and entry; more clicks; one handoff fewer',
      future: [
        { id: 'a', label: 'Arrive', lane: 'front', touchMin: 0 },
        { id: 'b', label: 'Register', lane: 'front', touchMin: 2, clicks: 20, enters: ['x'] },
        { id: 'c', label: 'Room', lane: 'front', touchMin: 3, clicks: 5 },
        { id: 'z', label: 'Done', lane: 'front', touchMin: 0 },
      ],
      better: ['touchMin', 'waitMin', 'cycleMin', 'handoffs', 'dataEntries'],
      worse: ['clicks', 'maxUtilisation'],
      same: [],
    },
  ];
  it.each(table)('$description', ({ future, better, worse, same }) => {
    const result = compareWorkflows(current, workflow('future', [FRONT, MA], future));
    const deltas = result.metrics.deltas;
    expect(deltas.map((d) => d.metric)).toEqual([
      'touchMin',
      'waitMin',
      'cycleMin',
      'handoffs',
      'clicks',
      'dataEntries',
      'maxUtilisation',
    ]);
    expect(deltas.filter((d) => d.better).map((d) => d.metric)).toEqual(better);
    expect(deltas.filter((d) => d.worse).map((d) => d.metric)).toEqual(worse);
    expect(deltas.filter((d) => !d.better && !d.worse).map((d) => d.metric)).toEqual(same);
    for (const d of deltas) {
      expect(Math.sign(d.delta)).toBe(d.better ? -1 : d.worse ? 1 : 0);
      if (d.better || d.worse) expect(d.delta).toBeCloseTo(d.future - d.current, 12);
    }
  });

  it('gives the numbers behind each delta', () => {
    const future = workflow(
      'future',
      [FRONT, MA],
      [
        { id: 'a', label: 'Arrive', lane: 'front', touchMin: 0 },
        { id: 'b', label: 'Register', lane: 'front', touchMin: 2, clicks: 20, enters: ['x'] },
        { id: 'z', label: 'Done', lane: 'ma', touchMin: 0 },
      ],
    );
    const touch = compareWorkflows(current, future).metrics.deltas.find((d) => d.metric === 'touchMin');
    expect(touch).toEqual({
      metric: 'touchMin',
      current: 7,
      future: 2,
      delta: -5,
      better: true,
      worse: false,
    });
  });

  it('an unstable lane makes the cycle time infinitely worse, not NaN', () => {
    const slow = workflow(
      'future',
      [{ ...FRONT, staff: 1 }, MA],
      [
        { id: 'a', label: 'Arrive', lane: 'front', touchMin: 0 },
        { id: 'b', label: 'Register', lane: 'front', touchMin: 30 },
        { id: 'z', label: 'Done', lane: 'ma', touchMin: 0 },
      ],
    );
    const cycle = compareWorkflows(current, slow).metrics.deltas.find((d) => d.metric === 'cycleMin');
    expect(cycle).toMatchObject({
      future: Number.POSITIVE_INFINITY,
      delta: Number.POSITIVE_INFINITY,
      worse: true,
    });
    const both = compareWorkflows({ ...slow, state: 'current', baseline: undefined }, slow).metrics.deltas;
    expect(both.find((d) => d.metric === 'cycleMin')).toMatchObject({
      delta: 0,
      better: false,
      worse: false,
    });
  });

  it('says why there are no deltas when a workflow traps cases in a loop', () => {
    const trapped = workflow(
      'future',
      [FRONT],
      [
        { id: 'a', label: 'Arrive', lane: 'front' },
        { id: 'b', label: 'Loop one', lane: 'front' },
        { id: 'c', label: 'Loop two', lane: 'front', kind: 'task' },
      ],
    );
    trapped.flows.push({ from: 'c', to: 'b', transfer: 'none' });
    const result = compareWorkflows(current, trapped);
    expect(result.metrics.deltas).toEqual([]);
    expect(result.metrics.problems.map((p) => [p.state, p.problem.kind, p.problem.stepIds])).toEqual([
      ['future', 'trapped-loop', ['b', 'c']],
    ]);
    expect(result.roles.length).toBeGreaterThan(0); // the rest of the comparison still stands
  });
});

describe('compareWorkflows: findings resolved, introduced, persisting', () => {
  interface F extends ComparableFinding {
    rule: string;
    stepIds: string[];
    message: string;
  }
  const current = workflow(
    'current',
    [FRONT, MA],
    [
      { id: 'a', label: 'Arrive', lane: 'front' },
      { id: 'paper', label: 'Paper intake', lane: 'front' },
      { id: 'rekey', label: 'Re-key intake', lane: 'front' },
      { id: 'meds', label: 'Enter meds', lane: 'ma' },
      { id: 'approve', label: 'Approve', lane: 'front', kind: 'approval' },
      { id: 'z', label: 'Done', lane: 'front' },
    ],
  );
  // other ids on purpose: findings must be matched through replaces, not by id equality
  const future = workflow(
    'future',
    [FRONT, MA],
    [
      { id: 'f-a', label: 'Arrive', lane: 'front', replaces: ['a'] },
      { id: 'f-portal', label: 'Portal intake', lane: 'front', replaces: ['paper', 'rekey'] },
      { id: 'f-meds', label: 'Enter meds', lane: 'ma', replaces: ['meds'] },
      { id: 'f-approve', label: 'Approve', lane: 'front', kind: 'approval', replaces: ['approve'] },
      { id: 'f-coapprove', label: 'Co-approve', lane: 'front', kind: 'approval' },
      { id: 'f-z', label: 'Done', lane: 'front', replaces: ['z'] },
    ],
  );
  const f = (rule: string, stepIds: string[], message = rule): F => ({ rule, stepIds, message });
  const table: {
    description: string;
    current: F[];
    future: F[];
    resolved: string[];
    introduced: string[];
    persisting: Array<[string, string, 'same-steps' | 'overlapping-steps']>;
  }[] = [
    {
      description: 'a finding on steps that trace to each other persists (same steps)',
      current: [f('duplicate-entry', ['paper', 'rekey', 'meds'], 'c-dup')],
      future: [f('duplicate-entry', ['f-portal', 'f-meds'], 'f-dup')],
      resolved: [],
      introduced: [],
      persisting: [['c-dup', 'f-dup', 'same-steps']],
    },
    {
      description: 'the same rule on partly the same steps persists (overlapping steps)',
      current: [f('duplicate-entry', ['rekey', 'meds'], 'c-dup')],
      future: [f('duplicate-entry', ['f-meds', 'f-coapprove'], 'f-dup')],
      resolved: [],
      introduced: [],
      persisting: [['c-dup', 'f-dup', 'overlapping-steps']],
    },
    {
      description: 'another rule on the same steps is resolved + introduced',
      current: [f('manual-transcription', ['paper', 'rekey'], 'c-mt')],
      future: [f('click-burden', ['f-portal'], 'f-cb')],
      resolved: ['c-mt'],
      introduced: ['f-cb'],
      persisting: [],
    },
    {
      description: 'same rule on unrelated steps is resolved + introduced, even with equal ids',
      current: [f('serial-approval', ['approve'], 'c-sa')],
      future: [f('serial-approval', ['f-coapprove'], 'f-sa'), f('click-burden', ['approve'], 'f-x')],
      resolved: ['c-sa'],
      introduced: ['f-sa', 'f-x'],
      persisting: [],
    },
    {
      description: 'a future finding may point at baseline steps',
      current: [],
      future: [f('untraced-current-step', ['approve'], 'f-u')],
      resolved: [],
      introduced: ['f-u'],
      persisting: [],
    },
    {
      description: 'workflow-wide findings (no steps) pair by rule',
      current: [f('handoff-increase', [], 'c-h'), f('structure', [], 'c-s')],
      future: [f('handoff-increase', [], 'f-h')],
      resolved: ['c-s'],
      introduced: [],
      persisting: [['c-h', 'f-h', 'same-steps']],
    },
    {
      description: 'exact matches are paired before overlapping ones, each finding once',
      current: [f('duplicate-entry', ['paper', 'meds'], 'c1'), f('duplicate-entry', ['rekey'], 'c2')],
      future: [f('duplicate-entry', ['f-portal', 'f-meds'], 'f1'), f('duplicate-entry', ['f-portal'], 'f2')],
      resolved: [],
      introduced: [],
      persisting: [
        ['c1', 'f1', 'same-steps'],
        ['c2', 'f2', 'same-steps'],
      ],
    },
  ];
  it.each(table)('$description', (row) => {
    const result = compareWorkflows(current, future, {
      currentFindings: row.current,
      futureFindings: row.future,
    });
    expect(result.findings?.resolved.map((x) => x.message)).toEqual(row.resolved);
    expect(result.findings?.introduced.map((x) => x.message)).toEqual(row.introduced);
    expect(result.findings?.persisting.map((p) => [p.current.message, p.future.message, p.match])).toEqual(
      row.persisting,
    );
  });

  it('looks up the steps of baseline-step rules in the current workflow first, even when ids collide', () => {
    // the future reuses the id "approve" for an unrelated step
    const reused = workflow(
      'future',
      [FRONT, MA],
      [
        { id: 'f-a', label: 'Arrive', lane: 'front', replaces: ['a'] },
        { id: 'approve', label: 'Something else', lane: 'front' },
        { id: 'f-z', label: 'Done', lane: 'front', replaces: ['z'] },
      ],
    );
    const currentFindings = [f('custom-baseline-rule', ['approve'], 'c')];
    const futureFindings = [f('custom-baseline-rule', ['approve'], 'f')];
    const own = compareWorkflows(current, reused, { currentFindings, futureFindings });
    expect(own.findings?.persisting).toEqual([]);
    const baselineFirst = compareWorkflows(current, reused, {
      currentFindings,
      futureFindings,
      baselineStepRules: ['custom-baseline-rule'],
    });
    expect(baselineFirst.findings?.persisting.map((p) => p.match)).toEqual(['same-steps']);
  });

  it('has no findings part when no findings were given', () => {
    expect(compareWorkflows(current, future).findings).toBeUndefined();
  });

  it('does not trace findings through suggested matches', () => {
    const suggestedOnly = workflow(
      'future',
      [FRONT, MA],
      [
        { id: 'f-a', label: 'Arrive', lane: 'front' },
        { id: 'f-z', label: 'Done', lane: 'front' },
      ],
    );
    const result = compareWorkflows(current, suggestedOnly, {
      currentFindings: [f('structure', ['a'], 'c')],
      futureFindings: [f('structure', ['f-a'], 'f')],
    });
    expect(result.matches.map((m) => m.by)).toEqual(['suggested-label', 'suggested-label']);
    expect(result.findings?.persisting).toEqual([]);
  });
});

describe('compareWorkflows: role impact', () => {
  const current = workflow(
    'current',
    [FRONT, MA, { id: 'fax', name: 'Fax room', staff: 1 }],
    [
      { id: 'a', label: 'Arrive', lane: 'front', system: 'None' },
      { id: 'rekey', label: 'Re-key intake', lane: 'front', system: 'Legacy EHR', enters: ['address'] },
      {
        id: 'vitals-paper',
        label: 'Vitals on paper',
        lane: 'ma',
        medium: 'paper',
        system: 'Flowsheet',
        enters: ['bp'],
      },
      { id: 'type-vitals', label: 'Type vitals', lane: 'ma', system: 'Legacy EHR', enters: ['bp'] },
      { id: 'room', label: 'Room patient', lane: 'ma', system: 'Exam room' },
      { id: 'fax-it', label: 'Fax referral', lane: 'fax', medium: 'fax', system: 'Fax machine' },
      { id: 'carry', label: 'Carry superbill', lane: 'front', medium: 'paper', system: 'Paper' },
      { id: 'z', label: 'Done', lane: 'front', system: 'Legacy EHR' },
    ],
  );
  const PATIENT: Lane = { id: 'pt', name: 'Patient', staff: 0 };
  const future = workflow(
    'future',
    [
      PATIENT,
      { id: 'desk', name: 'front desk', staff: 3 },
      { id: 'assist', name: 'Medical Assistant', staff: 2 },
    ],
    [
      { id: 'a', label: 'Arrive', lane: 'desk', system: 'None', replaces: ['a'] },
      {
        id: 'portal',
        label: 'Portal pre-registration',
        lane: 'pt',
        system: 'Portal',
        enters: ['address'],
        replaces: ['rekey'],
      },
      {
        id: 'device',
        label: 'Vitals from monitor',
        lane: 'assist',
        replaces: ['vitals-paper', 'type-vitals'],
      },
      { id: 'room', label: 'Room patient', lane: 'assist', system: 'Exam room', replaces: ['room'] },
      { id: 'attest', label: 'Attest fall risk', lane: 'assist', kind: 'decision', enters: ['fall.risk'] },
      { id: 'eref', label: 'Fax referral', lane: 'desk', system: 'EHR' },
      { id: 'z', label: 'Done', lane: 'desk', system: 'EHR', replaces: ['z'] },
    ],
    { retired: ['carry'] },
  );
  const result = compareWorkflows(current, future);
  const role = (name: string) => {
    const found = result.roles.find((r) => r.name === name);
    if (!found) throw new Error(`no role ${name}`);
    return found;
  };

  it('pairs lanes by name and lists roles in process order, appearing and disappearing ones included', () => {
    expect(result.roles.map((r) => [r.name, r.status, r.currentLaneId, r.futureLaneId])).toEqual([
      ['front desk', 'changed', 'front', 'desk'],
      ['Patient', 'added', null, 'pt'],
      ['Medical Assistant', 'changed', 'ma', 'assist'],
      ['Fax room', 'removed', 'fax', null],
    ]);
    expect(result.lanes.map((l) => [l.name, l.current?.staff ?? null, l.future?.staff ?? null])).toEqual([
      ['front desk', 2, 3],
      ['Patient', null, 0],
      ['Medical Assistant', 2, 2],
      ['Fax room', 1, null],
    ]);
  });

  it('a role gains new work and work moved in from other roles', () => {
    expect(role('Medical Assistant').gains.map((g) => g.step.stepId)).toEqual(['attest']);
    const patient = role('Patient');
    expect(patient.gains.map((g) => [g.step.stepId, g.instead.map((i) => i.step.stepId)])).toEqual([
      ['portal', ['rekey']],
    ]);
    expect(patient.gains[0]?.instead[0]?.changes.map((c) => c.attribute)).toContain('lane');
  });

  it('a role does differently the steps replaced in the role, many-to-one shown step by step', () => {
    const ma = role('Medical Assistant');
    expect(ma.changes.map((c) => [c.step.stepId, c.instead.map((i) => i.step.stepId)])).toEqual([
      ['device', ['vitals-paper', 'type-vitals']],
    ]);
    expect(ma.unchanged.map((s) => s.stepId)).toEqual(['room']);
  });

  it('a role loses steps moved to other roles, retired or untraced', () => {
    expect(
      role('front desk').loses.map((l) => [l.step.stepId, l.reason, l.movedTo.map((m) => m.stepId)]),
    ).toEqual([
      ['rekey', 'moved', ['portal']],
      ['carry', 'retired', []],
    ]);
    expect(role('Fax room').loses.map((l) => [l.step.stepId, l.reason])).toEqual([['fax-it', 'untraced']]);
  });

  it('names the systems a role newly uses and the data it newly enters (and what it stops)', () => {
    const desk = role('front desk');
    expect(desk.newSystems).toEqual(['EHR']);
    expect(desk.retiredSystems).toEqual(['Legacy EHR', 'Paper']); // "None" is no system
    expect(desk.newDataItems).toEqual([]);
    expect(desk.droppedDataItems).toEqual(['address']);
    const ma = role('Medical Assistant');
    expect(ma.newSystems).toEqual(['EHR']);
    expect(ma.retiredSystems).toEqual(['Flowsheet', 'Legacy EHR']);
    expect(ma.newDataItems).toEqual(['fall.risk']);
    expect(ma.droppedDataItems).toEqual(['bp']);
    expect(role('Patient').newSystems).toEqual(['Portal']);
  });

  it('carries each role’s staff and load before and after', () => {
    expect(role('front desk').load.current?.staff).toBe(2);
    expect(role('front desk').load.future?.staff).toBe(3);
    expect(role('Patient').load).toMatchObject({ current: null, future: { staff: 0, utilisation: null } });
    expect(role('Fax room').load.future).toBeNull();
    expect(role('Fax room').load.current?.utilisation).toBeCloseTo((6 * 1) / 60 / 1, 12);
  });

  it('an unchanged pair of workflows gives unchanged roles and nothing to learn', () => {
    const same = workflow(
      'future',
      current.lanes,
      current.steps.map((s) => ({ ...s, replaces: [s.id] })),
    );
    const again = compareWorkflows(current, same);
    expect(again.roles.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    for (const r of again.roles) {
      expect([r.gains, r.loses, r.changes, r.newSystems, r.newDataItems]).toEqual([[], [], [], [], []]);
    }
  });
});
