/**
 * Offline value set expansion from the loaded packages: a value set's own `expansion` when it has
 * one, else its `compose` — enumerated concepts, whole code systems whose content is in a loaded
 * package (`content: complete`), `is-a` / `descendent-of` / `is-not-a` / `=` on `concept` over
 * such a code system's hierarchy, other value sets, and excludes of the same kinds. Value sets of
 * the base specification come from the validator's build-time expansion, and so do the codes of
 * its code systems that one of those takes whole (a package's "observation-status but
 * entered-in-error" expands offline). Anything else (LOINC,
 * SNOMED CT, filters on properties) needs a terminology server: the expansion then says which
 * part, and the binding is reported as not checked — never guessed.
 */
import { type FhirDigest, LARGE_CODE_SYSTEMS } from '../fhir/index.ts';
import type { ProfileRegistry } from './registry.ts';
import type { CodeSystemConcept, ExpansionContains, ValueSetInclude } from './types.ts';

/** Codes by system; or why the value set cannot be expanded offline. */
type Expansion = { ok: true; codes: Map<string, Set<string>> } | { ok: false; reason: string };

const MAX_DEPTH = 8;
/** The canonical base of the specification's own value sets. */
const SPEC_VALUE_SETS = 'http://hl7.org/fhir/ValueSet/';

function add(codes: Map<string, Set<string>>, system: string, code: string): void {
  let set = codes.get(system);
  if (!set) {
    set = new Set();
    codes.set(system, set);
  }
  set.add(code);
}

function flatten(contains: readonly ExpansionContains[], codes: Map<string, Set<string>>): void {
  for (const item of contains) {
    if (item.system && item.code) add(codes, item.system, item.code);
    if (item.contains) flatten(item.contains, codes);
  }
}

/** Codes of a concept tree: the concept and all below it (`is-a`), or only below (`descendent-of`). */
function subsumed(concepts: readonly CodeSystemConcept[], code: string, self: boolean): string[] | undefined {
  for (const concept of concepts) {
    if (concept.code === code) {
      const out: string[] = self ? [code] : [];
      const walk = (list: readonly CodeSystemConcept[] | undefined) => {
        for (const c of list ?? []) {
          out.push(c.code);
          walk(c.concept);
        }
      };
      walk(concept.concept);
      return out;
    }
    const below = subsumed(concept.concept ?? [], code, self);
    if (below) return below;
  }
  return undefined;
}

function allCodes(concepts: readonly CodeSystemConcept[], out: string[] = []): string[] {
  for (const c of concepts) {
    out.push(c.code);
    allCodes(c.concept ?? [], out);
  }
  return out;
}

/**
 * The codes of a specification code system (flat codes and child → parent, from the validator's
 * build) that `concept` filters select; undefined for any other filter.
 */
function coreFiltered(
  codes: readonly string[],
  parents: Readonly<Record<string, string>>,
  filters: NonNullable<ValueSetInclude['filter']>,
): string[] | undefined {
  const isA = (code: string, ancestor: string, self: boolean): boolean => {
    let at: string | undefined = self ? code : parents[code];
    for (let depth = 0; at !== undefined && depth < 64; depth++) {
      if (at === ancestor) return true;
      at = parents[at];
    }
    return false;
  };
  let selected = [...codes];
  for (const { property, op, value } of filters) {
    if (property === 'concept' && (op === 'is-a' || op === 'descendent-of'))
      selected = selected.filter((c) => isA(c, value, op === 'is-a'));
    else if (property === 'concept' && op === 'is-not-a')
      selected = selected.filter((c) => !isA(c, value, true));
    else if ((property === 'concept' || property === 'code') && op === '=')
      selected = selected.filter((c) => c === value);
    else return undefined;
  }
  return selected;
}

/** Why the codes of a code system are not known offline, and what would make them known. */
function missingCodeSystem(system: string): string {
  if (system.startsWith('http://hl7.org/fhir/') && !system.startsWith('http://hl7.org/fhir/sid/'))
    return `the code system ${system} is not loaded (load the hl7.fhir.r4.core package to check it)`;
  if (system.startsWith('http://terminology.hl7.org/'))
    return `the code system ${system} is not loaded (load the hl7.terminology.r4 package to check it)`;
  const known = LARGE_CODE_SYSTEMS[system];
  if (known)
    return `the code system ${known} (${system}) is not shipped in a package (licensed or large): a terminology server can check it`;
  return `the code system ${system} is not in a loaded package with its full content (a terminology server can check it)`;
}

