import { describe, expect, it } from 'vitest';
import { addPulledPage, pulledFile, pulledFileName, startPulledSet } from './pulledRecords.ts';

describe('pulledFileName', () => {
  it.each([
    { base: 'https://fhir.example.org/r4', expected: 'Patient-fhir.example.org.ndjson' },
    { base: 'http://127.0.0.1:40123/fhir', expected: 'Patient-127.0.0.1-40123.ndjson' },
    { base: 'http://[::1]:8080/fhir', expected: 'Patient----1--8080.ndjson' },
  ])('$base gives $expected', ({ base, expected }) => {
    expect(pulledFileName('Patient', base)).toBe(expected);
  });
});

describe('a pulled set', () => {
  it('keeps every page as NDJSON lines, one resource per line, and counts them', async () => {
    const set = startPulledSet('Patient');
    addPulledPage(
      set,
      [
        { resourceType: 'Patient', id: 'a' },
        { resourceType: 'Patient', id: 'b' },
      ],
      3,
    );
    addPulledPage(set, []);
    addPulledPage(set, [{ resourceType: 'Patient', id: 'c', name: [{ family: 'Line\nBreak' }] }]);
    expect(set.records).toBe(3);
    expect(set.total).toBe(3);
    const text = await pulledFile(set, 'https://fhir.example.org/r4').text();
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'b', 'c']);
  });
});
