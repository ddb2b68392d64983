/**
 * A reviewer at machine speed on a team server, run by each team journey on the server it already
 * started (the embedded database's in tests/e2e/journeyTeam.spec.ts, the clinic's PostgreSQL's in
 * tests/e2e/journeyTeamPostgres.spec.ts): she decides her 105 records with the keyboard alone — A,
 * or R with a word of why and Enter — each key pressed as soon as her next record is on screen, so
 * each decision is made while the one before is still on its way. Every decision the screen showed
 * as made must be on the server, once, with the outcome of the key she pressed. On PostgreSQL her
 * next record's read is answered while the decision before is still being recorded: that timing is
 * the server's own. The embedded database answers one statement at a time, so there her next
 * record's read comes back only after the decision before it is recorded, and a decision is rarely
 * in flight when she decides the next; there each decision's request is held on its way until she
 * has decided the record after it, as a slow uplink holds it ({@link slowUplink}). Both are where a
 * queue that wrote back its list after a send lost decisions. The review is sent through the
 * server's API as the lead, on a project of its own (the journey's projects and reviews stay as they
 * were), and Rosa's browser is given her session from the provider (what the lead's own journey and
 * the sign-in prove is not repeated here: tests/e2e/teamServerJourney.ts). Her page reads her list
 * once: her own decisions, told back on the project's stream with the ids her page gave them, read
 * nothing again (another's change does: src/app/signoff/AssignedRecords.test.tsx). Mid-review her
 * sign-in ends: the decision she makes then waits, she signs in again through the page's link, and
 * nothing is lost or sent twice. The queue's rules
 * themselves are a property test's (src/core/signoff/review/decisionOutbox.test.ts, which the old
 * write-back fails).
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamDemo } from '../oidc/teamDemo.ts';
import { openApp } from './browser.ts';
import { type MemberApi, memberApi } from './teamServerJourney.ts';

/**
 * Her records, as many as the report that found the loss pressed. A queue that wrote back its list
 * after a send, put back in the browser's outbox, lost 16 and 19 of them on PostgreSQL (7 of 50 in
 * a shorter run), at random places; on the embedded database it lost none of them at her own pace,
 * and 70 of them with the slow uplink.
 */
const RECORDS = 105;

/** The fast review's own team project. */
const PROJECT = 'Fast review';
const REVIEW = 'rv-fast';

/**
 * The record whose decision she makes just after her sign-in ended (signed out elsewhere, as the
 * idle limit would): it waits on her computer, she signs in again through the page's own link in a
 * new tab, and it goes with the new session's token, once, in its place.
 */
const SESSION_ENDS_AT = 40;

/** The key pressed on record `n` (1-based): a reject every third record, else accept. */
const keyOn = (n: number): 'accept' | 'reject' => (n % 3 === 0 ? 'reject' : 'accept');

/** The lead makes a project with Rosa as its reviewer and sends her `records` records; its id. */
async function sendReview(call: MemberApi, records: number): Promise<string> {
  const { project } = (await call('POST', '/api/projects', { name: PROJECT })) as { project: { id: string } };
  const projectId = project.id;
  const { member: rosa } = (await call('POST', `/api/projects/${projectId}/members`, {
    subject: 'rosa',
    role: 'reviewer',
  })) as { member: { id: string } };
  const keys = Array.from({ length: records }, (_, i) => `MRN-${i + 1}`);
  await call('POST', `/api/projects/${projectId}/reviews`, {
    review: {
      id: REVIEW,
      plan: { id: 'p1', hash: 'a'.repeat(64) },
      mapping: { id: 'm1', version: 1 },
      sample: {
        drawnAt: '2026-03-02T08:00:00Z',
        seed: '9f2c',
        inputs: [{ file: 'patients.csv', sha256: 'c'.repeat(64), bytes: 4000, rows: records }],
        strata: [
          {
            id: 'patients',
            census: false,
            population: records,
            n: records,
            records: keys.map((key, i) => ({ file: 'patients.csv', row: i + 1, key })),
          },
        ],
      },
    },
    assignments: keys.map((recordKey) => ({ stratum: 'patients', recordKey, first: rosa.id })),
  });
  await call('POST', `/api/projects/${projectId}/reviews/${REVIEW}/records`, {
    records: keys.map((key, i) => ({
      shown: {
        planHash: 'a'.repeat(64),
        stratum: 'patients',
        recordKey: key,
        source: { file: 'patients.csv', row: i + 1, header: ['mrn', 'dob'], cells: [key, '1970-01-01'] },
        mapping: { id: 'm1', version: 1 },
        target: { identifier: key, birthDate: '1970-01-01' },
        alignment: [
          { target: 'identifier', columns: ['mrn'], value: key },
          { target: 'birthDate', columns: ['dob'], value: '1970-01-01' },
        ],
      },
    })),
  });
  return projectId;
}

