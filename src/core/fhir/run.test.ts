/**
 * Inputs and the report: NDJSON streamed in arbitrary chunks (BOM, CRLF, blank lines, a broken
 * line that does not stop the rest), single files, references across an export, the report's
 * grouping and its schema, and the OperationOutcome per resource.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadReport } from '../../formats/report.ts';
import { generatedModules } from './generatedModules.ts';
import { createFhirRun, groupLocation, ndjsonLines, parseFhirJson } from './run.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);
const TIMES = {
  startedAt: '2026-01-01T00:00:00Z',
  generatedAt: '2026-01-01T00:00:01Z',
  totalMs: 1000,
  version: '0.1.0',
};

async function* chunked(text: string, sizes: number[]): AsyncGenerator<string> {
  let at = 0;
  let i = 0;
  while (at < text.length) {
    const size = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    yield text.slice(at, at + size);
    at += size;
  }
}

async function lines(text: string, sizes: number[] = [7]) {
  const out: { line: number; text: string }[] = [];
  for await (const l of ndjsonLines(chunked(text, sizes))) out.push(l);
  return out;
}

describe('ndjsonLines', () => {
  it.each([
    { description: 'LF', input: 'a\nb\n', expected: ['1:a', '2:b'] },
    { description: 'CRLF', input: 'a\r\nb\r\n', expected: ['1:a', '2:b'] },
    { description: 'no final newline', input: 'a\nb', expected: ['1:a', '2:b'] },
    { description: 'a BOM at the start', input: '\uFEFFa\nb', expected: ['1:a', '2:b'] },
    { description: 'blank lines keep their numbers', input: 'a\n\nb\n', expected: ['1:a', '2:', '3:b'] },
  ])('$description', async ({ input, expected }) => {
    expect((await lines(input)).map((l) => `${l.line}:${l.text}`)).toEqual(expected);
  });

  it('gives the same lines whatever the chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\r\n', '{', '😀') }), { maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        async (parts, sizes) => {
          const text = parts.join('');
          expect(await lines(text, sizes)).toEqual(await lines(text, [text.length + 1]));
        },
      ),
    );
  });
});

describe('parseFhirJson', () => {
  it('gives line and column of a syntax error, never the text', () => {
    const result = parseFhirJson('{\n  "resourceType": "Patient",\n  "name": [ "Smith" }\n}');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({ rule: 'fhir-json-syntax', severity: 'fatal', line: 3, column: 21 });
    expect(result.issue.message).not.toContain('Smith');
  });

  it('accepts a byte-order mark', () => {
    expect(parseFhirJson('\uFEFF{"resourceType":"Patient"}')).toEqual({
      ok: true,
      value: { resourceType: 'Patient' },
    });
  });
});

describe('a FHIR run', () => {
  const ndjson = [
    JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'M' }),
    '{"resourceType": "Patient", "id": "p2",',
    '',
    JSON.stringify({
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: 'Patient/p1' },
    }),
    JSON.stringify({
      resourceType: 'Observation',
      id: 'o2',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: 'Patient/p9' },
    }),
    JSON.stringify({ resourceType: 'Patient', id: 'p3', gender: 'F' }),
  ].join('\r\n');

  it('validates every NDJSON line, reports a broken one with its line, and groups issues', async () => {
    const outcomes: number[] = [];
    const run = createFhirRun(session, { onRecord: (o) => outcomes.push(o.row) });
    await run.addNdjson('export.ndjson', chunked(ndjson, [13, 5]), ndjson.length);
    const report = run.report(TIMES);
    expect(loadReport(report)).toMatchObject({ ok: true });
    expect(outcomes).toEqual([1, 2, 4, 5, 6]);
    expect(report.summary).toEqual({ records: 5, valid: 2, invalid: 3, errors: 3, warnings: 1 });
    expect(report.inputs).toEqual([
      {
        name: 'export.ndjson',
        kind: 'ndjson',
        bytes: ndjson.length,
        records: 5,
        invalid: 3,
      },
    ]);
    const gender = report.issues.find((i) => i.rule === 'fhir-value-not-allowed');
    expect(gender).toMatchObject({ location: 'Patient.gender', count: 2 });
    expect(gender?.examples).toEqual([
      { input: 'export.ndjson', row: 1, column: 'Patient.gender', value: 'M' },
      { input: 'export.ndjson', row: 6, column: 'Patient.gender', value: 'F' },
    ]);
    expect(report.issues.find((i) => i.rule === 'fhir-json-syntax')).toMatchObject({
      severity: 'fatal',
      count: 1,
      examples: [{ input: 'export.ndjson', row: 2, column: 'line 2, column 40' }],
    });
    // Patient/p9 is not in the export: a warning at the end; Patient/p1 is
    expect(report.issues.find((i) => i.rule === 'fhir-reference-not-in-export')).toMatchObject({
      severity: 'warning',
      location: 'Observation.subject.reference',
      count: 1,
      examples: [{ row: 5, value: 'Patient/p9' }],
    });
  });

  it('refuses a file that is not text as one fatal problem on it, and checks the others', async () => {
    const good = JSON.stringify({ resourceType: 'Patient', id: 'p1' });
    const run = createFhirRun(session);
    // a stream stopped at a bad byte on line 2: line 1 was checked, the file has one fatal problem
    await run.addNdjson('latin1.ndjson', chunked(`${good}\n`, [64]), 100);
    run.refuseText('latin1.ndjson', 'ndjson', { byteOffset: 91, line: 2, binary: false });
    // a binary file refused before any line
    run.refuseText('scan.ndjson', 'ndjson', { byteOffset: 10, line: 1, binary: true }, 2048);
    await run.addNdjson('good.ndjson', chunked(good, [64]));
    const report = run.report(TIMES);
    expect(loadReport(report)).toMatchObject({ ok: true });
    expect(report.summary).toEqual({ records: 4, valid: 2, invalid: 2, errors: 2, warnings: 0 });
    expect(report.inputs.map((i) => [i.name, i.records, i.invalid])).toEqual([
      ['latin1.ndjson', 2, 1],
      ['scan.ndjson', 1, 1],
      ['good.ndjson', 1, 0],
    ]);
    expect(report.issues.filter((i) => i.severity === 'fatal')).toEqual([
      {
        rule: 'fhir-not-utf8',
        severity: 'fatal',
        code: 'structure',
        location: '',
        message: expect.stringMatching(
          /^latin1\.ndjson is not valid UTF-8 text: the byte at line 2, byte 91 cannot be read in that encoding; export the file again as UTF-8/,
        ),
        count: 1,
        examples: [{ input: 'latin1.ndjson', row: 2, column: 'byte 91' }],
      },
      {
        rule: 'fhir-not-text',
        severity: 'fatal',
        code: 'structure',
        location: '',
        message: expect.stringMatching(
          /^scan\.ndjson is not a text file \(a zero byte at byte 10, line 1\): check that it is the right file/,
        ),
        count: 1,
        examples: [{ input: 'scan.ndjson', row: 1, column: 'byte 10' }],
      },
    ]);
  });

  it('validates a whole Bundle file as one record with entry locations', async () => {
    const run = createFhirRun(session);
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0',
          resource: { resourceType: 'Patient', birthDate: '2023-02-30' },
        },
      ],
    };
    await run.addJson('bundle.json', JSON.stringify(bundle));
    const report = run.report(TIMES);
    expect(report.summary).toMatchObject({ records: 1, invalid: 1 });
    expect(report.issues[0]).toMatchObject({
      rule: 'fhir-impossible-date',
      location: 'Bundle.entry.resource.birthDate',
      examples: [{ row: 1, column: 'Bundle.entry[0].resource.birthDate', value: '2023-02-30' }],
    });
  });

  it('counts every reference to a resource missing from the export, keeping few examples', async () => {
    const run = createFhirRun(session, { maxExamples: 2 });
    const text = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({
        resourceType: 'Observation',
        id: `o${i}`,
        status: 'final',
        code: { text: 'x' },
        subject: { reference: 'Patient/gone' },
      }),
    ).join('\n');
    await run.addNdjson('obs.ndjson', chunked(text, [100]));
    const issue = run.report(TIMES).issues.find((i) => i.rule === 'fhir-reference-not-in-export');
    expect(issue).toMatchObject({ count: 10, location: 'Observation.subject.reference' });
    expect(issue?.examples.map((e) => e.row)).toEqual([1, 2]);
  });

  it('resolves a versioned reference by its type and id, and leaves other forms to the validator', async () => {
    const run = createFhirRun(session);
    const observation = (id: string, reference: string) =>
      JSON.stringify({
        resourceType: 'Observation',
        id,
        status: 'final',
        code: { text: 'x' },
        subject: { reference },
      });
    const text = [
      JSON.stringify({ resourceType: 'Patient', id: 'p1' }),
      observation('o1', 'Patient/p1/_history/3'),
      observation('o2', 'Patient/p7/_history/1'),
      observation('o3', 'https://other.example/fhir/Patient/p8'),
      observation('o4', 'urn:uuid:9b3c0a3e-0f5e-4f7e-9d6b-2f1d9d1c5b7a'),
    ].join('\n');
    await run.addNdjson('obs.ndjson', chunked(text, [64]));
    const missing = run.report(TIMES).issues.filter((i) => i.rule === 'fhir-reference-not-in-export');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ count: 1, examples: [{ row: 3, value: 'Patient/p7/_history/1' }] });
  });

  it('keeps at most maxExamples examples but counts every occurrence', async () => {
    const run = createFhirRun(session, { maxExamples: 2 });
    const text = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'x' }),
    ).join('\n');
    await run.addNdjson('many.ndjson', chunked(text, [1000]));
    const [issue] = run.report(TIMES).issues;
    expect(issue).toMatchObject({ count: 5 });
    expect(issue?.examples).toHaveLength(2);
  });
});

describe('groupLocation', () => {
  it('groups locations without indices', () => {
    expect(groupLocation('Bundle.entry[57].resource.name[0].family')).toBe(
      'Bundle.entry.resource.name.family',
    );
  });
});

describe('what the invariants leave unchecked, in the report', () => {
  const notChecked = async (resource: unknown, layers?: Parameters<typeof createFhirSession>[1]) => {
    const run = createFhirRun(layers ? await createFhirSession(generatedModules, layers) : session);
    await run.addJson('r.json', JSON.stringify(resource));
    const report = run.report(TIMES);
    expect(loadReport(report)).toMatchObject({ ok: true });
    return (report.inputs[0]?.notChecked ?? []).map((line) => line.split(' ').slice(0, 3).join(' '));
  };

  it.each([
    {
      description: 'a Patient: none (dom-3 is checked)',
      resource: { resourceType: 'Patient' },
      expected: [],
    },
    {
      description: 'a StructureDefinition: eld-3 on a primitive element',
      resource: { resourceType: 'StructureDefinition' },
      expected: ['FHIR rule eld-3'],
    },
    {
      description: 'a Binary: none',
      resource: { resourceType: 'Binary', contentType: 'text/plain' },
      expected: [],
    },
    {
      description: 'a Bundle of a StructureDefinition: eld-3 for the entry',
      resource: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: { resourceType: 'StructureDefinition' } }],
      },
      expected: ['FHIR rule eld-3'],
    },
  ])('$description', async ({ resource, expected }) => {
    expect(await notChecked(resource)).toEqual(expected);
  });

  it('lists none when the invariants layer is switched off (nothing of it is checked)', async () => {
    expect(
      await notChecked({ resourceType: 'StructureDefinition' }, { layers: ['json', 'structure'] }),
    ).toEqual([]);
  });
});

describe('bindings a run did not check', () => {
  const RACE = 'OmbRaceCategories';
  const ETHNICITY = 'OmbEthnicityCategories';
  /** a profile hook that notes two unchecked bindings at one grouped location, as US Core's race and ethnicity */
  const notes = async () =>
    createFhirSession(generatedModules, {
      profiles: {
        check(resource, location, sink) {
          const codings =
            (resource.extension as { extension: { valueCoding: { system: string } }[] }[]) ?? [];
          codings.forEach((holder, i) => {
            const system = holder.extension[0]?.valueCoding.system ?? '';
            const issue = sink.report(
              'fhir-profile-binding-unchecked',
              `${location}.extension[${i}].extension[0].valueCoding`,
              `Extension.extension:ombCategory.value[x]: the required binding to ${i === 0 ? RACE : ETHNICITY} is not checked`,
            );
            if (issue) issue.uncheckedCodes = [system];
          });
        },
        extensionDefined: () => true,
        hasProfile: () => true,
      },
    });
  const patient = (systems: string[]) =>
    JSON.stringify({
      resourceType: 'Patient',
      extension: systems.map((system) => ({
        url: 'http://clinic.test/ext',
        extension: [{ url: 'ombCategory', valueCoding: { system, code: 'x' } }],
      })),
    });

  it('groups the notes per element and value set, and counts the unchecked codes per code system', async () => {
    const run = createFhirRun(await notes());
    const cdc = 'urn:oid:2.16.840.1.113883.6.238';
    const snomed = 'http://snomed.info/sct';
    await run.addNdjson(
      'p.ndjson',
      (async function* () {
        yield `${patient([cdc, cdc])}\n${patient([cdc, snomed])}\n`;
      })(),
    );
    const report = run.report(TIMES);
    expect(
      report.issues
        .filter((i) => i.rule === 'fhir-profile-binding-unchecked')
        .map((i) => `${i.count} ${i.location}: ${i.message}`),
    ).toEqual([
      `2 Patient.extension.extension.valueCoding: Extension.extension:ombCategory.value[x]: the required binding to ${RACE} is not checked`,
      `2 Patient.extension.extension.valueCoding: Extension.extension:ombCategory.value[x]: the required binding to ${ETHNICITY} is not checked`,
    ]);
    expect(report.inputs[0]?.uncheckedCodes).toEqual([
      { system: cdc, count: 3 },
      { system: snomed, count: 1 },
    ]);
    expect(report.inputs[0]?.notChecked).toEqual([
      `3 codes of ${cdc} not checked against the value sets bound to their elements: their value set or code system is not in the loaded packages: load it, or a terminology server can check them`,
      `1 code of SNOMED CT (${snomed}) not checked against the value sets bound to their elements: licensed or large, so in no package: a terminology server can check them`,
      `3 codes of ${cdc}: codes and displays not checked: neither FHIR R4 nor a loaded package defines this code system: load the package that does (or check the URL for a typo), or a terminology server can check them`,
      `1 code of SNOMED CT (${snomed}): codes and displays not checked: licensed or large, so in no package: a terminology server can check them`,
    ]);
    expect(loadReport(report).ok).toBe(true);
  });
});
