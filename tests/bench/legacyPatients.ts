/**
 * A seeded generator of a realistic legacy patient extract for the validation benchmark:
 * 23 columns, CRLF, quoted cells with commas and line breaks, mixed date formats, 1–3 % bad values
 * and duplicate MRNs, plus the matching column contract. The generator counts what it plants (its
 * ground truth), so the benchmark also checks that every planted defect is found and nothing else.
 *
 * Deterministic: mulberry32 from a fixed seed, no clock, no Math.random. Synthetic data only.
 */
import { createWriteStream } from 'node:fs';
import { PATIENT_COLUMNS } from '../../samples/tools/generateLegacy.ts';

/** mulberry32: a small, fast, well-known 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The demo extract's columns (samples/tools/generateLegacy.ts) and five more a real export carries. */
export const BENCH_COLUMNS = [
  ...PATIENT_COLUMNS,
  'language',
  'marital_status',
  'emergency_contact',
  'emergency_phone',
  'notes',
] as const;

const LAST = [
  'Smith',
  'Johnson',
  'García',
  'Núñez',
  "O'Brien",
  'Müller',
  'Nguyen',
  'Kim',
  'Patel',
  'Brown',
  'Lee',
  'Peña',
];
const FIRST = [
  'Ann',
  'José',
  'Zoë',
  'François',
  'Renée',
  'Liam',
  'Noah',
  'Emma',
  'Olivia',
  'Chloé',
  'Inés',
  'Omar',
];
const CITIES = ['North Quill', 'Maple Falls', 'Birch Harbor', 'Cedar Point', 'Elm Springs'];
const STATES = ['RI', 'MA', 'CT', 'NH', 'ME', 'VT'];
const STREETS = ['Birch Rd', 'Quarry Rd', 'Main St', 'Oak Ave', 'Pine Ln'];
const PROVIDERS = ['Dr. Ada Stone', 'Dr. Ben Ruiz', 'Dr. Cara Wu'];
const ALLERGENS = ['NKDA', 'penicillin', 'latex', 'peanuts;shellfish', 'sulfa drugs'];
const LANGUAGES = ['en', 'es', 'pt', 'fr', 'vi'];
const MARITAL = ['S', 'M', 'D', 'W', 'U'];
const NOTES = [
  '',
  '',
  '',
  'prefers morning visits',
  'interpreter needed, Spanish',
  'call before "any" changes',
  'moved\r\nnew address on file',
];

/** The contract the benchmark validates against (a JSON Schema of rows). */
export const BENCH_CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:preflight:bench:legacy-patients',
  type: 'object',
  required: ['patient_id', 'mrn', 'last_name', 'first_name', 'birth_date', 'sex', 'allergies'],
  additionalProperties: false,
  properties: {
    patient_id: { type: 'string', pattern: '^P\\d{7}$' },
    mrn: { type: 'string', pattern: '^\\d{8}$' },
    last_name: { type: 'string', minLength: 1, maxLength: 60, pattern: '^\\S(?:.*\\S)?$' },
    first_name: { type: 'string', minLength: 1, maxLength: 60 },
    middle_name: { type: 'string', maxLength: 60 },
    birth_date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' },
    sex: { enum: ['M', 'F', 'U'] },
    ssn: { type: 'string', pattern: '^\\d{3}-\\d{2}-\\d{4}$' },
    phone: { type: 'string', pattern: '^\\d{3}-\\d{3}-\\d{4}$' },
    email: { type: 'string', format: 'email', maxLength: 254 },
    address_line: { type: 'string', maxLength: 100 },
    city: { type: 'string', maxLength: 40 },
    state: { type: 'string', pattern: '^[A-Z]{2}$' },
    postal_code: { type: 'string', pattern: '^\\d{5}(?:-\\d{4})?$' },
    insurance_member_id: { type: 'string', pattern: '^[A-Z]{3}\\d{9}$' },
    primary_care_provider: { type: 'string', maxLength: 60 },
    allergies: { type: 'string', pattern: '^(?:NKDA|[a-z][a-z ]*(?:;[a-z][a-z ]*)*)$' },
    last_visit: { type: 'string', format: 'date' },
    language: { enum: LANGUAGES },
    marital_status: { enum: MARITAL },
    emergency_contact: { type: 'string', maxLength: 80 },
    emergency_phone: { type: 'string', pattern: '^\\d{3}-\\d{3}-\\d{4}$' },
    notes: { type: 'string', maxLength: 200 },
  },
} as const;

