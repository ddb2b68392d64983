/**
 * The one `bpmn-moddle` instance of Preflight, with the `preflight` extension package, and the
 * narrow structural types through which the importer reads moddle's dynamic element objects.
 *
 * Why bpmn-moddle: it is the BPMN 2.0 meta-model bpmn.io and Camunda Modeler are built on, so
 * what it reads and writes is what those tools read and write (namespaces, DI, extension
 * elements), and it is tolerant (lax) of other vendors' files.
 */
import { BpmnModdle } from 'bpmn-moddle';
import preflightPackage from './preflight.moddle.json' with { type: 'json' };

/** Namespace of Preflight's BPMN extension elements (`xmlns:preflight`). Public: files carry it. */
export const PREFLIGHT_BPMN_NS = 'urn:preflight:bpmn:1';

/**
 * The `exporter` Preflight writes on its BPMN files. The pages of its collapsed sub-processes
 * hold the inner steps at their places in the workflow's drawing, so import reads them.
 */
export const EXPORTER = 'Preflight';

/** Namespace of BPMN 2.0 semantic elements, whatever prefix a file gives it. */
export const BPMN_MODEL_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

let instance: BpmnModdle | undefined;

/** The shared moddle (building its type registry costs milliseconds, so it is built once). */
export function bpmnModdle(): BpmnModdle {
  instance ??= new BpmnModdle({ preflight: preflightPackage });
  return instance;
}

/** A point or rectangle of BPMN DI. */
export interface DiBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Any moddle element, with the optional properties the importer reads. Moddle leaves absent
 * properties undefined, and lax parsing can put anything anywhere, so every field is optional
 * and is checked before use.
 */
export interface El {
  $type: string;
  id?: string;
  name?: string;
  $attrs?: Record<string, string>;
  $parent?: El;
  $instanceOf?: (type: string) => boolean;
  // containers
  rootElements?: El[];
  flowElements?: El[];
  laneSets?: El[];
  lanes?: El[];
  childLaneSet?: El;
  flowNodeRef?: El[];
  participants?: El[];
  processRef?: El;
  messageFlows?: El[];
  artifacts?: El[];
  // flows and nodes
  sourceRef?: El;
  targetRef?: El;
  conditionExpression?: El;
  eventDefinitions?: El[];
  attachedToRef?: El;
  /** link event definitions: a throw's catch, and a catch's throws (references, often absent) */
  target?: El;
  source?: El[];
  /** gateways: Unspecified, Converging, Diverging or Mixed */
  gatewayDirection?: string;
  /** exclusive and inclusive gateways: the flow taken when no condition holds */
  default?: El;
  cancelActivity?: boolean;
  /** start events of event sub-processes: false when the sub-process runs beside the process */
  isInterrupting?: boolean;
  /** activities: a compensation handler, reached from a compensation boundary event */
  isForCompensation?: boolean;
  triggeredByEvent?: boolean;
  calledElement?: string;
  dataObjectRef?: El;
  dataStoreRef?: El;
  loopCharacteristics?: El;
  /** timer event definitions: one of the three, a formal expression whose `body` is the time */
  timeDuration?: El;
  timeDate?: El;
  timeCycle?: El;
  /** activities: their resource roles (performer, human performer, potential owner) */
  resources?: El[];
  /** resource roles: the resource they name, and the expression that assigns one */
  resourceRef?: El;
  resourceAssignmentExpression?: El;
  /** a resource assignment expression's expression */
  expression?: El;
  dataInputAssociations?: El[];
  dataOutputAssociations?: El[];
  /** processes and activities: the data inputs and outputs (`dataInputs`, `dataOutputs`) */
  ioSpecification?: El;
  dataInputs?: El[];
  dataOutputs?: El[];
  extensionElements?: El;
  values?: El[];
  documentation?: El[];
  text?: string;
  body?: string;
  /** groups: the category value whose `value` names the group */
  categoryValueRef?: El;
  /** category values: the name */
  value?: string;
  /** definitions: the tool that wrote the file */
  exporter?: string;
  // DI
  diagrams?: El[];
  plane?: El;
  planeElement?: El[];
  bpmnElement?: El;
  bounds?: DiBounds;
  /** an edge's route */
  waypoint?: { x: number; y: number }[];
  isHorizontal?: boolean;
}

