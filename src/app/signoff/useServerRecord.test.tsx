/**
 * A review sent to a team project follows the server's record by itself: opened on the lead's
 * computer, the decisions the server holds come in its order, then the reviewers' signatures made
 * there (a reviewer's "I reviewed these records" over exactly her decisions) — no step to take, in
 * one change, so the progress, the verdict, the report and the FHIR Bundle are the server's record.
 * A project with a sign-off roster takes them too: who may decide was the server's to judge.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  decisionEntry,
  lockedReview,
  PROJECT,
  reviewedDecisionsHash,
  SIGNING_MEANINGS,
  signedOnServer,
  softAuthenticator,
} from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Decision, Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { fixtureDecision, fixtureProject } from '../../formats/testing/fixtures.ts';
import { TeamClient } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { FakeEventSource } from '../team/testing/fakeEventSource.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import type { ReviewActions } from './reviewActions.ts';
import { ServerRecordLine } from './ServerRecordLine.tsx';
import { withTeamProjectOfReview } from './serverReviews.ts';
import { renderWithProject } from './testing/reviewHarness.tsx';
import { useServerRecord } from './useServerRecord.ts';

const ME = { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor', email: null };

/** The review's figures as the workspace counts them, and the line that says where they come from. */
function Shown({
  review,
  plan,
  project,
  actions,
}: {
  review: Review;
  plan: SamplePlan;
  project: Project;
  actions: ReviewActions;
}) {
  const record = useServerRecord({ review, plan, settings: project.meta.settings, actions });
  return (
    <>
      <p data-testid="held">{review.decisions.length} decisions here</p>
      <ServerRecordLine record={record} />
    </>
  );
}

async function scene({ roster = false, held = [] as Decision[], onServer = 3 } = {}) {
  const { plan, review } = lockedReview([
    fixtureDecision('d1', 'MRN-1', 'accept'),
    fixtureDecision('d2', 'MRN-2', 'reject'),
    fixtureDecision('d3', 'MRN-3', 'accept'),
  ]);
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
  const project: Project = {
    ...base,
    meta: {
      ...base.meta,
      settings: withTeamProjectOfReview(base.meta.settings, review.id, PROJECT),
      // a roster that does not name the team's members: the server judged who decides there
      ...(roster
        ? {
            roster: {
              changes: [
                {
                  id: 'c1',
                  kind: 'member' as const,
                  at: '2025-03-01T09:00:00Z',
                  by: 'CL-7',
                  member: { staffId: 'CL-7', name: 'Sam Okafor', title: 'Lead', roles: ['lead' as const] },
                },
              ],
            },
          }
        : {}),
    },
    samplePlans: [plan],
    reviews: [{ ...review, decisions: held }],
  };
  const reviewPath = `/api/projects/${PROJECT}/reviews/${review.id}`;
  // the server's record when the first `count` decisions are made (her signature once all are)
  const serverHolds = (count: number) => {
    team.routes[`GET ${reviewPath}/decisions`] = [
      200,
      {
        decisions: decisions.slice(0, count).map((decision, i) => ({
          seq: i + 1,
          recordId: i + 1,
          receivedAt: '2025-03-02T15:00:00Z',
          decision,
          entry: decisionEntry(review.id, decision, i + 1, i + 2),
        })),
      },
    ];
    team.routes[`GET ${reviewPath}/signatures`] = [
      200,
      { signatures: count === decisions.length ? [hers] : [] },
    ];
  };
  const team = fakeTeamServer({
    // the plan sent along (the server keeps it once, so the data lead sees the result)
    [`PUT ${reviewPath}/plan`]: [200, {}],
  });
  serverHolds(onServer);
  const client = new TeamClient('csrf', () => undefined, team.fetchImpl);
  const rendered = renderWithProject(project, (p, actions) => {
    const shown = p.reviews?.[0];
    if (!shown) throw new Error('the review is gone');
    return (
      <TeamServerContext.Provider value={{ phase: 'signed-in', user: ME, client, ended: false }}>
        <Shown review={shown} plan={plan} project={p} actions={actions} />
      </TeamServerContext.Provider>
    );
  });
  const reads = () => team.calls.filter((c) => c.path === `${reviewPath}/decisions`).length;
  return {
    rendered,
    reads,
    serverHolds,
    plansSent: () => team.calls.filter((c) => c.path === `${reviewPath}/plan`),
  };
}

