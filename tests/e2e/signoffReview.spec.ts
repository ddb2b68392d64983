/**
 * Journey: a data lead locks the whole-file sample plan of the demo clinic and draws its sample in
 * the browser; a clinician reviews records with the keyboard only — accepting, rejecting, marking
 * a field wrong — and every decision shows "Saved" only once stored. The browser is killed
 * mid-review (SIGKILL, no unload handlers); after a restart every decision that showed "Saved" is
 * there, the hash-chained audit log verifies (here in Node, over the stored entries and decisions),
 * and the verdict per stratum is shown. A comment quoting the record's key is refused, saving
 * nothing, until reworded. axe finds nothing; no console output; no CSP violation.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { verifyAuditChain } from '../../src/core/signoff/auditChain.ts';
import type { Review } from '../../src/formats/review.ts';
import { axeViolations, launchPersistent, openApp, VIEWPORTS, type Watched } from './browser.ts';
import { rejectionComment } from './signoffJourney.ts';

const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
const ENCOUNTERS = fileURLToPath(new URL('../../samples/legacy/encounters.csv', import.meta.url));
const PLAN = 'Patient demographics: whole-file sample';

let profile: string;
let context: BrowserContext;
let app: Watched;
const earlierConsole: string[] = [];
const earlierCsp: string[] = [];
const savedShown: string[] = [];

/** SIGKILLs every process whose command line names this browser profile (Linux /proc). */
function killProfileProcesses(userDataDir: string): number {
  let killed = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(`--user-data-dir=${userDataDir}`)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed += 1;
    } catch {
      // gone already
    }
  }
  return killed;
}

const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });

async function stored(
  page: Page,
): Promise<{ audit: unknown[]; documents: { kind: string; body: unknown }[] }> {
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
    const result = {
      audit: await all('audit'),
      documents: (await all('documents')) as { kind: string; body: unknown }[],
    };
    db.close();
    return result;
  });
}

/** Presses `key` in the record region and waits until the decision it makes shows "Saved". */
async function decide(page: Page, key: string, record: number, word: string) {
  if (key === 'r') await rejectionComment(page, review(page));
  await page.keyboard.press(key);
  const status = review(page).getByTestId('save-status');
  await status.filter({ hasText: `Saved: record ${record} ${word}.` }).waitFor();
  savedShown.push(`${record}:${word}`);
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
    await expect(review(page).getByTestId('review-progress').textContent()).resolves.toBe('0 of 59 decided');
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
    await decide(page, 'r', 2, 'rejected');
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
    const { audit, documents } = await stored(page);
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
    const before = await stored(page);
    await panel.getByLabel(/^Comment/).fill(`Record ${key}: the date of birth differs.`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    const status = panel.getByTestId('save-status');
    await status.filter({ hasText: /^Not saved: The comment contains the record's key/ }).waitFor();
    await expect(status.textContent()).resolves.toContain('refer to it as "the record" or by field name');
    // the message never repeats the value, and nothing was stored or logged
    await expect(status.textContent()).resolves.not.toContain(key);
    await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('5 of 59 decided');
    const after = await stored(page);
    expect(after.audit.length).toBe(before.audit.length);
    expect(JSON.stringify(after.documents)).not.toContain('the date of birth differs.');
    await expect(region.isVisible()).resolves.toBe(true);

    await panel.getByLabel(/^Comment/).fill('The record: the date of birth differs from the legacy record.');
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

  it('is accessible at 1440 and 390 px, quiet and within the content security policy', async () => {
    for (const { width, height } of VIEWPORTS) {
      await app.page.setViewportSize({ width, height });
      expect(await axeViolations(app.page)).toEqual([]);
    }
    expect([...earlierConsole, ...app.console]).toEqual([]);
    expect([...earlierCsp, ...app.cspViolations]).toEqual([]);
  });
});
