/**
 * Simod's logs (tests/fixtures/logs/simod, Apache-2.0), read with the columns the import step
 * and `workflow discover` choose (a start column beside the XES time):
 *
 * - with planted batching, the waiting before `Short-branch` goes to batching, as the
 *   waiting-time-analysis tool finds it (93.5 %): the batch of three accumulates, then its cases
 *   are done one after the other (that part is contention: the resource busy with batch mates);
 * - with planted prioritisation, what this method finds: contention and batching, no
 *   prioritization — like the reference tool. One resource works the cases around the clock in
 *   large releases (30–50 `Second-task` instances at once); a case that gets ahead does so
 *   inside a release, where the work ahead of a case is a batch mate's (contention) or falls in
 *   the accumulation (batching), so no wait is left to put down to a later-enabled case.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from '../eventlog/csvLog.ts';
import { previewLog } from '../eventlog/logPreview.ts';
import { analyzeWaits, WAIT_CAUSES, type WaitAnalysis } from './index.ts';

function analyzeFixture(name: string): WaitAnalysis {
  const text = readFileSync(
    new URL(`../../../../tests/fixtures/logs/simod/${name}`, import.meta.url),
    'utf8',
  );
  const { proposal } = previewLog(new TextEncoder().encode(text), name);
  expect(proposal).toMatchObject({
    start: 'start_timestamp',
    complete: 'time:timestamp',
    resource: 'org:resource',
  });
  const read = readCsvLogText(text, { mapping: proposal });
  expect(read.problems.list().filter((p) => p.severity === 'error')).toEqual([]);
  return analyzeWaits(read.log, (ms) => ms);
}

describe("waiting by cause on Simod's logs", () => {
  it('planted batching: the waiting before Short-branch is batching (reference 93.5 %)', () => {
    const analysis = analyzeFixture('Simple_log_with_batching.csv');
    const [first] = analysis.activities;
    expect(first?.activity).toBe('Short-branch');
    expect(first?.shares.batching).toBeGreaterThan(0.92);
    expect(first?.shares.batching).toBeLessThan(0.95);
    expect(first?.batches).toMatchObject({ minSize: 3, maxSize: 3 });
    expect(first?.transitions.map((t) => t.from)).toEqual(['Second-task']);
    // the other activities start as soon as they are enabled
    for (const other of analysis.activities.slice(1)) expect(other.waitingHours).toBe(0);
    expect(analysis.calendars[0]?.hoursPerWeek).toBe(168);
  });

  it('planted prioritisation: contention and batching, no prioritization (as the reference finds)', () => {
    const analysis = analyzeFixture('Simple_log_with_prioritization.csv');
    const waiting = analysis.activities.filter((a) => a.waitingHours > 0);
    expect(waiting.length).toBeGreaterThan(3);
    for (const a of waiting) {
      expect(a.shares.prioritization).toBe(0);
      expect(a.shares.contention + a.shares.batching).toBeGreaterThan(0.99);
      const total = WAIT_CAUSES.reduce((sum, c) => sum + a.shares[c], 0);
      expect(total).toBeCloseTo(1, 9);
    }
    const second = analysis.activities.find((a) => a.activity === 'Second-task');
    expect(second?.shares.batching).toBeGreaterThan(0.3);
    expect(second?.overtaken).toBeGreaterThan(0);
  });
});
