/**
 * Text typed into the app is shown as text everywhere it appears again: the script-injection
 * payloads are typed into the fields a user fills in (project, workflow, step and lane names, a
 * reviewer's name, role and comment, a signer's and an adjudicator's name and title, the sign-off
 * roster, the rollback plan, a safety item's owner, note and assessor, an accepted problem's
 * rationale and owner), then every place that shows them is visited — the window title, the
 * header, the workspaces, the printable pages, and the downloaded diagram and printable reports
 * opened from disk. Nothing may run (the payloads' canary stays unset), no Content-Security-Policy
 * rule may be broken (a blocked payload is a payload that reached markup), no active markup may
 * appear, and the payload must be on screen as typed.
 *
 * One pass: every place gets all eight payloads (the three texts that hold them, one field each
 * where a place shows several fields), not every field each text. Every payload text in one field
 * is proved in jsdom where React renders it: a signer's and a reviewer's fields
 * (src/app/typedTextInert.test.tsx), an acceptance (AcceptedIssues.test.tsx), a workflow's name,
 * steps and lanes in the list, the map and the printable document (WorkflowsWorkspace.test.tsx:
 * those three are not visited here); the files' writers over every payload in every text in exportsInert.spec.ts.
 * The check proves itself first on a page where a payload does run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, type Watched, waitForSaved } from './browser.ts';
import { openReadinessTab } from './readinessTabs.ts';
import { DEMO_PATIENTS, DEMO_PLAN, openFirstRecord, planReview, signPanel } from './signoffJourney.ts';
import { editorTool } from './workflowCanvas.ts';
import { inertnessInPage, PAYLOAD_TEXTS, PAYLOADS } from './xssPayloads.ts';

let browser: Browser;
let app: Watched;
/** a second page for the files the app downloads, opened from disk */
let filePage: Page;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-typed-'));
  writeFileSync(join(dir, 'patients.csv'), 'id,birth_date\n1,1990-01-02\n2,\n');
  writeFileSync(
    join(dir, 'patients.contract.json'),
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:clinic:patients',
      title: 'Patients contract',
      type: 'object',
      required: ['id', 'birth_date'],
      properties: { id: { type: 'string' }, birth_date: { type: 'string', minLength: 1 } },
    }),
  );
  browser = await launchBrowser();
  const context = await browser.newContext({ acceptDownloads: true });
  // the page's clock runs on as ever, and `saved` moves it past autosave's quiet period
  await context.clock.install();
  app = await openApp(context);
  await saved(app.page);
  filePage = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Autosave's quiet period before a write (`DEFAULT_AUTOSAVE_DELAY_MS` in src/storage/autosave.ts;
 * not imported, which would load the storage modules into the test process).
 */
const AUTOSAVE_DELAY_MS = 300;

/**
 * Waits until the project is saved. Autosave writes once a change has been quiet for its delay:
 * the page's clock jumps over that delay, so the write starts at once instead of after it; the
 * write itself and the "Saved" it leads to are awaited as ever. A change the app has not yet
 * handed to autosave when the clock jumps is written after the real delay: slower, never wrong.
 */
async function saved(page: Page): Promise<void> {
  await page.clock.fastForward(AUTOSAVE_DELAY_MS);
  await waitForSaved(page);
}

/** The three typed texts that together hold every payload (xssPayloads.ts). */
const [T1, T2, T3] = PAYLOAD_TEXTS.map((t) => t.text) as [string, string, string];

/** The demo workflow whose names and steps the payloads go into. */
const WORKFLOW = '#/workflows/workflow/lab-results-current';

/** Goes to `hash` in the running app (no reload: a payload that ran earlier stays caught). */
async function visit(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
}

/** The validation result on the Migration screen. */
const validationResult = (page: Page) => page.getByRole('region', { name: 'Validation result' });

/** The visible text of the app's main region. */
const mainText = (page: Page) => page.locator('main').innerText();

/** The dual-reviewed plan made from the demo plan, where two reviewers disagree and a third adjudicates. */
const DUAL_PLAN = `${DEMO_PLAN} (re-sample)`;
const dualReview = (page: Page) => page.getByRole('region', { name: `Review of ${DUAL_PLAN}` });

/**
 * Makes a dual-reviewed plan from the demo plan and reviews its first record twice, the first
 * reviewer (named `firstReviewer`) accepting it and the second rejecting it, so it waits for an
 * adjudicator.
 */
