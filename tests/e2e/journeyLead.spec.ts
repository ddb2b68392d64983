/**
 * The data lead's journey in Chromium, with the app's real workers, in three parts: the clinician
 * sample plan locked on the data file's fingerprint, drawn by stratum and reviewed twice with
 * adjudication; the sign-off roster and its WebAuthn keys, a review signed with the key the lead
 * bound, a signature that stops covering a later decision, exports that wait for the last save and
 * verify in the CLI, and the printable report printed to PDF; and review packets to clinicians on
 * other computers, merged back under dual review. Each part opens its contexts in the file's one
 * browser (one per computer), and axe runs once on each screen the part reaches.
 *
 * What a single screen's rules are (a locked plan cannot be edited, signing without WebAuthn or
 * without an authenticator, the charts of errors, the verdict's figures, the report's tables, the
 * co-signed Bundle) is proven by the component and unit tests beside each screen and core module.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createFhirSession, generatedModules } from '../../src/core/fhir/index.ts';
import { canonicalSha256Hex } from '../../src/core/hash/index.ts';
import { verifyAuditChain } from '../../src/core/signoff/signing/index.ts';
import type { Review } from '../../src/formats/review.ts';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import { axeViolations, baseUrl, openApp, storedRecords, type Watched, waitForSaved } from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';
import { closeFileBrowser, partBrowser } from './signoffBrowser.ts';
import {
  DEMO_PATIENTS,
  decide,
  downloadFromReview,
  openFirstRecord,
  planReview,
  signPanel,
} from './signoffJourney.ts';

/** WebAuthn needs a domain, not an IP address: the parts that sign open the app at `localhost`. */
const localhost = (): string => baseUrl().replace('127.0.0.1', 'localhost');

/** A CTAP2 platform authenticator with user verification (Chromium DevTools protocol) on `page`. */
async function addAuthenticator(
  context: BrowserContext,
  page: Page,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await context.newCDPSession(page);
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
  return { cdp, authenticatorId: added.authenticatorId };
}

