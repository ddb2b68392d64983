/**
 * Set-up for every end-to-end spec: Playwright's default bound for each wait (a locator's action,
 * `waitFor`, `waitForEvent`, a navigation) in every browser context the spec opens, scaled with
 * the machine as the budget is (tests/waits.ts) instead of Playwright's fixed 30 s. Set on the
 * `chromium` object every spec's browser comes from (tests/e2e/browser.ts), connected or launched
 * or persistent alike, so a context made anywhere gets it without a call of its own; a wait given
 * its own `timeout` keeps it.
 */
import { chromium } from 'playwright-core';
import { WAITS } from '../waits.ts';

/**
 * Where Playwright keeps the defaults a new context starts with (its own test runner sets its
 * `timeout` option there). Not in Playwright's typed interface, so checked: a Playwright without
 * that object fails every spec at once, by name, rather than leaving the fixed 30 s.
 */
const settings = (chromium as unknown as { _playwright?: Record<string, unknown> })._playwright;
if (typeof settings !== 'object' || settings === null)
  throw new Error(
    'tests/e2e/waits.setup.ts: playwright-core has no chromium._playwright to set the scaled default timeout on; set it another way',
  );
settings._defaultContextTimeout = WAITS.page;
settings._defaultContextNavigationTimeout = WAITS.page;
