import { describe, expect, it } from 'vitest';
import { decodeWindows1252 } from '../../../samples/tools/generateLegacy.ts';
import { memorySource, sampleBytes, sampleContract } from '../../../tests/migration/sources.ts';
import { createCsvRecordReader, sniffCsvLayout, TextDecodeError } from '../csv/index.ts';
import { JobCancelledError } from '../jobs/errors.ts';
import { buildReport, crossFileErrors } from './buildReport.ts';
import { FullValidationRequiredError, readRecordAt, validateCsv } from './validateCsv.ts';
import { detectLayout, validateInputs } from './validateInputs.ts';

const encode = (text: string) => new TextEncoder().encode(text);

async function demoRun(chunkBytes?: number) {
  const patients = memorySource('patients.csv', sampleBytes('patients.csv'));
  const encounters = memorySource('encounters.csv', sampleBytes('encounters.csv'));
  const p = sampleContract('patients.contract.json');
  const e = sampleContract('encounters.contract.json');
  return validateInputs(
    [
      {
        source: patients,
        layout: await detectLayout(patients),
        plan: p.plan,
        fullValidator: p.validate,
        keys: [{ column: 'mrn', demographics: ['last_name', 'first_name', 'birth_date', 'sex'] }],
      },
      {
        source: encounters,
        layout: await detectLayout(encounters),
        plan: e.plan,
        fullValidator: e.validate,
        keys: [{ column: 'encounter_id' }],
      },
    ],
    [{ input: 'encounters.csv', column: 'patient_id', target: 'patients.csv', targetColumn: 'patient_id' }],
    chunkBytes ? { chunkBytes } : {},
  );
}

/**
 * Where `actual` first differs from `expected`, as a path (`[0].keys[1].state.index[42]`), or null
 * when they are equal as `toEqual` judges: primitives by `Object.is`, the same kind of object, arrays
 * and typed arrays element by element, Maps by key whatever their order, plain objects by their
 * properties that are not undefined. One walk with a loop over typed arrays: vitest's deep equality
 * takes each element of the reports' large typed arrays through its generic matcher, seconds of CPU.
 */
