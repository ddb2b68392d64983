/**
 * `$validate-code` over the held code systems and value sets, with the semantics HL7's terminology
 * servers share: the code is looked up in the code system version that applies (the coding's own,
 * a forced one, the value set include's, a default, else the latest held), its display checked
 * against the display and designations (in the requested language where one is asked for), and
 * its membership worked out from the value set's compose (includes, excludes, filters, other value
 * sets) or expansion. Inactive and abstract codes, case-insensitive code systems and version
 * checks give the issues a server gives. Anything the engine cannot decide is an issue that says
 * so, never a guess.
 */
import { type LookupRequest, lookupAnswer } from './lookup.ts';
import {
  compareVersions,
  type IndexedCodeSystem,
  type IndexedConcept,
  type IndexedDesignation,
  splitCanonical,
  type TerminologyStore,
  versionMatches,
} from './store.ts';
import {
  type CodeSystem,
  type Coding,
  type ComposePart,
  type Extension,
  type Filter,
  TerminologyError,
  type TxIssue,
  type TxIssueType,
  type ValidateCodeRequest,
  type ValidateCodeResult,
  type ValueSet,
} from './types.ts';

const MAX_DEPTH = 16;

/**
 * A value set's filter's value; a filter with none is the value set's error (no code can be checked
 * against it), named by `valueSet` where it is known.
 */
function filterValue(f: Filter, part: ComposePart, valueSet?: string): string {
  if (typeof f.value === 'string') return f.value;
  const problem = `has a filter on ${part.system ?? 'a code system'} (${f.property} ${f.op}) with no value`;
  throw new TerminologyError(
    `The value set${valueSet === undefined ? '' : ` ${valueSet}`} ${problem}, so no code can be checked against it; ask the value set's author to fix it`,
    'vs-invalid',
    valueSet === undefined ? undefined : { url: valueSet, problem, membershipKnown: false },
  );
}

/** The issues about a code itself, which a membership-only request does not ask about. */
const NOT_MEMBERSHIP: ReadonlySet<TxIssueType> = new Set([
  'invalid-code',
  'invalid-display',
  'display-comment',
]);

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

interface Located {
  coding: Coding;
  /** where the coding sits in the input: `code` parameters, a Coding, or a CodeableConcept's coding */
  path: string;
  codePath: string;
  displayPath: string;
}

function located(req: ValidateCodeRequest): Located[] {
  if (req.codeableConcept) {
    return (req.codeableConcept.coding ?? []).map((coding, i) => ({
      coding,
      path: `CodeableConcept.coding[${i}]`,
      codePath: `CodeableConcept.coding[${i}].code`,
      displayPath: `CodeableConcept.coding[${i}].display`,
    }));
  }
  if (req.coding)
    return [{ coding: req.coding, path: 'Coding', codePath: 'Coding.code', displayPath: 'Coding.display' }];
  const coding: Coding = {};
  if (req.system !== undefined) coding.system = req.system;
  if (req.systemVersion !== undefined) coding.version = req.systemVersion;
  if (req.code !== undefined) coding.code = req.code;
  if (req.display !== undefined) coding.display = req.display;
  return [{ coding, path: 'code', codePath: 'code', displayPath: 'display' }];
}

/** The first entry of a list of `url|version` that names a system. */
function versionFor(list: readonly string[] | undefined, system: string): string | undefined {
  for (const c of list ?? []) {
    const { url, version } = splitCanonical(c);
    if (url === system) return version;
  }
  return undefined;
}

/** One entry of a language list: a BCP-47 tag or `*`, with an optional weight (`en-AU; q=0.4`). */
const LANGUAGE_ENTRY = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)(?:\s*;\s*q\s*=\s*[0-9.]+)?$/i;

/** Refuses a display language that is no language (`-`): a server answers it with an error. */
function checkLanguage(displayLanguage: string | undefined): void {
  if (displayLanguage === undefined) return;
  const entries = displayLanguage.split(',').map((e) => e.trim());
  if (entries.some((e) => !LANGUAGE_ENTRY.test(e)))
    throw new TerminologyError(`Invalid displayLanguage: '${displayLanguage}'`, 'invalid-display');
}

const EXPANSION_PARAMETER = 'http://hl7.org/fhir/StructureDefinition/valueset-expansion-parameter';

