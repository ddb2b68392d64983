/**
 * Journey: a data lead checks January's patient extract against its contract, then February's
 * (another file name, the same contract). Each run is kept in the project; the second is compared
 * with the first — the impossible month is fixed, a missing identifier is new, empty birth dates
 * are worse, the unknown sex still fails — with the errors of both runs in a small chart. She then
 * accepts the empty birth dates (a form that saves nothing without rationale, owner and last day);
 * the problem stays listed, marked "Accepted until …, owner …", and no longer counts as failing.
 * After a reload the comparison and the acceptance are still there, the exported reports (JSON, CSV
 * and printable page) list the waiver and mark the problem, and the project export carries it:
 * `preflight validate --project` on that export applies the waiver and gives the screen's verdict,
 * and so does `--waivers` on the file "Download waivers" writes.
 * Selected by role and label; axe at 1440 and 390 px.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { failingErrors, judgeRun } from '../../src/core/validation/index.ts';
import type { Report } from '../../src/formats/report.ts';
import { loadWaivers } from '../../src/formats/waivers.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

let browser: Browser;
let app: Watched;
let dir: string;
const files = { jan: '', feb: '', contract: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-rehearsals-'));
  files.contract = join(dir, 'patients.contract.json');
  writeFileSync(
    files.contract,
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:clinic:patients',
      title: 'Patients contract',
      type: 'object',
      required: ['id', 'birth_date'],
      properties: {
        id: { type: 'string', description: 'Patient number' },
        birth_date: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-\\d{2}$' },
        sex: { enum: ['F', 'M'] },
      },
    }),
  );
  // January: two empty birth dates, one impossible month (13), one unknown sex
  files.jan = join(dir, 'patients-jan.csv');
  writeFileSync(files.jan, 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n3,1985-13-01,X\n4,,F\n');
  // February: the month fixed; a third empty birth date, on a row with no patient number either
  files.feb = join(dir, 'patients-feb.csv');
  writeFileSync(files.feb, 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n3,1985-03-01,X\n4,,F\n,,M\n');
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });
const rehearsals = (page: Page, files: string) =>
  page.getByRole('region', { name: `Rehearsals of ${files} against urn:clinic:patients` });

/** Validates the listed file `name` against the patients contract; resolves once the run is kept. */
async function check(page: Page, name: string): Promise<void> {
  const card = page.getByRole('group', { name: new RegExp(`^${name.replace('.', '\\.')}`) });
  await card.waitFor();
  const contract = card.getByLabel('Column contract');
  // the contract added for January: chosen for February by the user (by its title)
  if ((await contract.inputValue()) === '') await contract.selectOption({ label: 'Patients contract' });
  await page.getByRole('button', { name: 'Validate the file' }).click();
  // every finished run is kept in the project on its own
  await result(page).getByRole('button', { name: 'Saved in the project' }).waitFor({ timeout: 120_000 });
}

