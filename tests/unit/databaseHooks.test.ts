/**
 * A test file that needs the test databases gets them through `fileTestEngines()`
 * (src/server/testing/databases.ts), whose hook waits for PGlite's WebAssembly start and
 * PostgreSQL's initdb under the database bound, scaled with the machine (tests/waits.ts). Started
 * in a file's own `beforeAll`, they would run under the unit hooks' bound, which a loaded machine
 * exceeds.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STARTS_ENGINES = /\bstartTestEngines\s*\(/;

describe('the test databases start under the database bound', () => {
  it('no test file starts them itself: each uses fileTestEngines()', async () => {
    const offending: string[] = [];
    let users = 0;
    for (const folder of ['src', 'tests']) {
      const entries = await readdir(path.join(ROOT, folder), { recursive: true, withFileTypes: true });
      for (const entry of entries) {
        if (!entry.isFile() || !/\.test\.tsx?$/.test(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        if (file === fileURLToPath(import.meta.url)) continue;
        const text = await readFile(file, 'utf8');
        if (STARTS_ENGINES.test(text)) offending.push(path.relative(ROOT, file));
        if (text.includes('fileTestEngines()')) users += 1;
      }
    }
    expect(offending).toEqual([]);
    expect(users).toBeGreaterThanOrEqual(14);
  });
});
