/**
 * The team's journeys on the clinic's PostgreSQL (a throwaway cluster, tests/setup/postgres.ts),
 * one server on it serving both. First the steps whose outcome the database decides, as on the
 * embedded database in journeyTeam.spec.ts (tests/e2e/teamJourneySteps.ts): the server's order of
 * two people's edits of one workflow, a role change and a removal her open page follows, read in
 * the transaction of each request. Then the sign-off journey (tests/e2e/teamServerJourney.ts),
 * here only: a blind double review sent from the lead's Sign-off, decided by two reviewers,
 * adjudicated, signed by each on the server, exported and verified by
 * `preflight signoff verify --server`, the sample's result on Readiness, two steering members'
 * go/no-go signed there and made stale in their open pages by the lead's change. PostgreSQL is
 * the engine the server's sign-off rules are not tested on beside them (those tests run on the
 * embedded database), so the journey runs on it. A spec of its own, so it runs beside the
 * embedded journey rather than after it. Where PostgreSQL is not installed the journey is skipped
 * with a warning; CI installs it.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamDemo, type TeamDemo } from '../oidc/teamDemo.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import { launchBrowser, watchedPage } from './browser.ts';
import {
  createProjectAndAddAnalyst,
  editOneWorkflowTogether,
  expectQuietConsoles,
  removedMidSession,
  roleChangedMeanwhile,
  type Team,
} from './teamJourneySteps.ts';
import { serverSignoffJourney, signInFromServer } from './teamServerJourney.ts';

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

  describe('the lead and the analyst share a project', () => {
    let team: Team;

    beforeAll(async () => {
      const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(desktop, laptop);
      // signed in from the server's sign-in: the app's own link is followed in journeyTeam
      const [lead, analyst] = await Promise.all([watchedPage(desktop), watchedPage(laptop)]);
      await signInFromServer(lead.page, demo, 'lena', '#/team');
      await signInFromServer(analyst.page, demo, 'arun', '#/team');
      team = { demo, lead, analyst };
    });

    it('the lead creates a project and adds the analyst', async () => {
      await createProjectAndAddAnalyst(team, { signInHere: false, checkScreens: false });
    });

    it('two analysts edit one workflow at once and both keep their edits', async () => {
      await editOneWorkflowTogether(team, false);
    });

    it('a member made lead, then viewer, meanwhile sees her controls change without a refresh', async () => {
      await roleChangedMeanwhile(team);
    });

    it('a member removed mid-session loses the project on her open page', async () => {
      await removedMidSession(team, false);
      expectQuietConsoles(team.lead, team.analyst);
      // their part is done: two open pages on the server would only follow the sign-off's changes
      for (const { page } of [team.lead, team.analyst]) await page.context().close();
    });
  });

  serverSignoffJourney('on PostgreSQL', () => ({ demo, browser, contexts }));
});
