/**
 * A table sharded with PostgreSQL's own tools — partitioned on a coordinator whose partitions are
 * foreign tables on other servers (`postgres_fdw`) — checked where its rows live: each query
 * aggregates per partition, the partitions' aggregates are combined with UNION ALL (so the
 * coordinator's Append runs their foreign scans side by side, `async_capable`), and the
 * coordinator merges them into the same answer one table gives.
 *
 * Why per partition: `postgres_fdw` ships an aggregate to a server only whole, over one foreign
 * table; an aggregate over the partitioned parent is computed at the coordinator from every row
 * of every shard. Per partition, each shard sends its counts, its first rows and its keys, never
 * its records.
 *
 * Constraints:
 * - Exact whatever the partition key: a key (or a reference) can sit on several shards when the
 *   table is partitioned by another column, so keys are counted per shard and the counts added by
 *   key at the coordinator; only when the table is partitioned by the checked column itself (a
 *   key's records then share a shard) does each shard send just its repeated keys.
 * - Bounded towards the client: duplicate keys come back as at most {@link LISTED_DUPLICATE_KEYS}
 *   rows with the totals on each, orphans as at most {@link ORPHAN_EXAMPLES} rows with the count.
 * - Pure: SQL text and its reading; the caller runs it. Names reach SQL only quoted.
 */
import {
  type AggregateOptions,
  type AggregatePart,
  type AggregateProfile,
  type AggregateRow,
  type AggregateSql,
  aggregatePlanSql,
  DEFAULT_EXAMPLES,
  decodeAggregate,
  mergeAggregates,
  PROFILE_VALUES,
} from './aggregate.ts';
import { ROW_COLUMN } from './compilePlanSql.ts';
import { dialectSql } from './dialect.ts';

/** Duplicate keys listed (the report's bound on duplicate key groups). */
export const LISTED_DUPLICATE_KEYS = 1000;
/** Rows listed per duplicated key (as the default engine's key sets keep). */
export const ROWS_PER_DUPLICATE = 10;
/** Orphan examples listed per reference (as the default engine keeps). */
export const ORPHAN_EXAMPLES = 20;

const d = dialectSql('postgres');

/**
 * Rows `part` (the partition, as PostgreSQL names it: quoted where needed, schema-qualified
 * outside the search path), `foreign_server` (its server, NULL for a local partition) and
 * `partition_key` (the key's columns, comma-separated) for each partition of `table`, by name; no
 * row for a table that is not partitioned. `table`: the relation as SQL names it (quoted).
 */
export function partitionsSql(table: string): string {
  return [
    'SELECT c.oid::regclass::text AS part, s.srvname AS foreign_server,',
    "  (SELECT string_agg(a.attname, ',' ORDER BY k.n)",
    '     FROM pg_partitioned_table pt',
    '     CROSS JOIN LATERAL unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, n)',
    '     JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum',
    '    WHERE pt.partrelid = i.inhparent) AS partition_key',
    'FROM pg_inherits i',
    'JOIN pg_class c ON c.oid = i.inhrelid',
    'LEFT JOIN pg_foreign_table f ON f.ftrelid = c.oid',
    'LEFT JOIN pg_foreign_server s ON s.oid = f.ftserver',
    `WHERE i.inhparent = to_regclass(${d.text(table)})`,
    '  AND EXISTS (SELECT 1 FROM pg_partitioned_table p WHERE p.partrelid = i.inhparent)',
    'ORDER BY c.relname',
  ].join('\n');
}

/** A partitioned table's parts as {@link partitionsSql} lists them. */
export interface TableShards {
  /** each partition as SQL names it */
  parts: string[];
  /** the servers of the foreign partitions, each once, in order */
  servers: string[];
  /** each partition's server, as `parts` lists them (undefined: a local partition) */
  partServers: (string | undefined)[];
  /** the partition key's columns */
  partitionKey: string[];
}

/**
 * The rows of {@link partitionsSql} read; undefined when the table is not sharded (not
 * partitioned, or no partition is a foreign table): it then runs as one relation.
 */
export function readPartitions(rows: readonly Record<string, unknown>[]): TableShards | undefined {
  const servers = [
    ...new Set(rows.flatMap((r) => (typeof r.foreign_server === 'string' ? [r.foreign_server] : []))),
  ];
  if (servers.length === 0) return undefined;
  return {
    parts: rows.map((r) => String(r.part)),
    servers,
    partServers: rows.map((r) => (typeof r.foreign_server === 'string' ? r.foreign_server : undefined)),
    partitionKey: String(rows[0]?.partition_key ?? '')
      .split(',')
      .filter((c) => c !== ''),
  };
}

