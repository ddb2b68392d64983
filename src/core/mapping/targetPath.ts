/**
 * Target paths of a mapping: `birthDate`, `name[0].family`, `identifier[1].type.coding[0].code`.
 * A path is property names joined by `.`, each optionally followed by `[n]` list positions.
 *
 * Constraints:
 * - A name is any text without `.`, `[` or `]`; `__proto__` is refused, because assigning it
 *   would change an object's prototype instead of adding a field.
 * - Positions are whole numbers without leading zeros, at most {@link MAX_TARGET_INDEX}: a
 *   mapping fills a handful of list items, and `given[99999999]` is a typo, not a plan.
 */

/** One step of a target path. */
export type TargetSegment = { kind: 'property'; name: string } | { kind: 'index'; index: number };

/** The highest list position a target path may name. */
const MAX_TARGET_INDEX = 999;

const FORBIDDEN_NAME = '__proto__';

/** The segments of `path`, or why it is not a target path (a message naming no value). */
export function parseTargetPath(path: string): TargetSegment[] | string {
  const segments: TargetSegment[] = [];
  let i = 0;
  let expectName = true;
  while (i < path.length) {
    if (expectName) {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[' && path[end] !== ']') end++;
      if (end === i) return 'a target path needs a field name here (before ".", "[" or at the start)';
      const name = path.slice(i, end);
      if (name === FORBIDDEN_NAME) return '"__proto__" cannot be a field name';
      segments.push({ kind: 'property', name });
      i = end;
      expectName = false;
      continue;
    }
    const ch = path[i];
    if (ch === '.') {
      i++;
      expectName = true;
      if (i === path.length) return 'a target path cannot end with "."';
      continue;
    }
    if (ch === '[') {
      const close = path.indexOf(']', i);
      const digits = close < 0 ? '' : path.slice(i + 1, close);
      if (!/^(0|[1-9]\d{0,2})$/.test(digits)) {
        return `a list position is written [0], [1], … up to [${MAX_TARGET_INDEX}]`;
      }
      segments.push({ kind: 'index', index: Number(digits) });
      i = close + 1;
      continue;
    }
    return 'after a field name or a list position comes ".", "[" or the end of the path';
  }
  return segments;
}

/** The path written back from segments (the canonical spelling). */
export function formatTargetPath(segments: readonly TargetSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (segment.kind === 'index') out += `[${segment.index}]`;
    else out += out === '' ? segment.name : `.${segment.name}`;
  }
  return out;
}
