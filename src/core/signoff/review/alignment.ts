/**
 * The verification view of one shown record, as source-data verification is done: one aligned row
 * per legacy field (a column, or the columns a field joins) with the target(s) the mapping makes
 * from it, each classed against what the mapping would produce from the legacy cells.
 *
 * Classes, per target:
 * - `as-mapped`: the migrated value is what the mapping's transforms make of the legacy cells
 *   (F → female is the code map at work, not a difference);
 * - `differs`: the migrated value is not what the mapping would produce;
 * - `missing`: the legacy field holds a value and the migrated record has none (Male → nothing);
 * - `blank-both`: nothing on either side.
 * A legacy column no field reads is `not-migrated`: shown, and markable on the column itself. It is
 * never neutral: a dropped section (allergies, say) is a clinical risk, `critical` unless the
 * sample plan records why it is not migrated and who owns that choice (`notMigrated`).
 *
 * Constraints: pure. Everything here is read from the {@link ShownRecord}, so what the reviewer
 * sees is exactly what the decision's `shownSha256` covers; a record shown before the alignment
 * carried `expected` values (an older review packet) is classed by the plain comparison the screen
 * used then (equal, ignoring case and surrounding spaces).
 */

import type { NotMigratedColumn } from '../../../formats/samplePlan.ts';
import type { MappedJson, MappedRecord } from '../../mapping/index.ts';
import { parseTargetPath } from '../../mapping/index.ts';
import type { AlignedField, ShownRecord } from './review.ts';

/** How one aligned field compares. */
export type FieldClass = 'as-mapped' | 'differs' | 'missing' | 'not-migrated' | 'blank-both';

/** The classes of a mapped target (a column with no target is `not-migrated`). */
export type TargetClass = Exclude<FieldClass, 'not-migrated'>;

/** Worst first: the order a row takes its class from its targets. */
const SEVERITY: readonly TargetClass[] = ['missing', 'differs', 'as-mapped', 'blank-both'];

function blank(text: string): boolean {
  return text.trim() === '';
}

function loose(text: string): string {
  return text.trim().toLowerCase();
}

/**
 * The class of one target: `legacy` are the cells it is made from ([] for a constant), `migrated`
 * its value in the migrated record ('' when absent), `expected` what the mapping makes of the
 * cells ('' when it makes nothing; undefined when not known).
 */
export function classifyTarget(input: {
  legacy: readonly string[];
  migrated: string;
  expected: string | undefined;
}): TargetClass {
  const { legacy, migrated, expected } = input;
  const legacyBlank = legacy.every(blank);
  if (blank(migrated)) return legacyBlank ? 'blank-both' : 'missing';
  if (expected === undefined) return loose(migrated) === loose(legacy.join(' ')) ? 'as-mapped' : 'differs';
  return migrated === expected ? 'as-mapped' : 'differs';
}

/** One target of an aligned row. */
export interface AlignedTarget {
  /** the target path as the mapping writes it */
  target: string;
  /** where the value is in the migrated record, when lists closed up moved it */
  path?: string;
  migrated: string;
  expected?: string;
  /** why the mapping could not convert the value (no record content) */
  problem?: string;
  class: TargetClass;
}

/** One aligned row: a legacy field and its targets. */
export interface AlignedRow {
  /** the legacy columns, in header order of the first ([] for the mapping's fixed values) */
  columns: string[];
  legacy: string[];
  targets: AlignedTarget[];
  class: FieldClass;
  /** what a finding on this row names: its first target, or the legacy column when not migrated */
  field: string;
  /** a not-migrated row's risk: critical, or accepted with the plan's reason and owner */
  risk?: NotMigratedRisk;
}

/** The risk of a legacy column not migrated (see the file header). */
export type NotMigratedRisk = { level: 'critical' } | { level: 'recorded'; reason: string; owner: string };

/** The aligned view of a record. */
export interface Alignment {
  /** one row per legacy field, in header order; not-migrated columns included */
  rows: AlignedRow[];
  /** fixed values the mapping sets (no legacy column) */
  fixed: AlignedTarget[];
  /** how many rows (and fixed values) have each class */
  counts: Record<FieldClass, number>;
  /** not-migrated rows whose omission the plan does not record: critical risks */
  critical: number;
}

