/**
 * The workflow as a graph: adjacency with branch probabilities, reachability, and the expected
 * number of times each step is visited per case. Every analysis (metrics, finding rules,
 * simulation, compare) reads a workflow through this one module, so they agree on what a
 * branch probability means and on which steps a case reaches.
 *
 * Conventions (summarised in docs/architecture.md; findings of the `structure` rule report drafts that
 * break them, the analysis still runs):
 * - Branch probabilities: the flows leaving a step that carry a `probability` take it; flows
 *   without one share the remainder (1 − the given sum, at least 0) evenly. When every flow
 *   carries one and they do not sum to 1, or the given ones alone sum to more than 1 (a draft
 *   mid-edit), the given ones are scaled to sum to 1 and the others get none — a case always
 *   leaves a step by exactly one of its flows. A step with no outgoing flow ends the case.
 * - Boundary events: the flow from a task to a boundary event attached to it is an exception
 *   path, taken with its own chance (the flow's `probability`, else DEFAULT_BOUNDARY_CHANCE),
 *   never a share of an even split. An interrupting event takes its chance away from the task's
 *   normal flows, which share the rest as above; a non-interrupting one leaves them whole (its
 *   path starts beside the normal path, so the step's chances sum to more than 1).
 * - Parallel and inclusive gateways: an edge's `probability` is then the expected number of times
 *   a case visiting the split goes down it, not a share. A `parallel-split` sends a case down
 *   every outgoing flow (each 1; probabilities in the file are ignored); an `inclusive-split` down
 *   each flow with its own probability, independently (absent: 1). A join passes the case on once:
 *   each visit arriving at a `parallel-join` counts 1/k of a visit (k incoming flows, one from each
 *   branch), at an `inclusive-join` 1/Σp of its paired split's branch chances (1/k when unpaired).
 *   Exact for a split whose branches all meet at its join (a structured block, what BPMN tools
 *   draw). A split without a join is read as a decision (its branches as alternatives), so the
 *   visit equations stay solvable whatever loops it sits in; the `structure` rule flags it.
 * - A sub-process with several inner first steps and no start event inside (ad-hoc) does all of
 *   them: it is a parallel split into its inner paths, joined at the one step they all lead to.
 * - Any other step whose two or more flows out carry no chance, condition or default mark takes
 *   all of them (BPMN's implicit parallel split): a parallel split when its branches meet at a
 *   parallel join or each reach an end of their own; otherwise (they meet at some other step) an
 *   even choice, and the `structure` rule asks which was meant.
 * - Blocks: each split is paired with its join, the nearest join of the same family that every
 *   branch reaches (`blocks`, with the steps of each branch). Metrics use them to time a case by
 *   its longest branch. A split whose branches never meet but each reach an end of their own,
 *   never coming back to the split, is a block too (`join` ENDS_APART): the case is done when its
 *   last branch ends.
 * - Cases enter at the `start` steps, split evenly between them; a workflow without a start
 *   step is entered nowhere (every visit count is 0) and the `structure` rule says why.
 * - A start reached by a message from a step of the workflow (a second pool's message start: the
 *   lab's pool started by the clinic's order) is no case entry: it is visited once per visit of
 *   each sending step (`messageSenders`). Messages count for visits only; they are no flow of the
 *   case (no edge, no path, no handoff). Cases enter at the other starts (`entries`); when every
 *   start is reached by a message, at every start as above.
 * - Loops are handled exactly: expected visits solve the linear visit equations
 *   v = s + Pᵀ·v (an absorbing Markov chain), never by unrolling. A loop a case can never
 *   leave has no finite solution and is reported as `trapped` steps instead of a number. So is a
 *   loop of messages that keeps starting pools without end (a case enters at A, whose step starts
 *   pool B; B's step starts C and C's starts B again): each visit there brings, on average, at
 *   least one more (`messageLoop`, also in `trapped`).
 *
 * Constraint: pure and total for any workflow that passed its schema (references to unknown
 * steps are ignored here; the format's semantic checks report them).
 */
import {
  DEFAULT_BOUNDARY_CHANCE,
  type Flow,
  isBoundaryFlow,
  type Step,
  type StepKind,
  type Workflow,
} from '../../formats/workflow.ts';

