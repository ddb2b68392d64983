/**
 * Test files share their worker's process and module graph (vitest `isolate: false`), except the
 * files named `*.mocked.test.ts(x)`, which run isolated. A file that replaces a module with
 * `vi.mock` must be one of them: in a shared module graph the module it mocks may already be
 * loaded by an earlier file, and the mock would then apply, or not, by the order files ran. And a
 * file so named must mock something, or it pays for isolation for nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FOLDERS = ['src', 'workers', 'tests', 'samples'];
const MOCKS_A_MODULE = /^\s*vi\.(?:mock|doMock)\(/m;

async function testFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const folder of FOLDERS) {
    const entries = await readdir(path.join(ROOT, folder), { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && /\.test\.tsx?$/.test(entry.name)) {
        found.push(path.relative(ROOT, path.join(entry.parentPath, entry.name)));
      }
    }
  }
  return found.sort();
}

/** The files that break the rule: mocking without the name, or the name without a mock. */
function misnamed(files: { file: string; text: string }[]): string[] {
  return files
    .filter(({ file, text }) => MOCKS_A_MODULE.test(text) !== /\.mocked\.test\.tsx?$/.test(file))
    .map(({ file }) => file);
}

describe('test files that mock modules run isolated', () => {
  it('names every file that calls vi.mock *.mocked.test, and only those', async () => {
    const files = await testFiles();
    expect(files.length).toBeGreaterThan(300);
    const texts = await Promise.all(
      files.map(async (file) => ({ file, text: await readFile(path.join(ROOT, file), 'utf8') })),
    );
    expect(misnamed(texts)).toEqual([]);
  });

  it('refuses a mock in a shared file and a mocked name without a mock', () => {
    expect(
      misnamed([
        { file: 'src/a.test.ts', text: "import x from './b.ts';\nvi.mock('./b.ts');" },
        { file: 'src/c.mocked.test.tsx', text: 'render(<C />);' },
        { file: 'src/d.mocked.test.ts', text: "vi.doMock('./e.ts');" },
        { file: 'src/f.test.tsx', text: 'vi.fn();' },
      ]),
    ).toEqual(['src/a.test.ts', 'src/c.mocked.test.tsx']);
  });
});
