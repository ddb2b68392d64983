import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mappingFrom, targetReference, targetSchemaDoc, targetSchemaFrom } from './mappingFiles.ts';

const demoMapping = readFileSync(
  resolve(import.meta.dirname, '../../../samples/mappings/patients-to-fhir-patient.json'),
  'utf8',
);

describe('reading a target schema', () => {
  it.each([
    {
      description: 'a JSON Schema of one record, named by its title',
      text: JSON.stringify({ title: 'Patient row', type: 'object', properties: { id: { type: 'string' } } }),
      expected: { id: 'target:t.json', name: 'Patient row' },
    },
    {
      description: 'a Table Schema, converted (required fields kept)',
      text: JSON.stringify({ fields: [{ name: 'id', type: 'string', constraints: { required: true } }] }),
      expected: { id: 'target:t.json', name: 't.json', required: ['id'] },
    },
  ])('reads $description', ({ text, expected }) => {
    const read = targetSchemaFrom('t.json', JSON.parse(text));
    if ('message' in read) throw new Error(read.message);
    expect(read.doc).toMatchObject({ id: expected.id, name: expected.name });
    if (expected.required) expect(read.doc.schema.required).toEqual(expected.required);
  });

  it.each([
    { description: 'a list', text: '[1, 2]', message: /is not a target schema/ },
    {
      description: 'a Table Schema with a field of an unknown type',
      text: JSON.stringify({ fields: [{ name: 'id', type: 'Secret-Type' }] }),
      message: /is not a usable Table Schema/,
    },
  ])('refuses $description, naming the file and never a value', ({ text, message }) => {
    const read = targetSchemaFrom('t.json', JSON.parse(text));
    expect('message' in read && read.message).toMatch(message);
    expect('message' in read && read.message).not.toContain('Secret-Type');
  });
});

describe('reading a mapping file', () => {
  it('loads the demo mapping', () => {
    const read = mappingFrom('m.json', JSON.parse(demoMapping));
    expect('mapping' in read && read.mapping.id).toBe('patients-to-fhir-patient');
  });

  it('refuses another Preflight file or a broken mapping with the places named', () => {
    const broken = JSON.parse(demoMapping);
    broken.fields[0].transform = [{ op: 'regexReplace', pattern: '(', replacement: '' }];
    delete broken.fields[0].const;
    broken.fields[0].from = 'mrn';
    const read = mappingFrom('m.json', broken);
    expect('message' in read && read.message).toMatch(
      /m\.json is not a usable mapping: \/fields\/0\/transform\/0\/pattern/,
    );
    const other = mappingFrom('w.json', { format: 'preflight.workflow/v1' });
    expect('message' in other && other.message).toMatch(/w\.json is not a usable mapping/);
  });
});

describe('targetSchemaDoc', () => {
  const schemas = [
    { id: 'contract:patients', name: 'P', schema: { $id: 'urn:x:patients' } },
    { id: 'target:t.schema.json', name: 'T', schema: {} },
  ];
  it.each([
    { target: { type: 'schema', schema: 'contract:patients' }, found: true },
    { target: { type: 'schema', schema: 'urn:x:patients' }, found: true },
    { target: { type: 'schema', schema: 't.schema.json' }, found: true },
    { target: { type: 'schema', schema: '../targets/t.schema.json' }, found: true },
    { target: { type: 'schema', schema: 'u.schema.json' }, found: false },
    { target: { type: 'schema', schema: 'other' }, found: false },
    { target: { type: 'fhir', resourceType: 'Patient' }, found: false },
  ] as const)('$target.type $target', ({ target, found }) => {
    expect(targetSchemaDoc(schemas, target) !== undefined).toBe(found);
  });
});

describe('targetReference', () => {
  it.each([
    { schema: { $id: 'urn:x:target' }, expected: 'urn:x:target' },
    { schema: { $id: '' }, expected: 't.schema.json' },
    { schema: {}, expected: 't.schema.json' },
  ])('$schema → $expected', ({ schema, expected }) => {
    expect(targetReference({ id: 'target:t.schema.json', name: 'T', schema }, 't.schema.json')).toBe(
      expected,
    );
  });
});
