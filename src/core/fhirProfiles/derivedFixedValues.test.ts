/**
 * A profile validated as a resource, against the fixed values of the profile it derives from
 * (derivedFixedValues.ts): HL7's validator case ext-derived (a derived extension fixing its own
 * url where its base fixed the base's) through the validator with the base in a loaded package,
 * a table of what is and is not a conflict, and no finding on the profiles of US Core 6.1.0 and
 * IPS 2.0.0 checked against their bases (the packages' own, and R4's built in).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { tgz } from '../../../tests/fixtures/tgz.ts';
import { US_CORE_TGZ } from '../../../tests/fixtures/usCorePackage.ts';
import {
  createFhirSession,
  FHIR_LAYERS,
  generatedModules,
  IssueSink,
  loadR4BaseDefinitions,
} from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { derivedFixedValuesCheck } from './derivedFixedValues.ts';
import { type IgPackage, readIgPackage } from './igPackage.ts';
import { createProfileRegistry, loadProfileRegistry, loadSpecificationProfiles } from './registry.ts';
import type { StructureDefinition } from './types.ts';

const hl7Case = (file: string) =>
  readFileSync(externalFixture('fhir-test-cases', 'validator', file), 'utf8').replace(/^\uFEFF/, '');

const packageOf = (files: Record<string, string>) =>
  readIgPackage(
    tgz({
      'package/package.json': JSON.stringify({
        name: 'fixed.test',
        version: '1.0.0',
        fhirVersions: ['4.0.1'],
      }),
      ...files,
    }),
  );

const BASE = 'http://fixed.test/StructureDefinition/base-extension';
const extension = (url: string, base: string, elements: Record<string, unknown>[]) => ({
  resourceType: 'StructureDefinition',
  url,
  name: 'E',
  status: 'draft',
  kind: 'complex-type',
  abstract: false,
  context: [{ type: 'element', expression: 'Patient' }],
  type: 'Extension',
  baseDefinition: base,
  derivation: 'constraint',
  differential: { element: [{ id: 'Extension', path: 'Extension' }, ...elements] },
});
const baseExtension = extension(BASE, 'http://hl7.org/fhir/StructureDefinition/Extension', [
  { id: 'Extension.url', path: 'Extension.url', fixedUri: BASE },
  { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'Coding' }] },
  { id: 'Extension.value[x].system', path: 'Extension.value[x].system', fixedUri: 'http://codes.test' },
]);

async function findingsOf(sd: Record<string, unknown>, pkg: IgPackage) {
  const check = derivedFixedValuesCheck(await loadProfileRegistry([pkg]));
  const sink = new IssueSink(new Set(FHIR_LAYERS));
  check(sd, 'StructureDefinition', sink);
  return sink.issues.map((i) => `${i.rule} @ ${i.location}`);
}

describe('a profile against the values its base fixes', () => {
  it("HL7's ext-derived: a derived extension fixing another url, through the validator", async () => {
    const pkg = await packageOf({ 'package/ext-base.json': hl7Case('ext-base.json') });
    const session = await createFhirSession(generatedModules, {
      profiles: validatorProfiles(await loadProfileRegistry([pkg])),
    });
    const { issues } = await session.validate(JSON.parse(hl7Case('ext-derived.json')));
    expect(issues.filter((i) => i.severity === 'error').map((i) => `${i.rule} @ ${i.location}`)).toEqual([
      'fhir-profile-value @ StructureDefinition.differential.element[1].fixedUri',
    ]);
  });

  it.each([
    {
      description: 'a profile of the extension keeping its url and narrowing the rest',
      elements: [
        { id: 'Extension.url', path: 'Extension.url', fixedUri: BASE },
        { id: 'Extension.value[x].code', path: 'Extension.value[x].code', fixedCode: 'a' },
      ],
      expected: [],
    },
    {
      description: 'another url, and another system of the value',
      elements: [
        {
          id: 'Extension.url',
          path: 'Extension.url',
          fixedUri: 'http://fixed.test/StructureDefinition/other',
        },
        { id: 'Extension.value[x].system', path: 'Extension.value[x].system', fixedUri: 'http://other.test' },
      ],
      expected: [
        'fhir-profile-value @ StructureDefinition.differential.element[1].fixedUri',
        'fhir-profile-value @ StructureDefinition.differential.element[2].fixedUri',
      ],
    },
    {
      description: 'a pattern where the base fixes (not judged here)',
      elements: [{ id: 'Extension.url', path: 'Extension.url', patternUri: 'http://other.test' }],
      expected: [],
    },
  ])('$description', async ({ elements, expected }) => {
    const pkg = await packageOf({ 'package/StructureDefinition-base.json': JSON.stringify(baseExtension) });
    const derived = extension('http://fixed.test/StructureDefinition/derived', BASE, elements);
    expect(await findingsOf(derived, pkg)).toEqual(expected);
  });

  it('says once that a profile whose base is not held was not checked, when it fixes a value', async () => {
    const pkg = await packageOf({});
    const derived = extension('http://fixed.test/StructureDefinition/derived', BASE, [
      { id: 'Extension.url', path: 'Extension.url', fixedUri: 'http://other.test' },
      { id: 'Extension.value[x].system', path: 'Extension.value[x].system', fixedUri: 'http://other.test' },
    ]);
    expect(await findingsOf(derived, pkg)).toEqual([
      'fhir-profile-not-checked @ StructureDefinition.baseDefinition',
    ]);
    const fixesNothing = extension('http://fixed.test/StructureDefinition/derived', BASE, [
      { id: 'Extension.url', path: 'Extension.url', patternUri: 'http://other.test' },
    ]);
    expect(await findingsOf(fixesNothing, pkg)).toEqual([]);
  });

  it('says a profile whose base cannot be unfolded was not checked', async () => {
    // a base with no snapshot whose own base is not held cannot be unfolded
    const orphan = extension(BASE, 'http://fixed.test/StructureDefinition/not-held', [
      { id: 'Extension.url', path: 'Extension.url', fixedUri: BASE },
    ]);
    const pkg = await packageOf({ 'package/StructureDefinition-base.json': JSON.stringify(orphan) });
    const derived = extension('http://fixed.test/StructureDefinition/derived', BASE, [
      { id: 'Extension.url', path: 'Extension.url', fixedUri: 'http://other.test' },
    ]);
    expect(await findingsOf(derived, pkg)).toEqual([
      'fhir-profile-not-checked @ StructureDefinition.baseDefinition',
    ]);
  });

  it.each([
    // US Core's vital signs profile derives from R4's vitalsigns profile, which the registry the
    // CLI builds holds (the specification's own profiles)
    [US_CORE_TGZ, []],
    [externalFixture('hl7-fhir-uv-ips', 'hl7.fhir.uv.ips-2.0.0.tgz'), []],
  ])('finds nothing in the profiles of %s, and says which it could not check', async (file, notChecked) => {
    const pkg = await readIgPackage(new Uint8Array(readFileSync(file)));
    const base = (await loadR4BaseDefinitions()) as readonly StructureDefinition[];
    const specification = await loadSpecificationProfiles();
    const check = derivedFixedValuesCheck(createProfileRegistry([pkg], { base, specification }));
    const sink = new IssueSink(new Set(FHIR_LAYERS));
    for (const sd of pkg.structureDefinitions) check(sd as unknown as Record<string, unknown>, sd.url, sink);
    expect(pkg.structureDefinitions.length).toBeGreaterThan(30);
    expect(sink.issues.filter((i) => i.rule !== 'fhir-profile-not-checked').map((i) => i.location)).toEqual(
      [],
    );
    expect(sink.issues.filter((i) => i.rule === 'fhir-profile-not-checked').map((i) => i.location)).toEqual(
      notChecked,
    );
  });
});
