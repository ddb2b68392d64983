/**
 * A seeded log generator for tests and benchmarks: plays a workflow case by case into an event
 * log (a start and a complete per step), optionally with planted deviations of known counts —
 * skipped steps, inserted workaround activities, repeated steps, slower steps — and returns the
 * counts a correct conformance check must recover.
 *
 * Constraints: no `Math.random` and no clock (mulberry32 from the seed; times from `startMs`);
 * each deviation goes to its own case (a case carries at most one), so every count is exact;
 * steps are played with exactly their designed wait and touch (× `slowFactor` when slowed), so
 * a log without deviations matches the design exactly. The caller picks deviations that are
 * unambiguous for an alignment: a skipped step must lie on every path through its neighbours.
 */
import type { Step, Workflow } from '../../../../formats/workflow.ts';
import { buildGraph } from '../../graph.ts';
import { mulberry32 } from '../../simulate.ts';

/** Deviations to plant; numbers are cases (each case gets one deviation). */
export interface Deviations {
  /** step id → cases that leave the step out */
  skip?: Record<string, number>;
  /** workaround activity → cases that do it once, somewhere in the case */
  insert?: Record<string, number>;
  /** step id → cases that do the step twice in a row */
  repeat?: Record<string, number>;
  /** step id → cases in which the step takes `slowFactor` × its designed touch time */
  slower?: Record<string, number>;
}

/** Options of {@link playWorkflow}. */
interface PlayOptions {
  seed: number;
  cases: number;
  /** arrival of the first case, epoch ms (default 2026-01-05T08:00:00Z, a Monday) */
  startMs?: number;
  /** minutes between case arrivals (default 6) */
  interArrivalMin?: number;
  deviations?: Deviations;
  /** default 3 */
  slowFactor?: number;
  /** touch minutes of an inserted activity (default 5) */
  insertTouchMin?: number;
}

/** One event row of the played log. */
export interface PlayedEvent {
  caseId: string;
  activity: string;
  lifecycle: 'start' | 'complete';
  /** epoch ms */
  time: number;
  resource: string;
}

/** What a correct conformance check must report for the played log. */
interface PlantedCounts {
  skipped: Record<string, number>;
  inserted: Record<string, number>;
  workarounds: Record<string, number>;
  repeatedEntry: Record<string, number>;
  slower: Record<string, number>;
  /** cases with a deviation that changes the alignment (all but `slower`) */
  deviatingCases: number;
}

/** The played log. */
interface PlayedLog {
  events: PlayedEvent[];
  planted: PlantedCounts;
}

const MS_PER_MINUTE = 60_000;
const DEFAULT_START = Date.UTC(2026, 0, 5, 8, 0, 0);
const MAX_STEPS_PER_CASE = 10_000;

type Task = { kind: 'skip' | 'repeat' | 'slower'; step: string } | { kind: 'insert'; activity: string };

const add = (record: Record<string, number>, key: string, by: number) => {
  record[key] = (record[key] ?? 0) + by;
};

