/**
 * Journey: an analyst opens the demo clinic's current intake in the editor, adds a role and a
 * step with the keyboard only, fills in the step's attributes in the inspector, types a negative
 * time and is told so where it is, undoes and redoes, reloads and finds the edit kept, and
 * downloads the workflow as JSON that the format's loader accepts. The editor passes axe-core,
 * prints nothing to the console and violates no Content-Security-Policy directive.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/formats/workflow.ts';
import { axeViolations, launchPersistent, openApp, type Watched, waitForSaved } from './browser.ts';
import { zoomOutToSeeAll } from './workflowCanvas.ts';

const WORKFLOW_NAME = 'Patient intake — current (paper clipboard)';
const LAB_CURRENT_NAME = JSON.parse(readFileSync('samples/workflows/lab-results.current.json', 'utf8'))
  .name as string;
const SCREENSHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let work: string;
let context: BrowserContext;
let app: Watched;
const earlierConsole: string[] = [];
const earlierCsp: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'preflight-editor-'));
  context = await launchPersistent(join(work, 'profile'));
  app = await openApp(context, '#/workflows');
});

afterAll(async () => {
  await context?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Presses keys one by one (the journey uses the keyboard only from here on). */
async function press(page: Page, ...keys: string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key);
}

/**
 * Opening the inspector moves focus to its first field one frame after it renders. A test that
 * focuses another field first waits for that move, or the late move takes the focus (and the
 * keys typed next) away from the field it chose.
 */
async function inspectorFocused(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.closest('[aria-label="Inspector"]') !== null))
    .toBe(true);
}

/** Moves keyboard focus with Tab until the focused element matches, like a keyboard user would. */
async function tabTo(page: Page, accessibleName: RegExp, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.getAttribute('aria-label');
      if (labelled) return labelled;
      const id = el.id;
      const label = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
      return (label?.textContent ?? el.closest('label')?.textContent ?? el.textContent ?? '').trim();
    });
    if (accessibleName.test(name)) return;
  }
  throw new Error(`Tab never reached ${accessibleName}`);
}

