/**
 * `preflight validate --fhir --ig <package.tgz>` (and `preflight fhir validate --ig`): the IPS
 * examples validate against their profiles with exit 0, the report names the package (SHA-256)
 * and the dependencies it misses; a defect a profile forbids exits 1 with the profile's message;
 * a package that cannot be used, or --profile without a package, is bad usage (exit 2).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ, ipsDifferentialsTgz, ipsExamples } from '../../../tests/fixtures/ipsPackage.ts';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';

const IPS_SHA256 = '4a5cff17580f869140614ac51097d81540c63644d550ced8d4cd9b9bce7345c4';

/** The report, checked against its JSON Schema (the new target fields included). */
function validReport(json: unknown): Report {
  const loaded = loadReport(json);
  if (!loaded.ok) throw new Error(`the report does not load: ${JSON.stringify(loaded)}`);
  return loaded.value;
}

let dir: string;
let files: string[];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-ig-'));
  files = [];
  for (const e of await ipsExamples()) {
    await writeFile(path.join(dir, e.name), JSON.stringify(e.resource));
    files.push(e.name);
  }
  const flag = (await ipsExamples()).find((e) => e.name === 'Flag-546482.json')?.resource as Record<
    string,
    unknown
  >;
  await writeFile(path.join(dir, 'broken-flag.json'), JSON.stringify({ ...flag, status: 'inactive' }));
  // the minimal IPS Bundle whose Patient has a name with no part: one defect, three more messages
  const bundle = structuredClone(
    (await ipsExamples()).find((e) => e.name === 'Bundle-bundle-minimal.json')?.resource,
  ) as { entry: { resource: Record<string, unknown> }[] };
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource;
  if (!patient) throw new Error('the minimal IPS Bundle has no Patient');
  patient.name = [{ use: 'official' }];
  await writeFile(path.join(dir, 'broken-bundle.json'), JSON.stringify(bundle));
  await writeFile(path.join(dir, 'differentials.tgz'), await ipsDifferentialsTgz());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FHIR validation with implementation guide packages', () => {
  it('applies a package with differentials only, without hl7.fhir.r4.core: snapshots generated', async () => {
    const valid = captureIo(dir);
    expect(await main(['validate', '--fhir', '--ig', 'differentials.tgz', ...files], valid.io)).toBe(0);
    expect(valid.out.join('\n')).toContain(
      '44 resources in 44 files: 44 valid, 0 invalid (0 errors, 0 warnings)',
    );
    expect(valid.out.join('\n')).not.toContain('cannot be applied');
    const broken = captureIo(dir);
    expect(await main(['fhir', 'validate', '--ig', 'differentials.tgz', 'broken-flag.json'], broken.io)).toBe(
      1,
    );
    expect(broken.out.join('\n')).toContain(
      "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)",
    );
  });

  it('validates the 44 IPS examples against their profiles: exit 0, packages in the report', async () => {
    const { io, out, err } = captureIo(dir);
    const code = await main(['validate', '--fhir', '--ig', IPS_TGZ, ...files, '--report', 'report.json'], io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('44 resources in 44 files: 44 valid, 0 invalid (0 errors, 0 warnings)');
    expect(out.join('\n')).toContain('profiles of hl7.fhir.uv.ips#2.0.0 applied');
    const report = validReport(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')));
    expect(report.target).toMatchObject({
      type: 'fhir',
      packages: [{ name: 'hl7.fhir.uv.ips', version: '2.0.0', sha256: IPS_SHA256 }],
    });
    const target = report.target?.type === 'fhir' ? report.target : undefined;
    expect(target?.missingPackages?.map((m) => m.name)).toEqual([
      'hl7.fhir.r4.core',
      'hl7.terminology.r4',
      'hl7.fhir.uv.extensions.r4',
      'hl7.fhir.uv.ipa',
    ]);
    expect(report.issues.some((i) => i.rule === 'fhir-profile-binding-unchecked')).toBe(true);
  });

  it('names one defect once, with the messages that follow from it under it', async () => {
    const { io, out } = captureIo(dir);
    const code = await main(['validate', '--fhir', '--ig', IPS_TGZ, 'broken-bundle.json'], io);
    expect(code).toBe(1);
    const text = out.join('\n');
    // the warning: the specification's extensible binding of the Condition's category, which no
    // IPS profile answers once the Composition does not conform (a guide never removes a base check)
    expect(text).toContain('(4 errors, 1 warning)');
    expect(text).toContain(
      '  by root cause: 3 of these messages follow from another problem and are shown under it',
    );
    expect(text).toContain(
      '  error   Bundle.entry.resource.name ×1: Patient.name: ips-pat-1: Patient.name.given, Patient.name.family or Patient.name.text SHALL be present (Patient-uv-ips, the target of Composition.subject in Composition-uv-ips) [fhir-profile-invariant]',
    );
    expect(text).toContain('           3 more messages follow from it:');
    expect(text).toContain(
      "             Bundle.entry ×1: Bundle.entry: slice 'patient' requires 1, found 0 (Bundle-uv-ips) [fhir-profile-slice]",
    );
    // the JSON report: one error listed, the three others folded under it
    const json = captureIo(dir);
    await main(['validate', '--fhir', '--ig', IPS_TGZ, 'broken-bundle.json', '--json'], json.io);
    const report = validReport(JSON.parse(json.out.join('\n')));
    const errors = report.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => [i.rule, i.count])).toEqual([['fhir-profile-invariant', 1]]);
    expect(errors[0]?.derived?.map((d) => [d.rule, d.location, d.count])).toEqual([
      ['fhir-profile-type', 'Bundle.entry.resource.subject.reference', 1],
      ['fhir-profile-slice', 'Bundle.entry', 1],
      ['fhir-profile-slice', 'Bundle.entry', 1],
    ]);
  });

  it('finds a value the profile fixes: exit 1, the message names the profile', async () => {
    const { io, out } = captureIo(dir);
    const code = await main(['fhir', 'validate', '--ig', IPS_TGZ, 'broken-flag.json', '--json'], io);
    expect(code).toBe(1);
    const report = validReport(JSON.parse(out.join('\n')));
    expect(report.issues.filter((i) => i.severity === 'error')).toMatchObject([
      {
        rule: 'fhir-profile-value',
        location: 'Flag.status',
        message: "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)",
      },
    ]);
  });

  it('without --ig the same file is valid: base R4 does not fix the status', async () => {
    const { io } = captureIo(dir);
    expect(await main(['fhir', 'validate', 'broken-flag.json'], io)).toBe(0);
  });

  it('--profile applies a profile to every resource of its type, in NDJSON too', async () => {
    const patient = { resourceType: 'Patient', name: [{ family: 'Doe' }], birthDate: '1970-01-01' };
    const { birthDate: _b, ...noBirthDate } = patient;
    await writeFile(
      path.join(dir, 'patients.ndjson'),
      `${JSON.stringify({ ...patient, id: 'a' })}\n${JSON.stringify({ ...noBirthDate, id: 'b' })}\n`,
    );
    const url = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';
    const { io, out } = captureIo(dir);
    const code = await main(
      ['fhir', 'validate', '--ig', IPS_TGZ, '--profile', url, 'patients.ndjson', '--json'],
      io,
    );
    expect(code).toBe(1);
    const report = validReport(JSON.parse(out.join('\n')));
    expect(report.target).toMatchObject({ type: 'fhir', profiles: [url] });
    expect(report.summary).toMatchObject({ records: 2, valid: 1, invalid: 1 });
    expect(report.issues.filter((i) => i.severity === 'error')).toMatchObject([
      {
        rule: 'fhir-profile-cardinality',
        location: 'Patient.birthDate',
        message: 'Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips)',
        examples: [{ row: 2 }],
      },
    ]);
  });

  const USAGE: { name: string; args: string[]; says: RegExp }[] = [
    {
      name: 'a package file that does not exist',
      args: ['--ig', 'nowhere.tgz'],
      says: /cannot read "nowhere\.tgz": no such file/,
    },
    {
      name: 'a file that is not a package',
      args: ['--ig', 'broken-flag.json'],
      says: /cannot use "broken-flag\.json" as a FHIR package: The file is not gzip-compressed/,
    },
    { name: '--profile without --ig', args: ['--profile', 'http://x/p'], says: /--profile needs --ig/ },
    {
      name: 'a --profile no package defines',
      args: ['--ig', IPS_TGZ, '--profile', 'http://example.org/StructureDefinition/none'],
      says: /no package given with --ig defines this profile/,
    },
  ];
  for (const u of USAGE) {
    it(`refuses ${u.name} (exit 2, saying why)`, async () => {
      const { io, err } = captureIo(dir);
      const code = await main(['validate', '--fhir', ...u.args, 'broken-flag.json'], io);
      expect(code).toBe(2);
      expect(err.join('\n')).toMatch(u.says);
    });
  }

  it('--terminology adds a code system shipped whole: a made-up code is an error, the package marked', async () => {
    const cvx = {
      resourceType: 'CodeSystem',
      url: 'http://hl7.org/fhir/sid/cvx',
      name: 'CVX',
      content: 'complete',
      concept: [{ code: '08' }, { code: '140' }],
    };
    await writeFile(
      path.join(dir, 'clinic-codes.tgz'),
      tgz({
        'package/package.json': JSON.stringify({ name: 'clinic.codes', version: '1.0.0' }),
        'package/CodeSystem-cvx.json': JSON.stringify(cvx),
      }),
    );
    const immunization = (code: string) => ({
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { coding: [{ system: cvx.url, code }] },
      patient: { display: 'a patient' },
      occurrenceDateTime: '2026-01-01',
    });
    await writeFile(
      path.join(dir, 'imm.ndjson'),
      `${JSON.stringify(immunization('NOT-A-CVX'))}\n${JSON.stringify(immunization('140'))}\n`,
    );
    const { io, out } = captureIo(dir);
    const args = [
      'fhir',
      'validate',
      '--terminology',
      'clinic-codes.tgz',
      'imm.ndjson',
      '--report',
      'terminology.json',
    ];
    expect(await main(args, io)).toBe(1);
    const text = out.join('\n');
    expect(text).toContain('2 resources in 1 file: 1 valid, 1 invalid (1 error, 0 warnings)');
    expect(text).toContain('code systems and value sets of clinic.codes#1.0.0 loaded');
    expect(text).toContain('[fhir-code-unknown]');
    const report = validReport(JSON.parse(await readFile(path.join(dir, 'terminology.json'), 'utf8')));
    expect(report.target).toMatchObject({ packages: [{ name: 'clinic.codes', terminology: true }] });
    // without the package the code is not judged
    expect(await main(['validate', '--fhir', 'imm.ndjson'], captureIo(dir).io)).toBe(0);
  });

  it('refuses --ig for CSV files without a mapping (their rows have no profiles)', async () => {
    const { io, err } = captureIo(dir);
    await writeFile(path.join(dir, 'a.csv'), 'a\n1\n');
    expect(await main(['validate', 'a.csv', '--ig', IPS_TGZ], io)).toBe(2);
    expect(err.join('\n')).toMatch(
      /--ig needs --fhir \(FHIR files\), --mapping \(CSV mapped to FHIR\) or --project/,
    );
  });
});