/** One flow with the probability a case leaving `from` takes it (see the header). */
export interface Edge {
  from: string;
  to: string;
  probability: number;
  flow: Flow;
}

/** The workflow's steps and flows, indexed. */
export interface WorkflowGraph {
  workflow: Workflow;
  /** steps by id, in file order */
  steps: ReadonlyMap<string, Step>;
  /** edges leaving each step, in file order */
  outgoing: ReadonlyMap<string, readonly Edge[]>;
  /** edges entering each step, in file order */
  incoming: ReadonlyMap<string, readonly Edge[]>;
  /** ids of `start` steps, in file order */
  starts: readonly string[];
  /** the starts where cases enter (no message of the workflow reaches them), in file order */
  entries: readonly string[];
  /**
   * the steps a case reaches from `entries` along flows of positive probability: the rest is
   * reached only by pools that a message starts, which run beside the case
   */
  onCase: ReadonlySet<string>;
  /** per start reached by messages from steps of the workflow: the sending steps (one per message) */
  messageSenders: ReadonlyMap<string, readonly string[]>;
  /** ids of `end` steps, in file order */
  ends: readonly string[];
  /** parallel and inclusive splits paired with their joins, in file order of the split */
  blocks: readonly GatewayBlock[];
  /**
   * per join step: the share of a visit each arriving visit counts for (see the header); steps
   * that are not joins are absent (1)
   */
  arrivalShare: ReadonlyMap<string, number>;
}

/** The `join` of a block whose branches each end the case on their own instead of meeting. */
export const ENDS_APART = '';

/** A parallel or inclusive split, the join where its branches meet, and the steps of each branch. */
export interface GatewayBlock {
  split: string;
  /** the join step, or {@link ENDS_APART} when every branch ends the case on its own */
  join: string;
  kind: 'parallel' | 'inclusive';
  /** per outgoing flow of the split (file order): the steps strictly between split and join */
  branches: readonly (readonly string[])[];
}

/** The join kind that closes a split of `kind`, or undefined when `kind` is not a split. */
function joinKindOf(kind: StepKind): StepKind | undefined {
  if (kind === 'parallel-split') return 'parallel-join';
  if (kind === 'inclusive-split') return 'inclusive-join';
  return undefined;
}

/** Below this, a probability or a pivot counts as zero (floating-point slack). */
export const EPSILON = 1e-12;

/** Splits the probability mass of the flows leaving one step (see the header). */
function branchProbabilities(flows: readonly Flow[], kind: StepKind | undefined): number[] {
  if (kind === 'parallel-split') return flows.map(() => 1);
  if (kind === 'inclusive-split')
    return flows.map((f) => (typeof f.probability === 'number' ? f.probability : 1));
  const given = flows.map((f) => (typeof f.probability === 'number' ? f.probability : null));
  const missing = given.filter((p) => p === null).length;
  const givenSum = given.reduce<number>((sum, p) => sum + (p ?? 0), 0);
  if (missing === 0) {
    if (givenSum <= EPSILON) return flows.map(() => 1 / flows.length);
    return given.map((p) => (p ?? 0) / givenSum);
  }
  // more than certain already: scaled as above, or a loop would bring back more cases than it
  // lets out and the visit equations would have no meaningful solution
  if (givenSum > 1) return given.map((p) => (p ?? 0) / givenSum);
  const share = Math.max(0, 1 - givenSum) / missing;
  return given.map((p) => p ?? share);
}

/**
 * The chances of the flows leaving one step when some are boundary events' exception paths (see
 * the header); without any, {@link branchProbabilities}.
 */
