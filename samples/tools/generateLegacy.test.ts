/**
 * The committed legacy extracts are exactly what the generator makes, and they carry exactly the
 * planted defects that samples/README.md documents. Counts are measured on the committed bytes
 * with checks written independently of the generator, then compared with the README's numbers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_OUT_DIR,
  decodeWindows1252,
  ENCOUNTER_COLUMNS,
  ENCOUNTER_COUNT,
  ENCOUNTER_DEFECTS,
  EXTRACT_DATE,
  encodeWindows1252,
  PATIENT_COLUMNS,
  PATIENT_COUNT,
  PATIENT_DEFECTS,
  PATIENT_EDGE_CASES,
  writeLegacy,
} from './generateLegacy.ts';

type Row = Record<string, string>;

const patientBytes = readFileSync(join(DEFAULT_OUT_DIR, 'patients.csv'));
const encounterBytes = readFileSync(join(DEFAULT_OUT_DIR, 'encounters.csv'));
const patientText = new TextDecoder('utf-8', { fatal: true }).decode(patientBytes);
const encounterText = decodeWindows1252(encounterBytes);

function parse(text: string, delimiter: string): { fields: string[]; rows: Row[] } {
  const result = Papa.parse<Row>(text, { header: true, delimiter, newline: '\r\n', skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return { fields: result.meta.fields ?? [], rows: result.data };
}
const patients = parse(patientText, ',');
const encounters = parse(encounterText, ';');

const count = (rows: readonly Row[], test: (row: Row) => boolean) => rows.filter(test).length;
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('generateLegacy', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'preflight-legacy-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('regenerates byte-identical extracts', () => {
    const paths = writeLegacy(outDir);
    expect(readFileSync(paths.patients).equals(patientBytes)).toBe(true);
    expect(readFileSync(paths.encounters).equals(encounterBytes)).toBe(true);
  });

  it('encodes only the table characters as Windows-1252 and refuses others', () => {
    expect([...encodeWindows1252('Café – 5º')]).toEqual([
      0x43, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x35, 0xba,
    ]);
    expect(() => encodeWindows1252('€')).toThrow(/U\+20ac/);
  });
});

describe('patients.csv layout', () => {
  it('has the header and row count, CRLF rows and one embedded LF', () => {
    expect(patients.fields).toEqual([...PATIENT_COLUMNS]);
    expect(patients.rows).toHaveLength(PATIENT_COUNT);
    expect(occurrences(patientText, '\r\n')).toBe(PATIENT_COUNT + 1);
    expect(occurrences(patientText, '\n')).toBe(PATIENT_COUNT + 1 + PATIENT_DEFECTS.embeddedNewline);
    expect(patientBytes[0]).not.toBe(0xef); // no byte-order mark
  });

  it('holds only synthetic identifiers', () => {
    for (const row of patients.rows) {
      if (row.ssn) expect(row.ssn).toMatch(/^9\d{2}-\d{2}-\d{4}$/);
      if (row.phone) expect(row.phone.replace(/\D/g, '')).toMatch(/^1?\d{3}55501\d{2}$/);
      if (row.email?.includes('@')) expect(row.email).toMatch(/@(example\.org|mail\.example\.test)$/);
    }
  });
});

describe('patients.csv planted defects (README table)', () => {
  const rows = patients.rows;
  const mrnCounts = new Map<string, Row[]>();
  for (const row of rows) mrnCounts.set(row.mrn ?? '', [...(mrnCounts.get(row.mrn ?? '') ?? []), row]);
  const pairs = [...mrnCounts.values()].filter((group) => group.length > 1);

  const table: {
    description: string;
    key?: keyof typeof PATIENT_DEFECTS;
    expected: number;
    actual: number;
  }[] = [
    {
      description: 'birth_date as MM/DD/YYYY',
      key: 'birthDateUs',
      expected: 90,
      actual: count(rows, (r) => /^\d{2}\/\d{2}\/\d{4}$/.test(r.birth_date ?? '')),
    },
    {
      description: 'birth_date as DD.MM.YYYY',
      key: 'birthDateDotted',
      expected: 30,
      actual: count(rows, (r) => /^\d{2}\.\d{2}\.\d{4}$/.test(r.birth_date ?? '')),
    },
    {
      description: 'impossible birth_date 2023-02-30',
      key: 'birthDateImpossible',
      expected: 1,
      actual: count(rows, (r) => r.birth_date === '2023-02-30'),
    },
    {
      description: 'birth_date after the extract date',
      key: 'birthDateFuture',
      expected: 1,
      actual: count(rows, (r) => ISO_DATE.test(r.birth_date ?? '') && (r.birth_date ?? '') > EXTRACT_DATE),
    },
    {
      description: 'missing last_name',
      key: 'missingLastName',
      expected: 6,
      actual: count(rows, (r) => !r.last_name),
    },
    {
      description: 'missing first_name',
      key: 'missingFirstName',
      expected: 3,
      actual: count(rows, (r) => !r.first_name),
    },
    {
      description: 'missing birth_date',
      key: 'missingBirthDate',
      expected: 4,
      actual: count(rows, (r) => !r.birth_date),
    },
    {
      description: 'blank allergies',
      key: 'missingAllergies',
      expected: 8,
      actual: count(rows, (r) => !r.allergies),
    },
    { description: 'duplicate mrn pairs', key: 'duplicateMrnPairs', expected: 12, actual: pairs.length },
    {
      description: 'duplicate mrn pairs that are the same person',
      key: 'duplicateMrnSamePerson',
      expected: 8,
      actual: pairs.filter(
        ([a, b]) =>
          a?.last_name === b?.last_name &&
          a?.first_name === b?.first_name &&
          a?.birth_date === b?.birth_date &&
          a?.sex === b?.sex,
      ).length,
    },
    {
      description: 'sex outside M/F/U',
      key: 'invalidSex',
      expected: 9,
      actual: count(rows, (r) => !['M', 'F', 'U'].includes(r.sex ?? '')),
    },
    {
      description: 'malformed postal_code',
      key: 'malformedPostalCode',
      expected: 14,
      actual: count(rows, (r) => !/^\d{5}(-\d{4})?$/.test(r.postal_code ?? '')),
    },
    {
      description: 'phone not NNN-NNN-NNNN',
      key: 'phoneNonCanonical',
      expected: 45,
      actual: count(rows, (r) => !!r.phone && !/^\d{3}-\d{3}-\d{4}$/.test(r.phone)),
    },
    {
      description: 'email without @',
      key: 'invalidEmail',
      expected: 6,
      actual: count(rows, (r) => !!r.email && !r.email.includes('@')),
    },
    {
      description: 'last_name with trailing spaces',
      key: 'trailingSpaceLastName',
      expected: 12,
      actual: count(rows, (r) => /\s$/.test(r.last_name ?? '')),
    },
    {
      description: 'city with a trailing space',
      key: 'trailingSpaceCity',
      expected: 8,
      actual: count(rows, (r) => /\s$/.test(r.city ?? '')),
    },
    {
      description: 'address_line with an embedded newline',
      key: 'embeddedNewline',
      expected: 1,
      actual: count(rows, (r) => (r.address_line ?? '').includes('\n')),
    },
    {
      description: 'a cell starting with =',
      key: 'formulaInjection',
      expected: 1,
      actual: count(rows, (r) => Object.values(r).some((v) => v.startsWith('='))),
    },
    {
      description: 'rows failing the ISO birth_date layout (all styles + missing)',
      expected: 90 + 30 + 4,
      actual: count(rows, (r) => !ISO_DATE.test(r.birth_date ?? '')),
    },
  ];

  it.each(table)('$description: $expected', ({ key, expected, actual }) => {
    expect(actual).toBe(expected);
    if (key) expect(PATIENT_DEFECTS[key]).toBe(expected);
  });

  it('never groups more than two rows under one mrn', () => {
    expect(pairs.every((group) => group.length === 2)).toBe(true);
  });

  it('has the documented edge cases (valid data)', () => {
    const nonAscii = /[^\x20-\x7e]/;
    expect(count(rows, (r) => nonAscii.test(r.first_name ?? '') || nonAscii.test(r.last_name ?? ''))).toBe(
      PATIENT_EDGE_CASES.accentedName,
    );
    expect(count(rows, (r) => (r.last_name ?? '').includes("'"))).toBe(PATIENT_EDGE_CASES.apostropheName);
    expect(count(rows, (r) => (r.address_line ?? '').includes(','))).toBe(
      PATIENT_EDGE_CASES.addressWithComma,
    );
    expect(PATIENT_EDGE_CASES).toEqual({ accentedName: 30, apostropheName: 12, addressWithComma: 40 });
  });
});

describe('encounters.csv', () => {
  const rows = encounters.rows;
  const patientIds = new Set(patients.rows.map((r) => r.patient_id));
  const orphans = rows.filter((r) => !patientIds.has(r.patient_id ?? ''));
  const idCounts = new Map<string, Row[]>();
  for (const row of rows)
    idCounts.set(row.encounter_id ?? '', [...(idCounts.get(row.encounter_id ?? '') ?? []), row]);
  const repeated = [...idCounts.values()].filter((group) => group.length > 1);

  it('is Windows-1252 (not UTF-8), semicolon-delimited, CRLF', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(encounterBytes)).toThrow();
    for (const byte of [0xe9, 0xba, 0x96]) expect(encounterBytes.includes(byte)).toBe(true);
    expect(encounterText).toContain('Café Row Walk-in');
    expect(encounterText).toContain('Behavioral Health – Annex');
    expect(encounterText).toContain('38,2 ºC');
    expect(encounters.fields).toEqual([...ENCOUNTER_COLUMNS]);
    expect(rows).toHaveLength(ENCOUNTER_COUNT);
    expect(occurrences(encounterText, '\r\n')).toBe(ENCOUNTER_COUNT + 1);
    expect(occurrences(encounterText, '\n')).toBe(ENCOUNTER_COUNT + 1);
  });

  const table: {
    description: string;
    key: keyof typeof ENCOUNTER_DEFECTS;
    expected: number;
    actual: number;
  }[] = [
    { description: 'orphan patient_id rows', key: 'orphanPatient', expected: 37, actual: orphans.length },
    {
      description: 'ICD-9 diagnosis codes',
      key: 'icd9Code',
      expected: 15,
      actual: count(rows, (r) => /^\d{3}\.\d{1,2}$/.test(r.diagnosis_code ?? '')),
    },
    {
      description: 'missing diagnosis_code',
      key: 'missingDiagnosisCode',
      expected: 6,
      actual: count(rows, (r) => !r.diagnosis_code),
    },
    {
      description: 'missing encounter_date',
      key: 'missingEncounterDate',
      expected: 4,
      actual: count(rows, (r) => !r.encounter_date),
    },
    {
      description: 'rows repeated verbatim (duplicate encounter_id)',
      key: 'duplicateEncounterRow',
      expected: 3,
      actual: repeated.filter(([a, b]) => JSON.stringify(a) === JSON.stringify(b)).length,
    },
  ];

  it.each(table)('$description: $expected', ({ key, expected, actual }) => {
    expect(actual).toBe(expected);
    expect(ENCOUNTER_DEFECTS[key]).toBe(expected);
  });

  it('has distinct orphan ids and no other repeated encounter ids', () => {
    expect(new Set(orphans.map((r) => r.patient_id)).size).toBe(orphans.length);
    expect(repeated.every((group) => group.length === 2)).toBe(true);
  });
});
