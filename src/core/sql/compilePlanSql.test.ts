import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../contract/index.ts';
import { compilePlanSql, contractSqlScript, SQL_DIALECTS, SqlCompileError } from './index.ts';
import { sqlPattern } from './regex.ts';

const contract = (property: unknown, extra: Record<string, unknown> = {}) =>
  compilePlan({ type: 'object', properties: { code: property }, ...extra });

describe('what the SQL cannot express is named, never skipped', () => {
  const cases: { name: string; plan: ReturnType<typeof compilePlan>; message: string }[] = [
    {
      name: 'a format other than date',
      plan: contract({ type: 'string', format: 'uri' }),
      message: 'format "uri" in column code cannot run as SQL: use the default engine',
    },
    {
      name: 'a look-ahead in a pattern (other than a leading negative one)',
      plan: contract({ type: 'string', pattern: '^\\w(?=A)' }),
      message:
        'pattern (a look-ahead or look-behind) in column code cannot run as SQL: use the default engine',
    },
    {
      name: 'a back-reference in a pattern',
      plan: contract({ type: 'string', pattern: '^(a)\\1$' }),
      message: 'pattern (a back-reference) in column code cannot run as SQL: use the default engine',
    },
    {
      name: 'a keyword the plan leaves to full validation',
      plan: contract({ type: 'number', multipleOf: 5 }),
      message: 'multipleOf in column code cannot run as SQL: use the default engine',
    },
    {
      name: 'a root keyword the plan leaves to full validation',
      plan: contract({ type: 'string' }, { allOf: [{}] }),
      message: 'allOf in the contract cannot run as SQL: use the default engine',
    },
  ];
  for (const dialect of SQL_DIALECTS) {
    it.each(cases)(`${dialect}: $name`, ({ plan, message }) => {
      expect(() => compilePlanSql(plan, { dialect, table: 't' })).toThrow(
        new SqlCompileError('', '').constructor,
      );
      expect(() => compilePlanSql(plan, { dialect, table: 't' })).toThrow(message);
    });
  }

  it('refuses a Unicode property class on PostgreSQL only', () => {
    const plan = contract({ type: 'string', pattern: '^\\p{L}+$' });
    expect(() => compilePlanSql(plan, { dialect: 'postgres', table: 't' })).toThrow(
      'pattern (a Unicode property class) in column code',
    );
    expect(compilePlanSql(plan, { dialect: 'duckdb', table: 't' }).checks).toHaveLength(2);
  });

  it('refuses a header naming a column twice', () => {
    expect(() =>
      compilePlanSql(contract({ type: 'string' }), {
        dialect: 'duckdb',
        table: 't',
        header: ['code', 'code'],
      }),
    ).toThrow('a column named twice in the header in column code');
  });
});

describe('each dialect writes its own quoting, regex and numbers', () => {
  const plan = contract({ type: 'number', pattern: "^a\\.'x", minimum: 1 }, { required: ['code'] });
  const cases = [
    { dialect: 'duckdb', has: ["regexp_matches(\"code\", '^a\\.''x')", 'TRY_CAST("code" AS DOUBLE)'] },
    {
      dialect: 'postgres',
      has: ["(\"code\" ~ '^a\\.''x')", 'numeric_in(textout("code"), 0, -1)'],
    },
    { dialect: 'spark', has: ["(`code` RLIKE '^a\\\\.\\'x')", 'CAST(`code` AS DOUBLE)', '`preflight_row`'] },
    { dialect: 'trino', has: ["regexp_like(\"code\", '^a\\.''x')", 'TRY_CAST("code" AS DOUBLE)'] },
  ] as const;
  it.each(cases)('$dialect', ({ dialect, has }) => {
    const sql = compilePlanSql(plan, { dialect, table: 'extract' });
    expect(sql.checks.map((c) => c.rule)).toEqual([
      'contract.required',
      'contract.type',
      'contract.pattern',
      'contract.minimum',
    ]);
    for (const fragment of has) expect(sql.failures).toContain(fragment);
    expect(sql.summary).toContain('COUNT(*) AS records');
  });

  it('prints a script with the check legend', () => {
    const script = contractSqlScript(plan, 'duckdb');
    expect(script).toContain('--   3: contract.minimum on column code');
    expect(script).toContain('FROM "extract"');
  });
});

