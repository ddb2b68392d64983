import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BOUNDARY_CHANCE,
  type Flow,
  type Step,
  type StepKind,
  type Workflow,
} from '../../formats/workflow.ts';
import { buildGraph, ENDS_APART, expectedVisits, reachableFrom, reachingTo } from './graph.ts';

function step(id: string, kind: StepKind = 'task'): Step {
  return {
    id,
    label: id,
    lane: 'l',
    kind,
    medium: 'digital',
    system: 'EHR',
    touchMin: 1,
    waitMin: 0,
    clicks: 0,
    enters: [],
  };
}

function flow(from: string, to: string, probability?: number): Flow {
  return probability === undefined
    ? { from, to, transfer: 'none' }
    : { from, to, probability, transfer: 'none' };
}

function workflow(steps: Step[], flows: Flow[]): Workflow {
  return {
    format: 'preflight.workflow/v1',
    id: 'w',
    name: 'w',
    state: 'current',
    arrivalsPerHour: 1,
    lanes: [{ id: 'l', name: 'Lane', staff: 1 }],
    steps,
    flows,
  };
}

const visitsOf = (w: Workflow) => Object.fromEntries(expectedVisits(buildGraph(w)).visits);

describe('expectedVisits', () => {
  it('a single path visits every step once', () => {
    const w = workflow(
      [step('s', 'start'), step('a'), step('b'), step('e', 'end')],
      [flow('s', 'a'), flow('a', 'b'), flow('b', 'e')],
    );
    expect(visitsOf(w)).toEqual({ s: 1, a: 1, b: 1, e: 1 });
  });

  it('a decision splits cases by its branch probabilities, and they join again', () => {
    const w = workflow(
      [step('s', 'start'), step('d', 'decision'), step('x'), step('y'), step('e', 'end')],
      [flow('s', 'd'), flow('d', 'x', 0.3), flow('d', 'y', 0.7), flow('x', 'e'), flow('y', 'e')],
    );
    const v = visitsOf(w);
    expect(v.x).toBeCloseTo(0.3, 12);
    expect(v.y).toBeCloseTo(0.7, 12);
    expect(v.e).toBeCloseTo(1, 12);
  });

  it('solves a rework loop exactly: sent back with 20 % → 1 / 0.8 visits', () => {
    const w = workflow(
      [step('s', 'start'), step('do'), step('check', 'decision'), step('e', 'end')],
      [flow('s', 'do'), flow('do', 'check'), flow('check', 'do', 0.2), flow('check', 'e', 0.8)],
    );
    const v = visitsOf(w);
    expect(v.do).toBeCloseTo(1.25, 12);
    expect(v.check).toBeCloseTo(1.25, 12);
    expect(v.e).toBeCloseTo(1, 12);
  });

  it('nested loops: visits multiply', () => {
    // inner loop repeats with 50 %, outer with 25 %: inner step visits = (1 / 0.75) · (1 / 0.5)
    const w = workflow(
      [step('s', 'start'), step('a'), step('in', 'decision'), step('out', 'decision'), step('e', 'end')],
      [
        flow('s', 'a'),
        flow('a', 'in'),
        flow('in', 'a', 0.5),
        flow('in', 'out', 0.5),
        flow('out', 'a', 0.25),
        flow('out', 'e', 0.75),
      ],
    );
    const v = visitsOf(w);
    expect(v.a).toBeCloseTo((1 / 0.75) * 2, 12);
    expect(v.out).toBeCloseTo(1 / 0.75, 12);
  });

  it('flows without a probability share what the others leave; a full set that misses 1 is scaled', () => {
    const shared = workflow(
      [step('s', 'start'), step('d', 'decision'), step('x'), step('y'), step('z')],
      [flow('s', 'd'), flow('d', 'x', 0.5), flow('d', 'y'), flow('d', 'z')],
    );
    expect(visitsOf(shared)).toMatchObject({ x: 0.5, y: 0.25, z: 0.25 });
    const draft = workflow(
      [step('s', 'start'), step('d', 'decision'), step('x'), step('y')],
      [flow('s', 'd'), flow('d', 'x', 0.2), flow('d', 'y', 0.2)],
    );
    expect(visitsOf(draft)).toMatchObject({ x: 0.5, y: 0.5 });
  });

  it('given chances over 1 beside a flow without one are scaled, so a loop never multiplies cases', () => {
    // as written, 1.25 cases leave d for each one that arrives (0.125 back to d, 1 to e, which
    // returns to d, and 0.125 out to x): the loop would bring back more than it lets out
    const over = workflow(
      [step('s', 'start'), step('d', 'decision'), step('e'), step('x', 'end'), step('y', 'end')],
      [
        flow('s', 'd'),
        flow('d', 'd', 0.125),
        flow('d', 'e', 1),
        flow('d', 'x', 0.125),
        flow('d', 'y'),
        flow('e', 'd'),
      ],
    );
    // scaled by 1.25: 0.1 back to d, 0.8 to e, 0.1 out, y none; every case leaves once, after 10 visits of d
    const visits = visitsOf(over);
    expect(visits.x).toBeCloseTo(1, 12);
    expect(visits.d).toBeCloseTo(10, 12);
    expect(visits.y).toBe(0);
  });

  it('reports a loop no case can leave instead of a number', () => {
    const w = workflow(
      [step('s', 'start'), step('a'), step('b'), step('e', 'end')],
      [flow('s', 'a'), flow('a', 'b'), flow('b', 'a')],
    );
    const result = expectedVisits(buildGraph(w));
    expect([...result.trapped].sort()).toEqual(['a', 'b']);
    expect(result.visits.get('a')).toBeNaN();
    expect(result.visits.get('e')).toBe(0);
    // the start leads into the trap but is itself visited once
    expect(result.visits.get('s')).toBe(1);
  });

  it('two starts share the arriving cases; no start means no visits; unreachable steps get 0', () => {
    const two = workflow(
      [step('s1', 'start'), step('s2', 'start'), step('a'), step('lost')],
      [flow('s1', 'a'), flow('s2', 'a')],
    );
    expect(visitsOf(two)).toEqual({ s1: 0.5, s2: 0.5, a: 1, lost: 0 });
    const none = workflow([step('a'), step('b')], [flow('a', 'b')]);
    expect(visitsOf(none)).toEqual({ a: 0, b: 0 });
  });

  it('ignores flows that name unknown steps (the format check reports them)', () => {
    const w = workflow([step('s', 'start'), step('a')], [flow('s', 'a'), flow('s', 'ghost')]);
    expect(visitsOf(w)).toEqual({ s: 1, a: 1 });
  });
});

