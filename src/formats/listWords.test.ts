import { describe, expect, it } from 'vitest';
import { listWords } from './listWords.ts';

describe('listWords', () => {
  it.each([
    [[], ''],
    [['a.csv'], 'a.csv'],
    [['a.csv', 'b.csv'], 'a.csv and b.csv'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('%j reads "%s"', (items, words) => {
    expect(listWords(items)).toBe(words);
  });
});
