/**
 * Journey: an analyst opens an object-centric log (the OCEL 2.0 example log in JSON, as PM4Py
 * ships it) to discover today's workflow: the import step offers its object types with what each
 * map would hold instead of columns, says the rule for events at the same instant and what the
 * file holds that was not used; with "Invoice" chosen, the event-log worker draws the invoices'
 * map and the result says which events are not on it. Accessible (axe); nothing printed to the
 * console (the worker's policy allows no eval: the reader needs none). The choice, the account
 * and the words are proven without a browser in OcelSourceFields.test.tsx; the map and account
 * equal the CLI's in tests/unit/ocelWorkerCli.test.ts. The SQLite copy of the same log is read
 * in the browser too (sql.js compiles its WebAssembly in the event-log worker, as its policy allows).
 */
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalFixture } from '../fixtures/external.ts';
import { scaled } from '../waits.ts';
import { axeViolations, launchBrowser, openApp, type Watched } from './browser.ts';
import { DISCOVER_LOG_HASH, discoverRegion, EVENT_LOG_FILE_LABEL, processMapOf } from './eventLogPage.ts';

/** Where screenshots go when E2E_SCREENSHOTS names a folder (to look at the screens by eye). */
const SHOTS = process.env.E2E_SCREENSHOTS;

let browser: Browser;
let context: BrowserContext;
let app: Watched;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  app = await openApp(context, DISCOVER_LOG_HASH);
});

afterAll(async () => {
  await browser?.close();
});

describe('an object-centric log on the import step', () => {
  it('offers its object types, draws the chosen one’s map and says what was not used', async () => {
    const { page } = app;
    const region = discoverRegion(page);
    await region
      .getByLabel(EVENT_LOG_FILE_LABEL)
      .setInputFiles(externalFixture('pm4py-ocel2', 'ocel20_example.jsonocel'));
    await region.getByText(/an object-centric log of 13 events about 4 object types/).waitFor();
    const type = region.getByLabel('Object type (each object of this type is one case)');
    await expect(type.locator('option').allTextContents()).resolves.toEqual([
      'Choose an object type',
      'Invoice — 3 objects, 9 events',
      'Payment — 3 objects, 3 events',
      'Purchase Order — 2 objects, 5 events',
      'Purchase Requisition — 1 object, 3 events',
    ]);
    await region
      .getByText(/Events at the same instant keep the order the log lists them in/)
      .first()
      .waitFor();
    const account = region.locator('details', { hasText: 'What Preflight did not use from this file' });
    await account.getByText(/What Preflight did not use from this file/).click();
    await account.getByText('object:is_blocked').waitFor();
    await type.selectOption('Invoice');
    if (SHOTS) await region.screenshot({ path: path.join(SHOTS, 'ocel-import-1440.png') });
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    const result = region.getByRole('region', { name: 'Discovered workflow' });
    await result.getByRole('region', { name: 'Discovered steps' }).waitFor({ timeout: scaled(60_000) });
    await expect(result.getByText(/Map of object type “Invoice”/).textContent()).resolves.toContain(
      "4 events of the log's 13 are linked to no object of this type and not on this map.",
    );
    await processMapOf(page).waitFor();
    // the boxes come once the layout worker has placed them
    await expect.poll(() => processMapOf(page).textContent()).toContain('Insert Payment');
    if (SHOTS) await result.screenshot({ path: path.join(SHOTS, 'ocel-result-1440.png') });
    await expect(axeViolations(page)).resolves.toEqual([]);
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });

  it('reads the SQLite copy of the same log in the browser: the same types and map', async () => {
    const { page } = app;
    const region = discoverRegion(page);
    await region
      .getByLabel(EVENT_LOG_FILE_LABEL)
      .setInputFiles(externalFixture('pm4py-ocel2', 'ocel20_example.sqlite'));
    // sql.js compiles its WebAssembly in the event-log worker: a refusal would be a console line
    const account = region.locator('details', { hasText: 'What Preflight did not use from this file' });
    await account
      .getByText('event_object.ocel_qualifier')
      .waitFor({ state: 'attached', timeout: scaled(30_000) });
    const type = region.getByLabel('Object type (each object of this type is one case)');
    await expect(type.locator('option').allTextContents()).resolves.toContain(
      'Invoice — 3 objects, 9 events',
    );
    await type.selectOption('Invoice');
    await region.getByRole('button', { name: 'Discover the workflow' }).click();
    const result = region.getByRole('region', { name: 'Discovered workflow' });
    // this read's account (the JSON copy's names keys, not tables): the result is the SQLite copy's
    await result
      .locator('.log-account')
      .getByText('event_object.ocel_qualifier')
      .waitFor({ state: 'attached', timeout: scaled(60_000) });
    await expect(result.getByText(/Map of object type “Invoice”/).textContent()).resolves.toContain(
      "4 events of the log's 13 are linked to no object of this type and not on this map.",
    );
    await expect.poll(() => processMapOf(page).textContent()).toContain('Insert Payment');
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });
});
