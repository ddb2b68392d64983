/**
 * Journey: an analyst arranges the demo's current intake, downloads its diagram as SVG and PNG,
 * then looks at the process page's map and the printable process document. Every picture draws the
 * flows along the routes the canvas draws: in the downloaded SVG file (read back as geometry by
 * tests/fixtures/diagramSvgGeometry.ts) each routed flow is an orthogonal polyline from one step's
 * side to another's that enters no step's box, the routed paths are exactly the canvas's, and the
 * file's description says how many flows are drawn plainly; the process page's map and the
 * document's map (on screen and in its print slices) likewise, the document's caption saying the
 * count. Every "re-keyed" word of the marked hand copies can be read whole in the SVG, nothing drawn
 * over it. No console message, no CSP violation, axe clean.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawnFlows, routedFlowProblem, stepShapes, svgDescription } from '../fixtures/diagramSvgGeometry.ts';
import { axeViolations, baseUrl, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { editorTool } from './workflowCanvas.ts';

const TODAY = 'Patient intake — current (paper clipboard)';

let browser: Browser;
let app: Watched;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-diagram-routes-'));
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  app = await openApp(context, '#/workflows/workflow/patient-intake-current');
});

afterAll(async () => {
  await browser?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Checks a diagram's SVG text: routed flows go around the steps; returns the routed paths and the plain count. */
function expectRoutedDiagram(svg: string, steps: number): { routed: string[]; plain: number } {
  const shapes = stepShapes(svg);
  expect(shapes).toHaveLength(steps);
  const flows = drawnFlows(svg);
  for (const flow of flows.filter((f) => f.kind === 'routed'))
    expect(routedFlowProblem(flow, shapes)).toBeNull();
  const routed = flows
    .filter((f) => f.kind === 'routed')
    .map((f) => f.points.map((p) => `${p.x},${p.y}`).join(' '));
  const plain = flows.length - routed.length;
  const description = svgDescription(svg);
  if (plain === 0) expect(description).toBe(`Every flow (${flows.length}) is drawn around the steps.`);
  else expect(description).toContain(`${plain} of ${flows.length} flows`);
  return { routed: routed.sort(), plain };
}

/** The SVG text of an <img> drawn from a data: URL. */
async function imageSvg(image: Locator): Promise<string> {
  const src = (await image.getAttribute('src')) ?? '';
  expect(src.startsWith('data:image/svg+xml')).toBe(true);
  return decodeURIComponent(src.slice(src.indexOf(',') + 1));
}

/** The canvas's routed flows' points, as React Flow drew them. */
function canvasRoutes(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.react-flow__edge-routed, .react-flow__edge-marked')]
      .map((edge) => edge.querySelector('path.react-flow__edge-path')?.getAttribute('d')?.trim() ?? '')
      .filter((d) => /^M[\d.\- ]+(L[\d.\- ]+)+$/.test(d))
      .map((d) => [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => `${m[1]},${m[2]}`).join(' '))
      .sort(),
  );
}

let steps = 0;
let canvas: string[] = [];
/** the SVG file downloaded after the arrangement */
let downloadedSvg = '';

