import { describe, expect, it } from 'vitest';
import type { Report, ReportUsedBy } from '../../../formats/report.ts';
import { loadSamplePlan, type SamplePlan } from '../../../formats/samplePlan.ts';
import { fixtureProject, fixtureReport, fixtureSamplePlan } from '../../../formats/testing/fixtures.ts';
import { drawPlanSample } from './drawPlan.ts';
import { planHash } from './planLock.ts';
import {
  applyRiskStrata,
  type LastStratumResult,
  nextStrataSizes,
  planEvidence,
  resizedStrata,
  resourceTypeOf,
  riskLines,
  riskStrataUnavailable,
  suggestRiskStrata,
} from './riskStrata.ts';
import type { CsvInput } from './sampleCsv.ts';
import { planSampleSizes } from './statistics.ts';

function plan(): SamplePlan {
  const base = fixtureSamplePlan();
  return {
    ...base,
    population: {
      ...base.population,
      strata: [
        { id: 'patients.csv', label: 'patients.csv', size: 5000 },
        { id: 'allergies.csv', label: 'allergies.csv', size: 800 },
        { id: 'visits.csv', label: 'visits.csv', size: 3000 },
      ],
    },
  };
}

const TRIAGE: ReportUsedBy = {
  item: 'allergies',
  workflow: 'triage',
  step: 'read-allergies',
  stepLabel: 'Read allergies',
  lane: 'nurse',
  role: 'Nurse',
  casesPerHour: 40,
};

function evidence(): Report {
  const base = fixtureReport();
  const issue = base.issues[0] as Report['issues'][number];
  return {
    ...base,
    inputs: [
      { ...(base.inputs[0] as Report['inputs'][number]), name: 'data/patients.csv' },
      { ...(base.inputs[0] as Report['inputs'][number]), name: 'data/allergies.csv' },
      { ...(base.inputs[0] as Report['inputs'][number]), name: 'data/visits.csv' },
    ],
    issues: [
      { ...issue, location: 'allergy_code', input: 'data/allergies.csv', usedBy: [TRIAGE] },
      { ...issue, location: 'dob', input: 'data/patients.csv' },
      { ...issue, location: 'visit_date', input: 'data/visits.csv', severity: 'warning' },
    ],
    comparison: {
      previous: { generatedAt: '2026-11-20T09:00:00Z', records: 10, errors: 1, warnings: 0 },
      counts: { fixed: 1, new: 1, stillFailing: 0, worse: 1 },
      entries: [
        {
          rule: 'required',
          location: 'dob',
          input: 'data/patients.csv',
          severity: 'error',
          status: 'worse',
          previous: 1,
          current: 4,
        },
        {
          rule: 'required',
          location: 'mrn',
          input: 'data/patients.csv',
          severity: 'error',
          status: 'new',
          previous: 0,
          current: 2,
        },
        {
          rule: 'required',
          location: 'visit_date',
          input: 'data/visits.csv',
          severity: 'error',
          status: 'fixed',
          previous: 3,
          current: 0,
        },
      ],
    },
  };
}

