/**
 * The demo pairs of samples/README.md: every planted finding is found with the right rule and
 * step ids, the "expected but not planted" notes hold, and a clean redesign of the intake (the
 * planted bottlenecks fixed) raises none of the "digitized" rules. Written as the expectations
 * the rules were tuned against.
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

const intakeCurrent = sample('patient-intake.current');
const intakeFuture = sample('patient-intake.future');
const labCurrent = sample('lab-results.current');
const labFuture = sample('lab-results.future');

const intake = analyzeWorkflow(intakeFuture, { baseline: intakeCurrent });
const lab = analyzeWorkflow(labFuture, { baseline: labCurrent });

/** The findings of `rule` as the rule gave them (a root cause's parts included). */
function of(findings: readonly Finding[], rule: string): Finding[] {
  return ruleFindingsOf(findings).filter((f) => f.rule === rule);
}

/** The finding of `rule` whose step ids include all of `stepIds`. */
function findingWith(findings: readonly Finding[], rule: string, stepIds: string[]): Finding | undefined {
  return of(findings, rule).find((f) => stepIds.every((id) => f.stepIds.includes(id)));
}

describe('planted findings of patient-intake-future (samples/README.md)', () => {
  const planted: { rule: string; stepIds: string[]; exact?: boolean }[] = [
    { rule: 'digitized-paper-step', stepIds: ['manager-approves-selfpay-eform'], exact: true },
    { rule: 'carried-over-wait', stepIds: ['manager-approves-selfpay-eform'], exact: true },
    {
      rule: 'serial-approval',
      stepIds: ['manager-approves-selfpay-eform', 'billing-lead-approves-discount'],
      exact: true,
    },
    { rule: 'duplicate-entry', stepIds: ['portal-preregistration', 'ma-allergy-med-entry'], exact: true },
    {
      rule: 'manual-transcription',
      stepIds: ['portal-preregistration', 'ma-allergy-med-entry'],
      exact: true,
    },
    {
      rule: 'print-scan-loop',
      stepIds: ['check-in-desk', 'print-consent', 'sign-consent-paper', 'scan-consent'],
      exact: true,
    },
    { rule: 'click-burden', stepIds: ['checkout'], exact: true },
    { rule: 'click-burden', stepIds: ['physician-visit'], exact: true },
    { rule: 'no-op-decision', stepIds: ['attest-fall-risk', 'dismiss-fall-risk-alert'], exact: true },
    { rule: 'untraced-current-step', stepIds: ['copy-insurance-card'], exact: true },
    { rule: 'untraced-current-step', stepIds: ['fax-referral'], exact: true },
  ];
  it.each(planted)('$rule on $stepIds', ({ rule, stepIds, exact }) => {
    const match = exact
      ? of(intake.findings, rule).find(
          (f) => f.stepIds.length === stepIds.length && stepIds.every((id) => f.stepIds.includes(id)),
        )
      : findingWith(intake.findings, rule, stepIds);
    expect(match, `${rule} on ${stepIds.join(', ')}`).toBeDefined();
  });

  it('digitized-paper-step keeps 22 of 25 min (88 %) and cites why', () => {
    const f = findingWith(intake.findings, 'digitized-paper-step', ['manager-approves-selfpay-eform']);
    expect(f?.evidence).toMatchObject({
      replacedWaitMin: 25,
      futureWaitMin: 22,
      keptShare: 0.88,
      kind: 'approval',
    });
    expect(f?.message).toContain('Approve self-pay');
    expect(f?.message).toMatch(/NEJM Catalyst/);
  });

  it('untraced-current-step reports exactly the two untraced current steps', () => {
    expect(of(intake.findings, 'untraced-current-step').map((f) => f.stepIds)).toEqual([
      ['copy-insurance-card'],
      ['fax-referral'],
    ]);
  });

  it('duplicate-entry and manual-transcription name allergies and medications', () => {
    for (const rule of ['duplicate-entry', 'manual-transcription']) {
      const f = findingWith(intake.findings, rule, ['portal-preregistration', 'ma-allergy-med-entry']);
      expect(f?.evidence.items).toEqual(['allergies', 'medications']);
    }
    // re-keyed allergies and medications are clinical: raised from warn to error
    expect(findingWith(intake.findings, 'manual-transcription', ['portal-preregistration'])?.severity).toBe(
      'error',
    );
  });

  it('handoff-increase does not fire (7.15 → 7.14 handoffs per case)', () => {
    expect(of(intake.findings, 'handoff-increase')).toEqual([]);
  });

  it('no lane is planted to fail role-overload or golive-capacity', () => {
    expect(of(intake.findings, 'role-overload')).toEqual([]);
    expect(of(intake.findings, 'golive-capacity')).toEqual([]);
    expect(of(lab.findings, 'role-overload')).toEqual([]);
    expect(of(lab.findings, 'golive-capacity')).toEqual([]);
  });

  it('the future intake has a complete structure', () => {
    expect(of(intake.findings, 'structure')).toEqual([]);
    expect(of(lab.findings, 'structure')).toEqual([]);
  });
});

