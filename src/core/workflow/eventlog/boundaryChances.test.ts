import { describe, expect, it } from 'vitest';
import { applyEdit } from '../edit/changes.ts';
import { flow, step, workflow } from '../testing/builders.ts';
import { applyBoundaryChances, boundaryChanceEdit, estimateBoundaryChances } from './boundaryChances.ts';
import { readCsvLogText } from './csvLog.ts';

// a triage task with an interrupting timer (escalate to the doctor) and a non-interrupting message
// (call the pharmacy while triage goes on); a registration step nobody logs a boundary path of
const design = workflow(
  [{ id: 'n', name: 'Nurse', staff: 2 }],
  [
    step('s', 'n', 0, { kind: 'start' }),
    step('triage', 'n', 5, { label: 'Triage' }),
    step('late', 'n', 0, {
      kind: 'wait',
      boundary: { attachedTo: 'triage', trigger: 'timer', interrupting: true },
    }),
    step('escalate', 'n', 3, { label: 'Escalate' }),
    step('msg', 'n', 0, {
      kind: 'wait',
      boundary: { attachedTo: 'triage', trigger: 'message', interrupting: false },
    }),
    step('pharmacy', 'n', 2, { label: 'Call pharmacy' }),
    step('treat', 'n', 10, { label: 'Treat' }),
    step('bill', 'n', 2, { label: 'Bill' }),
    step('billTimer', 'n', 0, {
      kind: 'wait',
      boundary: { attachedTo: 'bill', trigger: 'timer', interrupting: true },
    }),
    step('chase', 'n', 2, { label: 'Chase payment' }),
    step('e', 'n', 0, { kind: 'end' }),
  ],
  [
    flow('s', 'triage'),
    flow('triage', 'treat'),
    flow('triage', 'late', 0.3),
    flow('late', 'escalate'),
    flow('escalate', 'treat'),
    flow('triage', 'msg'),
    flow('msg', 'pharmacy'),
    flow('pharmacy', 'e'),
    flow('treat', 'bill'),
    flow('bill', 'e'),
    flow('bill', 'billTimer'),
    flow('billTimer', 'chase'),
    flow('chase', 'e'),
  ],
);

// 6 cases; "Treat" in case 6 never happens after triage; "Bill" is never logged, "Chase payment"
// neither; "Print form" matches no step and is passed over
const LOG = [
  'case,activity,timestamp',
  ...[
    ['1', ['Triage', 'Treat']],
    ['2', ['Triage', 'Escalate', 'Treat']],
    ['3', ['Triage', 'Print form', 'Escalate', 'Treat']],
    ['4', ['Triage', 'Treat', 'Call pharmacy']],
    ['5', ['Triage', 'Call pharmacy', 'Escalate', 'Treat']],
    ['6', ['Register']],
  ].flatMap(([id, activities]) =>
    (activities as string[]).map((a, k) => `${id},${a},2026-01-05T08:${String(10 + k).padStart(2, '0')}:00Z`),
  ),
].join('\n');

function read(text = LOG) {
  const result = readCsvLogText(text, {
    mapping: { case: 'case', activity: 'activity', timestamp: 'timestamp' },
  });
  expect(result.problems.list()).toEqual([]);
  return result.log;
}

describe('boundary chances measured from a log', () => {
  it('counts, of the cases doing the task, those that go on to the exception path', () => {
    const estimates = estimateBoundaryChances(read(), design);
    expect(estimates).toEqual([
      // interrupting: the next logged step after triage is Escalate in cases 2 and 3 (the
      // workaround between is passed over); in case 5 the message path comes first
      {
        flowIndex: 2,
        taskId: 'triage',
        boundaryId: 'late',
        current: 0.3,
        firstSteps: ['escalate'],
        estimate: { chance: 2 / 5, cases: 2, ofCases: 5 },
      },
      // non-interrupting: Call pharmacy anywhere after triage, cases 4 and 5
      {
        flowIndex: 5,
        taskId: 'triage',
        boundaryId: 'msg',
        firstSteps: ['pharmacy'],
        estimate: { chance: 2 / 5, cases: 2, ofCases: 5 },
      },
      // Bill never occurs: no estimate rather than a chance of 0
      {
        flowIndex: 10,
        taskId: 'bill',
        boundaryId: 'billTimer',
        firstSteps: [],
        noEstimate: 'task-not-in-log',
      },
    ]);
  });

  it('gives no estimate when the path cannot be matched, and reads a logged boundary event itself', () => {
    const billed = `${LOG}\n7,Bill,2026-01-05T09:00:00Z\n8,Bill,2026-01-05T09:00:00Z\n8,Timer,2026-01-05T09:05:00Z`;
    const [, , bill] = estimateBoundaryChances(read(billed), design);
    expect(bill).toMatchObject({ firstSteps: [], noEstimate: 'path-not-in-log' });
    const [, , mapped] = estimateBoundaryChances(read(billed), design, {
      activityMap: { Timer: 'billTimer' },
    });
    expect(mapped).toMatchObject({
      firstSteps: ['billTimer'],
      estimate: { chance: 1 / 2, cases: 1, ofCases: 2 },
    });
  });

  it('gives no estimate when the path goes straight to where the normal path goes', () => {
    const skipping = {
      ...design,
      flows: design.flows.map((f) => (f.from === 'late' ? { ...f, to: 'treat' } : f)),
    };
    const [late] = estimateBoundaryChances(read(), skipping);
    expect(late).toMatchObject({ firstSteps: [], noEstimate: 'path-not-distinct' });
    expect(late?.estimate).toBeUndefined();
  });

  it('sets the measured chances on the exception paths and leaves the rest alone', () => {
    const estimates = estimateBoundaryChances(read(), design);
    const applied = applyBoundaryChances(design, estimates);
    expect(applied.flows.map((f) => f.probability)).toEqual([
      undefined,
      undefined,
      0.4,
      undefined,
      undefined,
      0.4,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(design.flows[2]?.probability).toBe(0.3);
    expect(applyBoundaryChances(applied, estimates)).toBe(applied);
  });

  it('is one edit, undone at once', () => {
    const estimates = estimateBoundaryChances(read(), design);
    const edit = boundaryChanceEdit(design, estimates);
    expect(edit).toEqual({
      type: 'batch',
      edits: [
        { type: 'flow/update', from: 'triage', to: 'late', patch: { probability: 0.4 } },
        { type: 'flow/update', from: 'triage', to: 'msg', patch: { probability: 0.4 } },
      ],
    });
    const done = applyEdit(design, edit as NonNullable<typeof edit>);
    expect(applyEdit(done.workflow, done.inverse).workflow.flows).toEqual(design.flows);
    expect(boundaryChanceEdit(done.workflow, estimates)).toBeUndefined();
  });
});
