/**
 * "mapping": 1,000,000 legacy patient rows through the demo mapping
 * (samples/mappings/patients-to-fhir-patient.json → FHIR Patient: 30 fields, trims, three date
 * formats, a code map, two regular expressions) against a plain loop copying each row's cells
 * into an object keyed by the header — the least any per-row step does — in the same run.
 *
 * Rows: the seeded demo generator's 5,000 patients (samples/tools/generateLegacy.ts: mixed date
 * formats, bad phones, missing names, an embedded newline, a formula), parsed once with the
 * streaming CSV reader and cycled 200 times, so parsing is not in the timing; each pass maps
 * every row afresh (the engine keeps nothing between rows).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLegacy } from '../../samples/tools/generateLegacy.ts';
import { createCsvRecordReader, createUtf8StreamDecoder } from '../../src/core/csv/index.ts';
import { compileMapping } from '../../src/core/mapping/index.ts';
import { loadMapping } from '../../src/formats/mapping.ts';
import { type BenchEntry, type BenchResult, measure } from './bench.ts';

const ROWS = 1_000_000;
const REPEATS = 3;
const MAPPING_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'samples',
  'mappings',
  'patients-to-fhir-patient.json',
);

function demoRows(): { header: string[]; rows: string[][] } {
  const bytes = generateLegacy().patients;
  const decoder = createUtf8StreamDecoder('patients.csv');
  const reader = createCsvRecordReader();
  const rows = [...reader.push(decoder.decode(bytes)), ...reader.push(decoder.end()), ...reader.finish()].map(
    (r) => r.fields,
  );
  return { header: [...(reader.header ?? [])], rows };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** CPU time of this process in ms: on a shared machine it moves less than wall time with others' load. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs `fn` and records the CPU time it took into `samples`. */
function timedCpu(samples: number[], fn: () => void): () => Promise<void> {
  return async () => {
    const start = cpuMs();
    fn();
    samples.push(cpuMs() - start);
  };
}

/** The mapping benchmark entry. */
export const mappingBench: BenchEntry = {
  id: 'mapping',
  title: 'mapping 1,000,000 patient rows to FHIR Patient records',
  async run(): Promise<BenchResult> {
    const loaded = loadMapping(JSON.parse(readFileSync(MAPPING_FILE, 'utf8')));
    if (!loaded.ok) throw new Error('the demo mapping does not load');
    const { header, rows } = demoRows();
    const compiled = compileMapping(loaded.value, header);
    if (!compiled.ok) throw new Error('the demo mapping does not compile');
    const { mapRow, keyOf } = compiled.compiled;
    let sink = 0;
    let problems = 0;

    const baselineCpu: number[] = [];
    const mappingCpu: number[] = [];
    const baseline = await measure(
      timedCpu(baselineCpu, () => {
        for (let i = 0; i < ROWS; i++) {
          const cells = rows[i % rows.length] as string[];
          const record: Record<string, string> = {};
          for (let c = 0; c < header.length; c++) record[header[c] as string] = cells[c] as string;
          sink += record.mrn === undefined ? 0 : 1;
        }
      }),
      { repeats: REPEATS },
    );
    const mapping = await measure(
      timedCpu(mappingCpu, () => {
        problems = 0;
        for (let i = 0; i < ROWS; i++) {
          const cells = rows[i % rows.length] as string[];
          const mapped = mapRow(cells, i + 1);
          problems += mapped.problems.length;
          sink += keyOf(cells) === undefined ? 0 : 1;
        }
      }),
      { repeats: REPEATS },
    );
    const bestCpu = (samples: number[]) => Math.min(...samples);

    const rowsPerSecond = (ms: number) => Math.round(ROWS / (ms / 1000));
    return {
      params: {
        rows: ROWS,
        distinctRows: rows.length,
        columns: header.length,
        fields: loaded.value.fields.length,
        repeats: REPEATS,
      },
      columns: [
        'variant',
        'bestMs',
        'medianMs',
        'rowsPerSecond',
        'vsBaseline',
        'cpuBestMs',
        'rowsPerCpuSecond',
        'cpuVsBaseline',
      ],
      rows: [
        {
          variant: 'baseline: copy cells into a header-keyed object',
          bestMs: round(baseline.bestMs, 0),
          medianMs: round(baseline.medianMs, 0),
          rowsPerSecond: rowsPerSecond(baseline.bestMs),
          vsBaseline: 1,
          cpuBestMs: round(bestCpu(baselineCpu), 0),
          rowsPerCpuSecond: rowsPerSecond(bestCpu(baselineCpu)),
          cpuVsBaseline: 1,
        },
        {
          variant: 'mapRow + keyOf (demo mapping → FHIR Patient)',
          bestMs: round(mapping.bestMs, 0),
          medianMs: round(mapping.medianMs, 0),
          rowsPerSecond: rowsPerSecond(mapping.bestMs),
          vsBaseline: round(mapping.bestMs / baseline.bestMs, 1),
          cpuBestMs: round(bestCpu(mappingCpu), 0),
          rowsPerCpuSecond: rowsPerSecond(bestCpu(mappingCpu)),
          cpuVsBaseline: round(bestCpu(mappingCpu) / bestCpu(baselineCpu), 1),
        },
      ],
      notes: [
        'vsBaseline = best time / baseline best time (how many times slower than copying the cells); cpu* = the same in CPU time of this process (includes its GC threads)',
        `sanity: ${problems} mapping problems per ${ROWS.toLocaleString('en-US')} rows (${round((problems / ROWS) * rows.length, 1)} per 5,000: the demo's 14); sink ${sink > 0 ? 'used' : 'empty'}`,
      ],
    };
  },
};