describe('planted open loop of lab-results-future', () => {
  it('open-loop-order on cpoe-lab-order, through result-flagged → auto-file-normal → result-closed', () => {
    const loops = of(lab.findings, 'open-loop-order');
    expect(loops).toHaveLength(1);
    const [f] = loops;
    expect(f?.stepIds[0]).toBe('cpoe-lab-order');
    expect(f?.stepIds).toEqual(
      expect.arrayContaining(['result-flagged', 'auto-file-normal', 'result-closed']),
    );
    expect(f?.stepIds).not.toContain('physician-acknowledges');
    expect(f?.evidence.unacknowledgedShare).toBe(0.75);
  });

  it('the current lab workflow has no open loop (every result passes physician-reviews-paper)', () => {
    expect(of(analyzeWorkflow(labCurrent).findings, 'open-loop-order')).toEqual([]);
  });

  it('referral-eorder is not an order (it enters referral.specialty and referral.reason, no order item)', () => {
    expect(of(intake.findings, 'open-loop-order')).toEqual([]);
  });

  it('carried-over-wait flags courier-pickup and run-test (physical transport and analyser time, kept on purpose)', () => {
    expect(of(lab.findings, 'carried-over-wait').map((f) => f.stepIds)).toEqual([
      ['courier-pickup'],
      ['run-test'],
    ]);
  });

  it('digitized-paper-step flags the in-basket acknowledgement keeping exactly half of the paper review wait (≥ 50 %)', () => {
    const f = findingWith(lab.findings, 'digitized-paper-step', ['physician-acknowledges']);
    expect(f?.evidence).toMatchObject({ replacedWaitMin: 240, futureWaitMin: 120, keptShare: 0.5 });
  });
});

describe('the current workflows show their paper-era problems', () => {
  const current = analyzeWorkflow(intakeCurrent);
  const labNow = analyzeWorkflow(labCurrent);
  const pairs: { findings: Finding[]; stepIds: [string, string] }[] = [
    { findings: current.findings, stepIds: ['fill-paper-intake', 'rekey-intake'] },
    { findings: current.findings, stepIds: ['vitals-on-paper', 'type-vitals'] },
    { findings: current.findings, stepIds: ['mark-superbill', 'enter-charges'] },
    { findings: labNow.findings, stepIds: ['paper-requisition', 'lab-accession'] },
  ];
  it.each(pairs)('duplicate-entry and manual-transcription on $stepIds', ({ findings, stepIds }) => {
    expect(findingWith(findings, 'duplicate-entry', stepIds)).toBeDefined();
    expect(findingWith(findings, 'manual-transcription', stepIds)).toBeDefined();
  });

  it('vitals written then typed by the same role are an error, and a manual flow between systems', () => {
    const dup = findingWith(current.findings, 'duplicate-entry', ['vitals-on-paper', 'type-vitals']);
    expect(dup?.severity).toBe('error');
    const manual = findingWith(current.findings, 'manual-transcription', ['vitals-on-paper', 'type-vitals']);
    expect(manual?.evidence.manualFlow).toBe(true);
    expect(manual?.stepIds).toEqual(['vitals-on-paper', 'type-vitals']);
  });

  it('rules that need a baseline are skipped for a current workflow on its own', () => {
    for (const rule of [
      'untraced-current-step',
      'handoff-increase',
      'digitized-paper-step',
      'carried-over-wait',
    ]) {
      expect(of(current.findings, rule)).toEqual([]);
    }
  });
});

