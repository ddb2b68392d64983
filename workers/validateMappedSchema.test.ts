/**
 * A CSV mapped to a target JSON Schema through the validator worker's API, as the page runs it
 * (workers/validateRun.ts): the table of tests/fixtures/mappedSchemaCases.ts (same summary and
 * issues as the core and the CLI), the demo's documented counts with the failing-row index the drill-down
 * reads, and a target schema that cannot be used coming back as a problem the user can fix.
 */
import { describe, expect, it } from 'vitest';
import type { Mapping } from '../src/formats/mapping.ts';
import {
  CASE_SCHEMA_FILE,
  MAPPED_SCHEMA_CASES,
  MAPPED_SCHEMA_DEMO,
} from '../tests/fixtures/mappedSchemaCases.ts';
import {
  expectCaseReport,
  expectDemoRun,
  expectIssueRowsListed,
  readSampleJson,
  validateCase,
  validateThroughApi,
} from './testing/mappedRuns.ts';

describe('validator worker: CSV mapped to a target JSON Schema', () => {
  it.each(MAPPED_SCHEMA_CASES)('$description', async ({ csv, mapping, schema, summary, issues }) => {
    const outcome = await validateCase(csv, { mapping, targetSchema: { name: CASE_SCHEMA_FILE, schema } });
    expectCaseReport(outcome, { summary, issues, mapping });
    expect(outcome.report.target).toEqual({ type: 'schema', schema: CASE_SCHEMA_FILE });
    // each issue lists its failing rows for the drill-down's filter, first examples first
    expectIssueRowsListed(outcome, outcome.report.issues);
  });

  it('gives the demo its documented counts with the failing rows for the drill-down', async () => {
    const mapping = readSampleJson<Mapping>(MAPPED_SCHEMA_DEMO.mapping);
    const schema = readSampleJson<Record<string, unknown>>(MAPPED_SCHEMA_DEMO.schema);
    await expectDemoRun(
      { mapping, targetSchema: { name: 'New EHR patient import record', schema } },
      {
        ...MAPPED_SCHEMA_DEMO,
        target: { type: 'schema', schema: 'target-patient.schema.json' },
        failingRow: 4513,
      },
    );
  });

  it.each([
    {
      description: 'a schema that does not compile: a problem naming the schema and the places in it',
      targetSchema: {
        name: 'target.schema.json',
        schema: { type: 'object', properties: { id: { type: 'strnig' } } },
      },
      problem: { file: 'target.schema.json', schemaPaths: ['/properties/id/type'] },
      text: 'The target schema "target.schema.json" of the mapping cannot be used to check extract.csv',
    },
    {
      description: 'a schema pattern that backtracks catastrophically: refused, naming its place',
      targetSchema: {
        name: 'target.schema.json',
        schema: { type: 'object', properties: { id: { type: 'string', pattern: '^(a|aa)+$' } } },
      },
      problem: { file: 'target.schema.json', schemaPaths: ['/properties/id/pattern'] },
      text: 'can match the same text in more than one way',
    },
    {
      description: 'no schema sent (not in the project): a problem saying to upload it',
      targetSchema: undefined,
      problem: { file: 'extract.csv' },
      text: `checks its records with the schema "${CASE_SCHEMA_FILE}", which is not in this project`,
    },
  ])('$description', async ({ targetSchema, problem, text }) => {
    const { mapping } = MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number];
    const outcome = await validateThroughApi({
      file: new Blob(['mrn,last_name\nZZSECRET1,Ngata\n']),
      name: 'extract.csv',
      mapping: { mapping, ...(targetSchema ? { targetSchema } : {}) },
    });
    expect(outcome).toMatchObject({ ok: false, problem });
    if (outcome.ok) return;
    expect(outcome.problem.message).toContain(text);
    expect(outcome.problem.message).not.toContain('ZZSECRET');
  });
});
