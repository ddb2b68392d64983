/**
 * A seeded generator of realistic FHIR R4 clinic data for benchmarks: Patients with their
 * Encounters, Observations (vital signs and labs), Conditions and MedicationRequests, referencing
 * each other by `Type/id`, with a small share of the defects migrations produce (a legacy gender
 * code, an impossible date, a missing status, a date-time without zone). Same seed, same data.
 */

/** mulberry32: small, fast and good enough to vary synthetic records reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAMILY = [
  'Smith',
  'Garcia',
  'Nguyen',
  'Okafor',
  'Müller',
  'Rossi',
  'Kowalski',
  'Haddad',
  'Tanaka',
  'Silva',
];
const GIVEN = ['Anna', 'Luis', 'Mai', 'Chidi', 'Jonas', 'Giulia', 'Piotr', 'Layla', 'Kenji', 'Ana'];
const VITALS = [
  { code: '8867-4', display: 'Heart rate', unit: '/min', ucum: '/min', min: 50, max: 120 },
  { code: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel', min: 35, max: 40 },
  { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', min: 3, max: 150 },
  {
    code: '2339-0',
    display: 'Glucose [Mass/volume] in Blood',
    unit: 'mg/dL',
    ucum: 'mg/dL',
    min: 60,
    max: 250,
  },
];
const CONDITIONS = [
  { code: '44054006', display: 'Diabetes mellitus type 2' },
  { code: '38341003', display: 'Hypertensive disorder' },
  { code: '195967001', display: 'Asthma' },
];
const MEDICATIONS = [
  { code: '860975', display: 'metformin hydrochloride 500 MG Oral Tablet' },
  { code: '314076', display: 'lisinopril 10 MG Oral Tablet' },
  { code: '745679', display: 'albuterol 0.09 MG/ACTUAT Inhaler' },
];

/** Share of resources given one migration defect. */
export const DEFECT_RATE = 0.02;

/** Generates `count` resources, patient by patient (each patient followed by its records). */
export function* generateClinicResources(count: number, seed = 42): Generator<Record<string, unknown>> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = (fromYear: number, toYear: number) =>
    `${fromYear + Math.floor(random() * (toYear - fromYear))}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
  const defect = () => random() < DEFECT_RATE;
  let made = 0;
  let p = 0;
  while (made < count) {
    p++;
    const patientId = `pat-${p}`;
    const patient: Record<string, unknown> = {
      resourceType: 'Patient',
      id: patientId,
      meta: { lastUpdated: '2026-01-05T10:00:00Z' },
      identifier: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: `MRN${100000 + p}` }],
      active: true,
      name: [{ use: 'official', family: pick(FAMILY), given: [pick(GIVEN)] }],
      telecom: [{ system: 'phone', value: `+1 555 01${String(p % 100).padStart(2, '0')}`, use: 'home' }],
      gender: defect() ? 'F' : pick(['female', 'male', 'other', 'unknown']),
      birthDate: defect() ? '1984-02-30' : date(1930, 2020),
      address: [
        { line: [`${1 + (p % 200)} Main St`], city: 'Springfield', postalCode: '01101', country: 'US' },
      ],
    };
    yield patient;
    made++;
    const encounters = 1 + Math.floor(random() * 3);
    for (let e = 0; e < encounters && made < count; e++) {
      const encounterId = `enc-${p}-${e}`;
      const day = date(2018, 2026);
      yield {
        resourceType: 'Encounter',
        id: encounterId,
        status: defect() ? 'completed' : 'finished',
        class: {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
          code: 'AMB',
          display: 'ambulatory',
        },
        type: [
          {
            coding: [
              { system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up' },
            ],
          },
        ],
        subject: { reference: `Patient/${patientId}` },
        period: { start: `${day}T09:00:00Z`, end: `${day}T09:30:00Z` },
      };
      made++;
      const observations = 2 + Math.floor(random() * 4);
      for (let o = 0; o < observations && made < count; o++) {
        const vital = pick(VITALS);
        const observation: Record<string, unknown> = {
          resourceType: 'Observation',
          id: `obs-${p}-${e}-${o}`,
          status: 'final',
          category: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
              ],
            },
          ],
          code: { coding: [{ system: 'http://loinc.org', code: vital.code, display: vital.display }] },
          subject: { reference: `Patient/${patientId}` },
          encounter: { reference: `Encounter/${encounterId}` },
          effectiveDateTime: defect() ? `${day}T09:10:00` : `${day}T09:10:00Z`,
          valueQuantity: {
            value: Math.round((vital.min + random() * (vital.max - vital.min)) * 10) / 10,
            unit: vital.unit,
            system: 'http://unitsofmeasure.org',
            code: vital.ucum,
          },
        };
        if (defect()) delete observation.status;
        yield observation;
        made++;
      }
      if (random() < 0.4 && made < count) {
        const condition = pick(CONDITIONS);
        yield {
          resourceType: 'Condition',
          id: `cond-${p}-${e}`,
          clinicalStatus: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
                code: defect() ? 'cured' : 'active',
              },
            ],
          },
          verificationStatus: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' },
            ],
          },
          code: {
            coding: [{ system: 'http://snomed.info/sct', code: condition.code, display: condition.display }],
          },
          subject: { reference: `Patient/${patientId}` },
          encounter: { reference: `Encounter/${encounterId}` },
          onsetDateTime: `${day}T09:20:00Z`,
        };
        made++;
      }
      if (random() < 0.5 && made < count) {
        const medication = pick(MEDICATIONS);
        yield {
          resourceType: 'MedicationRequest',
          id: `medrx-${p}-${e}`,
          status: 'active',
          intent: 'order',
          medicationCodeableConcept: {
            coding: [
              {
                system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
                code: medication.code,
                display: medication.display,
              },
            ],
          },
          subject: { reference: `Patient/${patientId}` },
          encounter: { reference: `Encounter/${encounterId}` },
          authoredOn: `${day}T09:25:00Z`,
          dosageInstruction: [
            { text: 'one tablet daily', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } },
          ],
        };
        made++;
      }
    }
  }
}
