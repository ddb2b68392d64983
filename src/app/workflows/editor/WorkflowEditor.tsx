/**
 * The workflow editor: toolbar (undo/redo, copy/paste, heat, exports), palette and lane form,
 * the swimlane canvas, the inspector and the legend. The workflow document is the state; every
 * edit goes through `useWorkflowEditor` (one history, one `workflow/put` per change, autosaved).
 */
import '@xyflow/react/dist/style.css';
import './editor.css';
import type { Edge, Node, ReactFlowInstance } from '@xyflow/react';
import { ReactFlowProvider } from '@xyflow/react';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { exportBpmnInWorker } from '../../../../workers/bpmnClient.ts';
import type { ProjectChange } from '../../../core/project/changes.ts';
import { type AttributeChange, attributeChanges } from '../../../core/workflow/compare.ts';
import {
  idBase,
  newLaneId,
  newStepId,
  STEP_KINDS,
  STEP_MEDIA,
  type WorkflowEdit,
} from '../../../core/workflow/edit/changes.ts';
import type { Project } from '../../../formats/project.ts';
import { type Flow, isGateway, type Step, type StepKind, type Workflow } from '../../../formats/workflow.ts';
import { downloadText } from '../../common/download.ts';
import { plural } from '../../common/format.ts';
import { type ChosenFindings, FindingsPanel } from '../analysis/FindingsPanel.tsx';
import { useProcessAnalysis } from '../analysis/useProcessAnalysis.ts';
import { useLastCheck } from '../eventlog/lastCheck.ts';
import {
  type CanvasLayout,
  type HeatMode,
  heatScale,
  KEYBOARD_STEP,
  layoutCanvas,
  nextFreeSpot,
  readableViewport,
  toStored,
} from './canvasModel.ts';
import { DriftLegend } from './DriftLegend.tsx';
import { driftOverlay } from './driftOverlay.ts';
import { diagramSvg, exportFileName } from './exportDiagram.ts';
import type { Drafts } from './fields.tsx';
import { findingMarks } from './findingMarks.ts';
import { FindingMarksLegend, type MarkedElement } from './findingMarkViews.tsx';
import { Inspector } from './Inspector.tsx';
import { CHECK_PATH, GatewayMarker, HOURGLASS_PATH, MEDIUM_ICON_PATHS, PathIcon } from './icons.tsx';
import { type AppendChoice, AppendDialog, ConnectDialog } from './KeyboardDialogs.tsx';
import { appendPlace, type Direction, laneMove, neighbourStep } from './keyboardDrawing.ts';
import { GATEWAY_MEANING, KIND_LABEL, KIND_SHAPE, MEDIUM_LABEL, minutes } from './labels.ts';
import { UNTRACED } from './nodes.tsx';
import { useArrange } from './useArrange.ts';
import { useFindingMarksShown } from './useFindingMarksShown.ts';
import { useWorkflowEditor } from './useWorkflowEditor.ts';
import {
  flowEnds,
  flowKey,
  revealOnCanvas,
  type Selection,
  STEP_KIND_DRAG_TYPE,
  WorkflowCanvas,
} from './WorkflowCanvas.tsx';

const NOTHING_SELECTED: Selection = { steps: [], flows: [], lane: null };
const NO_STEPS: ReadonlySet<string> = new Set();
const ignore = () => {};
/** The baseline beside a future workflow is shown, never edited. */
const refuseEdit = () => 'The current workflow is shown for comparison; open it from the list to edit it.';

/** What was copied: steps and the flows among them. Module state: paste works across workflows in a tab. */
let clipboard: { steps: Step[]; flows: Flow[] } | null = null;

/** The direction of each arrow key on the canvas. */
const ARROW_DIRECTION: Readonly<Record<string, Direction>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/** How far a paste or duplicate lands from the original (canvas units). */
const PASTE_OFFSET = 40;

function defaultLabel(kind: StepKind): string {
  return kind === 'start' ? 'Start' : kind === 'end' ? 'End' : `New ${KIND_LABEL[kind].toLowerCase()}`;
}

