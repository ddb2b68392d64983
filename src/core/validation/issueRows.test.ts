import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIssueRows, groupHas, groupPositions } from './issueRows.ts';

describe('issue rows', () => {
  const cases = [
    { description: 'a sparse group stays a list', positions: [0, 5, 9], list: true },
    { description: 'a row hit twice is kept once', positions: [1, 1, 2], expected: [1, 2], list: true },
    {
      description: 'a dense group becomes a bitset',
      positions: Array.from({ length: 5000 }, (_, i) => i),
      list: false,
    },
    {
      description: 'a group spread thinly over many rows stays a list',
      positions: Array.from({ length: 300 }, (_, i) => i * 1000),
      list: true,
    },
  ];
  it.each(cases)('$description', ({ positions, expected, list }) => {
    const rows = createIssueRows();
    for (const p of positions) rows.add('contract.pattern', 'code', p);
    const [group] = rows.state().groups;
    expect(group?.list !== undefined).toBe(list);
    expect([...groupPositions(group as never)]).toEqual(expected ?? positions);
    expect(group?.count).toBe((expected ?? positions).length);
  });

  it('tells whether a group holds a row, as a list and as a bitset', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(6000), { maxLength: 2000 }), fc.nat(6100), (hits, probe) => {
        const positions = [...hits].sort((a, b) => a - b);
        const rows = createIssueRows();
        for (const p of positions) rows.add('target.pattern', 'phone', p);
        const group = rows.state().groups[0];
        const held = new Set(positions);
        if (!group) return positions.length === 0;
        for (const p of [probe, ...positions.slice(0, 50)]) expect(groupHas(group, p)).toBe(held.has(p));
        return true;
      }),
    );
  });

  it('keeps groups apart by rule and location, in order of first occurrence', () => {
    const rows = createIssueRows();
    rows.add('b', 'x', 0);
    rows.add('a', 'x', 1);
    rows.add('b', 'y', 1);
    rows.add('b', 'x', 2);
    expect(rows.state().groups.map((g) => [g.rule, g.location, g.count])).toEqual([
      ['b', 'x', 2],
      ['a', 'x', 1],
      ['b', 'y', 1],
    ]);
  });
});
