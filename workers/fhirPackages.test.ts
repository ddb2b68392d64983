/**
 * Implementation guide packages in the FHIR validator worker: what a package shows (name, version,
 * SHA-256, dependencies not loaded, profiles to pick), and each kind of file that cannot be used
 * answered with a problem that names the file and says what to do — never a crash, and the
 * other packages of the set are not lost.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FHIR_LAYERS } from '../src/core/fhir/index.ts';
import { PACKAGE_LIMITS } from '../src/core/fhirProfiles/index.ts';
import { IPS_TGZ } from '../tests/fixtures/ipsPackage.ts';
import { gzipBomb, tgz } from '../tests/fixtures/tgz.ts';
import { createFhirValidateApi } from './fhirValidateApi.ts';

const MiB = 1024 * 1024;
const IPS = readFileSync(IPS_TGZ);
const IPS_SHA256 = '4a5cff17580f869140614ac51097d81540c63644d550ced8d4cd9b9bce7345c4';
const ips = () => ({ name: 'hl7.fhir.uv.ips-2.0.0.tgz', file: new Blob([IPS]) });

describe('reading packages in the worker', () => {
  it('shows the IPS package: name, version, SHA-256, profiles, and the dependencies not loaded', async () => {
    const outcome = await createFhirValidateApi().inspectPackages([ips()]);
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const [pkg] = outcome.packages;
    expect(pkg).toMatchObject({
      fileName: 'hl7.fhir.uv.ips-2.0.0.tgz',
      name: 'hl7.fhir.uv.ips',
      version: '2.0.0',
      sha256: IPS_SHA256,
      bytes: IPS.length,
    });
    expect(pkg?.profiles).toContainEqual({
      url: 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips',
      type: 'Patient',
      title: 'Patient (IPS)',
    });
    expect(pkg?.profiles.every((p) => p.type !== 'Extension')).toBe(true);
    expect(outcome.missing.map((m) => `${m.name} ← ${m.requiredBy.join(',')}`)).toEqual([
      'hl7.fhir.r4.core ← hl7.fhir.uv.ips#2.0.0',
      'hl7.terminology.r4 ← hl7.fhir.uv.ips#2.0.0',
      'hl7.fhir.uv.extensions.r4 ← hl7.fhir.uv.ips#2.0.0',
      'hl7.fhir.uv.ipa ← hl7.fhir.uv.ips#2.0.0',
    ]);
  });

  const BAD: { name: string; file: string; bytes: () => Uint8Array; says: RegExp; advice: RegExp }[] = [
    {
      name: 'a file that is not a tgz',
      file: 'patient.json',
      bytes: () => new TextEncoder().encode('{"resourceType":"Patient"}'),
      says: /^patient\.json cannot be used as an implementation guide package: The file is not gzip-compressed/,
      advice: /Choose the package file itself: a \.tgz/,
    },
    {
      name: 'a tgz without package/package.json',
      file: 'folder.tgz',
      bytes: () => tgz({ 'other/readme.txt': 'hello' }),
      says: /^folder\.tgz cannot be used .*no package\/package\.json/,
      advice: /Choose the package file itself/,
    },
    {
      name: 'a package cut short (corrupt gzip)',
      file: 'cut.tgz',
      bytes: () => new Uint8Array(IPS.subarray(0, IPS.length >> 1)),
      says: /^cut\.tgz cannot be used .*damaged or cut short/,
      advice: /Download the package again/,
    },
    {
      name: 'a package.json that names no package',
      file: 'nameless.tgz',
      bytes: () => tgz({ 'package/package.json': '{"description":"x"}' }),
      says: /^nameless\.tgz cannot be used .*package\/package\.json: package\.json must name the package and its version/,
      advice: /Download the package again/,
    },
  ];
  for (const bad of BAD) {
    it(`names ${bad.name} and says what to do`, async () => {
      const api = createFhirValidateApi();
      const outcome = await api.inspectPackages([
        { name: bad.file, file: new Blob([bad.bytes() as BlobPart]) },
      ]);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.problem.file).toBe(bad.file);
      expect(outcome.problem.message).toMatch(bad.says);
      expect(outcome.problem.advice).toMatch(bad.advice);
      // the worker goes on: a good package is read afterwards as if nothing happened
      expect((await api.inspectPackages([ips()])).ok).toBe(true);
    });
  }

  it('refuses a gzip bomb with the bounded reader the CLI uses, adding it or validating with it', async () => {
    // 64 MiB from 64 KiB; the bound is lowered to 8 MiB so the test is quick (the app's is 256 MiB)
    const bomb = { name: 'bomb.tgz', file: new Blob([gzipBomb(64) as BlobPart]) };
    const api = createFhirValidateApi(undefined, { maxUnpackedBytes: 8 * MiB });
    const says =
      /^bomb\.tgz cannot be used as an implementation guide package: The package unpacks to more than 8 MB, far more than any implementation guide/;
    const added = await api.inspectPackages([bomb]);
    expect(added).toMatchObject({
      ok: false,
      problem: { file: 'bomb.tgz', message: expect.stringMatching(says) },
    });
    const validated = await api.validate(
      'job',
      {
        toolVersion: 'test',
        layers: [...FHIR_LAYERS],
        inputs: [{ name: 'p.json', file: new Blob(['{"resourceType":"Patient","id":"a"}']) }],
        packages: [bomb],
      },
      () => {},
    );
    expect(validated).toMatchObject({
      ok: false,
      problem: { file: 'bomb.tgz', message: expect.stringMatching(says) },
    });
    expect(PACKAGE_LIMITS.maxUnpackedBytes).toBe(256 * MiB);
  });

  it('refuses to validate with a package that cannot be used, naming it, and checks nothing', async () => {
    const outcome = await createFhirValidateApi().validate(
      'job',
      {
        toolVersion: 'test',
        layers: [...FHIR_LAYERS],
        inputs: [{ name: 'p.json', file: new Blob(['{"resourceType":"Patient","id":"a"}']) }],
        packages: [ips(), { name: 'broken.tgz', file: new Blob(['not a package']) }],
      },
      () => {},
    );
    expect(outcome).toMatchObject({ ok: false, problem: { file: 'broken.tgz' } });
  });

  it('validates with a terminology package as the CLI does: its codes checked, the package marked', async () => {
    const codes = {
      name: 'clinic-codes.tgz',
      terminology: true as const,
      file: new Blob([
        tgz({
          'package/package.json': JSON.stringify({ name: 'clinic.codes', version: '1.0.0' }),
          'package/CodeSystem-cvx.json': JSON.stringify({
            resourceType: 'CodeSystem',
            url: 'http://hl7.org/fhir/sid/cvx',
            content: 'complete',
            concept: [{ code: '140' }],
          }),
        }) as BlobPart,
      ]),
    };
    const immunization = {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: 'NOT-A-CVX' }] },
      patient: { display: 'a patient' },
      occurrenceDateTime: '2026-01-01',
    };
    const outcome = await createFhirValidateApi().validate(
      'job',
      {
        toolVersion: 'test',
        layers: [...FHIR_LAYERS],
        inputs: [{ name: 'imm.json', file: new Blob([JSON.stringify(immunization)]) }],
        packages: [codes],
      },
      () => {},
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    // the report names the element without indexes (its examples carry where)
    expect(outcome.report.issues.map((i) => `${i.rule} @ ${i.location}`)).toEqual([
      'fhir-code-unknown @ Immunization.vaccineCode.coding',
    ]);
    expect(outcome.report.target).toMatchObject({ packages: [{ name: 'clinic.codes', terminology: true }] });
  });

  it('refuses a chosen profile no loaded package defines', async () => {
    const outcome = await createFhirValidateApi().validate(
      'job',
      {
        toolVersion: 'test',
        layers: [...FHIR_LAYERS],
        inputs: [{ name: 'p.json', file: new Blob(['{"resourceType":"Patient","id":"a"}']) }],
        packages: [ips()],
        profiles: ['http://example.org/StructureDefinition/none'],
      },
      () => {},
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problem.message).toMatch(/No loaded package defines the chosen profile/);
  });
});
