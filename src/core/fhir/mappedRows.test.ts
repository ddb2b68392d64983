/**
 * CSV rows mapped to R4 resources and validated by the FHIR layers, through the core (the table
 * of tests/fixtures/mappedFhirCases.ts; the CLI and the worker run the same table), plus the
 * demo: samples/legacy/patients.csv with samples/mappings/patients-to-fhir-patient.json gives
 * the counts samples/README.md documents, and those counts are recomputed from the cells.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  issueHeads,
  issueLines,
  MAPPED_FHIR_CASES,
  MAPPED_FHIR_DEMO,
  MAPPED_TRACE_CASES,
  tracedLines,
} from '../../../tests/fixtures/mappedFhirCases.ts';
import { type FieldMapping, loadMapping, type Mapping } from '../../formats/mapping.ts';
import type { Report } from '../../formats/report.ts';
import { describeTransform, type FieldPlacement, type MappingTrace, traceField } from '../mapping/index.ts';
import { demoRows, runMappedCore, tracedSentence } from '../validation/index.ts';
import { generatedModules } from './generatedModules.ts';
import {
  MappingCompileError,
  mappedFhirTarget,
  NotFhirTargetError,
  prepareMappedFhirCheck,
  traceColumn,
} from './mappedRows.ts';
import { FHIR_LAYERS, type FhirLayer } from './rules.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');

/** The core's run (testing/mappedRuns.ts) with the FHIR layers' row check. */
async function runCore(
  name: string,
  bytes: Uint8Array,
  mapping: Mapping,
  options: { unknownExtensions?: 'error' | 'warning'; skip?: string[] } = {},
): Promise<Report> {
  const check = await prepareMappedFhirCheck(mapping, generatedModules, {
    layers: FHIR_LAYERS.filter((l) => !(options.skip ?? []).includes(l)) as FhirLayer[],
    ...(options.unknownExtensions ? { unknownExtensions: options.unknownExtensions } : {}),
  });
  return runMappedCore(name, bytes, check, mapping.key as string, {
    type: 'fhir',
    resourceType: check.resourceType,
  });
}

