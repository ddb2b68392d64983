/**
 * The SQL of one contract as a script a data team can read and run: what the input relation must
 * look like, then the summary and the failures query, each with the checks it numbers.
 */

import type { ValidationPlan } from '../contract/index.ts';
import { compilePlanSql, ROW_COLUMN } from './compilePlanSql.ts';
import type { SqlDialect } from './dialect.ts';

/** The script `preflight contract sql` prints. Throws SqlCompileError as {@link compilePlanSql}. */
export function contractSqlScript(plan: ValidationPlan, dialect: SqlDialect, table = 'extract'): string {
  const sql = compilePlanSql(plan, { dialect, table });
  const legend = sql.checks.map((c) => `--   ${c.id}: ${c.rule} on column ${c.column}`);
  return [
    `-- Preflight column contract${plan.contract ? ` ${plan.contract}` : ''} as ${dialect} SQL.`,
    `-- Input: a table or view named ${table} with every column as text (empty cells NULL or '')`,
    `-- and ${ROW_COLUMN}, the record's 1-based data row. See docs/scale.md.`,
    '-- Checks (check_id):',
    ...(legend.length > 0 ? legend : ['--   none']),
    '',
    '-- Records, and records with at least one failing check:',
    `${sql.summary};`,
    '',
    '-- Per check: failing records and the first failing rows:',
    `${sql.failures};`,
    '',
  ].join('\n');
}
