/**
 * Positive and negative cases for every transform (one table, run through the
 * transform table that the compiler uses), then the parameters each transform refuses.
 */
import { describe, expect, it } from 'vitest';
import type { Transform } from '../../../formats/mapping.ts';
import { TRANSFORMS, transformDefinition } from './index.ts';
import { MAX_REGEX_INPUT_CHARS, unsafeRegexReason } from './regexSafety.ts';
import { TransformFailure } from './types.ts';

type Expected = string | number | boolean | undefined | { fails: string };

interface Case {
  description: string;
  transform: Transform;
  input: string;
  expected: Expected;
}

const US_ISO_DOTTED: Transform = { op: 'date', formats: ['YYYY-MM-DD', 'MM/DD/YYYY', 'DD.MM.YYYY'] };
const GENDER: Transform = {
  op: 'codeMap',
  map: { M: 'male', F: 'female', U: 'unknown' },
  default: null,
  caseSensitive: false,
};
const PHONE: Transform = {
  op: 'regexReplace',
  pattern: '^(?:\\+?1[ .-]?)?\\(?(\\d{3})\\)?[ .-]?(\\d{3})[ .-]?(\\d{4})$',
  replacement: '$1-$2-$3',
};
const YES_NO: Transform = { op: 'boolean', true: ['Y', 'yes'], false: ['N', 'no'] };

