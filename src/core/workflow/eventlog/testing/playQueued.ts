/**
 * A seeded log generator WITH queueing, for the back-test's tests: plays a clinic's days through a
 * workflow in time order, so cases wait for the named staff of each lane, and writes the events a
 * clinic system would (start and complete per activity, the person, their role).
 *
 * The clinic it plays: cases arrive as a Poisson process at `arrivalsPerHour` between `openHour`
 * and `closeHour` (UTC) on `days` consecutive weekdays; each walks the workflow by its branch
 * probabilities; before each step after the first it is away for an exponential delay with mean
 * the step's `waitMin` (results, walking over), then waits first come first served for one of the
 * lane's staff on duty, who works on it for a lognormal time with mean the step's `touchMin` and
 * coefficient of variation `touchCv`. Staff finish the day's work however late.
 *
 * Planting: `onDuty` sets how many people of a lane work at once, `names` how many different
 * people are named over the days (a rota): with `onDuty: 1, names: 3` one person a day is on duty
 * but the log names three, so a discovered workflow says three staff where one worked.
 *
 * Constraints: no `Math.random`, no clock; independent of the back-test's own replay code (its own
 * event list), so the back-test is checked against a clinic it did not simulate itself.
 */
import type { Workflow } from '../../../../formats/workflow.ts';
import { buildGraph } from '../../graph.ts';
import { mulberry32, touchTimeSampler } from '../../simulate.ts';

const task = (id: string, label: string, lane: string, touchMin: number, waitMin: number) => ({
  id,
  label,
  lane,
  kind: id === 'start' ? ('start' as const) : id === 'end' ? ('end' as const) : ('task' as const),
  medium: 'digital' as const,
  system: '',
  touchMin,
  waitMin,
  clicks: 0,
  enters: [],
});

/**
 * A small clinic for back-test journeys: check in and check out at a front desk of two, vitals
 * with one of two nurses after a 5-minute walk, 8 arrivals an hour.
 */
export const QUEUED_CLINIC: Workflow = {
  format: 'preflight.workflow/v1',
  id: 'queued-clinic',
  name: 'Clinic',
  state: 'current',
  arrivalsPerHour: 8,
  lanes: [
    { id: 'desk', name: 'Front desk', staff: 2 },
    { id: 'nurse', name: 'Nurse', staff: 2 },
  ],
  steps: [
    task('start', 'Start', 'desk', 0, 0),
    task('check-in', 'Check in', 'desk', 5, 0),
    task('vitals', 'Vitals', 'nurse', 12, 5),
    task('checkout', 'Checkout', 'desk', 3, 0),
    task('end', 'End', 'desk', 0, 0),
  ],
  flows: [
    { from: 'start', to: 'check-in', probability: 1, transfer: 'none' },
    { from: 'check-in', to: 'vitals', probability: 1, transfer: 'none' },
    { from: 'vitals', to: 'checkout', probability: 1, transfer: 'none' },
    { from: 'checkout', to: 'end', probability: 1, transfer: 'none' },
  ],
};

/** Options of {@link playQueuedLog}. */
export interface QueuedPlayOptions {
  seed: number;
  /** weekdays played from 2026-01-05 (a Monday); default 20 */
  days?: number;
  /** default the workflow's arrivalsPerHour */
  arrivalsPerHour?: number;
  /** default 8 */
  openHour?: number;
  /** default 16 */
  closeHour?: number;
  /** default 0.5 */
  touchCv?: number;
  /** lane id → people on duty at once (default the lane's staff) */
  onDuty?: Record<string, number>;
  /** lane id → different people named over the days (default as many as on duty) */
  names?: Record<string, number>;
}

/** One event row. */
interface QueuedEvent {
  caseId: string;
  activity: string;
  lifecycle: 'start' | 'complete';
  /** epoch ms */
  time: number;
  resource: string;
  role: string;
}

const MS_PER_MINUTE = 60_000;
const FIRST_DAY = Date.UTC(2026, 0, 5);

interface Pending {
  time: number;
  seq: number;
  run: () => void;
}

