/**
 * A toolbar on one row: the items that fit stay in the row, in order; the rest go, from the end,
 * under a "More actions" button that opens them below it.
 *
 * Constraints:
 * - Widths are measured from the items as the row last drew them and kept per item, so an item
 *   moved under "More actions" keeps the width it had; an item never drawn in the row yet counts
 *   as {@link UNMEASURED_PX}. Measured again when the row's width changes and when the items change.
 * - Where nothing is laid out (a row of width 0: jsdom, a hidden editor), every item stays in the row.
 * - An element of the row marked `wf-toolbar-pinned` never moves: its width is kept free first.
 * - The panel closes on Escape (focus back on its button), on a click outside it, and after one of
 *   its buttons was pressed; a choice in a select keeps it open.
 */
import {
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

/** One thing in the row: a control (or a small group of them), or a separator between groups. */
export interface ToolbarItem {
  key: string;
  node?: ReactNode;
  separator?: true;
}

/** The width counted for an item the row has not drawn yet. */
const UNMEASURED_PX = 160;
/** The width kept for the "More actions" button before it was first drawn. */
const MORE_PX = 140;

/** Which items stay in the row and which go under "More actions" (never a separator). */
export function useToolbarOverflow(
  row: RefObject<HTMLElement | null>,
  items: readonly ToolbarItem[],
): { inRow: ToolbarItem[]; overflow: ToolbarItem[] } {
  const widths = useRef(new Map<string, number>());
  const [fit, setFit] = useState(items.length);
  const keys = items.map((item) => item.key).join('\n');

  const measure = useCallback(() => {
    const element = row.current;
    if (!element) return;
    for (const child of element.querySelectorAll<HTMLElement>(':scope > [data-tool]')) {
      const key = child.dataset.tool;
      const margins = getComputedStyle(child);
      const outer =
        child.getBoundingClientRect().width +
        (Number.parseFloat(margins.marginLeft) || 0) +
        (Number.parseFloat(margins.marginRight) || 0);
      if (key) widths.current.set(key, outer);
    }
    const style = getComputedStyle(element);
    const available =
      element.clientWidth -
      (Number.parseFloat(style.paddingLeft) || 0) -
      (Number.parseFloat(style.paddingRight) || 0);
    const all = keys.split('\n');
    if (available <= 0) {
      setFit(all.length);
      return;
    }
    const gap = Number.parseFloat(style.columnGap) || 0;
    // what stays in the row whatever its width (a layout's progress and Stop) takes its room first
    let room = available;
    for (const pinned of element.querySelectorAll<HTMLElement>(':scope > .wf-toolbar-pinned'))
      room -= pinned.getBoundingClientRect().width + gap;
    const more = element.querySelector<HTMLElement>(':scope > .wf-toolbar-more');
    if (more) widths.current.set('\u0000more', more.getBoundingClientRect().width);
    const moreWidth = widths.current.get('\u0000more') ?? MORE_PX;
    const widthOf = (key: string) => widths.current.get(key) ?? UNMEASURED_PX;
    const total = all.reduce((sum, key, i) => sum + widthOf(key) + (i > 0 ? gap : 0), 0);
    if (total <= room) {
      setFit(all.length);
      return;
    }
    let used = moreWidth;
    let count = 0;
    for (const key of all) {
      const next = used + gap + widthOf(key);
      if (next > room) break;
      used = next;
      count += 1;
    }
    setFit(count);
  }, [row, keys]);

  useLayoutEffect(() => {
    measure();
  });

  useEffect(() => {
    const element = row.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    let width = element.clientWidth;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === width) return;
      width = element.clientWidth;
      measure();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [row, measure]);

  const inRow = items.slice(0, fit);
  while (inRow.length > 0 && inRow[inRow.length - 1]?.separator) inRow.pop();
  return { inRow, overflow: items.slice(fit).filter((item) => !item.separator) };
}

/** The "More actions" button and the panel of the items the row has no room for. */
export function ToolbarMore({ items }: { items: readonly ToolbarItem[] }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const holder = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (!holder.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape' || !open) return;
    // handled here: the editor's own Escape (clearing the selection) is not meant
    event.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the panel from any control in it
    <div className="wf-toolbar-more" ref={holder} onKeyDown={onKeyDown}>
      <button
        type="button"
        ref={button}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        More actions
      </button>
      {open && (
        // biome-ignore lint/a11y/useKeyWithClickEvents: a click that pressed a button closes the panel; keys act on the buttons themselves
        <fieldset
          className="wf-toolbar-panel"
          id={panelId}
          onClick={(event) => {
            if ((event.target as HTMLElement).closest('button')) setOpen(false);
          }}
        >
          <legend className="visually-hidden">More actions</legend>
          {items.map((item) => (
            <span key={item.key} className="wf-tool">
              {item.node}
            </span>
          ))}
        </fieldset>
      )}
    </div>
  );
}
