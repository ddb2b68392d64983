import { describe, expect, it } from 'vitest';
import { type MappedInput, mappedTarget } from './index.ts';

const patient = (key: string, version = 1): MappedInput => ({
  target: { type: 'fhir', resourceType: 'Patient' },
  mapping: { id: 'm', version },
  key,
});

describe('what a report says of its mappings', () => {
  it('names the target and the mapping only when every file has them alike', () => {
    expect(mappedTarget([patient('a'), patient('a')])).toEqual({
      target: { type: 'fhir', resourceType: 'Patient' },
      mapping: { id: 'm', version: 1 },
    });
    // two mappings to the same target: the target, no mapping
    expect(mappedTarget([patient('a'), patient('b', 2)])).toEqual({
      target: { type: 'fhir', resourceType: 'Patient' },
    });
    const schema: MappedInput = { ...patient('c'), target: { type: 'schema', schema: 'urn:s' } };
    expect(mappedTarget([patient('a'), schema])).toEqual({});
    // a file not mapped: nothing
    expect(mappedTarget([patient('a'), undefined])).toEqual({});
    expect(mappedTarget([])).toEqual({});
  });
});