describe('strata from the evidence', () => {
  it('names worse files and used data, heaviest first, with reasons that name no value', () => {
    const suggested = suggestRiskStrata(plan(), evidence());
    expect(suggested.map((s) => [s.stratumId, s.reasons.map((r) => r.kind), s.casesPerHour])).toEqual([
      ['allergies.csv', ['used-by'], 40],
      ['patients.csv', ['worse'], 0],
    ]);
    expect(suggested[0]?.reasons[0]?.text).toBe('Failing allergy_code: Used by 1 step (Nurse) · 40 cases/h');
    expect(suggested[1]?.reasons[0]?.text).toBe(
      '2 checks new or worse since the rehearsal of 2026-11-20T09:00:00Z: dob, mrn',
    );
  });

  it('finds the file of an issue that names it only in its examples, as a run over several files writes it', () => {
    const base = evidence();
    const report: Report = {
      ...base,
      comparison: undefined,
      issues: base.issues.map(({ input, ...issue }) => ({
        ...issue,
        examples: [{ input, row: 2, column: issue.location }],
      })),
    };
    expect(suggestRiskStrata(plan(), report).map((s) => s.stratumId)).toEqual(['allergies.csv']);
  });

  it("takes a project's latest check of the plan's files, compared with the rehearsal before", () => {
    const before = fixtureReport('r0', '2025-02-01T09:00:00Z');
    const latest = fixtureReport('r1', '2025-03-01T09:30:00Z');
    const worse = { ...latest, issues: latest.issues.map((i) => ({ ...i, count: i.count + 3 })) };
    const project = { ...fixtureProject(), reports: [worse, before] };
    const evidence = planEvidence(project, plan());
    expect(evidence?.id).toBe('r1');
    expect(suggestRiskStrata(plan(), evidence as Report).map((s) => s.reasons[0]?.text)).toEqual([
      '1 check new or worse since the rehearsal of 2025-02-01T09:00:00Z: Patient.birthDate',
    ]);
    expect(planEvidence({ ...project, reports: [] }, plan())).toBeNull();
  });

  it.each([
    { description: 'by file', stratifyBy: 'file', expected: null },
    {
      description: 'by a column',
      stratifyBy: 'site',
      expected:
        'This plan is stratified by "site": the checks count failures per file and column, never which "site" a failing record has, so they cannot say which stratum the failures are in. Stratify the plan by file (or, for FHIR records, by resource type) for strata from the evidence.',
    },
    {
      description: 'by validation outcome',
      stratifyBy: 'validation',
      expected: /already holds every record that failed/,
    },
    { description: 'by FHIR resource type', stratifyBy: 'resourceType', expected: null },
  ])(
    'says why a plan stratified $description can or cannot have strata from the evidence',
    ({ stratifyBy, expected }) => {
      const reason = riskStrataUnavailable({ ...plan(), population: { ...plan().population, stratifyBy } });
      if (expected === null || typeof expected === 'string') expect(reason).toBe(expected);
      else expect(reason).toMatch(expected);
    },
  );

  it('suggests nothing for a plan not stratified by file, or without evidence', () => {
    expect(
      suggestRiskStrata({ ...plan(), population: { ...plan().population, stratifyBy: 'site' } }, evidence()),
    ).toEqual([]);
    expect(suggestRiskStrata(plan(), fixtureReport())).toEqual([]);
  });

  it('sizes an accepted stratum for the stricter rate, names the rule, and still loads', () => {
    const [allergies] = suggestRiskStrata(plan(), evidence());
    const risk = applyRiskStrata(plan(), allergies ? [allergies] : []);
    expect(loadSamplePlan(risk).ok).toBe(true);
    const sizes = planSampleSizes(risk).strata.map((s) => [s.stratumId, s.n]);
    // sized exactly (hypergeometric) for 1 % over 800 records, not 2 %
    expect(sizes).toEqual([
      ['patients.csv', planSampleSizes(plan()).strata[0]?.n],
      ['allergies.csv', 249],
      ['visits.csv', planSampleSizes(plan()).strata[2]?.n],
    ]);
    expect(riskLines(risk)).toContain('allergies.csv: sized for 1 %, judged at 2 %');
    expect(riskLines(risk).at(-1)).toMatch(/^Size rule resample-tighter: .* never topped up\.$/);
  });
});

describe('strata from the evidence for a plan stratified by FHIR resource type', () => {
  function byType(): SamplePlan {
    const base = fixtureSamplePlan();
    return {
      ...base,
      population: {
        ...base.population,
        stratifyBy: 'resourceType',
        strata: [
          { id: 'AllergyIntolerance', label: 'AllergyIntolerance', size: 800 },
          { id: 'Observation', label: 'Observation', size: 3000 },
          { id: 'Patient', label: 'Patient', size: 5000 },
        ],
      },
    };
  }

  /** A check of NDJSON with one failing problem, compared with the rehearsal before it. */
  function fhirEvidence(
    location: string,
    status: 'worse' | 'new' | 'fixed',
    usedBy?: ReportUsedBy[],
  ): Report {
    const base = fixtureReport();
    const issue = base.issues[0] as Report['issues'][number];
    return {
      ...base,
      inputs: [{ name: 'export.ndjson', kind: 'ndjson', records: 8800 }],
      target: { type: 'fhir' },
      issues: [{ ...issue, location, examples: [], ...(usedBy ? { usedBy } : {}) }],
      comparison: {
        previous: { generatedAt: '2026-11-20T09:00:00Z', records: 8800, errors: 1, warnings: 0 },
        counts: { fixed: 0, new: 0, stillFailing: 0, worse: 0 },
        entries: [{ rule: 'required', location, severity: 'error', status, previous: 1, current: 4 }],
      },
    };
  }

  const cases: {
    description: string;
    evidence: Report;
    expected: [string, string[]][];
  }[] = [
    {
      description: 'a worsened element suggests its resource type, naming the element',
      evidence: fhirEvidence('AllergyIntolerance.code', 'worse'),
      expected: [
        [
          'AllergyIntolerance',
          ['1 check new or worse since the rehearsal of 2026-11-20T09:00:00Z: AllergyIntolerance.code'],
        ],
      ],
    },
    {
      description: 'a failing element the dictionary links to steps (used, so critical) suggests its type',
      evidence: fhirEvidence('Patient.birthDate', 'fixed', [TRIAGE]),
      expected: [['Patient', ['Failing Patient.birthDate: Used by 1 step (Nurse) · 40 cases/h']]],
    },
    {
      description: 'a type no evidence touches is not suggested',
      evidence: fhirEvidence('Encounter.status', 'new', [TRIAGE]),
      expected: [],
    },
    {
      description: 'a location with no resource type lies in no stratum',
      evidence: fhirEvidence('', 'new', [TRIAGE]),
      expected: [],
    },
  ];
  it.each(cases)('$description', ({ evidence, expected }) => {
    const suggested = suggestRiskStrata(byType(), evidence);
    expect(suggested.map((s) => [s.stratumId, s.reasons.map((r) => r.text)])).toEqual(expected);
  });

  it.each([
    { location: 'AllergyIntolerance.code.coding.system', expected: 'AllergyIntolerance' },
    { location: 'Patient', expected: 'Patient' },
    { location: 'Bundle.type', expected: 'Bundle' },
    { location: 'Bundle.entry.resource.status', expected: undefined },
    { location: 'Bundle.entry[3].resource', expected: undefined },
    { location: '', expected: undefined },
    { location: 'allergy_code', expected: undefined },
    { location: 'http://example.org/fhir/StructureDefinition/ext', expected: undefined },
  ])('reads the resource type of "$location" as $expected', ({ location, expected }) => {
    expect(resourceTypeOf(location)).toBe(expected);
  });

  it('applies as file strata do: the same plan hash for the same evidence, sized for the stricter rate', () => {
    const evidence = fhirEvidence('AllergyIntolerance.code', 'worse');
    const risk = applyRiskStrata(byType(), suggestRiskStrata(byType(), evidence));
    expect(loadSamplePlan(risk).ok).toBe(true);
    expect(planHash(risk)).toBe(planHash(applyRiskStrata(byType(), suggestRiskStrata(byType(), evidence))));
    expect(riskLines(risk)).toContain('AllergyIntolerance: sized for 1 %, judged at 2 %');
  });

  it("takes a project's latest check of FHIR records, whatever its files are called", () => {
    const csv = { ...fixtureReport('r2', '2025-04-01T09:00:00Z'), target: undefined };
    const fhir = { ...fhirEvidence('Patient.birthDate', 'worse'), id: 'r1' };
    const project = { ...fixtureProject(), reports: [fhir, csv] };
    expect(planEvidence(project, byType())?.id).toBe('r1');
    expect(planEvidence({ ...project, reports: [csv] }, byType())).toBeNull();
  });
});

