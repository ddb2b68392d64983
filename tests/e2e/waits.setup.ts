/**
 * Set-up for every end-to-end spec: Playwright's default bound for each wait (a locator's action,
 * `waitFor`, `waitForEvent`, a navigation) in every browser context the spec opens, scaled with
 * the machine as the budget is (tests/waits.ts) instead of Playwright's fixed 30 s. Set on the
 * `chromium` object every spec's browser comes from (tests/e2e/browser.ts), connected or launched
 * or persistent alike, so a context made anywhere gets it without a call of its own
 * (tests/e2e/pageWaits.ts); a wait given its own `timeout` keeps it.
 */
import { chromium } from 'playwright-core';
import { WAITS } from '../waits.ts';
import { boundPageWaits } from './pageWaits.ts';

boundPageWaits(chromium, WAITS.page);
