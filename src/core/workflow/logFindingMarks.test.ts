/**
 * The log's findings marked on the process map where they happen, on a pinned log whose rework and
 * ping-pong are worked out by hand (the log of logFindings.test.ts): every marked activity and
 * arrow is one the map of the same log draws.
 */
import { describe, expect, it } from 'vitest';
import { readCsvLogText } from './eventlog/csvLog.ts';
import { discoverWorkflow } from './eventlog/discover.ts';
import { buildProcessMap } from './eventlog/processMap.ts';
import { createLocalClock } from './eventlog/timestamps.ts';
import { logFindingMarks, pathKey } from './logFindingMarks.ts';
import { logFindings } from './logFindings.ts';
import type { Finding } from './rules/types.ts';

/** 10 cases: check in, review, order; cases 1–3 bounce nurse ↔ physician (review and order twice). */
function log() {
  const base = Date.UTC(2025, 5, 2, 8, 0);
  const lines = ['case,activity,start,complete,who'];
  const row = (c: string, a: string, at: number, touch: number, who: string) => {
    const start = base + at * 60_000;
    lines.push(
      `${c},${a},${new Date(start).toISOString()},${new Date(start + touch * 60_000).toISOString()},${who}`,
    );
  };
  for (let k = 1; k <= 10; k++) {
    const c = `c${String(k).padStart(2, '0')}`;
    row(c, 'Check in', 0, 5, 'Sam');
    // a long wait before the review: 3 hours
    row(c, 'Review', 185, 5, 'Kim');
    row(c, 'Order', 200, 5, 'Lee');
    if (k <= 3) {
      row(c, 'Review', 210, 5, 'Kim');
      row(c, 'Order', 220, 5, 'Lee');
    }
  }
  return readCsvLogText(lines.join('\n'), {
    mapping: { case: 'case', activity: 'activity', start: 'start', complete: 'complete', resource: 'who' },
    roleMap: { Sam: 'Front desk', Kim: 'Nurse', Lee: 'Physician' },
  }).log;
}

const events = log();
const workflow = discoverWorkflow(events, createLocalClock('UTC')).workflow;
const findings = logFindings(workflow);
const marks = logFindingMarks(workflow, findings);
const map = buildProcessMap(events);

describe('log findings on the process map', () => {
  it('finds a long wait, rework and ping-pong in the log', () => {
    expect(new Set(findings.map((f) => f.rule))).toEqual(
      new Set(['long-wait', 'rework-loop', 'handoff-ping-pong']),
    );
  });

  it('marks the long wait on the activity waited for and the arrow into it', () => {
    expect(marks.activities.get('Review')?.rules).toContain('long-wait');
    expect(marks.paths.get(pathKey('Check in', 'Review'))?.rules).toContain('long-wait');
    expect(marks.activities.get('Check in')?.rules ?? []).not.toContain('long-wait');
  });

  it('marks the ping-pong on the arrows between the two roles, both ways', () => {
    expect(marks.paths.get(pathKey('Review', 'Order'))?.rules).toContain('handoff-ping-pong');
    expect(marks.paths.get(pathKey('Order', 'Review'))?.rules).toContain('handoff-ping-pong');
    expect(marks.paths.get(pathKey('Check in', 'Review'))?.rules).not.toContain('handoff-ping-pong');
  });

  it('marks only activities and arrows the map draws', () => {
    const names = new Set(map.activities.map((a) => a.name));
    const nameOf = (k: number) => map.activities[k]?.name ?? '';
    const arrows = new Set(map.edges.map((e) => pathKey(nameOf(e.from), nameOf(e.to))));
    for (const name of marks.activities.keys()) expect(names).toContain(name);
    for (const key of marks.paths.keys()) expect(arrows).toContain(key);
  });

  it('keeps the most serious severity and each rule once on a shared mark', () => {
    const at = (severity: Finding['severity'], rule: string): Finding => ({
      rule,
      severity,
      stepIds: [workflow.steps.find((s) => s.label === 'Order')?.id ?? ''],
      message: rule,
      evidence: {},
    });
    const shared = logFindingMarks(workflow, [at('info', 'rework-loop'), at('error', 'rework-loop')]);
    expect(shared.activities.get('Order')).toEqual({
      rules: ['rework-loop'],
      severity: 'error',
      messages: ['rework-loop'],
    });
  });
});
