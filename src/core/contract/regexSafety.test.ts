/**
 * The catastrophic-backtracking check with the real library: the patterns that make validation
 * spin are refused (exponential and polynomial), the demo's and everyday patterns pass, and
 * lookarounds are judged by their parts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileColumnContract, regexCheckerFor } from './columnContract.ts';
import { describeUnsafePattern, loadRegexChecker, splitLookarounds } from './regexSafety.ts';

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
    { description: 'a backreference (not judged)', pattern: '^([a-z]+)-\\1$', expected: 'safe' },
  ])('$description: $expected', ({ pattern, expected }) => {
    const verdict = check(pattern);
    expect(verdict.safe ? 'safe' : verdict.complexity).toBe(expected);
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
});
