/**
 * Journey: a workflow analyst opens the demo clinic's patient-intake pair and sees, before the
 * build is frozen, where the plan rebuilds paper bottlenecks on screen: the planted findings, each
 * linked to its step; the comparison with today; the training checklist per role (printed one page
 * per role); a go-live simulation in a worker with a schedule cut, after changing the clinic's
 * numbers (which survive a reload), every figure given with its 95 % range over the simulation
 * runs, a wide range said plainly; and the project's check settings, whose bad values are refused
 * where they are typed. Accessible (axe) throughout at 1440 and 390 px; nothing printed to the
 * console. Set SHOT_DIR to keep screenshots of the simulation result at both widths.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

let browser: Browser;
let context: BrowserContext;
let app: Watched;
const earlierConsole: string[] = [];

const intake = (page: Page): Locator => page.getByRole('region', { name: 'Analysis of Patient intake' });
const SHOT_DIR = process.env.SHOT_DIR;
/** "7.9 min (95 % CI 5.9–9.8 min)", "53 % (95 % CI 51–54 %)", "0.6 (95 % CI 0.5–0.6)": a figure and its 95 % range. */
const WITH_RANGE = /^\d[\d,.]*( min| %)? \(95 % CI \d[\d,.]*(–\d[\d,.]*)?( min| %)?\)$/;
/^\d[\d,.]* (min|%|waiting) \(95 % CI \d[\d,.]* (min|%|waiting)(–\d[\d,.]* (min|%|waiting))?\)$/;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context);
});

afterAll(async () => {
  await browser?.close();
});

