/**
 * What a target JSON Schema (the user's, or one converted from a Frictionless Table Schema)
 * expects of a mapping: the fields the editor offers, the required ones the mapping leaves
 * unmapped, and the mapping's targets the schema does not declare (most often a typo).
 *
 * Reading a schema without compiling it (no ajv, no generated code): runs in the page under its
 * strict CSP. What it understands, and what it does not:
 * - `properties`, `required`, `items` (a schema; draft-07 tuple `items` and `prefixItems` by
 *   position), `additionalProperties: false`, `patternProperties` (a name matching one
 *   is declared), local `$ref`s (`#/$defs/…`, `#/definitions/…`, any JSON Pointer into the schema)
 *   and `allOf` (members' properties and required lists are merged).
 * - `anyOf`, `oneOf`, `if`/`then`, `dependentRequired` are not followed: which branch applies
 *   depends on the data, so their requirements are left to validation of the records.
 * - A required list must get an item from the mapping (reported at position `[0]`): mapped
 *   records never hold empty lists, so an unfilled required list is always missing. A required
 *   field inside a list item is required in each item the mapping fills.
 * - Schemas may be recursive (FHIR's are): walks follow the mapping's own paths, or are bounded
 *   when listing fields (see {@link listTargetFields}).
 */
import { isPlainObject } from '../../formats/loading.ts';
import type { Mapping } from '../../formats/mapping.ts';
import { parseTargetPath } from './targetPath.ts';

type Schema = Record<string, unknown>;

/** How deep {@link listTargetFields} goes into nested objects and lists. */
export const MAX_LIST_DEPTH = 6;
/** The most fields {@link listTargetFields} lists (a FHIR resource's schema has far more paths). */
export const MAX_LISTED_FIELDS = 2000;
/** Longest chain of `$ref`s followed from one place (a longer one is a loop). */
const MAX_REF_HOPS = 32;

/** A field the target schema declares. */
export interface TargetField {
  /** dotted path; `[]` stands for "each item of the list", e.g. `name[].family` */
  path: string;
  /** required in its parent (the record, an object, or each list item) */
  required: boolean;
  /** the schema's `type`, when it states one */
  type?: string | string[];
  /** the schema's `description` or `title`, for the editor */
  description?: string;
}

/** What {@link checkTargetCoverage} found. */
export interface TargetCoverage {
  /** required target paths no mapping field fills (concrete positions, e.g. `name[0].family`) */
  unmappedRequired: string[];
  /** mapping targets the schema does not declare where it lists its fields */
  undeclaredTargets: string[];
}

function decodePointerSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Follows local `$ref`s; an unresolvable or looping reference reads as an open schema `{}`. */
function resolve(root: Schema, node: unknown): Schema {
  let current = node;
  for (let hop = 0; hop < MAX_REF_HOPS; hop++) {
    if (!isPlainObject(current)) return {};
    const ref = current.$ref;
    if (typeof ref !== 'string') return current;
    if (!ref.startsWith('#')) return {};
    let target: unknown = root;
    const pointer = ref.slice(1);
    if (pointer !== '') {
      if (!pointer.startsWith('/')) return {};
      for (const raw of pointer.slice(1).split('/')) {
        const segment = decodePointerSegment(raw);
        target = Array.isArray(target)
          ? target[Number(segment)]
          : isPlainObject(target) && Object.hasOwn(target, segment)
            ? target[segment]
            : undefined;
      }
    }
    // a $ref beside other keywords (2019-09+): those keywords stay, merged over the target
    const { $ref: _ignored, ...siblings } = current;
    current = isPlainObject(target) ? { ...target, ...siblings } : {};
  }
  return {};
}

interface View {
  properties: Map<string, unknown>;
  required: Set<string>;
  patterns: RegExp[];
  closed: boolean;
  items: unknown;
  tuple: unknown[] | undefined;
  type: string | string[] | undefined;
  description: string | undefined;
}

/** The parts of a (resolved) schema this module reads, with `allOf` members merged in. */
function view(root: Schema, node: unknown): View {
  const out: View = {
    properties: new Map(),
    required: new Set(),
    patterns: [],
    closed: false,
    items: undefined,
    tuple: undefined,
    type: undefined,
    description: undefined,
  };
  const pending: unknown[] = [node];
  for (let guard = 0; pending.length > 0 && guard < 256; guard++) {
    const schema = resolve(root, pending.shift());
    if (isPlainObject(schema.properties)) {
      for (const [name, sub] of Object.entries(schema.properties)) {
        if (!out.properties.has(name)) out.properties.set(name, sub);
      }
    }
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) if (typeof name === 'string') out.required.add(name);
    }
    if (isPlainObject(schema.patternProperties)) {
      for (const source of Object.keys(schema.patternProperties)) {
        try {
          out.patterns.push(new RegExp(source, 'u'));
        } catch {
          // an invalid pattern declares nothing; the contract check reports it
        }
      }
    }
    if (schema.additionalProperties === false) out.closed = true;
    if (Array.isArray(schema.prefixItems)) out.tuple = schema.prefixItems;
    if (Array.isArray(schema.items)) out.tuple = schema.items;
    else if (schema.items !== undefined && out.items === undefined) out.items = schema.items;
    if (typeof schema.type === 'string' || Array.isArray(schema.type))
      out.type ??= schema.type as string | string[];
    const text = typeof schema.description === 'string' ? schema.description : schema.title;
    if (typeof text === 'string') out.description ??= text;
    if (Array.isArray(schema.allOf)) pending.push(...schema.allOf);
  }
  return out;
}

