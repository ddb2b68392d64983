import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { packetScenario } from '../../core/signoff/exports/index.ts';
import {
  addServerSignature,
  lockedReview,
  PROJECT,
  RESULT_CONFIRMED_MEANING,
  REVIEWER_MEANING,
  SIGNING_MEANINGS,
  scopedDecisionsHash,
  serverReviewSignatureOf,
  signatureManifest,
  signedOnServer,
  softAuthenticator,
} from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Signature } from '../../formats/review.ts';
import { fixtureDecision, fixtureProject } from '../../formats/testing/fixtures.ts';
import { NO_WEBAUTHN_REASON, SignPanel } from './SignPanel.tsx';
import { renderWithProject } from './testing/reviewHarness.tsx';

/**
 * The sign panel's states where signing cannot re-authenticate: a browser without WebAuthn, and a
 * browser that has it but no authenticator on the computer. jsdom has no WebAuthn: the second case
 * gives it the API with a `navigator.credentials.create` that refuses as Chromium does there.
 */
function open() {
  const { plan, clinician } = packetScenario();
  const project: Project = { ...fixtureProject(), samplePlans: [plan], reviews: [clinician] };
  const rendered = renderWithProject(project, (p, actions) => {
    const review = p.reviews?.[0];
    if (!review) throw new Error('the review is gone');
    return <SignPanel review={review} plan={plan} project={p} actions={actions} />;
  });
  return rendered;
}

async function typeSigner(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Signer's full name"), 'Dana Reyes');
  await user.type(screen.getByLabelText("Signer's job title"), 'Registered nurse');
  await user.type(screen.getByLabelText("Signer's staff number"), 'RN-204');
}

const signStatus = () => screen.getByTestId('sign-status');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SignPanel without an authenticator', () => {
  it('without WebAuthn says so before signing, and records the signature as made without it', async () => {
    const user = userEvent.setup();
    const { commits } = open();
    expect(screen.getByTestId('webauthn-availability').textContent).toBe(
      'This browser offers no WebAuthn (security key, fingerprint or device PIN), so Preflight cannot confirm who signs here. Your signature will be recorded as made without re-authentication.',
    );
    await typeSigner(user);
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    await waitFor(() => expect(signStatus().textContent).toMatch(/^Signed by Dana Reyes on .*\. Saved\.$/));
    const signed = commits.changes.find((c) => c.type === 'review/sign') as
      | { signature: Signature }
      | undefined;
    expect(signed?.signature.reauthentication).toEqual({ method: 'none', reason: NO_WEBAUTHN_REASON });
    expect(await screen.findByRole('list', { name: 'Signatures' })).toBeTruthy();
  });

  it('a second click over the same results adds no second signature, and says the first stands', async () => {
    const user = userEvent.setup();
    const { commits } = open();
    await typeSigner(user);
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    await waitFor(() => expect(signStatus().textContent).toMatch(/^Signed by Dana Reyes on .*\. Saved\.$/));
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    await waitFor(() =>
      expect(signStatus().textContent).toMatch(
        /^You signed these results on .*, and nothing was decided since: your signature stands, there is nothing new to sign\.$/,
      ),
    );
    expect(commits.changes.filter((c) => c.type === 'review/sign')).toHaveLength(1);
    expect(within(screen.getByRole('list', { name: 'Signatures' })).getAllByRole('listitem')).toHaveLength(1);
  });

  it('asks for the signer before signing, storing nothing', async () => {
    const user = userEvent.setup();
    const { commits } = open();
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    expect(signStatus().textContent).toBe('Enter your full name, job title and staff number to sign.');
    expect(commits.changes).toHaveLength(0);
  });

  it('with WebAuthn but no authenticator, says what signing needs and what to do, storing nothing', async () => {
    Object.defineProperty(window, 'isSecureContext', { configurable: true, value: true });
    vi.stubGlobal('PublicKeyCredential', function PublicKeyCredential() {});
    const create = vi.fn(async () => {
      throw new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError');
    });
    vi.stubGlobal('navigator', { ...navigator, credentials: { create, get: create } });
    try {
      const user = userEvent.setup();
      const { commits } = open();
      expect(screen.getByTestId('webauthn-availability').textContent).toMatch(
        /your browser will ask you to confirm it is you \(security key, fingerprint or device PIN\)/,
      );
      await typeSigner(user);
      await user.click(screen.getByRole('button', { name: 'Sign' }));
      await waitFor(() => expect(signStatus().textContent).toMatch(/^Not signed:/));
      expect(signStatus().textContent).toMatch(
        /this computer has no security key, fingerprint or device PIN set up\. Nothing was signed or stored\. Signing needs a security key, a fingerprint reader or a device PIN on this computer: plug in a security key or set up a fingerprint or PIN/,
      );
      expect(create).toHaveBeenCalledOnce();
      expect(commits.changes.filter((c) => c.type === 'review/sign')).toHaveLength(0);
      // what was typed stays, for the next try
      expect((screen.getByLabelText("Signer's full name") as HTMLInputElement).value).toBe('Dana Reyes');
    } finally {
      Object.defineProperty(window, 'isSecureContext', { configurable: true, value: false });
    }
  });
});