const CASES: Case[] = [
  // trim
  { description: 'trim: spaces at both ends', transform: { op: 'trim' }, input: '  Ann ', expected: 'Ann' },
  {
    description: 'trim: tabs, line breaks, NBSP',
    transform: { op: 'trim' },
    input: '\t\u00a0Ann\r\n',
    expected: 'Ann',
  },
  {
    description: 'trim: inner spaces kept',
    transform: { op: 'trim' },
    input: ' Mary Ann ',
    expected: 'Mary Ann',
  },
  // case
  { description: 'case upper', transform: { op: 'case', to: 'upper' }, input: 'ma', expected: 'MA' },
  {
    description: 'case upper: accents',
    transform: { op: 'case', to: 'upper' },
    input: 'zoë',
    expected: 'ZOË',
  },
  {
    description: 'case lower',
    transform: { op: 'case', to: 'lower' },
    input: 'A@Example.ORG',
    expected: 'a@example.org',
  },
  {
    description: 'case title',
    transform: { op: 'case', to: 'title' },
    input: 'mARY-ann smith',
    expected: 'Mary-Ann Smith',
  },
  {
    description: "case title: O'Brien",
    transform: { op: 'case', to: 'title' },
    input: "o'brien",
    expected: "O'Brien",
  },
  {
    description: "case title: don't",
    transform: { op: 'case', to: 'title' },
    input: "DON'T",
    expected: "Don't",
  },
  {
    description: 'case title: accents',
    transform: { op: 'case', to: 'title' },
    input: 'éLODIE núñez',
    expected: 'Élodie Núñez',
  },
  // date
  { description: 'date ISO', transform: US_ISO_DOTTED, input: '2002-07-10', expected: '2002-07-10' },
  { description: 'date MM/DD/YYYY', transform: US_ISO_DOTTED, input: '11/09/1938', expected: '1938-11-09' },
  { description: 'date DD.MM.YYYY', transform: US_ISO_DOTTED, input: '20.09.2017', expected: '2017-09-20' },
  {
    description: 'date 29 Feb of a leap year',
    transform: US_ISO_DOTTED,
    input: '2024-02-29',
    expected: '2024-02-29',
  },
  {
    description: 'date 29 Feb 2000 (÷400)',
    transform: US_ISO_DOTTED,
    input: '02/29/2000',
    expected: '2000-02-29',
  },
  {
    description: 'date 30 Feb: impossible, never 2 March',
    transform: US_ISO_DOTTED,
    input: '2023-02-30',
    expected: { fails: 'date-impossible' },
  },
  {
    description: 'date 29 Feb 1900 (÷100)',
    transform: US_ISO_DOTTED,
    input: '29.02.1900',
    expected: { fails: 'date-impossible' },
  },
  {
    description: 'date month 13',
    transform: US_ISO_DOTTED,
    input: '13/01/2020',
    expected: { fails: 'date-impossible' },
  },
  {
    description: 'date day 0',
    transform: US_ISO_DOTTED,
    input: '2020-01-00',
    expected: { fails: 'date-impossible' },
  },
  {
    description: 'date year 0000',
    transform: US_ISO_DOTTED,
    input: '0000-01-01',
    expected: { fails: 'date-impossible' },
  },
  {
    description: 'date: unlisted format',
    transform: US_ISO_DOTTED,
    input: '2020/01/31',
    expected: { fails: 'date-unrecognised' },
  },
  {
    description: 'date: trailing text',
    transform: US_ISO_DOTTED,
    input: '2020-01-31x',
    expected: { fails: 'date-unrecognised' },
  },
  {
    description: 'date: one-digit month needs M',
    transform: US_ISO_DOTTED,
    input: '1/31/2020',
    expected: { fails: 'date-unrecognised' },
  },
  {
    description: 'date M/D/YYYY',
    transform: { op: 'date', formats: ['M/D/YYYY'] },
    input: '1/5/2020',
    expected: '2020-01-05',
  },
  {
    description: 'date M/D/YYYY two digits',
    transform: { op: 'date', formats: ['M/D/YYYY'] },
    input: '12/25/2020',
    expected: '2020-12-25',
  },
  {
    description: 'date: second format used when the first is impossible',
    transform: { op: 'date', formats: ['MM/DD/YYYY', 'DD/MM/YYYY'] },
    input: '25/12/2020',
    expected: '2020-12-25',
  },
  {
    description: 'date YYYYMMDD',
    transform: { op: 'date', formats: ['YYYYMMDD'] },
    input: '19840229',
    expected: '1984-02-29',
  },
  {
    description: 'date partial YYYY-MM',
    transform: { op: 'date', formats: ['YYYY-MM'] },
    input: '1984-02',
    expected: '1984-02',
  },
  {
    description: 'date with time to date',
    transform: { op: 'date', formats: ['YYYY-MM-DD HH:mm'] },
    input: '2024-07-01 09:30',
    expected: '2024-07-01',
  },
  {
    description: 'date time 24:00 impossible',
    transform: { op: 'date', formats: ['YYYY-MM-DD HH:mm'] },
    input: '2024-07-01 24:00',
    expected: { fails: 'date-impossible' },
  },
  {
    description: 'dateTime with zone',
    transform: { op: 'date', formats: ['YYYY-MM-DDTHH:mm:ssZ'], output: 'dateTime' },
    input: '2024-07-01T09:30:05-04:00',
    expected: '2024-07-01T09:30:05-04:00',
  },
  {
    description: 'dateTime Z',
    transform: { op: 'date', formats: ['MM/DD/YYYY H:mm Z'], output: 'dateTime' },
    input: '07/01/2024 9:30 Z',
    expected: '2024-07-01T09:30:00Z',
  },
  {
    description: 'dateTime of a date-only format',
    transform: { op: 'date', formats: ['DD.MM.YYYY'], output: 'dateTime' },
    input: '01.07.2024',
    expected: '2024-07-01',
  },
  {
    description: 'dateTime zone +15:00 impossible',
    transform: { op: 'date', formats: ['YYYY-MM-DDTHH:mmZ'], output: 'dateTime' },
    input: '2024-07-01T09:30+15:00',
    expected: { fails: 'date-impossible' },
  },
  {
    description: 'date: non-ASCII digits are not digits',
    transform: US_ISO_DOTTED,
    input: '２０２０-01-01',
    expected: { fails: 'date-unrecognised' },
  },
  // codeMap
  { description: 'codeMap hit', transform: GENDER, input: 'F', expected: 'female' },
  { description: 'codeMap case-insensitive hit', transform: GENDER, input: 'f', expected: 'female' },
  { description: 'codeMap default null: absent', transform: GENDER, input: 'Male', expected: undefined },
  {
    description: 'codeMap: JS property names are not codes',
    transform: GENDER,
    input: 'constructor',
    expected: undefined,
  },
  {
    description: 'codeMap case-sensitive miss, no default',
    transform: { op: 'codeMap', map: { F: 'female' } },
    input: 'f',
    expected: { fails: 'code-unmapped' },
  },
  {
    description: 'codeMap: __proto__ without default',
    transform: { op: 'codeMap', map: { F: 'female' } },
    input: '__proto__',
    expected: { fails: 'code-unmapped' },
  },
  {
    description: 'codeMap string default',
    transform: { op: 'codeMap', map: { F: 'female' }, default: 'unknown' },
    input: 'X',
    expected: 'unknown',
  },
  // number
  { description: 'number integer', transform: { op: 'number' }, input: '42', expected: 42 },
  { description: 'number signed fraction', transform: { op: 'number' }, input: '-3.25', expected: -3.25 },
  { description: 'number -0 is 0', transform: { op: 'number' }, input: '-0', expected: 0 },
  {
    description: 'number decimal comma',
    transform: { op: 'number', decimal: ',' },
    input: '38,2',
    expected: 38.2,
  },
  {
    description: 'number: comma when "." is the separator',
    transform: { op: 'number' },
    input: '1,234',
    expected: { fails: 'number-invalid' },
  },
  {
    description: 'number: exponent',
    transform: { op: 'number' },
    input: '1e3',
    expected: { fails: 'number-invalid' },
  },
  {
    description: 'number: Infinity',
    transform: { op: 'number' },
    input: 'Infinity',
    expected: { fails: 'number-invalid' },
  },
  {
    description: 'number: hex',
    transform: { op: 'number' },
    input: '0x10',
    expected: { fails: 'number-invalid' },
  },
  {
    description: 'number: spaces (trim first)',
    transform: { op: 'number' },
    input: ' 7',
    expected: { fails: 'number-invalid' },
  },
  {
    description: 'number: bare fraction',
    transform: { op: 'number' },
    input: '.5',
    expected: { fails: 'number-invalid' },
  },
  {
    description: 'number: 400 digits overflow',
    transform: { op: 'number' },
    input: '9'.repeat(400),
    expected: { fails: 'number-invalid' },
  },
  // boolean
  { description: 'boolean true', transform: YES_NO, input: 'Y', expected: true },
  { description: 'boolean false', transform: YES_NO, input: 'no', expected: false },
  {
    description: 'boolean: exact spellings only',
    transform: YES_NO,
    input: 'y',
    expected: { fails: 'boolean-unrecognised' },
  },
  // split
  {
    description: 'split first part',
    transform: { op: 'split', separator: ';' },
    input: 'aspirin;peanut',
    expected: 'aspirin',
  },
  {
    description: 'split second part',
    transform: { op: 'split', separator: ', ', index: 1 },
    input: 'Smith, John',
    expected: 'John',
  },
  {
    description: 'split: no such part is absent',
    transform: { op: 'split', separator: ';', index: 2 },
    input: 'a;b',
    expected: undefined,
  },
  {
    description: 'split: no separator keeps the value',
    transform: { op: 'split', separator: ';' },
    input: 'NKDA',
    expected: 'NKDA',
  },
  // concat (single value: the join itself is tested with the engine)
  {
    description: 'concat passes a value through',
    transform: { op: 'concat', separator: ' ' },
    input: 'Ann',
    expected: 'Ann',
  },
  // regexReplace
  {
    description: 'regexReplace phone (NNN) NNN-NNNN',
    transform: PHONE,
    input: '(401) 555-0137',
    expected: '401-555-0137',
  },
  {
    description: 'regexReplace phone +1 with spaces',
    transform: PHONE,
    input: '+1 207 555 0113',
    expected: '207-555-0113',
  },
  {
    description: 'regexReplace phone dots',
    transform: PHONE,
    input: '603.555.0120',
    expected: '603-555-0120',
  },
  {
    description: 'regexReplace no match keeps the value',
    transform: PHONE,
    input: '555-01',
    expected: '555-01',
  },
  {
    description: 'regexReplace global',
    transform: { op: 'regexReplace', pattern: '\\s*\\r?\\n\\s*', flags: 'g', replacement: ', ' },
    input: 'a\r\nb \n c',
    expected: 'a, b, c',
  },
  {
    description: 'regexReplace named group',
    transform: {
      op: 'regexReplace',
      pattern: '^(?<last>[^,]+), (?<first>.+)$',
      replacement: '$<first> $<last>',
    },
    input: 'Kim, Margaret',
    expected: 'Margaret Kim',
  },
  {
    description: 'regexReplace: too long to match',
    transform: PHONE,
    input: '1'.repeat(MAX_REGEX_INPUT_CHARS + 1),
    expected: { fails: 'regex-input-too-long' },
  },
];

