/**
 * Journey: someone drops files built to exhaust memory on the app's XML and project readers — an
 * event log whose one XES attribute holds 64 MiB, a BPMN file just under the import's 20 MB limit
 * whose one task name fills it, and a project file with a 64 MiB name. In real Chromium each is
 * refused with what is wrong, where it starts (line and column) and what to do, never showing the
 * text, and the app goes on working: a good file of the same kind is read right after.
 *
 * Memory is bounded, not only time: while each file is processed the memory of Chromium's whole
 * process tree (the renderer with the page and its workers, the browser process that holds the
 * file's bytes, the helpers) is sampled from /proc and its peak compared with the same tree's
 * memory just before, in the same run. A tripwire first proves the probe sees a page holding a
 * 256 MiB buffer. The time bound is a watchdog (two minutes per refusal), not a speed target.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChromiumMemoryPeaks, sampleChromiumMemory } from '../bench/browserApp.ts';
import { scaled } from '../waits.ts';
import { axeViolations, openApp, type Watched } from './browser.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

const MiB = 1024 * 1024;
/** Size of each hostile part: sixty-four times the longest text any of these readers accepts. */
const HUGE = 64 * MiB;
/**
 * How far the memory of Chromium's processes may rise over the idle tree while a hostile file is
 * processed (MB, decimal, as the probe reports). A reader that streams with a bound keeps a few
 * chunks of 1–4 MiB and the browser's copy of the file's bytes (at most 64 MiB); one that holds the
 * hostile text once as a string and once parsed already needs more, and the readers measured before
 * the bounds rose by gigabytes. The tripwire's 256 MiB lies well above it.
 */
const MAX_RISE_MB = 192;
/** The tripwire's buffer: a page holding it must cross the bound. */
const TRIPWIRE_BYTES = 256 * MiB;
/** A file still being processed after this long is refused too late: the test's watchdog. */
const WATCHDOG_MS = scaled(120_000);
/** Samples of the process tree's memory are taken this often while a file is processed. */
const SAMPLE_EVERY_MS = 100;
/** A run of the hostile character that must never reach the screen. */
const LEAK = 'x'.repeat(32);
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const COMPLETE_ONLY = fileURLToPath(new URL('../fixtures/logs/clinic-complete-only.xes', import.meta.url));
const SMALL_BPMN = fileURLToPath(
  new URL('../fixtures/external/bpmn-miwg/Reference/A.2.0.bpmn', import.meta.url),
);
const DEMO_PROJECT = fileURLToPath(
  new URL('../../samples/projects/demo-clinic.preflight.json', import.meta.url),
);
/** A switch on the browser's command line only, to find its processes in /proc. */
const MARKER = `--preflight-e2e-memory=${process.pid}-${Date.now().toString(36)}`;

let browser: Browser;
let app: Watched;
let dir: string;
/** Where each hostile text starts, as editors count (1-based line and column). */
const starts: Record<string, { line: number; column: number }> = {};

