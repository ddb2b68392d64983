/**
 * The paths of a profile's differential (differentialPaths.ts): HL7's validator case obs-mz (a
 * path its type lacks, which the Java validator's snapshot generator refuses), a table of paths
 * that are and are not an R4 type's, and no finding on the profiles of US Core 6.1.0 and IPS 2.0.0.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { readTarGz } from '../fhirProfiles/index.ts';
import { checkDifferentialPaths, pathInTypes } from './differentialPaths.ts';
import { discriminatorPathValid } from './discriminatorPaths.ts';
import { generatedModules, loadR4BaseDefinitions } from './generatedModules.ts';
import { IssueSink } from './issues.ts';
import { FHIR_LAYERS } from './rules.ts';
import { childType } from './typePaths.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);
const { digest } = session.validator;

const findings = (sd: Record<string, unknown>) => {
  const sink = new IssueSink(new Set(FHIR_LAYERS));
  checkDifferentialPaths(sd, 'StructureDefinition', sink, digest);
  return sink.issues.map((i) => `${i.rule} @ ${i.location}`);
};

const profile = (type: string, elements: Record<string, unknown>[]) => ({
  resourceType: 'StructureDefinition',
  url: 'http://profiles.test/StructureDefinition/p',
  name: 'P',
  status: 'draft',
  kind: 'resource',
  abstract: false,
  type,
  derivation: 'constraint',
  baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}`,
  differential: { element: elements },
});
const at = (path: string, id = path) => ({ id, path });

describe("the paths of a profile's differential", () => {
  it("HL7's obs-mz: a path Observation does not have, through the validator", async () => {
    const sd = JSON.parse(
      readFileSync(externalFixture('fhir-test-cases', 'validator', 'obs-mz.json'), 'utf8'),
    ) as Record<string, unknown>;
    const issues = (await session.validate(sd)).issues.filter((i) => i.severity === 'error');
    expect(issues.map((i) => `${i.rule} @ ${i.location}`)).toEqual([
      'fhir-definition-path @ StructureDefinition.differential.element[0].path',
    ]);
  });

  it.each([
    {
      description: 'elements of the type, its backbone elements and datatypes',
      elements: [
        at('Observation'),
        at('Observation.code.coding.system'),
        at('Observation.component.code'),
        at('Observation.component.modifierExtension'),
        at('Observation.subject.identifier.period.start'),
      ],
      expected: [],
    },
    {
      description: 'a choice by [x], as a slice by type, and by one of its types',
      elements: [
        at('Observation.value[x]'),
        at('Observation.value[x]', 'Observation.value[x]:valueQuantity'),
        at('Observation.valueQuantity'),
        at('Observation.valueQuantity.unit'),
        at('Observation.effective[x]', 'Observation.effectiveDateTime'),
      ],
      expected: [],
    },
    {
      description: 'extensions, sliced, on a primitive and inside an extension',
      elements: [
        at('Observation.extension', 'Observation.extension:site'),
        at('Observation.extension.value[x]', 'Observation.extension:site.value[x]'),
        at('Observation.status.extension'),
        at('Observation.extension.extension.url', 'Observation.extension:a.extension:b.url'),
      ],
      expected: [],
    },
    {
      description: 'a path the type lacks, and a choice it lacks',
      elements: [at('Observation.valueBla'), at('Observation.result[x]'), at('Observation.code.codingg')],
      expected: [
        'fhir-definition-path @ StructureDefinition.differential.element[0].path',
        'fhir-definition-path @ StructureDefinition.differential.element[1].path',
        'fhir-definition-path @ StructureDefinition.differential.element[2].path',
      ],
    },
    {
      description: "a path outside the profile's type",
      elements: [at('Patient.gender')],
      expected: ['fhir-definition-path @ StructureDefinition.differential.element[0].path'],
    },
    {
      description: 'an id naming another element than its path',
      elements: [at('Observation.status', 'Observation.code')],
      expected: ['fhir-definition-path @ StructureDefinition.differential.element[0].id'],
    },
  ])('$description', ({ elements, expected }) => {
    expect(findings(profile('Observation', elements))).toEqual(expected);
  });

  it('leaves alone a specialization and a type R4 does not have', () => {
    expect(
      findings({ ...profile('Observation', [at('Observation.valueBla')]), derivation: 'specialization' }),
    ).toEqual([]);
    expect(findings(profile('Thing', [at('Thing.anything')]))).toEqual([]);
  });

  it("accepts every element path of R4's own types and resources", async () => {
    const definitions = (await loadR4BaseDefinitions()) as { snapshot?: { element: { path: string }[] } }[];
    const paths = definitions.flatMap((sd) => (sd.snapshot?.element ?? []).map((e) => e.path));
    expect(paths.length).toBeGreaterThan(7000);
    expect(paths.filter((path) => pathInTypes(digest, path) === false)).toEqual([]);
  });

  it.each([
    ['hl7-fhir-us-core', 'hl7.fhir.us.core-6.1.0.tgz'],
    ['hl7-fhir-uv-ips', 'hl7.fhir.uv.ips-2.0.0.tgz'],
  ])('finds nothing in the profiles of %s', async (suite, file) => {
    const files = await readTarGz(new Uint8Array(readFileSync(externalFixture(suite, file))));
    const definitions = files
      .filter((f) => /^package\/StructureDefinition-[^/]+\.json$/.test(f.path))
      .map((f) => JSON.parse(new TextDecoder().decode(f.bytes)) as Record<string, unknown>);
    expect(definitions.length).toBeGreaterThan(30);
    expect(definitions.flatMap((sd) => findings(sd).map((f) => `${sd.url}: ${f}`))).toEqual([]);
  });
});

describe("one reading of R4's types for a profile's paths", () => {
  it('a differential path and a discriminator path of plain names are told alike', () => {
    const types = Object.keys(digest.types).filter((t) => digest.types[t]?.kind === 'resource');
    // a path of names an element may have: its own, every element's, a choice's stem, made up
    const names = (type: string) => [
      ...Object.keys(digest.types[type]?.elements ?? {}),
      'id',
      'extension',
      'url',
      'value',
      'notAnElement',
    ];
    const path = fc.constantFrom(...types).chain((root) =>
      fc
        .array(fc.constantFrom(...names(root), 'system', 'code', 'coding', 'reference'), {
          minLength: 1,
          maxLength: 3,
        })
        .map((segments) => ({ root, segments })),
    );
    fc.assert(
      fc.property(path, ({ root, segments }) => {
        const owner = digest.types[root];
        if (!owner) return;
        const differential = pathInTypes(digest, [root, ...segments].join('.'));
        const discriminator = discriminatorPathValid(digest, owner, segments.join('.'));
        // a choice named by its stem is a discriminator's FHIRPath, never a differential's path
        const stem = segments.some((_, i) => {
          let at: typeof owner | null | undefined = owner;
          for (const s of segments.slice(0, i)) at = at ? childType(digest, at, s) : undefined;
          const name = segments[i] as string;
          return at ? !at.elements[name] && Object.values(at.elements).some((e) => e.choice === name) : false;
        });
        if (stem) return;
        if (differential !== undefined && discriminator !== undefined)
          expect(differential).toBe(discriminator);
      }),
      { seed: 17, numRuns: 300 },
    );
  });
});
