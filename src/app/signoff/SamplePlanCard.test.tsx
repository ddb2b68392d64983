import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { type LastStratumResult, lockPlan, planHash } from '../../core/signoff/sampling/index.ts';
import type { Report } from '../../formats/report.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { fixtureReport, fixtureSamplePlan } from '../../formats/testing/fixtures.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { type PlanActions, SamplePlanCard } from './SamplePlanCard.tsx';

/**
 * The data lead's plan card: the targets' rules where they are typed, the records to review per
 * stratum and why, a locked plan read-only, and "Make a new plan" superseding it with a new seed.
 */
function Harness({
  initial,
  saved,
  evidence,
  lastResult,
}: {
  initial: SamplePlan;
  saved: SamplePlan[];
  evidence?: () => Report | null;
  lastResult?: () => LastStratumResult[] | null;
}) {
  const [plan, setPlan] = useState(initial);
  const actions: PlanActions = {
    save: (next) => {
      saved.push(next);
      if (next.id === plan.id) setPlan(next);
    },
    newId: () => 'p2',
    now: () => '2025-03-05T09:00:00+01:00',
    randomBytes: (n) => new Uint8Array(n).fill(7),
  };
  return (
    <SamplePlanCard
      plan={plan}
      actions={actions}
      {...(evidence ? { evidence } : {})}
      {...(lastResult ? { lastResult } : {})}
    />
  );
}

const LOCKED = lockPlan(
  fixtureSamplePlan(),
  [{ name: 'patients.csv', bytes: 1200, sha256: 'c'.repeat(64) }],
  '2025-03-01T11:00:00Z',
);

