/**
 * The swimlane canvas: React Flow nodes and edges derived from the workflow document (never the
 * source of truth). A drag moves the nodes' positions locally; its end becomes one edit (lane
 * and position of every dragged step), so a gesture is one undo step and one save.
 */
import {
  type Connection,
  ConnectionMode,
  ControlButton,
  Controls,
  type Edge,
  type EdgeChange,
  MarkerType,
  MiniMap,
  type Node,
  type NodeChange,
  type OnNodeDrag,
  ReactFlow,
  type ReactFlowInstance,
  useStoreApi,
  type Viewport,
  ViewportPortal,
} from '@xyflow/react';
import {
  type DragEvent,
  type FocusEvent,
  type PointerEvent,
  useCallback,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { StepFailingData } from '../../../core/readiness/index.ts';
import type { WorkflowEdit } from '../../../core/workflow/edit/index.ts';
import { flowEndsOf, routeKey } from '../../../core/workflow/index.ts';
import type { StepKind, Workflow } from '../../../formats/workflow.ts';
import { drawnArtifacts } from './artifactLayout.ts';
import { type BoundaryNode, boundaryEventNode } from './BoundaryEventNode.tsx';
import {
  type CanvasLayout,
  clearArea,
  type HeatMode,
  heatScale,
  LANE_HEADER_WIDTH,
  MIN_ZOOM,
  NO_VIEW_BADGES,
  type PlacedStep,
  partClearOf,
  readableViewport,
  stepBoxes,
  toStored,
  type ViewBadges,
  viewInArea,
  wholeViewport,
} from './canvasModel.ts';
import { DrawnArtifacts } from './DrawnArtifacts.tsx';
import { type WorkaroundNode, workaroundElements } from './driftNodes.tsx';
import type { DriftOverlay } from './driftOverlay.ts';
import { spokenFailingData } from './FailingData.tsx';
import { type FindingMarks, spokenMark } from './findingMarks.ts';
import {
  EDGE_TYPES,
  type FlowEdge,
  type MarkedFlowEdge,
  type ShowMarkedFindings,
} from './findingMarkViews.tsx';
import { flowWords, placeFlowLabels } from './flowLabels.ts';
import { ROUTE_ON_OPEN_MAX_STEPS } from './flowRoutes.ts';
import { LaneRail, laneRailShown, laneRailWidth } from './LaneRail.tsx';
import { edgeSelection, messageEdges } from './messageEdges.ts';
import { type LaneNode, NODE_TYPES, type StepNode, stepAriaLabel } from './nodes.tsx';
import {
  type FlowRect,
  REVEAL_MARGIN,
  type ScreenRect,
  type ShownPanel,
  unionRect,
  viewportRevealing,
} from './revealInView.ts';
import { flowKey, type Selection, STEP_NODES } from './selection.ts';
import { useFlowRoutes } from './useFlowRoutes.ts';

/** MIME type of a palette item being dragged onto the canvas. */
export const STEP_KIND_DRAG_TYPE = 'application/x-preflight-step-kind';

/** The document, its layout and the editor's callbacks; the canvas holds no state of its own but a drag in progress. */
interface WorkflowCanvasProps {
  workflow: Workflow;
  layout: CanvasLayout;
  heat: HeatMode;
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  apply: (edit: WorkflowEdit) => string | null;
  /** a step kind was dropped from the palette at a canvas point */
  onDropKind: (kind: StepKind, at: { x: number; y: number }) => void;
  /** steps whose inspector holds invalid, unsaved input */
  invalidSteps: ReadonlySet<string>;
  /** comparison badges by step id (side-by-side view), read with the step's name */
  trace?: ReadonlyMap<string, string>;
  /** the last go-live check drawn over the steps (a view: never part of the document) */
  drift?: DriftOverlay;
  /** the analysis's findings drawn on steps, lanes and flows (a view: never part of the document) */
  findingMarks?: FindingMarks;
  /** a finding mark was chosen: show its findings */
  onShowFindings?: ShowMarkedFindings;
  /** the failing data each step uses, by step id: a mark on the step (a view, never the document) */
  failingData?: ReadonlyMap<string, readonly StepFailingData[]>;
  /** a view only: no dragging, connecting or selecting (the baseline beside a future workflow) */
  readOnly?: boolean;
  /** looked at, not changed: no dragging or connecting, but a step is still selected to see its details */
  fixed?: boolean;
  /** the view was panned or zoomed (to move a second canvas along with it) */
  onViewportChange?: (viewport: Viewport) => void;
  onMessage: (message: string) => void;
  onInit: (instance: ReactFlowInstance<Node, Edge>) => void;
  /**
   * the zoom buttons' "fit" (the editor's "Zoom to fit", which says what it shows); without it the
   * button fits this canvas alone, whole
   */
  onZoomToFit?: () => void;
  /** the zoom buttons' "readable size" (the editor's); without it the button shows this canvas readably */
  onZoomReadable?: () => void;
  /** how many times the workflow was arranged: its flows are routed around the steps again at each */
  arrangements?: number;
  /** steps that are sub-processes (their inner steps on a page of their own): marked as such */
  subProcesses?: ReadonlySet<string>;
}

type CanvasNode = StepNode | BoundaryNode | LaneNode | WorkaroundNode;

/** The swimlane diagram of one workflow (see the file header). */
export function WorkflowCanvas(props: WorkflowCanvasProps) {
  const {
    workflow,
    layout,
    heat,
    selection,
    onSelectionChange,
    apply,
    invalidSteps,
    onMessage,
    trace,
    readOnly,
    fixed,
    drift,
    findingMarks,
    onShowFindings,
    subProcesses,
    failingData,
  } = props;
  const [dragPositions, setDragPositions] = useState<ReadonlyMap<string, { x: number; y: number }>>(
    new Map(),
  );
  const instanceRef = useRef<ReactFlowInstance<Node, Edge> | null>(null);
  const selectionRef = useRef(selection);
  selectionRef.current = selection;
  const stepNodeCache = useRef(new Map<string, StepNode>());

  const workarounds = useMemo(
    () =>
      drift
        ? workaroundElements(
            drift,
            new Map(layout.steps.map((p) => [p.step.id, p])),
            new Map(workflow.steps.map((st) => [st.id, st.label])),
          )
        : { nodes: [], edges: [] },
    [drift, layout, workflow.steps],
  );

  // the model's notes and groups: read-only pictures placed from its stored geometry
  const drawn = useMemo(() => drawnArtifacts(workflow, layout), [workflow, layout]);

  const nodes = useMemo<CanvasNode[]>(() => {
    const scale = heatScale(workflow, heat);
    const laneName = new Map(layout.lanes.map((l) => [l.id, l.name]));
    const stepCount = new Map<string, number>();
    for (const p of layout.steps) stepCount.set(p.step.lane, (stepCount.get(p.step.lane) ?? 0) + 1);
    const selectedSteps = new Set(selection.steps);
    const width = layout.right - layout.left;
    const lanes: LaneNode[] = layout.lanes.map((band) => ({
      id: `lane:${band.id}`,
      type: 'lane',
      position: { x: layout.left, y: band.top },
      width,
      height: band.height,
      draggable: false,
      selectable: false,
      focusable: false,
      connectable: false,
      deletable: false,
      zIndex: -1,
      data: {
        name: band.name,
        staff: band.staff,
        steps: stepCount.get(band.id) ?? 0,
        selected: selection.lane === band.id,
        onSelect: () => onSelectionChange({ steps: [], flows: [], lane: band.id }),
        findings: findingMarks?.lanes.get(band.id) ?? null,
        laneId: band.id,
        ...(onShowFindings ? { onShowFindings } : {}),
      },
    }));
    // tab order follows the picture: lane by lane, left to right, a boundary event after its activity
    const laneIndex = new Map(layout.lanes.map((l) => [l.id, l.index]));
    const placedById = new Map(layout.steps.map((p) => [p.step.id, p]));
    const eventsOf = new Map<string, PlacedStep[]>();
    for (const p of layout.steps) {
      if (p.attached) eventsOf.set(p.attached.host, [...(eventsOf.get(p.attached.host) ?? []), p]);
    }
    const ordered = layout.steps
      .filter((p) => !p.attached || !placedById.has(p.attached.host))
      .sort(
        (a, b) =>
          (laneIndex.get(a.step.lane) ?? 0) - (laneIndex.get(b.step.lane) ?? 0) || a.x - b.x || a.y - b.y,
      )
      .flatMap((p) => [p, ...(eventsOf.get(p.step.id) ?? [])]);
    const cache = stepNodeCache.current;
    const next = new Map<string, StepNode>();
    const steps: (StepNode | BoundaryNode)[] = ordered.map((placed) => {
      const { step } = placed;
      if (placed.attached) {
        const host = placedById.get(placed.attached.host);
        return boundaryEventNode(placed, host, dragPositions.get(placed.attached.host), {
          selected: selectedSteps.has(step.id),
          invalid: invalidSteps.has(step.id),
        });
      }
      const position = dragPositions.get(step.id) ?? { x: placed.x, y: placed.y };
      const badge = trace?.get(step.id) ?? null;
      const stepDrift = drift?.steps.get(step.id) ?? null;
      const marked = findingMarks?.steps.get(step.id) ?? null;
      const failing = failingData?.get(step.id);
      const failingWords = failing && failing.length > 0 ? spokenFailingData(failing) : null;
      const node: StepNode = {
        id: step.id,
        type: 'step',
        position,
        width: placed.width,
        height: placed.height,
        selected: selectedSteps.has(step.id),
        ariaLabel: `${stepAriaLabel(step, laneName.get(step.lane) ?? '')}${subProcesses?.has(step.id) ? ' (a sub-process)' : ''}${badge ? ` (${badge.toLowerCase()})` : ''}${stepDrift ? `; from the go-live log: ${stepDrift.spoken}` : ''}${marked ? `; ${spokenMark(marked)}` : ''}${failingWords ? `; ${failingWords}` : ''}`,
        data: {
          step,
          heat: scale.bucketOf(step),
          heatMinutes: heat === 'off' ? null : heat === 'touch' ? step.touchMin : step.waitMin,
          invalid: invalidSteps.has(step.id),
          trace: badge,
          drift: stepDrift,
          findings: marked,
          ...(onShowFindings ? { onShowFindings } : {}),
          ...(subProcesses?.has(step.id) ? { subProcess: true } : {}),
          ...(failing && failingWords ? { failingData: { count: failing.length, words: failingWords } } : {}),
        },
      };
      // an unchanged step keeps its node object, so React Flow skips it (1,000-step workflows)
      const previous = cache.get(step.id);
      const kept = previous && sameStepNode(previous, node) ? previous : node;
      next.set(step.id, kept);
      return kept;
    });
    stepNodeCache.current = next;
    if (!drift) return [...lanes, ...steps];
    return [...lanes, ...steps, ...workarounds.nodes];
  }, [
    workflow,
    layout,
    heat,
    selection,
    dragPositions,
    invalidSteps,
    onSelectionChange,
    trace,
    drift,
    workarounds,
    findingMarks,
    onShowFindings,
    subProcesses,
    failingData,
  ]);

  const boxes = useMemo(() => stepBoxes(layout), [layout]);
  const shownBoxes = useMemo(() => {
    if (dragPositions.size === 0) return boxes;
    const hostOf = new Map(layout.steps.flatMap((p) => (p.attached ? [[p.step.id, p.attached.host]] : [])));
    const byId = new Map(boxes.map((box) => [box.id, box]));
    return boxes.map((box) => {
      const dragged = dragPositions.get(box.id);
      if (dragged) return { ...box, x: dragged.x, y: dragged.y };
      // a boundary event goes where its activity is dragged
      const host = hostOf.get(box.id);
      const hostDragged = host !== undefined ? dragPositions.get(host) : undefined;
      const hostBox = host !== undefined ? byId.get(host) : undefined;
      return hostDragged && hostBox
        ? { ...box, x: box.x + hostDragged.x - hostBox.x, y: box.y + hostDragged.y - hostBox.y }
        : box;
    });
  }, [boxes, dragPositions, layout]);
  const arrangements = props.arrangements ?? 0;
  // the flow from an activity to a boundary event on its border is the attachment itself (drawn
  // as the event on the border, as BPMN draws it; its chance is in the activity's exits)
  const drawnFlows = useMemo(() => {
    const attachedTo = new Map(
      layout.steps.flatMap((p) => (p.attached ? [[p.step.id, p.attached.host] as const] : [])),
    );
    return attachedTo.size === 0
      ? workflow.flows
      : workflow.flows.filter((flow) => attachedTo.get(flow.to) !== flow.from);
  }, [workflow.flows, layout]);
  // a boundary event's exception path leaves it downward, away from the activity it sits on
  const flowEnds = useMemo(
    () => flowEndsOf({ steps: workflow.steps, flows: drawnFlows }),
    [workflow.steps, drawnFlows],
  );
  const { routes, current: routesCurrent } = useFlowRoutes(
    boxes,
    flowEnds,
    shownBoxes,
    workflow.steps.length <= ROUTE_ON_OPEN_MAX_STEPS || arrangements > 0
      ? `${workflow.id}\u0000${arrangements}`
      : null,
  );

  // each flow's words clear of the steps, their names, the marks drawn and the other flows' words
  // (flowLabels.ts, as the downloaded pictures place them)
  const drawnMarks = onShowFindings ? findingMarks : undefined;
  const labelPlaces = useMemo(
    () => placeFlowLabels(drawnFlows, layout, (from, to) => routes.get(routeKey(from, to)), drawnMarks),
    [drawnFlows, layout, routes, drawnMarks],
  );

  // the steps being dragged: the same string all through one drag, so the flows are not rebuilt per frame
  const dragged = useMemo(() => [...dragPositions.keys()].sort().join('\u0000'), [dragPositions]);

  const edges = useMemo<Edge[]>(() => {
    const moved = new Set(dragged ? dragged.split('\u0000') : []);
    const selected = new Set(selection.flows);
    const label = new Map(workflow.steps.map((s) => [s.id, s.label]));
    const flowMarks = new Map((findingMarks?.flows ?? []).map((f) => [flowKey(f.from, f.to), f.mark]));
    const designed = drawnFlows.map((flow): Edge | MarkedFlowEdge | FlowEdge => {
      const key = flowKey(flow.from, flow.to);
      const route = routes.get(routeKey(flow.from, flow.to));
      const words = flowWords(flow);
      // a flow whose step is being dragged keeps its words at its middle until the drop
      const moving = moved.has(flow.from) || moved.has(flow.to);
      const labelAt = moving ? undefined : labelPlaces.get(routeKey(flow.from, flow.to));
      const placed = { ...(route ? { route } : {}), ...(labelAt ? { labelAt } : {}) };
      const mark = flowMarks.get(key);
      const where = `the flow from ${label.get(flow.from) ?? flow.from} to ${label.get(flow.to) ?? flow.to}`;
      return {
        id: key,
        source: flow.from,
        target: flow.to,
        ...(mark && onShowFindings
          ? {
              type: 'marked' as const,
              data: {
                mark,
                where,
                onShow: () => onShowFindings({ kind: 'flow', from: flow.from, to: flow.to }),
                ...placed,
              },
            }
          : { type: route ? ('routed' as const) : ('plain' as const), data: placed }),
        selected: selected.has(key),
        className: `wf-flow wf-transfer-${flow.transfer}`,
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        label: words ?? undefined,
        ariaLabel: `Flow from ${label.get(flow.from) ?? flow.from} to ${label.get(flow.to) ?? flow.to}${
          words ? ` (${words.replace(' · ', ', ')})` : ''
        }${mark ? `; ${spokenMark(mark)}` : ''}`,
      };
    });
    const messages = messageEdges(workflow, selection.messages);
    const all = messages.length > 0 ? [...designed, ...messages] : designed;
    return workarounds.edges.length > 0 ? [...all, ...workarounds.edges] : all;
  }, [
    workflow,
    drawnFlows,
    selection.flows,
    selection.messages,
    workarounds,
    findingMarks,
    onShowFindings,
    routes,
    labelPlaces,
    dragged,
  ]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      let nextDrag: Map<string, { x: number; y: number }> | null = null;
      let selectedSteps: Set<string> | null = null;
      for (const change of changes) {
        if (change.type === 'position' && change.position && change.dragging) {
          nextDrag ??= new Map();
          nextDrag.set(change.id, change.position);
        } else if (change.type === 'select' && !change.id.startsWith('lane:')) {
          selectedSteps ??= new Set(selectionRef.current.steps);
          if (change.selected) selectedSteps.add(change.id);
          else selectedSteps.delete(change.id);
        }
      }
      if (nextDrag) {
        const updates = nextDrag;
        setDragPositions((prev) => new Map([...prev, ...updates]));
      }
      if (selectedSteps) {
        const steps = [...selectedSteps];
        const current = selectionRef.current;
        const next = { ...current, steps, lane: steps.length > 0 ? null : current.lane };
        selectionRef.current = next;
        onSelectionChange(next);
      }
    },
    [onSelectionChange],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const next = edgeSelection(selectionRef.current, changes);
      if (next === selectionRef.current) return;
      selectionRef.current = next;
      onSelectionChange(next);
    },
    [onSelectionChange],
  );

  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_event, _node, dragged) => {
      const edits: WorkflowEdit[] = [];
      for (const node of dragged) {
        if (node.type !== 'step') continue;
        const step = (node as StepNode).data.step;
        const stored = toStored(layout, step, node.position.x, node.position.y);
        if (!stored) continue;
        const same =
          stored.lane === step.lane &&
          step.position?.x === stored.position.x &&
          step.position?.y === stored.position.y;
        if (same) continue;
        edits.push({
          type: 'step/update',
          id: step.id,
          patch: stored.lane === step.lane ? { position: stored.position } : stored,
        });
      }
      if (edits.length > 0) {
        const refused = apply(edits.length === 1 ? (edits[0] as WorkflowEdit) : { type: 'batch', edits });
        if (refused) onMessage(refused);
      }
      setDragPositions(new Map());
    },
    [layout, apply, onMessage],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (!connection.source || !connection.target) return;
      const refused = apply({
        type: 'flow/add',
        flow: { from: connection.source, to: connection.target, transfer: 'none' },
      });
      if (refused) onMessage('These two steps are already connected in this direction.');
    },
    [apply, onMessage],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(STEP_KIND_DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const { onDropKind } = props;
  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(STEP_KIND_DRAG_TYPE) as StepKind;
      const instance = instanceRef.current;
      if (!kind || !instance) return;
      event.preventDefault();
      onDropKind(kind, instance.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [onDropKind],
  );

  const { onInit } = props;
  const containerRef = useRef<HTMLDivElement | null>(null);

  /**
   * Keyboard focus on anything in the diagram (a step, its finding mark, a role's name, a flow or
   * its mark) brings it into view, by moving React Flow's viewport: see revealInView.ts for why
   * the browser's own scroll-into-view cannot. A pointer focus is left alone (what was clicked is
   * in view already, and the view must not jump under the pointer).
   */
  const onFocus = useCallback(
    (event: FocusEvent<HTMLDivElement>) => {
      const wrapper = containerRef.current;
      const instance = instanceRef.current;
      const target = event.target;
      if (!wrapper || !instance || !(target instanceof Element) || !target.matches(':focus-visible')) return;
      // undo the browser's scroll now rather than on React Flow's next scroll event, so no frame
      // is drawn with the diagram shifted (the positions below do not depend on it either way)
      wrapper.scrollLeft = 0;
      wrapper.scrollTop = 0;
      const rect = focusedRect(target, wrapper, instance);
      if (!rect) return;
      void revealOnCanvas(wrapper, instance, layout, rect).then((shown) => {
        // the page around the canvas may need to scroll too: the browser scrolled it for where the
        // element was before the view moved (a phone shows only part of the canvas)
        if (shown && document.activeElement === target)
          target.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      });
    },
    [layout],
  );

  // React Flow learns that Shift, Ctrl or Cmd is held from key events, a render later, and never
  // when the key went down while another window had focus; the pointer event carries the
  // modifiers themselves, so a click adds to the selection exactly when they are held at the click
  const flowStore = useStoreApi();
  const onPointerDownCapture = useCallback(
    (event: PointerEvent<HTMLDivElement>) => {
      const adding = event.shiftKey || event.ctrlKey || event.metaKey;
      if (flowStore.getState().multiSelectionActive !== adding)
        flowStore.setState({ multiSelectionActive: adding });
    },
    [flowStore],
  );
  return (
    <ReactFlow<CanvasNode, Edge>
      data-flow-routes={routesCurrent ? 'current' : 'pending'}
      ref={containerRef}
      onPointerDownCapture={onPointerDownCapture}
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      edgeTypes={EDGE_TYPES}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onNodeDragStop={onNodeDragStop}
      onConnect={onConnect}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onFocus={onFocus}
      onInit={(instance) => {
        instanceRef.current = instance as unknown as ReactFlowInstance<Node, Edge>;
        const box = containerRef.current;
        // the whole diagram when it is readable that way, else a readable part from the lane headers
        if (box) void instance.setViewport(readableView(box, layout, { heat, trace, subProcesses }));
        // after the first view is set, so a caller may move it (a compared canvas follows the other)
        onInit(instance as unknown as ReactFlowInstance<Node, Edge>);
      }}
      onMove={props.onViewportChange ? (_event, viewport) => props.onViewportChange?.(viewport) : undefined}
      connectionMode={ConnectionMode.Loose}
      nodesDraggable={!readOnly && !fixed}
      nodesConnectable={!readOnly && !fixed}
      elementsSelectable={!readOnly}
      deleteKeyCode={null}
      disableKeyboardA11y
      multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
      minZoom={MIN_ZOOM}
      maxZoom={2}
      onlyRenderVisibleElements={workflow.steps.length > VIRTUALIZE_ABOVE_STEPS}
      translateExtent={[
        [layout.left - LANE_HEADER_WIDTH * 4, -2000],
        [layout.right + 4000, layout.bottom + 2000],
      ]}
    >
      <ViewportPortal>
        <DrawnArtifacts drawn={drawn} />
      </ViewportPortal>
      <LaneRail layout={layout} />
      {/* "fit" shows the whole diagram; "readable size" shows labels that read (canvasModel.ts) */}
      <Controls showInteractive={false} showFitView={false} position="top-right" aria-label="Zoom">
        <ControlButton
          onClick={() => {
            if (props.onZoomToFit) props.onZoomToFit();
            else if (instanceRef.current && containerRef.current) {
              void instanceRef.current.setViewport(
                wholeView(containerRef.current, layout, { heat, trace, subProcesses }),
              );
            }
          }}
          title="Fit the whole diagram"
          aria-label="Fit the whole diagram"
        >
          <FitIcon />
        </ControlButton>
        <ControlButton
          onClick={() => {
            if (props.onZoomReadable) props.onZoomReadable();
            else if (instanceRef.current && containerRef.current) {
              void instanceRef.current.setViewport(
                readableView(containerRef.current, layout, { heat, trace, subProcesses }),
              );
            }
          }}
          title="Zoom to a readable size"
          aria-label="Zoom to a readable size"
        >
          <ReadableIcon />
        </ControlButton>
      </Controls>
      <MiniMap pannable zoomable ariaLabel="Overview of the whole workflow" nodeClassName={miniMapClass} />
    </ReactFlow>
  );
}