describe('reachability', () => {
  const w = workflow(
    [step('s', 'start'), step('a'), step('b'), step('island'), step('e', 'end')],
    [flow('s', 'a'), flow('a', 'e'), flow('b', 'e')],
  );
  const graph = buildGraph(w);
  it('reachableFrom follows flows forward', () => {
    expect([...reachableFrom(graph, ['s'])].sort()).toEqual(['a', 'e', 's']);
  });
  it('reachingTo follows flows backward', () => {
    expect([...reachingTo(graph, ['e'])].sort()).toEqual(['a', 'b', 'e', 's']);
  });
});

describe('boundary events: an exception path with its own chance, never an even split', () => {
  const attached = (id: string, interrupting: boolean): Step => ({
    ...step(id, 'wait'),
    boundary: { attachedTo: 't', trigger: 'timer', interrupting },
  });
  const withBoundary = (b: Step, chance?: number) =>
    workflow(
      [step('s', 'start'), step('t'), b, step('next'), step('e', 'end')],
      [flow('s', 't'), flow('t', 'next'), flow('t', b.id, chance), flow(b.id, 'e'), flow('next', 'e')],
    );

  it('an interrupting event without a chance takes the stated default (5 %) from the normal path', () => {
    expect(DEFAULT_BOUNDARY_CHANCE).toBe(0.05);
    const visits = visitsOf(withBoundary(attached('late', true)));
    expect(visits.late).toBeCloseTo(0.05, 12);
    expect(visits.next).toBeCloseTo(0.95, 12);
  });

  it('a chance set on the flow is used', () => {
    const visits = visitsOf(withBoundary(attached('late', true), 0.2));
    expect(visits.late).toBeCloseTo(0.2, 12);
    expect(visits.next).toBeCloseTo(0.8, 12);
  });

  it('a non-interrupting event starts its path beside the normal path, which every case still takes', () => {
    const visits = visitsOf(withBoundary(attached('remind', false), 0.3));
    expect(visits.remind).toBeCloseTo(0.3, 12);
    expect(visits.next).toBeCloseTo(1, 12);
  });
});

