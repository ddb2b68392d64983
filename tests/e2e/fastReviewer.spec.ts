/**
 * A reviewer at machine speed on a team server, on each database it keeps its records in (the
 * embedded one, and the clinic's PostgreSQL where it is installed): she decides her records
 * with the keyboard alone — A, or R with a word of why and Enter — each key pressed as soon as her
 * next record is on screen, so each decision is made while the one before is still on its way.
 * Every decision the screen showed as made must be on the server, once, with the outcome of the
 * key she pressed. On PostgreSQL her next record's read is answered while the decision before is
 * still being recorded — where a queue that wrote back its list after a send lost a fifth of them;
 * the embedded database answers one statement at a time, so its half proves the same outbox under
 * its own timing (the one browser review against the embedded server: the whole sign-off journey
 * runs on PostgreSQL, tests/e2e/journeyTeamPostgres.spec.ts). The review is sent through the
 * server's API as the lead and Rosa's browser is given her session from the provider (what the
 * lead's own journey and the sign-in prove is not repeated here: tests/e2e/teamServerJourney.ts).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TEAM_PROJECT, startTeamDemo, type TeamDemo } from '../oidc/teamDemo.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import { launchBrowser, openApp } from './browser.ts';
import { demoProjectId, type MemberApi, memberApi } from './teamServerJourney.ts';

/**
 * Her records on PostgreSQL: 105, as in the report that found the loss (a queue that wrote back
 * its list after a send lost 16 and 19 of them here, in two runs with that loss put back). On the
 * embedded database the next record's read waits for the decision before it, so that loss did not
 * show there in 105; its 35 (the report's third run) prove the same outbox under that timing at a
 * third of the cost.
 */
const RECORDS = { postgres: 105, embedded: 35 } as const;
const REVIEW = 'rv-fast';
const postgresBin = postgresBinDir();
if (postgresBin === undefined)
  console.warn('PostgreSQL is not installed (Debian package postgresql): its half of this spec is skipped');

/** The key pressed on record `n` (1-based): a reject every third record, else accept. */
const keyOn = (n: number): 'accept' | 'reject' => (n % 3 === 0 ? 'reject' : 'accept');

/** The lead sends a review of `records` records, every first review Rosa's; the project's id. */
async function sendReview(call: MemberApi, records: number): Promise<string> {
  const projectId = await demoProjectId(call);
  const { members } = await call('GET', `/api/projects/${projectId}`);
  const rosa = (members as { id: string; subject: string }[]).find((m) => m.subject === 'rosa');
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
    assignments: keys.map((recordKey) => ({ stratum: 'patients', recordKey, first: rosa?.id })),
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

/** Rosa decides every record by key, each as soon as it is on screen; the keys she pressed. */
async function decideAtSpeed(page: Page, records: number): Promise<Map<string, 'accept' | 'reject'>> {
  const pressed = new Map<string, 'accept' | 'reject'>();
  await page.getByRole('link', { name: DEMO_TEAM_PROJECT }).click();
  await page
    .getByRole('button', { name: new RegExp(`^Review ${records} records of the sample sent`) })
    .click();
  await page.getByRole('button', { name: 'Record 1 (patients), first review' }).click();
  for (let n = 1; n <= records; n += 1) {
    const record = page.getByRole('region', { name: `Record ${n}, first review` });
    const key = keyOn(n);
    if (key === 'accept') await record.press('a');
    else {
      // R asks why: the comment takes the keyboard, and Enter there rejects
      await record.press('r');
      // her words arrive as one input (as typed fast or pasted), not a render per letter
      await page.keyboard.insertText('Wrong birth date');
      await page.keyboard.press('Enter');
    }
    pressed.set(`MRN-${n}`, key);
  }
  // the last decision is stored on her computer (her list says so) before the outbox is read
  await page.getByRole('button', { name: `Record ${records} (patients), first review — decided` }).waitFor();
  await page
    .getByTestId('server-decisions')
    .filter({ hasText: /^Recorded on the team server/ })
    .waitFor();
  return pressed;
}

const DATABASES = [
  { name: 'the embedded database', postgres: false, records: RECORDS.embedded },
  { name: 'PostgreSQL', postgres: true, records: RECORDS.postgres },
] as const;

describe('a reviewer deciding at machine speed keeps every decision', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(DATABASES)('on $name', ({ postgres: onPostgres, records }) => {
    const skip = onPostgres && postgresBin === undefined;
    let postgres: TestPostgres | undefined;
    let demo: TeamDemo;
    let context: BrowserContext;

    beforeAll(async () => {
      if (skip) return;
      if (onPostgres) {
        postgres = await startPostgres(postgresBin as string);
        await postgres.query('CREATE DATABASE fast_reviewer');
      }
      demo = await startTeamDemo({
        storage: postgres ? { kind: 'postgres', url: postgres.url('fast_reviewer') } : { kind: 'memory' },
        seed: true,
      });
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    });
    afterAll(async () => {
      await context?.close();
      await demo?.stop();
      await postgres?.stop();
    });

    it.skipIf(skip)(
      `${records} records decided by key, no pause: the server holds each, once, as pressed`,
      async () => {
        const call = await memberApi(demo, 'lena');
        const projectId = await sendReview(call, records);
        // her session from the provider, given to her browser: the app loads once, signed in
        // (signing in through the page is the team journeys' own step)
        const { cookie } = await demo.idp.signIn(demo.url, 'rosa');
        const at = cookie.indexOf('=');
        await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: demo.url }]);
        const { page } = await openApp(context, '#/team', demo.url);
        await page.getByText('Signed in as Rosa Lindqvist').waitFor();
        const pressed = await decideAtSpeed(page, records);

        const { decisions } = await call('GET', `/api/projects/${projectId}/reviews/${REVIEW}/decisions`);
        const onServer = (
          decisions as { decision: { recordKey: string; outcome: string; id: string } }[]
        ).map((d) => d.decision);
        expect(new Set(onServer.map((d) => d.id)).size, 'each decision once').toBe(onServer.length);
        expect(
          onServer.map((d) => [d.recordKey, d.outcome]),
          'every key pressed, in the order pressed',
        ).toEqual([...pressed]);
        expect(await page.getByTestId('server-decisions').textContent()).toBe(
          `Recorded on the team server (${records} decisions this visit).`,
        );
      },
    );
  });
});
