/**
 * The decision records' index (docs/decisions/README.md) is made from the records themselves, so
 * a new record is one new file: its title line, its Status bullet and its "In one line" bullet
 * give its row, and the rows of the records it amends, supersedes or follows gain "amended by",
 * "superseded by" or "followed by" it without anyone editing them.
 *
 * `npm run decisions` rewrites the index; tests/unit/decisionsIndex.test.ts fails when the file
 * differs from what the records make, or when a record from {@link SIZE_CHECKED_FROM} on is longer
 * than {@link MAX_RECORD_BYTES} (a record explains one choice in about a screen; measurements go
 * to tests/bench/RESULTS.md, and history to git).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the records live. */
export const DECISIONS_DIR = fileURLToPath(new URL('../docs/decisions/', import.meta.url));

/** The longest a record may be, in bytes of UTF-8. */
export const MAX_RECORD_BYTES = 2560;

/** The first record held to {@link MAX_RECORD_BYTES}; the ones before it were written before the limit. */
export const SIZE_CHECKED_FROM = 205;

/** One record as the index reads it. */
export interface DecisionRecord {
  number: number;
  file: string;
  title: string;
  /** the Status bullet's text, continuation lines joined */
  status: string;
  /** the "In one line" bullet's text */
  oneLine: string;
  bytes: number;
}

/** How a later record relates to an earlier one it names in its Status, as the index says it. */
type Relation = 'amended by' | 'superseded by' | 'followed by';

/** Words in a Status bullet that govern the numbers after them, in the direction later → earlier. */
const FORWARD: readonly [RegExp, Relation | undefined][] = [
  [/\bsupersed(?:es|ing)\b|\breplaces\b/i, 'superseded by'],
  [/\bamend(?:s|ing)\b|\bnarrows\b|\bcompletes?\b|\bextends\b/i, 'amended by'],
  [/\bbuilds on\b|\bfollows\b/i, 'followed by'],
  // the record's own back-links ("amended by 0105"): what the index computes, never read
  [/\b(?:amended|superseded|replaced|narrowed|completed|followed) by\b/i, undefined],
];

const ANCHORED = FORWARD.map(
  ([pattern, relation]) => [new RegExp(`^(?:${pattern.source})$`, 'i'), relation] as const,
);

/** Parses the record file `file` with `text`; throws naming the file when a part is missing. */
export function parseRecord(file: string, text: string): DecisionRecord {
  const title = /^# (\d{4}) — (.+)$/m.exec(text);
  if (!title?.[1] || !title[2]) throw new Error(`${file}: the first line must be "# NNNN — Title"`);
  const lines = text.split('\n');
  const bullet = (label: string): string | undefined => {
    const at = lines.findIndex((line) => line.startsWith(`- ${label}:`));
    if (at < 0) return undefined;
    const parts = [lines[at]?.slice(label.length + 3).trim() ?? ''];
    for (let i = at + 1; i < lines.length && /^ {2}\S/.test(lines[i] ?? ''); i++)
      parts.push(lines[i]?.trim() ?? '');
    return parts.join(' ');
  };
  const status = bullet('Status');
  if (!status) throw new Error(`${file}: a "- Status:" bullet is missing`);
  const oneLine = bullet('In one line');
  if (!oneLine) throw new Error(`${file}: a "- In one line:" bullet is missing (the index's last column)`);
  return {
    number: Number(title[1]),
    file,
    title: title[2].trim(),
    status,
    oneLine,
    bytes: Buffer.byteLength(text, 'utf8'),
  };
}

