/**
 * The machinery every format loader shares: problems, results, tag classification, migrations
 * and turning schema-validation errors into problems a person can act on.
 *
 * Loading always runs: identify the format tag → migrate older versions → validate against the
 * precompiled JSON Schema → semantic checks the schema cannot express.
 *
 * Constraint: a problem says WHERE (a JSON Pointer) and WHAT KIND, never the
 * offending value — documents may hold patient data, and problems end up in logs and CI output.
 * Only text that comes from the schema or from this code goes into a message.
 */
import type { ValidatorError } from './generated/validators.js';

/** One thing wrong with a document. */
export interface FormatProblem {
  /** JSON Pointer (RFC 6901) into the document, e.g. "/steps/3/lane"; "" is the whole document */
  path: string;
  /** what kind of problem, in words; never contains a value from the document */
  message: string;
  /** stable machine-readable kind, one of {@link PROBLEM_CODES} */
  code: string;
}

/**
 * The outcome of loading a document: the typed value, or every problem found. An ok result may
 * carry `warnings`: problems that do not stop the document from loading (e.g. a draft state of a
 * document embedded in a project file, which the app saves and an editor can fix).
 */
export type LoadResult<T> =
  | {
      ok: true;
      value: T;
      /** the older tag the document was migrated from */
      migratedFrom?: string;
      /** problems that do not refuse the document; absent when there are none */
      warnings?: FormatProblem[];
    }
  | { ok: false; problems: FormatProblem[] };

/** Problem codes are a public contract (the CLI's `--json` output carries them): add, never rename. */
export const PROBLEM_CODES = {
  /** the text is not JSON */
  invalidJson: 'invalid-json',
  /** the text is not valid UTF-8 */
  invalidUtf8: 'invalid-utf8',
  /** no Preflight format tag */
  notPreflight: 'not-preflight',
  /** a Preflight file, but of another format than the one asked for */
  wrongFormat: 'wrong-format',
  /** made by a newer Preflight */
  newerVersion: 'newer-version',
  /** an older version this Preflight has no migration for */
  unsupportedVersion: 'unsupported-version',
  missingField: 'missing-field',
  unknownField: 'unknown-field',
  wrongType: 'wrong-type',
  /** not one of the allowed values */
  notAllowed: 'not-allowed',
  outOfRange: 'out-of-range',
  tooShort: 'too-short',
  tooFewItems: 'too-few-items',
  duplicateItem: 'duplicate-item',
  /** a string without the required form (pattern, date-time, hash) */
  wrongForm: 'wrong-form',
  /** fields that exclude each other are both present */
  conflictingFields: 'conflicting-fields',
  /** any other schema violation */
  schema: 'schema',
  duplicateId: 'duplicate-id',
  /** an id that names nothing it could name */
  unknownReference: 'unknown-reference',
  /** a field that only a future workflow may have */
  futureOnly: 'future-only',
  /** branch probabilities leaving a step do not sum to 1 */
  probabilitySum: 'probability-sum',
  duplicateFlow: 'duplicate-flow',
  invalidRegex: 'invalid-regex',
  /** values that contradict each other */
  inconsistent: 'inconsistent',
  /** a redacted report that still holds values */
  notRedacted: 'not-redacted',
  integrityMismatch: 'integrity-mismatch',
  /** converting an older version failed (a migration threw or returned something unusable) */
  migrationFailed: 'migration-failed',
  tooManyProblems: 'too-many-problems',
  /** a text value or property name longer than any file of the format holds (refused before parsing) */
  textTooLong: 'text-too-long',
} as const;

export type ProblemCode = (typeof PROBLEM_CODES)[keyof typeof PROBLEM_CODES];

/** Loading stops listing problems after this many: past it, a list helps nobody and costs memory. */
export const MAX_PROBLEMS = 200;

/**
 * What people call each Preflight format family (the part of the tag before the version): the
 * one source of the `title` of every format definition, and of the words used when a loader is
 * given another Preflight format than the one it loads (a message never quotes the document).
 * A new format adds its family here.
 */
export const FORMAT_FAMILIES = {
  workflow: 'workflow',
  mapping: 'mapping',
  report: 'validation report',
  sampleplan: 'sample plan',
  review: 'clinician review',
  auditlog: 'sign-off audit log',
  reviewpacket: 'review packet',
  encryptedpacket: 'encrypted review packet',
  reviewresults: 'review results',
  project: 'project file',
  analysissettings: 'analysis settings',
  waivers: 'accepted issues',
  'reconcile-list': 'reconcile list',
  'reconcile-result': 'reconcile result',
  signoffreport: 'sign-off report',
  'evidence-pack': 'evidence pack',
  'project-audit': 'project audit log',
} as const satisfies Record<string, string>;

