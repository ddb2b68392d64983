/**
 * Issues grouped by (rule, location) with counts and the first examples — the shape of the
 * report's `issues[]` — in bounded memory: one entry per group, at most {@link MAX_EXAMPLES}
 * examples each, whatever the number of rows.
 */
import type { IssueSeverity } from '../../formats/report.ts';
import { detach } from './detach.ts';

/** Examples kept per issue group (the report's "first 20"). */
export const MAX_EXAMPLES = 20;

/** One example: where, and the value (removed on redacted export). */
export interface TallyExample {
  /** 1-based data row; absent for the header */
  row?: number;
  column?: string;
  /** the exact FHIRPath-style location in a mapped record (row checks: rowCheck.ts) */
  path?: string;
  /** the mapping field behind a finding in a mapped record, its transform, an absent element (rowCheck.ts) */
  field?: string;
  transform?: string;
  unfilled?: 'empty' | 'no-field';
  /** byte offset where the row's record starts in the file (row checks) */
  byte?: number;
  value?: string;
}

/** One group. */
export interface TallyEntry {
  rule: string;
  severity: IssueSeverity;
  code?: string;
  location: string;
  message?: string;
  count: number;
  examples: TallyExample[];
}

/** The tally of one input. */
export interface IssueTally {
  add(
    rule: string,
    severity: IssueSeverity,
    location: string,
    example: TallyExample,
    describe: { code?: string; message?: string },
  ): void;
  /** the groups, in order of first occurrence */
  entries(): TallyEntry[];
}

/** Creates an empty tally. */
export function createIssueTally(): IssueTally {
  const groups = new Map<string, TallyEntry>();
  return {
    add(rule, severity, location, example, describe) {
      const key = `${rule}\u0000${location}`;
      let entry = groups.get(key);
      if (!entry) {
        entry = { rule, severity, location, count: 0, examples: [] };
        if (describe.code !== undefined) entry.code = describe.code;
        if (describe.message !== undefined) entry.message = describe.message;
        groups.set(key, entry);
      }
      entry.count++;
      if (entry.examples.length < MAX_EXAMPLES) {
        if (example.value !== undefined) example.value = detach(example.value);
        entry.examples.push(example);
      }
    },
    entries: () => [...groups.values()],
  };
}
