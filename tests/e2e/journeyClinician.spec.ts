/**
 * The clinician reviewer's journey in Chromium, with the app's real workers: the plan locked and
 * its sample drawn, each record reviewed with the keyboard beside its legacy source (aligned,
 * classed rows and the record list), a reload and a killed browser losing nothing shown as Saved,
 * the audit log verified by the CLI, and the same review on a phone, where no value is cut and the
 * charts stay readable. Each part opens its own contexts in the file's one browser (the kill part
 * needs a browser of its own: its proof is that browser's death); an axe check runs on each screen.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { verifyAuditChain } from '../../src/core/signoff/signing/index.ts';
import type { Review } from '../../src/formats/review.ts';
import { axeRegionViolations } from './axeRegion.ts';
import {
  axeViolations,
  killProfileProcesses,
  launchPersistent,
  openApp,
  storedRecords,
  type Watched,
} from './browser.ts';
import { closeFileBrowser, freshContext } from './signoffBrowser.ts';
import { DEMO_PATIENTS, openFirstRecord, planReview, rejectionComment } from './signoffJourney.ts';

/**
 * Journey: a data lead locks the whole-file sample plan of the demo clinic and draws its sample in
 * the browser; a clinician reviews records with the keyboard only — accepting, rejecting, marking
 * a field wrong — and every decision shows "Saved" only once stored. The browser is killed
 * mid-review (SIGKILL, no unload handlers); after a restart every decision that showed "Saved" is
 * there, the hash-chained audit log verifies (here in Node, over the stored entries and decisions),
 * and the verdict per stratum is shown. A comment quoting the record's key is refused, saving
 * nothing, until reworded. axe finds nothing; no console output; no CSP violation.
 */
