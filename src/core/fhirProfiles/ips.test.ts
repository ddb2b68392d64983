/**
 * Profile validation on the HL7 International Patient Summary 2.0.0: every example of the package
 * validates against its profiles with no error (as the HL7 Java validator's outcome shipped in
 * the package says), and hand-made defects derived from the examples — one each — are found with
 * exactly one message that names the profile (and the slice), nothing else in the output changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  extensionsPackage,
  type IpsExample,
  ipsExamples,
  ipsPackage,
} from '../../../tests/fixtures/ipsPackage.ts';
import type { FhirIssue } from '../fhir/index.ts';
import { createFhirSession, type FhirSession, generatedModules, issueKey } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import { createProfileRegistry } from './registry.ts';
import type { StructureDefinition } from './types.ts';

type Json = Record<string, unknown>;

const LAB_PROFILE =
  'http://hl7.org/fhir/uv/ips/StructureDefinition/Observation-results-laboratory-pathology-uv-ips';
const CLOSED_PROFILE = 'http://example.org/fhir/StructureDefinition/closed-lab-category';
const IPS_PATIENT = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';
const OTHER_PROFILE = 'http://example.org/fhir/StructureDefinition/not-loaded';

let examples: IpsExample[];
let session: FhirSession;
let baseSession: FhirSession;
/** IPS and the extensions alone, without the unrelated closed-slicing variant */
let plainSession: FhirSession;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const example = (name: string): Json => {
  const found = examples.find((e) => e.name === name);
  if (!found) throw new Error(`no IPS example ${name}`);
  return clone(found.resource);
};

beforeAll(async () => {
  examples = await ipsExamples();
  const ips = await ipsPackage();
  // a variant of the IPS laboratory profile whose category slicing is closed: IPS closes none
  const lab = ips.structureDefinitions.find((sd) => sd.url === LAB_PROFILE) as StructureDefinition;
  const closed = clone(lab);
  closed.url = CLOSED_PROFILE;
  closed.id = 'closed-lab-category';
  const category = closed.snapshot?.element.find((e) => e.id === 'Observation.category');
  if (!category?.slicing) throw new Error('the IPS laboratory profile no longer slices category');
  category.slicing.rules = 'closed';
  const variants = { ...ips, name: 'test.closed', structureDefinitions: [closed], dependencies: [] };
  const registry = createProfileRegistry([ips, extensionsPackage(), variants]);
  session = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
  baseSession = await createFhirSession(generatedModules);
  plainSession = await createFhirSession(generatedModules, {
    profiles: validatorProfiles(createProfileRegistry([ips, extensionsPackage()])),
  });
});

const key = (i: FhirIssue) => `${i.severity}|${i.rule}|${i.location}|${i.message}`;
const notInformation = (i: FhirIssue) => i.severity !== 'information';
/** notes that follow the data rather than a defect of it */
const FOLLOWS_DATA = new Set(['fhir-profile-must-support', 'fhir-profile-binding-unchecked']);

