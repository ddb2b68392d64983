/**
 * Journey: a clinician decides a record and at once exports the sign-off, before the decision is
 * stored. The export waits for the save — its button says so — and the file holds that decision,
 * with no false "changed in another tab"; the CLI verifies it. The same for the FHIR Bundle after
 * signing: a decision made just before it is in the Bundle, which asks for a new signature. Then
 * the clinician signs again and a clinical lead co-signs: the Bundle carries both current
 * signatures, notes the replaced one, and the CLI verifies it; the sign panel and the printed
 * report show both as current and only her first signature as replaced. Axe at 1440 and 390 px
 * (while an export waits, and on the co-signed panel); no console output; no CSP violation.
 *
 * "Before the decision is stored" is a fact the journey sets up, not a race: the test holds a
 * readwrite transaction on the project store in the page (IndexedDB runs transactions on the same
 * store one after another), so the app's save waits until the test lets it go.
 *
 * The browser here offers no WebAuthn (the sign-off with it is signoffSign.spec.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { TransactionBundle } from '../../src/core/signoff/signoffBundle.ts';
import { axeViolations, launchPersistent, openApp, type Watched } from './browser.ts';
import { DEMO_PATIENTS, decide, openFirstRecord, planReview, signPanel } from './signoffJourney.ts';

/** Set SHOT_DIR to keep screenshots of the waiting export and the co-signed panel (1440 and 390 px). */
const SHOT_DIR = process.env.SHOT_DIR;

let profile: string;
let context: BrowserContext;
let app: Watched;

const exportsOf = (page: Page): Locator => planReview(page).getByRole('region', { name: 'Sign-off exports' });

/**
 * Holds the app's next save: a readwrite transaction on the project store, kept open by one read
 * after another until `releaseSave` lets it end. Resolves once the transaction holds the store.
 */
async function holdSaves(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const open = indexedDB.open('preflight');
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const scope = window as unknown as { releaseSave?: () => void };
    let held = true;
    scope.releaseSave = () => {
      held = false;
    };
    const store = db.transaction('projects', 'readwrite').objectStore('projects');
    await new Promise<void>((holding) => {
      const keepOpen = () => {
        const request = store.count();
        request.onsuccess = () => {
          holding();
          if (held) keepOpen();
          else db.close();
        };
      };
      keepOpen();
    });
  });
}

async function releaseSaves(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { releaseSave: () => void }).releaseSave());
}

/** Saves a download as `name` in the profile's folder; returns its path. */
async function keep(download: Download, name: string): Promise<string> {
  const path = join(profile, name);
  await download.saveAs(path);
  return path;
}

async function verify(file: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(['signoff', 'verify', file], {
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    cwd: profile,
  });
  return { code, out: out.join('\n') };
}

/** Presses `key` on the record in view with the save held, then clicks `button` at once. */
async function decideAndExport(
  page: Page,
  key: string,
  record: number,
  button: string,
): Promise<{ downloaded: Promise<Download> }> {
  await holdSaves(page);
  await planReview(page)
    .getByRole('region', { name: `Record ${record} of 59` })
    .focus();
  await page.keyboard.press(key);
  await planReview(page)
    .getByTestId('save-status')
    .filter({ hasText: /^Saving: / })
    .waitFor();
  // the download comes only after the test lets the save go (axe checks run meanwhile)
  const downloaded = page.waitForEvent('download', { timeout: 120_000 });
  await exportsOf(page).getByRole('button', { name: button }).click();
  return { downloaded };
}

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-export-waits-'));
  context = await launchPersistent(profile);
  await context.addInitScript(() => {
    Reflect.deleteProperty(window, 'PublicKeyCredential');
  });
  app = await openApp(context, '#/signoff');
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
});

