/**
 * Safety proofs of FHIR files on Migration that only a real browser gives: the validator worker
 * survives hostile files (a resource nested 5,000 levels deep, a list inside a list) and validates
 * the rest of the run; a long run is cancelled mid-file in the worker, which then takes the next
 * run; an implementation guide package is kept in the browser's IndexedDB across a reload and still
 * applied, one damaged there behind Preflight's back is named and refuses validation, and "Close and
 * wipe" erases them. The rules of each screen are proved in their component tests
 * (src/app/migration/*.test.tsx); the data team's whole path in journeyFhir.spec.ts.
 *
 * One browser for the file, a fresh context per test (fhirSession.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ, ipsExamples } from '../fixtures/ipsPackage.ts';
import { scaled } from '../waits.ts';
import { axeViolations, type Watched, waitForSaved } from './browser.ts';
import {
  chooseFhirFiles,
  FIRST_RUN_TIMEOUT_MS,
  fhirResult,
  fhirSection,
  packagesPanel,
  validateFhirFiles,
} from './fhirFiles.ts';
import { type FhirBrowser, fhirBrowser } from './fhirSession.ts';

const OPEN = '{"url":"http://example.org/x","extension":[';
const DEEP = `{"resourceType":"Patient","id":"deep","extension":[${OPEN.repeat(5000)}{"url":"http://example.org/x","valueString":"v"}${']}'.repeat(5000)}]}`;
/** Resources of the generated export to cancel: far more than a worker checks before Cancel lands. */
const BIG_RESOURCES = 400_000;
const FLAG_MESSAGE = "Flag.status: must be 'active', as the profile fixes it (Flag-alert-uv-ips)";

let session: FhirBrowser;
let dir: string;
let watched: Watched | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-fhir-hostile-'));
  const lines = [
    JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female' }),
    DEEP,
    JSON.stringify({ resourceType: 'Patient', id: 'p3', name: [[{ family: 'Nested' }]] }),
    JSON.stringify({ resourceType: 'Patient', id: 'p4', gender: 'male' }),
  ];
  writeFileSync(join(dir, 'hostile.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ resourceType: 'Patient', id: 'o1', gender: 'X' }));
  // written as text, not stringified: 400,000 JSON.stringify calls cost a second of the spec
  const big: string[] = [];
  for (let i = 1; i <= BIG_RESOURCES; i++)
    big.push(
      `{"resourceType":"Patient","id":"p${i}","gender":"${i % 5 === 0 ? 'F' : 'female'}","birthDate":"1980-01-01","name":[{"family":"Example","given":["Pat"]}]}`,
    );
  writeFileSync(join(dir, 'big-export.ndjson'), `${big.join('\n')}\n`);
  const flag = (await ipsExamples()).find((e) => e.name === 'Flag-546482.json')?.resource;
  writeFileSync(join(dir, 'flags.json'), JSON.stringify({ ...flag, status: 'inactive' }));
  session = await fhirBrowser();
});

afterAll(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  if (watched) {
    expect(watched.cspViolations).toEqual([]);
    expect(
      watched.console.filter((line) => line.startsWith('error') || line.startsWith('pageerror')),
    ).toEqual([]);
    await watched.page.context().close();
  }
  watched = undefined;
});

