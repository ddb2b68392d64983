/**
 * Journey: a data analyst fingerprints a large extract, and the browser is closed while it runs.
 * At the next start the header says the job did not finish and that nothing of it was kept, with a
 * link back to its screen; Dismiss forgets it, also after a reload.
 *
 * Determinism: the app's real hash worker's chunk reads are held (hashWorkerGate.ts), so the job is
 * running when the browser closes; nothing races.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchPersistent, openApp, type Watched } from './browser.ts';
import { hashGate, installHashGate, startHashWorker } from './hashWorkerGate.ts';

const MIB = 1024 * 1024;
const NAME = 'extract-32mb.bin';
const WAIT = { timeout: 60_000 };

let profile: string;
let dir: string;
let file: string;
let context: BrowserContext;
let app: Watched;

const unfinished = (app: Watched) =>
  app.page.getByRole('banner').getByRole('region', { name: 'Jobs that did not finish' });

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'preflight-interrupted-profile-'));
  dir = mkdtempSync(join(tmpdir(), 'preflight-interrupted-'));
  file = join(dir, NAME);
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(MIB, 3);
  for (let n = 0; n < 32; n++) writeSync(fd, block);
  closeSync(fd);
  context = await launchPersistent(profile);
  app = await openApp(context, '#/migration');
});

afterAll(async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('a job the browser never let finish', () => {
  it('is said at the next start, with a way back to its screen, until dismissed', async () => {
    const worker = await startHashWorker(app.page, dir);
    await installHashGate(worker);
    await hashGate(worker, { action: 'hold' });
    await app.page.getByLabel('File to fingerprint').setInputFiles(file);
    await app.page
      .getByRole('banner')
      .getByRole('progressbar', { name: `Fingerprint of ${NAME}`, exact: true })
      .waitFor(WAIT);
    // nothing said about a run that is still going
    expect(await unfinished(app).count()).toBe(0);
    await context.close();

    context = await launchPersistent(profile);
    app = await openApp(context, '#/workflows');
    const note = unfinished(app).getByRole('listitem');
    await note.waitFor(WAIT);
    await expect(note.textContent()).resolves.toMatch(
      new RegExp(
        `^Fingerprint of ${NAME.replaceAll('.', '\\.')} did not finish: it was still running( at \\d+ %)? when Preflight stopped \\(last seen .+\\)\\. Nothing of it was kept: run it again\\.`,
      ),
    );
    await expect(note.getByRole('link', { name: 'Go to Migration' }).getAttribute('href')).resolves.toBe(
      '#/migration',
    );
    expect(await axeViolations(app.page)).toEqual([]);
    await note.getByRole('button', { name: /^Dismiss/ }).click();
    await unfinished(app).waitFor({ state: 'detached' });
    await app.page.reload();
    await app.page.getByRole('navigation', { name: 'Workspaces' }).waitFor();
    // the workspace is drawn, and the header still has nothing to say
    await app.page.getByRole('heading', { level: 2 }).first().waitFor();
    expect(await unfinished(app).count()).toBe(0);
    expect(app.console.filter((line) => !line.startsWith('debug'))).toEqual([]);
  });
});