function probabilitiesWithExceptions(
  flows: readonly Flow[],
  kind: StepKind | undefined,
  steps: ReadonlyMap<string, Step>,
): number[] {
  const exception = flows.map((flow) => isBoundaryFlow(flow, steps));
  if (!exception.includes(true)) return branchProbabilities(flows, kind);
  const normal = flows.filter((_, i) => !exception[i]);
  const chances = flows.map((flow, i) =>
    exception[i] ? Math.min(1, Math.max(0, flow.probability ?? DEFAULT_BOUNDARY_CHANCE)) : 0,
  );
  const interrupted = flows.reduce(
    (sum, flow, i) =>
      exception[i] && steps.get(flow.to)?.boundary?.interrupting !== false ? sum + (chances[i] ?? 0) : sum,
    0,
  );
  const normalChances = normal.length > 0 ? branchProbabilities(normal, kind) : [];
  const rest = Math.max(0, 1 - interrupted);
  let k = 0;
  return flows.map((_, i) => (exception[i] ? (chances[i] ?? 0) : (normalChances[k++] ?? 0) * rest));
}

/** Indexes `workflow` as a graph. Flows naming unknown steps are left out. */
export function buildGraph(workflow: Workflow): WorkflowGraph {
  const steps = new Map(workflow.steps.map((step) => [step.id, step] as const));
  const flowsFrom = new Map<string, Flow[]>();
  for (const flow of workflow.flows) {
    if (!steps.has(flow.from) || !steps.has(flow.to)) continue;
    const list = flowsFrom.get(flow.from) ?? [];
    list.push(flow);
    flowsFrom.set(flow.from, list);
  }
  const outgoing = new Map<string, Edge[]>();
  const incoming = new Map<string, Edge[]>();
  for (const id of steps.keys()) {
    outgoing.set(id, []);
    incoming.set(id, []);
  }
  for (const [from, flows] of flowsFrom) {
    const probabilities = probabilitiesWithExceptions(flows, steps.get(from)?.kind, steps);
    flows.forEach((flow, index) => {
      const edge: Edge = { from, to: flow.to, probability: probabilities[index] ?? 0, flow };
      outgoing.get(from)?.push(edge);
      incoming.get(flow.to)?.push(edge);
    });
  }
  const starts = workflow.steps.filter((s) => s.kind === 'start').map((s) => s.id);
  const messageSenders = new Map<string, string[]>();
  for (const message of workflow.messageFlows ?? []) {
    if (steps.get(message.to)?.kind !== 'start' || !steps.has(message.from) || message.from === message.to)
      continue;
    messageSenders.set(message.to, [...(messageSenders.get(message.to) ?? []), message.from]);
  }
  const unreached = starts.filter((id) => !messageSenders.has(id));
  const entries = unreached.length > 0 ? unreached : starts;
  if (unreached.length === 0) messageSenders.clear();
  const ends = workflow.steps.filter((s) => s.kind === 'end').map((s) => s.id);
  const blocks = pairBlocks(workflow.steps, outgoing);
  const adHoc = adHocBlocks(workflow.steps, outgoing, incoming);
  for (const block of adHoc) {
    for (const edge of outgoing.get(block.split) ?? []) edge.probability = 1;
  }
  blocks.push(...adHoc);
  const implicit = implicitSplitBlocks(workflow.steps, steps, outgoing, new Set(blocks.map((b) => b.split)));
  for (const block of implicit) {
    for (const edge of outgoing.get(block.split) ?? []) edge.probability = 1;
  }
  blocks.push(...implicit);
  // a split whose branches never meet at a join cannot be timed as branches at once: a branch that
  // loops back before the split would send every case round the loop again and again. It is timed
  // as a decision (its branches as alternatives) and the structure rule reports it.
  const paired = new Set(blocks.map((block) => block.split));
  for (const step of workflow.steps) {
    if (joinKindOf(step.kind) === undefined || paired.has(step.id)) continue;
    const edges = outgoing.get(step.id) ?? [];
    const alternatives = branchProbabilities(
      edges.map((edge) => edge.flow),
      undefined,
    );
    edges.forEach((edge, index) => {
      edge.probability = alternatives[index] ?? 0;
    });
  }
  const arrivalShare = new Map<string, number>();
  for (const step of workflow.steps) {
    if (step.kind !== 'parallel-join' && step.kind !== 'inclusive-join') continue;
    const k = incoming.get(step.id)?.length ?? 0;
    if (k === 0) continue;
    arrivalShare.set(step.id, 1 / k);
  }
  for (const block of adHoc) arrivalShare.set(block.join, 1 / (incoming.get(block.join)?.length ?? 1));
  for (const block of blocks) {
    if (block.kind !== 'inclusive' || block.join === ENDS_APART) continue;
    const chances = (outgoing.get(block.split) ?? []).reduce((sum, e) => sum + e.probability, 0);
    if (chances > EPSILON) arrivalShare.set(block.join, 1 / chances);
  }
  const onCase = reachableFrom({ steps, outgoing }, entries);
  return {
    workflow,
    steps,
    outgoing,
    incoming,
    starts,
    entries,
    onCase,
    messageSenders,
    ends,
    blocks,
    arrivalShare,
  };
}

