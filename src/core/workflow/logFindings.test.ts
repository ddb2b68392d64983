/**
 * Findings from logs (`long-wait`, `rework-loop`, `handoff-ping-pong`): on the public eventdataR
 * "patients" log, the longest waits with the log's own figures, cross-checked against the
 * discovered steps; on a pinned log, rework and ping-pong with figures worked out by hand; the
 * thresholds and severities of the settings; the same findings from the full analysis; and no
 * finding on drawn workflows (the samples carry no log evidence).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import { analyzeWorkflow } from './analyze.ts';
import { compareWorkflows } from './compare.ts';
import { readCsvLogText } from './eventlog/csvLog.ts';
import { discoverWorkflow } from './eventlog/discover.ts';
import { createLocalClock } from './eventlog/timestamps.ts';
import { LOG_RULES, logFindings } from './logFindings.ts';

const clock = createLocalClock('UTC');
const LOG_RULE_IDS = LOG_RULES.map((rule) => rule.id as string);

const patients = discoverWorkflow(
  readCsvLogText(readFileSync(externalFixture('eventdataR-patients', 'patients.csv'), 'utf8'), {
    mapping: {
      case: 'patient',
      activity: 'handling',
      timestamp: 'time',
      lifecycle: 'registration_type',
      resource: 'employee',
    },
  }).log,
  clock,
).workflow;

/** rows [case, activity, minutes after 08:00, touch minutes, who] */
function pinnedLog(rows: ReadonlyArray<readonly [string, string, number, number, string]>) {
  const base = Date.UTC(2025, 5, 2, 8, 0);
  const lines = ['case,activity,start,complete,who'];
  for (const [c, a, at, touch, who] of rows) {
    const start = base + at * 60_000;
    lines.push(
      `${c},${a},${new Date(start).toISOString()},${new Date(start + touch * 60_000).toISOString()},${who}`,
    );
  }
  return readCsvLogText(lines.join('\n'), {
    mapping: { case: 'case', activity: 'activity', start: 'start', complete: 'complete', resource: 'who' },
    roleMap: { Sam: 'Front desk', Kim: 'Nurse', Lee: 'Physician' },
  }).log;
}

// 10 cases: each checks in and sees the nurse then the physician; cases 1–3 bounce nurse ↔
// physician (N, P, N, P: 3 handoffs, 10 → 50 = 40 min) and so review and order twice; case 4
// reviews twice in one nurse run (F, N, P: no bounce).
const rows: Array<readonly [string, string, number, number, string]> = [];
for (let k = 1; k <= 10; k++) {
  const c = `c${String(k).padStart(2, '0')}`;
  rows.push([c, 'Check in', 0, 5, 'Sam'], [c, 'Review', 10, 5, 'Kim']);
  if (k <= 3) rows.push([c, 'Order', 20, 5, 'Lee'], [c, 'Review', 30, 5, 'Kim'], [c, 'Order', 40, 10, 'Lee']);
  else if (k === 4) rows.push([c, 'Review', 20, 5, 'Kim'], [c, 'Order', 30, 5, 'Lee']);
  else rows.push([c, 'Order', 20, 5, 'Lee']);
}
const pinned = discoverWorkflow(pinnedLog(rows), clock).workflow;

describe('long-wait on the eventdataR patients log', () => {
  const findings = logFindings(patients).filter((f) => f.rule === 'long-wait');

  it('names the 3 steps with the most waiting among those with a median wait of an hour or more', () => {
    const total = (id: string) => {
      const wait = patients.steps.find((s) => s.id === id)?.observed?.wait;
      return wait ? wait.meanMin * wait.n : 0;
    };
    const expected = patients.steps
      .filter((s) => (s.observed?.wait?.medianMin ?? 0) >= 60)
      .map((s) => s.id)
      .sort((a, b) => total(b) - total(a))
      .slice(0, 3)
      .sort();
    expect(findings.map((f) => f.stepIds[0])).toEqual(expected);
    expect(expected).toEqual(['check-out', 'discuss-results', 'x-ray']);
  });

  it('carries the log’s figures: cases, waits, median, p90, mean and share of all waiting', () => {
    const all = patients.steps.reduce(
      (sum, s) => sum + (s.observed?.wait ? s.observed.wait.meanMin * s.observed.wait.n : 0),
      0,
    );
    for (const f of findings) {
      const step = patients.steps.find((s) => s.id === f.stepIds[0]);
      const wait = step?.observed?.wait;
      expect(f.evidence).toMatchObject({
        cases: 500,
        casesAffected: step?.observed?.cases,
        waits: wait?.n,
        medianMin: wait?.medianMin,
        p90Min: wait?.p90Min,
        meanMin: wait?.meanMin,
      });
      expect(f.evidence.shareOfWaiting).toBeCloseTo(((wait?.meanMin ?? 0) * (wait?.n ?? 0)) / all, 3);
      expect(f.message).toContain(`“${step?.label}”`);
      expect(f.message).toMatch(/median of [\d.]+ (min|h|days) .*90 % within/);
    }
    expect(findings.find((f) => f.stepIds[0] === 'x-ray')?.message).toContain(
      'Cases wait a median of 28.9 h before “X-Ray” (90 % within 5.6 days, mean 2.2 days; 261 waits in 261 cases of 500)',
    );
  });

  it('reports nothing under a higher threshold, and honours the severity setting', () => {
    expect(logFindings(patients, { thresholds: { longWaitMin: 100_000 } })).toEqual([]);
    expect(logFindings(patients, { severities: { 'long-wait': 'off' } })).toEqual([]);
    expect(logFindings(patients, { severities: { 'long-wait': 'error' } }).map((f) => f.severity)).toEqual([
      'error',
      'error',
      'error',
    ]);
  });
});

