/**
 * The external CSV suites (csv-spectrum, frictionless-py, csvlint) through the core engine, as a
 * table (tests/migration/fixtureSuites.ts); the CLI runs the same table (validateFixtures.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  asObjects,
  caseBytes,
  caseTableSchema,
  FIXTURE_CASES,
  type FixtureCase,
  findings,
} from '../../../tests/migration/fixtureSuites.ts';
import { memorySource } from '../../../tests/migration/sources.ts';
import { buildReport } from './buildReport.ts';
import { compileColumnContract } from './columnContract.ts';
import { compilePlan } from './plan/compilePlan.ts';
import { createParallelRunner } from './splitMerge.ts';
import { tableSchemaToContract } from './tableSchema.ts';
import { TextDecodeError } from './textDecoding.ts';
import { EmptyInputError, type KeySpec, readRecordAt, validateCsv, WHOLE_ROW } from './validateCsv.ts';
import { detectLayout, type InputJob, type ReferenceLink, validateInputs } from './validateInputs.ts';

const REPORT_OPTIONS = {
  generatedAt: '2024-01-01T00:00:00Z',
  startedAt: '2024-01-01T00:00:00Z',
  totalMs: 0,
  toolVersion: '0',
};

function sortFindings(list: readonly [number | null, number | null, string][]) {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function runCore(c: FixtureCase, split = false) {
  const bytes = caseBytes(c);
  const source = memorySource('input.csv', bytes);
  const layout = await detectLayout(source, {
    ...(c.encoding ? { encoding: c.encoding } : {}),
    ...(c.header === false ? { header: false } : {}),
  });
  const { detected: _, ...plain } = layout;
  const job: InputJob = { source, layout: plain };
  const keys: KeySpec[] = c.duplicateRows ? [{ column: WHOLE_ROW }] : [];
  const links: ReferenceLink[] = [];
  const tableSchema = caseTableSchema(c);
  if (tableSchema) {
    const converted = tableSchemaToContract(tableSchema);
    const compiled = compileColumnContract(converted.contract);
    if (!compiled.ok) throw new Error('fixture schema does not compile');
    job.plan = compilePlan(converted.contract);
    job.fullValidator = compiled.validate;
    keys.push(...converted.keys.map((column) => ({ column })));
    // foreign keys into this same table ("resource": "")
    for (const fk of converted.foreignKeys) {
      if (fk.resource === '')
        links.push({
          input: 'input.csv',
          column: fk.column,
          target: 'input.csv',
          targetColumn: fk.targetColumn,
        });
    }
  }
  job.keys = keys;
  if (c.records) {
    // every row fails a contract requiring a column no file has: each row's offset comes back
    job.plan = compilePlan({ type: 'object', required: ['\u0000none'] });
  }
  // split: three byte ranges validated apart and merged, as the worker pool runs a file
  const run = split
    ? createParallelRunner(3, (_, options) => validateCsv(memorySource('input.csv', bytes), options), 0)
    : undefined;
  const results = await validateInputs([job], links, run ? { run } : {});
  const result = results[0];
  if (!result) throw new Error('no result');
  const rows: string[][] = [];
  for (let i = 0; i < result.failingRows.count; i++) {
    rows.push((await readRecordAt(source, plain, result.failingRows.offsets[i] as number)) ?? []);
  }
  return {
    report: buildReport(results, REPORT_OPTIONS),
    header: result.header,
    rows,
    text: new TextDecoder().decode(bytes),
  };
}

describe.each(FIXTURE_CASES.map((c) => [`${c.suite}: ${c.name}`, c] as const))('%s (core)', (_, c) => {
  const test = c.skip ? it.skip : it;
  test(c.skip ? `skipped: ${c.skip}` : 'gives the expected result', async () => {
    if (c.expectError) {
      const error = await runCore(c).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(c.expectError === 'source-error' ? EmptyInputError : TextDecodeError);
      return;
    }
    const { report, header, rows, text } = await runCore(c);
    if (c.records) {
      expect(asObjects(header, rows)).toEqual(c.records);
      expect(report.issues.filter((i) => !i.rule.startsWith('contract.'))).toEqual([]);
      return;
    }
    const found = findings(c, report, text, header);
    // the suites list findings in their own order; compare as sorted lists
    if (c.expect) expect(sortFindings(found)).toEqual(sortFindings(c.expect));
    if (c.expectType) {
      const rows = found.filter(([, , type]) => type === c.expectType).map(([row]) => row);
      // a file-level finding (row null in csvlint) is reported at the first row it concerns
      if (c.expectRow === null || c.expectRow === undefined) expect(rows.length).toBeGreaterThan(0);
      else expect(rows).toContain(c.expectRow);
    }
  });

  if (!c.skip && !c.expectError) {
    it('gives the same report when split into byte ranges and merged (the worker path)', async () => {
      const whole = await runCore(c);
      const split = await runCore(c, true);
      expect(split.report.summary).toEqual(whole.report.summary);
      expect(split.report.issues).toEqual(whole.report.issues);
      expect(split.report.crossFile).toEqual(whole.report.crossFile);
    });
  }
});
