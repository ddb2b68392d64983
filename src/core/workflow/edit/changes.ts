/**
 * Fine-grained workflow edits as data (docs/conventions.md#changes-are-data): every edit the editor
 * makes — add a step, move it, connect two steps, rename a lane — is a `WorkflowEdit` applied by
 * the pure reducer {@link applyEdit}, which returns the next workflow together with the edit that
 * undoes it. Undo/redo (history.ts), autosave (the result becomes one `workflow/put` project
 * change) and, later, the audit trail share this one shape.
 *
 * Constraints:
 * - Pure: no DOM, no clock, no randomness. The caller chooses ids (`newStepId` helps).
 * - Immutable with structural sharing: an edit replaces only the objects on the path to what it
 *   touched; untouched steps, lanes, flows and arrays keep their identity (React Flow re-renders
 *   only the nodes whose object changed).
 * - Applying an edit and then its inverse gives back a workflow deep-equal to the original —
 *   including the order of lanes, steps and flows and which optional fields are present
 *   (property-tested in changes.property.test.ts).
 * - The reducer never produces a workflow the format would refuse for structure: every value
 *   keeps its JSON Schema type and range, ids stay unique, steps stay in existing lanes, flows
 *   join existing steps, no two flows join the same pair, and future-only fields stay out of
 *   current workflows. An edit that would break that throws {@link WorkflowEditError}. Drafts
 *   the format only warns about inside a project are allowed: branch probabilities that do not
 *   (yet) sum to 1 save, and the inspector shows them.
 * - Error messages name ids and fields, never typed values.
 */

import type {
  Annotation,
  DataObject,
  FlowTransfer,
  GoLiveSettings,
  Lane,
  MessageFlow,
  Pool,
  Step,
  StepGroup,
  StepKind,
  StepMedium,
  Workflow,
  Flow as WorkflowFlow,
} from '../../../formats/workflow.ts';

/** Every step kind, in palette order. */
export const STEP_KINDS: readonly StepKind[] = [
  'start',
  'task',
  'decision',
  'approval',
  'wait',
  'parallel-split',
  'parallel-join',
  'inclusive-split',
  'inclusive-join',
  'end',
];
/** Every medium; `digital` last because the others are what the analysis looks for. */
export const STEP_MEDIA: readonly StepMedium[] = ['paper', 'fax', 'phone', 'verbal', 'digital'];
/** Every transfer of a flow. */
export const FLOW_TRANSFERS: readonly FlowTransfer[] = ['none', 'electronic', 'manual', 'paper'];

/**
 * Changes to a step's fields. Optional fields of the format (`replaces`, `notes`, `position`)
 * are cleared with `null`, so a patch stays plain JSON (an `undefined` would vanish from it).
 */
export interface StepPatch {
  label?: string;
  lane?: string;
  kind?: StepKind;
  medium?: StepMedium;
  system?: string;
  touchMin?: number;
  waitMin?: number;
  clicks?: number;
  enters?: string[];
  replaces?: string[] | null;
  notes?: string | null;
  position?: { x: number; y: number } | null;
  /** the size its shape was drawn at by another tool; `null`: Preflight's own size for its kind */
  size?: { width: number; height: number } | null;
  /** the sub-process step it is inside; `null`: on the process's page */
  within?: string | null;
}

/** Changes to a flow's fields; `probability: null` removes the probability. */
export interface FlowPatch {
  probability?: number | null;
  transfer?: FlowTransfer;
}

/** Changes to a lane's fields (its id never changes: steps refer to it). */
export interface LanePatch {
  name?: string;
  staff?: number;
}

/**
 * Changes to workflow-level fields; `null` removes an optional one. The state (current or
 * future) is not editable: it decides which fields are allowed at all, so a different state is a
 * new workflow. `baseline` and `retired` are for future workflows only.
 */
export interface WorkflowPatch {
  name?: string;
  description?: string | null;
  process?: string | null;
  baseline?: string;
  arrivalsPerHour?: number;
  casesPerDay?: number | null;
  goLive?: GoLiveSettings | null;
  retired?: string[] | null;
  /** messages between pools; written by step removal (and its undo), which changes their ends */
  messageFlows?: MessageFlow[] | null;
  /** documents and stores; written by step removal (and its undo), which changes their users */
  dataObjects?: DataObject[] | null;
  /** notes drawn beside steps; written by step removal (and its undo), which changes their steps */
  annotations?: Annotation[] | null;
  /** frames drawn around steps; written by step removal (and its undo), as annotations */
  groups?: StepGroup[] | null;
}

/** Changes to a pool's fields (its id never changes: lanes and messages refer to it). */
export interface PoolPatch {
  name?: string;
}

/** Changes to a message's fields; `label: null` removes its label. */
export interface MessagePatch {
  label?: string | null;
}

