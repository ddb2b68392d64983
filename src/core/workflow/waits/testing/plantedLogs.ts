/**
 * Event logs with one planted cause of waiting per activity, seeded: the proofs that the split
 * by cause finds what was planted. Each scenario registers cases with a clerk ("Register", the
 * case's first activity, so it has no wait) and then plants its cause on one activity done by
 * its own resource. The log starts on a Monday (UTC) and runs for `weeks`.
 */
import { mulberry32 } from '../../simulate.ts';
import type { WaitCause } from '../waitCauses.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 5 January 2026, 00:00 UTC. */
export const PLANTED_START = Date.UTC(2026, 0, 5);

export interface PlantedRow {
  case: string;
  activity: string;
  start: number;
  end: number;
  resource: string;
}

/** The activity each scenario plants its cause on. */
export const PLANTED_ACTIVITY: Record<WaitCause, string> = {
  batching: 'Approve refill',
  prioritization: 'Routine check',
  contention: 'Blood draw',
  unavailability: 'Physician review',
  extraneous: 'Dispense',
};

type Scenario = (random: () => number, weeks: number, prefix: string) => PlantedRow[];

const exponential = (random: () => number, mean: number) => -Math.log(1 - random()) * mean;
const between = (random: () => number, low: number, high: number) => low + random() * (high - low);

/** Arrival times over the log, exponential gaps with this mean. */
function arrivals(random: () => number, weeks: number, mean: number): number[] {
  const times: number[] = [];
  for (let t = PLANTED_START + exponential(random, mean); t < PLANTED_START + weeks * 7 * DAY; ) {
    times.push(t);
    t += exponential(random, mean);
  }
  return times;
}

const register = (id: string, at: number): PlantedRow => ({
  case: id,
  activity: 'Register',
  start: at - MIN,
  end: at,
  resource: 'Clerk',
});

/** Refills approved in batches of 3–6, started when the last one arrives, one after the other. */
const batching: Scenario = (random, weeks, prefix) => {
  const rows: PlantedRow[] = [];
  let pending: Array<[string, number]> = [];
  let size = 3 + Math.floor(random() * 4);
  arrivals(random, weeks, 30 * MIN).forEach((at, k) => {
    const id = `${prefix}b${k}`;
    rows.push(register(id, at));
    pending.push([id, at]);
    if (pending.length < size) return;
    let t = at;
    for (const [member] of pending) {
      rows.push({
        case: member,
        activity: PLANTED_ACTIVITY.batching,
        start: t,
        end: t + 5 * MIN,
        resource: 'Approver',
      });
      t += 2 * MIN;
    }
    pending = [];
    size = 3 + Math.floor(random() * 4);
  });
  return rows;
};

/** A routine check overtaken by 2–4 urgent ones registered just after it. */
const prioritization: Scenario = (random, weeks, prefix) => {
  const rows: PlantedRow[] = [];
  for (let k = 0, t = PLANTED_START + 2 * HOUR; t < PLANTED_START + weeks * 7 * DAY; k++) {
    const urgent = (u: number, registered: number, start: number, minutes: number) => {
      const id = `${prefix}u${k}-${u}`;
      rows.push(register(id, registered));
      rows.push({ case: id, activity: 'Urgent check', start, end: start + minutes * MIN, resource: 'Nurse' });
      return start + minutes * MIN;
    };
    // the nurse is finishing an urgent check when the routine case is registered
    let free = urgent(0, t - 2 * MIN, t - 2 * MIN, 3);
    const id = `${prefix}r${k}`;
    rows.push(register(id, t));
    const count = 2 + Math.floor(random() * 3);
    for (let u = 1; u <= count; u++) free = urgent(u, t + MIN, free, Math.round(between(random, 20, 40)));
    rows.push({
      case: id,
      activity: PLANTED_ACTIVITY.prioritization,
      start: free,
      end: free + 10 * MIN,
      resource: 'Nurse',
    });
    t = free + between(random, 3, 9) * HOUR;
  }
  return rows;
};

/** 4–7 patients registered within a minute, one phlebotomist drawing blood first come, first served. */
const contention: Scenario = (random, weeks, prefix) => {
  const rows: PlantedRow[] = [];
  let free = PLANTED_START;
  for (let k = 0, t = PLANTED_START + HOUR; t < PLANTED_START + weeks * 7 * DAY; k++) {
    const count = 4 + Math.floor(random() * 4);
    const ready = Array.from({ length: count }, () => t + random() * MIN).sort((a, b) => a - b);
    ready.forEach((at, p) => {
      const id = `${prefix}c${k}-${p}`;
      rows.push(register(id, at));
      const start = Math.max(at, free);
      free = start + 10 * MIN;
      rows.push({
        case: id,
        activity: PLANTED_ACTIVITY.contention,
        start,
        end: free,
        resource: 'Phlebotomist',
      });
    });
    t = Math.max(free, t) + between(random, 1, 3) * HOUR;
  }
  return rows;
};

/** A physician who reviews only Monday to Friday, 13:00–16:00; cases arrive around the clock. */
const unavailability: Scenario = (random, weeks, prefix) => {
  const rows: PlantedRow[] = [];
  const open = (t: number) => {
    const day = Math.floor((t - PLANTED_START) / DAY);
    const weekday = day % 7; // 0 = Monday
    const hour = (t - PLANTED_START - day * DAY) / HOUR;
    if (weekday < 5 && hour >= 13 && hour + 10 / 60 <= 16) return t;
    // the next 13:00 of a weekday
    for (let d = hour < 13 ? day : day + 1; ; d++) if (d % 7 < 5) return PLANTED_START + d * DAY + 13 * HOUR;
  };
  let free = PLANTED_START;
  arrivals(random, weeks, 3 * HOUR).forEach((at, k) => {
    const id = `${prefix}p${k}`;
    rows.push(register(id, at));
    const start = open(Math.max(at, free));
    free = start + 10 * MIN;
    rows.push({
      case: id,
      activity: PLANTED_ACTIVITY.unavailability,
      start,
      end: free,
      resource: 'Physician',
    });
  });
  return rows;
};

/** Dispensing waits 1–5 hours for the insurer's answer; the pharmacist is free and at work. */
const extraneous: Scenario = (random, weeks, prefix) => {
  const rows: PlantedRow[] = [];
  arrivals(random, weeks, 45 * MIN).forEach((at, k) => {
    const id = `${prefix}x${k}`;
    rows.push(register(id, at));
    const start = at + between(random, 1, 5) * HOUR;
    rows.push({
      case: id,
      activity: PLANTED_ACTIVITY.extraneous,
      start,
      end: start + 2 * MIN,
      resource: 'Pharmacist',
    });
  });
  return rows;
};

const SCENARIOS: Record<WaitCause, Scenario> = {
  batching,
  prioritization,
  contention,
  unavailability,
  extraneous,
};

/** A log with the given causes planted (one activity each), as CSV text: case,activity,start,end,resource. */
export function plantedLog(causes: readonly WaitCause[], seed: number, weeks = 3): string {
  const random = mulberry32(seed);
  const rows = causes.flatMap((cause) => SCENARIOS[cause](random, weeks, `${cause.slice(0, 3)}-`));
  const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
  const lines = ['case,activity,start,end,resource'];
  for (const r of rows) lines.push([r.case, r.activity, iso(r.start), iso(r.end), r.resource].join(','));
  return `${lines.join('\n')}\n`;
}
