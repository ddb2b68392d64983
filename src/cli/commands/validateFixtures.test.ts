/**
 * The external CSV suites (csv-spectrum, frictionless-py, csvlint) through `preflight validate`,
 * from the same table as the core test (tests/migration/fixtureSuites.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseBytes,
  FIXTURE_CASES,
  type FixtureCase,
  findings,
} from '../../../tests/migration/fixtureSuites.ts';
import type { Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-fixtures-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sortFindings(list: readonly [number | null, number | null, string][]) {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function runCase(c: FixtureCase, index: number) {
  let file = c.file;
  if (file.startsWith('inline:')) {
    file = path.join(dir, `case${index}.csv`);
    await writeFile(file, caseBytes(c));
  }
  const args = ['validate', file, '--json'];
  if (c.encoding) args.push('--encoding', c.encoding);
  if (c.header === false) args.push('--no-header');
  if (c.duplicateRows) args.push('--key', '*');
  if (c.tableSchema !== undefined) {
    let schema = c.tableSchema;
    if (typeof schema !== 'string') {
      schema = path.join(dir, `schema${index}.json`);
      await writeFile(schema, JSON.stringify(c.tableSchema));
    }
    args.push('--schema', schema);
  }
  return runCli(args, dir);
}

describe.each(FIXTURE_CASES.map((c, i) => [`${c.suite}: ${c.name}`, c, i] as const))(
  '%s (CLI)',
  (_, c, index) => {
    const test = c.skip ? it.skip : it;
    test(c.skip ? `skipped: ${c.skip}` : 'gives the expected result', async () => {
      const { code, out, err } = await runCase(c, index);
      const report = JSON.parse(out) as Report;
      if (c.expectError) {
        // a byte not in the encoding: one fatal problem on the file, placed by line and byte
        expect(code, err).toBe(1);
        expect(report.issues.map((i) => [i.rule, i.severity])).toEqual([['csv.not-in-encoding', 'fatal']]);
        expect(report.issues[0]?.message).toMatch(/the byte at line [\d,]+, byte [\d,]+ cannot be read/);
        return;
      }
      if (c.expectEmptyFile) {
        expect(code, err).toBe(0);
        expect(report.issues.map((i) => [i.rule, i.severity])).toEqual([['csv.empty-file', 'warning']]);
        return;
      }
      const header = report.profiles.map((p) => p.column);
      if (c.records) {
        expect(code).toBe(0);
        expect(report.summary.records).toBe(c.records.length);
        expect(header).toEqual(Object.keys(c.records[0] ?? {}));
        return;
      }
      const found = findings(c, report, new TextDecoder().decode(caseBytes(c)), header);
      if (c.expect) {
        expect(sortFindings(found)).toEqual(sortFindings(c.expect));
        expect(code).toBe(c.expect.length === 0 ? 0 : 1);
      }
      if (c.expectType) {
        const rows = found.filter(([, , type]) => type === c.expectType).map(([row]) => row);
        if (c.expectRow === null || c.expectRow === undefined) expect(rows.length).toBeGreaterThan(0);
        else expect(rows).toContain(c.expectRow);
      }
    });
  },
);
