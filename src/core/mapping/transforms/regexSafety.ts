/**
 * Guards for `regexReplace`, whose patterns come from a mapping file someone may have been sent:
 * JavaScript's regular-expression engine backtracks, and a pattern such as `(a+)+$` takes
 * exponential time on a few dozen characters — a frozen worker on one crafted cell.
 *
 * The choice (documented in the mapping schema, src/formats/mapping.schema.json, and the mapping editor):
 * 1. Refused when the mapping compiles (by a scan of the pattern's source, not by running it):
 *    - a repeating quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > 1) on a group that itself
 *      contains a repeating quantifier or an alternation (`(a+)+`, `(\d*)*`, `(a|ab)+`,
 *      `(?:x\s*){2,}`) — "star height" above one, the classic catastrophic shape. Write a
 *      character class instead (`[ab]+` for `(a|b)+`);
 *    - back-references (`\1`, `\k<name>`), which make matching exponential whatever else is done.
 *    `?` (zero or one) never counts as repeating, so `(?:\+?1[ .-]?)?` is fine.
 * 2. Values longer than {@link MAX_REGEX_INPUT_CHARS} are not matched at all (a `regex-input-too-long`
 *    problem), which bounds what the remaining polynomial shapes (`\s*\s*$`) can cost per cell.
 * This does not prove every accepted pattern linear (overlapping adjacent quantifiers stay
 * polynomial), but it removes the exponential cases and caps the rest.
 */

/** Longest value `regexReplace` will match: longer cells are reported instead of matched. */
export const MAX_REGEX_INPUT_CHARS = 4096;

interface Frame {
  repeats: boolean;
  alternates: boolean;
}

const QUANTIFIER_BRACES = /^\{(\d+)(,(\d*))?\}/;

/**
 * Why `pattern` is refused (see the file header), or undefined when it is accepted. Assumes the
 * pattern compiles (check that first with `new RegExp`).
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  const stack: Frame[] = [{ repeats: false, alternates: false }];
  /** what the next quantifier would apply to: a group (with what it holds) or a single atom */
  let last: Frame | 'atom' | undefined;
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    const frame = stack[stack.length - 1] as Frame;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (next >= '1' && next <= '9')
        return 'back-references (\\1 …) can make matching take exponential time';
      if (next === 'k' && pattern[i + 2] === '<')
        return 'back-references (\\k<name>) can make matching take exponential time';
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i + 2] === '{') {
        const close = pattern.indexOf('}', i + 3);
        i = close < 0 ? pattern.length : close + 1;
      } else {
        i += 2;
      }
      last = 'atom';
      continue;
    }
    if (ch === '[') {
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      last = 'atom';
      continue;
    }
    if (ch === '(') {
      stack.push({ repeats: false, alternates: false });
      i++;
      if (pattern[i] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        if (pattern[i + 1] === '<' && pattern[i + 2] !== '=' && pattern[i + 2] !== '!') {
          const close = pattern.indexOf('>', i);
          i = close < 0 ? pattern.length : close + 1;
        } else {
          i += pattern[i + 1] === '<' ? 3 : 2;
        }
      }
      last = undefined;
      continue;
    }
    if (ch === ')') {
      const closed = stack.length > 1 ? (stack.pop() as Frame) : frame;
      const parent = stack[stack.length - 1] as Frame;
      parent.repeats ||= closed.repeats;
      parent.alternates ||= closed.alternates;
      last = closed;
      i++;
      continue;
    }
    if (ch === '|') {
      frame.alternates = true;
      last = undefined;
      i++;
      continue;
    }
    let repeats: boolean | undefined;
    let length = 1;
    if (ch === '*' || ch === '+') repeats = true;
    else if (ch === '?') repeats = false;
    else if (ch === '{') {
      const braces = QUANTIFIER_BRACES.exec(pattern.slice(i, i + 32));
      if (braces) {
        const min = Number(braces[1]);
        const max =
          braces[2] === undefined ? min : braces[3] === '' ? Number.POSITIVE_INFINITY : Number(braces[3]);
        repeats = max > 1;
        length = braces[0].length;
      }
    }
    if (repeats === undefined) {
      last = 'atom';
      i++;
      continue;
    }
    if (repeats && last !== undefined && last !== 'atom' && (last.repeats || last.alternates)) {
      return 'a repeated group contains another repetition or an alternation (such as (a+)+ or (a|b)*), which can make matching take exponential time: use a character class such as [ab]+ instead';
    }
    if (repeats) frame.repeats = true;
    i += length;
    if (pattern[i] === '?') i++; // lazy quantifier
    last = undefined;
  }
  return undefined;
}
