/**
 * `preflight.workflow/v1` → BPMN 2.0 XML that bpmn.io and Camunda Modeler open laid out.
 *
 * One pool (participant, named after the workflow) holds one process whose laneSet has a lane per
 * workflow lane; with `pools`, each pool is a participant with its own process (see README.md),
 * message flows join steps and pools, and data objects are references with their associations. Steps become the element they were imported as, or else the one their kind and
 * medium give (elements.ts); sub-processes hold their inner steps and boundary events sit on
 * their activities (structure.ts). Every Preflight attribute rides in `preflight:` extension elements (namespace
 * `PREFLIGHT_BPMN_NS` in model.ts), which other tools keep untouched; notes are the BPMN documentation.
 *
 * Ids: BPMN ids must be XML names, unique across the file. A workflow id that is not one (or is
 * taken, e.g. a lane and a step both called "nurse") is rewritten, and the original is kept in
 * the extension's `id`, which import prefers, so the round trip returns the same ids.
 */

import {
  type Annotation,
  type BpmnElementType,
  type DataObject,
  type Flow,
  isGateway,
  type Lane,
  type MessageFlow,
  type Pool,
  type Step,
  type StepGroup,
  type Workflow,
} from '../../../formats/workflow.ts';
import {
  type BoxSide,
  OUTWARD,
  routeAround,
  routeCrossesBoxes,
  routeLeaving,
  type StepBox,
  sidePoint,
} from '../routeGeometry.ts';
import { diagramLayout, type SecondReference } from './diagram.ts';
import { EVENT_DEFINITIONS, EVENT_ELEMENTS, elementOf, SUB_PROCESS_ELEMENTS, triggerOf } from './elements.ts';
import { elementBounds, HEADER_WIDTH, STEP_BOX } from './geometry.ts';
import { bpmnModdle, EXPORTER, probabilityLabel } from './model.ts';
import { bpmnStructure, isInside } from './structure.ts';

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

/** Staff of a lane that a pool without lanes stands for (import's default). */
const POOL_LANE_STAFF = 1;

/** The lanes of one pool: `pool` absent for the workflow's own pool. */
interface PoolGroup {
  pool?: Pool;
  lanes: Lane[];
}

/**
 * The pools in the order of their first lane, each with its lanes (lanes without a pool, or
 * naming one the workflow lacks, are the workflow's own pool). A workflow without pools is one.
 */
function poolGroups(workflow: Workflow): PoolGroup[] {
  const pools = new Map((workflow.pools ?? []).map((pool) => [pool.id, pool]));
  // the workflow's own pool first, then the pools in their order (import's order)
  const groups = new Map<string | undefined, PoolGroup>([[undefined, { lanes: [] }]]);
  for (const pool of pools.values()) groups.set(pool.id, { pool, lanes: [] });
  for (const lane of workflow.lanes) {
    const pool = lane.pool === undefined ? undefined : pools.get(lane.pool);
    const key = pool?.id;
    const group = groups.get(key) ?? (pool ? { pool, lanes: [] } : { lanes: [] });
    group.lanes.push(lane);
    groups.set(key, group);
  }
  return [...groups.values()].filter((group) => group.pool !== undefined || group.lanes.length > 0);
}

/** A pool that is its one lane (a pool without lanes in BPMN): no lane is written for it. */
function isLanelessPool(group: PoolGroup): boolean {
  const lane = group.lanes[0];
  return (
    group.pool !== undefined &&
    group.lanes.length <= 1 &&
    (lane === undefined ||
      (lane.id === group.pool.id && lane.name === group.pool.name && lane.staff === POOL_LANE_STAFF))
  );
}

/** bpmn-js's default size of a text annotation, for one drawn where none was. */
const ANNOTATION_SIZE = { width: 100, height: 40 } as const;
/** Room between an annotation placed above its step and the step. */
const ANNOTATION_GAP = 20;
/** Room between a group's frame and the steps inside it. */
const GROUP_PADDING = 10;

