/**
 * Journey: an analyst opens the demo clinic's intake — too wide to read whole in a 1440 px window —
 * and presses "Zoom to fit": every step is shown, and the editor says the labels are small and
 * which button reads them. "Readable size" keeps the diagram readable (a step's label at 9 px or
 * more on screen) and says it shows only part of it. The overview map takes the view to the rest.
 * "Zoom to selection" is off, saying why, until steps are selected (EditorToolbar.test.tsx);
 * zoomed out to pick two distant steps, it shows both, readable, with their lanes; the Z key does the same for the focused step.
 * A generated 300-step workflow fits as readably. At 390 px the same holds, with the overview map
 * still there. Axe is clean on each view once (the fit at both widths, zoomed to a selection at
 * 1440 px); nothing is printed to the console.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedWorkflow } from '../bench/workflowFixtures.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { viewOf, viewSettled, zoomOutToSeeAll, zoomToFit } from './workflowCanvas.ts';

const WORKFLOW_NAME = 'Patient intake — current (paper clipboard)';
const FUTURE_NAME = 'Patient intake — future (new EHR)';
/** The future intake's top-right step at a readable size: where the folded details line lies. */
const TOP_RIGHT = /^Task: Sign printed consent \(wet signature\)/;
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
/** The smallest size on screen, in pixels, at which a step's label still reads. */
const READABLE_PX = 9;
/** Two steps of the demo intake, far apart on the diagram (three lanes and three columns). */
const FAR_LEFT = /^Task: Call payer to verify eligibility, Front desk/;
const FAR_RIGHT = /^Task: Room patient, Medical assistant/;

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

const stepNode = (page: Page, name: RegExp) => page.getByRole('group', { name });
const status = (page: Page) => page.locator('.wf-message[role="status"]');
/** Waits until the editor's status line says `text` (failing with what it says instead). */
async function said(page: Page, text: string): Promise<void> {
  await expect.poll(() => status(page).textContent()).toBe(text);
}

/**
 * How the diagram shows: the smallest step label's size on screen (its font size times the
 * view's zoom) and the steps wholly inside the canvas and clear of the details card, by name.
 */
function diagramShown(page: Page): Promise<{ smallestLabel: number; inView: string[]; labels: number }> {
  return page.evaluate(() => {
    const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
    const layer = pane?.querySelector('.react-flow__viewport');
    if (!pane || !layer) return { smallestLabel: 0, inView: [], labels: 0 };
    const zoom = new DOMMatrix(getComputedStyle(layer).transform).a;
    const labels = [...pane.querySelectorAll('.wf-step-label')];
    const view = pane.getBoundingClientRect();
    // the details card lies over the canvas's right edge on a wide window: a step under it is not shown
    const card = document.querySelector('.wf-inspector')?.getBoundingClientRect();
    const inView = [...pane.querySelectorAll<HTMLElement>('.react-flow__node-step')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        const underCard =
          card !== undefined &&
          box.right > card.left &&
          box.left < card.right &&
          box.bottom > card.top &&
          box.top < card.bottom;
        return (
          box.left >= view.left &&
          box.right <= view.right &&
          box.top >= view.top &&
          box.bottom <= view.bottom &&
          !underCard
        );
      })
      .map((node) => node.getAttribute('aria-label') ?? '');
    return {
      smallestLabel: Math.min(...labels.map((l) => Number.parseFloat(getComputedStyle(l).fontSize) * zoom)),
      inView,
      labels: labels.length,
    };
  });
}

/**
 * The steps (by name) that show on the canvas, even in part, under what lies over it: the details
 * card or its folded line, and with `all` the zoom controls and the overview map too.
 */
function stepsUnderOverlays(page: Page, all: boolean): Promise<string[]> {
  return page.evaluate((all) => {
    const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
    if (!pane) return ['no canvas'];
    const view = pane.getBoundingClientRect();
    const over = [
      document.querySelector('.wf-inspector'),
      ...(all
        ? [pane.querySelector('.react-flow__controls'), pane.querySelector('.react-flow__minimap')]
        : []),
    ].flatMap((e) => (e ? [e.getBoundingClientRect()] : []));
    const meets = (a: DOMRect, b: DOMRect) =>
      a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    return [...pane.querySelectorAll('.react-flow__node-step')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        return meets(box, view) && over.some((o) => meets(box, o));
      })
      .map((node) => node.getAttribute('aria-label') ?? '');
  }, all);
}

