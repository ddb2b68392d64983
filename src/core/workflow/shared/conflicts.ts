/**
 * What of a person's own changes lost to someone else's removal, told to that person alone.
 *
 * The merge rules (ops.ts) let a removal win against an edit of the removed item, and leave what
 * someone drew meanwhile to a removed step (a flow) or put in a removed lane (a step) pointing at
 * nothing. Both are a person's work lost to another's removal: this module finds them as a copy
 * replays the server's order ({@link Conflicts}), one {@link LostEdit} per removed item that took
 * something of the person's, with who removed it, when, and the item as it was so it can be put
 * back ({@link putBack}).
 *
 * What counts as lost:
 * - an edit of the person's the server ordered after the removal (skipped on replay);
 * - a flow or step of the person's left pointing at a removed step or lane, in either order: the
 *   editor's removal takes what is connected to the item with it, so what is left pointing at it
 *   the remover had not seen.
 * An edit ordered before a removal is not told: the remover may have seen it (the server does not
 * say what each change's author had seen), and what they removed on purpose is their decision.
 *
 * Constraints: pure; the memory kept across answers and reloads is bounded
 * ({@link REMOVALS_KEPT}, {@link OWN_KEPT}); names are the workflow's own (step labels, lane names),
 * nothing else of the workflow is put in words here.
 */
import type { Flow, Lane, Step, Workflow } from '../../../formats/workflow.ts';
import { applyOps, type SharedOp } from './ops.ts';

/** How many of others' latest removals a copy remembers, to say who removed what its later changes touch. */
const REMOVALS_KEPT = 200;
/** How many of its own latest flows and steps a copy remembers, to tell them left pointing at nothing. */
const OWN_KEPT = 500;

/** A removed step, lane or flow as it was, and where it stood among its kind. */
export type RemovedItem =
  | { kind: 'step'; step: Step; index: number }
  | { kind: 'lane'; lane: Lane; index: number }
  | { kind: 'flow'; flow: Flow; index: number; fromName: string; toName: string };

/** Someone else's removal of one item, as a copy heard it. */
export interface Removal {
  /** the item's key: `step:<id>`, `lane:<id>` or `flow:<from>→<to>` */
  key: string;
  /** the removing change's place in the server's order */
  seq: number;
  /** who removed it (their name as the identity provider gives it) */
  author: string;
  /** when: the server's time of the change when it said it, else when this copy heard it */
  at: string;
  /** true when `at` is the server's time of the removal; false: this copy heard it then (it was made before) */
  atExact: boolean;
  item: RemovedItem;
  /**
   * what puts back what the removing change took with the item: a step with its flows (and its
   * lane, when the change removed that too); a lane with its steps and their flows; a flow
   */
  restore: SharedOp[];
}

/** What of the person's lost to one removal. */
export interface LostEdit {
  /** unique among a copy's lost edits: the removal's place in the order and the item's key */
  id: string;
  /** the removal (by whom, when, and the item as it was); absent when the copy no longer remembers it */
  removal: Removal | undefined;
  /** the removed item's key (`step:<id>`…), also when the removal is not remembered */
  key: string;
  /** the person's operations that lost: skipped edits, or flows and steps left pointing at the item */
  mine: SharedOp[];
}

/** What a copy keeps across answers and reloads to find lost edits. */
export interface ConflictMemory {
  removals: Removal[];
  own: string[];
  lost: LostEdit[];
}

/** The key of the item an operation changes (a put: the item it puts). */
function itemKey(op: SharedOp): string {
  switch (op.op) {
    case 'step/put':
      return `step:${op.step.id}`;
    case 'step/set':
    case 'step/remove':
      return `step:${op.id}`;
    case 'flow/put':
      return flowKeyOf(op.flow.from, op.flow.to);
    case 'flow/set':
    case 'flow/remove':
      return flowKeyOf(op.from, op.to);
    case 'lane/put':
      return `lane:${op.lane.id}`;
    case 'lane/set':
    case 'lane/remove':
    case 'lane/move':
      return `lane:${op.id}`;
    case 'workflow/set':
      return 'workflow';
  }
}

const flowKeyOf = (from: string, to: string) => `flow:${JSON.stringify([from, to])}`;