describe('FHIR files in the browser', () => {
  it('reports a resource nested 5,000 deep on its line and validates the rest of the run, the other file too', async () => {
    watched = await session.open();
    const { page } = watched;
    await chooseFhirFiles(page, [join(dir, 'hostile.ndjson'), join(dir, 'other.json')]);
    const result = await validateFhirFiles(page, 2, FIRST_RUN_TIMEOUT_MS);
    expect(await result.getByTestId('score-records').textContent()).toBe('5');
    expect(await result.getByTestId('score-invalid').textContent()).toBe('3');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('nested more than 500 levels deep');
    expect(text).toContain('Patient.extension');
    expect(text).toContain('never a list (FHIR JSON has no lists inside lists)');
    expect(text).not.toMatch(/internal error|RangeError/);
    // one width: the Migration screen at 390 px is layout.spec.ts's
    expect(await axeViolations(page)).toEqual([]);
  });

  it('cancels a long run mid-file in the worker, which then takes the next run', async () => {
    watched = await session.open();
    const { page } = watched;
    await chooseFhirFiles(page, join(dir, 'big-export.ndjson'));
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const status = fhirSection(page).locator('.progress-block p');
    await expect
      .poll(() => status.textContent(), { timeout: scaled(120_000) })
      .toMatch(/[\d,]+ resources · [\d,]+ resources\/s/);
    await fhirSection(page).getByRole('button', { name: 'Cancel FHIR validation' }).click();
    const cancelled = fhirSection(page)
      .getByRole('status')
      .filter({ hasText: 'Cancelled: you pressed Cancel.' });
    await cancelled.waitFor();
    const stopped = /It stopped at (\d+) % \(([\d,]+) resources checked\)/.exec(
      (await cancelled.textContent()) ?? '',
    );
    expect(Number(stopped?.[1])).toBeLessThan(100);
    expect(Number(stopped?.[2]?.replaceAll(',', ''))).toBeLessThan(BIG_RESOURCES);
    await fhirSection(page).getByRole('button', { name: 'Remove big-export.ndjson' }).click();
    await chooseFhirFiles(page, join(dir, 'other.json'));
    const result = await validateFhirFiles(page, 1, FIRST_RUN_TIMEOUT_MS);
    expect(await result.getByTestId('score-records').textContent()).toBe('1');
  });

  it('keeps a package across a reload and applies it; one damaged in storage is named and refuses validation; wiping erases them', async () => {
    watched = await session.open();
    const { page } = watched;
    // the packages are part of the FHIR files section, on screen once a FHIR file is chosen
    await chooseFhirFiles(page, join(dir, 'flags.json'));
    await packagesPanel(page).getByLabel('Add packages (.tgz)').setInputFiles(IPS_TGZ);
    const applied = packagesPanel(page).getByRole('list', { name: 'Packages applied' });
    await applied.getByText('hl7.fhir.uv.ips 2.0.0', { exact: true }).waitFor();
    await waitForSaved(page);
    await page.reload();
    await chooseFhirFiles(page, join(dir, 'flags.json'));
    await applied.getByText('hl7.fhir.uv.ips 2.0.0', { exact: true }).waitFor();
    expect(await (await validateFhirFiles(page, 1, FIRST_RUN_TIMEOUT_MS)).textContent()).toContain(
      FLAG_MESSAGE,
    );

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
    await chooseFhirFiles(page, join(dir, 'other.json'));
    const unreadable = packagesPanel(page).getByRole('list', { name: 'Packages that could not be read' });
    await unreadable.waitFor();
    expect(await packagesPanel(page).getByRole('alert').textContent()).toContain(
      'hl7.fhir.uv.ips-2.0.0.tgz cannot be used as an implementation guide package',
    );
    expect(await axeViolations(page)).toEqual([]);
    // validating now says so, rather than checking without the package
    await fhirSection(page).getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const refused = fhirSection(page).locator('.job-outcome[role="alert"]');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(
      /^hl7\.fhir\.uv\.ips-2\.0\.0\.tgz cannot be used as an implementation guide package: .*What to do: /,
    );
    expect(await fhirResult(page).count()).toBe(0);

    const names = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(await names()).toContain('preflight-ig-packages');
    await page.getByRole('button', { name: 'Close and wipe' }).click();
    await page
      .getByRole('dialog', { name: 'Close and wipe everything?' })
      .getByRole('button', { name: 'Wipe everything' })
      .click();
    await page.getByRole('status').filter({ hasText: 'was erased' }).waitFor();
    expect(await names()).toEqual([]);
  });
});
