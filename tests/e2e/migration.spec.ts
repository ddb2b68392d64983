/**
 * Safety proofs of the Migration screen that only a real browser gives: the demo's two extracts
 * (one windows-1252 with semicolons) read and checked in the validator worker with the documented
 * counts (samples/README.md), the worker served with its own CSP; a generated extract in which every
 * one of 30,000 rows breaks an uploaded contract, its drill-down scrolled to its last failing row
 * with only the rows in view in the page, its exports downloaded (CSV formula-safe, values hidden on
 * demand, a printable page with no script that passes axe); a run cancelled mid-way; input the app
 * cannot use (bytes not valid in the chosen encoding, a contract that does not compile, a binary
 * file named .csv); and after a reload the saved report from the project. Each panel's words and
 * states are proved by the component tests in src/app/migration; the data team's path by
 * journeyDataTeam.spec.ts.
 *
 * Determinism: to cancel "mid-run" the test holds the app's real validator worker between chunk
 * reads (through the DevTools protocol; nothing in the app is reachable by users), as
 * fingerprint.spec.ts does: the run has read exactly one chunk when Cancel is pressed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import type { Browser, BrowserContext, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCsvCell } from '../../src/core/validation/index.ts';
import { scaled } from '../waits.ts';
import { axeRegionViolations } from './axeRegion.ts';
import { axeViolations, downloadedFile, launchBrowser, openApp, type Watched } from './browser.ts';
import { hashGate, installHashGate, chunkReads as workerChunkReads } from './hashWorkerGate.ts';

const SAMPLES = resolve(import.meta.dirname, '../../samples/legacy');
/**
 * Rows of the generated extract: far more than the drill-down keeps in the page (it keeps the rows in
 * view and a few around them), so scrolling to the last one proves the list is virtual. A bigger
 * file proves nothing more here and costs the worker seconds of CPU.
 */
const BIG_ROWS = 30_000;
/**
 * Size of the cancelled file in the validator's reads (CHUNK_BYTES): more than the held read and
 * the one more a soft cancel may take (at most 3), so a run that ignored Cancel reads past them.
 */
const LONG_CHUNKS = 5;
/** The validator's reads of a file (workers/validateRun.ts BROWSER_CHUNK_BYTES). */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** A held read never completes sooner than this, so the progress throttle (100 ms) reports it. */
const MIN_HOLD_MS = 150;
/** Set PREFLIGHT_SCREENSHOTS to a folder to keep screenshots of the screens for review. */
const SHOTS = process.env.PREFLIGHT_SCREENSHOTS;
const FORMULA = '=HYPERLINK("http://example.invalid","x")';

let browser: Browser;
let context: BrowserContext;
let app: Watched;
let dir: string;
let bigFile: string;
let contractFile: string;
let tinyFile: string;
let longFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-migration-'));
  bigFile = join(dir, 'lab-results.csv');
  // every row breaks the contract's code pattern; row 1's value starts a formula
  const lines = ['result_id,code'];
  lines.push(`R1,"${FORMULA.replaceAll('"', '""')}"`);
  for (let i = 2; i <= BIG_ROWS; i++) lines.push(`R${i},x${i % 97}`);
  writeFileSync(bigFile, `${lines.join('\r\n')}\r\n`);
  contractFile = join(dir, 'lab-results.contract.json');
  writeFileSync(
    contractFile,
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Lab results contract',
      type: 'object',
      required: ['result_id', 'code'],
      properties: { result_id: { type: 'string' }, code: { type: 'string', pattern: '^[A-Z]{3}$' } },
    }),
  );
  longFile = join(dir, 'long-run.csv');
  // LONG_CHUNKS reads of the validator's chunks: a run that ignored Cancel would read them all.
  // One chunk's rows, copied with a letter before each id so that every id stays unique
  const rows: string[] = [];
  for (let i = 1; rows.length * 11 < CHUNK_BYTES; i++) rows.push(`${i},ABC`);
  const copies = Array.from({ length: LONG_CHUNKS }, (_, c) => String.fromCharCode(65 + c));
  writeFileSync(
    longFile,
    `result_id,code${copies.map((l) => `\r\n${l}${rows.join(`\r\n${l}`)}`).join('')}\r\n`,
  );
  tinyFile = join(dir, 'tiny.csv');
  writeFileSync(tinyFile, 'result_id,code\r\nR1,ABC\r\n');
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const extractInput = (page: Page) => page.getByLabel('Extract files (CSV or TSV)');
const card = (page: Page, name: string) =>
  page.getByRole('group', { name: new RegExp(`^${name.replace('.', '\\.')}`) });

