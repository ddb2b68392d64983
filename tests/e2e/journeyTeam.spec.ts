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
 * `preflight check` verifies the file. axe runs on each team screen. Then, in six browsers, a
 * dual review on the server from assignment to signatures `preflight signoff verify --server`
 * passes, and the steering committee's go/no-go signed on it from Readiness (its describe says how).
 * The same server on the clinic's PostgreSQL (a throwaway cluster, tests/setup/postgres.ts) runs
 * the steps whose outcome the database decides — the concurrent edit, the role change her open page
 * follows, and the removal mid-session; the sign-off journey (tests/e2e/teamServerJourney.ts) runs
 * on PostgreSQL in journeyTeamPostgres.spec.ts, beside this file.
 *
 * What each control does on its own (refusals' words, an ended session keeping what was typed,
 * the header under `npm start`) is proven by the component tests beside the screens
 * (src/app/team/*.test.tsx); the role × action table by src/server/projects.test.ts.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DEMO_TEAM_PROJECT, startTeamDemo, type TeamDemo } from '../oidc/teamDemo.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import { baseUrl, downloadedFile, launchBrowser, openApp, projectSelect, type Watched } from './browser.ts';
import { expectAccessible, serverSignoffJourney, signIn } from './teamServerJourney.ts';

/** The `preflight` command as installed (the built bundle while it matches the sources). */
const _CLI = fileURLToPath(new URL('../../src/cli/preflight.mjs', import.meta.url));
const _run = promisify(execFile);

let demo: TeamDemo;
let browser: Browser;
let contexts: BrowserContext[] = [];
let lead: Watched;
let analyst: Watched;

const PROJECT = 'Ward 4 go-live';

/** One run of the journey: a team server and the two people's browsers on it. */
interface Team {
  demo: TeamDemo;
  lead: Watched;
  analyst: Watched;
}

/**
 * The page of team project `name`, waited for by its own heading: what is read inside it cannot
 * be the list of projects it replaces (whose items say "your role" too).
 */
async function projectPage(page: Page, name: string): Promise<Locator> {
  const heading = page.getByRole('heading', { level: 2, name, exact: true });
  await heading.waitFor();
  return page.locator('section.team-screen').filter({ has: heading });
}

const memberRow = (page: Page, name: string) => page.locator('li.team-member').filter({ hasText: name });

const CHECK_IN = 'Check in at desk, hand out intake clipboard';
const inspectorOf = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

/** Waits until the shared workflow's copy is in step with the team server. */
const inStep = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: /^Shared with the team: your changes are saved/ })
    .waitFor();

/** Selects the step named `label` from the keyboard, its fields in the inspector. */
async function selectStep(page: Page, label: string): Promise<void> {
  await page
    .getByRole('group', { name: new RegExp(`^Task: ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},`) })
    .focus();
  await page.keyboard.press('Enter');
  await inspectorOf(page)
    .getByRole('heading', { level: 3, name: `Task: ${label}` })
    .waitFor();
}

/** Sets the touch time of step `label` in the inspector. */
async function setTouch(page: Page, label: string, minutes: string): Promise<void> {
  await selectStep(page, label);
  await inspectorOf(page).getByLabel('Touch time (minutes)').fill(minutes);
}

/** Waits until step `label`'s touch time reads `minutes` in the inspector. */
async function expectTouch(page: Page, label: string, minutes: string): Promise<void> {
  await selectStep(page, label);
  const field = inspectorOf(page).getByLabel('Touch time (minutes)');
  await expect.poll(() => field.inputValue(), { timeout: 20_000 }).toBe(minutes);
}

/** Waits until the list of recent changes holds `line` (the list opened first). */
async function recent(page: Page, line: string): Promise<void> {
  const changes = page.locator('details.shared-changes');
  if ((await changes.getAttribute('open')) === null) await changes.locator('summary').click();
  await changes.getByRole('listitem').filter({ hasText: line }).waitFor();
}

beforeAll(async () => {
  [demo, browser] = await Promise.all([
    startTeamDemo({ storage: { kind: 'memory' }, seed: true }),
    launchBrowser(),
  ]);
  const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  contexts = [desktop, phone];
  [lead, analyst] = await Promise.all([
    openApp(desktop, '#/team', demo.url),
    openApp(phone, '#/team', demo.url),
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
  });
});

/**
 * The lead signs in, creates the project and adds the analyst, who then sees it, read-only.
 * `checkScreens`: axe and the way back and forth through the project's address as well.
 */
