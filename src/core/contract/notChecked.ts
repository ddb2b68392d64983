/**
 * What a contract asks that is not checked, carried inside the contract itself: a Table Schema
 * converted in the app is kept in the project as its row JSON Schema only, so the parts the
 * conversion could not express travel with it as lines of the root `$comment` (an annotation:
 * validation ignores it, ajv's strict mode allows it). Two kinds of lines:
 * - {@link NOT_CHECKED_LINE}: never checked (a date layout Preflight cannot read);
 * - {@link KEY_LINE} / {@link LINK_LINE}: a unique column or a foreign key, checked only when the
 *   run has that key or link (the Migration screen checks keys and links as chosen on it);
 * - {@link MISSING_LINE}: cell texts that mean "no value" besides the empty cell (a Table Schema's
 *   `missingValues`), which the plan reads back ({@link missingValuesOf}): checked as empty.
 * - {@link NUMBER_LINE}: how the numbers of some columns are written (a Table Schema's
 *   `decimalChar` / `groupChar`), which the plan reads back ({@link numberCharsOf}) to read them.
 * Other comment text is the contract author's and is kept.
 */

/** Start of a never-checked line in a contract's root `$comment`. */
const NOT_CHECKED_LINE = 'Not checked: ';
/** Start of a line naming a column whose values must not repeat (JSON: the column name). */
const KEY_LINE = 'Checked when chosen as the key: ';
/** Start of a line naming a foreign key (JSON: {@link ContractLink}). */
const LINK_LINE = 'Checked when the files are linked: ';

/** Start of the line listing the texts that mean "no value" (JSON: a list of strings). */
const MISSING_LINE = 'Missing values: ';

/**
 * Start of the line giving, per column, the characters its numbers are written with (JSON: an
 * object of column name → {@link NumberChars}).
 */
export const NUMBER_LINE = 'Numbers written with: ';

/** How a column's numbers are written: "1.234,5" is decimal "," and group ".". */
export interface NumberChars {
  /** the decimal mark (one character; "." by default) */
  decimal: string;
  /** the thousands separator, removed wherever it stands; absent when there is none */
  group?: string;
}

/** A one-column foreign key: `column` refers to `targetColumn` of `resource` ("" is the file itself). */
interface ContractLink {
  column: string;
  resource: string;
  targetColumn: string;
}

/** What a contract asks beyond one row: lines never checked, unique columns, foreign keys. */
interface ContractExtras {
  notChecked: readonly string[];
  keys?: readonly string[];
  links?: readonly ContractLink[];
  /** texts that mean "no value" besides "" */
  missingValues?: readonly string[];
}

/** The contract with `extras` recorded in its root `$comment` (none: the contract unchanged). */
export function withNotChecked(
  contract: Readonly<Record<string, unknown>>,
  extras: ContractExtras,
): Record<string, unknown> {
  const lines = [
    ...extras.notChecked.map((line) => `${NOT_CHECKED_LINE}${line}`),
    ...(extras.keys ?? []).map((key) => `${KEY_LINE}${JSON.stringify(key)}`),
    ...(extras.links ?? []).map((link) => `${LINK_LINE}${JSON.stringify(link)}`),
  ];
  const missing = (extras.missingValues ?? []).filter((m) => m !== '');
  if (missing.length > 0) lines.push(`${MISSING_LINE}${JSON.stringify(missing)}`);
  if (lines.length === 0) return { ...contract };
  const own = typeof contract.$comment === 'string' && contract.$comment !== '' ? [contract.$comment] : [];
  return { ...contract, $comment: [...own, ...lines].join('\n') };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a run checks beyond the rows: its key columns, and its links from this file (by column). */
export interface RunChecks {
  keys: readonly string[];
  /** the columns of this file that refer to another file (or itself) in the run */
  linkedColumns: readonly string[];
}

/**
 * What a run with `run`'s keys and links does not check of a contract recorded by
 * {@link withNotChecked}, in words, in order: the never-checked lines, then each unique column
 * that is not a key of the run and each foreign key whose column is not linked.
 */
export function notCheckedOf(contract: Readonly<Record<string, unknown>>, run: RunChecks): string[] {
  if (typeof contract.$comment !== 'string') return [];
  const lines: string[] = [];
  for (const line of contract.$comment.split('\n')) {
    if (line.startsWith(NOT_CHECKED_LINE) && line.length > NOT_CHECKED_LINE.length)
      lines.push(line.slice(NOT_CHECKED_LINE.length));
    else if (line.startsWith(KEY_LINE)) {
      const key = parsed(line.slice(KEY_LINE.length));
      if (typeof key === 'string' && !run.keys.includes(key))
        lines.push(`repeats in "${key}" (unique in the contract): choose it as the file's key to check them`);
    } else if (line.startsWith(LINK_LINE)) {
      const link = parsed(line.slice(LINK_LINE.length)) as Partial<ContractLink> | undefined;
      if (
        typeof link?.column === 'string' &&
        typeof link.resource === 'string' &&
        typeof link.targetColumn === 'string' &&
        !run.linkedColumns.includes(link.column)
      )
        lines.push(
          `the foreign key ${link.column} → ${link.resource || 'this file'}.${link.targetColumn}: link the files by it to check it`,
        );
    }
  }
  return lines;
}

/** The texts a contract recorded by {@link withNotChecked} reads as "no value", besides "" (none: []). */
export function missingValuesOf(contract: Readonly<Record<string, unknown>>): string[] {
  if (typeof contract.$comment !== 'string') return [];
  for (const line of contract.$comment.split('\n')) {
    if (!line.startsWith(MISSING_LINE)) continue;
    const list = parsed(line.slice(MISSING_LINE.length));
    if (Array.isArray(list)) return list.filter((m): m is string => typeof m === 'string' && m !== '');
  }
  return [];
}

/** The number characters a contract recorded ({@link NUMBER_LINE}), by column (none: {}). */
export function numberCharsOf(contract: Readonly<Record<string, unknown>>): Record<string, NumberChars> {
  if (typeof contract.$comment !== 'string') return {};
  // no prototype: a column named `__proto__` is an entry like any other
  const found: Record<string, NumberChars> = Object.create(null);
  for (const line of contract.$comment.split('\n')) {
    if (!line.startsWith(NUMBER_LINE)) continue;
    const map = parsed(line.slice(NUMBER_LINE.length));
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    for (const [column, chars] of Object.entries(map as Record<string, unknown>)) {
      const { decimal, group } = (chars ?? {}) as Partial<NumberChars>;
      if (typeof decimal !== 'string' || decimal.length !== 1) continue;
      if (group !== undefined && (typeof group !== 'string' || group.length !== 1 || group === decimal))
        continue;
      found[column] = group === undefined ? { decimal } : { decimal, group };
    }
  }
  return found;
}
