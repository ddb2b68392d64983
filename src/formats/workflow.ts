/**
 * `preflight.workflow/v1`: one state (current or future) of one clinic process.
 * Public format: users' files depend on it. Extend only with optional fields; anything
 * else needs a v2 tag, a migration in this file and a note in the README.
 */

import { validateWorkflow } from './generated/validators.js';
import {
  duplicateIdProblems,
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  pointer,
  problem,
} from './loading.ts';

export const WORKFLOW_FORMAT = 'preflight.workflow/v1';

export type WorkflowState = 'current' | 'future';
export type StepKind = 'start' | 'end' | 'task' | 'decision' | 'approval' | 'wait' | GatewayKind;

/**
 * Gateways that run branches at the same time: a parallel split sends a case down every outgoing
 * flow, a parallel join waits for all of its incoming flows; an inclusive split sends it down each
 * flow whose probability fires (at least one), an inclusive join waits for the branches taken.
 * A `decision` is the exclusive gateway: exactly one flow per case.
 */
export type GatewayKind = 'parallel-split' | 'parallel-join' | 'inclusive-split' | 'inclusive-join';

/** Every {@link GatewayKind}, in the order the editor offers them. */
export const GATEWAY_KINDS: readonly GatewayKind[] = [
  'parallel-split',
  'parallel-join',
  'inclusive-split',
  'inclusive-join',
];

/** True for a parallel or inclusive gateway (split or join). */
export function isGateway(kind: StepKind): kind is GatewayKind {
  return (GATEWAY_KINDS as readonly string[]).includes(kind);
}

/**
 * True for a step whose outgoing flows are not alternatives (parallel or inclusive split): their
 * probabilities are independent chances (inclusive) or ignored (parallel), never a sum of 1.
 */
export function isConcurrentSplit(kind: StepKind): boolean {
  return kind === 'parallel-split' || kind === 'inclusive-split';
}
export type StepMedium = 'paper' | 'fax' | 'phone' | 'verbal' | 'digital';

/** What sets off a {@link StepBoundary} event (BPMN's event definitions; `none` when unsaid). */
export type BoundaryTrigger =
  | 'timer'
  | 'error'
  | 'message'
  | 'escalation'
  | 'signal'
  | 'conditional'
  | 'compensation'
  | 'cancel'
  | 'none';

/** Every {@link BoundaryTrigger}, in the order the schema lists them. */
export const BOUNDARY_TRIGGERS: readonly BoundaryTrigger[] = [
  'timer',
  'error',
  'message',
  'escalation',
  'signal',
  'conditional',
  'compensation',
  'cancel',
  'none',
];

/**
 * A step that an event starts, not the step before it: a BPMN boundary event attached to a
 * task (`attachedTo`; the flow from the task to this step is its exception path), or, without
 * `attachedTo`, the start of an event sub-process (it runs when its event happens while the
 * process is under way). An exception path is taken with the chance on the flow from the task
 * to this step, or {@link DEFAULT_BOUNDARY_CHANCE} when the flow has none — never an even split.
 * An interrupting event ends the task's normal path for the cases it catches; a
 * non-interrupting one starts its path while the normal path goes on.
 */
export interface StepBoundary {
  /** id of the step the event is attached to; absent for the start of an event sub-process */
  attachedTo?: string;
  trigger: BoundaryTrigger;
  interrupting: boolean;
}

/**
 * The chance that a boundary event's exception path is taken when its flow gives none: a stated,
 * small default (an exception is the exception), which the analyst replaces by setting the
 * chance on the flow or by measuring it from an event log.
 */
export const DEFAULT_BOUNDARY_CHANCE = 0.05;

/**
 * True when `flow` is the exception path of a boundary event attached to the step it leaves
 * (`stepsById` indexes the workflow's steps).
 */
export function isBoundaryFlow(
  flow: { from: string; to: string },
  stepsById: ReadonlyMap<string, Step>,
): boolean {
  return stepsById.get(flow.to)?.boundary?.attachedTo === flow.from;
}
export type FlowTransfer = 'none' | 'electronic' | 'manual' | 'paper';

/**
 * The BPMN element a step is drawn as when its kind alone does not say (a user, service, manual,
 * script, send, receive or business-rule task; a call activity or sub-process; an event-based or
 * complex gateway; an intermediate throw event; the start or end event inside a sub-process),
 * with its event's trigger. Import records it and export writes it back; the analysis does not
 * read it. Names are BPMN's own (local element names and event definitions).
 */
