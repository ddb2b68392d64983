/**
 * Safety proof: the printable document of the demo's patient intake, as only a browser shows and
 * prints it. At 1440 and 390 px it passes axe and scrolls nothing sideways; printed (headless
 * Chromium's PDF) on A4 and on Letter, the summary is on the first page, each map on landscape
 * pages of its own, the app around it is left out, tables fit the page width,
 * their column headers repeat on every page they run onto, the whole is 12 pages or fewer, and the
 * words on screen are in the PDF. Nothing printed to the console; no CSP violation. What the
 * document holds is proved by its component test (src/app/workflows/document/ProcessDocument.test.tsx);
 * reaching it from the process page, by the analyst's journey (journeyAnalyst.spec.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  launchBrowser,
  openApp,
  placeHash,
  VIEWPORTS,
  type Watched,
  waitForSaved,
} from './browser.ts';

/** Set SHOT_DIR to keep screenshots (screen and print media) and the PDFs. */
const SHOT_DIR = process.env.SHOT_DIR;

/** Poppler's text extractor, to read the PDF's words; without it that one test says it is skipped. */
const PDFTOTEXT = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));

let browser: Browser;
let app: Watched;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'preflight-process-document-'));
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  app = await openApp(context, '#/workflows/document/patient-intake');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const doc = (page: Page) => page.getByRole('article', { name: 'Process document: Patient intake' });

async function shoot(page: Page, name: string): Promise<void> {
  if (!SHOT_DIR) return;
  await page.screenshot({ path: join(SHOT_DIR, name), fullPage: true });
  await page.screenshot({ path: join(SHOT_DIR, name.replace('.png', '-top.png')) });
}

/** The text of each page of `pdf`, by Poppler's pdftotext (pages end with a form feed). */
function pdfPages(pdf: Buffer, name: string): string[] {
  if (!PDFTOTEXT) throw new Error('pdftotext is not installed');
  const file = join(scratch, name);
  writeFileSync(file, pdf);
  const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' });
  return text.split('\f').slice(0, -1);
}

