/**
 * The finding marks in the diagram's SVG and PNG exports (exportDiagram.ts), drawn where the
 * canvas draws them (findingMarkViews.tsx, findingMarks.css): a step's at its top right corner, a
 * role's at the bottom of its name, a flow's in its middle, each with the severity symbol and the
 * count, and a legend saying what they mean.
 *
 * Constraints:
 * - Readable in print, in black and white: the severity is the symbol and the shape (square
 *   problem, pill warning, round note), as on screen; colour only repeats it. Each mark carries a
 *   <title> with the same words a screen reader hears on the canvas.
 * - The colours are the screen's (a test reads them from findingMarks.css and styles.css).
 * - Text comes from the workflow (step and role names) and the fixed severity words: escaped, and
 *   no record content (finding messages are not written into the picture, only counts).
 */
import type { FindingSeverity } from '../../../core/workflow/rules/index.ts';
import { SEVERITY_LABELS, SEVERITY_ORDER } from '../analysis/severity.ts';
import type { CanvasLayout, LaneBand, PlacedStep } from './canvasModel.ts';
import type { FindingMark, FindingMarks } from './findingMarks.ts';

/** A mark's colours by severity: text and symbol, fill, border (findingMarks.css). */
export const MARK_COLOURS: Readonly<Record<FindingSeverity, { text: string; fill: string; stroke: string }>> =
  {
    error: { text: '#ffffff', fill: '#a4161a', stroke: '#5c0b0e' },
    warn: { text: '#8a4b00', fill: '#fff3d6', stroke: '#8a4b00' },
    info: { text: '#0b5cad', fill: '#e6f0fa', stroke: '#0b5cad' },
  };

/** Height of a mark, as on screen (24 px minimum, less the 2 px border drawn on the edge). */
const MARK_HEIGHT = 22;
/** Where a step's mark sits against the step's top right corner (findingMarks.css). */
const STEP_MARK_OVERHANG = { top: 13, right: 12 };
/** A role's mark: its distance from the lane's left and bottom edges (findingMarks.css). */
const LANE_MARK_INSET = 8;

/** Text safe inside SVG content and attribute values (the diagram export shares it). */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Width of a mark holding `count`: the symbol, a thin gap and the digits, in 12 px bold. */
function markWidth(count: number): number {
  return Math.max(28, 22 + 8 * String(count).length);
}

/** The shape of a severity: square problem, pill warning, round note (never colour alone). */
function corner(severity: FindingSeverity, width: number): number {
  return severity === 'error' ? 3 : severity === 'warn' ? MARK_HEIGHT / 2 : width / 2;
}

/** One mark: its box with the symbol and the count, at top-left (`x`, `y`), titled in words. */
function markSvg(mark: FindingMark, where: string, x: number, y: number): string {
  const count = mark.findings.length;
  const width = markWidth(count);
  const colours = MARK_COLOURS[mark.severity];
  const rx = corner(mark.severity, width);
  const title = `${count} ${count === 1 ? 'finding' : 'findings'} on ${where}: ${mark.summary}`;
  return [
    `<g class="finding-mark finding-mark-${mark.severity}"><title>${escapeXml(title)}</title>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${MARK_HEIGHT}" rx="${rx}" ry="${Math.min(rx, MARK_HEIGHT / 2)}" fill="${colours.fill}" stroke="${colours.stroke}" stroke-width="2"/>`,
    `<text x="${x + width / 2}" y="${y + MARK_HEIGHT / 2 + 4}" text-anchor="middle" fill="${colours.text}" font-size="12" font-weight="bold"><tspan font-size="11">${SEVERITY_LABELS[mark.severity].symbol}</tspan> ${count}</text>`,
    '</g>',
  ].join('');
}

/** Where a flow's mark goes: the middle of the flow as the export draws it (route or curve). */
interface FlowMiddle {
  x: number;
  y: number;
}

/** Where a mark is drawn: its top-left corner and size, in the diagram's coordinates. */
export interface MarkBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

function markBox(mark: FindingMark, x: number, y: number): MarkBox {
  return { x, y, width: markWidth(mark.findings.length), height: MARK_HEIGHT };
}

/** A step's mark: over its top right corner (findingMarks.css `.wf-finding-mark-step`). */
export function stepMarkBox(placed: PlacedStep, mark: FindingMark): MarkBox {
  const width = markWidth(mark.findings.length);
  return markBox(
    mark,
    placed.x + placed.width + STEP_MARK_OVERHANG.right - width,
    placed.y - STEP_MARK_OVERHANG.top,
  );
}

/** A role's mark: at the bottom of its lane's header (findingMarks.css `.wf-finding-mark-lane`). */
export function laneMarkBox(layout: CanvasLayout, lane: LaneBand, mark: FindingMark): MarkBox {
  return markBox(mark, layout.left + LANE_MARK_INSET, lane.top + lane.height - LANE_MARK_INSET - MARK_HEIGHT);
}

