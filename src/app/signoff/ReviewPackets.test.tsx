import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { packetScenario, serializePacketFile } from '../../core/signoff/exports/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Decision } from '../../formats/review.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import type { TeamClient } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import { LeadPacketTools } from './ReviewPackets.tsx';
import { withTeamProjectOfReview } from './serverReviews.ts';
import { renderWithProject } from './testing/reviewHarness.tsx';

describe('merging packet results into a review sent to a team project', () => {
  it('sends the merged decisions to the server; a refusal is said, the merge stays, and sending again works', async () => {
    const { plan, lead, results, shown } = packetScenario();
    const project: Project = {
      ...fixtureProject('lead', 'Northside go-live'),
      samplePlans: [plan],
      reviews: [lead],
    };
    project.meta = { ...project.meta, settings: withTeamProjectOfReview({}, lead.id, 'team-1') };
    let refuse = true;
    const team = fakeTeamServer({
      'POST https://team.test/api/projects/team-1/reviews/lead-review/packet-decisions': (body) => {
        if (refuse) return [409, { error: 'decision 1 of 3 (remote-d1): a test refusal' }];
        const { decisions } = body as { decisions: Decision[] };
        return [
          201,
          {
            decisions: decisions.map((decision, i) => ({
              seq: i + 1,
              recordId: i + 1,
              receivedAt: '2025-03-03T09:00:00.000Z',
              decision,
              fromPacket: true,
            })),
          },
        ];
      },
    });
    /** what was sent to the server, in order */
    const sent = () =>
      team.calls.map(({ path, body }) => ({
        path,
        decisions: (body as { decisions: Decision[] }).decisions,
      }));
    const client = {
      session: { base: 'https://team.test', csrfToken: 't', fetchImpl: team.fetchImpl },
    } as unknown as TeamClient;
    const rendered = renderWithProject(project, (p, actions) => (
      <TeamServerContext.Provider
        value={{ phase: 'signed-in', user: { name: 'Lena Lead' } as never, client, ended: false }}
      >
        <LeadPacketTools
          plan={plan}
          review={p.reviews?.[0] ?? lead}
          shownRecords={() => shown}
          actions={actions}
          project={p}
        />
      </TeamServerContext.Provider>
    ));
    const user = userEvent.setup();
    const file = new File([serializePacketFile(results)], 'results.json', { type: 'application/json' });
    await user.upload(screen.getByLabelText('Results file from a clinician'), file);

    const refused = await screen.findByText(/the team server did not record them/);
    expect(refused.textContent).toMatch(
      /did not record them\. Decision 1 of 3 \(remote-d1\): a test refusal\. Nothing was lost/,
    );
    const merged = rendered.project().reviews?.[0]?.decisions ?? [];
    expect(merged, 'the merge stays').toHaveLength(3);
    expect(sent()).toEqual([
      {
        path: 'https://team.test/api/projects/team-1/reviews/lead-review/packet-decisions',
        decisions: merged,
      },
    ]);

    refuse = false;
    await user.click(screen.getByRole('button', { name: 'Send merged decisions to the team server' }));
    await waitFor(() =>
      expect(screen.getByText(/The team server recorded the 3 merged decisions in its order/)).toBeTruthy(),
    );
    expect(sent()[1]?.decisions, 'sent again exactly as the review holds them').toEqual(merged);
    expect(merged.every((d) => d.imported?.mergedAt !== undefined)).toBe(true);
  });
});