describe('SignPanel: the meaning follows the signer', () => {
  it('someone with no decisions in the sample is never offered "I reviewed"; a reviewer is', async () => {
    const user = userEvent.setup();
    const { commits } = open();
    const meaning = () => screen.getByTestId('signature-meaning').textContent;
    // the data lead, who decided nothing here
    await user.type(screen.getByLabelText("Signer's full name"), 'Sam Okafor');
    await user.type(screen.getByLabelText("Signer's job title"), 'Clinical lead');
    await user.type(screen.getByLabelText("Signer's staff number"), 'CL-7');
    expect(meaning()).toBe(RESULT_CONFIRMED_MEANING);
    expect(meaning()).not.toMatch(/I reviewed/);
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    await waitFor(() => expect(signStatus().textContent).toMatch(/^Signed by Sam Okafor on .*\. Saved\.$/));
    const signed = commits.changes.find((c) => c.type === 'review/sign') as
      | { signature: Signature }
      | undefined;
    expect(signed?.signature.meaning).toBe(RESULT_CONFIRMED_MEANING);
    // the reviewer whose decisions these are
    await user.clear(screen.getByLabelText("Signer's staff number"));
    await user.type(screen.getByLabelText("Signer's staff number"), 'RN-204');
    expect(meaning()).toBe(REVIEWER_MEANING);
  });
});

describe('SignPanel: a reviewer’s signature made on the team server', () => {
  it('is listed under the sign-off, a partial scope said as partial', async () => {
    const { plan, review } = lockedReview([
      fixtureDecision('d1', 'MRN-1', 'accept'),
      fixtureDecision('d2', 'MRN-2', 'accept'),
    ]);
    const manifest = signatureManifest(review.id, review.decisions, 5);
    const view = await signedOnServer(
      await softAuthenticator(),
      scopedDecisionsHash(review.id, manifest.decisionsSha256, manifest),
      {
        projectSeq: 9,
        kind: 'review',
        role: 'reviewer',
        meaning: SIGNING_MEANINGS.review,
        review: review.id,
        member: 'RN-204',
        scope: manifest,
      },
    );
    const kept = addServerSignature(review, serverReviewSignatureOf(view, PROJECT, review.id));
    const project: Project = { ...fixtureProject(), samplePlans: [plan], reviews: [kept] };
    renderWithProject(project, (p, actions) => {
      const shown = p.reviews?.[0];
      if (!shown) throw new Error('the review is gone');
      return <SignPanel review={shown} plan={plan} project={p} actions={actions} />;
    });
    const line = await screen.findByTestId('server-review-signature');
    await waitFor(() => expect(line.textContent).toMatch(/ · verifies$/));
    expect(line.textContent).toContain(
      'Partial scope: signed with 2 of 5 decided of the records assigned to her (3 undecided)',
    );
  });
});