describe('a split whose branches each end on their own', () => {
  it('is a block ending apart: every branch is visited, not one of them', () => {
    const w = workflow(
      [
        step('s', 'start'),
        step('p', 'parallel-split'),
        step('a'),
        step('b'),
        step('ea', 'end'),
        step('eb', 'end'),
      ],
      [flow('s', 'p'), flow('p', 'a'), flow('p', 'b'), flow('a', 'ea'), flow('b', 'eb')],
    );
    const graph = buildGraph(w);
    expect(graph.blocks).toEqual([
      {
        split: 'p',
        join: ENDS_APART,
        kind: 'parallel',
        branches: [
          ['a', 'ea'],
          ['b', 'eb'],
        ],
      },
    ]);
    expect(visitsOf(w)).toMatchObject({ a: 1, b: 1, ea: 1, eb: 1 });
  });

  it('is not when a branch comes back to the split (read as alternatives, as before)', () => {
    const w = workflow(
      [step('s', 'start'), step('p', 'parallel-split'), step('a'), step('b'), step('e', 'end')],
      [flow('s', 'p'), flow('p', 'a'), flow('p', 'b'), flow('a', 'p'), flow('b', 'e')],
    );
    expect(buildGraph(w).blocks).toEqual([]);
  });
});

describe('a message start in a second pool: visited once per message sent, not a case entry', () => {
  // the clinic's pool: s → order → e; the lab's pool: in (started by the order's message) → test → out
  const twoPools = (messages: Workflow['messageFlows']) => ({
    ...workflow(
      [
        step('s', 'start'),
        step('order'),
        step('e', 'end'),
        step('in', 'start'),
        step('test'),
        step('out', 'end'),
      ],
      [flow('s', 'order'), flow('order', 'e'), flow('in', 'test'), flow('test', 'out')],
    ),
    messageFlows: messages,
  });

  it("cases enter only at the clinic's start; the lab's steps take the sending step's visits", () => {
    const w = twoPools([{ from: 'order', to: 'in' }]);
    const graph = buildGraph(w);
    expect(graph.entries).toEqual(['s']);
    const visits = visitsOf(w);
    for (const id of ['s', 'order', 'e', 'in', 'test', 'out']) expect(visits[id]).toBeCloseTo(1, 12);
  });

  it('the message is no flow of the case: no edge joins the two pools', () => {
    const graph = buildGraph(twoPools([{ from: 'order', to: 'in' }]));
    expect(graph.outgoing.get('order')?.map((e) => e.to)).toEqual(['e']);
    expect(graph.incoming.get('in')).toEqual([]);
  });

  it('a sender visited less often sends fewer messages', () => {
    const w = twoPools([{ from: 'order', to: 'in' }]);
    w.steps.push(step('skip'));
    w.flows = [flow('s', 'order', 0.25), flow('s', 'skip', 0.75), flow('skip', 'e'), ...w.flows.slice(1)];
    const visits = visitsOf(w);
    expect(visits.order).toBeCloseTo(0.25, 12);
    expect(visits.test).toBeCloseTo(0.25, 12);
  });

  it('when every start is reached by a message, cases enter at every start as before', () => {
    const w = twoPools([
      { from: 'order', to: 'in' },
      { from: 'test', to: 's' },
    ]);
    expect(buildGraph(w).entries).toEqual(['s', 'in']);
    expect(visitsOf(w).test).toBeCloseTo(0.5, 12);
  });

  // A: s → order → e, whose order starts B; B: inB → b → outB, whose b starts C; C: inC → c → outC
  const chained = (cSends: boolean, extra: Partial<Workflow> = {}) => ({
    ...workflow(
      [
        step('s', 'start'),
        step('order'),
        step('e', 'end'),
        step('inB', 'start'),
        step('b'),
        step('outB', 'end'),
        step('inC', 'start'),
        step('c'),
        step('skip'),
        step('outC', 'end'),
      ],
      [
        flow('s', 'order'),
        flow('order', 'e'),
        flow('inB', 'b'),
        flow('b', 'outB'),
        flow('inC', 'c', cSends ? 1 : 0.5),
        flow('inC', 'skip', cSends ? 0 : 0.5),
        flow('c', 'outC'),
        flow('skip', 'outC'),
      ],
    ),
    messageFlows: [
      { from: 'order', to: 'inB' },
      { from: 'b', to: 'inC' },
      { from: 'c', to: 'inB' },
    ],
    ...extra,
  });

  it('pools that keep starting each other by message have no finite visits: reported, not a number', () => {
    const { visits, trapped, messageLoop } = expectedVisits(buildGraph(chained(true)));
    const endless = ['inB', 'b', 'outB', 'inC', 'c', 'outC'];
    expect([...messageLoop].sort()).toEqual([...endless].sort());
    expect([...trapped].sort()).toEqual([...endless].sort());
    for (const id of endless) expect(Number.isNaN(visits.get(id))).toBe(true);
    for (const id of ['s', 'order', 'e']) expect(visits.get(id)).toBe(1);
  });

  it('a message loop each visit of which brings fewer than one more is solved', () => {
    // C starts B again half the time: B = 1 + C/2 and C = B, so B = C = 2
    const { visits, trapped, messageLoop } = expectedVisits(buildGraph(chained(false)));
    expect(trapped).toEqual([]);
    expect(messageLoop).toEqual([]);
    expect(visits.get('b')).toBeCloseTo(2, 12);
    expect(visits.get('c')).toBeCloseTo(1, 12);
  });

  it('a message loop each visit of which brings more than one more is endless too', () => {
    // b starts C twice, and C starts B again whichever way it goes (c or skip): two more per visit
    const w = chained(false);
    w.messageFlows = [...(w.messageFlows ?? []), { from: 'b', to: 'inC' }, { from: 'skip', to: 'inB' }];
    const { visits, messageLoop } = expectedVisits(buildGraph(w));
    expect(messageLoop).toContain('b');
    expect(Number.isNaN(visits.get('b'))).toBe(true);
    expect(visits.get('order')).toBe(1);
  });

  it("the Camunda 7 two-pool export: the laboratory's steps are visited once per case", async () => {
    const { readFileSync } = await import('node:fs');
    const { importBpmn } = await import('./bpmn/importBpmn.ts');
    const xml = readFileSync(
      new URL('../../../tests/fixtures/bpmn-vendors/camunda7-lab-order-two-pools.bpmn', import.meta.url),
      'utf8',
    );
    const { workflow: w } = await importBpmn(xml);
    if (!w) throw new Error('the two-pool export did not import');
    const graph = buildGraph(w);
    expect(graph.entries).toHaveLength(1);
    const visits = expectedVisits(graph).visits;
    const tasks = w.steps.filter((s) => s.kind === 'task');
    expect(tasks.length).toBeGreaterThan(2);
    for (const task of tasks) expect([task.label, visits.get(task.id)]).toEqual([task.label, 1]);
  });
});

