/**
 * Journey: a clinician signs off two decided records, then decides a third. A compliance officer
 * must see that the signature no longer covers every decision: the sign panel says so for the
 * signature (its results hash against the results now) and above the Sign button, the printable
 * report warns above the signatures, and the exported sign-off file states it — which the CLI
 * verifies (the signature still verifies: what it signed is unchanged) and repeats. At 1440 and
 * 390 px; axe finds nothing; no console output; no CSP violation.
 *
 * The browser here offers no WebAuthn (the sign-off with it is signoffSign.spec.ts): the signature
 * is recorded as made without re-authentication.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { axeViolations, launchPersistent, openApp, type Watched } from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';
import {
  DEMO_PATIENTS,
  decide,
  downloadFromReview,
  openFirstRecord,
  planReview,
  signPanel,
} from './signoffJourney.ts';

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
  context = await launchPersistent(profile);
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
    await expect(sign.getByRole('list', { name: 'Signatures' }).getByRole('listitem').count()).resolves.toBe(
      1,
    );
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
