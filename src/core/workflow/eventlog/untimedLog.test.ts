/**
 * A log without times gives what it can — how often each activity and path occurs, and the
 * variants, in the order of each case's rows — and no duration anywhere. PM4Py's "partial order
 * example" XES files write `time:timestamp` as text ("?"), not as a date: such a log is read
 * without times, and the account says why the key is not used.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { readCsvLogText } from './csvLog.ts';
import { previewLog } from './logPreview.ts';
import { buildProcessMap } from './processMap.ts';
import { readXesLogText } from './xesLog.ts';

const ROWS = [
  ['c1', 'Check in'],
  ['c1', 'Vitals'],
  ['c1', 'Visit'],
  ['c2', 'Check in'],
  ['c2', 'Visit'],
  ['c3', 'Check in'],
  ['c3', 'Vitals'],
  ['c3', 'Visit'],
  ['c3', 'Visit'],
];

describe('a log without times', () => {
  it('gives the frequency map and variants of the same log with times, and no duration', () => {
    const untimed = readCsvLogText(['case,activity', ...ROWS.map((r) => r.join(','))].join('\n'), {
      mapping: { case: 'case', activity: 'activity' },
    });
    const timed = readCsvLogText(
      [
        'case,activity,time',
        ...ROWS.map((r, i) => `${r.join(',')},2025-01-02T08:${String(i).padStart(2, '0')}:00Z`),
      ].join('\n'),
      { mapping: { case: 'case', activity: 'activity', timestamp: 'time' } },
    );
    expect(untimed.log.untimed).toBe(true);
    expect(untimed.problems.list()).toEqual([]);
    const map = buildProcessMap(untimed.log);
    const reference = buildProcessMap(timed.log);
    expect(map.untimed).toBe(true);
    const counts = (m: typeof map) => ({
      activities: m.activities.map(({ name, n, cases }) => ({ name, n, cases })),
      edges: m.edges.map(({ from, to, n, cases }) => ({ from, to, n, cases })),
      variants: m.variants,
    });
    expect(counts(map)).toEqual(counts(reference));
    expect(map.variants).toHaveLength(3);
    expect(map.edges.some((e) => e.duration)).toBe(false);
    expect(map.activities.some((a) => a.duration)).toBe(false);
  });

  it('is proposed by the import step: no time column is no reason to refuse the log', () => {
    const text = ['patient,activity,ward', ...ROWS.map((r) => `${r.join(',')},A`)].join('\n');
    const preview = previewLog(new TextEncoder().encode(text), 'log.csv');
    expect(preview.proposal).toMatchObject({ case: 'patient', activity: 'activity' });
    expect(preview.proposal.timestamp).toBeUndefined();
    const read = readCsvLogText(text, { mapping: preview.proposal });
    expect(read.log.untimed).toBe(true);
    expect(read.log.events).toBe(ROWS.length);
  });

  it.each(['partial order example.xes', 'partial order example 3.xes'])(
    "reads PM4Py's %s (times written as text) without times",
    (file) => {
      const text = readFileSync(externalFixture('pm4py-input-data', file), 'utf8');
      const read = readXesLogText(text, {
        mapping: previewLog(new TextEncoder().encode(text), file).proposal,
      });
      expect(read.problems.list().filter((p) => p.severity === 'error')).toEqual([]);
      expect(read.log.untimed).toBe(true);
      expect(read.log.events).toBe((text.match(/<event>/g) ?? []).length);
      const map = buildProcessMap(read.log);
      expect(map.variantCount).toBeGreaterThan(0);
      expect(map.edges.every((e) => e.duration === undefined)).toBe(true);
      expect(read.account.lines.find((l) => l.name === 'event@time:timestamp')?.effect).toMatch(
        /without times/,
      );
    },
  );
});
