/**
 * Journey: a clinic manager opens Preflight on a desktop and on a phone. Every workspace fits the
 * screen (tables scroll inside their card, the navigation wraps), each tab says where it is, a
 * mistyped address says the page does not exist (its links to every workspace: NotFound.test.tsx),
 * and a new, empty project explains what each
 * workspace is for and offers the demo clinic; a process page fits on each of its analysis tabs,
 * its findings a list to work through and a simulation's result with its uncertain figures named.
 * axe-core finds nothing at either width, and finds each fault planted in a page of its own, naming
 * every element at fault.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import {
  type AxeViolation,
  axeViolations,
  launchBrowser,
  openApp,
  VIEWPORTS,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { editorTool } from './workflowCanvas.ts';

const WORKSPACES = [
  { hash: '#/workflows', heading: 'Workflows', title: 'Workflows' },
  { hash: '#/migration', heading: 'Migration', title: 'Migration' },
  { hash: '#/signoff', heading: 'Sign-off', title: 'Sign-off' },
  { hash: '#/readiness', heading: 'Readiness', title: 'Readiness' },
  { hash: '#/nonsense', heading: 'This page does not exist', title: 'Page not found' },
] as const;

/** A folder to write screenshots of the screens to, when set. */
const SHOTS = process.env.E2E_SCREENSHOTS;

let browser: Browser;
/**
 * The one page every check runs in, resized to each screen rather than opened again per screen: a
 * layout is the page's answer to its width, and a second app would load and seed the demo again.
 */
let app: Watched;

/** The page at the screen named in {@link VIEWPORTS}. */
async function appAt(name: string): Promise<Watched> {
  const screen = VIEWPORTS.find((v) => v.name === name);
  if (!screen) throw new Error(`no screen named ${name}`);
  const { width, height } = screen;
  const now = app.page.viewportSize();
  if (now?.width !== width || now?.height !== height) await app.page.setViewportSize({ width, height });
  return app;
}

/** How far the page scrolls sideways (0 when it fits the viewport). */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });

async function go(page: Page, hash: string, heading: string) {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
}

/** The step names cut on the editor's canvas (whole only in their title), and the smallest size of any. */
const cutNames = (page: Page) =>
  page.evaluate(() => {
    const labels = [...document.querySelectorAll('.wf-canvas .wf-step-label')];
    return {
      shown: labels.length,
      cut: labels
        .filter((label) => label.scrollHeight > label.clientHeight + 1)
        .map((label) => label.textContent ?? '')
        .sort(),
      smallest: Math.min(...labels.map((label) => Number.parseFloat(getComputedStyle(label).fontSize))),
    };
  });

async function expectNoAxeViolations(page: Page, where: string) {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  browser = await launchBrowser();
  const [{ width, height }] = VIEWPORTS;
  app = await openApp(await browser.newContext({ viewport: { width, height } }));
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
});

