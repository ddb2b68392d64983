import type { ReactNode } from 'react';

/**
 * Lets a wide table scroll sideways inside its card instead of widening the page on a small screen.
 * A scrollable region must be reachable by keyboard and named (WCAG 2.1.1; axe
 * `scrollable-region-focusable`), hence the tab stop and the label.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it
    <section className="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
