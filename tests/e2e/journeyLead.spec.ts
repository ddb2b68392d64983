/**
 * The data lead's journey in Chromium, with the app's real workers: a roster with keys the lead
 * confirms, review packets sent to clinicians and their results merged (once and under dual review,
 * with adjudication), the verdict per stratum, signing with WebAuthn (and without it, said so), the
 * signature's coverage of later decisions, exports that wait for the last save and verify in the
 * CLI, and the printable report. Each part opens its own contexts in the file's one browser; an
 * axe check runs on each screen it passes through.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createFhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import { canonicalSha256Hex } from '../../src/core/hash/canonicalJson.ts';
import { verifyAuditChain } from '../../src/core/signoff/auditChain.ts';
import type { TransactionBundle } from '../../src/core/signoff/signoffBundle.ts';
import { loadAny } from '../../src/formats/registry.ts';
import type { Review } from '../../src/formats/review.ts';
import type { SignoffReportFile } from '../../src/formats/signoffReport.ts';
import { axeViolations, baseUrl, openApp, type Watched, waitForSaved } from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';
import { closeFileBrowser, freshContext, partBrowser } from './signoffBrowser.ts';
import {
  DEMO_PATIENTS,
  DEMO_PLAN,
  decide,
  downloadFromReview,
  openFirstRecord,
  planReview,
  rejectionComment,
  signPanel,
} from './signoffJourney.ts';

/**
 * Journey: a data lead sets up the clinician sample plan of the demo clinic. They see how many
 * records each stratum needs and why, and the plan's operating-characteristic curve; an
 * impossible target is refused where it is typed; they fingerprint the data file and lock the plan
 * (its hash is the SHA-256 Node computes of the plan's canonical JSON, and the file's digest is
 * node:crypto's); the lock survives a reload, the locked targets cannot be edited, and "Make a new
 * plan" creates a draft that supersedes it with a new seed.
 */
