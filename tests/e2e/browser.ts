/**
 * Shared helpers for end-to-end specs: launching Debian's Chromium, opening the app as a new
 * user, axe-core accessibility checks and a watch on console output and CSP violations.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions } from 'axe-core';
import {
  type Browser,
  type BrowserContext,
  type BrowserServer,
  chromium,
  type Download,
  type Locator,
  type Page,
} from 'playwright-core';
import { inject } from 'vitest';
import { WORKER_CSP_VIOLATION_PREFIX } from '../../workers/cspViolations.ts';
import { keepingTreeCpu, markTreeCpu } from '../procCpu.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

export function baseUrl(): string {
  return inject('baseUrl');
}

/**
 * A headless Chromium for a spec. With the usual flags, a connection to the one browser of the
 * spec's vitest worker ({@link workerBrowserEndpoint}): a spec then costs a connection, not a
 * browser start, and its `close()` closes only the contexts it made. With `extraArgs` (after the
 * usual flags, chromium.ts), a browser of the spec's own.
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (extraArgs.length === 0) return chromium.connect(await workerBrowserEndpoint());
  return launchOwnBrowser(extraArgs);
}

const WORKER_BROWSER = Symbol.for('preflight.e2e.workerBrowser');

/**
 * The address of this worker process's Chromium (playwright's browser server), started on first
 * use and reused by every spec the worker runs after it (spec files share their worker, one at a
 * time: `isolate: false`). Started here rather than once for the run in the main process, so the
 * browser is in the worker's process tree and each spec's CPU figure includes the browser's work
 * for it (tests/setup/fileCpu.ts). Kept on the process's global object, which outlives a module
 * loaded again; playwright ends the browser when the worker exits.
 */
function workerBrowserEndpoint(): Promise<string> {
  const global = globalThis as { [WORKER_BROWSER]?: Promise<BrowserServer> };
  global[WORKER_BROWSER] ??= chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  return global[WORKER_BROWSER].then((server) => server.wsEndpoint());
}

/**
 * A Chromium of the spec's own. Needed where the browser must read the test's files where they
 * are: through a connection (`launchBrowser`), a chosen file is copied to the browser first, so a
 * file removed or changed mid-read is not seen, and large files are copied before any read.
 */
export async function launchOwnBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return countedWhenClosed(
    await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      headless: true,
    }),
  );
}

/**
 * `target` (a browser of the spec's own, or its persistent context) whose `close()` keeps the CPU
 * time of the processes it ends in the spec's figure (tests/procCpu.ts `keepingTreeCpu`): the
 * renderers end after the browser that would reap them, so their time would leave the tree with
 * them and a spec with a browser of its own would seem to cost a fraction of what it does.
 */
function countedWhenClosed<T extends Browser | BrowserContext>(target: T): T {
  const close = target.close.bind(target);
  target.close = (options?: { reason?: string }) => keepingTreeCpu(() => close(options));
  return target;
}

/**
 * Where a finished download is on this machine. `Download.path()` refuses a browser the test is
 * connected to (the shared one, `launchBrowser`), so the file is saved through the connection
 * into a folder of its own, under the name the app gave it.
 */
export async function downloadedFile(download: Download): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'preflight-download-')), download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

export async function launchPersistent(userDataDir: string): Promise<BrowserContext> {
  return countedWhenClosed(
    await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      acceptDownloads: true,
    }),
  );
}

/**
 * SIGKILLs every process whose command line names this browser profile (Linux /proc): no unload
 * handlers, no orderly shutdown, as when the machine loses power. Returns how many. The spec's CPU
 * figure keeps their time from here to the `close()` of their context (tests/procCpu.ts).
 */
export function killProfileProcesses(userDataDir: string): number {
  markTreeCpu();
  let killed = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    if (!cmdline.includes(`--user-data-dir=${userDataDir}`)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed += 1;
    } catch {
      // already gone
    }
  }
  return killed;
}

/** Every stored record of the app's database, read behind the app's back: documents and the audit log. */
export function storedRecords(
  page: Page,
): Promise<{ audit: unknown[]; documents: { kind: string; body: unknown }[] }> {
  return page.evaluate(async () => {
    const open = indexedDB.open('preflight');
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = (store: string): Promise<unknown[]> =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const result = {
      audit: await all('audit'),
      documents: (await all('documents')) as { kind: string; body: unknown }[],
    };
    db.close();
    return result;
  });
}

export interface Watched {
  page: Page;
  /** console messages and page errors, as text */
  console: string[];
  /**
   * CSP violations: the page's own (its `securitypolicyviolation` events) and its workers' (each
   * worker forwards them and the page reports them with a console error: workers/cspViolations.ts)
   */
  cspViolations: string[];
}

/**
 * Opens the app in a page and records everything it prints and every CSP violation, the page's and
 * its workers'. A violation inside a worker fires on the worker's global only, never on `document`.
 * `base`: another address of the same server (WebAuthn needs `localhost`, not an IP address).
 */
