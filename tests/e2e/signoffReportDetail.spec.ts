/**
 * Journey: a clinician reviews the demo sample — accepts record 1, marks record 2's allergies
 * missing (critical, the column the mapping never migrates) with a comment and rejects it, and
 * cannot assess record 3. The compliance officer's printable report lists the rejected record with
 * its key, reviewer, time, field, reason and class, and record 3 as awaiting an adjudicator; the
 * comment is printed only once "Include the reviewers' comments" is ticked. She then marks record 4
 * "cannot assess" and changes it to accepted with a reason: the report lists the change, and ends
 * with the audit trail and the chain head of the exported sign-off. The report opened from disk and
 * the review screen pass axe at 1440 and 390 px, and it prints to PDF on whole rows with repeated
 * table headers.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAny } from '../../src/formats/registry.ts';
import type { SignoffReportFile } from '../../src/formats/signoffReport.ts';
import { axeViolations, launchPersistent, openApp, type Watched } from './browser.ts';
import { DEMO_PATIENTS, downloadFromReview, openFirstRecord, planReview } from './signoffJourney.ts';

const REVIEWER = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
const COMMENT = 'Penicillin allergy on the legacy chart is not in the new record';
const CHANGE_REASON = 'The scanned chart arrived: the record matches it';
/** Set SHOT_DIR to keep screenshots of the report and the exports (1440 and 390 px). */
const SHOT_DIR = process.env.SHOT_DIR;

let profile: string;
let context: BrowserContext;
let app: Watched;

const record = (page: Page, n: number): Locator =>
  planReview(page).getByRole('region', { name: `Record ${n} of 59` });
const row = (scope: Locator, column: string): Locator =>
  scope
    .getByRole('row')
    .filter({ has: scope.page().getByRole('rowheader', { name: new RegExp(`^${column}\\b`) }) });

async function decided(page: Page, n: number, word: string): Promise<void> {
  await planReview(page)
    .getByTestId('save-status')
    .filter({ hasText: `Saved: record ${n} ${word}.` })
    .waitFor();
}

/** The text of the report's table marked `data-detail="name"`, one string per body row. */
function tableRows(html: string, name: string): string[] {
  const at = html.indexOf(`data-detail="${name}"`);
  if (at < 0) return [];
  const body = html.slice(html.indexOf('<tbody>', at), html.indexOf('</table>', at));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    (m[1] ?? '').replace(/<\/td>/g, ' | ').replace(/<[^>]+>/g, ''),
  );
}

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-report-detail-'));
  context = await launchPersistent(profile);
  app = await openApp(context, '#/signoff');
  await app.page.setViewportSize({ width: 1440, height: 900 });
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
});

