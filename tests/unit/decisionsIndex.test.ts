/**
 * The decision records' index is what the records make (`npm run decisions` rewrites it), and a
 * record held to the size limit stays within it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DECISIONS_DIR,
  MAX_RECORD_BYTES,
  parseRecord,
  readRecords,
  relationsOf,
  renderIndex,
  SIZE_CHECKED_FROM,
  statusColumns,
} from '../decisionsIndex.ts';

const record = (number: number, status: string) =>
  parseRecord(
    `${number}-x.md`,
    `# ${String(number).padStart(4, '0')} — T\n\n- Status: ${status}\n- In one line: x.\n\n## Context\n`,
  );

describe('the decision index', () => {
  const records = readRecords();

  it('is what the records make (run `npm run decisions` after adding or changing a record)', () => {
    expect(readFileSync(path.join(DECISIONS_DIR, 'README.md'), 'utf8')).toBe(renderIndex(records));
  });

  it(`holds records from ${SIZE_CHECKED_FROM} on to ${MAX_RECORD_BYTES} bytes`, () => {
    const long = records
      .filter((r) => r.number >= SIZE_CHECKED_FROM && r.bytes > MAX_RECORD_BYTES)
      .map((r) => `${r.file}: ${r.bytes} bytes`);
    expect(long).toEqual([]);
  });

  it.each([
    {
      description: 'a link after "amends" and a plain number after "supersedes"',
      status: 'accepted, 2026-11-27; amends [0197](0197-x.md) (why) and supersedes 0022',
      expected: [
        { earlier: 197, relation: 'amended by' },
        { earlier: 22, relation: 'superseded by' },
      ],
    },
    {
      description: "the record's own back-links are not read",
      status: 'accepted, 2026-11-25; builds on 0092; amended by [0119](0119-x.md)',
      expected: [{ earlier: 92, relation: 'followed by' }],
    },
    { description: 'a date is not a record', status: 'accepted, 2026-11-25', expected: [] },
  ])('reads $description', ({ status, expected }) => {
    expect(relationsOf(record(205, status))).toEqual(expected);
  });

  it('gives an earlier record the later ones that changed it', () => {
    const columns = statusColumns([
      record(1, 'accepted, 2026-11-21'),
      record(2, 'accepted, 2026-11-21'),
      record(3, 'accepted; amends 0001'),
      record(4, 'accepted; supersedes 0002 and amends 0001'),
    ]);
    expect([...columns.values()]).toEqual([
      'amended by 0003, 0004',
      'superseded by 0004',
      'accepted',
      'accepted',
    ]);
  });

  it('names the file and the missing part of a malformed record', () => {
    expect(() => parseRecord('0300-x.md', '# 0300 — T\n\n- Status: accepted\n')).toThrow(
      /0300-x\.md: a "- In one line:" bullet is missing/,
    );
  });
});