/**
 * Whether the flows leaving a step are BPMN's implicit parallel split: two or more, none with a
 * chance, a condition or a default mark (`branch`), none an exception path of a boundary event or a
 * way into the step's own inner steps. BPMN takes every such flow at once.
 */
function isImplicitSplit(
  step: Step | undefined,
  flows: readonly Flow[],
  steps: ReadonlyMap<string, Step>,
): boolean {
  if (step === undefined || flows.length < 2) return false;
  if (step.kind === 'decision' || joinKindOf(step.kind) !== undefined) return false;
  if (step.kind === 'parallel-join' || step.kind === 'inclusive-join') return false;
  return flows.every(
    (flow) =>
      flow.probability === undefined &&
      flow.branch === undefined &&
      !isBoundaryFlow(flow, steps) &&
      steps.get(flow.to)?.within !== step.id,
  );
}

/**
 * Steps other than gateways whose flows are an implicit parallel split ({@link isImplicitSplit}):
 * each is a parallel split when its branches meet at a parallel join or each end the case on their
 * own (a block, timed by its longest branch); branches that meet at any other step keep the even
 * split of a choice, and the `structure` rule asks which was meant.
 */
function implicitSplitBlocks(
  list: readonly Step[],
  steps: ReadonlyMap<string, Step>,
  outgoing: ReadonlyMap<string, readonly Edge[]>,
  already: ReadonlySet<string>,
): GatewayBlock[] {
  const kindOf = new Map(list.map((s) => [s.id, s.kind] as const));
  const blocks: GatewayBlock[] = [];
  for (const step of list) {
    if (already.has(step.id)) continue;
    const edges = outgoing.get(step.id) ?? [];
    if (
      !isImplicitSplit(
        step,
        edges.map((e) => e.flow),
        steps,
      )
    )
      continue;
    const block = pairBlock(step.id, 'parallel-join', outgoing, kindOf);
    if (block) blocks.push(block);
  }
  return blocks;
}

/**
 * Sub-processes with several inner first steps and no start event inside (BPMN's ad-hoc
 * sub-processes, Bizagi's habit): BPMN does every inner path, so the sub-process is a parallel
 * split into them and the one step all their ends lead to (and nothing else) is its join. One whose
 * inner paths share a step or lead to several steps stays as it is (its flows an even choice).
 */
function adHocBlocks(
  steps: readonly Step[],
  outgoing: ReadonlyMap<string, readonly Edge[]>,
  incoming: ReadonlyMap<string, readonly Edge[]>,
): GatewayBlock[] {
  const innerOf = new Map<string, Set<string>>();
  const startInside = new Set<string>();
  for (const step of steps) {
    if (step.within === undefined || step.within === step.id) continue;
    innerOf.set(step.within, (innerOf.get(step.within) ?? new Set()).add(step.id));
    if (step.kind === 'start') startInside.add(step.within);
  }
  const blocks: GatewayBlock[] = [];
  for (const step of steps) {
    const inner = innerOf.get(step.id);
    if (!inner || startInside.has(step.id) || step.kind !== 'task') continue;
    const firsts = (outgoing.get(step.id) ?? []).map((e) => e.to);
    if (firsts.length < 2 || firsts.some((id) => !inner.has(id))) continue;
    const exits = [...inner].flatMap((id) => (outgoing.get(id) ?? []).filter((e) => !inner.has(e.to)));
    const join = exits[0]?.to;
    if (join === undefined || join === step.id || exits.some((e) => e.to !== join)) continue;
    if ((incoming.get(join) ?? []).some((e) => !inner.has(e.from))) continue;
    const owner = new Map<string, number>();
    const branches: string[][] = [];
    for (const [index, first] of firsts.entries()) {
      const seen = new Set<string>();
      const stack = [first];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (seen.has(id) || !inner.has(id)) continue;
        seen.add(id);
        for (const e of outgoing.get(id) ?? []) stack.push(e.to);
      }
      for (const id of seen) if (owner.get(id) === undefined) owner.set(id, index);
      branches.push([...seen].sort());
    }
    if (branches.some((branch, index) => branch.some((id) => owner.get(id) !== index))) continue;
    blocks.push({ split: step.id, join, kind: 'parallel', branches });
  }
  return blocks;
}

