/**
 * Journey: a clinician verifies the demo sample as source-data verification is done. Each record
 * opens as one aligned row per legacy field beside what the mapping made of it, classed (the
 * allergies column, which the mapping never migrates, is shown and markable; a sex the code map
 * does not know, "Male", is missing in the migrated record, not a mere difference); the record list
 * shows where each record stands and the keyboard walks it (U and Shift+U: next and previous
 * record still to review). She marks the allergies missing (critical) on their row, rejects, and
 * reloads: the decision and the mark are still there when she opens the record from the list.
 * Side by side at 1440 and 820 px, compact on a 390 px phone; axe finds nothing at each width.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchPersistent, openApp, type Watched } from './browser.ts';
import { DEMO_PATIENTS, openFirstRecord, planReview } from './signoffJourney.ts';

const REVIEWER = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
const WIDTHS = [1440, 820, 390] as const;
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

/** The demo extract with the second sampled patient's sex written "Male" (the code map knows M and F). */
let PATIENTS: string;
const SECOND_SAMPLED = 'P004462,18431388,';

let profile: string;
let context: BrowserContext;
let app: Watched;

const record = (page: Page, n: number): Locator =>
  planReview(page).getByRole('region', { name: `Record ${n} of 59` });
const list = (page: Page): Locator =>
  planReview(page).getByRole('navigation', { name: 'Records of the sample' });
/** The aligned row of a legacy column (its row header starts with the column's name). */
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

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-verify-'));
  const lines = readFileSync(DEMO_PATIENTS, 'utf8').split('\r\n');
  const at = lines.findIndex((line) => line.startsWith(SECOND_SAMPLED));
  const cells = (lines[at] ?? '').split(',');
  cells[6] = 'Male';
  lines[at] = cells.join(',');
  mkdirSync(join(profile, 'extract'));
  PATIENTS = join(profile, 'extract', 'patients.csv');
  writeFileSync(PATIENTS, lines.join('\r\n'));
  context = await launchPersistent(profile);
  app = await openApp(context, '#/signoff');
  await app.page.setViewportSize({ width: 1440, height: 900 });
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
});

