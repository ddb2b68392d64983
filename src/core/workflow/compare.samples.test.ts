/**
 * compareWorkflows on the demo pairs (samples/workflows, samples/README.md): what the README says
 * the intake and lab-results redesigns change is what the comparison reports.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow, type Workflow } from '../../formats/workflow.ts';
import { analyzeWorkflow } from './analyze.ts';
import {
  compareWorkflows,
  dataItemName,
  type RoleImpact,
  replacementCounts,
  type WorkflowComparison,
} from './compare.ts';
import { ruleTagsOf } from './rootCauses.ts';

function sample(name: string): Workflow {
  const json: unknown = JSON.parse(
    readFileSync(new URL(`../../../samples/workflows/${name}.json`, import.meta.url), 'utf8'),
  );
  const loaded = loadWorkflow(json);
  if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded.problems)}`);
  return loaded.value;
}

function role(result: WorkflowComparison, name: string): RoleImpact {
  const found = result.roles.find((r) => r.name === name);
  if (!found) throw new Error(`no role ${name}`);
  return found;
}

const metric = (result: WorkflowComparison, name: string) =>
  result.metrics.deltas.find((d) => d.metric === name);

describe('compare: patient intake, current → future', () => {
  const result = compareWorkflows(sample('patient-intake.current'), sample('patient-intake.future'));

  it('leaves copy-insurance-card and fax-referral untraced and carry-superbill retired', () => {
    expect(result.removed.untraced.map((r) => r.step.stepId)).toEqual([
      'copy-insurance-card',
      'fax-referral',
    ]);
    expect(result.removed.retired.map((r) => r.step.stepId)).toEqual(['carry-superbill']);
    expect(result.dangling).toEqual([]);
  });

  it('traces portal-preregistration to the two paper-intake steps it replaces', () => {
    const portal = result.matches.filter((m) => m.future.stepId === 'portal-preregistration');
    expect(portal.map((m) => [m.by, m.current.stepId])).toEqual([
      ['replaces', 'fill-paper-intake'],
      ['replaces', 'rekey-intake'],
    ]);
    const rekey = portal[1]?.changes;
    expect(rekey?.find((c) => c.attribute === 'lane')).toEqual({
      attribute: 'lane',
      before: 'Front desk',
      after: 'Patient (self-service)',
    });
  });

  it('keeps the digitized approval’s kind and most of its wait (what the rules flag)', () => {
    const approval = result.matches.find((m) => m.future.stepId === 'manager-approves-selfpay-eform');
    expect(approval?.current.stepId).toBe('manager-approves-selfpay');
    const attributes = approval?.changes.map((c) => c.attribute);
    expect(attributes).not.toContain('kind');
    expect(approval?.changes.find((c) => c.attribute === 'waitMin')).toMatchObject({ before: 25, after: 22 });
    expect(approval?.changes.find((c) => c.attribute === 'medium')).toMatchObject({
      before: 'paper',
      after: 'digital',
    });
  });

  it('adds the new steps that replace nothing, with no suggestion for them', () => {
    expect(result.added.map((a) => a.step.stepId)).toEqual([
      'billing-lead-approves-discount',
      'attest-fall-risk',
      'dismiss-fall-risk-alert',
      'referral-eorder',
    ]);
    expect(result.matches.every((m) => m.by === 'replaces')).toBe(true);
  });

  it('the medical assistant’s checklist: device vitals, the allergy/medication entry, the fall-risk attestation', () => {
    const ma = role(result, 'Medical assistant');
    expect(ma.status).toBe('changed');
    expect(ma.changes.map((c) => [c.step.stepId, c.instead.map((i) => i.step.stepId)])).toEqual([
      ['vitals-device', ['vitals-on-paper', 'type-vitals']],
      ['ma-allergy-med-entry', ['review-allergies-meds']],
    ]);
    expect(ma.gains.map((g) => g.step.stepId)).toEqual(['attest-fall-risk', 'dismiss-fall-risk-alert']);
    expect(ma.unchanged.map((s) => s.stepId)).toEqual(['room-patient']);
    expect(ma.loses).toEqual([]);
    expect(ma.newSystems).toEqual(['EHR']);
    expect(ma.retiredSystems).toEqual(['Legacy EHR', 'Paper flowsheet']);
    // vitals now come over the device interface: the MA stops typing them
    expect(ma.droppedDataItems).toEqual([
      'vitals.bp',
      'vitals.height',
      'vitals.pulse',
      'vitals.spo2',
      'vitals.temp',
      'vitals.weight',
    ]);
  });

  it('the front desk loses the re-keying to the patient portal and the untraced and retired steps', () => {
    const desk = role(result, 'Front desk');
    expect(desk.loses.map((l) => [l.step.stepId, l.reason, l.movedTo.map((m) => m.stepId)])).toEqual([
      ['copy-insurance-card', 'untraced', []],
      ['rekey-intake', 'moved', ['portal-preregistration']],
      ['fax-referral', 'untraced', []],
      ['carry-superbill', 'retired', []],
    ]);
    expect(desk.gains.map((g) => g.step.stepId)).toEqual(['print-consent']);
    expect(desk.newDataItems).toEqual(['consent.document']);
  });

  it('every role exists on both sides, in process order', () => {
    expect(result.roles.map((r) => [r.name, r.status])).toEqual([
      ['Patient (self-service)', 'changed'],
      ['Front desk', 'changed'],
      ['Practice manager', 'changed'],
      ['Medical assistant', 'changed'],
      ['Billing', 'changed'],
      ['Physician', 'changed'],
    ]);
  });

  it('moves the metrics as samples/README.md tabulates', () => {
    expect(metric(result, 'touchMin')).toMatchObject({ better: true });
    expect(metric(result, 'touchMin')?.current).toBeCloseTo(47.15, 2);
    expect(metric(result, 'touchMin')?.future).toBeCloseTo(40.33, 2);
    expect(metric(result, 'waitMin')?.current).toBeCloseTo(188.75, 2);
    expect(metric(result, 'waitMin')?.future).toBeCloseTo(3.09, 2);
    expect(metric(result, 'handoffs')?.current).toBeCloseTo(7.15, 6);
    expect(metric(result, 'handoffs')?.future).toBeCloseTo(7.14, 6);
    expect(metric(result, 'clicks')).toMatchObject({ current: 182, worse: true });
    expect(metric(result, 'clicks')?.future).toBeCloseTo(297.74, 2);
    expect(metric(result, 'maxUtilisation')?.current).toBeCloseTo(0.7472, 4); // front desk
    expect(metric(result, 'maxUtilisation')?.future).toBeCloseTo(0.7861, 4); // physician
  });
});

describe('compare: lab results, current → future', () => {
  const result = compareWorkflows(sample('lab-results.current'), sample('lab-results.future'));

  it('traces every current step but the retired fax sorting', () => {
    expect(result.removed.untraced).toEqual([]);
    expect(result.removed.retired.map((r) => r.step.stepId)).toEqual(['sort-fax']);
    expect(result.added).toEqual([]);
    expect(
      result.matches.filter((m) => m.future.stepId === 'auto-file-normal').map((m) => m.current.stepId),
    ).toEqual(['mail-normal-letter', 'file-paper-result']);
  });

  it('the physician acknowledges in the in-basket instead of initialling paper', () => {
    const physician = role(result, 'Physician');
    const ack = physician.changes.find((c) => c.step.stepId === 'physician-acknowledges');
    expect(ack?.instead.map((i) => i.step.stepId)).toEqual(['physician-reviews-paper']);
    expect(ack?.instead[0]?.changes.find((c) => c.attribute === 'waitMin')).toMatchObject({
      before: 240,
      after: 120,
    });
    expect(physician.newSystems).toEqual(['EHR']);
  });

  it('the front desk stops sorting faxes, mailing letters and filing paper', () => {
    const desk = role(result, 'Front desk');
    expect(desk.loses.map((l) => [l.step.stepId, l.reason])).toEqual([['sort-fax', 'retired']]);
    expect(desk.droppedDataItems).toEqual(['communication.result_letter']);
    expect(desk.retiredSystems).toEqual(['Fax machine', 'Paper chart', 'Word processor']);
    expect(desk.load.future?.touchMinPerCase).toBe(0);
  });

  it('improves every per-case metric but clicks (README: 26 → 33.5)', () => {
    const worse = result.metrics.deltas.filter((d) => d.worse).map((d) => d.metric);
    expect(worse).toEqual(['clicks']);
    expect(metric(result, 'clicks')).toMatchObject({ current: 26, future: 33.5, delta: 7.5 });
    expect(metric(result, 'handoffs')).toMatchObject({ better: true });
    expect(metric(result, 'handoffs')?.current).toBeCloseTo(5.25, 6);
    expect(metric(result, 'handoffs')?.future).toBeCloseTo(4.25, 6);
  });
});

describe('compare: filed as today vs planned says, on every demo pair', () => {
  const PAIRS = ['patient-intake', 'lab-results', 'prescription-refill', 'referral-processing'];
  const compared = (pair: string) => {
    const current = sample(`${pair}.current`);
    const future = sample(`${pair}.future`);
    const before = analyzeWorkflow(current);
    const after = analyzeWorkflow(future, { baseline: current });
    return {
      current,
      future,
      result: compareWorkflows(current, future, {
        currentFindings: before.findings,
        futureFindings: after.findings,
      }),
    };
  };

  it.each(PAIRS)('%s: no wait kept from today is "introduced by the plan"', (pair) => {
    const { result } = compared(pair);
    const findings = result.findings;
    if (!findings) throw new Error('findings were given');
    for (const finding of findings.introduced) {
      expect(
        ruleTagsOf(finding).filter((r) => r === 'carried-over-wait' || r === 'digitized-paper-step'),
      ).toEqual([]);
    }
  });

  it('lab results: the courier and the test run keep their waits from today: carried over', () => {
    const { result } = compared('lab-results');
    const kept = (result.findings?.carriedOver ?? []).filter((f) =>
      ruleTagsOf(f).includes('carried-over-wait'),
    );
    expect(kept.map((f) => f.stepIds)).toEqual([['courier-pickup'], ['run-test']]);
  });

  it.each([
    // lab results: "EHR auto-files the result" replaces two of today's steps: 12 planned, 13 today
    { pair: 'lab-results', planned: 12, today: 13, futureSteps: 12 },
    { pair: 'patient-intake', planned: 18, today: 19, futureSteps: 22 },
    { pair: 'prescription-refill', planned: 9, today: 9, futureSteps: 13 },
    { pair: 'referral-processing', planned: 13, today: 12, futureSteps: 13 },
  ])(
    '$pair: $planned planned steps replace $today of today’s, each counted once',
    ({ pair, planned, today, futureSteps }) => {
      const { result, future } = compared(pair);
      const counts = replacementCounts(result.matches);
      expect(counts).toEqual({ planned, today });
      // true by construction: replacing steps and new steps are planned steps, each once
      expect(counts.planned + result.added.length).toBeLessThanOrEqual(future.steps.length);
      expect(future.steps.length).toBe(futureSteps);
    },
  );

  it.each(PAIRS)('%s: training checklists name no start or end event and no raw data id', (pair) => {
    const { result, current, future } = compared(pair);
    const events = new Set(
      [...current.steps, ...future.steps]
        .filter((s) => s.kind === 'start' || s.kind === 'end')
        .map((s) => s.id),
    );
    for (const r of result.roles) {
      const listed = [
        ...r.gains.map((g) => g.step.stepId),
        ...r.changes.map((c) => c.step.stepId),
        ...r.unchanged.map((s) => s.stepId),
        ...r.loses.map((l) => l.step.stepId),
      ];
      expect(
        listed.filter((id) => events.has(id)),
        r.name,
      ).toEqual([]);
      for (const item of [...r.newDataItems, ...r.droppedDataItems]) {
        expect(dataItemName(item)).not.toMatch(/[._]/);
      }
    }
  });

  it('lab results: the front desk is not trained on the end event “Result closed”', () => {
    const { result } = compared('lab-results');
    const desk = role(result, 'Front desk');
    expect([...desk.changes, ...desk.gains].map((c) => c.step.label)).not.toContain('Result closed');
  });
});

describe('dataItemName', () => {
  it.each([
    ['communication.result_letter', 'result letter (communication)'],
    ['vitals.bp', 'blood pressure (vitals)'],
    ['vitals.spo2', 'oxygen saturation (vitals)'],
    ['demographics.email', 'email (demographics)'],
    ['insurance.member_id', 'member ID (insurance)'],
    ['allergies', 'allergies'],
    ['referral_reason', 'referral reason'],
    ['a.b.c_d', 'c d (a.b)'],
  ])('%s → %s', (item, name) => {
    expect(dataItemName(item)).toBe(name);
  });
});
