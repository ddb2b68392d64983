/**
 * Where the diagram's view moves so that a focused element (a step, its finding mark, a role's
 * name, a flow) can be seen: the keyboard user's "scroll into view" for the canvas, which the
 * browser cannot do itself.
 *
 * Why not the browser's: the diagram is a transformed layer inside React Flow's wrapper, which
 * has `overflow: hidden`. Focusing an element outside the view makes the browser scroll that
 * wrapper before the focus event runs, and React Flow scrolls it straight back to 0 on the next
 * scroll event (it would otherwise break panning). So a position read from the page at focus
 * time is a lie (the element looks in view), and a moment later the element is out of view
 * again. Positions here are in the diagram's own (flow) coordinates and the view is React Flow's
 * viewport, never the page's scroll.
 *
 * Pure (no DOM): the canvas measures, this decides.
 */

/** A rectangle in the diagram's (flow) coordinates. */
export interface FlowRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** React Flow's viewport: the screen offset of the diagram's origin and the zoom. */
export interface ViewportLike {
  x: number;
  y: number;
  zoom: number;
}

/**
 * Screen pixels kept free between a revealed element and the view's edge: room for a finding
 * mark's focus ring (3 px outline, 2 px offset) and for the zoom controls' shadow.
 */
export const REVEAL_MARGIN = 32;

/** The smallest rectangle holding both. */
export function unionRect(a: FlowRect, b: FlowRect): FlowRect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}

/** A rectangle on screen, relative to the view's top-left corner. */
export interface ScreenRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** What else a reveal keeps to. */
interface RevealOptions {
  /** screen pixels kept free at the view's edges (default {@link REVEAL_MARGIN}) */
  margin?: number;
  /**
   * the whole diagram: a move never uncovers empty canvas past its edge on an axis where it is
   * larger than the view (a role's name at the far left comes to the left edge, not the middle)
   */
  content?: FlowRect;
  /** panels over the view (the zoom controls, the overview map) the element must not end up under */
  keepClear?: readonly ScreenRect[];
  /**
   * panels drawn over the view only at some viewports (the lane names kept at the left edge, drawn
   * once the lane headers are panned out of view): kept clear of when they lie over the view where
   * it lands, and only then
   */
  keepClearWhere?: readonly ShownPanel[];
}

/** A panel over the view at some viewports only. */
export interface ShownPanel {
  /** where it lies on screen when it is drawn */
  panel: ScreenRect;
  /** whether it is drawn at `viewport` */
  shownAt: (viewport: ViewportLike) => boolean;
}

/**
 * The viewport (same zoom) that shows `rect` inside a view of `size` screen pixels, or null when
 * it is already shown with the margin to spare and clear of the panels. Per axis:
 * - wholly outside the view: centred, so the element comes with what is around it (its flows in
 *   and out), as React Flow's own focus pan does;
 * - partly in view: moved the least that shows it whole (Tab along a lane then scrolls the
 *   diagram by a step at a time instead of jumping);
 * - larger than the view (a long flow): left where it is when part of it shows, else centred.
 * Then, if it lands under panels, it is moved the least that clears them all while staying in
 * view (a step at the bottom right moves up above the overview map; one moved left of the details
 * card and landing under the map beside it moves on above the map). A panel in `keepClearWhere`
 * is one of them when it is drawn where the view would land without it (a view that lands with it
 * hidden has nothing to clear of it).
 */
export function viewportRevealing(
  viewport: ViewportLike,
  size: { width: number; height: number },
  rect: FlowRect,
  options: RevealOptions = {},
): ViewportLike | null {
  const keepClear = options.keepClear ?? [];
  const plain = revealAmong(viewport, size, rect, options, keepClear);
  const landed = plain ?? viewport;
  const shown = (options.keepClearWhere ?? []).filter((over) => over.shownAt(landed));
  if (shown.length === 0) return plain;
  return revealAmong(viewport, size, rect, options, [...keepClear, ...shown.map((over) => over.panel)]);
}

