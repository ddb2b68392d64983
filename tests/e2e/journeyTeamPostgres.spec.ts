/**
 * The team's sign-off journey on the clinic's PostgreSQL (a throwaway cluster,
 * tests/setup/postgres.ts), here only (tests/e2e/teamServerJourney.ts): a blind double review sent
 * from the lead's Sign-off, decided by two reviewers, adjudicated, signed by each on the server,
 * exported and verified by `preflight signoff verify --server`, the sample's result on Readiness,
 * two steering members' go/no-go signed there and made stale in their open pages by the lead's
 * change. PostgreSQL is the engine the server's sign-off rules are not tested on beside them (those
 * tests run on the embedded database), so the journey runs on it. Then, on the same cluster and
 * server, a reviewer decides her records at machine speed and loses none (tests/e2e/fastReview.ts).
 * A spec of its own, so it runs beside the embedded journey rather than after it. Where PostgreSQL is not installed the journey
 * is skipped with a warning; CI installs it.
 * The team's steps whose outcome the database decides (two people's edits of one workflow in the
 * row lock's order, a role change and a removal read in the transaction of each request) are
 * proven on PostgreSQL by the server's tests (src/server/sharedWorkflows.test.ts, each engine),
 * and in two browsers on the embedded server by journeyTeam.spec.ts: the pages, the change stream
 * and the routes are the same on both engines (one server process tells its own streams).
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamDemo, type TeamDemo } from '../oidc/teamDemo.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import { launchBrowser } from './browser.ts';
import { fastReviewJourney } from './fastReview.ts';
import { serverSignoffJourney } from './teamServerJourney.ts';

const postgresBin = postgresBinDir();
if (postgresBin === undefined && process.env.CI)
  throw new Error(
    'PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for these tests',
  );
if (postgresBin === undefined)
  console.warn(
    'PostgreSQL is not installed (Debian package postgresql): the sign-off journey on it is skipped',
  );

describe.skipIf(postgresBin === undefined)('the team on a server over PostgreSQL', () => {
  let postgres: TestPostgres | undefined;
  let demo: TeamDemo;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [postgres, browser] = await Promise.all([startPostgres(postgresBin as string), launchBrowser()]);
    await postgres.query('CREATE DATABASE team_signoff');
    demo = await startTeamDemo({
      storage: { kind: 'postgres', url: postgres.url('team_signoff') },
      seed: true,
    });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await demo?.stop();
    await postgres?.stop();
  });

  it('the server reports the clinic’s PostgreSQL as its database', async () => {
    const health = await (await fetch(`${demo.server.url}/api/health`)).json();
    expect(health).toEqual({
      status: 'ok',
      database: 'postgres',
      auditLog: { status: 'ok', checkedAt: expect.any(String) },
    });
  });

  serverSignoffJourney('on PostgreSQL', () => ({ demo, browser, contexts }));
  fastReviewJourney('on PostgreSQL', () => ({ demo, browser, contexts }));
});