async function createProjectAndAddAnalyst({ lead, analyst }: Team, checkScreens: boolean): Promise<void> {
  // the demo's own project (npm run team-demo) holds the whole team
  await signIn(analyst.page, 'arun');
  await analyst.page.getByRole('link', { name: DEMO_TEAM_PROJECT }).waitFor();
  expect(await analyst.page.getByRole('link', { name: PROJECT }).count()).toBe(0);
  await signIn(lead.page, 'lena');
  expect(new URL(lead.page.url()).hash, 'back at the place signed in from').toMatch(/\/team$/);

  await lead.page.getByLabel('Project name').fill(PROJECT);
  await lead.page.getByRole('button', { name: 'Create project' }).click();
  await (await projectPage(lead.page, PROJECT)).getByText('Your role: Lead').waitFor();
  if (checkScreens) {
    // the project is a place of its own: Back is the list, Forward the project again
    await lead.page.goBack();
    await lead.page.getByRole('link', { name: PROJECT }).waitFor();
    await lead.page.goForward();
    await lead.page.getByRole('heading', { name: PROJECT }).waitFor();
  }

  await lead.page.getByLabel('E-mail', { exact: true }).fill('analyst@demo-clinic.test');
  await lead.page.getByLabel('Role', { exact: true }).selectOption('analyst');
  await lead.page.getByRole('button', { name: 'Add to project' }).click();
  await lead.page.getByRole('status').filter({ hasText: 'Arun Mehta was added as Analyst.' }).waitFor();
  if (checkScreens) await expectAccessible(lead.page);

  await analyst.page.getByRole('button', { name: 'Refresh list' }).click();
  await analyst.page.getByRole('link', { name: PROJECT }).click();
  await (await projectPage(analyst.page, PROJECT)).getByText('Your role: Analyst').waitFor();
  await memberRow(analyst.page, 'Lena Okafor').getByText('Lead · no end date').waitFor();
  expect(await analyst.page.getByRole('button', { name: 'Add to project' }).count()).toBe(0);
  expect(await analyst.page.getByRole('button', { name: 'Download audit log' }).count()).toBe(0);
  if (checkScreens) await expectAccessible(analyst.page);
}

/** The lead shares a workflow; both edit it at once, the analyst offline meanwhile; both keep their edits. */
async function editOneWorkflowTogether({ demo, lead, analyst }: Team, checkScreens: boolean): Promise<void> {
  const SHARED = 'Patient intake — current (paper clipboard)';
  const shared = (page: Page) => page.getByRole('region', { name: 'Shared with your team' });
  // both come back to the project's page when done
  const projectPages = [lead, analyst].map(({ page }) => ({ page, url: page.url() }));
  await lead.page.goto(`${demo.url}#/workflows`);
  const choice = lead.page.getByRole('combobox', { name: `Share one of your workflows with ${PROJECT}` });
  await choice.selectOption({ label: SHARED });
  await shared(lead.page)
    .locator('form')
    .filter({ has: choice })
    .getByRole('button', { name: 'Share' })
    .click();
  await shared(lead.page)
    .getByRole('status')
    .filter({ hasText: `Shared “${SHARED}” with ${PROJECT}.` })
    .waitFor();
  await analyst.page.goto(`${demo.url}#/workflows`);
  for (const { page } of [lead, analyst]) {
    await shared(page).getByRole('link', { name: SHARED, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: SHARED }).waitFor();
    await inStep(page);
  }

  // the analyst edits on the train, out of reach of the server: neither has seen the other's edit
  await analyst.page.context().setOffline(true);
  await setTouch(analyst.page, 'Room patient', '2');
  await setTouch(analyst.page, CHECK_IN, '7');
  await analyst.page.getByText('Offline: 2 changes wait to be sent').waitFor();
  await setTouch(lead.page, 'Call payer to verify eligibility', '4');
  await setTouch(lead.page, CHECK_IN, '5');
  await recent(lead.page, `Lena Okafor set the touch time (minutes) of “${CHECK_IN}” to 5.`);
  await analyst.page.context().setOffline(false);

  // the server ordered the analyst's edits after the lead's: the same field is hers, the rest
  // is both; each browser shows the other's edit, and the lead's 5 stays in the history
  for (const { page } of [analyst, lead]) {
    // the step each touched last is still selected: its field turns to 7 with nothing done here
    const touch = inspectorOf(page).getByLabel('Touch time (minutes)');
    await expect.poll(() => touch.inputValue(), { timeout: 20_000 }).toBe('7');
    await recent(page, `Arun Mehta set the touch time (minutes) of “${CHECK_IN}” to 7.`);
    await recent(page, `Lena Okafor set the touch time (minutes) of “${CHECK_IN}” to 5.`);
    await inStep(page);
    await expectTouch(page, 'Room patient', '2');
    await expectTouch(page, 'Call payer to verify eligibility', '4');
  }
  if (checkScreens) await expectAccessible(lead.page);
  for (const { page, url } of projectPages) {
    await page.goto(url);
    await page.getByRole('heading', { name: PROJECT }).waitFor();
  }
}