/**
 * Pairs each parallel or inclusive split with the nearest join of its family that every branch
 * reaches (fewest flows along the longest branch, then the smaller id), and lists each branch's
 * steps: those reached from the branch's first step without passing the join or the split, and
 * from which the join can be reached. A split whose branches never meet has no block.
 */
function pairBlocks(steps: readonly Step[], outgoing: ReadonlyMap<string, readonly Edge[]>): GatewayBlock[] {
  const kindOf = new Map(steps.map((s) => [s.id, s.kind] as const));
  const blocks: GatewayBlock[] = [];
  for (const split of steps) {
    const joinKind = joinKindOf(split.kind);
    if (joinKind === undefined) continue;
    const block = pairBlock(split.id, joinKind, outgoing, kindOf);
    if (block) blocks.push(block);
  }
  return blocks;
}

/**
 * The block a split opens (see {@link pairBlocks}): `joinKind` is the kind of step that closes it;
 * undefined when its branches never meet and do not each end apart.
 */
function pairBlock(
  splitId: string,
  joinKind: StepKind,
  outgoing: ReadonlyMap<string, readonly Edge[]>,
  kindOf: ReadonlyMap<string, StepKind>,
): GatewayBlock | undefined {
  const family = joinKind === 'parallel-join' ? 'parallel' : 'inclusive';
  const firsts = (outgoing.get(splitId) ?? []).filter((e) => e.probability > EPSILON).map((e) => e.to);
  if (firsts.length < 2) return undefined;
  // flows from each branch's first step to every join of the family (breadth-first)
  const distances = firsts.map((first) => {
    const seen = new Map<string, number>([[first, 0]]);
    const queue = [first];
    for (let at = 0; at < queue.length; at++) {
      const id = queue[at] as string;
      if (id === splitId) continue;
      for (const e of outgoing.get(id) ?? []) {
        if (e.probability <= EPSILON || seen.has(e.to)) continue;
        seen.set(e.to, (seen.get(id) ?? 0) + 1);
        queue.push(e.to);
      }
    }
    return seen;
  });
  let join: string | undefined;
  let best = Number.POSITIVE_INFINITY;
  for (const [id, d0] of distances[0] as Map<string, number>) {
    if (kindOf.get(id) !== joinKind) continue;
    let far = d0;
    for (const d of distances) far = Math.max(far, d.get(id) ?? Number.POSITIVE_INFINITY);
    if (far < best || (far === best && join !== undefined && id < join)) {
      best = far;
      join = id;
    }
  }
  if (join === undefined || !Number.isFinite(best)) {
    const apart = branchesEndingApart(splitId, firsts, outgoing, kindOf);
    if (!apart) return undefined;
    return {
      split: splitId,
      join: ENDS_APART,
      kind: family,
      branches: apart,
    };
  }
  const closing = join;
  const branches = firsts.map((first) => {
    const inside: string[] = [];
    const seen = new Set<string>();
    const stack = [first];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (id === closing || id === splitId || seen.has(id)) continue;
      seen.add(id);
      inside.push(id);
      for (const e of outgoing.get(id) ?? []) if (e.probability > EPSILON) stack.push(e.to);
    }
    // only the steps on a way to the join (a branch that also leaves the block keeps its part)
    const toJoin = new Set<string>([closing]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const id of inside) {
        if (toJoin.has(id)) continue;
        if ((outgoing.get(id) ?? []).some((e) => e.probability > EPSILON && toJoin.has(e.to))) {
          toJoin.add(id);
          grew = true;
        }
      }
    }
    return inside.filter((id) => toJoin.has(id)).sort();
  });
  return {
    split: splitId,
    join: closing,
    kind: family,
    branches,
  };
}

