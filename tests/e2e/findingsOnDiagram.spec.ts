/**
 * Journey: a keyboard user reads the findings of the planned intake, presses "Show the step" on
 * one and lands on that step on the diagram (keyboard focus there, the step selected and in
 * view), so Tab goes on from the step, not from the findings panel; a finding about two steps
 * keeps both selected. Then the analyst downloads today's intake as SVG: every "re-keyed" word of
 * its hand copies, short flows between neighbouring steps included, can be read whole, nothing
 * drawn over it. Accessible (axe) with focus on the step; nothing printed to the console.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

const FUTURE = 'Patient intake — future (new EHR)';
const CURRENT = 'Patient intake — current (paper clipboard)';

let browser: Browser;
let context: BrowserContext;
let app: Watched;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const diagram = (page: Page): Locator => page.getByRole('region', { name: 'Workflow diagram' });
const panel = (page: Page): Locator => page.getByRole('region', { name: 'Findings on this workflow' });

async function openEditor(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: new RegExp(`^Open in editor\\s*: ${escapeRegExp(name)}$`) }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
  await diagram(page).waitFor();
}

/** What has keyboard focus: the step node's id and label, or where else it is. */
async function focused(
  page: Page,
): Promise<{ stepId?: string; text: string; inDiagram: boolean; selected: boolean }> {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    const node = active?.closest<HTMLElement>('.react-flow__node-step');
    return {
      ...(node?.dataset.id ? { stepId: node.dataset.id } : {}),
      text: (node ?? active)?.textContent ?? '',
      inDiagram: Boolean(active?.closest('.wf-canvas')),
      selected: Boolean(node?.classList.contains('selected')),
    };
  });
}

/** Whether an element is inside the diagram's view and the window, and not covered. */
function shownIn(element: Element): boolean {
  const pane = document.querySelector('.wf-canvas .react-flow') as HTMLElement;
  const box = element.getBoundingClientRect();
  const view = pane.getBoundingClientRect();
  const inside =
    box.left >= view.left - 1 &&
    box.right <= view.right + 1 &&
    box.top >= view.top - 1 &&
    box.bottom <= view.bottom + 1 &&
    box.top >= -1 &&
    box.bottom <= window.innerHeight + 1;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return inside && hit !== null && element.contains(hit);
}

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  app = await openApp(context, '#/workflows');
});

afterAll(async () => {
  await browser?.close();
});

describe('"Show the step" takes the keyboard to the step on the diagram', () => {
  it('moves focus from the findings panel to the step, selected and in view; Tab goes on from it', async () => {
    const { page } = app;
    await openEditor(page, FUTURE);
    const show = panel(page).getByRole('button', { name: /^Show the step in .*: Review charges/ });
    await show.focus();
    await page.keyboard.press('Enter');
    const step = diagram(page).locator('.react-flow__node-step.selected', { hasText: 'Review charges' });
    await step.waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('.react-flow__node-step') !== null);
    const now = await focused(page);
    expect(now.inDiagram).toBe(true);
    expect(now.text).toContain('Review charges');
    expect(now.selected).toBe(true);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    await expect(step.evaluate(shownIn)).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // the next Tab stays on the diagram: the user goes on from the step
    await page.keyboard.press('Tab');
    expect((await focused(page)).inDiagram).toBe(true);
  });

  it('a finding about several steps selects them all, with focus on the first', async () => {
    const { page } = app;
    const more = panel(page).getByRole('button', { name: /^Show \d+ more/ });
    while ((await more.count()) > 0) await more.first().click();
    const several = panel(page)
      .getByRole('button', { name: /^Show the \d+ steps in / })
      .first();
    const name = (await several.getAttribute('aria-label')) ?? (await several.textContent()) ?? '';
    const count = Number(name.match(/^Show the (\d+) steps/)?.[1]);
    expect(count).toBeGreaterThan(1);
    await several.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.closest('.react-flow__node-step') !== null);
    await expect(diagram(page).locator('.react-flow__node-step.selected').count()).resolves.toBe(count);
    expect((await focused(page)).selected).toBe(true);
  });

  it('prints nothing to the console', () => {
    expect(app.console).toEqual([]);
  });
});

describe("the SVG of today's intake", () => {
  it('shows every "re-keyed" word whole, on short flows too', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await openEditor(page, CURRENT);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download SVG' }).click();
    const svg = (await readFile(await (await downloading).path())).toString('utf8');
    // the hand copies are marked (the marks are on), and some run between neighbouring steps
    expect(svg).toContain('class="finding-mark ');
    const blank = await context.newPage();
    try {
      await blank.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
      const words = await blank.evaluate(() => {
        const texts = [...document.querySelectorAll('svg text')].filter((t) =>
          t.textContent?.endsWith('re-keyed'),
        );
        return texts.map((text) => {
          // hit-testing sees the window only
          text.scrollIntoView({ block: 'center', inline: 'center' });
          const box = text.getBoundingClientRect();
          // across the word, at mid height: each point is the word's own text, nothing drawn over it
          const covered = [0.08, 0.3, 0.5, 0.7, 0.92].flatMap((share) => {
            const hit = document.elementFromPoint(box.left + box.width * share, box.top + box.height / 2);
            return hit === text ? [] : [`${share}: ${hit?.tagName ?? 'nothing'}`];
          });
          return { word: text.textContent, covered, width: Math.round(box.width) };
        });
      });
      expect(words.length).toBeGreaterThanOrEqual(3);
      for (const w of words) expect(w.covered, JSON.stringify(w)).toEqual([]);
    } finally {
      await blank.close();
    }
  });
});
