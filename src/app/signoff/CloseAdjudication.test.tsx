/**
 * The lead closes adjudication on a dual review sent to a team project: asked first what it does
 * (both reviewers then read each other's decisions and comments, no more decisions), then the
 * server is asked once, and its answer is said; "Keep it open" asks nothing. The server's rule is
 * reviewAssignments.test.ts.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { lockedReview, PROJECT } from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import { TeamClient } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import { SendToReviewers } from './SendToReviewers.tsx';
import { withTeamProjectOfReview } from './serverReviews.ts';
import { renderWithProject } from './testing/reviewHarness.tsx';

const ME = { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor', email: null };

describe('closing adjudication from the lead’s screen', () => {
  it('asks first, then closes on the server and says what changed', async () => {
    const user = userEvent.setup();
    const locked = lockedReview([]);
    const review = { ...locked.review, dualReview: true };
    const base = fixtureProject();
    const project: Project = {
      ...base,
      meta: { ...base.meta, settings: withTeamProjectOfReview(base.meta.settings, review.id, PROJECT) },
      samplePlans: [locked.plan],
      reviews: [review],
    };
    const closePath = `/api/projects/${PROJECT}/reviews/${review.id}/adjudication/close`;
    const team = fakeTeamServer({
      'GET /api/projects': [200, { projects: [] }],
      [`POST ${closePath}`]: [
        200,
        { adjudicationClosedAt: '2026-11-26T20:00:00.000Z', awaitingAdjudication: 1 },
      ],
    });
    const client = new TeamClient('csrf', () => undefined, team.fetchImpl);
    renderWithProject(project, (p, actions) => (
      <TeamServerContext.Provider value={{ phase: 'signed-in', user: ME, client, ended: false }}>
        <SendToReviewers
          review={review}
          plan={locked.plan}
          shownRecords={async () => null}
          settings={p.meta.settings}
          actions={actions}
        />
      </TeamServerContext.Provider>
    ));
    const closes = () => team.calls.filter((c) => c.path === closePath);

    await user.click(screen.getByRole('button', { name: 'Close adjudication…' }));
    await user.click(screen.getByRole('button', { name: 'Keep it open' }));
    expect(closes()).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Close adjudication…' }));
    expect(screen.getByRole('group', { name: 'Close adjudication' }).textContent).toMatch(
      /Closing shows both reviewers every decision and comment/,
    );
    await user.click(screen.getByRole('button', { name: 'Close adjudication now' }));
    await waitFor(() =>
      expect(screen.getByTestId('send-status').textContent).toBe(
        'Adjudication is closed on the team server: both reviewers now see each other’s decisions and comments, and the review takes no more decisions. 1 record was still waiting for the adjudicator.',
      ),
    );
    expect(closes().map((c) => c.method)).toEqual(['POST']);
  });
});
