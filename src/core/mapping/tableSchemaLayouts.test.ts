/**
 * Table Schema date/time layouts (`strptime` directives) as regular expressions: each row is a
 * layout, texts it must accept (as frictionless-py's `datetime.strptime` does) and texts it must
 * refuse (no such day, no such month, the wrong separators). Then the whole path: a Table Schema
 * with a `%m/%d/%Y` date, converted, compiled and planned, fails `13/45/1990` with a message that
 * names the layout, and ajv agrees with the plan.
 */
import { describe, expect, it } from 'vitest';
import {
  compileColumnContract,
  compilePlan,
  createPlanRunner,
  ROW_INVALID,
  ROW_VALID,
} from '../contract/index.ts';
import { tableSchemaToJsonSchema } from './tableSchema.ts';
import {
  ANY_DATE_LAYOUTS,
  ANY_TIME_LAYOUTS,
  anyOfLayouts,
  layoutExample,
  layoutPattern,
} from './tableSchemaLayouts.ts';

interface LayoutCase {
  layout: string;
  accepts: string[];
  refuses: string[];
}

const CASES: LayoutCase[] = [
  {
    layout: '%m/%d/%Y',
    accepts: ['01/31/2024', '1/5/1990', '12/31/1999', '02/29/2024', '2/29/2000', '04/30/2023'],
    refuses: [
      '13/45/1990',
      '00/10/2020',
      '02/30/2024',
      '02/29/2023',
      '02/29/1900',
      '04/31/2023',
      '1990-01-05',
      '1/5/90',
      '',
    ],
  },
  {
    layout: '%d.%m.%Y',
    accepts: ['31.01.2024', '1.5.1990', '29.02.2016'],
    refuses: ['31/01/2024', '32.01.2024', '29.02.2017', '31.06.2020'],
  },
  {
    layout: '%d/%m/%y',
    accepts: ['29/02/00', '29/02/96', '05/01/24'],
    refuses: ['29/02/01', '05/01/2024'],
  },
  { layout: '%m/%d', accepts: ['02/28', '12/31'], refuses: ['02/29', '13/01'] },
  {
    layout: '%d %b %Y',
    accepts: ['31 Jan 2024', '1 feb 2023', '30 SEP 2020', '30\tSep 2020'],
    refuses: ['30  Sep 2020', '31 Sep 2020', '29 Feb 2023', '31 January 2024', '31 Jnu 2024'],
  },
  { layout: '%B %d, %Y', accepts: ['January 31, 2024', 'february 29, 2024'], refuses: ['Jan 31, 2024'] },
  {
    layout: '%Y-%m-%dT%H:%M:%S',
    accepts: ['2024-01-31T14:30:00', '2024-1-5T9:5:7'],
    refuses: ['2024-01-31T24:00:00', '2024-01-31T14:60:00', '2024-01-31 14:30:00'],
  },
  { layout: '%I:%M %p', accepts: ['2:30 PM', '12:00 am'], refuses: ['13:00 PM', '2:30'] },
  { layout: '%H:%M:%S.%f%z', accepts: ['14:30:00.123+01:00', '14:30:00.5Z'], refuses: ['14:30:00.1234567Z'] },
  { layout: '%Y%%', accepts: ['2024%'], refuses: ['2024'] },
  { layout: '%Y.%m', accepts: ['2024.01'], refuses: ['2024x01'] },
];

describe('strptime layouts as regular expressions', () => {
  it.each(CASES)('$layout', ({ layout, accepts, refuses }) => {
    const result = layoutPattern(layout);
    if (!('pattern' in result)) throw new Error(result.unsupported);
    const regex = new RegExp(result.pattern, 'u');
    for (const text of accepts) expect(regex.test(text), text).toBe(true);
    for (const text of refuses) expect(regex.test(text), text).toBe(false);
  });

  it.each([
    ['%j/%Y', 'the directive %j'],
    ['%m/%m/%Y', 'the directive %m given twice'],
    ['%b %m %Y', 'the month given twice'],
    ['%Y %y', 'the year given twice'],
    ['%I:%M', '%I without %p (or %p without %I)'],
    ['%Y-%', 'a "%" at the end'],
    ['', 'an empty layout'],
  ])('refuses %j', (layout, why) => {
    expect(layoutPattern(layout)).toEqual({ unsupported: why });
  });

  it('writes an example of each layout', () => {
    expect(layoutExample('%m/%d/%Y')).toBe('01/31/2024');
    expect(layoutExample('%d %b %Y %I:%M %p')).toBe('31 Jan 2024 02:30 PM');
  });

  it('accepts each "any" layout and no impossible date', () => {
    const dates = new RegExp(anyOfLayouts(ANY_DATE_LAYOUTS), 'u');
    for (const layout of ANY_DATE_LAYOUTS) expect(dates.test(layoutExample(layout)), layout).toBe(true);
    for (const text of ['13/45/1990', '2023-02-29', '31.04.2020', 'yesterday'])
      expect(dates.test(text)).toBe(false);
    const times = new RegExp(anyOfLayouts(ANY_TIME_LAYOUTS), 'u');
    for (const layout of ANY_TIME_LAYOUTS) expect(times.test(layoutExample(layout)), layout).toBe(true);
    expect(times.test('25:00')).toBe(false);
  });
});

describe('a Table Schema date layout through the contract', () => {
  const cases: { format: string; type: string; value: string; valid: boolean }[] = [
    { type: 'date', format: '%m/%d/%Y', value: '13/45/1990', valid: false },
    { type: 'date', format: '%m/%d/%Y', value: '1/5/1990', valid: true },
    { type: 'date', format: 'fmt:%m/%d/%Y', value: '02/30/1990', valid: false },
    { type: 'date', format: 'any', value: '31 Jan 2024', valid: true },
    { type: 'date', format: 'any', value: '13/45/1990', valid: false },
    { type: 'datetime', format: 'any', value: '01/31/2024 2:30 PM', valid: true },
    { type: 'datetime', format: 'any', value: '2024-01-31T25:00', valid: false },
    { type: 'time', format: 'any', value: '14:30', valid: true },
    { type: 'time', format: '%H%M', value: '2460', valid: false },
  ];
  it.each(cases)('$type $format: $value', ({ type, format, value, valid }) => {
    const converted = tableSchemaToJsonSchema({ fields: [{ name: 'birth_date', type, format }] });
    if (!converted.ok) throw new Error(JSON.stringify(converted.problems));
    expect(converted.notes).toEqual([]);
    const compiled = compileColumnContract(converted.schema);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    expect(compiled.validate({ birth_date: value })).toBe(valid);
    const plan = compilePlan(converted.schema);
    expect(plan.columns[0]?.full).toBeUndefined();
    const runner = createPlanRunner(plan, ['birth_date']);
    expect(runner.check([value])).toBe(valid ? ROW_VALID : ROW_INVALID);
    const check = plan.columns[0]?.checks.find((c) => c.kind === 'pattern');
    expect(check && 'layout' in check ? check.layout : undefined).toMatch(/e\.g\./);
  });
});
