/**
 * Deterministic generator of the demo clinic's two legacy extracts:
 *
 * - `patients.csv`: UTF-8, comma, CRLF, header row (a practice-management export).
 * - `encounters.csv`: Windows-1252, semicolon, CRLF, header row (an older scheduling system).
 *
 * Constraints:
 * - Output is a pure function of {@link SEED}: a seeded PRNG (mulberry32), no `Math.random`, no clock.
 *   `generateLegacy.test.ts` regenerates and compares bytes with the committed files, so any change
 *   here must be followed by `npx tsx samples/tools/generateLegacy.ts` and a README update.
 * - Every planted defect is placed in its own rows (the defect rows are disjoint), so each count in
 *   {@link PATIENT_DEFECTS} / {@link ENCOUNTER_DEFECTS} is exact and the README can state it.
 * - Everything is synthetic: names from generic lists, phones in the fictional 555-0100..0199 range,
 *   SSNs in the never-issued 9xx range, e-mail at example.org / example.test, made-up towns and streets.
 *
 * Run: `npx tsx samples/tools/generateLegacy.ts [outDir]` (default: samples/legacy/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Seed of the whole extract; changing it changes every byte. */
export const SEED = 0x5eedc11c;
export const PATIENT_COUNT = 5000;
export const ENCOUNTER_COUNT = 12000;
/** The day the legacy systems were "exported"; dates are generated before it. */
export const EXTRACT_DATE = '2024-07-01';

export const PATIENT_COLUMNS = [
  'patient_id',
  'mrn',
  'last_name',
  'first_name',
  'middle_name',
  'birth_date',
  'sex',
  'ssn',
  'phone',
  'email',
  'address_line',
  'city',
  'state',
  'postal_code',
  'insurance_member_id',
  'primary_care_provider',
  'allergies',
  'last_visit',
] as const;

export const ENCOUNTER_COLUMNS = [
  'encounter_id',
  'patient_id',
  'encounter_date',
  'department',
  'provider',
  'visit_type',
  'diagnosis_code',
  'notes',
] as const;

/**
 * Rows of patients.csv carrying each planted defect (or edge case). Each set of rows is disjoint
 * from every other, so a row has at most one of these. Documented in samples/README.md.
 */
export const PATIENT_DEFECTS = {
  /** birth_date written MM/DD/YYYY */
  birthDateUs: 90,
  /** birth_date written DD.MM.YYYY */
  birthDateDotted: 30,
  /** birth_date 2023-02-30: matches the ISO pattern, fails `format: date` */
  birthDateImpossible: 1,
  /** birth_date after the extract date: valid to the contract, only review or a plausibility check finds it */
  birthDateFuture: 1,
  missingLastName: 6,
  missingFirstName: 3,
  missingBirthDate: 4,
  /** allergies blank: unknown is not "no known allergies" */
  missingAllergies: 8,
  /** rows whose mrn repeats another row's mrn (12 pairs) */
  duplicateMrnPairs: 12,
  /** of those pairs, the same person registered twice (same name, birth date, sex) */
  duplicateMrnSamePerson: 8,
  /** sex outside M/F/U: X, Male, 2, f */
  invalidSex: 9,
  /** postal_code not NNNNN or NNNNN-NNNN */
  malformedPostalCode: 14,
  /** phone not NNN-NNN-NNNN: (NNN) NNN-NNNN, NNNNNNNNNN, NNN.NNN.NNNN, +1 NNN NNN NNNN */
  phoneNonCanonical: 45,
  /** email without an @ */
  invalidEmail: 6,
  /** last_name with trailing spaces */
  trailingSpaceLastName: 12,
  /** city with a trailing space */
  trailingSpaceCity: 8,
  /** address_line with a line feed inside the quoted field */
  embeddedNewline: 1,
  /** middle_name starting with "=" (a spreadsheet formula, with quotes and a comma) */
  formulaInjection: 1,
} as const;

/** Valid data that exercises parsers and encodings: not defects. */
export const PATIENT_EDGE_CASES = {
  /** first or last name with non-ASCII letters (José, Zoë, Núñez, …) */
  accentedName: 30,
  /** last name with an apostrophe (O'Brien, …) */
  apostropheName: 12,
  /** address_line containing a comma (", Apt 3B"): the field is quoted */
  addressWithComma: 40,
} as const;

