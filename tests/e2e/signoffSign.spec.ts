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
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createFhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import { axeViolations, baseUrl, launchPersistent, openApp, type Watched, waitForSaved } from './browser.ts';
import {
  DEMO_PATIENTS,
  DEMO_PLAN,
  decide,
  downloadFromReview,
  openFirstRecord,
  planReview,
  signPanel,
} from './signoffJourney.ts';

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
  context = await launchPersistent(profile);
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
    await expect(panel.getByLabel('Printed name', { exact: true }).inputValue()).resolves.toBe('Dana Reyes');
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
      /I reviewed this sample/,
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
    const text = readFileSync(file, 'utf8').replace('I reviewed this sample', 'I reviewed this sampld');
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
        e.resource.resourceType === 'Provenance' && e.resource.activity?.text.startsWith('Clinician review'),
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