describe('CSV mapped to an R4 resource type, validated by the FHIR layers (core)', () => {
  it.each(MAPPED_FHIR_CASES)('$description', async ({ csv, mapping, options, summary, issues }) => {
    const report = await runCore('extract.csv', new TextEncoder().encode(csv), mapping, options);
    expect(report.summary).toEqual(summary);
    expect(issueLines(report)).toEqual(issues);
    expect(report.target).toEqual({ type: 'fhir', resourceType: mappedFhirTarget(mapping) });
    expect(report.mapping).toEqual({ id: mapping.id, version: mapping.version });
  });

  it('never puts a cell value in a message: values travel only in examples', async () => {
    const secret = (n: number) => `ZZSECRET${n}`;
    const csv = `mrn,last_name,sex,dob,nick,kind\nM1,${secret(1)},${secret(2)},${secret(3)},${secret(4)},${secret(5)}\n`;
    const base = MAPPED_FHIR_CASES[0]?.mapping as Mapping;
    const report = await runCore('extract.csv', new TextEncoder().encode(csv), {
      ...base,
      fields: [
        ...base.fields.filter((f) => f.target !== 'gender'),
        { target: 'gender', from: 'sex' },
        { target: 'birthDate', from: 'dob' },
        { target: 'nickname', from: 'nick' },
        { target: 'telecom[0].system', from: 'kind' },
        { target: 'telecom[0].value', const: '555-0100' },
      ],
    });
    expect(report.summary.errors).toBe(4);
    const examples = report.issues.flatMap((i) => i.examples.map((e) => e.value));
    // an unknown element is reported without its value (the structure layer names the element only)
    expect(examples.sort()).toEqual([secret(2), secret(3), secret(5), undefined]);
    expect(JSON.stringify(report.issues.map((i) => i.message))).not.toContain('ZZSECRET');
  });

  it('refuses a mapping whose target is not an R4 resource type, and one that cannot run on the header', async () => {
    const base = MAPPED_FHIR_CASES[0]?.mapping as Mapping;
    await expect(
      prepareMappedFhirCheck(
        { ...base, target: { type: 'fhir', resourceType: 'Patients' } },
        generatedModules,
      ),
    ).rejects.toBeInstanceOf(NotFhirTargetError);
    await expect(
      prepareMappedFhirCheck({ ...base, target: { type: 'schema', schema: 'x.json' } }, generatedModules),
    ).rejects.toBeInstanceOf(NotFhirTargetError);
    const check = await prepareMappedFhirCheck(
      {
        ...base,
        fields: [
          { target: 'name', from: 'dob' },
          { target: 'name.family', from: 'dob' },
        ],
      },
      generatedModules,
    );
    expect(() => check.rowCheck(['dob'])).toThrow(MappingCompileError);
  });

  it('traces a location to the field placed there, above it, or the columns below it', () => {
    const placed: FieldPlacement[] = [
      { path: 'name[0].family', target: 'name[0].family', column: 'last_name' },
      { path: 'name[0].given[0]', target: 'name[0].given[1]', column: 'middle_name' },
      { path: 'telecom[0].system', target: 'telecom[0].system' },
      { path: 'telecom[0].value', target: 'telecom[0].value', column: 'phone' },
    ];
    const cases: [string, string | undefined][] = [
      ['Patient.name[0].given[0]', 'middle_name'],
      ['Patient.name[0]', 'last_name + middle_name'],
      ['Patient.name', 'last_name + middle_name'],
      ['Patient.telecom[0].system', undefined],
      ['Patient.telecom[0].value.extension[0]', 'phone'],
      ['Patient.telecom[0]', 'phone'],
      ['Patient.birthDate', undefined],
      ['Patient.names', undefined],
      ['', undefined],
    ];
    for (const [location, column] of cases)
      expect(traceColumn(placed, location, 'Patient.'), location).toBe(column);
  });
});

describe('the mapping field behind a location (traceField)', () => {
  const placed: FieldPlacement[] = [
    { path: 'name[0].family', target: 'name[0].family', column: 'last_name' },
    { path: 'name[0].given[0]', target: 'name[0].given[1]', column: 'middle_name' },
    { path: 'telecom[0].system', target: 'telecom[0].system' },
  ];
  const fields: FieldMapping[] = [
    { target: 'name[0].family', from: 'last_name', transform: [{ op: 'trim' }, { op: 'case', to: 'upper' }] },
    { target: 'name[0].given[0]', from: 'first_name' },
    { target: 'name[0].given[1]', from: 'middle_name' },
    { target: 'telecom[0].system', const: 'phone' },
    { target: 'telecom[0].value', from: ['area', 'number'], transform: [{ op: 'concat' }] },
    { target: 'birthDate', from: 'dob', transform: [{ op: 'date', formats: ['M/D/YYYY', 'YYYY-MM-DD'] }] },
  ];
  const cases: [string, MappingTrace | undefined][] = [
    [
      'Patient.name[0].family',
      { field: 'name[0].family', column: 'last_name', transform: 'trim spaces, then change to upper case' },
    ],
    // a list closed up: the value at given[0] was written by the field of given[1]
    ['Patient.name[0].given[0]', { field: 'name[0].given[1]', column: 'middle_name' }],
    ['Patient.name[0]', { field: 'name[0].family + name[0].given[1]', column: 'last_name + middle_name' }],
    ['Patient.telecom[0].system.extension[0]', { field: 'telecom[0].system' }],
    ['Patient.telecom[0].value', { field: 'telecom[0].value', column: 'area + number', unfilled: 'empty' }],
    ['Patient.birthDate', { field: 'birthDate', column: 'dob', unfilled: 'empty' }],
    ['Patient.gender', { unfilled: 'no-field' }],
    ['Patient', undefined],
    ['Observation.status', undefined],
  ];
  it.each(cases)('%s', (location, trace) => {
    expect(traceField(placed, fields, location, 'Patient.')).toEqual(trace);
  });
  it('words every transform step without a value', () => {
    expect(
      describeTransform([
        { op: 'codeMap', map: { SECRET: 'x' } },
        { op: 'number' },
        { op: 'boolean', true: ['Y'], false: ['N'] },
        { op: 'split', separator: ';' },
        { op: 'regexReplace', pattern: 'SECRET', replacement: '' },
      ]),
    ).toBe(
      'translate codes, then read a number, then read yes / no, then keep one part, then find and replace',
    );
    expect(describeTransform([])).toBeUndefined();
  });
});

