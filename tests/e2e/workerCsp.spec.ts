/**
 * The CSP watch sees violations inside workers. A worker's policy is its own script response's
 * header, and a violation there fires `securitypolicyviolation` on the worker's global only; the
 * page's `document` hears nothing. Here the test itself breaks the policy inside the app's real hash
 * worker (through the DevTools protocol, so no hook reachable by users exists) and expects the
 * journeys' watch (tests/e2e/browser.ts) to catch it. The hash worker's policy allows its own
 * bundle and compiling WebAssembly (hash-wasm), and no network at all, so a `fetch`
 * is what breaks it. Last, the worker served with the page's policy (a host without our per-path
 * headers) still fingerprints, with the fast-sha256 fallback, after one reported refusal.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/core/http/securityHeaders.ts';
import { isHashWorker, launchBrowser, openApp, type Watched } from './browser.ts';

/** The smallest valid WebAssembly module: magic number and version. */
const EMPTY_WASM_MODULE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

let browser: Browser;
let app: Watched;
let dir: string;
/** The app's hash worker, started by the first test. */
let worker: Worker;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-csp-'));
  browser = await launchBrowser();
  app = await openApp(await browser.newContext(), '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSP violations inside a worker', () => {
  it('serves the hash worker with its own policy: WebAssembly for hash-wasm, no eval, no network', async () => {
    const { page } = app;
    const small = join(dir, 'tiny.txt');
    writeFileSync(small, 'abc');
    // fingerprinting a file is what starts the app's hash worker
    const started = page.waitForEvent('worker', isHashWorker);
    await page.getByLabel('File to fingerprint').setInputFiles(small);
    worker = await started;
    await page.getByTestId('sha256').waitFor();
    expect(await page.getByTestId('sha256').textContent()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    // hash-wasm compiled its module: a refused compile would have been reported as a violation
    expect(app.cspViolations).toEqual([]);

    const csp = (await fetch(worker.url())).headers.get('content-security-policy') ?? '';
    // its own bundle's file only (not the origin), and WebAssembly compilation
    expect(csp).toContain(
      `script-src ${new URL(worker.url()).origin}${new URL(worker.url()).pathname} 'wasm-unsafe-eval'`,
    );
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    const pagePolicy = (await fetch(page.url())).headers.get('content-security-policy') ?? '';
    expect(pagePolicy).not.toContain('wasm-unsafe-eval');

    const outcome = await worker.evaluate(async (bytes) => {
      await WebAssembly.compile(new Uint8Array(bytes));
      return 'compiled';
    }, EMPTY_WASM_MODULE);
    expect(outcome).toBe('compiled');
    expect(app.cspViolations).toEqual([]);
  });

  it("reach the watch when the hash worker fetches, even from the app's own origin, which its policy forbids", async () => {
    const origin = new URL(app.page.url()).origin;
    const outcome = await worker.evaluate(async (url) => {
      try {
        await fetch(url);
        return 'fetched';
      } catch (error) {
        return (error as Error).name;
      }
    }, `${origin}/index.html`);
    // the policy really blocked it (not merely reported it); the page itself may fetch from 'self'
    expect(outcome).toBe('TypeError');

    const message = `Content-Security-Policy violation in a worker (hash): connect-src blocked ${origin}.`;
    await expect.poll(() => app.cspViolations).toEqual([message]);
    // the page's console shows it too, so a journey's "printed nothing" check fails as well
    expect(app.console).toEqual([`error: ${message}`]);
  });
});

describe('a host that serves the hash worker with the page policy (no WebAssembly allowed)', () => {
  it('fingerprints with the fast-sha256 fallback: the same digest, the refused compile reported once', async () => {
    const context = await browser.newContext();
    // what a static host without our per-path headers does: the page's policy on every file
    await context.route(/\/assets\/hash\.worker-[\w-]+\.js/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': contentSecurityPolicy },
      });
    });
    const plain = await openApp(context, '#/migration');
    const file = join(dir, 'fallback.txt');
    writeFileSync(file, 'abc');
    const started = plain.page.waitForEvent('worker', isHashWorker);
    await plain.page.getByLabel('File to fingerprint').setInputFiles(file);
    const hashWorker = await started;
    await plain.page.getByTestId('sha256').waitFor();
    expect(await plain.page.getByTestId('sha256').textContent()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    // the worker really runs under the page's policy: compiling WebAssembly is refused there
    const outcome = await hashWorker.evaluate(async (bytes) => {
      try {
        await WebAssembly.compile(new Uint8Array(bytes));
        return 'compiled';
      } catch (error) {
        return (error as Error).name;
      }
    }, EMPTY_WASM_MODULE);
    expect(outcome).toBe('CompileError');
    // hash-wasm was tried once, refused, and never again: a second file hashes without a new report
    writeFileSync(file, 'abcd');
    await plain.page.getByLabel('File to fingerprint').setInputFiles(file);
    await plain.page
      .getByTestId('sha256')
      .filter({ hasText: '88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589' })
      .waitFor();
    const refused = 'Content-Security-Policy violation in a worker (hash): script-src blocked wasm-eval.';
    await expect.poll(() => plain.cspViolations).toEqual([refused, refused]);
    await context.close();
  });
});

