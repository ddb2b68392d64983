import { describe, expect, it } from 'vitest';
import { NUMBER_LINE, withNotChecked } from '../notChecked.ts';
import { compilePlan } from './compilePlan.ts';
import { coerceCell } from './runPlan.ts';

describe('numbers written with other decimal and group characters', () => {
  const table: { text: string; chars: { decimal: string; group?: string }; value: string | number }[] = [
    { text: '1.234,5', chars: { decimal: ',', group: '.' }, value: 1234.5 },
    { text: '1.234.567', chars: { decimal: ',', group: '.' }, value: 1234567 },
    { text: '-0,25', chars: { decimal: ',' }, value: -0.25 },
    // a point that is not the decimal mark nor the group: not a number of the column
    { text: '1.5', chars: { decimal: ',' }, value: '1.5' },
    { text: '1,000,000', chars: { decimal: '.', group: ',' }, value: 1_000_000 },
    { text: "1'000.5", chars: { decimal: '.', group: "'" }, value: 1000.5 },
    // only one decimal mark, and the rest of a JSON number's layout still holds
    { text: '1,2,3', chars: { decimal: ',' }, value: '1,2,3' },
    { text: ',5', chars: { decimal: ',' }, value: ',5' },
    { text: 'abc', chars: { decimal: ',', group: '.' }, value: 'abc' },
  ];
  it.each(table)('$text with $chars', ({ text, chars, value }) => {
    expect(coerceCell(text, 'number', chars)).toBe(value);
    // without the characters, only a plain JSON number is one
    expect(coerceCell(text, 'number')).toBe(/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
  });

  it.each(['constructor', 'valueOf', 'toString', '__proto__'])(
    'reads a decimal in a column named %s as a number (no characters from the prototype)',
    (column) => {
      const plan = compilePlan({ type: 'object', properties: { [column]: { type: 'number' } } });
      const planned = plan.columns.find((c) => c.column === column);
      expect(planned?.numberChars).toBeUndefined();
      expect(coerceCell('1.5', 'number', planned?.numberChars)).toBe(1.5);
    },
  );

  it('reads the characters a contract records onto its numeric columns only', () => {
    const contract = withNotChecked(
      {
        type: 'object',
        properties: { amount: { type: 'number' }, code: { type: 'string' } },
        $comment: `${NUMBER_LINE}${JSON.stringify({ amount: { decimal: ',', group: '.' }, code: { decimal: ',' } })}`,
      },
      { notChecked: [] },
    );
    const plan = compilePlan(contract);
    expect(plan.columns.find((c) => c.column === 'amount')?.numberChars).toEqual({
      decimal: ',',
      group: '.',
    });
    expect(plan.columns.find((c) => c.column === 'code')?.numberChars).toBeUndefined();
  });
});
