/**
 * CSV rows mapped to records of a target JSON Schema and validated by ajv, through the core (the
 * table of tests/fixtures/mappedSchemaCases.ts; the CLI and the worker run the same table), plus
 * the demo: samples/legacy/patients.csv with samples/targets/patients-to-target-patient.json and
 * target-patient.schema.json gives the counts samples/README.md documents, recomputed from the cells.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  issueHeads,
  issueLines,
  MAPPED_SCHEMA_CASES,
  MAPPED_SCHEMA_DEMO,
} from '../../../tests/fixtures/mappedSchemaCases.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import type { Report } from '../../formats/report.ts';
import { compileColumnContract, regexCheckerFor } from '../contract/index.ts';
import { demoRows, MappingCompileError, runMappedCore } from '../validation/index.ts';
import { prepareMappedSchemaCheck, TargetSchemaError, targetRuleId } from './schemaRows.ts';
import { tableSchemaToJsonSchema } from './tableSchema.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');

/** The core's run (testing/mappedRuns.ts) with the target schema's row check. */
function runCore(
  name: string,
  bytes: Uint8Array,
  mapping: Mapping,
  schema: Record<string, unknown>,
): Promise<Report> {
  const check = prepareMappedSchemaCheck(mapping, schema);
  return runMappedCore(name, bytes, check, mapping.key as string, { type: 'schema', schema: check.schema });
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('CSV mapped to a target JSON Schema, validated by ajv (core)', () => {
  it.each(MAPPED_SCHEMA_CASES)('$description', async ({ csv, mapping, schema, summary, issues }) => {
    const report = await runCore('extract.csv', encode(csv), mapping, schema);
    expect(report.summary).toEqual(summary);
    expect(issueLines(report)).toEqual(issues);
    expect(report.target).toEqual({ type: 'schema', schema: 'target.schema.json' });
    expect(report.mapping).toEqual({ id: mapping.id, version: mapping.version });
  });

  it('a schema that does not compile is refused with JSON Pointers into it, named as the target schema', () => {
    const { mapping } = MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number];
    const cases: { schema: Record<string, unknown>; path: string; code: string }[] = [
      {
        schema: { type: 'object', properties: { a: { type: 'strnig' } } },
        path: '/properties/a/type',
        code: 'invalid-schema',
      },
      {
        schema: { type: 'object', properties: { a: { requierd: true } } },
        path: '/properties/a/requierd',
        code: 'unknown-keyword',
      },
      {
        schema: { type: 'object', properties: { a: { pattern: '(' } } },
        path: '/properties/a/pattern',
        code: 'invalid-regex',
      },
      {
        schema: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } },
        path: '/properties/a/$ref',
        code: 'unresolved-ref',
      },
    ];
    for (const { schema, path: at, code } of cases) {
      let thrown: unknown;
      try {
        prepareMappedSchemaCheck(mapping, schema, { schemaName: 'target.schema.json' });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, at).toBeInstanceOf(TargetSchemaError);
      const error = thrown as TargetSchemaError;
      expect(error.problems.map((p) => [p.path, p.code])).toEqual([[at, code]]);
      expect(error.message).toContain('the target schema "target.schema.json" does not compile');
      expect(error.message).not.toMatch(/\bcontract\b/);
    }
  });

  it('a target schema pattern that backtracks catastrophically is refused, given the checker', async () => {
    const { mapping } = MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number];
    const schema = { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } };
    let thrown: unknown;
    try {
      prepareMappedSchemaCheck(mapping, schema, {
        schemaName: 'target.schema.json',
        regexChecker: await regexCheckerFor(schema),
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TargetSchemaError);
    expect((thrown as TargetSchemaError).problems.map((p) => [p.path, p.code])).toEqual([
      ['/properties/a/pattern', 'unsafe-regex'],
    ]);
  });

  it('a target schema may require, inside if/then, a property defined elsewhere; a column contract is told where strict checking refuses it', () => {
    const schema = {
      type: 'object',
      properties: { sex: {}, birthDate: {} },
      if: { required: ['sex'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's "then" keyword, never awaited
      then: { required: ['pregnancyStatus'] },
    };
    const { mapping } = MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number];
    expect(() => prepareMappedSchemaCheck(mapping, schema)).not.toThrow();
    const contract = compileColumnContract(schema);
    expect(contract.ok).toBe(false);
    if (contract.ok) return;
    expect(contract.problems).toEqual([
      // ajv stops at the first refusal
      {
        path: '/if',
        code: 'does-not-compile',
        message: 'refused by strict checking (strictRequired): required property "sex" is not defined',
      },
    ]);
  });

  it('a mapping that cannot run on the header throws before any row; a FHIR mapping is not for this check', () => {
    const { mapping, schema } = MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number];
    const check = prepareMappedSchemaCheck(
      {
        ...mapping,
        fields: [
          { target: 'id', from: 'mrn', transform: [{ op: 'regexReplace', pattern: '(', replacement: '' }] },
        ],
      },
      schema,
    );
    expect(() => check.rowCheck(['mrn'])).toThrow(MappingCompileError);
    expect(() =>
      prepareMappedSchemaCheck({ ...mapping, target: { type: 'fhir', resourceType: 'Patient' } }, schema),
    ).toThrow(TypeError);
  });

  it('a Frictionless Table Schema target works once converted', async () => {
    const converted = tableSchemaToJsonSchema({
      fields: [
        { name: 'id', type: 'string', constraints: { required: true, pattern: 'M\\d+' } },
        { name: 'born', type: 'date' },
      ],
    });
    if (!converted.ok) throw new Error('the Table Schema should convert');
    const { mapping } = MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number];
    const report = await runCore(
      'extract.csv',
      encode('mrn,dob\nM1,2001-02-03\nX2,2001-02-30\n'),
      {
        ...mapping,
        fields: [
          { target: 'id', from: 'mrn' },
          { target: 'born', from: 'dob' },
        ],
      },
      converted.schema,
    );
    expect(report.summary).toEqual({ records: 2, valid: 1, invalid: 1, errors: 2, warnings: 0 });
    expect(issueLines(report)).toEqual([
      'error target.pattern @ id ×1 | 2 mrn id',
      'error target.format @ born ×1 | 2 dob born',
    ]);
  });

  it('never puts a cell value in a message, and never throws on a row (fast-check)', () => {
    const { mapping, schema } = MAPPED_SCHEMA_CASES[1] as (typeof MAPPED_SCHEMA_CASES)[number];
    const check = prepareMappedSchemaCheck(mapping, schema).rowCheck([
      'mrn',
      'last_name',
      'first',
      'middle',
      'dob',
    ]);
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 0, maxLength: 20 }), { maxLength: 6 }), (cells) => {
        const marked = cells.map((c, i) => (c === '' ? c : `ZQ${i}${c}`));
        for (const issue of check(1, marked)) {
          for (const cell of marked) if (cell.length > 2) expect(issue.message).not.toContain(cell);
          expect(issue.rule.startsWith('target.') || issue.rule.startsWith('mapping.')).toBe(true);
        }
      }),
    );
  });
});