describe('a sub-process with several inner first steps and no start event does all of them', () => {
  // s → sp (inner: a, b, c; a → b) → next → e; the inner paths are a → b and c
  const inside = (id: string): Step => ({ ...step(id), within: 'sp' });
  const adHoc = workflow(
    [step('s', 'start'), step('sp'), inside('a'), inside('b'), inside('c'), step('next'), step('e', 'end')],
    [
      flow('s', 'sp'),
      flow('sp', 'a'),
      flow('sp', 'c'),
      flow('a', 'b'),
      flow('b', 'next'),
      flow('c', 'next'),
      flow('next', 'e'),
    ],
  );

  it('every inner step is visited once per case, and the step after it once', () => {
    const visits = visitsOf(adHoc);
    for (const id of ['sp', 'a', 'b', 'c', 'next', 'e']) expect([id, visits[id]]).toEqual([id, 1]);
  });

  it('is a parallel block joined at the step its inner paths lead to', () => {
    expect(buildGraph(adHoc).blocks).toEqual([
      { split: 'sp', join: 'next', kind: 'parallel', branches: [['a', 'b'], ['c']] },
    ]);
  });

  it('with a start event inside, its flows stay as they are', () => {
    const started = { ...adHoc, steps: [...adHoc.steps, { ...step('in', 'start'), within: 'sp' }] };
    expect(buildGraph(started).blocks).toEqual([]);
  });

  it('Bizagi\'s "Prepare patient to leave": both inner tasks once, the transport decision once', async () => {
    const { readFileSync } = await import('node:fs');
    const { importBpmn } = await import('./bpmn/importBpmn.ts');
    const xml = readFileSync(
      new URL('../../../tests/fixtures/bpmn-vendors/bizagi-inpatient-discharge.bpmn', import.meta.url),
      'utf8',
    );
    const { workflow: w } = await importBpmn(xml);
    if (!w) throw new Error('the Bizagi export did not import');
    const visits = expectedVisits(buildGraph(w)).visits;
    const inner = w.steps.filter((s) => s.within !== undefined);
    expect(inner).toHaveLength(2);
    for (const s of inner) expect([s.label, visits.get(s.id)]).toEqual([s.label, 1]);
    const after = w.steps.find((s) => s.id.endsWith('-transport'));
    expect(visits.get(after?.id ?? '')).toBe(1);
  });
});