/** A PDF of the page as the browser prints it (print media, as the print dialog has it). */
async function printPdf(page: Page, options: Parameters<Page['pdf']>[0]): Promise<Buffer> {
  await page.emulateMedia({ media: 'print' });
  try {
    return await page.pdf(options);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

/** How many pages a PDF has, from its page objects. */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describe('the printable process document', () => {
  it('opens at its own address and keeps it on reload', async () => {
    const { page } = app;
    await doc(page).waitFor();
    await expect(page.title()).resolves.toContain('Printable document · Patient intake');
    await page.reload();
    await doc(page).waitFor();
    expect(placeHash(page)).toBe('#/workflows/document/patient-intake');
  });

  it('has no axe violations and no sideways scrolling at 1440 and 390 px', async () => {
    const { page } = app;
    for (const { width, height } of VIEWPORTS) {
      await page.setViewportSize({ width, height });
      await doc(page).waitFor();
      const violations = await axeViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await shoot(page, `process-document-${width}.png`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('prints the document alone, dark on white, its tables within the page width', async () => {
    const { page } = app;
    // the printable width of A4 and Letter inside the document's margins
    await page.setViewportSize({ width: 700, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    try {
      await expect(page.locator('.app-header').isVisible()).resolves.toBe(false);
      await expect(page.getByRole('button', { name: 'Print' }).isVisible()).resolves.toBe(false);
      await expect(page.getByRole('link', { name: 'Back to the process' }).isVisible()).resolves.toBe(false);
      // (a map's parts are on landscape pages of their own: their width is checked below)
      const overflowing = await page
        .locator('.process-document table')
        .evaluateAll((els) =>
          els
            .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .map((el) => el.outerHTML.slice(0, 80)),
        );
      expect(overflowing).toEqual([]);
      // on paper each map is on landscape pages, each part legible (drawn at 0.6 of its size or
      // more) and within a landscape page's printable width (980 px)
      const parts = await page.locator('.doc-map-print img').evaluateAll((imgs) =>
        (imgs as HTMLImageElement[])
          .filter((img) => img.getBoundingClientRect().width > 0)
          .map((img) => ({
            scale: img.getBoundingClientRect().width / img.naturalWidth,
            width: img.getBoundingClientRect().width,
          })),
      );
      expect(parts.length).toBeGreaterThanOrEqual(2);
      for (const s of parts) {
        expect(s.scale).toBeGreaterThanOrEqual(0.6 - 1e-3);
        expect(s.width).toBeLessThanOrEqual(980 + 0.5);
      }
      await expect(
        doc(page)
          .getByRole('img', { name: /^Diagram of / })
          .count(),
      ).resolves.toBe(2);
      const colours = await doc(page).evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.color, s.backgroundColor];
      });
      expect(colours).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
      await shoot(page, 'process-document-print.png');
    } finally {
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('makes a PDF of 12 pages or fewer on A4 and on Letter', async () => {
    const { page } = app;
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await printPdf(page, { format, preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = pageCount(pdf);
      // the summary, each workflow's steps and findings and its map's landscape parts, the
      // comparison with the training checklist (12 for the demo's intake, tests/bench/RESULTS.md)
      expect(pages, format).toBeGreaterThanOrEqual(8);
      expect(pages, format).toBeLessThanOrEqual(12);
      if (SHOT_DIR) writeFileSync(join(SHOT_DIR, `process-document-${format}.pdf`), pdf);
    }
  });

  it.skipIf(!PDFTOTEXT)('puts the words on screen in the PDF, the table headers on every page', async () => {
    const { page } = app;
    const d = doc(page);
    const ruleIds = await d.locator('.doc-findings code.rule-id').allTextContents();
    expect(ruleIds.length).toBeGreaterThan(5);
    // the role names heading the training table's rows (their status is on a line of its own)
    const roleNames = await d
      .locator('.doc-training-table tbody th')
      .evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent ?? ''));
    expect(roleNames.length).toBeGreaterThan(3);
    // no page is left blank or holds only the spill of a map part too tall for it
    for (const format of ['A4', 'Letter'] as const) {
      const texts = pdfPages(await printPdf(page, { format }), `${format}.pdf`);
      expect(
        texts.flatMap((t, i) => (t.trim() === '' ? [i + 1] : [])),
        `${format}: pages without words`,
      ).toEqual([]);
    }
    const pages = pdfPages(await printPdf(page, { format: 'A4' }), 'a4.pdf');
    const all = pages.join('\n');
    expect(pages[0], 'the first page: the title and the summary').toMatch(
      /Process document: Patient intake[\s\S]*Summary[\s\S]*What changes[\s\S]*Top findings[\s\S]*Capacity/,
    );
    for (const words of [
      'Process document: Patient intake',
      'Today vs planned',
      'Training checklist by role',
      ...ruleIds,
    ]) {
      expect(all, words).toContain(words);
    }
    // every role is in the training table (a name may wrap in its cell: its first word is looked for)
    const training = pages.slice(pages.findIndex((p) => p.includes('Training checklist by role'))).join('\n');
    for (const role of roleNames) expect(training, role).toContain(role.split(/[\s(]/)[0]);
    // on a small page the steps tables run over several pages: their column headers go with them
    const small = pdfPages(await printPdf(page, { width: '148mm', height: '105mm' }), 'small.pdf');
    // (pdftotext sets the header "Staff min | Wait min" over two lines: "Staff  Wait" above "min  min")
    const header = /\bStep\s+Role\s+Kind\s+How\s+System\s+Staff\s+Wait\s+Data typed\b/;
    const tablePages = small.filter((p) => header.test(p));
    expect(tablePages.length).toBeGreaterThan(2);
    // every page with a step's row of the steps table has the header: a row reads "Front desk Task"
    const rows = small.filter((p) =>
      /\b(Task|Decision|Approval)\s+(Paper|Digital|Phone|Fax|Verbal)\b/.test(p),
    );
    expect(rows.length).toBeGreaterThan(2);
    for (const p of rows) expect(p).toMatch(header);
  });

  it('printed nothing to the console and broke no CSP rule', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