/**
 * Changes to a document's or store's fields; `null` removes an optional one. Its readers and
 * writers are its associations with steps.
 */
export interface DataPatch {
  label?: string;
  kind?: DataObject['kind'];
  readBy?: string[] | null;
  writtenBy?: string[] | null;
  position?: { x: number; y: number } | null;
}

/**
 * One edit to a workflow. `index` on the adds puts the item at that position (the end when
 * absent or past the end), so an undone removal returns the item where it was.
 */
export type WorkflowEdit =
  | { type: 'step/add'; step: Step; index?: number }
  | { type: 'step/update'; id: string; patch: StepPatch }
  /** removes the step and every flow into or out of it */
  | { type: 'step/remove'; id: string }
  | { type: 'flow/add'; flow: WorkflowFlow; index?: number }
  | { type: 'flow/update'; from: string; to: string; patch: FlowPatch }
  | { type: 'flow/remove'; from: string; to: string }
  | { type: 'lane/add'; lane: Lane; index?: number }
  | { type: 'lane/update'; id: string; patch: LanePatch }
  /** removes the lane, its steps and their flows */
  | { type: 'lane/remove'; id: string }
  /** moves the lane to position `index` among the lanes (its band moves on the canvas) */
  | { type: 'lane/move'; id: string; index: number }
  | { type: 'workflow/update'; patch: WorkflowPatch }
  | { type: 'pool/update'; id: string; patch: PoolPatch }
  /** a message between two ends (steps or pools) of different pools or lanes; one per pair */
  | { type: 'message/add'; message: MessageFlow; index?: number }
  | { type: 'message/update'; from: string; to: string; patch: MessagePatch }
  | { type: 'message/remove'; from: string; to: string }
  | { type: 'data/add'; data: DataObject; index?: number }
  | { type: 'data/update'; id: string; patch: DataPatch }
  /** removes the document or store and its associations with steps */
  | { type: 'data/remove'; id: string }
  /** several edits made by one gesture (a drag of many steps, a paste): undone as one */
  | { type: 'batch'; edits: WorkflowEdit[] };

/** Why an edit could not be applied; stable, for tests and UI logic. */
type WorkflowEditErrorCode =
  | 'duplicate-id'
  | 'unknown-step'
  | 'unknown-lane'
  | 'unknown-flow'
  | 'duplicate-flow'
  | 'unknown-pool'
  | 'unknown-message'
  | 'unknown-data'
  | 'invalid-value'
  | 'future-only'
  | 'unknown-edit';

/** Thrown by {@link applyEdit} for an edit that cannot apply; the workflow is left as it was. */
export class WorkflowEditError extends Error {
  override name = 'WorkflowEditError';
  /** what kind of problem it is */
  readonly code: WorkflowEditErrorCode;
  /** the edit type that failed */
  readonly editType: string;
  /** the field at fault, when one is (e.g. `touchMin`) */
  readonly field: string | undefined;

  constructor(code: WorkflowEditErrorCode, editType: string, message: string, field?: string) {
    super(message);
    this.code = code;
    this.editType = editType;
    this.field = field;
  }
}

/** The next workflow and the edit that turns it back into the one the edit was applied to. */
interface EditResult {
  workflow: Workflow;
  inverse: WorkflowEdit;
}

// ---- value checks (what the JSON Schema demands, so storage never refuses the result) ------

function fail(code: WorkflowEditErrorCode, editType: string, message: string, field?: string): never {
  throw new WorkflowEditError(code, editType, message, field);
}

function checkText(value: unknown, editType: string, field: string, nonEmpty: boolean): string {
  if (typeof value !== 'string') fail('invalid-value', editType, `${field} must be text.`, field);
  if (nonEmpty && value.length === 0) fail('invalid-value', editType, `${field} cannot be empty.`, field);
  return value;
}

function checkMinutes(value: unknown, editType: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail('invalid-value', editType, `${field} must be a number of 0 or more.`, field);
  }
  return value;
}

function checkCount(value: unknown, editType: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    fail('invalid-value', editType, `${field} must be a whole number of 0 or more.`, field);
  }
  return value;
}

function checkFactor(value: unknown, editType: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    fail('invalid-value', editType, `${field} must be more than 0 and at most 1.`, field);
  }
  return value;
}

function checkIdList(value: unknown, editType: string, field: string, unique: boolean): string[] {
  if (!Array.isArray(value)) fail('invalid-value', editType, `${field} must be a list.`, field);
  for (const item of value) {
    if (typeof item !== 'string' || item.length === 0) {
      fail('invalid-value', editType, `${field} may hold only non-empty text.`, field);
    }
  }
  if (unique && new Set(value).size !== value.length) {
    fail('invalid-value', editType, `${field} may not name the same step twice.`, field);
  }
  return value as string[];
}

function checkOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  editType: string,
  field: string,
): T {
  if (!allowed.includes(value as T)) {
    fail('invalid-value', editType, `${field} must be one of ${allowed.join(', ')}.`, field);
  }
  return value as T;
}

/** Checks every field of a step the schema constrains; `workflow` gives its lane and state. */
function checkStep(step: Step, workflow: Workflow, editType: string): void {
  checkText(step.id, editType, 'id', true);
  checkText(step.label, editType, 'label', true);
  checkText(step.lane, editType, 'lane', true);
  if (!workflow.lanes.some((lane) => lane.id === step.lane)) {
    fail('unknown-lane', editType, `There is no lane "${step.lane}" in this workflow.`, 'lane');
  }
  checkOneOf(step.kind, STEP_KINDS, editType, 'kind');
  checkOneOf(step.medium, STEP_MEDIA, editType, 'medium');
  checkText(step.system, editType, 'system', false);
  checkMinutes(step.touchMin, editType, 'touchMin');
  checkMinutes(step.waitMin, editType, 'waitMin');
  checkCount(step.clicks, editType, 'clicks');
  checkIdList(step.enters, editType, 'enters', false);
  if (step.replaces !== undefined) {
    checkIdList(step.replaces, editType, 'replaces', true);
    if (step.replaces.length > 0 && workflow.state !== 'future') {
      fail('future-only', editType, 'Only steps of a future workflow replace steps.', 'replaces');
    }
  }
  if (step.notes !== undefined) checkText(step.notes, editType, 'notes', false);
  if (step.within !== undefined && (typeof step.within !== 'string' || step.within === step.id)) {
    fail('invalid-value', editType, 'within must be the id of another step.', 'within');
  }
  if (step.position !== undefined) {
    const { x, y } = step.position ?? {};
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      fail('invalid-value', editType, 'position must have finite x and y.', 'position');
    }
  }
  if (step.size !== undefined) {
    const { width, height } = step.size ?? {};
    const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;
    if (!positive(width) || !positive(height)) {
      fail('invalid-value', editType, 'size must have a width and a height above 0.', 'size');
    }
  }
}

function checkLane(lane: Lane, editType: string): void {
  checkText(lane.id, editType, 'id', true);
  checkText(lane.name, editType, 'name', true);
  checkCount(lane.staff, editType, 'staff');
}

function checkFlow(flow: WorkflowFlow, editType: string): void {
  checkOneOf(flow.transfer, FLOW_TRANSFERS, editType, 'transfer');
  if (flow.probability !== undefined) {
    const p = flow.probability;
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) {
      fail('invalid-value', editType, 'probability must be between 0 and 1.', 'probability');
    }
  }
}

// ---- helpers ------------------------------------------------------------------------------

const STEP_PATCH_KEYS: ReadonlySet<string> = new Set([
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
  'position',
  'size',
  'within',
]);
const FLOW_PATCH_KEYS: ReadonlySet<string> = new Set(['probability', 'transfer']);
const POOL_PATCH_KEYS: ReadonlySet<string> = new Set(['name']);
const MESSAGE_PATCH_KEYS: ReadonlySet<string> = new Set(['label']);
const DATA_PATCH_KEYS: ReadonlySet<string> = new Set(['label', 'kind', 'readBy', 'writtenBy', 'position']);
/** The kinds of a data object, in the order the editor offers them. */
const DATA_KINDS: readonly DataObject['kind'][] = ['object', 'store'];
const LANE_PATCH_KEYS: ReadonlySet<string> = new Set(['name', 'staff']);
const WORKFLOW_PATCH_KEYS: ReadonlySet<string> = new Set([
  'name',
  'description',
  'process',
  'baseline',
  'arrivalsPerHour',
  'casesPerDay',
  'goLive',
  'retired',
  'messageFlows',
  'dataObjects',
  'annotations',
  'groups',
]);

/** A patch may only name the fields its edit changes (ids and the state are not editable). */
function checkPatchKeys(
  patch: unknown,
  allowed: ReadonlySet<string>,
  editType: string,
): Record<string, unknown> {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    fail('invalid-value', editType, 'patch must be an object.', 'patch');
  }
  for (const key of Object.keys(patch)) {
    if (!allowed.has(key)) fail('invalid-value', editType, `${key} cannot be changed by ${editType}.`, key);
  }
  return patch as Record<string, unknown>;
}

/** Inserts at `index` (clamped), in a copy. */
function insertAt<T>(list: readonly T[], item: T, index: number | undefined): T[] {
  const at = index === undefined ? list.length : Math.max(0, Math.min(index, list.length));
  return [...list.slice(0, at), item, ...list.slice(at)];
}

