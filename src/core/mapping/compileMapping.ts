/**
 * The mapping engine: a `preflight.mapping/v1` mapping plus a file's header → a row function
 * that turns each CSV row into a target record and the problems found on the way.
 *
 * How a row becomes a record (the rules the editor's preview and the docs describe):
 * - An empty cell is **absent**, and so is any text a transform reduces to "" (a trimmed blank, a
 *   code mapped to `null`, a value a `regexReplace` deletes). Absent values skip the remaining
 *   transforms and leave their target out of the record. A `const` of `null` or "" is absent too.
 * - A transform that cannot convert a value (an impossible date, an unmapped code without
 *   default) gives a problem with its rule (`mapping.<op>`), code, target path, source column,
 *   row — and the cell text only in `value` (reports may redact it) — and leaves the target absent.
 * - `required`: a target that is absent after its transforms is a `mapping.required` problem —
 *   unless a transform already reported why (one cause, one problem).
 * - Paths build nested objects and lists: `name[0].given[1]` is the second given name of the
 *   first name. A list item that the mapping fills from source columns exists only when at least
 *   one of those columns gives it a value (so a patient without a phone gets no `telecom` entry
 *   holding only the constant `system: "phone"`); an item filled only by constants always
 *   exists. Lists are then closed up in order, so FHIR JSON never holds `null` items: with no
 *   first name, the middle name becomes `given[0]`.
 * - Properties appear in the order of the mapping's fields, so equal rows give equal JSON.
 *
 * Constraints:
 * - Compiled once per file: columns are looked up by name once, transforms compile once (patterns,
 *   date formats, code tables); `mapRow` then runs a tight loop over precomputed steps, and
 *   allocates only the record (and problems when there are some).
 * - Pure: never evaluates mapping text as code; never throws on any row (transforms return
 *   failures, property-tested).
 * - The mapping is re-checked here (`checkMapping` of the format) because the editor compiles
 *   drafts that storage saved without semantic checks.
 */
import type { FormatProblem } from '../../formats/loading.ts';
import { checkMapping, type FieldMapping, type Mapping, type Transform } from '../../formats/mapping.ts';
import { parseTargetPath, type TargetSegment } from './targetPath.ts';
import { transformDefinition } from './transforms/index.ts';
import {
  type ApplyTransform,
  type MappedValue,
  type TransformDefinition,
  TransformFailure,
  type ValueKind,
} from './transforms/types.ts';

/** Rule id of a required target left empty. Transform problems use `mapping.<op>`. */
export const REQUIRED_RULE = 'mapping.required';
/** Code of a required target left empty. */
const REQUIRED_CODE = 'required-missing';

/** The rule id of problems found by transform `op`. */
export function transformRule(op: Transform['op']): string {
  return `mapping.${op}`;
}

/** One thing wrong with one row's mapping. */
export interface MappingProblem {
  /** `mapping.required` or `mapping.<op>` of the transform that failed */
  rule: string;
  /** stable code: `required-missing` or one of the transform's codes (e.g. `date-impossible`) */
  code: string;
  severity: 'error';
  /** 1-based data row, as the CSV reader numbers them */
  row: number;
  /** the target path as the mapping writes it, e.g. "birthDate" */
  target: string;
  /** source column(s); several are joined by " + " */
  column?: string;
  /** what is wrong and what to do; never contains the value */
  message: string;
  /** the source cell as written (several joined by the concat separator); reports may redact it */
  value?: string;
}

/** A JSON object built by a mapping. */
export type MappedRecord = { [name: string]: MappedJson };
/** A value in a mapped record. */
export type MappedJson = string | number | boolean | MappedRecord | MappedJson[];

/** The result of mapping one row. */
export interface MappedRow {
  /** the target record (fields in mapping order; absent targets left out) */
  record: MappedRecord;
  /** problems of this row, in field order; empty when the row mapped cleanly */
  problems: readonly MappingProblem[];
}

