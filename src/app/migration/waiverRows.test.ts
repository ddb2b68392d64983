import { describe, expect, it } from 'vitest';
import { parseRows, rowsText } from './waiverRows.ts';

describe('waiver rows as written', () => {
  it.each([
    ['12', [{ from: 12, to: 12 }]],
    [
      '12, 40-45',
      [
        { from: 12, to: 12 },
        { from: 40, to: 45 },
      ],
    ],
    [' 3 – 7 ,', [{ from: 3, to: 7 }]],
    ['', []],
    ['0', null],
    ['9-3', null],
    ['a few', null],
    ['1-', null],
  ])('%j', (text, expected) => {
    expect(parseRows(text)).toEqual(expected);
  });

  it('writes back what it reads', () => {
    expect(rowsText(parseRows('12, 40-45') ?? [])).toBe('12, 40-45');
    expect(rowsText(undefined)).toBe('');
  });
});
