/**
 * Invariant expressions answered in code rather than by FHIRPath.js, each keyed by its exact text:
 * those of the base specification and US Core that are not of the simple kind
 * (simpleInvariant.ts) and that FHIRPath.js would evaluate on nearly every resource that has the
 * element — US Core's NPI check digit (us-core-17, a Luhn sum written out in 40 FHIRPath calls,
 * about 1 ms a call), obs-7 (`intersect` with `%resource`), qrs-2 (`repeat()` and `isDistinct()`),
 * que-2 (`descendants()`) and US Core's provenance-1 (`resolve()`).
 *
 * Each answers as the layers read FHIRPath.js's answer (`true` when the result is `[true]` or
 * FHIRPath.js cannot evaluate it — an error both layers pass —, `false` for any other result,
 * `undefined` for the empty one) wherever it answers, and {@link UNKNOWN} where it cannot be sure
 * (a primitive with only extensions, a Coding with an id or extensions, a value of the wrong JSON
 * type): the caller then asks FHIRPath.js. nativeExpressions.test.ts holds each to FHIRPath.js on
 * the US Core 6.1.0 examples and on hand-made edge cases.
 */

import { isObject, type Json } from './jsonObjects.ts';
import { UNKNOWN } from './unknownAnswer.ts';

type Value = boolean | undefined | typeof UNKNOWN;

/** An expression answered in code: on the node it is declared on and the resource around it (`%resource`). */
export type NativeExpression = (node: unknown, resource: unknown) => Value;

/** A list element as FHIRPath sees it: an array, one value, or nothing. */
function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/**
 * Whether `node` holds a choice element `name[x]` (`valueQuantity`); UNKNOWN for a primitive
 * choice with only its extensions (`_valueString`), which FHIRPath.js may count or not.
 */
function holdsChoice(node: Json, name: string): boolean | typeof UNKNOWN {
  let extensionsOnly = false;
  for (const raw in node) {
    const underscored = raw.charCodeAt(0) === 95;
    const key = underscored ? raw.slice(1) : raw;
    if (key.length <= name.length || !key.startsWith(name)) continue;
    const next = key.charCodeAt(name.length);
    if (next < 65 || next > 90 || node[raw] === null || node[raw] === undefined) continue;
    if (!underscored) return true;
    extensionsOnly = true;
  }
  return extensionsOnly ? UNKNOWN : false;
}

/**
 * us-core-17 on an NPI identifier: the Luhn check digit of the 10-digit NPI with its 80840 prefix
 * (the `+ 24`). FHIRPath reads the first ten characters one by one with `substring(i,1).toInteger()`:
 * a missing one or one that is not a digit makes the sum empty, so the invariant fails.
 */
const NPI_CHECK_DIGIT: NativeExpression = (node) => {
  if (!isObject(node) || node._value !== undefined) return UNKNOWN;
  const value = node.value;
  if (value === undefined || value === null) return false; // the sum is empty
  if (typeof value !== 'string') return UNKNOWN;
  if (value.length < 10) return false;
  let sum = 24;
  for (let i = 0; i < 10; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false; // toInteger() is empty
    sum += i % 2 === 1 ? digit : digit < 5 ? digit * 2 : digit * 2 - 9;
  }
  return sum % 10 === 0;
};

/** A Coding of plain text fields (and `userSelected`), compared as FHIRPath compares objects; undefined otherwise. */
function plainCoding(value: unknown): Json | undefined {
  if (!isObject(value)) return undefined;
  for (const key in value) {
    const v = value[key];
    if (key === 'userSelected' ? typeof v !== 'boolean' : typeof v !== 'string' || key.startsWith('_'))
      return undefined;
    if (key === 'id' || key === 'extension') return undefined;
  }
  return value;
}

function sameCoding(a: Json, b: Json): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/**
 * obs-7 on an Observation: with a value, no component's code may hold a Coding of the
 * Observation's own code (`%resource.code.coding`, as FHIRPath.js is given the resource).
 */
const OBS_7: NativeExpression = (node, resource) => {
  if (!isObject(node) || !isObject(resource)) return UNKNOWN;
  const valued = holdsChoice(node, 'value');
  if (valued !== true) return valued === false ? true : UNKNOWN;
  const components = listOf(node.component);
  const own: Json[] = [];
  if (isObject(resource.code)) {
    for (const c of listOf(resource.code.coding)) {
      const coding = plainCoding(c);
      if (!coding) return UNKNOWN;
      own.push(coding);
    }
  } else if (resource.code !== undefined) return UNKNOWN;
  for (const component of components) {
    if (!isObject(component)) return UNKNOWN;
    const code = component.code;
    if (code === undefined) continue;
    if (!isObject(code)) return UNKNOWN;
    for (const c of listOf(code.coding)) {
      const coding = plainCoding(c);
      if (!coding) return UNKNOWN;
      if (own.some((o) => sameCoding(o, coding))) return false;
    }
  }
  return true;
};

