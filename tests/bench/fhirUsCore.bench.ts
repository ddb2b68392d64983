/**
 * "fhir-us-core": the 183 examples of the US Core 6.1.0 package (each claiming its US Core profile
 * in `meta.profile`), repeated to {@link RESOURCES} top-level resources, validated in one process
 * with the package loaded and without it (the baseline, the base R4 layers alone), alternately in
 * each round so a slow minute of this shared machine falls on both. Reports the medians of
 * resources per CPU second (`process.cpuUsage`, user + system) and the ratio to the baseline.
 *
 * `BENCH_ROUNDS` (default 5) sets the rounds, `BENCH_RESOURCES` the resources per round.
 */
import { createFhirSession, type FhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import { createProfileRegistry, validatorProfiles } from '../../src/core/fhirProfiles/index.ts';
import { usCoreExamples, usCorePackage } from '../fixtures/usCorePackage.ts';
import type { BenchEntry, BenchResult } from './bench.ts';

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 5_000);

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

/**
 * Validates every resource; the CPU milliseconds it took. With the package the examples hold no
 * error (without it, US Core's extensions are unknown: errors, which the baseline may have).
 */
async function cpuOfRun(
  session: FhirSession,
  resources: readonly unknown[],
  name: string,
  clean: boolean,
): Promise<number> {
  const start = cpuMs();
  let errors = 0;
  for (const resource of resources) {
    const result = session.tryValidate(resource) ?? (await session.validate(resource));
    for (const issue of result.issues) if (issue.severity === 'error') errors++;
  }
  const spent = cpuMs() - start;
  if (clean && errors !== 0)
    throw new Error(`${name}: expected no error on the US Core examples, found ${errors}`);
  return spent;
}

export const fhirUsCoreBench: BenchEntry = {
  id: 'fhir-us-core',
  title: `US Core 6.1.0 examples with and without the US Core package loaded (${RESOURCES.toLocaleString('en-US')} resources per round, one thread, CPU time)`,
  async run(): Promise<BenchResult> {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error('BENCH_ROUNDS must be a whole number of 1 or more');
    const examples = (await usCoreExamples()).map((e) => e.resource);
    const resources = Array.from({ length: RESOURCES }, (_, i) => examples[i % examples.length]);
    const registry = createProfileRegistry([await usCorePackage()]);
    const variants: [string, FhirSession][] = [
      ['base R4 layers only (baseline)', await createFhirSession(generatedModules)],
      [
        'base R4 layers + US Core profiles',
        await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) }),
      ],
    ];
    // warm-up: FHIRPath loaded, profiles compiled, the JIT settled
    for (const [i, [name, session]] of variants.entries())
      await cpuOfRun(session, examples.concat(examples), name, i > 0);
    const spent = variants.map((): number[] => []);
    for (let round = 0; round < rounds; round++)
      for (const [i, [name, session]] of variants.entries())
        spent[i]?.push(await cpuOfRun(session, resources, name, i > 0));
    const baseline = medianOf(spent[0] as number[]);
    const rows = variants.map(([name], i) => {
      const median = medianOf(spent[i] as number[]);
      return {
        variant: name,
        medianCpuMs: Math.round(median),
        resourcesPerCpuSecond: Math.round(RESOURCES / (median / 1000)),
        cpuVsBaseline: Math.round((median / baseline) * 100) / 100,
      };
    });
    return {
      params: { resources: RESOURCES, examples: examples.length, rounds },
      columns: ['variant', 'medianCpuMs', 'resourcesPerCpuSecond', 'cpuVsBaseline'],
      rows,
    };
  },
};