describe('rework-loop and handoff-ping-pong on a pinned log', () => {
  const findings = logFindings(pinned);

  it('finds the step done again, with cases, extra times and the span', () => {
    const rework = findings.filter((f) => f.rule === 'rework-loop');
    expect(rework.map((f) => f.stepIds)).toEqual([['order'], ['review']]);
    expect(rework[0]?.evidence).toMatchObject({ casesAffected: 3, extraTimes: 3, spanMedianMin: 30 });
    // review: cases 1–3 from 10 to 35 (25 min), case 4 from 10 to 25 (15 min)
    expect(rework[1]?.evidence).toEqual({
      casesAffected: 4,
      cases: 10,
      shareOfCases: 0.4,
      extraTimes: 4,
      timesPerAffectedCase: 2,
      spanMedianMin: 25,
      spanP90Min: 25,
      minShare: 0.05,
    });
    expect(rework[1]?.message).toContain('“Review” is done more than once in 4 of 10 cases (40 %)');
  });

  it('finds the back-and-forth between the nurse and the physician, not the ordinary visits', () => {
    const bounce = findings.filter((f) => f.rule === 'handoff-ping-pong');
    expect(bounce).toHaveLength(1);
    expect(bounce[0]?.evidence).toEqual({
      lanes: ['nurse', 'physician'],
      casesAffected: 3,
      cases: 10,
      shareOfCases: 0.3,
      handoffs: 9,
      handoffsPerAffectedCase: 3,
      spanMedianMin: 40,
      spanP90Min: 40,
      minShare: 0.05,
    });
    expect(bounce[0]?.stepIds).toEqual(['order', 'review']);
    expect(bounce[0]?.message).toContain('between Nurse and Physician');
  });

  it('needs the pattern in the configured share of cases', () => {
    const at = (share: number) =>
      logFindings(pinned, { thresholds: { logPatternMinShare: share } }).map((f) => f.rule);
    expect(at(0.35)).toEqual(['rework-loop']);
    expect(at(0.5)).toEqual([]);
  });

  it('ignores a pair of lanes the workflow no longer has (edited since discovery)', () => {
    const edited: Workflow = { ...pinned, lanes: pinned.lanes.filter((l) => l.id !== 'physician') };
    expect(logFindings(edited).some((f) => f.rule === 'handoff-ping-pong')).toBe(false);
  });
});

describe('the full analysis', () => {
  it('gives the same log findings as logFindings', () => {
    for (const workflow of [patients, pinned]) {
      const analysed = analyzeWorkflow(workflow).findings.filter((f) => LOG_RULE_IDS.includes(f.rule));
      expect(analysed).toEqual(logFindings(workflow));
    }
  });

  it('finds nothing from logs on drawn workflows (the samples)', () => {
    const dir = new URL('../../../samples/workflows/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const loaded = loadWorkflow(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
      if (!loaded.ok) continue;
      expect(logFindings(loaded.value), file).toEqual([]);
    }
  });
});

describe('comparing a discovered workflow with a drawn plan', () => {
  /** The plan: the same steps drawn, each replacing today's, with no log of its own. */
  const plan = (measured: boolean): Workflow => {
    const { observed, ...rest } = pinned;
    return {
      ...rest,
      ...(measured && observed ? { observed } : {}),
      id: 'planned',
      state: 'future',
      baseline: pinned.id,
      steps: pinned.steps.map(({ observed: stepObserved, ...step }) => ({
        ...step,
        ...(measured && stepObserved ? { observed: stepObserved } : {}),
        replaces: step.kind === 'start' || step.kind === 'end' ? [] : [step.id],
      })),
    };
  };
  const compared = (future: Workflow) => {
    const today = analyzeWorkflow(pinned);
    const planned = analyzeWorkflow(future, { baseline: pinned });
    return compareWorkflows(pinned, future, {
      currentFindings: today.findings,
      futureFindings: planned.findings,
    }).findings;
  };

  it('never counts what today’s log measured as resolved by a plan that has no log', () => {
    const findings = compared(plan(false));
    const logged = logFindings(pinned).map((f) => f.rule);
    expect(logged.length).toBeGreaterThan(0);
    expect(findings?.unmeasured?.map((f) => f.rule)).toEqual(
      analyzeWorkflow(pinned)
        .findings.filter((f) => LOG_RULE_IDS.includes(f.rule))
        .map((f) => f.rule),
    );
    expect(findings?.resolved.some((f) => LOG_RULE_IDS.includes(f.rule))).toBe(false);
  });

  it('compares them as any finding once the plan is measured by a log too', () => {
    const findings = compared(plan(true));
    expect(findings?.unmeasured).toBeUndefined();
    expect(findings?.persisting.some((p) => LOG_RULE_IDS.includes(p.current.rule))).toBe(true);
  });
});
