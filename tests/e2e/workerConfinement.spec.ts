/**
 * Every worker of the production build, served with its own policy, is refused what its grant
 * (src/core/http/securityHeaders.ts `WORKER_GRANTS`, docs/architecture.md#workers-and-jobs) does not give
 * it: a script of the origin outside its own bundle, a script of another origin, a worker of its
 * own, any request, and browser storage. Each worker is started from its built file, named by the
 * build's chunk graph (dist/.vite/worker-scripts.json), exactly as the app starts it; the test waits
 * until the worker answers its first message, which it can only do after its start-up (storage
 * withheld) ran. The probes run inside the worker through the DevTools protocol, which no user can
 * reach, so they need no eval from the worker's policy.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page, Response, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, WORKER_GRANTS } from '../../src/core/http/securityHeaders.ts';
import { launchBrowser, openApp } from './browser.ts';

/** The smallest valid WebAssembly module: magic number and version. */
const EMPTY_WASM_MODULE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

const graph = JSON.parse(readFileSync('dist/.vite/worker-scripts.json', 'utf8')) as Record<string, string[]>;

/** The built file of worker `name` and its bundle's files, from the chunk graph. */
function builtWorker(name: string): { file: string; bundle: string[] } {
  const file = Object.keys(graph).find((f) => new RegExp(`^assets/${name}\\.worker-[\\w-]+\\.js$`).test(f));
  if (!file) throw new Error(`the build has no ${name} worker`);
  return { file, bundle: graph[file] ?? [] };
}

/** A script of the origin that is in no worker's bundle: the page's entry chunk. */
const pageEntry = readFileSync('dist/index.html', 'utf8').match(/src="\/(assets\/index-[\w-]+\.js)"/)?.[1];

/**
 * Runs in the worker (as source text: vitest would rewrite an `import()` written in this file).
 * Each attempt is made in turn; a last `fetch` of a marked URL of another origin is refused by the
 * page's policy too, and its report, dispatched after every earlier one, ends the wait for reports.
 */
const PROBE = `async ({ origin, entry, own, other, nested, wasm }) => {
  const refused = [];
  let sentinelSeen;
  const sentinel = new Promise((resolve) => { sentinelSeen = resolve; });
  self.addEventListener('securitypolicyviolation', (event) => {
    if (event.blockedURI.includes('sentinel')) sentinelSeen();
    else refused.push(event.effectiveDirective);
  });
  const load = async (url) => {
    try { await import(url); return 'loaded'; } catch (error) { return error.name; }
  };
  const ownChunk = own ? await load(origin + '/' + own) : 'none';
  const ownWithQuery = await load(origin + '/' + entry + '?leak=' + encodeURIComponent('row 1: Ada'));
  const otherChunk = await load(origin + '/' + other);
  const otherOrigin = await load('https://example.org/leak.js');
  const worker = await new Promise((resolve) => {
    try {
      const started = new Worker(origin + '/' + nested, { type: 'module' });
      started.addEventListener('error', () => resolve('error'));
      started.addEventListener('message', (event) => {
        if (event.data?.id === 'ready') resolve('started');
      });
      started.postMessage({ id: 'ready', type: 'GET', path: ['ready'] });
    } catch (error) {
      resolve(error.name);
    }
  });
  let request;
  try { await fetch(origin + '/index.html?leak=1'); request = 'fetched'; } catch (error) { request = error.name; }
  let compile;
  try { await WebAssembly.compile(new Uint8Array(wasm)); compile = 'compiled'; } catch (error) { compile = error.name; }
  try { await fetch('https://example.org/sentinel'); } catch {}
  await sentinel;
  const storage = [typeof self.indexedDB, typeof self.caches, typeof self.navigator.storage];
  return { ownChunk, ownWithQuery, otherChunk, otherOrigin, worker, request, compile, refused: refused.sort(), storage };
}`;

/** Starts the built worker `file` from the page and resolves once it has answered a message. */
async function startWorker(page: Page, file: string): Promise<Worker> {
  const started = page.waitForEvent('worker', (w) => new URL(w.url()).pathname === `/${file}`);
  await page.evaluate(async (url) => {
    const worker = new globalThis.Worker(url, { type: 'module' });
    const held = globalThis as unknown as { heldWorkers?: unknown[] };
    held.heldWorkers = [...(held.heldWorkers ?? []), worker];
    await new Promise<void>((resolve, reject) => {
      worker.addEventListener('message', (event: MessageEvent<{ id?: string }>) => {
        if (event.data?.id === 'ready') resolve();
      });
      worker.addEventListener('error', () => reject(new Error(`${url} did not start`)));
      // comlink's request for a property: answered only once the worker exposed its API
      worker.postMessage({ id: 'ready', type: 'GET', path: ['ready'] });
    });
  }, `/${file}`);
  return started;
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await openApp(await browser.newContext(), '#/migration'));
});

