/**
 * Journey: a clinician reviews the demo sample on a phone (390 px). The legacy and migrated
 * records fit the screen, and no value is cut in two: an MRN, a member id, a phone number or the
 * record's key wraps only at its punctuation or between words (src/app/common/breakableText.ts).
 * A value cut at any character ("DMP23496314" over "8") reads as another value beside the migrated
 * one, and invites a wrong "reject". The extract's ids are made long here (no punctuation, longer
 * than a phone's line), so the record's key above the tables must wrap too, not overflow the
 * screen; its MRNs are 25 digits (no break opportunity for the browser), which must wrap in the
 * narrow value column of the migrated record without pushing the table off the screen. axe finds nothing; no console output.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchPersistent, openApp, type Watched } from './browser.ts';
import { DEMO_PATIENTS, openFirstRecord, planReview } from './signoffJourney.ts';

const SAMPLE = DEMO_PATIENTS;
/**
 * Appended to each patient id: an id wider than a phone that a browser does not wrap by itself
 * (an underscore is no break opportunity), whose pieces fit the tables' columns.
 */
const LONG = '_RIVERSIDE_CLINIC_EXTRACT_2025_PATIENT_IDENTIFIER_V2';
/**
 * Appended to each MRN (the record's key): 25 digits in all, no punctuation, also in the value
 * column of the three-column migrated-record table (the MRN identifier). Cut into pieces of 16
 * (breakableText.ts) it overflowed a phone by ≈ 40 px.
 */
const DIGITS = '20250001234567890';
let PATIENTS: string;
const RECORDS_CHECKED = 5;

let profile: string;
let context: BrowserContext;
let app: Watched;

/**
 * The text pieces of the record in view that the browser wrapped inside (a text node drawn on more
 * than one line), as "cell text" — and whether the tables stay inside the record's region.
 */
async function cutValues(region: Locator): Promise<{ cut: string[]; overflow: number }> {
  return region.evaluate((root) => {
    const cut: string[] = [];
    const scope = [...root.querySelectorAll('table td, table th, h5 code')];
    for (const element of scope) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        if (text.trim() === '' || /\s/.test(text.trim())) continue; // words wrap between themselves
        const range = document.createRange();
        range.selectNodeContents(node);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) cut.push(`${element.textContent}`);
      }
    }
    const right = root.getBoundingClientRect().right;
    const overflow = Math.max(
      0,
      ...[...root.querySelectorAll('table, h5 code')].map((t) => t.getBoundingClientRect().right - right),
    );
    return { cut, overflow };
  });
}

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-phone-review-'));
  // the sample extract with long ids (the plan's dataset is named patients.csv)
  const lines = readFileSync(SAMPLE, 'utf8').split('\r\n');
  const long = lines.map((line, i) =>
    i === 0 || line === '' ? line : line.replace(/^([^,]*),([^,]*),/, `$1${LONG},$2${DIGITS},`),
  );
  mkdirSync(join(profile, 'extract'));
  PATIENTS = join(profile, 'extract', 'patients.csv');
  writeFileSync(PATIENTS, long.join('\r\n'));
  context = await launchPersistent(profile);
  app = await openApp(context, '#/signoff');
  await app.page.setViewportSize({ width: 390, height: 844 });
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
});

describe('reviewing on a phone', () => {
  it('draws the sample and opens the first record', async () => {
    const { page } = app;
    await openFirstRecord(page, PATIENTS);
  });

  it(`no value of the first ${RECORDS_CHECKED} records is cut in two, and the records fit the screen`, async () => {
    const { page } = app;
    for (let n = 1; n <= RECORDS_CHECKED; n++) {
      const record = planReview(page).getByRole('region', { name: `Record ${n} of 59` });
      await record.waitFor();
      // the case under test: a key (the MRN) of 25 digits, also in the migrated record's value
      // column, and the legacy id longer than the screen is wide
      const mrn = new RegExp(`^\\d+${DIGITS}$`);
      await expect(record.locator('h5 code').textContent()).resolves.toMatch(mrn);
      // the legacy value in its row's header, the migrated one in the cell beside it
      await expect(
        record.getByRole('rowheader', { name: new RegExp(`^mrn\\s*\\d+${DIGITS}$`) }).count(),
      ).resolves.toBe(1);
      await expect(
        record
          .getByRole('cell', { name: new RegExp(`^identifier\\[0\\]\\.value\\s*\\d+${DIGITS}$`) })
          .count(),
      ).resolves.toBe(1);
      await expect(
        record.getByRole('rowheader', { name: new RegExp(`^patient_id\\s*\\w+${LONG}$`) }).count(),
      ).resolves.toBe(1);
      await expect(
        record.getByRole('cell', { name: new RegExp(`^identifier\\[1\\]\\.value\\s*\\w+${LONG}$`) }).count(),
      ).resolves.toBe(1);
      const { cut, overflow } = await cutValues(record);
      expect(cut, `record ${n}`).toEqual([]);
      expect(overflow, `record ${n}`).toBeLessThanOrEqual(1);
      await record.focus();
      await page.keyboard.press('n');
    }
  });

  it('is accessible and quiet', async () => {
    expect(await axeViolations(app.page)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
