/**
 * The layout worker (elkjs) and the BPMN worker run in the production build under the production
 * CSP (no eval, workers from 'self' only) without a single violation or console message.
 *
 * The editor that will call them is not built yet, so a test-only page (tests/e2e/harness/) is
 * built with the app's own Vite config — same plugins, worker format, CSP meta tag — and served
 * by `vite preview` with the app's security headers, as `npm start` serves dist/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowLayout } from '../../src/core/workflow/layout/index.ts';
import type { Workflow } from '../../src/formats/workflow.ts';
import { generatedWorkflow } from '../bench/workflowFixtures.ts';
import { miwgBytes } from '../fixtures/miwg.ts';
import type { WorkflowWorkersHarness } from './harness/workflowWorkers.ts';
import { type HarnessPage, openHarnessPage } from './harnessPage.ts';

const HARNESS = 'tests/e2e/harness/workflowWorkers.html';

let harness: HarnessPage;
let page: Page;
let consoleMessages: string[];
let cspViolations: string[];

type Harness = { workflowWorkers: WorkflowWorkersHarness };

beforeAll(async () => {
  harness = await openHarnessPage(HARNESS);
  ({ page, consoleMessages, cspViolations } = harness);
}, 170_000);

afterAll(async () => {
  await harness?.close();
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
