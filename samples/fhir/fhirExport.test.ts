/**
 * The demo clinic's FHIR bulk export (samples/fhir/*.ndjson): byte-identical to its generator,
 * and the validator finds exactly the planted defects — each at its rule and location, no more —
 * through the core (one run over the five files, references resolved across them) and the CLI.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.ts';
import { main } from '../../src/cli/main.ts';
import { createFhirRun, createFhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import { loadReport } from '../../src/formats/report.ts';
import { demoExport, EXPORT_DEFECTS, EXPORT_RESOURCES } from '../tools/fhirClinic.ts';

const DIR = dirname(fileURLToPath(import.meta.url));
const FILES = [...demoExport().keys()];

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

describe('the demo FHIR export', () => {
  it('is what the generator writes (npx tsx samples/tools/fhirClinic.ts)', () => {
    for (const [name, text] of demoExport())
      expect(readFileSync(join(DIR, name), 'utf8') === text, name).toBe(true);
  });

  it('has exactly the planted defects, found at their rule and location', async () => {
    const run = createFhirRun(await createFhirSession(generatedModules));
    for (const name of FILES) await run.addNdjson(name, once(readFileSync(join(DIR, name), 'utf8')));
    const report = run.report({
      startedAt: '2026-01-01T00:00:00Z',
      generatedAt: '2026-01-01T00:00:01Z',
      totalMs: 1,
      version: 'test',
    });
    expect(loadReport(report)).toMatchObject({ ok: true });
    const found = report.issues.map((i) => `${i.rule} @ ${i.location} ×${i.count}`).sort();
    const planted = EXPORT_DEFECTS.map((d) => `${d.rule} @ ${d.location} ×${d.count}`).sort();
    expect(found).toEqual(planted);
    const warnings = EXPORT_DEFECTS.filter((d) => d.rule === 'fhir-reference-not-in-export').reduce(
      (n, d) => n + d.count,
      0,
    );
    const errors = EXPORT_DEFECTS.reduce((n, d) => n + d.count, 0) - warnings;
    expect(report.summary).toEqual({
      records: EXPORT_RESOURCES,
      valid: EXPORT_RESOURCES - errors,
      invalid: errors,
      errors,
      warnings,
    });
  });

  it('fails the CLI with exit 1 and no value on the terminal', async () => {
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: DIR };
    expect(await main(['fhir', 'validate', ...FILES], io)).toBe(1);
    expect(out.join('\n')).toContain(`${EXPORT_RESOURCES} resources in 5 files`);
    expect(out.join('\n')).not.toContain('pat-9999');
  });
});