async function validateAndWait(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Validate the/ }).click();
  await page.getByRole('region', { name: 'Validation result' }).waitFor({ timeout: scaled(120_000) });
}

async function removeAll(page: Page): Promise<void> {
  // the screen first: right after a visit elsewhere it may not be drawn yet, and no button would
  // then read as no file
  await page.getByLabel('Extract files (CSV or TSV)').waitFor({ state: 'attached' });
  for (;;) {
    const remove = page.getByRole('button', { name: /^Remove .*\.csv$/ });
    if ((await remove.count()) === 0) return;
    await remove.first().click();
  }
}

function validatorWorkers(page: Page): Worker[] {
  return page.workers().filter((w) => w.url().includes('validate.worker'));
}

/**
 * Installs, in every validator worker, the gate of hashWorkerGate.ts: while held, each of its reads
 * of a file (a slice or a read of the file's byte stream) waits; its reads of whole chunks are counted.
 */
async function installGates(page: Page): Promise<void> {
  for (const worker of validatorWorkers(page)) await installHashGate(worker, MIN_HOLD_MS, CHUNK_BYTES);
}

/** Reads of whole chunks the validator workers have begun since their gates were installed. */
async function chunkReads(page: Page): Promise<number> {
  let total = 0;
  for (const worker of validatorWorkers(page)) total += await workerChunkReads(worker);
  return total;
}

/** Holds each validator worker's reads after `hold` more, or lets them all through. */
async function gate(page: Page, action: { hold: number } | 'open'): Promise<void> {
  for (const worker of validatorWorkers(page)) {
    if (action === 'open') await hashGate(worker, { action: 'open' });
    else {
      await hashGate(worker, { action: 'hold' });
      await hashGate(worker, { action: 'release', reads: action.hold });
    }
  }
}

describe('Migration: the demo extracts', () => {
  it('shows how each file is read, and validates both with the documented counts', async () => {
    const { page } = app;
    await extractInput(page).setInputFiles([join(SAMPLES, 'patients.csv'), join(SAMPLES, 'encounters.csv')]);
    const encounters = card(page, 'encounters.csv');
    await encounters.waitFor();
    await expect(encounters.getByLabel(/^Read as/).inputValue()).resolves.toBe('windows-1252');
    await expect(encounters.getByLabel(/^Delimiter/).inputValue()).resolves.toBe(';');
    await expect(encounters.getByLabel(/^Line endings/).inputValue()).resolves.toBe('\r\n');
    await expect(encounters.getByLabel('Column contract').inputValue()).resolves.toBe('contract:encounters');
    await expect(encounters.getByLabel(/^Key column/).inputValue()).resolves.toBe('encounter_id');
    await expect(
      card(page, 'patients.csv')
        .getByLabel(/^Key column/)
        .inputValue(),
    ).resolves.toBe('mrn');
    await expect(
      page.getByText('encounters.csv · patient_id must exist in patients.csv · patient_id'),
    ).toBeDefined();

    await validateAndWait(page);
    const result = page.getByRole('region', { name: 'Validation result' });
    await expect(result.getByTestId('score-records').textContent()).resolves.toBe('17,000');
    // the worker's totals, its cross-file check included; the per-file and duplicate counts of the
    // same files are src/core/validation/validateCsv.test.ts's
    await expect(result.getByTestId('score-invalid').textContent()).resolves.toBe('263');
    await expect(result.getByTestId('orphan-count').textContent()).resolves.toBe('37');
    await result.getByText('Columns of patients.csv').click();
    const birthDate = result
      .locator('.profile')
      .filter({ has: page.getByRole('heading', { name: 'birth_date' }) });
    await expect(birthDate.getByText(/^Mixed: 3 date formats: ISO \d+ %/).isVisible()).resolves.toBe(true);
  });

  it("serves the validator worker with its own policy: eval for ajv, no network; the page's stays strict", async () => {
    const [worker] = validatorWorkers(app.page);
    expect(worker).toBeDefined();
    const csp = (await fetch((worker as Worker).url())).headers.get('content-security-policy') ?? '';
    // eval for ajv, the worker's own scripts by URL (never the whole origin), no network, no workers
    expect(csp).toMatch(/script-src http:\/\/[^;]*\/assets\/validate\.worker-[\w-]+\.js[^;]* 'unsafe-eval'/);
    expect(csp).not.toContain("'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("worker-src 'none'");
    const page = (await fetch(app.page.url())).headers.get('content-security-policy') ?? '';
    expect(page).not.toContain('unsafe-eval');
  });
});

describe('Migration: the demo result on a phone', () => {
  it('names the columns to correct at the start of every failing row, in view without scrolling sideways', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 390, height: 844 });
    const list = page.getByRole('region', { name: /^Failing rows of patients\.csv/ });
    await list.locator('.failing-row .cell').first().waitFor();
    await list.scrollIntoViewIfNeeded();
    // the marked cell itself may be the 14th of 18: its columns are named right after the row number
    const rows = await list.locator('.failing-row').evaluateAll((els) =>
      els.flatMap((row) => {
        if (!row.querySelector('.cell')) return []; // not read yet
        const view = (row.closest('.failing-viewport') as HTMLElement).getBoundingClientRect();
        const named = row.querySelector<HTMLElement>('.failing-row-columns');
        const box = named?.getBoundingClientRect();
        return [
          {
            row: row.getAttribute('data-row'),
            named: named?.textContent ?? '',
            marked: [...row.querySelectorAll<HTMLElement>('.cell-bad')].map((c) =>
              c.title.replace(/^problem in /, '').replace(/:.*$/, ''),
            ),
            inView: box ? box.left >= view.left - 1 && box.left + 40 <= view.right : false,
          },
        ];
      }),
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(r.named, `row ${r.row}`).toBe(r.marked.join(', '));
      expect(r.inView, `row ${r.row}'s columns in view`).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 1000 });
  });
});