/** Where one field's value landed in a mapped record (see {@link CompiledMapping.placeLastRow}). */
export interface FieldPlacement {
  /** the value's path in the record, e.g. `name[0].given[0]` (lists closed up: may differ from the target) */
  path: string;
  /** the field's target path as the mapping writes it, e.g. `name[0].given[1]` */
  target: string;
  /** the source column(s) it was read from (several joined by " + "); absent for a constant */
  column?: string;
}

/** A source column the mapping names but the file does not have. */
export interface MissingColumn {
  column: string;
  /** the targets reading it, and "key" when it is (part of) the mapping's key */
  usedBy: string[];
}

/** A mapping made ready for one file's header. */
export interface CompiledMapping {
  /** Maps one row (the cells in header order; a short row's missing cells are absent). */
  mapRow(cells: readonly string[], row: number): MappedRow;
  /**
   * The row's key: the key column's cell as written, or the key columns' cells joined by U+001F;
   * undefined when every key cell is empty. Duplicate-key checks group rows by it.
   */
  keyOf(cells: readonly string[]): string | undefined;
  /**
   * Where each value of the record the last {@link mapRow} call built landed, in record order.
   * Lists are closed up (a missing first given name moves the middle name to `given[0]`), so
   * this is how a finding at a record path (`Patient.name[0].given[0]`) is traced back to its
   * source column. Computed on demand: call it right after `mapRow`, for rows that need it.
   */
  placeLastRow(): FieldPlacement[];
  /** the header the mapping was compiled for */
  readonly header: readonly string[];
  /** header columns no field reads (the key alone does not put a column into the record) */
  readonly unusedColumns: readonly string[];
  /** columns the mapping reads (fields and key) that the header lacks; their targets are always absent */
  readonly missingColumns: readonly MissingColumn[];
  /** every target path, in mapping order */
  readonly targets: readonly string[];
  /** the targets marked `required` */
  readonly requiredTargets: readonly string[];
  /** header positions each field reads, by target (for the preview's "source cells used") */
  readonly columnsByTarget: ReadonlyMap<string, readonly number[]>;
  /**
   * Problems that do not stop mapping but the user should see: a missing column
   * (`missing-column`), a column name the header has twice (`ambiguous-column`, the first is read).
   */
  readonly warnings: readonly FormatProblem[];
}

/** {@link compileMapping}'s outcome: ready, or every problem with its JSON Pointer in the mapping. */
type CompileMappingResult =
  | { ok: true; compiled: CompiledMapping }
  | { ok: false; problems: FormatProblem[] };

// ---- the target tree ------------------------------------------------------------------------

type TreeNode = ObjectNode | ListNode | LeafNode;

interface ObjectNode {
  kind: 'object';
  names: string[];
  children: TreeNode[];
  /** fields reading columns under this node (an item with some is dropped when none gives a value) */
  fromFields: number;
}

interface ListNode {
  kind: 'list';
  /** items by position, sorted */
  positions: number[];
  items: TreeNode[];
  fromFields: number;
}

interface LeafNode {
  kind: 'leaf';
  field: number;
  fromColumns: boolean;
}

function newObject(): ObjectNode {
  return { kind: 'object', names: [], children: [], fromFields: 0 };
}

function newList(): ListNode {
  return { kind: 'list', positions: [], items: [], fromFields: 0 };
}