describe('exported and printed diagrams draw the canvas routes', () => {
  it('the downloaded SVG draws the routes the canvas draws after an arrangement', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Arrange automatically' }).click();
    await page.getByText(/^Arranged the workflow: moved/).waitFor();
    await waitForSaved(page);
    await page.locator('.react-flow[data-flow-routes="current"]').waitFor();
    steps = await page.locator('.react-flow__node-step').count();
    const flows = await page.locator('.react-flow__edge.wf-flow').count();
    // React Flow draws the routes a commit after the canvas has them
    await page.waitForFunction(
      (n) => document.querySelectorAll('.react-flow__edge-routed, .react-flow__edge-marked').length >= n,
      flows - 2,
    );
    canvas = await canvasRoutes(page);
    expect(canvas.length).toBeGreaterThan(15);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      editorTool(page, 'Download SVG').then((tool) => tool.click()),
    ]);
    const file = join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    const svg = await readFile(file, 'utf8');
    downloadedSvg = svg;
    const { routed, plain } = expectRoutedDiagram(svg, steps);
    expect(routed).toEqual(canvas);
    expect(plain).toBe(flows - canvas.length);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the SVG shows every "re-keyed" word of the hand copies whole, on short flows too', async () => {
    // the hand copies are marked (the marks are on), and some run between neighbouring steps
    expect(downloadedSvg).toContain('class="finding-mark ');
    const blank = await app.page.context().newPage();
    try {
      await blank.setContent(`<!doctype html><body style="margin:0">${downloadedSvg}</body>`);
      const words = await blank.evaluate(() => {
        const texts = [...document.querySelectorAll('svg text')].filter((t) =>
          t.textContent?.endsWith('re-keyed'),
        );
        return texts.map((text) => {
          // hit-testing sees the window only
          text.scrollIntoView({ block: 'center', inline: 'center' });
          const box = text.getBoundingClientRect();
          // across the word, at mid height: each point is the word's own text, nothing drawn over it
          const covered = [0.08, 0.3, 0.5, 0.7, 0.92].flatMap((share) => {
            const hit = document.elementFromPoint(box.left + box.width * share, box.top + box.height / 2);
            return hit === text ? [] : [`${share}: ${hit?.tagName ?? 'nothing'}`];
          });
          return { word: text.textContent, covered, width: Math.round(box.width) };
        });
      });
      expect(words.length).toBeGreaterThanOrEqual(3);
      for (const w of words) expect(w.covered, JSON.stringify(w)).toEqual([]);
    } finally {
      await blank.close();
    }
  });

  it('the PNG is made from the same routed drawing', async () => {
    const { page } = app;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      editorTool(page, 'Download PNG').then((tool) => tool.click()),
    ]);
    const file = join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    const png = await readFile(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  });

  it("the process page's map draws the same routes, and says how many flows are plain", async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows/process/patient-intake/map`);
    const picture = page.locator('img.wf-map-picture[data-flow-routes="current"]').filter({
      has: page.locator(`xpath=self::*[starts-with(@alt, "Diagram of ${TODAY}")]`),
    });
    await picture.waitFor();
    const { routed, plain } = expectRoutedDiagram(await imageSvg(picture), steps);
    expect(routed).toEqual(canvas);
    const alt = (await picture.getAttribute('alt')) ?? '';
    expect(alt).toContain(plain === 0 ? 'is drawn around the steps' : `${plain} of `);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the printable document draws them on screen and on its map pages, its caption saying the count', async () => {
    const { page } = app;
    await page.goto(`${baseUrl()}#/workflows/document/patient-intake`);
    const figure = page.locator('figure.doc-map[data-flow-routes="current"]').filter({
      has: page.getByRole('region', { name: `Diagram of ${TODAY}` }),
    });
    await figure.waitFor();
    const { routed, plain } = expectRoutedDiagram(
      await imageSvg(figure.locator('.doc-map-screen img')),
      steps,
    );
    expect(routed).toEqual(canvas);
    await expect(figure.locator('figcaption').textContent()).resolves.toContain(
      plain === 0 ? 'is drawn around the steps' : `${plain} of `,
    );
    // the map's landscape pages print after its workflow's tables, each titled with its name
    const slices = page
      .locator('.doc-map-print')
      .filter({ has: page.locator('.doc-map-title', { hasText: TODAY }) })
      .locator('img');
    expect(await slices.count()).toBeGreaterThan(0);
    for (const slice of await slices.all()) {
      const svg = await imageSvg(slice);
      expect(drawnFlows(svg).some((f) => f.kind === 'routed')).toBe(true);
      expect(svgDescription(svg)).toBe(svgDescription(await imageSvg(figure.locator('.doc-map-screen img'))));
    }
    expect(await axeViolations(page)).toEqual([]);
  });

  it('printed nothing to the console and violated no CSP', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
