/**
 * The sign panel when the signer's key was revoked by the data lead while this browser still holds
 * it: signing is refused with the reason (revoked, by whom, when, why), never "no data lead
 * confirmed it" — which would send the person to have a revoked key confirmed.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addSigningCredential } from '../../core/project/signoffSettings.ts';
import { packetScenario } from '../../core/signoff/exports/index.ts';
import {
  addRosterChange,
  confirmedBy,
  keptRoster,
  LEAD,
  REVIEWER,
} from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import { SignPanel } from './SignPanel.tsx';
import { renderWithProject } from './testing/reviewHarness.tsx';

const secure = Object.getOwnPropertyDescriptor(window, 'isSecureContext');

afterEach(() => {
  vi.unstubAllGlobals();
  if (secure) Object.defineProperty(window, 'isSecureContext', secure);
  else Reflect.deleteProperty(window, 'isSecureContext');
});

describe('SignPanel: a revoked key', () => {
  it('refuses to sign and says the key was revoked, by whom and when, storing nothing', async () => {
    Object.defineProperty(window, 'isSecureContext', { configurable: true, value: true });
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    const get = vi.fn(async () => {
      throw new Error('a revoked key must not be asked for');
    });
    vi.stubGlobal('navigator', { ...navigator, credentials: { create: get, get } });
    const { roster, lead, reviewer } = await keptRoster();
    const revoked = addRosterChange(
      roster,
      await confirmedBy(
        {
          id: 'r5',
          at: '2025-03-02T09:15:00+01:00',
          by: LEAD.staffId,
          kind: 'key-revoked',
          staffId: REVIEWER.staffId,
          credentialId: reviewer.credentialId,
          reason: 'Security key lost',
        },
        lead,
      ),
    );
    const base = fixtureProject();
    // this browser registered Dana's key before the lead revoked it
    const held = addSigningCredential(base.meta.settings, {
      id: reviewer.credentialId,
      algorithm: -7,
      publicKeyJwk: reviewer.publicKeyJwk,
      signerId: REVIEWER.staffId,
      registeredAt: '2025-03-01T10:00:00Z',
    });
    if (held.type !== 'project/settings') throw new Error('fixture');
    const { plan, clinician } = packetScenario();
    const project: Project = {
      ...base,
      meta: { ...base.meta, roster: revoked, settings: held.settings },
      samplePlans: [plan],
      reviews: [clinician],
    };
    const user = userEvent.setup();
    const { commits } = renderWithProject(project, (p, actions) => {
      const review = p.reviews?.[0];
      if (!review) throw new Error('the review is gone');
      return <SignPanel review={review} plan={plan} project={p} actions={actions} />;
    });
    await user.selectOptions(screen.getByLabelText('Who is signing (from the roster)'), REVIEWER.staffId);
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    const status = screen.getByTestId('sign-status');
    await waitFor(() => expect(status.textContent).toMatch(/^Not signed:/));
    expect(status.textContent).toBe(
      "Not signed: Dana Reyes's key was revoked by Sam Okafor on 2025-03-02 at 09:15 (UTC+01:00) (“Security key lost”): a revoked key no longer signs. Ask the data lead to register and confirm a new key for Dana Reyes in the roster.",
    );
    expect(get).not.toHaveBeenCalled();
    expect(commits.changes.filter((c) => c.type === 'review/sign')).toHaveLength(0);
  });
});
