import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { type ShownRecord, shownHash } from '../../core/signoff/review/index.ts';
import type { Decision } from '../../formats/review.ts';
import { FIXTURE_PLAN_HASH } from '../../formats/testing/fixtures.ts';
import { deleteDecisionOutbox } from '../../storage/testing/decisionOutbox.ts';
import { forgetTeamReads, pageTeamReads } from '../team/teamQuery.ts';
import { AssignedRecords } from './AssignedRecords.tsx';
import type { TeamSession } from './serverSigning.ts';

/**
 * What one decision draws again in a team reviewer's list of her records: the lines whose words
 * change (the record decided, the record opened next), not every line of her list. A reviewer
 * deciding a review of a hundred records by key paid for the whole list at each key, several
 * times over (its save, its send, the next record opening), on a clinic's slow computer most of
 * all. Each line's renders are counted through its module. And while her next record opens, the
 * one she left keeps its room, so the page neither shrinks nor scrolls away and back at each key,
 * and its region stays in the page, hidden, to be redrawn with the next record rather than built
 * anew (the record's table and form were most of the page's work at each decision).
 * A long review's list draws the lines in sight, so what a key draws does not grow with her records.
 * The screen's own rules are AssignedRecords.test.tsx's.
 */

const drawn = vi.hoisted(() => new Map<number, number>());
vi.mock('./AssignedRecordLine.tsx', async (original) => {
  const real = await original<typeof import('./AssignedRecordLine.tsx')>();
  return {
    ...real,
    AssignedRecordLine: (props: Parameters<typeof real.AssignedRecordLine>[0]) => {
      drawn.set(props.id, (drawn.get(props.id) ?? 0) + 1);
      return real.AssignedRecordLine(props);
    },
  };
});

/** Her records: enough that a list drawn whole at each decision cannot pass for a few lines. */
const RECORDS = 12;

function shown(n: number): ShownRecord {
  return {
    planHash: FIXTURE_PLAN_HASH,
    stratum: 'patients',
    recordKey: `MRN-${n}`,
    source: { file: 'patients.csv', row: n, header: ['mrn', 'family'], cells: [`MRN-${n}`, `Family${n}`] },
    mapping: { id: 'm1', version: 1 },
    target: { identifier: `MRN-${n}`, family: `Family${n}` },
    alignment: [
      { target: 'identifier', columns: ['mrn'], value: `MRN-${n}` },
      { target: 'family', columns: ['family'], value: `Family${n}` },
    ],
  };
}

/** A team server in memory answering her review's reads of `records` records, and recording each decision posted. */
function fakeServer(records = RECORDS): {
  session: TeamSession;
  recorded: Decision[];
  holdReads: () => () => void;
} {
  const recorded: Decision[] = [];
  // a record's read waits while held (a slow network), until let go
  let held: Promise<void> | undefined;
  const base = '/api/projects/p1/reviews';
  const answer = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  const fetchImpl = async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    if (method === 'GET' && input === base)
      return answer({
        reviews: [
          {
            id: 'rv-app',
            planHash: FIXTURE_PLAN_HASH,
            assignedAt: '2026-03-02T09:00:00Z',
            assignedToMe: records,
          },
        ],
      });
    if (method === 'GET' && input === `${base}/rv-app/assigned`)
      return answer({
        review: 'rv-app',
        planHash: FIXTURE_PLAN_HASH,
        memberId: 'member-rita',
        records: Array.from({ length: records }, (_, i) => ({
          id: i + 1,
          stratum: 'patients',
          recordKey: `MRN-${i + 1}`,
          pass: 'first',
          sent: true,
          decided: false,
        })),
      });
    const opened = /\/rv-app\/records\/(\d+)$/.exec(input);
    if (method === 'GET' && opened) {
      await held;
      const n = Number(opened[1]);
      return answer({
        record: { id: n, stratum: 'patients', recordKey: `MRN-${n}`, pass: 'first' },
        shown: shown(n),
        shownSha256: shownHash(shown(n)),
      });
    }
    if (input === `${base}/rv-app/decisions`) {
      if (method === 'GET') return answer({ decisions: [] });
      const { decisions } = JSON.parse(String(init.body)) as { decisions: Decision[] };
      recorded.push(...decisions);
      return answer({
        decisions: decisions.map((decision, i) => ({
          seq: recorded.length - decisions.length + i + 1,
          recordId: 1,
          receivedAt: '2026-03-02T09:05:00Z',
          decision,
        })),
      });
    }
    return new Response(JSON.stringify({ error: 'not found' }), { status: 404 });
  };
  return {
    session: { base: '', csrfToken: 'csrf', fetchImpl },
    recorded,
    holdReads: () => {
      let release: () => void = () => undefined;
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        held = undefined;
        release();
      };
    },
  };
}

afterEach(async () => {
  cleanup();
  await deleteDecisionOutbox();
});

/** Her review open on record 1, which holds the keyboard. */
async function openFirst(session: TeamSession) {
  const user = userEvent.setup();
  render(<AssignedRecords session={session} projectId="p1" myName="Rita Reviewer" />);
  await user.click(
    await screen.findByRole('button', { name: /^Review [\d,\u00a0\u202f ]+ records of the sample/ }),
  );
  await user.click(await screen.findByRole('button', { name: 'Record 1 (patients), first review' }));
  const first = await screen.findByRole('region', { name: 'Record 1, first review' });
  await waitFor(() => expect(document.activeElement).toBe(first));
  return { user, first };
}

