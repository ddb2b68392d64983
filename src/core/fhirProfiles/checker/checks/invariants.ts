/**
 * Invariants: the profile's own constraints (those the base layers do not run), on every value of
 * their element. Invariants of the simple kind (`x.exists() or y.exists()`, `status='final'
 * implies …`) are answered on the JSON, as the base layer answers them; the others go to the
 * FHIRPath engine, once it is loaded (MissingFhirPathError until then). An empty result fails, as
 * in FHIRPath run the Java validator's way.
 */

import {
  type CompiledFhirPath,
  compileSimpleInvariant,
  MissingFhirPathError,
  NOT_BY_FHIRPATH,
  type SimpleInvariant,
  type TypeElements,
  UNKNOWN,
} from '../../../fhir/index.ts';
import type { CompiledProfile, ElementNode } from '../../compile.ts';
import type { Constraint } from '../../types.ts';
import { bare, typedPath } from '../items.ts';
import type { CheckerEngine, Context, Item, ItemCheck } from '../types.ts';

/**
 * Published invariant expressions that say other than their text, run as the HL7 Java validator
 * runs them. vitalsigns' vs-1 ("if effective[x] is dateTime and has a value then that value shall
 * be precise to the day") is empty, so failing, on an effectivePeriod.
 */
const CORRECTED_EXPRESSIONS: Readonly<Record<string, string>> = {
  '($this as dateTime).toString().length() >= 8': '$this is dateTime implies $this.toString().length() >= 10',
};
/** Base invariants the R4 validator enforces natively or deliberately skips (src/core/fhir/README.md). */
const NATIVE_BASE_KEYS = [
  'ele-1',
  'ext-1',
  'dom-2',
  'dom-3',
  'dom-4',
  'dom-5',
  'dom-6',
  'bdl-3',
  'bdl-4',
  'bdl-7',
  'per-1',
];

/** The keys of the invariants the base layers run (worked out once per checker). */
function baseKeysOf(engine: CheckerEngine): Set<string> {
  const cache = engine.cache<'keys', Set<string>>('base-invariant-keys');
  let keys = cache.get('keys');
  if (!keys) {
    keys = new Set([...NATIVE_BASE_KEYS, ...NOT_BY_FHIRPATH]);
    for (const list of Object.values(engine.digest.invariants)) for (const inv of list) keys.add(inv.key);
    cache.set('keys', keys);
  }
  return keys;
}

/** Each element's own constraints (those the base layers do not run), worked out once. */
function ownOf(engine: CheckerEngine, node: ElementNode): Constraint[] {
  const cache = engine.cache<ElementNode, Constraint[]>('own-constraints');
  let own = cache.get(node);
  if (!own) {
    const baseKeys = baseKeysOf(engine);
    own = (node.def.constraint ?? []).filter((c) => {
      if (!c.expression) return false;
      if (c.source) return !engine.baseTypeSds.has(bare(c.source));
      return !baseKeys.has(c.key);
    });
    cache.set(node, own);
  }
  return own;
}

/** Simple invariants answered on the JSON, compiled once per expression. */
function simpleOf(engine: CheckerEngine, expression: string): SimpleInvariant | null {
  const cache = engine.cache<string, SimpleInvariant | null>('simple-invariants');
  let simple = cache.get(expression);
  if (simple === undefined) {
    const typeElements: TypeElements = (typeName) => engine.digest.types[typeName]?.elements;
    simple = compileSimpleInvariant(expression, typeElements) ?? null;
    cache.set(expression, simple);
  }
  return simple;
}

/** The digest's type of an item at an element: a backbone's is its path. */
function typeAt(p: CompiledProfile, node: ElementNode, item: Item): string | undefined {
  if (node === p.root) return p.sd.type;
  if (item.type !== undefined) return item.type;
  if (node.types.length !== 1) return undefined;
  const type = node.types[0] as string;
  return type === 'BackboneElement' || type === 'Element' ? node.path : type;
}

/**
 * The path FHIRPath types a value from: inside a nested resource (a contained one), from that
 * resource's own type (`Practitioner.name`, not `Patient.contained.name`, which it cannot type).
 */
function basePath(path: string, ctx: Context): string {
  const at = ctx.resourcePath;
  const type = ctx.resource.resourceType;
  if (at === undefined || typeof type !== 'string' || !path.startsWith(`${at}.`)) return path;
  return `${type}${path.slice(at.length)}`;
}

/** An expression run by FHIRPath, compiled once per base and expression; undefined when it cannot run. */
function evaluate(
  engine: CheckerEngine,
  base: string,
  expression: string,
  node: unknown,
  ctx: Context,
): boolean | undefined {
  const compiledPaths = engine.cache<string, CompiledFhirPath | null>('fhirpath');
  const cacheKey = `${base}|${expression}`;
  let run = compiledPaths.get(cacheKey);
  if (run === undefined) {
    const fhirPath = engine.options.fhirPath?.();
    if (!engine.options.fhirPath) return undefined;
    if (!fhirPath) throw new MissingFhirPathError();
    run = fhirPath.compile(base, expression) ?? null;
    compiledPaths.set(cacheKey, run);
  }
  if (run === null) return undefined;
  try {
    const result = run(node, { resource: ctx.resource, rootResource: ctx.rootResource ?? ctx.resource });
    return result.length === 1 && result[0] === true;
  } catch {
    return undefined;
  }
}

/** A value against its element's own invariants (see the file comment). */
export const invariantsCheck: ItemCheck = {
  id: 'invariants',
  scope: 'item',
  atRoot: true,
  describe: "a value meets the profile's own invariants (FHIRPath), errors and warnings by their severity",
  rules: ['fhir-profile-invariant', 'fhir-profile-invariant-warning'],
  applies: (engine, _p, node) => ownOf(engine, node).length > 0,
  check(engine, p, node, item, ctx) {
    if (!ctx.sink.layers.has('invariants')) return undefined;
    for (const c of ownOf(engine, node)) {
      const expression = CORRECTED_EXPRESSIONS[c.expression as string] ?? (c.expression as string);
      // an empty result fails, as in FHIRPath run the Java validator's way
      const simple = simpleOf(engine, expression)?.(item.value, typeAt(p, node, item), ctx.resource) ?? false;
      const holds =
        simple === UNKNOWN || simpleOf(engine, expression) === null
          ? evaluate(engine, basePath(typedPath(node.path, item.loc), ctx), expression, item.value, ctx)
          : simple;
      if (holds !== false) continue;
      const rule = c.severity === 'warning' ? 'fhir-profile-invariant-warning' : 'fhir-profile-invariant';
      engine.report(ctx, p, rule, item.loc, `${node.id}: ${c.key}: ${c.human}`);
    }
    return undefined;
  },
};