describe('IPS 2.0.0 examples against their profiles', () => {
  it('reads the 44 examples and the Java outcome of each, which holds no error', () => {
    expect(examples).toHaveLength(44);
    expect(examples.flatMap((e) => e.java).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('finds no error or warning in any example, as the Java validator finds no error', async () => {
    const found: string[] = [];
    for (const e of examples) {
      const { issues } = await session.validate(e.resource);
      for (const i of issues.filter(notInformation)) found.push(`${e.name}: ${key(i)}`);
    }
    expect(found).toEqual([]);
  });

  it('notes a claimed profile as not checked only when no loaded package defines it', async () => {
    const patient = { resourceType: 'Patient', meta: { profile: [`${IPS_PATIENT}|2.0.0`, OTHER_PROFILE] } };
    const claims = async (s: FhirSession) =>
      (await s.validate(patient)).issues
        .filter((i) => i.rule === 'fhir-profile-claim-not-checked')
        .map((i) => i.location);
    // with IPS loaded, only the profile nobody defined is left unchecked
    expect(await claims(plainSession)).toEqual(['Patient.meta.profile[1]']);
    expect(await claims(baseSession)).toEqual(['Patient.meta.profile[0]', 'Patient.meta.profile[1]']);
  });

  it('applies the profiles: the Bundle examples are checked against every entry profile', async () => {
    const { issues } = await session.validate(example('Bundle-bundle-ips-all-sections.json'));
    // the information shows the entry profiles ran: a lab result's absent must-support is named
    expect(
      issues.some(
        (i) =>
          i.rule === 'fhir-profile-must-support' &&
          i.message.includes('Observation-results-laboratory-pathology-uv-ips, Bundle.entry:'),
      ),
    ).toBe(true);
  });
});

describe('parity with the HL7 Java validator', () => {
  const LAB = { resourceType: 'Observation', meta: { profile: [LAB_PROFILE] } };
  const at = async (resource: Json, location: string) =>
    (await plainSession.validate(resource)).issues
      .filter((i) => i.location === location)
      .map((i) => `${i.severity} ${i.rule}: ${i.message}`);

  it('knows the codes R4 ships whatever package is loaded: a status is checked, not sent to r4.core', async () => {
    expect(await at({ ...LAB, status: 'final' }, 'Observation.status')).toEqual([]);
    // IPS excludes entered-in-error from R4's observation-status: the profile's binding holds
    expect(await at({ ...LAB, status: 'entered-in-error' }, 'Observation.status')).toEqual([
      'error fhir-profile-binding: Observation.status: the code is not in the value set ResultsStatusUvIps the profile requires (Observation-results-laboratory-pathology-uv-ips)',
    ]);
  });

  it("warns of a claimed profile under a loaded package's canonical base that it does not define", async () => {
    const typo = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-isp';
    const patient = { resourceType: 'Patient', meta: { profile: [typo, OTHER_PROFILE] } };
    const claims = (await plainSession.validate(patient)).issues
      .filter((i) => i.rule.startsWith('fhir-profile-claim'))
      .map((i) => `${i.severity} ${i.rule} @ ${i.location}`);
    expect(claims).toEqual([
      'warning fhir-profile-claim-unknown @ Patient.meta.profile[0]',
      // a guide that is not loaded: its profile is unknown, not mistyped, and not checked either
      'warning fhir-profile-claim-not-checked @ Patient.meta.profile[1]',
    ]);
  });

  it('names the loaded packages when an extension is defined by none of them', async () => {
    const patient = {
      resourceType: 'Patient',
      extension: [{ url: 'http://clinic.test/ext/x', valueString: 'x' }],
    };
    const [message] = await at(patient, 'Patient.extension[0]');
    expect(message).toContain('is not defined by R4 or the loaded packages (hl7.fhir.uv.ips#2.0.0, ');
    expect(message).not.toContain('FHIR R4 specification');
  });

  it('names an extensible binding it cannot check on the element: strength, value set and why', async () => {
    const observation = {
      ...LAB,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: 'NOT-A-CODE' }] },
    };
    const notes = (await plainSession.validate(observation)).issues.filter(
      (i) => i.location === 'Observation.code' && i.rule === 'fhir-profile-binding-unchecked',
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ severity: 'information', uncheckedCodes: ['http://loinc.org'] });
    expect(notes[0]?.message).toMatch(
      /^Observation\.code: the (extensible|preferred) binding to \S+ is not checked: .*(LOINC \(http:\/\/loinc\.org\) is not shipped in a package \(licensed or large\)|is not in a loaded package)/,
    );
  });
});

interface NegativeCase {
  name: string;
  /** the example and how it is broken */
  from: string;
  breakIt: (resource: Json) => void;
  /** the same change on the valid side, where the defect needs a different profile */
  prepare?: (resource: Json) => void;
  rule: string;
  location: string;
  message: string;
}

const withProfile = (url: string) => (r: Json) => {
  r.meta = { profile: [url] };
};

