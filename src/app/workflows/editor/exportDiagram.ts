/**
 * The diagram as a standalone SVG document, drawn from the same layout as the canvas (not a
 * screenshot of the DOM: no foreign objects, no fonts or styles fetched, so it opens anywhere and
 * can be rasterised to PNG inside our CSP). Text is escaped; the file holds the workflow's labels,
 * which are process descriptions, not patient records.
 */
import { type RoutePoint, routeKey } from '../../../core/workflow/index.ts';
import { isGateway, type Workflow } from '../../../formats/workflow.ts';
import { boxNameLines, wrapLabel } from './boxName.ts';
import { type CanvasLayout, type HeatMode, heatScale, labelPlace, type PlacedStep } from './canvasModel.ts';
import type { FindingMarks } from './findingMarks.ts';
import { escapeXml, findingMarksLegendSvg, findingMarksSvg, MARKS_LEGEND_HEIGHT } from './findingMarksSvg.ts';
import {
  flowLabelBaseline,
  flowMiddle,
  flowWords,
  placeFlowLabels,
  printedNameBox,
  ROUND_NAME_BELOW,
  ROUND_NAME_LINE,
  roundNameLines,
} from './flowLabels.ts';
import { CHECK_PATH, CIRCLE_PATH, HOURGLASS_PATH, MEDIUM_ICON_PATHS, PLUS_PATH } from './icons.tsx';
import { boundaryAriaLabel, KIND_LABEL, MEDIUM_LABEL } from './labels.ts';

/** Colours of non-digital media (with the icon and the word, never colour alone). */
const MEDIUM_COLOURS = {
  paper: { fill: '#fff4d6', stroke: '#8a5a00' },
  fax: { fill: '#fde8e8', stroke: '#a4161a' },
  phone: { fill: '#efe6fb', stroke: '#5b2a9e' },
  verbal: { fill: '#e3f4f1', stroke: '#1e6b5a' },
  digital: { fill: '#ffffff', stroke: '#4a5568' },
} as const;

/** Heat fills, bucket 0 (none) to 4 (most minutes). */
const HEAT_FILLS = ['#ffffff', '#fff1c2', '#ffd37a', '#ff9d4d', '#e8602c'] as const;

const MARGIN = 24;
/**
 * Everything drawn of each step, as a box in the diagram's coordinates: its shape, with its name
 * when that is drawn under the shape — what a printed part must show whole.
 */
export function stepExtents(
  steps: readonly PlacedStep[],
): { x: number; y: number; width: number; height: number }[] {
  return steps.map((p) => {
    const name = printedNameBox(p);
    const left = Math.min(p.x, name?.left ?? p.x);
    const right = Math.max(p.x + p.width, name?.right ?? p.x);
    const bottom = Math.max(p.y + p.height, name?.bottom ?? p.y);
    return { x: left, y: p.y, width: right - left, height: bottom - p.y };
  });
}

/** A lane's name wraps at this many characters (12 px bold) within the lane's header. */
const LANE_NAME_CHARS = 22;

/** The lines of a lane's name as its header draws it: whole, wrapped to the header's width. */
export function laneNameLines(name: string): string[] {
  return wrapLabel(name, LANE_NAME_CHARS);
}

function stepShape(p: PlacedStep, fill: string, stroke: string): string {
  const { x, y, width: w, height: h } = p;
  switch (p.step.kind) {
    case 'start':
    case 'end':
      return `<circle cx="${x + w / 2}" cy="${y + h / 2}" r="${w / 2}" fill="${fill}" stroke="${stroke}" stroke-width="${
        p.step.kind === 'end' ? 4 : 2
      }"/>`;
    case 'decision':
    case 'parallel-split':
    case 'parallel-join':
    case 'inclusive-split':
    case 'inclusive-join':
      return `<path d="M${x + w / 2} ${y}L${x + w} ${y + h / 2}L${x + w / 2} ${y + h}L${x} ${y + h / 2}Z" fill="${fill}" stroke="${stroke}" stroke-width="2"/>`;
    case 'wait':
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="2" stroke-dasharray="6 4"/>`;
    default:
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="2"/>`;
  }
}

