/**
 * The workflow editor: toolbar (undo/redo, copy/paste, heat, exports), palette and lane form,
 * the swimlane canvas, the inspector and the legend. The workflow document is the state; every
 * edit goes through `useWorkflowEditor` (one history, one `workflow/put` per change, autosaved).
 * What the editor shows besides it — selection, status line, dialogs, views — is its store
 * (`editorStore.ts`), whose actions make the edits; this component wires the store to the
 * canvas and does what only the page can: focus, scrolling and the view of the diagram.
 */
import '@xyflow/react/dist/style.css';
import './editor.css';
import { type Edge, type Node, type ReactFlowInstance, ReactFlowProvider } from '@xyflow/react';
import {
  memo,
  type ReactNode,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { ProjectChange } from '../../../core/project/changes.ts';
import type { StepFailingData } from '../../../core/readiness/index.ts';
import {
  type FindingCause,
  findingsByCause,
  pageTrail,
  subProcessIds,
  workflowPage,
} from '../../../core/workflow/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { plural } from '../../common/format.ts';
import { useHref } from '../../useWorkspaceRoute.ts';
import { type CauseOfFindings, type ChosenFindings, FindingsPanel } from '../analysis/FindingsPanel.tsx';
import { analyseProcess, useProcessAnalysis } from '../analysis/useProcessAnalysis.ts';
import { useLastCheck } from '../eventlog/lastCheck.ts';
import { AddLaneForm, AddStepForm } from './AddForms.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { type CanvasLayout, layoutCanvas, selectionViewport, type ViewBadges } from './canvasModel.ts';
import { DetailsCard } from './DetailsCard.tsx';
import { downloadWorkflow } from './downloads.ts';
import { driftOverlay } from './driftOverlay.ts';
import { EditorLegend } from './EditorLegend.tsx';
import { EditorToolbar } from './EditorToolbar.tsx';
import {
  createEditorStore,
  type EditorDocument,
  type EditorState,
  type EditorStore,
  useEditorState,
} from './editorStore.ts';
import { FailingDataSource, useFailingDataOfSteps } from './FailingData.tsx';
import { findingMarks } from './findingMarks.ts';
import { Inspector } from './Inspector.tsx';
import { AppendDialog, ConnectDialog } from './KeyboardDialogs.tsx';
import { KeyboardShortcuts } from './KeyboardShortcuts.tsx';
import { defaultLabel } from './labels.ts';
import { PageTrail } from './PageTrail.tsx';
import { PanelToggle } from './PanelToggle.tsx';
import { liveSelection, selectedCount } from './selection.ts';
import { baselineBadges, futureBadges } from './traceBadges.ts';
import { useArrange } from './useArrange.ts';
import { useEditorKeyboard } from './useEditorKeyboard.ts';
import { useEditorPanels } from './useEditorPanels.ts';
import { useFillWindow } from './useFillWindow.ts';
import { useFindingMarksShown } from './useFindingMarksShown.ts';
import { useWorkflowEditor } from './useWorkflowEditor.ts';
import { panelsOver, readableView, revealOnCanvas, WorkflowCanvas, wholeView } from './WorkflowCanvas.tsx';

/** Room around a finding's steps shown on the diagram, as a share of their size (React Flow's fitBounds padding). */
const SHOW_STEPS_PADDING = 0.4;
/** Screen pixels kept free around the steps "Zoom to selection" shows. */
const SELECTION_MARGIN = 24;

/** A phone's width: the editor's one-column layout (editor.css). */
const PHONE = '(max-width: 700px)';

/** Said when a fitted view shows only part of what was asked for: where the rest is. */
const REST_OF_IT = 'Drag the overview map (bottom right) to see the rest.';

const selectionOf = (s: EditorState) => s.selection;
const heatOf = (s: EditorState) => s.heat;
const compareOf = (s: EditorState) => s.compare;
const togetherOf = (s: EditorState) => s.together;
const draftsOf = (s: EditorState) => s.drafts;
const driftShownOf = (s: EditorState) => s.driftShown;
const chosenMarkOf = (s: EditorState) => s.chosenMark;
const messageOf = (s: EditorState) => s.message;
const stepDialogOf = (s: EditorState) => s.stepDialog;

/** The workflow to edit, its project (for suggestions and the baseline) and where edits go. */
interface WorkflowEditorProps {
  project: Project;
  workflow: Workflow;
  dispatch: (change: ProjectChange) => void;
  onClose: () => void;
  /** shown first in the editor's status line (e.g. what to review after an import) */
  notice?: string;
  /** open with the last go-live check's drift drawn on the diagram (the report's "Show on the canvas") */
  showDrift?: boolean;
  /** added to new steps' and lanes' ids (a shared workflow: unique to this person's copy) */
  idTag?: string;
  /** shown above the diagram (a shared workflow: whether it is in step with the team) */
  banner?: ReactNode;
  /**
   * when given, the workflow is looked at, not changed, and these words say why (a shared
   * workflow the person's role may not change): no palette, no drawing, the details shown but
   * not editable, and every edit from the keyboard (paste, delete, undo…) refused with them
   */
  readOnly?: string;
  /**
   * others edit this workflow at the same time (a shared workflow): when their edits arrive, the
   * person's undo list is kept and undo still takes back the person's own last change
   */
  othersEdit?: boolean;
  /**
   * causes outside the diagram's own logic that may explain some findings (a shared workflow: a
   * step someone removed while the person was connecting to it), each with its line and the
   * workflow as it would be without it: the findings that follow from one are told under it, first
   */
  findingCauses?: readonly (FindingCause & { says: string })[];
  /** the sub-process whose page is shown (absent, or not a sub-process: the workflow's own page) */
  inside?: string;
  /** the address of a page of this workflow: a sub-process's, or the workflow's own (undefined) */
  pageHref?: (inside: string | undefined) => string;
  /** the step chosen as the editor opens, its details shown (a link from the failing data it uses) */
  step?: string;
}

/** The editor of one workflow, with its own React Flow store. */
export function WorkflowEditor(props: WorkflowEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}

function EditorBody({
  project,
  workflow: stored,
  dispatch,
  onClose,
  notice,
  showDrift,
  idTag,
  banner,
  readOnly,
  othersEdit,
  findingCauses,
  inside,
  pageHref,
  step: openedAt,
}: WorkflowEditorProps) {
  // undo and redo say what they did on the status line (the store is made below, from the editor)
  const sayRef = useRef<(message: string) => void>(() => {});
  const editor = useWorkflowEditor(stored, dispatch, (message) => sayRef.current(message), {
    ...(readOnly === undefined ? {} : { readOnly }),
    othersEdit: othersEdit ?? false,
  });
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const { workflow, apply } = editor;
  // a sub-process's page shows its inner steps; the workflow's own page shows it as one step
  const trail = useMemo(() => pageTrail(workflow, inside), [workflow, inside]);
  const page = trail.length > 0 ? inside : undefined;
  const shown = useMemo(() => workflowPage(workflow, page), [workflow, page]);
  const subProcesses = useMemo(() => subProcessIds(workflow), [workflow]);
  const layout = useMemo(() => layoutCanvas(shown), [shown]);
  // the store's actions read the workflow as this render shows it
  const documentRef = useRef<EditorDocument>({ workflow, layout, apply });
  documentRef.current = { workflow, layout, apply, ...(page !== undefined ? { page } : {}) };
  const [store] = useState(() =>
    createEditorStore(() => documentRef.current, {
      message: notice ?? '',
      driftShown: showDrift ?? false,
      ...(idTag === undefined ? {} : { idTag }),
      readOnly: () => readOnlyRef.current,
    }),
  );
  sayRef.current = store.say;
  const chosenSelection = useEditorState(store, selectionOf);
  const heat = useEditorState(store, heatOf);
  const compare = useEditorState(store, compareOf);
  const together = useEditorState(store, togetherOf);
  const drafts = useEditorState(store, draftsOf);
  const driftShown = useEditorState(store, driftShownOf);
  const chosenMark = useEditorState(store, chosenMarkOf);

  // the drift overlay: a view over the last go-live check of this workflow, never an edit
  const lastCheck = useLastCheck(project, workflow);
  const drift = useMemo(
    () => (lastCheck && driftShown ? driftOverlay(lastCheck.result, workflow) : undefined),
    [lastCheck, driftShown, workflow],
  );
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
  const instanceRef = useRef<ReactFlowInstance<Node, Edge> | null>(null);
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

  const invalidSteps = useMemo(() => {
    const ids = new Set<string>();
    for (const key of drafts.keys()) {
      const [scope, id] = key.split(':');
      if (scope === 'step' && id) ids.add(id);
    }
    return ids;
  }, [drafts]);

  // a selection naming things an undo removed would show an empty inspector
  const selection = useMemo(() => liveSelection(chosenSelection, workflow), [chosenSelection, workflow]);

  /** set when an arranged layout was applied: the next layout is shown whole (when readable) */
  const fitNextLayoutRef = useRef(false);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  /** the badges the canvas adds to the steps (heat, comparison, sub-process): set once they are known, below */
  const badgesRef = useRef<ViewBadges>({});
  /**
   * Shows the diagram whole when it is readable that way, else a readable part (canvasModel.ts).
   * Returns whether it shows whole (null: no canvas yet).
   */
  const showReadable = useCallback((shown: CanvasLayout): boolean | null => {
    const view = canvasRef.current?.querySelector<HTMLElement>('.react-flow');
    const instance = instanceRef.current;
    if (!view || !instance) return null;
    const { x, y, zoom, whole } = readableView(view, shown, badgesRef.current);
    void instance.setViewport({ x, y, zoom });
    return whole;
  }, []);
  /**
   * "Zoom to fit": the whole diagram, as bpmn.io fits one, however small its labels get; says when
   * they are too small to read and which button shows them readably.
   */
  const zoomToFit = useCallback(() => {
    const view = canvasRef.current?.querySelector<HTMLElement>('.react-flow');
    const instance = instanceRef.current;
    if (!view || !instance) return;
    const { x, y, zoom, readable } = wholeView(view, layoutRef.current, badgesRef.current);
    void instance.setViewport({ x, y, zoom });
    store.say(
      readable
        ? 'Showing the whole workflow.'
        : 'Showing the whole workflow; its labels are small at this size. Readable size shows them at a size you can read.',
    );
  }, [store]);
  /** The selected steps with their lanes at a readable size (canvasModel.ts); false when none is on the canvas. */
  const showSelection = useCallback(
    (ids: readonly string[], what: 'selection' | 'readable'): boolean => {
      const view = canvasRef.current?.querySelector<HTMLElement>('.react-flow');
      const instance = instanceRef.current;
      if (!view || !instance) return false;
      const size = { width: view.clientWidth, height: view.clientHeight };
      const next = selectionViewport(
        layoutRef.current,
        ids,
        size,
        SELECTION_MARGIN,
        panelsOver(view),
        badgesRef.current,
      );
      if (!next) return false;
      void instance.setViewport({ x: next.x, y: next.y, zoom: next.zoom });
      const shown = ids.length === 1 ? 'the selected step' : `the ${ids.length} selected steps`;
      store.say(
        !next.whole
          ? `The selected steps do not all fit at the smallest readable size: showing the first of them. ${REST_OF_IT}`
          : what === 'readable'
            ? `Showing ${shown} at a readable size.`
            : `Showing ${shown}.`,
      );
      return true;
    },
    [store],
  );
  /** "Zoom to selection": the selected steps with their lanes, at a readable size (canvasModel.ts). */
  const zoomToSelection = useCallback(() => {
    const ids = store.live().steps;
    if (ids.length === 0) {
      store.say('Select one or more steps first: Zoom to selection shows the selected steps.');
      return;
    }
    showSelection(ids, 'selection');
  }, [store, showSelection]);
  /**
   * "Readable size": labels at a size that reads, around the selected steps, else from where the
   * workflow starts (the whole diagram when it reads whole).
   */
  const zoomReadable = useCallback(() => {
    const ids = store.live().steps;
    if (ids.length > 0 && showSelection(ids, 'readable')) return;
    const whole = showReadable(layoutRef.current);
    if (whole === null) return;
    store.say(
      whole
        ? 'Showing the whole workflow at a readable size.'
        : `Showing where the workflow starts, at a readable size. ${REST_OF_IT}`,
    );
  }, [store, showSelection, showReadable]);
  // each arrangement routes the flows around the steps again (useFlowRoutes.ts), also one that
  // moved nothing: above ROUTE_ON_OPEN_MAX_STEPS that is how an arranged workflow gets its routes
  const [arrangements, setArrangements] = useState(0);
  const onArranged = useCallback(
    (moved: boolean) => {
      setArrangements((n) => n + 1);
      // moved: the new layout is drawn on the next render (the effect below shows it)
      if (moved) fitNextLayoutRef.current = true;
      else showReadable(layoutRef.current);
    },
    [showReadable],
  );
  const arranging = useArrange(workflow, apply, store.say, onArranged);

  useEffect(() => {
    if (!fitNextLayoutRef.current) return;
    fitNextLayoutRef.current = false;
    showReadable(layout);
  }, [layout, showReadable]);

  // another page (a sub-process's, or back to the workflow's) is shown whole, as on opening
  const shownPageRef = useRef(page);
  useEffect(() => {
    if (shownPageRef.current === page) return;
    shownPageRef.current = page;
    showReadable(layoutRef.current);
  }, [page, showReadable]);

  // ---- what only the page can do: focus and the view ------------------------------------------

  const [panels, setPanels] = useEditorPanels();
  // opened from a link to one step (from its failing data on the Migration screen): that step
  // chosen and its details shown, once, as the editor opens
  const openedAtRef = useRef(openedAt);
  useEffect(() => {
    const id = openedAtRef.current;
    openedAtRef.current = undefined;
    if (id === undefined || !shown.steps.some((s) => s.id === id)) return;
    store.select({ steps: [id], flows: [], lane: null });
    setPanels({ inspector: true });
  }, [shown, store, setPanels]);
  const { onKeyDown, onFocus, removeSelection, focusStepWhenDrawn } = useEditorKeyboard({
    store,
    history: editor,
    canvasRef,
    inspectorRef,
    showInspector: useCallback(() => setPanels({ inspector: true }), [setPanels]),
    zoomToSelection,
  });

  const baseline =
    workflow.state === 'future'
      ? project.workflows.find((w) => w.id === workflow.baseline && w.state === 'current')
      : undefined;
  const futureTrace = useMemo(
    () => (compare && baseline ? futureBadges(workflow, baseline) : undefined),
    [compare, baseline, workflow],
  );
  badgesRef.current = { heat, trace: futureTrace, subProcesses };
  const baselineTrace = useMemo(
    () =>
      compare && baseline
        ? baselineBadges({ steps: workflow.steps, retired: workflow.retired }, baseline)
        : undefined,
    [compare, baseline, workflow.steps, workflow.retired],
  );
  const baselineLayout = useMemo(() => (baseline ? layoutCanvas(baseline) : null), [baseline]);

  // ---- findings on the diagram -----------------------------------------------------------------

  // the analysis of this workflow (against its baseline when it is a future one), deferred behind edits
  const analysis = useProcessAnalysis(
    workflow.state === 'future' ? baseline : workflow,
    workflow.state === 'future' ? workflow : undefined,
    project.meta.settings,
  );
  const ownAnalysis = workflow.state === 'future' ? analysis.future : analysis.current;
  // the findings that follow from a cause outside the diagram, each analysed without its cause
  const causes = useMemo((): CauseOfFindings[] | undefined => {
    if (!ownAnalysis || !findingCauses || findingCauses.length === 0) return undefined;
    const future = workflow.state === 'future';
    const { caused } = findingsByCause(ownAnalysis.findings, findingCauses, (without) => {
      const other = analyseProcess(
        future ? baseline : without,
        future ? without : undefined,
        project.meta.settings,
      );
      return (future ? other.future : other.current)?.findings ?? [];
    });
    return caused.map(({ id, findings }) => ({
      id,
      findings,
      says: findingCauses.find((cause) => cause.id === id)?.says ?? '',
    }));
  }, [ownAnalysis, findingCauses, workflow.state, baseline, project.meta.settings]);
  // the workflow as the analysis saw it: the marks and the findings list follow it, so an edit
  // redraws the canvas first and the findings after (at 1,000 steps they take longer than the edit)
  const analysedWorkflow = useDeferredValue(workflow);
  // the finding marks: the findings drawn on their steps, lanes and flows (a view, switchable)
  const [marksShown, setMarksShown] = useFindingMarksShown();
  const marks = useMemo(
    () => (marksShown && ownAnalysis ? findingMarks(ownAnalysis.findings, analysedWorkflow) : undefined),
    [marksShown, ownAnalysis, analysedWorkflow],
  );
  // read from the marks as they are now, so the list follows edits (and goes when its element does)
  const chosen = useMemo((): ChosenFindings | null => {
    if (!chosenMark || !marks) return null;
    const label = (id: string) => analysedWorkflow.steps.find((s) => s.id === id)?.label ?? id;
    const found =
      chosenMark.kind === 'step'
        ? { mark: marks.steps.get(chosenMark.id), where: `“${label(chosenMark.id)}”` }
        : chosenMark.kind === 'lane'
          ? {
              mark: marks.lanes.get(chosenMark.id),
              where: `the role ${analysedWorkflow.lanes.find((l) => l.id === chosenMark.id)?.name ?? chosenMark.id}`,
            }
          : {
              mark: marks.flows.find((f) => f.from === chosenMark.from && f.to === chosenMark.to)?.mark,
              where: `the flow from “${label(chosenMark.from)}” to “${label(chosenMark.to)}”`,
            };
    if (!found.mark) return null;
    return {
      where: found.where,
      findings: found.mark.findings,
      onClear: () => store.set({ chosenMark: null }),
      choice: chosenMark,
    };
  }, [chosenMark, marks, analysedWorkflow, store]);
  /** A finding's steps: selected and brought into view on the canvas (the baseline's: in the comparison). */
  const showFindingSteps = useCallback(
    (workflowId: string, stepIds: string[]) => {
      const placed = store.selectFindingSteps(workflowId, stepIds);
      if (placed === null) return;
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
      const shown = view ? revealOnCanvas(view, instance, layoutRef.current, bounds) : Promise.resolve(false);
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
    [store, focusStepWhenDrawn],
  );

  // "Open in editor" goes away as the editor opens: keyboard users land on its title, not the page's
  // start nor the workspace as a whole (where the app puts focus after a change of screen)
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body || active.id === 'main')
      titleRef.current?.focus({ preventScroll: true });
    // on a phone the canvas comes first: the editor opens scrolled to it, its overview map in view
    if (window.matchMedia(PHONE).matches) canvasRef.current?.scrollIntoView({ block: 'start' });
  }, []);

  const gridRef = useRef<HTMLDivElement>(null);
  useFillWindow(gridRef);

  // the failing data each step uses (the latest checks through the data dictionary), on the
  // canvas and in the step's panel with a link to its check
  const { marks: failingData, from: failingDataFrom } = useFailingDataOfSteps(project, workflow);
  const href = useHref();
  const checkHref = useCallback(
    (data: StepFailingData) =>
      href(
        data.report === undefined
          ? { workspace: 'migration' }
          : { workspace: 'migration', report: data.report },
      ),
    [href],
  );

  const selectedStep = selection.steps.length === 1 ? selection.steps[0] : undefined;
  const inspector = (
    <Inspector
      failingData={failingData}
      failingDataFrom={failingDataFrom}
      checkHref={checkHref}
      {...(pageHref ? { pageHref } : {})}
      workflow={workflow}
      project={project}
      selection={selection}
      apply={apply}
      drafts={drafts}
      setDraft={store.setDraft}
      firstFieldRef={firstFieldRef}
      onRemoveSelection={removeSelection}
      onSelect={store.select}
    />
  );

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
          {banner}
          <FailingDataSource from={failingDataFrom} />
          {pageHref && <PageTrail workflowName={workflow.name} trail={trail} pageHref={pageHref} />}
        </div>
        <button type="button" onClick={onClose}>
          Back to workflows
        </button>
      </header>

      <EditorToolbar
        store={store}
        history={editor}
        selection={selection}
        arranging={arranging}
        comparable={baseline !== undefined}
        marksShown={marksShown}
        onMarksShown={setMarksShown}
        lastCheck={lastCheck}
        onRemoveSelection={removeSelection}
        onZoomToFit={zoomToFit}
        onZoomReadable={zoomReadable}
        onZoomToSelection={zoomToSelection}
        onDownload={(what) => downloadWorkflow(what, { workflow, layout, heat, marks }, store.say)}
        readOnly={readOnly !== undefined}
      />

      <div
        className={`wf-editor-grid${panels.palette ? '' : ' wf-palette-hidden'}${panels.inspector ? '' : ' wf-inspector-hidden'}`}
        ref={gridRef}
      >
        <aside className="wf-side" aria-label="Add to the workflow">
          <PanelToggle
            shown={panels.palette}
            name="Add steps"
            controls="wf-side-body"
            onToggle={(shown) => setPanels({ palette: shown })}
          />
          {panels.palette && readOnly !== undefined && (
            <div className="wf-side-body" id="wf-side-body">
              <p>{readOnly}</p>
            </div>
          )}
          {panels.palette && readOnly === undefined && (
            <div className="wf-side-body" id="wf-side-body">
              <AddStepForm workflow={workflow} onAdd={store.addStep} />
              <AddLaneForm
                onAdd={(name, staff) => {
                  const id = store.addLane(name, staff);
                  if (id !== null) revealRef.current = id;
                }}
              />
            </div>
          )}
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
            move it: left and right along its lane, up and down to another lane. Z zooms to the selected
            steps. Delete removes, Control+Z undoes. All shortcuts are listed under Keyboard shortcuts below
            the diagram.
          </p>
          <WorkflowCanvas
            workflow={shown}
            subProcesses={subProcesses}
            layout={layout}
            heat={heat}
            selection={selection}
            onSelectionChange={store.select}
            apply={(edit) => apply(edit)}
            onDropKind={store.dropKind}
            fixed={readOnly !== undefined}
            invalidSteps={invalidSteps}
            trace={futureTrace}
            drift={drift}
            findingMarks={marks}
            onShowFindings={store.showMarkedFindings}
            failingData={failingData}
            onViewportChange={compare ? followView : undefined}
            onMessage={store.say}
            onZoomToFit={zoomToFit}
            onZoomReadable={zoomReadable}
            arrangements={arrangements}
            onInit={(instance) => {
              instanceRef.current = instance;
            }}
          />
        </section>

        <DetailsCard
          shown={panels.inspector}
          onToggle={(shown) => setPanels({ inspector: shown })}
          nothingSelected={selectedCount(selection) === 0 && !selection.lane}
          readOnly={readOnly !== undefined}
          cardRef={inspectorRef}
        >
          {inspector}
          {readOnly === undefined && selectedStep && (
            <p className="field-hint">
              Tip: drag a step into another band to change its lane (or press the up and down arrow keys);
              drag from its right edge to connect it (or press C).
            </p>
          )}
        </DetailsCard>
      </div>

      <div className="wf-editor-foot">
        <KeyboardShortcuts />
        <StatusLine store={store} />
      </div>

      {ownAnalysis && (
        <section className="wf-findings" aria-label="Findings on this workflow">
          <MemoFindingsPanel
            workflow={analysedWorkflow}
            baseline={baseline}
            analysis={ownAnalysis}
            onShowSteps={showFindingSteps}
            chosen={chosen}
            {...(causes ? { causes } : {})}
          />
        </section>
      )}

      {compare && baseline && baselineLayout && (
        <ComparePanel
          store={store}
          baseline={baseline}
          layout={baselineLayout}
          heat={heat}
          trace={baselineTrace}
          onInit={(instance) => {
            baselineInstanceRef.current = instance;
            const main = instanceRef.current;
            if (main && together) followView(main.getViewport());
          }}
        />
      )}

      <StepDialogs store={store} workflow={workflow} focusStep={focusStepWhenDrawn} />

      <EditorLegend workflow={workflow} heat={heat} marks={marks} drift={drift} lastCheck={lastCheck} />
    </div>
  );
}