/**
 * The steps of each branch of a split whose branches never meet but each end the case on its own
 * (BPMN lets parallel branches finish at end events of their own: the case is done when the last
 * one ends); undefined unless every branch reaches an end, no branch comes back to the split and
 * no two branches share a step (branches that meet at some other step are a modelling problem,
 * and the split stays unpaired).
 */
function branchesEndingApart(
  split: string,
  firsts: readonly string[],
  outgoing: ReadonlyMap<string, readonly Edge[]>,
  kindOf: ReadonlyMap<string, StepKind>,
): string[][] | undefined {
  const owner = new Map<string, number>();
  const branches: string[][] = [];
  for (const [index, first] of firsts.entries()) {
    const inside = new Set<string>();
    const stack = [first];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (id === split) return undefined;
      if (inside.has(id)) continue;
      const other = owner.get(id);
      if (other !== undefined && other !== index) return undefined;
      inside.add(id);
      owner.set(id, index);
      for (const e of outgoing.get(id) ?? []) if (e.probability > EPSILON) stack.push(e.to);
    }
    if (![...inside].some((id) => kindOf.get(id) === 'end')) return undefined;
    branches.push([...inside].sort());
  }
  return branches;
}

/** Every step reachable from `from` (included) along flows of positive probability. */
export function reachableFrom(
  graph: Pick<WorkflowGraph, 'steps' | 'outgoing'>,
  from: Iterable<string>,
): Set<string> {
  const seen = new Set<string>();
  const stack = [...from].filter((id) => graph.steps.has(id));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (edge.probability > EPSILON && !seen.has(edge.to)) stack.push(edge.to);
    }
  }
  return seen;
}

/** Every step from which one of `targets` (included) can be reached along any flow. */
export function reachingTo(graph: WorkflowGraph, targets: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...targets].filter((id) => graph.steps.has(id));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of graph.incoming.get(id) ?? []) if (!seen.has(edge.from)) stack.push(edge.from);
  }
  return seen;
}

/** Expected visits per case of each step, or why there is no finite answer. */
export interface Visits {
  /** expected visits per case by step id (0 for steps no case reaches); NaN for trapped steps */
  visits: ReadonlyMap<string, number>;
  /**
   * steps inside a loop that a case, once in, never leaves (every way out has probability 0):
   * their expected visits are infinite. Empty for a well-formed workflow.
   */
  trapped: readonly string[];
  /**
   * the part of `trapped` that is so because messages keep starting pools without end (every
   * visit of the loop brings at least one more through its messages), and the steps after them
   */
  messageLoop: readonly string[];
}

/**
 * Solves the visit equations v_j = s_j + Σ_i v_i·P(i→j) for the steps cases can reach, where s
 * splits one arriving case evenly over the start steps. The steps are split into loops (strongly
 * connected components) taken in topological order; each is solved by Gaussian elimination with
 * partial pivoting given the inflow from the ones before it. Cost: O(flows + Σ loop size³), so a
 * 1,000-step workflow with small rework loops solves in about a millisecond, where one dense
 * O(n³) system over all steps took tens.
 */
