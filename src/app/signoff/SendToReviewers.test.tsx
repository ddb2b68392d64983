/**
 * "Bring in the reviewers' decisions" on a review sent to a team project: the decisions come from a
 * team server in memory in its order, then the reviewers' signatures made there (a reviewer's "I
 * reviewed these records" over exactly her decisions), kept with the review on this computer so the
 * report and the FHIR Bundle carry them.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { reviewedDecisionsHash, SIGNING_MEANINGS } from '../../core/signoff/serverChain.ts';
import { PROJECT, signedOnServer } from '../../core/signoff/testing/serverSigned.ts';
import { lockedReview, softAuthenticator } from '../../core/signoff/testing/signedExport.ts';
import type { Project } from '../../formats/project.ts';
import { fixtureDecision, fixtureProject } from '../../formats/testing/fixtures.ts';
import { TeamClient } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import { SendToReviewers } from './SendToReviewers.tsx';
import { withTeamProjectOfReview } from './serverReviews.ts';
import { renderWithProject } from './testing/reviewHarness.tsx';

const ME = { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor', email: null };

async function scene() {
  const { plan, review } = lockedReview([
    fixtureDecision('d1', 'MRN-1', 'accept'),
    fixtureDecision('d2', 'MRN-2', 'reject'),
    fixtureDecision('d3', 'MRN-3', 'accept'),
  ]);
  // as the server holds them: citing the locked plan
  const { decisions } = review;
  // her signature on the server, over exactly her three decisions in the server's order
  const hers = await signedOnServer(await softAuthenticator(), reviewedDecisionsHash(review.id, decisions), {
    projectSeq: 9,
    kind: 'review',
    role: 'reviewer',
    meaning: SIGNING_MEANINGS.review,
    review: review.id,
    member: 'RN-204',
  });
  const base = fixtureProject();
  // the lead's computer before bringing in: the review sent, none of the decisions here yet
  const project: Project = {
    ...base,
    meta: { ...base.meta, settings: withTeamProjectOfReview(base.meta.settings, review.id, PROJECT) },
    samplePlans: [plan],
    reviews: [{ ...review, decisions: [] }],
  };
  const reviewPath = `/api/projects/${PROJECT}/reviews/${review.id}`;
  const team = fakeTeamServer({
    'GET /api/projects': [200, { projects: [] }],
    [`GET /api/projects/${PROJECT}`]: [
      200,
      { id: PROJECT, name: 'Go-live', role: 'lead', expiresOn: null, can: [], members: [] },
    ],
    [`GET ${reviewPath}/decisions`]: [
      200,
      {
        decisions: decisions.map((decision, i) => ({
          seq: i + 1,
          recordId: i + 1,
          receivedAt: '2025-03-02T15:00:00Z',
          decision,
        })),
      },
    ],
    [`GET ${reviewPath}/signatures`]: [200, { signatures: [hers] }],
    // the plan sent along (the server keeps it once, so the data lead sees the result)
    [`PUT ${reviewPath}/plan`]: [200, {}],
  });
  const plansSent = () => team.calls.filter((c) => c.path === `${reviewPath}/plan`);
  return { project, plan, plansSent, client: new TeamClient('csrf', () => undefined, team.fetchImpl) };
}

describe('SendToReviewers bringing in from the team server', () => {
  it('brings in the decisions in the server’s order, then the reviewer’s signature made there', async () => {
    const user = userEvent.setup();
    const { project, plan, plansSent, client } = await scene();
    const rendered = renderWithProject(project, (p, actions) => {
      const review = p.reviews?.[0];
      if (!review) throw new Error('the review is gone');
      return (
        <TeamServerContext.Provider value={{ phase: 'signed-in', user: ME, client, ended: false }}>
          <SendToReviewers
            review={review}
            plan={plan}
            shownRecords={() => null}
            settings={p.meta.settings}
            actions={actions}
          />
        </TeamServerContext.Provider>
      );
    });
    await user.click(screen.getByRole('button', { name: 'Bring in the reviewers’ decisions' }));
    await waitFor(() =>
      expect(screen.getByTestId('send-status').textContent).toBe(
        'Brought in 3 decisions from the team server and 1 signature made there.',
      ),
    );
    expect(rendered.commits.changes.map((c) => c.type)).toEqual([
      'review/decide',
      'review/decide',
      'review/decide',
      'review/server-signature',
    ]);
    expect(plansSent()).toHaveLength(1);
    const kept = rendered.project().reviews?.[0];
    expect(kept?.decisions.map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
    expect(kept?.serverSignatures).toHaveLength(1);
    expect(kept?.serverSignatures?.[0]).toMatchObject({
      kind: 'review',
      signer: { name: 'Dana Reyes', id: 'RN-204' },
      meaning: SIGNING_MEANINGS.review,
      reauthentication: { server: { project: PROJECT, projectSeq: 9 } },
    });

    // brought in again: nothing is added twice
    await user.click(screen.getByRole('button', { name: 'Bring in the reviewers’ decisions' }));
    await waitFor(() =>
      expect(screen.getByTestId('send-status').textContent).toBe(
        'Brought in 0 decisions from the team server (3 were here already).',
      ),
    );
    expect(rendered.commits.changes).toHaveLength(4);
  });
});
