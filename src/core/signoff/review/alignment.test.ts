import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadMapping, type Mapping } from '../../../formats/mapping.ts';
import { alignShown, classifyTarget, type FieldClass } from './alignment.ts';
import { type ShownRecord, shownHash } from './review.ts';
import { viewOfShown, viewRecord } from './shown.ts';

const MAPPING_FILE = new URL('../../../../samples/mappings/patients-to-fhir-patient.json', import.meta.url);

function demoMapping(): Mapping {
  const loaded = loadMapping(JSON.parse(readFileSync(MAPPING_FILE, 'utf8')));
  if (!loaded.ok) throw new Error('demo mapping invalid');
  return loaded.value;
}

describe('classifyTarget', () => {
  const cases: {
    description: string;
    legacy: string[];
    migrated: string;
    expected: string | undefined;
    want: FieldClass;
  }[] = [
    { description: 'a copied value', legacy: ['Ng'], migrated: 'Ng', expected: 'Ng', want: 'as-mapped' },
    {
      description: 'a code the code map translates (F → female)',
      legacy: ['F'],
      migrated: 'female',
      expected: 'female',
      want: 'as-mapped',
    },
    {
      description: 'a value that is not what the mapping makes',
      legacy: ['F'],
      migrated: 'male',
      expected: 'female',
      want: 'differs',
    },
    {
      description: 'a value lost on the way (Male → nothing)',
      legacy: ['Male'],
      migrated: '',
      expected: '',
      want: 'missing',
    },
    {
      description: 'a value the mapping makes but the record lacks',
      legacy: ['1990-01-02'],
      migrated: '',
      expected: '1990-01-02',
      want: 'missing',
    },
    { description: 'blank on both sides', legacy: [''], migrated: '', expected: '', want: 'blank-both' },
    { description: 'spaces only are blank', legacy: ['  '], migrated: '', expected: '', want: 'blank-both' },
    {
      description: 'a value where the legacy field is blank',
      legacy: [''],
      migrated: 'Ann',
      expected: '',
      want: 'differs',
    },
    {
      description: 'a fixed value as set',
      legacy: [],
      migrated: 'usual',
      expected: 'usual',
      want: 'as-mapped',
    },
    {
      description: 'without the expected value: equal ignoring case',
      legacy: ['ng '],
      migrated: 'Ng',
      expected: undefined,
      want: 'as-mapped',
    },
    {
      description: 'without the expected value: a changed text differs',
      legacy: ['F'],
      migrated: 'female',
      expected: undefined,
      want: 'differs',
    },
  ];
  it.each(cases)('$description is $want', ({ legacy, migrated, expected, want }) => {
    expect(classifyTarget({ legacy, migrated, expected })).toBe(want);
  });
});