describe('exports wait for the last decision to be saved', () => {
  it('exports the sign-off right after a decision: the file holds it and verifies', async () => {
    const { page } = app;
    await openFirstRecord(page, DEMO_PATIENTS, {
      name: 'Dana Reyes',
      role: 'Registered nurse',
      id: 'RN-204',
    });
    await decide(page, 'a', 1, 'accepted');
    const { downloaded } = await decideAndExport(page, 'a', 2, 'Export the sign-off (JSON)');

    // the save is held: the export says it waits, on its button and in the status line
    const exports = exportsOf(page);
    const waiting = exports.getByRole('button', { name: 'Waiting for the save…' });
    await waiting.waitFor();
    await expect(waiting.getAttribute('aria-busy')).resolves.toBe('true');
    await exports
      .getByTestId('export-status')
      .filter({
        hasText: 'Waiting for the latest changes to be saved before the sign-off file (JSON) is made…',
      })
      .waitFor();
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await waiting.scrollIntoViewIfNeeded();
      if (SHOT_DIR) await page.screenshot({ path: join(SHOT_DIR, `export-waits-${width}.png`) });
      expect(await axeViolations(page), `${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    await releaseSaves(page);
    const file = await keep(await downloaded, 'signoff.json');
    await exports
      .getByTestId('export-status')
      .filter({ hasText: 'The sign-off file (JSON) is saved to your downloads.' })
      .waitFor();
    await exports.getByRole('button', { name: 'Export the sign-off (JSON)' }).waitFor();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      reviews: { decisions: { outcome: string; row: number }[] }[];
      entries: { event: string }[];
    };
    expect(exported.reviews[0]?.decisions.map((d) => d.outcome)).toEqual(['accept', 'accept']);
    expect(exported.entries.filter((e) => e.event === 'decision')).toHaveLength(2);
    const cli = await verify(file);
    expect(cli.code, cli.out).toBe(0);
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: 'Saved: record 2 accepted.' })
      .waitFor();
  });

  it('signs, decides once more and downloads the FHIR Bundle at once: it carries the decision', async () => {
    const { page } = app;
    const sign = signPanel(page);
    await sign.getByRole('button', { name: 'Sign' }).click();
    await sign
      .getByTestId('sign-status')
      .filter({ hasText: /^Signed by Dana Reyes on .*\. Saved\.$/ })
      .waitFor();
    const { downloaded } = await decideAndExport(page, 'a', 3, 'FHIR Bundle');
    await exportsOf(page).getByRole('button', { name: 'Waiting for the save…' }).waitFor();
    await releaseSaves(page);
    const bundle = JSON.parse(
      readFileSync(await keep(await downloaded, 'bundle.json'), 'utf8'),
    ) as TransactionBundle;
    const activities = bundle.entry
      .filter((e) => e.resource.resourceType === 'Provenance')
      .map((e) => (e.resource.activity as { text: string }).text);
    expect(activities.filter((a) => a.startsWith('Clinician review:'))).toHaveLength(3);
    // the third decision came after the signature: the Bundle says the sign-off is to be signed again
    const task = bundle.entry.find((e) => e.resource.resourceType === 'Task')?.resource;
    expect(task?.status).toBe('ready');
    await exportsOf(page)
      .getByTestId('export-status')
      .filter({ hasText: 'The FHIR Bundle is saved to your downloads.' })
      .waitFor();
  });

  it('two people sign the results as they are now: the FHIR Bundle carries both and verifies', async () => {
    const { page } = app;
    const sign = signPanel(page);
    // Dana Reyes signs again over the third decision, then Sam Okafor signs the same results
    await sign.getByRole('button', { name: 'Sign' }).click();
    await sign
      .getByTestId('sign-status')
      .filter({ hasText: /^Signed by Dana Reyes on .*\. Saved\.$/ })
      .waitFor();
    await sign.getByLabel("Signer's full name").fill('Sam Okafor');
    await sign.getByLabel("Signer's job title").fill('Clinical lead');
    await sign.getByLabel("Signer's staff number").fill('CL-7');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await sign
      .getByTestId('sign-status')
      .filter({ hasText: /^Signed by Sam Okafor on .*\. Saved\.$/ })
      .waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportsOf(page).getByRole('button', { name: 'FHIR Bundle' }).click(),
    ]);
    const path = await keep(download, 'bundle-cosigned.json');
    const bundle = JSON.parse(readFileSync(path, 'utf8')) as TransactionBundle;
    const signoff = bundle.entry.at(-2)?.resource as unknown as { signature: { who: { display: string } }[] };
    // both current signatures, the one the Task records last
    expect(signoff.signature.map((s) => s.who.display)).toEqual(['Dana Reyes', 'Sam Okafor']);
    const task = bundle.entry.find((e) => e.resource.resourceType === 'Task')?.resource as unknown as {
      owner: { display: string };
      note: { text: string }[];
    };
    expect(task.owner.display).toBe('Sam Okafor');
    expect(task.note).toHaveLength(3);
    expect(task.note[1]?.text).toMatch(
      /^Also signed by Dana Reyes \(.*\) on \d{4}-\d{2}-\d{2} over the same results/,
    );
    // her signature before the third decision: replaced by her own later one
    expect(task.note[2]?.text).toMatch(
      /^Signature of \d{4}-\d{2}-\d{2} was replaced by the same signer's signature/,
    );
    const cli = await verify(path);
    expect(cli.code, cli.out).toBe(0);

    // the sign panel and the printed report say the same: two current signatures, one replaced
    const lines = sign.getByTestId('signature-coverage');
    await expect.poll(() => lines.count()).toBe(3);
    const texts = await lines.allTextContents();
    expect(texts.filter((t) => /replaced by a later signature/i.test(t))).toHaveLength(1);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await lines.first().scrollIntoViewIfNeeded();
      if (SHOT_DIR) await page.screenshot({ path: join(SHOT_DIR, `cosigned-${width}.png`) });
      expect(await axeViolations(page), `${width} px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      exportsOf(page).getByRole('button', { name: 'Printable report (HTML)' }).click(),
    ]);
    const html = readFileSync(await keep(report, 'report.html'), 'utf8');
    expect([...html.matchAll(/data-signature="(\w+)"/g)].map((m) => m[1])).toEqual([
      'current',
      'current',
      'superseded',
    ]);
  });

  it('prints nothing to the console and breaks no CSP rule', () => {
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
