/**
 * Journey: a keyboard user draws a small workflow from nothing without touching the mouse — a
 * start, a task at the front desk, a task for the nurse, an end — by adding each step after the
 * one in focus ("A"), choosing its kind and lane; walks the flows with Alt and the arrows;
 * connects two steps by typing a name ("C"); removes that flow; moves a step to another lane
 * with the arrow keys and undoes it; selects all steps with Control+A. Each change is announced.
 * After a reload the drawn workflow is there, and its JSON download is what was drawn. Axe is
 * clean at 1440 and 390 px, with the dialogs open too; nothing is printed to the console.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/formats/workflow.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { zoomToFit } from './workflowCanvas.ts';

const NAME = 'Walk-in clinic (drawn by keyboard)';
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;
/** Keys pressed to draw (commands), and characters typed (names), for the count in the report. */
const keys = { presses: 0, typed: 0 };

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  app = await openApp(context, '#/workflows');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
});

async function press(page: Page, ...pressed: string[]): Promise<void> {
  for (const key of pressed) {
    await page.keyboard.press(key);
    keys.presses++;
  }
}

async function type(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  keys.typed += text.length;
}

/** The accessible name of the focused element (its aria-label, its label, or its text). */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const labelled = el.getAttribute('aria-label');
    if (labelled) return labelled;
    const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
    return (label?.textContent ?? el.closest('label')?.textContent ?? el.textContent ?? '').trim();
  });
}

/** Presses Tab (Shift+Tab backwards) until the focused element's name matches, like a keyboard user. */
async function tabTo(page: Page, name: RegExp, backwards = false, limit = 60): Promise<void> {
  const passed: string[] = [];
  for (let i = 0; i < limit; i++) {
    await press(page, backwards ? 'Shift+Tab' : 'Tab');
    const now = await focusedName(page);
    if (name.test(now)) return;
    passed.push(now);
  }
  throw new Error(`Tab never reached ${name}; passed ${JSON.stringify(passed)}`);
}

/** Waits until keyboard focus is on the element whose name matches. */
async function focusIsOn(page: Page, name: RegExp): Promise<void> {
  await expect.poll(() => focusedName(page)).toMatch(name);
}

const announced = (page: Page, text: string) =>
  page.locator('.wf-message[role="status"]').filter({ hasText: text }).waitFor();

/**
 * How the diagram shows: the smallest step label's size on screen (its font size times the view's
 * zoom), and the steps wholly inside the canvas, by name.
 */
function diagramShown(page: Page): Promise<{ smallestLabel: number; inView: string[] }> {
  return page.evaluate(() => {
    const pane = document.querySelector('[aria-label="Workflow diagram"] .react-flow');
    const layer = pane?.querySelector('.react-flow__viewport');
    if (!pane || !layer) return { smallestLabel: 0, inView: [] };
    const zoom = new DOMMatrix(getComputedStyle(layer).transform).a;
    const labels = [...pane.querySelectorAll('.wf-step-label')];
    const view = pane.getBoundingClientRect();
    const inView = [...pane.querySelectorAll<HTMLElement>('.react-flow__node-step')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        return (
          box.left >= view.left && box.right <= view.right && box.top >= view.top && box.bottom <= view.bottom
        );
      })
      .map((node) => node.getAttribute('aria-label') ?? '');
    return {
      smallestLabel: Math.min(...labels.map((l) => Number.parseFloat(getComputedStyle(l).fontSize) * zoom)),
      inView,
    };
  });
}

