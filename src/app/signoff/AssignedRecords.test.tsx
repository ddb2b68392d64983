import 'fake-indexeddb/auto';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ShownRecord, shownHash } from '../../core/signoff/review/index.ts';
import {
  SIGNING_MEANINGS,
  scopedDecisionsHash,
  signatureManifest,
} from '../../core/signoff/signing/index.ts';
import { validateReview } from '../../formats/generated/validators.js';
import type { Decision } from '../../formats/review.ts';
import { FIXTURE_PLAN_HASH, fixtureDecision, fixtureReview } from '../../formats/testing/fixtures.ts';
import { deleteDecisionOutbox } from '../../storage/testing/decisionOutbox.ts';
import { COALESCE_MS } from '../team/teamChanges.ts';
import { FakeEventSource } from '../team/testing/fakeEventSource.ts';
import { AssignedRecords } from './AssignedRecords.tsx';
import { SAY_WHY_REJECTED } from './draftDecision.ts';
import type { TeamSession } from './serverSigning.ts';
import { standInWebAuthnAuthentication } from './testing/webAuthnStandIn.ts';

standInWebAuthnAuthentication();

/**
 * A reviewer's assigned records against a team server in memory that answers the API's shapes and,
 * as the real one does, records a decision only when it is a valid Preflight decision (the
 * format's schema). The job title field is optional: a decision made with it empty is recorded,
 * never silently dropped. The adjudicator signs her own meaning over her adjudications. The real
 * server's own rules are proved in src/server.
 */

const SHOWN: ShownRecord = {
  planHash: FIXTURE_PLAN_HASH,
  stratum: 'patients',
  recordKey: 'MRN-1',
  source: { file: 'patients.csv', row: 1, header: ['mrn', 'family'], cells: ['MRN-1', 'Family1'] },
  mapping: { id: 'm1', version: 1 },
  target: { identifier: 'MRN-1', family: 'Family1' },
  alignment: [
    { target: 'identifier', columns: ['mrn'], value: 'MRN-1' },
    { target: 'family', columns: ['family'], value: 'Family1' },
  ],
};

const SHOWN_2: ShownRecord = {
  ...SHOWN,
  recordKey: 'MRN-2',
  source: { ...SHOWN.source, row: 2, cells: ['MRN-2', 'Family1'] },
};

/** Rita's first review of MRN-1, made in her offline packet and recorded by the lead. */
const PACKET_DECISION: Decision = {
  ...fixtureDecision('packet-1'),
  stage: 'first',
  reviewer: { name: 'Rita Reviewer', role: 'Physician', id: 'member-rita' },
  imported: {
    packetSha256: 'a'.repeat(64),
    chainHead: 'c'.repeat(64),
    entry: 4,
    entryHash: 'd'.repeat(64),
    mergedAt: '2026-03-02T10:00:00+01:00',
    mergedBy: 'DL-1',
  },
};

/**
 * The server in memory: the decisions it recorded, and a session whose fetch reaches it. With
 * `packet`, the reviewer holds two records and the lead recorded her packet's decision on the first;
 * with `two`, she holds the same two records with neither decided.
 */