/**
 * Applies a patch with `null` meaning "remove the field". Returns the patched object and the
 * patch that restores the old values (`null` for fields that were absent).
 */
function patchObject<T extends object>(
  target: T,
  patch: Record<string, unknown>,
): { next: T; undo: Record<string, unknown> } {
  const old = target as unknown as Record<string, unknown>;
  const next: Record<string, unknown> = { ...old };
  const undo: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    undo[key] = key in old && old[key] !== undefined ? old[key] : null;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return { next: next as T, undo };
}

function stepIndex(workflow: Workflow, id: string, editType: string): number {
  const index = workflow.steps.findIndex((step) => step.id === id);
  if (index < 0) fail('unknown-step', editType, `There is no step "${id}" in this workflow.`);
  return index;
}

function laneIndex(workflow: Workflow, id: string, editType: string): number {
  const index = workflow.lanes.findIndex((lane) => lane.id === id);
  if (index < 0) fail('unknown-lane', editType, `There is no lane "${id}" in this workflow.`);
  return index;
}

function flowIndex(workflow: Workflow, from: string, to: string, editType: string): number {
  const index = workflow.flows.findIndex((flow) => flow.from === from && flow.to === to);
  if (index < 0) fail('unknown-flow', editType, `There is no flow from "${from}" to "${to}".`);
  return index;
}

/** Removes the items at `indexes` and returns the restoring adds, in ascending index order. */
function removeIndexes<T>(list: readonly T[], indexes: ReadonlySet<number>): T[] {
  return list.filter((_, i) => !indexes.has(i));
}

// ---- what travels beside the work: pools, messages, documents -------------------------------

/** Sets (or, when `list` is absent, removes) an optional list field of the workflow. */
function withList<K extends 'pools' | 'messageFlows' | 'dataObjects'>(
  workflow: Workflow,
  key: K,
  list: Workflow[K],
): Workflow {
  if (list === undefined) {
    const { [key]: _, ...rest } = workflow;
    return rest as Workflow;
  }
  return { ...workflow, [key]: list };
}

/** The list after removing index `at`; absent when nothing is left (the field goes, as it came). */
function without<T>(list: readonly T[], at: number): T[] | undefined {
  const next = list.filter((_, i) => i !== at);
  return next.length > 0 ? next : undefined;
}

function messageIndex(workflow: Workflow, from: string, to: string, editType: string): number {
  const index = (workflow.messageFlows ?? []).findIndex((m) => m.from === from && m.to === to);
  if (index < 0) fail('unknown-message', editType, `There is no message from "${from}" to "${to}".`);
  return index;
}

function dataIndex(workflow: Workflow, id: string, editType: string): number {
  const index = (workflow.dataObjects ?? []).findIndex((d) => d.id === id);
  if (index < 0) fail('unknown-data', editType, `There is no document or store "${id}" in this workflow.`);
  return index;
}

/**
 * A message's ends are steps or pools of the workflow, two different ones; a message between two
 * steps joins different pools, or different lanes when the workflow has one pool.
 */
function checkMessage(workflow: Workflow, message: MessageFlow, editType: string): void {
  checkText(message.from, editType, 'from', true);
  checkText(message.to, editType, 'to', true);
  if (message.label !== undefined) checkText(message.label, editType, 'label', true);
  if (message.id !== undefined) checkText(message.id, editType, 'id', true);
  const pools = new Set((workflow.pools ?? []).map((pool) => pool.id));
  const steps = new Map(workflow.steps.map((step) => [step.id, step]));
  for (const end of [message.from, message.to]) {
    if (!steps.has(end) && !pools.has(end)) {
      fail('unknown-step', editType, `"${end}" is neither a step nor a pool of this workflow.`);
    }
  }
  if (message.from === message.to) fail('invalid-value', editType, 'A message goes to someone else.', 'to');
  const poolOf = (id: string): string | undefined => {
    if (pools.has(id)) return id;
    const lane = workflow.lanes.find((l) => l.id === steps.get(id)?.lane);
    if (!lane) return undefined;
    // a lane without a pool is in the workflow's own pool
    return pools.size > 0 ? (lane.pool ?? '\u0000own') : lane.id;
  };
  const [a, b] = [poolOf(message.from), poolOf(message.to)];
  if (a !== undefined && a === b) {
    fail(
      'invalid-value',
      editType,
      pools.size > 0
        ? 'A message goes between two pools; within a pool the work itself moves (a flow).'
        : 'A message goes between two lanes; within a lane the work itself moves (a flow).',
      'to',
    );
  }
}

