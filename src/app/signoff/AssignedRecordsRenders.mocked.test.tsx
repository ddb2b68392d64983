import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import { type ShownRecord, shownHash } from '../../core/signoff/review/index.ts';
import type { Decision } from '../../formats/review.ts';
import { FIXTURE_PLAN_HASH } from '../../formats/testing/fixtures.ts';
import { deleteDecisionOutbox } from '../../storage/testing/decisionOutbox.ts';
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

/** A team server in memory answering her review's reads, and recording each decision posted. */
function fakeServer(): { session: TeamSession; recorded: Decision[]; holdReads: () => () => void } {
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
            assignedToMe: RECORDS,
          },
        ],
      });
    if (method === 'GET' && input === `${base}/rv-app/assigned`)
      return answer({
        review: 'rv-app',
        planHash: FIXTURE_PLAN_HASH,
        memberId: 'member-rita',
        records: Array.from({ length: RECORDS }, (_, i) => ({
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
  await user.click(await screen.findByRole('button', { name: /^Review 12 records of the sample/ }));
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

  await user.keyboard('a');
  const second = await screen.findByRole('region', { name: 'Record 2, first review' });
  await waitFor(() => expect(document.activeElement).toBe(second));
  await waitFor(() =>
    expect(screen.getByTestId('server-decisions').textContent).toBe(
      'Recorded on the team server (1 decision this visit).',
    ),
  );
  expect(recorded.map((d) => [d.recordKey, d.outcome])).toEqual([['MRN-1', 'accept']]);
  expect(screen.getByRole('button', { name: 'Record 1 (patients), first review — decided' })).toBeTruthy();
  expect(
    screen.getByRole('button', { name: 'Record 2 (patients), first review' }).getAttribute('aria-current'),
  ).toBe('true');

  // record 1 is decided, then no longer the one in view; record 2 becomes the one in view
  expect([...drawn.keys()].sort((a, b) => a - b)).toEqual([1, 2]);
  expect([...drawn.values()].reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4);
});
