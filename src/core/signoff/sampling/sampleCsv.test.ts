import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SAMPLE_PLAN_FORMAT, type SamplePlan } from '../../../formats/samplePlan.ts';
import { CsvRecordTooLongError, Utf8DecodeError } from '../../csv/index.ts';
import { JobCancelledError } from '../../jobs/errors.ts';
import {
  type CsvInput,
  fileStratumId,
  MissingColumnError,
  planSizes,
  sampleCsvFiles,
  sampleDocument,
  stratificationOf,
  UnreadableCsvError,
  UnsupportedStratificationError,
} from './sampleCsv.ts';
import { CENSUS, drawSample } from './sampling.ts';

/** The demo plan's shape (samples/plans/patients.sampleplan.json): a sampled and a census stratum. */
function samplePlanFixture(): SamplePlan {
  return {
    format: SAMPLE_PLAN_FORMAT,
    id: 'demo',
    name: 'Demo',
    population: {
      dataset: 'patients.csv',
      stratifyBy: 'validation',
      strata: [
        { id: 'clean', label: 'Clean', size: 4738 },
        { id: 'flagged', label: 'Flagged', size: 262, flagged: true, census: true },
      ],
    },
    targetErrorRate: 0.02,
    confidence: 0.95,
    acceptanceNumber: 0,
    seed: '9f3c2a7e51d04b86',
    createdAt: '2024-07-08T09:00:00-04:00',
  };
}

function memoryInput(name: string, content: string | Uint8Array): CsvInput {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, size: bytes.length, read: async (offset, length) => bytes.slice(offset, offset + length) };
}

const CSV = [
  '\ufeffmrn,site,name',
  '1001,north,Müller',
  '1002,south,"Ann ""Nan"" Lee"',
  '1003,north,"two',
  'lines"',
  '',
  '1004,south,𝄞',
  '1005,north,Zoë',
  '',
].join('\r\n');

describe('sampleCsvFiles', () => {
  it('gives the same result at any chunk size (cuts inside quotes, CRLF and multi-byte characters)', async () => {
    const options = {
      seed: '42',
      sizes: { north: 2, south: 1 },
      keyColumn: 'mrn',
      stratification: { kind: 'column', column: 'site' } as const,
    };
    const reference = await sampleCsvFiles([memoryInput('a.csv', CSV)], { ...options, chunkBytes: 1 << 20 });
    for (const chunkBytes of [1, 2, 3, 5, 7, 64]) {
      expect(await sampleCsvFiles([memoryInput('a.csv', CSV)], { ...options, chunkBytes })).toEqual(
        reference,
      );
    }
    expect(reference.inputs).toEqual([
      {
        file: 'a.csv',
        sha256: createHash('sha256').update(CSV).digest('hex'),
        bytes: Buffer.byteLength(CSV),
        rows: 5,
        csvProblems: [],
      },
    ]);
    // the pure sampler on the same rows, typed in by hand
    const rows = [
      ['1001', 'north', 1],
      ['1002', 'south', 2],
      ['1003', 'north', 3],
      ['1004', 'south', 4],
      ['1005', 'north', 5],
    ] as const;
    expect(reference.sample).toEqual(
      drawSample(
        { seed: '42', sizes: { north: 2, south: 1 } },
        rows.map(([key, stratum, row]) => ({ key, stratum, row, source: 'a.csv' })),
      ),
    );
  });

  it('sniffs the delimiter from the whole header line, whatever the chunk size', async () => {
    const semicolons = CSV.replaceAll(',', ';');
    const options = {
      seed: '42',
      sizes: { north: 2, south: 1 },
      keyColumn: 'mrn',
      stratification: { kind: 'column', column: 'site' } as const,
    };
    const commas = await sampleCsvFiles([memoryInput('a.csv', CSV)], options);
    for (const chunkBytes of [1, 2, 5, 1 << 20]) {
      const result = await sampleCsvFiles([memoryInput('a.csv', semicolons)], { ...options, chunkBytes });
      expect(result.sample).toEqual(commas.sample);
    }
  });

  it('makes each file a stratum named by its base name under "file" stratification', async () => {
    const result = await sampleCsvFiles(
      [memoryInput('dir/a.csv', 'id\n1\n2\n'), memoryInput('b.csv', 'id\n3\n')],
      {
        seed: '1',
        sizes: { 'a.csv': CENSUS, 'b.csv': CENSUS },
        keyColumn: 'id',
        stratification: { kind: 'file' },
      },
    );
    expect(result.sample.strata.map((s) => [s.id, s.records.map((r) => r.key).sort()])).toEqual([
      ['a.csv', ['1', '2']],
      ['b.csv', ['3']],
    ]);
  });

  const failures: { description: string; input: CsvInput; error: unknown; where?: object }[] = [
    {
      description: 'bytes that are not UTF-8 (with the line and byte offset)',
      input: memoryInput('w.csv', Uint8Array.from([...new TextEncoder().encode('mrn\n1\nM'), 0xfc, 0x0a])),
      error: Utf8DecodeError,
      where: { byteOffset: 7, line: 3 },
    },
    {
      description: 'a missing key column',
      input: memoryInput('m.csv', 'id,site\n1,north\n'),
      error: MissingColumnError,
      where: { column: 'mrn', role: 'key' },
    },
    { description: 'an empty file', input: memoryInput('e.csv', ''), error: UnreadableCsvError },
    {
      description: 'UTF-16',
      input: memoryInput('u.csv', Uint8Array.from([0xff, 0xfe, 0x61, 0])),
      error: UnreadableCsvError,
    },
  ];
  it.each(failures)('refuses $description', async ({ input, error, where }) => {
    const run = sampleCsvFiles([input], {
      seed: '1',
      sizes: { north: 1 },
      keyColumn: 'mrn',
      stratification: { kind: 'column', column: 'site' },
      chunkBytes: 4,
    });
    await expect(run).rejects.toBeInstanceOf(error);
    if (where) await expect(run).rejects.toMatchObject(where);
  });

  it('stops with JobCancelledError when cancelled, and turns a failed read into InputReadError with its offset', async () => {
    const options = {
      seed: '1',
      sizes: { north: 1 },
      keyColumn: 'mrn',
      stratification: { kind: 'column', column: 'site' } as const,
      chunkBytes: 4,
    };
    const controller = new AbortController();
    controller.abort();
    await expect(
      sampleCsvFiles([memoryInput('a.csv', CSV)], { ...options, signal: controller.signal }),
    ).rejects.toBeInstanceOf(JobCancelledError);
    const failing: CsvInput = {
      name: 'f.csv',
      size: 100,
      read: async (offset) => {
        if (offset >= 8) throw Object.assign(new Error('disk'), { code: 'EIO' });
        return new TextEncoder().encode('mrn,site').subarray(offset, offset + 4);
      },
    };
    await expect(sampleCsvFiles([failing], options)).rejects.toMatchObject({
      name: 'InputReadError',
      causeName: 'EIO',
      location: { source: 'f.csv', byteOffset: 8 },
    });
  });

  it('a record over the cap is an error (CsvRecordTooLongError is what a never-closed quote becomes)', () => {
    expect(new CsvRecordTooLongError(3, 10).message).toContain('the record starting at row 3 never ends');
  });
});