/** `preflight:workflow` on the exported process. */
export interface PfWorkflow extends El {
  $type: 'preflight:Workflow';
  process?: string;
  description?: string;
  state?: string;
  baseline?: string;
  arrivalsPerHour?: number;
  casesPerDay?: number;
  capacityFactor?: number;
  productivityFactor?: number;
  retired?: string[];
}

/** `preflight:lane` on a lane. */
export interface PfLane extends El {
  $type: 'preflight:Lane';
  staff?: number;
}

/** `preflight:step` on a flow node. */
export interface PfStep extends El {
  $type: 'preflight:Step';
  kind?: string;
  medium?: string;
  system?: string;
  touchMin?: number;
  waitMin?: number;
  clicks?: number;
  enters?: string[];
  replaces?: string[];
  /** `boundary` of the step: the step id it is attached to, its trigger, whether it interrupts */
  attachedTo?: string;
  trigger?: string;
  interrupting?: boolean;
  /** `within` of the step when the file cannot say it by nesting (a loop of steps, a decision) */
  within?: string;
  /** `observed` of the step (what an event log measured), as JSON text */
  observed?: string;
}

/**
 * `preflight:message` on an association: a message between two steps of one pool (BPMN has no
 * message flow inside a pool), with its label. On a message flow whose end is a step inside a
 * collapsed sub-process, `from` and `to` name that inner step's element (the flow itself names
 * the sub-process drawn on the collaboration's page, which is what a renderer can connect).
 */
export interface PfMessage extends El {
  $type: 'preflight:Message';
  label?: string;
  from?: string;
  to?: string;
}

/**
 * `preflight:dataLink` on a data input or output association that a collapsed sub-process owns
 * in the file but a step inside it reads or writes: `step` names that inner step's element (the
 * association is drawn on the page that shows the document, where only the sub-process is).
 */
export interface PfDataLink extends El {
  $type: 'preflight:DataLink';
  step?: string;
}

/**
 * `preflight:dataReference` on a data object or store reference that draws a document again on
 * a page above its own (a document inside a collapsed sub-process used by a step outside it):
 * `of` names the element of the document's own reference. Import reads both as one document.
 */
export interface PfDataReference extends El {
  $type: 'preflight:DataReference';
  of?: string;
}

/** `preflight:flow` on a sequence flow. */
export interface PfFlow extends El {
  $type: 'preflight:Flow';
  probability?: number;
  transfer?: string;
  /** `branch` of the flow: condition or default */
  branch?: string;
}

/** The first extension element of a type on `element`, if any. */
export function extensionOf<T extends El>(element: El, type: T['$type']): T | undefined {
  return element.extensionElements?.values?.find((value): value is T => value.$type === type);
}

/** Whether `element` is of BPMN type `type` or a subtype (`bpmn:UserTask` is a `bpmn:Activity`). */
export function isA(element: El, type: string): boolean {
  const check = element.$instanceOf;
  return typeof check === 'function' ? check.call(element, type) : element.$type === type;
}

/** The element type without its package prefix: `bpmn:UserTask` → `UserTask`. */
export function localType(element: El): string {
  const colon = element.$type.indexOf(':');
  return colon < 0 ? element.$type : element.$type.slice(colon + 1);
}

/**
 * The name export gives a flow with a probability ("30 %"), so people see branch probabilities in
 * other tools. Import recognises it and does not copy it into the notes: the extension holds the
 * number.
 */
export function probabilityLabel(probability: number): string {
  return `${Math.round(probability * 1000) / 10} %`;
}
