/**
 * The referral-processing and prescription-refill demo pairs of samples/README.md: every planted
 * finding is found with the right rule and step ids, and nothing else is found beyond what the
 * README lists as expected — the full list of findings is pinned, so a finding appearing or
 * disappearing fails here and the README has to follow.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../formats/workflow.ts';
import { loadWorkflow } from '../../formats/workflow.ts';
import { analyzeWorkflow } from './analyze.ts';
import { ruleFindingsOf } from './rootCauses.ts';
import type { Finding } from './rules/types.ts';

function sample(name: string): Workflow {
  const json: unknown = JSON.parse(
    readFileSync(new URL(`../../../samples/workflows/${name}.json`, import.meta.url), 'utf8'),
  );
  const loaded = loadWorkflow(json);
  if (!loaded.ok) throw new Error(`sample ${name} does not load`);
  return loaded.value;
}

const referralCurrent = sample('referral-processing.current');
const referralFuture = sample('referral-processing.future');
const refillCurrent = sample('prescription-refill.current');
const refillFuture = sample('prescription-refill.future');

/** A finding as the README's tables name it: rule, severity and step ids (sorted). */
type Named = [rule: string, severity: string, stepIds: string[]];
const sorted = (list: Named[]): Named[] =>
  list
    .map(([rule, severity, stepIds]): Named => [rule, severity, [...stepIds].sort()])
    .sort((a, b) => `${a[0]}|${a[2].join()}`.localeCompare(`${b[0]}|${b[2].join()}`));
const named = (findings: readonly Finding[]): Named[] =>
  sorted(ruleFindingsOf(findings).map((f): Named => [f.rule, f.severity, f.stepIds]));

interface PairCase {
  description: string;
  workflow: Workflow;
  baseline?: Workflow;
  /** README: planted digitized bottlenecks */
  planted: Named[];
  /** README: expected but not planted */
  expected: Named[];
}

const cases: PairCase[] = [
  {
    description: 'referral-processing-future',
    workflow: referralFuture,
    baseline: referralCurrent,
    planted: [
      ['digitized-paper-step', 'error', ['work-referral-queue']],
      ['carried-over-wait', 'warn', ['work-referral-queue']],
      ['carried-over-wait', 'warn', ['phone-patient-schedule']],
      ['duplicate-entry', 'error', ['payer-portal-auth', 'register-from-efax']],
      ['manual-transcription', 'warn', ['payer-portal-auth', 'register-from-efax']],
      [
        'print-scan-loop',
        'warn',
        ['fax-confirmation', 'portal-invite', 'print-confirmation', 'scan-fax-receipt'],
      ],
    ],
    expected: [
      ['click-burden', 'info', ['register-from-efax']],
      ['click-burden', 'info', ['payer-portal-auth']],
      ['click-burden', 'info', ['phone-patient-schedule']],
    ],
  },
  {
    description: 'prescription-refill-future',
    workflow: refillFuture,
    baseline: refillCurrent,
    planted: [
      ['digitized-paper-step', 'error', ['physician-signs-refill']],
      ['carried-over-wait', 'warn', ['physician-signs-refill']],
      ['serial-approval', 'warn', ['ma-pends-refill', 'physician-signs-refill']],
      // measured in the chart-stack log the current workflow carries
      ['kept-handoff-wait', 'warn', ['physician-signs-refill']],
      [
        'print-scan-loop',
        'warn',
        ['controlled-substance', 'print-controlled-rx', 'scan-signed-rx', 'wet-sign-rx'],
      ],
    ],
    expected: [['click-burden', 'info', ['ma-pends-refill']]],
  },
  {
    description: 'referral-processing-current',
    workflow: referralCurrent,
    planted: [],
    expected: [
      ['click-burden', 'info', ['rekey-referral']],
      ['click-burden', 'info', ['phone-patient-schedule']],
    ],
  },
  {
    description: 'prescription-refill-current',
    workflow: refillCurrent,
    planted: [],
    expected: [
      ['duplicate-entry', 'warn', ['phone-pharmacy', 'take-phone-message']],
      ['manual-transcription', 'error', ['phone-pharmacy', 'take-phone-message']],
      ['click-burden', 'info', ['call-patient-book-visit']],
    ],
  },
];

describe('the referral and refill demo pairs (samples/README.md)', () => {
  it.each(cases)(
    '$description: the planted findings and nothing else',
    ({ workflow, baseline, planted, expected }) => {
      const { findings } = analyzeWorkflow(workflow, baseline ? { baseline } : {});
      const found = named(findings);
      for (const finding of planted) expect(found, `planted ${finding[0]}`).toContainEqual(finding);
      expect(found).toEqual(sorted([...planted, ...expected]));
    },
  );

  it('the digitized sign-off keeps 200 of 240 min (83 %), the queue 100 of 120 min', () => {
    const refill = analyzeWorkflow(refillFuture, { baseline: refillCurrent });
    const referral = analyzeWorkflow(referralFuture, { baseline: referralCurrent });
    const of = (findings: readonly Finding[], rule: string, id: string) =>
      ruleFindingsOf(findings).find((f) => f.rule === rule && f.stepIds.includes(id));
    expect(of(refill.findings, 'digitized-paper-step', 'physician-signs-refill')?.evidence).toMatchObject({
      replacedWaitMin: 240,
      futureWaitMin: 200,
      kind: 'approval',
    });
    expect(of(referral.findings, 'digitized-paper-step', 'work-referral-queue')?.evidence).toMatchObject({
      replacedWaitMin: 120,
      futureWaitMin: 100,
      kind: 'task',
    });
    expect(of(referral.findings, 'duplicate-entry', 'payer-portal-auth')?.evidence.items).toEqual([
      'insurance.member_id',
      'referral.reason',
    ]);
  });

  it('no lane overloads, today or at go-live, and handoffs fall (referral 3 → 2, refill 3.7 → 2 per case)', () => {
    for (const [workflow, baseline, before] of [
      [referralFuture, referralCurrent, 3],
      [refillFuture, refillCurrent, 3.7],
    ] as const) {
      const future = analyzeWorkflow(workflow, { baseline });
      const current = analyzeWorkflow(baseline);
      if (!future.metrics.ok || !current.metrics.ok) throw new Error('metrics missing');
      expect(current.metrics.metrics.handoffs).toBeCloseTo(before, 6);
      expect(future.metrics.metrics.handoffs).toBeCloseTo(2, 6);
      for (const lane of [...future.metrics.metrics.lanes, ...current.metrics.metrics.lanes]) {
        expect(lane.utilisation ?? 0).toBeLessThan(0.5);
      }
    }
  });
});
