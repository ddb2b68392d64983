/**
 * Journey: a steering committee prepares its go/no-go on the demo clinic. The safety
 * self-assessment comes pre-filled from the project's evidence (results acknowledgement from the
 * lab workflow's open loop, interfaces from data re-keyed between systems); a manager assesses an
 * item and overrides another against the evidence (who and why), and both survive a reload. An
 * approver signs the decision with a virtual WebAuthn authenticator (Chromium DevTools protocol);
 * a later change of evidence marks it stale on screen, in the evidence pack and in the JSON
 * export. The pack prints to PDF through Chromium. axe is clean at 1440 and 390 px.
 *
 * WebAuthn needs a domain, not an IP address: the app is opened at `localhost`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { canonicalSha256Hex } from '../../src/core/hash/canonicalJson.ts';
import { type EvidencePack, packSeal } from '../../src/core/readiness/index.ts';
import { parseProjectFile } from '../../src/formats/project.ts';
import {
  axeViolations,
  baseUrl,
  launchPersistent,
  openApp,
  placeHash,
  VIEWPORTS,
  type Watched,
  waitForSaved,
} from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';

/** Set SHOT_DIR to keep screenshots (1440 and 390 px) and the printed pack's PDF. */
const SHOT_DIR = process.env.SHOT_DIR;
const DEMO_FILE = join(import.meta.dirname, '../../samples/projects/demo-clinic.preflight.json');

/** Poppler's text extractor, to read the printed pack page by page. */
const PDFTOTEXT = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));

/** The text of each page of `pdf`, by pdftotext (pages end with a form feed). */
function pdfPages(pdf: Buffer): string[] {
  if (!PDFTOTEXT) throw new Error('pdftotext is not installed: install poppler-utils');
  const file = join(profile, 'printed-pack.pdf');
  writeFileSync(file, pdf);
  return execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

let profile: string;
let context: BrowserContext;
let app: Watched;
let cdp: CDPSession;
let authenticatorId: string;

const localhost = (): string => baseUrl().replace('127.0.0.1', 'localhost');

const item = (page: Page, title: string) =>
  page
    .getByRole('list', { name: 'Safety items' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 4, name: title, exact: true }) });
const badge = (page: Page, title: string) => item(page, title).locator('.badge').first();
const steering = (page: Page) => page.getByTestId('steering-decision');

async function shoot(page: Page, name: string, locator?: ReturnType<Page['locator']>) {
  if (!SHOT_DIR) return;
  mkdirSync(SHOT_DIR, { recursive: true });
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    if (locator) {
      await locator.scrollIntoViewIfNeeded();
      await locator.screenshot({ path: join(SHOT_DIR, `${name}-${width}.png`) });
    } else {
      await page.screenshot({ path: join(SHOT_DIR, `${name}-${width}.png`), fullPage: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOT_DIR, `${name}-${width}-top.png`) });
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Exports the open project and runs `preflight readiness` on the file. */
async function exportAndJudge(page: Page, name: string) {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const file = join(profile, name);
  await (await downloading).saveAs(file);
  return runCli(['readiness', file], profile);
}

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-steering-'));
  context = await launchPersistent(profile);
  app = await openApp(context, '', localhost());
  await app.page.setViewportSize({ width: 1440, height: 900 });
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
  await waitForSaved(app.page);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
});

