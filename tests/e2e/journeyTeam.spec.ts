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
 * follows, and the removal mid-session — not the whole journey a second time.
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
import { DEMO_TEAM, DEMO_TEAM_PROJECT, startTeamDemo, type TeamDemo } from '../oidc/teamDemo.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from '../setup/postgres.ts';
import { axeRegionViolations } from './axeRegion.ts';
import {
  axeViolations,
  baseUrl,
  downloadedFile,
  launchBrowser,
  openApp,
  projectSelect,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';
import { DEMO_PATIENTS, openFirstRecord, planCard, planReview, signPanel } from './signoffJourney.ts';

/** The `preflight` command as installed (the built bundle while it matches the sources). */
const CLI = fileURLToPath(new URL('../../src/cli/preflight.mjs', import.meta.url));
const run = promisify(execFile);

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

/** Signs `who` in from the page's "Sign in", picking them on the demo provider's page. */
async function signIn(page: Page, who: keyof typeof DEMO_TEAM): Promise<void> {
  const person = DEMO_TEAM[who] as { name: string };
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
  await page.getByRole('button', { name: person.name }).click();
  await page.getByText(`Signed in as ${person.name}`).waitFor();
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

async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
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

/**
 * Dual review on the team server, from assignment to the steering committee's go/no-go, each person
 * in a browser of her own (a computer's profile): the lead sends the demo sample's record pairs
 * from her sign-off screen, Rosa reviews the first pass and Tomás the second, the lead
 * adjudicating; each reviewer registers her own key on her own device (a Chromium virtual
 * authenticator), which the lead confirms from her own session; Tomás reviews blind to Rosa's
 * decision and rejects what she accepted; the lead adjudicates; each reviewer signs "I reviewed
 * these records" through the step-up ceremony (a fresh sign-in at the provider, then her key's
 * assertion); the lead exports the project's log and `preflight signoff verify --server` passes it
 * against the server. Then the lead signs the sign-off on the server (her key confirmed by the data
 * lead, never by herself); her Sign-off follows the server's record with no step to bring it in,
 * and her sign-off file (checked against the server) and FHIR Bundle hold every decision and all
 * three signatures. She shares her project's records with the team project; two steering members
 * open it on their computers, where Readiness judges the sample on the server's result, and sign
 * the go/no-go there, the second co-signing the first's decision as his open page heard of it; a
 * gate the lead then changes marks the decision stale in both their open pages, with no reload.
 * What each rule refuses is proven beside it (src/server/reviewAssignments.test.ts,
 * src/server/signing.test.ts, tests/unit/serverSigning.test.ts, src/app/readiness/ServerSteering.test.tsx).
 */
describe('two reviewers review blind, the lead adjudicates, and each reviewer signs on the server', () => {
  type Person = Watched & { name: string };
  let lena: Person;
  let rosa: Person;
  let tomas: Person;
  const teamProject = (page: Page) =>
    page
      .getByRole('link', { name: DEMO_TEAM_PROJECT })
      .click()
      .then(() => page.getByRole('heading', { name: DEMO_TEAM_PROJECT }).waitFor());
  const assigned = (page: Page) => page.getByRole('region', { name: 'My assigned records' });

  /** Adds the test authenticator (WebAuthn over CDP) to `page`: a key of her own on her device. */
  async function addAuthenticator(page: Page): Promise<void> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  }

  /** `who`'s own browser at `hash`, signed in; the reviewers' with a key of their own (WebAuthn over CDP). */
  async function personAt(who: keyof typeof DEMO_TEAM, hash: string, withKey: boolean): Promise<Person> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const app = await openApp(context, hash, demo.url);
    if (withKey) await addAuthenticator(app.page);
    await signIn(app.page, who);
    return { ...app, name: (DEMO_TEAM[who] as { name: string }).name };
  }

  /** Opens the person's assigned records of the one review and the record of `pass`. */
  async function openRecord(person: Person, pass: string, role?: string) {
    await assigned(person.page)
      .getByRole('button', { name: /^Review \d+ records? of the sample sent/ })
      .click();
    if (role !== undefined)
      await assigned(person.page).getByLabel('Your role or job title (stored with each decision)').fill(role);
    await person.page.getByRole('button', { name: new RegExp(`^Record 1 \\(.*\\), ${pass}$`) }).click();
    return person.page.getByRole('region', { name: `Record 1, ${pass}` });
  }

  const recorded = (page: Page) =>
    page
      .getByTestId('server-decisions')
      .filter({ hasText: /^Recorded on the team server \(1 decision/ })
      .waitFor();

  beforeAll(async () => {
    // one after another: three first loads of the app at once only compete for the same cores
    lena = await personAt('lena', '#/signoff', false);
    rosa = await personAt('rosa', '#/team', true);
    tomas = await personAt('tomas', '#/team', true);
  });

  it('the lead sends the sample for first and second review with herself as adjudicator', async () => {
    const { page } = lena;
    await planCard(page)
      .getByLabel(/Dual review: two clinicians review every record independently/)
      .check();
    await waitForSaved(page);
    await openFirstRecord(page, DEMO_PATIENTS);
    const send = planReview(page).getByRole('region', { name: 'Send to reviewers' });
    await send.getByLabel('Team project').selectOption({ label: DEMO_TEAM_PROJECT });
    await send.getByLabel(/^First reviewer/).selectOption({ label: rosa.name });
    await send.getByLabel(/^Second reviewer/).selectOption({ label: tomas.name });
    await send.getByLabel(/^Adjudicator/).selectOption({ label: lena.name });
    await send.getByRole('button', { name: 'Send to reviewers' }).click();
    await send
      .getByTestId('send-status')
      .filter({
        hasText: `Sent 59 records read from patients.csv to the team project “${DEMO_TEAM_PROJECT}”`,
      })
      .waitFor();
  });

  it('each reviewer registers her own key, and the lead confirms both from her session', async () => {
    const codes = await Promise.all(
      [rosa, tomas].map(async ({ page }) => {
        await teamProject(page);
        await page.getByRole('button', { name: 'Register a key on this device' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: 'Your key was registered on this device' })
          .waitFor();
        return (await page.locator('.team-my-key code').textContent()) ?? '';
      }),
    );
    await lena.page.goto(`${demo.url}#/team`);
    await teamProject(lena.page);
    const keys = lena.page.getByRole('list', { name: 'Signing keys of the team' });
    for (const [i, person] of [rosa, tomas].entries()) {
      // the code the reviewer reads out is the one on the lead's row
      await keys
        .getByRole('listitem')
        .filter({ hasText: person.name })
        .getByText(codes[i] as string)
        .waitFor();
      await lena.page.getByRole('button', { name: `Confirm ${person.name}’s key` }).click();
      await lena.page
        .getByRole('status')
        .filter({ hasText: `${person.name}’s key was confirmed` })
        .waitFor();
    }
    // no reload: the server tells each reviewer's open page that the keys changed
    await Promise.all(
      [rosa, tomas].map(({ page }) => page.getByText('Confirmed by Lena Okafor on').waitFor()),
    );
  });

  it('the two review blind to each other and disagree; the lead adjudicates', async () => {
    const first = await openRecord(rosa, 'first review', 'Registered nurse');
    await first.getByRole('button', { name: 'Accept', exact: true }).click();
    await recorded(rosa.page);

    // Rosa's accept is recorded: the decisions the server gives Tomás's browser hold none of it
    const readByTomas = tomas.page.waitForResponse(
      (r) => r.request().method() === 'GET' && /\/reviews\/[^/]+\/decisions$/.test(new URL(r.url()).pathname),
    );
    const second = await openRecord(tomas, 'second review', 'Physician');
    expect((await (await readByTomas).json()).decisions).toEqual([]);
    await second.getByRole('button', { name: 'Accept', exact: true }).waitFor();
    await expectAccessible(tomas.page);
    await second.getByLabel(/^Comment/).fill('The date of birth differs from the legacy record.');
    await second.getByRole('button', { name: 'Reject', exact: true }).click();
    await recorded(tomas.page);

    // the disagreement reaches the adjudicator, with both decisions
    await lena.page.reload();
    const adjudication = await openRecord(lena, 'adjudication');
    const reviews = adjudication.getByRole('list', { name: 'The two reviews' });
    await reviews.getByText('First review: accept').waitFor();
    await reviews.getByText(/^Second review: reject — “The date of birth differs/).waitFor();
    await adjudication
      .getByLabel('Why (needed to reject)')
      .fill('The legacy record has the wrong date of birth.');
    await adjudication.getByRole('button', { name: 'Accept the record' }).click();
    await recorded(lena.page);
  });

  it('each reviewer signs with a fresh sign-in at the provider and her key', async () => {
    const asked = demo.idp.authorizationRequests.length;
    await Promise.all(
      [rosa, tomas].map(async (person) => {
        const { page } = person;
        const status = page.getByTestId('review-sign-status');
        await page.getByRole('button', { name: 'Sign my review' }).click();
        await status
          .filter({ hasText: /^Signing starts with signing in again at your organisation’s sign-in page/ })
          .waitFor();
        // the first signing of the session: the provider asks again, and brings her back here
        await page.getByRole('link', { name: 'Sign in again, then sign' }).click();
        await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
        await page.getByRole('button', { name: person.name }).click();
        await page.getByRole('heading', { name: DEMO_TEAM_PROJECT }).waitFor();
        await assigned(page)
          .getByRole('button', { name: /^Review \d+ records? of the sample sent/ })
          .click();
        await page.getByRole('button', { name: 'Sign my review' }).click();
        await status
          .filter({
            hasText: new RegExp(
              `^Signed by ${person.name} on .*: “I reviewed these records.*”, over your 1 decision`,
            ),
          })
          .waitFor();
      }),
    );
    const fresh = demo.idp.authorizationRequests.slice(asked);
    expect(fresh).toEqual([
      expect.objectContaining({ maxAge: '0', prompt: 'login' }),
      expect.objectContaining({ maxAge: '0', prompt: 'login' }),
    ]);
  });

  it('the lead exports the project’s log, and preflight signoff verify --server passes it', async () => {
    const { page } = lena;
    await page.getByRole('button', { name: 'Show audit log' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download audit log' }).click(),
    ]);
    const file = await downloadedFile(download);
    // the built command, one process, asking the server while this process serves it
    const { stdout } = await run(process.execPath, [CLI, 'signoff', 'verify', file, '--server', demo.url]);
    expect(stdout).toMatch(
      /verified project audit log: \d+ entries, head [0-9a-f]{64}; 2 signatures; every entry is the server's/,
    );
    for (const name of [rosa.name, tomas.name])
      expect(stdout).toMatch(
        new RegExp(
          `signature at entry \\d+: ${name} \\(\\w+\\), reviewer, .*meaning “I reviewed these records`,
        ),
      );
  });

  it('the lead signs on the server; her sign-off file and FHIR Bundle hold every decision and signature, and verify', async () => {
    const { page } = lena;
    // her key, confirmed by the data lead from his own session (never by its owner)
    await addAuthenticator(page);
    await page.getByRole('button', { name: 'Register a key on this device' }).click();
    await page.getByRole('status').filter({ hasText: 'Your key was registered on this device' }).waitFor();
    const dara = await personAt('dara', '#/team', false);
    await teamProject(dara.page);
    await dara.page.getByRole('button', { name: `Confirm ${lena.name}’s key` }).click();
    await dara.page
      .getByRole('status')
      .filter({ hasText: `${lena.name}’s key was confirmed` })
      .waitFor();
    // his page's part is done: its console checked now, its browser closed
    expect(dara.console.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
    await dara.page.context().close();

    // no "bring in": her Sign-off follows the server's record by itself
    await page.goto(`${demo.url}#/signoff`);
    const serverRecord = planReview(page).getByTestId('server-record');
    await serverRecord
      .filter({
        hasText: /^This review is the team server’s record: 3 decisions and 2 signatures made there/,
      })
      .waitFor();
    const signStatus = signPanel(page).getByTestId('sign-status');
    await signPanel(page).getByRole('button', { name: 'Sign', exact: true }).click();
    await signPanel(page).getByRole('link', { name: 'Sign in again, then sign' }).click();
    await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
    await page.getByRole('button', { name: lena.name }).click();
    await serverRecord.filter({ hasText: /^This review is the team server’s record: 3 decisions/ }).waitFor();
    await signPanel(page).getByRole('button', { name: 'Sign', exact: true }).click();
    await signStatus
      .filter({ hasText: new RegExp(`^Signed on the team server by ${lena.name} on `) })
      .waitFor();

    const exported = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        planReview(page).getByRole('button', { name: button }).click(),
      ]);
      return downloadedFile(download);
    };
    const signoffFile = await exported('Export the sign-off (JSON)');
    const bundleFile = await exported('FHIR Bundle');
    const [review] = JSON.parse(readFileSync(signoffFile, 'utf8')).reviews;
    // both passes and the ruling, and each reviewer's signature made on the server
    expect(review.decisions.map((d: { outcome: string }) => d.outcome).sort()).toEqual([
      'accept',
      'accept',
      'reject',
    ]);
    expect(review.serverSignatures.map((s: { signer: { name: string } }) => s.signer.name).sort()).toEqual(
      [rosa.name, tomas.name].sort(),
    );
    // the file against the server's record of its export; the Bundle from the chain it carries
    // (--server reads audit logs only)
    const verified = [
      /: verified: \d+ entries, chain head [0-9a-f]{64}; every logged decision is present and unchanged/,
      /: verified FHIR Bundle: \d+ entries, each as signed; audit chain of \d+ entries/,
    ];
    // in this process (the built command is run on the project's log above)
    for (const [i, args] of [[signoffFile, '--server', demo.url], [bundleFile]].entries()) {
      const out: string[] = [];
      const code = await main(['signoff', 'verify', ...args], {
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(t),
        cwd: '/',
      });
      const stdout = out.join('');
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(verified[i] as RegExp);
      expect(stdout).toMatch(
        new RegExp(`: signature [^:]+: ${lena.name}, Lead .*WebAuthn assertion verified`),
      );
      for (const name of [rosa.name, tomas.name])
        expect(stdout).toMatch(
          new RegExp(`: server signature [^:]+: ${name}, reviewer .*signed on the team server`),
        );
    }
  });

  /** `who`'s browser with a key the lead confirms, the team project opened on this computer, at Readiness. */
  async function steeringMember(who: 'sana' | 'omar'): Promise<Person> {
    const person = await personAt(who, '#/team', true);
    const { page } = person;
    await teamProject(page);
    await page.getByRole('button', { name: 'Register a key on this device' }).click();
    await page.getByRole('status').filter({ hasText: 'Your key was registered on this device' }).waitFor();
    await lena.page.getByRole('button', { name: `Confirm ${person.name}’s key` }).click();
    await lena.page
      .getByRole('status')
      .filter({ hasText: `${person.name}’s key was confirmed` })
      .waitFor();
    await page.getByText('Confirmed by Lena Okafor on').waitFor();
    await page.getByRole('button', { name: 'Open on this computer' }).click();
    await page
      .getByRole('status')
      .filter({
        hasText: new RegExp(`^“${DEMO_TEAM_PROJECT.replace(/[()]/g, '\\$&')}” is open in this browser`),
      })
      .waitFor();
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    return person;
  }

  let sana: Person;
  let omar: Person;

  it('Readiness shows the steering committee the sample’s result the server holds', async () => {
    // the lead shares her project's records (the sample plan among them) with the team project
    await lena.page.goto(`${demo.url}#/workflows`);
    const sharing = lena.page.getByRole('region', { name: 'Team sharing' });
    await sharing.getByRole('button', { name: 'Share this project’s records with a team project…' }).click();
    await sharing.getByLabel('Team project').selectOption({ label: DEMO_TEAM_PROJECT });
    await sharing.getByRole('button', { name: 'Share' }).click();
    await sharing.getByRole('status').filter({ hasText: 'All changes saved to the team server' }).waitFor();
    await lena.page.goto(`${demo.url}#/team`);
    await teamProject(lena.page);

    sana = await steeringMember('sana');
    omar = await steeringMember('omar');
    for (const { page } of [sana, omar]) {
      await openReadinessTab(page, 'Phases');
      // the two passes and the ruling on record 1, never "no sample drawn"
      await page
        .getByText(
          /^Sample plan “Patient demographics: whole-file sample”: on the team server, .*1 of 59 records reviewed/,
        )
        .waitFor();
    }
  });

  /** Signs the go/no-go on `person`'s Steering decision tab, through a fresh sign-in first. */
  async function signGoNoGo({ page, name }: Person, rationale?: string): Promise<void> {
    const status = page.getByTestId('steering-server-status');
    const sign = async () => {
      await openReadinessTab(page, 'Steering decision');
      if (rationale !== undefined)
        await page.getByTestId('steering-server').getByLabel('Rationale').fill(rationale);
      await page.getByRole('button', { name: 'Sign the decision' }).click();
    };
    await sign();
    await page.getByRole('link', { name: 'Sign in again, then sign' }).click();
    await page.getByText('There are no passwords: this is a demo identity provider').waitFor();
    await page.getByRole('button', { name }).click();
    await sign();
    await status.filter({ hasText: new RegExp(`^Signed on the team server by ${name} on `) }).waitFor();
  }

  const signers = (page: Page) =>
    page.getByRole('list', { name: 'Decision signatures on the team server' }).getByRole('listitem');

  it('two steering members sign the go/no-go from Readiness, the second co-signing', async () => {
    await openReadinessTab(omar.page, 'Steering decision');
    await omar.page.getByTestId('steering-server-state').filter({ hasText: 'No decision signed' }).waitFor();
    await signGoNoGo(sana, 'Record 1 was adjudicated; the rest of the sample is still to review.');
    // Omar's open page hears of the decision: he co-signs it as it stands
    await omar.page
      .getByTestId('steering-server-state')
      .filter({ hasText: /· Current$/ })
      .waitFor();
    await signGoNoGo(omar);
    for (const { page } of [sana, omar]) {
      await expect
        .poll(() => signers(page).allTextContents())
        .toEqual([
          expect.stringMatching(/^Sana Yusuf \(steering committee\) signed on /),
          expect.stringMatching(/^Omar Haddad \(steering committee\) signed on /),
        ]);
    }
    expect(await axeRegionViolations(sana.page.getByTestId('steering-server'))).toEqual([]);
  });

  it('a gate the lead changes marks the decision stale in each member’s open browser', async () => {
    await lena.page.goto(`${demo.url}#/readiness/gates`);
    await lena.page.getByLabel('Valid records in every extract, at least (%)').fill('95');
    for (const { page } of [sana, omar])
      await page
        .getByTestId('steering-server-state')
        .filter({ hasText: /· Stale$/ })
        .waitFor();
    for (const app of [lena, rosa, tomas, sana, omar]) {
      expect(app.cspViolations).toEqual([]);
      expect(app.console.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
    }
  });
});
