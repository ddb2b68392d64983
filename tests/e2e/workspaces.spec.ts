/**
 * Journey: a newcomer opens Preflight for the first time. The demo clinic is there, every
 * workspace shows its real content (Readiness judges the demo's role owners), the page is accessible, secure headers are in force and
 * nothing is printed to the console.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, baseUrl, launchBrowser, openApp, type Watched } from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';

let browser: Browser;
let context: BrowserContext;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext();
  app = await openApp(context);
});

afterAll(async () => {
  await browser?.close();
});

describe('first visit', () => {
  it('serves the app with its security headers and cross-origin isolation', async () => {
    const response = await fetch(baseUrl());
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "worker-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "connect-src 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await app.page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    // the policy also travels inside index.html, for static hosts that drop our headers
    const meta = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toContain('frame-ancestors');
  });

  it('opens the demo clinic project', async () => {
    await expect(app.page.getByLabel('Project', { exact: true }).inputValue()).resolves.not.toBe('');
    const selected = await app.page
      .getByLabel('Project', { exact: true })
      .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text);
    expect(selected).toBe('Demo clinic');
  });

  it('lists the processes, and the workflows of a process with their lanes and step counts', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Workflows', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    // the list: one card per process, today's and the planned workflow named in each
    const processes = page.getByRole('article');
    expect(await processes.count()).toBeGreaterThanOrEqual(2);
    await expect(page.getByText('Today', { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('Planned', { exact: true }).first().isVisible()).resolves.toBe(true);
    // a process's page shows its workflows with their lanes and step counts
    await page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Patient intake' }).waitFor();
    const cards = page.getByRole('article');
    expect(await cards.count()).toBeGreaterThanOrEqual(2);
    await expect(page.getByText('Current', { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('Future', { exact: true }).first().isVisible()).resolves.toBe(true);
    const lanes = page.getByRole('table').first();
    await expect(lanes.getByRole('rowheader').count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(
      page
        .getByText(/^\d+ \(\d+ tasks?/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
  });

  it('lists the legacy extracts with their size, encoding and columns', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Migration', exact: true }).click();
    const table = page.getByRole('table', { name: 'Legacy extracts' });
    await table.waitFor();
    const patients = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'patients.csv' }) });
    await expect(patients.getByText(/\d+(\.\d)? (KB|MB)/).isVisible()).resolves.toBe(true);
    await expect(patients.getByText('utf-8').isVisible()).resolves.toBe(true);
    await expect(patients.getByText(/\d+ columns/).isVisible()).resolves.toBe(true);
    const encounters = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'encounters.csv' }) });
    await expect(encounters.getByText('windows-1252').isVisible()).resolves.toBe(true);
    await expect(encounters.getByRole('cell', { name: ';' }).isVisible()).resolves.toBe(true);
  });

  it('shows the sample plans in Sign-off and the phases in Readiness', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Sign-off', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Sign-off' }).waitFor();
    await expect(page.getByText('Highest error rate accepted (%)').first().isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: 'Readiness', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Readiness' }).waitFor();
    await expect(page.getByRole('listitem').filter({ hasText: 'Discovery' }).isVisible()).resolves.toBe(true);
    // the demo carries the role owners of the demo project file: every role but the two never asked
    await openReadinessTab(page, 'Phases');
    const discovery = page
      .getByRole('list', { name: 'Phases' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3, name: 'Discovery', exact: true }) });
    await discovery
      .getByText('6 of 8 roles in the workflows have a named owner; 4 have stakeholders recorded.')
      .waitFor();
    await discovery.getByText(/^No owner is named for Reference lab and Billing: /).waitFor();
  });

  it('has no axe-core accessibility violations in any workspace', async () => {
    const { page } = app;
    for (const name of ['Workflows', 'Migration', 'Sign-off', 'Readiness']) {
      await page.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 2, name }).waitFor();
      const violations = await axeViolations(page);
      expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
    }
  });

  it('keyboard: the workspace navigation is reachable and marks the current page', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Sign-off', exact: true }).focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.locator('nav a[aria-current="page"]', { hasText: 'Migration' }).waitFor();
    // focus moves into the workspace so the next Tab starts there
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    expect(page.url()).toMatch(/#\/migration$/);
  });

  it('printed nothing to the console and broke no CSP rule', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
