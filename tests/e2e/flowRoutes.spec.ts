/**
 * Journey: an analyst opens the demo clinic's current intake, arranges it automatically, and sees
 * the flows drawn around the steps: each flow with a route is an orthogonal line on the canvas
 * whose path passes through no step's box (read from the rendered paths and nodes); a reload draws
 * the same routes again; a step moved by hand has its flows drawn directly until the next
 * arrangement, and the other routes stay. Undo and Redo of the arrangement draw the routes of the
 * positions they go back to. A workflow of more than 300 steps, plain after a reload, is routed by
 * "Arrange automatically" even when its steps are already arranged. No console message, no CSP
 * violation, axe clean.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/formats/workflow.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

let context: BrowserContext;
let app: Watched;
let close: () => Promise<void>;

beforeAll(async () => {
  const browser = await launchBrowser();
  close = () => browser.close();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  app = await openApp(context, '#/workflows/workflow/patient-intake-current');
});

afterAll(async () => {
  await close?.();
});

interface Picture {
  /** each routed flow's points, from its rendered path (canvas units) */
  routes: { name: string; points: { x: number; y: number }[] }[];
  boxes: { name: string; x: number; y: number; width: number; height: number }[];
  flows: number;
}

/** Reads the routed flows' paths and the steps' boxes as the canvas rendered them. */
function readPicture(page: Page): Promise<Picture> {
  return page.evaluate(() => {
    const routes = [
      ...document.querySelectorAll('.react-flow__edge-routed, .react-flow__edge-marked'),
    ].flatMap((edge) => {
      const d = edge.querySelector('path.react-flow__edge-path')?.getAttribute('d') ?? '';
      // a route is drawn as straight segments only (M … L …); React Flow's own edge has curves
      if (!/^M[\d.\- ]+(L[\d.\- ]+)+$/.test(d.trim())) return [];
      const points = [...d.matchAll(/[ML]\s*(-?[\d.]+)[ ,](-?[\d.]+)/g)].map((m) => ({
        x: Number(m[1]),
        y: Number(m[2]),
      }));
      return [{ name: edge.getAttribute('aria-label') ?? '', points }];
    });
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node-step')].map((node) => {
      const match = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(node.style.transform);
      return {
        name: node.getAttribute('aria-label') ?? '',
        x: Number(match?.[1]),
        y: Number(match?.[2]),
        width: node.offsetWidth,
        height: node.offsetHeight,
      };
    });
    return { routes, boxes, flows: document.querySelectorAll('.react-flow__edge.wf-flow').length };
  });
}

/** Steps whose box the route's segments enter (sampled every 2 units along each segment). */
function crossed(points: { x: number; y: number }[], boxes: Picture['boxes']): string[] {
  const hit = new Set<string>();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i] as { x: number; y: number };
    const b = points[i + 1] as { x: number; y: number };
    const length = Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
    for (let d = 0; d <= length; d += 2) {
      const t = length === 0 ? 0 : d / length;
      const p = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
      for (const s of boxes)
        if (p.x > s.x + 1 && p.x < s.x + s.width - 1 && p.y > s.y + 1 && p.y < s.y + s.height - 1)
          hit.add(s.name);
    }
  }
  return [...hit];
}

async function expectRoutedAroundSteps(page: Page): Promise<number> {
  // routes arrive from the layout worker: the canvas says when they are of the picture shown
  await page.locator('.react-flow[data-flow-routes="current"]').waitFor();
  // and React Flow has drawn them (its edges follow the canvas's props a commit later)
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.react-flow__edge-routed, .react-flow__edge-marked').length >=
      document.querySelectorAll('.react-flow__edge.wf-flow').length - 2,
  );
  const picture = await readPicture(page);
  expect(picture.boxes.length).toBeGreaterThan(10);
  expect(picture.routes.length).toBeGreaterThanOrEqual(picture.flows - 2);
  for (const route of picture.routes) {
    expect(crossed(route.points, picture.boxes), route.name).toEqual([]);
    for (let i = 0; i + 1 < route.points.length; i++) {
      const a = route.points[i] as { x: number; y: number };
      const b = route.points[i + 1] as { x: number; y: number };
      expect(Math.abs(a.x - b.x) < 0.5 || Math.abs(a.y - b.y) < 0.5, `${route.name}: segment ${i}`).toBe(
        true,
      );
    }
  }
  return picture.routes.length;
}

/** The routed flows' points, once the routes are of the picture shown and React Flow drew `count`. */
async function routesShown(page: Page, count?: number): Promise<Picture['routes']> {
  await page.locator('.react-flow[data-flow-routes="current"]').waitFor();
  if (count !== undefined)
    await page.waitForFunction(
      (n) => document.querySelectorAll('.react-flow__edge-routed, .react-flow__edge-marked').length === n,
      count,
    );
  return (await readPicture(page)).routes;
}

