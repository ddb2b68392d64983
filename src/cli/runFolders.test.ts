/**
 * `preflight validate` of a Parquet file stopped by SIGINT (Ctrl-C) or SIGTERM as a real process:
 * its temporary folder, which holds the file's rows as CSV text (record content), is gone, and the
 * process still ends by that signal (a shell shows 130 for Ctrl-C). The signal is sent at a gate
 * (stopBeforeRename.mjs), never after a wait: the run has read the rows from the folder, written
 * its failing rows and waits there until it is stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');
const BEFORE_RENAME = path.resolve(import.meta.dirname, 'stopBeforeRename.mjs');
const ARGV = ['validate', 'k.parquet', '--schema', 'c.json', '--failing-rows', 'f.csv'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-stopped-'));
  await writeFile(
    path.join(dir, 'c.json'),
    JSON.stringify({ type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } } }),
  );
  // every other record fails the contract's pattern
  const ids = Array.from({ length: 1000 }, (_, i) => `${i % 2 ? 'x' : ''}${i}`);
  const names = ids.map((_, i) => `Name${i}`);
  const parquet = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids, type: 'STRING' },
      { name: 'name', data: names, type: 'STRING' },
    ],
  });
  await writeFile(path.join(dir, 'k.parquet'), new Uint8Array(parquet));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The run's temporary folders in `temp`, each with the files in it. */
function runFolders(temp: string): Record<string, string[]> {
  return Object.fromEntries(
    readdirSync(temp)
      .filter((name) => name.startsWith('preflight-parquet-'))
      .map((name) => [name, readdirSync(path.join(temp, name)).sort()]),
  );
}

describe('preflight validate of a Parquet file stopped by a signal', () => {
  it.each([
    { signal: 'SIGINT' as const, extra: [] },
    { signal: 'SIGTERM' as const, extra: ['--workers', '1'] },
  ])(
    'removes its temporary folder on $signal $extra',
    async ({ signal, extra }) => {
      // a TMPDIR of the test's own: the folders of other runs on the machine are not looked at
      const temp = path.join(dir, `tmp-${signal}`);
      await mkdir(temp);
      const child = spawn(process.execPath, ['--import', BEFORE_RENAME, CLI, ...ARGV, ...extra], {
        cwd: dir,
        env: { ...process.env, TMPDIR: temp },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      let err = '';
      child.stderr.setEncoding('utf8');
      const gate = await new Promise<boolean>((resolve) => {
        child.stderr.on('data', (text: string) => {
          err += text;
          if (err.includes('stopped before renaming f.csv')) resolve(true);
        });
        void ended.then(() => resolve(false));
      });
      expect(gate, `the run ended before the gate: ${err}`).toBe(true);
      // the rows as CSV text are on disk while the run works
      const folders = runFolders(temp);
      expect(Object.values(folders)).toHaveLength(1);
      expect(Object.values(folders)[0]).toContain('0.csv');

      child.kill(signal);
      expect(await ended).toEqual({ code: null, signal });
      // caches that outlive runs by design: tsx's when the CLI runs from its sources (no bundle
      // built), and Node's compile cache (src/cli/preflight.mjs)
      const caches = (name: string) => name.startsWith('tsx-') || name === 'node-compile-cache';
      expect(readdirSync(temp).filter((name) => !caches(name))).toEqual([]);
      for (const name of Object.keys(folders)) expect(existsSync(path.join(temp, name))).toBe(false);
    },
    60_000,
  );
});
