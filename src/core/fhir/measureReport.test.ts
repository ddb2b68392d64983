/**
 * MeasureReports against their Measures (measureReport.ts): HL7's validator test cases
 * (FHIR/fhir-test-cases, measure module) where the Java validator errors, a table of reports that
 * line up or not, and the report whose Measure is not at hand, said not checked.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { generatedModules } from './generatedModules.ts';
import { IssueSink } from './issues.ts';
import { checkMeasureReport } from './measureReport.ts';
import { FHIR_LAYERS } from './rules.ts';
import { createFhirSession } from './validator.ts';

type Json = Record<string, unknown>;
const hl7Case = (file: string) =>
  JSON.parse(readFileSync(externalFixture('fhir-test-cases', 'validator', file), 'utf8')) as Json;

const findings = (report: Json, measure: Json) => {
  const sink = new IssueSink(new Set(FHIR_LAYERS));
  checkMeasureReport(report, measure, 'MeasureReport', sink);
  return sink.issues.map((i) => `${i.rule} @ ${i.location}`);
};

const code = (c: string) => ({ coding: [{ system: 'http://measures.test/codes', code: c }] });
const population = (c: string) => ({
  code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: c }] },
});
const scoring = (c: string) => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-scoring', code: c }],
});
const measure = (changes: Json = {}): Json => ({
  resourceType: 'Measure',
  url: 'http://measures.test/Measure/m',
  status: 'active',
  scoring: scoring('proportion'),
  group: [
    {
      code: code('g1'),
      population: [population('numerator'), population('denominator')],
      stratifier: [{ code: code('age') }],
    },
    { code: code('g2'), population: [population('numerator'), population('denominator')] },
  ],
  ...changes,
});
const group = (c: string, changes: Json = {}) => ({
  code: code(c),
  population: [
    { ...population('numerator'), count: 3 },
    { ...population('denominator'), count: 4 },
  ],
  measureScore: { value: 0.75 },
  ...(c === 'g1' ? { stratifier: [{ code: [code('age')] }] } : {}),
  ...changes,
});
const report = (changes: Json = {}): Json => ({
  resourceType: 'MeasureReport',
  status: 'complete',
  type: 'summary',
  measure: 'http://measures.test/Measure/m',
  period: { start: '2026-01-01', end: '2026-03-31' },
  group: [group('g1'), group('g2')],
  ...changes,
});

describe('a MeasureReport against its Measure', () => {
  it("HL7's mr-covid-mr1: a cohort measure has no score", () => {
    expect(findings(hl7Case('mr-covid-mr1.json'), hl7Case('mr-covid-m5.json'))).toEqual([
      'fhir-measure-report @ MeasureReport.group[0].measureScore',
    ]);
  });

  it("HL7's measure-report-ihe: stratifiers without the Measure's codes, and the Measure's not reported", () => {
    expect(findings(hl7Case('measure-report-ihe.json'), hl7Case('measure-ihe.json'))).toEqual([
      'fhir-measure-report @ MeasureReport.group[0].stratifier[0]',
      'fhir-measure-report @ MeasureReport.group[0].stratifier[1]',
      'fhir-measure-report @ MeasureReport.group[0]',
      'fhir-measure-report @ MeasureReport.group[0]',
    ]);
  });

  it.each([
    { description: 'every group, population and stratifier, each once', report: report(), expected: [] },
    {
      description: 'a group the Measure does not have, and one of its groups missing',
      report: report({ group: [group('g1'), group('g3')] }),
      expected: ['fhir-measure-report @ MeasureReport.group[1]', 'fhir-measure-report @ MeasureReport'],
    },
    {
      description: 'a group without a code among several',
      report: report({ group: [group('g1'), { ...group('g2'), code: undefined }] }),
      expected: ['fhir-measure-report @ MeasureReport.group[1]', 'fhir-measure-report @ MeasureReport'],
    },
    {
      description: 'a group given twice',
      report: report({ group: [group('g1'), group('g2'), group('g2')] }),
      expected: ['fhir-measure-report @ MeasureReport.group[2]'],
    },
    {
      description: 'a data collection may leave groups out, and has no score',
      report: report({ type: 'data-collection', group: [group('g2', { measureScore: undefined })] }),
      expected: [],
    },
    {
      description: 'a data collection with a score',
      report: report({ type: 'data-collection', group: [group('g2')] }),
      expected: ['fhir-measure-report @ MeasureReport.group[0].measureScore'],
    },
    {
      description: 'a population missing, another not of the Measure',
      report: report({
        group: [
          group('g1'),
          group('g2', {
            population: [{ ...population('numerator') }, { ...population('numerator-exclusion') }],
          }),
        ],
      }),
      expected: [
        'fhir-measure-report @ MeasureReport.group[1].population[1]',
        'fhir-measure-report @ MeasureReport.group[1]',
      ],
    },
    {
      description: 'a proportion above 1',
      report: report({ group: [group('g1'), group('g2', { measureScore: { value: 1.5 } })] }),
      expected: ['fhir-measure-report @ MeasureReport.group[1].measureScore.value'],
    },
    {
      description: 'a complete proportion report without a score; a pending one may wait for it',
      report: report({ group: [group('g1', { measureScore: undefined }), group('g2')] }),
      expected: ['fhir-measure-report @ MeasureReport.group[0]'],
    },
    {
      description: 'a pending report without scores',
      report: report({
        status: 'pending',
        group: [group('g1', { measureScore: undefined }), group('g2', { measureScore: undefined })],
      }),
      expected: [],
    },
    {
      description: "a stratifier of the Measure's group not reported",
      report: report({ group: [group('g1', { stratifier: undefined }), group('g2')] }),
      expected: ['fhir-measure-report @ MeasureReport.group[0]'],
    },
  ])('$description', ({ report, expected }) => {
    expect(findings(report, measure())).toEqual(expected);
  });

  it('one group each: the group may go without a code, but not with another code', () => {
    const single = measure({ group: [measure().group && (measure().group as Json[])[1]] });
    expect(findings(report({ group: [group('g2', { code: undefined })] }), single)).toEqual([]);
    expect(findings(report({ group: [group('g9')] }), single)).toEqual([
      'fhir-measure-report @ MeasureReport.group[0]',
    ]);
  });

  // any Measure, and a report that gives each of its groups, populations and stratifiers once, in
  // any order: nothing to say; leave one population out and exactly that is said, on its group
  it('a report mirroring its Measure in any order passes; one population left out is one finding', () => {
    const codes = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 4 });
    const measureArb = fc.record({
      groups: fc.uniqueArray(fc.constantFrom('g1', 'g2', 'g3'), { minLength: 1, maxLength: 3 }),
      populations: codes,
      stratifiers: fc.uniqueArray(fc.constantFrom('s1', 's2'), { maxLength: 2 }),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(measureArb, fc.nat(), ({ groups, populations, stratifiers, seed }, drop) => {
        const rotate = <T>(list: T[]) => list.map((_, i) => list[(i + seed) % list.length] as T);
        const defined = measure({
          scoring: scoring('cohort'),
          group: groups.map((g) => ({
            code: code(g),
            population: populations.map((p) => population(p)),
            stratifier: stratifiers.map((st) => ({ code: code(st) })),
          })),
        });
        const reported = (without?: { group: number; population: string }) =>
          report({
            group: rotate(groups).map((g) => ({
              code: code(g),
              population: rotate(populations)
                .filter((p) => !(without && g === rotate(groups)[without.group] && p === without.population))
                .map((p) => ({ ...population(p), count: 1 })),
              stratifier: rotate(stratifiers).map((st) => ({ code: [code(st)] })),
            })),
          });
        expect(findings(reported(), defined)).toEqual([]);
        const left = {
          group: drop % groups.length,
          population: populations[drop % populations.length] as string,
        };
        expect(findings(reported(left), defined)).toEqual([
          `fhir-measure-report @ MeasureReport.group[${left.group}]`,
        ]);
      }),
      { seed: 89, numRuns: 200 },
    );
  });

  it('through the validator: a contained Measure is used; a Measure not at hand is said not checked', async () => {
    const session = await createFhirSession(generatedModules);
    const rules = async (r: Json) => (await session.validate(r)).issues.map((i) => `${i.rule} ${i.severity}`);
    const contained = {
      ...report({ measure: '#m', group: [group('g1'), group('g3')] }),
      contained: [{ ...measure(), id: 'm' }],
    };
    expect(await rules(contained)).toContain('fhir-measure-report error');
    expect(await rules(report())).toEqual(['fhir-measure-report-not-checked information']);
    // no file of the run was searched here: the words do not say one was
    const said = (await session.validate(report())).issues.map((i) => i.message).join('\n');
    expect(said).toContain("the run's other files are not searched for it here");
    expect(said).not.toContain('no file of the run');
  });
});
