import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountWords, createAccount, mergeAccounts, unaccounted } from './index.ts';

describe('reader account', () => {
  it('counts repeats on one line and keeps where it was first seen', () => {
    const account = createAccount('csv');
    account.use('mrn');
    account.notUsed('column', 'weight_kg', 'weights are not checked', { file: 'a.csv', row: 1 });
    account.notUsed('column', 'weight_kg', 'weights are not checked', { file: 'a.csv', row: 9 }, 4);
    account.interpreted('type', 'decimal comma', 'read 36,4 as 36.4');
    const result = account.finish();
    expect(result.used).toEqual(['mrn']);
    expect(result.lines).toEqual([
      {
        kind: 'column',
        name: 'weight_kg',
        handling: 'not-used',
        count: 5,
        where: { file: 'a.csv', row: 1 },
        effect: 'weights are not checked',
      },
      { kind: 'type', name: 'decimal comma', handling: 'interpreted', count: 1, effect: 'read 36,4 as 36.4' },
    ]);
    expect(accountWords(result)).toEqual([
      'Not used: column weight_kg (seen 5 times, first at a.csv, row 1): weights are not checked',
      'Read by a choice: type decimal comma (seen once): read 36,4 as 36.4',
    ]);
  });

  it('finds exactly the names neither used nor listed, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 20 }),
        fc.array(fc.nat(2), { maxLength: 20 }),
        (names, fates) => {
          const account = createAccount('x');
          const expected: string[] = [];
          names.forEach((name, i) => {
            const fate = fates[i] ?? 0;
            if (fate === 0) account.use(name);
            else if (fate === 1) account.notUsed('key', name, 'not read');
            else expected.push(name);
          });
          expect(unaccounted([...names].reverse(), account.finish())).toEqual([...new Set(expected)].sort());
        },
      ),
    );
  });

  it('merges per-file accounts, adding counts', () => {
    const a = createAccount('csv');
    a.notUsed('column', 'x', 'not checked', { file: 'a.csv' });
    const b = createAccount('csv');
    b.notUsed('column', 'x', 'not checked', { file: 'b.csv' }, 2);
    b.use('y');
    const merged = mergeAccounts('zip', [a.finish(), b.finish()]);
    expect(merged.used).toEqual(['y']);
    expect(merged.lines[0]).toMatchObject({ count: 3, where: { file: 'a.csv' } });
  });
});