/** Her decisions' way to the team server when it is slow (see {@link slowUplink}). */
interface SlowUplink {
  /** lets her decisions on records 1 to `n` reach the server: those held, and any sent from now on */
  letThrough(n: number): Promise<void>;
}

/**
 * Holds each decision a page of `context` posts to `projectId`'s fast review on its way to the
 * server until the test lets it through, while her records' reads come back at once: an uplink
 * slower than her reading of one record, as a busy clinic line or a far server gives. No clock:
 * the test lets a decision go once she has decided the record after it. Set before her page
 * opens, so no request of the page is caught half-way.
 */
async function slowUplink(context: BrowserContext, projectId: string): Promise<SlowUplink> {
  let through = 0;
  const held: { n: number; route: Route }[] = [];
  await context.route(`**/api/projects/${projectId}/reviews/${REVIEW}/decisions`, async (route) => {
    const request = route.request();
    const posted =
      request.method() === 'POST'
        ? (request.postDataJSON() as { decisions: { recordKey: string }[] }).decisions[0]
        : undefined;
    const n = posted ? Number(posted.recordKey.slice('MRN-'.length)) : 0;
    if (n <= through) await route.continue();
    else held.push({ n, route });
  });
  return {
    async letThrough(n) {
      through = Math.max(through, n);
      const going = held.filter((h) => h.n <= through);
      held.splice(0, held.length, ...held.filter((h) => h.n > through));
      for (const { route } of going) await route.continue();
    },
  };
}

/** Ends the session of `page`'s context at the server, as signing out in another window does. */
async function endSession(page: Page): Promise<void> {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const base = new URL(page.url()).origin;
  const { csrfToken } = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  const out = await fetch(`${base}/api/logout`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken },
  });
  expect(out.status, 'signed out elsewhere').toBe(204);
}

/**
 * Her decision on record {@link SESSION_ENDS_AT} waits, said in words, and she signs in again
 * through the page's own link (a new tab at the provider, as the page offers). While she is still
 * away, her page tries again (here on the browser's `online` event; the network or a timer may start
 * it as well): the browser now has the new session's cookie, the page still the old session's CSRF
 * token. She comes back to the review and opens her next record.
 */
async function signInAgain(page: Page, uplink: SlowUplink | undefined): Promise<void> {
  await uplink?.letThrough(SESSION_ENDS_AT);
  await page
    .getByTestId('server-decisions')
    .filter({ hasText: new RegExp(`\\b${SESSION_ENDS_AT}\\): your sign-in to the team server ended`) })
    .waitFor();
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: 'Sign in again in a new tab' }).click(),
  ]);
  await tab.getByText('There are no passwords: this is a demo identity provider').waitFor();
  // what waited is recorded once she is back: heard from before she signs in, as her page may send
  // it as soon as it hears of the new session, before the test's `online` below
  const recorded = page.waitForResponse(
    (answer) =>
      answer.request().method() === 'POST' &&
      answer.url().endsWith(`/reviews/${REVIEW}/decisions`) &&
      answer.status() === 201,
  );
  await tab.getByRole('button', { name: 'Rosa Lindqvist' }).click();
  await tab.getByText('Signed in as Rosa Lindqvist').waitFor();
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await recorded;
  await tab.close();
  // back on her review: the sign-in notice goes, what waited is recorded, her next record opens
  await page.bringToFront();
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.getByRole('alert').filter({ hasText: 'Your sign-in to the team server has ended' }).waitFor({
    state: 'detached',
  });
  await page.getByRole('button', { name: `Record ${SESSION_ENDS_AT + 1} (patients), first review` }).click();
}

