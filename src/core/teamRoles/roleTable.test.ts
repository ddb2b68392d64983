/**
 * docs/team.md shows the role × action table a clinic's lead and IT read ("Who may do what"). It
 * is a copy of ROLE_ACTIONS in the clinic's words, so this test renders the table from the core
 * and fails when the document's differs, printing the Markdown to paste in its place.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_WORDS, ACTIONS, mayDo, ROLE_LABELS, ROLES } from './index.ts';

const DOC = new URL('../../../docs/team.md', import.meta.url);
/** What a cell says: the role may do the row's action, or not. */
const MAY = '✓';
const MAY_NOT = '—';

/** The table as docs/team.md must hold it: a row per action, a column per role. */
function markdownTable(): string {
  const capital = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(['What', ...ROLES.map((role) => ROLE_LABELS[role])]),
    row(['---', ...ROLES.map(() => ':-:')]),
    ...ACTIONS.map((action) =>
      row([capital(ACTION_WORDS[action]), ...ROLES.map((role) => (mayDo(role, action) ? MAY : MAY_NOT))]),
    ),
  ].join('\n');
}

/** The first Markdown table of the document's "Who may do what" section. */
function documentedTable(doc: string): string {
  const section = doc.split(/^## /m).find((s) => s.startsWith('Who may do what'));
  if (section === undefined) return '(docs/team.md has no "## Who may do what" section)';
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  if (start < 0) return '(its section has no table)';
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('docs/team.md', () => {
  it('shows the role × action table the server refuses by', () => {
    const expected = markdownTable();
    const documented = documentedTable(readFileSync(DOC, 'utf8'));
    expect(
      documented,
      `docs/team.md's table is not the core's; paste this in its place:\n\n${expected}\n\n`,
    ).toBe(expected);
  });
});
