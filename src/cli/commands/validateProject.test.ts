/**
 * `preflight validate --project`: each file is checked as the project's saved check set its header
 * matches, whatever it is called; a file no check set matches is refused by name; options given
 * replace the project's settings; FHIR files get the project's FHIR checks; a project file that
 * cannot be used is exit 2 before any extract is read.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ } from '../../../tests/fixtures/ipsPackage.ts';
import { createProjectFile, type Project } from '../../formats/project.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { runCli } from '../cliTestKit.ts';
import { demoFirstRows, loadDemoProject, withSavedKeys, writeProjectFile } from '../testing/fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CONTRACTS = path.join(ROOT, 'samples/contracts');

let dir: string;
let demo: Project;

const projectFile = (name: string, project: Project) => writeProjectFile(dir, name, project);

/** The demo project with the key and link a data lead saved for each check set, and `settings`. */
function withSavedChecks(project: Project, settings: Record<string, unknown> = {}): Project {
  return withSavedKeys({
    ...project,
    meta: { ...project.meta, settings: { ...project.meta.settings, ...settings } },
  });
}

/** A report without what differs between two runs of the same files (times). */
function comparable(report: Report): unknown {
  const { generatedAt: _g, timings: _t, ...rest } = report;
  return rest;
}

async function readReport(file: string): Promise<Report> {
  const loaded = loadReport(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
  if (!loaded.ok) throw new Error(`${file} does not load as a report`);
  return loaded.value;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-project-'));
  demo = await loadDemoProject();
  // a rehearsal drop of the demo's extracts under names nobody saved
  await writeFile(path.join(dir, 'pts-2026-11.csv'), await demoFirstRows('patients.csv', 300));
  await writeFile(path.join(dir, 'enc-2026-11.csv'), await demoFirstRows('encounters.csv', 600));
  await writeFile(
    path.join(dir, 'all-patients.csv'),
    await readFile(path.join(ROOT, 'samples/legacy/patients.csv')),
  );
  await projectFile('saved.preflight.json', withSavedChecks(demo));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight validate --project binds each file to a saved check set by its header', () => {
  it('checks renamed files with their check sets: the same report as the same settings given as options', async () => {
    const bound = await runCli(
      [
        'validate',
        'pts-2026-11.csv',
        'enc-2026-11.csv',
        '--project',
        'saved.preflight.json',
        '--report',
        'bound.json',
      ],
      dir,
    );
    expect(bound.err).toBe('');
    expect(bound.code).toBe(1);
    expect(bound.out).toContain('pts-2026-11.csv: check set "patients.csv" (the same columns)');
    expect(bound.out).toContain(
      'enc-2026-11.csv: check set "encounters.csv" (the same columns): contract urn:preflight:sample:encounters-contract; key encounter_id; patient_id → pts-2026-11.csv.patient_id',
    );
    const given = await runCli(
      [
        'validate',
        'pts-2026-11.csv',
        'enc-2026-11.csv',
        '--schema',
        `pts-2026-11.csv=${path.join(CONTRACTS, 'patients.contract.json')}`,
        '--schema',
        `enc-2026-11.csv=${path.join(CONTRACTS, 'encounters.contract.json')}`,
        '--key',
        'pts-2026-11.patient_id',
        '--key',
        'enc-2026-11.encounter_id',
        '--references',
        'enc-2026-11.patient_id=pts-2026-11.patient_id',
        '--report',
        'given.json',
      ],
      dir,
    );
    expect(given.code).toBe(1);
    const report = await readReport('bound.json');
    // each input names the check set it was checked as (readiness counts it for that dataset)
    expect(report.inputs.map((i) => i.dataset)).toEqual(['sample:patients.csv', 'sample:encounters.csv']);
    const unnamed = { ...report, inputs: report.inputs.map(({ dataset: _, ...input }) => input) };
    // what depends on a failing column comes from the project's data dictionary: without a project
    // no issue has it
    const asGiven = await readReport('given.json');
    expect(report.issues.some((i) => i.usedBy)).toBe(true);
    expect(asGiven.issues.some((i) => i.usedBy)).toBe(false);
    const untraced = { ...unnamed, issues: unnamed.issues.map(({ usedBy: _, ...issue }) => issue) };
    expect(comparable(untraced)).toEqual(comparable(asGiven));
    // the contracts, the key's demographics and the saved link all ran
    expect(report.inputs.map((i) => i.schema)).toEqual([
      'urn:preflight:sample:patients-contract',
      'urn:preflight:sample:encounters-contract',
    ]);
    expect([
      ...new Set(report.crossFile.orphanReferences.map((o) => `${o.input} ${o.column} → ${o.target}`)),
    ]).toEqual(['enc-2026-11.csv patient_id → pts-2026-11.csv#patient_id']);
    expect(report.issues.some((i) => i.rule.startsWith('contract.'))).toBe(true);
  });

  it('names the steps, roles and cases an hour that use each failing column in --json (usedBy)', async () => {
    const run = await runCli(
      ['validate', 'pts-2026-11.csv', '--project', 'saved.preflight.json', '--json'],
      dir,
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as Report;
    expect(loadReport(report).ok).toBe(true);
    const usedBy = (location: string) =>
      report.issues
        .find((i) => i.location === location && i.severity === 'error')
        ?.usedBy?.map((u) => `${u.item}: ${u.workflow} ${u.step} (${u.role}) ${u.casesPerHour}/h`);
    // the demo's data lead linked allergies and the phone column to the planned intake and referrals
    expect(usedBy('allergies')).toEqual([
      'allergies: patient-intake-future ma-allergy-med-entry (Medical assistant) 10/h',
      'allergies: patient-intake-future portal-preregistration (Patient (self-service)) 10/h',
    ]);
    expect(usedBy('phone')).toEqual([
      'demographics.phone: patient-intake-future portal-preregistration (Patient (self-service)) 10/h',
      'demographics.phone: referral-processing-future register-from-efax (Front desk) 1.5/h',
    ]);
    // a column no confirmed link carries is used by nothing the project knows
    expect(usedBy('city')).toBeUndefined();
    // and the summary for people says it under the issue
    const text = await runCli(['validate', 'pts-2026-11.csv', '--project', 'saved.preflight.json'], dir);
    expect(text.out).toMatch(
      /error contract\.required allergies × 1[^\n]*\n {4}Used by 2 steps \(Medical assistant, Patient \(self-service\)\) · 20 cases\/h\n/,
    );
  });

  it('refuses a differently shaped file named patients.csv by name (exit 2), and checks it with --schema', async () => {
    await writeFile(
      path.join(dir, 'patients.csv'),
      'Id,BIRTHDATE,FIRST,LAST,GENDER\r\n1,1990-01-01,Ann,Lee,F\r\n2,1991-02-02,Bo,Kim,M\r\n',
    );
    const refused = await runCli(
      [
        'validate',
        'patients.csv',
        'enc-2026-11.csv',
        '--project',
        'saved.preflight.json',
        '--report',
        'r.json',
      ],
      dir,
    );
    expect(refused.code).toBe(2);
    expect(refused.out).toBe('');
    expect(refused.err).toContain(
      'patients.csv: its columns match no check set saved in "saved.preflight.json", so it is not checked.',
    );
    expect(refused.err).toContain(
      'Its saved check sets: "encounters.csv" (8 columns), "patients.csv" (18 columns).',
    );
    expect(refused.err).toContain('--schema <file>=contract.json');
    expect(refused.err).not.toContain('enc-2026-11.csv');
    const checked = await runCli(
      [
        'validate',
        'patients.csv',
        'enc-2026-11.csv',
        '--project',
        'saved.preflight.json',
        '--schema',
        `patients.csv=${path.join(CONTRACTS, 'patients.contract.json')}`,
        '--report',
        'forced.json',
      ],
      dir,
    );
    expect(checked.code).toBe(1);
    expect(checked.out).toContain('patients.csv: no saved check set; checked with the options given');
    expect(checked.out).toContain("given on the command line, replacing the project's: --schema");
    // one header message, not a flood of per-cell errors
    const report = await readReport('forced.json');
    expect(report.inputs[0]?.invalid).toBe(0);
    expect(report.issues.filter((i) => i.rule === 'missing-label').length).toBeGreaterThan(0);
  });

  it('binds a file whose columns are close to a check set, and tells the header difference once', async () => {
    const bytes = (await demoFirstRows('patients.csv', 50)).toString('utf8');
    const [header, ...rest] = bytes.split('\r\n');
    await writeFile(
      path.join(dir, 'renamed-column.csv'),
      [header?.replace('mrn', 'MRN'), ...rest].join('\r\n'),
    );
    const run = await runCli(
      ['validate', 'renamed-column.csv', '--project', 'saved.preflight.json', '--report', 'close.json'],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      'renamed-column.csv: check set "patients.csv" (the closest columns, not the same)',
    );
    expect(run.out).toContain('"MRN" looks like "mrn" renamed');
    const report = await readReport('close.json');
    expect(report.issues.map((i) => i.rule)).toContain('incorrect-label');
  });

  it('lets options replace the saved settings and says so (--key)', async () => {
    const run = await runCli(
      [
        'validate',
        'all-patients.csv',
        '--project',
        'saved.preflight.json',
        '--key',
        'mrn',
        '--report',
        'key.json',
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.out).toContain('key mrn');
    expect(run.out).not.toContain('key patient_id');
    expect(run.out).toContain("given on the command line, replacing the project's: --key");
    const saved = await runCli(
      ['validate', 'all-patients.csv', '--project', 'saved.preflight.json', '--report', 'nokey.json'],
      dir,
    );
    expect(saved.out).toContain('key patient_id');
    expect(saved.out).not.toContain('replacing');
    // the demo's patients repeat an mrn, never a patient_id
    expect((await readReport('key.json')).crossFile.duplicateKeys.map((d) => d.column)).toContain('mrn');
    expect((await readReport('nokey.json')).crossFile.duplicateKeys).toEqual([]);
  });

  it("checks the records a check set's saved mapping makes, unless --mapping gives another", async () => {
    const mapped = withSavedChecks(demo);
    await projectFile('mapped.preflight.json', {
      ...mapped,
      datasets: mapped.datasets.map((d) =>
        d.id === 'sample:patients.csv' ? { ...d, mapping: 'patients-to-fhir-patient' } : d,
      ),
    });
    const saved = await runCli(
      ['validate', 'pts-2026-11.csv', '--project', 'mapped.preflight.json', '--report', 'mapped.json'],
      dir,
    );
    expect(saved.code).toBe(1);
    expect(saved.out).toContain('records also checked with the mapping patients-to-fhir-patient');
    const report = await readReport('mapped.json');
    expect(report.target).toMatchObject({ type: 'fhir', resourceType: 'Patient' });
    expect(report.mapping?.id).toBe('patients-to-fhir-patient');
    const given = await runCli(
      [
        'validate',
        'pts-2026-11.csv',
        '--project',
        'mapped.preflight.json',
        '--mapping',
        path.join(ROOT, 'samples/mappings/patients-to-fhir-patient.json'),
        '--report',
        'given-mapping.json',
      ],
      dir,
    );
    expect(given.out).toContain('its saved mapping is replaced by the --mapping given');
    expect(given.out).toContain("replacing the project's: --mapping");
    // the bundled mapping file is the one the demo project saved: the same report
    expect(comparable(await readReport('given-mapping.json'))).toEqual(comparable(report));
    const unmapped = await runCli(['validate', 'pts-2026-11.csv', '--project', 'saved.preflight.json'], dir);
    expect(unmapped.out).not.toContain('mapping');
  });

  it("checks the mapped records with the project's FHIR checks, unless options replace them", async () => {
    const mapped = withSavedChecks(demo, {
      fhirChecks: { off: ['invariants'], unknownExtensions: 'warning' },
    });
    const lenient: Project = {
      ...mapped,
      // the mapping writes an extension of the clinic's own: unknown to the specification
      mappings: mapped.mappings.map((m) =>
        m.id === 'patients-to-fhir-patient'
          ? {
              ...m,
              fields: [
                ...m.fields,
                {
                  target: 'extension[0].url',
                  const: 'http://maple-street-clinic.test/fhir/ext/allergy-note',
                },
                { target: 'extension[0].valueString', from: 'allergies' },
              ],
            }
          : m,
      ),
      datasets: mapped.datasets.map((d) =>
        d.id === 'sample:patients.csv' ? { ...d, mapping: 'patients-to-fhir-patient' } : d,
      ),
    };
    await projectFile('mapped-lenient.preflight.json', lenient);
    const table: { argv: string[]; severity: string; line: string }[] = [
      {
        argv: [],
        severity: 'warning',
        line: 'FHIR checks of mapped-lenient.preflight.json: switched off: invariants; unknown extensions as warnings',
      },
      {
        argv: ['--unknown-extensions', 'error'],
        severity: 'error',
        line: "given on the command line, replacing the project's: --unknown-extensions",
      },
      {
        argv: ['--skip', 'extensions'],
        severity: 'none',
        line: "given on the command line, replacing the project's: --skip",
      },
    ];
    for (const { argv, severity, line } of table) {
      const run = await runCli(
        [
          'validate',
          'pts-2026-11.csv',
          '--project',
          'mapped-lenient.preflight.json',
          ...argv,
          '--report',
          'm.json',
        ],
        dir,
      );
      expect(run.err).toBe('');
      expect(run.out).toContain(line);
      const unknown = (await readReport('m.json')).issues.filter((i) => i.rule === 'fhir-unknown-extension');
      expect(unknown.map((i) => i.severity)).toEqual(severity === 'none' ? [] : [severity]);
    }
    // a project with implementation guide packages: its records mapped to FHIR are checked against
    // their profiles, so the packages must be given, as for FHIR files
    await projectFile('mapped-ips.preflight.json', {
      ...lenient,
      meta: {
        ...lenient.meta,
        settings: {
          ...lenient.meta.settings,
          fhirPackages: [
            {
              fileName: 'ips.tgz',
              name: 'hl7.fhir.uv.ips',
              version: '2.0.0',
              sha256: 'a'.repeat(64),
              bytes: 1,
            },
          ],
        },
      },
    });
    const withPackages = await runCli(
      ['validate', 'pts-2026-11.csv', '--project', 'mapped-ips.preflight.json'],
      dir,
    );
    expect(withPackages.code).toBe(2);
    expect(withPackages.err).toContain(
      'checks FHIR with an implementation guide package not given with --ig:\n  hl7.fhir.uv.ips 2.0.0 (added in the app as ips.tgz)',
    );
    const given = await runCli(
      ['validate', 'pts-2026-11.csv', '--project', 'mapped-ips.preflight.json', '--ig', IPS_TGZ],
      dir,
    );
    expect(given.code).toBe(1);
    expect(given.err).toBe('');
    expect(given.out).toContain('records mapped to FHIR: profiles of hl7.fhir.uv.ips#2.0.0 applied');
  });

  it('reports a file that is not text as one problem, bound to nothing; the others are checked', async () => {
    await writeFile(path.join(dir, 'scan.csv'), Buffer.from('%PDF-1.4\x00\x01\n%\xe2\xe3\n', 'latin1'));
    const run = await runCli(
      ['validate', 'scan.csv', 'pts-2026-11.csv', '--project', 'saved.preflight.json'],
      dir,
    );
    expect(run.err).toBe('');
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      'scan.csv: not a text file, so no check set is bound to it (its problem is in the report); checked as it is: no contract; no key',
    );
    expect(run.out).toContain('pts-2026-11.csv: check set "patients.csv" (the same columns)');
    expect(run.out).toContain(
      'fatal csv.not-text (file scan.csv) × 1: scan.csv is not a text file (a zero byte at byte 8, line 1)',
    );
  });

  it('checks an empty file as it is (a warning; an error with --fail-on-empty)', async () => {
    await writeFile(path.join(dir, 'empty.csv'), '');
    const run = await runCli(
      ['validate', 'empty.csv', 'pts-2026-11.csv', '--project', 'saved.preflight.json', '--fail-on-empty'],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.out).toContain('empty.csv: no column names to match a saved check set by');
    expect(run.out).toContain('1 file with no records: empty.csv (--fail-on-empty)');
  });
});

describe('preflight validate --project refuses a project file it cannot use (exit 2, before any extract)', () => {
  const table: { description: string; write: () => Promise<string>; message: string }[] = [
    {
      description: 'no such file',
      write: async () => 'missing.preflight.json',
      message: 'cannot read project file "missing.preflight.json": no such file.',
    },
    {
      description: 'not JSON',
      write: async () => {
        await writeFile(path.join(dir, 'broken.json'), '{"format": "preflight.project/v1",');
        return 'broken.json';
      },
      message: 'project file "broken.json":',
    },
    {
      description: 'another kind of file',
      write: async () => {
        await writeFile(
          path.join(dir, 'report-not-project.json'),
          JSON.stringify({ format: 'preflight.report/v1' }),
        );
        return 'report-not-project.json';
      },
      message: '"report-not-project.json" is not a usable project file',
    },
    {
      description: 'a project changed after export (integrity)',
      write: async () => {
        const file = createProjectFile(withSavedChecks(demo), {
          now: '2026-11-24T10:00:00Z',
          appVersion: '0',
        });
        const changed = { ...file, project: { ...file.project, datasets: [] } };
        await writeFile(path.join(dir, 'tampered.json'), JSON.stringify(changed));
        return 'tampered.json';
      },
      message: '"tampered.json" is not a usable project file',
    },
  ];
  it.each(table)('$description', async ({ write, message }) => {
    const project = await write();
    // the extract does not exist either: the project is read first, and its problem is the one told
    for (const argv of [
      ['validate', 'no-such-extract.csv', '--project', project],
      ['validate', '--fhir', 'no-such-export.ndjson', '--project', project],
      ['fhir', 'validate', 'no-such-export.ndjson', '--project', project],
    ]) {
      const run = await runCli(argv, dir);
      expect(run.code).toBe(2);
      expect(run.out).toBe('');
      expect(run.err).toContain(message);
      expect(run.err).not.toContain('no-such');
    }
  });
});

describe('preflight fhir validate --project traces a failing element through the mapping', () => {
  it("names the steps that type the element's source column (usedBy), in --json and in the summary", async () => {
    // the demo's data lead linked demographics.name to patients.csv's last_name, which the Patient
    // mapping writes to name[0].family: an empty family name is used where names are typed
    const unnamed = JSON.stringify({
      resourceType: 'Patient',
      id: 'p9',
      name: [{ use: 'official', family: '', given: ['Ana'] }],
    });
    await writeFile(path.join(dir, 'Unnamed.ndjson'), `${unnamed}\n`);
    const run = await runCli(
      ['fhir', 'validate', 'Unnamed.ndjson', '--project', 'saved.preflight.json', '--json'],
      dir,
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as Report;
    expect(loadReport(report).ok).toBe(true);
    const family = report.issues.find(
      (i) => /^Patient\.name(\[0\])?\.family/.test(i.location) && i.severity === 'error',
    );
    expect(
      family?.usedBy?.map((u) => `${u.item}: ${u.workflow} ${u.step} (${u.role}) ${u.casesPerHour}/h`),
    ).toEqual(['demographics.name: referral-processing-future register-from-efax (Front desk) 1.5/h']);
    const text = await runCli(
      ['fhir', 'validate', 'Unnamed.ndjson', '--project', 'saved.preflight.json'],
      dir,
    );
    expect(text.out).toMatch(
      /Patient\.name(\[0\])?\.family[^\n]*\n {11}Used by 1 step \(Front desk\) · 1\.5 cases\/h$/m,
    );
  });
});

describe('preflight validate --fhir --project applies the project FHIR checks', () => {
  const patient = JSON.stringify({
    resourceType: 'Patient',
    id: 'p1',
    extension: [{ url: 'http://clinic.example/fhir/StructureDefinition/legacy-flag', valueBoolean: true }],
    gender: 'female',
  });
  beforeAll(async () => {
    await writeFile(path.join(dir, 'Patient.ndjson'), `${patient}\n`);
    await projectFile(
      'fhir-lenient.preflight.json',
      withSavedChecks(demo, {
        fhirChecks: { off: ['bindings', 'references'], unknownExtensions: 'warning' },
      }),
    );
  });

  const table: { description: string; argv: string[]; code: number; layers: string[]; severity: string }[] = [
    {
      description: 'without a project: every layer, unknown extensions are errors',
      argv: [],
      code: 1,
      layers: [
        'json',
        'structure',
        'cardinality',
        'values',
        'extensions',
        'invariants',
        'bindings',
        'references',
      ],
      severity: 'error',
    },
    {
      description: "the project's checks: two layers off, unknown extensions are warnings",
      argv: ['--project', 'fhir-lenient.preflight.json'],
      code: 0,
      layers: ['json', 'structure', 'cardinality', 'values', 'extensions', 'invariants'],
      severity: 'warning',
    },
    {
      description: 'options replace the project: --unknown-extensions error and --skip invariants',
      argv: [
        '--project',
        'fhir-lenient.preflight.json',
        '--unknown-extensions',
        'error',
        '--skip',
        'invariants',
      ],
      code: 1,
      layers: ['json', 'structure', 'cardinality', 'values', 'extensions', 'bindings', 'references'],
      severity: 'error',
    },
  ];
  it.each(table)('$description', async ({ argv, code, layers, severity }) => {
    for (const command of [
      ['validate', '--fhir'],
      ['fhir', 'validate'],
    ]) {
      const run = await runCli([...command, 'Patient.ndjson', ...argv, '--report', 'fhir.json'], dir);
      expect(run.code).toBe(code);
      const report = await readReport('fhir.json');
      const target = report.target?.type === 'fhir' ? report.target : undefined;
      expect(target?.layers).toEqual(layers);
      expect(target?.unknownExtensions ?? 'error').toBe(severity);
      const unknown = report.issues.find((i) => i.rule === 'fhir-unknown-extension');
      expect(unknown?.severity).toBe(severity);
      if (argv.length > 0)
        expect(run.out).toContain(
          'FHIR checks of fhir-lenient.preflight.json: switched off: bindings, references',
        );
      if (argv.length > 2) expect(run.out).toContain("replacing the project's: --skip, --unknown-extensions");
    }
  });
  it('accepts extensions at example addresses when the project does, as --allow-example-urls', async () => {
    const tester = JSON.stringify({
      resourceType: 'Patient',
      id: 't1',
      modifierExtension: [
        { url: 'http://example.org/fhir/StructureDefinition/test-only', valueBoolean: true },
      ],
    });
    await writeFile(path.join(dir, 'TestPatient.ndjson'), `${tester}\n`);
    await projectFile(
      'fhir-test-data.preflight.json',
      withSavedChecks(demo, { fhirChecks: { allowExampleUrls: true } }),
    );
    for (const command of [
      ['validate', '--fhir'],
      ['fhir', 'validate'],
    ]) {
      const without = await runCli([...command, 'TestPatient.ndjson', '--report', 'strict.json'], dir);
      expect(without.code).toBe(1);
      const run = await runCli(
        [
          ...command,
          'TestPatient.ndjson',
          '--project',
          'fhir-test-data.preflight.json',
          '--report',
          'test.json',
        ],
        dir,
      );
      expect(run.code).toBe(0);
      expect(run.out).toContain('extensions at example addresses accepted (test data)');
      const report = await readReport('test.json');
      expect(report.target?.type === 'fhir' && report.target.allowExampleUrls).toBe(true);
    }
  });
});
