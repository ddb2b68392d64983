/**
 * Journey: a data lead locks the demo clinic's whole-file plan, draws its sample and exports a
 * review packet (the screen says plainly it holds patient records and for whom), encrypted with a
 * passphrase by default (a weak one is refused); an unencrypted one only by explicit choice, with a
 * warning. A clinician opens the encrypted packet in another browser profile (a changed plain copy,
 * a changed encrypted copy and a wrong passphrase are refused first, creating nothing) — their
 * own Preflight, a project of its own — reviews with the
 * keyboard only and exports their results, which name records by coded key (no MRN of the sample
 * is in the file; record keys in results are the lead's explicit choice, with a warning). A tampered copy of the results is refused in the lead's
 * project, naming the first broken entry and merging nothing; the real results merge, and the
 * lead's audit chain then records the clinician's decisions. Both files pass `preflight signoff
 * verify`. axe finds nothing; no console output; no CSP violation, on either side.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';
import { rejectionComment } from './signoffJourney.ts';

const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
const PLAN = 'Patient demographics: whole-file sample';
const PASSPHRASE = 'amber kettle orbit lantern';

let browser: Browser;
let lead: Watched;
let clinician: Watched;
let dir: string;

const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });

/** `preflight signoff verify --json <file>` in-process: exit code and parsed result. */
async function verifyWithCli(file: string): Promise<{ code: number; result: Record<string, unknown> }> {
  const out: string[] = [];
  const code = await main(['signoff', 'verify', '--json', file], {
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    cwd: dir,
  });
  return { code, result: JSON.parse(out.join('\n')) as Record<string, unknown> };
}

