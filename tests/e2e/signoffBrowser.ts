/**
 * One Chromium for a whole spec file of the sign-off and readiness journeys. Each part of a journey
 * file (a role's screen, a packet round trip) opens its own contexts in the file's one browser and
 * closes only those: starting a browser costs seconds of CPU on the two-core CI machine, a context
 * costs milliseconds. A part whose proof is the browser's own death (a kill mid-review) launches
 * its own persistent profile instead.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser.ts';

let shared: Promise<Browser> | undefined;

/** The file's browser, launched on first use. */
export function fileBrowser(): Promise<Browser> {
  shared ??= launchBrowser();
  return shared;
}

/** Closes the file's browser: the file's last `afterAll`. */
export async function closeFileBrowser(): Promise<void> {
  const browser = shared;
  shared = undefined;
  await (await browser)?.close();
}

/**
 * A part's view of the file's browser: `newContext` as usual, and `close()` closes only the
 * contexts this part made, never the browser the other parts use.
 */
export async function partBrowser(): Promise<Browser> {
  const browser = await fileBrowser();
  const contexts: BrowserContext[] = [];
  return new Proxy(browser, {
    get(target, prop) {
      if (prop === 'newContext')
        return async (...args: Parameters<Browser['newContext']>) => {
          const context = await target.newContext(...args);
          contexts.push(context);
          return context;
        };
      if (prop === 'close')
        return async () => {
          await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
        };
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A fresh context of the file's browser where a part used a profile of its own: the project lives
 * in the context's IndexedDB, kept across reloads of its pages, gone when the context closes.
 */
export async function freshContext(): Promise<BrowserContext> {
  return (await fileBrowser()).newContext({ acceptDownloads: true });
}
