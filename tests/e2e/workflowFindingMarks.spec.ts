/**
 * Journey: an analyst opens the demo clinic's planned intake in the editor and sees the findings
 * on the diagram itself: a mark on each flagged step and role with how many findings and how
 * serious (in words for a screen reader); chooses a mark and reads that step's findings; finds the
 * hand copies of today's intake marked on their flows; switches the marks off and finds them still
 * off after a reload. Accessible (axe) with a mark chosen; nothing printed to the console. One
 * width (1440 px): a zoomed-in diagram puts marks outside the view as a phone does; the editor's
 * fit at 390 px is layout.spec.ts's.
 * That the marks account for every finding the panel lists, each once, is proven on the same demo
 * workflow without a browser (src/app/workflows/editor/findingMarks.test.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, downloadedFile, launchBrowser, openApp, type Watched } from './browser.ts';
import { editorTool } from './workflowCanvas.ts';

const FUTURE = 'Patient intake — future (new EHR)';
const CURRENT = 'Patient intake — current (paper clipboard)';
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;
const earlierConsole: string[] = [];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const diagram = (page: Page): Locator => page.getByRole('region', { name: 'Workflow diagram' });
/** The marks on the diagram: buttons named "n finding(s) on …". */
const marks = (page: Page): Locator => diagram(page).getByRole('button', { name: /^\d+ findings? on / });
const panel = (page: Page): Locator => page.getByRole('region', { name: 'Findings on this workflow' });
const chosen = (page: Page): Locator => panel(page).locator('.finding-chosen');

async function openEditor(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: new RegExp(`^Open in editor\\s*: ${escapeRegExp(name)}$`) }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
  await diagram(page).waitFor();
}

/** Chooses a mark as a keyboard user does (a mark may lie outside the diagram's first view). */
async function choose(page: Page, mark: Locator): Promise<void> {
  await mark.focus();
  await page.keyboard.press('Enter');
}

/**
 * Whether an element is shown: in the diagram's box and the window, not under the zoom controls or
 * overview, nor under the lane names kept at the left edge where it fits beside them (drawn over
 * the diagram once the lane headers are panned out of view; clicks go through them, so the hit
 * test below cannot see them).
 */
function shownIn(element: Element): { name: string; shown: boolean; underRail: boolean; where: string } {
  const pane = document.querySelector('.wf-canvas .react-flow') as HTMLElement;
  const box = element.getBoundingClientRect();
  const view = pane.getBoundingClientRect();
  // a pixel of slack: boxes fall on fractions of a pixel, scroll offsets on whole ones
  const inside =
    box.left >= view.left - 1 &&
    box.right <= view.right + 1 &&
    box.top >= view.top - 1 &&
    box.bottom <= view.bottom + 1 &&
    box.top >= -1 &&
    box.bottom <= window.innerHeight + 1;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const rail = [...pane.querySelectorAll('.wf-lane-rail-header')].map((header) =>
    header.getBoundingClientRect(),
  );
  // beside the rail there is room for it (a phone zoomed in may have none: the rail takes half the
  // canvas), with the reveal's margin at the right edge and its gap beside the rail
  const railRight = Math.max(view.left, ...rail.map((header) => header.right));
  const roomBeside = view.right - 32 - (railRight + 8) >= box.width;
  const underRail =
    roomBeside &&
    rail.some(
      (header) =>
        box.left < header.right &&
        box.right > header.left &&
        box.top < header.bottom &&
        box.bottom > header.top,
    );
  return {
    name: (element.getAttribute('aria-label') ?? element.textContent ?? '').slice(0, 80),
    shown: inside && hit !== null && element.contains(hit),
    underRail,
    where: [box.left, box.top, box.right, box.bottom].map(Math.round).join(' '),
  };
}

/**
 * In the page: the diagram's elements that Tab reaches, in document order — rendered, `tabIndex`
 * 0 or more and not disabled (tabThroughDiagram checks that none sets one above 0, so document
 * order is Tab's order).
 */