export const ENCOUNTER_DEFECTS = {
  /** patient_id not present in patients.csv (each a distinct id) */
  orphanPatient: 37,
  /** diagnosis_code in ICD-9 form (401.9, 250.00, 786.50) */
  icd9Code: 15,
  missingDiagnosisCode: 6,
  missingEncounterDate: 4,
  /** a row repeated verbatim later in the file (same encounter_id) */
  duplicateEncounterRow: 3,
} as const;

// ---------------------------------------------------------------------------------------------
// PRNG and helpers

/** mulberry32: small, fast, good enough for synthetic data, identical on every platform. */
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

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** RFC 4180 quoting: only fields that need it are quoted; trailing spaces are left as exported. */
function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')
    ? `"${value.replaceAll('"', '""')}"`
    : value;
}
function csvLine(values: readonly string[], delimiter: string): string {
  return `${values.map((v) => csvField(v, delimiter)).join(delimiter)}\r\n`;
}

/**
 * The only non-ASCII characters the encounters extract uses, with their Windows-1252 bytes.
 * TextEncoder only does UTF-8, so the legacy encoding is written by hand; anything outside this
 * table is a generator bug and throws.
 */
const WINDOWS_1252: Readonly<Record<string, number>> = {
  é: 0xe9,
  ë: 0xeb,
  ñ: 0xf1,
  ú: 0xfa,
  º: 0xba,
  '–': 0x96,
};

/** Encodes text as Windows-1252 using {@link WINDOWS_1252} for the non-ASCII characters. */
export function encodeWindows1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      out[i] = code;
      continue;
    }
    const byte = WINDOWS_1252[text.charAt(i)];
    if (byte === undefined) throw new Error(`No Windows-1252 byte for U+${code.toString(16)} at ${i}`);
    out[i] = byte;
  }
  return out;
}

/**
 * WHATWG windows-1252 decoding, written out because Node 20's `TextDecoder('windows-1252')`
 * decodes as ISO-8859-1 (0x96 becomes U+0096, not "–"). 0x80–0x9F per the WHATWG index;
 * the five undefined bytes map to the same C1 code points, as browsers do.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  // biome-ignore format: a code table
  const high = [
    0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
    0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
  ];
  let text = '';
  for (const byte of bytes)
    text += String.fromCharCode(byte >= 0x80 && byte < 0xa0 ? (high[byte - 0x80] as number) : byte);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Synthetic vocabularies (generic lists; no real person)

// biome-ignore format: compact word list
const FIRST_NAMES_F = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen',
  'Nancy', 'Lisa', 'Betty', 'Margaret', 'Sandra', 'Ashley', 'Emily', 'Donna', 'Michelle', 'Carol',
  'Aisha', 'Priya', 'Hana', 'Leila', 'Mei',
] as const;
// biome-ignore format: compact word list
const FIRST_NAMES_M = [
  'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Charles',
  'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin', 'Brian',
  'Wei', 'Mateo', 'Kofi', 'Arjun', 'Omar',
] as const;
// biome-ignore format: compact word list
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker',
  'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards',
  'Nguyen', 'Patel', 'Kim', 'Chen', 'Okafor', 'Haddad', 'Silva', 'Kowalski', 'Ivanova', 'Mensah',
] as const;
/** [display, ASCII fold for the e-mail address, sex] */
// biome-ignore format: compact word list
const ACCENTED_FIRST = [['José', 'jose', 'M'], ['Zoë', 'zoe', 'F'], ['François', 'francois', 'M'], ['Renée', 'renee', 'F'], ['Inés', 'ines', 'F'], ['Chloé', 'chloe', 'F']] as const;
/** [display, ASCII fold for the e-mail address] */
// biome-ignore format: compact word list
const ACCENTED_LAST = [['Núñez', 'nunez'], ['Müller', 'muller'], ['García', 'garcia'], ['Peña', 'pena'], ['Gómez', 'gomez']] as const;
// biome-ignore format: compact word list
const APOSTROPHE_LAST = [['O\'Brien', 'obrien'], ['D\'Angelo', 'dangelo'], ['O\'Neil', 'oneil'], ['N\'Diaye', 'ndiaye']] as const;
const MIDDLE_INITIALS = 'ABCDEFGHJKLMNPRSTW';
// biome-ignore format: compact word list
const STREETS = ['Oak', 'Elm', 'Birch', 'Willow', 'Harbor', 'Mill', 'Orchard', 'Quarry', 'Lantern', 'Meadow', 'Foxglove', 'Tamarack'] as const;
const STREET_TYPES = ['St', 'Ave', 'Rd', 'Ln', 'Way', 'Ct'] as const;
/** Made-up towns: [city, state, ZIP prefix] */
// biome-ignore format: compact word list
const TOWNS = [
  ['Maple Hollow', 'MA', '017'], ['Brookfield Center', 'MA', '015'], ['Wrenfield', 'NH', '032'],
  ['East Alder', 'VT', '051'], ['Pinecrest Falls', 'MA', '018'], ['Stonemill', 'RI', '028'],
  ['Larkspur Bay', 'ME', '040'], ['North Quill', 'CT', '062'],
] as const;
const AREA_CODES = ['413', '508', '603', '802', '401', '207', '860'] as const;
// biome-ignore format: compact word list
const PROVIDERS_PATIENTS = ['Dr. Amara Okafor', 'Dr. Samuel Brooks', 'Dr. Priya Raman', 'Dr. Elena Marsh', 'Dr. Tomas Reyes', 'NP Grace Holloway'] as const;
// biome-ignore format: compact word list
const ALLERGENS = ['penicillin', 'sulfa', 'latex', 'peanut', 'codeine', 'shellfish', 'aspirin', 'ibuprofen', 'amoxicillin', 'egg'] as const;
const INVALID_SEX = ['X', 'Male', '2', 'f'] as const;

