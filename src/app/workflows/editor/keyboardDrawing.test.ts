/**
 * Drawing with the keyboard: focus along flows and across lanes, a step moved one lane up or down
 * or added after another landing where it is seen and on nothing else, and the type-ahead's order.
 */

import { describe, expect, it } from 'vitest';
import { applyEdit } from '../../../core/workflow/edit/index.ts';
import { flowEndsOf, type RoutePoint } from '../../../core/workflow/index.ts';
import { routeFlows } from '../../../core/workflow/layout/index.ts';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import type { Step, StepKind, Workflow } from '../../../formats/workflow.ts';
import { layoutCanvas } from './canvasModel.ts';
import {
  appendPlace,
  type Direction,
  laneMove,
  neighbourStep,
  ROW_SPACING,
  stepsMatching,
} from './keyboardDrawing.ts';

function step(id: string, label: string, lane: string, kind: StepKind, x: number, y: number): Step {
  return {
    id,
    label,
    lane,
    kind,
    medium: 'digital',
    system: '',
    touchMin: 0,
    waitMin: 0,
    clicks: 0,
    enters: [],
    position: { x, y },
  };
}

/**
 * desk:   start(40) → book(240) → pay(640)
 * nurse:                 triage(240) → (441, empty column) ...
 * doctor: (no steps)
 * lab:                   sample(440)
 * Flows: start→book, book→triage, triage→pay, book→pay.
 */
function drawn(): Workflow {
  return {
    ...fixtureWorkflow(),
    lanes: [
      { id: 'desk', name: 'Front desk', staff: 2 },
      { id: 'nurse', name: 'Nurse', staff: 1 },
      { id: 'doctor', name: 'Doctor', staff: 1 },
      { id: 'lab', name: 'Laboratory', staff: 1 },
    ],
    steps: [
      step('start', 'Patient arrives', 'desk', 'start', 40, 40),
      step('book', 'Book the visit', 'desk', 'task', 240, 40),
      step('pay', 'Take payment', 'desk', 'task', 640, 40),
      step('triage', 'Triage the patient', 'nurse', 'task', 240, 200),
      step('sample', 'Draw a blood sample', 'lab', 'task', 440, 520),
    ],
    flows: [
      { from: 'start', to: 'book', transfer: 'none' },
      { from: 'book', to: 'triage', transfer: 'none' },
      { from: 'triage', to: 'pay', transfer: 'none' },
      { from: 'book', to: 'pay', transfer: 'none' },
    ],
  };
}

describe('neighbourStep', () => {
  const workflow = drawn();
  const layout = layoutCanvas(workflow);
  it.each<[string, Direction, string | null]>([
    // along a flow; of two, the one on the same row
    ['start', 'right', 'book'],
    ['book', 'right', 'pay'],
    ['triage', 'right', 'pay'],
    ['pay', 'left', 'book'],
    ['book', 'left', 'start'],
    // no flow that way: the nearest step on that side of the lane
    ['start', 'left', null],
    ['sample', 'right', null],
    ['pay', 'right', null],
    // across lanes: the nearest column; an empty lane is passed over
    ['book', 'down', 'triage'],
    ['pay', 'down', 'triage'],
    ['triage', 'down', 'sample'],
    ['sample', 'up', 'triage'],
    ['start', 'up', null],
    ['sample', 'down', null],
  ])('from %s going %s reaches %s', (from, direction, expected) => {
    expect(neighbourStep(workflow, layout, from, direction)).toBe(expected);
  });

  it('falls back to the same lane when no flow leads that way', () => {
    const unlinked = { ...drawn(), flows: [] };
    const l = layoutCanvas(unlinked);
    expect(neighbourStep(unlinked, l, 'start', 'right')).toBe('book');
    expect(neighbourStep(unlinked, l, 'pay', 'left')).toBe('book');
    expect(neighbourStep(unlinked, l, 'triage', 'right')).toBeNull();
  });

  it('knows no neighbour of a step that is not there', () => {
    expect(neighbourStep(workflow, layout, 'gone', 'right')).toBeNull();
  });
});

/** The step's shape on the canvas after applying a lane and position to it. */
function placedAfter(
  workflow: Workflow,
  id: string,
  place: { lane: string; position: { x: number; y: number } },
) {
  const next = applyEdit(workflow, { type: 'step/update', id, patch: place }).workflow;
  const layout = layoutCanvas(next);
  const placed = layout.steps.find((p) => p.step.id === id);
  if (!placed) throw new Error(`step ${id} not laid out`);
  return { layout, placed };
}

