/**
 * The workflow editor's canvas as the e2e journeys use it. React Flow draws a new view on a later
 * animation frame than the click that asked for it, so boxes read as soon as the click returns
 * can still be those of the view before: the helpers here wait for the view itself to settle,
 * checked once per frame, never after a delay.
 */
import type { Locator, Page } from 'playwright-core';

/**
 * A control of the editor's toolbar, by its name: in the row where it fits, else under "More
 * actions", which this opens (a press there closes it again). The row's split depends on the
 * window's width, so a journey asks here rather than knowing where a control is.
 */
export async function editorTool(
  page: Page,
  name: string,
  role: 'button' | 'combobox' = 'button',
): Promise<Locator> {
  // the row is split again a frame after the window's width changes: two frames on, it is done
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const toolbar = page.getByRole('toolbar', { name: 'Editor' });
  const control = toolbar.getByRole(role, { name, exact: true });
  if ((await control.count()) > 0) return control;
  const more = toolbar.getByRole('button', { name: 'More actions' });
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  return toolbar.getByRole('group', { name: 'More actions' }).getByRole(role, { name, exact: true });
}

/** The view of the editor's diagram: its zoom and pan, as drawn. */
export function viewOf(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  return page.evaluate(() => {
    const layer = document.querySelector('[aria-label="Workflow diagram"] .react-flow__viewport');
    const matrix = new DOMMatrix(layer ? getComputedStyle(layer).transform : 'none');
    return { x: matrix.e, y: matrix.f, zoom: matrix.a };
  });
}

/** Waits until the diagram's view is the same two frames running (a move has been drawn). */
export async function viewSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const layer = document.querySelector('[aria-label="Workflow diagram"] .react-flow__viewport');
      const now = layer ? getComputedStyle(layer).transform : '';
      const state = window as unknown as { __lastView?: string };
      const same = state.__lastView === now;
      state.__lastView = now;
      return same && now !== '';
    },
    undefined,
    { polling: 'raf' },
  );
}

/**
 * Clicks "Zoom to fit" (the whole workflow, however small) or "Readable size" (labels that read:
 * the whole workflow, or a part of it) and waits until the view it chose is drawn and said.
 * Returns which.
 */
export async function zoomToFit(
  page: Page,
  tool: 'Zoom to fit' | 'Readable size' = 'Zoom to fit',
): Promise<'whole' | 'part'> {
  const status = page.locator('.wf-message[role="status"]');
  // React applies a click's changes before the click returns: the words and the view read after
  // it are this fit's
  await (await editorTool(page, tool)).click();
  await status.filter({ hasText: /^Showing (the whole workflow|where the workflow starts)/ }).waitFor();
  await viewSettled(page);
  return /^Showing the whole/.test((await status.textContent()) ?? '') ? 'whole' : 'part';
}

/**
 * Zooms out with the diagram's "Zoom Out" button, as a user would to take in a diagram too big
 * to read whole, until every step and lane is in the canvas.
 */
export async function zoomOutToSeeAll(page: Page): Promise<void> {
  const allShown = () =>
    page.evaluate(() => {
      const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
      const nodes = pane ? [...pane.querySelectorAll('.react-flow__node')] : [];
      if (!pane || nodes.length === 0) return false;
      const view = pane.getBoundingClientRect();
      return nodes.every((n) => {
        const box = n.getBoundingClientRect();
        return (
          box.left >= view.left && box.right <= view.right && box.top >= view.top && box.bottom <= view.bottom
        );
      });
    });
  const zoomOut = page
    .getByRole('region', { name: 'Workflow diagram' })
    .getByRole('button', { name: 'Zoom Out' });
  for (let i = 0; i < 20 && !(await allShown()); i++) {
    await zoomOut.click();
    await viewSettled(page);
  }
  if (!(await allShown())) throw new Error('the diagram never came into view whole');
}
