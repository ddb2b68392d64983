/**
 * Whether a code is in a value set, as `$validate-code` works it out: the value set's compose
 * (includes, excludes, filters over the concepts' properties and hierarchy, other value sets it
 * includes) at the code system version each include reads, else its expansion. What cannot be
 * decided offline (a filter the engine does not know, a regex refused as unsafe, a value set or
 * code system not held) is returned as the reason, never guessed.
 */
import {
  type IndexedCodeSystem,
  type IndexedConcept,
  splitCanonical,
  type TerminologyStore,
  versionMatches,
} from './store.ts';
import {
  type Coding,
  type ComposePart,
  type Filter,
  TerminologyError,
  type ValidateCodeRequest,
  type ValidateCodeResult,
  type ValueSet,
} from './types.ts';

/** How deep value sets may include value sets before the engine stops following them. */
export const MAX_DEPTH = 16;

/**
 * A value set's filter's value; a filter with none is the value set's error (no code can be checked
 * against it), named by `valueSet` where it is known.
 */
export function filterValue(f: Filter, part: ComposePart, valueSet?: string): string {
  if (typeof f.value === 'string') return f.value;
  const problem = `has a filter on ${part.system ?? 'a code system'} (${f.property} ${f.op}) with no value`;
  throw new TerminologyError(
    `The value set${valueSet === undefined ? '' : ` ${valueSet}`} ${problem}, so no code can be checked against it; ask the value set's author to fix it`,
    'vs-invalid',
    valueSet === undefined ? undefined : { url: valueSet, problem, membershipKnown: false },
  );
}

/**
 * Whether a pattern can take exponential time (a quantified group that holds a quantifier, as in
 * `(a+)+`): a value set author's regex runs on every code checked, so such a pattern is refused.
 */
export function unsafeRegex(pattern: string): boolean {
  const stack: boolean[] = [];
  let quantified = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '(') {
      stack.push(quantified);
      quantified = false;
    } else if (ch === ')') {
      const inner: boolean = quantified;
      quantified = stack.pop() ?? false;
      const next = pattern[i + 1];
      if (inner && (next === '+' || next === '*' || next === '{')) return true;
      quantified ||= inner;
    } else if (ch === '+' || ch === '*' || ch === '{') quantified = true;
  }
  return false;
}

function regexOf(pattern: string): RegExp | undefined {
  if (unsafeRegex(pattern)) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

/** The first entry of a list of `url|version` that names a system. */
export function versionFor(list: readonly string[] | undefined, system: string): string | undefined {
  for (const c of list ?? []) {
    const { url, version } = splitCanonical(c);
    if (url === system) return version;
  }
  return undefined;
}

/** Whether a concept matches one filter of a compose part. */
function matchesFilter(
  cs: IndexedCodeSystem,
  concept: IndexedConcept,
  f: Filter & { value: string },
): boolean | undefined {
  const isA = (code: string, ancestor: string, self: boolean): boolean => {
    const seen = new Set<string>();
    const stack = self ? [code] : [...(cs.find(code)?.parents ?? [])];
    while (stack.length) {
      const at = stack.pop() as string;
      if (at === ancestor) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(cs.concepts.get(at)?.parents ?? []));
    }
    return false;
  };
  const anchor = cs.find(f.value)?.code ?? f.value;
  if (f.property === 'concept' || f.property === 'code') {
    switch (f.op) {
      case 'is-a':
        return isA(concept.code, anchor, true);
      case 'descendent-of':
        return isA(concept.code, anchor, false);
      case 'is-not-a':
        return !isA(concept.code, anchor, true);
      case 'generalizes':
        return isA(anchor, concept.code, true);
      case 'child-of':
        return concept.parents.includes(anchor);
      case '=':
        return concept.code === anchor;
      case 'in':
        return f.value.split(',').some((v) => (cs.find(v.trim())?.code ?? v.trim()) === concept.code);
      case 'not-in':
        return !f.value.split(',').some((v) => (cs.find(v.trim())?.code ?? v.trim()) === concept.code);
      case 'regex': {
        const re = regexOf(f.value);
        return re === undefined ? undefined : re.test(concept.code);
      }
      default:
        return undefined;
    }
  }
  const values =
    f.property === 'display'
      ? concept.display === undefined
        ? []
        : [concept.display]
      : f.property === 'inactive' && !concept.properties.has('inactive')
        ? [String(concept.inactive)]
        : (concept.properties.get(f.property) ?? []);
  switch (f.op) {
    case '=':
      return values.includes(f.value);
    case 'in':
      return f.value.split(',').some((v) => values.includes(v.trim()));
    case 'not-in':
      return !f.value.split(',').some((v) => values.includes(v.trim()));
    case 'exists':
      return values.length > 0 === (f.value !== 'false');
    case 'regex': {
      const re = regexOf(f.value);
      return re === undefined ? undefined : values.some((v) => re.test(v));
    }
    default:
      return undefined;
  }
}

/** Whether a code is in a value set, or why that cannot be told. */
export interface Membership {
  member: boolean;
  /** why membership could not be decided (a filter the engine does not know, a missing value set) */
  unknown?: string;
  /** the unknown is a code system the value set includes that is not held (nothing else is wrong) */
  notHeld?: boolean;
  /** a value set the one checked includes is not held: membership cannot be told */
  missing?: string;
  /** the version of the code system an include named, when the code's version differs */
  versionConflict?: string;
}

/** Why a code of a code system not held is not checked, and whether the value set lists it all the same. */
export type Undecided = NonNullable<ValidateCodeResult['undecided']>;

