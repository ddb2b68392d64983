/**
 * Seeded event logs in the shapes of the public logs process analysts bring (the BPI "reviewing"
 * log's mixed lifecycles, Sepsis's XES with trace attributes and zoned fractional times, the
 * "receipt" log flattened from XES to CSV with `case:channel` first, a Disco export, a
 * semicolon-separated export with day-first dates, missing times, one huge case among one-event
 * cases) — the project's own logs, never the public data — each with the figures a correct
 * reader, discovery and log findings must recover, counted by the generator as it writes.
 *
 * Constraints: no `Math.random`, no clock (mulberry32 from the seed; times from {@link T0});
 * gaps between a case's events stay under the long-wait threshold (60 min) except where a wait
 * is planted, no activity repeats and no lanes alternate except where rework or ping-pong is
 * planted, so a shape without a planted finding must give none.
 */
import { mulberry32 } from '../../simulate.ts';

/** 2026-01-05T08:00:00Z, a Monday: the first case's arrival. */
export const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const MIN = 60_000;

/** What reading, discovery and the log findings must give on a shape. */
interface ShapeExpectation {
  /** the case column chosen without being told (CSV: a header; XES: the trace's concept:name) */
  caseColumn: string;
  /** how it was chosen (CSV only) */
  how?: 'xes-convention' | 'name';
  /** the chosen case column has few distinct values for the rows, judged on the whole log */
  fewCases: boolean;
  /** a column that must be warned about as few cases when chosen instead (CSV only) */
  fewColumn?: string;
  cases: number;
  /** every activity with a start or complete event, sorted */
  activities: string[];
  /** completes read as atomic events beside activities with starts */
  unmatchedCompletes: number;
  /** every event is a complete */
  atomicCompletes: boolean;
  /** events left out per lifecycle transition other than start and complete */
  leftOut: Record<string, number>;
  /** activities that appear only in left-out transitions (so not on the map) */
  activitiesOnlyLeftOut: number;
  /** events without a time (left out, never filled in) */
  missingTimes: number;
  /** starts with no complete (kept without a touch time) */
  startsWithoutComplete: number;
  /** findings by rule, with the figures each must state */
  findings: Array<{ rule: string; step?: string; data: Record<string, unknown> }>;
}