export interface StepBpmn {
  type: BpmnElementType;
  /** the event's definition, for events whose trigger the step's kind does not say */
  trigger?: BpmnEventTrigger;
  /** a timer event's time, as the file wrote it (added compatibly) */
  timer?: StepTimer;
  /** who does the activity, as the file named them (added compatibly) */
  performers?: StepPerformer[];
}

/**
 * A BPMN timer as written: `duration` (`P5D`), `date` (an instant) or `cycle` (`R3/PT10M`), or
 * an engine's expression in any of them (`=reminderDue`). Import turns what it can into the
 * step's `waitMin`; export writes the expression back unchanged.
 */
export interface StepTimer {
  kind: 'duration' | 'date' | 'cycle';
  expression: string;
}

/** Where a performer was named: a BPMN resource role, or a Camunda assignment. */
export const PERFORMER_SOURCES = [
  'performer',
  'humanPerformer',
  'potentialOwner',
  'camunda:assignee',
  'camunda:candidateGroups',
  'camunda:candidateUsers',
  'zeebe:assignee',
  'zeebe:candidateGroups',
  'zeebe:candidateUsers',
] as const;
export type PerformerSource = (typeof PERFORMER_SOURCES)[number];

/**
 * One performer of an activity as the file names it: a BPMN resource role (`humanPerformer`,
 * `potentialOwner`, `performer`) by its resource's name or its assignment expression, or a
 * Camunda 7 or 8 assignee or candidate groups or users.
 */
export interface StepPerformer {
  source: PerformerSource;
  /** the resource's name, the assignment expression, or the assignee or group list */
  value: string;
}

/** BPMN's activities: its tasks, call activities and sub-processes. */
export const BPMN_ACTIVITY_TYPES = [
  'task',
  'userTask',
  'manualTask',
  'serviceTask',
  'sendTask',
  'receiveTask',
  'scriptTask',
  'businessRuleTask',
  'callActivity',
  'subProcess',
  'transaction',
  'adHocSubProcess',
] as const;

/** Every {@link BpmnElementType}: the flow nodes a step may be drawn as. */
export const BPMN_ELEMENT_TYPES = [
  ...BPMN_ACTIVITY_TYPES,
  'exclusiveGateway',
  'eventBasedGateway',
  'complexGateway',
  'startEvent',
  'endEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'boundaryEvent',
] as const;
export type BpmnElementType = (typeof BPMN_ELEMENT_TYPES)[number];

/** Event definitions a step may carry: the boundary triggers plus link and terminate. */
export type BpmnEventTrigger = BoundaryTrigger | 'link' | 'terminate';

/** A role in the clinic; `staff` is how many people fill it on shift (its queueing capacity). */
export interface Lane {
  id: string;
  name: string;
  staff: number;
  /** id of the {@link Pool} the lane belongs to; absent: the workflow's own pool */
  pool?: string;
}

/**
 * A BPMN pool (participant): a party whose lanes do its work (the clinic, the lab) or, when its
 * lanes hold no steps, a party seen from outside (the patient, an insurer).
 */
export interface Pool {
  id: string;
  name: string;
}

/**
 * A message between pools (a BPMN message flow): a referral sent, a result returned. Each end is
 * a step or a pool. It runs beside the order of work: the analysis and the simulation never
 * follow it, never count it as a handoff and never take it as a path.
 */
export interface MessageFlow {
  /** its BPMN id, kept for the round trip */
  id?: string;
  from: string;
  to: string;
  label?: string;
}

/**
 * A document (`object`) or a store that outlives cases (`store`) that steps read or write
 * (BPMN data object or data store reference with its associations). Kept for the drawing and
 * the record; the analysis does not read it (a step's typed items are its `enters`).
 */
