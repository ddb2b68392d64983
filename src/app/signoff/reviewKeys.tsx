/**
 * The review region's single-key shortcuts: which key does what, the line that lists them, and the
 * region that takes them. Both review screens — the sign-off review (offline packet included) and a
 * team reviewer's assigned records — use this one region, so a key means the same on each.
 * Letters act only when the keyboard is on the region itself, not in a field, and never with
 * Alt, Ctrl or Meta (those belong to the browser); Esc in a field goes back to the record. A
 * decision key held down decides once: its repeats would decide the records that open after it.
 */
import type { KeyboardEvent, ReactNode, RefObject } from 'react';

/** What a shortcut does. */
export type ReviewKeyAction =
  | 'accept'
  | 'reject'
  | 'cannot-assess'
  | 'next'
  | 'previous'
  | 'next-unreviewed'
  | 'previous-unreviewed'
  | 'mark'
  | 'list'
  | 'to-record';

/** A single letter (or arrow) per action, shown on screen. */
const KEYS: Record<string, ReviewKeyAction> = {
  a: 'accept',
  r: 'reject',
  c: 'cannot-assess',
  n: 'next',
  arrowright: 'next',
  p: 'previous',
  arrowleft: 'previous',
  m: 'mark',
  l: 'list',
};

/** The key event's parts a shortcut depends on. */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** the key went to a form field (input, textarea, select) */
  inField: boolean;
  /** the key is held down (the keyboard repeating it) */
  repeat?: boolean;
}

/** What a held key never does: each decision is its own press, on a record she has seen. */
const DECISIONS: readonly ReviewKeyAction[] = ['accept', 'reject', 'cannot-assess'];

/** The action `press` asks for, or null when it is not a shortcut there. */
export function reviewKeyAction(press: KeyPress): ReviewKeyAction | null {
  if (press.altKey || press.ctrlKey || press.metaKey) return null;
  if (press.inField) return press.key === 'Escape' ? 'to-record' : null;
  const key = press.key.toLowerCase();
  if (key === 'u') return press.shiftKey ? 'previous-unreviewed' : 'next-unreviewed';
  const action = KEYS[key] ?? null;
  return press.repeat && action !== null && DECISIONS.includes(action) ? null : action;
}

/** What a screen does for each shortcut; Esc back to the record is the region's own. */
export type ReviewKeyHandlers = Record<Exclude<ReviewKeyAction, 'to-record'>, () => void>;

/** The shortcuts line's id (one review region is on screen at a time). */
const SHORTCUTS_ID = 'review-shortcuts';

/** Where a key is typing, not a shortcut. */
const FIELD_TAGS = ['INPUT', 'TEXTAREA', 'SELECT'];

/** The region's key handler: the action {@link reviewKeyAction} reads from `event`, done by `act`. */
function reviewKeyHandler(
  region: RefObject<HTMLElement | null>,
  act: ReviewKeyHandlers,
): (event: KeyboardEvent<HTMLElement>) => void {
  return (event) => {
    const target = event.target as HTMLElement;
    const action = reviewKeyAction({
      key: event.key,
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      repeat: event.repeat,
      inField: FIELD_TAGS.includes(target.tagName),
    });
    if (!action) return;
    if (action === 'to-record') {
      region.current?.focus();
      return;
    }
    event.preventDefault();
    act[action]();
  };
}

/**
 * The record in view as the keyboard's region: it takes the shortcuts (`act`), lists them above
 * the record and names them as its description for screen readers. Its decision bar stays in
 * sight at the bottom of the window while the record scrolls (`.record-review` in signoff.css).
 */
export function ReviewRegion({
  label,
  regionRef,
  act,
  hidden = false,
  children,
}: {
  label: string;
  regionRef: RefObject<HTMLElement | null>;
  act: ReviewKeyHandlers;
  /** out of sight and of the keyboard, kept in the page to be shown again (no region meanwhile) */
  hidden?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      ref={regionRef}
      hidden={hidden}
      className="record-review"
      aria-label={label}
      aria-describedby={SHORTCUTS_ID}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the review region takes the single-key shortcuts
      tabIndex={0}
      onKeyDown={reviewKeyHandler(regionRef, act)}
    >
      <ShortcutKeys />
      {children}
    </section>
  );
}

/** The shortcuts, as the region lists them above the record. */
function ShortcutKeys() {
  return (
    <p className="shortcuts" id={SHORTCUTS_ID}>
      Keys: <kbd>A</kbd> accept · <kbd>R</kbd> reject · <kbd>C</kbd> cannot assess · <kbd>N</kbd> or{' '}
      <kbd>→</kbd> next · <kbd>P</kbd> or <kbd>←</kbd> previous · <kbd>U</kbd> next not reviewed ·{' '}
      <kbd>Shift</kbd>+<kbd>U</kbd> previous not reviewed · <kbd>M</kbd> mark a field wrong · <kbd>L</kbd>{' '}
      record list · <kbd>Esc</kbd> back to the record
    </p>
  );
}