/** Whether a step (by name) is wholly inside the canvas. */
async function inView(page: Page, name: RegExp): Promise<boolean> {
  return (await diagramShown(page)).inView.some((label) => name.test(label));
}

async function expectAxeClean(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** The view's pan, as a drag on the overview map moves it. */
async function dragOverview(page: Page, dx: number): Promise<void> {
  // the map sits at the diagram's bottom edge, which a 900 px window may leave below the fold:
  // a press there would land nowhere
  await page.locator('[aria-label="Workflow diagram"] .react-flow__minimap svg').scrollIntoViewIfNeeded();
  // where the map is once the page has stopped moving (a status line drawn above the diagram
  // moves it down): the same box two frames running, so the press lands on the map
  const box = await page
    .waitForFunction(
      () => {
        const svg = document.querySelector('[aria-label="Workflow diagram"] .react-flow__minimap svg');
        const rect = svg?.getBoundingClientRect();
        const now = rect ? [rect.x, rect.y, rect.width, rect.height].join(',') : '';
        const state = window as unknown as { __lastMapBox?: string };
        const same = state.__lastMapBox === now && now !== '';
        state.__lastMapBox = now;
        return same && rect ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height } : false;
      },
      undefined,
      { polling: 'raf' },
    )
    .then((handle) => handle.jsonValue() as Promise<{ x: number; y: number; width: number; height: number }>);
  // from the part of the map the view shows (its left end: the view starts at the lane headers)
  const at = { x: box.x + box.width * 0.1, y: box.y + box.height / 2 };
  const before = await viewOf(page);
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(at.x + (dx * i) / 10, at.y);
    // one move per frame, as a hand's drag arrives: each is its own step of the pan
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(done)));
  }
  await page.mouse.up();
  // the pan has been drawn: the view moved, then stayed
  await expect.poll(async () => (await viewOf(page)).x).not.toBe(before.x);
  await viewSettled(page);
}

