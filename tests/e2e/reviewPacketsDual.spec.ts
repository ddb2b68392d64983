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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { axeViolations, launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { rejectionComment } from './signoffJourney.ts';

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
  browser = await launchBrowser();
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
    await saveStatus(page).filter({ hasText: 'Saved: record 4 rejected (changed from accepted).' }).waitFor();
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
