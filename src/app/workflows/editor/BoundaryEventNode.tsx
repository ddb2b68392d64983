/**
 * A boundary event on the canvas, drawn as bpmn-js draws it: a small double circle sitting on its
 * activity's border (placed by canvasModel.ts from the activity, so it moves with it), with its
 * trigger's icon inside, the ring solid when the event interrupts the activity and dashed when it
 * does not, its name under it. Its exception path leaves it downward (the handle at its bottom),
 * away from the activity. It is selected and focused as any step is (the inspector shows it), but
 * not dragged on its own: it goes where its activity goes.
 */
import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { BoundaryBorder } from '../../../core/workflow/index.ts';
import type { BoundaryTrigger, Step } from '../../../formats/workflow.ts';
import type { PlacedStep } from './canvasModel.ts';
import { boundaryAriaLabel } from './labels.ts';

/** Data of a boundary event node. */
export type BoundaryNodeData = {
  step: Step;
  /** the name of the activity it sits on */
  hostLabel: string;
  /** the border of the activity it sits on */
  border: BoundaryBorder;
  /** an input of this step is invalid in the inspector (not saved) */
  invalid: boolean;
  /**
   * where its name goes, clear of the exception path that leaves it downward and of the events
   * beside it: right of it, left of the first of several, under the ones between
   */
  caption: 'left' | 'right' | 'below';
};

/** A boundary event on the canvas. */
export type BoundaryNode = Node<BoundaryNodeData, 'boundary'>;

/**
 * Each trigger's marker inside the circle, as BPMN draws it, on the circle's 36 × 36 grid (centre
 * 18, 18); `none` has no marker.
 */
const TRIGGER_MARKERS: Readonly<Record<BoundaryTrigger, string>> = {
  // a clock face with two hands
  timer: 'M18 9.5a8.5 8.5 0 1 0 0.01 0Z M18 12v6l4 2',
  // a lightning zigzag
  error: 'M11 25l4-10 4 5 6-9-3 11-4-5Z',
  // an envelope
  message: 'M11 13h14v10H11Z M11 13l7 5.5 7-5.5',
  // an arrow head pointing up
  escalation: 'M18 10l6 15-6-5-6 5Z',
  // a triangle
  signal: 'M18 10l8 14H10Z',
  // a sheet of lines
  conditional: 'M12.5 11h11v14h-11Z M15 14.5h6 M15 18h6 M15 21.5h6',
  // two triangles pointing back (rewind)
  compensation: 'M10 18l6-5v10Z M17 18l6-5v10Z',
  // a cross
  cancel: 'M12.5 12.5l11 11 M23.5 12.5l-11 11',
  none: '',
};

function BoundaryEventNodeView({ data, selected }: NodeProps<BoundaryNode>) {
  const { step, border, invalid, caption } = data;
  const trigger = step.boundary?.trigger ?? 'none';
  const interrupting = step.boundary?.interrupting !== false;
  const classes = [
    'wf-boundary',
    `wf-boundary-${trigger}`,
    interrupting ? 'wf-boundary-interrupting' : 'wf-boundary-non-interrupting',
    selected ? 'is-selected' : '',
    invalid ? 'is-invalid' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const dash = interrupting ? undefined : '3 2.5';
  const marker = TRIGGER_MARKERS[trigger];
  return (
    <div className={classes} data-border={border}>
      <svg
        className="wf-boundary-shape"
        viewBox="0 0 36 36"
        width="36"
        height="36"
        aria-hidden="true"
        focusable="false"
      >
        <circle className="wf-boundary-ring" cx="18" cy="18" r="17" strokeDasharray={dash} />
        <circle className="wf-boundary-ring" cx="18" cy="18" r="14" strokeDasharray={dash} />
        {marker !== '' && <path className="wf-boundary-marker" d={marker} />}
      </svg>
      {step.label.trim() !== '' && (
        <span
          className={`wf-step-caption wf-boundary-caption wf-boundary-caption-${caption}`}
          title={step.label}
        >
          {step.label}
        </span>
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

/** The boundary event node component (a stable object for React Flow's node types). */
export const BoundaryEventNodeType = memo(BoundaryEventNodeView);

/** A boundary event's layer: above any step, selected or not. */
const BOUNDARY_Z = 1001;

/**
 * The node of a boundary event placed on its activity's border (`placed.attached`, see
 * canvasModel.ts): where the layout puts it, moved as far as its activity (`host`, placed) is being
 * dragged (`hostDragged`, the activity's position in the drag); never dragged on its own.
 */
export function boundaryEventNode(
  placed: PlacedStep,
  host: PlacedStep | undefined,
  hostDragged: { x: number; y: number } | undefined,
  state: { selected: boolean; invalid: boolean },
): BoundaryNode {
  const { step } = placed;
  const position =
    host && hostDragged
      ? { x: placed.x + hostDragged.x - host.x, y: placed.y + hostDragged.y - host.y }
      : { x: placed.x, y: placed.y };
  const hostLabel = host?.step.label ?? placed.attached?.host ?? '';
  return {
    id: step.id,
    type: 'boundary',
    position,
    width: placed.width,
    height: placed.height,
    draggable: false,
    // above its activity also when the activity is selected (React Flow lifts a selected node by 1000)
    zIndex: BOUNDARY_Z,
    selected: state.selected,
    ariaLabel: boundaryAriaLabel(step, hostLabel),
    data: {
      step,
      hostLabel,
      border: placed.attached?.border ?? 'bottom',
      invalid: state.invalid,
      caption: captionSide(placed.attached),
    },
  };
}

/** Where a boundary event's name goes (see {@link BoundaryNodeData.caption}). */
function captionSide(attached: PlacedStep['attached']): BoundaryNodeData['caption'] {
  if (!attached || attached.of === 1 || attached.slot === attached.of - 1) return 'right';
  return attached.slot === 0 ? 'left' : 'below';
}
