/**
 * The mapping engine's rules, one table of small mappings: what rows become, which
 * problems they carry, and which mappings refuse to compile (with the JSON Pointer of the cause).
 */
import { describe, expect, it } from 'vitest';
import type { FieldMapping, Mapping } from '../../formats/mapping.ts';
import { compileMapping, type MappedRecord, type MappingProblem } from './compileMapping.ts';
import { mapRecords } from './mapRecords.ts';
import { previewMapping } from './preview.ts';

function mappingOf(fields: FieldMapping[], key: string | string[] = 'id'): Mapping {
  return {
    format: 'preflight.mapping/v1',
    id: 'm',
    name: 'test',
    version: 1,
    source: 'test.csv',
    target: { type: 'schema', schema: 'target.json' },
    key,
    fields,
  };
}

const HEADER = ['id', 'first', 'middle', 'last', 'dob', 'phone', 'score', 'tags'];

interface RowCase {
  description: string;
  fields: FieldMapping[];
  cells: string[];
  record: MappedRecord;
  problems?: Partial<MappingProblem>[];
}

const ROWS: RowCase[] = [
  {
    description: 'a dotted path builds nested objects',
    fields: [{ target: 'patient.name.family', from: 'last' }],
    cells: ['1', 'Ann', '', 'Lee'],
    record: { patient: { name: { family: 'Lee' } } },
  },
  {
    description: 'list positions build lists, in position order whatever the field order',
    fields: [
      { target: 'name[0].given[1]', from: 'middle' },
      { target: 'name[0].given[0]', from: 'first' },
      { target: 'name[0].family', from: 'last' },
    ],
    cells: ['1', 'Ann', 'B', 'Lee'],
    record: { name: [{ given: ['Ann', 'B'], family: 'Lee' }] },
  },
  {
    description: 'lists close up: with no first name the middle name is given[0]',
    fields: [
      { target: 'name[0].given[0]', from: 'first' },
      { target: 'name[0].given[1]', from: 'middle' },
    ],
    cells: ['1', '', 'B'],
    record: { name: [{ given: ['B'] }] },
  },
  {
    description:
      'an item filled from columns is dropped when none gives a value, constants alone do not keep it',
    fields: [
      { target: 'telecom[0].system', const: 'phone' },
      { target: 'telecom[0].value', from: 'phone' },
      { target: 'telecom[1].system', const: 'email' },
      { target: 'telecom[1].value', from: 'tags' },
    ],
    cells: ['1', '', '', '', '', '', '', 'a@b.org'],
    record: { telecom: [{ system: 'email', value: 'a@b.org' }] },
  },
  {
    description: 'an item filled only by constants is kept',
    fields: [
      { target: 'coding[0].system', const: 'http://loinc.org' },
      { target: 'coding[0].code', const: '1234-5' },
      { target: 'text', from: 'first' },
    ],
    cells: ['1', ''],
    record: { coding: [{ system: 'http://loinc.org', code: '1234-5' }] },
  },
  {
    description: 'constants of every JSON type; null and "" are absent',
    fields: [
      { target: 'a', const: true },
      { target: 'b', const: 3 },
      { target: 'c', const: 'x' },
      { target: 'd', const: null },
      { target: 'e', const: '' },
    ],
    cells: ['1'],
    record: { a: true, b: 3, c: 'x' },
  },
  {
    description: 'a blank cell is absent; a short row reads missing cells as absent',
    fields: [
      { target: 'first', from: 'first', transform: [{ op: 'trim' }] },
      { target: 'tags', from: 'tags' },
    ],
    cells: ['1', '   '],
    record: {},
  },
  {
    description: 'required: absent after transforms is a problem naming target, column and row',
    fields: [{ target: 'name.family', from: 'last', transform: [{ op: 'trim' }], required: true }],
    cells: ['1', 'Ann', '', '  '],
    record: {},
    problems: [
      { rule: 'mapping.required', code: 'required-missing', target: 'name.family', column: 'last', row: 5 },
    ],
  },
  {
    description: 'a failing transform reports once (not also as required) and keeps the cell in value only',
    fields: [
      {
        target: 'birthDate',
        from: 'dob',
        transform: [{ op: 'date', formats: ['YYYY-MM-DD'] }],
        required: true,
      },
    ],
    cells: ['1', '', '', '', '1999-13-01'],
    record: {},
    problems: [
      {
        rule: 'mapping.date',
        code: 'date-impossible',
        target: 'birthDate',
        column: 'dob',
        value: '1999-13-01',
        row: 5,
      },
    ],
  },
  {
    description: 'a transform after a failure does not run',
    fields: [
      {
        target: 'score',
        from: 'score',
        transform: [
          { op: 'codeMap', map: { A: '1' } },
          { op: 'regexReplace', pattern: '1', replacement: 'one' },
        ],
      },
    ],
    cells: ['1', '', '', '', '', '', 'B'],
    record: {},
    problems: [{ rule: 'mapping.codeMap', code: 'code-unmapped', value: 'B' }],
  },
  {
    description: 'number and boolean write JSON numbers and booleans',
    fields: [
      { target: 'score', from: 'score', transform: [{ op: 'number', decimal: ',' }] },
      { target: 'flag', from: 'tags', transform: [{ op: 'boolean', true: ['Y'], false: ['N'] }] },
    ],
    cells: ['1', '', '', '', '', '', '2,5', 'N'],
    record: { score: 2.5, flag: false },
  },
  {
    description: 'concat joins present columns; steps before it run per column, after it on the join',
    fields: [
      {
        target: 'display',
        from: ['first', 'middle', 'last'],
        transform: [{ op: 'trim' }, { op: 'concat', separator: ' ' }, { op: 'case', to: 'upper' }],
      },
    ],
    cells: ['1', ' Ann ', '', 'Lee'],
    record: { display: 'ANN LEE' },
  },
  {
    description: 'concat: a failure before the join names the one column that failed',
    fields: [
      {
        target: 'period',
        from: ['dob', 'phone'],
        transform: [
          { op: 'date', formats: ['YYYY-MM-DD'] },
          { op: 'concat', separator: '/' },
        ],
      },
    ],
    cells: ['1', '', '', '', '2020-01-01', '2020-02-31'],
    record: {},
    problems: [{ rule: 'mapping.date', code: 'date-impossible', column: 'phone', value: '2020-02-31' }],
  },
  {
    description: 'split keeps one part',
    fields: [{ target: 'allergy[0]', from: 'tags', transform: [{ op: 'split', separator: ';', index: 1 }] }],
    cells: ['1', '', '', '', '', '', '', 'nuts;latex'],
    record: { allergy: ['latex'] },
  },
];

