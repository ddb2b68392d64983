/**
 * `preflight.workflow/v1` → BPMN 2.0 XML that bpmn.io and Camunda Modeler open laid out.
 *
 * One pool (participant, named after the workflow) holds one process whose laneSet has a lane per
 * workflow lane. Steps become: start/end events; `task`s a `userTask` (digital), `manualTask`
 * (paper, phone, verbal) or `sendTask` (fax), a digital step without touch time or clicks a
 * `serviceTask`; approvals `userTask`s; decisions exclusive gateways; parallel and inclusive splits
 * and joins parallel and inclusive gateways (diverging / converging); waits intermediate timer
 * catch events. Every Preflight attribute rides in `preflight:` extension elements (namespace
 * {@link PREFLIGHT_BPMN_NS}), which other tools keep untouched; notes are the BPMN documentation.
 *
 * Ids: BPMN ids must be XML names, unique across the file. A workflow id that is not one (or is
 * taken, e.g. a lane and a step both called "nurse") is rewritten, and the original is kept in
 * the extension's `id`, which import prefers, so the round trip returns the same ids.
 */
import { isGateway, type Step, type Workflow } from '../../../formats/workflow.ts';
import { diagramLayout } from './diagram.ts';
import { shapeBounds } from './geometry.ts';
import { bpmnModdle, PREFLIGHT_BPMN_NS, probabilityLabel } from './model.ts';

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

/** The BPMN element type of a step (see the file comment). */
export function bpmnTypeOf(step: Step): string {
  switch (step.kind) {
    case 'start':
      return 'bpmn:StartEvent';
    case 'end':
      return 'bpmn:EndEvent';
    case 'decision':
      return 'bpmn:ExclusiveGateway';
    case 'parallel-split':
    case 'parallel-join':
      return 'bpmn:ParallelGateway';
    case 'inclusive-split':
    case 'inclusive-join':
      return 'bpmn:InclusiveGateway';
    case 'wait':
      return 'bpmn:IntermediateCatchEvent';
    case 'approval':
      return 'bpmn:UserTask';
    case 'task':
      if (step.medium === 'fax') return 'bpmn:SendTask';
      if (step.medium !== 'digital') return 'bpmn:ManualTask';
      return step.touchMin === 0 && step.clicks === 0 && step.system !== ''
        ? 'bpmn:ServiceTask'
        : 'bpmn:UserTask';
  }
}

/**
 * Writes a workflow as BPMN 2.0 XML with diagram interchange (shapes for the pool, lanes and
 * steps; edges with waypoints). The workflow should be valid (`loadWorkflow`); flows whose ends
 * are not steps are left out, since BPMN cannot express them.
 */
