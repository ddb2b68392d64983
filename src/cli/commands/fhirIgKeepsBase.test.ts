/**
 * A guide adds checks and never removes the specification's, as a clinic runs it: a marital status
 * outside R4's extensible binding warns with `preflight fhir validate`, and still warns with US Core
 * or IPS loaded through `--ig` (src/core/fhirProfiles/igKeepsBase.test.ts holds it as a property).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ } from '../../../tests/fixtures/ipsPackage.ts';
import { US_CORE_TGZ } from '../../../tests/fixtures/usCorePackage.ts';
import { runCli } from '../cliTestKit.ts';

describe('fhir validate --ig keeps the base binding warnings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-ig-keeps-base-'));
    const maritalStatus = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'QQ' }],
    };
    await writeFile(
      path.join(dir, 'patient.json'),
      JSON.stringify({ resourceType: 'Patient', maritalStatus }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const [guide, tgz] of [
    ['no guide', undefined],
    ['US Core', US_CORE_TGZ],
    ['IPS', IPS_TGZ],
  ] as const)
    it(`marital status QQ warns with ${guide} loaded`, async () => {
      const { code, out } = await runCli(
        ['fhir', 'validate', ...(tgz ? ['--ig', tgz] : []), 'patient.json'],
        dir,
      );
      expect(code).toBe(0);
      expect(out).toMatch(/fhir-code-not-in-value-set-extensible[\s\S]*Patient\.maritalStatus/);
    });
});
