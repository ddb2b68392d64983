/**
 * From a log to a finding to the what-if: a log with planted batching (refills approved in
 * batches of 3–6) measured onto the drawn current workflow, a future design that keeps the
 * clerk → approver hand-off, the `kept-handoff-wait` finding with the measured hours, and the
 * waiting that releasing the batch continuously saves.
 */
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { readCsvLogText } from '../eventlog/csvLog.ts';
import { ruleFindingsOf } from '../rootCauses.ts';
import { linear, step } from '../rules/testing/builders.ts';
import { analyzeWaits, batchGapWords, keptHandoffWaits, waitSaving, withWaitCauses } from './index.ts';
import { PLANTED_ACTIVITY, plantedLog } from './testing/plantedLogs.ts';

const MAPPING = { case: 'case', activity: 'activity', start: 'start', complete: 'end', resource: 'resource' };
const LANES = [
  { id: 'clerk', name: 'Clerk', staff: 1 },
  { id: 'approver', name: 'Approver', staff: 1 },
];

const drawnCurrent = linear(
  [
    step('register', { label: 'Register', lane: 'clerk' }),
    step('approve', {
      label: PLANTED_ACTIVITY.batching,
      lane: 'approver',
      kind: 'approval',
      medium: 'paper',
    }),
  ],
  { lanes: LANES, casesPerDay: 40 },
);

const future = (approverLane: string): Workflow =>
  linear(
    [
      step('intake', { label: 'Register online', lane: 'clerk', replaces: ['register'] }),
      step('esign', { label: 'Approve in the in-basket', lane: approverLane, replaces: ['approve'] }),
    ],
    { state: 'future', lanes: LANES, casesPerDay: 40 },
  );

function measured(): Workflow {
  const read = readCsvLogText(plantedLog(['batching'], 11), { mapping: MAPPING });
  return withWaitCauses(
    drawnCurrent,
    analyzeWaits(read.log, (ms) => ms),
  );
}

describe('a kept hand-off with batching measured in the log', () => {
  it('puts the split on the step whose label is the activity, and leaves the others', () => {
    const current = measured();
    const approve = current.steps.find((s) => s.id === 'approve');
    const causes = approve?.observed?.waitCauses;
    expect(causes?.cases).toBeGreaterThan(100);
    expect((causes?.hours.batching ?? 0) / (causes?.waitingHours ?? 1)).toBeGreaterThanOrEqual(0.9);
    expect(causes?.batches?.minSize).toBeGreaterThanOrEqual(2);
    expect(causes?.calendars?.[0]?.resource).toBe('Approver');
    // registering is a case's first activity: nothing waited before it
    expect(current.steps.find((s) => s.id === 'register')?.observed?.waitCauses).toBeUndefined();
  });

  it('becomes a kept-handoff-wait finding with the measured hours when the future keeps the hand-off', () => {
    const current = measured();
    const held = current.steps.find((s) => s.id === 'approve')?.observed?.waitCauses;
    const analysis = analyzeWorkflow(future('approver'), { baseline: current });
    const found = ruleFindingsOf(analysis.findings).filter((f) => f.rule === 'kept-handoff-wait');
    expect(found).toHaveLength(1);
    expect(found[0]?.stepIds).toEqual(['esign']);
    expect(found[0]?.evidence).toMatchObject({
      replacedStepId: 'approve',
      senders: ['Clerk'],
      role: 'Approver',
      batches: { count: held?.batches?.count },
    });
    expect(found[0]?.evidence.batchingHoursPerCase).toBeCloseTo(held?.hours.batching ?? 0, 4);
    expect(found[0]?.message).toContain('held for a batch');
    // the pause that told the batches apart, found in the log, is stated with its evidence
    expect(held?.batchGap).toBeDefined();
    expect(found[0]?.evidence).toMatchObject({ batchGap: held?.batchGap });
    expect(found[0]?.message).toContain(
      batchGapWords(held?.batchGap as NonNullable<typeof held>['batchGap'] & {}),
    );
    // the same design with the approval done by the clerk keeps no hand-off
    expect(keptHandoffWaits(future('clerk'), current, 5)).toEqual([]);
  });

  it('the what-if: releasing the batch continuously saves its measured hours per case', () => {
    const current = measured();
    const held = current.steps.find((s) => s.id === 'approve')?.observed?.waitCauses;
    const saving = waitSaving(future('approver'), current, ['batching'], 5);
    expect(saving.removed).toEqual(['batching']);
    expect(saving.steps.map((s) => s.stepId)).toEqual(['esign']);
    expect(saving.savedHoursPerCase).toBeCloseTo(held?.hours.batching ?? 0, 6);
    expect(saving.savedHoursPerDay).toBeCloseTo(saving.savedHoursPerCase * 40, 6);
    // causes that are not carried over save nothing; nothing removed, nothing saved
    expect(waitSaving(future('approver'), current, ['contention'], 5).savedHoursPerCase).toBe(0);
    expect(waitSaving(future('approver'), current, [], 5).savedHoursPerDay).toBe(0);
  });
});
