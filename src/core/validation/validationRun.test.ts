import { describe, expect, it } from 'vitest';
import type { Report } from '../../formats/report.ts';
import {
  type CsvSource,
  compileContract,
  headerCheck,
  type InputJob,
  planChosen,
  VALIDATION_STEPS,
  type ValidationStep,
  validationRun,
} from './index.ts';

/** Comma-delimited: a decimal comma is quoted, and never guessed by the pass (core decimalMark.ts). */
const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;

function source(name: string, text: string): CsvSource {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/** A contract whose `temp` is a number, its first column named `id`. */
const CONTRACT = {
  id: 'vitals',
  name: 'vitals.json',
  schema: {
    type: 'object',
    properties: { id: { type: 'string' }, temp: { type: 'number' } },
    required: ['temp'],
  },
};
/** Temperatures written with a decimal comma, the first column renamed. */
const VITALS = 'ID,temp\nV1,"36,4"\nV2,"37,1"\n';

/** The steps of a run of vitals.csv, recording what each saw when it was called. */
function steps(seen: string[]) {
  const inputs = [
    { name: 'vitals.csv', layout: LAYOUT, header: ['ID', 'temp'], keys: [], contract: CONTRACT },
  ];
  const comparison = headerCheck({ contract: 'vitals', layout: LAYOUT, header: ['ID', 'temp'] }, [CONTRACT]);
  if (!comparison) throw new Error('the header was expected to differ');
  let jobs: InputJob[] = [];
  return {
    prepare: async () => {
      seen.push('prepare');
      // the contract compiled here, as the CLI's jobs have it (the page's workers compile their own)
      const compiled = await compileContract(CONTRACT.schema);
      if (!compiled.ok) throw new Error('the contract was expected to compile');
      jobs = [
        {
          source: source('vitals.csv', VITALS),
          layout: LAYOUT,
          keys: [],
          plan: compiled.plan,
          fullValidator: compiled.validate,
        },
      ];
      return { plan: planChosen(inputs, []), jobs };
    },
    decimalMark: () => {
      seen.push('decimal-mark');
      return ',' as const;
    },
    headers: { decided: [{ input: 'vitals.csv', comparison, rowsChecked: true }] },
    mappings: async () => {
      seen.push(`mappings (decimal mark ${jobs[0]?.decimalMark})`);
      return {};
    },
    engine: async () => {
      seen.push('engine');
      return { parallel: 1 };
    },
    afterEngine: () => seen.push('after engine'),
    report: { toolVersion: 't' },
    annotate: (report: Report) => {
      seen.push(`annotate (${report.issues.map((i) => i.rule).join(', ')})`);
      return { ...report, id: 'annotated' };
    },
  };
}

describe('validationRun', () => {
  it("takes the steps in the core's order, each after what it rests on", async () => {
    const seen: string[] = [];
    const told: ValidationStep[] = [];
    const run = await validationRun({ ...steps(seen), onStep: (step) => told.push(step) });
    expect(told).toEqual([...VALIDATION_STEPS]);
    // the mark is set before the mappings and the engine; the report is built with the header
    // differences before the adapter adds to it, and what it adds is the report returned
    expect(seen).toEqual([
      'prepare',
      'decimal-mark',
      'mappings (decimal mark ,)',
      'engine',
      'after engine',
      'annotate (incorrect-label)',
    ]);
    expect(run.report.id).toBe('annotated');
    expect(run.headers.map((h) => h.input)).toEqual(['vitals.csv']);
    // the decimal comma was read: no number error in temp
    expect(run.report.issues.map((i) => i.rule)).toEqual(['incorrect-label']);
  });

  it("leaves the mark to the file's pass when none is given, and stops at a step that fails", async () => {
    const seen: string[] = [];
    const given = steps(seen);
    const plain = await validationRun({ ...given, decimalMark: () => undefined });
    expect(plain.jobs[0]?.decimalMark).toBeUndefined();
    // each temperature is then not a number
    expect(plain.report.issues.map((i) => i.rule).filter((r) => r !== 'incorrect-label')).not.toEqual([]);
    seen.length = 0;
    const failing = validationRun({
      ...given,
      mappings: async () => {
        throw new Error('the mapping cannot run');
      },
    });
    await expect(failing).rejects.toThrow('the mapping cannot run');
    // neither the engine nor the report came after it
    expect(seen).toEqual(['prepare', 'decimal-mark']);
  });
});
