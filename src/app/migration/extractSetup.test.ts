import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import {
  type ChosenExtract,
  demographicsOf,
  fileStem,
  proposedContract,
  proposedKey,
  proposedLinks,
  uniqueName,
} from './extractSetup.ts';

const extract = (name: string, header: string[]): ChosenExtract => ({
  name,
  file: new File([], name),
  layout: { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' },
  detected: { encoding: true, delimiter: true, lineEnding: true },
  header,
  contract: '',
  key: '',
});

describe('what the workspace proposes for chosen files', () => {
  it.each([
    ['patients.csv', 'patient'],
    ['encounters.csv', 'encounter'],
    ['Lab.Results.tsv', 'lab.result'],
    ['allergy', 'allergy'],
  ])('stem of %s is %s', (name, stem) => {
    expect(fileStem(name)).toBe(stem);
  });

  it.each([
    ['patients.csv', ['patient_id', 'mrn', 'last_name'], 'mrn'],
    ['encounters.csv', ['encounter_id', 'patient_id'], 'encounter_id'],
    ['things.csv', ['id', 'name'], 'id'],
    ['things.csv', ['name'], ''],
  ])('key of %s with %j is %j', (name, header, key) => {
    expect(proposedKey(name, header)).toBe(key);
  });

  it('links a <stem>_id column to the file of that stem, never a file to itself', () => {
    const links = proposedLinks([
      extract('patients.csv', ['patient_id', 'mrn']),
      extract('encounters.csv', ['encounter_id', 'patient_id']),
      extract('notes.csv', ['encounter_id', 'patient_id']),
    ]);
    expect(links).toEqual([
      { input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' },
      { input: 'notes.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' },
      { input: 'notes.csv', column: 'encounter_id', target: 'encounters.csv', targetColumn: 'encounter_id' },
    ]);
  });

  it('takes the contract of the project dataset of the same name, when that contract exists', () => {
    const project = {
      datasets: [
        { name: 'patients.csv', contract: 'contract:patients' },
        { name: 'encounters.csv', contract: 'contract:gone' },
      ],
      schemas: [{ id: 'contract:patients', name: 'Patients', schema: {} }],
    } as unknown as Project;
    expect(proposedContract(project, 'patients.csv')).toBe('contract:patients');
    expect(proposedContract(project, 'encounters.csv')).toBe('');
    expect(proposedContract(project, 'other.csv')).toBe('');
  });

  it('compares at most four demographic columns the file has, never the key', () => {
    expect(
      demographicsOf(['mrn', 'dob', 'last_name', 'first_name', 'sex', 'gender', 'birth_date'], 'mrn'),
    ).toEqual(['last_name', 'first_name', 'birth_date', 'sex']);
    expect(demographicsOf(['dob', 'mrn'], 'dob')).toEqual([]);
  });

  it('gives a second file of the same name its own name', () => {
    expect(uniqueName('a.csv', [])).toBe('a.csv');
    expect(uniqueName('a.csv', ['a.csv', 'a.csv (2)'])).toBe('a.csv (3)');
  });
});