/** Writes `text` as `name` and notes where its first run of the hostile character's opening starts. */
function writeHostile(name: string, text: string, opener: string): void {
  writeFileSync(join(dir, name), text);
  const at = text.indexOf(`${opener}${LEAK}`);
  if (at < 0) throw new Error(`no hostile text in ${name}`);
  starts[name] = { line: text.slice(0, at).split('\n').length, column: at - text.lastIndexOf('\n', at) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-hostile-memory-'));
  const long = 'x'.repeat(HUGE);
  writeHostile(
    'attribute.xes',
    `<?xml version="1.0"?>\n<log>\n<trace><string key="concept:name" value="c1"/>\n<event><string key="concept:name" value="${long}"/><date key="time:timestamp" value="2024-01-01T10:00:00Z"/></event></trace>\n</log>\n`,
    '<string key="concept:name" value="',
  );
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">\n  <process id="p">\n    <task id="t" name="`;
  const tail = `"/>\n  </process>\n</definitions>\n`;
  // just under the import's limit of 20 MB (20 × 1,048,576 bytes)
  writeHostile(
    'name.bpmn',
    `${head}${'x'.repeat(20 * MiB - head.length - tail.length - 1)}${tail}`,
    '<task id="t" name="',
  );
  const project = JSON.parse(readFileSync(DEMO_PROJECT, 'utf8'));
  project.project.meta.name = long;
  writeHostile('field.preflight.json', JSON.stringify(project), '"');
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, MARKER],
    headless: true,
  });
  app = await openApp(await browser.newContext({ viewport: { width: 1440, height: 1000 } }));
}, scaled(120_000));

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` while sampling the memory of the browser's process tree; the rise of its peak, in MB. */
async function peakRise(work: () => Promise<void>): Promise<number> {
  const probe = sampleChromiumMemory(MARKER, SAMPLE_EVERY_MS);
  let seen: ChromiumMemoryPeaks | null = null;
  try {
    // the baseline is the tree before the work, not one read while the work already allocates
    await probe.ready;
    await work();
  } finally {
    seen = await probe.stop();
  }
  if (!seen) throw new Error('the probe found no Chromium process to measure');
  return seen.peak.totalPssMb - seen.first.totalPssMb;
}

/**
 * The refusal is shown with no hostile text, no console error, no axe violation (at 1440 px: the
 * workspaces at 390 px are layout.spec.ts's).
 */
async function looksRight(page: Page, alert: Locator, shot: string): Promise<void> {
  expect(await page.locator('body').textContent()).not.toContain(LEAK);
  expect(app.cspViolations).toEqual([]);
  expect(app.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'))).toEqual([]);
  await alert.waitFor();
  expect(await axeViolations(page)).toEqual([]);
  if (SHOTS) {
    await alert.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `hostile-memory-${shot}-1440.png`) });
  }
}

describe('files built to exhaust memory, with the memory of the browser bounded', () => {
  it('the probe sees a page that holds a 256 MiB buffer (tripwire)', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto('about:blank');
      const rise = await peakRise(async () => {
        await page.evaluate((bytes) => {
          (globalThis as { held?: Uint8Array }).held = new Uint8Array(bytes).fill(7);
        }, TRIPWIRE_BYTES);
      });
      expect(rise, `the probe saw a rise of ${rise} MB`).toBeGreaterThan(MAX_RISE_MB);
    } finally {
      await context.close();
    }
  });

  it('refuses an event log with a 64 MiB XES attribute at its line and column, then reads a good log', async () => {
    const { page } = app;
    await page.goto(`${new URL(page.url()).origin}/#/workflows/logs/discover`);
    const region = page.getByRole('region', { name: "Discover today's workflow from an event log" });
    const file = region.getByLabel('Event log file (CSV, XES or OCEL 2.0, gzipped or not)');
    const { line, column } = starts['attribute.xes'] ?? { line: 0, column: 0 };
    const alert = region.getByRole('alert').filter({ hasText: 'attribute.xes is not a readable XES log' });
    const rise = await peakRise(async () => {
      await file.setInputFiles(join(dir, 'attribute.xes'));
      await region.getByText(/attribute\.xes \(.*XES\)/).waitFor();
      await region.getByRole('button', { name: /^Discover (the workflow|again)$/ }).click();
      await alert.waitFor({ timeout: WATCHDOG_MS });
    });
    expect((await alert.textContent())?.trim()).toBe(
      `attribute.xes is not a readable XES log: one element, attribute value, text or comment is longer than 1,048,576 characters (an event log's names and values are short) at line ${line}, column ${column}. Export the log again without that long value, then choose the new file`,
    );
    expect(rise, `peak rise ${rise} MB`).toBeLessThan(MAX_RISE_MB);
    await looksRight(page, alert, 'xes');

    await file.setInputFiles(COMPLETE_ONLY);
    await region.getByText(/clinic-complete-only\.xes \(.*XES\): \d+ attributes found/).waitFor();
    await region.getByRole('button', { name: /^Discover (the workflow|again)$/ }).click();
    await region.getByText('Read 16 events: 4 cases, 4 kinds of activity', { exact: false }).waitFor({
      timeout: scaled(60_000),
    });
    expect(await alert.count()).toBe(0);
  });

  it('refuses a BPMN file just under the size limit with one huge name, then imports a good one', async () => {
    const { page } = app;
    await page.goto(`${new URL(page.url()).origin}/#/workflows`);
    const input = page.getByLabel(/^Import a BPMN 2\.0 file/);
    const { line, column } = starts['name.bpmn'] ?? { line: 0, column: 0 };
    const alert = page.getByRole('alert').filter({ hasText: '“name.bpmn” could not become a workflow' });
    const rise = await peakRise(async () => {
      await input.setInputFiles(join(dir, 'name.bpmn'));
      await alert.waitFor({ timeout: WATCHDOG_MS });
    });
    expect(await alert.textContent()).toBe(
      `“name.bpmn” could not become a workflow. Nothing in the project was changed.Problem: one element, name, text, attribute value or comment is longer than 1,048,576 characters; a process model's names and texts are short, so this is most likely not a process model, or something large (an embedded picture or document) was pasted into it: remove or shorten it in the modelling tool and export again (line ${line}, column ${column})`,
    );
    expect(rise, `peak rise ${rise} MB`).toBeLessThan(MAX_RISE_MB);
    await looksRight(page, alert, 'bpmn');

    await input.setInputFiles(SMALL_BPMN);
    await page
      .getByRole('region', { name: 'BPMN import result' })
      .getByText(/^Added “.*” from “A\.2\.0\.bpmn”/)
      .waitFor();
    expect(await alert.count()).toBe(0);
  });

  it('refuses a project file with a 64 MiB name at its line and column, then imports a good one', async () => {
    const { page } = app;
    await page.goto(`${new URL(page.url()).origin}/#/`);
    const input = page.getByLabel('Import a project file');
    const { line, column } = starts['field.preflight.json'] ?? { line: 0, column: 0 };
    const alert = page.getByRole('alert').filter({ hasText: '“field.preflight.json” was not imported' });
    const rise = await peakRise(async () => {
      await input.setInputFiles(join(dir, 'field.preflight.json'));
      await alert.waitFor({ timeout: WATCHDOG_MS });
    });
    expect(await alert.textContent()).toBe(
      `“field.preflight.json” was not imported: the text starting at line ${line}, column ${column} is longer than 1,048,576 characters, far more than any project holds, so the file was not read; export the project again from Preflight, or ask whoever sent it for a new export. Nothing stored was changed.Dismiss`,
    );
    expect(rise, `peak rise ${rise} MB`).toBeLessThan(MAX_RISE_MB);
    await looksRight(page, alert, 'project');

    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await input.setInputFiles(DEMO_PROJECT);
    await page
      .getByRole('status')
      .filter({ hasText: /^Imported “/ })
      .waitFor({ timeout: scaled(60_000) });
    expect(await alert.count()).toBe(0);
  });
});
