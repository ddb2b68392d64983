/**
 * The layout worker (elkjs) and the BPMN worker run in the production build under the production
 * CSP (no eval, workers from 'self' only) without a single violation or console message.
 *
 * The editor that will call them is not built yet, so a test-only page (tests/e2e/harness/) is
 * built with the app's own Vite config — same plugins, worker format, CSP meta tag — and served
 * by `vite preview` with the app's security headers, as `npm start` serves dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowLayout } from '../../src/core/workflow/layout.ts';
import type { Workflow } from '../../src/formats/workflow.ts';
import { WORKER_CSP_VIOLATION_PREFIX } from '../../workers/cspViolations.ts';
import { generatedWorkflow } from '../bench/workflowFixtures.ts';
import { miwgBytes } from '../fixtures/miwg.ts';
import { launchBrowser } from './browser.ts';
import type { WorkflowWorkersHarness } from './harness/workflowWorkers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HARNESS = 'tests/e2e/harness/workflowWorkers.html';

let outDir: string;
let server: PreviewServer;
let browser: Browser;
let page: Page;
const consoleMessages: string[] = [];
const cspViolations: string[] = [];

type Harness = { workflowWorkers: WorkflowWorkersHarness };

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'preflight-workflow-workers-'));
  await build({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: path.join(ROOT, HARNESS) } },
  });
  server = await preview({
    root: ROOT,
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
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
  const response = await page.goto(new URL(HARNESS, url).href);
  // the real policy is in force (not a permissive dev server)
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await page.locator('body[data-ready="true"]').waitFor();
}, 170_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('workflow workers under the production CSP', () => {
  it('lays out a 1,000-step, 8-lane workflow in the layout worker', async () => {
    const workflow = generatedWorkflow(1000, 8, 10);
    const { layout, ms } = await page.evaluate(async (w: Workflow) => {
      const harness = (window as unknown as Harness).workflowWorkers;
      const started = performance.now();
      const result = await harness.layout(w);
      return { layout: result as WorkflowLayout, ms: performance.now() - started };
    }, workflow);
    expect(Object.keys(layout.positions)).toHaveLength(1000);
    expect(Object.keys(layout.lanes)).toHaveLength(8);
    for (const step of workflow.steps) {
      const band = layout.lanes[step.lane];
      const y = layout.positions[step.id]?.y ?? Number.NaN;
      expect(band && y >= band.y && y < band.y + band.height).toBe(true);
    }
    console.info(`layout of 1,000 steps in the worker (Chromium, incl. worker start): ${Math.round(ms)} ms`);
    expect(cspViolations).toEqual([]);
  });

  it('imports a MIWG model and exports it again in the BPMN worker', async () => {
    const text = new TextDecoder('windows-1252').decode(miwgBytes('B.2.0.bpmn'));
    const { steps, xml } = await page.evaluate(async (source: string) => {
      const harness = (window as unknown as Harness).workflowWorkers;
      const result = await harness.importBpmn(source);
      if (!result.workflow) throw new Error(JSON.stringify(result.problems));
      return { steps: result.workflow.steps.length, xml: await harness.exportBpmn(result.workflow) };
    }, text);
    expect(steps).toBeGreaterThan(90);
    expect(xml).toContain('xmlns:preflight="urn:preflight:bpmn:1"');
    expect(cspViolations).toEqual([]);
  });

  it('printed nothing and broke no policy', () => {
    expect(cspViolations).toEqual([]);
    expect(consoleMessages).toEqual([]);
  });
});
