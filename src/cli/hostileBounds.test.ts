/**
 * Files built to exhaust memory, into every reader of the CLI, each as a real process: the reader
 * refuses the oversized part at its place (row, column, byte; line and column) and says what to
 * do, keeps the rest of the run where it can, never prints the value, and stays within a memory
 * and time bound. Peak resident memory is the process's own (`maxRSS`, written by a module loaded
 * before the CLI); the time bound is a watchdog against a reader that spins, not a speed target.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');
const PLAN = path.resolve(import.meta.dirname, '../../samples/plans/patients.sampleplan.json');
/** Size of each hostile part: 64 MiB, sixteen times the largest cell any reader accepts. */
const HUGE = 64 * 1024 * 1024;
/**
 * Peak memory a reader may use on a 64 MiB hostile file: the whole process, start-up included
 * (about 110 MB here). A reader that holds the oversized part several times over crosses it.
 */
const MAX_RSS_BYTES = 384 * 1024 * 1024;
/** A reader still running after this long is spinning. */
const WATCHDOG_MS = 120_000;
/** A run of the hostile character that must never reach the output. */
const LEAK = 'x'.repeat(64);

let dir: string;
let peakModule: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-hostile-bounds-'));
  peakModule = path.join(dir, 'peak.mjs');
  // The peak of this process alone: Linux keeps getrusage's maxRSS across exec, so a child
  // started by a large process (the test runner's worker) would report the parent's peak. VmHWM
  // is the high-water mark of the process's own memory, new at exec.
  await writeFile(
    peakModule,
    [
      "import { readFileSync } from 'node:fs';",
      "process.on('exit', () => {",
      "  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));",
      "  process.stderr.write('\\npeak-rss-bytes=' + Number(hwm?.[1]) * 1024 + '\\n');",
      '});',
      '',
    ].join('\n'),
  );
  await writeHostile('cell.csv', 'id,activity,time\n1,a,2024-01-01T10:00:00Z\n2,', ',2024-01-01T11:00:00Z\n');
  await writeHostile('name.csv', 'id,', '\n1,2\n');
  await writeFile(
    path.join(dir, 'columns.csv'),
    `${Array.from({ length: 300_000 }, (_, i) => `c${i}`).join(',')}\n1\n`,
  );
  await writeFile(
    path.join(dir, 'contract.json'),
    JSON.stringify({
      type: 'object',
      properties: { id: { type: 'string' }, activity: { type: 'string' }, time: { type: 'string' } },
    }),
  );
  await writeHostile(
    'long.ndjson',
    '{"resourceType":"Patient","id":"p1"}\n{"resourceType":"Patient","id":"p2","text":{"status":"generated","div":"',
    '"}}\n',
  );
  let deep = '{"url":"http://example.org/x"}';
  for (let i = 0; i < 5_000; i++) deep = `{"url":"http://example.org/x","extension":[${deep}]}`;
  await writeFile(
    path.join(dir, 'deep.ndjson'),
    `{"resourceType":"Patient","id":"p1","extension":[${deep}]}\n{"resourceType":"Patient","id":"p2"}\n`,
  );
  await writeHostile(
    'attribute.xes',
    '<?xml version="1.0"?><log><trace><string key="concept:name" value="c1"/><event><string key="concept:name" value="',
    '"/><date key="time:timestamp" value="2024-01-01T10:00:00Z"/></event></trace></log>',
  );
  await writeHostile(
    'name.bpmn',
    '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><process id="p"><task id="t" name="',
    '"/></process></definitions>',
  );
  await writeFile(
    path.join(dir, 'name2.bpmn'),
    `<?xml version="1.0"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">\n  <process id="p"><task id="t" name="${'x'.repeat(2 * 1024 * 1024)}"/></process>\n</definitions>\n`,
  );
  await writeHostile('project.json', '{"format":"preflight.project/v1","meta":{"name":"', '"}}');
  const plan = JSON.parse(await readFile(PLAN, 'utf8'));
  plan.population = {
    dataset: 'cell.csv',
    stratifyBy: 'file',
    strata: [{ id: 'cell.csv', label: 'all', size: 2, census: true }],
  };
  await writeFile(path.join(dir, 'plan.json'), JSON.stringify(plan));
}, 60_000);

/**
 * Writes `before`, {@link HUGE} characters "x" and `after` to `name` in the test folder. The
 * hostile part goes out as one 1 MiB chunk written again and again: building each 64 MiB file as
 * one string in this process (the string, its flat copy, its UTF-8 bytes) cost several CPU seconds
 * of fresh memory before any reader ran.
 */
async function writeHostile(name: string, before: string, after: string): Promise<void> {
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  const file = await open(path.join(dir, name), 'w');
  try {
    await file.write(before);
    for (let written = 0; written < HUGE; written += chunk.length) await file.write(chunk);
    await file.write(after);
  } finally {
    await file.close();
  }
}

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  peakRss: number;
}

/**
 * Runs `preflight <args>` in the test folder as its own process, with its peak memory. `nodeArgs`
 * go to Node after the memory probe and before the CLI's path.
 */
