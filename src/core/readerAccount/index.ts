/**
 * The reader account: what a reader saw in a file and did not use, or used only by a stated
 * choice, beside the result it returns. Every reader (BPMN, event logs in CSV, XES and OCEL,
 * extracts in CSV, Parquet, compressed and archived) builds one with {@link createAccount}, so
 * the browser, the CLI and the JSON say the same thing in the same shape, and a corpus test can
 * hold that everything a file holds is either used or in the account ({@link unaccounted}).
 *
 * Constraint: an account names elements, attributes, columns, keys and types, never a cell's or
 * an attribute's value (values can be patient data). `name` comes from the file, so it is shown
 * through the callers' own terminal or HTML escaping, never raw.
 */

/** What kind of thing a line of the account is about. */
export type AccountKind =
  /** an XML element (BPMN, XES), with its path: `bpmn:timerEventDefinition/bpmn:timeCycle` */
  | 'element'
  /** an XML attribute or an XES/OCEL attribute key: `bpmn:task@camunda:asyncBefore`, `org:group` */
  | 'attribute'
  /** a column of a CSV or Parquet file or of an event log */
  | 'column'
  /** a physical or logical type (Parquet `INT96`, a number written with a decimal comma) */
  | 'type'
  /** a key of a JSON object (OCEL JSON, FHIR) */
  | 'key'
  /** an entry of an archive or a file of a folder */
  | 'entry';

/** Where the thing was first seen; every part optional, each 1-based except `byte`. */
export interface AccountWhere {
  /** the file (an archive entry is `archive.zip/patients.csv`) */
  file?: string;
  line?: number;
  column?: number;
  /** data row, the header being row 0 */
  row?: number;
  /** 0-based byte offset */
  byte?: number;
  /** the id of the nearest element with one (BPMN, XES trace or event, OCEL object or event) */
  elementId?: string;
}

/**
 * `not-used`: seen and left out of the figures. `interpreted`: used, but by a choice the file
 * does not state (INT96 read as the writer's local time, `36,4` read as 36.4), said so the person
 * can overrule it.
 */
export type AccountHandling = 'not-used' | 'interpreted';

/** One line of an account: one (kind, name, handling), however often it was seen. */
export interface AccountLine {
  kind: AccountKind;
  /** as the file writes it */
  name: string;
  handling: AccountHandling;
  /** how many times it was seen (elements, cells, rows or entries, as `kind` says) */
  count: number;
  /** where it was first seen */
  where?: AccountWhere;
  /** what this does to the figures, in words for clinic staff */
  effect: string;
}

/** What a reader read and what it did not use. */
export interface ReaderAccount {
  /** the reader, e.g. `bpmn`, `xes`, `csv-log`, `ocel-json`, `csv`, `parquet`, `zip` */
  reader: string;
  /** the names (same spelling as {@link AccountLine.name}) the reader used, sorted */
  used: string[];
  /** what it did not use, or used by a stated choice, in the order first seen */
  lines: AccountLine[];
}

/** Builds a {@link ReaderAccount}; a reader keeps one per file it reads. */
export interface AccountBuilder {
  /** record that the reader used `name` (idempotent) */
  use(name: string): void;
  /** record that `name` was seen and not used; repeated calls count up and keep the first `where` */
  notUsed(kind: AccountKind, name: string, effect: string, where?: AccountWhere, count?: number): void;
  /** record that `name` was used by a stated choice (see {@link AccountHandling}) */
  interpreted(kind: AccountKind, name: string, effect: string, where?: AccountWhere, count?: number): void;
  /** true when `name` was used or accounted for */
  has(name: string): boolean;
  /** the account so far (a copy: the builder can go on) */
  finish(): ReaderAccount;
}

/** A new, empty account for `reader`. */
export function createAccount(reader: string): AccountBuilder {
  const used = new Set<string>();
  const lines = new Map<string, AccountLine>();
  const add = (
    handling: AccountHandling,
    kind: AccountKind,
    name: string,
    effect: string,
    where: AccountWhere | undefined,
    count: number,
  ): void => {
    const key = `${handling}\u0000${kind}\u0000${name}`;
    const line = lines.get(key);
    if (line) {
      line.count += count;
      return;
    }
    lines.set(key, { kind, name, handling, count, ...(where ? { where: { ...where } } : {}), effect });
  };
  return {
    use: (name) => {
      used.add(name);
    },
    notUsed: (kind, name, effect, where, count = 1) => add('not-used', kind, name, effect, where, count),
    interpreted: (kind, name, effect, where, count = 1) =>
      add('interpreted', kind, name, effect, where, count),
    has: (name) => used.has(name) || [...lines.values()].some((line) => line.name === name),
    finish: () => ({
      reader,
      used: [...used].sort(),
      lines: [...lines.values()].map((line) => ({
        ...line,
        ...(line.where ? { where: { ...line.where } } : {}),
      })),
    }),
  };
}

/**
 * The names in `seen` that the account neither used nor lists: empty when the reader accounted
 * for everything. Corpus tests walk a third-party file themselves (every element and attribute
 * path, every key, every column and type) and hold this to be empty.
 */
export function unaccounted(seen: Iterable<string>, account: ReaderAccount): string[] {
  const known = new Set(account.used);
  for (const line of account.lines) known.add(line.name);
  const missing = new Set<string>();
  for (const name of seen) if (!known.has(name)) missing.add(name);
  return [...missing].sort();
}

/** Several accounts (one per file or entry) as one list of lines, each `where` keeping its file. */
export function mergeAccounts(reader: string, accounts: readonly ReaderAccount[]): ReaderAccount {
  const merged = createAccount(reader);
  for (const account of accounts) {
    for (const name of account.used) merged.use(name);
    for (const line of account.lines) {
      const record = line.handling === 'not-used' ? merged.notUsed : merged.interpreted;
      record(line.kind, line.name, line.effect, line.where, line.count);
    }
  }
  return merged.finish();
}

/** Where, in words: "line 12, column 4", "row 18 233", "byte 1 024", "element Task_1". */
export function whereWords(where: AccountWhere | undefined): string {
  if (!where) return '';
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.column !== undefined) parts.push(`column ${where.column}`);
  if (where.row !== undefined) parts.push(`row ${where.row}`);
  if (where.byte !== undefined) parts.push(`byte ${where.byte}`);
  if (where.elementId !== undefined) parts.push(`element ${where.elementId}`);
  return parts.join(', ');
}

/**
 * One line of words per account line, for the CLI and a plain summary: "Not used: column
 * weight_kg (seen 20000 times, first at row 1): weights are not checked." The name is as the file
 * writes it; the caller escapes it for its medium.
 */
export function accountWords(account: ReaderAccount): string[] {
  return account.lines.map((line) => {
    const head = line.handling === 'not-used' ? 'Not used' : 'Read by a choice';
    const where = whereWords(line.where);
    const seen = line.count === 1 ? 'seen once' : `seen ${line.count} times`;
    return `${head}: ${line.kind} ${line.name} (${seen}${where ? `, first at ${where}` : ''}): ${line.effect}`;
  });
}
