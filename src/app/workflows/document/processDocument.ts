/**
 * The parts of a process's printable document that are worked out rather than drawn: how a
 * diagram is cut into page-sized parts that stay legible, and the findings grouped as the
 * Findings tab groups them (severity, then leading check), each with its rule tags and the steps
 * it names in words. No React and no DOM: the document component only lays these out.
 */
import {
  dataItemName,
  type MetricDelta,
  type RoleImpact,
  replacementCounts,
  ruleTagsOf,
  type WorkflowAnalysis,
  type WorkflowComparison,
} from '../../../core/workflow/index.ts';
import { type Finding, type FindingSeverity, WORKFLOW_RULES } from '../../../core/workflow/rules/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { SEVERITY_ORDER } from '../analysis/severity.ts';

/**
 * The printable width in CSS pixels that both A4 and Letter leave inside the document's page
 * margins, the narrower one, with room to spare (A4: 210 mm − 2 × 10 mm ≈ 718 px; Letter: 8.5 in − 2 × 10 mm
 * ≈ 740 px).
 */
export const PRINT_WIDTH_PX = 700;

/**
 * The printable height in CSS pixels a map's part may take: Letter's page (11 in − 2 × 10 mm
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
interface DiagramBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One part of a diagram as printed on a page, in the diagram's coordinates. */
interface MapSlice {
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

/** A span along one axis: where a step's box starts and ends. */
type Span = readonly [number, number];

/**
 * Pieces of `length` (from `start`), each at most `longest`, such that every span of `spans` no
 * longer than a piece's drawn part lies wholly within some piece's drawn part — a piece's drawn
 * part being the piece less `lead` at its start for every piece but the first (where the lane
 * names are repeated over it). Each piece ends in a gap between steps where one is near its
 * end, and the next one's drawn part starts at that gap, so no step is drawn cut at a border;
 * where no gap is near, a piece ends at `longest` and the next one's drawn part starts at the
 * left edge of the leftmost step it cuts (and at least `overlap` before its end), so a cut step
 * is whole on the next. Greedy, left to right; the last piece starts early enough to be
 * `longest` (or the whole length).
 */
function cutBetween(
  start: number,
  length: number,
  longest: number,
  overlap: number,
  spans: readonly Span[],
  lead: number,
): [number, number][] {
  const stop = start + length;
  // the gaps between the steps' spans (merged), as [from, to]
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const gaps: Span[] = [];
  let reach = start;
  for (const [lo, hi] of sorted) {
    if (lo > reach) gaps.push([reach, lo]);
    reach = Math.max(reach, hi);
  }
  const pieces: [number, number][] = [];
  let at = start;
  let drawnFrom = start;
  while (pieces.length < 10_000) {
    if (at + longest >= stop - 1e-9) {
      // the last piece as long as the others, repeating more of the one before: it then prints
      // at their scale, and its rows are no more than theirs
      const from = Math.max(start, Math.min(at, stop - longest));
      pieces.push([from, stop - from]);
      break;
    }
    const limit = at + longest;
    // the gap nearest the piece's end that leaves at least half the drawn width to this piece
    const useful = drawnFrom + (limit - drawnFrom) / 2;
    let gap: Span | undefined;
    for (const g of gaps) if (g[0] >= useful && g[0] < limit && (!gap || g[0] > gap[0])) gap = g;
    let end: number;
    let next: number;
    if (gap) {
      end = Math.min(limit, gap[1]);
      next = gap[0];
    } else {
      end = limit;
      next = end - overlap;
      // a step the border cuts, which fits in a piece's drawn part, starts the next drawn part
      for (const [lo, hi] of spans)
        if (lo < end && hi > end && lo > drawnFrom && hi - lo <= longest - lead) next = Math.min(next, lo);
    }
    pieces.push([at, end - at]);
    drawnFrom = next;
    at = next - lead;
  }
  return pieces;
}

/**
 * {@link cutBetween} in the fewest pieces, as even as the steps allow: the greedy count at
 * `longest`, then the shortest longest piece that keeps that count.
 */
function cutEvenly(
  start: number,
  length: number,
  longest: number,
  overlap: number,
  spans: readonly Span[],
  lead: number,
): [number, number][] {
  const most = cutBetween(start, length, longest, overlap, spans, lead);
  if (most.length <= 1) return most;
  let low = Math.max(lead + overlap, length / most.length);
  let high = longest;
  let best = most;
  for (let i = 0; i < 24 && high - low > 1; i++) {
    const middle = (low + high) / 2;
    const pieces = cutBetween(start, length, middle, overlap, spans, lead);
    if (pieces.length <= most.length) {
      best = pieces;
      high = middle;
    } else low = middle;
  }
  return best;
}

/**
 * The parts that print `box` on pages `pageWidth` × `pageHeight` px without going below
 * `minScale`: the whole diagram when it fits, else the fewest columns, and within each the
 * fewest rows, that fit — in reading order (down a column, then the next column). A part
 * narrower than the page prints at its own size, never enlarged.
 *
 * Without `steps` the columns and rows are equal, each repeating `overlap` of its neighbour.
 * With `steps` (everything drawn of each step: {@link stepExtents}) the borders fall in the gaps
 * between steps where they can, and every step that fits on a part is drawn whole on at least
 * one part — below the `topBand` that carries the lane names at the top of a part that starts
 * below the diagram's top ({@link drawnArea}); a part that shows no step — an empty stretch of
 * lanes, or steps another part draws whole — is left out.
 */
export function mapSlices(
  box: DiagramBox,
  steps?: readonly DiagramBox[],
  pageWidth = PRINT_WIDTH_PX,
  pageHeight = PRINT_HEIGHT_PX,
  minScale = MIN_PRINT_SCALE,
  overlap = SLICE_OVERLAP,
  topBand = 0,
): MapSlice[] {
  if (!steps) {
    return cut(box.x, box.width, pageWidth / minScale, overlap).flatMap(([x, width]) => {
      const scale = Math.min(1, pageWidth / width);
      return cut(box.y, box.height, pageHeight / scale, overlap).map(([y, height]) => ({
        x,
        y,
        width,
        height,
      }));
    });
  }
  const shows = (part: MapSlice, s: DiagramBox) =>
    s.x < part.x + part.width &&
    s.x + s.width > part.x &&
    s.y < part.y + part.height &&
    s.y + s.height > part.y;
  const partsOf = (columns: [number, number][]) => {
    const parts = columns.flatMap(([x, width]) => {
      const scale = Math.min(1, pageWidth / width);
      // the rows keep whole the steps this column draws whole (each step is whole in some column)
      const mine = steps.filter((s) => s.x >= x - 1e-9 && s.x + s.width <= x + width + 1e-9);
      const ySpans: Span[] = mine.map((s) => [s.y, s.y + s.height]);
      return cutEvenly(box.y, box.height, pageHeight / scale, overlap, ySpans, topBand).map(
        ([y, height]) => ({
          x,
          y,
          width,
          height,
        }),
      );
    });
    if (parts.length === 1) return parts;
    // a part is kept for a step it draws whole, or shows part of a step no part draws whole
    const whole = (part: MapSlice, s: DiagramBox) => {
      const a = drawnArea(part, box, topBand);
      return s.x >= a.x && s.y >= a.y && s.x + s.width <= a.x + a.width && s.y + s.height <= a.y + a.height;
    };
    const cut = steps.filter((s) => !parts.some((part) => whole(part, s)));
    return parts.filter((part) => steps.some((s) => whole(part, s)) || cut.some((s) => shows(part, s)));
  };
  // columns as even as the steps allow, unless the widest columns take fewer pages (wider
  // columns print smaller, so a column's rows may then fit on one page)
  const xSpans: Span[] = steps.map((s) => [s.x, s.x + s.width]);
  const widest = pageWidth / minScale;
  const even = partsOf(cutEvenly(box.x, box.width, widest, overlap, xSpans, 0));
  const wide = partsOf(cutBetween(box.x, box.width, widest, overlap, xSpans, 0));
  return wide.length < even.length ? wide : even;
}

/**
 * The part of `slice` the diagram shows through: all of it when it starts at the diagram's top,
 * else below the `topBand` where the lane names of the lanes it starts inside are repeated.
 */
export function drawnArea(slice: MapSlice, box: DiagramBox, topBand: number): MapSlice {
  if (slice.y <= box.y + 1 || topBand <= 0) return slice;
  return { ...slice, y: slice.y + topBand, height: slice.height - topBand };
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

/** One finding as the document prints it: one row of its findings table. */
interface DocumentFinding {
  message: string;
  /** the message's first sentence: what was found and where (the rest cites the evidence, which the check's "why" carries once) */
  headline: string;
  /** every check this root cause tripped, its leading one first (rule ids) */
  tags: readonly string[];
  /** the steps it names, by their names, in the workflow they belong to */
  steps: string[];
  /** those of `steps` the headline does not quote, to be named beside it */
  unquoted: string[];
}

/**
 * The first sentence of a finding's message: up to the first full stop, question or exclamation
 * mark followed by a space and a capital letter or an opening quote — so "et al. 2013", "e.g. the"
 * and "1.5 min" do not end it. The whole message when it is one sentence.
 */
export function firstSentence(message: string): string {
  const end = /[.!?](?=\s+[A-Z“"‘'])/.exec(message);
  return end ? message.slice(0, end.index + 1) : message;
}

/** The findings of one leading check. */
interface DocumentRuleGroup {
  rule: string;
  title: string;
  /** what the check looks for and why it matters, from the rule table */
  why: string;
  findings: DocumentFinding[];
}

/** The findings of one severity, by leading check in the rule table's order. */
interface DocumentSeverityGroup {
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
  const toDocument = (f: Finding): DocumentFinding => {
    const headline = firstSentence(f.message);
    const steps = f.stepIds.map((id) => names.get(id) ?? 'a step no longer in the workflow');
    return {
      message: f.message,
      headline,
      tags: ruleTagsOf(f),
      steps,
      unquoted: steps.filter((step) => !headline.includes(`“${step}”`)),
    };
  };
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

// ---- landscape map pages -------------------------------------------------------------------

/**
 * A map's printable box on a landscape page, in CSS pixels: the narrower of A4 (297 mm ≈ 1123 px)
 * and Letter (11 in = 1056 px) less 2 × 8 mm margins (processDocument.css), and the shorter of
 * their heights (A4's 210 mm ≈ 794 px) less the margins and a line for the part's title.
 */
export const LANDSCAPE_WIDTH_PX = 980;
export const LANDSCAPE_HEIGHT_PX = 700;

/**
 * The smallest scale a map is printed at on its landscape pages: 12 px step names print at 7.2 px
 * (about 5.4 pt, the size of a map's small print). A map that would need less is cut into parts,
 * each with the lane names at its left edge.
 */
export const MIN_MAP_SCALE = 0.6;

/** The scale `slice` prints at on a landscape page: fitted, never enlarged. */
export function printScale(slice: { width: number; height: number }): number {
  return Math.min(1, LANDSCAPE_WIDTH_PX / slice.width, LANDSCAPE_HEIGHT_PX / slice.height);
}

/** A lane's band in the diagram's coordinates, for the names repeated on every part. */
interface LaneLabel {
  name: string;
  top: number;
  height: number;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The band at the top of a part, in the diagram's coordinates, that carries the names of the
 * lanes it starts inside when it starts below the diagram's top ({@link drawnArea}): a line of
 * 11 px bold text on white. A lane's own name goes in its top padding (LANE_PADDING, 40 px, above
 * its topmost step), which no step reaches.
 */
export const LANE_NAME_BAND = 20;

/** A lane name's width in 11 px bold, taken wide (about 7 px a letter), with its padding. */
const laneNameWidth = (name: string) => 10 + 7 * name.length;

/**
 * The boxes of the lane names {@link sliceSvgWithLanes} repeats on `slice`, in the diagram's
 * coordinates: one per lane the part shows, at its left edge, when the part does not start at
 * the diagram's left (where the lane headers are) or starts below the lane's top (its header's
 * name is then above the part) — in the lane's top padding, or in the part's top band.
 */
export function laneNameBoxes(
  box: DiagramBox,
  slice: MapSlice,
  lanes: readonly LaneLabel[],
): (MapSlice & { name: string })[] {
  const atLeft = slice.x <= box.x + 1;
  return lanes
    .filter((l) => l.top < slice.y + slice.height && l.top + l.height > slice.y)
    .filter((l) => !atLeft || l.top < slice.y - 1)
    .map((l) => ({
      name: l.name,
      x: slice.x + 2,
      y: Math.max(l.top, slice.y) + 2,
      width: laneNameWidth(l.name),
      height: LANE_NAME_BAND - 4,
    }));
}

/**
 * {@link sliceSvg} with the names of `lanes` repeated at the part's left edge (on a white label
 * in each lane's top padding, where no step is drawn) wherever the part does not show the lane's
 * header — so every part of a cut map says whose lane each band is.
 */
export function sliceSvgWithLanes(
  svg: string,
  box: DiagramBox,
  slice: MapSlice,
  lanes: readonly LaneLabel[],
): string {
  const sliced = sliceSvg(svg, box, slice);
  const labels = laneNameBoxes(box, slice, lanes);
  if (labels.length === 0) return sliced;
  const names = labels
    .map((l) => {
      const x = l.x - box.x;
      const y = l.y - box.y;
      return (
        `<rect x="${x}" y="${y}" width="${l.width}" height="${l.height}" rx="3" fill="#ffffff" fill-opacity="0.92" stroke="#c3ccd7"/>` +
        `<text x="${x + 5}" y="${y + l.height - 4}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11" font-weight="bold" fill="#1b2430">${escapeXml(l.name)}</text>`
      );
    })
    .join('');
  return sliced.replace(/<\/svg>$/, `<g class="lane-names">${names}</g></svg>`);
}

// ---- the one-page summary ------------------------------------------------------------------

/** A finding on the summary page: its check's title and its message's first sentence. */
interface SummaryFinding {
  severity: FindingSeverity;
  title: string;
  message: string;
}

/** The document's first page: what changes, the top findings, the capacity verdict. */
interface DocumentSummary {
  /** one line each: the per-patient metrics that change, the steps, the findings */
  changes: string[];
  /** the most serious findings of the planned workflow (else today's), at most {@link TOP_FINDINGS} */
  topFindings: SummaryFinding[];
  /** how many findings that workflow has in all */
  findingCount: number;
  /** whose findings they are */
  findingsOf: 'planned' | 'today' | null;
  /** one or two sentences: can the roles keep up at peak and in go-live week */
  capacity: string;
}

/** Findings on the summary page. */
export const TOP_FINDINGS = 5;

/** What the summary needs of the analysis (the process analysis of useProcessAnalysis.ts). */
interface SummaryInput {
  current: WorkflowAnalysis | null;
  future: WorkflowAnalysis | null;
  comparison: WorkflowComparison<Finding> | null;
}

const percentText = (share: number) => `${Math.round(share * 100)} %`;

/**
 * The summary of a process (see {@link DocumentSummary}); `metricText` formats a metric's value
 * and `metricName` names it (the compare view's words, so both say the same).
 */
export function documentSummary(
  input: SummaryInput,
  words: {
    metricName: (metric: MetricDelta['metric']) => string;
    metricText: (metric: MetricDelta['metric'], value: number) => string;
  },
  future: Workflow | undefined,
  current: Workflow | undefined,
): DocumentSummary {
  const changes: string[] = [];
  const comparison = input.comparison;
  if (comparison) {
    for (const d of comparison.metrics.deltas) {
      if (!d.better && !d.worse) continue;
      changes.push(
        `${words.metricName(d.metric)}: ${words.metricText(d.metric, d.current)} today, ${words.metricText(d.metric, d.future)} planned (${d.better ? 'better' : 'worse'}).`,
      );
    }
    if (comparison.metrics.deltas.length > 0 && changes.length === 0)
      changes.push('The per-patient numbers stay the same.');
    const replaced = replacementCounts(comparison.matches);
    const untraced = comparison.removed.untraced.length;
    changes.push(
      `${replaced.planned} planned ${replaced.planned === 1 ? 'step replaces' : 'steps replace'} ${replaced.today} of today’s; ` +
        `${comparison.added.length} new, ${comparison.removed.retired.length} retired` +
        (untraced > 0 ? `, ${untraced} of today’s not accounted for.` : '.'),
    );
    if (comparison.findings) {
      changes.push(
        `The plan resolves ${comparison.findings.resolved.length} of today’s findings and introduces ${comparison.findings.introduced.length}.`,
      );
      const unmeasured = comparison.findings.unmeasured?.length ?? 0;
      if (unmeasured > 0)
        changes.push(
          `${unmeasured} of today’s findings come from its event log; a log of the new system will show whether the plan changes them.`,
        );
    }
  } else {
    changes.push(
      future
        ? 'Only the planned workflow is drawn: there is nothing of today to compare it with.'
        : 'Only today’s workflow is drawn: nothing is planned to compare it with yet.',
    );
  }
  const analysed = input.future ?? input.current;
  const findingsOf = input.future ? 'planned' : input.current ? 'today' : null;
  const titles = new Map<string, string>(WORKFLOW_RULES.map((r) => [r.id, r.title]));
  // the message's first sentence: what was found and where (its evidence is the findings table's)
  const topFindings = (analysed?.findings ?? []).slice(0, TOP_FINDINGS).map((f) => ({
    severity: f.severity,
    title: titles.get(f.rule) ?? f.rule,
    message: firstSentence(f.message),
  }));
  return {
    changes,
    topFindings,
    findingCount: analysed?.findings.length ?? 0,
    findingsOf,
    capacity: capacityVerdict(analysed, future ?? current),
  };
}

function capacityVerdict(analysis: WorkflowAnalysis | null, workflow: Workflow | undefined): string {
  if (!analysis || !workflow) return 'No workflow to judge.';
  if (!analysis.metrics.ok) return `Capacity cannot be worked out: ${analysis.metrics.problem.message}`;
  const lanes = analysis.metrics.metrics.lanes.filter((l) => l.utilisation !== null);
  if (lanes.length === 0) return 'No role has staff on shift to queue for: nothing to judge.';
  const busiest = lanes.reduce((a, b) => ((b.utilisation ?? 0) > (a.utilisation ?? 0) ? b : a));
  const peak = `At peak the busiest role, ${busiest.name}, is ${percentText(busiest.utilisation ?? 0)} busy.`;
  const cut = analysis.goLive.cut;
  if (!cut) return peak;
  const limit = percentText(cut.limit);
  const speed = percentText(cut.productivityFactor);
  if (cut.reduction <= 0)
    return `${peak} In go-live week (staff at ${speed} speed) every role keeps up at normal bookings, at or under ${limit} busy.`;
  const binding = workflow.lanes.find((l) => l.id === cut.bindingLaneId)?.name ?? 'a role';
  if (cut.plannedIsEnough)
    return `${peak} In go-live week (staff at ${speed} speed) the planned ${percentText(cut.plannedReduction)} cut in bookings keeps every role at or under ${limit} busy (${percentText(cut.reduction)} would do).`;
  return `${peak} In go-live week (staff at ${speed} speed) ${binding} cannot keep up: book ${percentText(cut.reduction)} fewer patients than normal${cut.plannedReduction > 0 ? ` (the plan cuts ${percentText(cut.plannedReduction)})` : ' (the plan keeps normal bookings)'} to keep every role at or under ${limit} busy.`;
}

/**
 * The data items a step types, as the steps table prints them: grouped by what they belong to, in
 * the order first typed — "demographics: address, phone; allergies" rather than "address
 * (demographics), phone (demographics), allergies".
 */
export function dataItemsText(items: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const name = dataItemName(item);
    const grouped = /^(.*) \((.*)\)$/.exec(name);
    const [group, word] = grouped ? [grouped[2] ?? '', grouped[1] ?? name] : ['', name];
    const key = group === '' ? `\u0000${word}` : group;
    groups.set(key, [...(groups.get(key) ?? []), word]);
  }
  return [...groups]
    .map(([key, words]) => (key.startsWith('\u0000') ? words.join(', ') : `${key}: ${words.join(', ')}`))
    .join('; ');
}

// ---- the training checklist by role ----------------------------------------------------------

/** One role's row of the document's training checklist. */
interface TrainingRow {
  /** the role's lanes, today's and planned: unique where two lanes bear the same name */
  id: string;
  role: string;
  status: RoleImpact['status'];
  /** the planned steps it does differently or newly, each with what it replaces or takes over */
  does: string[];
  /** today's steps it no longer does, each with where the work went */
  stops: string[];
  /** the systems it must learn and the data it newly types */
  learns: string[];
}

/**
 * The roles' training checklists as one table's rows: the steps each role does differently or
 * newly (by name, with today's steps they replace), the steps it stops and why, and the systems and
 * data it must learn. The attribute by attribute detail stays on the process page's comparison,
 * whose checklists print one page per role.
 */
export function trainingRows(roles: readonly RoleImpact[]): TrainingRow[] {
  return roles.map((role) => {
    const changed = role.changes.map((c) => {
      const others = c.instead.filter((i) => i.step.label !== c.step.label).map((i) => i.step.label);
      return others.length > 0 ? `${c.step.label} (instead of ${others.join(' and ')})` : c.step.label;
    });
    const gained = role.gains.map((g) =>
      g.instead.length > 0
        ? `${g.step.label} (new: takes over ${g.instead.map((i) => `${i.step.label} from ${i.step.laneName}`).join(', ')})`
        : `${g.step.label} (new)`,
    );
    const stops = role.loses.map((l) => {
      if (l.reason === 'retired') return `${l.step.label} (retired)`;
      if (l.reason === 'moved')
        return `${l.step.label} (now ${[...new Set(l.movedTo.map((m) => m.laneName))].join(', ')})`;
      return `${l.step.label} (nobody is planned to do it: check with the project lead)`;
    });
    const learns = [
      ...(role.newSystems.length > 0 ? [`Systems: ${role.newSystems.join(', ')}`] : []),
      ...(role.newDataItems.length > 0
        ? [`Newly types: ${role.newDataItems.map(dataItemName).join(', ')}`]
        : []),
    ];
    return {
      id: `${role.currentLaneId ?? ''}→${role.futureLaneId ?? ''}`,
      role: role.name,
      status: role.status,
      does: [...changed, ...gained],
      stops,
      learns,
    };
  });
}