/** One generated log. */
interface LogShape {
  description: string;
  /** file name: the extension tells XES from CSV */
  name: string;
  text: string;
  expected: ShapeExpectation;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-01-05T08:00:00.250+01:00`: the UTC instant `ms` written in a fixed offset (minutes). */
function zoned(ms: number, offsetMin: number, fraction: string, separator = 'T'): string {
  const local = new Date(ms + offsetMin * MIN);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const sign = offsetMin < 0 ? '-' : '+';
  const zone =
    offsetMin === 0
      ? 'Z'
      : `${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}:${pad(Math.abs(offsetMin) % 60)}`;
  return `${date}${separator}${time}${fraction}${zone}`;
}

const xmlEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

interface XesEvent {
  activity: string;
  time: string | undefined;
  lifecycle?: string;
  resource?: string;
  role?: string;
}

function xesEvent(e: XesEvent, extra = ''): string {
  return [
    '    <event>',
    `      <string key="concept:name" value="${xmlEscape(e.activity)}"/>`,
    e.time === undefined ? '' : `      <date key="time:timestamp" value="${e.time}"/>`,
    e.lifecycle === undefined ? '' : `      <string key="lifecycle:transition" value="${e.lifecycle}"/>`,
    e.resource === undefined ? '' : `      <string key="org:resource" value="${xmlEscape(e.resource)}"/>`,
    e.role === undefined ? '' : `      <string key="org:role" value="${xmlEscape(e.role)}"/>`,
    extra,
    '    </event>',
  ]
    .filter(Boolean)
    .join('\n');
}

function xesLog(traces: string[], head = ''): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">',
    '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
    '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>',
    '  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>',
    '  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>',
    head,
    ...traces,
    '</log>',
    '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The BPI "reviewing" shape: some activities start and complete, others complete only, and the
 * transitions real BPI logs carry besides (schedule, assign, suspend/resume, ate_abort, withdraw).
 */
function reviewingShape(seed = 1): LogShape {
  const random = mulberry32(seed);
  const cases = 40;
  const leftOut: Record<string, number> = {};
  const count = (t: string) => {
    leftOut[t] = (leftOut[t] ?? 0) + 1;
  };
  let unmatched = 0;
  let aborted = 0;
  const traces: string[] = [];
  for (let c = 0; c < cases; c++) {
    let t = T0 + c * 90 * MIN;
    const at = () => zoned(t, 0, '.000');
    const step = (min: number) => {
      t += min * MIN + Math.floor(random() * 5) * MIN;
    };
    const events: XesEvent[] = [];
    const push = (activity: string, lifecycle: string, resource: string) => {
      events.push({ activity, time: at(), lifecycle, resource });
      if (lifecycle !== 'start' && lifecycle !== 'complete') count(lifecycle);
    };
    push('invite reviewers', 'schedule', 'Mike');
    step(5);
    push('invite reviewers', 'start', 'Mike');
    step(10);
    push('invite reviewers', 'complete', 'Mike');
    if (c % 5 === 0) {
      // scheduled, then withdrawn: this activity never starts or completes anywhere in the log
      step(2);
      push('invite additional reviewer', 'schedule', 'Mike');
      step(2);
      push('invite additional reviewer', 'withdraw', 'Mike');
    }
    const reviews =
      c % 4 === 0
        ? ['get review 1', 'get review 2', 'time-out 3']
        : ['get review 1', 'get review 2', 'get review 3'];
    reviews.forEach((review, k) => {
      step(15);
      push(review, 'complete', `Reviewer ${String.fromCharCode(65 + ((c + k) % 6))}`);
      unmatched++;
    });
    step(10);
    push('collect reviews', 'assign', 'Pete');
    step(3);
    push('collect reviews', 'start', 'Pete');
    step(5);
    push('collect reviews', 'suspend', 'Pete');
    step(20);
    push('collect reviews', 'resume', 'Pete');
    step(5);
    push('collect reviews', 'complete', 'Pete');
    step(10);
    push('decide', 'start', 'Sara');
    step(10);
    if (c % 10 === 3) {
      push('decide', 'ate_abort', 'Sara');
      aborted++;
    } else push('decide', 'complete', 'Sara');
    traces.push(
      [
        '  <trace>',
        `    <string key="concept:name" value="paper ${pad(c, 3)}"/>`,
        ...events.map((e) => xesEvent(e)),
        '  </trace>',
      ].join('\n'),
    );
  }
  return {
    description: 'XES with mixed lifecycles and BPI transitions (reviewing)',
    name: 'reviewing.xes',
    text: xesLog(traces),
    expected: {
      caseColumn: 'concept:name',
      fewCases: false,
      cases,
      activities: [
        'collect reviews',
        'decide',
        'get review 1',
        'get review 2',
        'get review 3',
        'invite reviewers',
        'time-out 3',
      ],
      unmatchedCompletes: unmatched,
      atomicCompletes: false,
      leftOut,
      activitiesOnlyLeftOut: 1,
      missingTimes: 0,
      startsWithoutComplete: aborted,
      findings: [],
    },
  };
}

/** Planted: the wait before ER Registration alternates between these (mean and median 192 min, 3.2 h). */
const SEPSIS_WAITS = [132, 252] as const;

/**
 * The Sepsis shape: XES with trace attributes (an int, a list, a nested meta-attribute), times
 * with fractional seconds in `Z` and `+01:00`, events written out of time order; a planted long
 * wait before ER Registration, CRP taken again in 40 % of cases, and Nurse ⇄ Doctor ping-pong
 * in a quarter of the cases.
 */
export function sepsisShape(seed = 2): LogShape {
  const random = mulberry32(seed);
  const cases = 60;
  let reworkCases = 0;
  let pingPongCases = 0;
  let handoffs = 0;
  const traces: string[] = [];
  for (let c = 0; c < cases; c++) {
    let t = T0 + c * 37 * MIN;
    const events: XesEvent[] = [];
    let n = 0;
    const push = (activity: string, role: string) => {
      // alternate the written zone: the same instant as Z or as +01:00, with fractional seconds
      const time = n % 2 === 0 ? zoned(t, 0, '.250') : zoned(t, 60, '.25');
      events.push({ activity, time, lifecycle: 'complete', role, resource: `${role} ${1 + (n % 3)}` });
      n++;
    };
    const step = (min: number) => {
      t += min * MIN;
    };
    push('ER Arrival', 'Nurse');
    step(SEPSIS_WAITS[c % 2] as number);
    push('ER Registration', 'Nurse');
    step(10 + Math.floor(random() * 10));
    push('ER Triage', 'Doctor');
    step(10);
    push('ER Sepsis Triage', 'Nurse');
    if (c % 4 === 0) {
      // Nurse, Doctor, Nurse, Doctor, Nurse: four handoffs in a row between the same two roles
      step(10);
      push('Doctor review', 'Doctor');
      step(10);
      push('Nurse check', 'Nurse');
      pingPongCases++;
      handoffs += 4;
    }
    step(15);
    push('CRP', 'Lab');
    step(10);
    push('Leucocytes', 'Lab');
    if (c % 5 < 2) {
      step(20);
      push('CRP', 'Lab');
      reworkCases++;
    }
    step(10);
    push('IV Antibiotics', 'Nurse');
    step(30);
    push('Release A', 'Nurse');
    // written out of time order: the reader must sort each case by time
    const order = events.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const meta = '      <string key="org:group" value="A"><string key="meta:source" value="his"/></string>';
    traces.push(
      [
        '  <trace>',
        `    <string key="concept:name" value="${String.fromCharCode(65 + (c % 26))}${pad(c, 3)}"/>`,
        `    <int key="Age" value="${50 + (c % 40)}"/>`,
        '    <list key="Diagnosis codes"><values><string key="code" value="A41"/><string key="code" value="R65"/></values></list>',
        `    <boolean key="SIRSCriteria2OrMore" value="${c % 2 === 0}"/>`,
        ...order.map((i) => xesEvent(events[i] as XesEvent, meta)),
        '  </trace>',
      ].join('\n'),
    );
  }
  return {
    description: 'XES with trace attributes, lists, zoned fractional times, out of order (Sepsis)',
    name: 'sepsis.xes',
    text: xesLog(traces, '  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>'),
    expected: {
      caseColumn: 'concept:name',
      fewCases: false,
      cases,
      activities: [
        'CRP',
        'Doctor review',
        'ER Arrival',
        'ER Registration',
        'ER Sepsis Triage',
        'ER Triage',
        'IV Antibiotics',
        'Leucocytes',
        'Nurse check',
        'Release A',
      ],
      unmatchedCompletes: 0,
      atomicCompletes: true,
      leftOut: {},
      activitiesOnlyLeftOut: 0,
      missingTimes: 0,
      startsWithoutComplete: 0,
      findings: [
        {
          rule: 'long-wait',
          step: 'ER Registration',
          data: { meanMin: 192, medianMin: 192, waits: cases, casesAffected: cases, cases },
        },
        {
          rule: 'rework-loop',
          step: 'CRP',
          data: { casesAffected: reworkCases, extraTimes: reworkCases, cases },
        },
        {
          rule: 'handoff-ping-pong',
          data: { casesAffected: pingPongCases, handoffs, cases },
        },
      ],
    },
  };
}

/** Receipt activities, in order; each case does a prefix of at least three. */
const RECEIPT_ACTIVITIES = [
  'Confirmation of receipt',
  'T02 Check confirmation of receipt',
  'T04 Determine confirmation of receipt',
  'T05 Print and send confirmation of receipt',
  'T06 Determine necessity of stop advice',
  'T10 Determine necessity to stop indication',
];

/**
 * The "receipt" log flattened from XES to CSV as PM4Py writes it: `case:channel` (5 values) as
 * the FIRST column, `case:concept:name` the case id, times with six fractional digits and an
 * offset, every event a complete.
 */
export function receiptShape(seed = 3): LogShape {
  const random = mulberry32(seed);
  const cases = 150;
  const rows = [
    'case:channel,case:concept:name,concept:name,time:timestamp,lifecycle:transition,org:resource,case:department',
  ];
  const used = new Set<string>();
  for (let c = 0; c < cases; c++) {
    let t = T0 + c * 23 * MIN;
    const length = 3 + Math.floor(random() * 4);
    for (let k = 0; k < length; k++) {
      const activity = RECEIPT_ACTIVITIES[k] as string;
      used.add(activity);
      rows.push(
        [
          `Channel ${String.fromCharCode(65 + (c % 5))}`,
          `case-${pad(c, 4)}`,
          activity,
          zoned(t, 60, '.276000', ' '),
          'complete',
          `Resource${pad(k + 1)}`,
          `Department ${c % 3}`,
        ].join(','),
      );
      t += (5 + Math.floor(random() * 20)) * MIN;
    }
  }
  return {
    description: 'XES-as-CSV with case:channel first (receipt)',
    name: 'receipt.csv',
    text: `${rows.join('\n')}\n`,
    expected: {
      caseColumn: 'case:concept:name',
      how: 'xes-convention',
      fewCases: false,
      fewColumn: 'case:channel',
      cases,
      activities: [...used].sort(),
      unmatchedCompletes: 0,
      atomicCompletes: true,
      leftOut: {},
      activitiesOnlyLeftOut: 0,
      missingTimes: 0,
      startsWithoutComplete: 0,
      findings: [],
    },
  };
}

/** `2026/01/05 08:00:00.000`, as Disco exports times (UTC here). */
function discoTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000`;
}