describe('Migration: a generated extract where every row fails', () => {
  it('validates 30,000 failing rows and scrolls the drill-down to the last one', async () => {
    const { page } = app;
    await removeAll(page);
    await extractInput(page).setInputFiles(bigFile);
    await card(page, 'lab-results.csv').waitFor();
    await page
      .getByLabel('Add a column contract (JSON Schema or Table Schema file)')
      .setInputFiles(contractFile);
    // reading the contract file is asynchronous: wait until it is chosen for the file
    await expect
      .poll(() =>
        card(page, 'lab-results.csv').getByLabel('Column contract').locator('option:checked').textContent(),
      )
      .toBe('Lab results contract');
    await validateAndWait(page);
    const result = page.getByRole('region', { name: 'Validation result' });
    await expect(result.getByTestId('score-invalid').textContent()).resolves.toBe('30,000');
    const viewport = result.getByRole('region', { name: /^Failing rows of lab-results\.csv/ });
    await viewport.locator('.failing-row .cell').first().waitFor();
    await viewport.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await viewport.locator(`.failing-row[data-row="${BIG_ROWS}"] .cell`).first().waitFor();
    // only the rows in view (and a few around them) are in the page
    expect(await viewport.locator('.failing-row').count()).toBeLessThan(40);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('exports the report as CSV with formula cells neutralised, and the values still round-trip', async () => {
    const { page } = app;
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloading;
    const text = readFileSync(await downloadedFile(download), 'utf8');
    const rows = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' }).data;
    for (const row of rows) for (const cell of row) expect('=+-@\t\r').not.toContain(cell.charAt(0) || 'x');
    const values = rows.map((r) => restoreCsvCell(r[7] ?? ''));
    expect(values).toContain(FORMULA);

    await page.getByLabel('Hide values in exports').check();
    const again = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const json = readFileSync(await downloadedFile(await again), 'utf8');
    expect(json).not.toContain('HYPERLINK');
    expect(JSON.parse(json)).toMatchObject({ redacted: true, summary: { invalid: BIG_ROWS } });

    const printable = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export printable page' }).click();
    const html = readFileSync(await downloadedFile(await printable), 'utf8');
    expect(html).toContain('<h1>Validation report</h1>');
    expect(html).toContain('Values are hidden.');
    expect(html).not.toContain('HYPERLINK');
    expect(html).not.toMatch(/<script|\bsrc=|\bhref=/);
    // the page as printed: opened on its own, it passes axe too
    const printed = await page.context().newPage();
    await printed.setContent(html);
    expect(await axeViolations(printed)).toEqual([]);
    await printed.close();
  });

  it('cancels a run mid-way: progress stops within one chunk and the same worker takes the next run', async () => {
    const { page } = app;
    await removeAll(page);
    await extractInput(page).setInputFiles(longFile);
    await card(page, 'long-run.csv').waitFor();
    await installGates(page);
    const [validator] = validatorWorkers(page);
    expect(validator).toBeDefined();
    let validatorClosed = false;
    validator?.on('close', () => {
      validatorClosed = true;
    });
    await gate(page, { hold: 1 });
    const readsBefore = await chunkReads(page);
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const bar = page.getByRole('progressbar', { name: 'Validating long-run.csv' });
    // the first chunk read and checked, the next one held. The worker starts its read of the next
    // chunk after a yield (workers/streamedBlobSource.ts; a slice's: blobSource in
    // workers/validateApi.ts), in a later task than its check of this one, which runs without a
    // break: once that read is counted, the worker has said all its progress and waits. Progress is said inside a chunk too (every MiB, core
    // validateCsv.ts), so the bar is read once those reports have reached it and it rests, not at
    // its first report
    await expect.poll(() => chunkReads(page)).toBe(readsBefore + 2);
    let at = -1;
    await expect
      .poll(
        async () => {
          const value = await bar.evaluate((el) => (el as HTMLProgressElement).value);
          const resting = value > 0 && value === at;
          at = value;
          return resting;
        },
        { interval: 1000 },
      )
      .toBe(true);
    expect(at).toBeLessThan(100);
    expect(await page.locator('.progress-block p').textContent()).toMatch(
      /^long-run\.csv: \d+ % — .* of .*, [\d,]+ rows · [\d,]+ rows\/s/,
    );
    // the run belongs to the app: it shows in the header from another workspace, and is still here on return
    const nav = page.getByRole('navigation', { name: 'Workspaces' });
    await nav.getByRole('link', { name: 'Readiness' }).click();
    await page
      .getByRole('banner')
      .getByRole('progressbar', { name: 'Validation of long-run.csv', exact: true })
      .waitFor();
    await nav.getByRole('link', { name: 'Migration' }).click();
    await bar.waitFor();
    expect(await bar.evaluate((el) => (el as HTMLProgressElement).value)).toBe(at);
    // one chunk read, the next one held when Cancel is pressed
    expect(await chunkReads(page)).toBe(readsBefore + 2);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    // released at once: the soft cancel stops the worker between chunks, long before the pool's
    // grace period would terminate it (a held read alone would end in that hard stop)
    await gate(page, 'open');
    await page.getByText(`It stopped at ${at} %`, { exact: false }).waitFor();
    // the worker is free: the next run ends, on the same worker
    await removeAll(page);
    await extractInput(page).setInputFiles(tinyFile);
    await card(page, 'tiny.csv').waitFor();
    await validateAndWait(page);
    await expect(page.getByTestId('score-valid').textContent()).resolves.toBe('1');
    expect(validatorClosed).toBe(false);
    expect(validatorWorkers(page)).toContain(validator);
    // progress stopped within one chunk: the held read, and at most one more, of LONG_CHUNKS
    expect((await chunkReads(page)) - readsBefore).toBeLessThanOrEqual(3);
  });
});

describe('Migration: input Preflight cannot use', () => {
  it('names the line and byte that are not valid in the chosen encoding, and the place in a contract that does not compile', async () => {
    const { page } = app;
    await removeAll(page);
    const bad = join(dir, 'bad-bytes.csv');
    writeFileSync(bad, Buffer.from([...Buffer.from('result_id,code\r\nR1,Zo'), 0xeb, 0x0d, 0x0a]));
    await extractInput(page).setInputFiles(bad);
    const file = card(page, 'bad-bytes.csv');
    await file.waitFor();
    await file.getByLabel(/^Read as/).selectOption('utf-8');
    await expect.poll(() => file.getByText('(set by you)').count()).toBe(1);
    await page.getByRole('button', { name: /^Validate the/ }).click();
    // one problem on the file, at its line and byte, with what to do: the run itself goes on
    const result = page.getByRole('region', { name: 'Validation result' }).first();
    const said = result.getByText(
      'bad-bytes.csv is not valid UTF-8 text: the byte at line 2, byte 21 cannot be read in that encoding; read it in the encoding it was saved in, or export it again as UTF-8',
    );
    await said.first().waitFor();
    expect(await result.textContent()).not.toContain('Zo');

    await removeAll(page);
    const broken = join(dir, 'broken.contract.json');
    writeFileSync(broken, JSON.stringify({ type: 'object', properties: { code: { type: 'strnig' } } }));
    await extractInput(page).setInputFiles(tinyFile);
    await card(page, 'tiny.csv').waitFor();
    const contractInput = page.getByLabel('Add a column contract (JSON Schema or Table Schema file)');
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{"type": "object",');
    await contractInput.setInputFiles(notJson);
    await page
      .getByRole('alert')
      .filter({ hasText: 'The contract "not-json.json" is not valid JSON' })
      .waitFor();
    await contractInput.setInputFiles(broken);
    // tiny.csv keeps the contract of its check set (it was validated before): the new one is chosen
    await card(page, 'tiny.csv')
      .getByLabel('Column contract')
      .locator('option', { hasText: 'broken.contract.json' })
      .waitFor({ state: 'attached' });
    await card(page, 'tiny.csv')
      .getByLabel('Column contract')
      .selectOption({ label: 'broken.contract.json' });
    await expect
      .poll(() =>
        card(page, 'tiny.csv').getByLabel('Column contract').locator('option:checked').textContent(),
      )
      .toBe('broken.contract.json');
    await page.getByRole('button', { name: /^Validate the/ }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'cannot be used' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('/properties/code/type');
    await removeAll(page);
  });
});

describe('Migration: a binary file named .csv, of no kind the screen recognises', () => {
  it('is "not a text file", with the byte offset and the line, not an encoding problem', async () => {
    const { page } = app;
    await removeAll(page);
    // a database dump saved with a .csv name: lines of text, then binary bytes (no file signature
    // the screen knows, as a PDF's or a spreadsheet's, so it reaches the validator worker)
    const dump = join(dir, 'dump.csv');
    writeFileSync(dump, Buffer.from('patient_id,name\nP1,Ann\nP2,\x00\x00\x07\x10\x00\n', 'latin1'));
    await extractInput(page).setInputFiles(dump);
    // told as the file is read for its layout, before any validation
    const alert = page.getByText(/^dump\.csv is not a text file/);
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('dump.csv is not a text file (a zero byte at byte 26, line 3).');
    expect(text).toContain('Export the data as CSV');
    expect(text).not.toContain('encoding');
    expect(await page.getByRole('group', { name: /^dump\.csv/ }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('Migration: after a reload', () => {
  it('shows the saved demo report from the project, and nothing was printed', async () => {
    const { page } = app;
    await page.reload();
    await page.getByRole('heading', { name: 'Saved validation reports' }).waitFor();
    // every run is kept: the demo's is the one of its two files
    await page
      .getByRole('listitem')
      .filter({ hasText: /: patients\.csv, encounters\.csv — / })
      .getByRole('button', { name: /^Open report of/ })
      .first()
      .click();
    const result = page.getByRole('region', { name: 'Validation result' });
    await expect(result.getByTestId('score-invalid').textContent()).resolves.toBe('263');
    await expect(result.getByTestId('orphan-count').textContent()).resolves.toBe('37');
    await page.setViewportSize({ width: 390, height: 900 });
    await extractInput(page).setInputFiles([join(SAMPLES, 'patients.csv'), join(SAMPLES, 'encounters.csv')]);
    await card(page, 'encounters.csv').waitFor();
    // on a phone the page still fits its width: wide parts scroll inside their card
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
    if (SHOTS) {
      await page.locator('.check-extracts').screenshot({ path: join(SHOTS, 'check-390.png') });
      await result.screenshot({ path: join(SHOTS, 'saved-390.png') });
    }
    // axe on what is new here, the chosen files' cards on a phone: the demo result passed axe on a
    // phone above, and a saved report on a phone passes it in journeyDataTeam.spec.ts (a whole
    // page of this size costs axe seconds of CPU, most of it in its colour-contrast rule)
    expect(await axeRegionViolations(page.locator('.check-extracts'))).toEqual([]);
    expect(app.cspViolations).toEqual([]);
    expect(app.console).toEqual([]);
  });
});