/**
 * Where the focused element is on the diagram, in flow coordinates: its own box (a finding mark
 * overhangs its step's corner; a role's name is the left end of its lane) joined with its step's
 * box from React Flow's internal node (its absolute position: right even for a node inside a
 * parent), so focusing a step's mark shows the whole step with it, and the name drawn under a
 * circle or a diamond. The element's box is read
 * against the transformed viewport layer, both inside the same (possibly browser-scrolled)
 * wrapper, so the browser's scroll cancels out.
 */
function focusedRect(
  target: Element,
  wrapper: HTMLElement,
  instance: ReactFlowInstance<Node, Edge>,
): FlowRect | null {
  const layer = wrapper.querySelector('.react-flow__viewport');
  if (!layer?.contains(target)) return null;
  const { zoom } = instance.getViewport();
  const origin = layer.getBoundingClientRect();
  const box = target.getBoundingClientRect();
  const own = {
    x: (box.left - origin.left) / zoom,
    y: (box.top - origin.top) / zoom,
    width: box.width / zoom,
    height: box.height / zoom,
  };
  const stepNode = target.closest<HTMLElement>(STEP_NODES);
  const nodeId = stepNode?.dataset.id;
  const node = nodeId ? instance.getInternalNode(nodeId) : undefined;
  if (!node) return own;
  const { x, y } = node.internals.positionAbsolute;
  const width = node.measured.width ?? node.width ?? 0;
  const height = node.measured.height ?? node.height ?? 0;
  const step = unionRect(own, { x, y, width, height });
  // a circle's or a diamond's name is drawn below its shape, outside the node's box: shown with it
  const caption = stepNode?.querySelector('.wf-step-caption')?.getBoundingClientRect();
  if (!caption || caption.width === 0) return step;
  return unionRect(step, {
    x: (caption.left - origin.left) / zoom,
    y: (caption.top - origin.top) / zoom,
    width: caption.width / zoom,
    height: caption.height / zoom,
  });
}

