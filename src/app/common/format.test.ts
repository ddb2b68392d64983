import { describe, expect, it } from 'vitest';
import { asSentence, formatBytes, formatCount, formatDuration, plural } from './format.ts';

describe('formatCount', () => {
  it.each([
    { description: 'zero', input: 0, expected: '0' },
    { description: 'thousands', input: 1234, expected: '1,234' },
    { description: 'a million rows', input: 1_000_000, expected: '1,000,000' },
    { description: 'negative', input: -12_345, expected: '-12,345' },
    { description: 'a fraction (3 digits at most)', input: 1234.56789, expected: '1,234.568' },
  ])('$description: $input → $expected', ({ input, expected }) => {
    expect(formatCount(input)).toBe(expected);
    // the cached formatter writes what toLocaleString wrote before it
    expect(formatCount(input)).toBe(input.toLocaleString('en-US'));
  });
});

describe('the other display helpers', () => {
  it.each([
    { description: 'bytes', actual: () => formatBytes(877_312), expected: '877.3 KB' },
    { description: 'small byte counts', actual: () => formatBytes(999), expected: '999 B' },
    { description: 'a duration', actual: () => formatDuration(95), expected: '1 min 35 s' },
    { description: 'hours', actual: () => formatDuration(3_725), expected: '1 h 2 min' },
    { description: 'plural', actual: () => plural(3_000, 'row'), expected: '3,000 rows' },
    { description: 'singular', actual: () => plural(1, 'mapping'), expected: '1 mapping' },
  ])('$description → $expected', ({ actual, expected }) => {
    expect(actual()).toBe(expected);
  });
});

describe('asSentence', () => {
  it.each([
    { text: 'nothing was merged: a reason', expected: 'nothing was merged: a reason.' },
    { text: 'changing the decision needs a reason.', expected: 'changing the decision needs a reason.' },
    { text: 'is it the right file?', expected: 'is it the right file?' },
    { text: 'ends with a space ', expected: 'ends with a space.' },
  ])('$text → $expected', ({ text, expected }) => {
    expect(asSentence(text)).toBe(expected);
  });
});
