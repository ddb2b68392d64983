/**
 * `preflight validate <csv> --mapping m.json` with a mapping whose target is a JSON Schema: the
 * table of tests/fixtures/mappedSchemaCases.ts through the CLI (same summary and issues as the
 * core and the worker; exit 1 exactly when a row has an error), the demo's documented counts with
 * the schema found next to the mapping or given with `--schema` by its `$id`, the same reports
 * when `--workers 2` validates the file in a worker (each case; the demo beside a file mapped to
 * FHIR), and every way the target schema cannot
 * be used (exit 2, a message naming the schema file and the JSON Pointer — never a value).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASE_SCHEMA_FILE,
  issueHeads,
  issueLines,
  MAPPED_SCHEMA_CASES,
  MAPPED_SCHEMA_DEMO,
} from '../../../tests/fixtures/mappedSchemaCases.ts';
import type { Report } from '../../formats/report.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';
import {
  expectBothRuns,
  oneAndTwoWorkers,
  readReport,
  threadThenWorker,
  writeSlice,
} from '../testing/mappingRuns.ts';
import { closeValidateWorkers } from '../validateWorkers.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');
const PATIENTS = path.join(SAMPLES, 'legacy/patients.csv');
const DEMO_MAPPING = path.join(SAMPLES, 'targets/patients-to-target-patient.json');
const DEMO_SCHEMA = path.join(SAMPLES, 'targets/target-patient.schema.json');
const CONTRACT = path.join(SAMPLES, 'contracts/patients.contract.json');
/** Rows of the demo validated twice on each path by the --workers test. */
const DEMO_SLICE_ROWS = 1_500;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-validate-target-'));
});
afterAll(async () => {
  await closeValidateWorkers();
  await rm(dir, { recursive: true, force: true });
});

