/**
 * Journey: an analyst manages projects. Work autosaves and survives a reload and a killed
 * browser; a project exports to one file and comes back from it; a damaged or too-new file
 * is refused with nothing lost; "Close and wipe" leaves nothing behind.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  launchPersistent,
  openApp,
  projectSelect,
  type Watched,
  waitForOpenProject,
  waitForSaved,
} from './browser.ts';

/** console output and CSP violations of pages this journey closed or lost to a kill */
const earlierConsole: string[] = [];
const earlierCsp: string[] = [];
let profile: string;
let work: string;
let context: BrowserContext;
let app: Watched;

const projectNames = (page: Page) =>
  projectSelect(page).evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.text).sort());
const selectedProject = (page: Page) =>
  projectSelect(page).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.text ?? '');

async function createProject(page: Page, name: string) {
  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `Project “${name}” created.` })
    .waitFor();
}

async function renameProject(page: Page, name: string) {
  await page.getByRole('button', { name: 'Rename' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename project' });
  await dialog.getByLabel('Project name').fill(name);
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await projectSelect(page).locator('option', { hasText: name }).waitFor({ state: 'attached' });
}

async function importFile(page: Page, path: string) {
  await page.getByLabel('Import a project file').setInputFiles(path);
}

/** SIGKILLs every process whose command line names this browser profile (Linux /proc); returns how many. */
function killProfileProcesses(userDataDir: string): number {
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

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-profile-'));
  work = mkdtempSync(join(tmpdir(), 'preflight-files-'));
  context = await launchPersistent(profile);
  app = await openApp(context);
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('projects', () => {
  it('creates a project, renames it, and finds it after a reload', async () => {
    const { page } = app;
    await createProject(page, 'Northside Family Practice');
    expect(await selectedProject(page)).toBe('Northside Family Practice');
    await renameProject(page, 'Northside FP — go-live 2027');
    await waitForSaved(page);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await waitForOpenProject(page);
    expect(await selectedProject(page)).toBe('Northside FP — go-live 2027');
    expect(await projectNames(page)).toEqual(['Demo clinic', 'Northside FP — go-live 2027']);
  });

  it('keeps an edit made just before a reload or a closed tab (0, 50 and 150 ms after it), without asking', async () => {
    let page = app.page;
    const dialogs: string[] = [];
    const watchDialogs = (p: Page) =>
      p.on('dialog', (dialog) => {
        dialogs.push(dialog.type());
        void dialog.accept();
      });
    watchDialogs(page);
    for (const leave of ['reload', 'close'] as const) {
      for (const delayMs of [0, 50, 150]) {
        const name = `Kept after ${leave} at ${delayMs} ms`;
        // well inside the autosave throttle (300 ms): only the page-hide rescue can keep it
        await renameProject(page, name);
        if (delayMs > 0) await page.waitForTimeout(delayMs);
        if (leave === 'reload') {
          await page.reload();
        } else {
          // as a user closes a tab: unload handlers run, a beforeunload prompt would show
          await Promise.all([page.waitForEvent('close'), page.close({ runBeforeUnload: true })]);
          earlierConsole.push(...app.console);
          earlierCsp.push(...app.cspViolations);
          app = await openApp(context);
          page = app.page;
          watchDialogs(page);
        }
        await waitForOpenProject(page);
        expect(await selectedProject(page)).toBe(name);
      }
    }
    // nothing was at risk, so nobody was asked "Leave site?"
    expect(dialogs).toEqual([]);
    await renameProject(page, 'Northside FP — go-live 2027');
    await waitForSaved(page);
  });

  it('switches between projects, each showing its own content', async () => {
    const { page } = app;
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByText('No workflows in this project yet.').waitFor();
    const demoId = await projectSelect(page)
      .locator('option', { hasText: 'Demo clinic' })
      .evaluate((el) => (el as HTMLOptionElement).value);
    await projectSelect(page).selectOption(demoId);
    await page
      .getByRole('heading', { level: 3, name: /intake/i })
      .first()
      .waitFor();
    expect(await page.getByRole('article').count()).toBeGreaterThanOrEqual(2);
    const northsideId = await projectSelect(page)
      .locator('option', { hasText: 'Northside FP' })
      .evaluate((el) => (el as HTMLOptionElement).value);
    await projectSelect(page).selectOption(northsideId);
    await page.getByText('No workflows in this project yet.').waitFor();
  });

  it('keeps a change the bar says is saved when the browser is killed', async () => {
    const { page } = app;
    await renameProject(page, 'Survives a crash');
    // the rename shows in the same render as "Unsaved changes…", so "Saved" now means this change
    // is in IndexedDB: a kill right then must not lose it (how soon it is saved, within a second,
    // is autosave's own test, on a fake clock)
    await waitForSaved(page);
    earlierConsole.push(...app.console);
    earlierCsp.push(...app.cspViolations);
    // SIGKILL every Chromium process of this profile: no unload handlers, no orderly shutdown
    expect(killProfileProcesses(profile)).toBeGreaterThan(0);
    await context.close().catch(() => {});
    context = await launchPersistent(profile);
    app = await openApp(context);
    await waitForOpenProject(app.page);
    expect(await selectedProject(app.page)).toBe('Survives a crash');
  });

  it('exports a project, deletes it, and imports it back', async () => {
    const { page } = app;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Survives-a-crash.preflight.json');
    const exported = join(work, download.suggestedFilename());
    await download.saveAs(exported);
    const file = JSON.parse(readFileSync(exported, 'utf8'));
    expect(file.format).toBe('preflight.project/v1');
    expect(file.project.meta.name).toBe('Survives a crash');

    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete project?' });
    await confirm.getByRole('button', { name: 'Delete project' }).click();
    await page.getByRole('status').filter({ hasText: 'deleted' }).waitFor();
    expect(await projectNames(page)).toEqual(['Demo clinic']);

    await importFile(page, exported);
    await page.getByRole('status').filter({ hasText: 'Imported “Survives a crash”' }).waitFor();
    expect(await projectNames(page)).toEqual(['Demo clinic', 'Survives a crash']);
    expect(await selectedProject(page)).toBe('Survives a crash');
  });

  it('deleting asks first, and Cancel keeps the project', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete project?' })
      .getByRole('button', { name: 'Cancel' })
      .click();
    expect(await projectNames(page)).toEqual(['Demo clinic', 'Survives a crash']);
  });

  it('refuses a corrupted, a damaged and a too-new project file, losing nothing', async () => {
    const { page } = app;
    const before = await projectNames(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    const good = join(work, 'good.preflight.json');
    await download.saveAs(good);
    const text = readFileSync(good, 'utf8');

    const truncated = join(work, 'truncated.preflight.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    await importFile(page, truncated);
    await page
      .getByRole('alert')
      .filter({ hasText: '“truncated.preflight.json” was not imported' })
      .waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/line \d+/i);
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();

    const edited = join(work, 'edited.preflight.json');
    const tampered = JSON.parse(text);
    tampered.project.meta.name = 'Edited by hand';
    writeFileSync(edited, JSON.stringify(tampered));
    await importFile(page, edited);
    await page.getByRole('alert').filter({ hasText: '“edited.preflight.json” was not imported' }).waitFor();
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();

    const newer = join(work, 'newer.preflight.json');
    writeFileSync(newer, JSON.stringify({ ...JSON.parse(text), format: 'preflight.project/v9' }));
    await importFile(page, newer);
    await page.getByRole('alert').filter({ hasText: /newer/ }).waitFor();
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();

    expect(await projectNames(page)).toEqual(before);
    await page.reload();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await waitForOpenProject(page);
    expect(await projectNames(page)).toEqual(before);
  });

  it('two tabs on one project: the stale tab is told, and loses nothing of the other', async () => {
    const tabA = app.page;
    const tabB = await openApp(context);
    await waitForOpenProject(tabB.page);
    expect(await selectedProject(tabB.page)).toBe(await selectedProject(tabA));

    await renameProject(tabA, 'Edited in tab A');
    await waitForSaved(tabA);
    await renameProject(tabB.page, 'Edited in tab B');
    await tabB.page.locator('output.save-status').filter({ hasText: 'changed in another tab' }).waitFor();

    // tab B's change cannot be saved: leaving it now asks first
    const dialogs: string[] = [];
    tabB.page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await tabB.page.reload();
    expect(dialogs).toEqual(['beforeunload']);
    await waitForOpenProject(tabB.page);
    expect(await selectedProject(tabB.page)).toBe('Edited in tab A');
    expect(tabB.console).toEqual([]);
    await tabB.page.close();
  });

  it('"Close and wipe" erases everything the app stored', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Close and wipe' }).click();
    await page
      .getByRole('dialog', { name: 'Close and wipe everything?' })
      .getByRole('button', { name: 'Wipe everything' })
      .click();
    await page.getByRole('status').filter({ hasText: 'was erased' }).waitFor();
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases).toEqual([]);
    await page.getByRole('button', { name: 'Start again with the demo clinic' }).click();
    await page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    await waitForOpenProject(page);
    expect(await projectNames(page)).toEqual(['Demo clinic']);
  });

  it('printed nothing to the console and broke no CSP rule', () => {
    expect([...earlierConsole, ...app.console]).toEqual([]);
    expect([...earlierCsp, ...app.cspViolations]).toEqual([]);
    expect(baseUrl()).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});
