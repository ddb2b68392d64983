/**
 * Invariants of the simple kind — element paths (choices, `ofType()` and `where(…)` included)
 * tested with `exists()`, `empty()`, `hasValue()`, compared with a string literal
 * (`status='final'`), a number compared with a whole number (`period >= 0`), or used as a boolean
 * (`telecom or endpoint`), joined by `and`, `or`, `xor`, `implies`, `not()` and parentheses —
 * answered on the JSON without FHIRPath.js, which costs far more per call than reading a few keys;
 * also `$this is T` (the element's own type, case-sensitive as FHIRPath.js: a FHIR dateTime `is
 * dateTime`, not `is DateTime`), `path.toString().length() >= n`, `path.matches('regex')` (with
 * FHIRPath.js's flags), `path.count()` or a sum of counts compared with a whole number,
 * `trace('name')` (its input), `%ucum` and `= true`/`= false` on a boolean. `where(…)` keeps the
 * values its criterion, itself of this kind, holds for. A resource in a `Resource` element (a
 * contained one) has the type its `resourceType` names. The base layer's (con-5, ait-2, tim-5,
 * gol-1, qrs-1, pat-1, drt-1, org-1, que-1, que-12, dom-2/4/5 …) and US Core's us-core-1 to -4, -6
 * to -10, -13, -14, -16, -18 to -21, pd-1 and vital signs' vs-1 are of this kind; a few expressions
 * of no such kind are answered in code instead (nativeExpressions.ts: the NPI check digit, obs-7,
 * qrs-2, que-2); an expression of any other kind (other functions, arithmetic, `%resource`, a path
 * that starts with a type name) does not compile here and goes to FHIRPath. Paths are typed with
 * the validator's digest, so `value` on an Observation is its `value[x]` and on a Quantity its
 * decimal.
 *
 * Semantics are FHIRPath's three-valued logic (`undefined` is the empty result), and the caller
 * holds an invariant only when the result is `true`, as the Java validator does. Where this reader
 * cannot tell what FHIRPath would answer (a comparison on a list, a list used as a boolean, a
 * literal compared with a value of another type) it answers {@link UNKNOWN}, and the caller asks
 * FHIRPath.
 */

import { NATIVE_EXPRESSIONS } from './nativeExpressions.ts';
import { UNKNOWN } from './unknownAnswer.ts';

/** The answer is not known here: evaluate the expression with FHIRPath. */
export { UNKNOWN };

type Value = boolean | undefined | typeof UNKNOWN;

/**
 * A compiled simple invariant: evaluates on the JSON value of the element it is declared on, given
 * that element's type (a resource type, a datatype, a backbone's path; undefined: unknown) and the
 * resource FHIRPath.js would be given as `%resource` (read only by some expressions answered in
 * code, nativeExpressions.ts).
 */
export type SimpleInvariant = (node: unknown, type: string | undefined, resource?: unknown) => Value;

/** One value found along a path: the JSON value, a primitive's `_name` object, its type when known. */
interface Found {
  value: unknown;
  ext: unknown;
  type: string | undefined;
}

/** The element types of a type by JSON name (the validator's digest), for typed paths. */
export type TypeElements = (
  typeName: string,
) => Readonly<Record<string, { type: string; choice?: string }>> | undefined;

type Token = { kind: 'name' | 'string' | 'number' | 'op' | 'punct'; text: string };

/** `%ucum`, and the string it stands for. */
const UCUM_VARIABLE = '%ucum';
const UCUM = 'http://unitsofmeasure.org';

const KEYWORDS = new Set(['and', 'or', 'xor', 'implies', 'is']);