describe('any row through the demo mapping and every FHIR layer', () => {
  it('never throws, reports each finding once per row, and never puts a cell in a message', async () => {
    const loaded = loadMapping(
      JSON.parse(readFileSync(path.join(SAMPLES, MAPPED_FHIR_DEMO.mapping), 'utf8')),
    );
    if (!loaded.ok) throw new Error('the demo mapping does not load');
    const header = [
      'patient_id',
      'mrn',
      'last_name',
      'first_name',
      'middle_name',
      'birth_date',
      'sex',
      'ssn',
      'phone',
      'email',
      'address_line',
      'city',
      'state',
      'postal_code',
      'primary_care_provider',
    ];
    const check = (await prepareMappedFhirCheck(loaded.value, generatedModules)).rowCheck(header);
    const cell = fc.oneof(
      fc.constantFrom('', ' ', 'F', 'x', '2023-02-30', '11/09/1938', '<div>', '\u0000', 'a\nb', '=1+2'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 0, maxLength: header.length + 2 }), (cells) => {
        const issues = check(9, cells);
        const keys = issues.map((i) => `${i.rule}|${i.path}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const issue of issues) {
          if (issue.value !== undefined && issue.value.trim().length > 3)
            expect(issue.message).not.toContain(issue.value);
          if (issue.path !== undefined) expect(issue.path.startsWith('Patient')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the demo: patients.csv mapped to Patient', () => {
  it('gives the counts samples/README.md documents, recomputed from the cells', async () => {
    const bytes = readFileSync(path.join(SAMPLES, 'legacy/patients.csv'));
    const loaded = loadMapping(
      JSON.parse(readFileSync(path.join(SAMPLES, MAPPED_FHIR_DEMO.mapping), 'utf8')),
    );
    if (!loaded.ok) throw new Error('the demo mapping does not load');
    const report = await runCore('patients.csv', bytes, loaded.value);
    // independently of the engine: which rows must fail, from the cells
    const text = new TextDecoder().decode(bytes);
    const rows = demoRows(text);
    const empty = (column: string) => rows.filter((r) => (r[column] ?? '').trim() === '').length;
    const impossible = rows.filter((r) => /^\d{4}-02-3\d$/.test(r.birth_date ?? '')).length;
    expect([empty('last_name'), empty('first_name'), empty('birth_date'), impossible]).toEqual([6, 3, 4, 1]);
    expect(report.summary).toEqual(MAPPED_FHIR_DEMO.summary);
    expect(issueHeads(report)).toEqual(MAPPED_FHIR_DEMO.issues);
    expect(report.crossFile.duplicateKeys.map((d) => d.count)).toEqual(Array(12).fill(2));
  });
});

describe('FHIR messages on mapped rows traced to the mapping (core)', () => {
  it.each(MAPPED_TRACE_CASES)('$description', async ({ csv, mapping, traced }) => {
    const report = await runCore('extract.csv', new TextEncoder().encode(csv), mapping);
    expect(tracedLines(report, tracedSentence)).toEqual(traced);
    // where and what kind, never a value
    for (const issue of report.issues)
      for (const e of issue.examples)
        if (e.value !== undefined) expect(tracedSentence(issue, e) ?? '').not.toContain(e.value);
  });
});