const line = () => screen.getByTestId('server-record').textContent ?? '';

describe('a review sent to a team project, on the lead’s computer', () => {
  it.each([
    { description: 'without a roster', roster: false },
    { description: 'with a sign-off roster that does not name the team’s members', roster: true },
  ])(
    'holds every decision and signature of the server’s record, with no step to take ($description)',
    async ({ roster }) => {
      const { rendered, plansSent } = await scene({ roster });
      await waitFor(() =>
        expect(line()).toMatch(/^This review is the team server’s record: 3 decisions and 1 signature/),
      );
      expect(screen.getByTestId('held').textContent).toBe('3 decisions here');
      // one change: the decisions in the server's order, then her signature
      expect(rendered.commits.changes.map((c) => c.type)).toEqual(['review/server-record']);
      const kept = rendered.project().reviews?.[0];
      expect(kept?.decisions.map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
      // each with the server's entry that recorded it
      expect(kept?.serverDecisionEntries?.map((e) => [e.detail.decision, e.projectSeq])).toEqual([
        ['d1', 2],
        ['d2', 3],
        ['d3', 4],
      ]);
      expect(kept?.serverSignatures?.[0]).toMatchObject({
        kind: 'review',
        signer: { name: 'Dana Reyes', id: 'RN-204' },
        meaning: SIGNING_MEANINGS.review,
        reauthentication: { server: { project: PROJECT, projectSeq: 9 } },
      });
      expect(plansSent()).toHaveLength(1);
    },
  );

  it('reads again on demand and replays only what is new', async () => {
    const user = userEvent.setup();
    const { plan: _plan, ...held } = lockedReview([fixtureDecision('d1', 'MRN-1', 'accept')]);
    const { rendered, reads } = await scene({ held: held.review.decisions });
    await waitFor(() => expect(line()).toMatch(/3 decisions and 1 signature/));
    expect(rendered.project().reviews?.[0]?.decisions.map((d) => d.id)).toEqual(['d1', 'd2', 'd3']);
    // d1, held before, gets its server entry with the new ones
    expect(rendered.project().reviews?.[0]?.serverDecisionEntries).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Read it again' }));
    await waitFor(() => expect(reads()).toBe(2));
    await waitFor(() => expect(line()).toMatch(/^This review is the team server’s record/));
    // nothing new the second time: no change
    expect(rendered.commits.changes).toHaveLength(1);
  });

  describe('while others decide and sign', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('shows a new decision and a signature made elsewhere without a reload', async () => {
      FakeEventSource.made = [];
      vi.stubGlobal('EventSource', FakeEventSource);
      const { rendered, reads, serverHolds } = await scene({ onServer: 2 });
      await waitFor(() => expect(line()).toMatch(/2 decisions and 0 signatures/));
      expect(screen.getByTestId('held').textContent).toBe('2 decisions here');
      const [stream] = FakeEventSource.open();
      expect(stream?.url).toBe(`/api/projects/${PROJECT}/events`);
      stream?.opened();

      // another kind of change: nothing to read
      stream?.send(JSON.stringify({ kind: 'workflows', at: 1 }));
      // the reviewer decides her last record and signs in her own browser
      serverHolds(3);
      stream?.send(JSON.stringify({ kind: 'decisions', at: 2 }));
      stream?.send(JSON.stringify({ kind: 'signatures', at: 3 }));
      await waitFor(() => expect(screen.getByTestId('held').textContent).toBe('3 decisions here'));
      await waitFor(() => expect(line()).toMatch(/3 decisions and 1 signature/));
      // one burst, one read
      expect(reads()).toBe(2);
      expect(rendered.project().reviews?.[0]?.serverSignatures).toHaveLength(1);

      rendered.unmount();
      expect(stream?.closed).toBe(true);
    });
  });
});
