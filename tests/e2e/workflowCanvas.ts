/**
 * The workflow editor's canvas as the e2e journeys use it. React Flow applies "Zoom to fit" on a
 * later animation frame than the click, so boxes read as soon as the click returns can still be
 * those of the view before: {@link zoomToFit} waits for the fitted view itself.
 */
import type { Page } from 'playwright-core';

/**
 * Clicks "Zoom to fit" and waits until the diagram shows every step and lane, centred (to a few
 * pixels: the boxes drawn and the sizes React Flow fits differ by a pixel or two). Checked once per
 * frame, never after a delay.
 */
export async function zoomToFit(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Zoom to fit' }).click();
  await page.waitForFunction(
    () => {
      const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
      const nodes = pane ? [...pane.querySelectorAll('.react-flow__node')] : [];
      if (!pane || nodes.length === 0) return false;
      const view = pane.getBoundingClientRect();
      const rects = nodes.map((n) => n.getBoundingClientRect());
      const left = Math.min(...rects.map((r) => r.left)) - view.left;
      const right = view.right - Math.max(...rects.map((r) => r.right));
      const top = Math.min(...rects.map((r) => r.top)) - view.top;
      const bottom = view.bottom - Math.max(...rects.map((r) => r.bottom));
      return (
        Math.min(left, right, top, bottom) >= 0 && Math.abs(left - right) <= 4 && Math.abs(top - bottom) <= 4
      );
    },
    undefined,
    { polling: 'raf' },
  );
}
