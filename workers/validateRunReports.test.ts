/**
 * The page's run puts into the report what a data lead hands on: each file's SHA-256 (from the
 * injected digest: the app's hash worker) and the contract's own words for its columns; and the
 * worker's "export every failing row" gives one Blob with a line per problem.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Chunks } from '../src/core/hash/index.ts';
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
    expect(digested).toEqual([String(patients.size)]);
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
});