describe('the validator worker: eval for contracts, no script but its own bundle, no storage', () => {
  it('loads its own chunks, and is refused any other script of the origin and any worker of its own', async () => {
    const assets = readdirSync('dist/assets');
    const self = assets.find((f) => /^validate\.worker-[\w-]+\.js$/.test(f));
    const graph = JSON.parse(readFileSync('dist/.vite/worker-scripts.json', 'utf8')) as Record<
      string,
      string[]
    >;
    const bundle = graph[`assets/${self}`] ?? [];
    const own = bundle.find((f) => f !== `assets/${self}`);
    // the page's own chunk and the hash worker: scripts of the same origin, not of this bundle
    const other = assets.find((f) => /^index-[\w-]+\.js$/.test(f));
    const hash = assets.find((f) => /^hash\.worker-[\w-]+\.js$/.test(f));
    expect([self, own, other, hash].every(Boolean)).toBe(true);
    expect(bundle).not.toContain(`assets/${other}`);

    const context = await browser.newContext();
    const plain = await openApp(context, '#/migration');
    const started = plain.page.waitForEvent('worker', (w) => w.url().includes('validate.worker'));
    await plain.page.evaluate((url) => {
      (globalThis as { heldWorker?: unknown }).heldWorker = new globalThis.Worker(url, { type: 'module' });
    }, `/assets/${self}`);
    const worker = await started;
    const origin = new URL(plain.page.url()).origin;

    const policy = (await fetch(worker.url())).headers.get('content-security-policy') ?? '';
    const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).toContain(`${origin}/assets/${self}`);
    expect(scriptSrc).toContain("'unsafe-eval'");
    expect(scriptSrc).not.toContain("'self'");
    expect(policy).toContain("worker-src 'none'");

    const outcome = await worker.evaluate(
      async ({ origin, own, other, hash }) => {
        const refused: string[] = [];
        const scope = globalThis as unknown as EventTarget;
        const twoRefusals = new Promise<void>((resolve) => {
          scope.addEventListener('securitypolicyviolation', (event) => {
            refused.push((event as SecurityPolicyViolationEvent).effectiveDirective);
            if (refused.length === 2) resolve();
          });
        });
        // vitest rewrites `import()` in this file for Node; the worker runs the function's text, so
        // the import is made there, through the eval its policy allows
        // biome-ignore lint/security/noGlobalEval: the validator worker's policy allows eval; the test needs a real import() there
        const load = eval(
          '(async (url) => { try { await import(url); return "loaded"; } catch (error) { return error.name; } })',
        ) as (url: string) => Promise<string>;
        const ownChunk = await load(`${origin}/${own}`);
        const otherChunk = await load(`${origin}/assets/${other}?leak=1`);
        const nested = await new Promise<string>((resolve) => {
          try {
            const Nested = (
              globalThis as unknown as { Worker: new (url: string, options: object) => EventTarget }
            ).Worker;
            const started = new Nested(`${origin}/assets/${hash}`, { type: 'module' });
            started.addEventListener('error', () => resolve('error'));
          } catch (error) {
            resolve((error as Error).name);
          }
        });
        await twoRefusals;
        const g = globalThis as unknown as Record<string, unknown> & { navigator: Record<string, unknown> };
        const storage = [typeof g.indexedDB, typeof g.caches, typeof g.navigator.storage];
        return { ownChunk, otherChunk, nested, refused: refused.sort(), storage };
      },
      { origin, own, other, hash },
    );
    expect(outcome).toEqual({
      ownChunk: 'loaded',
      otherChunk: 'TypeError',
      nested: expect.stringMatching(/^(error|SecurityError)$/),
      refused: ['script-src-elem', 'worker-src'],
      // code a contract compiles to finds no IndexedDB, Cache Storage or file system
      storage: ['undefined', 'undefined', 'undefined'],
    });
    await context.close();
  });
});
