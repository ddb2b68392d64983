/**
 * A MeasureReport whose Measure is in another file, through the command a clinic runs: HL7's
 * validator case mr-covid-mr1 (a cohort report with a score) given with its Measure's file, as a
 * Bundle holding the Measure, with the Measure in an `--ig` package, and alone (said not checked).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { runCli } from '../cliTestKit.ts';

type Report = { issues: { rule: string; severity: string; location?: string; count: number }[] };

const hl7Case = (file: string) => readFile(externalFixture('fhir-test-cases', 'validator', file), 'utf8');

describe('fhir validate: a MeasureReport against a Measure from elsewhere', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-mr-elsewhere-'));
    const measure = await hl7Case('mr-covid-m5.json');
    await writeFile(path.join(dir, 'measure.json'), measure);
    await writeFile(path.join(dir, 'report.json'), await hl7Case('mr-covid-mr1.json'));
    await writeFile(path.join(dir, 'measure.ndjson'), `${JSON.stringify(JSON.parse(measure))}\n`);
    await writeFile(
      path.join(dir, 'measures-bundle.json'),
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: JSON.parse(measure) }],
      }),
    );
    await writeFile(
      path.join(dir, 'measures.tgz'),
      tgz({
        'package/package.json': JSON.stringify({ name: 'cdc.measures', version: '1.0.0' }),
        'package/Measure-numTotBeds.json': measure,
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const measureRules = async (args: string[]) => {
    // the suite's Measure lives at an example.org address, as HL7's harness allows
    const { out, err } = await runCli(['fhir', 'validate', '--json', '--allow-example-urls', ...args], dir);
    if (!out.trim().startsWith('{')) throw new Error(err);
    return (JSON.parse(out) as Report).issues
      .filter((i) => i.rule.startsWith('fhir-measure-'))
      .map((i) => `${i.rule} ${i.severity} ${i.location}`);
  };
  // the report groups issues by element path, without list indices
  const SCORED = 'fhir-measure-report error MeasureReport.group.measureScore';

  it("checks the report against the Measure's file, or a Bundle holding it, in the same run", async () => {
    expect(await measureRules(['measure.json', 'report.json'])).toEqual([SCORED]);
    expect(await measureRules(['report.json', 'measures-bundle.json'])).toEqual([SCORED]);
  });

  it('checks the report against the Measure of a loaded package', async () => {
    expect(await measureRules(['--ig', 'measures.tgz', 'report.json'])).toEqual([SCORED]);
  });

  it('says the report not checked when its Measure is nowhere in the run', async () => {
    expect(await measureRules(['report.json'])).toEqual([
      'fhir-measure-report-not-checked information MeasureReport.measure',
    ]);
  });

  it('says which files were not searched when the Measure is only in an NDJSON file', async () => {
    const { out } = await runCli(
      ['fhir', 'validate', '--json', '--allow-example-urls', 'report.json', 'measure.ndjson'],
      dir,
    );
    const said = (JSON.parse(out) as { issues: { rule: string; message: string }[] }).issues.filter(
      (i) => i.rule === 'fhir-measure-report-not-checked',
    );
    expect(said).toHaveLength(1);
    expect(said[0]?.message).toContain(
      "not found in the run's JSON files (NDJSON, zipped files and files over 16 MB are not searched for it)",
    );
  });
});