/**
 * Moves the view of the canvas in `wrapper` (React Flow's `.react-flow` element) the least that
 * shows `rect` (flow coordinates) whole, clear of the zoom controls and the overview map, never
 * past the diagram's edges (revealInView.ts). What lies over the canvas is measured on the next
 * frame, once the focus has been drawn: a step that takes the focus is selected, and the details
 * card unfolds from its one line to the step's details, which the step must end up clear of.
 * Resolves once the view has moved: false when `rect` cannot be shown whole at this zoom
 * (nothing moved; the caller may zoom out). Clear of the lane names kept at the left edge too,
 * where the view lands with them drawn (LaneRail.tsx).
 */
export async function revealOnCanvas(
  wrapper: HTMLElement,
  instance: ReactFlowInstance<Node, Edge>,
  layout: CanvasLayout,
  rect: FlowRect,
): Promise<boolean> {
  await new Promise((done) => requestAnimationFrame(done));
  const size = { width: wrapper.clientWidth, height: wrapper.clientHeight };
  const { zoom } = instance.getViewport();
  if (
    rect.width * zoom > size.width - 2 * REVEAL_MARGIN ||
    rect.height * zoom > size.height - 2 * REVEAL_MARGIN
  ) {
    return false;
  }
  // the whole diagram: its lanes from the headers to the right end
  const content = { x: layout.left, y: 0, width: layout.right - layout.left, height: layout.bottom };
  const rail = laneRailOver(wrapper, layout, zoom);
  const next = viewportRevealing(instance.getViewport(), size, rect, {
    content,
    keepClear: panelsOver(wrapper),
    keepClearWhere: rail ? [rail] : [],
  });
  if (next) await instance.setViewport(next);
  return true;
}

