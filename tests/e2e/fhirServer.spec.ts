/**
 * Safety proofs of the FHIR server panel that only a real browser against a real server gives (the
 * local test server with the demo clinic's first 1,000 patients): the page's CSP allows exactly the server the
 * build names; a server that stops answering runs out the app's own wait and a pull cancelled half
 * way keeps what was read; a cancelled bulk export is withdrawn on the server and a failed one
 * offers the same records page by page; a Bundle over 64 KiB goes through the browser's fetch
 * (keepalive off) and a file that is not valid R4 is never offered; no patient identifier is ever
 * in a URL. The panel's states and words are proved in its component test
 * (src/app/migration/FhirServerPanel.test.tsx); the data team's whole path in journeyFhir.spec.ts.
 *
 * One browser for the file, a fresh context per test (fhirSession.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoFhirServer, startDemoFhirServer } from '../fhirServer/demoServer.ts';
import { signoffLikeBundle } from '../fhirServer/transactionBundles.ts';
import { scaled } from '../waits.ts';
import { axeViolations, type Watched } from './browser.ts';
import { connectLocalFhirServer } from './fhirApp.ts';
import { type FhirServerBrowser, fhirServerBrowser } from './fhirSession.ts';

let session: FhirServerBrowser<DemoFhirServer>;
let files: string;

/** Whether the server offers `$export` now (its administrator's switch). */
let offered = false;
/** Every request the server was asked, as it saw it (method, path, query). */
const requests: { method: string; path: string; search: string }[] = [];
/** While set, requests it matches wait for `release` (a stuck server). */
let hold:
  | {
      matches: (r: { method: string; path: string; search: string }) => boolean;
      reached: () => void;
      released: Promise<void>;
    }
  | undefined;
/** While true, the next status check of an export fails (the server's export job broke). */
let failNextStatus = false;

const isStatusCheck = (r: { method: string; path: string }) =>
  r.method === 'GET' && r.path.startsWith('$export-status/');

/** Makes the server stop answering requests `matches` accepts, until released. */
function holdRequests(matches: (r: { method: string; path: string; search: string }) => boolean) {
  let reached = () => {};
  let release = () => {};
  const reachedPromise = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = () => {
      hold = undefined;
      resolve();
    };
  });
  hold = { matches, reached, released };
  return { reached: reachedPromise, release };
}

/**
 * The demo extract's rows the server's patients come from: enough for a pull read page by page to
 * have a second page (the app asks 500 at a time) to hold; all 5,000 only made every pull longer.
 */
const DEMO_ROWS = 1_000;

const laterPage = (r: { method: string; search: string }) =>
  r.method === 'GET' && /[?&]_offset=[1-9]/.test(r.search);

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'preflight-fhir-server-'));
  const invalid = signoffLikeBundle('e2e-invalid');
  const verification = invalid.entry[3]?.resource as { status?: string };
  delete verification.status;
  writeFileSync(join(files, 'invalid-bundle.json'), JSON.stringify(invalid));
  // over 64 KiB: a browser refuses such a body with fetch keepalive on (fhir-kit-client's default)
  const large = signoffLikeBundle('e2e-large');
  (large.entry[0]?.resource as { description?: string }).description = 'Approved after review. '.repeat(
    4_000,
  );
  writeFileSync(join(files, 'large-bundle.json'), JSON.stringify(large));
  session = await fhirServerBrowser((options) =>
    startDemoFhirServer(
      {
        ...options,
        bulkExport: () => offered,
        beforeAnswer: (request) => {
          requests.push(request);
          if (isStatusCheck(request) && failNextStatus) {
            failNextStatus = false;
            throw new Error('The export job stopped');
          }
          if (hold?.matches(request)) {
            hold.reached();
            return hold.released;
          }
        },
      },
      DEMO_ROWS,
    ),
  );
}, scaled(240_000));

afterAll(async () => {
  await session?.close();
  if (files) rmSync(files, { recursive: true, force: true });
});

let watched: Watched | undefined;

afterEach(async () => {
  // no patient identifier in any URL the browser asked for, whatever the test did
  const mrns = session.fhir.patients
    .flatMap((p) => (p.identifier ?? []).map((i) => i.value ?? ''))
    .filter(Boolean);
  expect(requests.filter((r) => mrns.some((mrn) => r.search.includes(mrn) || r.path.includes(mrn)))).toEqual(
    [],
  );
  hold = undefined;
  await watched?.page.context().close();
  watched = undefined;
});

const panel = (page: Page) => page.getByRole('region', { name: 'FHIR server' });

async function openConnected(): Promise<Page> {
  watched = await session.open();
  await connectLocalFhirServer(watched.page, session.fhir.baseUrl);
  return watched.page;
}

/** The page fits its width and passes axe (1440 px: the Migration screen at 390 px is layout.spec.ts's). */
async function fitsAndPassesAxe(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
}

