import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { readCsvLogText } from './csvLog.ts';
import { discoverWorkflow } from './discover.ts';
import { createLocalClock } from './timestamps.ts';
import { readXesLog, readXesLogText, XesError } from './xesLog.ts';

const NO_MAPPING = { mapping: { case: '', activity: '' } };
const COMPLETE_ONLY = new URL('../../../../tests/fixtures/logs/clinic-complete-only.xes', import.meta.url);
const MINUTE = 60_000;
const xmlEscape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/** The eventdataR patients CSV written as XES (one trace per patient, events in file order). */
function patientsAsXes(): { csv: string; xes: string } {
  const csv = readFileSync(externalFixture('eventdataR-patients', 'patients.csv'), 'utf8');
  const [header, ...lines] = csv.trim().split('\n');
  const cols = (header as string).split(',');
  const at = (cells: string[], name: string) => cells[cols.indexOf(name)] as string;
  const traces = new Map<string, string[]>();
  for (const line of lines) {
    const cells = line.split(',');
    const events = traces.get(at(cells, 'patient')) ?? [];
    events.push(
      [
        '    <event>',
        `      <string key="concept:name" value="${xmlEscape(at(cells, 'handling'))}"/>`,
        `      <string key="org:resource" value="${xmlEscape(at(cells, 'employee'))}"/>`,
        `      <date key="time:timestamp" value="${at(cells, 'time')}"/>`,
        `      <string key="lifecycle:transition" value="${at(cells, 'registration_type')}"/>`,
        '    </event>',
      ].join('\n'),
    );
    traces.set(at(cells, 'patient'), events);
  }
  const body = [...traces].map(
    ([patient, events]) =>
      `  <trace>\n    <string key="concept:name" value="${xmlEscape(patient)}"/>\n${events.join('\n')}\n  </trace>`,
  );
  const xes = `<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n${body.join('\n')}\n</log>\n`;
  return { csv, xes };
}

describe('XES', () => {
  it('the eventdataR log as XES discovers the same workflow as the CSV, read in small chunks', async () => {
    const { csv, xes } = patientsAsXes();
    const clock = createLocalClock('UTC');
    const fromCsv = readCsvLogText(csv, {
      mapping: {
        case: 'patient',
        activity: 'handling',
        timestamp: 'time',
        lifecycle: 'registration_type',
        resource: 'employee',
      },
    });
    const bytes = new TextEncoder().encode(xes);
    const fromXes = await readXesLog(
      {
        name: 'patients.xes',
        size: bytes.length,
        read: async (offset, length) => bytes.slice(offset, offset + length),
      },
      NO_MAPPING,
      { chunkBytes: 997 },
    );
    expect(fromXes.problems.list()).toEqual([]);
    expect(fromXes.log.events).toBe(5442);
    expect(discoverWorkflow(fromXes.log, clock).workflow).toEqual(
      discoverWorkflow(fromCsv.log, clock).workflow,
    );
  });

  it('reads roles, global defaults, events without a lifecycle, and skips nested attributes', () => {
    const xes = `<log>
  <global scope="event"><string key="org:role" value="Nurse"/></global>
  <trace><string key="concept:name" value="0012"/>
    <event><string key="concept:name" value="Triage"/><date key="time:timestamp" value="2024-03-01T08:00:00.000+01:00"/>
      <list key="meta"><string key="concept:name" value="not an activity"/></list></event>
    <event><string key="concept:name" value="Visit"/><string key="org:role" value="Physician"/><date key="time:timestamp" value="2024-03-01T08:30:00.000+01:00"/></event>
  </trace>
</log>`;
    const { log, problems } = readXesLogText(xes, NO_MAPPING);
    expect(problems.list()).toEqual([]);
    expect(log.cases).toEqual(['0012']);
    expect(log.activities).toEqual(['Triage', 'Visit']);
    expect(log.roles).toEqual(['Nurse', 'Physician']);
    expect(Array.from(log.start)).toEqual([Date.UTC(2024, 2, 1, 7), Date.UTC(2024, 2, 1, 7, 30)]);
    expect(Array.from(log.timed)).toEqual([0, 0]);
  });

  it.each([
    { description: 'not well-formed', xes: '<log><trace></log>' },
    { description: 'not a log', xes: '<html><body/></html>' },
    { description: 'empty', xes: '' },
  ])('refuses a file that is $description, naming line and column', ({ xes }) => {
    expect(() => readXesLogText(xes, NO_MAPPING)).toThrow(XesError);
    expect(() => readXesLogText(xes, NO_MAPPING)).toThrow(/line \d+, column \d+/);
  });

  it('reports events with problems by event number', () => {
    const xes = `<log><trace><string key="concept:name" value="1"/>
      <event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-03-01T08:00:00Z"/></event>
      <event><string key="concept:name" value="B"/></event>
      <event><string key="concept:name" value="C"/><date key="time:timestamp" value="2024-03-01T09:00:00Z"/></event>
    </trace><trace>
      <event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-03-01T08:00:00Z"/></event>
    </trace></log>`;
    const { problems } = readXesLogText(xes, NO_MAPPING);
    expect(problems.list().map((p) => [p.code, p.rows])).toEqual([
      ['missing-case-id', [4]],
      ['missing-timestamp', [2]],
    ]);
  });

  it('reads a log of complete events only as atomic events, leaving out the event with no time', () => {
    const { log, problems, rows } = readXesLogText(readFileSync(COMPLETE_ONLY, 'utf8'), NO_MAPPING);
    // nothing refused: no complete-without-start; the untimed event named by position, not value
    expect(problems.list()).toEqual([
      expect.objectContaining({ code: 'missing-timestamp', severity: 'warning', count: 1, rows: [11] }),
    ]);
    expect(rows).toBe(16);
    expect(log.events).toBe(15);
    expect(log.atomicCompletes).toBe(true);
    // the placeholder activity and date of <global> never become data
    expect(log.activities).toEqual(['Check in', 'Check out', 'Triage', 'Visit']);
    expect(Math.min(...log.start)).toBe(Date.UTC(2026, 2, 2, 7));
    // one instance per event, instant (start = complete), no touch time measured
    expect(log.activity.length).toBe(15);
    expect(Array.from(log.start)).toEqual(Array.from(log.complete));
    expect(Array.from(log.timed).every((t) => t === 0)).toBe(true);

    const { workflow } = discoverWorkflow(log, createLocalClock('UTC'));
    const id = (label: string) => workflow.steps.find((s) => s.label === label)?.id;
    const count = (from: string, to: string) =>
      workflow.flows.find((f) => f.from === id(from) && f.to === id(to))?.observed?.n;
    expect(count('Check in', 'Triage')).toBe(3);
    expect(count('Triage', 'Visit')).toBe(3);
    expect(count('Check in', 'Visit')).toBe(1);
    expect(count('Visit', 'Check out')).toBe(4);
    // directly-follows only between real neighbours: start → Check in, Check out → end, nothing else
    expect(workflow.flows).toHaveLength(6);
    // waits are the gaps between consecutive events: Triage 10, 5, 20 → median 10 min;
    // Visit 20, 30, 20, 20 → 20 min; Check out 20, 25, 20, 10 → 20 min
    const step = (label: string) => workflow.steps.find((s) => s.label === label);
    expect(step('Triage')).toMatchObject({ waitMin: 10, touchMin: 0 });
    expect(step('Visit')).toMatchObject({ waitMin: 20, touchMin: 0 });
    expect(step('Check out')).toMatchObject({ waitMin: 20, touchMin: 0 });
    expect((log.complete[1] as number) - (log.complete[0] as number)).toBe(10 * MINUTE);
  });
});
