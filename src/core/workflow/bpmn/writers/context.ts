/**
 * What the BPMN writers share: the workflow and what is derived from it before anything is written
 * (its pools, its nesting, its layout, the pages a document is drawn on again), the id allocator,
 * and the elements each writer leaves for the ones after it.
 *
 * Ids are handed out in the order the writers run (a wanted id that is taken gets a suffix), so
 * the order of the table in index.ts is part of the output: reordering it changes exported files.
 */

import type {
  Annotation,
  DataObject,
  Flow,
  Lane,
  Step,
  StepGroup,
  Workflow,
} from '../../../../formats/workflow.ts';
import { documentDrawings } from '../../documents.ts';
import type { StepBox } from '../../routeGeometry.ts';
import { diagramLayout, type SecondReference } from '../diagram.ts';
import { triggerOf } from '../elements.ts';
import { bpmnModdle } from '../model.ts';
import { type BpmnStructure, bpmnStructure } from '../structure.ts';
import { type PageIndex, pageIndex } from './pages.ts';
import { type PoolGroup, poolGroups } from './poolGroups.ts';
import { elementTypeOf } from './stepTypes.ts';

/** A moddle element (moddle's elements are dynamic; model.ts narrows them where they are read). */
// biome-ignore lint/suspicious/noExplicitAny: moddle elements are dynamic
export type ModdleElement = any;

/** A rectangle of the diagram. */
export type Box = { x: number; y: number; width: number; height: number };

/** A sequence flow (or a compensation association) and the page it is drawn on. */
export interface FlowElement {
  element: ModdleElement;
  source: string;
  target: string;
  page: string | undefined;
  artifact: boolean;
}

/** A message between two ends (steps or pools), as written. */
export interface MessageElement {
  element: ModdleElement;
  from: string;
  to: string;
}

/** An element kind's writer: registered in the table of index.ts, which runs them in order. */
export interface BpmnWriter {
  /** stable name, for the docs and the tests */
  readonly id: string;
  /** the BPMN elements it writes */
  readonly writes: readonly string[];
  /** one line on what it writes and from what */
  readonly describe: string;
  write(ctx: ExportContext): void;
}

/** The shared state of one export (see the file comment). */
export interface ExportContext {
  readonly workflow: Workflow;
  readonly moddle: ReturnType<typeof bpmnModdle>;
  /** a unique XML id, the wanted one when it is valid and free */
  readonly allocate: (wanted: string) => string;
  readonly structure: BpmnStructure;
  /** the pools, each with its lanes (the workflow's own pool first) */
  readonly groups: PoolGroup[];
  /** the participant id of each pool that is one of the workflow's (handed out first) */
  readonly poolElementIds: (string | undefined)[];
  readonly groupOfLane: Map<string, number>;
  readonly stepsById: Map<string, Step>;
  readonly pages: PageIndex;
  /** each document's drawings (documentDrawings) */
  readonly drawn: { data: DataObject; document: DataObject }[];
  /** documents drawn again on a page above their own, by {@link PageIndex.secondKey} */
  readonly seconds: Map<string, SecondReference & { data: string }>;
  readonly layout: ReturnType<typeof diagramLayout>;
  /** the pool whose process carries the workflow's id and extension: the first with steps */
  readonly firstWithSteps: number;
  /** flows from a link throw event to its link catch event (written as a shared link name) */
  readonly linkFlows: Set<Flow>;
  readonly linkTarget: Map<string, string>;

  // ---- written by the semantic writers ----
  /** the other tools' namespaces the steps' settings are written in (stepDetails.ts), declared on the definitions */
  namespaces: Set<'camunda' | 'zeebe'>;
  stepElements: Map<string, { element: ModdleElement; step: Step }>;
  laneElements: { lane: Lane; element: ModdleElement }[];
  processId: string;
  flowElements: FlowElement[];
  dataElements: Map<string, { element: ModdleElement; data: DataObject; page?: string }>;
  secondElements: Map<string, ModdleElement>;
  dataStores: ModdleElement[];
  /** per pool: its process's input/output specification, when a document is one of its inputs or outputs */
  ioSpecifications: Map<number, ModdleElement>;
  dataEdges: { element: ModdleElement; data: string; step: string; reads: boolean }[];
  /** per pool: the flow elements and the artifacts of its process */
  topLevel: ModdleElement[][];
  topArtifacts: ModdleElement[][];
  annotationElements: {
    element: ModdleElement;
    annotation: Annotation;
    page?: string;
    links: { element: ModdleElement; step: string }[];
  }[];
  categories: ModdleElement[];
  groupElements: { element: ModdleElement; drawn: StepGroup; page?: string }[];
  poolMessages: MessageElement[];
  messageFlows: MessageElement[];
  processes: ModdleElement[];
  participants: ModdleElement[];
  collaboration: ModdleElement | undefined;

