import { type RefObject, useLayoutEffect } from 'react';

/** The least height of the editor's row (canvas, palette, inspector): a short window scrolls the page. */
const FILL_MIN_PX = 320;

/**
 * Room kept under the editor's row: the gap before the line under it (keyboard shortcuts and
 * status) and a little air before the window's bottom edge.
 */
const ROOM_BELOW_PX = 10;

/**
 * Lets the editor's row (`grid`: canvas, palette and inspector) take the window: sets `--wf-fill`
 * on it to the height from its top down to the window's bottom, less the line under it (the
 * keyboard shortcuts and the status line, `.wf-editor-foot`, kept in view), and never under
 * {@link FILL_MIN_PX}. The diagram pans and
 * zooms inside the canvas, and the palette and inspector scroll inside themselves, so at
 * 1440 × 900 the canvas with its overview map and the shortcuts line are seen without scrolling.
 *
 * Measured again when the window is resized, when what stands above the row changes height
 * (the app's header and messages, the editor's title and toolbar) and when the line under it does
 * (a status that takes two lines in a narrow window): whatever the status says, the line is seen
 * whole without scrolling the page. The row's own height is not watched: it follows from this,
 * and watching it would go round in a loop (the line's height does not depend on the row's).
 */
export function useFillWindow(grid: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const row = grid.current;
    if (!row) return;
    const foot = row.parentElement?.querySelector(':scope > .wf-editor-foot');
    // its first line only: the shortcuts opened below it are read by scrolling the page
    const firstLine = [
      ...(foot?.querySelectorAll(':scope > .wf-shortcuts > summary, :scope > .wf-message') ?? []),
    ];
    const above: Element[] = [...document.querySelectorAll('.app-header, .messages')];
    for (let e = row.previousElementSibling; e !== null; e = e.previousElementSibling) above.push(e);
    const measure = () => {
      const top = row.getBoundingClientRect().top + window.scrollY;
      // from the line's top to the lower of its two parts (aligned on their baselines, not tops)
      const lineTop = foot?.getBoundingClientRect().top ?? 0;
      const line = Math.max(0, ...firstLine.map((e) => e.getBoundingClientRect().bottom - lineTop));
      const fill = Math.max(FILL_MIN_PX, Math.floor(window.innerHeight - top - line - ROOM_BELOW_PX));
      row.style.setProperty('--wf-fill', `${fill}px`);
    };
    measure();
    window.addEventListener('resize', measure);
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    for (const element of [...above, ...firstLine]) observer?.observe(element);
    return () => {
      window.removeEventListener('resize', measure);
      observer?.disconnect();
    };
  }, [grid]);
}