function itemAt(v: View, index: number): unknown {
  return v.tuple !== undefined && index < v.tuple.length ? v.tuple[index] : v.items;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Where the record's schema starts inside a larger schema document. */
interface TargetSchemaOptions {
  /**
   * A local reference to the record's schema, e.g. `#/definitions/Patient` in FHIR's
   * fhir.schema.json (whose root is a `oneOf` over every resource type); default: the root.
   */
  start?: string;
}

function startOf(schema: Schema, options: TargetSchemaOptions): unknown {
  return options.start === undefined ? schema : { $ref: options.start };
}

/**
 * Every field `schema` declares, depth-first in declaration order, for the editor's target list.
 * Bounded for large recursive schemas (FHIR's): at most {@link MAX_LIST_DEPTH} levels, a `$ref`
 * already being expanded on the way down is listed but not expanded again, and the list stops at
 * {@link MAX_LISTED_FIELDS} entries (`truncated` says so).
 */
export function listTargetFields(
  schema: unknown,
  options: TargetSchemaOptions = {},
): { fields: TargetField[]; truncated: boolean } {
  const fields: TargetField[] = [];
  if (!isPlainObject(schema)) return { fields, truncated: false };
  let truncated = false;
  const refOf = (node: unknown) =>
    isPlainObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
  const visit = (node: unknown, path: string, depth: number, refs: readonly string[]) => {
    if (depth >= MAX_LIST_DEPTH || truncated) return;
    const ref = refOf(node);
    if (ref !== undefined && refs.includes(ref)) return;
    const onPath = ref === undefined ? refs : [...refs, ref];
    const v = view(schema, node);
    for (const [name, sub] of v.properties) {
      if (fields.length >= MAX_LISTED_FIELDS) {
        truncated = true;
        return;
      }
      const childPath = join(path, name);
      const child = view(schema, sub);
      fields.push({
        path: childPath,
        required: v.required.has(name),
        ...(child.type !== undefined ? { type: child.type } : {}),
        ...(child.description !== undefined ? { description: child.description } : {}),
      });
      visit(sub, childPath, depth + 1, onPath);
      const item = itemAt(child, 0);
      if (item !== undefined) visit(item, `${childPath}[]`, depth + 1, onPath);
    }
  };
  visit(startOf(schema, options), '', 0, []);
  return { fields, truncated };
}

/** The mapping's targets as the set of every concrete prefix ("name", "name[0]", "name[0].given"). */
function filledPrefixes(targets: readonly string[]): Set<string> {
  const prefixes = new Set<string>();
  for (const target of targets) {
    const segments = parseTargetPath(target);
    if (typeof segments === 'string') continue;
    let path = '';
    for (const segment of segments) {
      path = segment.kind === 'index' ? `${path}[${segment.index}]` : join(path, segment.name);
      prefixes.add(path);
    }
  }
  return prefixes;
}

/**
 * Compares a mapping's targets with a target JSON Schema: required fields left unmapped (in the
 * record, and inside each list item and object the mapping fills) and targets the schema does not
 * declare. Reads the schema only (see the file header); never throws.
 */
export function checkTargetCoverage(
  mapping: Pick<Mapping, 'fields'>,
  schema: unknown,
  options: TargetSchemaOptions = {},
): TargetCoverage {
  const coverage: TargetCoverage = { unmappedRequired: [], undeclaredTargets: [] };
  if (!isPlainObject(schema)) return coverage;
  const targets = mapping.fields.map((field) => field.target);
  const filled = filledPrefixes(targets);
  /** list positions the mapping fills under each list path */
  const positions = new Map<string, number[]>();
  for (const prefix of filled) {
    const match = /^(.*)\[(\d+)\]$/.exec(prefix);
    if (!match) continue;
    const list = positions.get(match[1] as string) ?? [];
    list.push(Number(match[2]));
    positions.set(match[1] as string, list);
  }

  const walk = (node: unknown, path: string) => {
    const v = view(schema, node);
    for (const name of v.required) {
      if (!filled.has(join(path, name))) {
        const child = view(schema, v.properties.get(name));
        const isList = child.items !== undefined || child.tuple !== undefined || child.type === 'array';
        coverage.unmappedRequired.push(isList ? `${join(path, name)}[0]` : join(path, name));
      }
    }
    for (const [name, sub] of v.properties) {
      const childPath = join(path, name);
      if (!filled.has(childPath)) continue;
      walk(sub, childPath);
      const child = view(schema, sub);
      const used = positions.get(childPath) ?? [];
      for (const index of [...used].sort((a, b) => a - b)) {
        const item = itemAt(child, index);
        if (item !== undefined) walk(item, `${childPath}[${index}]`);
      }
      const isList = child.items !== undefined || child.tuple !== undefined || child.type === 'array';
      if (used.length === 0 && isList && v.required.has(name)) {
        coverage.unmappedRequired.push(`${childPath}[0]`);
      }
    }
  };
  const start = startOf(schema, options);
  walk(start, '');

  for (const target of targets) {
    const segments = parseTargetPath(target);
    if (typeof segments === 'string') continue;
    let node: unknown = start;
    for (const segment of segments) {
      const v = view(schema, node);
      if (segment.kind === 'index') {
        node = itemAt(v, segment.index);
        if (node === undefined) break; // no items schema: open
        continue;
      }
      if (v.properties.has(segment.name)) {
        node = v.properties.get(segment.name);
        continue;
      }
      const declaredByPattern = v.patterns.some((pattern) => pattern.test(segment.name));
      if (!declaredByPattern && (v.properties.size > 0 || v.closed)) coverage.undeclaredTargets.push(target);
      break;
    }
  }
  return coverage;
}
