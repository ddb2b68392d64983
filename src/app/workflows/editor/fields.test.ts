/**
 * What the inspector says about typed numbers and branch probabilities: invalid input is named,
 * never fixed (the field keeps the text; see fields.tsx).
 */
import { describe, expect, it } from 'vitest';
import { fixtureWorkflow } from '../../../formats/testing/fixtures.ts';
import { parseNumberField } from './fields.tsx';
import { probabilityProblem } from './Inspector.tsx';

describe('parseNumberField', () => {
  it.each([
    { text: '4', rule: { min: 0 }, expected: { value: 4 } },
    { text: ' 2,5 ', rule: { min: 0 }, expected: { value: 2.5 } },
    {
      text: '-3',
      rule: { min: 0, unit: 'minutes' },
      expected: { error: 'Cannot be negative: enter 0 or more minutes.' },
    },
    { text: 'abc', rule: { min: 0 }, expected: { error: 'Enter a number, using digits.' } },
    { text: '', rule: { min: 0 }, expected: { error: 'Enter a number.' } },
    { text: '', rule: { min: 0, optional: true }, expected: { value: null } },
    {
      text: '1.5',
      rule: { min: 0, integer: true, unit: 'clicks' },
      expected: { error: 'Enter a whole number of clicks.' },
    },
    { text: '1.2', rule: { min: 0, max: 1 }, expected: { error: 'Must be at most 1.' } },
    { text: '0', rule: { min: 0, exclusiveMin: true, max: 1 }, expected: { error: 'Must be more than 0.' } },
    { text: 'Infinity', rule: { min: 0 }, expected: { error: 'Enter a number, using digits.' } },
  ])('"$text" with $rule', ({ text, rule, expected }) => {
    expect(parseNumberField(text, rule)).toEqual(expected);
  });
});

describe('probabilityProblem', () => {
  const withInsured = (first: number | undefined, second: number | undefined) => {
    const w = fixtureWorkflow();
    const flows = w.flows.map((f) => {
      if (f.from !== 'insured') return f;
      const p = f.to === 'scan-card' ? first : second;
      const { probability: _, ...rest } = f;
      return p === undefined ? rest : { ...rest, probability: p };
    });
    return { ...w, flows };
  };
  it.each([
    { description: 'branches adding up to 1', first: 0.3, second: 0.7, expected: null },
    {
      description: 'all given, not adding up to 1',
      first: 0.3,
      second: 0.5,
      expected: 'The branches leaving this step add up to 80 %; they must add up to 100 %.',
    },
    { description: 'one given, the rest left to share', first: 0.3, second: undefined, expected: null },
    {
      description: 'some given, more than 1',
      first: 1.2,
      second: undefined,
      expected: 'The branches given add up to 120 %, more than 100 %.',
    },
    { description: 'none given', first: undefined, second: undefined, expected: null },
  ])('$description', ({ first, second, expected }) => {
    expect(probabilityProblem(withInsured(first, second), 'insured')).toBe(expected);
  });
});
