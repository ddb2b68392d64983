import { describe, expect, it } from 'vitest';
import { readProjectFhirChecks, SWITCHABLE_FHIR_LAYERS, withProjectFhirChecks } from './fhirChecks.ts';
import { PROBLEM_CODES as C } from './loading.ts';

describe('readProjectFhirChecks', () => {
  it.each([
    {
      description: 'absent: every check, unknown extensions as errors',
      value: undefined,
      off: [],
      ext: 'error',
      problems: [],
    },
    { description: 'empty object', value: {}, off: [], ext: 'error', problems: [] },
    {
      description: 'layers off in run order, duplicates once',
      value: { off: ['references', 'bindings', 'bindings'], unknownExtensions: 'warning' },
      off: ['bindings', 'references'],
      ext: 'warning',
      problems: [],
    },
    {
      description: 'json cannot be switched off, and an unknown id is ignored with a warning',
      value: { off: ['json', 'structure', 'profiles-lint'] },
      off: ['structure'],
      ext: 'error',
      problems: [
        ['/meta/settings/fhirChecks/off/0', C.notAllowed],
        ['/meta/settings/fhirChecks/off/2', C.notAllowed],
      ],
    },
    { description: 'not an object', value: 'all', off: [], ext: 'error', problems: [] },
    {
      description: 'example-address modifier extensions accepted',
      value: { allowExampleUrls: true },
      off: [],
      ext: 'error',
      allow: true,
      problems: [],
    },
    {
      description: 'only an explicit true accepts example-address modifier extensions',
      value: { allowExampleUrls: 'yes' },
      off: [],
      ext: 'error',
      problems: [],
    },
  ])('$description', ({ value, off, ext, allow = false, problems }) => {
    const read = readProjectFhirChecks(value === undefined ? {} : { fhirChecks: value });
    expect(read.off).toEqual(off);
    expect(read.unknownExtensions).toBe(ext);
    expect(read.allowExampleUrls).toBe(allow);
    expect(read.problems.map((p) => [p.path, p.code])).toEqual(problems);
    // the messages never repeat the stored value
    for (const p of read.problems) expect(p.message).not.toContain('profiles-lint');
  });
});

describe('withProjectFhirChecks', () => {
  it('sets the checks, keeping other settings, later fields and ids it does not know', () => {
    const settings = {
      waivers: [],
      fhirChecks: { off: ['lint', 'values'], unknownExtensions: 'error', later: 1 },
    };
    const next = withProjectFhirChecks(settings, {
      off: ['references', 'cardinality'],
      unknownExtensions: 'warning',
    });
    expect(next).toEqual({
      waivers: [],
      fhirChecks: { off: ['cardinality', 'references', 'lint'], unknownExtensions: 'warning', later: 1 },
    });
    expect(readProjectFhirChecks(next).off).toEqual(['cardinality', 'references']);
    // the input is not changed
    expect(settings.fhirChecks.off).toEqual(['lint', 'values']);
  });

  it('round-trips every single layer switched off', () => {
    for (const layer of SWITCHABLE_FHIR_LAYERS) {
      const read = readProjectFhirChecks(
        withProjectFhirChecks({}, { off: [layer], unknownExtensions: 'error' }),
      );
      expect(read).toEqual({
        off: [layer],
        unknownExtensions: 'error',
        allowExampleUrls: false,
        problems: [],
      });
    }
  });

  it('accepts example-address modifier extensions when told, keeps the choice when not told, and drops it when off', () => {
    const on = withProjectFhirChecks({}, { off: [], unknownExtensions: 'error', allowExampleUrls: true });
    expect(on).toEqual({ fhirChecks: { off: [], unknownExtensions: 'error', allowExampleUrls: true } });
    const kept = withProjectFhirChecks(on, { off: ['values'], unknownExtensions: 'warning' });
    expect(readProjectFhirChecks(kept).allowExampleUrls).toBe(true);
    const off = withProjectFhirChecks(kept, {
      off: ['values'],
      unknownExtensions: 'warning',
      allowExampleUrls: false,
    });
    expect(off).toEqual({ fhirChecks: { off: ['values'], unknownExtensions: 'warning' } });
  });
});
