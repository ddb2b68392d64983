/**
 * Journey: clinic staff move between workspaces, by mouse and by keyboard, on a desktop and on a
 * phone. Each workspace opens at its top with the header in view (the tabs, and the running jobs
 * with their progress and Cancel), and the "Skip to workspace" link moves focus into the workspace
 * without leaving it for a "page does not exist" screen.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  launchBrowser,
  openAppPerViewport,
  placeHash,
  VIEWPORTS,
  type Watched,
} from './browser.ts';

let browser: Browser;
let appAt: (name: string) => Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  appAt = await openAppPerViewport(browser, '#/migration');
});

afterAll(async () => {
  await browser?.close();
});

describe.each(VIEWPORTS)('on a $name screen ($width px)', ({ name, width }) => {
  it('a workspace chosen in the tabs opens at its top, the header in view', async () => {
    const { page } = appAt(name);
    for (const [link, heading] of [
      ['Sign-off', 'Sign-off'],
      ['Workflows', 'Workflows'],
      ['Migration', 'Migration'],
    ] as const) {
      // the user had scrolled down the screen they leave: the next one still opens at its top
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.getByRole('navigation', { name: 'Workspaces' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 2, name: heading }).waitFor();
      // focus is in the workspace, yet the page did not scroll past the header to show it
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
      await expect(page.evaluate(() => window.scrollY)).resolves.toBe(0);
      const tabs = await page.getByRole('navigation', { name: 'Workspaces' }).boundingBox();
      expect(tabs?.y ?? -1, `${link} at ${width} px`).toBeGreaterThanOrEqual(0);
    }
  });

  it('shows the four workspace tabs on one row', async () => {
    const { page } = appAt(name);
    const tops = await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
    expect(tops).toHaveLength(4);
    expect(new Set(tops).size, `tab rows at ${width} px: ${tops.join(', ')}`).toBe(1);
  });

  it('"Skip to workspace" moves focus into the workspace and stays on it', async () => {
    const { page } = appAt(name);
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Sign-off' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Sign-off' }).waitFor();
    // the skip link is the page's first stop for the keyboard
    await page.getByRole('link', { name: 'Skip to workspace' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    expect(placeHash(page)).toMatch(/#\/signoff$/);
    expect(await page.title()).toBe('Sign-off · Demo clinic · Preflight');
    await expect(page.getByRole('heading', { level: 2, name: 'Sign-off' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'This page does not exist' }).count()).resolves.toBe(0);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});