/**
 * The lead shares her project's records with the team project; the analyst, on the team
 * project's page, opens it on her computer: a project here holding the team's shared records,
 * kept in step with the server. Both come back to the team project's page.
 */
async function openTheTeamProjectHere({ demo, lead, analyst }: Team): Promise<void> {
  // both come back to the project's page when done
  const projectPages = [lead, analyst].map(({ page }) => ({ page, url: page.url() }));
  await lead.page.goto(`${demo.url}#/workflows`);
  const sharing = lead.page.getByRole('region', { name: 'Team sharing' });
  await sharing.getByRole('button', { name: 'Share this project’s records with a team project…' }).click();
  await sharing.getByLabel('Team project').selectOption({ label: PROJECT });
  await sharing.getByRole('button', { name: 'Share' }).click();
  await sharing
    .getByRole('status')
    .filter({ hasText: `Shared with the team project “${PROJECT}” · All changes saved to the team server` })
    .waitFor();

  await analyst.page.getByRole('button', { name: 'Open on this computer' }).click();
  await analyst.page
    .getByRole('status')
    .filter({
      hasText: new RegExp(
        `^“${PROJECT}” is open in this browser with the team’s [1-9][0-9]* shared records?\\.`,
      ),
    })
    .waitFor();
  expect(new URL(analyst.page.url()).hash).toMatch(/^#\/project\/[^/]+\/workflows/);
  await expect.poll(() => projectSelect(analyst.page).locator('option:checked').textContent()).toBe(PROJECT);
  await analyst.page
    .getByRole('region', { name: 'Team sharing' })
    .getByRole('status')
    .filter({ hasText: `Shared with the team project “${PROJECT}” · All changes saved to the team server` })
    .waitFor();
  for (const { page, url } of projectPages) {
    await page.goto(url);
    await page.getByRole('heading', { name: PROJECT }).waitFor();
  }
}

/** Made lead and then viewer while her page is open, the analyst's page follows without a refresh. */
async function roleChangedMeanwhile({ lead, analyst }: Team): Promise<void> {
  const changeRole = async (role: string) => {
    await lead.page.getByLabel('Role of Arun Mehta').selectOption(role);
    await lead.page.getByRole('button', { name: 'Save changes to Arun Mehta' }).click();
    await lead.page.getByRole('status').filter({ hasText: 'Arun Mehta’s access was changed.' }).waitFor();
  };
  // no refresh: the server tells her open page that the roster changed, and it reads it again
  await changeRole('lead');
  await analyst.page.getByRole('button', { name: 'Add to project' }).waitFor();
  await changeRole('viewer');
  // the lead's controls leave her page; a stale page's write refused in words: TeamScreen.test.tsx
  await (await projectPage(analyst.page, PROJECT)).getByText('Your role: Viewer').waitFor();
  expect(await analyst.page.getByRole('button', { name: 'Add to project' }).count()).toBe(0);
}

/**
 * Removed by the lead, the analyst loses the project while her page is open: the server tells her
 * page the roster changed (before it ends her stream), the page reads the project again and is
 * refused. No refresh: a Refresh button clicked here races the page that already left.
 */
async function removedMidSession({ lead, analyst }: Team, checkScreens: boolean): Promise<void> {
  await lead.page.getByRole('button', { name: 'Remove Arun Mehta from the project' }).click();
  await lead.page.getByRole('button', { name: 'Confirm removal of Arun Mehta' }).click();
  await lead.page
    .getByRole('status')
    .filter({ hasText: 'Arun Mehta was removed from the project.' })
    .waitFor();
  expect(await memberRow(lead.page, 'Arun Mehta').count()).toBe(0);

  // on the team page (the bar over it may say so too, for a copy of the project opened here)
  await analyst.page
    .getByRole('main')
    .getByRole('alert')
    .filter({ hasText: 'This project is not open to you' })
    .waitFor();
  expect(await analyst.page.getByRole('heading', { name: PROJECT }).count()).toBe(0);
  await analyst.page.getByRole('link', { name: 'All team projects' }).click();
  await analyst.page.getByRole('link', { name: DEMO_TEAM_PROJECT }).waitFor();
  expect(await analyst.page.getByRole('link', { name: PROJECT }).count()).toBe(0);
  if (checkScreens) await expectAccessible(analyst.page);
}

/** Nothing printed but the refusals the journey provokes, and no CSP violation. */
function expectQuietConsoles(...apps: Watched[]): void {
  for (const app of apps) {
    expect(app.cspViolations).toEqual([]);
    // the refusals the journey provokes are the browser's own lines about a 403 and a 404, and
    // the analyst's requests while her browser was offline its lines about a lost network
    const unexpected = app.console.filter(
      (line) =>
        /^(error|pageerror)/.test(line) && !/status of (403|404)|net::ERR_INTERNET_DISCONNECTED$/.test(line),
    );
    expect(unexpected).toEqual([]);
  }
}

describe('a go-live team shares a project on the team server', () => {
  const team = (): Team => ({ demo, lead, analyst });

  it('the lead creates a project and adds the analyst, who then sees it, read-only', async () => {
    await createProjectAndAddAnalyst(team(), true);
  });

  it('the lead and the analyst edit one shared workflow at once and both keep their edits', async () => {
    await editOneWorkflowTogether(team(), true);
  });

  it('the analyst opens the team project on her computer, with the records the lead shared', async () => {
    await openTheTeamProjectHere(team());
  });

  it('a member made lead, then viewer, meanwhile sees her controls change without a refresh', async () => {
    await roleChangedMeanwhile(team());
  });

  it('a member removed mid-session loses the project on her open page', async () => {
    await removedMidSession(team(), true);
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

  it('printed nothing unexpected and violated no CSP', () => {
    expectQuietConsoles(lead, analyst);
  });
});

/**
 * The same server over the clinic's PostgreSQL: the steps whose outcome is the database's (the
 * server's order of two people's edits, a role and a removal read in the transaction of each
 * request). Where PostgreSQL is not installed the steps are skipped with a warning; CI installs it.
 */
const postgresBin = postgresBinDir();
if (postgresBin === undefined && process.env.CI)
  throw new Error(
    'PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for these tests',
  );
if (postgresBin === undefined)
  console.warn('PostgreSQL is not installed (Debian package postgresql): the team journey on it is skipped');

describe.skipIf(postgresBin === undefined)('the same team on a server over PostgreSQL', () => {
  let postgres: TestPostgres | undefined;
  let onPostgres: Team;

  beforeAll(async () => {
    postgres = await startPostgres(postgresBin as string);
    await postgres.query('CREATE DATABASE team_journey');
    const pgDemo = await startTeamDemo({
      storage: { kind: 'postgres', url: postgres.url('team_journey') },
      seed: true,
    });
    const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(desktop, laptop);
    const [pgLead, pgAnalyst] = await Promise.all([
      openApp(desktop, '#/team', pgDemo.url),
      openApp(laptop, '#/team', pgDemo.url),
    ]);
    onPostgres = { demo: pgDemo, lead: pgLead, analyst: pgAnalyst };
  });

  afterAll(async () => {
    await onPostgres?.demo.stop();
    await postgres?.stop();
  });

  it('the server reports the clinic’s PostgreSQL as its database', async () => {
    const health = await (await fetch(`${onPostgres.demo.server.url}/api/health`)).json();
    expect(health).toEqual({
      status: 'ok',
      database: 'postgres',
      auditLog: { status: 'ok', checkedAt: expect.any(String) },
    });
  });

  it('the lead creates a project and adds the analyst', async () => {
    await createProjectAndAddAnalyst(onPostgres, false);
  });

  it('two analysts edit one workflow at once and both keep their edits', async () => {
    await editOneWorkflowTogether(onPostgres, false);
  });

  it('a member made lead, then viewer, meanwhile sees her controls change without a refresh', async () => {
    await roleChangedMeanwhile(onPostgres);
  });

  it('a member removed mid-session loses the project on her open page', async () => {
    await removedMidSession(onPostgres, false);
    expectQuietConsoles(onPostgres.lead, onPostgres.analyst);
  });
});

serverSignoffJourney('on the embedded database', () => ({ demo, browser, contexts }));
