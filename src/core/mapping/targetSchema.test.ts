/**
 * Target checks for the mapping editor: the fields a target JSON Schema declares, the required
 * ones a mapping leaves unmapped, and targets the schema does not declare — on a Patient-like
 * schema with `$ref`s, `allOf`, recursion and lists, and on the demo mapping.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FieldMapping, Mapping } from '../../formats/mapping.ts';
import { tableSchemaToJsonSchema } from './tableSchema.ts';
import { checkTargetCoverage, listTargetFields, MAX_LIST_DEPTH, MAX_LISTED_FIELDS } from './targetSchema.ts';
import { mappingOf } from './testing/mappings.ts';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples');
const demo = JSON.parse(
  readFileSync(join(SAMPLES, 'mappings', 'patients-to-fhir-patient.json'), 'utf8'),
) as Mapping;

/** A cut-down Patient: required identifier list of {system, value}, recursive extension. */
const PATIENT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['identifier', 'birthDate', 'name'],
  additionalProperties: false,
  properties: {
    identifier: { type: 'array', minItems: 1, items: { $ref: '#/$defs/Identifier' } },
    name: { type: 'array', items: { $ref: '#/$defs/HumanName' } },
    birthDate: { type: 'string', format: 'date', description: 'Date of birth' },
    gender: { enum: ['male', 'female', 'other', 'unknown'] },
    telecom: { type: 'array', items: { $ref: '#/$defs/ContactPoint' } },
    extension: { type: 'array', items: { $ref: '#/$defs/Extension' } },
  },
  $defs: {
    Identifier: {
      type: 'object',
      required: ['system', 'value'],
      properties: { system: { type: 'string' }, value: { type: 'string' }, use: { type: 'string' } },
    },
    HumanName: {
      allOf: [
        { properties: { family: { type: 'string' } }, required: ['family'] },
        { properties: { given: { type: 'array', items: { type: 'string' } } } },
      ],
    },
    ContactPoint: {
      type: 'object',
      required: ['system'],
      properties: { system: { type: 'string' }, value: { type: 'string' } },
    },
    Extension: {
      type: 'object',
      required: ['url'],
      properties: {
        url: { type: 'string' },
        extension: { type: 'array', items: { $ref: '#/$defs/Extension' } },
      },
      patternProperties: { '^value[A-Z]': {} },
    },
  },
};

interface CoverageCase {
  description: string;
  fields: FieldMapping[];
  unmappedRequired: string[];
  undeclaredTargets?: string[];
}

const COVERAGE: CoverageCase[] = [
  {
    description: 'nothing mapped: the record-level required fields, required lists at [0]',
    fields: [],
    // mapped records never hold an empty list, so a required list needs an item, minItems or not
    unmappedRequired: ['identifier[0]', 'birthDate', 'name[0]'],
  },
  {
    description: 'each identifier the mapping fills needs system and value',
    fields: [
      { target: 'identifier[0].system', const: 'urn:mrn' },
      { target: 'identifier[0].value', from: 'mrn' },
      { target: 'identifier[1].value', from: 'ssn' },
      { target: 'birthDate', from: 'dob' },
      { target: 'name[0].given[0]', from: 'first' },
    ],
    unmappedRequired: ['identifier[1].system', 'name[0].family'],
  },
  {
    description: 'an optional list item the mapping fills needs its required fields',
    fields: [
      { target: 'identifier[0].system', const: 'urn:mrn' },
      { target: 'identifier[0].value', from: 'mrn' },
      { target: 'birthDate', from: 'dob' },
      { target: 'name[0].family', from: 'last' },
      { target: 'telecom[0].value', from: 'phone' },
      { target: 'extension[0].extension[0].valueString', from: 'x' },
    ],
    unmappedRequired: ['telecom[0].system', 'extension[0].url', 'extension[0].extension[0].url'],
  },
  {
    description: 'targets the schema does not declare (closed record, open pattern properties)',
    fields: [
      { target: 'identifier[0].system', const: 'urn:mrn' },
      { target: 'identifier[0].value', from: 'mrn' },
      { target: 'identifier[0].vaule', from: 'mrn2' },
      { target: 'birthdate', from: 'dob' },
      { target: 'birthDate', from: 'dob' },
      { target: 'name[0].family', from: 'last' },
      { target: 'extension[0].url', const: 'urn:x' },
      { target: 'extension[0].valueCode', from: 'x' },
    ],
    unmappedRequired: [],
    undeclaredTargets: ['identifier[0].vaule', 'birthdate'],
  },
];