/**
 * One query of `aggregateOf(part)` for every part, combined with UNION ALL, each row led by the
 * index of its part (`part`, 0-based): the shape the coordinator runs side by side.
 */
export function perPartSql(parts: readonly string[], aggregateOf: (part: string) => string): string {
  return parts
    .map((part, i) => `SELECT ${i} AS part, q.* FROM (\n${aggregateOf(part)}\n) q`)
    .join('\nUNION ALL\n');
}

/** A table's aggregate query per part ({@link aggregatePlanSql}), combined in one query. */
export interface PartsAggregateSql {
  /** each part's own aggregate, in the order of the parts */
  queries: AggregateSql[];
  /** every part's aggregate, each row led by its part's index (`part`) */
  sql: string;
}

/**
 * The aggregate plan of a table run on each of its parts (`parts`: relation names, quoted here)
 * at once: each part's query is the one-relation query, so what a shard computes and what one
 * server computes are the same SQL.
 */
export function partsAggregateSql(
  parts: readonly string[],
  options: Omit<AggregateOptions, 'relation'>,
): PartsAggregateSql {
  const queries = parts.map((relation) => aggregatePlanSql({ ...options, relation, foreign: true }));
  return {
    queries,
    sql: perPartSql(
      queries.map((q) => q.sql),
      (sql) => sql,
    ),
  };
}

/** The rows of {@link partsAggregateSql} as what the whole table holds ({@link mergeAggregates}). */
export function decodePartsAggregate(query: PartsAggregateSql, rows: readonly AggregateRow[]): AggregatePart {
  const byPart = query.queries.map((): AggregateRow[] => []);
  for (const row of rows) byPart[Number(row.part)]?.push(row);
  const parts = query.queries.map((q, i) => decodeAggregate(q, byPart[i] ?? []));
  return mergeAggregates(parts, query.queries[0]?.examples ?? DEFAULT_EXAMPLES);
}

/**
 * One column's profile values across `parts` (relations named as SQL names them), for a column
 * past the tracked values on some part, whose parts' counts can only bound its distinct values:
 * each part sends its values grouped (an aggregate), the coordinator adds them by value and sends
 * at most {@link PROFILE_VALUES} rows, in first-row order: `distinct_values` (every distinct
 * filled value, exact), `v`, `n` (its cells), `r` (its first row) and `t` (its cells before the
 * first row of the {@link PROFILE_VALUES}th value: the counts the default profiler keeps).
 */
export function partsProfileSql(
  parts: readonly string[],
  column: string,
  missing: readonly string[],
): string {
  const c = d.ident(column);
  const row = d.ident(ROW_COLUMN);
  const grouped = perPartSql(
    parts,
    (part) =>
      `SELECT ${c} AS v, COUNT(*) AS n, MIN(${row}) AS r FROM ${part} WHERE ${filled(c, missing)} GROUP BY ${c}`,
  );
  const before = perPartSql(
    parts,
    (part) =>
      `SELECT ${c} AS v, COUNT(*) AS t FROM ${part} WHERE ${row} < (SELECT at FROM o) AND ${filled(c, missing)} GROUP BY ${c}`,
  );
  return [
    `WITH per_part AS (\n${grouped}\n),`,
    'g AS (SELECT v, SUM(n) AS n, MIN(r) AS r FROM per_part GROUP BY v),',
    `p AS MATERIALIZED (SELECT v, n, r FROM g ORDER BY r LIMIT ${PROFILE_VALUES}),`,
    `o AS (SELECT MAX(r) AS at FROM p HAVING COUNT(*) = ${PROFILE_VALUES}),`,
    // kept whole (MATERIALIZED): inlined, the join below would ask each shard once per value
    `before AS MATERIALIZED (\n${before}\n)`,
    'SELECT (SELECT COUNT(*) FROM g) AS distinct_values, p.v, p.n, p.r, b.t',
    'FROM p LEFT JOIN (SELECT v, SUM(t) AS t FROM before GROUP BY v) AS b ON b.v = p.v',
    'ORDER BY p.r',
  ].join('\n');
}

/**
 * `profile` (a sharded column's, merged from its parts) with the values, tracked counts and exact
 * distinct count of {@link partsProfileSql}'s rows.
 */
