/**
 * The CSP watch sees violations inside workers. A worker's policy is its own script response's
 * header, and a violation there fires `securitypolicyviolation` on the worker's global only; the
 * page's `document` hears nothing. Here the test itself breaks the policy inside the app's real hash
 * worker (through the DevTools protocol, so no hook reachable by users exists) and expects the
 * journeys' watch (tests/e2e/browser.ts) to catch it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, type Watched } from './browser.ts';

/** The smallest valid WebAssembly module: magic number and version. */
const EMPTY_WASM_MODULE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

let browser: Browser;
let app: Watched;
let dir: string;

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
  it('reach the watch when the hash worker compiles WebAssembly, which its policy forbids', async () => {
    const { page } = app;
    const small = join(dir, 'tiny.txt');
    writeFileSync(small, 'abc');
    // fingerprinting a file is what starts the app's hash worker
    const started = page.waitForEvent('worker');
    await page.getByLabel('File to fingerprint').setInputFiles(small);
    const worker: Worker = await started;
    await page.getByTestId('sha256').waitFor();
    expect(app.cspViolations).toEqual([]);

    const outcome = await worker.evaluate(async (bytes) => {
      try {
        await WebAssembly.compile(new Uint8Array(bytes));
        return 'compiled';
      } catch (error) {
        return (error as Error).name;
      }
    }, EMPTY_WASM_MODULE);
    // the policy really blocked it (not merely reported it)
    expect(outcome).toBe('CompileError');

    await expect
      .poll(() => app.cspViolations, { timeout: 10_000 })
      .toEqual(['Content-Security-Policy violation in a worker (hash): script-src blocked wasm-eval.']);
    // the page's console shows it too, so a journey's "printed nothing" check fails as well
    expect(app.console).toEqual([
      'error: Content-Security-Policy violation in a worker (hash): script-src blocked wasm-eval.',
    ]);
  });
});
