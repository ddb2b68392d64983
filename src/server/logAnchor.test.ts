/**
 * The anchor file: it keeps the larger head of each project (so another process's head is never
 * rolled back), is readable by the server's user only, leaves no temporary file, and a file that
 * is not an anchor is refused, saying what to do.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignedTreeHead } from '../core/transparency/index.ts';
import { LogAnchorError, openLogAnchor } from './logAnchor.ts';

const head = (project: string, size: number): SignedTreeHead => ({
  project,
  size,
  rootHash: 'a'.repeat(64),
  timestamp: '2026-05-04T09:00:00.000Z',
  keyId: 'b'.repeat(64),
  signature: 'c'.repeat(128),
});

describe('the log anchor', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'preflight-anchor-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the larger head of each project, written whole and for the server only', async () => {
    const file = path.join(dir, 'key.pem.anchor.json');
    const one = openLogAnchor(file);
    const other = openLogAnchor(file);
    one.record(head('p', 3));
    other.record(head('q', 1));
    one.record(head('p', 2));
    expect([...openLogAnchor(file).heads().values()].map((h) => [h.project, h.size])).toEqual([
      ['p', 3],
      ['q', 1],
    ]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['key.pem.anchor.json']);
  });

  it('refuses a file that is not an anchor, saying what to do', async () => {
    const file = path.join(dir, 'anchor.json');
    await writeFile(file, '{"heads": []}');
    expect(() => openLogAnchor(file)).toThrow(LogAnchorError);
    expect(() => openLogAnchor(file)).toThrow(/move it aside to start a new anchor/);
  });
});
