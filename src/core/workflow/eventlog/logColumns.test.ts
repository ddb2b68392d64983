/**
 * Choosing an event log's columns by what each column is: on the XES-as-CSV shape PM4Py and ProM
 * write (a case-level `case:enddate` before `time:timestamp`, empty for cases still open), on a log
 * with no standard names whose case-level date comes first, and on a gzipped XES.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsvLog, readCsvLogText } from './csvLog.ts';
import { GzipLogError, gunzipLog, inMemoryLog, isXesName } from './gzipLog.ts';
import { chooseLogColumns, createColumnEvidence, MIN_REPEATED_CASES, scanLogColumns } from './logColumns.ts';
import { chooseColumnsOnWholeLog, previewLog } from './logPreview.ts';
import { readXesLog } from './xesLog.ts';

const ACTIVITIES = [
  'Confirmation of receipt',
  'T02 Check confirmation',
  'T04 Determine',
  'T05 Print',
  'T06 Set',
];
const T0 = Date.UTC(2026, 0, 5, 8);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '+00:00');

/** A log in the XES-as-CSV shape: every fourth case still open (no end date). */
function xesAsCsv(cases: number) {
  const rows = [
    'case:concept:name,case:enddate,concept:name,lifecycle:transition,org:resource,time:timestamp',
  ];
  const used = new Set<string>();
  for (let c = 0; c < cases; c++) {
    const length = 2 + (c % 4);
    const end = c % 4 === 3 ? '' : iso(T0 + c * 60 * MIN + length * 10 * MIN);
    for (let k = 0; k < length; k++) {
      // the last activity only in the cases still open: read by the end date, it would be lost
      const activity = (k === length - 1 && end === '' ? 'T10 Open' : ACTIVITIES[k]) as string;
      used.add(activity);
      rows.push(
        [`case-${c}`, end, activity, 'complete', `Resource${k}`, iso(T0 + c * 60 * MIN + k * 10 * MIN)].join(
          ',',
        ),
      );
    }
  }
  return { text: `${rows.join('\n')}\n`, cases, activities: used.size };
}