/** `preflight signoff verify [--json] <file> [options]` in-process: exit code, stdout and stderr. */
async function verifyCli(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['signoff', 'verify', ...args], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * Journey: the data lead sets up the demo clinic's clinician sample plan before go-live. They turn
 * on dual review, let the approver review too, fingerprint the data file and lock the plan (its
 * hash is the SHA-256 Node computes of the plan's canonical JSON as stored in IndexedDB, the file's
 * digest node:crypto's); the lock survives a reload. The sample is drawn in the browser: the
 * migration engine validates every record against the demo contract first (262 flagged rows, 250
 * distinct MRNs, reviewed in full; 146 of the clean rows). Two clinicians review on this computer,
 * each seeing only their own decisions, and disagree on one record; an adjudicator who reviewed
 * none decides it (final, its own entry of the audit chain, which verifies in Node). The verdict per
 * stratum reads on a phone without scrolling sideways, still a table to a screen reader. On a record
 * validation flagged, the review names each failing check of the column contract and its column,
 * before the aligned fields; the record list marks flagged records and filters by flag and stratum.
 * axe finds nothing; no console output; no CSP violation.
 */
describe('the clinician sample plan: locked, drawn by stratum, reviewed twice and adjudicated', () => {
  const PLAN = 'Patient demographics: clinician sample before go-live';
  const PHONE = { width: 390, height: 844 };

  let browser: Browser;
  let app: Watched;

  const card = (page: Page): Locator => page.getByRole('article', { name: PLAN });
  const review = (page: Page): Locator => page.getByRole('region', { name: `Review of ${PLAN}` });

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

  async function asReviewer(panel: Locator, name: string, role: string, id: string) {
    await panel.getByLabel('Printed name', { exact: true }).fill(name);
    await panel.getByLabel('Role', { exact: true }).fill(role);
    await panel.getByLabel('Staff id', { exact: true }).fill(id);
  }

  async function decideWith(panel: Locator, button: 'Accept' | 'Reject', record: number, word: string) {
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

  it('turns on dual review, fingerprints the data file and locks the plan: its hash is the stored plan’s', async () => {
    const { page } = app;
    await card(page)
      .getByLabel(/Dual review: two clinicians review every record independently/)
      .check();
    await waitForSaved(page);
    await card(page).getByLabel('Data files').setInputFiles(DEMO_PATIENTS);
    const expected = createHash('sha256').update(readFileSync(DEMO_PATIENTS)).digest('hex');
    await card(page).getByText(expected).waitFor();
    // a small clinic lets its approver review too: the choice is part of the locked plan
    const mayApprove = card(page).getByLabel(/The approver may also review records of this sample/);
    await expect(mayApprove.isChecked()).resolves.toBe(false);
    await mayApprove.check();
    await card(page).getByRole('button', { name: 'Lock the plan' }).click();
    await card(page).getByTestId('plan-hash').waitFor();
    await waitForSaved(page);
    const shown = await card(page).getByTestId('plan-hash').textContent();
    const planDoc = findPlan((await storedRecords(page)).documents, expected);
    expect(planDoc && canonicalSha256Hex(planDoc)).toBe(shown);
    expect(planDoc).toMatchObject({ reviewerMayApprove: true, dualReview: true });
  });

  it('keeps the lock across a reload, and draws the sample: the flagged stratum is a census', async () => {
    const { page } = app;
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await card(page).getByTestId('plan-hash').waitFor();
    await card(page).getByText('Locked', { exact: true }).waitFor();
    await expect(
      card(page)
        .getByLabel(/The approver may also review records of this sample/)
        .isChecked(),
    ).resolves.toBe(true);
    const panel = review(page);
    await expect(panel.getByText(/checked against the column contract/).isVisible()).resolves.toBe(true);
    await panel.getByLabel('Data files for the sample').setInputFiles(DEMO_PATIENTS);
    await panel.getByText('396 records drawn').waitFor();
    const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
    await expect(verdict.getByRole('row', { name: /^clean/ }).textContent()).resolves.toMatch(/0 of 146/);
    await expect(verdict.getByRole('row', { name: /^flagged/ }).textContent()).resolves.toMatch(/0 of 250/);
    // the plan card counts what was drawn, as the review and the verdict do, and says why it is fewer
    const sizes = card(page).getByRole('table', { name: /Records to review/ });
    await expect(sizes.locator('caption').textContent()).resolves.toBe(
      'Records to review: 396 of 5,000 rows; rows with the same key (mrn) are one record',
    );
    await expect(sizes.getByRole('row', { name: /^Rows validation flagged/ }).textContent()).resolves.toMatch(
      /262250 \(all\)262 rows, 250 records: rows with the same key \(mrn\) are one record, reviewed once/,
    );
  });

  it('two reviewers decide independently on this computer: each sees only their own decisions', async () => {
    const { page } = app;
    const panel = review(page);
    await panel.getByLabel('I am the first reviewer').check();
    await asReviewer(panel, 'Dana Reyes', 'Registered nurse', 'RN-204');
    await panel.getByLabel('Data file to review').setInputFiles(DEMO_PATIENTS);
    await panel.getByRole('region', { name: 'Record 1 of 396' }).waitFor();
    await decideWith(panel, 'Accept', 1, 'accepted');
    // record 2: mark the first field wrong (wrong value, major), then reject
    await panel.getByLabel('Reason', { exact: true }).selectOption({ label: 'Wrong value' });
    await panel.getByLabel('Defect class').selectOption({ label: 'Major' });
    await panel.getByRole('button', { name: 'Mark field wrong' }).click();
    await panel.getByText(/Marked wrong: Wrong value, major/).waitFor();
    await decideWith(panel, 'Reject', 2, 'rejected');

    await panel.getByLabel('I am the second reviewer').check();
    await asReviewer(panel, 'Sam Okafor', 'Physician', 'MD-17');
    const first = panel.getByRole('region', { name: 'Record 1 of 396' });
    await first.waitFor();
    // the first reviewer's decision is not shown to the second
    await expect(first.getByTestId('decision-state').count()).resolves.toBe(0);
    await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('0 of 396 decided');
    await decideWith(panel, 'Accept', 1, 'accepted');
    await decideWith(panel, 'Accept', 2, 'accepted');
    // the disagreement on record 2 awaits adjudication; a signature now would approve nothing
    const adjudication = panel.getByRole('region', { name: 'Adjudication' });
    await adjudication.getByRole('heading', { name: 'Adjudication: 1 record waiting' }).waitFor();
    await expect(
      panel.getByRole('region', { name: 'Sign off' }).getByTestId('sign-standing').textContent(),
    ).resolves.toMatch(/^1 record awaits an adjudicator .*: go-live cannot be approved until it is decided/);
    await expect(
      panel.getByRole('region', { name: 'Sign off' }).getByTestId('signature-meaning').textContent(),
    ).resolves.toMatch(/does not approve the migrated records for go-live/);
  });

  it('an adjudicator who reviewed none of it decides the record: final, audited, and the chain verifies', async () => {
    const { page } = app;
    const panel = review(page);
    const adjudication = panel.getByRole('region', { name: 'Adjudication' });
    // the adjudicator can look at the record itself in the review above
    await adjudication.getByRole('button', { name: /^Show record .* above$/ }).click();
    await panel.getByRole('region', { name: 'Record 2 of 396' }).waitFor();
    await adjudication.getByLabel("Adjudicator's full name").fill('Lee Park');
    await adjudication.getByLabel("Adjudicator's job title").fill('Medical director');
    await adjudication.getByLabel("Adjudicator's staff number").fill('MD-01');
    await adjudication.getByRole('button', { name: /Adopt the first reviewer's decision/ }).click();
    await adjudication
      .getByTestId('adjudication-status')
      .filter({ hasText: /^Saved: adjudication/ })
      .waitFor();
    await panel
      .getByTestId('audit-status')
      // the plan lock and the draw, then the five decisions
      .filter({ hasText: 'Audit log: 7 entries, chain intact' })
      .waitFor();
    const { audit, documents } = await storedRecords(page);
    const reviews = documents.filter((d) => d.kind === 'review').map((d) => d.body as Review);
    expect((reviews[0]?.decisions ?? []).map((d) => [d.stage, d.outcome])).toEqual([
      ['first', 'accept'],
      ['first', 'reject'],
      ['second', 'accept'],
      ['second', 'accept'],
      ['adjudication', 'reject'],
    ]);
    const entries = (audit as { seq: number; projectId?: string }[])
      .sort((a, b) => a.seq - b.seq)
      .map(({ projectId: _p, ...entry }) => entry);
    expect(verifyAuditChain(entries, reviews)).toMatchObject({ ok: true, entries: 7 });
  });

  it('on a flagged record the review names each failing check and its column, before the fields; the list filters by flag and stratum', async () => {
    const { page } = app;
    const panel = review(page);
    const record = (n: number): Locator => panel.getByRole('region', { name: `Record ${n} of 396` });
    const list = panel.getByRole('navigation', { name: 'Records of the sample' });
    const listed = list.getByRole('list', { name: 'Sampled records' }).getByRole('button');
    // the flag filter holds the real sample's count; the clean stratum's 146 records come first, so
    // record 147 is the first flagged one (the filters' combinations and a clean record's silence
    // are RecordList.test.tsx's and FlaggedReasons.test.tsx's)
    const flaggedOnly = list.getByLabel('Flagged by validation only (250)');
    await flaggedOnly.check();
    await expect(listed.first().textContent()).resolves.toMatch(/^147 .* · flagged by validation/);
    await list.getByRole('button', { name: /^147 / }).click();
    const flagged = record(147);
    await flagged.getByText(/stratum flagged/).waitFor();
    const why = flagged.getByRole('region', { name: 'Why validation flagged this record' });
    await why.waitFor();
    // the demo's record 147 has a birth date written 12/17/2013: the contract's ISO date fails twice
    await expect(why.textContent()).resolves.toMatch(
      /^Why validation flagged this record2 errors on this row\. Check these fields first:/,
    );
    await expect(why.getByRole('listitem').allTextContents()).resolves.toEqual([
      'birth_date: The cell does not have the layout the contract agrees (its pattern). (contract.pattern)',
      expect.stringMatching(
        /^birth_date: The cell is not a valid value of its format .*\(contract\.format\)$/,
      ),
    ]);
    // it comes before the aligned fields
    const order = await flagged.evaluate((region) => {
      const reasons = region.querySelector('[data-testid="flagged-reasons"]');
      const table = region.querySelector('table');
      return reasons && table ? reasons.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeGreaterThan(0);
    // the page passed axe on a phone below and in the other parts: here the new state, the record
    expect(await axeRegionViolations(flagged)).toEqual([]);
    await flaggedOnly.uncheck();
  });

  it('on a phone the verdict is a card per stratum, no wider than the screen, still a table to a screen reader; quiet', async () => {
    const { page } = app;
    await page.setViewportSize(PHONE);
    const region = review(page).getByRole('region', { name: 'Verdict per stratum' });
    const verdict = region.getByRole('table', { name: 'Verdict per stratum (so far)' });
    await region.scrollIntoViewIfNeeded();
    // nothing in the verdict scrolls sideways, nor the page
    const overflow = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    // every stratum's figures are on screen: each cell inside the viewport's width
    for (const [stratum, figures] of [
      ['flagged', /0 of 250/],
      ['clean', /2 of 146/],
    ] as const) {
      const row = verdict.getByRole('row', { name: new RegExp(`^${stratum}`) });
      await expect(row.textContent()).resolves.toMatch(figures);
      const boxes = await row.locator('th, td').evaluateAll((cells) =>
        cells.map((c) => {
          const box = c.getBoundingClientRect();
          return { left: box.left, right: box.right };
        }),
      );
      expect(boxes).toHaveLength(7);
      for (const box of boxes) expect(box.left >= 0 && box.right <= PHONE.width, stratum).toBe(true);
    }
    // the header row is clipped to one pixel (out of sight, still read out); each figure carries its words
    const headers = await verdict.locator('thead').boundingBox();
    expect(headers?.height ?? 0).toBeLessThanOrEqual(1);
    const label = await verdict
      .locator('tbody td')
      .first()
      .evaluate((td) => getComputedStyle(td, '::before').content);
    expect(label).toBe('"Reviewed"');
    // Chromium still exposes a table with row and column headers to screen readers
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { role?: { value?: string }; name?: { value?: string } }[];
    };
    await cdp.detach();
    expect(
      nodes.some((n) => n.role?.value === 'table' && n.name?.value === 'Verdict per stratum (so far)'),
    ).toBe(true);
    const roles = nodes.map((n) => n.role?.value);
    expect(roles).toContain('columnheader');
    expect(roles).toContain('rowheader');
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});

/**
 * Journey: the data lead keeps the sign-off roster and binds each person's WebAuthn key (a virtual
 * authenticator) on the demo clinic's whole-file plan. The lead starts the roster and confirms
 * their own key, adds a reviewer-adjudicator whose key they confirm, and an approver whose key was
 * made but never confirmed. The reviewer reviews with the keyboard: accepts, rejects a record with
 * a critical finding and a comment, cannot assess a third, and her adjudicating it herself is
 * refused by roster identity. An export made right after a decision waits for the save (the test
 * holds the project store) and holds the decision. The roster and the reviewer survive a reload.
 * The unconfirmed approver's signature is refused; the lead signs with the bound key. A decision
 * after it is not covered, as the panel and Readiness say, until the lead signs again. A lost key
 * is revoked and replaced. The sign-off JSON verifies in the CLI with no warning (every roster
 * change in its chain, the WebAuthn assertion checked) and a changed byte is refused; the FHIR
 * Bundle has no error in the FHIR validator and verifies on its own, an edited outcome refused;
 * the printable report lists the rejected record, prints the comment only when chosen, prints to
 * PDF on whole rows with repeated table headers, and passes axe on a phone. (What the roster says
 * at an IP address, where keys cannot work, is RosterPanel.test.tsx's.) axe finds nothing; no
 * console output; no CSP violation.
 */
describe('the roster, its keys, signing and the exports', () => {
  const REVIEWER = { name: 'Dana Reyes', role: 'Charge nurse', id: 'RN-204' };
  const COMMENT = 'Penicillin allergy on the legacy chart is not in the new record';

  let profile: string;
  let context: BrowserContext;
  let app: Watched;
  let cdp: CDPSession;
  let authenticatorId: string;

  const rosterOf = (page: Page): Locator => page.locator('details.roster-panel');
  const rosterStatus = (page: Page): Locator => rosterOf(page).getByTestId('roster-status');
  const record = (page: Page, n: number): Locator =>
    planReview(page).getByRole('region', { name: `Record ${n} of 59` });
  const exportsOf = (page: Page): Locator =>
    planReview(page).getByRole('region', { name: 'Sign-off exports' });

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

  async function openRoster(page: Page): Promise<void> {
    if (!(await rosterOf(page).evaluate((d) => (d as HTMLDetailsElement).open)))
      await rosterOf(page).locator('summary').click();
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

  /**
   * Holds the app's next save: a readwrite transaction on the project store, kept open by one read
   * after another until `releaseSave` lets it end (IndexedDB runs transactions on the same store one
   * after another). Resolves once the transaction holds the store.
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

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'preflight-lead-'));
    context = await (await partBrowser()).newContext({ acceptDownloads: true });
    app = await openApp(context, '#/signoff', localhost());
    ({ cdp, authenticatorId } = await addAuthenticator(context, app.page));
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  });

  it('the lead starts the roster and binds their own key, then a reviewer’s; an approver’s key waits unconfirmed', async () => {
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
    await expect(people.getByTestId('roster-key').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Signing key [0-9a-f]{12}…, confirmed by Sam Okafor$/),
      expect.stringMatching(/^Signing key [0-9a-f]{12}…, confirmed by Sam Okafor$/),
      'No confirmed signing key · a new key is registered and waits for a lead to confirm it',
    ]);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(3);
  });

  it('the reviewer decides with the keyboard; adjudicating her own “cannot assess” is refused by roster identity', async () => {
    const { page } = app;
    await openFirstRecord(page, DEMO_PATIENTS, REVIEWER);
    await decide(page, 'a', 1, 'accepted');
    // record 2: the allergies missing (critical, the column the mapping never migrates), with a comment
    const second = record(page, 2);
    const allergies = second
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /^allergies\b/ }) });
    await allergies.getByRole('button', { name: 'Mark wrong: allergies' }).click();
    await second.getByLabel('Reason').selectOption('missing');
    await second.getByLabel('Defect class').selectOption('critical');
    await second.getByRole('button', { name: 'Mark field wrong' }).click();
    await allergies.getByText('Marked wrong: Missing, critical').waitFor();
    await second.getByLabel(/^Comment/).fill(COMMENT);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: 'Saved: record 2 rejected.' })
      .waitFor();
    await record(page, 3).waitFor();
    await decide(page, 'c', 3, 'cannot assess');
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

  it('an export right after a decision waits for the save, says so, and holds the decision', async () => {
    const { page } = app;
    await holdSaves(page);
    await record(page, 4).focus();
    await page.keyboard.press('a');
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: /^Saving: / })
      .waitFor();
    const downloaded = page.waitForEvent('download', { timeout: scaled(120_000) });
    await exportsOf(page).getByRole('button', { name: 'Export the sign-off (JSON)' }).click();
    // the save is held: the export says it waits, on its button and in the status line
    const waiting = exportsOf(page).getByRole('button', { name: 'Waiting for the save…' });
    await waiting.waitFor();
    await expect(waiting.getAttribute('aria-busy')).resolves.toBe('true');
    await exportsOf(page)
      .getByTestId('export-status')
      .filter({
        hasText: 'Waiting for the latest changes to be saved before the sign-off file (JSON) is made…',
      })
      .waitFor();
    await page.evaluate(() => (window as unknown as { releaseSave: () => void }).releaseSave());
    const file = join(profile, 'signoff-waited.json');
    await (await downloaded).saveAs(file);
    await exportsOf(page)
      .getByTestId('export-status')
      .filter({ hasText: 'The sign-off file (JSON) is saved to your downloads.' })
      .waitFor();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      reviews: { decisions: { outcome: string }[] }[];
      entries: { event: string }[];
    };
    expect(exported.reviews[0]?.decisions.map((d) => d.outcome)).toEqual([
      'accept',
      'reject',
      'cannot-assess',
      'accept',
    ]);
    expect(exported.entries.filter((e) => e.event === 'decision')).toHaveLength(4);
    const cli = await verifyCli(profile, file);
    expect(cli.code, cli.out + cli.err).toBe(0);
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: 'Saved: record 4 accepted.' })
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
    await sign
      .getByTestId('signature-coverage')
      .filter({ hasText: /^Covers every decision recorded so far/ })
      .waitFor();
    await expect(sign.getByRole('list', { name: 'Signatures' }).textContent()).resolves.toMatch(
      /Sam Okafor, Clinical lead \(CL-7\) signed on .*the key the data lead bound to them/,
    );
    // signed with the key the lead bound: no new key was made
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(3);
  });

  it('a decision after the signature is not covered, as the panel and Readiness say, until the lead signs again', async () => {
    const { page } = app;
    await record(page, 5).focus();
    await decide(page, 'a', 5, 'accepted');
    const sign = signPanel(page);
    const coverage = sign.getByTestId('signature-coverage');
    await coverage.filter({ hasText: /^Does not cover 1 decision logged after it/ }).waitFor();
    const [signed, now] = [...((await coverage.textContent()) ?? '').matchAll(/[0-9a-f]{12}…/g)].map(
      (m) => m[0],
    );
    expect(signed).not.toBe(now);
    await expect(sign.getByTestId('signature-stale').textContent()).resolves.toMatch(
      /The latest signature does not cover 1 decision logged after it\..*Sign again to cover every decision\./,
    );
    const workspaces = page.getByRole('navigation', { name: 'Workspaces' });
    await workspaces.getByRole('link', { name: 'Readiness' }).click();
    await openReadinessTab(page, 'Phases');
    const evidence = page.getByRole('list', { name: 'Pre-launch evidence' }).getByRole('listitem');
    await evidence
      .filter({
        hasText:
          /^Latest signature by Sam Okafor .*decisions were recorded after it, which it does not cover\.$/,
      })
      .waitFor();
    await workspaces.getByRole('link', { name: 'Sign-off' }).click();
    await sign.getByLabel('Who is signing (from the roster)').selectOption('CL-7');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await coverage
      .nth(1)
      .filter({ hasText: /^Covers every decision recorded so far/ })
      .waitFor();
    await coverage
      .nth(0)
      .filter({
        hasText: /^Replaced by a later signature, signed [^;]*; does not cover 1 decision logged after it/,
      })
      .waitFor();
    await expect(sign.getByTestId('signature-stale').count()).resolves.toBe(0);
  });

  it('the roster and the person who signed are the project’s: they survive a reload, nothing in localStorage', async () => {
    const { page } = app;
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    const panel = planReview(page);
    // the person who last signed here is remembered on the project, and fills the review's fields
    await expect(panel.getByLabel('Printed name', { exact: true }).inputValue()).resolves.toBe('Sam Okafor');
    await expect(panel.getByLabel('Staff id', { exact: true }).inputValue()).resolves.toBe('CL-7');
    await openRoster(page);
    await expect(
      rosterOf(page).getByRole('list', { name: 'People on the roster' }).getByTestId('roster-key').count(),
    ).resolves.toBe(3);
    await expect(
      page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('review'))),
    ).resolves.toEqual([]);
  });

  it('the lead revokes a lost key and binds the replacement', async () => {
    const { page } = app;
    await openRoster(page);
    const roster = rosterOf(page);
    await roster.getByRole('button', { name: "Revoke Dana Reyes's key" }).click();
    await roster.getByLabel("Why is Dana Reyes's key revoked?").fill('Security key lost');
    await roster.getByRole('button', { name: 'Revoke the key' }).click();
    await waitStatus(page, /^Dana Reyes's key is revoked: it no longer signs\./);
    await roster.getByRole('button', { name: 'Register a key for Dana Reyes' }).click();
    await waitStatus(page, /^Key made for Dana Reyes\./);
    await roster.getByRole('button', { name: "Confirm Dana Reyes's key as lead" }).click();
    await waitStatus(page, /^Dana Reyes's key is bound, confirmed by Sam Okafor\. Saved\.$/);
  });

  it('the sign-off JSON verifies in the CLI with no warning: every roster change, the WebAuthn assertion; a changed byte is refused', async () => {
    const file = await downloadFromReview(app.page, 'Export the sign-off (JSON)', profile, 'signoff.json');
    const { code, out, err } = await verifyCli(profile, file);
    // 5 roster changes, the plan lock, the draw, 5 decisions, 2 signatures, a revocation and a key
    expect(out, out + err).toMatch(/verified: 16 entries/);
    expect(out + err).not.toMatch(/WARNING/);
    expect(out).toMatch(
      /signature .*: Sam Okafor, Clinical lead \(CL-7\), .*WebAuthn assertion verified \(http:\/\/localhost:\d+, user verified\)/,
    );
    expect(code).toBe(0);
    // a decision's outcome changed after it was logged: refused
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      reviews: { decisions: { outcome: string }[] }[];
    };
    const changed = json.reviews[0]?.decisions[1];
    if (!changed) throw new Error('the export holds the rejection');
    changed.outcome = 'accept';
    const tampered = join(profile, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(json, null, 2));
    expect((await verifyCli(profile, tampered)).code).toBe(1);
  });

  it('the FHIR Bundle: no error in the FHIR validator, every entry a PUT; it verifies on its own, an edited outcome refused', async () => {
    const file = await downloadFromReview(app.page, 'FHIR Bundle', profile, 'bundle.json');
    const bundle = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types.filter((t: string) => t === 'Task')).toHaveLength(1);
    expect(types).toContain('VerificationResult');
    for (const e of bundle.entry) expect(e.request.method).toBe('PUT');
    const session = await createFhirSession(generatedModules);
    const issues = (await session.validate(bundle)).issues;
    expect(issues.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
    const verified = await verifyCli(profile, file);
    expect(verified.out).toMatch(/verified FHIR Bundle: \d+ entries, each as signed/);
    expect(verified.code).toBe(0);
    // a decision's outcome edited in its Provenance: refused, naming the entry
    const provenance = bundle.entry.find(
      (e: { resource: { resourceType: string; activity?: { text: string } } }) =>
        e.resource.resourceType === 'Provenance' && e.resource.activity?.text.startsWith('Clinician review'),
    );
    provenance.resource.activity.text = provenance.resource.activity.text.endsWith('accepted')
      ? 'Clinician review: the migrated record rejected'
      : 'Clinician review: the migrated record accepted';
    const tampered = join(profile, 'bundle-tampered.json');
    writeFileSync(tampered, JSON.stringify(bundle));
    const refused = await verifyCli(profile, tampered);
    expect(refused.code).toBe(1);
    expect(refused.out + refused.err).toMatch(
      /TAMPERED: entry \d+ \(Provenance\/[0-9a-f]{64}\): decision .*: its outcome differs/,
    );
  });

  it('the printable report lists the rejected record, prints the comment only when chosen, and prints to PDF on whole rows', async () => {
    const { page } = app;
    const html = readFileSync(
      await downloadFromReview(page, 'Printable report (HTML)', profile, 'report.html'),
      'utf8',
    );
    const rejected = tableRows(html, 'rejected-or-critical');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(
      /Dana Reyes, Charge nurse \(staff id RN-204\) .* allergies: missing, critical \| Written; not printed/,
    );
    expect(html).not.toContain('Penicillin');
    await planReview(page)
      .getByLabel(/Include the reviewers' comments in the report/)
      .check();
    const withComments = join(profile, 'report-comments.html');
    await downloadFromReview(page, 'Printable report (HTML)', profile, 'report-comments.html');
    expect(tableRows(readFileSync(withComments, 'utf8'), 'rejected-or-critical')[0]).toContain(COMMENT);

    // opened from disk: one PDF through Chromium, rows whole and table headers repeated
    const report = await context.newPage();
    try {
      await report.goto(pathToFileURL(withComments).href);
      await report.getByRole('heading', { name: 'Appendix: audit trail' }).waitFor();
      await report.emulateMedia({ media: 'print' });
      const pdf = await report.pdf({ preferCSSPageSize: true, printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
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
      expect(print).toEqual({ rowsSplit: 0, headsNotRepeated: 0, signaturesSplit: 0, tablesOverflowing: 0 });
      // on a phone the record tables fit the screen (each row a card) and the report passes axe
      await report.emulateMedia({ media: 'screen' });
      await report.setViewportSize({ width: 390, height: 844 });
      expect(await axeViolations(report)).toEqual([]);
      const overflowing = await report.evaluate(
        () =>
          [...document.querySelectorAll('table[data-detail]')].filter(
            (t) => t.getBoundingClientRect().right > document.documentElement.clientWidth,
          ).length,
      );
      expect(overflowing).toBe(0);
    } finally {
      await report.close();
    }
  });

  it('the sign-off screen passes axe on a phone; nothing printed, no CSP violation', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    await signPanel(page).scrollIntoViewIfNeeded();
    expect(await axeViolations(page)).toEqual([]);
    expect(app.console).toEqual([]);
    expect(app.cspViolations).toEqual([]);
  });
});

/**
 * Journey: a dual-reviewed plan through review packets to clinicians on other computers (a browser
 * context each: separate storage). The data lead turns on dual review, locks the whole-file plan and
 * draws it. The screen says plainly the packet holds patient records and for whom; a packet is
 * encrypted with a passphrase by default (a weak one refused): the first review's packet is; the
 * second's is unencrypted by explicit choice, with a warning, and the CLI verifies it. The first
 * clinician is refused a changed plain packet, a wrong passphrase and a changed encrypted copy,
 * creating nothing; opens hers with the passphrase, reviews with the keyboard (a change of her
 * decision needs a reason) and exports results that name
 * records by coded key only; after a reload, opening the packet again resumes her review. The
 * second reviews blind to the first; his results verify in full
 * with the packet they answer, and the first's do not with his packet. The lead refuses a tampered
 * results file, merging nothing, then merges both: a record one clinician alone decided is not
 * counted, the disagreement awaits adjudication and counts at its worst (read on a phone), Cohen's
 * kappa; merging again adds nothing. A reviewer cannot adjudicate her own record, a comment with an
 * MRN-shaped number is refused, a third person decides. The lead then signs with WebAuthn, no roster
 * kept: the signature says no data lead confirmed who holds the key. axe finds nothing on either
 * screen; no console output; no CSP violation, on any of the three computers.
 */
describe('dual review through review packets to other computers', () => {
  const PASSPHRASE = 'amber kettle orbit lantern';

  let browser: Browser;
  let lead: Watched;
  let first: Watched;
  let second: Watched;
  let dir: string;
  const files = { firstPacket: '', secondPacket: '', firstResults: '', secondResults: '' };

  const card = (page: Page): Locator =>
    page.getByRole('article', { name: 'Patient demographics: whole-file sample' });
  const review = planReview;
  const tools = (page: Page): Locator =>
    review(page).getByRole('region', { name: 'Review on another computer' });
  const saveStatus = (page: Page): Locator => review(page).getByTestId('save-status');

  /** `preflight signoff verify --json <file> [options]`: exit code, the parsed result (none on exit 2) and stderr. */
  async function verifyJson(
    file: string,
    ...options: string[]
  ): Promise<{ code: number; result: Record<string, unknown>; err: string }> {
    const { code, out, err } = await verifyCli(dir, '--json', file, ...options);
    return { code, result: out ? (JSON.parse(out) as Record<string, unknown>) : {}, err };
  }

  /** Clicks `button` and saves the download it starts as `name` in the test folder. */
  async function download(page: Page, button: Locator, name: string): Promise<string> {
    const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const path = join(dir, name);
    await file.saveAs(path);
    return path;
  }

  /** Chooses the encrypted packet `file` on a clinician's computer and types `passphrase` to open it. */
  async function openEncrypted(page: Page, file: string, passphrase: string) {
    const name = file.split(/[\\/]/).pop() ?? file;
    await page.getByLabel('Review packet', { exact: true }).setInputFiles(file);
    await page.getByText(`${name} is encrypted: type the passphrase`).waitFor();
    await page.getByLabel(`Passphrase for ${name}`).fill(passphrase);
    await page.getByRole('button', { name: 'Open packet' }).click();
  }

  /** How many "Review of …" projects a clinician's browser holds. */
  const reviewProjects = (page: Page): Promise<number> =>
    page.getByLabel('Project', { exact: true }).locator('option', { hasText: 'Review of' }).count();

  /** Names the clinician in an opened packet's review. */
  async function asReviewer(page: Page, name: string, role: string, id: string) {
    const panel = review(page);
    await panel.getByLabel('Printed name').fill(name);
    await panel.getByLabel('Role').fill(role);
    await panel.getByLabel('Staff id').fill(id);
  }

  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-packets-'));
    browser = await partBrowser();
    // three contexts: three browser profiles, as on three computers (separate storage)
    const context = () =>
      browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 900 } });
    const leadContext = await context();
    lead = await openApp(leadContext, '#/signoff', localhost());
    ({ cdp, authenticatorId } = await addAuthenticator(leadContext, lead.page));
    first = await openApp(await context(), '#/signoff');
    second = await openApp(await context(), '#/signoff');
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the lead exports the first review’s packet encrypted and the second’s unencrypted by explicit choice', async () => {
    const { page } = lead;
    await card(page)
      .getByLabel(/Dual review: two clinicians review every record independently/)
      .check();
    await waitForSaved(page);
    await openFirstRecord(page, DEMO_PATIENTS);
    await expect(tools(page).textContent()).resolves.toMatch(
      /contains the 59 sampled patient records.*give it only to the clinician who will do the review/,
    );
    // encrypted is the default, and results name records by a coded key, never by MRN
    await expect(tools(page).getByLabel('Encrypt with a passphrase (recommended)').isChecked()).resolves.toBe(
      true,
    );
    await expect(
      tools(page).getByLabel('Identify each record by a coded key (recommended)').isChecked(),
    ).resolves.toBe(true);
    await tools(page).getByLabel('First review').check();
    await tools(page).getByLabel('Passphrase', { exact: true }).fill('hunter2');
    await tools(page).getByLabel('Passphrase again').fill('hunter2');
    const encrypt = tools(page).getByRole('button', {
      name: 'Export encrypted review packet (59 patient records)',
    });
    await encrypt.click();
    await tools(page)
      .getByRole('alert')
      .filter({
        hasText: 'No packet was saved: the passphrase must be at least 12 characters long (it has 7)',
      })
      .waitFor();
    await tools(page).getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await tools(page).getByLabel('Passphrase again').fill(PASSPHRASE);
    files.firstPacket = await download(page, encrypt, 'packet-first.encrypted.json');
    await tools(page)
      .getByText(/give them the passphrase by another route/)
      .waitFor();
    const sealed = JSON.parse(readFileSync(files.firstPacket, 'utf8')) as Record<string, unknown>;
    expect(sealed).toMatchObject({ format: 'preflight.encryptedpacket/v1', records: 59 });
    expect(Object.keys(sealed).sort()).toEqual(
      ['cipher', 'ciphertext', 'format', 'kdf', 'notice', 'packetId', 'planHash', 'records'].sort(),
    );
    expect(readFileSync(files.firstPacket, 'utf8')).not.toContain('"cells"');

    await tools(page).getByLabel('Second review').check();
    await tools(page).getByLabel('Do not encrypt').check();
    await tools(page)
      .getByRole('note')
      .filter({ hasText: /anyone who gets this file .* can read the 59 patient records/ })
      .waitFor();
    files.secondPacket = await download(
      page,
      tools(page).getByRole('button', { name: 'Export unencrypted review packet (59 patient records)' }),
      'packet-second.json',
    );
    await tools(page)
      .getByText(/Review packet for the second review saved/)
      .waitFor();
    const { code, result } = await verifyJson(files.secondPacket);
    expect(result).toMatchObject({ status: 'verified', records: 59 });
    expect(code).toBe(0);
    expect(readFileSync(files.secondPacket, 'utf8')).toContain('This file holds patient records');
  });

  it('the first clinician is refused a changed packet and a wrong passphrase, creating nothing', async () => {
    const { page } = first;
    const text = readFileSync(files.secondPacket, 'utf8');
    const at = text.indexOf('"shownSha256": "') + '"shownSha256": "'.length;
    const changed = join(dir, 'tampered-packet.json');
    writeFileSync(changed, `${text.slice(0, at)}${text[at] === '0' ? '1' : '0'}${text.slice(at + 1)}`);
    await page.getByLabel('Review packet', { exact: true }).setInputFiles(changed);
    await page
      .getByRole('alert')
      .filter({
        hasText:
          'tampered-packet.json was refused: record 1: what it shows does not match its fingerprint: it was changed.',
      })
      .waitFor();

    await openEncrypted(page, files.firstPacket, 'amber kettle orbit lanterns');
    await page
      .getByRole('alert')
      .filter({
        hasText:
          /packet-first\.encrypted\.json was not opened: the passphrase is not the one it was encrypted with, or the file was changed after it was encrypted/,
      })
      .waitFor();
    // the file stays chosen: the passphrase can be typed again
    await page.getByLabel('Passphrase for packet-first.encrypted.json').waitFor();

    const sealed = JSON.parse(readFileSync(files.firstPacket, 'utf8')) as { ciphertext: string };
    sealed.ciphertext = `${sealed.ciphertext.slice(0, 100)}${sealed.ciphertext[100] === 'A' ? 'B' : 'A'}${sealed.ciphertext.slice(101)}`;
    const changedSealed = join(dir, 'tampered.encrypted.json');
    writeFileSync(changedSealed, `${JSON.stringify(sealed, null, 2)}\n`);
    await openEncrypted(page, changedSealed, PASSPHRASE);
    await page
      .getByRole('alert')
      .filter({
        hasText:
          /tampered\.encrypted\.json was not opened: the passphrase is not the one .*, or the file was changed/,
      })
      .waitFor();
    await expect(reviewProjects(page)).resolves.toBe(0);
  });

  it('she opens her packet with the passphrase and reviews her pass with the keyboard; her results name no record', async () => {
    const { page } = first;
    await openEncrypted(page, files.firstPacket, PASSPHRASE);
    await page.getByText('Packet opened: 59 records to review.').waitFor();
    const panel = review(page);
    const region = panel.getByRole('region', { name: 'Record 1 of 59' });
    await region.waitFor();
    // the records come from the packet: no data file is asked for
    await expect(panel.getByLabel('Data file to review').count()).resolves.toBe(0);
    await expect(panel.getByTestId('assigned-pass').textContent()).resolves.toMatch(
      /the first of two independent reviews/,
    );
    await expect(panel.getByLabel('I am the second reviewer').count()).resolves.toBe(0);
    await asReviewer(page, 'Dana Reyes', 'Registered nurse', 'RN-204');
    // Tab from the last reviewer field lands on the record, which takes the single-key shortcuts
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe(
      'Record 1 of 59',
    );
    await decide(page, 'a', 1, 'accepted');
    await decide(page, 'r', 2, 'rejected');
    await decide(page, 'a', 3, 'accepted');
    await decide(page, 'a', 4, 'accepted');
    // she changes her mind on record 4: a change needs a reason
    await panel.getByRole('button', { name: 'Previous' }).click();
    await expect(
      panel.getByRole('region', { name: 'Record 4 of 59' }).getByTestId('own-decision').textContent(),
    ).resolves.toMatch(/^Your decision: Accepted/);
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
    // the clinician's review screen, once
    expect(await axeViolations(page)).toEqual([]);
    files.firstResults = await download(
      page,
      panel.getByRole('button', { name: 'Export my results' }),
      'results-first.json',
    );
    await panel
      .getByText('Results saved: 5 decisions. The file names each record by a coded key', { exact: false })
      .waitFor();
    const { code, result } = await verifyJson(files.firstResults);
    expect(result).toMatchObject({ status: 'verified', decisions: 5, recordKeys: 'hashed' });
    expect(code).toBe(0);
    // coded keys and fingerprints: no record's values, and no MRN of the sample
    const text = readFileSync(files.firstResults, 'utf8');
    expect(text).not.toContain('"cells"');
    const sampled = (JSON.parse(readFileSync(files.secondPacket, 'utf8')) as { records: { key: string }[] })
      .records;
    expect(sampled).toHaveLength(59);
    expect(sampled.filter((r) => text.includes(r.key)).map((r) => r.key)).toEqual([]);
    await expect(reviewProjects(page)).resolves.toBe(1);
  });

  it('she comes back after a reload: opening the packet again resumes the same review, in the same project', async () => {
    const { page } = first;
    await page.reload();
    const panel = review(page);
    await panel.getByTestId('review-progress').filter({ hasText: '4 of 59 decided' }).waitFor();
    await panel.getByText('Reviewing from a review packet? Open the packet again').waitFor();
    await openEncrypted(page, files.firstPacket, PASSPHRASE);
    await page.getByText('Packet opened: 59 records to review.').waitFor();
    await panel.getByRole('region', { name: 'Record 5 of 59' }).waitFor();
    await expect(panel.getByTestId('review-progress').textContent()).resolves.toBe('4 of 59 decided');
    await expect(reviewProjects(page)).resolves.toBe(1);
  });

  it('the second clinician reviews blind to the first; his results verify in full with his packet, hers do not', async () => {
    const { page } = second;
    await page.getByLabel('Review packet', { exact: true }).setInputFiles(files.secondPacket);
    await page.getByText('Packet opened: 59 records to review.').waitFor();
    const panel = review(page);
    await asReviewer(page, 'Sam Okafor', 'Physician', 'MD-17');
    await panel.getByRole('region', { name: 'Record 1 of 59' }).focus();
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
    // with the packet it answers, the coded keys map back and every decision is checked in full
    const full = await verifyJson(files.secondResults, '--packet', files.secondPacket);
    expect(full.result).toMatchObject({ status: 'verified', decisions: 5, packetChecked: true });
    expect(full.code).toBe(0);
    const other = await verifyJson(files.firstResults, '--packet', files.secondPacket);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/is not the packet .* answers/);
  });

  it('the lead refuses a tampered results file, then merges both passes: kappa, and the disagreement at its worst', async () => {
    const { page } = lead;
    const panel = review(page);
    const results = tools(page).getByLabel('Results file from a clinician');
    const text = readFileSync(files.firstResults, 'utf8');
    const changed = text.replace('"outcome": "reject"', '"outcome": "accept"');
    expect(changed).not.toBe(text);
    const tampered = join(dir, 'tampered-results.json');
    writeFileSync(tampered, changed);
    await results.setInputFiles(tampered);
    await tools(page)
      .getByRole('alert')
      .filter({
        hasText:
          'tampered-results.json was refused, nothing was merged: entry 5: the decision it records was changed after it was logged.',
      })
      .waitFor();

    const verdict = panel.getByRole('table', { name: 'Verdict per stratum (so far)' });
    await results.setInputFiles(files.firstResults);
    await tools(page)
      .getByText(/Merged 5 decisions by Dana Reyes as the first review: every hash checked out/)
      .waitFor();
    // one pass only: no record is reviewed yet, and the verdict says which pass the four await
    await expect(verdict.textContent()).resolves.toMatch(/0 of 59 \(4 await the second reviewer\)/);
    await results.setInputFiles(files.secondResults);
    await tools(page)
      .getByText(/Merged 5 decisions by Sam Okafor as the second review: every hash checked out/)
      .waitFor();
    // merging the same file again adds nothing
    await results.setInputFiles(files.secondResults);
    await tools(page)
      .getByText(/its 5 decisions were merged before/)
      .waitFor();
    // record 5: the second clinician alone decided it, so it awaits the first and is not counted
    await expect(panel.getByTestId('awaiting-other-review').textContent()).resolves.toMatch(
      /^1 record awaits the first reviewer: only the second has decided it\. .*until then it is not counted as reviewed/,
    );
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
    // on a phone: record 2 (reject, accept) awaits adjudication and counts as an error at its worst
    await page.setViewportSize({ width: 390, height: 844 });
    const awaitingNote = panel.getByTestId('awaiting-adjudication');
    await awaitingNote.scrollIntoViewIfNeeded();
    await expect(awaitingNote.isVisible()).resolves.toBe(true);
    await expect(awaitingNote.textContent()).resolves.toMatch(/^1 record is not yet adjudicated/);
    await expect(verdict.textContent()).resolves.toMatch(
      /4 of 59 \(1 awaits the first reviewer\)2 \(1 record awaiting adjudication, 1 counted as an error at worst\)50 % at worst \(25 % if adjudicated as correct\)/,
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    // the lead's review screen, once, on a phone
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('a reviewer cannot adjudicate her own record, nor write an MRN-shaped number; a third person does', async () => {
    const { page } = lead;
    const adjudication = review(page).getByRole('region', { name: 'Adjudication' });
    await expect(adjudication.textContent()).resolves.toMatch(
      /First reviewer \(Dana Reyes\): rejected.*Second reviewer \(Sam Okafor\): accepted/,
    );
    const adjudicator = async (name: string, title: string, id: string) => {
      await adjudication.getByLabel("Adjudicator's full name").fill(name);
      await adjudication.getByLabel("Adjudicator's job title").fill(title);
      await adjudication.getByLabel("Adjudicator's staff number").fill(id);
    };
    const adopt = adjudication.getByRole('button', { name: /Adopt the first reviewer's decision/ });
    const status = adjudication.getByTestId('adjudication-status');
    await adjudicator('Dana Reyes', 'Registered nurse', 'RN-204');
    await adopt.click();
    await status
      .filter({ hasText: "Not saved: an adjudicator must not be one of the record's reviewers" })
      .waitFor();
    await adjudicator('Lee Park', 'Medical director', 'MD-01');
    // a comment quoting a number shaped like an MRN is not saved, and the number is not repeated
    await adjudication
      .getByLabel(/^Adjudicator's comment/)
      .fill('Checked against 4471902 in the old system.');
    await adopt.click();
    await status
      .filter({
        hasText:
          "Not saved: The adjudicator's comment contains a number shaped like an MRN (6 or more digits).",
      })
      .waitFor();
    await expect(status.textContent()).resolves.not.toContain('4471902');
    await adjudication.getByLabel(/^Adjudicator's comment/).fill('Checked against the scanned chart.');
    await adopt.click();
    await status.filter({ hasText: /^Saved: adjudication/ }).waitFor();
    const verdict = review(page).getByRole('table', { name: 'Verdict per stratum (so far)' });
    // the adjudicator adopted the rejection: the same 2 errors, now settled; record 5 still waits
    await expect(verdict.textContent()).resolves.toMatch(/4 of 59 \(1 awaits the first reviewer\)250 %/);
    await expect(review(page).getByTestId('awaiting-adjudication').count()).resolves.toBe(0);
    await expect(signPanel(page).getByTestId('sign-standing').textContent()).resolves.toBe(
      '1 record awaits the first reviewer: go-live cannot be approved until both reviewers have decided it. Signing now records your review, not an approval.',
    );
    await review(page)
      .getByTestId('audit-status')
      .filter({ hasText: 'Audit log: 17 entries, chain intact' })
      .waitFor();
  });

  it('without a roster, the lead signs with WebAuthn: a key this device registered, which no lead confirmed', async () => {
    const { page } = lead;
    const sign = signPanel(page);
    await expect(sign.getByTestId('webauthn-availability').textContent()).resolves.toMatch(
      /your browser will ask you to confirm it is you/,
    );
    await sign.getByLabel("Signer's full name").fill('Sam Okafor');
    await sign.getByLabel("Signer's job title").fill('Clinical lead');
    await sign.getByLabel("Signer's staff number").fill('CL-7');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await sign
      .getByTestId('sign-status')
      .filter({
        hasText:
          /^Signed by Sam Okafor on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} \(UTC[^)]*\), with a key this device registered \(no data lead confirmed who holds it: keep a roster\)\. Saved\.$/,
      })
      .waitFor();
    await sign.getByTestId('signature-check').filter({ hasText: 'verifies' }).waitFor();
    await expect(sign.getByRole('list', { name: 'Signatures' }).textContent()).resolves.toMatch(
      /re-authenticated with WebAuthn \(key [0-9a-f]{12}…, registered on this project, but no data lead confirmed who holds it\)/,
    );
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1);
    // the CLI verifies the assertion and warns that no roster says who holds the key
    const file = await downloadFromReview(page, 'Export the sign-off (JSON)', dir, 'signoff.json');
    const { code, out, err } = await verifyCli(dir, file);
    expect(out + err).toMatch(/WARNING: The file has no roster/);
    expect(out).toMatch(/WebAuthn assertion verified \(http:\/\/localhost:\d+, user verified\)/);
    expect(code).toBe(0);
    // the app checks the same file: intact, and said as checked offline only (no team server here)
    await page.getByLabel('Sign-off file to check (JSON)').setInputFiles(file);
    const checked = page.getByTestId('signoff-file-verdict');
    await checked
      .filter({ hasText: 'checked on this computer only (offline) — not confirmed by a team server' })
      .waitFor();
    await expect(checked.textContent()).resolves.toMatch(/not connected to a team server[\s\S]*Sam Okafor/);
  });

  it('printed nothing and broke no CSP rule on any of the three computers', () => {
    expect([...lead.console, ...first.console, ...second.console]).toEqual([]);
    expect([...lead.cspViolations, ...first.cspViolations, ...second.cspViolations]).toEqual([]);
  });
});

// the file's one browser, after every part closed its own contexts
afterAll(closeFileBrowser);