function isTextInput(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The workflow to edit, its project (for suggestions and the baseline) and where edits go. */
export interface WorkflowEditorProps {
  project: Project;
  workflow: Workflow;
  dispatch: (change: ProjectChange) => void;
  onClose: () => void;
  /** shown first in the editor's status line (e.g. what to review after an import) */
  notice?: string;
  /** open with the last go-live check's drift drawn on the diagram (the report's "Show on the canvas") */
  showDrift?: boolean;
}

/** The editor of one workflow, with its own React Flow store. */
export function WorkflowEditor(props: WorkflowEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}

/** How a changed attribute is named on a compared step's badge (short: the badge is small). */
const CHANGED_WORDS: Readonly<Record<AttributeChange['attribute'], string>> = {
  kind: 'type',
  medium: 'how',
  system: 'system',
  lane: 'role',
  touchMin: 'staff time',
  waitMin: 'wait',
  clicks: 'clicks',
  enters: 'data typed',
};

/**
 * A future step's badge in the comparison: "New", or "Replaces n" with what changed against the
 * current steps it replaces (compare.ts decides what counts as a change, lanes by name).
 */
function traceBadge(step: Step, future: Workflow, current: Workflow): string {
  const replaced = (step.replaces ?? [])
    .map((id) => current.steps.find((s) => s.id === id))
    .filter((s): s is Step => s !== undefined);
  if (replaced.length === 0) return step.replaces?.length ? `Replaces ${step.replaces.length}` : 'New';
  const laneName = (w: Workflow, id: string) => w.lanes.find((l) => l.id === id)?.name ?? '';
  const changed = new Set<string>();
  for (const old of replaced) {
    for (const c of attributeChanges(old, step, laneName(current, old.lane), laneName(future, step.lane))) {
      changed.add(CHANGED_WORDS[c.attribute]);
    }
  }
  const base = `Replaces ${step.replaces?.length ?? replaced.length}`;
  return changed.size === 0 ? `${base} · unchanged` : `${base} · ${[...changed].join(', ')}`;
}

/** Room around a finding's steps shown on the diagram, as a share of their size (React Flow's fitBounds padding). */
const SHOW_STEPS_PADDING = 0.4;
/** Frames "Show the step" waits for the step's node to be drawn before it gives up focusing it. */
const SHOW_STEP_FOCUS_FRAMES = 10;

function EditorBody({
  project,
  workflow: stored,
  dispatch,
  onClose,
  notice,
  showDrift,
}: WorkflowEditorProps) {
  const editor = useWorkflowEditor(stored, dispatch);
  const { workflow, apply } = editor;
  const layout = useMemo(() => layoutCanvas(workflow), [workflow]);
  // the drift overlay: a view over the last go-live check of this workflow, never an edit
  const lastCheck = useLastCheck(project, workflow);
  const [driftShown, setDriftShown] = useState(showDrift ?? false);
  const drift = useMemo(
    () => (lastCheck && driftShown ? driftOverlay(lastCheck.result, workflow) : undefined),
    [lastCheck, driftShown, workflow],
  );
  const [selection, setSelection] = useState<Selection>(NOTHING_SELECTED);
  const [heat, setHeat] = useState<HeatMode>('off');
  const [compare, setCompare] = useState(false);
  /** steps of the baseline a finding pointed at, selected in the read-only comparison canvas */
  const [baselineSelection, setBaselineSelection] = useState<Selection>(NOTHING_SELECTED);
  const [together, setTogether] = useState(true);
  const baselineInstanceRef = useRef<ReactFlowInstance<Node, Edge> | null>(null);
  /** Moves the current workflow's view along with the future's: same zoom and horizontal position (lanes differ). */
  const followView = useCallback(
    (viewport: { x: number; y: number; zoom: number }) => {
      const other = baselineInstanceRef.current;
      if (!together || !other) return;
      void other.setViewport({ x: viewport.x, y: other.getViewport().y, zoom: viewport.zoom });
    },
    [together],
  );
  const [message, setMessage] = useState<string>(notice ?? '');
  /** the dialog open on a step: "Connect to…" or "Add a step after…" */
  const [stepDialog, setStepDialog] = useState<{ kind: 'connect' | 'append'; step: string } | null>(null);
  const [drafts, setDrafts] = useState<Drafts>(new Map());
  const instanceRef = useRef<ReactFlowInstance<Node, Edge> | null>(null);
  /** a step "Show the step" moves focus to: its focus keeps the steps shown selected (see onFocus) */
  const shownFocusRef = useRef<string | null>(null);
  const firstFieldRef = useRef<HTMLInputElement | null>(null);
  const inspectorRef = useRef<HTMLElement | null>(null);
  const canvasRef = useRef<HTMLDivElement | null>(null);
  /** a step or lane just added, to bring into view once it is laid out */
  const revealRef = useRef<string | null>(null);

  useEffect(() => {
    const id = revealRef.current;
    const instance = instanceRef.current;
    const bounds = canvasRef.current?.getBoundingClientRect();
    if (!id || !instance || !bounds) return;
    revealRef.current = null;
    const placed = layout.steps.find((p) => p.step.id === id);
    const lane = layout.lanes.find((l) => l.id === id);
    const target = placed
      ? { x: placed.x + placed.width / 2, y: placed.y + placed.height / 2 }
      : lane
        ? { x: layout.left + bounds.width / 2 / instance.getZoom(), y: lane.top + lane.height / 2 }
        : null;
    if (!target) return;
    const screen = instance.flowToScreenPosition(target);
    const inView =
      screen.x > bounds.left && screen.x < bounds.right && screen.y > bounds.top && screen.y < bounds.bottom;
    if (!inView) void instance.setCenter(target.x, target.y, { zoom: instance.getZoom() });
  }, [layout]);

  const setDraft = useCallback((key: string, text: string | null) => {
    setDrafts((prev) => {
      const next = new Map(prev);
      if (text === null) next.delete(key);
      else next.set(key, text);
      return next;
    });
  }, []);

  const invalidSteps = useMemo(() => {
    const ids = new Set<string>();
    for (const key of drafts.keys()) {
      const [scope, id] = key.split(':');
      if (scope === 'step' && id) ids.add(id);
    }
    return ids;
  }, [drafts]);

  // a selection naming things an undo removed would show an empty inspector
  const liveSelection = useMemo<Selection>(() => {
    const steps = selection.steps.filter((id) => workflow.steps.some((s) => s.id === id));
    const flows = selection.flows.filter((key) => {
      const { from, to } = flowEnds(key);
      return workflow.flows.some((f) => f.from === from && f.to === to);
    });
    const lane =
      selection.lane && workflow.lanes.some((l) => l.id === selection.lane) ? selection.lane : null;
    return steps.length === selection.steps.length &&
      flows.length === selection.flows.length &&
      lane === selection.lane
      ? selection
      : { steps, flows, lane };
  }, [selection, workflow]);

  const run = useCallback(
    (edit: WorkflowEdit, done?: string): boolean => {
      const refused = apply(edit);
      if (refused) {
        setMessage(refused);
        return false;
      }
      if (done) setMessage(done);
      return true;
    },
    [apply],
  );

  /** set when an arranged layout was applied: the next layout is shown whole (when readable) */
  const fitNextLayoutRef = useRef(false);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  /** Shows the diagram whole when it is readable that way, else a readable part (canvasModel.ts). */
  const showReadable = useCallback((shown: CanvasLayout) => {
    const view = canvasRef.current?.querySelector<HTMLElement>('.react-flow');
    const instance = instanceRef.current;
    if (!view || !instance) return;
    const { x, y, zoom } = readableViewport(shown, { width: view.clientWidth, height: view.clientHeight });
    void instance.setViewport({ x, y, zoom });
  }, []);
  const onArranged = useCallback(
    (moved: boolean) => {
      // moved: the new layout is drawn on the next render (the effect below shows it)
      if (moved) fitNextLayoutRef.current = true;
      else showReadable(layoutRef.current);
    },
    [showReadable],
  );
  const arranging = useArrange(workflow, apply, setMessage, onArranged);

  useEffect(() => {
    if (!fitNextLayoutRef.current) return;
    fitNextLayoutRef.current = false;
    showReadable(layout);
  }, [layout, showReadable]);

  // ---- adding -----------------------------------------------------------------------------

  const addStep = useCallback(
    (kind: StepKind, laneId: string, label: string, at?: { x: number; y: number }) => {
      const text = label.trim() || defaultLabel(kind);
      const id = newStepId(workflow, idBase(text));
      const step: Step = {
        id,
        label: text,
        lane: laneId,
        kind,
        medium: 'digital',
        system: '',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
        position: at ?? nextFreeSpot(layout, laneId),
      };
      const laneName = workflow.lanes.find((l) => l.id === laneId)?.name ?? '';
      if (
        run({ type: 'step/add', step }, `Added ${KIND_LABEL[kind].toLowerCase()} “${text}” to ${laneName}.`)
      ) {
        setSelection({ steps: [id], flows: [], lane: null });
      }
    },
    [workflow, layout, run],
  );

  const onDropKind = useCallback(
    (kind: StepKind, at: { x: number; y: number }) => {
      if (workflow.lanes.length === 0) {
        setMessage('Add a lane first: every step belongs to a role.');
        return;
      }
      const stored = toStored(layout, kind, at.x, at.y);
      if (stored) addStep(kind, stored.lane, '', stored.position);
    },
    [workflow.lanes.length, layout, addStep],
  );

  // ---- removing, copying, moving ----------------------------------------------------------

  const removeSelection = useCallback(() => {
    const edits: WorkflowEdit[] = [];
    const removedSteps = new Set(liveSelection.steps);
    for (const key of liveSelection.flows) {
      const { from, to } = flowEnds(key);
      // flows of removed steps go with them
      if (!removedSteps.has(from) && !removedSteps.has(to)) edits.push({ type: 'flow/remove', from, to });
    }
    for (const id of liveSelection.steps) edits.push({ type: 'step/remove', id });
    if (edits.length === 0 && liveSelection.lane) edits.push({ type: 'lane/remove', id: liveSelection.lane });
    if (edits.length === 0) return;
    const what =
      edits.length === 1
        ? 'Removed. Undo brings it back.'
        : `Removed ${edits.length} items. Undo brings them back.`;
    if (run(edits.length === 1 ? (edits[0] as WorkflowEdit) : { type: 'batch', edits }, what)) {
      setSelection(NOTHING_SELECTED);
      canvasRef.current?.querySelector<HTMLElement>('.react-flow__pane')?.focus();
    }
  }, [liveSelection, run]);

  const copy = useCallback(() => {
    const ids = new Set(liveSelection.steps);
    if (ids.size === 0) return;
    clipboard = {
      steps: workflow.steps.filter((s) => ids.has(s.id)),
      flows: workflow.flows.filter((f) => ids.has(f.from) && ids.has(f.to)),
    };
    setMessage(`Copied ${ids.size === 1 ? 'one step' : plural(ids.size, 'step')}.`);
  }, [liveSelection.steps, workflow]);

  const paste = useCallback(
    (source: { steps: Step[]; flows: Flow[] } | null) => {
      if (!source || source.steps.length === 0) return;
      const fallbackLane = workflow.lanes[0]?.id;
      if (!fallbackLane) {
        setMessage('Add a lane first: every step belongs to a role.');
        return;
      }
      let draft = workflow;
      const renamed = new Map<string, string>();
      const edits: WorkflowEdit[] = [];
      for (const step of source.steps) {
        const id = newStepId(draft, step.id);
        renamed.set(step.id, id);
        const lane = workflow.lanes.some((l) => l.id === step.lane) ? step.lane : fallbackLane;
        const at = step.position ?? nextFreeSpot(layout, lane);
        const copyOf: Step = {
          ...step,
          id,
          lane,
          position: { x: at.x + PASTE_OFFSET, y: at.y + PASTE_OFFSET },
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
      if (
        run(
          { type: 'batch', edits },
          `Pasted ${source.steps.length === 1 ? 'one step' : plural(source.steps.length, 'step')}.`,
        )
      ) {
        setSelection({ steps: [...renamed.values()], flows: [], lane: null });
      }
    },
    [workflow, layout, run],
  );

  const duplicate = useCallback(() => {
    const ids = new Set(liveSelection.steps);
    paste({
      steps: workflow.steps.filter((s) => ids.has(s.id)),
      flows: workflow.flows.filter((f) => ids.has(f.from) && ids.has(f.to)),
    });
  }, [liveSelection.steps, workflow, paste]);

  const moveSelected = useCallback(
    (dx: number, dy: number) => {
      const edits: WorkflowEdit[] = [];
      for (const id of liveSelection.steps) {
        const placed = layout.steps.find((p) => p.step.id === id);
        if (!placed) continue;
        const stored = toStored(layout, placed.step.kind, placed.x + dx, placed.y + dy);
        if (!stored) continue;
        edits.push({
          type: 'step/update',
          id,
          patch: stored.lane === placed.step.lane ? { position: stored.position } : stored,
        });
      }
      if (edits.length === 0) return;
      const refused = apply(edits.length === 1 ? (edits[0] as WorkflowEdit) : { type: 'batch', edits }, {
        coalesce: `move:${liveSelection.steps.join(',')}`,
      });
      if (refused) setMessage(refused);
    },
    [liveSelection.steps, layout, apply],
  );

  /**
   * Focuses step `id` on the canvas once its node is drawn (a large workflow draws only the steps
   * in view: a step just brought into view is drawn a frame or two later).
   */
  const focusStepWhenDrawn = useCallback((id: string) => {
    let frames = 0;
    const attempt = () => {
      const node = [
        ...(canvasRef.current?.querySelectorAll<HTMLElement>('.react-flow__node-step') ?? []),
      ].find((n) => n.dataset.id === id);
      if (node) {
        shownFocusRef.current = id;
        node.focus({ preventScroll: true });
        if (document.activeElement === node) return;
        // not focused (a dialog closing this frame still makes the page inert): nothing to keep
        // selected; tried again next frame
        shownFocusRef.current = null;
      }
      if (++frames < SHOW_STEP_FOCUS_FRAMES) requestAnimationFrame(attempt);
    };
    attempt();
  }, []);

  const stepLabel = useCallback(
    (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id,
    [workflow.steps],
  );
  const laneLabel = useCallback(
    (id: string) => workflow.lanes.find((l) => l.id === id)?.name ?? id,
    [workflow.lanes],
  );

  /** Up and down arrows: the selected steps go one lane up or down, keeping their column. */
  const moveSelectedLane = useCallback(
    (direction: 'up' | 'down') => {
      const edits: Extract<WorkflowEdit, { type: 'step/update' }>[] = [];
      for (const id of liveSelection.steps) {
        const place = laneMove(layout, id, direction);
        if (place) edits.push({ type: 'step/update', id, patch: place });
      }
      const first = edits[0];
      if (first === undefined) {
        const label = stepLabel(liveSelection.steps[0] ?? '');
        setMessage(
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
      run(edits.length === 1 ? first : { type: 'batch', edits }, done);
    },
    [liveSelection.steps, layout, run, stepLabel, laneLabel],
  );

  /** Alt and an arrow: keyboard focus goes to the next step along a flow, or to the lane above or below. */
  const focusNeighbour = useCallback(
    (from: string, direction: Direction) => {
      const to = neighbourStep(workflow, layout, from, direction);
      if (to === null) {
        setMessage(
          direction === 'right'
            ? `Nothing comes after “${stepLabel(from)}”.`
            : direction === 'left'
              ? `Nothing comes before “${stepLabel(from)}”.`
              : `No step in a lane ${direction === 'up' ? 'above' : 'below'} “${stepLabel(from)}”.`,
        );
        return;
      }
      setSelection({ steps: [to], flows: [], lane: null });
      focusStepWhenDrawn(to);
    },
    [workflow, layout, stepLabel, focusStepWhenDrawn],
  );

  const connectTo = useCallback(
    (from: string, to: string) => {
      if (
        run(
          { type: 'flow/add', flow: { from, to, transfer: 'none' } },
          `Connected “${stepLabel(from)}” to “${stepLabel(to)}”.`,
        )
      ) {
        setStepDialog(null);
        setSelection({ steps: [from], flows: [], lane: null });
        focusStepWhenDrawn(from);
      }
    },
    [run, stepLabel, focusStepWhenDrawn],
  );

  /** Adds a step after `from`, connected from it, and moves keyboard focus to it (to go on from there). */
  const appendAfter = useCallback(
    (from: string, choice: AppendChoice) => {
      const place = appendPlace(layout, from, choice.lane, choice.kind);
      if (!place) return;
      const text = choice.label.trim() || defaultLabel(choice.kind);
      const id = newStepId(workflow, idBase(text));
      const step: Step = {
        id,
        label: text,
        lane: place.lane,
        kind: choice.kind,
        medium: 'digital',
        system: '',
        touchMin: 0,
        waitMin: 0,
        clicks: 0,
        enters: [],
        position: place.position,
      };
      const edit: WorkflowEdit = {
        type: 'batch',
        edits: [
          { type: 'step/add', step },
          { type: 'flow/add', flow: { from, to: id, transfer: 'none' } },
        ],
      };
      const done = `Added ${KIND_LABEL[choice.kind].toLowerCase()} “${text}” to ${laneLabel(place.lane)} after “${stepLabel(from)}”.`;
      if (run(edit, done)) {
        setStepDialog(null);
        setSelection({ steps: [id], flows: [], lane: null });
        // focus brings it into view, moving the view the least (WorkflowCanvas.tsx)
        focusStepWhenDrawn(id);
      }
    },
    [layout, workflow, run, stepLabel, laneLabel, focusStepWhenDrawn],
  );

  const selectAllSteps = useCallback(() => {
    setSelection({ steps: workflow.steps.map((s) => s.id), flows: [], lane: null });
    setMessage(
      workflow.steps.length === 1
        ? 'Selected the only step.'
        : `Selected all ${workflow.steps.length} steps.`,
    );
  }, [workflow.steps]);

  const openInspector = useCallback((next: Selection) => {
    setSelection(next);
    // the inspector renders the fields of what was selected in this commit; focus its first field after it
    requestAnimationFrame(() =>
      inspectorRef.current
        ?.querySelector<HTMLElement>('input:not([type="search"]), select, textarea')
        ?.focus(),
    );
  }, []);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (isTextInput(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) editor.redo();
        else editor.undo();
        return;
      }
      if (mod && key === 'y') {
        event.preventDefault();
        editor.redo();
        return;
      }
      const inCanvas = canvasRef.current?.contains(event.target as globalThis.Node) ?? false;
      if (!inCanvas) return;
      // a button on the canvas (a lane's name, a finding mark) does its own thing with Enter
      if (event.key === 'Enter' && event.target instanceof HTMLButtonElement) return;
      const focusedStep = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__node-step')
        ?.dataset.id;
      const oneStep = focusedStep ?? (liveSelection.steps.length === 1 ? liveSelection.steps[0] : undefined);
      if (mod && key === 'a' && !event.altKey) {
        event.preventDefault();
        selectAllSteps();
      } else if (event.altKey && !mod && event.key.startsWith('Arrow')) {
        // Alt with an arrow walks the diagram; on its own it would move the page (or go back)
        event.preventDefault();
        if (focusedStep !== undefined) focusNeighbour(focusedStep, ARROW_DIRECTION[event.key] ?? 'right');
      } else if (!mod && !event.altKey && key === 'c' && oneStep !== undefined) {
        event.preventDefault();
        setStepDialog({ kind: 'connect', step: oneStep });
      } else if (!mod && !event.altKey && key === 'a' && oneStep !== undefined) {
        event.preventDefault();
        setStepDialog({ kind: 'append', step: oneStep });
      } else if (mod && key === 'c') {
        copy();
      } else if (mod && key === 'v') {
        event.preventDefault();
        paste(clipboard);
      } else if (mod && key === 'd') {
        event.preventDefault();
        duplicate();
      } else if (event.key === 'Delete' || event.key === 'Backspace') {
        event.preventDefault();
        removeSelection();
      } else if (event.key.startsWith('Arrow') && !mod && liveSelection.steps.length > 0) {
        event.preventDefault();
        if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
          moveSelectedLane(event.key === 'ArrowUp' ? 'up' : 'down');
        } else {
          const distance = event.shiftKey ? KEYBOARD_STEP * 4 : KEYBOARD_STEP;
          moveSelected(event.key === 'ArrowLeft' ? -distance : distance, 0);
        }
      } else if (event.key === 'Enter') {
        const target = event.target as HTMLElement;
        const step = target.closest<HTMLElement>('.react-flow__node-step')?.dataset.id;
        const flow = target.closest<HTMLElement>('.react-flow__edge')?.dataset.id;
        if (step) {
          event.preventDefault();
          openInspector({ steps: [step], flows: [], lane: null });
        } else if (flow) {
          event.preventDefault();
          openInspector({ steps: [], flows: [flow], lane: null });
        }
      } else if (event.key === 'Escape') {
        setSelection(NOTHING_SELECTED);
      }
    },
    [
      editor,
      copy,
      paste,
      duplicate,
      removeSelection,
      moveSelected,
      moveSelectedLane,
      focusNeighbour,
      selectAllSteps,
      openInspector,
      liveSelection.steps,
    ],
  );

  /**
   * Keyboard focus on a step or flow selects it. The canvas brings whatever is focused into view
   * (WorkflowCanvas.tsx, revealInView.ts).
   */
  const onFocus = useCallback(
    (event: React.FocusEvent<HTMLDivElement>) => {
      const edge = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__edge');
      const flow = edge?.dataset.id;
      if (flow && edge?.matches(':focus-visible')) {
        if (!(liveSelection.flows.length === 1 && liveSelection.flows[0] === flow)) {
          setSelection({ steps: [], flows: [flow], lane: null });
        }
        return;
      }
      const node = (event.target as HTMLElement).closest<HTMLElement>('.react-flow__node-step');
      const id = node?.dataset.id;
      // focus moved here by "Show the steps": all of them stay selected, not just the first
      if (id && shownFocusRef.current === id) {
        shownFocusRef.current = null;
        return;
      }
      if (!id || !node?.matches(':focus-visible')) return;
      if (!(liveSelection.steps.length === 1 && liveSelection.steps[0] === id)) {
        setSelection({ steps: [id], flows: [], lane: null });
      }
    },
    [liveSelection.steps, liveSelection.flows],
  );

  // ---- exports ----------------------------------------------------------------------------

  const exportJson = () =>
    downloadText(exportFileName(workflow, 'workflow.json'), `${JSON.stringify(workflow, null, 2)}\n`);
  const exportSvg = () =>
    downloadText(exportFileName(workflow, 'svg'), diagramSvg(workflow, layout, heat, marks), 'image/svg+xml');
  const exportBpmn = () => {
    exportBpmnInWorker(workflow).then(
      (xml) => {
        downloadText(exportFileName(workflow, 'bpmn'), xml, 'application/xml');
        setMessage('Downloaded the workflow as BPMN 2.0, for other process tools.');
      },
      () => setMessage('The BPMN file could not be made. Nothing was downloaded; try again.'),
    );
  };
  const exportPng = () => {
    void svgToPng(diagramSvg(workflow, layout, heat, marks)).then(
      (blob) => downloadBlob(exportFileName(workflow, 'png'), blob),
      () => setMessage('The picture could not be made in this browser. The SVG export has the same diagram.'),
    );
  };

  const baseline =
    workflow.state === 'future'
      ? project.workflows.find((w) => w.id === workflow.baseline && w.state === 'current')
      : undefined;
  const futureTrace = useMemo(
    () =>
      compare && baseline
        ? new Map(workflow.steps.map((s) => [s.id, traceBadge(s, workflow, baseline)]))
        : undefined,
    [compare, baseline, workflow],
  );
  const baselineTrace = useMemo(() => {
    if (!compare || !baseline) return undefined;
    const traced = new Set(workflow.steps.flatMap((s) => s.replaces ?? []));
    const retired = new Set(workflow.retired ?? []);
    const map = new Map<string, string>();
    for (const step of baseline.steps) {
      if (retired.has(step.id)) map.set(step.id, 'Retired');
      else if (!traced.has(step.id)) map.set(step.id, UNTRACED);
    }
    return map;
  }, [compare, baseline, workflow.steps, workflow.retired]);
  const baselineLayout = useMemo(() => (baseline ? layoutCanvas(baseline) : null), [baseline]);

  // ---- findings on the diagram -----------------------------------------------------------------

  // the analysis of this workflow (against its baseline when it is a future one), deferred behind edits
  const analysis = useProcessAnalysis(
    workflow.state === 'future' ? baseline : workflow,
    workflow.state === 'future' ? workflow : undefined,
    project.meta.settings,
  );
  const ownAnalysis = workflow.state === 'future' ? analysis.future : analysis.current;
  // the finding marks: the findings drawn on their steps, lanes and flows (a view, switchable)
  const [marksShown, setMarksShown] = useFindingMarksShown();
  const marks = useMemo(
    () => (marksShown && ownAnalysis ? findingMarks(ownAnalysis.findings, workflow) : undefined),
    [marksShown, ownAnalysis, workflow],
  );
  const [chosenMark, setChosenMark] = useState<MarkedElement | null>(null);
  /** A mark was chosen: its element is selected and its findings shown first in the findings panel. */
  const showMarkedFindings = useCallback((element: MarkedElement) => {
    setChosenMark(element);
    setSelection(
      element.kind === 'step'
        ? { steps: [element.id], flows: [], lane: null }
        : element.kind === 'lane'
          ? { steps: [], flows: [], lane: element.id }
          : { steps: [], flows: [flowKey(element.from, element.to)], lane: null },
    );
  }, []);
  // read from the marks as they are now, so the list follows edits (and goes when its element does)
  const chosen = useMemo((): ChosenFindings | null => {
    if (!chosenMark || !marks) return null;
    const label = (id: string) => workflow.steps.find((s) => s.id === id)?.label ?? id;
    const found =
      chosenMark.kind === 'step'
        ? { mark: marks.steps.get(chosenMark.id), where: `“${label(chosenMark.id)}”` }
        : chosenMark.kind === 'lane'
          ? {
              mark: marks.lanes.get(chosenMark.id),
              where: `the role ${workflow.lanes.find((l) => l.id === chosenMark.id)?.name ?? chosenMark.id}`,
            }
          : {
              mark: marks.flows.find((f) => f.from === chosenMark.from && f.to === chosenMark.to)?.mark,
              where: `the flow from “${label(chosenMark.from)}” to “${label(chosenMark.to)}”`,
            };
    if (!found.mark) return null;
    return {
      where: found.where,
      findings: found.mark.findings,
      onClear: () => setChosenMark(null),
      choice: chosenMark,
    };
  }, [chosenMark, marks, workflow]);
  /** A finding's steps: selected and brought into view on the canvas (the baseline's: in the comparison). */
  const showFindingSteps = useCallback(
    (workflowId: string, stepIds: string[]) => {
      if (workflowId !== workflow.id) {
        // steps of the current workflow (an untraced step): shown selected in the comparison below
        setCompare(true);
        setBaselineSelection({ steps: stepIds, flows: [], lane: null });
        setMessage(
          'The finding names steps of the current workflow: they are selected in the comparison below.',
        );
        return;
      }
      const placed = layout.steps.filter((p) => stepIds.includes(p.step.id));
      setSelection({ steps: placed.map((p) => p.step.id), flows: [], lane: null });
      canvasRef.current?.scrollIntoView({ block: 'nearest' });
      const instance = instanceRef.current;
      if (!instance || placed.length === 0) return;
      const left = Math.min(...placed.map((p) => p.x));
      const top = Math.min(...placed.map((p) => p.y));
      const right = Math.max(...placed.map((p) => p.x + p.width));
      const bottom = Math.max(...placed.map((p) => p.y + p.height));
      const bounds = { x: left, y: top, width: right - left, height: bottom - top };
      const view = canvasRef.current?.querySelector<HTMLElement>('.react-flow');
      // at the user's zoom when the steps fit there, moved the least and never past the diagram's
      // edge (a single step must not jump to the closest zoom); zoomed out when they do not fit
      const shown = view ? revealOnCanvas(view, instance, layout, bounds) : Promise.resolve(false);
      void shown
        .then((fits) => (fits ? true : instance.fitBounds(bounds, { padding: SHOW_STEPS_PADDING })))
        .then(() => {
          // then keyboard focus goes to the (first) step, as it would after choosing it on the
          // diagram: a keyboard or screen reader user is where the finding points, and Tab goes on
          // from there (the view has moved already: the focus does not move it again)
          const first = placed[0]?.step.id;
          if (first !== undefined) focusStepWhenDrawn(first);
        });
    },
    [workflow.id, layout, focusStepWhenDrawn],
  );

  // "Open in editor" goes away as the editor opens: keyboard users land on its title, not the page's
  // start nor the workspace as a whole (where the app puts focus after a change of screen)
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body || active.id === 'main') titleRef.current?.focus();
  }, []);

  const scale = heatScale(workflow, heat);
  const selectedStep = liveSelection.steps.length === 1 ? liveSelection.steps[0] : undefined;
  const dialogStep = stepDialog ? workflow.steps.find((s) => s.id === stepDialog.step) : undefined;
  /** A dialog closed without a change: keyboard focus goes back to its step on the diagram. */
  const closeStepDialog = () => {
    const id = stepDialog?.step;
    setStepDialog(null);
    if (id !== undefined) focusStepWhenDrawn(id);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: keyboard shortcuts of the editor, delegated from its controls
    <div className="wf-editor" onKeyDown={onKeyDown} onFocus={onFocus}>
      <header className="wf-editor-header">
        <div>
          <h2 id="editor-title" ref={titleRef} tabIndex={-1}>
            {workflow.name}
          </h2>
          <p className="lede">
            {workflow.state === 'current' ? 'Current workflow' : 'Future workflow'} ·{' '}
            {plural(workflow.lanes.length, 'lane')} · {plural(workflow.steps.length, 'step')} · changes are
            saved as you go
          </p>
        </div>
        <button type="button" onClick={onClose}>
          Back to workflows
        </button>
      </header>

      <div className="wf-toolbar" role="toolbar" aria-label="Editor">
        <button
          type="button"
          onClick={editor.undo}
          disabled={!editor.canUndo}
          aria-keyshortcuts="Control+Z Meta+Z"
        >
          Undo
        </button>
        <button
          type="button"
          onClick={editor.redo}
          disabled={!editor.canRedo}
          aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
        >
          Redo
        </button>
        <span className="wf-toolbar-sep" aria-hidden="true" />
        <button
          type="button"
          onClick={copy}
          disabled={liveSelection.steps.length === 0}
          aria-keyshortcuts="Control+C"
        >
          Copy
        </button>
        <button type="button" onClick={() => paste(clipboard)} aria-keyshortcuts="Control+V">
          Paste
        </button>
        <button
          type="button"
          onClick={duplicate}
          disabled={liveSelection.steps.length === 0}
          aria-keyshortcuts="Control+D"
        >
          Duplicate
        </button>
        <button
          type="button"
          onClick={() => selectedStep !== undefined && setStepDialog({ kind: 'append', step: selectedStep })}
          disabled={selectedStep === undefined}
          aria-keyshortcuts="A"
        >
          Add step after…
        </button>
        <button
          type="button"
          onClick={() => selectedStep !== undefined && setStepDialog({ kind: 'connect', step: selectedStep })}
          disabled={selectedStep === undefined}
          aria-keyshortcuts="C"
        >
          Connect to…
        </button>
        <button
          type="button"
          onClick={removeSelection}
          disabled={liveSelection.steps.length + liveSelection.flows.length === 0 && !liveSelection.lane}
          aria-keyshortcuts="Delete Backspace"
        >
          Delete selected
        </button>
        <span className="wf-toolbar-sep" aria-hidden="true" />
        <button
          type="button"
          onClick={() => void instanceRef.current?.fitView({ padding: 0.05, duration: 0 })}
        >
          Zoom to fit
        </button>
        <button type="button" onClick={arranging.arrange} disabled={arranging.running}>
          Arrange automatically
        </button>
        {arranging.slow && (
          <span className="wf-arranging">
            <progress aria-label="Arranging the steps" />
            <button type="button" onClick={arranging.stop}>
              Stop arranging
            </button>
          </span>
        )}
        <label className="wf-heat-toggle">
          Heat colouring
          <select value={heat} onChange={(event) => setHeat(event.target.value as HeatMode)}>
            <option value="off">Off</option>
            <option value="touch">By touch time</option>
            <option value="wait">By wait time</option>
          </select>
        </label>
        {baseline && (
          <button type="button" aria-pressed={compare} onClick={() => setCompare((on) => !on)}>
            Compare with current
          </button>
        )}
        <button type="button" aria-pressed={marksShown} onClick={() => setMarksShown(!marksShown)}>
          Findings on the diagram
        </button>
        {lastCheck && (
          <button type="button" aria-pressed={driftShown} onClick={() => setDriftShown((on) => !on)}>
            {lastCheck.stale ? 'Drift from the go-live log (out of date)' : 'Drift from the go-live log'}
          </button>
        )}
        <span className="wf-toolbar-sep" aria-hidden="true" />
        <button type="button" onClick={exportJson}>
          Download JSON
        </button>
        <button type="button" onClick={exportSvg}>
          Download SVG
        </button>
        <button type="button" onClick={exportPng}>
          Download PNG
        </button>
        <button type="button" onClick={exportBpmn}>
          Export BPMN
        </button>
      </div>

      <p className="wf-message" role="status" aria-live="polite">
        {message}
      </p>

      <div className="wf-editor-grid">
        <aside className="wf-side" aria-label="Add to the workflow">
          <AddStepForm workflow={workflow} onAdd={addStep} />
          <AddLaneForm
            workflow={workflow}
            onAdd={(name, staff) => {
              const id = newLaneId(workflow, idBase(name));
              if (run({ type: 'lane/add', lane: { id, name, staff } }, `Added lane “${name}”.`)) {
                setSelection({ steps: [], flows: [], lane: id });
                revealRef.current = id;
              }
            }}
          />
        </aside>

        <section
          className="wf-canvas"
          aria-label="Workflow diagram"
          aria-describedby="canvas-help"
          ref={canvasRef}
        >
          <p className="visually-hidden" id="canvas-help">
            Tab moves between steps; Alt and an arrow key follows the flows and goes to the lanes above and
            below. A adds a step after the focused one, C connects it to another. Enter edits it. Arrow keys
            move it: left and right along its lane, up and down to another lane. Delete removes, Control+Z
            undoes. All shortcuts are listed under Keyboard shortcuts below the diagram.
          </p>
          <WorkflowCanvas
            workflow={workflow}
            layout={layout}
            heat={heat}
            selection={liveSelection}
            onSelectionChange={setSelection}
            apply={(edit) => apply(edit)}
            onDropKind={onDropKind}
            invalidSteps={invalidSteps}
            trace={futureTrace}
            drift={drift}
            findingMarks={marks}
            onShowFindings={showMarkedFindings}
            onViewportChange={compare ? followView : undefined}
            onMessage={setMessage}
            onInit={(instance) => {
              instanceRef.current = instance;
            }}
          />
        </section>

        <aside className="wf-inspector" aria-label="Inspector" ref={inspectorRef}>
          <Inspector
            workflow={workflow}
            project={project}
            selection={liveSelection}
            apply={apply}
            drafts={drafts}
            setDraft={setDraft}
            firstFieldRef={firstFieldRef}
            onRemoveSelection={removeSelection}
            onSelect={setSelection}
          />
          {selectedStep && (
            <p className="field-hint">
              Tip: drag a step into another band to change its lane (or press the up and down arrow keys);
              drag from its right edge to connect it (or press C).
            </p>
          )}
        </aside>
      </div>

      <details className="wf-shortcuts">
        <summary>Keyboard shortcuts</summary>
        <dl>
          <dt>Tab</dt>
          <dd>Go from step to step, lane by lane</dd>
          <dt>Alt + arrow keys</dt>
          <dd>
            Go to the next or previous step along the flow (right, left), or to a step in the lane above or
            below
          </dd>
          <dt>A</dt>
          <dd>Add a step after the selected one, connected from it, in a lane of your choice</dd>
          <dt>C</dt>
          <dd>Connect the selected step to another one, found by typing its name</dd>
          <dt>Left and right arrows</dt>
          <dd>Move the selected steps along their lane (with Shift: further)</dd>
          <dt>Up and down arrows</dt>
          <dd>Move the selected steps to the lane above or below</dd>
          <dt>Enter</dt>
          <dd>Edit the focused step or flow in the inspector</dd>
          <dt>Delete or Backspace</dt>
          <dd>
            Remove the selected steps or the focused flow (in Tab order the flows come before the lanes and
            steps)
          </dd>
          <dt>Control + A (Command + A)</dt>
          <dd>Select all steps</dd>
          <dt>Control + Z, Control + Shift + Z</dt>
          <dd>Undo, redo</dd>
          <dt>Control + C, V, D</dt>
          <dd>Copy, paste, duplicate the selected steps</dd>
          <dt>Escape</dt>
          <dd>Clear the selection</dd>
        </dl>
      </details>

      {ownAnalysis && (
        <section className="wf-findings" aria-label="Findings on this workflow">
          <FindingsPanel
            workflow={workflow}
            baseline={baseline}
            analysis={ownAnalysis}
            onShowSteps={showFindingSteps}
            chosen={chosen}
          />
        </section>
      )}

      {compare && baseline && baselineLayout && (
        <section className="wf-compare" aria-labelledby="compare-title">
          <h3 id="compare-title">Current workflow: {baseline.name}</h3>
          <p className="field-hint">
            For comparison, not edited here. On the future workflow above, each step says whether it is new or
            how many current steps it replaces. Here, “{UNTRACED}” marks a current step that no future step
            replaces and that is not retired: decide what happens to it.
          </p>
          <label className="wf-together">
            <input
              type="checkbox"
              checked={together}
              onChange={(event) => setTogether(event.target.checked)}
            />
            Pan and zoom both diagrams together
          </label>
          <section className="wf-compare-canvas" aria-label={`Current workflow diagram: ${baseline.name}`}>
            <ReactFlowProvider>
              <WorkflowCanvas
                workflow={baseline}
                layout={baselineLayout}
                heat={heat}
                selection={baselineSelection}
                onSelectionChange={ignore}
                apply={refuseEdit}
                onDropKind={ignore}
                invalidSteps={NO_STEPS}
                trace={baselineTrace}
                readOnly
                onMessage={setMessage}
                onInit={(instance) => {
                  baselineInstanceRef.current = instance;
                  const main = instanceRef.current;
                  if (main && together) followView(main.getViewport());
                }}
              />
            </ReactFlowProvider>
          </section>
        </section>
      )}

      {stepDialog?.kind === 'connect' && dialogStep && (
        <ConnectDialog
          workflow={workflow}
          from={dialogStep}
          onConnect={(to) => connectTo(dialogStep.id, to)}
          onClose={closeStepDialog}
        />
      )}
      {stepDialog?.kind === 'append' && dialogStep && (
        <AppendDialog
          workflow={workflow}
          after={dialogStep}
          defaultLabel={defaultLabel}
          onAdd={(choice) => appendAfter(dialogStep.id, choice)}
          onClose={closeStepDialog}
        />
      )}

      <section className="wf-legend" aria-labelledby="legend-title">
        <h3 id="legend-title">Legend</h3>
        <div className="wf-legend-groups">
          <div>
            <h4>Step kinds</h4>
            <ul>
              {STEP_KINDS.map((kind) => (
                <li key={kind}>
                  <span className={`wf-legend-shape wf-legend-${kind}`} aria-hidden="true">
                    {kind === 'approval' && <PathIcon d={CHECK_PATH} />}
                    {kind === 'wait' && <PathIcon d={HOURGLASS_PATH} />}
                    {isGateway(kind) && <GatewayMarker kind={kind} />}
                  </span>
                  {KIND_LABEL[kind]} — {KIND_SHAPE[kind]}
                  {isGateway(kind) ? `: ${GATEWAY_MEANING[kind]}` : ''}
                </li>
              ))}
            </ul>
          </div>
          <div>
            <h4>Not digital: look here first</h4>
            <ul>
              {STEP_MEDIA.filter((m) => m !== 'digital').map((m) => (
                <li key={m}>
                  <span className={`wf-badge wf-badge-${m}`}>
                    <PathIcon d={MEDIUM_ICON_PATHS[m as Exclude<typeof m, 'digital'>]} />
                    {MEDIUM_LABEL[m]}
                  </span>
                </li>
              ))}
              <li>Dashed flows: a paper document is carried, or data is re-keyed by a person.</li>
            </ul>
          </div>
          {marks && <FindingMarksLegend marks={marks} />}
          {drift && lastCheck && (
            <DriftLegend overlay={drift} logName={lastCheck.logName} stale={lastCheck.stale} />
          )}
          {heat !== 'off' && (
            <div>
              <h4>{heat === 'touch' ? 'Touch time' : 'Wait time'} per step</h4>
              <ul>
                <li>
                  <span className="wf-legend-swatch wf-heat-0" aria-hidden="true" /> none
                </li>
                {scale.edges.map((edge, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the buckets are a fixed list; edges repeat when every step has 0 minutes
                  <li key={i}>
                    <span className={`wf-legend-swatch wf-heat-${i + 1}`} aria-hidden="true" />
                    {i === 0 ? 'up to' : `${minutes(scale.edges[i - 1] ?? 0)} to`} {minutes(edge)}
                  </li>
                ))}
              </ul>
              <p className="field-hint">Each step also shows its minutes as text.</p>
            </div>
          )}
        </div>
      </section>
    </div>
  );
}

