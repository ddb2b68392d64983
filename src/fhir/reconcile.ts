/**
 * Reconcile: does the server hold what the legacy extract says it should? Patients are matched by
 * one identifier system (the MRN, by default the system of the extract's first identifier), and
 * for each match the name, birth date and sex are compared.
 *
 * How: the extract is read first into a compact digest per identifier (row, name, birth date,
 * sex — a few dozen bytes each, so 1,000,000 patients fit); then the server's Patients are read
 * page by page (POST `_search`, see pull.ts) and each is checked against the digest and dropped.
 * What is left of the digest is missing on the server. Nothing is searched by identifier, so no
 * identifier is sent to the server at all, and the server's records are never all in memory.
 *
 * Results are counts plus up to `examples` examples per kind, keyed by identifier with the
 * extract's row and the server's resource id — no names, dates or other values, unless `values`
 * asks for the two differing values of each mismatch (for a person's own screen and exports they
 * choose; the CLI's JSON never carries them).
 */
import type { MappedSourceRecord } from '../core/mapping/index.ts';
import { RECONCILE_FIELD_CODES, type ReconcileFieldCode } from '../formats/reconcileList.ts';
import {
  RECONCILE_RESULT_FORMAT,
  type ReconcileResultExample,
  type ReconcileResultFile,
  type ReconcileResultTally,
} from '../formats/reconcileResult.ts';
import type { FhirConnection } from './connection.ts';
import { type FhirResourceJson, type PullProgress, pageSearch } from './pull.ts';

/** Fields compared, as stable codes (a public contract of `fhir reconcile --json`). */
export const RECONCILED_FIELDS = RECONCILE_FIELD_CODES;
export type ReconciledField = ReconcileFieldCode;

/** Words for each field, for people. */
export const FIELD_LABELS: Record<ReconciledField, string> = {
  name: 'name',
  birthDate: 'birth date',
  gender: 'sex',
};

/** Examples kept per kind unless asked otherwise. */
export const DEFAULT_EXAMPLES = 10;

/**
 * One example: which patient, where in the extract, where on the server (the CLI output's
 * example), and on request the two values.
 */
export interface ReconcileExample extends ReconcileResultExample {
  /**
   * a mismatch's two values, as compared (a name as "family|given given"), only when asked for
   * with `values`; a side without the field is absent
   */
  values?: { file?: string; server?: string };
}

/** A count with examples. */
export interface CountWithExamples {
  count: number;
  examples: ReconcileExample[];
}

/** What reconcile found. */
export interface ReconcileResult {
  /** the identifier system patients were matched by */
  identifierSystem: string;
  extract: {
    records: number;
    /** records without an identifier of that system (not matched) */
    withoutIdentifier: number;
    /** records whose identifier repeats an earlier record's (only the first is matched) */
    duplicates: CountWithExamples;
  };
  server: {
    records: number;
    withoutIdentifier: number;
    duplicates: CountWithExamples;
  };
  matched: number;
  /** in the extract, not on the server */
  missingOnServer: CountWithExamples;
  /** on the server, not in the extract */
  extraOnServer: CountWithExamples;
  /** matched patients whose field differs, by field */
  mismatches: Record<ReconciledField, CountWithExamples>;
}

function withoutValues(tally: CountWithExamples): ReconcileResultTally {
  return {
    count: tally.count,
    examples: tally.examples.map(({ values: _values, ...example }) => example),
  };
}

/**
 * The result as `fhir reconcile --json` prints it (`preflight.reconcile-result/v1`): tagged, and
 * without any example's values even when the result kept them.
 */
export function reconcileResultFile(result: ReconcileResult): ReconcileResultFile {
  const side = (s: ReconcileResult['extract']) => ({
    records: s.records,
    withoutIdentifier: s.withoutIdentifier,
    duplicates: withoutValues(s.duplicates),
  });
  return {
    format: RECONCILE_RESULT_FORMAT,
    identifierSystem: result.identifierSystem,
    extract: side(result.extract),
    server: side(result.server),
    matched: result.matched,
    missingOnServer: withoutValues(result.missingOnServer),
    extraOnServer: withoutValues(result.extraOnServer),
    mismatches: {
      name: withoutValues(result.mismatches.name),
      birthDate: withoutValues(result.mismatches.birthDate),
      gender: withoutValues(result.mismatches.gender),
    },
  };
}

interface Digest {
  row: number;
  name: string | undefined;
  birthDate: string | undefined;
  gender: string | undefined;
  matched: boolean;
}

type JsonObject = { [key: string]: unknown };

const asArray = (value: unknown): JsonObject[] =>
  Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null) : [];

/** The value of the first identifier of `system`. */
function identifierOf(resource: JsonObject, system: string): string | undefined {
  const found = asArray(resource.identifier).find((i) => i.system === system && typeof i.value === 'string');
  return found?.value as string | undefined;
}

/** Whitespace-insensitive, Unicode-normalised text for comparison. */
const norm = (text: string): string => text.normalize('NFC').trim().replace(/\s+/g, ' ');

