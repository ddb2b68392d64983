/**
 * Journey: a data lead sets up the clinician sample plan of the demo clinic. They see how many
 * records each stratum needs and why, and the plan's operating-characteristic curve; an
 * impossible target is refused where it is typed; they fingerprint the data file and lock the plan
 * (its hash is the SHA-256 Node computes of the plan's canonical JSON, and the file's digest is
 * node:crypto's); the lock survives a reload, the locked targets cannot be edited, and "Make a new
 * plan" creates a draft that supersedes it with a new seed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../../src/core/hash/canonicalJson.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));

let browser: Browser;
let app: Watched;
const earlierConsole: string[] = [];

const plan = (page: Page, name = 'Patient demographics: clinician sample before go-live'): Locator =>
  page.getByRole('article', { name });

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/signoff');
});

afterAll(async () => {
  await browser?.close();
});

describe('sample plan: size, curve and lock', () => {
  it('shows the records to review per stratum, why, and the curve', async () => {
    const card = plan(app.page);
    const table = card.getByRole('table', { name: /Records to review/ });
    const clean = table.getByRole('row', { name: /Rows that pass the column contract/ });
    await expect(clean.textContent()).resolves.toMatch(/4,738/);
    await clean.locator('summary').click();
    await expect(clean.getByRole('list').textContent()).resolves.toMatch(
      /A stratum whose error rate is 2 % or worse/,
    );
    const flagged = table.getByRole('row', { name: /Rows validation flagged/ });
    await expect(flagged.textContent()).resolves.toMatch(/262 \(all\)/);
    await expect(card.getByRole('img', { name: /Chance that a stratum passes/ }).isVisible()).resolves.toBe(
      true,
    );
  });

  it('refuses a minor-defect rate stricter than the error rate, where it is typed', async () => {
    const card = plan(app.page);
    const minor = card.getByLabel('Highest minor-defect rate accepted (%)');
    await minor.fill('1');
    await expect(minor.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(
      card.getByText('The minor-defect rate must be at least the error rate above.').isVisible(),
    ).resolves.toBe(true);
    await minor.fill('5');
    await expect(minor.getAttribute('aria-invalid')).resolves.toBeNull();
  });

  it('fingerprints the data file, locks the plan and shows its hash', async () => {
    const { page } = app;
    const card = plan(page);
    await card.getByLabel('Data files').setInputFiles(PATIENTS);
    const expected = createHash('sha256').update(readFileSync(PATIENTS)).digest('hex');
    await card.getByText(expected).waitFor();
    // a small clinic lets its approver review too: the choice is part of the locked plan
    const mayApprove = card.getByLabel(/The approver may also review records of this sample/);
    await expect(mayApprove.isChecked()).resolves.toBe(false);
    await mayApprove.check();
    await card.getByRole('button', { name: 'Lock the plan' }).click();
    await card.getByTestId('plan-hash').waitFor();
    await waitForSaved(page);
    const shown = await card.getByTestId('plan-hash').textContent();
    // the plan as stored in IndexedDB hashes (canonical JSON, SHA-256, computed here in Node) to the value shown
    const stored = await page.evaluate(async () => {
      const open = indexedDB.open('preflight');
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const names = [...db.objectStoreNames];
      const store = names.find((n) => /document/i.test(n)) ?? names[0];
      if (!store) return [];
      const all: unknown[] = await new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      db.close();
      return all;
    });
    const lockedPlans = JSON.stringify(stored).includes(expected);
    expect(lockedPlans).toBe(true);
    const planDoc = findPlan(stored, expected);
    expect(planDoc && canonicalSha256Hex(planDoc)).toBe(shown);
    expect(planDoc).toMatchObject({ reviewerMayApprove: true });
  });

  it('keeps the lock after a reload; locked targets cannot be edited', async () => {
    const { page } = app;
    earlierConsole.push(...app.console);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    const card = plan(page);
    await card.getByTestId('plan-hash').waitFor();
    await expect(card.getByText('Locked', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(card.getByLabel('Confidence (%)').isDisabled()).resolves.toBe(true);
    const mayApprove = card.getByLabel(/The approver may also review records of this sample/);
    await expect(mayApprove.isChecked()).resolves.toBe(true);
    await expect(mayApprove.isDisabled()).resolves.toBe(true);
  });

  it('"Make a new plan" adds a draft that supersedes the locked one, with a new seed', async () => {
    const { page } = app;
    const card = plan(page);
    const hash = await card.getByTestId('plan-hash').textContent();
    const oldSeed = await card.locator('dd code').first().textContent();
    await card.getByRole('button', { name: 'Make a new plan from this one' }).click();
    const draft = plan(page, 'Patient demographics: clinician sample before go-live (re-sample)');
    await draft.waitFor();
    await expect(draft.textContent()).resolves.toContain(`${hash?.slice(0, 12)}…`);
    const newSeed = await draft.locator('dd code').first().textContent();
    expect(newSeed).toMatch(/^[0-9a-f]{16}$/);
    expect(newSeed).not.toBe(oldSeed);
    await expect(card.getByText(/Superseded by/).isVisible()).resolves.toBe(true);
    await expect(draft.getByLabel('Confidence (%)').isDisabled()).resolves.toBe(false);
  });

  it('has no accessibility violations, printed nothing and broke no CSP rule', async () => {
    const violations = await axeViolations(app.page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    expect([...earlierConsole, ...app.console]).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});

/** The stored sample plan whose lock holds `sha256`, wherever storage keeps documents. */
function findPlan(value: unknown, sha256: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (record.format === 'preflight.sampleplan/v1' && JSON.stringify(record.lock ?? null).includes(sha256))
    return record;
  for (const child of Object.values(record)) {
    const found = findPlan(child, sha256);
    if (found) return found;
  }
  return undefined;
}
