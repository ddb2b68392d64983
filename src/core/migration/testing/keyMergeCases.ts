/**
 * Test kit of the split-merge tests of duplicate keys and conflicting demographics
 * (keyMergeConflicts.test.ts through the engine, workers/keyMergeConflicts.test.ts through the
 * page's worker API): a 9,000-row table and what "equals one pass" means for a
 * report's cross-file section, so both paths assert the same thing. Test-only: imported by
 * *.test.ts files, never by the app, the CLI or workers.
 */
import { expect } from 'vitest';
import type { Report } from '../../../formats/report.ts';
import { MAX_DUPLICATE_GROUPS } from '../keySet.ts';

/** A data row: the key and the three demographic cells compared between its records. */
export interface Row {
  mrn: string;
  name: string;
  birthDate: string;
  sex: string;
}

/** The demographic columns the key `mrn` is compared on. */
export const DEMOGRAPHICS = ['name', 'birth_date', 'sex'];

/** The rows as a CSV file's text (header mrn,name,birth_date,sex; no cell needs quoting). */
export const csvText = (rows: readonly Row[]) =>
  `mrn,name,birth_date,sex\n${rows.map((r) => `${r.mrn},${r.name},${r.birthDate},${r.sex}\n`).join('')}`;

/** The rows as a CSV file's bytes ({@link csvText}). */
export const encode = (rows: readonly Row[]) => new TextEncoder().encode(csvText(rows));

/** The same person's cells for every record of key number `i` (names differ with `i`). */
export function person(mrn: string, i: number): Row {
  const names = ['Ann Lee', 'Bo Kim', 'Cy Diaz', 'Di Sun', 'Ed Roy', 'Flo Ng', 'Gus Li'];
  return {
    mrn,
    name: names[i % names.length] as string,
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    sex: i % 2 === 0 ? 'F' : 'M',
  };
}

/** `count` records of keys `prefix`0… `prefix`(count-1), each a different person. */
export const run = (prefix: string, count: number, change: (row: Row, i: number) => Row = (r) => r) =>
  Array.from({ length: count }, (_, i) => change(person(`${prefix}${String(i).padStart(4, '0')}`, i), i));

/**
 * Rows a split in two (inside the U run of `uniqueBefore` records) leaves the second range to list
 * short: it repeats E0000-E1099 (its own 1,100 listed groups), then 50 keys the first range listed,
 * 25 of them with another name — the keys the in-memory merge reads that range again for. The
 * sizes set the file's size and where its middle falls.
 */
export const readAgainRows = (uniqueBefore: number, uniqueAfter: number): Row[] => [
  ...run('D', 1000),
  ...run('D', 1000),
  ...run('U', uniqueBefore),
  ...run('E', 1100),
  ...run('E', 1100),
  ...run('D', 50),
  ...run('D', 50, (r, i) => (i < 25 ? otherName(r) : r)),
  ...run('V', uniqueAfter),
];

/**
 * Keys a later part repeats beyond its own listed groups whose first record is in an earlier part,
 * from the rows alone (a part lists its keys in the order their second record in it is met): the
 * in-memory merge reads their part's range again to list them as one pass does (keySet.ts
 * `KeySetMerger.listedRepeats`). Tests count them to show the case is met.
 */
export function keysReadAgain(keys: readonly string[], partRecords: readonly number[]): Set<string> {
  const firstPart = new Map<string, number>();
  const readAgain = new Set<string>();
  let row = 0;
  partRecords.forEach((records, p) => {
    const seen = new Map<string, number>();
    const groups: string[] = [];
    for (let i = 0; i < records; i++, row++) {
      const key = keys[row] as string;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n === 2) groups.push(key);
      if (!firstPart.has(key)) firstPart.set(key, p);
    }
    for (const key of groups.slice(MAX_DUPLICATE_GROUPS))
      if ((firstPart.get(key) as number) < p) readAgain.add(key);
  });
  return readAgain;
}

/**
 * Asserts a split run's report against one pass's: the cross-file section (duplicate keys with
 * their counts, rows and conflicting columns in order, and the totals) is the same, whatever the
 * split (the in-memory merge, the spilled check and the page's OPFS check alike).
 */
export function expectAsOnePass(split: Report, one: Report) {
  expect(split.crossFile).toEqual(one.crossFile);
}

/** The row with another name (a conflict). */
export const otherName = (r: Row): Row => ({ ...r, name: 'Zed Roe' });
/** The row with another birth date (a conflict). */
export const otherBirthDate = (r: Row): Row => ({ ...r, birthDate: '2001-02-03' });
/** The row with the other sex (a conflict). */
export const otherSex = (r: Row): Row => ({ ...r, sex: r.sex === 'F' ? 'M' : 'F' });
/** the same cells written differently (case, spaces): the same person, not a conflict */
export const sameWrittenAgain = (r: Row): Row => ({
  ...r,
  name: `  ${r.name.toUpperCase().replace(' ', '   ')} `,
});

/** Files of 9,000 rows whose split runs the in-memory merge got wrong, with one pass's totals. */
export const CASES: {
  description: string;
  rows: Row[];
  parts: number;
  /** what one pass reports: [repeated keys, repeated records, conflicting keys] */
  totals: [number, number, number];
  /** keys the in-memory merge reads again to list them as one pass ({@link keysReadAgain}) */
  readAgain: number;
}[] = [
  {
    description:
      '2 parts (the 9,000-row shape): keys the first part repeats beyond its listed groups conflict only among the second part’s records',
    rows: [
      ...run('A', 1200),
      // 83 keys conflict in the first part (listed there)
      ...run('A', 1200, (r, i) => (i < 83 ? otherName(r) : r)),
      ...run('U', 2600),
      // A1000-A1199: beyond the first part's listed groups; twice more in the second part, 10 conflicting there only
      ...run('A', 1200).slice(1000),
      ...run('A', 1200, (r, i) => (i >= 1000 && i < 1010 ? otherBirthDate(r) : r)).slice(1000),
      ...run('V', 3600),
    ],
    parts: 2,
    totals: [1200, 1600, 93],
    readAgain: 0,
  },
  {
    description:
      '3 parts: keys the second part repeats once the merged listing is full, met again in the third, count once',
    rows: [
      ...run('B', 1000),
      ...run('B', 1000, (r, i) => (i % 10 === 0 ? sameWrittenAgain(r) : r)),
      ...run('U', 1500),
      ...run('C', 300),
      ...run('C', 300, (r, i) => (i < 20 ? otherSex(r) : r)),
      ...run('V', 2000),
      ...run('C', 300, (r, i) => (i >= 10 && i < 50 ? otherName(r) : r)),
      ...run('W', 2600),
    ],
    parts: 3,
    totals: [1300, 1600, 50],
    readAgain: 0,
  },
  {
    description:
      '2 parts: listed keys of the first part that the second repeats beyond its own listed groups are listed with all their rows, count and conflicting columns',
    rows: [
      ...run('D', 1000),
      ...run('D', 1000),
      ...run('U', 2600),
      ...run('E', 1100),
      ...run('E', 1100),
      ...run('D', 50),
      ...run('D', 50, (r, i) => (i < 25 ? otherName(r) : r)),
      ...run('V', 2100),
    ],
    parts: 2,
    totals: [2100, 2200, 25],
    readAgain: 50,
  },
];

/** Records per part of `total` rows split evenly in `parts` (the ranges' rows, near enough for {@link CASES}). */
export function evenParts(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, j) => Math.floor((total * (j + 1)) / parts) - Math.floor((total * j) / parts),
  );
}
