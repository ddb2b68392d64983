import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../formats/review.ts';
import { RecordReview } from './RecordReview.tsx';
import { clinicianProject, renderWithProject } from './testing/reviewHarness.tsx';

/**
 * The record screen's keyboard, on a clinician's review of a packet: what each shortcut does, and
 * that Reject asks for why before it saves (decision 0017: a rejection says what is wrong).
 */
function open() {
  const { project, plan, packet } = clinicianProject();
  const rendered = renderWithProject(project, (p, actions) => {
    const review = p.reviews?.[0];
    if (!review) throw new Error('the review is gone');
    return <RecordReview review={review} plan={plan} project={p} actions={actions} packet={packet} />;
  });
  const decisions = (): Decision[] => rendered.project().reviews?.[0]?.decisions ?? [];
  return { ...rendered, decisions };
}

async function nameReviewer(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Printed name', { exact: true }), 'Dana Reyes');
  await user.type(screen.getByLabelText('Role', { exact: true }), 'Registered nurse');
  await user.type(screen.getByLabelText('Staff id', { exact: true }), 'RN-204');
}

const record = (n: number) => screen.getByRole('region', { name: `Record ${n} of 3` });
const saveLine = () => screen.getByTestId('save-status');

describe('RecordReview: deciding with the keyboard', () => {
  it('R with nothing said chooses Reject, puts the keyboard in the comment and says what it needs', async () => {
    const user = userEvent.setup();
    const { decisions } = open();
    await nameReviewer(user);
    record(1).focus();
    await user.keyboard('r');
    const comment = within(record(1)).getByRole('textbox', { name: /^Comment/ });
    expect(document.activeElement).toBe(comment);
    expect(saveLine().textContent).toMatch(/Rejecting this record: write what is wrong in the comment/);
    expect(decisions()).toHaveLength(0);

    await user.paste('The birth date differs from the legacy record.');
    expect(decisions()).toHaveLength(0);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(saveLine().textContent).toBe('Saved: record 1 rejected.'));
    expect(decisions()).toMatchObject([
      { recordKey: 'MRN-1', outcome: 'reject', comment: 'The birth date differs from the legacy record.' },
    ]);
    // the next record opens with an empty form, and Enter in its comment saves nothing
    await screen.findByRole('region', { name: 'Record 2 of 3' });
    const next = within(record(2)).getByRole('textbox', { name: /^Comment/ });
    expect((next as HTMLTextAreaElement).value).toBe('');
    await user.type(next, 'first line{Enter}second');
    expect(decisions()).toHaveLength(1);
  });

  it('Shift+Enter in the comment of a waiting rejection starts a new line and saves nothing', async () => {
    const user = userEvent.setup();
    const { decisions } = open();
    await nameReviewer(user);
    record(1).focus();
    await user.keyboard('r');
    await user.keyboard('Wrong year.{Shift>}{Enter}{/Shift}Checked twice.');
    expect(decisions()).toHaveLength(0);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(decisions()).toHaveLength(1));
    expect(decisions()[0]?.comment).toBe('Wrong year.\nChecked twice.');
  });

  it('A accepts and C cannot-assesses the record in view, each opening the next', async () => {
    const user = userEvent.setup();
    const { decisions } = open();
    await nameReviewer(user);
    record(1).focus();
    await user.keyboard('a');
    await waitFor(() => expect(saveLine().textContent).toBe('Saved: record 1 accepted.'));
    await screen.findByRole('region', { name: 'Record 2 of 3' });
    await user.keyboard('c');
    await waitFor(() => expect(saveLine().textContent).toBe('Saved: record 2 cannot assess.'));
    expect(decisions().map((d) => [d.recordKey, d.outcome])).toEqual([
      ['MRN-1', 'accept'],
      ['MRN-2', 'cannot-assess'],
    ]);
  });

  it('decides nothing before the reviewer is named, and says so', async () => {
    const user = userEvent.setup();
    const { decisions } = open();
    record(1).focus();
    await user.keyboard('a');
    expect(saveLine().textContent).toBe('Enter your name, role and staff id before deciding.');
    expect(decisions()).toHaveLength(0);
  });

  it('N and P move between records, M takes the keyboard to the field to mark, Esc back to the record', async () => {
    const user = userEvent.setup();
    open();
    record(1).focus();
    await user.keyboard('n');
    expect(document.activeElement).toBe(record(2));
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(record(1));
    await user.keyboard('m');
    expect(document.activeElement).toBe(within(record(1)).getByRole('combobox', { name: 'Field' }));
    await user.keyboard('{Escape}');
    expect(document.activeElement).toBe(record(1));
  });
});
