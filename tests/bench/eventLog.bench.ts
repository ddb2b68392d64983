/**
 * "event-log discovery" and "event-log conformance". Targets: the directly-follows step
 * ≥ 2,000,000 events/s in Node; parsing + discovery of 1M events under 5 s in a browser worker
 * (measured there by eventLogBrowser.bench.ts; this one times the same code in Node); conformance
 * of 100,000 cases.
 *
 * The log is seeded and synthetic (tests/bench/eventLogFixtures.ts): the demo clinic's future
 * intake workflow played case after case, a start and a complete row per step, so 1,000,000
 * events are ~31,000 cases of ~16 activity instances. The split of every wait by cause, which
 * discovery keeps on the workflow (waits/), is timed on the same read log. Baselines measured in
 * the same run:
 * - parsing + discovery vs papaparse alone splitting the same text into records (no decoding,
 *   mapping, time parsing, pairing or discovery): the floor of any CSV reading;
 * - the directly-follows step vs one plain pass summing the activity codes (the floor of any
 *   pass over the instances).
 */
import Papa from 'papaparse';
import {
  conform,
  createLocalClock,
  directlyFollows,
  discoverWorkflow,
  readCsvLog,
} from '../../src/core/workflow/eventlog/index.ts';
import { analyzeWaits } from '../../src/core/workflow/waits/index.ts';
import { type BenchEntry, type BenchResult, measure } from './bench.ts';
import { benchLogCsv, benchLogForConformance, intakeFuture } from './eventLogFixtures.ts';

const DISCOVERY_EVENTS = 1_000_000;
const CONFORMANCE_CASES = 100_000;
const DF_TARGET_EVENTS_PER_SECOND = 2_000_000;
const CHUNK_BYTES = 1024 * 1024;
const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
};

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const perSecond = (count: number, ms: number) => round(count / (ms / 1000));

/** The discovery benchmark entry. */
export const eventLogDiscoveryBench: BenchEntry = {
  id: 'eventlog-discovery',
  title: 'event-log discovery of a 1,000,000-event CSV log',
  async run(): Promise<BenchResult> {
    const csv = benchLogCsv(DISCOVERY_EVENTS);
    const bytes = new TextEncoder().encode(csv);
    const input = {
      name: 'bench.csv',
      size: bytes.length,
      read: async (offset: number, length: number) => bytes.subarray(offset, offset + length),
    };
    const clock = createLocalClock('UTC');
    let records = 0;
    const papa = await measure(
      async () => {
        records = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data.length;
      },
      { warmups: 1, repeats: 3 },
    );
    let read = await readCsvLog(input, { mapping: MAPPING }, { chunkBytes: CHUNK_BYTES });
    const reading = await measure(
      async () => {
        read = await readCsvLog(input, { mapping: MAPPING }, { chunkBytes: CHUNK_BYTES });
      },
      { warmups: 0, repeats: 3 },
    );
    let steps = 0;
    const discovering = await measure(
      async () => {
        steps = discoverWorkflow(read.log, clock).workflow.steps.length;
      },
      { warmups: 1, repeats: 3 },
    );
    let waited = 0;
    const waiting = await measure(
      async () => {
        waited = analyzeWaits(read.log, clock).activities.length;
      },
      { warmups: 1, repeats: 3 },
    );
    const log = read.log;
    const loops = 20;
    let sink = 0;
    const plain = await measure(
      async () => {
        for (let k = 0; k < loops; k++)
          for (let i = 0; i < log.activity.length; i++) sink += log.activity[i] as number;
      },
      { warmups: 1, repeats: 5 },
    );
    const df = await measure(
      async () => {
        for (let k = 0; k < loops; k++) sink += directlyFollows(log).counts[0] as number;
      },
      { warmups: 1, repeats: 5 },
    );
    const events = log.events;
    const instances = log.activity.length;
    const dfMs = df.bestMs / loops;
    const plainMs = plain.bestMs / loops;
    const endToEnd = reading.bestMs + discovering.bestMs;
    const withWaits = endToEnd + waiting.bestMs;
    return {
      params: {
        events,
        instances,
        cases: log.cases.length,
        activities: log.activities.length,
        megabytes: round(bytes.length / 1e6, 1),
        chunkBytes: CHUNK_BYTES,
      },
      columns: ['variant', 'bestMs', 'medianMs', 'eventsPerSecond', 'vsBaseline'],
      rows: [
        {
          variant: 'papaparse records only (baseline)',
          bestMs: round(papa.bestMs),
          medianMs: round(papa.medianMs),
          eventsPerSecond: perSecond(events, papa.bestMs),
          vsBaseline: 1,
        },
        {
          variant: 'read: decode + parse + map + times + pair',
          bestMs: round(reading.bestMs),
          medianMs: round(reading.medianMs),
          eventsPerSecond: perSecond(events, reading.bestMs),
          vsBaseline: round(reading.bestMs / papa.bestMs, 2),
        },
        {
          variant: 'discover (filters, statistics, workflow)',
          bestMs: round(discovering.bestMs),
          medianMs: round(discovering.medianMs),
          eventsPerSecond: perSecond(events, discovering.bestMs),
          vsBaseline: round(discovering.bestMs / papa.bestMs, 2),
        },
        {
          variant: 'read + discover (end to end)',
          bestMs: round(endToEnd),
          medianMs: round(reading.medianMs + discovering.medianMs),
          eventsPerSecond: perSecond(events, endToEnd),
          vsBaseline: round(endToEnd / papa.bestMs, 2),
        },
        {
          variant: 'waits by cause (every wait split)',
          bestMs: round(waiting.bestMs),
          medianMs: round(waiting.medianMs),
          eventsPerSecond: perSecond(events, waiting.bestMs),
          vsBaseline: round(waiting.bestMs / papa.bestMs, 2),
        },
        {
          variant: 'read + discover + waits (what discovery keeps)',
          bestMs: round(withWaits),
          medianMs: round(reading.medianMs + discovering.medianMs + waiting.medianMs),
          eventsPerSecond: perSecond(events, withWaits),
          vsBaseline: round(withWaits / papa.bestMs, 2),
        },
        {
          variant: 'plain pass over instances (baseline 2)',
          bestMs: round(plainMs, 2),
          medianMs: round(plain.medianMs / loops, 2),
          eventsPerSecond: perSecond(events, plainMs),
          vsBaseline: 1,
        },
        {
          variant: 'directly-follows step alone',
          bestMs: round(dfMs, 2),
          medianMs: round(df.medianMs / loops, 2),
          eventsPerSecond: perSecond(events, dfMs),
          vsBaseline: round(dfMs / plainMs, 2),
        },
      ],
      notes: [
        `target: directly-follows ≥ ${DF_TARGET_EVENTS_PER_SECOND.toLocaleString('en-US')} events/s — ${perSecond(events, dfMs).toLocaleString('en-US')} events/s (${perSecond(instances, dfMs).toLocaleString('en-US')} instances/s)`,
        `sanity: ${records - 1} records, ${steps} steps discovered, ${waited} activities split by cause (${sink > 0 ? 'baselines ran' : ''})`,
        'vsBaseline = best time / papaparse best time (rows 2–6), / plain pass best time (row 8)',
      ],
    };
  },
};

