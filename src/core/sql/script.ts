/**
 * The SQL of one contract as a script a data team can read and run: what the input relation must
 * look like, then the summary and the failures query, each with the checks it numbers.
 */

import type { ValidationPlan } from '../contract/index.ts';
import { compilePlanSql, ROW_COLUMN } from './compilePlanSql.ts';
import type { SqlDialect } from './dialect.ts';

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
export function contractSqlScript(plan: ValidationPlan, dialect: SqlDialect, table = 'extract'): string {
  const sql = compilePlanSql(plan, { dialect, table });
  const legend = sql.checks.map(
    (c) => `--   ${c.id}: ${commentText(c.rule)} on column ${commentText(c.column)}`,
  );
  return [
    `-- Preflight column contract${plan.contract ? ` ${commentText(plan.contract)}` : ''} as ${dialect} SQL.`,
    `-- Input: a table or view named ${commentText(table)} with every column as text (empty cells NULL or '')`,
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