/** A Preflight format family, e.g. `sampleplan`. */
export type FormatFamily = keyof typeof FORMAT_FAMILIES;

/** The title of a family by name; undefined for a family no format of this Preflight has. */
export function familyTitle(family: string): string | undefined {
  return Object.hasOwn(FORMAT_FAMILIES, family) ? FORMAT_FAMILIES[family as FormatFamily] : undefined;
}

const TAG_PATTERN = /^preflight\.([a-z][a-z0-9-]*)\/v(0|[1-9][0-9]{0,5})$/;

/** Splits `preflight.workflow/v1` into family and version; null for anything that is not such a tag. */
export function parseFormatTag(tag: unknown): { family: string; version: number } | null {
  if (typeof tag !== 'string') return null;
  const match = TAG_PATTERN.exec(tag);
  if (!match) return null;
  return { family: match[1] as string, version: Number(match[2]) };
}

/**
 * Turns a document of an older tag into the next newer one. Migrations chain: a v0 document is
 * migrated v0 → v1 → … until it carries the current tag. `migrate` must not mutate its input.
 */
export interface Migration {
  /** the older tag, e.g. "preflight.workflow/v0" */
  from: string;
  /** the tag of the result */
  to: string;
  migrate(document: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** A precompiled (ajv standalone) validator. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ValidatorError[] | null;
}

/**
 * Everything needed to load one format (one file per format defines it: its type, validator, tag
 * and migrations).
 */
export interface FormatDefinition<T> {
  /** the current tag, e.g. "preflight.workflow/v1" */
  tag: string;
  /** what people call it, e.g. "workflow" */
  title: string;
  /** `$id` of its JSON Schema */
  schemaId: string;
  validate: Validator;
  /** semantic checks the schema cannot express; runs only on schema-valid documents */
  check?: (value: T) => FormatProblem[];
  /** checks whose problems are reported as warnings (the document still loads); after `check` */
  warn?: (value: T) => FormatProblem[];
  /** migrations from older tags of this format */
  migrations: readonly Migration[];
  /**
   * Checks of the document exactly as written, before any migration (a project file's
   * integrity hash covers what the exporter wrote). Its problems refuse the document, listed
   * together with any later ones so a damaged file shows everything at once. Part of the
   * definition so that no loading path can skip it (a check kept beside the loader would be
   * skipped by `loadDocument`).
   */
  verify?: (document: Readonly<Record<string, unknown>>) => FormatProblem[];
  /**
   * Runs after the format's migrations and before the schema: brings up to date what has its
   * own versions inside the document (a project file's embedded documents) and fills in what an
   * older writer of the same tag left out (ids of a project's reports). Must not mutate its
   * input; its problems refuse the document.
   */
  normalize?: (document: Record<string, unknown>) => {
    value: Record<string, unknown>;
    problems: FormatProblem[];
  };
}

/** How a document's tag relates to one format. */
export type TagStatus = 'current' | 'older' | 'newer' | 'unsupported' | 'other';

/** Classifies `tag` against `definition`: current, older with a migration, newer, older without one, or another format. */
export function classifyTag(
  definition: Pick<FormatDefinition<unknown>, 'tag' | 'migrations'>,
  tag: unknown,
): TagStatus {
  if (tag === definition.tag) return 'current';
  if (typeof tag !== 'string') return 'other';
  if (definition.migrations.some((m) => m.from === tag)) return 'older';
  const own = parseFormatTag(definition.tag);
  const theirs = parseFormatTag(tag);
  if (!own || !theirs || own.family !== theirs.family) return 'other';
  return theirs.version > own.version ? 'newer' : 'unsupported';
}

/** The message for a document made by a newer Preflight. */
export const NEWER_VERSION_MESSAGE = 'made by a newer Preflight; update Preflight to open it';
/** The message for anything without a Preflight format tag. */
export const NOT_PREFLIGHT_MESSAGE = 'not a Preflight file: it has no Preflight "format" tag';

/** Problems for a document whose tag this definition cannot load as-is or by migration; null when it can. */
export function tagProblems(definition: FormatDefinition<unknown>, json: unknown): FormatProblem[] | null {
  if (!isPlainObject(json)) {
    return [problem('', PROBLEM_CODES.notPreflight, 'not a Preflight file: expected a JSON object')];
  }
  const tag = json.format;
  const status = classifyTag(definition, tag);
  switch (status) {
    case 'current':
    case 'older':
      return null;
    case 'newer':
      return [problem('/format', PROBLEM_CODES.newerVersion, `${definition.title} ${NEWER_VERSION_MESSAGE}`)];
    case 'unsupported':
      return [
        problem(
          '/format',
          PROBLEM_CODES.unsupportedVersion,
          `${definition.title} from an older Preflight that this version cannot convert`,
        ),
      ];
    case 'other': {
      const parsed = parseFormatTag(tag);
      const family = parsed ? familyTitle(parsed.family) : undefined;
      if (family) {
        return [
          problem(
            '/format',
            PROBLEM_CODES.wrongFormat,
            `this is a Preflight ${family}, not a ${definition.title}`,
          ),
        ];
      }
      return [problem(tag === undefined ? '' : '/format', PROBLEM_CODES.notPreflight, NOT_PREFLIGHT_MESSAGE)];
    }
  }
}

/**
 * Applies migrations until the document carries `definition.tag`. Returns the migrated document,
 * or a problem when a chain is broken (a migration that leads nowhere, or a cycle) or a migration
 * throws — migrations may be registered by later code, and loading never throws.
 */
export function migrateDocument(
  definition: Pick<FormatDefinition<unknown>, 'tag' | 'title' | 'migrations'>,
  document: Record<string, unknown>,
): { ok: true; value: Record<string, unknown> } | { ok: false; problem: FormatProblem } {
  let current = document;
  // each migration may run at most once, so a cycle in the table cannot loop forever
  for (let step = 0; step <= definition.migrations.length; step++) {
    if (current.format === definition.tag) return { ok: true, value: current };
    const migration = definition.migrations.find((m) => m.from === current.format);
    if (!migration) break;
    let next: unknown;
    try {
      next = migration.migrate(current);
    } catch {
      // the error's text may quote the document: only its kind is reported
      return {
        ok: false,
        problem: problem(
          '/format',
          PROBLEM_CODES.migrationFailed,
          `${definition.title} from an older Preflight could not be converted to this version`,
        ),
      };
    }
    if (!isPlainObject(next) || next.format !== migration.to) break;
    current = next;
  }
  return {
    ok: false,
    problem: problem(
      '/format',
      PROBLEM_CODES.unsupportedVersion,
      `${definition.title} from an older Preflight that this version cannot convert`,
    ),
  };
}

/**
 * Loads a document of one format: tag → `verify` (the document as written) → migrate →
 * `normalize` → schema → semantic checks (`check` refuses, `warn` only warns). Every hook of the
 * definition runs here, so this is the one loader; the per-format functions (`loadWorkflow`, …,
 * `loadProjectFile`) and the registry call it. Never throws on any JSON value.
 */
export function loadDocument<T>(definition: FormatDefinition<T>, json: unknown): LoadResult<T> {
  const refused = tagProblems(definition as FormatDefinition<unknown>, json);
  if (refused) return { ok: false, problems: refused };
  const original = json as Record<string, unknown>;
  const verified = definition.verify ? definition.verify(original) : [];
  const refuse = (problems: FormatProblem[]): LoadResult<T> => ({
    ok: false,
    problems: capProblems([...verified, ...problems]),
  });
  const migrated = migrateDocument(definition as FormatDefinition<unknown>, original);
  if (!migrated.ok) return refuse([migrated.problem]);
  let document = migrated.value;
  if (definition.normalize) {
    const normalized = definition.normalize(document);
    if (normalized.problems.length > 0) return refuse(normalized.problems);
    document = normalized.value;
  }
  if (!definition.validate(document)) return refuse(schemaProblems(definition.validate.errors ?? []));
  const value = document as unknown as T;
  const problems = definition.check ? definition.check(value) : [];
  if (verified.length > 0 || problems.length > 0) return refuse(problems);
  return loaded(value, original.format, definition.tag, definition.warn ? definition.warn(value) : []);
}

/**
 * The ok result of a load: `migratedFrom` when the document came in under an older tag, and
 * `warnings` (capped) only when there are some. The one place that shapes a successful LoadResult.
 */
export function loaded<T>(
  value: T,
  originalTag: unknown,
  tag: string,
  warnings: FormatProblem[],
): LoadResult<T> {
  return {
    ok: true,
    value,
    ...(originalTag === tag ? {} : { migratedFrom: originalTag as string }),
    ...(warnings.length === 0 ? {} : { warnings: capProblems(warnings) }),
  };
}

/**
 * Validates a value with a precompiled schema validator alone (no tag, no migrations): for the
 * parts of a format that are stored on their own (a project's meta, datasets, schema documents).
 */
export function validateWithSchema<T>(validate: Validator, value: unknown): LoadResult<T> {
  if (validate(value)) return { ok: true, value: value as T };
  return { ok: false, problems: capProblems(schemaProblems(validate.errors ?? [])) };
}

/** Builds a problem. */
export function problem(path: string, code: string, message: string): FormatProblem {
  return { path, code, message };
}

/** Escapes one JSON Pointer reference token (RFC 6901: "~" → "~0", "/" → "~1"). */
export function escapePointerSegment(segment: string | number): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Builds a JSON Pointer from segments: pointer('steps', 3, 'lane') → "/steps/3/lane". */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${escapePointerSegment(s)}`).join('');
}

/** Prefixes every problem's path, for documents embedded in another (e.g. "/project/workflows/0"). */
export function prefixProblems(prefix: string, problems: readonly FormatProblem[]): FormatProblem[] {
  return problems.map((p) => ({ ...p, path: `${prefix}${p.path}` }));
}

/**
 * True for a non-null, non-array object: the one record test of formats, storage and the
 * project reducer (JSON objects, IndexedDB records, change payloads).
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps the first {@link MAX_PROBLEMS} problems and says how many more there were. */
export function capProblems(problems: FormatProblem[]): FormatProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - MAX_PROBLEMS;
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    problem('', PROBLEM_CODES.tooManyProblems, `${more} more problems not listed; fix the ones above first`),
  ];
}

/** Reports every id that occurs more than once in `items` (the second and later occurrences). */
export function duplicateIdProblems(
  items: readonly { id: string }[],
  basePath: string,
  what: string,
): FormatProblem[] {
  const seen = new Set<string>();
  const problems: FormatProblem[] = [];
  items.forEach((item, index) => {
    if (seen.has(item.id)) {
      problems.push(
        problem(
          `${basePath}/${index}/id`,
          PROBLEM_CODES.duplicateId,
          `${what} id is used by an earlier ${what}`,
        ),
      );
    }
    seen.add(item.id);
  });
  return problems;
}

// ---- schema errors → problems -------------------------------------------------------------

/**
 * Messages for `oneOf`/`anyOf` that are not discriminated, keyed by the end of the instance
 * path they apply to, array indices written as `*` (ajv's schema paths are relative to each
 * `$defs` entry, so they cannot tell the combinators apart). A test lists every combinator in
 * the schemas, so a new one cannot arrive without a message.
 */
export const COMBINATOR_MESSAGES: Readonly<Record<string, { none: string; several: string }>> = {
  '/fields/*': {
    none: 'needs exactly one of "from" (source columns) or "const" (a constant); it has neither',
    several: 'has both "from" and "const"; keep exactly one',
  },
};

/** Allowed values of each discriminator, keyed like {@link COMBINATOR_MESSAGES}. */
export const DISCRIMINATOR_CHOICES: Readonly<Record<string, readonly string[]>> = {
  '/transform/*': ['trim', 'case', 'date', 'codeMap', 'number', 'boolean', 'split', 'concat', 'regexReplace'],
  '/target': ['fhir', 'schema'],
  '/origin': ['sample', 'file'],
};

/** Human descriptions of the string patterns the schemas use, so a message never needs the value. */
const PATTERN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  '^[0-9a-f]{64}$': 'expected a SHA-256 as 64 lowercase hex digits',
  '^[0-9A-Fa-f]+$': 'expected hex or decimal digits only',
  '^[A-Z][A-Za-z]+$': 'expected a FHIR resource type name such as "Patient"',
  '^[gimsuy]*$': 'expected regular-expression flags from "gimsuy"',
};

const FORMAT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'date-time': 'expected an RFC 3339 date-time with a time zone, e.g. 2025-03-01T09:30:00Z',
};

/** JSON Schema `type` names in plain words, for problem messages ("expected a whole number"). */
export const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

/** "/fields/3/transform/0" → "/fields/*\/transform/*" */
function instancePattern(instancePath: string): string {
  return instancePath.replace(/\/(0|[1-9][0-9]*)(?=\/|$)/g, '/*');
}

function matchesSuffix<V>(table: Readonly<Record<string, V>>, instancePath: string): V | undefined {
  const key = instancePattern(instancePath);
  for (const [suffix, value] of Object.entries(table)) {
    if (key.endsWith(suffix)) return value;
  }
  return undefined;
}

function listOf(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/**
 * Converts ajv errors into problems. Uses only the error's paths, keyword and schema-derived
 * params — never `data` or params that echo the document (discriminator `tagValue`).
 */
export function schemaProblems(errors: readonly ValidatorError[]): FormatProblem[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const problems: FormatProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // the branches of a failed oneOf/anyOf (e.g. "required: from", "required: const") are
    // summarised by the combinator's own message
    const insideCombinator = combinators.some(
      (c) =>
        c !== error &&
        error.instancePath === c.instancePath &&
        error.schemaPath.startsWith(`${c.schemaPath}/`),
    );
    if (insideCombinator) continue;
    const converted = describeSchemaError(error);
    if (!converted) continue;
    // one problem per (path, kind): e.g. `required` and `discriminator` both see a missing "op"
    const key = `${converted.path}\u0000${converted.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(converted);
  }
  return problems;
}