function diagramFocusables(): HTMLElement[] {
  const viewport = document.querySelector('.wf-canvas .react-flow__viewport') as HTMLElement;
  return [
    ...viewport.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]'),
  ].filter(
    (element) =>
      element.tabIndex >= 0 &&
      !(element as HTMLButtonElement).disabled &&
      element.getClientRects().length > 0,
  );
}

/** A call of `fn` (a function of this file) with `args` (functions or JSON), to evaluate in the page. */
const inPage = (fn: (...args: never[]) => unknown, ...args: unknown[]): string =>
  `(${fn.toString()})(${args.map((arg) => (typeof arg === 'function' ? arg.toString() : JSON.stringify(arg))).join(', ')})`;

/** One element met on the way through the diagram. */
interface Met {
  /** a flow: a long line, selected on focus but not checked, only what sits on the diagram */
  flow: boolean;
  /** it took the focus, as a keyboard user's focus (so the canvas brings it into view) */
  focused: boolean;
  name: string;
  shown: boolean;
  /** under the lane names kept at the left edge, though there was room beside them */
  underRail: boolean;
  where: string;
}

/**
 * In the page: focuses each of the diagram's focusable elements in Tab's order as a keyboard
 * user's focus and says, a frame later, whether it is shown (`shown` is shownIn). One evaluation
 * for the whole walk: a round trip per element made the walk most of this file's time.
 */
async function focusEachInPage(focusables: typeof diagramFocusables, shown: typeof shownIn): Promise<Met[]> {
  const met: Met[] = [];
  for (const element of focusables()) {
    element.focus({ focusVisible: true } as FocusOptions);
    const focused = document.activeElement === element && element.matches(':focus-visible');
    if (element.closest('.react-flow__edge')) {
      met.push({ flow: true, focused, name: '', shown: true, underRail: false, where: '' });
      continue;
    }
    // the view moves in the focus handler; let the frame paint
    await new Promise((resolve) => requestAnimationFrame(resolve));
    met.push({ flow: false, focused, ...shown(element) });
  }
  return met;
}

/** In the page: focuses the `index`th of the diagram's focusable elements, as the keyboard does. */
function focusInPage(focusables: typeof diagramFocusables, index: number): void {
  focusables()[index]?.focus({ focusVisible: true } as FocusOptions);
}

/** In the page: the place of the focused element among the diagram's focusable elements, else -1. */
function focusedIndexInPage(focusables: typeof diagramFocusables): number {
  return focusables().indexOf(document.activeElement as HTMLElement);
}

/** Real Tab presses from the diagram's first element: the rest of Tab's order is taken from the page. */
const REAL_TABS = 8;

/**
 * Goes through the whole diagram as Tab does; every step, finding mark and role name must come
 * into view as it is focused. Tab's order is the document order of the diagram's focusable
 * elements: no tabindex above 0, and real Tab presses over the first of them and out of the last
 * one follow it. Returns how many marks were met.
 */
async function tabThroughDiagram(page: Page, shot?: { at: RegExp; path: string }): Promise<number> {
  const positive = await page
    .locator('.wf-canvas .react-flow__viewport [tabindex]')
    .evaluateAll((els) => els.filter((el) => (el as HTMLElement).tabIndex > 0).length);
  expect(positive).toBe(0);
  const focusedIndex = () => page.evaluate(inPage(focusedIndexInPage, diagramFocusables)) as Promise<number>;
  // the first thing Tab reaches in the diagram: the flows come first in the page, then their
  // marks, then the roles and steps
  await page.evaluate(inPage(focusInPage, diagramFocusables, 0));
  await expect(focusedIndex()).resolves.toBe(0);
  for (let i = 1; i <= REAL_TABS; i++) {
    await page.keyboard.press('Tab');
    await expect(focusedIndex()).resolves.toBe(i);
  }
  const met = (await page.evaluate(inPage(focusEachInPage, diagramFocusables, shownIn))) as Met[];
  expect(met.length).toBeGreaterThan(REAL_TABS);
  for (const seen of met) {
    expect(seen.focused, seen.name).toBe(true);
    expect(seen.shown, `${seen.name} at ${seen.where}`).toBe(true);
    expect(seen.underRail, `${seen.name} at ${seen.where}, under the lane names`).toBe(false);
  }
  // Tab from the last one leaves the diagram
  await expect(focusedIndex()).resolves.toBe(met.length - 1);
  await page.keyboard.press('Tab');
  await expect(focusedIndex()).resolves.toBe(-1);
  await expect(
    page.evaluate(() => document.activeElement?.closest('.wf-canvas .react-flow__viewport') ?? null),
  ).resolves.toBeNull();
  const at = shot && met.findIndex((seen) => shot.at.test(seen.name));
  if (shot && at !== undefined && at >= 0) {
    await page.evaluate(inPage(focusInPage, diagramFocusables, at));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    await diagram(page).screenshot({ path: shot.path });
  }
  return met.filter((seen) => !seen.flow && /^[✖▲ℹ]\d+ findings? on /.test(seen.name)).length;
}