it('keeps the room of the record she decided while her next one opens, and no region meanwhile, redrawing the same', async () => {
  const { session, holdReads } = fakeServer();
  const { user, first } = await openFirst(session);
  // jsdom lays nothing out: the record's height as a browser would give it
  Object.defineProperty(first, 'offsetHeight', { value: 640 });
  const letGo = holdReads();
  await user.keyboard('a');
  await waitFor(() => expect(screen.queryByRole('region', { name: /^Record / })).toBeNull());
  // the room is kept: what is below the record does not move up, nor the page scroll away
  const room = document.querySelector<HTMLElement>('.server-review .record-opening');
  expect(room?.style.minHeight).toBe('640px');
  expect(room?.textContent).toBe('');
  letGo();
  const second = await screen.findByRole('region', { name: 'Record 2, first review' });
  await waitFor(() => expect(document.activeElement).toBe(second));
  expect(document.querySelector('.record-opening')).toBeNull();
  // the record's region was hidden meanwhile, not taken down: redrawn in place, not built anew
  expect(second).toBe(first);
});

it('a decision by key draws again the line of the record decided and of the one opened, no other', async () => {
  const { session, recorded } = fakeServer();
  const { user } = await openFirst(session);
  drawn.clear();

  await acceptFirstUntilRecorded(user);
  expect(recorded.map((d) => [d.recordKey, d.outcome])).toEqual([['MRN-1', 'accept']]);
  expect(screen.getByRole('button', { name: 'Record 1 (patients), first review — decided' })).toBeTruthy();
  expect(
    screen.getByRole('button', { name: 'Record 2 (patients), first review' }).getAttribute('aria-current'),
  ).toBe('true');

  // record 1 is decided, then no longer the one in view; record 2 becomes the one in view
  expect([...drawn.keys()].sort((a, b) => a - b)).toEqual([1, 2]);
  expect([...drawn.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
});

/** She accepts the record in view by key; resolves once record 2 has the focus and the server holds the decision. */
async function acceptFirstUntilRecorded(user: ReturnType<typeof userEvent.setup>) {
  await user.keyboard('a');
  const second = await screen.findByRole('region', { name: 'Record 2, first review' });
  await waitFor(() => expect(document.activeElement).toBe(second));
  await waitFor(() =>
    expect(screen.getByTestId('server-decisions').textContent).toBe(
      'Recorded on the team server (1 decision this visit).',
    ),
  );
}

/** Her review of `records` records: the lines drawn from its opening to her first decision's send, and at the decision. */
async function linesDrawn(records: number) {
  const { session } = fakeServer(records);
  drawn.clear();
  const { user } = await openFirst(session);
  const opening = [...drawn.values()].reduce((a, b) => a + b, 0);
  drawn.clear();
  await acceptFirstUntilRecorded(user);
  const atKey = [...drawn.values()].reduce((a, b) => a + b, 0);
  const inPage = screen.getByRole('list', { name: 'Your records' }).querySelectorAll('li').length;
  cleanup();
  await deleteDecisionOutbox();
  // the next review is another server's at the same address: what this one answered is forgotten
  forgetTeamReads(pageTeamReads);
  return { opening, atKey, inPage };
}

it('draws no more lines for a review of 2,000 records than for one of 50, at its opening or at a key', async () => {
  const small = await linesDrawn(50);
  const large = await linesDrawn(2000);
  // a list drawn whole drew all 2,000 lines to open, and held them in the page at each key
  expect(large.opening).toBeLessThanOrEqual(small.opening);
  expect(large.inPage).toBeLessThanOrEqual(small.inPage);
  expect(large.atKey).toBeLessThanOrEqual(Math.max(small.atKey, 4));
});

it('in a long review, keeps the record in view in the page, its place said, wherever her list is scrolled', async () => {
  const { session } = fakeServer(2000);
  const { user } = await openFirst(session);
  const list = screen.getByRole('list', { name: 'Your records' });
  const box = list.parentElement as HTMLElement;
  const lineOf = (n: number) =>
    screen.queryByRole('button', { name: new RegExp(`^Record ${n} \\(patients\\)`) });
  // U opens her next record still to decide; at record 1 that is record 2
  await user.keyboard('u');
  await waitFor(() =>
    expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Record 2, first review' })),
  );
  expect(lineOf(2)?.getAttribute('aria-current')).toBe('true');
  expect(lineOf(2)?.closest('li')?.getAttribute('aria-posinset')).toBe('2');
  expect(lineOf(2)?.closest('li')?.getAttribute('aria-setsize')).toBe('2000');
  expect(lineOf(1500)).toBeNull();

  // she scrolls her list to record 1,500 (jsdom lays nothing out: lines of 32 px, as the list assumes there)
  Object.defineProperty(box, 'scrollTop', { configurable: true, value: 1499 * 32 });
  fireEvent.scroll(box);
  await waitFor(() => expect(lineOf(1500)).toBeTruthy());
  expect(lineOf(1500)?.closest('li')?.getAttribute('aria-posinset')).toBe('1500');
  // the record in view stays in the page, at its place, and L takes her to it
  expect(lineOf(2)?.getAttribute('aria-current')).toBe('true');
  expect(list.querySelectorAll('li').length).toBeLessThan(60);
  await user.keyboard('l');
  expect(document.activeElement).toBe(lineOf(2));

  // a line opened from far down the list becomes the record in view
  await user.click(lineOf(1500) as HTMLElement);
  const far = await screen.findByRole('region', { name: 'Record 1500, first review' });
  await waitFor(() => expect(document.activeElement).toBe(far));
  expect(lineOf(1500)?.getAttribute('aria-current')).toBe('true');
  // the line she left, out of sight, is no longer drawn
  expect(lineOf(2)).toBeNull();
});
