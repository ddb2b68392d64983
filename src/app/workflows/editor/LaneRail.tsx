/**
 * The lane names kept in view at the diagram's left edge once the view is panned past the lane
 * headers, as a spreadsheet keeps its first column: each at its lane's height, at the diagram's
 * zoom. A picture only (the headers themselves stay in the Tab order and the accessibility tree):
 * hidden from assistive technology, and clicks go through it to the diagram.
 */
import { type ReactFlowState, useStore } from '@xyflow/react';
import type { CanvasLayout } from './canvasModel.ts';

const transformOf = (state: ReactFlowState) => state.transform;

/**
 * Whether the rail is drawn at `viewport`: once the lane headers are (even partly) out of view at
 * the left, until the view is past the diagram's right end.
 */
export function laneRailShown(layout: CanvasLayout, viewport: { x: number; zoom: number }): boolean {
  return viewport.x + layout.left * viewport.zoom < 0 && viewport.x + layout.right * viewport.zoom > 0;
}

/** Drawn inside the React Flow canvas (it reads the view's pan and zoom). */
export function LaneRail({ layout }: { layout: CanvasLayout }) {
  const [x, y, zoom] = useStore(transformOf);
  if (!laneRailShown(layout, { x, zoom })) return null;
  return (
    <div
      className="wf-lane-rail"
      aria-hidden="true"
      style={{ transform: `translate(0px, ${y}px) scale(${zoom})` }}
    >
      {layout.lanes.map((lane) => (
        <div key={lane.id} className="wf-lane-rail-header" style={{ top: lane.top, height: lane.height }}>
          <span className="wf-lane-name">{lane.name}</span>
          <span className="wf-lane-staff">
            {lane.staff === 0 ? 'Not a staffed role' : `${lane.staff} on shift`}
          </span>
        </div>
      ))}
    </div>
  );
}