/**
 * qrs-2 on a QuestionnaireResponse: among the items of the response and of each item and answer,
 * at any depth, those with an answer that has a value have distinct linkIds.
 */
const QRS_2: NativeExpression = (node) => (isObject(node) ? answeredDistinct(node) : UNKNOWN);

/** qrs-2 below one holder (the response, an item, an answer): false at the first repeat, UNKNOWN when unsure. */
function answeredDistinct(holder: Json): Value {
  const seen = new Set<string>();
  let answer: Value = true;
  for (const item of listOf(holder.item)) {
    if (!isObject(item) || item._linkId !== undefined) return UNKNOWN;
    const answers = listOf(item.answer);
    let answered = false;
    for (const a of answers) {
      if (!isObject(a)) return UNKNOWN;
      const valued = holdsChoice(a, 'value');
      if (valued === UNKNOWN) return UNKNOWN;
      if (valued) answered = true;
    }
    if (answered && item.linkId !== undefined) {
      if (typeof item.linkId !== 'string') return UNKNOWN;
      if (seen.has(item.linkId)) answer = false;
      seen.add(item.linkId);
    }
    for (const inner of [item, ...answers]) {
      const below = answeredDistinct(inner as Json);
      if (below === UNKNOWN) return UNKNOWN;
      if (below === false) answer = false;
    }
  }
  return answer;
}

/**
 * que-2 on a Questionnaire: the linkIds of all its items, at any depth (`descendants()`, contained
 * resources included), are distinct. A `linkId` anywhere but on an item is FHIRPath's to read.
 */
const QUE_2: NativeExpression = (node) => {
  if (!isObject(node)) return UNKNOWN;
  const seen = new Set<string>();
  let distinct = true;
  let unknown = false;
  const visit = (value: unknown, isItem: boolean): void => {
    if (unknown) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, isItem);
      return;
    }
    if (!isObject(value)) return;
    if (value._linkId !== undefined || (value.linkId !== undefined && !isItem)) {
      unknown = true;
      return;
    }
    if (value.linkId !== undefined) {
      if (typeof value.linkId !== 'string') {
        unknown = true;
        return;
      }
      if (seen.has(value.linkId)) distinct = false;
      seen.add(value.linkId);
    }
    for (const key in value) if (key !== 'linkId') visit(value[key], key === 'item');
  };
  for (const key in node) visit(node[key], key === 'item');
  return unknown ? UNKNOWN : distinct;
};

/**
 * US Core's provenance-1 on Provenance.agent: `who.exists((resolve() is Practitioner) or
 * (resolve() is Device)) implies onBehalfOf.exists()`. True when the agent has an onBehalfOf, or no
 * `who`. With a `who`, FHIRPath.js cannot evaluate it: `resolve()` is refused in the synchronous
 * evaluation both layers run (an error, which they pass: a tool that cannot evaluate never
 * accuses the data), so it is answered true, as it ends there.
 */
const PROVENANCE_1: NativeExpression = (node) => (isObject(node) ? true : UNKNOWN);

/** Expressions answered in code, by their exact text. */
export const NATIVE_EXPRESSIONS: ReadonlyMap<string, NativeExpression> = new Map([
  [
    '(((select(value.substring(0,1).toInteger()).select(iif($this<5, $this*2, (($this*2)-9))))+(value.substring(1,1).toInteger())+(select(value.substring(2,1).toInteger()).select(iif($this<5, $this*2, (($this*2)-9))))+(value.substring(3,1).toInteger())+(select(value.substring(4,1).toInteger()).select(iif($this<5, $this*2, (($this*2)-9))))+(value.substring(5,1).toInteger())+(select(value.substring(6,1).toInteger()).select(iif($this<5, $this*2, (($this*2)-9))))+(value.substring(7,1).toInteger())+(select(value.substring(8,1).toInteger()).select(iif($this<5, $this*2, (($this*2)-9))))+(value.substring(9,1).toInteger()) + 24)mod 10=0)',
    NPI_CHECK_DIGIT,
  ],
  ['value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()', OBS_7],
  [
    '(QuestionnaireResponse|repeat(answer|item)).select(item.where(answer.value.exists()).linkId.isDistinct()).allTrue()',
    QRS_2,
  ],
  ['descendants().linkId.isDistinct()', QUE_2],
  [
    'who.exists((resolve() is Practitioner) or (resolve() is Device)) implies onBehalfOf.exists()',
    PROVENANCE_1,
  ],
]);
