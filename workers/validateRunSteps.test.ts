/**
 * The run's progress says when a file has been read to the end and the run is checking its keys
 * (or putting the files' results together): the seconds after the last byte, in which the count
 * cannot move, are their own step, never "99 % · about 0 s left" (core/jobs/progress.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutOf } from './testing/sniffedLayout.ts';
import { createValidateApi, type ValidateInputSpec, type ValidationProgress } from './validateApi.ts';
import { runValidation } from './validateRun.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../samples');
const blobOf = (file: string) => new Blob([readFileSync(path.join(SAMPLES, file))]);

describe('validation run progress: the step after reading', () => {
  it.each([
    {
      filesAtOnce: 1,
      keyed: true,
      links: true,
      steps: ['patients.csv checking-keys', 'encounters.csv checking-keys', 'encounters.csv writing-report'],
    },
    {
      filesAtOnce: 3,
      keyed: true,
      links: true,
      steps: ['patients.csv checking-keys', 'encounters.csv checking-keys', 'encounters.csv writing-report'],
    },
    {
      // no link: files one after another (with several at once, which ends first is not fixed)
      filesAtOnce: 1,
      keyed: false,
      links: false,
      steps: ['patients.csv combining', 'encounters.csv combining', 'encounters.csv writing-report'],
    },
    {
      filesAtOnce: 2,
      keyed: false,
      links: true,
      steps: ['patients.csv checking-keys', 'encounters.csv checking-keys', 'encounters.csv writing-report'],
    },
  ])(
    '$filesAtOnce file(s) at once, keys $keyed, links $links: one step per file once it is read to the end, then the report step',
    async ({ filesAtOnce, keyed, links, steps }) => {
      const api = createValidateApi();
      const patients = blobOf('legacy/patients.csv');
      const encounters = blobOf('legacy/encounters.csv');
      const inputs: ValidateInputSpec[] = [
        {
          file: patients,
          name: 'patients.csv',
          layout: await layoutOf(api, patients, 'patients.csv'),
          keys: keyed ? [{ column: 'mrn' }] : [],
        },
        {
          file: encounters,
          name: 'encounters.csv',
          layout: await layoutOf(api, encounters, 'encounters.csv'),
          keys: keyed ? [{ column: 'encounter_id' }] : [],
        },
      ];
      const progress: ValidationProgress[] = [];
      let n = 0;
      const outcome = await runValidation(
        {
          inputs,
          links: links
            ? [
                {
                  input: 'encounters.csv',
                  column: 'patient_id',
                  target: 'patients.csv',
                  targetColumn: 'patient_id',
                },
              ]
            : [],
          toolVersion: '0.0.0-test',
          chunkBytes: 16 * 1024,
        },
        {
          filesAtOnce,
          onProgress: (p) => progress.push(p),
          runFile: (task, onProgress) => api.validateFile(`file-${n++}`, task, onProgress),
        },
      );
      expect(outcome.ok).toBe(true);
      const stepped = progress.filter((p) => p.step);
      expect(stepped.map((p) => `${p.input} ${p.step}`)).toEqual(steps);
      for (const p of stepped) {
        // said when the file is read to the end: every byte of it and of the files before it
        const before = p.input === 'patients.csv' ? patients.size : patients.size + encounters.size;
        expect(p.done).toBe(before);
        // nothing to count down during a step
        expect(p.etaSeconds).toBeNull();
      }
      // while the first file's step lasts no report of that file goes back to counting its bytes
      const first = progress.indexOf(stepped[0] as ValidationProgress);
      expect(progress.slice(first + 1).filter((p) => p.input === 'patients.csv' && !p.step)).toEqual([]);
      // the run's last report is the finished count
      expect(progress.at(-1)).toMatchObject({ done: patients.size + encounters.size });
    },
  );
});