function overlaps(layout: ReturnType<typeof layoutCanvas>, id: string): string[] {
  const me = layout.steps.find((p) => p.step.id === id);
  if (!me) return [];
  return layout.steps
    .filter(
      (p) =>
        p.step.id !== id &&
        p.x < me.x + me.width &&
        me.x < p.x + p.width &&
        p.y < me.y + me.height &&
        me.y < p.y + p.height,
    )
    .map((p) => p.step.id);
}

describe('laneMove', () => {
  it.each<[string, 'up' | 'down', string | null]>([
    ['book', 'down', 'nurse'],
    ['triage', 'up', 'desk'],
    ['triage', 'down', 'doctor'],
    ['sample', 'up', 'doctor'],
    ['start', 'up', null],
    ['sample', 'down', null],
    ['gone', 'down', null],
  ])('moves %s %s into lane %s', (id, direction, lane) => {
    const workflow = drawn();
    const layout = layoutCanvas(workflow);
    const place = laneMove(layout, id, direction);
    expect(place?.lane ?? null).toBe(lane);
    if (!place) return;
    const before = layout.steps.find((p) => p.step.id === id);
    const after = placedAfter(workflow, id, place);
    const band = after.layout.lanes.find((l) => l.id === lane);
    // inside the new lane's band, in the same column, on nothing else
    expect(band).toBeDefined();
    expect(after.placed.y).toBeGreaterThanOrEqual(band?.top ?? 0);
    expect(after.placed.y + after.placed.height).toBeLessThanOrEqual((band?.top ?? 0) + (band?.height ?? 0));
    expect(after.placed.x).toBe(before?.x);
    expect(overlaps(after.layout, id)).toEqual([]);
  });

  it('goes below a step standing in the same column of the new lane', () => {
    const workflow = drawn();
    const layout = layoutCanvas(workflow);
    // book (desk, column 240) down to the nurse's lane, where triage stands in that column
    const place = laneMove(layout, 'book', 'down');
    if (!place) throw new Error('no place');
    const { layout: next, placed } = placedAfter(workflow, 'book', place);
    const triage = next.steps.find((p) => p.step.id === 'triage');
    expect(placed.y + placed.height / 2 - ((triage?.y ?? 0) + (triage?.height ?? 0) / 2)).toBe(ROW_SPACING);
  });
});

describe('appendPlace', () => {
  it.each<[string, string, StepKind]>([
    ['start', 'desk', 'task'],
    ['book', 'desk', 'task'],
    ['book', 'nurse', 'decision'],
    ['triage', 'doctor', 'end'],
    ['sample', 'lab', 'end'],
    ['pay', 'nurse', 'approval'],
  ])('after %s in lane %s a %s lands right of it, on nothing', (after, lane, kind) => {
    const workflow = drawn();
    const layout = layoutCanvas(workflow);
    const place = appendPlace(layout, after, lane, kind);
    if (!place) throw new Error('no place');
    expect(place.lane).toBe(lane);
    const added = applyEdit(workflow, {
      type: 'step/add',
      step: step('new', 'New', place.lane, kind, place.position.x, place.position.y),
    }).workflow;
    const next = layoutCanvas(added);
    const placed = next.steps.find((p) => p.step.id === 'new');
    const from = next.steps.find((p) => p.step.id === after);
    if (!placed || !from) throw new Error('not laid out');
    expect(placed.x + placed.width / 2).toBeGreaterThan(from.x + from.width / 2);
    expect(overlaps(next, 'new')).toEqual([]);
  });

  it('keeps the row of the step it follows when that spot is free, else goes a row lower', () => {
    const layout = layoutCanvas(drawn());
    const centreY = (id: string) => {
      const p = layout.steps.find((s) => s.step.id === id);
      return (p?.y ?? 0) + (p?.height ?? 0) / 2;
    };
    const rowOf = (after: string) => {
      const place = appendPlace(layout, after, 'desk', 'task');
      const added = layoutCanvas(
        applyEdit(drawn(), {
          type: 'step/add',
          step: step('new', 'New', 'desk', 'task', place?.position.x ?? 0, place?.position.y ?? 0),
        }).workflow,
      );
      const p = added.steps.find((s) => s.step.id === 'new');
      return (p?.y ?? 0) + (p?.height ?? 0) / 2 - centreY('pay');
    };
    // after "Take payment" the column is free; after "Patient arrives" "Book the visit" stands there
    expect(rowOf('pay')).toBe(0);
    expect(rowOf('start')).toBe(ROW_SPACING);
  });

  it('is null for an unknown step or lane', () => {
    const layout = layoutCanvas(drawn());
    expect(appendPlace(layout, 'gone', 'desk', 'task')).toBeNull();
    expect(appendPlace(layout, 'book', 'gone', 'task')).toBeNull();
  });
});