export async function openApp(
  context: BrowserContext,
  hash = '',
  base = baseUrl(),
  /** Milliseconds the first load may take; 0 leaves the bound to the test's own timeout. */
  loadTimeout?: number,
): Promise<Watched> {
  const watched = await watchedPage(context);
  await watched.page.goto(`${base}${hash}`, { timeout: loadTimeout });
  await watched.page.getByRole('navigation', { name: 'Workspaces' }).waitFor({ timeout: loadTimeout });
  return watched;
}

/**
 * A new page of `context` whose console output and CSP violations are recorded as {@link openApp}
 * records them, before it has loaded anything: for a journey whose first address is not the app's
 * (a sign-in that starts at the server and ends in the app).
 */
export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const watched: Watched = { page, console: [], cspViolations: [] };
  page.on('console', (msg) => {
    watched.console.push(`${msg.type()}: ${msg.text()}`);
    if (msg.type() === 'error' && msg.text().startsWith(WORKER_CSP_VIOLATION_PREFIX)) {
      watched.cspViolations.push(msg.text());
    }
  });
  page.on('pageerror', (err) => watched.console.push(`pageerror: ${err.message}`));
  await page.exposeFunction('__reportCsp', (text: string) => watched.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCsp: (t: string) => void }).__reportCsp(
        `${e.violatedDirective} blocked ${e.blockedURI}`,
      );
    });
  });
  return watched;
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** WCAG 2.x A and AA rules and axe's best practices: every check runs these. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * How axe runs. Only its violations are read, so passes, review items and inapplicable rules keep
 * one node each (`resultTypes`): axe then builds no selector for the thousands of elements that
 * pass (every line of text passes colour contrast), the work it names as its slow tail. Every
 * violation keeps all its nodes and their selectors.
 */
const AXE_RUN_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: AXE_TAGS },
  resultTypes: ['violations'],
};

type WindowWithAxe = Window & { axe: typeof import('axe-core') };

/**
 * Runs axe-core ({@link AXE_TAGS}) on the page, or only inside `region` (its first match).
 * Injected through the DevTools protocol rather than a <script> tag, so the page's own CSP stays
 * in force during the test; once per document (a reload or another page starts without it):
 * sending and evaluating its 650 kB again at every check cost more than many a check itself. Set
 * not to copy each result's markup (`noHtml`): that copy is read nowhere, and for a rule judged
 * on <html> or <main> it is the whole page's markup.
 */
export async function runAxe(page: Page, region?: Locator): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.evaluate(axeSource);
    await page.evaluate(() => (window as unknown as WindowWithAxe).axe.configure({ noHtml: true }));
  }
  const handle = region ? await region.first().elementHandle() : null;
  try {
    return await page.evaluate(
      async ([element, options]) => {
        const result = await (window as unknown as WindowWithAxe).axe.run(element ?? document, options);
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact ?? null,
          help: v.help,
          nodes: v.nodes.map((n) => n.target.join(' ')),
        }));
      },
      [handle, AXE_RUN_OPTIONS] as const,
    );
  } finally {
    await handle?.dispose();
  }
}

/** axe's violations on the whole page ({@link runAxe}). */
export function axeViolations(page: Page): Promise<AxeViolation[]> {
  return runAxe(page);
}

/** The screens a journey is checked at: a desktop and a phone. */
export const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Waits until the autosave indicator says the project is durably saved. */
export async function waitForSaved(page: Page): Promise<void> {
  await page
    .locator('output.save-status')
    .filter({ hasText: /^Saved/ })
    .waitFor();
}

/** The project chooser in the top bar. */
export const projectSelect = (page: Page) => page.getByLabel('Project', { exact: true });

/**
 * Waits until a project is open: the chooser lists a project and no longer offers
 * "Choose a project…". The list of projects arrives before the project opens, so seeing the first
 * option alone says nothing about which one is open.
 */
export async function waitForOpenProject(page: Page): Promise<void> {
  const select = projectSelect(page);
  await select.locator('option:not([value=""])').first().waitFor({ state: 'attached' });
  await select.locator('option[value=""]').waitFor({ state: 'detached' });
}

/**
 * `page.waitForEvent('worker', isHashWorker)` waits for the app's hash worker only: opening the
 * Migration workspace also starts (pre-warms) the FHIR validator worker, which the first 'worker'
 * event may be.
 */
export function isHashWorker(worker: { url(): string }): boolean {
  return /\/hash\.worker[-.]/.test(worker.url());
}

/**
 * The page's address after the app's own, without the project part the app adds to it
 * (`#/project/<id>/workflows/…` is `#/workflows/…`): the place shown, whichever project.
 */
export function placeHash(page: Page): string {
  return new URL(page.url()).hash.replace(/^#\/project\/[^/]+(?=\/|$)/, '#');
}