function firstDifference(actual: unknown, expected: unknown, path = ''): string | null {
  if (Object.is(actual, expected)) return null;
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null)
    return `${path || 'the value'}: ${String(actual)} against ${String(expected)}`;
  const kind = Object.prototype.toString.call(actual);
  if (kind !== Object.prototype.toString.call(expected)) return `${path}: a different kind of object`;
  if (ArrayBuffer.isView(actual) || Array.isArray(actual)) {
    const a = actual as ArrayLike<unknown>;
    const e = expected as ArrayLike<unknown>;
    if (a.length !== e.length) return `${path}: ${a.length} elements against ${e.length}`;
    for (let i = 0; i < a.length; i++) {
      if (Object.is(a[i], e[i])) continue;
      const at = firstDifference(a[i], e[i], `${path}[${i}]`);
      if (at !== null) return at;
    }
    return null;
  }
  if (actual instanceof Map && expected instanceof Map) {
    if (actual.size !== expected.size) return `${path}: ${actual.size} entries against ${expected.size}`;
    for (const [key, value] of actual) {
      if (typeof key === 'object' && key !== null) throw new Error(`${path}: a Map keyed by objects`);
      if (!expected.has(key)) return `${path}: key ${String(key)} only on one side`;
      const at = firstDifference(value, expected.get(key), `${path}<${String(key)}>`);
      if (at !== null) return at;
    }
    return null;
  }
  if (kind !== '[object Object]') throw new Error(`${path}: ${kind} is not compared here`);
  const defined = (o: object) =>
    Object.keys(o)
      .filter((k) => (o as Record<string, unknown>)[k] !== undefined)
      .sort();
  const keys = defined(actual);
  if (JSON.stringify(keys) !== JSON.stringify(defined(expected))) return `${path}: other properties`;
  for (const key of keys) {
    const at = firstDifference(
      (actual as Record<string, unknown>)[key],
      (expected as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
    if (at !== null) return at;
  }
  return null;
}

describe('the demo extracts (samples/README.md counts)', () => {
  it('give exactly the documented counts through the core', async () => {
    const [patients, encounters] = await demoRun();
    if (!patients || !encounters) throw new Error('two results');
    expect(patients.records).toBe(5000);
    expect(patients.invalid).toBe(238);
    expect(encounters.records).toBe(12000);
    expect(encounters.invalid).toBe(25);
    const mrn = patients.keys.find((k) => k.column === 'mrn')?.state;
    expect(mrn?.duplicateKeys).toBe(12);
    expect(mrn?.duplicates.every((g) => g.count === 2)).toBe(true);
    // 8 pairs are the same person registered twice, 4 are different people
    expect(mrn?.conflictingKeys).toBe(4);
    expect(encounters.keys[0]?.state.duplicateKeys).toBe(3);
    expect(encounters.orphans[0]?.count).toBe(37);
    expect(patients.planDisagreements + encounters.planDisagreements).toBe(0);
    expect(patients.layout).toMatchObject({ encoding: 'utf-8', delimiter: ',', lineEnding: '\r\n' });
    expect(encounters.layout).toMatchObject({ encoding: 'windows-1252', delimiter: ';', lineEnding: '\r\n' });
  });

  it('give the same report whatever the chunk size', async () => {
    // the default chunk (1 MiB) is decoded in slices (validateCsv.ts), cut inside records
    const whole = await demoRun();
    const small = await demoRun(4093);
    const strip = (results: typeof whole) =>
      results.map((r) => ({
        ...r,
        profiles: r.profiles.map((p) => ({ ...p })),
        failingRows: [...r.failingRows.rows.subarray(0, r.failingRows.count)],
      }));
    expect(firstDifference(strip(small), strip(whole))).toBeNull();
  });

  it('decode encounters.csv as Windows-1252 (WHATWG table), not ISO-8859-1', async () => {
    const [, encounters] = await demoRun();
    const department = encounters?.profiles.find((p) => p.column === 'department');
    const names = [...(department?.values.keys() ?? [])];
    expect(names).toContain('Behavioral Health – Annex');
    expect(names).toContain('Café Row Walk-in');
    expect(names.join('')).not.toMatch(/[\u0080-\u009f]/);
  });

  it('build a valid preflight.report/v1 with the counts, and a redacted one without values', async () => {
    const results = await demoRun();
    const options = {
      generatedAt: '2024-07-08T09:00:00Z',
      startedAt: '2024-07-08T09:00:00Z',
      totalMs: 1,
      toolVersion: '0.1.0',
    };
    const report = buildReport(results, options);
    expect(report.summary).toEqual({ records: 17000, valid: 16737, invalid: 263, errors: 383, warnings: 0 });
    expect(report.inputs.map((i) => i.invalid)).toEqual([238, 25]);
    expect(report.crossFile.duplicateKeys.filter((d) => d.column === 'mrn')).toHaveLength(12);
    expect(report.crossFile.duplicateKeys.filter((d) => d.column === 'encounter_id')).toHaveLength(3);
    expect(report.crossFile.orphanReferences[0]?.count).toBe(37);
    expect(report.crossFile.conflictingRecords).toHaveLength(4);
    expect(crossFileErrors(report)).toBe(12 + 3 + 37 + 4);
    expect(report.crossFile.duplicateTotals).toEqual([
      { input: 'patients.csv', column: 'mrn', keys: 12, records: 12, conflictingKeys: 4 },
      { input: 'encounters.csv', column: 'encounter_id', keys: 3, records: 3, conflictingKeys: 0 },
    ]);
    const birth = report.profiles.find((p) => p.input === 'patients.csv' && p.column === 'birth_date');
    expect(birth?.kinds).toMatchObject({ 'date:MM/DD/YYYY': 90, 'date:DD.MM.YYYY': 30 });
    const redacted = buildReport(results, { ...options, redact: true });
    expect(redacted.redacted).toBe(true);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain('11/09/1938');
    expect(text).not.toContain('"key"');
    expect(text).not.toContain('"top"');
  });

  it('record byte offsets of failing rows that re-read to those rows', async () => {
    const bytes = sampleBytes('patients.csv');
    const source = memorySource('patients.csv', bytes);
    const layout = await detectLayout(source);
    const { plan, validate } = sampleContract('patients.contract.json');
    const result = await validateCsv(source, { layout, plan, fullValidator: validate });
    const reader = createCsvRecordReader({ delimiter: ',' });
    const text = new TextDecoder().decode(bytes);
    const all = [...reader.push(text), ...reader.finish()];
    expect(result.failingRows.count).toBe(238);
    for (let i = 0; i < result.failingRows.count; i++) {
      const row = result.failingRows.rows[i] as number;
      const fields = await readRecordAt(source, layout, result.failingRows.offsets[i] as number);
      expect(fields).toEqual(all[row - 1]?.fields);
    }
  });
});

describe('validateCsv', () => {
  const layout = sniffCsvLayout(encode('id,name\n'));

  it('reports structure problems with row numbers: missing and extra cells, quotes, mixed line endings', async () => {
    const text = 'id,name\r\n1,Ann\r\n2\r\n3,Bo,x\n4,"Cy\r\n5,Di\r\n';
    const result = await validateCsv(memorySource('t.csv', encode(text)), {
      layout: sniffCsvLayout(encode(text)),
    });
    const rules = result.issues.map((i) => [i.rule, i.location, i.count, i.examples.map((e) => e.row)]);
    expect(rules).toContainEqual(['csv.missing-cell', 'name', 1, [2]]);
    expect(rules).toContainEqual(['csv.mixed-line-endings', '', 1, [3]]);
    expect(result.issues.find((i) => i.rule === 'csv.unterminated-quote')).toBeDefined();
    expect(result.warnings).toBe(1);
  });

  it('says where bytes are not valid in the declared encoding (never U+FFFD)', async () => {
    const bytes = new Uint8Array([...encode('id,name\n1,Zo'), 0xeb, ...encode('\n')]);
    const source = memorySource('t.csv', bytes);
    const error = await validateCsv(source, { layout: { ...layout, encoding: 'utf-8' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TextDecodeError);
    expect((error as TextDecodeError).byteOffset).toBe(12);
    const ok = await validateCsv(source, { layout: { ...layout, encoding: 'windows-1252' } });
    expect(ok.profiles[1]?.values.has('Zoë')).toBe(true);
  });

  it('stops between chunks when cancelled', async () => {
    const controller = new AbortController();
    const text = `id,name\n${'1,a\n'.repeat(5000)}`;
    const run = validateCsv(memorySource('t.csv', encode(text)), {
      layout,
      chunkBytes: 100,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows > 100) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
  });

  it('refuses to guess when the contract needs full validation and none is given', async () => {
    const { plan } = sampleContract('patients.contract.json');
    const needsFull = { ...plan, full: { reasons: ['allOf'] } };
    await expect(
      validateCsv(memorySource('t.csv', encode('mrn\n1\n')), { layout, plan: needsFull }),
    ).rejects.toBeInstanceOf(FullValidationRequiredError);
  });

  it('decodes the demo with the samples generator table', () => {
    // the test oracle of samples/ and the engine agree on every character
    const bytes = sampleBytes('encounters.csv');
    expect(decodeWindows1252(bytes)).toContain('Behavioral Health – Annex');
  });
});

describe('repeated keys beyond the listed groups', () => {
  it('are all counted in the report and its cross-file errors, though only the first are listed', async () => {
    // 1,200 key values, each in three records: more than the 1,000 groups a report lists
    const distinct = 1200;
    const lines = ['mrn,name'];
    for (let copy = 0; copy < 3; copy++) for (let k = 0; k < distinct; k++) lines.push(`M${k},n${copy}`);
    const source = memorySource('repeats.csv', encode(`${lines.join('\n')}\n`));
    const results = await validateInputs(
      [{ source, layout: await detectLayout(source), keys: [{ column: 'mrn' }] }],
      [],
      {},
    );
    const report = buildReport(results, {
      generatedAt: '2024-07-08T09:00:00Z',
      startedAt: '2024-07-08T09:00:00Z',
      totalMs: 1,
      toolVersion: '0.1.0',
    });
    expect(report.crossFile.duplicateKeys).toHaveLength(1000);
    expect(report.crossFile.duplicateTotals).toEqual([
      { input: 'repeats.csv', column: 'mrn', keys: distinct, records: 2 * distinct, conflictingKeys: 0 },
    ]);
    expect(crossFileErrors(report)).toBe(2 * distinct);
  });
});
