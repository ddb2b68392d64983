/**
 * An interval log (a start time beside `time:timestamp`, as Simod, Prosimos and PM4Py write one)
 * gives one map from its CSV and its XES copy: the same activities, paths, counts and times. The
 * CSV is Simod's own log (tests/fixtures/logs/simod); its XES copy is written here
 * the way PM4Py writes one (each column an attribute of its event, the case a trace). The property
 * test does the same over generated interval logs (fast-check prints the seed of a failure).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './csvLog.ts';
import { previewLog } from './logPreview.ts';
import { buildProcessMap } from './processMap.ts';
import type { ReadLogOptions } from './readEvents.ts';
import { readXesLogText } from './xesLog.ts';

const SIMOD = path.resolve(import.meta.dirname, '../../../../tests/fixtures/logs/simod');

const DATE_COLUMNS = new Set(['time:timestamp', 'start_timestamp', 'time:enabled']);

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** An XES copy of a comma-separated log without quotes: one trace per case, in first-seen order. */
function xesCopy(csv: string, caseColumn = 'case:concept:name'): string {
  const [head = '', ...lines] = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const names = head.split(',');
  const traces = new Map<string, string[]>();
  for (const line of lines) {
    const cells = line.split(',');
    const caseId = cells[names.indexOf(caseColumn)] ?? '';
    const attributes = names
      .map((name, i) => {
        if (name === caseColumn || cells[i] === undefined || cells[i] === '') return '';
        const tag = DATE_COLUMNS.has(name) ? 'date' : 'string';
        const value = tag === 'date' ? (cells[i] as string).replace(' ', 'T') : (cells[i] as string);
        return `<${tag} key="${escapeXml(name)}" value="${escapeXml(value)}"/>`;
      })
      .join('');
    const events = traces.get(caseId) ?? [];
    events.push(`<event>${attributes}</event>`);
    traces.set(caseId, events);
  }
  const body = [...traces].map(
    ([id, events]) =>
      `<trace><string key="concept:name" value="${escapeXml(id)}"/>${events.join('')}</trace>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n${body.join('\n')}\n</log>\n`;
}

/** The CSV read as the browser's import step proposes its columns. */
function csvMap(csv: string) {
  const preview = previewLog(new TextEncoder().encode(csv), 'log.csv');
  const read = readCsvLogText(csv, { mapping: preview.proposal });
  return { read, map: buildProcessMap(read.log), mapping: preview.proposal };
}

/** The XES read with no column given (the CLI's path) and as the browser's preview proposes. */
function xesMaps(xes: string) {
  const bare: ReadLogOptions = { mapping: { case: '', activity: '' } };
  const proposed: ReadLogOptions = { mapping: previewLog(new TextEncoder().encode(xes), 'log.xes').proposal };
  return [bare, proposed].map((options) => {
    const read = readXesLogText(xes, options);
    return { read, map: buildProcessMap(read.log) };
  });
}

describe('an interval log read from CSV and from XES', () => {
  it("gives the same map from Simod's log and its XES copy", () => {
    const csv = readFileSync(path.join(SIMOD, 'Simple_log_with_prioritization.csv'), 'utf8');
    const fromCsv = csvMap(csv);
    expect(fromCsv.mapping).toMatchObject({ start: 'start_timestamp', complete: 'time:timestamp' });
    expect(fromCsv.read.problems.list().filter((p) => p.severity === 'error')).toEqual([]);
    // every activity instance is timed from its start: the map has activity durations
    expect(fromCsv.map.activities.every((a) => a.duration !== undefined)).toBe(true);
    for (const fromXes of xesMaps(xesCopy(csv))) {
      expect(fromXes.read.log.events).toBe(fromCsv.read.log.events);
      expect(fromXes.map).toEqual(fromCsv.map);
    }
  });

  const ACTIVITIES = ['Check in', 'Vitals', 'Visit', 'Labs', 'Check out'];
  const BASE = Date.UTC(2025, 5, 2, 7, 0);
  const logArbitrary = fc.array(
    fc.array(
      fc.record({
        activity: fc.constantFrom(...ACTIVITIES),
        gap: fc.integer({ min: 0, max: 600 }),
        work: fc.integer({ min: 0, max: 120 }),
      }),
      { minLength: 1, maxLength: 7 },
    ),
    { minLength: 1, maxLength: 25 },
  );

  it('gives the same map from either copy of any interval log (property)', () => {
    fc.assert(
      fc.property(logArbitrary, fc.boolean(), (cases, startFirst) => {
        const columns = startFirst
          ? ['case:concept:name', 'concept:name', 'start_timestamp', 'time:timestamp']
          : ['case:concept:name', 'concept:name', 'time:timestamp', 'start_timestamp'];
        const lines = [columns.join(',')];
        cases.forEach((events, k) => {
          let time = BASE + k * 3_600_000;
          for (const e of events) {
            const start = time + e.gap * 60_000;
            time = start + e.work * 60_000;
            const cells: Record<string, string> = {
              'case:concept:name': `c${k}`,
              'concept:name': e.activity,
              start_timestamp: new Date(start).toISOString(),
              'time:timestamp': new Date(time).toISOString(),
            };
            lines.push(columns.map((c) => cells[c]).join(','));
          }
        });
        const csv = `${lines.join('\n')}\n`;
        const fromCsv = csvMap(csv);
        for (const fromXes of xesMaps(xesCopy(csv))) expect(fromXes.map).toEqual(fromCsv.map);
      }),
      { numRuns: 60 },
    );
  });
});