function checkData(workflow: Workflow, data: DataObject, editType: string): void {
  checkText(data.id, editType, 'id', true);
  checkText(data.label, editType, 'label', true);
  checkOneOf(data.kind, DATA_KINDS, editType, 'kind');
  const steps = new Set(workflow.steps.map((step) => step.id));
  for (const field of ['readBy', 'writtenBy'] as const) {
    const list = data[field];
    if (list === undefined) continue;
    checkIdList(list, editType, field, true);
    for (const id of list) {
      if (!steps.has(id)) fail('unknown-step', editType, `There is no step "${id}" in this workflow.`, field);
    }
  }
  if (data.within !== undefined && !steps.has(data.within)) {
    fail('unknown-step', editType, `There is no step "${data.within}" in this workflow.`, 'within');
  }
  if (data.position !== undefined) {
    const { x, y } = data.position ?? {};
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      fail('invalid-value', editType, 'position must have finite x and y.', 'position');
    }
  }
}

/** The edits of pools, messages and documents (see {@link WorkflowEdit}). */
function applyBeside(workflow: Workflow, edit: WorkflowEdit): EditResult | null {
  const type = edit.type;
  switch (edit.type) {
    case 'pool/update': {
      const pools = workflow.pools ?? [];
      const index = pools.findIndex((pool) => pool.id === edit.id);
      if (index < 0) fail('unknown-pool', type, `There is no pool "${edit.id}" in this workflow.`);
      const { next, undo } = patchObject(
        pools[index] as Pool,
        checkPatchKeys(edit.patch, POOL_PATCH_KEYS, type),
      );
      checkText(next.name, type, 'name', true);
      return {
        workflow: { ...workflow, pools: pools.with(index, next) },
        inverse: { type: 'pool/update', id: edit.id, patch: undo as PoolPatch },
      };
    }
    case 'message/add': {
      const { message } = edit;
      checkMessage(workflow, message, type);
      const messages = workflow.messageFlows ?? [];
      if (messages.some((m) => m.from === message.from && m.to === message.to)) {
        fail('duplicate-flow', type, `A message from "${message.from}" to "${message.to}" is already there.`);
      }
      return {
        workflow: { ...workflow, messageFlows: insertAt(messages, message, edit.index) },
        inverse: { type: 'message/remove', from: message.from, to: message.to },
      };
    }
    case 'message/update': {
      const index = messageIndex(workflow, edit.from, edit.to, type);
      const messages = workflow.messageFlows ?? [];
      const { next, undo } = patchObject(
        messages[index] as MessageFlow,
        checkPatchKeys(edit.patch, MESSAGE_PATCH_KEYS, type),
      );
      if (next.label !== undefined) checkText(next.label, type, 'label', true);
      return {
        workflow: { ...workflow, messageFlows: messages.with(index, next) },
        inverse: { type: 'message/update', from: edit.from, to: edit.to, patch: undo as MessagePatch },
      };
    }
    case 'message/remove': {
      const index = messageIndex(workflow, edit.from, edit.to, type);
      const messages = workflow.messageFlows ?? [];
      return {
        workflow: withList(workflow, 'messageFlows', without(messages, index)),
        inverse: { type: 'message/add', message: messages[index] as MessageFlow, index },
      };
    }
    case 'data/add': {
      const objects = workflow.dataObjects ?? [];
      if (objects.some((d) => d.id === edit.data.id)) {
        fail('duplicate-id', type, `A document or store with id "${edit.data.id}" is already there.`, 'id');
      }
      checkData(workflow, edit.data, type);
      return {
        workflow: { ...workflow, dataObjects: insertAt(objects, edit.data, edit.index) },
        inverse: { type: 'data/remove', id: edit.data.id },
      };
    }
    case 'data/update': {
      const index = dataIndex(workflow, edit.id, type);
      const objects = workflow.dataObjects ?? [];
      const { next, undo } = patchObject(
        objects[index] as DataObject,
        checkPatchKeys(edit.patch, DATA_PATCH_KEYS, type),
      );
      checkData(workflow, next, type);
      return {
        workflow: { ...workflow, dataObjects: objects.with(index, next) },
        inverse: { type: 'data/update', id: edit.id, patch: undo as DataPatch },
      };
    }
    case 'data/remove': {
      const index = dataIndex(workflow, edit.id, type);
      const objects = workflow.dataObjects ?? [];
      return {
        workflow: withList(workflow, 'dataObjects', without(objects, index)),
        inverse: { type: 'data/add', data: objects[index] as DataObject, index },
      };
    }
    default:
      return null;
  }
}

// ---- the reducer ----------------------------------------------------------------------------

function addStep(workflow: Workflow, step: Step, index: number | undefined, editType: string): EditResult {
  if (workflow.steps.some((s) => s.id === step.id)) {
    fail('duplicate-id', editType, `A step with id "${step.id}" is already in this workflow.`, 'id');
  }
  checkStep(step, workflow, editType);
  return {
    workflow: { ...workflow, steps: insertAt(workflow.steps, step, index) },
    inverse: { type: 'step/remove', id: step.id },
  };
}

