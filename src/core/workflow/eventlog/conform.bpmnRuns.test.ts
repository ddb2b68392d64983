/**
 * Conformance reads a design as the analysis does (graph.ts): a start reached by a message from a
 * step of the workflow is no case entry (its pool runs beside the sender's, once per message), and
 * an ad-hoc sub-process (several inner first steps, no start inside) does all its inner paths, in
 * any interleaving.
 */
import { describe, expect, it } from 'vitest';
import type { Step, StepKind, Workflow } from '../../../formats/workflow.ts';
import { conform } from './conform.ts';
import { readCsvLogText } from './csvLog.ts';

const step = (id: string, kind: StepKind = 'task', within?: string): Step => ({
  id,
  label: id,
  lane: 'staff',
  kind,
  medium: 'digital',
  system: 'EHR',
  touchMin: 0,
  waitMin: 0,
  clicks: 0,
  enters: [],
  ...(within ? { within } : {}),
});

function design(steps: Step[], flows: string[], messageFlows?: Workflow['messageFlows']): Workflow {
  return {
    format: 'preflight.workflow/v1',
    id: 'design',
    name: 'Design',
    state: 'future',
    arrivalsPerHour: 1,
    lanes: [{ id: 'staff', name: 'Staff', staff: 1 }],
    steps,
    flows: flows.map((f) => {
      const [from, to] = f.split('>') as [string, string];
      return { from, to, transfer: 'electronic' as const };
    }),
    ...(messageFlows ? { messageFlows } : {}),
  };
}

/** One case per trace, activities one minute apart. */
function logOf(traces: string[][]) {
  const rows = ['case,activity,time'];
  traces.forEach((trace, c) => {
    trace.forEach((activity, k) => {
      rows.push(`c${c},${activity},${new Date(Date.UTC(2026, 0, 5, 8, k)).toISOString()}`);
    });
  });
  return readCsvLogText(rows.join('\n'), {
    mapping: { case: 'case', activity: 'activity', timestamp: 'time' },
  }).log;
}

const check = (workflow: Workflow, traces: string[][]) => conform(logOf(traces), workflow);

describe('conform: an ad-hoc sub-process does every inner path', () => {
  // start → sp (inner a → b, and c; no start inside) → next → end
  const adHoc = design(
    [
      step('start', 'start'),
      step('sp'),
      step('a', 'task', 'sp'),
      step('b', 'task', 'sp'),
      step('c', 'task', 'sp'),
      step('next'),
      step('end', 'end'),
    ],
    ['start>sp', 'sp>a', 'sp>c', 'a>b', 'b>next', 'c>next', 'next>end'],
  );

  it('a case doing both inner paths conforms, in any interleaving', () => {
    const result = check(adHoc, [
      ['sp', 'a', 'b', 'c', 'next'],
      ['sp', 'c', 'a', 'b', 'next'],
      ['sp', 'a', 'c', 'b', 'next'],
    ]);
    expect(result.inserted).toEqual({});
    expect(result.skipped).toEqual({});
    expect(result.conformingCases).toBe(3);
    expect(result.fitness).toBe(1);
    // with a start event inside, its inner first steps stay a choice
    const started: Workflow = { ...adHoc, steps: [...adHoc.steps, step('in', 'start', 'sp')] };
    expect(check(started, [['sp', 'a', 'b', 'c', 'next']]).conformingCases).toBe(0);
  });

  it('an inner path left out is a skipped step, not a choice', () => {
    const result = check(adHoc, [['sp', 'a', 'b', 'next']]);
    expect(result.skipped).toEqual({ c: 1 });
    expect(result.inserted).toEqual({});
  });

  it('a sub-process the log never names is silent, as an unlogged split is', () => {
    const result = check(adHoc, [['a', 'c', 'b', 'next']]);
    expect(result.skipped).toEqual({});
    expect(result.conformingCases).toBe(1);
  });
});

describe('conform: a pool started by a message is no separate case entry', () => {
  // the clinic: start → order → bill → end; the lab: in (started by the order's message) → test → out
  const twoPools = design(
    [
      step('start', 'start'),
      step('order'),
      step('bill'),
      step('end', 'end'),
      step('in', 'start'),
      step('test'),
      step('out', 'end'),
    ],
    ['start>order', 'order>bill', 'bill>end', 'in>test', 'test>out'],
    [{ from: 'order', to: 'in' }],
  );

  it("the lab's work beside the clinic's conforms, in any interleaving after the order", () => {
    const result = check(twoPools, [
      ['order', 'test', 'bill'],
      ['order', 'bill', 'test'],
    ]);
    expect(result.inserted).toEqual({});
    expect(result.skipped).toEqual({});
    expect(result.conformingCases).toBe(2);
    // the lab cannot work before it is sent the order
    expect(check(twoPools, [['test', 'order', 'bill']]).conformingCases).toBe(0);
  });

  it("a case without the lab's work skipped it: the order's message starts it every time", () => {
    const result = check(twoPools, [['order', 'bill']]);
    expect(result.skipped).toEqual({ test: 1 });
  });

  it("the lab's work alone is not a case that entered at the lab", () => {
    const result = check(twoPools, [['test']]);
    expect(result.skipped).toEqual({ order: 1, bill: 1 });
  });

  it('a sender inside a loop starts its pool once per time round, with no end of markings', () => {
    // the clinic: start → order → again? → order … or end; the lab as above
    const looped = design(
      [
        step('start', 'start'),
        step('order'),
        step('again', 'decision'),
        step('end', 'end'),
        step('in', 'start'),
        step('test'),
        step('out', 'end'),
      ],
      ['start>order', 'order>again', 'again>order', 'again>end', 'in>test', 'test>out'],
      [{ from: 'order', to: 'in' }],
    );
    const result = check(looped, [
      ['order', 'test', 'order', 'test'],
      ['order', 'order', 'test', 'test'],
      ['order', 'order', 'test'],
    ]);
    expect(result.conformingCases).toBe(2);
    expect(result.skipped).toEqual({ test: 1 });
  });
});