export interface DataObject {
  id: string;
  label: string;
  kind: 'object' | 'store';
  /**
   * A document the case arrives with (`input`) or leaves with (`output`): a data input or output
   * of the process (BPMN input/output specification). Only for a document drawn once on the
   * process's page (no `within`, no `drawings`); otherwise it is drawn as a data object.
   */
  io?: 'input' | 'output';
  /** ids of the steps that read it */
  readBy?: string[];
  /** ids of the steps that write it */
  writtenBy?: string[];
  /** id of the sub-process step it is drawn inside */
  within?: string;
  /** drawing position, as a step's: the top-left of the 100×80 box its shape is centred in */
  position?: { x: number; y: number };
  /**
   * Further drawings of this document, each with the links drawn to it (BPMN references to the
   * same data object or store: other tools draw a document again where it is used, in another
   * pool, lane or sub-process, or named by its state). The fields above are its first drawing.
   */
  drawings?: DataDrawing[];
}

/**
 * Another drawing of a document (see {@link DataObject.drawings}). Its links say which of the
 * document's readers and writers are drawn joined to it; one the document does not list (a step
 * since removed or unlinked) is not drawn, so editing the document never leaves a drawing wrong.
 */
export interface DataDrawing {
  /** its BPMN id, unique among the documents and their drawings */
  id: string;
  /** its own name, when not the document's (e.g. "ID document [scanned]") */
  label?: string;
  /** ids of the steps whose reading is drawn to this drawing (of the document's `readBy`) */
  readBy?: string[];
  /** ids of the steps whose writing is drawn to this drawing (of the document's `writtenBy`) */
  writtenBy?: string[];
  /** id of the sub-process step it is drawn inside (drawn on the process's page when none) */
  within?: string;
  /** drawing position, as the document's */
  position?: { x: number; y: number };
}

/** Drawn bounds of a shape, in the steps' canvas units. */
export interface DrawnBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A note drawn beside the steps (a BPMN text annotation with its associations). Kept for the
 * drawing and the record; the analysis does not read it.
 */
export interface Annotation {
  /** its BPMN id, unique among annotations */
  id: string;
  text: string;
  /** ids of the steps it is attached to */
  steps?: string[];
  /** where it is drawn; absent: above the first step it is attached to */
  bounds?: DrawnBounds;
}

/**
 * A frame drawn around steps with a name (a BPMN group). Kept for the drawing; it says nothing
 * about the order of work or who does it (lanes do).
 */
export interface StepGroup {
  /** its BPMN id, unique among groups */
  id: string;
  label?: string;
  /** ids of the steps drawn inside it: the frame is drawn around them */
  steps?: string[];
  /** where it was drawn; used when no step is inside it */
  bounds?: DrawnBounds;
}

export interface Step {
  id: string;
  label: string;
  /** id of the lane (role) that does this step */
  lane: string;
  kind: StepKind;
  medium: StepMedium;
  /** the system the step works in: "EHR", "Lab portal", "Paper chart", "Spreadsheet" */
  system: string;
  /** staff minutes per case */
  touchMin: number;
  /** minutes waited before the step for reasons other than its own lane being busy */
  waitMin: number;
  clicks: number;
  /** data items typed in this step, e.g. "allergies", "insurance.member_id" */
  enters: string[];
  /** future workflows only: ids of the current steps this step takes over */
  replaces?: string[];
  /** optional free text for the analyst */
  notes?: string;
  /** a step an event starts: a boundary event of a task, or an event sub-process's start */
  boundary?: StepBoundary;
  /** how the step is drawn in BPMN when its kind alone does not say (see {@link StepBpmn}) */
  bpmn?: StepBpmn;
  /**
   * id of the sub-process step this step is inside (BPMN draws it on that sub-process's own
   * page); the flows still say the order of work, through the sub-process's inner steps
   */
  within?: string;
  /** measured from an event log (discovery): evidence for findings; absent for drawn steps */
  observed?: ObservedStep;
  /** editor position; absent means "lay out automatically" */
  position?: { x: number; y: number };
  /**
   * drawn size of the step's shape, centred in the box its `position` is the corner of: the size
   * another modelling tool drew it at (BPMN import), so the editor draws the model as modeled;
   * absent: Preflight's own size for the kind (what Preflight draws: new steps, auto-layout)
   */
  size?: { width: number; height: number };
}

/** Durations measured in an event log, in minutes (percentiles interpolate linearly). */
export interface ObservedDurations {
  n: number;
  meanMin: number;
  medianMin: number;
  p90Min: number;
}

