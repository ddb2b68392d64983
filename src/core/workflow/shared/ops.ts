/**
 * A shared workflow's changes as field-level operations (docs/decisions: shared workflows sync).
 * Whatever the editor did — one edit, a paste, an undo, a restored version — the change sent to
 * the team server is the difference between the workflow before and after it ({@link diffWorkflows}):
 * a step, flow or lane put or removed, or one field of one of them (or of the workflow) set. The
 * server puts every change in one order, and every client replays that order with
 * {@link applyOps}, so all of them reach the same workflow.
 *
 * Merge rules (what concurrent changes give, whatever their order):
 * - changes to different steps, flows, lanes or fields are all kept;
 * - two changes to the same field: the later in the server's order wins (a field is one value:
 *   `enters` and `position` are set whole);
 * - a removal against an edit of the same item: the removal wins (the edit of a removed item is
 *   skipped; a removal after the edit removes the edited item);
 * - a removal takes away only what its author removed: a flow someone else drew to a removed step
 *   meanwhile stays, pointing nowhere, and a step added meanwhile to a removed lane stays in it.
 *   A merged workflow that breaks a rule is shown (the `structure` finding, the format's
 *   problems), never repaired here.
 *
 * Constraints: pure; {@link applyOps} never throws for a reference that is gone (it skips and
 * says so), and values are not checked here — the server checks the merged workflow against the
 * format's schema before it accepts a change.
 */
import type { Flow, Lane, Step, Workflow } from '../../../formats/workflow.ts';
import { canonicalJson } from '../../hash/index.ts';

/** The fields of a step a change sets one at a time (the id never changes). */
const STEP_FIELDS = [
  'label',
  'lane',
  'kind',
  'medium',
  'system',
  'touchMin',
  'waitMin',
  'clicks',
  'enters',
  'replaces',
  'notes',
  'boundary',
  'bpmn',
  'within',
  'observed',
  'position',
] as const;
/** The fields of a flow a change sets (its ends are its identity). */
const FLOW_FIELDS = ['probability', 'transfer', 'branch', 'observed'] as const;
/** The fields of a lane a change sets. */
const LANE_FIELDS = ['name', 'staff', 'pool'] as const;
/** The workflow-level fields a change sets (format, id and state never change). */
const WORKFLOW_FIELDS = [
  'name',
  'process',
  'description',
  'baseline',
  'arrivalsPerHour',
  'casesPerDay',
  'retired',
  'goLive',
  // set whole: a collaboration's parties, their messages and the documents steps use
  'pools',
  'messageFlows',
  'dataObjects',
  'annotations',
  'groups',
] as const;

export type StepField = (typeof STEP_FIELDS)[number];
export type FlowField = (typeof FLOW_FIELDS)[number];
export type LaneField = (typeof LANE_FIELDS)[number];
export type WorkflowField = (typeof WORKFLOW_FIELDS)[number];

/**
 * One operation on a shared workflow. `value: null` removes an optional field. `index` places a
 * put item among its kind (clamped), so a restored item comes back where it was.
 */
export type SharedOp =
  | { op: 'step/put'; step: Step; index: number }
  | { op: 'step/set'; id: string; field: StepField; value: unknown }
  | { op: 'step/remove'; id: string }
  | { op: 'flow/put'; flow: Flow; index: number }
  | { op: 'flow/set'; from: string; to: string; field: FlowField; value: unknown }
  | { op: 'flow/remove'; from: string; to: string }
  | { op: 'lane/put'; lane: Lane; index: number }
  | { op: 'lane/set'; id: string; field: LaneField; value: unknown }
  | { op: 'lane/remove'; id: string }
  | { op: 'lane/move'; id: string; index: number }
  | { op: 'workflow/set'; field: WorkflowField; value: unknown };

/** Why an operation had no effect on the workflow it was replayed on. */
export type SkipReason =
  /** the step, flow or lane it changes was removed (by a change ordered before it) */
  | 'removed'
  /** it puts an item whose id (a flow: whose two ends) is already there */
  | 'exists';

/** The workflow after some operations, and which of them were skipped. */
interface OpsResult {
  workflow: Workflow;
  skipped: { index: number; reason: SkipReason }[];
}

// ---- the difference between two states ------------------------------------------------------

// key order does not count: a workflow read back from the server's database has its keys re-ordered
const same = (a: unknown, b: unknown): boolean =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);
const flowKey = (flow: { from: string; to: string }) => JSON.stringify([flow.from, flow.to]);

function fieldOps<T extends object, F extends string>(
  before: T,
  after: T,
  fields: readonly F[],
  make: (field: F, value: unknown) => SharedOp,
): SharedOp[] {
  const ops: SharedOp[] = [];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const field of fields) {
    if (same(b[field], a[field])) continue;
    ops.push(make(field, a[field] === undefined ? null : a[field]));
  }
  return ops;
}

