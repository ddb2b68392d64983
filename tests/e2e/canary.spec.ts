/**
 * Record content stays on the machine: a canary value is planted in a CSV extract, a FHIR NDJSON
 * export, an event log, the patient extract of a sign-off sample, the notes typed in review
 * and Readiness, a BPMN file's task name, a mapping's fixed value and an imported project's name and
 * workflow step; each journey is run on them (validate the CSV, validate the FHIR export, discover
 * a workflow from the log, review, sign and export the sample and export it as review packets,
 * assess a safety item and download and check the evidence pack, import the BPMN file and open the
 * workflow, import the mapping and check the records it makes, import the project and open its
 * workflow), and the canary must appear in no request the browser makes (URL or body, page and
 * workers), no console line of the page or its workers and no uncaught error of either (a
 * worker's reaches the page as an `error` event on its Worker object, watched from an init
 * script). The tripwire proves itself first: the same watch catches the canary when the test
 * itself logs it, sends it, throws it in the page and throws it inside the app's hash worker.
 *
 * Every screen the journeys show is also checked for text fields the browser's autofill would
 * keep (what is typed there may be a patient's or a reviewer's details).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectFile, type ProjectFile } from '../../src/formats/project.ts';
import { scaled } from '../waits.ts';
import { launchBrowser, openApp, type Watched } from './browser.ts';
import { startHashWorker } from './hashWorkerGate.ts';
import { openReadinessTab } from './readinessTabs.ts';
import {
  DEMO_PATIENTS,
  downloadFromReview,
  openFirstRecord,
  planReview,
  signPanel,
} from './signoffJourney.ts';

const DEMO_MAPPING = fileURLToPath(
  new URL('../../samples/mappings/patients-to-fhir-patient.json', import.meta.url),
);
const DEMO_PROJECT = fileURLToPath(
  new URL('../../samples/projects/demo-clinic.preflight.json', import.meta.url),
);
/** The passphrase of the encrypted review packet. */
const PASSPHRASE = 'amber kettle orbit lantern';

/** `text` as a regular expression matching it literally. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A value no file, page or library holds by chance; letters only, as typed into a comment a run of
 * digits would be refused as a number shaped like an MRN.
 */
const CANARY = `PFCANARY${Math.random()
  .toString(36)
  .slice(2, 10)
  .toUpperCase()
  .replace(/\d/g, (d) => 'QRSTUVWXYZ'[Number(d)] ?? 'Q')}`;

let browser: Browser;
let app: Watched;
let dir: string;
/** everything the tripwire saw: request URLs and bodies, console lines, uncaught errors */
const seen: string[] = [];

function watch(context: BrowserContext, page: Page): void {
  context.on('request', (request) => seen.push(`request ${request.url()} ${request.postData() ?? ''}`));
  page.on('console', (message) => seen.push(`console ${message.text()}`));
  page.on('pageerror', (error) => seen.push(`pageerror ${error.message} ${error.stack ?? ''}`));
  page.on('worker', (worker) => {
    worker.on('console', (message) => seen.push(`worker console ${message.text()}`));
  });
}

const caught = () => seen.filter((line) => line.includes(CANARY));

/**
 * Reports every uncaught error of a worker the page starts: it fires as `error` (or `messageerror`)
 * on the page's Worker object, which Playwright does not surface.
 */
function watchWorkerErrors(): void {
  const report = (window as unknown as { preflightWorkerError?: (text: string) => void })
    .preflightWorkerError;
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('error', (event) =>
        report?.(`${event.message} ${event.filename}:${event.lineno}:${event.colno}`),
      );
      this.addEventListener('messageerror', () => report?.('messageerror'));
    }
  };
}

/** The text fields and text areas on screen that the browser's autofill would keep. */
function autofillKept(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, textarea')]
      .filter((el) => {
        if (el instanceof HTMLInputElement) {
          if (!['text', 'search', 'url', 'email', 'tel'].includes(el.type) || el.readOnly) return false;
        }
        return el.getAttribute('autocomplete') !== 'off';
      })
      .map((el) => `${el.tagName.toLowerCase()}#${el.id} ${el.getAttribute('autocomplete') ?? '(none)'}`),
  );
}

/**
 * Opens the app at `place` in a browser profile of its own, every request, console line and
 * uncaught error of its page and workers watched.
 */