/** The language a value set expects displays in: a displayLanguage it fixes, else its own language. */
function valueSetLanguage(vs: ValueSet | undefined): string | undefined {
  for (const e of vs?.compose?.extension ?? []) {
    if (e.url !== EXPANSION_PARAMETER) continue;
    const part = (name: string) => e.extension?.find((x) => x.url === name);
    if (part('name')?.valueCode !== 'displayLanguage') continue;
    const value = part('value');
    const language = value?.valueCode ?? value?.valueString;
    if (language !== undefined) return language;
  }
  return vs?.language;
}

function languagesOf(displayLanguage: string | undefined): string[] {
  if (!displayLanguage) return [];
  return displayLanguage
    .split(',')
    .map((p) => (p.split(';')[0] ?? '').trim())
    .filter((p) => p !== '' && p !== '*');
}

function sameLanguage(a: string | undefined, wanted: string): boolean {
  if (!a) return false;
  const x = a.toLowerCase();
  const y = wanted.toLowerCase();
  return x === y || x.startsWith(`${y}-`) || y.startsWith(`${x}-`);
}

function normal(s: string): string {
  return s.trim();
}

/**
 * The designations of a concept that are correct displays: its own and those of the supplements in
 * force, less those marked out of use (deprecated, withdrawn).
 */
function designationsOf(concept: IndexedConcept, supplements: ReadonlySet<string>): IndexedDesignation[] {
  return concept.designations.filter(
    (d) => d.status === undefined && (d.supplement === undefined || supplements.has(d.supplement)),
  );
}

/** Whether a concept has a display in one of the languages asked for. */
function hasLanguage(
  cs: IndexedCodeSystem,
  concept: IndexedConcept,
  languages: readonly string[],
  supplements: ReadonlySet<string>,
): boolean {
  if (concept.display !== undefined && languages.some((l) => sameLanguage(cs.resource.language, l)))
    return true;
  return designationsOf(concept, supplements).some((d) =>
    languages.some((l) => sameLanguage(d.language ?? cs.resource.language, l)),
  );
}

