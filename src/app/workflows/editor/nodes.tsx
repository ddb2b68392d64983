/**
 * The canvas's node types: a step (shape by kind, medium badge, heat class) and a lane band
 * (name and staff on shift). Their data is derived from the workflow document by the canvas.
 */
import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { type GatewayKind, isGateway, type Step } from '../../../formats/workflow.ts';
import { BoundaryEventNodeType } from './BoundaryEventNode.tsx';
import { canvasStepName, NAME_SIZE } from './boxName.ts';
import { drawnSize, hasBadges, labelPlace } from './canvasModel.ts';
import { DriftCard, WorkaroundNodeType } from './driftNodes.tsx';
import type { StepDrift } from './driftOverlay.ts';
import type { FindingMark } from './findingMarks.ts';
import { FindingMarkButton, type ShowMarkedFindings } from './findingMarkViews.tsx';
import { CHECK_PATH, GatewayMarker, HOURGLASS_PATH, MEDIUM_ICON_PATHS, PathIcon } from './icons.tsx';
import {
  activityTypeLabel,
  GATEWAY_MEANING,
  KIND_LABEL,
  MEDIUM_LABEL,
  MEDIUM_PHRASE,
  minutes,
} from './labels.ts';

/** Data of a step node. */
export type StepNodeData = {
  step: Step;
  /** heat bucket (0 … HEAT_BUCKETS − 1), or null when heat colouring is off */
  heat: number | null;
  /** minutes shown under the label when heat colouring is on */
  heatMinutes: number | null;
  /** an input of this step is invalid in the inspector (not saved) */
  invalid: boolean;
  /** the comparison's word for this step ("New", "Replaces 2", "Untraced"), or null */
  trace: string | null;
  /** the last go-live check's drift on this step (the drift overlay), or null when off */
  drift?: StepDrift | null;
  /** the findings drawn on this step (the finding marks), or null when off or none */
  findings?: FindingMark | null;
  /** shows the findings of a chosen mark */
  onShowFindings?: ShowMarkedFindings;
  /** the step holds inner steps on a page of its own (a collapsed sub-process) */
  subProcess?: boolean;
  /** the failing data the step uses: how many places, and in words (FailingData.tsx) */
  failingData?: { count: number; words: string };
};

/** Data of a lane node. */
export type LaneNodeData = {
  name: string;
  staff: number;
  steps: number;
  selected: boolean;
  onSelect: () => void;
  /** the findings about this role as a whole (the finding marks), or null when off or none */
  findings?: FindingMark | null;
  onShowFindings?: ShowMarkedFindings;
  /** the lane's id, for `onShowFindings` */
  laneId?: string;
};

/** A step on the canvas. */
export type StepNode = Node<StepNodeData, 'step'>;
/** A lane's band on the canvas (behind the steps; only its header takes clicks). */
export type LaneNode = Node<LaneNodeData, 'lane'>;

/** The comparison badge of a current step that no future step replaces and that is not retired. */
export const UNTRACED = 'Untraced';

/** The words a screen reader hears for a step node. */
export function stepAriaLabel(step: Step, laneName: string): string {
  const medium = MEDIUM_PHRASE[step.medium];
  const meaning = isGateway(step.kind) ? ` (${GATEWAY_MEANING[step.kind]})` : '';
  const activity = activityTypeLabel(step);
  const type = activity ? ` (${activity.toLowerCase()})` : '';
  return `${KIND_LABEL[step.kind]}${meaning}${type}: ${step.label}, ${laneName}${medium ? `, ${medium}` : ''}`;
}

/**
 * A step's name: wrapped on as many lines as its box holds (editor.css), the whole name at 12 px or,
 * when it needs more lines than that, smaller ({@link canvasStepName}, the export's rule: `badge`
 * says whether a row of badges takes the bottom of the box); only a name too long even at the
 * smallest size is cut with an ellipsis — the whole name stays in its title (a tooltip), in the
 * node's accessible name and in the inspector.
 */
export function StepLabel({
  step,
  badge = false,
}: {
  step: Pick<Step, 'kind' | 'label' | 'size'>;
  badge?: boolean;
}) {
  if (labelPlace(step.kind, step.size) === 'below')
    return (
      <span className="wf-step-caption" title={step.label}>
        {step.label}
      </span>
    );
  const size = drawnSize(step);
  const name = canvasStepName(step.label, size.height, badge, size.width);
  const style =
    name.fontSize === NAME_SIZE
      ? undefined
      : { fontSize: `${name.fontSize}px`, WebkitLineClamp: name.maxLines };
  return (
    <span className="wf-step-label" title={step.label} style={style}>
      {step.label}
    </span>
  );
}

