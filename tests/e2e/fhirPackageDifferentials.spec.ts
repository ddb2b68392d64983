/**
 * Journey: a data team has a vendor package that ships its profiles as differentials only (no
 * snapshots) and does not have `hl7.fhir.r4.core`. Here it is the IPS 2.0.0 package with every
 * snapshot taken out, renamed as a vendor's. Added on Migration, it is listed; a Flag that breaks
 * the Flag profile's fixed status is found with the profile's own message, the profile's snapshot
 * generated in the FHIR worker against the R4 base built into Preflight; nothing says the profile
 * cannot be applied. Axe at 1440 and 390 px, the page's real CSP and the console are watched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipsDifferentialsTgz, ipsExamples } from '../fixtures/ipsPackage.ts';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const PACKAGE = 'vendor.ips.differentials-1.0.0.tgz';
const FLAG_MESSAGE = "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)";

let browser: Browser;
let app: Watched;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-ig-diff-e2e-'));
  writeFileSync(join(dir, PACKAGE), await ipsDifferentialsTgz());
  const flag = (await ipsExamples()).find((e) => e.name === 'Flag-546482.json')?.resource;
  writeFileSync(join(dir, 'flags.json'), JSON.stringify({ ...flag, status: 'inactive' }));
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fhirSection = (page: Page) => page.getByRole('region', { name: 'FHIR files' });
const packagesPanel = (page: Page) => page.getByRole('region', { name: 'Implementation guide packages' });
const result = (page: Page) => fhirSection(page).getByRole('region', { name: 'Validation result' });

describe('a package with differentials only, without hl7.fhir.r4.core', () => {
  it('is added, and its profile applies: the Flag profile’s fixed status is found', async () => {
    const { page } = app;
    await page
      .getByLabel('Extract files (CSV or TSV) or FHIR files (JSON, NDJSON)')
      .setInputFiles(join(dir, 'flags.json'));
    await fhirSection(page).getByText('flags.json').first().waitFor();
    await packagesPanel(page).getByLabel('Add packages (.tgz)').setInputFiles(join(dir, PACKAGE));
    const list = packagesPanel(page).getByRole('list', { name: 'Packages applied' });
    await list.waitFor();
    expect(await list.textContent()).toContain('vendor.ips.differentials 1.0.0');
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    await result(page).getByTestId('score-records').waitFor();
    const text = (await result(page).textContent()) ?? '';
    expect(text).toContain(FLAG_MESSAGE);
    expect(text).not.toContain('cannot be applied');
    expect(await result(page).getByTestId('score-invalid').textContent()).toBe('1');
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await fhirSection(page).screenshot({ path: join(SHOTS, 'fhir-differentials-1440.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await fhirSection(page).screenshot({ path: join(SHOTS, 'fhir-differentials-390.png') });
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
