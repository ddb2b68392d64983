/**
 * rules/README.md documents exactly the registered rules (the docs follow the one rule table), each
 * in the summary table and in its own section, in table order; and every rule declares a title, a
 * description naming a source, and lives in a file named after its id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_RULES } from './index.ts';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const ids = WORKFLOW_RULES.map((rule) => rule.id);

function section(title: string): string {
  const start = readme.indexOf(`## ${title}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('rules/README.md', () => {
  it('its summary table lists exactly the registered rules, in table order', () => {
    const rows = section('Rules')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => /^\| `([^`]+)`/.exec(line)?.[1]);
    expect(rows).toEqual(ids);
  });

  it('has one section per registered rule and no other, in table order', () => {
    const headings = [...section('The rules').matchAll(/^### `([^`]+)`$/gm)].map((m) => m[1]);
    expect(headings).toEqual(ids);
  });

  it.each(WORKFLOW_RULES.map((rule) => [rule.id, rule] as const))(
    '%s: table row matches its declaration',
    (id, rule) => {
      const row = section('Rules')
        .split('\n')
        .find((line) => line.startsWith(`| \`${id}\``));
      const cells = row?.split('|').map((c) => c.trim());
      expect(cells?.[2]).toBe(rule.severity);
      expect(cells?.[3]).toBe(rule.title);
      const needs = rule.requires.length === 0 ? '—' : [...rule.requires].sort().join(', ');
      expect(cells?.[4]).toBe(needs);
    },
  );
});

describe('rule declarations', () => {
  it.each(ids)('%s lives in rules/%s.ts', (id) => {
    expect(existsSync(new URL(`./${id}.ts`, import.meta.url))).toBe(true);
  });
  it.each(WORKFLOW_RULES.map((rule) => [rule.id, rule] as const))(
    '%s says why it matters and names a source',
    (_id, rule) => {
      expect(rule.title.length).toBeGreaterThan(5);
      // a source: an author and year, a journal, an agency or a named guide
      expect(rule.describe).toMatch(/\d{4}|PMC\d+|SAFER|AHRQ|bpmnlint|Erlang|BIMP|Joint Commission/);
    },
  );
  it('ids are unique', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });
});
