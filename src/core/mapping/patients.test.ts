/**
 * The demo mapping on the demo extract: every claim of samples/README.md "Mapping and sample
 * plan" checked row by row. patients.csv is read the way the CLI and the workers read files —
 * bytes in chunks through the streaming UTF-8 decoder and the streaming CSV record reader — and
 * each expectation is computed from the cells independently of the engine (no counts copied
 * from the engine's own output).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PATIENT_DEFECTS } from '../../../samples/tools/generateLegacy.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import { type CsvRecord, createCsvRecordReader, createUtf8StreamDecoder } from '../csv/index.ts';
import { type CompiledMapping, compileMapping, type MappedRecord, type MappedRow } from './compileMapping.ts';
import { mapRecords } from './mapRecords.ts';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'samples');
/** An odd chunk size, so chunks cut through quoted fields and multi-byte characters. */
const CHUNK_BYTES = 4093;

function readPatients(): { header: string[]; records: CsvRecord[] } {
  const bytes = readFileSync(join(SAMPLES, 'legacy', 'patients.csv'));
  const decoder = createUtf8StreamDecoder('patients.csv');
  const reader = createCsvRecordReader();
  const records: CsvRecord[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    records.push(...reader.push(decoder.decode(bytes.subarray(at, at + CHUNK_BYTES))));
  }
  records.push(...reader.push(decoder.end()), ...reader.finish());
  expect(reader.problems).toEqual([]);
  return { header: [...(reader.header ?? [])], records };
}