/** No standard names: the admission date (the same on every row of a visit) comes before the event time. */
function plainNames(cases: number) {
  const rows = ['visit_id,admission_date,activity,recorded'];
  for (let c = 0; c < cases; c++) {
    for (let k = 0; k < 3; k++) {
      rows.push(
        [`V${c}`, iso(T0 + c * 60 * MIN), ACTIVITIES[k], iso(T0 + c * 60 * MIN + k * 7 * MIN)].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('event-log columns chosen by what each column is', () => {
  it('a start column beside the XES time (Simod, Prosimos): start and complete, not one time', () => {
    const rows = ['case:concept:name,concept:name,time:enabled,start_timestamp,time:timestamp,org:resource'];
    for (let c = 0; c < 12; c++) {
      for (let k = 0; k < 3; k++) {
        const enabled = T0 + c * 60 * MIN + k * 20 * MIN;
        rows.push(
          [c, ACTIVITIES[k], iso(enabled), iso(enabled + 5 * MIN), iso(enabled + 15 * MIN), 'Ann'].join(','),
        );
      }
    }
    const preview = previewLog(bytes(`${rows.join('\n')}\n`), 'simod.csv');
    expect(preview.proposal).toEqual({
      case: 'case:concept:name',
      activity: 'concept:name',
      start: 'start_timestamp',
      complete: 'time:timestamp',
      resource: 'org:resource',
    });
    expect(preview.reasons).toContain(
      'Each event starts at "start_timestamp" (its name says so) and is completed at "time:timestamp" (the XES standard name).',
    );
  });

  it('XES-as-CSV: the standard names win over a case-level date, and the log reads whole', () => {
    const log = xesAsCsv(40);
    const preview = previewLog(bytes(log.text), 'receipt.csv');
    expect(preview.proposal).toEqual({
      case: 'case:concept:name',
      activity: 'concept:name',
      timestamp: 'time:timestamp',
      lifecycle: 'lifecycle:transition',
      resource: 'org:resource',
    });
    const read = readCsvLogText(log.text, { mapping: preview.proposal });
    expect(read.log.cases.length).toBe(log.cases);
    expect(read.log.activities.length).toBe(log.activities);
    expect(preview.reasons).toContain('The time of each event is "time:timestamp" (the XES standard name).');
    expect(preview.reasons).toContain(
      '"case:enddate" holds times but is not the event time: the "case:" prefix marks a case attribute (the XES convention).',
    );
  });

  it('no standard names: a date constant within every case is never the event time', async () => {
    const text = plainNames(30);
    const preview = previewLog(bytes(text), 'visits.csv');
    expect(preview.proposal).toMatchObject({ case: 'visit_id', activity: 'activity', timestamp: 'recorded' });
    // the whole log says the same, and says it of the whole log
    const evidence = await scanLogColumns(inMemoryLog('visits.csv', bytes(text)), 'visit_id', 97);
    expect(evidence).toEqual({
      caseColumn: 'visit_id',
      rows: 90,
      cases: 30,
      repeatedCases: 30,
      whole: true,
      caseLevel: ['admission_date'],
    });
    const choice = chooseColumnsOnWholeLog(preview, evidence);
    expect(choice.mapping.timestamp).toBe('recorded');
    expect(choice.reasons).toContain(
      '"admission_date" holds times but is not the event time: its value never changes within a case in the whole log (30 cases).',
    );
  });

  it('a column constant within every case is never the activity', () => {
    const facts = (name: string, time = false) => ({ name, time, lifecycle: false, filled: 10 });
    const columns = [facts('visit'), facts('activity_group'), facts('handling'), facts('at', true)];
    const gatherer = createColumnEvidence(['visit', 'activity_group', 'handling', 'at'], 'visit');
    for (let c = 0; c < MIN_REPEATED_CASES; c++) {
      gatherer.add([`v${c}`, 'Intake', 'Triage', '2026-01-05T08:00:00Z']);
      gatherer.add([`v${c}`, 'Intake', 'Discharge', '2026-01-05T09:00:00Z']);
    }
    const evidence = gatherer.result(true);
    expect(evidence.caseLevel).toEqual(['activity_group']);
    expect(chooseLogColumns(columns, 'visit', evidence).mapping.activity).toBe('handling');
    // without the evidence the name rule alone would take the group
    expect(chooseLogColumns(columns, 'visit').mapping.activity).toBe('activity_group');
  });

  it('a column constant within every case is never the role, and the reasons say why', () => {
    const facts = (name: string, time = false) => ({ name, time, lifecycle: false, filled: 10 });
    const columns = [facts('visit'), facts('activity'), facts('department'), facts('at', true)];
    const gatherer = createColumnEvidence(['visit', 'activity', 'department', 'at'], 'visit');
    for (let c = 0; c < MIN_REPEATED_CASES; c++) {
      gatherer.add([`v${c}`, 'Triage', c % 2 === 0 ? 'Cardiology' : 'Oncology', '2026-01-05T08:00:00Z']);
      gatherer.add([`v${c}`, 'Discharge', c % 2 === 0 ? 'Cardiology' : 'Oncology', '2026-01-05T09:00:00Z']);
    }
    const evidence = gatherer.result(true);
    expect(evidence.caseLevel).toEqual(['department']);
    const choice = chooseLogColumns(columns, 'visit', evidence);
    expect(choice.mapping.role).toBeUndefined();
    expect(choice.reasons.some((r) => r.startsWith('"department" is not proposed as the role'))).toBe(true);
    // a department that changes within a case is where the work moves: it is proposed
    const moving = createColumnEvidence(['visit', 'activity', 'department', 'at'], 'visit');
    for (let c = 0; c < MIN_REPEATED_CASES; c++) {
      moving.add([`v${c}`, 'Triage', 'Emergency', '2026-01-05T08:00:00Z']);
      moving.add([`v${c}`, 'Discharge', 'Ward', '2026-01-05T09:00:00Z']);
    }
    expect(chooseLogColumns(columns, 'visit', moving.result(true)).mapping.role).toBe('department');
  });

  it('too few repeated cases say nothing: a start and a complete of one activity keep their activity column', () => {
    const gatherer = createColumnEvidence(['case', 'activity'], 'case');
    for (let c = 0; c < MIN_REPEATED_CASES - 1; c++) {
      gatherer.add([`c${c}`, 'Check in']);
      gatherer.add([`c${c}`, 'Check in']);
    }
    expect(gatherer.result(true).caseLevel).toEqual([]);
  });

  it('a log read through the stream gives the same counts with the chosen columns', async () => {
    const log = xesAsCsv(25);
    const input = inMemoryLog('receipt.csv', bytes(log.text));
    const preview = previewLog(bytes(log.text), 'receipt.csv');
    const choice = chooseColumnsOnWholeLog(preview, await scanLogColumns(input, preview.proposal.case));
    const read = await readCsvLog(input, { mapping: choice.mapping });
    expect([read.log.cases.length, read.log.activities.length]).toEqual([log.cases, log.activities]);
  });
});

describe('gzipped logs', () => {
  const xes = [
    '<?xml version="1.0" encoding="UTF-8"?><log xes.version="1.0">',
    ...Array.from({ length: 12 }, (_, c) =>
      [
        `<trace><string key="concept:name" value="ticket-${c}"/>`,
        ...['Assign seriousness', 'Take in charge ticket', 'Resolve ticket'].map(
          (a, k) =>
            `<event><string key="concept:name" value="${a}"/><date key="time:timestamp" value="${new Date(T0 + c * 3600_000 + k * 600_000).toISOString()}"/></event>`,
        ),
        '</trace>',
      ].join(''),
    ),
    '</log>',
  ].join('\n');

  it('reads a .xes.gz as XES', async () => {
    expect(isXesName('helpdesk.xes.gz')).toBe(true);
    const zipped = inMemoryLog('helpdesk.xes.gz', gzipSync(bytes(xes)));
    const log = await gunzipLog(zipped);
    expect(log.name).toBe('helpdesk.xes');
    const read = await readXesLog(log, {
      mapping: { case: 'concept:name', activity: 'concept:name', timestamp: 'time:timestamp' },
    });
    expect([read.log.cases.length, read.log.activities.length]).toEqual([12, 3]);
    expect(previewLog(await log.read(0, 2000), log.name).kind).toBe('xes');
  });

  it('decompresses only the first bytes for a preview, and refuses data that is not gzip', async () => {
    const first = await gunzipLog(inMemoryLog('helpdesk.xes.gz', gzipSync(bytes(xes))), 100);
    expect(first.size).toBe(100);
    await expect(gunzipLog(inMemoryLog('log.csv.gz', bytes('case,activity\n')))).rejects.toThrow(
      GzipLogError,
    );
  });
});
