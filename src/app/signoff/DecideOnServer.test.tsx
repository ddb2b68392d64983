/**
 * A review decided on the team server offers no typed-name decision here: on the lead's computer,
 * a dual review sent to the team (or any review of a project shared with it) shows neither the
 * reviewer's name fields nor the adjudicator's, nor a ruling button, and says where its records
 * are decided, with a link to the team project's page ("My assigned records"). A review of this
 * browser's own project is decided here as before.
 */
import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { lockedReview, PROJECT } from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Decision } from '../../formats/review.ts';
import { fixtureDecision, fixtureProject } from '../../formats/testing/fixtures.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import { linkToTeamProject, teamServerState } from '../team/testing/sharedProject.tsx';
import type { TeamServerState } from '../team/useTeamServer.ts';
import { RecordReview } from './RecordReview.tsx';
import { withTeamProjectOfReview } from './serverReviews.ts';
import { renderWithProject } from './testing/reviewHarness.tsx';

const ME = { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor', email: null };
const BEN = { name: 'Ben Okafor', role: 'Physician', id: 'MD-77' };

/** A dual review whose two passes disagree on MRN-1: it waits for the adjudicator. */
function disagreement() {
  const first: Decision = { ...fixtureDecision('d1', 'MRN-1', 'accept'), stage: 'first' };
  const second: Decision = { ...fixtureDecision('d2', 'MRN-1', 'reject'), reviewer: BEN, stage: 'second' };
  const { plan, review } = lockedReview([first, second]);
  return { plan, review: { ...review, dualReview: true } };
}

type Where = 'local' | 'sent' | 'shared';

let runs = 0;
async function open(where: Where) {
  const { plan, review } = disagreement();
  runs += 1;
  const base = fixtureProject(`decide-${runs}`);
  const project: Project = {
    ...base,
    meta: {
      ...base.meta,
      settings:
        where === 'sent'
          ? withTeamProjectOfReview(base.meta.settings, review.id, PROJECT)
          : base.meta.settings,
    },
    samplePlans: [plan],
    reviews: [review],
  };
  if (where === 'shared') {
    await linkToTeamProject(project.meta.id);
  }
  const reviewPath = `/api/projects/${PROJECT}/reviews/${review.id}`;
  const server = fakeTeamServer({
    [`GET ${reviewPath}/decisions`]: [
      200,
      {
        decisions: review.decisions.map((decision, i) => ({
          seq: i + 1,
          recordId: 1,
          receivedAt: '2025-03-02T15:00:00Z',
          decision,
        })),
      },
    ],
    [`GET ${reviewPath}/signatures`]: [200, { signatures: [] }],
    [`PUT ${reviewPath}/plan`]: [200, {}],
  });
  const team: TeamServerState = where === 'local' ? { phase: 'none' } : teamServerState(server, ME);
  return renderWithProject(project, (p, actions) => {
    const shown = p.reviews?.[0];
    if (!shown) throw new Error('the review is gone');
    return (
      <TeamServerContext.Provider value={team}>
        <RecordReview review={shown} plan={plan} project={p} actions={actions} />
      </TeamServerContext.Provider>
    );
  });
}

const adjudication = () => screen.getByRole('region', { name: 'Adjudication' });

describe('deciding a review on the lead’s computer', () => {
  it('decides a review of this browser’s own project here, under the names typed', async () => {
    await open('local');
    expect(screen.getByLabelText('Printed name', { exact: true })).toBeTruthy();
    expect(within(adjudication()).getByLabelText("Adjudicator's full name")).toBeTruthy();
    expect(within(adjudication()).getByRole('button', { name: 'Accept MRN-1' })).toBeTruthy();
    expect(screen.queryByTestId('decide-on-server-review')).toBeNull();
  });

  it.each([
    { where: 'sent' as const, team: PROJECT, says: /^This review was sent to the team server/ },
    { where: 'shared' as const, team: 'team-1', says: /^This project is shared with the team server/ },
  ])(
    'offers no typed-name decision on a review $where with the team, and says where to decide',
    async ({ where, team, says }) => {
      await open(where);
      const review = await screen.findByTestId('decide-on-server-review');
      expect(review.textContent).toMatch(says);
      expect(review.textContent).toMatch(/“My assigned records”/);
      expect(within(review).getByRole('link', { name: 'the team project’s page' }).getAttribute('href')).toBe(
        `#/team/${team}`,
      );
      expect(screen.queryByLabelText('Printed name', { exact: true })).toBeNull();
      expect(screen.queryByLabelText('Staff id', { exact: true })).toBeNull();

      // the queue stays in view, ruled on by the adjudicator signed in on the server
      const panel = adjudication();
      expect(within(panel).getByText(/Second reviewer \(Ben Okafor\): rejected/)).toBeTruthy();
      expect(within(panel).getByTestId('decide-on-server-adjudication').textContent).toMatch(
        /adjudicator the lead named .* under “My assigned records”/i,
      );
      expect(within(panel).queryByLabelText("Adjudicator's full name")).toBeNull();
      expect(within(panel).queryByRole('button', { name: /^(Accept|Reject|Adopt)/ })).toBeNull();
      // a review sent there holds the server's record, read without a step (nothing to read otherwise)
      if (where === 'sent')
        await waitFor(() =>
          expect(screen.getByTestId('server-record').textContent).toMatch(
            /^This review is the team server’s record/,
          ),
        );
    },
  );
});
