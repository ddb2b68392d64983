/**
 * Catastrophic backtracking in a contract's regular expressions, found when the contract is
 * compiled rather than when a cell makes validation spin: `^(a|aa)+$` takes minutes on a
 * 49-character cell, because JavaScript's engine tries every way the repetition can split it.
 *
 * The analysis is recheck's automaton checker (an npm library: sound for the patterns it
 * supports, deterministic, milliseconds per pattern). It is about 0.7 MB gzip, so it is loaded
 * only when a contract has a pattern ({@link loadRegexChecker}): the page never loads it, the
 * validator worker and the CLI do on demand. Why this library and what it costs:
 * docs/decisions/0020-regex-backtracking-check.md.
 *
 * The automaton checker does not support lookarounds and backreferences. A lookaround is judged
 * by checking the pattern without it and each lookaround's body on its own; a pattern with a
 * backreference stays unjudged (recheck says "unknown"), as do patterns too large to analyse.
 */

/** What the check found about one pattern. */
export type RegexVerdict =
  | { safe: true }
  | {
      safe: false;
      /** exponential: doubles with each character; polynomial: grows as length^degree */
      complexity: 'exponential' | 'polynomial';
      degree?: number;
      /** 0-based character range of the part of the pattern that backtracks (when known) */
      hotspot?: { start: number; end: number };
    };

/** Judges one pattern with the `u` flag (JSON Schema's). Synchronous once loaded. */
export type RegexChecker = (source: string) => RegexVerdict;

/** The subset of recheck's result this module reads. */
interface Diagnostics {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type: string; degree?: number };
  hotspot?: { start: number; end: number }[];
}

/** recheck's synchronous entry point, as its browser build exports it (no Node built-ins). */
type CheckSync = (source: string, flags: string, params?: Record<string, unknown>) => Diagnostics;

/**
 * Parameters of each analysis: the automaton checker only (the fuzzing checker is random and
 * takes seconds), and a time limit so a huge pattern cannot stall a check (it is then unjudged).
 */
const RECHECK_PARAMS = { checker: 'automaton', timeout: 10_000 } as const;

/** Loads recheck (once) and returns a checker that remembers its verdicts by pattern. */
export async function loadRegexChecker(): Promise<RegexChecker> {
  loading ??= import('recheck/lib/browser.js').then((module) => {
    const checkSync = ((module as { checkSync?: CheckSync }).checkSync ??
      (module as { default: { checkSync: CheckSync } }).default.checkSync) as CheckSync;
    return createRegexChecker(checkSync);
  });
  return loading;
}
let loading: Promise<RegexChecker> | undefined;

/** A checker over recheck's `checkSync` (exported for tests with a stand-in). */
export function createRegexChecker(checkSync: CheckSync): RegexChecker {
  const verdicts = new Map<string, RegexVerdict>();
  const judge = (source: string): RegexVerdict => {
    const known = verdicts.get(source);
    if (known) return known;
    let verdict = verdictOf(checkSync(source, 'u', RECHECK_PARAMS));
    if (verdict.safe) {
      const parts = splitLookarounds(source);
      if (parts.bodies.length > 0 || parts.rest !== source) {
        // the automaton checker cannot judge lookarounds: judge what is left and each body
        for (const part of [parts.rest, ...parts.bodies]) {
          if (part === source || part === '') continue;
          const found = judge(part);
          if (!found.safe) {
            // the hotspot's offsets belong to the part, not to the pattern as written
            const { hotspot: _hotspot, ...rest } = found;
            verdict = rest;
            break;
          }
        }
      }
    }
    verdicts.set(source, verdict);
    return verdict;
  };
  return judge;
}

function verdictOf(diagnostics: Diagnostics): RegexVerdict {
  if (diagnostics.status !== 'vulnerable') return { safe: true };
  const type = diagnostics.complexity?.type === 'exponential' ? 'exponential' : 'polynomial';
  const spot = diagnostics.hotspot?.[0];
  return {
    safe: false,
    complexity: type,
    ...(type === 'polynomial' && diagnostics.complexity?.degree !== undefined
      ? { degree: diagnostics.complexity.degree }
      : {}),
    ...(spot ? { hotspot: { start: spot.start, end: spot.end } } : {}),
  };
}

/**
 * The pattern with its lookarounds (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) removed, and their
 * bodies. Escapes and character classes are skipped, so `\(` and `[(]` open nothing.
 */
export function splitLookarounds(source: string): { rest: string; bodies: string[] } {
  const bodies: string[] = [];
  let rest = '';
  let i = 0;
  while (i < source.length) {
    if (LOOKAROUND.test(source.slice(i, i + 4))) {
      const end = closingParen(source, i);
      if (end < 0) return { rest: source, bodies: [] }; // unbalanced: leave it to the engine
      const open = source.startsWith('(?<', i) ? 4 : 3;
      bodies.push(source.slice(i + open, end));
      i = end + 1;
      continue;
    }
    const next = skipAtom(source, i);
    rest += source.slice(i, next);
    i = next;
  }
  return { rest, bodies };
}

/** The start of a lookaround group: `(?=`, `(?!`, `(?<=`, `(?<!`. */
const LOOKAROUND = /^\(\?(?:[=!]|<[=!])/;

/** The index after the atom at `i`: an escape, a character class, or one character. */
function skipAtom(source: string, i: number): number {
  if (source[i] === '\\') return Math.min(source.length, i + 2);
  if (source[i] === '[') {
    let j = i + 1;
    while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
    return Math.min(source.length, j + 1);
  }
  return i + 1;
}

/** The index of the `)` that closes the group opening at `i`, or -1. */
function closingParen(source: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < source.length) {
    const c = source[j];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return j;
    }
    j = c === '(' || c === ')' ? j + 1 : skipAtom(source, j);
  }
  return -1;
}

/**
 * What is wrong with a pattern the check refused and what to do, in a data manager's words;
 * `column` names the column the pattern checks, when it is one.
 */
export function describeUnsafePattern(
  verdict: Extract<RegexVerdict, { safe: false }>,
  column: string | undefined,
): string {
  const whose = column === undefined ? 'this pattern' : `the pattern of column "${column}"`;
  const spot = verdict.hotspot;
  const where = !spot
    ? ''
    : spot.end - spot.start <= 1
      ? ` (the part at character ${spot.start + 1} of the pattern)`
      : ` (the part at characters ${spot.start + 1}–${spot.end} of the pattern)`;
  const growth =
    verdict.complexity === 'exponential'
      ? 'doubles with every character, so one cell of a few dozen characters can stop validation for minutes'
      : `grows with the ${verdict.degree === 2 || verdict.degree === undefined ? 'square' : `power ${verdict.degree}`} of the cell's length, so one long cell can stop validation for minutes`;
  return `${whose} can match the same text in more than one way inside a repetition${where}: the time to check a cell that does not match ${growth}. Rewrite it so each character can be matched only one way (for example "^a+$" instead of "^(a|aa)+$", "^\\d+$" instead of "^(\\d+)*$"), then check the contract again`;
}