/**
 * "Zoom to fit" for the canvas in `wrapper` (React Flow's `.react-flow` element): the whole of
 * `layout`, fitted into the part of the canvas clear of everything measured over it (panelsOver),
 * so no step lies under the details card, its folded line, the zoom controls or the overview map.
 */
export function wholeView(
  wrapper: HTMLElement,
  layout: CanvasLayout,
  view: ViewBadges = NO_VIEW_BADGES,
): ReturnType<typeof wholeViewport> {
  const area = clearArea(sizeOf(wrapper), panelsOver(wrapper), contentOf(layout));
  return viewInArea(area, (size) => wholeViewport(layout, size, undefined, view));
}

/**
 * "Readable size" (and the view on opening) for the canvas in `wrapper`: the whole of `layout`
 * when it reads whole in the part of the canvas clear of what lies over it, else a readable part
 * drawn from the top left of the clear part that leaves most room, moved the least right or down
 * that leaves no step under what lies over the canvas (partClearOf).
 */
export function readableView(
  wrapper: HTMLElement,
  layout: CanvasLayout,
  view: ViewBadges = NO_VIEW_BADGES,
): ReturnType<typeof readableViewport> {
  const overlays = panelsOver(wrapper);
  const fitted = viewInArea(clearArea(sizeOf(wrapper), overlays, contentOf(layout)), (size) =>
    readableViewport(layout, size, undefined, view),
  );
  if (fitted.whole) return fitted;
  const part = viewInArea(clearArea(sizeOf(wrapper), overlays), (size) =>
    readableViewport(layout, size, undefined, view),
  );
  // the part runs on past the canvas's right edge, under the zoom buttons there: it moves instead
  return { ...part, ...partClearOf(layout, part, sizeOf(wrapper), overlays) };
}