const NEGATIVE: NegativeCase[] = [
  {
    name: 'a missing required slice',
    from: 'Observation-hemoglobin.json',
    breakIt: (r) => {
      r.category = [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'exam' }] },
      ];
    },
    rule: 'fhir-profile-slice',
    location: 'Observation.category',
    message:
      "Observation.category: slice 'laboratory' requires 1, found 0 (Observation-results-laboratory-pathology-uv-ips)",
  },
  {
    name: 'a closed slicing violated',
    from: 'Observation-hemoglobin.json',
    prepare: withProfile(CLOSED_PROFILE),
    breakIt: (r) => {
      (r.category as Json[]).push({
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'exam' }],
      });
    },
    rule: 'fhir-profile-slice',
    location: 'Observation.category[1]',
    message:
      "Observation.category: matches none of the slices of the profile's closed slicing ('laboratory') (closed-lab-category)",
  },
  {
    name: 'a wrong pattern value',
    from: 'Observation-tobacco-use-example.json',
    breakIt: (r) => {
      ((r.code as Json).coding as Json[])[0] = { system: 'http://loinc.org', code: '11367-0' };
    },
    rule: 'fhir-profile-value',
    location: 'Observation.code',
    message:
      "Observation.code: must hold 'http://loinc.org|72166-2', as the profile requires (Observation-tobaccouse-uv-ips)",
  },
  {
    name: 'a wrong pattern value on a primitive',
    from: 'MedicationRequest-eumfh-39-07-1-request.json',
    breakIt: (r) => {
      r.doNotPerform = true;
    },
    rule: 'fhir-profile-value',
    location: 'MedicationRequest.doNotPerform',
    message:
      "MedicationRequest.doNotPerform: must hold 'false', as the profile requires (MedicationRequest-uv-ips)",
  },
  {
    name: 'a wrong fixed value',
    from: 'Flag-546482.json',
    breakIt: (r) => {
      r.status = 'inactive';
    },
    rule: 'fhir-profile-value',
    location: 'Flag.status',
    message: "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)",
  },
  {
    name: 'a required binding outside its value set',
    from: 'Observation-pregnancy-edd-example.json',
    breakIt: (r) => {
      r.code = { coding: [{ system: 'http://loinc.org', code: '8302-2' }] };
    },
    rule: 'fhir-profile-binding',
    location: 'Observation.code',
    message:
      'Observation.code: the code is not in the value set PregnancyExpectedDeliveryDateMethodUvIps the profile requires (Observation-pregnancy-edd-uv-ips)',
  },
  {
    name: 'an extension with the wrong value type',
    from: 'Patient-66033.json',
    prepare: (r) => {
      r.extension = [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/individual-genderIdentity',
          extension: [{ url: 'value', valueCodeableConcept: { text: 'x' } }],
        },
      ];
    },
    breakIt: (r) => {
      r.extension = [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/individual-genderIdentity',
          extension: [{ url: 'value', valueString: 'x' }],
        },
      ];
    },
    rule: 'fhir-profile-extension',
    location: 'Patient.extension[0].extension[0].valueString',
    message:
      "Extension.extension:value.value[x]: a value of type string is not allowed here; the profile allows CodeableConcept (individual-genderIdentity, slice 'genderIdentity' of Patient-uv-ips)",
  },
  {
    name: 'a profile invariant broken',
    from: 'Patient-66033.json',
    breakIt: (r) => {
      r.name = [{ use: 'official' }];
    },
    prepare: (r) => {
      r.name = [{ use: 'official', text: 'x' }];
    },
    rule: 'fhir-profile-invariant',
    location: 'Patient.name[0]',
    message:
      'Patient.name: ips-pat-1: Patient.name.given, Patient.name.family or Patient.name.text SHALL be present (Patient-uv-ips)',
  },
  {
    name: 'a profile invariant on a choice element, on the type the data holds (ips-1)',
    from: 'Observation-ips-example-imaging-1.json',
    breakIt: (r) => {
      r.effectiveDateTime = '1995-06';
    },
    rule: 'fhir-profile-invariant',
    location: 'Observation.effectiveDateTime',
    message:
      'Observation.effective[x]: ips-1: Datetime must be at least to day. (Observation-results-radiology-uv-ips)',
  },
  {
    name: 'a reference to a type the profile does not allow, where the base allows any',
    from: 'Bundle-bundle-minimal.json',
    breakIt: (r) => {
      const entries = r.entry as Json[];
      const composition = (entries[0] as Json).resource as Json;
      composition.subject = { reference: (entries[2] as Json).fullUrl };
    },
    rule: 'fhir-profile-type',
    location: 'Bundle.entry[0].resource.subject.reference',
    message:
      "Composition.subject: the reference is to a Practitioner; the profile allows only Patient (Composition-uv-ips, slice 'composition' of Bundle-uv-ips)",
  },
];