describe('the review with the keyboard, a reload and a killed browser', () => {
  const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
  const ENCOUNTERS = fileURLToPath(new URL('../../samples/legacy/encounters.csv', import.meta.url));
  const PLAN = 'Patient demographics: whole-file sample';

  let profile: string;
  let context: BrowserContext;
  let app: Watched;
  const earlierConsole: string[] = [];
  const earlierCsp: string[] = [];
  const savedShown: string[] = [];

  const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
  const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });

  /** Presses `key` in the record region and waits until the decision it makes shows "Saved". */
  async function decide(page: Page, key: string, record: number, word: string) {
    if (key === 'r') await rejectionComment(page, review(page));
    await page.keyboard.press(key);
    const status = review(page).getByTestId('save-status');
    await status.filter({ hasText: `Saved: record ${record} ${word}.` }).waitFor();
    savedShown.push(`${record}:${word}`);
  }

  /**
   * R with nothing said yet: Reject is chosen, the keyboard goes to the comment and the save line
   * says what the rejection needs; typing why and Enter saves it.
   */
  async function rejectSayingWhy(page: Page, record: number) {
    await page.keyboard.press('r');
    const status = review(page).getByTestId('save-status');
    await status.filter({ hasText: /^Rejecting this record: write what is wrong in the comment/ }).waitFor();
    await page.keyboard.type('The date of birth differs from the legacy record.');
    await page.keyboard.press('Enter');
    await status.filter({ hasText: `Saved: record ${record} rejected.` }).waitFor();
    savedShown.push(`${record}:rejected`);
  }

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'preflight-review-'));
    context = await launchPersistent(profile);
    app = await openApp(context, '#/signoff');
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });

  describe('clinician review', () => {
    it('locks the plan and draws its sample in the browser; a file the plan was not locked with is refused', async () => {
      const { page } = app;
      await card(page).getByLabel('Data files').setInputFiles(PATIENTS);
      await card(page).getByRole('button', { name: 'Lock the plan' }).click();
      await card(page).getByTestId('plan-hash').waitFor();
      await review(page).getByLabel('Data files for the sample').setInputFiles(ENCOUNTERS);
      await review(page)
        .getByRole('alert')
        .filter({ hasText: 'encounters.csv is not one of the files this plan was locked with' })
        .waitFor();
      await review(page).getByLabel('Data files for the sample').setInputFiles(PATIENTS);
      await review(page).getByText('59 records drawn').waitFor();
      await expect(review(page).getByTestId('review-progress').textContent()).resolves.toBe(
        '0 of 59 decided',
      );
    });

    it('reviews with the keyboard only: accept, reject, mark a field wrong, cannot assess', async () => {
      const { page } = app;
      const panel = review(page);
      await panel.getByLabel('Printed name').fill('Dana Reyes');
      await panel.getByLabel('Role').fill('Registered nurse');
      await panel.getByLabel('Staff id').fill('RN-204');
      await panel.getByLabel('Data file to review').setInputFiles(PATIENTS);
      const region = panel.getByRole('region', { name: 'Record 1 of 59' });
      await region.waitFor();
      await expect(region.getByText('Keys: A accept').isVisible()).resolves.toBe(true);
      await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
        'Record 1 of 59',
      );
      await expect(
        region
          .getByRole('table', { name: /^Legacy and migrated record, field by field \(mapping/ })
          .isVisible(),
      ).resolves.toBe(true);

      await decide(page, 'a', 1, 'accepted');
      await rejectSayingWhy(page, 2);
      // record 3: M focuses the field list; choose the second field, then the reason (W: wrong value)
      // and the class (M: major) — each chosen for this record — Tab to the button, mark, Esc back
      await page.keyboard.press('m');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      await page.keyboard.press('w');
      await page.keyboard.press('Tab');
      await page.keyboard.press('m');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await panel.getByText(/Marked wrong: Wrong value, major/).waitFor();
      await page.keyboard.press('Escape');
      await decide(page, 'r', 3, 'rejected');
      await decide(page, 'c', 4, 'cannot assess');
      await page.keyboard.press('p');
      await panel
        .getByRole('region', { name: 'Record 4 of 59' })
        .getByTestId('decision-state')
        .filter({ hasText: 'Saved' })
        .waitFor();
      await page.keyboard.press('n');
      await decide(page, 'a', 5, 'accepted');
    });

    it('after the browser is killed mid-review, every decision shown as Saved is there and the chain verifies', async () => {
      earlierConsole.push(...app.console);
      earlierCsp.push(...app.cspViolations);
      expect(killProfileProcesses(profile)).toBeGreaterThan(0);
      await context.close().catch(() => {});
      context = await launchPersistent(profile);
      app = await openApp(context, '#/signoff');
      const { page } = app;
      const panel = review(page);
      await panel
        .getByTestId('review-progress')
        .filter({ hasText: `${savedShown.length} of 59 decided` })
        .waitFor();
      await panel
        .getByTestId('audit-status')
        // the plan lock and the draw, then one entry per decision
        .filter({ hasText: `Audit log: ${savedShown.length + 2} entries, chain intact` })
        .waitFor();
      const { audit, documents } = await storedRecords(page);
      const reviews = documents.filter((d) => d.kind === 'review').map((d) => d.body as Review);
      expect(reviews[0]?.decisions.map((d) => d.outcome)).toEqual([
        'accept',
        'reject',
        'reject',
        'cannot-assess',
        'accept',
      ]);
      expect(reviews[0]?.decisions[2]?.findings).toEqual([
        { field: expect.any(String), reason: 'wrong-value', defectClass: 'major' },
      ]);
      const entries = (audit as { seq: number; projectId?: string }[])
        .sort((a, b) => a.seq - b.seq)
        .map(({ projectId: _p, ...entry }) => entry);
      expect(verifyAuditChain(entries, reviews)).toMatchObject({ ok: true, entries: 7 });
      // the audit store holds no record content: no key of a decided record
      for (const d of reviews[0]?.decisions ?? []) expect(JSON.stringify(audit)).not.toContain(d.recordKey);
    });

    it('shows the verdict per stratum, with the Bonferroni note; resumes at the next undecided record', async () => {
      const { page } = app;
      const panel = review(page);
      const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
      await expect(verdict.textContent()).resolves.toMatch(/5 of 59.*3.*Fails: error bound above the target/);
      await expect(panel.getByText(/Bonferroni correction over the strata/).isVisible()).resolves.toBe(true);
      await panel.getByLabel('Printed name').fill('Dana Reyes');
      await panel.getByLabel('Role').fill('Registered nurse');
      await panel.getByLabel('Staff id').fill('RN-204');
      await panel.getByLabel('Data file to review').setInputFiles(PATIENTS);
      await panel.getByRole('region', { name: 'Record 6 of 59' }).waitFor();
    });

    it('refuses a comment that quotes the record key, saving nothing, and saves it reworded', async () => {
      const { page } = app;
      const panel = review(page);
      const region = panel.getByRole('region', { name: 'Record 6 of 59' });
      const key = (await region.locator('code.record-key').textContent())?.trim() ?? '';
      expect(key).toMatch(/\w/);
      // the form says so before anything is typed
      await expect(
        panel.getByLabel(/^Comment/).evaluate((box) => {
          const hint = document.getElementById(box.getAttribute('aria-describedby') ?? '');
          return hint?.textContent ?? '';
        }),
      ).resolves.toMatch(/a comment that quotes the record's key \(MRN\), a name, .* is not saved/);
      const before = await storedRecords(page);
      await panel.getByLabel(/^Comment/).fill(`Record ${key}: the date of birth differs.`);
      await page.keyboard.press('Escape');
      await page.keyboard.press('r');
      const status = panel.getByTestId('save-status');
      await status.filter({ hasText: /^Not saved: The comment contains the record's key/ }).waitFor();
      await expect(status.textContent()).resolves.toContain('refer to it as "the record" or by field name');
      // the message never repeats the value, and nothing was stored or logged
      await expect(status.textContent()).resolves.not.toContain(key);
      await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('5 of 59 decided');
      const after = await storedRecords(page);
      expect(after.audit.length).toBe(before.audit.length);
      expect(JSON.stringify(after.documents)).not.toContain('the date of birth differs.');
      await expect(region.isVisible()).resolves.toBe(true);

      await panel
        .getByLabel(/^Comment/)
        .fill('The record: the date of birth differs from the legacy record.');
      await page.keyboard.press('Escape');
      await page.keyboard.press('r');
      await status.filter({ hasText: 'Saved: record 6 rejected.' }).waitFor();
      savedShown.push('6:rejected');
    });

    it('exports the audit log, which `preflight signoff verify` verifies', async () => {
      const { page } = app;
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        review(page).getByRole('button', { name: 'Export the audit log' }).click(),
      ]);
      const file = join(profile, 'audit-log.json');
      await download.saveAs(file);
      const out: string[] = [];
      const code = await main(['signoff', 'verify', file], {
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(t),
        cwd: profile,
      });
      expect(out.join('\n')).toMatch(/verified: 8 entries/);
      expect(code).toBe(0);
    });

    // one width: the same review on a phone passes axe in 'the review on a phone' below
    it('is accessible, quiet and within the content security policy', async () => {
      expect(await axeViolations(app.page)).toEqual([]);
      expect([...earlierConsole, ...app.console]).toEqual([]);
      expect([...earlierCsp, ...app.cspViolations]).toEqual([]);
    });
  });
});

