/**
 * A `value` or `pattern` discriminator whose value the profile fixes on the slice itself, not on
 * the element the path names (`fixedContactPoint: { use: 'home' }` on a telecom slice discriminated
 * by `use`), as the HL7 Java validator reads it: a value with that `use` is in the slice, and then
 * held to the slice's fixed value as a whole. The profile ships a differential only, so the
 * generated snapshot does not unfold the slice's children.
 */
import { describe, expect, it } from 'vitest';
import { tgz } from '../../../../../tests/fixtures/tgz.ts';
import { createFhirSession, generatedModules } from '../../../fhir/index.ts';
import { validatorProfiles } from '../../check.ts';
import type { ElementNode } from '../../compile.ts';
import { readIgPackage } from '../../igPackage.ts';
import { loadProfileRegistry } from '../../registry.ts';
import { valueAbove } from './discriminators.ts';

const PROFILE = 'http://example.org/fhir/StructureDefinition/';

/** A Practitioner profile `id` slicing telecom by `use`, its slice `home` holding `value` (fixed or pattern). */
const profile = (id: string, held: 'fixedContactPoint' | 'patternContactPoint') => ({
  resourceType: 'StructureDefinition',
  url: `${PROFILE}${id}`,
  name: id,
  type: 'Practitioner',
  kind: 'resource',
  derivation: 'constraint',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Practitioner',
  differential: {
    element: [
      {
        id: 'Practitioner.telecom',
        path: 'Practitioner.telecom',
        slicing: { discriminator: [{ type: 'value', path: 'use' }], rules: 'open' },
        min: 1,
      },
      {
        id: 'Practitioner.telecom:home',
        path: 'Practitioner.telecom',
        sliceName: 'home',
        min: 1,
        max: '1',
        [held]: { use: 'home' },
      },
    ],
  },
});

const pkg = await readIgPackage(
  tgz({
    'package/package.json': JSON.stringify({ name: 'example.slices', version: '1.0.0' }),
    'package/StructureDefinition-fixed.json': JSON.stringify(profile('fixed', 'fixedContactPoint')),
    'package/StructureDefinition-pattern.json': JSON.stringify(profile('pattern', 'patternContactPoint')),
  }),
);
const session = await createFhirSession(generatedModules, {
  profiles: validatorProfiles(await loadProfileRegistry([pkg])),
});

/** The issues (information left out) of a Practitioner claiming profile `id` with `telecom`. */
async function issuesOf(id: string, telecom: unknown[]): Promise<string[]> {
  const { issues } = await session.validate({
    resourceType: 'Practitioner',
    meta: { profile: [`${PROFILE}${id}`] },
    telecom,
  });
  return issues
    .filter((i) => i.severity !== 'information')
    .map((i) => `${i.severity} ${i.rule} at ${i.location}`);
}

describe('a discriminator value the profile fixes on the slice itself', () => {
  it('puts a value in the slice by it, and holds the value to the fixed value as a whole', async () => {
    const phone = { system: 'phone', value: '555', use: 'home' };
    expect(await issuesOf('fixed', [phone])).toEqual(['error fhir-profile-value at Practitioner.telecom[0]']);
    expect(await issuesOf('fixed', [{ use: 'home' }])).toEqual([]);
  });

  it('leaves a value of another use out of the slice, whose minimum it then misses', async () => {
    expect(await issuesOf('fixed', [{ use: 'work' }])).toEqual([
      'error fhir-profile-slice at Practitioner.telecom',
    ]);
  });

  it('reads a pattern on the slice the same way: more elements are allowed', async () => {
    expect(await issuesOf('pattern', [{ system: 'phone', value: '555', use: 'home' }])).toEqual([]);
  });

  it('finds the part of the fixed value at the path, through a list of one', () => {
    const node = (fields: Partial<ElementNode>) => ({ children: [], ...fields }) as unknown as ElementNode;
    const slice = node({ fixed: { coding: [{ system: 's', code: 'c' }] } });
    expect(valueAbove(slice, 'coding.code')).toEqual({ fixed: 'c' });
    expect(valueAbove(node({ pattern: { use: 'home' } }), 'use')).toEqual({ pattern: 'home' });
    expect(
      valueAbove(node({ fixed: { coding: [{ code: 'a' }, { code: 'b' }] } }), 'coding.code'),
    ).toBeUndefined();
    expect(valueAbove(node({}), 'use')).toBeUndefined();
    expect(valueAbove(slice, "extension('x').value")).toBeUndefined();
  });
});
