/**
 * Journey: an analyst moves around the Workflows workspace like an app. The start page lists the
 * processes with their headline numbers (not every analysis at once); a process opens on its own
 * page whose tabs each have an address; Back and Forward step through the places visited and never
 * leave the app; a reload reopens the same place; a link to a workflow opens it in the editor; an
 * address of something the project does not have says so and offers the list. Accessible (axe) at
 * 1440 and 390 px; nothing printed to the console.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  baseUrl,
  launchBrowser,
  openApp,
  placeHash,
  VIEWPORTS,
  type Watched,
  waitForSaved,
} from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let app: Watched;

const INTAKE_FUTURE = 'Patient intake — future (new EHR)';

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  app = await openApp(context, '#/workflows');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
});

/** The accessible name of a workflow's "Open in editor" link (the name is read after it). */
const openInEditor = (name: string) =>
  new RegExp(`^Open in editor\\s*: ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** The part of the address after the app's own: "#/workflows/…". */
const hashOf = (page: Page) => placeHash(page);

const analysis = (page: Page) => page.getByRole('region', { name: 'Analysis of Patient intake' });

async function expectTab(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => analysis(page).getByRole('tab', { name, exact: true }).getAttribute('aria-selected'))
    .toBe('true');
}

async function expectAxeClean(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe('moving around the Workflows workspace', () => {
  it('lists the processes with their headline numbers, without any full analysis', async () => {
    const { page } = app;
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    const intake = page.getByRole('article', { name: 'Patient intake' });
    const headline = intake.getByRole('table');
    for (const row of ['Staff time per patient', 'Waiting per patient', 'Handoffs per patient', 'Findings']) {
      await expect(headline.getByRole('rowheader', { name: row }).count(), row).resolves.toBe(1);
    }
    await expect(headline.getByRole('columnheader').allTextContents()).resolves.toEqual(['Today', 'Planned']);
    // every demo process is listed; no tabs, step tables or canvases of any of them
    await expect(page.getByRole('article').count()).resolves.toBe(4);
    await expect(page.getByRole('tablist').count()).resolves.toBe(0);
    await expect(page.locator('.findings, .react-flow').count()).resolves.toBe(0);
  });

  it('opens a process on its own page, each tab with its address, Back and Forward through them', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    expect(hashOf(page)).toBe('#/workflows/process/patient-intake/map');
    await expectTab(page, 'Map');
    await expect(page.title()).resolves.toBe('Map · Patient intake · Workflows · Demo clinic · Preflight');
    await expect(
      analysis(page)
        .getByRole('img', { name: `Diagram of ${INTAKE_FUTURE}:`, exact: false })
        .count(),
    ).resolves.toBe(1);

    await analysis(page).getByRole('tab', { name: 'Findings' }).click();
    await expectTab(page, 'Findings');
    expect(hashOf(page)).toBe('#/workflows/process/patient-intake/findings');
    await expect(page.title()).resolves.toBe(
      'Findings · Patient intake · Workflows · Demo clinic · Preflight',
    );
    await analysis(page).getByRole('tab', { name: 'Today vs planned' }).click();
    await expectTab(page, 'Today vs planned');
    expect(hashOf(page)).toBe('#/workflows/process/patient-intake/compare');

    await page.goBack();
    await expectTab(page, 'Findings');
    await page.goBack();
    await expectTab(page, 'Map');
    await page.goBack();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    expect(hashOf(page)).toBe('#/workflows');
    await page.goForward();
    await expectTab(page, 'Map');
    await page.goForward();
    await expectTab(page, 'Findings');
    expect(page.url().startsWith(baseUrl())).toBe(true);
  });

  it('arrow keys move between tabs without a history entry per key press', async () => {
    const { page } = app;
    await analysis(page).getByRole('tab', { name: 'Findings' }).focus();
    await page.keyboard.press('ArrowRight');
    await expectTab(page, 'Today vs planned');
    await page.keyboard.press('ArrowRight');
    await expectTab(page, 'Training by role');
    expect(hashOf(page)).toBe('#/workflows/process/patient-intake/training');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Training by role');
    // the tabs visited by arrow keys replaced one another: Back goes to the Map tab seen before
    await page.goBack();
    await expectTab(page, 'Map');
    await page.goForward();
    await expectTab(page, 'Training by role');
  });

  it('a reload reopens the same place', async () => {
    const { page } = app;
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    await expectTab(page, 'Training by role');
    expect(hashOf(page)).toBe('#/workflows/process/patient-intake/training');
  });

  it('a link opens a workflow in the editor, and "Back to workflows" returns to where it was opened', async () => {
    const { page } = app;
    await analysis(page).getByRole('tab', { name: 'Map' }).click();
    await expectTab(page, 'Map');
    const open = analysis(page).getByRole('link', { name: openInEditor(INTAKE_FUTURE) });
    const href = await open.getAttribute('href');
    // the link names the project it is in, so a copy of it opens this project wherever it is opened
    expect(href).toMatch(/^#\/project\/[^/]+\/workflows\/workflow\//);
    await open.click();
    await page.getByRole('heading', { level: 2, name: INTAKE_FUTURE }).waitFor();
    expect(new URL(page.url()).hash).toBe(href);
    await expect(page.title()).resolves.toBe(`${INTAKE_FUTURE} · Workflows · Demo clinic · Preflight`);
    // plural forms: "1 lane", "2 lanes", never "1 lanes"
    await expect(page.locator('.wf-editor-header .lede').textContent()).resolves.toMatch(
      /^Future workflow · \d+ lanes · \d+ steps · /,
    );
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await expectTab(page, 'Map');
    expect(hashOf(page)).toBe('#/workflows/process/patient-intake/map');
    await expect(
      page.evaluate(() => document.activeElement?.getAttribute('data-open-workflow')),
    ).resolves.toBe(href?.split('/').pop());
    // the editor's address, opened afresh (a bookmark, a link passed on), opens the editor again
    const tab = await openApp(context, href ?? '');
    await tab.page.getByRole('heading', { level: 2, name: INTAKE_FUTURE }).waitFor();
    expect(tab.console).toEqual([]);
    await tab.page.close();
  });

  it('an address of something the project does not have says so and offers the list', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows/workflow/no-such-workflow`);
    await page.getByRole('heading', { level: 2, name: 'This workflow is not in the open project' }).waitFor();
    await expect(
      page.getByRole('list', { name: 'Processes in this project' }).getByRole('link').allTextContents(),
    ).resolves.toContain('Patient intake');
    await expectAxeClean(page, 'stale workflow');
    await page.goto(`${baseUrl()}#/workflows/process/no-such-process/findings`);
    await page.getByRole('heading', { level: 2, name: 'This process is not in the open project' }).waitFor();
    await page.getByRole('link', { name: 'All workflows of this project' }).click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    expect(hashOf(page)).toBe('#/workflows');
    // an address that names no place at all is the app's "page does not exist"
    await page.goto(`${baseUrl()}#/workflows/process/patient-intake/no-such-tab`);
    await page.getByRole('heading', { level: 2, name: 'This page does not exist' }).waitFor();
  });

  it('the event-log tools have their own addresses', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows`);
    await page.getByRole('link', { name: 'Event logs: what really happens' }).click();
    await page.getByRole('heading', { level: 2, name: 'Event logs: what really happens' }).waitFor();
    expect(hashOf(page)).toBe('#/workflows/logs/discover');
    await page.getByRole('tab', { name: 'Check after go-live' }).click();
    const check = page.getByRole('region', { name: 'Check a log after go-live' });
    await check.waitFor();
    expect(hashOf(page)).toBe('#/workflows/logs/check');
    // the planned workflow chosen is part of the address: its last check can be linked to
    const planned = check.getByLabel('Planned workflow to check against');
    const other = await planned.locator('option').nth(1).getAttribute('value');
    await planned.selectOption(other ?? '');
    await expect.poll(() => hashOf(page)).toBe(`#/workflows/logs/check/${encodeURIComponent(other ?? '')}`);
    await page.reload();
    await expect.poll(() => planned.inputValue()).toBe(other);
    await page.goBack();
    await expect.poll(() => hashOf(page)).toBe('#/workflows/logs/check');
    await page.goBack();
    await expect
      .poll(() => page.getByRole('tab', { name: "Discover today's workflow" }).getAttribute('aria-selected'))
      .toBe('true');
    // a planned workflow the project does not have
    await page.goto(`${baseUrl()}#/workflows/logs/check/no-such-workflow`);
    await check
      .getByRole('status')
      .filter({ hasText: 'The planned workflow this address names is not in the open project.' })
      .waitFor();
    await expectAxeClean(page, 'check with a stale workflow');
  });

  it('a new workflow with one lane says "1 lane"', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows`);
    const form = page.getByRole('form', { name: 'New workflow' });
    await form.getByRole('textbox', { name: 'Name' }).fill('Reception (test)');
    await form.getByRole('button', { name: 'Create and open' }).click();
    await page.getByRole('heading', { level: 2, name: 'Reception (test)' }).waitFor();
    await expect(page.locator('.wf-editor-header .lede').textContent()).resolves.toMatch(
      /^Current workflow · 1 lane · \d+ steps? · /,
    );
    expect(hashOf(page)).toMatch(/^#\/workflows\/workflow\//);
    expect(app.console).toEqual([]);
  });
});

describe.each(VIEWPORTS)('on a $name screen ($width px)', ({ width, height }) => {
  it('the list, a process page and its tabs are accessible', async () => {
    const tab = await openApp(await browser.newContext({ viewport: { width, height } }), '#/workflows');
    const { page } = tab;
    await waitForSaved(page);
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expectAxeClean(page, `list at ${width} px`);
    for (const name of [
      'Map',
      'Findings',
      'Today vs planned',
      'Training by role',
      'Go-live capacity',
      'Check settings',
    ]) {
      await page.goto(`${baseUrl()}#/workflows/process/patient-intake/map`);
      await analysis(page).getByRole('tab', { name, exact: true }).click();
      await expectTab(page, name);
      await expectAxeClean(page, `${name} at ${width} px`);
    }
    // the page is no wider than the screen
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(
      width,
    );
    expect(tab.console).toEqual([]);
  });
});