describe('SamplePlanCard', () => {
  it('tells a colleague’s change made first beside the plan’s targets, each as hers and yours', () => {
    const plan = fixtureSamplePlan();
    publishConflict('sample-plan', plan.id, plan, { ...plan, acceptanceNumber: plan.acceptanceNumber + 1 });
    render(<Harness initial={plan} saved={[]} />);
    const card = screen.getByRole('article', { name: plan.name });
    const field = [...card.querySelectorAll<HTMLElement>('input, table')].find(
      (e) => !e.closest('[data-testid="conflict-beside"]'),
    ) as HTMLElement;
    expect(conflictBeside(card, field, `sample plan “${plan.name}”`)).toEqual([
      ['acceptance number', String(plan.acceptanceNumber + 1), String(plan.acceptanceNumber)],
    ]);
  });
  it('shows the records to review per stratum, the flagged one whole, and why', async () => {
    render(<Harness initial={fixtureSamplePlan()} saved={[]} />);
    const table = screen.getByRole('table', { name: /Records to review/ });
    const rows = within(table).getAllByRole('row');
    const patients = rows.find((r) => r.textContent?.startsWith('patients.csv')) as HTMLElement;
    expect(patients.textContent).toMatch(/^patients\.csv5,000147/);
    const flagged = rows.find((r) => r.textContent?.includes('Flagged by validation')) as HTMLElement;
    expect(within(flagged).getByText('40 (all)', { exact: false })).toBeTruthy();
    expect(within(patients).getAllByRole('listitem').length).toBeGreaterThan(0);
    expect(screen.getByRole('img', { name: /Chance that a stratum passes/ })).toBeTruthy();
  });

  it('labels each figure with its column, to read as one card per stratum on a phone', () => {
    render(<Harness initial={fixtureSamplePlan()} saved={[]} />);
    const table = screen.getByRole('table', { name: /Records to review/ });
    expect(table.classList.contains('stacked-table')).toBe(true);
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      const cells = [...row.querySelectorAll('td')];
      expect(cells.map((c) => c.dataset.label)).toEqual(headers.slice(1));
      // one block per figure, so it stands beside its label in the card's two columns
      for (const cell of cells) expect(cell.childNodes.length).toBe(1);
    }
  });

  it('puts each yes-or-no choice of the targets on its own line, and saves it', async () => {
    const saved: SamplePlan[] = [];
    render(<Harness initial={fixtureSamplePlan()} saved={saved} />);
    const dual = screen.getByRole('checkbox', { name: /^Dual review: two clinicians/ });
    const approver = screen.getByRole('checkbox', { name: /^The approver may also review/ });
    const lineOf = (box: HTMLElement) => box.closest('p');
    expect(lineOf(dual)).not.toBeNull();
    expect(lineOf(approver)).not.toBeNull();
    expect(lineOf(dual)).not.toBe(lineOf(approver));
    await userEvent.click(dual);
    expect(saved.at(-1)?.dualReview).toBe(true);
  });

  it('refuses a minor-defect rate stricter than the error rate where it is typed, saving nothing', async () => {
    const user = userEvent.setup();
    const saved: SamplePlan[] = [];
    render(<Harness initial={fixtureSamplePlan()} saved={saved} />);
    const minor = screen.getByRole('spinbutton', { name: /Highest minor-defect rate accepted/ });
    await user.clear(minor);
    await user.type(minor, '1');
    expect(minor.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('The minor-defect rate must be at least the error rate above.')).toBeTruthy();
    expect(saved.some((p) => (p.minorTargetErrorRate ?? 1) < p.targetErrorRate)).toBe(false);
    await user.clear(minor);
    await user.type(minor, '6');
    expect(minor.getAttribute('aria-invalid')).toBeNull();
    expect(saved.at(-1)?.minorTargetErrorRate).toBe(0.06);
  });

  it('a locked plan shows its hash and cannot be edited; a new plan supersedes it with a new seed', async () => {
    const saved: SamplePlan[] = [];
    render(<Harness initial={LOCKED} saved={saved} />);
    expect(screen.getByText('Locked', { selector: '.badge' })).toBeTruthy();
    expect(screen.getByTestId('plan-hash').textContent).toBe(planHash(LOCKED));
    const error = screen.getByRole('spinbutton', { name: /Highest error rate accepted/ });
    expect(error.closest('fieldset')?.disabled).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Make a new plan from this one' }));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      id: 'p2',
      supersedes: planHash(LOCKED),
      name: 'Patients sign-off (re-sample)',
    });
    expect(saved[0]?.seed).not.toBe(LOCKED.seed);
    expect(saved[0]?.lock).toBeUndefined();
  });

  it('a new plan after a failed stratum follows the size rule: re-sampled tighter, the reason said', async () => {
    const ruled = lockPlan(
      { ...fixtureSamplePlan(), sizeRule: { id: 'resample-tighter', borderline: 0.005, tighterBy: 0.5 } },
      [{ name: 'patients.csv', bytes: 1200, sha256: 'c'.repeat(64) }],
      '2025-03-01T11:00:00Z',
    );
    const saved: SamplePlan[] = [];
    const last = [{ stratumId: 'patients', reviewed: 147, errors: 1, pass: false }];
    render(<Harness initial={ruled} saved={saved} lastResult={() => last} />);
    await userEvent.click(screen.getByRole('button', { name: 'Make a new plan from this one' }));
    const [patients, flagged] = saved[0]?.population.strata ?? [];
    expect(patients?.sizedAtRate).toBe(0.01);
    expect(patients?.reasons?.[0]?.text).toMatch(/^Failed the last sample .* by rule resample-tighter$/);
    expect(flagged?.sizedAtRate).toBeUndefined();
  });

  it('records a field left out of the migration on purpose, with why and who owns it, only whole', async () => {
    const user = userEvent.setup();
    const saved: SamplePlan[] = [];
    render(<Harness initial={fixtureSamplePlan()} saved={saved} />);
    await user.type(screen.getByLabelText('Legacy field (column)'), 'allergies');
    await user.type(screen.getByLabelText('Why it is left out'), 'Kept in the pharmacy system');
    await user.click(screen.getByRole('button', { name: 'Record the omission' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Give the legacy field, why it is left out and who owns that choice.',
    );
    expect(saved).toHaveLength(0);
    await user.type(screen.getByLabelText('Who owns that choice'), 'Chief pharmacist');
    await user.click(screen.getByRole('button', { name: 'Record the omission' }));
    expect(saved.at(-1)?.notMigrated).toEqual([
      { column: 'allergies', reason: 'Kept in the pharmacy system', owner: 'Chief pharmacist' },
    ]);
    expect(screen.getByText(/Kept in the pharmacy system \(decided by Chief pharmacist\)/)).toBeTruthy();
  });

  it('suggests strata from the evidence with reasons; the lead removes one and applies the rest', async () => {
    const plan: SamplePlan = {
      ...fixtureSamplePlan(),
      population: {
        dataset: 'd1',
        stratifyBy: 'file',
        strata: [
          { id: 'patients.csv', label: 'patients.csv', size: 5000 },
          { id: 'allergies.csv', label: 'allergies.csv', size: 800 },
        ],
      },
    };
    const base = fixtureReport();
    const issue = base.issues[0] as Report['issues'][number];
    const input = base.inputs[0] as Report['inputs'][number];
    const usedBy = (casesPerHour: number) => [
      { item: 'x', workflow: 'w', step: 's', stepLabel: 'Triage', lane: 'l', role: 'Nurse', casesPerHour },
    ];
    const evidence: Report = {
      ...base,
      inputs: [input, { ...input, name: 'allergies.csv' }],
      issues: [
        { ...issue, location: 'allergy_code', input: 'allergies.csv', usedBy: usedBy(40) },
        { ...issue, location: 'dob', input: 'patients.csv', usedBy: usedBy(5) },
      ],
    };
    const saved: SamplePlan[] = [];
    const user = userEvent.setup();
    render(<Harness initial={plan} saved={saved} evidence={() => evidence} />);
    await user.click(screen.getByRole('button', { name: 'Suggest strata from the evidence' }));
    const list = screen.getByRole('list', { name: 'Suggested strata' });
    expect(list.textContent).toContain('Failing allergy_code: Used by 1 step (Nurse) · 40 cases/h');
    await user.click(within(list).getByRole('checkbox', { name: 'patients.csv' }));
    await user.click(screen.getByRole('button', { name: 'Use 1 stratum from the evidence' }));
    const applied = saved.at(-1);
    expect(applied?.sizeRule?.id).toBe('resample-tighter');
    expect(applied?.population.strata.map((s) => [s.id, s.sizedAtRate, s.reasons?.length])).toEqual([
      ['patients.csv', undefined, undefined],
      ['allergies.csv', 0.01, 1],
    ]);
    const section = screen.getByRole('group', { name: 'Strata from the evidence' });
    expect(section.textContent).toContain('allergies.csv: sized for 1 %, judged at 2 %');
  });

  it('suggests strata for a plan stratified by resource type from the elements that failed', async () => {
    const plan: SamplePlan = {
      ...fixtureSamplePlan(),
      population: {
        dataset: 'd1',
        stratifyBy: 'resourceType',
        strata: [
          { id: 'AllergyIntolerance', label: 'AllergyIntolerance', size: 800 },
          { id: 'Patient', label: 'Patient', size: 5000 },
        ],
      },
    };
    const base = fixtureReport();
    const issue = base.issues[0] as Report['issues'][number];
    const usedBy = [
      {
        item: 'x',
        workflow: 'w',
        step: 's',
        stepLabel: 'Triage',
        lane: 'l',
        role: 'Nurse',
        casesPerHour: 40,
      },
    ];
    const evidence: Report = {
      ...base,
      inputs: [{ name: 'export.ndjson', kind: 'ndjson', records: 5800 }],
      issues: [{ ...issue, location: 'AllergyIntolerance.code', examples: [], usedBy }],
    };
    const saved: SamplePlan[] = [];
    const user = userEvent.setup();
    render(<Harness initial={plan} saved={saved} evidence={() => evidence} />);
    await user.click(screen.getByRole('button', { name: 'Suggest strata from the evidence' }));
    const list = screen.getByRole('list', { name: 'Suggested strata' });
    expect(within(list).getByRole('checkbox', { name: 'AllergyIntolerance' })).toBeTruthy();
    expect(within(list).queryByRole('checkbox', { name: 'Patient' })).toBeNull();
    expect(list.textContent).toContain(
      'Failing AllergyIntolerance.code: Used by 1 step (Nurse) · 40 cases/h',
    );
    await user.click(screen.getByRole('button', { name: 'Use 1 stratum from the evidence' }));
    expect(saved.at(-1)?.population.strata.map((s) => [s.id, s.sizedAtRate])).toEqual([
      ['AllergyIntolerance', 0.01],
      ['Patient', undefined],
    ]);
  });

  it('says why a plan stratified by a column gets no strata from the evidence, offering none', () => {
    const plan: SamplePlan = {
      ...fixtureSamplePlan(),
      population: { dataset: 'd1', stratifyBy: 'site', strata: [{ id: 'north', label: 'North', size: 900 }] },
    };
    render(<Harness initial={plan} saved={[]} evidence={() => fixtureReport()} />);
    const section = screen.getByRole('group', { name: 'Strata from the evidence' });
    expect(section.textContent).toContain(
      'This plan is stratified by "site": the checks count failures per file and column, never which "site" a failing record has',
    );
    expect(within(section).queryByRole('button', { name: 'Suggest strata from the evidence' })).toBeNull();
  });
});
