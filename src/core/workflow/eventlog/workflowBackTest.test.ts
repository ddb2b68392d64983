/**
 * A back-test kept in the project holds only the format's fields and knows the workflow it was
 * made on: the same workflow (even with its keys in another order, as after storage or import) is
 * current, any edit — staff, a time, a name — makes it stale, another workflow's is not this one's.
 */
import { describe, expect, it } from 'vitest';
import { validateWorkflowBackTest } from '../../../formats/generated/validators.js';
import { fixtureWorkflow, fixtureWorkflowBackTest } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import type { BackTest } from './backTest.ts';
import { backTestFreshness, workflowBackTestOf } from './workflowBackTest.ts';

const tested = fixtureWorkflow('w1');
const stored = fixtureWorkflowBackTest('w1').result;
/** A result as the core gives it: with the fields the project does not keep. */
const live: BackTest = {
  ...stored,
  steps: stored.steps.map((s) => ({
    ...s,
    simulatedMeanMin: {
      ...s.simulatedMeanMin,
      halfWidth: s.simulatedMeanMin.high - s.simulatedMeanMin.mean,
      n: 20,
    },
    simulatedMedianMin: { mean: 4, low: 3.5, high: 4.5, halfWidth: 0.5, n: 20 },
  })),
};

/** The same workflow with every object's keys in reverse order. */
function reordered<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reordered) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reordered(v)]),
    ) as T;
  return value;
}

describe('workflowBackTestOf', () => {
  it('keeps the figures per step, valid for the project format, without the simulated medians', () => {
    const kept = workflowBackTestOf(
      tested,
      { name: 'march.csv', sha256: 'a'.repeat(64) },
      '2025-04-02T09:30:00.000Z',
      live,
    );
    expect(kept).toEqual({
      ...fixtureWorkflowBackTest('w1'),
      log: { name: 'march.csv', sha256: 'a'.repeat(64) },
    });
    expect(validateWorkflowBackTest(kept)).toBe(true);
    expect(JSON.stringify(kept)).not.toContain('simulatedMedianMin');
  });

  it('keeps a log without a hash as its name alone', () => {
    const kept = workflowBackTestOf(tested, { name: 'march.csv' }, '2025-04-02T09:30:00.000Z', live);
    expect(kept.log).toEqual({ name: 'march.csv' });
    expect(validateWorkflowBackTest(kept)).toBe(true);
  });

  it('copies nothing a result object carries beyond the format', () => {
    const extra = {
      ...live,
      caseIds: ['MRN-1'],
      steps: live.steps.map((s) => ({ ...s, people: ['Dr Secret'] })),
    };
    const json = JSON.stringify(
      workflowBackTestOf(tested, { name: 'x.csv' }, '2025-04-02T09:30:00.000Z', extra),
    );
    for (const secret of ['MRN-1', 'Dr Secret', 'caseIds', 'people']) expect(json).not.toContain(secret);
  });
});

const kept = workflowBackTestOf(tested, { name: 'march.csv' }, '2025-04-02T09:30:00.000Z', live);
const CASES: { description: string; workflow: Workflow; expected: 'current' | 'stale' | 'other' }[] = [
  { description: 'the workflow as it was tested', workflow: fixtureWorkflow('w1'), expected: 'current' },
  {
    description: 'the same workflow, keys in another order',
    workflow: reordered(tested),
    expected: 'current',
  },
  {
    description: 'a nurse added',
    workflow: {
      ...tested,
      lanes: tested.lanes.map((l) => (l.id === 'nurse' ? { ...l, staff: l.staff + 1 } : l)),
    },
    expected: 'stale',
  },
  {
    description: 'a staff time changed',
    workflow: {
      ...tested,
      steps: tested.steps.map((s) => (s.id === 'form' ? { ...s, touchMin: s.touchMin + 1 } : s)),
    },
    expected: 'stale',
  },
  { description: 'renamed', workflow: { ...tested, name: 'Intake, revised' }, expected: 'stale' },
  { description: 'another workflow', workflow: fixtureWorkflow('w9'), expected: 'other' },
];

describe('backTestFreshness', () => {
  it.each(CASES)('$description: $expected', ({ workflow, expected }) => {
    expect(backTestFreshness(kept, workflow)).toBe(expected);
  });

  it('a kept back-test read back from JSON is current for the same workflow', () => {
    expect(backTestFreshness(JSON.parse(JSON.stringify(kept)), tested)).toBe('current');
  });
});