function run(transform: Transform, input: string): unknown {
  const compiled = transformDefinition(transform.op).compile(transform as never);
  if (!compiled.ok) throw new Error(`refused: ${JSON.stringify(compiled.problems)}`);
  return compiled.apply(input);
}

describe('transforms: positive and negative cases', () => {
  it.each(CASES)('$description', ({ transform, input, expected }) => {
    const out = run(transform, input);
    if (typeof expected === 'object') {
      expect(out).toBeInstanceOf(TransformFailure);
      const failure = out as TransformFailure;
      expect(failure.code).toBe(expected.fails);
      expect(Object.keys(TRANSFORMS[transform.op].codes)).toContain(failure.code);
      if (input.length > 2) expect(failure.message).not.toContain(input);
    } else {
      expect(out).toEqual(expected);
    }
  });

  it('has cases for every transform, and a failing case for every failure code', () => {
    for (const [op, definition] of Object.entries(TRANSFORMS)) {
      expect(CASES.some((c) => c.transform.op === op)).toBe(true);
      for (const code of Object.keys(definition.codes)) {
        expect(
          CASES.some((c) => typeof c.expected === 'object' && c.expected.fails === code),
          code,
        ).toBe(true);
      }
    }
  });
});

interface Refusal {
  description: string;
  transform: Transform;
  path: string;
  code: string;
}

