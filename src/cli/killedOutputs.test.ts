/**
 * Every CLI command that writes files, killed with SIGKILL as a real process at the moment its
 * finished copy is about to replace the file (stopBeforeRename.mjs says so on stderr: the test
 * kills on that line, never after a wait). The file of the earlier run stays as it was, and the
 * next run names each file the killed run did not finish, removes the unfinished copy and writes
 * the file whole. The same as `validate` (killedRun.test.ts), through the one helper (wholeFiles.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cliTestKit.ts';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');
const GATE = path.resolve(import.meta.dirname, 'stopBeforeRename.mjs');
const SAMPLES = path.resolve(import.meta.dirname, '../../samples');
const EARLIER = 'the earlier run wrote this\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-killed-outputs-'));
  await copyFile(path.join(SAMPLES, 'fhir/Patient.ndjson'), path.join(dir, 'p.ndjson'));
  await copyFile(path.join(SAMPLES, 'workflows/patient-intake.future.json'), path.join(dir, 'intake.json'));
  await writeFile(path.join(dir, 'k.csv'), 'id,name\n1,A\nx2,B\n');
  await writeFile(
    path.join(dir, 'c.json'),
    JSON.stringify({ type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } } }),
  );
  const log = ['case,activity,time'];
  for (let c = 1; c <= 5; c++)
    for (const [i, activity] of ['Arrive', 'Triage', 'Leave'].entries())
      log.push(`c${c},${activity},2026-01-0${c}T${String(8 + i).padStart(2, '0')}:00:00Z`);
  await writeFile(path.join(dir, 'log.csv'), `${log.join('\n')}\n`);
  expect((await runCli(['workflow', 'export-bpmn', 'intake.json', '-o', 'intake.bpmn'], dir)).code).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI as a process with the gate and kills it once it stops before a rename. */
function runUntilRename(argv: string[]): Promise<{ stopped: string; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', GATE, CLI, ...argv], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  let stopped = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    err += text;
    const line = /stopped before renaming (\S+)\n/.exec(err);
    if (line && !stopped) {
      stopped = line[1] as string;
      child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (_code, signal) =>
      stopped ? resolve({ stopped, signal }) : reject(new Error(`the run ended without writing: ${err}`)),
    ),
  );
}

const CASES: { command: string; argv: string[]; outputs: string[]; codes: number[] }[] = [
  {
    command: 'validate --fhir',
    argv: ['validate', '--fhir', 'p.ndjson', '--report', 'r.json', '--outcomes', 'o.ndjson'],
    outputs: ['r.json', 'o.ndjson'],
    codes: [0, 1],
  },
  {
    command: 'fhir validate',
    argv: ['fhir', 'validate', 'p.ndjson', '--report', 'r.json', '--outcomes', 'o.ndjson'],
    outputs: ['r.json', 'o.ndjson'],
    codes: [0, 1],
  },
  {
    command: 'validate --engine duckdb',
    argv: ['validate', '--engine', 'duckdb', 'k.csv', '--schema', 'c.json', '--report', 'r.json'],
    outputs: ['r.json'],
    codes: [1],
  },
  {
    command: 'workflow discover',
    argv: [
      'workflow',
      'discover',
      'log.csv',
      '--case',
      'case',
      '--activity',
      'activity',
      '--timestamp',
      'time',
      '-o',
      'w.json',
    ],
    outputs: ['w.json'],
    codes: [0],
  },
  {
    command: 'workflow export-bpmn',
    argv: ['workflow', 'export-bpmn', 'intake.json', '-o', 'w.bpmn'],
    outputs: ['w.bpmn'],
    codes: [0],
  },
  {
    command: 'workflow import-bpmn',
    argv: ['workflow', 'import-bpmn', 'intake.bpmn', '-o', 'w.json'],
    outputs: ['w.json'],
    codes: [0],
  },
];

describe('a CLI command killed while it puts a file in place', () => {
  it.each(CASES)(
    '$command keeps the earlier file and the next run names it',
    async (c) => {
      for (const file of c.outputs) await writeFile(path.join(dir, file), EARLIER);

      const killed = await runUntilRename(c.argv);
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stopped).toBe(c.outputs[0]);
      for (const file of c.outputs) {
        // the earlier file as it was, and the killed run's mark beside it
        expect(await readFile(path.join(dir, file), 'utf8')).toBe(EARLIER);
        expect(existsSync(path.join(dir, `${file}.partial`))).toBe(true);
      }
      // the first file was finished: its copy holds all of it, never part of the earlier one
      expect(await readFile(path.join(dir, `${c.outputs[0]}.partial`), 'utf8')).not.toContain('earlier');

      const next = await runCli(c.argv, dir);
      expect(c.codes).toContain(next.code);
      for (const file of c.outputs) {
        expect(next.err).toContain(
          `an earlier run was stopped before it finished "${file}": its unfinished copy "${file}.partial" was removed, and "${file}" was left as it was before that run.`,
        );
        expect(existsSync(path.join(dir, `${file}.partial`))).toBe(false);
        expect(await readFile(path.join(dir, file), 'utf8')).not.toBe(EARLIER);
      }
      const first = await readFile(path.join(dir, c.outputs[0] as string), 'utf8');
      if (c.outputs[0]?.endsWith('.json')) expect(() => JSON.parse(first)).not.toThrow();
      else expect(first).toMatch(/^<\?xml[\s\S]*<\/[a-z:]*definitions>\n$/);
      // a run that ends leaves no mark, so the one after says nothing
      expect((await runCli(c.argv, dir)).err).not.toContain('an earlier run was stopped');
    },
    60_000,
  );
});