function AddStepForm({
  workflow,
  onAdd,
}: {
  workflow: Workflow;
  onAdd: (kind: StepKind, lane: string, label: string) => void;
}) {
  const [kind, setKind] = useState<StepKind>('task');
  const [lane, setLane] = useState('');
  const [label, setLabel] = useState('');
  const laneId = workflow.lanes.some((l) => l.id === lane) ? lane : (workflow.lanes[0]?.id ?? '');
  return (
    <form
      className="wf-add"
      aria-labelledby="add-step-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (!laneId) return;
        onAdd(kind, laneId, label);
        setLabel('');
      }}
    >
      <h3 id="add-step-title">Add a step</h3>
      <p className="field-hint">Drag a kind onto a lane, or choose a kind and a lane and press Add step.</p>
      <fieldset className="wf-palette">
        <legend>Step kind</legend>
        {STEP_KINDS.map((k) => (
          <label
            key={k}
            className={`wf-palette-item${kind === k ? ' is-chosen' : ''}`}
            draggable
            onDragStart={(event) => {
              event.dataTransfer.setData(STEP_KIND_DRAG_TYPE, k);
              event.dataTransfer.effectAllowed = 'copy';
            }}
          >
            <input type="radio" name="step-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span className={`wf-legend-shape wf-legend-${k}`} aria-hidden="true">
              {isGateway(k) && <GatewayMarker kind={k} />}
            </span>
            {KIND_LABEL[k]}
          </label>
        ))}
      </fieldset>
      <label className="field">
        Lane
        <select
          value={laneId}
          onChange={(event) => setLane(event.target.value)}
          disabled={workflow.lanes.length === 0}
        >
          {workflow.lanes.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Step label
        <input
          autoComplete="off"
          type="text"
          value={label}
          placeholder={defaultLabel(kind)}
          onChange={(event) => setLabel(event.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={!laneId}>
        Add step
      </button>
      {workflow.lanes.length === 0 && (
        <p className="field-hint">Add a lane first: every step belongs to a role.</p>
      )}
    </form>
  );
}

function AddLaneForm({ onAdd }: { workflow: Workflow; onAdd: (name: string, staff: number) => void }) {
  const [name, setName] = useState('');
  const [staff, setStaff] = useState('1');
  const staffNumber = Number(staff);
  const staffError =
    staff.trim() === '' || !Number.isInteger(staffNumber) || staffNumber < 0
      ? 'Enter a whole number of 0 or more.'
      : null;
  return (
    <form
      className="wf-add"
      aria-labelledby="add-lane-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === '' || staffError) return;
        onAdd(name.trim(), staffNumber);
        setName('');
      }}
    >
      <h3 id="add-lane-title">Add a lane</h3>
      <label className="field">
        Role name
        <input
          autoComplete="off"
          type="text"
          value={name}
          placeholder="e.g. Triage nurse"
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <label className="field">
        Staff on shift
        <input
          autoComplete="off"
          type="text"
          inputMode="numeric"
          value={staff}
          aria-invalid={staffError ? true : undefined}
          aria-describedby={staffError ? 'add-lane-staff-error' : undefined}
          onChange={(event) => setStaff(event.target.value)}
        />
      </label>
      {staffError && (
        <p className="field-error" id="add-lane-staff-error">
          {staffError}
        </p>
      )}
      <button type="submit" disabled={name.trim() === '' || staffError !== null}>
        Add lane
      </button>
    </form>
  );
}

/** Rasterises SVG text to a PNG blob through an <img> of a blob: URL (allowed by img-src). */
async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    // 2× for sharp text, capped so a very large workflow stays within canvas limits
    const scale = Math.min(2, 16_000 / Math.max(image.naturalWidth, image.naturalHeight, 1));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
