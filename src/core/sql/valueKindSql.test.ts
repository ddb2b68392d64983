/**
 * The white space the SQL aggregates classify by is the white space JavaScript's `\s` matches (what
 * the default profiler uses), checked over every code point of the Basic Multilingual Plane and
 * beyond: the code points, and the bracket text PostgreSQL reads (whose escapes a JS regular
 * expression reads the same way).
 */
import { describe, expect, it } from 'vitest';
import { JS_SPACE_CODES, jsSpaceBracket } from './valueKindSql.ts';

/** Every code point up to `limit` that `pattern` matches, as a string of one code point. */
function matched(pattern: RegExp, limit: number): number[] {
  const out: number[] = [];
  for (let c = 0; c <= limit; c += 1) if (pattern.test(String.fromCodePoint(c))) out.push(c);
  return out;
}

describe("the SQL aggregates' white space", () => {
  it('is the code points JavaScript `\\s` matches', () => {
    expect([...JS_SPACE_CODES]).toEqual(matched(/^\s$/u, 0x2ffff));
  });

  it('written as a bracket class, matches those code points and no other', () => {
    expect(matched(new RegExp(`^[${jsSpaceBracket()}]$`, 'u'), 0x2ffff)).toEqual([...JS_SPACE_CODES]);
  });
});
