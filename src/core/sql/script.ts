/**
 * The SQL of one contract as a script a data team can read and run: what the input relation must
 * look like, then the summary and the failures query, each with the checks it numbers.
 */

import type { ExpectedHeader, ValidationPlan } from '../contract/index.ts';
import { aggregatePlanSql } from './aggregate.ts';
import { compilePlanSql, ROW_COLUMN, SqlCompileError } from './compilePlanSql.ts';
import { duplicateKeysSql, orphanReferencesSql } from './crossFile.ts';
import type { SqlDialect } from './dialect.ts';
import { headerCheckSql } from './header.ts';
import { warehouseAggregateSql } from './warehouse.ts';

/** What the script checks beside the rows: the header, record keys and references to other tables. */
interface ScriptChecks {
  /** the contract's columns: a header query is written (not for Spark) */
  header?: ExpectedHeader;
  /** key columns of the table: a duplicate-key query each */
  keys?: readonly string[];
  /** columns of the table that refer to another table's key: an orphan query each */
  references?: readonly { column: string; parent: { table: string; column: string } }[];
}

/** Characters that end a `--` comment in some engine, or that a terminal or editor acts on. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/**
 * `text` as it may stand inside a `--` comment: each line break and other control character is
 * written as a `\uXXXX` escape, so a column, table or contract name can never end the comment
 * and start a statement of its own.
 */
export function commentText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out += isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
  }
  return out;
}

/** The script `preflight contract sql` prints. Throws SqlCompileError as {@link compilePlanSql}. */
export function contractSqlScript(
  plan: ValidationPlan,
  dialect: SqlDialect,
  table = 'extract',
  checks: ScriptChecks = {},
): string {
  const sql = compilePlanSql(plan, { dialect, table });
  const legend = sql.checks.map(
    (c) => `--   ${c.id}: ${commentText(c.rule)} on column ${commentText(c.column)}`,
  );
  const missing = plan.missingValues ?? [];
  const header = checks.header ? headerCheckSql(dialect, table, checks.header) : undefined;
  const headerPart = !checks.header
    ? []
    : header === undefined
      ? [
          '-- Header: not checked by this script (Spark SQL has no portable information_schema);',
          `-- compare DESCRIBE ${commentText(table)} with the contract's columns.`,
          '',
        ]
      : [
          "-- Header: the contract's columns the table lacks (missing-label) and the table's columns the",
          '-- contract does not name (extra-label); no row when it fits. The queries below name every',
          "-- contract column: while one is missing they stop with the engine's error naming it.",
          `${header};`,
          '',
        ];
  const keyParts = (checks.keys ?? []).flatMap((column) => [
    `-- Records sharing a key in column ${commentText(column)} (the first rows of each repeated key):`,
    `${duplicateKeysSql(dialect, table, column, missing)};`,
    '',
  ]);
  const referenceParts = (checks.references ?? []).flatMap(({ column, parent }) => [
    `-- Values of column ${commentText(column)} with no record in ${commentText(parent.table)}.${commentText(parent.column)} (orphans):`,
    `${orphanReferencesSql(dialect, { table, column }, parent, missing)};`,
    '',
  ]);
  return [
    `-- Preflight column contract${plan.contract ? ` ${commentText(plan.contract)}` : ''} as ${dialect} SQL.`,
    `-- Input: a table or view named ${commentText(table)} with every column as text (empty cells NULL or '')`,
    `-- and ${ROW_COLUMN}, the record's 1-based data row. See docs/scale.md.`,
    "-- Not checked here: the file's bytes (encoding, quoting: the engine's loader reads them), column",
    '-- order and columns that look renamed, waivers, identifiers with different demographics.',
    ...(dialect === 'spark' || dialect === 'trino' || dialect === 'snowflake'
      ? [`-- Written for ${dialect}, not run by Preflight: run it on a copy first.`]
      : []),
    '-- Checks (check_id):',
    ...(legend.length > 0 ? legend : ['--   none']),
    '',
    ...headerPart,
    '-- Records, and records with at least one failing check:',
    `${sql.summary};`,
    '',
    '-- Per check: failing records and the first failing rows:',
    `${sql.failures};`,
    '',
    ...keyParts,
    ...referenceParts,
  ].join('\n');
}

/**
 * The script `preflight contract sql --aggregate` prints: the one aggregate query a run sends
 * where the table lives (aggregate.ts on PostgreSQL, warehouse.ts on Trino, Spark and Snowflake),
 * with what its rows mean. Throws SqlCompileError for what the dialect cannot express, DuckDB
 * included (no aggregate is written for it).
 */
export function contractAggregateScript(
  plan: ValidationPlan,
  dialect: SqlDialect,
  table: string,
  header: readonly string[],
): string {
  const missing = plan.missingValues ?? [];
  const query =
    dialect === 'postgres'
      ? aggregatePlanSql({ dialect, relation: table, header, plan, missing })
      : dialect === 'duckdb'
        ? undefined
        : warehouseAggregateSql({ dialect, relation: table, header, plan, missing });
  if (!query) throw new SqlCompileError(`the one-query aggregate on ${dialect}`, undefined);
  const legend = query.checks.map(
    (c) => `--   ${c.id}: ${commentText(c.rule)} on column ${commentText(c.column)}`,
  );
  return [
    `-- Preflight column contract${plan.contract ? ` ${commentText(plan.contract)}` : ''} as one ${dialect} aggregate query.`,
    `-- Input: a table or view named ${commentText(table)} with every column as text (empty cells NULL or '')`,
    `-- and ${ROW_COLUMN}, the record's 1-based data row. See docs/scale.md.`,
    `-- Rows: kind, id, n, r, v${dialect === 'postgres' ? '' : ', t'} (${dialect === 'postgres' ? 'src/core/sql/aggregate.ts' : 'src/core/sql/warehouse.ts'} says what each kind holds).`,
    '-- Columns profiled, by id:',
    ...header.map((c, k) => `--   ${k}: ${commentText(c)}`),
    '-- Checks (id):',
    ...(legend.length > 0 ? legend : ['--   none']),
    '',
    `${query.sql};`,
    '',
  ].join('\n');
}
