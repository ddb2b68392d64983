/**
 * What React renders of a typed field holds each script-injection payload as text: every payload
 * text (tests/e2e/xssPayloads.ts) typed into a field leaves no active markup (script, iframe,
 * event-handler attribute, `javascript:` link) where the screen shows it again, and is shown as
 * typed. The browser spec (tests/e2e/typedTextInert.spec.ts) types them once per place, through the
 * real app, where React does not guard: the window title, printable pages, downloaded files.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { inertnessInPage, PAYLOAD_TEXTS } from '../../tests/e2e/xssPayloads.ts';
import { packetScenario } from '../core/signoff/exports/index.ts';
import type { Project } from '../formats/project.ts';
import { fixtureProject } from '../formats/testing/fixtures.ts';
import { RecordReview } from './signoff/RecordReview.tsx';
import { SignPanel } from './signoff/SignPanel.tsx';
import { clinicianProject, renderWithProject } from './signoff/testing/reviewHarness.tsx';

const TEXTS = PAYLOAD_TEXTS.map(({ text, numbers }) => ({ text, numbers: numbers.join(', ') }));

/** Fills `label`'s field with `text` as pasted (typing would read `[` and `{` as key names). */
async function fill(user: ReturnType<typeof userEvent.setup>, label: string, text: string, exact = true) {
  const field = screen.getByLabelText(label, { exact });
  await user.clear(field);
  await user.click(field);
  await user.paste(text);
}

/** The check itself: jsdom keeps markup as a browser parses it, so it finds each text that got in. */
it.each(TEXTS)('finds the active markup payloads $numbers leave when they reach markup', ({ text }) => {
  const p = document.createElement('p');
  // each text on its own: the CDATA payload opens a bogus comment that would hide what follows
  p.innerHTML = text;
  document.body.append(p);
  try {
    expect(inertnessInPage().active).not.toEqual([]);
  } finally {
    p.remove();
  }
});

describe("a signer's full name and job title", () => {
  it.each(TEXTS)(
    'payloads $numbers: the signatures show them as typed, with no active markup',
    async ({ text }) => {
      const user = userEvent.setup();
      const { plan, clinician } = packetScenario();
      const project: Project = { ...fixtureProject(), samplePlans: [plan], reviews: [clinician] };
      renderWithProject(project, (p, actions) => {
        const review = p.reviews?.[0];
        if (!review) throw new Error('the review is gone');
        return <SignPanel review={review} plan={plan} project={p} actions={actions} />;
      });
      await fill(user, "Signer's full name", text);
      await fill(user, "Signer's job title", text);
      await fill(user, "Signer's staff number", 'SG-1');
      await user.click(screen.getByRole('button', { name: 'Sign' }));
      const signatures = await screen.findByRole('list', { name: 'Signatures' });
      expect(signatures.textContent).toContain(text);
      expect(screen.getByTestId('sign-status').textContent).toContain(`Signed by ${text} on `);
      expect(inertnessInPage()).toEqual({ ran: null, active: [] });
      cleanup();
    },
  );
});

describe("a reviewer's printed name, role and comment on a rejected record", () => {
  it.each(TEXTS)(
    'payloads $numbers: the record shows its decision as typed, with no active markup',
    async ({ text }) => {
      const user = userEvent.setup();
      const { project, plan, packet } = clinicianProject();
      renderWithProject(project, (p, actions) => {
        const review = p.reviews?.[0];
        if (!review) throw new Error('the review is gone');
        return <RecordReview review={review} plan={plan} project={p} actions={actions} packet={packet} />;
      });
      await fill(user, 'Printed name', text);
      await fill(user, 'Role', text);
      await fill(user, 'Staff id', 'RN-X1');
      const record = screen.getByRole('region', { name: 'Record 1 of 3' });
      record.focus();
      await user.keyboard('r');
      await user.paste(text);
      await user.keyboard('{Enter}');
      await waitFor(() =>
        expect(screen.getByTestId('save-status').textContent).toBe('Saved: record 1 rejected.'),
      );
      await screen.findByRole('region', { name: 'Record 2 of 3' });
      await user.keyboard('{ArrowLeft}');
      const decided = within(await screen.findByRole('region', { name: 'Record 1 of 3' })).getByTestId(
        'own-decision',
      );
      expect(decided.textContent).toContain(text);
      expect(inertnessInPage()).toEqual({ ran: null, active: [] });
      cleanup();
    },
  );
});