/** Rosa decides every record by key, each as soon as it is on screen; the keys she pressed. */
async function decideAtSpeed(
  page: Page,
  records: number,
  uplink: SlowUplink | undefined,
): Promise<Map<string, 'accept' | 'reject'>> {
  const pressed = new Map<string, 'accept' | 'reject'>();
  await page.getByRole('link', { name: PROJECT, exact: true }).click();
  const review = page.getByRole('button', {
    name: new RegExp(`^Review ${records} records of the sample sent`),
  });
  // a page that never offers her review says why in its alerts and statuses: keep their words
  await review.waitFor().catch(async (e: Error) => {
    const said = await page.locator('[role=alert], [role=status]').allInnerTexts();
    throw new Error(
      `${e.message}\nat ${new URL(page.url()).hash} the page said: ${said.join(' | ') || 'nothing in an alert or status'}`,
    );
  });
  await review.click();
  await page.getByRole('button', { name: 'Record 1 (patients), first review' }).click();
  for (let n = 1; n <= records; n += 1) {
    if (n === SESSION_ENDS_AT + 1) await signInAgain(page, uplink);
    // her record n is on screen and holds the keyboard, as the app puts it there (nothing here
    // focuses it): her keys go where a reviewer's would. A CSS match, not a role query: the role
    // engine computes every element's name at each of her 105 keys, a fifth of the run's CPU
    await page.locator(`section[aria-label="Record ${n}, first review"]:focus`).waitFor();
    // her sign-in ends while the record is on screen, its read answered: ended before, the read
    // (opened by her key on the record before, still on its way) would be refused and the record
    // would never open, as for a reviewer whose sign-in ends between two records
    if (n === SESSION_ENDS_AT) await endSession(page);
    const key = keyOn(n);
    if (key === 'accept') await page.keyboard.press('a');
    else {
      // R asks why: the comment takes the keyboard, and Enter there rejects
      await page.keyboard.press('r');
      // her words arrive as one input (as typed fast or pasted), not a render per letter
      await page.keyboard.insertText('Wrong birth date');
      await page.keyboard.press('Enter');
    }
    pressed.set(`MRN-${n}`, key);
    // record n was on screen, so her decision on record n - 1 is kept: the one before it may go
    // (after her last, once her list shows it kept)
    if (n < records) await uplink?.letThrough(n - 2);
  }
  // the last decision is stored on her computer (her list says so) before the held ones go and the
  // outbox is read: a queue that drops a decision fails the comparison with the keys, not this wait
  await page.getByRole('button', { name: `Record ${records} (patients), first review — decided` }).waitFor();
  await uplink?.letThrough(records);
  await page
    .getByTestId('server-decisions')
    .filter({ hasText: /^Recorded on the team server/ })
    .waitFor();
  return pressed;
}

/**
 * The fast reviewer's run on `server()`'s team server and browser (a context of its own); with
 * `uplink` 'slow', her decisions go through {@link slowUplink}. Called last in its journey's file;
 * the journey's `contexts` are closed first (their part is done: open, their pages would only
 * follow this review's changes).
 */
export function fastReviewJourney(
  on: string,
  server: () => { demo: TeamDemo; browser: Browser; contexts: BrowserContext[] },
  uplink: 'as is' | 'slow' = 'as is',
): void {
  const records = RECORDS;
  describe(`a reviewer deciding at machine speed keeps every decision (${on})`, () => {
    let context: BrowserContext | undefined;
    afterAll(async () => {
      await context?.close();
    });

    let demo: TeamDemo;
    let browser: Browser;
    beforeAll(async () => {
      const journey = server();
      ({ demo, browser } = journey);
      for (const done of journey.contexts.splice(0)) await done.close();
    });

    it(`${records} records decided by key, no pause: the server holds each, once, as pressed`, async () => {
      const call = await memberApi(demo, 'lena');
      const projectId = await sendReview(call, records);
      // her session from the provider, given to her browser: the app loads once, signed in
      // (signing in through the page is the team journeys' own step)
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const { cookie } = await demo.idp.signIn(demo.url, 'rosa');
      const at = cookie.indexOf('=');
      await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: demo.url }]);
      const held = uplink === 'slow' ? await slowUplink(context, projectId) : undefined;
      // her list's reads: once as the review opens; her own decisions' echoes on the project's
      // stream read nothing again (her page named each change, and the server told its id back).
      // The stream of her ended session ends at the server's next heartbeat after it (whenever
      // that falls in her run), and the page then reads once more what it could not hear: one
      // read for each time the stream opens again
      let listReads = 0;
      let streamOpens = 0;
      context.on('request', (request) => {
        if (request.method() === 'GET' && request.url().endsWith(`/reviews/${REVIEW}/assigned`))
          listReads += 1;
      });
      // her review's page only: the tab she signs in again in is another page
      let reviewPage: Page | undefined;
      context.on('response', (answer) => {
        if (
          answer.url().endsWith(`/api/projects/${projectId}/events`) &&
          answer.status() === 200 &&
          answer.frame().page() === reviewPage
        )
          streamOpens += 1;
      });
      const { page } = await openApp(context, '#/team', demo.url);
      reviewPage = page;
      await page.getByText('Signed in as Rosa Lindqvist').waitFor();
      const pressed = await decideAtSpeed(page, records, held);

      const { decisions } = await call('GET', `/api/projects/${projectId}/reviews/${REVIEW}/decisions`);
      const onServer = (decisions as { decision: { recordKey: string; outcome: string; id: string } }[]).map(
        (d) => d.decision,
      );
      expect(new Set(onServer.map((d) => d.id)).size, 'each decision once').toBe(onServer.length);
      expect(
        onServer.map((d) => [d.recordKey, d.outcome]),
        'every key pressed, in the order pressed',
      ).toEqual([...pressed]);
      expect(await page.getByTestId('server-decisions').textContent()).toBe(
        `Recorded on the team server (${records} decisions this visit).`,
      );
      await expect
        .poll(() => listReads - Math.max(0, streamOpens - 1), {
          message:
            'her list read once, not again at her own decisions (and once at each stream opened again)',
        })
        .toBe(1);
    });
  });
}
