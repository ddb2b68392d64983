/**
 * `preflight validate <csv> --mapping m.json`: the table of tests/fixtures/mappedFhirCases.ts
 * through the CLI (same summary and issues as the core and the worker, exit 1 exactly when a row
 * has an error), the demo's documented counts, the same reports when `--workers 2` validates a
 * mapped file in a worker (each case of the table, a slice of the demo), and every way a
 * mapping cannot be used (exit 2, a message naming the mapping, the file and where — never a
 * value).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  issueHeads,
  MAPPED_FHIR_CASES,
  MAPPED_FHIR_DEMO,
  MAPPED_TRACE_CASES,
  tracedLines,
} from '../../../tests/fixtures/mappedFhirCases.ts';
import { tracedSentence } from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';
import {
  expectBothRuns,
  oneAndTwoWorkers,
  readReport,
  threadThenWorker,
  writeSlice,
} from '../testing/mappingRuns.ts';
import { closeValidateWorkers } from '../validateWorkers.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../../../samples');
const PATIENTS = path.join(SAMPLES, 'legacy/patients.csv');
const DEMO_MAPPING = path.join(SAMPLES, 'mappings/patients-to-fhir-patient.json');
/** Rows of the demo validated twice on each path by the --workers test. */
const DEMO_SLICE_ROWS = 1_500;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-validate-mapping-'));
});
afterAll(async () => {
  await closeValidateWorkers();
  await rm(dir, { recursive: true, force: true });
});