function run(args: string[], nodeArgs: string[] = []): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const probe = ['--import', pathToFileURL(peakModule).href];
    const child = spawn(process.execPath, [...probe, ...nodeArgs, CLI, ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      output += t;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      output += t;
    });
    const watchdog = setTimeout(() => child.kill('SIGKILL'), WATCHDOG_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(watchdog);
      const peak = /peak-rss-bytes=(\d+)/.exec(output);
      resolve({
        code,
        signal,
        output: output.replace(/\n?peak-rss-bytes=\d+\n/, ''),
        peakRss: Number(peak?.[1] ?? NaN),
      });
    });
  });
}

const READERS: { reader: string; args: string[]; code: number; says: RegExp }[] = [
  {
    reader: 'validate: a 64 MiB cell',
    args: ['validate', 'cell.csv', '--schema', 'contract.json'],
    code: 2,
    says: /cell\.csv: the cell in column 2 of row 2 \(from byte 42\) is longer than 4,194,304 characters\. .*Export the extract again without that field, or check --delimiter\./,
  },
  {
    reader: 'validate: a 64 MiB column name',
    args: ['validate', 'name.csv', '--schema', 'contract.json'],
    code: 2,
    says: /name\.csv: the name of column 2 in the header is longer than 4,096 characters\. Most likely this is not a CSV file/,
  },
  {
    reader: 'validate: 300,000 columns',
    args: ['validate', 'columns.csv', '--schema', 'contract.json'],
    code: 2,
    says: /columns\.csv: the header \(the first line\) has more than 16,384 columns\. .*Check --delimiter/,
  },
  {
    reader: 'sample: a 64 MiB cell',
    args: ['sample', 'plan.json', 'cell.csv', '--key', 'id', '--contract', 'contract.json'],
    code: 2,
    says: /cell\.csv: .*column 2 .*row 2 .*byte 42/,
  },
  {
    reader: 'workflow discover: a 64 MiB cell of a CSV log',
    args: [
      'workflow',
      'discover',
      'cell.csv',
      '--case',
      'id',
      '--activity',
      'activity',
      '--timestamp',
      'time',
    ],
    code: 2,
    says: /cell\.csv: the cell in column 2 of row 2 \(from byte 42\) is longer than/,
  },
  {
    reader: 'workflow discover: a 64 MiB XES attribute',
    args: ['workflow', 'discover', 'attribute.xes'],
    code: 2,
    says: /attribute\.xes is not a readable XES log: .*longer than 1,048,576 characters .*at line 1, column \d+/,
  },
  {
    reader: 'workflow import-bpmn: a 64 MiB task name',
    args: ['workflow', 'import-bpmn', 'name.bpmn'],
    code: 2,
    says: /name\.bpmn.*larger than 32 MB/,
  },
  {
    reader: 'workflow import-bpmn: a 2 MiB task name, far under the size limit',
    args: ['workflow', 'import-bpmn', 'name2.bpmn'],
    code: 2,
    says: /name2\.bpmn: error \[too-long\] \(line 3, column 19\): one element, name, text, attribute value or comment is longer than 1,048,576 characters; .*export again/,
  },
  {
    // one run: the reader goes on to the next file after each refused resource
    reader:
      'fhir validate: a 64 MiB text in one resource of an NDJSON export, extensions nested 5,000 deep in another',
    args: ['fhir', 'validate', 'long.ndjson', 'deep.ndjson'],
    code: 1,
    says: /2 valid, 2 invalid[\s\S]*line 2, column 72 is longer than 16,777,216 characters, so this resource was not read[\s\S]*\(first: long\.ndjson row 2[\s\S]*nested more than 500 levels deep[\s\S]*\(first: deep\.ndjson row 1/,
  },
  {
    reader: 'check: a project file with a 64 MiB name',
    args: ['check', 'project.json'],
    code: 1,
    says: /project\.json: \d+ problems \(project file\)/,
  },
];

describe('hostile files into every CLI reader', () => {
  it.each(READERS)(
    '$reader: refused at its place, within the memory bound, value never shown',
    async ({ args, code, says }) => {
      const ended = await run(args);
      expect(ended.signal, ended.output).toBeNull();
      expect(ended.code, ended.output).toBe(code);
      expect(ended.output).toMatch(says);
      expect(ended.output).not.toContain(LEAK);
      expect(ended.peakRss).toBeGreaterThan(0);
      expect(ended.peakRss).toBeLessThan(MAX_RSS_BYTES);
    },
    WATCHDOG_MS + 10_000,
  );

  it(
    'the memory probe itself reports a reader that holds a large value',
    async () => {
      // the tripwire: a process that reads the 64 MiB file whole and keeps six copies of it
      // besides (448 MiB in all, plain byte copies: cheap to make) crosses the bound; with `-e`
      // Node runs the script and leaves the CLI's path to it as an unused argument
      const ended = await run(
        [],
        [
          '-e',
          "const t = require('node:fs').readFileSync('cell.csv'); globalThis.keep = Array.from({ length: 6 }, () => Buffer.from(t));",
        ],
      );
      expect(ended.peakRss).toBeGreaterThan(MAX_RSS_BYTES);
    },
    WATCHDOG_MS,
  );
});