describe('alignShown on the demo mapping', () => {
  const header = [
    'patient_id',
    'mrn',
    'last_name',
    'first_name',
    'middle_name',
    'birth_date',
    'sex',
    'ssn',
    'phone',
    'email',
    'address_line',
    'city',
    'state',
    'postal_code',
    'insurance_member_id',
    'primary_care_provider',
    'allergies',
    'last_visit',
  ];
  const row = (patch: Record<string, string>) =>
    header.map(
      (column) =>
        patch[column] ??
        {
          patient_id: 'P000001',
          mrn: '10104729',
          last_name: 'Ng',
          first_name: 'Ashley',
          middle_name: 'T',
          birth_date: '07/10/2002',
          sex: 'F',
          phone: '802-555-0187',
          email: 'Ashley.Ng@example.org',
          allergies: 'peanut',
        }[column] ??
        '',
    );
  const view = (patch: Record<string, string>) =>
    viewRecord({
      planHash: 'a'.repeat(64),
      stratum: 'patients.csv',
      record: { file: 'patients.csv', row: 3, key: '10104729' },
      header,
      cells: row(patch),
      mapping: demoMapping(),
    });
  const classOf = (patch: Record<string, string>, column: string) =>
    alignShown(view(patch).shown).rows.find((r) => r.columns.join('+') === column)?.class;

  const cases: { description: string; patch: Record<string, string>; column: string; want: FieldClass }[] = [
    { description: 'F → female is the mapping at work', patch: {}, column: 'sex', want: 'as-mapped' },
    { description: 'Male → nothing is a loss', patch: { sex: 'Male' }, column: 'sex', want: 'missing' },
    {
      description: 'an impossible date is lost',
      patch: { birth_date: '13/45/1990' },
      column: 'birth_date',
      want: 'missing',
    },
    { description: 'a rewritten date is as mapped', patch: {}, column: 'birth_date', want: 'as-mapped' },
    {
      description: 'a blank last name is shown as blank',
      patch: { last_name: '' },
      column: 'last_name',
      want: 'blank-both',
    },
    { description: 'allergies are not migrated', patch: {}, column: 'allergies', want: 'not-migrated' },
    {
      description: 'an empty unmigrated column still shows',
      patch: { allergies: '' },
      column: 'allergies',
      want: 'not-migrated',
    },
    // the phone is blank, so the email's telecom entry closes up to telecom[0]: not a difference
    {
      description: 'a value moved by a closed-up list',
      patch: { phone: '' },
      column: 'email',
      want: 'as-mapped',
    },
    { description: 'the blank phone beside it', patch: { phone: '' }, column: 'phone', want: 'blank-both' },
  ];
  it.each(cases)('$description', ({ patch, column, want }) => {
    expect(classOf(patch, column)).toBe(want);
  });

  it('a column not migrated is a critical risk unless the plan records why and who owns it', () => {
    const allergies = (notMigrated?: Parameters<typeof alignShown>[1]) =>
      alignShown(view({}).shown, notMigrated).rows.find((r) => r.columns[0] === 'allergies');
    expect(allergies()?.risk).toEqual({ level: 'critical' });
    expect(alignShown(view({}).shown).critical).toBe(
      alignShown(view({}).shown).rows.filter((r) => r.class === 'not-migrated').length,
    );
    const recorded = [
      { column: 'allergies', reason: 'Kept in the pharmacy system', owner: 'Chief pharmacist' },
    ];
    expect(allergies(recorded)?.risk).toEqual({
      level: 'recorded',
      reason: 'Kept in the pharmacy system',
      owner: 'Chief pharmacist',
    });
    // a reason without an owner answers for nothing
    expect(allergies([{ column: 'allergies', reason: 'Kept elsewhere', owner: ' ' }])?.risk).toEqual({
      level: 'critical',
    });
    // without a mapping nothing is known of the migration: no risk claimed
    const unmapped = viewRecord({
      planHash: 'a'.repeat(64),
      stratum: 'patients.csv',
      record: { file: 'patients.csv', row: 3, key: '10104729' },
      header,
      cells: row({}),
    });
    expect(alignShown(unmapped.shown).critical).toBe(0);
  });

  it('has a row per legacy column in header order and the fixed values apart', () => {
    const aligned = alignShown(view({}).shown);
    expect(aligned.rows.map((r) => r.columns.join('+'))).toEqual(header);
    expect(aligned.fixed.length).toBe(demoMapping().fields.filter((f) => f.from === undefined).length);
    // fixed values of a list entry exist only with a value from the legacy row: this record has no
    // SSN and no address, so those fixed values are blank on both sides
    expect(aligned.fixed.filter((t) => t.class !== 'as-mapped').map((t) => [t.target, t.class])).toEqual([
      ['identifier[2].system', 'blank-both'],
      ['address[0].use', 'blank-both'],
      ['address[0].country', 'blank-both'],
    ]);
    expect(aligned.rows.find((r) => r.columns[0] === 'allergies')?.field).toBe('allergies');
    expect(aligned.rows.find((r) => r.columns[0] === 'sex')?.field).toBe('gender');
    const counted = Object.values(aligned.counts).reduce((a, b) => a + b, 0);
    expect(counted).toBe(aligned.rows.length + aligned.fixed.length);
  });

  it('says where a moved value landed and why a value could not be converted', () => {
    const moved = alignShown(view({ phone: '' }).shown).rows.find((r) => r.columns[0] === 'email');
    expect(moved?.targets[0]).toMatchObject({ target: 'telecom[1].value', path: 'telecom[0].value' });
    expect(moved?.targets[0]?.migrated).toBe('ashley.ng@example.org');
    const date = alignShown(view({ birth_date: '13/45/1990' }).shown).rows.find(
      (r) => r.columns[0] === 'birth_date',
    );
    expect(date?.targets[0]?.problem).toMatch(/./);
    expect(date?.targets[0]?.problem).not.toContain('13/45/1990');
  });

  it('is the same from the shown record alone (a review packet), and the hash covers the classes', () => {
    const lead = view({ sex: 'Male' });
    const packet = viewOfShown(JSON.parse(JSON.stringify(lead.shown)) as ShownRecord);
    expect(alignShown(packet.shown)).toEqual(alignShown(lead.shown));
    // what the class is read from is in the hash: another expected value is another hash
    const edited: ShownRecord = {
      ...lead.shown,
      alignment: lead.shown.alignment.map((a) => (a.target === 'gender' ? { ...a, expected: 'male' } : a)),
    };
    expect(shownHash(edited)).not.toBe(shownHash(lead.shown));
  });

  it('classes a record shown before expected values by the plain comparison', () => {
    const older = view({}).shown;
    const bare: ShownRecord = {
      ...older,
      alignment: older.alignment.map(({ target, columns }) => ({ target, columns })),
    };
    const rows = alignShown(bare).rows;
    expect(rows.find((r) => r.columns[0] === 'sex')?.class).toBe('differs');
    expect(rows.find((r) => r.columns[0] === 'last_name')?.class).toBe('as-mapped');
  });
});
