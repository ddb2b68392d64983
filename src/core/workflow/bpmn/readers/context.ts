/**
 * What the BPMN readers share: the parsed file, the workflow's parts as the readers build them,
 * and what each reader leaves for the ones after it (the steps by element, the sequence flows the
 * walk collected, the shapes the diagram reader found).
 *
 * The readers run in the order of the table in index.ts, and that order is part of the result:
 * ids are handed out as the readers meet elements (a taken id gets a suffix), flows are listed in
 * the order they are made, and what is not carried over is listed in the order it is met.
 */

import type {
  Annotation,
  DataObject,
  DrawnBounds,
  Flow,
  Lane,
  MessageFlow,
  Pool,
  Step,
  StepGroup,
  Workflow,
} from '../../../../formats/workflow.ts';
import type { AccountBuilder } from '../../../readerAccount/index.ts';
import { type FileNames, fileNames } from '../account.ts';
import { elementSize, positionOfBounds } from '../geometry.ts';
import { type DiBounds, type El, EXPORTER, localType } from '../model.ts';
import type { BpmnProblem, NotCarriedOver } from '../types.ts';

/** The staff of a lane the file says nothing of. */
export const DEFAULT_LANE_STAFF = 1;

/** A reader of one kind of BPMN element: registered in the table of index.ts, which runs them in order. */
export interface BpmnReader {
  /** stable name, for the docs and the tests */
  readonly id: string;
  /** the BPMN elements it reads, by their tag in the account's names (`bpmn:lane`) */
  readonly reads: readonly string[];
  /** one line on what it reads and what it makes of it */
  readonly describe: string;
  read(ctx: ImportContext): void;
}

/** A flow node read as a step, before its lane and its flows are known. */
export interface PendingStep {
  step: Step;
  element: El;
  /** the flattened sub-process it is inside, if any */
  container?: El;
  process: El;
  notes: string[];
  /** what the file says of the step beyond its element: its timer, its performers */
  extras?: Pick<NonNullable<Step['bpmn']>, 'timer' | 'performers'>;
}

/** A data object or store reference (or a process's data input or output) read as a data object. */
export interface DataRef {
  element: El;
  data: DataObject;
  /** the flattened sub-process it is drawn in, if any */
  container?: El;
}

/**
 * A data association of an activity: what it reads (input) and writes (output); `inner`, the
 * element id that `preflight:dataLink` names for an association a sub-process carries for a step
 * inside it.
 */
export interface DataLink {
  step: El;
  data: El;
  direction: 'readBy' | 'writtenBy';
  inner?: string;
  association: El;
}

