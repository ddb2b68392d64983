/**
 * Every CLI command that writes files, killed with SIGKILL as a real process twice: while it
 * works (stopWhileWorking.mjs stops it after it marked its files and before it writes any), and at
 * the moment its finished copy is about to replace the file (stopBeforeRename.mjs). Each gate says
 * so on stderr and the test kills on that line, never after a wait. The files of the earlier run
 * stay as they were, and the next run names each file the killed run did not finish, removes the
 * unfinished copy and writes the file whole. The same as `validate` (killedRun.test.ts), through
 * the one helper (wholeFiles.ts). One table over one shared folder of inputs keeps this short.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cliTestKit.ts';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');
const BEFORE_RENAME = path.resolve(import.meta.dirname, 'stopBeforeRename.mjs');
const WHILE_WORKING = path.resolve(import.meta.dirname, 'stopWhileWorking.mjs');
const SAMPLES = path.resolve(import.meta.dirname, '../../samples');
const EARLIER = 'the earlier run wrote this\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-killed-outputs-'));
  await copyFile(path.join(SAMPLES, 'fhir/Patient.ndjson'), path.join(dir, 'p.ndjson'));
  await copyFile(path.join(SAMPLES, 'workflows/patient-intake.future.json'), path.join(dir, 'intake.json'));
  await copyFile(path.join(SAMPLES, 'projects/demo-clinic.preflight.json'), path.join(dir, 'project.json'));
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

/** What a gated run said on stderr when it stopped, and which file it named. */
interface Stopped {
  stopped: string;
  signal: NodeJS.Signals | null;
  err: string;
}

/** Runs the CLI as a process preloading `gate`, and kills it on the gate's line `said`. */
function runUntil(gate: string, said: RegExp, argv: string[]): Promise<Stopped> {
  const child = spawn(process.execPath, ['--import', gate, CLI, ...argv], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  let stopped = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    err += text;
    const line = said.exec(err);
    if (line && !stopped) {
      stopped = line[1] as string;
      child.kill('SIGKILL');
    }
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (_code, signal) =>
      stopped
        ? resolve({ stopped, signal, err })
        : reject(new Error(`the run ended without stopping: ${err}`)),
    ),
  );
}

const runUntilWorking = (argv: string[]) =>
  runUntil(WHILE_WORKING, /stopped while working, before writing (\S+)\n/, argv);
const runUntilRename = (argv: string[]) => runUntil(BEFORE_RENAME, /stopped before renaming (\S+)\n/, argv);

const namesInterrupted = (file: string) =>
  `an earlier run was stopped before it finished "${file}": its unfinished copy "${file}.partial" was removed, and "${file}" was left as it was before that run.`;

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
    // the log matches none of the design's steps: the run ends on findings, the workflow is written
    command: 'workflow conform --write-chances',
    argv: [
      'workflow',
      'conform',
      'log.csv',
      '--case',
      'case',
      '--activity',
      'activity',
      '--timestamp',
      'time',
      '--workflow',
      'intake.json',
      '--write-chances',
      'measured.json',
    ],
    outputs: ['measured.json'],
    codes: [1],
  },
  {
    command: 'workflow export-bpmn',
    argv: ['workflow', 'export-bpmn', 'intake.json', '-o', 'w.bpmn'],
    outputs: ['w.bpmn'],
    codes: [0],
  },
  {
    // the demo project is a no-go: the run ends 1, the pack is written
    command: 'readiness --pack',
    argv: ['readiness', 'project.json', '--pack', 'pack.pdf'],
    outputs: ['pack.pdf'],
    codes: [1],
  },
  {
    command: 'workflow import-bpmn',
    argv: ['workflow', 'import-bpmn', 'intake.bpmn', '-o', 'w.json'],
    outputs: ['w.json'],
    codes: [0],
  },
];

/**
 * Every command source that writes files (it uses the whole-file helpers, or the SQL engines' runner
 * that uses them), and where its kills are
 * tested: the commands of {@link CASES}, or another file for what needs more than this folder.
 * The other commands (`sample`, `signoff verify`, `check`, …) print to stdout and write no file;
 * `readiness` writes one only with `--pack`.
 */
const KILL_TESTS: Record<string, string[]> = {
  'validate.ts': ['validate --fhir', 'killedRun.test.ts (CSV, killed on a progress line)'],
  // the default engine's run, which `validate` dispatches to: the CSV kill above runs it
  'validateDefault.ts': ['killedRun.test.ts (CSV, killed on a progress line)'],
  // the PostgreSQL engine writes its report through the writer the default engine uses
  // (validateOptions.ts, called by sqlCommand.ts): killed there
  'validatePostgres.ts': ['killedRun.test.ts (the report writer of validateOptions.ts)'],
  // the warehouse engines write through that same runner and writer
  'validateWarehouse.ts': ['killedRun.test.ts (the report writer of validateOptions.ts)'],
  // the report writer both engines share
  'validateOptions.ts': ['killedRun.test.ts (the report of validate, either engine)'],
  'fhirValidate.ts': ['fhir validate'],
  'workflowConform.ts': ['workflow conform --write-chances'],
  'workflowDiscover.ts': ['workflow discover'],
  'workflowExportBpmn.ts': ['workflow export-bpmn'],
  'workflowImportBpmn.ts': ['workflow import-bpmn'],
  'fhirPull.ts': ['tests/fhirServer/cli.test.ts (against the test FHIR server)'],
  'readiness.ts': ['readiness --pack'],
  // the project file is both what it reads and what it writes: its own case below
  'workflowConformProject.ts': ['killedOutputs.test.ts (workflow conform --keep, the project kept whole)'],
};

