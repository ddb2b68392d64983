/**
 * What every check shares: the loaded profiles (compiled once each), the report that says which
 * profile said what (and folds a second profile saying the same under the first), the root-cause
 * machinery that reports a value's errors against a profile checked in a scratch sink where the
 * value is, and the per-checker caches. The walk itself (walk.ts) is handed in, so that a check
 * can check a value against another profile (a slice's, a type's, a reference target's).
 */

import { type FhirIssue, IssueSink, issueKey } from '../../fhir/index.ts';
import { type CompiledProfile, compileProfile, type ElementNode } from '../compile.ts';
import { generateSnapshot, SnapshotError } from '../snapshot.ts';
import type { StructureDefinition } from '../types.ts';
import { createValueSetExpander } from '../valueSets.ts';
import { shippedCodeSystems } from './codeSystems.ts';
import { CORE_SD, isObject } from './items.ts';
import type { CheckerEngine, Context, Item, ProfileCheckerOptions } from './types.ts';

/** The walk the engine's checks call back into (walk.ts). */
export interface Walk {
  checkItem(engine: CheckerEngine, p: CompiledProfile, node: ElementNode, item: Item, ctx: Context): void;
  checkResource(
    engine: CheckerEngine,
    p: CompiledProfile,
    resource: Record<string, unknown>,
    location: string,
    ctx: Context,
  ): void;
}

