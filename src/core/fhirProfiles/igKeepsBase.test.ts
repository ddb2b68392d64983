/**
 * A guide adds checks and never removes the specification's: with US Core or IPS loaded, every
 * issue the base R4 layers give a resource is still given, at the same place by the same rule,
 * whether the resource claims one of the guide's profiles or not. Written as a property over
 * resources that break base rules (codes outside required, extensible and preferred bindings, an
 * impossible date, a missing required element), with codes made up so that no guide's own binding
 * can accept them (src/cli/commands/fhirIgKeepsBase.test.ts runs the reproduction through the CLI).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ipsPackage } from '../../../tests/fixtures/ipsPackage.ts';
import { usCorePackage } from '../../../tests/fixtures/usCorePackage.ts';
import { createFhirSession, type FhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { createProfileRegistry } from './registry.ts';

type Json = Record<string, unknown>;

const US = 'http://hl7.org/fhir/us/core/StructureDefinition/';
const IPS = 'http://hl7.org/fhir/uv/ips/StructureDefinition/';
/** Profiles a resource of each type may claim, by guide. */
const CLAIMS: Record<string, Record<string, string[]>> = {
  'US Core': {
    Patient: [`${US}us-core-patient`],
    Observation: [`${US}us-core-observation-clinical-result`, `${US}us-core-simple-observation`],
    Condition: [`${US}us-core-condition-problems-health-concerns`],
    AllergyIntolerance: [`${US}us-core-allergyintolerance`],
  },
  IPS: {
    Patient: [`${IPS}Patient-uv-ips`],
    Observation: [`${IPS}Observation-results-laboratory-pathology-uv-ips`],
    Condition: [`${IPS}Condition-uv-ips`],
    AllergyIntolerance: [`${IPS}AllergyIntolerance-uv-ips`],
  },
};

const cc = (system: string, code: string): Json => ({ coding: [{ system, code }] });
const TH = 'http://terminology.hl7.org/CodeSystem/';

/** Resources that break base rules, each with a made-up code (no guide's value set holds one). */
const TEMPLATES: Record<string, (code: string) => Json> = {
  'Patient, marital status outside the extensible binding': (code) => ({
    resourceType: 'Patient',
    maritalStatus: cc(`${TH}v3-MaritalStatus`, code),
  }),
  'Patient, marital status of another system, a gender outside the required binding': (code) => ({
    resourceType: 'Patient',
    gender: code.toLowerCase(),
    maritalStatus: cc('http://example.org/marital', code),
  }),
  'Patient, an impossible birth date and a preferred-bound language': (code) => ({
    resourceType: 'Patient',
    birthDate: '2023-02-30',
    communication: [{ language: cc('urn:ietf:bcp:47', code) }],
  }),
  'Observation, a status outside the required binding, a category outside the preferred one': (code) => ({
    resourceType: 'Observation',
    status: code.toLowerCase(),
    category: [cc(`${TH}observation-category`, code)],
    code: cc('http://loinc.org', '8867-4'),
  }),
  'Observation without its code, an interpretation outside the extensible binding': (code) => ({
    resourceType: 'Observation',
    status: 'final',
    interpretation: [cc(`${TH}v3-ObservationInterpretation`, code)],
  }),
  'Condition, a clinical status outside the required binding, a category outside the extensible one': (
    code,
  ) => ({
    resourceType: 'Condition',
    clinicalStatus: cc(`${TH}condition-clinical`, code),
    category: [cc(`${TH}condition-category`, code)],
    subject: { reference: 'Patient/p1' },
  }),
  'AllergyIntolerance, a type and a criticality outside their required bindings': (code) => ({
    resourceType: 'AllergyIntolerance',
    type: code.toLowerCase(),
    criticality: `${code.toLowerCase()}-x`,
    patient: { reference: 'Patient/p1' },
  }),
};

const shapes = (issues: readonly { rule: string; location: string }[]) =>
  new Set(issues.map((i) => `${i.rule}|${i.location}`));

let base: FhirSession;
const guided: Record<string, FhirSession> = {};
beforeAll(async () => {
  base = await createFhirSession(generatedModules);
  const [us, ips] = await Promise.all([usCorePackage(), ipsPackage()]);
  for (const [name, pkg] of [
    ['US Core', us],
    ['IPS', ips],
  ] as const) {
    const registry = createProfileRegistry([pkg]);
    for (const urls of Object.values(CLAIMS[name] ?? {}))
      for (const url of urls) expect(registry.structureDefinition(url), url).toBeDefined();
    guided[name] = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
  }
});

describe('a guide adds checks and never removes the base ones', () => {
  it('every base issue of a base-failing resource is still given with US Core or IPS loaded, claimed or not', async () => {
    const template = fc.constantFrom(...Object.keys(TEMPLATES));
    const code = fc.stringMatching(/^Q[A-Z0-9]{1,6}$/);
    const guide = fc.constantFrom('US Core', 'IPS');
    await fc.assert(
      fc.asyncProperty(template, code, guide, fc.nat(), async (name, made, ig, pick) => {
        const resource = (TEMPLATES[name] as (c: string) => Json)(made);
        const claims = CLAIMS[ig]?.[resource.resourceType as string] ?? [];
        // no claim, or one of the guide's profiles for the type
        const claim = pick % (claims.length + 1);
        if (claim > 0) resource.meta = { profile: [claims[claim - 1]] };
        // without the guide a claim of its profile is said not checked: the guide checks it instead
        const without = shapes(
          (await base.validate(resource)).issues.filter((i) => i.rule !== 'fhir-profile-claim-not-checked'),
        );
        expect(without.size, name).toBeGreaterThan(0);
        const withGuide = shapes((await (guided[ig] as FhirSession).validate(resource)).issues);
        expect([...without].filter((s) => !withGuide.has(s))).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
