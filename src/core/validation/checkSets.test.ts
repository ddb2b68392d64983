import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../formats/project.ts';
import { fileStem, keyOf, linksOf } from './checkSets.ts';

const set = (key?: string): Dataset => ({
  id: 'checkset:1',
  name: 'patients.csv',
  kind: 'csv',
  bytes: 1,
  columns: ['patient_id', 'mrn'],
  origin: { type: 'file' },
  ...(key ? { key } : {}),
});

describe('what a check set proposes for a file named by a path (the command line) or a name (the screen)', () => {
  it.each([
    { name: 'encounters.csv', stem: 'encounter' },
    { name: 'drop/2026-11/encounters.csv', stem: 'encounter' },
    { name: 'C:\\drops\\Patients.CSV', stem: 'patient' },
    { name: 'lab', stem: 'lab' },
  ])('the stem of $name is $stem', ({ name, stem }) => {
    expect(fileStem(name)).toBe(stem);
  });

  it.each([
    {
      description: 'the saved key, when the file has it',
      header: ['mrn', 'patient_id'],
      saved: 'patient_id',
      key: 'patient_id',
    },
    {
      description: 'the proposed key, when the file lacks the saved one',
      header: ['mrn', 'id'],
      saved: 'patient_id',
      key: 'mrn',
    },
    {
      description: 'the proposed key, without a check set',
      header: ['encounter_id'],
      saved: undefined,
      key: 'encounter_id',
    },
    { description: 'none, when nothing fits', header: ['a', 'b'], saved: undefined, key: '' },
  ])('key: $description', ({ header, saved, key }) => {
    expect(keyOf('drop/encounters.csv', header, saved === undefined ? undefined : set(saved))).toBe(key);
  });

  it('proposes links between files named by their paths', () => {
    expect(
      linksOf(
        [
          { name: 'drop/patients.csv', header: ['patient_id', 'mrn'] },
          { name: 'drop/encounters.csv', header: ['encounter_id', 'patient_id'] },
        ],
        { datasets: [] },
      ),
    ).toEqual([
      {
        input: 'drop/encounters.csv',
        column: 'patient_id',
        target: 'drop/patients.csv',
        targetColumn: 'patient_id',
      },
    ]);
  });
});