export function withPartsProfile(profile: AggregateProfile, rows: readonly AggregateRow[]): AggregateProfile {
  const count = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0));
  const values = rows.map((r): [string, number, number] => [String(r.v), count(r.n), count(r.r)]);
  const overflowed = values.length >= PROFILE_VALUES;
  const { tracked: _, ...rest } = profile;
  return {
    ...rest,
    values,
    overflowed,
    ...(overflowed ? { tracked: rows.map((r) => count(r.t)) } : {}),
    distinct: rows.length > 0 ? count(rows[0]?.distinct_values) : 0,
    distinctExact: true,
  };
}

/** ` AND <expr> NOT IN (…)` for texts that mean "no value", or nothing. */
function notMissing(expr: string, missing: readonly string[]): string {
  const texts = missing.filter((m) => m !== '');
  return texts.length > 0 ? ` AND ${expr} NOT IN (${texts.map(d.text).join(', ')})` : '';
}

/** A filled key: not NULL, not empty, not a text meaning "no value" (as the default engine's key sets). */
function filled(expr: string, missing: readonly string[]): string {
  return `${expr} IS NOT NULL AND ${expr} <> ''${notMissing(expr, missing)}`;
}

/**
 * Rows `key_value`, `count` (records holding it), `example_rows` (its first
 * {@link ROWS_PER_DUPLICATE} rows, in order), and on every row the totals `keys` (keys held more
 * than once) and `records` (records beyond each key's first), for the
 * {@link LISTED_DUPLICATE_KEYS} keys held more than once across `parts` (relations named as SQL
 * names them) whose first repeat comes first, in the order of their first rows. `colocated`: the parts are split by this very
 * column, so a key's records share a part and each part sends only its repeated keys.
 */
export function shardedDuplicateKeysSql(
  parts: readonly string[],
  column: string,
  missing: readonly string[],
  colocated: boolean,
): string {
  const key = d.ident(column);
  const row = d.ident(ROW_COLUMN);
  const perPart = perPartSql(parts, (part) =>
    [
      `SELECT ${key} AS key_value, COUNT(*) AS n,`,
      `  (array_agg(${row} ORDER BY ${row}))[1:${ROWS_PER_DUPLICATE}] AS some_rows`,
      `FROM ${part}`,
      `WHERE ${filled(key, missing)}`,
      `GROUP BY ${key}${colocated ? '\nHAVING COUNT(*) > 1' : ''}`,
    ].join('\n'),
  );
  return [
    `WITH per_part AS (\n${perPart}\n),`,
    'held AS (SELECT key_value, SUM(n) AS n FROM per_part GROUP BY key_value HAVING SUM(n) > 1),',
    'held_rows AS (',
    `  SELECT h.key_value, h.n, (array_agg(r ORDER BY r))[1:${ROWS_PER_DUPLICATE}] AS example_rows`,
    '  FROM held h JOIN per_part p USING (key_value), unnest(p.some_rows) AS r',
    '  GROUP BY h.key_value, h.n',
    '),',
    // the keys listed are those whose first repeat comes first, as the default engine lists them
    'listed AS (',
    '  SELECT key_value, n, example_rows, COUNT(*) OVER () AS keys, SUM(n - 1) OVER () AS records',
    `  FROM held_rows ORDER BY example_rows[2] LIMIT ${LISTED_DUPLICATE_KEYS}`,
    ')',
    `SELECT key_value, n AS ${d.ident('count')}, example_rows, keys, records`,
    'FROM listed ORDER BY example_rows[1]',
  ].join('\n');
}

/**
 * Rows `orphans` (references across `childParts` that find no key across `parentParts`),
 * `example_row`, `value`, `k` (1..{@link ORPHAN_EXAMPLES}), in row order; no row when every
 * reference finds its record. Each child part sends its references grouped (a count and its
 * first rows per value), each parent part its keys grouped; the coordinator keeps the references
 * no key matches.
 */
