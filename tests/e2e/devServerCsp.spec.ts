/**
 * The dev server (`npm run dev`, the README's start command for developers) sends the production
 * policies, from the same source (src/core/http/securityHeaders.ts): the page's with one addition, the
 * nonce of what hot reload puts inline; each worker script's own, with `script-src 'self'` where
 * production names the worker's bundle (the dev server serves a worker as many modules); and every
 * other security header as in production. Compared header by header with the production build
 * served as `npm start` serves it, then proven in Chromium on a page of the dev server
 * (tests/e2e/harness/devPage.html): it runs, styles itself and hashes a file in the app's hash
 * worker with no violation.
 *
 * The page is a small one rather than the app's: what the dev server adds to a page (hot reload's
 * inline script, Vite's style elements, a worker served as modules) is the same on every page it
 * serves, and the app under the production policy is every other spec's page. Serving the app
 * meant bundling every dependency and transforming its ~700 modules, most of this spec's cost.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtWorkerPath,
  devWorkerPath,
  securityHeaders,
  WORKER_GRANTS,
} from '../../src/core/http/securityHeaders.ts';
import appConfig from '../../vite.config.ts';
import { baseUrl, isHashWorker, launchBrowser, watchedPage } from './browser.ts';

/** The dev server's page the browser opens, from the repository root. */
const DEV_PAGE = 'tests/e2e/harness/devPage.html';

const CSP = 'content-security-policy';

let dir: string;
let dev: ViteDevServer;
let devBase: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-dev-csp-'));
  // The app's own Vite config (plugins, headers, workers), read here rather than from its file so
  // the dependency scan can start at the page opened instead of at the app and every worker (a
  // file's list would be added to, not replaced). The page's and the hash worker's dependencies
  // are then every package a module served here imports: a worker entry fetched for its headers
  // imports only comlink, and is not followed into its imports (`preTransformRequests`), which
  // would find the layout worker's elkjs and bundle it again while the page loads.
  dev = await createServer({
    ...appConfig,
    configFile: false,
    optimizeDeps: { entries: [DEV_PAGE, 'workers/hash.worker.ts'] },
    // its dependency cache in a folder of its own: nothing is written into node_modules
    cacheDir: join(dir, 'vite-cache'),
    server: {
      ...appConfig.server,
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      preTransformRequests: false,
    },
    logLevel: 'warn',
  });
  await dev.listen();
  const url = dev.resolvedUrls?.local[0];
  if (!url) throw new Error('the dev server did not report a URL');
  devBase = url;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A policy as directive → sources. */
function parsePolicy(policy: string | null): Map<string, string[]> {
  return new Map(
    (policy ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

describe('the dev server sends the production policies', () => {
  it("page: production's policy with the nonce hot reload needs, and every other security header", async () => {
    const production = await fetch(baseUrl());
    const development = await fetch(devBase);
    const nonce = /<meta property="csp-nonce" nonce="([^"]+)">/.exec(await development.text())?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{24}$/);
    const expected = new Map(
      [...parsePolicy(production.headers.get(CSP))].map(([directive, sources]) => [
        directive,
        directive === 'script-src' || directive === 'style-src' ? [...sources, `'nonce-${nonce}'`] : sources,
      ]),
    );
    expect(expected.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(parsePolicy(development.headers.get(CSP))).toEqual(expected);
    // a module of the page (not a worker's entry) is served under the page's policy too
    const module = await fetch(new URL('src/app/main.tsx', devBase));
    expect(parsePolicy(module.headers.get(CSP))).toEqual(expected);
    for (const name of Object.keys(securityHeaders).filter((n) => n.toLowerCase() !== CSP)) {
      expect(production.headers.get(name), name).not.toBeNull();
      expect(development.headers.get(name), name).toBe(production.headers.get(name));
    }
  });

  it("every worker: production's own policy, its script-src the origin instead of the bundle's files", async () => {
    const graph = JSON.parse(readFileSync('dist/.vite/worker-scripts.json', 'utf8')) as Record<
      string,
      string[]
    >;
    // fetched together: the dev server transforms each worker's entry on request, and the waits overlap
    await Promise.all(
      WORKER_GRANTS.map(async ({ name }) => {
        const built = Object.keys(graph).find((file) => builtWorkerPath(name).test(`/${file}`));
        expect(built, name).toBeDefined();
        const production = parsePolicy((await fetch(new URL(built as string, baseUrl()))).headers.get(CSP));
        const path = `/workers/${name}.worker.ts?worker_file&type=module`;
        expect(devWorkerPath(name).test(path), name).toBe(true);
        const development = parsePolicy((await fetch(new URL(path, devBase))).headers.get(CSP));

        const scripts = production.get('script-src') ?? [];
        const bundle = scripts.filter((source) => !source.startsWith("'"));
        expect(bundle, name).toContain(new URL(built as string, baseUrl()).href);
        const keywords = scripts.filter((source) => source.startsWith("'"));
        expect(development, name).toEqual(new Map([...production, ['script-src', ["'self'", ...keywords]]]));
        expect(development.get('worker-src'), name).toEqual(["'none'"]);
        expect(development.get('connect-src'), name).toEqual(["'none'"]);
      }),
    );
  });
});

describe('a dev page under those policies', () => {
  it('starts, styles itself and hashes a file in its hash worker with no violation', async () => {
    const app = await watchedPage(await browser.newContext());
    const { page } = app;
    // the page's few dozen modules and its dependencies' bundle load within Playwright's usual bound
    await page.goto(new URL(DEV_PAGE, devBase).href);
    const input = page.getByLabel('File to fingerprint');
    await input.waitFor();
    // hot reload's inline module script (React's refresh preamble, under the nonce) ran
    expect(await page.evaluate(() => '$RefreshReg$' in window)).toBe(true);
    // the CSS Vite's client added as style elements applied (a refused one would be unstyled)
    expect(await page.evaluate(() => document.querySelectorAll('style[nonce]').length)).toBeGreaterThan(0);
    const file = join(dir, 'tiny.txt');
    writeFileSync(file, 'abc');
    const started = page.waitForEvent('worker', isHashWorker);
    await input.setInputFiles(file);
    const worker = await started;
    expect(devWorkerPath('hash').test(new URL(worker.url()).pathname + new URL(worker.url()).search)).toBe(
      true,
    );
    await page
      .getByTestId('sha256')
      .filter({ hasText: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' })
      .waitFor();
    expect(app.cspViolations).toEqual([]);
    expect(app.console.filter((line) => /^(error|pageerror)/.test(line))).toEqual([]);
    await page.context().close();
  });
});
