/**
 * Journey: an analyst brings in a small referral workflow whose steps were dropped in a heap,
 * arranges it automatically (elkjs in the layout worker, under the page's CSP) and undoes that in
 * one step, exports it as BPMN 2.0, imports the BPMN back and finds the same steps, lanes, flows
 * and clinical attributes, then opens a reference model of the BPMN Model Interchange Working Group
 * from another tool and is told what was not carried over (what the list says, and a file that is
 * not BPMN refused: BpmnImport.test.tsx); a message between two pools is chosen on
 * the canvas, opened in the details, deleted with the Delete key and brought back; a 600-step layout shows it is running,
 * stops on request without moving anything, and finishes when run again. The pages pass axe-core, print nothing to
 * the console and violate no Content-Security-Policy directive (the workers' included). Last,
 * Preflight's export of every MIWG reference model, of every model written in another tool's style
 * (tests/fixtures/bpmn-vendors) and of every demo workflow is opened in bpmn-js,
 * the reference renderer of bpmn.io: it imports without a warning, draws every flow node and draws
 * no shape on top of another.
 *
 * Test material: tests/fixtures/external/bpmn-miwg (CC BY 3.0, see its NOTICE).
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  documentsAcross,
  documentsIntoSubProcess,
  exportBpmn,
  importBpmnBytes,
  labInside,
} from '../../src/core/workflow/bpmn/index.ts';
import { loadWorkflow, type Workflow } from '../../src/formats/workflow.ts';
import { externalFixture } from '../fixtures/external.ts';
import { bpmnModelBytes, bpmnModelFiles } from '../fixtures/miwg.ts';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';
import { editorTool } from './workflowCanvas.ts';

const NAME = 'Referral triage (heap)';
/** Where screenshots go when E2E_SCREENSHOTS names a folder (to look at the screens by eye). */
const SHOTS = process.env.E2E_SCREENSHOTS;

/** Every step at nearly the same spot of its lane: arranging must move them apart. */
const heap: Workflow = {
  format: 'preflight.workflow/v1',
  id: 'referral-heap',
  name: NAME,
  state: 'current',
  arrivalsPerHour: 2,
  casesPerDay: 14,
  lanes: [
    { id: 'desk', name: 'Referral coordinator', staff: 1 },
    { id: 'doctor', name: 'Physician', staff: 3 },
  ],
  steps: [
    step('fax-in', 'Referral arrives by fax', 'desk', 'start', 'fax', 'Fax machine', 0, 0, 0, [], 40),
    step(
      'rekey',
      'Re-key referral into the PM system',
      'desk',
      'task',
      'digital',
      'PM system',
      6,
      30,
      42,
      ['patient name', 'date of birth', 'insurance id'],
      60,
    ),
    step(
      'review',
      'Physician reviews urgency',
      'doctor',
      'decision',
      'paper',
      'Paper chart',
      3,
      240,
      0,
      [],
      50,
    ),
    step(
      'call',
      'Phone patient to schedule',
      'desk',
      'task',
      'phone',
      'Phone',
      8,
      60,
      12,
      ['appointment'],
      70,
    ),
    step('done', 'Appointment booked', 'desk', 'end', 'digital', 'PM system', 0, 0, 0, [], 80),
  ],
  flows: [
    { from: 'fax-in', to: 'rekey', transfer: 'paper' },
    { from: 'rekey', to: 'review', transfer: 'paper' },
    { from: 'review', to: 'call', transfer: 'manual', probability: 0.8 },
    { from: 'review', to: 'done', transfer: 'none', probability: 0.2 },
    { from: 'call', to: 'done', transfer: 'electronic' },
  ],
};

function step(
  id: string,
  label: string,
  lane: string,
  kind: Workflow['steps'][number]['kind'],
  medium: Workflow['steps'][number]['medium'],
  system: string,
  touchMin: number,
  waitMin: number,
  clicks: number,
  enters: string[],
  x: number,
): Workflow['steps'][number] {
  return { id, label, lane, kind, medium, system, touchMin, waitMin, clicks, enters, position: { x, y: 40 } };
}

/**
 * A workflow of 60 steps in 4 lanes, all stacked at one spot. Its layout is held mid-way by the
 * test (the worker's replies wait), so it need not be large to be stopped; the editor's speed on
 * large workflows is measured in tests/bench (workflowEditor.bench.ts).
 */
