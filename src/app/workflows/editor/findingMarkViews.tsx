/**
 * What the finding marks draw on the canvas (findingMarks.ts decides where): a small button on a
 * step, on a lane's header or in the middle of a flow, with a severity symbol and the number of
 * findings, that shows those findings. Never colour alone: the symbol differs by severity (the
 * findings panel's ✖ ▲ ℹ) and the button's name says the count and severities in words.
 */
import './findingMarks.css';
import { BaseEdge, type Edge, EdgeLabelRenderer, type EdgeProps, getSmoothStepPath } from '@xyflow/react';
import { type RoutePoint, routeMidpoint } from '../../../core/workflow/index.ts';
import { SEVERITY_LABELS, SEVERITY_ORDER } from '../analysis/severity.ts';
import type { FindingMark, FindingMarks } from './findingMarks.ts';

/** The element whose mark was chosen. */
export type MarkedElement =
  | { kind: 'step'; id: string }
  | { kind: 'lane'; id: string }
  | { kind: 'flow'; from: string; to: string };

/** Called when a mark is chosen: show the findings of that element. */
export type ShowMarkedFindings = (element: MarkedElement) => void;

/**
 * The mark's button. `where` names the element for a screen reader ("Check in", "flow from A to
 * B"); the visible text is the symbol (hidden from speech) and the count, which the name begins with.
 */
export function FindingMarkButton({
  mark,
  where,
  onShow,
  className = '',
}: {
  mark: FindingMark;
  where: string;
  onShow: () => void;
  className?: string;
}) {
  const count = mark.findings.length;
  const label = SEVERITY_LABELS[mark.severity];
  return (
    <button
      type="button"
      className={`wf-finding-mark wf-finding-mark-${mark.severity} nodrag nopan ${className}`.trim()}
      title={`${count === 1 ? 'Finding' : 'Findings'}: ${mark.summary}`}
      onClick={(event) => {
        // the click chooses the mark, not the step or lane under it
        event.stopPropagation();
        onShow();
      }}
    >
      <span className="wf-finding-mark-symbol" aria-hidden="true">
        {label.symbol}
      </span>
      {count}
      <span className="visually-hidden">
        {' '}
        {count === 1 ? 'finding' : 'findings'} on {where}: {mark.summary}
      </span>
    </button>
  );
}

/**
 * Where a flow is drawn: along its route around the steps when it has one (core/workflow/layout/routing.ts),
 * and its words at `labelAt` when placed (flowLabels.ts), else at the middle of its line.
 */
export type FlowData = { route?: RoutePoint[]; labelAt?: RoutePoint };
/** A flow drawn along its route ('routed') or as React Flow's stepped line between its steps ('plain'). */
export type FlowEdge = Edge<FlowData, 'routed' | 'plain'>;
/** Data of a flow that carries a finding mark, where it is drawn as any flow. */
export type MarkedFlowData = FlowData & { mark: FindingMark; where: string; onShow: () => void };
/** A flow drawn with its finding mark in the middle. */
export type MarkedFlowEdge = Edge<MarkedFlowData, 'marked'>;

/** An SVG path through the route's points, and its middle (where a label goes). */
function routePath(route: readonly RoutePoint[]): [string, number, number] {
  const middle = routeMidpoint(route);
  return [route.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '), middle.x, middle.y];
}

/** The flow's path: its route when it has one, else React Flow's stepped edge between its handles. */
function flowPath(props: EdgeProps, route: readonly RoutePoint[] | undefined): [string, number, number] {
  if (route && route.length >= 2) return routePath(route);
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX: props.sourceX,
    sourceY: props.sourceY,
    targetX: props.targetX,
    targetY: props.targetY,
    sourcePosition: props.sourcePosition,
    targetPosition: props.targetPosition,
  });
  return [path, labelX, labelY];
}

/** The flow's line (`drawn`: flowPath's) with its words: where they were placed, else at its middle. */
function FlowLine({
  props,
  data,
  drawn,
}: {
  props: EdgeProps;
  data: FlowData | undefined;
  drawn: ReturnType<typeof flowPath>;
}) {
  const [path, middleX, middleY] = drawn;
  const at = data?.labelAt ?? { x: middleX, y: middleY };
  return (
    <BaseEdge
      id={props.id}
      path={path}
      markerEnd={props.markerEnd}
      {...(props.style ? { style: props.style } : {})}
      {...(props.label ? { label: props.label, labelX: at.x, labelY: at.y } : {})}
    />
  );
}

function FlowView(props: EdgeProps<FlowEdge>) {
  return <FlowLine props={props} data={props.data} drawn={flowPath(props, props.data?.route)} />;
}

function MarkedFlowView(props: EdgeProps<MarkedFlowEdge>) {
  const { data } = props;
  const drawn = flowPath(props, data?.route);
  const [, middleX, middleY] = drawn;
  return (
    <>
      <FlowLine props={props} data={data} drawn={drawn} />
      {data && (
        <EdgeLabelRenderer>
          <div
            className="wf-finding-mark-flow nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${middleX}px, ${middleY}px)` }}
          >
            <FindingMarkButton mark={data.mark} where={data.where} onShow={data.onShow} />
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

/** Edge components by type (a stable object: React Flow warns when it changes). */
export const EDGE_TYPES = { marked: MarkedFlowView, routed: FlowView, plain: FlowView };

/** The finding marks' group of the editor's legend: what a mark means, and what is not drawn. */
export function FindingMarksLegend({ marks }: { marks: FindingMarks }) {
  const notDrawn = marks.unplaced.length;
  return (
    <div className="wf-legend-findings">
      <h4>Findings on the diagram</h4>
      <ul>
        {SEVERITY_ORDER.map((severity) => (
          <li key={severity}>
            <span className={`wf-finding-mark wf-finding-mark-${severity} wf-finding-mark-sample`}>
              <span className="wf-finding-mark-symbol" aria-hidden="true">
                {SEVERITY_LABELS[severity].symbol}
              </span>
              2
            </span>{' '}
            two findings, the most serious a {SEVERITY_LABELS[severity].one.toLowerCase()}
          </li>
        ))}
      </ul>
      <p>
        A mark sits on the step it is about, on the role's name when it is about the whole role, or on a flow
        when data is copied by hand along it. Choose a mark to read its findings below the diagram.
      </p>
      {notDrawn > 0 && (
        <p>
          {notDrawn === 1 ? 'One finding is' : `${notDrawn.toLocaleString('en-US')} findings are`} about the
          whole workflow or about steps of today's workflow: listed below, not drawn.
        </p>
      )}
    </div>
  );
}