function describeSchemaError(error: ValidatorError): FormatProblem | null {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      return problem(
        `${at}/${escapePointerSegment(name)}`,
        PROBLEM_CODES.missingField,
        `required field "${name}" is missing`,
      );
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return problem(
        `${at}/${escapePointerSegment(name)}`,
        PROBLEM_CODES.unknownField,
        'unknown field: not part of this format (check its spelling)',
      );
    }
    case 'type': {
      const types = String(params.type).split(',');
      return problem(
        at,
        PROBLEM_CODES.wrongType,
        `expected ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}`,
      );
    }
    case 'const':
      return problem(at, PROBLEM_CODES.notAllowed, `expected ${JSON.stringify(params.allowedValue)}`);
    case 'enum':
      return problem(
        at,
        PROBLEM_CODES.notAllowed,
        `expected one of: ${listOf(params.allowedValues as unknown[])}`,
      );
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = {
        '>=': 'at least',
        '<=': 'at most',
        '>': 'more than',
        '<': 'less than',
      };
      return problem(
        at,
        PROBLEM_CODES.outOfRange,
        `must be ${words[String(params.comparison)] ?? String(params.comparison)} ${String(params.limit)}`,
      );
    }
    case 'minLength':
      return problem(
        at,
        PROBLEM_CODES.tooShort,
        params.limit === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} characters`,
      );
    case 'minItems':
      return problem(
        at,
        PROBLEM_CODES.tooFewItems,
        `needs at least ${String(params.limit)} ${params.limit === 1 ? 'entry' : 'entries'}`,
      );
    case 'uniqueItems':
      return problem(
        at,
        PROBLEM_CODES.duplicateItem,
        `entries ${String(params.j)} and ${String(params.i)} are the same; each may appear once`,
      );
    case 'pattern':
      return problem(
        at,
        PROBLEM_CODES.wrongForm,
        PATTERN_DESCRIPTIONS[String(params.pattern)] ??
          `does not have the required form (${String(params.pattern)})`,
      );
    case 'format':
      return problem(
        at,
        PROBLEM_CODES.wrongForm,
        FORMAT_DESCRIPTIONS[String(params.format)] ?? `expected the "${String(params.format)}" form`,
      );
    case 'discriminator': {
      const tag = String(params.tag);
      if (params.error === 'tag') {
        return problem(
          `${at}/${escapePointerSegment(tag)}`,
          PROBLEM_CODES.missingField,
          `required field "${tag}" is missing or not text`,
        );
      }
      const choices = matchesSuffix(DISCRIMINATOR_CHOICES, at);
      return problem(
        `${at}/${escapePointerSegment(tag)}`,
        PROBLEM_CODES.notAllowed,
        choices ? `unknown "${tag}"; expected one of: ${listOf(choices)}` : `unknown "${tag}"`,
      );
    }
    case 'oneOf':
    case 'anyOf': {
      const messages = matchesSuffix(COMBINATOR_MESSAGES, at);
      const several = Array.isArray(params.passingSchemas);
      if (!messages) return problem(at, PROBLEM_CODES.schema, 'does not match any of the allowed shapes');
      return several
        ? problem(at, PROBLEM_CODES.conflictingFields, messages.several)
        : problem(at, PROBLEM_CODES.missingField, messages.none);
    }
    case 'if':
      // the failing "then" branch reports the actual problem
      return null;
    default:
      return problem(at, PROBLEM_CODES.schema, `does not satisfy the "${error.keyword}" rule of the format`);
  }
}