describe('the next size follows the last result', () => {
  const last = (stratumId: string, reviewed: number, errors: number, pass: boolean): LastStratumResult => ({
    stratumId,
    reviewed,
    errors,
    pass,
  });
  const cases: { description: string; result: LastStratumResult; verdict: string; rate: number }[] = [
    {
      description: 'a failed stratum is sized for half its rate',
      result: last('patients.csv', 149, 1, false),
      verdict: 'failed',
      rate: 0.01,
    },
    // 0/149 → upper bound 1.99 %: within 0.5 % of 2 %
    {
      description: 'a pass whose bound is within 0.5 % of p is borderline',
      result: last('patients.csv', 149, 0, true),
      verdict: 'borderline',
      rate: 0.01,
    },
    {
      description: 'a clear pass keeps its rate',
      result: last('patients.csv', 600, 0, true),
      verdict: 'passed',
      rate: 0.02,
    },
  ];
  for (const { description, result, verdict, rate } of cases)
    it(description, () => {
      const [next] = nextStrataSizes(plan(), [result]);
      expect(next?.verdict).toBe(verdict);
      expect(next?.sizedAtRate).toBeCloseTo(rate, 12);
    });

  it('a superseding plan carries the reason, and a second failure tightens again', () => {
    const strata = resizedStrata(plan(), [last('patients.csv', 149, 2, false)]);
    expect(strata[0]?.sizedAtRate).toBe(0.01);
    expect(strata[0]?.reasons?.[0]?.text).toMatch(
      /^Failed the last sample \(upper bound .* against 2 %\): re-sampled, new seed, sized for 1 % by rule resample-tighter$/,
    );
    const again = resizedStrata({ ...plan(), population: { ...plan().population, strata } }, [
      last('patients.csv', 299, 3, false),
    ]);
    expect(again[0]?.sizedAtRate).toBe(0.005);
    expect(again[0]?.reasons?.filter((r) => r.kind === 'last-result')).toHaveLength(1);
  });
});

describe('reproducible draws', () => {
  function memoryInput(name: string, content: string): CsvInput {
    const bytes = new TextEncoder().encode(content);
    return { name, size: bytes.length, read: async (offset, length) => bytes.slice(offset, offset + length) };
  }
  const rows = (prefix: string, n: number) =>
    ['mrn', ...Array.from({ length: n }, (_, i) => `${prefix}${i}`)].join('\n');

  it('the same risk plan draws the same records, and a new seed draws others', async () => {
    const [allergies] = suggestRiskStrata(plan(), evidence());
    const risk = applyRiskStrata(plan(), allergies ? [allergies] : []);
    const files = () => [memoryInput('allergies.csv', rows('A', 60))];
    const only = { ...risk, population: { ...risk.population, strata: risk.population.strata.slice(1, 2) } };
    const draw = async (p: SamplePlan) =>
      (await drawPlanSample(p, files(), { sizes: { 'allergies.csv': 5 }, keyColumn: 'mrn' })).sample;
    expect(await draw(only)).toEqual(await draw(only));
    expect(planHash(only)).toBe(planHash(structuredClone(only)));
    expect(await draw({ ...only, seed: 'a0' })).not.toEqual(await draw(only));
  });
});