/** Expands value sets over the loaded packages (cached). */
export function createValueSetExpander(
  registry: ProfileRegistry,
  digest: FhirDigest | undefined,
): (canonical: string) => Expansion {
  const cache = new Map<string, Expansion>();

  const systemCodes = (
    part: ValueSetInclude,
    system: string,
  ): { ok: true; codes: string[] } | { ok: false; reason: string } => {
    const cs = registry.codeSystem(part.version ? `${system}|${part.version}` : system);
    if (cs?.content !== 'complete' || !cs.concept) {
      // a code system of the specification, known whole from the validator's build
      const core = cs ? undefined : digest?.codeSystems?.[system];
      if (core && !part.filter?.length)
        return { ok: true, codes: part.concept ? part.concept.map((c) => c.code) : core };
      if (core) {
        const filtered = coreFiltered(core, digest?.codeSystemParents?.[system] ?? {}, part.filter ?? []);
        if (filtered) return { ok: true, codes: filtered };
      }
      return { ok: false, reason: `${missingCodeSystem(system)}` };
    }
    if (part.concept) return { ok: true, codes: part.concept.map((c) => c.code) };
    if (!part.filter || part.filter.length === 0) return { ok: true, codes: allCodes(cs.concept) };
    let codes: Set<string> | undefined;
    for (const filter of part.filter) {
      let matched: string[] | undefined;
      if (filter.property === 'concept' && (filter.op === 'is-a' || filter.op === 'descendent-of'))
        matched = subsumed(cs.concept, filter.value, filter.op === 'is-a') ?? [];
      else if (filter.property === 'concept' && filter.op === 'is-not-a') {
        const excluded = new Set(subsumed(cs.concept, filter.value, true) ?? []);
        matched = allCodes(cs.concept).filter((c) => !excluded.has(c));
      } else if ((filter.property === 'concept' || filter.property === 'code') && filter.op === '=')
        matched = [filter.value];
      else
        return {
          ok: false,
          reason: `a filter (${filter.property} ${filter.op}) on ${system} needs a terminology server`,
        };
      codes = codes ? new Set(matched.filter((c) => codes?.has(c))) : new Set(matched);
    }
    return { ok: true, codes: [...(codes ?? [])] };
  };

  const part = (include: ValueSetInclude, depth: number): Expansion => {
    const codes = new Map<string, Set<string>>();
    let fromValueSets: Map<string, Set<string>> | undefined;
    for (const url of include.valueSet ?? []) {
      const inner = expand(url, depth + 1);
      if (!inner.ok) return inner;
      if (!fromValueSets) fromValueSets = inner.codes;
      else {
        const intersection = new Map<string, Set<string>>();
        for (const [system, set] of inner.codes) {
          const other = fromValueSets.get(system);
          if (other) intersection.set(system, new Set([...set].filter((c) => other.has(c))));
        }
        fromValueSets = intersection;
      }
    }
    if (!include.system) return { ok: true, codes: fromValueSets ?? codes };
    const system = include.system;
    const own = include.concept
      ? { ok: true as const, codes: include.concept.map((c) => c.code) }
      : systemCodes(include, system);
    if (!own.ok) return own;
    const allowed = fromValueSets?.get(system);
    for (const code of own.codes) if (!fromValueSets || allowed?.has(code)) add(codes, system, code);
    return { ok: true, codes };
  };

  const expand = (canonical: string, depth = 0): Expansion => {
    const cached = cache.get(canonical);
    if (cached) return cached;
    const url = canonical.split('|')[0] as string;
    let result: Expansion;
    const vs = registry.valueSet(canonical);
    if (depth > MAX_DEPTH) result = { ok: false, reason: `the value set ${url} includes itself` };
    else if (!vs) {
      const found = digest?.valueSets[url];
      const base = found?.weakerOnly ? undefined : found;
      result = base
        ? { ok: true, codes: new Map(Object.entries(base.systems).map(([s, c]) => [s, new Set(c)])) }
        : {
            ok: false,
            reason: url.startsWith(SPEC_VALUE_SETS)
              ? `the value set ${url} is not in a loaded package (Preflight ships the specification's value sets of required bindings only: load the hl7.fhir.r4.core package to check it)`
              : `the value set ${url} is not in a loaded package`,
          };
    } else if (vs.expansion?.contains) {
      const codes = new Map<string, Set<string>>();
      flatten(vs.expansion.contains, codes);
      let count = 0;
      for (const set of codes.values()) count += set.size;
      // a page of a larger expansion: a code missing from it may be on another page
      result =
        typeof vs.expansion.total === 'number' && vs.expansion.total > count
          ? { ok: false, reason: `the value set ${url} ships part of its expansion only` }
          : { ok: true, codes };
    } else if (!vs.compose?.include) result = { ok: false, reason: `the value set ${url} has no content` };
    else {
      const codes = new Map<string, Set<string>>();
      result = { ok: true, codes };
      for (const include of vs.compose.include) {
        const got = part(include, depth);
        if (!got.ok) {
          result = got;
          break;
        }
        for (const [system, set] of got.codes) for (const code of set) add(codes, system, code);
      }
      if (result.ok) {
        for (const exclude of vs.compose.exclude ?? []) {
          const got = part(exclude, depth);
          if (!got.ok) {
            result = got;
            break;
          }
          for (const [system, set] of got.codes) for (const code of set) codes.get(system)?.delete(code);
        }
      }
    }
    cache.set(canonical, result);
    return result;
  };
  return (canonical) => expand(canonical);
}
