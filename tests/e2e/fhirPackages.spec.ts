/**
 * Journey: a data team checks its FHIR export against the International Patient Summary. It drops
 * a file that is not a package (told which file and what to do, nothing else changes), adds the
 * IPS package (its name, version, SHA-256 and the packages it depends on that are not loaded are
 * shown), validates a Flag that breaks the IPS Flag profile and sees the profile's message, then
 * an IPS Bundle whose Patient breaks one invariant: that defect is shown once, the slice messages
 * it causes folded under it. After a reload the package is still there and still applied; a
 * profile chosen for every Patient finds a Patient without a birth date; removing the package removes its findings. Axe at 1440 and
 * 390 px; the page's real CSP; a watch on the console.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ, ipsExamples } from '../fixtures/ipsPackage.ts';
import { axeViolations, type Watched, waitForSaved } from './browser.ts';
import {
  chooseFhirFiles,
  extractFiles,
  fhirSection,
  type MigrationSession,
  openMigration,
  packagesPanel,
  fhirResult as result,
} from './fhirFiles.ts';

/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const IPS_SHA256 = '4a5cff17580f869140614ac51097d81540c63644d550ced8d4cd9b9bce7345c4';
const FLAG_MESSAGE = "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)";
const PATIENT_MESSAGE = 'Patient.birthDate: requires at least 1, found 0 (Patient-uv-ips)';
const ROOT_MESSAGE =
  'Patient.name: ips-pat-1: Patient.name.given, Patient.name.family or Patient.name.text SHALL be present (Patient-uv-ips, the target of Composition.subject in Composition-uv-ips)';

let session: MigrationSession;
let app: Watched;
let dir: string;

beforeAll(async () => {
  session = await openMigration('preflight-ig-e2e-', { viewport: { width: 1440, height: 900 } });
  ({ app, dir } = session);
  const flag = (await ipsExamples()).find((e) => e.name === 'Flag-546482.json')?.resource as Record<
    string,
    unknown
  >;
  writeFileSync(join(dir, 'flags.json'), JSON.stringify({ ...flag, status: 'inactive' }));
  // the minimal IPS Bundle whose Patient has a name with no part: one defect, three more messages
  const bundle = structuredClone(
    (await ipsExamples()).find((e) => e.name === 'Bundle-bundle-minimal.json')?.resource,
  ) as { entry: { resource: Record<string, unknown> }[] };
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource;
  if (!patient) throw new Error('the minimal IPS Bundle has no Patient');
  patient.name = [{ use: 'official' }];
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(bundle));
  writeFileSync(
    join(dir, 'patients.ndjson'),
    `${JSON.stringify({ resourceType: 'Patient', id: 'b', name: [{ family: 'Doe' }] })}\n`,
  );
  await waitForSaved(app.page);
});

afterAll(async () => {
  await session?.close();
});

const chooseFhir = (page: Page, name: string) => chooseFhirFiles(page, join(dir, name));

/** Validates and waits for a new result; the text of its issues. */
async function validate(page: Page, files: string): Promise<string> {
  const previous = (await result(page).count()) > 0 ? await result(page).textContent() : null;
  await fhirSection(page)
    .getByRole('button', { name: `Validate ${files}` })
    .click();
  await expect
    .poll(async () => ((await result(page).count()) > 0 ? result(page).textContent() : null), {
      timeout: 60_000,
    })
    .not.toBe(previous);
  await result(page).getByTestId('score-records').waitFor();
  return (await result(page).textContent()) ?? '';
}

/** Drops files on the packages panel's drop zone, as a mouse user does. */
async function dropOnPackages(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type: 'application/gzip' }));
      return dt;
    },
    { name, data: [...bytes] },
  );
  await packagesPanel(page).locator('.drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
}