describe('the plan view', () => {
  it('stratificationOf: file, a column, and refusals for validation and resourceType', () => {
    const plan = samplePlanFixture();
    expect(stratificationOf({ ...plan, population: { ...plan.population, stratifyBy: 'file' } })).toEqual({
      kind: 'file',
    });
    expect(stratificationOf({ ...plan, population: { ...plan.population, stratifyBy: 'site' } })).toEqual({
      kind: 'column',
      column: 'site',
    });
    for (const by of ['validation', 'resourceType']) {
      expect(() => stratificationOf({ ...plan, population: { ...plan.population, stratifyBy: by } })).toThrow(
        UnsupportedStratificationError,
      );
    }
    expect(() => stratificationOf(plan)).toThrow(/column contract/);
  });

  it('fileStratumId is the base name', () => {
    expect(['a.csv', 'x/y/a.csv', 'C:\\x\\a.csv'].map(fileStratumId)).toEqual(['a.csv', 'a.csv', 'a.csv']);
  });

  it('planSizes: census strata take every record; others need a size; unknown ids are refused', () => {
    const plan = samplePlanFixture(); // clean (sampled) and flagged (census)
    expect(planSizes(plan, { clean: 149 })).toEqual({ ok: true, sizes: { clean: 149, flagged: CENSUS } });
    expect(planSizes(plan, {})).toEqual({ ok: false, missing: ['clean'], unknown: [], census: [] });
    expect(planSizes(plan, { clean: 1, other: 2, flagged: 3 })).toEqual({
      ok: false,
      missing: [],
      unknown: ['other'],
      census: ['flagged'],
    });
  });

  it('sampleDocument: plan hash, per-stratum n and a size mismatch against the plan', async () => {
    const plan = samplePlanFixture();
    const csv = 'mrn,status\n1,clean\n2,clean\n3,flagged\n';
    const result = await sampleCsvFiles([memoryInput('p.csv', csv)], {
      seed: plan.seed,
      sizes: { clean: 1, flagged: CENSUS },
      keyColumn: 'mrn',
      stratification: { kind: 'column', column: 'status' },
    });
    const document = sampleDocument(plan, result);
    expect(document.format).toBe('preflight.sample/v1');
    expect(document.strata.map((s) => [s.id, s.census, s.population, s.n, s.records.length])).toEqual([
      ['clean', false, 2, 1, 1],
      ['flagged', true, 1, 1, 1],
    ]);
    expect(document.problems.map((p) => [p.code, p.stratum, p.expected, p.found])).toEqual([
      ['stratum-size-mismatch', 'clean', 4738, 2],
      ['stratum-size-mismatch', 'flagged', 262, 1],
    ]);
  });
});
