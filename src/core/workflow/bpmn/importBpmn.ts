/**
 * BPMN 2.0 XML → `preflight.workflow/v1`.
 *
 * What maps to what (decided here; the table is in this folder's README.md):
 * - Lanes: every leaf `bpmn:lane` of a process's laneSet is a lane; nested lanes are flattened,
 *   the child keeping its path as its name ("Clinic / Front desk"). A pool (participant) without
 *   lanes, and a process without a pool, is one lane. With several pools, each lane names its
 *   pool (`pool`).
 * - Steps: tasks of every flavour, call activities and sub-processes → `task`; start/end events
 *   → `start`/`end`; exclusive gateways → `decision`; parallel and inclusive gateways → their
 *   split or join kinds; event-based and complex gateways → `decision` with a note;
 *   intermediate catch events and boundary events → `wait`; intermediate throw events → `task`.
 *   Approvals exist only through the `preflight:step kind="approval"` extension.
 * - Sub-processes are flattened for the analysis: the sub-process stays as a step (its entry),
 *   its inner steps follow it (a flow from it to each inner start) and carry `within` (its id),
 *   and its outgoing flows leave from its inner end steps. Inner start/end events are therefore
 *   `task`s, not starts/ends of the workflow.
 * - `step.bpmn` records the element a step was (a service task, a call activity, a message
 *   event…) where export would otherwise write another one (elements.ts), so the round trip
 *   keeps it.
 *   An event sub-process is entered by its event: its step carries `boundary` (trigger, and
 *   whether it interrupts) without `attachedTo`, and its inner end events stay `end`s.
 * - A boundary event becomes a `wait` step in its activity's lane with `boundary` { attachedTo,
 *   trigger, interrupting }, reached by a flow from the activity: its exception path, taken with
 *   its own chance (the flow's, or the format's stated default), never an even split.
 * - A link throw event is connected to its link catch event (by reference, else by name at its level).
 *   A compensation boundary event is connected to its handler (the association between them).
 * - Sequence flows → flows; names and conditions go into the source step's notes; probability and
 *   transfer come from `preflight:flow`. Text annotations associated with a step go into its notes.
 * - Positions come from BPMN DI (see geometry.ts); vertical lanes are turned by 90° so lanes
 *   become horizontal bands. No DI → no position ("lay out automatically").
 * - Pools of a collaboration of several → `pools` (each lane names its own), a process with steps
 *   drawn without a pool beside a pool being a pool of its own; message flows →
 *   `messageFlows` (never flows); data object and store references with the associations of the
 *   steps that read and write them (data associations, or plain associations from the data to an
 *   activity or back) → `dataObjects`, one per data object or store, each further reference
 *   drawing it kept among its `drawings` with the links drawn to it. A process with no step beside a collaboration is no pool; its data is read.
 * - Everything else (data objects nothing draws, groups, loop markers,
 *   vendor extensions, a link event without its pair) is listed in `notCarriedOver`.
 *
 * Never throws on any input text: a failure is a problem with the element id or line.
 */

import {
  type Annotation,
  BOUNDARY_TRIGGERS,
  type BoundaryTrigger,
  BPMN_ELEMENT_TYPES,
  type BpmnElementType,
  type BpmnEventTrigger,
  type DataDrawing,
  type DataObject,
  type DrawnBounds,
  type Flow,
  type FlowTransfer,
  GATEWAY_KINDS,
  type Lane,
  loadWorkflow,
  type MessageFlow,
  type Pool,
  type Step,
  type StepGroup,
  type StepKind,
  type StepMedium,
  WORKFLOW_FORMAT,
  type Workflow,
} from '../../../formats/workflow.ts';
import { type AccountBuilder, createAccount } from '../../readerAccount/index.ts';
import { createXmlTokenLimit, MAX_XML_TOKEN_CHARS } from '../eventlog/xmlTokenLimit.ts';
import { layoutWorkflow } from '../layout/layout.ts';
import { accountName, emptyBpmnAccount, type FileNames, fileNames, finishBpmnAccount } from './account.ts';
import { decodeXmlBytes } from './decode.ts';
import { defaultElementOf, defaultTriggerOf, EVENT_ELEMENTS, TRIGGER_OF_DEFINITION } from './elements.ts';
import { elementSize, positionOfBounds } from './geometry.ts';
import {
  bpmnModdle,
  type DiBounds,
  type El,
  EXPORTER,
  extensionOf,
  isA,
  localType,
  type PfDataLink,
  type PfDataReference,
  type PfFlow,
  type PfLane,
  type PfMessage,
  type PfStep,
  type PfWorkflow,
  probabilityLabel,
} from './model.ts';
import { MAX_SUBPROCESS_DEPTH, tooDeeplyNested } from './nesting.ts';
import {
  groupUnrecognized,
  parseFailure,
  repairIds,
  resolveQualifiedReferences,
  simulatorChances,
  warningProblem,
  where,
} from './readerProblems.ts';
import { readStepDetails } from './stepDetails.ts';

export { repairIds };

import type { BpmnImportResult, BpmnProblem, NotCarriedOver } from './types.ts';

const STEP_KINDS: ReadonlySet<string> = new Set<StepKind>([
  'start',
  'end',
  'task',
  'decision',
  'approval',
  'wait',
  ...GATEWAY_KINDS,
]);
const MEDIA: ReadonlySet<string> = new Set<StepMedium>(['paper', 'fax', 'phone', 'verbal', 'digital']);
const TRANSFERS: ReadonlySet<string> = new Set<FlowTransfer>(['none', 'electronic', 'manual', 'paper']);

/** A data object or data store reference, with the sub-process it is drawn in. */
/** What a process's data input or output is to a case: what it arrives with, what it leaves with. */
const PROCESS_IO: Record<string, 'input' | 'output' | undefined> = {
  'bpmn:DataInput': 'input',
  'bpmn:DataOutput': 'output',
};

/** Whether an element is a data input or output of a process (not of an activity). */
function isProcessIo(element: El | undefined): boolean {
  return (
    element !== undefined &&
    PROCESS_IO[element.$type] !== undefined &&
    element.$parent?.$type === 'bpmn:InputOutputSpecification' &&
    element.$parent.$parent?.$type === 'bpmn:Process'
  );
}

interface DataRef {
  element: El;
  container?: El;
  data: DataObject;
}

/** Staff of an imported lane that does not say (other tools have no notion of it). */
const DEFAULT_LANE_STAFF = 1;

/** Workflow id when neither the extension, the process nor the definitions give one. */
const FALLBACK_WORKFLOW_ID = 'imported-bpmn';

/** Namespace prefixes whose attributes are XML plumbing, not another tool's data. */
const PLUMBING_PREFIXES = new Set(['xmlns', 'xsi', 'xml']);

/** Packages bpmn-moddle itself understands: not vendor extensions. */
const KNOWN_PACKAGES = new Set(['bpmn', 'bpmndi', 'di', 'dc', 'bioc', 'color', 'preflight']);

/** Prefixes of the colours modellers give shapes (bpmn.io's and the OMG's non-normative one). */
const COLOUR_PREFIXES = new Set(['bioc', 'color']);

/**
 * Gateway types that become decisions, with a note on how their meaning differs (parallel and
 * inclusive gateways have step kinds of their own: see `settleGateways`).
 */
const GATEWAY_NOTES: Record<string, string> = {
  ExclusiveGateway: '',
  EventBasedGateway:
    'BPMN event-based gateway: the first event to happen decides the branch; set the branch probabilities.',
  ComplexGateway: 'BPMN complex gateway: its activation rule is not carried over.',
};

/**
 * Reads a BPMN 2.0 XML text (already decoded, see decode.ts) into a workflow. Never throws.
 *
 * The XML reader under bpmn-moddle (saxes) holds a whole attribute value or text run before it
 * reports it, and the model keeps every name: without a bound, one name is limited only by the
 * file's size limit. So the text is scanned first with the event-log readers' bound
 * (`maxTokenChars`, 1 Mi characters: a process model's names and texts are short) and a longer
 * run is refused at its line and column before the reader sees any of it.
 */
