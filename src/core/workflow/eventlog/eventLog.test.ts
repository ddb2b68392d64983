/**
 * The builder's two ways of holding events (eventLog.ts): a log grouped by case read with
 * `streamCases` (each case paired when the next begins) gives exactly the log and the problems of
 * holding every event until the end — for any events, including bad ones (completes without a
 * start, starts never completed, a complete before its start). A log that is not grouped stops the
 * streaming builder with `CaseReopenedError`, and the readers then read it the other way.
 * fast-check prints the seed of a failure; pin it as a regression case.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import {
  CaseReopenedError,
  createEventLogBuilder,
  EVENT_KIND,
  type EventKind,
  LateStartError,
  type LogEventInput,
  MAX_PROBLEM_ROWS,
  ProblemList,
} from './eventLog.ts';
import { withCaseStreaming } from './readEvents.ts';

const BASE = Date.UTC(2026, 0, 5, 8, 0);

const eventArbitrary = fc.record({
  activity: fc.constantFrom('Check in', 'Vitals', 'Visit', 'Check out'),
  kind: fc.constantFrom(EVENT_KIND.instance, EVENT_KIND.start, EVENT_KIND.complete, EVENT_KIND.start),
  minute: fc.integer({ min: 0, max: 30 }),
  resource: fc.option(fc.constantFrom('Ana', 'Ben'), { nil: undefined }),
  system: fc.option(fc.constantFrom('EHR', 'Fax'), { nil: undefined }),
});

/** Cases with distinct ids in a random order of arrival, their events contiguous. */
const groupedLogArbitrary = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.array(eventArbitrary, { minLength: 1, maxLength: 8 }).map((events) => ({ id, events })),
      ),
    ),
  )
  .map((cases) => {
    const events: LogEventInput[] = [];
    for (const c of cases) {
      for (const e of c.events) {
        events.push({
          row: events.length + 1,
          caseId: c.id,
          activity: e.activity,
          kind: e.kind,
          time: BASE + e.minute * 60_000,
          ...(e.resource ? { resource: e.resource, role: `${e.resource} role` } : {}),
          ...(e.system ? { system: e.system } : {}),
        });
      }
    }
    return events;
  });

function build(events: readonly LogEventInput[], streamCases: boolean) {
  const builder = createEventLogBuilder({ streamCases });
  for (const e of events) builder.add(e);
  const problems = new ProblemList();
  const log = builder.finish(problems);
  return { log, problems: problems.list(), events: builder.events };
}

/** Streams when it can, as the readers do: a log that turns out mixed is built holding every event. */
function buildStreamed(events: readonly LogEventInput[]) {
  try {
    return build(events, true);
  } catch (error) {
    if (error instanceof LateStartError) return build(events, false);
    throw error;
  }
}

const at = (minute: number) => BASE + minute * 60_000;

