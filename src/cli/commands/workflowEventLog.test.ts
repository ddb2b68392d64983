import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import {
  conform,
  type Deviations,
  hugeCaseShape,
  playedCsv,
  playWorkflow,
  readCsvLogText,
  receiptShape,
} from '../../core/workflow/eventlog/index.ts';
import { labSubProcess } from '../../core/workflow/index.ts';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import { runCli } from '../cliTestKit.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from '../command.ts';
import { driftReport } from './workflowConform.ts';

const PATIENTS = externalFixture('eventdataR-patients', 'patients.csv');
const FUTURE = path.resolve(import.meta.dirname, '../../../samples/workflows/patient-intake.future.json');
const dir = mkdtempSync(path.join(tmpdir(), 'preflight-eventlog-'));
const file = (name: string, text: string) => {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
};

function run(args: string[]) {
  return runCli(args, dir);
}

const PATIENT_COLUMNS = [
  '--case',
  'patient',
  '--activity',
  'handling',
  '--timestamp',
  'time',
  '--lifecycle',
  'registration_type',
  '--resource',
  'employee',
];
const PLAYED_COLUMNS = [
  '--case',
  'case',
  '--activity',
  'activity',
  '--timestamp',
  'timestamp',
  '--lifecycle',
  'lifecycle',
  '--resource',
  'resource',
];

function played(seed: number, deviations?: Deviations) {
  const workflow = JSON.parse(readFileSync(FUTURE, 'utf8')) as Workflow;
  return playedCsv(
    playWorkflow(workflow, { seed, cases: 200, ...(deviations ? { deviations } : {}) }).events,
  );
}