describe('Migration: rehearsals compared and accepted issues', () => {
  it('keeps the first run and says the next one will be compared with it', async () => {
    const { page } = app;
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(files.jan);
    await page.getByRole('group', { name: /^patients-jan\.csv/ }).waitFor();
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(files.contract);
    await check(page, 'patients-jan.csv');
    const first = rehearsals(page, 'patients-jan.csv');
    await first.getByText(/^One run so far/).waitFor();
    expect(await first.getByTestId('trend-errors').textContent()).toBe('4');
  });

  it('compares February with January: fixed, new, worse and still failing', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Remove patients-jan.csv' }).click();
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(files.feb);
    await check(page, 'patients-feb.csv');
    const second = rehearsals(page, 'patients-feb.csv');
    await second.getByTestId('compare-fixed').waitFor();
    const counts = {
      fixed: await second.getByTestId('compare-fixed').textContent(),
      new: await second.getByTestId('compare-new').textContent(),
      still: await second.getByTestId('compare-still').textContent(),
      worse: await second.getByTestId('compare-worse').textContent(),
    };
    expect(counts).toEqual({ fixed: '1', new: '1', still: '1', worse: '1' });
    const changes = second.getByRole('table', { name: 'Each problem since the previous run' });
    const rows = await changes
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim())));
    expect(rows.map((r) => [r[0]?.split(':')[0], r[1], r[2], r[3]])).toEqual([
      ['id', 'New', '0', '1'],
      ['birth_date', 'Worse', '2', '3'],
      ['sex', 'Still failing', '1', '1'],
      ['birth_date', 'Fixed', '1', '0'],
    ]);
    expect(await second.getByTestId('trend-errors').textContent()).toBe('4, 5');
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.locator('.rehearsals').screenshot({ path: join(SHOTS, 'rehearsals-1440.png') });
  });

  it('puts the comparison with January into February’s CSV and printable report', async () => {
    const { page } = app;
    const exported = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        result(page).getByRole('button', { name: button }).click(),
      ]);
      return readFileSync((await download.path()) as string, 'utf8');
    };
    const csv = (await exported('Export CSV')).split('\r\n');
    const counts = csv
      .filter((l) => l.startsWith('comparison,'))
      .map((l) => l.split(',').slice(4, 6).join(' '));
    expect(counts).toEqual(['previous run 4', 'fixed 1', 'new 1', 'still failing 1', 'worse 1']);
    expect(
      csv
        .filter((l) => l.startsWith('change,'))
        .map((l) => /,"?(New|Worse|Still failing|Fixed):/.exec(l)?.[1]),
    ).toEqual(['New', 'Worse', 'Still failing', 'Fixed']);
    const html = await exported('Export printable page');
    expect(html).toMatch(
      /Compared with the run of [^<]+ \(4 errors then, 5 now\): 1 fixed, 1 new, 1 still failing, 1 worse\./,
    );
    expect(html).toContain('<caption>Changes since the previous run</caption>');
  });

  it('accepts the empty birth dates only with rationale, owner and last day', async () => {
    const { page } = app;
    const report = result(page);
    await report.getByRole('button', { name: /^Accept this problem… birth_date: is required/ }).click();
    const form = report.getByRole('group', { name: /^Accept birth_date: is required/ });
    await form.getByLabel('Why it is accepted').fill('Walk-in patients were registered without a birth date');
    await form.getByLabel('Accepted until (last day)').fill('2099-06-30');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    // no owner: nothing is accepted
    await form.getByRole('alert').getByText('Name the person who answers for it.').waitFor();
    expect(await report.getByTestId('waiver-mark').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await form.screenshot({ path: join(SHOTS, 'waiver-form-1440.png') });
    await form.getByLabel('Owner (who answers for it)').fill('Dana Whitfield');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    const mark = report.getByTestId('waiver-mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe(
      'Accepted until 30 Jun 2099, owner Dana Whitfield: Walk-in patients were registered without a birth date',
    );
    // 5 errors: the 3 empty birth dates accepted; the missing patient number and the sex still fail
    expect(await report.getByTestId('errors-not-accepted').textContent()).toBe('2');
    expect(await report.getByTestId('score-errors').textContent()).toBe('5');
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await report.screenshot({ path: join(SHOTS, 'accepted-1440.png') });
  });

  it('after a reload: the comparison, the acceptance, the exported report and the project export', async () => {
    const { page } = app;
    // the acceptance is autosaved within a second: the bar says when it is stored
    await waitForSaved(page);
    await page.reload();
    const second = rehearsals(page, 'patients-feb.csv');
    await second.getByTestId('compare-fixed').waitFor();
    expect(await second.getByTestId('compare-new').textContent()).toBe('1');
    await page.getByRole('heading', { name: 'Saved validation reports' }).waitFor();
    await page
      .getByRole('button', { name: /^Open report of/ })
      .first()
      .click();
    const saved = result(page);
    await saved.getByTestId('waiver-mark').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      saved.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const exported = join(dir, 'report.json');
    await download.saveAs(exported);
    const report = JSON.parse(readFileSync(exported, 'utf8')) as Report;
    expect(report.waivers?.map((w) => [w.waiver.owner, w.waiver.expires, w.status, w.occurrences])).toEqual([
      ['Dana Whitfield', '2099-06-30', 'active', 3],
    ]);
    expect(report.issues.filter((i) => i.acceptedBy).map((i) => [i.rule, i.location])).toEqual([
      ['contract.required', 'birth_date'],
    ]);
    // the CSV and the printable page list the waiver and mark the problem it accepted, in one wording
    const exportedText = async (button: string) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        saved.getByRole('button', { name: button }).click(),
      ]);
      return readFileSync((await file.path()) as string, 'utf8');
    };
    const csv = (await exportedText('Export CSV')).split('\r\n');
    const waiverLines = csv.filter((l) => l.startsWith('accepted problem,'));
    expect(waiverLines).toHaveLength(1);
    expect(waiverLines[0]).toContain(
      '— Walk-in patients were registered without a birth date; owner Dana Whitfield; until 2099-06-30; accepted 1 problem, 3 times',
    );
    const mark = 'Accepted until 2099-06-30, owner Dana Whitfield';
    expect(csv.filter((l) => l.startsWith('issue,') && l.includes(mark))).toEqual([
      expect.stringContaining('contract.required,error,birth_date,3,'),
    ]);
    const html = await exportedText('Export printable page');
    expect(html).toContain('<h3>Accepted problems</h3>');
    expect(html).toContain(`. ${mark}</td>`);
    const [projectDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const projectFile = join(dir, 'project.json');
    await projectDownload.saveAs(projectFile);
    const project = JSON.parse(readFileSync(projectFile, 'utf8'));
    expect(project.project.meta.settings.waivers.map((w: { owner: string }) => w.owner)).toEqual([
      'Dana Whitfield',
    ]);
    // the command line, given the exported project, applies the same waiver: the same verdict
    const cli = await runCli(['validate', 'patients-feb.csv', '--project', 'project.json', '--json'], dir);
    expect(cli.code).toBe(1);
    expect(cli.err).toContain('Waivers: 1 waiver recorded in project.json');
    const fromCli = JSON.parse(cli.out) as Report;
    const verdict = (r: Report) => ({
      waivers: r.waivers?.map((w) => [w.waiver, w.status, w.issues, w.occurrences]),
      accepted: r.issues.filter((i) => i.acceptedBy).map((i) => [i.rule, i.location, i.count, i.acceptedBy]),
      failing: failingErrors(r),
      passed: judgeRun(r).passed,
    });
    expect(verdict(fromCli)).toEqual(verdict(report));
    expect(verdict(fromCli).failing).toBe(2);
    // a drop whose only problem is the accepted one passes the command line (exit 0)
    writeFileSync(join(dir, 'patients-mar.csv'), 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n');
    const march = await runCli(['validate', 'patients-mar.csv', '--project', 'project.json'], dir);
    expect(march.out).toContain('Errors not accepted: 0');
    expect(march.code).toBe(0);
    // "Download waivers" writes the file the command line reads with --waivers
    if (SHOTS)
      await saved.locator('.export-row').screenshot({ path: join(SHOTS, 'download-waivers-1440.png') });
    const [waiversDownload] = await Promise.all([
      page.waitForEvent('download'),
      saved.getByRole('button', { name: 'Download waivers' }).click(),
    ]);
    expect(waiversDownload.suggestedFilename()).toMatch(/^waivers-\d{4}-\d{2}-\d{2}\.json$/);
    await waiversDownload.saveAs(join(dir, 'downloaded.waivers.json'));
    const loaded = loadWaivers(JSON.parse(readFileSync(join(dir, 'downloaded.waivers.json'), 'utf8')));
    expect(loaded.ok && loaded.value.waivers).toEqual(project.project.meta.settings.waivers);
    const withFile = await runCli(
      [
        'validate',
        'patients-feb.csv',
        '--schema',
        'patients.contract.json',
        '--waivers',
        'downloaded.waivers.json',
        '--json',
      ],
      dir,
    );
    expect(withFile.code).toBe(1);
    expect(verdict(JSON.parse(withFile.out) as Report)).toEqual(verdict(report));
  });

  it('readiness says the last rehearsal got worse, with the way to its comparison', async () => {
    const { page } = app;
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await openReadinessTab(page, 'Phases');
    const preLaunch = page
      .getByRole('list', { name: 'Phases' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 3, name: 'Pre-launch', exact: true }) });
    await preLaunch
      .getByText(
        /^Last rehearsal of patients-feb\.csv, checked \d{4}-\d{2}-\d{2}, against the run of \d{4}-\d{2}-\d{2}: 1 fixed, 1 new, 1 still failing, 1 worse\.$/,
      )
      .waitFor();
    const worse = preLaunch.getByRole('listitem').filter({
      hasText:
        /^patients-feb\.csv: the last rehearsal \(checked [\d-]+\) got worse than the run of [\d-]+: 1 new problem and 1 problem more frequent\./,
    });
    await worse.getByRole('link', { name: 'Go to Migration' }).click();
    await rehearsals(page, 'patients-feb.csv').getByTestId('compare-worse').waitFor();
    expect(await rehearsals(page, 'patients-feb.csv').getByTestId('compare-worse').textContent()).toBe('1');
  });

  it('fits a phone: no page-wide scroll, no accessibility violation', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 900 });
    await rehearsals(page, 'patients-feb.csv').getByTestId('trend-chart').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    // the saved report, with its accepted problem and "Download waivers", fits too
    await page
      .getByRole('button', { name: /^Open report of/ })
      .first()
      .click();
    await result(page).getByRole('button', { name: 'Download waivers' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 1000 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    if (SHOTS) {
      await page.locator('.rehearsals').screenshot({ path: join(SHOTS, 'rehearsals-390.png') });
      await result(page).screenshot({ path: join(SHOTS, 'accepted-390.png') });
    }
    expect(app.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror'))).toEqual(
      [],
    );
    expect(app.cspViolations).toEqual([]);
  });
});