afterAll(async () => {
  await browser?.close();
});

describe('every worker is confined to its grant', () => {
  it('knows every built worker, and a script of the origin outside all their bundles', () => {
    expect(
      Object.keys(graph)
        .map((file) => file.replace(/^assets\/|\.worker-[\w-]+\.js$/g, ''))
        .sort(),
    ).toEqual(WORKER_GRANTS.map((grant) => grant.name).sort());
    expect(pageEntry).toBeDefined();
    for (const bundle of Object.values(graph)) expect(bundle).not.toContain(pageEntry);
  });

  it('sees a worker reach out when it is served with the page policy (the probe can fail)', async () => {
    const context = await browser.newContext();
    // what a static host without the per-path headers does: the page's policy on every file
    await context.route(/\/assets\/sample\.worker-[\w-]+\.js/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': contentSecurityPolicy },
      });
    });
    const plain = await openApp(context, '#/migration');
    const { file } = builtWorker('sample');
    const worker = await startWorker(plain.page, file);
    const origin = new URL(plain.page.url()).origin;
    // a chunk of another worker's bundle: a module of exports only, harmless to run
    const other = builtWorker('validate').bundle.find((f) => !f.includes('.worker-'));
    const args = { origin, entry: file, other, nested: builtWorker('hash').file, wasm: EMPTY_WASM_MODULE };
    const outcome = await worker.evaluate(`(${PROBE})(${JSON.stringify(args)})`);
    expect(outcome).toMatchObject({
      // the server refuses a built script asked for with a query, whatever the policy
      ownWithQuery: 'TypeError',
      otherChunk: 'loaded',
      otherOrigin: 'TypeError',
      worker: 'started',
      request: 'fetched',
      compile: 'CompileError',
      refused: ['script-src', 'script-src-elem'],
    });
    await context.close();
  });

  it.each(WORKER_GRANTS.map((grant) => [grant.name, grant] as const))(
    'the %s worker',
    async (name, grant) => {
      const { file, bundle } = builtWorker(name);
      const worker = await startWorker(page, file);
      const origin = new URL(page.url()).origin;

      const policy = (await fetch(worker.url())).headers.get('content-security-policy') ?? '';
      const directives = new Map(
        policy.split(';').map((d) => {
          const [key = '', ...sources] = d.trim().split(/\s+/);
          return [key, sources];
        }),
      );
      expect(directives.get('script-src')).toEqual([
        ...bundle.map((f) => `${origin}/${f}`),
        ...(grant.eval ? ["'unsafe-eval'"] : []),
        ...(grant.wasm ? ["'wasm-unsafe-eval'"] : []),
      ]);
      expect(directives.get('worker-src')).toEqual(["'none'"]);
      expect(directives.get('connect-src')).toEqual(["'none'"]);

      // another worker's file: a script of the origin, and a worker to start
      const nested = builtWorker(name === 'hash' ? 'sample' : 'hash').file;
      const own = bundle.find((f) => f !== file);
      const args = { origin, entry: file, own, other: pageEntry, nested, wasm: EMPTY_WASM_MODULE };
      const answered: { query: string; status: number }[] = [];
      const watch = (response: Response) => {
        const url = new URL(response.url());
        if (url.pathname === `/${file}` && url.search !== '')
          answered.push({ query: url.search, status: response.status() });
      };
      page.context().on('response', watch);
      const outcome = await worker.evaluate(`(${PROBE})(${JSON.stringify(args)})`);
      page.context().off('response', watch);
      // What CSP cannot stop (it matches paths, not queries): the import of the worker's own file
      // with a query of its choosing is sent, unrefused by the policy, and carries the query to
      // the server; the server answers it 404 with nothing in it, so the import fails.
      expect(answered).toEqual([{ query: `?leak=${encodeURIComponent('row 1: Ada')}`, status: 404 }]);
      // WebAssembly compiles where the policy allows eval of either kind ('unsafe-eval' covers it)
      const compiles = grant.wasm || grant.eval;
      expect(outcome).toEqual({
        ownChunk: own ? 'loaded' : 'none',
        ownWithQuery: 'TypeError',
        otherChunk: 'TypeError',
        otherOrigin: 'TypeError',
        worker: expect.stringMatching(/^(error|SecurityError)$/),
        request: 'TypeError',
        compile: compiles ? 'compiled' : 'CompileError',
        refused: [
          'connect-src',
          ...(compiles ? [] : ['script-src']),
          'script-src-elem',
          'script-src-elem',
          'worker-src',
        ],
        // every worker, the validator too (its key spill took the OPFS root before)
        storage: ['undefined', 'undefined', 'undefined'],
      });
    },
  );
});
