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
import { compileColumnContract, compilePlan } from '../contract/index.ts';
import { tableSchemaToJsonSchema } from '../mapping/index.ts';
import { buildReport } from './buildReport.ts';
import { createMemoryKeySpill } from './keySpill.ts';
import { type KeySpec, readRecordAt, WHOLE_ROW } from './validateCsv.ts';
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

async function runCore(c: FixtureCase, spill = false) {
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
    // the mapping engine's Table Schema conversion, as the CLI uses it
    const converted = tableSchemaToJsonSchema(tableSchema);
    if (!converted.ok) throw new Error('fixture Table Schema does not convert');
    const compiled = compileColumnContract(converted.schema);
    if (!compiled.ok) throw new Error('fixture schema does not compile');
    job.plan = compilePlan(converted.schema);
    job.fullValidator = compiled.validate;
    const keyColumns = new Set([...converted.unique, ...converted.primaryKey]);
    keys.push(...[...keyColumns].map((column) => ({ column })));
    // foreign keys into this same table ("resource": "")
    for (const fk of converted.foreignKeys) {
      if (fk.reference.resource === '')
        links.push({
          input: 'input.csv',
          column: fk.fields[0] as string,
          target: 'input.csv',
          targetColumn: fk.reference.fields[0] as string,
        });
    }
  }
  job.keys = keys;
  if (c.records) {
    // every row fails a contract requiring a column no file has: each row's offset comes back
    job.plan = compilePlan({ type: 'object', required: ['\u0000none'] });
  }
  // spill: the key sets go to a key spill, as they do above the size threshold
  const results = await validateInputs([job], links, spill ? { keySpill: createMemoryKeySpill() } : {});
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
      // a byte not in the encoding: the run's result for the file is one fatal problem on it
      const { report } = await runCore(c);
      expect(report.summary).toMatchObject({ records: 0, errors: 1 });
      expect(report.issues.map((i) => [i.rule, i.severity])).toEqual([['csv.not-in-encoding', 'fatal']]);
      return;
    }
    if (c.expectEmptyFile) {
      const { report } = await runCore(c);
      expect(report.summary).toMatchObject({ records: 0, errors: 0, warnings: 1 });
      expect(report.issues.map((i) => [i.rule, i.severity])).toEqual([['csv.empty-file', 'warning']]);
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
    it('gives the same report with its key sets spilled (a large file)', async () => {
      const inMemory = await runCore(c);
      const spilled = await runCore(c, true);
      expect(spilled.report.summary).toEqual(inMemory.report.summary);
      expect(spilled.report.issues).toEqual(inMemory.report.issues);
      expect(spilled.report.crossFile).toEqual(inMemory.report.crossFile);
    });
  }
});