/** The item `op` removes from `workflow` as it was, or undefined when `op` removes nothing there. */
function removedBy(workflow: Workflow, op: SharedOp): RemovedItem | undefined {
  if (op.op === 'step/remove') {
    const index = workflow.steps.findIndex((s) => s.id === op.id);
    return index < 0 ? undefined : { kind: 'step', step: workflow.steps[index] as Step, index };
  }
  if (op.op === 'lane/remove') {
    const index = workflow.lanes.findIndex((l) => l.id === op.id);
    return index < 0 ? undefined : { kind: 'lane', lane: workflow.lanes[index] as Lane, index };
  }
  if (op.op === 'flow/remove') {
    const index = workflow.flows.findIndex((f) => f.from === op.from && f.to === op.to);
    if (index < 0) return undefined;
    const name = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
    return {
      kind: 'flow',
      flow: workflow.flows[index] as Flow,
      index,
      fromName: name(op.from),
      toName: name(op.to),
    };
  }
  return undefined;
}

/**
 * The operations that put back `item` and what the same change took with it (`before` and `after`
 * the change): a step's flows and, when gone too, its lane; a lane's steps and their flows.
 */
function restoring(before: Workflow, after: Workflow, item: RemovedItem): SharedOp[] {
  if (item.kind === 'flow') return [{ op: 'flow/put', flow: item.flow, index: item.index }];
  const laneGone = (id: string) => !after.lanes.some((l) => l.id === id);
  const stepGone = (id: string) => !after.steps.some((s) => s.id === id);
  const steps = new Set(
    item.kind === 'step'
      ? [item.step.id]
      : before.steps.filter((s) => s.lane === item.lane.id && stepGone(s.id)).map((s) => s.id),
  );
  const ops: SharedOp[] = [];
  const laneId = item.kind === 'lane' ? item.lane.id : item.step.lane;
  const lane = before.lanes.findIndex((l) => l.id === laneId);
  if (lane >= 0 && laneGone(laneId))
    ops.push({ op: 'lane/put', lane: before.lanes[lane] as Lane, index: lane });
  before.steps.forEach((step, index) => {
    if (steps.has(step.id)) ops.push({ op: 'step/put', step, index });
  });
  before.flows.forEach((flow, index) => {
    const gone = !after.flows.some((f) => f.from === flow.from && f.to === flow.to);
    if (gone && (steps.has(flow.from) || steps.has(flow.to))) ops.push({ op: 'flow/put', flow, index });
  });
  return ops;
}

/** The removed step or lane an operation of the person's leaves something pointing at, by key. */
function danglingKeys(workflow: Workflow, op: SharedOp): string[] {
  const steps = new Set(workflow.steps.map((s) => s.id));
  const lanes = new Set(workflow.lanes.map((l) => l.id));
  const present = (flow: { from: string; to: string }) =>
    workflow.flows.some((f) => f.from === flow.from && f.to === flow.to);
  if (op.op === 'flow/put' && present(op.flow))
    return [op.flow.from, op.flow.to].filter((id) => !steps.has(id)).map((id) => `step:${id}`);
  const stepId =
    op.op === 'step/put' ? op.step.id : op.op === 'step/set' && op.field === 'lane' ? op.id : undefined;
  const step = stepId === undefined ? undefined : workflow.steps.find((s) => s.id === stepId);
  return step && !lanes.has(step.lane) ? [`lane:${step.lane}`] : [];
}

/** Removals and edits of one's own that do not lose anything when skipped (both removed one item). */
const isRemoval = (op: SharedOp) => op.op.endsWith('/remove');

/**
 * The lost-edit finder of one copy: told each change the copy replays, in the server's order,
 * with the workflow before and after it. Its memory is plain JSON ({@link ConflictMemory}).
 */
export class Conflicts {
  readonly memory: ConflictMemory;

  constructor(memory: Partial<ConflictMemory> = {}) {
    // kept in the page's storage: anything but a list (an older or damaged copy) starts afresh
    const list = <T>(value: readonly T[] | undefined): T[] => (Array.isArray(value) ? [...value] : []);
    this.memory = { removals: list(memory.removals), own: list(memory.own), lost: list(memory.lost) };
  }

