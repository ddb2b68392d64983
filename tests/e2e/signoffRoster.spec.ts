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
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { axeViolations, baseUrl, launchPersistent, openApp, type Watched } from './browser.ts';
import {
  DEMO_PATIENTS,
  decide,
  downloadFromReview,
  openFirstRecord,
  planReview,
  signPanel,
} from './signoffJourney.ts';

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
  context = await launchPersistent(profile);
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
        hasText: /^Not saved: Dana Reyes reviewed this record, and no one adjudicates a record they reviewed/,
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
