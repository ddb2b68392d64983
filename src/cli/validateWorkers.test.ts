/**
 * The CLI's pooled range workers (issue 8): workers start once and serve every range of every
 * input, results equal one pass on the main thread, and a worker's error (bytes not valid in the
 * encoding) comes back positioned without spoiling the pool for the next input.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReport } from '../core/migration/buildReport.ts';
import { compileColumnContract } from '../core/migration/columnContract.ts';
import { compilePlan } from '../core/migration/plan/compilePlan.ts';
import type { RowCheckFactory } from '../core/migration/rowCheck.ts';
import { splitRanges } from '../core/migration/splitMerge.ts';
import { csvText, DEMOGRAPHICS, readAgainRows } from '../core/migration/testing/keyMergeCases.ts';
import { TextDecodeError } from '../core/migration/textDecoding.ts';
import type { CsvSource, KeySpec } from '../core/migration/validateCsv.ts';
import { detectLayout, type InputJob, validateInputs } from '../core/migration/validateInputs.ts';
import type { Mapping } from '../formats/mapping.ts';
import { createRunKeySpill } from './keySpillFiles.ts';
import { RANGE_PROGRESS_BYTES } from './validateProgress.ts';
import {
  closeRangeWorkers,
  createWorkerRunner,
  rangeWorkerStats,
  registerContract,
  registerRowCheck,
  startRangeWorkers,
} from './validateWorkers.ts';

const CONTRACT = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string', pattern: '^\\d+$' }, name: { maxLength: 4 }, born: { format: 'date' } },
};

/** ≈ 150 KB of rows (above the CLI's split threshold), a few of them invalid, quoted line breaks. */
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
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-range-workers-'));
});
afterAll(async () => {
  await closeRangeWorkers();
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

/**
 * A job that checks `input` against a contract every row meets (`{ type: 'object' }`), keyed by
 * `key`: for tests of the split itself. Called again for each run (a run takes its job's key sets).
 */
async function anyRowJob(input: CsvSource, key: KeySpec): Promise<() => InputJob> {
  const { detected: _, ...layout } = await detectLayout(input);
  const anyRow = compileColumnContract({ type: 'object' });
  if (!anyRow.ok) throw new Error('the test contract does not compile');
  return () => ({
    source: input,
    layout,
    plan: compilePlan({ type: 'object' }),
    fullValidator: anyRow.validate,
    keys: [key],
  });
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

/**
 * The ranges `--workers threads` validates over these inputs: one per thread, each validated once
 * (the files are well formed: every guess holds).
 */
async function rangeCount(inputs: CsvSource[], threads: number): Promise<number> {
  let count = 0;
  for (const input of inputs) {
    const { detected: _, ...layout } = await detectLayout(input);
    count += (await splitRanges(input.read, input.size, threads, layout)).length;
  }
  return count;
}

describe('pooled range workers', () => {
  it('start as the runner is made for a run with a mapping to a target schema, not with its first range', async () => {
    await closeRangeWorkers();
    // a run with mappings does not call startRangeWorkers: the runner starts its workers itself
    const mapped: RowCheckFactory = () => {
      throw new Error('not run in this test');
    };
    registerRowCheck(mapped, {
      mapping: {
        format: 'preflight.mapping/v1',
        source: 'a.csv',
        target: 'urn:test',
        fields: [],
      } as unknown as Mapping,
      targetSchema: { name: 'test', schema: { type: 'object' } },
    });
    createWorkerRunner(2, dir, [undefined, mapped]);
    await vi.waitFor(() => expect(rangeWorkerStats().started).toBe(1), { timeout: 20_000, interval: 20 });
    expect(rangeWorkerStats().tasks).toBe(0);
    await closeRangeWorkers();
  }, 30_000);

  it('start once, serve every range of every input, and give the one-thread result', async () => {
    await closeRangeWorkers();
    const inputs = [await source('a.csv', rows(5)), await source('b.csv', rows(9))];
    const one = await validateInputs(await jobs(inputs), []);
    // 2 ranges per input: the first on this thread, the second in the one worker
    const twoRanges = await rangeCount(inputs, 2);
    expect(twoRanges).toBe(4);
    const two = await validateInputs(await jobs(inputs), [], { run: createWorkerRunner(2, dir) });
    expect(rangeWorkerStats()).toEqual({ started: 1, tasks: twoRanges, here: 2, checks: 0 });
    // a second run of the same process reuses that worker (and starts one more for 3 threads)
    const threeRanges = await rangeCount(inputs, 3);
    const three = await validateInputs(await jobs(inputs), [], { run: createWorkerRunner(3, dir) });
    expect(rangeWorkerStats()).toEqual({ started: 2, tasks: twoRanges + threeRanges, here: 4, checks: 0 });
    const again = await validateInputs(await jobs(inputs), [], { run: createWorkerRunner(2, dir) });
    expect(rangeWorkerStats()).toEqual({
      started: 2,
      tasks: 2 * twoRanges + threeRanges,
      here: 6,
      checks: 0,
    });
    const report = comparable(one);
    expect(report.summary.invalid).toBeGreaterThan(0);
    expect(report.crossFile.duplicateKeys.length).toBeGreaterThan(0);
    expect(report.profiles.some((p) => p.approximate)).toBe(true);
    expect(comparable(two)).toEqual(report);
    expect(comparable(three)).toEqual(report);
    expect(comparable(again)).toEqual(report);
  }, 60_000);

  // the file has 133,559 bytes: its 2 ranges meet just after byte 66,779, and the layout sniff
  // reads the first 65,536 (a bad byte there makes the input Windows-1252, not an error)
  it.each([
    { where: "a worker's range", offset: 120_003 },
    { where: 'the range of this thread', offset: 66_001 },
  ])(
    'report a bad byte in $where at its exact offset, and keep serving',
    async ({ offset }) => {
      const bytes = new TextEncoder().encode(rows(5));
      bytes[offset] = 0xff;
      const bad = await source(`bad-${offset}.csv`, bytes);
      const run = createWorkerRunner(2, dir);
      const error = await validateInputs(await jobs([bad]), [], { run }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TextDecodeError);
      expect((error as TextDecodeError).byteOffset).toBe(offset);
      const good = await validateInputs(await jobs([await source('c.csv', rows(7))]), [], { run });
      expect(good[0]?.records).toBe(6000);
      expect(rangeWorkerStats().started).toBe(2);
    },
    60_000,
  );

  it('compile the contract ahead, share the spilled key check with an idle worker, and give the one-pass result', async () => {
    await closeRangeWorkers();
    const inputs = [await source('spilled-a.csv', rows(5)), await source('spilled-b.csv', rows(9))];
    const one = await validateInputs(await jobs(inputs), []);
    const spill = createRunKeySpill();
    try {
      // as the CLI does: the workers start first, and compile the contract once it is registered
      startRangeWorkers(2);
      const two = await validateInputs(await jobs(inputs), [], {
        run: createWorkerRunner(2, dir),
        keySpill: spill,
      });
      const stats = rangeWorkerStats();
      expect(stats.tasks).toBe(await rangeCount(inputs, 2));
      // each input's 256 partitions come in 16 pieces: the worker, idle once the ranges are done, takes some
      expect(stats.checks).toBeGreaterThan(0);
      expect(comparable(two)).toEqual(comparable(one));
      expect(comparable(one).crossFile.duplicateKeys.length).toBeGreaterThan(0);
    } finally {
      spill.remove();
    }
  }, 60_000);

  // PREFLIGHT_TEST_WORKER_EXIT (rangeWorker.ts, tests only): each worker exits as it claims its
  // first piece of the shared key check, as one out of memory would, leaving the piece marked as
  // taken. The piece is redone here and the run goes on; the pool must start a new worker at once,
  // or the second input's range waits forever.
  it('replace a worker that dies during the shared key check, and validate the next input', async () => {
    await closeRangeWorkers();
    const inputs = [await source('dies-a.csv', rows(5)), await source('dies-b.csv', rows(9))];
    const one = await validateInputs(await jobs(inputs), []);
    const spill = createRunKeySpill();
    process.env.PREFLIGHT_TEST_WORKER_EXIT = 'check';
    try {
      const two = await validateInputs(await jobs(inputs), [], {
        run: createWorkerRunner(2, dir),
        keySpill: spill,
      });
      const stats = rangeWorkerStats();
      expect(stats.tasks).toBe(await rangeCount(inputs, 2));
      // one check per input was shared and its worker died (holding a piece, unless this thread
      // had taken them all): a new worker ran the second input's range, and the results are still
      // the one-pass ones
      expect(stats.checks).toBe(2);
      expect(stats.started).toBe(3);
      expect(comparable(two)).toEqual(comparable(one));
      expect(comparable(one).crossFile.duplicateKeys.length).toBeGreaterThan(0);
    } finally {
      delete process.env.PREFLIGHT_TEST_WORKER_EXIT;
      spill.remove();
      await closeRangeWorkers();
    }
  }, 60_000);

  // PREFLIGHT_TEST_WORKER_EXIT=preScan: a worker exits as it is given the pre-scan (the first one
  // whose range is done takes it). A split is confirmed by the ranges' quote counts, with no
  // pre-scan, unless some split point had no guessed boundary: here, of 3 ranges, the first split
  // point falls in a 2.4 MB cell without a line break (a guess looks 1 MiB ahead). This thread's
  // reads are held back until the worker died, so the pre-scan cannot be taken back and run here
  // first: the worker's death is the point.
  it('redo the pre-scan here when the worker given it dies, replace that worker, and give the one-pass result', async () => {
    await closeRangeWorkers();
    const text = rows(5);
    const body = text.slice(text.indexOf('\r\n') + 2);
    const long = `${text}77,"${'x'.repeat(2.4 * 1024 * 1024)}",2001-12-24\r\n${body.repeat(11)}`;
    const inputs = [await source('prescan-a.csv', long), await source('prescan-b.csv', rows(9))];
    const one = await validateInputs(await jobs(inputs), []);
    const [a, b] = inputs as [CsvSource, CsvSource];
    const held: CsvSource = {
      ...a,
      read: async (offset, length) => {
        // this thread has begun its first range: wait until the worker has died and been replaced
        for (
          let waits = 0;
          rangeWorkerStats().here > 0 && rangeWorkerStats().started < 3 && waits < 3000;
          waits++
        )
          await new Promise((resolve) => setTimeout(resolve, 10));
        return a.read(offset, length);
      },
    };
    const spill = createRunKeySpill();
    process.env.PREFLIGHT_TEST_WORKER_EXIT = 'preScan';
    try {
      // spilled as the CLI spills them: the repeated body lists more than 1,000 duplicate keys, which
      // an in-memory merge without wip-listing's fix (readListedRepeats.ts) lists short
      const two = await validateInputs(await jobs([held, b]), [], {
        run: createWorkerRunner(3, dir),
        keySpill: spill,
      });
      // a worker died on the pre-scan, its replacement served the remaining ranges
      expect(rangeWorkerStats().started).toBe(3);
      expect(comparable(two)).toEqual(comparable(one));
      expect(comparable(one).crossFile.duplicateKeys.length).toBeGreaterThan(0);
    } finally {
      delete process.env.PREFLIGHT_TEST_WORKER_EXIT;
      spill.remove();
      await closeRangeWorkers();
    }
  }, 60_000);

  it('let a CLI run whose worker died in the key check write its report and end (the new worker keeps nothing alive)', async () => {
    await writeFile(path.join(dir, 'cli-a.csv'), rows(5));
    await writeFile(path.join(dir, 'cli-b.csv'), rows(9));
    const cli = path.resolve(import.meta.dirname, 'preflight.mjs');
    const run = (workers: string, env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number | null; signal: string | null; report: unknown }>((resolve) => {
        const args = [
          cli,
          'validate',
          'cli-a.csv',
          'cli-b.csv',
          '--key',
          'id',
          '--workers',
          workers,
          '--json',
        ];
        // a hang is the failure: the child would be killed by the timeout (a generous one: a loaded machine)
        const child = execFile(process.execPath, args, {
          cwd: dir,
          timeout: 50_000,
          env,
          maxBuffer: 1 << 26,
        });
        let out = '';
        child.stdout?.on('data', (chunk: string) => {
          out += chunk;
        });
        // 'close', not 'exit': stdout is read to its end
        child.on('close', (code, signal) => {
          // the findings only: times differ, and so may top values (met in another order)
          const report = out ? (JSON.parse(out) as { summary: unknown; crossFile: unknown }) : undefined;
          resolve({
            code,
            signal,
            report: report && { summary: report.summary, crossFile: report.crossFile },
          });
        });
      });
    const one = await run('1', process.env);
    const died = await run('2', { ...process.env, PREFLIGHT_TEST_WORKER_EXIT: 'check' });
    // findings (duplicate keys): exit code 1, and the same findings as one thread's
    expect(one.code).toBe(1);
    expect(JSON.stringify(one.report)).toContain('duplicateKeys":[{');
    expect(died).toEqual(one);
  }, 120_000);

  it('let the CLI process end once its work is done (idle pooled workers keep nothing alive)', async () => {
    await writeFile(path.join(dir, 'tiny.csv'), 'id,name\n1,Ann\n');
    const cli = path.resolve(import.meta.dirname, 'preflight.mjs');
    // a hang is the failure: the child would be killed by the timeout (a generous one: a loaded machine)
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      const child = execFile(process.execPath, [cli, 'validate', 'tiny.csv', '--workers', '2'], {
        cwd: dir,
        timeout: 50_000,
      });
      child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    expect(exit).toEqual({ code: 0, signal: null });
  }, 60_000);
  it('list repeated keys as one pass when the second range repeats over 1,000 keys (that range read again here)', async () => {
    await closeRangeWorkers();
    // split in two inside the U run (kit `readAgainRows`); the key column is one other inputs look
    // into, so not spilled: the in-memory merge reads the second range again
    const bigRows = readAgainRows(100_000, 60_000);
    const input = await source('repeats.csv', csvText(bigRows));
    const job = await anyRowJob(input, { column: 'mrn', demographics: DEMOGRAPHICS });
    const one = comparable(await validateInputs([job()], []));
    const two = comparable(await validateInputs([job()], [], { run: createWorkerRunner(2, dir) }));
    // split: the first range on this thread, the second in the worker
    expect(rangeWorkerStats()).toMatchObject({ started: 1, here: 1 });
    expect(rangeWorkerStats().tasks).toBeGreaterThanOrEqual(1);
    expect(one.crossFile.duplicateTotals?.[0]).toMatchObject({ keys: 2100, conflictingKeys: 25 });
    expect(two.crossFile).toEqual(one.crossFile);
  }, 120_000);
  it('validate a file with a quote kept as text (O"Brien) before quoted line breaks as one pass does', async () => {
    await closeRangeWorkers();
    // the quote turns the split's quote parity: a cut lands inside a later quoted cell, the range
    // before it ends in an unclosed quote, and the input is validated again as one range
    const rows = Array.from({ length: 8000 }, (_, i) =>
      i === 10 ? `K${i},O"Brien,x` : `K${i},"line\nbreak ${i}",${i}`,
    );
    const input = await source('stray-quote.csv', `a,b,c\n${rows.join('\n')}\n`);
    const job = await anyRowJob(input, { column: 'a', demographics: [] });
    const one = comparable(await validateInputs([job()], []));
    expect(one.summary.invalid).toBe(0);
    expect(one.summary.records).toBe(8000);
    const two = comparable(await validateInputs([job()], [], { run: createWorkerRunner(2, dir) }));
    expect(two).toEqual(one);
  }, 120_000);
  it("sum the worker's range progress (a message every 8 MB) with this thread's into the input's, the last byte said once", async () => {
    await closeRangeWorkers();
    // ≈ 18 MiB: the worker's range (the second half) passes 8 MiB once, so it reports at least once
    const lines = ['id,name'];
    for (let i = 0; lines.length < 2_100_000; i++) lines.push(`${i},n${i % 97}`);
    const input = await source('progress.csv', `${lines.join('\n')}\n`);
    const { detected: _, ...layout } = await detectLayout(input);
    const [first] = await splitRanges(input.read, input.size, 2, layout);
    const firstBytes = (first as { end: number; start: number }).end;
    expect(input.size - firstBytes).toBeGreaterThan(RANGE_PROGRESS_BYTES);
    const reports: { bytes: number; rows: number }[] = [];
    const [result] = await validateInputs([{ source: input, layout }], [], {
      run: createWorkerRunner(2, dir),
      onProgress: (_, p) => reports.push(p),
    });
    expect(rangeWorkerStats()).toMatchObject({ started: 1, tasks: 2, here: 1 });
    expect(result?.records).toBe(lines.length - 1);
    expect(reports.at(-1)).toEqual({ bytes: input.size, rows: lines.length - 1 });
    const before = reports.slice(0, -1).map((p) => p.bytes);
    expect(Math.max(...before)).toBeLessThan(input.size);
    // more than this thread's range alone: a report of the worker's was added to it (not
    // necessarily 8 MiB: on a loaded machine its 250 ms rule sends smaller steps, and the last
    // step of its range may go unsent)
    expect(Math.max(...before)).toBeGreaterThan(firstBytes);
    // and every range's last step is counted (the worker's throttle may leave it unsent: its
    // answer counts it): the sum reaches the byte before the end before the merge says the end
    expect(Math.max(...before)).toBe(input.size - 1);
    expect(before).toEqual([...before].sort((a, b) => a - b));
  }, 120_000);
});