/** Creates the engine of one checker over the loaded packages. */
export function createEngine(options: ProfileCheckerOptions, walk: Walk): CheckerEngine {
  const { registry, digest } = options;
  const compiled = new Map<string, CompiledProfile | null>();
  const unusable = new Map<string, string>();
  const baseTypeSds = new Set(
    Object.keys(digest.types)
      .filter((name) => !name.includes('.'))
      .map((name) => `${CORE_SD}${name}`),
  );
  for (const name of ['Element', 'BackboneElement', 'Resource', 'DomainResource', 'Extension', 'Base'])
    baseTypeSds.add(`${CORE_SD}${name}`);
  /** per value checked against a profile in a scratch sink: its errors there (none: it conforms) */
  const conformance = new WeakMap<object, Map<string, FhirIssue[]>>();
  const caches = new Map<string, Map<unknown, unknown>>();

  const profile = (canonical: string): CompiledProfile | null => {
    const key = canonical;
    const known = compiled.get(key);
    if (known !== undefined) return known;
    let sd: StructureDefinition | undefined = registry.structureDefinition(canonical);
    let result: CompiledProfile | null = null;
    if (sd) {
      try {
        if (!sd.snapshot?.element?.length) sd = generateSnapshot(sd, registry.snapshotBase);
        result = compileProfile(sd);
      } catch (error) {
        if (!(error instanceof SnapshotError)) throw error;
        unusable.set(canonical, error.message);
        result = null;
      }
    }
    compiled.set(key, result);
    return result;
  };

  /**
   * The text and profile of each error this checker reported, to report it again elsewhere
   * (explain: only errors are reported again, so notes and warnings are not kept).
   */
  const partsOf = new WeakMap<FhirIssue, { text: string; label: string }>();
  /**
   * Per sink, the first issue of each rule, location and text (or its key): a second profile
   * saying it follows. The issue is kept, its key made only when a second profile says it.
   */
  const firstOf = new WeakMap<IssueSink, Map<string, FhirIssue | string>>();
  const keyOf = (first: FhirIssue | string): string => (typeof first === 'string' ? first : issueKey(first));

  /**
   * Reports `text` of profile `p`. The same rule, location and text from a second profile (a
   * profile and the profile it derives from, both claimed) follows from the first.
   */
  const report = (
    ctx: Context,
    p: CompiledProfile,
    ruleId: string,
    location: string,
    text: string,
    value?: unknown,
    causedBy?: string,
    uncheckedCodes?: string[],
  ): void => {
    const textKey = `${ruleId}|${location}|${text}`;
    const first = firstOf.get(ctx.sink)?.get(textKey);
    const issue = ctx.sink.report(
      ruleId,
      location,
      `${text} (${p.label}${ctx.via})`,
      value,
      `${textKey} (${p.label})`,
      causedBy ?? (first === undefined ? undefined : keyOf(first)),
    );
    if (!issue) return;
    issue.profile = profileRef(p);
    if (uncheckedCodes) issue.uncheckedCodes = uncheckedCodes;
    if (issue.severity === 'error' || issue.severity === 'fatal')
      partsOf.set(issue, { text, label: p.label });
    remember(ctx.sink, textKey, issue);
  };

  /** A profile as its issues name it (`url|version`, or its url), made once per profile. */
  const profileRefs = new WeakMap<CompiledProfile, string>();
  const profileRef = (p: CompiledProfile): string => {
    let ref = profileRefs.get(p);
    if (ref === undefined) {
      ref = p.sd.version ? `${p.sd.url}|${p.sd.version}` : p.sd.url;
      profileRefs.set(p, ref);
    }
    return ref;
  };

  const remember = (sink: IssueSink, textKey: string, key: FhirIssue | string): void => {
    let first = firstOf.get(sink);
    if (!first) {
      first = new Map();
      firstOf.set(sink, first);
    }
    if (!first.has(textKey)) first.set(textKey, key);
  };

  /**
   * Reports again, into `ctx.sink`, the errors a value had against a profile it was checked
   * against in a scratch sink (a slice's or a reference target's profile), at the value's real
   * location (`at`) and saying why that profile applied (`via`). Returns the key of the first
   * root cause among them (an error that follows from no other), or undefined when there is none.
   */
  const explain = (
    errors: readonly FhirIssue[],
    at: string,
    via: string,
    ctx: Context,
  ): string | undefined => {
    const renamed = new Map<string, string>();
    let root: string | undefined;
    for (const issue of errors) {
      const location =
        issue.location === 'resource'
          ? at
          : issue.location.startsWith('resource.') || issue.location.startsWith('resource[')
            ? `${at}${issue.location.slice('resource'.length)}`
            : issue.location;
      // a base layer already found this place in error: that error is the root cause
      const there = ctx.sink.hasErrorAt(location)
        ? ctx.sink.issues.find(
            (i) => i.location === location && (i.severity === 'error' || i.severity === 'fatal'),
          )
        : undefined;
      if (there) {
        const key = issueKey(there);
        renamed.set(issueKey(issue), key);
        if (root === undefined && issue.causedBy === undefined) root = key;
        continue;
      }
      const parts = partsOf.get(issue);
      const causedBy =
        issue.causedBy === undefined ? undefined : (renamed.get(issue.causedBy) ?? issue.causedBy);
      let key: string;
      if (parts) {
        // an issue of another resource (a reference's target) keeps its own words
        const message =
          location === issue.location ? issue.message : `${parts.text} (${parts.label}${via}${ctx.via})`;
        const again = ctx.sink.report(
          issue.rule,
          location,
          message,
          issue.value,
          `${issue.rule}|${location}|${parts.text} (${parts.label})`,
          causedBy,
        );
        const textKey = `${issue.rule}|${location}|${parts.text}`;
        if (again) {
          if (issue.profile !== undefined) again.profile = issue.profile;
          partsOf.set(again, parts);
          key = issueKey(again);
          remember(ctx.sink, textKey, key);
        } else {
          const first = firstOf.get(ctx.sink)?.get(textKey);
          key = first === undefined ? issueKey({ rule: issue.rule, location, message }) : keyOf(first);
        }
      } else {
        const again = ctx.sink.report(issue.rule, location, issue.message, issue.value, undefined, causedBy);
        if (again && issue.profile !== undefined) again.profile = issue.profile;
        key = issueKey(again ?? { rule: issue.rule, location, message: issue.message });
      }
      renamed.set(issueKey(issue), key);
      if (root === undefined && causedBy === undefined) root = key;
    }
    return root;
  };

  /**
   * Whether an element that is absent can still be reported: a minimum the profile raises, a
   * must-support of a resource profile, or slices (a slice's minimum). Worked out once per element.
   */
  const absentChecks = new WeakMap<ElementNode, boolean>();
  const absentMatters = (p: CompiledProfile, node: ElementNode): boolean => {
    let known = absentChecks.get(node);
    if (known === undefined) {
      known =
        (node.min > 0 && node.min > node.baseMin) ||
        (node.def.mustSupport === true && node.min === 0 && p.sd.kind === 'resource') ||
        node.slices.length > 0;
      absentChecks.set(node, known);
    }
    return known;
  };

  /** The errors of a value against a profile, checked at `resource` in a scratch sink (cached). */
  const errorsAgainst = (
    target: CompiledProfile,
    value: Record<string, unknown>,
    ctx: Context,
  ): FhirIssue[] => {
    let byUrl = conformance.get(value);
    if (!byUrl) {
      byUrl = new Map();
      conformance.set(value, byUrl);
    }
    const known = byUrl.get(target.sd.url);
    if (known !== undefined) return known;
    const scratch = new IssueSink(ctx.sink.layers);
    const inScratch: Context = { ...ctx, sink: scratch, via: '', checked: new WeakMap() };
    // a datatype or extension profile (a `profile` discriminator on an Extension or Identifier)
    if (target.sd.kind !== 'resource' && typeof value.resourceType !== 'string')
      walk.checkItem(engine, target, target.root, { value, loc: 'resource' }, inScratch);
    else walk.checkResource(engine, target, value, 'resource', { ...inScratch, resource: value });
    const errors = scratch.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    byUrl.set(target.sd.url, errors);
    return errors;
  };

  const conforms = (target: CompiledProfile, value: Record<string, unknown>, ctx: Context): boolean =>
    errorsAgainst(target, value, ctx).length === 0;

  /** Contained resources by id, for `#id` references (one map per list). */
  const containedMaps = new WeakMap<readonly unknown[], Map<string, Record<string, unknown>>>();
  const containedOf = (list: readonly unknown[]): Map<string, Record<string, unknown>> => {
    let byId = containedMaps.get(list);
    if (byId) return byId;
    byId = new Map<string, Record<string, unknown>>();
    for (const c of list) if (isObject(c) && typeof c.id === 'string') byId.set(c.id, c);
    containedMaps.set(list, byId);
    return byId;
  };

  const engine: CheckerEngine = {
    options,
    registry,
    digest,
    expand: createValueSetExpander(registry, digest),
    shipped: shippedCodeSystems(registry),
    baseTypeSds,
    resourceTypes: new Set<string>(digest.resourceTypes),
    unusable,
    // the profiles asked for, and those a loaded guide declares global (ImplementationGuide.global)
    extraProfiles: [
      ...new Set([
        ...(options.profiles ?? []),
        ...registry.packages.flatMap((pkg) => (pkg.globalProfiles ?? []).map((g) => g.profile)),
      ]),
    ],
    profile,
    report,
    explain,
    errorsAgainst,
    conforms,
    absentMatters,
    containedOf,
    checkItem: (p, node, item, ctx) => walk.checkItem(engine, p, node, item, ctx),
    checkResource: (p, resource, location, ctx) => walk.checkResource(engine, p, resource, location, ctx),
    cache<K, V>(name: string): Map<K, V> {
      let cache = caches.get(name);
      if (!cache) {
        cache = new Map();
        caches.set(name, cache);
      }
      return cache as Map<K, V>;
    },
  };
  return engine;
}
