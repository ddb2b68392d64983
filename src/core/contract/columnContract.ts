/**
 * Column contracts: the JSON Schema a legacy extract's rows must meet (samples/contracts/). Each
 * row is checked as an object of header → cell text. This module answers two questions the CLI
 * (`preflight check`) asks today and the validation engine will ask in its workers: is this JSON
 * value a column contract ({@link isColumnContract}), and does it compile
 * ({@link compileColumnContract}) — with every problem placed by its JSON Pointer in the contract.
 *
 * Constraints:
 * - Compiling generates code (ajv uses `new Function`): it runs in Node (the CLI, Node workers),
 *   never in the browser, whose CSP has no `unsafe-eval` and would refuse it. {@link isColumnContract}
 *   generates nothing and runs anywhere.
 * - Problems say where and what kind, never a value from the contract: a contract's
 *   `enum`, `const` and `examples` may hold real codes or names.
 * - ajv's strict mode is on: an unknown keyword (a typo such as `requred`) or an unknown `format`
 *   is an error, because ajv would otherwise ignore it and the contract would silently check less.
 */
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CONTRACT_AJV_OPTIONS } from '../../formats/contractAjvOptions.ts';
import {
  checkDraft07,
  checkDraft201909,
  checkDraft202012,
  type MetaSchemaCheck,
} from '../../formats/generated/metaSchemas.js';
import { escapePointerSegment, isPlainObject, parseFormatTag, TYPE_NAMES } from '../../formats/loading.ts';
import type { FormatProblem } from '../../formats/registry.ts';
import { describeUnsafePattern, loadRegexChecker, type RegexChecker } from './regexSafety.ts';

/** The JSON Schema drafts a column contract may be written in (the ones ajv implements natively). */
export type ContractDialect = 'draft-07' | '2019-09' | '2020-12';

/** The dialect of a contract without `$schema`: the current draft, as the samples use. */
const DEFAULT_CONTRACT_DIALECT: ContractDialect = '2020-12';

