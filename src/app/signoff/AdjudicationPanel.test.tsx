import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Decision, Review } from '../../formats/review.ts';
import { fixtureDecision, fixtureProject, fixtureReview } from '../../formats/testing/fixtures.ts';
import { AdjudicationPanel } from './AdjudicationPanel.tsx';
import { renderWithProject } from './testing/reviewHarness.tsx';

/**
 * The adjudication queue of a dual review: a record the two reviewers disagree on waits, shown with
 * both decisions; one of its reviewers cannot adjudicate it; a third person's ruling is final and
 * empties the queue.
 */
const BEN = { name: 'Ben Okafor', role: 'Physician', id: 'MD-77' };
function disagreement(): Review {
  const first: Decision = { ...fixtureDecision('d1', 'MRN-1', 'accept'), stage: 'first' };
  const second: Decision = {
    ...fixtureDecision('d2', 'MRN-1', 'reject'),
    reviewer: BEN,
    stage: 'second',
  };
  return { ...fixtureReview('rv1', [first, second]), dualReview: true };
}

function open() {
  const project = { ...fixtureProject(), reviews: [disagreement()] };
  const rendered = renderWithProject(project, (p, actions) => {
    const review = p.reviews?.[0];
    if (!review) throw new Error('the review is gone');
    return <AdjudicationPanel review={review} actions={actions} />;
  });
  return rendered;
}

async function adjudicator(user: ReturnType<typeof userEvent.setup>, who: typeof BEN) {
  await user.type(screen.getByLabelText("Adjudicator's full name"), who.name);
  await user.type(screen.getByLabelText("Adjudicator's job title"), who.role);
  await user.type(screen.getByLabelText("Adjudicator's staff number"), who.id);
}

const status = () => screen.getByTestId('adjudication-status').textContent;

describe('AdjudicationPanel', () => {
  it('shows the disagreement with both decisions', () => {
    open();
    const panel = screen.getByRole('region', { name: 'Adjudication' });
    expect(panel.querySelector('h5')?.textContent).toBe('Adjudication: 1 record waiting');
    expect(screen.getByText('First reviewer (Dana Reyes): accepted')).toBeTruthy();
    expect(
      screen.getByText('Second reviewer (Ben Okafor): rejected: birthDate (wrong value, major)'),
    ).toBeTruthy();
  });

  it('refuses a ruling before the adjudicator is named, and one by a reviewer of the record', async () => {
    const user = userEvent.setup();
    const { commits } = open();
    await user.click(screen.getByRole('button', { name: 'Accept MRN-1' }));
    expect(status()).toBe('Enter your name, role and staff id before adjudicating.');
    await adjudicator(user, BEN);
    await user.click(screen.getByRole('button', { name: 'Accept MRN-1' }));
    expect(status()).toMatch(/^Not saved: an adjudicator must not be/);
    expect(commits.changes).toHaveLength(0);
  });

  it('a third person adopts a decision: it is final, audited as an adjudication, and the queue empties', async () => {
    const user = userEvent.setup();
    const { commits } = open();
    await adjudicator(user, { name: 'Chen Li', role: 'Medical director', id: 'MD-1' });
    await user.click(screen.getByRole('button', { name: "Adopt the second reviewer's decision for MRN-1" }));
    await waitFor(() =>
      expect(status()).toBe(
        'Saved: adjudication of patients record MRN-1 (rejected: birthDate (wrong value, major)).',
      ),
    );
    expect(commits.changes).toMatchObject([
      {
        type: 'review/decide',
        decision: { stage: 'adjudication', outcome: 'reject', reviewer: { id: 'MD-1' } },
      },
    ]);
    expect(screen.getByRole('heading', { name: 'Adjudication: no records waiting' })).toBeTruthy();
  });
});
