/**
 * A MeasureReport whose Measure is in a loaded package: the package's Measures are read, the
 * report is checked against the version it names (any version when it names none), and a package
 * loaded for its terminology only lends no Measure.
 */
import { describe, expect, it } from 'vitest';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { asTerminologyPackage, readIgPackage } from './igPackage.ts';
import { loadProfileRegistry } from './registry.ts';

const URL = 'http://measures.test/fhir/Measure/screening';
const scoring = (code: string) => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code }],
});
const population = {
  code: {
    coding: [
      { system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'initial-population' },
    ],
  },
};
const measure = (version: string, kind: string) => ({
  resourceType: 'Measure',
  id: `screening-${version}`,
  url: URL,
  version,
  status: 'active',
  scoring: scoring(kind),
  group: [{ population: [population] }],
});

const guide = tgz({
  'package/package.json': JSON.stringify({
    name: 'measures.test',
    version: '1.0.0',
    fhirVersions: ['4.0.1'],
  }),
  // 1.0 scores as a cohort (no score), 2.0 as a proportion
  'package/Measure-screening-1.json': JSON.stringify(measure('1.0', 'cohort')),
  'package/Measure-screening-2.json': JSON.stringify(measure('2.0', 'proportion')),
});

const report = (named: string) => ({
  resourceType: 'MeasureReport',
  status: 'complete',
  type: 'summary',
  measure: named,
  period: { start: '2026-01-01', end: '2026-03-31' },
  group: [{ population: [{ ...population, count: 12 }], measureScore: { value: 0.5 } }],
});

async function findingsOf(resource: unknown, terminologyOnly = false) {
  const pkg = await readIgPackage(guide);
  const registry = await loadProfileRegistry([terminologyOnly ? asTerminologyPackage(pkg) : pkg]);
  const session = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
  const { issues } = await session.validate(resource);
  return issues.filter((i) => i.rule.startsWith('fhir-measure-')).map((i) => `${i.rule} at ${i.location}`);
}

describe("a MeasureReport against a loaded package's Measure", () => {
  it('reads the package’s Measures', async () => {
    expect((await readIgPackage(guide)).measures?.map((m) => m.version)).toEqual(['1.0', '2.0']);
  });

  it('checks the report against the version it names', async () => {
    expect(await findingsOf(report(`${URL}|1.0`))).toEqual([
      'fhir-measure-report at MeasureReport.group[0].measureScore',
    ]);
    expect(await findingsOf(report(`${URL}|2.0`))).toEqual([]);
  });

  it('a package loaded for its terminology lends no Measure: the report is said not checked', async () => {
    expect(await findingsOf(report(`${URL}|1.0`), true)).toEqual([
      'fhir-measure-report-not-checked at MeasureReport.measure',
    ]);
  });
});
