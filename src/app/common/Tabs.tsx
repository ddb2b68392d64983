/**
 * Tabs whose choice lives in the address (WAI-ARIA tabs pattern: arrow keys, Home and End move
 * between tabs). The caller owns the choice: `onSelect` navigates, and the route it lands on decides
 * which tab is selected, so Back and Forward step through tabs like any other place. With `hrefOf`,
 * each tab is a link to its own address: a plain click is followed by the app's link handling
 * (useLinksKeepTheProject), and "open in new tab", a middle click or "copy link" work as on any link.
 */
import { type KeyboardEvent, type ReactNode, useId, useRef } from 'react';
import './tabs.css';

/** A tab: its id (a route segment) and its label. */
export interface TabItem<T extends string> {
  id: T;
  label: string;
}

/**
 * The tab list and the selected tab's panel. `selected`: null when the address names a tab this
 * place does not have (the caller's panel says why); then the first tab takes the Tab key.
 * `onSelect(id, { replace })`: a click is a new history entry, an arrow key replaces the current
 * one (an entry per key press would make Back tedious). `hrefOf(id)`: the tab's address (made with
 * `hrefIn` through `useHref`/`useWorkflowsHref`): the tabs are links.
 */
export function Tabs<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
  hrefOf,
  children,
}: {
  label: string;
  tabs: readonly TabItem<T>[];
  selected: T | null;
  onSelect: (id: T, options: { replace: boolean }) => void;
  hrefOf?: (id: T) => string;
  children: ReactNode;
}) {
  const id = useId();
  const tabRefs = useRef<(HTMLElement | null)[]>([]);
  const focusable = selected ?? tabs[0]?.id;

  const onKeyDown = (event: KeyboardEvent<HTMLElement>, index: number) => {
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = (target + tabs.length) % tabs.length;
    const nextTab = tabs[next];
    if (!nextTab) return;
    onSelect(nextTab.id, { replace: true });
    tabRefs.current[next]?.focus();
  };

  return (
    <>
      <div role="tablist" aria-label={label} className="tab-list">
        {tabs.map((t, index) => {
          const common = {
            ref: (el: HTMLElement | null) => {
              tabRefs.current[index] = el;
            },
            role: 'tab',
            id: `${id}-tab-${t.id}`,
            'aria-selected': selected === t.id,
            'aria-controls': selected === t.id ? `${id}-panel` : undefined,
            tabIndex: focusable === t.id ? 0 : -1,
            onKeyDown: (event: KeyboardEvent<HTMLElement>) => onKeyDown(event, index),
          } as const;
          return hrefOf ? (
            <a key={t.id} {...common} href={hrefOf(t.id)}>
              {t.label}
            </a>
          ) : (
            <button key={t.id} {...common} type="button" onClick={() => onSelect(t.id, { replace: false })}>
              {t.label}
            </button>
          );
        })}
      </div>
      {selected === null ? (
        children
      ) : (
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${selected}`}>
          {children}
        </div>
      )}
    </>
  );
}