/** The accessible name of a workflow's "Open in editor" link (the name is read after it). */
function openName(workflowName: string): RegExp {
  return new RegExp(`^Open in editor\\s*: ${workflowName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * A step on the canvas by its name. A name that ends (`$`) may still be followed by what the
 * findings marks add to it ("; findings: 1 warning"): an edit can give a step findings.
 */
const stepNode = (page: Page, name: RegExp) =>
  page.getByRole('group', { name: new RegExp(name.source.replace(/\$$/, '(?:; findings: [^;]*)?$')) });

describe('workflow editor', () => {
  it('opens a demo workflow on the swimlane canvas, accessible', async () => {
    const { page } = app;
    await page.getByRole('link', { name: openName(WORKFLOW_NAME) }).click();
    await page.getByRole('heading', { level: 2, name: WORKFLOW_NAME }).waitFor();
    await page.getByRole('region', { name: 'Workflow diagram' }).waitFor();
    // lanes show their role and staff; paper steps say so in words, not colour alone
    await expect(page.getByRole('button', { name: /^Front desk\s*, 3 on shift$/ }).isVisible()).resolves.toBe(
      true,
    );
    await stepNode(page, /^Start: Patient arrives/).waitFor();
    expect(await page.getByRole('group', { name: /, on paper$/ }).count()).toBeGreaterThan(3);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('adds a lane and a step with the keyboard only', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).focus();
    await tabTo(page, /^Role name/);
    await page.keyboard.type('Triage nurse');
    await press(page, 'Tab', 'Control+A');
    await page.keyboard.type('2');
    await press(page, 'Enter');
    await page.getByRole('status').filter({ hasText: 'Added lane “Triage nurse”.' }).waitFor();
    await expect(
      page.getByRole('button', { name: /^Triage nurse\s*, 2 on shift$/ }).isVisible(),
    ).resolves.toBe(true);

    await page.getByRole('button', { name: 'Back to workflows' }).focus();
    await tabTo(page, /^Task$/);
    await press(page, 'Space');
    await tabTo(page, /^Lane/);
    // a closed select follows typed letters
    await page.keyboard.type('Triage');
    await press(page, 'Tab');
    await page.keyboard.type('Call patient back');
    await press(page, 'Enter');
    await page
      .getByRole('status')
      .filter({ hasText: 'Added task “Call patient back” to Triage nurse.' })
      .waitFor();
    await stepNode(page, /^Task: Call patient back, Triage nurse$/).waitFor();
    // the new step is selected: the inspector shows it
    await page.getByRole('heading', { level: 3, name: 'Task: Call patient back' }).waitFor();
  });

  it('sets attributes in the inspector and shows a negative time where it is typed', async () => {
    const { page } = app;
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByLabel('Medium (how the step is done)').focus();
    await page.keyboard.type('Phone');
    await stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/).waitFor();

    const system = inspector.getByLabel('System', { exact: true });
    await system.focus();
    await page.keyboard.type('Phone system');

    const touch = inspector.getByLabel('Touch time (minutes)');
    await touch.focus();
    await press(page, 'Control+A');
    await page.keyboard.type('-3');
    await expect(touch.getAttribute('aria-invalid')).resolves.toBe('true');
    await inspector.getByText('Cannot be negative: enter 0 or more minutes.').waitFor();
    // what was typed stays, never silently fixed
    await expect(touch.inputValue()).resolves.toBe('-3');
    expect(await axeViolations(page)).toEqual([]);
    await press(page, 'Control+A');
    await page.keyboard.type('4');
    await expect(touch.getAttribute('aria-invalid')).resolves.toBeNull();

    await inspector.getByLabel('Add a data item to data entered').focus();
    await page.keyboard.type('callback number');
    await press(page, 'Enter');
    await inspector.getByRole('button', { name: 'Remove callback number' }).waitFor();

    // connecting needs no mouse either
    await inspector.getByLabel('Connect to step').focus();
    await page.keyboard.type('Visit closed');
    await press(page, 'Tab', 'Enter');
    await page
      .getByRole('group', { name: 'Flow from Call patient back to Visit closed and billed' })
      .waitFor();
    await inspector.getByRole('button', { name: 'to Visit closed and billed' }).waitFor();
  });

  it('undoes and redoes with the buttons and the keyboard', async () => {
    const { page } = app;
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    const undo = page.getByRole('button', { name: 'Undo' });
    const redo = page.getByRole('button', { name: 'Redo' });
    const flow = page.getByRole('group', { name: 'Flow from Call patient back to Visit closed and billed' });
    await undo.focus();
    await press(page, 'Enter');
    await expect(flow.count()).resolves.toBe(0);
    await press(page, 'Enter');
    await expect(inspector.getByRole('button', { name: 'Remove callback number' }).count()).resolves.toBe(0);
    await redo.focus();
    await press(page, 'Enter', 'Enter');
    await inspector.getByRole('button', { name: 'Remove callback number' }).waitFor();
    await flow.waitFor();
    // Ctrl+Z on the canvas: the whole typed touch time is one undo step back to 0, then forward again
    await stepNode(page, /^Task: Call patient back/).focus();
    await press(page, 'Control+Z', 'Control+Z', 'Control+Z');
    await expect(inspector.getByLabel('Touch time (minutes)').inputValue()).resolves.toBe('0');
    await press(page, 'Control+Shift+Z', 'Control+Shift+Z', 'Control+Shift+Z');
    await flow.waitFor();
    await expect(inspector.getByLabel('Touch time (minutes)').inputValue()).resolves.toBe('4');
    await inspector.getByRole('button', { name: 'Remove callback number' }).waitFor();
  });

  it('keeps the edit after a reload', async () => {
    const { page } = app;
    await waitForSaved(page);
    earlierConsole.push(...app.console);
    earlierCsp.push(...app.cspViolations);
    app.console.length = 0;
    app.cspViolations.length = 0;
    await page.reload();
    await page.getByRole('heading', { level: 2, name: WORKFLOW_NAME }).waitFor();
    const node = stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/);
    await node.focus();
    await press(page, 'Enter');
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByLabel('Label').inputValue()).resolves.toBe('Call patient back');
    await expect
      .poll(() => inspector.getByLabel('Label').evaluate((el) => el === document.activeElement))
      .toBe(true);
    await expect(inspector.getByLabel('Touch time (minutes)').inputValue()).resolves.toBe('4');
    await expect(inspector.getByLabel('System', { exact: true }).inputValue()).resolves.toBe('Phone system');
  });

  it('moves the focused step with the arrow keys, into the lane above', async () => {
    const { page } = app;
    const node = stepNode(page, /^Task: Call patient back/);
    await node.focus();
    await press(page, 'Shift+ArrowUp');
    await stepNode(page, /^Task: Call patient back, Billing, by phone$/).waitFor();
    await press(page, 'Control+Z');
    await stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/).waitFor();
  });

  it('copies, pastes and undoes the paste with the keyboard', async () => {
    const { page } = app;
    await stepNode(page, /^Task: Call patient back/).focus();
    await press(page, 'Control+C', 'Control+V');
    await expect
      .poll(() => page.getByRole('group', { name: /^Task: Call patient back, Triage nurse/ }).count())
      .toBe(2);
    await press(page, 'Control+Z');
    await expect
      .poll(() => page.getByRole('group', { name: /^Task: Call patient back, Triage nurse/ }).count())
      .toBe(1);
  });

  it('shows branch probabilities that do not add up on the flow, and still saves the draft', async () => {
    const { page } = app;
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await page.getByRole('group', { name: /^Flow from Eligibility verified\? to Room patient/ }).focus();
    await press(page, 'Enter');
    await inspector
      .getByRole('heading', { name: 'Flow from Eligibility verified? to Room patient' })
      .waitFor();
    await inspectorFocused(page);
    const probability = inspector.getByLabel('Branch probability (0 to 1)');
    await probability.focus();
    await press(page, 'Control+A');
    await page.keyboard.type('0.5');
    await expect(probability.getAttribute('aria-invalid')).resolves.toBe('true');
    await inspector
      .getByText('The branches leaving this step add up to 65 %; they must add up to 100 %.')
      .waitFor();
    await waitForSaved(page);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(probability.inputValue()).resolves.toBe('0.85');
    await expect(probability.getAttribute('aria-invalid')).resolves.toBeNull();
  });

  it('colours steps by touch time with a legend', async () => {
    const { page } = app;
    await page.getByLabel('Heat colouring').selectOption('touch');
    await page.getByRole('heading', { level: 4, name: 'Touch time per step' }).waitFor();
    expect(await page.locator('.wf-step.wf-heat-4').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Heat colouring').selectOption('off');
  });

  it('downloads the workflow as JSON the format accepts', async () => {
    const { page } = app;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    const loaded = loadWorkflow(JSON.parse(await readFile(file, 'utf8')));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const step = loaded.value.steps.find((s) => s.label === 'Call patient back');
    expect(step).toMatchObject({
      kind: 'task',
      medium: 'phone',
      system: 'Phone system',
      touchMin: 4,
      enters: ['callback number'],
    });
    expect(loaded.value.lanes.find((l) => l.id === step?.lane)).toMatchObject({
      name: 'Triage nurse',
      staff: 2,
    });
    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download SVG' }).click(),
    ]);
    const svgFile = join(work, svg.suggestedFilename());
    await svg.saveAs(svgFile);
    expect(await readFile(svgFile, 'utf8')).toContain('Call patient back');
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PNG' }).click(),
    ]);
    const pngFile = join(work, png.suggestedFilename());
    await png.saveAs(pngFile);
    const bytes = await readFile(pngFile);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('moves a step to another lane by dragging it, as one undo step', async () => {
    const { page } = app;
    await zoomOutToSeeAll(page);
    const node = stepNode(page, /^Task: Call patient back/);
    const box = await node.boundingBox();
    const billing = await page.getByRole('button', { name: /^Billing\s*, 1 on shift$/ }).boundingBox();
    if (!box || !billing) throw new Error('step or lane not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    const targetY = billing.y + billing.height / 2;
    for (let i = 1; i <= 8; i++) {
      await page.mouse.move(
        box.x + box.width / 2 + i * 4,
        box.y + box.height / 2 + ((targetY - box.y - box.height / 2) * i) / 8,
      );
    }
    await page.mouse.up();
    await stepNode(page, /^Task: Call patient back, Billing, by phone$/).waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await stepNode(page, /^Task: Call patient back, Triage nurse, by phone$/).waitFor();
  });

  it('connects two steps by dragging from one handle to another', async () => {
    const { page } = app;
    const from = stepNode(page, /^Task: Call patient back/).locator('.react-flow__handle-right');
    const to = stepNode(page, /^Task: Key charges from the superbill/).locator('.react-flow__handle-left');
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (!a || !b) throw new Error('handles not on screen');
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) {
      await page.mouse.move(
        a.x + ((b.x - a.x) * i) / 8 + a.width / 2,
        a.y + ((b.y - a.y) * i) / 8 + a.height / 2,
      );
    }
    await page.mouse.up();
    await page
      .getByRole('group', {
        name: 'Flow from Call patient back to Key charges from the superbill into practice management',
      })
      .waitFor();
  });

  it('adds a step by dragging a kind from the palette into a lane', async () => {
    const { page } = app;
    const lane = await page.getByRole('button', { name: /^Triage nurse\s*, 2 on shift$/ }).boundingBox();
    const canvas = await page.getByRole('region', { name: 'Workflow diagram' }).boundingBox();
    if (!lane || !canvas) throw new Error('lane not on screen');
    await page
      .locator('label.wf-palette-item', { hasText: 'Decision' })
      .dragTo(page.locator('.react-flow__pane'), {
        targetPosition: { x: lane.x - canvas.x + lane.width + 200, y: lane.y - canvas.y + lane.height / 2 },
      });
    await stepNode(page, /^Decision: New decision, Triage nurse$/).waitFor();
  });

  it('selects several steps with shift-click and removes them as one undo step', async () => {
    const { page } = app;
    await stepNode(page, /^Decision: New decision/).click();
    // Shift went down while another window had focus: the page sees no key event, only a click
    // that carries the modifier, as the browser delivers it
    const box = await stepNode(page, /^Task: Call patient back/).boundingBox();
    if (!box) throw new Error('step not on screen');
    const cdp = await page.context().newCDPSession(page);
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2, modifiers: 8, button: 'left' as const };
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at });
    await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', clickCount: 1, ...at });
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', clickCount: 1, ...at });
    await cdp.detach();
    await page.getByRole('heading', { level: 3, name: '2 items selected' }).waitFor();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await expect(stepNode(page, /^Task: Call patient back/).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await stepNode(page, /^Task: Call patient back/).waitFor();
    await stepNode(page, /^Decision: New decision/).waitFor();
  });

  it("lists the workflow's findings, and a finding selects its steps on the canvas", async () => {
    const { page } = app;
    const findings = page.getByRole('region', { name: 'Findings on this workflow' });
    await findings.getByText(/^What Preflight found in/).waitFor();
    const rule = findings
      .locator('.finding-rule')
      .filter({ has: page.locator('code', { hasText: /^duplicate-entry$/ }) });
    await rule
      .getByRole('button', { name: /^Show the \d+ steps/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 3, name: /items selected/ }).waitFor();
    await expect
      .poll(() => page.locator('.react-flow__node-step.selected').count())
      .toBeGreaterThanOrEqual(2);
  });

  it('fits the window at 1440 and 390 pixels wide', async () => {
    const { page } = app;
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.getByRole('button', { name: 'Zoom to fit' }).click();
      // nothing scrolls sideways: the page is as wide as the window
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      if (SCREENSHOTS)
        await page.screenshot({ path: join(SCREENSHOTS, `editor-${width}.png`), fullPage: true });
    }
    expect(await axeViolations(page)).toEqual([]);
  });

  it('imports a workflow file, with the problems of a bad one listed by place', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    const input = page.getByLabel('Import a workflow file (preflight.workflow/v1 JSON)');
    const sample = JSON.parse(await readFile('samples/workflows/lab-results.current.json', 'utf8'));
    sample.steps[2].touchMin = -5;
    await input.setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(sample)),
    });
    const alert = page.getByRole('alert').filter({ hasText: '“bad.json” was not imported' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('/steps/2/touchMin');
    sample.steps[2].touchMin = 5;
    await input.setInputFiles({
      name: 'good.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(sample)),
    });
    // the id is taken by the demo's own copy: it comes in as a copy, never over it
    await page.getByRole('heading', { level: 2, name: `${sample.name} (imported)` }).waitFor();
    await page.getByRole('status').filter({ hasText: 'added as a copy' }).waitFor();
  });

  it('creates a future workflow naming the current one it replaces', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    const form = page.getByRole('form', { name: 'New workflow' });
    await form.getByLabel('Name').fill('Lab results on the new EHR, draft 2');
    await form.getByLabel('Future (on the new EHR)').check();
    await form.getByLabel('Replaces the current workflow').selectOption({ label: LAB_CURRENT_NAME });
    await form.getByRole('button', { name: 'Create and open' }).click();
    await page.getByRole('heading', { level: 2, name: 'Lab results on the new EHR, draft 2' }).waitFor();
    // it starts from the baseline's roles, with a start step
    await page.getByRole('button', { name: /^Physician\s*, 3 on shift$/ }).waitFor();
    await stepNode(page, /^Start: Start, Physician$/).waitFor();
    await page.getByRole('button', { name: 'Compare with current' }).waitFor();
  });

  it('traces a future step to the current steps it replaces, from a searchable list', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await page.getByRole('link', { name: /^Open in editor\s*: Patient intake — future/ }).click();
    // chosen from the keyboard: where the first view puts the step (under the zoom buttons, say)
    // depends on the canvas size when it opens, and a pointer click would depend on it too
    await stepNode(page, /^Task: Pre-register in the patient portal/).focus();
    await page.keyboard.press('Enter');
    const replaces = page.getByRole('group', { name: 'Replaces current steps' });
    await replaces.getByLabel('Search replaces current steps').fill('consent');
    const consent = replaces.getByRole('checkbox', { name: /Sign paper consent/ });
    await consent.check();
    await expect(
      replaces.getByRole('checkbox', { name: /Complete paper intake form/ }).isChecked(),
    ).resolves.toBe(true);
    await expect(replaces.getByRole('checkbox').count()).resolves.toBeLessThan(6);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(consent.isChecked()).resolves.toBe(false);

    // side by side: the current workflow below, its untraced steps named; the future's steps say what they replace
    await page.getByRole('button', { name: 'Compare with current' }).click();
    const current = page.getByRole('region', { name: /^Current workflow diagram: Patient intake — current/ });
    await current
      .getByRole('group', { name: /^Task: Photocopy insurance card and photo ID.*\(untraced\)$/ })
      .waitFor();
    await current
      .getByRole('group', { name: /^Task: Carry paper superbills to billing.*\(retired\)$/ })
      .waitFor();
    // …and what changed against them (here: paper became on screen, among others)
    await stepNode(
      page,
      /^Task: Pre-register in the patient portal.*\(replaces 2 · [^)]*\bhow\b[^)]*\)$/,
    ).waitFor();
    // the two diagrams pan and zoom together
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    const scales = () =>
      page
        .locator('.react-flow__viewport')
        .evaluateAll((els) => els.map((el) => new DOMMatrix(getComputedStyle(el).transform).a));
    await expect.poll(async () => new Set(await scales()).size).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a finding on a current step selects it in the comparison below', async () => {
    const { page } = app;
    const findings = page.getByRole('region', { name: 'Findings on this workflow' });
    const rule = findings
      .locator('.finding-rule')
      .filter({ has: page.locator('code', { hasText: /^untraced-current-step$/ }) });
    await rule
      .getByRole('button', { name: /^Show the step in Patient intake — current/ })
      .first()
      .click();
    const current = page.getByRole('region', { name: /^Current workflow diagram: Patient intake — current/ });
    await expect.poll(() => current.locator('.react-flow__node-step.selected').count()).toBe(1);
  });

  it('printed nothing and violated no CSP directive', () => {
    expect([...earlierConsole, ...app.console]).toEqual([]);
    expect([...earlierCsp, ...app.cspViolations]).toEqual([]);
  });
});
