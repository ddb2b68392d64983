/**
 * A reviewer's decision outlives the end of her sign-in, against the real team server (embedded
 * database, src/server/testing): her session ends at the server's idle limit, she decides, the
 * decision waits on her computer (in IndexedDB, through a reload of the page), she signs in again
 * in another tab, and the page — still holding the old session's CSRF token, which the server
 * turns away — asks the server for the new session's token and sends the same decision once, with
 * that token. Sent again by its id, the server answers with the same entry: no second decision.
 * The outbox's rules under every order of these events are proved in
 * src/core/signoff/review/decisionOutbox.test.ts.
 * Lives under tests/: the app never imports src/server, and this needs both.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignedRecords,
  decisionSender,
  openRecord,
  readDecisions,
  type ServerDecisionOutbox,
  SIGN_IN_AGAIN,
  sendToReviewers,
  serverOutboxStorage,
} from '../../src/app/signoff/serverReviews.ts';
import type { TeamSession } from '../../src/app/signoff/serverSigning.ts';
import { createDecisionOutbox, type ShownRecord, shownHash } from '../../src/core/signoff/review/index.ts';
import { lockedReview } from '../../src/core/signoff/signing/index.ts';
import type { Decision } from '../../src/formats/review.ts';
import { type Database, readAudit } from '../../src/server/index.ts';
import { SESSION_IDLE_MS } from '../../src/server/sessions.ts';
import { fileTestEngines } from '../../src/server/testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from '../../src/server/testing/people.ts';
import { createDecisionOutboxStore } from '../../src/storage/decisionOutboxStore.ts';
import { CSRF_HEADER } from '../../src/storage/teamServer.ts';

const PEOPLE = { lena: 'Lena Lead', rita: 'Rita Reviewer' };
type Who = keyof typeof PEOPLE;

const testEngines = fileTestEngines();
let db: Database;
let server: ServerWithPeople<Who>;
let project: string;

const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];
const { plan: PLAN, review: LOCKED } = lockedReview([]);
const SHOWN: ShownRecord[] = KEYS.map((key, i) => ({
  planHash: LOCKED.plan.hash,
  stratum: 'patients',
  recordKey: key,
  source: { file: 'patients.csv', row: i + 1, header: ['mrn'], cells: [key] },
  mapping: { id: 'm1', version: 1 },
  target: { identifier: key },
  alignment: [{ target: 'identifier', columns: ['mrn'], value: key }],
}));
const REVIEW_ID = 'rv-signin';

/** `who`'s browser: every request carries her cookie as it is now (a sign-in in another tab changes it). */
function fetchOf(who: Who) {
  return (input: string, init: RequestInit = {}) =>
    fetch(`${server.base}${input}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), cookie: server.cookieOf(who) },
    });
}
async function tokenOf(who: Who): Promise<string> {
  return (await (await fetchOf(who)('/api/me')).json()).csrfToken;
}

beforeAll(async () => {
  db = await testEngines.running().open('embedded');
  server = await serverWithPeople(db, PEOPLE, Date.now);
  project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
  await server.ask('lena', 'POST', `/api/projects/${project}/members`, { subject: 'rita', role: 'reviewer' });
  const members: { subject: string; id: string }[] = (
    await server.ask('lena', 'GET', `/api/projects/${project}`)
  ).body.members;
  const rita = members.find((m) => m.subject === 'rita')?.id as string;
  const lena: TeamSession = { base: '', csrfToken: await tokenOf('lena'), fetchImpl: fetchOf('lena') };
  await sendToReviewers(
    lena,
    project,
    { ...LOCKED, id: REVIEW_ID },
    PLAN,
    KEYS.map((recordKey) => ({ stratum: 'patients', recordKey, first: rita })),
    SHOWN,
  );
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

/** Resolves once `outbox`'s state passes `check` (told by the outbox: no polling). */
function until(
  outbox: ServerDecisionOutbox,
  check: (state: ReturnType<ServerDecisionOutbox['state']>) => boolean,
) {
  return new Promise<void>((resolve) => {
    if (check(outbox.state())) return resolve();
    const stop = outbox.subscribe(() => {
      if (!check(outbox.state())) return;
      stop();
      resolve();
    });
  });
}

describe('a decision made after her sign-in ended', () => {
  it('waits on her computer, then goes once with the new session’s token when she signs in again', async () => {
    // her page: the session as it was when she opened the review, and every token it sends
    const posted: { path: string; token: string | undefined; status: number }[] = [];
    const browser = fetchOf('rita');
    const oldToken = await tokenOf('rita');
    const session: TeamSession = {
      base: '',
      csrfToken: oldToken,
      person: `${TEST_ISSUER} rita`,
      fetchImpl: async (input, init = {}) => {
        const answer = await browser(input, init);
        if (init.method === 'POST')
          posted.push({
            path: input,
            token: (init.headers as Record<string, string>)[CSRF_HEADER],
            status: answer.status,
          });
        return answer;
      },
    };
    const mine = await assignedRecords(session, project, REVIEW_ID);
    await openRecord(session, project, REVIEW_ID, 1);
    const decision: Decision = {
      id: 'decision-after-idle',
      planHash: mine.planHash,
      stratum: 'patients',
      recordKey: 'MRN-1',
      row: 1,
      file: 'patients.csv',
      reviewer: { name: PEOPLE.rita, role: 'Physician', id: mine.memberId },
      decidedAt: '2026-03-02T10:00:00+01:00',
      outcome: 'accept',
      findings: [],
      stage: 'first',
      shownSha256: shownHash(SHOWN[0] as ShownRecord),
    };

    // 30 minutes without activity: her session was last seen longer ago than the server's idle limit
    await db.query(`UPDATE sessions SET last_seen_at = $1 WHERE subject = 'rita'`, [
      new Date(Date.now() - SESSION_IDLE_MS - 60_000).toISOString(),
    ]);
    // no timer here: a try is started only by the test (the wait between tries never ends)
    const open = (name: string) => {
      const store = createDecisionOutboxStore(name);
      const outbox = createDecisionOutbox({
        storage: serverOutboxStorage(store, project, REVIEW_ID),
        send: decisionSender(session, project, REVIEW_ID),
        wait: () => new Promise<void>(() => undefined),
      });
      // as the review screen does: what waited on this computer goes first
      void outbox.flush();
      return { store, outbox };
    };
    const first = open('outbox-after-signin');
    await first.outbox.add(decision);
    await until(first.outbox, (s) => s.signedOut !== '');
    expect(first.outbox.state().signedOut).toBe(SIGN_IN_AGAIN);
    expect(first.outbox.state().refused, 'not refused: signing in again cures it').toEqual([]);

    // the page goes to the identity provider and back (or is reloaded): the decision is still there
    first.outbox.destroy();
    first.store.close();
    const again = open('outbox-after-signin');
    await until(again.outbox, (s) => s.signedOut !== '');
    expect(again.outbox.state().pending.map((d) => d.id)).toEqual([decision.id]);

    // she signs in again in another tab: a new session, a new token; this page still holds the old
    await server.signInAs('rita', PEOPLE.rita);
    const newToken = await tokenOf('rita');
    expect(newToken).not.toBe(oldToken);
    // the next try (the network, another request or the page's own return starts it)
    void again.outbox.flush();
    await until(again.outbox, (s) => s.sent.length === 1 || s.refused.length > 0);
    expect(again.outbox.state().refused, 'nothing refused').toEqual([]);
    expect(again.outbox.state().pending).toEqual([]);
    expect(session.csrfToken, 'the page holds the new session’s token').toBe(newToken);
    const decisionPosts = posted.filter((p) => p.path.endsWith('/decisions'));
    expect(decisionPosts.map((p) => [p.token === newToken ? 'new' : 'old', p.status])).toEqual([
      ['old', 401],
      ['old', 401],
      ['old', 403],
      ['new', 201],
    ]);

    // sent once more by its id (an answer lost on the way): the same entry, no second decision
    const resent = await decisionSender(session, project, REVIEW_ID)(decision);
    expect(resent.kind).toBe('recorded');
    const onServer = await readDecisions(session, project, REVIEW_ID);
    expect(onServer.map((d) => d.decision.id)).toEqual([decision.id]);
    const logged = (await readAudit(db, { project })).filter((e) => e.kind === 'review-decision');
    expect(logged.map((e) => [e.actor?.subject, e.detail.recordKey])).toEqual([['rita', 'MRN-1']]);

    again.outbox.destroy();
    again.store.close();
  });
});