export async function exportBpmn(workflow: Workflow): Promise<string> {
  const moddle = bpmnModdle();
  const allocate = idAllocator();
  const extension = (...values: unknown[]) => moddle.create('bpmn:ExtensionElements', { values });

  const layout = diagramLayout(workflow);
  const stepElements = new Map<string, { element: ReturnType<typeof moddle.create>; step: Step }>();
  for (const step of workflow.steps) {
    const id = allocate(step.id);
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
    if (step.boundary) {
      if (step.boundary.attachedTo !== undefined) data.attachedTo = step.boundary.attachedTo;
      data.trigger = step.boundary.trigger;
      data.interrupting = step.boundary.interrupting;
    }
    const attrs: Record<string, unknown> = {
      id,
      name: step.label,
      extensionElements: extension(moddle.create('preflight:Step', data)),
    };
    if (step.notes !== undefined && step.notes !== '') {
      attrs.documentation = [moddle.create('bpmn:Documentation', { text: step.notes })];
    }
    if (isGateway(step.kind)) {
      attrs.gatewayDirection = step.kind.endsWith('-split') ? 'Diverging' : 'Converging';
    }
    if (step.kind === 'wait') {
      attrs.eventDefinitions = [moddle.create('bpmn:TimerEventDefinition', { id: allocate(`${id}_timer`) })];
    }
    const element = moddle.create(bpmnTypeOf(step), attrs);
    element.incoming = [];
    element.outgoing = [];
    stepElements.set(step.id, { element, step });
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
          .filter((step) => step.lane === lane.id)
          .map((step) => stepElements.get(step.id)?.element),
        extensionElements: extension(moddle.create('preflight:Lane', data)),
      }),
    };
  });

  const processId = allocate(workflow.id);
  const flowElements = workflow.flows.flatMap((flow) => {
    const source = stepElements.get(flow.from)?.element;
    const target = stepElements.get(flow.to)?.element;
    if (!source || !target) return [];
    const attrs: Record<string, unknown> = {
      id: allocate(`Flow_${source.id}_${target.id}`),
      sourceRef: source,
      targetRef: target,
    };
    if (flow.probability !== undefined || flow.transfer !== 'none' || flow.branch !== undefined) {
      const data: Record<string, unknown> = { transfer: flow.transfer };
      if (flow.branch !== undefined) data.branch = flow.branch;
      if (flow.probability !== undefined) {
        data.probability = flow.probability;
        attrs.name = probabilityLabel(flow.probability);
      }
      attrs.extensionElements = extension(moddle.create('preflight:Flow', data));
    }
    const element = moddle.create('bpmn:SequenceFlow', attrs);
    source.outgoing.push(element);
    target.incoming.push(element);
    return [{ element, source: flow.from, target: flow.to }];
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
    flowElements: [
      ...[...stepElements.values()].map((s) => s.element),
      ...flowElements.map((f) => f.element),
    ],
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

  // ---- diagram interchange ----
  const bounds = (rect: { x: number; y: number; width: number; height: number }) =>
    moddle.create('dc:Bounds', rect);
  const planeElement: unknown[] = [
    moddle.create('bpmndi:BPMNShape', {
      id: allocate(`${participant.id}_di`),
      bpmnElement: participant,
      isHorizontal: true,
      bounds: bounds(layout.pool),
    }),
  ];
  for (const { lane, element } of laneElements) {
    const rect = layout.lanes.get(lane.id);
    if (!rect) continue;
    planeElement.push(
      moddle.create('bpmndi:BPMNShape', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        isHorizontal: true,
        bounds: bounds(rect),
      }),
    );
  }
  const shapeOf = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const { element, step } of stepElements.values()) {
    const position = layout.positions.get(step.id);
    if (!position) continue;
    const rect = shapeBounds(step.kind, position);
    shapeOf.set(step.id, rect);
    const attrs: Record<string, unknown> = {
      id: allocate(`${element.id}_di`),
      bpmnElement: element,
      bounds: bounds(rect),
    };
    if (step.kind === 'decision') attrs.isMarkerVisible = true;
    planeElement.push(moddle.create('bpmndi:BPMNShape', attrs));
  }
  for (const { element, source, target } of flowElements) {
    const from = shapeOf.get(source);
    const to = shapeOf.get(target);
    if (!from || !to) continue;
    planeElement.push(
      moddle.create('bpmndi:BPMNEdge', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        waypoint: edgeWaypoints(from, to).map((point) => moddle.create('dc:Point', point)),
      }),
    );
  }
  const diagram = moddle.create('bpmndi:BPMNDiagram', {
    id: allocate(`${processId}_diagram`),
    plane: moddle.create('bpmndi:BPMNPlane', {
      id: allocate(`${processId}_plane`),
      bpmnElement: collaboration,
      planeElement,
    }),
  });

  const definitions = moddle.create('bpmn:Definitions', {
    id: allocate(`${processId}_definitions`),
    targetNamespace: TARGET_NAMESPACE,
    exporter: 'Preflight',
    rootElements: [collaboration, process],
    diagrams: [diagram],
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
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
