/**
 * The go-live team's steps on the team server, two people in two browsers, run by the team journey
 * on the embedded database (tests/e2e/journeyTeam.spec.ts): the lead creates a project and adds
 * the analyst, both edit one shared workflow at once, the analyst's role changes and she is removed
 * while her page is open. On the clinic's PostgreSQL, what the database decides in these steps is
 * the server's tests' (src/server/sharedWorkflows.test.ts, each engine). What each step proves: the
 * journey's own comments.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_TEAM_PROJECT, type TeamDemo } from '../oidc/teamDemo.ts';
import { projectSelect, type Watched } from './browser.ts';
import { expectAccessible, signIn } from './teamServerJourney.ts';

/** The team project the journey's lead creates. */
export const PROJECT = 'Ward 4 go-live';

/** One run of the journey: a team server and the two people's browsers on it. */
export interface Team {
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
  await expect.poll(() => field.inputValue()).toBe(minutes);
}

/** Waits until the list of recent changes holds `line` (the list opened first). */
async function recent(page: Page, line: string): Promise<void> {
  const changes = page.locator('details.shared-changes');
  if ((await changes.getAttribute('open')) === null) await changes.locator('summary').click();
  await changes.getByRole('listitem').filter({ hasText: line }).waitFor();
}

/**
 * The lead signs in from the page's "Sign in" link, back at the list of team projects, creates the
 * project and adds the analyst, who then sees it, read-only; axe and the way back and forth through
 * the project's address on the way. The analyst's page is signed in already (from the server's
 * sign-in: the link is the lead's step).
 */
export async function createProjectAndAddAnalyst({ lead, analyst }: Team): Promise<void> {
  // the demo's own project (npm run team-demo) holds the whole team
  await analyst.page.getByRole('link', { name: DEMO_TEAM_PROJECT }).waitFor();
  expect(await analyst.page.getByRole('link', { name: PROJECT }).count()).toBe(0);
  await signIn(lead.page, 'lena');
  expect(new URL(lead.page.url()).hash, 'back at the place signed in from').toMatch(/\/team$/);

  await lead.page.getByLabel('Project name').fill(PROJECT);
  await lead.page.getByRole('button', { name: 'Create project' }).click();
  await (await projectPage(lead.page, PROJECT)).getByText('Your role: Lead').waitFor();
  // the project is a place of its own: Back is the list, Forward the project again
  await lead.page.goBack();
  await lead.page.getByRole('link', { name: PROJECT }).waitFor();
  await lead.page.goForward();
  await lead.page.getByRole('heading', { name: PROJECT }).waitFor();

  await lead.page.getByLabel('E-mail', { exact: true }).fill('analyst@demo-clinic.test');
  await lead.page.getByLabel('Role', { exact: true }).selectOption('analyst');
  await lead.page.getByRole('button', { name: 'Add to project' }).click();
  await lead.page.getByRole('status').filter({ hasText: 'Arun Mehta was added as Analyst.' }).waitFor();
  await expectAccessible(lead.page);

  await analyst.page.getByRole('button', { name: 'Refresh list' }).click();
  await analyst.page.getByRole('link', { name: PROJECT }).click();
  await (await projectPage(analyst.page, PROJECT)).getByText('Your role: Analyst').waitFor();
  await memberRow(analyst.page, 'Lena Okafor').getByText('Lead · no end date').waitFor();
  expect(await analyst.page.getByRole('button', { name: 'Add to project' }).count()).toBe(0);
  expect(await analyst.page.getByRole('button', { name: 'Download audit log' }).count()).toBe(0);
  await expectAccessible(analyst.page);
}

/** The lead shares a workflow; both edit it at once, the analyst offline meanwhile; both keep their edits. */
export async function editOneWorkflowTogether({ demo, lead, analyst }: Team): Promise<void> {
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
    await expect.poll(() => touch.inputValue()).toBe('7');
    await recent(page, `Arun Mehta set the touch time (minutes) of “${CHECK_IN}” to 7.`);
    await recent(page, `Lena Okafor set the touch time (minutes) of “${CHECK_IN}” to 5.`);
    await inStep(page);
    await expectTouch(page, 'Room patient', '2');
    await expectTouch(page, 'Call payer to verify eligibility', '4');
  }
  await expectAccessible(lead.page);
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
export async function openTheTeamProjectHere({ demo, lead, analyst }: Team): Promise<void> {
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
export async function roleChangedMeanwhile({ lead, analyst }: Team): Promise<void> {
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
export async function removedMidSession({ lead, analyst }: Team): Promise<void> {
  await lead.page.getByRole('button', { name: 'Remove Arun Mehta from the project' }).click();
  await lead.page.getByRole('button', { name: 'Confirm removal of Arun Mehta' }).click();
  await lead.page
    .getByRole('status')
    .filter({ hasText: 'Arun Mehta was removed from the project.' })
    .waitFor();
  // the status is said when the server answers; the roster is read again after it
  await memberRow(lead.page, 'Arun Mehta').waitFor({ state: 'detached' });

  // on the team page (the bar over it may say so too, for a copy of the project opened here)
  await analyst.page
    .getByRole('main')
    .getByRole('alert')
    .filter({ hasText: 'This project is not open to you' })
    .waitFor();
  await analyst.page.getByRole('heading', { name: PROJECT }).waitFor({ state: 'detached' });
  await analyst.page.getByRole('link', { name: 'All team projects' }).click();
  await analyst.page.getByRole('link', { name: DEMO_TEAM_PROJECT }).waitFor();
  // the list may first show what this page last read, then the server's answer without it
  await analyst.page.getByRole('link', { name: PROJECT }).waitFor({ state: 'detached' });
  await expectAccessible(analyst.page);
}

/** Nothing printed but the refusals the journey provokes, and no CSP violation. */
export function expectQuietConsoles(...apps: Watched[]): void {
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