function valueAt(record: MappedRecord, path: string): MappedJson | undefined {
  const segments = parseTargetPath(path);
  if (typeof segments === 'string') return undefined;
  let at: MappedJson | undefined = record;
  for (const segment of segments) {
    if (at === undefined || typeof at !== 'object') return undefined;
    at = segment.kind === 'index' ? (at as MappedJson[])[segment.index] : (at as MappedRecord)[segment.name];
  }
  return at;
}

/** A migrated value as the screen shows it ('' when absent). */
function migratedText(record: MappedRecord | null, path: string): string {
  const value = record ? valueAt(record, path) : undefined;
  if (value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function targetOf(shown: ShownRecord, field: AlignedField, legacy: readonly string[]): AlignedTarget {
  const migrated = field.value ?? migratedText(shown.target, field.target);
  return {
    target: field.target,
    ...(field.path !== undefined ? { path: field.path } : {}),
    migrated,
    ...(field.expected !== undefined ? { expected: field.expected } : {}),
    ...(field.problem !== undefined ? { problem: field.problem } : {}),
    class: classifyTarget({ legacy, migrated, expected: field.expected }),
  };
}

function worst(targets: readonly AlignedTarget[]): TargetClass {
  return SEVERITY.find((c) => targets.some((t) => t.class === c)) ?? 'blank-both';
}

/**
 * The aligned rows of a shown record. Without a mapping (`shown.target` null) there is nothing to
 * align: every legacy column is a row with no target, classed `not-migrated` with no risk claimed
 * (nothing is known of the migration). `notMigrated` are the
 * plan's recorded omissions: a not-migrated column they name carries its reason and owner, any
 * other is a critical risk. (What was shown, and its hash, does not depend on them.)
 */
export function alignShown(shown: ShownRecord, notMigrated: readonly NotMigratedColumn[] = []): Alignment {
  const { header, cells } = shown.source;
  const cellOf = (column: string) => cells[header.indexOf(column)] ?? '';
  const groups = new Map<string, AlignedRow>();
  const fixed: AlignedTarget[] = [];
  for (const field of shown.alignment) {
    const legacy = field.columns.map(cellOf);
    const target = targetOf(shown, field, legacy);
    if (field.columns.length === 0) {
      fixed.push(target);
      continue;
    }
    const key = field.columns.join('\u001f');
    const row = groups.get(key);
    if (row) row.targets.push(target);
    else
      groups.set(key, {
        columns: [...field.columns],
        legacy,
        targets: [target],
        class: 'blank-both',
        field: field.target,
      });
  }
  const read = new Set(shown.alignment.flatMap((f) => f.columns));
  for (const column of header) {
    if (read.has(column)) continue;
    const recorded = notMigrated.find((n) => n.column === column && n.reason.trim() && n.owner.trim());
    groups.set(column, {
      columns: [column],
      legacy: [cellOf(column)],
      targets: [],
      class: 'not-migrated',
      field: column,
      // without a mapping nothing is known of what the migration keeps: no risk is claimed
      ...(shown.mapping
        ? {
            risk: recorded
              ? { level: 'recorded' as const, reason: recorded.reason.trim(), owner: recorded.owner.trim() }
              : { level: 'critical' as const },
          }
        : {}),
    });
  }
  const position = (row: AlignedRow) => {
    const at = header.indexOf(row.columns[0] ?? '');
    return at < 0 ? header.length : at;
  };
  const rows = [...groups.values()]
    .map((row) => (row.targets.length > 0 ? { ...row, class: worst(row.targets) as FieldClass } : row))
    .sort((a, b) => position(a) - position(b));
  const counts: Record<FieldClass, number> = {
    'as-mapped': 0,
    differs: 0,
    missing: 0,
    'not-migrated': 0,
    'blank-both': 0,
  };
  for (const row of rows) counts[row.class]++;
  for (const target of fixed) counts[target.class]++;
  const critical = rows.filter((r) => r.risk?.level === 'critical').length;
  return { rows, fixed, counts, critical };
}