function fakeServer(pass: 'first' | 'adjudication' = 'first', packet = false, two = false) {
  const both = packet || two;
  // decisions posted while `holding` wait for `release` (the network's latency, as the test says)
  let holding = false;
  const held: (() => void)[] = [];
  let refusal: string | undefined;
  const recorded: Decision[] = [];
  const asked: string[] = [];
  // the id each decision's request gave its change, as the page sent it
  const changes: (string | null)[] = [];
  const signed: { hash: string; kind: string; review?: string }[] = [];
  const base = '/api/projects/p1/reviews';
  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchImpl = async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    asked.push(`${method} ${input}`);
    if (method === 'GET' && input === base)
      return answer(200, {
        reviews: [
          {
            id: 'rv-app',
            planHash: FIXTURE_PLAN_HASH,
            dualReview: true,
            assignedAt: '2026-03-02T09:00:00Z',
            assignedToMe: both ? 2 : 1,
          },
        ],
      });
    if (method === 'GET' && input === `${base}/rv-app/assigned`)
      return answer(200, {
        review: 'rv-app',
        planHash: FIXTURE_PLAN_HASH,
        dualReview: true,
        memberId: pass === 'first' ? 'member-rita' : 'member-ada',
        records: [
          {
            id: 1,
            stratum: 'patients',
            recordKey: 'MRN-1',
            pass,
            sent: true,
            decided: false,
            ...(packet
              ? {
                  decidedInPacket: {
                    recordedBy: 'Lena Lead',
                    recordedAt: '2026-03-02T12:00:00Z',
                    outcome: 'accept',
                  },
                }
              : {}),
          },
          ...(both
            ? [{ id: 2, stratum: 'patients', recordKey: 'MRN-2', pass, sent: true, decided: false }]
            : []),
        ],
      });
    if (method === 'GET' && input === `${base}/rv-app/records/2`)
      return answer(200, {
        record: { id: 2, stratum: 'patients', recordKey: 'MRN-2', pass },
        shown: SHOWN_2,
        shownSha256: shownHash(SHOWN_2),
        ...(pass === 'adjudication'
          ? {
              adjudication: {
                first: { ...fixtureDecision('d3', 'MRN-2'), stage: 'first' },
                second: { ...fixtureDecision('d4', 'MRN-2', 'reject'), stage: 'second' },
                shownSha256: 'e'.repeat(64),
              },
            }
          : {}),
      });
    if (method === 'GET' && input === `${base}/rv-app/records/1`)
      return answer(200, {
        record: { id: 1, stratum: 'patients', recordKey: 'MRN-1', pass },
        shown: SHOWN,
        shownSha256: shownHash(SHOWN),
        ...(pass === 'adjudication'
          ? {
              adjudication: {
                first: { ...fixtureDecision('d1'), stage: 'first' },
                second: { ...fixtureDecision('d2', 'MRN-1', 'reject'), stage: 'second' },
                shownSha256: 'e'.repeat(64),
              },
            }
          : {}),
      });
    if (method === 'POST' && input === '/api/projects/p1/signatures/options')
      return answer(200, { ceremony: 'assertion', options: { challenge: 'c', allowCredentials: [] } });
    if (method === 'POST' && input === '/api/projects/p1/signatures') {
      const body = JSON.parse(String(init.body)) as { hash: string; kind: 'adjudication'; review?: string };
      signed.push({ hash: body.hash, kind: body.kind, ...(body.review ? { review: body.review } : {}) });
      return answer(201, {
        signature: {
          seq: 1,
          projectSeq: 9,
          entryHash: 'f'.repeat(64),
          signedAt: '2026-03-02T09:10:00Z',
          signer: { issuer: 'https://idp.test', subject: 'ada', name: 'Ada Adjudicator' },
          role: 'reviewer',
          meaning: SIGNING_MEANINGS[body.kind],
          hash: body.hash,
        },
      });
    }
    if (input === `${base}/rv-app/decisions`) {
      if (method === 'GET')
        return answer(200, {
          decisions: [
            ...(packet
              ? [
                  {
                    seq: 0,
                    recordId: 1,
                    receivedAt: '2026-03-02T12:00:00Z',
                    decision: PACKET_DECISION,
                    fromPacket: true,
                  },
                ]
              : []),
            ...recorded.map((decision, i) => ({
              seq: i + 1,
              recordId: 1,
              receivedAt: '2026-03-02T09:05:00Z',
              decision,
            })),
          ],
        });
      const { decisions } = JSON.parse(String(init.body)) as { decisions: Decision[] };
      changes.push(new Headers(init.headers).get('x-preflight-change'));
      const asFile = { ...fixtureReview('rv-app'), dualReview: true, decisions };
      if (!validateReview(asFile))
        return answer(400, {
          error: 'decision 1 of 1: it is not a Preflight decision: send it again from the app',
        });
      if (refusal !== undefined) {
        const error = refusal;
        refusal = undefined;
        return answer(409, { error });
      }
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      // taken by id, as the real server does: one sent again is the entry recorded before
      recorded.push(...decisions.filter((d) => !recorded.some((r) => r.id === d.id)));
      return answer(200, {
        decisions: decisions.map((decision, i) => ({
          seq: recorded.length - decisions.length + i + 1,
          recordId: 1,
          receivedAt: '2026-03-02T09:05:00Z',
          decision,
        })),
      });
    }
    return answer(404, { error: 'not found' });
  };
  const session: TeamSession = { base: '', csrfToken: 'csrf', fetchImpl };
  return {
    recorded,
    signed,
    asked,
    changes,
    session,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const resolve of held.splice(0)) resolve();
    },
    refuseNext: (why: string) => {
      refusal = why;
    },
  };
}