/** The shape of a data object (36×50) or store (50×50), centred in its box as a step's is. */
function dataBounds(data: Pick<DataObject, 'kind'>, position: { x: number; y: number }) {
  const size = data.kind === 'store' ? { width: 50, height: 50 } : { width: 36, height: 50 };
  return {
    x: position.x + (STEP_BOX.width - size.width) / 2,
    y: position.y + (STEP_BOX.height - size.height) / 2,
    ...size,
  };
}

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
  const groups = poolGroups(workflow);
  // pools have no extension to carry their id: theirs are handed out first, so they keep them
  const poolElementIds = groups.map((group) => (group.pool ? allocate(group.pool.id) : undefined));
  const groupOfLane = new Map<string, number>();
  groups.forEach((group, index) => {
    for (const lane of group.lanes) groupOfLane.set(lane.id, index);
  });
  const stepsById = new Map(workflow.steps.map((step) => [step.id, step]));
  // A page and the pages above it, innermost first (`undefined`, the process's page, last).
  const pagesUp = (page: string | undefined): (string | undefined)[] => {
    const chain: (string | undefined)[] = [page];
    for (let cursor = page, depth = 0; cursor !== undefined && depth < 1_000; depth++) {
      cursor = structure.parentOf.get(cursor);
      chain.push(cursor);
    }
    return chain;
  };
  // What stands for something on `page` (a page at or above its own): itself on its own page,
  // else the collapsed sub-process drawn on `page` that holds it.
  const shownOn = (own: string | undefined, page: string | undefined): string | undefined => {
    let cursor = own;
    for (let depth = 0; cursor !== undefined && depth < 1_000; depth++) {
      const parent = structure.parentOf.get(cursor);
      if (parent === page) return cursor;
      cursor = parent;
    }
    return undefined;
  };
  // The innermost page that shows both a document (on `dataPage`) and a step.
  const innermostCommonPage = (dataPage: string | undefined, step: string): string | undefined => {
    const stepPages = pagesUp(structure.parentOf.get(step));
    return pagesUp(dataPage).find((candidate) => stepPages.includes(candidate));
  };
  // A document inside a collapsed sub-process used by a step on a page above (outside the
  // sub-process) is drawn again on that page, beside the collapsed sub-process that holds it
  // there: a second reference to the same data object (or store), marked `preflight:dataReference`,
  // which that step's association connects to (a renderer draws an association only between
  // shapes of one page).
  const dataPageOf = (data: DataObject): string | undefined =>
    data.within !== undefined && structure.containers.has(data.within) ? data.within : undefined;
  const secondKey = (data: string, page: string | undefined) => `${data}\u0000${page ?? ''}`;
  const seconds = new Map<string, SecondReference & { data: string }>();
  const drawn = (workflow.dataObjects ?? []).flatMap(documentDrawings);
  for (const { data } of drawn) {
    const dataPage = dataPageOf(data);
    if (dataPage === undefined) continue;
    for (const stepId of [...(data.readBy ?? []), ...(data.writtenBy ?? [])]) {
      if (!stepsById.has(stepId)) continue;
      const page = innermostCommonPage(dataPage, stepId);
      const beside = shownOn(dataPage, page);
      const key = secondKey(data.id, page);
      if (page === dataPage || beside === undefined || seconds.has(key)) continue;
      seconds.set(key, {
        key,
        data: data.id,
        kind: data.kind,
        beside,
        ...(page !== undefined ? { page } : {}),
      });
    }
  }
  // lanes are drawn pool by pool
  const layout = diagramLayout(
    {
      ...workflow,
      lanes: groups.flatMap((group) => group.lanes),
      dataObjects: drawn.map(({ data }) => data),
    },
    structure,
    [...seconds.values()],
  );
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

  const laneElements = groups
    .flatMap((group) => (isLanelessPool(group) ? [] : group.lanes))
    .map((lane) => {
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
              return (
                step.lane === lane.id && (parent === undefined || stepsById.get(parent)?.lane !== lane.id)
              );
            })
            .map((step) => stepElements.get(step.id)?.element),
          extensionElements: extension(moddle.create('preflight:Lane', data)),
        }),
      };
    });

  const groupOfStep = (id: string): number => groupOfLane.get(stepsById.get(id)?.lane ?? '') ?? 0;
  // the workflow's id and extension go on the process of the first pool with steps
  const firstWithSteps = Math.max(
    0,
    groups.findIndex((_, index) => workflow.steps.some((step) => groupOfStep(step.id) === index)),
  );
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
    // BPMN has no sequence flow between pools (a message flow says what passes between them)
    if (groupOfStep(flow.from) !== groupOfStep(flow.to)) return [];
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

  // data objects and stores: a reference per drawing (see documentDrawings), in the process (or
  // sub-process) of the first step linked to it, with the associations of the steps drawn joined
  // to it; a drawing drawn again on a page above its own (`seconds`) has a second reference there.
  // A document's references share one data object (kept in the innermost container that holds
  // them all, which each can see) or one data store (written when it is drawn more than once).
  const dataElements = new Map<string, { element: ModdleElement; data: DataObject; page?: string }>();
  const secondElements = new Map<string, ModdleElement>();
  const dataSemantics: { element: ModdleElement; group: number; page?: string }[] = [];
  const dataStores: ModdleElement[] = [];
  const atPage = (page: string | undefined) => (page !== undefined ? { page } : {});
  const groupOfData = (data: DataObject): number => {
    const user = [...(data.writtenBy ?? []), ...(data.readBy ?? [])][0];
    return user !== undefined ? groupOfStep(user) : 0;
  };
  const documents = new Map<string, { document: DataObject; drawings: DataObject[] }>();
  for (const { data, document } of drawn) {
    const entry = documents.get(document.id) ?? { document, drawings: [] };
    entry.drawings.push(data);
    documents.set(document.id, entry);
  }
  for (const { document, drawings } of documents.values()) {
    const again = [...seconds.values()].filter((second) => drawings.some((data) => data.id === second.data));
    const pages = [...drawings.map(dataPageOf), ...again.map((second) => second.page)];
    let source: { dataObjectRef: ModdleElement } | { dataStoreRef: ModdleElement } | undefined;
    if (document.kind === 'store') {
      if (drawings.length + again.length > 1) {
        const store = moddle.create('bpmn:DataStore', {
          id: allocate(`${document.id}_store`),
          name: document.label,
        });
        dataStores.push(store);
        source = { dataStoreRef: store };
      }
    } else {
      const object = moddle.create('bpmn:DataObject', { id: allocate(`${document.id}_object`) });
      // the innermost page above every reference's own (a reference sees its own container's
      // data objects and those of the containers around it)
      const common = pagesUp(pages[0]).find((candidate) =>
        pages.every((page) => pagesUp(page).includes(candidate)),
      );
      const group = common !== undefined ? groupOfStep(common) : groupOfData(drawings[0] ?? document);
      dataSemantics.push({ element: object, group, ...atPage(common) });
      source = { dataObjectRef: object };
    }
    const type = document.kind === 'store' ? 'bpmn:DataStoreReference' : 'bpmn:DataObjectReference';
    for (const data of drawings) {
      const id = allocate(data.id);
      const page = dataPageOf(data);
      const element = moddle.create(type, { id, name: data.label, ...source });
      dataElements.set(data.id, { element, data, ...atPage(page) });
      dataSemantics.push({ element, group: groupOfData(data), ...atPage(page) });
      for (const second of again.filter((second) => second.data === data.id)) {
        const copy = moddle.create(type, {
          id: allocate(`${id}_at_${stepElements.get(second.beside)?.element.id ?? second.beside}`),
          name: data.label,
          ...source,
          extensionElements: extension(moddle.create('preflight:DataReference', { of: id })),
        });
        secondElements.set(second.key, copy);
        dataSemantics.push({ element: copy, group: groupOfStep(second.beside), ...atPage(second.page) });
      }
    }
  }
  const dataEdges: { element: ModdleElement; data: string; step: string; reads: boolean }[] = [];
  for (const { element: primary, data, page: dataPage } of dataElements.values()) {
    for (const [list, reads] of [
      [data.readBy ?? [], true],
      [data.writtenBy ?? [], false],
    ] as const) {
      for (const stepId of list) {
        const inner = stepElements.get(stepId)?.element;
        if (!inner) continue;
        const page = innermostCommonPage(dataPage, stepId);
        // A step on a page above the document's connects to the document's second reference there.
        const ref = (page !== dataPage ? secondElements.get(secondKey(data.id, page)) : undefined) ?? primary;
        // A step inside a collapsed sub-process that the document's page does not show: the
        // association belongs to the sub-process drawn there (a renderer draws an association
        // only between shapes of one page), and `preflight:dataLink` names the inner step.
        const shown = shownOn(stepId, page) ?? stepId;
        const activity = stepElements.get(shown)?.element ?? inner;
        const link =
          activity !== inner && inner.id
            ? { extensionElements: extension(moddle.create('preflight:DataLink', { step: inner.id })) }
            : {};
        let association: ModdleElement;
        if (reads) {
          // bpmn.io's form: the input lands on a placeholder property of the activity
          const property = moddle.create('bpmn:Property', {
            id: allocate(`${activity.id}_in_${ref.id}`),
            name: '__targetRef_placeholder',
          });
          activity.properties = [...(activity.properties ?? []), property];
          association = moddle.create('bpmn:DataInputAssociation', {
            id: allocate(`DataInput_${ref.id}_${inner.id}`),
            sourceRef: [ref],
            targetRef: property,
            ...link,
          });
          activity.dataInputAssociations = [...(activity.dataInputAssociations ?? []), association];
        } else {
          association = moddle.create('bpmn:DataOutputAssociation', {
            id: allocate(`DataOutput_${inner.id}_${ref.id}`),
            targetRef: ref,
            ...link,
          });
          activity.dataOutputAssociations = [...(activity.dataOutputAssociations ?? []), association];
        }
        dataEdges.push({ element: association, data: data.id, step: stepId, reads });
      }
    }
  }

  // each element goes into its page's container: its pool's process, or the sub-process it is in
  const topLevel: ModdleElement[][] = groups.map(() => []);
  const topArtifacts: ModdleElement[][] = groups.map(() => []);
  const into = (page: string | undefined, group: number, element: ModdleElement, artifact = false): void => {
    const container = page === undefined ? undefined : stepElements.get(page)?.element;
    if (container && artifact) {
      container.artifacts = [...(container.artifacts ?? []), element];
    } else if (container) container.flowElements.push(element);
    else (artifact ? topArtifacts : topLevel)[group]?.push(element);
  };
  for (const { element, step } of stepElements.values())
    into(structure.parentOf.get(step.id), groupOfStep(step.id), element);
  for (const { element, source, page, artifact } of flowElements)
    into(page, groupOfStep(source), element, artifact);
  for (const { element, group, page } of dataSemantics) into(page, group, element);

  // text annotations and groups: artifacts of the page and pool of their first step (an
  // annotation's associations go to its steps on that page: a renderer draws an association
  // only between shapes of one page); a group's name is a category value, as BPMN has it
  const pageOfStep = (id: string | undefined) => (id !== undefined ? structure.parentOf.get(id) : undefined);
  const annotationElements: {
    element: ModdleElement;
    annotation: Annotation;
    page?: string;
    links: { element: ModdleElement; step: string }[];
  }[] = [];
  for (const annotation of workflow.annotations ?? []) {
    const steps = (annotation.steps ?? []).filter((id) => stepElements.has(id));
    const page = pageOfStep(steps[0]);
    const group = steps[0] !== undefined ? groupOfStep(steps[0]) : firstWithSteps;
    const element = moddle.create('bpmn:TextAnnotation', {
      id: allocate(annotation.id),
      text: annotation.text,
    });
    into(page, group, element, true);
    const links = steps
      .filter((id) => pageOfStep(id) === page)
      .map((id) => {
        const link = moddle.create('bpmn:Association', {
          id: allocate(`Association_${stepElements.get(id)?.element.id ?? id}_${element.id}`),
          sourceRef: stepElements.get(id)?.element,
          targetRef: element,
        });
        into(page, group, link, true);
        return { element: link, step: id };
      });
    annotationElements.push({ element, annotation, links, ...(page !== undefined ? { page } : {}) });
  }
  const categories: ModdleElement[] = [];
  const groupElements: { element: ModdleElement; drawn: StepGroup; page?: string }[] = [];
  for (const drawn of workflow.groups ?? []) {
    const steps = (drawn.steps ?? []).filter((id) => stepElements.has(id));
    const page = pageOfStep(steps[0]);
    const id = allocate(drawn.id);
    let categoryValueRef: ModdleElement | undefined;
    if (drawn.label !== undefined) {
      categoryValueRef = moddle.create('bpmn:CategoryValue', {
        id: allocate(`${id}_value`),
        value: drawn.label,
      });
      categories.push(
        moddle.create('bpmn:Category', { id: allocate(`${id}_category`), categoryValue: [categoryValueRef] }),
      );
    }
    const element = moddle.create('bpmn:Group', { id, ...(categoryValueRef ? { categoryValueRef } : {}) });
    into(page, steps[0] !== undefined ? groupOfStep(steps[0]) : firstWithSteps, element, true);
    groupElements.push({ element, drawn: { ...drawn, steps }, ...(page !== undefined ? { page } : {}) });
  }

  // BPMN has message flows only between pools: a message between two steps of one pool (two
  // lanes of a workflow without pools) is an association marked as a message, drawn as a
  // message is and read back as one
  const endGroup = (id: string): number | undefined => {
    if (stepsById.has(id)) return groupOfStep(id);
    const index = groups.findIndex((group) => group.pool?.id === id);
    return index < 0 ? undefined : index;
  };
  const withinOnePool = new Set<MessageFlow>();
  const poolMessages: { element: ModdleElement; from: string; to: string }[] = [];
  for (const message of workflow.messageFlows ?? []) {
    const group = endGroup(message.from);
    const source = stepElements.get(message.from)?.element;
    const target = stepElements.get(message.to)?.element;
    if (group === undefined || group !== endGroup(message.to) || !source || !target) continue;
    withinOnePool.add(message);
    const element = moddle.create('bpmn:Association', {
      id: allocate(message.id ?? `Message_${source.id}_${target.id}`),
      sourceRef: source,
      targetRef: target,
      associationDirection: 'One',
      extensionElements: extension(
        moddle.create('preflight:Message', message.label !== undefined ? { label: message.label } : {}),
      ),
    });
    topArtifacts[group]?.push(element);
    poolMessages.push({ element, from: message.from, to: message.to });
  }

  const processes: ModdleElement[] = [];
  const participants = groups.map((group, index) => {
    const own = index === firstWithSteps;
    const hasSteps = (topLevel[index]?.length ?? 0) > 0;
    const laneless = isLanelessPool(group);
    const name = group.pool?.name ?? workflow.name;
    const participantAttrs: Record<string, unknown> = {
      id: poolElementIds[index] ?? allocate(`${processId}_pool`),
      name,
    };
    // a party seen from outside (a pool without steps that is its one lane) has no process
    if (own || hasSteps || !laneless) {
      const lanes = laneElements.filter((l) => groupOfLane.get(l.lane.id) === index).map((l) => l.element);
      const process = moddle.create('bpmn:Process', {
        id: own ? processId : allocate(`${participantAttrs.id as string}_process`),
        name: own ? workflow.name : name,
        isExecutable: false,
        ...(own ? { extensionElements: extension(moddle.create('preflight:Workflow', workflowData)) } : {}),
        ...(lanes.length > 0 || !laneless
          ? { laneSets: [moddle.create('bpmn:LaneSet', { id: allocate(`${processId}_lanes`), lanes })] }
          : {}),
        flowElements: topLevel[index] ?? [],
        ...((topArtifacts[index]?.length ?? 0) > 0 ? { artifacts: topArtifacts[index] } : {}),
      });
      processes.push(process);
      participantAttrs.processRef = process;
    }
    return moddle.create('bpmn:Participant', participantAttrs);
  });
  // with several pools a message flow says what passes between them
  const endElement = (id: string): ModdleElement | undefined => {
    const step = stepElements.get(id)?.element;
    if (step) return step;
    const index = groups.findIndex((group) => group.pool?.id === id);
    return index < 0 ? undefined : participants[index];
  };
  // The step that stands for `id` on the collaboration's page: itself, or the outermost
  // (collapsed) sub-process that holds it.
  const onMainPage = (id: string): string => {
    let cursor = id;
    for (let depth = 0; depth < 1_000; depth++) {
      const parent = structure.parentOf.get(cursor);
      if (parent === undefined) break;
      cursor = parent;
    }
    return cursor;
  };
  // A message to or from a step inside a collapsed sub-process is written to the sub-process:
  // a renderer connects a message flow only to shapes on the collaboration's page (bpmn-js warns
  // and leaves out one whose end is drawn on a sub-process's page). The inner step is named in
  // `preflight:message` so that Preflight reads the message back between the same steps.
  const messageFlows = (workflow.messageFlows ?? []).flatMap((message) => {
    if (withinOnePool.has(message)) return [];
    const inner = { from: endElement(message.from), to: endElement(message.to) };
    const source = endElement(onMainPage(message.from));
    const target = endElement(onMainPage(message.to));
    if (!source || !target || !inner.from || !inner.to) return [];
    const nested: Record<string, string> = {};
    if (inner.from !== source && inner.from.id) nested.from = inner.from.id;
    if (inner.to !== target && inner.to.id) nested.to = inner.to.id;
    const element = moddle.create('bpmn:MessageFlow', {
      id: allocate(message.id ?? `Message_${inner.from.id}_${inner.to.id}`),
      sourceRef: source,
      targetRef: target,
      ...(message.label !== undefined ? { name: message.label } : {}),
      ...(Object.keys(nested).length > 0
        ? { extensionElements: extension(moddle.create('preflight:Message', nested)) }
        : {}),
    });
    return [{ element, from: message.from, to: message.to }];
  });
  const collaboration = moddle.create('bpmn:Collaboration', {
    id: allocate(`${processId}_collaboration`),
    participants,
    ...(messageFlows.length > 0 ? { messageFlows: messageFlows.map((m) => m.element) } : {}),
  });

  // ---- diagram interchange: the process's page, then one page per sub-process ----
  // whole pixels, each edge rounded once: bpmn-js rounds a shape's position and size apart, so a
  // pool at y 44.5, 395.5 tall, would end at 441 and overlap the pool drawn from 440
  const bounds = (rect: Box) => {
    const x = Math.round(rect.x);
    const y = Math.round(rect.y);
    return moddle.create('dc:Bounds', {
      x,
      y,
      width: Math.round(rect.x + rect.width) - x,
      height: Math.round(rect.y + rect.height) - y,
    });
  };
  const pageElements = new Map<string | undefined, unknown[]>([[undefined, []]]);
  const onPage = (page: string | undefined): unknown[] => {
    let list = pageElements.get(page);
    if (!list) {
      list = [];
      pageElements.set(page, list);
    }
    return list;
  };
  const poolRects = groups.map((group) => {
    const rects = group.lanes.flatMap((lane) => {
      const rect = layout.lanes.get(lane.id);
      return rect ? [rect] : [];
    });
    if (groups.length === 1 || rects.length === 0) return layout.pool;
    const top = Math.min(...rects.map((rect) => rect.y));
    const bottom = Math.max(...rects.map((rect) => rect.y + rect.height));
    return { x: layout.pool.x, y: top, width: layout.pool.width, height: bottom - top };
  });
  participants.forEach((participant, index) => {
    onPage(undefined).push(
      moddle.create('bpmndi:BPMNShape', {
        id: allocate(`${participant.id}_di`),
        bpmnElement: participant,
        isHorizontal: true,
        bounds: bounds(poolRects[index] ?? layout.pool),
      }),
    );
  });
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
    // sized by the element written, not the step's kind: a task written as an event is a circle
    const rect = elementBounds(typeOf(step), position);
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
  const dataShapeOf = new Map<string, Box>();
  const secondShapeOf = new Map<string, Box>();
  for (const [key, element] of secondElements) {
    const second = seconds.get(key);
    const position = layout.seconds.get(key);
    if (!second || !position) continue;
    const rect = dataBounds(second, position);
    secondShapeOf.set(key, rect);
    onPage(second.page).push(
      moddle.create('bpmndi:BPMNShape', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        bounds: bounds(rect),
      }),
    );
  }
  for (const { element, data, page } of dataElements.values()) {
    const position = layout.data.get(data.id);
    if (!position) continue;
    const rect = dataBounds(data, position);
    dataShapeOf.set(data.id, rect);
    onPage(page).push(
      moddle.create('bpmndi:BPMNShape', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        bounds: bounds(rect),
      }),
    );
  }
  const boxesOn = new Map<string | undefined, StepBox[]>();
  const addBox = (page: string | undefined, box: StepBox) => {
    const list = boxesOn.get(page);
    if (list) list.push(box);
    else boxesOn.set(page, [box]);
  };
  for (const [id, rect] of shapeOf) {
    const page = structure.parentOf.get(id);
    addBox(page, { id, ...rect });
  }
  // documents drawn on a page are in a flow's way as much as steps
  for (const { data, page } of dataElements.values()) {
    const rect = dataShapeOf.get(data.id);
    if (rect) addBox(page, { id: data.id, ...rect });
  }
  for (const [key, rect] of secondShapeOf) {
    addBox(seconds.get(key)?.page, { id: key, ...rect });
  }
  for (const { element, source, target, page } of flowElements) {
    const from = shapeOf.get(source);
    const to = shapeOf.get(target);
    if (!from || !to) continue;
    const host = structure.attached.get(source);
    const waypoints = routedWaypoints(
      from,
      to,
      host !== undefined ? shapeOf.get(host) : undefined,
      boxesOn.get(page) ?? [],
    );
    onPage(page).push(
      moddle.create('bpmndi:BPMNEdge', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        waypoint: waypoints.map((point) => moddle.create('dc:Point', point)),
      }),
    );
  }
  // An association is drawn on the innermost page that shows both ends: a step on another page
  // docks on the collapsed sub-process that holds it there (as a message into a sub-process is),
  // a document on another page is its second reference there.
  for (const { element, data, step, reads } of dataEdges) {
    const dataPage = dataElements.get(data)?.page;
    const page = innermostCommonPage(dataPage, step);
    const dataRect = page === dataPage ? dataShapeOf.get(data) : secondShapeOf.get(secondKey(data, page));
    const stepRect = shapeOf.get(shownOn(step, page) ?? '');
    if (!dataRect || !stepRect) continue;
    const [from, to] = reads ? [dataRect, stepRect] : [stepRect, dataRect];
    onPage(page).push(
      moddle.create('bpmndi:BPMNEdge', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        waypoint: associationWaypoints(from, to).map((point) => moddle.create('dc:Point', point)),
      }),
    );
  }
  // Annotations and groups keep where they were drawn, moved as their first step was moved by the
  // layout; an annotation without bounds goes above its first step, a group is drawn around its
  // steps (its own bounds grown to hold them all).
  const movedBy = (id: string | undefined): { x: number; y: number } => {
    const step = id !== undefined ? stepsById.get(id) : undefined;
    const placed = id !== undefined ? layout.positions.get(id) : undefined;
    return step?.position && placed
      ? { x: placed.x - step.position.x, y: placed.y - step.position.y }
      : { x: 0, y: 0 };
  };
  for (const { element, annotation, page, links } of annotationElements) {
    const first = links[0] ? shapeOf.get(links[0].step) : undefined;
    const shift = movedBy(links[0]?.step);
    const rect: Box | undefined = annotation.bounds
      ? { ...annotation.bounds, x: annotation.bounds.x + shift.x, y: annotation.bounds.y + shift.y }
      : first
        ? {
            ...ANNOTATION_SIZE,
            x: first.x + first.width / 2,
            y: first.y - ANNOTATION_SIZE.height - ANNOTATION_GAP,
          }
        : undefined;
    if (!rect) continue;
    onPage(page).push(
      moddle.create('bpmndi:BPMNShape', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        bounds: bounds(rect),
      }),
    );
    for (const link of links) {
      const from = shapeOf.get(link.step);
      if (!from) continue;
      onPage(page).push(
        moddle.create('bpmndi:BPMNEdge', {
          id: allocate(`${link.element.id}_di`),
          bpmnElement: link.element,
          waypoint: associationWaypoints(from, rect).map((point) => moddle.create('dc:Point', point)),
        }),
      );
    }
  }
  for (const { element, drawn, page } of groupElements) {
    // only the steps drawn on the group's page (a step inside a collapsed sub-process is on its own)
    const inside = (drawn.steps ?? []).flatMap((id) => {
      const rect = pageOfStep(id) === page ? shapeOf.get(id) : undefined;
      return rect ? [rect] : [];
    });
    const shift = movedBy(drawn.steps?.[0]);
    const boxes: Box[] = [
      ...(drawn.bounds
        ? [{ ...drawn.bounds, x: drawn.bounds.x + shift.x, y: drawn.bounds.y + shift.y }]
        : []),
      ...inside.map((rect) => ({
        x: rect.x - GROUP_PADDING,
        y: rect.y - GROUP_PADDING,
        width: rect.width + 2 * GROUP_PADDING,
        height: rect.height + 2 * GROUP_PADDING,
      })),
    ];
    if (boxes.length === 0) continue;
    const x = Math.min(...boxes.map((box) => box.x));
    const y = Math.min(...boxes.map((box) => box.y));
    const rect = {
      x,
      y,
      width: Math.max(...boxes.map((box) => box.x + box.width)) - x,
      height: Math.max(...boxes.map((box) => box.y + box.height)) - y,
    };
    onPage(page).push(
      moddle.create('bpmndi:BPMNShape', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        bounds: bounds(rect),
      }),
    );
  }
  // A message is drawn on the process's page (the collaboration's), between the shapes its
  // message flow names there (an end inside a sub-process: the collapsed sub-process).
  for (const { element, from, to } of [...messageFlows, ...poolMessages]) {
    const rectOf = (id: string): Box | undefined => {
      const index = groups.findIndex((group) => group.pool?.id === id);
      return index >= 0 ? poolRects[index] : shapeOf.get(onMainPage(id));
    };
    const source = rectOf(from);
    const target = rectOf(to);
    if (!source || !target || onMainPage(from) === onMainPage(to)) continue;
    onPage(undefined).push(
      moddle.create('bpmndi:BPMNEdge', {
        id: allocate(`${element.id}_di`),
        bpmnElement: element,
        waypoint: messageWaypoints(source, target).map((point) => moddle.create('dc:Point', point)),
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
    ...(groups.length > 1 ? { name: workflow.name } : {}),
    rootElements: [collaboration, ...processes, ...dataStores, ...categories],
    diagrams,
  });
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

/**
 * Each drawing of a document as a document of its own, with the document it draws: its first
 * drawing (the document's id, name, place and sub-process) joined to the steps no further drawing
 * is drawn joined to, each further drawing (see `DataDrawing`) to the document's steps it names.
 */
function documentDrawings(document: DataObject): { data: DataObject; document: DataObject }[] {
  const { drawings = [], ...first } = document;
  if (drawings.length === 0) return [{ data: first, document }];
  const links = (list: 'readBy' | 'writtenBy', named: readonly string[] | undefined) =>
    (named ?? []).filter((id) => document[list]?.includes(id));
  const claimed = (list: 'readBy' | 'writtenBy') =>
    new Set(drawings.flatMap((drawing) => links(list, drawing[list])));
  const linked = (readBy: string[], writtenBy: string[]) => ({
    ...(readBy.length > 0 ? { readBy } : {}),
    ...(writtenBy.length > 0 ? { writtenBy } : {}),
  });
  const taken = { readBy: claimed('readBy'), writtenBy: claimed('writtenBy') };
  const { readBy: _r, writtenBy: _w, ...place } = first;
  return [
    {
      data: {
        ...place,
        ...linked(
          (document.readBy ?? []).filter((id) => !taken.readBy.has(id)),
          (document.writtenBy ?? []).filter((id) => !taken.writtenBy.has(id)),
        ),
      },
      document,
    },
    ...drawings.map((drawing) => ({
      data: {
        id: drawing.id,
        label: drawing.label ?? document.label,
        kind: document.kind,
        ...linked(links('readBy', drawing.readBy), links('writtenBy', drawing.writtenBy)),
        ...(drawing.within !== undefined ? { within: drawing.within } : {}),
        ...(drawing.position ? { position: drawing.position } : {}),
      },
      document,
    })),
  ];
}

/** Whether a flow carries anything beyond "from here to there" (written as `preflight:flow`). */
function hasFlowData(flow: Flow): boolean {
  return flow.probability !== undefined || flow.transfer !== 'none' || flow.branch !== undefined;
}

/**
 * The route of a message between pools: from the sender's bottom (or top) to the receiver's top
 * (or bottom), vertical, with a dog-leg when their middles differ. A pool's end is taken under
 * (or over) the other end, right of its name header.
 */
function messageWaypoints(from: Box, to: Box): { x: number; y: number }[] {
  const middle = (box: Box) => box.x + box.width / 2;
  const clampInto = (box: Box, x: number) =>
    Math.min(Math.max(x, box.x + HEADER_WIDTH + 10), box.x + box.width - 10);
  const wide = (box: Box) => box.width > STEP_BOX.width * 3;
  const fromX = wide(from) ? clampInto(from, middle(to)) : middle(from);
  const toX = wide(to) ? clampInto(to, fromX) : middle(to);
  const down = from.y + from.height <= to.y || from.y < to.y;
  const start = { x: fromX, y: down ? from.y + from.height : from.y };
  const end = { x: toX, y: down ? to.y : to.y + to.height };
  if (start.x === end.x) return [start, end];
  const bend = (start.y + end.y) / 2;
  return [start, { x: start.x, y: bend }, { x: end.x, y: bend }, end];
}

/** The route of a data association: a straight line between the two shapes' nearest sides. */
function associationWaypoints(from: Box, to: Box): { x: number; y: number }[] {
  const fromMiddle = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const toMiddle = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
  if (to.y >= from.y + from.height) {
    return [
      { x: fromMiddle.x, y: from.y + from.height },
      { x: toMiddle.x, y: to.y },
    ];
  }
  if (from.y >= to.y + to.height) {
    return [
      { x: fromMiddle.x, y: from.y },
      { x: toMiddle.x, y: to.y + to.height },
    ];
  }
  return to.x >= from.x
    ? [
        { x: from.x + from.width, y: fromMiddle.y },
        { x: to.x, y: toMiddle.y },
      ]
    : [
        { x: from.x, y: fromMiddle.y },
        { x: to.x + to.width, y: toMiddle.y },
      ];
}

/** A side of a shape. */
type Side = BoxSide;

/** The border of its host a boundary event sits on: the one nearest the event's centre. */
export function boundarySide(event: Box, host: Box): Side {
  const cx = event.x + event.width / 2;
  const cy = event.y + event.height / 2;
  const distances: [Side, number][] = [
    ['bottom', Math.abs(cy - (host.y + host.height))],
    ['top', Math.abs(cy - host.y)],
    ['right', Math.abs(cx - (host.x + host.width))],
    ['left', Math.abs(cx - host.x)],
  ];
  return distances.reduce((best, next) => (next[1] < best[1] ? next : best))[0];
}

/**
 * The plain route of a boundary event's exception path, as bpmn-js lays one out: out of the event
 * away from its host (down from the bottom border, up from the top one), then across into the
 * target's side. Undefined when the target is not beyond the event that way, or the event sits on
 * a left or right border: the route then goes around ({@link routedWaypoints}), never back
 * through the host.
 */
export function boundaryWaypoints(
  from: Box,
  to: Box,
  side: Side = 'bottom',
): { x: number; y: number }[] | undefined {
  if (side !== 'bottom' && side !== 'top') return undefined;
  const down = side === 'bottom';
  const start = sidePoint(from, side);
  const toMiddle = to.y + to.height / 2;
  if (down ? toMiddle <= start.y : toMiddle >= start.y) return undefined;
  if (start.x >= to.x && start.x <= to.x + to.width) {
    return [start, { x: start.x, y: down ? to.y : to.y + to.height }];
  }
  const end = to.x > start.x ? { x: to.x, y: toMiddle } : { x: to.x + to.width, y: toMiddle };
  return [start, { x: start.x, y: toMiddle }, end];
}

type Box = { x: number; y: number; width: number; height: number };

/** How far around a flow's two ends a route first looks for the shapes in its way. */
const ROUTE_REACH = 240;
/** Pages with more shapes than this are routed around the shapes near the ends only. */
const MAX_ROUTED_BOXES = 300;

/**
 * A flow's route that passes through no shape of its page: the plain route ({@link edgeWaypoints},
 * or {@link boundaryWaypoints} from a boundary event on `host`) when it passes through none, else a
 * route around them ({@link routeAround}) from the first pair of sides that has one (right to
 * left, then under, over, and the sides between; a boundary event's always leaves it away from
 * its host, with a shorter first run when a shape lies closer under it than a route's clearance),
 * else the plain route.
 */
export function routedWaypoints(
  from: Box,
  to: Box,
  host: Box | undefined,
  boxes: readonly StepBox[],
): { x: number; y: number }[] {
  const away = host ? boundarySide(from, host) : undefined;
  const plain = away ? boundaryWaypoints(from, to, away) : edgeWaypoints(from, to);
  if (plain && !routeCrossesBoxes(plain, boxes)) return plain;
  const forward = to.x >= from.x + from.width;
  const pairs: [Side, Side][] = away
    ? [
        [away, forward ? 'left' : 'right'],
        [away, away === 'top' ? 'bottom' : 'top'],
        [away, away === 'top' ? 'top' : 'bottom'],
        [away, forward ? 'right' : 'left'],
      ]
    : forward
      ? [
          ['right', 'left'],
          ['bottom', 'left'],
          ['top', 'left'],
          ['bottom', 'bottom'],
          ['top', 'top'],
        ]
      : [
          ['bottom', 'bottom'],
          ['top', 'top'],
          ['right', 'left'],
          ['bottom', 'top'],
          ['top', 'bottom'],
        ];
  // the search grows with the square of the shapes it goes around: first those near the two
  // ends, and a route found among them is kept only if it passes through no shape of the page
  const reach = (margin: number) => {
    const x0 = Math.min(from.x, to.x) - margin;
    const y0 = Math.min(from.y, to.y) - margin;
    const x1 = Math.max(from.x + from.width, to.x + to.width) + margin;
    const y1 = Math.max(from.y + from.height, to.y + to.height) + margin;
    return boxes.filter((b) => b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0);
  };
  for (const near of [reach(ROUTE_REACH), ...(boxes.length <= MAX_ROUTED_BOXES ? [boxes] : [])]) {
    for (const [leave, enter] of pairs) {
      // a boundary event always leaves away from its host, even with a shape close under it
      const route = away
        ? routeLeaving(from, leave, to, [enter], near)
        : routeAround(sidePoint(from, leave), OUTWARD[leave], sidePoint(to, enter), OUTWARD[enter], near);
      if (route && (near === boxes || !routeCrossesBoxes(route, boxes))) return route;
    }
  }
  return plain ?? edgeWaypoints(from, to);
}

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
