/**
 * Search parameters against the definitions they name (searchParameters.ts): HL7's validator test
 * cases (FHIR/fhir-test-cases, api module) where the Java validator errors, and the table of what
 * passes — the definition's own type and base, a base of `Resource`, a definition not at hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { US_CORE_TGZ } from '../../../tests/fixtures/usCorePackage.ts';
import { readTarGz } from '../fhirProfiles/index.ts';
import { generatedModules } from './generatedModules.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);
const hl7Case = (file: string) =>
  JSON.parse(readFileSync(externalFixture('fhir-test-cases', 'validator', file), 'utf8')) as Record<
    string,
    unknown
  >;

const mismatches = async (resource: unknown) =>
  (await session.validate(resource)).issues
    .filter((i) => i.rule === 'fhir-search-parameter-mismatch')
    .map((i) => `${i.severity} @ ${i.location}`);

const derived = (changes: Record<string, unknown>) => ({
  ...hl7Case('sp-diff-type.json'),
  type: 'string',
  ...changes,
});

describe('search parameters against the definitions they name', () => {
  it.each([
    ['sp-diff-type.json', ['error @ SearchParameter.type']],
    ['sp-diff-base.json', ['error @ SearchParameter.base[0]']],
    ['capstmt.json', ['error @ CapabilityStatement.rest[0].resource[0].searchParam[0].type']],
    // the same parameter with its definition's type and base: nothing to say
    ['sp-diff-expression.json', []],
  ])("HL7's case %s", async (file, expected) => {
    expect(await mismatches(hl7Case(file))).toEqual(expected);
  });

  it.each([
    { description: "the definition's type and base", resource: derived({}), expected: [] },
    {
      description: 'a base the definition does not have, beside one it has',
      resource: derived({ base: ['Organization', 'Patient'] }),
      expected: ['error @ SearchParameter.base[1]'],
    },
    {
      description: 'derived from a definition that applies to every resource type',
      resource: derived({
        derivedFrom: 'http://hl7.org/fhir/SearchParameter/Resource-id',
        type: 'token',
        base: ['Patient'],
        expression: 'Patient.id',
      }),
      expected: [],
    },
    {
      description: 'derived from a versioned definition of the specification',
      resource: derived({
        derivedFrom: 'http://hl7.org/fhir/SearchParameter/Organization-name|4.0.1',
        type: 'token',
      }),
      expected: ['error @ SearchParameter.type'],
    },
    {
      description: 'derived from a definition the run does not hold',
      resource: derived({ derivedFrom: 'http://guide.test/SearchParameter/other', type: 'token' }),
      expected: [],
    },
    {
      description: 'a statement naming no definition, or one not held',
      resource: {
        ...hl7Case('capstmt.json'),
        rest: [
          {
            mode: 'server',
            resource: [
              {
                type: 'Patient',
                searchParam: [
                  { name: 'birthdate', type: 'token' },
                  { name: 'x', definition: 'http://guide.test/SearchParameter/x', type: 'date' },
                  {
                    name: 'name',
                    definition: 'http://hl7.org/fhir/SearchParameter/Patient-name',
                    type: 'string',
                  },
                ],
              },
            ],
          },
        ],
      },
      expected: [],
    },
  ])('$description', async ({ resource, expected }) => {
    expect(await mismatches(resource)).toEqual(expected);
  });

  it("finds nothing in US Core 6.1.0's search parameters (most derived from R4's) and capability statements", async () => {
    const files = await readTarGz(new Uint8Array(readFileSync(US_CORE_TGZ)));
    const resources = files
      .filter((f) => /^package\/(SearchParameter|CapabilityStatement)-[^/]+\.json$/.test(f.path))
      .map((f) => JSON.parse(new TextDecoder().decode(f.bytes)) as Record<string, unknown>);
    const derivedCount = resources.filter((r) => typeof r.derivedFrom === 'string').length;
    expect(derivedCount).toBeGreaterThan(50);
    expect(resources.filter((r) => r.resourceType === 'CapabilityStatement').length).toBeGreaterThan(1);
    const found: string[] = [];
    for (const r of resources) found.push(...(await mismatches(r)).map((m) => `${r.url}: ${m}`));
    expect(found).toEqual([]);
  });

  it('says a definition not held was not checked, naming it, and says nothing of one held', async () => {
    const notChecked = async (resource: unknown) =>
      (await session.validate(resource)).issues
        .filter((i) => i.rule === 'fhir-search-parameter-not-checked')
        .map(
          (i) =>
            `${i.severity} @ ${i.location}: ${i.message.includes('http://guide.test/') ? 'named' : 'unnamed'}`,
        );
    expect(
      await notChecked(derived({ derivedFrom: 'http://guide.test/SearchParameter/other', type: 'token' })),
    ).toEqual(['information @ SearchParameter.derivedFrom: named']);
    expect(await notChecked(derived({}))).toEqual([]);
    const statement = {
      ...hl7Case('capstmt.json'),
      rest: [
        {
          mode: 'server',
          resource: [
            {
              type: 'Patient',
              searchParam: [
                { name: 'birthdate', type: 'token' },
                { name: 'x', definition: 'http://guide.test/SearchParameter/x', type: 'date' },
                {
                  name: 'name',
                  definition: 'http://hl7.org/fhir/SearchParameter/Patient-name',
                  type: 'string',
                },
              ],
            },
          ],
        },
      ],
    };
    expect(await notChecked(statement)).toEqual([
      'information @ CapabilityStatement.rest[0].resource[0].searchParam[1].definition: named',
    ]);
  });

  it('is part of the references layer: skipping it says nothing', async () => {
    const without = await createFhirSession(generatedModules, {
      layers: ['json', 'structure', 'cardinality', 'values', 'extensions', 'invariants', 'bindings'],
    });
    const issues = (await without.validate(hl7Case('sp-diff-type.json'))).issues;
    expect(issues.filter((i) => i.rule === 'fhir-search-parameter-mismatch')).toEqual([]);
  });
});
