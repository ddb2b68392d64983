import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMapping, type Mapping, type Transform } from '../../formats/mapping.ts';
import { applyMappingEdit, type MappingEdit, MappingEditError, newTransform, unusedTarget } from './edit.ts';
import { TRANSFORMS } from './transforms/index.ts';

const base: Mapping = {
  format: 'preflight.mapping/v1',
  id: 'm',
  name: 'Patients',
  version: 1,
  source: 'patients.csv',
  target: { type: 'schema', schema: 'urn:x' },
  key: 'mrn',
  fields: [
    { target: 'id', from: 'mrn', transform: [{ op: 'trim' }], required: true },
    {
      target: 'birthDate',
      from: 'dob',
      transform: [{ op: 'trim' }, { op: 'date', formats: ['MM/DD/YYYY'] }],
    },
    { target: 'active', const: true },
  ],
};

const cases: { description: string; edit: MappingEdit; expected: (m: Mapping) => unknown }[] = [
  { description: 'renames', edit: { type: 'mapping/rename', name: 'P2' }, expected: (m) => m.name === 'P2' },
  {
    description: 'chooses a FHIR target',
    edit: { type: 'mapping/target', target: { type: 'fhir', resourceType: 'Patient' } },
    expected: (m) => m.target.type === 'fhir',
  },
  {
    description: 'sets a two-column key',
    edit: { type: 'mapping/key', key: ['mrn', 'site'] },
    expected: (m) => Array.isArray(m.key) && m.key.length === 2,
  },
  {
    description: 'adds a field at the start',
    edit: { type: 'field/add', field: { target: 'x', from: 'a' }, at: 0 },
    expected: (m) => m.fields[0]?.target === 'x' && m.fields.length === 4,
  },
  {
    description: 'removes a field',
    edit: { type: 'field/remove', index: 1 },
    expected: (m) => m.fields.map((f) => f.target).join() === 'id,active',
  },
  {
    description: 'moves a field down',
    edit: { type: 'field/move', from: 0, to: 2 },
    expected: (m) => m.fields.map((f) => f.target).join() === 'birthDate,active,id',
  },
  {
    description: 'retargets a field',
    edit: { type: 'field/target', index: 0, target: 'identifier[0].value' },
    expected: (m) => m.fields[0]?.target === 'identifier[0].value',
  },
  {
    description: 'turns a column field into a constant, dropping its transforms',
    edit: { type: 'field/source', index: 1, source: { kind: 'const', value: '2000-01-01' } },
    expected: (m) =>
      m.fields[1]?.const === '2000-01-01' && !('from' in (m.fields[1] ?? {})) && !m.fields[1]?.transform,
  },
  {
    description: 'turns a constant into a column',
    edit: { type: 'field/source', index: 2, source: { kind: 'column', column: 'active' } },
    expected: (m) => m.fields[2]?.from === 'active' && !('const' in (m.fields[2] ?? {})),
  },
  {
    description: 'reads several columns',
    edit: { type: 'field/source', index: 0, source: { kind: 'columns', columns: ['a', 'b'] } },
    expected: (m) =>
      Array.isArray(m.fields[0]?.from) && m.fields[0]?.transform?.map((t) => t.op).join() === 'trim,concat',
  },
  {
    description: 'clears required (the key is left out, not false)',
    edit: { type: 'field/required', index: 0, required: false },
    expected: (m) => !('required' in (m.fields[0] ?? {})),
  },
  {
    description: 'adds a transform step in the middle',
    edit: { type: 'transform/add', index: 1, transform: { op: 'case', to: 'lower' }, at: 1 },
    expected: (m) => m.fields[1]?.transform?.map((t) => t.op).join() === 'trim,case,date',
  },
  {
    description: 'adds the first transform of a constant-free field',
    edit: { type: 'transform/add', index: 0, transform: { op: 'number' } },
    expected: (m) => m.fields[0]?.transform?.map((t) => t.op).join() === 'trim,number',
  },
  {
    description: 'removes the last step (the list goes away)',
    edit: { type: 'transform/remove', index: 0, step: 0 },
    expected: (m) => !('transform' in (m.fields[0] ?? {})),
  },
  {
    description: 'reorders steps',
    edit: { type: 'transform/move', index: 1, from: 1, to: 0 },
    expected: (m) => m.fields[1]?.transform?.map((t) => t.op).join() === 'date,trim',
  },
  {
    description: 'changes a step',
    edit: {
      type: 'transform/set',
      index: 1,
      step: 1,
      transform: { op: 'date', formats: ['YYYY-MM-DD', 'DD.MM.YYYY'] },
    },
    expected: (m) =>
      (m.fields[1]?.transform?.[1] as { formats?: string[] } | undefined)?.formats?.length === 2,
  },
  {
    description: 'allows a draft with an invalid regular expression (semantic, shown by the editor)',
    edit: {
      type: 'transform/set',
      index: 0,
      step: 0,
      transform: { op: 'regexReplace', pattern: '(', replacement: '' },
    },
    expected: (m) => m.fields[0]?.transform?.[0]?.op === 'regexReplace',
  },
];