describe('preflight workflow discover', () => {
  it('writes a valid current workflow and reports how the log was read', async () => {
    const output = path.join(dir, 'current.json');
    const { code, err, out } = await run([
      'workflow',
      'discover',
      PATIENTS,
      ...PATIENT_COLUMNS,
      '-o',
      output,
      '--id',
      'er-current',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(out).toBe('');
    expect(err).toContain('5442 rows, 5442 events, 500 cases, 7 activities');
    expect(err).toContain('ISO 8601');
    const loaded = loadWorkflow(JSON.parse(readFileSync(output, 'utf8')));
    expect(loaded.ok && loaded.value.id).toBe('er-current');
    expect(loaded.ok && loaded.value.state).toBe('current');
  });

  it('prints what the log shows: the longest waits with its figures, by the settings given', async () => {
    const { code, err } = await run([
      'workflow',
      'discover',
      PATIENTS,
      ...PATIENT_COLUMNS,
      '-o',
      path.join(dir, 'w.json'),
    ]);
    expect(code).toBe(EXIT_OK);
    expect(err).toContain('What the log shows (3 findings):');
    expect(err).toContain('  WARNING long-wait [x-ray]');
    expect(err).toContain('Cases wait a median of 28.9 h before “X-Ray” (90 % within 5.6 days');
    const settings = file(
      'quiet.json',
      JSON.stringify({ format: 'preflight.analysissettings/v1', thresholds: { longWaitMin: 100000 } }),
    );
    const quiet = await run([
      'workflow',
      'discover',
      PATIENTS,
      ...PATIENT_COLUMNS,
      '--settings',
      settings,
      '-o',
      path.join(dir, 'q.json'),
    ]);
    expect(quiet.code).toBe(EXIT_OK);
    expect(quiet.err).toContain(
      'What the log shows: no long waits, repeated steps or work bounced between roles',
    );
    const missing = await run([
      'workflow',
      'discover',
      PATIENTS,
      ...PATIENT_COLUMNS,
      '--settings',
      'nope.json',
    ]);
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.err).toContain('cannot read analysis settings file "nope.json"');
  });

  it('reads XES by its extension, with no column options', async () => {
    const xes = file(
      'small.xes',
      `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
  <trace><string key="concept:name" value="0012"/>
    <event><string key="concept:name" value="Check in"/><string key="org:resource" value="Sam"/><date key="time:timestamp" value="2024-03-01T08:00:00.000+01:00"/><string key="lifecycle:transition" value="start"/></event>
    <event><string key="concept:name" value="Check in"/><string key="org:resource" value="Sam"/><date key="time:timestamp" value="2024-03-01T08:04:00.000+01:00"/><string key="lifecycle:transition" value="complete"/></event>
    <event><string key="concept:name" value="Visit"/><string key="org:resource" value="Dr Lee"/><date key="time:timestamp" value="2024-03-01T08:20:00.000+01:00"/><string key="lifecycle:transition" value="start"/></event>
    <event><string key="concept:name" value="Visit"/><string key="org:resource" value="Dr Lee"/><date key="time:timestamp" value="2024-03-01T08:35:00.000+01:00"/><string key="lifecycle:transition" value="complete"/></event>
  </trace>
</log>
`,
    );
    const roles = file('roles.json', JSON.stringify({ Sam: 'Front desk', 'Dr Lee': 'Physician' }));
    const { code, out, err } = await run(['workflow', 'discover', xes, '--role-map', roles]);
    expect(err).toContain('4 events, 1 case, 2 activities');
    expect(code).toBe(EXIT_OK);
    const workflow = JSON.parse(out) as Workflow;
    expect(workflow.lanes.map((l) => l.name)).toEqual(['Front desk', 'Physician']);
    expect(workflow.steps.find((s) => s.label === 'Visit')).toMatchObject({
      touchMin: 15,
      waitMin: 16,
      lane: 'physician',
    });
  });

  // a log flattened from XES whose first column is a category with "case" in its name
  const flattened = ['case:channel,case:concept:name,concept:name,time:timestamp'];
  for (let c = 0; c < 60; c++)
    for (let e = 0; e < 6; e++)
      flattened.push(`Channel ${c % 5},case-${c},Step ${e},2026-01-05T08:0${e}:00Z`);
  const receipt = receiptShape();
  const huge = hugeCaseShape();
  it('reads an XES-as-CSV log with no column options: the standard names, not the case-level end date', async () => {
    const rows = [
      'case:concept:name,case:enddate,concept:name,lifecycle:transition,org:resource,time:timestamp',
    ];
    for (let c = 0; c < 20; c++) {
      // every fourth case still open: no end date, and an activity only open cases have
      const open = c % 4 === 3;
      for (let k = 0; k < 3; k++) {
        const activity = open && k === 2 ? 'Still open' : `Step ${k}`;
        const end = open ? '' : `2026-01-05 1${c % 10}:30:00+00:00`;
        rows.push(`case-${c},${end},${activity},complete,R${k},2026-01-05 0${c % 10}:0${k}:00+00:00`);
      }
    }
    const { code, err } = await run([
      'workflow',
      'discover',
      file('receipt-enddate.csv', `${rows.join('\n')}\n`),
    ]);
    expect(err).toContain('20 cases, 4 activities');
    expect(err).toContain(
      'Columns chosen from the whole log (--activity, --timestamp, --lifecycle, --resource not given): The time of each event is "time:timestamp" (the XES standard name). "case:enddate" holds times but is not the event time',
    );
    expect(code).toBe(EXIT_OK);
  });

  it('with no column options, a log that is not UTF-8 further on is refused where the read stops, not for a column', async () => {
    const text = 'case:concept:name,concept:name,time:timestamp\nc1,Triage,2026-01-05T08:00:00Z\nc1,Tr';
    const log = path.join(dir, 'latin1.csv');
    writeFileSync(
      log,
      Buffer.concat([Buffer.from(text), Buffer.from([0xe9]), Buffer.from('s,2026-01-05T08:10:00Z\n')]),
    );
    const { code, err } = await run(['workflow', 'discover', log]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).not.toContain('is required');
    expect(err).toMatch(/UTF-8/);
  });

  it('reads a gzipped XES log (.xes.gz) as XES', async () => {
    const events = (c: number) =>
      ['Assign', 'Take in charge', 'Resolve']
        .map(
          (a, k) =>
            `<event><string key="concept:name" value="${a}"/><date key="time:timestamp" value="2026-01-05T0${k}:0${c}:00Z"/></event>`,
        )
        .join('');
    const traces = Array.from(
      { length: 6 },
      (_, c) => `<trace><string key="concept:name" value="t${c}"/>${events(c)}</trace>`,
    );
    const log = path.join(dir, 'helpdesk.xes.gz');
    writeFileSync(log, gzipSync(`<log>${traces.join('')}</log>`));
    const { code, err } = await run(['workflow', 'discover', log]);
    expect(err).toContain('6 cases, 3 activities');
    expect(code).toBe(EXIT_OK);
  });

  it.each([
    {
      description: 'case:concept:name (the XES convention) before a category named like a case',
      name: 'flattened.csv',
      text: `${flattened.join('\n')}\n`,
      args: ['--activity', 'concept:name', '--timestamp', 'time:timestamp'],
      said: 'Cases are told apart by the column "case:concept:name" (the XES convention for the case id). Give --case <column> to use another.',
      counts: '60 cases',
    },
    {
      description: 'the receipt shape: case:channel first, lifecycle and resource columns',
      name: receipt.name,
      text: receipt.text,
      args: [
        '--activity',
        'concept:name',
        '--timestamp',
        'time:timestamp',
        '--lifecycle',
        'lifecycle:transition',
      ],
      said: 'Cases are told apart by the column "case:concept:name" (the XES convention for the case id). Give',
      counts: `${receipt.expected.cases} cases, ${receipt.expected.activities.length} activities`,
    },
    {
      description: 'one huge case first: few ids in the first rows, many cases in the whole log, no warning',
      name: huge.name,
      text: huge.text,
      args: ['--activity', 'activity', '--timestamp', 'timestamp'],
      said: 'Cases are told apart by the column "case_id" (its name says it holds case ids). Give',
      counts: `${huge.expected.cases} cases`,
    },
  ])(
    'without --case, takes the column the app proposes and says so: $description',
    async ({ name, text, args, said, counts }) => {
      const { code, err } = await run(['workflow', 'discover', file(name, text), ...args]);
      expect(err).toContain(said);
      expect(err).not.toContain('may be a category');
      expect(err).toContain(counts);
      expect(code).toBe(EXIT_OK);
    },
  );

  it('reads completes without a start beside timed activities as atomic events, and says how many', async () => {
    const log = file(
      'mixed.csv',
      'case,activity,time,lc\n1,A,2024-03-01T08:00:00Z,start\n1,A,2024-03-01T08:05:00Z,complete\n1,B,2024-03-01T09:00:00Z,complete\n',
    );
    const { code, out, err } = await run([
      'workflow',
      'discover',
      log,
      '--case',
      'case',
      '--activity',
      'activity',
      '--timestamp',
      'time',
      '--lifecycle',
      'lc',
    ]);
    expect(err).toContain('1 complete had no start of its activity before it in its case');
    expect(code).toBe(EXIT_OK);
    expect((JSON.parse(out) as Workflow).steps.map((s) => s.label)).toContain('B');
  });

  it('reads an XES log of complete events only with no lifecycle option, saying how and what it left out', async () => {
    const xes = path.resolve(import.meta.dirname, '../../../tests/fixtures/logs/clinic-complete-only.xes');
    const { code, out, err } = await run(['workflow', 'discover', xes]);
    expect(err).toContain(
      'Cases are the log\'s traces, told apart by their "concept:name" (the XES convention).',
    );
    expect(err).toContain('16 rows, 15 events, 4 cases, 4 activities');
    expect(err).toContain('Every event is a complete (no start events)');
    expect(err).toMatch(/warning missing-timestamp \(1 event: 11\): an event has no time .* left out/);
    expect(err).not.toContain('complete-without-start');
    // no value of the log is quoted: neither the left-out activity nor a case id
    expect(err).not.toMatch(/Lab order|V-10\d/);
    expect(code).toBe(EXIT_OK);
    const workflow = JSON.parse(out) as Workflow;
    expect(workflow.steps.map((s) => s.label).sort()).toEqual([
      'Case ends',
      'Case starts',
      'Check in',
      'Check out',
      'Triage',
      'Visit',
    ]);
    expect(workflow.steps.find((s) => s.label === 'Triage')).toMatchObject({ waitMin: 10, touchMin: 0 });
  });

  it('applies filters and prints to stdout without -o', async () => {
    const { code, out, err } = await run([
      'workflow',
      'discover',
      PATIENTS,
      ...PATIENT_COLUMNS,
      '--variants',
      '50',
      '--min-activity',
      '100',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(JSON.parse(out).format).toBe('preflight.workflow/v1');
    expect(err).toMatch(/from \d+ of 500 cases \(\d+ of 7 variants\)/);
  });

  it.each([
    {
      description: 'unparseable timestamps',
      csv: 'case,activity,time\n1,A,2024-03-01T08:00:00Z\n1,B,2024-03-01T25:00:00Z\n2,A,2024-03-01T08:00:00Z\n',
      args: ['--case', 'case', '--activity', 'activity', '--timestamp', 'time'],
      message: 'unparseable-timestamp (1 row: 2)',
    },
    {
      description: 'missing case ids',
      csv: 'case,activity,time\n1,A,2024-03-01T08:00:00Z\n,B,2024-03-01T09:00:00Z\n1,C,2024-03-01T10:00:00Z\n',
      args: ['--case', 'case', '--activity', 'activity', '--timestamp', 'time'],
      message: 'missing-case-id (1 row: 2)',
    },
    {
      description: 'a one-event log',
      csv: 'case,activity,time\n1,A,2024-03-01T08:00:00Z\n',
      args: ['--case', 'case', '--activity', 'activity', '--timestamp', 'time'],
      message: 'too-few-events',
    },
    {
      description: 'events out of order within a case',
      csv: 'case,activity,time,lc\n1,B,2024-03-01T08:00:00Z,complete\n1,B,2024-03-01T09:00:00Z,start\n1,C,2024-03-01T09:30:00Z,start\n1,C,2024-03-01T09:40:00Z,complete\n',
      args: ['--case', 'case', '--activity', 'activity', '--timestamp', 'time', '--lifecycle', 'lc'],
      message: 'out-of-order (1 row: 1)',
    },
    {
      description: 'a missing column',
      csv: 'case,activity,when\n1,A,2024-03-01T08:00:00Z\n',
      args: ['--case', 'case', '--activity', 'activity', '--timestamp', 'time'],
      message: 'has no column "time"',
    },
    {
      description: 'ambiguous dates',
      csv: 'case,activity,time\n1,A,01/02/2024 08:00\n1,B,01/02/2024 09:00\n',
      args: ['--case', 'case', '--activity', 'activity', '--timestamp', 'time'],
      message: 'ambiguous-dates',
    },
  ])('bad input exits 2 with a clear message: $description', async ({ description, csv, args, message }) => {
    const log = file(`${description.replaceAll(' ', '-')}.csv`, csv);
    const { code, err, out } = await run(['workflow', 'discover', log, ...args]);
    expect(code).toBe(EXIT_USAGE);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).not.toContain('internal error');
  });

  // counted independently in the fixture: r3 worked on 237 of the 500 patients, r3 or r5 on 498
  it.each([
    { keep: ['--with', 'resource=r3'], cases: 237 },
    { keep: ['--without', 'resource=r3'], cases: 263 },
    { keep: ['--with', 'resource=r3', '--with', 'resource=r5'], cases: 498 },
    { keep: ['--without', 'resource=r3', '--without', 'resource=r5'], cases: 2 },
  ])('keeps whole cases by an attribute: $keep', async ({ keep, cases }) => {
    const { code, err } = await run(['workflow', 'discover', PATIENTS, ...PATIENT_COLUMNS, ...keep]);
    expect(code).toBe(EXIT_OK);
    expect(err).toContain(`from ${cases} of 500 cases`);
  });

  it.each([
    { args: ['--with', 'payer'], message: '--with takes a name and a value' },
    { args: ['--without', '=3'], message: '--without takes a name and a value' },
    { args: ['--with', 'ward='], message: '--with takes a name and a value' },
    { args: ['--with', 'ward=3'], message: 'has no column "ward" (given as the kept column)' },
  ])('refuses $args', async ({ args, message }) => {
    const { code, err } = await run(['workflow', 'discover', PATIENTS, ...PATIENT_COLUMNS, ...args]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(message);
  });

  /** Five visits; department and payer are columns of their own (visit 5 has no payer). */
  const DEPARTMENTS = [
    'case,activity,time,role,department,payer',
    '1,Check in,2025-06-02T08:00:00Z,Reception,Cardiology,Public',
    '1,Labs,2025-06-02T08:10:00Z,Lab,Cardiology,Public',
    '2,Check in,2025-06-02T09:00:00Z,Reception,Oncology,Private',
    '2,Labs,2025-06-02T09:20:00Z,Lab,Oncology,Private',
    '3,Check in,2025-06-03T08:00:00Z,Reception,Oncology,Public',
    '3,Visit,2025-06-03T08:10:00Z,Doctor,Oncology,Public',
    '4,Check in,2025-06-03T09:00:00Z,Reception,Cardiology,Private',
    '4,Visit,2025-06-03T09:20:00Z,Nurse,Cardiology,Private',
    '5,Check in,2025-06-04T09:00:00Z,Reception,Cardiology,',
    '5,Labs,2025-06-04T09:20:00Z,Lab,Cardiology,',
  ].join('\n');
  const DEPARTMENT_COLUMNS = [
    '--case',
    'case',
    '--activity',
    'activity',
    '--timestamp',
    'time',
    '--role',
    'role',
  ];

  it.each([
    { keep: ['--with', 'department=Cardiology'], cases: 3, each: 'with department: 3' },
    { keep: ['--with', 'payer=Public', '--with', 'payer=Private'], cases: 4, each: 'with payer: 4' },
    {
      keep: ['--with', 'department=Cardiology', '--with', 'role=Lab'],
      cases: 2,
      each: 'with department: 3; with role: 3',
    },
    {
      keep: ['--with', 'department=Cardiology', '--without', 'payer=Private'],
      cases: 2,
      each: 'with department: 3; without payer: 3',
    },
  ])('keeps whole cases by columns of the log: $keep', async ({ keep, cases, each }) => {
    const log = file('departments.csv', DEPARTMENTS);
    const { code, err } = await run(['workflow', 'discover', log, ...DEPARTMENT_COLUMNS, ...keep]);
    expect(code).toBe(EXIT_OK);
    expect(err).toContain(`from ${cases} of 5 cases`);
    expect(err).toContain(`keep ${cases} of 5 cases together (each alone: ${each})`);
    // the values given stay out of the report
    expect(err).not.toMatch(/Cardiology|Public|Private/);
  });

  it('reports a column with too many values, and keeps no case by it', async () => {
    const { code, err } = await run([
      'workflow',
      'discover',
      PATIENTS,
      ...PATIENT_COLUMNS,
      '--with',
      'handling_id=1',
    ]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('too-many-values');
    expect(err).toContain('the column "handling_id" has more than 1,000 different values');
    expect(err).toContain('the filters left no cases (of 500)');
  });

  it('says so when the filters leave no cases', async () => {
    const { code, err } = await run([
      'workflow',
      'discover',
      PATIENTS,
      ...PATIENT_COLUMNS,
      '--from',
      '2030-01-01',
    ]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('the filters left no cases (of 500)');
  });

  it('skips bad rows when told to, and still reports them', async () => {
    const log = file(
      'skip.csv',
      'case,activity,time\n1,A,2024-03-01T08:00:00Z\n1,B,nope\n1,C,2024-03-01T10:00:00Z\n',
    );
    const { code, err } = await run([
      'workflow',
      'discover',
      log,
      '--case',
      'case',
      '--activity',
      'activity',
      '--timestamp',
      'time',
      '--skip-bad-rows',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(err).toContain('unparseable-timestamp (1 row: 2)');
  });

  it.each([
    {
      args: ['--case', 'c', '--activity', 'a', '--timestamp', 't', '--timestamp-format', 'ymd'],
      message: '--timestamp-format must be one of',
    },
    {
      args: ['--case', 'c', '--activity', 'a', '--timestamp', 't', '--time-zone', 'Mars/Base'],
      message: 'unknown time zone',
    },
    {
      args: ['--case', 'c', '--activity', 'a', '--timestamp', 't', '--working-hours', '18-08'],
      message: '--working-hours takes',
    },
  ])('usage errors exit 2: $message', async ({ args, message }) => {
    const { code, err } = await run(['workflow', 'discover', PATIENTS, ...args]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(message);
  });

  it('a log without times: its frequencies and variants, and plainly what it cannot give (exit 2)', async () => {
    const log = file('untimed.csv', 'case,activity\nc1,Triage\nc1,Visit\nc2,Triage\nc2,Visit\nc3,Triage\n');
    for (const command of ['discover', 'waits']) {
      const { code, out, err } = await run(['workflow', command, log]);
      expect(code, command).toBe(EXIT_USAGE);
      expect(out).toBe('');
      expect(err).toContain('The log has no times');
      expect(err).toContain('No durations, no waits and no performance view');
      expect(err).toContain(
        'no column holds event times (such as time:timestamp); give --timestamp <column>',
      );
      expect(err).not.toContain('Timestamps:');
      expect(err).toContain('“Triage”: 3 times, in 3 cases');
      expect(err).toContain('“Triage” → “Visit”: 2 times, in 2 cases');
      expect(err).toContain('Variants (2)');
      expect(err).toContain('2 cases: “Triage” → “Visit”');
    }
  });

  it('usage error exit 2 without --case when no column is named like a case id', async () => {
    const log = file('unnamed.csv', 'a,b,t\nx,y,2026-01-05T08:00:00Z\n');
    const { code, err } = await run(['workflow', 'discover', log, '--activity', 'b', '--timestamp', 't']);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('--case <column> is required: no column is named like a case id');
  });
});

describe('preflight workflow conform', () => {
  it('parallel branches conform in either order; a branch left out is a skipped step', async () => {
    const step = (id: string, kind: string) => ({
      id,
      label: id,
      lane: 'staff',
      kind,
      medium: 'digital',
      system: 'EHR',
      touchMin: 0,
      waitMin: 0,
      clicks: 0,
      enters: [],
    });
    const flows = [
      'start>order',
      'order>split',
      'split>labs',
      'split>xray',
      'labs>join',
      'xray>join',
      'join>visit',
      'visit>end',
    ];
    const design = file(
      'parallel.json',
      JSON.stringify({
        format: 'preflight.workflow/v1',
        id: 'parallel',
        name: 'Labs and X-ray at once',
        state: 'current',
        arrivalsPerHour: 1,
        lanes: [{ id: 'staff', name: 'Staff', staff: 1 }],
        steps: [
          step('start', 'start'),
          step('order', 'task'),
          step('split', 'parallel-split'),
          step('labs', 'task'),
          step('xray', 'task'),
          step('join', 'parallel-join'),
          step('visit', 'task'),
          step('end', 'end'),
        ],
        flows: flows.map((f) => {
          const [from, to] = f.split('>');
          return { from, to, transfer: 'electronic' };
        }),
      }),
    );
    const rows = ['case,activity,time'];
    const traces = [
      ['order', 'labs', 'xray', 'visit'],
      ['order', 'xray', 'labs', 'visit'],
      ['order', 'labs', 'visit'],
    ];
    traces.forEach((trace, c) => {
      trace.forEach((a, k) => {
        rows.push(`c${c},${a},2026-01-05T08:${String(10 + k)}:00Z`);
      });
    });
    const log = file('parallel.csv', `${rows.join('\n')}\n`);
    const { code, out, err } = await run([
      'workflow',
      'conform',
      log,
      ...['--case', 'case', '--activity', 'activity', '--timestamp', 'time'],
      '--workflow',
      design,
      '--json',
    ]);
    expect(err).not.toContain('not a usable workflow');
    expect(code).toBe(EXIT_OK);
    expect(JSON.parse(out)).toMatchObject({
      cases: 3,
      conformingCases: 2,
      skipped: { xray: 1 },
      inserted: {},
    });
  });

  it('a log that follows the design exits 0; --json holds the contract fields', async () => {
    const log = file('clean.csv', played(21));
    const { code, out } = await run([
      'workflow',
      'conform',
      log,
      ...PLAYED_COLUMNS,
      '--workflow',
      FUTURE,
      '--json',
    ]);
    expect(code).toBe(EXIT_OK);
    expect(JSON.parse(out)).toMatchObject({
      cases: 200,
      conformingCases: 200,
      fitness: 1,
      skipped: {},
      inserted: {},
    });
  });

  it('a drifted log below the threshold exits 1 with a drift report', async () => {
    const log = file(
      'drift.csv',
      played(22, {
        skip: { 'scan-consent': 60, 'vitals-device': 40 },
        insert: { 'Spreadsheet update': 50 },
        repeat: { checkout: 30 },
      }),
    );
    const text = await run([
      'workflow',
      'conform',
      log,
      ...PLAYED_COLUMNS,
      '--workflow',
      FUTURE,
      '--min-fitness',
      '0.999',
    ]);
    expect(text.code).toBe(EXIT_FINDINGS);
    expect(text.out).toContain('20 of 200 cases followed the design exactly');
    expect(text.out).toContain('Scan signed consent back into the EHR media tab — 60 cases');
    expect(text.out).toContain('Spreadsheet update — 50 times');
    const json = await run(['workflow', 'conform', log, ...PLAYED_COLUMNS, '--workflow', FUTURE, '--json']);
    expect(json.code).toBe(EXIT_OK); // fitness is above the default 0.9: drift, but within the threshold
    expect(JSON.parse(json.out).skipped).toEqual({ 'scan-consent': 60, 'vitals-device': 40 });
  });

  it('lists a step as slower than designed only beyond the tolerance it states', async () => {
    const log = file('slow.csv', played(23, { slower: { 'room-patient': 150, 'physician-visit': 10 } }));
    const text = await run(['workflow', 'conform', log, ...PLAYED_COLUMNS, '--workflow', FUTURE]);
    expect(text.out).toContain(
      'Slower than designed (the typical (median) staff time is more than 50 % above the designed time):',
    );
    expect(text.out).toMatch(
      / {2}Room patient — median [\d.]+ min, mean [\d.]+ min, against [\d.]+ min designed; 150 times beyond it/,
    );
    // ten long visits of 200 do not make the physician visit slower than designed
    expect(text.out).not.toMatch(/Physician visit[^\n]* designed;/);
  });

  it('the drift report says how it read a sub-process (no process started: the report alone)', () => {
    const design = labSubProcess();
    const { log } = readCsvLogText('case,activity,time\nc1,Draw blood,2026-01-05T08:00:00Z\n', {
      mapping: { case: 'case', activity: 'activity', timestamp: 'time' },
    });
    expect(driftReport(conform(log, design), design, 0.9).split('\n')).toEqual([
      '1 of 1 cases followed the design exactly; fitness 1.000 (threshold 0.9).',
      'Sub-process "Lab work" was checked by the steps inside it, as the log records them.',
    ]);
  });

  it('an unusable workflow exits 2 naming its problems', async () => {
    const bad = file('bad-workflow.json', '{"format":"preflight.workflow/v1"}');
    const log = file('any.csv', played(23));
    const { code, err } = await run(['workflow', 'conform', log, ...PLAYED_COLUMNS, '--workflow', bad]);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain('is not a usable workflow');
  });

  it("measures a boundary event's chance from the log and writes it into the workflow", async () => {
    const step = (id: string, kind: string, extra: object = {}) => ({
      id,
      label: id,
      lane: 'staff',
      kind,
      medium: 'digital',
      system: 'EHR',
      touchMin: 1,
      waitMin: 0,
      clicks: 0,
      enters: [],
      ...extra,
    });
    const design = file(
      'boundary.json',
      JSON.stringify({
        format: 'preflight.workflow/v1',
        id: 'boundary',
        name: 'Triage with a timer',
        state: 'current',
        arrivalsPerHour: 1,
        lanes: [{ id: 'staff', name: 'Staff', staff: 1 }],
        steps: [
          step('start', 'start'),
          step('triage', 'task', { label: 'Triage' }),
          step('late', 'wait', {
            label: 'Too long',
            boundary: { attachedTo: 'triage', trigger: 'timer', interrupting: true },
          }),
          step('escalate', 'task', { label: 'Escalate' }),
          step('treat', 'task', { label: 'Treat' }),
          step('end', 'end'),
        ],
        flows: [
          'start>triage',
          'triage>treat',
          'triage>late',
          'late>escalate',
          'escalate>treat',
          'treat>end',
        ].map((f) => {
          const [from, to] = f.split('>');
          return { from, to, transfer: 'none' };
        }),
      }),
    );
    const traces = [
      ['Triage', 'Treat'],
      ['Triage', 'Escalate', 'Treat'],
      ['Triage', 'Treat'],
      ['Triage', 'Treat'],
    ];
    const rows = ['case,activity,time'];
    traces.forEach((trace, c) => {
      trace.forEach((a, k) => {
        rows.push(`c${c},${a},2026-01-05T08:${String(10 + k)}:00Z`);
      });
    });
    const log = file('boundary.csv', `${rows.join('\n')}\n`);
    const columns = ['--case', 'case', '--activity', 'activity', '--timestamp', 'time'];
    const { code, out, err } = await run([
      'workflow',
      'conform',
      log,
      ...columns,
      '--workflow',
      design,
      '--write-chances',
      'measured.json',
    ]);
    expect(code, err).toBe(EXIT_OK);
    expect(out).toContain(
      '  Triage → Too long: 25.0 % — 1 of 4 cases doing the task took it (now the default 5.0 %)',
    );
    expect(err).toContain('Wrote measured.json with 1 measured chance.');
    const written = loadWorkflow(JSON.parse(readFileSync(path.join(dir, 'measured.json'), 'utf8')));
    expect(written.ok && written.value.flows.find((f) => f.to === 'late')?.probability).toBe(0.25);
    const json = await run(['workflow', 'conform', log, ...columns, '--workflow', design, '--json']);
    expect(JSON.parse(json.out).boundaryChances).toEqual([
      {
        flowIndex: 2,
        taskId: 'triage',
        boundaryId: 'late',
        firstSteps: ['escalate'],
        estimate: { chance: 0.25, cases: 1, ofCases: 4 },
      },
    ]);
  });
});