describe('the sample plan fingerprinted and locked', () => {
  const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));

  let browser: Browser;
  let app: Watched;
  const earlierConsole: string[] = [];

  const plan = (page: Page, name = 'Patient demographics: clinician sample before go-live'): Locator =>
    page.getByRole('article', { name });

  beforeAll(async () => {
    browser = await partBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    app = await openApp(context, '#/signoff');
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe('sample plan: size, curve and lock', () => {
    it('fingerprints the data file, locks the plan and shows its hash', async () => {
      const { page } = app;
      const card = plan(page);
      await card.getByLabel('Data files').setInputFiles(PATIENTS);
      const expected = createHash('sha256').update(readFileSync(PATIENTS)).digest('hex');
      await card.getByText(expected).waitFor();
      // a small clinic lets its approver review too: the choice is part of the locked plan
      const mayApprove = card.getByLabel(/The approver may also review records of this sample/);
      await expect(mayApprove.isChecked()).resolves.toBe(false);
      await mayApprove.check();
      await card.getByRole('button', { name: 'Lock the plan' }).click();
      await card.getByTestId('plan-hash').waitFor();
      await waitForSaved(page);
      const shown = await card.getByTestId('plan-hash').textContent();
      // the plan as stored in IndexedDB hashes (canonical JSON, SHA-256, computed here in Node) to the value shown
      const stored = await page.evaluate(async () => {
        const open = indexedDB.open('preflight');
        const db: IDBDatabase = await new Promise((resolve, reject) => {
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const names = [...db.objectStoreNames];
        const store = names.find((n) => /document/i.test(n)) ?? names[0];
        if (!store) return [];
        const all: unknown[] = await new Promise((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        db.close();
        return all;
      });
      const lockedPlans = JSON.stringify(stored).includes(expected);
      expect(lockedPlans).toBe(true);
      const planDoc = findPlan(stored, expected);
      expect(planDoc && canonicalSha256Hex(planDoc)).toBe(shown);
      expect(planDoc).toMatchObject({ reviewerMayApprove: true });
    });

    it('keeps the lock after a reload; locked targets cannot be edited', async () => {
      const { page } = app;
      earlierConsole.push(...app.console);
      await page.reload();
      await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
      const card = plan(page);
      await card.getByTestId('plan-hash').waitFor();
      await expect(card.getByText('Locked', { exact: true }).isVisible()).resolves.toBe(true);
      await expect(card.getByLabel('Confidence (%)').isDisabled()).resolves.toBe(true);
      const mayApprove = card.getByLabel(/The approver may also review records of this sample/);
      await expect(mayApprove.isChecked()).resolves.toBe(true);
      await expect(mayApprove.isDisabled()).resolves.toBe(true);
    });

    it('has no accessibility violations, printed nothing and broke no CSP rule', async () => {
      const violations = await axeViolations(app.page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
      expect([...earlierConsole, ...app.console]).toEqual([]);
      expect(app.cspViolations).toEqual([]);
    });
  });

  /** The stored sample plan whose lock holds `sha256`, wherever storage keeps documents. */
  function findPlan(value: unknown, sha256: string): unknown {
    if (value === null || typeof value !== 'object') return undefined;
    const record = value as Record<string, unknown>;
    if (record.format === 'preflight.sampleplan/v1' && JSON.stringify(record.lock ?? null).includes(sha256))
      return record;
    for (const child of Object.values(record)) {
      const found = findPlan(child, sha256);
      if (found) return found;
    }
    return undefined;
  }
});

/**
 * Journey: the data lead keeps the sign-off roster and binds each person's WebAuthn key (Chromium
 * DevTools virtual authenticator). The lead starts the roster, registers and confirms their own
 * key, adds a reviewer-adjudicator whose key the lead confirms, and an approver whose key was made
 * but never confirmed. The reviewer reviews; her attempt to adjudicate her own "cannot assess" is
 * refused by roster identity; the unconfirmed approver's signature is refused; the lead signs with
 * the bound key. The export verifies with the CLI with no warning, the chain holding every roster
 * change. axe finds nothing at 1440, 820 and 390 px; no console output.
 *
 * WebAuthn needs a domain, not an IP address: the app is opened at `localhost`.
 */
describe('the roster and the keys the lead binds', () => {
  /** Set SHOT_DIR to keep screenshots of the roster (1440, 820 and 390 px). */
  const SHOT_DIR = process.env.SHOT_DIR;

  let profile: string;
  let context: BrowserContext;
  let app: Watched;
  let cdp: CDPSession;
  let authenticatorId: string;

  const localhost = (): string => baseUrl().replace('127.0.0.1', 'localhost');
  const rosterOf = (page: Page): Locator => page.locator('details.roster-panel');
  const rosterStatus = (page: Page): Locator => rosterOf(page).getByTestId('roster-status');

  async function waitStatus(page: Page, text: RegExp): Promise<void> {
    await rosterStatus(page).filter({ hasText: text }).waitFor();
  }

  async function addPerson(page: Page, name: string, title: string, staffId: string, roles: string[]) {
    const roster = rosterOf(page);
    await roster.getByLabel('Full name').fill(name);
    await roster.getByLabel('Job title').fill(title);
    await roster.getByLabel('Staff number').fill(staffId);
    for (const role of roles) await roster.getByRole('checkbox', { name: role, exact: true }).check();
  }

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'preflight-roster-'));
    context = await freshContext();
    app = await openApp(context, '#/signoff', localhost());
    cdp = await context.newCDPSession(app.page);
    await cdp.send('WebAuthn.enable');
    const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    authenticatorId = added.authenticatorId;
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });

  describe('the roster the data lead keeps, and keys bound by the lead', () => {
    it('the lead starts the roster and binds their own key', async () => {
      const { page } = app;
      // closed until opened, so clinicians reviewing need not scroll past it
      await rosterOf(page).locator('summary').click();
      await expect(rosterOf(page).textContent()).resolves.toMatch(
        /the lead’s attestation of who holds which key/,
      );
      await addPerson(page, 'Sam Okafor', 'Clinical lead', 'CL-7', ['approver']);
      await rosterOf(page).getByRole('button', { name: 'Start the roster as data lead' }).click();
      await waitStatus(page, /^Added Sam Okafor \(CL-7\)\. Saved\.$/);
      await rosterOf(page).getByRole('button', { name: 'Register a key for Sam Okafor' }).click();
      await waitStatus(page, /^Key made for Sam Okafor\. It cannot sign until a data lead confirms it/);
      await rosterOf(page).getByRole('button', { name: "Confirm Sam Okafor's key as lead" }).click();
      await waitStatus(page, /^Sam Okafor's key is bound, confirmed by Sam Okafor\. Saved\.$/);
    });

    it('a key registered with the lead’s confirmation, and one nobody confirmed', async () => {
      const { page } = app;
      await addPerson(page, 'Dana Reyes', 'Charge nurse', 'RN-204', ['reviewer', 'adjudicator']);
      await rosterOf(page).getByRole('button', { name: 'Save to the roster' }).click();
      await waitStatus(page, /^Added Dana Reyes \(RN-204\)\. Saved\.$/);
      await rosterOf(page).getByRole('button', { name: 'Register a key for Dana Reyes' }).click();
      await waitStatus(page, /^Key made for Dana Reyes\./);
      await rosterOf(page).getByRole('button', { name: "Confirm Dana Reyes's key as lead" }).click();
      await waitStatus(page, /^Dana Reyes's key is bound, confirmed by Sam Okafor\. Saved\.$/);
      // an approver whose key was made while the lead was away: never confirmed
      await addPerson(page, 'Robert Chen', 'Chief medical officer', 'MD-9', ['approver']);
      await rosterOf(page).getByRole('button', { name: 'Save to the roster' }).click();
      await waitStatus(page, /^Added Robert Chen \(MD-9\)\. Saved\.$/);
      await rosterOf(page).getByRole('button', { name: 'Register a key for Robert Chen' }).click();
      await waitStatus(page, /^Key made for Robert Chen\./);
      const people = rosterOf(page).getByRole('list', { name: 'People on the roster' });
      await expect(people.getByRole('listitem').count()).resolves.toBe(3);
      await expect(people.getByTestId('roster-key').allTextContents()).resolves.toEqual([
        expect.stringMatching(/^Signing key [0-9a-f]{12}…, confirmed by Sam Okafor$/),
        expect.stringMatching(/^Signing key [0-9a-f]{12}…, confirmed by Sam Okafor$/),
        'No confirmed signing key · a new key is registered and waits for a lead to confirm it',
      ]);
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(3);
      // the roster is the project's: it survives a reload
      await page.reload();
      await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
      await rosterOf(page).locator('summary').click();
      await expect(people.getByTestId('roster-key').count()).resolves.toBe(3);
      if (SHOT_DIR) {
        mkdirSync(SHOT_DIR, { recursive: true });
        for (const width of [1440, 820, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await rosterOf(page).scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(SHOT_DIR, `roster-${width}.png`), fullPage: false });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });

    it('the reviewer reviews; adjudicating her own “cannot assess” is refused by roster identity', async () => {
      const { page } = app;
      await openFirstRecord(page, DEMO_PATIENTS, { name: 'Dana Reyes', role: 'Charge nurse', id: 'RN-204' });
      await decide(page, 'a', 1, 'accepted');
      await decide(page, 'c', 2, 'cannot assess');
      await decide(page, 'a', 3, 'accepted');
      const adjudication = planReview(page).getByRole('region', { name: 'Adjudication' });
      await adjudication.getByLabel('Who is adjudicating (from the roster)').selectOption('RN-204');
      await adjudication
        .getByRole('button', { name: /^Accept/ })
        .first()
        .click();
      await adjudication
        .getByTestId('adjudication-status')
        .filter({
          hasText:
            /^Not saved: Dana Reyes reviewed this record, and no one adjudicates a record they reviewed/,
        })
        .waitFor();
    });

    it('a registration nobody confirmed is refused at signing; the lead signs with the bound key', async () => {
      const { page } = app;
      const sign = signPanel(page);
      const signer = sign.getByLabel('Who is signing (from the roster)');
      await signer.selectOption('MD-9');
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign
        .getByTestId('sign-status')
        .filter({
          hasText:
            /^Not signed: Robert Chen's key was registered, but no data lead confirmed it: a registration nobody confirmed cannot sign\./,
        })
        .waitFor();
      await signer.selectOption('CL-7');
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign
        .getByTestId('sign-status')
        .filter({
          hasText:
            /^Signed by Sam Okafor on .*, with the key the data lead bound to them on the roster\. Saved\.$/,
        })
        .waitFor();
      await sign.getByTestId('signature-check').filter({ hasText: 'verifies' }).waitFor();
      await expect(sign.getByRole('list', { name: 'Signatures' }).textContent()).resolves.toMatch(
        /Sam Okafor, Clinical lead \(CL-7\) signed on .*the key the data lead bound to them/,
      );
      if (SHOT_DIR) {
        for (const width of [1440, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await sign.getByRole('list', { name: 'Signatures' }).scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(SHOT_DIR, `roster-sign-${width}.png`) });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });

    it('the lead revokes a lost key and binds the replacement', async () => {
      const { page } = app;
      const roster = rosterOf(page);
      if (!(await roster.evaluate((d) => (d as HTMLDetailsElement).open)))
        await roster.locator('summary').click();
      await roster.getByRole('button', { name: "Revoke Dana Reyes's key" }).click();
      await roster.getByLabel("Why is Dana Reyes's key revoked?").fill('Security key lost');
      await roster.getByRole('button', { name: 'Revoke the key' }).click();
      await waitStatus(page, /^Dana Reyes's key is revoked: it no longer signs\./);
      await roster.getByRole('button', { name: 'Register a key for Dana Reyes' }).click();
      await waitStatus(page, /^Key made for Dana Reyes\./);
      await roster.getByRole('button', { name: "Confirm Dana Reyes's key as lead" }).click();
      await waitStatus(page, /^Dana Reyes's key is bound, confirmed by Sam Okafor\. Saved\.$/);
    });

    it('the export verifies with no warning; its chain holds every roster change', async () => {
      const file = await downloadFromReview(app.page, 'Export the sign-off (JSON)', profile, 'signoff.json');
      const out: string[] = [];
      const code = await main(['signoff', 'verify', file], {
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(t),
        cwd: profile,
      });
      // 5 roster changes, the plan lock, the draw, 3 decisions, the signature, a revocation and a key
      expect(out.join('\n')).toMatch(/verified: 13 entries/);
      expect(out.join('\n')).not.toMatch(/WARNING/);
      expect(code).toBe(0);
    });

    it('at an IP address, says to open the app at localhost, where keys work', async () => {
      const ip = await openApp(context, '#/signoff');
      const address = `${localhost()}#/signoff`;
      await rosterOf(ip.page).locator('summary').click();
      await rosterOf(ip.page)
        .getByTestId('roster-webauthn')
        .filter({
          hasText: `Signing keys work only when Preflight is opened by name: open ${address} to register`,
        })
        .waitFor();
      await ip.page.close();
      expect(ip.console).toEqual([]);
    });

    it('is accessible at 1440, 820 and 390 px, and quiet', async () => {
      const { page } = app;
      await rosterOf(page).locator('summary').first().scrollIntoViewIfNeeded();
      for (const width of [1440, 820, 390]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await axeViolations(page)).toEqual([]);
      }
      expect(app.console).toEqual([]);
      expect(app.cspViolations).toEqual([]);
    });
  });
});

/**
 * Journey: a clinician reviews the demo sample with the keyboard, reloads (the reviewer is
 * remembered), and signs off with a virtual WebAuthn authenticator (Chromium DevTools protocol:
 * a CTAP2 platform authenticator with user verification). The first signature registers a
 * signing key, then asserts over the sign-off hash; "Signed" shows only once stored. A failed
 * identity check stores nothing. The sign-off JSON verifies with the CLI core (signature and
 * WebAuthn assertion included), the FHIR Bundle passes the project's FHIR validator with zero
 * errors and verifies with the CLI core on its own (an edited outcome refused), and the printable report prints to PDF through Chromium. axe finds nothing; no console
 * output; no CSP violation.
 *
 * WebAuthn needs a domain, not an IP address: the app is opened at `localhost`.
 */
describe('signing with WebAuthn, and the exports', () => {
  const PATIENTS = DEMO_PATIENTS;
  /** Set SHOT_DIR to keep screenshots (1440 and 390 px) and the printed report's pages. */
  const SHOT_DIR = process.env.SHOT_DIR;

  let profile: string;
  let context: BrowserContext;
  let app: Watched;
  let cdp: CDPSession;
  let authenticatorId: string;
  const earlierConsole: string[] = [];
  const earlierCsp: string[] = [];

  const localhost = (): string => baseUrl().replace('127.0.0.1', 'localhost');

  async function addAuthenticator(page: Page) {
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    authenticatorId = added.authenticatorId;
  }

  async function shoot(page: Page, name: string) {
    if (!SHOT_DIR) return;
    mkdirSync(SHOT_DIR, { recursive: true });
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await signPanel(page).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOT_DIR, `${name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'preflight-sign-'));
    context = await freshContext();
    app = await openApp(context, '#/signoff', localhost());
    await addAuthenticator(app.page);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });

  describe('sign-off with WebAuthn and exports', () => {
    it('reviews the demo sample with the keyboard', async () => {
      const { page } = app;
      await openFirstRecord(page, PATIENTS, { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' });
      await decide(page, 'a', 1, 'accepted');
      await decide(page, 'r', 2, 'rejected');
      await decide(page, 'a', 3, 'accepted');
      await signPanel(page).waitFor();
    });

    it('remembers the reviewer across a reload (project storage)', async () => {
      const { page } = app;
      await page.reload();
      await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
      const panel = planReview(page);
      await expect(panel.getByLabel('Printed name', { exact: true }).inputValue()).resolves.toBe(
        'Dana Reyes',
      );
      await expect(panel.getByLabel('Staff id', { exact: true }).inputValue()).resolves.toBe('RN-204');
      await expect(signPanel(page).getByLabel("Signer's full name").inputValue()).resolves.toBe('Dana Reyes');
      await expect(
        page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('review'))),
      ).resolves.toEqual([]);
    });

    it('signs with WebAuthn: registers a key on first use, asserts over the sign-off hash, "Signed" once stored', async () => {
      const { page } = app;
      const sign = signPanel(page);
      await expect(sign.getByTestId('webauthn-availability').textContent()).resolves.toMatch(
        /your browser will ask you to confirm it is you/,
      );
      await expect(sign.getByTestId('signature-meaning').textContent()).resolves.toMatch(
        /I reviewed these records/,
      );
      await sign.getByLabel("Signer's job title").fill('Charge nurse');
      await shoot(page, 'sign-before');
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign
        .getByTestId('sign-status')
        .filter({
          hasText:
            /^Signed by Dana Reyes on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} \(UTC[^)]*\), with a key this device registered \(no data lead confirmed who holds it: keep a roster\)\. Saved\.$/,
        })
        .waitFor();
      await sign.getByTestId('signature-check').filter({ hasText: 'verifies' }).waitFor();
      await expect(sign.getByRole('list', { name: 'Signatures' }).textContent()).resolves.toMatch(
        /Dana Reyes, Charge nurse \(RN-204\) signed on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} \(UTC[^)]*\): .*re-authenticated with WebAuthn \(key [0-9a-f]{12}…, registered on this project, but no data lead confirmed who holds it\)/,
      );
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      await waitForSaved(page); // the project bar says Saved in the screenshot
      await shoot(page, 'sign-after');
    });

    it('a failed identity check stores nothing and keeps the form', async () => {
      const { page } = app;
      const sign = signPanel(page);
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
      await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
      // in another role (the same person and role over the same results is already signed)
      await sign.getByLabel("Signer's job title").fill('Nurse manager');
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign
        .getByTestId('sign-status')
        .filter({ hasText: /^Not signed: / })
        .waitFor({ timeout: 150_000 });
      await expect(sign.getByRole('listitem').count()).resolves.toBe(1);
      await expect(sign.getByLabel("Signer's job title").inputValue()).resolves.toBe('Nurse manager');
    }, 180_000);

    it('without WebAuthn in the browser, says so plainly and signs without it, recorded as such', async () => {
      const page = await context.newPage();
      const printed: string[] = [];
      page.on('console', (m) => printed.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => printed.push(`pageerror: ${e.message}`));
      await page.addInitScript(() => {
        // a browser without WebAuthn
        Reflect.deleteProperty(window, 'PublicKeyCredential');
      });
      await page.goto(`${localhost()}#/signoff`);
      const sign = signPanel(page);
      await expect(sign.getByTestId('webauthn-availability').textContent()).resolves.toMatch(
        /This browser offers no WebAuthn .* recorded as made without re-authentication/,
      );
      await sign.getByLabel("Signer's job title").fill('Clinical lead');
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign
        .getByTestId('sign-status')
        .filter({
          hasText: /^Signed by Dana Reyes on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} \(UTC[^)]*\)\. Saved\.$/,
        })
        .waitFor();
      await expect(sign.getByRole('listitem').nth(1).textContent()).resolves.toMatch(
        /Clinical lead .*without re-authentication/,
      );
      await page.close();
      expect(printed).toEqual([]);
    });

    it('exports the sign-off JSON, which the CLI verifies: chain, bindings and the WebAuthn assertion', async () => {
      const { page } = app;
      // this page has not seen the other tab's signature: it refuses to export a file that would not verify
      await planReview(page).getByRole('button', { name: 'Export the sign-off (JSON)' }).click();
      await planReview(page)
        .getByTestId('export-status')
        .filter({ hasText: /changed in another tab or window .* Reload the page, then export again/ })
        .waitFor();
      await page.reload();
      await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
      await signPanel(page).getByRole('list', { name: 'Signatures' }).getByRole('listitem').nth(1).waitFor();
      const file = await downloadFromReview(page, 'Export the sign-off (JSON)', profile, 'signoff.json');
      const out: string[] = [];
      const code = await main(['signoff', 'verify', file], {
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(t),
        cwd: profile,
      });
      // the plan lock and the draw, three decisions and two signatures; no roster: warned
      expect(out.join('\n')).toMatch(/verified: 7 entries/);
      expect(out.join('\n')).toMatch(/WARNING: The file has no roster/);
      expect(out.join('\n')).toMatch(
        /Dana Reyes, Clinical lead \(RN-204\), .*signed without re-authentication/,
      );
      expect(out.join('\n')).toMatch(
        /signature .*: Dana Reyes, Charge nurse \(RN-204\), .*WebAuthn assertion verified \(http:\/\/localhost:\d+, user verified\)/,
      );
      expect(code).toBe(0);
      // a changed byte in the signature's meaning: refused
      const text = readFileSync(file, 'utf8').replace('I reviewed these records', 'I reviewed these recordz');
      const tampered = join(profile, 'tampered.json');
      await import('node:fs/promises').then((fs) => fs.writeFile(tampered, text));
      expect(
        await main(['signoff', 'verify', tampered], { stdout: () => {}, stderr: () => {}, cwd: profile }),
      ).toBe(1);
    });

    it('exports the FHIR transaction Bundle: zero errors in the FHIR validator, every entry a PUT', async () => {
      const file = await downloadFromReview(app.page, 'FHIR Bundle', profile, 'bundle.json');
      const bundle = JSON.parse(readFileSync(file, 'utf8'));
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
      const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
      // a Provenance per decision and the sign-off's own (its Signature holds the signature as signed)
      expect(types.filter((t: string) => t === 'Provenance')).toHaveLength(4);
      expect(types.filter((t: string) => t === 'Task')).toHaveLength(1);
      expect(types.filter((t: string) => t === 'Binary')).toHaveLength(1);
      expect(types).toContain('VerificationResult');
      for (const e of bundle.entry) expect(e.request.method).toBe('PUT');
      const session = await createFhirSession(generatedModules);
      const issues = (await session.validate(bundle)).issues;
      expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
      // the downloaded Bundle verifies on its own; it carries the latest signature, made here
      // without WebAuthn, which verify says as a warning
      const out: string[] = [];
      const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), cwd: profile };
      expect(await main(['signoff', 'verify', file], io)).toBe(0);
      expect(out.join('\n')).toMatch(/verified FHIR Bundle: 7 entries, each as signed; .*; 1 signature/);
      expect(out.join('\n')).toMatch(
        /Dana Reyes, Clinical lead \(RN-204\), .*signed without re-authentication/,
      );
      expect(out.join('\n')).toMatch(/WARNING: signature .* was made without WebAuthn/);
      // a decision's outcome edited in its Provenance: refused, naming the entry
      const edited = structuredClone(bundle);
      const provenance = edited.entry.find(
        (e: { resource: { resourceType: string; activity?: { text: string } } }) =>
          e.resource.resourceType === 'Provenance' &&
          e.resource.activity?.text.startsWith('Clinician review'),
      );
      provenance.resource.activity.text = provenance.resource.activity.text.endsWith('accepted')
        ? 'Clinician review: the migrated record rejected'
        : 'Clinician review: the migrated record accepted';
      const tampered = join(profile, 'bundle-tampered.json');
      await import('node:fs/promises').then((fs) => fs.writeFile(tampered, JSON.stringify(edited)));
      out.length = 0;
      expect(await main(['signoff', 'verify', tampered], io)).toBe(1);
      expect(out.join('\n')).toMatch(
        /TAMPERED: entry \d+ \(Provenance\/[0-9a-f]{64}\): decision .*: its outcome differs/,
      );
    });

    it('the printable report prints to PDF through Chromium', async () => {
      const file = await downloadFromReview(app.page, 'Printable report (HTML)', profile, 'report.html');
      const html = readFileSync(file, 'utf8');
      expect(html).toMatch(/tamper evidence/);
      expect(html).toMatch(/not, on its own, regulatory compliance/);
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      await page.getByRole('heading', { name: `Sign-off report: ${DEMO_PLAN}` }).waitFor();
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(pages).toBeLessThanOrEqual(4);
      if (SHOT_DIR) {
        await import('node:fs/promises').then((fs) => fs.writeFile(join(SHOT_DIR, 'report.pdf'), pdf));
        await page.emulateMedia({ media: 'print' });
        await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
        await page.screenshot({ path: join(SHOT_DIR, 'report-print.png'), fullPage: true });
      }
      await page.close();
    });

    it('is accessible, quiet and within the content security policy', async () => {
      expect(await axeViolations(app.page)).toEqual([]);
      expect([...earlierConsole, ...app.console]).toEqual([]);
      expect([...earlierCsp, ...app.cspViolations]).toEqual([]);
    });
  });
});

