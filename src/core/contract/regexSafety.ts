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
 * by checking the pattern without it and each lookaround's body on its own. A backreference
 * (`\1`, `\k<name>`) is judged by putting an optional copy of its group's pattern in its place
 * ({@link withoutBackreferences}): where the engine compares the text the group matched, the copy
 * may match any text the group can, so the copy's ways of matching include the original's, and a
 * copy that is safe proves the original safe. A copy that backtracks is refused like any pattern
 * (the original backtracks at most as much, and usually as much: `^(a+)\1$` is quadratic).
 * A pattern the analysis cannot finish on (recheck says "unknown": too large or nested too deeply
 * to analyse within the time limit, or deep enough to overflow the analyser's stack) is refused as
 * unproven: a contract pattern runs on the backtracking engine, so only a pattern proven safe may
 * reach it.
 */

/** What the check found about one pattern. */
export type RegexVerdict =
  | { safe: true }
  | {
      safe: false;
      /**
       * exponential: doubles with each character; polynomial: grows as length^degree; unproven:
       * the analysis could not finish on it, so it is not known to be safe
       */
      complexity: 'exponential' | 'polynomial' | 'unproven';
      degree?: number;
      /** 0-based character range of the part of the pattern that backtracks (when known) */
      hotspot?: { start: number; end: number };
      /** judged with each backreference replaced by a copy of its group's pattern */
      backreference?: true;
    };

/** Judges one pattern with the `u` flag (JSON Schema's). Synchronous once loaded. */
export type RegexChecker = (source: string) => RegexVerdict;

/** The subset of recheck's result this module reads. */
interface Diagnostics {
  status: 'safe' | 'vulnerable' | 'unknown';
  complexity?: { type: string; degree?: number };
  hotspot?: { start: number; end: number }[];
  /** why the status is "unknown": `unsupported` for a lookaround, `timeout` for a huge pattern */
  error?: { kind: string };
}

/** recheck's synchronous entry point, as its browser build exports it (no Node built-ins). */
type CheckSync = (source: string, flags: string, params?: Record<string, unknown>) => Diagnostics;

/**
 * Time the analysis may take on one pattern before it is refused as unproven. Everyday patterns
 * take well under a second; the limit only bounds how long a refusal of a huge one takes.
 */
const REGEX_ANALYSIS_TIMEOUT_MS = 10_000;

/** Options of {@link createRegexChecker}. */
interface RegexCheckerOptions {
  /** time limit of the analysis of one pattern (default {@link REGEX_ANALYSIS_TIMEOUT_MS}) */
  timeoutMs?: number;
}

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

/**
 * A checker over recheck's `checkSync` (exported for tests: a stand-in, or a short time limit).
 * Only the automaton checker runs: the fuzzing checker is random and takes seconds.
 */
export function createRegexChecker(checkSync: CheckSync, options: RegexCheckerOptions = {}): RegexChecker {
  const params = { checker: 'automaton', timeout: options.timeoutMs ?? REGEX_ANALYSIS_TIMEOUT_MS } as const;
  /** recheck's verdict; `unsupported` when it cannot read the pattern (a lookaround) */
  const analyse = (source: string): RegexVerdict | 'unsupported' => {
    try {
      const diagnostics = checkSync(source, 'u', params);
      if (diagnostics.status === 'unknown' && diagnostics.error?.kind === 'unsupported') return 'unsupported';
      return verdictOf(diagnostics);
    } catch (error) {
      // a pattern nested deeply enough (`^(?:x{0,3000})+$`) overflows the analyser's stack
      if (error instanceof RangeError) return UNPROVEN;
      throw error;
    }
  };
  const verdicts = new Map<string, RegexVerdict>();
  const judge = (source: string): RegexVerdict => {
    const known = verdicts.get(source);
    if (known) return known;
    const copied = withoutBackreferences(source);
    if (copied !== null && copied !== source) {
      // judged through the copy: its offsets are not the pattern's as written
      const found = judge(copied);
      let verdict: RegexVerdict = { safe: true };
      if (!found.safe) {
        const { hotspot: _hotspot, ...rest } = found;
        verdict = { ...rest, backreference: true };
      }
      verdicts.set(source, verdict);
      return verdict;
    }
    const analysed = analyse(source);
    let verdict: RegexVerdict = analysed === 'unsupported' ? UNPROVEN : analysed;
    if (verdict.safe || analysed === 'unsupported') {
      const parts = splitLookarounds(source);
      if (parts.bodies.length > 0 || parts.rest !== source) {
        // the automaton checker cannot judge lookarounds: judge what is left and each body
        verdict = { safe: true };
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

/** The verdict on a pattern the analysis could not finish on. */
const UNPROVEN: RegexVerdict = { safe: false, complexity: 'unproven' };

function verdictOf(diagnostics: Diagnostics): RegexVerdict {
  if (diagnostics.status === 'safe') return { safe: true };
  if (diagnostics.status !== 'vulnerable') return UNPROVEN;
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

/** One capturing group of a pattern: its number, its name, and where its body starts and ends. */
interface CaptureGroup {
  number: number;
  name?: string;
  /** index of the body's first character (after `(` or `(?<name>`) */
  start: number;
  /** index of the `)` that closes it */
  end: number;
}

/** The capturing groups of `source`, by number (1-based); null when the parentheses do not balance. */
function captureGroups(source: string): CaptureGroup[] | null {
  const groups: CaptureGroup[] = [];
  const open: (CaptureGroup | null)[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '(') {
      const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(source.slice(i));
      if (named) {
        const group: CaptureGroup = {
          number: groups.length + 1,
          name: named[1] as string,
          start: i + named[0].length,
          end: -1,
        };
        groups.push(group);
        open.push(group);
        i += named[0].length;
        continue;
      }
      if (source[i + 1] === '?') open.push(null);
      else {
        const group: CaptureGroup = { number: groups.length + 1, start: i + 1, end: -1 };
        groups.push(group);
        open.push(group);
      }
      i += 1;
      continue;
    }
    if (c === ')') {
      if (open.length === 0) return null;
      const group = open.pop();
      if (group) group.end = i;
      i += 1;
      continue;
    }
    i = skipAtom(source, i);
  }
  return open.length === 0 ? groups : null;
}

/** A backreference at `i`: `\k<name>` or `\N` (N from 1), with its length; null if none. */
function backreferenceAt(source: string, i: number): { ref: string | number; length: number } | null {
  if (source[i] !== '\\') return null;
  const named = /^\\k<([A-Za-z_$][\w$]*)>/.exec(source.slice(i));
  if (named) return { ref: named[1] as string, length: named[0].length };
  const numbered = /^\\([1-9]\d*)/.exec(source.slice(i));
  return numbered ? { ref: Number(numbered[1]), length: numbered[0].length } : null;
}

/**
 * `source` with every backreference replaced by an optional non-capturing copy of its group's pattern and
 * every capturing group made non-capturing (so copies add no group and no name twice); a
 * reference inside its own group (which matches the empty text) becomes empty. `source` itself
 * when it has no backreference; null when it cannot be read (unbalanced, an unknown group).
 */
export function withoutBackreferences(source: string): string | null {
  let found = false;
  for (let i = 0; i < source.length; i = skipAtom(source, i)) if (backreferenceAt(source, i)) found = true;
  if (!found) return source;
  const groups = captureGroups(source);
  if (!groups) return null;
  const render = (from: number, to: number, inside: ReadonlySet<CaptureGroup>): string | null => {
    let out = '';
    let i = from;
    while (i < to) {
      const reference = backreferenceAt(source, i);
      if (reference) {
        const group = groups.find((g) =>
          typeof reference.ref === 'number' ? g.number === reference.ref : g.name === reference.ref,
        );
        if (!group) return null;
        // inside its own group (as written, or in a copy of it) it matches the empty text
        if (!inside.has(group) && !(group.start <= i && i < group.end)) {
          const body = render(group.start, group.end, new Set([...inside, group]));
          if (body === null) return null;
          // optional: a reference to a group that took no part in the match matches the empty text
          // (wrapped, so a quantifier after the reference applies to the whole copy)
          out += `(?:(?:${body})?)`;
        }
        i += reference.length;
        continue;
      }
      const group = groups.find((g) => g.start - (g.name === undefined ? 1 : g.name.length + 4) === i);
      if (group) {
        out += '(?:';
        i = group.start;
        continue;
      }
      const next = skipAtom(source, i);
      out += source.slice(i, next);
      i = next;
    }
    return out;
  };
  return render(0, source.length, new Set());
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
  if (verdict.complexity === 'unproven')
    return `${whose} is too large or too deeply nested to be proven quick to check, and a pattern that cannot be proven quick may stop validation for hours on one cell. Simplify it (fewer repetitions inside repetitions such as "(?:x{0,200}){0,200}", smaller counts in braces, fewer alternatives), then check the contract again`;
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
  const reference = verdict.backreference
    ? ' (a part that repeats an earlier group, such as "\\1", is judged as if it could match anything that group can)'
    : '';
  return `${whose} can match the same text in more than one way inside a repetition${where}${reference}: the time to check a cell that does not match ${growth}. Rewrite it so each character can be matched only one way (for example "^a+$" instead of "^(a|aa)+$", "^\\d+$" instead of "^(\\d+)*$"), then check the contract again`;
}
