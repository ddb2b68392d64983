/**
 * "mapped-fhir": the demo patients extract (samples/tools/generateLegacy.ts, 5,000 rows repeated
 * to {@link ROWS}) through the CSV engine (`validateCsv`, one thread, in memory) with the demo
 * mapping to FHIR Patient as its row check — every row mapped and validated by the FHIR layers —
 * against the same engine without a row check, in the same run (ratios, not absolutes: the
 * machine is shared).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateLegacy } from '../../samples/tools/generateLegacy.ts';
import { FHIR_LAYERS, generatedModules, prepareMappedFhirCheck } from '../../src/core/fhir/index.ts';
import {
  type CsvSource,
  detectLayout,
  type ValidateCsvOptions,
  validateCsv,
} from '../../src/core/validation/index.ts';
import { loadMapping } from '../../src/formats/mapping.ts';
import { type BenchEntry, type BenchResult, measure } from './bench.ts';

const ROWS = 100_000;
const MAPPING_FILE = path.resolve(
  import.meta.dirname,
  '../../samples/mappings/patients-to-fhir-patient.json',
);

/** The demo extract's rows repeated to `rows` data rows (one header). */
function repeatedExtract(rows: number): Uint8Array {
  const text = new TextDecoder().decode(generateLegacy().patients);
  const headerEnd = text.indexOf('\r\n') + 2;
  const body = text.slice(headerEnd);
  const perCopy = 5000;
  return new TextEncoder().encode(text.slice(0, headerEnd) + body.repeat(Math.ceil(rows / perCopy)));
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The mapped-FHIR benchmark entry. */
export const mappedFhirBench: BenchEntry = {
  id: 'mapped-fhir',
  title: `CSV rows mapped to FHIR Patient and validated by the FHIR layers (${ROWS.toLocaleString('en-US')} rows, one thread)`,
  async run(): Promise<BenchResult> {
    const loaded = loadMapping(JSON.parse(readFileSync(MAPPING_FILE, 'utf8')));
    if (!loaded.ok) throw new Error('the demo mapping does not load');
    const bytes = repeatedExtract(ROWS);
    const source: CsvSource = {
      name: 'patients.csv',
      size: bytes.length,
      read: async (offset, length) => bytes.subarray(offset, offset + length),
    };
    const { detected: _detected, ...layout } = await detectLayout(source);
    const all = await prepareMappedFhirCheck(loaded.value, generatedModules);
    const noInvariants = await prepareMappedFhirCheck(loaded.value, generatedModules, {
      layers: FHIR_LAYERS.filter((l) => l !== 'invariants'),
    });
    const variants: { name: string; options: ValidateCsvOptions }[] = [
      { name: 'CSV engine alone (baseline)', options: { layout } },
      { name: 'mapping + FHIR layers but invariants', options: { layout, rowCheck: noInvariants.rowCheck } },
      { name: 'mapping + all FHIR layers', options: { layout, rowCheck: all.rowCheck } },
    ];
    const rows: Record<string, string | number>[] = [];
    let baselineMs = Number.NaN;
    for (const variant of variants) {
      let records = 0;
      const timing = await measure(async () => {
        records = (await validateCsv(source, variant.options)).records;
      });
      if (records !== ROWS) throw new Error(`expected ${ROWS} records, got ${records}`);
      if (Number.isNaN(baselineMs)) baselineMs = timing.bestMs;
      rows.push({
        variant: variant.name,
        bestMs: Math.round(timing.bestMs),
        medianMs: Math.round(timing.medianMs),
        rowsPerSecond: Math.round(ROWS / (timing.bestMs / 1000)),
        timeVsBaseline: round(timing.bestMs / baselineMs),
      });
    }
    return {
      params: { rows: ROWS, bytes: bytes.length, fields: loaded.value.fields.length },
      columns: ['variant', 'bestMs', 'medianMs', 'rowsPerSecond', 'timeVsBaseline'],
      rows,
    };
  },
};
