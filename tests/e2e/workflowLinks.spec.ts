/**
 * Journey: a clinic lead with two projects copies links ("Copy link address") from the demo
 * clinic's screens — the workflows list, a process's analysis, a workflow in the editor, the
 * printable document, the event-log page — and opens them in another tab of the same browser
 * where the other project is open. Every link names the project it was shown in, so each opens
 * the demo clinic's place, never the other project's screen or "not in the open project". The
 * hrefs are read from the rendered page, as the browser copies them. Accessible (axe) at 1440 and
 * 390 px; nothing printed to the console.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, baseUrl, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let app: Watched;
let other: Watched | undefined;

const INTAKE_FUTURE = 'Patient intake — future (new EHR)';

const projectSelect = (page: Page) => page.getByLabel('Project', { exact: true });
const selectedProject = (page: Page) =>
  projectSelect(page).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');
/** The project id an href or a page's address names; undefined when it names none. */
const projectOf = (hash: string) => /^#\/project\/([^/]+)/.exec(hash)?.[1];

/** The hrefs of every link on the page that leads to a place in the app (the skip link left out). */
const placeLinks = (page: Page) =>
  page
    .locator('a[href^="#"]:not([href="#main"])')
    .evaluateAll((links) =>
      links.map((a) => ({ text: a.textContent ?? '', href: a.getAttribute('href') ?? '' })),
    );

/** Every link to a place in the app on the page names `project`. */
async function expectLinksIn(page: Page, project: string, where: string): Promise<void> {
  const links = await placeLinks(page);
  expect(links.length, where).toBeGreaterThan(0);
  const without = links.filter((l) => !l.href.startsWith(`#/project/${project}/`));
  expect(without, `${where}: links without the project`).toEqual([]);
}

/** The href of the link named `name` on the page, read as the browser copies it. */
async function hrefOf(page: Page, name: string | RegExp): Promise<string> {
  const href = await page
    .getByRole('link', { name, exact: typeof name === 'string' })
    .first()
    .getAttribute('href');
  if (href === null) throw new Error(`the link ${String(name)} has no href`);
  return href;
}

let demo = '';
let northside = '';
const copied: Array<{ what: string; href: string; shown: (page: Page) => Promise<void> }> = [];

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  app = await openApp(context, '#/workflows');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
});

describe('links name their project', () => {
  it("the demo clinic's links name the demo clinic, on every workflows screen", async () => {
    const { page } = app;
    await expect.poll(() => projectOf(new URL(page.url()).hash)).toBeDefined();
    demo = projectOf(new URL(page.url()).hash) ?? '';
    expect(demo).toBe(await projectSelect(page).inputValue());

    // the workflows list: a process, its findings, a workflow, the event-log tools
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    await expectLinksIn(page, demo, 'the workflows list');
    const process = await hrefOf(page, 'Patient intake');
    copied.push({
      what: 'a process',
      href: process,
      shown: (p) => p.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor(),
    });
    copied.push({
      what: 'a workflow in the editor',
      href: await hrefOf(page, new RegExp(`^Open in editor\\s*: ${INTAKE_FUTURE.replace(/[()]/g, '\\$&')}$`)),
      shown: (p) => p.getByRole('heading', { level: 2, name: INTAKE_FUTURE }).waitFor(),
    });
    const findings = await hrefOf(page, /in Patient intake/);
    expect(findings).toBe(`#/project/${demo}/workflows/process/patient-intake/findings`);
    copied.push({
      what: "a process's findings",
      href: findings,
      shown: (p) =>
        p
          .getByRole('region', { name: 'Analysis of Patient intake' })
          .getByRole('tab', { name: 'Findings', selected: true })
          .waitFor(),
    });
    copied.push({
      what: 'the event-log page',
      href: await hrefOf(page, 'Event logs: what really happens'),
      shown: (p) => p.getByRole('heading', { level: 2, name: 'Event logs: what really happens' }).waitFor(),
    });

    // a process's page, each of its analysis tabs
    await page.goto(`${baseUrl()}${process}`);
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    await expectLinksIn(page, demo, 'the process page');
    for (const tab of ['Findings', 'Go-live capacity']) {
      await page
        .getByRole('region', { name: 'Analysis of Patient intake' })
        .getByRole('tab', { name: tab })
        .click();
      await expectLinksIn(page, demo, `the process page, ${tab}`);
    }
    copied.push({
      what: "a process's printable document",
      href: await hrefOf(page, 'Printable document of Patient intake'),
      shown: (p) => p.getByRole('article', { name: 'Process document: Patient intake' }).waitFor(),
    });

    // the editor, the document and the event-log page
    for (const { what, href, shown } of copied.filter((c) => c.what !== "a process's findings")) {
      await page.goto(`${baseUrl()}${href}`);
      await shown(page);
      await expectLinksIn(page, demo, what);
    }
  });

  it('a link copied from the demo clinic, opened in a tab where another project is open, opens the demo clinic', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Project name').fill('Northside');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('status').filter({ hasText: 'Project “Northside” created.' }).waitFor();
    await expect.poll(() => projectOf(new URL(page.url()).hash)).not.toBe(demo);
    northside = projectOf(new URL(page.url()).hash) ?? '';
    expect(northside).toBe(await projectSelect(page).inputValue());

    // another tab of the same browser, Northside open in it
    other = await openApp(context, `#/project/${northside}/workflows`);
    const tab = other.page;
    expect(copied.map((c) => c.what)).toHaveLength(5);
    for (const { what, href, shown } of copied) {
      await tab.goto(`${baseUrl()}#/project/${northside}/workflows`);
      await expect.poll(() => selectedProject(tab), { message: what }).toBe('Northside');
      await tab.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
      await tab.goto(`${baseUrl()}${href}`);
      await shown(tab);
      await expect.poll(() => selectedProject(tab), { message: what }).toBe('Demo clinic');
      expect(new URL(tab.url()).hash, what).toBe(href);
      await expect(tab.getByRole('heading', { name: /not in the open project/ }).count(), what).resolves.toBe(
        0,
      );
    }
    expect(await axeViolations(tab)).toEqual([]);
    await tab.setViewportSize({ width: 390, height: 844 });
    expect(await axeViolations(tab)).toEqual([]);
    await expectLinksIn(tab, demo, 'the last link opened, at 390 px');
    expect(app.console).toEqual([]);
    expect(other.console).toEqual([]);
  });
});
