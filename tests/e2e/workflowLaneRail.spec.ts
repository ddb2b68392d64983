/**
 * Journey: an analyst opens a demo workflow wider than the window and drags the diagram sideways
 * to read its later steps. The lane names stay at the diagram's left edge, each beside its own
 * lane and as large as the diagram draws them, until the lane headers come back into view.
 * Nothing of the workflow changes by panning. Axe is clean at 1440 and 390 px with the names
 * kept in view; nothing is printed to the console.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

const WORKFLOW_NAME = 'Patient intake — current (paper clipboard)';
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  app = await openApp(context, '#/workflows');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
});

/** A point on the diagram where a drag pans: the bare pane, clear of steps, headers and flows. */
function panPoint(page: Page, fromRight: boolean): Promise<{ x: number; y: number }> {
  return page.evaluate((right) => {
    const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
    if (!pane) throw new Error('no diagram');
    const view = pane.getBoundingClientRect();
    for (let dx = 30; dx < view.width - 30; dx += 20) {
      const x = right ? view.right - dx : view.left + dx;
      for (let y = view.top + 30; y < view.bottom - 30; y += 20) {
        const hit = document.elementFromPoint(x, y);
        if (hit?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    throw new Error('no free spot on the diagram to drag');
  }, fromRight);
}

/** Drags the diagram by `dx` pixels, from a free spot, in small moves as a hand would. */
async function pan(page: Page, dx: number): Promise<void> {
  const at = await panPoint(page, dx < 0);
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(at.x + (dx * i) / 10, at.y);
  await page.mouse.up();
}

/** Each lane name kept in view: its text, where it is against the canvas, and its size on screen. */
function railShown(page: Page) {
  return page.evaluate(() => {
    const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
    const view = pane?.getBoundingClientRect();
    return [...(pane?.querySelectorAll<HTMLElement>('.wf-lane-rail-header') ?? [])].map((header) => {
      const box = header.getBoundingClientRect();
      const name = header.querySelector<HTMLElement>('.wf-lane-name');
      const zoom = box.width / header.offsetWidth;
      return {
        name: name?.textContent ?? '',
        left: box.left - (view?.left ?? 0),
        top: box.top,
        bottom: box.bottom,
        fontPx: Number.parseFloat(getComputedStyle(name ?? header).fontSize) * zoom,
      };
    });
  });
}

/** Each lane header of the diagram (the buttons): its name and where it is on screen. */
function headers(page: Page) {
  return page.evaluate(() => {
    const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
    return [...(pane?.querySelectorAll<HTMLElement>('.wf-lane-header') ?? [])].map((button) => {
      const box = button.getBoundingClientRect();
      return {
        name: button.querySelector('.wf-lane-name')?.textContent ?? '',
        top: box.top,
        bottom: box.bottom,
        right: box.right,
      };
    });
  });
}

describe('lane names while panning sideways', () => {
  it('opens with the lane headers in view and no second copy of them', async () => {
    const { page } = app;
    const name = WORKFLOW_NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await page.getByRole('link', { name: new RegExp(`^Open in editor\\s*: ${name}$`) }).click();
    await page.getByRole('heading', { level: 2, name: WORKFLOW_NAME }).waitFor();
    await page.locator('.wf-lane-header').first().waitFor();
    expect(await railShown(page)).toEqual([]);
  });

  it('keeps every lane name at the left edge, beside its lane, once the headers are panned away', async () => {
    const { page } = app;
    const before = await headers(page);
    const saved = await page.locator('.wf-message[role="status"]').textContent();
    await pan(page, -700);
    // the headers themselves are out of view on the left…
    await expect
      .poll(async () => {
        const pane = await page.getByRole('region', { name: 'Workflow diagram' }).boundingBox();
        return Math.max(...(await headers(page)).map((h) => h.right)) < (pane?.x ?? 0);
      })
      .toBe(true);
    // …and their names are drawn at the canvas's left edge, each at its own lane's height
    const rail = await railShown(page);
    const now = await headers(page);
    expect(rail.map((r) => r.name)).toEqual(before.map((h) => h.name));
    for (const [i, kept] of rail.entries()) {
      expect(Math.abs(kept.left)).toBeLessThanOrEqual(1);
      expect(Math.abs(kept.top - (now[i]?.top ?? Number.NaN))).toBeLessThanOrEqual(1);
      expect(Math.abs(kept.bottom - (now[i]?.bottom ?? Number.NaN))).toBeLessThanOrEqual(1);
      expect(kept.fontPx).toBeGreaterThanOrEqual(9);
    }
    // a picture of the names only: the headers are what a screen reader and Tab reach
    await expect(page.locator('.wf-lane-rail').getAttribute('aria-hidden')).resolves.toBe('true');
    expect(await page.getByRole('button', { name: /^Front desk\s*, 3 on shift$/ }).count()).toBe(1);
    // panning is not an edit
    await expect(page.locator('.wf-message[role="status"]').textContent()).resolves.toBe(saved);
    await expect(page.getByRole('button', { name: 'Undo' }).isDisabled()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.locator('.wf-canvas').screenshot({ path: join(SHOTS, 'lane-rail-1440.png') });
  });

  it('lets the names go once the headers are back in view', async () => {
    const { page } = app;
    await pan(page, 900);
    await expect.poll(async () => (await railShown(page)).length).toBe(0);
  });

  it('keeps the names in view on a phone too, accessible', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('region', { name: 'Workflow diagram' }).scrollIntoViewIfNeeded();
    await pan(page, -250);
    await expect.poll(async () => (await railShown(page)).length).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.locator('.wf-canvas').screenshot({ path: join(SHOTS, 'lane-rail-390.png') });
    expect(app.console.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});