describe('checkTargetCoverage', () => {
  it.each(COVERAGE)('$description', ({ fields, unmappedRequired, undeclaredTargets = [] }) => {
    expect(checkTargetCoverage(mappingOf(fields), PATIENT)).toEqual({ unmappedRequired, undeclaredTargets });
  });

  it('a required list needs an item, also when its name is given a single value', () => {
    const schema = { type: 'object', required: ['tags'], properties: { tags: { type: 'array', items: {} } } };
    expect(checkTargetCoverage(mappingOf([]), schema).unmappedRequired).toEqual(['tags[0]']);
    expect(checkTargetCoverage(mappingOf([{ target: 'tags', const: 'x' }]), schema).unmappedRequired).toEqual(
      ['tags[0]'],
    );
  });

  it('the demo mapping covers a Patient schema requiring identifier, name and birthDate', () => {
    expect(checkTargetCoverage(demo, PATIENT).unmappedRequired).toEqual([]);
  });

  it('works against a converted Frictionless Table Schema', () => {
    const converted = tableSchemaToJsonSchema({
      fields: [
        { name: 'mrn', constraints: { required: true } },
        { name: 'family', constraints: { required: true } },
        { name: 'dob', type: 'date' },
      ],
    });
    if (!converted.ok) throw new Error('refused');
    expect(
      checkTargetCoverage(
        mappingOf([
          { target: 'mrn', from: 'mrn' },
          { target: 'dobb', from: 'dob' },
        ]),
        converted.schema,
      ),
    ).toEqual({
      unmappedRequired: ['family'],
      undeclaredTargets: ['dobb'],
    });
  });

  it('starts at a definition inside a larger document (FHIR: #/definitions/Patient)', () => {
    const { $defs, ...patient } = PATIENT;
    const document = { oneOf: [{ $ref: '#/$defs/Patient' }], $defs: { ...$defs, Patient: patient } };
    const fields: FieldMapping[] = [
      { target: 'birthDate', from: 'dob' },
      { target: 'nickname', from: 'x' },
    ];
    expect(checkTargetCoverage(mappingOf(fields), document, { start: '#/$defs/Patient' })).toEqual({
      unmappedRequired: ['identifier[0]', 'name[0]'],
      undeclaredTargets: ['nickname'],
    });
    expect(listTargetFields(document, { start: '#/$defs/Patient' }).fields[0]?.path).toBe('identifier');
  });

  it('never throws on odd schemas: unresolvable and looping $refs read as open', () => {
    const looping = { $ref: '#/$defs/a', $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } } };
    for (const schema of [null, 3, [], {}, { $ref: 'http://example.org/x' }, { $ref: '#/nope' }, looping]) {
      expect(checkTargetCoverage(mappingOf([{ target: 'a.b', const: 1 }]), schema)).toEqual({
        unmappedRequired: [],
        undeclaredTargets: [],
      });
    }
  });
});

describe('listTargetFields', () => {
  it('lists declared fields with required, type and description; lists as []', () => {
    const { fields, truncated } = listTargetFields(PATIENT);
    expect(truncated).toBe(false);
    expect(fields.slice(0, 6)).toEqual([
      { path: 'identifier', required: true, type: 'array' },
      { path: 'identifier[].system', required: true, type: 'string' },
      { path: 'identifier[].value', required: true, type: 'string' },
      { path: 'identifier[].use', required: false, type: 'string' },
      { path: 'name', required: true, type: 'array' },
      { path: 'name[].family', required: true, type: 'string' },
    ]);
    expect(fields).toContainEqual({
      path: 'birthDate',
      required: true,
      type: 'string',
      description: 'Date of birth',
    });
  });

  it('lists a recursive definition once, not again inside itself', () => {
    const paths = listTargetFields(PATIENT).fields.map((f) => f.path);
    expect(paths).toContain('extension[].url');
    expect(paths).toContain('extension[].extension');
    expect(paths).not.toContain('extension[].extension[].url');
    expect(Math.max(...paths.map((p) => p.split('.').length))).toBeLessThanOrEqual(MAX_LIST_DEPTH);
  });

  it('stops at the field limit on a wide, deep schema', () => {
    // 20 properties per level, each an object of the next level: 20^6 paths if nothing stopped it
    let schema: Record<string, unknown> = { type: 'string' };
    for (let depth = 0; depth < 5; depth++) {
      const sub = schema; // one object shared by every property: cheap to build, as wide to walk
      schema = {
        type: 'object',
        properties: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, sub])),
      };
    }
    const { fields, truncated } = listTargetFields(schema);
    expect(truncated).toBe(true);
    expect(fields).toHaveLength(MAX_LISTED_FIELDS);
  });
});