/**
 * Journey: a clinician signs off two decided records, then decides a third. A compliance officer
 * must see that the signature no longer covers every decision: the sign panel says so for the
 * signature (its results hash against the results now) and above the Sign button, the printable
 * report warns above the signatures, and the exported sign-off file states it — which the CLI
 * verifies (the signature still verifies: what it signed is unchanged) and repeats. At 1440 and
 * 390 px; axe finds nothing; no console output; no CSP violation.
 *
 * The browser here offers no WebAuthn (the sign-off with it is the part "signing with WebAuthn" above): the signature
 * is recorded as made without re-authentication.
 */
describe('a signature and the decisions recorded after it', () => {
  const PATIENTS = DEMO_PATIENTS;
  /** Set SHOT_DIR to keep screenshots of the sign panel (1440 and 390 px). */
  const SHOT_DIR = process.env.SHOT_DIR;

  let profile: string;
  let context: BrowserContext;
  let app: Watched;

  async function verify(file: string): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const code = await main(['signoff', 'verify', file], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      cwd: profile,
    });
    return { code, out: out.join('\n') };
  }

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'preflight-coverage-'));
    context = await freshContext();
    // a browser without WebAuthn: signing needs no authenticator
    await context.addInitScript(() => {
      Reflect.deleteProperty(window, 'PublicKeyCredential');
    });
    app = await openApp(context, '#/signoff');
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });

  describe('a signature and the decisions recorded after it', () => {
    it('signs two decided records: the signature covers every decision', async () => {
      const { page } = app;
      await openFirstRecord(page, PATIENTS, { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' });
      await decide(page, 'a', 1, 'accepted');
      await decide(page, 'a', 2, 'accepted');
      const sign = signPanel(page);
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign
        .getByTestId('sign-status')
        .filter({ hasText: /^Signed by Dana Reyes on .*\. Saved\.$/ })
        .waitFor();
      await sign.getByTestId('signature-check').filter({ hasText: 'verifies' }).waitFor();
      // count() does not wait: first wait for the coverage line's final text (read from the chain)
      await sign
        .getByTestId('signature-coverage')
        .filter({
          hasText:
            /^Covers every decision recorded so far · signed results [0-9a-f]{12}…, results now [0-9a-f]{12}…$/,
        })
        .waitFor();
      await expect(sign.getByTestId('signature-stale').count()).resolves.toBe(0);
      // a second click (to be sure it saved) adds no second, identical signature
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign
        .getByTestId('sign-status')
        .filter({ hasText: /^You signed these results on .*there is nothing new to sign\.$/ })
        .waitFor();
      await expect(
        sign.getByRole('list', { name: 'Signatures' }).getByRole('listitem').count(),
      ).resolves.toBe(1);
    });

    it('a record decided after signing: the signature says it does not cover it, and so does the panel', async () => {
      const { page } = app;
      // back to the record in view and decide it (the Sign button had the focus)
      await planReview(page).getByRole('region', { name: 'Record 3 of 59' }).focus();
      await decide(page, 'r', 3, 'rejected');
      const sign = signPanel(page);
      const coverage = sign.getByTestId('signature-coverage');
      await coverage
        .filter({
          hasText:
            /^Does not cover 1 decision logged after it \(the first decided \d{4}-\d{2}-\d{2} at \d{2}:\d{2} \(UTC[^)]*\)\)/,
        })
        .waitFor();
      const text = (await coverage.textContent()) ?? '';
      const [signed, now] = [...text.matchAll(/[0-9a-f]{12}…/g)].map((m) => m[0]);
      expect(signed).not.toBe(now);
      // "Signed … Saved." was about the results signed then: it does not stay beside the warning
      await expect(sign.getByTestId('sign-status').textContent()).resolves.toBe('');
      await expect(sign.getByTestId('signature-stale').textContent()).resolves.toMatch(
        /The latest signature does not cover 1 decision logged after it\..*Sign again to cover every decision\./,
      );
      if (SHOT_DIR) {
        mkdirSync(SHOT_DIR, { recursive: true });
        for (const width of [1440, 390]) {
          await page.setViewportSize({ width, height: 900 });
          await sign.scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(SHOT_DIR, `coverage-${width}.png`) });
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });

    it('the exported sign-off holds no derived coverage (an older Preflight would refuse it); the CLI verifies the signature and says what it does not cover', async () => {
      const file = await downloadFromReview(app.page, 'Export the sign-off (JSON)', profile, 'signoff.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      expect(Object.keys(json).sort()).toEqual([
        'entries',
        'exportedAt',
        'format',
        'integrity',
        'plans',
        'projectId',
        'reviews',
      ]);
      const { code, out } = await verify(file);
      // the plan lock and the draw, then decisions and the signature
      expect(out).toMatch(/verified: 6 entries/);
      expect(out).toMatch(/DOES NOT COVER 1 decision logged after it/);
      expect(code).toBe(0);
    });

    it('the printable report warns above the signatures and shows both results hashes', async () => {
      const file = await downloadFromReview(app.page, 'Printable report (HTML)', profile, 'report.html');
      const html = readFileSync(file, 'utf8');
      expect(html).toContain('The signature does not cover every decision');
      expect(html).toMatch(/Results hash now/);
      expect(html).toMatch(/1 decision was logged after this signature/);
    });

    it('Readiness says the signature does not approve go-live and does not cover the later decision', async () => {
      const { page } = app;
      await page
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('link', { name: 'Readiness' })
        .click();
      await openReadinessTab(page, 'Phases');
      const evidence = page.getByRole('list', { name: 'Pre-launch evidence' }).getByRole('listitem');
      await evidence
        .filter({
          hasText:
            /^Latest signature by Dana Reyes \(Registered nurse\), \d{4}-\d{2}-\d{2}: records the review, no go-live approval; decisions were recorded after it, which it does not cover\.$/,
        })
        .waitFor();
      if (SHOT_DIR) await page.screenshot({ path: join(SHOT_DIR, 'coverage-readiness.png') });
      await page
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('link', { name: 'Sign-off' })
        .click();
      await signPanel(page).waitFor();
    });

    it('signing again covers every decision', async () => {
      const { page } = app;
      const sign = signPanel(page);
      await sign.getByRole('button', { name: 'Sign' }).click();
      await sign.getByRole('list', { name: 'Signatures' }).getByRole('listitem').nth(1).waitFor();
      await sign
        .getByTestId('signature-coverage')
        .nth(1)
        .filter({ hasText: /^Covers every decision recorded so far/ })
        .waitFor();
      // the first signature is replaced, not told to sign again; wait for that text before counting
      await sign
        .getByTestId('signature-coverage')
        .nth(0)
        .filter({
          hasText: /^Replaced by a later signature, signed [^;]*; does not cover 1 decision logged after it/,
        })
        .waitFor();
      await expect(sign.getByTestId('signature-stale').count()).resolves.toBe(0);
      // the printable report no longer warns: the latest signature covers every decision
      const html = readFileSync(
        await downloadFromReview(page, 'Printable report (HTML)', profile, 'report-again.html'),
        'utf8',
      );
      expect(html).not.toContain('data-coverage="stale"');
      expect(html).toContain('Replaced by a later signature');
      await page
        .getByRole('navigation', { name: 'Workspaces' })
        .getByRole('link', { name: 'Readiness' })
        .click();
      await openReadinessTab(page, 'Phases');
      await page
        .getByRole('list', { name: 'Pre-launch evidence' })
        .getByRole('listitem')
        .filter({
          hasText:
            /^Latest signature by Dana Reyes \(Registered nurse\), \d{4}-\d{2}-\d{2}: records the review, no go-live approval\.$/,
        })
        .waitFor();
    });

    it('is accessible, quiet and within the content security policy', async () => {
      expect(await axeViolations(app.page)).toEqual([]);
      expect(app.console).toEqual([]);
      expect(app.cspViolations).toEqual([]);
    });
  });
});

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
 * The browser here offers no WebAuthn (the sign-off with it is the part "signing with WebAuthn" above).
 */
