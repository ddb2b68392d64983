import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../formats/workflow.ts';
import { DEFAULT_GO_LIVE_PRODUCTIVITY, goLiveMetrics, scheduleCutForGoLive } from './goLive.ts';

/**
 * A go-live illustration (assumed inputs, not from literature): rooming and vitals, 24 patients/h
 * at peak, 8 min each, 4 medical assistants, service time ×1.5 in go-live week.
 */
function rooming(goLive?: Workflow['goLive']): Workflow {
  const base = {
    label: 'x',
    medium: 'digital' as const,
    system: 'EHR',
    waitMin: 0,
    clicks: 0,
    enters: [],
  };
  return {
    format: 'preflight.workflow/v1',
    id: 'rooming',
    name: 'Rooming',
    state: 'current',
    arrivalsPerHour: 24,
    lanes: [
      { id: 'ma', name: 'Medical assistant', staff: 4 },
      { id: 'patient', name: 'Patient', staff: 0 },
    ],
    steps: [
      { ...base, id: 's', lane: 'patient', kind: 'start', touchMin: 0 },
      { ...base, id: 'wait-room', lane: 'patient', kind: 'task', touchMin: 30 },
      { ...base, id: 'room', lane: 'ma', kind: 'task', touchMin: 8 },
      { ...base, id: 'e', lane: 'ma', kind: 'end', touchMin: 0 },
    ],
    flows: [
      { from: 's', to: 'wait-room', transfer: 'none' },
      { from: 'wait-room', to: 'room', transfer: 'none' },
      { from: 'room', to: 'e', transfer: 'none' },
    ],
    ...(goLive ? { goLive } : {}),
  };
}
const SERVICE_TIMES_1_5 = 1 / 1.5;

const maOf = (w: Workflow, capacityFactor: number) => {
  const result = goLiveMetrics(w, { capacityFactor, productivityFactor: SERVICE_TIMES_1_5 });
  if (!result.ok) throw new Error('expected metrics');
  return result.metrics.lanes.find((l) => l.laneId === 'ma');
};

describe('go-live', () => {
  it('reproduces the evidence illustration: ρ 1.20 at go-live, 0.90 at −25 %, 0.60 at −50 %', () => {
    const w = rooming();
    const baseline = goLiveMetrics(w, { capacityFactor: 1, productivityFactor: 1 });
    const ma = baseline.ok ? baseline.metrics.lanes.find((l) => l.laneId === 'ma') : undefined;
    expect(ma?.utilisation).toBeCloseTo(0.8, 12);
    expect(Math.round(ma?.queueWaitMin ?? 0)).toBe(6);
    expect(maOf(w, 1)).toMatchObject({ stable: false, queueWaitMin: Infinity });
    expect(maOf(w, 1)?.utilisation).toBeCloseTo(1.2, 12);
    expect(maOf(w, 0.75)?.utilisation).toBeCloseTo(0.9, 12);
    expect(Math.round(maOf(w, 0.75)?.queueWaitMin ?? 0)).toBe(24);
    expect(maOf(w, 0.5)?.utilisation).toBeCloseTo(0.6, 12);
    expect(Math.round(maOf(w, 0.5)?.queueWaitMin ?? 0)).toBe(2);
  });

  it('the smallest cut to ρ ≤ 0.85 is 1 − 0.85/1.2 ≈ 29 %: −25 % is not enough, −50 % is', () => {
    const result = scheduleCutForGoLive(
      rooming({ capacityFactor: 0.75, productivityFactor: SERVICE_TIMES_1_5 }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { cut } = result;
    expect(cut.reduction).toBeCloseTo(1 - 0.85 / 1.2, 12);
    expect(cut.reduction).toBeGreaterThan(0.25);
    expect(cut.reduction).toBeLessThan(0.5);
    expect(cut.bindingLaneId).toBe('ma');
    expect(cut.plannedReduction).toBeCloseTo(0.25, 12);
    expect(cut.plannedIsEnough).toBe(false);
    // the staff-0 patient lane is never part of the answer
    expect(cut.lanes.map((l) => l.laneId)).toEqual(['ma']);
    expect(cut.lanes[0]?.utilisationPlanned).toBeCloseTo(0.9, 12);
    expect(cut.lanes[0]?.utilisationAfterCut).toBeCloseTo(0.85, 12);
    const halved = scheduleCutForGoLive(
      rooming({ capacityFactor: 0.5, productivityFactor: SERVICE_TIMES_1_5 }),
    );
    expect(halved.ok && halved.cut.plannedIsEnough).toBe(true);
  });

  it('a looser limit needs a smaller cut; a lane already under it needs none', () => {
    const w = rooming({ capacityFactor: 1, productivityFactor: SERVICE_TIMES_1_5 });
    const at95 = scheduleCutForGoLive(w, 0.95);
    expect(at95.ok && at95.cut.reduction).toBeCloseTo(1 - 0.95 / 1.2, 12);
    const atFull = scheduleCutForGoLive(w, 1.25);
    expect(atFull.ok && atFull.cut).toMatchObject({ reduction: 0, bookingsFactor: 1, bindingLaneId: null });
    expect(() => scheduleCutForGoLive(w, 0)).toThrow(RangeError);
  });

  it('without goLive settings it assumes normal bookings at the default productivity', () => {
    const result = scheduleCutForGoLive(rooming());
    const rho = 0.8 / DEFAULT_GO_LIVE_PRODUCTIVITY;
    expect(result.ok && result.cut.lanes[0]?.utilisationFullBookings).toBeCloseTo(rho, 12);
    expect(result.ok && result.cut.reduction).toBeCloseTo(1 - 0.85 / rho, 12);
  });

  it('a trapped loop is reported, not cut', () => {
    const w = rooming();
    w.flows.push({ from: 'room', to: 'wait-room', probability: 1, transfer: 'none' });
    w.flows[2] = { from: 'room', to: 'e', probability: 0, transfer: 'none' };
    const result = scheduleCutForGoLive(w);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem.stepIds).toEqual(['room', 'wait-room']);
  });
});
