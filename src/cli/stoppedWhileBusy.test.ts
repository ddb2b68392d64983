/**
 * `preflight validate` stopped by SIGTERM while it works through 30,000 waivers limited to rows:
 * it ends by that signal, its temporary folder gone and no report written in place of one. The
 * run's SIGTERM handler (which removes the folder) runs only when the event loop is free, so a
 * run that spent hours in one synchronous loop (the waivers' cost grew with their square) could
 * not be stopped at all. The signal is sent when the run's folder appears (an event), never after
 * a wait.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, watch } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');
const WAIVERS = 30_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-busy-'));
  await writeFile(
    path.join(dir, 'c.json'),
    JSON.stringify({ type: 'object', properties: { mrn: { type: 'string', pattern: '^[0-9]+$' } } }),
  );
  await writeFile(path.join(dir, 'k.csv'), 'mrn\nx1\nx2\n');
  const waivers = Array.from({ length: WAIVERS }, (_, i) => ({
    id: `w${i}`,
    rule: 'contract.pattern',
    column: 'mrn',
    rows: [{ from: i + 10, to: i + 10 }],
    rationale: 'legacy numbers kept until the merge',
    owner: 'Data lead',
    expires: '2099-12-31',
  }));
  await writeFile(path.join(dir, 'w.json'), JSON.stringify({ format: 'preflight.waivers/v1', waivers }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight validate stopped while busy', () => {
  it('ends by SIGTERM, removing its folder and writing no report', async () => {
    // a TMPDIR of the test's own: the folders of other runs on the machine are not looked at
    const temp = path.join(dir, 'tmp');
    await mkdir(temp);
    const folderMade = new Promise<void>((resolve) => {
      const watcher = watch(temp, (_event, name) => {
        if (String(name).startsWith('preflight-keys-')) {
          watcher.close();
          resolve();
        }
      });
    });
    const child = spawn(
      process.execPath,
      [CLI, 'validate', 'k.csv', '--schema', 'c.json', '--waivers', 'w.json', '--report', 'r.json'],
      { cwd: dir, env: { ...process.env, TMPDIR: temp }, stdio: 'ignore' },
    );
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    await folderMade;
    child.kill('SIGTERM');
    expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(readdirSync(temp).filter((name) => name.startsWith('preflight-'))).toEqual([]);
    expect(existsSync(path.join(dir, 'r.json'))).toBe(false);
  }, 30_000);
});
