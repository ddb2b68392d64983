/**
 * A CSV mapped to an R4 resource type through the validator worker's API, as the page runs it
 * (workers/validateRun.ts): the table of tests/fixtures/mappedFhirCases.ts (same summary and
 * issues as the core and the CLI) in one part and split into three byte ranges (row numbers
 * re-based by the merge), the demo's documented counts with the failing-row index the drill-down
 * reads, and a mapping that cannot run coming back as a problem the user can fix.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FHIR_LAYERS } from '../src/core/migration/fhir/rules.ts';
import type { Mapping } from '../src/formats/mapping.ts';
import { issueLines, MAPPED_FHIR_CASES, MAPPED_FHIR_DEMO } from '../tests/fixtures/mappedFhirCases.ts';
import {
  expectDemoRun,
  expectIssueRowsListed,
  SAMPLES,
  validated,
  validateInParts,
} from './testing/mappedRuns.ts';

describe('validator worker: CSV mapped to an R4 resource type', () => {
  const cases = MAPPED_FHIR_CASES.flatMap((c) => [1, 3].map((parts) => ({ ...c, parts })));
  it.each(cases)(
    '$description ($parts part(s))',
    async ({ csv, mapping, options = {}, summary, issues, parts }) => {
      const outcome = validated(
        await validateInParts(
          {
            file: new Blob([csv]),
            name: 'extract.csv',
            mapping: {
              mapping,
              layers: FHIR_LAYERS.filter((l) => !(options.skip ?? []).includes(l)),
              ...(options.unknownExtensions ? { unknownExtensions: options.unknownExtensions } : {}),
            },
          },
          parts,
        ),
      );
      expect(outcome.report.summary).toEqual(summary);
      expect(issueLines(outcome.report)).toEqual(issues);
      expect(outcome.report.mapping).toEqual({ id: mapping.id, version: mapping.version });
      expect(outcome.failing[0]?.count).toBe(summary.invalid);
      // each error issue lists its failing rows for the drill-down's filter, first examples first
      expectIssueRowsListed(
        outcome,
        outcome.report.issues.filter((issue) => issue.severity === 'error'),
      );
    },
  );

  it('gives the demo its documented counts, split in three, with the failing rows for the drill-down', async () => {
    const mapping = JSON.parse(readFileSync(path.join(SAMPLES, MAPPED_FHIR_DEMO.mapping), 'utf8')) as Mapping;
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
    const outcome = await validateInParts(
      {
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
      },
      1,
    );
    expect(outcome).toMatchObject({
      ok: false,
      problem: { file: 'extract.csv', schemaPaths: ['/fields/1/target'] },
    });
  });
});
