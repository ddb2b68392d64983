/// <reference types="vitest/config" />

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { configDefaults } from 'vitest/config';
import {
  devServerContentSecurityPolicy,
  devServerHeaders,
  isBuiltScriptWithQuery,
  metaContentSecurityPolicyFor,
  pathContentSecurityPolicy,
  securityHeadersFor,
} from './src/core/http/securityHeaders.ts';
import { FHIR_ORIGINS_ENV, parseAllowedOrigins } from './src/fhir/allowlist.ts';
import { builtWorkerScripts, WORKER_SCRIPTS_FILE } from './src/server/builtApp.ts';
import { WAITS } from './tests/waits.ts';

/**
 * Loopback only: the app holds patient data and is never served to the network by default. Served
 * by name, not as 127.0.0.1: WebAuthn (re-authentication at signing) refuses IP addresses, and
 * `localhost` is a secure context that it accepts.
 */
export const PREVIEW_HOST = 'localhost';
export const PREVIEW_PORT = 4173;

/**
 * The FHIR servers this copy of the app may contact, set where it is served:
 * `PREFLIGHT_FHIR_ORIGINS=https://fhir.example.org npm start`. They widen the CSP's `connect-src`
 * (header and meta tag); the app reads them from the meta tag to say how to allow another server.
 * A wrong entry stops the build with a message rather than being silently dropped.
 */
function allowedFhirOrigins(): string[] {
  const { origins, problems } = parseAllowedOrigins(process.env[FHIR_ORIGINS_ENV]);
  if (problems.length > 0) throw new Error(`${FHIR_ORIGINS_ENV}: ${problems.join('; ')}`);
  return origins;
}
export const FHIR_ORIGINS = allowedFhirOrigins();

/**
 * Puts the CSP into the built index.html too, for hosts that serve dist/ without our headers. The
 * app reads its allowed FHIR origins from this tag (src/app/fhirOrigins.ts): the dev server, whose
 * header carries a nonce, gets a tag with the same `connect-src` only, which restricts nothing more.
 */