/** What her signature over all of `decisions`, each of her one assigned record to sign, signs. */
function signedHash(decisions: Decision[]): string {
  const manifest = signatureManifest('rv-app', decisions, 1);
  return scopedDecisionsHash('rv-app', manifest.decisionsSha256, manifest);
}

afterEach(async () => {
  cleanup();
  localStorage.clear();
  await deleteDecisionOutbox();
});

async function openFirstRecord(session: TeamSession) {
  const user = userEvent.setup();
  render(<AssignedRecords session={session} projectId="p1" myName="Rita Reviewer" />);
  await user.click(await screen.findByRole('button', { name: /^Review 1 record of the sample/ }));
  await user.click(await screen.findByRole('button', { name: 'Record 1 (patients), first review' }));
  await screen.findByRole('region', { name: 'Record 1, first review' });
  return user;
}

describe('a reviewer’s decision on the team server', () => {
  it('is recorded when Accept is pressed with the job title left empty, under her pass', async () => {
    const { recorded, session } = fakeServer();
    const user = await openFirstRecord(session);
    const title = screen.getByLabelText(/^Your role or job title/) as HTMLInputElement;
    expect(title.value).toBe('');
    expect(title.required).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    await waitFor(() =>
      expect(screen.getByTestId('server-decisions').textContent).toBe(
        'Recorded on the team server (1 decision this visit).',
      ),
    );
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      reviewer: { name: 'Rita Reviewer', role: 'First reviewer', id: 'member-rita' },
      outcome: 'accept',
      stage: 'first',
      shownSha256: shownHash(SHOWN),
    });
    expect(screen.getByRole('button', { name: 'Record 1 (patients), first review — decided' })).toBeTruthy();
  });

  it('carries the job title she typed', async () => {
    const { recorded, session } = fakeServer();
    const user = await openFirstRecord(session);
    await user.type(screen.getByLabelText(/^Your role or job title/), '  Physician ');
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]?.reviewer).toEqual({ name: 'Rita Reviewer', role: 'Physician', id: 'member-rita' });
  });
});

