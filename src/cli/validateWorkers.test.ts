/**
 * The CLI's pooled file workers (validateWorkers.ts): several files validated at once, each in one
 * pass by one thread, give the one-thread result; workers start once and are reused; a worker's
 * error comes back positioned; a worker that dies fails its file and is replaced; the run's cancel
 * reaches a worker's pass; a CLI run with workers ends once its work is done.
 */
import { execFile } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileColumnContract, compilePlan } from '../core/contract/index.ts';
import {
  buildReport,
  type CsvSource,
  detectLayout,
  type InputJob,
  validateInputs,
} from '../core/validation/index.ts';
import { createRunKeySpill } from './keySpillFiles.ts';
import {
  closeValidateWorkers,
  createFileRunner,
  registerContract,
  ValidateWorkerError,
  validateWorkerStats,
} from './validateWorkers.ts';

const CONTRACT = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string', pattern: '^\\d+$' }, name: { maxLength: 4 }, born: { format: 'date' } },
};

/** ≈ 150 KB of rows, a few of them invalid, quoted line breaks. */
function rows(seed: number): string {
  const lines = ['id,name,born'];
  for (let i = 1; i <= 6000; i++) {
    const id = i % 997 === seed ? `x${i}` : String(i % 4000);
    const name = i % 13 === 0 ? '"Ann\r\nMarie"' : i % 501 === 0 ? 'Maximilian' : 'Zoë';
    lines.push(`${id},${name},${i % 3 === 0 ? '1990-02-30' : '2001-12-24'}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

let dir: string;
const handles: Awaited<ReturnType<typeof open>>[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-file-workers-'));
});
afterAll(async () => {
  await closeValidateWorkers();
  for (const h of handles) await h.close();
  await rm(dir, { recursive: true, force: true });
});

async function source(name: string, bytes: Uint8Array | string): Promise<CsvSource> {
  await writeFile(path.join(dir, name), bytes);
  const handle = await open(path.join(dir, name), 'r');
  handles.push(handle);
  return {
    name,
    size: (await handle.stat()).size,
    read: async (offset, length) => {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
}

async function jobs(sources: CsvSource[]): Promise<InputJob[]> {
  const compiled = compileColumnContract(CONTRACT);
  if (!compiled.ok) throw new Error('the test contract does not compile');
  registerContract(compiled.validate, CONTRACT);
  return Promise.all(
    sources.map(async (s) => {
      const { detected: _, ...layout } = await detectLayout(s);
      return {
        source: s,
        layout,
        plan: compilePlan(CONTRACT),
        fullValidator: compiled.validate,
        keys: [{ column: 'id', demographics: ['name'] }],
      };
    }),
  );
}

const AT = '2026-01-01T00:00:00Z';
/**
 * A report without what may differ by design: the top values of a column with more distinct values
 * than are tracked depend on the order values are met in (columnProfile.ts).
 */
function comparable(results: Parameters<typeof buildReport>[0]) {
  const report = buildReport(results, META);
  return { ...report, profiles: report.profiles.map(({ top, ...p }) => (p.approximate ? p : { ...p, top })) };
}

const META = { generatedAt: AT, startedAt: AT, totalMs: 0, toolVersion: 'test' };

describe('pooled file workers', () => {
  it('validate several files at once with the one-thread result, reusing their workers', async () => {
    const inputs = await Promise.all([1, 2, 3, 4].map((n) => source(`w${n}.csv`, rows(n * 100))));
    const one = await validateInputs(await jobs(inputs), []);
    const before = validateWorkerStats();
    const runner = createFileRunner(dir);
    const two = await validateInputs(await jobs(inputs), [], { run: runner, parallel: 2 });
    const again = await validateInputs(await jobs(inputs), [], { run: runner, parallel: 2 });
    const after = validateWorkerStats();
    expect(comparable(two)).toEqual(comparable(one));
    expect(comparable(again)).toEqual(comparable(one));
    expect(comparable(one).crossFile.duplicateKeys.length).toBeGreaterThan(0);
    // one file at a time on this thread, the others in one worker, started once
    expect(after.started - before.started).toBeLessThanOrEqual(1);
    expect(after.files - before.files).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('look references up in a file validated before, and spill key sets above the threshold', async () => {
    const parents = await source('parents.csv', rows(3));
    const children = await source(
      'children.csv',
      `id,parent\n${Array.from({ length: 5000 }, (_, i) => `${i},${i % 4500}`).join('\n')}\n`,
    );
    const [parentJob] = await jobs([parents]);
    const { detected: _, ...layout } = await detectLayout(children);
    const childJob: InputJob = { source: children, layout, keys: [{ column: 'id' }] };
    const links = [{ input: 'children.csv', column: 'parent', target: 'parents.csv', targetColumn: 'id' }];
    const one = await validateInputs([parentJob as InputJob, childJob], links);
    // every key block to a file (no memory bound): the worker's pass writes its key files
    const spill = createRunKeySpill(0);
    try {
      // a third file holds this thread (its first read waits until the children start), so the
      // children go to a worker once the parents are done
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const opened = await source('busy.csv', rows(7));
      const busy: CsvSource = {
        ...opened,
        read: async (offset, length) => {
          await held;
          return opened.read(offset, length);
        },
      };
      const [openedJob] = await jobs([opened]);
      const busyJob = { ...(openedJob as InputJob), source: busy };
      const runner = createFileRunner(dir);
      const filesBefore = validateWorkerStats().files;
      const results = await validateInputs([busyJob, parentJob as InputJob, childJob], links, {
        run: (input, options) => {
          const result = runner(input, options);
          if (input.name === 'children.csv') release();
          return result;
        },
        parallel: 2,
        keySpill: spill,
        keySpillMinBytes: 0,
      });
      // the parents and the children in the worker
      expect(validateWorkerStats().files - filesBefore).toBe(2);
      expect(comparable(results.slice(1))).toEqual(comparable(one));
      expect(comparable(one).crossFile.orphanReferences.length).toBeGreaterThan(0);
      // every key file read back and deleted by the pass that wrote it
      expect(await readdir(spill.folder)).toEqual([]);
    } finally {
      spill.remove();
    }
  }, 60_000);

  it("give a worker's bad byte with its offset, and validate the next files", async () => {
    const good = await source('good.csv', rows(1));
    const bytes = new TextEncoder().encode(rows(2));
    bytes[100_000] = 0xff;
    const bad = await source('bad.csv', bytes);
    const runner = createFileRunner(dir);
    // the worker's undecodable file is one problem at its byte; the other file is validated
    const refused = await validateInputs(await jobs([good, bad]), [], { run: runner, parallel: 2 });
    expect(refused.map((r) => r.input)).toEqual(['good.csv', 'bad.csv']);
    expect(refused[0]?.records).toBe(6000);
    expect(refused[1]?.refused).toMatchObject({ byteOffset: 100_000, binary: false });
    expect(refused[1]?.issues.map((issue) => issue.rule)).toEqual(['csv.not-in-encoding']);
    const [first, second] = await Promise.all([source('good1.csv', rows(4)), source('good2.csv', rows(5))]);
    const results = await validateInputs(await jobs([first, second] as CsvSource[]), [], {
      run: runner,
      parallel: 2,
    });
    expect(results.map((r) => r.records)).toEqual([6000, 6000]);
  }, 60_000);

  it("check a worker's file when this thread's file cannot be decoded, and keep the worker for the next run", async () => {
    // this thread's file fails at its first bytes; the worker's file goes on (it is still being
    // posted to the worker then: 6,000 rows are thousands of times the thread's one read)
    const broken = await source('broken.csv', new Uint8Array([0x69, 0x64, 0x0a, 0xff, 0x0a]));
    const long = await source('long.csv', rows(6));
    const runner = createFileRunner(dir);
    const started = validateWorkerStats().started;
    const [brokenJob, longJob] = await jobs([broken, long]);
    const refused = await validateInputs(
      [
        { ...(brokenJob as InputJob), layout: { ...(brokenJob as InputJob).layout, encoding: 'utf-8' } },
        longJob as InputJob,
      ],
      [],
      { run: runner, parallel: 2 },
    );
    // the undecodable file is one problem at its first bad byte; the worker's file is still checked
    expect(refused[0]?.refused).toMatchObject({ byteOffset: 3, line: 2 });
    expect(refused[1]?.records).toBeGreaterThan(0);
    const results = await validateInputs(
      await jobs([await source('next1.csv', rows(8)), await source('next2.csv', rows(9))]),
      [],
      {
        run: runner,
        parallel: 2,
      },
    );
    expect(results.map((r) => r.records)).toEqual([6000, 6000]);
    expect(validateWorkerStats().started - started).toBeLessThanOrEqual(1);
  }, 60_000);

  it('cancel a file whose run was cancelled before it reached a worker, and leave no listener behind', async () => {
    // its size is not what is tested: a cancelled run reads none of it, the holding run all of it
    const long = await source('late.csv', rows(6));
    const [longJob] = await jobs([long]);
    const { source: _, ...options } = longJob as InputJob;
    const runner = createFileRunner(dir);
    // a file that holds this thread until the end of the test, so the next ones go to a worker
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const read: CsvSource['read'] = async (offset, length) => {
      await held;
      return long.read(offset, length);
    };
    const holding = runner({ ...long, read }, options);
    try {
      const live = new AbortController();
      const finished = await runner(await source('small.csv', rows(2)), { ...options, signal: live.signal });
      expect(finished.records).toBe(6000);
      expect(getEventListeners(live.signal, 'abort')).toEqual([]);
      const outcome = await runner(long, { ...options, signal: AbortSignal.abort() }).then(
        (result) => `read ${result.records} records`,
        (error: unknown) => (error as Error).name,
      );
      expect(outcome).not.toMatch(/^read/);
    } finally {
      release();
      await holding;
    }
  }, 60_000);

  it('fail the file of a worker that stops, and start a fresh worker for the next file', async () => {
    const [first, second] = await Promise.all([source('stop1.csv', rows(3)), source('stop2.csv', rows(4))]);
    const runner = createFileRunner(dir);
    const error = await validateInputs(await jobs([first, second] as CsvSource[]), [], {
      parallel: 2,
      // the second file's task is posted as its run starts: the worker is stopped with it
      run: (input, options) => {
        const result = runner(input, options);
        if (input.name === 'stop2.csv') void closeValidateWorkers();
        return result;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidateWorkerError);
    expect((error as Error).message).toMatch(/a validation worker stopped/);
    const started = validateWorkerStats().started;
    const results = await validateInputs(await jobs([first, second] as CsvSource[]), [], {
      run: runner,
      parallel: 2,
    });
    expect(results.map((r) => r.records)).toEqual([6000, 6000]);
    expect(validateWorkerStats().started - started).toBe(1);
  }, 60_000);

  it('let the CLI process end once its work is done (idle pooled workers keep nothing alive)', async () => {
    await writeFile(path.join(dir, 'cli-a.csv'), rows(5));
    await writeFile(path.join(dir, 'cli-b.csv'), rows(9));
    const cli = path.resolve(import.meta.dirname, 'preflight.mjs');
    // a hang is the failure: the child would be killed by the timeout (a generous one: a loaded machine)
    const exit = await new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [cli, 'validate', 'cli-a.csv', 'cli-b.csv', '--key', 'id', '--workers', '2'],
        { cwd: dir, timeout: 50_000 },
      );
      let out = '';
      child.stdout?.on('data', (chunk: string) => {
        out += chunk;
      });
      child.on('close', (code, signal) => resolve({ code, signal, out }));
    });
    // duplicate keys: exit 1
    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(exit.out).toContain('12000 records');
  }, 60_000);
});