/** Inserts a field's leaf; returns a problem message when the path clashes with an earlier one. */
function insertLeaf(root: ObjectNode, segments: TargetSegment[], leaf: LeafNode): string | undefined {
  let node: TreeNode = root;
  const trail: (ObjectNode | ListNode)[] = [];
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s] as TargetSegment;
    const last = s === segments.length - 1;
    const nextKind = last ? 'leaf' : (segments[s + 1] as TargetSegment).kind === 'index' ? 'list' : 'object';
    if (node.kind === 'leaf') return 'an earlier field already fills a part of this path with a single value';
    trail.push(node);
    let child: TreeNode | undefined;
    if (segment.kind === 'property') {
      if (node.kind !== 'object')
        return 'this path uses a list position where an earlier field uses a field name';
      const at = node.names.indexOf(segment.name);
      child = at < 0 ? undefined : node.children[at];
      if (child === undefined) {
        child = last ? leaf : nextKind === 'list' ? newList() : newObject();
        node.names.push(segment.name);
        node.children.push(child);
      }
    } else {
      if (node.kind !== 'list')
        return 'this path uses a field name where an earlier field uses a list position';
      const list: ListNode = node;
      const at = list.positions.indexOf(segment.index);
      child = at < 0 ? undefined : list.items[at];
      if (child === undefined) {
        child = last ? leaf : nextKind === 'list' ? newList() : newObject();
        let insertAt = list.positions.findIndex((p) => p > segment.index);
        if (insertAt < 0) insertAt = list.positions.length;
        list.positions.splice(insertAt, 0, segment.index);
        list.items.splice(insertAt, 0, child);
      }
    }
    if (last && child !== leaf)
      return 'an earlier field fills fields inside this path, so it cannot hold a single value';
    if (!last && child.kind !== nextKind) {
      return child.kind === 'leaf'
        ? 'an earlier field already fills a part of this path with a single value'
        : 'this path and an earlier one disagree on whether a part is a list or a group of fields';
    }
    node = child;
  }
  if (leaf.fromColumns) for (const container of trail) container.fromFields++;
  return undefined;
}

// ---- fields ---------------------------------------------------------------------------------

interface FieldPlan {
  target: string;
  required: boolean;
  /** a constant (absent when null or "") */
  constant: MappedValue;
  isConstant: boolean;
  /** header positions read; -1 for a missing column */
  columns: number[];
  /** the column names read, as the mapping writes them */
  columnNames: string[];
  columnLabel: string;
  /** steps run on each column's value (all steps when there is no concat) */
  before: ApplyTransform[];
  beforeRules: string[];
  join: ((values: readonly MappedValue[]) => MappedValue) | undefined;
  after: ApplyTransform[];
  afterRules: string[];
  /** reused per row by a multi-column field: no array allocated per row */
  scratch: MappedValue[];
}

const COLUMN_LABEL_SEPARATOR = ' + ';
const KEY_SEPARATOR = '\u001f';
const NO_PROBLEMS: readonly MappingProblem[] = Object.freeze([]);

