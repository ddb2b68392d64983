/**
 * Two rules of the app's source that only reading it can check.
 *
 * The app offers what the role × action table allows (src/core/teamRoles: `mayDo`,
 * `rolesThatMay`), the same table the server refuses by: a screen that compares a member's role
 * to a role's name keeps a second copy of a rule, which drifts the day the table changes. This
 * test reads the app's source for such a comparison (`x.role === 'lead'`) and names each one.
 *
 * An answer of the team server is typed by its route's contract (src/core/teamApi `AnswerOf`),
 * never by a shape written again in the app: `teamRequest<{ … }>` is a second copy of a type the
 * contract already states, which the server may stop sending without the type check noticing.
 *
 * A type's name says what it is, once: two different exported types of one name (a project's
 * summary and an open project, both once `TeamProject`) let a reader take one for the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/core/teamRoles/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NAMES = ROLES.join('|');
/** `m.role === 'reviewer'`, `'lead' !== p.role`, and the like. */
const COPIED_RULE = new RegExp(
  `\\.role\\s*[!=]==?\\s*['"](${NAMES})['"]|['"](${NAMES})['"]\\s*[!=]==?\\s*[\\w.?]*\\.role\\b`,
);

/** `teamRequest<{ signature: … }>(`: an answer typed by hand. */
const HAND_TYPED_ANSWER = /teamRequest<\s*\{/;

/** The lines in `src/app` (its tests aside) that `pattern` matches, as `file:line`. */
function appLinesMatching(pattern: RegExp): string[] {
  const app = path.join(ROOT, 'src/app');
  const found: string[] = [];
  for (const file of readdirSync(app, { recursive: true, encoding: 'utf8' })) {
    if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file) || file.includes('testing')) continue;
    readFileSync(path.join(app, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line)) found.push(`src/app/${file}:${i + 1}`);
      });
  }
  return found;
}

describe('the app asks the role × action table', () => {
  it('finds a copied rule where there is one', () => {
    expect(COPIED_RULE.test("all.filter((p) => p.role === 'lead')")).toBe(true);
    expect(COPIED_RULE.test("'reviewer' !== m.role")).toBe(true);
    expect(COPIED_RULE.test("mayDo(m.role, 'review-records')")).toBe(false);
  });

  it('compares no member’s role to a role’s name in the app', () => {
    expect(appLinesMatching(COPIED_RULE)).toEqual([]);
  });
});

describe('the app types the team server’s answers by their contracts', () => {
  it('finds an answer typed by hand where there is one', () => {
    expect(HAND_TYPED_ANSWER.test('await teamRequest<{ signature: ServerSignatureRecord }>(')).toBe(true);
    expect(HAND_TYPED_ANSWER.test('await teamRequest<AnswerOf<S>>(')).toBe(false);
  });

  it('types no answer by hand in the app', () => {
    expect(appLinesMatching(HAND_TYPED_ANSWER)).toEqual([]);
  });
});

/** Names two exported types of the app share, each with why it is let be. */
const SHARED_TYPE_NAMES: Readonly<Record<string, string>> = {
  NumberRule: 'a form field’s limits (common/NumberField.tsx) and a workflow field’s (editor/fields.tsx)',
};

describe('the app names each of its exported types once', () => {
  it('has no two exported types of one name', () => {
    const app = path.join(ROOT, 'src/app');
    const where = new Map<string, string[]>();
    for (const file of readdirSync(app, { recursive: true, encoding: 'utf8' })) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
      const text = readFileSync(path.join(app, file), 'utf8');
      for (const [, name = ''] of text.matchAll(/^export (?:type|interface) ([A-Z]\w*)/gm))
        where.set(name, [...(where.get(name) ?? []), file]);
    }
    const twice = [...where].filter(([name, files]) => files.length > 1 && !(name in SHARED_TYPE_NAMES));
    expect(twice).toEqual([]);
  });
});
