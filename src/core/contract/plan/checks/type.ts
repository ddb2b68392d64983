import type { CellValue, JsonTypeName, PlanCheck } from '../types.ts';
import { CANNOT_EXPRESS, type PlanCheckRule } from './rule.ts';

type TypeCheck = Extract<PlanCheck, { kind: 'type' }>;

const NAMES: readonly JsonTypeName[] = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];

function matches(type: JsonTypeName, value: CellValue): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false; // a cell is never null, an object or an array
  }
}

/** `type`: the cell (after coercion) has one of the listed JSON types. */
export const typeRule: PlanCheckRule<TypeCheck> = {
  id: 'contract.type',
  keyword: 'type',
  severity: 'error',
  code: 'value',
  describe: 'The cell is not of the type the contract asks for (e.g. not a number).',
  compile(value) {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || !list.every((t) => NAMES.includes(t as JsonTypeName))) return CANNOT_EXPRESS;
    return { kind: 'type', types: list as JsonTypeName[] };
  },
  prepare(check) {
    const types = check.types;
    // no closure per cell (this runs on every filled cell of most columns)
    if (types.length === 1) {
      const type = types[0] as JsonTypeName;
      return (value) => matches(type, value);
    }
    return (value) => {
      for (let i = 0; i < types.length; i++) if (matches(types[i] as JsonTypeName, value)) return true;
      return false;
    };
  },
  prepareText(check) {
    // uncoerced text is a string, and nothing else
    return check.types.includes('string');
  },
  message(check) {
    return `must be ${check.types.map((t) => (t === 'integer' ? 'a whole number' : `a ${t}`)).join(' or ')}`;
  },
};