export function expectedVisits(graph: WorkflowGraph): Visits {
  const reached = reachableFrom(graph, graph.starts);
  // Steps from which no exit is reachable form a closed set; those on (or after) a cycle inside
  // it are visited without end. Steps merely leading into it (e.g. the start) stay finite.
  const exits = [...reached].filter((id) =>
    (graph.outgoing.get(id) ?? []).every((e) => e.probability <= EPSILON),
  );
  const canLeave = reachingToPositive(graph, exits);
  const noExit = new Set([...reached].filter((id) => !canLeave.has(id)));
  const onCycle = [...noExit].filter((id) => onCycleWithin(graph, id, noExit));
  const infinite = reachableFrom(graph, onCycle);
  const trapped = [...reached].filter((id) => infinite.has(id));
  const ids = [...reached].filter((id) => !infinite.has(id));
  const inSystem = new Set(ids);
  const startShare = graph.entries.length > 0 ? 1 / graph.entries.length : 0;
  const source = new Map<string, number>();
  for (const start of graph.entries) {
    if (inSystem.has(start)) source.set(start, (source.get(start) ?? 0) + startShare);
  }
  const visits = new Map<string, number>();
  for (const id of graph.steps.keys()) visits.set(id, 0);
  const messagesFrom = messageTargets(graph);
  // steps visited without end because a loop of messages keeps starting pools, and those after them
  const endless = new Set<string>();
  // One loop (strongly connected component) at a time, in topological order: every flow into a
  // component comes from one already solved, so its inflow is known and only the loop itself
  // needs a dense solve. Mass flowing into trapped steps leaves the system.
  for (const component of componentsInTopologicalOrder(graph, ids, inSystem, messagesFrom)) {
    if (component.some((id) => endless.has(id))) {
      for (const id of component) endless.add(id);
      continue;
    }
    const n = component.length;
    const index = new Map(component.map((id, i) => [id, i] as const));
    // A·v = b with A = I − Pᵀ restricted to the component, b = source + inflow from earlier components
    const a: number[][] = component.map((id, i) => {
      const row = new Array<number>(n + 1).fill(0);
      row[i] = 1;
      let inflow = source.get(id) ?? 0;
      // a message start: once per visit of each sender (solved earlier: the ordering follows messages)
      for (const sender of graph.messageSenders.get(id) ?? []) {
        if (!inSystem.has(sender)) continue;
        const k = index.get(sender);
        if (k === undefined) inflow += visits.get(sender) ?? 0;
        else row[k] = (row[k] ?? 0) - 1;
      }
      const share = graph.arrivalShare.get(id) ?? 1;
      for (const edge of graph.incoming.get(id) ?? []) {
        if (!inSystem.has(edge.from)) continue;
        const k = index.get(edge.from);
        if (k === undefined) inflow += (visits.get(edge.from) ?? 0) * edge.probability * share;
        else row[k] = (row[k] ?? 0) - edge.probability * share;
      }
      row[n] = inflow;
      return row;
    });
    const { values: solution, inconsistent } = solve(a, n);
    // only a message can make a loop bring more visits than it loses (a flow's chances sum to at
    // most 1, and loops of flows without a way out were taken out above): the visit equations then
    // have no finite, non-negative solution
    const inside = new Set(component);
    const messageLoop = component.some((id) => (messagesFrom.get(id) ?? []).some((to) => inside.has(to)));
    if (messageLoop && (inconsistent || solution.some((v) => !Number.isFinite(v) || v < -ENDLESS_SLACK))) {
      for (const id of reachableWithMessages(graph, component, messagesFrom, inSystem)) endless.add(id);
      continue;
    }
    component.forEach((id, i) => {
      visits.set(id, Math.max(0, solution[i] ?? 0));
    });
  }
  const messageLoop = ids.filter((id) => endless.has(id));
  for (const id of [...trapped, ...messageLoop]) visits.set(id, Number.NaN);
  return {
    visits,
    trapped: [...reached].filter((id) => infinite.has(id) || endless.has(id)),
    messageLoop,
  };
}

/** Below this, a solved visit count or an unsolvable equation's remainder counts as zero. */
const ENDLESS_SLACK = 1e-9;

/** Per sending step, the message starts it starts (one per message). */
function messageTargets(graph: WorkflowGraph): Map<string, string[]> {
  const messagesFrom = new Map<string, string[]>();
  for (const [start, senders] of graph.messageSenders) {
    for (const sender of senders) messagesFrom.set(sender, [...(messagesFrom.get(sender) ?? []), start]);
  }
  return messagesFrom;
}

/** Every step of `inside` reached from `from` along flows of positive probability and messages. */
function reachableWithMessages(
  graph: WorkflowGraph,
  from: readonly string[],
  messagesFrom: ReadonlyMap<string, readonly string[]>,
  inside: ReadonlySet<string>,
): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id) || !inside.has(id)) continue;
    seen.add(id);
    for (const edge of graph.outgoing.get(id) ?? []) if (edge.probability > EPSILON) stack.push(edge.to);
    stack.push(...(messagesFrom.get(id) ?? []));
  }
  return seen;
}