/** Length of the stretch two routes run along each other (collinear overlapping segments). */
function sharedLength(a: readonly RoutePoint[], b: readonly RoutePoint[]): number {
  let shared = 0;
  for (let i = 0; i + 1 < a.length; i++) {
    for (let j = 0; j + 1 < b.length; j++) {
      const [p, q, r, t] = [a[i], a[i + 1], b[j], b[j + 1]] as RoutePoint[];
      if (!p || !q || !r || !t) continue;
      if (p.y === q.y && r.y === t.y && p.y === r.y) {
        const lo = Math.max(Math.min(p.x, q.x), Math.min(r.x, t.x));
        const hi = Math.min(Math.max(p.x, q.x), Math.max(r.x, t.x));
        shared += Math.max(0, hi - lo);
      } else if (p.x === q.x && r.x === t.x && p.x === r.x) {
        const lo = Math.max(Math.min(p.y, q.y), Math.min(r.y, t.y));
        const hi = Math.min(Math.max(p.y, q.y), Math.max(r.y, t.y));
        shared += Math.max(0, hi - lo);
      }
    }
  }
  return shared;
}

describe('a decision drawn with the keyboard', () => {
  it('sends its second exit on a route of its own, not along the first', async () => {
    let workflow: Workflow = {
      ...fixtureWorkflow(),
      lanes: [{ id: 'desk', name: 'Front desk', staff: 2 }],
      steps: [
        step('start', 'Patient arrives', 'desk', 'start', 40, 40),
        step('insured', 'Insured?', 'desk', 'decision', 240, 40),
      ],
      flows: [{ from: 'start', to: 'insured', transfer: 'none' }],
    };
    // "add after" twice from the decision, as the editor's key does: each new step and its flow
    for (const id of ['yes', 'no']) {
      const place = appendPlace(layoutCanvas(workflow), 'insured', 'desk', 'task');
      if (!place) throw new Error('no place');
      workflow = applyEdit(workflow, {
        type: 'step/add',
        step: step(id, id, place.lane, 'task', place.position.x, place.position.y),
      }).workflow;
      workflow = applyEdit(workflow, {
        type: 'flow/add',
        flow: { from: 'insured', to: id, transfer: 'none' },
      }).workflow;
    }
    const layout = layoutCanvas(workflow);
    const boxes = layout.steps.map((p) => ({
      id: p.step.id,
      x: p.x,
      y: p.y,
      width: p.width,
      height: p.height,
    }));
    const { routes, unrouted } = await routeFlows(boxes, flowEndsOf(workflow));
    expect(unrouted).toBe(0);
    const first = routes['insured\u0000yes'];
    const second = routes['insured\u0000no'];
    if (!first || !second) throw new Error('not routed');
    expect(sharedLength(first, second)).toBe(0);
  });
});

describe('stepsMatching', () => {
  const workflow = drawn();
  it.each<[string, string[]]>([
    ['', ['start', 'book', 'pay', 'triage', 'sample']],
    ['t', ['pay', 'triage', 'book', 'start']],
    ['TRI', ['triage']],
    ['pat', ['start', 'triage']],
    ['the visit', ['book']],
    ['ood', ['sample']],
    ['x-ray', []],
  ])('“%s” finds %j', (typed, ids) => {
    expect(stepsMatching(workflow, typed).map((s) => s.id)).toEqual(ids);
  });

  it('ignores accents and case, and leaves out the excluded steps', () => {
    const accented = {
      ...workflow,
      steps: [...workflow.steps, step('arzt', 'Ärztin sieht den Befund', 'nurse', 'task', 440, 200)],
    };
    expect(stepsMatching(accented, 'arz').map((s) => s.id)).toEqual(['arzt']);
    expect(stepsMatching(accented, '', new Set(['start', 'arzt'])).map((s) => s.id)).toEqual([
      'book',
      'pay',
      'triage',
      'sample',
    ]);
  });
});
