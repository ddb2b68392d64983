/**
 * The split by cause finds what was planted: on seeded logs with one cause planted per activity
 * (each alone, then all in one log), at least 88 % of the planted activity's waiting goes to
 * its cause in every log, and the five causes always add up to the waiting. Over 60 logs with
 * extraneous waiting planted, the share ran from 0.8996 (one log) and 0.908 up, 0.919 on average:
 * 90 % holds on average, not in every log a seed can draw.
 *
 * Cases that wait for something outside the log and happen to start together are no batch: over
 * 400 logs from fresh seeds (all five causes in each) none was found on the extraneous activity
 * (42.9 batches a log, in every log, when a run was a batch whenever the resource had been idle
 * before it), its share ran from 0.940 up, and the planted batches were still found (218 a log,
 * batching's share from 0.892 up). In 248 more, drawn by `WAIT_CAUSES_FRESH_RUNS=200`, one log
 * (seed 550195738) had one pair (see {@link FALSE_BATCHED}).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from '../eventlog/csvLog.ts';
import { analyzeWaits, WAIT_CAUSES, type WaitAnalysis, type WaitCause } from './index.ts';
import { PLANTED_ACTIVITY, plantedLog } from './testing/plantedLogs.ts';

const MAPPING = { case: 'case', activity: 'activity', start: 'start', complete: 'end', resource: 'resource' };
const utc = (ms: number) => ms;

function analyze(causes: readonly WaitCause[], seed: number): WaitAnalysis {
  const read = readCsvLogText(plantedLog(causes, seed), { mapping: MAPPING });
  expect(read.problems.list().filter((p) => p.severity === 'error')).toEqual([]);
  return analyzeWaits(read.log, utc);
}

function planted(analysis: WaitAnalysis, cause: WaitCause) {
  const found = analysis.activities.find((a) => a.activity === PLANTED_ACTIVITY[cause]);
  if (!found) throw new Error(`no ${PLANTED_ACTIVITY[cause]}`);
  return found;
}

const seeds = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/**
 * How many logs a property draws. The suite's seed is fixed, so a run fails only on a change;
 * `WAIT_CAUSES_FRESH_RUNS=<n>` draws n logs from fresh seeds instead (run by hand to measure the
 * rates in the header; fast-check prints a failing seed to pin).
 */
const FRESH_RUNS = Number(process.env.WAIT_CAUSES_FRESH_RUNS ?? 0);
const RUNS = FRESH_RUNS > 0 ? { numRuns: FRESH_RUNS } : ({ numRuns: 2, seed: 20261129 } as const);
/** A fresh run's time: about half a second a log on a loaded machine (the suite's default otherwise). */
const FRESH_TIMEOUT_MS = FRESH_RUNS > 0 ? FRESH_RUNS * 1000 : undefined;

/**
 * A log where the pharmacist's chance co-starts once read as 122 batches (the gap estimated from
 * its own gaps reached the 10-minute ceiling), leaving 82.7 % of the extraneous waiting to its
 * cause and 13.5 % to batching.
 */
const CHANCE_BATCHES_SEED = 446218842;

/**
 * The most of the extraneous activity's instances (and of its waiting) a log may put in batches:
 * a pair can still look like one when both were held over hours the resource's calendar, as
 * found, has her off, and released at her first minutes back (one pair in 648 logs).
 */
const FALSE_BATCHED = 0.01;

/** The least share of a planted activity's waiting that goes to its cause, in any one log. */
const LEAST_SHARE = 0.88;

describe('waiting time split by cause, on logs with planted causes', () => {
  for (const cause of WAIT_CAUSES) {
    it(`${cause} alone: ≥ 88 % of the planted activity's waiting goes to it`, () => {
      fc.assert(
        fc.property(seeds, (seed) => {
          const found = planted(analyze([cause], seed), cause);
          expect(found.waitingHours).toBeGreaterThan(0);
          expect(found.shares[cause]).toBeGreaterThanOrEqual(LEAST_SHARE);
        }),
        RUNS,
      );
    });
  }

  it('all five in one log: each planted activity still goes to its own cause', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const analysis = analyze(WAIT_CAUSES, seed);
        for (const cause of WAIT_CAUSES)
          expect(planted(analysis, cause).shares[cause]).toBeGreaterThanOrEqual(LEAST_SHARE);
        for (const a of analysis.activities) {
          const sum = WAIT_CAUSES.reduce((s, c) => s + a.causes[c], 0);
          expect(sum).toBeCloseTo(a.waitingHours, 6);
        }
      }),
      RUNS,
    );
  });

  it(
    'cases that start together by chance, each after its own wait, are no batch',
    () => {
      fc.assert(
        fc.property(seeds, (seed) => {
          const analysis = analyze(WAIT_CAUSES, seed);
          const extraneous = planted(analysis, 'extraneous');
          expect(extraneous.batches.instances).toBeLessThanOrEqual(extraneous.instances * FALSE_BATCHED);
          expect(extraneous.shares.batching).toBeLessThanOrEqual(FALSE_BATCHED);
          // the batches planted beside them are still found, one per pile of 3–6
          const batched = planted(analysis, 'batching');
          expect(batched.batches.count).toBeGreaterThan(batched.instances / 6 - 1);
        }),
        RUNS,
      );
    },
    FRESH_TIMEOUT_MS,
  );

  it(`chance co-starts are no batch on the log where 122 were (seed ${CHANCE_BATCHES_SEED})`, () => {
    const extraneous = planted(analyze(WAIT_CAUSES, CHANCE_BATCHES_SEED), 'extraneous');
    expect(extraneous.batches.count).toBe(0);
    expect(extraneous.shares.extraneous).toBeGreaterThanOrEqual(LEAST_SHARE);
  });

  it('gives the evidence: batch sizes, the calendar found, the cases that overtook', () => {
    const analysis = analyze(WAIT_CAUSES, 7);
    const batched = planted(analysis, 'batching');
    expect(batched.batches.minSize).toBeGreaterThanOrEqual(2);
    expect(batched.batches.meanSize).toBeGreaterThan(3);
    expect(batched.batches.firstReleases.length).toBeGreaterThan(0);
    const physician = analysis.calendars.find((c) => c.resource === 'Physician');
    expect(physician?.spans).toEqual(
      ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((day) => ({ day, from: 13, to: 16 })),
    );
    const routine = planted(analysis, 'prioritization');
    expect(routine.overtaken).toBe(routine.instances);
    expect(routine.overtakingCases.every((c) => c.startsWith('pri-u'))).toBe(true);
    expect(routine.transitions.map((t) => t.from)).toEqual(['Register']);
  });
});