function demoMapping(): Mapping {
  const loaded = loadMapping(
    JSON.parse(readFileSync(join(SAMPLES, 'mappings', 'patients-to-fhir-patient.json'), 'utf8')),
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.value;
}

interface Row {
  cells: Record<string, string>;
  raw: string[];
  mapped: MappedRow;
}

let compiled: CompiledMapping;
let rows: Row[];
let source: { header: string[]; records: CsvRecord[] };

beforeAll(() => {
  source = readPatients();
  const { header, records } = source;
  const result = compileMapping(demoMapping(), header);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  compiled = result.compiled;
  rows = records.map((record) => ({
    cells: Object.fromEntries(header.map((name, i) => [name, record.fields[i] ?? ''])),
    raw: record.fields,
    mapped: compiled.mapRow(record.fields, record.row),
  }));
});

const at = (record: MappedRecord, path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (node, step) => (node as Record<string | number, unknown> | undefined)?.[step],
    record,
  );

const problemsOf = (target: string) =>
  rows.flatMap((row) => row.mapped.problems.filter((problem) => problem.target === target));

describe('demo mapping on samples/legacy/patients.csv', () => {
  it('reads 5,000 rows and uses every column but insurance, allergies and last visit', () => {
    expect(rows).toHaveLength(5000);
    expect(compiled.missingColumns).toEqual([]);
    expect(compiled.warnings).toEqual([]);
    expect(compiled.unusedColumns).toEqual(['insurance_member_id', 'allergies', 'last_visit']);
  });

  it('keeps the 12 duplicate-MRN pairs sharing a key (and an identifier value)', () => {
    const byKey = new Map<string, Row[]>();
    for (const row of rows) {
      const key = compiled.keyOf(row.raw);
      expect(key).toBe(row.cells.mrn);
      const same = byKey.get(key as string) ?? [];
      same.push(row);
      byKey.set(key as string, same);
    }
    const shared = [...byKey.values()].filter((group) => group.length > 1);
    expect(shared).toHaveLength(PATIENT_DEFECTS.duplicateMrnPairs);
    for (const pair of shared) {
      expect(pair).toHaveLength(2);
      const [a, b] = pair.map((row) => at(row.mapped.record, ['identifier', 0, 'value']));
      expect(a).toBe(b);
    }
  });

  it('maps birth dates in the three formats to ISO; the impossible and missing dates remain problems', () => {
    let us = 0;
    let dotted = 0;
    for (const row of rows) {
      const cell = row.cells.birth_date as string;
      const out = row.mapped.record.birthDate;
      let m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(cell);
      if (m) {
        us++;
        expect(out).toBe(`${m[3]}-${m[1]}-${m[2]}`);
        continue;
      }
      m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(cell);
      if (m) {
        dotted++;
        expect(out).toBe(`${m[3]}-${m[2]}-${m[1]}`);
        continue;
      }
      if (cell === '' || cell === '2023-02-30') expect(out).toBeUndefined();
      else expect(out).toBe(cell);
    }
    expect(us).toBe(PATIENT_DEFECTS.birthDateUs);
    expect(dotted).toBe(PATIENT_DEFECTS.birthDateDotted);
    const problems = problemsOf('birthDate');
    expect(problems.map((p) => p.code).sort()).toEqual([
      'date-impossible',
      ...Array<string>(PATIENT_DEFECTS.missingBirthDate).fill('required-missing'),
    ]);
    const impossible = problems.find((p) => p.code === 'date-impossible');
    expect(impossible).toMatchObject({ rule: 'mapping.date', column: 'birth_date', value: '2023-02-30' });
    expect(impossible?.message).not.toContain('2023-02-30');
  });

  it('maps sex M/F/U case-insensitively; X, Male and 2 leave gender absent without a problem', () => {
    const expected: Record<string, string> = { m: 'male', f: 'female', u: 'unknown' };
    const odd = new Set<string>();
    for (const row of rows) {
      const sex = (row.cells.sex as string).trim();
      const want = expected[sex.toLowerCase()];
      expect(row.mapped.record.gender).toBe(want);
      if (!['M', 'F', 'U'].includes(sex)) odd.add(sex);
    }
    expect([...odd].sort()).toEqual(['2', 'Male', 'X', 'f']);
    expect(rows.find((row) => row.cells.sex === 'f')?.mapped.record.gender).toBe('female');
    expect(problemsOf('gender')).toEqual([]);
  });

  it('normalises every phone to NNN-NNN-NNNN with regexReplace', () => {
    let rewritten = 0;
    for (const row of rows) {
      const cell = (row.cells.phone as string).trim();
      const telecom = (row.mapped.record.telecom ?? []) as Record<string, string>[];
      const phone = telecom.find((t) => t.system === 'phone');
      if (cell === '') {
        expect(phone).toBeUndefined();
        continue;
      }
      expect(phone?.value).toMatch(/^\d{3}-\d{3}-\d{4}$/);
      expect(phone?.value?.replaceAll('-', '')).toBe(cell.replace(/\D/g, '').slice(-10));
      if (phone?.value !== cell) rewritten++;
    }
    expect(rewritten).toBe(PATIENT_DEFECTS.phoneNonCanonical);
  });

  it('lower-cases e-mail addresses', () => {
    for (const row of rows) {
      const cell = (row.cells.email as string).trim();
      const email = ((row.mapped.record.telecom ?? []) as Record<string, string>[]).find(
        (t) => t.system === 'email',
      );
      expect(email?.value).toBe(cell === '' ? undefined : cell.toLowerCase());
    }
    // every address in the extract is already lower case, so upper-case one real row's to see it lowered
    const row = rows.find((r) => r.cells.email !== '') as Row;
    const emailColumn = compiled.header.indexOf('email');
    const shouting = row.raw.map((cell, i) => (i === emailColumn ? ` ${cell.toUpperCase()} ` : cell));
    const telecom = compiled.mapRow(shouting, 1).record.telecom as Record<string, string>[];
    expect(telecom.find((t) => t.system === 'email')?.value).toBe(row.cells.email);
  });

  it('folds the embedded newline of P004513 into ", "', () => {
    const row = rows.find((r) => r.cells.patient_id === 'P004513') as Row;
    expect(row.cells.address_line).toBe('946 Birch Rd\nUnit 2');
    expect(at(row.mapped.record, ['address', 0, 'line', 0])).toBe('946 Birch Rd, Unit 2');
    const withBreak = rows.filter((r) =>
      /[\r\n]/.test(JSON.stringify(r.mapped.record).replaceAll('\\n', '\n')),
    );
    expect(withBreak).toEqual([]);
  });

  it('drops the middle name that starts with a formula character', () => {
    const formula = rows.filter((r) => /^[=+@-]/.test((r.cells.middle_name as string).trim()));
    expect(formula).toHaveLength(PATIENT_DEFECTS.formulaInjection);
    for (const row of formula) {
      expect(at(row.mapped.record, ['name', 0, 'given'])).toEqual([row.cells.first_name?.trim()]);
    }
    for (const row of rows) {
      const given = (at(row.mapped.record, ['name', 0, 'given']) ?? []) as string[];
      expect(given.every((name) => !/^[=+@-]/.test(name))).toBe(true);
    }
  });

  it('drops a formula middle name even when it holds a line break (the pattern matches across lines)', () => {
    const template = rows[0];
    if (!template) throw new Error('no rows');
    const cells = [...template.raw];
    const middle = source.header.indexOf('middle_name');
    cells[middle] = '=HYPERLINK("http://example.test/a",\n"Update")';
    const mapped = compiled.mapRow(cells, 2);
    const given = (at(mapped.record, ['name', 0, 'given']) ?? []) as string[];
    expect(given.some((name) => name.startsWith('='))).toBe(false);
  });

  it('writes the primary care provider as generalPractitioner[0].display', () => {
    for (const row of rows) {
      const pcp = (row.cells.primary_care_provider as string).trim();
      expect(row.mapped.record.generalPractitioner).toEqual(pcp === '' ? undefined : [{ display: pcp }]);
    }
  });

  it('reports exactly the missing names and bad birth dates, nothing else', () => {
    const counts: Record<string, number> = {};
    for (const row of rows) {
      for (const p of row.mapped.problems) {
        const key = `${p.target} ${p.code}`;
        counts[key] = (counts[key] ?? 0) + 1;
        expect(p.message).not.toContain(p.value ?? '\u0000');
      }
    }
    expect(counts).toEqual({
      'birthDate date-impossible': PATIENT_DEFECTS.birthDateImpossible,
      'birthDate required-missing': PATIENT_DEFECTS.missingBirthDate,
      'name[0].family required-missing': PATIENT_DEFECTS.missingLastName,
      'name[0].given[0] required-missing': PATIENT_DEFECTS.missingFirstName,
    });
  });

  it('streams the same results through mapRecords, chunk by chunk as the reader gives them', () => {
    const streamed = mapRecords(demoMapping(), source.header, source.records);
    if (!streamed.ok) throw new Error('refused');
    let i = 0;
    for (const mapped of streamed.records) {
      const row = rows[i++] as Row;
      expect(mapped.key).toBe(row.cells.mrn);
      expect(mapped.record).toEqual(row.mapped.record);
      expect(mapped.problems).toEqual(row.mapped.problems);
    }
    expect(i).toBe(rows.length);
    const chunked = source.records.slice(0, 100);
    expect(streamed.mapChunk(chunked).map((m) => m.row)).toEqual(chunked.map((r) => r.row));
  });

  it('builds a complete FHIR Patient shape for a clean row', () => {
    const row = rows.find((r) => r.cells.patient_id === 'P000003') as Row;
    expect(row.mapped.problems).toEqual([]);
    expect(row.mapped.record).toEqual({
      identifier: [
        {
          use: 'usual',
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
          system: 'https://maple-street-family-practice.example.org/fhir/sid/mrn',
          value: '10120567',
        },
        {
          use: 'old',
          system: 'https://maple-street-family-practice.example.org/fhir/sid/legacy-patient-id',
          value: 'P000003',
        },
        { system: 'http://hl7.org/fhir/sid/us-ssn', value: '947-54-2614' },
      ],
      active: true,
      name: [{ use: 'official', family: 'Clark', given: ['Richard', 'G'] }],
      birthDate: '2000-03-25',
      gender: 'male',
      telecom: [{ system: 'phone', use: 'home', value: '508-555-0196' }],
      address: [
        {
          use: 'home',
          line: ['582 Oak Ct'],
          city: 'East Alder',
          state: 'VT',
          postalCode: '05195',
          country: 'US',
        },
      ],
      generalPractitioner: [{ display: 'Dr. Priya Raman' }],
    });
  });
});
