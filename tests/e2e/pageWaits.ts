/**
 * Playwright's default bound for each wait (a locator's action, `waitFor`, `waitForEvent`, a
 * navigation) in every browser context an end-to-end spec opens, set through Playwright's public
 * setters (`setDefaultTimeout`, `setDefaultNavigationTimeout`) on each context as it is made, so a
 * Playwright upgrade cannot quietly bring back its fixed 30 s. A wait given its own `timeout`
 * keeps it.
 */
import type { Browser, BrowserContext, BrowserType } from 'playwright-core';

/** The part of a context the bound is set through: Playwright's public setters only. */
export type WaitBoundContext = Pick<BrowserContext, 'setDefaultTimeout' | 'setDefaultNavigationTimeout'>;

/** Sets `ms` as the default bound of every wait and every navigation in `context`. */
export function setPageWaits(context: WaitBoundContext, ms: number): void {
  context.setDefaultTimeout(ms);
  context.setDefaultNavigationTimeout(ms);
}

/** Where {@link boundPageWaits} keeps its bound on a browser type it has wrapped. */
const BOUND = Symbol.for('preflight.e2e.pageWaits');

type Wrapped = { [BOUND]?: { ms: number } };
type AnyBrowserMethod = (...args: unknown[]) => Promise<Browser>;

/**
 * Makes every context that comes from `browserType` start with `ms` as its default bound: the
 * contexts of a browser it launches or connects to (`newContext`, and `newPage`, which makes a
 * context of its own) and a persistent context it launches. Wraps the browser type object itself
 * rather than a helper, so a spec that launches Chromium on its own gets the bound as well. Safe
 * to call again (the end-to-end set-up runs before each spec file in one process): the wrapping is
 * done once and a later call only changes the bound.
 */
export function boundPageWaits(browserType: BrowserType, ms: number): void {
  const wrapped = browserType as BrowserType & Wrapped;
  const existing = wrapped[BOUND];
  if (existing) {
    existing.ms = ms;
    return;
  }
  const bound = { ms };
  wrapped[BOUND] = bound;

  const bounded = (browser: Browser): Browser => {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (options) => {
      const context = await newContext(options);
      setPageWaits(context, bound.ms);
      return context;
    };
    const newPage = browser.newPage.bind(browser);
    browser.newPage = async (options) => {
      const page = await newPage(options);
      setPageWaits(page.context(), bound.ms);
      return page;
    };
    return browser;
  };
  // connect and connectOverCDP are overloaded: their arguments are passed through as given.
  for (const name of ['launch', 'connect', 'connectOverCDP'] as const) {
    const method = (browserType[name] as AnyBrowserMethod).bind(browserType);
    (browserType as unknown as Record<typeof name, AnyBrowserMethod>)[name] = async (...args) =>
      bounded(await method(...args));
  }
  const launchPersistentContext = browserType.launchPersistentContext.bind(browserType);
  browserType.launchPersistentContext = async (userDataDir, options) => {
    const context = await launchPersistentContext(userDataDir, options);
    setPageWaits(context, bound.ms);
    return context;
  };
}
