/**
 * Test kit of the mapping tests (mapping/findingCells.test.ts, mapping/targetSchema.test.ts,
 * src/app/migration/mappedCells.test.ts): one builder of a mapping fixture, so each test states
 * only the fields (and the target or key) it is about and the rest is a valid mapping of
 * patients.csv. Test-only: imported by *.test.ts files, never by the app, the CLI or workers.
 */
import type { FieldMapping, Mapping } from '../../../formats/mapping.ts';

/**
 * A mapping of patients.csv (key `mrn`, version 1, target JSON Schema `target.json` unless
 * `overrides` say otherwise) filling `fields`.
 */
export function mappingOf(
  fields: FieldMapping[],
  overrides: Partial<Omit<Mapping, 'format' | 'fields'>> = {},
): Mapping {
  return {
    format: 'preflight.mapping/v1',
    id: 'm',
    name: 'test',
    version: 1,
    source: 'patients.csv',
    target: { type: 'schema', schema: 'target.json' },
    key: 'mrn',
    ...overrides,
    fields,
  };
}
