/**
 * A Frictionless Table Schema through `preflight validate` (both engines) and `preflight check`:
 * date and time layouts are checked (`13/45/1990` against `%m/%d/%Y` is an error), and what is
 * not checked is named — in the summary, in the report's `inputs[].notChecked`, and as `check`
 * warnings — never dropped. Fixture: tests/fixtures/table-schema (see its README).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import type { CheckResult } from './check.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const VISITS = 'tests/fixtures/table-schema/visits.csv';
const SCHEMA = 'tests/fixtures/table-schema/visits.schema.json';
const NOT_CHECKED = [
  'the date format of "admitted" is not checked: it uses the directive %j',
  'the foreign key patient_id → patients.patient_id is not checked: no file named "patients" is in this run',
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-tableschema-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight validate with a Table Schema', () => {
  const run = (...args: string[]) => runCli(['validate', VISITS, '--schema', SCHEMA, ...args], ROOT);

  it('fails the dates and times that do not fit their layout', async () => {
    const { code, out } = await run('--json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as Report;
    const byRule = report.issues.map((i) => [i.rule, i.location, i.count, i.examples.map((e) => e.row)]);
    expect(byRule).toEqual([
      ['contract.pattern', 'visit_date', 2, [2, 3]],
      ['contract.pattern', 'visit_time', 1, [3]],
    ]);
    expect(report.inputs[0]?.notChecked).toEqual(NOT_CHECKED);
  });

  it('names the layout and lists what is not checked in the summary', async () => {
    const { out } = await run();
    expect(out).toMatch(/visit_date × 2\b.*: must be written as %m\/%d\/%Y, e\.g\. 01\/31\/2024/);
    expect(out).toContain(`Not checked:\n  ${VISITS}: ${NOT_CHECKED[0]}\n  ${VISITS}: ${NOT_CHECKED[1]}`);
  });
});

describe('Table Schema parts beyond one column', () => {
  it('checks a foreign key into a file of the run, and lists a composite key as not checked', async () => {
    const patients = path.join(dir, 'patients.csv');
    const visits = path.join(dir, 'visits.csv');
    const schema = path.join(dir, 'visits.json');
    await writeFile(patients, 'patient_id,site\nP1,A\nP2,A\n');
    await writeFile(visits, 'visit_id,site,patient_id\nV1,A,P1\nV2,A,P9\n');
    await writeFile(
      schema,
      JSON.stringify({
        fields: [{ name: 'visit_id' }, { name: 'site' }, { name: 'patient_id' }],
        primaryKey: ['visit_id', 'site'],
        foreignKeys: [
          { fields: 'patient_id', reference: { resource: 'patients', fields: 'patient_id' } },
          {
            fields: ['patient_id', 'site'],
            reference: { resource: 'patients', fields: ['patient_id', 'site'] },
          },
        ],
      }),
    );
    const { code, out } = await runCli(
      ['validate', visits, patients, '--schema', `visits=${schema}`, '--json'],
      dir,
    );
    expect(code).toBe(1);
    const report = JSON.parse(out) as Report;
    expect(report.crossFile.orphanReferences.map((o) => [o.column, o.count])).toEqual([['patient_id', 1]]);
    expect(report.inputs[0]?.notChecked).toEqual([
      'the primary key (visit_id, site) is not checked for repeats: only one-column keys are (each of its columns is checked as required)',
      'the foreign key (patient_id, site) is not checked: only one-column foreign keys are',
    ]);
    expect(report.inputs[1]?.notChecked).toBeUndefined();
  });

  it('reads missingValues as empty cells for checks, keys and references', async () => {
    const { code, out } = await runCli(
      [
        'validate',
        'tests/fixtures/table-schema/readings.csv',
        '--schema',
        'tests/fixtures/table-schema/readings.schema.json',
        '--json',
      ],
      ROOT,
    );
    expect(code).toBe(1);
    const report = JSON.parse(out) as Report;
    const issues = report.issues
      .map((i) => [i.rule, i.location, i.count, i.examples.map((e) => e.row)])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    // "NA", "-" and "n/a" fail no type, range or layout; a required reading_id of "NA" is empty
    expect(issues).toEqual([
      ['contract.pattern', 'taken_on', 1, [4]],
      ['contract.required', 'reading_id', 1, [5]],
      ['contract.type', 'systolic', 1, [4]],
    ]);
    // the repeated R6 is a duplicate, "NA" is no key; R9 is an orphan, "NA" and "-" no references
    expect(report.crossFile.duplicateKeys.map((d) => [d.column, d.key, d.rows])).toEqual([
      ['reading_id', 'R6', [6, 7]],
    ]);
    expect(report.crossFile.orphanReferences.map((o) => [o.column, o.count, o.examples[0]?.value])).toEqual([
      ['parent_id', 1, 'R9'],
    ]);
    expect(report.inputs[0]?.notChecked).toBeUndefined();
  });
});

describe('numbers written with decimalChar and groupChar', () => {
  const schema = {
    fields: [
      {
        name: 'amount',
        type: 'number',
        decimalChar: ',',
        groupChar: '.',
        constraints: { minimum: 0, maximum: 10000 },
      },
      { name: 'count', type: 'integer', groupChar: ' ' },
      { name: 'plain', type: 'number' },
      { name: 'rate', type: 'number', decimalChar: ',' },
    ],
  };
  const table: { description: string; row: string; fails: string[] }[] = [
    { description: 'a decimal comma and a group point', row: '"1.234,5",1 000,2.5,1', fails: [] },
    { description: 'a decimal comma alone', row: '"12,75",12,0.5,"0,5"', fails: [] },
    { description: 'a point is the group where the group is a point', row: '1.5,1,1,1', fails: [] },
    {
      description: 'a point where the decimal mark is a comma (and no group is set)',
      row: '1,1,1,1.5',
      fails: ['contract.type rate'],
    },
    {
      description: 'above the maximum once read',
      row: '"12.345,5",1,1,1',
      fails: ['contract.maximum amount'],
    },
    { description: 'below the minimum', row: '"-0,5",1,1,1', fails: ['contract.minimum amount'] },
    {
      description: 'a comma in an integer with a space as group',
      row: '1,"1,5",1,1',
      fails: ['contract.type count'],
    },
    { description: 'a plain column keeps plain numbers', row: '1,1,"2,5",1', fails: ['contract.type plain'] },
  ];
  it.each(table)('$description', async ({ description, row, fails }) => {
    const at = table.findIndex((t) => t.description === description);
    const csv = path.join(dir, `numbers-${at}.csv`);
    const json = path.join(dir, `numbers-${at}.schema.json`);
    await writeFile(csv, `amount,count,plain,rate\n${row}\n`);
    await writeFile(json, JSON.stringify(schema));
    const { out } = await runCli(['validate', csv, '--schema', json, '--json'], dir);
    const js = JSON.parse(out) as Report;
    expect(js.issues.map((i) => `${i.rule} ${i.location}`)).toEqual(fails);
    // applied, so not listed as not checked
    expect(js.inputs[0]?.notChecked).toBeUndefined();
  });
});

describe('preflight check with a Table Schema', () => {
  it.each([
    {
      name: 'the fixture: ok, with what is not checked as a warning',
      schema: null,
      code: 0,
      status: 'ok',
      problems: [],
      warnings: [{ path: '/fields/4/format', code: 'not-checked', message: NOT_CHECKED[0] }],
    },
    {
      name: 'a pattern that is not a regular expression',
      schema: { fields: [{ name: 'a', constraints: { pattern: '(' } }] },
      code: 1,
      status: 'invalid',
      problems: [expect.objectContaining({ path: '/fields/0/constraints/pattern', code: 'invalid-regex' })],
    },
    {
      name: 'a pattern that can backtrack catastrophically: placed on its field',
      schema: { fields: [{ name: 'a' }, { name: 'b', constraints: { pattern: '(a+)+b' } }] },
      code: 1,
      status: 'invalid',
      problems: [expect.objectContaining({ path: '/fields/1', code: 'unsafe-regex' })],
    },
    {
      name: 'missingValues: read, nothing to say',
      schema: { fields: [{ name: 'a', type: 'integer' }], missingValues: ['', 'NA'] },
      code: 0,
      status: 'ok',
      problems: [],
    },
  ])('$name', async ({ schema, code, status, problems, warnings }) => {
    let file = path.join(ROOT, SCHEMA);
    if (schema) {
      file = path.join(dir, 'check.json');
      await writeFile(file, JSON.stringify(schema));
    }
    const result = await runCli(['check', '--json', file], dir);
    expect(result.code).toBe(code);
    const [checked] = (JSON.parse(result.out) as CheckResult).files;
    expect(checked).toMatchObject({ tableSchema: true, status, problems });
    expect(checked?.warnings).toEqual(warnings);
  });
});
