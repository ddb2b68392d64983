/**
 * "Export the sign-off (JSON)" of a review sent to a team project, signed in to its server: the
 * server records the export first (its `signoff-exported` entry, from a team server in memory) and
 * the file carries that record, so the file is checked against the server later — by the app and by
 * `preflight signoff verify --server`.
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifySignoffJson } from '../../core/signoff/exports/index.ts';
import {
  exportRecord,
  logSigner,
  PROJECT,
  SCENE_LOG,
  serverKnows,
  serverSignedScene,
  signoffExportRecordOf,
} from '../../core/signoff/signing/index.ts';
import type { Project } from '../../formats/project.ts';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import { captureDownloads } from '../common/testing/downloads.ts';
import { TeamClient } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import type { ReviewActions } from './reviewActions.ts';
import { SignoffExports } from './SignoffExports.tsx';
import { withTeamProjectOfReview } from './serverReviews.ts';

const ME = { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor', email: null };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SignoffExports on the team server', () => {
  it('has the server record the export, and the file carries that record and the head proving it', async () => {
    const user = userEvent.setup();
    const downloads = captureDownloads();
    const { plan, review, entries } = await serverSignedScene();
    const base = fixtureProject();
    const project: Project = {
      ...base,
      meta: { ...base.meta, settings: withTeamProjectOfReview(base.meta.settings, review.id, PROJECT) },
      samplePlans: [plan],
      reviews: [review],
    };
    const record = exportRecord(review, entries);
    const tree = await (await logSigner())([...SCENE_LOG, record.hash], [14, 12, 9]);
    const team = fakeTeamServer({
      [`POST /api/projects/${PROJECT}/reviews/${review.id}/exports`]: [200, { record, ...tree }],
    });
    const client = new TeamClient('csrf', () => undefined, team.fetchImpl);
    const actions: ReviewActions = {
      commit: async () => undefined,
      newId: () => 'id-1',
      now: () => '2025-03-02T18:00:00Z',
      auditLog: async () => entries,
      projectId: project.meta.id,
    };
    render(
      <TeamServerContext.Provider value={{ phase: 'signed-in', user: ME, client, ended: false }}>
        <SignoffExports review={review} plan={plan} project={project} actions={actions} />
      </TeamServerContext.Provider>,
    );
    // the FHIR sending part reads the audit trail as it opens: let it settle first
    await waitFor(() => expect(screen.queryByText('Reading the audit trail of the sign-off…')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Export the sign-off (JSON)' }));
    await waitFor(() =>
      expect(screen.getByTestId('export-status').textContent).toBe(
        'The sign-off file (JSON) is saved to your downloads.',
      ),
    );
    // what the server was asked to record: the chain and the signatures the file holds
    const posted = team.calls.filter((c) => c.method === 'POST').map(({ path, body }) => ({ path, body }));
    expect(posted).toEqual([
      {
        path: `/api/projects/${PROJECT}/reviews/${review.id}/exports`,
        body: JSON.parse(JSON.stringify(signoffExportRecordOf(review, entries))),
      },
    ]);
    const [name, blob] = [...downloads.entries()][0] ?? [];
    expect(name).toMatch(/^signoff-.*\.json$/);
    const file = JSON.parse(await (blob as Blob).text()) as Record<string, unknown>;
    expect(file.serverRecords).toEqual([record]);
    expect(file.treeHeads).toEqual([tree]);
    // and the file is the server's as the anchor answers
    const server = serverKnows([
      { hash: record.hash, projectSeq: 14 },
      { hash: String(9).padStart(64, 'e'), projectSeq: 9 },
      { hash: String(12).padStart(64, 'e'), projectSeq: 12 },
    ]);
    const checked = await verifySignoffJson(String(name), file, { server: async (h) => server(h) });
    expect(checked).toMatchObject({ status: 'verified' });
    expect(JSON.stringify(checked)).not.toContain('no signed tree head');
  });
});
