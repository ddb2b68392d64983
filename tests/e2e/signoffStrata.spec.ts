/**
 * Journey: a data lead turns on dual review for the demo clinic's main plan — strata from the
 * validation outcome, the flagged records a census — locks it and draws its sample in the browser
 * (the migration engine validates every record against the demo contract first: 262 flagged rows,
 * 250 distinct MRNs, reviewed in full; 146 of the 4,738 clean rows (the exact hypergeometric size)). Two clinicians review two
 * records independently — each sees only their own decisions — and disagree on one; the verdict
 * says it awaits adjudication; an adjudicator decides it (final, its own audit entry); the charts
 * of errors by reason and by field show what was found. The verdict per stratum reads at 1440,
 * 820 and 390 px without scrolling sideways (a card per stratum on a phone, still a table to a
 * screen reader). The audit chain verifies; axe finds nothing; no console output; no CSP violation.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/signoff/auditChain.ts';
import type { Review } from '../../src/formats/review.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
const PLAN = 'Patient demographics: clinician sample before go-live';
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the verdict for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let app: Watched;

const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });

async function stored(page: Page): Promise<{ audit: unknown[]; reviews: Review[] }> {
  return page.evaluate(async () => {
    const open = indexedDB.open('preflight');
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = (store: string): Promise<unknown[]> =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const documents = (await all('documents')) as { kind: string; body: unknown }[];
    const result = {
      audit: await all('audit'),
      reviews: documents.filter((d) => d.kind === 'review').map((d) => d.body as Review),
    };
    db.close();
    return result;
  });
}

async function asReviewer(panel: Locator, name: string, role: string, id: string) {
  await panel.getByLabel('Printed name', { exact: true }).fill(name);
  await panel.getByLabel('Role', { exact: true }).fill(role);
  await panel.getByLabel('Staff id', { exact: true }).fill(id);
}

async function decide(panel: Locator, button: 'Accept' | 'Reject', record: number, word: string) {
  await panel.getByRole('button', { name: button, exact: true }).click();
  await panel
    .getByTestId('save-status')
    .filter({ hasText: `Saved: record ${record} ${word}.` })
    .waitFor();
}

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/signoff');
});

afterAll(async () => {
  await browser?.close();
});

describe('validation strata, dual review and adjudication', () => {
  it('turns on dual review, locks the main plan and draws it: the flagged stratum is a census', async () => {
    const { page } = app;
    await card(page)
      .getByLabel(/Dual review: two clinicians review every record independently/)
      .check();
    await waitForSaved(page);
    await card(page).getByLabel('Data files').setInputFiles(PATIENTS);
    await card(page).getByRole('button', { name: 'Lock the plan' }).click();
    await card(page).getByTestId('plan-hash').waitFor();
    const panel = review(page);
    await expect(panel.getByText(/checked against the column contract/).isVisible()).resolves.toBe(true);
    await panel.getByLabel('Data files for the sample').setInputFiles(PATIENTS);
    await panel.getByText('396 records drawn').waitFor();
    const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
    await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.toMatch(/0 of 146/);
    await expect(verdict.getByRole('row', { name: /^flagged/ }).textContent()).resolves.toMatch(/0 of 250/);
    // the plan card counts what was drawn, as the review and the verdict do, and says why it is fewer
    const sizes = card(page).getByRole('table', { name: /Records to review/ });
    await expect(sizes.locator('caption').textContent()).resolves.toBe(
      'Records to review: 396 of 5,000 rows; rows with the same key (mrn) are one record',
    );
    await expect(sizes.getByRole('row', { name: /^Rows validation flagged/ }).textContent()).resolves.toMatch(
      /262250 \(all\)262 rows, 250 records: rows with the same key \(mrn\) are one record, reviewed once/,
    );
  });

  it('two reviewers decide independently: each sees only their own decisions', async () => {
    const { page } = app;
    const panel = review(page);
    await panel.getByLabel('I am the first reviewer').check();
    await asReviewer(panel, 'Dana Reyes', 'Registered nurse', 'RN-204');
    await panel.getByLabel('Data file to review').setInputFiles(PATIENTS);
    await panel.getByRole('region', { name: 'Record 1 of 396' }).waitFor();
    await decide(panel, 'Accept', 1, 'accepted');
    // record 2: mark the first field wrong (wrong value, major), then reject
    await panel.getByLabel('Reason', { exact: true }).selectOption({ label: 'Wrong value' });
    await panel.getByLabel('Defect class').selectOption({ label: 'Major' });
    await panel.getByRole('button', { name: 'Mark field wrong' }).click();
    await panel.getByText(/Marked wrong: Wrong value, major/).waitFor();
    await decide(panel, 'Reject', 2, 'rejected');

    await panel.getByLabel('I am the second reviewer').check();
    await asReviewer(panel, 'Sam Okafor', 'Physician', 'MD-17');
    const first = panel.getByRole('region', { name: 'Record 1 of 396' });
    await first.waitFor();
    // the first reviewer's decision is not shown to the second
    await expect(first.getByTestId('decision-state').count()).resolves.toBe(0);
    await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('0 of 396 decided');
    await decide(panel, 'Accept', 1, 'accepted');
    await decide(panel, 'Accept', 2, 'accepted');
    // both decided record 1: independent review of it is closed
    await panel.getByRole('button', { name: 'Previous' }).click();
    await panel.getByRole('button', { name: 'Previous' }).click();
    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel
      .getByTestId('save-status')
      .filter({ hasText: /Not saved: .*independent review of it is closed/ })
      .waitFor();
  });

  it('the disagreement awaits adjudication; the verdict counts it as an error and says so', async () => {
    const { page } = app;
    const panel = review(page);
    const adjudication = panel.getByRole('region', { name: 'Adjudication' });
    await adjudication.getByRole('heading', { name: 'Adjudication: 1 record waiting' }).waitFor();
    await expect(
      adjudication.getByText(/First reviewer \(Dana Reyes\): rejected: .*wrong value, major/).count(),
    ).resolves.toBe(1);
    await expect(adjudication.getByText(/Second reviewer \(Sam Okafor\): accepted/).count()).resolves.toBe(1);
    await expect(
      panel.getByText(/^1 record is not yet adjudicated .* each counts at its worst/).isVisible(),
    ).resolves.toBe(true);
    // signing now records the review, never a go-live approval
    const sign = panel.getByRole('region', { name: 'Sign off' });
    await expect(sign.getByTestId('sign-standing').textContent()).resolves.toMatch(
      /^1 record awaits an adjudicator .*: go-live cannot be approved until it is decided/,
    );
    await expect(sign.getByTestId('signature-meaning').textContent()).resolves.toMatch(
      /I do not approve the migrated records for go-live/,
    );
    const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
    await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.toMatch(
      /2 of 146.*1 \(1 record awaiting adjudication, 1 counted as an error at worst\)/,
    );
  });

  it('an adjudicator (not a reviewer of the record) decides it; the decision is final and audited', async () => {
    const { page } = app;
    const adjudication = review(page).getByRole('region', { name: 'Adjudication' });
    // the adjudicator can look at the record itself in the review above
    await adjudication.getByRole('button', { name: /^Show record .* above$/ }).click();
    await review(page).getByRole('region', { name: 'Record 2 of 396' }).waitFor();
    await adjudication.getByLabel("Adjudicator's full name").fill('Lee Park');
    await adjudication.getByLabel("Adjudicator's job title").fill('Medical director');
    await adjudication.getByLabel("Adjudicator's staff number").fill('MD-01');
    await adjudication.getByRole('button', { name: /Adopt the first reviewer's decision/ }).click();
    await adjudication
      .getByTestId('adjudication-status')
      .filter({ hasText: /^Saved: adjudication/ })
      .waitFor();
    await expect(adjudication.getByRole('list').count()).resolves.toBe(0);
    const panel = review(page);
    await panel
      .getByTestId('audit-status')
      // the plan lock and the draw, then the five decisions
      .filter({ hasText: 'Audit log: 7 entries, chain intact' })
      .waitFor();
    const { audit, reviews } = await stored(page);
    const decisions = reviews[0]?.decisions ?? [];
    expect(decisions.map((d) => [d.stage, d.outcome])).toEqual([
      ['first', 'accept'],
      ['first', 'reject'],
      ['second', 'accept'],
      ['second', 'accept'],
      ['adjudication', 'reject'],
    ]);
    const entries = (audit as { seq: number; projectId?: string }[])
      .sort((a, b) => a.seq - b.seq)
      .map(({ projectId: _p, ...entry }) => entry);
    // the plan lock and the draw, then the five decisions
    expect(verifyAuditChain(entries, reviews)).toMatchObject({ ok: true, entries: 7 });
    const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
    await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.toMatch(/2 of 146/);
    await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.not.toMatch(/awaiting/);
  });

  it('charts the errors by reason and by field, overall and per stratum, with a table', async () => {
    const { page } = app;
    const charts = review(page).getByRole('region', { name: 'Errors found' });
    await expect(
      charts.getByRole('img', { name: /By reason \(all strata\): Wrong value 1, Missing 0/ }).isVisible(),
    ).resolves.toBe(true);
    await expect(
      charts.getByRole('img', { name: /By field \(all strata\): \S+ 1/ }).isVisible(),
    ).resolves.toBe(true);
    await charts.getByLabel('Show').selectOption('clean');
    await charts.getByRole('img', { name: /By reason \(stratum clean\): Wrong value 1/ }).waitFor();
    await charts.getByText('The numbers as a table').click();
    await expect(
      charts.getByRole('table', { name: /Errors by reason and by field \(stratum clean\)/ }).textContent(),
    ).resolves.toMatch(/Reason: Wrong value1/);
  });

  it('the verdict reads on a tablet and a phone without scrolling sideways: one card per stratum', async () => {
    const { page } = app;
    const panel = review(page);
    const region = panel.getByRole('region', { name: 'Verdict per stratum' });
    const verdict = region.getByRole('table', { name: 'Verdict per stratum (so far)' });
    const cdp = await page.context().newCDPSession(page);
    for (const width of [1440, 820, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await region.scrollIntoViewIfNeeded();
      // nothing in the verdict scrolls sideways, nor the page
      const overflow = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(overflow.scroll, `verdict at ${width} px`).toBeLessThanOrEqual(overflow.client);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
      // every stratum's figures are on screen: each cell inside the viewport's width
      for (const [stratum, figures] of [
        ['flagged', /0 of 250/],
        ['clean', /2 of 146/],
      ] as const) {
        const row = verdict.getByRole('row', { name: new RegExp(`^${stratum}`) });
        await expect(row.textContent()).resolves.toMatch(figures);
        const cells = row.locator('th, td');
        await expect(cells.count()).resolves.toBe(7);
        for (const cell of await cells.all()) {
          const box = await cell.boundingBox();
          expect(box, `${stratum} at ${width} px`).not.toBeNull();
          expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
        }
      }
      // the column headers show where the table fits; on a phone each figure carries its header's words
      // (on a phone the header row is clipped to one pixel: out of sight, still read out)
      const headers = await verdict.locator('thead').boundingBox();
      expect((headers?.height ?? 0) > 1, `column headers shown at ${width} px`).toBe(width > 640);
      const label = await verdict
        .locator('tbody td')
        .first()
        .evaluate((td) => getComputedStyle(td, '::before').content);
      expect(label).toBe(width > 640 ? 'none' : '"Reviewed"');
      // Chromium still exposes a table with row and column headers to screen readers
      const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
        nodes: { role?: { value?: string }; name?: { value?: string } }[];
      };
      const roles = nodes.map((n) => n.role?.value);
      expect(
        nodes.some((n) => n.role?.value === 'table' && n.name?.value === 'Verdict per stratum (so far)'),
        `table role at ${width} px`,
      ).toBe(true);
      expect(roles).toContain('columnheader');
      expect(roles).toContain('rowheader');
      if (SHOTS) await region.screenshot({ path: join(SHOTS, `verdict-${width}.png`) });
      expect(await axeViolations(page)).toEqual([]);
    }
    await cdp.detach();
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('is accessible, quiet and within the content security policy', async () => {
    expect(await axeViolations(app.page)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