function StepNodeView({ data, selected }: NodeProps<StepNode>) {
  const {
    step,
    heat,
    heatMinutes,
    invalid,
    trace,
    drift,
    findings,
    onShowFindings,
    subProcess,
    failingData,
  } = data;
  const paperLike = step.medium !== 'digital';
  const classes = [
    'wf-step',
    `wf-step-${step.kind}`,
    paperLike ? `wf-medium-${step.medium}` : 'wf-medium-digital',
    heat === null ? '' : `wf-heat-${heat}`,
    selected ? 'is-selected' : '',
    invalid ? 'is-invalid' : '',
    drift?.drift ? 'has-drift' : '',
    // drawn by another tool too small for its name inside (an intermediate event): a circle, named below
    labelPlace(step.kind) === 'inside' && labelPlace(step.kind, step.size) === 'below'
      ? 'is-drawn-small'
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  const gateway = isGateway(step.kind);
  const round = labelPlace(step.kind, step.size) === 'below';
  return (
    <div className={classes}>
      <Handle type="target" position={Position.Left} />
      {(step.kind === 'decision' || gateway) && <div className="wf-diamond" aria-hidden="true" />}
      <div className="wf-step-body">
        {!round && (
          <StepLabel
            step={step}
            badge={hasBadges(step, { heat: heatMinutes !== null, trace: Boolean(trace), subProcess })}
          />
        )}
        {gateway && (
          <span className="wf-gateway-marker">
            <GatewayMarker kind={step.kind as GatewayKind} />
            <span className="wf-gateway-way">{step.kind.endsWith('split') ? 'split' : 'join'}</span>
          </span>
        )}
        <span className="wf-step-badges">
          {step.kind === 'approval' && (
            <span className="wf-badge wf-badge-approval">
              <PathIcon d={CHECK_PATH} />
              Approval
            </span>
          )}
          {activityTypeLabel(step) && (
            <span className="wf-badge wf-badge-type">{activityTypeLabel(step)}</span>
          )}
          {step.kind === 'wait' && (
            <span className="wf-badge wf-badge-wait">
              <PathIcon d={HOURGLASS_PATH} />
              Wait
            </span>
          )}
          {paperLike && (
            <span className={`wf-badge wf-badge-${step.medium}`}>
              <PathIcon d={MEDIUM_ICON_PATHS[step.medium as Exclude<typeof step.medium, 'digital'>]} />
              {MEDIUM_LABEL[step.medium]}
            </span>
          )}
          {heatMinutes !== null && <span className="wf-badge wf-badge-heat">{minutes(heatMinutes)}</span>}
          {trace && (
            <span className={`wf-badge wf-badge-trace${trace === UNTRACED ? ' wf-badge-untraced' : ''}`}>
              {trace}
            </span>
          )}
          {subProcess && (
            <span
              className="wf-badge wf-badge-subprocess"
              title="A sub-process: open its steps from its details"
            >
              ⊞ Sub-process
            </span>
          )}
        </span>
      </div>
      {round && <StepLabel step={step} />}
      {drift && drift.lines.length + drift.moreWorkarounds > 0 && <DriftCard drift={drift} />}
      {failingData && (
        // words for a screen reader are in the step's own name (WorkflowCanvas): the mark is a picture
        <span
          className="wf-data-mark"
          data-testid="step-data-mark"
          title={`This step ${failingData.words}`}
          aria-hidden="true"
        >
          <span className="wf-data-mark-symbol">⛁</span>
          {failingData.count}
        </span>
      )}
      {findings && onShowFindings && (
        <FindingMarkButton
          mark={findings}
          where={step.label}
          className="wf-finding-mark-step"
          onShow={() => onShowFindings({ kind: 'step', id: step.id })}
        />
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

function LaneNodeView({ data }: NodeProps<LaneNode>) {
  const staff = data.staff === 0 ? 'Not a staffed role' : `${data.staff} on shift`;
  return (
    <div className={`wf-lane${data.selected ? ' is-selected' : ''}`}>
      <button
        type="button"
        className="wf-lane-header nodrag nopan"
        onClick={data.onSelect}
        aria-pressed={data.selected}
      >
        <span className="wf-lane-name">{data.name}</span>
        <span className="visually-hidden">, </span>
        <span className="wf-lane-staff">{staff}</span>
      </button>
      {data.findings && data.onShowFindings && data.laneId && (
        <FindingMarkButton
          mark={data.findings}
          where={`the role ${data.name}`}
          className="wf-finding-mark-lane"
          onShow={() => data.onShowFindings?.({ kind: 'lane', id: data.laneId as string })}
        />
      )}
    </div>
  );
}

/** Node components by type (a stable object: React Flow warns when it changes). */
export const NODE_TYPES = {
  step: memo(StepNodeView),
  lane: memo(LaneNodeView),
  workaround: memo(WorkaroundNodeType),
  boundary: BoundaryEventNodeType,
};
