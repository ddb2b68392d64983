/**
 * Properties of conformance over seeded played logs (fast-check prints the seed of a failure):
 * a log played from a workflow without deviations fits it exactly, whatever the seed and case
 * count; planted deviations are recovered exactly for any seed; and permuting the log's rows
 * changes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../formats/workflow.ts';
import { mulberry32 } from '../simulate.ts';
import { conform } from './conform.ts';
import { readCsvLogText } from './csvLog.ts';
import { type PlayedEvent, playedCsv, playWorkflow } from './testing/playWorkflow.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../../samples/workflows');
const workflows = [
  'patient-intake.future.json',
  'lab-results.future.json',
  'patient-intake.current.json',
  'lab-results.current.json',
].map((name) => JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')) as Workflow);
const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
};
const readPlayed = (events: readonly PlayedEvent[]) =>
  readCsvLogText(playedCsv(events), { mapping: MAPPING }).log;

describe('conformance properties', () => {
  it('a log played without deviations fits its workflow exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: workflows.length - 1 }),
        fc.integer(),
        fc.integer({ min: 1, max: 60 }),
        (w, seed, cases) => {
          const workflow = workflows[w] as Workflow;
          const result = conform(readPlayed(playWorkflow(workflow, { seed, cases }).events), workflow);
          expect(result).toMatchObject({
            cases,
            conformingCases: cases,
            fitness: 1,
            skipped: {},
            inserted: {},
            workarounds: {},
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('planted workarounds, repeats and skips are recovered exactly for any seed', () => {
    const intake = workflows[0] as Workflow;
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (seed, skips, inserts, repeats) => {
          const played = playWorkflow(intake, {
            seed,
            cases: 60,
            deviations: {
              skip: { 'room-patient': skips },
              insert: { 'Call lab': inserts },
              repeat: { 'physician-visit': repeats },
            },
          });
          const result = conform(readPlayed(played.events), intake);
          expect(result.skipped).toEqual(played.planted.skipped);
          expect(result.inserted).toEqual(played.planted.inserted);
          expect(result.workarounds).toEqual(played.planted.workarounds);
          expect(result.repeatedEntry).toEqual(played.planted.repeatedEntry);
          expect(result.conformingCases).toBe(60 - skips - inserts - repeats);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('permuting the rows of a log changes nothing', () => {
    const intake = workflows[0] as Workflow;
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (seed, shuffleSeed) => {
        const played = playWorkflow(intake, {
          seed,
          cases: 40,
          deviations: {
            skip: { 'scan-consent': 3 },
            insert: { 'Print form': 4 },
            repeat: { checkout: 2 },
            slower: { 'physician-visit': 2 },
          },
        });
        const rows = [...played.events];
        const random = mulberry32(shuffleSeed);
        for (let i = rows.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [rows[i], rows[j]] = [rows[j] as PlayedEvent, rows[i] as PlayedEvent];
        }
        expect(conform(readPlayed(rows), intake)).toEqual(conform(readPlayed(played.events), intake));
      }),
      { numRuns: 20 },
    );
  });
});