function icon(path: string, x: number, y: number, colour: string): string {
  return `<path transform="translate(${x} ${y})" d="${path}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>`;
}

/** Routes of a diagram's flows by `routeKey` (core/workflow/layout/routing.ts), as the canvas draws them. */
export type DiagramRoutes = Readonly<Record<string, readonly RoutePoint[]>>;

/**
 * What the file says about its flows (its `<desc>`): how many are drawn plainly, straight from step
 * to step, because no route around the steps fits them — never hidden. `routes` undefined: the
 * flows were not routed at all.
 */
export function flowsDescription(drawn: number, plain: number, routed: boolean): string {
  if (drawn === 0) return 'The diagram has no flows between steps.';
  if (!routed)
    return `The ${plural(drawn, 'flow')} are drawn straight from step to step and may cross other steps.`;
  if (plain === 0) return `Every flow (${drawn}) is drawn around the steps.`;
  return `${plain} of ${plural(drawn, 'flow')} ${plain === 1 ? 'is' : 'are'} drawn straight from step to step (no way around the steps fits them) and may cross other steps; the rest are drawn around the steps.`;
}

function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : `${word}s`}`;
}

/** The flows of `workflow` the diagram draws (both steps placed) and how many have no route in `routes`. */
export function plainFlows(
  workflow: Workflow,
  layout: CanvasLayout,
  routes: DiagramRoutes | undefined,
): { drawn: number; plain: number } {
  const placed = new Set(layout.steps.map((p) => p.step.id));
  let drawn = 0;
  let plain = 0;
  const attachedTo = attachments(layout);
  for (const flow of workflow.flows) {
    if (!placed.has(flow.from) || !placed.has(flow.to)) continue;
    // the flow from an activity to a boundary event on its border is the event drawn there
    if (attachedTo.get(flow.to) === flow.from) continue;
    drawn++;
    if (!routeOf(routes, flow.from, flow.to)) plain++;
  }
  return { drawn, plain };
}

function routeOf(
  routes: DiagramRoutes | undefined,
  from: string,
  to: string,
): readonly RoutePoint[] | undefined {
  const points = routes?.[routeKey(from, to)];
  return points && points.length >= 2 ? points : undefined;
}

/**
 * The whole diagram as SVG text. With `marks` (the finding marks as the canvas shows them; none
 * when the user switched them off) the picture carries them too, with their legend below
 * (findingMarksSvg.ts). With `routes` (routeFlows of the same boxes the canvas routes: stepBoxes of
 * `layout`), a flow that has a route is drawn along it, as on the canvas, with its words and mark
 * halfway along it; a flow without one is drawn plainly, and the file's `<desc>` says how many.
 */
export function diagramSvg(
  workflow: Workflow,
  layout: CanvasLayout,
  heat: HeatMode = 'off',
  marks?: FindingMarks,
  routes?: DiagramRoutes,
): string {
  const scale = heatScale(workflow, heat);
  const left = layout.left - MARGIN;
  const width = layout.right - layout.left + 2 * MARGIN;
  const height = layout.bottom + 2 * MARGIN + 28 + (marks ? MARKS_LEGEND_HEIGHT + MARGIN : 0);
  const top = -MARGIN - 28;
  const byId = new Map(layout.steps.map((p) => [p.step.id, p]));
  const counted = plainFlows(workflow, layout, routes);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${left} ${top} ${width} ${height}" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(workflow.name)}</title>`,
    `<desc>${escapeXml(flowsDescription(counted.drawn, counted.plain, routes !== undefined))}</desc>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10Z" fill="#4a5568"/></marker></defs>',
    `<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${layout.left}" y="${-MARGIN + 4}" font-size="16" font-weight="bold" fill="#1b2430">${escapeXml(
      workflow.name,
    )}</text>`,
  );
  for (const lane of layout.lanes) {
    parts.push(
      `<rect x="${layout.left}" y="${lane.top}" width="${layout.right - layout.left}" height="${lane.height}" fill="${
        lane.index % 2 === 0 ? '#f7f9fb' : '#eef2f6'
      }" stroke="#c3ccd7"><title>${escapeXml(lane.name)}</title></rect>`,
      // the whole name, wrapped within the lane's header (whole in the lane's title), then its staff
      ...laneNameLines(lane.name).map(
        (line, i) =>
          `<text x="${layout.left + 10}" y="${lane.top + 24 + i * ROUND_NAME_LINE}" font-weight="bold" fill="#1b2430">${escapeXml(line)}</text>`,
      ),
      `<text x="${layout.left + 10}" y="${lane.top + 42 + (laneNameLines(lane.name).length - 1) * ROUND_NAME_LINE}" fill="#4a5568">${
        lane.staff === 0 ? 'Not a staffed role' : `${lane.staff} on shift`
      }</text>`,
    );
  }
  // the flows' words, where the canvas puts them: clear of steps, names, marks and each other
  const labelAt = placeFlowLabels(workflow.flows, layout, (from, to) => routeOf(routes, from, to), marks);
  /** the flows' words, drawn over the steps */
  const flowLabels: string[] = [];
  const attachedTo = attachments(layout);
  for (const flow of workflow.flows) {
    const from = byId.get(flow.from);
    const to = byId.get(flow.to);
    if (!from || !to || attachedTo.get(flow.to) === flow.from) continue;
    const route = routeOf(routes, flow.from, flow.to);
    const dash = flow.transfer === 'paper' || flow.transfer === 'manual' ? ' stroke-dasharray="7 4"' : '';
    const colour = flow.transfer === 'paper' || flow.transfer === 'manual' ? '#8a5a00' : '#4a5568';
    parts.push(
      `<path d="${flowPathData(from, to, route)}" fill="none" stroke="${colour}" stroke-width="1.5"${dash} marker-end="url(#arrow)" data-flow="${
        route ? 'routed' : 'plain'
      }"/>`,
    );
    const text = flowWords(flow);
    const at = labelAt.get(routeKey(flow.from, flow.to));
    if (text && at) {
      // drawn after the steps, with a white outline, so no step or line covers part of a word
      flowLabels.push(
        `<text x="${at.x}" y="${flowLabelBaseline(at.y)}" text-anchor="middle" fill="#1b2430" font-size="11" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${escapeXml(text)}</text>`,
      );
    }
  }
  for (const p of layout.steps) {
    const { step } = p;
    if (p.attached) {
      parts.push(boundaryEventSvg(p, byId.get(p.attached.host)?.step.label ?? p.attached.host));
      continue;
    }
    const colours = MEDIUM_COLOURS[step.medium];
    const bucket = scale.bucketOf(step);
    const fill = bucket === null ? colours.fill : (HEAT_FILLS[bucket] ?? colours.fill);
    parts.push(`<g><title>${escapeXml(`${KIND_LABEL[step.kind]}: ${step.label}`)}</title>`);
    parts.push(stepShape(p, fill, colours.stroke));
    const round = labelPlace(step.kind, step.size) === 'below';
    if (round) {
      // where the flows' words keep clear of it (flowLabels.ts)
      roundNameLines(p).forEach((line, i) => {
        parts.push(
          `<text x="${p.x + p.width / 2}" y="${p.y + p.height + ROUND_NAME_BELOW + i * ROUND_NAME_LINE}" text-anchor="middle" fill="#1b2430">${escapeXml(line)}</text>`,
        );
      });
    } else {
      // the whole name, smaller when it needs more lines than fit at 12 px (boxNameLines)
      const name = boxNameLines(step.label, p.height, step.medium !== 'digital', 9, step.size && p.width);
      const size = name.fontSize === 12 ? '' : ` font-size="${name.fontSize}"`;
      const startY =
        p.y +
        p.height / 2 -
        ((name.lines.length - 1) * name.lineHeight) / 2 -
        (step.medium === 'digital' ? 0 : 7);
      name.lines.forEach((line, i) => {
        parts.push(
          `<text x="${p.x + p.width / 2}" y="${startY + i * name.lineHeight + name.fontSize / 3}" text-anchor="middle" fill="#1b2430"${size}>${escapeXml(line)}</text>`,
        );
      });
    }
    const badges: string[] = [];
    if (step.kind === 'approval') badges.push(icon(CHECK_PATH, p.x + p.width - 20, p.y + 4, '#1e6b3a'));
    if (step.kind === 'wait') badges.push(icon(HOURGLASS_PATH, p.x + 4, p.y + 4, '#4a5568'));
    if (isGateway(step.kind)) {
      const marker = step.kind.startsWith('parallel') ? PLUS_PATH : CIRCLE_PATH;
      badges.push(icon(marker, p.x + p.width / 2 - 8, p.y + p.height / 2 - 8, '#1b2430'));
    }
    if (step.medium !== 'digital') {
      const bx = round ? p.x + p.width / 2 - 8 : p.x + 6;
      const by = round ? p.y + p.height / 2 - 8 : p.y + p.height - 20;
      badges.push(icon(MEDIUM_ICON_PATHS[step.medium], bx, by, colours.stroke));
      if (!round) {
        badges.push(
          `<text x="${bx + 20}" y="${by + 12}" fill="${colours.stroke}" font-size="11" font-weight="bold">${MEDIUM_LABEL[step.medium]}</text>`,
        );
      }
    }
    parts.push(...badges, '</g>');
  }
  parts.push(...flowLabels);
  if (marks) {
    const label = new Map(workflow.steps.map((st) => [st.id, st.label]));
    parts.push(
      ...findingMarksSvg(
        marks,
        layout,
        (id) => label.get(id) ?? id,
        (fromId, toId) => {
          const from = byId.get(fromId);
          const to = byId.get(toId);
          return from && to ? flowMiddle(from, to, routeOf(routes, fromId, toId)) : null;
        },
      ),
      findingMarksLegendSvg(marks, layout.left, layout.bottom + MARGIN),
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * A flow's path: along its route (straight segments, as the canvas draws it), else plainly, a
 * curve from the source's right side to the target's left side.
 */
function flowPathData(from: PlacedStep, to: PlacedStep, route: readonly RoutePoint[] | undefined): string {
  if (route) return route.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join('');
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x;
  const y2 = to.y + to.height / 2;
  const mid = (x1 + x2) / 2;
  return `M${x1} ${y1}C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}`;
}

/** Each boundary event drawn on its activity's border, by its id: the activity's id. */
function attachments(layout: CanvasLayout): Map<string, string> {
  return new Map(layout.steps.flatMap((p) => (p.attached ? [[p.step.id, p.attached.host] as const] : [])));
}

/**
 * A boundary event as the canvas draws it (BoundaryEventNode.tsx): a double circle on its
 * activity's border, dashed when it does not interrupt, its name beside it.
 */
function boundaryEventSvg(p: PlacedStep, hostLabel: string): string {
  const step = p.step;
  const cx = p.x + p.width / 2;
  const cy = p.y + p.height / 2;
  const dash = step.boundary?.interrupting === false ? ' stroke-dasharray="3 2.5"' : '';
  const ring = (r: number) =>
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" stroke="#4a5568" stroke-width="1.5"${dash}/>`;
  const left = p.attached && p.attached.of > 1 && p.attached.slot === 0;
  return [
    `<g><title>${escapeXml(boundaryAriaLabel(step, hostLabel))}</title>`,
    ring(p.width / 2 - 1),
    ring(p.width / 2 - 4),
    `<text x="${left ? p.x - 4 : p.x + p.width + 4}" y="${cy + 12}" text-anchor="${left ? 'end' : 'start'}" fill="#1b2430" font-size="11">${escapeXml(step.label)}</text>`,
    '</g>',
  ].join('');
}

/** A file name for the workflow's exports: its id, made safe. */
export function exportFileName(workflow: Workflow, extension: string): string {
  const slug = workflow.id.replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '') || 'workflow';
  return `${slug}.${extension}`;
}