/**
 * Journey: a clinician verifies the demo sample as source-data verification is done. Each record
 * opens as one aligned row per legacy field beside what the mapping made of it, classed (the
 * allergies column, which the mapping never migrates, is shown and markable; a sex the code map
 * does not know, "Male", is missing in the migrated record, not a mere difference); the record list
 * shows where each record stands and the keyboard walks it (U and Shift+U: next and previous
 * record still to review). She marks the allergies missing (critical) on their row, rejects, and
 * reloads: the decision and the mark are still there when she opens the record from the list.
 * Side by side at 1440 and 820 px, compact on a 390 px phone; axe finds nothing side by side (on a
 * phone: the phone part below).
 */
describe('the verification view: aligned rows and the record list', () => {
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
    context = await freshContext();
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
      const table = first.getByRole('table', {
        name: /^Legacy and migrated record, field by field \(mapping/,
      });
      await table.waitFor();
      // one row per legacy column: the demo extract has 18
      await expect(table.getByRole('rowheader').count()).resolves.toBe(18);
      // a dropped allergy list is a critical risk, never a neutral "by design"
      await expect(row(table, 'allergies').textContent()).resolves.toMatch(
        /Not migrated.*Critical risk: this field is dropped and the sample plan records no reason or owner for it\./,
      );
      await expect(
        row(table, 'allergies').getByRole('button', { name: 'Mark wrong: allergies' }).count(),
      ).resolves.toBe(1);
      // the demo's F and M become female and male: the mapping at work, not a difference
      await expect(row(table, 'sex').textContent()).resolves.toMatch(
        /As the mapping says.*Changed by the mapping/,
      );
      await expect(first.getByTestId('aligned-summary').textContent()).resolves.toMatch(
        /^18 legacy fields and 14 fixed values: .*3 not migrated/,
      );
      await expect(list(page).getByTestId('list-progress').textContent()).resolves.toBe('0 of 59 reviewed');
      await expect(
        list(page).getByRole('button', { name: /^1 / }).getAttribute('aria-current'),
      ).resolves.toBe('true');
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
      await expect(
        list(page).getByRole('button', { name: /^4 / }).getAttribute('aria-current'),
      ).resolves.toBe('true');
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
      'at %i px the two sides stay side by side, and the decision bar is in reach',
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
        // axe once per layout: side by side here (the review, the page around it passed above), the
        // list behind a button on the phone below
        if (width === 1440) expect(await axeRegionViolations(planReview(page))).toEqual([]);
      },
    );

    it('is quiet', () => {
      expect(app.console).toEqual([]);
      expect(app.cspViolations).toEqual([]);
    });
  });
});