// biome-ignore format: compact word list
const DEPARTMENTS = ['Family Medicine', 'Family Medicine', 'Pediatrics', "Women's Health", 'Café Row Walk-in', 'Behavioral Health – Annex'] as const;
// biome-ignore format: compact word list
const PROVIDERS_ENCOUNTERS = ['Dr. Amara Okafor', 'Dr. José Núñez', 'Dr. Zoë Lindqvist', 'Dr. Priya Raman', 'Dr. Samuel Brooks', 'NP Renée Dubois'] as const;
const VISIT_TYPES = ['follow-up', 'follow-up', 'annual', 'sick', 'new', 'telehealth'] as const;
// biome-ignore format: compact word list
const ICD10 = ['I10', 'E11.9', 'J06.9', 'Z00.00', 'M54.50', 'E78.5', 'F41.1', 'J45.909', 'K21.9', 'N39.0', 'R51.9', 'Z23'] as const;
const ICD9 = ['401.9', '250.00', '786.50'] as const;
const NOTES = [
  'BP recheck in 2 wks; call if >160/100',
  'Temp 38,2 ºC at triage',
  'Pt says "dizzy on standing"',
  'Refill sent to pharmacy',
  'Labs ordered, f/u 3 mo',
  'Flu shot given; VIS provided',
  'Interpreter used (Spanish)',
  'No show last visit',
] as const;

// ---------------------------------------------------------------------------------------------
// Generation

interface PatientTruth {
  /** the birth date the person really has (before any planted typo) */
  birthDay: number;
}

/** Splits shuffled row indices into disjoint named groups of the requested sizes. */
function assignRows(rng: Rng, rowCount: number, sizes: Record<string, number>): Map<number, string> {
  const order = rng.shuffle(Array.from({ length: rowCount }, (_, i) => i));
  const tags = new Map<number, string>();
  let next = 0;
  for (const [tag, size] of Object.entries(sizes)) {
    for (let k = 0; k < size; k++) tags.set(order[next++] as number, `${tag}#${k}`);
  }
  return tags;
}

