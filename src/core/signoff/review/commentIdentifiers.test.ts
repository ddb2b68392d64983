import { describe, expect, it } from 'vitest';
import {
  type CommentIdentifierKind,
  commentIdentifierProblem,
  decisionIdentifierProblem,
  identifyingValues,
} from './commentIdentifiers.ts';

const shown = {
  recordKey: '00012345',
  source: {
    header: [
      'mrn',
      'last_name',
      'first_name',
      'dob',
      'phone',
      'address_line1',
      'drug_name',
      'allergies',
      'insurance_id',
    ],
    cells: [
      '00012345',
      'Okafor',
      'Ada',
      '1980-05-12',
      '555-201-7788',
      '12 Mill Lane',
      'Amoxicillin',
      'Penicillin',
      'INS-77-4410',
    ],
  },
  alignment: [
    { target: 'identifier[0].value', columns: ['mrn'] },
    { target: 'name[0].family', columns: ['last_name'] },
    { target: 'birthDate', columns: ['dob'] },
  ],
};
const values = identifyingValues(shown);

describe('identifying values of a record', () => {
  it('takes the key and the identifying columns, not the clinical ones', () => {
    expect(values.map((v) => v.column ?? v.kind)).toEqual([
      'record-key',
      'mrn',
      'last_name',
      'first_name',
      'dob',
      'phone',
      'address_line1',
      'insurance_id',
    ]);
  });

  it('takes a column mapped to an identifying target whatever its name', () => {
    const odd = identifyingValues({
      recordKey: 'K1',
      source: { header: ['fld7'], cells: ['Zanele'] },
      alignment: [{ target: 'name[0].given[0]', columns: ['fld7'] }],
    });
    expect(odd.at(-1)).toEqual({ kind: 'identifying-field', value: 'Zanele', column: 'fld7' });
  });

  it('leaves out the generic parts of an address or identifier: a state, a country, a code', () => {
    const address = identifyingValues({
      recordKey: 'K1',
      source: { header: ['region', 'town_name', 'kind'], cells: ['IN', 'Pinecrest Falls', 'MR'] },
      alignment: [
        { target: 'address[0].state', columns: ['region'] },
        { target: 'address[0].city', columns: ['town_name'] },
        { target: 'identifier[0].type.coding[0].code', columns: ['kind'] },
      ],
    });
    expect(address.map((v) => v.column ?? v.kind)).toEqual(['record-key', 'town_name']);
    expect(commentIdentifierProblem('allergy not in the new record', address)).toBeNull();
    expect(commentIdentifierProblem('lives in pinecrest falls', address)?.column).toBe('town_name');
  });
});

describe('comments that identify the patient', () => {
  const cases: { text: string; expected: CommentIdentifierKind | null; column?: string }[] = [
    // must block
    { text: 'MRN 00012345 has the wrong birth date', expected: 'record-key' },
    { text: 'see 0001 2345 in the old system', expected: 'record-key' },
    { text: 'key 00012345. wrong', expected: 'record-key' },
    { text: 'okafor is spelt wrong', expected: 'identifying-field', column: 'last_name' },
    { text: 'born 1980-05-12 per chart', expected: 'identifying-field', column: 'dob' },
    { text: 'phone (555) 201 7788 dropped', expected: 'identifying-field', column: 'phone' },
    { text: 'address 12  mill lane missing', expected: 'identifying-field', column: 'address_line1' },
    { text: 'insurance INS-77-4410 not migrated', expected: 'identifying-field', column: 'insurance_id' },
    { text: 'same as patient 4471902', expected: 'mrn-like-number' },
    { text: 'duplicate of 123456', expected: 'mrn-like-number' },
    { text: 'call 555-010-9999 to check', expected: 'phone-number' },
    { text: 'SSN 123-45-6789 in notes', expected: 'national-id' },
    { text: 'emailed the gp at j.doe@example.org', expected: 'email' },
    // must pass
    { text: 'dose 500 mg', expected: null },
    { text: '2024-03-01', expected: null },
    { text: 'field allergy wrong', expected: null },
    { text: 'given 1000000 units per day', expected: null },
    { text: 'count 1,000,000 cells', expected: null },
    { text: 'visit on 01/03/2024 and 20240301', expected: null },
    { text: 'Amoxicillin missing in the migrated record', expected: null },
    { text: 'family name field is blank', expected: null },
    { text: 'house number 12 wrong', expected: null },
    { text: 'adaptive format', expected: null },
    { text: 'lab ref 5000123450', expected: 'mrn-like-number' },
    { text: 'phone 5552017788999 is not a number', expected: 'mrn-like-number' },
    { text: '', expected: null },
  ];
  for (const { text, expected, column } of cases)
    it(`${expected ? 'blocks' : 'passes'} “${text}”`, () => {
      const problem = commentIdentifierProblem(text, values);
      expect(problem?.kind ?? null).toBe(expected);
      if (column) expect(problem?.column).toBe(column);
      if (problem) {
        expect(problem.message).toContain('"the record" or by field name');
        // the message says the kind, never the value
        for (const v of values) expect(problem.message).not.toContain(v.value);
      }
    });
});

describe('identifiers in a decision', () => {
  it('checks the reason for a change as well as the comment, against the record key alone', () => {
    const problem = decisionIdentifierProblem({
      recordKey: 'MRN-88',
      comment: 'wrong city',
      change: { replaces: 'd1', previousOutcome: 'accept', reason: 'looked again at mrn-88' },
    });
    expect(problem?.kind).toBe('record-key');
    expect(problem?.message).toMatch(/^The reason for the change contains/);
    expect(decisionIdentifierProblem({ recordKey: 'MRN-88', comment: 'wrong city' })).toBeNull();
  });
});
