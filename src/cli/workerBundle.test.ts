/**
 * The range workers' bundle (workerBundle.ts): built once, then read back from disk while none of
 * the files it was built from changed, and built again when one did (content, size or time).
 */
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkerEntry } from './workerBundle.ts';

let root: string;
const entry = () => path.join(root, 'entry.ts');
const kept = () => path.join(root, 'node_modules', '.cache', 'preflight', 'entry.cjs');

/** Writes a source file dated in the past (a bundle built from a file changed meanwhile is not kept). */
async function source(name: string, text: string, secondsAgo: number): Promise<void> {
  const file = path.join(root, name);
  await writeFile(file, text);
  const at = new Date(Date.now() - secondsAgo * 1000);
  await utimes(file, at, at);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'preflight-worker-bundle-'));
  await source('entry.ts', "import { word } from './dep.ts';\nconsole.log(word);\n", 60);
  await source('dep.ts', "export const word: string = 'first';\n", 60);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('bundleWorkerEntry', () => {
  it('builds the entry with what it imports, and keeps the bundle', async () => {
    const code = await bundleWorkerEntry(entry(), root);
    expect(code).toContain('"first"');
    expect(await readFile(kept(), 'utf8')).toBe(code);
  });

  it('reads the kept bundle back while no input changed', async () => {
    // a marker only the kept file has: what comes back was read, not built
    await writeFile(kept(), '/* kept */');
    expect(await bundleWorkerEntry(entry(), root)).toBe('/* kept */');
  });

  it.each([
    { change: 'content and size', text: "export const word: string = 'second!';\n", secondsAgo: 40 },
    // the same length as the last one: only its time tells the change
    { change: 'time only (same size)', text: "export const word: string = 'third!!';\n", secondsAgo: 20 },
  ])('builds again when an input changed: $change', async ({ text, secondsAgo }) => {
    await writeFile(kept(), '/* kept */');
    await source('dep.ts', text, secondsAgo);
    const code = await bundleWorkerEntry(entry(), root);
    expect(code).toContain(`"${text.split("'")[1]}"`);
    expect(await bundleWorkerEntry(entry(), root)).toBe(code);
  });

  it('gives undefined for an entry that does not build (the caller starts workers another way)', async () => {
    await source('broken.ts', 'export const = ;\n', 60);
    expect(await bundleWorkerEntry(path.join(root, 'broken.ts'), root)).toBeUndefined();
  });
});
