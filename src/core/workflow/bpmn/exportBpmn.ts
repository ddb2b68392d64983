/**
 * `preflight.workflow/v1` → BPMN 2.0 XML that bpmn.io and Camunda Modeler open laid out.
 *
 * One pool (participant, named after the workflow) holds one process whose laneSet has a lane per
 * workflow lane. Steps become the element they were imported as, or else the one their kind and
 * medium give (elements.ts); sub-processes hold their inner steps and boundary events sit on
 * their activities (structure.ts). Every Preflight attribute rides in `preflight:` extension elements (namespace
 * {@link PREFLIGHT_BPMN_NS}), which other tools keep untouched; notes are the BPMN documentation.
 *
 * Ids: BPMN ids must be XML names, unique across the file. A workflow id that is not one (or is
 * taken, e.g. a lane and a step both called "nurse") is rewritten, and the original is kept in
 * the extension's `id`, which import prefers, so the round trip returns the same ids.
 */
import {
  type BpmnElementType,
  type Flow,
  isGateway,
  type Step,
  type Workflow,
} from '../../../formats/workflow.ts';
import { diagramLayout } from './diagram.ts';
import { EVENT_DEFINITIONS, EVENT_ELEMENTS, elementOf, SUB_PROCESS_ELEMENTS, triggerOf } from './elements.ts';
import { shapeBounds } from './geometry.ts';
import { bpmnModdle, EXPORTER, PREFLIGHT_BPMN_NS, probabilityLabel } from './model.ts';
import { bpmnStructure, isInside } from './structure.ts';

export { PREFLIGHT_BPMN_NS };

/** Target namespace of exported definitions. */
const TARGET_NAMESPACE = 'urn:preflight:workflow';

