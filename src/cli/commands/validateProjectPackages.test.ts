/**
 * `preflight validate --fhir --project` (and `fhir validate --project`) with a project that names
 * implementation guide packages: a project file holds references only (the app keeps the packages
 * in the browser), so each must be given with --ig. One not given, or given in another version,
 * is exit 2 before any resource is read, naming the package and what to do; the same name and
 * version from another file, or a package the project does not name, is said and applied; the
 * profiles the project applies to every resource of their type apply as they do in the app.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ } from '../../../tests/fixtures/ipsPackage.ts';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { sha256Hex } from '../../core/hash/index.ts';
import { createProject } from '../../core/project/changes.ts';
import { createProjectFile } from '../../formats/project.ts';
import { loadReport } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';

const IPS_SHA256 = '4a5cff17580f869140614ac51097d81540c63644d550ced8d4cd9b9bce7345c4';
const IPS_PATIENT = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';
const IPS = {
  fileName: 'hl7.fhir.uv.ips-2.0.0.tgz',
  name: 'hl7.fhir.uv.ips',
  version: '2.0.0',
  sha256: IPS_SHA256,
  bytes: 1,
};
const TERMINOLOGY = {
  fileName: 'hl7.terminology.r4-6.2.0.tgz',
  name: 'hl7.terminology.r4',
  version: '6.2.0',
  sha256: 'a'.repeat(64),
  bytes: 1,
};

let dir: string;

async function projectWith(name: string, settings: Record<string, unknown>): Promise<string> {
  const project = createProject({ id: 'p', name: 'Clinic', now: '2026-11-24T10:00:00Z', settings });
  const file = createProjectFile(project, { now: '2026-11-24T10:00:00Z', appVersion: '0.0.0-test' });
  await writeFile(path.join(dir, name), JSON.stringify(file));
  return name;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-project-ig-'));
  // a patient with no meta.profile and no name: valid in base R4, not as an IPS patient
  await writeFile(
    path.join(dir, 'Patient.ndjson'),
    `${JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1980-01-02' })}\n`,
  );
  await projectWith('ips.preflight.json', { fhirPackages: [IPS], fhirProfiles: [IPS_PATIENT] });
  await projectWith('ips-and-terminology.preflight.json', { fhirPackages: [IPS, TERMINOLOGY] });
  await projectWith('ips-old.preflight.json', {
    fhirPackages: [{ ...IPS, version: '1.1.0', fileName: 'ips-1.1.0.tgz' }],
  });
  await projectWith('ips-other-bytes.preflight.json', { fhirPackages: [{ ...IPS, sha256: 'b'.repeat(64) }] });
  await projectWith('plain.preflight.json', {});
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COMMANDS = [
  ['validate', '--fhir'],
  ['fhir', 'validate'],
];

describe('--project loads the implementation guide packages the project names', () => {
  it('refuses (exit 2) when a named package is not given with --ig, naming it and what to do', async () => {
    for (const command of COMMANDS) {
      const run = await runCli(
        [...command, 'Patient.ndjson', '--project', 'ips.preflight.json', '--report', 'r.json'],
        dir,
      );
      expect(run.code).toBe(2);
      expect(run.out).toBe('');
      expect(run.err).toContain(
        'the project "ips.preflight.json" checks FHIR with an implementation guide package not given with --ig:\n  hl7.fhir.uv.ips 2.0.0 (added in the app as hl7.fhir.uv.ips-2.0.0.tgz)',
      );
      expect(run.err).toContain(
        'Give it with --ig <package.tgz>, the same .tgz file that was added in the app',
      );
    }
    const one = await runCli(
      [
        'validate',
        '--fhir',
        'Patient.ndjson',
        '--project',
        'ips-and-terminology.preflight.json',
        '--ig',
        IPS_TGZ,
      ],
      dir,
    );
    expect(one.code).toBe(2);
    expect(one.err).toContain(
      '  hl7.terminology.r4 6.2.0 (added in the app as hl7.terminology.r4-6.2.0.tgz)',
    );
    expect(one.err).not.toContain('  hl7.fhir.uv.ips 2.0.0 (added');
  });

  it('refuses a package given in another version than the one the project names', async () => {
    const run = await runCli(
      ['validate', '--fhir', 'Patient.ndjson', '--project', 'ips-old.preflight.json', '--ig', IPS_TGZ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.err).toContain(
      `  hl7.fhir.uv.ips 1.1.0 (added in the app as ips-1.1.0.tgz): --ig ${IPS_TGZ} is hl7.fhir.uv.ips 2.0.0, another version`,
    );
  });

  it("applies the given packages and the project's profiles, as the app does", async () => {
    for (const command of COMMANDS) {
      const run = await runCli(
        [
          ...command,
          'Patient.ndjson',
          '--project',
          'ips.preflight.json',
          '--ig',
          IPS_TGZ,
          '--report',
          'ips.json',
        ],
        dir,
      );
      expect(run.err).toBe('');
      expect(run.out).toContain(
        `  implementation guide packages it names: hl7.fhir.uv.ips 2.0.0; profiles applied to every resource of their type: ${IPS_PATIENT}`,
      );
      // the IPS patient profile asks for a name: applied although the patient does not claim it
      expect(run.code).toBe(1);
      const loaded = loadReport(JSON.parse(await readFile(path.join(dir, 'ips.json'), 'utf8')));
      if (!loaded.ok) throw new Error('the report does not load');
      const target = loaded.value.target?.type === 'fhir' ? loaded.value.target : undefined;
      expect(target?.packages?.map((p) => `${p.name} ${p.version} ${p.sha256}`)).toEqual([
        `hl7.fhir.uv.ips 2.0.0 ${IPS_SHA256}`,
      ]);
      expect(target?.profiles).toEqual([IPS_PATIENT]);
      expect(
        loaded.value.issues.some((i) => i.severity === 'error' && i.location?.startsWith('Patient.name')),
      ).toBe(true);
    }
    // without the project, the same patient is valid: the profile came from the project
    const plain = await runCli(['validate', '--fhir', 'Patient.ndjson', '--ig', IPS_TGZ], dir);
    expect(plain.code).toBe(0);
  });

  it('says when a package has the name and version the project names but other bytes, or is not named', async () => {
    const other = await runCli(
      [
        'validate',
        '--fhir',
        'Patient.ndjson',
        '--project',
        'ips-other-bytes.preflight.json',
        '--ig',
        IPS_TGZ,
      ],
      dir,
    );
    expect(other.code).toBe(0);
    expect(other.out).toContain(
      `  --ig ${IPS_TGZ} is hl7.fhir.uv.ips 2.0.0, as the project names, but not the same file as the one added in the app (SHA-256 4a5cff17580f…, the project's bbbbbbbbbbbb…): its profiles apply`,
    );
    const extra = await runCli(
      ['validate', '--fhir', 'Patient.ndjson', '--project', 'plain.preflight.json', '--ig', IPS_TGZ],
      dir,
    );
    expect(extra.code).toBe(0);
    expect(extra.out).toContain(
      `  --ig ${IPS_TGZ} is hl7.fhir.uv.ips 2.0.0, which the project does not name: its profiles apply as well`,
    );
  });

  it('takes a terminology package the project names from --terminology', async () => {
    const bytes = tgz({
      'package/package.json': JSON.stringify({ name: 'clinic.codes', version: '1.0.0' }),
      'package/CodeSystem-local.json': JSON.stringify({
        resourceType: 'CodeSystem',
        url: 'http://clinic.example/codes',
        content: 'complete',
        concept: [{ code: 'a' }],
      }),
    });
    await writeFile(path.join(dir, 'clinic-codes.tgz'), bytes);
    const codes = {
      fileName: 'clinic-codes.tgz',
      name: 'clinic.codes',
      version: '1.0.0',
      sha256: sha256Hex(bytes),
      bytes: bytes.length,
      terminology: true,
    };
    const project = await projectWith('codes.preflight.json', { fhirPackages: [codes] });
    const refused = await runCli(['fhir', 'validate', 'Patient.ndjson', '--project', project], dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'clinic.codes 1.0.0 (added in the app as clinic-codes.tgz, a terminology package: give it with --terminology)',
    );
    const run = await runCli(
      ['fhir', 'validate', 'Patient.ndjson', '--project', project, '--terminology', 'clinic-codes.tgz'],
      dir,
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('code systems and value sets of clinic.codes#1.0.0 loaded');
    const unnamed = await runCli(
      [
        'fhir',
        'validate',
        'Patient.ndjson',
        '--project',
        'plain.preflight.json',
        '--terminology',
        'clinic-codes.tgz',
      ],
      dir,
    );
    expect(unnamed.out).toContain(
      '  --terminology clinic-codes.tgz is clinic.codes 1.0.0, which the project does not name: its codes apply as well',
    );
  });
});
