/**
 * The `unknownExtensions` option: an extension the specification does not define is an error by
 * default (as in the HL7 Java validator, so the 58-case agreement suite is unchanged) and a
 * warning on request (real US Core exports are full of them). Only that rule changes: the other
 * extension checks keep their severity, and a resource whose only issue became a warning is valid.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { loadReport } from '../../formats/report.ts';
import { generatedModules } from './generatedModules.ts';
import { FHIR_LAYERS, type FhirLayer } from './rules.ts';
import { createFhirRun } from './run.ts';
import { createFhirSession, type UnknownExtensionSeverity } from './validator.ts';

const UNKNOWN = { url: 'http://clinic.test/fhir/ext/shoe-size', valueString: 'x' };
const VERSIONED = {
  url: 'http://hl7.org/fhir/StructureDefinition/patient-congregation|4.0.0',
  valueString: 'x',
};

const CASES: {
  description: string;
  option: UnknownExtensionSeverity | undefined;
  extension: unknown[];
  expected: string[];
}[] = [
  {
    description: 'default: an unknown extension is an error',
    option: undefined,
    extension: [UNKNOWN],
    expected: ['error fhir-unknown-extension @ Patient.extension[0]'],
  },
  {
    description: 'explicit error: the same',
    option: 'error',
    extension: [UNKNOWN],
    expected: ['error fhir-unknown-extension @ Patient.extension[0]'],
  },
  {
    description: 'warning: an unknown extension is a warning',
    option: 'warning',
    extension: [UNKNOWN],
    expected: ['warning fhir-unknown-extension @ Patient.extension[0]'],
  },
  {
    description: 'warning: other extension checks keep their severity',
    option: 'warning',
    extension: [VERSIONED, UNKNOWN],
    expected: [
      'error fhir-extension-url @ Patient.extension[0].url',
      'warning fhir-unknown-extension @ Patient.extension[1]',
    ],
  },
];

describe('FhirValidatorOptions.unknownExtensions', () => {
  it.each(CASES)('$description', async ({ option, extension, expected }) => {
    const session = await createFhirSession(generatedModules, option ? { unknownExtensions: option } : {});
    const result = await session.validate({ resourceType: 'Patient', extension });
    expect(result.issues.map((i) => `${i.severity} ${i.rule} @ ${i.location}`)).toEqual(expected);
  });

  it('a resource whose only issue is a lowered unknown extension counts as valid, with one warning', async () => {
    const counts: Record<string, unknown>[] = [];
    for (const option of ['error', 'warning'] as const) {
      const run = createFhirRun(await createFhirSession(generatedModules, { unknownExtensions: option }));
      await run.addJson('p.json', JSON.stringify({ resourceType: 'Patient', extension: [UNKNOWN] }));
      const times = { startedAt: '2024-07-01T00:00:00Z', generatedAt: '2024-07-01T00:00:00Z', totalMs: 0 };
      counts.push(run.report({ ...times, version: 'test' }).summary);
    }
    expect(counts).toEqual([
      { records: 1, valid: 0, invalid: 1, errors: 1, warnings: 0 },
      { records: 1, valid: 1, invalid: 0, errors: 0, warnings: 1 },
    ]);
  });

  it.each([
    { options: {}, target: { type: 'fhir', layers: [...FHIR_LAYERS], unknownExtensions: 'error' } },
    {
      options: { unknownExtensions: 'warning' as const },
      target: { type: 'fhir', layers: [...FHIR_LAYERS], unknownExtensions: 'warning' },
    },
    {
      options: {
        layers: ['json', 'extensions', 'structure'] as FhirLayer[],
        unknownExtensions: 'warning' as const,
      },
      target: { type: 'fhir', layers: ['json', 'structure', 'extensions'], unknownExtensions: 'warning' },
    },
  ])(
    'the report records the options of the run: $target.layers, $target.unknownExtensions',
    async ({ options, target }) => {
      const run = createFhirRun(await createFhirSession(generatedModules, options));
      await run.addJson('p.json', JSON.stringify({ resourceType: 'Patient', extension: [UNKNOWN] }));
      const times = { startedAt: '2024-07-01T00:00:00Z', generatedAt: '2024-07-01T00:00:00Z', totalMs: 0 };
      const report = run.report({ ...times, version: 'test' });
      expect(report.target).toEqual(target);
      // still a valid preflight.report/v1
      expect(loadReport(report).ok).toBe(true);
    },
  );
});

describe("FhirValidatorOptions.allowExampleUrls (the Java validator's -allow-example-urls)", () => {
  const EXAMPLE = { url: 'http://example.org/fhir/StructureDefinition/shoe-size', valueString: 'x' };
  it.each([
    {
      description: 'default: an extension at example.org is unknown, as the Java validator says',
      allow: undefined,
      expected: [
        'error fhir-unknown-modifier-extension @ Patient.modifierExtension[0]',
        'error fhir-unknown-extension @ Patient.extension[0]',
      ],
    },
    { description: 'allowed: both pass unjudged', allow: true, expected: [] },
  ])('$description', async ({ allow, expected }) => {
    const session = await createFhirSession(
      generatedModules,
      allow === undefined ? {} : { allowExampleUrls: allow },
    );
    const result = await session.validate({
      resourceType: 'Patient',
      modifierExtension: [EXAMPLE],
      extension: [EXAMPLE],
    });
    expect(result.issues.map((i) => `${i.severity} ${i.rule} @ ${i.location}`)).toEqual(expected);
  });

  it('the report records that example URLs were allowed, and only then', async () => {
    const targets: unknown[] = [];
    for (const options of [{}, { allowExampleUrls: true }]) {
      const run = createFhirRun(await createFhirSession(generatedModules, options));
      await run.addJson('p.json', JSON.stringify({ resourceType: 'Patient' }));
      const times = { startedAt: '2024-07-01T00:00:00Z', generatedAt: '2024-07-01T00:00:00Z', totalMs: 0 };
      const report = run.report({ ...times, version: 'test' });
      expect(loadReport(report).ok).toBe(true);
      targets.push((report.target as { allowExampleUrls?: boolean }).allowExampleUrls);
    }
    expect(targets).toEqual([undefined, true]);
  });
});

describe('HL7 validator case pat-example-extensions (example URLs not allowed)', () => {
  it('an extension at example.org is an error where the Java validator has one', async () => {
    const read = (...path: string[]) =>
      JSON.parse(readFileSync(externalFixture('fhir-test-cases', 'validator', ...path), 'utf8')) as {
        issue?: { severity: string; expression: string[] }[];
      };
    const java = read('outcomes', 'java', 'R4.pat-example-extensions-base.json');
    expect(java.issue?.filter((i) => i.severity === 'error').map((i) => i.expression[0])).toEqual([
      'Patient.birthDate.extension[0]',
      'Patient.birthDate.extension[0].url',
    ]);
    const session = await createFhirSession(generatedModules);
    const { issues } = await session.validate(read('pat-example-ext.json'));
    expect(issues.filter((i) => i.severity === 'error').map((i) => `${i.rule} @ ${i.location}`)).toEqual([
      'fhir-unknown-extension @ Patient.birthDate.extension[0]',
    ]);
  });
});

describe("an extension for an element of another FHIR version (HL7's cross-version extensions)", () => {
  const R5 = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-DeviceRequest.doNotPerform';
  it.each([
    {
      description: 'an R5 element as a modifier extension: said not checked, not unknown',
      resource: { resourceType: 'Patient', modifierExtension: [{ url: R5, valueBoolean: true }] },
      expected: ['information fhir-extension-other-version @ Patient.modifierExtension[0]'],
    },
    {
      description: 'an R3 element as an extension: the same',
      resource: {
        resourceType: 'Patient',
        extension: [
          { url: 'http://hl7.org/fhir/3.0/StructureDefinition/extension-Patient.animal', valueString: 'x' },
        ],
      },
      expected: ['information fhir-extension-other-version @ Patient.extension[0]'],
    },
    {
      description: 'a version HL7 publishes no such extensions for: unknown as before',
      resource: {
        resourceType: 'Patient',
        extension: [
          { url: 'http://hl7.org/fhir/9.9/StructureDefinition/extension-Patient.x', valueString: 'x' },
        ],
      },
      expected: ['error fhir-unknown-extension @ Patient.extension[0]'],
    },
  ])('$description', async ({ resource, expected }) => {
    const session = await createFhirSession(generatedModules, {});
    const result = await session.validate(resource);
    expect(result.issues.map((i) => `${i.severity} ${i.rule} @ ${i.location}`)).toEqual(expected);
  });
});