function generatePatients(rng: Rng): { text: string; truth: PatientTruth[] } {
  const d = PATIENT_DEFECTS;
  const e = PATIENT_EDGE_CASES;
  const tags = assignRows(rng, PATIENT_COUNT, {
    birthDateUs: d.birthDateUs,
    birthDateDotted: d.birthDateDotted,
    birthDateImpossible: d.birthDateImpossible,
    birthDateFuture: d.birthDateFuture,
    missingLastName: d.missingLastName,
    missingFirstName: d.missingFirstName,
    missingBirthDate: d.missingBirthDate,
    missingAllergies: d.missingAllergies,
    duplicateSource: d.duplicateMrnPairs,
    duplicateCopy: d.duplicateMrnPairs,
    invalidSex: d.invalidSex,
    malformedPostalCode: d.malformedPostalCode,
    phoneNonCanonical: d.phoneNonCanonical,
    invalidEmail: d.invalidEmail,
    trailingSpaceLastName: d.trailingSpaceLastName,
    trailingSpaceCity: d.trailingSpaceCity,
    embeddedNewline: d.embeddedNewline,
    formulaInjection: d.formulaInjection,
    accentedName: e.accentedName,
    apostropheName: e.apostropheName,
    addressWithComma: e.addressWithComma,
  });
  const rows: Record<(typeof PATIENT_COLUMNS)[number], string>[] = [];
  const truth: PatientTruth[] = [];
  const firstBirth = dayNumber('1930-01-01');
  const lastBirth = dayNumber('2023-12-31');
  const firstVisit = dayNumber('2019-01-01');
  const extractDay = dayNumber(EXTRACT_DATE);

  for (let i = 0; i < PATIENT_COUNT; i++) {
    const sexRoll = rng.float();
    let sex = sexRoll < 0.48 ? 'M' : sexRoll < 0.98 ? 'F' : 'U';
    let first: string = rng.pick(
      sex === 'M' || (sex === 'U' && rng.chance(0.5)) ? FIRST_NAMES_M : FIRST_NAMES_F,
    );
    let last: string = rng.pick(LAST_NAMES);
    let emailFirst = first.toLowerCase();
    let emailLast = last.toLowerCase();
    const birthDay = rng.int(firstBirth, lastBirth);
    const town = rng.pick(TOWNS);
    const area = rng.pick(AREA_CODES);
    /** last three digits of a fictional 555-01xx number */
    const line = String(rng.int(100, 199));
    const tag = (tags.get(i) ?? '').split('#')[0];
    const tagIndex = Number((tags.get(i) ?? '#0').split('#')[1]);

    if (tag === 'accentedName') {
      if (tagIndex % 2 === 0) {
        const [display, ascii, accentSex] =
          ACCENTED_FIRST[(tagIndex / 2) % ACCENTED_FIRST.length] ?? ACCENTED_FIRST[0];
        [first, emailFirst, sex] = [display, ascii, accentSex];
      } else [last, emailLast] = ACCENTED_LAST[tagIndex % ACCENTED_LAST.length] as [string, string];
    } else if (tag === 'apostropheName') {
      [last, emailLast] = APOSTROPHE_LAST[tagIndex % APOSTROPHE_LAST.length] as [string, string];
    }

    const allergyCount = rng.chance(0.55) ? 0 : rng.int(1, 3);
    const allergies = allergyCount === 0 ? 'NKDA' : rng.shuffle(ALLERGENS).slice(0, allergyCount).join(';');
    const lastVisitDay = rng.int(Math.max(firstVisit, birthDay), extractDay - 1);
    const row = {
      patient_id: `P${pad(i + 1, 6)}`,
      // 7919 is coprime with 9,000,000, so these 8-digit numbers are unique and look unordered.
      mrn: String(10_000_000 + ((i * 7919 + 104_729) % 9_000_000)),
      last_name: last,
      first_name: first,
      middle_name: rng.chance(0.6) ? (MIDDLE_INITIALS[rng.int(0, MIDDLE_INITIALS.length - 1)] ?? '') : '',
      birth_date: isoOfDay(birthDay),
      sex,
      ssn: rng.chance(0.85)
        ? `9${pad(rng.int(0, 99))}-${pad(rng.int(1, 99))}-${pad(rng.int(1, 9999), 4)}`
        : '',
      phone: rng.chance(0.97) ? `${area}-555-0${line}` : '',
      email: rng.chance(0.7)
        ? `${emailFirst}.${emailLast}${rng.int(1, 99)}@${rng.chance(0.8) ? 'example.org' : 'mail.example.test'}`
        : '',
      address_line: `${rng.int(1, 999)} ${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`,
      city: town[0] as string,
      state: town[1] as string,
      postal_code: `${town[2]}${pad(rng.int(1, 99))}${rng.chance(0.1) ? `-${pad(rng.int(1, 9999), 4)}` : ''}`,
      insurance_member_id: rng.chance(0.92)
        ? `${String.fromCharCode(65 + rng.int(0, 25), 65 + rng.int(0, 25), 65 + rng.int(0, 25))}${pad(rng.int(0, 999_999_999), 9)}`
        : '',
      primary_care_provider: rng.pick(PROVIDERS_PATIENTS),
      allergies,
      last_visit: rng.chance(0.97) ? isoOfDay(lastVisitDay) : '',
    };
    let trueBirthDay = birthDay;
    const [yy, mm, dd] = row.birth_date.split('-') as [string, string, string];

    switch (tag) {
      case 'birthDateUs':
        row.birth_date = `${mm}/${dd}/${yy}`;
        break;
      case 'birthDateDotted':
        row.birth_date = `${dd}.${mm}.${yy}`;
        break;
      case 'birthDateImpossible':
        row.birth_date = '2023-02-30';
        trueBirthDay = dayNumber('2023-02-28');
        break;
      case 'birthDateFuture':
        // a keying slip: 1983 became 2031
        row.birth_date = '2031-07-04';
        trueBirthDay = dayNumber('1983-07-04');
        break;
      case 'missingLastName':
        row.last_name = '';
        break;
      case 'missingFirstName':
        row.first_name = '';
        break;
      case 'missingBirthDate':
        row.birth_date = '';
        break;
      case 'missingAllergies':
        row.allergies = '';
        break;
      case 'invalidSex':
        row.sex = INVALID_SEX[tagIndex % INVALID_SEX.length] as string;
        break;
      case 'malformedPostalCode': {
        const zip = row.postal_code.slice(0, 5);
        const bad = [zip.slice(1), `${zip.slice(0, 3)} ${zip.slice(3)}`, `${zip.slice(0, 4)}O`, `${zip}-12`];
        row.postal_code = bad[tagIndex % bad.length] as string;
        break;
      }
      case 'phoneNonCanonical': {
        const n = `${area}5550${line}`;
        const styles = [`(${area}) 555-0${line}`, n, `${area}.555.0${line}`, `+1 ${area} 555 0${line}`];
        row.phone = styles[tagIndex % styles.length] as string;
        break;
      }
      case 'invalidEmail':
        row.email = `${emailFirst}.${emailLast}.example.org`;
        break;
      case 'trailingSpaceLastName':
        row.last_name = `${row.last_name}  `;
        break;
      case 'trailingSpaceCity':
        row.city = `${row.city} `;
        break;
      case 'embeddedNewline':
        row.address_line = `${row.address_line}\nUnit 2`;
        break;
      case 'formulaInjection':
        row.middle_name = '=HYPERLINK("http://example.test/update","Update record")';
        break;
      case 'addressWithComma':
        row.address_line = `${row.address_line}, Apt ${rng.int(1, 9)}${rng.pick(['A', 'B', 'C'])}`;
        break;
    }
    rows.push(row);
    truth.push({ birthDay: trueBirthDay });
  }

  // Duplicate mrn pairs: the copy takes the source's mrn; the first few are the same person twice.
  const sources = [...tags].filter(([, t]) => t.startsWith('duplicateSource#'));
  const copies = [...tags].filter(([, t]) => t.startsWith('duplicateCopy#'));
  sources.forEach(([sourceRow], k) => {
    const source = rows[sourceRow];
    const copyRow = copies[k]?.[0];
    const copy = copyRow === undefined ? undefined : rows[copyRow];
    if (!source || !copy || copyRow === undefined) throw new Error('duplicate pair assignment');
    copy.mrn = source.mrn;
    if (k < PATIENT_DEFECTS.duplicateMrnSamePerson) {
      copy.last_name = source.last_name;
      copy.first_name = source.first_name;
      copy.birth_date = source.birth_date;
      copy.sex = source.sex;
      truth[copyRow] = { birthDay: dayNumber(source.birth_date) };
    }
  });

  const text =
    csvLine(PATIENT_COLUMNS, ',') +
    rows
      .map((r) =>
        csvLine(
          PATIENT_COLUMNS.map((c) => r[c]),
          ',',
        ),
      )
      .join('');
  return { text, truth };
}

