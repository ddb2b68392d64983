/**
 * Conformance reads a design as the analysis does (graph.ts): a start reached by a message from a
 * step of the workflow is no case entry (its pool runs beside the sender's, once per message), and
 * an ad-hoc sub-process (several inner first steps, no start inside) does all its inner paths, in
 * any interleaving. A sub-process is read as the log records it (by its inner steps, as one
 * activity, or both), and a pool started by messages runs as many times at once as the log shows.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Step, StepKind, Workflow } from '../../../formats/workflow.ts';
import { importBpmn } from '../bpmn/importBpmn.ts';
import { conform, readingTexts } from './conform.ts';
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

describe('conform: a sub-process is read as the log records it', () => {
  const typed = (s: Step, type: NonNullable<Step['bpmn']>['type']): Step => ({ ...s, bpmn: { type } });
  // start → intake → sp [its own start event → a → b → its own end event] → next → end, as import makes it
  const withEvents = (type: NonNullable<Step['bpmn']>['type']) =>
    design(
      [
        step('start', 'start'),
        step('intake'),
        typed(step('sp'), type),
        typed(step('in', 'task', 'sp'), 'startEvent'),
        step('a', 'task', 'sp'),
        step('b', 'task', 'sp'),
        typed(step('out', 'task', 'sp'), 'endEvent'),
        step('next'),
        step('end', 'end'),
      ],
      ['start>intake', 'intake>sp', 'sp>in', 'in>a', 'a>b', 'b>out', 'out>next', 'next>end'],
    );

  it.each(['subProcess', 'transaction'] as const)(
    'a %s with its own start event conforms by its inner steps, or named as one activity',
    (type) => {
      const sp = withEvents(type);
      const inner = check(sp, [['intake', 'a', 'b', 'next']]);
      expect(inner).toMatchObject({
        conformingCases: 1,
        skipped: {},
        inserted: {},
        subProcesses: { sp: 'inner' },
      });
      const outer = check(sp, [['intake', 'sp', 'next']]);
      expect(outer).toMatchObject({
        conformingCases: 1,
        skipped: {},
        inserted: {},
        subProcesses: { sp: 'outer' },
      });
      expect(outer.times.sp).toBeDefined();
      const both = check(sp, [['intake', 'sp', 'a', 'b', 'next']]);
      expect(both).toMatchObject({ conformingCases: 1, subProcesses: { sp: 'both' } });
      // the reading still finds drift: an inner step left out, a sub-process left out
      expect(check(sp, [['intake', 'a', 'next']]).skipped).toEqual({ b: 1 });
      expect(
        check(sp, [
          ['intake', 'sp', 'next'],
          ['intake', 'next'],
        ]).skipped,
      ).toEqual({ sp: 1 });
    },
  );

  it('says in words which reading it used', () => {
    const sp = withEvents('subProcess');
    const label = (id: string) => (id === 'sp' ? 'Lab work' : id);
    expect(readingTexts(check(sp, [['intake', 'a', 'b', 'next']]), label)).toEqual([
      'Sub-process "Lab work" was checked by the steps inside it, as the log records them.',
    ]);
    expect(readingTexts(check(sp, [['intake', 'sp', 'next']]), label)).toEqual([
      'Sub-process "Lab work" was checked as one activity: the log names it, never the steps inside it.',
    ]);
    // several sub-processes read alike are named in one sentence
    const two = design(
      [
        step('start', 'start'),
        step('sp'),
        step('a', 'task', 'sp'),
        step('sq'),
        step('b', 'task', 'sq'),
        step('sr'),
        step('c', 'task', 'sr'),
        step('end', 'end'),
      ],
      ['start>sp', 'sp>a', 'a>sq', 'sq>b', 'b>sr', 'sr>c', 'c>end'],
    );
    expect(readingTexts(check(two, [['a', 'b', 'sr']]), (id) => id.toUpperCase())).toEqual([
      'Sub-processes "SP" and "SQ" were checked by the steps inside them, as the log records them.',
      'Sub-process "SR" was checked as one activity: the log names it, never the steps inside it.',
    ]);
    expect(check(design([step('start', 'start'), step('end', 'end')], ['start>end']), []).subProcesses).toBe(
      undefined,
    );
  });

  it('a start event drawn inside a sub-process is no way for a case to enter', () => {
    const sp = design(
      [
        step('start', 'start'),
        step('intake'),
        step('sp'),
        step('in', 'start', 'sp'),
        step('a', 'task', 'sp'),
        step('next'),
        step('end', 'end'),
      ],
      ['start>intake', 'intake>sp', 'sp>in', 'in>a', 'a>next', 'next>end'],
    );
    expect(check(sp, [['intake', 'a', 'next']]).conformingCases).toBe(1);
    expect(check(sp, [['a', 'next']]).skipped).toEqual({ intake: 1 });
  });

  it('an ad-hoc sub-process named as one activity conforms without its inner steps', () => {
    const adHoc = design(
      [
        step('start', 'start'),
        typed(step('sp'), 'adHocSubProcess'),
        step('a', 'task', 'sp'),
        step('c', 'task', 'sp'),
        step('next'),
        step('end', 'end'),
      ],
      ['start>sp', 'sp>a', 'sp>c', 'a>next', 'c>next', 'next>end'],
    );
    expect(check(adHoc, [['sp', 'next']])).toMatchObject({
      conformingCases: 1,
      subProcesses: { sp: 'outer' },
    });
    expect(check(adHoc, [['c', 'a', 'next']])).toMatchObject({
      conformingCases: 1,
      subProcesses: { sp: 'inner' },
    });
    expect(check(adHoc, [['a', 'next']]).skipped).toEqual({ c: 1 });
  });
});

describe('conform: a pool started by messages runs as many times at once as the log shows', () => {
  // the clinic: start → order → again? → order … or end; the lab: in → steps… → out
  const orders = (labSteps: string[]) =>
    design(
      [
        step('start', 'start'),
        step('order'),
        step('again', 'decision'),
        step('end', 'end'),
        step('in', 'start'),
        ...labSteps.map((id) => step(id)),
        step('out', 'end'),
      ],
      [
        'start>order',
        'order>again',
        'again>order',
        'again>end',
        ...['in', ...labSteps, 'out'].slice(1).map((to, k, list) => `${k === 0 ? 'in' : list[k - 1]}>${to}`),
      ],
      [{ from: 'order', to: 'in' }],
    );

  it('three lab orders sent before the first result conform', () => {
    const result = check(orders(['test']), [
      ['order', 'order', 'order', 'test', 'test', 'test'],
      ['order', 'test', 'order', 'order', 'test', 'test'],
    ]);
    expect(result).toMatchObject({ conformingCases: 2, skipped: {}, inserted: {} });
    expect(result.messageStarts).toEqual({ in: { runsAtOnce: 3, casesBeyond: 0 } });
    expect(readingTexts(result, (id) => id)).toEqual([]);
  });

  it('says so when the design cannot follow as many runs at once as a case started', () => {
    const lab = ['t1', 't2', 't3', 't4', 't5'];
    const tenOrders = Array.from({ length: 10 }, () => 'order');
    const result = check(orders(lab), [[...tenOrders, ...tenOrders.flatMap(() => lab)]]);
    const labCheck = result.messageStarts?.in;
    expect(labCheck?.runsAtOnce).toBeLessThan(10);
    expect(labCheck?.runsAtOnce).toBeGreaterThanOrEqual(2);
    expect(labCheck?.casesBeyond).toBe(1);
    expect(result.conformingCases).toBe(0);
    expect(readingTexts(result, (id) => (id === 'in' ? 'Lab order received' : id))).toEqual([
      `The work started by "Lab order received" was checked with at most ${labCheck?.runsAtOnce} runs under way at once (the most the designed workflow can be followed with); 1 case started more than that. Where more were under way at once, their work was not checked against the designed workflow and shows as done out of place.`,
    ]);
  });
});

describe('conform: an imported Camunda 7 model with a sub-process, against its engine-style log', () => {
  it('conforms when the log records the inner tasks, or names the sub-process alone', async () => {
    const xml = readFileSync(
      new URL('../../../../tests/fixtures/bpmn-vendors/camunda7-referral-triage.bpmn', import.meta.url),
      'utf8',
    );
    const imported = await importBpmn(xml);
    const workflow = imported.workflow as Workflow;
    const tail = ['Score priority', 'Update waiting list'];
    const engine = conform(
      logOf([
        ['Review referral', 'Find slot within 2 weeks', 'Confirm slot with patient', ...tail],
        ['Review referral', 'Send appointment letter', ...tail],
      ]),
      workflow,
    );
    expect(engine).toMatchObject({ conformingCases: 2, skipped: {}, inserted: {} });
    expect(Object.values(engine.subProcesses ?? {})).toEqual(['inner']);
    const outer = conform(logOf([['Review referral', 'Book urgent slot', ...tail]]), workflow);
    expect(outer).toMatchObject({ conformingCases: 1, skipped: {}, inserted: {} });
    expect(Object.values(outer.subProcesses ?? {})).toEqual(['outer']);
  });
});

describe('conform: any sub-process, either reading (property)', () => {
  it('a case logged by inner steps or by the sub-process alone conforms; an inner step left out is skipped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.constantFrom('subProcess', 'transaction') as fc.Arbitrary<'subProcess' | 'transaction'>,
        fc.nat(),
        (before, innerCount, after, events, type, drop) => {
          const outerBefore = Array.from({ length: before }, (_, k) => `b${k}`);
          const inner = Array.from({ length: innerCount }, (_, k) => `i${k}`);
          const outerAfter = Array.from({ length: after }, (_, k) => `a${k}`);
          const innerChain = events ? ['in', ...inner, 'out'] : inner;
          const steps: Step[] = [
            step('start', 'start'),
            ...outerBefore.map((id) => step(id)),
            { ...step('sp'), bpmn: { type } },
            ...innerChain.map((id) => ({
              ...step(id, 'task', 'sp'),
              ...(id === 'in' ? { bpmn: { type: 'startEvent' as const } } : {}),
              ...(id === 'out' ? { bpmn: { type: 'endEvent' as const } } : {}),
            })),
            ...outerAfter.map((id) => step(id)),
            step('end', 'end'),
          ];
          const chain = ['start', ...outerBefore, 'sp', ...innerChain, ...outerAfter, 'end'];
          const workflow = design(
            steps,
            chain.slice(1).map((to, k) => `${chain[k]}>${to}`),
          );
          const byInner = check(workflow, [[...outerBefore, ...inner, ...outerAfter]]);
          expect(byInner).toMatchObject({ conformingCases: 1, subProcesses: { sp: 'inner' } });
          const byOuter = check(workflow, [[...outerBefore, 'sp', ...outerAfter]]);
          expect(byOuter).toMatchObject({ conformingCases: 1, subProcesses: { sp: 'outer' } });
          if (inner.length > 1) {
            const left = inner[drop % inner.length] as string;
            const skipped = check(workflow, [
              [...outerBefore, ...inner.filter((id) => id !== left), ...outerAfter],
            ]);
            expect(skipped.skipped).toEqual({ [left]: 1 });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