describe('patterns in the syntax every engine reads the same', () => {
  const cases = [
    { pattern: '^\\d{3}$', matches: '^[0-9]{3}$' },
    { pattern: '^[\\d-]+$', matches: '^[0-9-]+$' },
    { pattern: '^a.b$', matches: '^a[^\n\r\u2028\u2029]b$' },
    {
      pattern: '^(?![=+\\-@])\\S$',
      matches: '^[^\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]$',
      notAtStart: '^(?:[=+\\-@])',
    },
    { pattern: '^(a)\\1$', problem: 'a back-reference' },
    { pattern: '^(?<year>\\d+)$', problem: 'a named group' },
    { pattern: 'x(?<=a)', problem: 'a look-ahead or look-behind' },
    { pattern: '^(?!a)b|c', problem: 'a look-ahead or look-behind' },
    { pattern: '^[\\S]$', problem: '\\S inside a character class' },
    { pattern: '^\\u00e9$', problem: 'a character code escape' },
  ];
  it.each(cases)('$pattern', ({ pattern, ...expected }) => {
    expect(sqlPattern(pattern, 'duckdb')).toEqual(expected);
  });
});

describe('names from a file never become statements', () => {
  /** Every line of the script but its comments: exactly the two statements the plan compiles to. */
  const statementsOf = (script: string) =>
    script
      .split('\n')
      .filter((line) => !line.startsWith('--') && line !== '')
      .join('\n');

  it('a column, table or contract name holding line breaks stays inside its comment, on every dialect', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.string({ unit: 'binary' }),
        fc.constantFrom(...SQL_DIALECTS),
        (column, table, id, dialect) => {
          const plan = compilePlan({
            $id: id,
            type: 'object',
            properties: { [column]: { type: 'integer' } },
          });
          const script = contractSqlScript(plan, dialect, table);
          const sql = compilePlanSql(plan, { dialect, table });
          // blank lines dropped on both sides: a quoted name may itself hold them (seed -1051983211:
          // the table "\n\n")
          expect(statementsOf(script)).toBe(statementsOf(`${sql.summary};\n${sql.failures};`));
          // the same number of lines as for plain names: nothing a name holds starts a line
          const plain = compilePlan({ $id: 'x', type: 'object', properties: { c: { type: 'integer' } } });
          expect(
            script.split('\n').length - sql.summary.split('\n').length - sql.failures.split('\n').length,
          ).toBe(
            contractSqlScript(plain, dialect, 't').split('\n').length -
              compilePlanSql(plain, { dialect, table: 't' }).summary.split('\n').length -
              compilePlanSql(plain, { dialect, table: 't' }).failures.split('\n').length,
          );
        },
      ),
      // pinned: a table name of line breaks only (blank lines inside its quotes)
      { numRuns: 300, examples: [['\u0000', '\n\n', '', 'duckdb']] },
    );
  });

  it('writes a line break in a name as an escape', () => {
    const plan = compilePlan({
      type: 'object',
      properties: { 'note\nDROP TABLE victim; --': { type: 'string' } },
    });
    const script = contractSqlScript(plan, 'duckdb', 'visits\r\nDROP TABLE victim; --');
    const header = script.slice(0, script.indexOf('\n\n')).split('\n');
    expect(header.every((line) => line.startsWith('--'))).toBe(true);
    expect(header).toContain('--   0: contract.type on column note\\u000aDROP TABLE victim; --');
    expect(script).toContain('named visits\\u000d\\u000aDROP TABLE victim; --');
  });

  it("Spark's literals cannot be ended early by a backslash", () => {
    // the pattern a\\ (a backslash): each of its two backslashes doubled in the literal
    const plan = contract({ type: 'string', pattern: 'a\\\\' });
    const sql = compilePlanSql(plan, { dialect: 'spark', table: 'extract' });
    expect(sql.failures).toContain("RLIKE 'a\\\\\\\\')");
  });
});