/** Downloads the diagram as SVG and as PNG with the editor's buttons. */
async function downloadPictures(page: Page): Promise<{ svg: string; png: Buffer }> {
  const svg = (await downloadPicture(page, 'Download SVG')).toString('utf8');
  const png = await downloadPicture(page, 'Download PNG');
  return { svg, png };
}

/** One picture of the diagram, downloaded with the editor's button. */
async function downloadPicture(page: Page, button: 'Download SVG' | 'Download PNG'): Promise<Buffer> {
  const downloading = page.waitForEvent('download');
  await (await editorTool(page, button)).click();
  return readFile(await downloadedFile(await downloading));
}

/** A point inside the first problem mark of the SVG (left of its symbol), in the SVG's coordinates. */
function problemMarkSpot(svg: string): { x: number; y: number } {
  const rect = svg.match(
    /<g class="finding-mark finding-mark-error">.*?<rect x="([-\d.]+)" y="([-\d.]+)" width="[\d.]+" height="([\d.]+)"/,
  );
  if (!rect) throw new Error('no problem mark in the SVG');
  return { x: Number(rect[1]) + 4, y: Number(rect[2]) + Number(rect[3]) / 2 };
}

/** The PNG's colours at points given in the SVG's coordinates (its viewBox), read in a blank page. */
async function pixelsAt(
  png: Buffer,
  svg: string,
  points: { x: number; y: number }[],
): Promise<{ r: number; g: number; b: number }[]> {
  const [left, top, width] = (svg.match(/viewBox="([-\d.]+) ([-\d.]+) ([\d.]+)/) ?? []).slice(1).map(Number);
  const blank = await context.newPage();
  try {
    return await blank.evaluate(
      async ({ data, left, top, width, points }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const context = canvas.getContext('2d') as CanvasRenderingContext2D;
        context.drawImage(image, 0, 0);
        const scale = image.naturalWidth / width;
        return points.map((p) => {
          const [r = 0, g = 0, b = 0] = context.getImageData(
            Math.round((p.x - left) * scale),
            Math.round((p.y - top) * scale),
            1,
            1,
          ).data;
          return { r, g, b };
        });
      },
      { data: png.toString('base64'), left: left ?? 0, top: top ?? 0, width: width ?? 1, points },
    );
  } finally {
    await blank.close();
  }
}

/** The messages listed under the chosen mark. */
async function chosenMessages(page: Page): Promise<string[]> {
  return chosen(page).locator('.finding-message').allTextContents();
}

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/workflows');
});

afterAll(async () => {
  await browser?.close();
});

