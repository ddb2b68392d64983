/**
 * The validator worker's find job (findRowsTask.ts through `createValidateApi().findRows`): the
 * drill-down's cross-file filters on the demo extracts — every orphan encounter (37, where the
 * report keeps 20 examples) and the rows of the repeated MRNs — with progress over both files,
 * re-readable offsets, a problem for a column the file lacks, and cancel.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isJobCancelled } from '../src/core/jobs/errors.ts';
import { MAPPED_FHIR_CASES } from '../tests/fixtures/mappedFhirCases.ts';
import { layoutOf } from './testing/sniffedLayout.ts';
import { createValidateApi } from './validateApi.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../samples/legacy');
const blobOf = (file: string) => new Blob([readFileSync(path.join(SAMPLES, file))]);
const patients = blobOf('patients.csv');
const encounters = blobOf('encounters.csv');

describe('the worker finds the rows of a cross-file filter', () => {
  it('every orphan encounter, with progress over both files and offsets that re-read each row', async () => {
    const api = createValidateApi();
    const layout = await layoutOf(api, encounters, 'encounters.csv');
    const target = {
      file: patients,
      name: 'patients.csv',
      layout: await layoutOf(api, patients, 'patients.csv'),
    };
    const progress: number[] = [];
    const outcome = await api.findRows(
      'find-1',
      {
        file: encounters,
        name: 'encounters.csv',
        layout,
        orphans: { column: 'patient_id', target: { ...target, column: 'patient_id' } },
        chunkBytes: 65536,
      },
      (p) => progress.push(p.bytes),
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    expect(outcome.found.count).toBe(37);
    // both files are read: progress passes the referenced file's size and never goes back
    expect(progress.at(-1)).toBe(patients.size + encounters.size);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const rows = await api.readRows(encounters, 'encounters.csv', layout, [...outcome.found.offsets]);
    const ids = new Set(
      readFileSync(path.join(SAMPLES, 'patients.csv'), 'utf8')
        .split('\n')
        .map((line) => line.split(',')[0]),
    );
    expect(rows.every((row) => row !== null && !ids.has(row[1]))).toBe(true);
  });

  it('the rows a report names (the repeated MRNs), found once each', async () => {
    const api = createValidateApi();
    const layout = await layoutOf(api, patients, 'patients.csv');
    const outcome = await api.findRows(
      'find-2',
      { file: patients, name: 'patients.csv', layout, rows: [40, 7, 40, 4999] },
      () => {},
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    expect([...outcome.found.rows]).toEqual([7, 40, 4999]);
  });

  it('the rows a mapping to FHIR warns about (an unknown extension counted as a warning)', async () => {
    const api = createValidateApi();
    const shoes = MAPPED_FHIR_CASES.find((c) => c.description.startsWith('the same extension as a warning'));
    if (!shoes?.options?.unknownExtensions)
      throw new Error('the mapped-FHIR case table has the warning case');
    const file = new Blob([shoes.csv]);
    const layout = await layoutOf(api, file, 'shoes.csv');
    const outcome = await api.findRows(
      'find-5',
      {
        file,
        name: 'shoes.csv',
        layout,
        mappingWarnings: { mapping: shoes.mapping, unknownExtensions: shoes.options.unknownExtensions },
      },
      () => {},
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    // row 1 fills the extension, row 2 leaves it empty (no extension, no warning)
    expect([...outcome.found.rows]).toEqual([1]);
    // as errors (the default), the same rows are no warning rows
    const asErrors = await api.findRows(
      'find-6',
      { file, name: 'shoes.csv', layout, mappingWarnings: { mapping: shoes.mapping } },
      () => {},
    );
    expect(asErrors.ok && [...asErrors.found.rows]).toEqual([]);
  });

  it('a column the file lacks is a problem naming file and column; cancel ends the job', async () => {
    const api = createValidateApi();
    const layout = await layoutOf(api, encounters, 'encounters.csv');
    const missing = await api.findRows(
      'find-3',
      {
        file: encounters,
        name: 'encounters.csv',
        layout,
        orphans: {
          column: 'patient',
          target: {
            file: patients,
            name: 'patients.csv',
            layout: await layoutOf(api, patients, 'patients.csv'),
            column: 'patient_id',
          },
        },
      },
      () => {},
    );
    expect(missing).toMatchObject({ ok: false, problem: { file: 'encounters.csv' } });
    expect(missing.ok ? '' : missing.problem.message).toContain('no column "patient"');

    const running = api.findRows(
      'find-4',
      { file: encounters, name: 'encounters.csv', layout, rows: [1], chunkBytes: 1024 },
      () => {},
    );
    api.cancel('find-4');
    await expect(
      running.then(
        () => 'finished',
        (error: unknown) => isJobCancelled(error),
      ),
    ).resolves.toBe(true);
  });
});
