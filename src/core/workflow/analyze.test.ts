/**
 * The analyzeWorkflow contract (analyze.ts header): what it returns, which rules run, the order
 * of findings, and a workflow whose metrics cannot be computed.
 */
import { describe, expect, it } from 'vitest';
import { fixtureFutureWorkflow, fixtureWorkflow } from '../../formats/testing/fixtures.ts';
import { analyzeWorkflow, sortFindings } from './analyze.ts';
import { WORKFLOW_RULES } from './rules/index.ts';
import { linear, startEnd, step, workflow } from './rules/testing/builders.ts';
import type { Finding } from './rules/types.ts';

describe('analyzeWorkflow', () => {
  it('returns metrics, go-live numbers, findings and the resolved settings', () => {
    const result = analyzeWorkflow(fixtureFutureWorkflow(), { baseline: fixtureWorkflow() });
    expect(result.metrics.ok).toBe(true);
    expect(result.goLive.settings).toEqual({ capacityFactor: 1, productivityFactor: 0.7 });
    expect(result.goLive.metrics?.lanes.map((l) => l.laneId)).toEqual(['desk', 'nurse', 'patient']);
    expect(result.goLive.cut?.limit).toBe(0.85);
    expect(result.settings.severities.structure).toBe('error');
    expect(result.settingsProblems).toEqual([]);
    // the fixture future is clean but leaves no current step untraced
    expect(result.findings.filter((f) => f.rule === 'untraced-current-step')).toEqual([]);
  });

  it('skips the rules that need a baseline when there is none', () => {
    const without = analyzeWorkflow(fixtureFutureWorkflow()).findings;
    const needing = WORKFLOW_RULES.filter((r) => r.requires.includes('baseline')).map((r) => r.id as string);
    expect(without.filter((f) => needing.includes(f.rule))).toEqual([]);
  });

  it('a loop cases never leave: no metrics, but structure findings, and rules needing no metrics still run', () => {
    const [start, end] = startEnd();
    const trapped = workflow({
      steps: [start, step('a', { kind: 'approval' }), step('b', { kind: 'approval' }), end],
      flows: ['start>a', 'a>b', 'b>a'],
    });
    const result = analyzeWorkflow(trapped);
    expect(result.metrics.ok).toBe(false);
    expect(result.goLive).toMatchObject({ metrics: null, cut: null });
    const rules = new Set(result.findings.map((f) => f.rule));
    expect(rules.has('structure')).toBe(true);
    expect(rules.has('serial-approval')).toBe(true);
    for (const rule of WORKFLOW_RULES.filter((r) => r.requires.includes('metrics')))
      expect(rules.has(rule.id)).toBe(false);
  });

  it('a workflow with no steps at all gets the structure findings only', () => {
    const empty = workflow({ steps: [], flows: [] });
    const result = analyzeWorkflow(empty);
    expect(result.findings.map((f) => [f.rule, f.evidence.check])).toEqual([
      ['structure', 'no-end'],
      ['structure', 'no-start'],
    ]);
  });

  it('sorts findings by severity, rule table order, step ids, then message', () => {
    const f = (rule: string, severity: Finding['severity'], stepIds: string[], message = 'm'): Finding => ({
      rule,
      severity,
      stepIds,
      message,
      evidence: {},
    });
    const sorted = sortFindings([
      f('structure', 'warn', ['a']),
      f('digitized-paper-step', 'info', ['a']),
      f('structure', 'error', ['b']),
      f('structure', 'error', ['a', 'c']),
      f('structure', 'error', ['a'], 'z'),
      f('structure', 'error', ['a'], 'b'),
      f('digitized-paper-step', 'error', ['z']),
    ]);
    expect(sorted.map((x) => `${x.severity} ${x.rule} ${x.stepIds.join('+')} ${x.message}`)).toEqual([
      'error digitized-paper-step z m',
      'error structure a b',
      'error structure a z',
      'error structure a+c m',
      'error structure b m',
      'warn structure a m',
      'info digitized-paper-step a m',
    ]);
  });

  it('the same input gives the same output (deterministic)', () => {
    const w = linear([
      step('a', { clicks: 40, enters: ['dob'] }),
      step('b', { lane: 'nurse', enters: ['dob'] }),
    ]);
    expect(analyzeWorkflow(w)).toEqual(analyzeWorkflow(structuredClone(w)));
  });

  it('does not modify its input', () => {
    const future = fixtureFutureWorkflow();
    const baseline = fixtureWorkflow();
    const before = structuredClone({ future, baseline });
    analyzeWorkflow(future, { baseline, settings: { thresholds: { clickBudgetPerStep: 1 } } });
    expect({ future, baseline }).toEqual(before);
  });

  it('gives the same analysis with the baseline metrics passed in as without', () => {
    const baseline = linear([step('a', { clicks: 40, enters: ['dob'] }), step('b', { lane: 'nurse' })]);
    const future = linear(
      [
        step('x', { lane: 'nurse', touchMin: 5, replaces: ['a'] }),
        step('y', { lane: 'doc', replaces: ['b'] }),
      ],
      { state: 'future' },
    );
    const alone = analyzeWorkflow(future, { baseline });
    const shared = analyzeWorkflow(future, { baseline, baselineMetrics: analyzeWorkflow(baseline).metrics });
    expect(shared).toEqual(alone);
    expect(alone.findings.some((f) => f.rule === 'handoff-increase')).toBe(true);
  });
});
