import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoExport, EXPORT_RESOURCES } from '../samples/tools/fhirClinic.ts';
import { createFhirRun, createFhirSession, FHIR_LAYERS, generatedModules } from '../src/core/fhir/index.ts';
import { JobCancelledError, toJobError, WorkerCrashedError } from '../src/core/jobs/errors.ts';
import { loadReport, type Report } from '../src/formats/report.ts';
import type { Waiver } from '../src/formats/waivers.ts';
import {
  CHECKPOINT_BYTES,
  CHECKPOINT_LINES,
  createFhirValidateApi,
  type FhirRawProgress,
  type FhirValidateOutcome,
  type FhirValidateRequest,
  type FhirValidateWorkerApi,
  MAX_JSON_BYTES,
  OUTCOME_SOURCE_RELATION,
} from './fhirValidateApi.ts';
import { validateFhirInPool } from './fhirValidateClient.ts';
import { createWorkerPool } from './pool.ts';
import { FakeWorker } from './testing/fakeWorker.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../samples/fhir');
const FILES = [...demoExport().keys()];
const TIMES = { startedAt: '', generatedAt: '', totalMs: 0, version: 'test' };

/** A report without what differs between two runs of the same files (times). */
function withoutTimes(report: Report): unknown {
  const { generatedAt: _g, timings: _t, ...rest } = report;
  return rest;
}

function request(
  inputs: { name: string; text: string | Uint8Array }[],
  extra: Partial<FhirValidateRequest> = {},
) {
  return {
    toolVersion: 'test',
    layers: [...FHIR_LAYERS],
    inputs: inputs.map((i) => ({ name: i.name, file: new Blob([i.text as BlobPart]) })),
    ...extra,
  } satisfies FhirValidateRequest;
}

async function validate(
  req: FhirValidateRequest,
  onProgress: (p: FhirRawProgress) => void = () => {},
): Promise<Extract<FhirValidateOutcome, { ok: true }>> {
  const outcome = await createFhirValidateApi().validate('job-1', req, onProgress);
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome;
}

async function coreReport(inputs: { name: string; text: string }[]): Promise<Report> {
  const run = createFhirRun(await createFhirSession(generatedModules));
  for (const { name, text } of inputs) {
    if (/\.ndjson$/.test(name))
      await run.addNdjson(
        name,
        (async function* () {
          yield text;
        })(),
        Buffer.byteLength(text),
      );
    else await run.addJson(name, text, Buffer.byteLength(text));
  }
  return run.report(TIMES);
}

const demo = FILES.map((name) => ({ name, text: readFileSync(path.join(SAMPLES, name), 'utf8') }));

