/**
 * The catastrophic-backtracking check with the real library: the patterns that make validation
 * spin are refused (exponential and polynomial), the demo's and everyday patterns pass, and
 * lookarounds are judged by their parts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileColumnContract, regexCheckerFor } from './columnContract.ts';
import {
  createRegexChecker,
  describeUnsafePattern,
  loadRegexChecker,
  splitLookarounds,
  withoutBackreferences,
} from './regexSafety.ts';

const check = await loadRegexChecker();
const CONTRACTS_DIR = path.resolve(import.meta.dirname, '../../../samples/contracts');

describe('regex backtracking check', () => {
  it.each([
    {
      description: 'alternatives that overlap inside a repetition',
      pattern: '^(a|aa)+$',
      expected: 'exponential',
    },
    { description: 'a repetition of a repetition', pattern: '^(a+)+$', expected: 'exponential' },
    { description: 'words and optional spaces repeated', pattern: '^(\\w+\\s?)+$', expected: 'exponential' },
    {
      description: 'the same danger inside a lookahead',
      pattern: '^(?=(a|aa)+$)a*$',
      expected: 'exponential',
    },
    {
      description: 'two overlapping runs (an e-mail shape)',
      pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      expected: 'polynomial',
    },
    { description: 'a fixed layout', pattern: '^\\d{4}-\\d{2}-\\d{2}$', expected: 'safe' },
    {
      description: 'a US phone number',
      pattern: '^(?:\\+?1[ .-]?)?\\(?(\\d{3})\\)?[ .-]?(\\d{3})[ .-]?(\\d{4})$',
      expected: 'safe',
    },
    {
      description: 'no formula start (a lookahead)',
      pattern: '^(?![=+\\-@])\\S(?:.*\\S)?$',
      expected: 'safe',
    },
    {
      description: 'a list of allergies',
      pattern: '^(?:NKDA|[a-z][a-z ]*(?:;[a-z][a-z ]*)*)$',
      expected: 'safe',
    },
    { description: 'a word repeated after a dash', pattern: '^([a-z]+)-\\1$', expected: 'safe' },
    { description: 'a named group repeated', pattern: '^(?<code>[A-Z]{2})\\d+\\k<code>$', expected: 'safe' },
    { description: 'a run repeated right after itself', pattern: '^(a+)\\1$', expected: 'polynomial' },
    {
      description: 'a repeated group that overlaps itself',
      pattern: '^(a|aa)\\1+$',
      expected: 'exponential',
    },
    { description: 'a reference inside its own group', pattern: '^(a\\1)+$', expected: 'safe' },
  ])('$description: $expected', ({ pattern, expected }) => {
    const verdict = check(pattern);
    expect(verdict.safe ? 'safe' : verdict.complexity).toBe(expected);
  });

  it.each([
    { input: '^\\d+$', expected: '^\\d+$' },
    { input: '^([a-z]+)-\\1$', expected: '^(?:[a-z]+)-(?:(?:[a-z]+)?)$' },
    { input: '^(?<y>\\d{4})(a)\\k<y>\\2$', expected: '^(?:\\d{4})(?:a)(?:(?:\\d{4})?)(?:(?:a)?)$' },
    { input: '^((a)\\2)\\1$', expected: '^(?:(?:a)(?:(?:a)?))(?:(?:(?:a)(?:(?:a)?))?)$' },
    { input: '^(a\\1)$', expected: '^(?:a)$' },
    { input: '^[\\1(]\\(x\\)$', expected: '^[\\1(]\\(x\\)$' },
    { input: '^(a))\\1$', expected: null },
  ])('puts a copy of the group for each backreference in $input', ({ input, expected }) => {
    expect(withoutBackreferences(input)).toBe(expected);
  });

  it('a copy matches every text the pattern matches, and is a valid pattern', () => {
    // patterns over a and b with up to three groups and references to them (numbered or named)
    const atom = fc.constantFrom('a', 'b', 'a*', 'b+', '(?:a|b)', '[ab]?');
    const pattern = fc
      .tuple(
        fc.array(atom, { minLength: 1, maxLength: 3 }),
        fc.array(atom, { minLength: 1, maxLength: 2 }),
        fc.array(fc.constantFrom('\\1', '\\2', '\\k<n>', '\\1+', '\\k<n>*', '\\2{2}', 'a', 'b*'), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom('', '+', '*', '?'),
      )
      .map(([one, two, tail, q]) => `^(${one.join('')})${q}(?<n>${two.join('')}\\1?)${tail.join('')}$`);
    const text = fc.stringMatching(/^[ab]{0,8}$/);
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 20 }), (source, texts) => {
        const copy = withoutBackreferences(source);
        expect(copy).not.toBeNull();
        const original = new RegExp(source, 'u');
        const widened = new RegExp(copy as string, 'u');
        for (const t of texts) if (original.test(t)) expect(widened.test(t)).toBe(true);
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });

  it.each([
    { input: '^(?![=+])\\S+$', expected: { rest: '^\\S+$', bodies: ['[=+]'] } },
    { input: '(?<=a)b(?<!c)', expected: { rest: 'b', bodies: ['a', 'c'] } },
    { input: '^\\(?=x[(?=]$', expected: { rest: '^\\(?=x[(?=]$', bodies: [] } },
    { input: '(?<name>a)(?=(b)c)', expected: { rest: '(?<name>a)', bodies: ['(b)c'] } },
    { input: '(?=(a)', expected: { rest: '(?=(a)', bodies: [] } },
  ])('splits lookarounds out of $input', ({ input, expected }) => {
    expect(splitLookarounds(input)).toEqual(expected);
  });

  it('says what is wrong, where in the pattern, and what to do, naming the column', () => {
    const verdict = check('^(a|aa)+$');
    if (verdict.safe) throw new Error('expected unsafe');
    const message = describeUnsafePattern(verdict, 'NHS number');
    expect(message).toContain('the pattern of column "NHS number"');
    expect(message).toMatch(/character/);
    expect(message).toContain('doubles with every character');
    expect(message).toContain('Rewrite it');
  });

  it('refuses the contract with the column and the pattern path; passes every demo contract', async () => {
    const contract = {
      type: 'object',
      properties: {
        'Patient code': { type: 'string', pattern: '^(a|aa)+$' },
        Email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' },
        Date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
      },
      patternProperties: { '^(x+)+$': { type: 'string' } },
    };
    const result = compileColumnContract(contract, { regexChecker: await regexCheckerFor(contract) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.code])).toEqual([
      ['/patternProperties/^(x+)+$', 'unsafe-regex'],
      ['/properties/Email/pattern', 'unsafe-regex'],
      ['/properties/Patient code/pattern', 'unsafe-regex'],
    ]);
    expect(result.problems[2]?.message).toContain('column "Patient code"');
    for (const file of readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith('.json'))) {
      const demo = JSON.parse(readFileSync(path.join(CONTRACTS_DIR, file), 'utf8'));
      expect(compileColumnContract(demo, { regexChecker: await regexCheckerFor(demo) }).ok, file).toBe(true);
    }
  });

  it('loads the library only for a contract with patterns', async () => {
    expect(await regexCheckerFor({ type: 'object', properties: { a: { type: 'string' } } })).toBeUndefined();
    expect(await regexCheckerFor({ type: 'object', properties: { a: { pattern: 'a' } } })).toBeTypeOf(
      'function',
    );
  });

  it('refuses a pattern the analysis cannot finish on, never taking it as safe', async () => {
    // the analysis times out on this one while `validate` spins for hours on a 49-character cell;
    // a short limit makes the test quick and changes nothing else
    const recheck = (await import('recheck/lib/browser.js')) as unknown as {
      checkSync?: Parameters<typeof createRegexChecker>[0];
      default: { checkSync: Parameters<typeof createRegexChecker>[0] };
    };
    const quick = createRegexChecker(recheck.checkSync ?? recheck.default.checkSync, { timeoutMs: 50 });
    expect(quick('^(?:x{0,200}){0,200}(a|aa)+$')).toEqual({ safe: false, complexity: 'unproven' });
  });

  it('refuses a pattern that overflows the analyser with a clear problem, not an internal error', () => {
    const verdict = check('^(?:x{0,3000})+$');
    expect(verdict).toEqual({ safe: false, complexity: 'unproven' });
    const contract = {
      type: 'object',
      properties: { Note: { type: 'string', pattern: '^(?:x{0,3000})+$' } },
    };
    const result = compileColumnContract(contract, { regexChecker: check });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.code])).toEqual([
      ['/properties/Note/pattern', 'unsafe-regex'],
    ]);
    expect(result.problems[0]?.message).toContain(
      'the pattern of column "Note" is too large or too deeply nested',
    );
    expect(result.problems[0]?.message).toContain('Simplify it');
  });
});
