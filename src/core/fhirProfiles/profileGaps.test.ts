/**
 * What profiles say that the checker once let pass without a word: a minimum or maximum value
 * (`minValue[x]`, `maxValue[x]`, in another UCUM unit, a Duration from today) on HL7's validator
 * test cases `obs-value-min*` and `toplevel-*valueduration*` with the Java validator's outcomes, and a fixed value of a complex type matched exactly (an extra element
 * breaks it).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import {
  conversionThrough,
  createFhirSession,
  type FhirIssue,
  generatedModules,
  loadUnitChecker,
} from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { compareToBound, compareToDuration } from './checker/checks/range.ts';
import { loadProfileRegistry } from './registry.ts';
import { testPackage } from './testing/patientBinding.ts';
import type { StructureDefinition } from './types.ts';

const hl7 = (name: string) =>
  JSON.parse(readFileSync(externalFixture('fhir-test-cases', 'validator', name), 'utf8')) as Record<
    string,
    unknown
  >;

async function validate(sds: StructureDefinition[], resource: unknown): Promise<FhirIssue[]> {
  const registry = await loadProfileRegistry([testPackage('test.gaps', { structureDefinitions: sds })]);
  const session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(
      registry,
      sds.map((sd) => sd.url),
    ),
  });
  return (await session.validate(resource)).issues;
}

const errors = (issues: FhirIssue[]) =>
  issues
    .filter((i) => i.severity === 'error')
    .map((i) => ({ rule: i.rule, location: i.location, message: i.message }));

describe('minValue[x] and maxValue[x] (HL7 obs-value-min cases)', () => {
  const profile = hl7('obs-value-min-profile.json') as unknown as StructureDefinition;
  for (const name of ['obs-value-min', 'obs-value-min-g', 'obs-value-max-g']) {
    it(`${name}: an error at the value, as the Java validator says`, async () => {
      const java = hl7(`outcomes/java/R4.${name}-profile.json`) as {
        issue: { severity: string; expression: string[] }[];
      };
      expect(java.issue.map((i) => [i.severity, i.expression[0]])).toEqual([
        ['error', 'Observation.value.ofType(Quantity)'],
      ]);
      const found = errors(await validate([profile], hl7(`${name}.json`)));
      expect(found).toEqual([
        {
          rule: 'fhir-profile-value',
          location: 'Observation.valueQuantity',
          message: expect.stringMatching(/must be at (least|most) \d+ kg/),
        },
      ]);
    });
  }
  it('passes a value within the bounds (0 kg to 0 kg), also in another UCUM unit, and accuses none it cannot convert', async () => {
    const quantity = (value: number, code: string, system = 'http://unitsofmeasure.org') => ({
      ...hl7('obs-value-min.json'),
      valueQuantity: { value, unit: code, system, code },
    });
    expect(errors(await validate([profile], quantity(0, 'kg')))).toEqual([]);
    expect(errors(await validate([profile], quantity(0, 'g')))).toEqual([]);
    for (const unconvertible of [quantity(5, '[mi_i]'), quantity(5, 'kg', 'http://clinic.test/units')]) {
      const issues = await validate([profile], unconvertible);
      expect(errors(issues)).toEqual([]);
      expect(issues.filter((i) => i.rule === 'fhir-profile-not-checked').map((i) => i.location)).toEqual([
        'Observation.valueQuantity',
      ]);
    }
  });
  it('compares numbers, same-precision dates, date-times across zones and same-unit quantities', () => {
    expect(compareToBound(3, 5)).toBeLessThan(0);
    expect(compareToBound('2024-05-02', '2024-05-01')).toBeGreaterThan(0);
    expect(compareToBound('2024-05', '2024-05-01')).toBeUndefined();
    expect(compareToBound('2024-05-01T10:00:00+02:00', '2024-05-01T09:00:00Z')).toBeLessThan(0);
    expect(
      compareToBound({ value: 1, system: 'u', code: 'g' }, { value: 0, system: 'u', code: 'kg' }),
    ).toBeUndefined();
  });
  it('converts UCUM quantities to the bound’s unit, equal within the conversion’s rounding', async () => {
    const ucum = (value: number, code: string) => ({ value, system: 'http://unitsofmeasure.org', code });
    const units = await loadUnitChecker();
    const convert = conversionThrough(() => units);
    expect(compareToBound(ucum(11000, 'g'), ucum(10, 'kg'), convert)).toBeGreaterThan(0);
    expect(compareToBound(ucum(-1, 'g'), ucum(0, 'kg'), convert)).toBeLessThan(0);
    expect(compareToBound(ucum(50, 'Cel'), ucum(122, '[degF]'), convert)).toBe(0);
    expect(compareToBound(ucum(1, '[mi_i]'), ucum(0, 'kg'), convert)).toBeUndefined();
    expect(compareToBound(ucum(11000, 'g'), ucum(10, 'kg'))).toBeUndefined();
  });
});

describe('a Duration bound on a date, relative to today (HL7 toplevel-*valueduration cases)', () => {
  const NOW = Date.UTC(2026, 5, 15);
  const years = (value: number) => ({ value, system: 'http://unitsofmeasure.org', code: 'a' });

  for (const [name, java] of [
    ['toplevel-minvalueduration-fail', 1],
    ['toplevel-minvalueduration-pass', 0],
    ['toplevel-maxvalueduration-fail', 1],
    ['toplevel-maxvalueduration-pass', 0],
  ] as const)
    it(`${name}: ${java} error, as the Java validator says`, async () => {
      const profile = hl7(
        `${name.replace(/-(fail|pass)$/, '')}-profile.json`,
      ) as unknown as StructureDefinition;
      const found = errors(await validate([profile], hl7(`${name}.json`)));
      expect(found.map((f) => `${f.rule} at ${f.location}`)).toEqual(
        java ? ['fhir-profile-value at Patient.birthDate'] : [],
      );
    });

  it('holds a date no further back than a minimum and no further ahead than a maximum', () => {
    expect(compareToDuration('1850-01-01', years(100), 'min', NOW)).toBeLessThan(0);
    expect(compareToDuration('1950-01-01', years(100), 'min', NOW)).toBe(0);
    expect(compareToDuration('2100-01-01', years(10), 'max', NOW)).toBeGreaterThan(0);
    expect(compareToDuration('2030', years(10), 'max', NOW)).toBe(0);
    expect(
      compareToDuration('2030', { value: 10, system: 'http://clinic.test', code: 'a' }, 'max', NOW),
    ).toBeUndefined();
  });

  it('accuses a partial date only when all of it lies past the bound', () => {
    // the year 1926 reaches into mid-June 1926, exactly 100 years before NOW: not accused
    expect(compareToDuration('1926', years(100), 'min', NOW)).toBe(0);
    expect(compareToDuration('1925', years(100), 'min', NOW)).toBeLessThan(0);
    fc.assert(
      fc.property(fc.integer({ min: 1800, max: 2200 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const day = `${year}-${String(month).padStart(2, '0')}-01`;
        const monthText = day.slice(0, 7);
        // a date within a month is accused only when its month is
        if (compareToDuration(monthText, years(50), 'min', NOW) !== 0)
          expect(compareToDuration(day, years(50), 'min', NOW)).not.toBe(0);
        if (compareToDuration(monthText, years(50), 'max', NOW) !== 0)
          expect(compareToDuration(day, years(50), 'max', NOW)).not.toBe(0);
      }),
    );
  });
});

describe('a fixed value of a complex type', () => {
  const fixedCode: StructureDefinition = {
    resourceType: 'StructureDefinition',
    url: 'http://example.org/fhir/StructureDefinition/fixed-code-observation',
    id: 'fixed-code-observation',
    name: 'FixedCodeObservation',
    type: 'Observation',
    kind: 'resource',
    derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Observation',
    differential: {
      element: [
        {
          id: 'Observation.code',
          path: 'Observation.code',
          fixedCodeableConcept: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] },
        },
      ],
    },
  } as StructureDefinition;
  const observation = (code: Record<string, unknown>) => ({
    resourceType: 'Observation',
    status: 'final',
    code,
  });

  it('passes the exact value', async () => {
    expect(
      errors(
        await validate(
          [fixedCode],
          observation({ coding: [{ system: 'http://loinc.org', code: '2160-0' }] }),
        ),
      ),
    ).toEqual([]);
  });

  it('fails a value with an extra element (a fixed value is matched exactly, not as a pattern)', async () => {
    const found = errors(
      await validate(
        [fixedCode],
        observation({ coding: [{ system: 'http://loinc.org', code: '2160-0', display: 'Creatinine' }] }),
      ),
    );
    expect(found.map((f) => [f.rule, f.location])).toEqual([['fhir-profile-value', 'Observation.code']]);
  });
});