describe('mapRow', () => {
  it.each(ROWS)('$description', ({ fields, cells, record, problems = [] }) => {
    const result = compileMapping(mappingOf(fields), HEADER);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const mapped = result.compiled.mapRow(cells, 5);
    expect(mapped.record).toEqual(record);
    expect(mapped.problems).toEqual(problems.map((p) => expect.objectContaining(p)));
    for (const p of mapped.problems) if (p.value) expect(p.message).not.toContain(p.value);
  });
});

interface Refusal {
  description: string;
  fields: FieldMapping[];
  path: string;
  code: string;
}

const REFUSALS: Refusal[] = [
  {
    description: 'a path ending with "."',
    fields: [{ target: 'name.', from: 'first' }],
    path: '/fields/0/target',
    code: 'invalid-target',
  },
  {
    description: 'a position with a leading zero',
    fields: [{ target: 'name[01]', from: 'first' }],
    path: '/fields/0/target',
    code: 'invalid-target',
  },
  {
    description: 'a position above 999',
    fields: [{ target: 'name[1000]', from: 'first' }],
    path: '/fields/0/target',
    code: 'invalid-target',
  },
  {
    description: '__proto__',
    fields: [{ target: 'a.__proto__.x', from: 'first' }],
    path: '/fields/0/target',
    code: 'invalid-target',
  },
  {
    description: 'a value and fields inside it',
    fields: [
      { target: 'name', from: 'first' },
      { target: 'name.family', from: 'last' },
    ],
    path: '/fields/1/target',
    code: 'conflicting-targets',
  },
  {
    description: 'fields inside, then a value',
    fields: [
      { target: 'name.family', from: 'last' },
      { target: 'name', from: 'first' },
    ],
    path: '/fields/1/target',
    code: 'conflicting-targets',
  },
  {
    description: 'a list and an object at one path',
    fields: [
      { target: 'name[0]', from: 'first' },
      { target: 'name.family', from: 'last' },
    ],
    path: '/fields/1/target',
    code: 'conflicting-targets',
  },
  {
    description: 'a text transform after number',
    fields: [{ target: 'score', from: 'score', transform: [{ op: 'number' }, { op: 'trim' }] }],
    path: '/fields/0/transform/1',
    code: 'inconsistent',
  },
  {
    description: 'transforms on a constant',
    fields: [{ target: 'a', const: 'x', transform: [{ op: 'trim' }] }],
    path: '/fields/0/transform',
    code: 'inconsistent',
  },
  {
    description: 'a transform refusing its parameters, with its own path appended',
    fields: [
      {
        target: 'dob',
        from: 'dob',
        transform: [{ op: 'trim' }, { op: 'date', formats: ['YYYY', 'DD/MM/YY'] }],
      },
    ],
    path: '/fields/0/transform/1/formats/1',
    code: 'invalid-date-format',
  },
  {
    description: 'an unsafe pattern',
    fields: [
      {
        target: 'a',
        from: 'first',
        transform: [{ op: 'regexReplace', pattern: '(\\w+\\s?)*$', replacement: '' }],
      },
    ],
    path: '/fields/0/transform/0/pattern',
    code: 'unsafe-regex',
  },
  {
    description: 'an invalid pattern (found by the format check and the transform: reported once)',
    fields: [
      { target: 'a', from: 'first', transform: [{ op: 'regexReplace', pattern: '(', replacement: '' }] },
    ],
    path: '/fields/0/transform/0/pattern',
    code: 'invalid-regex',
  },
  {
    description: 'an unknown op (a document that skipped schema validation)',
    fields: [{ target: 'a', from: 'first', transform: [{ op: 'eval' } as never] }],
    path: '/fields/0/transform/0/op',
    code: 'not-allowed',
  },
  {
    description: 'the format check: a target filled twice',
    fields: [
      { target: 'a', from: 'first' },
      { target: 'a', from: 'last' },
    ],
    path: '/fields/1/target',
    code: 'duplicate-id',
  },
];

