/**
 * What the drift overlay draws on the canvas (driftOverlay.ts has the numbers): a card under a
 * planned step with its drift in words, and a workaround node — dashed, hatched, marked "Not in
 * the design" — beside the step it was done after. Neither is part of the workflow document: the
 * workaround nodes cannot be selected, moved, connected or deleted, and no edit ever sees them.
 */
import './drift.css';
import type { Edge, Node, NodeProps } from '@xyflow/react';
import { Handle, Position } from '@xyflow/react';
import type { PlacedStep } from './canvasModel.ts';
import type { DriftOverlay, StepDrift, WorkaroundMark } from './driftOverlay.ts';
import { PathIcon } from './icons.tsx';

/** A "skip" arrow (jumps over a box): marks skipped steps without relying on colour. */
export const SKIP_PATH = 'M1.5 11Q8 1 14.5 11 M11.8 10.6L14.5 11L15 8.2 M6 11.5h4v3H6Z';
/** A "plus in a dashed box": marks work the design does not have. */
export const WORKAROUND_PATH =
  'M2 2h3 M7 2h2 M11 2h3v3 M14 7v2 M14 11v3h-3 M9 14H7 M5 14H2v-3 M2 9V7 M2 5V2 M8 5v6 M5 8h6';
/** A clock: a measured time. */
export const CLOCK_PATH = 'M8 1.5a6.5 6.5 0 1 0 0.01 0Z M8 4.5V8l2.5 2';

/** Data of a workaround node. */
export type WorkaroundNodeData = { mark: WorkaroundMark };
/** A workaround on the canvas (not part of the design). */
export type WorkaroundNode = Node<WorkaroundNodeData, 'workaround'>;

/** Size of a workaround node and the gap between stacked ones. */
const WORKAROUND_SIZE = { width: 176, height: 40, gap: 8 } as const;

/** The drift card under a step (see the file header). */
export function DriftCard({ drift }: { drift: StepDrift }) {
  return (
    <span className={`wf-drift-card${drift.drift ? ' has-drift' : ''}`}>
      {drift.lines.map((line) => (
        <span
          key={line.kind}
          className={`wf-drift-line wf-drift-${line.kind}${line.drift ? ' is-drift' : ''}`}
        >
          <PathIcon d={line.kind === 'skipped' ? SKIP_PATH : CLOCK_PATH} />
          {line.drift && line.kind !== 'skipped' ? <strong>{line.text}</strong> : line.text}
        </span>
      ))}
      {drift.moreWorkarounds > 0 && (
        <span className="wf-drift-line is-drift">
          <PathIcon d={WORKAROUND_PATH} />
          {drift.moreWorkarounds} more not in the design after this step
        </span>
      )}
    </span>
  );
}

function WorkaroundNodeView({ data }: NodeProps<WorkaroundNode>) {
  const { mark } = data;
  return (
    <div className="wf-workaround" title={mark.text}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <PathIcon d={WORKAROUND_PATH} />
      <span className="wf-workaround-text">
        <span className="wf-workaround-kind">Not in the design</span>
        <span className="wf-workaround-name">{mark.activity}</span>
        <span className="wf-workaround-times">×{mark.times.toLocaleString('en-US')}</span>
        <span className="visually-hidden">, {mark.text}</span>
      </span>
    </div>
  );
}

/** The workaround node type, for the canvas's node types. */
export const WorkaroundNodeType = WorkaroundNodeView;

/**
 * The workaround nodes and their dashed links: each above and to the right of the step it
 * followed, stacked upwards, so the step itself and its drift card below stay readable.
 */
export function workaroundElements(
  overlay: DriftOverlay,
  placed: ReadonlyMap<string, PlacedStep>,
  stepLabel: ReadonlyMap<string, string>,
): { nodes: WorkaroundNode[]; edges: Edge[] } {
  const nodes: WorkaroundNode[] = [];
  const edges: Edge[] = [];
  for (const mark of overlay.workarounds) {
    const step = placed.get(mark.afterStepId);
    if (!step) continue;
    nodes.push({
      id: mark.id,
      type: 'workaround',
      position: {
        x: step.x + step.width * 0.6,
        y: step.y - (mark.slot + 1) * (WORKAROUND_SIZE.height + WORKAROUND_SIZE.gap),
      },
      width: WORKAROUND_SIZE.width,
      height: WORKAROUND_SIZE.height,
      draggable: false,
      selectable: false,
      connectable: false,
      deletable: false,
      focusable: false,
      zIndex: 2,
      data: { mark },
    });
    edges.push({
      id: `${mark.id}:link`,
      source: mark.afterStepId,
      target: mark.id,
      type: 'straight',
      selectable: false,
      focusable: false,
      deletable: false,
      className: 'wf-workaround-link',
      ariaLabel: `${mark.text}: ${stepLabel.get(mark.afterStepId) ?? mark.afterStepId}`,
    });
  }
  return { nodes, edges };
}
