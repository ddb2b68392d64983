/**
 * A CSV mapped to an R4 resource type through the validator worker's API, as the page runs it
 * (workers/validateRun.ts): the table of tests/fixtures/mappedFhirCases.ts (same summary and
 * issues as the core and the CLI), the demo's documented counts with the failing-row index the drill-down
 * reads, and a mapping that cannot run coming back as a problem the user can fix.
 */
import { describe, expect, it } from 'vitest';
import { FHIR_LAYERS } from '../src/core/fhir/index.ts';
import { tracedSentence } from '../src/core/validation/index.ts';
import type { Mapping } from '../src/formats/mapping.ts';
import {
  MAPPED_FHIR_CASES,
  MAPPED_FHIR_DEMO,
  MAPPED_TRACE_CASES,
  tracedLines,
} from '../tests/fixtures/mappedFhirCases.ts';
import {
  expectCaseReport,
  expectDemoRun,
  expectIssueRowsListed,
  readSampleJson,
  validateCase,
  validateThroughApi,
} from './testing/mappedRuns.ts';

describe('validator worker: CSV mapped to an R4 resource type', () => {
  it.each(MAPPED_FHIR_CASES)('$description', async ({ csv, mapping, options = {}, summary, issues }) => {
    const outcome = await validateCase(csv, {
      mapping,
      layers: FHIR_LAYERS.filter((l) => !(options.skip ?? []).includes(l)),
      ...(options.unknownExtensions ? { unknownExtensions: options.unknownExtensions } : {}),
    });
    expectCaseReport(outcome, { summary, issues, mapping });
    // each error issue lists its failing rows for the drill-down's filter, first examples first
    expectIssueRowsListed(
      outcome,
      outcome.report.issues.filter((issue) => issue.severity === 'error'),
    );
  });

  it.each(MAPPED_TRACE_CASES)(
    'traces FHIR messages to the mapping: $description',
    async ({ csv, mapping, traced }) => {
      const outcome = await validateCase(csv, { mapping });
      expect(tracedLines(outcome.report, tracedSentence)).toEqual(traced);
    },
  );

  it('gives the demo its documented counts with the failing rows for the drill-down', async () => {
    const mapping = readSampleJson<Mapping>(MAPPED_FHIR_DEMO.mapping);
    await expectDemoRun(
      { mapping },
      {
        ...MAPPED_FHIR_DEMO,
        target: { type: 'fhir', resourceType: 'Patient' },
        failingRow: 1431,
      },
    );
  });

  it('a mapping that cannot run on the file comes back as a problem naming the place in the mapping', async () => {
    const base = MAPPED_FHIR_CASES[0]?.mapping as Mapping;
    const outcome = await validateThroughApi({
      file: new Blob(['mrn,last_name\nM1,Ngata\n']),
      name: 'extract.csv',
      mapping: {
        mapping: {
          ...base,
          fields: [
            { target: 'name', from: 'mrn' },
            { target: 'name.family', from: 'last_name' },
          ],
        },
      },
    });
    expect(outcome).toMatchObject({
      ok: false,
      problem: { file: 'extract.csv', schemaPaths: ['/fields/1/target'] },
    });
  });
});
