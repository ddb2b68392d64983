/**
 * Fixed-layout patterns without a regular expression run per cell: `^P\d{7}$`, `^\d{3}-\d{2}-\d{4}$`,
 * `^[A-Z]{3}\d{9}$`, `^\d{5}(?:-\d{4})?$` — the identifiers, codes and numbers of an extract. A
 * regular expression call on a short string costs more in the engine than comparing its few
 * characters, and these patterns run on every filled cell of high-cardinality columns.
 *
 * Constraints:
 * - Exactly the pattern's meaning (ECMAScript, "u" flag, as ajv and the `pattern` check use it):
 *   only patterns whose every position is one ASCII character class are compiled — `^`, then
 *   literals, `\d`, `\w` or ASCII ranges `[A-Za-z0-9]`, each once or `{n}` times, at most one
 *   optional group `(?:…)?` at the end, then `$`. Anything else gives `undefined` (the caller keeps
 *   the regular expression). Property-tested against the regular expression on any text.
 * - Code units and code points agree here: every position matches one ASCII character, so a text
 *   of the right length in UTF-16 units with an ASCII unit at each position is the only match.
 */

/** Longest layout compiled (longer ones keep their regular expression). */
const MAX_SHAPE_LENGTH = 64;
const ASCII = 128;

/** The text's layout test, or undefined when the pattern is not a fixed ASCII layout. */
export function shapeTest(pattern: string): ((text: string) => boolean) | undefined {
  const parsed = parseShape(pattern);
  if (parsed === undefined) return undefined;
  const [base, optional] = parsed;
  const short = base.length;
  const long = optional === undefined ? -1 : short + optional.length;
  if ((long < 0 ? short : long) > MAX_SHAPE_LENGTH) return undefined;
  // one table for both lengths: position i allows code unit c when table[i * 128 + c] is 1
  const positions = [...base, ...(optional ?? [])];
  const table = new Uint8Array(positions.length * ASCII);
  positions.forEach((allowed, i) => {
    for (const c of allowed) table[i * ASCII + c] = 1;
  });
  return (text) => {
    const n = text.length;
    if (n !== short && n !== long) return false;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= ASCII || table[i * ASCII + c] === 0) return false;
    }
    return true;
  };
}

/**
 * The column-profile value kind (columnProfile.ts `VALUE_KINDS`) of every text the layout accepts,
 * when one kind covers them all: "text" for ids, codes and phone numbers (`^P\d{7}$`,
 * `^\d{3}-\d{2}-\d{4}$`), "date:YYYY-MM-DD" for `^\d{4}-\d{2}-\d{2}$`; undefined when the
 * layout may give several kinds (`^\d{8}$`: an integer or a YYYYMMDD date) or the pattern is no
 * layout. The profile then skips classifying cells the pattern accepted (it checked the same
 * characters). Sufficient conditions only, read off the profile's kind tests: each kind needs a
 * character somewhere (an "@", a "."), a digit or a sign first, or a length the layout does not
 * have. Property-tested: every text the pattern matches has this kind.
 */
export function shapeKind(pattern: string): 'text' | 'date:YYYY-MM-DD' | undefined {
  const parsed = parseShape(pattern);
  if (parsed === undefined) return undefined;
  const [base, optional] = parsed;
  const layouts = optional === undefined ? [base] : [base, [...base, ...optional]];
  const allows = (at: number[] | undefined, c: string) => at?.includes(c.charCodeAt(0)) === true;
  const only = (at: number[] | undefined, chars: number[]) =>
    at !== undefined && at.length > 0 && at.every((c) => chars.includes(c));
  const kinds = new Set<string>();
  for (const positions of layouts) {
    const n = positions.length;
    if (n === 0) return undefined;
    const isoDate =
      n === 10 && positions.every((at, i) => (i === 4 || i === 7 ? only(at, [45]) : only(at, DIGITS)));
    if (isoDate) {
      kinds.add('date:YYYY-MM-DD');
      continue;
    }
    const first = positions[0];
    // the number and date kinds start with a digit, a sign or "."
    const numberish = DIGITS.some((d) => first?.includes(d)) || ['+', '-', '.'].some((c) => allows(first, c));
    if (numberish) {
      // a date of ten characters has "-" at 4, or "/" or "." at 2
      if (n === 10 && (allows(positions[4], '-') || allows(positions[2], '/') || allows(positions[2], '.')))
        return undefined;
      // an integer (or YYYYMMDD) is digits after its first character
      if (positions.slice(1).every((at) => DIGITS.some((d) => at.includes(d)))) return undefined;
      // a decimal has a "."
      if (positions.some((at) => allows(at, '.'))) return undefined;
      // a date-time has "-" at 4 and 7
      if (n > 10 && allows(positions[4], '-') && allows(positions[7], '-')) return undefined;
    }
    // "true" / "false" in any case
    if ((n === 4 || n === 5) && ['t', 'T', 'f', 'F'].some((c) => allows(first, c))) return undefined;
    // an e-mail-like text has an "@"
    if (positions.some((at) => allows(at, '@'))) return undefined;
    kinds.add('text');
  }
  return kinds.size === 1 ? ([...kinds][0] as 'text' | 'date:YYYY-MM-DD') : undefined;
}