describe('preflight validate --mapping (a mapping to a target JSON Schema)', () => {
  // each case on this thread, then in a worker (the second of two files, the first its header
  // alone): both give the table's summary and issues, the same findings and exit code (the demo's
  // whole report in a worker: the --workers describe below)
  it.each(MAPPED_SCHEMA_CASES)('$description', async ({ csv, mapping, schema, summary, issues }) => {
    await writeFile(path.join(dir, CASE_SCHEMA_FILE), JSON.stringify(schema));
    const run = await threadThenWorker(dir, csv, mapping);
    const [thread, worker] = expectBothRuns(run, { summary, issues, mapping });
    expect(thread.target).toEqual({ type: 'schema', schema: CASE_SCHEMA_FILE });
    // the same findings, messages, traces and bytes
    expect(worker.issues).toEqual(thread.issues);
  });

  // with --workers 2 the demo gets the report of one thread: the --workers describe below
  it('gives the demo its documented counts, the schema found next to the mapping (not in the working folder)', async () => {
    // the demo mapping names "target-patient.schema.json": found in samples/targets
    expect(existsSync(path.join(dir, 'target-patient.schema.json'))).toBe(false);
    const { io, out, err } = captureIo(dir);
    const code = await main(['validate', PATIENTS, '--mapping', DEMO_MAPPING, '--report', 'demo.json'], io);
    expect(err).toEqual([]);
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toContain('5000 records: 4904 valid, 96 invalid; 96 errors, 0 warnings');
    expect(text).toContain('mrn: 12 keys held by 24 records');
    const report = await readReport(dir, 'demo.json');
    expect(issueHeads(report)).toEqual(MAPPED_SCHEMA_DEMO.issues);
    const given = report.issues.find((i) => i.location === 'name.given');
    expect(given?.examples).toEqual([
      { row: 161, column: 'middle_name', path: 'name.given[1]', value: expect.stringMatching(/^=/) },
    ]);
    expect(report.target).toEqual({ type: 'schema', schema: 'target-patient.schema.json' });
    expect(report.mapping).toEqual({ id: 'patients-to-target-patient', version: 1 });
  }, 120_000);

  it('finds the schema by the $id of a --schema file, which is then not a column contract; a contract still checks the columns', async () => {
    const mapping = JSON.parse(await readFile(DEMO_MAPPING, 'utf8'));
    await writeFile(
      path.join(dir, 'by-id.json'),
      JSON.stringify({
        ...mapping,
        target: { type: 'schema', schema: 'urn:preflight:sample:target-patient' },
      }),
    );
    const alone = captureIo(dir);
    expect(
      await main(
        ['validate', PATIENTS, '--mapping', 'by-id.json', '--schema', DEMO_SCHEMA, '--json'],
        alone.io,
      ),
    ).toBe(1);
    const report = JSON.parse(alone.out.join('\n')) as Report;
    expect(report.summary.invalid).toBe(96);
    expect(report.issues.some((i) => i.rule.startsWith('contract.'))).toBe(false);
    expect(report.target).toEqual({ type: 'schema', schema: 'urn:preflight:sample:target-patient' });

    const both = captureIo(dir);
    expect(
      await main(
        [
          'validate',
          PATIENTS,
          '--mapping',
          'by-id.json',
          '--schema',
          DEMO_SCHEMA,
          '--schema',
          CONTRACT,
          '--json',
        ],
        both.io,
      ),
    ).toBe(1);
    const withContract = JSON.parse(both.out.join('\n')) as Report;
    expect(withContract.issues.some((i) => i.rule.startsWith('contract.'))).toBe(true);
    expect(withContract.issues.some((i) => i.rule.startsWith('target.'))).toBe(true);
    // the rows the target flags (96) are all among the 238 the contract flags: counted once each
    expect(withContract.summary.invalid).toBe(238);
    expect(withContract.summary.errors).toBe(454);
  }, 120_000);

  it('--redact drops the values and keeps row, column and record path', async () => {
    const { io } = captureIo(dir);
    expect(
      await main(['validate', PATIENTS, '--mapping', DEMO_MAPPING, '--redact', '--report', 'red.json'], io),
    ).toBe(1);
    const report = await readReport(dir, 'red.json');
    expect(report.redacted).toBe(true);
    const examples = report.issues.flatMap((i) => i.examples);
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.every((e) => e.value === undefined && e.row !== undefined && e.path !== undefined)).toBe(
      true,
    );
    expect(report.issues.find((i) => i.location === 'address.line')?.examples).toEqual([
      { row: 4513, column: 'address_line', path: 'address.line' },
    ]);
  });

  it('takes a Frictionless Table Schema next to the mapping as the target (converted)', async () => {
    await writeFile(path.join(dir, 'extract.csv'), 'mrn,dob\nM1,2001-02-03\nX2,2001-02-30\n');
    await writeFile(
      path.join(dir, 'm.json'),
      JSON.stringify({
        ...caseMapping(),
        fields: [
          { target: 'id', from: 'mrn' },
          { target: 'born', from: 'dob' },
        ],
      }),
    );
    await writeFile(
      path.join(dir, CASE_SCHEMA_FILE),
      JSON.stringify({
        fields: [
          { name: 'id', type: 'string', constraints: { required: true, pattern: 'M\\d+' } },
          { name: 'born', type: 'date' },
        ],
      }),
    );
    const { io, out, err } = captureIo(dir);
    expect(await main(['validate', 'extract.csv', '--mapping', 'm.json', '--json'], io)).toBe(1);
    expect(err).toEqual([]);
    expect(issueLines(JSON.parse(out.join('\n')) as Report)).toEqual([
      'error target.pattern @ id ×1 | 2 mrn id',
      'error target.format @ born ×1 | 2 dob born',
    ]);
  });

  it('exits 0 when every mapped record is valid', async () => {
    await writeFile(path.join(dir, 'clean.csv'), 'mrn,last_name\nM1,Ngata\n');
    await writeFile(path.join(dir, 'm.json'), JSON.stringify(caseMapping()));
    await writeFile(path.join(dir, CASE_SCHEMA_FILE), JSON.stringify(caseSchema()));
    const { io, out } = captureIo(dir);
    expect(await main(['validate', 'clean.csv', '--mapping', 'm.json'], io)).toBe(0);
    expect(out.join('\n')).toContain('1 records: 1 valid, 0 invalid; 0 errors');
  });

  it.each<{ description: string; schema: unknown; file?: string; message: string[] }>([
    {
      description: 'a schema that does not compile (a typo in a type)',
      schema: { type: 'object', properties: { id: { type: 'strnig' } } },
      message: [
        `the target schema "${CASE_SCHEMA_FILE}" of the mapping "m.json" does not compile`,
        '/properties/id/type',
      ],
    },
    {
      description: 'a schema with an unknown keyword',
      schema: { type: 'object', properties: { id: { ZZSECRETpatern: 'x' } } },
      message: ['does not compile', '/properties/id/ZZSECRETpatern', 'not a JSON Schema keyword'],
    },
    {
      description: 'a schema file that is not JSON',
      schema: '{ "type": ',
      message: [`target schema "${CASE_SCHEMA_FILE}"`],
    },
    {
      description: 'no schema next to the mapping and none given',
      schema: undefined,
      message: [
        `maps to the schema "${CASE_SCHEMA_FILE}", which is neither a file next to the mapping`,
        '--schema',
      ],
    },
    {
      description: 'a Table Schema that cannot be converted',
      schema: { fields: [{ name: 'id', type: 'no-such-type' }] },
      message: [`the target Table Schema "${CASE_SCHEMA_FILE}" is not usable`, '/fields/0/type'],
    },
  ])('exits 2 for $description', async ({ schema, message }) => {
    await writeFile(path.join(dir, 'patients.csv'), 'mrn,last_name\nZZSECRET,Ngata\n');
    await writeFile(path.join(dir, 'm.json'), JSON.stringify(caseMapping()));
    await rm(path.join(dir, CASE_SCHEMA_FILE), { force: true });
    if (schema !== undefined)
      await writeFile(
        path.join(dir, CASE_SCHEMA_FILE),
        typeof schema === 'string' ? schema : JSON.stringify(schema),
      );
    const { io, err } = captureIo(dir);
    expect(await main(['validate', 'patients.csv', '--mapping', 'm.json'], io)).toBe(2);
    for (const part of message) expect(err.join('\n')).toContain(part);
    expect(err.join('\n')).not.toContain('ZZSECRET,');
  });
});