/**
 * The operations that turn `before` into `after` (the same workflow: same id and state). Removals
 * come before puts and sets, and puts in their final order, so replaying them on `before` gives
 * `after` — the same items, fields and order of lanes.
 */
export function diffWorkflows(before: Workflow, after: Workflow): SharedOp[] {
  const ops: SharedOp[] = [];
  const afterFlows = new Map(after.flows.map((f) => [flowKey(f), f]));
  const beforeFlows = new Map(before.flows.map((f) => [flowKey(f), f]));
  const afterSteps = new Map(after.steps.map((s) => [s.id, s]));
  const beforeSteps = new Map(before.steps.map((s) => [s.id, s]));
  const afterLanes = new Map(after.lanes.map((l) => [l.id, l]));
  const beforeLanes = new Map(before.lanes.map((l) => [l.id, l]));

  for (const flow of before.flows)
    if (!afterFlows.has(flowKey(flow))) ops.push({ op: 'flow/remove', from: flow.from, to: flow.to });
  for (const step of before.steps) if (!afterSteps.has(step.id)) ops.push({ op: 'step/remove', id: step.id });
  for (const lane of before.lanes) if (!afterLanes.has(lane.id)) ops.push({ op: 'lane/remove', id: lane.id });

  after.lanes.forEach((lane, index) => {
    const old = beforeLanes.get(lane.id);
    if (old === undefined) ops.push({ op: 'lane/put', lane, index });
    else
      ops.push(
        ...fieldOps(old, lane, LANE_FIELDS, (field, value) => ({
          op: 'lane/set',
          id: lane.id,
          field,
          value,
        })),
      );
  });
  // lane order: the kept lanes' relative order is what a move changes
  const kept = before.lanes.filter((l) => afterLanes.has(l.id)).map((l) => l.id);
  const keptAfter = after.lanes.filter((l) => beforeLanes.has(l.id)).map((l) => l.id);
  if (!same(kept, keptAfter))
    after.lanes.forEach((lane, index) => {
      if (beforeLanes.has(lane.id)) ops.push({ op: 'lane/move', id: lane.id, index });
    });

  after.steps.forEach((step, index) => {
    const old = beforeSteps.get(step.id);
    if (old === undefined) ops.push({ op: 'step/put', step, index });
    else
      ops.push(
        ...fieldOps(old, step, STEP_FIELDS, (field, value) => ({
          op: 'step/set',
          id: step.id,
          field,
          value,
        })),
      );
  });
  after.flows.forEach((flow, index) => {
    const old = beforeFlows.get(flowKey(flow));
    if (old === undefined) ops.push({ op: 'flow/put', flow, index });
    else
      ops.push(
        ...fieldOps(old, flow, FLOW_FIELDS, (field, value) => ({
          op: 'flow/set',
          from: flow.from,
          to: flow.to,
          field,
          value,
        })),
      );
  });
  ops.push(
    ...fieldOps(before, after, WORKFLOW_FIELDS, (field, value) => ({ op: 'workflow/set', field, value })),
  );
  return ops;
}

// ---- replaying operations ------------------------------------------------------------------

function setField<T extends object>(target: T, field: string, value: unknown): T {
  const next = { ...target } as Record<string, unknown>;
  if (value === null || value === undefined) delete next[field];
  else next[field] = value;
  return next as T;
}

function insertAt<T>(list: readonly T[], item: T, index: number): T[] {
  const at = Number.isInteger(index) ? Math.max(0, Math.min(index, list.length)) : list.length;
  return [...list.slice(0, at), item, ...list.slice(at)];
}