/** What an event log showed of a step. */
export interface ObservedStep {
  /** times the step was done */
  n: number;
  /** cases in which it was done at least once */
  cases: number;
  /** start → complete of each time */
  touch?: ObservedDurations;
  /** previous step's complete → this step's start, in the same case */
  wait?: ObservedDurations;
  /** cases in which the step was done more than once (rework) */
  repeated?: ObservedRepeats;
  /** why cases waited before the step, split by cause (a log with start and complete times and resources) */
  waitCauses?: ObservedWaitCauses;
}

/** The causes a wait in an event log is split into (the order is the display order). */
export type ObservedWaitCause =
  | 'batching'
  | 'prioritization'
  | 'contention'
  | 'unavailability'
  | 'extraneous';

/**
 * The waiting before a step measured in an event log, split by cause: every instant of a wait
 * goes to one cause, so `hours` add up to `waitingHours`. The evidence goes with the figures.
 */
export interface ObservedWaitCauses {
  /** cases whose wait before the step was measured */
  cases: number;
  /** waiting before the step, hours per case */
  waitingHours: number;
  /** hours per case by cause */
  hours: Record<ObservedWaitCause, number>;
  /** the batches found (the evidence for batching); absent when none */
  batches?: {
    count: number;
    minSize: number;
    maxSize: number;
    meanSize: number;
    /** when the first batches were released, ISO 8601 UTC (at most 5) */
    firstReleases: string[];
  };
  /** the pause that separates the step's batches, found from the log's gaps; absent in older files */
  batchGap?: {
    /** an instance joins a batch when it started within this many minutes of the previous ones' end */
    minutes: number;
    /** estimated from the gaps, the ceiling, the floor for lack of pauses, or the floor for too few gaps */
    basis: 'estimated' | 'ceiling' | 'no-pauses' | 'too-few';
    /** gaps above the floor it was found from */
    gaps: number;
  };
  /** the working time found for the people who did the step, most instances first (at most 5) */
  calendars?: Array<{
    resource: string;
    spans: Array<{ day: 'Sun' | 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat'; from: number; to: number }>;
    hoursPerWeek: number;
  }>;
}

/** Rework of one step in a log: the cases that did it more than once. */
export interface ObservedRepeats {
  /** cases in which it was done more than once */
  cases: number;
  /** times it was done beyond the first, over those cases */
  extra: number;
  /** per such case, the first time's start to the last time's complete */
  span?: ObservedDurations;
}

/** Work that went back and forth between two lanes (A, B, A, B: three handoffs or more in a row). */
export interface ObservedPingPong {
  /** the two lane ids, in id order (a pair naming a lane the workflow no longer has is ignored) */
  lanes: [string, string];
  /** cases that went back and forth between them */
  cases: number;
  /** handoffs between the two in those stretches, over those cases */
  handoffs: number;
  /** per such case, the first to the last activity of its back-and-forth stretches */
  span?: ObservedDurations;
}

/** What an event log showed across steps (discovery). */
export interface ObservedWorkflow {
  /** cases in the log, after filters */
  cases: number;
  /** pairs of lanes cases went back and forth between, most cases first */
  pingPong?: ObservedPingPong[];
}

export interface Flow {
  from: string;
  to: string;
  /**
   * branch probability for flows leaving a decision; absent means 1 (or an even split). Leaving an
   * inclusive split: the chance this branch is taken, independently (absent: always); leaving a
   * parallel split: ignored (every branch is taken).
   */
  probability?: number;
  transfer: FlowTransfer;
  /**
   * How a case is sent down this flow besides its chance, from a BPMN model: `condition` (a
   * conditional flow; the condition's text is in the source step's notes) or `default` (taken
   * when no condition of the other flows holds). A step whose flows are conditional or default is
   * a choice between them, not flows taken all at once.
   */
  branch?: 'condition' | 'default';
  /** measured from an event log (discovery): times one step directly followed the other */
  observed?: { n: number };
}

export interface GoLiveSettings {
  /** share of normal bookings kept in go-live week, e.g. 0.5 */
  capacityFactor: number;
  /** staff productivity in go-live week relative to normal, e.g. 0.7 */
  productivityFactor: number;
}

export interface Workflow {
  format: typeof WORKFLOW_FORMAT;
  id: string;
  name: string;
  /** groups the current and future states of one process, e.g. "patient-intake" */
  process?: string;
  description?: string;
  state: WorkflowState;
  /** future workflows: the id of the current workflow they replace (required when state is "future") */
  baseline?: string;
  /** peak demand: cases arriving per hour */
  arrivalsPerHour: number;
  /** cases per day, for daily click burden; defaults to arrivalsPerHour × 8 when absent */
  casesPerDay?: number;
  lanes: Lane[];
  steps: Step[];
  flows: Flow[];
  /** the pools the lanes belong to, when there is more than one (see {@link Pool}) */
  pools?: Pool[];
  /** messages between pools, beside the order of work (see {@link MessageFlow}) */
  messageFlows?: MessageFlow[];
  /** documents and stores the steps read or write (see {@link DataObject}) */
  dataObjects?: DataObject[];
  /** notes drawn beside the steps (see {@link Annotation}) */
  annotations?: Annotation[];
  /** frames drawn around steps (see {@link StepGroup}) */
  groups?: StepGroup[];
  /** future workflows: current step ids deliberately removed */
  retired?: string[];
  goLive?: GoLiveSettings;
  /** measured from an event log (discovery) across steps: evidence for findings; absent for drawn workflows */
  observed?: ObservedWorkflow;
}

// ---- loading ------------------------------------------------------------------------------

/** `$id` of the workflow JSON Schema (src/formats/workflow.schema.json). */
export const WORKFLOW_SCHEMA_ID = 'urn:preflight:format:workflow:v1';

/** Probabilities of the flows leaving one step must sum to 1 within this (floating-point slack). */
export const PROBABILITY_TOLERANCE = 1e-6;

/** Migrations from older workflow tags (none yet: v1 is the first public version). */
export const workflowMigrations: readonly Migration[] = [];

/**
 * Semantic checks of one workflow file (beyond its schema): unique lane and step ids, step lanes
 * and flow ends that exist, no duplicate flows, branch probabilities that sum to 1 when all
 * given (and never exceed 1), and the future-only fields (`baseline`, `retired`, `replaces`)
 * absent from current workflows. References into the baseline workflow need both files:
 * see {@link checkWorkflowAgainstBaseline}.
 *
 * Structural completeness (a start, an end, reachability) is NOT checked here: a draft being
 * edited may lack them; the analysis reports them as `structure` findings.
 */
export function checkWorkflow(workflow: Workflow): FormatProblem[] {
  const problems: FormatProblem[] = [
    ...duplicateIdProblems(workflow.lanes, '/lanes', 'lane'),
    ...duplicateIdProblems(workflow.steps, '/steps', 'step'),
  ];
  const laneIds = new Set(workflow.lanes.map((lane) => lane.id));
  const stepIds = new Set(workflow.steps.map((step) => step.id));
  const future = workflow.state === 'future';

  workflow.steps.forEach((step, index) => {
    if (!laneIds.has(step.lane)) {
      problems.push(
        problem(
          pointer('steps', index, 'lane'),
          PROBLEM_CODES.unknownReference,
          'step lane is not a lane of this workflow',
        ),
      );
    }
    const host = step.boundary?.attachedTo;
    if (host !== undefined && (!stepIds.has(host) || host === step.id)) {
      problems.push(
        problem(
          pointer('steps', index, 'boundary', 'attachedTo'),
          PROBLEM_CODES.unknownReference,
          'a boundary event must be attached to another step of this workflow',
        ),
      );
    }
    if (step.within !== undefined && (!stepIds.has(step.within) || step.within === step.id)) {
      problems.push(
        problem(
          pointer('steps', index, 'within'),
          PROBLEM_CODES.unknownReference,
          'a step can only be inside another step of this workflow (its sub-process)',
        ),
      );
    }
    if (!future && step.replaces && step.replaces.length > 0) {
      problems.push(
        problem(
          pointer('steps', index, 'replaces'),
          PROBLEM_CODES.futureOnly,
          'only steps of a future workflow replace steps; this workflow is "current"',
        ),
      );
    }
  });

  if (!future) {
    if (workflow.baseline !== undefined) {
      problems.push(
        problem(
          '/baseline',
          PROBLEM_CODES.futureOnly,
          'only a future workflow has a baseline; this workflow is "current"',
        ),
      );
    }
    if (workflow.retired && workflow.retired.length > 0) {
      problems.push(
        problem(
          '/retired',
          PROBLEM_CODES.futureOnly,
          'only a future workflow retires steps; this workflow is "current"',
        ),
      );
    }
  } else if (workflow.baseline === workflow.id) {
    problems.push(
      problem('/baseline', PROBLEM_CODES.unknownReference, 'a future workflow cannot be its own baseline'),
    );
  }

  const seenFlows = new Set<string>();
  const outgoing = new Map<string, number[]>();
  workflow.flows.forEach((flow, index) => {
    if (!stepIds.has(flow.from)) {
      problems.push(
        problem(
          pointer('flows', index, 'from'),
          PROBLEM_CODES.unknownReference,
          'flow starts at a step that is not in this workflow',
        ),
      );
    }
    if (!stepIds.has(flow.to)) {
      problems.push(
        problem(
          pointer('flows', index, 'to'),
          PROBLEM_CODES.unknownReference,
          'flow ends at a step that is not in this workflow',
        ),
      );
    }
    const key = JSON.stringify([flow.from, flow.to]);
    if (seenFlows.has(key)) {
      problems.push(
        problem(
          pointer('flows', index),
          PROBLEM_CODES.duplicateFlow,
          'an earlier flow already connects the same two steps',
        ),
      );
    }
    seenFlows.add(key);
    const list = outgoing.get(flow.from) ?? [];
    list.push(index);
    outgoing.set(flow.from, list);
  });

  problems.push(...beyondFlowProblems(workflow, stepIds));

  const stepIndex = new Map(workflow.steps.map((step, index) => [step.id, index]));
  const stepsById = new Map(workflow.steps.map((step) => [step.id, step] as const));
  for (const [from, allIndexes] of outgoing) {
    const index = stepIndex.get(from);
    if (index === undefined) continue; // already reported as an unknown flow start
    // branches of a parallel or inclusive split are not alternatives: their chances need not sum to 1
    if (isConcurrentSplit((workflow.steps[index] as Step).kind)) continue;
    // a boundary event's exception path has its own chance, not a share of the normal flows' 1
    const flowIndexes = allIndexes.filter((i) => {
      const flow = workflow.flows[i];
      return flow === undefined || !isBoundaryFlow(flow, stepsById);
    });
    if (flowIndexes.length === 0) continue;
    const given = flowIndexes
      .map((i) => workflow.flows[i]?.probability)
      .filter((p): p is number => p !== undefined);
    const sum = given.reduce((total, p) => total + p, 0);
    const allGiven = given.length === flowIndexes.length;
    if (allGiven && Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
      problems.push(
        problem(
          pointer('steps', index),
          PROBLEM_CODES.probabilitySum,
          `the probabilities of the ${flowIndexes.length} flows leaving this step do not sum to 1`,
        ),
      );
    } else if (!allGiven && sum > 1 + PROBABILITY_TOLERANCE) {
      problems.push(
        problem(
          pointer('steps', index),
          PROBLEM_CODES.probabilitySum,
          'the probabilities given on flows leaving this step add up to more than 1',
        ),
      );
    }
  }
  return problems;
}

/** A drawing of a document whose id another document or drawing already has (see {@link DataDrawing}). */
function drawingIdProblems(dataObjects: readonly DataObject[]): FormatProblem[] {
  const seen = new Set(dataObjects.map((data) => data.id));
  const problems: FormatProblem[] = [];
  dataObjects.forEach((data, index) => {
    data.drawings?.forEach((drawing, at) => {
      if (seen.has(drawing.id)) {
        problems.push(
          problem(
            pointer('dataObjects', index, 'drawings', at, 'id'),
            PROBLEM_CODES.duplicateId,
            'a drawing id is used by a data object or an earlier drawing',
          ),
        );
      }
      seen.add(drawing.id);
    });
  });
  return problems;
}

/**
 * Checks of what travels beside the order of work: pools (unique ids, lanes naming one),
 * message flows (ends that are steps or pools), data objects, annotations and groups (unique ids,
 * steps that exist).
 */
function beyondFlowProblems(workflow: Workflow, stepIds: ReadonlySet<string>): FormatProblem[] {
  const pools = workflow.pools ?? [];
  const problems: FormatProblem[] = [
    ...duplicateIdProblems(pools, '/pools', 'pool'),
    ...duplicateIdProblems(workflow.dataObjects ?? [], '/dataObjects', 'data object'),
    ...drawingIdProblems(workflow.dataObjects ?? []),
    ...duplicateIdProblems(workflow.annotations ?? [], '/annotations', 'annotation'),
    ...duplicateIdProblems(workflow.groups ?? [], '/groups', 'group'),
  ];
  const poolIds = new Set(pools.map((pool) => pool.id));
  workflow.lanes.forEach((lane, index) => {
    if (lane.pool !== undefined && !poolIds.has(lane.pool)) {
      problems.push(
        problem(
          pointer('lanes', index, 'pool'),
          PROBLEM_CODES.unknownReference,
          'lane pool is not a pool of this workflow',
        ),
      );
    }
  });
  (workflow.messageFlows ?? []).forEach((message, index) => {
    for (const end of ['from', 'to'] as const) {
      if (!stepIds.has(message[end]) && !poolIds.has(message[end])) {
        problems.push(
          problem(
            pointer('messageFlows', index, end),
            PROBLEM_CODES.unknownReference,
            'a message flow end must be a step or a pool of this workflow',
          ),
        );
      }
    }
  });
  (workflow.dataObjects ?? []).forEach((data, index) => {
    for (const list of ['readBy', 'writtenBy'] as const) {
      data[list]?.forEach((id, at) => {
        if (!stepIds.has(id)) {
          problems.push(
            problem(
              pointer('dataObjects', index, list, at),
              PROBLEM_CODES.unknownReference,
              'a data object is read or written by a step of this workflow',
            ),
          );
        }
      });
    }
    if (data.within !== undefined && !stepIds.has(data.within)) {
      problems.push(
        problem(
          pointer('dataObjects', index, 'within'),
          PROBLEM_CODES.unknownReference,
          'a data object can only be inside a step of this workflow (its sub-process)',
        ),
      );
    }
  });
  for (const list of ['annotations', 'groups'] as const) {
    (workflow[list] ?? []).forEach((drawn, index) => {
      drawn.steps?.forEach((id, at) => {
        if (!stepIds.has(id)) {
          problems.push(
            problem(
              pointer(list, index, 'steps', at),
              PROBLEM_CODES.unknownReference,
              list === 'annotations'
                ? 'an annotation is attached to steps of this workflow'
                : 'a group is drawn around steps of this workflow',
            ),
          );
        }
      });
    });
  }
  return problems;
}

/**
 * Cross-file checks of a future workflow against its baseline (the current workflow named by
 * `baseline`): the baseline is a current workflow, and every `replaces` and `retired` id is a
 * step of it. Paths point into `future`.
 */
export function checkWorkflowAgainstBaseline(future: Workflow, baseline: Workflow): FormatProblem[] {
  if (baseline.state !== 'current') {
    // step references into a wrong baseline would only add noise
    return [problem('/baseline', PROBLEM_CODES.unknownReference, 'the baseline must be a current workflow')];
  }
  const problems: FormatProblem[] = [];
  const baselineSteps = new Set(baseline.steps.map((step) => step.id));
  future.steps.forEach((step, stepIndex) => {
    step.replaces?.forEach((id, index) => {
      if (!baselineSteps.has(id)) {
        problems.push(
          problem(
            pointer('steps', stepIndex, 'replaces', index),
            PROBLEM_CODES.unknownReference,
            'replaced step is not a step of the baseline workflow',
          ),
        );
      }
    });
  });
  future.retired?.forEach((id, index) => {
    if (!baselineSteps.has(id)) {
      problems.push(
        problem(
          pointer('retired', index),
          PROBLEM_CODES.unknownReference,
          'retired step is not a step of the baseline workflow',
        ),
      );
    }
  });
  return problems;
}

/** How `preflight.workflow/v1` is loaded (used by the format registry). */
export const workflowFormat: FormatDefinition<Workflow> = {
  tag: WORKFLOW_FORMAT,
  title: FORMAT_FAMILIES.workflow,
  schemaId: WORKFLOW_SCHEMA_ID,
  validate: validateWorkflow,
  check: checkWorkflow,
  migrations: workflowMigrations,
};

/**
 * Loads a workflow from parsed JSON: checks the tag, migrates older versions, validates the
 * schema and the checks of {@link checkWorkflow}. Never throws; problems name paths, not values.
 */
export function loadWorkflow(json: unknown): LoadResult<Workflow> {
  return loadDocument(workflowFormat, json);
}