describe('references inside a Bundle and their target profiles', () => {
  const bundle = (patient: Json): Json => {
    const allergy = example('AllergyIntolerance-eumfh-39-07-1.json');
    return {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'http://example.org/fhir/AllergyIntolerance/eumfh-39-07-1', resource: allergy },
        { fullUrl: 'http://example.org/fhir/Patient/eumfh-39-07', resource: patient },
      ],
    };
  };
  const patient = (): Json => {
    const p = example('Patient-eumfh-39-07.json');
    delete p.meta; // it does not claim the IPS profile: only the reference asks for it
    return p;
  };

  it('a target that conforms to the target profile passes', async () => {
    const { issues } = await session.validate(bundle(patient()));
    expect(issues.filter(notInformation).map(key)).toEqual([]);
  });

  it('a target that does not conform is named at the reference, its defect as the root cause', async () => {
    const p = patient();
    delete p.birthDate;
    const { issues } = await session.validate(bundle(p));
    // the target's own defect, where it is, and the reference's message following from it
    const root =
      'fhir-profile-cardinality|Bundle.entry[1].resource.birthDate|Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips, the target of AllergyIntolerance.patient in AllergyIntolerance-uv-ips)';
    expect(issues.filter(notInformation).map((i) => [i.rule, i.location, i.message, i.causedBy])).toEqual([
      [
        'fhir-profile-cardinality',
        'Bundle.entry[1].resource.birthDate',
        'Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips, the target of AllergyIntolerance.patient in AllergyIntolerance-uv-ips)',
        undefined,
      ],
      [
        'fhir-profile-type',
        'Bundle.entry[0].resource.patient.reference',
        'AllergyIntolerance.patient: the referenced resource does not conform to Patient-uv-ips, as the profile requires (AllergyIntolerance-uv-ips)',
        root,
      ],
    ]);
  });
});

describe('loading an unrelated package', () => {
  it('changes no result on any example', async () => {
    for (const e of examples) {
      const withIt = (await session.validate(e.resource)).issues.map(key);
      const without = (await plainSession.validate(e.resource)).issues.map(key);
      expect(withIt, e.name).toEqual(without);
    }
  });
});

describe('hand-made defects derived from IPS examples: one message each', () => {
  for (const c of NEGATIVE) {
    it(c.name, async () => {
      const valid = example(c.from);
      c.prepare?.(valid);
      const broken = clone(valid);
      c.breakIt(broken);
      const before = (await session.validate(valid)).issues;
      const after = (await session.validate(broken)).issues;
      expect(before.filter(notInformation).map(key), 'the valid side has no error').toEqual([]);
      const beforeKeys = new Set(before.map(key));
      const afterKeys = new Set(after.map(key));
      const added = after.filter((i) => !beforeKeys.has(key(i)));
      const removed = before.filter((i) => !afterKeys.has(key(i)));
      // must-support and unchecked-binding notes follow the data (an element removed is now
      // absent, a coding moved): they are not defects
      // a follow-on (a slice short because its value breaks the slice's profile) names its root cause
      const followOns = added.filter((i) => i.causedBy !== undefined);
      for (const f of followOns) expect(added.map(issueKey), f.message).toContain(f.causedBy);
      const defects = added.filter((i) => !FOLLOWS_DATA.has(i.rule) && i.causedBy === undefined);
      expect(defects.map((i) => ({ rule: i.rule, location: i.location, message: i.message }))).toEqual([
        { rule: c.rule, location: c.location, message: c.message },
      ]);
      expect(removed.filter((i) => !FOLLOWS_DATA.has(i.rule)).map(key)).toEqual([]);
      // the base validator alone does not see it (only what it says of the valid side): the profile does
      const baseBefore = new Set((await baseSession.validate(valid)).issues.map(key));
      const base = (await baseSession.validate(broken)).issues.filter(notInformation);
      expect(base.map(key).filter((k) => !baseBefore.has(k))).toEqual([]);
    });
  }
});