function tokenize(expression: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < expression.length && /[A-Za-z0-9_]/.test(expression[j] as string)) j++;
      const text = expression.slice(i, j);
      tokens.push({ kind: KEYWORDS.has(text) ? 'op' : 'name', text });
      i = j;
    } else if (ch === "'") {
      let j = i + 1;
      let text = '';
      while (j < expression.length && expression[j] !== "'") {
        if (expression[j] === '\\') return undefined; // escapes: FHIRPath's to read
        text += expression[j];
        j++;
      }
      if (j >= expression.length) return undefined;
      tokens.push({ kind: 'string', text });
      i = j + 1;
    } else if (ch === '!' && expression[i + 1] === '=') {
      tokens.push({ kind: 'op', text: '!=' });
      i += 2;
    } else if ((ch === '>' || ch === '<') && expression[i + 1] === '=') {
      tokens.push({ kind: 'op', text: `${ch}=` });
      i += 2;
    } else if (ch === '>' || ch === '<') {
      tokens.push({ kind: 'op', text: ch });
      i++;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < expression.length && /[0-9]/.test(expression[j] as string)) j++;
      tokens.push({ kind: 'number', text: expression.slice(i, j) });
      i = j;
    } else if (
      expression.startsWith(UCUM_VARIABLE, i) &&
      !/[A-Za-z0-9_]/.test(expression[i + UCUM_VARIABLE.length] ?? '')
    ) {
      // FHIRPath's one environment variable of a base invariant (drt-1): a string constant
      tokens.push({ kind: 'string', text: UCUM });
      i += UCUM_VARIABLE.length;
    } else if (ch === '+') {
      tokens.push({ kind: 'op', text: '+' });
      i++;
    } else if (expression.startsWith('$this', i)) {
      tokens.push({ kind: 'name', text: '$this' });
      i += 5;
    } else if (ch === '=' || ch === '.' || ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '=' ? 'op' : 'punct', text: ch });
      i++;
    } else return undefined;
  }
  return tokens;
}

/** Reads the values at a path; UNKNOWN when a step's type cannot be told. */
type PathReader = (node: unknown, type: string | undefined) => Found[] | typeof UNKNOWN;

/** A FHIR type name in a choice's JSON name (`Quantity`, `DateTime` → `dateTime`). */
const typeOfSuffix = (suffix: string, elements: TypeElements): string | undefined => {
  const lower = `${suffix[0]?.toLowerCase() ?? ''}${suffix.slice(1)}`;
  if (elements(suffix) !== undefined) return suffix;
  return elements(lower) !== undefined || /^[a-z]/.test(lower) ? lower : undefined;
};

/**
 * The type of a value of an element of type `declared`: a resource in a `Resource` element (a
 * contained one, dom-2's `contained.contained`) has the type its `resourceType` names.
 */
function typeOfValue(value: unknown, declared: string, elements: TypeElements): string {
  if (declared !== 'Resource' || value === null || typeof value !== 'object') return declared;
  const named = (value as Record<string, unknown>).resourceType;
  return typeof named === 'string' && elements(named) !== undefined ? named : declared;
}

/** The values one element name reaches from each value (a choice's typed keys included). */
function step(found: readonly Found[], name: string, elements: TypeElements): Found[] | typeof UNKNOWN {
  const out: Found[] = [];
  for (const { value, type } of found) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const holder = value as Record<string, unknown>;
    const td = type === undefined ? undefined : elements(type);
    if (!td) return UNKNOWN; // an untyped step could take a sibling's name for a choice
    const push = (key: string, keyType: string): void => {
      const v = holder[key];
      const e = holder[`_${key}`];
      if (Array.isArray(v) || Array.isArray(e)) {
        const values = Array.isArray(v) ? v : [];
        const exts = Array.isArray(e) ? e : [];
        for (let i = 0; i < Math.max(values.length, exts.length); i++)
          if ((values[i] ?? null) !== null || (exts[i] ?? null) !== null)
            out.push({
              value: values[i] ?? undefined,
              ext: exts[i] ?? undefined,
              type: typeOfValue(values[i], keyType, elements),
            });
      } else if ((v ?? null) !== null || (e ?? null) !== null)
        out.push({ value: v ?? undefined, ext: e ?? undefined, type: typeOfValue(v, keyType, elements) });
    };
    const own = td[name];
    if (own && own.choice === undefined) {
      push(name, own.type);
      continue;
    }
    let pushed: string | undefined;
    for (const rawKey in holder) {
      const key = rawKey.charCodeAt(0) === 95 ? rawKey.slice(1) : rawKey;
      if (key === pushed) continue;
      const element = td[key];
      if (element?.choice !== name) continue;
      pushed = key;
      push(key, element.type);
    }
  }
  return out;
}

/**
 * Compiles a simple invariant (or one answered in code: nativeExpressions.ts); undefined when the
 * expression is of neither kind.
 */
