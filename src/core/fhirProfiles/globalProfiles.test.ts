/**
 * Profiles an implementation guide declares global (`ImplementationGuide.global`) apply to every
 * resource of their type once the guide's package is loaded, as the HL7 Java validator applies
 * them, whatever the resource claims; a package loaded for its terminology only applies none.
 */
import { describe, expect, it } from 'vitest';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { asTerminologyPackage, readIgPackage } from './igPackage.ts';
import { loadProfileRegistry } from './registry.ts';

const PROFILE = 'http://example.org/fhir/StructureDefinition/gendered-patient';

const guide = tgz({
  'package/package.json': JSON.stringify({
    name: 'example.global',
    version: '1.0.0',
    fhirVersions: ['4.0.1'],
  }),
  'package/ImplementationGuide-example.json': JSON.stringify({
    resourceType: 'ImplementationGuide',
    url: 'http://example.org/fhir/ImplementationGuide/example',
    global: [{ type: 'Patient', profile: PROFILE }],
  }),
  'package/StructureDefinition-gendered-patient.json': JSON.stringify({
    resourceType: 'StructureDefinition',
    id: 'gendered-patient',
    url: PROFILE,
    name: 'GenderedPatient',
    type: 'Patient',
    kind: 'resource',
    derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    differential: { element: [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }] },
  }),
});

async function errorsOf(resource: unknown, terminologyOnly = false) {
  const pkg = await readIgPackage(guide);
  const registry = await loadProfileRegistry([terminologyOnly ? asTerminologyPackage(pkg) : pkg]);
  const session = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
  const { issues } = await session.validate(resource);
  return issues.filter((i) => i.severity === 'error').map((i) => `${i.rule} at ${i.location}`);
}

describe('global profiles of a loaded implementation guide', () => {
  it('reads the guide’s global profiles', async () => {
    expect((await readIgPackage(guide)).globalProfiles).toEqual([{ type: 'Patient', profile: PROFILE }]);
  });

  it('applies them to a resource of their type that claims nothing', async () => {
    expect(await errorsOf({ resourceType: 'Patient' })).toEqual([
      'fhir-profile-cardinality at Patient.gender',
    ]);
    expect(await errorsOf({ resourceType: 'Patient', gender: 'other' })).toEqual([]);
  });

  it('applies them to Bundle entries, and not to resources of another type', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient' } },
        { resource: { resourceType: 'Group', type: 'person', actual: false } },
      ],
    };
    expect(await errorsOf(bundle)).toEqual(['fhir-profile-cardinality at Bundle.entry[0].resource.gender']);
  });

  it('does not apply them from a package loaded for its terminology only', async () => {
    expect(await errorsOf({ resourceType: 'Patient' }, true)).toEqual([]);
  });
});