describe('workflow analysis of the demo intake pair', () => {
  it('lists the planted digitized bottlenecks of the planned intake, one finding per root cause', async () => {
    const region = intake(app.page);
    // the process has its own page, from the list of processes
    await app.page.getByRole('link', { name: 'Patient intake', exact: true }).click();
    await region.getByRole('tab', { name: 'Findings' }).click();
    await expect(region.getByRole('tab', { name: 'Findings' }).getAttribute('aria-selected')).resolves.toBe(
      'true',
    );
    const findings = region.locator('.findings');
    await expect(findings.getByRole('heading', { level: 4 }).textContent()).resolves.toMatch(
      /8 problems, 4 warnings, 6 notes \(one finding per root cause\)$/,
    );
    // every planted check is offered by the check filter, with the root causes that carry it
    const check = findings.getByLabel('Check');
    const offered = await check.locator('option').allTextContents();
    for (const title of [
      'Paper step rebuilt on screen (1)',
      'Waiting carried over (1)',
      'Approvals in a row (1)',
      'Same data entered twice (1)',
      'Data re-keyed between systems (1)',
      'Print, sign, scan back (1)',
      'Decision that changes nothing (1)',
      'Current step not accounted for (2)',
    ]) {
      expect(offered, title).toContain(title);
    }
    // the approval is one finding carrying its three checks; its reason is folded until opened
    const approval = findings
      .locator('.finding-rule')
      .filter({ has: app.page.locator('code', { hasText: /^digitized-paper-step$/ }) })
      .locator('li.finding');
    await expect(approval.count()).resolves.toBe(1);
    await expect(approval.locator('summary').textContent()).resolves.toMatch(
      /Approve self-pay .* → Billing lead co-approves the discount — also waiting carried over, approvals in a row$/,
    );
    const why = approval.getByText(/still waits 22 of 25 min/);
    await expect(why.isVisible()).resolves.toBe(false);
    await approval.locator('summary').click();
    await expect(why.isVisible()).resolves.toBe(true);
    await expect(approval.getByText(/^Approvals in a row/).isVisible()).resolves.toBe(true);
    await approval.locator('summary').click();
  });

  it('filters the findings by check and by role, and says how many are shown', async () => {
    const region = intake(app.page);
    const findings = region.locator('.findings');
    await findings.getByLabel('Check').selectOption({ label: 'Too many clicks (12)' });
    await findings.getByText('Showing 12 of 18 findings').waitFor();
    await expect(findings.locator('.finding-rule h6').allTextContents()).resolves.toEqual([
      'Too many clicks click-burden (4)',
      'Too many clicks click-burden (2)',
      'Too many clicks click-burden (6)',
    ]);
    // the front desk's click findings: check-out, its day's clicks, check-in
    await findings.getByLabel('Role').selectOption({ label: 'Front desk (6)' });
    await findings.getByText('Showing 3 of 18 findings').waitFor();
    await findings.getByLabel('Check').selectOption({ label: 'All checks' });
    await findings.getByText('Showing 6 of 18 findings').waitFor();
    await findings.getByLabel('Role').selectOption({ label: 'All roles' });
    await expect(findings.getByText(/^Showing/).count()).resolves.toBe(0);
  });

  it('a finding takes the user to its step, highlighted and focused', async () => {
    const region = intake(app.page);
    // the steps tables are folded until a finding asks for its steps
    await expect(
      region.getByRole('table', { name: /Steps of Patient intake — future/ }).isVisible(),
    ).resolves.toBe(false);
    const rule = region
      .locator('.finding-rule')
      .filter({ has: app.page.locator('code', { hasText: /^digitized-paper-step$/ }) });
    await rule.getByRole('button', { name: /^Show the 2 steps in Patient intake — future/ }).click();
    const focused = await app.page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toContain('(shown for the chosen finding)');
    const highlighted = region.locator('tr.step-highlighted');
    await expect(highlighted.count()).resolves.toBe(2);
  });

  it("an untraced step of today is shown in today's steps", async () => {
    const region = intake(app.page);
    const rule = region
      .locator('.finding-rule')
      .filter({ has: app.page.locator('code', { hasText: /^untraced-current-step$/ }) });
    await rule
      .getByRole('button', { name: /in Patient intake — current/ })
      .first()
      .click();
    const today = region.getByRole('table', { name: /Steps of Patient intake — current/ });
    await expect(today.locator('tr.step-highlighted').count()).resolves.toBeGreaterThan(0);
  });

  it('compares today with the plan: metrics with their change in words, untraced steps named', async () => {
    const region = intake(app.page);
    await region.getByRole('tab', { name: 'Today vs planned' }).click();
    // a wait kept from today is still there, not introduced by the plan; steps are counted once
    const introduced = region.getByRole('region', { name: 'Findings the plan introduces' });
    await expect(introduced.textContent()).resolves.not.toMatch(/still waits/);
    const stay = region.getByRole('region', { name: 'Findings that stay' });
    await expect(stay.textContent()).resolves.toMatch(/Approve self-pay .* still waits 22 of 25 min/);
    await region.getByText("18 planned steps replace 19 of today's steps").waitFor();
    const table = region.getByRole('table', { name: /Per patient at the morning peak/ });
    await expect(table.getByRole('row', { name: /Clicks per patient/ }).textContent()).resolves.toMatch(
      /worse/,
    );
    await expect(region.getByText(/Today's steps nobody planned for \(2\)/).isVisible()).resolves.toBe(true);
  });

  it('prints one training page per role, and nothing else of the page', async () => {
    const { page } = app;
    const region = intake(page);
    await region.getByRole('tab', { name: 'Training by role' }).click();
    const ma = region.getByRole('article', { name: /^Medical assistant/ });
    await expect(ma.textContent()).resolves.toMatch(/vitals/i);
    // no end event to train on, and data named in words, not by its id
    const sheets = (await region.getByRole('article').allTextContents()).join('\n');
    expect(sheets).not.toContain('Visit closed and billed');
    expect(sheets).not.toMatch(/\b[a-z]+\.[a-z_]+\b/);
    await expect(region.getByRole('article', { name: /^Front desk/ }).textContent()).resolves.toContain(
      'document (consent)',
    );
    // the print dialog cannot be driven headless: record the call, then look with print media
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await region.getByRole('button', { name: /Print the checklists/ }).click();
    await expect(page.evaluate(() => (window as unknown as { printed: number }).printed)).resolves.toBe(1);
    await page.emulateMedia({ media: 'print' });
    const visible = await page.evaluate(() => ({
      header: getComputedStyle(document.querySelector('.app-header') as Element).display,
      tabs: getComputedStyle(document.querySelector('.tab-list') as Element).display,
      title: getComputedStyle(document.querySelector('#process-title') as Element).display,
      pages: [...document.querySelectorAll('[data-printing] .role-page')].filter(
        (el) => getComputedStyle(el).display !== 'none' && getComputedStyle(el).breakAfter === 'page',
      ).length,
    }));
    expect(visible.header).toBe('none');
    expect(visible.tabs).toBe('none');
    expect(visible.title).toBe('none');
    expect(visible.pages).toBeGreaterThanOrEqual(5);
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await expect(page.evaluate(() => document.body.classList.contains('printing-checklist'))).resolves.toBe(
      false,
    );
  });

  it('runs the go-live simulation in a worker after a slower week one, and the numbers survive a reload', async () => {
    const { page } = app;
    const region = intake(page);
    await region.getByRole('tab', { name: 'Go-live capacity' }).click();
    const speed = region.getByLabel('Staff speed in week 1 (share of normal, 0–1)');
    await speed.fill('1.5');
    await expect(speed.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(region.getByText('The share of normal speed must be at most 1.').isVisible()).resolves.toBe(
      true,
    );
    await speed.fill('0.35');
    await expect(speed.getAttribute('aria-invalid')).resolves.toBeNull();
    await region.getByLabel('Go-live bookings (share of normal, 0–1)').fill('1');
    await waitForSaved(page);
    // the defaults are stated where they are set: 20 runs, a one-hour warm-up
    const runs = region.getByLabel('Simulation runs per period');
    await expect(runs.inputValue()).resolves.toBe('20');
    const warmup = region.getByLabel('Warm-up left out at the start of each day (minutes)');
    await expect(warmup.inputValue()).resolves.toBe('60');
    await runs.fill('1');
    await expect(runs.getAttribute('aria-invalid')).resolves.toBe('true');
    await runs.fill('12');
    await warmup.fill('45');
    await region.getByRole('button', { name: 'Run the simulation' }).click();
    const result = region.getByRole('region', { name: 'Simulation result' });
    await result.waitFor({ timeout: 60_000 });
    await expect(result.locator('.verdict').textContent()).resolves.toMatch(
      /book at most \d+ % of normal appointments/,
    );
    await expect(result.getByRole('img', { name: /How busy each role is/ }).isVisible()).resolves.toBe(true);
    // the number of runs and the warm-up are said with the result
    await expect(result.locator('.interval-note').textContent()).resolves.toMatch(
      /average of 12 simulation runs per period, with the first 45 minutes of every day left out/,
    );
    // every simulated figure of a role is its average with the range of the runs
    const roles = result.getByRole('table', { name: /Per role/ });
    const physician = roles.getByRole('row', { name: /^Physician/ });
    const cells = await physician.getByRole('cell').allTextContents();
    expect(cells).toHaveLength(9);
    for (const figure of cells.slice(2)) expect(figure).toMatch(WITH_RANGE);
    const busy = /^(\d+) % \(95 % CI (\d+)–(\d+) %\)$/.exec(cells[2] ?? '');
    expect(busy).not.toBeNull();
    const [, mean, low, high] = (busy ?? []).map(Number);
    expect(low).toBeLessThanOrEqual(mean ?? Number.NaN);
    expect(mean).toBeLessThanOrEqual(high ?? Number.NaN);
    const periods = result.getByRole('table', { name: /Per period/ });
    await expect(periods.getByRole('row').count()).resolves.toBe(6); // header, peak, weeks 1–4
    await expect(
      periods
        .getByRole('row', { name: /^Go-live week 1/ })
        .getByRole('cell')
        .first()
        .textContent(),
    ).resolves.toMatch(/^\d[\d.]* \(95 % CI \d[\d.]*–\d[\d.]*\)$/);

    earlierConsole.push(...app.console);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await intake(page).getByRole('tab', { name: 'Go-live capacity' }).click();
    await expect(
      intake(page).getByLabel('Staff speed in week 1 (share of normal, 0–1)').inputValue(),
    ).resolves.toBe('0.35');
  });

  it.each([
    { width: 1440, height: 1000 },
    { width: 390, height: 844 },
  ])(
    'at $width px, a run of two says plainly which figures are uncertain; accessible',
    async ({ width, height }) => {
      const fresh = await browser.newContext({ viewport: { width, height } });
      try {
        const opened = await openApp(fresh, '#/workflows/process/patient-intake/capacity');
        const region = intake(opened.page);
        await region.getByLabel('Simulation runs per period').fill('2');
        await region.getByRole('button', { name: 'Run the simulation' }).click();
        const result = region.getByRole('region', { name: 'Simulation result' });
        await result.waitFor({ timeout: 60_000 });
        await expect(result.locator('.interval-note').textContent()).resolves.toMatch(
          /average of 2 simulation runs per period, with the first 60 minutes/,
        );
        // two runs cannot pin a figure down: the screen says so and names the figures
        const uncertain = result.getByRole('note', { name: 'Uncertain figures' });
        await expect(uncertain.locator('p').textContent()).resolves.toMatch(
          /uncertain: the runs disagree too much to plan on .* more runs per period/,
        );
        const listed = await uncertain.getByRole('listitem').allTextContents();
        expect(listed.length).toBeGreaterThan(0);
        for (const item of listed)
          expect(item).toMatch(
            /^.+: anywhere from \d[\d,.]*( min| %)? to \d[\d,.]*( min| %)?$|^and \d+ more$/,
          );
        const wide = await opened.page.evaluate(() => document.documentElement.scrollWidth);
        expect(wide).toBeLessThanOrEqual(width);
        expect(await axeViolations(opened.page)).toEqual([]);
        if (SHOT_DIR) {
          mkdirSync(SHOT_DIR, { recursive: true });
          await result.locator('.interval-note').scrollIntoViewIfNeeded();
          await opened.page.screenshot({ path: join(SHOT_DIR, `capacity-intervals-${width}.png`) });
          await result.getByRole('table', { name: /Per role/ }).scrollIntoViewIfNeeded();
          await opened.page.screenshot({ path: join(SHOT_DIR, `capacity-table-${width}.png`) });
        }
        earlierConsole.push(...opened.console);
      } finally {
        await fresh.close();
      }
    },
  );

  it('tunes the checks: a bad threshold is refused where it is typed; switching a check off removes its findings', async () => {
    const { page } = app;
    const region = intake(page);
    await region.getByRole('tab', { name: 'Check settings' }).click();
    const budget = region.getByLabel('Clicks one step may take');
    await budget.fill('-3');
    await expect(budget.getAttribute('aria-invalid')).resolves.toBe('true');
    await region
      .getByLabel(/^Too many clicks|click/i)
      .first()
      .waitFor();
    const clickRule = region.locator('select').nth(5);
    await clickRule.selectOption('off');
    await waitForSaved(page);
    await region.getByRole('tab', { name: 'Findings' }).click();
    await expect(region.locator('.finding-rule code', { hasText: /^click-burden$/ }).count()).resolves.toBe(
      0,
    );
  });

  it('has no accessibility violations in any analysis tab', async () => {
    const { page } = app;
    const region = intake(page);
    for (const name of [
      'Map',
      'Findings',
      'Today vs planned',
      'Training by role',
      'Go-live capacity',
      'Check settings',
    ]) {
      await region.getByRole('tab', { name }).click();
      const violations = await axeViolations(page);
      expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
    }
  });

  it.each([
    // before the findings were one line each: 4,100 px at 1440 and 10,753 px at 390
    { width: 1440, height: 1000, most: 2_000 },
    { width: 390, height: 844, most: 3_500 },
  ])(
    'the Findings tab at $width px is a list to work through ($most px at most), accessible',
    async ({ width, height, most }) => {
      const fresh = await browser.newContext({ viewport: { width, height } });
      try {
        const opened = await openApp(fresh, '#/workflows/process/patient-intake/findings');
        const region = intake(opened.page);
        await region
          .getByRole('heading', { level: 4, name: /^What Preflight found in Patient intake — future/ })
          .waitFor();
        const tall = await opened.page.evaluate(() => document.documentElement.scrollHeight);
        expect(tall).toBeLessThanOrEqual(most);
        // nothing wider than the screen
        const wide = await opened.page.evaluate(() => document.documentElement.scrollWidth);
        expect(wide).toBeLessThanOrEqual(width);
        expect(await axeViolations(opened.page)).toEqual([]);
        // a finding still takes the user to its steps at this size
        await region
          .getByRole('button', { name: /^Show the step in Patient intake — future \(new EHR\): Check out/ })
          .first()
          .click();
        await expect(
          opened.page.evaluate(() => document.activeElement?.textContent ?? ''),
        ).resolves.toContain('Check out');
        expect(await axeViolations(opened.page)).toEqual([]);
        earlierConsole.push(...opened.console);
      } finally {
        await fresh.close();
      }
    },
  );

  it('printed nothing to the console and broke no CSP rule', () => {
    expect([...earlierConsole, ...app.console]).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});
