/**
 * The small edits the readiness forms make to the records they keep (runbook steps, the command
 * centre, rehearsals, communications, partners): one field set or cleared, one row of a list
 * replaced, a new row's id. Pure.
 */

/** `record` with `key` set, or without it when the value is empty (`''` or an empty list). */
export function put<T extends object, K extends keyof T>(record: T, key: K, value: T[K] | ''): T {
  const next = { ...record } as Record<string, unknown>;
  if (value === '' || (Array.isArray(value) && value.length === 0)) delete next[key as string];
  else next[key as string] = value;
  return next as T;
}

/** `list` with its row at `index` replaced by what `edit` makes of it. */
export function replaceAt<T>(list: readonly T[], index: number, edit: (row: T) => T): T[] {
  return list.map((row, i) => (i === index ? edit(row) : row));
}

/** The keys of `T` whose values are lists. */
type ListKeys<T> = { [K in keyof T]-?: T[K] extends readonly unknown[] ? K : never }[keyof T];

/** The row type of a list. */
type RowOf<L> = L extends readonly (infer R)[] ? R : never;

/** `record` with the row at `index` of its list `key` replaced by what `edit` makes of it. */
export function withRow<T extends object, K extends ListKeys<T>>(
  record: T,
  key: K,
  index: number,
  edit: (row: RowOf<T[K]>) => RowOf<T[K]>,
): T {
  return { ...record, [key]: replaceAt(record[key] as readonly RowOf<T[K]>[], index, edit) };
}

/** `${prefix}-n`, an id none of `ids` is. */
export function freshId(prefix: string, ids: readonly string[]): string {
  let n = ids.length + 1;
  while (ids.includes(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

/** `rows` with a new last row, which `make` makes from an id none of them has (`${prefix}-n`). */
export function withNewRow<T extends { id: string }>(
  rows: readonly T[],
  prefix: string,
  make: (id: string) => T,
): T[] {
  const ids = rows.map((r) => r.id);
  return [...rows, make(freshId(prefix, ids))];
}
