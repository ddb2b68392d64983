/**
 * `format` with ajv-formats' own validators ("full" mode, as the contract compiler uses): the
 * functions and regular expressions are imported, not re-written, so the plan and ajv cannot
 * disagree on what a date or an e-mail address is. They generate no code (CSP-safe).
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { CellValue, PlanCheck } from '../types.ts';
import { CANNOT_EXPRESS, type PlanCheckRule } from './rule.ts';

type FormatCheck = Extract<PlanCheck, { kind: 'format' }>;

type FormatTest = (text: string) => boolean;

interface FormatValidator {
  /** the JSON type the format applies to (ajv skips other types) */
  type: 'string' | 'number';
  test: (value: never) => boolean;
}

function validatorOf(name: string): FormatValidator | undefined {
  if (!Object.hasOwn(fullFormats, name)) return undefined;
  const def = (fullFormats as Record<string, unknown>)[name];
  const asTest = (v: unknown): FormatTest | undefined =>
    v instanceof RegExp ? (text) => v.test(text) : typeof v === 'function' ? (v as FormatTest) : undefined;
  const direct = asTest(def);
  if (direct) return { type: 'string', test: direct as (value: never) => boolean };
  if (typeof def === 'object' && def !== null) {
    const object = def as { type?: string; validate?: unknown; async?: boolean };
    if (object.async) return undefined;
    const test = asTest(object.validate);
    if (!test) return undefined;
    return { type: object.type === 'number' ? 'number' : 'string', test: test as (value: never) => boolean };
  }
  return undefined;
}

/** `format` (date, date-time, email, uri, uuid, …): a cell of the format's type meets it. */
export const formatRule: PlanCheckRule<FormatCheck> = {
  id: 'contract.format',
  keyword: 'format',
  severity: 'error',
  code: 'value',
  describe:
    'The cell is not a valid value of its format (e.g. a date that does not exist, an e-mail address without @).',
  compile(value) {
    return typeof value === 'string' && validatorOf(value)
      ? { kind: 'format', format: value }
      : CANNOT_EXPRESS;
  },
  prepare(check) {
    const validator = validatorOf(check.format) as FormatValidator;
    const test = validator.test as (value: CellValue) => boolean;
    return (value: CellValue) => typeof value !== validator.type || test(value);
  },
  message(check) {
    return `must be a valid ${check.format}`;
  },
};
