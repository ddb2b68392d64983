/**
 * A step's name inside its box, as the canvas, the SVG/PNG export and the printed document draw it:
 * one rule for which names shrink and to what size, so a name is never cut and every view agrees.
 */

/**
 * Splits a label into lines of at most `width` characters at its spaces, keeping every character:
 * a word longer than a line is broken across lines, never cut short.
 */
export function wrapLabel(label: string, width: number): string[] {
  const words = label
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => word.match(new RegExp(`.{1,${Math.max(1, width)}}`, 'gu')) ?? []);
  const out: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= width || line === '') {
      line = candidate;
    } else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  return out;
}

/** A step's name inside its box: its lines, their size and spacing. */
interface BoxName {
  lines: string[];
  fontSize: number;
  lineHeight: number;
}

/** Text sizes a name inside a box may take, largest first: the smallest is still read in print. */
const BOX_NAME_SIZES = [12, 11, 10, 9] as const;
/** Characters per line of a name at 12 px in a 160 px box; smaller text takes proportionally more. */
const BOX_NAME_CHARS = 22;
/** The width of the box {@link BOX_NAME_CHARS} is counted in (Preflight's own task); a narrower box (an imported task drawn as modeled) holds proportionally fewer. */
const BOX_NAME_WIDTH = 160;

/**
 * A step's whole name in a box `height` px tall: at the largest size (not below `smallest`) whose
 * lines fit the room above its badges (`badge`: the box shows a row of them along its bottom edge,
 * as the medium's badge of a non-digital step), else at the smallest size — the name is never cut;
 * a very long one runs past the box rather than lose its end.
 */
export function boxNameLines(
  label: string,
  height: number,
  badge: boolean,
  smallest = 9,
  width: number = BOX_NAME_WIDTH,
): BoxName {
  const room = height - 8 - (badge ? 20 : 0);
  let name: BoxName = { lines: [], fontSize: smallest, lineHeight: smallest + 2 };
  for (const fontSize of BOX_NAME_SIZES) {
    if (fontSize < smallest) break;
    const lineHeight = fontSize + 2;
    const chars = Math.max(1, Math.floor((BOX_NAME_CHARS * 12 * width) / (fontSize * BOX_NAME_WIDTH)));
    const lines = wrapLabel(label, chars);
    name = { lines, fontSize, lineHeight };
    if (lines.length * lineHeight <= room) break;
  }
  return name;
}

/** The size of a name at which the canvas is read (and the export draws a short one). */
export const NAME_SIZE = 12;
/** The smallest size the canvas draws a name at: still 9 px on screen at a zoom of 0.9. */
export const CANVAS_NAME_MIN = 10;
/** The room a 72 px tall box on the canvas loses to its edges (editor.css): over a row of badges, and without. */
const CANVAS_NAME_MARGIN = { badge: 25, plain: 8 } as const;
/** A name's line height on the canvas, for its size (editor.css `.wf-step-label`). */
const CANVAS_LINE_HEIGHT = 1.15;

/** A step's name on the canvas: its size and the lines its box holds at that size. */
interface CanvasName {
  fontSize: number;
  maxLines: number;
}

/**
 * A step's name in its `height` px box on the canvas: the size {@link boxNameLines} gives it (the
 * export's size, never below {@link CANVAS_NAME_MIN}), and the lines the box holds at that size
 * above its badges (`badge`) or without; `width` is the box's (a narrower one wraps sooner).
 */
export function canvasStepName(
  label: string,
  height: number,
  badge: boolean,
  width: number = BOX_NAME_WIDTH,
): CanvasName {
  const { fontSize } = boxNameLines(label, height, badge, CANVAS_NAME_MIN, width);
  const room = height - (badge ? CANVAS_NAME_MARGIN.badge : CANVAS_NAME_MARGIN.plain);
  return { fontSize, maxLines: Math.max(1, Math.floor(room / (fontSize * CANVAS_LINE_HEIGHT))) };
}