/** The displays a concept has, in the requested languages when any are asked for. */
function displaysOf(
  cs: IndexedCodeSystem,
  concept: IndexedConcept,
  languages: readonly string[],
  supplements: ReadonlySet<string>,
): string[] {
  const all: { language?: string; value: string }[] = [];
  if (concept.display !== undefined) all.push({ language: cs.resource.language, value: concept.display });
  for (const d of designationsOf(concept, supplements)) all.push({ language: d.language, value: d.value });
  if (languages.length === 0) return all.map((d) => d.value);
  const wanted = all.filter((d) =>
    languages.some((l) => sameLanguage(d.language ?? cs.resource.language, l)),
  );
  // a concept without a display in the language asked for: any display will do
  return (wanted.length ? wanted : all).map((d) => d.value);
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

interface Checked {
  valid: boolean;
  issues: TxIssue[];
  out: Partial<ValidateCodeResult>;
  membershipFailed: boolean;
  /** why the code's membership could not be worked out (a regex refused) */
  reason?: string;
  /** why the code could not be judged at all offline (its code system, which the value set includes, is not held) */
  undecided?: NonNullable<ValidateCodeResult['undecided']>;
}

interface Membership {
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

const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';
const VS_SUPPLEMENT = 'http://hl7.org/fhir/StructureDefinition/valueset-supplement';
const VS_DEPRECATED = 'http://hl7.org/fhir/StructureDefinition/valueset-deprecated';
const STATUS_WORTH_NOTING: ReadonlySet<string> = new Set(['deprecated', 'withdrawn', 'retired']);

/** The status a resource's users should hear of (withdrawn, deprecated, experimental, draft), if any. */
function statusOf(r: {
  status?: string;
  experimental?: boolean;
  extension?: Extension[];
}): string | undefined {
  const standards = r.extension?.find((e) => e.url === STANDARDS_STATUS)?.valueCode;
  if (standards && STATUS_WORTH_NOTING.has(standards)) return standards;
  if (r.status === 'retired') return 'retired';
  if (r.experimental === true) return 'experimental';
  if (r.status === 'draft') return 'draft';
  return undefined;
}

/** A request as the engine works on it: with the supplements whose designations count as displays. */
interface Working extends ValidateCodeRequest {
  /** URLs of the supplements in force (the value set's and the request's) */
  supplementsInForce: ReadonlySet<string>;
}

const NO_SUPPLEMENTS: ReadonlySet<string> = new Set();

/** The engine (see the file comment). */
export function createValidator(store: TerminologyStore) {
  /**
   * The supplement a value set or the request names, as held; refused when not held, since the
   * displays it adds cannot be checked without it.
   */
  const supplementNamed = (canonical: string, namedBy: string, valueSet?: string): string => {
    const { url, version } = splitCanonical(canonical);
    const held = store.supplement(url, version);
    if (!held)
      throw new TerminologyError(
        `Required supplement not found: ${canonical}. ${namedBy} names this code-system supplement, which is not loaded, so the displays it adds cannot be checked; load the package that defines it, or ask the value set's author to fix the reference`,
        'not-found',
        valueSet === undefined
          ? undefined
          : {
              url: valueSet,
              problem: `names the code-system supplement ${canonical}, which is not loaded`,
              membershipKnown: true,
            },
      );
    return held.url;
  };

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
  ): Checked['undecided'] => {
    const m = memberOfValueSet(vs, coding, req, 0);
    if (m.member) return { why: `the code system ${system} is not held`, inValueSet: true };
    if (m.missing !== undefined) return { why: m.missing, inValueSet: false };
    if (m.unknown !== undefined) return { why: m.unknown, inValueSet: false };
    return undefined;
  };

  /** Checks one coding: the code in its code system, its display, its membership. */
  const checkCoding = (
    at: Located,
    req: Working,
    vs: ValueSet | undefined,
    vsName: string,
    candidate?: string,
  ): Checked => {
    // a value set that includes several versions of the code's system, the code given without one:
    // the code is good when it is good in any of them (the latest answers otherwise)
    if (candidate === undefined && at.coding.version === undefined && vs && at.coding.system) {
      const named = [
        ...new Set(
          (vs.compose?.include ?? [])
            .filter((p) => p.system === at.coding.system && p.version !== undefined)
            .map((p) => p.version as string),
        ),
      ].sort((a, b) => compareVersions(b, a));
      if (named.length > 1) {
        const tries = named.map((v) => checkCoding(at, req, vs, vsName, v));
        return tries.find((t) => t.valid) ?? (tries[0] as Checked);
      }
    }
    const issues: TxIssue[] = [];
    const out: Partial<ValidateCodeResult> = {};
    const coding = { ...at.coding };
    const code = coding.code ?? '';
    if (coding.system === undefined && req.codeSystem) coding.system = req.codeSystem;
    let inferred = false;
    if (coding.system === undefined && vs && req.inferSystem) {
      const systems = new Set(
        (vs.compose?.include ?? []).map((p) => p.system).filter((s) => s !== undefined),
      );
      // several systems: the one that has the code, when only one does
      const having = [...systems].filter((s) => systems.size === 1 || store.codeSystem(s)?.find(code));
      if (having.length === 1) {
        coding.system = having[0];
        inferred = true;
      } else if (having.length > 1) {
        issues.push({
          severity: 'error',
          code: 'not-found',
          type: 'cannot-infer',
          text: `The code system of the code '${code}' cannot be worked out: the value set '${vsName}' has it in several code systems (${having.join(', ')}). Give the code's system`,
          expression: at.path,
        });
        return { valid: false, issues, out: { code }, membershipFailed: true };
      }
    }
    if (coding.system === undefined) {
      issues.push({
        severity: vs ? 'warning' : 'error',
        code: 'invalid',
        type: 'invalid-data',
        text: `Coding has no system. A code with no system has no defined meaning, and it cannot be validated. A system should be provided`,
        expression: at.path,
      });
      return { valid: false, issues, out: { code }, membershipFailed: vs !== undefined };
    }
    const system = coding.system;
    out.code = code;
    out.system = system;
    const explicit = coding.version !== undefined;
    const forced = versionFor(req.forceSystemVersions, system);
    if (forced !== undefined && !explicit) coding.version = forced;
    // the version a value set names for the system, when the coding has none
    let version = coding.version ?? candidate;
    if (version === undefined && vs) {
      const named = (vs.compose?.include ?? [])
        .filter((p) => p.system === system && p.version !== undefined)
        .map((p) => p.version as string);
      if (named.length === 1) version = named[0];
      if (forced !== undefined && named.length) version = forced;
    }
    const stated = version !== undefined;
    version ??= versionFor(req.defaultSystemVersions, system);
    const check = versionFor(req.checkSystemVersions, system);
    const cs = store.codeSystem(system, version);
    const supplement = cs ? undefined : store.supplement(system, version);
    if (supplement) {
      issues.push({
        severity: 'error',
        code: 'invalid',
        type: 'invalid-data',
        text: `CodeSystem ${supplement.url}${supplement.version ? `|${supplement.version}` : ''} is a supplement, so can't be used as a value in ${at.path}.system: a supplement only adds displays and properties to the code system it supplements (${supplement.supplements ?? 'not named'}), so give that code system as the system`,
        expression: `${at.path}.system`,
      });
      return { valid: false, issues, out, membershipFailed: vs !== undefined };
    }
    if (!cs && store.valueSetVersions(system).length > 0) {
      issues.push({
        severity: 'error',
        code: 'invalid',
        type: 'invalid-data',
        text: `The system '${system}' is a value set, not a code system: a coding's system names a code system`,
        expression: `${at.path}.system`,
      });
      return { valid: false, issues, out, membershipFailed: vs !== undefined };
    }
    if (!cs && !/^[a-z][a-z0-9+.-]*:/i.test(system))
      issues.push({
        severity: 'error',
        code: 'invalid',
        type: 'invalid-data',
        text: `The system '${system}' is not an absolute URI: a coding's system names a code system by its canonical URL`,
        expression: `${at.path}.system`,
      });
    if (!cs) {
      const held = store.codeSystemVersions(system);
      const text =
        held.length === 0
          ? `A definition for CodeSystem '${system}' could not be found, so the code cannot be validated`
          : `A definition for CodeSystem '${system}' version '${version}' could not be found, so the code cannot be validated. Valid versions: ${held.join(', ')}`;
      issues.push({
        severity: 'error',
        code: 'not-found',
        type: 'not-found',
        text,
        expression: `${at.path}.system`,
      });
      const pinned =
        (vs?.compose?.include ?? []).some((p) => p.system === system && p.version !== undefined) ||
        [req.defaultSystemVersions, req.forceSystemVersions, req.checkSystemVersions].some(
          (list) => versionFor(list, system) !== undefined,
        );
      if (vs && explicit && held.length > 0)
        issues.push({
          // an include that names a version makes the mismatch the value set's error
          severity: pinned ? 'error' : 'warning',
          code: 'invalid',
          type: 'vs-invalid',
          text: `Unable to check whether the code is in the value set '${vsName}' because the code system ${system}|${version} was not found`,
        });
      // whether the value set has the code all the same, or cannot tell without what is not held
      const undecided = vs !== undefined && held.length === 0 ? notHeld(vs, coding, system, req) : undefined;
      // a system the value set does not include at all: the code is not in it either way
      const included = (vs?.compose?.include ?? []).some((p) => p.system === system);
      return {
        valid: false,
        issues,
        out,
        membershipFailed: vs !== undefined && !included && held.length === 0,
        ...(undecided === undefined ? {} : { undecided }),
      };
    }
    if (cs.version !== undefined) out.version = cs.version;
    const csStatus = statusOf(cs.resource);
    if (csStatus)
      issues.push({
        severity: 'information',
        code: 'business-rule',
        type: 'status-check',
        text: `Reference to ${csStatus} CodeSystem ${cs.url}${cs.version ? `|${cs.version}` : ''}`,
      });
    if (check !== undefined && stated && !versionMatches(check, cs.version)) {
      issues.push({
        severity: 'error',
        code: 'exception',
        type: 'version-error',
        text: `The version '${cs.version}' is not allowed for system '${system}': required to be '${check}' by a version rule`,
        expression: `${at.path}.version`,
      });
    }
    const concept = cs.find(code);
    if (!concept && cs.resource.content === 'fragment') {
      issues.push({
        severity: 'warning',
        code: 'code-invalid',
        type: 'invalid-code',
        text: `Unknown code '${code}' in the CodeSystem '${system}' version '${cs.version ?? ''}': the code system is a fragment, so the code may be valid`,
        expression: at.codePath,
      });
      return { valid: true, issues, out, membershipFailed: false };
    }
    // a system inferred from the value set: an unknown code is simply not in it
    if (!concept && inferred) return { valid: false, issues, out, membershipFailed: true };
    if (!concept) {
      issues.push({
        severity: 'error',
        code: 'code-invalid',
        type: 'invalid-code',
        text: `Unknown code '${code}' in the CodeSystem '${system}' version '${cs.version ?? ''}'`,
        expression: at.codePath,
      });
      return { valid: false, issues, out, membershipFailed: true };
    }
    if (concept.code !== code) {
      out.normalizedCode = concept.code;
      issues.push({
        severity: 'information',
        code: 'business-rule',
        type: 'code-rule',
        text: `The code '${code}' differs from the correct code '${concept.code}' by case. Although the code system '${system}|${cs.version ?? ''}' is case insensitive, implementers are strongly encouraged to use the correct case anyway`,
        expression: at.codePath,
      });
    }
    let valid = issues.every((i) => i.severity !== 'error');
    const languages = languagesOf(req.displayLanguage);
    const displays = displaysOf(cs, concept, languages, req.supplementsInForce);
    out.display = displays[0] ?? concept.display;
    if (concept.status !== undefined) out.status = concept.status;
    // a right display, but none in the language asked for (a code system that states its own language)
    if (
      languages.length > 0 &&
      coding.display !== undefined &&
      cs.resource.language !== undefined &&
      displays.some((d) => normal(d) === normal(coding.display ?? '')) &&
      !hasLanguage(cs, concept, languages, req.supplementsInForce)
    )
      issues.push({
        severity: 'information',
        code: 'invalid',
        type: 'invalid-display',
        text: `There are no valid display names found for the code ${system}#${concept.code} for the language(s) '${languages.join(', ')}'. The display is '${concept.display ?? ''}', the default language display`,
        expression: at.displayPath,
      });
    if (concept.inactive) {
      out.inactive = true;
      issues.push({
        severity: 'warning',
        code: 'business-rule',
        type: 'code-comment',
        text: `The concept '${concept.code}' has a status of ${concept.status ?? 'inactive'} and its use should be reviewed`,
        expression: at.path,
      });
    } else if (concept.status === 'deprecated') {
      issues.push({
        severity: 'warning',
        code: 'business-rule',
        type: 'code-comment',
        text: `The concept '${concept.code}' is deprecated and its use should be reviewed`,
        expression: at.path,
      });
    }
    if (coding.display !== undefined && displays.length > 0) {
      const given = normal(coding.display);
      // a display the code system once gave and has since taken out of use
      const outOfUse = displays.some((d) => normal(d) === given)
        ? undefined
        : concept.designations.find(
            (d) =>
              d.status !== undefined &&
              (d.supplement === undefined || req.supplementsInForce.has(d.supplement)) &&
              normal(d.value) === given,
          );
      if (outOfUse)
        issues.push({
          severity: 'warning',
          code: 'invalid',
          type: 'display-comment',
          text: `'${coding.display}' is no longer considered a correct display for code '${concept.code}' (status = ${outOfUse.status}). The correct display is one of ${displays.map((d) => `"${d}"`).join(', ')}`,
          expression: at.displayPath,
        });
      else if (!displays.some((d) => normal(d) === given)) {
        const lenient = req.lenientDisplay === true;
        issues.push({
          severity: lenient ? 'warning' : 'error',
          code: 'invalid',
          type: 'invalid-display',
          text: `Wrong Display Name '${coding.display}' for ${system}#${concept.code}. Valid display is ${displays.map((d) => `'${d}'`).join(' or ')}${languages.length ? ` (for the language(s) '${languages.join(', ')}')` : ''}`,
          expression: at.displayPath,
        });
        if (!lenient) valid = false;
      }
    }
    let membershipFailed = false;
    let reason: string | undefined;
    let undecided: Checked['undecided'];
    // a value set that marks the concept deprecated where it includes it
    for (const part of vs?.compose?.include ?? []) {
      if (part.system !== system) continue;
      const listed = part.concept?.find((c) => c.code === concept.code);
      const marked = listed?.extension?.some(
        (e) =>
          (e.url === VS_DEPRECATED && (e.valueBoolean === true || e.valueCode === 'true')) ||
          (e.url === STANDARDS_STATUS && e.valueCode === 'deprecated'),
      );
      if (marked)
        issues.push({
          severity: 'warning',
          code: 'business-rule',
          type: 'code-comment',
          text: `The presence of the concept '${concept.code}' in the system '${system}' in the value set ${vsName} is marked with a status of deprecated and its use should be reviewed`,
          expression: at.path,
        });
    }
    if (vs) {
      const m = memberOfValueSet(
        vs,
        { ...coding, code: concept.code, version: cs.version, unversioned: !explicit },
        req,
        0,
      );
      if (m.missing) {
        issues.push({ severity: 'error', code: 'not-found', type: 'not-found', text: m.missing });
        valid = false;
        undecided = { why: m.missing, inValueSet: false };
      } else if (m.versionConflict !== undefined && explicit) {
        const included = store.codeSystem(system, m.versionConflict);
        if (!included)
          issues.push({
            severity: 'error',
            code: 'not-found',
            type: 'not-found',
            text: `A definition for CodeSystem '${system}' version '${m.versionConflict}' could not be found, so the code cannot be validated. Valid versions: ${store.codeSystemVersions(system).join(', ')}`,
            expression: `${at.path}.system`,
          });
        if (check !== undefined && included && !versionMatches(check, m.versionConflict))
          issues.push({
            severity: 'error',
            code: 'exception',
            type: 'version-error',
            text: `The version '${m.versionConflict}' the value set '${vsName}' includes is not allowed for system '${system}': required to be '${check}' by a version rule`,
            expression: `${at.path}.version`,
          });
        issues.push({
          severity: 'error',
          code: 'invalid',
          type: 'vs-invalid',
          text: `The code system version '${cs.version}' is not the version '${m.versionConflict}' the value set '${vsName}' includes`,
          expression: `${at.path}.version`,
        });
        valid = false;
      } else if (!m.member) {
        if (m.unknown) reason = m.unknown;
        if (m.notHeld && m.unknown) undecided = { why: m.unknown, inValueSet: false };
        membershipFailed = true;
        valid = false;
        if (concept.inactive && (vs.compose?.inactive === false || req.activeOnly === true))
          issues.push({
            severity: 'error',
            code: 'business-rule',
            type: 'code-rule',
            text: `The concept '${concept.code}' is valid but is not active`,
            expression: at.codePath,
          });
      }
    }
    if (vs && concept.abstract && req.abstract === false) {
      issues.push({
        severity: 'error',
        code: 'business-rule',
        type: 'code-rule',
        text: `The code '${concept.code}' is abstract, and not allowed in this context`,
        expression: at.codePath,
      });
      valid = false;
      // not selectable here, so not a member of what may be chosen
      membershipFailed = true;
    }
    return {
      valid,
      issues,
      out,
      membershipFailed,
      reason,
      ...(undecided === undefined ? {} : { undecided }),
    };
  };

  /**
   * Refuses a value set that cannot be read as written: one that includes or excludes itself
   * (through other value sets or directly), a filter with no value, or a supplement it names that
   * is not held. No code can be checked against it, so the answer is that the value set is broken,
   * not that the code is wrong. Sound, it gives the URLs of the supplements it (or a value set it
   * includes) names.
   */
  /** stored value sets already judged: why not sound, else the supplements they name */
  const judged = new WeakMap<ValueSet, TerminologyError | readonly string[]>();
  const checkValueSet = (top: ValueSet, req: ValidateCodeRequest): string[] => {
    const name = (v: ValueSet) => v.url ?? `#${v.id ?? ''}`;
    const supplements = new Set<string>();
    const broken = (v: ValueSet, problem: string) =>
      new TerminologyError(
        `The value set ${name(v)} ${problem}, so no code can be checked against it; ask the value set's author to fix it`,
        'vs-invalid',
        { url: name(v), problem, membershipKnown: false },
      );
    const walk = (v: ValueSet, path: readonly ValueSet[]): void => {
      if (path.includes(v))
        throw broken(v, `includes itself (${[...path.slice(path.indexOf(v)), v].map(name).join(' → ')})`);
      if (path.length > MAX_DEPTH) return;
      for (const e of v.extension ?? []) {
        const canonical = e.url === VS_SUPPLEMENT ? (e.valueCanonical ?? e.valueUri) : undefined;
        if (canonical !== undefined)
          supplements.add(supplementNamed(canonical, `The value set ${name(v)}`, name(v)));
      }
      const parts = [...(v.compose?.include ?? []), ...(v.compose?.exclude ?? [])];
      for (const part of parts) {
        for (const f of part.filter ?? []) filterValue(f, part, name(v));
        for (const ref of part.valueSet ?? []) {
          const inner = valueSetAt(ref, req);
          if (inner) walk(inner, [...path, v]);
        }
      }
    };
    walk(top, []);
    return [...supplements];
  };

  /** Judges a value set once (cached for a stored one): its supplements, or why it is broken. */
  const judge = (vs: ValueSet, req: ValidateCodeRequest, plain: boolean): readonly string[] => {
    let named = plain ? judged.get(vs) : undefined;
    if (named instanceof TerminologyError) throw named;
    if (named !== undefined) return named;
    try {
      named = checkValueSet(vs, req);
      if (plain) judged.set(vs, named);
      return named;
    } catch (error) {
      if (plain && error instanceof TerminologyError) judged.set(vs, error);
      throw error;
    }
  };

  /**
   * Why a held value set cannot be read as written (it, or one it includes, includes itself, has
   * a filter with no value, or names a supplement not held); undefined when it can be, or when it
   * is not held (whether it exists is the caller's to say).
   */
  const brokenValueSet = (canonical: string): TerminologyError | undefined => {
    const { url, version } = splitCanonical(canonical);
    const vs = store.valueSet(url, version);
    if (!vs) return undefined;
    try {
      judge(vs, {}, true);
      return undefined;
    } catch (error) {
      if (error instanceof TerminologyError && error.brokenValueSet) return error;
      throw error;
    }
  };

  const validateCode = (req: ValidateCodeRequest): ValidateCodeResult => {
    checkLanguage(req.displayLanguage);
    let vs: ValueSet | undefined;
    let vsName = '';
    if (req.valueSetResource !== undefined) {
      vs = req.valueSetResource;
      vsName = `${vs.url ?? ''}${vs.version ? `|${vs.version}` : ''}`;
    } else if (req.valueSet !== undefined) {
      const { url, version } = splitCanonical(req.valueSet);
      const wanted = version ?? req.valueSetVersion;
      vs = store.valueSet(url, wanted);
      if (!vs && store.supplement(url, wanted))
        throw new TerminologyError(
          `'${url}' is a code-system supplement, not a value set: give the value set the code should be in`,
          'not-found',
        );
      if (!vs)
        throw new TerminologyError(
          `A definition for the value set '${url}${wanted ? `|${wanted}` : ''}' could not be found`,
          'not-found',
        );
      vsName = `${vs.url}${vs.version ? `|${vs.version}` : ''}`;
    } else if (req.codeSystem !== undefined) {
      const { url } = splitCanonical(req.codeSystem);
      // a supplement given as the code system is answered, with the issue that says what it is
      if (store.codeSystemVersions(url).length === 0 && !store.supplement(url))
        throw new TerminologyError(
          `A definition for the code system '${url}' could not be found`,
          'not-found',
        );
    } else throw new TerminologyError('No value set or code system to validate against', 'not-found');
    const inForce = new Set<string>();
    // a stored value set reached the same way is judged once, not at every code checked against it
    const plain = req.valueSetResource === undefined && req.defaultValueSetVersions === undefined;
    if (vs) for (const url of judge(vs, req, plain)) inForce.add(url);
    for (const canonical of req.useSupplements ?? [])
      inForce.add(supplementNamed(canonical, 'The request (useSupplement)'));
    // the request's language first (a parameter, else the caller's header), then the value set's
    const vsLanguage = req.displayLanguage === undefined ? valueSetLanguage(vs) : undefined;
    const working: Working = {
      ...req,
      ...(vsLanguage === undefined ? {} : { displayLanguage: vsLanguage }),
      supplementsInForce: inForce.size ? inForce : NO_SUPPLEMENTS,
    };

    const statusIssues: TxIssue[] = [];
    const seen = new Set<ValueSet>();
    const noteStatus = (v: ValueSet | undefined, depth: number) => {
      if (!v || seen.has(v) || depth > MAX_DEPTH) return;
      seen.add(v);
      const status = statusOf(v);
      if (status)
        statusIssues.push({
          severity: 'information',
          code: 'business-rule',
          type: 'status-check',
          text: `Reference to ${status} ValueSet ${v.url}${v.version ? `|${v.version}` : ''}`,
        });
      for (const part of v.compose?.include ?? [])
        for (const ref of part.valueSet ?? []) {
          const { url, version } = splitCanonical(ref);
          noteStatus(store.valueSet(url, version), depth + 1);
        }
    };
    noteStatus(vs, 0);
    const codings = located(working);
    if (codings.length === 0) throw new TerminologyError('No code to validate', 'invalid-code');
    const issues: TxIssue[] = [];
    const checked = codings.map((at) => {
      const c = checkCoding(at, working, vs, vsName);
      if (!vs || req.membershipOnly !== true) return c;
      // membership alone: whether the code exists and its display are not asked
      const issues = c.issues.filter((i) => !NOT_MEMBERSHIP.has(i.type));
      return { ...c, issues, valid: !c.membershipFailed && !issues.some((i) => i.severity === 'error') };
    });
    const anyValid = checked.some((c) => c.valid);
    const concept = req.codeableConcept !== undefined;
    for (const [i, c] of checked.entries()) {
      issues.push(...c.issues);
      if (vs && concept && c.membershipFailed)
        issues.push({
          severity: 'information',
          code: 'code-invalid',
          type: 'this-code-not-in-vs',
          text: `The code provided (${codings[i]?.coding.system ?? ''}#${codings[i]?.coding.code ?? ''}) is not in the value set '${vsName}'`,
          expression: codings[i]?.codePath,
        });
    }
    issues.push(...statusIssues);
    const result = anyValid && !issues.some((x) => x.severity === 'error');
    const best = checked.find((c) => c.valid)?.out ?? checked[0]?.out ?? {};
    // a coding in the value set with an error of its own (a wrong display): that error says it all
    if (vs && !anyValid && checked.every((c) => c.membershipFailed)) {
      const text = concept
        ? `None of the codings provided are in the value set '${vsName}'`
        : `The provided code '${codings[0]?.coding.system ?? ''}#${codings[0]?.coding.code ?? ''}' was not found in the value set '${vsName}'`;
      const why = checked.find((c) => c.reason)?.reason;
      issues.unshift({
        severity: 'error',
        code: 'code-invalid',
        type: 'not-in-vs',
        text: why ? `${text} (${why})` : text,
        expression: concept ? undefined : codings[0]?.codePath,
      });
    }
    // no coding valid, and one that cannot be judged for want of what is not held: not checked,
    // rather than wrong (it may be the one in the value set)
    const undecided = result
      ? undefined
      : !anyValid && checked.some((c) => c.undecided !== undefined)
        ? {
            why: checked.find((c) => c.undecided)?.undecided?.why ?? '',
            inValueSet: checked.some((c) => c.undecided?.inValueSet),
          }
        : undefined;
    const message = issues
      .filter((i) => i.severity === 'error' || (!result && i.severity === 'warning'))
      .map((i) => i.text)
      .join('; ');
    return {
      result,
      ...(message ? { message } : {}),
      ...best,
      issues,
      ...(undecided === undefined ? {} : { undecided }),
    };
  };
  /** `CodeSystem/$lookup` (lookup.ts): a concept's details, with the supplements the request names. */
  const lookup = (req: LookupRequest) => {
    if (req.system === undefined || req.code === undefined)
      throw new TerminologyError('A lookup needs a system and a code', 'invalid-data');
    const supplements = (req.useSupplements ?? []).map((canonical) => {
      const url = supplementNamed(canonical, 'The request (useSupplement)');
      return store.supplement(url, splitCanonical(canonical).version) as CodeSystem;
    });
    const cs = store.codeSystem(req.system, req.version);
    if (!cs)
      throw new TerminologyError(
        `A definition for CodeSystem '${req.system}'${req.version ? ` version '${req.version}'` : ''} could not be found`,
        'not-found',
      );
    const concept = cs.find(req.code);
    if (!concept)
      throw new TerminologyError(
        `Unknown code '${req.code}' in the CodeSystem '${req.system}'`,
        'invalid-code',
      );
    return lookupAnswer(cs, concept, supplements, req.properties);
  };

  return Object.assign(validateCode, { brokenValueSet, lookup });
}
