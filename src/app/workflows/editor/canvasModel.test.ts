/**
 * The canvas geometry: lanes as stacked bands sized to their steps, steps always inside their own
 * lane, and `toStored` as the inverse of the layout (what the drag end and the arrow keys store).
 */

import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit, arrangeEdit } from '../../../core/workflow/edit/index.ts';
import { STEP_BOX } from '../../../core/workflow/index.ts';
import { layoutWorkflow } from '../../../core/workflow/layout/index.ts';
import { fixtureFutureWorkflow, fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Step, StepKind, Workflow } from '../../../formats/workflow.ts';
import {
  ARRANGE_OPTIONS,
  clearArea,
  FIT_MAX_ZOOM,
  heatScale,
  LANE_HEADER_WIDTH,
  LANE_MIN_HEIGHT,
  LANE_PADDING,
  laneAt,
  layoutCanvas,
  MIN_ZOOM,
  nextFreeSpot,
  type PlacedStep,
  partClearOf,
  READABLE_ZOOM,
  readableViewport,
  readableZoom,
  STEP_SIZE,
  selectionViewport,
  toStored,
  viewInArea,
  wholeViewport,
} from './canvasModel.ts';

function placedIn(workflow: Workflow, positions: Record<string, { x: number; y: number }>): Workflow {
  return {
    ...workflow,
    steps: workflow.steps.map((s) => (positions[s.id] ? { ...s, position: positions[s.id] } : s)),
  };
}

describe('layoutCanvas', () => {
  it('stacks one band per lane in lane order, at least the minimum height', () => {
    const layout = layoutCanvas(fixtureFutureWorkflow());
    expect(layout.lanes.map((l) => [l.id, l.top, l.height])).toEqual([
      ['desk', 0, LANE_MIN_HEIGHT],
      ['nurse', LANE_MIN_HEIGHT, LANE_MIN_HEIGHT],
      ['patient', 2 * LANE_MIN_HEIGHT, LANE_MIN_HEIGHT],
    ]);
    expect(layout.bottom).toBe(3 * LANE_MIN_HEIGHT);
  });

  it.each([
    { description: 'the samples’ spacing (40 + 160 × lane)', desk: 40, nurse: 200 },
    { description: 'steps stored above their band', desk: 40, nurse: -500 },
    { description: 'steps stored far below their band', desk: 900, nurse: 3000 },
  ])('keeps every step inside its own band: $description', ({ desk, nurse }) => {
    const workflow = fixtureWorkflow();
    const positions = Object.fromEntries(
      workflow.steps.map((s, i) => [s.id, { x: 40 + 200 * i, y: s.lane === 'desk' ? desk : nurse }]),
    );
    const layout = layoutCanvas(placedIn(workflow, positions));
    for (const placed of layout.steps) {
      const band = layout.lanes.find((l) => l.id === placed.step.lane);
      expect(band).toBeDefined();
      if (!band) continue;
      expect(placed.y).toBeGreaterThanOrEqual(band.top);
      expect(placed.y + placed.height).toBeLessThanOrEqual(band.top + band.height);
    }
  });

  it('grows a band to hold steps stacked in its lane', () => {
    const workflow = placedIn(fixtureFutureWorkflow(), {
      vitals: { x: 40, y: 20 },
      roomed: { x: 40, y: 320 },
    });
    const nurse = layoutCanvas(workflow).lanes[1];
    // the end circle sits centred on its row: 4 below its stored y
    expect(nurse?.height).toBe(320 + 4 + STEP_SIZE.end.height - 20 + 2 * LANE_PADDING);
  });

  it('places steps without a position in the next free columns of their lane', () => {
    const workflow = placedIn(fixtureWorkflow(), { arrive: { x: 40, y: 40 } });
    const layout = layoutCanvas(workflow);
    // shapes are centred in their step boxes: the centres of the columns 40 + 200 × i
    const centres = layout.steps.filter((p) => p.step.lane === 'desk').map((p) => p.x + p.width / 2);
    expect(centres).toEqual([40, 240, 440, 640].map((x) => x + STEP_BOX.width / 2));
    expect(layout.steps.find((p) => p.step.id === 'form')?.stored).toBe(false);
  });
});