describe('FHIR profiles from implementation guide packages, in the browser', () => {
  it('names a dropped file that is not a package and what to do, and adds nothing', async () => {
    const { page } = app;
    await chooseFhir(page, 'flags.json');
    await dropOnPackages(page, 'flags-export.tgz', Buffer.from('{"resourceType":"Flag"}'));
    const alert = packagesPanel(page).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /^flags-export\.tgz cannot be used as an implementation guide package: The file is not gzip-compressed.*Choose the package file itself/,
    );
    expect(await packagesPanel(page).getByRole('list', { name: 'Packages applied' }).count()).toBe(0);
  });

  it('adds the IPS package and shows its name, version, SHA-256 and missing dependencies', async () => {
    const { page } = app;
    await packagesPanel(page).getByLabel('Add packages (.tgz)').setInputFiles(IPS_TGZ);
    const list = packagesPanel(page).getByRole('list', { name: 'Packages applied' });
    await list.waitFor();
    expect(await list.textContent()).toContain('hl7.fhir.uv.ips 2.0.0');
    expect(await list.textContent()).toContain(IPS_SHA256);
    expect(await packagesPanel(page).getByRole('alert').count()).toBe(0);
    const missing = await packagesPanel(page)
      .getByRole('list', { name: 'Packages not loaded' })
      .textContent();
    expect(missing).toContain('hl7.fhir.r4.core 4.0.1, needed by hl7.fhir.uv.ips 2.0.0');
    expect(missing).toContain('hl7.terminology.r4');
  });

  it('finds the value the Flag profile fixes', async () => {
    const { page } = app;
    const text = await validate(page, '1 FHIR file');
    expect(text).toContain(FLAG_MESSAGE);
    expect(await result(page).getByTestId('score-invalid').textContent()).toBe('1');
    // the report names the package it was checked against, by version and SHA-256
    expect(await result(page).getByTestId('fhir-run-options').textContent()).toContain(
      `hl7.fhir.uv.ips 2.0.0 (SHA-256 ${IPS_SHA256})`,
    );
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) {
      await packagesPanel(page).screenshot({ path: join(SHOTS, 'fhir-packages-1440.png') });
      await result(page).screenshot({ path: join(SHOTS, 'fhir-packages-result-1440.png') });
    }
    await waitForSaved(page);
  });

  it('shows one defect once, with the messages that follow from it folded under it', async () => {
    const { page } = app;
    await fhirSection(page).getByRole('button', { name: 'Remove flags.json' }).click();
    await chooseFhir(page, 'summary.json');
    const text = await validate(page, '1 FHIR file');
    expect(text).toContain(ROOT_MESSAGE);
    expect(text).toContain('(and 3 more messages follow from it)');
    // the slice messages are not problems of their own: they are listed under the defect
    const issues = result(page).locator('li.issue');
    expect(await issues.filter({ hasText: "slice 'patient' requires 1" }).count()).toBe(1);
    const root = issues.filter({ hasText: ROOT_MESSAGE });
    await root.locator('summary').first().click();
    const followers = root.getByRole('list', { name: /^Messages that follow from / });
    await followers.waitFor();
    expect(await followers.getByRole('listitem').allTextContents()).toEqual([
      "Bundle.entry.resource.subject.reference: Composition.subject: the referenced resource does not conform to Patient-uv-ips, as the profile requires (Composition-uv-ips, slice 'composition' of Bundle-uv-ips) — 1 time",
      "Bundle.entry: Bundle.entry: slice 'composition' requires 1, found 0 (Bundle-uv-ips) — 1 time",
      "Bundle.entry: Bundle.entry: slice 'patient' requires 1, found 0 (Bundle-uv-ips) — 1 time",
    ]);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await root.screenshot({ path: join(SHOTS, 'fhir-root-cause-1440.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await root.screenshot({ path: join(SHOTS, 'fhir-root-cause-390.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await fhirSection(page).getByRole('button', { name: 'Remove summary.json' }).click();
    await chooseFhir(page, 'flags.json');
    expect(await validate(page, '1 FHIR file')).toContain(FLAG_MESSAGE);
    await waitForSaved(page);
  });

  it('keeps the package across a reload and applies it again', async () => {
    const { page } = app;
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    const list = packagesPanel(page).getByRole('list', { name: 'Packages applied' });
    await list.waitFor();
    expect(await list.textContent()).toContain('hl7.fhir.uv.ips 2.0.0');
    await chooseFhir(page, 'flags.json');
    expect(await validate(page, '1 FHIR file')).toContain(FLAG_MESSAGE);
  });

  it('applies a chosen profile to every Patient, and the choice is kept', async () => {
    const { page } = app;
    await fhirSection(page).getByRole('button', { name: 'Remove flags.json' }).click();
    await chooseFhir(page, 'patients.ndjson');
    // declared profiles only: a Patient that declares none is not checked against IPS
    expect(await validate(page, '1 FHIR file')).not.toContain(PATIENT_MESSAGE);
    const choice = packagesPanel(page).getByRole('group', { name: 'Profiles to apply' });
    await choice.getByText(/^Choose profiles/).click();
    await choice.getByRole('checkbox', { name: /^Patient \(IPS\)/ }).check();
    await choice.getByText('Choose profiles (1 chosen)').waitFor();
    expect(await validate(page, '1 FHIR file')).toContain(PATIENT_MESSAGE);
    expect(await axeViolations(page)).toEqual([]);
    await waitForSaved(page);
  });

  it('at 390 px the package list fits and passes axe', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    const list = packagesPanel(page).getByRole('list', { name: 'Packages applied' });
    await list.waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await packagesPanel(page).screenshot({ path: join(SHOTS, 'fhir-packages-390.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('an exported project names the package; after an import it is to be added again, then applies', async () => {
    const { page } = app;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const exported = join(dir, 'exported.preflight.json');
    await download.saveAs(exported);
    const file = JSON.parse(readFileSync(exported, 'utf8')) as {
      project: { meta: { settings: Record<string, unknown> } };
    };
    // by reference: name, version and SHA-256, never the package's bytes
    expect(file.project.meta.settings.fhirPackages).toEqual([
      {
        fileName: 'hl7.fhir.uv.ips-2.0.0.tgz',
        name: 'hl7.fhir.uv.ips',
        version: '2.0.0',
        sha256: IPS_SHA256,
        bytes: readFileSync(IPS_TGZ).length,
      },
    ]);
    expect(file.project.meta.settings.fhirProfiles).toEqual([
      'http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips',
    ]);

    await page.getByLabel('Import a project file').setInputFiles(exported);
    await page.getByRole('status').filter({ hasText: 'Imported “' }).waitFor();
    const absent = packagesPanel(page).getByRole('status').filter({ hasText: 'does not hold' });
    await absent.waitFor();
    expect(await absent.textContent()).toContain(
      `hl7.fhir.uv.ips 2.0.0 (hl7.fhir.uv.ips-2.0.0.tgz), SHA-256 ${IPS_SHA256}`,
    );
    // a package chosen with the extract files goes to the packages too
    await extractFiles(page).setInputFiles(IPS_TGZ);
    await packagesPanel(page).getByRole('list', { name: 'Packages applied' }).waitFor();
    expect(await absent.count()).toBe(0);
    expect(await page.getByRole('group', { name: /hl7\.fhir\.uv\.ips/ }).count()).toBe(0);
    await chooseFhir(page, 'patients.ndjson');
    // the profile chosen before the export is chosen still
    expect(await validate(page, '1 FHIR file')).toContain(PATIENT_MESSAGE);
    await waitForSaved(page);
  });

  it('removes the package: its profiles no longer apply, and it stays removed after a reload', async () => {
    const { page } = app;
    await packagesPanel(page).getByRole('button', { name: 'Remove hl7.fhir.uv.ips 2.0.0' }).click();
    await expect
      .poll(() => packagesPanel(page).getByRole('list', { name: 'Packages applied' }).count())
      .toBe(0);
    expect(await validate(page, '1 FHIR file')).not.toContain(PATIENT_MESSAGE);
    await waitForSaved(page);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await chooseFhir(page, 'patients.ndjson');
    // Validate waits for the kept packages to be read: once it ran, the panel shows what was read
    expect(await validate(page, '1 FHIR file')).not.toContain(PATIENT_MESSAGE);
    expect(await packagesPanel(page).getByRole('list', { name: 'Packages applied' }).count()).toBe(0);
    expect(await packagesPanel(page).getByText('does not hold').count()).toBe(0);
  });

  it('a kept package damaged in storage is named, refuses validation, and can be removed', async () => {
    const { page } = app;
    await packagesPanel(page).getByLabel('Add packages (.tgz)').setInputFiles(IPS_TGZ);
    await packagesPanel(page).getByRole('list', { name: 'Packages applied' }).waitFor();
    await waitForSaved(page);
    // the browser's copy is damaged behind Preflight's back
    await page.evaluate(async () => {
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        const open = indexedDB.open('preflight-ig-packages');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const store = db.transaction('packages', 'readwrite').objectStore('packages');
      const all: { file: Blob }[] = await new Promise((resolve) => {
        const request = store.getAll();
        request.onsuccess = () => resolve(request.result);
      });
      for (const entry of all) store.put({ ...entry, file: new Blob(['damaged']) });
      await new Promise((resolve) => {
        store.transaction.oncomplete = resolve;
      });
      db.close();
    });
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    const unreadable = packagesPanel(page).getByRole('list', { name: 'Packages that could not be read' });
    await unreadable.waitFor();
    expect(await packagesPanel(page).getByRole('alert').textContent()).toContain(
      'hl7.fhir.uv.ips-2.0.0.tgz cannot be used as an implementation guide package',
    );
    expect(await axeViolations(page)).toEqual([]);
    // validating now says so, rather than checking without the package
    await chooseFhir(page, 'patients.ndjson');
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const refused = fhirSection(page).locator('.job-outcome[role="alert"]');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(
      /^hl7\.fhir\.uv\.ips-2\.0\.0\.tgz cannot be used as an implementation guide package: .*What to do: /,
    );
    await unreadable.getByRole('button', { name: 'Remove hl7.fhir.uv.ips 2.0.0 from the project' }).click();
    await expect.poll(() => unreadable.count()).toBe(0);
  });

  it('"Close and wipe" erases the kept packages with the projects', async () => {
    const { page } = app;
    const names = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(await names()).toContain('preflight-ig-packages');
    await page.getByRole('button', { name: 'Close and wipe' }).click();
    await page
      .getByRole('dialog', { name: 'Close and wipe everything?' })
      .getByRole('button', { name: 'Wipe everything' })
      .click();
    await page.getByRole('status').filter({ hasText: 'was erased' }).waitFor();
    expect(await names()).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