describe('exports wait for the last decision to be saved', () => {
  /** Set SHOT_DIR to keep screenshots of the waiting export and the co-signed panel (1440 and 390 px). */
  const SHOT_DIR = process.env.SHOT_DIR;

  let profile: string;
  let context: BrowserContext;
  let app: Watched;

  const exportsOf = (page: Page): Locator =>
    planReview(page).getByRole('region', { name: 'Sign-off exports' });

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
    context = await freshContext();
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
      const signoff = bundle.entry.at(-2)?.resource as unknown as {
        signature: { who: { display: string } }[];
      };
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
});

/**
 * Journey: a clinician reviews the demo sample — accepts record 1, marks record 2's allergies
 * missing (critical, the column the mapping never migrates) with a comment and rejects it, and
 * cannot assess record 3. The compliance officer's printable report lists the rejected record with
 * its key, reviewer, time, field, reason and class, and record 3 as awaiting an adjudicator; the
 * comment is printed only once "Include the reviewers' comments" is ticked. She then marks record 4
 * "cannot assess" and changes it to accepted with a reason: the report lists the change, and ends
 * with the audit trail and the chain head of the exported sign-off. The report opened from disk and
 * the review screen pass axe at 1440 and 390 px, and it prints to PDF on whole rows with repeated
 * table headers.
 */