describe('an arranged workflow on the canvas', () => {
  it.each(
    readdirSync(new URL('../../../../samples/workflows/', import.meta.url))
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, '')),
  )('%s: shapes of a column share a centre, none overlap, each sits in its lane', async (file) => {
    const workflow = JSON.parse(
      readFileSync(new URL(`../../../../samples/workflows/${file}.json`, import.meta.url), 'utf8'),
    ) as Workflow;
    const arranged = await layoutWorkflow(workflow, ARRANGE_OPTIONS);
    const edit = arrangeEdit(workflow, arranged);
    const after = edit ? applyEdit(workflow, edit).workflow : workflow;
    const canvas = layoutCanvas(after);
    const centre = (p: PlacedStep) => p.x + p.width / 2;
    for (const placed of canvas.steps) {
      const box = arranged.positions[placed.step.id];
      expect(centre(placed)).toBe(Math.round(box?.x ?? 0) + STEP_BOX.width / 2);
      const band = canvas.lanes.find((l) => l.id === placed.step.lane);
      expect(placed.y).toBeGreaterThanOrEqual(band?.top ?? Number.NaN);
      expect(placed.y + placed.height).toBeLessThanOrEqual((band?.top ?? 0) + (band?.height ?? 0));
    }
    for (const a of canvas.steps) {
      for (const b of canvas.steps) {
        if (a === b) continue;
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.step.id} and ${b.step.id} overlap`).toBe(true);
      }
    }
  });
});

describe('toStored', () => {
  it('finds the lane under a point and the first or last lane beyond the edges', () => {
    const layout = layoutCanvas(fixtureFutureWorkflow());
    expect(laneAt(layout, -100)?.id).toBe('desk');
    expect(laneAt(layout, LANE_MIN_HEIGHT + 1)?.id).toBe('nurse');
    expect(laneAt(layout, 10_000)?.id).toBe('patient');
  });

  it('is the inverse of the layout: storing where a step is drawn draws it there again', () => {
    const kinds: StepKind[] = [
      'start',
      'end',
      'task',
      'decision',
      'approval',
      'wait',
      'parallel-split',
      'inclusive-join',
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lane: fc.constantFrom('desk', 'nurse'),
            kind: fc.constantFrom(...kinds),
            x: fc.integer({ min: -500, max: 3000 }),
            y: fc.integer({ min: -500, max: 3000 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (specs) => {
          const steps: Step[] = specs.map((s, i) => ({
            ...(fixtureWorkflow().steps[1] as Step),
            id: `s${i}`,
            lane: s.lane,
            kind: s.kind,
            position: { x: s.x, y: s.y },
          }));
          const workflow: Workflow = { ...fixtureWorkflow(), steps, flows: [] };
          const layout = layoutCanvas(workflow);
          const stored = layout.steps.map((p) => toStored(layout, p.step.kind, p.x, p.y));
          const again = layoutCanvas({
            ...workflow,
            steps: steps.map((s, i) => ({
              ...s,
              lane: stored[i]?.lane ?? s.lane,
              position: stored[i]?.position,
            })),
          });
          expect(stored.map((s) => s?.lane)).toEqual(steps.map((s) => s.lane));
          expect(again.steps.map((p) => [p.x, p.y])).toEqual(layout.steps.map((p) => [p.x, p.y]));
        },
      ),
    );
  });

  it('moving a step down past its band puts it in the next lane', () => {
    const layout = layoutCanvas(fixtureWorkflow());
    const form = layout.steps.find((p) => p.step.id === 'form');
    if (!form) throw new Error('fixture changed');
    expect(toStored(layout, 'task', form.x, form.y + LANE_MIN_HEIGHT)?.lane).toBe('nurse');
    expect(toStored(layout, 'task', form.x, form.y + 10)?.lane).toBe('desk');
  });

  it('nextFreeSpot is right of the lane’s last step, on its top row', () => {
    const layout = layoutCanvas(fixtureFutureWorkflow());
    const spot = nextFreeSpot(layout, 'patient');
    const again = layoutCanvas({
      ...fixtureFutureWorkflow(),
      steps: [
        ...fixtureFutureWorkflow().steps,
        { ...(fixtureFutureWorkflow().steps[1] as Step), id: 'new', position: spot },
      ],
    });
    const kiosk = again.steps.find((p) => p.step.id === 'kiosk');
    const added = again.steps.find((p) => p.step.id === 'new');
    expect(added?.y).toBe(kiosk?.y);
    expect(added?.x).toBeGreaterThan(kiosk?.x ?? 0);
  });
});

describe('heatScale', () => {
  it.each([
    { mode: 'touch' as const, expected: { arrive: 0, form: 4, insured: 1, vitals: 4 } },
    { mode: 'wait' as const, expected: { arrive: 0, form: 4, insured: 0, vitals: 0 } },
  ])('buckets steps by $mode minutes against the largest', ({ mode, expected }) => {
    const workflow = fixtureWorkflow();
    const scale = heatScale(workflow, mode);
    const got = Object.fromEntries(
      Object.keys(expected).map((id) => [
        id,
        scale.bucketOf(workflow.steps.find((s) => s.id === id) as Step),
      ]),
    );
    expect(got).toEqual(expected);
  });

  it('is off without buckets', () => {
    expect(heatScale(fixtureWorkflow(), 'off').bucketOf(fixtureWorkflow().steps[0] as Step)).toBeNull();
  });
});

/** A wide workflow: `n` steps in a row across two lanes. */
function wide(n: number): Workflow {
  const base = fixtureWorkflow();
  const lane = (i: number) => (base.lanes[i % 2] as Workflow['lanes'][number]).id;
  const steps: Step[] = Array.from({ length: n }, (_, i) => ({
    ...(base.steps[1] as Step),
    id: `s${i}`,
    label: `Step ${i}`,
    kind: 'task' as StepKind,
    lane: lane(i),
    position: { x: 40 + i * 220, y: 40 + (i % 2) * 160 },
  }));
  return {
    ...base,
    steps,
    flows: steps.slice(1).map((s, i) => ({ from: `s${i}`, to: s.id, transfer: 'none' })),
  };
}

describe('wholeViewport ("Zoom to fit")', () => {
  it('shows every step and lane, centred, whatever the size of the diagram and the canvas', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 200, max: 3000 }),
        fc.integer({ min: 150, max: 2000 }),
        (n, width, height) => {
          const layout = layoutCanvas(wide(n));
          const view = wholeViewport(layout, { width, height }, 12);
          const left = view.x + layout.left * view.zoom;
          const right = view.x + layout.right * view.zoom;
          const bottom = view.y + layout.bottom * view.zoom;
          expect(view.zoom).toBeLessThanOrEqual(FIT_MAX_ZOOM);
          expect(view.readable).toBe(view.zoom >= READABLE_ZOOM);
          if (view.zoom > MIN_ZOOM) {
            expect(left).toBeGreaterThanOrEqual(12 - 1e-6);
            expect(right).toBeLessThanOrEqual(width - 12 + 1e-6);
            expect(view.y).toBeGreaterThanOrEqual(12 - 1e-6);
            expect(bottom).toBeLessThanOrEqual(height - 12 + 1e-6);
          }
          expect(left - 0).toBeCloseTo(width - right, 6);
          expect(view.y).toBeCloseTo(height - bottom, 6);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('raises the readable zoom only as much as its smallest name needs to read at 9 px', () => {
    const intake = 'Complete paper intake form (demographics, insurance, allergies, medications)';
    const short = layoutCanvas(wide(3));
    expect(readableZoom(short)).toBe(READABLE_ZOOM);
    const named = (label: string, medium: Step['medium']): Workflow => {
      const w = wide(3);
      return { ...w, steps: w.steps.map((s, i) => (i === 1 ? { ...s, label, medium } : s)) };
    };
    // four lines fit a box without badges at 12 px: nothing shrinks
    expect(readableZoom(layoutCanvas(named(intake, 'digital')))).toBe(READABLE_ZOOM);
    // over the paper badge the name is drawn at 10 px, read at 9 px from a zoom of 0.9
    const layout = layoutCanvas(named(intake, 'paper'));
    expect(readableZoom(layout)).toBeCloseTo(0.9, 9);
    const size = { width: 1100, height: 600 };
    expect(readableViewport(layout, size).zoom * 10).toBeGreaterThanOrEqual(9 - 1e-9);
    // a fit at 0.8 reads with 12 px names, not with one at 10 px
    const at = { width: (layout.right - layout.left) * 0.8 + 24, height: 2000 };
    expect(wholeViewport(short, at)).toMatchObject({ zoom: expect.closeTo(0.8, 6), readable: true });
    expect(wholeViewport(layout, at)).toMatchObject({ zoom: expect.closeTo(0.8, 6), readable: false });
  });

  it('takes the badges a view adds (heat, comparison, sub-process) into the readable zoom', () => {
    const intake = 'Complete paper intake form (demographics, insurance, allergies, medications)';
    const w = wide(3);
    const workflow = {
      ...w,
      steps: w.steps.map((s, i) => (i === 1 ? { ...s, label: intake, medium: 'digital' as const } : s)),
    };
    const layout = layoutCanvas(workflow);
    const long = workflow.steps[1]?.id ?? '';
    const other = workflow.steps[2]?.id ?? '';
    // no badge: four lines at 12 px
    expect(readableZoom(layout)).toBe(READABLE_ZOOM);
    expect(readableZoom(layout, { heat: 'off' })).toBe(READABLE_ZOOM);
    // a badge row under the long name: drawn at 10 px, so 0.9 to read it at 9 px
    expect(readableZoom(layout, { heat: 'wait' })).toBeCloseTo(0.9, 9);
    expect(readableZoom(layout, { trace: new Map([[long, 'New']]) })).toBeCloseTo(0.9, 9);
    expect(readableZoom(layout, { subProcesses: new Set([long]) })).toBeCloseTo(0.9, 9);
    // a badge on another step leaves the long name its four lines
    expect(readableZoom(layout, { trace: new Map([[other, 'New']]) })).toBe(READABLE_ZOOM);
    // and the views follow it
    const size = { width: 1100, height: 600 };
    expect(readableViewport(layout, size, 12, { heat: 'touch' }).zoom).toBeGreaterThanOrEqual(0.9 - 1e-9);
    const at = { width: (layout.right - layout.left) * 0.8 + 24, height: 2000 };
    expect(wholeViewport(layout, at).readable).toBe(true);
    expect(wholeViewport(layout, at, 12, { heat: 'touch' }).readable).toBe(false);
    const narrow = { width: 200, height: 4000 };
    expect(selectionViewport(layout, [long], narrow)?.zoom).toBe(READABLE_ZOOM);
    expect(selectionViewport(layout, [long], narrow, 24, [], { heat: 'touch' })?.zoom).toBeCloseTo(0.9, 9);
  });

  it('goes below the readable size for a wide diagram, where "Readable size" does not', () => {
    const layout = layoutCanvas(wide(94));
    const size = { width: 1100, height: 600 };
    const whole = wholeViewport(layout, size);
    expect(whole.readable).toBe(false);
    expect(whole.zoom).toBeLessThan(READABLE_ZOOM);
    expect(layout.steps.every((p) => whole.x + (p.x + p.width) * whole.zoom <= size.width)).toBe(true);
    const readable = readableViewport(layout, size);
    expect(readable.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(readable.whole).toBe(false);
    // a small diagram is not blown up
    expect(wholeViewport(layoutCanvas(wide(2)), size)).toMatchObject({ zoom: FIT_MAX_ZOOM, readable: true });
  });
});

describe('clearArea (where a fitted view draws, clear of what lies over the canvas)', () => {
  const size = { width: 1216, height: 662 };
  /** the folded details line, the zoom controls under it and the overview map, as at 1440 x 900 */
  const foldedLine = { left: 953, top: 6, right: 1210, bottom: 46 };
  const controls = { left: 1170, top: 52, right: 1200, bottom: 170 };
  const overview = { left: 1000, top: 540, right: 1200, bottom: 650 };
  const card = { left: 910, top: 6, right: 1210, bottom: 640 };
  const wideDiagram = { width: 3000, height: 700 };
  const overlaps = (a: { left: number; top: number; right: number; bottom: number }, b: typeof a) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const screenBoxes = (
    layout: ReturnType<typeof layoutCanvas>,
    view: { x: number; y: number; zoom: number },
  ) =>
    layout.steps.map((p) => ({
      left: view.x + p.x * view.zoom,
      top: view.y + p.y * view.zoom,
      right: view.x + (p.x + p.width) * view.zoom,
      bottom: view.y + (p.y + p.height) * view.zoom,
    }));

  it('moves a readable part the least right or down that takes every step from under the zoom buttons', () => {
    const layout = layoutCanvas(wide(12));
    let covered = 0;
    const visible = (box: { left: number; top: number; right: number; bottom: number }, at: typeof size) =>
      box.right > 0 && box.left < at.width && box.bottom > 0 && box.top < at.height;
    for (const [at, buttons] of [
      [
        { width: 364, height: 631 },
        { left: 322, top: 10, right: 354, bottom: 130 },
      ],
      [
        { width: 546, height: 775 },
        { left: 504, top: 10, right: 536, bottom: 130 },
      ],
      [
        { width: 1216, height: 662 },
        { left: 1174, top: 60, right: 1206, bottom: 180 },
      ],
    ] as const) {
      const part = viewInArea(clearArea(at, [buttons]), (inside) => readableViewport(layout, inside));
      expect(part.whole).toBe(false);
      const moved = { ...part, ...partClearOf(layout, part, at, [buttons]) };
      const shown = screenBoxes(layout, moved).filter((box) => visible(box, at));
      expect(shown.filter((box) => overlaps(box, buttons))).toEqual([]);
      expect(moved.x).toBeGreaterThanOrEqual(part.x);
      expect(moved.y).toBeGreaterThanOrEqual(part.y);
      expect(moved.x - part.x).toBeLessThanOrEqual(at.width / 4);
      expect(moved.y - part.y).toBeLessThanOrEqual(at.height / 4);
      // clear already: left where it is
      if (screenBoxes(layout, part).every((box) => !visible(box, at) || !overlaps(box, buttons)))
        expect(moved).toEqual(part);
      else covered += 1;
    }
    expect(covered).toBeGreaterThan(0);
  });

  it('is the whole canvas with nothing over it', () => {
    expect(clearArea(size, [], wideDiagram)).toEqual({ left: 0, top: 0, width: 1216, height: 662 });
  });

  it('goes below a one-line bar for a wide diagram, and left of a card as tall as the canvas', () => {
    const below = clearArea(size, [foldedLine], wideDiagram, 8);
    expect(below).toEqual({ left: 0, top: 54, width: 1216, height: 608 });
    const left = clearArea(size, [card], wideDiagram, 8);
    expect(left).toEqual({ left: 0, top: 0, width: 902, height: 662 });
    // a tall, narrow diagram keeps the full height beside the bar instead
    expect(clearArea(size, [foldedLine], { width: 200, height: 2000 }, 8)).toMatchObject({
      top: 0,
      width: 945,
    });
  });

  it('keeps every step of a fitted diagram out from under the folded line, the controls and the map', () => {
    const layout = layoutCanvas(wide(28));
    const overlays = [foldedLine, controls, overview];
    const content = { width: layout.right - layout.left, height: layout.bottom };
    const area = clearArea(size, overlays, content);
    for (const view of [
      viewInArea(area, (inside) => wholeViewport(layout, inside)),
      viewInArea(area, (inside) => readableViewport(layout, inside)),
    ]) {
      const boxes = screenBoxes(layout, view);
      const shown = boxes.filter(
        (b) => b.left >= 0 && b.right <= size.width && b.top >= 0 && b.bottom <= size.height,
      );
      expect(shown.length).toBeGreaterThan(0);
      for (const box of boxes) expect(overlaps(box, foldedLine)).toBe(false);
    }
    const whole = screenBoxes(
      layout,
      viewInArea(area, (inside) => wholeViewport(layout, inside)),
    );
    for (const box of whole) for (const over of overlays) expect(overlaps(box, over)).toBe(false);
  });
});

describe('readableViewport', () => {
  /** The band of the workflow's leftmost start step. */
  function startBand(layout: ReturnType<typeof layoutCanvas>) {
    const starts = layout.steps.filter((p) => p.step.kind === 'start').sort((a, b) => a.x - b.x);
    const band = layout.lanes.find((l) => l.id === starts[0]?.step.lane);
    if (!band) throw new Error('the fixture has no start step');
    return band;
  }
  /** The diagram's box on screen under a viewport. */
  function onScreen(layout: ReturnType<typeof layoutCanvas>, view: { x: number; y: number; zoom: number }) {
    return {
      left: view.x + layout.left * view.zoom,
      top: view.y,
      right: view.x + layout.right * view.zoom,
      bottom: view.y + layout.bottom * view.zoom,
    };
  }

  it.each([
    ['a desktop canvas', { width: 1200, height: 700 }],
    ['a phone canvas', { width: 360, height: 500 }],
    ['a short canvas', { width: 1200, height: 200 }],
    ['a huge canvas', { width: 5000, height: 3000 }],
  ])('on %s: whole and centred when readable, else readable from the lane headers', (_name, size) => {
    for (const workflow of [fixtureWorkflow(), fixtureFutureWorkflow()]) {
      const layout = layoutCanvas(workflow);
      const view = readableViewport(layout, size, 12);
      const box = onScreen(layout, view);
      expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
      expect(view.zoom).toBeLessThanOrEqual(FIT_MAX_ZOOM);
      if (view.whole) {
        expect(box.left).toBeGreaterThanOrEqual(12 - 1e-9);
        expect(box.top).toBeGreaterThanOrEqual(12 - 1e-9);
        expect(box.right).toBeLessThanOrEqual(size.width - 12 + 1e-9);
        expect(box.bottom).toBeLessThanOrEqual(size.height - 12 + 1e-9);
        expect(box.left - 0).toBeCloseTo(size.width - box.right);
      } else {
        // it would not fit readably: the headers at the left edge, from the first lane down to
        // the lane the workflow starts in (moved up only when that lane is below the canvas)
        expect(box.left).toBeCloseTo(12);
        expect(box.top).toBeLessThanOrEqual(12);
        const start = startBand(layout);
        const startBottom = view.y + (start.top + start.height) * view.zoom;
        if (box.top < 12) expect(startBottom).toBeCloseTo(size.height - 12);
        else expect(startBottom - (size.height - 12)).toBeLessThanOrEqual(start.top * view.zoom);
        const wholeZoom = Math.min(
          (size.width - 24) / (layout.right - layout.left),
          (size.height - 24) / layout.bottom,
        );
        expect(wholeZoom).toBeLessThan(READABLE_ZOOM);
      }
    }
  });

  it.each([
    { lane: 0, height: 300, top: 12 },
    // the start's lane below the canvas: moved up the least that shows it whole
    { lane: 2, height: 300, top: undefined },
    { lane: 3, height: 300, top: undefined },
  ])('a readable part shows the lane the workflow starts in (lane $lane)', ({ lane, height, top }) => {
    const workflow = fixtureWorkflow();
    const lanes = [
      ...workflow.lanes,
      { id: 'lab', name: 'Lab', staff: 1 },
      { id: 'doctor', name: 'Doctor', staff: 1 },
    ];
    const first = lanes[lane]?.id ?? '';
    const moved: Workflow = {
      ...workflow,
      lanes,
      steps: workflow.steps.map((s) => (s.kind === 'start' ? { ...s, lane: first } : s)),
    };
    const layout = layoutCanvas(moved);
    const view = readableViewport(layout, { width: 360, height }, 12);
    expect(view.whole).toBe(false);
    const band = startBand(layout);
    expect(band.id).toBe(first);
    const bandTop = view.y + band.top * view.zoom;
    const bandBottom = view.y + (band.top + band.height) * view.zoom;
    expect(bandTop).toBeGreaterThanOrEqual(12 - 1e-9);
    expect(bandBottom).toBeLessThanOrEqual(height - 12 + 1e-9);
    if (top !== undefined) expect(view.y).toBe(top);
    else expect(bandBottom).toBeCloseTo(height - 12);
  });

  it('shows a small diagram whole on a desktop and a readable part of it on a phone', () => {
    const layout = layoutCanvas(fixtureWorkflow());
    expect(readableViewport(layout, { width: 1400, height: 800 }).whole).toBe(true);
    expect(readableViewport(layout, { width: 360, height: 500 }).whole).toBe(false);
  });
});

describe('selectionViewport', () => {
  /** Six lanes, a step every column, round the lanes: wider and taller than any canvas readably. */
  function wide(): Workflow {
    const base = fixtureWorkflow();
    const lanes = Array.from({ length: 6 }, (_, i) => ({ id: `lane-${i}`, name: `Lane ${i}`, staff: 1 }));
    const steps: Step[] = Array.from({ length: 60 }, (_, i) => ({
      ...(base.steps[1] as Step),
      id: `s${i}`,
      label: `Step ${i}`,
      lane: `lane-${i % 6}`,
      position: { x: 40 + 200 * i, y: 40 },
    }));
    return { ...base, lanes, steps, flows: [] };
  }

  // the zoom buttons at the top right, the overview map at the bottom right
  const panelsOf = (width: number, height: number, map: { width: number; height: number }) => [
    { left: width - 43, top: 15, right: width - 15, bottom: 99 },
    { left: width - 15 - map.width, top: height - 15 - map.height, right: width - 15, bottom: height - 15 },
  ];
  const desktop = { width: 1100, height: 760, panels: panelsOf(1100, 760, { width: 160, height: 100 }) };
  const phone = { width: 370, height: 500, panels: panelsOf(370, 500, { width: 96, height: 60 }) };
  const MARGIN = 24;

  it.each([
    { what: 'one step', ids: ['s7'], size: desktop, whole: true },
    { what: 'two neighbours', ids: ['s6', 's7'], size: desktop, whole: true },
    { what: 'two distant steps in distant lanes', ids: ['s5', 's1'], size: desktop, whole: true },
    {
      what: 'steps whose last would be under the overview map',
      ids: ['s1', 's4'],
      size: desktop,
      whole: true,
    },
    { what: 'two steps too far apart in one lane', ids: ['s6', 's12'], size: desktop, whole: false },
    { what: 'one step on a phone', ids: ['s7'], size: phone, whole: true },
    { what: 'the first and the last step', ids: ['s0', 's59'], size: desktop, whole: false },
    { what: 'two distant steps on a phone', ids: ['s3', 's8'], size: phone, whole: false },
  ])('$what: readable, and whole when it fits readably', ({ ids, size, whole }) => {
    const layout = layoutCanvas(wide());
    const PANELS = size.panels;
    const view = selectionViewport(layout, ids, size, MARGIN, PANELS);
    if (!view) throw new Error('no view');
    expect(view.whole).toBe(whole);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(view.zoom).toBeLessThanOrEqual(FIT_MAX_ZOOM);
    const placed = layout.steps.filter((p) => ids.includes(p.step.id));
    const screen = placed.map((p) => ({
      left: view.x + p.x * view.zoom,
      right: view.x + (p.x + p.width) * view.zoom,
      top: view.y + p.y * view.zoom,
      bottom: view.y + (p.y + p.height) * view.zoom,
    }));
    const bands = layout.lanes.filter((l) => placed.some((p) => p.step.lane === l.id));
    const first = screen.reduce((a, b) => (b.left < a.left ? b : a));
    // a lane header's width is free left of the leftmost step, its lane's top (its name) in view
    expect(first.left - LANE_HEADER_WIDTH * view.zoom).toBeGreaterThanOrEqual(MARGIN - 1e-9);
    expect(view.y + Math.min(...bands.map((b) => b.top)) * view.zoom).toBeGreaterThanOrEqual(MARGIN - 1e-9);
    if (whole) {
      for (const box of screen) {
        expect(box.right).toBeLessThanOrEqual(size.width - MARGIN + 1e-9);
        expect(box.bottom).toBeLessThanOrEqual(size.height - MARGIN + 1e-9);
        // moved out from under the panels where that keeps the lanes' names in view
        for (const panel of ids.includes('s4') ? PANELS : []) {
          const under =
            box.right > panel.left &&
            box.left < panel.right &&
            box.bottom > panel.top &&
            box.top < panel.bottom;
          expect(under).toBe(false);
        }
      }
    } else {
      // the first selected steps from the start of the view: it would not fit readably
      expect(first.left - LANE_HEADER_WIDTH * view.zoom).toBeCloseTo(MARGIN);
      const off = screen.some((box) => box.right > size.width - MARGIN || box.bottom > size.height - MARGIN);
      expect(off).toBe(true);
    }
  });

  it('is null when no step of the selection is on the diagram', () => {
    const layout = layoutCanvas(wide());
    expect(selectionViewport(layout, [], desktop)).toBeNull();
    expect(selectionViewport(layout, ['gone'], desktop)).toBeNull();
  });

  it('never blows a single small step up past the largest fitted zoom', () => {
    const layout = layoutCanvas(wide());
    expect(selectionViewport(layout, ['s0'], { width: 5000, height: 3000 })?.zoom).toBe(FIT_MAX_ZOOM);
  });
});

describe('lanes of several pools', () => {
  it('names a lane with its pool, unless the pool is the lane', () => {
    const base = fixtureWorkflow();
    const [first, second] = base.lanes;
    if (!first || !second) throw new Error('fixture changed');
    const workflow: Workflow = {
      ...base,
      pools: [
        { id: 'clinic', name: 'Clinic' },
        { id: 'lab', name: second.name },
      ],
      lanes: base.lanes.map((lane, index) =>
        index === 0 ? { ...lane, pool: 'clinic' } : index === 1 ? { ...lane, pool: 'lab' } : lane,
      ),
    };
    const names = layoutCanvas(workflow).lanes.map((lane) => lane.name);
    expect(names[0]).toBe(`Clinic · ${first.name}`);
    expect(names[1]).toBe(second.name);
    expect(layoutCanvas(base).lanes.map((lane) => lane.name)).toEqual(base.lanes.map((lane) => lane.name));
  });
});

describe('steps imported with the size another tool drew them at', () => {
  it('are drawn at that size, centred in their box, and dragging stores them back where they were', () => {
    const base = fixtureWorkflow();
    const [first, second] = base.steps;
    if (!first || !second) throw new Error('fixture changed');
    const workflow: Workflow = {
      ...base,
      steps: base.steps.map((step) =>
        step.id === first.id
          ? { ...step, position: { x: 240, y: 60 }, size: { width: 100, height: 80 } }
          : step,
      ),
    };
    const layout = layoutCanvas(workflow);
    const placed = layout.steps.find((p) => p.step.id === first.id) as PlacedStep;
    const band = layout.lanes.find((lane) => lane.id === first.lane);
    // a 100×80 shape fills its step box exactly: the modeler's bounds
    expect({ width: placed.width, height: placed.height }).toEqual({ width: 100, height: 80 });
    expect(placed.x).toBe(240);
    expect(placed.y - (band?.shift ?? 0)).toBe(60);
    expect(toStored(layout, placed.step, placed.x, placed.y)?.position).toEqual({ x: 240, y: 60 });
    // a step without a drawn size keeps Preflight's own
    const other = layout.steps.find((p) => p.step.id === second.id) as PlacedStep;
    expect({ width: other.width, height: other.height }).toEqual(STEP_SIZE[second.kind]);
  });
});
