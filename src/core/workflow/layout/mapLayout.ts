/**
 * The drawing of a process map: a left-to-right layered layout (elkjs) that follows the flow. The
 * start comes first and the end last, each in a column of its own; ELK breaks cycles depth-first
 * from the start, so the direction most cases take runs left to right and a loop back runs right
 * to left, routed around the boxes (orthogonal edges) where it stays visible; a repeat of one
 * activity is drawn as a loop on its box. Each path's label gets room of its own in the middle of
 * its route, so labels never sit on boxes.
 *
 * Sizes are the caller's (it knows its font): this file places boxes and routes, nothing more.
 * Constraint: ELK runs in the calling thread; the app calls this in the layout worker.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk.bundled.js';
import { layoutEngine } from './layout.ts';

/** A box to place. `kind` start and end are pinned to the first and last column. */
export interface MapNodeInput {
  id: string;
  kind: 'start' | 'end' | 'activity';
  width: number;
  height: number;
}

/** A path to route, with its label's size. */
export interface MapEdgeInput {
  id: string;
  from: string;
  to: string;
  label: { width: number; height: number };
}

/** A placed box: top-left corner and size. */
export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A routed path: its points from source to target, and its label's top-left corner. */
export interface RoutedEdge {
  id: string;
  points: Array<{ x: number; y: number }>;
  label: { x: number; y: number };
}

/** The whole drawing, from (0, 0) to (width, height). */
export interface MapLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: RoutedEdge[];
}

/** Space around the drawing. */
const MARGIN = 16;

/** Lays out a process map (see the file header). */
export async function layoutProcessMap(nodes: MapNodeInput[], edges: MapEdgeInput[]): Promise<MapLayout> {
  const elk = layoutEngine();
  // the start first in model order: the depth-first cycle breaking then starts from it
  const ordered = [
    ...nodes.filter((n) => n.kind === 'start'),
    ...nodes.filter((n) => n.kind === 'activity'),
    ...nodes.filter((n) => n.kind === 'end'),
  ];
  const graph: ElkNode = {
    id: 'map',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.padding': `[top=${MARGIN},left=${MARGIN},bottom=${MARGIN},right=${MARGIN}]`,
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.spacing.nodeNodeBetweenLayers': '24',
      'elk.layered.spacing.edgeNodeBetweenLayers': '12',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.edgeEdge': '12',
      'elk.spacing.edgeLabel': '2',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.separateConnectedComponents': 'false',
      'elk.edgeLabels.placement': 'CENTER',
    },
    children: ordered.map((n) => ({
      id: n.id,
      width: n.width,
      height: n.height,
      ...(n.kind === 'start'
        ? { layoutOptions: { 'elk.layered.layering.layerConstraint': 'FIRST_SEPARATE' } }
        : n.kind === 'end'
          ? { layoutOptions: { 'elk.layered.layering.layerConstraint': 'LAST_SEPARATE' } }
          : {}),
    })),
    edges: edges.map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.from],
        targets: [e.to],
        labels: [
          {
            id: `${e.id}-label`,
            width: e.label.width,
            height: e.label.height,
            text: e.id,
            layoutOptions: { 'elk.edgeLabels.placement': 'CENTER' },
          },
        ],
      }),
    ),
  };
  const placed = nodes.length > 0 ? await elk.layout(graph) : graph;
  const out: MapLayout = {
    width: placed.width ?? 2 * MARGIN,
    height: placed.height ?? 2 * MARGIN,
    nodes: (placed.children ?? []).map((n) => ({
      id: n.id,
      x: n.x ?? 0,
      y: n.y ?? 0,
      width: n.width ?? 0,
      height: n.height ?? 0,
    })),
    edges: [],
  };
  for (const e of placed.edges ?? []) {
    const points: Array<{ x: number; y: number }> = [];
    for (const section of e.sections ?? []) {
      points.push(section.startPoint, ...(section.bendPoints ?? []), section.endPoint);
    }
    const label = e.labels?.[0];
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    out.edges.push({
      id: e.id,
      points: points.map((p) => ({ x: p.x, y: p.y })),
      label: { x: label?.x ?? middle.x, y: label?.y ?? middle.y },
    });
  }
  return out;
}