/** The earlier records `record`'s Status names, each with how the index relates them. */
export function relationsOf(record: DecisionRecord): { earlier: number; relation: Relation }[] {
  // links read as their numbers; parenthesised explanations may hold numbers too, in the same sense
  const text = record.status.replace(/\[(\d{4})\]\([^)]*\)/g, '$1');
  const found: { earlier: number; relation: Relation }[] = [];
  let governing: Relation | undefined;
  const token = /(\d{4})|([A-Za-z]+(?: (?:by|on))?)/g;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    if (match[2]) {
      const word = match[2];
      const rule = ANCHORED.find(([pattern]) => pattern.test(word));
      if (rule) governing = rule[1];
      continue;
    }
    const earlier = Number(match[1]);
    if (governing && earlier < record.number && !found.some((f) => f.earlier === earlier))
      found.push({ earlier, relation: governing });
  }
  return found;
}

/** The status column of each record: its own state, then the later records that changed it. */
export function statusColumns(records: readonly DecisionRecord[]): Map<number, string> {
  const later = new Map<number, Map<Relation, number[]>>();
  for (const record of records)
    for (const { earlier, relation } of relationsOf(record)) {
      const byRelation = later.get(earlier) ?? new Map<Relation, number[]>();
      byRelation.set(relation, [...(byRelation.get(relation) ?? []), record.number]);
      later.set(earlier, byRelation);
    }
  const columns = new Map<number, string>();
  for (const record of records) {
    const byRelation = later.get(record.number);
    const superseded = byRelation?.get('superseded by') ?? [];
    const own = /^superseded\b/i.test(record.status) || superseded.length > 0 ? 'superseded' : 'accepted';
    const parts: string[] = [];
    for (const relation of ['superseded by', 'amended by', 'followed by'] as const) {
      const numbers = byRelation?.get(relation);
      if (numbers?.length) parts.push(`${relation} ${numbers.map(pad).join(', ')}`);
    }
    // "accepted" goes without saying beside what changed it; "superseded" does not
    if (parts.length === 0 || (own === 'superseded' && superseded.length === 0)) parts.unshift(own);
    columns.set(record.number, parts.join('; '));
  }
  return columns;
}

const pad = (n: number) => String(n).padStart(4, '0');
const cell = (text: string) => text.replace(/\|/g, '\\|');

const HEAD = `# Decision records

Each record explains one choice that shapes Preflight's code: the situation, what was decided, and
what follows from it, in about a screen. Measurements live in
[tests/bench/RESULTS.md](../../tests/bench/RESULTS.md).

This index is made from the records by \`npm run decisions\` (a test fails when it is out of date):
do not edit it by hand. The status column says what later records did to each one, read from their
Status lines ("amends 0197", "supersedes 0022", "builds on 0092").

| # | decision | status | in one line |
|---|---|---|---|
`;

const FOOT = `
A new record takes the next number, a file name \`NNNN-short-title.md\`, a first line
\`# NNNN — Title\`, the bullets \`- Status:\` (accepted, the date, and the earlier records it amends,
supersedes or builds on) and \`- In one line:\`, then the sections Context, Decision and
Consequences, in at most ${MAX_RECORD_BYTES / 1024} KB. The earlier records are not edited: their rows here say who
changed them.
`;

/** The index's text for `records`. */
export function renderIndex(records: readonly DecisionRecord[]): string {
  const sorted = [...records].sort((a, b) => a.number - b.number);
  const status = statusColumns(sorted);
  const rows = sorted.map(
    (r) =>
      `| [${pad(r.number)}](${r.file}) | ${cell(r.title)} | ${cell(status.get(r.number) ?? '')} | ${cell(r.oneLine)} |`,
  );
  return `${HEAD}${rows.join('\n')}\n${FOOT}`;
}

/** Every record in `dir`. */
export function readRecords(dir = DECISIONS_DIR): DecisionRecord[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}-.+\.md$/.test(name))
    .map((name) => parseRecord(name, readFileSync(path.join(dir, name), 'utf8')));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const text = renderIndex(readRecords());
  writeFileSync(path.join(DECISIONS_DIR, 'README.md'), text);
  console.log(
    `docs/decisions/README.md: ${text.split('\n').filter((l) => l.startsWith('| [')).length} records`,
  );
}