function revealAmong(
  viewport: ViewportLike,
  size: { width: number; height: number },
  rect: FlowRect,
  options: RevealOptions,
  keepClear: readonly ScreenRect[],
): ViewportLike | null {
  const { zoom } = viewport;
  const margin = options.margin ?? REVEAL_MARGIN;
  const around = options.content ? unionRect(options.content, rect) : null;
  const roomOf = (view: number) => Math.max(0, Math.min(margin, view / 4));
  const axis = (offset: number, view: number, start: number, length: number, pair?: [number, number]) => {
    const from = offset + start * zoom;
    const to = offset + (start + length) * zoom;
    const room = roomOf(view);
    let next = offset;
    if (to <= 0 || from >= view) next = view / 2 - (start + length / 2) * zoom;
    // partly in view (the wholly outside case is above) and too big to show whole: left alone
    else if (to - from > view - 2 * room) return offset;
    else if (from < room) next = room - start * zoom;
    else if (to > view - room) next = view - room - (start + length) * zoom;
    else return offset;
    if (!pair) return next;
    const [contentStart, contentLength] = pair;
    if (contentLength * zoom <= view - 2 * room) return next;
    // the diagram's first edge no further in than the margin, its last edge no further out
    const most = room - contentStart * zoom;
    const least = view - room - (contentStart + contentLength) * zoom;
    return Math.min(most, Math.max(least, next));
  };
  let x = axis(viewport.x, size.width, rect.x, rect.width, around ? [around.x, around.width] : undefined);
  let y = axis(viewport.y, size.height, rect.y, rect.height, around ? [around.y, around.height] : undefined);
  const cleared = clearOfPanels(
    {
      left: x + rect.x * zoom,
      top: y + rect.y * zoom,
      right: x + (rect.x + rect.width) * zoom,
      bottom: y + (rect.y + rect.height) * zoom,
    },
    keepClear,
    { width: size.width - roomOf(size.width), height: size.height - roomOf(size.height) },
    { x: roomOf(size.width), y: roomOf(size.height) },
    margin / 4,
  );
  x += cleared.dx;
  y += cleared.dy;
  return x === viewport.x && y === viewport.y ? null : { x, y, zoom };
}

/** A move of an element on screen. */
interface Shift {
  dx: number;
  dy: number;
}

/**
 * The least move of `box` (on screen) that takes it out from under every one of `panels` (with
 * `gap` pixels between) and keeps it inside the view's room (`room` from the top left edges, up to
 * `far` from them). Panels are cleared together, not one after another: the way out from under
 * the details card can lead under the overview map beside it, and the move must clear both. When
 * no move clears them all, the one under the fewest panels (then the shortest); none when the box
 * is clear already.
 */
function clearOfPanels(
  box: ScreenRect,
  panels: readonly ScreenRect[],
  far: { width: number; height: number },
  room: { x: number; y: number },
  gap: number,
): Shift {
  const at = ({ dx, dy }: Shift): ScreenRect => ({
    left: box.left + dx,
    top: box.top + dy,
    right: box.right + dx,
    bottom: box.bottom + dy,
  });
  const over = (moved: ScreenRect) =>
    panels.filter(
      (panel) =>
        moved.right + gap > panel.left &&
        moved.left - gap < panel.right &&
        moved.bottom + gap > panel.top &&
        moved.top - gap < panel.bottom,
    );
  const cost = (shift: Shift) => Math.abs(shift.dx) + Math.abs(shift.dy);
  let best: { shift: Shift; under: number } = { shift: { dx: 0, dy: 0 }, under: over(box).length };
  let reached: Shift[] = [{ dx: 0, dy: 0 }];
  // each round takes every move reached so far out from under the first panel still over it, the
  // four ways that keep it in view; as many rounds as panels reach any order of clearing them
  for (let round = 0; round < panels.length && best.under > 0; round++) {
    const next: Shift[] = [];
    for (const shift of reached) {
      const moved = at(shift);
      const panel = over(moved)[0];
      if (!panel) continue;
      const ways: Shift[] = [
        { dx: 0, dy: panel.top - gap - moved.bottom },
        { dx: 0, dy: panel.bottom + gap - moved.top },
        { dx: panel.left - gap - moved.right, dy: 0 },
        { dx: panel.right + gap - moved.left, dy: 0 },
      ];
      for (const way of ways) {
        const total = { dx: shift.dx + way.dx, dy: shift.dy + way.dy };
        const landed = at(total);
        // kept in view on the side it moves towards (a long flow, larger than the view, may move)
        if (
          (way.dy < 0 && landed.top < room.y) ||
          (way.dy > 0 && landed.bottom > far.height) ||
          (way.dx < 0 && landed.left < room.x) ||
          (way.dx > 0 && landed.right > far.width)
        )
          continue;
        next.push(total);
        const under = over(landed).length;
        if (under < best.under || (under === best.under && cost(total) < cost(best.shift)))
          best = { shift: total, under };
      }
    }
    reached = next;
  }
  return best.shift;
}
