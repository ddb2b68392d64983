import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ConformanceResult,
  conform,
  type Deviations,
  playedCsv,
  playWorkflow,
  readCsvLogText,
} from '../../../core/workflow/eventlog/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { layoutCanvas } from './canvasModel.ts';
import { workaroundElements } from './driftNodes.tsx';
import { driftOverlay, MAX_WORKAROUNDS_PER_STEP } from './driftOverlay.ts';

const future = JSON.parse(
  readFileSync(new URL('../../../../samples/workflows/patient-intake.future.json', import.meta.url), 'utf8'),
) as Workflow;
/** the sample's start step (its id is the booking) */
const START_ID = future.steps.find((s) => s.kind === 'start')?.id as string;
const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
};

function checked(seed: number, cases: number, deviations?: Deviations) {
  const played = playWorkflow(future, { seed, cases, ...(deviations ? { deviations } : {}) });
  const read = readCsvLogText(playedCsv(played.events), { mapping: MAPPING });
  return { result: conform(read.log, future), planted: played.planted };
}

const PLANTED: Deviations = {
  skip: { 'scan-consent': 60, 'vitals-device': 40 },
  insert: { 'Spreadsheet update': 50, 'Print form': 10 },
  repeat: { checkout: 30 },
};

describe('driftOverlay', () => {
  const { result, planted } = checked(22, 200, PLANTED);
  const overlay = driftOverlay(result, future);

  it.each([
    { step: 'scan-consent', cases: 60, words: 'Skipped in 30 % of cases (60 cases)' },
    { step: 'vitals-device', cases: 40, words: 'Skipped in 20 % of cases (40 cases)' },
  ])('says in words how many cases skipped $step', ({ step, cases, words }) => {
    const drift = overlay.steps.get(step);
    expect(drift?.skippedCases).toBe(cases);
    expect(drift?.skippedShare).toBeCloseTo(cases / 200, 12);
    expect(drift?.lines[0]).toEqual({ kind: 'skipped', text: words, drift: true });
    expect(drift?.drift).toBe(true);
    expect(drift?.spoken).toContain(words);
  });

  it('gives measured against planned times with how many were measured', () => {
    const drift = overlay.steps.get('physician-visit');
    const step = future.steps.find((s) => s.id === 'physician-visit');
    expect(drift?.touch).toEqual({
      medianMin: result.times['physician-visit']?.touch?.medianMin,
      n: result.times['physician-visit']?.touch?.n,
      plannedMin: step?.touchMin,
    });
    // played at exactly the designed times: measured, but no drift
    expect(drift?.lines.find((l) => l.kind === 'touch')?.drift).toBe(false);
    expect(drift?.lines.find((l) => l.kind === 'touch')?.text).toMatch(
      /^Staff time .* min, planned .* min \(\d+ measured\)$/,
    );
    expect(overlay.steps.get('checkout')?.lines.find((l) => l.kind === 'again')?.text).toBe(
      'Entered again in 30 cases',
    );
  });

  it('places every workaround occurrence after a step, and draws each as a node linked to it', () => {
    const drawn = new Map<string, number>();
    for (const mark of overlay.workarounds) {
      expect(future.steps.some((s) => s.id === mark.afterStepId)).toBe(true);
      drawn.set(mark.activity, (drawn.get(mark.activity) ?? 0) + mark.times);
    }
    const more = [...overlay.steps.values()].reduce((sum, d) => sum + d.moreWorkarounds, 0);
    const total = [...drawn.values()].reduce((a, b) => a + b, 0) + more + overlay.unplaced;
    expect(total).toBe(Object.values(planted.workarounds).reduce((a, b) => a + b, 0));
    expect(overlay.unplaced).toBe(0);

    const layout = layoutCanvas(future);
    const { nodes, edges } = workaroundElements(
      overlay,
      new Map(layout.steps.map((p) => [p.step.id, p])),
      new Map(future.steps.map((s) => [s.id, s.label])),
    );
    expect(nodes.map((n) => n.id)).toEqual(overlay.workarounds.map((m) => m.id));
    for (const node of nodes) {
      // a view: nothing about it can be edited
      expect(node).toMatchObject({
        draggable: false,
        selectable: false,
        connectable: false,
        deletable: false,
      });
    }
    expect(edges.map((e) => [e.source, e.target])).toEqual(
      overlay.workarounds.map((m) => [m.afterStepId, m.id]),
    );
  });

  it('has no marks for a log that follows the design, beyond the measured times', () => {
    const clean = driftOverlay(checked(5, 60).result, future);
    expect(clean.workarounds).toEqual([]);
    for (const drift of clean.steps.values()) {
      expect(drift.drift).toBe(false);
      expect(drift.lines.every((l) => l.kind === 'touch' || l.kind === 'wait')).toBe(true);
    }
  });

  const base: ConformanceResult = { ...result, insertedAfter: {}, workarounds: {}, inserted: {} };
  it.each<{
    description: string;
    insertedAfter: Record<string, Record<string, number>>;
    workarounds: Record<string, number>;
    expected: { drawn: Array<[string, string, number]>; unplaced: number; more: number };
  }>([
    {
      description: 'a step removed since the check: its workarounds are counted, not drawn',
      insertedAfter: { 'no-such-step': { 'Call lab': 4 } },
      workarounds: { 'Call lab': 4 },
      expected: { drawn: [], unplaced: 4, more: 0 },
    },
    {
      description: 'before the first step: drawn after the start',
      insertedAfter: { '(before start)': { 'Call lab': 2 } },
      workarounds: { 'Call lab': 2 },
      expected: { drawn: [[START_ID, 'Call lab', 2]], unplaced: 0, more: 0 },
    },
    {
      description: 'a repeat of a planned step is not a workaround node',
      insertedAfter: { checkout: { 'Check out': 3 } },
      workarounds: {},
      expected: { drawn: [], unplaced: 0, more: 0 },
    },
    {
      description: 'more workarounds after one step than are drawn: the rest counted on the step',
      insertedAfter: { checkout: { A: 9, B: 8, C: 7, D: 2, E: 1 } },
      workarounds: { A: 9, B: 8, C: 7, D: 2, E: 1 },
      expected: {
        drawn: [
          ['checkout', 'A', 9],
          ['checkout', 'B', 8],
          ['checkout', 'C', 7],
        ],
        unplaced: 0,
        more: 3,
      },
    },
  ])('$description', ({ insertedAfter, workarounds, expected }) => {
    const o = driftOverlay({ ...base, insertedAfter, workarounds }, future);
    expect(o.workarounds.map((m) => [m.afterStepId, m.activity, m.times])).toEqual(expected.drawn);
    expect(o.workarounds.length).toBeLessThanOrEqual(MAX_WORKAROUNDS_PER_STEP);
    expect(o.unplaced).toBe(expected.unplaced);
    expect(o.steps.get('checkout')?.moreWorkarounds ?? 0).toBe(expected.more);
  });
});
