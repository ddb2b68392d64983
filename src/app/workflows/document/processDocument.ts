/**
 * The parts of a process's printable document that are worked out rather than drawn: how a
 * diagram is cut into page-sized parts that stay legible, and the findings grouped as the
 * Findings tab groups them (severity, then leading check), each with its rule tags and the steps
 * it names in words. No React and no DOM: the document component only lays these out.
 */
import { ruleTagsOf } from '../../../core/workflow/rootCauses.ts';
import { WORKFLOW_RULES } from '../../../core/workflow/rules/index.ts';
import type { Finding, FindingSeverity } from '../../../core/workflow/rules/types.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { SEVERITY_ORDER } from '../analysis/severity.ts';

/**
 * The printable width in CSS pixels that both A4 and Letter leave inside the document's page
 * margins (A4: 210 mm − 2 × 12 mm ≈ 703 px; Letter: 8.5 in − 2 × 12 mm ≈ 725 px), the narrower one.
 */
export const PRINT_WIDTH_PX = 700;

/**
 * The printable height in CSS pixels a map's part may take: Letter's page (11 in − 2 × 12 mm
 * ≈ 965 px, the shorter of the two) less room for the heading or caption printed with it.
 */
export const PRINT_HEIGHT_PX = 900;

/**
 * The smallest scale a diagram is printed at: its 12 px step names print at 9 px (≈ 7 pt) or
 * larger. A diagram that would need less is cut into parts instead of shrunk.
 */
export const MIN_PRINT_SCALE = 0.75;

/** How far each part repeats the edge of the one before, so a step cut at a border is whole in one. */
export const SLICE_OVERLAP = 60;

/** A diagram's box in its own coordinates (its SVG viewBox). */
export interface DiagramBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One part of a diagram as printed on a page, in the diagram's coordinates. */
export interface MapSlice {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The fewest equal pieces of `length` (from `start`), each at most `longest` and each repeating
 * `overlap` of the one before, that together cover it: `[start, size]` of each.
 */
function cut(start: number, length: number, longest: number, overlap: number): [number, number][] {
  if (length <= longest) return [[start, length]];
  // n pieces of size w with overlap o cover n·w − (n − 1)·o
  const count = Math.ceil((length - overlap) / (longest - overlap));
  const size = (length + (count - 1) * overlap) / count;
  return Array.from({ length: count }, (_, i) => [start + i * (size - overlap), size]);
}

/**
 * The parts that print `box` on pages `pageWidth` × `pageHeight` px without going below
 * `minScale`: the whole diagram when it fits, else the fewest columns of equal width, and within
 * them the fewest rows of equal height, that fit — each repeating `overlap` of its neighbour —
 * in reading order (down a column, then the next column). A part narrower than the page prints at
 * its own size, never enlarged. With `steps` (the steps' boxes), a part of a cut diagram that
 * shows none of them — an empty stretch of lanes — is left out.
 */
export function mapSlices(
  box: DiagramBox,
  steps?: readonly DiagramBox[],
  pageWidth = PRINT_WIDTH_PX,
  pageHeight = PRINT_HEIGHT_PX,
  minScale = MIN_PRINT_SCALE,
  overlap = SLICE_OVERLAP,
): MapSlice[] {
  const columns = cut(box.x, box.width, pageWidth / minScale, overlap);
  const parts = columns.flatMap(([x, width]) => {
    const scale = Math.min(1, pageWidth / width);
    return cut(box.y, box.height, pageHeight / scale, overlap).map(([y, height]) => ({
      x,
      y,
      width,
      height,
    }));
  });
  if (!steps || parts.length === 1) return parts;
  const shows = (part: MapSlice, s: DiagramBox) =>
    s.x < part.x + part.width &&
    s.x + s.width > part.x &&
    s.y < part.y + part.height &&
    s.y + s.height > part.y;
  return parts.filter((part) => steps.some((s) => shows(part, s)));
}

/** The viewBox of an SVG document's root element, or null when it has none. */
export function svgBox(svg: string): DiagramBox | null {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  const match = root && /\bviewBox="([^"]*)"/.exec(root);
  if (!match?.[1]) return null;
  const values = match[1]
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (values.length !== 4 || values.some((v) => !Number.isFinite(v))) return null;
  const [x, y, width, height] = values as [number, number, number, number];
  return width > 0 && height > 0 ? { x, y, width, height } : null;
}

/**
 * An SVG document showing `slice` of the diagram `svg` (whose box is `box`): the diagram nested
 * whole in an outer SVG whose viewBox is the slice, so nothing of the drawing is rewritten.
 */
export function sliceSvg(svg: string, box: DiagramBox, slice: MapSlice): string {
  const inner = svg.replace(/^<\?xml[^>]*>\s*/, '');
  const sx = slice.x - box.x;
  const sy = slice.y - box.y;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${sx} ${sy} ${slice.width} ${slice.height}" width="${slice.width}" height="${slice.height}">${inner}</svg>`;
}

/** One finding as the document prints it. */
export interface DocumentFinding {
  message: string;
  /** every check this root cause tripped, its leading one first (rule ids) */
  tags: readonly string[];
  /** the steps it names, by their names, in the workflow they belong to */
  steps: string[];
  /** the other checks' own words on this root cause */
  also: { rule: string; message: string }[];
}

/** The findings of one leading check. */
export interface DocumentRuleGroup {
  rule: string;
  title: string;
  /** what the check looks for and why it matters, from the rule table */
  why: string;
  findings: DocumentFinding[];
}

/** The findings of one severity, by leading check in the rule table's order. */
export interface DocumentSeverityGroup {
  severity: FindingSeverity;
  count: number;
  rules: DocumentRuleGroup[];
}

/**
 * `findings` of `workflow` grouped by severity (most serious first) and leading check (the rule
 * table's order), as on the Findings tab. A step not in `workflow` is looked up in `baseline` (a
 * finding about today's steps the plan leaves untraced names those).
 */
export function groupFindings(
  findings: readonly Finding[],
  workflow: Workflow,
  baseline?: Workflow,
): DocumentSeverityGroup[] {
  const names = new Map<string, string>();
  for (const step of baseline?.steps ?? []) names.set(step.id, step.label);
  for (const step of workflow.steps) names.set(step.id, step.label);
  const toDocument = (f: Finding): DocumentFinding => ({
    message: f.message,
    tags: ruleTagsOf(f),
    steps: f.stepIds.map((id) => names.get(id) ?? 'a step no longer in the workflow'),
    also: (f.parts ?? []).slice(1).map((p) => ({ rule: p.rule, message: p.message })),
  });
  return SEVERITY_ORDER.flatMap((severity) => {
    const ofSeverity = findings.filter((f) => f.severity === severity);
    if (ofSeverity.length === 0) return [];
    const known = new Set<string>(WORKFLOW_RULES.map((r) => r.id));
    const rules: DocumentRuleGroup[] = WORKFLOW_RULES.filter((r) =>
      ofSeverity.some((f) => f.rule === r.id),
    ).map((r) => ({
      rule: r.id,
      title: r.title,
      why: r.describe,
      findings: ofSeverity.filter((f) => f.rule === r.id).map(toDocument),
    }));
    // a finding of a check the table does not know is still printed, never dropped
    const unknown = ofSeverity.filter((f) => !known.has(f.rule));
    for (const rule of new Set(unknown.map((f) => f.rule))) {
      rules.push({
        rule,
        title: rule,
        why: '',
        findings: unknown.filter((f) => f.rule === rule).map(toDocument),
      });
    }
    return [{ severity, count: ofSeverity.length, rules }];
  });
}