describe('event log builder', () => {
  it('gives the same log and problems whether a grouped log is streamed by case or held whole', () => {
    fc.assert(
      fc.property(groupedLogArbitrary, (events) => {
        expect(buildStreamed(events)).toEqual(build(events, false));
      }),
      { numRuns: 300 },
    );
  });

  const { instance, start, complete } = EVENT_KIND;
  it.each([
    {
      description: 'complete events only: each is an atomic instance, instant and without touch time',
      events: [
        ['A', 'Check in', complete, 0],
        ['A', 'Visit', complete, 10],
        ['B', 'Check in', complete, 5],
      ] as const,
      instances: [
        ['Check in', 0, 0, 0],
        ['Visit', 10, 10, 0],
        ['Check in', 5, 5, 0],
      ],
      codes: [],
      atomic: true,
    },
    {
      description: 'starts and completes: paired first in, first out',
      events: [
        ['A', 'Check in', start, 0],
        ['A', 'Check in', complete, 4],
        ['B', 'Check in', start, 5],
        ['B', 'Check in', complete, 7],
      ] as const,
      instances: [
        ['Check in', 0, 4, 1],
        ['Check in', 5, 7, 1],
      ],
      codes: [],
      atomic: false,
    },
    {
      description: 'mixed: completes without a start in a log with starts are atomic events, counted',
      events: [
        ['A', 'Check in', complete, 0],
        ['A', 'Visit', complete, 10],
        ['B', 'Check in', start, 5],
        ['B', 'Check in', complete, 7],
        ['B', 'Visit', start, 8],
        ['B', 'Visit', complete, 9],
      ] as const,
      instances: [
        ['Check in', 0, 0, 0],
        ['Visit', 10, 10, 0],
        ['Check in', 5, 7, 1],
        ['Visit', 8, 9, 1],
      ],
      codes: [],
      atomic: false,
      unmatched: 2,
    },
    {
      description: 'mixed in one case: an activity logged only by its completion beside timed ones',
      events: [
        ['A', 'Review', start, 0],
        ['A', 'Review', complete, 30],
        ['A', 'Decide', complete, 40],
        ['A', 'Review', start, 50],
        ['A', 'Review', complete, 60],
      ] as const,
      instances: [
        ['Review', 0, 30, 1],
        ['Decide', 40, 40, 0],
        ['Review', 50, 60, 1],
      ],
      codes: [],
      atomic: false,
      unmatched: 1,
    },
    {
      description: 'a complete before a later start of its activity stays out of order (not atomic)',
      events: [
        ['A', 'Review', complete, 0],
        ['A', 'Review', start, 5],
        ['A', 'Decide', start, 6],
        ['A', 'Decide', complete, 7],
      ] as const,
      instances: [['Decide', 6, 7, 1]],
      codes: ['out-of-order', 'too-few-events'],
      atomic: false,
    },
    {
      description: 'events without a lifecycle stay instant instances beside completes',
      events: [
        ['A', 'Check in', instance, 0],
        ['A', 'Visit', complete, 10],
      ] as const,
      instances: [
        ['Check in', 0, 0, 0],
        ['Visit', 10, 10, 0],
      ],
      codes: [],
      atomic: true,
    },
  ] as {
    description: string;
    events: readonly (readonly [string, string, EventKind, number])[];
    instances: (string | number | undefined)[][];
    codes: string[];
    atomic: boolean;
    unmatched?: number;
  }[])('lifecycle: $description', ({ events, instances, codes, atomic, unmatched }) => {
    const input = events.map(([caseId, activity, kind, minute], i) => ({
      row: i + 1,
      caseId,
      activity,
      kind,
      time: at(minute),
    }));
    const held = build(input, false);
    expect(buildStreamed(input)).toEqual(held);
    const { log, problems } = held;
    expect(problems.map((p) => p.code)).toEqual(codes);
    expect(log.atomicCompletes === true).toBe(atomic);
    expect(log.unmatchedCompletes).toBe(unmatched);
    expect(
      Array.from(log.activity, (a, i) => [
        log.activities[a],
        ((log.start[i] as number) - BASE) / 60_000,
        ((log.complete[i] as number) - BASE) / 60_000,
        log.timed[i],
      ]),
    ).toEqual(instances);
  });

  it('streaming stops at a start that follows cases read as atomic events', () => {
    const builder = createEventLogBuilder({ streamCases: true });
    builder.add({ row: 1, caseId: 'A', activity: 'Visit', kind: EVENT_KIND.complete, time: at(0) });
    builder.add({ row: 2, caseId: 'B', activity: 'Visit', kind: EVENT_KIND.complete, time: at(1) });
    expect(() =>
      builder.add({ row: 3, caseId: 'C', activity: 'Visit', kind: EVENT_KIND.start, time: at(2) }),
    ).toThrow(new LateStartError(3));
  });

  it.each([
    { description: 'a case comes back after another began', ids: ['A', 'B', 'A'], reopenedAt: 3 },
    { description: 'cases interleaved from the start', ids: ['A', 'B', 'A', 'B'], reopenedAt: 3 },
    { description: 'one case after another', ids: ['A', 'A', 'B', 'C'], reopenedAt: undefined },
  ])('streaming: $description', ({ ids, reopenedAt }) => {
    const events = ids.map((caseId, i) => ({
      row: i + 1,
      caseId,
      activity: 'Visit',
      kind: EVENT_KIND.instance,
      time: BASE + i * 60_000,
    }));
    const builder = createEventLogBuilder({ streamCases: true });
    const add = () => {
      for (const e of events) builder.add(e);
    };
    if (reopenedAt === undefined) expect(add).not.toThrow();
    else expect(add).toThrow(new CaseReopenedError(reopenedAt));
  });

  it('reads a log sorted by time (not grouped by case) the same as grouped, through the fallback', () => {
    const grouped = ['case,activity,time', 'A,Check in,2026-01-05T08:00Z', 'A,Visit,2026-01-05T08:10Z'];
    grouped.push('B,Check in,2026-01-05T08:05Z', 'B,Visit,2026-01-05T08:20Z');
    const byTime = [grouped[0], grouped[1], grouped[3], grouped[2], grouped[4]];
    const mapping = { mapping: { case: 'case', activity: 'activity', timestamp: 'time' } };
    const a = readCsvLogText(grouped.join('\n'), mapping);
    const b = readCsvLogText(byTime.join('\n'), mapping);
    expect(b.log).toEqual(a.log);
    let tries = 0;
    withCaseStreaming((options) => {
      tries++;
      if (options.streamCases) throw new CaseReopenedError(2);
      return null;
    });
    expect(tries).toBe(2);
  });

  it('lists the smallest rows of a problem, ascending, whatever order they were found in', () => {
    const problems = new ProblemList();
    const rows = Array.from({ length: 25 }, (_, i) => 100 - i * 3);
    for (const row of rows) problems.add('out-of-order', 'error', 'x', row);
    const [problem] = problems.list();
    expect(problem?.count).toBe(25);
    expect(problem?.rows).toEqual([...rows].sort((x, y) => x - y).slice(0, MAX_PROBLEM_ROWS));
  });
});