function removeSteps(
  workflow: Workflow,
  ids: ReadonlySet<string>,
): { workflow: Workflow; restore: WorkflowEdit[] } {
  const stepIndexes = new Set<number>();
  const restore: WorkflowEdit[] = [];
  workflow.steps.forEach((step, i) => {
    if (ids.has(step.id)) {
      stepIndexes.add(i);
      restore.push({ type: 'step/add', step, index: i });
    }
  });
  const flowIndexes = new Set<number>();
  workflow.flows.forEach((flow, i) => {
    if (ids.has(flow.from) || ids.has(flow.to)) {
      flowIndexes.add(i);
      restore.push({ type: 'flow/add', flow, index: i });
    }
  });
  // the inner steps of a removed sub-process move to the page it was on
  const withinOf = new Map(workflow.steps.map((step) => [step.id, step.within]));
  const outerOf = (id: string | undefined): string | undefined => {
    let cursor = id;
    for (let depth = 0; cursor !== undefined && ids.has(cursor) && depth < 1_000; depth++)
      cursor = withinOf.get(cursor);
    return cursor !== undefined && ids.has(cursor) ? undefined : cursor;
  };
  const steps = removeIndexes(workflow.steps, stepIndexes).map((step) => {
    if (step.within === undefined || !ids.has(step.within)) return step;
    restore.push({ type: 'step/update', id: step.id, patch: { within: step.within } });
    const { within: _, ...rest } = step;
    const outer = outerOf(step.within);
    return outer === undefined ? rest : { ...rest, within: outer };
  });
  // messages to or from a removed step go with it; data objects forget it as a user
  const beside: Partial<Workflow> = {};
  const messages = workflow.messageFlows?.filter((m) => !ids.has(m.from) && !ids.has(m.to));
  if (messages && messages.length !== workflow.messageFlows?.length) {
    restore.push({ type: 'workflow/update', patch: { messageFlows: workflow.messageFlows ?? null } });
    beside.messageFlows = messages;
  }
  const uses = (data: DataObject) =>
    [...(data.readBy ?? []), ...(data.writtenBy ?? [])].some((id) => ids.has(id)) ||
    (data.within !== undefined && ids.has(data.within));
  if (workflow.dataObjects?.some(uses)) {
    restore.push({ type: 'workflow/update', patch: { dataObjects: workflow.dataObjects ?? null } });
    beside.dataObjects = workflow.dataObjects.map((data) => {
      if (!uses(data)) return data;
      const { readBy, writtenBy, within, ...rest } = data;
      const keep = (list: string[] | undefined) => list?.filter((id) => !ids.has(id));
      const read = keep(readBy);
      const written = keep(writtenBy);
      return {
        ...rest,
        ...(read && read.length > 0 ? { readBy: read } : {}),
        ...(written && written.length > 0 ? { writtenBy: written } : {}),
        ...(within !== undefined && !ids.has(within) ? { within } : {}),
      };
    });
  }
  // annotations and groups forget a removed step (they stay drawn where they were)
  const forget = <T extends { steps?: string[] }>(list: readonly T[]): T[] =>
    list.map((item) => {
      if (!item.steps?.some((id) => ids.has(id))) return item;
      const { steps: inside, ...rest } = item;
      const kept = inside.filter((id) => !ids.has(id));
      return (kept.length > 0 ? { ...rest, steps: kept } : rest) as T;
    });
  for (const key of ['annotations', 'groups'] as const) {
    const list: readonly { steps?: string[] }[] = workflow[key] ?? [];
    if (!list.some((item) => item.steps?.some((id) => ids.has(id)))) continue;
    restore.push({ type: 'workflow/update', patch: { [key]: workflow[key] ?? null } });
    if (key === 'annotations') beside.annotations = forget(workflow.annotations ?? []);
    else beside.groups = forget(workflow.groups ?? []);
  }
  return {
    workflow: {
      ...workflow,
      steps,
      flows: flowIndexes.size > 0 ? removeIndexes(workflow.flows, flowIndexes) : workflow.flows,
      ...beside,
    },
    restore,
  };
}

/** A single edit, or a batch when the inverse takes several. */
function batchOf(edits: WorkflowEdit[]): WorkflowEdit {
  return edits.length === 1 ? (edits[0] as WorkflowEdit) : { type: 'batch', edits };
}

