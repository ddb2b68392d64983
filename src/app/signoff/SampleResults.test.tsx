/**
 * The team project page's "Sample result" for the data lead, with the team server stood in for by
 * the panel's own dependency (results computed by the core from a locked fixture review, as the
 * server computes them): the result in clinic words, approval offered only when it stands as one
 * and signed over exactly its fingerprint, the manifestation after signing, a refusal said and the
 * result read again, and a fresh sign-in asked for when the server wants one.
 * The server's side is proved in src/server/sampleResults.test.ts.
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APPROVAL_MEANING,
  lockedReview,
  RESULT_CONFIRMED_MEANING,
  type ServedSampleResult,
  sampleResult,
  sampleResultFingerprint,
} from '../../core/signoff/signing/index.ts';
import type { Decision } from '../../formats/review.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import { SampleResults, type SampleResultsApi } from './SampleResults.tsx';
import type { ServerSigningOutcome, TeamSession } from './serverSigning.ts';

afterEach(cleanup);

function served(id: string, decisions: Decision[]): ServedSampleResult {
  const { plan, review } = lockedReview(decisions);
  const result = sampleResult({ ...review, id }, plan);
  return { review: id, result, fingerprint: sampleResultFingerprint(result) };
}
const ALL = ['MRN-1', 'MRN-2', 'MRN-3'].map((k, i) => fixtureDecision(`d${i}`, k));

/** A JSON answer, as the team server gives one. */
const json = (value: unknown) =>
  new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } });

/**
 * A stand-in server answering the results route with `answers` in turn (read through the page's
 * session) and `sign` for signing; records what was signed.
 */
function stub(answers: ServedSampleResult[][], sign: (asked: unknown) => Promise<ServerSigningOutcome>) {
  const signed: unknown[] = [];
  let reads = 0;
  const session: TeamSession = {
    base: '',
    csrfToken: 't',
    fetchImpl: async (input) => {
      if (String(input) !== '/api/projects/p1/sample-results') return new Response('', { status: 404 });
      return json({ results: answers[Math.min(reads++, answers.length - 1)] });
    },
  };
  const api: SampleResultsApi = {
    sign: async (_session, _project, asked) => {
      signed.push(asked);
      return sign(asked);
    },
  };
  return { api, session, signed, reads: () => reads };
}

const SIGNED = (hash: string): ServerSigningOutcome => ({
  signed: {
    seq: 40,
    projectSeq: 12,
    entryHash: 'e'.repeat(64),
    signedAt: '2026-11-26T07:10:00.000Z',
    signer: { issuer: 'https://id.clinic.test', subject: 'dora', name: 'Dora Data' },
    role: 'data',
    meaning: APPROVAL_MEANING,
    hash,
    kind: 'approval',
    review: 'rv-1',
  },
});