/** Plays `workflow` into a log (see the file header). @throws when a deviation cannot be placed */
export function playWorkflow(workflow: Workflow, options: PlayOptions): PlayedLog {
  const random = mulberry32(options.seed);
  const graph = buildGraph(workflow);
  const laneName = new Map(workflow.lanes.map((l) => [l.id, l.name]));
  const start = options.startMs ?? DEFAULT_START;
  const gap = (options.interArrivalMin ?? 6) * MS_PER_MINUTE;
  const slowFactor = options.slowFactor ?? 3;
  const insertTouch = (options.insertTouchMin ?? 5) * MS_PER_MINUTE;
  const digits = String(options.cases).length;
  const d = options.deviations ?? {};
  const tasks: Task[] = [
    ...Object.entries(d.skip ?? {}).flatMap(([step, n]) =>
      Array.from({ length: n }, () => ({ kind: 'skip' as const, step })),
    ),
    ...Object.entries(d.insert ?? {}).flatMap(([activity, n]) =>
      Array.from({ length: n }, () => ({ kind: 'insert' as const, activity })),
    ),
    ...Object.entries(d.repeat ?? {}).flatMap(([step, n]) =>
      Array.from({ length: n }, () => ({ kind: 'repeat' as const, step })),
    ),
    ...Object.entries(d.slower ?? {}).flatMap(([step, n]) =>
      Array.from({ length: n }, () => ({ kind: 'slower' as const, step })),
    ),
  ];
  // shuffle (seeded Fisher–Yates) so the kinds of deviation interleave over the log
  for (let i = tasks.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [tasks[i], tasks[j]] = [tasks[j] as Task, tasks[i] as Task];
  }
  const pending = [...tasks];
  const planted: PlantedCounts = {
    skipped: {},
    inserted: {},
    workarounds: {},
    repeatedEntry: {},
    slower: {},
    deviatingCases: 0,
  };
  const stepById = new Map(workflow.steps.map((s) => [s.id, s]));
  const events: PlayedEvent[] = [];

  for (let k = 0; k < options.cases; k++) {
    const caseId = `C${String(k + 1).padStart(digits, '0')}`;
    // walk the design
    const path: Step[] = [];
    let at = graph.starts[Math.floor(random() * graph.starts.length)];
    for (let guard = 0; at !== undefined && guard < MAX_STEPS_PER_CASE; guard++) {
      const step = stepById.get(at) as Step;
      path.push(step);
      const out = graph.outgoing.get(at) ?? [];
      if (step.kind === 'end' || out.length === 0) break;
      let draw = random();
      at = out[out.length - 1]?.to;
      for (const edge of out) {
        if (draw < edge.probability) {
          at = edge.to;
          break;
        }
        draw -= edge.probability;
      }
    }
    const items: Array<{ activity: string; resource: string; touch: number; wait: number }> = path
      .filter((s) => s.kind !== 'start' && s.kind !== 'end')
      .map((s) => ({
        activity: s.label,
        resource: laneName.get(s.lane) ?? s.lane,
        touch: s.touchMin * MS_PER_MINUTE,
        wait: s.waitMin * MS_PER_MINUTE,
      }));
    // spread deviations over the cases: take one with probability (deviations left / cases left)
    const due = random() < pending.length / (options.cases - k);
    const taskIndex = due
      ? pending.findIndex((t) => t.kind === 'insert' || path.some((s) => s.id === t.step))
      : -1;
    if (taskIndex >= 0 && items.length > 0) {
      const task = pending.splice(taskIndex, 1)[0] as Task;
      if (task.kind === 'insert') {
        const position = Math.floor(random() * (items.length + 1));
        items.splice(position, 0, {
          activity: task.activity,
          resource: 'Workaround',
          touch: insertTouch,
          wait: 0,
        });
        add(planted.inserted, task.activity, 1);
        add(planted.workarounds, task.activity, 1);
        planted.deviatingCases++;
      } else {
        const step = stepById.get(task.step) as Step;
        const index = items.findIndex((item) => item.activity === step.label);
        const item = items[index] as (typeof items)[number];
        if (task.kind === 'skip') {
          items.splice(index, 1);
          add(planted.skipped, step.id, 1);
          planted.deviatingCases++;
        } else if (task.kind === 'repeat') {
          items.splice(index + 1, 0, { ...item, wait: 0 });
          add(planted.inserted, step.label, 1);
          if (step.enters.length > 0) add(planted.repeatedEntry, step.id, 1);
          planted.deviatingCases++;
        } else {
          item.touch *= slowFactor;
          add(planted.slower, step.id, 1);
        }
      }
    }
    let time = start + k * gap;
    for (const item of items) {
      time += item.wait;
      events.push({ caseId, activity: item.activity, lifecycle: 'start', time, resource: item.resource });
      time += item.touch;
      events.push({ caseId, activity: item.activity, lifecycle: 'complete', time, resource: item.resource });
    }
  }
  if (pending.length > 0) {
    throw new Error(
      `${pending.length} planted deviations found no case that visits their step; play more cases`,
    );
  }
  return { events, planted };
}

/** The played log as CSV text: `case,activity,lifecycle,timestamp,resource` (ISO times, UTC). */
export function playedCsv(events: readonly PlayedEvent[]): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const lines = ['case,activity,lifecycle,timestamp,resource'];
  for (const e of events) {
    lines.push(
      [
        quote(e.caseId),
        quote(e.activity),
        e.lifecycle,
        new Date(e.time).toISOString(),
        quote(e.resource),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