function sizeOf(wrapper: HTMLElement): { width: number; height: number } {
  return { width: wrapper.clientWidth, height: wrapper.clientHeight };
}

function contentOf(layout: CanvasLayout): { width: number; height: number } {
  return { width: layout.right - layout.left, height: layout.bottom };
}

/**
 * What lies over the canvas, on screen relative to the wrapper (not scrolled: see onFocus): the zoom
 * controls, the overview map, and the details card where a wide window lays it over the canvas's
 * right edge (on a phone it sits below the canvas and covers nothing).
 */
export function panelsOver(wrapper: HTMLElement): ScreenRect[] {
  const view = wrapper.getBoundingClientRect();
  const card = wrapper.closest('.wf-editor')?.querySelector('.wf-inspector');
  return [...wrapper.querySelectorAll('.react-flow__panel'), ...(card ? [card] : [])]
    .map((panel) => {
      const box = panel.getBoundingClientRect();
      return {
        left: Math.max(box.left, view.left) - view.left,
        top: Math.max(box.top, view.top) - view.top,
        right: Math.min(box.right, view.right) - view.left,
        bottom: Math.min(box.bottom, view.bottom) - view.top,
      };
    })
    .filter((over) => over.right > over.left && over.bottom > over.top);
}

/**
 * The lane names kept at the canvas's left edge (LaneRail.tsx), as a panel over the view for a
 * reveal at `zoom`: as wide as the rail draws itself there (laneRailWidth), from the view's top to
 * its bottom (it moves up and down with the diagram, so whatever row a step is moved to, its
 * lane's name is beside it), and over the view only where the headers are out of it. Null when
 * there are no lanes.
 * Not for a fit: a fitted view starts with the headers themselves in view.
 */
