/**
 * The profile checker's findings do not move: every example of IPS 2.0.0 and US Core 6.1.0 is
 * validated against its package's profiles and the SHA-256 of its issues (rule, severity,
 * location, message, profile, cause, each issue in order) compared with the digest recorded in
 * testing/check.golden.json. A change to the checks that changes what any example is told fails
 * here; when the change is meant, `npx vitest run src/core/fhirProfiles/check.golden.test.ts -u`
 * records the new digests (and the diff of that file shows which examples moved).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extensionsPackage, ipsExamples, ipsPackage } from '../../../tests/fixtures/ipsPackage.ts';
import { usCoreExamples, usCorePackage } from '../../../tests/fixtures/usCorePackage.ts';
import { createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import type { IgPackage } from './igPackage.ts';
import { createProfileRegistry } from './registry.ts';

/** The digests of a package's examples, each validated against the package's profiles. */
async function digestsOf(
  label: string,
  packages: IgPackage[],
  examples: { name: string; resource: Record<string, unknown> }[],
): Promise<Record<string, string>> {
  const session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry(packages)),
  });
  const digests: Record<string, string> = {};
  for (const example of examples) {
    const { issues } = await session.validate(example.resource);
    digests[`${label}/${example.name}`] = createHash('sha256').update(JSON.stringify(issues)).digest('hex');
  }
  return digests;
}

describe('profile checker golden digests', () => {
  it('tells every IPS and US Core example what it was told before', async () => {
    const digests = {
      ...(await digestsOf('ips', [await ipsPackage(), extensionsPackage()], await ipsExamples())),
      ...(await digestsOf('us-core', [await usCorePackage()], await usCoreExamples())),
    };
    expect(Object.keys(digests).length).toBeGreaterThanOrEqual(200);
    await expect(`${JSON.stringify(digests, null, 2)}\n`).toMatchFileSnapshot('./testing/check.golden.json');
  }, 180_000);
});
