/**
 * The geometry shared by BPMN import and export, so that export → import returns the same step
 * positions.
 *
 * A step's `position` is the top-left corner of a {@link STEP_BOX} (the size of a BPMN task).
 * Each BPMN shape is centred in that box: a task fills it, an event (36×36) or a gateway (50×50)
 * sits in its middle. Import inverts this from the shape's centre, so any tool's shapes of any
 * size map to positions consistently.
 */
import type { StepKind } from '../../../formats/workflow.ts';

/** Size of the box a step's position is the top-left corner of (a BPMN task's default size). */
export const STEP_BOX = { width: 100, height: 80 } as const;

/** BPMN shape sizes (bpmn.io's defaults), by step kind. */
const SHAPE_SIZE: Record<StepKind, { width: number; height: number }> = {
  start: { width: 36, height: 36 },
  end: { width: 36, height: 36 },
  wait: { width: 36, height: 36 },
  decision: { width: 50, height: 50 },
  'parallel-split': { width: 50, height: 50 },
  'parallel-join': { width: 50, height: 50 },
  'inclusive-split': { width: 50, height: 50 },
  'inclusive-join': { width: 50, height: 50 },
  task: STEP_BOX,
  approval: STEP_BOX,
};

/** bpmn-js's default size of an event's shape (`DEFAULT_EVENT_SIZE`): it draws the circle at the file's size. */
const EVENT_SIZE = { width: 36, height: 36 } as const;
/** bpmn-js's default size of a gateway's shape (`DEFAULT_GATEWAY_SIZE`). */
const GATEWAY_SIZE = { width: 50, height: 50 } as const;

/**
 * The shape size of a BPMN element type (local name, such as `startEvent`), as bpmn-js's
 * `getDefaultSize` gives it: events 36×36 and gateways 50×50 whatever the step's kind (a task may
 * be written as a sub-process's inner start event or an intermediate throw event), activities
 * and collapsed sub-processes the {@link STEP_BOX}.
 */
export function elementSize(type: string): { width: number; height: number } {
  if (type.endsWith('Event')) return EVENT_SIZE;
  if (type.endsWith('Gateway')) return GATEWAY_SIZE;
  return STEP_BOX;
}

/**
 * The shape bounds of an element of `type` whose step's position is `position`, centred in its box:
 * at `drawn` (the size another tool drew the step at, kept by import) when given, so a model
 * drawn elsewhere goes back out as it came in, else at the element's own size.
 */
export function elementBounds(
  type: string,
  position: { x: number; y: number },
  drawn?: { width: number; height: number },
): { x: number; y: number; width: number; height: number } {
  // whole pixels, as import keeps a drawn size: a size kept before import rounded it would come
  // out a pixel wider or narrower depending on where the shape lands
  const size = drawn
    ? { width: Math.round(drawn.width), height: Math.round(drawn.height) }
    : elementSize(type);
  return {
    x: position.x + (STEP_BOX.width - size.width) / 2,
    y: position.y + (STEP_BOX.height - size.height) / 2,
    width: size.width,
    height: size.height,
  };
}

/** Side of a boundary event's shape (a BPMN event's default size). */
export const BOUNDARY_SIZE = EVENT_SIZE.width;

/** Room between two boundary events' centres on one border. */
const BOUNDARY_PITCH = BOUNDARY_SIZE + 4;

/** A border of an activity a boundary event sits on. */
export type BoundaryBorder = 'bottom' | 'top' | 'right' | 'left';

/** The borders boundary events sit on, in the order they are used (bpmn-js puts one on the bottom). */
const BORDERS: readonly BoundaryBorder[] = ['bottom', 'top', 'right', 'left'];

/** How many boundary events fit on a border of `length` without overlapping. */
export function boundarySlotsOn(length: number): number {
  return Math.max(1, Math.floor(length / BOUNDARY_PITCH) + 1);
}

/**
 * Where the `index`-th of the `count` boundary events of an activity drawn at `host` sits: a
 * {@link BOUNDARY_SIZE} circle centred on the host's bottom border, several spread evenly along
 * it, then along the top, right and left borders when the bottom is full. The export's diagram
 * and the editor's canvas place them with it, each at its own size of the activity.
 */
export function boundaryEventBounds(
  host: { x: number; y: number; width: number; height: number },
  index: number,
  count: number,
): { x: number; y: number; width: number; height: number; border: BoundaryBorder } {
  let rest = index;
  let left = count;
  const at = (border: BoundaryBorder, x: number, y: number) => ({
    x: x - BOUNDARY_SIZE / 2,
    y: y - BOUNDARY_SIZE / 2,
    width: BOUNDARY_SIZE,
    height: BOUNDARY_SIZE,
    border,
  });
  for (const border of BORDERS) {
    const horizontal = border === 'bottom' || border === 'top';
    const slots = boundarySlotsOn(horizontal ? host.width : host.height);
    const here = Math.min(slots, left);
    if (rest < here || border === 'left') {
      const along = (rest - (here - 1) / 2) * BOUNDARY_PITCH;
      if (border === 'bottom') return at(border, host.x + host.width / 2 + along, host.y + host.height);
      if (border === 'top') return at(border, host.x + host.width / 2 + along, host.y);
      if (border === 'right') return at(border, host.x + host.width, host.y + host.height / 2 + along);
      return at(border, host.x, host.y + host.height / 2 + along);
    }
    rest -= here;
    left -= here;
  }
  return at('left', host.x, host.y);
}

/** Space between a lane's border and its steps. */
export const LANE_PADDING = 40;
/** Width of a lane's (and of the pool's) name header on its left. */
export const HEADER_WIDTH = 30;
/** Height of a lane without steps. */
export const EMPTY_LANE_HEIGHT = 120;
/** Columns and rows of the fallback grid for steps without a position. */
export const GRID = { column: 160, row: 160 } as const;

/** The shape bounds of a step of `kind` whose position is `position`. */
export function shapeBounds(
  kind: StepKind,
  position: { x: number; y: number },
): { x: number; y: number; width: number; height: number } {
  const size = SHAPE_SIZE[kind];
  return {
    x: position.x + (STEP_BOX.width - size.width) / 2,
    y: position.y + (STEP_BOX.height - size.height) / 2,
    width: size.width,
    height: size.height,
  };
}

/** The step position of a shape with `bounds` (inverse of {@link shapeBounds}, from the centre). */
export function positionOfBounds(bounds: { x: number; y: number; width: number; height: number }): {
  x: number;
  y: number;
} {
  return {
    x: bounds.x + bounds.width / 2 - STEP_BOX.width / 2,
    y: bounds.y + bounds.height / 2 - STEP_BOX.height / 2,
  };
}