  // ---- written by the diagram writers ----
  /** the diagram elements of each page: the process's (`undefined`) first, then each sub-process's */
  pageElements: Map<string | undefined, unknown[]>;
  poolRects: Box[];
  shapeOf: Map<string, Box>;
  dataShapeOf: Map<string, Box>;
  secondShapeOf: Map<string, Box>;
  definitions: ModdleElement | undefined;
  /** shapes in a route's way, once every shape is placed (obstacles.ts) */
  obstacles?: { flows: Map<string | undefined, StepBox[]>; associations: Map<string | undefined, StepBox[]> };
  annotationRects?: {
    element: ModdleElement;
    page?: string;
    links: { element: ModdleElement; step: string }[];
    rect: Box;
  }[];
}

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

/** Everything derived from the workflow before a writer runs (see the file comment). */
export function createExportContext(workflow: Workflow): ExportContext {
  const allocate = idAllocator();
  const structure = bpmnStructure(workflow);
  const groups = poolGroups(workflow);
  // pools have no extension to carry their id: theirs are handed out first, so they keep them
  const poolElementIds = groups.map((group) => (group.pool ? allocate(group.pool.id) : undefined));
  const groupOfLane = new Map<string, number>();
  groups.forEach((group, index) => {
    for (const lane of group.lanes) groupOfLane.set(lane.id, index);
  });
  const stepsById = new Map(workflow.steps.map((step) => [step.id, step]));
  const pages = pageIndex(structure, stepsById, groupOfLane);
  // A document inside a collapsed sub-process used by a step on a page above (outside the
  // sub-process) is drawn again on that page, beside the collapsed sub-process that holds it
  // there: a second reference to the same data object (or store), marked `preflight:dataReference`,
  // which that step's association connects to (a renderer draws an association only between
  // shapes of one page).
  const seconds = new Map<string, SecondReference & { data: string }>();
  const drawn = (workflow.dataObjects ?? []).flatMap(documentDrawings);
  for (const { data } of drawn) {
    const dataPage = pages.dataPageOf(data);
    if (dataPage === undefined) continue;
    for (const stepId of [...(data.readBy ?? []), ...(data.writtenBy ?? [])]) {
      if (!stepsById.has(stepId)) continue;
      const page = pages.innermostCommonPage(dataPage, stepId);
      const beside = pages.shownOn(dataPage, page);
      const key = pages.secondKey(data.id, page);
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
  const typeOf = (step: Step) => elementTypeOf(structure, step);
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
  return {
    workflow,
    moddle: bpmnModdle(),
    allocate,
    structure,
    groups,
    poolElementIds,
    groupOfLane,
    stepsById,
    pages,
    drawn,
    seconds,
    layout,
    firstWithSteps: Math.max(
      0,
      groups.findIndex((_, index) => workflow.steps.some((step) => pages.groupOfStep(step.id) === index)),
    ),
    linkFlows,
    linkTarget: new Map([...linkFlows].map((flow) => [flow.from, flow.to])),
    namespaces: new Set(),
    stepElements: new Map(),
    laneElements: [],
    processId: '',
    flowElements: [],
    dataElements: new Map(),
    secondElements: new Map(),
    dataStores: [],
    ioSpecifications: new Map(),
    dataEdges: [],
    topLevel: groups.map(() => []),
    topArtifacts: groups.map(() => []),
    annotationElements: [],
    categories: [],
    groupElements: [],
    poolMessages: [],
    messageFlows: [],
    processes: [],
    participants: [],
    collaboration: undefined,
    pageElements: new Map([[undefined, []]]),
    poolRects: [],
    shapeOf: new Map(),
    dataShapeOf: new Map(),
    secondShapeOf: new Map(),
    definitions: undefined,
  };
}

/** The `bpmn:ExtensionElements` holding the given `preflight:` elements. */
export function extension(ctx: ExportContext, ...values: unknown[]): ModdleElement {
  return ctx.moddle.create('bpmn:ExtensionElements', { values });
}

/** Whether a flow carries anything beyond "from here to there" (written as `preflight:flow`). */
export function hasFlowData(flow: Flow): boolean {
  return flow.probability !== undefined || flow.transfer !== 'none' || flow.branch !== undefined;
}

/** The attributes of a flow's `preflight:flow`. */
export function flowData(flow: Flow): Record<string, unknown> {
  const data: Record<string, unknown> = { transfer: flow.transfer };
  if (flow.branch !== undefined) data.branch = flow.branch;
  if (flow.probability !== undefined) data.probability = flow.probability;
  return data;
}

/**
 * Puts an element into its page's container: its pool's process, or the sub-process it is in
 * (as a flow element, or an artifact).
 */
export function into(
  ctx: ExportContext,
  page: string | undefined,
  group: number,
  element: ModdleElement,
  artifact = false,
): void {
  const container = page === undefined ? undefined : ctx.stepElements.get(page)?.element;
  if (container && artifact) {
    container.artifacts = [...(container.artifacts ?? []), element];
  } else if (container) container.flowElements.push(element);
  else (artifact ? ctx.topArtifacts : ctx.topLevel)[group]?.push(element);
}
