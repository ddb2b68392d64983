/**
 * Numbers with a decimal comma (`36,4`): detected from the head of the file on the contract's
 * numeric columns, said in the account (a `type` read by a choice), read as numbers, and
 * overruled by the decimal mark a person chooses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../tests/migration/sources.ts';
import { compilePlan } from '../contract/index.ts';
import { sniffCsvLayout } from '../csv/index.ts';
import { buildReport } from './buildReport.ts';
import { detectDecimalComma } from './decimalMark.ts';
import { summaryText } from './reportText.ts';
import { validateCsv } from './validateCsv.ts';

const CONTRACT = {
  type: 'object',
  required: ['patient_id', 'temp_c'],
  properties: {
    patient_id: { type: 'string' },
    temp_c: { type: 'number', minimum: 30, maximum: 45 },
    weight_kg: { type: 'number' },
  },
};

/** A European export: `;` between cells, decimal commas, a column the contract does not name. */
function vitals(rows: number, temp = (i: number) => `36,${i % 10}`): Uint8Array {
  const lines = ['patient_id;temp_c;weight_kg;ward'];
  for (let i = 0; i < rows; i++) lines.push(`P${i};${temp(i)};${70 + (i % 20)},5;W${i % 3}`);
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}

async function run(bytes: Uint8Array, decimalMark?: '.' | ',') {
  const source = memorySource('vitals.csv', bytes);
  const layout = sniffCsvLayout(bytes.subarray(0, 65536));
  const result = await validateCsv(source, {
    layout,
    plan: compilePlan(CONTRACT),
    ...(decimalMark === undefined ? {} : { decimalMark }),
  });
  const report = buildReport([result], {
    generatedAt: '2026-11-29T00:00:00Z',
    startedAt: '2026-11-29T00:00:00Z',
    totalMs: 1,
    toolVersion: 'test',
  });
  return { result, report };
}

describe('numbers with a decimal comma', () => {
  it('reads a semicolon file with decimal commas as numbers, and says so', async () => {
    const { result, report } = await run(vitals(2000));
    expect(result.invalid).toBe(0);
    const line = result.account?.lines.find((l) => l.name === 'decimal comma');
    expect(line).toMatchObject({ kind: 'type', handling: 'interpreted', where: { column: 2, row: 1 } });
    expect(line?.effect).toMatch(/columns temp_c, weight_kg are read with a decimal comma/);
    expect(line?.effect).toMatch(/delimiter is ";"/);
    const summary = summaryText(report);
    expect(summary).toMatch(/Read by a choice: type decimal comma/);
    // the column the contract does not name is in the account, by name only
    expect(report.inputs[0]?.notRead?.find((l) => l.name === 'ward')).toMatchObject({
      kind: 'column',
      handling: 'not-used',
      where: { column: 4 },
    });
    expect(summary).toMatch(/Not checked: 1 column the contract does not name \(ward\)/);
    // names only: no cell of the file is in the words
    expect(summary).not.toMatch(/71,5|P17|W2/);
  });

  it('checks the numbers read: a temperature out of range still fails', async () => {
    const { result } = await run(vitals(100, (i) => (i === 7 ? '99,5' : '36,6')));
    expect(result.invalid).toBe(1);
    expect(result.issues.map((i) => i.location)).toEqual(['temp_c']);
  });

  it('never guesses when the head shows a decimal point too, and a person can overrule it', async () => {
    const mixed = await run(vitals(50, (i) => (i === 3 ? '36.6' : '36,6')));
    // weight_kg has only commas: it alone is read with one; temp_c's commas stay errors
    expect(mixed.result.account?.lines.find((l) => l.name === 'decimal comma')?.effect).toMatch(
      /^numbers in column weight_kg are read/,
    );
    expect(mixed.result.invalid).toBe(49);
    const point = await run(vitals(20), '.');
    expect(point.result.invalid).toBe(20);
    expect(point.result.account?.lines.some((l) => l.name === 'decimal comma')).toBe(false);
    const comma = await run(
      vitals(20, (i) => (i === 3 ? '36.6' : '36,6')),
      ',',
    );
    expect(comma.result.invalid).toBe(1);
    expect(comma.result.account?.lines.find((l) => l.name === 'decimal comma')?.effect).toMatch(/as chosen/);
  });

  it('reads a comma number as the number a decimal point would write (property)', async () => {
    const plan = compilePlan(CONTRACT);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 30, max: 44 }),
        fc.integer({ min: 0, max: 999 }),
        async (whole, part) => {
          const text = `${whole},${part}`;
          const found = detectDecimalComma(plan, ['patient_id', 'temp_c'], [['P1', text]]);
          expect(found.columns).toEqual(['temp_c']);
          const { result } = await run(vitals(3, () => text));
          expect(result.invalid).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});
