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
import type { CsvLayout } from '../src/core/migration/csvLayout.ts';
import { FHIR_LAYERS } from '../src/core/migration/fhir/rules.ts';
import { groupPositions, type IssueRowGroup } from '../src/core/migration/issueRows.ts';
import type { Mapping } from '../src/formats/mapping.ts';
import { issueLines, MAPPED_FHIR_CASES } from '../tests/fixtures/mappedFhirCases.ts';
import { createValidateApi, type ValidateInputSpec, type ValidateOutcome } from './validateApi.ts';
import { runValidation } from './validateRun.ts';

const SAMPLES = path.resolve(import.meta.dirname, '../samples');

async function validate(
  api: ReturnType<typeof createValidateApi>,
  input: Omit<ValidateInputSpec, 'layout' | 'keys'> & { keys?: ValidateInputSpec['keys'] },
  parts: number,
): Promise<ValidateOutcome> {
  const sniffed = await api.sniff(input.file, input.name);
  if (!sniffed.ok) throw new Error(sniffed.problem.message);
  const { detected: _detected, ...layout } = sniffed.layout;
  let n = 0;
  return runValidation(
    { inputs: [{ keys: [], ...input, layout: layout as CsvLayout }], links: [], toolVersion: 'test' },
    {
      parts,
      minSplitBytes: 1,
      runPart: (part, onProgress) => api.validatePart(`part-${n++}`, part, onProgress),
    },
  );
}

describe('validator worker: CSV mapped to an R4 resource type', () => {
  const cases = MAPPED_FHIR_CASES.flatMap((c) => [1, 3].map((parts) => ({ ...c, parts })));
  it.each(cases)(
    '$description ($parts part(s))',
    async ({ csv, mapping, options = {}, summary, issues, parts }) => {
      const api = createValidateApi();
      const outcome = await validate(
        api,
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
      );
      if (!outcome.ok) throw new Error(outcome.problem.message);
      expect(outcome.report.summary).toEqual(summary);
      expect(issueLines(outcome.report)).toEqual(issues);
      expect(outcome.report.mapping).toEqual({ id: mapping.id, version: mapping.version });
      expect(outcome.failing[0]?.count).toBe(summary.invalid);
      // each error issue lists its failing rows for the drill-down's filter, first examples first
      for (const issue of outcome.report.issues) {
        if (issue.severity !== 'error') continue;
        const group = outcome.failing[0]?.issues.find(
          (g) => g.rule === issue.rule && g.location === issue.location,
        );
        const rows = [...groupPositions(group as IssueRowGroup)].map((p) => outcome.failing[0]?.rows[p]);
        const examples = issue.examples.flatMap((e) => (e.row === undefined ? [] : [e.row]));
        expect(rows.slice(0, examples.length), `${issue.rule} ${issue.location}`).toEqual(examples);
      }
    },
  );

  it('gives the demo its documented counts, split in three, with the failing rows for the drill-down', async () => {
    const api = createValidateApi();
    const mapping = JSON.parse(
      readFileSync(path.join(SAMPLES, 'mappings/patients-to-fhir-patient.json'), 'utf8'),
    ) as Mapping;
    const outcome = await validate(
      api,
      {
        file: new Blob([readFileSync(path.join(SAMPLES, 'legacy/patients.csv'))]),
        name: 'patients.csv',
        mapping: { mapping },
      },
      3,
    );
    if (!outcome.ok) throw new Error(outcome.problem.message);
    expect(outcome.report.summary).toEqual({
      records: 5000,
      valid: 4986,
      invalid: 14,
      errors: 14,
      warnings: 0,
    });
    expect(issueLines(outcome.report).map((l) => l.split(' | ')[0])).toEqual([
      'error mapping.required @ last_name ×6',
      'error mapping.required @ birth_date ×4',
      'error mapping.required @ first_name ×3',
      'error mapping.date @ birth_date ×1',
    ]);
    // the mapping's key (mrn) is a record key: its 12 duplicate pairs are reported
    expect(outcome.report.crossFile.duplicateKeys.map((d) => [d.column, d.count])).toEqual(
      Array(12).fill(['mrn', 2]),
    );
    expect(outcome.report.target).toEqual({ type: 'fhir', resourceType: 'Patient' });
    expect(outcome.failing[0]?.count).toBe(14);
    expect([...(outcome.failing[0]?.rows ?? [])]).toContain(1431);
  });

  it('a mapping that cannot run on the file comes back as a problem naming the place in the mapping', async () => {
    const base = MAPPED_FHIR_CASES[0]?.mapping as Mapping;
    const outcome = await validate(
      createValidateApi(),
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
