/**
 * `preflight validate` killed with SIGKILL as a real process: while it validates, and while it
 * writes its failing rows. The files of the earlier run stay as they were, no half-written file
 * takes their place, and the next run says what happened. Each kill waits on an event (a progress
 * line on stderr, the unfinished file appearing), never on time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync, watch } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport } from '../formats/report.ts';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');
const ARGS = ['validate', 'k.csv', '--schema', 'c.json', '--report', 'r.json', '--failing-rows', 'f.csv'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-killed-'));
  await writeFile(
    path.join(dir, 'c.json'),
    JSON.stringify({ type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } } }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An extract of `rows` rows, every other one failing the contract's pattern. */
function extract(rows: number): string {
  const lines = ['id,name'];
  for (let i = 0; i < rows; i++) lines.push(`${i % 2 ? 'x' : ''}${i},Name${i}`);
  return `${lines.join('\n')}\n`;
}

interface Run {
  child: ChildProcess;
  stderr: () => string;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(extra: string[] = []): Run {
  const child = spawn(process.execPath, [CLI, ...ARGS, ...extra], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    err += text;
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => err, ended };
}

/** Resolves once stderr shows a progress line short of 100 %; fails if the run ends first. */
function progressLine(run: Run): Promise<void> {
  return new Promise((resolve, reject) => {
    const look = () => {
      if (/\b(?:[1-9]|[1-9]\d) % ·/.test(run.stderr())) {
        run.child.stderr?.off('data', look);
        resolve();
      }
    };
    run.child.stderr?.on('data', look);
    void run.ended.then(() => reject(new Error(`the run ended before a progress line: ${run.stderr()}`)));
  });
}

const files = async () => ({
  report: await readFile(path.join(dir, 'r.json'), 'utf8'),
  rows: await readFile(path.join(dir, 'f.csv'), 'utf8'),
});

describe('preflight validate killed with SIGKILL', () => {
  it('keeps the earlier report and failing rows whole, and the next run says what happened', async () => {
    // an earlier run's files
    await writeFile(path.join(dir, 'k.csv'), extract(100));
    expect((await start().ended).code).toBe(1);
    const earlier = await files();
    expect(earlier.rows.trim().split('\n')).toHaveLength(51);

    // killed while it validates a larger extract
    await writeFile(path.join(dir, 'k.csv'), extract(200_000));
    const validating = start(['--progress']);
    await progressLine(validating);
    validating.child.kill('SIGKILL');
    expect((await validating.ended).signal).toBe('SIGKILL');
    expect(await files()).toEqual(earlier);
    // its mark: the empty unfinished copies it made before it started
    expect(existsSync(path.join(dir, 'f.csv.partial'))).toBe(true);

    // killed while it writes the failing rows: the unfinished copy growing is the signal (the run
    // makes it empty at its start, as a mark, and writes into it once it has validated)
    const partial = path.join(dir, 'f.csv.partial');
    const writing = start();
    await new Promise<void>((resolve) => {
      const watcher = watch(dir, (_event, name) => {
        if (name === 'f.csv.partial' && (statSync(partial, { throwIfNoEntry: false })?.size ?? 0) > 0) {
          watcher.close();
          resolve();
        }
      });
    });
    writing.child.kill('SIGKILL');
    expect((await writing.ended).signal).toBe('SIGKILL');
    const after = await files();
    expect(after.rows).toBe(earlier.rows);
    // the report is written before the failing rows: whole, the earlier one or this run's
    expect(loadReport(JSON.parse(after.report)).ok).toBe(true);
    expect(existsSync(path.join(dir, 'f.csv.partial'))).toBe(true);

    // the run after the kill while validating said so, for both files
    for (const file of ['r.json', 'f.csv'])
      expect(writing.stderr()).toContain(
        `an earlier run was stopped before it finished "${file}": its unfinished copy "${file}.partial" was removed, and "${file}" was left as it was before that run.`,
      );

    // the next run says so for the failing rows, removes the unfinished copy and writes both whole
    // (a small extract: what it finds is the earlier kill's mark, not anything of the extract's size)
    await writeFile(path.join(dir, 'k.csv'), extract(300));
    const next = start();
    expect((await next.ended).code).toBe(1);
    expect(next.stderr()).toContain(
      'an earlier run was stopped before it finished "f.csv": its unfinished copy "f.csv.partial" was removed, and "f.csv" was left as it was before that run.',
    );
    expect(next.stderr()).not.toContain('"r.json"');
    expect(existsSync(path.join(dir, 'f.csv.partial'))).toBe(false);
    const last = await files();
    expect(JSON.parse(last.report).summary).toMatchObject({ records: 300, invalid: 150 });
    // a header line, then one line per failing row
    expect(last.rows.endsWith('\n')).toBe(true);
    expect(last.rows.trim().split('\n')).toHaveLength(151);
  }, 240_000);
});