describe('steering committee on the demo clinic', () => {
  it('the self-assessment is pre-filled from the demo’s evidence', async () => {
    const { page } = app;
    await page.getByLabel('Import a project file').setInputFiles(DEMO_FILE);
    await page.getByRole('status').filter({ hasText: 'Imported “Demo clinic”' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await openReadinessTab(page, 'Downtime and safety');
    expect(placeHash(page)).toBe('#/readiness/safety');
    await page.getByRole('heading', { name: 'Safety self-assessment' }).waitFor();

    expect(await badge(page, 'Results acknowledgement').textContent()).toBe('Not in place');
    await item(page, 'Results acknowledgement')
      .getByText("From the project's evidence: not in place", { exact: true })
      .waitFor();
    await item(page, 'Results acknowledgement')
      .getByRole('list', { name: 'Results acknowledgement evidence' })
      .getByText(
        /^“Lab orders and results — future \(CPOE and results interface\)” leaves an order's result unacknowledged/,
      )
      .waitFor();
    expect(await badge(page, 'Interfaces tested').textContent()).toBe('Not in place');
    expect(await badge(page, 'Downtime procedures').textContent()).toBe('Not assessed');
    expect(await axeViolations(page)).toEqual([]);
    await openReadinessTab(page, 'Go/no-go');
    const why = page.getByTestId('readiness-decision').getByRole('list', { name: 'Why no-go' });
    await why.getByText(/Results acknowledgement is not in place \(no owner named\)\. Pre-filled/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await openReadinessTab(page, 'Downtime and safety');
  });

  it('a manager assesses one item and overrides another with who and why; both survive a reload', async () => {
    const { page } = app;
    const downtime = item(page, 'Downtime procedures');
    await downtime.getByRole('radio', { name: 'Fully in place' }).check();
    await downtime.getByLabel('Owner of Downtime procedures').fill('Rae Lindqvist, practice manager');
    await downtime
      .getByLabel('Note on Downtime procedures')
      .fill('Drill held on 18 November; paper kits at each desk.');
    await downtime.getByLabel('Assessed by (your name)').fill('Rae Lindqvist');
    await downtime.getByRole('button', { name: 'Save Downtime procedures' }).click();
    await badge(page, 'Downtime procedures').filter({ hasText: 'Fully in place' }).waitFor();

    const results = item(page, 'Results acknowledgement');
    await results.getByRole('radio', { name: 'Partially in place' }).check();
    await results.getByLabel('Assessed by (your name)').fill('Dr Ines Moreau');
    await results.getByRole('button', { name: 'Save Results acknowledgement' }).click();
    // an override without a reason is not saved
    await results.getByRole('status').filter({ hasText: 'say why you differ before saving' }).waitFor();
    expect(await badge(page, 'Results acknowledgement').textContent()).toBe('Not in place');
    await results
      .getByLabel('Why Results acknowledgement differs from the evidence')
      .fill('The lab phones abnormal results through until the results inbox is live.');
    await results.getByRole('button', { name: 'Save Results acknowledgement' }).click();
    await badge(page, 'Results acknowledgement').filter({ hasText: 'Partially in place' }).waitFor();
    await results
      .getByTestId('safety-override')
      .filter({ hasText: 'by Dr Ines Moreau, against the evidence' })
      .waitFor();

    // an owner typed without pressing Save is kept too: only a status waits for Save
    await item(page, 'Interfaces tested')
      .getByLabel('Owner of Interfaces tested')
      .fill('Sam Okafor, IT lead');

    await waitForSaved(page);
    await page.reload();
    await page.getByRole('heading', { name: 'Safety self-assessment' }).waitFor();
    expect(await item(page, 'Interfaces tested').getByLabel('Owner of Interfaces tested').inputValue()).toBe(
      'Sam Okafor, IT lead',
    );
    expect(await badge(page, 'Interfaces tested').textContent()).toBe('Not in place');
    expect(await badge(page, 'Downtime procedures').textContent()).toBe('Fully in place');
    expect(
      await item(page, 'Downtime procedures').getByLabel('Owner of Downtime procedures').inputValue(),
    ).toBe('Rae Lindqvist, practice manager');
    expect(await badge(page, 'Results acknowledgement').textContent()).toBe('Partially in place');
    await item(page, 'Results acknowledgement')
      .getByTestId('safety-override')
      .filter({ hasText: '“The lab phones abnormal results through until the results inbox is live.”' })
      .waitFor();
    await shoot(page, 'safety', page.locator('section.safety'));
  });

  it('an approver signs the no-go decision with WebAuthn; it is current', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Steering decision');
    const panel = steering(page);
    expect(await panel.getByTestId('steering-state').textContent()).toBe('No decision recorded yet.');
    expect(await panel.getByRole('radio', { name: 'Do not go live yet' }).isChecked()).toBe(true);
    await panel
      .getByLabel('Rationale')
      .fill('Two safety items and the patients extract block go-live; decide again on 1 December.');
    // what is typed before signing is kept across a reload
    await waitForSaved(page);
    await page.reload();
    await panel.getByLabel('Rationale').waitFor();
    expect(await panel.getByLabel('Rationale').inputValue()).toBe(
      'Two safety items and the patients extract block go-live; decide again on 1 December.',
    );
    await panel.getByLabel("Approver's full name").fill('Dr Ines Moreau');
    await panel.getByLabel("Approver's job title").fill('Medical director');
    await panel.getByLabel("Approver's staff number").fill('MD-1');
    await panel.getByRole('button', { name: 'Sign the decision' }).click();
    await panel
      .getByTestId('steering-status')
      .filter({ hasText: /^Signed by Dr Ines Moreau on .*, identity confirmed\. Saved\.$/ })
      .waitFor();
    await panel
      .getByTestId('steering-state')
      .filter({ hasText: /^No-go, decided .* · Current$/ })
      .waitFor();
    await panel
      .getByRole('list', { name: 'Decision signatures' })
      .getByText(/Dr Ines Moreau, Medical director \(MD-1\) signed on .* identity confirmed with WebAuthn/)
      .waitFor();
    // the assertion over the signature's hash verifies on the page, as the CLI checks it
    await panel.getByTestId('steering-signature-check').filter({ hasText: 'signature verifies' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.signCount).toBeGreaterThanOrEqual(1);

    // a second approver signs the same wording: their signature joins the current decision
    await panel.getByText('Your signature is added to the current decision.').waitFor();
    await panel.getByLabel("Approver's full name").fill('Rae Lindqvist');
    await panel.getByLabel("Approver's job title").fill('Practice manager');
    await panel.getByLabel("Approver's staff number").fill('PM-3');
    await panel.getByRole('button', { name: 'Sign the decision' }).click();
    await panel
      .getByTestId('steering-status')
      .filter({ hasText: /^Signed by Rae Lindqvist on / })
      .waitFor();
    const signatures = panel.getByRole('list', { name: 'Decision signatures' }).getByRole('listitem');
    await expect.poll(() => signatures.count()).toBe(2);
    await expect
      .poll(() => panel.getByTestId('steering-signature-check').allTextContents())
      .toEqual(['signature verifies', 'signature verifies']);
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(2);
    // both signatures are in the project's one audit chain, which verifies
    await panel
      .getByTestId('steering-chain')
      .filter({
        hasText: /^Audit log: 2 entries, chain intact, 2 steering signatures recorded; head [0-9a-f]{64}\.$/,
      })
      .waitFor();
    // without a roster the typed names stand, and the panel says so
    await panel.getByTestId('steering-roster-note').filter({ hasText: 'keeps no sign-off roster' }).waitFor();
    // signing the same decision twice adds nothing
    await panel.getByLabel("Approver's full name").fill('Dr Ines Moreau');
    await panel.getByLabel("Approver's job title").fill('Medical director');
    await panel.getByLabel("Approver's staff number").fill('MD-1');
    await panel.getByRole('button', { name: 'Sign the decision' }).click();
    await panel
      .getByTestId('steering-status')
      .filter({ hasText: 'Dr Ines Moreau has already signed this decision: the signature stands.' })
      .waitFor();
    expect(await signatures.count()).toBe(2);
    await panel
      .getByTestId('steering-state')
      .filter({ hasText: /· Current$/ })
      .waitFor();
    // the CLI computes the same readiness hash from the exported file: the decision is current there too
    await waitForSaved(page);
    const judged = await exportAndJudge(page, 'demo-decided.preflight.json');
    expect(judged.out).toContain('\nSteering committee decision: NO-GO (current), signed by Dr Ines Moreau');
    await shoot(page, 'steering-current', panel);
  });

  it('a change of evidence marks the decision stale on screen', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Downtime and safety');
    const tests = item(page, 'Test patients removed');
    await tests.getByRole('radio', { name: 'Fully in place' }).check();
    await tests.getByLabel('Assessed by (your name)').fill('Rae Lindqvist');
    await tests.getByRole('button', { name: 'Save Test patients removed' }).click();
    await badge(page, 'Test patients removed').filter({ hasText: 'Fully in place' }).waitFor();
    await openReadinessTab(page, 'Steering decision');
    await steering(page)
      .getByTestId('steering-state')
      .filter({ hasText: /· Stale$/ })
      .waitFor();
    await steering(page).getByText('The evidence changed after this decision was taken').waitFor();
    // the go/no-go says so too, and leads to the record on its tab
    await openReadinessTab(page, 'Go/no-go');
    const top = page.getByTestId('decision-steering');
    await top.filter({ hasText: /no-go, decided .* — stale: the evidence changed since/ }).waitFor();
    await top.getByRole('link', { name: 'Go to the decision record' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('steering-decision');
    expect(placeHash(page)).toBe('#/readiness/steering');
    await waitForSaved(page);
    await shoot(page, 'steering-stale', steering(page));
  });

  it('the exported project gives the same stale decision in `preflight readiness`, its WebAuthn signatures verified', async () => {
    const { page } = app;
    const { code, out: text } = await exportAndJudge(page, 'demo-stale.preflight.json');
    expect(code).toBe(1);
    expect(text).toMatch(
      /\nSteering committee decision: NO-GO \(STALE\), signed by Dr Ines Moreau \(Medical director, MD-1\) on [^;]+, identity confirmed with WebAuthn, signature verifies; Rae Lindqvist \(Practice manager, PM-3\) on [^;]+, identity confirmed with WebAuthn, signature verifies\.\n {2}The evidence changed after it was taken: /,
    );
  });

  it('the evidence pack says the decision is stale, traces its figures to hashed artefacts, and prints', async () => {
    const { page } = app;
    await openReadinessTab(page, 'Go/no-go');
    await page.getByRole('link', { name: 'Open the evidence pack' }).click();
    await page.getByRole('heading', { level: 2, name: 'Go-live evidence pack: Demo clinic' }).waitFor();
    expect(placeHash(page)).toBe('#/readiness/pack');
    await page
      .getByTestId('pack-steering')
      .filter({ hasText: /STALE: the evidence changed after it was taken/ })
      .waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the evidence pack (JSON)' }).click();
    const file = join(profile, 'pack.json');
    await (await download).saveAs(file);
    const pack = JSON.parse(readFileSync(file, 'utf8')) as EvidencePack;
    expect(pack.format).toBe('preflight.evidence-pack/v1');
    expect(pack.steering.latest?.state).toBe('stale');
    expect(pack.steering.latest?.resultSha256).not.toBe(pack.resultSha256);
    expect(pack.auditChain).toMatchObject({
      state: 'intact',
      entries: 2,
      steeringSignatures: 2,
      unlogged: 0,
    });
    // the pack verifies as made: its seal and result hash recompute and both WebAuthn signatures
    // verify; it is stale because the committee decided on an earlier result
    const verified = await runCli(['readiness', 'verify-pack', file, '--json'], profile);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.out)).toMatchObject({
      verdict: 'stale',
      problems: [{ kind: 'stale', field: 'steeringDecision.resultSha256' }],
    });
    expect(JSON.parse(verified.out).checked.join('\n')).toContain('2 signature(s) verify');
    // a second signer's name changed, with the seal recomputed as a forger would: refused
    const forged = JSON.parse(readFileSync(file, 'utf8')) as EvidencePack;
    const second = forged.steeringDecision?.signatures[1];
    if (!second) throw new Error('the pack carries both signatures');
    second.signer.name = 'Someone Else';
    const { seal: _seal, ...unsealed } = forged;
    writeFileSync(join(profile, 'forged.json'), JSON.stringify({ ...unsealed, seal: packSeal(unsealed) }));
    const refused = await runCli(['readiness', 'verify-pack', 'forged.json', '--json'], profile);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out).problems).toContainEqual(
      expect.objectContaining({ kind: 'tampered', field: 'steeringDecision.signatures[1]' }),
    );
    // the screen's check of a pack file gives the same verdicts, the WebAuthn signatures verified in
    // the browser's worker
    const chooser = page.getByLabel('Evidence pack to check (JSON)');
    const verdict = page.getByTestId('pack-verdict');
    await chooser.setInputFiles(file);
    await verdict.getByText('pack.json: Intact, but out of date.').waitFor();
    expect(
      await verdict.getByRole('list', { name: 'What does not match' }).getByRole('listitem').allInnerTexts(),
    ).toEqual([
      'steeringDecision.resultSha256: the committee decided on another readiness result than the one in this pack: it must decide again (out of date)',
    ]);
    await chooser.setInputFiles(join(profile, 'forged.json'));
    await verdict.getByText('forged.json: Changed after it was made.').waitFor();
    await verdict
      .getByRole('list', { name: 'What does not match' })
      .getByText(/^steeringDecision\.signatures\[1\]: does not verify: /)
      .waitFor();
    await page
      .getByTestId('pack-chain')
      .filter({
        hasText: `chain intact, 2 steering signatures recorded; head ${pack.auditChain?.state === 'intact' ? pack.auditChain.head : ''}.`,
      })
      .waitFor();
    // every validation report and workflow is named by the hash of the version judged
    const parsed = parseProjectFile(readFileSync(DEMO_FILE, 'utf8'));
    if (!parsed.ok) throw new Error('the demo project file does not load');
    const demo = parsed.value.project;
    const preLaunch = pack.phases.find((p) => p.id === 'pre-launch');
    const report = demo.reports[0];
    if (!report) throw new Error('the demo has no report');
    expect(preLaunch?.artefacts).toContainEqual(
      expect.objectContaining({
        kind: 'validation-report',
        id: report.id,
        sha256: canonicalSha256Hex(report),
      }),
    );
    const lab = demo.workflows.find((w) => w.id === 'lab-results-future');
    expect(pack.phases.find((p) => p.id === 'go-live')?.artefacts).toContainEqual(
      expect.objectContaining({
        kind: 'workflow',
        id: 'lab-results-future',
        sha256: canonicalSha256Hex(lab),
      }),
    );
    expect(
      pack.reasons.find((r) => r.text.startsWith('Safety self-assessment: Interfaces tested'))?.owner,
    ).toBe('Sam Okafor, IT lead');
    expect(pack.reasons.map((r) => r.text)).toContain(
      'Safety self-assessment: Interfaces tested is not in place (owner: Sam Okafor, IT lead). Pre-filled from the project’s evidence.',
    );

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    // the summary on its own page, then the evidence
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(12);
    if (SHOT_DIR) writeFileSync(join(SHOT_DIR, 'evidence-pack.pdf'), pdf);
    // page 1 is the summary and only the summary: the evidence starts page 2, nothing of the
    // summary spills over onto it
    const printed = pdfPages(pdf);
    expect(printed).toHaveLength(pages);
    const words = (text: string) => text.replace(/\s+/g, ' ').trim();
    const [summaryPage = '', evidencePage = ''] = printed.map(words);
    expect(summaryPage).toMatch(/^Go-live evidence pack: Demo clinic /);
    for (const part of [
      'Status per phase',
      'Why no-go',
      'Outstanding risks',
      'No owner is named for Reference lab',
    ])
      expect(summaryPage).toContain(part);
    expect(summaryPage).toMatch(/Outstanding risks .*Discovery: /);
    expect(summaryPage).not.toContain('Evidence per phase');
    expect(evidencePage).toMatch(/^Evidence per phase Discovery: /);
    // the app's bar, the screen's tabs and the pack's buttons are not printed
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByRole('tablist', { name: 'Readiness' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { level: 2, name: 'Readiness' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print the evidence pack' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
  });

  it('the pack and the readiness page have no axe violations at 1440 and 390 px', async () => {
    const { page } = app;
    const phone = VIEWPORTS.find((v) => v.name === 'phone');
    if (!phone) throw new Error('no phone viewport');
    for (const width of [1440, phone.width]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    await shoot(page, 'evidence-pack');
    await openReadinessTab(page, 'Steering decision');
    await steering(page).waitFor();
    for (const width of [1440, phone.width]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    await shoot(page, 'readiness-steering');
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });

  it('once the data lead keeps a roster, the signer is chosen among its approvers and signs with the confirmed key', async () => {
    const { page } = app;
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Sign-off' })
      .click();
    const roster = page.locator('details.roster-panel');
    await roster.locator('summary').click();
    const rosterStatus = roster.getByTestId('roster-status');
    const person = async (name: string, title: string, staffId: string, role: string) => {
      await roster.getByLabel('Full name').fill(name);
      await roster.getByLabel('Job title').fill(title);
      await roster.getByLabel('Staff number').fill(staffId);
      await roster.getByRole('checkbox', { name: role, exact: true }).check();
    };
    await person('Sam Okafor', 'Clinical lead', 'CL-7', 'approver');
    await roster.getByRole('button', { name: 'Start the roster as data lead' }).click();
    await rosterStatus.filter({ hasText: /^Added Sam Okafor \(CL-7\)\. Saved\.$/ }).waitFor();
    await roster.getByRole('button', { name: 'Register a key for Sam Okafor' }).click();
    await rosterStatus.filter({ hasText: /^Key made for Sam Okafor\./ }).waitFor();
    await roster.getByRole('button', { name: "Confirm Sam Okafor's key as lead" }).click();
    await rosterStatus
      .filter({ hasText: /^Sam Okafor's key is bound, confirmed by Sam Okafor\. Saved\.$/ })
      .waitFor();
    await person('Dana Reyes', 'Charge nurse', 'RN-204', 'reviewer');
    await roster.getByRole('button', { name: 'Save to the roster' }).click();
    await rosterStatus.filter({ hasText: /^Added Dana Reyes \(RN-204\)\. Saved\.$/ }).waitFor();

    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await openReadinessTab(page, 'Steering decision');
    const panel = steering(page);
    const who = panel.getByLabel("Who is signing (the roster's approvers)");
    await who.waitFor();
    // no typed names any more, and only approvers are offered: the reviewer is not
    expect(await panel.getByLabel("Approver's full name").count()).toBe(0);
    expect(await who.locator('option').allTextContents()).toEqual([
      'Choose…',
      'Sam Okafor, Clinical lead (CL-7)',
    ]);
    await panel.getByLabel('Rationale').fill('Decided again on the changed evidence: still no-go.');
    await panel.getByRole('button', { name: 'Sign the decision' }).click();
    await panel
      .getByTestId('steering-status')
      .filter({ hasText: "Not signed: choose who is signing from the roster's approvers." })
      .waitFor();
    await who.selectOption('CL-7');
    await panel.getByRole('button', { name: 'Sign the decision' }).click();
    await panel
      .getByTestId('steering-status')
      .filter({ hasText: /^Signed by Sam Okafor on .*, identity confirmed\. Saved\.$/ })
      .waitFor();
    await panel
      .getByTestId('steering-state')
      .filter({ hasText: /^No-go, decided .* · Current$/ })
      .waitFor();
    await panel.getByTestId('steering-signature-check').filter({ hasText: 'signature verifies' }).waitFor();
    // signed with the key the lead confirmed: no new key was made
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(3);
    // the new decision's signature follows the roster changes in the one chain
    await panel
      .getByTestId('steering-chain')
      .filter({
        hasText:
          /^Audit log: \d+ entries, chain intact, 3 steering signatures recorded; head [0-9a-f]{64}\.$/,
      })
      .waitFor();
    const phone = VIEWPORTS.find((v) => v.name === 'phone');
    if (!phone) throw new Error('no phone viewport');
    for (const width of [1440, phone.width]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    }
    await shoot(page, 'steering-roster', panel);
    await waitForSaved(page);
    const judged = await exportAndJudge(page, 'demo-roster.preflight.json');
    expect(judged.code).toBe(1);
    expect(judged.out).toMatch(
      /\nSteering committee decision: NO-GO \(current\), signed by Sam Okafor \(Clinical lead, CL-7\) on [^;]+, identity confirmed with WebAuthn, signature verifies\./,
    );
    expect(app.console).toEqual([]);
  });
});