describe('verifying the migrated records', () => {
  it('opens the sample as aligned, classed rows with the record list beside them', async () => {
    const { page } = app;
    await openFirstRecord(page, PATIENTS, REVIEWER);
    const first = record(page, 1);
    const table = first.getByRole('table', { name: /^Legacy and migrated record, field by field \(mapping/ });
    await table.waitFor();
    // one row per legacy column: the demo extract has 18
    await expect(table.getByRole('rowheader').count()).resolves.toBe(18);
    await expect(row(table, 'allergies').textContent()).resolves.toContain('Not migrated (by design)');
    await expect(
      row(table, 'allergies').getByRole('button', { name: 'Mark wrong: allergies' }).count(),
    ).resolves.toBe(1);
    // the demo's F and M become female and male: the mapping at work, not a difference
    await expect(row(table, 'sex').textContent()).resolves.toMatch(
      /As the mapping says.*Changed by the mapping/,
    );
    await expect(first.getByTestId('aligned-summary').textContent()).resolves.toMatch(
      /^18 legacy fields and 14 fixed values: .*3 not migrated \(by design\)/,
    );
    await expect(list(page).getByTestId('list-progress').textContent()).resolves.toBe('0 of 59 reviewed');
    await expect(list(page).getByRole('button', { name: /^1 / }).getAttribute('aria-current')).resolves.toBe(
      'true',
    );
  });

  it('walks the record list by keyboard: next and previous still to review', async () => {
    const { page } = app;
    await record(page, 1).focus();
    await page.keyboard.press('a');
    await decided(page, 1, 'accepted');
    await record(page, 2).waitFor();
    await page.keyboard.press('n');
    await page.keyboard.press('a');
    await decided(page, 3, 'accepted');
    await record(page, 4).waitFor();
    // Shift+U: back to record 2, the one left behind; U: on past the accepted 3 to record 4
    await page.keyboard.press('Shift+U');
    await record(page, 2).waitFor();
    // "Male" is not in the code map, which maps unknown codes to nothing: the sex is lost
    const sex = row(record(page, 2), 'sex');
    await expect(sex.textContent()).resolves.toMatch(
      /^sex\s*Male\s*gender\s*\(blank\)\s*Missing in the migrated record/,
    );
    await page.keyboard.press('u');
    await record(page, 4).waitFor();
    await expect(list(page).getByTestId('list-progress').textContent()).resolves.toBe('2 of 59 reviewed');
    // L: to the list, on the record in view; Shift+Tab and Enter open the record above it
    await page.keyboard.press('l');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).resolves.toBe(
      'true',
    );
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await record(page, 3).waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
      'Record 3 of 59',
    );
    await page.keyboard.press('u');
    await record(page, 4).waitFor();
    await expect(list(page).getByRole('button', { name: /^4 / }).getAttribute('aria-current')).resolves.toBe(
      'true',
    );
  });

  it('marks the allergies missing (critical) on their row and rejects', async () => {
    const { page } = app;
    const fourth = record(page, 4);
    await row(fourth, 'allergies').getByRole('button', { name: 'Mark wrong: allergies' }).click();
    // the row chose the field; the reason takes the keyboard
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(
      await fourth.getByLabel('Reason').getAttribute('id'),
    );
    await expect(fourth.getByLabel('Field', { exact: true }).inputValue()).resolves.toBe('allergies');
    await fourth.getByLabel('Reason').selectOption('missing');
    await fourth.getByLabel('Defect class').selectOption('critical');
    await fourth.getByRole('button', { name: 'Mark field wrong' }).click();
    await row(fourth, 'allergies').getByText('Marked wrong: Missing, critical').waitFor();
    // Accept is refused while a critical finding is marked
    await fourth.focus();
    await page.keyboard.press('a');
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: 'Not saved: Accept is refused while a major or critical finding is marked' })
      .waitFor();
    await page.keyboard.press('r');
    await decided(page, 4, 'rejected');
    await record(page, 5).waitFor();
    await list(page).getByLabel('Show').selectOption('rejected');
    await expect(list(page).getByRole('list', { name: 'Sampled records' }).textContent()).resolves.toMatch(
      /^4 \d+ Rejected · 1 marked$/,
    );
    await list(page).getByLabel('Show').selectOption('');
  });

  it('after a reload the decision and the mark are there, opened from the list', async () => {
    const { page } = app;
    await page.reload();
    const panel = planReview(page);
    await panel.getByLabel('Data file to review').setInputFiles(PATIENTS);
    // resumes at the first record still to review
    await record(page, 2).waitFor();
    await expect(list(page).getByTestId('list-progress').textContent()).resolves.toBe('3 of 59 reviewed');
    await list(page)
      .getByRole('button', { name: /^4 .*Rejected · 1 marked$/ })
      .click();
    const fourth = record(page, 4);
    await expect(fourth.getByTestId('own-decision').textContent()).resolves.toMatch(
      /^Your decision: Rejected; fields marked wrong: allergies \(missing, critical\)/,
    );
    await row(fourth, 'allergies').getByText('Marked wrong: Missing, critical').waitFor();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
      'Record 4 of 59',
    );
  });

  it('keeps the record in view in sight in the list', async () => {
    const { page } = app;
    await list(page).getByLabel('Show').selectOption('not-reviewed');
    await list(page).getByRole('button', { name: /^59 / }).click();
    await record(page, 59).waitFor();
    await list(page).getByLabel('Show').selectOption('');
    const current = list(page).getByRole('button', { name: /^59 / });
    const inBox = await current.evaluate((button) => {
      const box = button.closest('ol')?.getBoundingClientRect();
      const own = button.getBoundingClientRect();
      return box !== undefined && own.top >= box.top - 1 && own.bottom <= box.bottom + 1;
    });
    expect(inBox).toBe(true);
    await list(page).getByRole('button', { name: /^4 / }).click();
    await record(page, 4).waitFor();
  });

  it.each(WIDTHS)(
    'at %i px the two sides stay side by side, the decision bar is in reach, and axe finds nothing',
    async (width) => {
      const { page } = app;
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      const fourth = record(page, 4);
      const table = fourth.getByRole('table', { name: /^Legacy and migrated record/ });
      const sides = await table.evaluate((t) => {
        const head = [...t.querySelectorAll('thead th')].map((th) => th.getBoundingClientRect());
        const region = t.closest('section')?.getBoundingClientRect();
        return {
          sameLine: head.every((r) => Math.abs(r.top - (head[0]?.top ?? 0)) < 2),
          right: Math.max(...head.map((r) => r.right)) - (region?.right ?? 0),
        };
      });
      expect(sides.sameLine).toBe(true);
      expect(sides.right).toBeLessThanOrEqual(1);
      // scrolled to the record's middle, the Accept button is still on screen
      await row(fourth, 'sex').scrollIntoViewIfNeeded();
      const accept = await fourth.getByRole('button', { name: 'Accept' }).boundingBox();
      expect(accept ? accept.y + accept.height : Number.POSITIVE_INFINITY).toBeLessThanOrEqual(
        width === 390 ? 844 : 900,
      );
      expect(accept?.y).toBeGreaterThanOrEqual(0);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `review-${width}.png`) });
      // below the record on a tablet or phone, the list is a button away
      const toList = fourth.getByRole('button', { name: /^Record list \(56 not reviewed\)$/ });
      await expect(toList.isVisible()).resolves.toBe(width < 1024);
      if (width < 1024) {
        await toList.click();
        await expect(
          page.evaluate(() => document.activeElement?.textContent?.startsWith('4 ')),
        ).resolves.toBe(true);
      }
      expect(await axeViolations(page)).toEqual([]);
    },
  );

  it('is quiet', () => {
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
