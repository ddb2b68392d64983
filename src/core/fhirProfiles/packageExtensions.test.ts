/**
 * What the Synthea bulk export validated with US Core would show, on material that is here.
 * Neither US Core (`hl7.fhir.us.core`, not on the npm registry here) nor Synthea data can be had
 * offline, so this stands in for "an export whose resources carry extensions a loaded package
 * defines reports no unknown-extension error for them, and checks them against their definitions".
 *
 * The export: the 39 IPS 2.0.0 examples that are single resources, one per NDJSON line, each
 * claiming its IPS profile (as a Synthea export claims us-core-*). The allergy example carries the
 * abatement extension as published; the IPS Patient example is given the gender identity extension
 * the IPS Patient profile slices. Both are defined by hl7.fhir.uv.extensions.r4 (the repository
 * holds those definitions), as US Core's race and birth sex extensions are by US Core.
 *
 * Their URLs are in the specification's own namespace, which the base layer never calls unknown
 * (a later version may define them); US Core's are not. So the unknown-extension noise is shown
 * with the same definition published under a vendor's URL by a package of its own, and the
 * export using that URL: unknown without the package, known and checked with it.
 * Not covered: US Core's own profiles and value sets, and a real Synthea export's size and mix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { extensionsPackage, ipsExamples, ipsPackage } from '../../../tests/fixtures/ipsPackage.ts';
import { createFhirRun, createFhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import type { IgPackage } from './igPackage.ts';
import { createProfileRegistry } from './registry.ts';
import type { StructureDefinition } from './types.ts';

const TIMES = {
  startedAt: '2026-01-01T00:00:00Z',
  generatedAt: '2026-01-01T00:00:01Z',
  totalMs: 1,
  version: '0',
};
const GENDER_IDENTITY = 'http://hl7.org/fhir/StructureDefinition/individual-genderIdentity';
const ABATEMENT = 'http://hl7.org/fhir/StructureDefinition/allergyintolerance-abatement';
const VENDOR_ABATEMENT = 'http://vendor.test/fhir/StructureDefinition/allergyintolerance-abatement';

let ips: IgPackage;
/** the abatement definition as a vendor would publish its own extension */
let vendor: IgPackage;
let lines: Record<string, unknown>[];
/** the NDJSON line of each example, by its file name */
const lineOf = new Map<string, number>();

beforeAll(async () => {
  ips = await ipsPackage();
  const abatement = extensionsPackage().structureDefinitions.find((sd) => sd.url === ABATEMENT);
  vendor = {
    ...extensionsPackage(),
    name: 'vendor.test.extensions',
    version: '1.0.0',
    // its url everywhere, the fixed Extension.url of its elements included
    structureDefinitions: [
      JSON.parse(JSON.stringify(abatement).replaceAll(ABATEMENT, VENDOR_ABATEMENT)) as StructureDefinition,
    ],
  };
  lines = [];
  for (const e of await ipsExamples()) {
    if (e.resource.resourceType === 'Bundle') continue;
    const resource = structuredClone(e.resource);
    if (e.name === 'Patient-66033.json')
      resource.extension = [
        { url: GENDER_IDENTITY, extension: [{ url: 'value', valueCodeableConcept: { text: 'x' } }] },
      ];
    lines.push(resource);
    lineOf.set(e.name, lines.length);
  }
});

/** The export with `change` applied to its text (a URL rewritten, a value broken). */
const exportText = (change: (text: string) => string) =>
  `${lines.map((r) => change(JSON.stringify(r))).join('\n')}\n`;

async function validateExport(packages: IgPackage[], text: string) {
  const session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry(packages)),
  });
  const run = createFhirRun(session);
  await run.addNdjson(
    'export.ndjson',
    (async function* () {
      yield text;
    })(),
  );
  const report = run.report(TIMES);
  return {
    records: report.summary.records,
    errors: report.issues
      .filter((i) => i.severity === 'error')
      .map((i) => `${i.rule} ${i.location} ×${i.count} line ${i.examples.map((x) => x.row).join(',')}`)
      .sort(),
  };
}

const asPublished = (text: string) => text;
const atVendorUrl = (text: string) => text.replaceAll(ABATEMENT, VENDOR_ABATEMENT);
const wrongValueType = (text: string) =>
  text.replace('"valueCodeableConcept":{"text":"x"}', '"valueString":"x"');

describe('an export whose extensions a loaded package defines (stand-in for Synthea with US Core)', () => {
  it.each([
    {
      description: 'as published, with the package that defines them: no error',
      packages: () => [ips, extensionsPackage()],
      change: asPublished,
      errors: () => [],
    },
    {
      description: 'a vendor URL without the package that defines it: unknown, on its line',
      packages: () => [ips],
      change: atVendorUrl,
      errors: () => [
        `fhir-unknown-extension ${VENDOR_ABATEMENT} ×1 line ${lineOf.get('AllergyIntolerance-allergyintolerance-with-abatement.json')}`,
      ],
    },
    {
      description: 'a vendor URL with the package that defines it: no longer unknown, no error',
      packages: () => [ips, vendor],
      change: atVendorUrl,
      errors: () => [],
    },
    {
      description: 'a value of the wrong type, with the package: checked against the definition',
      packages: () => [ips, extensionsPackage()],
      change: wrongValueType,
      errors: () => [
        `fhir-profile-extension Patient.extension.extension.valueString ×1 line ${lineOf.get('Patient-66033.json')}`,
      ],
    },
  ])('$description', async ({ packages, change, errors }) => {
    const found = await validateExport(packages(), exportText(change));
    expect(found.records).toBe(39);
    expect(found.errors).toEqual(errors());
  });
});