  /**
   * One change replayed: `mine` when this copy made it; `skipped` the indexes of its operations
   * skipped because their item was removed; `at` and `atExact` as in {@link Removal}.
   */
  replayed(
    change: { seq: number; author: string; ops: readonly SharedOp[] },
    before: Workflow,
    after: Workflow,
    mine: boolean,
    skipped: readonly number[],
    at: string,
    atExact: boolean,
  ): void {
    if (mine) {
      change.ops.forEach((op, index) => {
        if (skipped.includes(index)) {
          if (!isRemoval(op)) this.lose(itemKey(op), op);
          return;
        }
        for (const key of danglingKeys(after, op)) this.lose(key, op);
      });
      this.remember(change.ops);
      return;
    }
    const removals: Removal[] = [];
    for (const op of change.ops) {
      const item = removedBy(before, op);
      if (item)
        removals.push({
          key: itemKey(op),
          seq: change.seq,
          author: change.author,
          at,
          atExact,
          item,
          restore: restoring(before, after, item),
        });
    }
    this.memory.removals = [...this.memory.removals, ...removals].slice(-REMOVALS_KEPT);
    // what of the person's the remover had not seen: left pointing at what they removed
    const own = new Set(this.memory.own);
    for (const removal of removals) {
      if (removal.item.kind === 'step') {
        const id = removal.item.step.id;
        for (const flow of after.flows)
          if ((flow.from === id || flow.to === id) && own.has(flowKeyOf(flow.from, flow.to)))
            this.lose(removal.key, { op: 'flow/put', flow, index: after.flows.indexOf(flow) });
      } else if (removal.item.kind === 'lane') {
        const id = removal.item.lane.id;
        after.steps.forEach((step, index) => {
          if (step.lane === id && own.has(`step:${step.id}`))
            this.lose(removal.key, { op: 'step/put', step, index });
        });
      }
    }
  }

  /** Forgets a lost edit the person has been told of and dismissed (or put back). */
  dismiss(id: string): void {
    this.memory.lost = this.memory.lost.filter((lost) => lost.id !== id);
  }

  private remember(ops: readonly SharedOp[]): void {
    const keys = ops.flatMap((op) =>
      op.op === 'flow/put' || op.op === 'step/put' || (op.op === 'step/set' && op.field === 'lane')
        ? [itemKey(op)]
        : [],
    );
    if (keys.length === 0) return;
    const kept = new Set(keys);
    this.memory.own = [...this.memory.own.filter((key) => !kept.has(key)), ...keys].slice(-OWN_KEPT);
  }

  private lose(key: string, op: SharedOp): void {
    const removal = this.memory.removals.findLast((r) => r.key === key);
    const id = `${removal?.seq ?? '?'}:${key}`;
    const at = this.memory.lost.findIndex((lost) => lost.id === id);
    const known = this.memory.lost[at];
    if (known) {
      // one operation per item and field, the latest (it is what putting back replays); a new
      // object, so whoever shows the list sees that it changed
      const others = known.mine.filter(
        (m) => !(m.op === op.op && itemKey(m) === itemKey(op) && sameField(m, op)),
      );
      this.memory.lost = this.memory.lost.with(at, { ...known, mine: [...others, op] });
      return;
    }
    this.memory.lost = [...this.memory.lost, { id, removal, key, mine: [op] }];
  }
}

const sameField = (a: SharedOp, b: SharedOp) =>
  !('field' in a) || !('field' in b) || (a as { field: string }).field === (b as { field: string }).field;

/** Whether the item a lost edit lost to is in `workflow` again (someone put it back). */
export function isBack(workflow: Workflow, lost: LostEdit): boolean {
  const item = lost.removal?.item;
  if (!item) return false;
  if (item.kind === 'step') return workflow.steps.some((s) => s.id === item.step.id);
  if (item.kind === 'lane') return workflow.lanes.some((l) => l.id === item.lane.id);
  return workflow.flows.some((f) => f.from === item.flow.from && f.to === item.flow.to);
}

/**
 * `workflow` with the removed item back where it stood, with what the removing change took with it
 * (a step's flows, a lane's steps), when it is not there already; and, with `withMine`, the
 * person's lost edits replayed on it: what "Put it back" does. Without the removal remembered,
 * `workflow` itself. A flow comes back only between two steps that are there.
 */
export function putBack(workflow: Workflow, lost: LostEdit, withMine = true): Workflow {
  const removal = lost.removal;
  const restore = removal && !isBack(workflow, lost) ? removal.restore : [];
  let back = applyOps(workflow, restore).workflow;
  // a flow comes back only between steps that are there
  const steps = new Set(back.steps.map((s) => s.id));
  back = {
    ...back,
    flows: back.flows.filter((f) => workflow.flows.includes(f) || (steps.has(f.from) && steps.has(f.to))),
  };
  return withMine ? applyOps(back, lost.mine).workflow : back;
}

/**
 * Whether what was lost left something pointing at the removed item (a flow to a removed step, a
 * step in a removed lane): then the structure check's findings follow from the removal.
 */
export function leftPointing(lost: LostEdit): boolean {
  return lost.mine.some(
    (op) => op.op === 'flow/put' || op.op === 'step/put' || (op.op === 'step/set' && op.field === 'lane'),
  );
}