function generateEncounters(rng: Rng, truth: readonly PatientTruth[]): string {
  const d = ENCOUNTER_DEFECTS;
  const baseCount = ENCOUNTER_COUNT - d.duplicateEncounterRow;
  const tags = assignRows(rng, baseCount, {
    orphanPatient: d.orphanPatient,
    icd9Code: d.icd9Code,
    missingDiagnosisCode: d.missingDiagnosisCode,
    missingEncounterDate: d.missingEncounterDate,
  });
  // Orphans point at ids after the last exported patient (purged or never exported).
  const orphanIds = rng
    .shuffle(Array.from({ length: 400 }, (_, k) => PATIENT_COUNT + 1 + k))
    .slice(0, d.orphanPatient);
  const firstDay = dayNumber('2019-01-01');
  const extractDay = dayNumber(EXTRACT_DATE);

  const rows: string[][] = [];
  for (let i = 0; i < baseCount; i++) {
    const [tag, indexText] = (tags.get(i) ?? '#0').split('#') as [string, string];
    const tagIndex = Number(indexText);
    const patientIndex = rng.int(0, PATIENT_COUNT - 1);
    const born = truth[patientIndex]?.birthDay ?? firstDay;
    const day = rng.int(Math.max(firstDay, born), extractDay - 1);
    const row = [
      `E${pad(i + 1, 7)}`,
      tag === 'orphanPatient' ? `P${pad(orphanIds[tagIndex] as number, 6)}` : `P${pad(patientIndex + 1, 6)}`,
      tag === 'missingEncounterDate' ? '' : isoOfDay(day),
      rng.pick(DEPARTMENTS),
      rng.pick(PROVIDERS_ENCOUNTERS),
      rng.pick(VISIT_TYPES),
      tag === 'icd9Code'
        ? (ICD9[tagIndex % ICD9.length] as string)
        : tag === 'missingDiagnosisCode'
          ? ''
          : rng.pick(ICD10),
      rng.chance(0.35) ? rng.pick(NOTES) : '',
    ];
    rows.push(row);
  }
  // The old system's export repeated a few rows verbatim (a paging bug): insert them after their originals.
  const repeated = rng
    .shuffle(Array.from({ length: baseCount - 100 }, (_, k) => k))
    .slice(0, d.duplicateEncounterRow);
  for (const original of repeated.sort((a, b) => b - a)) {
    rows.splice(original + 1 + rng.int(1, 50), 0, [...(rows[original] as string[])]);
  }
  return csvLine(ENCOUNTER_COLUMNS, ';') + rows.map((r) => csvLine(r, ';')).join('');
}

/** The two extracts' bytes: patients.csv (UTF-8) and encounters.csv (Windows-1252). */
export function generateLegacy(): { patients: Uint8Array; encounters: Uint8Array } {
  const rng = new Rng(SEED);
  const { text, truth } = generatePatients(rng);
  const encounters = generateEncounters(rng, truth);
  return { patients: new TextEncoder().encode(text), encounters: encodeWindows1252(encounters) };
}

/** Writes patients.csv and encounters.csv into `outDir` (created if missing); returns their paths. */
export function writeLegacy(outDir: string): { patients: string; encounters: string } {
  const { patients, encounters } = generateLegacy();
  mkdirSync(outDir, { recursive: true });
  const paths = { patients: join(outDir, 'patients.csv'), encounters: join(outDir, 'encounters.csv') };
  writeFileSync(paths.patients, patients);
  writeFileSync(paths.encounters, encounters);
  return paths;
}

/** Default output directory: samples/legacy next to this tools folder. */
export const DEFAULT_OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'legacy');

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const paths = writeLegacy(resolve(process.argv[2] ?? DEFAULT_OUT_DIR));
  process.stdout.write(`wrote ${paths.patients}\nwrote ${paths.encounters}\n`);
}