/**
 * Whether the pattern is exactly the YYYY-MM-DD layout, `^\d{4}-\d{2}-\d{2}$` however written
 * (`[0-9]` for `\d`): every text of the `date` format (format.ts `isFullDate`) has it, so a column
 * checking both need not run the pattern — a cell failing it fails the format too.
 */
export function isIsoDateLayout(pattern: string): boolean {
  const parsed = parseShape(pattern);
  if (parsed === undefined || parsed[1] !== undefined) return false;
  const positions = parsed[0];
  return (
    positions.length === 10 &&
    positions.every((at, i) =>
      i === 4 || i === 7
        ? at.length === 1 && at[0] === 45
        : at.length === DIGITS.length && DIGITS.every((d) => at.includes(d)),
    )
  );
}

const DIGITS = range(48, 57);
const WORD = [...range(65, 90), ...range(97, 122), ...DIGITS, 95];
/** Characters that stand for themselves outside a class (the pattern syntax's others do not). */
const PLAIN = /^[A-Za-z0-9 \-_,:;'"!#%&=@~`<>]$/;
/** Characters the "u" flag allows to be escaped to stand for themselves. */
const ESCAPABLE = '^$\\.*+?()[]{}|/';

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Positions (each the code units it allows) of the layout, and of its optional tail. */
function parseShape(pattern: string): [number[][], number[][] | undefined] | undefined {
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return undefined;
  const body = pattern.slice(1, -1);
  // an optional group at the very end: "(?:" … ")?"
  const open = body.indexOf('(?:');
  if (open >= 0) {
    if (!body.endsWith(')?')) return undefined;
    const base = parseSequence(body.slice(0, open));
    const tail = parseSequence(body.slice(open + 3, -2));
    return base && tail && tail.length > 0 ? [base, tail] : undefined;
  }
  const base = parseSequence(body);
  return base ? [base, undefined] : undefined;
}

/** A sequence of atoms, each once or `{n}` times; undefined when anything else is in it. */
function parseSequence(text: string): number[][] | undefined {
  const positions: number[][] = [];
  let i = 0;
  while (i < text.length) {
    let allowed: number[] | undefined;
    const c = text[i] as string;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === 'd') allowed = DIGITS;
      else if (next === 'w') allowed = WORD;
      else if (next !== undefined && ESCAPABLE.includes(next)) allowed = [next.charCodeAt(0)];
      else return undefined;
      i += 2;
    } else if (c === '[') {
      const close = text.indexOf(']', i + 1);
      if (close < 0) return undefined;
      allowed = parseClass(text.slice(i + 1, close));
      i = close + 1;
    } else if (PLAIN.test(c)) {
      allowed = [c.charCodeAt(0)];
      i++;
    } else return undefined;
    if (allowed === undefined) return undefined;
    let times = 1;
    if (text[i] === '{') {
      const match = /^\{(\d{1,2})\}/.exec(text.slice(i));
      if (!match) return undefined;
      times = Number(match[1]);
      i += match[0].length;
    }
    for (let t = 0; t < times; t++) positions.push(allowed);
  }
  return positions;
}

/** A class of ASCII letters and digits, singly or as ranges (`A-Za-z0-9`, `\d`); no negation. */
function parseClass(text: string): number[] | undefined {
  if (text === '' || text.startsWith('^')) return undefined;
  const allowed = new Set<number>();
  const member = /^[A-Za-z0-9]$/;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\' && text[i + 1] === 'd') {
      for (const d of DIGITS) allowed.add(d);
      i += 2;
      continue;
    }
    const from = text[i] as string;
    if (!member.test(from)) return undefined;
    if (text[i + 1] === '-' && i + 2 < text.length) {
      const to = text[i + 2] as string;
      if (!member.test(to) || to < from) return undefined;
      for (const c of range(from.charCodeAt(0), to.charCodeAt(0))) allowed.add(c);
      i += 3;
    } else {
      allowed.add(from.charCodeAt(0));
      i++;
    }
  }
  return [...allowed];
}
