import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { addDecision } from '../../core/signoff/review/index.ts';
import type { Decision, Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { ErrorCharts } from './ErrorCharts.tsx';

/**
 * A review of two strata, `flagged` and `clean`: in `clean` one record accepted and one rejected
 * with its date of birth marked a wrong value (major); nothing decided in `flagged`.
 */
function twoStrata(): Review {
  const base = fixtureReview();
  const strata = base.sample.strata;
  const [first] = strata;
  if (!first) throw new Error('the fixture review has a stratum');
  const review: Review = {
    ...base,
    sample: {
      ...base.sample,
      strata: [
        { ...first, id: 'flagged', census: true, population: 1, n: 1, records: first.records.slice(2) },
        { ...first, id: 'clean', population: 2, n: 2, records: first.records.slice(0, 2) },
      ],
    },
  };
  const inClean = (decision: Decision): Decision => ({ ...decision, stratum: 'clean' });
  return [
    inClean(fixtureDecision('a', 'MRN-1', 'accept')),
    inClean({ ...fixtureDecision('b', 'MRN-2', 'reject'), row: 2 }),
  ].reduce(addDecision, review);
}

describe('ErrorCharts', () => {
  it('charts the errors by reason and by field, overall and per stratum, the numbers also as a table', async () => {
    const user = userEvent.setup();
    render(<ErrorCharts review={twoStrata()} />);
    const charts = screen.getByRole('region', { name: 'Errors found' });
    // each chart is an image whose name states every bar's number
    expect(
      within(charts).getByRole('img', { name: /^By reason \(all strata\): Wrong value 1, Missing 0/ }),
    ).toBeTruthy();
    expect(within(charts).getByRole('img', { name: 'By field (all strata): birthDate 1' })).toBeTruthy();
    await user.selectOptions(within(charts).getByLabelText('Show'), 'clean');
    expect(
      within(charts).getByRole('img', { name: /^By reason \(stratum clean\): Wrong value 1/ }),
    ).toBeTruthy();
    await user.click(within(charts).getByText('The numbers as a table'));
    const table = within(charts).getByRole('table', {
      name: 'Errors by reason and by field (stratum clean)',
    });
    expect(table.textContent).toMatch(/Reason: Wrong value1/);
    expect(table.textContent).toMatch(/Field: birthDate1/);
    // the stratum nothing was decided in: no error, and said so
    await user.selectOptions(within(charts).getByLabelText('Show'), 'flagged');
    expect(
      within(charts).getByText(/^Stratum flagged: 0 records with errors, 0 fields marked wrong$/),
    ).toBeTruthy();
  });

  it('shows nothing while no error was found', () => {
    const review = [fixtureDecision('a', 'MRN-1', 'accept')].reduce(addDecision, fixtureReview());
    const { container } = render(<ErrorCharts review={review} />);
    expect(container.textContent).toBe('');
  });
});