describe('preflight validate --mapping (a mapping to an R4 resource type)', () => {
  // each case on this thread, then in a worker (the second of two files, the first its header
  // alone): both give the table's summary and issues, the same findings and exit code (the demo's
  // whole report in a worker: the --workers describe below)
  it.each(MAPPED_FHIR_CASES)('$description', async ({ csv, mapping, options = {}, summary, issues }) => {
    const flags = [
      ...(options.unknownExtensions ? ['--unknown-extensions', options.unknownExtensions] : []),
      ...(options.skip ?? []).flatMap((layer) => ['--skip', layer]),
    ];
    const run = await threadThenWorker(dir, csv, mapping, flags);
    const [thread, worker] = expectBothRuns(run, { summary, issues, mapping });
    expect(thread.target).toEqual({
      type: 'fhir',
      resourceType: (mapping.target as { resourceType: string }).resourceType,
    });
    // the same findings, messages, traces and bytes
    expect(worker.issues).toEqual(thread.issues);
  });

  // with --workers 2 the demo gets the report of one thread: the --workers describe below
  it('gives the demo its documented counts', async () => {
    const { io, out, err } = captureIo(dir);
    const code = await main(['validate', PATIENTS, '--mapping', DEMO_MAPPING, '--report', 'demo.json'], io);
    expect(code).toBe(1);
    expect(err).toEqual([]);
    const text = out.join('\n');
    expect(text).toContain('5000 records: 4986 valid, 14 invalid; 14 errors, 0 warnings');
    expect(text).toContain('duplicate keys: ');
    expect(text).toContain('mrn: 12 keys held by 24 records');
    const report = await readReport(dir, 'demo.json');
    expect(issueHeads(report)).toEqual(MAPPED_FHIR_DEMO.issues);
    expect(report.issues[3]?.examples).toEqual([
      {
        row: 1431,
        column: 'birth_date',
        path: 'Patient.birthDate',
        field: 'birthDate',
        transform: 'trim spaces, then read a date as YYYY-MM-DD or MM/DD/YYYY or DD.MM.YYYY',
        // the header and the 1,430 rows before it (LF): the same whole or split into ranges
        byte: 250626,
        value: '2023-02-30',
      },
    ]);
    expect(report.target).toEqual({ type: 'fhir', resourceType: 'Patient' });
    expect(report.mapping).toEqual({ id: 'patients-to-fhir-patient', version: 1 });
  });

  it.each(MAPPED_TRACE_CASES)(
    'traces FHIR messages to the mapping: $description',
    async ({ csv, mapping, traced }) => {
      await writeFile(path.join(dir, 'extract.csv'), csv);
      await writeFile(path.join(dir, 'm.json'), JSON.stringify(mapping));
      const { io, out, err } = captureIo(dir);
      expect(await main(['validate', 'extract.csv', '--mapping', 'm.json', '--report', 't.json'], io)).toBe(
        1,
      );
      expect(err).toEqual([]);
      expect(tracedLines(await readReport(dir, 't.json'), tracedSentence)).toEqual(traced);
      // the text summary: each example's path and trace under its issue, with the row and byte
      const text = out.join('\n');
      for (const line of traced.filter((l) => l.startsWith('  '))) {
        const sentence = line.trim();
        const where = sentence.slice(0, sentence.indexOf(': '));
        const rest = sentence.slice(where.length + 2);
        const trace = rest.slice(rest.lastIndexOf(' — ') + 3);
        const at = trace.lastIndexOf(', row ');
        expect(text).toContain(`    ${where} — ${trace.slice(0, at)}: `);
        expect(text).toContain(trace.slice(at + 2));
      }
    },
  );

  it('traces a mapped CSV with planted defects in its report and its summary, alike with --workers 2', async () => {
    // a bad onset date (row 2), a subject left empty (row 3), a status outside the required value set (row 4)
    await writeFile(
      path.join(dir, 'conditions.csv'),
      'id,status,patient,onset\nC1,active,Patient/p1,2020-01-02\nC2,active,Patient/p2,02/31/2020\nC3,active,,2020-01-02\nC4,cured,Patient/p4,2020-01-02\n',
    );
    await writeFile(
      path.join(dir, 'c.json'),
      JSON.stringify({
        format: 'preflight.mapping/v1',
        id: 'conditions',
        name: 'conditions',
        version: 1,
        source: 'conditions.csv',
        target: { type: 'fhir', resourceType: 'Condition' },
        key: 'id',
        fields: [
          {
            target: 'clinicalStatus.coding[0].system',
            const: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
          },
          { target: 'clinicalStatus.coding[0].code', from: 'status', transform: [{ op: 'trim' }] },
          { target: 'subject.reference', from: 'patient' },
          { target: 'onsetDateTime', from: 'onset' },
        ],
      }),
    );
    const { io, out } = captureIo(dir);
    expect(await main(['validate', 'conditions.csv', '--mapping', 'c.json'], io)).toBe(1);
    const text = out.join('\n');
    expect(text).toContain(
      '    Condition.onsetDateTime — from column "onset" (mapping field onsetDateTime): row 2, byte 56',
    );
    expect(text).toContain(
      '    Condition.subject — mapping field subject.reference left it empty (column "patient"): row 3, byte 88',
    );
    expect(text).toContain(
      '    Condition.clinicalStatus — from column "status" (mapping field clinicalStatus.coding[0].system + clinicalStatus.coding[0].code): row 4, byte 110',
    );
    expect(text).not.toMatch(/02\/31\/2020|cured|Patient\/p/);
    const runs = await oneAndTwoWorkers(['validate', 'conditions.csv', '--mapping', 'c.json'], dir);
    expect(runs.codes).toEqual([1, 1]);
    expect(runs.reports[1]).toEqual(runs.reports[0]);
    const examples = runs.reports[0]?.issues.flatMap((i) => i.examples.map(({ value: _v, ...e }) => e));
    expect(examples).toEqual([
      { row: 2, column: 'onset', path: 'Condition.onsetDateTime', field: 'onsetDateTime', byte: 56 },
      {
        row: 3,
        column: 'patient',
        path: 'Condition.subject',
        field: 'subject.reference',
        unfilled: 'empty',
        byte: 88,
      },
      {
        row: 4,
        column: 'status',
        path: 'Condition.clinicalStatus',
        field: 'clinicalStatus.coding[0].system + clinicalStatus.coding[0].code',
        byte: 110,
      },
    ]);
  });

  it('--redact drops the values and keeps row, column and FHIRPath', async () => {
    const [c] = MAPPED_FHIR_CASES.filter((m) => m.description.startsWith('dates copied'));
    if (!c) throw new Error('case missing');
    await writeFile(path.join(dir, 'extract.csv'), c.csv);
    await writeFile(path.join(dir, 'm.json'), JSON.stringify(c.mapping));
    const { io } = captureIo(dir);
    expect(
      await main(['validate', 'extract.csv', '--mapping', 'm.json', '--redact', '--report', 'red.json'], io),
    ).toBe(1);
    const report = await readReport(dir, 'red.json');
    expect(report.redacted).toBe(true);
    expect(report.issues.flatMap((i) => i.examples)).toEqual([
      { row: 1, column: 'dob', path: 'Patient.birthDate', field: 'birthDate', byte: 18 },
      { row: 2, column: 'dob', path: 'Patient.birthDate', field: 'birthDate', byte: 38 },
    ]);
  });

  it('runs the contract on the raw columns and the FHIR layers on the mapped records in one pass', async () => {
    // row 1 breaks the contract only, row 2 the mapping only (a required target left empty), row 3 both
    await writeFile(path.join(dir, 'patients.csv'), 'mrn,last_name\nX1,Ngata\nM2,\nX3,\nM4,Okafor\n');
    await writeFile(path.join(dir, 'p.json'), JSON.stringify(demoLike()));
    await writeFile(
      path.join(dir, 'contract.json'),
      JSON.stringify({ type: 'object', properties: { mrn: { type: 'string', pattern: '^M[0-9]+$' } } }),
    );
    const { io, out } = captureIo(dir);
    expect(
      await main(
        ['validate', 'patients.csv', '--schema', 'contract.json', '--mapping', 'p.json', '--json'],
        io,
      ),
    ).toBe(1);
    const report = JSON.parse(out.join('\n')) as Report;
    // a row both break is counted once
    expect(report.summary).toMatchObject({ records: 4, valid: 1, invalid: 3, errors: 4 });
    expect(
      report.issues
        .filter((i) => i.rule.startsWith('contract.'))
        .flatMap((i) => i.examples.map((e) => e.row)),
    ).toEqual([1, 3]);
    expect(
      report.issues.filter((i) => i.rule.startsWith('mapping.')).flatMap((i) => i.examples.map((e) => e.row)),
    ).toEqual([2, 3]);
  });

  it('pairs a mapping with its file by the mapping source when several files are given', async () => {
    await writeFile(path.join(dir, 'patients.csv'), 'mrn,last_name\nM1,Ngata\n');
    await writeFile(path.join(dir, 'other.csv'), 'a,b\n1,2\n');
    await writeFile(path.join(dir, 'p.json'), JSON.stringify({ ...demoLike(), source: 'patients.csv' }));
    const { io, out } = captureIo(dir);
    expect(await main(['validate', 'patients.csv', 'other.csv', '--mapping', 'p.json', '--json'], io)).toBe(
      0,
    );
    const report = JSON.parse(out.join('\n')) as Report;
    // only one of the two files is mapped: no single target for the report
    expect(report.target).toBeUndefined();
    expect(report.summary.records).toBe(2);
  });

  it('says on stderr which mapped columns the file lacks (their targets stay empty)', async () => {
    await writeFile(path.join(dir, 'few.csv'), 'mrn\nM1\n');
    await writeFile(path.join(dir, 'p.json'), JSON.stringify(demoLike()));
    const { io, err } = captureIo(dir);
    expect(await main(['validate', 'few.csv', '--mapping', 'p.json'], io)).toBe(1);
    expect(err.join('\n')).toContain('the file has no column "last_name"');
  });

  it('says on stderr that a key of several columns is not checked for duplicates', async () => {
    await writeFile(path.join(dir, 'few.csv'), 'mrn,last_name\nM1,Ngata\nM1,Ngata\n');
    await writeFile(path.join(dir, 'p.json'), JSON.stringify({ ...demoLike(), key: ['mrn', 'last_name'] }));
    const { io, err, out } = captureIo(dir);
    expect(await main(['validate', 'few.csv', '--mapping', 'p.json'], io)).toBe(0);
    expect(err.join('\n')).toContain('has 2 columns; duplicate keys are checked for one-column keys only');
    expect(out.join('\n')).not.toContain('duplicate keys');
  });

  it.each<{ description: string; mapping: unknown; args: string[]; message: string }>([
    {
      description: 'a mapping to a JSON Schema',
      mapping: { ...demoLike(), target: { type: 'schema', schema: 'x.json' } },
      args: [],
      message: 'maps to the schema "x.json", which is neither a file next to the mapping',
    },
    {
      description: 'a resource type R4 does not have',
      mapping: { ...demoLike(), target: { type: 'fhir', resourceType: 'Patients' } },
      args: [],
      message: 'maps to "Patients", which is not an R4 resource type',
    },
    {
      description: 'a mapping that cannot run (clashing targets)',
      mapping: {
        ...demoLike(),
        fields: [
          { target: 'name', from: 'mrn' },
          { target: 'name.family', from: 'last_name' },
        ],
      },
      args: [],
      message: '/fields/1/target',
    },
    { description: 'not a mapping', mapping: { hello: 1 }, args: [], message: 'is not a usable mapping' },
    {
      description: 'a mapping for a file that is not given',
      mapping: { ...demoLike(), source: 'encounters.csv' },
      args: ['other.csv'],
      message: 'is for "encounters.csv", which is not one of the files',
    },
    {
      description: '--skip without --mapping or --fhir',
      mapping: demoLike(),
      args: ['--skip', 'values', '--no-mapping'],
      message: '--skip needs --fhir (FHIR files), --mapping (CSV mapped to FHIR) or --project',
    },
    {
      description: '--mapping with --fhir',
      mapping: demoLike(),
      args: ['--fhir'],
      message: '--mapping is for CSV files',
    },
  ])('exits 2 for $description', async ({ mapping, args, message }) => {
    await writeFile(path.join(dir, 'patients.csv'), 'mrn,last_name\nZZSECRET,Ngata\n');
    await writeFile(path.join(dir, 'other.csv'), 'a,b\n1,2\n');
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify(mapping));
    const noMapping = args.includes('--no-mapping');
    const rest = args.filter((a) => a !== '--no-mapping');
    const { io, err } = captureIo(dir);
    expect(
      await main(['validate', 'patients.csv', ...rest, ...(noMapping ? [] : ['--mapping', 'bad.json'])], io),
    ).toBe(2);
    expect(err.join('\n')).toContain(message);
    expect(err.join('\n')).not.toContain('ZZSECRET');
  });
});

