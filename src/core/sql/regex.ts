/**
 * A contract's pattern (ECMAScript, "u" flag, as ajv runs it) in the syntax the SQL engines share
 * (RE2 for DuckDB and Trino, Java for Spark, PostgreSQL's ARE), meaning the same thing:
 * - `.`, `\s`, `\S`, `\d`, `\D` are spelled out as classes, because the engines disagree on
 *   them (RE2's `.` matches a carriage return, PostgreSQL's a line feed; RE2's `\s` is ASCII only);
 * - a pattern starting `^(?!X)` (a look-ahead, which RE2 has not) becomes two matches: the rest,
 *   and not X at the start;
 * - anything else a JS regex has and the engines may read otherwise (other look-arounds,
 *   back-references, named groups, `\u` escapes, `\p{…}` on PostgreSQL) is refused, named;
 * - on PostgreSQL, whose `\w` and `\y` follow the database's locale, `\w`, `\W`, `\b` and `\B`
 *   are spelled out as JS's ASCII classes and look-arounds;
 * - on Snowflake, whose regular expressions are POSIX extended ones with a few Perl escapes, a
 *   group `(?:…)` is written as a plain group (the same match: no back-references are let through),
 *   `\w` and `\W` are spelled out as JS's ASCII classes, and a word boundary, a lazy quantifier and
 *   a Unicode property class, which it has not, are refused by name.
 */
import type { SqlDialect } from './dialect.ts';

/** JS's `\s` (WhiteSpace and LineTerminator), as the characters themselves. */
export const JS_SPACE = '\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
/** JS's `\w` (ASCII), as a class body. */
const WORD = 'A-Za-z0-9_';
/** JS's `\b` and `\B` (ASCII words) as PostgreSQL look-arounds: a word character on one side only, or on both or neither. */
const BOUNDARY: Record<string, string> = {
  b: `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`,
  B: `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`,
};
/** What JS's `.` does not match. */
const JS_LINE_END = '\n\r\u2028\u2029';

/** The pattern as SQL matches: the cell matches `matches` and, when given, not `notAtStart`. */
type SqlPattern = { matches: string; notAtStart?: string } | { problem: string };

function translateBody(pattern: string, dialect: SqlDialect): string | { problem: string } {
  let out = '';
  let inClass = false;
  // the last character read outside a class was a quantifier
  let quantified = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    const afterQuantifier = quantified;
    quantified = false;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return { problem: 'a trailing backslash' };
      i++;
      if (/[1-9]/.test(next) || next === 'k') return { problem: 'a back-reference' };
      if (next === 'u' || next === 'x' || next === 'c') return { problem: 'a character code escape' };
      if ((next === 'p' || next === 'P') && (dialect === 'postgres' || dialect === 'snowflake'))
        return { problem: 'a Unicode property class' };
      if (dialect === 'snowflake' && (next === 'b' || next === 'B')) return { problem: 'a word boundary' };
      if (dialect === 'snowflake' && (next === 'w' || next === 'W')) {
        if (next === 'W' && inClass) return { problem: '\\W inside a character class' };
        out += next === 'w' ? (inClass ? WORD : `[${WORD}]`) : `[^${WORD}]`;
        continue;
      }
      if (dialect === 'postgres' && 'wWbB'.includes(next)) {
        // PostgreSQL's \w and word boundaries follow the database's locale; JS's are ASCII
        if (inClass && next !== 'w') return { problem: `\\${next} inside a character class` };
        out += next === 'w' ? (inClass ? WORD : `[${WORD}]`) : next === 'W' ? `[^${WORD}]` : BOUNDARY[next];
        continue;
      }
      if (next === 'S' || next === 'D') {
        if (inClass) return { problem: `\\${next} inside a character class` };
        out += next === 'S' ? `[^${JS_SPACE}]` : '[^0-9]';
      } else if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'd') out += inClass ? '0-9' : '[0-9]';
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // a `]` or `^]` right after `[` is a character in some engines and an empty class in JS
      if (pattern[i + 1] === ']' || (pattern[i + 1] === '^' && pattern[i + 2] === ']'))
        return { problem: 'an empty character class' };
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?') {
      const kind = pattern[i + 2];
      if (kind !== ':')
        return {
          problem:
            kind === '<' && !/[=!]/.test(pattern[i + 3] ?? '')
              ? 'a named group'
              : 'a look-ahead or look-behind',
        };
      if (dialect === 'snowflake') {
        out += '(';
        i += 2;
        continue;
      }
    }
    // a `?` right after a quantifier makes it lazy (`*?`)
    if (dialect === 'snowflake' && afterQuantifier && ch === '?') return { problem: 'a lazy quantifier' };
    quantified = ch === '*' || ch === '+' || ch === '?' || ch === '}';
    out += ch === '.' ? `[^${JS_LINE_END}]` : ch;
  }
  return out;
}

/** True when `text` has a `|` outside brackets and groups. */
function topLevelAlternation(text: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

const LEADING_NEGATIVE_LOOKAHEAD = /^\^\(\?!((?:[^()\\]|\\.)*)\)/;

export function sqlPattern(pattern: string, dialect: SqlDialect): SqlPattern {
  const lookahead = LEADING_NEGATIVE_LOOKAHEAD.exec(pattern);
  if (lookahead) {
    const rest = pattern.slice(lookahead[0].length);
    const excluded = lookahead[1] as string;
    if (topLevelAlternation(rest) || topLevelAlternation(excluded))
      return { problem: 'a look-ahead or look-behind' };
    const matches = translateBody(`^${rest}`, dialect);
    if (typeof matches !== 'string') return matches;
    const notAtStart = translateBody(`^(?:${excluded})`, dialect);
    if (typeof notAtStart !== 'string') return notAtStart;
    return { matches, notAtStart };
  }
  const matches = translateBody(pattern, dialect);
  return typeof matches === 'string' ? { matches } : matches;
}
