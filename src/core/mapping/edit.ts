/**
 * Mapping edits as data (docs/conventions.md#changes-are-data): every change the mapping editor
 * makes — choose a target, pick a field's column, add, reorder or change a transform — is a
 * `MappingEdit` applied by the pure reducer {@link applyMappingEdit}, which returns the next
 * mapping and the edit that undoes it. Undo/redo (`history.ts`) and autosave (the result becomes
 * one `mapping/put` project change) share this one shape, as the workflow editor's edits do
 * (src/core/workflow/edit/).
 *
 * Constraints:
 * - Pure: no DOM, no clock. Fields and transform steps are addressed by position, because a
 *   mapping's fields have no id (the target path is what the user edits).
 * - Immutable with structural sharing: untouched fields keep their object identity.
 * - Every result is schema-valid `preflight.mapping/v1` (checked with the format's precompiled
 *   validator, so storage always accepts it); an edit that would break the schema — an empty
 *   column name, a date transform without formats, an empty pattern — throws
 *   {@link MappingEditError} and changes nothing. Semantic problems a draft may have while being
 *   edited (an invalid regular expression, two fields with one target, a "concat" on a single
 *   column) are allowed: the compiler reports them with JSON Pointers, and the editor shows them
 *   beside the field and transform they concern.
 * - Messages name positions and fields, never a typed value.
 */
import { validateMapping } from '../../formats/generated/validators.js';
import { type FormatProblem, validateWithSchema } from '../../formats/loading.ts';
import type { FieldMapping, Mapping, MappingTarget, Transform } from '../../formats/mapping.ts';

/** Where a field's value comes from. */
export type FieldSource =
  | { kind: 'column'; column: string }
  /** several columns, joined by the field's "concat" transform */
  | { kind: 'columns'; columns: string[] }
  | { kind: 'const'; value: string | number | boolean | null };

/** One edit of a mapping. Fields and steps are addressed by their position. */
export type MappingEdit =
  | { type: 'mapping/rename'; name: string }
  | { type: 'mapping/target'; target: MappingTarget }
  | { type: 'mapping/key'; key: string | string[] }
  /** replaces the whole document (the JSON view, an import, and every inverse) */
  | { type: 'mapping/replace'; mapping: Mapping }
  /** inserts a field at `at` (default: the end) */
  | { type: 'field/add'; field: FieldMapping; at?: number }
  | { type: 'field/remove'; index: number }
  | { type: 'field/move'; from: number; to: number }
  | { type: 'field/target'; index: number; target: string }
  | { type: 'field/source'; index: number; source: FieldSource }
  | { type: 'field/required'; index: number; required: boolean }
  /** inserts a transform step at `at` (default: the end) */
  | { type: 'transform/add'; index: number; transform: Transform; at?: number }
  | { type: 'transform/remove'; index: number; step: number }
  | { type: 'transform/move'; index: number; from: number; to: number }
  | { type: 'transform/set'; index: number; step: number; transform: Transform };

/** Why an edit was refused. */
type MappingEditErrorCode = 'no-such-field' | 'no-such-step' | 'invalid';

/** Thrown by {@link applyMappingEdit} for an edit that cannot apply; nothing changed. */
export class MappingEditError extends Error {
  override name = 'MappingEditError';
  constructor(
    readonly code: MappingEditErrorCode,
    message: string,
    /** for `invalid`: the schema's problems, with JSON Pointers into the mapping */
    readonly problems: readonly FormatProblem[] = [],
  ) {
    super(message);
  }
}

/** {@link applyMappingEdit}'s result. */
interface MappingEditResult {
  mapping: Mapping;
  /** applying it to `mapping` gives back the mapping before the edit (deep-equal) */
  inverse: MappingEdit;
}

/** The transform a newly added step of kind `op` starts as: schema-valid, and sensible to adjust. */
export function newTransform(op: Transform['op']): Transform {
  switch (op) {
    case 'trim':
      return { op };
    case 'case':
      return { op, to: 'upper' };
    case 'date':
      return { op, formats: ['YYYY-MM-DD'], output: 'date' };
    case 'codeMap':
      return { op, map: {} };
    case 'number':
      return { op };
    case 'boolean':
      return { op, true: ['Y'], false: ['N'] };
    case 'split':
      return { op, separator: ' ', index: 0 };
    case 'concat':
      return { op, separator: ' ' };
    case 'regexReplace':
      return { op, pattern: '\\s+', flags: 'g', replacement: ' ' };
  }
}