/** A Disco export: quoted cells, start and complete columns per activity instance. */
function discoShape(seed = 4): LogShape {
  const random = mulberry32(seed);
  const cases = 80;
  const activities = ['Check in', 'Triage', 'Visit', 'Lab draw', 'Check out'];
  const rows = [
    '"Case ID","Activity","Resource","Start Timestamp","Complete Timestamp","Variant","Variant index"',
  ];
  for (let c = 0; c < cases; c++) {
    let t = T0 + c * 17 * MIN;
    const skipLab = c % 3 === 0;
    for (const activity of activities) {
      if (skipLab && activity === 'Lab draw') continue;
      const touch = 3 + Math.floor(random() * 10);
      rows.push(
        [
          `C${c + 1}`,
          activity,
          `${activity === 'Visit' ? 'Dr' : 'Nurse'} ${1 + (c % 2)}`,
          discoTime(t),
          discoTime(t + touch * MIN),
          skipLab ? 'Variant 2' : 'Variant 1',
          skipLab ? '2' : '1',
        ]
          .map((cell) => `"${cell}"`)
          .join(','),
      );
      t += (touch + 5 + Math.floor(random() * 20)) * MIN;
    }
  }
  return {
    description: 'Disco CSV export with start and complete columns',
    name: 'disco.csv',
    text: `${rows.join('\r\n')}\r\n`,
    expected: {
      caseColumn: 'Case ID',
      how: 'name',
      fewCases: false,
      fewColumn: 'Variant',
      cases,
      activities: [...activities].sort(),
      unmatchedCompletes: 0,
      atomicCompletes: false,
      leftOut: {},
      activitiesOnlyLeftOut: 0,
      missingTimes: 0,
      startsWithoutComplete: 0,
      findings: [],
    },
  };
}