describe('Sample result on the team project page', () => {
  it('words the result and signs exactly its fingerprint, then shows the manifestation', async () => {
    // the page she signs from: a fresh sign-in, when the server asks for one, comes back to it
    window.location.hash = '#/team/p1';
    const passing = served('rv-1', ALL);
    const { api, session, signed } = stub([[passing]], async (asked) =>
      SIGNED((asked as { hash: string }).hash),
    );
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await screen.findByText('Passes the plan’s target.');
    expect(screen.getByText('3 records drawn: 3 accepted, 0 rejected.')).toBeTruthy();
    expect(
      screen.getByText(
        'The plan’s target: at most 2% of records with an error, and at most 5% with a minor error, shown with 95% confidence.',
      ),
    ).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/MRN-/);
    await userEvent.click(screen.getByRole('button', { name: 'Approve this sample’s result' }));
    await waitFor(() =>
      expect(screen.getByTestId('sample-result-status').textContent).toBe(
        `Signed by Dora Data on 2026-11-26 at 07:10 (UTC): “${APPROVAL_MEANING}” (sample rv-1, entry 12 of the project’s log). The lead’s sign-off report carries this signature: her Sign-off follows the team server’s record.`,
      ),
    );
    expect(signed).toEqual([
      {
        hash: 'fingerprint' in passing ? passing.fingerprint : '',
        kind: 'approval',
        review: 'rv-1',
        returnTo: '#/team/p1',
      },
    ]);
  });

  it('offers no approval while records wait, and says why in clinic words', async () => {
    const { api, session } = stub([[served('rv-1', ALL.slice(0, 1))]], async () => {
      throw new Error('not asked');
    });
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await screen.findByText(
      'It cannot be approved yet: 2 records of this sample have no decision yet: a result is approved once every record is decided.',
    );
    expect(screen.queryByRole('button', { name: 'Approve this sample’s result' })).toBeNull();
    expect(screen.getByText('3 records drawn: 1 accepted, 0 rejected, 2 not yet decided.')).toBeTruthy();
  });

  it('says the server’s refusal and shows the result as it is now', async () => {
    const before = served('rv-1', ALL);
    const changed = served('rv-1', [...ALL.slice(0, 2), fixtureDecision('d2', 'MRN-3', 'reject')]);
    const { api, session, reads } = stub([[before], [changed]], async () => {
      throw new Error(
        'the sample’s result changed since you looked (a decision came in): nothing was signed; look at the result again, then sign',
      );
    });
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Approve this sample’s result' }));
    await screen.findByText(/^Does not pass the plan’s target: /);
    expect(screen.getByTestId('sample-result-status').textContent).toMatch(
      /^Not signed: the sample’s result changed since you looked/,
    );
    expect(reads()).toBe(2);
  });

  it('sends her to sign in again when the server asks, and says that nothing was signed', async () => {
    const { api, session } = stub([[served('rv-1', ALL)]], async () => ({
      signInAgain: '/api/login?fresh=1',
      message: 'Signing starts with signing in again. Nothing was signed yet: sign in, then sign.',
    }));
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Approve this sample’s result' }));
    expect(
      (await screen.findByRole('link', { name: 'Sign in again, then approve' })).getAttribute('href'),
    ).toBe('/api/login?fresh=1');
    expect(screen.getByTestId('sample-result-status').textContent).toMatch(/Nothing was signed yet/);
  });

  it('says when a sample has no result yet because its plan was not sent', async () => {
    const { api, session } = stub(
      [[{ review: 'rv-old', planMissing: 'the lead sends its locked plan' }]],
      async () => {
        throw new Error('not asked');
      },
    );
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await screen.findByText('No result yet: the lead sends its locked plan.');
  });

  it('names each sample by when the lead sent it, and words its errors by class', async () => {
    const sent = { ...served('rv-7f3a9c', ALL), sentAt: '2026-11-26T07:05:00.000Z' };
    const { api, session } = stub(
      [
        [
          sent,
          {
            review: 'rv-old',
            sentAt: '2026-11-20T15:30:00.000Z',
            planMissing: 'the lead sends its locked plan',
          },
        ],
      ],
      async () => {
        throw new Error('not asked');
      },
    );
    render(<SampleResults session={session} projectId="p1" api={api} />);
    expect((await screen.findAllByRole('heading', { level: 4 })).map((h) => h.textContent)).toEqual([
      'Sample sent 2026-11-26 at 07:05 (UTC)',
      'Sample sent 2026-11-20 at 15:30 (UTC)',
    ]);
    expect(document.body.textContent).not.toContain('rv-');
    expect(screen.getByText('Records with an error: 0 critical, 0 major, 0 minor.')).toBeTruthy();
  });

  it('says a failing verdict can change while records are in review', async () => {
    const { api, session } = stub(
      [[served('rv-1', [fixtureDecision('d0', 'MRN-1', 'reject')])]],
      async () => {
        throw new Error('not asked');
      },
    );
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await screen.findByText(
      /^Does not pass the plan’s target as the decisions now stand, while records are still in review: /,
    );
    expect(screen.getByText('Records with an error: 0 critical, 1 major, 0 minor.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
  });

  it('offers a failing result for confirmation as shown, never approval, and signs that', async () => {
    window.location.hash = '#/team/p1';
    const failing = {
      ...served('rv-1', [...ALL.slice(0, 2), fixtureDecision('d2', 'MRN-3', 'reject')]),
      sentAt: '2026-11-26T07:05:00.000Z',
    };
    const { api, session, signed } = stub(
      [[failing]],
      async (asked) =>
        ({
          signed: {
            ...(SIGNED((asked as { hash: string }).hash) as { signed: object }).signed,
            meaning: RESULT_CONFIRMED_MEANING,
            kind: 'confirmation',
          },
        }) as ServerSigningOutcome,
    );
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await screen.findByText(/^Does not pass the plan’s target: /);
    expect(screen.queryByRole('button', { name: 'Approve this sample’s result' })).toBeNull();
    expect(document.body.textContent).toContain(
      `It cannot be approved: it does not pass the plan’s target. You can sign that you confirm the result as shown; your signature means, word for word: ${RESULT_CONFIRMED_MEANING}`,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Confirm this sample’s result as shown' }));
    await waitFor(() =>
      expect(screen.getByTestId('sample-result-status').textContent).toBe(
        `Signed by Dora Data on 2026-11-26 at 07:10 (UTC): “${RESULT_CONFIRMED_MEANING}” (sample sent 2026-11-26 at 07:05 (UTC), entry 12 of the project’s log). The lead’s sign-off report carries this signature: her Sign-off follows the team server’s record.`,
      ),
    );
    expect(signed).toEqual([
      {
        hash: 'fingerprint' in failing ? failing.fingerprint : '',
        kind: 'confirmation',
        review: 'rv-1',
        returnTo: '#/team/p1',
      },
    ]);
  });

  it('asks for a fresh sign-in before confirming, in those words', async () => {
    const failing = served('rv-1', [...ALL.slice(0, 2), fixtureDecision('d2', 'MRN-3', 'reject')]);
    const { api, session } = stub([[failing]], async () => ({
      signInAgain: '/api/login?fresh=1',
      message: 'Signing starts with signing in again. Nothing was signed yet: sign in, then sign.',
    }));
    render(<SampleResults session={session} projectId="p1" api={api} />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Confirm this sample’s result as shown' }),
    );
    expect(await screen.findByRole('link', { name: 'Sign in again, then confirm' })).toBeTruthy();
  });

  it('never shows an older answer that arrives after a newer one', async () => {
    const first = served('rv-1', ALL.slice(0, 1));
    const older = served('rv-1', ALL.slice(0, 2));
    const newer = served('rv-1', ALL);
    // each read waits at its own gate, opened by the test in the order it chooses
    const gates: ((answer: Response) => void)[] = [];
    const session: TeamSession = {
      base: '',
      csrfToken: 't',
      fetchImpl: () => new Promise<Response>((resolve) => gates.push(resolve)),
    };
    render(<SampleResults session={session} projectId="p1" api={{ sign: async () => SIGNED('x') }} />);
    await waitFor(() => expect(gates).toHaveLength(1));
    gates[0]?.(json({ results: [first] }));
    await screen.findByText('3 records drawn: 1 accepted, 0 rejected, 2 not yet decided.');
    // she asks twice; the second read is answered first
    const again = screen.getByRole('button', { name: 'Show the results again' });
    await userEvent.click(again);
    await waitFor(() => expect(gates).toHaveLength(2));
    await userEvent.click(again);
    await waitFor(() => expect(gates).toHaveLength(3));
    gates[2]?.(json({ results: [newer] }));
    await screen.findByText('Passes the plan’s target.');
    // the first of the two, older, arrives last: it is read through and must not be shown
    let bodyRead: () => void = () => undefined;
    const olderRead = new Promise<void>((resolve) => {
      bodyRead = resolve;
    });
    const body = JSON.stringify({ results: [older] });
    gates[1]?.({
      ok: true,
      status: 200,
      text: async () => {
        bodyRead();
        return body;
      },
    } as unknown as Response);
    await act(async () => {
      await olderRead;
      // the turns of the microtask queue an answer takes from its body to the screen
      for (let turn = 0; turn < 50; turn++) await Promise.resolve();
    });
    expect(screen.getByText('Passes the plan’s target.')).toBeTruthy();
    expect(screen.queryByText('3 records drawn: 2 accepted, 0 rejected, 1 not yet decided.')).toBeNull();
  });
});
