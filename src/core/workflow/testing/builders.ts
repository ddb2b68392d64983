/**
 * Test-only builders for the metrics, simulation and replication tests: digital EHR tasks named
 * by their id, plain flows, and a current-state workflow around them. Nothing in the app imports
 * this file.
 */
import type { Flow, Lane, Step, Workflow } from '../../../formats/workflow.ts';

/** A task `id` in `lane` taking `touchMin` minutes; `extra` overrides any field (e.g. `kind`). */
export function step(id: string, lane: string, touchMin: number, extra: Partial<Step> = {}): Step {
  return {
    id,
    label: id,
    lane,
    kind: 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin,
    waitMin: 0,
    clicks: 0,
    enters: [],
    ...extra,
  };
}

/** A flow with no hand-off; `probability` only where given. */
export const flow = (from: string, to: string, probability?: number): Flow =>
  probability === undefined ? { from, to, transfer: 'none' } : { from, to, probability, transfer: 'none' };

/** A current-state workflow `w` of these lanes, steps and flows. */
export function workflow(lanes: Lane[], steps: Step[], flows: Flow[], arrivalsPerHour = 10): Workflow {
  return {
    format: 'preflight.workflow/v1',
    id: 'w',
    name: 'w',
    state: 'current',
    arrivalsPerHour,
    lanes,
    steps,
    flows,
  };
}

/** One lane, one task: an M/M/c queue when touch times are exponential. */
export function singleLane(staff: number, arrivalsPerHour: number, touchMin: number): Workflow {
  return workflow(
    [{ id: 'l', name: 'L', staff }],
    [step('s', 'l', 0, { kind: 'start' }), step('x', 'l', touchMin), step('e', 'l', 0, { kind: 'end' })],
    [flow('s', 'x'), flow('x', 'e')],
    arrivalsPerHour,
  );
}

/** A sub-process "Lab work" holding one step, "Draw blood": how a log may name either. */
export function labSubProcess(): Workflow {
  const named = (id: string, label: string, extra: Partial<Step> = {}) =>
    step(id, 'staff', 0, { label, ...extra });
  return {
    ...workflow(
      [{ id: 'staff', name: 'Staff', staff: 1 }],
      [
        named('start', 'Start', { kind: 'start' }),
        named('lab', 'Lab work'),
        named('draw', 'Draw blood', { within: 'lab' }),
        named('end', 'End', { kind: 'end' }),
      ],
      [flow('start', 'lab'), flow('lab', 'draw'), flow('draw', 'end')].map((f) => ({
        ...f,
        transfer: 'electronic' as const,
      })),
      1,
    ),
    name: 'W',
    state: 'future',
  };
}