const REFUSALS: Refusal[] = [
  {
    description: 'date: lower-case hh',
    transform: { op: 'date', formats: ['YYYY-MM-DD hh:mm'] },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'date: yyyy',
    transform: { op: 'date', formats: ['YYYY-MM-DD', 'dd.mm.yyyy'] },
    path: '/formats/1',
    code: 'invalid-date-format',
  },
  {
    description: 'date: two-digit year',
    transform: { op: 'date', formats: ['MM/DD/YY'] },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'date: no year',
    transform: { op: 'date', formats: ['MM/DD'] },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'date: month twice',
    transform: { op: 'date', formats: ['YYYY-MM-MM'] },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'date: ambiguous M then D',
    transform: { op: 'date', formats: ['MDYYYY'] },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'date: day without month',
    transform: { op: 'date', formats: ['YYYY DD'] },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'date: zone without time',
    transform: { op: 'date', formats: ['YYYY-MM-DDZ'] },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'dateTime: time without zone',
    transform: { op: 'date', formats: ['YYYY-MM-DD HH:mm'], output: 'dateTime' },
    path: '/formats/0',
    code: 'invalid-date-format',
  },
  {
    description: 'codeMap: keys differing only in case',
    transform: { op: 'codeMap', map: { F: 'female', f: 'fem' }, caseSensitive: false },
    path: '/map',
    code: 'inconsistent',
  },
  {
    description: 'boolean: a spelling on both sides',
    transform: { op: 'boolean', true: ['Y'], false: ['N', 'Y'] },
    path: '/false/1',
    code: 'inconsistent',
  },
  {
    description: 'regexReplace: invalid pattern',
    transform: { op: 'regexReplace', pattern: '(', replacement: '' },
    path: '/pattern',
    code: 'invalid-regex',
  },
  {
    description: 'regexReplace: (a+)+',
    transform: { op: 'regexReplace', pattern: '^(a+)+$', replacement: '' },
    path: '/pattern',
    code: 'unsafe-regex',
  },
  {
    description: 'regexReplace: back-reference',
    transform: { op: 'regexReplace', pattern: '(a)\\1', replacement: '' },
    path: '/pattern',
    code: 'unsafe-regex',
  },
];

describe('transforms: refused parameters', () => {
  it.each(REFUSALS)('$description', ({ transform, path, code }) => {
    const compiled = transformDefinition(transform.op).compile(transform as never);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.problems).toEqual([expect.objectContaining({ path, code })]);
  });

  it('allows the same code twice when case-insensitive keys agree', () => {
    const compiled = TRANSFORMS.codeMap.compile({
      op: 'codeMap',
      map: { F: 'female', f: 'female' },
      caseSensitive: false,
    });
    expect(compiled.ok).toBe(true);
  });
});

describe('regexReplace safety scan', () => {
  const REFUSED = [
    '(a+)+',
    '(a*)*$',
    '(\\d+)*x',
    '(a|ab)+',
    '(?:x\\s*){2,}',
    '((a+)?)+',
    '(?<w>\\w+\\s?)+$',
    '([a-z]+.)*@',
    '(a)\\1',
    '\\k<x>(?<x>a)',
    '(?:a{2,3})+',
  ];
  const ACCEPTED = [
    '^(?:\\+?1[ .-]?)?\\(?(\\d{3})\\)?[ .-]?(\\d{3})[ .-]?(\\d{4})$',
    '\\s*\\r?\\n\\s*',
    '^[=+@-].*$',
    '[(a+)+]',
    '\\(a+\\)+',
    '(ab)+',
    '(?:[ab])*',
    '(a+)?',
    '(a+){1}',
    'x{2}(?:y){0,1}',
    '\\p{L}+',
    '(?<=a)b+',
  ];
  it.each(REFUSED)('refuses %s', (pattern) => {
    expect(() => new RegExp(pattern, 'u')).not.toThrow();
    expect(unsafeRegexReason(pattern)).toBeDefined();
  });
  it.each(ACCEPTED)('accepts %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeUndefined();
  });
});