describe('the rejected and critical records in the printable report', () => {
  let recordKeys: string[] = [];

  it('accepts one record, rejects one with a critical finding and cannot assess a third', async () => {
    const { page } = app;
    await openFirstRecord(page, DEMO_PATIENTS, REVIEWER);
    await record(page, 1).focus();
    await page.keyboard.press('a');
    await decided(page, 1, 'accepted');
    const second = record(page, 2);
    await row(second, 'allergies').getByRole('button', { name: 'Mark wrong: allergies' }).click();
    await second.getByLabel('Reason').selectOption('missing');
    await second.getByLabel('Defect class').selectOption('critical');
    await second.getByRole('button', { name: 'Mark field wrong' }).click();
    await row(second, 'allergies').getByText('Marked wrong: Missing, critical').waitFor();
    await second.getByLabel(/^Comment/).fill(COMMENT);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await decided(page, 2, 'rejected');
    await record(page, 3).waitFor();
    await page.keyboard.press('c');
    await decided(page, 3, 'cannot assess');
    const csv = readFileSync(await downloadFromReview(page, 'Decisions (CSV)', profile, 'd.csv'), 'utf8');
    // decision, stratum, record_key, …: one line per decision, in the order decided
    recordKeys = csv
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[2] ?? '');
    expect(recordKeys).toHaveLength(3);
  });

  it('lists the rejected record with reviewer, time, field, reason and class, and no comment', async () => {
    const html = readFileSync(
      await downloadFromReview(app.page, 'Printable report (HTML)', profile, 'report.html'),
      'utf8',
    );
    const rejected = tableRows(html, 'rejected-or-critical');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(
      new RegExp(
        `^\\S+ \\| ${recordKeys[1]} \\(row \\d+\\) \\| First review \\| Dana Reyes, Registered nurse \\(staff id RN-204\\) \\| \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2}) \\| Rejected \\| allergies: missing, critical \\| Written; not printed`,
      ),
    );
    const cannot = tableRows(html, 'cannot-assess');
    expect(cannot).toHaveLength(1);
    expect(cannot[0]).toContain(recordKeys[2]);
    expect(cannot[0]).toMatch(/Cannot assess .*Awaiting an adjudicator/);
    expect(html).toContain('No record has been adjudicated.');
    expect(html).not.toContain('Penicillin');
    expect(html).not.toContain(recordKeys[0]);
  });

  it('exports the same lists as JSON, which loads as a sign-off report, without the comment', async () => {
    const path = await downloadFromReview(app.page, 'Report lists (JSON)', profile, 'report.json');
    const text = readFileSync(path, 'utf8');
    const loaded = loadAny(JSON.parse(text));
    expect(loaded.ok).toBe(true);
    const file = (loaded.ok ? loaded.value : undefined) as SignoffReportFile;
    expect(file.format).toBe('preflight.signoffreport/v1');
    expect(file.includesComments).toBe(false);
    expect(file.rejectedOrCritical.map((r) => r.recordKey)).toEqual([recordKeys[1]]);
    expect(file.rejectedOrCritical[0]?.decisions[0]).toMatchObject({
      outcome: 'reject',
      reviewer: REVIEWER,
      findings: [{ field: 'allergies', reason: 'missing', defectClass: 'critical' }],
      commented: true,
    });
    expect(file.cannotAssess.map((r) => [r.recordKey, r.state])).toEqual([
      [recordKeys[2], 'awaiting-adjudication'],
    ]);
    expect(text).not.toContain('Penicillin');
  });

  it('prints the comment once the user ticks the choice', async () => {
    const { page } = app;
    await planReview(page)
      .getByLabel(/Include the reviewers' comments in the report/)
      .check();
    const path = await downloadFromReview(page, 'Printable report (HTML)', profile, 'report-comments.html');
    const rejected = tableRows(readFileSync(path, 'utf8'), 'rejected-or-critical');
    expect(rejected[0]).toContain(COMMENT);
  });

  it('lists a changed decision with before, after, who, when and why, and the trail with its head', async () => {
    const { page } = app;
    await record(page, 4).focus();
    await page.keyboard.press('c');
    await decided(page, 4, 'cannot assess');
    await record(page, 5).waitFor();
    await page.keyboard.press('p');
    const fourth = record(page, 4);
    await fourth.getByLabel(/^Reason for changing your decision/).fill(CHANGE_REASON);
    await page.keyboard.press('Escape');
    await page.keyboard.press('a');
    await decided(page, 4, 'accepted (changed from cannot assess)');
    const html = readFileSync(
      await downloadFromReview(page, 'Printable report (HTML)', profile, 'report-changed.html'),
      'utf8',
    );
    const changes = tableRows(html, 'changes');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatch(
      /^\S+ \| \S+ \(row \d+\) \| First review \| Cannot assess by Dana Reyes \(RN-204\) at \S+; None marked \| Accepted; None marked \| Dana Reyes, Registered nurse \(staff id RN-204\) \| \S+ \| /,
    );
    expect(changes[0]).toContain(CHANGE_REASON);
    // the record accepted in the end is in no other list
    expect(tableRows(html, 'cannot-assess')).toHaveLength(1);
    // the appendix: one row per entry of the sign-off's chain, and its head and length
    const signoff = JSON.parse(
      readFileSync(
        await downloadFromReview(page, 'Export the sign-off (JSON)', profile, 'signoff.json'),
        'utf8',
      ),
    ) as { entries: { seq: number; hash: string; event: string }[] };
    const head = signoff.entries[signoff.entries.length - 1];
    const trail = tableRows(html, 'trail');
    expect(trail).toHaveLength(signoff.entries.length);
    expect(trail.filter((r) => / \| Decision \| .* \| RN-204 \| /.test(r))).toHaveLength(
      signoff.entries.filter((e) => e.event === 'decision').length,
    );
    expect(trail[trail.length - 1]).toContain(head?.hash.slice(0, 12));
    expect(html).toContain(
      `The audit log holds ${signoff.entries.length} entries; the last one's hash (the chain head) is <span class="hash">${head?.hash}</span>`,
    );
    for (const key of recordKeys) expect(trail.join('\n')).not.toContain(key);
  });

  it('prints to PDF on whole rows with the table headers repeated, and shows its pages', async () => {
    const report = await context.newPage();
    try {
      await report.goto(pathToFileURL(join(profile, 'report-changed.html')).href);
      await report.getByRole('heading', { name: 'Appendix: audit trail' }).waitFor();
      await report.emulateMedia({ media: 'print' });
      const pdf = await report.pdf({ preferCSSPageSize: true, printBackground: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
      // the demo report: front matter, verdict, lists and the appendix on a few A4 pages
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(8);
      const print = await report.evaluate(() => {
        const body = document.body.getBoundingClientRect();
        return {
          rowsSplit: [...document.querySelectorAll('tr')].filter(
            (tr) => getComputedStyle(tr).breakInside !== 'avoid',
          ).length,
          headsNotRepeated: [...document.querySelectorAll('thead')].filter(
            (h) => getComputedStyle(h).display !== 'table-header-group',
          ).length,
          signaturesSplit: [...document.querySelectorAll('.signature, .note')].filter(
            (b) => getComputedStyle(b).breakInside !== 'avoid',
          ).length,
          tablesOverflowing: [...document.querySelectorAll('table')].filter(
            (t) => t.getBoundingClientRect().right > body.right + 1,
          ).length,
        };
      });
      expect(print).toEqual({ rowsSplit: 0, headsNotRepeated: 0, signaturesSplit: 0, tablesOverflowing: 0 });
      if (SHOT_DIR) {
        // the print layout at the width of an A4 page's printable area (96 px per inch)
        mkdirSync(SHOT_DIR, { recursive: true });
        await report.setViewportSize({ width: 690, height: 980 });
        const height = await report.evaluate(() => document.documentElement.scrollHeight);
        for (let top = 0, n = 1; top < height; top += 980, n++)
          await report.screenshot({
            path: join(SHOT_DIR, `report-print-${n}.png`),
            clip: { x: 0, y: top, width: 690, height: Math.min(980, height - top) },
            fullPage: true,
          });
      }
    } finally {
      await report.close();
    }
  });

  it.each([1440, 390])('at %i px the report opened from disk and the exports pass axe', async (width) => {
    const { page } = app;
    const height = width === 390 ? 844 : 900;
    const report = await context.newPage();
    try {
      await report.setViewportSize({ width, height });
      await report.goto(pathToFileURL(join(profile, 'report-changed.html')).href);
      await report.getByRole('heading', { name: 'Rejected and critical records' }).waitFor();
      expect(await axeViolations(report)).toEqual([]);
      // the record tables fit the screen: on a phone each row is a card, each cell named by its column
      const overflowing = await report.evaluate(
        () =>
          [...document.querySelectorAll('table[data-detail]')].filter(
            (t) => t.getBoundingClientRect().right > document.documentElement.clientWidth,
          ).length,
      );
      expect(overflowing).toBe(0);
      if (SHOT_DIR) {
        mkdirSync(SHOT_DIR, { recursive: true });
        await report.getByRole('heading', { name: 'Rejected and critical records' }).scrollIntoViewIfNeeded();
        await report.screenshot({ path: join(SHOT_DIR, `report-detail-${width}.png`) });
      }
    } finally {
      await report.close();
    }
    await page.setViewportSize({ width, height });
    const choice = planReview(page).getByLabel(/Include the reviewers' comments in the report/);
    await choice.scrollIntoViewIfNeeded();
    expect(await axeViolations(page)).toEqual([]);
    if (SHOT_DIR) await page.screenshot({ path: join(SHOT_DIR, `report-exports-${width}.png`) });
  });

  it('left nothing on the console', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
