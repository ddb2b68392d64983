/**
 * "fhir-profiles-export": a bulk-export-like NDJSON file (one resource per line, as Synthea's
 * `$export` writes it) of the 38 single-resource examples of the IPS 2.0.0 package (its Bundles and the Composition
 * that only makes sense inside one left out), each claiming
 * its IPS profile in `meta.profile`, repeated to {@link RESOURCES} lines, validated by the real
 * CLI in a child process — `preflight validate --fhir` (the baseline) and the same with
 * `--ig hl7.fhir.uv.ips-2.0.0.tgz` — alternately in each round, so a slow minute of this shared
 * machine falls on both alike. Reports medians of wall time (Node's start, loading the package
 * and compiling profiles included) and CPU time, and the ratio. Each variant also runs on one
 * copy of the 38 (the fixed cost: starting, loading, compiling); resources per CPU second are
 * given overall and at the margin (the lines beyond the 38 over the CPU time beyond that run's).
 *
 * `BENCH_ROUNDS` (default 3) sets the rounds, `BENCH_RESOURCES` the lines.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPS_TGZ, ipsExamples } from '../fixtures/ipsPackage.ts';
import type { BenchEntry, BenchResult } from './bench.ts';

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 20_000);
const CLI_CHILD = fileURLToPath(new URL('./validateCliChild.mjs', import.meta.url));

/** What one CLI child used. */
export interface ChildRun {
  wallMs: number;
  cpuMs: number;
}

/**
 * Runs `preflight <args>` in a child (validateCliChild.mjs): its wall time and the CPU time of the
 * whole process. Rejects on an exit code not in `codes` (the IPS examples hold no error: exit 0).
 */
export function cliChild(args: string[], cwd: string, codes: readonly number[] = [0]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI_CHILD, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      err += text;
    });
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = performance.now() - t0;
      const line = err.split('\n').find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`the CLI child did not report: ${err.slice(-500)}`));
      const r = JSON.parse(line.slice('BENCH '.length)) as { code: number; cpuMs: number };
      if (!codes.includes(r.code))
        return reject(new Error(`the CLI child exited ${r.code}: ${err.slice(-500)}`));
      resolve({ wallMs, cpuMs: r.cpuMs });
    });
  });
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export const fhirProfilesExportBench: BenchEntry = {
  id: 'fhir-profiles-export',
  title: `Bulk-export NDJSON of IPS-profiled resources through the CLI, with and without --ig (${RESOURCES.toLocaleString('en-US')} lines)`,
  async run(): Promise<BenchResult> {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error('BENCH_ROUNDS must be a whole number of 1 or more');
    const singles = (await ipsExamples())
      .map((e) => e.resource)
      .filter((r) => r.resourceType !== 'Bundle' && r.resourceType !== 'Composition');
    const lines = Array.from({ length: RESOURCES }, (_, i) => JSON.stringify(singles[i % singles.length]));
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-ips-'));
    try {
      const file = path.join(dir, 'export.ndjson');
      await writeFile(file, `${lines.join('\n')}\n`);
      const once = path.join(dir, 'once.ndjson');
      await writeFile(once, `${lines.slice(0, singles.length).join('\n')}\n`);
      const variants = [
        { name: 'base R4 layers only (baseline)', args: ['validate', '--fhir'] },
        { name: 'base R4 layers + IPS profiles (--ig)', args: ['validate', '--fhir', '--ig', IPS_TGZ] },
      ];
      const runs = variants.map((): ChildRun[] => []);
      const fixed = variants.map((): ChildRun[] => []);
      for (let round = 0; round < rounds; round++)
        for (const [i, v] of variants.entries()) {
          runs[i]?.push(await cliChild([...v.args, file], dir));
          fixed[i]?.push(await cliChild([...v.args, once], dir));
        }
      const cpuOf = (list: ChildRun[] | undefined) => medianOf((list ?? []).map((r) => r.cpuMs));
      const marginal = variants.map(
        (_, i) => (RESOURCES - singles.length) / ((cpuOf(runs[i]) - cpuOf(fixed[i])) / 1000),
      );
      const rows = variants.map((v, i) => {
        const cpu = cpuOf(runs[i]);
        return {
          variant: v.name,
          medianWallMs: Math.round(medianOf((runs[i] as ChildRun[]).map((r) => r.wallMs))),
          medianCpuMs: Math.round(cpu),
          fixedCpuMs: Math.round(cpuOf(fixed[i])),
          resourcesPerCpuSecond: Math.round(RESOURCES / (cpu / 1000)),
          marginalPerCpuSecond: Math.round(marginal[i] as number),
          cpuVsBaseline: Math.round((cpu / cpuOf(runs[0])) * 10) / 10,
          marginalVsBaseline: Math.round(((marginal[0] as number) / (marginal[i] as number)) * 10) / 10,
        };
      });
      return {
        params: { resources: RESOURCES, distinctResources: singles.length, rounds },
        columns: [
          'variant',
          'medianWallMs',
          'medianCpuMs',
          'fixedCpuMs',
          'resourcesPerCpuSecond',
          'marginalPerCpuSecond',
          'cpuVsBaseline',
          'marginalVsBaseline',
        ],
        rows,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