/** What the generator planted. */
export interface GroundTruth {
  rows: number;
  bytes: number;
  /** rows with exactly one contract defect */
  invalidRows: number;
  /** MRNs written twice (each a pair) */
  duplicateMrnPairs: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Writes `rows` patients to `file` (seeded) and returns the ground truth. About 1 % of rows carry
 * one contract defect each (mixed date formats, bad phone, bad sex code, missing last name, …) and
 * about 0.5 % repeat an earlier MRN.
 */
export async function writeLegacyPatients(
  file: string,
  rows: number,
  seed = 0x5eedc11c,
): Promise<GroundTruth> {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const out = createWriteStream(file);
  let bytes = 0;
  let buffer = '';
  const flush = async () => {
    bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    buffer = '';
  };
  buffer += `${BENCH_COLUMNS.join(',')}\r\n`;
  let invalidRows = 0;
  let duplicateMrnPairs = 0;
  const mrns: number[] = [];
  for (let r = 1; r <= rows; r++) {
    const year = 1930 + Math.floor(random() * 90);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    // MRNs are unique by construction (sequential), so every duplicate is a planted one
    let mrn = 10_000_000 + r;
    if (mrns.length > 100 && random() < 0.005) {
      mrn = mrns[Math.floor(random() * mrns.length)] as number;
      duplicateMrnPairs++;
    } else if (mrns.length < 100_000) mrns.push(mrn);
    const cells: Record<(typeof BENCH_COLUMNS)[number], string> = {
      patient_id: `P${pad(r, 7)}`,
      mrn: String(mrn),
      last_name: pick(LAST),
      first_name: pick(FIRST),
      middle_name: random() < 0.4 ? pick(FIRST) : '',
      birth_date: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
      sex: pick(['M', 'F', 'U']),
      ssn:
        random() < 0.85
          ? `9${pad(Math.floor(random() * 100), 2)}-${pad(Math.floor(random() * 100), 2)}-${pad(Math.floor(random() * 10000), 4)}`
          : '',
      phone: `401-555-01${pad(Math.floor(random() * 100), 2)}`,
      email: random() < 0.7 ? `patient${r}@mail.example.test` : '',
      address_line: `${1 + Math.floor(random() * 999)} ${pick(STREETS)}${random() < 0.1 ? `, Apt ${1 + Math.floor(random() * 20)}` : ''}`,
      city: pick(CITIES),
      state: pick(STATES),
      postal_code: `0${pad(2800 + Math.floor(random() * 1000), 4)}`,
      insurance_member_id: random() < 0.92 ? `ABC${pad(Math.floor(random() * 1e9), 9)}` : '',
      primary_care_provider: pick(PROVIDERS),
      allergies: pick(ALLERGENS),
      last_visit:
        random() < 0.97 ? `20${pad(10 + Math.floor(random() * 14), 2)}-${pad(month, 2)}-${pad(day, 2)}` : '',
      language: pick(LANGUAGES),
      marital_status: pick(MARITAL),
      emergency_contact: `${pick(FIRST)} ${pick(LAST)}`,
      emergency_phone: `401-555-01${pad(Math.floor(random() * 100), 2)}`,
      notes: pick(NOTES),
    };
    // one planted contract defect in about 1.5 % of rows
    if (random() < 0.015) {
      invalidRows++;
      switch (Math.floor(random() * 6)) {
        case 0:
          cells.birth_date = `${pad(month, 2)}/${pad(day, 2)}/${year}`;
          break;
        case 1:
          cells.birth_date = `${pad(day, 2)}.${pad(month, 2)}.${year}`;
          break;
        case 2:
          cells.phone = `(401) 555-01${pad(Math.floor(random() * 100), 2)}`;
          break;
        case 3:
          cells.sex = pick(['X', 'Male', '2', 'f']);
          break;
        case 4:
          cells.last_name = '';
          break;
        default:
          cells.postal_code = `${2800 + Math.floor(random() * 1000)}`;
      }
    }
    buffer += `${BENCH_COLUMNS.map((c) => quote(cells[c])).join(',')}\r\n`;
    if (buffer.length > 1 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { rows, bytes, invalidRows, duplicateMrnPairs };
}