/** The conformance benchmark entry. */
export const eventLogConformanceBench: BenchEntry = {
  id: 'eventlog-conformance',
  title: 'event-log conformance of 100,000 cases (optimal alignments)',
  async run(): Promise<BenchResult> {
    const workflow = intakeFuture();
    const log = benchLogForConformance(CONFORMANCE_CASES);
    let fitness = 0;
    let conforming = 0;
    const timing = await measure(
      async () => {
        const result = conform(log, workflow);
        fitness = result.fitness;
        conforming = result.conformingCases;
      },
      { warmups: 1, repeats: 3 },
    );
    let sink = 0;
    const plain = await measure(
      async () => {
        for (let i = 0; i < log.activity.length; i++) sink += log.activity[i] as number;
      },
      { warmups: 1, repeats: 5 },
    );
    return {
      params: {
        cases: log.cases.length,
        instances: log.activity.length,
        events: log.events,
        steps: workflow.steps.length,
      },
      columns: ['variant', 'bestMs', 'medianMs', 'casesPerSecond', 'vsPlain'],
      rows: [
        {
          variant: 'plain pass over instances (baseline)',
          bestMs: round(plain.bestMs, 2),
          medianMs: round(plain.medianMs, 2),
          casesPerSecond: perSecond(log.cases.length, plain.bestMs),
          vsPlain: 1,
        },
        {
          variant: 'conform (alignment per case + times)',
          bestMs: round(timing.bestMs),
          medianMs: round(timing.medianMs),
          casesPerSecond: perSecond(log.cases.length, timing.bestMs),
          vsPlain: round(timing.bestMs / plain.bestMs),
        },
      ],
      notes: [
        `sanity: fitness ${fitness}, ${conforming} of ${log.cases.length} cases conform (${sink > 0 ? 'baseline ran' : ''})`,
        'vsPlain = best time / plain pass best time',
      ],
    };
  },
};