/** Each supported dialect's meta-schema URI as ajv registers it (scheme, host and path; no fragment). */
const DIALECT_URIS: Readonly<Record<ContractDialect, string>> = {
  'draft-07': 'http://json-schema.org/draft-07/schema',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

const JSON_SCHEMA_HOST = 'json-schema.org';

/** Problem codes of contract checks (a public contract: the CLI's `--json` carries them; add, never rename). */
export const CONTRACT_PROBLEM_CODES = {
  /** `$schema` names a json-schema.org draft other than draft-07, 2019-09 and 2020-12 */
  unsupportedDraft: 'unsupported-draft',
  /** the contract breaks its draft's meta-schema (e.g. `"type": "strnig"`) */
  invalidSchema: 'invalid-schema',
  /** a `pattern` or `patternProperties` key is not a valid (Unicode) regular expression */
  invalidRegex: 'invalid-regex',
  /** a `pattern` or `patternProperties` key can backtrack catastrophically (regexSafety.ts) */
  unsafeRegex: 'unsafe-regex',
  /** a keyword no draft defines (ajv strict mode) */
  unknownKeyword: 'unknown-keyword',
  /** a `format` neither the draft nor ajv-formats knows */
  unknownFormat: 'unknown-format',
  /** a `$ref` that points to nothing in the contract (or outside it) */
  unresolvedRef: 'unresolved-ref',
  /** anything else ajv refused while compiling */
  doesNotCompile: 'does-not-compile',
} as const;

/** The `$schema` URI without its (empty) fragment and with its scheme ignored; null when not a URL. */
function jsonSchemaUri(value: unknown): { host: string; key: string } | null {
  if (typeof value !== 'string') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return { host: url.hostname, key: `${url.hostname}${url.pathname}` };
}

function namesJsonSchemaOrg(schemaUri: unknown): boolean {
  const uri = jsonSchemaUri(schemaUri);
  return uri !== null && (uri.host === JSON_SCHEMA_HOST || uri.host.endsWith(`.${JSON_SCHEMA_HOST}`));
}

/**
 * True when `value` is a column contract: a JSON object that either names a json-schema.org
 * meta-schema in `$schema`, or is clearly a schema of rows (`"type": "object"` with a
 * `properties` object). A value carrying a Preflight `format` tag is a Preflight file, never a
 * contract. Pure; never throws.
 */
export function isColumnContract(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  if (parseFormatTag(value.format) !== null) return false;
  if (namesJsonSchemaOrg(value.$schema)) return true;
  return value.type === 'object' && isPlainObject(value.properties);
}

/** The dialect named by `$schema` (the default when absent); null for a draft Preflight does not support. */
export function contractDialect(contract: Readonly<Record<string, unknown>>): ContractDialect | null {
  if (contract.$schema === undefined) return DEFAULT_CONTRACT_DIALECT;
  const uri = jsonSchemaUri(contract.$schema);
  if (!uri) return null;
  for (const [dialect, known] of Object.entries(DIALECT_URIS) as [ContractDialect, string][]) {
    const knownUri = jsonSchemaUri(known);
    if (knownUri && knownUri.key === uri.key) return dialect;
  }
  return null;
}

/** A compiled contract's row validator (ajv's: `errors` holds the last call's errors). */
interface RowValidator {
  (row: unknown): boolean;
  errors?:
    | { instancePath: string; schemaPath: string; keyword: string; params: Record<string, unknown> }[]
    | null;
}

/** {@link compileColumnContract}'s result. */
export type ContractCompileResult =
  | { ok: true; dialect: ContractDialect; validate: RowValidator }
  | { ok: false; dialect: ContractDialect | null; problems: FormatProblem[] };

function problem(path: string, code: string, message: string): FormatProblem {
  return { path, code, message };
}

/** What compile problems call the schema: a column contract, or the target schema of a mapping. */
type ContractSubject = 'contract' | 'target schema';

/** Options of {@link compileColumnContract}. */
interface CompileContractOptions {
  /** how problems name the schema (default "contract") */
  subject?: ContractSubject;
  /**
   * The same contract already compiled without problems elsewhere (the CLI's range workers get the
   * contract the main thread compiled): the meta-schema and regex checks, which only find
   * problems, are skipped, so each range worker starts sooner. The validator is the same. Never
   * for a contract not checked before: its problems would not be reported.
   */
  checked?: boolean;
  /**
   * Judges each pattern for catastrophic backtracking ({@link regexCheckerFor} loads it when the
   * contract has patterns). Without it, patterns are only checked to be valid.
   */
  regexChecker?: RegexChecker;
}

/** Keywords whose value is an object of subschemas (the keys are names, not keywords). */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value is one subschema (`items` may also be a list in draft-07). */
const SCHEMA_SINGLES = [
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
];

/**
 * Every subschema of `schema` (itself included) with its JSON Pointer, walking schema positions
 * only: a property NAMED "pattern" or "$ref" is a name, not a keyword. Iterative, so a deeply
 * nested contract cannot overflow the stack.
 */
function subschemas(schema: unknown): { at: string; node: Record<string, unknown> }[] {
  const found: { at: string; node: Record<string, unknown> }[] = [];
  const stack: { at: string; node: unknown }[] = [{ at: '', node: schema }];
  while (stack.length > 0) {
    const { at, node } = stack.pop() as { at: string; node: unknown };
    if (!isPlainObject(node)) continue;
    found.push({ at, node });
    for (const keyword of SCHEMA_MAPS) {
      const map = node[keyword];
      if (!isPlainObject(map)) continue;
      for (const [name, sub] of Object.entries(map))
        stack.push({ at: `${at}/${keyword}/${escapePointerSegment(name)}`, node: sub });
    }
    for (const keyword of [...SCHEMA_LISTS, 'items']) {
      const list = node[keyword];
      if (!Array.isArray(list)) continue;
      for (const [i, sub] of list.entries()) stack.push({ at: `${at}/${keyword}/${i}`, node: sub });
    }
    for (const keyword of SCHEMA_SINGLES) {
      if (isPlainObject(node[keyword])) stack.push({ at: `${at}/${keyword}`, node: node[keyword] });
    }
  }
  // sorted by pointer: problems come out in a stable order, whatever the walk's order
  return found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

/** True when the contract has a `pattern` or `patternProperties` anywhere in its subschemas. */
function contractHasPatterns(schema: unknown): boolean {
  return subschemas(schema).some(
    ({ node }) => typeof node.pattern === 'string' || isPlainObject(node.patternProperties),
  );
}

/**
 * Where the contract has patterns, in words staff know: "column mrn" for a column's own `pattern`,
 * else the JSON Pointer of the `pattern` or `patternProperties` (nested or row-level). Stable order.
 */
export function contractPatternPlaces(schema: unknown): string[] {
  const places: string[] = [];
  for (const { at, node } of subschemas(schema)) {
    if (typeof node.pattern === 'string') {
      const column = columnAt(at);
      places.push(column === undefined ? `${at}/pattern` : `column ${column}`);
    }
    if (isPlainObject(node.patternProperties)) places.push(`${at}/patternProperties`);
  }
  return places;
}

/**
 * The regular-expression checker for compiling `schema` ({@link CompileContractOptions.regexChecker}),
 * loaded only when the schema has patterns: the analysis library is large (regexSafety.ts).
 */
export async function regexCheckerFor(schema: unknown): Promise<RegexChecker | undefined> {
  return contractHasPatterns(schema) ? loadRegexChecker() : undefined;
}

/** The column a subschema pointer is about: `/properties/NHS number` → "NHS number". */
function columnAt(at: string): string | undefined {
  const match = /^\/properties\/([^/]+)$/.exec(at);
  return match ? (match[1] as string).replaceAll('~1', '/').replaceAll('~0', '~') : undefined;
}

/**
 * Every `pattern` and `patternProperties` key that is not a valid Unicode regular expression, or
 * (with a checker) that can backtrack catastrophically.
 */
function regexProblems(schema: unknown, checker: RegexChecker | undefined): FormatProblem[] {
  const problems: FormatProblem[] = [];
  const unsafe = (path: string, source: string, column: string | undefined) => {
    const verdict = checker?.(source);
    if (verdict && !verdict.safe)
      problems.push(
        problem(path, CONTRACT_PROBLEM_CODES.unsafeRegex, describeUnsafePattern(verdict, column)),
      );
  };
  for (const { at, node } of subschemas(schema)) {
    if (typeof node.pattern === 'string') {
      if (!isValidRegex(node.pattern)) {
        problems.push(
          problem(
            `${at}/pattern`,
            CONTRACT_PROBLEM_CODES.invalidRegex,
            'not a valid regular expression (JSON Schema patterns are ECMAScript with the "u" flag)',
          ),
        );
      } else unsafe(`${at}/pattern`, node.pattern, columnAt(at));
    }
    if (isPlainObject(node.patternProperties)) {
      for (const name of Object.keys(node.patternProperties)) {
        const path = `${at}/patternProperties/${escapePointerSegment(name)}`;
        if (isValidRegex(name)) {
          unsafe(path, name, undefined);
          continue;
        }
        problems.push(
          problem(
            path,
            CONTRACT_PROBLEM_CODES.invalidRegex,
            'this property-name pattern is not a valid regular expression (ECMAScript with the "u" flag)',
          ),
        );
      }
    }
  }
  return problems;
}

interface MetaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** The keyword a meta-schema error is about: the last segment of its path ("/properties/a/type" → "type"). */
function keywordAt(instancePath: string): string {
  const last = instancePath.split('/').pop() ?? '';
  return last.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** How preferable an error is as THE description of its place: an enum lists the allowed values. */
const META_PREFERENCE = ['enum', 'const', 'type', 'minimum', 'exclusiveMinimum', 'uniqueItems', 'minItems'];

/**
 * One problem per place the meta-schema refused, described from the meta-schema's keyword and
 * params (schema-derived: allowed values, limits), never from the contract's own value.
 */
function metaSchemaProblems(errors: readonly MetaError[], subject: ContractSubject): FormatProblem[] {
  const byPlace = new Map<string, MetaError[]>();
  for (const error of errors)
    byPlace.set(error.instancePath, [...(byPlace.get(error.instancePath) ?? []), error]);
  const problems: FormatProblem[] = [];
  for (const [at, placed] of byPlace) {
    const rank = (e: MetaError) => {
      const i = META_PREFERENCE.indexOf(e.keyword);
      return i === -1 ? META_PREFERENCE.length : i;
    };
    const best = [...placed].sort((a, b) => rank(a) - rank(b))[0] as MetaError;
    const name = at === '' ? `the ${subject}` : `"${keywordAt(at)}"`;
    let message: string;
    switch (best.keyword) {
      case 'enum':
        message = `${name} must be one of: ${(best.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'type':
        message = `${name} must be ${String(best.params.type)
          .split(',')
          .map((t) => TYPE_NAMES[t] ?? t)
          .join(' or ')}`;
        break;
      case 'minimum':
        message = `${name} must be at least ${String(best.params.limit)}`;
        break;
      case 'uniqueItems':
        message = `${name} lists the same entry twice`;
        break;
      case 'minItems':
        message = `${name} needs at least ${String(best.params.limit)} entries`;
        break;
      default:
        message = `${name} is not valid JSON Schema here (meta-schema keyword "${best.keyword}")`;
    }
    problems.push(problem(at, CONTRACT_PROBLEM_CODES.invalidSchema, message));
  }
  return problems;
}

/** Where the first subschema using `keyword` is, or "" when none is found. */
function locateKeyword(schema: unknown, keyword: string): string {
  const hit = subschemas(schema).find(({ node }) => Object.hasOwn(node, keyword));
  return hit ? `${hit.at}/${escapePointerSegment(keyword)}` : '';
}

/** Where the `$ref` is whose (resolved) target ajv could not find, or "" when none matches. */
function locateRef(schema: unknown, missingRef: string): { at: string; local: boolean } {
  for (const { at, node } of subschemas(schema)) {
    const ref = node.$ref;
    if (typeof ref === 'string' && (ref === missingRef || missingRef.endsWith(ref)))
      return { at: `${at}/$ref`, local: ref.startsWith('#') };
  }
  return { at: '', local: false };
}

/** A pointer from ajv's `#/properties/a` schema path; null when `text` holds none. */
function schemaPathIn(text: string): string | null {
  const match = /at path "#([^"]*)"/.exec(text);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1] as string); // a URI fragment: "date~1of%20birth"
  } catch {
    return null;
  }
}

/** The problem for an exception ajv threw while compiling (ajv stops at the first one). */
function compileProblem(schema: unknown, error: unknown, subject: ContractSubject): FormatProblem {
  const selfContained = `"$ref" points outside this ${subject}: ${subject === 'contract' ? 'a column contract' : 'a target schema'} must be self-contained (refer to its own "$defs")`;
  const text = error instanceof Error ? error.message : '';
  if (error instanceof Error && typeof (error as { missingRef?: unknown }).missingRef === 'string') {
    const { at, local } = locateRef(schema, (error as unknown as { missingRef: string }).missingRef);
    return problem(
      at,
      CONTRACT_PROBLEM_CODES.unresolvedRef,
      local ? `"$ref" points to nothing in this ${subject}` : selfContained,
    );
  }
  const keyword = /^strict mode: unknown keyword: "([^"]+)"/.exec(text);
  if (keyword) {
    return problem(
      locateKeyword(schema, keyword[1] as string),
      CONTRACT_PROBLEM_CODES.unknownKeyword,
      `not a JSON Schema keyword (check its spelling): it would be ignored, so the ${subject} would check less than it says`,
    );
  }
  if (/^unknown format /.test(text)) {
    const at = schemaPathIn(text);
    return problem(
      at === null ? '' : `${at}/format`,
      CONTRACT_PROBLEM_CODES.unknownFormat,
      'unknown "format": use one of JSON Schema\'s formats (e.g. "date", "date-time", "email", "uri")',
    );
  }
  // any other strict-mode refusal names its place ("… at \"#/then\""): say where and what
  const strict = /^strict mode: (.+?)(?: at "#([^"]*)")?(?: \((\w+)\))?$/.exec(text);
  if (strict) {
    const at = strict[2] === undefined ? '' : schemaPathIn(`at path "#${strict[2]}"`);
    return problem(
      at ?? '',
      CONTRACT_PROBLEM_CODES.doesNotCompile,
      `refused by strict checking (${strict[3] ?? 'strict'}): ${strict[1]}`,
    );
  }
  // ajv fails in other ways on some references it cannot follow (e.g. relative to a URN `$id`)
  const external = subschemas(schema).find(
    ({ node }) => typeof node.$ref === 'string' && !node.$ref.startsWith('#'),
  );
  if (external) {
    return problem(`${external.at}/$ref`, CONTRACT_PROBLEM_CODES.unresolvedRef, selfContained);
  }
  // the nesting is counted before (MAX_CONTRACT_NESTING); a caller already deep in its own stack
  // can still run out of it below that
  if (error instanceof RangeError) return tooDeepProblem(subject);
  const kind = error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : 'Error';
  return problem('', CONTRACT_PROBLEM_CODES.doesNotCompile, `the ${subject} does not compile (${kind})`);
}