/** A target path no field of `mapping` uses yet, starting from `base` ("field", "field2", …). */
export function unusedTarget(mapping: Pick<Mapping, 'fields'>, base = 'field'): string {
  const used = new Set(mapping.fields.map((f) => f.target));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

function fieldAt(mapping: Mapping, index: number): FieldMapping {
  const field = Number.isInteger(index) ? mapping.fields[index] : undefined;
  if (!field) throw new MappingEditError('no-such-field', `There is no field ${index + 1} in this mapping.`);
  return field;
}

function stepsOf(field: FieldMapping, index: number, step: number, inclusiveEnd: boolean): Transform[] {
  const steps = field.transform ?? [];
  const limit = inclusiveEnd ? steps.length : steps.length - 1;
  if (!Number.isInteger(step) || step < 0 || step > limit)
    throw new MappingEditError('no-such-step', `Field ${index + 1} has no transform step ${step + 1}.`);
  return steps;
}

function withField(mapping: Mapping, index: number, field: FieldMapping): Mapping {
  return { ...mapping, fields: mapping.fields.with(index, field) };
}

/** The field with its transform list replaced (the key left out when the list is empty). */
function withSteps(field: FieldMapping, steps: Transform[]): FieldMapping {
  const { transform: _old, ...rest } = field;
  return steps.length === 0 ? rest : { ...rest, transform: steps };
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

function validMove(length: number, from: number, to: number): boolean {
  return (
    Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to >= 0 && from < length && to < length
  );
}

function sourced(field: FieldMapping, source: FieldSource): FieldMapping {
  const { from: _from, const: _const, transform, ...rest } = field;
  if (source.kind === 'const') {
    // a constant is written as given: its transforms would never run (compileMapping refuses them)
    return { ...rest, const: source.value };
  }
  // several columns are joined by exactly one "concat" (checkMapping's rule): one is added when
  // there is none, and dropped again when the field goes back to one column
  let steps = transform ?? [];
  if (source.kind === 'columns' && !steps.some((t) => t.op === 'concat'))
    steps = [...steps, { op: 'concat', separator: ' ' }];
  if (source.kind === 'column') steps = steps.filter((t) => t.op !== 'concat');
  const from = source.kind === 'column' ? source.column : [...source.columns];
  return steps.length === 0 ? { ...rest, from } : { ...rest, from, transform: steps };
}

function reduce(mapping: Mapping, edit: MappingEdit): Mapping {
  switch (edit.type) {
    case 'mapping/rename':
      return { ...mapping, name: edit.name };
    case 'mapping/target':
      return { ...mapping, target: { ...edit.target } };
    case 'mapping/key':
      return { ...mapping, key: Array.isArray(edit.key) ? [...edit.key] : edit.key };
    case 'mapping/replace':
      return edit.mapping;
    case 'field/add': {
      const at = edit.at ?? mapping.fields.length;
      if (!Number.isInteger(at) || at < 0 || at > mapping.fields.length)
        throw new MappingEditError('no-such-field', `A field cannot be added at position ${at + 1}.`);
      return { ...mapping, fields: mapping.fields.toSpliced(at, 0, edit.field) };
    }
    case 'field/remove':
      fieldAt(mapping, edit.index);
      return { ...mapping, fields: mapping.fields.toSpliced(edit.index, 1) };
    case 'field/move':
      if (!validMove(mapping.fields.length, edit.from, edit.to))
        throw new MappingEditError('no-such-field', 'That field cannot move there.');
      return edit.from === edit.to
        ? mapping
        : { ...mapping, fields: move(mapping.fields, edit.from, edit.to) };
    case 'field/target':
      return withField(mapping, edit.index, { ...fieldAt(mapping, edit.index), target: edit.target });
    case 'field/source':
      return withField(mapping, edit.index, sourced(fieldAt(mapping, edit.index), edit.source));
    case 'field/required': {
      const { required: _old, ...rest } = fieldAt(mapping, edit.index);
      return withField(mapping, edit.index, edit.required ? { ...rest, required: true } : rest);
    }
    case 'transform/add': {
      const field = fieldAt(mapping, edit.index);
      const steps = field.transform ?? [];
      const at = edit.at ?? steps.length;
      stepsOf(field, edit.index, at, true);
      return withField(mapping, edit.index, withSteps(field, steps.toSpliced(at, 0, edit.transform)));
    }
    case 'transform/remove': {
      const field = fieldAt(mapping, edit.index);
      const steps = stepsOf(field, edit.index, edit.step, false);
      return withField(mapping, edit.index, withSteps(field, steps.toSpliced(edit.step, 1)));
    }
    case 'transform/move': {
      const field = fieldAt(mapping, edit.index);
      const steps = field.transform ?? [];
      if (!validMove(steps.length, edit.from, edit.to))
        throw new MappingEditError('no-such-step', `That step of field ${edit.index + 1} cannot move there.`);
      return edit.from === edit.to
        ? mapping
        : withField(mapping, edit.index, withSteps(field, move(steps, edit.from, edit.to)));
    }
    case 'transform/set': {
      const field = fieldAt(mapping, edit.index);
      const steps = stepsOf(field, edit.index, edit.step, false);
      return withField(mapping, edit.index, withSteps(field, steps.with(edit.step, edit.transform)));
    }
    default: {
      const unknown = edit as { type?: unknown };
      throw new MappingEditError('invalid', `"${String(unknown.type)}" is not a mapping edit.`);
    }
  }
}

/** "field 3, transform step 2: …" for a schema problem's JSON Pointer. */
function where(path: string): string {
  const match = /^\/fields\/(\d+)(?:\/transform\/(\d+))?/.exec(path);
  if (!match) return path === '' ? 'the mapping' : `the mapping at ${path}`;
  const field = `field ${Number(match[1]) + 1}`;
  return match[2] === undefined ? field : `${field}, transform step ${Number(match[2]) + 1}`;
}

/**
 * Applies one edit; returns the next mapping and the edit that undoes it. `mapping` is never
 * modified. An edit that changes nothing returns `mapping` itself.
 *
 * @throws MappingEditError when the edit names a field or step that is not there, or when its
 *   result would not be schema-valid `preflight.mapping/v1` (see the file header).
 */
export function applyMappingEdit(mapping: Mapping, edit: MappingEdit): MappingEditResult {
  const next = reduce(mapping, edit);
  if (next !== mapping) {
    const checked = validateWithSchema<Mapping>(validateMapping, next);
    if (!checked.ok) {
      const first = checked.problems[0];
      throw new MappingEditError(
        'invalid',
        first ? `In ${where(first.path)}: ${first.message}.` : 'The mapping would not be valid.',
        checked.problems,
      );
    }
  }
  return { mapping: next, inverse: { type: 'mapping/replace', mapping } };
}
