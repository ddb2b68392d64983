/**
 * Conformance across parallel and inclusive gateways, on small designs written out here: the
 * activities of parallel branches conform in any interleaving, a branch left out of a parallel
 * block is a skipped step, an inclusive block takes any non-empty set of its branches, and a split
 * whose branches never join is read as a decision, as the analysis reads it. Properties: seeded
 * random interleavings of random blocks fit exactly, and a dropped activity is found as the step
 * skipped, never as anything inserted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Step, StepKind, Workflow } from '../../../formats/workflow.ts';
import { mulberry32 } from '../simulate.ts';
import { conform, MAX_DESIGN_MARKINGS, UnrunnableWorkflowError } from './conform.ts';
import { readCsvLogText } from './csvLog.ts';

const step = (id: string, kind: StepKind = 'task'): Step => ({
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
});

/**
 * A design from a compact text: `kind:id` declares a step (task by default), `a>b` a flow.
 * `start` and `end` are the start and end steps.
 */
function design(steps: Record<string, StepKind>, flows: string[]): Workflow {
  return {
    format: 'preflight.workflow/v1',
    id: 'design',
    name: 'Design',
    state: 'future',
    arrivalsPerHour: 1,
    lanes: [{ id: 'staff', name: 'Staff', staff: 1 }],
    steps: [
      step('start', 'start'),
      ...Object.entries(steps).map(([id, kind]) => step(id, kind)),
      step('end', 'end'),
    ],
    flows: flows.map((f) => {
      const [from, to] = f.split('>') as [string, string];
      return { from, to, transfer: 'electronic' as const };
    }),
  };
}

/** One case per trace, activities one minute apart. */
function logOf(traces: string[][]) {
  const rows = ['case,activity,time'];
  traces.forEach((trace, c) => {
    trace.forEach((activity, k) => {
      rows.push(
        `c${String(c).padStart(4, '0')},${activity},${new Date(Date.UTC(2026, 0, 5, 8, k)).toISOString()}`,
      );
    });
  });
  const read = readCsvLogText(rows.join('\n'), {
    mapping: { case: 'case', activity: 'activity', timestamp: 'time' },
  });
  // a one-event case is a log too short to discover from, and still a case to check
  expect(read.problems.list().filter((p) => p.code !== 'too-few-events')).toEqual([]);
  return read.log;
}

/** start → A → parallel split → B, C → parallel join → D → end */
const parallel = design(
  { A: 'task', split: 'parallel-split', B: 'task', C: 'task', join: 'parallel-join', D: 'task' },
  ['start>A', 'A>split', 'split>B', 'split>C', 'B>join', 'C>join', 'join>D', 'D>end'],
);
/** as {@link parallel}, with an inclusive split and join */
const inclusive = design(
  { A: 'task', split: 'inclusive-split', B: 'task', C: 'task', join: 'inclusive-join', D: 'task' },
  ['start>A', 'A>split', 'split>B', 'split>C', 'B>join', 'C>join', 'join>D', 'D>end'],
);
/** three branches, one of two steps: B, then E; C; F */
const threeWay = design(
  {
    A: 'task',
    split: 'parallel-split',
    B: 'task',
    E: 'task',
    C: 'task',
    F: 'task',
    join: 'parallel-join',
    D: 'task',
  },
  [
    'start>A',
    'A>split',
    'split>B',
    'B>E',
    'E>join',
    'split>C',
    'C>join',
    'split>F',
    'F>join',
    'join>D',
    'D>end',
  ],
);
/** a parallel block inside a loop: after the join a decision goes back to A, or ends */
const looped = design(
  { A: 'task', split: 'parallel-split', B: 'task', C: 'task', join: 'parallel-join', again: 'decision' },
  ['start>A', 'A>split', 'split>B', 'split>C', 'B>join', 'C>join', 'join>again', 'again>A', 'again>end'],
);
/** a parallel split whose branches never meet: read as a decision */
const unjoined = design({ split: 'parallel-split', B: 'task', C: 'task' }, [
  'start>split',
  'split>B',
  'split>C',
  'B>end',
  'C>end',
]);
/** an inclusive block nested in a branch of a parallel one */
const nested = design(
  {
    A: 'task',
    and: 'parallel-split',
    B: 'task',
    or: 'inclusive-split',
    C: 'task',
    E: 'task',
    orJoin: 'inclusive-join',
    andJoin: 'parallel-join',
    D: 'task',
  },
  [
    'start>A',
    'A>and',
    'and>B',
    'B>andJoin',
    'and>or',
    'or>C',
    'or>E',
    'C>orJoin',
    'E>orJoin',
    'orJoin>andJoin',
    'andJoin>D',
    'D>end',
  ],
);