/** The membership engine over the held code systems and value sets. */
export function createMembership(store: TerminologyStore) {
  /** The code system version an include of a value set reads. */
  const includeVersion = (part: ComposePart, req: ValidateCodeRequest): string | undefined => {
    const system = part.system ?? '';
    return (
      versionFor(req.forceSystemVersions, system) ??
      part.version ??
      versionFor(req.defaultSystemVersions, system)
    );
  };

  const inPart = (
    part: ComposePart,
    coding: Coding,
    cs: IndexedCodeSystem | undefined,
    req: ValidateCodeRequest,
    depth: number,
    anyVersion = false,
  ): Membership => {
    for (const ref of part.valueSet ?? []) {
      const inner = memberOf(ref, coding, req, depth + 1);
      if (!inner.member) return inner;
    }
    if (!part.system) return { member: (part.valueSet?.length ?? 0) > 0 };
    if (part.system !== coding.system) return { member: false };
    const wanted = includeVersion(part, req);
    if (
      wanted !== undefined &&
      !anyVersion &&
      coding.version !== undefined &&
      !versionMatches(wanted, coding.version)
    )
      return { member: false, versionConflict: wanted };
    const source = wanted !== undefined ? store.codeSystem(part.system, wanted) : cs;
    const code = coding.code ?? '';
    if (part.concept) {
      const caseSensitive = source ? source.caseSensitive : true;
      return {
        member: part.concept.some((c) =>
          caseSensitive ? c.code === code : c.code.toLowerCase() === code.toLowerCase(),
        ),
      };
    }
    if (!source)
      return { member: false, unknown: `the code system ${part.system} is not held`, notHeld: true };
    const concept = source.find(code);
    if (!concept) return { member: false };
    for (const f of part.filter ?? []) {
      const ok = matchesFilter(source, concept, { ...f, value: filterValue(f, part) });
      if (ok === undefined)
        return {
          member: false,
          unknown:
            f.op === 'regex'
              ? `the regex '${f.value}' could not be executed`
              : `the filter ${f.property} ${f.op} is not supported`,
        };
      if (!ok) return { member: false };
    }
    return { member: true };
  };

  const inExpansion = (items: ValueSet['expansion'], coding: Coding): boolean => {
    const walk = (list: NonNullable<NonNullable<ValueSet['expansion']>['contains']>): boolean =>
      list.some(
        (i) =>
          (i.system === coding.system && i.code === coding.code) || (i.contains ? walk(i.contains) : false),
      );
    return walk(items?.contains ?? []);
  };

  /**
   * The value set a canonical names: one contained in the request's value set (`#id`), else the
   * store's, at the version named or the request's default for it.
   */
  const valueSetAt = (canonical: string, req: ValidateCodeRequest): ValueSet | undefined => {
    if (canonical.startsWith('#'))
      return req.valueSetResource?.contained?.find(
        (r) => (r as ValueSet).resourceType === 'ValueSet' && (r as ValueSet).id === canonical.slice(1),
      ) as ValueSet | undefined;
    const { url, version } = splitCanonical(canonical);
    return store.valueSet(url, version ?? versionFor(req.defaultValueSetVersions, url));
  };

  const memberOf = (
    canonical: string,
    coding: Coding,
    req: ValidateCodeRequest,
    depth: number,
  ): Membership => {
    const vs = valueSetAt(canonical, req);
    if (!vs)
      return {
        member: false,
        missing: `A definition for the value set '${canonical}' could not be found, so whether the code is in the value set cannot be told`,
      };
    return memberOfValueSet(vs, coding, req, depth);
  };

  const memberOfValueSet = (
    vs: ValueSet,
    coding: Coding & { unversioned?: boolean },
    req: ValidateCodeRequest,
    depth: number,
  ): Membership => {
    if (depth > MAX_DEPTH) return { member: false, unknown: `the value set ${vs.url} includes itself` };
    if (!vs.compose) return { member: inExpansion(vs.expansion, coding) };
    const system = coding.system ?? '';
    const cs = store.codeSystem(system, coding.version);
    let found: Membership = { member: false };
    for (const part of vs.compose.include ?? []) {
      const m = inPart(part, coding, cs, req, depth);
      if (m.member) {
        found = m;
        break;
      }
      if (m.missing) return m;
      if (m.unknown && !found.unknown) found = m;
      if (m.versionConflict && !found.versionConflict && !found.unknown) found = m;
    }
    if (!found.member) return found;
    for (const part of vs.compose.exclude ?? []) {
      // a code given without a version is excluded by an exclude of any version that has it
      if (inPart(part, coding, cs, req, depth, coding.unversioned === true).member) return { member: false };
    }
    const concept = cs?.find(coding.code ?? '');
    if (concept?.inactive && (vs.compose.inactive === false || req.activeOnly)) return { member: false };
    return found;
  };

  /**
   * A code of a code system not held, which the value set includes: whether the value set lists
   * it all the same (an include that enumerates its codes), and why the code is not checked.
   */
  const notHeld = (
    vs: ValueSet,
    coding: Coding,
    system: string,
    req: ValidateCodeRequest,
  ): Undecided | undefined => {
    const m = memberOfValueSet(vs, coding, req, 0);
    if (m.member) return { why: `the code system ${system} is not held`, inValueSet: true };
    if (m.missing !== undefined) return { why: m.missing, inValueSet: false };
    if (m.unknown !== undefined) return { why: m.unknown, inValueSet: false };
    return undefined;
  };

  return { memberOfValueSet, notHeld, valueSetAt };
}

/** The membership engine `createMembership` gives. */
export type MembershipEngine = ReturnType<typeof createMembership>;
