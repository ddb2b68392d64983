/**
 * The one binding check: whether a coded value (a bare code, a Coding, a Quantity, a
 * CodeableConcept) is in the value set a binding names, decided by the terminology engine
 * (`src/core/terminology`, the `$validate-code` that `preflight fhir tx-suite` scores) and read
 * into one verdict. The base walk (bindings of the specification) and the profile checker (a
 * guide's bindings) both ask here and only grade and word the verdict, so one code on one element
 * gets one verdict whichever of them judges it.
 *
 * What each caller brings is the engine and its code systems: the base walk the specification's
 * terminology (built once per digest), the profile checker the loaded packages' beside the
 * specification's. The question is asked the same way for both: a code system the specification
 * ships (the digest keeps no version of it) is asked without the coding's version, so its codes
 * are judged against R4's version (decision 0278); a bare code is read in the code system of the
 * value set that lists it.
 *
 * Constraint: the engine's words may quote the record's display; callers put them in messages
 * only for issues that are not about displays, and never the display itself.
 */
import {
  type Coding,
  TerminologyError,
  type TxIssue,
  type ValidateCodeRequest,
  type ValidateCodeResult,
} from '../terminology/index.ts';

/** `$validate-code` as the terminology engine answers it. */
export type ValidateCodeFn = (request: ValidateCodeRequest) => ValidateCodeResult;

/** The engine a binding is judged by, and what the question needs of its code systems. */
export interface BindingTerminology {
  /** the engine's `$validate-code` (throws {@link TerminologyError} when it refuses) */
  validate: ValidateCodeFn;
  /**
   * The code system in which a value set lists a bare code: undefined when none lists it (the
   * engine then infers it), a `{ unexpanded }` reason when the value set cannot be listed offline.
   */
  systemOfCode(valueSet: string, code: string): string | undefined | { unexpanded: string };
  /** whether a coding of this system is asked without its version (a code system the specification ships) */
  unversioned(system: string): boolean;
  /** whether the display is asked too (false: a caller that judges displays elsewhere) */
  withDisplay: boolean;
}

/** The engine's answer, or why it gave none (a value set not held, a request refused). */
export type BindingAnswer = ValidateCodeResult | string;

/**
 * What a binding check concludes of a coded value:
 * - `member`: in the value set; `answer` carries the engine's issues on the coding itself (a wrong
 *   display, a concept to review), absent when only the value set's listing told it (`unchecked`:
 *   the code system is not held, so the code itself was not checked);
 * - `outside`: not in the value set, or not valid there (`reasons`, the engine's errors;
 *   `notListed` when every reason is that the value set does not list it);
 * - `undecided`: cannot be told offline (a value set or code system not held): `why`.
 */
export type BindingVerdict =
  | { kind: 'member'; answer?: ValidateCodeResult; unchecked?: string }
  | { kind: 'outside'; answer: ValidateCodeResult; reasons: TxIssue[]; notListed: boolean }
  | { kind: 'undecided'; why: string };

/** Reasons that say the value set does not list the code (or its code system is unknown). */
const NOT_LISTED: ReadonlySet<string> = new Set(['not-in-vs', 'not-found']);

/**
 * The verdict on an answer. A wrong display is the coding's own error, not a reason the code is
 * outside the value set; a CodeableConcept with one coding in the value set is in it (a wrong
 * display aside), whatever its other codings (a translation in a code system not held), as the HL7 Java validator
 * judges a binding.
 */
export function verdictOf(answer: BindingAnswer): BindingVerdict {
  if (typeof answer === 'string') return { kind: 'undecided', why: answer };
  if (answer.undecided)
    return answer.undecided.inValueSet
      ? { kind: 'member', unchecked: answer.undecided.why }
      : { kind: 'undecided', why: answer.undecided.why };
  if (answer.result || answer.codingInValueSet === true) return { kind: 'member', answer };
  const reasons = answer.issues.filter(
    (i) => i.severity === 'error' && i.type !== 'invalid-display' && i.type !== 'this-code-not-in-vs',
  );
  if (reasons.length === 0) return { kind: 'member', answer };
  return { kind: 'outside', answer, reasons, notListed: reasons.every((i) => NOT_LISTED.has(i.type)) };
}

