import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fhirCases } from '../../../tests/fixtures/fhirTestCases.ts';
import { IPS_TGZ } from '../../../tests/fixtures/ipsPackage.ts';
import { createFhirSession, generatedModules } from '../../core/fhir/index.ts';
import { loadReport } from '../../formats/report.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-fhir-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A value that must never reach the terminal (values may be patient data). */
const SECRET = 'ZZSECRETVALUE';

const ndjson = [
  JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: SECRET }),
  '{"resourceType": "Patient", "id": "p2",',
  JSON.stringify({
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { text: 'w' },
    subject: { reference: 'Patient/p1' },
  }),
].join('\n');

describe('preflight fhir validate', () => {
  it('agrees with the Java validator on the 58 suite cases through the CLI (exit 1 exactly for the invalid ones)', async () => {
    let agree = 0;
    const disagreements: string[] = [];
    for (const c of fhirCases()) {
      const { io } = captureIo(dir);
      const code = await main(['fhir', 'validate', c.file], io);
      expect([0, 1]).toContain(code);
      if ((code === 1) === c.invalid) agree++;
      else disagreements.push(c.name);
    }
    expect(disagreements).toEqual([]);
    expect(agree).toBe(58);
  });

  it('streams NDJSON, reports a broken line by line number, writes the report and outcomes, and prints no value', async () => {
    await writeFile(path.join(dir, 'export.ndjson'), ndjson);
    const { io, out, err } = captureIo(dir);
    const code = await main(
      ['fhir', 'validate', 'export.ndjson', '--report', 'report.json', '--outcomes', 'outcomes.ndjson'],
      io,
    );
    expect(code).toBe(1);
    expect(err).toEqual([]);
    expect(out.join('\n')).toContain('3 resources in 1 file: 1 valid, 2 invalid');
    expect(out.join('\n')).toContain('line 2, column');
    expect(out.join('\n')).not.toContain(SECRET);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    expect(loadReport(report)).toMatchObject({ ok: true });
    // the invariants of these resources are all checked (dom-3 too): nothing said unchecked
    expect(out.join('\n')).not.toContain('not checked: FHIR rule');
    expect(report.inputs[0].notChecked).toBeUndefined();
    expect(
      report.issues.find((i: { rule: string }) => i.rule === 'fhir-value-not-allowed').examples[0].value,
    ).toBe(SECRET);
    const outcomes = (await readFile(path.join(dir, 'outcomes.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outcomes.map((o) => [o.row, o.outcome.resourceType, o.outcome.issue[0].severity])).toEqual([
      [1, 'OperationOutcome', 'error'],
      [2, 'OperationOutcome', 'fatal'],
      [3, 'OperationOutcome', 'information'],
    ]);
  });

  it('--outcomes-format bundle writes a FHIR Bundle of OperationOutcomes that is valid R4, naming the profile and the place', async () => {
    const patient = {
      resourceType: 'Patient',
      id: 'secretid',
      meta: { profile: ['http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips'] },
      name: [{ family: SECRET }],
      gender: 'female',
    };
    await writeFile(path.join(dir, 'ips-patient.json'), JSON.stringify(patient, null, 2));
    await writeFile(path.join(dir, 'ips.ndjson'), `${JSON.stringify({ resourceType: 'Patient' })}\n`);
    const { io, err } = captureIo(dir);
    const code = await main(
      [
        'fhir',
        'validate',
        'ips-patient.json',
        'ips.ndjson',
        '--ig',
        IPS_TGZ,
        '--outcomes',
        'outcomes.json',
        '--outcomes-format',
        'bundle',
      ],
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(1);
    const text = await readFile(path.join(dir, 'outcomes.json'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('secretid');
    const bundle = JSON.parse(text);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry.map((e: { link: { url: string }[] }) => e.link[0]?.url)).toEqual([
      'ips-patient.json#line=1',
      'ips.ndjson#line=1',
    ]);
    const birthDate = bundle.entry[0].resource.issue.find(
      (i: { expression?: string[] }) => i.expression?.[0] === 'Patient.birthDate',
    );
    expect(birthDate).toMatchObject({
      severity: 'error',
      // the element that would hold it: the resource, on line 1 column 1 of the file
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line', valueInteger: 1 },
        { url: 'http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col', valueInteger: 1 },
      ],
      diagnostics: expect.stringContaining(
        'profile http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips|2.0.0',
      ),
    });
    const session = await createFhirSession(generatedModules);
    expect((await session.validate(bundle)).issues).toEqual([]);
  });

  it.each([
    [['--outcomes', 'o.json', '--outcomes-format', 'xml'], '--outcomes-format takes "ndjson" or "bundle"'],
    [['--outcomes-format', 'bundle'], '--outcomes-format needs --outcomes'],
  ])('refuses %j with exit 2', async (options, message) => {
    await writeFile(path.join(dir, 'one.json'), JSON.stringify({ resourceType: 'Patient' }));
    const { io, err } = captureIo(dir);
    expect(await main(['fhir', 'validate', 'one.json', ...options], io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  it('reports a resource nested 5,000 deep on its line and validates the other files', async () => {
    const open = '{"url":"http://example.org/x","extension":[';
    const deep = `{"resourceType":"Patient","extension":[${open.repeat(5000)}{"url":"http://example.org/x"}${']}'.repeat(5000)}]}`;
    await writeFile(path.join(dir, 'deep.ndjson'), `{"resourceType":"Patient"}\n${deep}\n`);
    await writeFile(
      path.join(dir, 'other.json'),
      JSON.stringify({ resourceType: 'Patient', gender: SECRET }),
    );
    const { io, out, err } = captureIo(dir);
    const code = await main(['fhir', 'validate', 'deep.ndjson', 'other.json', '--report', 'deep.json'], io);
    expect(err).toEqual([]);
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('3 resources in 2 files: 1 valid, 2 invalid');
    const report = JSON.parse(await readFile(path.join(dir, 'deep.json'), 'utf8'));
    expect(report.issues.find((i: { rule: string }) => i.rule === 'fhir-too-deep')).toMatchObject({
      severity: 'fatal',
      examples: [{ input: 'deep.ndjson', row: 2, column: 'Patient.extension[0]' }],
    });
    expect(report.issues.map((i: { rule: string }) => i.rule)).toContain('fhir-value-not-allowed');
  });

  it('refuses a 17 MB text, a 2,000-character name and 100,000-deep nesting at their places, checking the rest', async () => {
    const deep = `{"resourceType":"Patient","extension":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const long = `{"resourceType":"Patient","text":{"status":"generated","div":"${'x'.repeat(17 * 1024 * 1024)}"}}`;
    await writeFile(
      path.join(dir, 'hostile.ndjson'),
      `{"resourceType":"Patient"}\n${long}\n${deep}\n{"resourceType":"Patient"}\n`,
    );
    await writeFile(path.join(dir, 'named.json'), `{"resourceType":"Patient",\n "${'n'.repeat(2000)}":1}`);
    const { io, out, err } = captureIo(dir);
    const code = await main(
      ['fhir', 'validate', 'hostile.ndjson', 'named.json', '--report', 'hostile.json'],
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('5 resources in 2 files: 2 valid, 3 invalid');
    expect(out.join('\n')).not.toContain('xxxx');
    const report = JSON.parse(await readFile(path.join(dir, 'hostile.json'), 'utf8'));
    expect(report.issues.find((i: { rule: string }) => i.rule === 'fhir-json-too-long')).toMatchObject({
      severity: 'fatal',
      examples: [
        { input: 'hostile.ndjson', row: 2, column: 'line 2, column 62' },
        { input: 'named.json', row: 1, column: 'line 2, column 2' },
      ],
    });
    expect(report.issues.find((i: { rule: string }) => i.rule === 'fhir-too-deep')).toMatchObject({
      examples: [{ input: 'hostile.ndjson', row: 3, column: 'Patient.extension[0]' }],
    });
  }, 60_000);

  it('--redact leaves every value out of the report', async () => {
    await writeFile(path.join(dir, 'export.ndjson'), ndjson);
    const { io } = captureIo(dir);
    expect(await main(['fhir', 'validate', 'export.ndjson', '--redact', '--json'], io)).toBe(1);
    await main(
      ['fhir', 'validate', 'export.ndjson', '--redact', '--report', 'redacted.json'],
      captureIo(dir).io,
    );
    const text = await readFile(path.join(dir, 'redacted.json'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(loadReport(JSON.parse(text))).toMatchObject({ ok: true, value: { redacted: true } });
  });

  it('says a wrong display, a wrong unit and an extensible code, and names each code system not checked once', async () => {
    const condition = {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
            code: 'active',
            display: 'Currently fine',
          },
        ],
      },
      code: {
        coding: [
          { system: 'http://snomed.info/sct', code: '44054006' },
          { system: 'http://example.org/local', code: 'zzz' },
        ],
      },
      subject: { reference: 'Patient/p1' },
    };
    const patient = {
      resourceType: 'Patient',
      id: 'p1',
      maritalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'QQ' }],
      },
    };
    const observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '27113001' }] },
      valueQuantity: { value: 70, system: 'http://unitsofmeasure.org', code: 'notaunit' },
    };
    await writeFile(
      path.join(dir, 'codes.ndjson'),
      [condition, patient, observation].map((r) => JSON.stringify(r)).join('\n'),
    );
    const { io, out } = captureIo(dir);
    expect(await main(['fhir', 'validate', 'codes.ndjson', '--report', 'codes.json'], io)).toBe(1);
    const text = out.join('\n');
    expect(text).toContain(
      'error   Condition.clinicalStatus.coding.display ×1: The display is not one the code system ConditionClinicalStatusCodes (http://terminology.hl7.org/CodeSystem/condition-clinical) gives for the code active: expected "Active" [fhir-code-display-wrong]',
    );
    expect(text).toContain(
      'error   Observation.valueQuantity.code ×1: The unit code is not a valid UCUM unit',
    );
    expect(text).toContain('[fhir-code-not-in-value-set-extensible]');
    expect(
      text.split(
        'not checked: 2 codes of SNOMED CT (http://snomed.info/sct): codes and displays not checked',
      ),
    ).toHaveLength(2);
    expect(text).toContain('not checked: 1 code of http://example.org/local: codes and displays not checked');
    const report = JSON.parse(await readFile(path.join(dir, 'codes.json'), 'utf8'));
    expect(loadReport(report)).toMatchObject({ ok: true });
    // the display the record gives is the problem's example, not part of its message
    expect(
      report.issues.find((i: { rule: string }) => i.rule === 'fhir-code-display-wrong').examples[0].value,
    ).toBe('Currently fine');
  });

  it('--skip switches layers off', async () => {
    await writeFile(
      path.join(dir, 'date.json'),
      JSON.stringify({ resourceType: 'Patient', birthDate: '2023-02-30' }),
    );
    expect(await main(['fhir', 'validate', 'date.json'], captureIo(dir).io)).toBe(1);
    expect(await main(['fhir', 'validate', 'date.json', '--skip', 'values'], captureIo(dir).io)).toBe(0);
  });

  it('--allow-example-urls accepts a modifier extension at example.org, an error by default', async () => {
    await writeFile(
      path.join(dir, 'example-modifier.json'),
      JSON.stringify({
        resourceType: 'Patient',
        modifierExtension: [{ url: 'http://example.org/fhir/ext/x', valueString: 'x' }],
      }),
    );
    expect(await main(['fhir', 'validate', 'example-modifier.json'], captureIo(dir).io)).toBe(1);
    expect(
      await main(['fhir', 'validate', 'example-modifier.json', '--allow-example-urls'], captureIo(dir).io),
    ).toBe(0);
  });

  it.each([
    { description: 'no file', args: [], message: 'give at least one FHIR file' },
    {
      description: 'an unknown layer',
      args: ['x.json', '--skip', 'spelling'],
      message: 'unknown layer "spelling"',
    },
    {
      description: 'skipping the json layer',
      args: ['x.json', '--skip', 'json'],
      message: 'the json layer cannot be skipped',
    },
    {
      description: 'a missing file',
      args: ['missing.json'],
      message: 'cannot read "missing.json": no such file',
    },
  ])('exits 2 for $description', async ({ args, message }) => {
    const { io, err } = captureIo(dir);
    expect(await main(['fhir', 'validate', ...args], io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  /** A resource line of 90 bytes and its newline: the bad byte of line 2 is at byte 91. */
  const line1 = JSON.stringify({ resourceType: 'Patient', id: 'p1', name: [{ family: 'x'.repeat(31) }] });
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0x00, 0x0a, 0x31])]);
  it.each([
    {
      description: 'a Latin-1 byte on line 2 of an NDJSON export',
      file: 'latin1.ndjson',
      bytes: Buffer.concat([Buffer.from(`${line1}\n`), Buffer.from([0xe9, 0x0a])]),
      rule: 'fhir-not-utf8',
      words:
        'latin1.ndjson is not valid UTF-8 text: the byte at line 2, byte 91 cannot be read in that encoding; export the file again as UTF-8',
      row: 2,
      byte: 91,
      // the bad byte is in the first chunk read: line 1 is not checked either
      records: 1,
    },
    {
      description: 'a PDF named .ndjson',
      file: 'scan.ndjson',
      bytes: pdf,
      rule: 'fhir-not-text',
      words:
        'scan.ndjson is not a text file (a zero byte at byte 12, line 2): check that it is the right file',
      row: 2,
      byte: 12,
      records: 1,
    },
    {
      description: 'a PDF named .json',
      file: 'scan.json',
      bytes: pdf,
      rule: 'fhir-not-text',
      words: 'scan.json is not a text file (a zero byte at byte 12, line 2)',
      row: 2,
      byte: 12,
      records: 1,
    },
  ])('reports $description as one fatal problem on it and checks the other files (exit 1)', async (row) => {
    expect(line1.length).toBe(90);
    await writeFile(path.join(dir, row.file), row.bytes);
    await writeFile(
      path.join(dir, 'fine.ndjson'),
      `${line1}\n${JSON.stringify({ resourceType: 'Patient', gender: SECRET })}\n`,
    );
    for (const command of [
      ['fhir', 'validate'],
      ['validate', '--fhir'],
    ]) {
      const { io, out, err } = captureIo(dir);
      const code = await main([...command, row.file, 'fine.ndjson', '--report', 'refused.json'], io);
      expect(err).toEqual([]);
      expect(code).toBe(1);
      const text = out.join('\n');
      expect(text).toContain(row.words);
      expect(text).toContain(`${row.records + 2} resources in 2 files`);
      expect(text).not.toContain(SECRET);
      const report = JSON.parse(await readFile(path.join(dir, 'refused.json'), 'utf8'));
      expect(loadReport(report)).toMatchObject({ ok: true });
      // the refused file is in the report with its fingerprint, the other file's results beside it
      expect(report.inputs).toEqual([
        expect.objectContaining({
          name: row.file,
          records: row.records,
          invalid: 1,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
        expect.objectContaining({ name: 'fine.ndjson', records: 2, invalid: 1 }),
      ]);
      expect(report.issues.find((i: { rule: string }) => i.rule === row.rule)).toMatchObject({
        severity: 'fatal',
        count: 1,
        examples: [{ input: row.file, row: row.row, column: `byte ${row.byte}` }],
      });
      expect(report.issues.map((i: { rule: string }) => i.rule)).toContain('fhir-value-not-allowed');
    }
  });
});