/**
 * The strongly connected components of the steps in `inside` (over every flow between them), in
 * topological order of the condensation: Tarjan's algorithm, iterative so that a long workflow
 * cannot overflow the call stack. Tarjan emits components sinks first; the result is reversed.
 */
function componentsInTopologicalOrder(
  graph: WorkflowGraph,
  ids: readonly string[],
  inside: ReadonlySet<string>,
  messagesFrom: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  // messages to a message start order its pool after the sender, like a flow (visits only)
  let counter = 0;
  for (const root of ids) {
    if (order.has(root)) continue;
    const work: Array<{ id: string; targets: readonly string[]; next: number }> = [];
    const open = (id: string) => {
      order.set(id, counter);
      low.set(id, counter);
      counter++;
      stack.push(id);
      onStack.add(id);
      const targets = (graph.outgoing.get(id) ?? []).map((edge) => edge.to);
      work.push({ id, targets: [...targets, ...(messagesFrom.get(id) ?? [])], next: 0 });
    };
    open(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as { id: string; targets: readonly string[]; next: number };
      const to = top.targets[top.next++];
      if (to !== undefined) {
        if (!inside.has(to)) continue;
        if (!order.has(to)) open(to);
        else if (onStack.has(to)) {
          low.set(top.id, Math.min(low.get(top.id) ?? 0, order.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, low.get(top.id) ?? 0));
      if (low.get(top.id) === order.get(top.id)) {
        const component: string[] = [];
        for (;;) {
          const id = stack.pop() as string;
          onStack.delete(id);
          component.push(id);
          if (id === top.id) break;
        }
        components.push(component);
      }
    }
  }
  return components.reverse();
}

/** True when `id` can come back to itself along flows of positive probability inside `within`. */
function onCycleWithin(graph: WorkflowGraph, id: string, within: ReadonlySet<string>): boolean {
  const seen = new Set<string>();
  const stack = (graph.outgoing.get(id) ?? []).filter((e) => e.probability > EPSILON).map((e) => e.to);
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (next === id) return true;
    if (seen.has(next) || !within.has(next)) continue;
    seen.add(next);
    for (const edge of graph.outgoing.get(next) ?? []) if (edge.probability > EPSILON) stack.push(edge.to);
  }
  return false;
}

/** Steps from which one of `targets` is reachable along flows of positive probability. */
function reachingToPositive(graph: WorkflowGraph, targets: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...targets];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of graph.incoming.get(id) ?? []) {
      if (edge.probability > EPSILON && !seen.has(edge.from)) stack.push(edge.from);
    }
  }
  return seen;
}

/**
 * Solves the augmented n×(n+1) system in place (partial pivoting). Without messages the system is
 * non-singular by construction: every cycle left in it loses probability mass (to an exit or to
 * the removed infinite steps), so I − Pᵀ restricted to it is invertible. A loop of messages can
 * make it singular: `inconsistent` says an equation left without a pivot still asks for visits.
 */
function solve(a: number[][], n: number): { values: number[]; inconsistent: boolean } {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) {
      if (Math.abs((a[row] as number[])[col] ?? 0) > Math.abs((a[pivot] as number[])[col] ?? 0)) pivot = row;
    }
    if (pivot !== col) [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const pivotRow = a[col] as number[];
    const p = pivotRow[col] ?? 0;
    if (Math.abs(p) <= EPSILON) continue;
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const target = a[row] as number[];
      const factor = (target[col] ?? 0) / p;
      if (factor === 0) continue;
      for (let k = col; k <= n; k++) target[k] = (target[k] ?? 0) - factor * (pivotRow[k] ?? 0);
    }
  }
  let inconsistent = false;
  const values = a.map((row, i) => {
    const p = row[i] ?? 0;
    if (Math.abs(p) > EPSILON) return (row[n] ?? 0) / p;
    if (Math.abs(row[n] ?? 0) > ENDLESS_SLACK) inconsistent = true;
    return 0;
  });
  return { values, inconsistent };
}