describe('the rejected and critical records in the printable report', () => {
  const REVIEWER = { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' };
  const COMMENT = 'Penicillin allergy on the legacy chart is not in the new record';
  const CHANGE_REASON = 'The scanned chart arrived: the record matches it';
  /** Set SHOT_DIR to keep screenshots of the report and the exports (1440 and 390 px). */
  const SHOT_DIR = process.env.SHOT_DIR;

  let profile: string;
  let context: BrowserContext;
  let app: Watched;

  const record = (page: Page, n: number): Locator =>
    planReview(page).getByRole('region', { name: `Record ${n} of 59` });
  const row = (scope: Locator, column: string): Locator =>
    scope
      .getByRole('row')
      .filter({ has: scope.page().getByRole('rowheader', { name: new RegExp(`^${column}\\b`) }) });

  async function decided(page: Page, n: number, word: string): Promise<void> {
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: `Saved: record ${n} ${word}.` })
      .waitFor();
  }

  /** The text of the report's table marked `data-detail="name"`, one string per body row. */
  function tableRows(html: string, name: string): string[] {
    const at = html.indexOf(`data-detail="${name}"`);
    if (at < 0) return [];
    const body = html.slice(html.indexOf('<tbody>', at), html.indexOf('</table>', at));
    return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
      (m[1] ?? '').replace(/<\/td>/g, ' | ').replace(/<[^>]+>/g, ''),
    );
  }

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'preflight-report-detail-'));
    context = await freshContext();
    app = await openApp(context, '#/signoff');
    await app.page.setViewportSize({ width: 1440, height: 900 });
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });

  describe('the rejected and critical records in the printable report', () => {
    let recordKeys: string[] = [];

    it('accepts one record, rejects one with a critical finding and cannot assess a third', async () => {
      const { page } = app;
      await openFirstRecord(page, DEMO_PATIENTS, REVIEWER);
      await record(page, 1).focus();
      await page.keyboard.press('a');
      await decided(page, 1, 'accepted');
      const second = record(page, 2);
      await row(second, 'allergies').getByRole('button', { name: 'Mark wrong: allergies' }).click();
      await second.getByLabel('Reason').selectOption('missing');
      await second.getByLabel('Defect class').selectOption('critical');
      await second.getByRole('button', { name: 'Mark field wrong' }).click();
      await row(second, 'allergies').getByText('Marked wrong: Missing, critical').waitFor();
      await second.getByLabel(/^Comment/).fill(COMMENT);
      await page.keyboard.press('Escape');
      await page.keyboard.press('r');
      await decided(page, 2, 'rejected');
      await record(page, 3).waitFor();
      await page.keyboard.press('c');
      await decided(page, 3, 'cannot assess');
      const csv = readFileSync(await downloadFromReview(page, 'Decisions (CSV)', profile, 'd.csv'), 'utf8');
      // decision, stratum, record_key, …: one line per decision, in the order decided
      recordKeys = csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[2] ?? '');
      expect(recordKeys).toHaveLength(3);
    });

    it('lists the rejected record with reviewer, time, field, reason and class, and no comment', async () => {
      const html = readFileSync(
        await downloadFromReview(app.page, 'Printable report (HTML)', profile, 'report.html'),
        'utf8',
      );
      const rejected = tableRows(html, 'rejected-or-critical');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatch(
        new RegExp(
          `^\\S+ \\| ${recordKeys[1]} \\(row \\d+\\) \\| First review \\| Dana Reyes, Registered nurse \\(staff id RN-204\\) \\| \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2}) \\| Rejected \\| allergies: missing, critical \\| Written; not printed`,
        ),
      );
      const cannot = tableRows(html, 'cannot-assess');
      expect(cannot).toHaveLength(1);
      expect(cannot[0]).toContain(recordKeys[2]);
      expect(cannot[0]).toMatch(/Cannot assess .*Awaiting an adjudicator/);
      expect(html).toContain('No record has been adjudicated.');
      expect(html).not.toContain('Penicillin');
      expect(html).not.toContain(recordKeys[0]);
    });

    it('exports the same lists as JSON, which loads as a sign-off report, without the comment', async () => {
      const path = await downloadFromReview(app.page, 'Report lists (JSON)', profile, 'report.json');
      const text = readFileSync(path, 'utf8');
      const loaded = loadAny(JSON.parse(text));
      expect(loaded.ok).toBe(true);
      const file = (loaded.ok ? loaded.value : undefined) as SignoffReportFile;
      expect(file.format).toBe('preflight.signoffreport/v1');
      expect(file.includesComments).toBe(false);
      expect(file.rejectedOrCritical.map((r) => r.recordKey)).toEqual([recordKeys[1]]);
      expect(file.rejectedOrCritical[0]?.decisions[0]).toMatchObject({
        outcome: 'reject',
        reviewer: REVIEWER,
        findings: [{ field: 'allergies', reason: 'missing', defectClass: 'critical' }],
        commented: true,
      });
      expect(file.cannotAssess.map((r) => [r.recordKey, r.state])).toEqual([
        [recordKeys[2], 'awaiting-adjudication'],
      ]);
      expect(text).not.toContain('Penicillin');
    });

    it('prints the comment once the user ticks the choice', async () => {
      const { page } = app;
      await planReview(page)
        .getByLabel(/Include the reviewers' comments in the report/)
        .check();
      const path = await downloadFromReview(page, 'Printable report (HTML)', profile, 'report-comments.html');
      const rejected = tableRows(readFileSync(path, 'utf8'), 'rejected-or-critical');
      expect(rejected[0]).toContain(COMMENT);
    });

    it('lists a changed decision with before, after, who, when and why, and the trail with its head', async () => {
      const { page } = app;
      await record(page, 4).focus();
      await page.keyboard.press('c');
      await decided(page, 4, 'cannot assess');
      await record(page, 5).waitFor();
      await page.keyboard.press('p');
      const fourth = record(page, 4);
      await fourth.getByLabel(/^Reason for changing your decision/).fill(CHANGE_REASON);
      await page.keyboard.press('Escape');
      await page.keyboard.press('a');
      await decided(page, 4, 'accepted (changed from cannot assess)');
      const html = readFileSync(
        await downloadFromReview(page, 'Printable report (HTML)', profile, 'report-changed.html'),
        'utf8',
      );
      const changes = tableRows(html, 'changes');
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatch(
        /^\S+ \| \S+ \(row \d+\) \| First review \| Cannot assess by Dana Reyes \(RN-204\) at \S+; None marked \| Accepted; None marked \| Dana Reyes, Registered nurse \(staff id RN-204\) \| \S+ \| /,
      );
      expect(changes[0]).toContain(CHANGE_REASON);
      // the record accepted in the end is in no other list
      expect(tableRows(html, 'cannot-assess')).toHaveLength(1);
      // the appendix: one row per entry of the sign-off's chain, and its head and length
      const signoff = JSON.parse(
        readFileSync(
          await downloadFromReview(page, 'Export the sign-off (JSON)', profile, 'signoff.json'),
          'utf8',
        ),
      ) as { entries: { seq: number; hash: string; event: string }[] };
      const head = signoff.entries[signoff.entries.length - 1];
      const trail = tableRows(html, 'trail');
      expect(trail).toHaveLength(signoff.entries.length);
      expect(trail.filter((r) => / \| Decision \| .* \| RN-204 \| /.test(r))).toHaveLength(
        signoff.entries.filter((e) => e.event === 'decision').length,
      );
      expect(trail[trail.length - 1]).toContain(head?.hash.slice(0, 12));
      expect(html).toContain(
        `The audit log holds ${signoff.entries.length} entries; the last one's hash (the chain head) is <span class="hash">${head?.hash}</span>`,
      );
      for (const key of recordKeys) expect(trail.join('\n')).not.toContain(key);
    });

    it('prints to PDF on whole rows with the table headers repeated, and shows its pages', async () => {
      const report = await context.newPage();
      try {
        await report.goto(pathToFileURL(join(profile, 'report-changed.html')).href);
        await report.getByRole('heading', { name: 'Appendix: audit trail' }).waitFor();
        await report.emulateMedia({ media: 'print' });
        const pdf = await report.pdf({ preferCSSPageSize: true, printBackground: true });
        const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
        // the demo report: front matter, verdict, lists and the appendix on a few A4 pages
        expect(pages).toBeGreaterThanOrEqual(2);
        expect(pages).toBeLessThanOrEqual(8);
        const print = await report.evaluate(() => {
          const body = document.body.getBoundingClientRect();
          return {
            rowsSplit: [...document.querySelectorAll('tr')].filter(
              (tr) => getComputedStyle(tr).breakInside !== 'avoid',
            ).length,
            headsNotRepeated: [...document.querySelectorAll('thead')].filter(
              (h) => getComputedStyle(h).display !== 'table-header-group',
            ).length,
            signaturesSplit: [...document.querySelectorAll('.signature, .note')].filter(
              (b) => getComputedStyle(b).breakInside !== 'avoid',
            ).length,
            tablesOverflowing: [...document.querySelectorAll('table')].filter(
              (t) => t.getBoundingClientRect().right > body.right + 1,
            ).length,
          };
        });
        expect(print).toEqual({
          rowsSplit: 0,
          headsNotRepeated: 0,
          signaturesSplit: 0,
          tablesOverflowing: 0,
        });
        if (SHOT_DIR) {
          // the print layout at the width of an A4 page's printable area (96 px per inch)
          mkdirSync(SHOT_DIR, { recursive: true });
          await report.setViewportSize({ width: 690, height: 980 });
          const height = await report.evaluate(() => document.documentElement.scrollHeight);
          for (let top = 0, n = 1; top < height; top += 980, n++)
            await report.screenshot({
              path: join(SHOT_DIR, `report-print-${n}.png`),
              clip: { x: 0, y: top, width: 690, height: Math.min(980, height - top) },
              fullPage: true,
            });
        }
      } finally {
        await report.close();
      }
    });

    it.each([1440, 390])('at %i px the report opened from disk and the exports pass axe', async (width) => {
      const { page } = app;
      const height = width === 390 ? 844 : 900;
      const report = await context.newPage();
      try {
        await report.setViewportSize({ width, height });
        await report.goto(pathToFileURL(join(profile, 'report-changed.html')).href);
        await report.getByRole('heading', { name: 'Rejected and critical records' }).waitFor();
        expect(await axeViolations(report)).toEqual([]);
        // the record tables fit the screen: on a phone each row is a card, each cell named by its column
        const overflowing = await report.evaluate(
          () =>
            [...document.querySelectorAll('table[data-detail]')].filter(
              (t) => t.getBoundingClientRect().right > document.documentElement.clientWidth,
            ).length,
        );
        expect(overflowing).toBe(0);
        if (SHOT_DIR) {
          mkdirSync(SHOT_DIR, { recursive: true });
          await report
            .getByRole('heading', { name: 'Rejected and critical records' })
            .scrollIntoViewIfNeeded();
          await report.screenshot({ path: join(SHOT_DIR, `report-detail-${width}.png`) });
        }
      } finally {
        await report.close();
      }
      await page.setViewportSize({ width, height });
      const choice = planReview(page).getByLabel(/Include the reviewers' comments in the report/);
      await choice.scrollIntoViewIfNeeded();
      expect(await axeViolations(page)).toEqual([]);
      if (SHOT_DIR) await page.screenshot({ path: join(SHOT_DIR, `report-exports-${width}.png`) });
    });

    it('left nothing on the console', () => {
      expect(app.console).toEqual([]);
      expect(app.cspViolations).toEqual([]);
    });
  });
});

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
describe('review packets between two computers', () => {
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
    browser = await partBrowser();
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
      await expect(tools.getByLabel('Encrypt with a passphrase (recommended)').isChecked()).resolves.toBe(
        true,
      );
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
      const sampled = (JSON.parse(readFileSync(packetFile, 'utf8')) as { records: { key: string }[] })
        .records;
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
      expect((await verifyWithCli(tampered)).result).toMatchObject({
        status: 'tampered',
        reason: 'integrity',
      });

      const tools = review(page).getByRole('region', { name: 'Review on another computer' });
      await tools.getByLabel('Results file from a clinician').setInputFiles(tampered);
      await tools
        .getByRole('alert')
        .filter({
          hasText:
            'tampered-results.json was refused, nothing was merged: entry 5: the decision it records was changed after it was logged.',
        })
        .waitFor();
      await expect(review(page).getByTestId('review-progress').textContent()).resolves.toBe(
        '0 of 59 decided',
      );
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
      await expect(review(page).getByTestId('review-progress').textContent()).resolves.toBe(
        '3 of 59 decided',
      );
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
});

/**
 * Journey: a dual-reviewed plan through two review packets. The data lead turns on dual review,
 * locks the demo plan, draws its sample and exports one packet for the first review and one for the
 * second. Two clinicians open them in their own browser profiles: each sees the pass they were
 * assigned and only their own decisions. The first clinician is refused an Accept while a critical
 * finding is marked (and removes it), sees what she marked when she goes back, and changes a
 * decision with a reason; her results (records coded by keyed hash) verify with the CLI on their
 * own, in full with the packet they answer (--packet), and not with the other pass's packet. The
 * lead merges both results: the second pass is recorded beside the
 * first, the disagreement goes to adjudication, the verdict counts the records both reviewed and
 * shows Cohen's kappa; until it is adjudicated the screen says one record is not yet adjudicated
 * and counts it as an error at its worst (at 1440 and 390 px). A record only one clinician decided
 * is not counted as reviewed: after the first results only, none is, and the verdict says how many
 * await the second reviewer; after both, the record the second clinician alone decided awaits the
 * first, and the sign panel says go-live waits for it. A reviewer cannot adjudicate her own record; a third person does. axe finds
 * nothing at 1440 and 390 px; no console output; no CSP violation, on any of the three computers.
 */
