/**
 * The go-live team's journey on the team server, two people in two browsers (a desktop and a
 * 390 px phone) against a real `preflight serve` server (embedded PGlite, in memory) and the real
 * test OpenID Connect provider, whose sign-in page they pick themselves on, started as
 * `npm run team-demo` starts them (its demo project included): the lead signs in,
 * creates a project and adds the analyst, who then sees it read-only; when the lead makes her
 * lead, then viewer, her open page follows without a refresh (the server's change stream); removed,
 * her open page loses the project too. Before that, the lead shares a workflow and both
 * edit it at once, the analyst offline meanwhile: different steps and one step's same field, both
 * kept, the server's order deciding the field, the losing value in the recent changes, each
 * browser showing the other's edit. The lead shares her project's records with the team project,
 * and the analyst opens the team project on her computer: a project there with those records,
 * kept in step with the server. The lead reads the audit log and exports it, and
 * `preflight check` verifies the file. axe runs on each team screen.
 * On the clinic's PostgreSQL, what the database decides in these steps (the edits' order, the
 * role read at each request) is proven by the server's tests on each engine
 * (src/server/sharedWorkflows.test.ts); journeyTeamPostgres.spec.ts beside this file runs the
 * sign-off journey there, from assignment to the steering committee's go/no-go
 * (tests/e2e/teamServerJourney.ts): the engine the server's sign-off rules are not tested on
 * otherwise. On this database they are (src/server/signing.test.ts,
 * src/server/reviewAssignments.test.ts), and a reviewer's browser decides against this server at
 * the end of this file, at machine speed through a slow uplink, losing nothing
 * (tests/e2e/fastReview.ts).
 *
 * What each control does on its own (refusals' words, an ended session keeping what was typed,
 * the header under `npm start`) is proven by the component tests beside the screens
 * (src/app/team/*.test.tsx); the role × action table by src/server/projects.test.ts.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { startTeamDemo, type TeamDemo } from '../oidc/teamDemo.ts';
import { embeddedImage } from '../setup/embeddedImage.ts';
import { baseUrl, downloadedFile, launchBrowser, openApp, type Watched, watchedPage } from './browser.ts';
import { fastReviewJourney } from './fastReview.ts';
import {
  createProjectAndAddAnalyst,
  editOneWorkflowTogether,
  expectQuietConsoles,
  openTheTeamProjectHere,
  removedMidSession,
  roleChangedMeanwhile,
  type Team,
} from './teamJourneySteps.ts';
import { expectAccessible, signInFromServer } from './teamServerJourney.ts';

let demo: TeamDemo;
let browser: Browser;
let contexts: BrowserContext[] = [];
let lead: Watched;
let analyst: Watched;

beforeAll(async () => {
  [demo, browser] = await Promise.all([
    // a copy of the run's migrated image (tests/setup/embeddedImage.ts), not an initdb of its own
    embeddedImage().then((image) => startTeamDemo({ storage: { kind: 'memory', image }, seed: true })),
    launchBrowser(),
  ]);
  // the server's own migration check ran on the copy and found the schema it would have made
  expect(demo.server.migrated).toEqual([]);
  const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  contexts = [desktop, phone];
  // the lead follows the app's "Sign in" link (her first step); the analyst's page is signed in
  // from the server's sign-in, so her app loads once, signed in
  [lead, analyst] = await Promise.all([
    openApp(desktop, '#/team', demo.url),
    watchedPage(phone).then(async (app) => {
      await signInFromServer(app.page, demo, 'arun', '#/team');
      return app;
    }),
  ]);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await demo?.stop();
});

describe('the same app under npm start', () => {
  it('asks nothing of a team server it was not served by, shows nothing of the team, and logs nothing', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const asked: string[] = [];
    context.on('request', (request) => {
      if (request.url().includes('/api/')) asked.push(new URL(request.url()).pathname);
    });
    const app = await openApp(context, '#/team', baseUrl());
    await app.page.getByText('Team projects live on your clinic’s Preflight team server').waitFor();
    expect(await app.page.getByRole('link', { name: 'Sign in' }).count()).toBe(0);
    // only a page preflight serve marked asks for a session: a 404 here would be a console error
    expect(asked).toEqual([]);
    expect(app.console.filter((line) => /^(error|warning|pageerror)/.test(line))).toEqual([]);
    await context.close();
  });
});

describe('a go-live team shares a project on the team server', () => {
  const team = (): Team => ({ demo, lead, analyst });

  it('the lead creates a project and adds the analyst, who then sees it, read-only', async () => {
    await createProjectAndAddAnalyst(team());
  });

  it('the lead and the analyst edit one shared workflow at once and both keep their edits', async () => {
    await editOneWorkflowTogether(team());
  });

  it('the analyst opens the team project on her computer, with the records the lead shared', async () => {
    await openTheTeamProjectHere(team());
  });

  it('a member made lead, then viewer, meanwhile sees her controls change without a refresh', async () => {
    await roleChangedMeanwhile(team());
  });

  it('a member removed mid-session loses the project on her open page', async () => {
    await removedMidSession(team());
  });

  it('the lead reads the audit log and exports the file preflight check verifies', async () => {
    await lead.page.getByRole('button', { name: 'Show audit log' }).click();
    const entries = lead.page.getByRole('table', { name: 'Audit log entries' });
    // the shared records' writes came after: the project's start is on an older page
    await entries.waitFor();
    const older = lead.page.getByRole('button', { name: /^Show \d+ older entries$/ });
    while ((await older.count()) > 0) await older.click();
    await entries.getByText(/^Created the project “/).waitFor();
    await entries
      .getByText(/^Added Arun Mehta as Analyst/)
      .first()
      .waitFor();
    await entries
      .getByText(/^Removed .* from the project$/)
      .first()
      .waitFor();
    await expectAccessible(lead.page);

    const [download] = await Promise.all([
      lead.page.waitForEvent('download'),
      lead.page.getByRole('button', { name: 'Download audit log' }).click(),
    ]);
    const file = await downloadedFile(download);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported.format).toBe('preflight.project-audit/v1');
    const out: string[] = [];
    const code = await main(['check', file], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      cwd: '/',
    });
    expect({ code, out }).toEqual({ code: 0, out: [expect.stringMatching(/: ok \(project audit log\)$/)] });
  });

  it('printed nothing unexpected and violated no CSP', async () => {
    expectQuietConsoles(lead, analyst);
  });
});

fastReviewJourney('on the embedded database', () => ({ demo, browser, contexts }), 'slow');