const LARGE_STEPS = 60;
const large: Workflow = {
  ...heap,
  id: 'large-heap',
  name: 'Large heap of steps',
  lanes: [
    ...heap.lanes,
    { id: 'ma', name: 'Medical assistant', staff: 2 },
    { id: 'nurse', name: 'Nurse', staff: 1 },
  ],
  steps: Array.from({ length: LARGE_STEPS }, (_, i) => ({
    ...step(
      `s${i}`,
      `Step ${i}`,
      ['desk', 'doctor', 'ma', 'nurse'][i % 4] as string,
      'task',
      'digital',
      'EHR',
      1,
      0,
      2,
      [],
      40,
    ),
    kind: i === 0 ? 'start' : i === LARGE_STEPS - 1 ? 'end' : 'task',
  })),
  flows: Array.from({ length: LARGE_STEPS - 1 }, (_, i) => ({
    from: `s${i}`,
    to: `s${i + 1}`,
    transfer: 'none' as const,
  })),
};

let work: string;
let browser: Browser;
let context: BrowserContext;
let app: Watched;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'preflight-bpmn-'));
  // the worker's one browser: nothing here outlives a browser, so no profile of its own
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true });
  app = await openApp(context, '#/workflows');
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A step's accessible name on the canvas, by its label ("Task: <label>, <lane>…"). */
const stepName = (label: string) => new RegExp(`^[A-Za-z ]+: ${label},`);
const stepNode = (page: Page, label: string) => page.getByRole('group', { name: stepName(label) });

/**
 * The on-screen box of every step of the heap, by id, read in one go: all in the same frame, so a
 * view that moves meanwhile (a fit, the panels beside the canvas resizing it) cannot mix two
 * pictures.
 */
async function boxes(page: Page): Promise<Record<string, { x: number; y: number }>> {
  for (const s of heap.steps) await stepNode(page, s.label).waitFor();
  return page.evaluate(
    (steps) => {
      const groups = [...document.querySelectorAll('[role="group"][aria-label]')];
      const result: Record<string, { x: number; y: number }> = {};
      for (const { id, name } of steps) {
        const node = groups.find((g) => new RegExp(name).test(g.getAttribute('aria-label') ?? ''));
        if (!node) throw new Error(`step ${id} is not on the canvas`);
        const box = node.getBoundingClientRect();
        result[id] = { x: Math.round(box.x), y: Math.round(box.y) };
      }
      return result;
    },
    heap.steps.map((s) => ({ id: s.id, name: stepName(s.label).source })),
  );
}

/**
 * Each step's place relative to the first, in units of the widest distance between two steps (the
 * heap piles them up within a lane, not across lanes): the same whatever the view's zoom and pan,
 * which "Zoom to fit" picks from the canvas's size on screen, itself changed by a few pixels by the
 * panels beside it while the findings are worked out again after an undo.
 */
function shape(boxes: Record<string, { x: number; y: number }>) {
  const first = boxes[heap.steps[0]?.id as string] as { x: number; y: number };
  const all = Object.values(boxes);
  const unit = Math.max(1, ...all.flatMap((a) => all.map((b) => Math.hypot(a.x - b.x, a.y - b.y))));
  return heap.steps.map((s) => {
    const box = boxes[s.id] as { x: number; y: number };
    return { x: (box.x - first.x) / unit, y: (box.y - first.y) / unit };
  });
}

/** How far the step farthest from its place in `expected` stands from it, in {@link shape}'s units. */
function farthest(
  actual: Record<string, { x: number; y: number }>,
  expected: Record<string, { x: number; y: number }>,
): number {
  const want = shape(expected);
  return Math.max(
    ...shape(actual).map((got, i) => {
      const step = want[i] as { x: number; y: number };
      return Math.max(Math.abs(got.x - step.x), Math.abs(got.y - step.y));
    }),
  );
}

/** Whether the main path's steps stand left to right, one column each, in the order of the flows. */
function leftToRight(boxes: Record<string, { x: number; y: number }>): boolean {
  const xs = ['fax-in', 'rekey', 'review', 'call', 'done'].map((id) => boxes[id]?.x ?? Number.NaN);
  return xs.every((x, i) => i === 0 || x > (xs[i - 1] as number));
}

