/**
 * Seeded FHIR R4 data of a clinic: Patients with their Encounters, Observations (vital signs and
 * labs), Conditions and MedicationRequests, referencing each other by `Type/id`.
 *
 * - {@link generateClinicResources}: any number of resources with a share of the defects
 *   migrations produce (a legacy gender code, an impossible date, a missing status, a date-time
 *   without zone) — the benchmark's input.
 * - {@link demoExport}: the demo clinic's bulk export (one NDJSON file per resource type, as
 *   `$export` writes them) with planted defects at known places ({@link EXPORT_DEFECTS}), committed
 *   in samples/fhir/ and checked by samples/fhir/fhirExport.test.ts.
 *
 * Everything is synthetic (generic names, fictional 555-01xx numbers). No `Math.random`, no clock.
 * Run: `npx tsx samples/tools/fhirClinic.ts [outDir]` (default: samples/fhir/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Share of resources given one migration defect, by default. */
export const DEFECT_RATE = 0.02;

/** Generates `count` resources, patient by patient (each patient followed by its records). */
export function* generateClinicResources(
  count: number,
  seed = 42,
  defectRate = DEFECT_RATE,
): Generator<Record<string, unknown>> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = (fromYear: number, toYear: number) =>
    `${fromYear + Math.floor(random() * (toYear - fromYear))}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
  const defect = () => random() < defectRate;
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

/** Seed of the demo export. */
export const EXPORT_SEED = 0x5eedf417;
/** Resources in the demo export (before planting). */
export const EXPORT_RESOURCES = 1200;
/** The export's file per resource type, in the order `$export` lists them. */
export const EXPORT_TYPES = [
  'Patient',
  'Encounter',
  'Observation',
  'Condition',
  'MedicationRequest',
] as const;

type Resource = Record<string, unknown>;

/**
 * The planted defects: resource type, how many, what is done to the resource (or the line), and
 * the rule and location the validator must report — exact counts, each defect on its own line.
 */
export const EXPORT_DEFECTS: readonly {
  type: (typeof EXPORT_TYPES)[number];
  count: number;
  rule: string;
  location: string;
  plant: (resource: Resource) => Resource | string;
}[] = [
  {
    type: 'Patient',
    count: 3,
    rule: 'fhir-value-not-allowed',
    location: 'Patient.gender',
    plant: (r) => ({ ...r, gender: 'F' }),
  },
  {
    type: 'Patient',
    count: 1,
    rule: 'fhir-impossible-date',
    location: 'Patient.birthDate',
    plant: (r) => ({ ...r, birthDate: '1984-02-30' }),
  },
  {
    type: 'Patient',
    count: 1,
    rule: 'fhir-empty',
    location: 'Patient.name.family',
    plant: (r) => ({ ...r, name: [{ use: 'official', family: '', given: ['Ana'] }] }),
  },
  {
    type: 'Encounter',
    count: 2,
    rule: 'fhir-value-not-allowed',
    location: 'Encounter.status',
    plant: (r) => ({ ...r, status: 'completed' }),
  },
  {
    type: 'Encounter',
    count: 1,
    rule: 'fhir-invariant',
    location: 'Encounter.period',
    plant: (r) => ({ ...r, period: { start: '2024-03-02T10:00:00Z', end: '2024-03-02T09:00:00Z' } }),
  },
  {
    type: 'Observation',
    count: 2,
    rule: 'fhir-required',
    location: 'Observation.status',
    plant: (r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'status')),
  },
  {
    type: 'Observation',
    count: 3,
    rule: 'fhir-invalid-format',
    location: 'Observation.effectiveDateTime',
    plant: (r) => ({ ...r, effectiveDateTime: '2024-03-02T09:10:00' }),
  },
  {
    type: 'Observation',
    count: 1,
    rule: 'fhir-wrong-type',
    location: 'Observation.valueQuantity.value',
    plant: (r) => ({ ...r, valueQuantity: { ...(r.valueQuantity as Resource), value: '98.6' } }),
  },
  // a line cut short, as a failed export leaves it
  {
    type: 'Observation',
    count: 1,
    rule: 'fhir-json-syntax',
    location: '',
    plant: (r) => JSON.stringify(r).slice(0, 60),
  },
  {
    type: 'Condition',
    count: 1,
    rule: 'fhir-code-not-in-value-set',
    location: 'Condition.clinicalStatus',
    plant: (r) => ({
      ...r,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'cured' }],
      },
    }),
  },
  {
    type: 'Condition',
    count: 1,
    rule: 'fhir-reference-not-in-export',
    location: 'Condition.subject.reference',
    plant: (r) => ({ ...r, subject: { reference: 'Patient/pat-9999' } }),
  },
  {
    type: 'MedicationRequest',
    count: 1,
    rule: 'fhir-required',
    location: 'MedicationRequest.medication[x]',
    plant: (r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'medicationCodeableConcept')),
  },
  {
    type: 'MedicationRequest',
    count: 1,
    rule: 'fhir-unknown-element',
    location: 'MedicationRequest.prescriber',
    plant: (r) => ({ ...r, prescriber: 'Dr. Example' }),
  },
];

/** Lines between two planted defects of one file, so each defect has its own resource. */
const DEFECT_STRIDE = 7;

/** The demo export: file name → NDJSON text (LF line ends, a final newline). */
export function demoExport(): Map<string, string> {
  const byType = new Map<string, (Resource | string)[]>(EXPORT_TYPES.map((t) => [t, []]));
  for (const resource of generateClinicResources(EXPORT_RESOURCES, EXPORT_SEED, 0)) {
    byType.get(resource.resourceType as string)?.push(resource);
  }
  const next = new Map<string, number>(EXPORT_TYPES.map((t) => [t, 3]));
  for (const defect of EXPORT_DEFECTS) {
    const list = byType.get(defect.type) as (Resource | string)[];
    for (let n = 0; n < defect.count; n++) {
      const index = next.get(defect.type) as number;
      if (index >= list.length) throw new Error(`not enough ${defect.type} resources to plant every defect`);
      list[index] = defect.plant(list[index] as Resource);
      next.set(defect.type, index + DEFECT_STRIDE);
    }
  }
  return new Map(
    EXPORT_TYPES.map((t) => [
      `${t}.ndjson`,
      `${(byType.get(t) ?? []).map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`,
    ]),
  );
}

/** Writes the demo export into `outDir`. */
export function writeDemoExport(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of demoExport()) writeFileSync(join(outDir, name), text);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? join(fileURLToPath(new URL('..', import.meta.url)), 'fhir'));
  writeDemoExport(outDir);
  process.stdout.write(`demo FHIR export written to ${outDir}\n`);
}
