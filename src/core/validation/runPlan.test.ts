import { describe, expect, it } from 'vitest';
import type { Dataset, Project, SchemaDoc } from '../../formats/project.ts';
import {
  type FileBinding,
  namesOf,
  PlanUsageError,
  pairContracts,
  pairMappings,
  parseKeys,
  parseReferences,
  planRun,
  type RunContract,
} from './runPlan.ts';

const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;

/** A Table Schema converted to a contract: keys, a foreign key into a file of the run, one into none. */
const tableContract: RunContract = {
  contract: { type: 'object', properties: { patient_id: {}, mrn: {}, clinic: {} } },
  keys: ['patient_id', 'mrn'],
  foreignKeys: [
    { column: 'clinic', resource: 'clinics', targetColumn: 'id' },
    { column: 'ward', resource: 'wards', targetColumn: 'id' },
  ],
  notChecked: ['a two-column primary key is not checked'],
};

describe('the option values of a run, by file name', () => {
  it('names a file by its path, its base name or its stem', () => {
    expect(namesOf('drop/11/patients.csv')).toEqual(['drop/11/patients.csv', 'patients.csv', 'patients']);
  });

  it('pairs contracts with files by name, one bare contract with every file, several in order', () => {
    const files = ['a/patients.csv', 'a/encounters.csv'];
    expect([...pairContracts(files, ['encounters=e.json', 'p.json'])]).toEqual([
      ['a/encounters.csv', 'e.json'],
      ['a/patients.csv', 'p.json'],
    ]);
    expect([...pairContracts(files, ['p.json', 'e.json'])]).toEqual([
      ['a/patients.csv', 'p.json'],
      ['a/encounters.csv', 'e.json'],
    ]);
    expect(() => pairContracts(files, ['labs=l.json'])).toThrow(PlanUsageError);
    expect(() => pairContracts(files, ['a.json', 'b.json', 'c.json'])).toThrow(/3 --schema files/);
  });

  it('pairs mappings by file name, else by the file they were written for, else with the only file', async () => {
    const files = ['drop/patients.csv', 'drop/encounters.csv'];
    const sourceOf = async (file: string) => (file === 'e.json' ? 'encounters.csv' : 'labs.csv');
    expect([...(await pairMappings(files, ['patients=p.json', 'e.json'], sourceOf))]).toEqual([
      ['drop/patients.csv', 'p.json'],
      ['drop/encounters.csv', 'e.json'],
    ]);
    await expect(pairMappings(files, ['l.json'], sourceOf)).rejects.toThrow(
      'the mapping "l.json" is for "labs.csv", which is not one of the files',
    );
    expect([...(await pairMappings(['only.csv'], ['l.json'], sourceOf))]).toEqual([['only.csv', 'l.json']]);
  });

  it('reads keys of one file or of every file, and references between files', () => {
    const files = ['patients.csv', 'encounters.csv'];
    expect(parseKeys(files, ['patients.mrn', 'id', 'x.y'])).toEqual([
      { file: 'patients.csv', column: 'mrn' },
      { column: 'id' },
      { column: 'x.y' },
    ]);
    expect(parseReferences(files, ['encounters.patient_id=patients.patient_id'])).toEqual([
      { input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' },
    ]);
    expect(() => parseReferences(files, ['encounters.patient_id'])).toThrow(PlanUsageError);
  });
});

describe('a run planned once for every engine', () => {
  it('adds a Table Schema’s keys and foreign keys after those given, and says what is not checked', () => {
    const files = ['patients.csv', 'clinics.csv'];
    const plan = planRun({
      files,
      contracts: new Map([['patients.csv', { key: 'patients.table.json', read: tableContract }]]),
      keys: [{ column: 'mrn' }],
      keysGiven: true,
      links: [],
      linksGiven: false,
    });
    // the bare key given first; the contract's own keys only where the file has none of that name
    expect(plan.keys).toEqual([{ column: 'mrn' }, { file: 'patients.csv', column: 'patient_id' }]);
    expect(plan.files[0]?.keys).toEqual(['mrn', 'patient_id']);
    expect(plan.files[1]?.keys).toEqual(['mrn']);
    expect(plan.links).toEqual([
      { input: 'patients.csv', column: 'clinic', target: 'clinics.csv', targetColumn: 'id' },
    ]);
    expect(plan.files[0]?.notChecked).toEqual([
      'a two-column primary key is not checked',
      'the foreign key ward → wards.id is not checked: no file named "wards" is in this run',
    ]);
    // no $id: the contract is named by its file
    expect(plan.files[0]?.contract?.id).toBe('patients.table.json');
    expect(plan.files[1]?.contract).toBeUndefined();
  });

  it('takes a bound file’s contract, key and links from its check set unless options give them', () => {
    const doc: SchemaDoc = {
      id: 'schema:1',
      name: 'Patients contract',
      schema: { type: 'object', properties: { patient_id: {}, mrn: {} } },
    } as SchemaDoc;
    const set = {
      id: 'checkset:1',
      name: 'patients.csv',
      kind: 'csv',
      bytes: 1,
      columns: ['patient_id', 'mrn'],
      origin: { type: 'file' },
      key: 'mrn',
      demographics: ['family'],
    } as Dataset;
    const bound: FileBinding = {
      file: 'drop/patients.csv',
      layout: LAYOUT,
      header: ['patient_id', 'mrn'],
      binding: { checkSet: set, exact: true, contract: doc.id },
      contract: doc,
    };
    const project = { datasets: [set], schemas: [doc] } as unknown as Project;
    const request = {
      files: ['drop/patients.csv'],
      contracts: new Map(),
      keys: [],
      keysGiven: false,
      links: [],
      linksGiven: false,
      project: { project, bound: [bound] },
    };
    const plan = planRun(request);
    expect(plan.files[0]?.contract).toMatchObject({ key: 'project:schema:1', id: 'Patients contract' });
    expect(plan.keys).toEqual([{ file: 'drop/patients.csv', column: 'mrn' }]);
    expect(plan.checkSetIds).toEqual(new Map([['drop/patients.csv', 'checkset:1']]));
    expect(plan.savedDemographics).toEqual(new Map([['drop/patients.csv', ['family']]]));
    // --key given: the check set's key is not added
    expect(planRun({ ...request, keys: [{ column: 'patient_id' }], keysGiven: true }).keys).toEqual([
      { column: 'patient_id' },
    ]);
  });
});