describe('the commands that write files', () => {
  it('are each killed in a test (a new one joins CASES or KILL_TESTS)', () => {
    const commands = path.join(import.meta.dirname, 'commands');
    const writers = readdirSync(commands)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .filter((name) =>
        /from '\.\.\/(?:wholeFiles|failingRowsFile|sqlCommand)\.ts'/.test(
          readFileSync(path.join(commands, name), 'utf8'),
        ),
      );
    expect(writers.sort()).toEqual(Object.keys(KILL_TESTS).sort());
    const tested = Object.values(KILL_TESTS)
      .flat()
      .filter((entry) => !entry.includes('.test.ts'));
    expect(tested.sort()).toEqual(CASES.map((c) => c.command).sort());
  });
});

describe('a CLI command killed while it works, then while it puts a file in place', () => {
  it.each(CASES)(
    '$command keeps the earlier file and the next run names it',
    async (c) => {
      for (const file of c.outputs) await writeFile(path.join(dir, file), EARLIER);
      const earlierKept = async () => {
        for (const file of c.outputs) {
          // the earlier file as it was, and the killed run's mark beside it
          expect(await readFile(path.join(dir, file), 'utf8')).toBe(EARLIER);
          expect(existsSync(path.join(dir, `${file}.partial`))).toBe(true);
        }
      };

      // killed while it works: every file marked, none written
      const working = await runUntilWorking(c.argv);
      expect(working.signal).toBe('SIGKILL');
      expect(c.outputs).toContain(working.stopped);
      await earlierKept();
      for (const file of c.outputs)
        expect(await readFile(path.join(dir, `${file}.partial`), 'utf8')).toBe('');

      // killed as it puts the first file in place; at its start it named each file of the run before
      const killed = await runUntilRename(c.argv);
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stopped).toBe(c.outputs[0]);
      for (const file of c.outputs) expect(killed.err).toContain(namesInterrupted(file));
      await earlierKept();
      // the first file was finished: its copy holds all of it, never part of the earlier one
      expect(await readFile(path.join(dir, `${c.outputs[0]}.partial`), 'utf8')).not.toContain('earlier');

      const next = await runCli(c.argv, dir);
      expect(c.codes).toContain(next.code);
      for (const file of c.outputs) {
        expect(next.err).toContain(namesInterrupted(file));
        expect(existsSync(path.join(dir, `${file}.partial`))).toBe(false);
        expect(await readFile(path.join(dir, file), 'utf8')).not.toBe(EARLIER);
      }
      const first = await readFile(path.join(dir, c.outputs[0] as string), 'utf8');
      if (c.outputs[0]?.endsWith('.json')) expect(() => JSON.parse(first)).not.toThrow();
      else if (c.outputs[0]?.endsWith('.pdf')) expect(first).toMatch(/^%PDF-[\s\S]*%%EOF\s*$/);
      else expect(first).toMatch(/^<\?xml[\s\S]*<\/[a-z:]*definitions>\n$/);
      // a run that ends leaves no mark, so the one after says nothing
      expect((await runCli(c.argv, dir)).err).not.toContain('an earlier run was stopped');
    },
    60_000,
  );
});

describe('workflow conform --keep killed while it works, then while it puts the project in place', () => {
  it('keeps the project file as it was, and the next run names it and keeps the check', async () => {
    const kept = path.join(dir, 'kept.json');
    await copyFile(path.join(SAMPLES, 'projects/demo-clinic.preflight.json'), kept);
    const before = await readFile(kept, 'utf8');
    const design = JSON.parse(await readFile(path.join(dir, 'intake.json'), 'utf8')) as {
      steps: { label: string }[];
    };
    const labels = design.steps.slice(0, 3).map((s) => `"${s.label}"`);
    const log = ['case,activity,time'];
    for (let c = 1; c <= 5; c++)
      for (const [i, label] of labels.entries())
        log.push(`k${c},${label},2026-03-0${c}T${String(8 + i).padStart(2, '0')}:00:00Z`);
    await writeFile(path.join(dir, 'intake-log.csv'), `${log.join('\n')}\n`);
    const argv = [
      'workflow',
      'conform',
      'intake-log.csv',
      '--case',
      'case',
      '--activity',
      'activity',
      '--timestamp',
      'time',
      '--workflow',
      'intake.json',
      '--project',
      'kept.json',
      '--keep',
    ];

    const working = await runUntilWorking(argv);
    expect(working.signal).toBe('SIGKILL');
    expect(working.stopped).toBe('kept.json');
    expect(await readFile(kept, 'utf8')).toBe(before);

    const killed = await runUntilRename(argv);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stopped).toBe('kept.json');
    expect(killed.err).toContain(namesInterrupted('kept.json'));
    expect(await readFile(kept, 'utf8')).toBe(before);

    const next = await runCli(argv, dir);
    expect([0, 1]).toContain(next.code);
    expect(next.err).toContain(namesInterrupted('kept.json'));
    expect(existsSync(`${kept}.partial`)).toBe(false);
    const project = (
      JSON.parse(await readFile(kept, 'utf8')) as { project: { workflowChecks?: { id: string }[] } }
    ).project;
    expect(project.workflowChecks?.map((c) => c.id)).toContain('patient-intake-future');
  }, 60_000);
});
