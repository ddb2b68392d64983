/**
 * The lane names kept in view at the diagram's left edge once the view is panned past the lane
 * headers, as a spreadsheet keeps its first column: each at its lane's height, at the diagram's
 * zoom (on a narrow canvas zoomed in, smaller: laneRailScale). A picture only (the headers themselves stay in the Tab order and the accessibility tree):
 * hidden from assistive technology, and clicks go through it to the diagram.
 */
import { type ReactFlowState, useStore } from '@xyflow/react';
import type { CanvasLayout } from './canvasModel.ts';

const transformOf = (state: ReactFlowState) => state.transform;
const widthOf = (state: ReactFlowState) => state.width;

/** A rail header's width at zoom 1 (editor.css `.wf-lane-rail-header`). */
const RAIL_HEADER_WIDTH = 168;
/** The rail covers at most this share of the canvas's width… */
const RAIL_MAX_SHARE = 0.4;
/** …unless that would draw its 12 px names below 9 px. */
const RAIL_MIN_SCALE = 0.75;

/**
 * The scale the rail's names are drawn at: the diagram's zoom, but never so large that the rail
 * covers more than 40 % of a canvas `canvasWidth` wide (zoomed in on a phone it would hide the
 * step beside it), nor, for that, below 9 px names.
 */
export function laneRailScale(zoom: number, canvasWidth: number): number {
  return Math.min(zoom, Math.max(RAIL_MIN_SCALE, (RAIL_MAX_SHARE * canvasWidth) / RAIL_HEADER_WIDTH));
}

/** How wide the rail is drawn on screen at `zoom` on a canvas `canvasWidth` wide. */
export function laneRailWidth(zoom: number, canvasWidth: number): number {
  return RAIL_HEADER_WIDTH * laneRailScale(zoom, canvasWidth);
}

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
  const width = useStore(widthOf);
  if (!laneRailShown(layout, { x, zoom })) return null;
  const scale = laneRailScale(zoom, width);
  // each header at its lane's height on screen, whatever the names' scale
  const stretch = zoom / scale;
  return (
    <div
      className="wf-lane-rail"
      aria-hidden="true"
      style={{ transform: `translate(0px, ${y}px) scale(${scale})` }}
    >
      {layout.lanes.map((lane) => (
        <div
          key={lane.id}
          className="wf-lane-rail-header"
          style={{ top: lane.top * stretch, height: lane.height * stretch }}
        >
          <span className="wf-lane-name">{lane.name}</span>
          <span className="wf-lane-staff">
            {lane.staff === 0 ? 'Not a staffed role' : `${lane.staff} on shift`}
          </span>
        </div>
      ))}
    </div>
  );
}