export async function importBpmn(
  xml: string,
  { maxTokenChars = MAX_XML_TOKEN_CHARS }: { maxTokenChars?: number } = {},
): Promise<BpmnImportResult> {
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    return fatal({
      severity: 'error',
      code: 'not-xml',
      message: 'the file is empty: there is no BPMN in it',
    });
  }
  const long = createXmlTokenLimit(maxTokenChars).scan(text);
  if (long) {
    return fatal({
      severity: 'error',
      code: 'too-long',
      message: `one element, name, text, attribute value or comment is longer than ${maxTokenChars.toLocaleString('en-US')} characters; a process model's names and texts are short, so this is most likely not a process model, or something large (an embedded picture or document) was pasted into it: remove or shorten it in the modelling tool and export again`,
      line: long.line,
      column: long.column,
    });
  }
  const deep = tooDeeplyNested(text);
  if (deep) {
    return fatal({
      severity: 'error',
      code: 'too-deep',
      message: `sub-processes are nested more than ${MAX_SUBPROCESS_DEPTH} levels deep${deep.id === undefined ? '' : ` (at sub-process ${deep.id})`}; real process models nest a few, so this is most likely not a process model or a damaged export: flatten the nesting in the modelling tool and export again`,
      line: deep.line,
    });
  }
  // The text is decoded already: a declared ISO-8859-1 (or other) encoding would only make the
  // reader warn and fall back to UTF-8, which is what the text now is.
  const repaired = repairIds(
    text.replace(/^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2'),
  );
  const prepared = repaired.text;
  let parsed: Awaited<ReturnType<ReturnType<typeof bpmnModdle>['fromXML']>>;
  try {
    parsed = await bpmnModdle().fromXML(prepared);
  } catch (error) {
    return fatal(...parseFailure(error, prepared));
  }
  const problems = groupUnrecognized(
    resolveQualifiedReferences(
      parsed.rootElement as El,
      parsed.elementsById as Record<string, El>,
      parsed.warnings,
    ).map(warningProblem),
  );
  if (repaired.problem) problems.unshift(repaired.problem);
  try {
    const chances = simulatorChances(prepared);
    for (const problem of problems) {
      if (
        chances.size > 0 &&
        /\(unrecognized element <([\w.-]+:)?processSimulationInfo>\)$/.test(problem.message)
      )
        problem.message = `the simulation settings of BIMP${where(problem)} are another tool's: their ${chances.size} branch chances are read, the rest (arrivals, durations, resources) is left out`;
    }
    const account = createAccount('bpmn');
    // Preflight's own export always writes a process as not executable, and writes it so again
    if ((parsed.rootElement as El).exporter === EXPORTER) account.use('bpmn:process@isExecutable');
    // the branch chances of a simulator's settings are read (simulatorChances); the rest is not
    if (chances.size > 0)
      for (const name of [
        'qbp:processSimulationInfo/qbp:sequenceFlows',
        'qbp:sequenceFlows/qbp:sequenceFlow',
        'qbp:sequenceFlow@elementId',
        'qbp:sequenceFlow@executionProbability',
      ])
        account.use(name);
    const result = new Importer(
      parsed.rootElement as El,
      parsed.elementsById as Record<string, El>,
      problems,
      account,
      chances,
    ).run();
    return { ...result, account: finishBpmnAccount(prepared, account) };
  } catch (error) {
    // A mapping bug must not crash the app or the CLI; the message carries no file content.
    const name = error instanceof Error ? error.name : 'Error';
    problems.push({
      severity: 'error',
      code: 'unreadable-element',
      message: `the file could not be mapped to a workflow (internal ${name}); please report it with the file`,
    });
    return { notCarriedOver: [], account: emptyBpmnAccount(), problems };
  }
}

/** Options of {@link importBpmnBytes}. */
interface ImportBpmnBytesOptions {
  /**
   * Lay the workflow out (layout.ts) when the file has no diagram, i.e. no step got a position
   * from BPMN DI. A file with a diagram keeps its positions.
   */
  layoutWithoutDiagram?: boolean;
}

/**
 * Reads a BPMN file's bytes: decodes them by the encoding the XML declaration names (decode.ts),
 * then {@link importBpmn}, then optionally lays out a file that has no diagram. An undecodable
 * file is a fatal problem. Never throws. The app's worker and the CLI both call this.
 */
export async function importBpmnBytes(
  bytes: Uint8Array,
  options: ImportBpmnBytesOptions = {},
): Promise<BpmnImportResult> {
  const decoded = decodeXmlBytes(bytes);
  if (!decoded.ok) return fatal({ severity: 'error', code: decoded.code, message: decoded.message });
  const result = await importBpmn(decoded.text);
  const workflow = result.workflow;
  if (!options.layoutWithoutDiagram || !workflow || workflow.steps.some((step) => step.position))
    return result;
  const { positions } = await layoutWorkflow(workflow);
  return {
    ...result,
    workflow: {
      ...workflow,
      steps: workflow.steps.map((step) => {
        const position = positions[step.id];
        return position ? { ...step, position } : step;
      }),
    },
  };
}

function fatal(...problems: BpmnProblem[]): BpmnImportResult {
  return { notCarriedOver: [], account: emptyBpmnAccount(), problems };
}

/** "ExclusiveGateway" → "Exclusive gateway": the label of a step whose element has no name. */
function humanType(element: El): string {
  const words = localType(element)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `observed` JSON text of a preflight:step as an object, or undefined when it is none. */
function parsedObserved(text: string): Step['observed'] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Step['observed'])
      : undefined;
  } catch {
    return undefined;
  }
}