function updateWorkflow(workflow: Workflow, patch: WorkflowPatch, editType: string): EditResult {
  checkPatchKeys(patch, WORKFLOW_PATCH_KEYS, editType);
  if (patch.name !== undefined) checkText(patch.name, editType, 'name', true);
  if (patch.description !== undefined && patch.description !== null) {
    checkText(patch.description, editType, 'description', false);
  }
  if (patch.process !== undefined && patch.process !== null)
    checkText(patch.process, editType, 'process', true);
  if (patch.arrivalsPerHour !== undefined) checkMinutes(patch.arrivalsPerHour, editType, 'arrivalsPerHour');
  if (patch.casesPerDay !== undefined && patch.casesPerDay !== null) {
    checkMinutes(patch.casesPerDay, editType, 'casesPerDay');
  }
  if (patch.goLive !== undefined && patch.goLive !== null) {
    if (typeof patch.goLive !== 'object')
      fail('invalid-value', editType, 'goLive must be an object.', 'goLive');
    checkFactor(patch.goLive.capacityFactor, editType, 'capacityFactor');
    checkFactor(patch.goLive.productivityFactor, editType, 'productivityFactor');
  }
  if (patch.baseline !== undefined) {
    checkText(patch.baseline, editType, 'baseline', true);
    if (workflow.state !== 'future') {
      fail('future-only', editType, 'Only a future workflow has a baseline.', 'baseline');
    }
    if (patch.baseline === workflow.id) {
      fail('invalid-value', editType, 'A future workflow cannot be its own baseline.', 'baseline');
    }
  }
  if (patch.retired !== undefined && patch.retired !== null) {
    checkIdList(patch.retired, editType, 'retired', true);
    if (patch.retired.length > 0 && workflow.state !== 'future') {
      fail('future-only', editType, 'Only a future workflow retires steps.', 'retired');
    }
  }
  const { next, undo } = patchObject(workflow, checkPatchKeys(patch, WORKFLOW_PATCH_KEYS, editType));
  return { workflow: next, inverse: { type: 'workflow/update', patch: undo as WorkflowPatch } };
}

/**
 * A step patch that changes the step's kind also drops the size another tool drew the step at
 * (unless it sets one): that size belongs to the old shape (a gateway's 50×50 on a step turned
 * into a task), so the new kind is drawn at Preflight's own size. Undo restores it.
 */
function withoutDrawnSize(step: Step, patch: Record<string, unknown>): Record<string, unknown> {
  if (patch.kind === undefined || patch.kind === step.kind) return patch;
  if (step.size === undefined || patch.size !== undefined) return patch;
  return { ...patch, size: null };
}

/**
 * Applies one edit and returns the next workflow with the edit that undoes it; `workflow` is
 * never modified. A batch applies its edits in order and is all-or-nothing: when one fails the
 * error is thrown and nothing of the batch is applied.
 *
 * @throws WorkflowEditError for an edit that cannot apply (see the file header).
 */
