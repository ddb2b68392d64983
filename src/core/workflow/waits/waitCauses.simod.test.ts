/**
 * Simod's logs (tests/fixtures/external/simod-assets, Apache-2.0), read with the columns the
 * import step and `workflow discover` choose (a start column beside the XES time), checked
 * against what was planted in them:
 *
 * - planted batching before `Short-branch`: its waiting is batching, as the waiting-time-analysis
 *   tool finds it (93.5 %): batches of three accumulate, then their cases are done one after the
 *   other (that part is contention: the resource busy with batch mates). The batch mates start
 *   as the previous one ends, so the gap needs no pauses: the log's gaps show none and it stays
 *   at the floor;
 * - planted prioritisation: what this method finds is the prioritisation planted, before
 *   `Second-task`, and no batching. One resource works the cases around the clock; the large
 *   releases of `Second-task` (30–50 at once) never hold a case while the resource is idle, so
 *   they are a queue, not batches, and a case enabled later that goes first there overtook. (The
 *   reference tool calls part of that wait batching and none prioritization.)
 * - a log that labels each planted batch (`batch_instance_id`): the batches found are the ones
 *   planted, same count and size.
 *
 * And over every log of the suite (a log added to it must say what was planted in it): batches
 * are found on the planted activity only, all of the planted size, holding all its instances but
 * a last pile short of that size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { readCsvLogText } from '../eventlog/csvLog.ts';
import { previewLog } from '../eventlog/logPreview.ts';
import { analyzeWaits, WAIT_CAUSES, type WaitAnalysis } from './index.ts';

const read = (name: string) => readFileSync(externalFixture('simod-assets', name), 'utf8');

function analyzeFixture(name: string): WaitAnalysis {
  const text = read(name);
  const { proposal } = previewLog(new TextEncoder().encode(text), name);
  expect(proposal).toMatchObject({
    start: 'start_timestamp',
    complete: 'time:timestamp',
    resource: 'org:resource',
  });
  const log = readCsvLogText(text, { mapping: proposal });
  expect(log.problems.list().filter((p) => p.severity === 'error')).toEqual([]);
  return analyzeWaits(log.log, (ms) => ms);
}

describe("waiting by cause on Simod's logs, against what was planted", () => {
  it('planted batching: the waiting before Short-branch is batching (reference 93.5 %)', () => {
    const analysis = analyzeFixture('Simple_log_with_batching.csv');
    const [first] = analysis.activities;
    expect(first?.activity).toBe('Short-branch');
    expect(first?.shares.batching).toBeGreaterThan(0.92);
    expect(first?.shares.batching).toBeLessThan(0.95);
    expect(first?.batches).toMatchObject({ count: 167, instances: 501, minSize: 3, maxSize: 3 });
    expect(first?.batchGap).toEqual({ minutes: 1, basis: 'no-pauses', gaps: 167 });
    expect(first?.transitions.map((t) => t.from)).toEqual(['Second-task']);
    // the other activities start as soon as they are enabled
    for (const other of analysis.activities.slice(1)) expect(other.waitingHours).toBe(0);
    expect(analysis.calendars[0]?.hoursPerWeek).toBe(168);
    expect(analysis.batchGapUndecided).toEqual({ activities: 0, instances: 0 });
  });

  it('planted prioritisation: prioritization before Second-task, no batching anywhere', () => {
    const analysis = analyzeFixture('Simple_log_with_prioritization.csv');
    const waiting = analysis.activities.filter((a) => a.waitingHours > 0);
    expect(waiting.length).toBeGreaterThan(3);
    for (const a of waiting) {
      expect(a.shares.batching).toBe(0);
      expect(a.batches.count).toBe(0);
      const total = WAIT_CAUSES.reduce((sum, c) => sum + a.shares[c], 0);
      expect(total).toBeCloseTo(1, 9);
    }
    const second = analysis.activities.find((a) => a.activity === 'Second-task');
    expect(second?.shares.prioritization).toBeGreaterThan(0.4);
    expect(second?.overtaken).toBeGreaterThan(50);
  });

  it('a log that labels its planted batches: the batches found are those planted', () => {
    const text = read('event_log_5.csv');
    const [header = '', ...rows] = text.trim().split(/\r?\n/);
    const column = header.split(',').indexOf('batch_instance_id');
    const activityColumn = header.split(',').indexOf('Activity');
    const planted = new Map<string, number>();
    for (const row of rows) {
      const cells = row.split(',');
      const id = cells[column] ?? '';
      if (id !== '') planted.set(id, (planted.get(id) ?? 0) + 1);
      if (id !== '') expect(cells[activityColumn]).toBe('B');
    }
    const sizes = [...planted.values()];
    const log = readCsvLogText(text, {
      mapping: {
        case: 'case_id',
        activity: 'Activity',
        start: 'start_time',
        complete: 'end_time',
        resource: 'Resource',
      },
    });
    expect(log.problems.list().filter((p) => p.severity === 'error')).toEqual([]);
    const b = analyzeWaits(log.log, (ms) => ms).activities.find((a) => a.activity === 'B');
    expect(b?.batches).toMatchObject({
      count: planted.size,
      instances: sizes.reduce((x, y) => x + y, 0),
      minSize: Math.min(...sizes),
      maxSize: Math.max(...sizes),
    });
    expect(b?.shares.batching).toBeGreaterThan(0);
  });

  /** What each log of the suite has planted: the batched activity and its batch size, or none. */
  const PLANTED: Record<string, { activity: string; size: number } | null> = {
    'Simple_log_with_batching.csv': { activity: 'Short-branch', size: 3 },
    'Simple_log_with_prioritization.csv': null,
    'event_log_5.csv': { activity: 'B', size: 3 },
  };

  it('every log of the suite: batches on the planted activity only, of the planted size', () => {
    const logs = readdirSync(externalFixture('simod-assets')).filter((name) => name.endsWith('.csv'));
    expect(logs.sort()).toEqual(Object.keys(PLANTED).sort());
    for (const name of logs) {
      const text = read(name);
      const { proposal } = previewLog(new TextEncoder().encode(text), name);
      const analysis = analyzeWaits(readCsvLogText(text, { mapping: proposal }).log, (ms) => ms);
      const planted = PLANTED[name];
      const batched = analysis.activities.filter((a) => a.batches.count > 0).map((a) => a.activity);
      expect(batched, name).toEqual(planted ? [planted.activity] : []);
      if (!planted) continue;
      const found = analysis.activities.find((a) => a.activity === planted.activity);
      const [header = '', ...rows] = text.split(/\r?\n/);
      const column = header.split(',').indexOf(proposal.activity);
      const instances = rows.filter((row) => row.split(',')[column] === planted.activity).length;
      // all but the last few (a pile the log ends on, short of its size) go in full batches
      const full = Math.floor(instances / planted.size);
      expect(found?.batches, name).toMatchObject({
        count: full,
        instances: full * planted.size,
        minSize: planted.size,
        maxSize: planted.size,
      });
    }
  });
});
