/**
 * Column contract (JSON Schema) → {@link ValidationPlan}. Pure and generates no code: it runs in
 * the page, in workers and in Node. What the plan cannot express is never guessed: the column (or,
 * for root keywords, every row) is marked as needing full validation (ajv), with the keywords named.
 */

import { missingValuesOf, numberCharsOf } from '../notChecked.ts';
import { PLAN_CHECK_RULES } from './checks/index.ts';
import { CANNOT_EXPRESS } from './checks/rule.ts';
import {
  type Coercion,
  type ColumnPlan,
  type JsonTypeName,
  LAYOUT_COMMENT,
  type PlanCheck,
  VALIDATION_PLAN_FORMAT,
  type ValidationPlan,
} from './types.ts';

/** Keywords that only annotate (ajv checks nothing for them). */
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Root keywords the plan handles itself (besides annotations). */
const ROOT_HANDLED = new Set([
  '$schema',
  '$id',
  'type',
  'properties',
  'required',
  'additionalProperties',
  '$defs',
  'definitions',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function coercionOf(type: unknown): Coercion | undefined {
  const types = (Array.isArray(type) ? type : [type]) as JsonTypeName[];
  if (types.includes('string')) return undefined;
  const numeric = types.includes('number') || types.includes('integer');
  const boolean = types.includes('boolean');
  return numeric && boolean ? 'number-or-boolean' : numeric ? 'number' : boolean ? 'boolean' : undefined;
}

function compileProperty(column: string, schema: unknown, required: boolean): ColumnPlan {
  const plan: ColumnPlan = { column, required, checks: [] };
  if (schema === true) return plan;
  if (!isObject(schema)) {
    plan.full = { reasons: [schema === false ? 'false' : 'not-a-schema'] };
    return plan;
  }
  const reasons: string[] = [];
  const byKeyword = new Map(PLAN_CHECK_RULES.map((rule) => [rule.keyword as string, rule]));
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    const rule = byKeyword.get(keyword);
    const check = rule ? rule.compile(value) : CANNOT_EXPRESS;
    if (check === CANNOT_EXPRESS) reasons.push(keyword);
    else plan.checks.push(check as PlanCheck);
  }
  // the order ajv reports in does not matter for the verdict; keep the rule table's order
  const order = PLAN_CHECK_RULES.map((r) => r.keyword as string);
  plan.checks.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const comment = schema.$comment;
  if (typeof comment === 'string' && comment.startsWith(LAYOUT_COMMENT)) {
    for (const check of plan.checks)
      if (check.kind === 'pattern') check.layout = comment.slice(LAYOUT_COMMENT.length);
  }
  const coerce = coercionOf(schema.type);
  if (coerce && schema.type !== undefined) plan.coerce = coerce;
  if (reasons.length > 0) plan.full = { reasons };
  return plan;
}

/**
 * Compiles a column contract into a plan. Never throws; a contract that is not an object gives a
 * plan where every row needs full validation.
 */
export function compilePlan(contract: unknown): ValidationPlan {
  const plan: ValidationPlan = { format: VALIDATION_PLAN_FORMAT, columns: [], closed: false };
  if (!isObject(contract)) {
    plan.full = { reasons: ['not-an-object-schema'] };
    return plan;
  }
  const name = typeof contract.$id === 'string' ? contract.$id : contract.title;
  if (typeof name === 'string') plan.contract = name;
  const rootReasons: string[] = [];
  for (const keyword of Object.keys(contract)) {
    if (!ANNOTATIONS.has(keyword) && !ROOT_HANDLED.has(keyword)) rootReasons.push(keyword);
  }
  if (contract.type !== undefined && contract.type !== 'object') rootReasons.push('type');
  const required = Array.isArray(contract.required)
    ? contract.required.filter((r): r is string => typeof r === 'string')
    : [];
  if (contract.required !== undefined && !Array.isArray(contract.required)) rootReasons.push('required');
  const additional = contract.additionalProperties;
  if (additional === false) plan.closed = true;
  else if (
    additional !== undefined &&
    additional !== true &&
    !(isObject(additional) && Object.keys(additional).length === 0)
  )
    rootReasons.push('additionalProperties');
  const properties = isObject(contract.properties) ? contract.properties : {};
  if (contract.properties !== undefined && !isObject(contract.properties)) rootReasons.push('properties');
  for (const [column, schema] of Object.entries(properties)) {
    plan.columns.push(compileProperty(column, schema, required.includes(column)));
  }
  for (const column of new Set(required)) {
    if (Object.hasOwn(properties, column)) continue;
    const extra: ColumnPlan = { column, required: true, checks: [] };
    if (plan.closed) extra.allowed = false;
    plan.columns.push(extra);
  }
  if (rootReasons.length > 0) plan.full = { reasons: rootReasons };
  const missing = missingValuesOf(contract);
  if (missing.length > 0) plan.missingValues = missing;
  // numbers written with another decimal mark or a thousands separator: read with them
  const numberChars = numberCharsOf(contract);
  for (const column of plan.columns) {
    // own entries only: a column named `constructor` or `valueOf` has none from the prototype
    const chars = Object.hasOwn(numberChars, column.column) ? numberChars[column.column] : undefined;
    if (chars && (column.coerce === 'number' || column.coerce === 'number-or-boolean'))
      column.numberChars = chars;
  }
  return plan;
}