function finiteAtLeast0(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

const BOUNDARY_TRIGGER_SET = new Set<string>(BOUNDARY_TRIGGERS);
const BPMN_ELEMENT_TYPE_SET = new Set<string>(BPMN_ELEMENT_TYPES);

const TRIGGERS: Record<string, BoundaryTrigger> = {
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:CancelEventDefinition': 'cancel',
};

/** What sets off an event (its first event definition Preflight knows; `none` without one). */
function triggerOf(element: El | undefined): BoundaryTrigger {
  for (const definition of element?.eventDefinitions ?? []) {
    const trigger = TRIGGERS[definition.$type];
    if (trigger) return trigger;
  }
  return 'none';
}

function triggerIsLink(element: El): boolean {
  return (element.eventDefinitions ?? []).some((d) => d.$type === 'bpmn:LinkEventDefinition');
}

interface PendingStep {
  step: Step;
  element: El;
  /** the flattened sub-process it is inside, if any */
  container?: El;
  process: El;
  notes: string[];
  /** what the file says of the step beyond its element: its timer, its performers */
  extras?: Pick<NonNullable<Step['bpmn']>, 'timer' | 'performers'>;
}

/** One import run: state of the mapping of one document. */
class Importer {
  private readonly notCarried: NotCarriedOver[] = [];
  private readonly lanes: Lane[] = [];
  private readonly steps: PendingStep[] = [];
  private readonly stepOf = new Map<El, PendingStep>();
  private readonly stepIds = new Set<string>();
  private readonly flows: Flow[] = [];
  private readonly flowIndex = new Map<string, number>();
  /** lane id of each flow node named in a lane's flowNodeRef */
  private readonly nodeLane = new Map<El, string>();
  /** the default lane of each process (its pool), created on first use */
  private readonly defaultLane = new Map<El, string>();
  private readonly poolOf = new Map<El, El>();
  private readonly sequenceFlows: El[] = [];
  private readonly artifacts: El[] = [];
  /** associations from a compensation boundary event to its handler, kept as flows */
  private readonly compensationLinks = new Set<El>();
  /** inner flow nodes of each flattened sub-process */
  private readonly inner = new Map<El, El[]>();
  private readonly shapes = new Map<string, { bounds: DiBounds; element: El }>();
  private transpose = false;
  private multiPool = false;
  /** the pools of a collaboration of several, and the pool whose lanes are being read */
  private readonly pools: Pool[] = [];
  private currentPool: string | undefined;
  private readonly messageFlows: MessageFlow[] = [];
  private readonly annotations: Annotation[] = [];
  private readonly groups: StepGroup[] = [];
  /** data object and data store references, with the sub-process they are drawn in */
  private readonly dataRefs: DataRef[] = [];
  /**
   * data associations of each activity: what it reads (input) and writes (output); `inner`, the
   * element id that `preflight:dataLink` names for an association a sub-process carries for a
   * step inside it
   */
  private readonly dataLinks: {
    step: El;
    data: El;
    direction: 'readBy' | 'writtenBy';
    inner?: string;
    association: El;
  }[] = [];

  constructor(
    private readonly definitions: El,
    private readonly byId: Record<string, El>,
    private readonly problems: BpmnProblem[],
    /** what the import used and left out on purpose (account.ts completes it) */
    private readonly account: AccountBuilder,
    /** branch chances the file's simulation settings give, by sequence flow id */
    private readonly chances: ReadonlyMap<string, number> = new Map(),
  ) {}

  run(): Omit<BpmnImportResult, 'account'> {
    const roots = this.definitions.rootElements ?? [];
    const collaborations = roots.filter((r) => r.$type === 'bpmn:Collaboration');
    const processes = roots.filter((r) => r.$type === 'bpmn:Process');
    const participants = collaborations.flatMap((c) => c.participants ?? []);
    if (processes.length === 0 && participants.length === 0) {
      this.problems.push({
        severity: 'error',
        code: 'empty',
        message: `the BPMN file has no process and no pool, so there is nothing to import${
          (this.definitions.diagrams ?? []).length > 0
            ? ' (it holds only a diagram, whose shapes name elements the file does not define)'
            : ''
        }: export the process again from the modelling tool as BPMN 2.0 with its process, not only its drawing`,
      });
      return { notCarriedOver: [], problems: this.problems };
    }
    for (const participant of participants) {
      if (participant.processRef) this.poolOf.set(participant.processRef, participant);
    }
    // a process drawn without a pool beside a pool is a party of its own (a message flow goes
    // between parties), as is each of several pools
    const unpooled = processes.filter(
      (process) =>
        !this.poolOf.has(process) && (process.flowElements ?? []).some((e) => isA(e, 'bpmn:FlowNode')),
    );
    this.multiPool = participants.length > 1 || (participants.length > 0 && unpooled.length > 0);
    this.readDiagrams();

    const poolIds = new Set<string>();
    for (const participant of participants) {
      if (this.multiPool) {
        let id = participant.id ?? 'pool';
        for (let n = 2, base = id; poolIds.has(id); n++) id = `${base}-${n}`;
        poolIds.add(id);
        this.pools.push({ id, name: this.nameOf(participant, 'Pool') });
        this.poolIdOf.set(participant, id);
        this.currentPool = id;
        if (participant.processRef) this.processPool.set(participant.processRef, id);
      }
      const process = participant.processRef;
      if (process && processes.includes(process)) this.importProcess(process, participant);
      else this.addLane(participant.id ?? 'pool', this.nameOf(participant, 'Pool'), DEFAULT_LANE_STAFF);
    }
    this.currentPool = undefined;
    for (const process of processes) {
      if (this.poolOf.has(process)) continue;
      // beside several pools, a process drawn without one is a pool of its own, unless it has no
      // step (a tool's holder of the data and notes drawn outside the pools): what it holds is read
      if (this.multiPool && unpooled.includes(process)) {
        let id = process.id ?? 'process';
        for (let n = 2, base = id; poolIds.has(id); n++) id = `${base}-${n}`;
        poolIds.add(id);
        this.pools.push({ id, name: this.nameOf(process, 'Process') });
        this.processPool.set(process, id);
        this.currentPool = id;
      }
      this.importProcess(process, undefined);
      this.currentPool = undefined;
    }

    this.resolveLanes();
    for (const collaboration of collaborations) {
      for (const flow of collaboration.messageFlows ?? []) this.readMessageFlow(flow);
      this.artifacts.push(...(collaboration.artifacts ?? []));
    }

    this.buildFlows();
    this.settleGateways();
    this.recordElements();
    this.readArtifacts();
    this.listVendorExtensions();

    const workflow = this.workflowOf(processes);
    let loaded = loadWorkflow(workflow);
    // measured figures that break the format are the file's, not the model's: left out, said
    if (!loaded.ok && this.dropInvalidObserved(workflow, loaded.problems)) loaded = loadWorkflow(workflow);
    if (!loaded.ok) {
      for (const problem of loaded.problems) {
        this.problems.push({
          severity: 'error',
          code: 'invalid-workflow',
          message: `the imported workflow breaks a rule of the workflow format at ${problem.path || '/'}: ${problem.message}`,
          path: problem.path,
        });
      }
    }
    return { workflow, notCarriedOver: this.notCarried, problems: this.problems };
  }

  // ---- lanes --------------------------------------------------------------------------------

  private nameOf(element: El | undefined, fallback: string): string {
    const name = element?.name;
    return name !== undefined && name.trim() !== '' ? name : (element?.id ?? fallback);
  }

  private addLane(id: string, name: string, staff: number, pool = this.currentPool): string {
    let laneId = id;
    for (let n = 2; this.lanes.some((lane) => lane.id === laneId); n++) laneId = `${id}-${n}`;
    this.lanes.push(pool === undefined ? { id: laneId, name, staff } : { id: laneId, name, staff, pool });
    return laneId;
  }

  /** the pool id of each participant of a collaboration of several, and of each process */
  private readonly poolIdOf = new Map<El, string>();
  private readonly processPool = new Map<El, string>();

  /**
   * A message flow between pools: kept in its own list, its ends a step or a pool (never a flow
   * of the order of work). One whose end is neither is listed.
   */
  private readMessageFlow(flow: El): void {
    const endOf = (end: El | undefined): string | undefined => {
      if (!end) return undefined;
      const step = this.stepOf.get(end);
      if (step) return step.step.id;
      return this.poolIdOf.get(end);
    };
    // Preflight writes a message to a step inside a collapsed sub-process to the sub-process,
    // and names the inner step in its extension: that step is the end when the file has it
    const nested = extensionOf<PfMessage>(flow, 'preflight:Message');
    const innerEnd = (id: string | undefined): El | undefined =>
      id === undefined ? undefined : [...this.stepOf.keys()].find((element) => element.id === id);
    const from = endOf(innerEnd(nested?.from) ?? flow.sourceRef);
    const to = endOf(innerEnd(nested?.to) ?? flow.targetRef);
    if (from === undefined || to === undefined) {
      this.drop(
        flow,
        'a message flow whose end is not a step or a pool',
        'a message flow is kept between steps and pools only',
      );
      return;
    }
    const name = flow.name?.trim();
    this.messageFlows.push({
      ...(flow.id ? { id: flow.id } : {}),
      from,
      to,
      ...(name ? { label: name } : {}),
    });
  }

  private laneStaff(lane: El): number {
    const staff = extensionOf<PfLane>(lane, 'preflight:Lane')?.staff;
    if (staff === undefined) return DEFAULT_LANE_STAFF;
    if (Number.isInteger(staff) && staff >= 0) return staff;
    this.warnExtension(lane, 'preflight:lane staff is not a whole number ≥ 0; 1 is used');
    return DEFAULT_LANE_STAFF;
  }

  private importProcess(process: El, pool: El | undefined): void {
    const poolName = this.nameOf(pool ?? process, 'Process');
    // with several pools each lane names its pool (`pool`), so its name stays its own
    const prefix = this.multiPool && this.currentPool === undefined ? `${poolName} / ` : '';
    for (const laneSet of process.laneSets ?? []) this.importLaneSet(laneSet, prefix, poolName);
    // beside other pools, a pool without lanes is its one lane, in the pools' order
    const hasLanes = (process.laneSets ?? []).some((set) => (set.lanes ?? []).length > 0);
    if (
      this.currentPool !== undefined &&
      !hasLanes &&
      (process.flowElements ?? []).some((e) => isA(e, 'bpmn:FlowNode'))
    )
      this.defaultLaneOf(process);
    // the process's own data inputs and outputs, which its steps read and write
    for (const io of [
      ...(process.ioSpecification?.dataInputs ?? []),
      ...(process.ioSpecification?.dataOutputs ?? []),
    ])
      this.addDataRef(io, undefined);
    this.walk(process.flowElements ?? [], process, undefined);
    this.artifacts.push(...(process.artifacts ?? []));
  }

  /** Flattens a lane set; returns the leaf lane ids created, in order. */
  private importLaneSet(laneSet: El, prefix: string, outer: string): string[] {
    const leaves: string[] = [];
    for (const lane of laneSet.lanes ?? []) {
      // a lane without a name is named after what it is part of (its pool or parent lane)
      const name = lane.name?.trim() ? `${prefix}${lane.name}` : outer;
      const children = lane.childLaneSet?.lanes ?? [];
      let laneIds: string[];
      if (children.length > 0) {
        this.drop(
          lane,
          'the nesting of lanes',
          'Preflight lanes are one level deep; the inner lanes are kept, named with their path',
          'bpmn:lane/bpmn:childLaneSet',
        );
        laneIds = lane.childLaneSet ? this.importLaneSet(lane.childLaneSet, `${name} / `, name) : [];
      } else {
        const ext = extensionOf<PfLane>(lane, 'preflight:Lane');
        laneIds = [this.addLane(ext?.id || lane.id || 'lane', name, this.laneStaff(lane))];
      }
      // a node a parent lane names but none of its children do goes to its first child
      const first = laneIds[0];
      if (first !== undefined) {
        for (const node of lane.flowNodeRef ?? []) {
          if (children.length === 0 || !this.nodeLane.has(node)) this.nodeLane.set(node, first);
        }
      }
      leaves.push(...laneIds);
    }
    return leaves;
  }

  private defaultLaneOf(process: El): string {
    let id = this.defaultLane.get(process);
    if (id === undefined) {
      const pool = this.poolOf.get(process);
      const hasLanes = (process.laneSets ?? []).some((set) => (set.lanes ?? []).length > 0);
      const name = this.nameOf(pool ?? process, 'Process');
      id = this.addLane(
        pool?.id ?? process.id ?? 'process',
        hasLanes ? `${name} (no lane)` : name,
        DEFAULT_LANE_STAFF,
        this.processPool.get(process),
      );
      this.defaultLane.set(process, id);
    }
    return id;
  }

  private resolveLanes(): void {
    const memo = new Map<El, string>();
    const laneOf = (pending: PendingStep, depth: number): string => {
      const known = memo.get(pending.element);
      if (known !== undefined) return known;
      let lane = this.nodeLane.get(pending.element);
      const host = pending.element.attachedToRef;
      const hostStep = host ? this.stepOf.get(host) : undefined;
      const containerStep = pending.container ? this.stepOf.get(pending.container) : undefined;
      if (lane === undefined && hostStep && depth < 64) lane = laneOf(hostStep, depth + 1);
      if (lane === undefined && containerStep && depth < 64) lane = laneOf(containerStep, depth + 1);
      lane ??= this.defaultLaneOf(pending.process);
      memo.set(pending.element, lane);
      return lane;
    };
    for (const pending of this.steps) pending.step.lane = laneOf(pending, 0);
  }

  // ---- steps --------------------------------------------------------------------------------

  private walk(elements: El[], process: El, container: El | undefined): void {
    for (const element of elements) {
      if (element.$type === 'bpmn:SequenceFlow') {
        this.sequenceFlows.push(element);
      } else if (isA(element, 'bpmn:FlowNode')) {
        this.addStep(element, process, container);
        if (isA(element, 'bpmn:SubProcess')) {
          const children = (element.flowElements ?? []).filter((child) => isA(child, 'bpmn:FlowNode'));
          if (children.length > 0) this.inner.set(element, children);
          this.walk(element.flowElements ?? [], process, element);
          this.artifacts.push(...(element.artifacts ?? []));
          for (const laneSet of element.laneSets ?? [])
            this.importLaneSet(laneSet, '', this.nameOf(element, 'Lane'));
        }
      } else if (
        element.$type === 'bpmn:DataObjectReference' ||
        element.$type === 'bpmn:DataStoreReference'
      ) {
        this.addDataRef(element, container);
      } else if (element.$type === 'bpmn:DataObject' && this.isReferenced(element)) {
        // the data object is what its references (the drawn shapes) stand for: kept through them
      } else if (isA(element, 'bpmn:ItemAwareElement') || element.$type === 'bpmn:DataObject') {
        this.drop(
          element,
          'a data object or data store',
          'Preflight describes the work, not the documents it uses; note the data items a step types under "enters"',
        );
      } else {
        this.drop(element, `an element of type ${element.$type}`, 'Preflight has no equivalent for it');
      }
    }
  }

  private isReferenced(dataObject: El): boolean {
    return Object.values(this.byId).some(
      (other) => other.$type === 'bpmn:DataObjectReference' && other.dataObjectRef === dataObject,
    );
  }

  /**
   * A data object or data store reference, or a data input or output of a process: a data object
   * of the workflow (the last with `io`).
   */
  private addDataRef(element: El, container: El | undefined): void {
    const store = element.$type === 'bpmn:DataStoreReference';
    const io = PROCESS_IO[element.$type];
    const named =
      element.name?.trim() || element.dataObjectRef?.name?.trim() || element.dataStoreRef?.name?.trim();
    let id = element.id ?? (store ? 'DataStore' : 'DataObject');
    for (let n = 2, base = id; this.dataRefs.some((ref) => ref.data.id === id); n++) id = `${base}-${n}`;
    const data: DataObject = {
      id,
      label: named || (io ? `Data ${io}` : store ? 'Data store' : 'Data object'),
      kind: store ? 'store' : 'object',
      ...(io ? { io } : {}),
    };
    const shape = element.id ? this.shapes.get(element.id) : undefined;
    if (shape) data.position = this.positionOf(shape.bounds);
    this.dataRefs.push({ element, data, ...(container ? { container } : {}) });
  }

  /**
   * The references that stand for one document: those sharing a data object (or data store), as
   * other tools draw a document again where it is used, and one Preflight marks with
   * `preflight:dataReference` `of` joined to the reference it names. The document is its first
   * reference that is not such a mark (its id, name, place and sub-process); the others that are
   * not marks are its further drawings; a mark (which Preflight's export draws again) stands for
   * the reference it names, and its links are that reference's (`ownerOf`).
   */
  private dataDocuments(): { document: DataRef; drawings: DataRef[]; members: El[]; ownerOf: Map<El, El> }[] {
    const refs = this.dataRefs;
    const parent = refs.map((_, index) => index);
    const find = (index: number): number => {
      let root = index;
      while (parent[root] !== root) root = parent[root] as number;
      parent[index] = root;
      return root;
    };
    const join = (a: number, b: number): void => {
      const [ra, rb] = [find(a), find(b)];
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    };
    const indexOf = new Map(refs.map((ref, index) => [ref.element, index]));
    const firstOfSource = new Map<El, number>();
    const markOf = new Map<number, number>();
    refs.forEach(({ element }, index) => {
      const source = element.dataObjectRef ?? element.dataStoreRef;
      if (source) {
        const first = firstOfSource.get(source);
        if (first === undefined) firstOfSource.set(source, index);
        else join(first, index);
      }
      const mark = extensionOf<PfDataReference>(element, 'preflight:DataReference');
      if (!mark) return;
      const named = mark.of !== undefined ? this.byId[mark.of] : undefined;
      const other = named ? indexOf.get(named) : undefined;
      if (other === undefined || other === index) {
        this.warnExtension(
          element,
          'preflight:dataReference of names no other data object or store reference; read as a reference of its own',
        );
        return;
      }
      markOf.set(index, other);
      join(index, other);
    });
    const groups = new Map<number, number[]>();
    refs.forEach((_, index) => {
      const root = find(index);
      groups.set(root, [...(groups.get(root) ?? []), index]);
    });
    return [...groups.values()]
      .map((indices) => {
        const first = indices.find((index) => !markOf.has(index)) ?? (indices[0] as number);
        const drawn = indices.filter((index) => index === first || !markOf.has(index));
        const ownerOf = new Map<El, El>();
        for (const index of indices) {
          // a mark names the reference it stands for (a mark of a mark: the one that one names)
          let owner = index;
          for (let depth = 0; markOf.has(owner) && depth < indices.length; depth++)
            owner = markOf.get(owner) as number;
          if (!drawn.includes(owner)) owner = first;
          ownerOf.set(refs[index]?.element as El, refs[owner]?.element as El);
        }
        return { first, drawn, ownerOf, members: indices.map((index) => refs[index]?.element as El) };
      })
      .sort((a, b) => a.first - b.first)
      .map(({ first, drawn, ownerOf, members }) => ({
        document: refs[first] as DataRef,
        drawings: drawn.filter((index) => index !== first).map((index) => refs[index] as DataRef),
        members,
        ownerOf,
      }));
  }

  /**
   * The data objects with the steps that read and write them, in the format's field order; a
   * document drawn more than once keeps each further drawing with its own id, name, place,
   * sub-process and the links drawn to it (`drawings`), its links also the document's.
   */
  private dataObjectsOf(): DataObject[] {
    const documents = this.dataDocuments();
    const byElement = new Map<El, { document: DataObject; drawing: DataObject }>();
    for (const { document, drawings, ownerOf } of documents) {
      const drawingOf = new Map([document, ...drawings].map((ref) => [ref.element, ref.data]));
      for (const [member, owner] of ownerOf) {
        byElement.set(member, { document: document.data, drawing: drawingOf.get(owner) ?? document.data });
      }
    }
    const link = (data: DataObject, direction: 'readBy' | 'writtenBy', step: string) => {
      const list = data[direction] ?? [];
      if (!list.includes(step)) list.push(step);
      data[direction] = list;
    };
    for (const dataLink of this.dataLinks) {
      const at = byElement.get(dataLink.data);
      const step = this.stepOf.get(this.dataLinkStep(dataLink))?.step.id;
      if (!at || step === undefined) continue;
      link(at.document, dataLink.direction, step);
      if (at.drawing !== at.document) link(at.drawing, dataLink.direction, step);
    }
    const withinOf = (container: El | undefined) =>
      container ? this.stepOf.get(container)?.step.id : undefined;
    return documents.map(({ document: { data, container, element }, drawings, members }) => {
      const within = withinOf(container);
      const { id, kind, io, readBy, writtenBy, position } = data;
      // a document drawn more than once (other tools name each drawing by the document's state,
      // "ID document [scanned]") is named by the data object or store the drawings share, else
      // by its first named drawing
      const shared = (element.dataObjectRef ?? element.dataStoreRef)?.name?.trim();
      const label =
        members.length === 1
          ? data.label
          : shared || members.map((member) => member.name?.trim()).find((name) => name) || data.label;
      const drawn: DataDrawing[] = drawings.map((drawing) => {
        const own = drawing.element.name?.trim();
        const inside = withinOf(drawing.container);
        const { readBy: reads, writtenBy: writes, position: at } = drawing.data;
        return {
          id: drawing.data.id,
          ...(own && own !== label ? { label: own } : {}),
          ...(reads ? { readBy: reads } : {}),
          ...(writes ? { writtenBy: writes } : {}),
          ...(inside !== undefined ? { within: inside } : {}),
          ...(at ? { position: at } : {}),
        };
      });
      return {
        id,
        label,
        kind,
        ...(io ? { io } : {}),
        ...(readBy ? { readBy } : {}),
        ...(writtenBy ? { writtenBy } : {}),
        ...(within !== undefined ? { within } : {}),
        ...(position ? { position } : {}),
        ...(drawn.length > 0 ? { drawings: drawn } : {}),
      };
    });
  }

  /**
   * The step element a data association is for: the activity that carries it, or the step inside
   * it that its `preflight:dataLink` names (Preflight writes an association of a step inside a
   * collapsed sub-process on the sub-process). A name that is no step inside it is warned about.
   */
  private dataLinkStep(link: { step: El; inner?: string; association: El }): El {
    if (link.inner === undefined) return link.step;
    const inner = [...this.stepOf.keys()].find((element) => element.id === link.inner);
    for (let cursor = inner?.$parent, depth = 0; cursor && depth < 1_000; cursor = cursor.$parent, depth++) {
      if (cursor === link.step) return inner as El;
    }
    this.warnExtension(
      link.association,
      `preflight:dataLink step is not a step inside "${link.step.id ?? '?'}"; the association is kept on it`,
    );
    return link.step;
  }

  private kindOf(element: El, container: El | undefined): { kind: StepKind; note?: string } {
    const type = localType(element);
    if (type === 'StartEvent') {
      return container ? { kind: 'task', note: 'Start of the sub-process it follows.' } : { kind: 'start' };
    }
    if (type === 'EndEvent') {
      // an event sub-process has no way out: the case's path ends with it
      return container && !container.triggeredByEvent
        ? { kind: 'task', note: 'End of a sub-process.' }
        : { kind: 'end' };
    }
    if (type === 'IntermediateCatchEvent' || type === 'BoundaryEvent') return { kind: 'wait' };
    if (type === 'IntermediateThrowEvent') return { kind: 'task', note: 'BPMN intermediate throw event.' };
    // split or join is settled once the flows are known (settleGateways)
    if (type === 'ParallelGateway') return { kind: 'parallel-split' };
    if (type === 'InclusiveGateway') return { kind: 'inclusive-split' };
    if (isA(element, 'bpmn:Gateway')) {
      const note = GATEWAY_NOTES[type] ?? `BPMN ${humanType(element).toLowerCase()}.`;
      return note ? { kind: 'decision', note } : { kind: 'decision' };
    }
    if (type === 'CallActivity') {
      const called = element.calledElement;
      return { kind: 'task', note: called ? `Calls "${called}".` : 'BPMN call activity.' };
    }
    if (isA(element, 'bpmn:SubProcess')) {
      return { kind: 'task', note: 'BPMN sub-process: its inner steps follow it.' };
    }
    return { kind: 'task' };
  }

  /** Leaves out each step's `observed` the format refuses, with a warning; whether any was. */
  private dropInvalidObserved(workflow: Workflow, problems: readonly { path: string }[]): boolean {
    const at = new Set(
      problems.flatMap((p) => {
        const m = /^\/steps\/(\d+)\/observed(?:\/|$)/.exec(p.path);
        return m ? [Number(m[1])] : [];
      }),
    );
    for (const index of at) {
      const step = workflow.steps[index];
      if (!step) continue;
      delete step.observed;
      this.problems.push({
        severity: 'warning',
        code: 'unreadable-element',
        message: `step "${step.id}": its preflight:step observed figures break the workflow format; left out`,
      });
    }
    return at.size > 0;
  }

  private warnExtension(element: El, message: string): void {
    this.problems.push({
      severity: 'warning',
      code: 'unreadable-element',
      message: `element "${element.id ?? '?'}": ${message}`,
      ...(element.id ? { elementId: element.id } : {}),
    });
  }

  private addStep(element: El, process: El, container: El | undefined): void {
    const ext = extensionOf<PfStep>(element, 'preflight:Step');
    const mapped = this.kindOf(element, container);
    let kind = mapped.kind;
    if (ext?.kind !== undefined) {
      if (STEP_KINDS.has(ext.kind)) kind = ext.kind as StepKind;
      else this.warnExtension(element, `preflight:step kind is not a step kind; "${kind}" is used`);
    }
    let medium: StepMedium = element.$type === 'bpmn:ManualTask' ? 'paper' : 'digital';
    if (ext?.medium !== undefined) {
      if (MEDIA.has(ext.medium)) medium = ext.medium as StepMedium;
      else this.warnExtension(element, `preflight:step medium is not a medium; "${medium}" is used`);
    }
    const number = (name: 'touchMin' | 'waitMin' | 'clicks'): number => {
      const value = ext?.[name];
      if (value === undefined) return 0;
      if (finiteAtLeast0(value) && (name !== 'clicks' || Number.isInteger(value))) return value;
      this.warnExtension(element, `preflight:step ${name} is not a number ≥ 0; 0 is used`);
      return 0;
    };

    let id = ext?.id || element.id || `${localType(element)}`;
    if (this.stepIds.has(id) && element.id && !this.stepIds.has(element.id)) id = element.id;
    for (let n = 2, base = id; this.stepIds.has(id); n++) id = `${base}-${n}`;
    this.stepIds.add(id);

    const name = element.name;
    const step: Step = {
      id,
      label: name !== undefined && name.trim() !== '' ? name : humanType(element),
      lane: '', // resolved once every lane and host is known (resolveLanes)
      kind,
      medium,
      system: ext?.system ?? '',
      touchMin: number('touchMin'),
      waitMin: number('waitMin'),
      clicks: number('clicks'),
      enters: (ext?.enters ?? []).filter((item) => item !== ''),
    };
    if (ext?.replaces && ext.replaces.length > 0) step.replaces = [...ext.replaces];
    if (ext?.observed !== undefined) {
      const observed = parsedObserved(ext.observed);
      if (observed) step.observed = observed;
      else this.warnExtension(element, 'preflight:step observed is not an object in JSON; left out');
    }
    if (ext?.trigger !== undefined) {
      if (BOUNDARY_TRIGGER_SET.has(ext.trigger)) {
        step.boundary = {
          ...(ext.attachedTo ? { attachedTo: ext.attachedTo } : {}),
          trigger: ext.trigger as BoundaryTrigger,
          interrupting: ext.interrupting !== false,
        };
      } else this.warnExtension(element, 'preflight:step trigger is not an event trigger; left out');
    }
    const notes = (element.documentation ?? [])
      .map((doc) => doc.text ?? '')
      .filter((note) => note.trim() !== '');
    if (mapped.note && !ext) notes.push(mapped.note);
    const shape = element.id ? this.shapes.get(element.id) : undefined;
    if (shape) {
      step.position = this.positionOf(shape.bounds);
      const size = this.drawnSizeOf(element, shape.bounds);
      if (size) step.size = size;
    }

    const containerStep = container ? this.stepOf.get(container) : undefined;
    if (containerStep) step.within = containerStep.step.id;
    else if (ext?.within) step.within = ext.within;
    const extras = readStepDetails(element, step, {
      tag: this.tagOf(element),
      uriOf: this.uriOf,
      account: this.account,
      ownWait: ext?.waitMin !== undefined,
    });
    const pending: PendingStep = {
      step,
      element,
      process,
      notes,
      ...(container ? { container } : {}),
      ...(extras ? { extras } : {}),
    };
    this.steps.push(pending);
    this.stepOf.set(element, pending);
    this.listLost(element);
  }

  /** Lists what an activity or event carries beyond its step. */
  private listLost(element: El): void {
    const type = localType(element);
    if (type === 'InclusiveGateway' && element.default) {
      this.drop(
        element,
        'its default flow',
        'a Preflight inclusive split takes each branch by its own chance; give the default branch its chance on the flow',
        'bpmn:inclusiveGateway@default',
      );
    }
    if (
      type !== 'ExclusiveGateway' &&
      type !== 'ParallelGateway' &&
      type !== 'InclusiveGateway' &&
      isA(element, 'bpmn:Gateway')
    ) {
      this.drop(
        element,
        `the ${humanType(element).toLowerCase()} semantics`,
        'Preflight decisions take exactly one branch per case; the gateway is kept as a decision with a note',
      );
    }
    if (element.loopCharacteristics) {
      this.drop(
        element,
        'its loop or multi-instance marker',
        'Preflight counts one visit per step; set touch minutes to the total of the repetitions',
        `${this.tagOf(element)}/${this.tagOf(element.loopCharacteristics)}`,
      );
    }
    this.readDataAssociations(element);
  }

  /**
   * What an activity reads (data input associations from a data object or store) and writes
   * (data output associations to one); an association with anything else (a data input of the
   * process, a property) is listed.
   */
  private readDataAssociations(element: El): void {
    const isData = (end: El | undefined): end is El =>
      end?.$type === 'bpmn:DataObjectReference' ||
      end?.$type === 'bpmn:DataStoreReference' ||
      isProcessIo(end);
    const ends = (ref: El | El[] | undefined): El[] => (Array.isArray(ref) ? ref : ref ? [ref] : []);
    const linkOf = (association: El) => {
      const inner = extensionOf<PfDataLink>(association, 'preflight:DataLink')?.step;
      return { step: element, association, ...(inner !== undefined ? { inner } : {}) };
    };
    let lost = 0;
    let lostPath: string | undefined;
    for (const association of element.dataInputAssociations ?? []) {
      // moddle reads a data input association's sources as a list (BPMN allows several)
      const sources = ends(association.sourceRef as El | El[] | undefined).filter(isData);
      if (sources.length === 0) {
        lost++;
        lostPath ??= this.pathOf(association);
      }
      for (const data of sources) this.dataLinks.push({ ...linkOf(association), data, direction: 'readBy' });
    }
    for (const association of element.dataOutputAssociations ?? []) {
      const target = association.targetRef;
      if (isData(target))
        this.dataLinks.push({ ...linkOf(association), data: target, direction: 'writtenBy' });
      else {
        lost++;
        lostPath ??= this.pathOf(association);
      }
    }
    if (lost > 0) {
      this.drop(
        element,
        `${lost} data association${lost === 1 ? '' : 's'} with no data object or store at its end`,
        'Preflight keeps what a step reads from and writes to data objects and stores',
        lostPath,
      );
    }
  }

  /**
   * The size a step's shape was drawn at, kept so the editor draws the model as modeled: every
   * shape of another tool's file; of Preflight's own export only a size other than the one it
   * writes for the element (its shapes are Preflight's drawing, drawn at Preflight's sizes).
   */
  private drawnSizeOf(element: El, bounds: DiBounds): { width: number; height: number } | undefined {
    const drawn = this.transpose ? { width: bounds.height, height: bounds.width } : bounds;
    // whole pixels, rounded once here: the export then writes the same size wherever the shape
    // lands (a 41.57 wide gateway rounded at each edge on export came out 41 or 42 wide)
    const width = Math.round(drawn.width);
    const height = Math.round(drawn.height);
    if (!(width > 0 && height > 0)) return undefined;
    if (this.definitions.exporter === EXPORTER) {
      const own = elementSize(localType(element));
      if (own.width === width && own.height === height) return undefined;
    }
    return { width, height };
  }

  private positionOf(bounds: DiBounds): { x: number; y: number } {
    const box = this.transpose
      ? { x: bounds.y, y: bounds.x, width: bounds.height, height: bounds.width }
      : bounds;
    return positionOfBounds(box);
  }

  // ---- DI -----------------------------------------------------------------------------------

  private readDiagrams(): void {
    for (const diagram of this.definitions.diagrams ?? []) {
      // A plane of a sub-process (a collapsed sub-process drawn on its own page, as bpmn.io does)
      // has coordinates of its own: its steps get no position rather than one on top of the main
      // drawing, and are laid out with the rest.
      // Preflight's own pages hold the inner steps at their places in the workflow's drawing.
      const subProcessPage = diagram.plane?.bpmnElement && isA(diagram.plane.bpmnElement, 'bpmn:SubProcess');
      if (subProcessPage && this.definitions.exporter !== EXPORTER) continue;
      for (const shape of diagram.plane?.planeElement ?? []) {
        const target = shape.bpmnElement;
        if (shape.$type !== 'bpmndi:BPMNShape' || !target?.id || !shape.bounds) continue;
        if (!this.shapes.has(target.id))
          this.shapes.set(target.id, { bounds: shape.bounds, element: target });
        const isLaneOrPool = target.$type === 'bpmn:Lane' || target.$type === 'bpmn:Participant';
        if (isLaneOrPool && shape.isHorizontal === false && !this.transpose) {
          this.transpose = true;
          this.drop(
            target,
            'the vertical orientation of its lanes',
            'Preflight draws lanes as horizontal bands; the positions are turned by 90°',
            'bpmndi:BPMNShape@isHorizontal',
          );
        }
      }
    }
  }

  // ---- flows --------------------------------------------------------------------------------

  /** The steps a flow leaving `element` leaves from: a flattened sub-process leaves from its ends. */
  private exitsOf(element: El, depth = 0): PendingStep[] {
    const children = this.inner.get(element);
    const own = this.stepOf.get(element);
    if (!children || element.triggeredByEvent || depth > 32) return own ? [own] : [];
    const outgoing = new Set(
      this.sequenceFlows.filter((f) => f.sourceRef && children.includes(f.sourceRef)).map((f) => f.sourceRef),
    );
    let ends = children.filter((c) => c.$type === 'bpmn:EndEvent');
    if (ends.length === 0)
      ends = children.filter((c) => !outgoing.has(c) && c.$type !== 'bpmn:BoundaryEvent');
    const exits = ends.flatMap((end) => this.exitsOf(end, depth + 1));
    return exits.length > 0 ? exits : own ? [own] : [];
  }

  private entriesOf(element: El): PendingStep[] {
    const children = this.inner.get(element) ?? [];
    const incoming = new Set(
      this.sequenceFlows.filter((f) => f.targetRef && children.includes(f.targetRef)).map((f) => f.targetRef),
    );
    let starts = children.filter((c) => c.$type === 'bpmn:StartEvent');
    if (starts.length === 0) {
      starts = children.filter(
        (c) =>
          !incoming.has(c) &&
          c.$type !== 'bpmn:BoundaryEvent' &&
          !(c as { isForCompensation?: boolean }).isForCompensation &&
          !c.triggeredByEvent,
      );
    }
    return starts.flatMap((start) => {
      const step = this.stepOf.get(start);
      return step ? [step] : [];
    });
  }

  private addFlow(from: PendingStep, to: PendingStep, origin: El | undefined): void {
    let probability: number | undefined;
    let transfer: FlowTransfer = 'none';
    const ext = origin ? extensionOf<PfFlow>(origin, 'preflight:Flow') : undefined;
    if (ext?.probability !== undefined) {
      if (finiteAtLeast0(ext.probability) && ext.probability <= 1) probability = ext.probability;
      else if (origin)
        this.warnExtension(origin, 'preflight:flow probability is not between 0 and 1; left out');
    } else if (origin?.id !== undefined) {
      probability = this.chances.get(origin.id);
    }
    let branch: Flow['branch'];
    if (ext?.branch !== undefined) {
      if (ext.branch === 'condition' || ext.branch === 'default') branch = ext.branch;
      else if (origin)
        this.warnExtension(origin, 'preflight:flow branch is neither condition nor default; left out');
    }
    if (ext?.transfer !== undefined) {
      if (TRANSFERS.has(ext.transfer)) transfer = ext.transfer as FlowTransfer;
      else if (origin)
        this.warnExtension(origin, 'preflight:flow transfer is not a transfer kind; "none" is used');
    }
    const key = JSON.stringify([from.step.id, to.step.id]);
    const existing = this.flowIndex.get(key);
    if (existing !== undefined) {
      const flow = this.flows[existing];
      if (flow && probability !== undefined)
        flow.probability = Math.min(1, (flow.probability ?? 0) + probability);
      if (origin) {
        this.drop(
          origin,
          'a second sequence flow between the same two steps',
          'a workflow has one flow per pair of steps; the flows are merged (their probabilities added)',
        );
      }
      return;
    }
    const flow: Flow =
      probability === undefined
        ? { from: from.step.id, to: to.step.id, transfer }
        : { from: from.step.id, to: to.step.id, probability, transfer };
    if (branch) flow.branch = branch;
    this.flowIndex.set(key, this.flows.length);
    this.flows.push(flow);
  }

  /**
   * Parallel and inclusive gateways without a `preflight:step` kind: a split when the gateway is
   * marked diverging, or (unmarked or mixed) has more than one outgoing flow; otherwise a join. A
   * mixed gateway (several flows in and out) becomes a split, and its joining is listed.
   */
  private settleGateways(): void {
    const out = new Map<string, number>();
    const into = new Map<string, number>();
    for (const flow of this.flows) {
      out.set(flow.from, (out.get(flow.from) ?? 0) + 1);
      into.set(flow.to, (into.get(flow.to) ?? 0) + 1);
    }
    for (const { step, element } of this.steps) {
      const type = localType(element);
      if (type !== 'ParallelGateway' && type !== 'InclusiveGateway') continue;
      const ext = extensionOf<PfStep>(element, 'preflight:Step');
      if (ext?.kind !== undefined && STEP_KINDS.has(ext.kind)) continue;
      const family = type === 'ParallelGateway' ? 'parallel' : 'inclusive';
      const direction = element.gatewayDirection;
      const outs = out.get(step.id) ?? 0;
      const ins = into.get(step.id) ?? 0;
      const split = direction === 'Diverging' || (direction !== 'Converging' && outs > 1);
      step.kind = split ? `${family}-split` : `${family}-join`;
      if (split && ins > 1) {
        this.drop(
          element,
          'its joining of the incoming branches (a gateway that both joins and splits)',
          `Preflight keeps it as a ${family} split; add a ${family} join before it so the analysis waits for every branch`,
        );
      }
    }
  }

  private buildFlows(): void {
    for (const sequenceFlow of this.sequenceFlows) {
      const source = sequenceFlow.sourceRef;
      const target = sequenceFlow.targetRef;
      const to = target ? this.stepOf.get(target) : undefined;
      const froms = source ? this.exitsOf(source) : [];
      if (!to || froms.length === 0) {
        this.drop(
          sequenceFlow,
          'a sequence flow',
          'its source or target is missing from the file or is not a step, so it connects nothing',
        );
        continue;
      }
      for (const from of froms) this.addFlow(from, to, sequenceFlow);
      this.markBranch(froms, to, sequenceFlow);
      const sourceStep = source ? this.stepOf.get(source) : undefined;
      this.noteBranch(sourceStep, to, sequenceFlow);
    }
    for (const [container] of this.inner) {
      const own = this.stepOf.get(container);
      if (!own) continue;
      const entries = this.entriesOf(container);
      for (const entry of entries) this.addFlow(own, entry, undefined);
      // an event sub-process starts when its event happens, not after the step before it
      if (container.triggeredByEvent) {
        const start = entries[0]?.element;
        own.step.boundary = {
          trigger: triggerOf(start),
          interrupting: start?.isInterrupting !== false,
        };
      }
    }
    for (const pending of this.steps) {
      const host = pending.element.attachedToRef;
      const hostStep = host ? this.stepOf.get(host) : undefined;
      if (!hostStep) continue;
      // a boundary event sits on its activity's border, on the activity's page, even when a tool
      // wrote it inside the sub-process it is attached to (bpmn-js lets one drop it there)
      if (pending.container === host) {
        if (hostStep.container) pending.container = hostStep.container;
        else delete pending.container;
        if (hostStep.step.within !== undefined) pending.step.within = hostStep.step.within;
        else delete pending.step.within;
      }
      // the exception path's chance and transfer, when Preflight wrote them on the event
      this.addFlow(hostStep, pending, pending.element);
      pending.step.boundary = {
        attachedTo: hostStep.step.id,
        trigger: triggerOf(pending.element),
        interrupting: pending.element.cancelActivity !== false,
      };
    }
    this.linkEvents();
    this.compensationHandlers();
  }

  /**
   * A link throw event goes on at its link catch event (BPMN's go-to across a page): the pair is
   * connected by a flow. The catch is the one its link definition names as `target` (or whose
   * definition names it as a `source`), else the one of the same name at the same level (the same
   * sub-process, else the process): the definitions' names, else the events' names, else any name
   * one gives matching any the other gives (a tool that names only the definition on one side).
   */
  private linkEvents(): void {
    const definitionOf = (element: El): El | undefined =>
      (element.eventDefinitions ?? []).find((d) => d.$type === 'bpmn:LinkEventDefinition');
    const names = (element: El): string[] =>
      [definitionOf(element)?.name?.trim(), element.name?.trim()].filter((n): n is string => !!n);
    const catches = this.steps.filter(
      (p) => p.element.$type === 'bpmn:IntermediateCatchEvent' && triggerIsLink(p.element),
    );
    for (const thrower of this.steps) {
      if (thrower.element.$type !== 'bpmn:IntermediateThrowEvent' || !triggerIsLink(thrower.element))
        continue;
      const target = this.linkCatchOf(thrower, catches, definitionOf, names);
      if (target) this.addFlow(thrower, target, undefined);
      else
        this.drop(
          thrower.element,
          'the link to its paired link event',
          'no link catch event of the same name is in its process; connect the two steps with a flow',
          'bpmn:intermediateThrowEvent/bpmn:linkEventDefinition',
        );
    }
  }

  /** The link catch event a link throw event goes on at (see {@link linkEvents}). */
  private linkCatchOf(
    thrower: PendingStep,
    catches: readonly PendingStep[],
    definitionOf: (element: El) => El | undefined,
    names: (element: El) => string[],
  ): PendingStep | undefined {
    const throwDefinition = definitionOf(thrower.element);
    const referenced = catches.find((c) => {
      const catchDefinition = definitionOf(c.element);
      if (throwDefinition === undefined || catchDefinition === undefined) return false;
      return (
        throwDefinition.target === catchDefinition ||
        (Array.isArray(catchDefinition.source) && catchDefinition.source.includes(throwDefinition))
      );
    });
    if (referenced) return referenced;
    const level = catches.filter((c) => c.process === thrower.process && c.container === thrower.container);
    const own = names(thrower.element);
    if (own.length === 0) return undefined;
    const first = (match: (theirs: string[]) => boolean) => level.find((c) => match(names(c.element)));
    return (
      first((theirs) => theirs[0] === own[0]) ?? first((theirs) => theirs.some((name) => own.includes(name)))
    );
  }

  /** A compensation boundary event's handler (joined to it by an association) follows it. */
  private compensationHandlers(): void {
    for (const artifact of this.artifacts) {
      if (artifact.$type !== 'bpmn:Association') continue;
      const source = artifact.sourceRef ? this.stepOf.get(artifact.sourceRef) : undefined;
      const target = artifact.targetRef ? this.stepOf.get(artifact.targetRef) : undefined;
      if (!source || !target || source.step.boundary?.trigger !== 'compensation') continue;
      this.addFlow(source, target, artifact);
      this.compensationLinks.add(artifact);
    }
  }

  /**
   * Records in `step.bpmn` the element each step was (a service task, a call activity, a message
   * event…) where export would write another one for the step as it now stands (elements.ts),
   * so the round trip keeps it. A boundary event attached to its activity needs none: its
   * `boundary` says it.
   */
  private recordElements(): void {
    for (const { step, element, extras } of this.steps) {
      const local = localType(element);
      const actual = `${local.charAt(0).toLowerCase()}${local.slice(1)}`;
      if (!BPMN_ELEMENT_TYPE_SET.has(actual)) continue;
      const type = actual as BpmnElementType;
      if (step.boundary?.attachedTo !== undefined && element.$type === 'bpmn:BoundaryEvent') {
        if (extras) step.bpmn = { type, ...extras };
        continue;
      }
      const expected = defaultElementOf(step);
      let trigger: BpmnEventTrigger | undefined;
      if (EVENT_ELEMENTS.has(type)) {
        const found =
          (element.eventDefinitions ?? [])
            .map((definition) => TRIGGER_OF_DEFINITION.get(definition.$type))
            .find((t) => t !== undefined) ?? 'none';
        if (found !== defaultTriggerOf(step, type)) trigger = found;
      }
      if (type !== expected || trigger !== undefined || extras)
        step.bpmn = { type, ...(trigger === undefined ? {} : { trigger }), ...extras };
    }
  }

  /** Marks the flows made of an activity's conditional or default sequence flow (`branch`). */
  private markBranch(froms: readonly PendingStep[], to: PendingStep, sequenceFlow: El): void {
    const source = sequenceFlow.sourceRef;
    // a gateway's kind already says how its flows are taken
    if (!source || isA(source, 'bpmn:Gateway')) return;
    const branch =
      source.default === sequenceFlow
        ? 'default'
        : sequenceFlow.conditionExpression
          ? 'condition'
          : undefined;
    if (!branch) return;
    for (const from of froms) {
      const index = this.flowIndex.get(JSON.stringify([from.step.id, to.step.id]));
      const flow = index === undefined ? undefined : this.flows[index];
      if (flow) flow.branch = branch;
    }
  }

  /** Keeps a flow's name and condition in its source step's notes (flows have no notes). */
  private noteBranch(source: PendingStep | undefined, to: PendingStep, flow: El): void {
    if (!source) return;
    const probability = extensionOf<PfFlow>(flow, 'preflight:Flow')?.probability;
    const written = probability !== undefined && flow.name === probabilityLabel(probability);
    const name = written ? undefined : flow.name?.trim();
    const condition = flow.conditionExpression?.body?.trim();
    if (!name && !condition) return;
    const parts = [`→ "${to.step.label}"`];
    if (name) parts.push(`: ${name}`);
    if (condition) parts.push(` (condition: ${condition})`);
    source.notes.push(parts.join(''));
  }

  // ---- artifacts and extensions ---------------------------------------------------------------

  /** A shape's bounds in the workflow's coordinates (turned with vertical lanes), if it is drawn. */
  private drawnBounds(element: El): DrawnBounds | undefined {
    const shape = element.id ? this.shapes.get(element.id) : undefined;
    if (!shape) return undefined;
    const { x, y, width, height } = shape.bounds;
    return this.transpose ? { x: y, y: x, width: height, height: width } : { x, y, width, height };
  }

  /** Ids of the steps whose shape's centre lies inside `bounds` (what a group is drawn around). */
  private stepsInside(bounds: DrawnBounds): string[] {
    return this.steps.flatMap(({ step, element }) => {
      const drawn = this.drawnBounds(element);
      if (!drawn || step.boundary?.attachedTo !== undefined) return [];
      const cx = drawn.x + drawn.width / 2;
      const cy = drawn.y + drawn.height / 2;
      const inside =
        cx >= bounds.x && cx <= bounds.x + bounds.width && cy >= bounds.y && cy <= bounds.y + bounds.height;
      return inside ? [step.id] : [];
    });
  }

  /**
   * Text annotations (with the steps they are attached to) and groups (with the steps drawn inside
   * them), kept for the drawing; messages and data joined by plain associations.
   */
  private readArtifacts(): void {
    const attached = new Set<El>();
    const annotationSteps = new Map<El, string[]>();
    for (const artifact of this.artifacts) {
      if (artifact.$type !== 'bpmn:Association') continue;
      // a message between two steps of one pool, as Preflight writes it (BPMN has no message
      // flow inside a pool)
      const message = extensionOf<PfMessage>(artifact, 'preflight:Message');
      const from = artifact.sourceRef ? this.stepOf.get(artifact.sourceRef) : undefined;
      const to = artifact.targetRef ? this.stepOf.get(artifact.targetRef) : undefined;
      if (message && from && to) {
        const label = message.label?.trim();
        this.messageFlows.push({
          ...(artifact.id ? { id: artifact.id } : {}),
          from: from.step.id,
          to: to.step.id,
          ...(label ? { label } : {}),
        });
        attached.add(artifact);
        continue;
      }
      // data drawn joined to an activity by a plain association (as BPMN 1 did, and as some tools
      // still write it): read when the data is the source, written when it is the target
      const isData = (end: El | undefined) =>
        end?.$type === 'bpmn:DataObjectReference' || end?.$type === 'bpmn:DataStoreReference';
      const activity = (end: El | undefined) => (end && isA(end, 'bpmn:Activity') ? end : undefined);
      const reader = isData(artifact.sourceRef) ? activity(artifact.targetRef) : undefined;
      const writer = isData(artifact.targetRef) ? activity(artifact.sourceRef) : undefined;
      if (reader && this.stepOf.has(reader)) {
        this.dataLinks.push({
          step: reader,
          data: artifact.sourceRef as El,
          direction: 'readBy',
          association: artifact,
        });
        attached.add(artifact);
        continue;
      }
      if (writer && this.stepOf.has(writer)) {
        this.dataLinks.push({
          step: writer,
          data: artifact.targetRef as El,
          direction: 'writtenBy',
          association: artifact,
        });
        attached.add(artifact);
        continue;
      }
      const ends = [artifact.sourceRef, artifact.targetRef];
      const annotation = ends.find((end) => end?.$type === 'bpmn:TextAnnotation');
      const other = ends.find((end) => end !== annotation);
      const step = other ? this.stepOf.get(other) : undefined;
      if (annotation && step && annotation.text?.trim()) {
        const list = annotationSteps.get(annotation) ?? [];
        if (!list.includes(step.step.id)) list.push(step.step.id);
        annotationSteps.set(annotation, list);
        attached.add(artifact);
      }
    }
    for (const artifact of this.artifacts) {
      if (attached.has(artifact) || this.compensationLinks.has(artifact)) continue;
      if (artifact.$type === 'bpmn:TextAnnotation' && artifact.id && artifact.text?.trim()) {
        const steps = annotationSteps.get(artifact);
        const bounds = this.drawnBounds(artifact);
        this.annotations.push({
          id: artifact.id,
          text: artifact.text.trim(),
          ...(steps ? { steps } : {}),
          ...(bounds ? { bounds } : {}),
        });
      } else if (artifact.$type === 'bpmn:TextAnnotation') {
        this.drop(artifact, 'a text annotation without text', 'there is nothing to show');
      } else if (artifact.$type === 'bpmn:Association') {
        this.drop(
          artifact,
          'an association',
          'Preflight keeps associations only between a step and its annotation',
        );
      } else if (artifact.$type === 'bpmn:Group' && artifact.id) {
        const bounds = this.drawnBounds(artifact);
        const label = artifact.categoryValueRef?.value?.trim();
        const steps = bounds ? this.stepsInside(bounds) : [];
        this.groups.push({
          id: artifact.id,
          ...(label ? { label } : {}),
          ...(steps.length > 0 ? { steps } : {}),
          ...(bounds ? { bounds } : {}),
        });
      } else {
        this.drop(artifact, `an artifact of type ${artifact.$type}`, 'Preflight has no equivalent for it');
      }
    }
  }

  /** One entry per vendor namespace prefix: other tools' extension elements and attributes. */
  private listVendorExtensions(): void {
    const seen = new Map<string, { count: number; elementId: string }>();
    const count = (prefix: string, owner: El): void => {
      const entry = seen.get(prefix);
      if (entry) entry.count++;
      else seen.set(prefix, { count: 1, elementId: owner.id ?? this.definitions.id ?? '?' });
    };
    const elements = [this.definitions, ...Object.values(this.byId)];
    // colours of the drawing's shapes and edges (bpmn-moddle reads both packages as properties)
    for (const diagram of this.definitions.diagrams ?? []) {
      for (const drawn of (diagram.plane?.planeElement ?? []) as (El & Record<string, unknown>)[]) {
        const owner = drawn.bpmnElement ?? drawn;
        if (drawn.stroke !== undefined || drawn.fill !== undefined) count('bioc', owner);
        const label = drawn.label as Record<string, unknown> | undefined;
        if (drawn['background-color'] !== undefined || drawn['border-color'] !== undefined || label?.color)
          count('color', owner);
      }
    }
    // what the import kept of another tool (a Camunda assignee) is not listed as lost
    const used = new Set(this.account.finish().used);
    const kept = (name: string) => used.has(name);
    for (const element of elements) {
      for (const key of Object.keys(element.$attrs ?? {})) {
        const prefix = key.includes(':') ? key.slice(0, key.indexOf(':')) : '';
        const name = `${this.tagOf(element)}@${accountName(this.uriOf(prefix), prefix, key.slice(prefix.length + 1))}`;
        if (prefix && !PLUMBING_PREFIXES.has(prefix) && !KNOWN_PACKAGES.has(prefix) && !kept(name))
          count(prefix, element);
      }
      for (const value of element.extensionElements?.values ?? []) {
        const prefix = value.$type.includes(':') ? value.$type.slice(0, value.$type.indexOf(':')) : '';
        if (!KNOWN_PACKAGES.has(prefix) && !kept(`bpmn:extensionElements/${this.tagOf(value)}`))
          count(prefix || '(none)', element);
      }
    }
    for (const [prefix, { count: n, elementId }] of seen) {
      if (COLOUR_PREFIXES.has(prefix)) {
        this.notCarried.push({
          elementId,
          elementType: `xmlns:${prefix}`,
          what: `${n} colour${n === 1 ? '' : 's'} given to shapes or flows (namespace prefix "${prefix}")`,
          why: 'Preflight draws steps in its own colours; colours set in another tool are not kept',
        });
        continue;
      }
      this.notCarried.push({
        elementId,
        elementType: `xmlns:${prefix}`,
        what: `${n} extension element${n === 1 ? '' : 's'} or attribute${n === 1 ? '' : 's'} of another tool (namespace prefix "${prefix}")`,
        why: 'Preflight reads only its own extension (preflight:); other tools’ settings are not kept',
      });
    }
  }

  /**
   * Lists what the workflow does not carry: one entry of `notCarriedOver` and the same as a line
   * of the account, under `name` (the element's path, or the attribute or child that is lost).
   */
  private drop(element: El, what: string, why: string, name = this.pathOf(element)): void {
    let owner: El | undefined = element;
    while (owner && !owner.id) owner = owner.$parent;
    const elementId = owner?.id ?? '?';
    this.notCarried.push({ elementId, elementType: element.$type, what, why });
    this.account.notUsed(name.includes('@') ? 'attribute' : 'element', name, `${what}: ${why}`, {
      elementId,
    });
  }

  /** The file's names as the account names them (account.ts), made on first use. */
  private fileNames: FileNames | undefined;
  private get names(): FileNames {
    this.fileNames ??= fileNames(this.definitions, this.byId);
    return this.fileNames;
  }
  private readonly uriOf = (prefix: string): string | undefined => this.names.uriOf(prefix);
  private tagOf(element: El): string {
    return this.names.tagOf(element);
  }
  private pathOf(element: El): string {
    return this.names.pathOf(element);
  }

  // ---- the workflow -------------------------------------------------------------------------

  private workflowOf(processes: El[]): Workflow {
    // the first process carrying the extension (Preflight writes one process)
    const carrier = processes.find((process) => extensionOf<PfWorkflow>(process, 'preflight:Workflow'));
    const ext = carrier ? extensionOf<PfWorkflow>(carrier, 'preflight:Workflow') : undefined;
    const first = processes[0];
    const pool = first ? this.poolOf.get(first) : undefined;
    const id = ext?.id || carrier?.id || first?.id || this.definitions.id || FALLBACK_WORKFLOW_ID;
    // the name is the pool's (or process's) name, which other tools let people edit
    // with several pools the workflow is named by the definitions (or the first process), not a pool
    const candidates = this.multiPool
      ? [this.definitions.name, first?.name, pool?.name]
      : [pool?.name, first?.name, this.definitions.name];
    const named = candidates.find((name): name is string => name !== undefined && name.trim() !== '');
    const state = ext?.state === 'future' ? 'future' : 'current';
    if (carrier && ext?.state !== undefined && ext.state !== 'future' && ext.state !== 'current') {
      this.warnExtension(carrier, 'preflight:workflow state is neither current nor future; current is used');
    }
    const workflow: Workflow = {
      format: WORKFLOW_FORMAT,
      id,
      name: named ?? id,
      ...(ext?.process ? { process: ext.process } : {}),
      ...(ext?.description !== undefined ? { description: ext.description } : {}),
      state,
      ...(state === 'future' && ext?.baseline ? { baseline: ext.baseline } : {}),
      arrivalsPerHour: finiteAtLeast0(ext?.arrivalsPerHour) ? ext.arrivalsPerHour : 0,
      ...(finiteAtLeast0(ext?.casesPerDay) ? { casesPerDay: ext.casesPerDay } : {}),
      lanes: this.lanes,
      steps: this.steps.map(({ step, notes }) =>
        notes.length > 0 ? { ...step, notes: notes.join('\n') } : step,
      ),
      flows: this.flows,
    };
    if (this.pools.length > 0) workflow.pools = this.pools;
    if (this.messageFlows.length > 0) workflow.messageFlows = this.messageFlows;
    const dataObjects = this.dataObjectsOf();
    if (dataObjects.length > 0) workflow.dataObjects = dataObjects;
    if (this.annotations.length > 0) workflow.annotations = this.annotations;
    if (this.groups.length > 0) workflow.groups = this.groups;
    // notes sit before position in the step's field order: rebuild order for stable JSON
    workflow.steps = workflow.steps.map(orderStep);
    if (state === 'future' && ext?.retired && ext.retired.length > 0) workflow.retired = [...ext.retired];
    if (ext?.capacityFactor !== undefined && ext.productivityFactor !== undefined) {
      workflow.goLive = { capacityFactor: ext.capacityFactor, productivityFactor: ext.productivityFactor };
    }
    return workflow;
  }
}

/** A step with its fields in the format's documented order (stable, diff-friendly JSON). */
function orderStep(step: Step): Step {
  const {
    id,
    label,
    lane,
    kind,
    medium,
    system,
    touchMin,
    waitMin,
    clicks,
    enters,
    replaces,
    notes,
    boundary,
    bpmn,
    within,
    observed,
    position,
    size,
  } = step;
  return {
    id,
    label,
    lane,
    kind,
    medium,
    system,
    touchMin,
    waitMin,
    clicks,
    enters,
    ...(replaces ? { replaces } : {}),
    ...(notes !== undefined ? { notes } : {}),
    ...(boundary ? { boundary } : {}),
    ...(bpmn ? { bpmn } : {}),
    ...(within !== undefined ? { within } : {}),
    ...(observed ? { observed } : {}),
    ...(position ? { position } : {}),
    ...(size ? { size } : {}),
  };
}
