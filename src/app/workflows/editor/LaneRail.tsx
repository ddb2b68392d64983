/**
 * The lane names kept in view at the diagram's left edge once the view is panned past the lane
 * headers, as a spreadsheet keeps its first column: each at its lane's height, at the diagram's
 * zoom (on a canvas zoomed in, smaller: laneRailScale; on a phone, a narrow strip of names set on
 * end: laneRailNarrow). Opaque, so steps panned under it do not show through. A picture only (the
 * headers themselves stay in the Tab order and the accessibility tree): hidden from assistive
 * technology, and clicks go through the wide rail to the diagram (the narrow one answers hover
 * with a tooltip of the whole name).
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
/** A canvas narrower than this (a phone's) gets the narrow rail of names set on end. */
const RAIL_NARROW_BELOW = 600;
/** The narrow rail's width on screen (editor.css `.wf-lane-rail.is-narrow .wf-lane-rail-header`). */
const RAIL_NARROW_WIDTH = 28;

/**
 * Whether a canvas `canvasWidth` wide gets the narrow rail: each lane's name set on end in a strip
 * a line wide, so that on a phone the diagram keeps nearly all of the width.
 */
export function laneRailNarrow(canvasWidth: number): boolean {
  return canvasWidth < RAIL_NARROW_BELOW;
}

/**
 * The scale the rail's names are drawn at: the diagram's zoom, but never so large that the rail
 * covers more than 40 % of a canvas `canvasWidth` wide (zoomed in it would hide the step beside
 * it), nor, for that, below 9 px names. The narrow rail's names keep their own size (scale 1).
 */
export function laneRailScale(zoom: number, canvasWidth: number): number {
  if (laneRailNarrow(canvasWidth)) return 1;
  return Math.min(zoom, Math.max(RAIL_MIN_SCALE, (RAIL_MAX_SHARE * canvasWidth) / RAIL_HEADER_WIDTH));
}

/** How wide the rail is drawn on screen at `zoom` on a canvas `canvasWidth` wide. */
export function laneRailWidth(zoom: number, canvasWidth: number): number {
  if (laneRailNarrow(canvasWidth)) return RAIL_NARROW_WIDTH;
  return RAIL_HEADER_WIDTH * laneRailScale(zoom, canvasWidth);
}

/**
 * Whether the rail is drawn at `viewport`: once the lane headers are (even partly) out of view at
 * the left, until the view is past the diagram's right end.
 */
export function laneRailShown(layout: CanvasLayout, viewport: { x: number; zoom: number }): boolean {
  return viewport.x + layout.left * viewport.zoom < 0 && viewport.x + layout.right * viewport.zoom > 0;
}

const staffWords = (staff: number): string => (staff === 0 ? 'Not a staffed role' : `${staff} on shift`);

/** Drawn inside the React Flow canvas (it reads the view's pan and zoom). */
export function LaneRail({ layout }: { layout: CanvasLayout }) {
  const [x, y, zoom] = useStore(transformOf);
  const width = useStore(widthOf);
  return <LaneRailView layout={layout} view={{ x, y, zoom }} canvasWidth={width} />;
}

/**
 * The rail at the view `view` of a canvas `canvasWidth` wide (LaneRail without the canvas's store).
 * On a narrow canvas each name is set on end, cut short with an ellipsis where its lane is too low
 * for it; the whole name and staff show on hover (a tooltip), and assistive technology and focus
 * reach them on the lane headers themselves.
 */
export function LaneRailView({
  layout,
  view,
  canvasWidth,
}: {
  layout: CanvasLayout;
  view: { x: number; y: number; zoom: number };
  canvasWidth: number;
}) {
  const { x, y, zoom } = view;
  if (!laneRailShown(layout, { x, zoom })) return null;
  const narrow = laneRailNarrow(canvasWidth);
  const scale = laneRailScale(zoom, canvasWidth);
  // each header at its lane's height on screen, whatever the names' scale
  const stretch = zoom / scale;
  return (
    <div
      className={narrow ? 'wf-lane-rail is-narrow' : 'wf-lane-rail'}
      aria-hidden="true"
      style={{ transform: `translate(0px, ${y}px) scale(${scale})` }}
    >
      {layout.lanes.map((lane) => (
        <div
          key={lane.id}
          className="wf-lane-rail-header"
          title={narrow ? `${lane.name}, ${staffWords(lane.staff)}` : undefined}
          style={{ top: lane.top * stretch, height: lane.height * stretch }}
        >
          <span className="wf-lane-name">{lane.name}</span>
          {narrow ? null : <span className="wf-lane-staff">{staffWords(lane.staff)}</span>}
        </div>
      ))}
    </div>
  );
}