describe("a step's unconditioned flows out (BPMN's implicit parallel split)", () => {
  const timed = (id: string, touchMin: number, kind: StepKind = 'task') => ({ ...step(id, kind), touchMin });
  // check results → two reviews at once → both done (a parallel join) → end
  const joined = workflow(
    [
      step('s', 'start'),
      timed('a', 5),
      timed('fast', 10),
      timed('slow', 30),
      step('j', 'parallel-join'),
      step('e', 'end'),
    ],
    [
      flow('s', 'a'),
      flow('a', 'fast'),
      flow('a', 'slow'),
      flow('fast', 'j'),
      flow('slow', 'j'),
      flow('j', 'e'),
    ],
  );

  it('is a parallel block closed by a parallel join: every branch once, cycle time by the longest', async () => {
    const { computeMetrics } = await import('./metrics.ts');
    const graph = buildGraph(joined);
    expect(graph.blocks).toEqual([
      { split: 'a', join: 'j', kind: 'parallel', branches: [['fast'], ['slow']] },
    ]);
    expect(visitsOf(joined)).toEqual({ s: 1, a: 1, fast: 1, slow: 1, j: 1, e: 1 });
    // no queueing (no arrivals), so the time is the steps' own
    const metrics = computeMetrics({ ...joined, arrivalsPerHour: 0 });
    if (!metrics.ok) throw new Error('no metrics');
    // 1 (start) + 5 + max(10, 30) + 1 (join) + 1 (end): the shorter branch runs beside the longer
    expect(metrics.metrics.cycleMin).toBeCloseTo(38, 9);
  });

  it('is a block when each branch reaches an end of its own', () => {
    const apart = workflow(
      [step('s', 'start'), step('a'), step('x'), step('y'), step('e1', 'end'), step('e2', 'end')],
      [flow('s', 'a'), flow('a', 'x'), flow('a', 'y'), flow('x', 'e1'), flow('y', 'e2')],
    );
    expect(buildGraph(apart).blocks).toEqual([
      {
        split: 'a',
        join: ENDS_APART,
        kind: 'parallel',
        branches: [
          ['e1', 'x'],
          ['e2', 'y'],
        ],
      },
    ]);
    expect(visitsOf(apart)).toEqual({ s: 1, a: 1, x: 1, y: 1, e1: 1, e2: 1 });
  });

  it('stays an even choice when its branches meet at a step that is no parallel join', () => {
    const merged = workflow(
      [step('s', 'start'), step('a'), step('x'), step('y'), step('m'), step('e', 'end')],
      [flow('s', 'a'), flow('a', 'x'), flow('a', 'y'), flow('x', 'm'), flow('y', 'm'), flow('m', 'e')],
    );
    expect(buildGraph(merged).blocks).toEqual([]);
    expect(visitsOf(merged)).toMatchObject({ x: 0.5, y: 0.5, m: 1 });
  });

  it('is no split when a flow carries a chance or a condition, or the step is a decision', () => {
    const flows = [flow('s', 'a'), flow('x', 'j'), flow('y', 'j'), flow('j', 'e')];
    const steps = [
      step('s', 'start'),
      step('a'),
      step('x'),
      step('y'),
      step('j', 'parallel-join'),
      step('e', 'end'),
    ];
    const chance = workflow(steps, [...flows, flow('a', 'x', 0.5), flow('a', 'y')]);
    const condition = workflow(steps, [...flows, { ...flow('a', 'x'), branch: 'condition' }, flow('a', 'y')]);
    const decision = workflow(
      steps.map((s) => (s.id === 'a' ? { ...s, kind: 'decision' as const } : s)),
      [...flows, flow('a', 'x'), flow('a', 'y')],
    );
    for (const w of [chance, condition, decision]) {
      expect(buildGraph(w).blocks).toEqual([]);
      expect(visitsOf(w)).toMatchObject({ x: 0.5, y: 0.5 });
    }
  });
});