async function expectAxeClean(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** In the open "Add a step after" dialog: the kind (arrows from Task), the lane (typed), the label. */
async function addAfter(page: Page, kindArrows: string[], lane: string, label: string): Promise<void> {
  await press(page, 'a');
  const dialog = page.getByRole('dialog', { name: /^Add a step after/ });
  await dialog.waitFor();
  await focusIsOn(page, /^Task$/);
  await press(page, ...kindArrows);
  await press(page, 'Tab');
  // a closed select follows typed letters
  await type(page, lane);
  await press(page, 'Tab');
  await type(page, label);
  await press(page, 'Enter');
  await dialog.waitFor({ state: 'detached' });
}

describe('drawing a workflow with the keyboard alone', () => {
  it('creates a workflow and adds a lane', async () => {
    const { page } = app;
    const form = page.getByRole('form', { name: 'New workflow' });
    await form.getByRole('textbox', { name: 'Name' }).focus();
    await type(page, NAME);
    await press(page, 'Enter');
    await page.getByRole('heading', { level: 2, name: NAME }).waitFor();
    await tabTo(page, /^Role name/);
    await type(page, 'Nurse');
    await press(page, 'Enter');
    await announced(page, 'Added lane “Nurse”.');
  });

  it('adds each step after the one in focus, connected, in the lane chosen', async () => {
    const { page } = app;
    // from the lane form, Tab goes on to the diagram's steps
    await tabTo(page, /^Start: Start, Staff(;|$)/);
    await addAfter(page, [], 'Staff', 'Register the patient');
    await announced(page, 'Added task “Register the patient” to Staff after “Start”.');
    // focus is on the new step: the next one follows it
    await focusIsOn(page, /^Task: Register the patient, Staff/);
    await addAfter(page, [], 'Nurse', 'Take vital signs');
    await announced(page, 'Added task “Take vital signs” to Nurse after “Register the patient”.');
    await focusIsOn(page, /^Task: Take vital signs, Nurse/);
    // End is the last kind: one step back from Task (the first), round the list
    await addAfter(page, ['ArrowUp'], 'Staff', 'Patient leaves');
    await announced(page, 'Added end “Patient leaves” to Staff after “Take vital signs”.');
    await focusIsOn(page, /^End: Patient leaves, Staff/);
    for (const flow of [
      'Flow from Start to Register the patient',
      'Flow from Register the patient to Take vital signs',
      'Flow from Take vital signs to Patient leaves',
    ]) {
      await page.getByRole('group', { name: flow, exact: true }).waitFor({ state: 'attached' });
    }
    await expectAxeClean(page, 'editor after drawing at 1440 px');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'keyboard-drawn-1440.png') });
  });

  it('walks the flows and the lanes with Alt and the arrow keys', async () => {
    const { page } = app;
    await press(page, 'Alt+ArrowLeft');
    await focusIsOn(page, /^Task: Take vital signs, Nurse/);
    await press(page, 'Alt+ArrowUp');
    await focusIsOn(page, /^(Task: Register the patient|End: Patient leaves), Staff/);
    await press(page, 'Alt+ArrowDown');
    await focusIsOn(page, /^Task: Take vital signs, Nurse/);
    await press(page, 'Alt+ArrowLeft', 'Alt+ArrowLeft');
    await focusIsOn(page, /^Start: Start, Staff/);
    await press(page, 'Alt+ArrowLeft');
    await announced(page, 'Nothing comes before “Start”.');
    await press(page, 'Alt+ArrowRight');
    await focusIsOn(page, /^Task: Register the patient, Staff/);
  });

  it('connects the focused step to another found by typing its name, and removes that flow', async () => {
    const { page } = app;
    await press(page, 'c');
    const dialog = page.getByRole('dialog', { name: 'Connect “Register the patient” to…' });
    await dialog.waitFor();
    await focusIsOn(page, /^Step to go to next/);
    // already connected steps are not offered, nor the start (nothing flows into it)
    await expect(dialog.getByRole('option').allTextContents()).resolves.toEqual(['Patient leaves · Staff']);
    await expectAxeClean(page, 'the "Connect to…" dialog at 1440 px');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'keyboard-connect-1440.png') });
    // a name no step has: none offered, and said so
    await type(page, 'xray');
    await expect.poll(() => dialog.getByRole('option').count()).toBe(0);
    await dialog.getByText(/^No step to connect has this name/).waitFor();
    await press(page, 'Control+A', 'Backspace');
    await type(page, 'leav');
    await expect(dialog.getByRole('option', { selected: true }).textContent()).resolves.toBe(
      'Patient leaves · Staff',
    );
    await press(page, 'Enter');
    await announced(page, 'Connected “Register the patient” to “Patient leaves”.');
    const shortcut = page.getByRole('group', { name: 'Flow from Register the patient to Patient leaves' });
    await shortcut.waitFor({ state: 'attached' });
    await focusIsOn(page, /^Task: Register the patient, Staff/);
    // flows come before the steps in the diagram's Tab order
    await tabTo(page, /^Flow from Register the patient to Patient leaves$/, true);
    await press(page, 'Delete');
    await announced(page, 'Removed. Undo brings it back.');
    await shortcut.waitFor({ state: 'detached' });
  });

  it('moves a step to the lane below and back with the arrow keys, and undoes', async () => {
    const { page } = app;
    await tabTo(page, /^End: Patient leaves, Staff(;|$)/);
    await press(page, 'ArrowDown');
    await announced(page, 'Moved “Patient leaves” to Nurse.');
    await focusIsOn(page, /^End: Patient leaves, Nurse(;|$)/);
    await press(page, 'ArrowDown');
    await announced(page, '“Patient leaves” is in the bottom lane already.');
    await press(page, 'Control+Z');
    await focusIsOn(page, /^End: Patient leaves, Staff(;|$)/);
    await press(page, 'Control+Shift+Z');
    await focusIsOn(page, /^End: Patient leaves, Nurse(;|$)/);
    await press(page, 'ArrowUp');
    await announced(page, 'Moved “Patient leaves” to Staff.');
  });

  it('selects all steps with Control+A, not the page text', async () => {
    const { page } = app;
    const pageText = () => page.evaluate(() => document.getSelection()?.toString() ?? '');
    const before = await pageText();
    await press(page, 'Control+A');
    await announced(page, 'Selected all 4 steps.');
    await expect(page.locator('.react-flow__node-step.selected').count()).resolves.toBe(4);
    await expect(pageText()).resolves.toBe(before);
    await press(page, 'Escape');
    await expect.poll(() => page.locator('.react-flow__node-step.selected').count()).toBe(0);
    // the count of keys this drawing took, for the record
    console.info(`keyboard drawing: ${keys.presses} keys pressed, ${keys.typed} characters typed`);
    app.console.length = 0;
  });

  it('arranged automatically, the whole diagram shows, readable, at 1440 px', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Arrange automatically' }).focus();
    await page.keyboard.press('Enter');
    await page
      .locator('.wf-message[role="status"]')
      .filter({ hasText: /^(Arranged the workflow|The steps are already arranged)/ })
      .waitFor();
    await expect.poll(async () => (await diagramShown(page)).inView.length).toBe(4);
    expect((await diagramShown(page)).smallestLabel).toBeGreaterThanOrEqual(9);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'keyboard-arranged-1440.png') });
    // "Zoom to fit" agrees: small enough to read whole, and says so
    await expect(zoomToFit(page)).resolves.toBe('whole');
    await page
      .locator('.wf-message[role="status"]')
      .filter({ hasText: 'Showing the whole workflow.' })
      .waitFor();
    expect((await diagramShown(page)).inView).toHaveLength(4);
    expect((await diagramShown(page)).smallestLabel).toBeGreaterThanOrEqual(9);
  });

  it('keeps the drawing after a reload; its JSON is what was drawn', async () => {
    const { page } = app;
    await waitForSaved(page);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: NAME }).waitFor();
    await page.getByRole('group', { name: /^End: Patient leaves, Staff/ }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download JSON' }).click();
    const file = await (await download).path();
    const loaded = loadWorkflow(JSON.parse(await readFile(file, 'utf8')));
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const workflow = loaded.value;
    const lane = new Map(workflow.lanes.map((l) => [l.id, l.name]));
    const label = new Map(workflow.steps.map((s) => [s.id, s.label]));
    expect(workflow.steps.map((s) => [s.kind, s.label, lane.get(s.lane)])).toEqual([
      ['start', 'Start', 'Staff'],
      ['task', 'Register the patient', 'Staff'],
      ['task', 'Take vital signs', 'Nurse'],
      ['end', 'Patient leaves', 'Staff'],
    ]);
    expect(workflow.flows.map((f) => [label.get(f.from), label.get(f.to)])).toEqual([
      ['Start', 'Register the patient'],
      ['Register the patient', 'Take vital signs'],
      ['Take vital signs', 'Patient leaves'],
    ]);
    // each step was placed one column right of the one before it
    const xs = workflow.steps.map((s) => s.position?.x ?? Number.NaN);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(4);
  });

  it('is accessible on a phone, with the "Add a step after" dialog open too', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    // opened on a phone: readable, from the start of the diagram
    await page.reload();
    await page.getByRole('heading', { level: 2, name: NAME }).waitFor();
    await expect
      .poll(async () => (await diagramShown(page)).inView)
      .toContainEqual(expect.stringMatching(/^Start: Start, Staff/));
    expect((await diagramShown(page)).smallestLabel).toBeGreaterThanOrEqual(9);
    await page.getByRole('group', { name: /^Task: Take vital signs, Nurse/ }).focus();
    await expectAxeClean(page, 'editor at 390 px');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'keyboard-drawn-390.png') });
    // the list of keys, opened
    const keysList = page.locator('details.wf-shortcuts');
    await keysList.locator('summary').click();
    await keysList
      .getByText('Add a step after the selected one, connected from it, in a lane of your choice')
      .waitFor();
    await expectAxeClean(page, 'the keyboard shortcuts at 390 px');
    if (SHOTS) await keysList.screenshot({ path: join(SHOTS, 'keyboard-shortcuts-390.png') });
    await keysList.locator('summary').click();
    await page.getByRole('group', { name: /^Task: Take vital signs, Nurse/ }).focus();
    await press(page, 'a');
    const dialog = page.getByRole('dialog', { name: 'Add a step after “Take vital signs”' });
    await dialog.waitFor();
    await expectAxeClean(page, 'the "Add a step after" dialog at 390 px');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'keyboard-append-390.png') });
    await press(page, 'Escape');
    await dialog.waitFor({ state: 'detached' });
    await focusIsOn(page, /^Task: Take vital signs, Nurse/);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('printed nothing and violated no CSP directive', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