/** A flow's mark: centred on the flow's middle as drawn (route or curve). */
export function flowMarkBox(middle: FlowMiddle, mark: FindingMark): MarkBox {
  const width = markWidth(mark.findings.length);
  return markBox(mark, middle.x - width / 2, middle.y - MARK_HEIGHT / 2);
}

/**
 * The marks as SVG elements, to draw over the steps, lanes and flows. `labelOf` names a step for
 * the titles; `flowMiddle` gives the middle of a flow as drawn (none: the flow is not drawn, so neither
 * is its mark).
 */
export function findingMarksSvg(
  marks: FindingMarks,
  layout: CanvasLayout,
  labelOf: (stepId: string) => string,
  flowMiddle: (from: string, to: string) => FlowMiddle | null,
): string[] {
  const parts: string[] = [];
  for (const lane of layout.lanes) {
    const mark = marks.lanes.get(lane.id);
    if (!mark) continue;
    const box = laneMarkBox(layout, lane, mark);
    parts.push(markSvg(mark, `the role ${lane.name}`, box.x, box.y));
  }
  for (const flow of marks.flows) {
    const middle = flowMiddle(flow.from, flow.to);
    if (!middle) continue;
    const box = flowMarkBox(middle, flow.mark);
    parts.push(
      markSvg(flow.mark, `the flow from ${labelOf(flow.from)} to ${labelOf(flow.to)}`, box.x, box.y),
    );
  }
  for (const placed of layout.steps) {
    const mark = marks.steps.get(placed.step.id);
    if (!mark) continue;
    const box = stepMarkBox(placed, mark);
    parts.push(markSvg(mark, placed.step.label, box.x, box.y));
  }
  return parts;
}

/** Height of one row of the legend. */
const LEGEND_ROW = 28;
/** From the legend's top to its first mark (below its title). */
const LEGEND_TITLE = 22;
/** From the last mark row to the first note's baseline. */
const LEGEND_NOTES_GAP = 14;
/** Height of one note line (11 px text). */
const LEGEND_NOTE = 18;
/** Notes under the marks at most: where marks sit, and how many findings are not drawn. */
const LEGEND_NOTES = 2;
/** Height of the legend under the diagram when marks are drawn ({@link findingMarksLegendSvg}). */
export const MARKS_LEGEND_HEIGHT =
  LEGEND_TITLE + SEVERITY_ORDER.length * LEGEND_ROW + LEGEND_NOTES_GAP + LEGEND_NOTES * LEGEND_NOTE;

/**
 * The legend under the diagram, from its top-left (`x`, `y`), one line each so it fits a narrow
 * diagram: what each mark means and how many findings are not drawn (about the whole workflow),
 * in the editor legend's words (FindingMarksLegend).
 */
export function findingMarksLegendSvg(marks: FindingMarks, x: number, y: number): string {
  const parts = [
    `<g class="finding-marks-legend"><text x="${x}" y="${y + 14}" font-weight="bold" fill="#1b2430">Findings on the diagram</text>`,
  ];
  SEVERITY_ORDER.forEach((severity, i) => {
    const width = markWidth(2);
    const colours = MARK_COLOURS[severity];
    const rx = corner(severity, width);
    const top = y + LEGEND_TITLE + i * LEGEND_ROW;
    const words = `two findings, the most serious a ${SEVERITY_LABELS[severity].one.toLowerCase()}`;
    parts.push(
      `<rect x="${x}" y="${top}" width="${width}" height="${MARK_HEIGHT}" rx="${rx}" ry="${Math.min(rx, MARK_HEIGHT / 2)}" fill="${colours.fill}" stroke="${colours.stroke}" stroke-width="2"/>`,
      `<text x="${x + width / 2}" y="${top + MARK_HEIGHT / 2 + 4}" text-anchor="middle" fill="${colours.text}" font-size="12" font-weight="bold"><tspan font-size="11">${SEVERITY_LABELS[severity].symbol}</tspan> 2</text>`,
      `<text x="${x + width + 8}" y="${top + MARK_HEIGHT / 2 + 4}" fill="#1b2430" font-size="12">${words}</text>`,
    );
  });
  const notDrawn = marks.unplaced.length;
  const notes = [
    'A mark sits on the step it is about, on the role when it is about the whole role, or on a flow when data is copied by hand along it.',
    ...(notDrawn === 0
      ? []
      : [
          `${notDrawn === 1 ? 'One finding is' : `${notDrawn.toLocaleString('en-US')} findings are`} about the whole workflow or about steps of today's workflow: not drawn.`,
        ]),
  ];
  notes.forEach((note, i) => {
    const top = y + LEGEND_TITLE + SEVERITY_ORDER.length * LEGEND_ROW + LEGEND_NOTES_GAP + i * LEGEND_NOTE;
    parts.push(`<text x="${x}" y="${top}" fill="#4a5568" font-size="11">${escapeXml(note)}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}