describe('readable fit, the overview map and zoom to selection', () => {
  it('fits the demo intake at a readable size at 1440 px and says it shows part of it', async () => {
    const { page } = app;
    const name = WORKFLOW_NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await page.getByRole('link', { name: new RegExp(`^Open in editor\\s*: ${name}$`) }).click();
    await page.getByRole('heading', { level: 2, name: WORKFLOW_NAME }).waitFor();
    await stepNode(page, FAR_LEFT).waitFor();
    // "Zoom to fit": the whole diagram, as bpmn.io fits one, saying the labels are small
    await expect(zoomToFit(page)).resolves.toBe('whole');
    await said(
      page,
      'Showing the whole workflow; its labels are small at this size. Readable size shows them at a size you can read.',
    );
    expect(await inView(page, /^Start: Patient arrives for appointment/)).toBe(true);
    expect(await inView(page, /^End: Visit closed and billed/)).toBe(true);
    await expect(zoomToFit(page, 'Readable size')).resolves.toBe('part');
    await said(
      page,
      'Showing where the workflow starts, at a readable size. Drag the overview map (bottom right) to see the rest.',
    );
    const shown = await diagramShown(page);
    expect(shown.labels).toBeGreaterThan(0);
    expect(shown.smallestLabel).toBeGreaterThanOrEqual(READABLE_PX);
    // the start of the diagram, not its end
    expect(await inView(page, /^Start: Patient arrives for appointment/)).toBe(true);
    expect(await inView(page, /^End: Visit closed and billed/)).toBe(false);
    // the zoom buttons' own "readable size" does the same
    await page.getByRole('button', { name: 'Zoom Out' }).click();
    await viewSettled(page);
    expect((await diagramShown(page)).smallestLabel).toBeLessThan(READABLE_PX);
    await page.getByRole('button', { name: 'Zoom to a readable size' }).click();
    await viewSettled(page);
    expect((await diagramShown(page)).smallestLabel).toBeGreaterThanOrEqual(READABLE_PX);
    await expectAxeClean(page, 'a readable fit at 1440 px');
    if (SHOTS) await page.locator('.wf-editor').screenshot({ path: join(SHOTS, 'readable-fit-1440.png') });
  });

  it('takes the view to the rest of the diagram with the overview map, still readable', async () => {
    const { page } = app;
    const before = await viewOf(page);
    await dragOverview(page, 120);
    const after = await viewOf(page);
    // the diagram moved left under the view: its later steps came in, at the same zoom
    expect(after.x).toBeLessThan(before.x - 100);
    expect(after.zoom).toBeCloseTo(before.zoom);
    expect(await inView(page, /^Start: Patient arrives for appointment/)).toBe(false);
    expect((await diagramShown(page)).inView.length).toBeGreaterThan(0);
  });

  it('shows two distant steps picked from a zoomed-out view, readable, with their lanes', async () => {
    const { page } = app;
    await zoomOutToSeeAll(page);
    await stepNode(page, FAR_LEFT).click();
    await stepNode(page, FAR_RIGHT).click({ modifiers: ['Shift'] });
    await page.getByRole('heading', { level: 3, name: '2 items selected' }).waitFor();
    const button = page.getByRole('button', { name: 'Zoom to selection' });
    await expect(button.getAttribute('aria-describedby')).resolves.toBeNull();
    await button.click();
    await said(page, 'Showing the 2 selected steps.');
    await viewSettled(page);
    expect(await inView(page, FAR_LEFT)).toBe(true);
    expect(await inView(page, FAR_RIGHT)).toBe(true);
    const shown = await diagramShown(page);
    expect(shown.smallestLabel).toBeGreaterThanOrEqual(READABLE_PX);
    // not the whole diagram: the selection fills the view
    expect(await inView(page, /^End: Visit closed and billed/)).toBe(false);
    // the lanes' names are in view beside them (the headers or the names kept at the left edge)
    const laneNames = await page.evaluate(() => {
      const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
      const view = pane?.getBoundingClientRect();
      if (!pane || !view) return [];
      return [...pane.querySelectorAll<HTMLElement>('.wf-lane-name')]
        .filter((name) => {
          const box = name.getBoundingClientRect();
          return (
            box.left >= view.left &&
            box.right <= view.right &&
            box.top >= view.top &&
            box.bottom <= view.bottom
          );
        })
        .map((name) => name.textContent ?? '');
    });
    expect(laneNames).toEqual(expect.arrayContaining(['Front desk', 'Medical assistant']));
    await expectAxeClean(page, 'zoomed to a selection at 1440 px');
    if (SHOTS)
      await page.locator('.wf-canvas').screenshot({ path: join(SHOTS, 'zoom-to-selection-1440.png') });
  });

  it('zooms to the focused step with the Z key, and says what to do with nothing selected', async () => {
    const { page } = app;
    await zoomToFit(page);
    // from the keyboard, as a keyboard user gets there: focus on a step selects it alone
    await page.keyboard.press('Escape');
    await stepNode(page, /^End: Visit closed and billed/).focus();
    await page.getByRole('heading', { level: 3, name: /^End: Visit closed and billed/ }).waitFor();
    await page.keyboard.press('z');
    await said(page, 'Showing the selected step.');
    await viewSettled(page);
    expect(await inView(page, /^End: Visit closed and billed/)).toBe(true);
    expect((await diagramShown(page)).smallestLabel).toBeGreaterThanOrEqual(READABLE_PX);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.react-flow__node-step.selected').count()).toBe(0);
    await page.locator('[aria-label="Workflow diagram"] .react-flow__pane').focus();
    await page.keyboard.press('z');
    await said(page, 'Select one or more steps first: Zoom to selection shows the selected steps.');
    // listed with the other keys below the diagram
    await page
      .locator('details.wf-shortcuts')
      .getByText('Zoom to the selected steps', { exact: false })
      .waitFor({
        state: 'attached',
      });
  });

  it('keeps every step clear of the folded details line on opening, on fit and readable size, and on focus', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    const name = FUTURE_NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await page.getByRole('link', { name: new RegExp(`^Open in editor\\s*: ${name}$`) }).click();
    await page.getByRole('heading', { level: 2, name: FUTURE_NAME }).waitFor();
    await stepNode(page, TOP_RIGHT).waitFor();
    // nothing selected: the details are one line at the top right, over the canvas
    await page.locator('.wf-inspector.wf-inspector-folded').waitFor();
    await viewSettled(page);
    expect(await stepsUnderOverlays(page, false)).toEqual([]);
    await expect(zoomToFit(page)).resolves.toBe('whole');
    expect(await stepsUnderOverlays(page, true)).toEqual([]);
    await expect(zoomToFit(page, 'Readable size')).resolves.toBe('part');
    expect(await stepsUnderOverlays(page, false)).toEqual([]);
    expect(await inView(page, TOP_RIGHT)).toBe(true);
    if (SHOTS)
      await page.locator('.wf-editor').screenshot({ path: join(SHOTS, 'folded-line-clear-1440.png') });

    // dragged by hand under the line, the step comes out from under the card when it takes the focus
    const [line, step] = await Promise.all([
      page.locator('.wf-inspector').boundingBox(),
      stepNode(page, TOP_RIGHT).boundingBox(),
    ]);
    if (!line || !step) throw new Error('no folded line or step on screen');
    const from = { x: line.x - 200, y: line.y + line.height + 360 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x, from.y - (step.y - line.y) / 2, { steps: 4 });
    await page.mouse.move(from.x, from.y - (step.y - line.y) - 10, { steps: 4 });
    await page.mouse.up();
    await viewSettled(page);
    expect(await stepsUnderOverlays(page, false)).toContainEqual(expect.stringMatching(TOP_RIGHT));
    // focused from the keyboard (a key pressed first, as Tab would): selected, its details unfold,
    // and the view moves it clear of the unfolded card
    await page.keyboard.press('Shift');
    await stepNode(page, TOP_RIGHT).focus();
    await page.getByRole('heading', { level: 3, name: /^Task: Sign printed consent/ }).waitFor();
    await expect
      .poll(() => stepsUnderOverlays(page, false))
      .not.toContainEqual(expect.stringMatching(TOP_RIGHT));
    expect(await inView(page, TOP_RIGHT)).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('fits a generated 300-step workflow at a readable size', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    const workflow = { ...generatedWorkflow(300, 6, 12), name: 'Generated 300 steps' };
    await page.getByLabel('Import a workflow file (preflight.workflow/v1 JSON)').setInputFiles({
      name: 'generated-300.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(workflow)),
    });
    await page.getByRole('heading', { level: 2, name: /^Generated 300 steps/ }).waitFor();
    await stepNode(page, /^Start: Step 0,/).waitFor();
    await expect(zoomToFit(page, 'Readable size')).resolves.toBe('part');
    const shown = await diagramShown(page);
    expect(shown.smallestLabel).toBeGreaterThanOrEqual(READABLE_PX);
    expect(await inView(page, /^Start: Step 0,/)).toBe(true);
    expect(await inView(page, /^End: Step 299,/)).toBe(false);
    if (SHOTS)
      await page.locator('.wf-canvas').screenshot({ path: join(SHOTS, 'readable-fit-300-1440.png') });
  });

  it('fits readably at 390 px too, with the overview map there, accessible', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(zoomToFit(page, 'Readable size')).resolves.toBe('part');
    expect((await diagramShown(page)).smallestLabel).toBeGreaterThanOrEqual(READABLE_PX);
    await expect(
      page.locator('[aria-label="Workflow diagram"] .react-flow__minimap').isVisible(),
    ).resolves.toBe(true);
    await expectAxeClean(page, 'a readable fit at 390 px');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'readable-fit-390.png') });
    await page.keyboard.press('Escape');
    await stepNode(page, /^Task: Step 1,/).focus();
    await page.keyboard.press('z');
    await said(page, 'Showing the selected step.');
    await viewSettled(page);
    expect(await inView(page, /^Task: Step 1,/)).toBe(true);
    expect((await diagramShown(page)).smallestLabel).toBeGreaterThanOrEqual(READABLE_PX);
    // zoomed to a selection, the editor is checked by axe at 1440 px above
    if (SHOTS)
      await page.locator('.wf-canvas').screenshot({ path: join(SHOTS, 'zoom-to-selection-390.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('printed nothing and violated no CSP directive', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
