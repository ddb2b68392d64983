/**
 * The 58 R4 base-spec cases of the HL7 Java validator's suite (tests/fixtures/fhirTestCases.ts)
 * through the FHIR validator worker's API, as the browser runs them: each case's file as a Blob,
 * read in ranges, decoded and validated by `createFhirValidateApi().validate`. The same verdicts
 * as the core (src/core/fhir/fhirTestCases.test.ts) and the CLI.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FHIR_LAYERS } from '../src/core/fhir/index.ts';
import { fhirCases } from '../tests/fixtures/fhirTestCases.ts';
import { createFhirValidateApi } from './fhirValidateApi.ts';

/** Cases skipped by name, each with the reason (as in the core's table: none). */
const KNOWN_GAPS: Record<string, string> = {};

const api = createFhirValidateApi();
const cases = fhirCases();

async function invalid(file: string): Promise<boolean> {
  const outcome = await api.validate(
    `case-${path.basename(file)}`,
    {
      toolVersion: 'test',
      layers: [...FHIR_LAYERS],
      // a case is one resource or Bundle per .json file, read whole (NDJSON is for exports)
      inputs: [{ name: path.basename(file), file: new Blob([readFileSync(file)]) }],
    },
    () => {},
  );
  if (!outcome.ok) throw new Error(outcome.problem.message);
  return outcome.report.summary.invalid > 0;
}

describe('HL7 FHIR validator suite through the worker API (58 cases)', () => {
  for (const c of cases) {
    it.skipIf(KNOWN_GAPS[c.name] !== undefined)(`${c.name}: ${c.invalid ? 'invalid' : 'valid'}`, async () => {
      expect(await invalid(c.file)).toBe(c.invalid);
    });
  }

  it('has all 58 cases', () => {
    expect(cases).toHaveLength(58);
  });
});
