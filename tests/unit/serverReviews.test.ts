// @vitest-environment jsdom
/**
 * Review assignments from the app's screens against the real team server (embedded database,
 * src/server/testing): the lead's "Send to reviewers" (a refusal in the server's words, then the
 * records sent and the review linked to its team project), a reviewer's "My assigned records"
 * (opened from the server, each read logged, her decision recorded there; a decision made while
 * the server cannot be reached waits on her computer and goes, in order, when the network is back),
 * the lead's review following the server's record of those decisions on her computer, and the sign panel of a review sent to a team project signing through the server's ceremony
 * (the first signature of a session: a fresh sign-in first). The server's own rules are proved in
 * src/server/reviewAssignments.test.ts. The cases are one story, in order: the sample the lead
 * sends is the one the reviewer decides and the lead's review then holds.
 * Lives under tests/: the app never imports src/server, and this needs both.
 */
import 'fake-indexeddb/auto';
import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createElement as h } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssignedRecords } from '../../src/app/signoff/AssignedRecords.tsx';
import type { ReviewActions } from '../../src/app/signoff/reviewActions.ts';
import { SendToReviewers } from '../../src/app/signoff/SendToReviewers.tsx';
import { ServerRecordLine } from '../../src/app/signoff/ServerRecordLine.tsx';
import { SignPanel } from '../../src/app/signoff/SignPanel.tsx';
import { SERVER_REVIEWS_SETTINGS_KEY, withTeamProjectOfReview } from '../../src/app/signoff/serverReviews.ts';
import type { TeamSession } from '../../src/app/signoff/serverSigning.ts';
import { renderWithProject } from '../../src/app/signoff/testing/reviewHarness.tsx';
import { useServerRecord } from '../../src/app/signoff/useServerRecord.ts';
import { TeamClient } from '../../src/app/team/teamClient.ts';
import { TeamServerContext } from '../../src/app/team/teamContext.ts';
import type { TeamServerState } from '../../src/app/team/useTeamServer.ts';
import { packetScenario } from '../../src/core/signoff/exports/index.ts';
import { type ShownRecord, shownHash } from '../../src/core/signoff/review/index.ts';
import { lockedReview } from '../../src/core/signoff/signing/index.ts';
import type { Project } from '../../src/formats/project.ts';
import type { Review } from '../../src/formats/review.ts';
import { fixtureProject } from '../../src/formats/testing/fixtures.ts';
import { type Database, readAudit } from '../../src/server/index.ts';
import { fileTestEngines } from '../../src/server/testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from '../../src/server/testing/people.ts';
import { createDecisionOutboxStore } from '../../src/storage/decisionOutboxStore.ts';

// jsdom has no layout, so no scrolling: a record opened by the keyboard scrolls into view in a browser
Element.prototype.scrollIntoView ??= () => undefined;

// every wait here is for a real server's answer, on a machine other tests load too: waits end on
// the answer, and give up only after this long
configure({ asyncUtilTimeout: 20_000 });

const PEOPLE = { lena: 'Lena Lead', rita: 'Rita Reviewer', rex: 'Rex Second', ada: 'Ada Adjudicator' };
type Who = keyof typeof PEOPLE;

const testEngines = fileTestEngines();
let db: Database;
let server: ServerWithPeople<Who>;
let project: string;
const member = new Map<Who, string>();
/** false: every request of the people's browsers fails as with no network */
let online = true;

beforeAll(async () => {
  db = await testEngines.running().open('embedded');
  server = await serverWithPeople(db, PEOPLE, Date.now);
  project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
  for (const who of ['rita', 'rex', 'ada'] as const)
    await server.ask('lena', 'POST', `/api/projects/${project}/members`, { subject: who, role: 'reviewer' });
  for (const m of (await server.ask('lena', 'GET', `/api/projects/${project}`)).body.members)
    member.set(m.subject, m.id);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});
afterEach(() => {
  cleanup();
  localStorage.clear();
});

