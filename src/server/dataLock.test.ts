import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_LOCK_FILE, DataLockedError, lockDataFolder } from './dataLock.ts';
import { startServer } from './start.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'preflight-lock-'));
  dirs.push(dir);
  return dir;
}

describe('the --data folder lock', () => {
  it('refuses a second holder while the first lives, naming its pid, and frees the folder on release', async () => {
    const dir = freshDir();
    const first = lockDataFolder(dir);
    expect(JSON.parse(readFileSync(first.file, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    expect(() => lockDataFolder(dir)).toThrow(DataLockedError);
    // the server refuses before it opens the database, so a live lock costs no PGlite start
    await expect(
      startServer({ storage: { kind: 'embedded', dir }, port: 0, checkAnswers: true }),
    ).rejects.toThrow(new RegExp(`process ${process.pid} on .*Stop that server first`));
    first.release();
    expect(existsSync(first.file)).toBe(false);
    lockDataFolder(dir).release();
  });

  it('takes over a lock left by a process that died on this host, and says whose it was', () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const left = { pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' };
    writeFileSync(path.join(dir, DATA_LOCK_FILE), JSON.stringify(left));
    const lock = lockDataFolder(dir);
    expect(lock.tookOver).toEqual(left);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('never takes over a lock from another host or one it cannot read', () => {
    const dir = freshDir();
    const file = path.join(dir, DATA_LOCK_FILE);
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'other-host.clinic', startedAt: 'x' }));
    expect(() => lockDataFolder(dir)).toThrow(/process 1 on other-host\.clinic/);
    writeFileSync(file, '{"pi');
    expect(() => lockDataFolder(dir)).toThrow(/its lock file cannot be read/);
  });
});