function laneRailOver(wrapper: HTMLElement, layout: CanvasLayout, zoom: number): ShownPanel | null {
  if (layout.lanes.length === 0) return null;
  return {
    panel: { left: 0, top: 0, right: laneRailWidth(zoom, wrapper.clientWidth), bottom: wrapper.clientHeight },
    shownAt: (viewport) => laneRailShown(layout, viewport),
  };
}

function sameStepNode(a: StepNode, b: StepNode): boolean {
  return (
    a.data.step === b.data.step &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    a.selected === b.selected &&
    a.ariaLabel === b.ariaLabel &&
    a.data.heat === b.data.heat &&
    a.data.heatMinutes === b.data.heatMinutes &&
    a.data.invalid === b.data.invalid &&
    a.data.trace === b.data.trace &&
    a.data.drift === b.data.drift &&
    a.data.findings === b.data.findings &&
    a.data.onShowFindings === b.data.onShowFindings &&
    a.data.subProcess === b.data.subProcess &&
    a.data.failingData?.words === b.data.failingData?.words
  );
}

/**
 * Above this many steps only the nodes in view are rendered (a 1,000-step workflow stays smooth);
 * below it every step is in the page, so Tab reaches each one and screen readers list them all.
 */
const VIRTUALIZE_ABOVE_STEPS = 300;

function miniMapClass(node: Node): string {
  if (node.type === 'lane') return 'wf-mini-lane';
  if (node.type === 'workaround') return 'wf-mini-workaround';
  const medium = (node as StepNode).data.step.medium;
  return medium === 'digital' ? 'wf-mini-step' : 'wf-mini-step wf-mini-paper';
}

/** The fit button's picture: four corners, as React Flow's own. */
function FitIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}

/** The readable-size button's picture: a capital A, text at a size that reads. */
function ReadableIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" aria-hidden="true">
      <path d="M13.6 3h4.8l9.6 26h-4.6l-2.4-6.8H10.9L8.5 29H4zm-1.4 15.4h7.6L16 7.6z" />
    </svg>
  );
}
