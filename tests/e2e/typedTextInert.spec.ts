/**
 * Text typed into the app is shown as text everywhere it appears again: each script-injection
 * payload is typed into each field a user fills in (project, workflow, step and lane names, a
 * reviewer's comment, a reviewer's, a signer's and an adjudicator's name and role, the sign-off
 * roster, the rollback plan, a safety item's owner and note, an accepted problem's rationale and
 * owner), then every place that shows it is visited — the window title, the header, the
 * workspaces, the printable pages, and the downloaded diagram and printable reports opened from
 * disk. Nothing may run (the payloads' canary stays unset), no Content-Security-Policy rule may be
 * broken (a blocked payload is a payload that reached markup), no active markup may appear, and
 * the payload must be on screen as typed.
 * The check proves itself first on a page where a payload does run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Which of the typed texts `text` is, from 1. */
const textNumber = (text: string) => PAYLOAD_TEXTS.findIndex((t) => t.text === text) + 1;

/** The demo workflow whose names and steps the payloads go into, and its process. */
const WORKFLOW = '#/workflows/workflow/lab-results-current';
const PROCESS_MAP = '#/workflows/process/lab-results/map';
const DOCUMENT = '#/workflows/document/lab-results';

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
 * Makes a dual-reviewed plan from the demo plan and reviews its first records twice, one for each
 * typed text: the first reviewer accepts each, the second rejects each, so each waits for an
 * adjudicator.
 */