/** `value` is a finite number ≥ 0. */
export function finiteAtLeast0(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** "ExclusiveGateway" → "Exclusive gateway": the label of a step whose element has no name. */
export function humanType(element: El): string {
  const words = localType(element)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The state of one import: the mapping of one document (see the file comment). */
export class ImportContext {
  readonly notCarried: NotCarriedOver[] = [];
  readonly lanes: Lane[] = [];
  readonly steps: PendingStep[] = [];
  readonly stepOf = new Map<El, PendingStep>();
  readonly stepIds = new Set<string>();
  readonly flows: Flow[] = [];
  /** index in `flows` of the flow between two steps, by `JSON.stringify([from, to])` */
  readonly flowIndex = new Map<string, number>();
  /** lane id of each flow node named in a lane's flowNodeRef */
  readonly nodeLane = new Map<El, string>();
  /** the default lane of each process (its pool), created on first use */
  readonly defaultLane = new Map<El, string>();
  /** the participant (pool) of each process a collaboration names */
  readonly poolOf = new Map<El, El>();
  /** the pool id of each participant of a collaboration of several, and of each process */
  readonly poolIdOf = new Map<El, string>();
  readonly processPool = new Map<El, string>();
  readonly sequenceFlows: El[] = [];
  readonly artifacts: El[] = [];
  /** associations from a compensation boundary event to its handler, kept as flows */
  readonly compensationLinks = new Set<El>();
  /** inner flow nodes of each flattened sub-process */
  readonly inner = new Map<El, El[]>();
  readonly shapes = new Map<string, { bounds: DiBounds; element: El }>();
  /** lanes were drawn vertically: positions are turned by 90° */
  transpose = false;
  /** the file has several parties (pools, or a pool beside a process drawn without one) */
  multiPool = false;
  /** the pools of a collaboration of several, and the pool whose lanes are being read */
  readonly pools: Pool[] = [];
  currentPool: string | undefined;
  readonly messageFlows: MessageFlow[] = [];
  readonly annotations: Annotation[] = [];
  readonly groups: StepGroup[] = [];
  /** data object and data store references, with the sub-process they are drawn in */
  readonly dataRefs: DataRef[] = [];
  readonly dataLinks: DataLink[] = [];
  /** the file's collaborations, processes and their participants (the definitions reader) */
  collaborations: El[] = [];
  processes: El[] = [];
  participants: El[] = [];
  /** processes with steps drawn without a pool */
  unpooled: El[] = [];
  /** the workflow, once the last reader made it */
  workflow: Workflow | undefined;
  /** set by a reader that finds nothing to read: the readers after it do not run */
  finished = false;

  constructor(
    readonly definitions: El,
    readonly byId: Record<string, El>,
    readonly problems: BpmnProblem[],
    /** what the import used and left out on purpose (account.ts completes it) */
    readonly account: AccountBuilder,
    /** branch chances the file's simulation settings give, by sequence flow id */
    readonly chances: ReadonlyMap<string, number> = new Map(),
  ) {}

  /** An element's name, else its id, else `fallback`. */
  nameOf(element: El | undefined, fallback: string): string {
    const name = element?.name;
    return name !== undefined && name.trim() !== '' ? name : (element?.id ?? fallback);
  }

  /** Adds a lane (its id made unique); returns its id. */
  addLane(id: string, name: string, staff: number, pool = this.currentPool): string {
    let laneId = id;
    for (let n = 2; this.lanes.some((lane) => lane.id === laneId); n++) laneId = `${id}-${n}`;
    this.lanes.push(pool === undefined ? { id: laneId, name, staff } : { id: laneId, name, staff, pool });
    return laneId;
  }

  /** A warning on a Preflight extension value the import could not use. */
  warnExtension(element: El, message: string): void {
    this.problems.push({
      severity: 'warning',
      code: 'unreadable-element',
      message: `element "${element.id ?? '?'}": ${message}`,
      ...(element.id ? { elementId: element.id } : {}),
    });
  }

  /**
   * Lists what the workflow does not carry: one entry of `notCarriedOver` and the same as a line
   * of the account, under `name` (the element's path, or the attribute or child that is lost).
   */
  drop(element: El, what: string, why: string, name = this.pathOf(element)): void {
    let owner: El | undefined = element;
    while (owner && !owner.id) owner = owner.$parent;
    const elementId = owner?.id ?? '?';
    this.notCarried.push({ elementId, elementType: element.$type, what, why });
    this.account.notUsed(name.includes('@') ? 'attribute' : 'element', name, `${what}: ${why}`, {
      elementId,
    });
  }

  /**
   * The size a step's shape was drawn at, kept so the editor draws the model as modeled: every
   * shape of another tool's file; of Preflight's own export only a size other than the one it
   * writes for the element (its shapes are Preflight's drawing, drawn at Preflight's sizes).
   */
  drawnSizeOf(element: El, bounds: DiBounds): { width: number; height: number } | undefined {
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

  /** A shape's place in the workflow's coordinates (turned with vertical lanes). */
  positionOf(bounds: DiBounds): { x: number; y: number } {
    const box = this.transpose
      ? { x: bounds.y, y: bounds.x, width: bounds.height, height: bounds.width }
      : bounds;
    return positionOfBounds(box);
  }

  /** A shape's bounds in the workflow's coordinates (turned with vertical lanes), if it is drawn. */
  drawnBounds(element: El): DrawnBounds | undefined {
    const shape = element.id ? this.shapes.get(element.id) : undefined;
    if (!shape) return undefined;
    const { x, y, width, height } = shape.bounds;
    return this.transpose ? { x: y, y: x, width: height, height: width } : { x, y, width, height };
  }

  /** The file's names as the account names them (account.ts), made on first use. */
  private fileNames: FileNames | undefined;
  private get names(): FileNames {
    this.fileNames ??= fileNames(this.definitions, this.byId);
    return this.fileNames;
  }
  readonly uriOf = (prefix: string): string | undefined => this.names.uriOf(prefix);
  tagOf(element: El): string {
    return this.names.tagOf(element);
  }
  pathOf(element: El): string {
    return this.names.pathOf(element);
  }
}
