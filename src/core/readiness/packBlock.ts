/**
 * The kinds of block the printed evidence pack is made of (packDocument.ts makes the pack,
 * boardBlocks.ts the board's part of it): a file of its own, so both import it without importing
 * each other.
 */

/**
 * One block of the printed pack. `id` names a block a reader of the page may look for (the
 * browser gives it as the element's id, test id and class, `pack-<id>`); `label` names a list;
 * `flag` marks what the meeting must see first. A layout that has no use for them ignores them.
 */
export type PackBlock =
  | { kind: 'title'; text: string; id?: string }
  | { kind: 'heading'; text: string; id?: string }
  | { kind: 'paragraph'; text: string; flag?: boolean; id?: string }
  | { kind: 'list'; items: string[]; label?: string }
  | { kind: 'table'; caption: string; columns: string[]; rows: string[][]; widths: number[]; id?: string }
  | { kind: 'page-break' };