/** The points of each routed flow, by the flow's name (their order on the canvas aside). */
const byName = (routes: Picture['routes']) =>
  Object.fromEntries(routes.map((r) => [r.name, r.points] as const).sort(([a], [b]) => a.localeCompare(b)));

let asOpened: Picture['routes'];
let asArranged: Picture['routes'];

describe('flows routed around steps', () => {
  it('after "Arrange automatically", every routed flow goes around the steps', async () => {
    const { page } = app;
    asOpened = await routesShown(page);
    expect(asOpened.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Arrange automatically' }).click();
    await page.getByText(/^Arranged the workflow: moved/).waitFor();
    await waitForSaved(page);
    const routed = await expectRoutedAroundSteps(page);
    expect(routed).toBeGreaterThan(15);
    asArranged = (await readPicture(page)).routes;
    expect(await axeViolations(page)).toEqual([]);
  });

  it('Undo draws the routes of the positions it goes back to, and Redo those of the arrangement', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Undo' }).click();
    await waitForSaved(page);
    expect(byName(await routesShown(page, asOpened.length))).toEqual(byName(asOpened));
    await page.getByRole('button', { name: 'Redo' }).click();
    await waitForSaved(page);
    expect(byName(await routesShown(page, asArranged.length))).toEqual(byName(asArranged));
  });

  it('a reload draws the same routes', async () => {
    const { page } = app;
    const before = await readPicture(page);
    await page.reload();
    await page.locator('.react-flow__node-step').first().waitFor();
    await expectRoutedAroundSteps(page);
    const after = await readPicture(page);
    expect(after.routes.map((r) => r.points)).toEqual(before.routes.map((r) => r.points));
  });

  it('moving a step draws its flows directly, and keeps the other routes', async () => {
    const { page } = app;
    const before = await readPicture(page);
    const label = 'Check in at desk, hand out intake clipboard';
    const touching = (name: string) =>
      name.startsWith(`Flow from ${label} `) || name.includes(` to ${label}`);
    expect(before.routes.filter((r) => touching(r.name)).length).toBeGreaterThan(0);
    await page.locator(`.react-flow__node-step[aria-label^="Task: ${label},"]`).click();
    await page.keyboard.press('ArrowRight');
    await waitForSaved(page);
    await page.waitForFunction(
      (count) =>
        document.querySelectorAll('.react-flow__edge-routed, .react-flow__edge-marked').length < count,
      before.routes.length,
    );
    const after = await readPicture(page);
    expect(after.routes.filter((r) => touching(r.name))).toEqual([]);
    expect(after.routes.length).toBeGreaterThan(10);
    for (const route of after.routes) expect(crossed(route.points, after.boxes), route.name).toEqual([]);
  });

  it('above 300 steps, "Arrange automatically" routes the flows, also when the steps are already arranged', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await page.getByLabel('Import a workflow file (preflight.workflow/v1 JSON)').setInputFiles({
      name: 'long.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(LONG)),
    });
    await page.getByRole('heading', { level: 2, name: LONG.name }).waitFor();
    const arrange = page.getByRole('button', { name: 'Arrange automatically' });
    await arrange.click();
    await page.getByText(/^Arranged the workflow: moved/).waitFor();
    await waitForSaved(page);
    expect((await routesShown(page)).length).toBeGreaterThan(0);
    // opening a workflow this large does not route it: after a reload its flows are plain
    await page.reload();
    await page.locator('.react-flow__node-step').first().waitFor();
    await expect(page.locator('.react-flow').getAttribute('data-flow-routes')).resolves.toBe('pending');
    await arrange.click();
    await page.getByText('The steps are already arranged.').waitFor();
    expect((await routesShown(page)).length).toBeGreaterThan(0);
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});

/** Steps in one chain across two lanes, one more than the canvas routes on opening. */
const LONG_STEPS = 301;
const LONG: Workflow = {
  format: 'preflight.workflow/v1',
  id: 'long-chain',
  name: 'Long chain of steps',
  state: 'current',
  arrivalsPerHour: 2,
  casesPerDay: 14,
  lanes: [
    { id: 'desk', name: 'Front desk', staff: 1 },
    { id: 'nurse', name: 'Nurse', staff: 1 },
  ],
  steps: Array.from({ length: LONG_STEPS }, (_, i) => ({
    id: `s${i}`,
    label: `Step ${i}`,
    lane: i % 2 === 0 ? 'desk' : 'nurse',
    kind: i === 0 ? 'start' : i === LONG_STEPS - 1 ? 'end' : 'task',
    medium: 'digital',
    system: 'EHR',
    touchMin: 1,
    waitMin: 0,
    clicks: 2,
    enters: [],
    position: { x: 40, y: 40 },
  })),
  flows: Array.from({ length: LONG_STEPS - 1 }, (_, i) => ({
    from: `s${i}`,
    to: `s${i + 1}`,
    transfer: 'none' as const,
  })),
};
