/**
 * What the SQL aggregates (PostgreSQL's in aggregate.ts, the warehouses' in warehouse.ts) share to
 * classify a value as the default profiler does (columnProfile.ts): how many kinds it tells apart,
 * the white space its `\s` matches, and the date a value of a date kind writes.
 *
 * Constraint: each must agree with columnProfile.ts to the byte, or the statistics a database
 * gives differ from the profiler's on the same cells (validateWarehouse.test.ts and
 * validatePostgres.test.ts compare them).
 */

/** Kinds the default profiler tells apart (its `VALUE_KINDS`), by index. */
export const VALUE_KIND_COUNT = 13;

/** ECMAScript's white space and line terminators (what `\s` matches; columnProfile.ts `isSpace`), as code points. */
export const JS_SPACE_CODES: readonly number[] = [
  0x09,
  0x0a,
  0x0b,
  0x0c,
  0x0d,
  0x20,
  0xa0,
  0x1680,
  ...Array.from({ length: 11 }, (_, i) => 0x2000 + i),
  0x2028,
  0x2029,
  0x202f,
  0x205f,
  0x3000,
  0xfeff,
];

/** The escapes PostgreSQL's regular expressions read for the control characters among them. */
const CONTROL_ESCAPES: Readonly<Record<number, string>> = {
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  32: ' ',
};

/**
 * {@link JS_SPACE_CODES} as PostgreSQL regular-expression escapes inside brackets: a run of three or
 * more consecutive `\u` code points written as a range, the control characters one by one.
 */
export function jsSpaceBracket(): string {
  const one = (c: number) => CONTROL_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
  let out = '';
  for (let i = 0; i < JS_SPACE_CODES.length; ) {
    const from = JS_SPACE_CODES[i] as number;
    let j = i;
    while (JS_SPACE_CODES[j + 1] === (JS_SPACE_CODES[j] as number) + 1) j += 1;
    if (j - i >= 2 && CONTROL_ESCAPES[from] === undefined) {
      out += `${one(from)}-${one(JS_SPACE_CODES[j] as number)}`;
      i = j + 1;
    } else {
      out += one(from);
      i += 1;
    }
  }
  return out;
}

/**
 * The date (year × 10,000 + month × 100 + day) a value `v` of date kind `k` writes
 * (columnProfile.ts `dateValue`); `integer` casts a part of `v` to a whole number in the engine's
 * words.
 */
export function dateSql(integer: (expr: string) => string, v: string, k: string): string {
  const at = (from: number, length: number) => integer(`substr(${v}, ${from}, ${length})`);
  const part = (n: number) => integer(`split_part(${v}, '/', ${n})`);
  return [
    `CASE ${k} WHEN 3 THEN ${at(1, 4)} * 10000 + ${at(6, 2)} * 100 + ${at(9, 2)}`,
    `  WHEN 7 THEN ${integer(v)}`,
    `  WHEN 4 THEN ${at(7, 4)} * 10000 + ${at(1, 2)} * 100 + ${at(4, 2)}`,
    `  WHEN 5 THEN ${at(7, 4)} * 10000 + ${at(4, 2)} * 100 + ${at(1, 2)}`,
    `  WHEN 6 THEN ${at(7, 4)} * 10000 + ${at(4, 2)} * 100 + ${at(1, 2)}`,
    `  WHEN 8 THEN ${part(3)} * 10000 + ${part(1)} * 100 + ${part(2)}`,
    `  WHEN 9 THEN ${part(3)} * 10000 + ${part(2)} * 100 + ${part(1)} END`,
  ].join('\n');
}
