import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SIGNING_MEANINGS,
  scopedDecisionsHash,
  signatureManifest,
} from '../../core/signoff/signing/index.ts';
import type { Decision } from '../../formats/review.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import { SignMyReview } from './SignMyReview.tsx';
import type { AssignedRecord } from './serverReviews.ts';
import type { TeamSession } from './serverSigning.ts';
import { standInWebAuthnAuthentication } from './testing/webAuthnStandIn.ts';

standInWebAuthnAuthentication();

/**
 * The reviewer's "Sign my review" against a team server in memory holding `decided` of her three
 * assigned records' decisions: what her signature covers is the number on the server's record,
 * checked before signing, and a partial scope is signed only when she states it.
 */
const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];
const ASSIGNED: AssignedRecord[] = KEYS.map((recordKey, i) => ({
  id: i + 1,
  stratum: 'patients',
  recordKey,
  pass: 'first',
  sent: true,
  decided: false,
}));
const mine = (n: number): Decision[] =>
  KEYS.slice(0, n).map((key, i) => ({
    ...fixtureDecision(`d${i + 1}`, key),
    stage: 'first',
    reviewer: { name: 'Rita Reviewer', role: 'Physician', id: 'member-rita' },
  }));

function fakeServer(decided: number) {
  const asked: string[] = [];
  const signed: { hash: string; scope?: Record<string, unknown> }[] = [];
  const held = mine(decided);
  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    asked.push(`${method} ${input}`);
    if (method === 'GET' && input === '/api/projects/p1/reviews/rv-app/decisions')
      return answer(200, {
        decisions: held.map((decision, i) => ({
          seq: i + 1,
          recordId: i + 1,
          receivedAt: '2026-03-02T09:05:00Z',
          decision,
        })),
      });
    if (method === 'POST' && input === '/api/projects/p1/signatures/options')
      return answer(200, { ceremony: 'assertion', options: { challenge: 'c', allowCredentials: [] } });
    if (method === 'POST' && input === '/api/projects/p1/signatures') {
      const body = JSON.parse(String(init.body)) as { hash: string; scope?: Record<string, unknown> };
      signed.push({ hash: body.hash, ...(body.scope ? { scope: body.scope } : {}) });
      return answer(201, {
        signature: {
          seq: 1,
          projectSeq: 9,
          entryHash: 'f'.repeat(64),
          signedAt: '2026-03-02T09:10:00Z',
          signer: { issuer: 'https://idp.test', subject: 'rita', name: 'Rita Reviewer' },
          role: 'reviewer',
          meaning: SIGNING_MEANINGS.review,
          hash: body.hash,
        },
      });
    }
    return answer(404, { error: 'not found' });
  };
  const session: TeamSession = { base: '', csrfToken: 'csrf', fetchImpl };
  return { asked, signed, held, session };
}

function renderPanel(session: TeamSession, waiting = 0) {
  render(
    <SignMyReview
      session={session}
      projectId="p1"
      reviewId="rv-app"
      memberId="member-rita"
      waiting={waiting}
      assigned={ASSIGNED}
    />,
  );
}

const status = () => screen.getByTestId('review-sign-status').textContent;

afterEach(cleanup);

describe('Sign my review covers exactly the decisions on the server', () => {
  it('refuses while a decision of hers is still on this computer, asking nothing of the server', async () => {
    const { asked, signed, session } = fakeServer(3);
    renderPanel(session, 1);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign my review' }));
    expect(status()).toBe(
      'Not signed: 1 of your decisions is still on this computer, not yet on the team server (see the line above). Your signature covers the decisions on the server only: sign once it is sent.',
    );
    expect(asked).toEqual([]);
    expect(signed).toEqual([]);
  });

  it('refuses while a record of hers is undecided on the server, then signs the partial scope she states', async () => {
    const { signed, held, session } = fakeServer(2);
    renderPanel(session);
    const user = userEvent.setup();
    expect(screen.queryByRole('checkbox')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign my review' }));
    await waitFor(() =>
      expect(status()).toBe(
        'Not signed: the team server holds your decisions on 2 of the 3 records assigned to you, so 1 is undecided. Decide it (scroll your records for those not marked “decided”), then sign — or tick “Sign for the records I decided only”, and your signature says “2 of 3 decided”.',
      ),
    );
    expect(signed).toEqual([]);

    await user.click(screen.getByRole('checkbox', { name: /^Sign for the records I decided only/ }));
    await user.click(screen.getByRole('button', { name: 'Sign my review' }));
    await waitFor(() => expect(status()).toMatch(/^Signed by Rita Reviewer/));
    expect(status()).toMatch(/, over your 2 decisions, a partial scope: 2 of 3 decided \(entry 9/);
    const manifest = signatureManifest('rv-app', held, 3);
    expect(signed).toEqual([
      {
        hash: scopedDecisionsHash('rv-app', manifest.decisionsSha256, manifest),
        scope: { ...manifest, decisionIds: ['d1', 'd2'] },
      },
    ]);
    expect(manifest).toMatchObject({ decisions: 2, decided: 2, assigned: 3 });
  });

  it('signs at once when every record assigned to her is decided on the server, saying so', async () => {
    const { signed, held, session } = fakeServer(3);
    renderPanel(session);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign my review' }));
    await waitFor(() => expect(status()).toMatch(/^Signed by Rita Reviewer/));
    expect(status()).toMatch(/, over your 3 decisions, all 3 records assigned to you decided \(entry 9/);
    const manifest = signatureManifest('rv-app', held, 3);
    expect(signed[0]?.hash).toBe(scopedDecisionsHash('rv-app', manifest.decisionsSha256, manifest));
  });
});
