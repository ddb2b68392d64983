/**
 * The local FHIR server's seed: the demo clinic's patients as the migration loaded them into the
 * new system — samples/legacy/patients.csv mapped with samples/mappings/patients-to-fhir-patient.json
 * through the same mapping engine the app uses — with a few deliberate differences so that
 * reconcile has something to find. The differences are data ({@link SEED_CHANGES}) and every seed
 * comes with a {@link SeedManifest} saying exactly which identifiers were changed, left out or added:
 *
 * | kind | what the server holds | reconcile should report |
 * |---|---|---|
 * | not loaded | nothing: the row has a mapping problem (a defect of the demo extract), as a migration would refuse it | missing on server |
 * | left out | nothing, for the rows in `SEED_CHANGES.missing` (a load that silently dropped them) | missing on server |
 * | birth date | the birth date one day later | birth date differs |
 * | family name | the family name with "-Smith" added | name differs |
 * | sex | the other of male/female | sex differs |
 * | extra | {@link EXTRA_PATIENT_COUNT} patients whose MRN is not in the extract | extra on server |
 * | duplicate MRN | only the first row of an MRN repeated in the extract | (the extract's own problem) |
 *
 * A change lands on the first clean row at or after the row named, so the manifest — not the
 * table of rows — is what tests compare against.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Patient } from '@medplum/fhirtypes';
import { mapCsvStream } from '../../src/fhir/legacyRecords.ts';
import { loadMapping, type Mapping } from '../../src/formats/mapping.ts';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples');
/** The demo extract the seed is built from. */
export const DEMO_PATIENTS_CSV = join(SAMPLES, 'legacy', 'patients.csv');
/** The demo mapping the seed is built with. */
export const DEMO_PATIENT_MAPPING = join(SAMPLES, 'mappings', 'patients-to-fhir-patient.json');
/** The MRN identifier system of the demo mapping. */
export const MRN_SYSTEM = 'https://maple-street-family-practice.example.org/fhir/sid/mrn';
/** How many patients the server holds that the extract does not. */
export const EXTRA_PATIENT_COUNT = 3;

/** Data rows (1-based) where each deliberate difference starts looking for a clean row. */
export const SEED_CHANGES = {
  missing: [17, 523, 1289, 2048, 3301, 4990],
  birthDate: [40, 1040, 2040],
  name: [55, 1555],
  sex: [77, 3077],
} as const;

/** What the seed did, by MRN. */
export interface SeedManifest {
  /** rows with a mapping problem, not loaded */
  notLoaded: string[];
  /** clean rows deliberately left out */
  missing: string[];
  birthDate: string[];
  name: string[];
  sex: string[];
  /** MRNs on the server only */
  extra: string[];
  /** MRNs that repeat an earlier row's (only the first row is loaded) */
  duplicates: string[];
}

/** The demo extract's header and first `rows` data rows, as CSV text (the extract of a `demoSeed(rows)`). */
export function demoExtractHead(rows: number): string {
  const lines = readFileSync(DEMO_PATIENTS_CSV, 'utf8').split('\n');
  return `${lines.slice(0, rows + 1).join('\n')}\n`;
}

/** The demo mapping, loaded and checked. */
export function demoMapping(): Mapping {
  const loaded = loadMapping(JSON.parse(readFileSync(DEMO_PATIENT_MAPPING, 'utf8')));
  if (!loaded.ok) throw new Error('the demo mapping does not load');
  return loaded.value;
}

const mrnOf = (patient: Patient): string | undefined =>
  patient.identifier?.find((i) => i.system === MRN_SYSTEM)?.value;

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** The seed Patients and what was done to them (see the file header). */
export async function demoSeed(
  limit = Number.POSITIVE_INFINITY,
): Promise<{ patients: Patient[]; manifest: SeedManifest }> {
  const manifest: SeedManifest = {
    notLoaded: [],
    missing: [],
    birthDate: [],
    name: [],
    sex: [],
    extra: [],
    duplicates: [],
  };
  const pending = {
    missing: [...SEED_CHANGES.missing],
    birthDate: [...SEED_CHANGES.birthDate],
    name: [...SEED_CHANGES.name],
    sex: [...SEED_CHANGES.sex],
  };
  const patients: Patient[] = [];
  const seen = new Set<string>();
  for await (const { row, record, problems } of mapCsvStream(
    createReadStream(DEMO_PATIENTS_CSV),
    demoMapping(),
    'patients.csv',
  )) {
    if (row > limit) break;
    const patient = { resourceType: 'Patient', ...record } as Patient;
    const mrn = mrnOf(patient);
    if (mrn === undefined) continue;
    if (seen.has(mrn)) {
      manifest.duplicates.push(mrn);
      continue;
    }
    seen.add(mrn);
    if (problems.length > 0) {
      manifest.notLoaded.push(mrn);
      continue;
    }
    const due = (kind: keyof typeof pending) => {
      const at = pending[kind][0];
      if (at === undefined || row < at) return false;
      pending[kind].shift();
      manifest[kind].push(mrn);
      return true;
    };
    if (due('missing')) continue;
    if (due('birthDate') && patient.birthDate) patient.birthDate = nextDay(patient.birthDate);
    if (due('name') && patient.name?.[0]) patient.name[0].family = `${patient.name[0].family ?? ''}-Smith`;
    if ((patient.gender === 'male' || patient.gender === 'female') && due('sex')) {
      patient.gender = patient.gender === 'male' ? 'female' : 'male';
    }
    patients.push(patient);
  }
  for (let n = 1; n <= EXTRA_PATIENT_COUNT; n++) {
    const mrn = String(99_000_000 + n);
    manifest.extra.push(mrn);
    patients.push({
      resourceType: 'Patient',
      identifier: [{ use: 'usual', system: MRN_SYSTEM, value: mrn }],
      active: true,
      name: [{ use: 'official', family: 'Walk-in', given: [`Test${n}`] }],
      birthDate: `199${n}-01-0${n}`,
      gender: n % 2 === 0 ? 'male' : 'female',
    });
  }
  return { patients, manifest };
}
