/**
 * `$validate-code` over the held code systems and value sets, with the semantics HL7's terminology
 * servers share: the code is looked up in the code system version that applies (the coding's own,
 * a forced one, the value set include's, a default, else the latest held), its display checked
 * against the display and designations (in the requested language where one is asked for), and
 * its membership worked out from the value set's compose (includes, excludes, filters, other value
 * sets) or expansion. Inactive and abstract codes, case-insensitive code systems and version
 * checks give the issues a server gives. Anything the engine cannot decide is an issue that says
 * so, never a guess. Each check of a coding is a rule of its own, in one table (codingRules/).
 */
import { type CodingEngine, checkCoding, type Located, type Working } from './codingRules/index.ts';
import { statusOf } from './codingRules/types.ts';
import { type LookupRequest, lookupAnswer } from './lookup.ts';
import { createMembership, filterValue, MAX_DEPTH } from './membership.ts';
import { splitCanonical, type TerminologyStore } from './store.ts';
import {
  type CodeSystem,
  type Coding,
  TerminologyError,
  type TxIssue,
  type TxIssueType,
  type ValidateCodeRequest,
  type ValidateCodeResult,
  type ValueSet,
} from './types.ts';

/** The issues about a code itself, which a membership-only request does not ask about. */
const NOT_MEMBERSHIP: ReadonlySet<TxIssueType> = new Set([
  'invalid-code',
  'invalid-display',
  'display-comment',
]);

/** The codings of a request, each with where it sits in the input. */
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

const VS_SUPPLEMENT = 'http://hl7.org/fhir/StructureDefinition/valueset-supplement';

const NO_SUPPLEMENTS: ReadonlySet<string> = new Set();

/** A coding in the value set whose only errors (if any) are its display's. */
function inValueSetButDisplay(c: {
  membershipFailed?: boolean;
  undecided?: unknown;
  issues: readonly TxIssue[];
}): boolean {
  return (
    c.membershipFailed !== true &&
    c.undecided === undefined &&
    !c.issues.some((i) => i.severity === 'error' && i.type !== 'invalid-display')
  );
}

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

  const membership = createMembership(store);
  const engine: CodingEngine = { store, membership };
  const { valueSetAt } = membership;

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
      const c = checkCoding(engine, at, working, vs, vsName);
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
      ...(vs && concept && !result && checked.some(inValueSetButDisplay) ? { codingInValueSet: true } : {}),
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