function cspMetaTag(): Plugin {
  let building = true;
  return {
    name: 'preflight-csp-meta',
    configResolved(config) {
      building = config.command === 'build';
    },
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: {
          'http-equiv': 'Content-Security-Policy',
          content: building
            ? metaContentSecurityPolicyFor(FHIR_ORIGINS)
            : ["connect-src 'self'", ...FHIR_ORIGINS].join(' '),
        },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Per-path CSP, one set of policies (src/core/http/securityHeaders.ts) for both servers. Preview and
 * production: every worker's script gets its own policy (`pathContentSecurityPolicy`, naming the
 * worker's bundle from the chunk graph). Vite's static server sets `preview.headers` on every file
 * it serves, so this wraps the response's `setHeader` before that runs and swaps the CSP value.
 * The dev server (`npm run dev`): the same worker policies with `script-src 'self'`, and the page's
 * policy with a nonce for what hot reload puts inline (`devServerContentSecurityPolicy`); the
 * nonce is new at each start and Vite writes it on those elements (`html.cspNonce`).
 */
function perPathCsp(): Plugin {
  return {
    name: 'preflight-per-path-csp',
    config(_config, env) {
      if (env.command === 'serve' && !env.isPreview)
        return { html: { cspNonce: randomBytes(18).toString('base64') } };
      return undefined;
    },
    configureServer(server) {
      const nonce = server.config.html?.cspNonce ?? '';
      server.middlewares.use((req, res, next) => {
        res.setHeader(
          'Content-Security-Policy',
          devServerContentSecurityPolicy(req.url ?? '', FHIR_ORIGINS, nonce),
        );
        next();
      });
    },
    configurePreviewServer(server) {
      const scriptsOf = builtWorkerScripts(server.config.build.outDir);
      server.middlewares.use((req, res, next) => {
        const url = req.url ?? '';
        if (isBuiltScriptWithQuery(url)) {
          // the app never asks for one: only code in a worker sending data in the query does
          res.statusCode = 404;
          res.setHeader('Content-Length', '0');
          res.end();
          return;
        }
        const scripts = scriptsOf(url.replace(/^\//, '').replace(/\?.*$/, ''));
        const origin = `http://${req.headers.host ?? `${PREVIEW_HOST}:${PREVIEW_PORT}`}`;
        const policy = pathContentSecurityPolicy(
          url,
          FHIR_ORIGINS,
          scripts?.map((file) => `${origin}/${file}`),
        );
        if (policy !== securityHeadersFor(FHIR_ORIGINS)['Content-Security-Policy']) {
          const setHeader = res.setHeader.bind(res);
          res.setHeader = (name, value) =>
            setHeader(name, name.toLowerCase() === 'content-security-policy' ? policy : value);
        }
        next();
      });
    },
  };
}

/**
 * The scripts each worker's bundle is made of (its own file and every chunk it imports, statically
 * or dynamically), from the bundler's chunk graph, written to `dist/.vite/worker-scripts.json`
 * (not served). The preview server and `preflight serve` name exactly these in each worker's
 * `script-src` (`workerContentSecurityPolicy`), so no worker can load another script.
 */
const workerScripts = new Map<string, string[]>();

function workerChunkGraph(): Plugin {
  return {
    name: 'preflight-worker-chunk-graph',
    generateBundle(_options, bundle) {
      for (const entry of Object.values(bundle)) {
        if (entry.type !== 'chunk' || !entry.isEntry) continue;
        const reached = new Set<string>();
        const visit = (file: string) => {
          if (reached.has(file)) return;
          reached.add(file);
          const chunk = bundle[file];
          if (chunk?.type === 'chunk')
            for (const next of [...chunk.imports, ...chunk.dynamicImports]) visit(next);
        };
        visit(entry.fileName);
        workerScripts.set(entry.fileName, [...reached].sort());
      }
    },
  };
}

function writeWorkerScripts(): Plugin {
  let outDir = 'dist';
  return {
    name: 'preflight-write-worker-scripts',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const file = path.resolve(outDir, WORKER_SCRIPTS_FILE);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(Object.fromEntries(workerScripts), null, 2)}\n`);
    },
  };
}

/**
 * The surfaces of the core's modules (`src/core/<module>/index.ts`, and of a module's parts such as
 * `workflow/bpmn/`) have no effect of their own, so a bundle keeps just the files whose exports it
 * uses (a worker that needs the plan does not carry the contract compiler and ajv behind the same
 * index; the capacity worker does not carry the finding rules and the format validators).
 */
const SURFACES = [
  'csv',
  'contract',
  'mapping',
  'validation',
  'fhir',
  'fhirProfiles',
  'hash',
  'workflow',
  'workflow/bpmn',
  'workflow/edit',
  'workflow/eventlog',
  'workflow/layout',
  'workflow/rules',
  'workflow/shared',
  'workflow/waits',
  'signoff/sampling',
  'signoff/review',
  'signoff/signing',
  'signoff/exports',
];
const isSurfaceIndex = (id: string) =>
  SURFACES.some((surface) => id.replaceAll('\\', '/').endsWith(`/src/core/${surface}/index.ts`));
const treeshake = { moduleSideEffects: (id: string) => !isSurfaceIndex(id) };

/** The unit tests run in Node: the core, the CLI, storage, workers, samples and the test servers. */
const UNIT_FILES = [
  'src/**/*.test.ts',
  'workers/**/*.test.ts',
  'tests/unit/**/*.test.ts',
  'samples/**/*.test.ts',
  'tests/fhirServer/**/*.test.ts',
];
/** Test files that replace modules with `vi.mock`: each gets a fresh module graph of its own. */
const MOCKED_FILES = '**/*.mocked.test.{ts,tsx}';
/** First in every project's set-up: each file's CPU for the per-file table and the budget. */
const FILE_CPU = 'tests/setup/fileCpu.ts';

/**
 * Resolves a worker's client to its in-process stand-in (jsdom has no Worker), for every file of
 * the component project alike, so the files share one module graph, unlike a `vi.mock`: the
 * validators' (a screen test that runs them is named `*.inProcess.test.tsx`), the project file's
 * and the BPMN exchange's. The other workers' clients stay as they are: a screen that needs one
 * takes the function as a prop whose default is the client's (ProcessMapView's `layoutMap`).
 */
function workerClientsInProcess(): Plugin {
  const at = (file: string) => path.resolve(import.meta.dirname, file);
  const standIns = new Map([
    [at('workers/validateClient.ts'), at('src/app/migration/testing/inProcessValidateClient.ts')],
    [at('workers/fhirValidateClient.ts'), at('src/app/fhir/fhirWorkerInProcess.ts')],
    [at('workers/projectFileClient.ts'), at('src/app/projects/testing/inProcessProjectFileClient.ts')],
    [at('workers/bpmnClient.ts'), at('src/app/workflows/editor/testing/inProcessBpmnClient.ts')],
  ]);
  const clientNames = new Set([...standIns.keys()].map((client) => path.basename(client)));
  const standInFiles = new Set(standIns.values());
  return {
    name: 'preflight-worker-clients-in-process',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!clientNames.has(path.basename(source)) || (importer && standInFiles.has(importer))) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return (resolved && standIns.get(resolved.id)) ?? null;
    },
  };
}

export default defineConfig({
  plugins: [react(), cspMetaTag(), perPathCsp(), writeWorkerScripts()],
  worker: { format: 'es', rolldownOptions: { treeshake }, plugins: () => [workerChunkGraph()] },
  // The dev server's dependency scan starts from the page and does not follow `new Worker(…)`, so a
  // package only a worker imports (hash-wasm, elkjs, …) was found on first use and re-bundled
  // while the page was loading, answering its other requests "504 Outdated Optimize Dep". Scanning
  // the worker entries too finds every dependency before the first page load.
  optimizeDeps: { entries: ['index.html', 'workers/*.worker.ts'] },
  // sql.js's WebAssembly, inlined into the event-log worker's SQLite chunk (workers/ocelSqlJs.ts):
  // a plain asset, not Vite's `?init` wasm module (which fetches, and that worker may not fetch)
  assetsInclude: ['**/sql-wasm-browser.wasm'],
  // fhir-kit-client imports Node's http agents; the browser's fetch needs none (vitest keeps the real one)
  resolve: process.env.VITEST
    ? {}
    : {
        alias: {
          agentkeepalive: fileURLToPath(new URL('./src/app/fhir/agentkeepaliveBrowser.ts', import.meta.url)),
        },
      },
  // No source maps in the production build: a map file in dist/ is served to anyone who asks for
  // it and gives out the original sources; stack traces users report name chunk and line, which
  // a developer maps by building the same commit with `vite build --sourcemap`.
  // The page's chunk is about 1 MB (React, React Flow, the precompiled format validators, which
  // start-up needs anyway); the larger ones (up to ~2.9 MB) are worker scripts (ELK layout, BPMN,
  // FHIRPath) and the pattern checker, each loaded only when its job runs, from loopback. The
  // limit sits just above them, so a new dependency that outgrows them still warns.
  // Plugin timing warnings measure the build machine, not the app: off, so `npm start` prints
  // only what a user needs (the address).
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 3_000,
    rolldownOptions: { treeshake, checks: { bundlerTimings: false } },
  },
  server: { host: PREVIEW_HOST, headers: devServerHeaders },
  // The production build is what users run (`npm start`), so the security headers live here.
  preview: {
    host: PREVIEW_HOST,
    port: PREVIEW_PORT,
    strictPort: false,
    headers: securityHeadersFor(FHIR_ORIGINS),
  },
  test: {
    // Four projects in one run, one count: the core, CLI, storage and workers under Node; the app's
    // screens as component tests (`*.test.tsx`) rendered into jsdom with React Testing Library
    // (decision 0087). Files share their worker's process and modules (`isolate: false`): importing
    // the app and the core once per worker instead of once per file halves the suite's CPU time
    // (decision 0089). A file that replaces a module with `vi.mock` needs a fresh module graph, so
    // it is named `*.mocked.test.ts(x)` and runs isolated; tests/unit/testIsolation.test.ts holds
    // every file to that rule, and the set-up files put back what a file may leave behind. Every
    // component file gets the validator workers' in-process stand-ins, so the screens that run
    // them (`*.inProcess.test.tsx`) share the component workers too: a project of their own
    // started two more workers that imported the app again, and transformed it again (decision 0227).
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT_FILES,
          exclude: [...configDefaults.exclude, MOCKED_FILES],
          environment: 'node',
          isolate: false,
          setupFiles: [FILE_CPU, 'tests/setup/unit.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-mocked',
          include: UNIT_FILES.map((glob) => glob.replace('.test.ts', '.mocked.test.ts')),
          environment: 'node',
          setupFiles: [FILE_CPU, 'tests/setup/unit.ts'],
        },
      },
      {
        extends: true,
        plugins: [workerClientsInProcess()],
        test: {
          name: 'component',
          include: ['src/app/**/*.test.tsx'],
          exclude: [...configDefaults.exclude, MOCKED_FILES],
          environment: 'jsdom',
          isolate: false,
          setupFiles: [FILE_CPU, 'tests/setup/unit.ts', 'tests/setup/component.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'component-mocked',
          include: ['src/app/**/*.mocked.test.tsx'],
          environment: 'jsdom',
          setupFiles: [FILE_CPU, 'tests/setup/unit.ts', 'tests/setup/component.ts'],
        },
      },
    ],
    // the FHIR validators are generated build output (src/cli/generateFhir.ts): made here when
    // stale; the workers' PostgreSQL servers are stopped by the run's teardown, in this process
    globalSetup: ['tests/setup/fhirGenerated.ts', 'tests/setup/postgresClusters.ts'],
    // At least two files at a time. vitest's default (cores − 1) is one on a 2-core machine such
    // as CI's, which leaves the second core mostly idle while a file starts, imports or waits on a
    // process it started. The suite shares nothing between files that would make two at once
    // unsafe: temp folders from mkdtemp, servers on port 0, PostgreSQL on a socket in its own
    // folder, nothing written inside the repository (decision 0086).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Worker threads, not processes: the files already share their worker's modules, and a thread
    // costs less to run them than a child process (the whole unit run: 386 CPU-s against 449 in
    // forks, docs/decisions/0144). Nothing here needs a process of its own: the CLI and servers
    // that a test starts are processes anyway, and the per-file CPU reads the file's own thread.
    pool: 'threads',
    // Tests wait for events and fake clocks, never for elapsed time; the timeout only catches a
    // hang. The property and hashing tests take seconds on a loaded 2-core machine, past vitest's
    // default 5 s, so the guard is generous. Set-up hooks do the same kind of work (a CLI run, a
    // server start) and get the same guard rather than vitest's default 10 s.
    // Both scale with the machine as the budget does (tests/waits.ts).
    testTimeout: WAITS.unitTest,
    hookTimeout: WAITS.unitHook,
    // CI asks for a JSON report so .ci/run can print one closing count line
    ...(process.env.PREFLIGHT_TEST_RESULTS
      ? {
          // and the files started and finished, for naming the ones a stalled run left (tests/stepWatch.ts)
          reporters: ['default', 'json', './tests/fileProgressReporter.ts'],
          outputFile: { json: `${process.env.PREFLIGHT_TEST_RESULTS}/vitest-unit.json` },
        }
      : {}),
  },
});