describe('conformance across gateways', () => {
  it.each<{
    what: string;
    workflow: Workflow;
    trace: string;
    skipped?: Record<string, number>;
    inserted?: Record<string, number>;
    fitness?: number;
  }>([
    { what: 'parallel: the branches in file order', workflow: parallel, trace: 'A B C D' },
    { what: 'parallel: the branches the other way round', workflow: parallel, trace: 'A C B D' },
    {
      what: 'parallel: a branch left out is a skipped step',
      workflow: parallel,
      trace: 'A B D',
      skipped: { C: 1 },
      // cost 1 over 3 events + the 4 steps of the shortest run
      fitness: 1 - 1 / 7,
    },
    { what: 'parallel: both branches left out', workflow: parallel, trace: 'A D', skipped: { B: 1, C: 1 } },
    { what: 'parallel: a branch done twice', workflow: parallel, trace: 'A B C C D', inserted: { C: 1 } },
    { what: 'three branches interleaved', workflow: threeWay, trace: 'A C B F E D' },
    { what: 'three branches, the long one first', workflow: threeWay, trace: 'A B E F C D' },
    { what: 'inclusive: one branch', workflow: inclusive, trace: 'A B D' },
    { what: 'inclusive: the other branch', workflow: inclusive, trace: 'A C D' },
    { what: 'inclusive: both, in any order', workflow: inclusive, trace: 'A C B D' },
    { what: 'a parallel block in a loop, twice', workflow: looped, trace: 'A B C A C B' },
    {
      what: 'a parallel block in a loop: a branch left out of the second round',
      workflow: looped,
      trace: 'A B C A B',
      skipped: { C: 1 },
    },
    { what: 'a split that never joins is a decision', workflow: unjoined, trace: 'B' },
    { what: 'a split that never joins: the other way', workflow: unjoined, trace: 'C' },
    { what: 'a split that never joins: one way twice', workflow: unjoined, trace: 'B B', inserted: { B: 1 } },
    {
      what: 'nested: the inclusive branch interleaved with the parallel one',
      workflow: nested,
      trace: 'A E B C D',
    },
    { what: 'nested: one inclusive branch', workflow: nested, trace: 'A C B D' },
    { what: 'nested: the parallel branch left out', workflow: nested, trace: 'A C D', skipped: { B: 1 } },
  ])('$what', ({ workflow, trace, skipped = {}, inserted = {}, fitness }) => {
    const result = conform(logOf([trace.split(' ')]), workflow);
    expect(result.skipped).toEqual(skipped);
    expect(result.inserted).toEqual(inserted);
    const deviates = Object.keys(skipped).length + Object.keys(inserted).length > 0;
    expect(result.conformingCases).toBe(deviates ? 0 : 1);
    if (fitness !== undefined) expect(result.fitness).toBeCloseTo(fitness, 5);
    if (!deviates) expect(result.fitness).toBe(1);
    // the gateways are never logged: routing, never skipped
    for (const id of ['split', 'join', 'and', 'or', 'orJoin', 'andJoin'])
      expect(result.skipped[id]).toBeUndefined();
  });

  it('inclusive: no branch at all is one skipped step, whichever', () => {
    const result = conform(logOf([['A', 'D']]), inclusive);
    expect(Object.values(result.skipped)).toEqual([1]);
    expect(['B', 'C']).toContain(Object.keys(result.skipped)[0]);
    expect(result.inserted).toEqual({});
  });

  it('refuses a design whose parallel branches never stop multiplying', () => {
    // a parallel split inside a loop whose branches loop back without ever joining
    const runaway = design({ split: 'parallel-split', B: 'task', C: 'task', join: 'parallel-join' }, [
      'start>split',
      'split>B',
      'split>C',
      'B>split',
      'C>join',
      'B>join',
      'join>end',
    ]);
    expect(() => conform(logOf([['B', 'C']]), runaway)).toThrow(UnrunnableWorkflowError);
    expect(() => conform(logOf([['B', 'C']]), runaway)).toThrow(String(MAX_DESIGN_MARKINGS));
  });
});