describe('the demo: patients.csv mapped to the new EHR patient record (samples/targets)', () => {
  const csvBytes = new Uint8Array(readFileSync(path.join(SAMPLES, 'legacy/patients.csv')));
  const loaded = loadMapping(
    JSON.parse(readFileSync(path.join(SAMPLES, MAPPED_SCHEMA_DEMO.mapping), 'utf8')),
  );
  const schema = JSON.parse(readFileSync(path.join(SAMPLES, MAPPED_SCHEMA_DEMO.schema), 'utf8'));

  it('gives the counts samples/README.md documents', async () => {
    if (!loaded.ok) throw new Error('the sample mapping should load');
    const report = await runCore('patients.csv', csvBytes, loaded.value, schema);
    expect(report.summary).toEqual(MAPPED_SCHEMA_DEMO.summary);
    // the documented issues, in the report's order
    expect(issueHeads(report)).toEqual(MAPPED_SCHEMA_DEMO.issues);
    // every example is traced to the column its defect is in
    const columnOf: Record<string, string> = {
      phone: 'phone',
      'address.postalCode': 'postal_code',
      allergies: 'allergies',
      email: 'email',
      'name.given': 'middle_name',
      'address.line': 'address_line',
    };
    for (const issue of report.issues.filter((i) => i.rule.startsWith('target.')))
      for (const example of issue.examples) expect(example.column).toBe(columnOf[issue.location]);
    expect(report.issues.find((i) => i.rule === 'mapping.date')?.examples[0]?.row).toBe(1431);
    expect(report.crossFile.duplicateKeys).toHaveLength(12);
  });

  it('the counts follow from the cells', () => {
    const rows = demoRows(new TextDecoder().decode(csvBytes));
    expect(rows).toHaveLength(5000);
    const count = (test: (row: Record<string, string>) => boolean) => rows.filter(test).length;
    const cell = (row: Record<string, string>, column: string) => (row[column] ?? '').trim();
    const phone = (r: Record<string, string>) => cell(r, 'phone');
    expect(count((r) => phone(r) !== '' && !/^\d{3}-\d{3}-\d{4}$/.test(phone(r)))).toBe(45);
    expect(count((r) => cell(r, 'allergies') === '')).toBe(8);
    expect(count((r) => !['', 'm', 'f', 'u'].includes(cell(r, 'sex').toLowerCase()))).toBe(7);
    const zip = (r: Record<string, string>) => cell(r, 'postal_code');
    expect(count((r) => zip(r) !== '' && !/^\d{5}(-\d{4})?$/.test(zip(r)))).toBe(14);
  });

  it('uses ajv keyword rule ids under "target."', () => {
    expect(targetRuleId('pattern')).toBe('target.pattern');
  });
});
