/**
 * Which StructureDefinitions are applied as profiles: a constraint, and one that derives from the
 * specification's definition of its own type whatever its `derivation` says (a profile mislabelled
 * `specialization`, which the HL7 Java validator applies as a profile); never a true specialization
 * (a type defined on another base).
 */
import { describe, expect, it } from 'vitest';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { readIgPackage } from './igPackage.ts';
import { constrainsType, loadProfileRegistry } from './registry.ts';
import type { StructureDefinition } from './types.ts';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';
const PROFILE = 'http://example.org/fhir/StructureDefinition/gendered-patient';

const definition = (derivation: string, baseDefinition: string, type = 'Patient') =>
  ({
    resourceType: 'StructureDefinition',
    url: PROFILE,
    name: 'GenderedPatient',
    type,
    kind: 'resource',
    derivation,
    baseDefinition,
    differential: { element: [{ id: `${type}.gender`, path: `${type}.gender`, min: 1 }] },
  }) as StructureDefinition;

describe('StructureDefinitions applied as profiles', () => {
  it.each([
    { description: 'a constraint', sd: definition('constraint', `${CORE}Patient`), expected: true },
    {
      description: "a specialization on its own type's definition (mislabelled)",
      sd: definition('specialization', `${CORE}Patient`),
      expected: true,
    },
    {
      description: 'the same with a versioned base',
      sd: definition('specialization', `${CORE}Patient|4.0.1`),
      expected: true,
    },
    {
      description: 'a true specialization (a type on another base)',
      sd: definition('specialization', `${CORE}DomainResource`),
      expected: false,
    },
    {
      description: 'a logical model on Element',
      sd: definition('specialization', `${CORE}Element`, 'http://example.org/Model'),
      expected: false,
    },
  ])('$description: $expected', ({ sd, expected }) => {
    expect(constrainsType(sd)).toBe(expected);
  });

  it('applies a profile mislabelled as a specialization, shipped as a differential only', async () => {
    const pkg = await readIgPackage(
      tgz({
        'package/package.json': JSON.stringify({ name: 'example.mislabelled', version: '1.0.0' }),
        'package/StructureDefinition-gendered-patient.json': JSON.stringify(
          definition('specialization', `${CORE}Patient`),
        ),
      }),
    );
    const registry = await loadProfileRegistry([pkg]);
    const session = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
    const errorsOf = async (resource: unknown) =>
      (await session.validate(resource)).issues
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.rule} at ${i.location}`);
    const claiming = { resourceType: 'Patient', meta: { profile: [PROFILE] } };
    expect(await errorsOf(claiming)).toEqual(['fhir-profile-cardinality at Patient.gender']);
    expect(await errorsOf({ ...claiming, gender: 'other' })).toEqual([]);
  });
});
