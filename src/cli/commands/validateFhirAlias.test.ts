/**
 * `preflight validate --fhir <files…>` is `preflight fhir validate <files…>`: for every input of
 * the table both commands give the same exit code, the same report (but for its clock fields)
 * and the same outcomes file; CSV-only options are refused with --fhir, FHIR-only ones without it.
 * Also `--unknown-extensions warning` through both commands.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FHIR_LAYERS } from '../../core/fhir/index.ts';
import { loadReport, type Report } from '../../formats/report.ts';
import { captureIo } from '../cliTestKit.ts';
import { main } from '../main.ts';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-validate-fhir-'));
  await writeFile(path.join(dir, 'ok.json'), JSON.stringify({ resourceType: 'Patient', gender: 'female' }));
  await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ resourceType: 'Patient', gender: 'F' }));
  await writeFile(
    path.join(dir, 'ext.json'),
    JSON.stringify({
      resourceType: 'Patient',
      extension: [{ url: 'http://clinic.test/ext/a', valueString: 'x' }],
    }),
  );
  await writeFile(
    path.join(dir, 'date.json'),
    JSON.stringify({ resourceType: 'Patient', birthDate: '2023-02-30' }),
  );
  await writeFile(
    path.join(dir, 'mixed.ndjson'),
    `${JSON.stringify({ resourceType: 'Patient', id: 'a' })}\n{"resourceType": "Patient",\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The report without the fields that depend on the clock. */
function timeless(report: Report): unknown {
  const { generatedAt: _g, timings: _t, ...rest } = report;
  return rest;
}

const demoExport = ['Patient', 'Encounter', 'Observation', 'Condition', 'MedicationRequest'].map((t) =>
  path.join(SAMPLES, 'fhir', `${t}.ndjson`),
);

const CASES: { description: string; files: string[]; options?: string[]; exit: number }[] = [
  { description: 'a valid resource', files: ['ok.json'], exit: 0 },
  { description: 'an invalid resource', files: ['bad.json'], exit: 1 },
  { description: 'NDJSON with a broken line', files: ['mixed.ndjson'], exit: 1 },
  { description: 'an unknown extension (error by default)', files: ['ext.json'], exit: 1 },
  {
    description: 'an unknown extension reported as a warning',
    files: ['ext.json'],
    options: ['--unknown-extensions', 'warning'],
    exit: 0,
  },
  { description: 'an impossible date', files: ['date.json'], exit: 1 },
  { description: 'the values layer skipped', files: ['date.json'], options: ['--skip', 'values'], exit: 0 },
  { description: 'the demo bulk export (five NDJSON files)', files: demoExport, exit: 1 },
  { description: 'a missing file', files: ['missing.json'], exit: 2 },
];

describe('preflight validate --fhir', () => {
  it.each(CASES)('is preflight fhir validate: $description', async ({ files, options = [], exit }) => {
    const alias = captureIo(dir);
    const aliasCode = await main(
      ['validate', '--fhir', ...files, ...options, '--report', 'alias.json', '--outcomes', 'alias.ndjson'],
      alias.io,
    );
    const direct = captureIo(dir);
    const directCode = await main(
      ['fhir', 'validate', ...files, ...options, '--report', 'direct.json', '--outcomes', 'direct.ndjson'],
      direct.io,
    );
    expect(aliasCode).toBe(exit);
    expect(directCode).toBe(exit);
    if (exit === 2) {
      expect(alias.err.join('\n')).toContain('preflight validate --fhir: cannot read "missing.json"');
      return;
    }
    expect(alias.out).toEqual(direct.out);
    const read = async (name: string) => {
      const loaded = loadReport(JSON.parse(await readFile(path.join(dir, name), 'utf8')));
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      return loaded.value;
    };
    expect(timeless(await read('alias.json'))).toEqual(timeless(await read('direct.json')));
    expect(await readFile(path.join(dir, 'alias.ndjson'), 'utf8')).toBe(
      await readFile(path.join(dir, 'direct.ndjson'), 'utf8'),
    );
  });

  it('reports an unknown extension as a warning on request, the resource staying valid', async () => {
    const { io, out } = captureIo(dir);
    expect(await main(['validate', '--fhir', 'ext.json', '--unknown-extensions', 'warning'], io)).toBe(0);
    expect(out.join('\n')).toContain('1 valid, 0 invalid (0 errors, 1 warning)');
    // grouped by the extension's URL, the exact place in the example
    expect(out.join('\n')).toContain('warning http://clinic.test/ext/a ×1');
    expect(out.join('\n')).toContain('Patient.extension[0]');
  });

  it.each([
    { options: [], layers: FHIR_LAYERS, unknownExtensions: 'error' },
    { options: ['--unknown-extensions', 'warning'], layers: FHIR_LAYERS, unknownExtensions: 'warning' },
    {
      options: ['--skip', 'values', '--skip', 'bindings', '--unknown-extensions', 'error'],
      layers: FHIR_LAYERS.filter((l) => l !== 'values' && l !== 'bindings'),
      unknownExtensions: 'error',
    },
  ])('records its options in the report: $options', async ({ options, layers, unknownExtensions }) => {
    const { io } = captureIo(dir);
    await main(['fhir', 'validate', 'ext.json', ...options, '--report', 'options.json'], io);
    const report = JSON.parse(await readFile(path.join(dir, 'options.json'), 'utf8')) as Report;
    expect(report.target).toEqual({ type: 'fhir', layers, unknownExtensions });
  });

  it.each([
    {
      description: 'a CSV option with --fhir',
      args: ['--fhir', 'ok.json', '--schema', 'c.json'],
      message: '--schema is for CSV files',
    },
    {
      description: '--workers with --fhir',
      args: ['--fhir', 'ok.json', '--workers', '2'],
      message: '--workers is for CSV files',
    },
    {
      description: '--outcomes without --fhir',
      args: ['x.csv', '--outcomes', 'o.ndjson'],
      message: '--outcomes needs --fhir',
    },
    { description: 'no file', args: ['--fhir'], message: 'give at least one FHIR file' },
    {
      description: 'a bad severity',
      args: ['--fhir', 'ok.json', '--unknown-extensions', 'info'],
      message: '--unknown-extensions takes "error" or "warning"',
    },
  ])('exits 2 for $description', async ({ args, message }) => {
    const { io, err } = captureIo(dir);
    expect(await main(['validate', ...args], io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });
});