async function disagreeOnFirstRecords(page: Page): Promise<void> {
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
      name: 'Dana Reyes',
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
    for (let record = 1; record <= PAYLOAD_TEXTS.length; record++) {
      const shown = review.getByRole('region', { name: new RegExp(`^Record ${record} of \\d+$`) });
      await shown.waitFor();
      if (pass.button === 'Reject') await shown.getByLabel(/^Comment/).fill('Wrong date.');
      await review.getByRole('button', { name: pass.button, exact: true }).click();
      await review
        .getByTestId('save-status')
        .filter({ hasText: `Saved: record ${record} ${pass.word}.` })
        .waitFor();
    }
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

/** A place that shows a typed text again: goes there and returns the text it shows. */
interface Place {
  name: string;
  show(page: Page, n: number): Promise<string>;
}

/** A field a user types into, and every place that shows what was typed. */
interface Field {
  name: string;
  type(page: Page, text: string): Promise<void>;
  places: Place[];
}

const FIELDS: Field[] = [
  {
    name: 'the project name',
    async type(page, text) {
      await page.getByRole('button', { name: 'Rename' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Project name').fill(text);
      await dialog.getByRole('button', { name: 'Rename' }).click();
      await dialog.waitFor({ state: 'detached' });
      await saved(page);
    },
    places: [
      { name: 'the window title', show: (page) => page.title() },
      {
        name: 'the header',
        show: (page) =>
          page
            .getByLabel('Project', { exact: true })
            .evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? ''),
      },
    ],
  },
  {
    name: 'a workflow name',
    async type(page, text) {
      await visit(page, WORKFLOW);
      const name = page
        .getByRole('region', { name: 'Workflow', exact: true })
        .getByLabel('Name', { exact: true });
      await name.fill(text);
      await name.blur();
      await saved(page);
    },
    places: [
      {
        name: 'the editor and the window title',
        async show(page) {
          await visit(page, WORKFLOW);
          return `${await page.getByRole('heading', { level: 2 }).innerText()} ${await page.title()}`;
        },
      },
      {
        name: 'the list of workflows',
        async show(page) {
          await visit(page, '#/workflows');
          await page.getByRole('heading', { level: 2, name: 'Workflows' }).waitFor();
          return mainText(page);
        },
      },
      {
        name: "the process's map",
        async show(page) {
          await visit(page, PROCESS_MAP);
          await page.getByRole('tab', { name: 'Map', selected: true }).waitFor();
          return mainText(page);
        },
      },
      {
        name: 'the printable document',
        async show(page) {
          await visit(page, DOCUMENT);
          await page.getByRole('button', { name: /^Print/ }).waitFor();
          return mainText(page);
        },
      },
      {
        name: 'the downloaded SVG',
        async show(page, n) {
          await visit(page, WORKFLOW);
          return downloadedText(page, 'Download SVG', `diagram-${n}.svg`);
        },
      },
    ],
  },
  {
    name: 'a step label',
    async type(page, text) {
      await visit(page, WORKFLOW);
      const form = page.getByRole('form', { name: 'Add a step' });
      await form.getByLabel('Step label').fill(text);
      await form.getByRole('button', { name: 'Add step' }).click();
      await saved(page);
    },
    places: [
      {
        name: 'the diagram',
        async show(page) {
          await visit(page, WORKFLOW);
          return page.getByRole('region', { name: 'Workflow diagram' }).innerText();
        },
      },
      {
        name: 'the printable document',
        async show(page) {
          await visit(page, DOCUMENT);
          await page.getByRole('button', { name: /^Print/ }).waitFor();
          return mainText(page);
        },
      },
      {
        name: 'the downloaded SVG',
        async show(page, n) {
          await visit(page, WORKFLOW);
          return downloadedText(page, 'Download SVG', `diagram-${n}.svg`);
        },
      },
    ],
  },
  {
    name: 'a lane (role) name',
    async type(page, text) {
      await visit(page, WORKFLOW);
      const form = page.getByRole('form', { name: 'Add a lane' });
      await form.getByLabel('Role name').fill(text);
      await form.getByRole('button', { name: 'Add lane' }).click();
      await saved(page);
    },
    places: [
      {
        name: 'the diagram',
        async show(page) {
          await visit(page, WORKFLOW);
          return page.getByRole('region', { name: 'Workflow diagram' }).innerText();
        },
      },
      {
        name: 'the printable document',
        async show(page) {
          await visit(page, DOCUMENT);
          await page.getByRole('button', { name: /^Print/ }).waitFor();
          return mainText(page);
        },
      },
      {
        name: 'the downloaded SVG',
        async show(page, n) {
          await visit(page, WORKFLOW);
          return downloadedText(page, 'Download SVG', `diagram-${n}.svg`);
        },
      },
    ],
  },
  // before the roster: once a roster exists, only a person on it with a bound key decides
  {
    name: "a reviewer's comment on a rejected record",
    async type(page, text) {
      const n = textNumber(text);
      if (n === 1) {
        await visit(page, '#/signoff');
        await openFirstRecord(page, DEMO_PATIENTS, {
          name: 'Dana Reyes',
          role: 'Registered nurse',
          id: 'RN-204',
        });
      }
      const record = planReview(page).getByRole('region', { name: `Record ${n} of 59` });
      await record.getByLabel(/^Comment/).fill(text);
      await page.keyboard.press('Escape');
      await page.keyboard.press('r');
      await planReview(page)
        .getByTestId('save-status')
        .filter({ hasText: `Saved: record ${n} rejected.` })
        .waitFor();
      await planReview(page)
        .getByRole('region', { name: `Record ${n + 1} of 59` })
        .waitFor();
    },
    places: [
      {
        name: "the record's decision, seen again",
        async show(page, n) {
          await page.keyboard.press('ArrowLeft');
          const shown = await planReview(page)
            .getByRole('region', { name: `Record ${n} of 59` })
            .getByTestId('own-decision')
            .innerText();
          await page.keyboard.press('ArrowRight');
          await planReview(page)
            .getByRole('region', { name: `Record ${n + 1} of 59` })
            .waitFor();
          return shown;
        },
      },
    ],
  },
  {
    name: "a reviewer's printed name and role",
    async type(page, text) {
      const n = textNumber(text);
      // the comments' texts rejected the first records: this reviewer rejects the next ones
      const record = PAYLOAD_TEXTS.length + n;
      const review = planReview(page);
      await review.getByLabel('Printed name', { exact: true }).fill(text);
      await review.getByLabel('Role', { exact: true }).fill(text);
      await review.getByLabel('Staff id', { exact: true }).fill(`RN-X${n}`);
      await review
        .getByRole('region', { name: `Record ${record} of 59` })
        .getByLabel(/^Comment/)
        .fill('Wrong date.');
      await page.keyboard.press('Escape');
      await page.keyboard.press('r');
      await review
        .getByTestId('save-status')
        .filter({ hasText: `Saved: record ${record} rejected.` })
        .waitFor();
      await saved(page);
    },
    places: [
      {
        name: 'the printable sign-off report',
        show: (page, n) =>
          downloadedText(planReview(page), 'Printable report (HTML)', `signoff-reviewer-${n}.html`),
      },
    ],
  },
  // signed at 127.0.0.1, where the browser offers no WebAuthn: the signature says it was not re-authenticated
  {
    name: "a signer's full name and job title",
    async type(page, text) {
      const n = textNumber(text);
      const sign = signPanel(page);
      await sign.getByLabel("Signer's full name").fill(text);
      await sign.getByLabel("Signer's job title").fill(text);
      await sign.getByLabel("Signer's staff number").fill(`SG-${n}`);
      await sign.getByRole('button', { name: 'Sign', exact: true }).click();
      await sign
        .getByTestId('sign-status')
        .filter({ hasText: `Signed by ${text} on ` })
        .waitFor();
      await saved(page);
    },
    places: [
      {
        name: 'the signatures in the sign panel',
        show: (page) => signPanel(page).getByRole('list', { name: 'Signatures' }).innerText(),
      },
      {
        name: 'the printable sign-off report',
        show: (page, n) =>
          downloadedText(planReview(page), 'Printable report (HTML)', `signoff-signer-${n}.html`),
      },
    ],
  },
  {
    name: "an adjudicator's full name and job title",
    async type(page, text) {
      const n = textNumber(text);
      const review = dualReview(page);
      if (n === 1) await disagreeOnFirstRecords(page);
      const adjudication = review.getByRole('region', { name: 'Adjudication' });
      await adjudication.getByLabel("Adjudicator's full name").fill(text);
      await adjudication.getByLabel("Adjudicator's job title").fill(text);
      await adjudication.getByLabel("Adjudicator's staff number").fill(`AJ-${n}`);
      await adjudication
        .getByRole('button', { name: /^Adopt the first reviewer's decision for / })
        .first()
        .click();
      await adjudication
        .getByTestId('adjudication-status')
        .filter({ hasText: /^Saved: adjudication of / })
        .waitFor();
      await saved(page);
    },
    places: [
      {
        name: 'the printable sign-off report',
        show: (page, n) =>
          downloadedText(dualReview(page), 'Printable report (HTML)', `signoff-adjudicator-${n}.html`),
      },
    ],
  },
  {
    name: "a person's name and job title on the sign-off roster",
    async type(page, text) {
      await visit(page, '#/signoff');
      const roster = page.locator('details.roster-panel');
      if (!(await roster.evaluate((el) => (el as HTMLDetailsElement).open)))
        await roster.locator('summary').click();
      await roster.getByLabel('Full name').fill(text);
      await roster.getByLabel('Job title').fill(text);
      await roster.getByLabel('Staff number').fill(`S-${text.length}-${textNumber(text)}`);
      const start = roster.getByRole('button', { name: 'Start the roster as data lead' });
      if (await start.count()) {
        await roster.getByRole('checkbox', { name: 'approver', exact: true }).check();
        await start.click();
      } else {
        await roster.getByRole('checkbox', { name: 'reviewer', exact: true }).check();
        await roster.getByRole('button', { name: 'Save to the roster' }).click();
      }
      await roster
        .getByTestId('roster-status')
        .filter({ hasText: /Saved\.$/ })
        .waitFor();
    },
    places: [
      {
        name: 'the roster',
        async show(page) {
          await visit(page, '#/signoff');
          return page
            .locator('details.roster-panel')
            .getByRole('list', { name: 'People on the roster' })
            .innerText();
        },
      },
    ],
  },
  {
    name: 'the rollback plan',
    async type(page, text) {
      await visit(page, '#/readiness');
      await openReadinessTab(page, 'Downtime and safety');
      const plan = page.getByTestId('rollback-plan');
      await plan.getByRole('radio', { name: 'Yes, a plan is in place' }).check();
      await plan.getByLabel('Who decides to roll back (role or name)').fill(text);
      await plan.getByLabel('What triggers a rollback').fill(text);
      await plan.getByLabel('Where the plan is kept (binder, shared folder…)').fill(text);
      await plan.getByLabel('Where the plan is kept (binder, shared folder…)').blur();
      await saved(page);
    },
    places: [
      {
        name: 'the printable evidence pack',
        async show(page) {
          await visit(page, '#/readiness');
          await openReadinessTab(page, 'Evidence pack');
          return mainText(page);
        },
      },
    ],
  },
  {
    name: "a safety item's owner, note and assessor",
    async type(page, text) {
      await visit(page, '#/readiness');
      await openReadinessTab(page, 'Downtime and safety');
      const item = page
        .getByRole('list', { name: 'Contingency Planning practices' })
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { level: 5, name: 'Downtime procedures', exact: true }) });
      await item.getByRole('button', { name: 'Rate Downtime procedures' }).click();
      await item.getByRole('radio', { name: 'Fully implemented' }).check();
      await item.getByLabel('Owner of Downtime procedures').fill(text);
      await item.getByLabel('Note on Downtime procedures').fill(text);
      await item.getByLabel('Assessed by (your name)').fill(text);
      await item.getByRole('button', { name: 'Save Downtime procedures' }).click();
      await saved(page);
    },
    places: [
      {
        name: 'the printable evidence pack',
        async show(page) {
          await visit(page, '#/readiness');
          await openReadinessTab(page, 'Evidence pack');
          return mainText(page);
        },
      },
    ],
  },
  {
    name: "an accepted problem's rationale and owner",
    async type(page, text) {
      const report = validationResult(page);
      if (!(await report.count())) {
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
      }
      await report
        .getByRole('button', { name: /^(Accept this problem…|Change the acceptance) birth_date/ })
        .click();
      const form = report.getByRole('group', { name: /birth_date/ });
      await form.getByLabel('Why it is accepted').fill(text);
      await form.getByLabel('Owner (who answers for it)').fill(text);
      await form.getByLabel('Accepted until (last day)').fill('2099-06-30');
      await form.getByRole('button', { name: 'Save the acceptance' }).click();
      await report.getByTestId('waiver-mark').filter({ hasText: text }).waitFor();
      await saved(page);
    },
    places: [
      {
        name: 'the problem in the validation result',
        show: (page) => validationResult(page).getByTestId('waiver-mark').innerText(),
      },
      {
        name: 'the printable report',
        show: (page, n) =>
          downloadedText(validationResult(page), 'Export printable page', `report-${n}.html`),
      },
    ],
  },
];

describe('the check proves itself', () => {
  it('catches a payload that runs and the markup it leaves', async () => {
    const page = await browser.newPage();
    await page.setContent(`<p>${PAYLOADS[0]}</p>`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBe(1);
    expect((await page.evaluate(inertnessInPage)).active).toEqual(['img[onerror]']);
    await page.close();
  });

  it('every typed text runs when it reaches markup, each of its payloads live', async () => {
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

describe.each(FIELDS)('$name', ({ type, places }) => {
  it.each(PAYLOAD_TEXTS.map(({ text, numbers }, i) => ({ text, numbers: numbers.join(', '), n: i + 1 })))(
    'payloads $numbers are shown as typed and run nowhere',
    async ({ text, n }) => {
      const { page } = app;
      await type(page, text);
      for (const place of places) {
        const shown = await place.show(page, n);
        const inert = await page.evaluate(inertnessInPage);
        expect(inert, place.name).toEqual({ ran: null, active: [] });
        expect(shown, `${place.name} shows text ${n} as typed`).toContain(text);
      }
      expect(app.cspViolations).toEqual([]);
      expect(app.console).toEqual([]);
    },
  );
});
