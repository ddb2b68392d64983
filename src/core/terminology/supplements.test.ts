/**
 * Code-system supplements as FHIR defines them, beyond what HL7's suite asks: a supplement's
 * displays count only where a value set (or one it includes) or the request names it, a
 * supplement not held refuses the request with what to do, and a supplement's URL given where a
 * value set or a code system belongs is said to be a supplement.
 */
import { describe, expect, it } from 'vitest';
import { createTerminologyStore, createValidator, TerminologyError } from './index.ts';

const CS = 'http://example.org/CodeSystem/colours';
const SUP = 'http://example.org/CodeSystem/colours-nl';
const SUPPLEMENT = 'http://hl7.org/fhir/StructureDefinition/valueset-supplement';

const resources = [
  {
    resourceType: 'CodeSystem',
    url: CS,
    content: 'complete',
    concept: [{ code: 'red', display: 'Red' }],
  },
  {
    resourceType: 'CodeSystem',
    url: SUP,
    version: '2.0.0',
    content: 'supplement',
    supplements: CS,
    concept: [{ code: 'red', designation: [{ language: 'nl', value: 'Rood' }] }],
  },
  { resourceType: 'ValueSet', url: 'http://example.org/vs/plain', compose: { include: [{ system: CS }] } },
  {
    resourceType: 'ValueSet',
    url: 'http://example.org/vs/dutch',
    extension: [{ url: SUPPLEMENT, valueCanonical: `${SUP}|2.0.0` }],
    compose: { include: [{ system: CS }] },
  },
  {
    resourceType: 'ValueSet',
    url: 'http://example.org/vs/outer',
    compose: { include: [{ valueSet: ['http://example.org/vs/dutch'] }] },
  },
  {
    resourceType: 'ValueSet',
    url: 'http://example.org/vs/missing',
    extension: [{ url: SUPPLEMENT, valueCanonical: `${SUP}|9` }],
    compose: { include: [{ system: CS }] },
  },
];

const validate = createValidator(createTerminologyStore(resources));
const rood = (valueSet: string, extra: object = {}) =>
  validate({ valueSet, coding: { system: CS, code: 'red', display: 'Rood' }, ...extra });

describe('code-system supplements', () => {
  it('counts a supplement’s display only where it is named', () => {
    expect(rood('http://example.org/vs/plain').result).toBe(false);
    expect(rood('http://example.org/vs/dutch').result).toBe(true);
    // named by a value set the one checked includes
    expect(rood('http://example.org/vs/outer').result).toBe(true);
    expect(rood('http://example.org/vs/plain', { useSupplements: [SUP] }).result).toBe(true);
  });

  it('refuses a supplement not held, naming it and who asked for it', () => {
    expect(() => rood('http://example.org/vs/missing')).toThrow(
      /supplement not found: http:\/\/example\.org\/CodeSystem\/colours-nl\|9\. The value set http:\/\/example\.org\/vs\/missing names/,
    );
    expect(() => rood('http://example.org/vs/plain', { useSupplements: [`${SUP}|1.0.0`] })).toThrow(
      /The request \(useSupplement\) names .* load the package that defines it/,
    );
  });

  it('says a supplement is not a value set, nor a code system a coding can name', () => {
    let refused: unknown;
    try {
      rood(SUP);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(TerminologyError);
    expect((refused as Error).message).toMatch(/is a code-system supplement, not a value set/);
    const asSystem = validate({ codeSystem: SUP, coding: { system: SUP, code: 'red' } });
    expect(asSystem.result).toBe(false);
    expect(asSystem.issues).toEqual([
      expect.objectContaining({ severity: 'error', type: 'invalid-data', expression: 'Coding.system' }),
    ]);
    expect(asSystem.message).toMatch(/colours-nl\|2\.0\.0 is a supplement.*give that code system/);
  });
});