/** Plays the clinic (see the file header) and returns its events in time order. */
export function playQueuedLog(workflow: Workflow, options: QueuedPlayOptions): QueuedEvent[] {
  const random = mulberry32(options.seed);
  const sampleTouch = touchTimeSampler({ kind: 'lognormal', cv: options.touchCv ?? 0.5 }, random);
  const graph = buildGraph(workflow);
  const stepById = new Map(workflow.steps.map((s) => [s.id, s]));
  const days = options.days ?? 20;
  const rate = (options.arrivalsPerHour ?? workflow.arrivalsPerHour) / 60;
  const openMin = (options.openHour ?? 8) * 60;
  const closeMin = (options.closeHour ?? 16) * 60;
  const events: QueuedEvent[] = [];
  const pending: Pending[] = [];
  let seq = 0;
  const at = (time: number, run: () => void) => {
    // sorted insertion: small logs, and the order (time, seq) stays exact
    const item = { time, seq: seq++, run };
    let lo = 0;
    let hi = pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = pending[mid] as Pending;
      if (p.time < time || (p.time === time && p.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    pending.splice(lo, 0, item);
  };

  const lanes = new Map(
    workflow.lanes.map((lane) => {
      const onDuty = options.onDuty?.[lane.id] ?? lane.staff;
      return [
        lane.id,
        {
          name: lane.name,
          onDuty,
          names: options.names?.[lane.id] ?? onDuty,
          busy: new Array<boolean>(onDuty).fill(false),
          queue: [] as Array<() => void>,
        },
      ];
    }),
  );

  const nextStep = (id: string): string | undefined => {
    const out = graph.outgoing.get(id) ?? [];
    let draw = random();
    for (const edge of out) {
      if (draw < edge.probability) return edge.to;
      draw -= edge.probability;
    }
    return out[out.length - 1]?.to;
  };

  let caseNumber = 0;
  const runCase = (caseId: string, stepId: string | undefined, readyAt: number) => {
    const step = stepId === undefined ? undefined : stepById.get(stepId);
    if (step === undefined || step.kind === 'end') return;
    if (step.kind === 'start' || step.touchMin <= 0) {
      runCase(caseId, nextStep(step.id), readyAt);
      return;
    }
    const lane = lanes.get(step.lane);
    if (!lane || lane.onDuty < 1) throw new Error('every played step needs a lane with staff on duty');
    at(readyAt, () => {
      const serveBy = (server: number, now: number) => {
        lane.busy[server] = true;
        const day = Math.floor(now / (24 * 60));
        const person = ((day * lane.onDuty + server) % lane.names) + 1;
        const resource = `${lane.name} ${person}`;
        const done = now + sampleTouch(step.touchMin);
        const base = FIRST_DAY;
        events.push({
          caseId,
          activity: step.label,
          lifecycle: 'start',
          time: base + Math.round(now * MS_PER_MINUTE),
          resource,
          role: lane.name,
        });
        at(done, () => {
          events.push({
            caseId,
            activity: step.label,
            lifecycle: 'complete',
            time: base + Math.round(done * MS_PER_MINUTE),
            resource,
            role: lane.name,
          });
          lane.busy[server] = false;
          const waiting = lane.queue.shift();
          waiting?.();
          const next = nextStep(step.id);
          const nextDef = next === undefined ? undefined : stepById.get(next);
          const delay = nextDef ? -Math.log(1 - random()) * nextDef.waitMin : 0;
          runCase(caseId, next, done + delay);
        });
      };
      const free = lane.busy.indexOf(false);
      if (free >= 0) serveBy(free, readyAt);
      else
        lane.queue.push(() => {
          const server = lane.busy.indexOf(false);
          serveBy(server, currentTime);
        });
    });
  };

  let currentTime = 0;
  for (let d = 0; d < days; d++) {
    // weekdays only: day d of the run is calendar day d + 2 × (whole weeks before it)
    const calendarDay = d + 2 * Math.floor(d / 5);
    let t = calendarDay * 24 * 60 + openMin;
    const close = calendarDay * 24 * 60 + closeMin;
    for (;;) {
      t += -Math.log(1 - random()) / rate;
      if (t >= close) break;
      const caseId = `C${String(++caseNumber).padStart(5, '0')}`;
      const arrival = t;
      at(arrival, () => runCase(caseId, graph.starts[0], arrival));
    }
  }
  while (pending.length > 0) {
    const next = pending.shift() as Pending;
    currentTime = next.time;
    next.run();
  }
  return events;
}

/** A CSV field, quoted (RFC 4180) when it holds a comma, a quote or a line break (step labels may). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The events as CSV: `case,activity,lifecycle,timestamp,resource,role` (ISO times, UTC). */
export function queuedCsv(events: readonly QueuedEvent[]): string {
  const lines = ['case,activity,lifecycle,timestamp,resource,role'];
  for (const e of events) {
    lines.push(
      [e.caseId, e.activity, e.lifecycle, new Date(e.time).toISOString(), e.resource, e.role]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
