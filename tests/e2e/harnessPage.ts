/**
 * A test-only page (tests/e2e/harness/*.html) built with the app's own Vite config — same plugins,
 * worker format, CSP meta tag — and served by `vite preview` with the app's security headers, as
 * `npm start` serves dist/, then opened in Chromium with its console, CSP violations (page and
 * workers) and requests recorded. Specs use it to drive workers no screen calls yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { WORKER_CSP_VIOLATION_PREFIX } from '../../workers/cspViolations.ts';
import { launchBrowser } from './browser.ts';

/** The repository root (the app's Vite config lives there). */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/** An open harness page and what it recorded. */
export interface HarnessPage {
  page: Page;
  /** every console message and page error, as `type: text` */
  consoleMessages: string[];
  /** CSP violations reported by the page and by its workers */
  cspViolations: string[];
  /** the path of every request the page made, in order */
  requested: string[];
  /** closes the browser and the server and removes the build */
  close(): Promise<void>;
}

/**
 * Builds `harness` (a path from the repository root), serves it, opens it and waits for
 * `body[data-ready="true"]`.
 *
 * @throws when the served page does not carry the production policy (a permissive server would
 *   hide violations)
 */
export async function openHarnessPage(harness: string): Promise<HarnessPage> {
  const outDir = mkdtempSync(path.join(tmpdir(), `preflight-${path.basename(harness, '.html')}-`));
  const consoleMessages: string[] = [];
  const cspViolations: string[] = [];
  const requested: string[] = [];
  await build({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: path.join(ROOT, harness) } },
  });
  const server = await preview({
    root: ROOT,
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    logLevel: 'warn',
  });
  const browser = await launchBrowser();
  const close = async () => {
    await browser.close();
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report a URL');
    const context = await browser.newContext();
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const page = await context.newPage();
    page.on('console', (msg) => {
      consoleMessages.push(`${msg.type()}: ${msg.text()}`);
      if (msg.text().startsWith(WORKER_CSP_VIOLATION_PREFIX)) cspViolations.push(msg.text());
    });
    page.on('pageerror', (error) => consoleMessages.push(`pageerror: ${error.message}`));
    await page.exposeFunction('reportCsp', (text: string) => cspViolations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { reportCsp: (t: string) => void }).reportCsp(
          `${e.violatedDirective} blocked ${e.blockedURI}`,
        );
      });
    });
    const response = await page.goto(new URL(harness, url).href);
    // the real policy is in force (not a permissive dev server)
    const policy = response?.headers()['content-security-policy'] ?? '';
    if (!policy.includes("script-src 'self'"))
      throw new Error(`the harness page was served without the production policy: ${policy}`);
    await page.locator('body[data-ready="true"]').waitFor();
    return { page, consoleMessages, cspViolations, requested, close };
  } catch (error) {
    await close();
    throw error;
  }
}
