import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadMapping, type Mapping } from '../../../formats/mapping.ts';
import { readCsvRows } from './readRecords.ts';
import { shownHash } from './review.ts';
import { viewRecord } from './shown.ts';

const MAPPING_FILE = new URL('../../../../samples/mappings/patients-to-fhir-patient.json', import.meta.url);
const PATIENTS = readFileSync(new URL('../../../../samples/legacy/patients.csv', import.meta.url));

function mapping(): Mapping {
  const loaded = loadMapping(JSON.parse(readFileSync(MAPPING_FILE, 'utf8')));
  if (!loaded.ok) throw new Error('demo mapping invalid');
  return loaded.value;
}

const input = (bytes: Uint8Array) => ({
  name: 'patients.csv',
  size: bytes.length,
  read: async (offset: number, length: number) => bytes.subarray(offset, offset + length),
});

describe('viewRecord', () => {
  const header = ['mrn', 'birth_date', 'last_name', 'first_name', 'sex'];
  const base = {
    planHash: 'a'.repeat(64),
    stratum: 'patients.csv',
    record: { file: 'patients.csv', row: 7, key: '101' },
    header,
  };
  const cases = [
    {
      description: 'a date the mapping rewrites differs',
      cells: ['101', '07/10/2002', 'Ng', 'Ana', 'F'],
      field: 'birthDate',
      differs: true,
    },
    {
      description: 'an ISO date kept as is does not',
      cells: ['101', '2002-07-10', 'Ng', 'Ana', 'F'],
      field: 'birthDate',
      differs: false,
    },
    {
      description: 'a family name copied does not',
      cells: ['101', '2002-07-10', 'Ng', 'Ana', 'F'],
      field: 'name[0].family',
      differs: false,
    },
  ];
  it.each(cases)('aligns fields through the mapping: $description', ({ cells, field, differs }) => {
    const view = viewRecord({ ...base, cells, mapping: mapping() });
    const aligned = view.fields.find((f) => f.target === field);
    expect(aligned?.columns.length).toBeGreaterThan(0);
    expect(aligned?.differs).toBe(differs);
    expect(view.shown.mapping).toEqual({ id: 'patients-to-fhir-patient', version: mapping().version });
    expect(view.shown.alignment.find((a) => a.target === field)?.columns).toEqual(aligned?.columns);
  });
  it('without a mapping shows the legacy side only, and the hash covers what is shown', () => {
    const cells = ['101', '2002-07-10', 'Ng', 'Ana', 'F'];
    const view = viewRecord({ ...base, cells });
    expect(view.fields).toEqual([]);
    expect(view.shown.target).toBeNull();
    const other = viewRecord({ ...base, cells: cells.with(2, 'Ngo') });
    expect(shownHash(other.shown)).not.toBe(shownHash(view.shown));
  });
});

describe('readCsvRows', () => {
  it('any chunk size reads the same rows as one whole read', async () => {
    const whole = await readCsvRows(input(PATIENTS), [1, 2, 250, 4999, 5000]);
    expect([...whole.rows.keys()].sort((a, b) => a - b)).toEqual([1, 2, 250, 4999, 5000]);
    expect(whole.header[1]).toBe('mrn');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4096 }), async (chunkBytes) => {
        // cuts inside the header line, a multi-byte character or a CRLF read the same rows
        const small = await readCsvRows(input(PATIENTS.subarray(0, 40_000)), [1, 3, 100], { chunkBytes });
        const once = await readCsvRows(input(PATIENTS.subarray(0, 40_000)), [1, 3, 100]);
        expect(small.rows).toEqual(once.rows);
      }),
      { numRuns: 20 },
    );
  });
});
