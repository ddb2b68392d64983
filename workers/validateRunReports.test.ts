/**
 * The page's run puts into the report what a data lead hands on: each file's SHA-256 (hashed by
 * the validator worker from the bytes of its pass, so the file is read once) and the contract's own words for its columns; and the
 * worker's "export every failing row" gives one Blob with a line per problem.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Chunks } from '../src/core/hash/index.ts';
import { sliceBackedStream } from './testing/sliceBackedStream.ts';
import { layoutOf } from './testing/sniffedLayout.ts';
import { createValidateApi, type ValidateInputSpec } from './validateApi.ts';
import { runValidation } from './validateRun.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../samples');
const bytesOf = (file: string) => readFileSync(path.join(SAMPLES, file));

describe('validation run: reports to hand on', () => {
  it('cites each file’s SHA-256, uses the contract’s words, and exports every failing row', async () => {
    const api = createValidateApi();
    const patients = new Blob([bytesOf('legacy/patients.csv')]);
    const contract = JSON.parse(bytesOf('contracts/patients.contract.json').toString('utf8')) as Record<
      string,
      unknown
    >;
    const inputs: ValidateInputSpec[] = [
      {
        file: patients,
        name: 'patients.csv',
        layout: await layoutOf(api, patients, 'patients.csv'),
        keys: [],
        contract: { id: 'patients', name: 'patients.contract.json', schema: contract },
      },
    ];
    const digested: string[] = [];
    const outcome = await runValidation(
      { inputs, links: [], toolVersion: '0.0.0-test' },
      {
        filesAtOnce: 1,
        runFile: (task, onProgress) => api.validateFile('file-0', task, onProgress),
        // the app's digest runs the core's streamed hash in a worker; here, the same core function
        digest: async (file) => {
          digested.push(String(file.size));
          const digest = await sha256Chunks(
            async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
            { totalBytes: file.size },
          );
          return digest.sha256;
        },
      },
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    // the validator worker hashed the bytes it read: the hash worker was not asked
    expect(digested).toEqual([]);
    expect(outcome.report.inputs[0]?.sha256).toBe(
      createHash('sha256').update(bytesOf('legacy/patients.csv')).digest('hex'),
    );
    const birth = outcome.report.issues.find((i) => i.location === 'birth_date');
    expect(birth?.title).toBe('Date of birth');
    expect(birth?.records).toBe(birth?.count);

    const index = outcome.failing[0];
    if (!index) throw new Error('no failing index');
    const exported = await api.exportFailingRows(
      'export-0',
      {
        inputs: [
          {
            file: patients,
            name: 'patients.csv',
            layout: index.layout,
            header: index.header,
            rows: index.rows,
            offsets: index.offsets,
            count: index.count,
            groups: index.issues,
          },
        ],
        format: 'ndjson',
        report: outcome.report,
        redact: false,
      },
      () => {},
    );
    if (!exported.ok) throw new Error(exported.problem.message);
    expect(exported.blob.type).toBe('application/x-ndjson');
    const lines = (await exported.blob.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(outcome.report.summary.errors);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { row: number }).row)).size).toBe(index.count);
  });

  it('hashes a multi-chunk file from the reads of its pass, reading it once, even where the pass stops early', async () => {
    const api = createValidateApi();
    const csv = bytesOf('legacy/patients.csv');
    // a byte that is not UTF-8 two thirds in: the pass stops there, the rest is read for the hash
    const broken = Buffer.from(csv);
    broken[Math.floor((csv.length * 2) / 3)] = 0xff;
    for (const bytes of [csv, broken]) {
      const file = new CountedBlob([bytes]);
      const layout = await layoutOf(api, file, 'patients.csv');
      file.served = 0;
      let asked = 0;
      const outcome = await runValidation(
        {
          inputs: [{ file, name: 'patients.csv', layout, keys: [{ column: 'mrn' }] }],
          links: [],
          toolVersion: '0.0.0-test',
          chunkBytes: 64 * 1024,
        },
        {
          filesAtOnce: 1,
          runFile: (task, onProgress) => api.validateFile('file-0', task, onProgress),
          digest: async () => {
            asked++;
            return '0'.repeat(64);
          },
        },
      );
      if (!outcome.ok) throw new Error(outcome.problem.message);
      expect(outcome.report.inputs[0]?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(asked).toBe(0);
      // 14 chunks of the pass, each read once, none again for the hash (the broken file's problem
      // place is found by reading its start again)
      if (bytes === csv) expect(file.served).toBe(bytes.length);
    }
  });
});

/** A Blob that counts the bytes of the slices taken of it. */
class CountedBlob extends Blob {
  served = 0;
  override slice(start = 0, end = this.size, type?: string): Blob {
    this.served += Math.max(0, Math.min(end, this.size) - start);
    return super.slice(start, end, type);
  }
  override stream() {
    return sliceBackedStream(this);
  }
}
