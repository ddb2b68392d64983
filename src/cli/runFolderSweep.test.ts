/**
 * A run killed outright (SIGKILL) leaves its temporary folder, which may hold record content; the
 * next run removes it, because the folder's name says which process made it. A folder of a
 * process that still runs is left alone. The child is killed on an event (it prints its folder),
 * never after a wait.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRunFolder, removeFoldersOfEndedRuns } from './runFolders.ts';

const RUN_FOLDERS = path.resolve(import.meta.dirname, 'runFolders.ts');

let temp: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  // a TMPDIR of the test's own: the folders of other runs on the machine are not looked at
  temp = await mkdtemp(path.join(tmpdir(), 'preflight-sweep-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(temp, { recursive: true, force: true });
});

/** A process that makes a run folder (as a run does), writes a file in it, says where, and waits. */
async function runHoldingAFolder(): Promise<{ child: ChildProcess; folder: string }> {
  const script = `
    import { writeFileSync } from 'node:fs';
    const { makeRunFolder } = await import(${JSON.stringify(RUN_FOLDERS)});
    const folder = makeRunFolder('keys', ${JSON.stringify(temp)});
    writeFileSync(folder + '/keys.bin', 'MRN 123');
    process.stdout.write(folder + '\\n');
    setInterval(() => {}, 1 << 30);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const folder = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      out += text;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the child ended (${code}) before making its folder`)));
  });
  return { child, folder };
}

describe('run folders of runs killed outright', () => {
  it('are named by process, and removed by the next run once that process has ended', async () => {
    const killed = await runHoldingAFolder();
    const running = await runHoldingAFolder();
    expect(path.basename(killed.folder)).toMatch(new RegExp(`^preflight-keys-${killed.child.pid}-\\w{6}$`));
    const ended = new Promise((resolve) => killed.child.once('exit', resolve));
    killed.child.kill('SIGKILL');
    await ended;
    // SIGKILL runs nothing: the folder and its file stay
    expect(existsSync(path.join(killed.folder, 'keys.bin'))).toBe(true);

    // the next run's folder: the killed run's goes, the running one's stays, and so do others'
    writeFileSync(path.join(temp, 'preflight-keys-notes.txt'), 'not a run folder');
    const next = makeRunFolder('parquet', temp);
    expect(existsSync(killed.folder)).toBe(false);
    expect(existsSync(path.join(running.folder, 'keys.bin'))).toBe(true);
    expect(existsSync(path.join(temp, 'preflight-keys-notes.txt'))).toBe(true);
    expect(path.basename(next)).toMatch(new RegExp(`^preflight-parquet-${process.pid}-\\w{6}$`));
    // this process's own folder is never taken for an ended run's
    expect(removeFoldersOfEndedRuns(temp)).toEqual([]);
    expect(existsSync(next)).toBe(true);
  }, 20_000);
});