describe('FHIR validator worker API', () => {
  it.each([
    { description: 'default chunks', chunkBytes: undefined },
    { description: '1,009-byte chunks (lines cut between reads)', chunkBytes: 1009 },
  ])('gives the demo export the core report ($description)', async ({ chunkBytes }) => {
    const progress: FhirRawProgress[] = [];
    const outcome = await validate(request(demo, chunkBytes ? { chunkBytes } : {}), (p) => progress.push(p));
    expect(loadReport(outcome.report)).toMatchObject({ ok: true });
    expect(withoutTimes(outcome.report)).toEqual(withoutTimes(await coreReport(demo)));
    expect(outcome.report.summary.records).toBe(EXPORT_RESOURCES);
    // each file's invalid resources, summing to the run's
    expect(outcome.report.inputs.reduce((n, i) => n + (i.invalid ?? 0), 0)).toBe(
      outcome.report.summary.invalid,
    );
    // the first resource is reported at once, then bytes up to the last one
    expect(progress.find((p) => p.resources > 0)?.resources).toBe(1);
    const total = demo.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
    expect(progress.at(-1)).toMatchObject({ bytes: total, resources: EXPORT_RESOURCES });
    expect(outcome.index.map((i) => i.input)).toEqual(FILES);
  });

  it.each([
    {
      description: 'a byte-order mark and CRLF line ends',
      name: 'a.ndjson',
      text: '\uFEFF{"resourceType":"Patient","id":"p1"}\r\n{"resourceType":"Patient","id":"p2"}\r\n',
      issues: [],
    },
    {
      description: 'a malformed line, and the lines after it still checked',
      name: 'b.ndjson',
      text: '{"resourceType":"Patient","id":"p1"}\n{"resourceType":"Patient",\n{"resourceType":"Patient","gender":"F"}\n',
      issues: [
        'fhir-json-syntax @  row 2 line 2, column 27',
        'fhir-value-not-allowed @ Patient.gender row 3 Patient.gender',
      ],
    },
    {
      description: 'a Bundle file with a BOM',
      name: 'c.json',
      text: '\uFEFF{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","birthDate":"1984-02-30"}}]}',
      issues: [
        'fhir-impossible-date @ Bundle.entry.resource.birthDate row 1 Bundle.entry[0].resource.birthDate',
      ],
    },
    {
      description: 'a JSON file with a syntax error on its third line',
      name: 'd.json',
      text: '{\n  "resourceType": "Patient",\n  "id": "p1",,\n}',
      issues: ['fhir-json-syntax @  row 1 line 3, column 14'],
    },
  ])('reads $description', async ({ name, text, issues }) => {
    const { report } = await validate(request([{ name, text }]));
    expect(
      report.issues.map(
        (i) => `${i.rule} @ ${i.location} row ${i.examples[0]?.row} ${i.examples[0]?.column}`,
      ),
    ).toEqual(issues);
  });

  it('counts unknown extensions as the request says, in the report and in the OperationOutcomes', async () => {
    const text = [
      {
        resourceType: 'Patient',
        id: 'p1',
        extension: [{ url: 'http://clinic.test/ext/a', valueString: 'x' }],
      },
      { resourceType: 'Patient', id: 'p2', gender: 'F' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const api = createFhirValidateApi();
    const seen: string[] = [];
    // one worker, both severities in turn: a session per option, never the other's
    for (const unknownExtensions of [undefined, 'warning', 'error'] as const) {
      const req = request([{ name: 'ext.ndjson', text }], unknownExtensions ? { unknownExtensions } : {});
      const outcome = await api.validate('job', req, () => {});
      if (!outcome.ok) throw new Error(outcome.problem.message);
      const { report } = outcome;
      const unknown = report.issues.find((i) => i.rule === 'fhir-unknown-extension');
      seen.push(
        `${unknown?.severity} valid ${report.summary.valid} target ${JSON.stringify(report.target?.type === 'fhir' ? report.target.unknownExtensions : undefined)}`,
      );
      const made = await api.outcomes('o', req, 'ndjson', () => {});
      if (!made.ok) throw new Error(made.problem.message);
      const first = JSON.parse((await made.blob.text()).split('\n')[0] as string) as {
        outcome: { issue: { severity: string }[] };
      };
      expect(first.outcome.issue.map((i) => i.severity)).toEqual([unknown?.severity]);
    }
    expect(seen).toEqual([
      'error valid 0 target "error"',
      'warning valid 1 target "warning"',
      'error valid 0 target "error"',
    ]);
  });

  it('counts the occurrences inside the rows of the waivers the request gives, as the CLI does', async () => {
    const url = 'http://clinic.test/ext/a';
    const text = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ resourceType: 'Patient', id: `p${i + 1}`, extension: [{ url, valueString: 'x' }] }),
    ).join('\n');
    const waiver: Waiver = {
      id: 'w-ext',
      rule: 'fhir-unknown-extension',
      extension: url,
      rows: [{ from: 3, to: 9 }],
      rationale: 'loaded on the target',
      owner: 'Dana Whitfield',
      expires: '2099-12-31',
    };
    const table: { rowSets: Waiver[] | undefined; within: unknown }[] = [
      { rowSets: undefined, within: undefined },
      { rowSets: [waiver], within: [{ waiver: 'w-ext', count: 7, rows: [{ from: 3, to: 9 }] }] },
    ];
    for (const { rowSets, within } of table) {
      const { report } = await validate(request([{ name: 'ext.ndjson', text }], rowSets ? { rowSets } : {}));
      const issue = report.issues.find((i) => i.rule === 'fhir-unknown-extension');
      expect(issue?.withinRows).toEqual(within);
    }
  });

  it('decodes characters cut between reads as one text', async () => {
    const text = ['Ünïcødé', '日本語', '😀 emoji']
      .map((family, i) =>
        JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'F', name: [{ family }] }),
      )
      .join('\n');
    const small = await validate(request([{ name: 'u.ndjson', text }], { chunkBytes: 5 }));
    const whole = await validate(request([{ name: 'u.ndjson', text }]));
    expect(withoutTimes(small.report)).toEqual(withoutTimes(whole.report));
    expect(small.report.summary).toMatchObject({ records: 3, invalid: 3 });
  });

  it('refuses a text over 16 Mi characters at its line and column, reading no further into the file', async () => {
    const long = 'x'.repeat(17 * 1024 * 1024);
    const json = new Blob([`{"resourceType":"Patient",\n"text":{"div":"${long}"},"id":"${long}"}`]);
    let readTo = 0;
    const counted = {
      size: json.size,
      slice: (start: number, end: number) => {
        readTo = Math.max(readTo, end);
        return json.slice(start, end);
      },
    } as unknown as Blob;
    const ndjson = `{"resourceType":"Patient","gender":"female"}\n{"resourceType":"Patient","id":"${long}"}\n{"resourceType":"Patient","gender":"male"}\n`;
    const outcome = await createFhirValidateApi().validate(
      'j',
      {
        ...request([{ name: 'export.ndjson', text: ndjson }]),
        inputs: [
          { name: 'export.ndjson', file: new Blob([ndjson]) },
          { name: 'one.json', file: counted },
        ],
      },
      () => {},
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    expect(outcome.report.summary).toMatchObject({ records: 4, valid: 2, invalid: 2 });
    const issue = outcome.report.issues.find((i) => i.rule === 'fhir-json-too-long');
    expect(issue?.examples).toEqual([
      { input: 'export.ndjson', row: 2, column: 'line 2, column 32' },
      { input: 'one.json', row: 1, column: 'line 2, column 15' },
    ]);
    // the second long text (and the first's end) were never read
    expect(readTo).toBeLessThan(18 * 1024 * 1024);
    expect(JSON.stringify(outcome.report)).not.toContain('xxxx');
  }, 60_000);

  it.each([
    {
      description: 'a byte that is not UTF-8 on line 2',
      name: 'x.ndjson',
      bytes: [...new TextEncoder().encode('{"resourceType":"Patient"}\n{"id":"'), 0xff, 0x22, 0x7d],
      rule: 'fhir-not-utf8',
      message:
        /^x\.ndjson is not valid UTF-8 text: the byte at line 2, byte 34 cannot be read in that encoding; export the file again as UTF-8/,
      example: { input: 'x.ndjson', row: 2, column: 'byte 34' },
    },
    {
      description: 'a PDF named .ndjson',
      name: 'scan.ndjson',
      bytes: [...new TextEncoder().encode('%PDF-1.7\n%'), 0xe2, 0xe3, 0x00, 0x0a],
      rule: 'fhir-not-text',
      message:
        /^scan\.ndjson is not a text file \(a zero byte at byte 12, line 2\): check that it is the right file/,
      example: { input: 'scan.ndjson', row: 2, column: 'byte 12' },
    },
    {
      description: 'a PDF named .json',
      name: 'scan.json',
      bytes: [...new TextEncoder().encode('%PDF-1.7\n%'), 0xe2, 0xe3, 0x00, 0x0a],
      rule: 'fhir-not-text',
      message: /^scan\.json is not a text file \(a zero byte at byte 12, line 2\)/,
      example: { input: 'scan.json', row: 2, column: 'byte 12' },
    },
  ])('reports $description as one fatal problem on the file and checks the others', async (row) => {
    const fine = `${JSON.stringify({ resourceType: 'Patient', gender: 'M' })}\n`;
    const outcome = await validate(
      request([
        { name: row.name, text: new Uint8Array(row.bytes) },
        { name: 'fine.ndjson', text: fine },
      ]),
    );
    const { report } = outcome;
    expect(report.inputs.map((i) => [i.name, i.invalid])).toEqual([
      [row.name, 1],
      ['fine.ndjson', 1],
    ]);
    expect(report.issues.find((i) => i.rule === row.rule)).toMatchObject({
      severity: 'fatal',
      count: 1,
      message: expect.stringMatching(row.message),
      examples: [row.example],
    });
    // the other file was checked as usual
    expect(report.issues.find((i) => i.rule === 'fhir-value-not-allowed')).toMatchObject({
      examples: [{ input: 'fine.ndjson', row: 1 }],
    });
  });

  it('refuses a JSON file too large to read whole, and says to use NDJSON', async () => {
    const big = { size: MAX_JSON_BYTES + 1, slice: () => new Blob([]) } as unknown as Blob;
    const outcome = await createFhirValidateApi().validate(
      'j',
      { toolVersion: 't', layers: [...FHIR_LAYERS], inputs: [{ name: 'big.json', file: big }] },
      () => {},
    );
    expect(outcome).toMatchObject({ ok: false, problem: { file: 'big.json' } });
    if (!outcome.ok) expect(outcome.problem.advice).toContain('NDJSON');
  });

  it('stops within one chunk when cancelled', async () => {
    const line = '{"resourceType":"Patient","id":"p1"}\n';
    const text = line.repeat(20_000);
    const api = createFhirValidateApi();
    const seen: FhirRawProgress[] = [];
    const running = api.validate(
      'job-c',
      request([{ name: 'big.ndjson', text }], { chunkBytes: 4096 }),
      (p) => {
        seen.push(p);
        if (seen.length === 3) api.cancel('job-c');
      },
    );
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(toJobError(error)).toBeInstanceOf(JobCancelledError);
    const last = seen.at(-1) as FhirRawProgress;
    // cancelled on the third report: at most one more chunk was read
    expect(last.bytes).toBeLessThanOrEqual(64 * 1024 + 4096 * 2);
    expect(last.resources).toBeLessThan(20_000);
  });

  it('re-reads any line from the sparse index and highlights the location', async () => {
    const lines = Array.from({ length: 3 * CHECKPOINT_LINES + 17 }, (_, i) =>
      JSON.stringify({ resourceType: 'Patient', id: `p${i + 1}`, name: [{ family: `Ünïcode ${i + 1}` }] }),
    );
    const text = `${lines.join('\n')}\n`;
    const api = createFhirValidateApi();
    const { index } = await validate(request([{ name: 'p.ndjson', text }], { chunkBytes: 1000 }));
    expect(index[0]?.lines.length).toBeGreaterThan(3);
    const file = new Blob([text]);
    for (const row of [1, CHECKPOINT_LINES, CHECKPOINT_LINES + 1, 2 * CHECKPOINT_LINES + 5, lines.length]) {
      const read = await api.readRecord(file, 'p.ndjson', row, 'Patient.name[0].family', index[0]);
      expect(read.ok).toBe(true);
      if (!read.ok) continue;
      const { view } = read;
      expect(view.lines.join('\n')).toBe(JSON.stringify(JSON.parse(lines[row - 1] as string), null, 2));
      expect(view.lines.slice(view.highlight.from, view.highlight.to + 1).join('\n')).toContain(
        `Ünïcode ${row}`,
      );
    }
    expect(await api.readRecord(file, 'p.ndjson', lines.length + 5, 'Patient', index[0])).toMatchObject({
      ok: false,
    });
  });

  it('refuses a resource nested 5,000 deep on its line and keeps the rest of the run', async () => {
    const open = '{"url":"http://example.org/x","extension":[';
    const deep = `{"resourceType":"Patient","extension":[${open.repeat(5000)}{"url":"http://example.org/x"}${']}'.repeat(5000)}]}`;
    const ndjson = [
      JSON.stringify({ resourceType: 'Patient', id: 'p1' }),
      deep,
      '{"resourceType":"Patient"}',
    ];
    const { report } = await validate(
      request([
        { name: 'deep.ndjson', text: ndjson.join('\n') },
        { name: 'other.json', text: JSON.stringify({ resourceType: 'Patient', gender: 'X' }) },
      ]),
    );
    expect(report.summary).toMatchObject({ records: 4, valid: 2, invalid: 2 });
    expect(report.issues.map((i) => `${i.rule} ${i.examples.map((e) => `${e.input}:${e.row}`)}`)).toEqual([
      'fhir-too-deep deep.ndjson:2',
      'fhir-value-not-allowed other.json:1',
    ]);
    // opening the example shows the start of its text instead of formatting it
    const read = await createFhirValidateApi().readRecord(
      new Blob([ndjson.join('\n')]),
      'deep.ndjson',
      2,
      'Patient.extension[0]',
    );
    expect(read).toMatchObject({ ok: true, view: { excerptOf: 'Patient', highlight: { from: 0, to: 0 } } });
  });

  it('shows a malformed line as text at the error, and a whole file', async () => {
    const api = createFhirValidateApi();
    const ndjson = new Blob(['{"resourceType":"Patient"}\n{"resourceType":"Pat\n']);
    const raw = await api.readRecord(ndjson, 'x.ndjson', 2, '', undefined, { line: 2, column: 22 });
    expect(raw).toMatchObject({
      ok: true,
      json: false,
      view: { lines: ['{"resourceType":"Pat'], highlight: { from: 0, to: 0 } },
    });
    const bundle = new Blob([
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: { resourceType: 'Patient', gender: 'F' } }],
      }),
    ]);
    const read = await api.readRecord(bundle, 'b.json', 1, 'Bundle.entry[0].resource.gender');
    expect(read).toMatchObject({
      ok: true,
      json: true,
      view: { shownLocation: 'Bundle.entry[0].resource.gender' },
    });
    if (read.ok) expect(read.view.lines[read.view.highlight.from]?.trim()).toBe('"gender": "F"');
  });

  it.each(['ndjson', 'bundle'] as const)('writes one OperationOutcome per resource (%s)', async (format) => {
    const api = createFhirValidateApi();
    const outcome = await api.outcomes('o', request(demo), format, () => {});
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const text = await outcome.blob.text();
    const outcomes =
      format === 'ndjson'
        ? text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as { input: string; row: number; outcome: { resourceType: string } })
        : (
            JSON.parse(text) as {
              entry: { link: { relation: string; url: string }[]; resource: { resourceType: string } }[];
            }
          ).entry;
    expect(outcomes).toHaveLength(EXPORT_RESOURCES);
    if (format === 'bundle') {
      expect(outcomes[0]).toMatchObject({
        link: [{ relation: OUTCOME_SOURCE_RELATION, url: `${FILES[0]}#line=1` }],
        resource: { resourceType: 'OperationOutcome' },
      });
      // the Bundle is valid FHIR R4 itself
      const session = await createFhirSession(generatedModules);
      const checked = await session.validate(JSON.parse(text));
      expect(checked.issues).toEqual([]);
    } else {
      expect(outcomes[0]).toMatchObject({
        input: FILES[0],
        row: 1,
        outcome: { resourceType: 'OperationOutcome' },
      });
    }
  });

  it('returns only aggregates however many resources fail: capped examples and a sparse index', async () => {
    const lines = 30_000;
    const text = `${Array.from({ length: lines }, (_, i) => JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'F' })).join('\n')}\n`;
    const { report, index } = await validate(request([{ name: 'all-bad.ndjson', text }]));
    expect(report.summary).toMatchObject({ records: lines, invalid: lines });
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]?.examples.length).toBeLessThanOrEqual(5);
    const entries = index[0]?.lines.length ?? 0;
    expect(entries).toBeLessThanOrEqual(
      Math.ceil(text.length / CHECKPOINT_BYTES) + Math.ceil(lines / CHECKPOINT_LINES) + 1,
    );
  });

  it('ends in a typed error when the worker crashes mid-run', async () => {
    let worker: FakeWorker | undefined;
    const workers = createWorkerPool<FhirValidateWorkerApi>({
      name: 'fhir-validate',
      size: 1,
      create: () => {
        worker = new FakeWorker(createFhirValidateApi());
        return worker;
      },
    });
    const text = '{"resourceType":"Patient"}\n'.repeat(50_000);
    const running = validateFhirInPool(workers, request([{ name: 'p.ndjson', text }], { chunkBytes: 4096 }));
    // the pool started the job on a new worker synchronously: it dies while the run is under way
    worker?.crash();
    await expect(running).rejects.toBeInstanceOf(WorkerCrashedError);
    workers.destroy();
  });

  it('runs over the pool with throttled progress in resources', async () => {
    const workers = createWorkerPool<FhirValidateWorkerApi>({
      name: 'fhir-validate',
      size: 1,
      create: () => new FakeWorker(createFhirValidateApi()),
    });
    const progress: number[] = [];
    const outcome = await validateFhirInPool(workers, request(demo), {
      onProgress: (p) => progress.push(p.resources),
    });
    workers.destroy();
    expect(outcome.ok && outcome.report.summary.records).toBe(EXPORT_RESOURCES);
    expect(progress.at(-1)).toBe(EXPORT_RESOURCES);
  });
});