/** Clicks `button` and saves the download it starts as `name` in the test folder. */
async function download(page: Page, button: Locator, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

/** Chooses the encrypted packet `file` on the clinician side and types `passphrase` to open it. */
async function openEncrypted(page: Page, file: string, passphrase: string) {
  const name = file.split(/[\\/]/).pop() ?? file;
  await page.getByLabel('Review packet', { exact: true }).setInputFiles(file);
  await page.getByText(`${name} is encrypted: type the passphrase`).waitFor();
  await page.getByLabel(`Passphrase for ${name}`).fill(passphrase);
  await page.getByRole('button', { name: 'Open packet' }).click();
}

/** How many "Review of …" projects the clinician's browser holds. */
const reviewProjects = (page: Page): Promise<number> =>
  page.getByLabel('Project', { exact: true }).locator('option', { hasText: 'Review of' }).count();

/** Presses `key` in the record region and waits until the decision it makes shows "Saved". */
async function decide(page: Page, key: string, record: number, word: string) {
  if (key === 'r') await rejectionComment(page, review(page));
  await page.keyboard.press(key);
  await review(page)
    .getByTestId('save-status')
    .filter({ hasText: `Saved: record ${record} ${word}.` })
    .waitFor();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-packets-'));
  browser = await launchBrowser();
  // two contexts: two browser profiles, as on two computers (separate storage)
  lead = await openApp(await browser.newContext({ acceptDownloads: true }), '#/signoff');
  clinician = await openApp(await browser.newContext({ acceptDownloads: true }), '#/signoff');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('review packets between two computers', () => {
  let packetFile = '';
  let encryptedFile = '';
  let resultsFile = '';

  it('the data lead exports an encrypted packet of the drawn sample, saying plainly it holds patient records', async () => {
    const { page } = lead;
    await card(page).getByLabel('Data files').setInputFiles(PATIENTS);
    await card(page).getByRole('button', { name: 'Lock the plan' }).click();
    await card(page).getByTestId('plan-hash').waitFor();
    await review(page).getByLabel('Data files for the sample').setInputFiles(PATIENTS);
    await review(page).getByText('59 records drawn').waitFor();
    await review(page).getByLabel('Data file to review').setInputFiles(PATIENTS);
    await review(page).getByRole('region', { name: 'Record 1 of 59' }).waitFor();
    const tools = review(page).getByRole('region', { name: 'Review on another computer' });
    await expect(tools.textContent()).resolves.toMatch(
      /contains the 59 sampled patient records.*give it only to the clinician who will do the review/,
    );
    // encrypted is the default; a weak passphrase is refused and nothing is saved
    await expect(tools.getByLabel('Encrypt with a passphrase (recommended)').isChecked()).resolves.toBe(true);
    // by default the clinician's results name records by a coded key, never by MRN
    await expect(
      tools.getByLabel('Identify each record by a coded key (recommended)').isChecked(),
    ).resolves.toBe(true);
    await tools.getByLabel('Passphrase', { exact: true }).fill('hunter2');
    await tools.getByLabel('Passphrase again').fill('hunter2');
    const encryptButton = tools.getByRole('button', {
      name: 'Export encrypted review packet (59 patient records)',
    });
    await encryptButton.click();
    await tools
      .getByRole('alert')
      .filter({
        hasText: 'No packet was saved: the passphrase must be at least 12 characters long (it has 7)',
      })
      .waitFor();
    await tools.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await tools.getByLabel('Passphrase again').fill(PASSPHRASE);
    encryptedFile = await download(page, encryptButton, 'review-packet.encrypted.json');
    await tools
      .getByText(
        /Encrypted review packet saved \(59 patient records, packet [0-9a-f]{12}…\)\. .*give them the passphrase by another route/,
      )
      .waitFor();
    const sealed = JSON.parse(readFileSync(encryptedFile, 'utf8')) as Record<string, unknown>;
    expect(sealed).toMatchObject({ format: 'preflight.encryptedpacket/v1', records: 59 });
    expect(Object.keys(sealed).sort()).toEqual(
      ['cipher', 'ciphertext', 'format', 'kdf', 'notice', 'packetId', 'planHash', 'records'].sort(),
    );
    expect(readFileSync(encryptedFile, 'utf8')).not.toContain('"cells"');
    expect(await axeViolations(page)).toEqual([]);

    // unencrypted only by explicit choice, with a plain warning; record keys in results likewise
    await tools.getByLabel('Do not encrypt').check();
    await tools.getByLabel('Identify each record by its record key').check();
    await tools
      .getByRole('note')
      .filter({
        hasText: /results file .* will list the record key \(such as the MRN\) of every one of the 59/,
      })
      .waitFor();
    await tools
      .getByRole('note')
      .filter({ hasText: /anyone who gets this file .* can read the 59 patient records/ })
      .waitFor();
    packetFile = await download(
      page,
      tools.getByRole('button', { name: 'Export unencrypted review packet (59 patient records)' }),
      'review-packet.json',
    );
    await tools
      .getByText(/Review packet saved without encryption \(59 patient records, packet [0-9a-f]{12}…\)/)
      .waitFor();
    const { code, result } = await verifyWithCli(packetFile);
    expect(result).toMatchObject({ status: 'verified', records: 59 });
    expect(code).toBe(0);
    expect(readFileSync(packetFile, 'utf8')).toContain('This file holds patient records');
    // the lead's choice is in the packet: its results will carry record keys
    expect(JSON.parse(readFileSync(packetFile, 'utf8'))).not.toHaveProperty('resultKeys');
    expect(await axeViolations(page)).toEqual([]);
    await tools.getByLabel('Identify each record by a coded key (recommended)').check();
  });

  it('a changed packet is refused on the clinician side, naming the first broken record', async () => {
    const { page } = clinician;
    const text = readFileSync(packetFile, 'utf8');
    const at = text.indexOf('"shownSha256": "') + '"shownSha256": "'.length;
    const tampered = join(dir, 'tampered-packet.json');
    writeFileSync(tampered, `${text.slice(0, at)}${text[at] === '0' ? '1' : '0'}${text.slice(at + 1)}`);
    await page.getByLabel('Review packet', { exact: true }).setInputFiles(tampered);
    await page
      .getByRole('alert')
      .filter({
        hasText:
          'tampered-packet.json was refused: record 1: what it shows does not match its fingerprint: it was changed.',
      })
      .waitFor();
    // nothing was opened or created
    await expect(reviewProjects(page)).resolves.toBe(0);
  });

  it('an encrypted packet with a wrong passphrase or a changed byte is refused plainly, creating nothing', async () => {
    const { page } = clinician;
    await openEncrypted(page, encryptedFile, 'amber kettle orbit lanterns');
    const refusal =
      /review-packet\.encrypted\.json was not opened: the passphrase is not the one it was encrypted with, or the file was changed after it was encrypted/;
    await page.getByRole('alert').filter({ hasText: refusal }).waitFor();
    // the file stays chosen: the passphrase can be typed again
    await expect(page.getByLabel('Passphrase for review-packet.encrypted.json').isVisible()).resolves.toBe(
      true,
    );

    const sealed = JSON.parse(readFileSync(encryptedFile, 'utf8')) as { ciphertext: string };
    const at = 100;
    sealed.ciphertext = `${sealed.ciphertext.slice(0, at)}${sealed.ciphertext[at] === 'A' ? 'B' : 'A'}${sealed.ciphertext.slice(at + 1)}`;
    const tampered = join(dir, 'tampered.encrypted.json');
    writeFileSync(tampered, `${JSON.stringify(sealed, null, 2)}\n`);
    await openEncrypted(page, tampered, PASSPHRASE);
    await page
      .getByRole('alert')
      .filter({
        hasText:
          /tampered\.encrypted\.json was not opened: the passphrase is not the one .*, or the file was changed/,
      })
      .waitFor();
    await expect(reviewProjects(page)).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('a clinician opens it with the passphrase in their own browser and reviews with the keyboard only', async () => {
    const { page } = clinician;
    await openEncrypted(page, encryptedFile, PASSPHRASE);
    await page.getByText('Packet opened: 59 records to review.').waitFor();
    const panel = review(page);
    const region = panel.getByRole('region', { name: 'Record 1 of 59' });
    await region.waitFor();
    // the records come from the packet: no data file is asked for
    await expect(panel.getByLabel('Data file to review').count()).resolves.toBe(0);
    await expect(
      region
        .getByRole('table', { name: /^Legacy and migrated record, field by field \(mapping/ })
        .isVisible(),
    ).resolves.toBe(true);
    await panel.getByLabel('Printed name').fill('Dana Reyes');
    await panel.getByLabel('Role').fill('Registered nurse');
    await panel.getByLabel('Staff id').fill('RN-204');
    // Tab from the last reviewer field lands on the record, which takes the single-key shortcuts
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
      'Record 1 of 59',
    );
    await decide(page, 'a', 1, 'accepted');
    await decide(page, 'r', 2, 'rejected');
    await decide(page, 'c', 3, 'cannot assess');
    await panel
      // the packet's plan, its sample and the packet opened, then the three decisions
      .getByTestId('audit-status')
      .filter({ hasText: 'Audit log: 6 entries, chain intact' })
      .waitFor();

    resultsFile = await download(
      page,
      panel.getByRole('button', { name: 'Export my results' }),
      'review-results.json',
    );
    await panel
      .getByText('Results saved: 3 decisions. The file names each record by a coded key', { exact: false })
      .waitFor();
    const { code, result } = await verifyWithCli(resultsFile);
    expect(result).toMatchObject({ status: 'verified', decisions: 3, recordKeys: 'hashed' });
    expect(code).toBe(0);
    // the results carry coded keys and fingerprints: no record's values, and no MRN of the sample
    const text = readFileSync(resultsFile, 'utf8');
    expect(text).not.toContain('"cells"');
    const sampled = (JSON.parse(readFileSync(packetFile, 'utf8')) as { records: { key: string }[] }).records;
    expect(sampled).toHaveLength(59);
    expect(sampled.filter((r) => text.includes(r.key)).map((r) => r.key)).toEqual([]);
    expect(JSON.parse(text)).toMatchObject({
      packet: { manifest: { resultKeys: { hash: 'HMAC-SHA-256' } } },
    });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the clinician reloads and opens the packet again: the same review resumes where they stopped', async () => {
    const { page } = clinician;
    await page.reload();
    const panel = review(page);
    await panel.getByTestId('review-progress').filter({ hasText: '3 of 59 decided' }).waitFor();
    await panel.getByText('Reviewing from a review packet? Open the packet again').waitFor();
    await openEncrypted(page, encryptedFile, PASSPHRASE);
    await page.getByText('Packet opened: 59 records to review.').waitFor();
    await panel.getByRole('region', { name: 'Record 4 of 59' }).waitFor();
    await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('3 of 59 decided');
    // one project for the packet, not a second one
    await expect(reviewProjects(page)).resolves.toBe(1);
  });

  it('a tampered results file is refused in the lead project with its reason, merging nothing', async () => {
    const { page } = lead;
    const tampered = join(dir, 'tampered-results.json');
    const text = readFileSync(resultsFile, 'utf8');
    const changed = text.replace('"outcome": "reject"', '"outcome": "accept"');
    expect(changed).not.toBe(text);
    writeFileSync(tampered, changed);
    // on its own the file is caught by its integrity hash; the lead, who can map the coded keys
    // back, names the changed decision's entry
    expect((await verifyWithCli(tampered)).result).toMatchObject({ status: 'tampered', reason: 'integrity' });

    const tools = review(page).getByRole('region', { name: 'Review on another computer' });
    await tools.getByLabel('Results file from a clinician').setInputFiles(tampered);
    await tools
      .getByRole('alert')
      .filter({
        hasText:
          'tampered-results.json was refused, nothing was merged: entry 5: the decision it records was changed after it was logged.',
      })
      .waitFor();
    await expect(review(page).getByTestId('review-progress').textContent()).resolves.toBe('0 of 59 decided');
  });

  it("the real results merge: the clinician's decisions count and the lead's chain records them", async () => {
    const { page } = lead;
    const tools = review(page).getByRole('region', { name: 'Review on another computer' });
    await tools.getByLabel('Results file from a clinician').setInputFiles(resultsFile);
    await tools.getByText(/Merged 3 decisions by Dana Reyes: every hash checked out/).waitFor();
    await review(page).getByTestId('review-progress').filter({ hasText: '3 of 59 decided' }).waitFor();
    await review(page)
      // the lock, the draw and the two packets' exports, then the merge and its three decisions
      .getByTestId('audit-status')
      .filter({ hasText: 'Audit log: 8 entries, chain intact' })
      .waitFor();
    // importing the same file again adds nothing
    await tools.getByLabel('Results file from a clinician').setInputFiles(resultsFile);
    await tools.getByText(/its 3 decisions were merged before/).waitFor();
    await expect(review(page).getByTestId('review-progress').textContent()).resolves.toBe('3 of 59 decided');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('is accessible at 390 px on both computers, quiet and within the content security policy', async () => {
    for (const app of [lead, clinician]) {
      await app.page.setViewportSize({ width: 390, height: 844 });
      expect(await axeViolations(app.page)).toEqual([]);
    }
    expect([...lead.console, ...clinician.console]).toEqual([]);
    expect([...lead.cspViolations, ...clinician.cspViolations]).toEqual([]);
  });
});
