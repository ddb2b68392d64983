/**
 * A go-live check kept in the project knows the workflow it was made on: the same workflow (even
 * with its keys in another order, as after storage or import) is current, any edit makes the check
 * stale, another workflow's check is not this one's.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFutureWorkflow, fixtureWorkflowCheck } from '../../../formats/testing/fixtures.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { checkFreshness, unfitLogReason, workflowCheckOf } from './workflowCheck.ts';

const checked = fixtureFutureWorkflow('w2');
const check = workflowCheckOf(
  checked,
  'golive.csv',
  '2025-03-14T16:20:00.000Z',
  fixtureWorkflowCheck().result,
);

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

const CASES: { description: string; workflow: Workflow; expected: 'current' | 'stale' | 'other' }[] = [
  {
    description: 'the workflow as it was checked',
    workflow: fixtureFutureWorkflow('w2'),
    expected: 'current',
  },
  {
    description: 'the same workflow, keys in another order',
    workflow: reordered(checked),
    expected: 'current',
  },
  {
    description: 'a planned time changed',
    workflow: {
      ...checked,
      steps: checked.steps.map((s) => (s.id === 'vitals' ? { ...s, touchMin: s.touchMin + 1 } : s)),
    },
    expected: 'stale',
  },
  {
    description: 'a step removed',
    workflow: {
      ...checked,
      steps: checked.steps.filter((s) => s.id !== 'kiosk'),
      flows: checked.flows.filter((f) => f.from !== 'kiosk' && f.to !== 'kiosk'),
    },
    expected: 'stale',
  },
  { description: 'renamed', workflow: { ...checked, name: 'Intake, revised' }, expected: 'stale' },
  { description: 'another workflow', workflow: fixtureFutureWorkflow('w3'), expected: 'other' },
];

describe('a kept go-live check and the workflow now', () => {
  it('records the log, the time and the hash of the workflow checked', () => {
    expect(check).toEqual({ ...fixtureWorkflowCheck('w2', checked), log: 'golive.csv' });
    expect(check.workflowSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(CASES)('$description: $expected', ({ workflow, expected }) => {
    expect(checkFreshness(check, workflow)).toBe(expected);
  });
});

describe("whether a check can be kept as its workflow's go-live check", () => {
  const result = fixtureWorkflowCheck().result;
  it.each([
    { description: 'a log that matched the workflow’s steps', result, expected: null },
    {
      description: 'a log none of whose activities matches a step',
      result: { ...result, matched: {} },
      expected: /none of the log’s activities matches a step/,
    },
    { description: 'a log with no cases', result: { ...result, cases: 0 }, expected: /no cases/ },
  ])('$description', ({ result, expected }) => {
    if (expected === null) expect(unfitLogReason(result)).toBeNull();
    else expect(unfitLogReason(result)).toMatch(expected);
  });
});
