/**
 * A reference whose element allows only target profiles no loaded package defines: a target
 * resolved in the Bundle cannot be shown to conform, which the HL7 Java validator counts as an
 * error, and so does Preflight, saying which package to load. A target profile that is a base
 * type, or a reference that does not resolve, is not this error.
 */
import { describe, expect, it } from 'vitest';
import { tgz } from '../../../../../tests/fixtures/tgz.ts';
import { createFhirSession, generatedModules } from '../../../fhir/index.ts';
import { validatorProfiles } from '../../check.ts';
import { readIgPackage } from '../../igPackage.ts';
import { loadProfileRegistry } from '../../registry.ts';

const PROFILE = 'http://example.org/fhir/StructureDefinition/';
const ABSENT = 'http://example.org/other/StructureDefinition/portal-endpoint';

/** An Organization profile `id` whose endpoint allows targets of `targetProfile`. */
const profile = (id: string, targetProfile: string[]) => ({
  resourceType: 'StructureDefinition',
  url: `${PROFILE}${id}`,
  name: id,
  type: 'Organization',
  kind: 'resource',
  derivation: 'constraint',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Organization',
  differential: {
    element: [
      {
        id: 'Organization.endpoint',
        path: 'Organization.endpoint',
        type: [{ code: 'Reference', targetProfile }],
      },
    ],
  },
});

const pkg = await readIgPackage(
  tgz({
    'package/package.json': JSON.stringify({ name: 'example.targets', version: '1.0.0' }),
    'package/StructureDefinition-absent.json': JSON.stringify(profile('absent', [ABSENT])),
    'package/StructureDefinition-base.json': JSON.stringify(
      profile('base', ['http://hl7.org/fhir/StructureDefinition/Endpoint']),
    ),
  }),
);
const session = await createFhirSession(generatedModules, {
  profiles: validatorProfiles(await loadProfileRegistry([pkg])),
});

/** The profile-type errors of a Bundle holding an Organization claiming `id`, referring to `reference`. */
async function errorsOf(id: string, reference: string): Promise<string[]> {
  const { issues } = await session.validate({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: 'https://example.org/fhir/Organization/o1',
        resource: {
          resourceType: 'Organization',
          id: 'o1',
          meta: { profile: [`${PROFILE}${id}`] },
          name: 'Clinic',
          endpoint: [{ reference }],
        },
      },
      {
        fullUrl: 'https://example.org/fhir/Endpoint/e1',
        resource: {
          resourceType: 'Endpoint',
          id: 'e1',
          status: 'active',
          connectionType: {
            system: 'http://terminology.hl7.org/CodeSystem/endpoint-connection-type',
            code: 'hl7-fhir-rest',
          },
          payloadType: [{ text: 'none' }],
          address: 'https://example.org/fhir',
        },
      },
    ],
  });
  return issues
    .filter((i) => i.rule === 'fhir-profile-type')
    .map((i) => `${i.severity} at ${i.location}: ${i.message.replace(/ \(http[^)]*\)$/, '')}`);
}

describe('a reference whose target profiles no loaded package defines', () => {
  it('is an error on a target resolved in the Bundle, naming what to load', async () => {
    expect(await errorsOf('absent', 'Endpoint/e1')).toEqual([
      `error at Bundle.entry[0].resource.endpoint[0].reference: Organization.endpoint: the referenced resource must conform to ${ABSENT}, which no loaded package defines, so it cannot conform: load the package that defines it (absent)`,
    ]);
  });

  it('is not said of a reference that does not resolve, nor of a base type as target profile', async () => {
    expect(await errorsOf('absent', 'Endpoint/elsewhere')).toEqual([]);
    expect(await errorsOf('base', 'Endpoint/e1')).toEqual([]);
  });
});
