/**
 * The review region's single-key shortcuts: which key does what, and the line that lists them.
 * Letters act only when the keyboard is on the region itself, not in a field, and never with
 * Alt, Ctrl or Meta (those belong to the browser); Esc in a field goes back to the record.
 */

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
}

/** The action `press` asks for, or null when it is not a shortcut there. */
export function reviewKeyAction(press: KeyPress): ReviewKeyAction | null {
  if (press.altKey || press.ctrlKey || press.metaKey) return null;
  if (press.inField) return press.key === 'Escape' ? 'to-record' : null;
  const key = press.key.toLowerCase();
  if (key === 'u') return press.shiftKey ? 'previous-unreviewed' : 'next-unreviewed';
  return KEYS[key] ?? null;
}

/** The shortcuts, as the region lists them above the record. */
export function ShortcutKeys() {
  return (
    <p className="shortcuts" id="review-shortcuts">
      Keys: <kbd>A</kbd> accept · <kbd>R</kbd> reject · <kbd>C</kbd> cannot assess · <kbd>N</kbd> or{' '}
      <kbd>→</kbd> next · <kbd>P</kbd> or <kbd>←</kbd> previous · <kbd>U</kbd> next not reviewed ·{' '}
      <kbd>Shift</kbd>+<kbd>U</kbd> previous not reviewed · <kbd>M</kbd> mark a field wrong · <kbd>L</kbd>{' '}
      record list · <kbd>Esc</kbd> back to the record
    </p>
  );
}
