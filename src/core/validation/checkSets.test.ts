import { describe, expect, it } from 'vitest';
import type { Mapping } from '../../formats/mapping.ts';
import type { Dataset, Project } from '../../formats/project.ts';
import {
  chosenDemographicsOf,
  demographicsOf,
  fileStem,
  keyOf,
  linksOf,
  savedMappingSpec,
} from './checkSets.ts';

const set = (key?: string): Dataset => ({
  id: 'checkset:1',
  name: 'patients.csv',
  kind: 'csv',
  bytes: 1,
  columns: ['patient_id', 'mrn'],
  origin: { type: 'file' },
  ...(key ? { key } : {}),
});

describe('what a check set proposes for a file named by a path (the command line) or a name (the screen)', () => {
  it.each([
    { name: 'encounters.csv', stem: 'encounter' },
    { name: 'drop/2026-11/encounters.csv', stem: 'encounter' },
    { name: 'C:\\drops\\Patients.CSV', stem: 'patient' },
    { name: 'lab', stem: 'lab' },
  ])('the stem of $name is $stem', ({ name, stem }) => {
    expect(fileStem(name)).toBe(stem);
  });

  it.each([
    {
      description: 'the saved key, when the file has it',
      header: ['mrn', 'patient_id'],
      saved: 'patient_id',
      key: 'patient_id',
    },
    {
      description: 'the proposed key, when the file lacks the saved one',
      header: ['mrn', 'id'],
      saved: 'patient_id',
      key: 'mrn',
    },
    {
      description: 'the proposed key, without a check set',
      header: ['encounter_id'],
      saved: undefined,
      key: 'encounter_id',
    },
    { description: 'none, when nothing fits', header: ['a', 'b'], saved: undefined, key: '' },
  ])('key: $description', ({ header, saved, key }) => {
    expect(keyOf('drop/encounters.csv', header, saved === undefined ? undefined : set(saved))).toBe(key);
  });

  it('proposes links between files named by their paths', () => {
    expect(
      linksOf(
        [
          { name: 'drop/patients.csv', header: ['patient_id', 'mrn'] },
          { name: 'drop/encounters.csv', header: ['encounter_id', 'patient_id'] },
        ],
        { datasets: [] },
      ),
    ).toEqual([
      {
        input: 'drop/encounters.csv',
        column: 'patient_id',
        target: 'drop/patients.csv',
        targetColumn: 'patient_id',
      },
    ]);
  });
});

describe("a saved mapping's records are checked with the project's FHIR checks", () => {
  const toFhir = {
    id: 'm-fhir',
    name: 'to FHIR',
    version: 1,
    source: 'patients.csv',
    target: { type: 'fhir', resourceType: 'Patient' },
    fields: [],
  } as unknown as Mapping;
  const toSchema = {
    ...toFhir,
    id: 'm-schema',
    target: { type: 'schema', schema: 'urn:target' },
  } as unknown as Mapping;
  const project = (settings: Record<string, unknown>) =>
    ({
      mappings: [toFhir, toSchema],
      schemas: [{ id: 'doc', name: 'Target', schema: { $id: 'urn:target', type: 'object' } }],
      meta: { settings },
    }) as unknown as Pick<Project, 'mappings' | 'schemas' | 'meta'>;
  const EVERY = [
    'json',
    'structure',
    'cardinality',
    'values',
    'extensions',
    'invariants',
    'bindings',
    'references',
  ];
  const table: { description: string; settings: Record<string, unknown>; id?: string; expected: unknown }[] =
    [
      {
        description: 'no FHIR checks saved: every layer, unknown extensions as errors',
        settings: {},
        id: 'm-fhir',
        expected: { mapping: toFhir, layers: EVERY, unknownExtensions: 'error' },
      },
      {
        description: 'the layers switched off and the warning the project keeps',
        settings: { fhirChecks: { off: ['invariants', 'later-layer'], unknownExtensions: 'warning' } },
        id: 'm-fhir',
        expected: {
          mapping: toFhir,
          layers: EVERY.filter((l) => l !== 'invariants'),
          unknownExtensions: 'warning',
        },
      },
      {
        description: 'a schema target: its schema, no FHIR checks',
        settings: { fhirChecks: { off: ['invariants'] } },
        id: 'm-schema',
        expected: {
          mapping: toSchema,
          targetSchema: { name: 'Target', schema: { $id: 'urn:target', type: 'object' } },
        },
      },
      { description: 'no mapping chosen', settings: {}, expected: undefined },
      { description: 'a mapping the project does not hold', settings: {}, id: 'gone', expected: undefined },
    ];
  it.each(table)('$description', ({ settings, id, expected }) => {
    expect(savedMappingSpec(project(settings), id)).toEqual(expected);
  });
});

describe('the demographic columns guessed for a key, one per thing compared', () => {
  const SYNTHEA =
    'Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,MIDDLE,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS'.split(
      ',',
    );
  const table: { name: string; header: string[]; key: string; expected: string[] }[] = [
    {
      name: 'the demo’s names, best first, one of sex and gender',
      header: ['mrn', 'dob', 'last_name', 'first_name', 'sex', 'gender', 'birth_date'],
      key: 'mrn',
      expected: ['last_name', 'first_name', 'birth_date', 'sex'],
    },
    {
      name: 'Synthea’s patients.csv (upper case, one word)',
      header: SYNTHEA,
      key: 'Id',
      expected: ['LAST', 'FIRST', 'BIRTHDATE', 'GENDER'],
    },
    {
      name: 'a spreadsheet’s headings, with spaces',
      header: ['Patient ID', 'Family Name', 'Given Name', 'Date of Birth', 'Sex'],
      key: 'Patient ID',
      expected: ['Family Name', 'Given Name', 'Date of Birth', 'Sex'],
    },
    { name: 'never the key', header: ['dob', 'mrn'], key: 'dob', expected: [] },
    { name: 'none there', header: ['id', 'city'], key: 'id', expected: [] },
  ];
  it.each(table)('$name', ({ header, key, expected }) => {
    expect(demographicsOf(header, key)).toEqual(expected);
  });
});

describe('the demographic columns a check set keeps, as the user chose them', () => {
  const header = ['Id', 'FIRST', 'LAST', 'BIRTHDATE', 'GENDER', 'CITY'];
  const table: { name: string; chosen: string[] | undefined; expected: string[] }[] = [
    { name: 'none chosen: guessed', chosen: undefined, expected: ['LAST', 'FIRST', 'BIRTHDATE', 'GENDER'] },
    { name: 'chosen, in their order', chosen: ['CITY', 'BIRTHDATE'], expected: ['CITY', 'BIRTHDATE'] },
    { name: 'nothing to compare', chosen: [], expected: [] },
    {
      name: 'a column the header no longer has, or the key, left out',
      chosen: ['Id', 'MIDDLE', 'LAST'],
      expected: ['LAST'],
    },
  ];
  it.each(table)('$name', ({ chosen, expected }) => {
    expect(chosenDemographicsOf(header, 'Id', chosen)).toEqual(expected);
  });
});
