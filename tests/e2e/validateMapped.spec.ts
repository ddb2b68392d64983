/**
 * A CSV mapped to an R4 resource type, validated in the production build's validator worker under
 * its own CSP: the FHIR modules (digest, the Patient structure module, FHIRPath.js) are imported
 * by the worker on first use, as chunks of their own, with no policy violation and no console
 * message; the demo extract gives its documented counts (samples/README.md).
 *
 * The mapping editor that will call this is not built yet (helper "mapui"), so a test-only page
 * (tests/e2e/harness/) is built with the app's own Vite config and served by `vite preview` with
 * the app's security headers, as tests/e2e/workflowWorkers.spec.ts does.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mapping } from '../../src/formats/mapping.ts';
import type { ValidateMappedHarness } from './harness/validateMapped.ts';
import { type HarnessPage, openHarnessPage, ROOT } from './harnessPage.ts';

const HARNESS = 'tests/e2e/harness/validateMapped.html';

let harness: HarnessPage;
let page: Page;
let consoleMessages: string[];
let cspViolations: string[];
let requested: string[];

type Harness = { validateMapped: ValidateMappedHarness };

beforeAll(async () => {
  harness = await openHarnessPage(HARNESS);
  ({ page, consoleMessages, cspViolations, requested } = harness);
}, 170_000);

afterAll(async () => {
  await harness?.close();
});

describe('validator worker: CSV mapped to FHIR Patient, in Chromium', () => {
  it('loads no FHIR module before a mapping needs one', () => {
    expect(requested.filter((p) => /\/(digest|Patient|fhirPathEngine|mappedRows)-/.test(p))).toEqual([]);
  });

  it('gives the demo extract its documented counts, loading the FHIR modules in the worker only', async () => {
    const samples = path.join(ROOT, 'samples');
    const text = readFileSync(path.join(samples, 'legacy/patients.csv'), 'utf8');
    const mapping = JSON.parse(
      readFileSync(path.join(samples, 'mappings/patients-to-fhir-patient.json'), 'utf8'),
    ) as Mapping;
    const result = await page.evaluate(
      ([t, m]) => (window as unknown as Harness).validateMapped.validateMapped('patients.csv', t, m),
      [text, mapping] as const,
    );
    expect(result).toMatchObject({
      summary: { records: 5000, valid: 4986, invalid: 14, errors: 14, warnings: 0 },
      target: { type: 'fhir', resourceType: 'Patient' },
    });
    const fhirChunks = requested.filter((p) => /\/(digest|Patient|fhirPathEngine)-/.test(p));
    expect(fhirChunks.length).toBe(3);
    expect(cspViolations).toEqual([]);
  });

  it('reports a FHIR finding at its row, source column and FHIRPath', async () => {
    const mapping = JSON.parse(
      readFileSync(path.join(ROOT, 'samples/mappings/patients-to-fhir-patient.json'), 'utf8'),
    ) as Mapping;
    // gender copied as written: "F" is not an R4 code
    const raw: Mapping = {
      ...mapping,
      fields: mapping.fields.map((f) => (f.target === 'gender' ? { target: 'gender', from: 'sex' } : f)),
    };
    const text = 'patient_id,mrn,last_name,first_name,birth_date,sex\nP1,M1,Ngata,Ana,1980-01-02,F\n';
    const result = await page.evaluate(
      ([t, m]) => (window as unknown as Harness).validateMapped.validateMapped('few.csv', t, m),
      [text, raw] as const,
    );
    expect(result).toMatchObject({
      summary: { records: 1, valid: 0, invalid: 1, errors: 1 },
      issues: [
        {
          rule: 'fhir-value-not-allowed',
          location: 'Patient.gender',
          examples: [{ row: 1, column: 'sex', path: 'Patient.gender', value: 'F' }],
        },
      ],
    });
  });

  it('printed nothing and broke no policy', () => {
    expect(cspViolations).toEqual([]);
    expect(consoleMessages).toEqual([]);
  });
});
