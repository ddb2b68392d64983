/**
 * The workflow editor's state and actions, as a small store read through selector hooks: what is
 * selected, the status line, the open dialog, the views switched on (heat, comparison, drift) and
 * the fields being typed. The workflow itself is not here: it is the edit history's
 * (`useWorkflowEditor`), and the store reads it, with its layout and the history's `apply`, through
 * the `document` it is given. Every action turns a user's intent into one edit (or a batch), says
 * what happened on the status line, and selects what it made.
 *
 * No DOM here: what an action leaves for the screen to do (focus a step, bring a lane into view)
 * it returns, and the editor does it.
 */
import { useCallback, useSyncExternalStore } from 'react';
import {
  type ApplyOptions,
  idBase,
  newLaneId,
  newStepId,
  type WorkflowEdit,
} from '../../../core/workflow/edit/index.ts';
import type { Flow, Step, StepKind, Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';
import { type CanvasLayout, type HeatMode, nextFreeSpot, type PlacedStep, toStored } from './canvasModel.ts';
import type { Drafts } from './fields.tsx';
import type { MarkedElement } from './findingMarkViews.tsx';
import type { AppendChoice } from './KeyboardDialogs.tsx';
import { appendPlace, type Direction, laneMove, neighbourStep } from './keyboardDrawing.ts';
import { defaultLabel, KIND_LABEL } from './labels.ts';
import { flowEnds, flowKey, liveSelection, NOTHING_SELECTED, type Selection } from './selection.ts';

/** The dialog open on a step: "Connect to…" or "Add a step after…". */
export interface StepDialog {
  kind: 'connect' | 'append';
  step: string;
}

/** What the editor shows besides the workflow. */
export interface EditorState {
  /** as chosen; it may name what an undo removed (`liveSelection` is what is there) */
  selection: Selection;
  heat: HeatMode;
  /** the current workflow drawn below a future one */
  compare: boolean;
  /** steps of the baseline a finding pointed at, selected in the read-only comparison canvas */
  baselineSelection: Selection;
  /** the comparison's diagram pans and zooms with the edited one */
  together: boolean;
  /** the status line */
  message: string;
  stepDialog: StepDialog | null;
  /** fields typed but not valid yet, by `scope:id:field` */
  drafts: Drafts;
  /** the last go-live check's drift drawn on the diagram */
  driftShown: boolean;
  /** the element whose finding mark was chosen: its findings are listed first */
  chosenMark: MarkedElement | null;
}

/** The workflow being edited, its layout and the edit history's `apply` (refusal in words, or null). */
export interface EditorDocument {
  workflow: Workflow;
  layout: CanvasLayout;
  /** the sub-process whose page the canvas shows: steps added there are inside it */
  page?: string;
  apply: (edit: WorkflowEdit, options?: ApplyOptions) => string | null;
}

/** What was copied: steps and the flows among them. */
export interface Copied {
  steps: Step[];
  flows: Flow[];
}

/** The editor store (no resources: dropping it is enough). */
export interface EditorStore {
  get(): EditorState;
  subscribe(listener: () => void): () => void;
  set(patch: Partial<EditorState>): void;
  /** puts `message` on the status line */
  say(message: string): void;
  /** the selection, less what is no longer in the workflow */
  live(): Selection;
  select(selection: Selection): void;
  /** a field typed but not valid yet (`null`: valid again) */
  setDraft(key: string, text: string | null): void;
  /** applies `edit`; its refusal or `done` goes on the status line; true when applied */
  run(edit: WorkflowEdit, done?: string): boolean;
  addStep(kind: StepKind, lane: string, label: string, at?: { x: number; y: number }): boolean;
  /** a step kind dropped at `at` (canvas units) */
  dropKind(kind: StepKind, at: { x: number; y: number }): void;
  /** adds a lane and selects it; returns its id (to bring into view), or null when refused */
  addLane(name: string, staff: number): string | null;
  /** removes the selected steps, flows and messages (else the selected lane); true when something went */
  removeSelection(): boolean;
  copy(): void;
  /** pastes what was copied (in this tab, from any workflow), offset from where it was */
  paste(): void;
  duplicate(): void;
  /**
   * moves the selected steps by `dx`, `dy` (one undo step for a run of moves of the same steps); the
   * status line says what the run did once it stops
   */
  moveSelected(dx: number, dy: number): void;
  /** the selected steps go one lane up or down, keeping their column */
  moveSelectedLane(direction: 'up' | 'down'): void;
  /** selects the next step from `from` in `direction` and returns it (to focus), or null */
  neighbour(from: string, direction: Direction): string | null;
  openStepDialog(kind: StepDialog['kind'], step: string): void;
  /** closes the dialog; returns its step (focus goes back to it) */
  closeStepDialog(): string | undefined;
  /** connects `from` to `to`, closes the dialog and selects `from`; true when connected */
  connect(from: string, to: string): boolean;
  /** adds a step after `from`, connected from it, and selects it; returns its id, or null */
  appendAfter(from: string, choice: AppendChoice): string | null;
  selectAllSteps(): void;
  /** a finding mark was chosen: its element is selected and its findings listed first */
  showMarkedFindings(element: MarkedElement): void;
  /**
   * a finding's steps: selected, and returned as laid out (to bring into view); the baseline's
   * steps are selected in the comparison, which opens (returns null)
   */
  selectFindingSteps(workflowId: string, stepIds: readonly string[]): PlacedStep[] | null;
}

/** What the arrow keys say when only boundary events are selected: they are not moved on their own. */
const BOUNDARY_MOVES_WITH_ACTIVITY =
  'A boundary event sits on its activity’s border and moves with it: move the activity.';

/** Whether `ids` are all boundary events drawn on their activity's border (and at least one). */
function onlyBoundaryEvents(layout: CanvasLayout, ids: readonly string[]): boolean {
  return ids.length > 0 && ids.every((id) => layout.steps.find((p) => p.step.id === id)?.attached);
}

/** How far a paste or duplicate lands from the original (canvas units). */
export const PASTE_OFFSET = 40;

/** Module state: paste works across workflows (and editors) in a tab. */
let clipboard: Copied | null = null;

function newStep(
  id: string,
  label: string,
  lane: string,
  kind: StepKind,
  at: { x: number; y: number },
  page?: string,
): Step {
  return {
    id,
    label,
    lane,
    kind,
    medium: 'digital',
    system: '',
    touchMin: 0,
    waitMin: 0,
    clicks: 0,
    enters: [],
    ...(page !== undefined ? { within: page } : {}),
    position: at,
  };
}

/**
 * How long after the last of a run of keyboard moves (a held arrow key repeats about every 30 ms
 * after a first pause of up to half a second) the status line says what the run did.
 */
export const MOVE_SAID_AFTER_MS = 600;

/**
 * What a run of sideways moves of `steps` did, for the status line: which way the (first) step went
 * and where it now stands among the steps of its lane ("Moved “Take vitals” right: now after
 * “Check in” in Nurse."), read from the layout once the moves are drawn.
 */
function movedWords(document: EditorDocument, steps: readonly string[], fromX: number): string {
  const { layout, workflow } = document;
  const first = layout.steps.find((p) => p.step.id === steps[0]);
  if (!first) return '';
  const way = first.x > fromX ? 'right' : first.x < fromX ? 'left' : null;
  if (steps.length > 1)
    return way
      ? `Moved ${steps.length} steps ${way}.`
      : `The ${steps.length} steps are back where they were.`;
  const label = `“${first.step.label}”`;
  if (!way) return `${label} is back where it was.`;
  const lane = workflow.lanes.find((l) => l.id === first.step.lane)?.name ?? first.step.lane;
  const centre = (p: PlacedStep) => p.x + p.width / 2;
  const before = layout.steps
    .filter((p) => p !== first && p.step.lane === first.step.lane && centre(p) < centre(first))
    .sort((a, b) => centre(b) - centre(a))[0];
  return before
    ? `Moved ${label} ${way}: now after “${before.step.label}” in ${lane}.`
    : `Moved ${label} ${way}: now first in ${lane}.`;
}

function oneOrBatch(edits: readonly WorkflowEdit[]): WorkflowEdit {
  return edits.length === 1 ? (edits[0] as WorkflowEdit) : { type: 'batch', edits: [...edits] };
}

/** A new editor store over `document` (read at each action: the workflow as it is now). */
export function createEditorStore(
  document: () => EditorDocument,
  initial: {
    message?: string;
    driftShown?: boolean;
    /**
     * added to the id of every new step and lane: a workflow shared with the team is edited in
     * several copies at once, and two people adding "Triage" must not make one id
     */
    idTag?: string;
    /** the words that refuse every change while the workflow is only looked at (none: it may be changed) */
    readOnly?: () => string | undefined;
  } = {},
): EditorStore {
  const tagged = (base: string) =>
    initial.idTag === undefined || base.endsWith(`-${initial.idTag}`) ? base : `${base}-${initial.idTag}`;
  const stepId = (workflow: Workflow, base: string) => newStepId(workflow, tagged(base));
  let state: EditorState = {
    selection: NOTHING_SELECTED,
    heat: 'off',
    compare: false,
    baselineSelection: NOTHING_SELECTED,
    together: true,
    message: initial.message ?? '',
    stepDialog: null,
    drafts: new Map(),
    driftShown: initial.driftShown ?? false,
    chosenMark: null,
  };
  const listeners = new Set<() => void>();
  /** a run of keyboard moves of the same steps, said once it stops ({@link MOVE_SAID_AFTER_MS}) */
  let moving: { key: string; steps: string[]; fromX: number; timer: ReturnType<typeof setTimeout> } | null =
    null;
  const stopMoving = () => {
    if (moving) clearTimeout(moving.timer);
    moving = null;
  };
  const set = (patch: Partial<EditorState>) => {
    // whatever is said next (an undo, a refusal, another action) is newer than a run of moves not yet said
    if ('message' in patch) stopMoving();
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };
  const say = (message: string) => set({ message });
  const selectSteps = (steps: string[]) => set({ selection: { steps, flows: [], lane: null } });
  const live = () => liveSelection(state.selection, document().workflow);
  const stepLabel = (id: string) => document().workflow.steps.find((s) => s.id === id)?.label ?? id;
  const laneLabel = (id: string) => document().workflow.lanes.find((l) => l.id === id)?.name ?? id;
  const run = (edit: WorkflowEdit, done?: string): boolean => {
    const refused = document().apply(edit);
    if (refused) {
      say(refused);
      return false;
    }
    if (done) say(done);
    return true;
  };

  const pasteSteps = (source: Copied | null) => {
    if (!source || source.steps.length === 0) return;
    const { workflow, layout } = document();
    const fallbackLane = workflow.lanes[0]?.id;
    if (!fallbackLane) {
      say('Add a lane first: every step belongs to a role.');
      return;
    }
    let draft = workflow;
    const renamed = new Map<string, string>();
    const edits: WorkflowEdit[] = [];
    for (const step of source.steps) {
      const id = stepId(draft, step.id);
      renamed.set(step.id, id);
      const lane = workflow.lanes.some((l) => l.id === step.lane) ? step.lane : fallbackLane;
      const at = step.position ?? nextFreeSpot(layout, lane);
      const { within: _within, ...rest } = step;
      const page = document().page;
      const copyOf: Step = {
        ...rest,
        id,
        lane,
        position: { x: at.x + PASTE_OFFSET, y: at.y + PASTE_OFFSET },
        ...(page !== undefined ? { within: page } : {}),
      };
      // a copy into a current workflow cannot keep traceability to a baseline
      if (workflow.state !== 'future') delete copyOf.replaces;
      edits.push({ type: 'step/add', step: copyOf });
      draft = { ...draft, steps: [...draft.steps, copyOf] };
    }
    for (const flow of source.flows) {
      const from = renamed.get(flow.from);
      const to = renamed.get(flow.to);
      if (from && to) edits.push({ type: 'flow/add', flow: { ...flow, from, to } });
    }
    const count = source.steps.length === 1 ? 'one step' : plural(source.steps.length, 'step');
    if (run({ type: 'batch', edits }, `Pasted ${count}.`)) selectSteps([...renamed.values()]);
  };

  const selected = (): Copied => {
    const { workflow } = document();
    const ids = new Set(live().steps);
    return {
      steps: workflow.steps.filter((s) => ids.has(s.id)),
      flows: workflow.flows.filter((f) => ids.has(f.from) && ids.has(f.to)),
    };
  };

  const store: EditorStore = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set,
    say,
    live,
    select: (selection) => set({ selection }),
    setDraft(key, text) {
      const drafts = new Map(state.drafts);
      if (text === null) drafts.delete(key);
      else drafts.set(key, text);
      set({ drafts });
    },
    run,

    addStep(kind, lane, label, at) {
      const { workflow, layout } = document();
      const text = label.trim() || defaultLabel(kind);
      const id = stepId(workflow, idBase(text));
      const step = newStep(id, text, lane, kind, at ?? nextFreeSpot(layout, lane), document().page);
      const laneName = workflow.lanes.find((l) => l.id === lane)?.name ?? '';
      if (
        !run({ type: 'step/add', step }, `Added ${KIND_LABEL[kind].toLowerCase()} “${text}” to ${laneName}.`)
      ) {
        return false;
      }
      selectSteps([id]);
      return true;
    },

    dropKind(kind, at) {
      const { workflow, layout } = document();
      if (workflow.lanes.length === 0) {
        say('Add a lane first: every step belongs to a role.');
        return;
      }
      const stored = toStored(layout, kind, at.x, at.y);
      if (stored) store.addStep(kind, stored.lane, '', stored.position);
    },

    addLane(name, staff) {
      const id = newLaneId(document().workflow, tagged(idBase(name)));
      if (!run({ type: 'lane/add', lane: { id, name, staff } }, `Added lane “${name}”.`)) return null;
      set({ selection: { steps: [], flows: [], lane: id } });
      return id;
    },

    removeSelection() {
      const selection = live();
      const edits: WorkflowEdit[] = [];
      const removedSteps = new Set(selection.steps);
      for (const key of selection.flows) {
        const { from, to } = flowEnds(key);
        // flows of removed steps go with them
        if (!removedSteps.has(from) && !removedSteps.has(to)) edits.push({ type: 'flow/remove', from, to });
      }
      for (const key of selection.messages ?? []) {
        const { from, to } = flowEnds(key);
        // a removed step's messages go with it
        if (!removedSteps.has(from) && !removedSteps.has(to))
          edits.push({ type: 'message/remove', from, to });
      }
      for (const id of selection.steps) edits.push({ type: 'step/remove', id });
      if (edits.length === 0 && selection.lane) edits.push({ type: 'lane/remove', id: selection.lane });
      if (edits.length === 0) return false;
      const what =
        edits.length === 1
          ? 'Removed. Undo brings it back.'
          : `Removed ${edits.length} items. Undo brings them back.`;
      if (!run(oneOrBatch(edits), what)) return false;
      set({ selection: NOTHING_SELECTED });
      return true;
    },

    copy() {
      const copied = selected();
      if (copied.steps.length === 0) return;
      clipboard = copied;
      const n = copied.steps.length;
      say(`Copied ${n === 1 ? 'one step' : plural(n, 'step')}.`);
    },
    paste: () => pasteSteps(clipboard),
    duplicate: () => pasteSteps(selected()),

    moveSelected(dx, dy) {
      const { layout, apply } = document();
      const steps = live().steps;
      if (onlyBoundaryEvents(layout, steps)) {
        say(BOUNDARY_MOVES_WITH_ACTIVITY);
        return;
      }
      const edits: WorkflowEdit[] = [];
      for (const id of steps) {
        const placed = layout.steps.find((p) => p.step.id === id);
        // a boundary event goes where its activity goes
        if (!placed || placed.attached) continue;
        const stored = toStored(layout, placed.step, placed.x + dx, placed.y + dy);
        if (!stored) continue;
        edits.push({
          type: 'step/update',
          id,
          patch: stored.lane === placed.step.lane ? { position: stored.position } : stored,
        });
      }
      if (edits.length === 0) return;
      const key = `move:${steps.join(',')}`;
      const fromX =
        moving?.key === key ? moving.fromX : (layout.steps.find((p) => p.step.id === steps[0])?.x ?? 0);
      const refused = apply(oneOrBatch(edits), { coalesce: key });
      if (refused) {
        say(refused);
        return;
      }
      // a held arrow key moves many times a second: the run is said once, when it stops
      stopMoving();
      const timer = setTimeout(() => {
        const run = moving;
        moving = null;
        if (run) set({ message: movedWords(document(), run.steps, run.fromX) });
      }, MOVE_SAID_AFTER_MS);
      moving = { key, steps, fromX, timer };
    },

    moveSelectedLane(direction) {
      const { layout } = document();
      if (onlyBoundaryEvents(layout, live().steps)) {
        say(BOUNDARY_MOVES_WITH_ACTIVITY);
        return;
      }
      // a boundary event goes where its activity goes
      const steps = live().steps.filter((id) => !layout.steps.find((p) => p.step.id === id)?.attached);
      const edits: Extract<WorkflowEdit, { type: 'step/update' }>[] = [];
      for (const id of steps) {
        const place = laneMove(layout, id, direction);
        if (place) edits.push({ type: 'step/update', id, patch: place });
      }
      const first = edits[0];
      if (first === undefined) {
        const label = stepLabel(steps[0] ?? '');
        say(
          direction === 'up'
            ? `“${label}” is in the top lane already.`
            : `“${label}” is in the bottom lane already.`,
        );
        return;
      }
      const done =
        edits.length === 1
          ? `Moved “${stepLabel(first.id)}” to ${laneLabel(first.patch.lane ?? '')}.`
          : `Moved ${edits.length} steps one lane ${direction}.`;
      run(oneOrBatch(edits), done);
    },

    neighbour(from, direction) {
      const { workflow, layout } = document();
      const to = neighbourStep(workflow, layout, from, direction);
      if (to === null) {
        say(
          direction === 'right'
            ? `Nothing comes after “${stepLabel(from)}”.`
            : direction === 'left'
              ? `Nothing comes before “${stepLabel(from)}”.`
              : `No step in a lane ${direction === 'up' ? 'above' : 'below'} “${stepLabel(from)}”.`,
        );
        return null;
      }
      selectSteps([to]);
      return to;
    },

    openStepDialog(kind, step) {
      const refused = initial.readOnly?.();
      if (refused !== undefined) say(refused);
      else set({ stepDialog: { kind, step } });
    },
    closeStepDialog() {
      const step = state.stepDialog?.step;
      set({ stepDialog: null });
      return step;
    },

    connect(from, to) {
      const edit: WorkflowEdit = { type: 'flow/add', flow: { from, to, transfer: 'none' } };
      if (!run(edit, `Connected “${stepLabel(from)}” to “${stepLabel(to)}”.`)) return false;
      set({ stepDialog: null, selection: { steps: [from], flows: [], lane: null } });
      return true;
    },

    appendAfter(from, choice) {
      const { workflow, layout } = document();
      const place = appendPlace(layout, from, choice.lane, choice.kind);
      if (!place) return null;
      const text = choice.label.trim() || defaultLabel(choice.kind);
      const id = stepId(workflow, idBase(text));
      const step = newStep(id, text, place.lane, choice.kind, place.position, document().page);
      const edit: WorkflowEdit = {
        type: 'batch',
        edits: [
          { type: 'step/add', step },
          { type: 'flow/add', flow: { from, to: id, transfer: 'none' } },
        ],
      };
      const done = `Added ${KIND_LABEL[choice.kind].toLowerCase()} “${text}” to ${laneLabel(place.lane)} after “${stepLabel(from)}”.`;
      if (!run(edit, done)) return null;
      set({ stepDialog: null, selection: { steps: [id], flows: [], lane: null } });
      return id;
    },

    selectAllSteps() {
      const { steps } = document().workflow;
      set({
        selection: { steps: steps.map((s) => s.id), flows: [], lane: null },
        message: steps.length === 1 ? 'Selected the only step.' : `Selected all ${steps.length} steps.`,
      });
    },

    showMarkedFindings(element) {
      set({
        chosenMark: element,
        selection:
          element.kind === 'step'
            ? { steps: [element.id], flows: [], lane: null }
            : element.kind === 'lane'
              ? { steps: [], flows: [], lane: element.id }
              : { steps: [], flows: [flowKey(element.from, element.to)], lane: null },
      });
    },

    selectFindingSteps(workflowId, stepIds) {
      const { workflow, layout } = document();
      if (workflowId !== workflow.id) {
        // steps of the current workflow (an untraced step): shown selected in the comparison below
        set({
          compare: true,
          baselineSelection: { steps: [...stepIds], flows: [], lane: null },
          message:
            'The finding names steps of the current workflow: they are selected in the comparison below.',
        });
        return null;
      }
      const placed = layout.steps.filter((p) => stepIds.includes(p.step.id));
      selectSteps(placed.map((p) => p.step.id));
      return placed;
    },
  };
  return store;
}

/** The part of the editor's state `select` picks; re-renders only when it changes (by `Object.is`). */
export function useEditorState<T>(store: EditorStore, select: (state: EditorState) => T): T {
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const getSnapshot = useCallback(() => select(store.get()), [store, select]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