describe('applyMappingEdit', () => {
  it.each(cases)('$description; the inverse restores the mapping', ({ edit, expected }) => {
    const { mapping, inverse } = applyMappingEdit(base, edit);
    expect(expected(mapping)).toBe(true);
    expect(loadMapping(mapping).ok || edit.type === 'transform/set').toBe(true);
    expect(applyMappingEdit(mapping, inverse).mapping).toEqual(base);
    // structural sharing: a field the edit did not touch keeps its identity
    if (edit.type === 'transform/set') expect(mapping.fields[2]).toBe(base.fields[2]);
  });

  const refused: { description: string; edit: MappingEdit; code: string; message: RegExp }[] = [
    {
      description: 'an empty name',
      edit: { type: 'mapping/rename', name: '' },
      code: 'invalid',
      message: /the mapping/,
    },
    {
      description: 'a field that is not there',
      edit: { type: 'field/remove', index: 7 },
      code: 'no-such-field',
      message: /field 8/,
    },
    {
      description: 'a step that is not there',
      edit: { type: 'transform/remove', index: 2, step: 0 },
      code: 'no-such-step',
      message: /Field 3 has no transform step 1/,
    },
    {
      description: 'a move out of range',
      edit: { type: 'field/move', from: 0, to: 3 },
      code: 'no-such-field',
      message: /cannot move/,
    },
    {
      description: 'an empty column name',
      edit: { type: 'field/source', index: 0, source: { kind: 'column', column: '' } },
      code: 'invalid',
      message: /field 1/,
    },
    {
      description: 'a date step without formats',
      edit: { type: 'transform/set', index: 1, step: 1, transform: { op: 'date', formats: [] } },
      code: 'invalid',
      message: /field 2, transform step 2/,
    },
    {
      description: 'an empty pattern',
      edit: {
        type: 'transform/add',
        index: 0,
        transform: { op: 'regexReplace', pattern: '', replacement: '' },
      },
      code: 'invalid',
      message: /field 1, transform step 2/,
    },
    {
      description: 'a FHIR type that is not a type name',
      edit: { type: 'mapping/target', target: { type: 'fhir', resourceType: 'patient' } },
      code: 'invalid',
      message: /mapping/,
    },
  ];
  it.each(refused)('refuses $description and changes nothing', ({ edit, code, message }) => {
    const before = structuredClone(base);
    let error: unknown;
    try {
      applyMappingEdit(base, edit);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MappingEditError);
    expect((error as MappingEditError).code).toBe(code);
    expect((error as MappingEditError).message).toMatch(message);
    expect(base).toEqual(before);
  });

  it('never quotes a typed value in a refusal', () => {
    const secret = 'SECRET-VALUE';
    expect(() =>
      applyMappingEdit(base, {
        type: 'transform/set',
        index: 0,
        step: 0,
        transform: { op: 'case', to: secret } as unknown as Transform,
      }),
    ).toThrow(MappingEditError);
    try {
      applyMappingEdit(base, {
        type: 'transform/set',
        index: 0,
        step: 0,
        transform: { op: 'case', to: secret } as unknown as Transform,
      });
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(secret);
    }
  });

  it('returns the very mapping for an edit that changes nothing', () => {
    expect(applyMappingEdit(base, { type: 'field/move', from: 1, to: 1 }).mapping).toBe(base);
  });
});

describe('newTransform', () => {
  it.each(Object.keys(TRANSFORMS) as Transform['op'][])('gives a %s step that compiles', (op) => {
    const transform = newTransform(op);
    expect(transform.op).toBe(op);
    const compiled = (TRANSFORMS[op].compile as (t: Transform) => { ok: boolean })(transform);
    expect(compiled.ok).toBe(true);
  });
});

describe('unusedTarget', () => {
  it('numbers past the targets in use', () => {
    expect(unusedTarget({ fields: [] })).toBe('field');
    expect(unusedTarget({ fields: [{ target: 'field' }, { target: 'field2' }] })).toBe('field3');
  });
});

describe('the demo mapping', () => {
  it('survives every kind of edit and its inverse', () => {
    const json = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, '../../../samples/mappings/patients-to-fhir-patient.json'),
        'utf8',
      ),
    );
    const loaded = loadMapping(json);
    if (!loaded.ok) throw new Error('demo mapping invalid');
    const demo = loaded.value;
    const { mapping, inverse } = applyMappingEdit(demo, { type: 'transform/remove', index: 15, step: 1 });
    expect(mapping.fields[15]?.transform?.length).toBe(1);
    expect(applyMappingEdit(mapping, inverse).mapping).toEqual(demo);
  });
});