/** A semicolon-separated export with day-first dates (13.01.2026 08:15), as European systems write. */
function dayFirstShape(seed = 5): LogShape {
  const random = mulberry32(seed);
  const cases = 50;
  const activities = ['Anmeldung', 'Aufnahme', 'Untersuchung', 'Entlassung'];
  const rows = ['Patient;Activity;Time;Staff'];
  for (let c = 0; c < cases; c++) {
    // every case on the 13th or later: a day above 12 settles day-first
    let t = Date.UTC(2026, 0, 13 + (c % 10), 8, 0) + c * 7 * MIN;
    for (const activity of activities) {
      const d = new Date(t);
      rows.push(
        [
          `P-${pad(c, 4)}`,
          activity,
          `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
          `Staff ${1 + (c % 4)}`,
        ].join(';'),
      );
      t += (10 + Math.floor(random() * 30)) * MIN;
    }
  }
  return {
    description: 'semicolon-separated CSV with day-first dates',
    name: 'dayfirst.csv',
    text: `${rows.join('\n')}\n`,
    expected: {
      caseColumn: 'Patient',
      how: 'name',
      fewCases: false,
      cases,
      activities: [...activities].sort(),
      unmatchedCompletes: 0,
      atomicCompletes: false,
      leftOut: {},
      activitiesOnlyLeftOut: 0,
      missingTimes: 0,
      startsWithoutComplete: 0,
      findings: [],
    },
  };
}

/** A log whose every seventh event has no time: left out and counted, never filled in. */
function missingTimesShape(seed = 6): LogShape {
  const random = mulberry32(seed);
  const cases = 40;
  const activities = ['Order', 'Collect', 'Analyse', 'Report'];
  const rows = ['case_id,activity,timestamp,resource'];
  let missing = 0;
  let n = 0;
  for (let c = 0; c < cases; c++) {
    let t = T0 + c * 11 * MIN;
    for (const activity of activities) {
      const blank = n % 7 === 6;
      if (blank) missing++;
      rows.push([`O${c}`, activity, blank ? '' : zoned(t, 0, ''), `Tech ${c % 3}`].join(','));
      t += (5 + Math.floor(random() * 20)) * MIN;
      n++;
    }
  }
  return {
    description: 'CSV with missing timestamps on some events',
    name: 'missing-times.csv',
    text: `${rows.join('\n')}\n`,
    expected: {
      caseColumn: 'case_id',
      how: 'name',
      fewCases: false,
      cases,
      activities: [...activities].sort(),
      unmatchedCompletes: 0,
      atomicCompletes: false,
      leftOut: {},
      activitiesOnlyLeftOut: 0,
      missingTimes: missing,
      startsWithoutComplete: 0,
      findings: [],
    },
  };
}

/**
 * One huge case written first (600 events, more than the preview samples) and 300 one-event
 * cases: the preview sees a single case id, the whole log has many.
 */
export function hugeCaseShape(): LogShape {
  const rows = ['case_id,activity,timestamp'];
  const cycle = ['Check', 'Update', 'Review'];
  let t = T0;
  for (let k = 0; k < 600; k++) {
    rows.push(['H-0001', cycle[k % 3], zoned(t, 0, '')].join(','));
    t += 10 * MIN;
  }
  for (let c = 0; c < 300; c++)
    rows.push([`Q-${pad(c, 4)}`, 'Enquiry', zoned(T0 + c * 13 * MIN, 0, '')].join(','));
  return {
    description: 'one huge case first among many one-event cases',
    name: 'huge-case.csv',
    text: `${rows.join('\n')}\n`,
    expected: {
      caseColumn: 'case_id',
      how: 'name',
      fewCases: false,
      cases: 301,
      activities: ['Check', 'Enquiry', 'Review', 'Update'],
      unmatchedCompletes: 0,
      atomicCompletes: false,
      leftOut: {},
      activitiesOnlyLeftOut: 0,
      missingTimes: 0,
      startsWithoutComplete: 0,
      findings: [],
    },
  };
}

/** Every shape, in the order the tests list them. */
export function logShapes(): LogShape[] {
  return [
    reviewingShape(),
    sepsisShape(),
    receiptShape(),
    discoShape(),
    dayFirstShape(),
    missingTimesShape(),
    hugeCaseShape(),
  ];
}