export function compileSimpleInvariant(
  expression: string,
  elements: TypeElements,
): SimpleInvariant | undefined {
  const native = NATIVE_EXPRESSIONS.get(expression);
  if (native) return (node, _type, resource) => native(node, resource);
  const tokens = tokenize(expression);
  if (!tokens) return undefined;
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const take = (text: string): boolean => {
    if (tokens[at]?.text !== text) return false;
    at++;
    return true;
  };

  /** One step of a path: an element name, `ofType(T)`, or `where(criterion)`. */
  type Step = { name: string } | { ofType: string } | { self: true } | { where: Node };

  const path = (): { read: PathReader; fn?: string; regex?: RegExp } | undefined => {
    const steps: Step[] = [];
    let fn: string | undefined;
    let regex: RegExp | undefined;
    for (;;) {
      const t = peek();
      if (t?.kind !== 'name') return undefined;
      at++;
      if (t.text === '$this') {
        if (steps.length > 0) return undefined;
        steps.push({ self: true });
        if (tokens[at + 1]?.text === 'not' || !take('.')) break; // `.not()` is the term's
        continue;
      }
      if (peek()?.text === '(') {
        at++;
        if (t.text === 'toString' && steps.length > 0) {
          // `….toString().length()`: a string's length, compared with a number below
          if (!take(')') || !take('.') || !take('length') || !take('(') || !take(')')) return undefined;
          fn = 'length';
          break;
        }
        if (t.text === 'ofType' && steps.length > 0) {
          const typeName = peek();
          if (typeName?.kind !== 'name') return undefined;
          at++;
          let type = typeName.text;
          if (type === 'FHIR' && take('.')) {
            const qualified = peek();
            if (qualified?.kind !== 'name') return undefined;
            at++;
            type = qualified.text;
          }
          if (!take(')')) return undefined;
          steps.push({ ofType: type });
          if (tokens[at + 1]?.text === 'not' || !take('.')) break; // `.not()` is the term's
          continue;
        }
        if (t.text === 'where' && steps.length > 0) {
          const criterion = implies();
          if (!criterion || !take(')')) return undefined;
          steps.push({ where: criterion });
          if (tokens[at + 1]?.text === 'not' || !take('.')) break; // `.not()` is the term's
          continue;
        }
        if (t.text === 'trace' && steps.length > 0) {
          // `trace('name')` gives back its input (the engine's trace output is swallowed)
          if (peek()?.kind !== 'string') return undefined;
          at++;
          if (!take(')')) return undefined;
          if (tokens[at + 1]?.text === 'not' || !take('.')) break; // `.not()` is the term's
          continue;
        }
        if (t.text === 'matches' && steps.length > 0) {
          // `matches('regex')`, with the flags FHIRPath.js gives it (unicode, dot matches newlines)
          const pattern = peek();
          if (pattern?.kind !== 'string' || pattern.text === '') return undefined;
          at++;
          if (!take(')')) return undefined;
          try {
            regex = new RegExp(pattern.text, 'us');
          } catch {
            return undefined;
          }
          fn = 'matches';
          break;
        }
        // a function that ends the path: only these, without arguments
        if (!['exists', 'empty', 'hasValue', 'count'].includes(t.text) || steps.length === 0)
          return undefined;
        if (!take(')')) return undefined;
        fn = t.text;
        break;
      }
      // an element's name starts lower-case; `Appointment.status` names the type first, which
      // FHIRPath reads as the context itself: its reading to make
      if (!/^[a-z]/.test(t.text)) return undefined;
      steps.push({ name: t.text });
      if (tokens[at + 1]?.text === 'not' || !take('.')) break; // `.not()` is the term's
    }
    const read: PathReader = (node, type) => {
      let found: Found[] = [{ value: node, ext: undefined, type }];
      for (const s of steps) {
        if (found.length === 0) break;
        if ('self' in s) continue;
        if ('where' in s) {
          const kept: Found[] = [];
          for (const f of found) {
            // each value is the criterion's `$this`: a primitive's children are in its `_name` object
            if (f.value === null || typeof f.value !== 'object' || Array.isArray(f.value)) return UNKNOWN;
            const holds = s.where(f.value, f.type);
            if (holds === UNKNOWN) return UNKNOWN;
            if (holds === true) kept.push(f);
          }
          found = kept;
          continue;
        }
        if ('ofType' in s) {
          found = found.filter(
            (f) =>
              f.type === s.ofType || (f.type !== undefined && typeOfSuffix(s.ofType, elements) === f.type),
          );
          continue;
        }
        const next = step(found, s.name, elements);
        if (next === UNKNOWN) return UNKNOWN;
        found = next;
      }
      return found;
    };
    return fn === undefined ? { read } : regex === undefined ? { read, fn } : { read, fn, regex };
  };

  /** A number of values: `a.count()`, or a sum of those (`(identifier.count() + name.count())`). */
  type Count = (node: unknown, type: string | undefined) => number | typeof UNKNOWN;
  const countSum = (): Count | undefined => {
    const parts: Count[] = [];
    for (;;) {
      if (take('(')) {
        const inner = countSum();
        if (!inner || !take(')')) return undefined;
        parts.push(inner);
      } else {
        const p = path();
        if (p?.fn !== 'count') return undefined;
        const { read } = p;
        parts.push((n, t) => {
          const found = read(n, t);
          return found === UNKNOWN ? UNKNOWN : found.length;
        });
      }
      if (!take('+')) break;
    }
    if (parts.length === 1) return parts[0];
    return (n, t) => {
      let sum = 0;
      for (const part of parts) {
        const count = part(n, t);
        if (count === UNKNOWN) return UNKNOWN;
        sum += count;
      }
      return sum;
    };
  };

  type Node = (node: unknown, type: string | undefined) => Value;

  const term = (): Node | undefined => {
    // a count compared with a whole number (`enableWhen.count() > 1`, org-1's sum of two counts)
    const start = at;
    const sum = countSum();
    if (sum && COMPARISONS.includes(peek()?.text ?? '') && tokens[at + 1]?.kind === 'number') {
      const op = (peek() as Token).text;
      const n = Number((tokens[at + 1] as Token).text);
      at += 2;
      return (node, t) => {
        const count = sum(node, t);
        return count === UNKNOWN ? UNKNOWN : compare(op, count, n);
      };
    }
    at = start;
    if (take('(')) {
      const inner = implies();
      if (!inner || !take(')')) return undefined;
      return notSuffix(inner);
    }
    const p = path();
    if (!p || p.fn === 'count') return undefined; // a count is only compared with a number, above
    const { read, fn, regex } = p;
    let node: Node;
    if (fn === 'matches' && regex) {
      return notSuffix((n, t) => {
        const found = read(n, t);
        if (found === UNKNOWN) return UNKNOWN;
        if (found.length === 0) return undefined;
        const value = found[0]?.value;
        if (found.length > 1 || typeof value !== 'string') return UNKNOWN; // a list, only extensions
        return regex.test(value);
      });
    }
    if (fn === 'length') {
      const op = peek();
      const limit = tokens[at + 1];
      if (!op || !COMPARISONS.includes(op.text) || limit?.kind !== 'number') return undefined;
      at += 2;
      const n = Number(limit.text);
      return (node, t) => {
        const found = read(node, t);
        if (found === UNKNOWN) return UNKNOWN;
        if (found.length === 0) return undefined;
        const value = found[0]?.value;
        if (found.length > 1 || typeof value !== 'string') return UNKNOWN; // a list, a number, only extensions
        return compare(op.text, value.length, n);
      };
    }
    if (
      fn === undefined &&
      ['>=', '>', '<=', '<'].includes(peek()?.text ?? '') &&
      tokens[at + 1]?.kind === 'number'
    ) {
      const op = (peek() as Token).text;
      const n = Number((tokens[at + 1] as Token).text);
      at += 2;
      return (node, t) => {
        const found = read(node, t);
        if (found === UNKNOWN) return UNKNOWN;
        if (found.length === 0) return undefined;
        const value = found[0]?.value;
        // a list, only extensions, a Quantity (compared by its unit in FHIRPath): FHIRPath's to answer
        if (found.length > 1 || typeof value !== 'number' || !NUMBER_TYPES.has(found[0]?.type ?? ''))
          return UNKNOWN;
        return compare(op, value, n);
      };
    }
    if (fn === undefined && peek()?.text === 'is') {
      at++;
      const typeName = peek();
      if (typeName?.kind !== 'name') return undefined;
      at++;
      return (node, t) => {
        const found = read(node, t);
        if (found === UNKNOWN || found.length > 1) return UNKNOWN;
        if (found.length === 0) return undefined;
        const type = found[0]?.type;
        return type === undefined ? UNKNOWN : type === typeName.text;
      };
    }
    if (fn === 'exists' || fn === 'empty') {
      const wantsSome = fn === 'exists';
      node = (n, t) => {
        const found = read(n, t);
        return found === UNKNOWN ? UNKNOWN : found.length > 0 === wantsSome;
      };
    } else if (fn === 'hasValue')
      node = (n, t) => {
        const found = read(n, t);
        if (found === UNKNOWN) return UNKNOWN;
        return found.length === 1 && found[0]?.value !== undefined && typeof found[0]?.value !== 'object';
      };
    else {
      const op = peek();
      if (op?.text === '=' || op?.text === '!=') {
        at++;
        const literal = peek();
        const negate = op.text === '!=';
        if (literal?.kind === 'name' && (literal.text === 'true' || literal.text === 'false')) {
          // a boolean compared with `true` or `false` (que-13's `repeats=true`)
          at++;
          const wanted = literal.text === 'true';
          return (n, t) => {
            const found = read(n, t);
            if (found === UNKNOWN) return UNKNOWN;
            if (found.length === 0) return undefined;
            const value = found[0]?.value;
            if (found.length > 1 || typeof value !== 'boolean') return UNKNOWN;
            return (value === wanted) !== negate;
          };
        }
        if (literal?.kind !== 'string') return undefined;
        at++;
        node = (n, t) => {
          const found = read(n, t);
          if (found === UNKNOWN) return UNKNOWN;
          if (found.length === 0) return undefined;
          const value = found[0]?.value;
          if (found.length > 1 || typeof value !== 'string') return UNKNOWN; // a list, a number, only extensions
          return (value === literal.text) !== negate;
        };
        return node;
      }
      // a path used as a boolean: a single item (true unless it is the boolean false)
      node = (n, t) => {
        const found = read(n, t);
        if (found === UNKNOWN || found.length > 1) return UNKNOWN;
        if (found.length === 0) return undefined;
        const value = found[0]?.value;
        return typeof value === 'boolean' ? value : value === undefined ? UNKNOWN : true;
      };
    }
    return notSuffix(node);
  };

  /** `(…).not()` */
  const notSuffix = (node: Node): Node | undefined => {
    if (peek()?.text !== '.') return node;
    at++;
    if (!take('not') || !take('(') || !take(')')) return undefined;
    return (n, t) => {
      const v = node(n, t);
      return v === UNKNOWN ? UNKNOWN : v === undefined ? undefined : !v;
    };
  };

  const binary = (next: () => Node | undefined, ops: string[]): Node | undefined => {
    let left = next();
    while (left && ops.includes(peek()?.text ?? '') && peek()?.kind === 'op') {
      const op = (peek() as Token).text;
      at++;
      const right = next();
      if (!right) return undefined;
      const l = left;
      left = (n, t) => combine(op, l(n, t), right(n, t));
    }
    return left;
  };
  const and = (): Node | undefined => binary(term, ['and']);
  const or = (): Node | undefined => binary(and, ['or', 'xor']);
  const implies = (): Node | undefined => binary(or, ['implies']);

  const root = implies();
  if (!root || at !== tokens.length) return undefined;
  return root;
}

/** The comparisons of a number with a whole number. */
const COMPARISONS = ['>=', '>', '<=', '<', '='];

/** The FHIR primitive types whose JSON value is a number FHIRPath compares as one. */
const NUMBER_TYPES: ReadonlySet<string> = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt']);

function compare(op: string, a: number, b: number): boolean {
  return op === '>=' ? a >= b : op === '>' ? a > b : op === '<=' ? a <= b : op === '<' ? a < b : a === b;
}

function combine(op: string, a: Value, b: Value): Value {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  switch (op) {
    case 'and':
      return a === false || b === false ? false : a === true && b === true ? true : undefined;
    case 'or':
      return a === true || b === true ? true : a === false && b === false ? false : undefined;
    case 'xor':
      return a === undefined || b === undefined ? undefined : a !== b;
    default: // implies
      if (a === false) return true;
      if (a === true) return b;
      return b === true ? true : undefined;
  }
}