describe.each(VIEWPORTS)('on a $name screen ($width px)', ({ name, width }) => {
  it.each(WORKSPACES)(
    '$heading fits the screen, names the tab and passes axe',
    async ({ hash, heading, title }) => {
      const { page } = await appAt(name);
      await go(page, hash, heading);
      expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
      expect(await page.title()).toBe(`${title} · Demo clinic · Preflight`);
      // no developer notes or broken plurals in the demo clinic's words
      expect((await page.getByRole('main').textContent()) ?? '').not.toMatch(
        /Planted|samples\/README|React Flow|\b1 (mappings|sample plans|schemas|roles|extracts|columns|fields|steps|workflows)\b/,
      );
      await expectNoAxeViolations(page, `${heading} at ${width} px`);
    },
  );

  it('a wide table scrolls inside its own named region, not the page', async () => {
    const { page } = await appAt(name);
    await go(page, '#/migration', 'Migration');
    const region = page.getByRole('region', { name: 'Legacy extracts, scrollable' });
    await region.getByRole('table', { name: 'Legacy extracts' }).waitFor();
    const box = await region.boundingBox();
    expect(box?.width ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(width);
    // keyboard users can reach the region to scroll it
    await region.focus();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
      'Legacy extracts, scrollable',
    );
  });

  it.each(['#/migration', '#/signoff'])(
    'the captions of scrolling tables on %s are whole within their region',
    async (hash) => {
      const { page } = await appAt(name);
      await go(page, hash, hash === '#/signoff' ? 'Sign-off' : 'Migration');
      await page.locator('.table-scroll caption').first().waitFor();
      const cut = await page.evaluate(() =>
        [...document.querySelectorAll('.table-scroll')].flatMap((region) => {
          const caption = region.querySelector(':scope > table > caption');
          if (!caption) return [];
          const visible = region.getBoundingClientRect();
          const text = caption.getBoundingClientRect();
          // its words end within the region's visible width (the table may scroll beyond)
          const range = document.createRange();
          range.selectNodeContents(caption);
          const words = range.getBoundingClientRect();
          return words.right > visible.right + 1 || text.left < visible.left - 1
            ? [`${caption.textContent} (${Math.round(words.right)} > ${Math.round(visible.right)})`]
            : [];
        }),
      );
      expect(cut).toEqual([]);
    },
  );

  it('the editor takes the window: canvas, overview map and shortcuts line in view as a workflow opens', async () => {
    const { page } = await appAt(name);
    const height = VIEWPORTS.find((v) => v.name === name)?.height ?? 0;
    await go(page, '#/workflows', 'Workflows');
    await page.getByRole('link', { name: /^Open in editor\s*: Patient intake — current/ }).click();
    const minimap = page.locator('.wf-canvas .react-flow__minimap');
    await minimap.waitFor();
    const inView = async (
      what: string,
      box: { x: number; y: number; width: number; height: number } | null,
    ) => {
      expect(box, what).not.toBeNull();
      if (!box) return;
      expect(box.x, `${what} left`).toBeGreaterThanOrEqual(0);
      expect(box.y, `${what} top`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${what} right`).toBeLessThanOrEqual(width);
      expect(box.y + box.height, `${what} bottom`).toBeLessThanOrEqual(height);
    };
    await inView('the overview map', await minimap.boundingBox());
    await inView('the canvas', await page.getByRole('region', { name: 'Workflow diagram' }).boundingBox());
    if (name === 'desktop') {
      // nothing scrolled: the title, the toolbar and the shortcuts line are seen with the canvas
      await expect(page.evaluate(() => window.scrollY)).resolves.toBe(0);
      await inView('the shortcuts line', await page.locator('.wf-shortcuts > summary').boundingBox());
      // with both side panels shown (the details a card over the canvas's right edge) the diagram
      // takes at least 60 % of the window, and the card leaves it at least 45 % uncovered
      const area = (b: { width: number; height: number } | null) => (b?.width ?? 0) * (b?.height ?? 0);
      const shown = await page.getByRole('region', { name: 'Workflow diagram' }).boundingBox();
      const card = await page.getByRole('complementary', { name: 'Inspector' }).boundingBox();
      expect(area(shown) / (width * height)).toBeGreaterThanOrEqual(0.6);
      expect((area(shown) - area(card)) / (width * height)).toBeGreaterThanOrEqual(0.45);
      // step names take the lines their box holds, and a longer one is drawn smaller, whole (at
      // 10 px at the least): none is cut; before, the two that need a fourth line above a badge were
      expect(await cutNames(page)).toMatchObject({ cut: [], smallest: 10 });
      // with both hidden it takes at least 60 % still; the choice is remembered over a reload, and
      // both panels come back
      await page.getByRole('button', { name: 'Hide add steps' }).click();
      await page.getByRole('button', { name: 'Hide details' }).click();
      await page.reload();
      await page.getByRole('button', { name: 'Show details' }).waitFor();
      await minimap.waitFor();
      const canvas = await page.getByRole('region', { name: 'Workflow diagram' }).boundingBox();
      expect(((canvas?.width ?? 0) * (canvas?.height ?? 0)) / (width * height)).toBeGreaterThanOrEqual(0.6);
      await inView('the shortcuts line', await page.locator('.wf-shortcuts > summary').boundingBox());
      await page.getByRole('button', { name: 'Show add steps' }).click();
      await page.getByRole('button', { name: 'Show details' }).click();
      // whatever the status line says, it is seen whole without scrolling: at the narrowest window
      // with the details over the canvas the fitted views' words take two lines, and the canvas
      // gives them the room
      const status = page.locator('.wf-message[role="status"]');
      for (const [wide, tool, says] of [
        [width, 'Readable size', /^Showing where the workflow starts/],
        [1110, 'Zoom to fit', /^Showing the whole workflow; its labels are small/],
      ] as const) {
        await page.setViewportSize({ width: wide, height });
        await (await editorTool(page, tool)).click();
        await status.filter({ hasText: says }).waitFor();
        await page.evaluate(
          () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
        );
        await expect(page.evaluate(() => window.scrollY)).resolves.toBe(0);
        const line = await status.boundingBox();
        expect(line, `the status line at ${wide} px`).not.toBeNull();
        expect(
          (line?.y ?? 0) + (line?.height ?? 0),
          `the status line's bottom at ${wide} px`,
        ).toBeLessThanOrEqual(height);
      }
      await page.setViewportSize({ width, height });
    }
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/editor-fills-window-${width}.png` });
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
    // no name is cut on any of the demo's other workflows either: with the flows' words, below
  });

  it('a process page fits the screen on every analysis tab, its findings a list to work through', async () => {
    const { page } = await appAt(name);
    await go(page, '#/workflows/process/patient-intake/map', 'Patient intake');
    const analysis = page.getByRole('region', { name: 'Analysis of Patient intake' });
    for (const tab of [
      'Map',
      'Findings',
      'Today vs planned',
      'Training by role',
      'Go-live capacity',
      'Check settings',
    ]) {
      await analysis.getByRole('tab', { name: tab, exact: true }).click();
      await analysis.getByRole('tab', { name: tab, exact: true, selected: true }).waitFor();
      expect(await sidewaysScroll(page), tab).toBeLessThanOrEqual(0);
      await expectNoAxeViolations(page, `${tab} at ${width} px`);
      if (tab === 'Findings') {
        // before the findings were one line each: 4,100 px at 1440 and 10,753 px at 390
        await analysis
          .getByRole('heading', { level: 4, name: /^What Preflight found in Patient intake — future/ })
          .waitFor();
        const most = name === 'phone' ? 3_500 : 2_000;
        await expect(page.evaluate(() => document.documentElement.scrollHeight)).resolves.toBeLessThanOrEqual(
          most,
        );
      }
    }
    // a simulation of two runs per period: its result, uncertain figures named, fits too
    await analysis.getByRole('tab', { name: 'Go-live capacity' }).click();
    await analysis.getByLabel('Simulation runs per period').fill('2');
    await analysis.getByRole('button', { name: 'Run the simulation' }).click();
    const result = analysis.getByRole('region', { name: 'Simulation result' });
    await result.waitFor({ timeout: scaled(60_000) });
    const uncertain = result.getByRole('note', { name: 'Uncertain figures' });
    await expect(uncertain.locator('p').textContent()).resolves.toMatch(
      /uncertain: the runs disagree too much to plan on .* more runs per period/,
    );
    for (const item of await uncertain.getByRole('listitem').allTextContents())
      expect(item).toMatch(/^.+: anywhere from \d[\d,.]*( min| %)? to \d[\d,.]*( min| %)?$|^and \d+ more$/);
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page, `the simulation result at ${width} px`);
  });

  it('the file picker fits its card', async () => {
    const { page } = await appAt(name);
    await go(page, '#/migration', 'Migration');
    const card = page.getByRole('region', { name: 'Fingerprint a file (SHA-256)' });
    const picker = page.getByLabel('File to fingerprint');
    const [cardBox, pickerBox] = [await card.boundingBox(), await picker.boundingBox()];
    expect(cardBox && pickerBox).toBeTruthy();
    if (!cardBox || !pickerBox) return;
    expect(pickerBox.x + pickerBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
  });
});

/** The demo clinic's workflows, by the address of their editor. */
const DEMO_WORKFLOWS = [
  'lab-results-current',
  'lab-results-future',
  'patient-intake-current',
  'patient-intake-future',
  'prescription-refill-current',
  'prescription-refill-future',
  'referral-processing-current',
  'referral-processing-future',
] as const;

/**
 * In the page: every flow's words on the diagram that lie on a step, a finding mark, a name
 * under a shape or another flow's words, as the browser drew them (boxes on screen: the view's
 * zoom scales them all alike).
 */
function flowLabelOverlaps(): string[] {
  const canvas = document.querySelector('.wf-canvas .react-flow') as HTMLElement;
  const boxes = (selector: string, text: (e: Element) => string) =>
    [...canvas.querySelectorAll(selector)].map((e) => {
      let box = e.getBoundingClientRect();
      if (e.classList.contains('wf-step-caption')) {
        // a name's words, not its 150 px wide box
        const range = document.createRange();
        range.selectNodeContents(e);
        box = range.getBoundingClientRect();
      }
      return { what: text(e).slice(0, 50), box };
    });
  const labels = boxes('.react-flow__edge-textwrapper', (e) => `"${e.textContent}"`);
  const drawn = [
    ...boxes('.react-flow__node-step', (e) => `step ${e.getAttribute('aria-label')}`),
    ...boxes('.wf-finding-mark', (e) => `mark ${e.textContent}`),
    ...boxes('.wf-step-caption', (e) => `name ${e.textContent}`),
  ];
  const meet = (a: DOMRect, b: DOMRect) =>
    a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  return labels.flatMap((label, i) =>
    [...drawn, ...labels.slice(i + 1)]
      .filter((other) => meet(label.box, other.box))
      .map((other) => `${label.what} on ${other.what}`),
  );
}

describe("a flow's words and the steps' names on the canvas", () => {
  it.each(DEMO_WORKFLOWS)('lie on no step, mark, name or other words, no name cut, in %s', async (id) => {
    const { page } = await appAt('desktop');
    // from the list, so the canvas read below is this workflow's, not the one open before
    await go(page, '#/workflows', 'Workflows');
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, `#/workflows/workflow/${id}`);
    // routed by the layout worker (a flow no route fits stays plain), and the findings marked
    // (every demo has some)
    await page.locator('.wf-canvas .react-flow[data-flow-routes="current"]').waitFor();
    await page.locator('.wf-canvas .wf-finding-mark').first().waitFor();
    await expect(page.locator('.wf-canvas .react-flow__edge-textwrapper').count()).resolves.toBeGreaterThan(
      2,
    );
    // React Flow draws the edges a commit after the nodes: the words settle where they go, and
    // stay there the frames after
    await expect.poll(() => page.evaluate(flowLabelOverlaps)).toEqual([]);
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    await expect(page.evaluate(flowLabelOverlaps)).resolves.toEqual([]);
    // step names take the lines their box holds, a longer one drawn smaller (10 px at the least)
    const names = await cutNames(page);
    expect(names.shown).toBeGreaterThan(0);
    expect(names.cut).toEqual([]);
    expect(names.smallest).toBeGreaterThanOrEqual(10);
  });
});

