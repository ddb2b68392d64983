import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';
import { hashFileAtPath, sha256sumLine } from './hash.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-hash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sizes = [
  { description: 'an empty file', bytes: 0 },
  { description: 'a small file', bytes: 1000 },
  { description: 'a file of several chunks', bytes: 20 * 1024 * 1024 + 17 },
];

describe('preflight hash', () => {
  it.each(sizes)('prints the same SHA-256 as node:crypto for $description', async ({ bytes }) => {
    const data = new Uint8Array(bytes).map((_, i) => (i * 7) % 256);
    const file = `data-${bytes}.bin`;
    await writeFile(path.join(dir, file), data);
    const { io, out, err } = captureIo(dir);
    expect(await main(['hash', file], io)).toBe(0);
    expect(out).toEqual([`${createHash('sha256').update(data).digest('hex')}  ${file}`]);
    expect(err).toEqual([]);
  });

  it('prints JSON with --json', async () => {
    await writeFile(path.join(dir, 'abc.txt'), 'abc');
    const { io, out } = captureIo(dir);
    expect(await main(['hash', 'abc.txt', '--json'], io)).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual({
      file: 'abc.txt',
      bytes: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
  });

  const unreadable = [
    { description: 'a missing file', setup: async () => 'missing.csv', why: /"missing\.csv": no such file/ },
    {
      description: 'a directory',
      setup: async () => {
        await mkdir(path.join(dir, 'folder'), { recursive: true });
        return 'folder';
      },
      why: /"folder": it is a directory/,
    },
  ];
  it.each(unreadable)('exits 2 and says which file and why for $description', async ({ setup, why }) => {
    const file = await setup();
    const { io, out, err } = captureIo(dir);
    expect(await main(['hash', file], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(why);
  });

  // Skipped as root (CI containers): root reads a 000-mode file, so there is no permission error to see.
  it.skipIf(process.getuid?.() === 0)('exits 2 for a file without read permission', async () => {
    const file = path.join(dir, 'locked.csv');
    await writeFile(file, 'x');
    await chmod(file, 0o000);
    const { io, err } = captureIo(dir);
    expect(await main(['hash', 'locked.csv'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/permission denied/);
  });

  it('exits 2 with usage for no file, two files or an unknown option', async () => {
    for (const args of [[], ['a', 'b'], ['a', '--fast']]) {
      const { io, err } = captureIo(dir);
      expect(await main(['hash', ...args], io)).toBe(2);
      expect(err.join('\n')).toContain('Usage: preflight hash');
    }
  });

  it('hashFileAtPath gives the same digest for any chunk size', async () => {
    const data = new Uint8Array(100_003).map((_, i) => (i * 13) % 256);
    const file = path.join(dir, 'chunks.bin');
    await writeFile(file, data);
    const expected = createHash('sha256').update(data).digest('hex');
    for (const chunkBytes of [7, 4096, 65_536, 1 << 20]) {
      expect((await hashFileAtPath(file, { chunkBytes })).sha256).toBe(expected);
    }
  });

  it('escapes file names like sha256sum', () => {
    expect(sha256sumLine('ab', 'a b.csv')).toBe('ab  a b.csv');
    expect(sha256sumLine('ab', 'a\nb\\c')).toBe('\\ab  a\\nb\\\\c');
  });
});
