/**
 * Every field where staff type names, roles, notes or other free text is kept out of the
 * browser's autofill store: a typed reviewer name must not be offered back (or left on disk)
 * after "Close and wipe". This reads every screen component under `src/app/` and holds each
 * `<input>` that takes text (no `type`, or text, search, url, email, tel) and each `<textarea>`
 * to `autoComplete="off"`. Read-only inputs are exempt: nobody types into them (the hidden
 * user name beside a packet passphrase names the packet). The canary journeys check the
 * rendered fields in the browser too; this check also reaches fields behind dialogs and states
 * those journeys do not open.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('../../src/app', import.meta.url));
const TEXT_TYPES = new Set(['text', 'search', 'url', 'email', 'tel']);

interface Field {
  line: number;
  tag: string;
}

/** The JSX tags `<input …>` and `<textarea …>` of one source, braces balanced so `=>` inside `{…}` does not end a tag. */
function fieldTags(source: string): Field[] {
  const fields: Field[] = [];
  for (const match of source.matchAll(/<(input|textarea)\b/g)) {
    const start = match.index ?? 0;
    let depth = 0;
    let end = start + match[0].length;
    for (; end < source.length; end++) {
      const c = source[end];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '>' && depth === 0) break;
    }
    fields.push({ line: source.slice(0, start).split('\n').length, tag: source.slice(start, end + 1) });
  }
  return fields;
}

/** Why a field would be kept by autofill, or null when it is not. */
function autofillProblem(tag: string): string | null {
  const isTextarea = tag.startsWith('<textarea');
  const type = /\btype="([^"]*)"/.exec(tag)?.[1];
  if (/\bautoComplete="off"/.test(tag)) return null;
  if (!isTextarea && /\btype=\{/.test(tag))
    return 'type is computed; give the field autoComplete="off" or a literal type';
  if (!isTextarea && type !== undefined && !TEXT_TYPES.has(type)) return null;
  if (/\breadOnly\b(?!=\{false\})/.test(tag)) return null;
  const other = /\bautoComplete=(\S+)/.exec(tag)?.[1];
  return other ? `autoComplete=${other} lets the browser keep what is typed` : 'no autoComplete="off"';
}

async function tsxFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.tsx') && !e.name.endsWith('.test.tsx'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('autofill is off on text fields', () => {
  it.each([
    ['<input id="a" value={v} onChange={(e) => set(e.currentTarget.value)} />', 'no autoComplete="off"'],
    [
      '<input id="by" value={draft.by} autoComplete="name" />',
      'autoComplete="name" lets the browser keep what is typed',
    ],
    ['<input type="search" value={q} />', 'no autoComplete="off"'],
    ['<textarea rows={2} value={note} />', 'no autoComplete="off"'],
    [
      '<input type={kind} value={v} />',
      'type is computed; give the field autoComplete="off" or a literal type',
    ],
    ['<input id="a" autoComplete="off" value={v} />', null],
    ['<input type={kind} autoComplete="off" value={v} />', null],
    ['<textarea autoComplete="off" rows={2} />', null],
    ['<input type="checkbox" checked={on} />', null],
    ['<input type="file" accept=".csv" />', null],
    ['<input type="text" autoComplete="username" value={name} readOnly hidden />', null],
    ['<input value={v} readOnly={false} />', 'no autoComplete="off"'],
  ])('%s', (source, problem) => {
    const [field] = fieldTags(source);
    expect(field).toBeDefined();
    expect(autofillProblem(field?.tag ?? '')).toBe(problem);
  });

  it('finds a tag whose handlers contain ">"', () => {
    const [field] = fieldTags('<input onChange={(e) => go(e.a > 1)} autoComplete="off" />\n<p>');
    expect(field?.tag.endsWith('/>')).toBe(true);
    expect(autofillProblem(field?.tag ?? '')).toBeNull();
  });

  it('every text field and text area of the screens', async () => {
    const files = await tsxFiles(APP);
    expect(files.length).toBeGreaterThan(50);
    const problems: string[] = [];
    let checked = 0;
    for (const file of files) {
      for (const field of fieldTags(await readFile(file, 'utf8'))) {
        checked++;
        const problem = autofillProblem(field.tag);
        if (problem) problems.push(`${path.relative(APP, file)}:${field.line} ${problem}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
