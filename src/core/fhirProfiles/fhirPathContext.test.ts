/**
 * FHIRPath's context variables in a profile's invariants, as the FHIR specification defines them
 * and HL7's Java validator evaluates them: `%resource` is the resource an element belongs to (a
 * contained resource for the elements inside it; for the contained resource itself, the resource
 * holding it, where the `contained` element is), and `%rootResource` the resource holding it all.
 * HL7's validator test case `contained-invariant` checks all three variables at once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { loadProfileRegistry } from './registry.ts';
import { testPackage } from './testing/patientBinding.ts';
import type { StructureDefinition } from './types.ts';

const hl7 = (name: string) =>
  JSON.parse(readFileSync(externalFixture('fhir-test-cases', 'validator', name), 'utf8')) as Record<
    string,
    unknown
  >;

describe('%resource and %rootResource in a profile on a contained resource', () => {
  it('HL7 contained-invariant: no issues, as the Java validator says', async () => {
    expect(hl7('outcomes/java/R4.contained-invariant-base.json').issue).toBeUndefined();
    const profile = hl7('contained-invariant-profile.json') as unknown as StructureDefinition;
    const registry = await loadProfileRegistry([
      testPackage('test.contained', { structureDefinitions: [profile] }),
    ]);
    const session = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
    const { issues } = await session.validate(hl7('contained-invariant-instance.json'));
    expect(issues.map((i) => `${i.rule} at ${i.location}: ${i.message}`)).toEqual([]);
  });
});