async function openWatched(place: string): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  });
  await context.exposeBinding('preflightWorkerError', (_source, text: string) =>
    seen.push(`worker error ${text}`),
  );
  await context.addInitScript(watchWorkerErrors);
  // a browser without WebAuthn: signing needs no authenticator
  await context.addInitScript(() => {
    Reflect.deleteProperty(window, 'PublicKeyCredential');
  });
  const opened = await openApp(context, place);
  watch(context, opened.page);
  return opened;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-canary-'));
  browser = await launchBrowser();
  app = await openWatched('#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a canary in the records never leaves the page', () => {
  it('is caught by the tripwire when the test itself logs, sends and throws it', async () => {
    await app.page.evaluate(async (canary) => {
      console.log(`tripwire ${canary}`);
      await fetch(`/tripwire?value=${canary}`).catch(() => undefined);
    }, CANARY);
    // an uncaught error inside one of the app's workers
    const worker = await startHashWorker(app.page, dir);
    await worker.evaluate((canary) => {
      setTimeout(() => {
        throw new Error(`tripwire ${canary}`);
      });
    }, CANARY);
    // an uncaught error of the page itself
    await app.page.evaluate((canary) => {
      setTimeout(() => {
        throw new Error(`tripwire ${canary}`);
      });
    }, CANARY);
    // every kind of sighting, waited for until each has arrived
    const kinds = ['console', 'request', 'worker error', 'pageerror'];
    await expect
      .poll(() => kinds.filter((kind) => caught().some((line) => line.startsWith(kind))))
      .toEqual(kinds);
    // what the tripwire itself made is forgotten: the journeys start from nothing seen
    seen.length = 0;
  });

  it('validates a CSV holding it, shows it in the column profile, and sends it nowhere', async () => {
    const { page } = app;
    const file = join(dir, 'canary-patients.csv');
    // the most common family name, so the column profile lists it among its top values
    const rows = ['patient_id,family_name,birth_date'];
    for (let i = 1; i <= 6; i++)
      rows.push(`${i},${i % 3 === 0 ? 'Reyes' : CANARY},${i === 5 ? CANARY : '1990-01-31'}`);
    writeFileSync(file, `${rows.join('\r\n')}\r\n`);
    await page.getByLabel(/^Extract files \(CSV or TSV\)/).setInputFiles(file);
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: scaled(120_000) });
    await expect(result.getByTestId('score-records').textContent()).resolves.toBe('6');
    await result.getByText('Columns of canary-patients.csv').click();
    // the value went through the engine: the column profile shows it
    await result.getByText(CANARY).first().waitFor();
    expect(caught()).toEqual([]);
  });

  it('validates an NDJSON export holding it, and sends it nowhere', async () => {
    const { page } = app;
    const file = join(dir, 'canary.ndjson');
    const patient = (id: string, family: string, gender: string) =>
      JSON.stringify({ resourceType: 'Patient', id, name: [{ family }], gender });
    // the second one breaks a required binding with the canary as its value: it shows as an example
    writeFileSync(file, `${patient('p1', CANARY, 'female')}\n${patient('p2', 'Reyes', CANARY)}\n`);
    await page
      .getByLabel(/FHIR files \(JSON, NDJSON\), plain, compressed \(\.gz, \.zst\) or zipped \(\.zip\)$/)
      .setInputFiles(file);
    await page.getByRole('button', { name: 'Validate 1 FHIR file' }).click();
    const result = page
      .getByRole('region', { name: 'FHIR files' })
      .getByRole('region', { name: 'Validation result' });
    await result.waitFor({ timeout: scaled(120_000) });
    await expect(result.getByTestId('score-records').textContent()).resolves.toBe('2');
    expect(await page.content()).toContain(CANARY);
    expect(caught()).toEqual([]);
    expect(await autofillKept(page)).toEqual([]);
  });

  it('discovers a workflow from an event log holding it, and sends it nowhere', async () => {
    const { page } = app;
    const file = join(dir, 'canary-log.csv');
    const rows = ['case,activity,time,who'];
    for (let c = 1; c <= 6; c++) {
      rows.push(`C${c},Check in,2026-03-0${c}T08:00:00Z,${CANARY}`);
      rows.push(`C${c},Triage,2026-03-0${c}T08:20:00Z,Nurse ${c}`);
    }
    writeFileSync(file, `${rows.join('\n')}\n`);
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: /Workflows/ })
      .click();
    await page.getByRole('link', { name: 'Event logs: what really happens' }).click();
    const region = page.getByRole('region', { name: "Discover today's workflow from an event log" });
    await region.getByLabel('Event log file (CSV, XES or OCEL 2.0, gzipped or not)').setInputFiles(file);
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    await region.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: scaled(60_000) });
    expect(await page.content()).toContain(CANARY);
    expect(caught()).toEqual([]);
    expect(await autofillKept(page)).toEqual([]);
  });

  it('reviews, signs and exports a sign-off sample holding it, and sends it nowhere', async () => {
    const { page } = app;
    // the demo extract (the demo plan's dataset is patients.csv), its family names replaced by the canary
    const file = join(dir, 'patients.csv');
    const lines = readFileSync(DEMO_PATIENTS, 'utf8').split('\n');
    writeFileSync(
      file,
      lines
        .map((line, i) => (i === 0 ? line : line.replace(/^([^,"]*,[^,"]*,)[^,"]*,/, `$1${CANARY},`)))
        .join('\n'),
    );
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: /Sign-off/ })
      .click();
    await openFirstRecord(page, file, { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' });
    await planReview(page).getByText(CANARY).first().waitFor();
    expect(await autofillKept(page)).toEqual([]);
    await page.keyboard.press('a');
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: 'Saved: record 1 accepted.' })
      .waitFor();
    // a rejection's comment quoting the record's family name is refused, the value not repeated
    await planReview(page)
      .getByLabel(/^Comment/)
      .fill(`The legacy family name ${CANARY} is misspelt.`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: 'Not saved: The comment contains the value of the column "last_name"' })
      .waitFor();
    // typed text holding the canary, though not as the record's value, is saved and must not leak
    await planReview(page)
      .getByLabel(/^Comment/)
      .fill(`The legacy family name is misspelt (clinic note ${CANARY}X).`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await planReview(page)
      .getByTestId('save-status')
      .filter({ hasText: 'Saved: record 2 rejected.' })
      .waitFor();
    const sign = signPanel(page);
    await sign.getByRole('button', { name: 'Sign' }).click();
    await sign
      .getByTestId('sign-status')
      .filter({ hasText: /^Signed by Dana Reyes on .*\. Saved\.$/ })
      .waitFor();
    const exported = await downloadFromReview(page, 'Export the sign-off (JSON)', dir, 'signoff.json');
    const report = await downloadFromReview(page, 'Printable report (HTML)', dir, 'report.html');
    // the printable report leaves out record values and comments; the sign-off file keeps the comment
    expect(readFileSync(report, 'utf8')).toContain('Written; not printed');
    expect(readFileSync(report, 'utf8')).not.toContain(CANARY);
    expect(readFileSync(exported, 'utf8')).toContain(CANARY);
    expect(caught()).toEqual([]);
  });

  /** the unencrypted review packet, for the clinician of the next journey */
  let packet = '';

  it('exports the sample holding it as review packets, encrypted and not, and sends it nowhere', async () => {
    const { page } = app;
    const tools = planReview(page).getByRole('region', { name: 'Review on another computer' });
    await tools.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await tools.getByLabel('Passphrase again').fill(PASSPHRASE);
    const sealed = await downloadFromReview(
      page,
      'Export encrypted review packet (59 patient records)',
      dir,
      'packet.encrypted.json',
    );
    await tools.getByText(/^Encrypted review packet saved \(59 patient records/).waitFor();
    expect(readFileSync(sealed, 'utf8')).not.toContain(CANARY);
    await tools.getByLabel('Do not encrypt').check();
    const plain = await downloadFromReview(
      page,
      'Export unencrypted review packet (59 patient records)',
      dir,
      'packet.json',
    );
    await tools.getByText(/^Review packet saved without encryption \(59 patient records/).waitFor();
    // the packet carries the sampled records, the canary among them
    expect(readFileSync(plain, 'utf8')).toContain(CANARY);
    packet = plain;
    expect(await autofillKept(page)).toEqual([]);
    expect(caught()).toEqual([]);
  });

  it('merges back the results of a clinician who reviewed that packet elsewhere, and sends it nowhere', async () => {
    // the clinician's own browser profile, watched the same way
    const clinician = await openWatched('#/signoff');
    const { page } = clinician;
    await page.getByLabel('Review packet', { exact: true }).setInputFiles(packet);
    await page.getByText('Packet opened: 59 records to review.', { exact: false }).waitFor();
    const panel = planReview(page);
    await panel.getByRole('region', { name: 'Record 1 of 59' }).waitFor();
    await panel.getByText(CANARY).first().waitFor();
    await panel.getByLabel('Printed name', { exact: true }).fill('Dana Reyes');
    await panel.getByLabel('Role', { exact: true }).fill('Registered nurse');
    await panel.getByLabel('Staff id', { exact: true }).fill('RN-204');
    expect(await autofillKept(page)).toEqual([]);
    // records 1 and 2 were decided on the lead's side already: this review starts at record 3
    await page.keyboard.press('Tab');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await panel.getByRole('region', { name: 'Record 3 of 59' }).waitFor();
    await page.keyboard.press('a');
    await panel.getByTestId('save-status').filter({ hasText: 'Saved: record 3 accepted.' }).waitFor();
    // the canary in typed text, not as the record's own value (that comment is refused)
    await panel.getByLabel(/^Comment/).fill(`Family name differs from the chart (note ${CANARY}X).`);
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await panel.getByTestId('save-status').filter({ hasText: 'Saved: record 4 rejected.' }).waitFor();
    const results = await downloadFromReview(page, 'Export my results', dir, 'results.json');
    await panel.getByText('Results saved: 2 decisions.', { exact: false }).waitFor();
    // the clinician's comment goes back with the results
    expect(readFileSync(results, 'utf8')).toContain(CANARY);
    await page.context().close();

    const tools = planReview(app.page).getByRole('region', { name: 'Review on another computer' });
    await tools.getByLabel('Results file from a clinician').setInputFiles(results);
    await tools.getByText(/^Merged 2 decisions by Dana Reyes: every hash checked out/).waitFor();
    expect(caught()).toEqual([]);
  });

  it('assesses a safety item with it in the note, downloads and checks the evidence pack, and sends it nowhere', async () => {
    const { page } = app;
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: 'Readiness' })
      .click();
    await openReadinessTab(page, 'Downtime and safety');
    const downtime = page
      .getByRole('list', { name: 'Contingency Planning practices' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { level: 5, name: 'Downtime procedures', exact: true }) });
    await downtime.getByRole('button', { name: 'Rate Downtime procedures' }).click();
    // as the demo's plan says: written and drilled, its downtime reports not printed yet
    await downtime.getByRole('radio', { name: 'Partially in place in some areas' }).check();
    await downtime.getByLabel('Owner of Downtime procedures').fill('Rae Lindqvist, practice manager');
    await downtime.getByLabel('Note on Downtime procedures').fill(`Paper kits checked against ${CANARY}.`);
    await downtime.getByLabel('Assessed by (your name)').fill('Rae Lindqvist');
    expect(await autofillKept(page)).toEqual([]);
    await downtime.getByRole('button', { name: 'Save Downtime procedures' }).click();
    await downtime
      .getByRole('status')
      .filter({ hasText: 'Downtime procedures recorded: the go/no-go is updated.' })
      .waitFor();
    await downtime.getByText('· owner: Rae Lindqvist, practice manager').waitFor();
    await openReadinessTab(page, 'Evidence pack');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the evidence pack (JSON)' }).click();
    const pack = join(dir, 'pack.json');
    await (await downloading).saveAs(pack);
    expect(readFileSync(pack, 'utf8')).toContain(CANARY);
    await page.getByLabel('Evidence pack to check (JSON)').setInputFiles(pack);
    await page.getByTestId('pack-verdict').getByText('pack.json: Verified.').waitFor();
    expect(await autofillKept(page)).toEqual([]);
    expect(caught()).toEqual([]);
  });

  it('imports a BPMN file with it in a task name, opens the workflow, and sends it nowhere', async () => {
    const { page } = app;
    const file = join(dir, 'canary.bpmn');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="urn:test">
  <process id="intake" name="Front desk intake">
    <startEvent id="arrive" name="Patient arrives"/>
    <task id="check" name="Check in ${CANARY}"/>
    <endEvent id="done" name="Visit closed"/>
    <sequenceFlow id="f1" sourceRef="arrive" targetRef="check"/>
    <sequenceFlow id="f2" sourceRef="check" targetRef="done"/>
  </process>
</definitions>
`,
    );
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: /Workflows/ })
      .click();
    await page.getByLabel(/^Import a BPMN 2\.0 file/).setInputFiles(file);
    const report = page.getByRole('region', { name: 'BPMN import result' });
    await report.getByText(/^Added “Front desk intake” from “canary\.bpmn”/).waitFor();
    await report.getByRole('button', { name: 'Open “Front desk intake”' }).click();
    await page.getByRole('heading', { level: 2, name: 'Front desk intake' }).waitFor();
    await page.getByRole('region', { name: 'Workflow diagram' }).getByText(CANARY).first().waitFor();
    expect(await autofillKept(page)).toEqual([]);
    await page.getByRole('button', { name: 'Back to workflows' }).click();
    expect(caught()).toEqual([]);
  });

  it('imports a mapping with it as a fixed value, checks the records it makes, and sends it nowhere', async () => {
    const { page } = app;
    const extract = join(dir, 'mapped-patients.csv');
    writeFileSync(extract, `${readFileSync(DEMO_PATIENTS, 'utf8').split('\n').slice(0, 11).join('\n')}\n`);
    const demo = JSON.parse(readFileSync(DEMO_MAPPING, 'utf8')) as { fields: { target: string }[] };
    const name = 'Patients with a fixed name text';
    writeFileSync(
      join(dir, 'canary.mapping.json'),
      JSON.stringify({
        ...demo,
        id: 'canary-mapping',
        name,
        source: 'mapped-patients.csv',
        // a fixed name text, and a fixed gender that is no code of its value set, so the check of the
        // records the mapping makes reports it with the value as its example
        fields: [
          ...demo.fields.filter((f) => f.target !== 'gender'),
          { target: 'name[0].text', const: CANARY },
          { target: 'gender', const: CANARY },
        ],
      }),
    );
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: /Migration/ })
      .click();
    await page.getByLabel(/^Extract files \(CSV or TSV\)/).setInputFiles(extract);
    const card = page.getByRole('group', { name: /^mapped-patients\.csv/ });
    await card.waitFor();
    await page.getByText(/^Map .* to the new system/).click();
    await page.getByLabel('Preview on file').selectOption('mapped-patients.csv');
    await page.getByLabel('Import a mapping file').setInputFiles(join(dir, 'canary.mapping.json'));
    await expect.poll(() => page.getByLabel('Mapping', { exact: true }).inputValue()).toBe('canary-mapping');
    // the fixed value is in the records the mapping makes
    await page.getByTestId('mapping-preview').getByText(CANARY).first().waitFor();
    await card.getByLabel('Also check the records made by the mapping').selectOption({ label: name });
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const result = page.getByRole('region', { name: 'Validation result' });
    // the check of the mapped records ran on the fixed value: it is the example of the problem
    const problem = result
      .getByRole('listitem')
      .filter({ hasText: 'Patient.gender in mapped-patients.csv' })
      .first();
    await problem.waitFor({ timeout: scaled(120_000) });
    await problem.getByText('Patient.gender', { exact: true }).first().click();
    await problem
      .getByText('Where it comes from in the mapping: a fixed value of mapping field gender.')
      .waitFor();
    await problem.getByText(CANARY).first().waitFor();
    expect(await autofillKept(page)).toEqual([]);
    expect(caught()).toEqual([]);
  });

  it('imports a project file with it in the name and a workflow step, opens the workflow, and sends it nowhere', async () => {
    const { page } = app;
    const demo = JSON.parse(readFileSync(DEMO_PROJECT, 'utf8')) as ProjectFile;
    const project = structuredClone(demo.project);
    project.meta = { ...project.meta, id: 'canary-clinic', name: `Clinic ${CANARY}` };
    const workflow = project.workflows.find((w) => w.id === 'lab-results-current');
    const step = workflow?.steps[1];
    if (!workflow || !step) throw new Error('the demo project has no current lab workflow');
    step.label = `Results filed by ${CANARY}`;
    const file = join(dir, 'canary.preflight.json');
    writeFileSync(file, JSON.stringify(createProjectFile(project, { now: new Date(), appVersion: '0.1.0' })));
    await page.getByLabel('Import a project file').setInputFiles(file);
    await page
      .getByRole('status')
      .filter({ hasText: `Imported “Clinic ${CANARY}` })
      .waitFor({ timeout: scaled(60_000) });
    await page
      .getByRole('navigation', { name: 'Workspaces' })
      .getByRole('link', { name: /Workflows/ })
      .click();
    await page
      .getByRole('link', { name: new RegExp(`^Open in editor\\s*: ${literally(workflow.name)}$`) })
      .click();
    await page.getByRole('region', { name: 'Workflow diagram' }).getByText(CANARY).first().waitFor();
    expect(await autofillKept(page)).toEqual([]);
    expect(caught()).toEqual([]);
    // the journeys ran: the watch saw the app's own requests and workers at work
    expect(seen.some((line) => line.startsWith('request'))).toBe(true);
    expect(seen.some((line) => line.startsWith('worker error'))).toBe(false);
  });
});
