/**
 * The data file chosen for a sample is chosen once in a page session: drawn from (or opened for
 * the review before), "Send to reviewers" reads the records from it without asking again — its
 * fingerprint checked as a chosen file's is — and says which file it sends from. The workers are
 * stood in for (the hook's `reader`): what they compute is proved where they are.
 */
import { act, render, renderHook, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { lockedReview } from '../../core/signoff/signing/index.ts';
import { TeamClient } from '../team/teamClient.ts';
import { TeamServerContext } from '../team/teamContext.ts';
import { fakeTeamServer } from '../team/testing/fakeTeamServer.ts';
import { SendToReviewers } from './SendToReviewers.tsx';
import { forgetSampleFiles, rememberSampleFiles } from './sampleFiles.ts';
import { useReviewNavigation } from './useReviewNavigation.ts';
import { useShownRecords } from './useShownRecords.ts';

/** The workers' answers: the file's fingerprint as it is now, and the sampled rows' cells. */
const fingerprint = { sha256: 'c'.repeat(64) };
const reader = {
  hashFile: async () => ({ sha256: fingerprint.sha256 }),
  readRows: async (_file: File, rows: number[]) => ({
    header: ['mrn', 'dob'],
    rows: new Map(rows.map((row) => [row, [`MRN-${row}`, `1970-01-0${row}`]])),
  }),
};

afterEach(() => {
  forgetSampleFiles();
  fingerprint.sha256 = 'c'.repeat(64);
});

const { plan, review } = lockedReview([]);

function shown() {
  return renderHook(() => {
    const nav = useReviewNavigation(review, plan);
    return useShownRecords({
      review,
      records: nav.records,
      entry: nav.entry,
      mapping: undefined,
      packet: undefined,
      reader,
    });
  });
}

describe('the data file of a sample, in one page session', () => {
  it('sends the records from the file the sample was drawn from, without asking for it again', async () => {
    rememberSampleFiles(review.sample.inputs, [new File(['x'], 'patients.csv')]);
    const { result } = shown();
    expect(result.current.sendsFrom).toEqual(['patients.csv']);
    let sent = null as Awaited<ReturnType<typeof result.current.shownToSend>>;
    await act(async () => {
      sent = await result.current.shownToSend();
    });
    expect(sent).toMatchObject({ files: ['patients.csv'] });
    expect(sent?.shown).toHaveLength(3);
    // and the review shows them from it too, saying it was chosen earlier
    expect(result.current.source).toEqual({ files: ['patients.csv'], remembered: true });
  });

  it('has nothing to send when no file was chosen, and checks a remembered file’s fingerprint again', async () => {
    const none = shown();
    expect(none.result.current.sendsFrom).toBeUndefined();
    await expect(none.result.current.shownToSend()).resolves.toBeNull();
    none.unmount();
    rememberSampleFiles(review.sample.inputs, [new File(['x'], 'patients.csv')]);
    // the file changed on disk since it was chosen
    fingerprint.sha256 = 'd'.repeat(64);
    const { result } = shown();
    let sent: unknown = 'not yet';
    await act(async () => {
      sent = await result.current.shownToSend();
    });
    expect(sent).toBeNull();
    expect(result.current.fileStatus).toMatch(/fingerprint differs/);
  });

  it('"Send to reviewers" says which file it sends the records from', async () => {
    const team = fakeTeamServer({ 'GET /api/projects': [200, { projects: [] }] });
    const client = new TeamClient('csrf', () => undefined, team.fetchImpl);
    const user = { issuer: 'https://idp.example', subject: 'sub-lead', name: 'Sam Okafor', email: null };
    const view = (shownFrom?: string[]) => (
      <TeamServerContext.Provider value={{ phase: 'signed-in', user, client, ended: false }}>
        <SendToReviewers
          review={review}
          plan={plan}
          shownRecords={async () => null}
          {...(shownFrom ? { shownFrom } : {})}
          settings={{}}
          actions={{
            commit: async () => undefined,
            newId: () => 'x',
            now: () => '',
            auditLog: async () => [],
            projectId: 'p',
          }}
        />
      </TeamServerContext.Provider>
    );
    const rendered = render(view(['patients.csv']));
    expect(screen.getByTestId('send-source').textContent).toBe(
      'The records are read from patients.csv, the data file chosen for this sample.',
    );
    rendered.rerender(view());
    expect(screen.getByTestId('send-source').textContent).toMatch(/^Open the data file above first/);
  });
});
