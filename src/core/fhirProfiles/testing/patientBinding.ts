/**
 * Small made-up packages for the profile checker's terminology tests: a package with the given
 * parts, and a Patient profile whose one constrained element is `maritalStatus` with a binding.
 * Profiles carry their snapshots, so no base package is needed.
 */
import type { IgPackage } from '../igPackage.ts';
import type { StructureDefinition } from '../types.ts';

/** A FHIR R4 package named `name` (version 1.0.0, no dependencies) holding `parts`. */
export const testPackage = (name: string, parts: Partial<IgPackage>): IgPackage => ({
  name,
  version: '1.0.0',
  sha256: '0'.repeat(64),
  fhirVersions: ['4.0.1'],
  dependencies: [],
  structureDefinitions: [],
  valueSets: [],
  codeSystems: [],
  ...parts,
});

/** A Patient profile at `url` named `name` binding `Patient.maritalStatus` as `binding` says. */
export function patientBindingProfile(
  url: string,
  name: string,
  binding: Record<string, unknown>,
): StructureDefinition {
  return {
    resourceType: 'StructureDefinition',
    url,
    name,
    type: 'Patient',
    kind: 'resource',
    derivation: 'constraint',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    snapshot: {
      element: [
        { id: 'Patient', path: 'Patient', min: 0, max: '*', base: { path: 'Patient', min: 0, max: '*' } },
        {
          id: 'Patient.maritalStatus',
          path: 'Patient.maritalStatus',
          min: 0,
          max: '1',
          base: { path: 'Patient.maritalStatus', min: 0, max: '1' },
          type: [{ code: 'CodeableConcept' }],
          binding,
        },
      ],
    },
  } as StructureDefinition;
}