/** A random parallel or inclusive block: per branch, a chain of distinct activity names. */
interface Block {
  kind: 'parallel' | 'inclusive';
  branches: string[][];
}

function blockDesign(block: Block): Workflow {
  const steps: Record<string, StepKind> = {
    split: block.kind === 'parallel' ? 'parallel-split' : 'inclusive-split',
    join: block.kind === 'parallel' ? 'parallel-join' : 'inclusive-join',
  };
  const flows = ['start>split', 'join>end'];
  for (const branch of block.branches) {
    branch.forEach((activity, k) => {
      steps[activity] = 'task';
      flows.push(`${k === 0 ? 'split' : branch[k - 1]}>${activity}`);
    });
    flows.push(`${branch[branch.length - 1]}>join`);
  }
  return design(steps, flows);
}

/** Interleaves the chains at random (each keeps its order), from `seed`. */
function interleave(chains: string[][], seed: number): string[] {
  const random = mulberry32(seed);
  const at = chains.map(() => 0);
  const out: string[] = [];
  for (;;) {
    const open = chains.map((_, k) => k).filter((k) => (at[k] as number) < (chains[k] as string[]).length);
    if (open.length === 0) return out;
    const k = open[Math.floor(random() * open.length)] as number;
    out.push((chains[k] as string[])[at[k] as number] as string);
    at[k] = (at[k] as number) + 1;
  }
}

const blocks = fc
  .record({
    kind: fc.constantFrom<'parallel' | 'inclusive'>('parallel', 'inclusive'),
    lengths: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
  })
  .map(
    ({ kind, lengths }): Block => ({
      kind,
      branches: lengths.map((n, b) => Array.from({ length: n }, (_, k) => `B${b}S${k}`)),
    }),
  );

describe('conformance across gateways: properties', () => {
  it('any interleaving of the branches fits exactly (an inclusive block: of any non-empty set)', () => {
    fc.assert(
      fc.property(blocks, fc.integer(), fc.integer({ min: 1, max: 15 }), (block, seed, taken) => {
        const chosen =
          block.kind === 'parallel' ? block.branches : block.branches.filter((_, b) => (taken >> b) & 1);
        const branches = chosen.length > 0 ? chosen : [block.branches[0] as string[]];
        const traces = [0, 1, 2].map((k) => interleave(branches, seed + k));
        const result = conform(logOf(traces), blockDesign(block));
        expect(result).toMatchObject({ conformingCases: 3, fitness: 1, skipped: {}, inserted: {} });
      }),
      { numRuns: 60 },
    );
  });

  it('a dropped activity of a parallel branch is that step skipped, nothing inserted', () => {
    fc.assert(
      fc.property(blocks, fc.integer(), fc.nat(), (block, seed, pick) => {
        const chains = block.branches;
        const trace = interleave(chains, seed);
        const dropped = trace[pick % trace.length] as string;
        const result = conform(
          logOf([trace.filter((a) => a !== dropped)]),
          blockDesign({ ...block, kind: 'parallel' }),
        );
        expect(result.skipped).toEqual({ [dropped]: 1 });
        expect(result.inserted).toEqual({});
      }),
      { numRuns: 60 },
    );
  });
});