describe('compileMapping refusals', () => {
  it.each(REFUSALS)('$description', ({ fields, path, code }) => {
    const result = compileMapping(mappingOf(fields), HEADER);
    // exactly one problem: one cause is reported once
    expect(result).toEqual({ ok: false, problems: [expect.objectContaining({ path, code })] });
  });
});

describe('compiled mapping facts for the editor', () => {
  const mapping = mappingOf(
    [
      { target: 'name.family', from: 'last', required: true },
      { target: 'name.given', from: ['first', 'nickname'], transform: [{ op: 'concat', separator: ' ' }] },
      { target: 'active', const: true },
    ],
    ['id', 'site'],
  );
  const result = compileMapping(mapping, [...HEADER, 'first']);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const { compiled } = result;

  it('lists unused and missing columns, targets and required targets', () => {
    expect(compiled.unusedColumns).toEqual(['id', 'middle', 'dob', 'phone', 'score', 'tags', 'first']);
    expect(compiled.missingColumns).toEqual([
      { column: 'nickname', usedBy: ['name.given'] },
      { column: 'site', usedBy: ['key'] },
    ]);
    expect(compiled.targets).toEqual(['name.family', 'name.given', 'active']);
    expect(compiled.requiredTargets).toEqual(['name.family']);
    expect(compiled.warnings.map((w) => [w.path, w.code])).toEqual([
      ['/fields/1/from/0', 'ambiguous-column'],
      ['/fields/1/from/1', 'missing-column'],
      ['/key/1', 'missing-column'],
    ]);
  });

  it('keys rows by their key cells (U+001F between columns); blank keys are undefined', () => {
    expect(compiled.keyOf(['7', 'Ann'])).toBe('7\u001f');
    const single = compileMapping(mappingOf([{ target: 'a', from: 'first' }]), HEADER);
    if (!single.ok) throw new Error('refused');
    expect(single.compiled.keyOf(['', 'x'])).toBeUndefined();
    expect(single.compiled.keyOf([' 7 '])).toBe(' 7 ');
    expect(compiled.keyOf(['', ''])).toBeUndefined();
  });
});