/**
 * The name compared: the official name (else the first), as "family|given given". Case and
 * spacing are kept except for runs of whitespace: a changed capital is a change the data team
 * should see.
 */
function nameKey(resource: JsonObject): string | undefined {
  const names = asArray(resource.name);
  const name = names.find((n) => n.use === 'official') ?? names[0];
  if (!name) return undefined;
  const family = typeof name.family === 'string' ? norm(name.family) : '';
  const given = (Array.isArray(name.given) ? name.given : [])
    .filter((g): g is string => typeof g === 'string')
    .map(norm);
  return `${family}|${given.join(' ')}`;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? norm(value) : undefined);

/** The system of the first identifier of a mapped record (the mapping's primary identifier). */
function firstIdentifierSystem(record: JsonObject): string | undefined {
  const system = asArray(record.identifier)[0]?.system;
  return typeof system === 'string' ? system : undefined;
}

/** Options of {@link reconcilePatients}. */
interface ReconcileOptions {
  /** the extract, mapped to Patient (see legacyRecords.ts `mapCsvStream`) */
  extract: AsyncIterable<MappedSourceRecord> | Iterable<MappedSourceRecord>;
  /** the system to match by; default: the first identifier's system of the first record */
  identifierSystem?: string;
  examples?: number;
  /** keep each mismatch's two values in its example (default false: no record content) */
  values?: boolean;
  pageSize?: number;
  signal?: AbortSignal;
  /** called while the extract is read (every 1,000 records) and after each server page */
  onProgress?(progress: { phase: 'extract'; records: number } | ({ phase: 'server' } & PullProgress)): void;
}

function tally(): CountWithExamples {
  return { count: 0, examples: [] };
}

/**
 * Compares the extract with the server's Patients (see the file header).
 *
 * @throws {FhirServerError} when the server fails; the extract's own errors (bad bytes, a mapping
 *   that does not fit) propagate from `extract`
 */
export async function reconcilePatients(
  connection: FhirConnection,
  options: ReconcileOptions,
): Promise<ReconcileResult> {
  const limit = options.examples ?? DEFAULT_EXAMPLES;
  const add = (into: CountWithExamples, example: ReconcileExample) => {
    into.count++;
    if (into.examples.length < limit) into.examples.push(example);
  };
  let system = options.identifierSystem;
  const digest = new Map<string, Digest>();
  const extract = { records: 0, withoutIdentifier: 0, duplicates: tally() };
  for await (const { row, record } of options.extract) {
    extract.records++;
    if (extract.records % 1000 === 0) options.onProgress?.({ phase: 'extract', records: extract.records });
    system ??= firstIdentifierSystem(record);
    const identifier = system === undefined ? undefined : identifierOf(record, system);
    if (identifier === undefined) {
      extract.withoutIdentifier++;
      continue;
    }
    if (digest.has(identifier)) {
      add(extract.duplicates, { identifier, row });
      continue;
    }
    digest.set(identifier, {
      row,
      name: nameKey(record),
      birthDate: text(record.birthDate),
      gender: text(record.gender),
      matched: false,
    });
  }
  const result: ReconcileResult = {
    identifierSystem: system ?? '',
    extract,
    server: { records: 0, withoutIdentifier: 0, duplicates: tally() },
    matched: 0,
    missingOnServer: tally(),
    extraOnServer: tally(),
    mismatches: { name: tally(), birthDate: tally(), gender: tally() },
  };
  const onPage = (resources: FhirResourceJson[]) => {
    for (const patient of resources) {
      result.server.records++;
      const identifier = system === undefined ? undefined : identifierOf(patient, system);
      const id = typeof patient.id === 'string' ? patient.id : undefined;
      if (identifier === undefined) {
        result.server.withoutIdentifier++;
        continue;
      }
      const legacy = digest.get(identifier);
      if (!legacy) {
        add(result.extraOnServer, { identifier, id });
        continue;
      }
      if (legacy.matched) {
        add(result.server.duplicates, { identifier, row: legacy.row, id });
        continue;
      }
      legacy.matched = true;
      result.matched++;
      const server = {
        name: nameKey(patient),
        birthDate: text(patient.birthDate),
        gender: text(patient.gender),
      };
      for (const field of RECONCILED_FIELDS) {
        if (legacy[field] === server[field]) continue;
        const example: ReconcileExample = { identifier, row: legacy.row, id };
        if (options.values) {
          example.values = {};
          if (legacy[field] !== undefined) example.values.file = legacy[field];
          if (server[field] !== undefined) example.values.server = server[field];
        }
        add(result.mismatches[field], example);
      }
    }
  };
  await pageSearch(connection, {
    resourceType: 'Patient',
    // a parameter makes the search a POST: the page links a server makes for it then carry no values
    params: { _total: 'accurate' },
    pageSize: options.pageSize,
    signal: options.signal,
    onPage: (resources, progress) => {
      onPage(resources);
      options.onProgress?.({ phase: 'server', ...progress });
    },
  });
  for (const [identifier, legacy] of digest) {
    if (!legacy.matched) add(result.missingOnServer, { identifier, row: legacy.row });
  }
  return result;
}