async function disagreeOnFirstRecord(page: Page, firstReviewer: string): Promise<void> {
  await visit(page, '#/signoff');
  await page
    .getByRole('article', { name: DEMO_PLAN })
    .getByRole('button', { name: 'Make a new plan from this one' })
    .click();
  const card = page.getByRole('article', { name: DUAL_PLAN });
  await card.getByLabel(/Dual review: two clinicians review every record independently/).check();
  await saved(page);
  await card.getByLabel('Data files').setInputFiles(DEMO_PATIENTS);
  await card.getByRole('button', { name: 'Lock the plan' }).click();
  await card.getByTestId('plan-hash').waitFor();
  const review = dualReview(page);
  await review.getByLabel('Data files for the sample').setInputFiles(DEMO_PATIENTS);
  await review.getByText(/\d+ records drawn/).waitFor();
  await review.getByLabel('Data file to review').setInputFiles(DEMO_PATIENTS);
  const passes = [
    {
      stage: 'I am the first reviewer',
      name: firstReviewer,
      id: 'RN-204',
      button: 'Accept',
      word: 'accepted',
    },
    { stage: 'I am the second reviewer', name: 'Lee Park', id: 'MD-01', button: 'Reject', word: 'rejected' },
  ];
  for (const pass of passes) {
    await review.getByRole('radio', { name: pass.stage }).check();
    await review.getByLabel('Printed name', { exact: true }).fill(pass.name);
    await review.getByLabel('Role', { exact: true }).fill('Registered nurse');
    await review.getByLabel('Staff id', { exact: true }).fill(pass.id);
    const shown = review.getByRole('region', { name: /^Record 1 of \d+$/ });
    await shown.waitFor();
    if (pass.button === 'Reject') await shown.getByLabel(/^Comment/).fill('Wrong date.');
    await review.getByRole('button', { name: pass.button, exact: true }).click();
    await review
      .getByTestId('save-status')
      .filter({ hasText: `Saved: record 1 ${pass.word}.` })
      .waitFor();
  }
  await saved(page);
}

/**
 * Clicks `button` (in `scope`), opens the file it downloads from disk and returns its text after
 * checking that nothing in it ran or could run.
 */
async function downloadedText(scope: Page | Locator, button: string, name: string): Promise<string> {
  const page = 'page' in scope ? scope.page() : scope;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    // a region's button is in it; the editor's downloads may be under "More actions"
    ('page' in scope
      ? Promise.resolve(scope.getByRole('button', { name: button }))
      : editorTool(scope, button)
    ).then((tool) => tool.click()),
  ]);
  const file = join(dir, name);
  await download.saveAs(file);
  await filePage.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const inert = await filePage.evaluate(inertnessInPage);
  expect(inert).toEqual({ ran: null, active: [] });
  return filePage.evaluate(() => document.documentElement.textContent ?? '');
}

/**
 * Checks the page where a typed text shows again: nothing ran, no active markup, each of `texts`
 * in `shown` as typed.
 */
async function expectShownInert(page: Page, where: string, shown: string, texts: string[]): Promise<void> {
  expect(await page.evaluate(inertnessInPage), where).toEqual({ ran: null, active: [] });
  for (const text of texts)
    expect(
      shown,
      `${where} shows text ${PAYLOAD_TEXTS.findIndex((t) => t.text === text) + 1} as typed`,
    ).toContain(text);
}

/** The printable evidence pack, as shown in the app. */
async function evidencePack(page: Page): Promise<string> {
  await visit(page, '#/readiness');
  await openReadinessTab(page, 'Evidence pack');
  return mainText(page);
}

