/**
 * A bound on how deeply sub-processes nest, checked on the text before the XML reader and the
 * mapping see it: both walk a sub-process's contents by recursion, so a hostile or broken file
 * nesting tens of thousands of them would overflow the stack instead of being refused in words.
 */

/**
 * The deepest nesting of sub-processes (and ad-hoc sub-processes and transactions) accepted:
 * real models nest a handful; 64 is far above any, and far below what the stack holds.
 */
export const MAX_SUBPROCESS_DEPTH = 64;

/** Where nesting first went past the bound: the element's id (if it has one) and its line. */
export interface TooDeep {
  id?: string;
  line: number;
}

/** Elements that hold a process's contents inside a step, by their local name. */
const CONTAINERS = new Set(['subProcess', 'adHocSubProcess', 'transaction']);

/**
 * Comments and CDATA sections (skipped: a tag in them is not an element), and tags, whose
 * attribute values may hold `>`.
 */
const TOKENS =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)(?:[\w.-]+:)?([\w.-]+)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;

/**
 * The first sub-process nested deeper than `maxDepth` in `text`, or undefined. Text that is not
 * well-formed is left to the XML reader, which says where.
 */
export function tooDeeplyNested(text: string, maxDepth = MAX_SUBPROCESS_DEPTH): TooDeep | undefined {
  let depth = 0;
  let line = 1;
  const counted = 0;
  for (const match of text.matchAll(TOKENS)) {
    const [, closing, name, attributes] = match;
    if (name === undefined || !CONTAINERS.has(name)) continue;
    if (closing) {
      depth--;
      continue;
    }
    if (attributes?.trimEnd().endsWith('/')) continue;
    depth++;
    if (depth > maxDepth) {
      for (let i = counted; i < match.index; i++) if (text.charCodeAt(i) === 10) line++;
      const id = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attributes ?? '');
      const found = id?.[1] ?? id?.[2];
      return { ...(found === undefined ? {} : { id: found.slice(0, 80) }), line };
    }
  }
  return undefined;
}