export function applyEdit(workflow: Workflow, edit: WorkflowEdit): EditResult {
  const type = edit.type;
  switch (edit.type) {
    case 'step/add':
      return addStep(workflow, edit.step, edit.index, type);
    case 'step/update': {
      const index = stepIndex(workflow, edit.id, type);
      const step = workflow.steps[index] as Step;
      const { next, undo } = patchObject(
        step,
        withoutDrawnSize(step, checkPatchKeys(edit.patch, STEP_PATCH_KEYS, type)),
      );
      checkStep(next, workflow, type);
      return {
        workflow: { ...workflow, steps: workflow.steps.with(index, next) },
        inverse: { type: 'step/update', id: edit.id, patch: undo as StepPatch },
      };
    }
    case 'step/remove': {
      stepIndex(workflow, edit.id, type);
      const { workflow: next, restore } = removeSteps(workflow, new Set([edit.id]));
      return { workflow: next, inverse: batchOf(restore) };
    }
    case 'flow/add': {
      const { flow } = edit;
      stepIndex(workflow, flow.from, type);
      stepIndex(workflow, flow.to, type);
      if (workflow.flows.some((f) => f.from === flow.from && f.to === flow.to)) {
        fail('duplicate-flow', type, `A flow from "${flow.from}" to "${flow.to}" is already there.`);
      }
      checkFlow(flow, type);
      return {
        workflow: { ...workflow, flows: insertAt(workflow.flows, flow, edit.index) },
        inverse: { type: 'flow/remove', from: flow.from, to: flow.to },
      };
    }
    case 'flow/update': {
      const index = flowIndex(workflow, edit.from, edit.to, type);
      const { next, undo } = patchObject(
        workflow.flows[index] as WorkflowFlow,
        checkPatchKeys(edit.patch, FLOW_PATCH_KEYS, type),
      );
      checkFlow(next, type);
      return {
        workflow: { ...workflow, flows: workflow.flows.with(index, next) },
        inverse: { type: 'flow/update', from: edit.from, to: edit.to, patch: undo as FlowPatch },
      };
    }
    case 'flow/remove': {
      const index = flowIndex(workflow, edit.from, edit.to, type);
      return {
        workflow: { ...workflow, flows: removeIndexes(workflow.flows, new Set([index])) },
        inverse: { type: 'flow/add', flow: workflow.flows[index] as WorkflowFlow, index },
      };
    }
    case 'lane/add': {
      if (workflow.lanes.some((lane) => lane.id === edit.lane.id)) {
        fail('duplicate-id', type, `A lane with id "${edit.lane.id}" is already in this workflow.`, 'id');
      }
      checkLane(edit.lane, type);
      return {
        workflow: { ...workflow, lanes: insertAt(workflow.lanes, edit.lane, edit.index) },
        inverse: { type: 'lane/remove', id: edit.lane.id },
      };
    }
    case 'lane/update': {
      const index = laneIndex(workflow, edit.id, type);
      const { next, undo } = patchObject(
        workflow.lanes[index] as Lane,
        checkPatchKeys(edit.patch, LANE_PATCH_KEYS, type),
      );
      checkLane(next, type);
      return {
        workflow: { ...workflow, lanes: workflow.lanes.with(index, next) },
        inverse: { type: 'lane/update', id: edit.id, patch: undo as LanePatch },
      };
    }
    case 'lane/remove': {
      const index = laneIndex(workflow, edit.id, type);
      const inLane = new Set(workflow.steps.filter((s) => s.lane === edit.id).map((s) => s.id));
      const { workflow: withoutSteps, restore } =
        inLane.size > 0 ? removeSteps(workflow, inLane) : { workflow, restore: [] };
      return {
        workflow: { ...withoutSteps, lanes: removeIndexes(workflow.lanes, new Set([index])) },
        // the lane comes back first: its steps need it
        inverse: batchOf([{ type: 'lane/add', lane: workflow.lanes[index] as Lane, index }, ...restore]),
      };
    }
    case 'lane/move': {
      const from = laneIndex(workflow, edit.id, type);
      if (!Number.isInteger(edit.index))
        fail('invalid-value', type, 'index must be a whole number.', 'index');
      const to = Math.max(0, Math.min(edit.index, workflow.lanes.length - 1));
      const lane = workflow.lanes[from] as Lane;
      const lanes = workflow.lanes.filter((_, i) => i !== from);
      lanes.splice(to, 0, lane);
      return {
        workflow: from === to ? workflow : { ...workflow, lanes },
        inverse: { type: 'lane/move', id: edit.id, index: from },
      };
    }
    case 'workflow/update':
      return updateWorkflow(workflow, edit.patch, type);
    case 'pool/update':
    case 'message/add':
    case 'message/update':
    case 'message/remove':
    case 'data/add':
    case 'data/update':
    case 'data/remove':
      return applyBeside(workflow, edit) as EditResult;
    case 'batch': {
      let current = workflow;
      const inverses: WorkflowEdit[] = [];
      for (const inner of edit.edits) {
        const result = applyEdit(current, inner);
        current = result.workflow;
        inverses.push(result.inverse);
      }
      return { workflow: current, inverse: { type: 'batch', edits: inverses.reverse() } };
    }
    default: {
      const unknown = (edit as { type?: unknown }).type;
      return fail(
        'unknown-edit',
        String(unknown),
        `"${String(unknown)}" is not a workflow edit this version knows.`,
      );
    }
  }
}

/**
 * A step id not used in `workflow`: `base` itself, or `base-2`, `base-3`, … Ids are never
 * reused within a workflow while the step is there, so flows and `replaces` stay unambiguous.
 */
export function newStepId(workflow: Workflow, base: string): string {
  return freshId(new Set(workflow.steps.map((step) => step.id)), base);
}

/** A lane id not used in `workflow` (see {@link newStepId}). */
export function newLaneId(workflow: Workflow, base: string): string {
  return freshId(new Set(workflow.lanes.map((lane) => lane.id)), base);
}

/**
 * An id for a new document or store, unused by the workflow's documents (and their further
 * drawings), steps, lanes and pools (BPMN ids are unique across a file).
 */
export function newDataId(workflow: Workflow, base: string): string {
  return freshId(
    new Set([
      ...(workflow.dataObjects ?? []).flatMap((data) => [
        data.id,
        ...(data.drawings ?? []).map((drawing) => drawing.id),
      ]),
      ...workflow.steps.map((step) => step.id),
      ...workflow.lanes.map((lane) => lane.id),
      ...(workflow.pools ?? []).map((pool) => pool.id),
    ]),
    base,
  );
}

/** Turns a label into an id base: lowercase words joined by dashes, "step" when nothing is left. */
export function idBase(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'step';
}

function freshId(used: ReadonlySet<string>, base: string): string {
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