describe('the check proves itself', () => {
  it('catches a payload that runs, and every typed text runs when it reaches markup, each of its payloads live', async () => {
    expect(PAYLOAD_TEXTS.flatMap((t) => t.numbers).sort()).toEqual(PAYLOADS.map((_, i) => i + 1));
    // the active markup each payload leaves when it lands in markup (payload 4 as a link's address)
    const marker: Record<number, string> = {
      1: 'img[onerror]',
      2: 'script',
      3: 'svg[onload]',
      4: 'a[href=javascript:]',
      5: 'script',
      6: 'script',
      7: 'a[href=javascript:]',
      8: 'iframe',
    };
    const page = await browser.newPage();
    await page.setContent(`<p>${PAYLOADS[0]}</p>`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBe(1);
    expect((await page.evaluate(inertnessInPage)).active).toEqual(['img[onerror]']);
    for (const { text, numbers } of PAYLOAD_TEXTS) {
      await page.setContent(`<p>${text}</p><a href="${text.replaceAll('"', '&quot;')}">link</a>`);
      const active = (await page.evaluate(inertnessInPage)).active;
      const count = (list: string[], item: string) => list.filter((x) => x === item).length;
      const expected = numbers.map((n) => marker[n] as string);
      for (const item of new Set(expected))
        expect(count(active, item), `${item} in ${text}`).toBeGreaterThanOrEqual(count(expected, item));
    }
    await page.close();
  });
});

describe('text typed into the app', () => {
  afterEach(() => {
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });

  it('the project name: each text in the window title and the header, run nowhere', async () => {
    const { page } = app;
    for (const text of [T1, T2, T3]) {
      await page.getByRole('button', { name: 'Rename' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Project name').fill(text);
      await dialog.getByRole('button', { name: 'Rename' }).click();
      await dialog.waitFor({ state: 'detached' });
      await saved(page);
      const header = await page
        .getByLabel('Project', { exact: true })
        .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');
      await expectShownInert(page, 'the window title and the header', `${await page.title()} ${header}`, [
        text,
      ]);
    }
  });

  it("a workflow's name, a step label and a lane name: the editor, the diagram, the window title and the downloaded SVG", async () => {
    const { page } = app;
    await visit(page, WORKFLOW);
    // with nothing selected the workflow's settings are folded to one line until asked for
    await page
      .getByRole('complementary', { name: 'Inspector' })
      .getByRole('button', { name: 'Workflow settings' })
      .click();
    const name = page
      .getByRole('region', { name: 'Workflow settings', exact: true })
      .getByLabel('Name', { exact: true });
    await name.fill(T1);
    await name.blur();
    await saved(page);
    const step = page.getByRole('form', { name: 'Add a step' });
    await step.getByLabel('Step label').fill(T2);
    await step.getByRole('button', { name: 'Add step' }).click();
    await saved(page);
    const lane = page.getByRole('form', { name: 'Add a lane' });
    await lane.getByLabel('Role name').fill(T3);
    await lane.getByRole('button', { name: 'Add lane' }).click();
    await saved(page);

    const diagram = page.getByRole('region', { name: 'Workflow diagram' });
    await diagram.getByText(T3).first().waitFor();
    await expectShownInert(
      page,
      'the editor, its diagram and the window title',
      `${await page.getByRole('heading', { level: 2 }).innerText()} ${await page.title()} ${await diagram.innerText()}`,
      [T1, T2, T3],
    );
    await expectShownInert(
      page,
      'the downloaded SVG',
      await downloadedText(page, 'Download SVG', 'diagram.svg'),
      [T1, T2, T3],
    );
    // the list, the process's map and the printable document: every payload in jsdom
    // (WorkflowsWorkspace.test.tsx)
  });

  // before the roster: once a roster exists, only a person on it with a bound key decides.
  // Signed at 127.0.0.1, where the browser offers no WebAuthn: the signature says it was not re-authenticated
  it("a reviewer's name, role and comment, a signer's name and title: the review, the signatures and the printable report", async () => {
    const { page } = app;
    await visit(page, '#/signoff');
    await openFirstRecord(page, DEMO_PATIENTS, { name: T1, role: T2, id: 'RN-X1' });
    const review = planReview(page);
    await review
      .getByRole('region', { name: 'Record 1 of 59' })
      .getByLabel(/^Comment/)
      .fill(T3);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await review.getByTestId('save-status').filter({ hasText: 'Saved: record 1 rejected.' }).waitFor();
    await review.getByRole('region', { name: 'Record 2 of 59' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    const decision = await review
      .getByRole('region', { name: 'Record 1 of 59' })
      .getByTestId('own-decision')
      .innerText();
    await expectShownInert(page, "the record's decision, seen again", decision, [T3]);
    await saved(page);

    const sign = signPanel(page);
    await sign.getByLabel("Signer's full name").fill(T3);
    await sign.getByLabel("Signer's job title").fill(T1);
    await sign.getByLabel("Signer's staff number").fill('SG-1');
    await sign.getByRole('button', { name: 'Sign', exact: true }).click();
    await sign
      .getByTestId('sign-status')
      .filter({ hasText: `Signed by ${T3} on ` })
      .waitFor();
    await saved(page);
    const signatures = await sign.getByRole('list', { name: 'Signatures' }).innerText();
    await expectShownInert(page, 'the signatures in the sign panel', signatures, [T3, T1]);
    const report = await downloadedText(review, 'Printable report (HTML)', 'signoff-review.html');
    await expectShownInert(page, 'the printable sign-off report', report, [T1, T2, T3]);
  });

  it("an adjudicator's name and title, beside a reviewer's name: the printable report of a dual review", async () => {
    const { page } = app;
    await disagreeOnFirstRecord(page, T1);
    const adjudication = dualReview(page).getByRole('region', { name: 'Adjudication' });
    await adjudication.getByLabel("Adjudicator's full name").fill(T2);
    await adjudication.getByLabel("Adjudicator's job title").fill(T3);
    await adjudication.getByLabel("Adjudicator's staff number").fill('AJ-1');
    await adjudication
      .getByRole('button', { name: /^Adopt the first reviewer's decision for / })
      .first()
      .click();
    await adjudication
      .getByTestId('adjudication-status')
      .filter({ hasText: /^Saved: adjudication of / })
      .waitFor();
    await saved(page);
    const report = await downloadedText(dualReview(page), 'Printable report (HTML)', 'signoff-dual.html');
    await expectShownInert(page, 'the printable report of the dual review', report, [T1, T2, T3]);
  });

  it("a person's name and job title on the sign-off roster", async () => {
    const { page } = app;
    await visit(page, '#/signoff');
    const roster = page.locator('details.roster-panel');
    if (!(await roster.evaluate((el) => (el as HTMLDetailsElement).open)))
      await roster.locator('summary').click();
    await roster.getByLabel('Full name').fill(T1);
    await roster.getByLabel('Job title').fill(`${T2} ${T3}`);
    await roster.getByLabel('Staff number').fill('S-1');
    await roster.getByRole('checkbox', { name: 'approver', exact: true }).check();
    await roster.getByRole('button', { name: 'Start the roster as data lead' }).click();
    await roster
      .getByTestId('roster-status')
      .filter({ hasText: /Saved\.$/ })
      .waitFor();
    const people = await roster.getByRole('list', { name: 'People on the roster' }).innerText();
    await expectShownInert(page, 'the roster', people, [T1, T2, T3]);
  });

  it("the rollback plan and a safety item's owner, note and assessor: the printable evidence pack", async () => {
    const { page } = app;
    await visit(page, '#/readiness');
    await openReadinessTab(page, 'Downtime and safety');
    const plan = page.getByTestId('rollback-plan');
    await plan.getByRole('radio', { name: 'Yes, a plan is in place' }).check();
    await plan.getByLabel('Who decides to roll back (role or name)').fill(T1);
    await plan.getByLabel('What triggers a rollback').fill(T2);
    await plan.getByLabel('Where the plan is kept (binder, shared folder…)').fill(T3);
    await plan.getByLabel('Where the plan is kept (binder, shared folder…)').blur();
    await saved(page);
    const item = page
      .getByRole('list', { name: 'Contingency Planning practices' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 5, name: 'Downtime procedures', exact: true }) });
    await item.getByRole('button', { name: 'Rate Downtime procedures' }).click();
    // the plan lacks printed downtime reports: the evidence says partly, and so does the rating
    await item.getByRole('radio', { name: 'Partially in place in some areas' }).check();
    await item.getByLabel('Owner of Downtime procedures').fill(T2);
    await item.getByLabel('Note on Downtime procedures').fill(T3);
    await item.getByLabel('Assessed by (your name)').fill(T1);
    await item.getByRole('button', { name: 'Save Downtime procedures' }).click();
    await item
      .getByRole('status')
      .filter({ hasText: 'Downtime procedures recorded: the go/no-go is updated.' })
      .waitFor();
    await saved(page);
    await expectShownInert(page, 'the printable evidence pack', await evidencePack(page), [T1, T2, T3]);
  });

  it("an accepted problem's rationale and owner: the validation result and its printable report", async () => {
    const { page } = app;
    const report = validationResult(page);
    await visit(page, '#/migration');
    await page.getByLabel('Extract files (CSV or TSV)').setInputFiles(join(dir, 'patients.csv'));
    const card = page.getByRole('group', { name: /^patients\.csv/ });
    await card.waitFor();
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(join(dir, 'patients.contract.json'));
    await card.getByLabel('Column contract').selectOption({ label: 'Patients contract' });
    await page.getByRole('button', { name: 'Validate the file' }).click();
    await report.getByRole('button', { name: 'Saved in the project' }).waitFor();
    await report.getByRole('button', { name: /^Accept this problem… birth_date/ }).click();
    const form = report.getByRole('group', { name: /birth_date/ });
    await form.getByLabel('Why it is accepted').fill(`${T2} ${T3}`);
    await form.getByLabel('Owner (who answers for it)').fill(T1);
    await form.getByLabel('Accepted until (last day)').fill('2099-06-30');
    await form.getByRole('button', { name: 'Save the acceptance' }).click();
    const mark = report.getByTestId('waiver-mark').filter({ hasText: T1 });
    await mark.waitFor();
    await saved(page);
    await expectShownInert(page, 'the problem in the validation result', await mark.innerText(), [
      T1,
      T2,
      T3,
    ]);
    const printed = await downloadedText(report, 'Export printable page', 'report.html');
    await expectShownInert(page, 'the printable report', printed, [T1, T2, T3]);
  });
});
