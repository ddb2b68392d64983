/**
 * The header check as SQL: the contract's columns against the columns the input table or view
 * has, read from the engine's `information_schema`, with the rule ids and severities the default
 * engine gives (`missing-label`: an error for a required column, a warning for an optional one;
 * `extra-label`: an error when the contract refuses other columns, else a warning). The record
 * number column is not part of the extract's header.
 *
 * Constraints: a table has no blank or repeated column names, so `blank-label` and
 * `duplicate-label` cannot occur; a column that looks renamed ("Patient ID" for `patient_id`) is
 * told as one missing and one extra column, not as `incorrect-label`; column order is not compared.
 * Spark SQL has no portable `information_schema`, so no header query is written for it.
 */
import type { ExpectedHeader } from '../contract/index.ts';
import { ROW_COLUMN } from './compilePlanSql.ts';
import { dialectSql, type SqlDialect } from './dialect.ts';

/** The expression naming the schema a bare table name resolves to, per engine. */
const CURRENT_SCHEMA: Record<Exclude<SqlDialect, 'spark'>, string> = {
  duckdb: 'current_schema()',
  postgres: 'current_schema()',
  snowflake: 'CURRENT_SCHEMA()',
  trino: 'current_schema',
};

/**
 * Rows `rule`, `severity`, `column_name`, one per header problem, ordered by rule then column;
 * no row when the header fits. `undefined` for Spark (see the module note).
 */
export function headerCheckSql(
  dialect: SqlDialect,
  table: string,
  expected: ExpectedHeader,
): string | undefined {
  if (dialect === 'spark') return undefined;
  const d = dialectSql(dialect);
  const required = new Set(expected.required ?? []);
  const extraSeverity = expected.extraAllowed === false ? 'error' : 'warning';
  const actual = [
    '  SELECT column_name FROM information_schema.columns',
    `  WHERE table_schema = ${CURRENT_SCHEMA[dialect]} AND table_name = ${d.text(table)}`,
    `    AND column_name <> ${d.text(ROW_COLUMN)}`,
  ];
  const missing =
    expected.columns.length === 0
      ? []
      : [
          "SELECT 'missing-label' AS rule, e.severity, e.column_name",
          'FROM (VALUES',
          expected.columns
            .map((c) => `  (${d.text(c)}, ${d.text(required.has(c) ? 'error' : 'warning')})`)
            .join(',\n'),
          ') AS e(column_name, severity)',
          'WHERE NOT EXISTS (SELECT 1 FROM actual a WHERE a.column_name = e.column_name)',
          'UNION ALL',
        ];
  const known =
    expected.columns.length === 0
      ? ''
      : ` AND a.column_name NOT IN (${expected.columns.map((c) => d.text(c)).join(', ')})`;
  return [
    'WITH actual AS (',
    ...actual,
    ')',
    ...missing,
    `SELECT 'extra-label' AS rule, ${d.text(extraSeverity)} AS severity, a.column_name`,
    `FROM actual a WHERE 1 = 1${known}`,
    'ORDER BY rule, column_name',
  ].join('\n');
}