export function shardedOrphansSql(
  child: { parts: readonly string[]; column: string },
  parent: { parts: readonly string[]; column: string },
  /** texts of the child's column that mean "no value" besides "": not references */
  missing: readonly string[] = [],
): string {
  const ref = d.ident(child.column);
  const key = d.ident(parent.column);
  const row = d.ident(ROW_COLUMN);
  const refs = perPartSql(child.parts, (part) =>
    [
      `SELECT ${ref} AS value, COUNT(*) AS n,`,
      `  (array_agg(${row} ORDER BY ${row}))[1:${ORPHAN_EXAMPLES}] AS some_rows`,
      `FROM ${part}`,
      `WHERE ${filled(ref, missing)}`,
      `GROUP BY ${ref}`,
    ].join('\n'),
  );
  const keys = perPartSql(
    parent.parts,
    (part) => `SELECT ${key} AS value FROM ${part} WHERE ${key} IS NOT NULL GROUP BY ${key}`,
  );
  return [
    `WITH refs AS (\n${refs}\n),`,
    `held_keys AS (\n${keys}\n),`,
    'orphan AS (',
    '  SELECT r.value, r.n, r.some_rows FROM refs r',
    '  WHERE NOT EXISTS (SELECT 1 FROM held_keys k WHERE k.value = r.value)',
    '),',
    'examples AS (',
    '  SELECT o.value, e AS example_row FROM orphan o, unnest(o.some_rows) AS e',
    `  ORDER BY e LIMIT ${ORPHAN_EXAMPLES}`,
    ')',
    'SELECT (SELECT SUM(n) FROM orphan) AS orphans, example_row, value,',
    '  ROW_NUMBER() OVER (ORDER BY example_row) AS k',
    'FROM examples',
    'ORDER BY example_row',
  ].join('\n');
}

/** Aggregate functions a remote query may compute (what `postgres_fdw` ships of Preflight's SQL). */
const AGGREGATE_CALL = /^\(*\s*(count|sum|min|max|avg|array_agg|string_agg|bool_and|bool_or|every)\s*\(/i;

/**
 * Every `Remote SQL` of a plan from `EXPLAIN (VERBOSE, FORMAT JSON)`: what the coordinator asks
 * each shard, in plan order.
 */
export function remoteSqlOf(explained: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node !== null && typeof node === 'object')
      for (const [name, value] of Object.entries(node)) {
        if (name === 'Remote SQL' && typeof value === 'string') found.push(value);
        else walk(value);
      }
  };
  walk(explained);
  return found;
}

/** `text` cut at its top-level `separator` (outside parentheses, brackets and quotes). */
function topLevelSplit(text: string, separator: RegExp): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0) {
      const match = separator.exec(text.slice(i));
      if (match?.index === 0) {
        pieces.push(text.slice(start, i));
        i += match[0].length - 1;
        start = i + 1;
      }
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/**
 * Whether a shard's query (a `Remote SQL`) sends aggregates, not rows: every column it selects is
 * an aggregate's result or, with GROUP BY, a grouping key that is not the row number (grouping by
 * it would send a row per record); or it sends at most `rowsAtMost` rows (`LIMIT`: a check's first
 * failing rows). A query without an aggregate, a grouping or such a limit sends every row that
 * passes its filter: the table, in effect.
 */
export function sendsAggregates(remoteSql: string, rowsAtMost = 0): boolean {
  const sql = remoteSql.trim();
  if (!/^SELECT\s/i.test(sql)) return false;
  const limit = /\sLIMIT\s+([0-9]+)\s*$/i.exec(sql);
  if (limit && Number(limit[1]) <= rowsAtMost && topLevelSplit(sql, /^\sLIMIT\s/i).length > 1) return true;
  const [selected = '', ...rest] = topLevelSplit(sql.replace(/^SELECT\s+(DISTINCT\s+)?/i, ''), /^\sFROM\s/i);
  if (rest.length === 0) return false;
  const after = rest.join(' FROM ');
  const groupBy = topLevelSplit(after, /^\sGROUP BY\s/i);
  const grouped = groupBy.length > 1;
  const items = topLevelSplit(selected, /^,/).map((item) => item.trim());
  // postgres_fdw groups by position (`GROUP BY 1`): a number stands for that selected column
  const groupingKeys = grouped
    ? topLevelSplit(topLevelSplit(groupBy[1] ?? '', /^\s(HAVING|ORDER BY|LIMIT)\s/i)[0] ?? '', /^,/)
        .map((k) => k.trim())
        .map((k) => (/^[0-9]+$/.test(k) ? (items[Number(k) - 1] ?? k) : k))
    : [];
  const rowColumn = new RegExp(`(^|[.\\s])"?${ROW_COLUMN}"?$`);
  if (groupingKeys.some((k) => rowColumn.test(k))) return false;
  return items.every((column) => AGGREGATE_CALL.test(column) || (grouped && !rowColumn.test(column)));
}