describe('findings drawn on the workflow diagram', () => {
  it('marks the flagged steps and roles of the planned intake, in words', async () => {
    const { page } = app;
    await openEditor(page, FUTURE);
    await marks(page).first().waitFor();
    // a step's mark: count and severities in its name, and the step's name says it has findings
    const names = await marks(page).evaluateAll((els) => els.map((el) => el.textContent ?? ''));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(name).toMatch(/^[✖▲ℹ]\d+ findings? on .+: \d+ (problem|warning|note)/);
    await expect(
      marks(page)
        .filter({ hasText: /findings? on the role Front desk:/ })
        .count(),
    ).resolves.toBe(1);
    await expect(
      diagram(page)
        .getByRole('group', { name: /^Approval: Approve self-pay .*; findings: \d+ problems?/ })
        .count(),
    ).resolves.toBe(1);
    // axe at 1440 px: with a mark chosen, below (the same screen, and the chosen findings' list)
    if (SHOTS) {
      await page.screenshot({ path: join(SHOTS, 'finding-marks-1440.png'), fullPage: true });
      await diagram(page).screenshot({ path: join(SHOTS, 'finding-marks-diagram-1440.png') });
      await page.locator('.wf-legend-findings').screenshot({ path: join(SHOTS, 'finding-marks-legend.png') });
    }
  });

  it("choosing a step's mark selects the step and lists its findings first, focused", async () => {
    const { page } = app;
    const mark = marks(page).filter({ hasText: /on Approve self-pay/ });
    await choose(page, mark);
    const title = chosen(page).getByRole('heading', { level: 5 });
    await expect(title.textContent()).resolves.toMatch(
      /^On the diagram, “Approve self-pay .*”: \d+ problems?/,
    );
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H5');
    await expect(chosen(page).locator('li').count()).resolves.toBe(
      Number((await mark.textContent())?.match(/\d+/)?.[0]),
    );
    await expect(
      diagram(page).locator('.react-flow__node.selected', { hasText: 'Approve self-pay' }).count(),
    ).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await chosen(page).getByRole('button', { name: 'Back to all findings' }).click();
    await expect(chosen(page).count()).resolves.toBe(0);
  });

  it('Tab brings each step, mark and role name into view in a zoomed-in diagram', async () => {
    const { page } = app;
    const all = await marks(page).count();
    const lastMark = /findings? on Review charges/;
    // a keyboard user: the zoom controls by keyboard, so the focus that follows shows as such
    const zoomIn = diagram(page).getByRole('button', { name: 'Zoom In' });
    await zoomIn.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Enter');
    await expect(
      tabThroughDiagram(
        page,
        SHOTS ? { at: lastMark, path: join(SHOTS, 'finding-marks-tab-zoomed-1440.png') } : undefined,
      ),
    ).resolves.toBe(all);
  });

  it('"Show the step" in the findings panel brings a step outside the view in, at the same zoom', async () => {
    const { page } = app;
    const zoomOf = () =>
      page.evaluate(
        () => (document.querySelector('.wf-canvas .react-flow__viewport') as HTMLElement).style.transform,
      );
    // every finding of the panel, with the ones folded under "Show n more" unfolded
    const more = panel(page).getByRole('button', { name: /^Show \d+ more/ });
    while ((await more.count()) > 0) await more.first().click();
    // a step at the left of the intake first, then one at the far right: out of the zoomed-in view
    await panel(page)
      .getByRole('button', { name: /^Show the step in .*: Pre-register/ })
      .first()
      .click();
    const show = panel(page).getByRole('button', { name: /^Show the step in .*: Review charges/ });
    await expect(
      diagram(page)
        .locator('.react-flow__node', { hasText: 'Review charges' })
        .evaluate(shownIn)
        .then((r) => r.shown),
    ).resolves.toBe(false);
    const before = (await zoomOf()).match(/scale\(([\d.]+)\)/)?.[1];
    await show.focus();
    await page.keyboard.press('Enter');
    const step = diagram(page).locator('.react-flow__node.selected', { hasText: 'Review charges' });
    await step.waitFor();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null))));
    expect((await zoomOf()).match(/scale\(([\d.]+)\)/)?.[1]).toBe(before);
    const seen = await step.evaluate(shownIn);
    expect(seen.shown, `${seen.name} at ${seen.where}`).toBe(true);
    expect(seen.underRail, `${seen.name} at ${seen.where}, under the lane names`).toBe(false);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'finding-marks-show-step-1440.png') });
  });

  it("marks the hand copies of today's intake on their flows", async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await openEditor(page, CURRENT);
    const flowMarks = marks(page).filter({ hasText: / on the flow from / });
    // a flow's mark is drawn with its flow, once React Flow has measured the steps it joins: after
    // the diagram itself appears
    await expect.poll(() => flowMarks.count()).toBe(3);
    await choose(page, flowMarks.first());
    await expect(chosenMessages(page)).resolves.toEqual([expect.stringMatching(/copies data by hand/)]);
    // this editor at 1440 px, its marks shown, is checked by axe in journeyAnalyst.spec.ts
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'finding-marks-current-1440.png') });
    // Tab reaches the flows' marks too, each brought into view (zoomed in, most lie outside it)
    const zoomIn = diagram(page).getByRole('button', { name: 'Zoom In' });
    await zoomIn.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Enter');
    await expect(tabThroughDiagram(page)).resolves.toBe(await marks(page).count());
  });

  it('downloads the SVG and PNG with the marks while they are shown, and the SVG without when switched off', async () => {
    const { page } = app;
    const shown = await marks(page).count();
    const withMarks = await downloadPictures(page);
    // every mark of the canvas is in the SVG, titled in the canvas's words, with the legend
    const titles = [
      ...withMarks.svg.matchAll(/<g class="finding-mark finding-mark-\w+"><title>([^<]*)<\/title>/g),
    ].map((m) => m[1]);
    expect(titles).toHaveLength(shown);
    // a mark's words on the canvas: its text without the symbol ("2 findings on …: 1 problem, 1 note")
    const names = await marks(page).evaluateAll((els) =>
      els.map((el) => (el.textContent ?? '').replace(/^[✖▲ℹ]/, '').trim()),
    );
    const xml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
    expect(titles.sort()).toEqual(names.map(xml).sort());
    expect(withMarks.svg).toContain('Findings on the diagram');
    // the PNG is drawn from that SVG: a problem mark's colour where the SVG puts the mark
    const spot = problemMarkSpot(withMarks.svg);
    const seen = await pixelsAt(withMarks.png, withMarks.svg, [spot]);
    expect(seen[0]).toEqual(
      expect.objectContaining({ r: expect.closeTo(0xa4, -1), g: expect.closeTo(0x16, -1) }),
    );

    const toggle = await editorTool(page, 'Findings on the diagram');
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    await toggle.click();
    await expect(marks(page).count()).resolves.toBe(0);
    // the PNG is drawn from the SVG (proven above): the SVG alone says the switch reached the export
    const without = (await downloadPicture(page, 'Download SVG')).toString('utf8');
    expect(without).not.toContain('finding-mark');
    expect(without).not.toContain('Findings on the diagram');
    if (SHOTS) await writeFile(join(SHOTS, 'finding-marks-export.png'), withMarks.png);
  });

  it('switches the marks off, and they stay off after a reload', async () => {
    const { page } = app;
    // switched off in the test before; a press under "More actions" closes it: the button is asked
    // for again
    await expect(
      (await editorTool(page, 'Findings on the diagram')).getAttribute('aria-pressed'),
    ).resolves.toBe('false');
    await expect(marks(page).count()).resolves.toBe(0);
    await expect(page.locator('.wf-legend-findings').count()).resolves.toBe(0);
    earlierConsole.push(...app.console);
    app.console.length = 0;
    await page.reload();
    await page.getByRole('heading', { level: 2, name: CURRENT }).waitFor();
    await diagram(page).waitFor();
    await expect(
      (await editorTool(page, 'Findings on the diagram')).getAttribute('aria-pressed'),
    ).resolves.toBe('false');
    await expect(marks(page).count()).resolves.toBe(0);
    // the findings are still listed below the diagram
    await expect(panel(page).locator('li.finding').count()).resolves.toBeGreaterThan(0);
  });

  it('printed nothing to the console', () => {
    expect([...earlierConsole, ...app.console]).toEqual([]);
  });
});
