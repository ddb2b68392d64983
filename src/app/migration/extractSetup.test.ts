import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_NAME_CHARS } from '../../core/csv/index.ts';
import type { Project } from '../../formats/project.ts';
import {
  bindByHeader,
  type ChosenExtract,
  checkSetsToSave,
  demographicsOf,
  fileStem,
  headerKept,
  headerUndecided,
  linksOf,
  newDropDecisions,
  noHeaderLine,
  proposedKey,
  proposedLinks,
  savedLayout,
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

const PATIENTS = ['patient_id', 'mrn', 'last_name', 'birth_date'];
const ENCOUNTERS = ['encounter_id', 'patient_id', 'encounter_date'];
const contract = (id: string, columns: string[], required: string[] = []) => ({
  id,
  name: id,
  schema: {
    type: 'object',
    properties: Object.fromEntries(columns.map((c) => [c, { type: 'string' }])),
    required,
    additionalProperties: false,
  },
});
const schemas = [
  contract('contract:patients', PATIENTS, ['patient_id']),
  contract('contract:encounters', ENCOUNTERS, ['encounter_id']),
];
const project = {
  datasets: [
    {
      id: 'sample:patients.csv',
      name: 'patients.csv',
      kind: 'csv',
      bytes: 10,
      columns: PATIENTS,
      origin: { type: 'sample', path: 'samples/legacy/patients.csv' },
      contract: 'contract:patients',
      key: 'mrn',
    },
    {
      id: 'set:enc',
      name: 'visits.csv',
      kind: 'csv',
      bytes: 10,
      columns: ENCOUNTERS,
      origin: { type: 'file' },
      contract: 'contract:encounters',
      references: [{ column: 'patient_id', target: 'sample:patients.csv', targetColumn: 'patient_id' }],
    },
  ],
  schemas,
  mappings: [],
} as unknown as Project;

describe('binding a chosen file by its header, never its name', () => {
  it.each([
    ['the same header: its check set, exactly', PATIENTS, 'sample:patients.csv', true, 'contract:patients'],
    [
      'a column short: the closest check set',
      PATIENTS.slice(0, 3),
      'sample:patients.csv',
      false,
      'contract:patients',
    ],
    ['the encounters header under any name', ENCOUNTERS, 'set:enc', true, 'contract:encounters'],
    [
      'a differently shaped patients.csv: nothing',
      ['Id', 'BIRTHDATE', 'FIRST', 'LAST'],
      undefined,
      false,
      '',
    ],
  ])('%s', (_, header, set, exact, contractId) => {
    const binding = bindByHeader(project, header, schemas);
    expect(binding.checkSet?.id).toBe(set);
    expect(binding.exact).toBe(exact);
    expect(binding.contract).toBe(contractId);
  });

  it('without check sets, binds to the contract whose columns fit', () => {
    const bare = { ...project, datasets: [] } as Project;
    expect(bindByHeader(bare, ENCOUNTERS, schemas).contract).toBe('contract:encounters');
    expect(bindByHeader(bare, ['Id', 'FIRST'], schemas).contract).toBe('');
  });

  it('asks before checking rows of a header that does not fit its contract, until the user accepts', () => {
    const patients = { ...extract('p.csv', ['Id', ...PATIENTS.slice(1)]), contract: 'contract:patients' };
    expect(headerUndecided(patients, schemas)).toBe(true);
    expect(headerUndecided({ ...patients, headerAccepted: 'contract:patients' }, schemas)).toBe(false);
    expect(headerUndecided({ ...patients, header: PATIENTS }, schemas)).toBe(false);
    expect(headerUndecided({ ...patients, contract: '' }, schemas)).toBe(false);
  });
});

describe('a new drop checked in one action', () => {
  const bound = (name: string, header: string[], exact = true, chosen?: boolean): ChosenExtract => ({
    ...extract(name, header),
    contract: 'contract:patients',
    checkSet: { id: 'sample:patients.csv', name: 'patients.csv', exact, ...(chosen ? { chosen } : {}) },
  });
  it.each([
    { case: 'every file bound exactly: checked at once', files: [bound('drop.csv', PATIENTS)], lines: [] },
    {
      case: 'a file bound to a check set by choice: checked at once',
      files: [bound('empty.csv', [], false, true)],
      lines: [],
    },
    {
      case: 'a file of no saved check set',
      files: [bound('drop.csv', PATIENTS), { ...extract('other.csv', ['Id', 'FIRST']) }],
      lines: ['other.csv: its columns match no saved check set. Choose its contract and key below.'],
    },
    {
      case: 'a file with no column names',
      files: [extract('empty.csv', [])],
      lines: ['empty.csv: it has no column names to match a saved check set by. Choose its check set below.'],
    },
    {
      case: 'a file bound to the closest check set',
      files: [bound('short.csv', PATIENTS.slice(0, 3), false)],
      lines: [
        'short.csv: its columns are not those of the saved check set “patients.csv”. Check the settings taken from it below.',
      ],
    },
    {
      case: 'a header that does not fit its contract, until the user accepts it',
      files: [{ ...bound('renamed.csv', ['Id', ...PATIENTS.slice(1)]) }],
      lines: [
        'renamed.csv: its columns do not match its contract. Check the rows anyway, or pick another contract.',
      ],
    },
    {
      case: 'a header the user accepted',
      files: [{ ...bound('renamed.csv', ['Id', ...PATIENTS.slice(1)]), headerAccepted: 'contract:patients' }],
      lines: [],
    },
  ])('$case', ({ files, lines }) => {
    expect(newDropDecisions(files, schemas)).toEqual(lines);
  });
});

describe('a file whose header cannot be read is never bound by header', () => {
  // what an empty file, or a first line of blank names, could "match": a check set kept from a
  // blank first line and a contract without columns
  const blankSet = {
    id: 'set:blank',
    name: 'lab-results.csv',
    kind: 'csv',
    bytes: 1,
    columns: [''],
    origin: { type: 'file' },
    contract: 'contract:none',
  };
  const none = { id: 'contract:none', name: 'no columns', schema: { type: 'object', properties: {} } };
  const withBlank = { ...project, datasets: [...project.datasets, blankSet] } as unknown as Project;
  it.each([
    ['an empty file (no column names)', []],
    ['a first line of one blank name', ['']],
    ['a first line of blank names', ['', ' ']],
  ])('%s: no check set, no contract, and why', (_, header) => {
    expect(bindByHeader(withBlank, header, [...schemas, none])).toEqual({
      exact: false,
      contract: '',
      unmatched: 'no-header',
    });
  });

  it('says why it was not matched, for an empty file and for an unreadable first line', () => {
    expect(noHeaderLine({ file: new File([], 'lab.csv') }, true)).toBe(
      'Not matched to a saved check set: the file is empty, so it has no column names to match by. If it is a new drop of a saved extract, choose its check set below.',
    );
    // without a check set to choose, the line does not point to one
    expect(noHeaderLine({ file: new File(['\n'], 'lab.csv') }, false)).toBe(
      'Not matched to a saved check set: no column names could be read from its first line.',
    );
  });

  it('a header with a name over the bound is not kept: the project would hold that name', () => {
    const overlong = extract('long-name.csv', ['id', 'x'.repeat(DEFAULT_MAX_NAME_CHARS + 1)]);
    expect(headerKept(overlong.header)).toBe(false);
    expect(checkSetsToSave([overlong], [], project, new Map())).toEqual([]);
    expect(headerKept(['id', 'x'.repeat(DEFAULT_MAX_NAME_CHARS)])).toBe(true);
  });

  it('is not kept as a check set of its own, but saves under a check set chosen for it', () => {
    const empty = extract('lab-results.csv', []);
    expect(checkSetsToSave([empty], [], project, new Map([['lab-results.csv', 'new-id']]))).toEqual([]);
    const chosen: ChosenExtract = {
      ...empty,
      checkSet: { id: 'set:enc', name: 'visits.csv', exact: false, chosen: true },
    };
    const [saved, ...more] = checkSetsToSave([chosen], [], project, new Map());
    expect(more).toEqual([]);
    // the check set keeps its name and the columns it expects
    expect(saved).toMatchObject({ id: 'set:enc', name: 'visits.csv', columns: ENCOUNTERS });
    // with the check set's contract, no header mismatch is asked about: there is no header
    expect(headerUndecided({ ...chosen, contract: 'contract:encounters' }, schemas)).toBe(false);
  });
});

describe('check sets kept for the next run', () => {
  const bound = (name: string, header: string[], id: string): ChosenExtract => ({
    ...extract(name, header),
    checkSet: { id, name, exact: true },
  });

  it.each([
    ['chosen columns are kept with the key', 'mrn', ['birth_date'], ['birth_date']],
    ['nothing chosen to compare is kept as such', 'mrn', [], []],
    ['none chosen: the check set guesses them next time', 'mrn', undefined, undefined],
    ['without a key, nothing is compared', '', ['birth_date'], undefined],
  ])('%s', (_name, key, demographics, kept) => {
    const chosen: ChosenExtract = {
      ...bound('pts.csv', PATIENTS, 'sample:patients.csv'),
      key,
      ...(demographics ? { demographics } : {}),
    };
    const [saved] = checkSetsToSave([chosen], [], project, new Map());
    expect(saved?.demographics).toEqual(kept);
  });

  it("takes a check set's saved links to the files bound to the linked sets", () => {
    const chosen = [
      bound('new visits.csv', ENCOUNTERS, 'set:enc'),
      bound('pts.csv', PATIENTS, 'sample:patients.csv'),
    ];
    expect(linksOf(chosen, project)).toEqual([
      { input: 'new visits.csv', column: 'patient_id', target: 'pts.csv', targetColumn: 'patient_id' },
    ]);
  });

  it('saves layout, contract, key and links under the bound id, a sample keeping its origin', () => {
    const chosen = [
      {
        ...bound('pts.csv', PATIENTS, 'sample:patients.csv'),
        contract: 'contract:patients',
        key: 'patient_id',
      },
      { ...extract('other.csv', ['a', 'patient_id']), contract: 'contract:gone', key: 'a' },
    ];
    const links = [
      { input: 'other.csv', column: 'patient_id', target: 'pts.csv', targetColumn: 'patient_id' },
    ];
    const [first, second] = checkSetsToSave(chosen, links, project, new Map([['other.csv', 'new-id']]));
    expect(first).toMatchObject({
      id: 'sample:patients.csv',
      name: 'patients.csv',
      bytes: 10,
      origin: { type: 'sample' },
      contract: 'contract:patients',
      key: 'patient_id',
      lineEnding: 'LF',
      references: [],
    });
    expect(second).toMatchObject({
      id: 'new-id',
      name: 'other.csv',
      columns: ['a', 'patient_id'],
      delimiter: ',',
      key: 'a',
      references: [{ column: 'patient_id', target: 'sample:patients.csv', targetColumn: 'patient_id' }],
    });
    expect(second?.contract).toBeUndefined();
  });
});

describe('the layout a check set saved', () => {
  const sniffed = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;
  const set = project.datasets[1] as Project['datasets'][number];
  it.each([
    ['nothing saved: as detected', {}, sniffed],
    [
      'every field saved: as saved',
      { encoding: 'windows-1252', delimiter: ';', quote: "'", header: false, lineEnding: 'CRLF' },
      { encoding: 'windows-1252', delimiter: ';', quote: "'", header: false, lineEnding: '\r\n' },
    ],
    ['only line endings saved', { lineEnding: 'CR' }, { ...sniffed, lineEnding: '\r' }],
  ])('%s', (_, saved, expected) => {
    expect(savedLayout(sniffed, { ...set, ...saved } as Project['datasets'][number])).toEqual(expected);
  });
});