/** The intake future with its planted bottlenecks fixed. */
function cleanIntake(): Workflow {
  const w = structuredClone(intakeFuture);
  const byId = (id: string) => {
    const s = w.steps.find((x) => x.id === id);
    if (!s) throw new Error(`no step ${id}`);
    return s;
  };
  // self-pay exception: one auto-rule step instead of two approvals in a row keeping the paper wait
  const approval = byId('manager-approves-selfpay-eform');
  Object.assign(approval, {
    kind: 'task',
    label: 'Sliding-fee tier set by the fee-schedule rule',
    waitMin: 0,
    clicks: 4,
  });
  w.steps = w.steps.filter((s) => s.id !== 'billing-lead-approves-discount');
  w.flows = w.flows.filter(
    (f) => f.from !== 'billing-lead-approves-discount' && f.to !== 'billing-lead-approves-discount',
  );
  w.flows.push({ from: 'manager-approves-selfpay-eform', to: 'room-patient', transfer: 'electronic' });
  // consent signed on the tablet: no print, no wet signature, no scan
  w.steps = w.steps.filter((s) => s.id !== 'print-consent' && s.id !== 'sign-consent-paper');
  Object.assign(byId('scan-consent'), {
    label: 'Patient signs consent on the tablet',
    lane: 'patient',
    replaces: ['sign-paper-consent', 'file-consent'],
    enters: ['consent.signature'],
  });
  w.flows = w.flows.filter(
    (f) =>
      !['print-consent', 'sign-consent-paper'].includes(f.from) &&
      !['print-consent', 'sign-consent-paper'].includes(f.to),
  );
  w.flows.push({ from: 'check-in-desk', to: 'scan-consent', transfer: 'electronic' });
  // the MA reviews the portal answers instead of typing them again
  Object.assign(byId('ma-allergy-med-entry'), {
    label: 'Review allergies and medications entered in the portal',
    enters: [],
    clicks: 8,
  });
  // no forced attestation: the fall-risk screen is part of rooming
  w.steps = w.steps.filter((s) => s.id !== 'attest-fall-risk' && s.id !== 'dismiss-fall-risk-alert');
  w.flows = w.flows.filter(
    (f) =>
      !['attest-fall-risk', 'dismiss-fall-risk-alert'].includes(f.from) &&
      !['attest-fall-risk', 'dismiss-fall-risk-alert'].includes(f.to),
  );
  w.flows.push({ from: 'ma-allergy-med-entry', to: 'physician-visit', transfer: 'electronic' });
  // everything traced
  Object.assign(byId('referral-eorder'), { replaces: ['fax-referral'] });
  w.retired = [...(w.retired ?? []), 'copy-insurance-card'];
  return w;
}

describe('a clean redesign of the intake', () => {
  const clean = cleanIntake();
  const result = analyzeWorkflow(clean, { baseline: intakeCurrent });
  it('loads as a valid workflow', () => {
    expect(loadWorkflow(clean).ok).toBe(true);
  });
  it.each([
    'digitized-paper-step',
    'carried-over-wait',
    'print-scan-loop',
    'serial-approval',
    'duplicate-entry',
    'manual-transcription',
    'no-op-decision',
    'untraced-current-step',
    'structure',
    'open-loop-order',
    'handoff-increase',
  ])('raises no %s', (rule) => {
    expect(of(result.findings, rule)).toEqual([]);
  });
});