describe('a new project is not a dead end', () => {
  const EMPTY = [
    {
      hash: '#/workflows',
      heading: 'Workflows',
      says: /No workflows in this project yet\. Here you will draw/,
    },
    {
      hash: '#/migration',
      heading: 'Migration',
      says: /No legacy extracts in this project yet\. Here you will check/,
    },
    {
      hash: '#/signoff',
      heading: 'Sign-off',
      says: /No sample plans in this project yet\. Here clinicians will check/,
    },
    { hash: '#/readiness', heading: 'Readiness', says: /This project holds nothing yet/ },
  ] as const;

  it.each(VIEWPORTS)(
    'each empty workspace says what it is for and offers the demo clinic ($width px)',
    async ({ name, width }) => {
      const { page } = await appAt(name);
      await page.getByRole('button', { name: 'New project' }).click();
      const dialog = page.getByRole('dialog', { name: 'New project' });
      await dialog.getByLabel('Project name').fill(`Empty clinic ${name}`);
      await dialog.getByRole('button', { name: 'Create project' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Project “Empty clinic ${name}” created.` })
        .waitFor();
      for (const { hash, heading, says } of EMPTY) {
        await go(page, hash, heading);
        await expect(page.getByRole('main').getByText(says).isVisible()).resolves.toBe(true);
        await expect(page.getByRole('button', { name: 'Open the demo clinic' }).isVisible()).resolves.toBe(
          true,
        );
        expect(await page.title()).toBe(`${heading} · Empty clinic ${name} · Preflight`);
        expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
        await expectNoAxeViolations(page, `empty ${heading} at ${width} px`);
      }
    },
  );

  it('"Open the demo clinic" switches to the demo and shows its content', async () => {
    const { page } = await appAt('phone');
    await go(page, '#/signoff', 'Sign-off');
    await page.getByRole('button', { name: 'Open the demo clinic' }).click();
    await page.getByText('Highest error rate accepted (%)').first().waitFor();
    const selected = await page
      .getByLabel('Project', { exact: true })
      .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text);
    expect(selected).toBe('Demo clinic');
    // switched, not rebuilt: still one demo clinic
    const names = await page
      .getByLabel('Project', { exact: true })
      .evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text).sort());
    expect(names).toEqual(['Demo clinic', 'Empty clinic desktop', 'Empty clinic phone']);
    await expect(page.getByRole('button', { name: 'Open the demo clinic' }).count()).resolves.toBe(0);
  });

  it('rebuilds the demo clinic from the samples after it was deleted', async () => {
    const { page } = await appAt('desktop');
    const select = page.getByLabel('Project', { exact: true });
    const demoId = await select
      .locator('option', { hasText: 'Demo clinic' })
      .evaluate((el) => (el as HTMLOptionElement).value);
    await select.selectOption(demoId);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete project?' })
      .getByRole('button', { name: 'Delete project' })
      .click();
    await page.getByRole('status').filter({ hasText: 'deleted' }).waitFor();
    await go(page, '#/workflows', 'Workflows');
    await page.getByRole('button', { name: 'Open the demo clinic' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'The demo clinic was added to your projects' })
      .waitFor();
    await page
      .getByRole('heading', { level: 3, name: /intake/i })
      .first()
      .waitFor();
  });
});

/**
 * A page with an accessibility fault of each kind the checks above must catch: text too faint,
 * inside the region and outside it, an image with no text, a button with no name, content outside
 * every landmark.
 */
const PLANTED = `<!doctype html><html lang="en"><head><title>Planted faults</title>
<style>.faint { color: #aaa; background: #fff; }</style></head><body>
<main><h1>Planted faults</h1>
<p class="faint" id="faint-outside">Faint text outside the region</p>
<section aria-label="Planted region" id="planted">
<p class="faint">Faint text</p>
<p><span class="faint">Faint again</span></p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<button type="button"></button>
</section></main>
<p>Outside every landmark</p>
</body></html>`;

describe('the axe check itself', () => {
  it('reports every planted fault with each of its elements, on the page and in a region', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.setContent(PLANTED);
    const region = page.getByRole('region', { name: 'Planted region' });
    const faults = (violations: AxeViolation[]) => violations.map(({ id, nodes }) => ({ id, nodes }));
    expect(faults(await axeViolations(page))).toEqual([
      { id: 'button-name', nodes: ['button'] },
      { id: 'color-contrast', nodes: ['#faint-outside', '#planted > .faint', 'span'] },
      { id: 'image-alt', nodes: ['img'] },
      { id: 'region', nodes: ['body > p'] },
    ]);
    // the region's own faults only, each of its elements named
    expect(faults(await axeRegionViolations(region))).toEqual([
      { id: 'button-name', nodes: ['button'] },
      { id: 'color-contrast', nodes: ['#planted > .faint', 'span'] },
      { id: 'image-alt', nodes: ['img'] },
    ]);
    await context.close();
  });
});

describe('the whole run', () => {
  it('printed nothing to the console and broke no CSP rule', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