describe('the adjudicator on the team server', () => {
  it('rules by keyboard: R asks why, Enter rejects, her next record opens, A accepts it', async () => {
    const { recorded, session } = fakeServer('adjudication', false, true);
    const user = userEvent.setup();
    render(<AssignedRecords session={session} projectId="p1" myName="Ada Adjudicator" />);
    await user.click(await screen.findByRole('button', { name: /^Review 2 records of the sample/ }));
    await user.click(await screen.findByRole('button', { name: 'Record 1 (patients), adjudication' }));
    const first = await screen.findByRole('region', { name: 'Record 1, adjudication' });
    await waitFor(() => expect(document.activeElement).toBe(first));

    await user.keyboard('r');
    const why = within(first).getByLabelText('Why (needed to reject)');
    expect(document.activeElement).toBe(why);
    expect(within(first).getByTestId('adjudication-said').textContent).toMatch(
      /^Rejecting this record: write why/,
    );
    expect(recorded).toHaveLength(0);
    await user.paste('The legacy record has the wrong date of birth.');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({
      recordKey: 'MRN-1',
      stage: 'adjudication',
      outcome: 'reject',
      comment: 'The legacy record has the wrong date of birth.',
    });

    // the next record to rule on opens with the keyboard on it
    const second = await screen.findByRole('region', { name: 'Record 2, adjudication' });
    await waitFor(() => expect(document.activeElement).toBe(second));
    expect(within(second).getByTestId('adjudication-said').textContent).toMatch(
      /^Saved on this computer: record 1 rejected/,
    );
    await user.keyboard('a');
    await waitFor(() => expect(recorded).toHaveLength(2));
    expect(recorded[1]).toMatchObject({ recordKey: 'MRN-2', stage: 'adjudication', outcome: 'accept' });
    // the server's answer reaches the page after its request is counted: wait for what she is told
    await waitFor(() =>
      expect(within(second).getByTestId('adjudication-said').textContent).toMatch(
        /record 2 accepted; .* No other record sent to you waits for your decision\.$/,
      ),
    );
  });

  it('adjudicates with the job title empty and signs “I adjudicated” over her own adjudication', async () => {
    const { recorded, signed, session } = fakeServer('adjudication');
    const user = userEvent.setup();
    render(<AssignedRecords session={session} projectId="p1" myName="Ada Adjudicator" />);
    await user.click(await screen.findByRole('button', { name: /^Review 1 record of the sample/ }));
    await user.click(await screen.findByRole('button', { name: 'Record 1 (patients), adjudication' }));
    await screen.findByRole('region', { name: 'Record 1, adjudication' });
    expect(screen.getByText(SIGNING_MEANINGS.adjudication, { exact: false })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Accept the record' }));
    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({
      reviewer: { name: 'Ada Adjudicator', role: 'Adjudicator', id: 'member-ada' },
      stage: 'adjudication',
      outcome: 'accept',
    });
    expect(screen.queryByRole('button', { name: 'Sign my review' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Sign my adjudications' }));
    await waitFor(() =>
      expect(screen.getByTestId('review-sign-status').textContent).toMatch(
        /^Signed by Ada Adjudicator on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} \(UTC[^)]*\): “I adjudicated.*”, over your 1 decision, the one record assigned to you decided \(entry 9 of the project’s log\)\.$/,
      ),
    );
    expect(signed).toEqual([
      {
        hash: signedHash(recorded),
        kind: 'adjudication',
        review: 'rv-app',
      },
    ]);
  });
});

describe('what her signatures mean', () => {
  it('shows a lead who also reviewed each meaning she may sign, fixed by role; a reviewer only hers', async () => {
    const { session } = fakeServer();
    const user = userEvent.setup();
    const { unmount } = render(
      <AssignedRecords session={session} projectId="p1" myName="Rita Reviewer" myRole="lead" />,
    );
    await user.click(await screen.findByRole('button', { name: /^Review 1 record of the sample/ }));
    const meanings = await screen.findByRole('list', { name: 'What your signatures mean' });
    expect(meanings.textContent).toContain(SIGNING_MEANINGS.review);
    expect(meanings.textContent).toContain(SIGNING_MEANINGS.approval);
    expect(meanings.textContent).toContain(SIGNING_MEANINGS.confirmation);
    expect(meanings.textContent).toContain('as Lead, you also sign the result');
    expect(meanings.textContent).not.toContain(SIGNING_MEANINGS.adjudication);
    unmount();

    render(<AssignedRecords session={session} projectId="p1" myName="Rita Reviewer" myRole="reviewer" />);
    await user.click(await screen.findByRole('button', { name: /^Review 1 record of the sample/ }));
    const hers = await screen.findByRole('list', { name: 'What your signatures mean' });
    expect(hers.textContent).toContain(SIGNING_MEANINGS.review);
    expect(hers.textContent).not.toContain(SIGNING_MEANINGS.approval);
    expect(hers.textContent).not.toContain(SIGNING_MEANINGS.confirmation);
  });
});

describe('records her offline packet decided', () => {
  it('are shown as decided there, by whom and when, read-only, and left out of her signature', async () => {
    const { recorded, signed, asked, session } = fakeServer('first', true);
    const user = userEvent.setup();
    render(<AssignedRecords session={session} projectId="p1" myName="Rita Reviewer" />);
    await user.click(await screen.findByRole('button', { name: /^Review 2 records of the sample/ }));
    await user.click(
      await screen.findByRole('button', {
        name: 'Record 1 (patients), first review — decided in your offline packet',
      }),
    );
    const shown = await screen.findByRole('region', { name: 'Record 1, first review' });
    // which record this is, said above it, and the list marks it as the one open
    expect(within(shown).getByRole('heading', { level: 4 }).textContent).toBe(
      'Record 1 (patients), first review',
    );
    expect(screen.getByRole('button', { name: /^Record 1 \(patients\)/ }).getAttribute('aria-current')).toBe(
      'true',
    );
    expect(screen.getByTestId('decided-in-packet').textContent).toBe(
      'Decided in your offline packet (accepted), recorded by Lena Lead on 2026-03-02.',
    );
    expect(shown.textContent).toContain('your “Sign my review” does not cover it');
    // read-only: nothing to decide, and the record pair is not fetched (no read to log)
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
    expect(asked).not.toContain('GET /api/projects/p1/reviews/rv-app/records/1');
    expect(screen.getByTestId('packet-decided-note').textContent).toBe(
      '1 of your records was decided in your offline packet and recorded by the lead: your signature here does not cover it.',
    );

    // her own review of the other record is hers to sign; the packet's decision is not in it
    await user.click(screen.getByRole('button', { name: 'Record 2 (patients), first review' }));
    await screen.findByRole('region', { name: 'Record 2, first review' });
    expect(screen.queryByTestId('decided-in-packet')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(recorded).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'Sign my review' }));
    await waitFor(() =>
      expect(screen.getByTestId('review-sign-status').textContent).toMatch(/over your 1 decision/),
    );
    expect(signed).toEqual([{ hash: signedHash(recorded), kind: 'review', review: 'rv-app' }]);
    expect(
      screen.getByRole('button', {
        name: 'Record 1 (patients), first review — decided in your offline packet',
      }),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Record 2 (patients), first review — decided' })).toBeTruthy();
  });
});

/** Her two records, the first opened from the list: the keyboard is on it. */
async function openFirstOfTwo() {
  const server = fakeServer('first', false, true);
  const user = userEvent.setup();
  render(<AssignedRecords session={server.session} projectId="p1" myName="Rita Reviewer" />);
  await user.click(await screen.findByRole('button', { name: /^Review 2 records of the sample/ }));
  await user.click(await screen.findByRole('button', { name: 'Record 1 (patients), first review' }));
  const region = await screen.findByRole('region', { name: 'Record 1, first review' });
  await waitFor(() => expect(document.activeElement).toBe(region));
  return { ...server, user, region };
}

describe('the project’s stream telling of decisions', () => {
  beforeEach(() => {
    FakeEventSource.made = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /**
   * The stream tells of `change`, and the time a burst of events waits for its reload passes;
   * resolves once what it read again is shown.
   */
  const hear = (stream: FakeEventSource, change: object) =>
    act(async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        stream.send(JSON.stringify(change));
        vi.advanceTimersByTime(COALESCE_MS);
      } finally {
        vi.useRealTimers();
      }
    });

  it('reads nothing again at her own decision’s echo, and her records again at another’s', async () => {
    const { asked, changes, recorded, user } = await openFirstOfTwo();
    const reads = () =>
      asked
        .filter((a) => a.startsWith('GET /api/projects/p1/reviews/rv-app/'))
        .filter((a) => !a.includes('/records/')).length;
    const [stream] = FakeEventSource.open();
    if (stream === undefined) throw new Error('the review opened no change stream');
    stream.opened();
    await user.keyboard('a');
    await screen.findByRole('region', { name: 'Record 2, first review' });
    await waitFor(() => expect(recorded).toHaveLength(1));
    const [mine] = changes;
    expect(mine).toMatch(/^[0-9a-f-]{36}$/);
    const before = reads();

    // the server tells her page of her decision, with the id her request gave it
    await hear(stream, { kind: 'decisions', at: 1, change: mine });
    expect(reads()).toBe(before);

    // another reviewer's decision (no id of hers): her records and the decisions are read again
    await hear(stream, { kind: 'decisions', at: 2 });
    expect(reads()).toBe(before + 2);
    // and so is an echo heard a second time, which her page no longer counts as its own
    await hear(stream, { kind: 'decisions', at: 3, change: mine });
    expect(reads()).toBe(before + 4);
  });
});

describe('deciding her records by keyboard, with the packet view’s keys', () => {
  it('A accepts the record in view through the team server and opens the next; P and N move', async () => {
    const { recorded, user, region } = await openFirstOfTwo();
    // the keys are listed above the record and are its description for a screen reader
    const keys = document.getElementById(region.getAttribute('aria-describedby') ?? '');
    expect(keys?.textContent).toMatch(
      /^Keys: A accept · R reject · C cannot assess · N or → next · P or ← previous/,
    );
    expect(within(region).getByRole('button', { name: 'Accept' }).getAttribute('aria-keyshortcuts')).toBe(
      'A',
    );

    await user.keyboard('a');
    const second = await screen.findByRole('region', { name: 'Record 2, first review' });
    await waitFor(() => expect(document.activeElement).toBe(second));
    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({ recordKey: 'MRN-1', outcome: 'accept', stage: 'first' });
    expect(screen.getByRole('button', { name: 'Record 1 (patients), first review — decided' })).toBeTruthy();

    await user.keyboard('p');
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Record 1, first review' })),
    );
    await user.keyboard('n');
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Record 2, first review' })),
    );
    // one key per accepted record: the last one says none is left
    await user.keyboard('a');
    await waitFor(() => expect(recorded).toHaveLength(2));
    expect(recorded[1]).toMatchObject({ recordKey: 'MRN-2', outcome: 'accept' });
    // the server's answer reaches the page after its request is counted: wait for what she is told
    await waitFor(() =>
      expect(screen.getByTestId('save-status').textContent).toMatch(
        /No other record sent to you waits for your decision\.$/,
      ),
    );
  });

  it('R asks why in the comment, where the keys type text, and Enter there rejects', async () => {
    const { recorded, user } = await openFirstOfTwo();
    await user.keyboard('r');
    const comment = screen.getByRole('textbox', { name: /^Comment/ }) as HTMLTextAreaElement;
    expect(document.activeElement).toBe(comment);
    expect(screen.getByTestId('save-status').textContent).toBe(SAY_WHY_REJECTED);
    // every shortcut letter, typed in the comment, is text: nothing decided, no record moved
    await user.keyboard('Cannot read the ward; PAN');
    expect(comment.value).toBe('Cannot read the ward; PAN');
    expect(screen.getByRole('region', { name: 'Record 1, first review' })).toBeTruthy();
    expect(recorded).toHaveLength(0);

    await user.keyboard('{Enter}');
    await screen.findByRole('region', { name: 'Record 2, first review' });
    await waitFor(() => expect(recorded).toHaveLength(1));
    expect(recorded[0]).toMatchObject({
      recordKey: 'MRN-1',
      outcome: 'reject',
      comment: 'Cannot read the ward; PAN',
    });
  });
});

