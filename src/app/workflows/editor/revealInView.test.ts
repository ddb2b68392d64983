import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FlowRect, unionRect, type ViewportLike, viewportRevealing } from './revealInView.ts';

const VIEW = { width: 800, height: 600 };
const STEP = { x: 1000, y: 400, width: 160, height: 70 };

/** Where `rect` lands on screen under `viewport`. */
function onScreen(viewport: ViewportLike, rect: FlowRect) {
  return {
    left: viewport.x + rect.x * viewport.zoom,
    top: viewport.y + rect.y * viewport.zoom,
    right: viewport.x + (rect.x + rect.width) * viewport.zoom,
    bottom: viewport.y + (rect.y + rect.height) * viewport.zoom,
  };
}

describe('viewportRevealing', () => {
  it.each([
    {
      description: 'already in view with room: no move',
      viewport: { x: -800, y: -200, zoom: 1 },
      expected: null,
    },
    {
      description: 'wholly right of the view: centred across, not moved down (in view that way), same zoom',
      viewport: { x: 0, y: 0, zoom: 1 },
      expected: { x: 400 - 1080, y: 0, zoom: 1 },
    },
    {
      description: 'cut by the right edge: moved just enough, keeping the margin',
      viewport: { x: -300, y: -200, zoom: 1 },
      expected: { x: 800 - 32 - 1160, y: -200, zoom: 1 },
    },
    {
      description: 'cut by the top edge at half zoom: moved down just enough',
      viewport: { x: -300, y: -210, zoom: 0.5 },
      expected: { x: -300, y: 32 - 200, zoom: 0.5 },
    },
  ])('$description', ({ viewport, expected }) => {
    expect(viewportRevealing(viewport, VIEW, STEP)).toEqual(expected);
  });

  it('leaves a long flow alone when part of it shows, and centres it when none does', () => {
    const flow = { x: 0, y: 100, width: 3000, height: 40 };
    expect(viewportRevealing({ x: -500, y: 0, zoom: 1 }, VIEW, flow)).toBeNull();
    expect(viewportRevealing({ x: 0, y: -2000, zoom: 1 }, VIEW, flow)).toEqual({
      x: 0,
      y: 300 - 120,
      zoom: 1,
    });
  });

  it('with the whole diagram given, brings a role name at its left edge to the view edge, not centred', () => {
    const diagram = { x: -200, y: 0, width: 4000, height: 900 };
    const header = { x: -200, y: 100, width: 176, height: 160 };
    // centred it would leave 312 px of blank canvas left of the lanes
    expect(viewportRevealing({ x: -1500, y: 0, zoom: 1 }, VIEW, header)).toEqual({ x: 512, y: 0, zoom: 1 });
    expect(viewportRevealing({ x: -1500, y: 0, zoom: 1 }, VIEW, header, { content: diagram })).toEqual({
      x: 232,
      y: 0,
      zoom: 1,
    });
    // a diagram narrower than the view is not held to its edges
    expect(
      viewportRevealing({ x: -1500, y: 0, zoom: 1 }, VIEW, header, { content: { ...diagram, width: 500 } }),
    ).toEqual({ x: 512, y: 0, zoom: 1 });
  });

  it('moves a step from under the overview map the shortest way that keeps it in view', () => {
    const map = { left: 625, top: 485, right: 785, bottom: 585 };
    // the step sits at 640..800 × 500..570 on screen: under the map, and cut by the right edge
    const viewport = { x: -360, y: 100, zoom: 1 };
    const next = viewportRevealing(viewport, VIEW, STEP, { keepClear: [map] });
    expect(next).not.toBeNull();
    const box = onScreen(next as ViewportLike, STEP);
    expect(box.right <= map.left || box.bottom <= map.top).toBe(true);
    expect(box.top).toBeGreaterThanOrEqual(32);
    expect(box.right).toBeLessThanOrEqual(VIEW.width - 32);
    // in view and clear of the map already: no move
    expect(viewportRevealing({ x: -700, y: -200, zoom: 1 }, VIEW, STEP, { keepClear: [map] })).toBeNull();
  });

  it('clears the details card and the overview map beside it together, not one after the other', () => {
    // a wide window zoomed in twice over: the card unfolded along the right edge, the map and the
    // zoom buttons moved left of it; the last step (an end, its name below) at the bottom right
    const view = { width: 1216, height: 762 };
    const card = { left: 911, top: 5, right: 1211, bottom: 756 };
    const map = { left: 725, top: 647, right: 885, bottom: 747 };
    const zoomButtons = { left: 857, top: 15, right: 885, bottom: 127 };
    const end = { x: 5000, y: 600, width: 64, height: 64 };
    const viewport = { x: 1184 - 5064 * 2, y: 722 - 664 * 2, zoom: 2 };
    const next = viewportRevealing(viewport, view, end, { keepClear: [zoomButtons, map, card] });
    const box = onScreen(next as ViewportLike, end);
    // left of the card the shortest way, then above the map (it would lie under the map)
    expect(box.right).toBeLessThanOrEqual(card.left);
    expect(box.right <= map.left || box.bottom <= map.top).toBe(true);
    expect(box).toEqual({ left: 775, top: 511, right: 903, bottom: 639 });
  });

  describe('the lane names kept at the left edge (a panel drawn only once the headers are out of view)', () => {
    // a diagram zoomed in twice over: its lane headers start at x = -200, 176 wide; the rail drawn
    // over the view's left edge is 168 × 2 px wide, from the view's top to its bottom
    const zoom = 2;
    const rail = {
      panel: { left: 0, top: 0, right: 336, bottom: VIEW.height },
      shownAt: (viewport: ViewportLike) => viewport.x + -200 * viewport.zoom < 0,
    };
    const first = { x: 0, y: 200, width: 160, height: 70 };

    it('moves a step partly under the rail the least that clears it', () => {
      // the step at 20..340 on screen: partly in view, the headers far out of view at the left
      const viewport = { x: 20, y: -300, zoom };
      const without = viewportRevealing(viewport, VIEW, first);
      // alone, the step stops at the margin, under the rail
      expect(onScreen(without as ViewportLike, first).left).toBe(32);
      const next = viewportRevealing(viewport, VIEW, first, { keepClearWhere: [rail] });
      const box = onScreen(next as ViewportLike, first);
      // beside the rail with the gap (a quarter of the margin) and no further; same row
      expect(box.left).toBe(rail.panel.right + 8);
      expect((next as ViewportLike).y).toBe(viewport.y);
      // the headers are still out of view there, so the rail is drawn beside it
      expect(rail.shownAt(next as ViewportLike)).toBe(true);
      // clear of it already: no move
      expect(
        viewportRevealing({ x: 400, y: -300, zoom }, VIEW, first, { keepClearWhere: [rail] }),
      ).toBeNull();
    });

    it('counts the rail only where the view lands with it drawn', () => {
      // a step centred from far right: the view lands with the headers in view, rail not drawn
      const header = { x: -200, y: 100, width: 176, height: 160 };
      const viewport = { x: -3000, y: 0, zoom: 1 };
      expect(viewportRevealing(viewport, VIEW, header, { keepClearWhere: [rail] })).toEqual(
        viewportRevealing(viewport, VIEW, header),
      );
      // nothing over the view at all (the rail would cover a step left of 336 px were it drawn)
      const near = { x: 20, y: 100, width: 160, height: 70 };
      const hidden = { ...rail, shownAt: () => false };
      expect(
        viewportRevealing({ x: 200, y: 0, zoom: 1 }, VIEW, near, { keepClearWhere: [hidden] }),
      ).toBeNull();
    });

    it('clears the rail and the overview map together', () => {
      // a step low at the left: beside the rail it would land under a map drawn at the bottom left
      const map = { left: 340, top: 480, right: 500, bottom: 580 };
      const low = { x: 0, y: 500, width: 160, height: 70 };
      const viewport = { x: 20, y: -500, zoom };
      const next = viewportRevealing(viewport, VIEW, low, { keepClear: [map], keepClearWhere: [rail] });
      const box = onScreen(next as ViewportLike, low);
      expect(box.left).toBeGreaterThanOrEqual(rail.panel.right);
      expect(box.right <= map.left || box.left >= map.right || box.bottom <= map.top).toBe(true);
    });
  });

  it('shows any rect that fits the view whole, inside the margin, from any viewport (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          x: fc.integer({ min: -20_000, max: 20_000 }),
          y: fc.integer({ min: -20_000, max: 20_000 }),
        }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.record({
          x: fc.integer({ min: -5000, max: 20_000 }),
          y: fc.integer({ min: -5000, max: 20_000 }),
          width: fc.integer({ min: 1, max: 300 }),
          height: fc.integer({ min: 1, max: 200 }),
        }),
        fc.boolean(),
        (offset, zoom, rect, withDiagram) => {
          const diagram = { x: -6000, y: -6000, width: 30_000, height: 30_000 };
          const next = viewportRevealing(
            { ...offset, zoom },
            VIEW,
            rect,
            withDiagram ? { content: diagram } : {},
          ) ?? {
            ...offset,
            zoom,
          };
          const box = onScreen(next, rect);
          expect(next.zoom).toBe(zoom);
          const eps = 1e-6;
          expect(box.left).toBeGreaterThanOrEqual(32 - eps);
          expect(box.top).toBeGreaterThanOrEqual(32 - eps);
          expect(box.right).toBeLessThanOrEqual(VIEW.width - 32 + eps);
          expect(box.bottom).toBeLessThanOrEqual(VIEW.height - 32 + eps);
        },
      ),
    );
  });
});

it('unionRect holds both rectangles', () => {
  expect(unionRect({ x: 0, y: 10, width: 5, height: 5 }, { x: 3, y: 0, width: 10, height: 2 })).toEqual({
    x: 0,
    y: 0,
    width: 13,
    height: 15,
  });
});
