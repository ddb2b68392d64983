import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BONFERRONI_NOTE } from '../../core/signoff/sampling/index.ts';
import type { Decision, Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview, fixtureSamplePlan } from '../../formats/testing/fixtures.ts';
import { VerdictTable } from './VerdictTable.tsx';

/**
 * The verdict so far: per stratum the records reviewed, errors and pass/fail; overall with the
 * Bonferroni note; a record awaiting adjudication counted as an error at worst, and said so.
 */
const PLAN = fixtureSamplePlan();
const stratumRow = (id: string) =>
  within(screen.getByRole('table', { name: /Verdict per stratum/ })).getByRole('row', {
    name: new RegExp(`^${id}`),
  });
const cell = (row: HTMLElement, label: string) =>
  row.querySelector(`td[data-label^="${label}"]`)?.textContent;

describe('VerdictTable', () => {
  it('a stratum reviewed whole with no error passes, with the Bonferroni note under the overall line', () => {
    const review = fixtureReview(
      'rv1',
      ['MRN-1', 'MRN-2', 'MRN-3'].map((key, i) => fixtureDecision(`d${i}`, key, 'accept')),
    );
    render(<VerdictTable review={review} plan={PLAN} />);
    const row = stratumRow('patients');
    expect(cell(row, 'Errors')).toBe('0');
    expect(cell(row, 'Result')).toBe('Passes');
    expect(screen.getByText(/^Overall: 3 reviewed, 0 errors/)).toBeTruthy();
    expect(screen.getByText(BONFERRONI_NOTE)).toBeTruthy();
  });

  it('a rejected record fails a zero-acceptance stratum, and the overall gate', () => {
    const review = fixtureReview('rv1', [fixtureDecision('d1', 'MRN-1', 'reject')]);
    render(<VerdictTable review={review} plan={PLAN} />);
    expect(cell(stratumRow('patients'), 'Errors')).toBe('1');
    expect(cell(stratumRow('patients'), 'Result')).toMatch(/^Fails: error bound above the target/);
    expect(screen.getByText(/the go-live gate fails\.$/)).toBeTruthy();
  });

  it('counts a disagreement awaiting adjudication as an error at worst, and says so', () => {
    const first: Decision = { ...fixtureDecision('d1', 'MRN-1', 'accept'), stage: 'first' };
    const second: Decision = {
      ...fixtureDecision('d2', 'MRN-1', 'reject'),
      reviewer: { name: 'Ben Okafor', role: 'Physician', id: 'MD-77' },
      stage: 'second',
    };
    const review: Review = { ...fixtureReview('rv1', [first, second]), dualReview: true };
    render(<VerdictTable review={review} plan={PLAN} />);
    expect(screen.getByTestId('awaiting-adjudication').textContent).toMatch(/adjudicat/);
    expect(cell(stratumRow('patients'), 'Errors')).toMatch(
      /^1 \(1 record awaiting adjudication, 1 counted as an error at worst\)$/,
    );
    expect(screen.getByTestId('agreement').textContent).toMatch(/^Agreement of the two reviewers/);
  });
});