/** A small mapping of patients.csv (mrn, last_name) to Patient. */
function demoLike() {
  return {
    format: 'preflight.mapping/v1',
    id: 'small',
    name: 'small',
    version: 1,
    source: 'patients.csv',
    target: { type: 'fhir', resourceType: 'Patient' },
    key: 'mrn',
    fields: [
      { target: 'identifier[0].value', from: 'mrn', required: true },
      { target: 'name[0].family', from: 'last_name', required: true },
    ],
  };
}

describe('preflight validate --mapping --workers 2 (a mapped file validated in a worker)', () => {
  const both = (argv: string[]) => oneAndTwoWorkers(argv, dir);

  it('gives a slice of the demo the report of one thread, the second file validated in a worker', async () => {
    // the demo's first DEMO_SLICE_ROWS rows: duplicate keys and a trace (row 1431) among them, a
    // third of the cost of the whole file four times over
    await writeSlice(PATIENTS, DEMO_SLICE_ROWS, dir, ['a.csv', 'b.csv']);
    const run = await both([
      'validate',
      'a.csv',
      'b.csv',
      '--mapping',
      `a.csv=${DEMO_MAPPING}`,
      '--mapping',
      `b.csv=${DEMO_MAPPING}`,
    ]);
    expect(run.inWorkers).toBe(1);
    expect(run.codes).toEqual([1, 1]);
    expect(run.errs).toEqual([[], []]);
    expect(run.reports[1]).toEqual(run.reports[0]);
    const invalid = run.reports[1]?.inputs.map((i) => i.invalid) ?? [];
    expect(invalid[0]).toBeGreaterThan(0);
    expect(invalid).toEqual([invalid[0], invalid[0]]);
    expect(run.reports[1]?.issues.some((i) => i.examples.some((e) => e.row === 1431))).toBe(true);
  }, 120_000);
});
