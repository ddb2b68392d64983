/**
 * Profile validation on HL7 US Core 6.1.0, the most deployed implementation guide: every one of
 * the package's own 183 examples validates with no error against its profiles, and records broken
 * on purpose — one defect each — are caught where the defect is.
 *
 * Without US Core's dependencies (VSAC and PHIN VADS value sets, hl7.terminology.r4, the
 * extensions package) bindings to those value sets are reported as not checked (information),
 * never guessed: the examples' LOINC, SNOMED CT, RxNorm, CVX and NDC codes, race and ethnicity
 * (CDC), and the terminology.hl7.org code systems US Core value sets draw on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type UsCoreExample, usCoreExamples, usCorePackage } from '../../../tests/fixtures/usCorePackage.ts';
import type { FhirIssue } from '../fhir/index.ts';
import { createFhirSession, type FhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { createProfileRegistry } from './registry.ts';

type Json = Record<string, unknown>;

let examples: UsCoreExample[];
let session: FhirSession;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const example = (name: string): Json => {
  const found = examples.find((e) => e.name === name);
  if (!found) throw new Error(`no US Core example ${name}`);
  return clone(found.resource);
};
const key = (i: FhirIssue) => `${i.severity}|${i.rule}|${i.location}|${i.message}`;
const isError = (i: FhirIssue) => i.severity === 'error' || i.severity === 'fatal';

beforeAll(async () => {
  examples = await usCoreExamples();
  session = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry([await usCorePackage()])),
  });
});

describe('US Core 6.1.0 examples against their profiles', () => {
  it('validates all 183 examples with no error; the one warning is the IG’s own inverted us-core-5', async () => {
    expect(examples).toHaveLength(183);
    const errors: string[] = [];
    const warnings: string[] = [];
    for (const e of examples) {
      const { issues } = await session.validate(e.resource);
      for (const i of issues) {
        if (isError(i)) errors.push(`${e.name}: ${key(i)}`);
        else if (i.severity === 'warning') warnings.push(`${e.name}: ${i.rule}|${i.location}`);
      }
    }
    expect(errors).toEqual([]);
    // us-core-5 reads `vaccineCode.coding.where(system='…/ndc').empty()` for "SHOULD have an NDC
    // translation": the expression says the opposite of its text, so the example that has one warns
    expect(warnings).toEqual(['Immunization-imm-1.json: fhir-profile-invariant-warning|Immunization']);
  });
});

interface Broken {
  description: string;
  from: string;
  breakIt: (r: Json) => void;
  rule: string;
  location: string;
  message: string;
}

const BROKEN: Broken[] = [
  {
    description: 'a patient without an identifier',
    from: 'Patient-example.json',
    breakIt: (r) => {
      delete r.identifier;
    },
    rule: 'fhir-profile-cardinality',
    location: 'Patient.identifier',
    message: 'Patient.identifier: requires at least 1, found 0 (us-core-patient)',
  },
  {
    description: 'a problem without a category',
    from: 'Condition-condition-duodenal-ulcer.json',
    breakIt: (r) => {
      delete r.category;
    },
    rule: 'fhir-profile-cardinality',
    location: 'Condition.category',
    message: 'Condition.category: requires at least 1, found 0 (us-core-condition-problems-health-concerns)',
  },
  {
    description: 'a problem whose category is outside the slice’s value set (encounter-diagnosis)',
    from: 'Condition-condition-duodenal-ulcer.json',
    breakIt: (r) => {
      r.category = [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-category',
              code: 'encounter-diagnosis',
            },
          ],
        },
      ];
    },
    rule: 'fhir-profile-slice',
    location: 'Condition.category',
    message:
      "Condition.category: slice 'us-core' requires at least 1, found 0 (us-core-condition-problems-health-concerns)",
  },
  {
    description: 'a lab result whose status is outside the bound value set',
    from: 'Observation-serum-sodium.json',
    breakIt: (r) => {
      r.status = 'draft';
    },
    rule: 'fhir-value-not-allowed',
    location: 'Observation.status',
    message: '',
  },
  {
    description: 'a vital sign taken at month precision (vs-1 on effectiveDateTime)',
    from: 'Observation-heart-rate.json',
    breakIt: (r) => {
      r.effectiveDateTime = '1999-07';
    },
    rule: 'fhir-profile-invariant',
    location: 'Observation.effectiveDateTime',
    message: 'Observation.effective[x]: vs-1:',
  },
  {
    description: 'a document whose subject is a Practitioner where the profile requires a Patient',
    from: 'DocumentReference-episode-summary.json',
    breakIt: (r) => {
      r.subject = { reference: 'Practitioner/practitioner-1' };
    },
    rule: 'fhir-profile-type',
    location: 'DocumentReference.subject.reference',
    message:
      'DocumentReference.subject: the reference is to a Practitioner; the profile allows only Patient (us-core-documentreference)',
  },
];

describe('US Core records broken on purpose', () => {
  it.each(BROKEN)('catches $description', async ({ from, breakIt, rule, location, message }) => {
    const resource = example(from);
    breakIt(resource);
    const errors = (await session.validate(resource)).issues.filter(isError);
    const found = errors.filter((i) => i.location === location);
    expect(found.map((i) => i.rule)).toContain(rule);
    expect(found.find((i) => i.rule === rule)?.message).toContain(message);
  });
});
