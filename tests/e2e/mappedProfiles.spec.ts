/**
 * Journey: a data team maps a legacy patient extract to the International Patient Summary. It adds
 * the IPS package on Migration, chooses the extract and imports a mapping whose records claim the
 * IPS Patient profile; the file's card says the records are checked against the package's
 * profiles, and validating it reports the row whose birth date is empty as the profile's message,
 * traced to the mapping field and the source column. The exported project, with the same package
 * given to `preflight validate --ig`, gives the report the screen exports. Axe at 1440 and 390 px;
 * the page's real CSP; a watch on the console.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import type { Report } from '../../src/formats/report.ts';
import { IPS_TGZ } from '../fixtures/ipsPackage.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const IPS_PATIENT = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips';
const MAPPING_NAME = 'Legacy patients to IPS Patient';
const EXTRACT = 'ips-patients.csv';

let browser: Browser;
let context: BrowserContext;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-mapped-profiles-'));
  // the second patient's birth date is empty: IPS requires one
  writeFileSync(
    join(dir, EXTRACT),
    'mrn,last_name,dob\r\nM1,Ngata,1938-09-11\r\nM2,Okafor,\r\nM3,Silva,1990-03-17\r\n',
  );
  writeFileSync(
    join(dir, 'ips-patients.mapping.json'),
    JSON.stringify({
      format: 'preflight.mapping/v1',
      id: 'ips-patients',
      name: MAPPING_NAME,
      version: 1,
      source: EXTRACT,
      target: { type: 'fhir', resourceType: 'Patient' },
      key: 'mrn',
      fields: [
        { target: 'meta.profile[0]', const: IPS_PATIENT },
        { target: 'identifier[0].value', from: 'mrn' },
        { target: 'name[0].family', from: 'last_name' },
        { target: 'birthDate', from: 'dob' },
      ],
    }),
  );
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/migration');
  await waitForSaved(app.page);
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const card = (page: Page) => page.getByRole('group', { name: new RegExp(`^${EXTRACT.replace('.', '\\.')}`) });
const result = (page: Page) => page.getByRole('region', { name: 'Validation result' });
const packagesPanel = (page: Page) => page.getByRole('region', { name: 'Implementation guide packages' });

describe('IPS profiles on records mapped from a CSV, in the browser', () => {
  it('checks the mapped records against the package’s profiles, as the command line does', async () => {
    const { page } = app;
    // the package, dropped with the extracts, goes to the FHIR checks' packages
    const extracts = page.getByLabel('Extract files (CSV or TSV)');
    await expect.poll(() => extracts.isEnabled()).toBe(true);
    await extracts.setInputFiles(IPS_TGZ);
    const list = packagesPanel(page).getByRole('list', { name: 'Packages applied' });
    await list.waitFor();
    await expect.poll(() => list.textContent()).toContain('hl7.fhir.uv.ips 2.0.0');
    await extracts.setInputFiles(join(dir, EXTRACT));
    await card(page).waitFor();
    await page.getByText(new RegExp(`^Map ${EXTRACT.replace('.', '\\.')} to the new system`)).click();
    await page.getByLabel('Import a mapping file').setInputFiles(join(dir, 'ips-patients.mapping.json'));
    await expect.poll(() => page.getByLabel('Mapping', { exact: true }).inputValue()).toBe('ips-patients');
    await card(page)
      .getByLabel('Also check the records made by the mapping')
      .selectOption({ label: MAPPING_NAME });
    const checksSaid = card(page).getByText(
      /Its records are checked as FHIR Patient resources with the project’s FHIR checks .*Resources are also checked against the profiles of 1 implementation guide package\./,
    );
    await checksSaid.waitFor();
    await page.getByRole('button', { name: 'Validate the file' }).click();
    const issue = result(page)
      .locator('.issue')
      .filter({ has: page.locator('code', { hasText: /^fhir-profile-cardinality$/ }) })
      .first();
    await issue.waitFor({ timeout: 120_000 });
    expect(await issue.textContent()).toContain('requires at least 1, found 0 (Patient-uv-ips)');
    await issue.locator('summary').click();
    await expect(issue.getByTestId('issue-trace').textContent()).resolves.toBe(
      'Where it comes from in the mapping: mapping field birthDate left it empty (column "dob").',
    );
    await waitForSaved(page);
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const fromScreen = JSON.parse(readFileSync((await json.path()) as string, 'utf8')) as Report;
    const birth = fromScreen.issues.find((i) => i.rule === 'fhir-profile-cardinality');
    expect(birth?.examples.map((e) => [e.row, e.column, e.field])).toEqual([[2, 'dob', 'birthDate']]);
    expect(fromScreen.target).toMatchObject({
      type: 'fhir',
      resourceType: 'Patient',
      packages: [{ name: 'hl7.fhir.uv.ips', version: '2.0.0' }],
    });
    // the exported project names the package; the command line is given the same file
    const [project] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    await project.saveAs(join(dir, 'ips.preflight.json'));
    const cli = await runCli(
      ['validate', EXTRACT, '--project', 'ips.preflight.json', '--ig', IPS_TGZ, '--json'],
      dir,
    );
    expect(cli.code).toBe(1);
    const { comparison: _c, generatedAt: _g, timings: _t, ...screen } = fromScreen;
    const { generatedAt: _cg, timings: _ct, ...fromCli } = JSON.parse(cli.out) as Report;
    expect(fromCli).toEqual(screen);
    if (SHOTS) {
      await checksSaid.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'mapped-profiles-card-1440.png') });
      await issue.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'mapped-profiles-result-1440.png') });
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 900 });
    await checksSaid.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) {
      await page.screenshot({ path: join(SHOTS, 'mapped-profiles-card-390.png') });
      await issue.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'mapped-profiles-result-390.png') });
    }
    expect(await axeViolations(page)).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