/**
 * Journey: a clinician reviews the demo sample on a phone (390 px). The legacy and migrated
 * records fit the screen, and no value is cut in two: an MRN, a member id, a phone number or the
 * record's key wraps only at its punctuation or between words (src/app/common/breakableText.ts).
 * A value cut at any character ("DMP23496314" over "8") reads as another value beside the migrated
 * one, and invites a wrong "reject". The extract's ids are made long here (no punctuation, longer
 * than a phone's line), so the record's key above the tables must wrap too, not overflow the
 * screen; its MRNs are 25 digits (no break opportunity for the browser), which must wrap in the
 * narrow value column of the migrated record without pushing the table off the screen. Before the
 * sample is drawn, the plan's chart shrinks to the screen with every label (axis, ticks, target and
 * risk lines) readable and none cut off at its edges (that screen's axe check on a phone is
 * layout.spec's). axe finds nothing on the review; no console output.
 */
describe('the review on a phone', () => {
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
  /** Smallest on-screen height of a chart label's box, in CSS pixels (11 px type gives about 13). */
  const MIN_LABEL_PX = 10;

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
    context = await freshContext();
    app = await openApp(context, '#/signoff');
    await app.page.setViewportSize({ width: 390, height: 844 });
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });

  describe('reviewing on a phone', () => {
    it('keeps every label of the plan’s chart readable and inside the chart', async () => {
      const chart = app.page
        .getByRole('img', { name: 'Chance that a stratum passes, by its true error rate' })
        .first();
      await chart.waitFor();
      const labels = await chart.evaluate((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].map((t) => {
          const r = t.getBoundingClientRect();
          return {
            text: t.textContent ?? '',
            height: r.height,
            inside:
              r.left >= box.left - 0.5 &&
              r.right <= box.right + 0.5 &&
              r.top >= box.top - 0.5 &&
              r.bottom <= box.bottom + 0.5,
          };
        });
      });
      expect(labels.length).toBeGreaterThan(8);
      for (const label of labels) {
        expect(label.height, `"${label.text}" is too small to read`).toBeGreaterThanOrEqual(MIN_LABEL_PX);
        expect(label.inside, `"${label.text}" is cut off`).toBe(true);
      }
    });

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
          record
            .getByRole('cell', { name: new RegExp(`^identifier\\[1\\]\\.value\\s*\\w+${LONG}$`) })
            .count(),
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
});

// the file's one browser, after every part closed its own contexts
afterAll(closeFileBrowser);