/** `who`'s browser: its fetch sends her session cookie to the test server, or fails while offline. */
function fetchOf(who: Who) {
  return async (input: string, init: RequestInit = {}) => {
    if (!online) throw new TypeError('Failed to fetch');
    return fetch(`${server.base}${input}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), cookie: server.cookieOf(who) },
    });
  };
}
async function csrfOf(who: Who): Promise<string> {
  return (await (await fetchOf(who)('/api/me')).json()).csrfToken;
}
async function sessionOf(who: Who): Promise<TeamSession> {
  return { base: '', csrfToken: await csrfOf(who), fetchImpl: fetchOf(who) };
}
async function signedIn(who: Who): Promise<TeamServerState> {
  return {
    phase: 'signed-in',
    user: { issuer: TEST_ISSUER, subject: who, name: PEOPLE[who], email: `${who}@clinic.test` },
    client: new TeamClient(await csrfOf(who), () => undefined, fetchOf(who)),
    ended: false,
  };
}

const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];
// the sample of a locked plan: the lead sends the plan with it, for the server to judge the result
const { plan: PLAN, review: LOCKED } = lockedReview([]);
const SHOWN: ShownRecord[] = KEYS.map((key, i) => ({
  planHash: LOCKED.plan.hash,
  stratum: 'patients',
  recordKey: key,
  source: { file: 'patients.csv', row: i + 1, header: ['mrn', 'family'], cells: [key, `Family${i + 1}`] },
  mapping: { id: 'm1', version: 1 },
  target: { identifier: key, family: `Family${i + 1}` },
  alignment: [
    { target: 'identifier', columns: ['mrn'], value: key },
    { target: 'family', columns: ['family'], value: `Family${i + 1}` },
  ],
}));
const REVIEW: Review = { ...LOCKED, id: 'rv-app', dualReview: true };

describe('the lead sends the sample to reviewers', () => {
  it('says the server’s refusal, then sends the records and remembers the team project', async () => {
    const user = userEvent.setup();
    const commits: unknown[] = [];
    const actions = {
      commit: async (change: unknown) => {
        commits.push(change);
      },
      newId: () => 'id',
      now: () => '2026-03-02T09:00:00Z',
      auditLog: async () => [],
      projectId: 'local',
    };
    render(
      h(
        TeamServerContext.Provider,
        { value: await signedIn('lena') },
        h(SendToReviewers, {
          review: REVIEW,
          plan: PLAN,
          shownRecords: async () => ({ shown: SHOWN, files: ['patients.csv'] }),
          settings: {},
          actions,
        }),
      ),
    );
    const chooseProject = screen.getByLabelText('Team project');
    await waitFor(() => expect(within(chooseProject).getByRole('option', { name: 'Go-live' })).toBeTruthy());
    await user.selectOptions(chooseProject, project);
    const first = screen.getByLabelText('First reviewer');
    await waitFor(() => expect(within(first).getByRole('option', { name: 'Rita Reviewer' })).toBeTruthy());
    await user.selectOptions(first, member.get('rita') as string);
    await user.selectOptions(screen.getByLabelText(/^Second reviewer/), member.get('rita') as string);
    await user.selectOptions(screen.getByLabelText(/^Adjudicator/), member.get('ada') as string);
    await user.click(screen.getByRole('button', { name: 'Send to reviewers' }));
    await waitFor(() =>
      expect(screen.getByTestId('send-status').textContent).toMatch(
        /^Not sent: Record 1 \(stratum patients\) has the same person as first and second reviewer/,
      ),
    );
    expect(commits).toEqual([]);

    await user.selectOptions(screen.getByLabelText(/^Second reviewer/), member.get('rex') as string);
    await user.click(screen.getByRole('button', { name: 'Send to reviewers' }));
    await waitFor(() =>
      expect(screen.getByTestId('send-status').textContent).toMatch(
        /^Sent 3 records read from patients.csv to the team project “Go-live”, for Rita Reviewer \(first review\), Rex Second \(second review\), Ada Adjudicator \(adjudicator\)/,
      ),
    );
    expect(commits).toEqual([
      { type: 'project/settings', settings: { [SERVER_REVIEWS_SETTINGS_KEY]: { 'rv-app': project } } },
    ]);
    const listed = await server.ask('lena', 'GET', `/api/projects/${project}/reviews`);
    expect(listed.body.reviews).toEqual([expect.objectContaining({ id: 'rv-app', records: 3, sent: 3 })]);
  });
});

describe('a reviewer’s assigned records', () => {
  it('opens her records from the server, logs each read, and sends decisions in order, waiting out the network', async () => {
    const user = userEvent.setup();
    render(
      h(AssignedRecords, { session: await sessionOf('rita'), projectId: project, myName: 'Rita Reviewer' }),
    );
    await user.click(await screen.findByRole('button', { name: /^Review 3 records of the sample/ }));
    await user.type(await screen.findByLabelText(/^Your role or job title/), 'Physician');
    await user.click(screen.getByRole('button', { name: 'Record 1 (patients), first review' }));
    await screen.findByRole('region', { name: 'Record 1, first review' });
    await user.click(screen.getByRole('button', { name: 'Accept' }));
    await waitFor(() =>
      expect(screen.getByTestId('server-decisions').textContent).toBe(
        'Recorded on the team server (1 decision this visit).',
      ),
    );

    expect(screen.getByRole('button', { name: 'Record 1 (patients), first review — decided' })).toBeTruthy();
    // a decision opens her next record to decide by itself
    await screen.findByRole('region', { name: 'Record 2, first review' });
    online = false;
    try {
      await user.click(screen.getByRole('button', { name: 'Accept' }));
      await waitFor(() =>
        expect(screen.getByTestId('server-decisions').textContent).toMatch(
          /^1 decision waits on this computer: the team server cannot be reached/,
        ),
      );
      const stored = createDecisionOutboxStore();
      const kept = await stored.outbox(`${project}/rv-app`).load();
      stored.close();
      expect(
        kept.pending.map((d) => d.recordKey),
        'kept on her computer',
      ).toEqual(['MRN-2']);
    } finally {
      online = true;
    }
    await act(async () => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(() =>
      expect(screen.getByTestId('server-decisions').textContent).toBe(
        'Recorded on the team server (2 decisions this visit).',
      ),
    );
    const stored = createDecisionOutboxStore();
    expect((await stored.outbox(`${project}/rv-app`).load()).pending).toEqual([]);
    stored.close();

    // her signature goes through the server's ceremony: not signed in afresh, so that comes first;
    // she decided 2 of her 3 records, so she states that her signature covers those only
    await user.click(screen.getByRole('button', { name: 'Sign my review' }));
    await user.click(await screen.findByRole('checkbox', { name: /^Sign for the records I decided only/ }));
    await user.click(screen.getByRole('button', { name: 'Sign my review' }));
    expect(
      (await screen.findByRole('link', { name: 'Sign in again, then sign' })).getAttribute('href'),
    ).toMatch(/^\/api\/login\?fresh=1/);

    // each record read once and decided once, in order (the next record opens while the
    // decision before it is on its way, so reads and decisions interleave as the network has it)
    const entries = await readAudit(db, { project });
    const of = (kind: string) =>
      entries.filter((e) => e.kind === kind).map((e) => [e.actor?.subject, e.detail.recordKey]);
    expect(of('sampled-record-read')).toEqual([
      ['rita', 'MRN-1'],
      ['rita', 'MRN-2'],
    ]);
    expect(of('review-decision')).toEqual([
      ['rita', 'MRN-1'],
      ['rita', 'MRN-2'],
    ]);
    const decisions = (await server.ask('lena', 'GET', `/api/projects/${project}/reviews/rv-app/decisions`))
      .body.decisions;
    expect(decisions[0].decision).toMatchObject({
      reviewer: { name: 'Rita Reviewer', role: 'Physician', id: member.get('rita') },
      stage: 'first',
      outcome: 'accept',
      shownSha256: shownHash(SHOWN[0] as ShownRecord),
    });
  });
});

describe('the lead’s review follows the server’s record', () => {
  it('holds the server’s decisions on her computer, in order, once, with no step to take', async () => {
    const user = userEvent.setup();
    const base = fixtureProject();
    const linked: Project = {
      ...base,
      meta: { ...base.meta, settings: withTeamProjectOfReview(base.meta.settings, REVIEW.id, project) },
      reviews: [REVIEW],
    };
    const team = await signedIn('lena');
    const Followed = ({ p, actions }: { p: Project; actions: ReviewActions }) =>
      h(ServerRecordLine, {
        record: useServerRecord({
          review: p.reviews?.[0] as Review,
          plan: PLAN,
          settings: p.meta.settings,
          actions,
        }),
      });
    const { project: current, commits } = renderWithProject(linked, (p, actions) =>
      h(TeamServerContext.Provider, { value: team }, h(Followed, { p, actions })),
    );
    const line = () => screen.getByTestId('server-record').textContent ?? '';
    await waitFor(() =>
      expect(line()).toMatch(
        /^This review is the team server’s record: 2 decisions and 0 signatures made there/,
      ),
    );
    expect(current().reviews?.[0]?.decisions.map((d) => [d.recordKey, d.reviewer.name])).toEqual([
      ['MRN-1', 'Rita Reviewer'],
      ['MRN-2', 'Rita Reviewer'],
    ]);
    await user.click(screen.getByRole('button', { name: 'Read it again' }));
    await waitFor(() => expect(line()).toMatch(/^This review is the team server’s record: 2 decisions/));
    expect(commits.changes.map((c) => c.type)).toEqual(['review/server-record']);
  });
});

describe('signing a review sent to a team project', () => {
  it('signs through the server, whose ceremony asks for a fresh sign-in first', async () => {
    const user = userEvent.setup();
    const { plan, clinician } = packetScenario();
    const base = fixtureProject();
    const linked: Project = {
      ...base,
      meta: { ...base.meta, settings: withTeamProjectOfReview(base.meta.settings, clinician.id, project) },
      samplePlans: [plan],
      reviews: [clinician],
    };
    const team = await signedIn('lena');
    renderWithProject(linked, (p, actions) =>
      h(
        TeamServerContext.Provider,
        { value: team },
        h(SignPanel, { review: p.reviews?.[0] as Review, plan, project: p, actions }),
      ),
    );
    expect(screen.getByTestId('webauthn-availability').textContent).toMatch(
      /^You sign on your clinic’s team server as Lena Lead/,
    );
    await user.click(screen.getByRole('button', { name: 'Sign' }));
    const again = await screen.findByRole('link', { name: 'Sign in again, then sign' });
    expect(again.getAttribute('href')).toMatch(/^\/api\/login\?fresh=1/);
    expect(screen.getByTestId('sign-status').textContent).toMatch(/^Signing starts with signing in again/);
    expect((await readAudit(db, { project })).filter((e) => e.kind === 'signature')).toEqual([]);
  });
});
