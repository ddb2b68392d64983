/**
 * A profile that is loaded but cannot be applied (its snapshot cannot be generated offline) is
 * said on each resource it should apply to: one the resource claims, and one the user applies to
 * every resource of its type (`--profile`), which was passed without a word.
 */
import { describe, expect, it } from 'vitest';
import { tgz } from '../../../../tests/fixtures/tgz.ts';
import { createFhirSession, generatedModules } from '../../fhir/index.ts';
import { validatorProfiles } from '../check.ts';
import { readIgPackage } from '../igPackage.ts';
import { loadProfileRegistry } from '../registry.ts';

const PROFILE = 'http://example.org/fhir/StructureDefinition/orphan-patient';

const pkg = await readIgPackage(
  tgz({
    'package/package.json': JSON.stringify({ name: 'example.orphan', version: '1.0.0' }),
    'package/StructureDefinition-orphan-patient.json': JSON.stringify({
      resourceType: 'StructureDefinition',
      url: PROFILE,
      name: 'OrphanPatient',
      type: 'Patient',
      kind: 'resource',
      derivation: 'constraint',
      // a base no package defines: no snapshot can be generated
      baseDefinition: 'http://example.org/fhir/StructureDefinition/missing-base',
      differential: { element: [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }] },
    }),
  }),
);
const registry = await loadProfileRegistry([pkg]);

async function notesOf(resource: Record<string, unknown>, applied?: string[]): Promise<string[]> {
  const session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(registry, applied),
  });
  const { issues } = await session.validate(resource);
  return issues
    .filter((i) => i.rule === 'fhir-profile-not-checked')
    .map((i) => `${i.severity} at ${i.location}`);
}

describe('a loaded profile that cannot be applied', () => {
  it('is said on a resource that claims it', async () => {
    expect(await notesOf({ resourceType: 'Patient', meta: { profile: [PROFILE] } })).toEqual([
      'information at Patient',
    ]);
  });

  it('is said on each resource of its type when the user applies it, and not on others', async () => {
    expect(await notesOf({ resourceType: 'Patient' }, [PROFILE])).toEqual(['information at Patient']);
    expect(await notesOf({ resourceType: 'Basic', code: { text: 'x' } }, [PROFILE])).toEqual([]);
  });
});