/**
 * Deepest nesting of objects and lists accepted in a contract or target schema, its own object
 * being level 1. The meta-schema check and ajv's compiler recurse into every level and exhaust the
 * call stack some hundreds of levels down (450–500 in Node on code not yet optimized), after
 * seconds of work at tens of thousands of levels; real contracts stay under 20. Counted first, so
 * a runaway contract is refused at once, the same way whatever stack the caller has left.
 */
export const MAX_CONTRACT_NESTING = 256;

function tooDeepProblem(subject: ContractSubject): FormatProblem {
  return problem(
    '',
    CONTRACT_PROBLEM_CODES.doesNotCompile,
    `the ${subject} is nested too deeply to check: flatten it (move repeated parts into "$defs")`,
  );
}

/** Whether `value` nests objects and lists more than `max` levels deep. Iterative: cannot overflow. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as object;
    const depth = depths.pop() as number;
    if (depth > max) return true;
    for (const item of Array.isArray(node) ? node : Object.values(node)) {
      if (item !== null && typeof item === 'object') {
        nodes.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * Each draft's meta-schema check, precompiled at build time (`npm run formats`,
 * formats/metaSchemaCodegen.ts) from an instance made with the options below: ajv's own
 * `validateSchema` compiles the meta-schema first, tens of ms of CPU on every CLI start
 * (tests/bench/RESULTS.md).
 */