describe('the FHIR server panel in a browser', () => {
  it('is served with a CSP that allows exactly the test server, and names it', async () => {
    watched = await session.open();
    const csp = (await fetch(session.app.url)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${session.fhir.origin};`);
    const meta = await watched.page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(meta).toContain(`connect-src 'self' ${session.fhir.origin};`);
    // the app reads the origins it may contact from that tag, and names them
    await panel(watched.page)
      .getByText(
        `Preflight can contact only the servers allowed where it is served (${session.fhir.origin}).`,
      )
      .waitFor();
  });

  it('keeps the records read when the server stops answering or a pull is cancelled half way', async () => {
    offered = false;
    const page = await openConnected();
    const { fhir } = session;
    // the app's own 5-second wait runs out; the test waits for its message
    await panel(page).getByLabel('Wait for each answer (seconds)').fill('5');
    let stuck = holdRequests(laterPage);
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await stuck.reached;
    const alert = panel(page).getByRole('alert');
    await alert.getByText(`${fhir.origin} did not answer in time while reading Patient records.`).waitFor();
    await alert
      .getByText(
        /raise “Wait for each answer” \(now 5 seconds\) and try again\. The 500 Patient records read before it stopped are kept below/,
      )
      .waitFor();
    await panel(page)
      .getByText(
        /^Patient from http:\/\/127\.0\.0\.1:\d+: stopped after 500 records of [\d,]+; the records read are kept\./,
      )
      .waitFor();
    stuck.release();

    await panel(page).getByLabel('Wait for each answer (seconds)').fill('600');
    stuck = holdRequests(laterPage);
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await stuck.reached;
    await panel(page)
      .getByRole('status')
      .filter({ hasText: /^Read 500 of [\d,]+ Patient records…/ })
      .waitFor();
    await panel(page).getByRole('button', { name: 'Cancel', exact: true }).click();
    await alert.getByText('Cancelled while reading Patient records.').waitFor();
    await alert.getByText(/The 500 Patient records read before it stopped are kept below/).waitFor();
    stuck.release();
    await fitsAndPassesAxe(page);
    expect(watched?.cspViolations).toEqual([]);
    expect(watched?.console).toEqual([]);
  });

  it('withdraws a cancelled bulk export on the server, and offers page by page when an export fails', async () => {
    offered = true;
    const page = await openConnected();
    const { fhir } = session;
    await panel(page)
      .getByRole('status')
      .filter({ hasText: /offers bulk export\.$/ })
      .waitFor();
    const checks = (path: string) => requests.filter((r) => r.path === path && isStatusCheck(r)).length;
    const slow = holdRequests((r) => isStatusCheck(r) && checks(r.path) === 2);
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await slow.reached;
    await panel(page)
      .getByRole('status')
      .filter({
        hasText: `${fhir.origin} is preparing the Patient export (it says: “in progress”). Checking again in 1 second (check 1)…`,
      })
      .waitFor();
    await panel(page).getByRole('button', { name: 'Cancel', exact: true }).click();
    const alert = panel(page).getByRole('alert');
    await alert.getByText('Cancelled while exporting Patient records.').waitFor();
    // a cancelled export has no other way offered: the user chose to stop
    expect(await alert.getByRole('button').count()).toBe(0);
    const status = requests.filter(isStatusCheck).at(-1)?.path;
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([status]);
    slow.release();

    failNextStatus = true;
    const before = requests.length;
    await panel(page).getByRole('button', { name: 'Pull records' }).click();
    await alert
      .getByText(
        new RegExp(
          `^${fhir.origin.replaceAll('.', '\\.')} answered with an error \\(HTTP \\d+\\) while exporting Patient records`,
        ),
      )
      .waitFor();
    const instead = alert.getByRole('button', { name: 'Read Patient records page by page instead' });
    await fitsAndPassesAxe(page);
    // the failed export was withdrawn on the server
    expect(requests.slice(before).some((r) => r.method === 'DELETE')).toBe(true);
    const asked = requests.length;
    await instead.click();
    const count = fhir.patients.length.toLocaleString('en-US');
    await panel(page)
      .getByText(`Patient from ${fhir.origin}: all ${count} records, read page by page.`)
      .waitFor({ timeout: scaled(120_000) });
    expect(requests.slice(asked).some((r) => r.path.includes('$export'))).toBe(false);
    expect(watched?.cspViolations).toEqual([]);
    // the browser itself logs the answer of the export that failed on purpose; nothing else may appear
    expect(watched?.console).toEqual([
      expect.stringMatching(/^error: Failed to load resource: the server responded with a status of \d+/),
    ]);
  });

  it('sends a Bundle over 64 KiB, and never offers a file that is not valid FHIR R4', async () => {
    const page = await openConnected();
    const { fhir } = session;
    const send = panel(page).getByLabel('Send a transaction Bundle file');
    await send.setInputFiles(join(files, 'large-bundle.json'));
    await panel(page)
      .getByRole('button', { name: 'Send to the FHIR server' })
      .click({ timeout: scaled(120_000) });
    await panel(page).getByRole('button', { name: 'Send 4 records' }).click();
    await panel(page).getByText(`${fhir.origin} wrote 4 records in one transaction`).waitFor();
    const task = await fhir.repository.readResource<Task>('Task', 'e2e-large-task');
    expect(task.description?.length).toBeGreaterThan(64 * 1024);

    await send.setInputFiles(join(files, 'invalid-bundle.json'));
    await panel(page)
      .getByRole('alert')
      .getByText(/invalid-bundle\.json has 1 error against FHIR R4, so it was not offered for sending/)
      .waitFor({ timeout: scaled(120_000) });
    expect(
      await panel(page)
        .getByRole('button', { name: /Send to the FHIR server|Send again/ })
        .count(),
    ).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(watched?.cspViolations).toEqual([]);
    expect(watched?.console).toEqual([]);
  });
});