/**
 * The findings list, drawn again only when its analysis, workflow or chosen mark changes: an edit
 * elsewhere (a step moved, a field typed) leaves it as it is.
 */
const MemoFindingsPanel = memo(FindingsPanel);

/** The editor's status line: what the last action did, or why it was refused. */
function StatusLine({ store }: { store: EditorStore }) {
  const message = useEditorState(store, messageOf);
  return (
    <p className="wf-message" role="status" aria-live="polite">
      {message}
    </p>
  );
}

/** "Connect to…" and "Add a step after…" on a step; keyboard focus goes to the step they leave on. */
function StepDialogs({
  store,
  workflow,
  focusStep,
}: {
  store: EditorStore;
  workflow: Workflow;
  focusStep: (id: string) => void;
}) {
  const dialog = useEditorState(store, stepDialogOf);
  const step = dialog ? workflow.steps.find((s) => s.id === dialog.step) : undefined;
  if (!dialog || !step) return null;
  /** closed without a change: keyboard focus goes back to its step on the diagram */
  const close = () => {
    const id = store.closeStepDialog();
    if (id !== undefined) focusStep(id);
  };
  return dialog.kind === 'connect' ? (
    <ConnectDialog
      workflow={workflow}
      from={step}
      onConnect={(to) => {
        if (store.connect(step.id, to)) focusStep(step.id);
      }}
      onClose={close}
    />
  ) : (
    <AppendDialog
      workflow={workflow}
      after={step}
      defaultLabel={defaultLabel}
      onAdd={(choice) => {
        // focus brings it into view, moving the view the least (WorkflowCanvas.tsx)
        const id = store.appendAfter(step.id, choice);
        if (id !== null) focusStep(id);
      }}
      onClose={close}
    />
  );
}