/**
 * Her two records with the decisions held on their way, beside a link out of the page: record 1
 * accepted by key, record 2 open.
 */
async function firstOfTwoDecidedBesideALink() {
  const server = fakeServer('first', false, true);
  server.hold();
  const user = userEvent.setup();
  const view = render(
    <>
      <a href="#/signoff">Sign-off</a>
      <AssignedRecords session={server.session} projectId="p1" myName="Rita Reviewer" />
    </>,
  );
  window.location.hash = '#/team';
  await user.click(await screen.findByRole('button', { name: /^Review 2 records of the sample/ }));
  await user.click(await screen.findByRole('button', { name: 'Record 1 (patients), first review' }));
  (await screen.findByRole('region', { name: 'Record 1, first review' })).focus();
  await user.keyboard('a');
  const second = await screen.findByRole('region', { name: 'Record 2, first review' });
  return { server, user, view, second };
}

describe('decisions not yet on the team server', () => {
  const status = () => screen.getByTestId('server-decisions').textContent;

  it('says which wait, and holds a leave until she says so', async () => {
    const { server, user } = await firstOfTwoDecidedBesideALink();
    await waitFor(() => expect(status()).toBe('1 decision waiting to be sent (record 1).'));

    // leaving inside the app is held and said; staying keeps her here
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload(), 'closing the tab asks first').toBe(true);
    await user.click(screen.getByRole('link', { name: 'Sign-off' }));
    const held = await screen.findByRole('alertdialog', { name: 'Decisions not sent yet' });
    expect(held.textContent).toMatch(/^1 decision is not on the team server yet/);
    expect(window.location.hash).toBe('#/team');
    await user.click(within(held).getByRole('button', { name: 'Stay until they are sent' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();

    server.release();
    await waitFor(() => expect(status()).toBe('Recorded on the team server (1 decision this visit).'));
    expect(server.recorded.map((d) => [d.recordKey, d.outcome])).toEqual([['MRN-1', 'accept']]);
    expect(unload(), 'nothing waits: the tab closes without a question').toBe(false);
    await user.click(screen.getByRole('link', { name: 'Sign-off' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(window.location.hash).toBe('#/signoff');
  });

  it('takes a double press as one decision, not a second one or a change', async () => {
    const server = fakeServer();
    server.hold();
    const user = await openFirstRecord(server.session);
    screen.getByRole('region', { name: 'Record 1, first review' }).focus();
    await user.keyboard('aa');
    await waitFor(() => expect(status()).toBe('1 decision waiting to be sent (record 1).'));
    expect(screen.getByRole('region', { name: 'Record 1, first review' }).textContent).not.toMatch(
      /reason for the change|changed from/i,
    );
    server.release();
    await waitFor(() => expect(status()).toBe('Recorded on the team server (1 decision this visit).'));
    expect(server.recorded.map((d) => [d.recordKey, d.outcome])).toEqual([['MRN-1', 'accept']]);
  });

  it('lets her leave anyway, the decisions kept on this computer and sent when she is back', async () => {
    const { server, user, view, second } = await firstOfTwoDecidedBesideALink();
    second.focus();
    await user.keyboard('a');
    await waitFor(() => expect(status()).toBe('2 decisions waiting to be sent (records 1 and 2).'));
    await user.click(screen.getByRole('link', { name: 'Sign-off' }));
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Leave anyway' }),
    );
    expect(window.location.hash).toBe('#/signoff');
    view.unmount();
    server.release();

    // back: what her closed screen had not sent goes first, once each, in order
    render(<AssignedRecords session={server.session} projectId="p1" myName="Rita Reviewer" />);
    await user.click(await screen.findByRole('button', { name: /^Review 2 records of the sample/ }));
    await waitFor(() => expect(status()).toBe('Recorded on the team server (2 decisions this visit).'));
    expect(server.recorded.map((d) => d.recordKey)).toEqual(['MRN-1', 'MRN-2']);
  });

  it('keeps a refused decision in view, with the server’s words, until she dismisses it', async () => {
    const server = fakeServer('first', false, true);
    server.refuseNext('decision 1 of 1 (record 1): the lead closed adjudication on this review');
    const user = userEvent.setup();
    render(<AssignedRecords session={server.session} projectId="p1" myName="Rita Reviewer" />);
    await user.click(await screen.findByRole('button', { name: /^Review 2 records of the sample/ }));
    await user.click(await screen.findByRole('button', { name: 'Record 1 (patients), first review' }));
    (await screen.findByRole('region', { name: 'Record 1, first review' })).focus();
    await user.keyboard('a');
    const refused = await screen.findByRole('list', { name: 'Decisions the team server refused' });
    expect(refused.textContent).toMatch(
      /^Not recorded by the team server: record 1 \(accepted\): Decision 1 of 1 \(record 1\): the lead closed adjudication on this review/,
    );
    // her next decision is recorded; the refusal stays, also after the screen is opened again
    (await screen.findByRole('region', { name: 'Record 2, first review' })).focus();
    await user.keyboard('a');
    await waitFor(() => expect(status()).toBe('Recorded on the team server (1 decision this visit).'));
    cleanup();
    render(<AssignedRecords session={server.session} projectId="p1" myName="Rita Reviewer" />);
    await user.click(await screen.findByRole('button', { name: /^Review 2 records of the sample/ }));
    const still = await screen.findByRole('list', { name: 'Decisions the team server refused' });
    await user.click(within(still).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() =>
      expect(screen.queryByRole('list', { name: 'Decisions the team server refused' })).toBeNull(),
    );
    expect(server.recorded.map((d) => d.recordKey)).toEqual(['MRN-2']);
  });
});
