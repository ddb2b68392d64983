/**
 * Which source cells the drill-down marks for a finding of a mapped row (one table),
 * for the sample mapping to a target JSON Schema and a mapping to a FHIR Patient; then the rule
 * prefixes are checked against the engines that make the findings.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mapping } from '../../formats/mapping.ts';
import { REQUIRED_RULE, transformRule } from './compileMapping.ts';
import { type FindingCell, isMappedRule, type MappedFinding, mappedFindingCells } from './findingCells.ts';
import { targetRuleId } from './schemaRows.ts';
import { mappingOf } from './testing/mappings.ts';

const SAMPLES = resolve(import.meta.dirname, '../../../samples');
const SCHEMA_MAPPING = JSON.parse(
  readFileSync(resolve(SAMPLES, 'targets/patients-to-target-patient.json'), 'utf8'),
) as Mapping;
const HEADER =
  readFileSync(resolve(SAMPLES, 'legacy/patients.csv'), 'utf8').split(/\r?\n/, 1)[0]?.split(',') ?? [];
const at = (name: string) => HEADER.indexOf(name);

const FHIR_MAPPING = mappingOf(
  [
    { target: 'identifier[0].value', from: 'mrn' },
    { target: 'identifier[0].system', const: 'urn:clinic:mrn' },
    { target: 'name[0].family', from: 'last_name' },
    { target: 'name[0].given[0]', from: 'first_name' },
    { target: 'name[0].given[1]', from: 'middle_name' },
    {
      target: 'name[0].text',
      from: ['first_name', 'last_name'],
      transform: [{ op: 'concat', separator: ' ' }],
    },
    { target: 'birthDate', from: 'birth_date' },
    { target: 'gender', from: 'not_in_the_file' },
  ],
  { id: 'fhir', name: 'to FHIR', target: { type: 'fhir', resourceType: 'Patient' } },
);

interface Case {
  description: string;
  mapping: Mapping;
  finding: MappedFinding;
  cells: [column: string, target: string][];
}

const CASES: Case[] = [
  {
    description: 'a target-schema finding at a record path marks the column filling it',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.pattern', location: 'address.postalCode' },
    cells: [['postal_code', 'address.postalCode']],
  },
  {
    description: 'a required target the schema misses marks the column the mapping reads for it',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.required', location: 'allergies' },
    cells: [['allergies', 'allergies']],
  },
  {
    description: 'a path grouped without list positions marks every column filling one of its items',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.pattern', location: 'name.given' },
    cells: [
      ['first_name', 'name.given[0]'],
      ['middle_name', 'name.given[1]'],
    ],
  },
  {
    description: 'the run’s trace of the row (a report example) marks exactly its column',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.pattern', location: 'name.given', column: 'middle_name', path: 'name.given[1]' },
    cells: [['middle_name', 'name.given[1]']],
  },
  {
    description: 'a transform failure is grouped at its source column',
    mapping: SCHEMA_MAPPING,
    finding: { rule: transformRule('codeMap'), location: 'sex' },
    cells: [['sex', 'sex']],
  },
  {
    description:
      'an empty required target is grouped at its source column, which may fill a differently named target',
    mapping: SCHEMA_MAPPING,
    finding: { rule: REQUIRED_RULE, location: 'birth_date' },
    cells: [['birth_date', 'birthDate']],
  },
  {
    description: 'a finding inside a value marks the column filling the value',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.type', location: 'address.line.extra' },
    cells: [['address_line', 'address.line']],
  },
  {
    description: 'a finding on a group marks every column below it, in mapping order',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.additionalProperties', location: 'address' },
    cells: [
      ['address_line', 'address.line'],
      ['city', 'address.city'],
      ['state', 'address.state'],
      ['postal_code', 'address.postalCode'],
    ],
  },
  {
    description: 'a finding on the whole record marks nothing',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.required', location: '' },
    cells: [],
  },
  {
    description: 'a finding of the column contract is not the mapping’s to mark',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'contract.pattern', location: 'phone' },
    cells: [],
  },
  {
    description: 'a target the mapping does not fill marks nothing',
    mapping: SCHEMA_MAPPING,
    finding: { rule: 'target.required', location: 'insurance' },
    cells: [],
  },
  {
    description: 'FHIR: a finding at a FHIRPath-style location marks the column filling it',
    mapping: FHIR_MAPPING,
    finding: { rule: 'fhir-invalid-format', location: 'Patient.birthDate' },
    cells: [['birth_date', 'Patient.birthDate']],
  },
  {
    description: 'FHIR: a concat marks each column it joins (here also read by other fields)',
    mapping: FHIR_MAPPING,
    finding: { rule: 'fhir-too-long', location: 'Patient.name.text' },
    cells: [
      ['first_name', 'Patient.name[0].text'],
      ['last_name', 'Patient.name[0].text'],
    ],
  },
  {
    description: 'FHIR: a transform failure of a concat is grouped at its columns, " + "-joined',
    mapping: FHIR_MAPPING,
    finding: {
      rule: transformRule('concat'),
      location: 'first_name + last_name',
      path: 'Patient.name[0].text',
    },
    cells: [
      ['first_name', 'Patient.name[0].text'],
      ['last_name', 'Patient.name[0].text'],
    ],
  },
  {
    description: 'FHIR: a value only a constant fills marks nothing',
    mapping: FHIR_MAPPING,
    finding: { rule: 'fhir-invalid-format', location: 'Patient.identifier.system' },
    cells: [],
  },
  {
    description: 'FHIR: a group whose only filled item comes from the file marks that column',
    mapping: FHIR_MAPPING,
    finding: { rule: 'fhir-invariant', location: 'Patient.identifier' },
    cells: [['mrn', 'Patient.identifier[0].value']],
  },
  {
    description: 'FHIR: a column the file lacks is never marked',
    mapping: FHIR_MAPPING,
    finding: { rule: REQUIRED_RULE, location: 'Patient.gender' },
    cells: [],
  },
  {
    description: 'FHIR: a finding on the whole resource marks nothing',
    mapping: FHIR_MAPPING,
    finding: { rule: 'fhir-invariant', location: 'Patient' },
    cells: [],
  },
];

describe('the source cells of a mapped row’s finding', () => {
  it('reads the sample extract’s header', () => {
    expect(HEADER).toContain('postal_code');
    expect(HEADER).toContain('middle_name');
  });

  it.each(CASES)('$description', ({ mapping, finding, cells }) => {
    const expected: FindingCell[] = cells.map(([column, target]) => ({ column: at(column), target }));
    expect(mappedFindingCells(mapping, HEADER, finding)).toEqual(expected);
  });

  it('knows the rules of mapped rows by the prefixes their engines give them', () => {
    for (const rule of [
      REQUIRED_RULE,
      transformRule('date'),
      targetRuleId('pattern'),
      'fhir-invalid-format',
      'fhir-invariant',
    ])
      expect(isMappedRule(rule), rule).toBe(true);
    for (const rule of ['contract.pattern', 'contract.required', 'csv.mixed-line-endings', 'duplicate-key'])
      expect(isMappedRule(rule), rule).toBe(false);
  });
});
