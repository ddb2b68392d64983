/**
 * "gzipped event-log memory": peak resident memory (VmHWM) and wall time of `preflight workflow
 * discover <log.csv.gz>` as a user runs it (the CLI from the sources, one child per run), on the
 * seeded generated log (eventLogFixtures.ts) of `BENCH_EVENTS` events (default 2,000,000: about
 * 197 MB of text, 16 MB gzipped), against the same log uncompressed, and with V8's own young
 * generation (most of a run's peak above its code was V8's nursery: the readers' short-lived cells).
 *
 * What a run holds besides the log: the CLI's own code (about 115 MB with a 2,000-event log).
 * Discovery keeps each step's waits split by cause, so the waiting-time analysis is in the figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchEntry, BenchResult } from './bench.ts';
import { benchLogCsv } from './eventLogFixtures.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(HERE, '../../src/cli/preflight.mjs');
const PEAK = path.join(HERE, 'peakRss.mjs');
const DEFAULT_EVENTS = 2_000_000;
const MB = 1e6;

/**
 * V8's own young generation (0: sized by V8): `workflow` commands run with 8 MB (src/cli/preflight.mjs),
 * unless a nursery is given, so this row shows what that saves.
 */
const DEFAULT_NURSERY = '--max-semi-space-size=0';

/** One `workflow discover` run of `file` in a child (with `nodeOptions`): its peak RSS and wall time. */
function discoverRun(file: string, nodeOptions?: string): { peakMB: number; wallS: number } {
  const began = performance.now();
  const args = ['--import', PEAK, CLI, 'workflow', 'discover', file];
  const env = nodeOptions === undefined ? process.env : { ...process.env, NODE_OPTIONS: nodeOptions };
  const child = spawnSync(process.execPath, args, {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 16 << 20,
  });
  const wallS = (performance.now() - began) / 1000;
  const peak = /PEAK_RSS_BYTES (\d+)/.exec(child.stderr);
  if (child.status !== 0 || !peak) throw new Error(`workflow discover failed: ${child.stderr.slice(-2000)}`);
  return { peakMB: Math.round(Number(peak[1]) / MB), wallS: Math.round(wallS * 10) / 10 };
}

/** The benchmark entry. */
export const eventLogGzipMemoryBench: BenchEntry = {
  id: 'eventlog-gzip-memory',
  title: 'gzipped event-log memory: peak RSS and wall of `workflow discover` on a .csv.gz log',
  async run(): Promise<BenchResult> {
    const events = Number(process.env.BENCH_EVENTS ?? DEFAULT_EVENTS);
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-gzip-memory-'));
    try {
      const csv = Buffer.from(benchLogCsv(events));
      const plain = path.join(dir, 'log.csv');
      const gzipped = path.join(dir, 'log.csv.gz');
      await writeFile(plain, csv);
      await writeFile(gzipped, gzipSync(csv, { level: 1 }));
      const rows = [
        { input: `log.csv.gz (${Math.round(csv.byteLength / MB)} MB of text)`, ...discoverRun(gzipped) },
        { input: 'the same log, uncompressed', ...discoverRun(plain) },
        {
          input: `log.csv.gz, V8's own nursery (${DEFAULT_NURSERY})`,
          ...discoverRun(gzipped, DEFAULT_NURSERY),
        },
      ];
      return {
        params: { events, textMB: Math.round(csv.byteLength / MB) },
        columns: ['input', 'peakMB', 'wallS'],
        rows,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