const META_SCHEMA_CHECKS: Readonly<Record<ContractDialect, MetaSchemaCheck>> = {
  'draft-07': checkDraft07,
  '2019-09': checkDraft201909,
  '2020-12': checkDraft202012,
};

function createAjv(dialect: ContractDialect, subject: ContractSubject): Ajv {
  const options = {
    ...CONTRACT_AJV_OPTIONS,
    // the contract is checked against its meta-schema before it is compiled, by the precompiled
    // check (META_SCHEMA_CHECKS), or not again (CompileContractOptions.checked): ajv would
    // compile the meta-schema to do it
    validateSchema: false,
    // a target schema describes a whole record, written by its vendor: "required" inside
    // if/then, allOf or dependentSchemas names properties defined elsewhere, which is valid
    ...(subject === 'target schema' ? { strictRequired: false } : {}),
  };
  const ajv =
    dialect === '2020-12'
      ? new Ajv2020(options)
      : dialect === '2019-09'
        ? new Ajv2019(options)
        : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

/**
 * Compiles a column contract with ajv (and ajv-formats) in the draft its `$schema` names
 * (2020-12 when absent). On failure, returns problems with JSON Pointers into the contract:
 * every meta-schema violation and every invalid regular expression at once; otherwise the first
 * error ajv's compiler stops at (an unresolvable `$ref`, an unknown keyword or format).
 * Node only (see the file header). Never throws.
 */
export function compileColumnContract(
  contract: Readonly<Record<string, unknown>>,
  options: CompileContractOptions = {},
): ContractCompileResult {
  const subject = options.subject ?? 'contract';
  const dialect = contractDialect(contract);
  if (dialect === null) {
    return {
      ok: false,
      dialect,
      problems: [
        problem(
          '/$schema',
          CONTRACT_PROBLEM_CODES.unsupportedDraft,
          `not a JSON Schema draft Preflight supports: use ${Object.values(DIALECT_URIS).join(', ')}`,
        ),
      ],
    };
  }
  if (nestsDeeperThan(contract, MAX_CONTRACT_NESTING)) {
    return { ok: false, dialect, problems: [tooDeepProblem(subject)] };
  }
  // ajv looks the meta-schema up by the exact `$schema` text: use its own spelling of the draft
  const schema = contract.$schema === undefined ? contract : { ...contract, $schema: DIALECT_URIS[dialect] };
  const ajv = createAjv(dialect, subject);
  if (!options.checked) {
    const check = META_SCHEMA_CHECKS[dialect];
    let metaValid: boolean;
    try {
      metaValid = check(schema);
    } catch (error) {
      // the precompiled check recurses into subschemas: a caller with little stack left can
      // overflow it (RangeError) even below MAX_CONTRACT_NESTING
      return { ok: false, dialect, problems: [compileProblem(schema, error, subject)] };
    }
    if (!metaValid)
      return {
        ok: false,
        dialect,
        problems: metaSchemaProblems((check.errors ?? []) as MetaError[], subject),
      };
    const regexes = regexProblems(schema, options.regexChecker);
    if (regexes.length > 0) return { ok: false, dialect, problems: regexes };
  }
  try {
    return { ok: true, dialect, validate: ajv.compile(schema) as RowValidator };
  } catch (error) {
    return { ok: false, dialect, problems: [compileProblem(schema, error, subject)] };
  }
}