/** Applies one operation; `undefined` reason: it took effect. */
function applyOp(workflow: Workflow, op: SharedOp): { workflow: Workflow; skipped?: SkipReason } {
  switch (op.op) {
    case 'step/put':
      if (workflow.steps.some((s) => s.id === op.step.id)) return { workflow, skipped: 'exists' };
      return { workflow: { ...workflow, steps: insertAt(workflow.steps, op.step, op.index) } };
    case 'step/set': {
      const at = workflow.steps.findIndex((s) => s.id === op.id);
      if (at < 0) return { workflow, skipped: 'removed' };
      const step = setField(workflow.steps[at] as Step, op.field, op.value);
      return { workflow: { ...workflow, steps: workflow.steps.with(at, step) } };
    }
    case 'step/remove': {
      if (!workflow.steps.some((s) => s.id === op.id)) return { workflow, skipped: 'removed' };
      return { workflow: { ...workflow, steps: workflow.steps.filter((s) => s.id !== op.id) } };
    }
    case 'flow/put':
      if (workflow.flows.some((f) => f.from === op.flow.from && f.to === op.flow.to))
        return { workflow, skipped: 'exists' };
      return { workflow: { ...workflow, flows: insertAt(workflow.flows, op.flow, op.index) } };
    case 'flow/set': {
      const at = workflow.flows.findIndex((f) => f.from === op.from && f.to === op.to);
      if (at < 0) return { workflow, skipped: 'removed' };
      const flow = setField(workflow.flows[at] as Flow, op.field, op.value);
      return { workflow: { ...workflow, flows: workflow.flows.with(at, flow) } };
    }
    case 'flow/remove': {
      const at = workflow.flows.findIndex((f) => f.from === op.from && f.to === op.to);
      if (at < 0) return { workflow, skipped: 'removed' };
      return { workflow: { ...workflow, flows: workflow.flows.filter((_, i) => i !== at) } };
    }
    case 'lane/put':
      if (workflow.lanes.some((l) => l.id === op.lane.id)) return { workflow, skipped: 'exists' };
      return { workflow: { ...workflow, lanes: insertAt(workflow.lanes, op.lane, op.index) } };
    case 'lane/set': {
      const at = workflow.lanes.findIndex((l) => l.id === op.id);
      if (at < 0) return { workflow, skipped: 'removed' };
      const lane = setField(workflow.lanes[at] as Lane, op.field, op.value);
      return { workflow: { ...workflow, lanes: workflow.lanes.with(at, lane) } };
    }
    case 'lane/remove': {
      if (!workflow.lanes.some((l) => l.id === op.id)) return { workflow, skipped: 'removed' };
      return { workflow: { ...workflow, lanes: workflow.lanes.filter((l) => l.id !== op.id) } };
    }
    case 'lane/move': {
      const lane = workflow.lanes.find((l) => l.id === op.id);
      if (lane === undefined) return { workflow, skipped: 'removed' };
      return {
        workflow: {
          ...workflow,
          lanes: insertAt(
            workflow.lanes.filter((l) => l !== lane),
            lane,
            op.index,
          ),
        },
      };
    }
    case 'workflow/set':
      return { workflow: setField(workflow, op.field, op.value) };
  }
}

/** Replays `ops` in order on `workflow` (see the merge rules in the header). */
export function applyOps(workflow: Workflow, ops: readonly SharedOp[]): OpsResult {
  let current = workflow;
  const skipped: OpsResult['skipped'] = [];
  ops.forEach((op, index) => {
    const result = applyOp(current, op);
    current = result.workflow;
    if (result.skipped) skipped.push({ index, reason: result.skipped });
  });
  return { workflow: current, skipped };
}

// ---- operations from someone else ------------------------------------------------------------

/** The longest id or field name an operation may carry. */
const MAX_OP_ID = 200;

const OP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'step/set': STEP_FIELDS,
  'flow/set': FLOW_FIELDS,
  'lane/set': LANE_FIELDS,
  'workflow/set': WORKFLOW_FIELDS,
};

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_OP_ID;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with `op` as an operation, or undefined when it is one: its kind is known, its
 * ids are text, its field one that kind of operation sets, its index a whole number. Values are
 * not checked here: the server checks the workflow they make against the format's schema.
 */
export function sharedOpProblem(op: unknown): string | undefined {
  if (!isObject(op) || typeof op.op !== 'string') return 'an operation must be an object with an "op"';
  const kind = op.op;
  const index = () => (Number.isInteger(op.index) ? undefined : `${kind} needs a whole-number index`);
  switch (kind) {
    case 'step/put':
      return isObject(op.step) && isId(op.step.id) ? index() : 'step/put needs a step with an id';
    case 'flow/put':
      return isObject(op.flow) && isId(op.flow.from) && isId(op.flow.to)
        ? index()
        : 'flow/put needs a flow with from and to';
    case 'lane/put':
      return isObject(op.lane) && isId(op.lane.id) ? index() : 'lane/put needs a lane with an id';
    case 'step/remove':
    case 'lane/remove':
      return isId(op.id) ? undefined : `${kind} needs an id`;
    case 'lane/move':
      return isId(op.id) ? index() : 'lane/move needs an id';
    case 'flow/remove':
      return isId(op.from) && isId(op.to) ? undefined : 'flow/remove needs from and to';
    case 'step/set':
    case 'lane/set':
    case 'flow/set':
    case 'workflow/set': {
      const target =
        kind === 'flow/set' ? isId(op.from) && isId(op.to) : kind === 'workflow/set' || isId(op.id);
      if (!target) return `${kind} needs ${kind === 'flow/set' ? 'from and to' : 'an id'}`;
      if (!(OP_FIELDS[kind] as readonly string[]).includes(op.field as string))
        return `${kind} cannot set the field ${JSON.stringify(String(op.field).slice(0, 40))}`;
      return 'value' in op ? undefined : `${kind} needs a value (null removes the field)`;
    }
    default:
      return `"${kind.slice(0, 40)}" is not an operation this version knows`;
  }
}