describe('preflight validate --mapping --workers 2 (a file mapped to a target schema, validated in a worker)', () => {
  const both = (argv: string[]) => oneAndTwoWorkers(argv, dir);

  it('runs a file mapped to FHIR and one mapped to a target schema in a worker: the report of one thread', async () => {
    await closeValidateWorkers();
    // a slice of the demo, each of its mappings finding something in it
    await writeSlice(PATIENTS, DEMO_SLICE_ROWS, dir, ['a.csv', 'b.csv']);
    const fhirMapping = path.join(SAMPLES, 'mappings/patients-to-fhir-patient.json');
    const run = await both([
      'validate',
      'a.csv',
      'b.csv',
      '--mapping',
      `a.csv=${fhirMapping}`,
      '--mapping',
      `b.csv=${DEMO_MAPPING}`,
    ]);
    expect(run.inWorkers).toBe(1);
    expect(run.errs).toEqual([[], []]);
    expect(run.codes).toEqual([1, 1]);
    expect(run.reports[1]).toEqual(run.reports[0]);
    expect(run.reports[0]?.inputs.map((i) => i.name)).toEqual(['a.csv', 'b.csv']);
    expect(run.reports[0]?.inputs.every((i) => (i.invalid ?? 0) > 0)).toBe(true);
    const rules = (input: string) =>
      run.reports[0]?.issues.filter((i) => i.examples.some((e) => e.input === input)).map((i) => i.rule);
    // each file checked against its own target: FHIR for a.csv, the target schema for b.csv
    expect(rules('a.csv')?.some((r) => r.startsWith('target.'))).toBe(false);
    expect(rules('b.csv')?.some((r) => r.startsWith('target.'))).toBe(true);
    // two targets: the report names none
    expect(run.reports[0]?.target).toBeUndefined();
  }, 180_000);
});

function caseMapping() {
  return (MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number]).mapping;
}
function caseSchema() {
  return (MAPPED_SCHEMA_CASES[0] as (typeof MAPPED_SCHEMA_CASES)[number]).schema;
}