/** An XML NCName in ASCII: what every BPMN id must be. */
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Hands out unique XML ids, keeping a wanted id when it is valid and free. */
function idAllocator(): (wanted: string) => string {
  const used = new Set<string>();
  return (wanted) => {
    let base = NCNAME.test(wanted) ? wanted : wanted.replace(/[^A-Za-z0-9_.-]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  };
}

/** The BPMN element type of a step standing alone (see elements.ts), e.g. `bpmn:UserTask`. */
export function bpmnTypeOf(step: Step): string {
  return qualified(elementOf(step));
}

/** `userTask` → `bpmn:UserTask`. */
function qualified(local: string): string {
  return `bpmn:${local.charAt(0).toUpperCase()}${local.slice(1)}`;
}

type ModdleElement = ReturnType<ReturnType<typeof bpmnModdle>['create']>;

/**
 * Writes a workflow as BPMN 2.0 XML with diagram interchange (shapes for the pool, lanes and
 * steps; edges with waypoints). The workflow should be valid (`loadWorkflow`); flows whose ends
 * are not steps are left out, since BPMN cannot express them.
 *
 * Steps inside a sub-process (`within`) are the sub-process's flow elements, drawn on its own
 * page with the sub-process collapsed on the page it is on; the flow from a sub-process to its
 * inner first steps is implied by BPMN and not written, and a flow from an inner step to a step
 * outside leaves from the sub-process. A boundary step attached to an activity (structure.ts) is
 * a `boundaryEvent` on the activity's border; its exception path's chance and transfer ride in
 * a `preflight:flow` on the event. A flow from a link throw event to a link catch event is the
 * pair's shared link name, not a sequence flow.
 */
export async function exportBpmn(workflow: Workflow): Promise<string> {
  const moddle = bpmnModdle();
  const allocate = idAllocator();
  const extension = (...values: unknown[]) => moddle.create('bpmn:ExtensionElements', { values });
  const flowData = (flow: Flow): Record<string, unknown> => {
    const data: Record<string, unknown> = { transfer: flow.transfer };
    if (flow.branch !== undefined) data.branch = flow.branch;
    if (flow.probability !== undefined) data.probability = flow.probability;
    return data;
  };

  const structure = bpmnStructure(workflow);
  const layout = diagramLayout(workflow, structure);
  const stepsById = new Map(workflow.steps.map((step) => [step.id, step]));
  const typeOf = (step: Step): string => {
    if (structure.attached.has(step.id)) return 'boundaryEvent';
    const type = elementOf(step);
    if (structure.containers.has(step.id))
      return SUB_PROCESS_ELEMENTS.has(type as BpmnElementType) ? type : 'subProcess';
    // a boundary event that cannot be attached (structure.ts) is written in line
    return type === 'boundaryEvent' ? 'intermediateCatchEvent' : type;
  };
  const linkFlows = new Set(
    workflow.flows.filter((flow) => {
      const from = stepsById.get(flow.from);
      const to = stepsById.get(flow.to);
      return (
        from &&
        to &&
        typeOf(from) === 'intermediateThrowEvent' &&
        triggerOf(from, 'intermediateThrowEvent') === 'link' &&
        typeOf(to) === 'intermediateCatchEvent' &&
        triggerOf(to, 'intermediateCatchEvent') === 'link'
      );
    }),
  );
  // the name of the link a pair throws and catches: its catch event's label
  const linkTarget = new Map([...linkFlows].map((flow) => [flow.from, flow.to]));
  const linkName = (step: Step): string =>
    stepsById.get(linkTarget.get(step.id) ?? step.id)?.label ?? step.label;

  const stepElements = new Map<string, { element: ModdleElement; step: Step }>();
  for (const step of workflow.steps) {
    const id = allocate(step.id);
    const type = typeOf(step);
    const data: Record<string, unknown> = {
      kind: step.kind,
      medium: step.medium,
      system: step.system,
      touchMin: step.touchMin,
      waitMin: step.waitMin,
      clicks: step.clicks,
    };
    if (id !== step.id) data.id = step.id;
    if (step.enters.length > 0) data.enters = [...step.enters];
    if (step.replaces && step.replaces.length > 0) data.replaces = [...step.replaces];
    // a `within` that cannot be a nesting is still the analyst's: it rides in the extension
    if (step.within !== undefined && structure.parentOf.get(step.id) !== step.within)
      data.within = step.within;
    if (step.boundary) {
      if (step.boundary.attachedTo !== undefined) data.attachedTo = step.boundary.attachedTo;
      data.trigger = step.boundary.trigger;
      data.interrupting = step.boundary.interrupting;
    }
    const values: unknown[] = [moddle.create('preflight:Step', data)];
    const host = structure.attached.get(step.id);
    const exceptionPath = workflow.flows.find((flow) => flow.from === host && flow.to === step.id);
    if (exceptionPath && hasFlowData(exceptionPath)) {
      values.push(moddle.create('preflight:Flow', flowData(exceptionPath)));
    }
    const attrs: Record<string, unknown> = { id, name: step.label, extensionElements: extension(...values) };
    if (step.notes !== undefined && step.notes !== '') {
      attrs.documentation = [moddle.create('bpmn:Documentation', { text: step.notes })];
    }
    if (isGateway(step.kind) && type.endsWith('Gateway')) {
      attrs.gatewayDirection = step.kind.endsWith('-split') ? 'Diverging' : 'Converging';
    }
    if (EVENT_ELEMENTS.has(type as BpmnElementType)) {
      const trigger = triggerOf(step, type);
      const definition = EVENT_DEFINITIONS[trigger];
      if (definition) {
        const definitionAttrs: Record<string, unknown> = { id: allocate(`${id}_${trigger}`) };
        if (trigger === 'link') definitionAttrs.name = linkName(step);
        attrs.eventDefinitions = [moddle.create(definition, definitionAttrs)];
      }
    }
    if (type === 'boundaryEvent' && step.boundary && !step.boundary.interrupting)
      attrs.cancelActivity = false;
    if (
      SUB_PROCESS_ELEMENTS.has(type as BpmnElementType) &&
      step.boundary &&
      step.boundary.attachedTo === undefined
    ) {
      attrs.triggeredByEvent = true;
    }
    const element = moddle.create(qualified(type), attrs);
    element.incoming = [];
    element.outgoing = [];
    if (SUB_PROCESS_ELEMENTS.has(type as BpmnElementType)) element.flowElements = [];
    stepElements.set(step.id, { element, step });
  }
  for (const [id, host] of structure.attached) {
    const element = stepElements.get(id)?.element;
    if (element) element.attachedToRef = stepElements.get(host)?.element;
  }
  // an event sub-process's start event interrupts the process or runs beside it
  for (const step of workflow.steps) {
    const parent = structure.parentOf.get(step.id);
    const container = parent ? stepsById.get(parent) : undefined;
    const element = stepElements.get(step.id)?.element;
    if (
      element &&
      element.$type === 'bpmn:StartEvent' &&
      container?.boundary &&
      !container.boundary.attachedTo
    )
      element.isInterrupting = container.boundary.interrupting;
  }

  const laneElements = workflow.lanes.map((lane) => {
    const id = allocate(lane.id);
    const data: Record<string, unknown> = { staff: lane.staff };
    if (id !== lane.id) data.id = lane.id;
    return {
      lane,
      element: moddle.create('bpmn:Lane', {
        id,
        name: lane.name,
        flowNodeRef: workflow.steps
          // an inner step is in its sub-process's lane unless the lane names it
          .filter((step) => {
            const parent = structure.parentOf.get(step.id);
            return step.lane === lane.id && (parent === undefined || stepsById.get(parent)?.lane !== lane.id);
          })
          .map((step) => stepElements.get(step.id)?.element),
        extensionElements: extension(moddle.create('preflight:Lane', data)),
      }),
    };
  });

  const processId = allocate(workflow.id);
  // A flow out of a sub-process's inner step to a step outside it leaves from the sub-process;
  // the flow from a sub-process into its own inner steps is its start, implied by BPMN.
  const liftSource = (from: string, to: string): string => {
    let source = from;
    for (
      let parent = structure.parentOf.get(source);
      parent !== undefined;
      parent = structure.parentOf.get(source)
    ) {
      if (to === parent || isInside(structure, to, parent)) break;
      source = parent;
    }
    return source;
  };
  const written = new Set<string>();
  const flowElements = workflow.flows.flatMap((flow) => {
    if (structure.attached.get(flow.to) === flow.from || linkFlows.has(flow)) return [];
    if (isInside(structure, flow.to, flow.from)) return [];
    const sourceId = liftSource(flow.from, flow.to);
    const source = stepElements.get(sourceId)?.element;
    const target = stepElements.get(flow.to)?.element;
    const key = JSON.stringify([sourceId, flow.to]);
    if (!source || !target || written.has(key)) return [];
    written.add(key);
    const page = structure.parentOf.get(sourceId);
    // a compensation event reaches its handler by an association (BPMN's rule), not a flow
    const from = stepsById.get(sourceId);
    if (structure.attached.has(sourceId) && from?.boundary?.trigger === 'compensation') {
      target.isForCompensation = true;
      const element = moddle.create('bpmn:Association', {
        id: allocate(`Association_${source.id}_${target.id}`),
        sourceRef: source,
        targetRef: target,
        associationDirection: 'One',
        ...(hasFlowData(flow)
          ? { extensionElements: extension(moddle.create('preflight:Flow', flowData(flow))) }
          : {}),
      });
      return [{ element, source: sourceId, target: flow.to, page, artifact: true }];
    }
    const attrs: Record<string, unknown> = {
      id: allocate(`Flow_${source.id}_${target.id}`),
      sourceRef: source,
      targetRef: target,
    };
    if (hasFlowData(flow)) {
      if (flow.probability !== undefined) attrs.name = probabilityLabel(flow.probability);
      attrs.extensionElements = extension(moddle.create('preflight:Flow', flowData(flow)));
    }
    const element = moddle.create('bpmn:SequenceFlow', attrs);
    source.outgoing.push(element);
    target.incoming.push(element);
    return [{ element, source: sourceId, target: flow.to, page, artifact: false }];
  });

  const workflowData: Record<string, unknown> = {
    state: workflow.state,
    arrivalsPerHour: workflow.arrivalsPerHour,
  };
  if (processId !== workflow.id) workflowData.id = workflow.id;
  if (workflow.process !== undefined) workflowData.process = workflow.process;
  if (workflow.description !== undefined) workflowData.description = workflow.description;
  if (workflow.baseline !== undefined) workflowData.baseline = workflow.baseline;
  if (workflow.casesPerDay !== undefined) workflowData.casesPerDay = workflow.casesPerDay;
  if (workflow.goLive) {
    workflowData.capacityFactor = workflow.goLive.capacityFactor;
    workflowData.productivityFactor = workflow.goLive.productivityFactor;
  }
  if (workflow.retired && workflow.retired.length > 0) workflowData.retired = [...workflow.retired];

  // each element goes into its page's container: the process, or the sub-process it is inside
  const topLevel: ModdleElement[] = [];
  const topArtifacts: ModdleElement[] = [];
  const into = (page: string | undefined, element: ModdleElement, artifact = false): void => {
    const container = page === undefined ? undefined : stepElements.get(page)?.element;
    if (container && artifact) {
      container.artifacts = [...(container.artifacts ?? []), element];
    } else if (container) container.flowElements.push(element);
    else (artifact ? topArtifacts : topLevel).push(element);
  };
  for (const { element, step } of stepElements.values()) into(structure.parentOf.get(step.id), element);
  for (const { element, page, artifact } of flowElements) into(page, element, artifact);

  const process = moddle.create('bpmn:Process', {
    id: processId,
    name: workflow.name,
    isExecutable: false,
    extensionElements: extension(moddle.create('preflight:Workflow', workflowData)),
    laneSets: [
      moddle.create('bpmn:LaneSet', {
        id: allocate(`${processId}_lanes`),
        lanes: laneElements.map((l) => l.element),
      }),
    ],
    flowElements: topLevel,
    ...(topArtifacts.length > 0 ? { artifacts: topArtifacts } : {}),
  });
  const participant = moddle.create('bpmn:Participant', {
    id: allocate(`${processId}_pool`),
    name: workflow.name,
    processRef: process,
  });
  const collaboration = moddle.create('bpmn:Collaboration', {
    id: allocate(`${processId}_collaboration`),
    participants: [participant],
  });

  // ---- diagram interchange: the process's page, then one page per sub-process ----
  const bounds = (rect: Box) => moddle.create('dc:Bounds', rect);
  const pageElements = new Map<string | undefined, unknown[]>([[undefined, []]]);
  const onPage = (page: string | undefined): unknown[] => {
    let list = pageElements.get(page);
    if (!list) {
      list = [];
      pageElements.set(page, list);
    }
    return list;
  };
  onPage(undefined).push(
    moddle.create('bpmndi:BPMNShape', {
      id: allocate(`${participant.id}_di`),
      bpmnElement: participant,
      isHorizontal: true,
      bounds: bounds(layout.pool),
    }),
  );
  for (const { lane, element } of laneElements) {
    const rect = layout.lanes.get(lane.id);
    if (!rect) continue;
    onPage(undefined).push(
      moddle.create('bpmndi:BPMNShape', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        isHorizontal: true,
        bounds: bounds(rect),
      }),
    );
  }
  const shapeOf = new Map<string, Box>();
  for (const { element, step } of stepElements.values()) {
    const position = layout.positions.get(step.id);
    if (!position) continue;
    const rect = structure.attached.has(step.id)
      ? shapeBounds('wait', position)
      : shapeBounds(step.kind, position);
    shapeOf.set(step.id, rect);
    const attrs: Record<string, unknown> = {
      id: allocate(`${element.id}_di`),
      bpmnElement: element,
      bounds: bounds(rect),
    };
    if (step.kind === 'decision') attrs.isMarkerVisible = true;
    if (structure.containers.has(step.id)) attrs.isExpanded = false;
    onPage(structure.parentOf.get(step.id)).push(moddle.create('bpmndi:BPMNShape', attrs));
  }
  for (const { element, source, target, page } of flowElements) {
    const from = shapeOf.get(source);
    const to = shapeOf.get(target);
    if (!from || !to) continue;
    const waypoints = structure.attached.has(source) ? boundaryWaypoints(from, to) : edgeWaypoints(from, to);
    onPage(page).push(
      moddle.create('bpmndi:BPMNEdge', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        waypoint: waypoints.map((point) => moddle.create('dc:Point', point)),
      }),
    );
  }
  const diagrams = [...pageElements].map(([page, planeElement]) => {
    const owner = page === undefined ? collaboration : stepElements.get(page)?.element;
    const base = page === undefined ? processId : (owner?.id ?? page);
    return moddle.create('bpmndi:BPMNDiagram', {
      id: allocate(`${base}_diagram`),
      plane: moddle.create('bpmndi:BPMNPlane', {
        id: allocate(`${base}_plane`),
        bpmnElement: owner,
        planeElement,
      }),
    });
  });

  const definitions = moddle.create('bpmn:Definitions', {
    id: allocate(`${processId}_definitions`),
    targetNamespace: TARGET_NAMESPACE,
    exporter: EXPORTER,
    rootElements: [collaboration, process],
    diagrams,
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

/** Whether a flow carries anything beyond "from here to there" (written as `preflight:flow`). */
function hasFlowData(flow: Flow): boolean {
  return flow.probability !== undefined || flow.transfer !== 'none' || flow.branch !== undefined;
}

/** The route of a boundary event's exception path: down from the event, then across to the target. */
export function boundaryWaypoints(from: Box, to: Box): { x: number; y: number }[] {
  const start = { x: from.x + from.width / 2, y: from.y + from.height };
  const toMiddle = to.y + to.height / 2;
  if (toMiddle <= start.y) return edgeWaypoints(from, to);
  const end = to.x > start.x ? { x: to.x, y: toMiddle } : { x: to.x + to.width, y: toMiddle };
  if (end.x >= to.x && end.x <= to.x + to.width && start.x >= to.x && start.x <= to.x + to.width) {
    return [start, { x: start.x, y: to.y }];
  }
  return [start, { x: start.x, y: toMiddle }, end];
}

type Box = { x: number; y: number; width: number; height: number };

/**
 * An orthogonal route from one shape to another: right side → left side through the middle
 * column when the target is to the right; otherwise (a loop back) under both shapes.
 */
export function edgeWaypoints(from: Box, to: Box): { x: number; y: number }[] {
  const fromMiddle = from.y + from.height / 2;
  const toMiddle = to.y + to.height / 2;
  const start = { x: from.x + from.width, y: fromMiddle };
  const end = { x: to.x, y: toMiddle };
  if (end.x > start.x) {
    if (start.y === end.y) return [start, end];
    const middle = (start.x + end.x) / 2;
    return [start, { x: middle, y: start.y }, { x: middle, y: end.y }, end];
  }
  const below = Math.max(from.y + from.height, to.y + to.height) + 20;
  const out = { x: from.x + from.width / 2, y: from.y + from.height };
  const into = { x: to.x + to.width / 2, y: to.y + to.height };
  return [out, { x: out.x, y: below }, { x: into.x, y: below }, into];
}