/**
 * An edit is drawn a render or two after its click (React Flow takes the new positions in an
 * effect): the tests wait for the picture they expect, up to this long, never for a set time.
 */
const UNTIL_DRAWN = { timeout: scaled(30_000) };

/** Downloads with the button named `name` and returns the saved file's path. */
async function download(page: Page, name: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    editorTool(page, name).then((tool) => tool.click()),
  ]);
  const path = join(work, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return path;
}

/** What must survive BPMN: everything but ids of the workflow, its name and the drawing. */
function semantics(workflow: Workflow) {
  return {
    state: workflow.state,
    arrivalsPerHour: workflow.arrivalsPerHour,
    casesPerDay: workflow.casesPerDay,
    lanes: workflow.lanes,
    steps: workflow.steps.map(({ position: _position, ...rest }) => rest),
    flows: workflow.flows,
  };
}

let bpmnPath = '';

describe('workflows in BPMN', () => {
  it('arranges a heap of steps automatically, and one undo puts them back', async () => {
    const { page } = app;
    await page.getByLabel('Import a workflow file (preflight.workflow/v1 JSON)').setInputFiles({
      name: 'heap.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(heap)),
    });
    await page.getByRole('heading', { level: 2, name: NAME }).waitFor();
    const before = await boxes(page);
    expect(leftToRight(before)).toBe(false);

    await (await editorTool(page, 'Arrange automatically')).click();
    await page
      .getByRole('status')
      .filter({
        hasText: /^Arranged the workflow: moved [45] steps, each kept in its lane\. Undo puts them back\.$/,
      })
      .waitFor();
    // left to right along the flows, one column each on the main path
    await expect.poll(async () => leftToRight(await boxes(page)), UNTIL_DRAWN).toBe(true);
    const after = await boxes(page);
    expect(farthest(after, before)).toBeGreaterThan(0.1);
    await (await editorTool(page, 'Zoom to fit')).click();
    expect(await axeViolations(page)).toEqual([]);

    // one undo puts every step back where it stood, one redo arranges them again
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => farthest(await boxes(page), before), UNTIL_DRAWN).toBeLessThan(0.02);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(async () => farthest(await boxes(page), after), UNTIL_DRAWN).toBeLessThan(0.02);
  });

  it('exports the workflow as BPMN 2.0 with lanes, diagram and the clinical attributes', async () => {
    const { page } = app;
    bpmnPath = await download(page, 'Export BPMN');
    expect(bpmnPath.endsWith('referral-heap.bpmn')).toBe(true);
    const xml = await readFile(bpmnPath, 'utf8');
    expect(xml).toContain('http://www.omg.org/spec/BPMN/20100524/MODEL');
    expect(xml).toMatch(/<bpmn:lane [^>]*name="Referral coordinator"/);
    expect(xml).toContain('BPMNShape');
    expect(xml).toContain('Re-key referral into the PM system');
  });

  it('imports the BPMN back: the same steps, lanes, flows and clinical attributes', async () => {
    const { page } = app;
    const arranged = loadWorkflow(JSON.parse(await readFile(await download(page, 'Download JSON'), 'utf8')));
    if (!arranged.ok) throw new Error('the editor downloaded a workflow the format refuses');
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    await page.getByLabel(/^Import a BPMN 2\.0 file/).setInputFiles({
      name: 'referral-heap.bpmn',
      mimeType: 'application/xml',
      buffer: await readFile(bpmnPath),
    });
    const report = page.getByRole('region', { name: 'BPMN import result' });
    await report
      .getByText(
        /^Added “Referral triage \(heap\) \(imported\)” from “referral-heap\.bpmn”: 2 lanes, 5 steps, 5 flows\./,
      )
      .waitFor();
    await expect(report.textContent()).resolves.toContain('added as a copy');
    // Preflight's own file: nothing of the workflow left out, only the drawing's routes, which
    // export draws again
    await expect(report.textContent()).resolves.toContain(
      'Everything in the file was carried over, except details of the drawing (below).',
    );
    expect(await axeViolations(page)).toEqual([]);

    await report.getByRole('button', { name: /^Open “Referral triage \(heap\) \(imported\)”$/ }).click();
    await page.getByRole('heading', { level: 2, name: `${NAME} (imported)` }).waitFor();
    const back = loadWorkflow(JSON.parse(await readFile(await download(page, 'Download JSON'), 'utf8')));
    if (!back.ok) throw new Error('the imported workflow does not load');
    expect(semantics(back.value)).toEqual(semantics(arranged.value));
    // and the drawing: the exported diagram brings the arranged positions back
    expect(back.value.steps.map((s) => s.position)).toEqual(arranged.value.steps.map((s) => s.position));
    await page.getByRole('button', { name: 'Back to workflows' }).click();
  });

  it('opens a MIWG reference model from another tool and lists what was not carried over', async () => {
    const { page } = app;
    const file = externalFixture('bpmn-miwg', 'Reference', 'C.8.0.bpmn');
    await page
      .getByLabel(/^Import a BPMN 2\.0 file/)
      .setInputFiles({ name: 'C.8.0.bpmn', mimeType: 'application/xml', buffer: await readFile(file) });
    const report = page.getByRole('region', { name: 'BPMN import result' });
    await report.getByText(/^Added “.+” from “C\.8\.0\.bpmn”/).waitFor();
    await report.getByRole('heading', { name: /^Not carried over \(\d+\)$/ }).waitFor();
    // what the list says (and a file that is not BPMN refused): BpmnImport.test.tsx. The list of
    // workflows around it passed axe with an import result in the test above: the result's region
    expect(await axeRegionViolations(report)).toEqual([]);
  });

  it('imports parallel gateways as parallel paths: drawn as such, with no false finding', async () => {
    const { page } = app;
    const flow = (id: string, from: string, to: string) =>
      `<sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="urn:test">
  <process id="labs" name="Labs and imaging">
    <startEvent id="arrive" name="Patient arrives"/>
    <parallelGateway id="fork" name="Order both tests"/>
    <task id="blood" name="Draw blood"/>
    <task id="xray" name="Take an X-ray"/>
    <parallelGateway id="merge" name="Both results in"/>
    <task id="review" name="Review the results"/>
    <endEvent id="done" name="Visit closed"/>
    ${flow('f1', 'arrive', 'fork')}${flow('f2', 'fork', 'blood')}${flow('f3', 'fork', 'xray')}
    ${flow('f4', 'blood', 'merge')}${flow('f5', 'xray', 'merge')}${flow('f6', 'merge', 'review')}
    ${flow('f7', 'review', 'done')}
  </process>
</definitions>`;
    await page.getByLabel(/^Import a BPMN 2\.0 file/).setInputFiles({
      name: 'labs.bpmn',
      mimeType: 'application/xml',
      buffer: Buffer.from(xml),
    });
    const report = page.getByRole('region', { name: 'BPMN import result' });
    await report
      .getByText(/^Added “Labs and imaging” from “labs\.bpmn”: 1 lane, 7 steps, 7 flows\./)
      .waitFor();
    // nothing is flattened into a decision any more, so nothing is listed as lost
    await expect(report.textContent()).resolves.toContain('Everything in the file was carried over.');
    await report.getByRole('button', { name: /^Open “Labs and imaging”$/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Labs and imaging' }).waitFor();

    const canvas = page.getByRole('region', { name: 'Workflow diagram' });
    const fork = canvas.getByRole('group', {
      name: /^Parallel split \(all branches at once\): Order both tests,/,
    });
    const merge = canvas.getByRole('group', {
      name: /^Parallel join \(waits for all branches\): Both results in,/,
    });
    await fork.waitFor();
    await merge.waitFor();
    await expect(fork.textContent()).resolves.toContain('split');
    await expect(merge.textContent()).resolves.toContain('join');
    await expect(canvas.locator('.wf-step-parallel-split').count()).resolves.toBe(1);
    await expect(canvas.locator('.wf-step-decision').count()).resolves.toBe(0);
    // the legend explains the new shapes
    const legend = page.getByRole('region', { name: 'Legend' });
    await expect(legend.textContent()).resolves.toContain('Parallel split — diamond with a plus');

    // no finding names a gateway: no forced click, no one-way decision, no dead end
    const findings = page.getByRole('region', { name: 'Findings on this workflow' });
    await findings.getByRole('heading', { name: /^What Preflight found in Labs and imaging/ }).waitFor();
    const found = (await findings.locator('.finding-group').allTextContents()).join('\n');
    expect(found).not.toMatch(/Order both tests|Both results in|forced click|only one way out/);

    // the inspector says what the gateway does
    await fork.click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await expect(inspector.getByLabel('Kind', { exact: true }).inputValue()).resolves.toBe('parallel-split');
    await inspector.getByText(/Parallel split: all branches at once\. Staff time adds up/).waitFor();

    // the palette places the new kinds too
    const add = page.getByRole('form', { name: 'Add a step' });
    await add.getByLabel('Inclusive split', { exact: true }).check();
    await add.getByLabel('Step label').fill('Extra tests when needed');
    await add.getByRole('button', { name: 'Add step' }).click();
    await canvas
      .getByRole('group', { name: /^Inclusive split \(one or more branches\): Extra tests when needed,/ })
      .waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await canvas.locator('.wf-step-inclusive-split').waitFor({ state: 'detached' });

    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'parallel-gateways.png'), fullPage: false });
    await page.getByRole('button', { name: 'Back to workflows' }).click();
  });

  it('selects a message between pools on the canvas, opens it in the details, deletes it and undoes', async () => {
    const { page } = app;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="urn:test">
  <collaboration id="collab">
    <participant id="clinic" name="Clinic" processRef="clinic-work"/>
    <participant id="lab" name="Reference lab" processRef="lab-work"/>
    <messageFlow id="order-sent" name="Lab order" sourceRef="order" targetRef="analyse"/>
  </collaboration>
  <process id="clinic-work" name="Lab referral">
    <startEvent id="visit" name="Visit"/><task id="order" name="Order test"/><endEvent id="done" name="Done"/>
    <sequenceFlow id="c1" sourceRef="visit" targetRef="order"/><sequenceFlow id="c2" sourceRef="order" targetRef="done"/>
  </process>
  <process id="lab-work" name="Lab">
    <startEvent id="sample" name="Sample in"/><task id="analyse" name="Analyse sample"/><endEvent id="result" name="Result out"/>
    <sequenceFlow id="l1" sourceRef="sample" targetRef="analyse"/><sequenceFlow id="l2" sourceRef="analyse" targetRef="result"/>
  </process>
</definitions>`;
    await page.getByLabel(/^Import a BPMN 2\.0 file/).setInputFiles({
      name: 'referral.bpmn',
      mimeType: 'application/xml',
      buffer: Buffer.from(xml),
    });
    const report = page.getByRole('region', { name: 'BPMN import result' });
    await report.getByRole('button', { name: /^Open “.+”$/ }).click();
    const canvas = page.getByRole('region', { name: 'Workflow diagram' });
    const message = canvas.getByRole('group', {
      name: 'Message “Lab order” from Order test to Analyse sample',
    });
    await message.waitFor();
    await message.click();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    await inspector.getByRole('heading', { name: 'Message from Order test to Analyse sample' }).waitFor();
    await expect(inspector.getByRole('textbox', { name: 'What the message is' }).inputValue()).resolves.toBe(
      'Lab order',
    );
    await message.press('Delete');
    await message.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await message.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Back to workflows' }).click();
  });

  it('shows a slow layout running, stops it without moving anything, then finishes it', async () => {
    const { page } = app;
    await page.getByLabel('Import a workflow file (preflight.workflow/v1 JSON)').setInputFiles({
      name: 'large.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(large)),
    });
    await page.getByRole('heading', { level: 2, name: large.name }).waitFor();
    // "mid-layout" is set up, not raced: the layout worker's replies are held until the test lets
    // them go (on an idle machine the steps are laid out before a click could reach Stop)
    const layoutWorker = page.workers().find((w) => w.url().includes('layout.worker'));
    if (!layoutWorker) throw new Error('the layout worker runs since the first arrangement of this journey');
    await layoutWorker.evaluate(() => {
      const scope = self as unknown as {
        postMessage: (...args: unknown[]) => void;
        releaseHeldReplies?: () => void;
      };
      const post = scope.postMessage.bind(self);
      const held: unknown[][] = [];
      scope.postMessage = (...args: unknown[]) => {
        held.push(args);
      };
      scope.releaseHeldReplies = () => {
        scope.postMessage = post;
        for (const args of held.splice(0)) post(...args);
      };
    });
    await (await editorTool(page, 'Arrange automatically')).click();
    await page.getByRole('progressbar', { name: 'Arranging the steps' }).waitFor();
    await page.getByRole('button', { name: 'Stop arranging' }).click();
    await page.getByRole('status').filter({ hasText: 'Arranging stopped. Nothing was moved.' }).waitFor();
    await expect(page.getByRole('button', { name: 'Undo' }).isDisabled()).resolves.toBe(true);
    // a stopped layout's late answer changes nothing; a worker the pool already replaced is gone
    await layoutWorker
      .evaluate(() => (self as unknown as { releaseHeldReplies?: () => void }).releaseHeldReplies?.())
      .catch(() => undefined);
    await expect(page.getByRole('button', { name: 'Undo' }).isDisabled()).resolves.toBe(true);

    await (await editorTool(page, 'Arrange automatically')).click();
    await page
      .getByRole('status')
      // the start is stored where the layout puts the first step of the first lane already
      .filter({ hasText: `Arranged the workflow: moved ${LARGE_STEPS - 1} steps` })
      .waitFor({ timeout: scaled(60_000) });
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page.getByRole('button', { name: 'Undo' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Back to workflows' }).click();
  });

  it('printed nothing and violated no CSP directive, elkjs in its worker included', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});

/** The demo clinic's workflows (samples/workflows), as the app loads them. */
async function demoWorkflows(): Promise<{ name: string; workflow: Workflow }[]> {
  const folder = join(import.meta.dirname, '..', '..', 'samples', 'workflows');
  const out: { name: string; workflow: Workflow }[] = [];
  for (const file of readdirSync(folder).sort()) {
    const bytes = await readFile(join(folder, file));
    if (file.endsWith('.json')) {
      const loaded = loadWorkflow(JSON.parse(bytes.toString('utf8')));
      if (!loaded.ok) throw new Error(`the demo workflow ${file} does not load`);
      out.push({ name: file, workflow: loaded.value });
    } else if (file.endsWith('.bpmn')) {
      const { workflow } = await importBpmnBytes(new Uint8Array(bytes));
      if (!workflow) throw new Error(`the demo model ${file} does not import`);
      out.push({ name: file, workflow });
    }
  }
  return out;
}

/** What bpmn-js made of one file: its import warnings, the flow nodes it drew no shape for, overlaps. */
interface Rendered {
  /** how many flow nodes the model holds (each must have a shape) */
  nodes: number;
  warnings: string[];
  undrawn: string[];
  overlaps: string[];
}

describe('BPMN exports in bpmn-js, the reference renderer', () => {
  it('opens every export with its diagram: no warning, every flow node drawn, no shape over another', async () => {
    const files: { name: string; xml: string }[] = [];
    for (const name of bpmnModelFiles()) {
      const { workflow } = await importBpmnBytes(bpmnModelBytes(name));
      if (!workflow) throw new Error(`${name} does not import`);
      files.push({ name, xml: await exportBpmn(workflow) });
    }
    for (const { name, workflow } of await demoWorkflows())
      files.push({ name, xml: await exportBpmn(workflow) });
    // messages to and from steps inside a sub-process (its own page)
    files.push({ name: 'messages into a sub-process', xml: await exportBpmn(labInside) });
    // documents on the main page read and written by steps inside a sub-process
    files.push({ name: 'documents into a sub-process', xml: await exportBpmn(documentsIntoSubProcess) });
    // a document and a store inside a sub-process read outside it (drawn again on the main page)
    files.push({ name: 'documents across pages', xml: await exportBpmn(documentsAcross) });
    const storesAcross: Workflow = {
      ...documentsAcross,
      dataObjects: (documentsAcross.dataObjects ?? []).map((data) => ({ ...data, kind: 'store' })),
    };
    files.push({ name: 'stores across pages', xml: await exportBpmn(storesAcross) });
    expect(files.length).toBeGreaterThan(37);

    // one blank page (no app, no CSP of ours) with bpmn-js's prebuilt viewer, reused for every file
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 1600, height: 1000 });
      await page.setContent('<div id="canvas" style="width:1600px;height:1000px"></div>');
      await page.addScriptTag({
        path: createRequire(import.meta.url).resolve('bpmn-js/dist/bpmn-viewer.production.min.js'),
      });
      const results: Record<string, Rendered> = {};
      for (const { name, xml } of files) {
        results[name] = await page.evaluate(async (text): Promise<Rendered> => {
          type Shape = {
            id: string;
            type: string;
            x: number;
            y: number;
            width: number;
            height: number;
            parent?: Shape;
            host?: Shape;
            labelTarget?: Shape;
            waypoints?: unknown;
            businessObject: { $type: string };
          };
          type Element = { $type: string; id?: string; $instanceOf(type: string): boolean };
          const Viewer = (window as unknown as { BpmnJS: new (o: object) => unknown }).BpmnJS;
          const viewer = new Viewer({ container: '#canvas' }) as {
            importXML(xml: string): Promise<{ warnings: { message: string }[] }>;
            get(name: 'elementRegistry'): { getAll(): Shape[]; get(id: string): Shape | undefined };
            get(name: 'moddle'): unknown;
            getDefinitions(): unknown;
            destroy(): void;
          };
          try {
            const { warnings } = await viewer.importXML(text);
            const registry = viewer.get('elementRegistry');
            // every flow node of the model, however deep (sub-processes included)
            const flowNodes: Element[] = [];
            const seen = new Set<unknown>();
            const walk = (value: unknown) => {
              if (!value || typeof value !== 'object' || seen.has(value)) return;
              seen.add(value);
              const element = value as Element & Record<string, unknown>;
              if (typeof element.$instanceOf === 'function' && element.$instanceOf('bpmn:FlowNode'))
                flowNodes.push(element);
              for (const key of Object.keys(element)) {
                if (key.startsWith('$') || key === 'di') continue;
                const child = element[key];
                if (Array.isArray(child)) for (const item of child) walk(item);
                else if (child && typeof child === 'object' && '$type' in child) walk(child);
              }
            };
            for (const root of (viewer.getDefinitions() as { rootElements?: unknown[] }).rootElements ?? [])
              walk(root);
            const undrawn = flowNodes
              .filter((element) => {
                const shape = element.id ? registry.get(element.id) : undefined;
                return !shape || shape.waypoints !== undefined;
              })
              .map((element) => element.id ?? element.$type);
            // shapes (not labels, lanes or connections) of one root that share area with
            // another, neither holding the other nor attached to it on its border; a group frames
            // the steps it groups and an annotation keeps the place its modeller gave it, so
            // neither is a shape the layout placed
            const shapes = registry
              .getAll()
              .filter(
                (s) =>
                  s.waypoints === undefined &&
                  s.labelTarget === undefined &&
                  s.parent !== undefined &&
                  s.type !== 'bpmn:Lane' &&
                  s.type !== 'bpmn:Group' &&
                  s.type !== 'bpmn:TextAnnotation',
              );
            const holds = (outer: Shape, inner: Shape) => {
              for (let p = inner.parent; p; p = p.parent) if (p === outer) return true;
              return false;
            };
            const root = (s: Shape) => {
              let r = s;
              while (r.parent) r = r.parent;
              return r;
            };
            const overlaps: string[] = [];
            for (const [i, a] of shapes.entries()) {
              for (const b of shapes.slice(i + 1)) {
                if (root(a) !== root(b)) continue;
                const shared =
                  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
                if (!shared || holds(a, b) || holds(b, a) || a.host === b || b.host === a) continue;
                overlaps.push(`${a.id} × ${b.id}`);
              }
            }
            return { nodes: flowNodes.length, warnings: warnings.map((w) => w.message), undrawn, overlaps };
          } finally {
            viewer.destroy();
          }
        }, xml);
      }
      const problems = Object.fromEntries(
        Object.entries(results).filter(
          ([, r]) => r.nodes === 0 || r.warnings.length > 0 || r.undrawn.length > 0 || r.overlaps.length > 0,
        ),
      );
      expect(problems).toEqual({});
    } finally {
      await page.close();
    }
  });
});