describe('dual review through two review packets', () => {
  const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
  const PLAN = 'Patient demographics: whole-file sample';
  const WIDE = { width: 1440, height: 900 };
  /** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
  const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
  const PHONE = { width: 390, height: 844 };

  let browser: Browser;
  let lead: Watched;
  let first: Watched;
  let second: Watched;
  let dir: string;
  const files = { firstPacket: '', secondPacket: '', firstResults: '', secondResults: '' };

  const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
  const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });
  const tools = (page: Page): Locator =>
    review(page).getByRole('region', { name: 'Review on another computer' });
  const saveStatus = (page: Page): Locator => review(page).getByTestId('save-status');

  /**
   * `preflight signoff verify --json <file> [options]` in-process: exit code, the parsed result (none
   * on exit 2, which says why on stderr) and stderr.
   */
  async function verifyWithCli(
    file: string,
    ...options: string[]
  ): Promise<{ code: number; result: Record<string, unknown>; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['signoff', 'verify', '--json', file, ...options], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      cwd: dir,
    });
    const result = out.length > 0 ? (JSON.parse(out.join('\n')) as Record<string, unknown>) : {};
    return { code, result, err: err.join('\n') };
  }

  /** Clicks `button` and saves the download it starts as `name` in the test folder. */
  async function download(page: Page, button: Locator, name: string): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = join(dir, name);
    await file.saveAs(path);
    return path;
  }

  /** Presses `key` in the record region (for R, after typing why) and waits until it shows "Saved". */
  async function decide(page: Page, key: string, record: number, word: string) {
    if (key === 'r') await rejectionComment(page, review(page));
    await page.keyboard.press(key);
    await saveStatus(page)
      .filter({ hasText: `Saved: record ${record} ${word}.` })
      .waitFor();
  }

  /** A clinician opens `packet` in their own Preflight and names themselves; record 1 has the keyboard. */
  async function openPacket(page: Page, packet: string, name: string, role: string, id: string) {
    await page.getByLabel('Review packet', { exact: true }).setInputFiles(packet);
    await page.getByText('Packet opened: 59 records to review.').waitFor();
    const panel = review(page);
    await panel.getByLabel('Printed name').fill(name);
    await panel.getByLabel('Role').fill(role);
    await panel.getByLabel('Staff id').fill(id);
    await panel.getByRole('region', { name: 'Record 1 of 59' }).focus();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-dual-packets-'));
    browser = await partBrowser();
    // three contexts: three browser profiles, as on three computers (separate storage)
    const context = () => browser.newContext({ acceptDownloads: true, viewport: WIDE });
    lead = await openApp(await context(), '#/signoff');
    first = await openApp(await context(), '#/signoff');
    second = await openApp(await context(), '#/signoff');
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('dual review through two review packets', () => {
    it('the data lead turns on dual review and exports a packet for each of the two reviews', async () => {
      const { page } = lead;
      await card(page)
        .getByLabel(/Dual review: two clinicians review every record independently/)
        .check();
      await waitForSaved(page);
      await card(page).getByLabel('Data files').setInputFiles(PATIENTS);
      await card(page).getByRole('button', { name: 'Lock the plan' }).click();
      await card(page).getByTestId('plan-hash').waitFor();
      await review(page).getByLabel('Data files for the sample').setInputFiles(PATIENTS);
      await review(page).getByText('59 records drawn').waitFor();
      await review(page).getByLabel('Data file to review').setInputFiles(PATIENTS);
      await review(page).getByRole('region', { name: 'Record 1 of 59' }).waitFor();
      // unencrypted by explicit choice, so the CLI can verify the packets below
      await tools(page).getByLabel('Do not encrypt').check();
      const exportButton = tools(page).getByRole('button', {
        name: 'Export unencrypted review packet (59 patient records)',
      });
      await tools(page).getByLabel('First review').check();
      files.firstPacket = await download(page, exportButton, 'packet-first.json');
      await tools(page)
        .getByText(/Review packet for the first review saved/)
        .waitFor();
      await tools(page).getByLabel('Second review').check();
      files.secondPacket = await download(page, exportButton, 'packet-second.json');
      await tools(page)
        .getByText(/Review packet for the second review saved/)
        .waitFor();
      for (const file of [files.firstPacket, files.secondPacket]) {
        const { code, result } = await verifyWithCli(file);
        expect(result).toMatchObject({ status: 'verified', records: 59 });
        expect(code).toBe(0);
      }
      expect(await axeViolations(page)).toEqual([]);
    });

    it('the first clinician reviews her pass; the decisions mean what they say', async () => {
      const { page } = first;
      await openPacket(page, files.firstPacket, 'Dana Reyes', 'Registered nurse', 'RN-204');
      const panel = review(page);
      await expect(panel.getByTestId('assigned-pass').textContent()).resolves.toMatch(
        /the first of two independent reviews/,
      );
      // the pass is assigned, not chosen
      await expect(panel.getByLabel('I am the second reviewer').count()).resolves.toBe(0);
      await decide(page, 'a', 1, 'accepted');
      await decide(page, 'r', 2, 'rejected');
      // record 3: a critical finding is marked, so Accept is refused until it is removed
      await panel.getByLabel('Reason', { exact: true }).selectOption({ label: 'Missing' });
      await panel.getByLabel('Defect class').selectOption({ label: 'Critical (fails go-live on its own)' });
      await panel.getByRole('button', { name: 'Mark field wrong' }).click();
      await panel.getByRole('list', { name: 'Fields marked wrong' }).waitFor();
      await panel.getByRole('button', { name: 'Accept', exact: true }).click();
      await saveStatus(page)
        .filter({ hasText: 'Not saved: Accept is refused while a major or critical finding is marked' })
        .waitFor();
      await panel.getByRole('button', { name: /^Remove the finding on / }).click();
      await panel.getByRole('button', { name: 'Accept', exact: true }).click();
      await saveStatus(page).filter({ hasText: 'Saved: record 3 accepted.' }).waitFor();
      // record 4 opens with an empty form: nothing carries over from record 3
      await panel.getByRole('region', { name: 'Record 4 of 59' }).waitFor();
      await expect(panel.getByLabel('Reason', { exact: true }).inputValue()).resolves.toBe('');
      await expect(panel.getByLabel('Defect class').inputValue()).resolves.toBe('');
      await panel.getByRole('button', { name: 'Accept', exact: true }).click();
      await saveStatus(page).filter({ hasText: 'Saved: record 4 accepted.' }).waitFor();

      // going back to record 2 shows what she decided and wrote
      for (let i = 0; i < 3; i++) await panel.getByRole('button', { name: 'Previous' }).click();
      const record2 = panel.getByRole('region', { name: 'Record 2 of 59' });
      await expect(record2.getByTestId('own-decision').textContent()).resolves.toMatch(
        /^Your decision: Rejected; comment: “The date of birth differs from the legacy record\.”/,
      );
      await expect(panel.getByLabel(/^Comment/).inputValue()).resolves.toBe(
        'The date of birth differs from the legacy record.',
      );
      // changing record 4 asks for a reason, and says old and new
      for (let i = 0; i < 2; i++) await panel.getByRole('button', { name: 'Next' }).click();
      await panel.getByRole('region', { name: 'Record 4 of 59' }).waitFor();
      await panel.getByLabel(/^Comment/).fill('Sex is missing in the migrated record.');
      await panel.getByRole('button', { name: 'Reject', exact: true }).click();
      await saveStatus(page)
        .filter({
          hasText: 'Not saved: This record was already decided: changing the decision needs a reason.',
        })
        .waitFor();
      await panel.getByLabel(/^Reason for changing your decision/).fill('I read the sex field again.');
      await panel.getByRole('button', { name: 'Reject', exact: true }).click();
      await saveStatus(page)
        .filter({ hasText: 'Saved: record 4 rejected (changed from accepted).' })
        .waitFor();
      await panel
        // the packet's plan, its sample and the packet opened, then five decisions (one a change)
        .getByTestId('audit-status')
        .filter({ hasText: 'Audit log: 8 entries, chain intact' })
        .waitFor();
      files.firstResults = await download(
        page,
        panel.getByRole('button', { name: 'Export my results' }),
        'results-first.json',
      );
      const { code, result } = await verifyWithCli(files.firstResults);
      expect(result).toMatchObject({ status: 'verified', decisions: 5, recordKeys: 'hashed' });
      expect(code).toBe(0);
      // with the packet it answers, the coded keys map back and every decision is checked in full
      const full = await verifyWithCli(files.firstResults, '--packet', files.firstPacket);
      expect(full.result).toMatchObject({ status: 'verified', decisions: 5, packetChecked: true });
      expect(full.code).toBe(0);
      // the second review's packet is not the one these results answer
      const other = await verifyWithCli(files.firstResults, '--packet', files.secondPacket);
      expect(other.code).toBe(2);
      expect(other.err).toMatch(/is not the packet .* answers/);
      expect(await axeViolations(page)).toEqual([]);
    });

    it('the second clinician reviews the second pass blind to the first', async () => {
      const { page } = second;
      await openPacket(page, files.secondPacket, 'Sam Okafor', 'Physician', 'MD-17');
      const panel = review(page);
      await expect(panel.getByTestId('assigned-pass').textContent()).resolves.toMatch(
        /the second of two independent reviews/,
      );
      await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('0 of 59 decided');
      await decide(page, 'a', 1, 'accepted');
      await decide(page, 'a', 2, 'accepted');
      await decide(page, 'a', 3, 'accepted');
      await decide(page, 'r', 4, 'rejected');
      // a record the first clinician has not reached
      await decide(page, 'a', 5, 'accepted');
      files.secondResults = await download(
        page,
        panel.getByRole('button', { name: 'Export my results' }),
        'results-second.json',
      );
      await panel.getByText('Results saved: 5 decisions.', { exact: false }).waitFor();
    });

    it('the lead merges both passes: second reviews beside the first, the disagreement to adjudication, kappa', async () => {
      const { page } = lead;
      const panel = review(page);
      const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
      await tools(page).getByLabel('Results file from a clinician').setInputFiles(files.firstResults);
      await tools(page)
        .getByText(/Merged 5 decisions by Dana Reyes as the first review: every hash checked out/)
        .waitFor();
      // one pass only: no record is reviewed yet, and the verdict says which pass the four await
      await expect(verdict.textContent()).resolves.toMatch(/0 of 59 \(4 await the second reviewer\)/);
      const otherReviewNote = panel.getByTestId('awaiting-other-review');
      await expect(otherReviewNote.textContent()).resolves.toBe(
        '4 records await the second reviewer: only the first has decided them. A record counts once both reviewers have decided it: until then they are not counted as reviewed, and the rates and bounds leave them out.',
      );
      // the overall line gives the figures the note does not, each once
      const overall = panel.getByText(/^Overall: 0 reviewed, 0 errors;/);
      await expect(overall.count()).resolves.toBe(1);
      await expect(overall.textContent()).resolves.not.toMatch(/await|one reviewer|both reviewers/);
      if (SHOTS) {
        for (const width of [1440, 820, 390]) {
          await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
          // the whole verdict: the note, the table and the overall line
          await otherReviewNote.locator('..').screenshot({ path: join(SHOTS, `dual-one-pass-${width}.png`) });
        }
        await page.setViewportSize(WIDE);
      }
      await tools(page).getByLabel('Results file from a clinician').setInputFiles(files.secondResults);
      await tools(page)
        .getByText(/Merged 5 decisions by Sam Okafor as the second review: every hash checked out/)
        .waitFor();
      // record 5: the second clinician alone decided it, so it awaits the first and is not counted
      await expect(otherReviewNote.textContent()).resolves.toMatch(
        /^1 record awaits the first reviewer: only the second has decided it\. .*until then it is not counted as reviewed/,
      );
      // record 2 (reject, accept) awaits adjudication and counts as an error at its worst: with
      // record 4 (reject, reject) that is 2 errors in 4, 1 in 4 if the adjudicator clears record 2
      const awaitingNote = panel.getByTestId('awaiting-adjudication');
      const atWorst =
        /4 of 59 \(1 awaits the first reviewer\)2 \(1 record awaiting adjudication, 1 counted as an error at worst\)50 % at worst \(25 % if adjudicated as correct\)/;
      for (const viewport of [WIDE, PHONE]) {
        await page.setViewportSize(viewport);
        await expect(awaitingNote.textContent()).resolves.toBe(
          '1 record is not yet adjudicated (the two reviewers disagree, or a reviewer could not assess the record). Until an adjudicator decides, each counts at its worst: the worse of the reviewers’ decisions, critical if either found a critical defect. 1 of the errors is such a record; the rates and bounds include it.',
        );
        await expect(awaitingNote.isVisible()).resolves.toBe(true);
        await expect(verdict.textContent()).resolves.toMatch(atWorst);
        await expect(
          panel.getByText(/^Overall: 4 reviewed, 2 errors \(1 not yet adjudicated, at worst\);/).count(),
        ).resolves.toBe(1);
        if (SHOTS) {
          await awaitingNote.scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(SHOTS, `dual-awaiting-${viewport.width}.png`) });
        }
        expect(await axeViolations(page)).toEqual([]);
      }
      await page.setViewportSize(WIDE);
      // outcomes (accept, accept), (reject, accept), (accept, accept), (reject, reject):
      // pₒ = 0.75, pₑ = 0.5, kappa = 0.5, SE 0.375 (Fleiss, Cohen and Everitt) → 95 % CI −0.23 to 1.00
      await expect(panel.getByTestId('agreement').textContent()).resolves.toBe(
        'Agreement of the two reviewers on the outcome (Cohen’s kappa): 0.50 (95 % CI -0.23 to 1.00; 4 records).',
      );
      await panel
        // lock, draw, two packet exports; each merge before its decisions (5 + 5)
        .getByTestId('audit-status')
        .filter({ hasText: 'Audit log: 16 entries, chain intact' })
        .waitFor();
    });

    it('a reviewer cannot adjudicate her own record; a third person does, and the verdict completes', async () => {
      const { page } = lead;
      const adjudication = review(page).getByRole('region', { name: 'Adjudication' });
      await expect(adjudication.textContent()).resolves.toMatch(
        /First reviewer \(Dana Reyes\): rejected.*Second reviewer \(Sam Okafor\): accepted/,
      );
      await adjudication.getByLabel("Adjudicator's full name").fill('Dana Reyes');
      await adjudication.getByLabel("Adjudicator's job title").fill('Registered nurse');
      await adjudication.getByLabel("Adjudicator's staff number").fill('RN-204');
      await adjudication.getByRole('button', { name: /Adopt the first reviewer's decision/ }).click();
      await adjudication
        .getByTestId('adjudication-status')
        .filter({ hasText: "Not saved: an adjudicator must not be one of the record's reviewers" })
        .waitFor();
      await adjudication.getByLabel("Adjudicator's full name").fill('Lee Park');
      await adjudication.getByLabel("Adjudicator's job title").fill('Medical director');
      await adjudication.getByLabel("Adjudicator's staff number").fill('MD-01');
      // a comment quoting a number shaped like an MRN is not saved, and the number is not repeated
      await adjudication
        .getByLabel(/^Adjudicator's comment/)
        .fill('Checked against 4471902 in the old system.');
      await adjudication.getByRole('button', { name: /Adopt the first reviewer's decision/ }).click();
      const adjudicationStatus = adjudication.getByTestId('adjudication-status');
      await adjudicationStatus
        .filter({
          hasText:
            "Not saved: The adjudicator's comment contains a number shaped like an MRN (6 or more digits).",
        })
        .waitFor();
      await expect(adjudicationStatus.textContent()).resolves.not.toContain('4471902');
      await adjudication.getByLabel(/^Adjudicator's comment/).fill('Checked against the scanned chart.');
      await adjudication.getByRole('button', { name: /Adopt the first reviewer's decision/ }).click();
      await adjudicationStatus.filter({ hasText: /^Saved: adjudication/ }).waitFor();
      const verdict = review(page).getByRole('table', { name: 'Verdict per stratum (so far)' });
      await expect(verdict.textContent()).resolves.not.toMatch(/awaiting adjudication|at worst/);
      // the adjudicator adopted the rejection: the same 2 errors, now settled; record 5 still waits
      await expect(verdict.textContent()).resolves.toMatch(/4 of 59 \(1 awaits the first reviewer\)250 %/);
      await expect(review(page).getByTestId('awaiting-adjudication').count()).resolves.toBe(0);
      // nothing awaits an adjudicator, but go-live still waits for record 5's first pass
      const sign = review(page).getByRole('region', { name: 'Sign off' });
      await expect(sign.getByTestId('sign-standing').textContent()).resolves.toBe(
        '1 record awaits the first reviewer: go-live cannot be approved until both reviewers have decided it. Signing now records your review, not an approval.',
      );
      await review(page)
        .getByTestId('audit-status')
        .filter({ hasText: 'Audit log: 17 entries, chain intact' })
        .waitFor();
      expect(await axeViolations(page)).toEqual([]);
    });

    it('is accessible at 390 px on every computer, quiet and within the content security policy', async () => {
      for (const app of [lead, first, second]) {
        await app.page.setViewportSize(PHONE);
        expect(await axeViolations(app.page)).toEqual([]);
      }
      expect([...lead.console, ...first.console, ...second.console]).toEqual([]);
      expect([...lead.cspViolations, ...first.cspViolations, ...second.cspViolations]).toEqual([]);
    });
  });
});

/**
 * Journey: a data lead turns on dual review for the demo clinic's main plan — strata from the
 * validation outcome, the flagged records a census — locks it and draws its sample in the browser
 * (the migration engine validates every record against the demo contract first: 262 flagged rows,
 * 250 distinct MRNs, reviewed in full; 146 of the 4,738 clean rows (the exact hypergeometric size)). Two clinicians review two
 * records independently — each sees only their own decisions — and disagree on one; the verdict
 * says it awaits adjudication; an adjudicator decides it (final, its own audit entry); the charts
 * of errors by reason and by field show what was found. The verdict per stratum reads at 1440,
 * 820 and 390 px without scrolling sideways (a card per stratum on a phone, still a table to a
 * screen reader). The audit chain verifies; axe finds nothing; no console output; no CSP violation.
 */
describe('validation strata, dual review and adjudication', () => {
  const PATIENTS = fileURLToPath(new URL('../../samples/legacy/patients.csv', import.meta.url));
  const PLAN = 'Patient demographics: clinician sample before go-live';
  /** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the verdict for review. */
  const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;

  let browser: Browser;
  let app: Watched;

  const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
  const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });

  async function stored(page: Page): Promise<{ audit: unknown[]; reviews: Review[] }> {
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
      const documents = (await all('documents')) as { kind: string; body: unknown }[];
      const result = {
        audit: await all('audit'),
        reviews: documents.filter((d) => d.kind === 'review').map((d) => d.body as Review),
      };
      db.close();
      return result;
    });
  }

  async function asReviewer(panel: Locator, name: string, role: string, id: string) {
    await panel.getByLabel('Printed name', { exact: true }).fill(name);
    await panel.getByLabel('Role', { exact: true }).fill(role);
    await panel.getByLabel('Staff id', { exact: true }).fill(id);
  }

  async function decide(panel: Locator, button: 'Accept' | 'Reject', record: number, word: string) {
    await panel.getByRole('button', { name: button, exact: true }).click();
    await panel
      .getByTestId('save-status')
      .filter({ hasText: `Saved: record ${record} ${word}.` })
      .waitFor();
  }

  beforeAll(async () => {
    browser = await partBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    app = await openApp(context, '#/signoff');
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe('validation strata, dual review and adjudication', () => {
    it('turns on dual review, locks the main plan and draws it: the flagged stratum is a census', async () => {
      const { page } = app;
      await card(page)
        .getByLabel(/Dual review: two clinicians review every record independently/)
        .check();
      await waitForSaved(page);
      await card(page).getByLabel('Data files').setInputFiles(PATIENTS);
      await card(page).getByRole('button', { name: 'Lock the plan' }).click();
      await card(page).getByTestId('plan-hash').waitFor();
      const panel = review(page);
      await expect(panel.getByText(/checked against the column contract/).isVisible()).resolves.toBe(true);
      await panel.getByLabel('Data files for the sample').setInputFiles(PATIENTS);
      await panel.getByText('396 records drawn').waitFor();
      const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
      await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.toMatch(/0 of 146/);
      await expect(verdict.getByRole('row', { name: /^flagged/ }).textContent()).resolves.toMatch(/0 of 250/);
      // the plan card counts what was drawn, as the review and the verdict do, and says why it is fewer
      const sizes = card(page).getByRole('table', { name: /Records to review/ });
      await expect(sizes.locator('caption').textContent()).resolves.toBe(
        'Records to review: 396 of 5,000 rows; rows with the same key (mrn) are one record',
      );
      await expect(
        sizes.getByRole('row', { name: /^Rows validation flagged/ }).textContent(),
      ).resolves.toMatch(
        /262250 \(all\)262 rows, 250 records: rows with the same key \(mrn\) are one record, reviewed once/,
      );
    });

    it('two reviewers decide independently: each sees only their own decisions', async () => {
      const { page } = app;
      const panel = review(page);
      await panel.getByLabel('I am the first reviewer').check();
      await asReviewer(panel, 'Dana Reyes', 'Registered nurse', 'RN-204');
      await panel.getByLabel('Data file to review').setInputFiles(PATIENTS);
      await panel.getByRole('region', { name: 'Record 1 of 396' }).waitFor();
      await decide(panel, 'Accept', 1, 'accepted');
      // record 2: mark the first field wrong (wrong value, major), then reject
      await panel.getByLabel('Reason', { exact: true }).selectOption({ label: 'Wrong value' });
      await panel.getByLabel('Defect class').selectOption({ label: 'Major' });
      await panel.getByRole('button', { name: 'Mark field wrong' }).click();
      await panel.getByText(/Marked wrong: Wrong value, major/).waitFor();
      await decide(panel, 'Reject', 2, 'rejected');

      await panel.getByLabel('I am the second reviewer').check();
      await asReviewer(panel, 'Sam Okafor', 'Physician', 'MD-17');
      const first = panel.getByRole('region', { name: 'Record 1 of 396' });
      await first.waitFor();
      // the first reviewer's decision is not shown to the second
      await expect(first.getByTestId('decision-state').count()).resolves.toBe(0);
      await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('0 of 396 decided');
      await decide(panel, 'Accept', 1, 'accepted');
      await decide(panel, 'Accept', 2, 'accepted');
      // both decided record 1: independent review of it is closed
      await panel.getByRole('button', { name: 'Previous' }).click();
      await panel.getByRole('button', { name: 'Previous' }).click();
      await panel.getByRole('button', { name: 'Reject', exact: true }).click();
      await panel
        .getByTestId('save-status')
        .filter({ hasText: /Not saved: .*independent review of it is closed/ })
        .waitFor();
    });

    it('the disagreement awaits adjudication; the verdict counts it as an error and says so', async () => {
      const { page } = app;
      const panel = review(page);
      const adjudication = panel.getByRole('region', { name: 'Adjudication' });
      await adjudication.getByRole('heading', { name: 'Adjudication: 1 record waiting' }).waitFor();
      await expect(
        adjudication.getByText(/First reviewer \(Dana Reyes\): rejected: .*wrong value, major/).count(),
      ).resolves.toBe(1);
      await expect(adjudication.getByText(/Second reviewer \(Sam Okafor\): accepted/).count()).resolves.toBe(
        1,
      );
      await expect(
        panel.getByText(/^1 record is not yet adjudicated .* each counts at its worst/).isVisible(),
      ).resolves.toBe(true);
      // signing now records the review, never a go-live approval
      const sign = panel.getByRole('region', { name: 'Sign off' });
      await expect(sign.getByTestId('sign-standing').textContent()).resolves.toMatch(
        /^1 record awaits an adjudicator .*: go-live cannot be approved until it is decided/,
      );
      await expect(sign.getByTestId('signature-meaning').textContent()).resolves.toMatch(
        /does not approve the migrated records for go-live/,
      );
      const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
      await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.toMatch(
        /2 of 146.*1 \(1 record awaiting adjudication, 1 counted as an error at worst\)/,
      );
    });

    it('an adjudicator (not a reviewer of the record) decides it; the decision is final and audited', async () => {
      const { page } = app;
      const adjudication = review(page).getByRole('region', { name: 'Adjudication' });
      // the adjudicator can look at the record itself in the review above
      await adjudication.getByRole('button', { name: /^Show record .* above$/ }).click();
      await review(page).getByRole('region', { name: 'Record 2 of 396' }).waitFor();
      await adjudication.getByLabel("Adjudicator's full name").fill('Lee Park');
      await adjudication.getByLabel("Adjudicator's job title").fill('Medical director');
      await adjudication.getByLabel("Adjudicator's staff number").fill('MD-01');
      await adjudication.getByRole('button', { name: /Adopt the first reviewer's decision/ }).click();
      await adjudication
        .getByTestId('adjudication-status')
        .filter({ hasText: /^Saved: adjudication/ })
        .waitFor();
      await expect(adjudication.getByRole('list').count()).resolves.toBe(0);
      const panel = review(page);
      await panel
        .getByTestId('audit-status')
        // the plan lock and the draw, then the five decisions
        .filter({ hasText: 'Audit log: 7 entries, chain intact' })
        .waitFor();
      const { audit, reviews } = await stored(page);
      const decisions = reviews[0]?.decisions ?? [];
      expect(decisions.map((d) => [d.stage, d.outcome])).toEqual([
        ['first', 'accept'],
        ['first', 'reject'],
        ['second', 'accept'],
        ['second', 'accept'],
        ['adjudication', 'reject'],
      ]);
      const entries = (audit as { seq: number; projectId?: string }[])
        .sort((a, b) => a.seq - b.seq)
        .map(({ projectId: _p, ...entry }) => entry);
      // the plan lock and the draw, then the five decisions
      expect(verifyAuditChain(entries, reviews)).toMatchObject({ ok: true, entries: 7 });
      const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
      await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.toMatch(/2 of 146/);
      await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.not.toMatch(
        /awaiting/,
      );
    });

    it('charts the errors by reason and by field, overall and per stratum, with a table', async () => {
      const { page } = app;
      const charts = review(page).getByRole('region', { name: 'Errors found' });
      await expect(
        charts.getByRole('img', { name: /By reason \(all strata\): Wrong value 1, Missing 0/ }).isVisible(),
      ).resolves.toBe(true);
      await expect(
        charts.getByRole('img', { name: /By field \(all strata\): \S+ 1/ }).isVisible(),
      ).resolves.toBe(true);
      await charts.getByLabel('Show').selectOption('clean');
      await charts.getByRole('img', { name: /By reason \(stratum clean\): Wrong value 1/ }).waitFor();
      await charts.getByText('The numbers as a table').click();
      await expect(
        charts.getByRole('table', { name: /Errors by reason and by field \(stratum clean\)/ }).textContent(),
      ).resolves.toMatch(/Reason: Wrong value1/);
    });

    it('the verdict reads on a tablet and a phone without scrolling sideways: one card per stratum', async () => {
      const { page } = app;
      const panel = review(page);
      const region = panel.getByRole('region', { name: 'Verdict per stratum' });
      const verdict = region.getByRole('table', { name: 'Verdict per stratum (so far)' });
      const cdp = await page.context().newCDPSession(page);
      for (const width of [1440, 820, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await region.scrollIntoViewIfNeeded();
        // nothing in the verdict scrolls sideways, nor the page
        const overflow = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
        expect(overflow.scroll, `verdict at ${width} px`).toBeLessThanOrEqual(overflow.client);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
        // every stratum's figures are on screen: each cell inside the viewport's width
        for (const [stratum, figures] of [
          ['flagged', /0 of 250/],
          ['clean', /2 of 146/],
        ] as const) {
          const row = verdict.getByRole('row', { name: new RegExp(`^${stratum}`) });
          await expect(row.textContent()).resolves.toMatch(figures);
          const cells = row.locator('th, td');
          await expect(cells.count()).resolves.toBe(7);
          for (const cell of await cells.all()) {
            const box = await cell.boundingBox();
            expect(box, `${stratum} at ${width} px`).not.toBeNull();
            expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
          }
        }
        // the column headers show where the table fits; on a phone each figure carries its header's words
        // (on a phone the header row is clipped to one pixel: out of sight, still read out)
        const headers = await verdict.locator('thead').boundingBox();
        expect((headers?.height ?? 0) > 1, `column headers shown at ${width} px`).toBe(width > 640);
        const label = await verdict
          .locator('tbody td')
          .first()
          .evaluate((td) => getComputedStyle(td, '::before').content);
        expect(label).toBe(width > 640 ? 'none' : '"Reviewed"');
        // Chromium still exposes a table with row and column headers to screen readers
        const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
          nodes: { role?: { value?: string }; name?: { value?: string } }[];
        };
        const roles = nodes.map((n) => n.role?.value);
        expect(
          nodes.some((n) => n.role?.value === 'table' && n.name?.value === 'Verdict per stratum (so far)'),
          `table role at ${width} px`,
        ).toBe(true);
        expect(roles).toContain('columnheader');
        expect(roles).toContain('rowheader');
        if (SHOTS) await region.screenshot({ path: join(SHOTS, `verdict-${width}.png`) });
        expect(await axeViolations(page)).toEqual([]);
      }
      await cdp.detach();
      await page.setViewportSize({ width: 1440, height: 1000 });
    });

    it('is accessible, quiet and within the content security policy', async () => {
      expect(await axeViolations(app.page)).toEqual([]);
      expect(app.console).toEqual([]);
      expect(app.cspViolations).toEqual([]);
    });
  });
});

// the file's one browser, after every part closed its own contexts
afterAll(closeFileBrowser);
