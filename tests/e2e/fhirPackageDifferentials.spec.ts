/**
 * Journey: a data team has a vendor package that ships its profiles as differentials only (no
 * snapshots) and does not have `hl7.fhir.r4.core`. Here it is the IPS 2.0.0 package with every
 * snapshot taken out, renamed as a vendor's. Added on Migration, it is listed; a Flag that breaks
 * the Flag profile's fixed status is found with the profile's own message, the profile's snapshot
 * generated in the FHIR worker against the R4 base built into Preflight; nothing says the profile
 * cannot be applied. Axe at 1440 and 390 px, the page's real CSP and the console are watched.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipsDifferentialsTgz, ipsExamples } from '../fixtures/ipsPackage.ts';
import { axeViolations } from './browser.ts';
import {
  chooseFhirFiles,
  fhirSection,
  type MigrationSession,
  openMigration,
  packagesPanel,
  validateFhirFiles,
} from './fhirFiles.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const PACKAGE = 'vendor.ips.differentials-1.0.0.tgz';
const FLAG_MESSAGE = "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)";

let session: MigrationSession;

beforeAll(async () => {
  session = await openMigration('preflight-ig-diff-e2e-', { viewport: { width: 1440, height: 900 } });
  const { dir } = session;
  writeFileSync(join(dir, PACKAGE), await ipsDifferentialsTgz());
  const flag = (await ipsExamples()).find((e) => e.name === 'Flag-546482.json')?.resource;
  writeFileSync(join(dir, 'flags.json'), JSON.stringify({ ...flag, status: 'inactive' }));
});

afterAll(async () => {
  await session?.close();
});

describe('a package with differentials only, without hl7.fhir.r4.core', () => {
  it('is added, and its profile applies: the Flag profile’s fixed status is found', async () => {
    const { app, dir } = session;
    const { page } = app;
    await chooseFhirFiles(page, join(dir, 'flags.json'));
    await packagesPanel(page).getByLabel('Add packages (.tgz)').setInputFiles(join(dir, PACKAGE));
    const list = packagesPanel(page).getByRole('list', { name: 'Packages applied' });
    await list.waitFor();
    expect(await list.textContent()).toContain('vendor.ips.differentials 1.0.0');
    const result = await validateFhirFiles(page, 1);
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(FLAG_MESSAGE);
    expect(text).not.toContain('cannot be applied');
    expect(await result.getByTestId('score-invalid').textContent()).toBe('1');
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