function pointerOf(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * Compiles `mapping` (schema-valid, as `loadMapping` and storage give it) for a file whose
 * header is `header`. Never throws: a mapping that cannot
 * run (bad parameters, clashing targets, a transform that cannot read what the previous one
 * makes) gives every problem at once, each with its JSON Pointer into the mapping.
 */
export function compileMapping(mapping: Mapping, header: readonly string[]): CompileMappingResult {
  const problems: FormatProblem[] = [...checkMapping(mapping)];
  const warnings: FormatProblem[] = [];
  const columnIndex = new Map<string, number>();
  const ambiguous = new Set<string>();
  header.forEach((name, index) => {
    if (columnIndex.has(name)) ambiguous.add(name);
    else columnIndex.set(name, index);
  });
  const missing = new Map<string, string[]>();
  const readColumns = new Set<number>();

  function resolve(column: string, usedBy: string, at: string): number {
    const index = columnIndex.get(column);
    if (index === undefined) {
      const users = missing.get(column);
      if (users) users.push(usedBy);
      else {
        missing.set(column, [usedBy]);
        warnings.push({
          path: at,
          code: 'missing-column',
          message: `the file has no column "${column}": its targets stay empty (check the column name or the file)`,
        });
      }
      return -1;
    }
    if (ambiguous.has(column)) {
      warnings.push({
        path: at,
        code: 'ambiguous-column',
        message: `the file has two or more columns named "${column}": the first is read`,
      });
    }
    return index;
  }

  const root = newObject();
  const plans: FieldPlan[] = [];
  const seenTargets = new Set<string>();
  mapping.fields.forEach((field: FieldMapping, fieldIndex) => {
    const at = (...rest: (string | number)[]) => pointerOf('fields', fieldIndex, ...rest);
    const segments = parseTargetPath(field.target);
    if (typeof segments === 'string') {
      problems.push({ path: at('target'), code: 'invalid-target', message: segments });
      return;
    }
    // a target written twice is checkMapping's duplicate-id already: one cause, one problem
    if (seenTargets.has(field.target)) return;
    seenTargets.add(field.target);
    const isConstant = field.from === undefined;
    const clash = insertLeaf(root, segments, { kind: 'leaf', field: plans.length, fromColumns: !isConstant });
    if (clash !== undefined) {
      problems.push({ path: at('target'), code: 'conflicting-targets', message: clash });
      return;
    }
    const fromList = field.from === undefined ? [] : Array.isArray(field.from) ? field.from : [field.from];
    const columns = fromList.map((column, i) =>
      resolve(column, field.target, Array.isArray(field.from) ? at('from', i) : at('from')),
    );
    for (const c of columns) if (c >= 0) readColumns.add(c);
    const plan: FieldPlan = {
      target: field.target,
      required: field.required === true,
      constant: field.const === null || field.const === '' ? undefined : field.const,
      isConstant,
      columns,
      columnNames: fromList,
      columnLabel: fromList.join(COLUMN_LABEL_SEPARATOR),
      before: [],
      beforeRules: [],
      join: undefined,
      after: [],
      afterRules: [],
      scratch: new Array<MappedValue>(columns.length),
    };
    if (isConstant && (field.transform?.length ?? 0) > 0) {
      problems.push({
        path: at('transform'),
        code: 'inconsistent',
        message: 'a constant is written as given: remove the transforms, or read the value "from" a column',
      });
    }
    let kind: ValueKind = 'text';
    let previousOp: string | undefined;
    (field.transform ?? []).forEach((transform, stepIndex) => {
      const definition = transformDefinition(transform.op) as TransformDefinition | undefined;
      if (definition === undefined) {
        // only a document that skipped schema validation gets here; say so instead of throwing
        problems.push({
          path: at('transform', stepIndex, 'op'),
          code: 'not-allowed',
          message: 'not a transform',
        });
        return;
      }
      if (kind !== 'text') {
        problems.push({
          path: at('transform', stepIndex),
          code: 'inconsistent',
          message: `"${transform.op}" works on text, but "${previousOp}" before it makes a ${kind}: make "${previousOp}" the last step`,
        });
      }
      kind = definition.produces;
      previousOp = transform.op;
      const compiled = definition.compile(transform as never);
      if (!compiled.ok) {
        for (const p of compiled.problems) {
          const path = at('transform', stepIndex) + p.path;
          // checkMapping already reported an invalid pattern at this place: one cause, one problem
          if (!problems.some((q) => q.path === path && q.code === p.code)) problems.push({ ...p, path });
        }
        return;
      }
      if (compiled.join && Array.isArray(field.from)) plan.join = compiled.join;
      else if (plan.join === undefined) {
        plan.before.push(compiled.apply);
        plan.beforeRules.push(transformRule(transform.op));
      } else {
        plan.after.push(compiled.apply);
        plan.afterRules.push(transformRule(transform.op));
      }
    });
    plans.push(plan);
  });

  const keyColumns = (Array.isArray(mapping.key) ? mapping.key : [mapping.key]).map((column, i) =>
    resolve(column, 'key', Array.isArray(mapping.key) ? pointerOf('key', i) : pointerOf('key')),
  );

  if (problems.length > 0) return { ok: false, problems };

  const values = new Array<MappedValue>(plans.length);
  /** counts values from columns written while building, to drop list items none reached */
  let fromValuesWritten = 0;

  // Building is split by node kind, with leaves handled inline: no call per leaf, and each
  // function sees one kind of node (monomorphic property access).
  function buildObject(node: ObjectNode): MappedRecord | undefined {
    let object: MappedRecord | undefined;
    const { children, names } = node;
    for (let i = 0; i < children.length; i++) {
      const child = children[i] as TreeNode;
      let value: MappedJson | undefined;
      if (child.kind === 'leaf') {
        value = values[child.field];
        if (value === undefined) continue;
        if (child.fromColumns) fromValuesWritten++;
      } else {
        value = child.kind === 'object' ? buildObject(child) : buildList(child);
        if (value === undefined) continue;
      }
      object ??= {};
      object[names[i] as string] = value;
    }
    return object;
  }

  function buildList(node: ListNode): MappedJson[] | undefined {
    let list: MappedJson[] | undefined;
    const { items } = node;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as TreeNode;
      let value: MappedJson | undefined;
      if (item.kind === 'leaf') {
        value = values[item.field];
        if (value === undefined) continue;
        if (item.fromColumns) fromValuesWritten++;
      } else {
        const before = fromValuesWritten;
        value = item.kind === 'object' ? buildObject(item) : buildList(item);
        // an item the mapping fills from columns, but for which no column gave a value: constants only
        if (value === undefined || (item.fromFields > 0 && fromValuesWritten === before)) continue;
      }
      list ??= [];
      list.push(value);
    }
    return list;
  }

  // Placement mirrors buildObject/buildList exactly (same skips, same list close-up), tracking
  // paths instead of values: kept apart so the per-row build allocates no path strings.
  function placeObject(node: ObjectNode, path: string, out: FieldPlacement[]): boolean {
    let any = false;
    const { children, names } = node;
    for (let i = 0; i < children.length; i++) {
      const child = children[i] as TreeNode;
      const name = names[i] as string;
      const childPath = path === '' ? name : `${path}.${name}`;
      if (child.kind === 'leaf') {
        if (values[child.field] === undefined) continue;
        if (child.fromColumns) fromValuesWritten++;
        out.push(placement(child.field, childPath));
        any = true;
      } else if (
        child.kind === 'object' ? placeObject(child, childPath, out) : placeList(child, childPath, out)
      )
        any = true;
    }
    return any;
  }

  function placeList(node: ListNode, path: string, out: FieldPlacement[]): boolean {
    let placed = 0;
    for (const item of node.items) {
      const itemPath = `${path}[${placed}]`;
      if (item.kind === 'leaf') {
        if (values[item.field] === undefined) continue;
        if (item.fromColumns) fromValuesWritten++;
        out.push(placement(item.field, itemPath));
        placed++;
        continue;
      }
      const before = fromValuesWritten;
      const mark = out.length;
      const any = item.kind === 'object' ? placeObject(item, itemPath, out) : placeList(item, itemPath, out);
      if (!any || (item.fromFields > 0 && fromValuesWritten === before)) {
        out.length = mark;
        continue;
      }
      placed++;
    }
    return placed > 0;
  }

  function placement(field: number, path: string): FieldPlacement {
    const plan = plans[field] as FieldPlan;
    return plan.isConstant
      ? { path, target: plan.target }
      : { path, target: plan.target, column: plan.columnLabel };
  }

  function placeLastRow(): FieldPlacement[] {
    const out: FieldPlacement[] = [];
    fromValuesWritten = 0;
    placeObject(root, '', out);
    fromValuesWritten = 0;
    return out;
  }

  /** the current row's problems (undefined until the first): module state, so no closure per row */
  let rowProblems: MappingProblem[] | undefined;

  function report(
    plan: FieldPlan,
    row: number,
    rule: string,
    failure: TransformFailure,
    column: string,
    value: string,
  ): void {
    rowProblems ??= [];
    rowProblems.push({
      rule,
      code: failure.code,
      severity: 'error',
      row,
      target: plan.target,
      column,
      message: failure.message,
      value,
    });
  }

  function mapRow(cells: readonly string[], row: number): MappedRow {
    rowProblems = undefined;
    for (let f = 0; f < plans.length; f++) {
      const plan = plans[f] as FieldPlan;
      if (plan.isConstant) {
        values[f] = plan.constant;
        continue;
      }
      let failed = false;
      let value: MappedValue;
      if (plan.join === undefined) {
        const index = plan.columns[0] as number;
        const cell = index < 0 ? undefined : cells[index];
        value = cell === '' ? undefined : cell;
        for (let s = 0; s < plan.before.length && value !== undefined; s++) {
          const out = (plan.before[s] as ApplyTransform)(value as string);
          if (out instanceof TransformFailure) {
            report(plan, row, plan.beforeRules[s] as string, out, plan.columnLabel, cell as string);
            failed = true;
            value = undefined;
          } else value = out === '' ? undefined : out;
        }
      } else {
        const scratch = plan.scratch;
        for (let c = 0; c < plan.columns.length; c++) {
          const index = plan.columns[c] as number;
          const cell = index < 0 ? undefined : cells[index];
          let part: MappedValue = cell === '' ? undefined : cell;
          for (let s = 0; s < plan.before.length && part !== undefined; s++) {
            const out = (plan.before[s] as ApplyTransform)(part as string);
            if (out instanceof TransformFailure) {
              report(
                plan,
                row,
                plan.beforeRules[s] as string,
                out,
                plan.columnNames[c] as string,
                cell as string,
              );
              failed = true;
              part = undefined;
            } else part = out === '' ? undefined : out;
          }
          scratch[c] = part;
        }
        value = failed ? undefined : plan.join(scratch);
        if (value === '') value = undefined;
        for (let s = 0; s < plan.after.length && value !== undefined; s++) {
          const out = (plan.after[s] as ApplyTransform)(value as string);
          if (out instanceof TransformFailure) {
            report(plan, row, plan.afterRules[s] as string, out, plan.columnLabel, joinedCells(plan, cells));
            failed = true;
            value = undefined;
          } else value = out === '' ? undefined : out;
        }
      }
      if (value === undefined && plan.required && !failed) {
        rowProblems ??= [];
        rowProblems.push({
          rule: REQUIRED_RULE,
          code: REQUIRED_CODE,
          severity: 'error',
          row,
          target: plan.target,
          column: plan.columnLabel,
          message: `"${plan.target}" must be filled, but "${plan.columnLabel}" gives no value for this row`,
        });
      }
      values[f] = value;
    }
    fromValuesWritten = 0;
    const record = buildObject(root) ?? {};
    const problems = rowProblems ?? NO_PROBLEMS;
    rowProblems = undefined;
    return { record, problems };
  }

  function joinedCells(plan: FieldPlan, cells: readonly string[]): string {
    return plan.columns.map((index) => (index < 0 ? '' : (cells[index] ?? ''))).join(COLUMN_LABEL_SEPARATOR);
  }

  function keyOf(cells: readonly string[]): string | undefined {
    if (keyColumns.length === 1) {
      const index = keyColumns[0] as number;
      const cell = index < 0 ? undefined : cells[index];
      return cell === '' ? undefined : cell;
    }
    let key = '';
    let any = false;
    for (let k = 0; k < keyColumns.length; k++) {
      const index = keyColumns[k] as number;
      const cell = index < 0 ? '' : (cells[index] ?? '');
      if (cell !== '') any = true;
      key += k === 0 ? cell : KEY_SEPARATOR + cell;
    }
    return any ? key : undefined;
  }

  const columnsByTarget = new Map<string, readonly number[]>();
  for (const plan of plans)
    columnsByTarget.set(
      plan.target,
      plan.columns.filter((c) => c >= 0),
    );

  return {
    ok: true,
    compiled: {
      mapRow,
      keyOf,
      placeLastRow,
      header,
      unusedColumns: header.filter((_, index) => !readColumns.has(index)),
      missingColumns: [...missing].map(([column, usedBy]) => ({ column, usedBy })),
      targets: plans.map((p) => p.target),
      requiredTargets: plans.filter((p) => p.required).map((p) => p.target),
      columnsByTarget,
      warnings,
    },
  };
}
