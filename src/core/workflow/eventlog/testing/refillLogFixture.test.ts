/**
 * tests/fixtures/logs/prescription-refill-queued.csv is the demo's current prescription-refill
 * workflow played with its own staff by the seeded queueing clinic (five weekdays, seed 7): the
 * log the end-to-end back-test checks that workflow against. This test says how the file was made
 * and fails if it no longer matches its generator, and checks that the log reproduces the workflow
 * it was played from and not one with fewer staff (the test can fail both ways).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../../../formats/workflow.ts';
import { backTest } from '../backTest.ts';
import { readCsvLogText } from '../csvLog.ts';
import { playQueuedLog, queuedCsv } from './playQueued.ts';

const FIXTURE = new URL('../../../../../tests/fixtures/logs/prescription-refill-queued.csv', import.meta.url);
const SAMPLE = new URL('../../../../../samples/workflows/prescription-refill.current.json', import.meta.url);

const loaded = loadWorkflow(JSON.parse(readFileSync(SAMPLE, 'utf8')));
if (!loaded.ok) throw new Error('the sample workflow does not load');
const workflow = loaded.value;
const text = readFileSync(FIXTURE, 'utf8');
const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
  role: 'role',
};

describe('the prescription-refill log fixture', () => {
  it('is the demo workflow played by the queueing clinic, seed 7, five days', () => {
    expect(text).toBe(queuedCsv(playQueuedLog(workflow, { seed: 7, days: 5 })));
  });

  it('reads without a problem (a label with a comma is quoted)', () => {
    const read = readCsvLogText(text, { mapping: MAPPING });
    expect(read.problems.list()).toEqual([]);
    expect(read.log.activities).toContain('Seen in the last 12 months, labs current?');
  });

  it.each([
    { title: 'the workflow it was played from', staff: undefined, verdict: 'trusted' },
    { title: 'the workflow with one person per role', staff: 1, verdict: 'not-trusted' },
  ])('back-tests $title as $verdict', ({ staff, verdict }) => {
    const log = readCsvLogText(text, { mapping: MAPPING }).log;
    const model =
      staff === undefined ? workflow : { ...workflow, lanes: workflow.lanes.map((l) => ({ ...l, staff })) };
    const outcome = backTest(log, model, { replications: 10 });
    expect(outcome.ok && outcome.backTest.verdict).toBe(verdict);
  });
});
