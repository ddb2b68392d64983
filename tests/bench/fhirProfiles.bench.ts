/**
 * "fhir-profiles": the 44 examples of the IPS 2.0.0 package, repeated to {@link RESOURCES}
 * top-level resources (the five IPS Bundles carry most of the entries), validated with the IPS
 * package loaded (each resource against its meta.profile, Bundle entries against the Bundle
 * profile's slices) against the same session without packages, in the same run; and the time to
 * read the package and compile its profiles (snapshot generation included when forced).
 */
import { readFileSync } from 'node:fs';
import { createFhirSession, type FhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import {
  createProfileRegistry,
  generateSnapshot,
  readIgPackage,
  type StructureDefinition,
  validatorProfiles,
} from '../../src/core/fhirProfiles/index.ts';
import { IPS_TGZ, ipsExamples, r4BaseDefinitions } from '../fixtures/ipsPackage.ts';
import { type BenchEntry, type BenchResult, measure } from './bench.ts';

const RESOURCES = 2_000;

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function validateAll(session: FhirSession, resources: readonly unknown[]): Promise<number> {
  let errors = 0;
  for (const resource of resources) {
    const result = session.tryValidate(resource) ?? (await session.validate(resource));
    for (const issue of result.issues) if (issue.severity === 'error') errors++;
  }
  return errors;
}

export const fhirProfilesBench: BenchEntry = {
  id: 'fhir-profiles',
  title: `IPS 2.0.0 examples with and without the IPS package loaded (${RESOURCES.toLocaleString('en-US')} resources, one thread)`,
  async run(): Promise<BenchResult> {
    const bytes = new Uint8Array(readFileSync(IPS_TGZ));
    const examples = (await ipsExamples()).map((e) => e.resource);
    const resources = Array.from({ length: RESOURCES }, (_, i) => examples[i % examples.length]);
    const rows: Record<string, string | number>[] = [];

    const load = await measure(async () => createProfileRegistry([await readIgPackage(bytes)]));
    rows.push({
      variant: 'read the package (gunzip, tar, index)',
      bestMs: round(load.bestMs),
      medianMs: round(load.medianMs),
    });
    const pkg = await readIgPackage(bytes);
    const registry = createProfileRegistry([pkg]);
    const base = r4BaseDefinitions();
    for (const sd of pkg.structureDefinitions) base.set(sd.url, sd);
    const derived = pkg.structureDefinitions.filter((sd) => sd.derivation === 'constraint');
    const generate = await measure(async () => {
      for (const sd of derived) {
        const { snapshot: _s, ...rest } = sd;
        generateSnapshot(rest as StructureDefinition, (url) => base.get(url.split('|')[0] as string));
      }
    });
    rows.push({
      variant: `generate ${derived.length} snapshots from differentials`,
      bestMs: round(generate.bestMs),
      medianMs: round(generate.medianMs),
    });

    const plain = await createFhirSession(generatedModules);
    const profiled = await createFhirSession(generatedModules, { profiles: validatorProfiles(registry) });
    const firstStart = performance.now();
    await profiled.validate(examples[0]);
    rows.push({
      variant: 'first validation after loading',
      bestMs: round(performance.now() - firstStart),
      medianMs: '',
    });
    let baselineMs = Number.NaN;
    for (const [name, session] of [
      ['base R4 layers only (baseline)', plain],
      ['base R4 layers + IPS profiles', profiled],
    ] as const) {
      let errors = 0;
      const timing = await measure(async () => {
        errors = await validateAll(session, resources);
      });
      if (errors !== 0) throw new Error(`${name}: expected no error on the IPS examples, found ${errors}`);
      if (Number.isNaN(baselineMs)) baselineMs = timing.bestMs;
      rows.push({
        variant: name,
        bestMs: Math.round(timing.bestMs),
        medianMs: Math.round(timing.medianMs),
        resourcesPerSecond: Math.round(RESOURCES / (timing.bestMs / 1000)),
        timeVsBaseline: round(timing.bestMs / baselineMs),
      });
    }
    return {
      params: { resources: RESOURCES, examples: examples.length, packageBytes: bytes.length },
      columns: ['variant', 'bestMs', 'medianMs', 'resourcesPerSecond', 'timeVsBaseline'],
      rows,
    };
  },
};