describe('previewMapping', () => {
  const mapping = mappingOf([
    { target: 'name.family', from: 'last', required: true },
    { target: 'birthDate', from: 'dob', transform: [{ op: 'date', formats: ['MM/DD/YYYY'] }] },
  ]);
  const rows = [
    ['1', 'Ann', '', 'Lee', '02/03/1990'],
    ['2', 'Bo', '', '', '02/30/1990'],
    ['3', 'Cy', '', 'Kim', ''],
  ];

  it('shows the cells used, the record and the problems of the first rows', () => {
    const preview = previewMapping(mapping, HEADER, rows, 2);
    expect(preview).toEqual({
      ok: true,
      rows: [
        {
          row: 1,
          cells: [
            { column: 'last', value: 'Lee' },
            { column: 'dob', value: '02/03/1990' },
          ],
          record: { name: { family: 'Lee' }, birthDate: '1990-02-03' },
          problems: [],
        },
        {
          row: 2,
          cells: [
            { column: 'last', value: '' },
            { column: 'dob', value: '02/30/1990' },
          ],
          record: {},
          problems: [
            expect.objectContaining({ code: 'required-missing', row: 2 }),
            expect.objectContaining({ code: 'date-impossible', row: 2 }),
          ],
        },
      ],
      unusedColumns: ['id', 'first', 'middle', 'phone', 'score', 'tags'],
      missingColumns: [],
      requiredTargets: ['name.family'],
      warnings: [],
    });
  });

  it('gives the compile problems of a mapping being typed', () => {
    const broken = mappingOf([{ target: 'name[', from: 'last' }]);
    expect(previewMapping(broken, HEADER, rows)).toEqual({
      ok: false,
      problems: [expect.objectContaining({ path: '/fields/0/target', code: 'invalid-target' })],
    });
  });

  it('adds target coverage when given the target schema', () => {
    const schema = {
      type: 'object',
      required: ['name', 'gender'],
      properties: { name: { type: 'object', properties: { family: {} } }, birthDate: {}, gender: {} },
    };
    const preview = previewMapping(mapping, HEADER, rows, 1, { targetSchema: schema });
    expect(preview.ok && preview.coverage).toEqual({ unmappedRequired: ['gender'], undeclaredTargets: [] });
    expect(previewMapping(mapping, HEADER, rows, 1)).not.toHaveProperty('coverage');
  });

  it('maps no rows for a limit of 0 and all rows for a large one', () => {
    const none = previewMapping(mapping, HEADER, rows, 0);
    const all = previewMapping(mapping, HEADER, rows, 1000);
    expect(none.ok && none.rows).toEqual([]);
    expect(all.ok && all.rows.length).toBe(3);
  });
});

describe('mapRecords', () => {
  const mapping = mappingOf([{ target: 'family', from: 'last', required: true }]);
  const records = [
    { row: 1, fields: ['a', '', '', 'Lee'] },
    { row: 2, fields: ['a', '', '', ''] },
  ];

  it('maps lazily with keys and problems', () => {
    const result = mapRecords(mapping, HEADER, records);
    if (!result.ok) throw new Error('refused');
    expect([...result.records]).toEqual([
      { row: 1, key: 'a', record: { family: 'Lee' }, problems: [] },
      {
        row: 2,
        key: 'a',
        record: {},
        problems: [expect.objectContaining({ row: 2, code: 'required-missing' })],
      },
    ]);
    expect(result.mapChunk(records).map((r) => r.row)).toEqual([1, 2]);
  });

  it('refuses a mapping that cannot run before reading any record', () => {
    let read = 0;
    function* counting() {
      for (const record of records) {
        read++;
        yield record;
      }
    }
    const result = mapRecords(mappingOf([{ target: 'a..b', from: 'last' }]), HEADER, counting());
    expect(result.ok).toBe(false);
    expect(read).toBe(0);
  });
});