/** A Coding's parts as the engine reads them, its version and display as the terminology asks. */
function codingOf(terminology: BindingTerminology, value: Record<string, unknown>): Coding {
  const { system, version, code, display } = value;
  const keepVersion =
    typeof version === 'string' && !(typeof system === 'string' && terminology.unversioned(system));
  return {
    ...(typeof system === 'string' ? { system } : {}),
    ...(keepVersion ? { version } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(terminology.withDisplay && typeof display === 'string' ? { display } : {}),
  };
}

/**
 * The `$validate-code` question of a coded value against a value set: a CodeableConcept as such,
 * a Coding or a Quantity as a Coding, a bare code in the code system of the value set that lists
 * it (inferred when none does). A string when no question can be asked: why.
 */
function requestOf(
  terminology: BindingTerminology,
  valueSet: string,
  value: unknown,
): ValidateCodeRequest | string {
  if (typeof value === 'string') {
    const system = terminology.systemOfCode(valueSet, value);
    // a value set that cannot be listed offline gives no code system to read the code in
    if (typeof system === 'object') return system.unexpanded;
    return system === undefined
      ? { valueSet, code: value, inferSystem: true }
      : { valueSet, coding: { system, code: value } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'the value is not a code';
  const record = value as Record<string, unknown>;
  if (!Array.isArray(record.coding)) return { valueSet, coding: codingOf(terminology, record) };
  return {
    valueSet,
    codeableConcept: {
      ...(typeof record.text === 'string' && terminology.withDisplay ? { text: record.text } : {}),
      coding: record.coding.map((c) =>
        c !== null && typeof c === 'object' ? codingOf(terminology, c as Record<string, unknown>) : {},
      ),
    },
  };
}

/** The engine's answer to a question, or why it gave none. */
function answerTo(terminology: BindingTerminology, request: ValidateCodeRequest): BindingAnswer {
  try {
    return terminology.validate(request);
  } catch (e) {
    if (!(e instanceof TerminologyError)) throw e;
    // a version of a value set not held, where another version is: that one judges (a profile
    // may name a version the loaded packages do not ship)
    const valueSet = request.valueSet ?? '';
    if (e.type === 'not-found' && valueSet.includes('|') && e.brokenValueSet === undefined)
      return answerTo(terminology, { ...request, valueSet: valueSet.split('|')[0] as string });
    return e.message;
  }
}

/** Answers kept per terminology: enough for the distinct codes of an export, bounded for memory. */
const MAX_ANSWERS = 20_000;

/** The binding check over one terminology (see {@link createBindingCheck}). */
export interface BindingCheck {
  /** the engine's answer on a coded value against a value set, or why it gave none */
  answer(valueSet: string, value: unknown): BindingAnswer;
  /** the verdict on that answer ({@link verdictOf}), kept with it */
  verdict(valueSet: string, value: unknown): BindingVerdict;
}

/** Separators no code, system or version holds (control characters are not in FHIR strings). */
const PART = '\u0001';
const CODING = '\u0002';

/**
 * The key of a question, read straight from the value (no request built): the value set, then
 * each coding's system, version (when asked) and code, and its display when asked; undefined for
 * what is not a code, a Coding or a CodeableConcept.
 */
function keyOf(terminology: BindingTerminology, valueSet: string, value: unknown): string | undefined {
  if (typeof value === 'string') return `${valueSet}\u0000${value}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const part = (c: unknown): string => {
    if (c === null || typeof c !== 'object') return '';
    const { system, version, code, display } = c as Record<string, unknown>;
    const s = typeof system === 'string' ? system : '';
    const v = typeof version === 'string' && !(s !== '' && terminology.unversioned(s)) ? version : '';
    const d = terminology.withDisplay && typeof display === 'string' ? display : '';
    return `${s}${PART}${v}${PART}${typeof code === 'string' ? code : ''}${PART}${d}`;
  };
  const record = value as Record<string, unknown>;
  if (!Array.isArray(record.coding)) return `${valueSet}\u0000C${CODING}${part(record)}`;
  const text = terminology.withDisplay && typeof record.text === 'string' ? record.text : '';
  return `${valueSet}\u0000K${text}${CODING}${record.coding.map(part).join(CODING)}`;
}

/**
 * The binding check over one terminology: `$validate-code` of a coded value against a value set,
 * its answer and verdict kept by question (the same code in the same value set recurs across an
 * export's resources, and is asked once: for a caller that leaves displays out, once per value
 * set, code system and code), the key read from the value without building the question.
 */
export function createBindingCheck(terminology: BindingTerminology): BindingCheck {
  const kept = new Map<string, Kept>();
  // the common questions (a bare code; one coding with no version or display asked) kept by
  // value set, code system and code without building a key: a status or a category on every
  // resource is looked up at the speed of the expanded list it replaces
  const simple = new Map<string, SimpleKept>();
  let size = 0;
  const remember = (put: () => void) => {
    if (size >= MAX_ANSWERS) {
      kept.clear();
      simple.clear();
      size = 0;
    }
    put();
    size++;
  };
  const fresh = (valueSet: string, value: unknown): Kept => {
    const request = requestOf(terminology, valueSet, value);
    return { answer: typeof request === 'string' ? request : answerTo(terminology, request) };
  };
  const entry = (valueSet: string, value: unknown): Kept => {
    const plain = plainCoding(terminology, value);
    if (plain !== undefined) {
      let byValueSet = simple.get(valueSet);
      if (!byValueSet) {
        byValueSet = { code: new Map(), coding: new Map(), concept: new Map() };
        simple.set(valueSet, byValueSet);
      }
      const bySystem = plain.kind === 'code' ? byValueSet.code : byValueSet[plain.kind].get(plain.system);
      const known = bySystem?.get(plain.code);
      if (known !== undefined) return known;
      const made = fresh(valueSet, value);
      remember(() => {
        if (plain.kind === 'code') byValueSet.code.set(plain.code, made);
        else {
          const codes = byValueSet[plain.kind].get(plain.system) ?? new Map<string, Kept>();
          codes.set(plain.code, made);
          byValueSet[plain.kind].set(plain.system, codes);
        }
      });
      return made;
    }
    const key = keyOf(terminology, valueSet, value);
    const known = key === undefined ? undefined : kept.get(key);
    if (known !== undefined) return known;
    const made = fresh(valueSet, value);
    if (key !== undefined) remember(() => kept.set(key, made));
    return made;
  };
  return {
    answer: (valueSet, value) => entry(valueSet, value).answer,
    verdict(valueSet, value) {
      const e = entry(valueSet, value);
      e.verdict ??= verdictOf(e.answer);
      return e.verdict;
    },
  };
}

/** An answer kept, with its verdict once asked. */
interface Kept {
  answer: BindingAnswer;
  verdict?: BindingVerdict;
}

/** The common questions of one value set, by code (a bare code) or code system and code. */
interface SimpleKept {
  code: Map<string, Kept>;
  coding: Map<string, Map<string, Kept>>;
  concept: Map<string, Map<string, Kept>>;
}

/**
 * A value that asks no more than its code system and code: a bare code, a Coding or a
 * CodeableConcept of one coding, with no version asked, no display asked and no text; undefined
 * for any other (keyed in full by keyOf).
 */
function plainCoding(
  terminology: BindingTerminology,
  value: unknown,
): { kind: 'code'; code: string } | { kind: 'coding' | 'concept'; system: string; code: string } | undefined {
  if (typeof value === 'string') return { kind: 'code', code: value };
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  let kind: 'coding' | 'concept' = 'coding';
  let coding = record;
  if (record.coding !== undefined) {
    const codings = record.coding;
    if (
      !Array.isArray(codings) ||
      codings.length !== 1 ||
      (terminology.withDisplay && record.text !== undefined)
    )
      return undefined;
    const only = codings[0];
    if (only === null || typeof only !== 'object') return undefined;
    kind = 'concept';
    coding = only as Record<string, unknown>;
  }
  const { system, code, version, display } = coding;
  if (typeof system !== 'string' || typeof code !== 'string') return undefined;
  if (version !== undefined && !terminology.unversioned(system)) return undefined;
  if (terminology.withDisplay && display !== undefined) return undefined;
  return { kind, system, code };
}
